#!/usr/bin/env bash
# The container images, checked without a Docker engine. Debootstraps Debian
# 12 (bookworm, minbase: what debian:12-slim is made from) into a cache,
# prepares one root per image as its Dockerfile's final stage does
# (docker/runtime-root.sh with the image's docker/*.packages, the stripped
# binaries in /usr/local/bin, cap_net_raw+ep on the probe's), and runs the
# real binaries in those roots with chroot as uid 10001:
#   - `--help` of every binary, `ldd` without "not found", and the package
#     list equal to the packages of the libraries the binaries load;
#   - in a network namespace of its own, over mutual TLS with certificates
#     from the image's `grid certs`: the coordinator (no capabilities),
#     a probe whose bounding set holds only CAP_NET_RAW, `grid probes` lists
#     it, `grid diagnose` gets its traces of 198.18.0.1 (an address of that
#     namespace), and `grid trace --proto udp` opens raw sockets with
#     CAP_NET_RAW alone and fails without it.
#
# usage: image_test.sh --coordinator BIN --probe BIN --cli BIN [--without PKG]
#   --without PKG  the negative check: every image whose list holds PKG is
#                  built without it, and the test passes only if a binary
#                  then fails to load (the check above would catch it).
# Needs root (exit 77, a skip, otherwise) and Debian's mirror. Environment:
#   GRID_IMAGE_CACHE  the base root's cache (default /var/cache/grid-image-test)
#   GRID_IMAGE_KEEP=1 keep the scratch roots (their path is printed)
set -euo pipefail

REPO=$(cd "$(dirname "$0")/../.." && pwd)
readonly REPO
readonly CACHE=${GRID_IMAGE_CACHE:-/var/cache/grid-image-test}
readonly SUITE=bookworm
readonly GRID_UID=10001
readonly LISTEN=127.0.0.1:7600
readonly TARGET=198.18.0.1  # benchmarking range, on lo of our own namespace
readonly PROBE_NAME=img-probe

log() { printf 'image-test: %s\n' "$*"; }
fail() {
  printf 'image-test: FAIL: %s\n' "$*" >&2
  exit 1
}

coordinator_bin="" probe_bin="" cli_bin="" without=""
while (($#)); do
  case $1 in
    --coordinator) coordinator_bin=$2; shift 2 ;;
    --probe) probe_bin=$2; shift 2 ;;
    --cli) cli_bin=$2; shift 2 ;;
    --without) without=$2; shift 2 ;;
    *) echo "image_test.sh: unknown argument $1" >&2; exit 2 ;;
  esac
done
for b in "$coordinator_bin" "$probe_bin" "$cli_bin"; do
  [[ -x $b ]] || { echo "image_test.sh: not an executable: '$b'" >&2; exit 2; }
done
if ((EUID != 0)); then
  log "skipped: needs root (debootstrap, chroot, setcap, namespaces)"
  exit 77
fi

# The binaries each image ships, as its Dockerfile copies them.
declare -A IMAGE_BINS=(
  [coordinator]="$coordinator_bin $cli_bin"
  [probe]="$probe_bin $cli_bin"
)
# The bounding set each image runs with (setpriv syntax): the coordinator
# needs no capability; the probe only NET_RAW (its binaries carry
# cap_net_raw+ep, so without NET_RAW the kernel refuses to exec them).
declare -A IMAGE_CAPS=([coordinator]="-all" [probe]="-all,+net_raw")

