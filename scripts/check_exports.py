#!/usr/bin/python3
"""Proves that `lowbit quantize` exports stay bit-identical across a code change.

    /usr/bin/python3 scripts/check_exports.py run --lowbit BIN --out DIR [--pretrained DIR] [--only JOB ...]
    /usr/bin/python3 scripts/check_exports.py compare REF_DIR NEW_DIR [--json-only]

`run` executes a fixed, deterministic list of `lowbit quantize` jobs, each into DIR/<job>/ (model_qdq.onnx,
calibration.json, report.json, plus the command line and the CLI's stdout/stderr), and writes DIR/manifest.json
(the jobs' command lines, the sha256 of every input, the wall time of each job). The jobs:

    {cnn,resnet,mobilenetv2,vit}-w8a8       examples/models/M.onnx, defaults, calibrated on
                                            examples/data/fashion_mnist_test_64.npy
    {cnn,resnet,mobilenetv2,vit}-w4a8-gptq  the same with --weight-bit 4 --set advanced.weight_rounding=gptq
    rec-w8a8, rec-w4a8-gptq                 PP-OCRv4 rec (PRETRAINED/paddleocr-v4-rec.onnx), calibrated on
                                            REC_LINES text lines rendered by bench/pretrained_ptq.py
                                            (make_lines seed 1, dataset seed 11) into DIR/rec_calib.npy

Every job runs with a fixed --threads (default THREADS = 2) and otherwise the defaults (per-layer error on).
At 3099f77 the exports are identical with 1 and 2 threads; 1 is much faster when the CPU is busy.
The rec jobs are skipped, with a message, when the pretrained model is missing (scripts/fetch-pretrained.sh).

`compare` checks every job present in REF_DIR against NEW_DIR:
  - model_qdq.onnx: model fields (ir_version, opset imports, producer, metadata, functions), the graph's nodes
    (order, op type, domain, name, inputs, outputs, attributes), inputs, outputs, value_info, and every
    initializer (name, order, dtype, dims, bytes of numpy_helper.to_array(...).tobytes(); tensor types this onnx
    cannot convert, e.g. INT4, are compared by their raw protobuf data fields); then the file's bytes;
  - calibration.json: equal as JSON; then the file's bytes;
  - report.json: equal as JSON after replacing the job's calibration data path by <CALIB> in every string
    (see REPORT_IGNORED for why nothing else needs ignoring).
"Bytes" checks (bit-identity of the file) fail too, unless --json-only. One line per job per file, a summary
'N passed, M failed' (one check = one job's file), exit status 1 if anything differs or is missing, else 0.
"""
import argparse
import hashlib
import json
import math
import shlex
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE_MODELS = ["cnn", "resnet", "mobilenetv2", "vit"]
EXAMPLE_DATA = "examples/data/fashion_mnist_test_64.npy"
REC_MODEL = "paddleocr-v4-rec.onnx"
REC_LINES = 64          # calibration lines rendered for the recognizer
REC_LINES_SEED = 1      # make_lines seed (bench/pretrained_ptq.py uses 1 for its calibration lines)
REC_RENDER_SEED = 11    # dataset seed (likewise)
THREADS = 2             # default --threads: fixed, so the jobs do not depend on the machine's core count
SETTINGS = {
    "w8a8": [],
    "w4a8-gptq": ["--weight-bit", "4", "--set", "advanced.weight_rounding=gptq"],
}
FILES = ["model_qdq.onnx", "calibration.json", "report.json"]

# report.json fields that legitimately vary, dropped before comparing: JSON paths, '*' = every element of a list.
# None: the report has no timings, host names or dates. The only run-dependent text in it is the calibration
# data's absolute path (in calibration.data, "PATH (npy, 64 samples of [...] float32)", and in warnings[], "PATH
# holds 64 samples, fewer than ..."), and the rec jobs' data lives in the output folder. Instead of dropping those
# fields, every occurrence of the job's --calib path (read from DIR/<job>/command.txt) is replaced by <CALIB> in
# every string of both reports, so the rest of those strings is still compared.
REPORT_IGNORED: list[tuple[str, ...]] = []
CALIB_PLACEHOLDER = "<CALIB>"


def sha256(p: Path) -> str:
    h = hashlib.sha256()
    with open(p, "rb") as f:
        for b in iter(lambda: f.read(1 << 20), b""):
            h.update(b)
    return h.hexdigest()


