#!/usr/bin/env bash
# test_report_drill: customs-report on a drill, as a planner uses it. Runs the small drill
# tests/data/drill_small.cfg without the plan (A) and with it (B), same seed, 4
# replications; then checks, against the files read with h5py:
#   - the recovery table of one file (time to normal, peak backlog as whole numbers,
#     delayed 24 h and 72 h, RTO/MTPD/MBCO met or "no objective"), and its wording
#     ("4 replications", "unlimited" servers, no exponents);
#   - the comparison: the method named truthfully (paired on common random numbers,
#     Welch for other seeds), a warning for one replication, the scorecard and the
#     recovery figures on the terminal and in CSV (the key on every row), -q with --csv;
#   - the charts of one file (a backlog chart per port, no chart for stations that
#     never queue) and the scorecard slides of two (1920x1080, both runs' lines and
#     bands, the disruption shaded, the RTO line only where there is an RTO).
set -u
cd "$(dirname "$0")/.."
BUILD=${BUILD:-build}
SIM=$BUILD/customs-sim REPORT=$BUILD/customs-report PY=/usr/bin/python3
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
pass=0 fail=0
ok() { pass=$((pass+1)); echo "ok    $*"; }
bad() { fail=$((fail+1)); echo "FAIL  $*"; }
check() { local what=$1; shift; if "$@"; then ok "$what"; else bad "$what"; fi; }

cfg=tests/data/drill_small.cfg A=$tmp/noplan.h5 B=$tmp/plan.h5 C=$tmp/other_seed.h5 ONE=$tmp/one.h5
"$SIM" -q -r 4 -j 2 -o "$B" $cfg && "$SIM" -q -r 4 -j 2 -o "$A" --set responses.south_overtime.persons=0 $cfg &&
  "$SIM" -q -r 3 -j 2 -s 2 -o "$C" $cfg && "$SIM" -q -r 1 -o "$ONE" $cfg || { bad "drill runs"; echo "$pass passed, $fail failed"; exit 1; }

# ---- one file: the recovery table ---------------------------------------------------------
"$REPORT" "$B" >"$tmp/one.txt" 2>"$tmp/one.err"
check "summary of a drill exits 0 and says nothing on stderr" test $? -eq 0 -a ! -s "$tmp/one.err"
"$PY" - "$B" "$tmp/one.txt" <<'PY' >"$tmp/rec.log" 2>&1 && ok "recovery table: every scope and figure, as in /kpi/recovery" || { bad "recovery table"; cat "$tmp/rec.log"; }
import sys, re, h5py, numpy as np, pandas as pd
f = h5py.File(sys.argv[1], "r"); text = open(sys.argv[2]).read()
rec = pd.DataFrame(f["/kpi/recovery"][()]); rec["scope"] = rec.scope.str.decode("utf-8")
block = text[text.index("Recovery after disruptions"):]
assert "4 replications" in block.splitlines()[0], block.splitlines()[0]
assert "Nov 26 00:00" in block.splitlines()[0] and "storm (closure at North)" in block.splitlines()[0], block.splitlines()[0]
rows = {l.split("  ")[0].strip(): l for l in block.splitlines()[3:] if l.strip() and not l.startswith("~")}
assert set(rows) == {"north (port)", "south (port)"}, rows.keys()  # one channel per port: no channel rows
for scope, line in rows.items():
    g = rec[rec.scope == scope.split()[0]]
    peak = round(g.peak_backlog.mean())
    assert re.search(r"\b%d ± \d+\b" % peak, line) or re.search(r"\b%d\b" % peak, line), (line, peak)
    for fig in ("delayed_24h", "delayed_72h"):
        assert str(int(round(g[fig].mean()))) in line, (line, fig)
    ttn = g.time_to_normal_h.dropna().mean()
    if not np.isnan(ttn):
        assert ("%.1f" % ttn) in line or ("%.0f" % ttn) in line or ("%.2f" % ttn) in line, (line, ttn)
north, south = rows["north (port)"], rows["south (port)"]
met = rec[rec.scope == "north"].rto_met
want = "12 h: met" if met.all() else "12 h: missed" if not met.any() else "12 h: met in %d of 4" % met.sum()
assert want in north, (want, north)
assert "48 h: met" in north or "48 h: missed" in north or "48 h: met in" in north, north
assert "50%: " in north, north
assert south.count("no objective") == 3, south
assert "rto_met" not in text and "e+0" not in text and "e-0" not in text, "raw names or exponents in the text"
assert "unlimited" in text and "-1" not in [c for l in text.splitlines() if l.startswith("servers") for c in l.split()]
assert "4 replications" in text and "0.5 warm-up days" in text
print("recovery ok")
PY
"$REPORT" "$ONE" >"$tmp/one1.txt" 2>&1
check "one replication: '1 replication, 2.5 days measured after 0.5 warm-up days'" \
  grep -q "1 replication, 2.5 days measured after 0.5 warm-up days" "$tmp/one1.txt"
