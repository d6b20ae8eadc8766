#!/usr/bin/env bash
# test_results: the result file against what customs-sim printed, read with the clients
# users have (Debian's h5py and pandas): the KPI table's figures equal the file's, the
# per-item log holds one row per item released or seized, and an interrupted run's file
# is readable and marked incomplete (tests/test_cli.sh covers the signal itself).
set -u
cd "$(dirname "$0")/.."
SIM=${BUILD:-build}/customs-sim
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
pass=0 fail=0
ok() { pass=$((pass+1)); echo "ok    $*"; }
bad() { fail=$((fail+1)); echo "FAIL  $*"; }

"$SIM" -r 3 -j 2 -s 5 --days 2 -o "$tmp/mmc.h5" scenarios/validation/tandem.cfg >"$tmp/table.txt" 2>&1 || bad "tandem run"
/usr/bin/python3 - "$tmp/mmc.h5" "$tmp/table.txt" <<'PY' && ok "printed KPI table matches /kpi (h5py, pandas)" || bad "printed KPI table matches /kpi"
import sys, re, math, h5py, pandas as pd, numpy as np
f = h5py.File(sys.argv[1], "r")
lines = open(sys.argv[2]).read().splitlines()
ch = pd.DataFrame(f["/kpi/channels"][:]); st = pd.DataFrame(f["/kpi/stations"][:])
for df, col in ((ch, "channel"), (st, "station")):
    df[col] = df[col].str.decode("utf-8")
# columns are two or more spaces apart; a cell is "mean", "mean ± hw" or "-"
cols = lambda l: re.split(r"\s{2,}", l.strip())
def table(first):
    start = next(i for i, l in enumerate(lines) if l.split() and l.split()[0] == first)
    head, rows = cols(lines[start]), {}
    for l in lines[start + 1:]:
        if not l.strip(): break
        c = cols(l); rows[c[0]] = dict(zip(head[1:], c[1:]))
    return rows
def mean_tol(cell):
    """The printed mean and half the unit it was rounded to: the half-width's second
    significant digit when there is one, else the last printed digit."""
    m, _, h = (x.strip() for x in cell.partition("±"))
    if h and float(h) > 0:
        unit = 10 ** (math.floor(math.log10(float(h))) - 1)
    else:
        unit = 10 ** -(len(m.split(".")[1]) if "." in m else 0)
    return float(m), 0.5 * unit + 1e-9
chans, stats = table("channel"), table("station")
# channel c0: arrived and released (means over replications), release mean
c0 = ch[ch.channel == "c0"]
for col, fig in (("arrived", "arrived"), ("released", "released"), ("release_mean_min", "rel_mean_min")):
    v, tol = mean_tol(chans["c0"][fig])
    assert abs(c0[col].mean() - v) <= tol, (col, c0[col].mean(), v, tol)
summ = pd.DataFrame(f["/kpi/summary/channels"][:])
assert abs(summ.release_mean_min_mean[0] - c0.release_mean_min.mean()) < 1e-9
for s in ("s1", "s2"):
    v, tol = mean_tol(stats[s]["util"])
    assert abs(st[st.station == s].utilization.mean() - v) <= tol, (s, v, tol)
assert f.attrs["complete"] == 1 and f.attrs["replications"] == 3
for ds in ("/kpi/channels", "/kpi/stations", "/kpi/summary/channels"):
    assert "units" in f[ds].attrs and "long_name" in f[ds].attrs, ds
PY

# the per-item log: one row per item that left (released or seized) in the measured period
"$SIM" -q -r 2 -j 2 --days 1 --set output.items=true -o "$tmp/items.h5" scenarios/validation/mmc.cfg || bad "items run"
/usr/bin/python3 - "$tmp/items.h5" <<'PY' && ok "/items/<channel> holds one row per released or seized item" || bad "/items log"
import sys, h5py, pandas as pd
f = h5py.File(sys.argv[1], "r")
items = pd.DataFrame(f["/items/c0"][:]); ch = pd.DataFrame(f["/kpi/channels"][:])
for rep, g in items.groupby("replication"):
    k = ch[ch.replication == rep].iloc[0]
    assert len(g) == k.released + k.seized, (rep, len(g), k.released, k.seized)
    assert (g.exit_h >= g.arrival_h).all()
    assert abs(((g.exit_h - g.arrival_h) * 60).mean() - k.release_mean_min) < 1e-6 * 60
assert f["/items/c0"].chunks is not None and f["/items/c0"].compression == "gzip"
PY
# ROC curves of the surrogate detection kernels
"$SIM" -q --days 0.1 --set run.warmup_days=0 -o "$tmp/roc.h5" scenarios/default.cfg || bad "default run"
/usr/bin/python3 - "$tmp/roc.h5" <<'PY' && ok "/kernels/roc: one ROC per detection station, from (0,0) to (1,1)" || bad "/kernels/roc"
import sys, h5py, numpy as np
f = h5py.File(sys.argv[1], "r")
names = set(f["/kernels/roc"].keys())
assert {"express_xray", "express_ct", "nqr"} <= names, names
for n in names:
    d = f["/kernels/roc/" + n][:]
    assert np.all(np.diff(d["pfa"]) >= 0) and np.all(np.diff(d["pd"]) >= 0), n
    assert d["pfa"][0] == 0 and d["pd"][0] == 0 and d["pfa"][-1] == 1 and d["pd"][-1] == 1, n
    assert 0 <= f["/kernels/roc/" + n].attrs["auc"] <= 1
PY
# Each replication's series wait in a temporary file until the result file is written;
# more replications than the descriptor limit allows keep theirs in memory instead, and
# the file holds the same figures either way.
"$SIM" -q -r 150 -j 2 --days 0.01 -o "$tmp/fds_free.h5" scenarios/validation/mmc.cfg || bad "150 replications"
(ulimit -n 96 && "$SIM" -q -r 150 -j 2 --days 0.01 -o "$tmp/fds_low.h5" scenarios/validation/mmc.cfg) ||
  bad "150 replications under a limit of 96 descriptors"
/usr/bin/python3 - "$tmp/fds_free.h5" "$tmp/fds_low.h5" <<'PY' && ok "series held in memory past the descriptor limit equal the spooled ones" || bad "series past the descriptor limit"
import sys, h5py, numpy as np
a, b = h5py.File(sys.argv[1], "r"), h5py.File(sys.argv[2], "r")
def eq(x, y):
    if x.dtype.names: return all(eq(x[f], y[f]) for f in x.dtype.names)
    return np.array_equal(x, y, equal_nan=x.dtype.kind == "f")
names = []
a.visititems(lambda n, o: names.append(n) if isinstance(o, h5py.Dataset) else None)
assert a["series/queue/s0"].shape[0] == 150, a["series/queue/s0"].shape
for n in names:
    assert eq(np.asarray(a[n][()]), np.asarray(b[n][()])), n
PY
echo "$pass passed, $fail failed"
[ $fail -eq 0 ]
