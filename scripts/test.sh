#!/usr/bin/env bash
# Sets up, builds and runs the whole test suite. Slow tests (label "slow") run in a
# bounded form unless EDDY_SLOW_TESTS=1.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
scripts/build.sh
cd build
ctest --output-on-failure -j "$(nproc)" --timeout 600
