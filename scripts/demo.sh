#!/usr/bin/env bash
# Sets everything up, builds, and runs the demo: `grid analyze` on the
# support article's reports and on reports that real mtr produced in
# grid's namespace lab, printing each verdict with its explanation.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
bash scripts/build.sh >/dev/null
grid=${BUILD_DIR:-build}/cli/grid
data=tests/testdata

run() {
  echo "\$ grid analyze $*"
  "$grid" analyze "$@" || true
  echo
}

echo "== The article's example 5: client Y's ISP, client X fine =="
run --fwd X=$data/article/example5_fwd_X.txt --ret X=$data/article/example5_ret_X.txt \
    --fwd Y=$data/article/example5_fwd_Y.txt --ret Y=$data/article/example5_ret_Y.txt

for scenario in isp_b_loss rate_limited_a2; do
  dir=$data/lab/$scenario
  [ -d "$dir" ] || continue
  echo "== Lab, real mtr: $scenario =="
  args=()
  for f in "$dir"/fwd_*; do v=${f##*/fwd_}; v=${v%%.*}; args+=(--fwd "$v=$f"); done
  for f in "$dir"/ret_*; do v=${f##*/ret_}; v=${v%%.*}; args+=(--ret "$v=$f"); done
  run "${args[@]}"
done
