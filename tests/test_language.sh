#!/usr/bin/env bash
# test_language: the scenario language from the outside. --set on list entries
# (batches.[0].size, batches[0].size, routing.s0.[1].p, an array entry), on a count
# distribution's parameter and on kernel_params, with their one-line errors (unknown
# key, index beyond the list, unknown or out-of-range kernel parameter: exit 2, file and
# line named); --vary on the same paths; customs-sweep targets on every kind of figure:
# recovery (the KIX typhoon drill), classes and batches (the one-plane case), and a
# service level with its own threshold (M/M/1: P(wait <= 1 min) = 1 - 0.8 e^-0.2).
#   BUILD=build tests/test_language.sh
set -u
cd "$(dirname "$0")/.." || exit 1
BUILD=${BUILD:-build}
SIM=$BUILD/customs-sim
SWEEP=$BUILD/customs-sweep
PY=/usr/bin/python3
FLIGHT=scenarios/validation/flight.cfg
tmp=$(mktemp -d /tmp/test_language.XXXXXX)
trap 'rm -rf "$tmp"' EXIT
pass=0 fail=0
ok() { pass=$((pass + 1)); echo "ok    $*"; }
bad() { fail=$((fail + 1)); echo "FAIL  $*"; }

# expect_error NAME PATTERN PROGRAM ARGS...: exit 2, one line on stderr matching PATTERN
expect_error() {
  local name=$1 pat=$2; shift 2
  "$@" >"$tmp/out" 2>"$tmp/err"; local rc=$?
  if [ $rc -eq 2 ] && [ "$(wc -l <"$tmp/err")" -eq 1 ] && grep -q -- "$pat" "$tmp/err"; then ok "$name: $(cat "$tmp/err")"
  else bad "$name: rc=$rc, expected one line with '$pat': $(cat "$tmp/err")"; fi
}

# ---- --set on list entries and distribution parameters ------------------------------
"$SIM" -q -r 3 -o "$tmp/a.h5" --set 'channels.pax.arrivals.batches.[0].size=300' $FLIGHT &&
"$SIM" -q -r 3 -o "$tmp/b.h5" --set 'channels.pax.arrivals.batches[0].size.max=250' $FLIGHT &&
"$SIM" -q -r 3 -o "$tmp/c.h5" --set 'channels.pax.arrivals.batches.[0].spacing.mean_min=0.25' $FLIGHT
if [ $? -eq 0 ] && $PY - "$tmp" <<'PY' 2>"$tmp/py"; then ok "--set on a batch: size=300, the size's max, the spacing's mean"; else bad "--set on batches: $(cat "$tmp/py")"; fi
import sys, h5py, numpy as np
d = sys.argv[1]
a = h5py.File(d + "/a.h5")["/kpi/batches"][:]
assert list(a["size"]) == [300] * 3, a["size"]
b = h5py.File(d + "/b.h5")["/kpi/batches"][:]
assert all(240 <= b["size"]) and all(b["size"] <= 250), b["size"]
c = h5py.File(d + "/c.h5")
assert "mean_min = 0.25" in c.attrs["scenario"]
PY
"$SIM" -q -r 1 -o "$tmp/f.h5" --set 'channels.c0.routing.s0.[0].p=0.5' --set 'channels.c0.routing.s0[1].p=0.5' \
  --days 2 scenarios/validation/feedback.cfg
if [ $? -eq 0 ] && $PY - "$tmp/f.h5" <<'PY' 2>"$tmp/py"; then ok "--set on routing entries: p = 0.5 back, two visits an item"; else bad "--set on routing: $(cat "$tmp/py")"; fi
import sys, h5py
f = h5py.File(sys.argv[1])
st, ch = f["/kpi/stations"][0], f["/kpi/channels"][0]
visits = st["served"] / ch["released"]
assert abs(visits - 2) < 0.1, visits   # 1 / (1 - p)
PY
"$SIM" --check --set 'channels.exports.arrivals.hourly.[3]=2.5' --set 'stations.risk_sea.kernel_params.history_n=5000' \
  --set 'stations.scanner.kernel_params.threshold=0.6' scenarios/tokyo_port.cfg >"$tmp/out" 2>&1 &&
  ok "--set on an array entry and on kernel_params (risk history_n, xray threshold)" || bad "array and kernel_params: $(cat "$tmp/out")"
