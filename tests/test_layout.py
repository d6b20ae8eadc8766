#!/usr/bin/python3
"""test_layout: checks that a customs-sim result file follows results/README.md.

Usage: /usr/bin/python3 tests/test_layout.py FILE.h5 [--lenient]

Opens the file with h5py and pandas (as users will) and checks the root attributes,
the KPI tables and their fields, the summaries against the per-replication tables,
conservation of items, `units` and `long_name` on every dataset, the dimension scales
of every series, the release-time histograms and the logs. Every problem is listed;
the exit status is 1 when there is one (2 for a usage error).
--lenient turns missing optional parts (histograms, events, staff, busy and on-duty
series) into warnings, for runs of small validation scenarios.
Run it with Debian's /usr/bin/python3 (h5py, pandas and numpy come from Debian).
"""
import datetime
import math
import sys

import h5py
import numpy as np
import pandas as pd

SCHEMA = "customs-sim/1"
KINDS = {"generic", "passengers_in", "passengers_out", "express", "mail", "air_cargo",
         "sea_containers", "exports"}
CHANNEL_FIELDS = [
    "replication", "channel", "kind", "in_system_start", "arrived", "released", "seized",
    "in_system_end", "inspected", "false_alarms", "release_mean_min", "release_p50_min",
    "release_p95_min", "release_p99_min", "stage_arrival_decl_mean_min",
    "stage_decl_permit_mean_min", "stage_permit_exit_mean_min", "within_target_share",
    "target_min", "wait_mean_min", "wait_p95_min", "wait_within_target_share", "hit_rate",
    "revenue_recovered_jpy", "missed"]
STATION_FIELDS = ["replication", "station", "type", "servers", "served", "lost", "utilization",
                  "wait_mean_min", "wait_p95_min", "queue_mean", "queue_max", "down_h"]
STAFF_FIELDS = ["replication", "pool", "size", "on_duty_mean", "utilization", "overtime_h"]
EVENT_FIELDS = ["time_h", "replication", "kind", "target", "value", "text"]
TABLES = {"channels": ("channel", CHANNEL_FIELDS), "stations": ("station", STATION_FIELDS),
          "staff": ("pool", STAFF_FIELDS)}


class Checker:
    """Collects problems instead of stopping at the first."""

    def __init__(self, lenient):
        self.lenient = lenient
        self.problems, self.warnings, self.passed = [], [], 0

    def check(self, ok, what):
        if ok:
            self.passed += 1
        else:
            self.problems.append(what)
        return ok

    def optional(self, ok, what):
        """A check on an optional part: a warning when lenient."""
        if ok or not self.lenient:
            return self.check(ok, what)
        self.warnings.append(what)
        return False


def text(v):
    return v.decode("utf-8") if isinstance(v, bytes) else str(v)


def frame(ds):
    """A compound dataset as a DataFrame: strings decoded, enums as their labels."""
    df = pd.DataFrame(ds[()])
    for name in ds.dtype.names:
        labels = h5py.check_enum_dtype(ds.dtype[name])
        if labels is not None:
            codes = {v: k for k, v in labels.items()}
            df[name] = df[name].map(lambda c: codes.get(int(c), "?"))
        elif df[name].dtype == object:
            df[name] = df[name].map(text)
    return df


def check_root(c, f):
    a = f.attrs
    for name in ["schema", "seed", "replications", "scenario", "scenario_file",
                 "program_version", "start", "warmup_days", "days", "complete"]:
        c.check(name in a, f"root attribute `{name}` is missing")
    if "schema" in a:
        c.check(text(a["schema"]) == SCHEMA, f"schema is {text(a['schema'])!r}, expected {SCHEMA!r}")
    for name in ["seed", "replications", "complete"]:
        if name in a:
            c.check(np.issubdtype(np.asarray(a[name]).dtype, np.integer), f"`{name}` is not an integer")
    if "replications" in a:
        c.check(int(a["replications"]) >= 1, "`replications` < 1")
    if "complete" in a:
        c.check(int(a["complete"]) == 1, "`complete` is not 1: the run did not finish")
    for name in ["warmup_days", "days"]:
        if name in a:
            c.check(np.issubdtype(np.asarray(a[name]).dtype, np.number) and float(a[name]) >= 0,
                    f"`{name}` is not a non-negative number")
    for name in ["scenario", "scenario_file", "program_version"]:
        if name in a:
            c.check(isinstance(a[name], (str, bytes)), f"`{name}` is not a string")
    if "start" in a:
        try:
            datetime.datetime.fromisoformat(text(a["start"]))
            c.check(True, "")
        except ValueError:
            c.check(False, f"`start` {text(a['start'])!r} is not an ISO date-time")


