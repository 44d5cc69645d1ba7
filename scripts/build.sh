#!/usr/bin/env bash
# Configures (once) and builds Eddy into build/ with Ninja, using ccache when present.
# Usage: scripts/build.sh [Release|Debug|Asan]   Default: Release.
set -euo pipefail
cd "$(dirname "$0")/.."
TYPE="${1:-Release}"
DIR=build
if [ "$TYPE" = Asan ]; then DIR=build-asan; fi
if [ ! -f "$DIR/build.ninja" ]; then
  cmake -S . -B "$DIR" -G Ninja -DCMAKE_BUILD_TYPE="$TYPE" ${EDDY_CMAKE_ARGS:-}
fi
cmake --build "$DIR" -j "$(nproc)"
