#!/usr/bin/env bash
# The README's demo: sets everything up, builds what the demo needs, and
#  1. runs the grid live in a namespace lab (scripts/lab-demo.sh): a
#     coordinator, probes behind two ISPs and one next to the server, a
#     lossy link inside client Y's ISP, and `grid diagnose` localising it;
#  2. runs `grid analyze` on the reports of the support article's example 5,
#     as a support engineer would on reports a customer sent.
# Needs root (network namespaces). Env: BUILD_DIR (default build).
set -euo pipefail
cd "$(dirname "$0")/.."
export BUILD_DIR=${BUILD_DIR:-build}

bash scripts/lab-demo.sh

echo
echo "== grid analyze: the support article's example 5 (client X fine, client Y lossy) =="
data=tests/testdata/article
echo "\$ grid analyze --fwd X=... --ret X=... --fwd Y=... --ret Y=..."
"$BUILD_DIR/cli/grid" analyze \
  --fwd X=$data/example5_fwd_X.txt --ret X=$data/example5_ret_X.txt \
  --fwd Y=$data/example5_fwd_Y.txt --ret Y=$data/example5_ret_Y.txt || true