def check_attributes(c, f):
    """units and long_name on every dataset; field_* arrays on every compound one."""
    def visit(name, obj):
        if not isinstance(obj, h5py.Dataset):
            return
        for attr in ["units", "long_name"]:
            c.check(attr in obj.attrs and isinstance(obj.attrs[attr], (str, bytes)),
                    f"/{name}: no string attribute `{attr}`")
        if obj.dtype.names:
            for attr in ["field_units", "field_long_names"]:
                ok = attr in obj.attrs and len(obj.attrs[attr]) == len(obj.dtype.names)
                c.check(ok, f"/{name}: `{attr}` missing or not one per field")
    f.visititems(visit)


def check_kpi(c, f, name, nrep):
    key, fields = TABLES[name]
    path = f"/kpi/{name}"
    need = c.check if name != "staff" else c.optional
    if not need(path in f, f"{path} is missing"):
        return None
    ds = f[path]
    if not c.check(ds.dtype.names is not None, f"{path} is not a compound table"):
        return None
    for field in fields:
        c.check(field in ds.dtype.names, f"{path}: field `{field}` is missing")
    df = frame(ds)
    if "replication" in df:  # numbers need not start at 0 (a run may continue another's)
        c.check(bool((df["replication"] >= 0).all()), f"{path}: negative replication numbers")
        c.check(df["replication"].nunique() in (0, nrep), f"{path}: {df['replication'].nunique()} "
                f"distinct replications, the root attribute says {nrep}")
    if key in df and "replication" in df:
        c.check(not df.duplicated([key, "replication"]).any(), f"{path}: a {key} appears twice in one replication")
        counts = df.groupby(key)["replication"].nunique()
        c.check((counts == nrep).all(), f"{path}: not every {key} has all {nrep} replications")
    return df


def check_channels(c, df):
    if df is None:
        return
    if "kind" in df:
        bad = set(df["kind"]) - KINDS
        c.check(not bad, f"/kpi/channels: unknown kinds {sorted(bad)}")
    cols = ["in_system_start", "arrived", "released", "seized", "in_system_end"]
    if all(x in df for x in cols):
        lhs = df["in_system_start"] + df["arrived"]
        rhs = df["released"] + df["seized"] + df["in_system_end"]
        bad = df.loc[lhs != rhs, ["channel", "replication"]] if "channel" in df else df[lhs != rhs]
        c.check(bad.empty, "/kpi/channels: in_system_start + arrived != released + seized + in_system_end "
                f"for {len(bad)} rows, first {bad.head(3).to_dict('records')}")


def check_summary(c, f, name, raw):
    key = TABLES[name][0]
    path = f"/kpi/summary/{name}"
    if raw is None:
        return
    if not c.check(path in f, f"{path} is missing"):
        return
    s = frame(f[path])
    if not c.check(key in s and "n" in s, f"{path}: fields `{key}` and `n` are needed"):
        return
    numeric = [x for x in raw.columns if x not in (key, "replication") and
               np.issubdtype(raw[x].dtype, np.number)]
    for x in numeric:
        c.check(f"{x}_mean" in s and f"{x}_hw" in s, f"{path}: `{x}_mean`/`{x}_hw` missing")
    means = raw.groupby(key)[numeric].mean()
    for _, row in s.iterrows():
        k = row[key]
        if not c.check(k in means.index, f"{path}: key {k!r} is not in /kpi/{name}"):
            continue
        for x in numeric:
            got, want = row.get(f"{x}_mean", np.nan), means.loc[k, x]
            same = (math.isnan(got) and math.isnan(want)) or math.isclose(got, want, rel_tol=1e-9, abs_tol=1e-12)
            c.check(same, f"{path}: {k}/{x}_mean is {got}, the replications give {want}")
            hw = row.get(f"{x}_hw", np.nan)
            c.check(math.isnan(hw) or hw >= 0, f"{path}: {k}/{x}_hw is negative")


