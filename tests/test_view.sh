#!/usr/bin/env bash
# test_view: customs-view from the outside. Headless screenshots of the default scenario
# decode, have the asked size, show content (many colours, dark text in the KPI panel)
# and change where the queues change between two times; a real window under Xvfb takes
# scripted keys (full screen and back, a resize) without crashing and lays out anew; a replay of a customs-sim result draws; --out writes a
# result; --bench-frames reports view_fps; bad options and files give one line and the
# documented exit status. Environment: BUILD (build dir, default build).
# The windowed run sets ASAN_OPTIONS=detect_leaks=0 for the viewer only: SDL's X11 and
# D-Bus drivers keep allocations until exit, which LeakSanitizer reports.
set -u
cd "$(dirname "$0")/.."
BUILD=${BUILD:-build}
VIEW=$BUILD/customs-view
SIM=$BUILD/customs-sim
PY=/usr/bin/python3
SMALL=scenarios/validation/mm1.cfg
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
pass=0 fail=0
ok() { pass=$((pass+1)); echo "ok    $*"; }
bad() { fail=$((fail+1)); echo "FAIL  $*"; }
finish() { echo; echo "$pass passed, $fail failed"; [ "$fail" -eq 0 ]; exit $?; }

if [ ! -x "$VIEW" ]; then bad "$VIEW is not built"; finish; fi

# png.py info FILE: "W H COLOURS DARK" (DARK: dark pixels in the KPI panel, i.e. text)
# png.py diff A B: pixels that differ in the map region
cat >"$tmp/png.py" <<'PYEOF'
import sys
from PIL import Image
def load(p):
    im = Image.open(p); im.load(); return im.convert("RGB")
if sys.argv[1] == "info":
    im = load(sys.argv[2]); w, h = im.size
    colours = len(im.getcolors(1 << 24))
    panel = im.crop((int(w * 0.72), int(h * 0.08), w - 2, int(h * 0.9)))
    dark = sum(1 for r, g, b in panel.getdata() if 0.299 * r + 0.587 * g + 0.114 * b < 90)
    print(w, h, colours, dark)
else:
    a, b = load(sys.argv[2]), load(sys.argv[3])
    if a.size != b.size: print(-1); sys.exit()
    w, h = a.size
    box = (0, int(h * 0.08), int(w * 0.68), int(h * 0.85))
    pa, pb = a.crop(box).getdata(), b.crop(box).getdata()
    print(sum(1 for x, y in zip(pa, pb) if x != y))
PYEOF

# check_png NAME FILE W H [MIN_DARK]: decodes, size, > 50 colours, text in the panel
check_png() {
  local name=$1 f=$2 w=$3 h=$4 min_dark=${5:-200} info
  if [ ! -s "$f" ]; then bad "$name: no PNG written"; return; fi
  if ! info=$($PY "$tmp/png.py" info "$f" 2>&1); then bad "$name: PNG does not decode: $info"; return; fi
  set -- $info
  if [ "$1" = "$w" ] && [ "$2" = "$h" ] && [ "$3" -gt 50 ] && [ "$4" -gt "$min_dark" ]; then
    ok "$name: ${1}x$2, $3 colours, $4 dark text pixels in the panel"
  else
    bad "$name: got ${1}x$2 (want ${w}x$h), $3 colours (want > 50), $4 dark panel pixels (want > $min_dark)"
  fi
}

# expect_status NAME STATUS PATTERN ARGS...: exit status, one line on stderr matching PATTERN
expect_status() {
  local name=$1 want=$2 pat=$3; shift 3
  "$VIEW" "$@" >"$tmp/out" 2>"$tmp/err"; local rc=$?
  local lines; lines=$(wc -l <"$tmp/err")
  if [ $rc -eq "$want" ] && [ "$lines" -eq 1 ] && grep -qE -- "$pat" "$tmp/err"; then
    ok "$name: exit $rc: $(cat "$tmp/err")"
  else
    bad "$name: exit $rc (want $want), stderr: $(head -c 300 "$tmp/err")"
  fi
}

# ---- the slow runs (the default scenario builds its risk models first) go in parallel ----
"$VIEW" --headless --frames 5 --at 2h --screenshot "$tmp/t02.png" >"$tmp/t02.log" 2>&1 &
p1=$!
"$VIEW" --headless --frames 5 --at 14h --screenshot "$tmp/t14.png" >"$tmp/t14.log" 2>&1 &
p2=$!
"$VIEW" --headless --frames 3 --at 2024-11-25T14:00 --size 1920x1080 --lang ja --keys select=counter \
  --key-interval 1 --screenshot "$tmp/big.png" >"$tmp/big.log" 2>&1 &
p3=$!
have_xvfb=0
if command -v xvfb-run >/dev/null; then
  have_xvfb=1
  ASAN_OPTIONS=detect_leaks=0 timeout 600 xvfb-run -a -s "-screen 0 1280x720x24" "$VIEW" --keys "space,+,+,h,?,select=egate,c,?,f,f,resize=1024x640,space" \
    --key-interval 15 --quit-after-frames 240 --screenshot "$tmp/win.png" >"$tmp/win.log" 2>&1 &
  p4=$!
fi
have_sim=0
if [ -x "$SIM" ]; then
  have_sim=1
  "$SIM" -q --days 1 -o "$tmp/d1.h5" >"$tmp/sim.log" 2>&1 &
  p5=$!
fi

