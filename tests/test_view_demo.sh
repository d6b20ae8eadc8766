#!/usr/bin/env bash
# test_view_demo: the viewer as a demo (issue 16), from the outside. A replay frame and a
# live frame of the same run at the same instant are identical except for the LIVE /
# REPLAY badge (tolerance: no differing pixel outside the badge's box); a closed airport
# is drawn closed and graded red; the map view draws land and sea; no label is cut at
# 1280x720 in either language (the viewer counts every shortened string); Esc closes an
# overlay and asks before quitting (headless and in a window under Xvfb); a bare start
# opens at 09:00 of the first measured day, a drill three hours before its disruption;
# split screen draws both runs and the differences; a short recording decodes to the
# expected number of frames. Environment: BUILD (build dir, default build).
set -u
cd "$(dirname "$0")/.."
BUILD=${BUILD:-build}
VIEW=$BUILD/customs-view
SIM=$BUILD/customs-sim
PY=/usr/bin/python3
DRILL=scenarios/drills/kix_typhoon.cfg
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
pass=0 fail=0
ok() { pass=$((pass+1)); echo "ok    $*"; }
bad() { fail=$((fail+1)); echo "FAIL  $*"; }
finish() { echo; echo "$pass passed, $fail failed"; [ "$fail" -eq 0 ]; exit $?; }
stat_of() { sed -n "s/^$1=//p" "$2"; }
[ -x "$VIEW" ] && [ -x "$SIM" ] || { bad "$VIEW or $SIM is not built"; finish; }

cat >"$tmp/img.py" <<'PYEOF'
import sys
from PIL import Image
def load(p):
    im = Image.open(p); im.load(); return im.convert("RGB")
cmd = sys.argv[1]
if cmd == "diff":  # differing pixels outside the header's left part (title and badge)
    a, b = load(sys.argv[2]), load(sys.argv[3]); w, h = a.size
    badge = (0, 0, int(w * 0.45), int(h * 0.06))
    n = out = 0
    for y in range(h):
        for x in range(w):
            if a.getpixel((x, y)) != b.getpixel((x, y)):
                n += 1
                if not (badge[0] <= x < badge[2] and badge[1] <= y < badge[3]): out += 1
    print(n, out)
elif cmd == "count":  # pixels of an exact colour in a box given as shares of the image
    im = load(sys.argv[2]); w, h = im.size
    col = tuple(int(sys.argv[3][i:i + 2], 16) for i in (0, 2, 4))
    x0, y0, x1, y1 = (float(v) for v in sys.argv[4:8])
    box = im.crop((int(x0 * w), int(y0 * h), int(x1 * w), int(y1 * h)))
    print(sum(1 for p in box.getdata() if p == col))
PYEOF

"$SIM" -q -o "$tmp/base.h5" "$DRILL" >"$tmp/sim1.log" 2>&1 &
p1=$!
"$SIM" -q --set responses.nrt_overtime.persons=0 --set responses.hnd_overtime.persons=0 -o "$tmp/none.h5" "$DRILL" >"$tmp/sim2.log" 2>&1 &
p2=$!

# ---- the starting time, labels and the map (no drawing of a long run needed) ----
"$VIEW" --headless --stats --screenshot "$tmp/start.png" >"$tmp/start.log" 2>&1
# 09:00 on the first measured day: the warm-up's days (run.warmup_days of default.cfg), then 9 h
warm=$(sed -n 's/^run = {.*warmup_days = \([0-9.]*\);.*/\1/p' scenarios/default.cfg)
want=$(awk -v w="$warm" 'BEGIN { printf "%.3f", (int(w + 0.999999) * 24 + 9) * 60 }')
[ "$(stat_of view_now_min "$tmp/start.log")" = "$want" ] && ok "a bare start opens at 09:00 on the first measured day (minute $want)" \
  || bad "bare start at minute $(stat_of view_now_min "$tmp/start.log"), want $want: $(tail -c 300 "$tmp/start.log")"
