#!/bin/bash
# What GPTQ weight rounding and bias correction cost at quantize time: `lowbit quantize` of each example
# model (and the pretrained PP-OCRv4 recognizer when fetched) with INT4 weights, rounding to nearest vs
# GPTQ vs GPTQ + bias correction, wall time and peak RSS of the whole command (calibration included, no
# per-layer error, no evaluation). Prints a Markdown table.
#   bash bench/quantize_time.sh [LOWBIT] [PRETRAINED_DIR]
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
LOWBIT="${1:-$ROOT/build/app/lowbit}"
PRETRAINED="${2:-$ROOT/build/pretrained}"
OUT="$(mktemp -d)"
trap 'rm -rf "$OUT"' EXIT

run() {  # run NAME MODEL CALIB ARGS... -> "seconds peak_MiB"
    local name=$1 model=$2 calib=$3
    shift 3
    /usr/bin/time -f "%e %M" -o "$OUT/time" "$LOWBIT" quantize "$model" --calib "$calib" -o "$OUT/$name" --quiet \
        --error-samples 0 --weight-bit 4 "$@" >/dev/null 2>"$OUT/err" ||
        { echo "failed: $name: $(tail -1 "$OUT/err")" >&2; echo "nan nan"; return; }
    awk '{ printf "%.1f %.0f", $1, $2 / 1024 }' "$OUT/time"
}

echo "| model | samples | nearest: s, MiB | GPTQ: s, MiB | GPTQ + bias correction: s, MiB |"
echo "| --- | --- | --- | --- | --- |"
CALIB="$OUT/calib.npy"
/usr/bin/python3 - "$ROOT" "$CALIB" <<'EOF'
import sys, numpy as np
sys.path.insert(0, sys.argv[1] + "/bench/models")
from fashion_mnist import load_split_numpy
x, _ = load_split_numpy("train")
np.save(sys.argv[2], x[:512])
EOF
row() {  # row LABEL MODEL CALIB SAMPLES EXTRA...
    local label=$1 model=$2 calib=$3 samples=$4
    shift 4
    read -r a1 a2 <<<"$(run n "$model" "$calib" --set advanced.weight_rounding=nearest --set advanced.bias_correction=false "$@")"
    read -r b1 b2 <<<"$(run g "$model" "$calib" --set advanced.weight_rounding=gptq --set advanced.bias_correction=false "$@")"
    read -r c1 c2 <<<"$(run gb "$model" "$calib" --set advanced.weight_rounding=gptq --set advanced.bias_correction=true "$@")"
    echo "| $label | $samples | $a1, $a2 | $b1, $b2 | $c1, $c2 |"
}
for m in cnn resnet mobilenetv2 vit; do
    row "$m" "$ROOT/examples/models/$m.onnx" "$CALIB" 512
done
REC="$PRETRAINED/paddleocr-v4-rec.onnx"
RCAL="$ROOT/build/pretrained-ptq-rec/calib.npy"
if [ -f "$REC" ] && [ -f "$RCAL" ]; then
    row "PP-OCRv4 rec" "$REC" "$RCAL" 128 --batch-size 16
else
    echo "(PP-OCRv4 rec skipped: run bench/pretrained_ptq.py --model rec first)" >&2
fi
