#!/usr/bin/env bash
# test_report: end-to-end test of customs-report and of the result-file layout.
# Writes sample runs with the recorder (build/tests/test_report_fixture: a baseline A,
# a policy B with the same seed, and A again under another seed C), checks them with
# tests/test_layout.py, then runs customs-report on them: the summary table, --csv,
# --png (the PNGs must decode and not be blank), comparisons (and their slides), and bad input (missing,
# empty, truncated, damaged, schema-less files and usage errors).
#
#   BUILD=build tests/test_report.sh      (BUILD defaults to build; SAN=1 for sanitizer builds)
#
# Prints one line per check and "test_report: N passed, M failed"; exits 1 on a failure.
set -u
cd "$(dirname "$0")/.." || exit 1

BUILD=${BUILD:-build}
SAN=${SAN:-0}
PY=/usr/bin/python3
REPORT=$BUILD/customs-report
FIXTURE=$BUILD/tests/test_report_fixture
pass=0
fail=0

ok() { echo "ok: $1"; pass=$((pass + 1)); }
bad() { echo "FAIL: $1"; fail=$((fail + 1)); }
check() { # check DESCRIPTION COMMAND...: returns the command's success
  local what=$1
  shift
  if "$@"; then ok "$what"; else bad "$what" && return 1; fi
}
has_tables() { grep -q "^Channels" "$1" && grep -q "^Stations" "$1" && grep -q "^Staff pools" "$1"; }

for prog in "$REPORT" "$FIXTURE"; do
  if [ ! -x "$prog" ]; then
    make --no-print-directory BUILD="$BUILD" SAN="$SAN" "$prog" >/dev/null ||
      { echo "FAIL: $prog is missing and could not be built"; echo "test_report: 0 passed, 1 failed"; exit 1; }
  fi
done

tmp=$(mktemp -d /tmp/test_report.XXXXXX)
trap 'rm -rf "$tmp"' EXIT
A=$tmp/baseline.h5
B=$tmp/policy.h5
C=$tmp/other_seed.h5

# ---- sample files and their layout ------------------------------------------------
REC_SAMPLE=$A REC_SAMPLE_B=$B REC_SAMPLE_C=$C "$FIXTURE" >"$tmp/fixture.log" 2>&1
check "fixture writes three sample files" test -s "$A" -a -s "$B" -a -s "$C"
layout() { "$PY" tests/test_layout.py "$1" >"$tmp/layout.log" 2>&1; }
check "layout of the sample file (tests/test_layout.py)" layout "$A" || grep -v ": ok$" "$tmp/layout.log"

# A file that breaks the layout must be caught.
"$PY" - "$A" "$tmp/broken.h5" <<'EOF'
import shutil, sys, h5py
shutil.copy(sys.argv[1], sys.argv[2])
with h5py.File(sys.argv[2], "r+") as f:
    del f["/kpi/stations"].attrs["units"]
    t = f["/kpi/channels"][()]
    t["released"][0] += 1
    f["/kpi/channels"][...] = t
EOF
"$PY" tests/test_layout.py "$tmp/broken.h5" >"$tmp/broken.log" 2>&1
rc=$?
check "test_layout rejects a broken file" test "$rc" -eq 1
check "test_layout names the missing units" grep -q "/kpi/stations: no string attribute .units." "$tmp/broken.log"
check "test_layout finds the conservation error" grep -q "in_system_start + arrived" "$tmp/broken.log"

# ---- the summary table --------------------------------------------------------------
"$REPORT" "$A" >"$tmp/table.txt" 2>"$tmp/table.err"
check "summary table exits 0" test $? -eq 0
check "summary has the channel, station and staff tables" has_tables "$tmp/table.txt"
check "summary shows confidence half-widths" grep -q "±" "$tmp/table.txt"
check "summary shows UTF-8 names" grep -q "税関_desk" "$tmp/table.txt"
check "summary prints nothing on stderr" test ! -s "$tmp/table.err"

