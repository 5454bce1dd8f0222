#!/usr/bin/env bash
# INT8 against FP32 in ONNX Runtime: each example model quantized by Lowbit (W8A8, QDQ) and its FP32
# original, run alternately at batch 64, 1 thread; prints throughputs and the INT8/FP32 speed-up.
#   bench/ort_int8_speed.sh [--seconds S] [--rounds R] [MODEL ...]   (default: cnn resnet mobilenetv2 vit)
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=3 rounds=3
while [ $# -gt 0 ]; do
  case "$1" in
    --seconds) seconds=$2; shift 2 ;;
    --rounds) rounds=$2; shift 2 ;;
    *) break ;;
  esac
done
models=("$@")
[ ${#models[@]} -gt 0 ] || models=(cnn resnet mobilenetv2 vit)
lowbit=${LOWBIT:-build/app/lowbit}
[ -x "$lowbit" ] || { echo "ort_int8_speed: build Lowbit first ($lowbit not found)" >&2; exit 2; }
[ -d tools/ort/node_modules/onnxruntime-node ] || (cd tools/ort && ONNXRUNTIME_NODE_INSTALL=skip npm ci --silent)
out=${OUT:-build/ort-int8}
mkdir -p "$out"
echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs); $(date -u +%F)"
printf '%-14s %12s %12s %9s\n' model "fp32/s" "int8/s" speedup
tp() { node tools/ort/bench.mjs "$1" --batch 64 --threads 1 --seconds "$seconds" | /usr/bin/python3 -c 'import json,sys; print(json.load(sys.stdin)["throughput_per_s"])'; }
for m in "${models[@]}"; do
  "$lowbit" quantize "examples/models/$m.onnx" --config examples/configs/fashion_mnist.yaml --error-samples 0 \
    --set evaluation.data='""' -o "$out/$m" --quiet > /dev/null
  best_f=0 best_q=0
  for ((r = 0; r < rounds; r++)); do  # alternate, keep each side's best round
    f=$(tp "examples/models/$m.onnx"); q=$(tp "$out/$m/model_qdq.onnx")
    best_f=$(/usr/bin/python3 -c "print(max($best_f, $f))"); best_q=$(/usr/bin/python3 -c "print(max($best_q, $q))")
  done
  printf '%-14s %12.1f %12.1f %8.2fx\n' "$m" "$best_f" "$best_q" "$(/usr/bin/python3 -c "print($best_q/$best_f)")"
done
