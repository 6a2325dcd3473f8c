#!/usr/bin/env bash
# The grid end to end in the namespace lab: builds what it needs, brings up
# the lab (client X behind ISP A, client Y behind ISP B, server S, and the
# coordinator C on a separate management network), starts grid-coordinator
# and the probes X, Y and S (S serves the server's range and traces back),
# injects a fault (10% loss per direction inside ISP B, link b1-b2), runs
# `grid diagnose` and prints its output. Everything talks mutual TLS with
# certificates made by `grid certs` at the start. Everything is torn down at
# the end, also on failure or Ctrl-C.
#
# Needs root. Env: BUILD_DIR (default build), FAULT (JSON fault for
# grid-lab; default the ISP B loss), CYCLES (100), INTERVAL (0.1),
# JSON=1 for the diagnosis JSON instead of the tables.
set -euo pipefail
cd "$(dirname "$0")/.."

if [[ $EUID -ne 0 ]]; then
  echo "lab-demo: needs root (network namespaces)" >&2
  exit 2
fi
BUILD_DIR=${BUILD_DIR:-build}
CYCLES=${CYCLES:-100}
INTERVAL=${INTERVAL:-0.1}
FAULT=${FAULT:-'{"type":"loss","link":["b1","b2"],"probability":0.1}'}
PORT=7000

bash scripts/setup.sh
cmake -S . -B "$BUILD_DIR" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build "$BUILD_DIR" -j"$(nproc)" --target grid grid-coordinator \
  grid-probe grid-lab grid-lab-delay >/dev/null
GRID=$BUILD_DIR/cli/grid
COORDINATOR=$BUILD_DIR/coordinator/grid-coordinator
PROBE=$BUILD_DIR/probe-node/agent/grid-probe
GRID_LAB=$BUILD_DIR/tests/lab/grid-lab

PREFIX="demo-$$-$RANDOM"
WORK=$(mktemp -d /tmp/grid-demo.XXXXXX)
pids=()
cleanup() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null || true; done
  "$GRID_LAB" down "$PREFIX" >/dev/null 2>&1 || true
  rm -rf "$WORK"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

cat >"$WORK/topology.json" <<'JSON'
{
  "comment": "X - a1 - a2 - core - sr - S; Y - b1 - b2 - core; C on the management network only",
  "nodes": [
    {"name": "X", "kind": "host"}, {"name": "Y", "kind": "host"},
    {"name": "S", "kind": "host"}, {"name": "C", "kind": "host"},
    {"name": "a1", "kind": "router"}, {"name": "a2", "kind": "router"},
    {"name": "b1", "kind": "router"}, {"name": "b2", "kind": "router"},
    {"name": "core", "kind": "router"}, {"name": "sr", "kind": "router"}
  ],
  "links": [
    {"a": "a1", "b": "X", "subnet": "198.18.1.0/30"},
    {"a": "a1", "b": "a2", "subnet": "198.18.1.4/30"},
    {"a": "a2", "b": "core", "subnet": "198.18.1.8/30"},
    {"a": "b1", "b": "Y", "subnet": "198.18.2.0/30"},
    {"a": "b1", "b": "b2", "subnet": "198.18.2.4/30"},
    {"a": "b2", "b": "core", "subnet": "198.18.2.8/30"},
    {"a": "core", "b": "sr", "subnet": "198.18.3.0/30"},
    {"a": "sr", "b": "S", "subnet": "198.18.3.4/30"}
  ],
  "management": {"subnet": "198.19.0.0/24"}
}
JSON

echo "== Lab: $PREFIX (namespaces $PREFIX-*)"
"$GRID_LAB" up "$WORK/topology.json" --prefix "$PREFIX" >/dev/null
ns() { echo "$PREFIX-$1"; }
C=$("$GRID_LAB" addr "$PREFIX" C --mgmt):$PORT
SERVER=$("$GRID_LAB" addr "$PREFIX" S)

echo "== Certificates: grid certs (CA, coordinator, probes X Y S, operator)"
CERTS=$WORK/certs
"$GRID" certs init --dir "$CERTS/ca" >/dev/null
"$GRID" certs coordinator --dir "$CERTS/ca" --out "$CERTS/C" --host "${C%:*}" >/dev/null
for name in X Y S; do
  "$GRID" certs probe --dir "$CERTS/ca" --out "$CERTS/$name" --name "$name" >/dev/null
done
"$GRID" certs operator --dir "$CERTS/ca" --out "$CERTS/operator" --name demo >/dev/null
tls() { echo --tls-cert "$CERTS/$1/tls.crt" --tls-key "$CERTS/$1/tls.key" --tls-ca "$CERTS/$1/ca.crt"; }
# The grid commands below find their operator certificate here.
export GRID_TLS_DIR=$CERTS/operator

echo "== grid-coordinator on the management network at $C"
# The lab's addresses are special-purpose (RFC 2544, RFC 5180): allowed here.
LAB_TARGETS=(--allow-target 198.18.0.0/15 --allow-target 2001:2::/48)
# shellcheck disable=SC2046  # tls prints flags and paths without spaces
ip netns exec "$(ns C)" "$COORDINATOR" --listen "$C" --data "$WORK/db" \
  --heartbeat 1 "${LAB_TARGETS[@]}" $(tls C) 2>"$WORK/coordinator.log" &
pids+=($!)
start_probe() {
  local name=$1
  shift
  # shellcheck disable=SC2046
  ip netns exec "$(ns "$name")" "$PROBE" --coordinator "$C" --name "$name" \
    --pps 2000 --router-pps 0 "${LAB_TARGETS[@]}" $(tls "$name") "$@" \
    2>"$WORK/probe-$name.log" &
  pids+=($!)
}
# Probes start once the coordinator answers, so their reconnect backoff
# does not slow the demo down.
for _ in $(seq 1 100); do
  ip netns exec "$(ns C)" "$GRID" probes --coordinator "$C" 2>&1 |
    grep -q "no probes have connected" && break
  sleep 0.2
done
start_probe X --label isp=a
start_probe Y --label isp=b
start_probe S --label role=server --serves 198.18.3.4/30

for _ in $(seq 1 50); do
  n=$(ip netns exec "$(ns C)" "$GRID" probes --connected --json \
        --coordinator "$C" 2>/dev/null | grep -c '"name"' || true)
  [[ $n -ge 3 ]] && break
  sleep 0.2
done
echo "\$ grid probes"
ip netns exec "$(ns C)" "$GRID" probes --coordinator "$C"

echo
echo "== Fault: $FAULT"
"$GRID_LAB" fault "$PREFIX" add "$FAULT" >/dev/null

echo
args=(diagnose "$SERVER" --coordinator "$C" -c "$CYCLES" -i "$INTERVAL")
[[ ${JSON:-0} == 1 ]] && args+=(--json)
echo "\$ grid ${args[*]}"
status=0
ip netns exec "$(ns C)" "$GRID" "${args[@]}" || status=$?
echo
echo "(grid diagnose exit status $status: 0 healthy, 1 fault found, 2 error)"
