#!/usr/bin/env bash
# Refreshes translations/*.ts from the studio's and the widgets' sources (then translate with linguist).
set -euo pipefail
cd "$(dirname "$0")/.."
/usr/lib/qt6/bin/lupdate -no-obsolete -locations relative app/studio widgets -ts translations/lowbit_zh_CN.ts
