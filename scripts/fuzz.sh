#!/usr/bin/env bash
# Builds the loader fuzzer with clang and runs it: scripts/fuzz.sh [SECONDS] (default 900).
# The seed corpus is every model.onnx of Debian's libonnx-testdata; findings land in fuzz-corpus/findings/.
set -euo pipefail
cd "$(dirname "$0")/.."
seconds="${1:-900}"
cmake -S . -B build-fuzz -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCMAKE_C_COMPILER=clang \
  -DCMAKE_CXX_COMPILER=clang++ -DLOWBIT_FUZZ=ON -DLOWBIT_BUILD_GUI=OFF -DLOWBIT_BUILD_TESTS=ON >/dev/null
cmake --build build-fuzz --target fuzz_load_model
mkdir -p fuzz-corpus/seed fuzz-corpus/work fuzz-corpus/findings
if [ -z "$(ls -A fuzz-corpus/seed)" ]; then
  find /usr/share/libonnx-testdata/data -name model.onnx | while read -r m; do
    cp "$m" "fuzz-corpus/seed/$(echo "$m" | md5sum | cut -c1-16).onnx"
  done
fi
build-fuzz/tests/fuzz/fuzz_load_model fuzz-corpus/work fuzz-corpus/seed \
  -max_total_time="$seconds" -max_len=65536 -timeout=10 -rss_limit_mb=4096 \
  -artifact_prefix=fuzz-corpus/findings/ -print_final_stats=1
