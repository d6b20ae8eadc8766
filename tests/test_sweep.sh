#!/usr/bin/env bash
# test_sweep: customs-sweep and customs-sweep-mpi from the outside, on the M/M/c
# validation scenario: the grid and its /sweep table, bad --vary / --cost / --target
# input (exit 2, one line naming the path, no file left), common random numbers (two
# identical variants give identical figures), the optimizer on Erlang C cases (the
# cheapest server count meeting a mean-wait target, computed here with
# tests/analytic.h), an interrupted sweep (exit 130, complete = 0), MPI against local
# threads (identical tables), customs-report charts of a sweep, and timings of -j 1,
# -j 2 and 2 MPI ranks (printed, not checked).
#   BUILD=build tests/test_sweep.sh        (SAN=1 for the sanitizer build: no timings)
set -u
cd "$(dirname "$0")/.." || exit 1
BUILD=${BUILD:-build}
SAN=${SAN:-0}
SWEEP=$BUILD/customs-sweep
SWEEP_MPI=$BUILD/customs-sweep-mpi
REPORT=$BUILD/customs-report
PY=/usr/bin/python3
MMC=scenarios/validation/mmc.cfg
tmp=$(mktemp -d /tmp/test_sweep.XXXXXX)
trap 'rm -rf "$tmp"' EXIT
pass=0 fail=0
ok() { pass=$((pass + 1)); echo "ok    $*"; }
bad() { fail=$((fail + 1)); echo "FAIL  $*"; }
skip() { echo "skip  $*"; }
export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1 OMPI_MCA_rmaps_base_oversubscribe=1
# OpenMPI's own start-up allocations are never freed: under the sanitizers, the MPI runs
# check memory errors but not leaks (the same sweep code is leak-checked without MPI).
mpirun() { if [ "$SAN" = 1 ]; then ASAN_OPTIONS=detect_leaks=0:halt_on_error=1 command mpirun "$@"; else command mpirun "$@"; fi; }

if [ ! -x "$SWEEP" ]; then
  make --no-print-directory BUILD="$BUILD" SAN="$SAN" "$SWEEP" >/dev/null ||
    { bad "$SWEEP is missing and could not be built"; echo "$pass passed, $fail failed"; exit 1; }
fi
short=(--days 2 --set run.warmup_days=0.5) # each replication: ~13,000 customers

# ---- the grid ---------------------------------------------------------------------
"$SWEEP" --check "${short[@]}" --vary stations.s0.servers=4:6 --vary channels.c0.arrivals.rate_per_hour=150,200 $MMC >"$tmp/out"
grep -q "ok (6 variants" "$tmp/out" && ok "--check counts 6 variants" || bad "--check output: $(cat "$tmp/out")"
"$SWEEP" -q -r 2 -j 2 "${short[@]}" -o "$tmp/grid.h5" --vary stations.s0.servers=4:8:2 \
  --vary channels.c0.arrivals.rate_per_hour=150:180:15 $MMC 2>"$tmp/err"; rc=$?
if [ $rc -eq 0 ] && $PY - "$tmp/grid.h5" <<'PY' 2>"$tmp/py"; then ok "3 x 3 grid: /sweep rows, settings, means and half-widths"; else bad "grid (rc=$rc): $(cat "$tmp/err" "$tmp/py")"; fi
import sys, h5py, numpy as np
f = h5py.File(sys.argv[1])
s = f["/sweep"][:]
assert f.attrs["schema"] == "customs-sim/1" and f.attrs["complete"] == 1 and f.attrs["replications"] == 2
assert f.attrs["sweep_paths"] == "stations.s0.servers,channels.c0.arrivals.rate_per_hour"
assert len(s) == 9 and list(s["variant"]) == list(range(9)) and all(s["n"] == 2)
assert list(s["stations.s0.servers"]) == [4, 4, 4, 6, 6, 6, 8, 8, 8], s["stations.s0.servers"]
assert s.dtype["stations.s0.servers"].kind == "i" and s.dtype["channels.c0.arrivals.rate_per_hour"].kind == "f"
assert list(s["channels.c0.arrivals.rate_per_hour"]) == [150.0, 165.0, 180.0] * 3
for name in ["channels.c0.release_mean_min", "channels.c0.release_p95_min", "channels.c0.within_target_share",
             "channels.c0.wait_p95_min", "stations.s0.utilization", "stations.s0.wait_mean_min"]:
    assert name + "_mean" in s.dtype.names and name + "_hw" in s.dtype.names, name