for lang in en ja; do
  for sc in scenarios/default.cfg "$DRILL"; do
    for keys in wait m; do
      out=$tmp/cut-$lang-$(basename "$sc" .cfg)-$keys
      CUSTOMS_VIEW_CUTS=1 "$VIEW" --headless --stats --lang "$lang" --keys "$keys" --key-interval 1 --frames 2 \
        --screenshot "$out.png" "$sc" >"$out.log" 2>&1
      cuts=$(stat_of view_text_cuts "$out.log")
      [ "$cuts" = 0 ] && ok "$lang, $(basename "$sc"), keys '$keys' at 1280x720: no text cut" \
        || bad "$lang, $(basename "$sc"), keys '$keys': $cuts cut: $(grep 'cut to' "$out.log" | head -3)"
    done
  done
done
land=$(stat_of view_map_land_share "$tmp/cut-en-kix_typhoon-wait.log")
sea=$($PY "$tmp/img.py" count "$tmp/cut-en-kix_typhoon-wait.png" cfe2f3 0 0.06 0.7 0.97)
ground=$($PY "$tmp/img.py" count "$tmp/cut-en-kix_typhoon-wait.png" f3f0e6 0 0.06 0.7 0.97)
$PY -c "import sys; l=float(sys.argv[1]); sys.exit(0 if 0.05 < l < 0.6 and int(sys.argv[2]) > 20000 and int(sys.argv[3]) > 20000 else 1)" \
  "${land:-0}" "${sea:-0}" "${ground:-0}" && ok "map of the drill: land share $land, $sea sea and $ground land pixels" \
  || bad "map: land share ${land:-?}, sea pixels ${sea:-?}, land pixels ${ground:-?}"
start=$(stat_of view_now_min "$tmp/cut-en-kix_typhoon-wait.log")
[ "${start%%.*}" = 4860 ] && ok "the drill opens 3 h before its disruption (minute 4860)" || bad "drill starts at minute $start, want 4860"

# ---- Esc: closes an overlay, then asks; any other key stays; Esc or y quits ----
esc() { "$VIEW" --headless --stats --frames 60 --key-interval 5 --keys "$1" --screenshot "$tmp/esc.png" scenarios/validation/mm1.cfg 2>&1; }
o=$(esc "?,esc,esc"); [ "$(echo "$o" | stat_of view_frames /dev/stdin)" = 60 ] && [ "$(echo "$o" | stat_of view_asking /dev/stdin)" = 1 ] \
  && ok "Esc closes the help, a second Esc asks (still running, the question on screen)" || bad "Esc, Esc: $o"
o=$(esc "esc,space,wait"); [ "$(echo "$o" | stat_of view_frames /dev/stdin)" = 60 ] && [ "$(echo "$o" | stat_of view_asking /dev/stdin)" = 0 ] \
  && ok "Esc then another key: the demo stays" || bad "Esc, space: $o"
o=$(esc "esc,esc"); f=$(echo "$o" | stat_of view_frames /dev/stdin)
[ -n "$f" ] && [ "$f" -lt 60 ] && ok "Esc, Esc quits (after $f frames)" || bad "Esc, Esc did not quit: $o"
o=$(esc "esc,y"); f=$(echo "$o" | stat_of view_frames /dev/stdin)
[ -n "$f" ] && [ "$f" -lt 60 ] && ok "Esc, y quits" || bad "Esc, y did not quit: $o"
if command -v xvfb-run >/dev/null; then
  o=$(ASAN_OPTIONS=detect_leaks=0 timeout 300 xvfb-run -a -s "-screen 0 1280x720x24" "$VIEW" --stats --keys "?,esc,esc" \
      --key-interval 10 --quit-after-frames 90 --screenshot "$tmp/xesc.png" scenarios/validation/mm1.cfg 2>&1)
  [ "$(echo "$o" | stat_of view_asking /dev/stdin)" = 1 ] && ok "under Xvfb: Esc closes the help, then asks" || bad "Xvfb Esc: $o"
  o=$(ASAN_OPTIONS=detect_leaks=0 timeout 300 xvfb-run -a -s "-screen 0 1280x720x24" "$VIEW" --stats --keys "open=kix,m,click=200:200,esc,esc" \
      --key-interval 10 --quit-after-frames 400 "$DRILL" 2>&1)
  f=$(echo "$o" | stat_of view_frames /dev/stdin)
  [ -n "$f" ] && [ "$f" -lt 399 ] && ok "under Xvfb: map, port, clicks, then Esc Esc quits (frame $f)" || bad "Xvfb map keys: $o"
