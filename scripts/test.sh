#!/usr/bin/env bash
# Sets everything up, builds, and runs the whole test suite (unit and lab).
# Lab tests need root; run only them with: ctest --test-dir build -L lab
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
bash scripts/build.sh
ctest --test-dir "${BUILD_DIR:-build}" --output-on-failure -j"$(nproc)"
