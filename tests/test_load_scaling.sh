#!/usr/bin/env bash
# test_load_scaling: loading grows linearly with the input. A schedule CSV with N rows of
# distinct origin codes is loaded (--check) at two sizes in one run; the extra time of
# the larger, over that of the smaller, must stay near the size ratio (4), far from the
# 16 a quadratic loader gives. No wall-clock threshold: only the ratio of two timings
# taken on the same machine a moment apart.
set -u
cd "$(dirname "$0")/.."
SIM=${BUILD:-build}/customs-sim
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
pass=0 fail=0
ok() { pass=$((pass+1)); echo "ok    $*"; }
bad() { fail=$((fail+1)); echo "FAIL  $*"; }

small=${SMALL:-100000}
make_case() { # rows
  /usr/bin/python3 - "$tmp" "$1" <<'PY'
import sys
d, n = sys.argv[1], int(sys.argv[2])
with open(f"{d}/f{n}.csv", "w") as f:
    f.write("time,origin,size\n")
    for i in range(n):
        f.write(f"{i * 0.001:.3f},O{i},1\n")
with open(f"{d}/s{n}.cfg", "w") as f:
    f.write(f'name = "scale"; run = {{ days = 0.01; }};\n'
            f'channels = {{ c0 = {{ arrivals = {{ process = "schedule"; csv = "f{n}.csv"; }}; route = [ "s0" ]; }}; }};\n'
            'stations = { s0 = { servers = 1; }; };\n')
PY
}
# best of three wall-clock timings of --check, in seconds
timing() {
  /usr/bin/python3 - "$SIM" "$1" <<'PY'
import subprocess, sys, time
best = 1e9
for _ in range(3):
    t = time.perf_counter()
    subprocess.run([sys.argv[1], "-q", "--check", sys.argv[2]], check=True)
    best = min(best, time.perf_counter() - t)
print(f"{best:.4f}")
PY
}
for n in 10 "$small" $((4 * small)); do make_case "$n"; done
t0=$(timing "$tmp/s10.cfg") t1=$(timing "$tmp/s$small.cfg") t4=$(timing "$tmp/s$((4 * small)).cfg")
ratio=$(/usr/bin/python3 -c "print(f'{max($t4 - $t0, 1e-3) / max($t1 - $t0, 1e-3):.2f}')")
msg="CSV of $small and $((4 * small)) rows with distinct origins: ${t1}s and ${t4}s (startup ${t0}s), ratio $ratio for 4x the rows"
/usr/bin/python3 -c "import sys; sys.exit(0 if $ratio < 8 else 1)" && ok "$msg" || bad "$msg (quadratic would be 16)"

# a 10 MB string is refused at once, not scanned for a minute
/usr/bin/python3 -c "
print('name = \"t\"; description = \"' + 'x' * 10_000_000 + '\";')
print('channels = { c0 = { arrivals = { process = \"poisson\"; rate_per_hour = 1.0; }; route = [ \"s0\" ]; }; };')
print('stations = { s0 = { servers = 1; }; };')" >"$tmp/long.cfg"
"$SIM" -q --check "$tmp/long.cfg" 2>"$tmp/err"; rc=$?
{ [ $rc -eq 2 ] && grep -q 'long.cfg:1: a string longer than' "$tmp/err"; } && ok "10 MB string: $(cat "$tmp/err")" || bad "10 MB string (rc=$rc): $(cat "$tmp/err")"

echo "$pass passed, $fail failed"
[ $fail -eq 0 ]
