#!/usr/bin/python3
"""Peak memory of calibration against the number of samples: the observers keep fixed-size histograms
and the data is read batch by batch, so calibrating 2,000 samples should need no more memory than 100.

Runs `lowbit quantize` (no per-layer error, no evaluation) in a fresh process per sample count and reads
the process's peak RSS (getrusage of the child). Prints the figures and the ratio.

    /usr/bin/python3 bench/calib_memory.py [--lowbit build/app/lowbit] [--model examples/models/resnet.onnx]
"""
import argparse
import resource
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def peak_rss_mib(cmd: list[str]) -> float:
    probe = ("import resource, subprocess, sys; r = subprocess.run(sys.argv[1:], capture_output=True); "
             "sys.stderr.write(r.stderr.decode()) if r.returncode else None; "
             "print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss if r.returncode == 0 else -1)")
    out = subprocess.run([sys.executable, "-c", probe, *cmd], capture_output=True, text=True, check=True)
    kib = int(out.stdout.strip())
    if kib < 0:
        raise RuntimeError(f"failed: {' '.join(cmd)}\n{out.stderr}")
    return kib / 1024.0


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--lowbit", default=str(ROOT / "build" / "app" / "lowbit"))
    ap.add_argument("--model", default=str(ROOT / "examples" / "models" / "resnet.onnx"))
    ap.add_argument("--counts", type=int, nargs="*", default=[100, 2000])
    ap.add_argument("--batch-size", type=int, default=32)
    args = ap.parse_args()
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        for n in args.counts:
            cmd = [args.lowbit, "quantize", args.model, "--config", str(ROOT / "examples" / "configs" / "fashion_mnist.yaml"),
                   "--num-samples", str(n), "--batch-size", str(args.batch_size), "--error-samples", "0",
                   "--set", 'evaluation.data=""', "--threads", "1", "-o", f"{tmp}/q{n}", "--quiet"]
            rows.append((n, peak_rss_mib(cmd)))
    print(f"model {Path(args.model).name}, batch {args.batch_size}, calibration data: Fashion-MNIST training IDX (streamed)")
    for n, mib in rows:
        print(f"  {n:6d} samples  peak RSS {mib:7.1f} MiB")
    if len(rows) >= 2:
        print(f"  ratio {rows[-1][0]} / {rows[0][0]} samples: {rows[-1][1] / rows[0][1]:.3f}x")
    return 0


if __name__ == "__main__":
    sys.exit(main())
