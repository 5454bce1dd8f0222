#!/usr/bin/python3
"""Check that `lowbit eval` gives PyTorch's top-1 on the first N Fashion-MNIST test images.

usage: tests/cli/eval_matches_pytorch.py --lowbit build/app/lowbit [--limit 1000] [--tolerance 0.05]
                                         [--models-dir examples/models] [--dataset-dir DIR] [NAME ...]

For each example model NAME (default: every model in accuracy.json) it runs
`lowbit eval MODELS_DIR/NAME.onnx --limit N --json` with the models' preprocessing spec
and compares top-1 with "pytorch_top1_first<N>" from MODELS_DIR/accuracy.json, which
bench/models/torch_eval.py measured in PyTorch. Pass if they differ by at most
--tolerance percentage points (on 1000 images one image is 0.1 points, so the default
0.05 asks for the same count of correct images).

Exit status: 0 all match, 1 a mismatch or a failed run, 2 bad arguments or missing files.
"""

import argparse
import json
import subprocess
import sys
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[2]


def main(argv: list) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--lowbit", type=Path, required=True, help="the lowbit executable")
    parser.add_argument("--models-dir", type=Path, default=REPO_ROOT / "examples" / "models")
    parser.add_argument("--dataset-dir", type=Path, default=Path("/usr/share/datasets/fashion-mnist"),
                        help="Fashion-MNIST IDX files (Debian package dataset-fashion-mnist)")
    parser.add_argument("--limit", type=int, default=1000, help="first N test images (default 1000)")
    parser.add_argument("--tolerance", type=float, default=0.05, help="percentage points (default 0.05)")
    parser.add_argument("--timeout", type=float, default=600, help="seconds per model (default 600)")
    parser.add_argument("models", nargs="*", metavar="NAME")
    args = parser.parse_args(argv)

    def usage_error(message: str) -> int:
        print(f"eval_matches_pytorch: error: {message}", file=sys.stderr)
        return 2

    accuracy_path = args.models_dir / "accuracy.json"
    images = args.dataset_dir / "t10k-images-idx3-ubyte.gz"
    labels = args.dataset_dir / "t10k-labels-idx1-ubyte.gz"
    preprocess = args.models_dir / "fashion_mnist.preprocess.yaml"
    for path in (accuracy_path, images, labels, preprocess):
        if not path.is_file():
            return usage_error(f"file not found: {path}")
    if not args.lowbit.is_file():
        return usage_error(f"--lowbit: not a file: {args.lowbit}")
    accuracy = json.loads(accuracy_path.read_text())
    key = f"pytorch_top1_first{args.limit}"
    names = args.models or list(accuracy)
    for name in names:
        if key not in accuracy.get(name, {}):
            return usage_error(f"{accuracy_path} has no '{key}' for '{name}'; "
                               f"run bench/models/torch_eval.py (it measures the first 1000 images)")
        if not (args.models_dir / f"{name}.onnx").is_file():
            return usage_error(f"model file not found: {args.models_dir / f'{name}.onnx'}")

    print(f"{'model':<12} {'lowbit top-1':>12} {'PyTorch top-1':>13} {'diff':>6}  result  "
          f"(first {args.limit} test images, tolerance {args.tolerance} points)")
    failed = []
    for name in names:
        cmd = [str(args.lowbit), "eval", str(args.models_dir / f"{name}.onnx"), "--data", str(images),
               "--labels", str(labels), "--preprocess", str(preprocess), "--limit", str(args.limit), "--json"]
        expected = accuracy[name][key]
        try:
            proc = subprocess.run(cmd, capture_output=True, text=True, timeout=args.timeout)
        except subprocess.TimeoutExpired:
            print(f"{name:<12} {'-':>12} {expected:13.2f} {'-':>6}  "
                  f"FAIL (timed out after {args.timeout:g} s)")
            failed.append(name)
            continue
        if proc.returncode != 0:
            detail = (proc.stderr.strip() or proc.stdout.strip() or "(no output)").splitlines()[-1]
            print(f"{name:<12} {'-':>12} {expected:13.2f} {'-':>6}  "
                  f"FAIL (lowbit eval exit {proc.returncode}: {detail})")
            failed.append(name)
            continue
        try:
            result = json.loads(proc.stdout)
            top1, samples = float(result["top1"]), int(result["samples"])
        except (ValueError, KeyError, TypeError) as e:
            print(f"{name:<12} FAIL (cannot read lowbit eval --json output: {e}): {proc.stdout[:200]!r}")
            failed.append(name)
            continue
        diff = top1 - expected
        ok = samples == args.limit and abs(diff) <= args.tolerance + 1e-9
        note = "" if samples == args.limit else f" ({samples} samples evaluated, expected {args.limit})"
        print(f"{name:<12} {top1:12.2f} {expected:13.2f} {diff:+6.2f}  {'PASS' if ok else 'FAIL'}{note}")
        if not ok:
            failed.append(name)
    if failed:
        print(f"eval_matches_pytorch: {len(failed)} of {len(names)} model(s) differ from PyTorch: "
              f"{', '.join(failed)}")
        return 1
    print(f"eval_matches_pytorch: all {len(names)} model(s) match PyTorch")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