# ---------------------------------------------------------------------------------------------------- run

def jobs(pretrained: Path | None, rec_npy: Path) -> list[tuple[str, Path, Path, list[str]]]:
    out = []
    for m in EXAMPLE_MODELS:
        for s, flags in SETTINGS.items():
            out.append((f"{m}-{s}", ROOT / "examples" / "models" / f"{m}.onnx", ROOT / EXAMPLE_DATA, flags))
    if pretrained is not None:
        for s, flags in SETTINGS.items():
            out.append((f"rec-{s}", pretrained / REC_MODEL, rec_npy, flags))
    return out


def make_rec_data(path: Path) -> None:
    import numpy as np
    sys.path.insert(0, str(ROOT / "bench"))
    import pretrained_ptq  # noqa: E402  (bench/pretrained_ptq.py: make_lines, dataset)
    x = pretrained_ptq.dataset(pretrained_ptq.make_lines(REC_LINES, REC_LINES_SEED), REC_RENDER_SEED)
    np.save(path, np.ascontiguousarray(x, dtype=np.float32))


def cmd_run(a) -> int:
    lowbit = Path(a.lowbit).resolve()
    if not lowbit.is_file():
        print(f"check_exports: {lowbit}: no such binary", file=sys.stderr)
        return 2
    out = Path(a.out).resolve()
    out.mkdir(parents=True, exist_ok=True)
    pretrained = Path(a.pretrained).resolve()
    rec_npy = out / "rec_calib.npy"
    if not (pretrained / REC_MODEL).is_file():
        print(f"check_exports: {pretrained / REC_MODEL} missing (scripts/fetch-pretrained.sh): the rec jobs are skipped",
              file=sys.stderr)
        pretrained = None
    todo = [j for j in jobs(pretrained, rec_npy) if not a.only or j[0] in a.only]
    if a.only and len(todo) != len(set(a.only)):
        print(f"check_exports: unknown job in --only; jobs: {', '.join(j[0] for j in jobs(Path('.'), rec_npy))}", file=sys.stderr)
        return 2
    manifest = {"lowbit": str(lowbit), "threads": a.threads, "inputs": {}, "jobs": {}}
    t_all = time.monotonic()
    if any(j[2] == rec_npy for j in todo):
        t = time.monotonic()
        make_rec_data(rec_npy)
        print(f"rec calibration data: {REC_LINES} lines -> {rec_npy} ({time.monotonic() - t:.1f} s)", flush=True)
    failed = 0
    for name, model, data, flags in todo:
        d = out / name
        d.mkdir(parents=True, exist_ok=True)
        for f in FILES:  # a stale file from an earlier run must not pass for this run's
            (d / f).unlink(missing_ok=True)
        cmd = [str(lowbit), "quantize", str(model), "--calib", str(data), "-o", str(d), "--threads", str(a.threads), *flags]
        (d / "command.txt").write_text(shlex.join(cmd) + "\n")
        for p in (model, data):
            manifest["inputs"][p.name] = sha256(p)
        t = time.monotonic()
        with open(d / "stdout.txt", "w") as so, open(d / "stderr.txt", "w") as se:
            rc = subprocess.run(cmd, stdout=so, stderr=se, cwd=out).returncode
        dt = time.monotonic() - t
        manifest["jobs"][name] = {"command": cmd, "exit": rc, "seconds": round(dt, 2)}
        status = "ok" if rc == 0 else f"FAILED (exit {rc}, see {d / 'stderr.txt'})"
        failed += rc != 0
        print(f"{name:24s} {dt:7.1f} s  {status}", flush=True)
    (out / "manifest.json").write_text(json.dumps(manifest, indent=1) + "\n")
    print(f"total {time.monotonic() - t_all:.1f} s, {len(todo) - failed} jobs ok, {failed} failed; outputs in {out}")
    return 1 if failed else 0


# ---------------------------------------------------------------------------------------------------- compare