# ---- CSV --------------------------------------------------------------------------------
"$REPORT" -q --csv "$tmp/csv" "$A"
check "--csv exits 0" test $? -eq 0
"$PY" - "$A" "$tmp/csv" <<'EOF' >"$tmp/csv.log" 2>&1
import os, sys, h5py, pandas as pd
path, d = sys.argv[1], sys.argv[2]
want = {"kpi_channels", "kpi_stations", "kpi_staff", "kpi_seizures", "kpi_summary_channels",
        "kpi_summary_stations", "kpi_summary_staff", "events", "items_express_hub", "sweep"}
have = {f[:-4] for f in os.listdir(d) if f.endswith(".csv")}
assert have == want, f"CSV files {sorted(have)}, expected {sorted(want)}"
with h5py.File(path) as f:
    for name in want:
        ds = f["/" + name.replace("kpi_summary_", "kpi/summary/").replace("kpi_", "kpi/").replace("items_", "items/")]
        df = pd.read_csv(os.path.join(d, name + ".csv"))
        assert list(df.columns) == list(ds.dtype.names), f"{name}: header {list(df.columns)}"
        assert len(df) == ds.shape[0], f"{name}: {len(df)} rows, the table has {ds.shape[0]}"
ch = pd.read_csv(os.path.join(d, "kpi_channels.csv"))
assert set(ch["kind"]) <= {"passengers_in", "express", "mail", "sea_containers"}, set(ch["kind"])
assert ch["hit_rate"].isna().sum() == 5, "NaN must be an empty cell"
ev = pd.read_csv(os.path.join(d, "events.csv"))
assert 'needs "quotes", and commas' in set(ev["text"]), "quoted text did not survive"
st = pd.read_csv(os.path.join(d, "kpi_stations.csv"))
assert "税関_desk" in set(st["station"]), "UTF-8 station name lost"
print("csv ok")
EOF
check "CSV files: one per table, header, row counts, labels, quoting, NaN" grep -q "csv ok" "$tmp/csv.log" ||
  cat "$tmp/csv.log"

# ---- PNG ---------------------------------------------------------------------------------
"$REPORT" -q --png "$tmp/png" "$A"
check "--png exits 0" test $? -eq 0
"$PY" - "$tmp/png" <<'EOF' >"$tmp/png.log" 2>&1
import os, sys
from PIL import Image
d = sys.argv[1]
want = {f"queue_{s}" for s in ["primary_1", "xray_1", "ct_1", "dogs", "税関_desk"]}
want |= {f"release_{c}" for c in ["arrivals_hall", "express_hub", "mail_center", "container_yard"]}
want |= {"utilization_stations", "utilization_staff", "sweep_release_p95_min", "backlog_port"}
have = {f[:-4] for f in os.listdir(d) if f.endswith(".png")}
assert have == want, f"PNG files {sorted(have)}, expected {sorted(want)}"
for name in sorted(have):
    im = Image.open(os.path.join(d, name + ".png")).convert("RGB")
    assert im.size[0] >= 1000 and im.size[1] >= 600, f"{name}: size {im.size}"
    colours = im.getcolors(1 << 24)
    assert len(colours) >= 50, f"{name}: only {len(colours)} colours"
    white = max(colours)[0] / (im.size[0] * im.size[1])
    assert white < 0.99, f"{name}: {white:.1%} of the picture is one colour"
    # data are drawn in colour (lines, bars, bands), text and frames in grey
    inked = sum(n for n, (r, g, b) in colours if max(r, g, b) - min(r, g, b) > 60)
    assert inked > 1500, f"{name}: only {inked} coloured pixels: no data drawn"
print("png ok", len(have))
EOF
check "PNG charts: all present, decodable, 1200x800, not blank" grep -q "png ok" "$tmp/png.log" ||
  cat "$tmp/png.log"

# ---- comparisons ---------------------------------------------------------------------------
"$REPORT" --csv "$tmp/cmp" "$A" "$B" >"$tmp/cmp.txt" 2>&1
check "compare A B exits 0" test $? -eq 0
check "same seed and replications compare pairwise" \
  grep -q "paired differences over common random numbers (both runs: seed 42, 5 replications)" "$tmp/cmp.txt"
