#!/usr/bin/env bash
# Produces the lab mtr fixtures in tests/testdata/lab/<scenario>/: brings up
# tests/testdata/lab/topology.json with grid-lab, injects each scenario's
# fault, and runs the real mtr (mtr -n, Debian mtr-tiny) from both clients
# to the server (fwd_X, fwd_Y) and from the server back (ret_X, ret_Y), all
# four at once. Output formats rotate over --report, --json and --csv.
# Writes EXPECTED (the intended verdict, design.md § 2) next to the reports.
#
# Needs root. Env: BUILD_DIR (default build), GRID_LAB (the grid-lab binary),
# OUT (default tests/testdata/lab), COUNT (100), INTERVAL (0.1),
# SCENARIOS (default: all, space-separated).
set -euo pipefail
cd "$(dirname "$0")/.."

BUILD_DIR=${BUILD_DIR:-build}
GRID_LAB=${GRID_LAB:-$BUILD_DIR/tests/lab/grid-lab}
OUT=${OUT:-tests/testdata/lab}
COUNT=${COUNT:-100}
INTERVAL=${INTERVAL:-0.1}
SCENARIOS=${SCENARIOS:-healthy client_loss_y server_loss isp_b_loss rate_limited_a2 isp_b_latency}
# Loss per direction on the faulty link: 1 - 0.9^2 = 19% end to end.
LOSS_P=0.1
DELAY_MS=40
# Jitter of the delay (uniform +-ms per direction): congestion queues vary.
JITTER_MS=15

if [[ $EUID -ne 0 ]]; then
  echo "lab-fixtures: needs root (network namespaces)" >&2
  exit 2
fi
if [[ ! -x $GRID_LAB ]]; then
  cmake --build "$BUILD_DIR" --target grid-lab grid-lab-delay >&2
fi
command -v mtr >/dev/null || { echo "lab-fixtures: mtr not installed" >&2; exit 2; }

PREFIX="fix-$$-$RANDOM"
trap '"$GRID_LAB" down "$PREFIX" >/dev/null 2>&1 || true' EXIT
"$GRID_LAB" up "$OUT/topology.json" --prefix "$PREFIX" >/dev/null
lab() { "$GRID_LAB" "$1" "$PREFIX" "${@:2}"; }

# Addresses as the traces show them (routers answer from the interface
# toward the prober).
X=$(lab addr X); Y=$(lab addr Y); S=$(lab addr S)
A2_FWD=$(lab addr a2 --peer a1)    # a2 seen from X
A2_RET=$(lab addr a2 --peer core)  # a2 seen from S
B1_FWD=$(lab addr b1 --peer Y); B2_FWD=$(lab addr b2 --peer b1)
B2_RET=$(lab addr b2 --peer core); B1_RET=$(lab addr b1 --peer b2)
SR_RET=$(lab addr sr --peer S)

FORMATS=(report json csv)
MTR_VERSION=$(mtr --version | head -1)

# mtr NODE TARGET FORMAT FILE: one run with the node's name as host name.
run_mtr() {
  local node=$1 target=$2 format=$3 file=$4 flag
  case $format in
    report) flag=--report ;;
    json) flag=--json ;;
    csv) flag=--csv ;;
  esac
  lab exec "$node" -- unshare --uts sh -c \
    "hostname '$node' && exec mtr -n $flag -c $COUNT -i $INTERVAL '$target'" \
    >"$file"
}

apply_faults() {
  lab fault clear
  case $1 in
    healthy) ;;
    client_loss_y)
      lab fault add "{\"type\":\"loss\",\"link\":[\"Y\",\"b1\"],\"probability\":$LOSS_P}" ;;
    server_loss)
      lab fault add "{\"type\":\"loss\",\"link\":[\"sr\",\"S\"],\"probability\":$LOSS_P}" ;;
    isp_b_loss)
      lab fault add "{\"type\":\"loss\",\"link\":[\"b1\",\"b2\"],\"probability\":$LOSS_P}" ;;
    rate_limited_a2)
      # Linux's own defaults, as on an untuned router.
      lab fault add '{"type":"icmp_ratelimit","node":"a2","ratelimit_ms":1000,"msgs_per_sec":1000,"msgs_burst":50}' ;;
    isp_b_latency)
      lab fault add "{\"type\":\"delay\",\"link\":[\"b1\",\"b2\"],\"delay_ms\":$DELAY_MS,\"jitter_ms\":$JITTER_MS}" ;;
    *) echo "lab-fixtures: unknown scenario $1" >&2; exit 2 ;;
  esac >/dev/null
}

