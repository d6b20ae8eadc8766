#!/usr/bin/env bash
# test_cli: customs-sim from the outside: bad input gives one clear line and exit 2 with
# no file left behind; --set reaches keys; results are bit-identical for any -j and with
# or without the item helper; the result file has the documented layout (checked with
# h5py by tests/test_layout.py).
set -u
cd "$(dirname "$0")/.."
SIM=${BUILD:-build}/customs-sim
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
pass=0 fail=0
ok() { pass=$((pass+1)); echo "ok    $*"; }
bad() { fail=$((fail+1)); echo "FAIL  $*"; }

base='name = "t";
run = { days = 1.0; };
channels = { c0 = { arrivals = { process = "poisson"; rate_per_hour = 30.0; }; route = [ "s0" ]; }; };
stations = { s0 = { servers = 1; service = { dist = "exponential"; mean_min = 1.0; }; }; };'

# expect_error NAME PATTERN FILE-CONTENT [extra args...]: exit 2, one line naming file, line and PATTERN
expect_error() {
  local name=$1 pat=$2 content=$3; shift 3
  printf '%s\n' "$content" >"$tmp/$name.cfg"
  "$SIM" -q -o "$tmp/$name.h5" "$@" "$tmp/$name.cfg" >"$tmp/out" 2>"$tmp/err"; local rc=$?
  local lines; lines=$(wc -l <"$tmp/err")
  if [ $rc -eq 2 ] && [ "$lines" -eq 1 ] && grep -q "$name.cfg" "$tmp/err" && grep -qE -- "$pat" "$tmp/err" \
     && [ ! -e "$tmp/$name.h5" ] && [ ! -e "$tmp/$name.h5.partial" ]; then
    ok "$name: $(cat "$tmp/err")"
  else
    bad "$name (rc=$rc): $(cat "$tmp/err")"
  fi
}