k = f["/kpi/stations"][:]
assert len(k) == 18 and "variant" in k.dtype.names
w = s["stations.s0.wait_mean_min_mean"]
assert w[0] > w[3] > w[6] and w[0] < w[1] < w[2]   # more servers wait less; more arrivals wait more
v0 = k[k["variant"] == 0]["wait_mean_min"]         # the summary is the mean of the per-replication rows
assert abs(v0.mean() - w[0]) < 1e-12
PY

# ---- bad input ------------------------------------------------------------------
# expect_error NAME PATTERN ARGS...: exit 2, one line on stderr matching PATTERN, no file
expect_error() {
  local name=$1 pat=$2; shift 2
  "$SWEEP" -q -o "$tmp/$name.h5" "${short[@]}" "$@" $MMC >"$tmp/out" 2>"$tmp/err"; local rc=$?
  if [ $rc -eq 2 ] && [ "$(wc -l <"$tmp/err")" -eq 1 ] && grep -qE -- "$pat" "$tmp/err" &&
     [ ! -e "$tmp/$name.h5" ] && [ ! -e "$tmp/$name.h5.partial" ]; then
    ok "$name: $(cat "$tmp/err")"
  else
    bad "$name (rc=$rc): $(cat "$tmp/err")"
  fi
}
expect_error unknown_path '--vary stations.s0.serverz: unknown key' --vary stations.s0.serverz=1,2
expect_error unknown_station '--vary stations.s7.servers: unknown key' --vary stations.s7.servers=1,2
expect_error bad_int '--vary stations.s0.servers: .x. is not an integer' --vary stations.s0.servers=3,x
expect_error float_for_int '--vary stations.s0.servers: .2.5. is not an integer' --vary stations.s0.servers=2.5,3
expect_error bad_float '--vary channels.c0.arrivals.rate_per_hour: .fast. is not a number' --vary channels.c0.arrivals.rate_per_hour=100,fast
expect_error empty_list '--vary stations.s0.servers: empty list' --vary stations.s0.servers=
expect_error empty_value '--vary stations.s0.servers: empty value' --vary stations.s0.servers=3,,4
expect_error zero_step '--vary stations.s0.servers: range step 0 must be > 0' --vary stations.s0.servers=2:8:0
expect_error negative_step '--vary stations.s0.servers: range step -1 must be > 0' --vary stations.s0.servers=2:8:-1
expect_error end_below_start '--vary stations.s0.servers: range end 2 is below its start 8' --vary stations.s0.servers=8:2
expect_error out_of_range '--vary stations.s0.servers: value -1 out of range' --vary stations.s0.servers=-1:2
expect_error float_out_of_range '--vary channels.c0.arrivals.rate_per_hour: value -10 out of range' --vary channels.c0.arrivals.rate_per_hour=-10:10:10
expect_error not_a_value '--vary stations.s0.service: a group cannot be set' --vary stations.s0.service=1
expect_error no_equals "--vary 'stations.s0.servers': expected PATH=VALUES" --vary stations.s0.servers
expect_error twice '--vary stations.s0.servers: the path is varied twice' --vary stations.s0.servers=1 --vary stations.s0.servers=2
expect_error no_vary 'nothing to sweep'
expect_error target_unknown_kpi '--target: stations.s0.wait: unknown figure .wait.' --optimize --vary stations.s0.servers=4:6 --cost stations.s0.servers*1 --target 'stations.s0.wait<=1'
expect_error target_unknown_station "--target: stations.x.wait_mean_min: no station 'x'" --optimize --vary stations.s0.servers=4:6 --cost stations.s0.servers*1 --target 'stations.x.wait_mean_min<=1'
expect_error target_syntax "--target 'stations.s0.wait_mean_min=1': expected KPI<=VALUE" --optimize --vary stations.s0.servers=4:6 --cost stations.s0.servers*1 --target 'stations.s0.wait_mean_min=1'
expect_error cost_syntax "--cost 'stations.s0.servers\*lots': expected PATH\*PRICE" --optimize --vary stations.s0.servers=4:6 --cost 'stations.s0.servers*lots' --target 'stations.s0.wait_mean_min<=1'
expect_error cost_missing '--optimize needs a cost' --optimize --vary stations.s0.servers=4:6 --target 'stations.s0.wait_mean_min<=1'
expect_error target_missing '--optimize needs a target' --optimize --vary stations.s0.servers=4:6 --cost stations.s0.servers*1
expect_error target_without_optimize '--cost and --target need --optimize' --vary stations.s0.servers=4:6 --target 'stations.s0.wait_mean_min<=1'

