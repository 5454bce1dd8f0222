#!/usr/bin/python3
"""PyTorch's own post-training quantization on the example models, for comparison with Lowbit.

FX graph mode, the fbgemm default qconfig (per-channel INT8 weights, histogram observer activations),
calibrated on the same first 512 training images examples/configs/fashion_mnist.yaml gives Lowbit, and
evaluated on the 10k test set. Prints FP32 and INT8 top-1 and the drop per model; PyTorch quantizes the
logits too (7-bit with fbgemm's reduce_range), so some test images get tied top scores, which argmax
gives to the lower class index; the "ties split" columns count a tie of k classes as 1/k instead.

    /usr/bin/python3 bench/torch_ptq.py [--models cnn resnet mobilenetv2 vit] [--json OUT.json]
"""
import argparse
import json
import sys
from pathlib import Path

import numpy as np
import torch
from torch.ao.quantization import get_default_qconfig_mapping
from torch.ao.quantization.quantize_fx import convert_fx, prepare_fx

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench" / "models"))
from fashion_mnist import load_split_numpy  # noqa: E402
from torch_models import load_from_onnx  # noqa: E402


def logits_of(model: torch.nn.Module, x: np.ndarray, batch: int = 500) -> np.ndarray:
    with torch.no_grad():
        return torch.cat([model(torch.from_numpy(x[i:i + batch])) for i in range(0, len(x), batch)]).numpy()


def top1(model: torch.nn.Module, x: np.ndarray, y: np.ndarray, batch: int = 500) -> float:
    return 100.0 * float((logits_of(model, x, batch).argmax(1) == y).mean())


def top1_ties_split(logits: np.ndarray, y: np.ndarray) -> float:
    """Top-1 with tied top scores counted as 1/k each: argmax's first-index rule decides ties in favour of
    the lower class, which on 8-bit (here 7-bit) quantized logits is a hundred test images."""
    top = logits.max(1, keepdims=True)
    tied = logits == top
    return 100.0 * float((tied[np.arange(len(y)), y] / tied.sum(1)).mean())


def fidelity(fp: np.ndarray, q: np.ndarray) -> dict:
    """How far quantized logits are from the FP32 ones, which a 10k test set resolves far better than a top-1
    difference: predictions changed (ties split: a k-way tie that includes the FP32 class counts 1 - 1/k) and
    the logits' SQNR in dB."""
    ref = fp.argmax(1)
    top = q.max(1, keepdims=True)
    tied = q == top
    changed = float((1.0 - tied[np.arange(len(ref)), ref] / tied.sum(1)).sum())
    sqnr = 10.0 * np.log10(float((fp.astype(np.float64) ** 2).sum()) / float(((fp.astype(np.float64) - q) ** 2).sum()))
    return {"changed": changed, "changed_argmax": int((q.argmax(1) != ref).sum()), "sqnr_db": sqnr}


def setup_engine() -> str:
    # Debian's torch is built without FBGEMM: the fbgemm qconfig (per-channel weights, histogram observers,
    # reduce_range) runs on the oneDNN quantized engine, the other x86 backend
    torch.manual_seed(0)
    torch.set_num_threads(2)
    engine = "fbgemm" if "fbgemm" in torch.backends.quantized.supported_engines else "onednn"
    torch.backends.quantized.engine = engine
    return engine


def torch_ptq(name: str, calib: np.ndarray, x: np.ndarray, y: np.ndarray) -> dict:
    """FP32 and FX-PTQ INT8 top-1 of one example model calibrated on `calib` (argmax, and ties split)."""
    model = load_from_onnx(name, ROOT / "examples" / "models" / f"{name}.onnx").eval()
    fp_logits = logits_of(model, x)
    fp32 = 100.0 * float((fp_logits.argmax(1) == y).mean())
    example = (torch.from_numpy(calib[:1]),)
    prepared = prepare_fx(model, get_default_qconfig_mapping("fbgemm"), example)
    with torch.no_grad():
        for i in range(0, len(calib), 64):
            prepared(torch.from_numpy(calib[i:i + 64]))
    logits = logits_of(convert_fx(prepared), x)
    top2 = np.sort(logits, 1)[:, -2:]
    return {"fp32": fp32, "int8": 100.0 * float((logits.argmax(1) == y).mean()), "int8_ties_split": top1_ties_split(logits, y),
            "tied": int((top2[:, 0] == top2[:, 1]).sum()), **fidelity(fp_logits, logits)}


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--models", nargs="*", default=["cnn", "resnet", "mobilenetv2", "vit"])
    ap.add_argument("--calib", type=int, default=512)
    ap.add_argument("--json", help="write the figures here too")
    args = ap.parse_args()
    engine = setup_engine()
    xtr, _ = load_split_numpy("train")
    calib = xtr[:args.calib]
    x, y = load_split_numpy("t10k")
    rows = []
    print(f"torch {torch.__version__}, FX PTQ, qconfig fbgemm default, engine {engine}, {args.calib} calibration images")
    print("| model | FP32 top-1 | PyTorch INT8 top-1 | drop | tied top scores | INT8 top-1, ties split | drop, ties split "
          "| predictions changed (argmax) | predictions changed (ties split) | logit SQNR dB |")
    print("| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |")
    for name in args.models:
        r = torch_ptq(name, calib, x, y)
        rows.append({"model": name, **r, "drop": r["fp32"] - r["int8"], "drop_ties_split": r["fp32"] - r["int8_ties_split"]})
        print(f"| {name} | {r['fp32']:.2f} | {r['int8']:.2f} | {r['fp32'] - r['int8']:+.2f} | {r['tied']} | "
              f"{r['int8_ties_split']:.2f} | {r['fp32'] - r['int8_ties_split']:+.2f} | {r['changed_argmax']} | {r['changed']:.1f} | {r['sqnr_db']:.2f} |",
              flush=True)
    if args.json:
        Path(args.json).write_text(json.dumps(rows, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