def first_json_diff(a, b, path="") -> str | None:
    """The first difference between two parsed JSON values, as 'path: a != b', or None."""
    if type(a) is not type(b) and not (isinstance(a, (int, float)) and isinstance(b, (int, float))
                                       and not isinstance(a, bool) and not isinstance(b, bool)):
        return f"{path or '/'}: type {type(a).__name__} != {type(b).__name__} ({short(a)} != {short(b)})"
    if isinstance(a, dict):
        for k in a:
            if k not in b:
                return f"{path}/{k}: only in the reference"
        for k in b:
            if k not in a:
                return f"{path}/{k}: only in the new output"
        if list(a) != list(b):
            return f"{path or '/'}: same keys in another order ({list(a)} != {list(b)})"
        for k in a:
            d = first_json_diff(a[k], b[k], f"{path}/{k}")
            if d:
                return d
        return None
    if isinstance(a, list):
        for i, (x, y) in enumerate(zip(a, b)):
            d = first_json_diff(x, y, f"{path}[{i}]")
            if d:
                return d
        if len(a) != len(b):
            return f"{path or '/'}: length {len(a)} != {len(b)}"
        return None
    if isinstance(a, float) and isinstance(b, float) and math.isnan(a) and math.isnan(b):
        return None
    if a != b or type(a) is not type(b):
        return f"{path or '/'}: {short(a)} != {short(b)}"
    return None


def short(v, n=120) -> str:
    s = json.dumps(v, ensure_ascii=False) if not isinstance(v, str) else repr(v)
    return s if len(s) <= n else s[:n] + "..."


def first_byte_diff(pa: Path, pb: Path) -> str | None:
    a, b = pa.read_bytes(), pb.read_bytes()
    if a == b:
        return None
    n = min(len(a), len(b))
    i = next((k for k in range(n) if a[k] != b[k]), n)
    return f"file bytes differ (sizes {len(a)} / {len(b)}, first at byte offset {i})"


def calib_path(job_dir: Path) -> str | None:
    """The --calib argument of the job's command line (DIR/<job>/command.txt), or None."""
    try:
        args = shlex.split((job_dir / "command.txt").read_text())
    except OSError:
        return None
    return args[args.index("--calib") + 1] if "--calib" in args[:-1] else None


def replace_strings(x, old: str, new: str):
    if isinstance(x, str):
        return x.replace(old, new)
    if isinstance(x, list):
        return [replace_strings(v, old, new) for v in x]
    if isinstance(x, dict):
        return {k: replace_strings(v, old, new) for k, v in x.items()}
    return x


def strip_report(r: dict, calib: str | None) -> dict:
    r = json.loads(json.dumps(r))
    if calib:
        r = replace_strings(r, calib, CALIB_PLACEHOLDER)

    def drop(node, path):
        if not path or node is None:
            return
        k, rest = path[0], path[1:]
        if k == "*":
            for x in node if isinstance(node, list) else []:
                drop(x, rest)
        elif isinstance(node, dict) and k in node:
            if rest:
                drop(node[k], rest)
            else:
                del node[k]
    for p in REPORT_IGNORED:
        drop(r, list(p))
    return r


def compare_json(pa: Path, pb: Path, report: bool, check_bytes: bool) -> str | None:
    try:
        a = json.loads(pa.read_text())
    except ValueError as e:
        return f"reference is not JSON: {e}"
    try:
        b = json.loads(pb.read_text())
    except ValueError as e:
        return f"new file is not JSON: {e}"
    if report:
        a, b = strip_report(a, calib_path(pa.parent)), strip_report(b, calib_path(pb.parent))
    d = first_json_diff(a, b)
    if d:
        return d
    if check_bytes and not report:
        d = first_byte_diff(pa, pb)
        if d:
            return d + " though equal as JSON (formatting)"
    return None


def unpack_4bit(t):
    """INT4 / UINT4 (data_type 22 / 21) raw_data as int8 / uint8 values (two per byte, low nibble first)."""
    import numpy as np
    b = np.frombuffer(t.raw_data, np.uint8)
    v = np.stack([b & 0x0F, b >> 4], axis=1).reshape(-1)
    n = int(np.prod(t.dims)) if len(t.dims) else 1
    if v.size < n:
        raise ValueError("short raw_data")
    v = v[:n]
    if t.data_type == 22:
        v = ((v.astype(np.int16) ^ 8) - 8).astype(np.int8)
    return v.reshape(tuple(t.dims))