def is_scale(ds, name):
    return text(ds.attrs.get("CLASS", b"")) == "DIMENSION_SCALE" and text(ds.attrs.get("NAME", b"")) == name


def data_items(g):
    """The datasets of a group that are data, not the coordinates (dimension scales) it holds."""
    return [(n, ds) for n, ds in g.items() if isinstance(ds, h5py.Dataset) and not h5py.h5ds.is_scale(ds.id)]


def check_local_coords(c, path, g, want):
    """A group of arrays holds copies of its coordinates (so xarray opens it alone)."""
    for name, ref in want.items():
        ok = name in g and h5py.h5ds.is_scale(g[name].id) and g[name].shape == ref.shape
        c.check(ok and bool(np.array_equal(g[name][()], ref[()])), f"{path}: no coordinate `{name}` equal to {ref.name}")


def check_time_units(c, f, t):
    units = text(t.attrs.get("units", b""))
    start = text(f.attrs.get("start", b"")).replace("T", " ")[:16]
    c.check(units == f"hours since {start}", f"/series/time: units {units!r}, expected 'hours since {start}' (CF time)")
    c.check(text(t.attrs.get("calendar", b"")) == "proleptic_gregorian", "/series/time: no CF calendar attribute")


def check_series(c, f, nrep, names):
    if not c.check("/series/time" in f, "/series/time is missing"):
        return
    t = f["/series/time"]
    c.check(t.ndim == 1 and is_scale(t, "time"), "/series/time is not a 1-D dimension scale named time")
    c.check(t.ndim == 1 and bool(np.all(np.diff(t[()]) > 0)), "/series/time is not increasing")
    check_time_units(c, f, t)
    rep = f.get("/series/replication")
    c.check(rep is not None and is_scale(rep, "replication") and rep.shape == (nrep,),
            f"/series/replication is not a scale of {nrep} entries")
    wanted = {"queue": names.get("stations"), "busy": names.get("stations"),
              "in_system": names.get("channels"), "on_duty": names.get("staff")}
    for group, keys in wanted.items():
        need = c.check if group in ("queue", "in_system") else c.optional
        if keys is None or (len(keys) == 0 and group not in f["/series"]):
            continue
        if not need(f"/series/{group}" in f, f"/series/{group} is missing"):
            continue
        g = f[f"/series/{group}"]
        missing = set(keys) - {n for n, _ in data_items(g)}
        c.check(not missing, f"/series/{group}: no series for {sorted(missing)}")
        check_local_coords(c, f"/series/{group}", g, {"time": t, "replication": rep})
        for name, ds in data_items(g):
            check_one_series(c, f"/series/{group}/{name}", ds, (nrep, t.shape[0]), "time")


def check_one_series(c, path, ds, shape, axis):
    if not c.check(ds.shape == shape, f"{path}: shape {ds.shape}, expected {shape}"):
        return
    dims = ds.dims
    c.check(len(dims[0]) > 0 and is_scale(dims[0][0], "replication"), f"{path}: dimension 0 has no replication scale")
    c.check(len(dims[1]) > 0 and is_scale(dims[1][0], axis), f"{path}: dimension 1 has no {axis} scale")


def check_dist(c, f, nrep, channels):
    if not c.optional("/dist/release_edges_min" in f and "/dist/release" in f,
                      "/dist/release_edges_min or /dist/release is missing"):
        return
    edges = f["/dist/release_edges_min"][()]
    c.check(edges.ndim == 1 and len(edges) >= 2 and bool(np.all(np.diff(edges) > 0)),
            "/dist/release_edges_min is not increasing 1-D edges")
    g = f["/dist/release"]
    missing = set(channels or []) - {n for n, _ in data_items(g)}
    c.check(not missing, f"/dist/release: no histogram for {sorted(missing)}")
    if "/dist/release_bin_min" in f and "/dist/replication" in f:
        check_local_coords(c, "/dist/release", g, {"release_bin_min": f["/dist/release_bin_min"],
                                                   "replication": f["/dist/replication"]})
    for name, ds in data_items(g):
        path = f"/dist/release/{name}"
        c.check(ds.shape == (nrep, len(edges) - 1), f"{path}: shape {ds.shape}, expected {(nrep, len(edges) - 1)}")
        c.check(bool(np.all(ds[()] >= 0)), f"{path}: negative counts")
        if len(ds.dims[1]):
            c.check(ds.dims[1][0].shape == (len(edges) - 1,), f"{path}: bin scale has the wrong length")


