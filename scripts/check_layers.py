#!/usr/bin/python3
"""Lists every #include that crosses a layer upward; exits 1 when there is one.

The layers, bottom to top (docs/ARCHITECTURE.md):
    core: util < ir < onnx < runtime < data < passes < quant < analysis < export < workflow
    widgets (Qt) above core; app above widgets.
A file may include its own layer and the layers below it. core never includes Qt, widgets/ or app/.
The build enforces the core order too (each core folder is a library that sees only the layers below);
this script says it in one list, for CI and for a reader.

    /usr/bin/python3 scripts/check_layers.py [ROOT]      # ROOT: the repository (default: this one)
    /usr/bin/python3 scripts/check_layers.py --self-test  # plants a violation in a scratch tree: must be found
"""
import re
import sys
import tempfile
from pathlib import Path

CORE = ["util", "ir", "onnx", "runtime", "data", "passes", "quant", "analysis", "export", "workflow"]
INCLUDE = re.compile(r'^\s*#\s*include\s*([<"])([^>"]+)[>"]')


def layer_of_header(header: str):
    """The layer a project header belongs to, from its include path ('quant/plan.h' -> 'quant')."""
    top = header.split("/", 1)[0]
    return top if top in CORE else None


def check(root: Path) -> list[str]:
    problems = []
    rank = {name: i for i, name in enumerate(CORE)}
    for path in sorted((root / "core").rglob("*")):
        if path.suffix not in (".h", ".cpp", ".hpp", ".cc") or not path.is_file():
            continue
        rel = path.relative_to(root / "core")
        here = rel.parts[0]
        if here not in rank:
            problems.append(f"core/{rel}: folder '{here}' is in no layer (add it to CORE in this script and to core/CMakeLists.txt)")
            continue
        for no, line in enumerate(path.read_text(errors="replace").splitlines(), 1):
            m = INCLUDE.match(line)
            if not m:
                continue
            kind, header = m.groups()
            if kind == "<" and (header.startswith("Q") or header.startswith("qt")):
                problems.append(f"core/{rel}:{no}: includes Qt <{header}>: core never uses Qt")
                continue
            if kind != '"':
                continue
            if header.startswith(("widgets/", "app/", "studio/", "cli/")):
                problems.append(f"core/{rel}:{no}: includes \"{header}\": core never includes the GUI or the apps")
                continue
            target = layer_of_header(header)
            if target is not None and rank[target] > rank[here]:
                problems.append(f"core/{rel}:{no}: {here} includes \"{header}\" from the higher layer {target}")
    for path in sorted((root / "widgets").rglob("*")):
        if path.suffix not in (".h", ".cpp") or not path.is_file():
            continue
        for no, line in enumerate(path.read_text(errors="replace").splitlines(), 1):
            m = INCLUDE.match(line)
            if m and m.group(1) == '"' and m.group(2).startswith(("app/", "studio/", "cli/")):
                problems.append(f"widgets/{path.relative_to(root / 'widgets')}:{no}: includes \"{m.group(2)}\": widgets never include the apps")
    return problems


def self_test() -> int:
    with tempfile.TemporaryDirectory() as d:
        root = Path(d)
        for layer in ("ir", "quant"):
            (root / "core" / layer).mkdir(parents=True)
        (root / "widgets").mkdir()
        (root / "core/quant/ok.cpp").write_text('#include "ir/graph.h"\n#include "quant/plan.h"\n')
        clean = check(root)
        (root / "core/ir/bad.cpp").write_text('#include <vector>\n#include "quant/plan.h"\n')
        (root / "core/ir/gui.h").write_text("#include <QString>\n")
        planted = check(root)
    if clean:
        print("self-test FAILED: a clean tree was reported:", *clean, sep="\n  ")
        return 1
    wanted = ["core/ir/bad.cpp:2", "core/ir/gui.h:1"]
    missing = [w for w in wanted if not any(p.startswith(w) for p in planted)]
    if missing:
        print("self-test FAILED: planted violations not found:", *missing, sep="\n  ")
        return 1
    print(f"self-test passed: {len(planted)} planted violations found, none in the clean tree")
    return 0


def main() -> int:
    if sys.argv[1:] == ["--self-test"]:
        return self_test()
    root = Path(sys.argv[1]) if len(sys.argv) > 1 else Path(__file__).resolve().parent.parent
    problems = check(root)
    for p in problems:
        print(p)
    print(f"check_layers: {len(problems)} upward include(s)")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
