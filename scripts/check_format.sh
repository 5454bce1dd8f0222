#!/usr/bin/env bash
# The tree follows .clang-format: lists every C++ file clang-format would change and exits 1 if there is one.
#   bash scripts/check_format.sh          # check (CI runs it as the ctest test check_format)
#   bash scripts/check_format.sh --fix    # format the files in place
set -euo pipefail
cd "$(dirname "$0")/.."
command -v clang-format >/dev/null || { echo "check_format: clang-format is not installed (scripts/install-deps.sh)"; exit 1; }
mapfile -t files < <(git ls-files '*.cpp' '*.h' 2>/dev/null || find core app widgets tests bench -name '*.cpp' -o -name '*.h')
if [[ ${1:-} == --fix ]]; then
  clang-format -i "${files[@]}"
  echo "check_format: formatted ${#files[@]} files"
  exit 0
fi
bad=()
for f in "${files[@]}"; do
  clang-format --dry-run -Werror "$f" >/dev/null 2>&1 || bad+=("$f")
done
for f in "${bad[@]}"; do echo "not formatted: $f (bash scripts/check_format.sh --fix)"; done
echo "check_format: ${#bad[@]} of ${#files[@]} files differ from .clang-format"
[[ ${#bad[@]} -eq 0 ]]
