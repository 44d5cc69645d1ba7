#!/usr/bin/env bash
# Sets up, builds and runs the demo job (fraud detection on generated data) in local mode.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
scripts/build.sh
exec build/bin/fraud_detection "$@"
