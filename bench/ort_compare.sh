#!/usr/bin/env bash
# Lowbit vs ONNX Runtime (npm onnxruntime-node) on the same models, alternating, at batch 1 and 64 and
# 1 and 2 threads; prints throughput of each and the Lowbit/ORT ratio.
#   bench/ort_compare.sh [--seconds S] [MODEL.onnx ...]     (default: examples/models/*.onnx)
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=3
if [ "${1:-}" = "--seconds" ]; then seconds=$2; shift 2; fi
models=("$@")
[ ${#models[@]} -gt 0 ] || models=(examples/models/*.onnx)
lowbit=${LOWBIT:-build/app/lowbit}
[ -x "$lowbit" ] || { echo "ort_compare: build Lowbit first ($lowbit not found)" >&2; exit 2; }
if [ ! -d tools/ort/node_modules/onnxruntime-node ]; then
  (cd tools/ort && ONNXRUNTIME_NODE_INSTALL=skip npm ci --silent)
fi
echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs); $(date -u +%F)"
printf '%-28s %6s %7s %14s %14s %8s %14s\n' model batch threads "lowbit/s" "ort/s" ratio "lowbit peak"
for m in "${models[@]}"; do
  for batch in 1 64; do
    for threads in 1 2; do
      l=$(OMP_NUM_THREADS=$threads "$lowbit" bench "$m" --batch "$batch" --threads "$threads" --seconds "$seconds" --json)
      o=$(node tools/ort/bench.mjs "$m" --batch "$batch" --threads "$threads" --seconds "$seconds")
      lt=$(echo "$l" | /usr/bin/python3 -c 'import json,sys; print(json.load(sys.stdin)["throughput_per_s"])')
      lm=$(echo "$l" | /usr/bin/python3 -c 'import json,sys; d=json.load(sys.stdin); print("%.1f MiB" % d["peak_activation_mb"])')
      ot=$(echo "$o" | /usr/bin/python3 -c 'import json,sys; print(json.load(sys.stdin)["throughput_per_s"])')
      printf '%-28s %6s %7s %14.1f %14.1f %8.2f %14s\n' "$(basename "$m")" "$batch" "$threads" "$lt" "$ot" \
        "$(/usr/bin/python3 -c "print($lt/$ot)")" "$lm"
    done
  done
done