# costs and targets written in the scenario work like --cost and --target
{ cat $MMC; printf 'costs = { s = { path = "stations.s0.servers"; price = 1.0; }; };\ntargets = { w = { kpi = "stations.s0.wait_mean_min"; max = 0.5; }; };\n'; } >"$tmp/goals.cfg"
"$SWEEP" "${short[@]}" --optimize --vary stations.s0.servers=3:8 -o "$tmp/goals.h5" "$tmp/goals.cfg" >"$tmp/out" 2>"$tmp/err"; rc=$?
"$SWEEP" "${short[@]}" --optimize --vary stations.s0.servers=3:8 --cost 'stations.s0.servers*1' --target 'stations.s0.wait_mean_min<=0.5' -o "$tmp/goals2.h5" $MMC >"$tmp/out2" 2>&1
if [ $rc -eq 0 ] && [ "$(grep '^best:' "$tmp/out")" = "$(grep '^best:' "$tmp/out2")" ] && grep -q '^best:' "$tmp/out"; then
  ok "costs and targets from the scenario: $(grep '^best:' "$tmp/out")"
else
  bad "costs and targets from the scenario (rc $rc): $(cat "$tmp/err") | $(grep '^best:' "$tmp/out") vs $(grep '^best:' "$tmp/out2")"
fi

# ---- common random numbers ---------------------------------------------------------
"$SWEEP" -q -r 3 -j 2 "${short[@]}" -o "$tmp/crn.h5" --vary stations.s0.servers=4,4,5 $MMC 2>"$tmp/err"; rc=$?
if [ $rc -eq 0 ] && $PY - "$tmp/crn.h5" <<'PY' 2>"$tmp/py"; then ok "common random numbers: identical variants give identical results; arrivals shared across variants"; else bad "CRN (rc=$rc): $(cat "$tmp/err" "$tmp/py")"; fi
import sys, h5py, numpy as np
f = h5py.File(sys.argv[1]); s = f["/sweep"][:]
for n in s.dtype.names:
    if n != "variant":
        assert np.array_equal(s[n][0], s[n][1], equal_nan=True), n
assert s["stations.s0.wait_mean_min_mean"][0] != s["stations.s0.wait_mean_min_mean"][2]
c = f["/kpi/channels"][:]
arr = [list(c[c["variant"] == v]["arrived"]) for v in range(3)]
assert arr[0] == arr[1] == arr[2], arr   # replication k sees the same arrivals in every variant
PY

# ---- the optimizer on Erlang C cases ----------------------------------------------------
# cases: "lambda_per_min target_wq_min"; mu = 1/min. The expected answer is computed
# here from the Erlang C formula of tests/analytic.h, never written by hand.
cat >"$tmp/erlang.c" <<'C'
#include <stdio.h>
#include <stdlib.h>
#include "tests/analytic.h"
/* Smallest c whose M/M/c mean wait meets the target; exit 3 when the case sits too close
 * to a boundary (within 15% of the target) for a short simulation to settle it. */
