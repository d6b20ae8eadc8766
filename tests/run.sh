#!/usr/bin/env bash
# Runs the test suite: the script tests (tests/test_*.sh, and tests/test_*.py with
# Debian's /usr/bin/python3), then every cmocka program build/tests/test_*.
#   tests/run.sh          everything
#   tests/run.sh unit     the cmocka programs only (used by `make valgrind`)
# Environment: BUILD (build dir), SAN=1 (sanitizer build), VALGRIND=1, QUICK=1 (fewer
# replications in the statistical tests; their tolerances follow the count),
# CUSTOMS_CACHE_DIR (default BUILD/test-cache), TEST_JOBS (tests run at once; default
# the number of cores). Each test works in a folder of its own, and runs that share the
# cache may run at once (README.md: The cache), so tests run side by side: run one
# after another, the suite kept 1.25 of 2 cores busy. A line is printed as each test
# ends.
set -u
cd "$(dirname "$0")/.."
BUILD=${BUILD:-build}
export BUILD CUSTOMS_QUICK=${QUICK:-0}
# the tests' own kernel and model cache (README.md: The cache), never the user's: it may
# be empty or filled, results are the same
export CUSTOMS_CACHE_DIR=${CUSTOMS_CACHE_DIR:-$PWD/$BUILD/test-cache}
[ "${SAN:-0}" = 1 ] && export ASAN_OPTIONS=detect_leaks=1:halt_on_error=1 UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1
pass=0 fail=0 failed=()
log=$(mktemp -d)
trap 'rm -rf "$log"' EXIT
jobs_max=${TEST_JOBS:-$(nproc 2>/dev/null || echo 1)}
[ "$jobs_max" -ge 1 ] 2>/dev/null || jobs_max=1
pending=() # tests started and not yet reported

# Reports every started test that has ended (its .res file: exit status and seconds).
report() {
  local keep=() name rc secs
  for name in "${pending[@]}"; do
    if [ ! -f "$log/$name.res" ]; then keep+=("$name"); continue; fi
    read -r rc secs <"$log/$name.res"
    if [ "$rc" = 0 ]; then
      pass=$((pass + 1)); printf 'ok    %-28s %3ds\n' "$name" "$secs"
    else
      fail=$((fail + 1)); failed+=("$name"); printf 'FAIL  %-28s %3ds\n' "$name" "$secs"
      tail -n 40 "$log/$name.out" | sed 's/^/      /'
    fi
  done
  pending=("${keep[@]}")
}

run_one() { # name command...: starts it once fewer than jobs_max tests run
  local name=$1; shift
  while [ "$(jobs -rp | wc -l)" -ge "$jobs_max" ]; do wait -n; report; done
  (
    t0=$SECONDS
    "$@" >"$log/$name.out" 2>&1
    echo "$? $((SECONDS - t0))" >"$log/$name.tmp" && mv "$log/$name.tmp" "$log/$name.res"
  ) &
  pending+=("$name")
}

if [ "${1:-}" != unit ]; then # the script tests first: the longest of the suite
  for t in tests/test_*.sh; do
    [ -f "$t" ] && run_one "$(basename "$t")" bash "$t"
  done
  for t in tests/test_*.py; do
    [ -f "$t" ] || continue
    case $(head -5 "$t") in *standalone*) run_one "$(basename "$t")" /usr/bin/python3 "$t" ;; esac
  done
fi

for t in "$BUILD"/tests/test_*; do
  [ -x "$t" ] || continue
  name=$(basename "$t")
  if [ "${VALGRIND:-0}" = 1 ]; then
    case $name in # whole-scenario statistical runs: hours under valgrind (SAN=1 covers them)
      test_calibration|test_customs|test_validation|test_risk|test_declgen|test_sweep_grid)
        echo "skip  $name (too slow under valgrind; run under SAN=1)"; continue ;;
    esac
    run_one "$name" valgrind -q --error-exitcode=9 --leak-check=full "$t"
  else
    run_one "$name" "$t"
  fi
done
wait
report

echo
[ $fail -gt 0 ] && echo "failed: ${failed[*]}"
echo "$pass passed, $fail failed"
[ $fail -eq 0 ]
