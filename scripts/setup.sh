#!/usr/bin/env bash
# Installs every Debian 12 package that building and testing Eddy needs.
# Idempotent: a second run installs nothing new. Runs as root, or through sudo.
set -euo pipefail
PACKAGES=(
  build-essential cmake ninja-build ccache pkg-config git
  libgtest-dev libgmock-dev libbenchmark-dev librocksdb-dev
  libcpp-httplib-dev nlohmann-json3-dev libedit-dev libssl-dev
  libgoogle-perftools-dev tzdata
)
missing=()
for p in "${PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -eq 0 ]; then
  exit 0
fi
SUDO=""
if [ "$(id -u)" != 0 ]; then SUDO=sudo; fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