int main(int argc, char **argv) {
  double lambda = atof(argv[1]), target = atof(argv[2]);
  for (int c = (int)lambda + 1; c < 100; c++) {
    double wq = an_mmc_wq(lambda, 1.0, c), prev = c > (int)lambda + 1 ? an_mmc_wq(lambda, 1.0, c - 1) : 1e9;
    if (wq <= target) {
      printf("%d %.4f\n", c, wq);
      return wq > 0.85 * target || prev < 1.15 * target ? 3 : 0;
    }
  }
  return 1;
}
C
if cc -std=c17 -I. -o "$tmp/erlang" "$tmp/erlang.c" -lm; then
  for case in "3.6 0.5" "3.6 1.0" "3.6 2.5" "2.0 0.2" "2.0 1.0" "6.0 0.3"; do
    set -- $case
    read -r want wq < <("$tmp/erlang" "$1" "$2"); erc=$?
    [ -n "$want" ] || { bad "Erlang C helper failed on case $case"; continue; }
    rate=$(awk -v l="$1" 'BEGIN { printf "%g", l * 60 }')
    t0=$(date +%s.%N)
    "$SWEEP" -j 2 --days 3 --set run.warmup_days=0.5 --set channels.c0.arrivals.rate_per_hour="$rate" \
      -o "$tmp/opt.h5" --optimize --vary stations.s0.servers=1:12 --cost 'stations.s0.servers*1000' \
      --target "stations.s0.wait_mean_min<=$2" $MMC >"$tmp/out" 2>"$tmp/err"; rc=$?
    secs=$(awk -v a="$t0" -v b="$(date +%s.%N)" 'BEGIN { printf "%.1f", b - a }')
    got=$(sed -n 's/^best: stations.s0.servers=\([0-9]*\) .*/\1/p' "$tmp/out")
    if [ $rc -eq 0 ] && [ "$got" = "$want" ] && grep -q "cost=${want}000" "$tmp/out" && grep -q '^runner-up' "$tmp/out"; then
      ok "optimizer: lambda=$1/min, Wq<=$2 min: c=$got (Erlang C: c=$want, Wq=$wq) in ${secs}s"
    else
      bad "optimizer: lambda=$1/min, Wq<=$2: got '$got', Erlang C says $want (rc=$rc) $(cat "$tmp/err")"; cat "$tmp/out"
    fi
    [ $erc -eq 3 ] && echo "      (note: this case is near a boundary)"
  done
  # the /optimize table of the last case
  if $PY - "$tmp/opt.h5" "$want" <<'PY' 2>"$tmp/py"; then ok "/optimize table: candidates by cost, bounds, feasible flags, the best confirmed"; else bad "/optimize: $(cat "$tmp/py")"; fi
import sys, h5py, numpy as np
f = h5py.File(sys.argv[1]); o = f["/optimize"][:]; want = int(sys.argv[2])
assert f.attrs["mode"] == "optimize" and f["/optimize"].attrs["best_variant"] == want - 1
c = o["cost"]; assert all(np.diff(c[:-1]) >= 0)           # evaluated in cost order (then the runner-up)
best = o[o["role"] == 1][0]
assert best["stations.s0.servers"] == want and best["feasible"] == 1 and best["confirmed"] == 1
assert best["stations.s0.wait_mean_min_bound"] <= float(f["/optimize"].attrs["targets"].split("<=")[1])
assert all(o[o["stations.s0.servers"] < want]["feasible"] == 0)
assert best["n"] > o["n"].min()                             # the confirmation run added replications
for n in ["step", "variant", "cost", "n", "stations.s0.wait_mean_min_mean", "stations.s0.wait_mean_min_bound", "feasible"]:
    assert n in o.dtype.names, n
PY
else
  bad "cannot compile the Erlang C helper"
fi
# no configuration meets the target: exit 3, "best: none"
"$SWEEP" "${short[@]}" -o "$tmp/none.h5" --optimize --vary stations.s0.servers=4,5 --cost stations.s0.servers*1 \
  --target 'stations.s0.wait_mean_min<=0.001' $MMC >"$tmp/out" 2>&1; rc=$?
