#!/usr/bin/python3
"""Peak RSS and wall time of `lowbit quantize` with the defaults on the pretrained PaddleOCR PP-OCRv4
recognizer (200 rendered text lines, 3x48x320) and detector (20 rendered text pages, 3x640x640).

The calibration data is made here (fixed seeds, so every run sees the same bytes): the recognizer's lines
with bench/pretrained_ptq.py's make_lines/dataset ((x/255 - 0.5)/0.5), the detector's pages as paragraphs
of those lines drawn with Pillow on a light background, normalised as PaddleOCR's detector does
((x/255 - mean)/std with ImageNet mean and std, NCHW float32). Each quantize runs in a fresh process;
its peak RSS is getrusage of the child (as bench/calib_memory.py reads it).

    /usr/bin/python3 bench/quantize_memory.py --lowbit build/app/lowbit --pretrained build/pretrained
        [--models rec det] [--keep DIR] [--extra='--batch-size 8']

--keep DIR leaves the data and each model's outputs (calibration.json, model_qdq.onnx) in DIR, to compare
two builds' outputs byte for byte. Needs scripts/fetch-pretrained.sh and python3-pil.
"""
import argparse
import random
import shlex
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
from PIL import Image, ImageDraw, ImageFont

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))
from pretrained_ptq import FONTS, dataset, make_lines  # noqa: E402

MEAN = np.array([0.485, 0.456, 0.406], np.float32).reshape(3, 1, 1)
STD = np.array([0.229, 0.224, 0.225], np.float32).reshape(3, 1, 1)


def detector_pages(n: int, seed: int, size: int = 640) -> np.ndarray:
    rng = random.Random(seed)
    pages = []
    for _ in range(n):
        bg = tuple(rng.randint(215, 255) for _ in range(3))
        img = Image.new("RGB", (size, size), bg)
        draw = ImageDraw.Draw(img)
        y = rng.randint(10, 40)
        while y < size - 40:
            font = ImageFont.truetype(rng.choice(FONTS[:2]), rng.randint(18, 34))
            line = make_lines(1, rng.randint(0, 1 << 30))[0]
            fg = tuple(rng.randint(0, 70) for _ in range(3))
            draw.text((rng.randint(10, 80), y), line, font=font, fill=fg)
            y += int(font.size * rng.uniform(1.4, 2.2))
        x = np.asarray(img, dtype=np.float32).transpose(2, 0, 1) / 255.0
        pages.append((x - MEAN) / STD)
    return np.stack(pages).astype(np.float32)


def measure(cmd: list[str]) -> tuple[float, float]:
    """(peak RSS in MiB, wall seconds) of `cmd` run in a fresh child of a fresh interpreter."""
    probe = ("import resource, subprocess, sys, time; t = time.monotonic(); r = subprocess.run(sys.argv[1:], capture_output=True); "
             "t = time.monotonic() - t; sys.stderr.write(r.stderr.decode()) if r.returncode else None; "
             "print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss if r.returncode == 0 else -1, t)")
    out = subprocess.run([sys.executable, "-c", probe, *cmd], capture_output=True, text=True, check=True)
    kib, secs = out.stdout.split()
    if int(kib) < 0:
        raise RuntimeError(f"failed: {' '.join(cmd)}\n{out.stderr}")
    return int(kib) / 1024.0, float(secs)


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--lowbit", default=str(ROOT / "build" / "app" / "lowbit"))
    ap.add_argument("--pretrained", default=str(ROOT / "build" / "pretrained"))
    ap.add_argument("--models", nargs="*", choices=["rec", "det"], default=["rec", "det"])
    ap.add_argument("--keep", default=None, help="folder for the data and the outputs (default: a temporary one)")
    ap.add_argument("--extra", default="", help="more lowbit quantize arguments, one string")
    args = ap.parse_args()
    pre = Path(args.pretrained)
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(args.keep or tmp)
        work.mkdir(parents=True, exist_ok=True)
        jobs = {"rec": ("PP-OCRv4 rec", pre / "paddleocr-v4-rec.onnx", "200 lines 3x48x320"),
                "det": ("PP-OCRv4 det", pre / "paddleocr-v4-det.onnx", "20 pages 3x640x640")}
        for key in args.models:
            label, model, what = jobs[key]
            data = work / f"{key}_calib.npy"
            if not data.exists():
                x = dataset(make_lines(200, 1), 11) if key == "rec" else detector_pages(20, 21)
                np.save(data, x)
            cmd = [args.lowbit, "quantize", str(model), "--calib", str(data), "-o", str(work / f"{key}_out"), "--quiet",
                   *shlex.split(args.extra)]
            mib, secs = measure(cmd)
            print(f"{label:14s} {what:20s} peak RSS {mib:8.1f} MiB  wall {secs:7.1f} s", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