grep -q "Note .*one replication: no confidence intervals" "$tmp/one1.txt" && ! grep -q "1 replications" "$tmp/one1.txt" \
  && ok "one replication: the note, and no '1 replications'" || bad "one replication wording: $(head -5 "$tmp/one1.txt")"

# ---- two files ---------------------------------------------------------------------------------
"$REPORT" --csv "$tmp/cmp" "$A" "$B" >"$tmp/cmp.txt" 2>"$tmp/cmp.err"
check "compare A B exits 0, nothing on stderr" test $? -eq 0 -a ! -s "$tmp/cmp.err"
check "same seed and replications: paired on common random numbers" \
  grep -q "^Method        paired differences over common random numbers (both runs: seed 1, 4 replications)" "$tmp/cmp.txt"
"$PY" - "$A" "$B" "$tmp/cmp.txt" "$tmp/cmp" <<'PY' >"$tmp/cmp.log" 2>&1 && ok "scorecard and recovery comparison: terminal and CSV agree with the files" || { bad "scorecard / recovery comparison"; cat "$tmp/cmp.log"; }
import sys, os, h5py, numpy as np, pandas as pd
def rec(p):
    d = pd.DataFrame(h5py.File(p, "r")["/kpi/recovery"][()]); d["scope"] = d.scope.str.decode("utf-8"); return d
A, B, text, d = rec(sys.argv[1]), rec(sys.argv[2]), open(sys.argv[3]).read(), sys.argv[4]
card = text[text.index("Drill scorecard"):text.index("Recovery after disruptions")]
lines = card.splitlines()
assert any(l.split()[:1] == ["North"] for l in lines) and any(l.split()[:1] == ["South"] for l in lines), card
head = [l.strip() for l in lines if "back to normal in" in l or "not back to normal" in l]
assert len(head) == 2 and head[0].startswith("North") and "RTO 12 h: " in head[0] and "no RTO set" in head[1], head
sc = pd.read_csv(os.path.join(d, "compare_scorecard.csv"))
assert list(sc.port) == ["north", "south"], sc.port
for _, r in sc.iterrows():
    a, b = A[A.scope == r.port], B[B.scope == r.port]
    assert np.isclose(r.a_back_to_normal_days, a.time_to_normal_h.mean() / 24, rtol=1e-5), r
    assert np.isclose(r.b_back_to_normal_days, b.time_to_normal_h.mean() / 24, rtol=1e-5), r
    assert np.isclose(r.a_peak_backlog, a.peak_backlog.mean(), rtol=1e-5) and r.method == "paired", r
    assert isinstance(r.headline, str) and r.headline.startswith(r.port.capitalize())
assert sc.rto_days[0] == 0.5 and np.isnan(sc.rto_days[1]), sc.rto_days
cr = pd.read_csv(os.path.join(d, "compare_recovery.csv"))
assert list(cr.columns) == ["key", "figure", "unit", "a_mean", "b_mean", "diff", "diff_hw", "method", "significant", "note"]
assert cr.key.notna().all() and set(cr.key) == {"north (port)", "south (port)"}, "the key on every row"
south = cr[cr.key == "south (port)"]
assert (south[south.figure.str.endswith(" met")].note.str.endswith("no objective")).all(), south
n = cr[(cr.key == "north (port)") & (cr.figure == "RTO met")].iloc[0]
assert n.note == "RTO 12 h" and np.isclose(n.a_mean, A[A.scope == "north"].rto_met.mean()), n
pk = cr[(cr.key == "south (port)") & (cr.figure == "peak backlog")].iloc[0]
pa, pb = A[A.scope == "south"].sort_values("replication"), B[B.scope == "south"].sort_values("replication")
assert np.isclose(pk["diff"], (pb.peak_backlog.values - pa.peak_backlog.values).mean()), pk
for name in ("channels", "stations", "staff"):
    t = pd.read_csv(os.path.join(d, "compare_%s.csv" % name))
    assert t.key.notna().all(), name + ": a blank key on a continuation row"
block = text[text.index("Recovery after disruptions"):text.index("/kpi/channels")]
assert block.count("no objective") == 6 and "12 h: " in block, block
print("compare ok")
PY

