#!/usr/bin/env bash
# Runs the test suite: every cmocka program build/tests/test_*, then the script tests
# (tests/test_*.sh, and tests/test_*.py with Debian's /usr/bin/python3).
#   tests/run.sh          everything
#   tests/run.sh unit     the cmocka programs only (used by `make valgrind`)
# Environment: BUILD (build dir), SAN=1 (sanitizer build), VALGRIND=1, QUICK=1 (fewer
# replications in the statistical tests; their tolerances follow the count),
# CUSTOMS_CACHE_DIR (default BUILD/test-cache).
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

run_one() { # name command...
  local name=$1; shift
  local t0=$SECONDS
  if "$@" >"$log/$name.out" 2>&1; then
    pass=$((pass + 1)); printf 'ok    %-28s %3ds\n' "$name" $((SECONDS - t0))
  else
    fail=$((fail + 1)); failed+=("$name"); printf 'FAIL  %-28s %3ds\n' "$name" $((SECONDS - t0))
    tail -n 40 "$log/$name.out" | sed 's/^/      /'
  fi
}

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

if [ "${1:-}" != unit ]; then
  for t in tests/test_*.sh; do
    [ -f "$t" ] && run_one "$(basename "$t")" bash "$t"
  done
  for t in tests/test_*.py; do
    [ -f "$t" ] || continue
    case $(head -5 "$t") in *standalone*) run_one "$(basename "$t")" /usr/bin/python3 "$t" ;; esac
  done
fi

echo
[ $fail -gt 0 ] && echo "failed: ${failed[*]}"
echo "$pass passed, $fail failed"
[ $fail -eq 0 ]
