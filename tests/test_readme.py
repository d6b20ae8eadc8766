#!/usr/bin/python3
"""test_readme: every Python example of results/README.md, run exactly as written.

standalone: run by tests/run.sh with Debian's /usr/bin/python3 (h5py, pandas, xarray,
h5netcdf from Debian). Writes a short run of scenarios/default.cfg to
TMP/results/default.h5, runs each ```python block of results/README.md with TMP as the
current folder, and then checks what the README says the block gives (dimensions,
dates, decoded text, coordinates). Also checks the README's word that pd.read_hdf
cannot read the file.
"""
import io
import os
import re
import subprocess
import sys
import tempfile
import warnings
from contextlib import redirect_stdout

import h5py
import numpy as np
import pandas as pd

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BUILD = os.environ.get("BUILD", "build")
passed, failed = 0, 0


def check(ok, what):
    global passed, failed
    if ok:
        passed += 1
        print("ok    " + what)
    else:
        failed += 1
        print("FAIL  " + what)


def blocks(path):
    text = open(path, encoding="utf-8").read()
    return re.findall(r"^```python\n(.*?)^```", text, flags=re.S | re.M)


def run_block(n, src, cwd):
    """Runs one block in a fresh namespace from cwd; returns (namespace, output, error)."""
    ns = {"__name__": "__readme__"}
    out = io.StringIO()
    old = os.getcwd()
    os.chdir(cwd)
    try:
        with redirect_stdout(out), warnings.catch_warnings():
            warnings.simplefilter("error", category=FutureWarning)
            exec(compile(src, f"results/README.md python block {n}", "exec"), ns)
        return ns, out.getvalue(), None
    except Exception as e:  # the block failed: that is the finding
        return ns, out.getvalue(), f"{type(e).__name__}: {e}"
    finally:
        os.chdir(old)


def checks_after(n, ns, out, h5):
    """What the README promises about the names a block defines."""
    with h5py.File(h5, "r") as f:
        nrep = int(f.attrs["replications"])
        nst = len([d for d in f["/series/queue"].values() if d.ndim == 2])
        start = np.datetime64(f.attrs["start"].decode() if isinstance(f.attrs["start"], bytes) else f.attrs["start"])
        nrows = {k: f["/kpi/" + k].shape[0] for k in f["/kpi"] if isinstance(f["/kpi/" + k], h5py.Dataset)}
    ch = ns.get("ch")
    if isinstance(ch, pd.DataFrame):
        check(isinstance(ch["channel"].iloc[0], str), f"block {n}: channel names are text, not bytes")
        check(len(ch) == nrows["channels"], f"block {n}: one DataFrame row per /kpi/channels row")
        if "units" in ns:
            check(isinstance(ch["kind"].iloc[0], str), f"block {n}: kind as labels")
    q = ns.get("q")
    if q is not None and hasattr(q, "dims"):
        check(q.dims == ("station", "replication", "time"), f"block {n}: q dims {q.dims}")
        check(np.issubdtype(q.time.dtype, np.datetime64) and q.time.values[0] == start,
              f"block {n}: time decoded as dates from run.start ({q.time.values[0]})")
        check(q.sizes["station"] == nst and q.sizes["replication"] == nrep, f"block {n}: q sizes {dict(q.sizes)}")
        check("counter" in list(q.station.values), f"block {n}: station names are coordinate values")
        check("2024-11-25T00:00" in out, f"block {n}: prints dates")
    rel = ns.get("rel")
    if rel is not None:
        check(rel.dims == ("channel", "replication", "release_bin_min"), f"block {n}: rel dims {rel.dims}")
        check("express" in list(rel.channel.values), f"block {n}: channel names as coordinate values")
    if "kpi" in ns and "stations" in ns:
        check(dict(ns["kpi"].sizes) == {k: v for k, v in nrows.items()}, f"block {n}: /kpi sizes {dict(ns['kpi'].sizes)}")
        check(len(ns["stations"]) == nrows["stations"], f"block {n}: stations table via xarray records")
        check(int(ns["root"].attrs["replications"]) == nrep, f"block {n}: root attributes")
    if "stations" in ns and isinstance(ns["stations"], list):
        check(len(ns["stations"]) == nst and "time" not in ns["stations"], f"block {n}: h5py lists the series, not the coordinates")


def main():
    readme = os.path.join(ROOT, "results", "README.md")
    code = blocks(readme)
    check(len(code) >= 5, f"results/README.md has {len(code)} python blocks")
    with tempfile.TemporaryDirectory() as tmp:
        os.makedirs(os.path.join(tmp, "results"))
        h5 = os.path.join(tmp, "results", "default.h5")
        sim = os.path.join(ROOT, BUILD, "customs-sim")
        run = subprocess.run([sim, "-q", "-r", "2", "-j", "2", "--days", "0.25", "--set", "run.warmup_days=0.25",
                              "-o", h5, "scenarios/default.cfg"], cwd=ROOT, capture_output=True, text=True)
        check(run.returncode == 0, "a short default run writes results/default.h5" + (": " + run.stderr[-300:] if run.returncode else ""))
        if run.returncode:
            return 1
        for n, src in enumerate(code, 1):
            ns, out, err = run_block(n, src, tmp)
            check(err is None, f"block {n} runs as written" + (f": {err}" if err else ""))
            if err is None:
                checks_after(n, ns, out, h5)
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                pd.read_hdf(h5, "/kpi/channels")
            check(False, "pd.read_hdf fails as the README says")
        except Exception:
            check(True, "pd.read_hdf fails as the README says (PyTables files only)")
    print(f"{passed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
