#!/usr/bin/env bash
# Installs every Debian package grid needs to build, test and run its lab.
# Idempotent: safe to run again; does nothing when all packages are present.
set -euo pipefail

PACKAGES=(
  build-essential cmake ninja-build pkg-config git
  clang libclang-rt-14-dev
  libabsl-dev libprotobuf-dev protobuf-compiler
  libgrpc++-dev protobuf-compiler-grpc libssl-dev
  librocksdb-dev
  libgtest-dev libgmock-dev libbenchmark-dev
  libcli11-dev nlohmann-json3-dev
  libcap-dev libnetfilter-queue-dev
  iproute2 iptables iputils-ping mtr-tiny scamper procps
  golang-go golang-github-masterminds-sprig-dev golang-gopkg-yaml.v3-dev  # tests/helm: chart check
  debootstrap libcap2-bin   # tests/image: a Debian 12 root; setcap
)

missing=()
for p in "${PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if ((${#missing[@]})); then
  echo "setup: installing ${missing[*]}" >&2
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
