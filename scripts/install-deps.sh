#!/usr/bin/env bash
# Installs the Debian 12 packages mnrecords needs to build and run; with
# --tests also what only the tests need (Debian's chromium and a font, for
# the printable reports' browser tests). Skips apt entirely when everything
# is already installed.
set -euo pipefail

packages=(
  build-essential cmake pkg-config
  libgrpc++-dev libprotobuf-dev protobuf-compiler protobuf-compiler-grpc
  libabsl-dev libsqlite3-dev libssl-dev openssl grpc-proto
  golang-github-gogo-googleapis-dev
  libgtest-dev libgmock-dev libbenchmark-dev
  python3 python3-grpcio python3-protobuf
  clang libclang-rt-14-dev
  nlohmann-json3-dev prometheus-cpp-dev
  libpq-dev postgresql-15 postgresql-common
)
if [ "${1:-}" = "--tests" ]; then
  packages+=(chromium fonts-dejavu-core)
fi

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" ||
    missing+=("$p")
done
# Node and npm run the official FHIR R4 schema validator in the tests. A
# Node from elsewhere (e.g. NodeSource, which bundles npm) is fine; only
# without any npm do we install Debian's.
if ! command -v node >/dev/null || ! command -v npm >/dev/null; then
  missing+=(nodejs npm)
fi
if [ ${#missing[@]} -eq 0 ]; then
  exit 0
fi

sudo=""
if [ "$(id -u)" -ne 0 ]; then sudo="sudo"; fi
echo "Installing: ${missing[*]}"
$sudo apt-get update -q
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -q --no-install-recommends "${missing[@]}"