"$REPORT" "$C" "$B" >"$tmp/welch.txt" 2>&1
check "other seed: Welch's t, saying why" grep -q "Welch's t for independent runs (seeds 2 and 1 differ; 3 replications and 4 replications)" "$tmp/welch.txt"
"$REPORT" "$ONE" "$ONE" >"$tmp/w1.txt" 2>"$tmp/w1.err"
check "one replication: a warning on stderr" grep -q "warning: .*one.h5 has 1 replication: no confidence intervals" "$tmp/w1.err"
check "one replication: the warning in the text, and the method" grep -q "^Warning       .*has one replication" "$tmp/w1.txt"
check "one replication: no difference marked significant" grep -q "excludes 0 (0 figures)" "$tmp/w1.txt"
"$REPORT" -q --csv "$tmp/q" "$A" "$B" >"$tmp/q.txt" 2>&1
check "-q with --csv: nothing on the terminal, the CSV written" test ! -s "$tmp/q.txt" -a -s "$tmp/q/compare_scorecard.csv"

# ---- charts of one file ---------------------------------------------------------------------------
"$REPORT" -q --png "$tmp/png" "$B" >/dev/null 2>&1
check "--png of a drill exits 0" test $? -eq 0
"$PY" - "$B" "$tmp/png" <<'PY' >"$tmp/png.log" 2>&1 && ok "charts: a backlog chart per port, no chart for stations that never queue" || { bad "charts of one file"; cat "$tmp/png.log"; }
import sys, os, h5py, numpy as np
from PIL import Image
f, d = h5py.File(sys.argv[1], "r"), sys.argv[2]
have = {n[:-4] for n in os.listdir(d)}
queued = {n for n, ds in f["/series/queue"].items() if ds.ndim == 2 and ds[()].max() > 0}
assert {"backlog_north", "backlog_south"} <= have, have
assert {n for n in have if n.startswith("queue_")} == {"queue_" + n.replace(".", "_") for n in queued}, (have, queued)
assert "queue_south_gate" not in have  # unlimited and never held: no chart
for n in ("backlog_north", "backlog_south"):
    im = np.asarray(Image.open(os.path.join(d, n + ".png")).convert("RGB")).astype(int)
    near = lambda rgb, tol=6: int((np.abs(im - np.array(rgb)).max(axis=2) <= tol).sum())
    assert im.shape == (800, 1200, 3), im.shape
    assert near((31, 119, 180), 10) > 500, n + ": no mean line"
    assert near((212, 212, 221), 5) > 5000, n + ": no shaded closure"
    if n == "backlog_north":
        assert near((200, 0, 0), 30) > 200, n + ": no RTO line"
print("png ok")
PY

# ---- the scorecard slides -------------------------------------------------------------------------
"$REPORT" -q --png "$tmp/slides" "$A" "$B" >/dev/null 2>&1
check "--png with two files draws the scorecard (exit 0)" test $? -eq 0
"$PY" - "$tmp/slides" <<'PY' >"$tmp/slides.log" 2>&1 && ok "scorecard slides: 1920x1080, both runs' lines and bands, closure shaded, RTO only where set" || { bad "scorecard slides"; cat "$tmp/slides.log"; }
import sys, os, numpy as np
from PIL import Image
d = sys.argv[1]
assert sorted(os.listdir(d)) == ["scorecard_north.png", "scorecard_south.png"], os.listdir(d)
for port in ("north", "south"):
    im = np.asarray(Image.open(os.path.join(d, "scorecard_%s.png" % port)).convert("RGB")).astype(int)
    assert im.shape == (1080, 1920, 3), im.shape
    near = lambda rgb, tol=6: int((np.abs(im - np.array(rgb)).max(axis=2) <= tol).sum())
    # colours of report_chart.c: lines, bands (alpha over white, and B's over A's), closure
    counts = {"A line": near((215, 100, 0), 12), "B line": near((31, 119, 180), 12),
              "A band": near((250, 225, 203), 5), "B band": near((199, 221, 236), 5),
              "bands": near((195, 199, 197), 6), "closure": near((212, 212, 221), 5), "RTO": near((200, 0, 0), 30)}
    assert counts["B line"] > 1000 and counts["closure"] > 5000, (port, counts)
    assert counts["A band"] + counts["B band"] + counts["bands"] > 2000, (port, counts)
    if port == "south":  # the plan acts here: A's line and band show beside B's
        assert counts["A line"] > 1000 and counts["A band"] > 2000, (port, counts)
    if port == "north":  # the closure's RTO
        assert counts["RTO"] > 300, (port, counts)
    else:
        assert counts["RTO"] < 50, (port, "an RTO line where none is set", counts)
print("slides ok")
PY
echo "$pass passed, $fail failed"
[ $fail -eq 0 ]
