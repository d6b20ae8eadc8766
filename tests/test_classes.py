#!/usr/bin/python3
"""test_classes: /kpi/classes and the channels' stages against the item log of the same
run (standalone: tests/run.sh runs it).

For every class of the built-in flags (selected, inspected, aeo, alarmed and their
opposites) and every replication, the released and seized counts must equal those of the
logged items with that flag, exactly, and the release-time mean, the wait mean and the
share released within the channel's wait target must equal what the logged items give
(to rounding), and likewise for classes a scenario defines (by origin, station visited,
flag); so must each channel's three Time Release Study stages (mean, and the
quantiles where a stage is all zero or is the release time itself), and each channel's
release-time distribution (/dist/release, the items binned by its edges). Three runs: a plane with every k-th passenger searched (the "selected"
classes part from the channel early), an M/M/4 where no item is ever selected, inspected
or AEO (the "not_" classes hold every item of the channel), and a few hours of the default
airport (generated declarations, risk selection, AEO traders, alarms).
Run with Debian's /usr/bin/python3 (h5py, numpy).
"""
import os
import subprocess
import sys
import tempfile

import h5py
import numpy as np

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..")
SIM = os.path.join(ROOT, os.environ.get("BUILD", "build"), "customs-sim")
WAIT_TARGET = 2.0
FLAGS = ["selected", "inspected", "aeo", "alarmed"]
failures = []


def check(ok, what):
    print(("ok    " if ok else "FAIL  ") + what)
    if not ok:
        failures.append(what)


def close(a, b):
    if np.isnan(a) and np.isnan(b):
        return True
    return abs(a - b) <= 1e-9 * max(1.0, abs(a), abs(b))


def run(cfg, out, channels, *args):
    sets = []
    for ch in channels:
        sets += ["--set", "channels.%s.wait_target_min=%g" % (ch, WAIT_TARGET)]
    cmd = [SIM, "-q", "-o", out, "--set", "output.items=true"] + sets + list(args) + [cfg]
    subprocess.run(cmd, check=True)
    return h5py.File(out, "r")


def expected(sel):
    rel = sel[sel["outcome"] == 0]
    seized = int(np.sum(sel["outcome"] == 1))
    rt = (rel["exit_h"] - rel["arrival_h"]) * 60.0
    w = rel["waited_min"]
    mean = lambda v: float(np.mean(v)) if len(v) else float("nan")
    within = float(np.mean(w <= WAIT_TARGET)) if len(w) else float("nan")
    return len(rel), seized, mean(rt), mean(w), within


# the built-in classes: (name, which items)
BUILTIN = [(c, (lambda f, v: lambda it: it[f] == v)(flag, value))
           for flag in FLAGS
           for value, c in ((1, flag), (0, ("non_" if flag == "aeo" else "not_") + flag))]


def compare(name, f, channels, classes=BUILTIN):
    cls = f["/kpi/classes"][:]
    rows = 0
    for ch in channels:
        items = f["/items/" + ch][:]
        for rep in sorted(set(cls["replication"])):
            mine = items[items["replication"] == rep]
            for cname, which in classes:
                row = cls[(cls["replication"] == rep) & (cls["id"] == ("%s.%s" % (ch, cname)).encode())]
                if not len(row):
                    continue
                row = row[0]
                rows += 1
                n, s, rt, w, within = expected(mine[which(mine)])
                got = (int(row["released"]), int(row["seized"]), float(row["release_mean_min"]),
                       float(row["wait_mean_min"]), float(row["wait_within_target_share"]))
                if not (got[0] == n and got[1] == s and close(got[2], rt) and close(got[3], w)
                        and close(got[4], within)):
                    check(False, "%s: %s.%s rep %d: %s, the items give %s" % (
                        name, ch, cname, rep, got, (n, s, rt, w, within)))
                    return
    check(rows > 0, "%s: %d class rows equal to their items' figures" % (name, rows))


# classes a scenario defines, on the one-plane case (every passenger comes from PVG, only
# the selected visit the search): some hold every item, some part from the channel early
USER = """
classes = { from_pvg = { origin = "PVG"; }; from_icn = { origin = "ICN"; };
            checked = { visited = "check"; }; searched = { visited = "search"; };
            calm = { when = "not_alarmed"; }; picked = { when = "selected"; visited = "search"; }; };
"""
USER_CLASSES = [("from_pvg", lambda it: it["selected"] >= 0), ("from_icn", lambda it: it["selected"] < 0),
                ("checked", lambda it: it["selected"] >= 0), ("searched", lambda it: it["selected"] == 1),
                ("calm", lambda it: it["alarmed"] == 0), ("picked", lambda it: it["selected"] == 1)]


STAGES = ["stage_arrival_decl", "stage_decl_permit", "stage_permit_exit"]