expect_error syntax ':3: syntax error' 'name = "x";
run = { days = 1.0; };
channels = { c0 = { route = [ "s0" ] ; ; };'
expect_error unknown_key ':2: run.dayz: unknown key' "${base/days = 1.0;/dayz = 1.0;}"
expect_error wrong_type ':4: stations.s0.servers: must be an integer' "${base/servers = 1;/servers = \"two\";}"
expect_error negative_rate ':3: channels.c0.arrivals.rate_per_hour: value -30 out of range' "${base/rate_per_hour = 30.0/rate_per_hour = -30.0}"
expect_error zero_rate ':3: channels.c0.arrivals.rate_per_hour: value 0 out of range' "${base/rate_per_hour = 30.0/rate_per_hour = 0.0}"
expect_error unknown_station ':3: channels.c0.route\[0\]: route to unknown station .s9.' "$(printf '%s\n' "$base" | sed 's/route = \[ "s0" \]/route = [ "s9" ]/')"
expect_error unknown_dist ':4: stations.s0.service.dist: unknown distribution .expo.' "${base/exponential/expo}"
expect_error negative_servers ':4: stations.s0.servers: value -1 out of range' "${base/servers = 1;/servers = -1;}"
expect_error missing_key ':3: channels.c0: missing required key .route.' "$(printf '%s\n' "$base" | sed 's/route = \[ "s0" \];//')"
expect_error bad_dist_param ':4: stations.s0.service.mode_min: unknown key for the exponential distribution' "${base/mean_min/mode_min}"
expect_error bad_branch ':3: channels.c0.routing.s0: branch probabilities sum to 0.5' "$(printf '%s\n' "$base" | sed 's/route = \[ "s0" \];/route = [ "s0" ]; routing = { s0 = ( { to = "exit"; p = 0.5; } ); };/')"
expect_error set_unknown_path ':4: --set stations.s0.serverz: unknown key' "$base" --set stations.s0.serverz=2
expect_error set_bad_value ":4: --set stations.s0.servers: 'two' is not an integer" "$base" --set stations.s0.servers=two
expect_error set_out_of_range ':4: --set stations.s0.servers: value -3 out of range' "$base" --set stations.s0.servers=-3

# the customs model's keys
expect_error bad_type_name ':4: stations.s0.type: .scanner. is not one of' "${base/servers = 1;/servers = 1; type = \"scanner\";}"
expect_error bad_applies ':4: stations.s0.applies_to: .everyone. is not one of' "${base/servers = 1;/servers = 1; applies_to = \"everyone\";}"
expect_error bad_share ':4: stations.s0.share: value 1.5 out of range' "${base/servers = 1;/servers = 1; share = 1.5;}"
expect_error bad_fallback ':4: stations.s0.fallback: fallback to unknown station .desk.' "${base/servers = 1;/servers = 1; fallback = \"desk\";}"
expect_error unknown_pool ':4: stations.s0.staff: unknown staff pool .crew.' "${base/servers = 1;/servers = 1; staff = \{ pool = \"crew\"; \};}"
expect_error roster_over_size ':5: staff.crew.roster.on_duty\[1\]: 9 on duty exceeds the pool.s size 4' "$base
staff = { crew = { size = 4; roster = { at_h = [ 0.0, 8.0 ]; on_duty = [ 2, 9 ]; }; }; };"
expect_error roster_order ':5: staff.crew.roster.at_h\[1\]: shift change times must increase' "$base
staff = { crew = { size = 4; roster = { at_h = [ 8.0, 2.0 ]; on_duty = [ 2, 3 ]; }; }; };"
expect_error bad_kernel_param ':4: stations.s0.kernel_params.pd_drug: value 2 out of range' "${base/servers = 1;/servers = 1; type = \"exam\"; kernel_params = \{ pd_drug = 2.0; \};}"
expect_error unknown_kernel_param ':4: stations.s0.kernel_params.pd_dog: unknown parameter of kernel .rates.' "${base/servers = 1;/servers = 1; type = \"exam\"; kernel_params = \{ pd_dog = 0.5; \};}"
expect_error bad_mode ':5: kernels.mode: .fast. is not one of' "$base
kernels = { mode = \"fast\"; };"
two_ch=$(printf '%s\n' "$base" | sed 's/route = \[ "s0" \]; }; };/route = [ "s0" ]; }; c1 = { arrivals = { process = "poisson"; rate_per_hour = 1.0; }; route = [ "s1" ]; }; };/; s/stations = {/stations = { s1 = { servers = 1; };/')
expect_error initial_off_route ':5: initial\[0\]: station .s0. is not on channel .c1..s route' "$two_ch
initial = ( { station = \"s0\"; channel = \"c1\"; items = 3; } );"
expect_error bad_profile ':3: channels.c0.arrivals.hourly: ' "$(printf '%s\n' "$base" | sed 's/process = "poisson"; rate_per_hour = 30.0;/process = "profile"; rate_per_hour = 30.0; hourly = [ 1.0, 2.0 ];/')"
expect_error bad_surge_date ':5: surges.s.from: ' "$base
surges = { s = { from = \"2024-13-45\"; to = \"2024-12-20\"; factor = 2.0; }; };"
expect_error surge_unknown_channel ':5: surges.s.channels' "$base
surges = { s = { channels = [ \"nope\" ]; from = \"2024-12-01\"; to = \"2024-12-20\"; factor = 2.0; }; };"
# bad timelines
expect_error neg_duration ':5: disruptions.d.duration_h: value -2 out of range' "$base
disruptions = { d = { kind = \"closure\"; start_h = 2.0; duration_h = -2.0; }; };"
expect_error unknown_target ':5: disruptions.d.targets\[0\]: unknown target .nowhere.' "$base
disruptions = { d = { kind = \"closure\"; start_h = 2.0; duration_h = 2.0; targets = [ \"nowhere\" ]; }; };"
expect_error overlap ':6: disruptions.e: overlaps disruption .d. of the same kind' "$base
disruptions = { d = { kind = \"closure\"; start_h = 2.0; duration_h = 5.0; };
  e = { kind = \"closure\"; start_h = 4.0; duration_h = 5.0; }; };"
expect_error recovery_order ':5: disruptions.d.recovery\[1\]: recovery steps must come in order' "$base
disruptions = { d = { kind = \"closure\"; start_h = 2.0; duration_h = 10.0; recovery = ( { after_h = 5.0; level = 0.5; }, { after_h = 3.0; level = 0.8; } ); }; };"
expect_error bad_kind ':5: disruptions.d.kind: .flood. is not one of' "$base
disruptions = { d = { kind = \"flood\"; start_h = 2.0; duration_h = 10.0; }; };"
expect_error response_trigger ':5: responses.r: a response needs a trigger' "$base
responses = { r = { action = \"overtime\"; duration_h = 2.0; }; };"

# a malformed schedule CSV: the error names the CSV file and its line
printf 'time,origin,size\n1.0,PVG,120\n2.5,ICN,twelve\n' >"$tmp/flights.csv"
printf '%s\n' "$base" | sed 's/process = "poisson"; rate_per_hour = 30.0;/process = "schedule"; csv = "flights.csv";/' >"$tmp/csv.cfg"
"$SIM" -q -o "$tmp/csv.h5" "$tmp/csv.cfg" 2>"$tmp/err"; rc=$?
{ [ $rc -eq 2 ] && grep -q 'flights.csv:3:' "$tmp/err" && [ "$(wc -l <"$tmp/err")" -eq 1 ]; } && ok "malformed CSV: $(cat "$tmp/err")" || bad "malformed CSV (rc=$rc): $(cat "$tmp/err")"

# a result file given where a scenario belongs: told what to do with it
"$SIM" -q --days 0.05 -o "$tmp/res.h5" scenarios/validation/mm1.cfg 2>/dev/null
"$SIM" -q -o "$tmp/res2.h5" "$tmp/res.h5" 2>"$tmp/err"; rc=$?
{ [ $rc -eq 2 ] && grep -q 'res.h5: a result file (HDF5), not a scenario: open it with customs-view --replay' "$tmp/err"; } &&
  ok "a result file as the scenario: $(cat "$tmp/err")" || bad "a result file as the scenario (rc=$rc): $(cat "$tmp/err")"

# scenarios/README.md documents every key (the reference printed by --keys)
"$SIM" --keys >"$tmp/keys.md"
missing=$(grep -vxF -f scenarios/README.md "$tmp/keys.md" | grep -c '^|')
[ "$missing" -eq 0 ] && ok "scenarios/README.md documents every key" || bad "scenarios/README.md lacks $missing key lines (make keys regenerates it)"
# results/README.md ends with the column reference printed by --kpis, exactly
"$SIM" --kpis >"$tmp/kpis.md"
sed '1,/^<!-- generated by make kpis/d' results/README.md | sed '1{/^$/d}' >"$tmp/kpis_doc.md"
cmp -s "$tmp/kpis.md" "$tmp/kpis_doc.md" && ok "results/README.md column reference matches the KPI catalogue" ||
  bad "results/README.md column reference differs from customs-sim --kpis (make kpis regenerates it)"

# every shipped scenario validates and runs (a short horizon)
for f in scenarios/*.cfg scenarios/validation/*.cfg scenarios/drills/*.cfg; do
  "$SIM" -q --check "$f" 2>"$tmp/err" || { bad "--check $f: $(cat "$tmp/err")"; continue; }
  if "$SIM" -q --days 0.25 --set run.warmup_days=0 -o "$tmp/run.h5" "$f" 2>"$tmp/err"; then ok "$f runs"; else bad "$f runs: $(cat "$tmp/err")"; fi
done

"$SIM" -q "$tmp/none.cfg" 2>"$tmp/err"; rc=$?
{ [ $rc -eq 2 ] && grep -q 'none.cfg' "$tmp/err"; } && ok "missing file: $(cat "$tmp/err")" || bad "missing file"
"$SIM" --bogus 2>"$tmp/err"; [ $? -eq 2 ] && ok "unknown option: $(cat "$tmp/err")" || bad "unknown option"
"$SIM" -r 0 scenarios/validation/mmc.cfg 2>"$tmp/err"; [ $? -eq 2 ] && ok "bad option value: $(cat "$tmp/err")" || bad "bad option value"
# an output that cannot be written is found before the run (a long one here), not after it
"$SIM" -q -o /nonexistent-dir/x.h5 --days 3000 scenarios/validation/mmc.cfg 2>"$tmp/err"; rc=$?
{ [ $rc -eq 2 ] && grep -q 'nonexistent-dir.*No such file' "$tmp/err"; } && ok "unwritable output: $(cat "$tmp/err")" || bad "unwritable output (rc=$rc): $(cat "$tmp/err")"

# zero servers is allowed: a planned, unequipped station
printf '%s\n' "${base/servers = 1;/servers = 0;}" >"$tmp/zero.cfg"
"$SIM" -q --check "$tmp/zero.cfg" && ok "zero servers accepted" || bad "zero servers accepted"

# --set reaches distribution parameters too, checked as a whole distribution
"$SIM" -q --check --set stations.s0.service.mean_min=0.8 scenarios/validation/mmc.cfg && ok "--set a distribution parameter" || bad "--set a distribution parameter"
expect_error set_dist_param ':4: --set stations.s0.service: exponential parameters out of range' "$base" --set stations.s0.service.mean_min=-1

# --set reaches a key, and --days overrides run.days
"$SIM" --set stations.s0.servers=5 --days 2 -o "$tmp/set.h5" scenarios/validation/mmc.cfg >"$tmp/out" 2>&1
grep -qE '^s0 +5 ' "$tmp/out" && grep -q '2 days measured' "$tmp/out" && ok "--set and --days applied" || bad "--set and --days applied"

# bit-identical results for -j 1 and -j 2
"$SIM" -q -r 4 -j 1 -s 11 --days 2 -o "$tmp/j1.h5" scenarios/validation/tandem.cfg && sleep 1.1 &&
"$SIM" -q -r 4 -j 2 -s 11 --days 2 -o "$tmp/j2.h5" scenarios/validation/tandem.cfg &&
cmp -s "$tmp/j1.h5" "$tmp/j2.h5" && ok "-j 1 and -j 2 files are bit-identical" || bad "-j 1 and -j 2 files are bit-identical"
# the item helper (a spare core, one replication at a time) gives the same file as the
# simulation drawing its items itself
"$SIM" -q --days 0.3 --set run.warmup_days=0.2 -o "$tmp/feed1.h5" scenarios/default.cfg && sleep 1.1 &&
CUSTOMS_FEED=0 "$SIM" -q --days 0.3 --set run.warmup_days=0.2 -o "$tmp/feed0.h5" scenarios/default.cfg &&
cmp -s "$tmp/feed1.h5" "$tmp/feed0.h5" && ok "item helper on and off: files bit-identical" || bad "item helper on and off: files bit-identical"
# replication k does not depend on how many replications run
"$SIM" -q -r 2 -s 11 --days 2 -o "$tmp/r2.h5" scenarios/validation/tandem.cfg
/usr/bin/python3 - "$tmp/j1.h5" "$tmp/r2.h5" <<'PY' && ok "replication paths independent of -r" || bad "replication paths independent of -r"
import sys, h5py, numpy as np
a = h5py.File(sys.argv[1])["/kpi/channels"][:]; b = h5py.File(sys.argv[2])["/kpi/channels"][:]
assert np.array_equal(a[:2]["release_mean_min"], b["release_mean_min"]), (a, b)
PY

# the layout, read by the clients users have
"$SIM" -q -r 3 -j 2 --days 3 -o "$tmp/layout.h5" scenarios/validation/mmc.cfg
if [ -f tests/test_layout.py ]; then
  /usr/bin/python3 tests/test_layout.py "$tmp/layout.h5" >"$tmp/py" 2>&1 && ok "result layout (test_layout.py)" || { bad "result layout"; cat "$tmp/py"; }
fi

# SIGINT: the run stops, the file is readable and marked incomplete, exit 130
"$SIM" -q --days 3000 -o "$tmp/int.h5" scenarios/validation/mmc.cfg 2>/dev/null & pid=$!
sleep 1; kill -INT $pid; wait $pid; rc=$?
/usr/bin/python3 -c "
import h5py,sys; f=h5py.File('$tmp/int.h5'); assert f.attrs['complete']==0; assert f['/kpi/channels'].shape[0]==1" 2>/dev/null
pyrc=$?
{ [ $rc -eq 130 ] && [ $pyrc -eq 0 ]; } && ok "SIGINT: exit 130, partial results marked complete=0" || bad "SIGINT (rc=$rc, py=$pyrc)"

echo "$pass passed, $fail failed"
[ $fail -eq 0 ]
