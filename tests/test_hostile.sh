#!/usr/bin/env bash
# test_hostile: accepted-looking input that would hang the run, exhaust memory, read
# other files or break the one-line message promise (issue 14), each answered as
# promised: --check refuses what never finishes (exit 2, file, line and key); memory
# limits stop the run with exit 1, a message naming the limit and a partial file marked
# complete = 0; outputs are checked before the run; every message is one line.
set -u
cd "$(dirname "$0")/.."
SIM=${BUILD:-build}/customs-sim
tmp=$(mktemp -d); trap 'chmod -R u+w "$tmp"; rm -rf "$tmp"' EXIT
pass=0 fail=0
ok() { pass=$((pass+1)); echo "ok    $*"; }
bad() { fail=$((fail+1)); echo "FAIL  $*"; }

base='name = "t";
run = { days = 1.0; };
channels = { c0 = { arrivals = { process = "poisson"; rate_per_hour = 30.0; }; route = [ "s0" ]; }; };
stations = { s0 = { servers = 1; service = { dist = "exponential"; mean_min = 1.0; }; }; };'

# refused NAME PATTERN CONTENT [args...]: exit 2, one line naming the file and PATTERN,
# and no output left behind
refused() {
  local name=$1 pat=$2 content=$3; shift 3
  printf '%s\n' "$content" >"$tmp/$name.cfg"
  timeout 60 "$SIM" -q -o "$tmp/$name.h5" "$@" "$tmp/$name.cfg" >/dev/null 2>"$tmp/err"; local rc=$?
  if [ $rc -eq 2 ] && [ "$(wc -l <"$tmp/err")" -eq 1 ] && grep -qE -- "$pat" "$tmp/err" &&
     [ ! -e "$tmp/$name.h5" ] && [ ! -e "$tmp/$name.h5.partial" ]; then ok "$name: $(cat "$tmp/err")"
  else bad "$name (rc=$rc): $(cat "$tmp/err")"; fi
}

# ---- what --check can prove never finishes ----
refused self_loop "self_loop.cfg:3: channels.c0.routing.s0: items can circle through stations that take no time" \
  "$(printf '%s\n' "$base" | sed 's/route = \[ "s0" \];/route = [ "s0" ]; routing = { s0 = ( { to = "s0"; p = 1.0; } ); };/;
     s/service = { dist = "exponential"; mean_min = 1.0; }/service = { dist = "deterministic"; value_min = 0.0; }/')"
refused cycle ':4: channels.c0.routing.b: items can circle' 'name = "t";
run = { days = 1.0; };
channels = { c0 = { arrivals = { process = "poisson"; rate_per_hour = 30.0; }; route = [ "a", "b", "c" ];
  routing = { b = ( { to = "a"; p = 1.0; } ); }; }; };
stations = { a = { servers = 1; }; b = { servers = 1; }; c = { servers = 1; service = { dist = "exponential"; mean_min = 1.0; }; }; };'
refused fail_cycle ':4: stations.s0.failures: time_to_failure and repair both take no time' \
  "${base/servers = 1;/servers = 1; failures = \{ time_to_failure = \{ dist = \"deterministic\"; value_min = 0.0; \}; repair = \{ dist = \"deterministic\"; value_min = 0.0; \}; \};}"
refused tiny_mean ':4: stations.s0.failures.time_to_failure: mean 1e-300 min is below the floor of 1 ms' \
  "${base/servers = 1;/servers = 1; failures = \{ time_to_failure = \{ dist = \"exponential\"; mean_min = 1e-300; \}; repair = \{ dist = \"exponential\"; mean_min = 1.0; \}; \};}"
refused set_tiny_mean ':4: --set stations.s0.service: mean 1e-09 min is below the floor' "$base" --set stations.s0.service.mean_min=1e-9
# an exit with probability > 0 is fine: it finishes
printf '%s\n' "$base" | sed 's/route = \[ "s0" \];/route = [ "s0" ]; routing = { s0 = ( { to = "s0"; p = 0.5; }, { to = "exit"; p = 0.5; } ); };/;
  s/service = { dist = "exponential"; mean_min = 1.0; }/service = { dist = "deterministic"; value_min = 0.0; }/' >"$tmp/leaky.cfg"
