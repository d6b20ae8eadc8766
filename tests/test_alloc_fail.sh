#!/usr/bin/env bash
# test_alloc_fail: every allocation of the project's own code, made to fail in turn.
# build/tests/alloc/customs-sim is customs-sim linked with the test allocator
# (tests/alloc_fail.c): CUSTOMS_FAIL_ALLOC=n fails the n-th allocation. A short run is
# repeated for every n (QUICK=1: a fixed sample) and each must end in one of two ways:
#   - exit 1 with one clear line, and no result file, or one marked complete = 0;
#   - exit 0 with a file bit-identical to that of a run where nothing failed (handled).
# A crash, a sanitizer report, exit 2 (an allocation failure is not the user's error), a
# second line, a left-over .partial or a complete file that differs is a failure.
# Swallowed failures still pending a fix may be listed in KNOWN (by the function that
# made the allocation, "function:where") and are then reported as "known".
set -u
cd "$(dirname "$0")/.."
BIN=${BUILD:-build}/tests/alloc/customs-sim
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
[ -x "$BIN" ] || { echo "FAIL  $BIN not built"; exit 1; }
# function that allocated -> where its failure is swallowed (none pending)
KNOWN=""
args=(-q -r 2 -j 1 --days 0.05 --set output.items=true --set output.sample_min=60 scenarios/validation/tandem.cfg)
CUSTOMS_FAIL_ALLOC=0 "$BIN" -o "$tmp/ref.h5" "${args[@]}" 2>"$tmp/count" || { echo "FAIL  reference run"; exit 1; }
total=$(sed -n 's/^alloc_fail: \([0-9]*\) allocations$/\1/p' "$tmp/count")
[ -n "$total" ] && [ "$total" -gt 100 ] || { echo "FAIL  allocation count: $(cat "$tmp/count")"; exit 1; }

one() { # n: prints "n verdict detail"
  local n=$1 d=$tmp/r$1; mkdir -p "$d"
  CUSTOMS_FAIL_ALLOC=$n timeout 120 "$BIN" -o "$d/out.h5" "${args[@]}" >/dev/null 2>"$d/err"; local rc=$?
  local lines; lines=$(wc -l <"$d/err")
  local msg; msg=$(head -c 200 "$d/err" | head -1)
  if grep -qE 'Sanitizer|runtime error' "$d/err" || [ $rc -ge 124 ]; then echo "$n crash rc=$rc $msg"
  elif [ -e "$d/out.h5.partial" ]; then echo "$n partial-left rc=$rc $msg"
  elif [ $rc -eq 0 ]; then
    if cmp -s "$d/out.h5" "$tmp/ref.h5"; then echo "$n handled"
    else
      local fn; fn=$(CUSTOMS_FAIL_ALLOC=$n CUSTOMS_FAIL_ALLOC_TRACE=1 "$BIN" -o "$d/t.h5" "${args[@]}" 2>&1 >/dev/null |
        sed -n 's/.*(+\(0x[0-9a-f]*\)).*/\1/p' | head -6 | addr2line -f -e "$BIN" | sed -n '1~2p' |
        grep -vE '^(fail_now|__wrap_.*|\?\?)$' | head -1)
      echo "$n wrong-figures $fn"
    fi
  elif [ $rc -eq 1 ] && [ "$lines" -eq 1 ] && [[ $msg == customs-sim:\ * ]]; then
    if [ -e "$d/out.h5" ] && ! /usr/bin/python3 -c "import h5py,sys; sys.exit(h5py.File('$d/out.h5').attrs['complete'] != 0)"; then
      echo "$n complete-file rc=1 $msg"
    else echo "$n failed-cleanly $msg"; fi
  else echo "$n bad-exit rc=$rc lines=$lines $msg"
  fi
  rm -rf "$d"
}
export -f one; export tmp BIN; export -n KNOWN
export ARGS_STR="${args[*]}"
# every allocation with ALLOC_ALL=1 (about 1300 runs: minutes); by default the first
# 60 (loading, set-up) and every 15th after them, every 40th under QUICK=1
step=15; [ "${CUSTOMS_QUICK:-0}" = 1 ] && step=40
ns=$( { seq 1 60; seq 61 "$step" "$total"; } )
[ "${ALLOC_ALL:-0}" = 1 ] && ns=$(seq 1 "$total")
# `one` needs the args array: rebuild it in the subshells
printf '%s\n' $ns | xargs -P 2 -I{} bash -c 'args=($ARGS_STR); one {}' >"$tmp/results"
sort -n "$tmp/results" >"$tmp/sorted"
pass=0 fail=0 known=0
while read -r n verdict rest; do
  case $verdict in
    handled|failed-cleanly) pass=$((pass + 1)) ;;
    wrong-figures)
      site=$(printf '%s\n' "$KNOWN" | grep "^${rest}:" | cut -d: -f2-)
      if [ -n "$site" ]; then known=$((known + 1)); echo "known allocation $n ($rest): $site"
      else fail=$((fail + 1)); echo "FAIL  allocation $n: a complete file with different figures (allocated in $rest)"; fi ;;
    *) fail=$((fail + 1)); echo "FAIL  allocation $n: $verdict $rest" ;;
  esac
done <"$tmp/sorted"
echo "$(wc -l <"$tmp/sorted") of $total allocations failed in turn: $pass ended cleanly, $known known swallowed, $fail wrong"
sed -n 's/^[0-9]* failed-cleanly customs-sim: //p' "$tmp/sorted" | sed -E 's/[0-9]+/N/g; s|/tmp/[^ :]*|FILE|g' | sort | uniq -c | sort -rn | head -8 | sed 's/^/  message: /'
[ $fail -eq 0 ]