expect_error "index beyond the list" "tokyo_port.cfg:[0-9]*: --set channels.sea_containers.arrivals.batches.\[8\].size: index 8 out of range (the list has 8 entries" \
  "$SIM" --check --set 'channels.sea_containers.arrivals.batches.[8].size=3' scenarios/tokyo_port.cfg
expect_error "unknown key in an entry" "no key 'channels.\*.arrivals.batches\[\].sizes'" \
  "$SIM" --check --set 'channels.sea_containers.arrivals.batches.[0].sizes=3' scenarios/tokyo_port.cfg
expect_error "not a list" "'route' is not a list\|'arrivals' is not a list" \
  "$SIM" --check --set 'channels.sea_containers.arrivals.[0].size=3' scenarios/tokyo_port.cfg
expect_error "bad index" "'\[x\]' is not a list index" \
  "$SIM" --check --set 'channels.sea_containers.arrivals.batches.[x].size=3' scenarios/tokyo_port.cfg
expect_error "size out of range" "batches\[0\].size: value -3 out of range" \
  "$SIM" --check --set 'channels.sea_containers.arrivals.batches.[0].size=-3' scenarios/tokyo_port.cfg
expect_error "unknown kernel parameter" "stations.risk_sea.kernel_params.bogus: unknown parameter of kernel 'risk' (one of: " \
  "$SIM" --check --set 'stations.risk_sea.kernel_params.bogus=1' scenarios/tokyo_port.cfg
expect_error "kernel parameter out of range" "kernel_params.history_n: value -5 out of range" \
  "$SIM" --check --set 'stations.risk_sea.kernel_params.history_n=-5' scenarios/tokyo_port.cfg
expect_error "a distribution's bad parameter" "size.min: must be a whole number" \
  "$SIM" --check --set 'channels.pax.arrivals.batches.[0].size.min=2.5' $FLIGHT

# ---- --vary on the same paths ------------------------------------------------------------
"$SWEEP" --check --vary 'channels.pax.arrivals.batches.[0].size=250,300' --vary 'stations.check.selection.gap.mean=3,7' \
  $FLIGHT >"$tmp/out" 2>&1 && grep -q "ok (4 variants" "$tmp/out" && ok "--vary a batch's size and a count distribution's mean" ||
  bad "--vary list entries: $(cat "$tmp/out")"
"$SWEEP" --check --vary 'stations.risk_sea.kernel_params.history_n=2000,5000' scenarios/tokyo_port.cfg >"$tmp/out" 2>&1 &&
  grep -q "ok (2 variants" "$tmp/out" && ok "--vary a kernel parameter" || bad "--vary kernel_params: $(cat "$tmp/out")"
expect_error "--vary beyond the list" "index 5 out of range" \
  "$SWEEP" --check --vary 'channels.pax.arrivals.batches.[5].size=250,300' $FLIGHT

# ---- targets on every figure ---------------------------------------------------------------
opt=(--optimize -r 3 --max-reps 3 --confirm-reps 3 -j 2)
"$SWEEP" "${opt[@]}" --days 4 --set run.warmup_days=1 --vary ports.kix.stations.handling.servers=14,16 \
  --cost 'ports.kix.stations.handling.servers*1' --target 'recovery.kix.air_cargo.peak_backlog<=1e9' \
  --target 'recovery.kix.delayed_24h<=1e9' -o "$tmp/kix.h5" scenarios/drills/kix_typhoon.cfg >"$tmp/out" 2>&1; rc=$?
if [ $rc -eq 0 ] && $PY - "$tmp/kix.h5" <<'PY' 2>"$tmp/py"; then ok "targets on recovery figures (a channel's and a port's): the optimizer's means are the /kpi/recovery rows'"; else bad "recovery targets (rc=$rc): $(cat "$tmp/out" "$tmp/py")"; fi
import sys, h5py, numpy as np
f = h5py.File(sys.argv[1])
o, r = f["/optimize"][:], f["/kpi/recovery"][:]
best = o[o["variant"] == 0][-1]
rows = r[(r["variant"] == 0) & (r["scope"] == b"kix.air_cargo")]
assert abs(best["recovery.kix.air_cargo.peak_backlog_mean"] - rows["peak_backlog"].mean()) < 1e-9
port = r[(r["variant"] == 0) & (r["scope"] == b"kix")]
assert abs(best["recovery.kix.delayed_24h_mean"] - port["delayed_24h"].mean()) < 1e-9
assert f["/optimize"].attrs["best_variant"] == 0
PY
expect_error "recovery target without disruptions" "no disruptions, so no recovery figures" \
  "$SWEEP" --check --optimize --vary stations.s0.servers=1,2 --cost 'stations.s0.servers*1' \
  --target 'recovery.port.time_to_normal_h<=72' scenarios/validation/mm1.cfg
