#!/usr/bin/python3
"""Lowbit W8A8 against PyTorch's FX post-training quantization on several calibration sets.

A single calibration set decides top-1 differences of a few test images either way (0.1 point = 10 of
the 10k test images), so both tools are calibrated on the same K disjoint blocks of 512 training images
(block k = images 512k .. 512k+511) and evaluated on the 10k test set; the table gives each tool's drop per
block and the mean drop with its standard error. Lowbit runs `lowbit quantize` with
examples/configs/fashion_mnist.yaml (percentile unless --algorithm), PyTorch bench/torch_ptq.py's
fbgemm-qconfig FX PTQ, whose drop is given twice: with argmax (ties to the lower class) and with tied top
scores split (see bench/torch_ptq.py); Lowbit's outputs stay float, so they have no ties.

    /usr/bin/python3 bench/ptq_vs_torch.py [--lowbit build/app/lowbit] [--blocks 5] [--models cnn resnet ...]
"""
import argparse
import json
import shlex
import subprocess
import sys
import tempfile
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))
sys.path.insert(0, str(ROOT / "bench" / "models"))
from fashion_mnist import load_split_numpy  # noqa: E402
from torch_ptq import setup_engine, torch_ptq  # noqa: E402


def lowbit_fidelity(lowbit: str, model: str, qdq: Path, test_x: Path) -> dict:
    """Predictions changed against FP32 and the logits' SQNR over the test set (`lowbit compare`)."""
    r = subprocess.run([lowbit, "compare", str(ROOT / "examples" / "models" / f"{model}.onnx"), str(qdq), "--data", str(test_x),
                        "--num-samples", "0", "--json"], capture_output=True, text=True)
    if r.returncode != 0:
        raise RuntimeError(f"lowbit compare {model}: {r.stderr.strip()}")
    out = json.loads(r.stdout)[0]
    agree = out["top1_agreement"]
    return {"changed": float(agree["rows"] - agree["agreeing"]), "sqnr_db": out["sqnr_db"]}


def lowbit_drop(lowbit: str, model: str, calib: Path, out: Path, extra: list[str]) -> tuple[float, float]:
    r = subprocess.run([lowbit, "quantize", str(ROOT / "examples" / "models" / f"{model}.onnx"),
                        "--config", str(ROOT / "examples" / "configs" / "fashion_mnist.yaml"), "--calib", str(calib),
                        "--error-samples", "0", "-o", str(out), "--json", "--quiet", *extra],
                       capture_output=True, text=True)
    if r.returncode != 0:
        raise RuntimeError(f"lowbit quantize {model}: {r.stderr.strip()}")
    acc = json.loads(r.stdout)["accuracy"]
    return acc["top1_before"], acc["top1_after"]


def mean_se(v: list[float]) -> tuple[float, float]:
    a = np.asarray(v, dtype=np.float64)
    return float(a.mean()), float(a.std(ddof=1) / np.sqrt(len(a))) if len(a) > 1 else 0.0


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--lowbit", default=str(ROOT / "build" / "app" / "lowbit"))
    ap.add_argument("--models", nargs="*", default=["cnn", "resnet", "mobilenetv2", "vit"])
    ap.add_argument("--blocks", type=int, default=5)
    ap.add_argument("--size", type=int, default=512)
    ap.add_argument("--algorithm", default="percentile")
    ap.add_argument("--extra", default="", help="more lowbit quantize flags, e.g. '--set advanced.weight_rounding=gptq'")
    ap.add_argument("--json", help="write the figures here too")
    args = ap.parse_args()
    engine = setup_engine()
    xtr, _ = load_split_numpy("train")
    x, y = load_split_numpy("t10k")
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        blocks = []
        for k in range(args.blocks):
            p = tmp / f"block{k}.npy"
            np.save(p, xtr[k * args.size:(k + 1) * args.size])
            blocks.append(p)
        print(f"W8A8 drops (FP32 - INT8 top-1, points) on {args.blocks} calibration blocks of {args.size} training images; "
              f"Lowbit {args.algorithm}, PyTorch FX fbgemm qconfig on {engine}")
        test_x = tmp / "test_x.npy"
        np.save(test_x, x)
        print("| model | tool | drop per block | mean drop ± s.e. | predictions changed (mean) | logit SQNR dB (mean) |")
        print("| --- | --- | --- | --- | --- | --- |")
        for model in args.models:
            ours, theirs, split, fid_ours, fid_theirs, fid_argmax = [], [], [], [], [], []
            for k, p in enumerate(blocks):
                fp, q = lowbit_drop(args.lowbit, model, p, tmp / f"{model}{k}", ["--algorithm", args.algorithm, *shlex.split(args.extra)])
                ours.append(fp - q)
                fid_ours.append(lowbit_fidelity(args.lowbit, model, tmp / f"{model}{k}" / "model_qdq.onnx", test_x))
                t = torch_ptq(model, xtr[k * args.size:(k + 1) * args.size], x, y)
                theirs.append(t["fp32"] - t["int8"])
                split.append(t["fp32"] - t["int8_ties_split"])
                fid_theirs.append({"changed": t["changed"], "sqnr_db": t["sqnr_db"]})
                fid_argmax.append({"changed": float(t["changed_argmax"]), "sqnr_db": t["sqnr_db"]})
            for tool, d, fid in (("Lowbit", ours, fid_ours), ("PyTorch (argmax)", theirs, fid_argmax),
                                 ("PyTorch (ties split)", split, fid_theirs)):
                m, se = mean_se(d)
                changed = np.mean([f["changed"] for f in fid])
                sqnr = np.mean([f["sqnr_db"] for f in fid])
                print(f"| {model} | {tool} | {' '.join(f'{v:+.2f}' for v in d)} | {m:+.3f} ± {se:.3f} | {changed:.1f} | {sqnr:.2f} |",
                      flush=True)
            rows.append({"model": model, "lowbit": ours, "pytorch": theirs, "pytorch_ties_split": split,
                         "lowbit_fidelity": fid_ours, "pytorch_fidelity": fid_theirs})
    if args.json:
        Path(args.json).write_text(json.dumps(rows, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
