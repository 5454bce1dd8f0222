#!/usr/bin/env bash
# The README's first command: install what Lowbit needs, build it, and run the main job on a bundled
# example: quantize the example CNN to W8A8 (512 Fashion-MNIST training images from Debian's
# dataset-fashion-mnist) and print its accuracy on the 10,000 test images before and after. When a
# display is available, the studio then opens on the same example; on a headless machine the CLI summary
# is all there is.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-deps.sh
cmake -S . -B build -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo
cmake --build build --parallel "$(nproc)"
echo
echo "== lowbit info examples/models/cnn.onnx"
build/app/lowbit info examples/models/cnn.onnx
echo
echo "== lowbit quantize examples/models/cnn.onnx --config examples/configs/fashion_mnist.yaml -o build/demo"
build/app/lowbit quantize examples/models/cnn.onnx --config examples/configs/fashion_mnist.yaml -o build/demo
if [ -n "${DISPLAY:-}${WAYLAND_DISPLAY:-}" ] && [ -x build/app/studio/lowbit-studio ] && [ -z "${LOWBIT_NO_STUDIO:-}" ]; then
  echo
  echo "== opening the studio on examples/projects/cnn.yaml (Run > Quantize paints the per-layer error)"
  build/app/studio/lowbit-studio examples/projects/cnn.yaml &
fi
