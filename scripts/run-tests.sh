#!/usr/bin/env bash
# The README's second command: build with warnings as errors and run every test (ctest, 2 jobs).
set -euo pipefail
cd "$(dirname "$0")/.."
BUILD_DIR="${BUILD_DIR:-build}"
cmake -S . -B "$BUILD_DIR" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DLOWBIT_WERROR=ON
cmake --build "$BUILD_DIR" --parallel "$(nproc)"
export OMP_NUM_THREADS=1 QT_QPA_PLATFORM=offscreen
ctest --test-dir "$BUILD_DIR" --output-on-failure --parallel 2 --timeout 900
