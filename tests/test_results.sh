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
import sys, re, h5py, pandas as pd, numpy as np
f = h5py.File(sys.argv[1], "r")
lines = open(sys.argv[2]).read().splitlines()
ch = pd.DataFrame(f["/kpi/channels"][:]); st = pd.DataFrame(f["/kpi/stations"][:])
for df, col in ((ch, "channel"), (st, "station")):
    df[col] = df[col].str.decode("utf-8")
def row(name):
    for l in lines:
        if l.split() and l.split()[0] == name: return l.split()
    raise SystemExit("no row " + name)
def mean_hw(cell):
    m, _, h = cell.partition("±")
    return float(m), (float(h) if h else None)
# channel c0: arrived and released (means over replications), release mean
r = row("c0")
arrived, _ = mean_hw(r[2]); released, _ = mean_hw(r[3]); rel_mean, _ = mean_hw(r[5])
c0 = ch[ch.channel == "c0"]
assert round(c0.arrived.mean()) == round(arrived), (c0.arrived.mean(), arrived)
assert round(c0.released.mean()) == round(released)
assert abs(c0.release_mean_min.mean() - rel_mean) <= 0.0006 * max(1, abs(rel_mean)) + 1e-3, (c0.release_mean_min.mean(), rel_mean)
summ = pd.DataFrame(f["/kpi/summary/channels"][:])
assert abs(summ.release_mean_min_mean[0] - c0.release_mean_min.mean()) < 1e-9
for s in ("s1", "s2"):
    r = row(s); util, _ = mean_hw(r[3])
    assert abs(st[st.station == s].utilization.mean() - util) < 0.0006, s
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
echo "$pass passed, $fail failed"
[ $fail -eq 0 ]