else
  echo "skip  Esc under Xvfb (no xvfb-run)"
fi

# ---- a short recording ----
if command -v ffmpeg >/dev/null && command -v ffprobe >/dev/null; then
  "$VIEW" --record "$tmp/rec.mp4" --from 2h --to 130m --speed 600 --fps 30 scenarios/validation/mm1.cfg >"$tmp/rec.log" 2>&1
  n=$(ffprobe -v error -count_frames -select_streams v:0 -show_entries stream=nb_read_frames -of csv=p=0 "$tmp/rec.mp4" 2>&1)
  [ "$n" = 31 ] && ok "10 simulated minutes at 600x and 30 fps: a video of 31 frames" || bad "recording: $n frames (want 31): $(tail -c 300 "$tmp/rec.log")"
else
  echo "skip  recording (no ffmpeg)"
fi

# ---- replay equal to live, the closed airport, split screen ----
if wait $p1 && wait $p2; then
  at=2018-09-05T12:00
  "$VIEW" --headless --frames 1 --at $at --screenshot "$tmp/live.png" "$DRILL" >/dev/null 2>&1
  "$VIEW" --headless --frames 1 --at $at --screenshot "$tmp/replay.png" --replay "$tmp/base.h5" >/dev/null 2>&1
  set -- $($PY "$tmp/img.py" diff "$tmp/live.png" "$tmp/replay.png")
  [ "${2:-x}" = 0 ] && [ "${1:-0}" -gt 0 ] && ok "replay = live at $at: $1 pixels differ, all in the LIVE/REPLAY badge" \
    || bad "replay vs live at $at: ${1:-?} pixels differ, ${2:-?} outside the badge"
  "$VIEW" --headless --frames 1 --at $at --keys open=kix --key-interval 1 --frames 2 --screenshot "$tmp/kix.png" --replay "$tmp/base.h5" >/dev/null 2>&1
  closed=$($PY "$tmp/img.py" count "$tmp/kix.png" 6c757d 0 0.06 0.73 0.9)
  red=$($PY "$tmp/img.py" count "$tmp/kix.png" d63333 0 0.06 0.2 0.9)
  [ "${closed:-0}" -gt 2000 ] && [ "${red:-0}" -gt 20 ] && ok "Kansai at $at: stations drawn closed ($closed px), its lane graded red ($red px)" \
    || bad "Kansai at $at: closed pixels ${closed:-?}, red ${red:-?}"
  "$VIEW" --headless --frames 2 --key-interval 1 --keys r --at 2018-09-10T12:00 --replay "$tmp/base.h5" --compare "$tmp/none.h5" \
    --screenshot "$tmp/split.png" >"$tmp/split.log" 2>&1
  dark=$($PY "$tmp/img.py" count "$tmp/split.png" 1e2630 0.4 0.06 0.6 0.95)
  [ -s "$tmp/split.png" ] && [ "${dark:-0}" -gt 200 ] && ok "split screen with the scorecard: $dark text pixels in the middle" \
    || bad "split screen: ${dark:-?} text pixels in the middle: $(tail -c 300 "$tmp/split.log")"
else
  bad "customs-sim runs of the drill failed: $(tail -c 300 "$tmp/sim1.log") $(tail -c 300 "$tmp/sim2.log")"
fi
finish