expect_error "recovery target on an unknown scope" "no recovery scope (a channel, or a port) 'osaka'" \
  "$SWEEP" --check --optimize --vary ports.kix.stations.handling.servers=14,16 --cost 'ports.kix.stations.handling.servers*1' \
  --target 'recovery.osaka.time_to_normal_h<=72' scenarios/drills/kix_typhoon.cfg
expect_error "unknown class" "no channel and class (CHANNEL.CLASS) 'pax.vip'" \
  "$SWEEP" --check --optimize --vary staff.agents.size=2,3 --cost 'staff.agents.size*1' \
  --target 'classes.pax.vip.release_mean_min<=8' $FLIGHT
expect_error "bad threshold" "the threshold in wait_share_within(MIN) must be a number of minutes" \
  "$SWEEP" --check --optimize --vary staff.agents.size=2,3 --cost 'staff.agents.size*1' \
  --target 'channels.pax.wait_share_within(soon)>=0.9' $FLIGHT

# a plane: its clearance and the searched passengers' service level decide the agents
"$SWEEP" --optimize -r 10 --max-reps 40 -j 2 --vary staff.agents.size=2:4 --cost 'staff.agents.size*1' \
  --target 'batches.pax.0.clearance_min<=200' --target 'classes.pax.selected.wait_share_within(1.0)>=0.8' \
  --target 'classes.pax.not_selected.release_mean_min<=10' -o "$tmp/plane.h5" $FLIGHT >"$tmp/out" 2>&1; rc=$?
if [ $rc -eq 0 ] && $PY - "$tmp/plane.h5" <<'PY' 2>"$tmp/py"; then ok "targets on a batch, a class and a class's service level: $(grep '^best' "$tmp/out")"; else bad "plane targets (rc=$rc): $(cat "$tmp/out" "$tmp/py")"; fi
import sys, h5py
f = h5py.File(sys.argv[1])
o = f["/optimize"][:]
for c in ["batches.pax.0.clearance_min_mean", "classes.pax.selected.wait_share_within(1.0)_mean",
          "classes.pax.not_selected.release_mean_min_bound"]:
    assert c in o.dtype.names, c
assert "/kpi/classes" in f and "/kpi/batches" in f and "/kpi/summary/classes" in f
PY

# M/M/1, rho = 0.8: P(wait <= 1 min) = 1 - 0.8 exp(-0.2) = 0.345
"$SWEEP" --optimize -r 20 --max-reps 20 --confirm-reps 20 -j 2 --days 5 --vary stations.s0.servers=1,2 \
  --cost 'stations.s0.servers*1' --target 'channels.c0.wait_share_within(1)>=0.3' \
  -o "$tmp/mm1.h5" scenarios/validation/mm1.cfg >"$tmp/out" 2>&1; rc=$?
if [ $rc -eq 0 ] && $PY - "$tmp/mm1.h5" <<'PY' 2>"$tmp/py"; then ok "service level with its own threshold: $(cat "$tmp/py")"; else bad "service level (rc=$rc): $(cat "$tmp/out" "$tmp/py")"; fi
import sys, math, h5py
o = h5py.File(sys.argv[1])["/optimize"][:]
c1 = o[o["variant"] == 0][-1]
m, hw = c1["channels.c0.wait_share_within(1)_mean"], c1["channels.c0.wait_share_within(1)_hw"]
want = 1 - 0.8 * math.exp(-0.2)
assert abs(m - want) <= hw * 3.29 / 2.09 + 0.005, (m, hw, want)   # 99.9% (t, 19 d.f. for the 95% hw) + warm-up bias
print("M/M/1 P(wait <= 1 min) %.4f ± %.4f, theory %.4f" % (m, hw, want), file=sys.stderr)
PY

echo "$pass passed, $fail failed"
[ $fail -eq 0 ]