def check_logs(c, f, nrep, channels):
    if c.optional("/events" in f, "/events is missing"):
        ds = f["/events"]
        for field in EVENT_FIELDS:
            c.check(ds.dtype.names is not None and field in ds.dtype.names, f"/events: field `{field}` is missing")
        if ds.dtype.names and "kind" in ds.dtype.names:
            c.check(h5py.check_enum_dtype(ds.dtype["kind"]) is not None, "/events: `kind` is not an enum")
        c.check(ds.chunks is not None and ds.maxshape == (None,), "/events is not chunked and extendible")
        if ds.shape[0] and ds.dtype.names and "replication" in ds.dtype.names:
            reps = ds.fields("replication")[()]
            c.check(bool(np.all(reps >= 0)), "/events: negative replication numbers")
    if "/items" in f:
        for name, ds in f["/items"].items():
            c.check(channels is None or name in channels, f"/items/{name}: not a channel")
            c.check(ds.dtype.names is not None and "replication" in ds.dtype.names,
                    f"/items/{name}: no `replication` field")


def check_xarray(c, path):
    """Every group opens in xarray; its arrays have coordinates, time is dates (where xarray
    and h5netcdf exist)."""
    try:
        import xarray as xr  # noqa: F401
        import h5netcdf  # noqa: F401
    except ImportError:
        return
    groups = [None]
    with h5py.File(path, "r") as f:
        f.visititems(lambda name, o: groups.append(name) if isinstance(o, h5py.Group) else None)
    for g in groups:  # every group opens; a group of arrays has its coordinates and dates
        try:
            with xr.open_dataset(path, engine="h5netcdf", group=g) as ds:
                arrays = [v for v in ds.data_vars.values() if v.ndim == 2]
                for v in arrays:
                    c.check(all(d in ds.coords for d in v.dims), f"xarray: /{g}/{v.name}: dimensions "
                            f"{v.dims} without coordinates")
                if "time" in ds.coords:
                    c.check(np.issubdtype(ds["time"].dtype, np.datetime64), f"xarray: /{g}: time is not dates")
        except Exception as e:  # any failure of xarray to read the file is a finding
            c.check(False, f"xarray cannot open group {g or '/'}: {type(e).__name__}: {e}")


def main(argv):
    args = [a for a in argv[1:] if a != "--lenient"]
    if len(args) != 1:
        print(__doc__.strip().splitlines()[2], file=sys.stderr)
        return 2
    path = args[0]
    c = Checker("--lenient" in argv)
    try:
        f = h5py.File(path, "r")
    except (OSError, ValueError) as e:
        print(f"test_layout: {path}: cannot open: {e}", file=sys.stderr)
        return 1
    with f:
        check_root(c, f)
        nrep = int(f.attrs.get("replications", 1))
        check_attributes(c, f)
        raw = {name: check_kpi(c, f, name, nrep) for name in TABLES}
        check_channels(c, raw["channels"])
        for name in TABLES:
            check_summary(c, f, name, raw[name])
        names = {n: (sorted(set(raw[n][TABLES[n][0]])) if raw[n] is not None and TABLES[n][0] in raw[n] else None)
                 for n in TABLES}
        check_series(c, f, nrep, names)
        check_dist(c, f, nrep, names["channels"])
        check_logs(c, f, nrep, names["channels"])
    check_xarray(c, path)
    for w in c.warnings:
        print(f"test_layout: warning: {path}: {w}")
    for p in c.problems:
        print(f"test_layout: FAIL: {path}: {p}")
    print(f"test_layout: {path}: {'FAILED' if c.problems else 'ok'}")
    print(f"test_layout: {c.passed} passed, {len(c.problems)} failed")
    return 1 if c.problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
