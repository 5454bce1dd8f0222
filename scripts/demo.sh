#!/usr/bin/env bash
# The README's first command: install what Lowbit needs, build it, and run the main job on a bundled example.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-deps.sh
cmake -S . -B build -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo
cmake --build build --parallel "$(nproc)"
echo
echo "== lowbit info examples/models/cnn.onnx"
build/app/lowbit info examples/models/cnn.onnx
echo
echo "== lowbit eval examples/models/cnn.onnx on the Fashion-MNIST test set"
build/app/lowbit eval examples/models/cnn.onnx \
  --data /usr/share/datasets/fashion-mnist/t10k-images-idx3-ubyte.gz \
  --labels /usr/share/datasets/fashion-mnist/t10k-labels-idx1-ubyte.gz \
  --preprocess examples/models/fashion_mnist.preprocess.yaml