# ---- meanwhile: bad options and files (fast: they fail before the model is built) ----
expect_status unknown_option 2 "unknown option '--bogus'" --bogus
expect_status missing_value 2 "option --speed needs a value" --speed
expect_status bad_speed 2 "bad value '0' for option --speed" --speed 0 "$SMALL"
expect_status bad_speed_text 2 "bad value 'fast' for option --speed" --speed fast "$SMALL"
expect_status bad_lang 2 "bad value 'fr' for option --lang" --lang fr "$SMALL"
expect_status bad_size 2 "bad value '12x' for option --size" --size 12x "$SMALL"
expect_status bad_frames 2 "bad value '0' for option --frames" --headless --frames 0 --screenshot "$tmp/x.png" "$SMALL"
expect_status bad_at 2 "bad value 'noon' for option --at" --at noon "$SMALL"
expect_status headless_alone 2 "--headless needs --screenshot" --headless "$SMALL"
expect_status two_scenarios 2 "one scenario at most" "$SMALL" "$SMALL"
expect_status bad_key 2 "unknown key 'x'" --keys "space,x" "$SMALL"
expect_status missing_script 2 "cannot open script" --script "$tmp/none.keys" "$SMALL"
expect_status missing_scenario 2 "none.cfg" --headless --screenshot "$tmp/x.png" "$tmp/none.cfg"
printf 'name = "x";\nrun = { days = 1.0; ;\n' >"$tmp/broken.cfg"
expect_status broken_scenario 2 "broken.cfg:2" --headless --screenshot "$tmp/x.png" "$tmp/broken.cfg"
expect_status bad_set 2 "stations.s0.serverz" --set stations.s0.serverz=2 --headless --screenshot "$tmp/x.png" "$SMALL"
expect_status at_past_end 2 "past the end of the run" --at 9999d --headless --screenshot "$tmp/x.png" "$SMALL"
expect_status replay_missing 1 "no such file" --replay "$tmp/none.h5" --headless --screenshot "$tmp/x.png"
echo "not hdf5" >"$tmp/corrupt.h5"
expect_status replay_corrupt 1 "not an HDF5 file" --replay "$tmp/corrupt.h5" --headless --screenshot "$tmp/x.png"
expect_status replay_and_scenario 2 "not both" --replay "$tmp/corrupt.h5" "$SMALL"
expect_status replay_out 2 "need a live run" --replay "$tmp/corrupt.h5" --out "$tmp/o.h5"
if "$VIEW" --help | grep -q -- "--replay" && "$VIEW" --version | grep -q "customs-view"; then ok "--help and --version"; else bad "--help or --version"; fi
[ -e "$tmp/x.png" ] && bad "a failed run left a screenshot" || ok "no screenshot left by failed runs"

# ---- a small scenario: --out, drills and every key, benchmark line ----
if "$VIEW" --headless --frames 40 --key-interval 2 --keys "space,+,+,h,?,select=s0,c,o,a,u,e,d,s,-,9,1,f,?,q" \
     --out "$tmp/session.h5" --screenshot "$tmp/keys.png" "$SMALL" >"$tmp/keys.log" 2>&1 \
   && grep -q "results: $tmp/session.h5" "$tmp/keys.log" \
   && $PY -c "import h5py,sys; f=h5py.File(sys.argv[1]); assert f.attrs['schema']=='customs-sim/1'; assert len(f['kpi/stations'])" "$tmp/session.h5" 2>"$tmp/h5.err"; then
  ok "scripted keys and drills on $SMALL; --out wrote a readable result"
else
  bad "keys/--out: $(tail -c 300 "$tmp/keys.log") $(tail -c 300 "$tmp/h5.err" 2>/dev/null)"
fi
check_png "keys screenshot" "$tmp/keys.png" 1280 720 50
if "$VIEW" --bench-frames 60 "$SMALL" 2>&1 | grep -qE '^view_fps=[0-9.]+$'; then ok "--bench-frames prints view_fps="; else bad "--bench-frames"; fi

# ---- collect the slow runs ----
wait $p1 && check_png "default at 2h" "$tmp/t02.png" 1280 720 || bad "default at 2h: $(tail -c 300 "$tmp/t02.log")"
wait $p2 && check_png "default at 14h" "$tmp/t14.png" 1280 720 || bad "default at 14h: $(tail -c 300 "$tmp/t14.log")"
if [ -s "$tmp/t02.png" ] && [ -s "$tmp/t14.png" ]; then
  d=$($PY "$tmp/png.py" diff "$tmp/t02.png" "$tmp/t14.png")
  [ "$d" -gt 2000 ] && ok "2h and 14h differ in the map ($d pixels)" || bad "2h and 14h map differs by $d pixels (want > 2000)"
fi
wait $p3 && check_png "--size 1920x1080 --lang ja" "$tmp/big.png" 1920 1080 || bad "1920x1080 ja: $(tail -c 300 "$tmp/big.log")"
if [ $have_xvfb = 1 ]; then
  wait $p4 && check_png "window under Xvfb with scripted keys, resized" "$tmp/win.png" 1024 640 || bad "window under Xvfb: $(tail -c 400 "$tmp/win.log")"
else
  echo "skip  window under Xvfb (no xvfb-run)"
fi
if [ $have_sim = 1 ]; then
  if wait $p5; then
    "$VIEW" --replay "$tmp/d1.h5" --headless --frames 30 --speed 3600 --at 30h --screenshot "$tmp/replay.png" >"$tmp/replay.log" 2>&1 \
      && check_png "--replay of customs-sim --days 1" "$tmp/replay.png" 1280 720 || bad "replay: $(tail -c 300 "$tmp/replay.log")"
  else
    bad "customs-sim --days 1 failed: $(tail -c 300 "$tmp/sim.log")"
  fi
else
  echo "skip  replay ($SIM not built)"
fi
finish