check "the policy's shorter release times are significant" grep -q "release_mean_min.*-20.0% \*" "$tmp/cmp.txt"
check "compare writes compare_channels.csv" test -s "$tmp/cmp/compare_channels.csv"
"$REPORT" -q --png "$tmp/slides" "$A" "$B" >"$tmp/slides.txt" 2>&1
check "--png with two files: a slide per port (scorecard_port.png), nothing printed" \
  test -s "$tmp/slides/scorecard_port.png" -a ! -s "$tmp/slides.txt"
"$REPORT" --significant "$A" "$C" >"$tmp/welch.txt" 2>&1
check "different seeds compare with Welch's t" grep -q "Welch" "$tmp/welch.txt"

# ---- bad input --------------------------------------------------------------------------------
expect_error() { # expect_error DESCRIPTION STATUS NAME_IN_MESSAGE ARGS...
  local what=$1 want=$2 name=$3
  shift 3
  "$REPORT" "$@" >/dev/null 2>"$tmp/err.txt"
  local rc=$? lines
  lines=$(wc -l <"$tmp/err.txt")
  if [ "$rc" -eq "$want" ] && [ "$lines" -eq 1 ] && grep -qF -- "$name" "$tmp/err.txt"; then
    ok "$what"
  else
    bad "$what (status $rc, $lines stderr lines: $(head -c 300 "$tmp/err.txt"))"
  fi
}
head -c $(($(stat -c %s "$A") / 2)) "$A" >"$tmp/truncated.h5"
: >"$tmp/empty.h5"
head -c 20000 /dev/urandom >"$tmp/garbage.h5"
"$PY" -c "import h5py, sys; h5py.File(sys.argv[1], 'w')['x'] = [1]" "$tmp/noschema.h5"
expect_error "truncated file: exit 1, one line naming it" 1 "$tmp/truncated.h5" "$tmp/truncated.h5"
expect_error "missing file: exit 1, one line naming it" 1 "$tmp/nosuch.h5" "$tmp/nosuch.h5"
expect_error "empty file: exit 1, one line naming it" 1 "$tmp/empty.h5" "$tmp/empty.h5"
expect_error "garbage file: exit 1, one line naming it" 1 "$tmp/garbage.h5" "$tmp/garbage.h5"
expect_error "file without schema: exit 1, one line naming it" 1 "$tmp/noschema.h5" "$tmp/noschema.h5"
expect_error "truncated policy file in a comparison" 1 "$tmp/truncated.h5" "$A" "$tmp/truncated.h5"
expect_error "unknown option: exit 2" 2 "--bogus" --bogus "$A"
expect_error "no file: exit 2" 2 "give one result file"
expect_error "unwritable --csv directory: exit 1" 1 "/proc/customs" -q --csv /proc/customs/x "$A"
"$REPORT" --help >"$tmp/help.txt"
check "--help exits 0 and explains usage" grep -q "^usage: customs-report" "$tmp/help.txt"

# Damaged copies (bytes overwritten at fixed places): never a crash, at most one line.
for seed in 1 2 3 4 5 6; do
  "$PY" - "$A" "$tmp/damaged.h5" "$seed" <<'EOF'
import random, sys
data = bytearray(open(sys.argv[1], "rb").read())
rnd = random.Random(int(sys.argv[3]))
for _ in range(64):
    data[rnd.randrange(2048, len(data))] = rnd.randrange(256)
open(sys.argv[2], "wb").write(data)
EOF
  ASAN_OPTIONS=detect_leaks=0 "$REPORT" -q --csv "$tmp/dcsv" --png "$tmp/dpng" "$tmp/damaged.h5" >/dev/null 2>"$tmp/err.txt"
  rc=$?
  lines=$(wc -l <"$tmp/err.txt")
  if [ "$rc" -le 1 ] && { [ "$SAN" = 1 ] || [ "$lines" -le "$rc" ]; }; then
    ok "damaged file $seed: status $rc, $lines line(s)"
  else
    bad "damaged file $seed: status $rc, $lines lines: $(head -c 300 "$tmp/err.txt")"
  fi
done

echo "test_report: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