WORK=$(mktemp -d /var/tmp/grid-image-test.XXXXXX)
NETNS=grid-image-$$
MOUNTS=()
PIDS=()
cleanup() {
  local rc=$? i start=$SECONDS
  for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${PIDS[@]}"; do wait "$pid" 2>/dev/null || true; done
  ip netns del "$NETNS" 2>/dev/null || true
  for ((i = ${#MOUNTS[@]} - 1; i >= 0; i--)); do
    umount "${MOUNTS[i]}" 2>/dev/null || umount -l "${MOUNTS[i]}" || true
  done
  if [[ -n ${GRID_IMAGE_KEEP:-} ]]; then
    log "kept $WORK"
  elif findmnt -rn -o TARGET | grep -q "^$WORK/"; then
    log "mounts left under $WORK; not removing it"
  else
    rm -rf --one-file-system "$WORK"
  fi
  log "cleanup took $((SECONDS - start)) s"
  exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# The Debian mirror the host uses for $SUITE (deb822 or one-line sources).
host_mirror() {
  local uri=""
  if [[ -r /etc/apt/sources.list.d/debian.sources ]]; then
    uri=$(awk -v suite="$SUITE" 'BEGIN { RS = "" } {
        uri = ""; ok = 0; n = split($0, line, "\n")
        for (i = 1; i <= n; i++) {
          m = split(line[i], w, /[ \t]+/)
          if (w[1] == "URIs:") uri = w[2]
          if (w[1] == "Suites:") for (j = 2; j <= m; j++) if (w[j] == suite) ok = 1
        }
        if (ok && uri != "") { print uri; exit }
      }' /etc/apt/sources.list.d/debian.sources)
  fi
  if [[ -z $uri && -r /etc/apt/sources.list ]]; then
    uri=$(awk -v suite="$SUITE" '$1 == "deb" && $3 == suite { print $2; exit }' \
      /etc/apt/sources.list)
  fi
  echo "${uri:-http://deb.debian.org/debian}"
}

# The cached minbase root, debootstrapped when missing or invalid, with the
# host's apt sources (the suite, its updates and security, as in
# debian:12-slim). Prints its path.
base_root() {
  local dir=$CACHE/rootfs-$SUITE mirror stamp start=$SECONDS
  mirror=$(host_mirror)
  stamp="$SUITE minbase $mirror"
  mkdir -p "$CACHE/archives/partial"
  exec 9>"$CACHE/.lock"
  flock 9
  if [[ -f $dir/.grid-rootfs && $(cat "$dir/.grid-rootfs") == "$stamp" ]] &&
    chroot "$dir" /bin/true; then
    echo "$dir"
    return
  fi
  log "debootstrap --variant=minbase $SUITE from $mirror into $dir" >&2
  rm -rf --one-file-system "$dir" "$dir.new"
  if ! debootstrap --variant=minbase "$SUITE" "$dir.new" "$mirror" \
    >"$CACHE/debootstrap.log" 2>&1; then
    tail -n 20 "$CACHE/debootstrap.log" >&2
    fail "debootstrap failed (log: $CACHE/debootstrap.log)"
  fi
  if [[ -r /etc/apt/sources.list.d/debian.sources ]]; then
    cp /etc/apt/sources.list.d/debian.sources "$dir.new/etc/apt/sources.list.d/"
    rm -f "$dir.new/etc/apt/sources.list"
  fi
  echo "$stamp" >"$dir.new/.grid-rootfs"
  mv "$dir.new" "$dir"
  log "debootstrap took $((SECONDS - start)) s" >&2
  echo "$dir"
}

# Runs a command as root inside ROOT with a clean environment.
in_root() {
  local root=$1
  shift
  chroot "$root" /usr/bin/env -i HOME=/root \
    PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin "$@"
}

# Runs a command inside ROOT, in the test's network namespace, as uid 10001
# with only the capabilities BOUNDING (setpriv syntax, e.g. -all,+net_raw)
# in its bounding set: what `docker run --user 10001 --cap-drop ALL
# [--cap-add ...]` gives a container.
as_grid() {
  local root=$1 bounding=$2
  shift 2
  ip netns exec "$NETNS" chroot "$root" /usr/bin/env -i HOME=/var/lib/grid \
    PATH=/usr/local/bin:/usr/bin:/bin \
    setpriv --reuid "$GRID_UID" --regid "$GRID_UID" --init-groups \
    --inh-caps=-all --bounding-set "$bounding" -- "$@"
}

# The package list file of IMAGE, without comments, one package a line.
packages_of() {
  sed -e 's/#.*//' -e 's/[[:space:]]//g' -e '/^$/d' "$REPO/docker/$1.packages"
}

# Prepares $WORK/IMAGE as IMAGE's Dockerfile builds its final stage, with
# the package list minus SKIP (empty: the whole list).
prepare_root() {
  local image=$1 skip=$2 root=$WORK/$1 bin start=$SECONDS
  cp -a "$BASE" "$root"
  rm -f "$root/.grid-rootfs"
  cp -L /etc/resolv.conf "$root/etc/resolv.conf"
  mount -t proc proc "$root/proc"
  MOUNTS+=("$root/proc")
  # Downloaded .debs are kept between runs.
  mount --bind "$CACHE/archives" "$root/var/cache/apt/archives"
  MOUNTS+=("$root/var/cache/apt/archives")
  cp "$REPO/docker/runtime-root.sh" "$root/tmp/runtime-root.sh"
  packages_of "$image" | grep -vxF -e "${skip:-#}" >"$root/tmp/grid.packages"
  if ! in_root "$root" sh /tmp/runtime-root.sh /tmp/grid.packages \
    >"$WORK/$image-apt.log" 2>&1; then
    tail -n 20 "$WORK/$image-apt.log" >&2
    fail "$image: docker/runtime-root.sh failed in the Debian 12 root"
  fi
  rm "$root/tmp/runtime-root.sh" "$root/tmp/grid.packages"
  for bin in ${IMAGE_BINS[$image]}; do
    install -s -m 0755 "$bin" "$root/usr/local/bin/"
  done
  if [[ $image == probe ]]; then
    setcap cap_net_raw+ep "$root/usr/local/bin/grid-probe" \
      cap_net_raw+ep "$root/usr/local/bin/grid"
  fi
  log "$image root ready in $((SECONDS - start)) s (${skip:+without $skip, }$(wc -l <"$WORK/$image-apt.log") lines of apt output)"
}

# Every binary of IMAGE loads (ldd, --help as uid 10001), and the image's
# package list is exactly the packages of the libraries they load.
check_binaries() {
  local image=$1 root=$WORK/$1 bin name out libs used listed
  libs=""
  for bin in ${IMAGE_BINS[$image]}; do
    name=$(basename "$bin")
    out=$(in_root "$root" ldd "/usr/local/bin/$name" 2>&1) ||
      fail "$image: ldd $name: $out"
    if grep -q 'not found' <<<"$out"; then
      fail "$image: $name misses libraries in the image: $(grep 'not found' <<<"$out" | tr -s ' \t\n' ' ')"
    fi
    libs+=$(awk '$2 == "=>" && $3 ~ /^\// { print $3 } $1 ~ /^\// { print $1 }' <<<"$out")$'\n'
    out=$(as_grid "$root" "${IMAGE_CAPS[$image]}" "$name" --help 2>&1) ||
      fail "$image: $name --help as uid $GRID_UID: $out"
    grep -q '^Usage:' <<<"$out" || fail "$image: $name --help printed no usage: $out"
  done
  used=$(sort -u <<<"$libs" | sed '/^$/d' | in_root "$root" sh -c '
      while read -r p; do
        r=$(readlink -f "$p")
        dpkg -S "$p" 2>/dev/null || dpkg -S "$r" 2>/dev/null ||
          dpkg -S "${r#/usr}" 2>/dev/null || echo "?:$p"
      done' | cut -d: -f1 | sort -u)
  grep -q '^?' <<<"$used" && fail "$image: libraries of no Debian package: $used"
  listed=$(packages_of "$image" | sort -u)
  if [[ $used != "$listed" ]]; then
    fail "$image: docker/$image.packages must list exactly the packages of the libraries the binaries load;
  add:    $(comm -13 <(echo "$listed") <(echo "$used") | tr '\n' ' ')
  remove: $(comm -23 <(echo "$listed") <(echo "$used") | tr '\n' ' ')"
  fi
  log "$image: $(wc -l <<<"$used") runtime packages, every binary loads and runs as uid $GRID_UID"
}

# The Dockerfiles build what this test builds: their final stage runs
# docker/runtime-root.sh on their own list and ships the same binaries.
check_dockerfile() {
  local image=$1 f=$REPO/docker/$1.Dockerfile bin
  grep -q "runtime-root.sh /tmp/$image.packages" "$f" ||
    fail "$f: the final stage does not run docker/runtime-root.sh on $image.packages"
  for bin in ${IMAGE_BINS[$image]}; do
    grep -q "/$(basename "$bin")\b" "$f" || fail "$f does not ship $(basename "$bin")"
  done
  grep -q "^USER $GRID_UID" "$f" || fail "$f does not run as uid $GRID_UID"
  if [[ $image == probe ]]; then
    grep -q 'setcap cap_net_raw+ep /usr/local/bin/grid-probe' "$f" ||
      fail "$f does not give grid-probe cap_net_raw"
  fi
}

# Mutual TLS as a first deployment does it, with the image's own `grid
# certs` run as uid 10001: a CA, the coordinator's certificate for
# $LISTEN's address, an operator's (the coordinator root's
# /etc/grid/operator) and the probe's (the probe root's /etc/grid/tls).
make_certs() {
  local c=$1 p=$2
  mkdir -p "$c/etc/grid"
  chown "$GRID_UID:$GRID_UID" "$c/etc/grid"
  as_grid "$c" -all grid certs init --dir /etc/grid/ca >/dev/null
  as_grid "$c" -all grid certs coordinator --dir /etc/grid/ca --out /etc/grid/tls \
    --host "${LISTEN%:*}" >/dev/null
  as_grid "$c" -all grid certs operator --dir /etc/grid/ca --out /etc/grid/operator \
    --name image-test >/dev/null
  as_grid "$c" -all grid certs probe --dir /etc/grid/ca --out /etc/grid/probe \
    --name "$PROBE_NAME" >/dev/null
  mkdir -p "$p/etc/grid"
  mv "$c/etc/grid/probe" "$p/etc/grid/tls"
}

# TLS flags for the key pair in DIR (inside a root).
tls_flags() {
  echo "--tls-cert $1/tls.crt --tls-key $1/tls.key --tls-ca $1/ca.crt"
}

# The network namespace the binaries run in: lo up, with $TARGET.
make_netns() {
  ip netns add "$NETNS"
  ip -n "$NETNS" link set lo up
  ip -n "$NETNS" addr add "$TARGET/32" dev lo
}

# Polls COMMAND... every 0.2 s for up to SECONDS until it succeeds.
wait_for() {
  local seconds=$1 i
  shift
  for ((i = 0; i < seconds * 5; i++)); do
    "$@" >/dev/null 2>&1 && return 0
    sleep 0.2
  done
  return 1
}

probe_listed() {
  as_grid "$WORK/coordinator" -all grid probes "${gflags[@]}" --connected --json \
    --coordinator "$LISTEN" 2>&1 | tee "$WORK/probes.json" | grep -q "\"$PROBE_NAME\""
}

# The grid in the images' roots: coordinator and probe as two "containers"
# sharing a network namespace, as on one Docker network.
check_grid() {
  local c=$WORK/coordinator p=$WORK/probe out rc
  local -a cflags pflags gflags
  make_certs "$c" "$p"
  read -ra cflags <<<"$(tls_flags /etc/grid/tls)"
  read -ra pflags <<<"$(tls_flags /etc/grid/tls)"
  read -ra gflags <<<"$(tls_flags /etc/grid/operator)"
  # $TARGET is in the benchmarking range, which the target policy refuses
  # unless allowed.
  local -a allow=(--allow-target 198.18.0.0/15)
  as_grid "$c" -all grid-coordinator "${cflags[@]}" "${allow[@]}" --listen "$LISTEN" \
    --data /var/lib/grid >"$WORK/coordinator.log" 2>&1 &
  PIDS+=($!)
  as_grid "$p" -all,+net_raw grid-probe "${pflags[@]}" "${allow[@]}" --coordinator "$LISTEN" \
    --name "$PROBE_NAME" --label image=probe >"$WORK/probe.log" 2>&1 &
  PIDS+=($!)
  if ! wait_for 30 probe_listed; then
    cat "$WORK/coordinator.log" "$WORK/probe.log" "$WORK/probes.json" >&2
    fail "grid probes does not list $PROBE_NAME within 30 s"
  fi
  grep -q '"raw_sockets": *true' "$WORK/probes.json" ||
    fail "the probe reports no raw sockets: $(cat "$WORK/probes.json" "$WORK/probe.log")"
  log "grid probes: $(tr -s ' \n' ' ' <"$WORK/probes.json")"
  [[ -f $c/var/lib/grid/CURRENT && $(stat -c %u "$c/var/lib/grid/CURRENT") == "$GRID_UID" ]] ||
    fail "the coordinator wrote no RocksDB store as uid $GRID_UID in /var/lib/grid"
  if grep -q 'raw sockets refused' "$WORK/probe.log"; then
    fail "grid-probe with CAP_NET_RAW fell back to datagram sockets: $(cat "$WORK/probe.log")"
  fi

  rc=0
  out=$(as_grid "$c" -all timeout 90 grid diagnose "${gflags[@]}" "$TARGET" \
    --coordinator "$LISTEN" -c 3 -i 0.2 --json 2>&1) || rc=$?
  ((rc == 0 || rc == 1)) || fail "grid diagnose exited $rc: $out"
  grep -q "\"$PROBE_NAME\"" <<<"$out" && grep -q "\"host\": *\"$TARGET\"" <<<"$out" ||
    fail "grid diagnose has no trace of $TARGET from $PROBE_NAME: $out"
  log "grid diagnose $TARGET: the probe traced it (exit $rc)"

  out=$(as_grid "$p" -all,+net_raw timeout 60 grid trace "${allow[@]}" "$TARGET" -c 1 \
    --proto udp -r 2>&1) || fail "grid trace with only CAP_NET_RAW: $out"
  grep -q 'raw sockets refused' <<<"$out" &&
    fail "grid trace with CAP_NET_RAW fell back to datagram sockets: $out"
  grep -q "1\.|-- $TARGET " <<<"$out" || fail "grid trace did not reach $TARGET: $out"
  rc=0
  out=$(as_grid "$p" -all timeout 60 grid trace "${allow[@]}" "$TARGET" -c 1 --proto udp -r 2>&1) || rc=$?
  ((rc != 0)) || grep -q 'raw sockets refused' <<<"$out" ||
    fail "grid trace got raw sockets without CAP_NET_RAW; the check above proves nothing: $out"
  log "grid trace --proto udp: raw sockets with CAP_NET_RAW only; without it: $(head -n 1 <<<"$out")"
}

total=$SECONDS
BASE=$(base_root)
if [[ -n $without ]]; then
  images=$(for i in coordinator probe; do packages_of $i | grep -qxF "$without" && echo $i; done || true)
  [[ -n $images ]] || { echo "image_test.sh: no image lists $without" >&2; exit 2; }
  make_netns
  for image in $images; do
    prepare_root "$image" "$without"
    out=""
    for bin in ${IMAGE_BINS[$image]}; do
      out+=$(as_grid "$WORK/$image" "${IMAGE_CAPS[$image]}" "$(basename "$bin")" \
        --help 2>&1 || true)$'\n'
    done
    grep -q 'error while loading shared libraries' <<<"$out" ||
      fail "$image without $without: every binary still runs; the image test would not notice"
    log "$image without $without: $(grep -m1 'error while loading' <<<"$out")"
  done
  log "passed in $((SECONDS - total)) s"
  exit 0
fi

for image in coordinator probe; do
  check_dockerfile "$image"
  prepare_root "$image" ""
done
make_netns
for image in coordinator probe; do
  check_binaries "$image"
done
check_grid
log "passed in $((SECONDS - total)) s"
