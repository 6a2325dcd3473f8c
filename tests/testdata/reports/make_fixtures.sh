#!/usr/bin/env bash
# Regenerates the mtr fixtures in tests/testdata/reports/mtr/ by running the
# real mtr (Debian mtr-tiny) across a small namespace lab. Needs root.
#
#   cl (198.18.1.2) -- r1 ==ECMP== r2a / r2b -- r3 -- srv (198.18.10.2)
#
# r1 balances traffic to 198.18.10.0/24 over r2a and r2b (L4 hash), so UDP
# probes whose ports change show two responders at TTL 2. r3 drops 15% of what
# it sends to srv (iptables statistic in mangle POSTROUTING), so the last hop
# loses packets. r3 also black-holes 198.18.20.0/24 to make `???` rows.
# Names for reverse lookups come from /etc/netns/<cl>/hosts (bind-mounted by
# `ip netns exec`), including one longer than mtr -r's 25-character cut.
#
# Usage: make_fixtures.sh [OUT_DIR]   (default: the mtr/ folder beside this)
set -euo pipefail

OUT=${1:-$(cd "$(dirname "$0")" && pwd)/mtr}
P="rpt$$"            # Namespace prefix: unique per run.
NS=(cl r1 r2a r2b r3 srv)
COUNT=${COUNT:-40}
INTERVAL=${INTERVAL:-0.1}

cleanup() {
  for n in "${NS[@]}"; do ip netns del "$P$n" 2>/dev/null || true; done
  rm -rf "/etc/netns/${P}cl"
}
trap cleanup EXIT

x() { ip netns exec "$P$1" "${@:2}"; }

for n in "${NS[@]}"; do
  ip netns add "$P$n"
  x "$n" ip link set lo up
  x "$n" sysctl -qw net.ipv4.conf.all.rp_filter=0 net.ipv4.conf.default.rp_filter=0
done
for n in r1 r2a r2b r3; do
  x "$n" sysctl -qw net.ipv4.ip_forward=1
done
for n in r1 r2a r2b r3 srv; do
  x "$n" sysctl -qw net.ipv4.icmp_ratelimit=0
done
x r1 sysctl -qw net.ipv4.fib_multipath_hash_policy=1

# link NS_A IF_A ADDR_A NS_B IF_B ADDR_B
link() {
  ip link add "$2" netns "$P$1" type veth peer name "$5" netns "$P$4"
  x "$1" ip addr add "$3" dev "$2"
  x "$4" ip addr add "$6" dev "$5"
  x "$1" ip link set "$2" up
  x "$4" ip link set "$5" up
}
link cl eth0 198.18.1.2/24 r1 e-cl 198.18.1.1/24
link r1 e-a 198.18.2.1/24 r2a e-r1 198.18.2.2/24
link r1 e-b 198.18.3.1/24 r2b e-r1 198.18.3.2/24
link r2a e-r3 198.18.4.1/24 r3 e-a 198.18.4.2/24
link r2b e-r3 198.18.5.1/24 r3 e-b 198.18.5.2/24
link r3 e-srv 198.18.10.1/24 srv eth0 198.18.10.2/24

x cl ip route add default via 198.18.1.1
x r1 ip route add 198.18.10.0/24 nexthop via 198.18.2.2 nexthop via 198.18.3.2
x r1 ip route add 198.18.20.0/24 via 198.18.2.2
x r2a ip route add default via 198.18.4.2
x r2a ip route add 198.18.1.0/24 via 198.18.2.1
x r2b ip route add default via 198.18.5.2
x r2b ip route add 198.18.1.0/24 via 198.18.3.1
x r3 ip route add 198.18.1.0/24 via 198.18.4.1
x r3 ip route add 198.18.2.0/23 via 198.18.4.1
x r3 ip route add blackhole 198.18.20.0/24
x srv ip route add default via 198.18.10.1
x r3 iptables -t mangle -A POSTROUTING -o e-srv \
  -m statistic --mode random --probability 0.15 -j DROP

mkdir -p "/etc/netns/${P}cl"
cat >"/etc/netns/${P}cl/hosts" <<'EOF'
127.0.0.1 localhost
198.18.1.1 gw.lab.example
198.18.2.2 r2a.backbone.lab.example
198.18.3.2 r2b.backbone.lab.example
198.18.4.2 xe-0-0-1.core-router-3.amsterdam.lab.example
198.18.10.2 server.lab.example
EOF
echo "nameserver 127.0.0.1" >"/etc/netns/${P}cl/resolv.conf"

mkdir -p "$OUT"
m() { x cl mtr -c "$COUNT" -i "$INTERVAL" "$@"; }
dst=198.18.10.2
m -n -r "$dst" >"$OUT/report.txt"
m -n --report-wide "$dst" >"$OUT/report_wide.txt"
m -n --json "$dst" >"$OUT/report.json"
m -n --csv "$dst" >"$OUT/report.csv"
# ECMP: UDP probes vary their ports, so r1 spreads them over r2a and r2b.
m -n -u --report-wide "$dst" >"$OUT/report_wide_ecmp.txt"
m -n -u -r "$dst" >"$OUT/report_ecmp.txt"
m -n -u -r -o "LDRS NBAWV JMXI" "$dst" >"$OUT/report_ecmp_jitter.txt"
# Names (from the hosts file above); -r cuts the long one at 25 characters.
m -r "$dst" >"$OUT/report_names.txt"
m --report-wide "$dst" >"$OUT/report_names_wide.txt"
# Extra columns (-o): receive/drop counts and mtr's jitter columns.
m -n -r -o "LDRS NBAWV JMXI" "$dst" >"$OUT/report_jitter.txt"
m -n --json -o "LDRS NBAWV JMXI" "$dst" >"$OUT/report_jitter.json"
m -n --csv -o "LDRS NBAWV JMXI" "$dst" >"$OUT/report_jitter.csv"
# Names with addresses (-b) and AS lookups (-z; they fail here: AS???).
m -b -r "$dst" >"$OUT/report_both.txt"
m -n -z -r "$dst" >"$OUT/report_asn.txt"
m -n -z --json "$dst" >"$OUT/report_asn.json"
# A local host name longer than the HOST: column (set in a private UTS ns).
long=workstation-of-a-customer.example.net
x cl unshare --uts sh -c "hostname $long && mtr -c $COUNT -i $INTERVAL -n -r $dst" \
  >"$OUT/report_longhost.txt"
x cl unshare --uts sh -c "hostname $long && mtr -c $COUNT -i $INTERVAL -n --report-wide $dst" \
  >"$OUT/report_longhost_wide.txt"
# A target behind a black hole: ??? rows after r3.
x cl mtr -c 5 -i "$INTERVAL" -m 6 -n -r 198.18.20.1 >"$OUT/report_unreachable.txt"
x cl mtr -c 5 -i "$INTERVAL" -m 6 -n --json 198.18.20.1 >"$OUT/report_unreachable.json"
x cl mtr -c 5 -i "$INTERVAL" -m 6 -n --csv 198.18.20.1 >"$OUT/report_unreachable.csv"
echo "fixtures written to $OUT"