[ $rc -eq 3 ] && grep -q "^best: none" "$tmp/out" && grep -q "closest infeasible" "$tmp/out" && [ -f "$tmp/none.h5" ] &&
  ok "optimizer: an unreachable target gives exit 3 and names the closest infeasible" || bad "unreachable target (rc=$rc): $(cat "$tmp/out")"
# a >= target on a share
"$SWEEP" "${short[@]}" -o "$tmp/share.h5" --optimize --vary stations.s0.servers=3:8 --cost stations.s0.servers*1 \
  --target 'stations.s0.utilization>=0.7' --target 'stations.s0.wait_mean_min<=1.0' $MMC >"$tmp/out" 2>&1; rc=$?
grep -q "^best: stations.s0.servers=5 " "$tmp/out" && [ $rc -eq 0 ] &&
  ok "optimizer: two targets (utilization >= 0.7, wait <= 1): c=5" || bad "two targets (rc=$rc): $(cat "$tmp/out")"

# ---- interruption ----------------------------------------------------------------------
# The signal comes when about two of nine variants are done: the wait is measured on one
# variant first, so a slow or loaded machine (sanitizers) waits longer instead of failing.
t0=$(date +%s.%N)
"$SWEEP" -q -r 50 --days 20 -o "$tmp/one.h5" --vary stations.s0.servers=4:4 $MMC 2>/dev/null
wait_s=$(echo "$t0 $(date +%s.%N)" | awk '{printf "%.2f", 1.2 * ($2 - $1) + 0.2}')
"$SWEEP" -q -r 50 --days 20 -o "$tmp/int.h5" --vary stations.s0.servers=4:12 $MMC 2>"$tmp/err" &
pid=$!
sleep "$wait_s"; kill -INT $pid; wait $pid; rc=$?
if [ $rc -eq 130 ] && $PY -c "
import h5py; f = h5py.File('$tmp/int.h5'); assert f.attrs['complete'] == 0
assert 0 < f['/sweep'].shape[0] < 9" 2>"$tmp/py"; then ok "SIGINT after ${wait_s} s: exit 130, partial file with complete = 0"; else bad "SIGINT after ${wait_s} s (rc=$rc): $(cat "$tmp/err" "$tmp/py")"; fi

# ---- customs-report on a sweep file ---------------------------------------------------
if [ -x "$REPORT" ]; then
  "$REPORT" -q "$tmp/grid.h5" --png "$tmp/png" --sweep-x stations.s0.servers >"$tmp/out" 2>&1; rc=$?
  n=$(ls "$tmp/png"/sweep_*.png 2>/dev/null | wc -l)
  [ $rc -eq 0 ] && [ "$n" -gt 0 ] && ok "customs-report --png --sweep-x draws $n sweep charts" || bad "customs-report on a sweep (rc=$rc, $n charts): $(cat "$tmp/out")"
else
  skip "customs-report not built"
fi

# ---- MPI against local threads ---------------------------------------------------------
same_tables() { # same_tables A.h5 B.h5 DATASET...: every field of every row equal, bit for bit
  $PY - "$@" <<'PY'
import sys, h5py, numpy as np
a, b = h5py.File(sys.argv[1]), h5py.File(sys.argv[2])
for k in sys.argv[3:]:
    x, y = a[k][:], b[k][:]
    assert x.dtype == y.dtype and x.shape == y.shape, k
    for n in x.dtype.names:
        same = list(x[n]) == list(y[n]) if x.dtype[n].kind == "O" else x[n].tobytes() == y[n].tobytes()
        assert same, (k, n)
for n in a.attrs:
    assert str(a.attrs[n]) == str(b.attrs[n]), n
PY
}
if ! command -v mpirun >/dev/null; then
  skip "MPI: mpirun is not installed"
elif [ ! -x "$SWEEP_MPI" ]; then
  skip "MPI: $SWEEP_MPI is not built (no mpicc?)"