def tensor_key(t):
    """(data_type, dims, dtype, bytes, array) of an initializer. INT4/UINT4, which numpy_helper of an onnx older
    than 1.16 cannot convert, are unpacked from raw_data; other unconvertible ones compared as stored."""
    from onnx import numpy_helper
    try:
        if t.data_type in (21, 22) and t.raw_data and t.data_location != 1:
            arr = unpack_4bit(t)
            # the packed bytes too: the unused high nibble of an odd-sized tensor counts for bit-identity
            return t.data_type, tuple(t.dims), arr.dtype.str + "/4bit", arr.tobytes() + t.raw_data, arr
        arr = numpy_helper.to_array(t)
        return t.data_type, tuple(t.dims), arr.dtype.str, arr.tobytes(), arr
    except Exception:
        import onnx
        c = onnx.TensorProto()
        c.CopyFrom(t)
        c.name, c.doc_string = "", ""
        return t.data_type, tuple(t.dims), "proto", c.SerializeToString(deterministic=True), None


def describe_tensor_diff(name: str, ka, kb) -> str:
    if ka[0] != kb[0]:
        return f"initializer '{name}': data_type {ka[0]} != {kb[0]}"
    if ka[1] != kb[1]:
        return f"initializer '{name}': dims {list(ka[1])} != {list(kb[1])}"
    if ka[2] != kb[2]:
        return f"initializer '{name}': numpy dtype {ka[2]} != {kb[2]}"
    a, b = ka[4], kb[4]
    if a is None or b is None:
        return f"initializer '{name}': data differs (raw protobuf data of type {ka[0]})"
    import numpy as np
    fa, fb = a.reshape(-1), b.reshape(-1)
    ba = np.frombuffer(fa.tobytes(), np.uint8).reshape(fa.size, -1) if fa.size else np.zeros((0, 1), np.uint8)
    bb = np.frombuffer(fb.tobytes(), np.uint8).reshape(fb.size, -1) if fb.size else np.zeros((0, 1), np.uint8)
    ne = np.flatnonzero((ba != bb).any(axis=1))
    if ne.size == 0:
        return f"initializer '{name}': values equal, packed bytes differ (padding nibble)"
    i = int(ne[0])
    idx = tuple(int(v) for v in np.unravel_index(i, a.shape)) if a.ndim else ()
    tname = {21: "uint4", 22: "int4"}.get(ka[0], str(a.dtype))
    msg = f"initializer '{name}' {tname}{list(a.shape)}: {ne.size} of {fa.size} elements differ, first at {list(idx)}: {fa[i]!r} != {fb[i]!r}"
    if np.issubdtype(a.dtype, np.number) and a.dtype != np.bool_:
        with np.errstate(all="ignore"):
            m = np.nanmax(np.abs(fa.astype(np.float64) - fb.astype(np.float64)))
        msg += f", max |diff| {m:g}"
    return msg


def attr_value(a) -> bytes:
    return a.SerializeToString(deterministic=True)


def attr_text(a) -> str:
    from onnx import helper
    try:
        v = helper.get_attribute_value(a)
    except Exception:
        return "<unprintable>"
    if hasattr(v, "SerializeToString"):
        return f"<{type(v).__name__}>"
    return short(v if not isinstance(v, bytes) else v.decode("latin-1"), 80)


def node_desc(i: int, n) -> str:
    return f"node #{i} '{n.name}' ({n.op_type})"


def compare_node(i: int, a, b) -> str | None:
    if a.op_type != b.op_type or a.domain != b.domain:
        return f"{node_desc(i, a)}: op {a.domain + '::' if a.domain else ''}{a.op_type} != {b.domain + '::' if b.domain else ''}{b.op_type} (new node '{b.name}')"
    if a.name != b.name:
        return f"{node_desc(i, a)}: name '{a.name}' != '{b.name}'"
    if list(a.input) != list(b.input):
        return f"{node_desc(i, a)}: inputs {list(a.input)} != {list(b.input)}"
    if list(a.output) != list(b.output):
        return f"{node_desc(i, a)}: outputs {list(a.output)} != {list(b.output)}"
    an, bn = [x.name for x in a.attribute], [x.name for x in b.attribute]
    if an != bn:
        return f"{node_desc(i, a)}: attributes {an} != {bn}"
    for x, y in zip(a.attribute, b.attribute):
        if attr_value(x) != attr_value(y):
            if x.HasField("t") and y.HasField("t"):
                return f"{node_desc(i, a)}: attribute '{x.name}': " + describe_tensor_diff(x.name, tensor_key(x.t), tensor_key(y.t)).split(": ", 1)[1]
            return f"{node_desc(i, a)}: attribute '{x.name}' {attr_text(x)} != {attr_text(y)}"
    if a.doc_string != b.doc_string:
        return f"{node_desc(i, a)}: doc_string differs"
    if a.SerializeToString(deterministic=True) != b.SerializeToString(deterministic=True):
        return f"{node_desc(i, a)}: differs in another field"
    return None


