#!/usr/bin/env bash
# Builds grid's libFuzzer targets with clang + ASan/UBSan and runs each for a
# bounded number of executions, printing libFuzzer's count per target.
#
# Usage: scripts/fuzz.sh [RUNS] [MAX_SECONDS]
#   RUNS         executions per target (default 1000000)
#   MAX_SECONDS  time limit per target (default 3600)
# Env: BUILD_DIR (default build-fuzz), FUZZ_OUT (default fuzz-out).
# Exit status: non-zero if a target fails to build or finds a crash; the
# crashing input is left in $FUZZ_OUT/<target>/.
#
# Adding a target: define it in fuzz/CMakeLists.txt with grid_fuzz_target(),
# add its name to TARGETS and its seed folders (space-separated, relative to
# the repository) to SEEDS; a dictionary fuzz/<name without _fuzzer>.dict is
# used when present.
set -euo pipefail

TARGETS=(report_reader_fuzzer reply_parser_fuzzer)
declare -A SEEDS=(
  [report_reader_fuzzer]="tests/testdata/reports/mtr tests/testdata/reports/winmtr tests/testdata/reports/article"
  [reply_parser_fuzzer]="tests/probe-node/fuzz_seeds"
)

RUNS=${1:-1000000}
MAX_SECONDS=${2:-3600}
cd "$(dirname "$0")/.."
ROOT=$(pwd)
BUILD_DIR=${BUILD_DIR:-build-fuzz}
FUZZ_OUT=${FUZZ_OUT:-fuzz-out}

SAN="-fsanitize=address,undefined -fno-sanitize-recover=undefined"
CC=clang CXX=clang++ cmake -S fuzz -B "$BUILD_DIR" -G Ninja \
  -DCMAKE_BUILD_TYPE=RelWithDebInfo \
  -DCMAKE_C_FLAGS="$SAN -fsanitize=fuzzer-no-link" \
  -DCMAKE_CXX_FLAGS="$SAN -fsanitize=fuzzer-no-link" \
  -DCMAKE_EXE_LINKER_FLAGS="$SAN" >/dev/null
cmake --build "$BUILD_DIR" -j2 --target "${TARGETS[@]}"

status=0
for t in "${TARGETS[@]}"; do
  out="$FUZZ_OUT/$t"
  mkdir -p "$out/corpus"
  seeds=()
  for s in ${SEEDS[$t]:-}; do seeds+=("$ROOT/$s"); done
  dict=()
  d="fuzz/${t%_fuzzer}.dict"
  [[ -f $d ]] && dict=(-dict="$d")
  echo "fuzz: $t for $RUNS runs (at most ${MAX_SECONDS}s)" >&2
  log="$out/fuzz.log"
  if ! UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1 \
      "$BUILD_DIR/$t" -runs="$RUNS" -max_total_time="$MAX_SECONDS" \
      -max_len=16384 -rss_limit_mb=2048 -timeout=10 -print_final_stats=1 \
      -artifact_prefix="$out/" "${dict[@]}" "$out/corpus" "${seeds[@]}" \
      >"$log" 2>&1; then
    status=1
    tail -n 40 "$log" >&2
  fi
  done_line=$(grep -E '^Done [0-9]+ runs' "$log" | tail -n 1 || true)
  echo "$t: ${done_line:-no 'Done' line (crash?); see $log}"
done
exit "$status"