write_expected() {
  local s=$1 f=$2
  {
    echo "# Intended diagnosis for this scenario (design.md § 2); see ../README.md."
    echo "scenario: $s"
    case $s in
      healthy)
        echo "fault: none"
        echo "verdict: healthy"
        echo "vantages:" ;;
      client_loss_y)
        echo "fault: loss $LOSS_P per direction on link Y-b1 (client Y's access link), both directions"
        echo "verdict: client_loss"
        echo "kind: loss"
        echo "location: client"
        echo "direction: both"
        echo "vantages: Y"
        echo "hops: $B1_FWD $Y"
        echo "clean: X" ;;
      server_loss)
        echo "fault: loss $LOSS_P per direction on link sr-S (the server's access link), both directions"
        echo "verdict: server_loss"
        echo "kind: loss"
        echo "location: server"
        echo "direction: both"
        echo "vantages: X Y"
        echo "hops: $SR_RET $S" ;;
      isp_b_loss)
        echo "fault: loss $LOSS_P per direction on link b1-b2 (inside ISP B), both directions"
        echo "verdict: isp_routing"
        echo "kind: loss"
        echo "location: isp"
        echo "direction: both"
        echo "vantages: Y"
        echo "hops: $B1_FWD $B2_FWD"
        echo "hops_return: $B2_RET $B1_RET"
        echo "clean: X" ;;
      rate_limited_a2)
        echo "fault: none; router a2 rate-limits ICMP errors (net.ipv4.icmp_ratelimit=1000, icmp_msgs_per_sec=1000, icmp_msgs_burst=50: Linux defaults)"
        echo "verdict: healthy"
        echo "vantages:"
        echo "artifact: X forward $A2_FWD icmp rate limiting (loss at this hop only, destination clean)"
        echo "artifact: X return $A2_RET icmp rate limiting (loss at this hop only, destination clean)" ;;
      isp_b_latency)
        echo "fault: +$DELAY_MS ms (+-$JITTER_MS ms jitter) per direction on link b1-b2 (inside ISP B), both directions: +$((2 * DELAY_MS)) ms round trip with queueing jitter at every hop beyond the link"
        echo "verdict: isp_routing"
        echo "kind: latency"
        echo "location: isp"
        echo "direction: both"
        echo "vantages: Y"
        echo "hops: $B1_FWD $B2_FWD"
        echo "hops_return: $B2_RET $B1_RET"
        echo "clean: X"
        echo "also_acceptable: forward_path_latency return_path_latency (kind latency, vantage Y, hops b1/b2)" ;;
    esac
    echo "formats: fwd_X=${FORMATS[$f % 3]} fwd_Y=${FORMATS[($f + 1) % 3]} ret_X=${FORMATS[($f + 2) % 3]} ret_Y=${FORMATS[$f % 3]}"
    echo "mtr: $MTR_VERSION, -n -c $COUNT -i $INTERVAL"
  } >"$OUT/$s/EXPECTED"
}

start=$SECONDS
index=0
for s in $SCENARIOS; do
  # Position in the full list fixes the format rotation.
  case $s in
    healthy) f=0 ;; client_loss_y) f=1 ;; server_loss) f=2 ;;
    isp_b_loss) f=3 ;; rate_limited_a2) f=4 ;; isp_b_latency) f=5 ;;
    *) f=$index ;;
  esac
  index=$((index + 1))
  echo "lab-fixtures: $s" >&2
  rm -rf "${OUT:?}/$s"
  mkdir -p "$OUT/$s"
  apply_faults "$s"
  ext() { echo "${FORMATS[$1 % 3]}"; }
  run_mtr X "$S" "$(ext $f)" "$OUT/$s/fwd_X.$(ext $f)" &
  run_mtr Y "$S" "$(ext $((f + 1)))" "$OUT/$s/fwd_Y.$(ext $((f + 1)))" &
  run_mtr S "$X" "$(ext $((f + 2)))" "$OUT/$s/ret_X.$(ext $((f + 2)))" &
  run_mtr S "$Y" "$(ext $f)" "$OUT/$s/ret_Y.$(ext $f)" &
  wait
  write_expected "$s" "$f"
done
lab fault clear >/dev/null
echo "lab-fixtures: done in $((SECONDS - start)) s" >&2