def compare_value_infos(what: str, a, b) -> str | None:
    na, nb = [v.name for v in a], [v.name for v in b]
    if na != nb:
        only_a = [n for n in na if n not in nb]
        only_b = [n for n in nb if n not in na]
        detail = f"only in reference {only_a[:5]}, only in new {only_b[:5]}" if only_a or only_b else "same names in another order"
        return f"graph {what}: {len(na)} != {len(nb)} entries ({detail})" if len(na) != len(nb) else f"graph {what}: {detail}"
    for x, y in zip(a, b):
        if x.SerializeToString(deterministic=True) != y.SerializeToString(deterministic=True):
            from google.protobuf import text_format
            return (f"graph {what} '{x.name}': {text_format.MessageToString(x.type, as_one_line=True)}"
                    f" != {text_format.MessageToString(y.type, as_one_line=True)}"
                    + (" (doc_string differs)" if x.doc_string != y.doc_string else ""))
    return None


def compare_graph(ga, gb, where="graph") -> str | None:
    if ga.name != gb.name:
        return f"{where} name '{ga.name}' != '{gb.name}'"
    if len(ga.node) != len(gb.node):
        # still name the first node that differs, it says more than the counts
        for i, (x, y) in enumerate(zip(ga.node, gb.node)):
            d = compare_node(i, x, y)
            if d:
                return f"{len(ga.node)} != {len(gb.node)} nodes; first difference: {d}"
        return f"{len(ga.node)} != {len(gb.node)} nodes (the first {min(len(ga.node), len(gb.node))} equal)"
    for i, (x, y) in enumerate(zip(ga.node, gb.node)):
        d = compare_node(i, x, y)
        if d:
            return d
    for what in ("input", "output", "value_info"):
        d = compare_value_infos(what, getattr(ga, what), getattr(gb, what))
        if d:
            return d
    na, nb = [t.name for t in ga.initializer], [t.name for t in gb.initializer]
    if na != nb:
        only_a = [n for n in na if n not in set(nb)]
        only_b = [n for n in nb if n not in set(na)]
        if only_a or only_b:
            return f"initializers: {len(na)} != {len(nb)}; only in reference {only_a[:5]}, only in new {only_b[:5]}"
        k = next(i for i, (x, y) in enumerate(zip(na, nb)) if x != y)
        return f"initializers in another order: #{k} is '{na[k]}' in the reference, '{nb[k]}' in the new model"
    for x, y in zip(ga.initializer, gb.initializer):
        ka, kb = tensor_key(x), tensor_key(y)
        if ka[:4] != kb[:4]:
            return describe_tensor_diff(x.name, ka, kb)
        if x.SerializeToString(deterministic=True) != y.SerializeToString(deterministic=True):
            return f"initializer '{x.name}': equal values, different encoding (raw_data vs typed fields, doc_string, ...)"
    if len(ga.sparse_initializer) != len(gb.sparse_initializer) or any(
            x.SerializeToString(deterministic=True) != y.SerializeToString(deterministic=True)
            for x, y in zip(ga.sparse_initializer, gb.sparse_initializer)):
        return "sparse initializers differ"
    if ga.doc_string != gb.doc_string:
        return f"{where} doc_string differs"
    if ga.SerializeToString(deterministic=True) != gb.SerializeToString(deterministic=True):
        return f"{where}: differs in another field (quantization_annotation?)"
    return None


