#!/usr/bin/python3
"""Evaluate the example models in PyTorch, loaded back from their ONNX files.

For each model: rebuild it with torch_models.load_from_onnx (eval mode, float32),
check its logits against ONNX Runtime's (tools/ort/run.mjs) on the 64-image
sample examples/data/fashion_mnist_test_64.npy (max |diff| must be < 1e-4), then
measure top-1/top-5 on the full Fashion-MNIST test set and on its first 1000
images, print a table, and write the figures into accuracy.json as
"pytorch_top1", "pytorch_top5", "pytorch_top1_first1000", "pytorch_top5_first1000"
(other keys are kept). `lowbit eval --limit 1000` is compared with the
first-1000 figures by the eval_matches_pytorch test.

Usage: /usr/bin/python3 bench/models/torch_eval.py [--models NAME ...] [--models-dir DIR]
           [--accuracy FILE] [--ort-dir DIR | --skip-ort-check] [--no-write]
"""

import argparse
import json
import subprocess
import sys
import tempfile
from pathlib import Path

import numpy as np
import torch

from fashion_mnist import DATASET_DIR, load_split_numpy
from torch_models import MODELS, load_from_onnx

REPO_ROOT = Path(__file__).resolve().parents[2]
SAMPLE = REPO_ROOT / "examples" / "data" / "fashion_mnist_test_64.npy"
ORT_TOLERANCE = 1e-4
FIRST_N = 1000


@torch.no_grad()
def evaluate(model: torch.nn.Module, x: np.ndarray, y: np.ndarray, batch: int = 1000) -> tuple[float, float]:
    """(top-1, top-5) accuracy in percent."""
    model.eval()
    top1 = top5 = 0
    for i in range(0, len(x), batch):
        top = model(torch.from_numpy(x[i:i + batch])).topk(5, dim=1).indices
        labels = torch.from_numpy(y[i:i + batch])[:, None]
        top1 += (top[:, :1] == labels).sum().item()
        top5 += (top == labels).any(dim=1).sum().item()
    return 100 * top1 / len(x), 100 * top5 / len(x)


@torch.no_grad()
def ort_max_diff(model: torch.nn.Module, onnx_path: Path, ort_dir: Path) -> float:
    """max |PyTorch logits - ONNX Runtime logits| on the 64-image sample."""
    with tempfile.TemporaryDirectory(prefix="torch_eval_") as tmp:
        cmd = ["node", str(ort_dir / "run.mjs"), str(onnx_path), "--input", f"input={SAMPLE}", "--out", tmp]
        proc = subprocess.run(cmd, capture_output=True, text=True)
        if proc.returncode != 0:
            raise RuntimeError(f"{' '.join(cmd)} failed ({proc.returncode}):\n{proc.stderr.strip()}")
        files = json.loads((Path(tmp) / "outputs.json").read_text())
        ref = np.load(Path(tmp) / files["logits"])
    out = model(torch.from_numpy(np.load(SAMPLE))).numpy()
    if out.shape != ref.shape:
        raise RuntimeError(f"{onnx_path}: PyTorch logits {out.shape}, ONNX Runtime {ref.shape}")
    return float(np.abs(out - ref).max())


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--models", nargs="+", choices=list(MODELS), default=list(MODELS))
    parser.add_argument("--models-dir", type=Path, default=REPO_ROOT / "examples" / "models")
    parser.add_argument("--accuracy", type=Path, help="default: MODELS_DIR/accuracy.json")
    parser.add_argument("--dataset-dir", type=Path, default=DATASET_DIR)
    parser.add_argument("--ort-dir", type=Path, default=REPO_ROOT / "tools" / "ort",
                        help="tools/ort with node_modules installed")
    parser.add_argument("--skip-ort-check", action="store_true",
                        help="do not compare with ONNX Runtime (no node needed)")
    parser.add_argument("--no-write", action="store_true", help="print only, leave accuracy.json alone")
    args = parser.parse_args()
    accuracy_path = args.accuracy or args.models_dir / "accuracy.json"
    if not args.skip_ort_check and not (args.ort_dir / "node_modules" / "onnxruntime-node").is_dir():
        parser.error(f"{args.ort_dir}/node_modules is missing: run "
                     f"'cd {args.ort_dir} && ONNXRUNTIME_NODE_INSTALL=skip npm ci', or pass --skip-ort-check")

    x, y = load_split_numpy("t10k", args.dataset_dir)
    results = json.loads(accuracy_path.read_text()) if accuracy_path.exists() else {}
    rows = []
    for name in args.models:
        onnx_path = args.models_dir / f"{name}.onnx"
        model = load_from_onnx(name, onnx_path)
        diff = None
        if not args.skip_ort_check:
            diff = ort_max_diff(model, onnx_path, args.ort_dir)
            if not diff < ORT_TOLERANCE:
                print(f"torch_eval: error: {name}: PyTorch and ONNX Runtime logits differ by {diff:.3g} "
                      f"(> {ORT_TOLERANCE:g}) on {SAMPLE.name}", file=sys.stderr)
                return 1
        top1, top5 = evaluate(model, x, y)
        top1_n, top5_n = evaluate(model, x[:FIRST_N], y[:FIRST_N])
        entry = results.setdefault(name, {})
        entry.update({"pytorch_top1": round(top1, 2), "pytorch_top5": round(top5, 2),
                      f"pytorch_top1_first{FIRST_N}": round(top1_n, 2),
                      f"pytorch_top5_first{FIRST_N}": round(top5_n, 2)})
        rows.append((name, entry.get("top1"), top1, top5, top1_n, top5_n, diff))

    print(f"PyTorch {torch.__version__}, float32, eval mode; Fashion-MNIST test set ({len(x)} images)\n")
    print(f"{'model':<12} {'trained':>8} {'top-1':>7} {'top-5':>7} {'top-1/1k':>9} {'top-5/1k':>9} "
          f"{'|torch-ORT|':>12}")
    for name, trained, top1, top5, top1_n, top5_n, diff in rows:
        trained_s = f"{trained:.2f}" if trained is not None else "-"
        diff_s = f"{diff:.2e}" if diff is not None else "skipped"
        print(f"{name:<12} {trained_s:>8} {top1:7.2f} {top5:7.2f} {top1_n:9.2f} {top5_n:9.2f} {diff_s:>12}")
    print("\ntrained: top-1 recorded at training time; /1k: first 1000 test images; "
          "|torch-ORT|: max abs logit difference on the 64-image sample")
    if not args.no_write:
        accuracy_path.write_text(json.dumps(results, indent=2) + "\n")
        print(f"wrote {accuracy_path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
