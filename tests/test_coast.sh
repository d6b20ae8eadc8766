#!/usr/bin/env bash
# test_coast: the coast model from the outside. Bad coast input (negative area, a sweep
# width wider than its zone, unknown zone or pool, a key that does not apply to the
# asset's type, a missing key) gives one line naming file, line and key, and exit 2; the
# shipped remote-islands scenario runs, writes /kpi/coast and /kpi/coast_assets (attempts
# conserved, shares in [0, 1]) and /series/aloft, the report prints its coast tables, a
# sweep target on an unknown zone is refused; the viewer draws the coastline panel (the
# zones in their grade colours, text in the zone table) and a replay of the run draws
# the same picture as the live view. Environment: BUILD (default build).
set -u
cd "$(dirname "$0")/.."
BUILD=${BUILD:-build}
SIM=$BUILD/customs-sim
PY=/usr/bin/python3
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
pass=0 fail=0
ok() { pass=$((pass+1)); echo "ok    $*"; }
bad() { fail=$((fail+1)); echo "FAIL  $*"; }

base='name = "t";
run = { days = 1.0; };
channels = { c0 = { arrivals = { process = "poisson"; rate_per_hour = 1.0; }; route = [ "s0" ]; }; };
stations = { s0 = { servers = 1; }; };
staff = { pilots = { size = 2; }; };
coast = {
  zones = {
    sado = { area_km2 = 300.0;
             attempts = { process = "poisson"; rate_per_day = 2.0; };
             exposure = { dist = "deterministic"; value_h = 3.0; }; };
  };
  assets = {
    d1 = { type = "drone"; zone = "sado"; count = 1; speed_kmh = 60.0;
           sweep_width_km = 1.0; endurance_h = 1.0; recharge_h = 0.5; wind_limit_ms = 12.0; };
  };
};'

# expect_error NAME PATTERN FILE-CONTENT: exit 2, one line naming the file, PATTERN
expect_error() {
  local name=$1 pat=$2 content=$3
  printf '%s\n' "$content" >"$tmp/$name.cfg"
  "$SIM" -q -o "$tmp/$name.h5" "$tmp/$name.cfg" >"$tmp/out" 2>"$tmp/err"; local rc=$?
  if [ $rc -eq 2 ] && [ "$(wc -l <"$tmp/err")" -eq 1 ] && grep -q "$name.cfg" "$tmp/err" &&
     grep -qE -- "$pat" "$tmp/err" && [ ! -e "$tmp/$name.h5" ]; then
    ok "$name: $(cat "$tmp/err")"
  else
    bad "$name (rc=$rc): $(cat "$tmp/err")"
  fi
}

printf '%s\n' "$base" >"$tmp/good.cfg"
if "$SIM" --check "$tmp/good.cfg" >/dev/null 2>&1; then ok "the issue's example is a valid scenario"; else bad "the issue's example: $("$SIM" --check "$tmp/good.cfg" 2>&1)"; fi

expect_error negative_area ':8: coast.zones.sado.area_km2: value -300 out of range' "${base/area_km2 = 300.0/area_km2 = -300.0}"
expect_error wide_sweep ':14: coast.assets.d1.sweep_width_km: sweep width 20 km is wider than zone sado' \
  "${base/sweep_width_km = 1.0/sweep_width_km = 20.0}"
expect_error unknown_zone ':13: coast.assets.d1.zone: unknown zone .tsushima.' "${base/zone = \"sado\"/zone = \"tsushima\"}"
expect_error unknown_pool ':13: coast.assets.d1.pool: unknown staff pool .crew.' \
  "${base/count = 1;/count = 1; pool = \"crew\";}"
expect_error not_for_drone ':13: coast.assets.d1.revisit_h: does not apply to a drone' \
  "${base/count = 1;/count = 1; revisit_h = 24.0;}"
expect_error satellite_needs ':13: coast.assets.d1: a satellite needs revisit_h' \
  "$(printf '%s\n' "$base" | sed 's/type = "drone"; zone = "sado"; count = 1; speed_kmh = 60.0;/type = "satellite"; zone = "sado"; pd_pass = 0.5; } ; d2 = { type = "radar"; zone = "sado"; range_km = 1.0;/; s/sweep_width_km = 1.0; endurance_h = 1.0; recharge_h = 0.5; wind_limit_ms = 12.0;//')"
expect_error no_zones ':6: coast: missing required key .zones.' "$(printf '%s\n' "$base" | sed '7,11d')"
expect_error profile_needs_process ':9: coast.zones.sado.attempts: hourly and monthly profiles need process' \
  "${base/rate_per_day = 2.0;/rate_per_day = 2.0; monthly = [ 1.0 ];}"
expect_error typhoon_target ':17: disruptions.d.targets\[0\]: unknown target .okinawa.' \
  "$base