def compare_onnx(pa: Path, pb: Path, check_bytes: bool) -> str | None:
    import onnx
    try:
        ma = onnx.load(str(pa))
    except Exception as e:
        return f"reference does not load: {e}"
    try:
        mb = onnx.load(str(pb))
    except Exception as e:
        return f"new model does not load: {e}"
    oa = [(o.domain, o.version) for o in ma.opset_import]
    ob = [(o.domain, o.version) for o in mb.opset_import]
    if oa != ob:
        return f"opset imports {oa} != {ob}"
    for f in ("ir_version", "producer_name", "producer_version", "domain", "model_version", "doc_string"):
        if getattr(ma, f) != getattr(mb, f):
            return f"model {f} {getattr(ma, f)!r} != {getattr(mb, f)!r}"
    mpa = [(p.key, p.value) for p in ma.metadata_props]
    mpb = [(p.key, p.value) for p in mb.metadata_props]
    if mpa != mpb:
        return f"metadata_props {mpa} != {mpb}"
    d = compare_graph(ma.graph, mb.graph)
    if d:
        return d
    if len(ma.functions) != len(mb.functions) or any(
            x.SerializeToString(deterministic=True) != y.SerializeToString(deterministic=True) for x, y in zip(ma.functions, mb.functions)):
        return "model functions differ"
    if ma.SerializeToString(deterministic=True) != mb.SerializeToString(deterministic=True):
        return "model differs in another field"
    if check_bytes:
        d = first_byte_diff(pa, pb)
        if d:
            return d + " though the models are equal field by field (serialization order?)"
    return None


def cmd_compare(a) -> int:
    ref, new = Path(a.ref), Path(a.new)
    if not ref.is_dir():
        print(f"check_exports: {ref}: not a folder", file=sys.stderr)
        return 2
    job_names = sorted(p.name for p in ref.iterdir() if p.is_dir() and any((p / f).exists() for f in FILES))
    if not job_names:
        print(f"check_exports: no job folders in {ref}", file=sys.stderr)
        return 2
    passed = failed = 0

    def line(job, what, diff):
        nonlocal passed, failed
        if diff is None:
            passed += 1
            print(f"{job:24s} {what:18s} same")
        else:
            failed += 1
            print(f"{job:24s} {what:18s} DIFFERENT: {diff}")

    # the inputs (models, calibration data) are not outputs, but if they changed, nothing else can be the same
    mr, mn = ref / "manifest.json", new / "manifest.json"
    if mr.is_file() and mn.is_file():
        ir, inn = json.loads(mr.read_text()).get("inputs", {}), json.loads(mn.read_text()).get("inputs", {})
        changed = [k for k in ir if k in inn and ir[k] != inn[k]]
        if changed:
            print(f"note: inputs differ between the runs (sha256): {', '.join(changed)}; outputs cannot be expected equal")
    for job in job_names:
        for f in FILES:
            pa, pb = ref / job / f, new / job / f
            if not pa.is_file():
                line(job, f, "missing in the reference")
                continue
            if not pb.is_file():
                line(job, f, f"missing in {new / job}")
                continue
            if f.endswith(".onnx"):
                line(job, f, compare_onnx(pa, pb, not a.json_only))
            else:
                line(job, f, compare_json(pa, pb, f == "report.json", not a.json_only))
    print(f"report.json: the job's --calib path replaced by {CALIB_PLACEHOLDER}; fields ignored: "
          f"{', '.join('.'.join(p) for p in REPORT_IGNORED) or 'none'}")
    print(f"{passed} passed, {failed} failed")
    return 1 if failed else 0


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    sub = ap.add_subparsers(dest="cmd", required=True)
    r = sub.add_parser("run", help="run the quantize jobs into DIR/<job>/")
    r.add_argument("--lowbit", required=True, help="the lowbit CLI binary")
    r.add_argument("--out", required=True, help="output folder")
    r.add_argument("--pretrained", default=str(ROOT / "build" / "pretrained"), help="scripts/fetch-pretrained.sh's folder")
    r.add_argument("--only", nargs="+", help="run only these jobs")
    r.add_argument("--threads", type=int, default=THREADS, help=f"lowbit --threads for every job (default {THREADS})")
    c = sub.add_parser("compare", help="compare two run folders")
    c.add_argument("ref")
    c.add_argument("new")
    c.add_argument("--json-only", action="store_true",
                   help="accept files that are equal as models / JSON but differ in their bytes")
    a = ap.parse_args()
    return cmd_run(a) if a.cmd == "run" else cmd_compare(a)


if __name__ == "__main__":
    sys.exit(main())