def compare_stages(name, f, channels):
    """The channel's three Time Release Study stages against its logged items."""
    chs = f["/kpi/channels"][:]
    rows = 0
    for ch in channels:
        items = f["/items/" + ch][:]
        for row in chs[chs["channel"] == ch.encode()]:
            rel = items[(items["replication"] == row["replication"]) & (items["outcome"] == 0)]
            cuts = [rel["arrival_h"], rel["decl_h"], rel["permit_h"], rel["exit_h"]]
            for s, stage in enumerate(STAGES):
                d = (cuts[s + 1] - cuts[s]) * 60.0
                want = float(np.mean(d)) if len(d) else float("nan")
                got = float(row[stage + "_mean_min"])
                if not close(got, want) and not abs(got - want) < 1e-9:
                    check(False, "%s: %s %s mean %r, the items give %r" % (name, ch, stage, got, want))
                    return
                if len(d) and np.all(d == 0) and not (row[stage + "_p50_min"] == 0 and
                                                        row[stage + "_p99_min"] == 0):
                    check(False, "%s: %s %s: all zero, quantiles not" % (name, ch, stage))
                    return
                if len(d) and np.all(d == (rel["exit_h"] - rel["arrival_h"]) * 60.0) and not all(
                        row[stage + q] == row["release" + q] for q in ("_p50_min", "_p95_min", "_p99_min")):
                    check(False, "%s: %s %s is the release time, its quantiles are not" % (name, ch, stage))
                    return
                rows += 1
    check(rows > 0, "%s: %d channel stage figures equal to their items' figures" % (name, rows))


def compare_release_bins(name, f, channels):
    """Each channel's release-time distribution (/dist/release) against its logged items
    binned by /dist/release_edges_min: bin b holds edges[b] <= t < edges[b + 1], bin 0
    what is under edges[1], the last bin everything beyond its lower edge."""
    edges = f["/dist/release_edges_min"][:]
    reps = f["/dist/release/replication"][:]
    nb = len(edges) - 1
    rows = 0
    for ch in channels:
        items = f["/items/" + ch][:]
        got_all = f["/dist/release/" + ch][:]
        for r, rep in enumerate(reps):
            rel = items[(items["replication"] == rep) & (items["outcome"] == 0)]
            t = (rel["exit_h"] - rel["arrival_h"]) * 60.0
            want = np.bincount(np.searchsorted(edges[1:nb], t, side="right"), minlength=nb)
            # a time within rounding of an edge may fall either side of it
            near = int(np.sum(np.min(np.abs(t[:, None] - edges[None, 1:nb]), axis=1)
                              <= 1e-9 * np.maximum(1.0, t))) if len(t) else 0
            off = int(np.sum(np.abs(got_all[r] - want)))
            if off > 2 * near or int(np.sum(got_all[r])) != len(t):
                check(False, "%s: %s rep %d: release bins %s, the items give %s" % (
                    name, ch, rep, got_all[r].astype(int).tolist(), want.tolist()))
                return
            rows += 1
    check(rows > 0, "%s: %d release-time distributions equal to their items' binned" % (name, rows))


def main():
    with tempfile.TemporaryDirectory() as tmp:
        f = run(os.path.join(ROOT, "scenarios/validation/flight.cfg"), os.path.join(tmp, "f.h5"),
                ["pax"], "-r", "3")
        compare("flight", f, ["pax"])
        compare_stages("flight", f, ["pax"])
        cfg = os.path.join(tmp, "classes.cfg")
        with open(os.path.join(ROOT, "scenarios/validation/flight.cfg")) as src, open(cfg, "w") as dst:
            dst.write(src.read() + USER)
        f = run(cfg, os.path.join(tmp, "u.h5"), ["pax"], "-r", "3")
        compare("flight, classes of the scenario", f, ["pax"], USER_CLASSES)
        f = run(os.path.join(ROOT, "scenarios/validation/mmc.cfg"), os.path.join(tmp, "m.h5"),
                ["c0"], "--days", "0.5", "--set", "run.warmup_days=0.1")
        compare("mmc", f, ["c0"])
        compare_stages("mmc", f, ["c0"])
        compare_release_bins("mmc", f, ["c0"])
        cls = f["/kpi/classes"][:]
        allrel = f["/kpi/channels"][:]["released"][0]
        check(cls[cls["id"] == b"c0.not_selected"][0]["released"] == allrel and allrel > 0,
              "mmc: not_selected holds all %d released items" % allrel)
        f = run(os.path.join(ROOT, "scenarios/default.cfg"), os.path.join(tmp, "d.h5"),
                ["passengers_in", "express", "air_cargo"], "--days", "0.08", "--set", "run.warmup_days=0.3")
        compare("default", f, ["passengers_in", "express", "air_cargo"])
        compare_stages("default", f, ["passengers_in", "express", "air_cargo"])
        compare_release_bins("default", f, ["passengers_in", "express", "air_cargo"])
    if failures:
        print("%d failed" % len(failures))
        sys.exit(1)


if __name__ == "__main__":
    main()