else
  args=(-r 5 "${short[@]}" --vary stations.s0.servers=4:6 --vary channels.c0.arrivals.rate_per_hour=180,200 $MMC)
  "$SWEEP" -q -j 2 -o "$tmp/local.h5" "${args[@]}" 2>"$tmp/err1"; rc1=$?
  mpirun -n 3 --oversubscribe "$SWEEP_MPI" -q -o "$tmp/mpi.h5" "${args[@]}" >"$tmp/mpiout" 2>"$tmp/err2"; rc2=$?
  if [ $rc1 -eq 0 ] && [ $rc2 -eq 0 ] && same_tables "$tmp/local.h5" "$tmp/mpi.h5" /sweep /kpi/channels /kpi/stations 2>"$tmp/py"; then
    ok "MPI (3 ranks) and -j 2 give identical /sweep and /kpi tables"
  else
    bad "MPI vs local (rc $rc1, $rc2): $(cat "$tmp/err1" "$tmp/err2" "$tmp/py")"
  fi
  oargs=(-j 1 "${short[@]}" --optimize --vary stations.s0.servers=1:10 --cost stations.s0.servers*1 --target 'stations.s0.wait_mean_min<=0.5' $MMC)
  "$SWEEP" -q -o "$tmp/olocal.h5" "${oargs[@]}" 2>"$tmp/err1"; rc1=$?
  mpirun -n 3 --oversubscribe "$SWEEP_MPI" -q -o "$tmp/ompi.h5" "${oargs[@]}" >"$tmp/mpiout" 2>"$tmp/err2"; rc2=$?
  if [ $rc1 -eq 0 ] && [ $rc2 -eq 0 ] && same_tables "$tmp/olocal.h5" "$tmp/ompi.h5" /optimize /sweep /kpi/stations 2>"$tmp/py"; then
    ok "MPI (3 ranks) and local optimizer: identical /optimize tables"
  else
    bad "MPI vs local optimizer (rc $rc1, $rc2): $(cat "$tmp/err1" "$tmp/err2" "$tmp/py")"
  fi
  # a task that fails on a worker rank is reported with its variant and replication
  mkdir -p "$tmp/elsewhere"
  mpirun -n 2 --oversubscribe sh -c 'if [ "$OMPI_COMM_WORLD_RANK" = 1 ]; then cd "$0"; fi; exec "$@"' "$tmp/elsewhere" \
    "$PWD/$SWEEP_MPI" -q -o "$tmp/fail.h5" "${args[@]}" >"$tmp/out" 2>"$tmp/err"; rc=$?
  [ $rc -ne 0 ] && grep -qE 'variant [0-9]+ \(.*\) replication [0-9]+ failed on rank 1' "$tmp/err" &&
    ok "a failing task on rank 1 is reported: $(grep -m1 'failed on rank' "$tmp/err" | cut -c1-110)..." ||
    bad "failing rank (rc=$rc): $(cat "$tmp/err")"
fi

# ---- speed (printed, not checked) ----------------------------------------------------------
if [ "$SAN" != 1 ]; then
  bench=(-q -r 6 --days 10 --set run.warmup_days=0.5 --vary stations.s0.servers=4:7 $MMC)
  timeit() { local t0; t0=$(date +%s.%N); "$@" >/dev/null 2>&1; awk -v a="$t0" -v b="$(date +%s.%N)" 'BEGIN { printf "%.2f", b - a }'; }
  t1=$(timeit "$SWEEP" -j 1 -o "$tmp/b1.h5" "${bench[@]}")
  t2=$(timeit "$SWEEP" -j 2 -o "$tmp/b2.h5" "${bench[@]}")
  line="speed (4 variants x 6 replications of 10.5 days, $(nproc) cores): -j 1 ${t1}s, -j 2 ${t2}s (x$(awk -v a="$t1" -v b="$t2" 'BEGIN { printf "%.2f", a / b }'))"
  if command -v mpirun >/dev/null && [ -x "$SWEEP_MPI" ]; then
    tm=$(timeit mpirun -n 2 "$SWEEP_MPI" -o "$tmp/bm.h5" "${bench[@]}")
    line="$line, mpirun -n 2 ${tm}s (x$(awk -v a="$t1" -v b="$tm" 'BEGIN { printf "%.2f", a / b }'))"
  fi
  echo "info  $line"
fi

echo "$pass passed, $fail failed"
[ $fail -eq 0 ]
