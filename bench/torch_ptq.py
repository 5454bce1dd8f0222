#!/usr/bin/python3
"""PyTorch's own post-training quantization on the example models, for comparison with Lowbit.

FX graph mode, the fbgemm default qconfig (per-channel INT8 weights, histogram observer activations),
calibrated on the same first 512 training images examples/configs/fashion_mnist.yaml gives Lowbit, and
evaluated on the 10k test set. Prints FP32 and INT8 top-1 and the drop per model.

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


def top1(model: torch.nn.Module, x: np.ndarray, y: np.ndarray, batch: int = 500) -> float:
    correct = 0
    with torch.no_grad():
        for i in range(0, len(x), batch):
            logits = model(torch.from_numpy(x[i:i + batch]))
            correct += int((logits.argmax(1).numpy() == y[i:i + batch]).sum())
    return 100.0 * correct / len(x)


def setup_engine() -> str:
    # Debian's torch is built without FBGEMM: the fbgemm qconfig (per-channel weights, histogram observers,
    # reduce_range) runs on the oneDNN quantized engine, the other x86 backend
    torch.manual_seed(0)
    torch.set_num_threads(2)
    engine = "fbgemm" if "fbgemm" in torch.backends.quantized.supported_engines else "onednn"
    torch.backends.quantized.engine = engine
    return engine


def torch_ptq(name: str, calib: np.ndarray, x: np.ndarray, y: np.ndarray) -> tuple[float, float]:
    """FP32 and FX-PTQ INT8 top-1 of one example model calibrated on `calib`."""
    model = load_from_onnx(name, ROOT / "examples" / "models" / f"{name}.onnx").eval()
    fp32 = top1(model, x, y)
    example = (torch.from_numpy(calib[:1]),)
    prepared = prepare_fx(model, get_default_qconfig_mapping("fbgemm"), example)
    with torch.no_grad():
        for i in range(0, len(calib), 64):
            prepared(torch.from_numpy(calib[i:i + 64]))
    return fp32, top1(convert_fx(prepared), x, y)


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
    print("| model | FP32 top-1 | PyTorch INT8 top-1 | drop |")
    print("| --- | --- | --- | --- |")
    for name in args.models:
        fp32, int8 = torch_ptq(name, calib, x, y)
        rows.append({"model": name, "fp32": fp32, "int8": int8, "drop": fp32 - int8})
        print(f"| {name} | {fp32:.2f} | {int8:.2f} | {fp32 - int8:+.2f} |", flush=True)
    if args.json:
        Path(args.json).write_text(json.dumps(rows, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