timeout 60 "$SIM" -q -o "$tmp/leaky.h5" "$tmp/leaky.cfg" 2>"$tmp/err" && ok "a zero-time loop with an exit runs" || bad "leaky loop: $(cat "$tmp/err")"

# ---- memory limits ----
refused initial_total ':5: initial\[1\].items: the initial items come to 30000000, more than run.max_items' "$base
initial = ( { station = \"s0\"; channel = \"c0\"; items = 15000000; }, { station = \"s0\"; channel = \"c0\"; items = 15000000; } );"
refused sample_tiny ':5: output.sample_min: sampling every 1e-06 min' "$base
output = { sample_min = 0.000001; };"
# limit_stop NAME PATTERN ARGS...: exit 1 naming the limit, partial file with complete = 0
limit_stop() {
  local name=$1 pat=$2; shift 2
  timeout 120 "$SIM" -q -o "$tmp/$name.h5" "$@" >/dev/null 2>"$tmp/err"; local rc=$?
  if [ $rc -eq 1 ] && [ "$(wc -l <"$tmp/err")" -eq 1 ] && grep -q -- "$pat" "$tmp/err" &&
     /usr/bin/python3 -c "import h5py,sys; f=h5py.File('$tmp/$name.h5'); sys.exit(f.attrs['complete'] != 0 or f['/kpi/channels'].shape[0] != 1)"; then
    ok "$name: $(cat "$tmp/err")"
  else bad "$name (rc=$rc): $(cat "$tmp/err")"; fi
}
printf '%s\n' "$base" | sed 's/servers = 1;/servers = 0;/; s/rate_per_hour = 30.0/rate_per_hour = 1e9/' >"$tmp/flood.cfg"
limit_stop max_items 'more than 5000 items in the port at once (run.max_items); raise it with --set run.max_items=N' \
  --set run.max_items=5000 "$tmp/flood.cfg"
printf '%s\n' "$base" >"$tmp/log.cfg"
limit_stop items_log 'the item log passed output.items_max_mb = 1 MB' --days 30 --set output.items=true \
  --set output.items_max_mb=1 "$tmp/log.cfg"
# a zero-time loop whose way out is too rare to be taken: the stall guard stops the run
# and names the station that loops
printf '%s\n' "$base" | sed 's/route = \[ "s0" \];/route = [ "s0" ]; routing = { s0 = ( { to = "s0"; p = 0.99999999; }, { to = "exit"; p = 0.00000001; } ); };/;
  s/service = { dist = "exponential"; mean_min = 1.0; }/service = { dist = "deterministic"; value_min = 0.0; }/' >"$tmp/stall.cfg"
limit_stop stall 'the clock stopped at .* most from station s0 (.*): a loop that takes no time' "$tmp/stall.cfg"

# ---- @include ----
mkdir "$tmp/adir"
refused include_dir ':2: @include "adir": .*adir: is a directory, not a file' 'name = "t";
@include "adir"'
mkfifo "$tmp/fifo.cfg"
refused include_fifo ':2: @include "fifo.cfg": .*fifo.cfg: is not a regular file' 'name = "t";
@include "fifo.cfg"'
refused include_self ':2: @include "include_self.cfg": includes nested deeper than 10' 'name = "t";
@include "include_self.cfg"'
refused long_string ':1: a string longer than 1048576 bytes' "name = \"$(head -c 1100000 /dev/zero | tr '\0' x)\";"
# an @include inside a comment or a string is not an include
printf '%s\n' "$base" '/* @include "adir" */' 'description = "
@include \"adir\"";' >"$tmp/inert.cfg"
"$SIM" -q --check "$tmp/inert.cfg" 2>"$tmp/err" && ok "@include in a comment or string is inert" || bad "inert include: $(cat "$tmp/err")"

# ---- messages ----
refused int64 ':4: integer 99999999999999999999 does not fit in 64 bits' "${base/servers = 1;/servers = 99999999999999999999;}"
refused int32 ':4: integer 9999999999 is beyond the 32-bit range' "${base/servers = 1;/servers = 9999999999;}"
refused set_int64 ": --set stations.s0.servers: '99999999999999999999' does not fit in 64 bits" "$base" \
  --set stations.s0.servers=99999999999999999999
refused erlang_k ':4: stations.s0.service: erlang needs k, a whole number in \[1, 1000000\] \(found 1e\+300\)' \
  "${base/dist = \"exponential\"; mean_min = 1.0;/dist = \"erlang\"; mean_min = 1.0; k = 1e300;}"
long=$(printf 'x%.0s' $(seq 300))
refused set_long_path "--set stations.s0.servers$long: unknown key" "$base" \
  --set "stations.s0.servers$long=2"
refused set_empty_part ': --set stations..s0.servers: empty part in the key path' "$base" --set stations..s0.servers=2
refused set_newline ": --set stations.s0.servers: '3\\\\n4' is not an integer" "$base" --set "stations.s0.servers=$(printf '3\n4')"
refused set_other_type ": --set run: a group cannot be set from the command line" "$base" --set run=3
# a key whose file value has another type takes the declared type (no empty reason)
printf '%s\n' "${base/name = \"t\";/name = 3;}" >"$tmp/nametype.cfg"
"$SIM" -q --check --set name=fine "$tmp/nametype.cfg" 2>"$tmp/err" && ok "--set replaces a value of another type" || bad "--set other type: $(cat "$tmp/err")"
printf '%s\n' "${base/name = \"t\";/name = \"a\\nb\";}" >"$tmp/nl.cfg"
"$SIM" -q -o "$tmp/nl.h5" --set stations.s0.servers=-1 "$tmp/nl.cfg" 2>"$tmp/err"
[ "$(wc -l <"$tmp/err")" -eq 1 ] && ok "one line whatever the value: $(cat "$tmp/err")" || bad "multi-line message"

# ---- outputs, before the run ----
mkdir "$tmp/outdir"
timeout 20 "$SIM" -q -o "$tmp/outdir" --days 3000 "$tmp/log.cfg" 2>"$tmp/err"; rc=$?
{ [ $rc -eq 2 ] && grep -q 'outdir is a directory' "$tmp/err" && [ ! -e "$tmp/outdir.partial" ]; } &&
  ok "-o a directory: $(cat "$tmp/err")" || bad "-o a directory (rc=$rc): $(cat "$tmp/err")"
printf '%s\n' "${base/name = \"t\";/name = \"../evil\";}" >"$tmp/evil.cfg"
(cd "$tmp" && timeout 20 "$OLDPWD/$SIM" -q evil.cfg 2>err); rc=$?
{ [ $rc -eq 2 ] && grep -q "scenario name '../evil' cannot be a file name" "$tmp/err"; } &&
  ok "a scenario name that is a path: $(cat "$tmp/err")" || bad "name as path (rc=$rc): $(cat "$tmp/err")"
(cd "$tmp" && "$OLDPWD/$SIM" --days 0.1 log.cfg >out1 && "$OLDPWD/$SIM" --days 0.1 log.cfg >out2)
{ grep -qx 'results: results/t.h5' "$tmp/out1" && grep -qx 'results: results/t.h5 (replaced)' "$tmp/out2"; } &&
  ok "a second run says it replaced the file" || bad "replaced: $(tail -1 "$tmp/out2")"
${BUILD:-build}/customs-report -V | grep -qE '^customs-report [0-9]+\.[0-9]+' && ok "customs-report -V: $(${BUILD:-build}/customs-report -V)" || bad "customs-report -V"

echo "$pass passed, $fail failed"
[ $fail -eq 0 ]
