#!/usr/bin/env bash
# Installs every Debian 12 package that Lowbit's build, tests, benchmarks and studio need.
# Idempotent and non-interactive; run as root (or through sudo).
set -euo pipefail

packages=(
  # build
  build-essential cmake ninja-build pkg-config git clang-format
  # core libraries
  libprotobuf-dev protobuf-compiler libonnx-dev libeigen3-dev libdnnl-dev libyaml-cpp-dev nlohmann-json3-dev libcli11-dev
  zlib1g-dev libzip-dev libpng-dev libjpeg62-turbo-dev
  # studio (Qt 6, charts, Graphviz layout, CJK font)
  qt6-base-dev libqt6opengl6-dev qt6-charts-dev qt6-tools-dev qt6-tools-dev-tools qt6-l10n-tools qt6-svg-dev
  qt6-translations-l10n libgraphviz-dev graphviz fonts-noto-cjk
  # tests: GoogleTest, the ONNX backend test data, fuzzing (clang + libFuzzer runtime), screenshots
  libgtest-dev libgmock-dev libonnx-testdata clang libclang-rt-14-dev xvfb xauth x11-utils imagemagick
  # example models and peer comparisons: PyTorch, numpy, onnx for Python, Fashion-MNIST
  python3 python3-torch python3-numpy python3-onnx python3-pil dataset-fashion-mnist
)
# Node.js and npm run ONNX Runtime (npm onnxruntime-node) for comparisons; use the machine's own if present
if ! command -v node >/dev/null || ! command -v npm >/dev/null; then packages+=(nodejs npm); fi

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done

if [ ${#missing[@]} -eq 0 ]; then
  echo "install-deps: all ${#packages[@]} packages are installed"
  exit 0
fi

SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
echo "install-deps: installing ${#missing[@]} packages: ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y --no-install-recommends "${missing[@]}"