disruptions = { d = { kind = \"typhoon\"; start_h = 2.0; duration_h = 4.0; targets = [ \"okinawa\" ]; }; };"

# ---- the shipped scenario ----
out=$tmp/ri.h5
if "$SIM" -q -r 2 -j 2 --days 7 -o "$out" scenarios/remote_islands.cfg >"$tmp/log" 2>&1; then
  ok "remote_islands runs"
  if msg=$($PY - "$out" <<'PY' 2>&1
import sys, h5py, numpy as np
f = h5py.File(sys.argv[1], 'r')
z, a = f['/kpi/coast'][:], f['/kpi/coast_assets'][:]
assert len(z) == 2 * 3 and len(a) == 2 * 8, (len(z), len(a))
assert np.all(z['in_progress_start'] + z['attempts'] == z['interdicted'] + z['landed'] + z['in_progress_end'])
assert np.all(z['landed_detected'] <= z['landed']) and np.all(z['interdicted'] <= z['detected'] + z['in_progress_start'])
for k in ('detect_share', 'interdict_share'):
    v = z[k][~np.isnan(z[k])]
    assert np.all((v >= 0) & (v <= 1)), k
assert np.all(z['interdict_share'][~np.isnan(z['interdict_share'])] <= z['detect_share'][~np.isnan(z['interdict_share'])] + 1e-12)
for p in ('/kpi/summary/coast', '/kpi/summary/coast_assets', '/series/aloft/tw_drone', '/series/at_sea/goto',
          '/view/coast_zones', '/view/coast_assets'):
    assert p in f, p
s = f['/series/aloft/tw_drone'][()]
assert s.shape[0] == 2 and np.nanmax(s) <= 2 + 1e-9 and np.nanmin(s) >= 0
for d in ('/kpi/coast', '/series/aloft/tw_drone'):
    assert 'units' in f[d].attrs or d.startswith('/kpi'), d
print('%d zone rows, %d asset rows' % (len(z), len(a)))
PY
  ); then ok "coast tables: $msg"; else bad "coast tables: $msg"; fi
  if $BUILD/customs-report "$out" >"$tmp/rep" 2>&1 && grep -q "Coast zones" "$tmp/rep" && grep -q "Coast assets" "$tmp/rep" &&
     grep -q "detect_share" "$tmp/rep"; then
    ok "customs-report prints the coast tables"
  else
    bad "customs-report: $(head -c 300 "$tmp/rep")"
  fi
else
  bad "remote_islands: $(tail -2 "$tmp/log")"
fi

$BUILD/customs-sweep -q scenarios/remote_islands.cfg --optimize --vary coast.assets.tw_drone.count=1:2 \
  --target 'coast.nowhere.detect_share>=0.9' -o "$tmp/sw.h5" >"$tmp/out" 2>"$tmp/err"; rc=$?
if [ $rc -eq 2 ] && grep -q "no coast zone 'nowhere'" "$tmp/err"; then ok "sweep target on an unknown zone: $(cat "$tmp/err")"
else bad "sweep target on an unknown zone (rc=$rc): $(cat "$tmp/err")"; fi

# ---- the viewer ----
VIEW=$BUILD/customs-view
if [ -x "$VIEW" ]; then
  at=2024-08-20T03:00
  "$VIEW" --headless --frames 3 --at $at scenarios/remote_islands.cfg --screenshot "$tmp/live.png" >"$tmp/v1" 2>&1
  "$VIEW" --headless --frames 3 --at $at --keys w --key-interval 1 scenarios/remote_islands.cfg --screenshot "$tmp/port.png" >"$tmp/v2" 2>&1
  "$SIM" -q -r 1 -o "$tmp/one.h5" scenarios/remote_islands.cfg >/dev/null 2>&1
  "$VIEW" --headless --frames 3 --at $at --replay "$tmp/one.h5" --screenshot "$tmp/replay.png" >"$tmp/v3" 2>&1
  if msg=$($PY - "$tmp/live.png" "$tmp/port.png" "$tmp/replay.png" <<'PY' 2>&1
import sys
from PIL import Image
live, port, rep = (Image.open(p).convert('RGB') for p in sys.argv[1:4])
w, h = live.size
def count(im, box, test): return sum(1 for p in im.crop(box).getdata() if test(p))
sea = count(live, (0, int(h*.1), int(w*.7), int(h*.8)), lambda p: p == (0xcf, 0xe2, 0xf3))
land = count(live, (0, int(h*.1), int(w*.7), int(h*.8)), lambda p: p == (0xf3, 0xf0, 0xe6))
text = count(live, (0, int(h*.86), int(w*.7), int(h*.95)), lambda p: sum(p) < 200)
assert sea > 20000 and land > 20000, ('sea and land', sea, land)
assert text > 300, ('text in the zone table', text)
changed = sum(1 for a, b in zip(live.getdata(), port.getdata()) if a != b)
assert changed > w * h // 10, ('w switches to the port view', changed)
rdiff = [i for i, (a, b) in enumerate(zip(live.getdata(), rep.getdata())) if a != b]
ys = sorted({i // w for i in rdiff})
assert not ys or ys[-1] < h * 0.06, ('a replay differs from live below the title bar', len(rdiff), ys[-1] if ys else 0)
print('sea %d, land %d, text %d pixels; port view differs in %d; replay differs only in the title bar (%d)' %
      (sea, land, text, changed, len(rdiff)))
PY
  ); then ok "coastline panel: $msg"; else bad "coastline panel: $msg $(cat "$tmp/v1" "$tmp/v3" | head -3)"; fi
  for lang in en ja; do
    for keys in wait w; do
      CUSTOMS_VIEW_CUTS=1 "$VIEW" --headless --stats --lang $lang --keys $keys --key-interval 1 --frames 2 \
        --screenshot "$tmp/cut.png" scenarios/remote_islands.cfg >"$tmp/cut.log" 2>&1
      cuts=$(sed -n 's/^view_text_cuts=//p' "$tmp/cut.log")
      [ "$cuts" = 0 ] && ok "$lang, keys '$keys' at 1280x720: no text cut" || bad "$lang, keys '$keys': ${cuts:-?} cut: $(grep 'cut to' "$tmp/cut.log" | head -2)"
    done
  done
fi

echo; echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
