#!/bin/sh
# Turns a Debian 12 root into a grid runtime root: installs the packages
# listed in PACKAGES_FILE (one per line, '#' starts a comment) without
# recommends, and creates the unprivileged user grid (uid and gid 10001)
# owning /var/lib/grid. Run as root inside the root being prepared.
#
# The final stage of docker/*.Dockerfile and tests/image/image_test.sh (in a
# debootstrapped chroot) both run this script, so the test checks the root
# the images get.
set -eu
if [ $# -ne 1 ] || [ ! -r "$1" ]; then
  echo "usage: runtime-root.sh PACKAGES_FILE (a readable package list)" >&2
  exit 2
fi
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
sed 's/#.*//' "$1" | xargs apt-get install -y -qq --no-install-recommends
rm -rf /var/lib/apt/lists/*
groupadd --system --gid 10001 grid
useradd --system --uid 10001 --gid 10001 --home-dir /var/lib/grid \
  --no-create-home --shell /usr/sbin/nologin grid
install -d -o grid -g grid -m 0750 /var/lib/grid
