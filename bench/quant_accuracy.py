#!/usr/bin/python3
"""Quantization accuracy of the example models: every calibration algorithm at W8A8 and INT4 weights.

For each model and setting: `lowbit quantize` (the config's first 512 training images, or --calib; the 10k
test set for top-1 before and after), the exported QDQ model's top-1 in ONNX Runtime (tools/ort/eval.mjs)
beside our simulation's, and its fidelity to FP32 on the test set (`lowbit compare`: predictions changed,
logit SQNR), which resolves differences a top-1 of 10k images cannot. Prints a Markdown table
(docs/ACCURACY.md holds a copy).

    /usr/bin/python3 bench/quant_accuracy.py [--lowbit build/app/lowbit] [--models cnn resnet ...] [--calib X.npy]
"""
import argparse
import json
import shlex
import subprocess
import sys
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench" / "models"))
from fashion_mnist import load_split_numpy  # noqa: E402

SETTINGS = [
    ("W8A8 minmax", ["--algorithm", "minmax"]),
    ("W8A8 percentile", ["--algorithm", "percentile"]),
    ("W8A8 kl", ["--algorithm", "kl"]),
    ("W8A8 mse", ["--algorithm", "mse"]),
    ("W8A8 ifmr", ["--algorithm", "ifmr"]),
    ("W8A8 percentile+bc (bias correction on)", ["--algorithm", "percentile", "--set", "advanced.bias_correction=true"]),
    ("W4A8 gptq (INT4 weights; the defaults: min/max weight ranges, GPTQ rounding, bias correction)",
     ["--algorithm", "mse", "--weight-bit", "4"]),
    ("W4A8 gptq-mse (INT4, MSE weight ranges, GPTQ rounding, bias correction)",
     ["--algorithm", "mse", "--weight-bit", "4", "--weight-algorithm", "mse"]),
    ("W4A8 nearest (INT4, MSE weight ranges, nearest rounding, bias correction)",
     ["--algorithm", "mse", "--weight-bit", "4", "--weight-algorithm", "mse", "--set", "advanced.weight_rounding=nearest"]),
    ("W4A8 nearest-bc (INT4, MSE weight ranges, nearest rounding, no bias correction)",
     ["--algorithm", "mse", "--weight-bit", "4", "--weight-algorithm", "mse", "--set", "advanced.weight_rounding=nearest",
      "--set", "advanced.bias_correction=false"]),
    ("W8A8 percentile+gptq (GPTQ rounding of INT8 weights)",
     ["--algorithm", "percentile", "--set", "advanced.weight_rounding=gptq"]),
]


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--lowbit", default=str(ROOT / "build" / "app" / "lowbit"))
    ap.add_argument("--models", nargs="*", default=["cnn", "resnet", "mobilenetv2", "vit"])
    ap.add_argument("--settings", nargs="*", help="subset of setting names (prefix match)")
    ap.add_argument("--out", default=str(ROOT / "build" / "quant-accuracy"))
    ap.add_argument("--no-ort", action="store_true")
    ap.add_argument("--calib", help="calibration data instead of the config's (e.g. another block of training images)")
    ap.add_argument("--extra", default="", help="more lowbit quantize flags for every setting, e.g. '--set advanced.weight_rounding=gptq'")
    args = ap.parse_args()
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    x, y = load_split_numpy("t10k")
    np.save(out / "test_x.npy", x)
    np.save(out / "test_y.npy", y)
    ort_dir = ROOT / "tools" / "ort"
    if not args.no_ort and not (ort_dir / "node_modules" / "onnxruntime-node").exists():
        subprocess.run(["npm", "ci", "--silent"], cwd=ort_dir, check=True, env={"ONNXRUNTIME_NODE_INSTALL": "skip", "PATH": "/usr/bin:/bin"})
    settings = [s for s in SETTINGS if not args.settings or any(s[0].startswith(p) for p in args.settings)]
    print("| model | setting | FP32 top-1 | Lowbit top-1 | drop | ORT top-1 (QDQ) | ORT - Lowbit | predictions changed | logit SQNR dB |")
    print("| --- | --- | --- | --- | --- | --- | --- | --- | --- |")
    rows = []
    for model in args.models:
        for name, flags in settings:
            dest = out / f"{model}_{name.split()[0]}_{name.split()[1]}"
            cmd = [args.lowbit, "quantize", str(ROOT / "examples" / "models" / f"{model}.onnx"),
                   "--config", str(ROOT / "examples" / "configs" / "fashion_mnist.yaml"),
                   "-o", str(dest), "--json", "--quiet", *flags, *(["--calib", args.calib] if args.calib else []), *shlex.split(args.extra)]
            r = subprocess.run(cmd, capture_output=True, text=True)
            if r.returncode != 0:
                print(f"| {model} | {name} | failed: {r.stderr.strip()} |||||", flush=True)
                continue
            rep = json.loads(r.stdout)
            acc = rep["accuracy"]
            ort = float("nan")
            if not args.no_ort:
                o = subprocess.run(["node", str(ort_dir / "eval.mjs"), str(dest / "model_qdq.onnx"), "--data", str(out / "test_x.npy"),
                                    "--labels", str(out / "test_y.npy"), "--threads", "2"], capture_output=True, text=True)
                if o.returncode == 0:
                    ort = json.loads(o.stdout)["top1"]
                else:
                    print(f"ORT failed on {dest}: {o.stderr.strip()}", file=sys.stderr)
            # fidelity to FP32 on the test set: predictions changed and the logits' SQNR (lowbit compare)
            c = subprocess.run([args.lowbit, "compare", str(ROOT / "examples" / "models" / f"{model}.onnx"), str(dest / "model_qdq.onnx"),
                                "--data", str(out / "test_x.npy"), "--num-samples", "0", "--json"], capture_output=True, text=True)
            changed, sqnr = float("nan"), float("nan")
            if c.returncode == 0:
                cmp = json.loads(c.stdout)[0]
                changed, sqnr = cmp["top1_agreement"]["rows"] - cmp["top1_agreement"]["agreeing"], cmp["sqnr_db"]
            drop = acc["top1_before"] - acc["top1_after"]
            rows.append({"model": model, "setting": name, "fp32": acc["top1_before"], "lowbit": acc["top1_after"], "drop": drop, "ort": ort,
                         "changed": changed, "sqnr_db": sqnr})
            print(f"| {model} | {name} | {acc['top1_before']:.2f} | {acc['top1_after']:.2f} | {drop:+.2f} | {ort:.2f} | {ort - acc['top1_after']:+.2f} "
                  f"| {changed} | {sqnr:.2f} |", flush=True)
    (out / "results.json").write_text(json.dumps(rows, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
