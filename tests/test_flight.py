#!/usr/bin/python3
"""test_flight: the one-plane validation case (scenarios/validation/flight.cfg) against an
independent simulation written here (standalone: tests/run.sh runs it).

The reference follows the scenario's rules with its own random numbers: a load uniform on
240..350, exponential deplaning gaps (mean 0.5 min) from 01:00, two agents, a check
uniform on 0.3..0.7 min, every (Poisson(7)+1)-th passenger searched (exponential, mean
3 min) by one of the two agents, a free agent taking a waiting search before the next
check (and the agent who just finished a check is free before the passenger it chose
joins the search line). Per replication: the mean system time of the searched and of
the other passengers, the plane's clearance time (last release minus landing), the
searched share. customs-sim's /kpi/classes and /kpi/batches must agree within 99.9%
intervals (Welch: the difference within 3.29 standard errors). A batch with
deterministic times checks the clearance figures exactly, and the agents' utilization
over the busy span is checked against the busy time it implies.
Run with Debian's /usr/bin/python3 (h5py, numpy).
"""
import heapq
import math
import os
import subprocess
import sys
import tempfile

import h5py
import numpy as np

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..")
SIM = os.path.join(ROOT, os.environ.get("BUILD", "build"), "customs-sim")
QUICK = os.environ.get("CUSTOMS_QUICK", "0") == "1"
REPS = 300 if QUICK else 1500
Z = 3.2905  # two-sided 99.9%
failures = []


def check(ok, what):
    print(("ok    " if ok else "FAIL  ") + what)
    if not ok:
        failures.append(what)


def reference(rng):
    """One plane: (mean system time selected, not selected, clearance, share selected)."""
    n = int(rng.integers(240, 351))
    arr = 60.0 + np.concatenate(([0.0], np.cumsum(rng.exponential(0.5, n - 1))))
    selected = np.zeros(n, bool)
    k = int(rng.poisson(7.0)) + 1
    i = k - 1
    while i < n:
        selected[i] = True
        i += int(rng.poisson(7.0)) + 1
    events, seq = [], 0
    for j in range(n):
        heapq.heappush(events, (arr[j], seq, "arrive", j))
        seq += 1
    free, checks, searches = 2, [], []
    out = np.zeros(n)
    qc = qs = 0  # heads of the two FIFO lines

    def dispatch(t):
        nonlocal free, qc, qs, seq
        while free and (qs < len(searches) or qc < len(checks)):
            free -= 1
            if qs < len(searches):
                j = searches[qs]; qs += 1
                heapq.heappush(events, (t + rng.exponential(3.0), seq, "searched", j))
            else:
                j = checks[qc]; qc += 1
                heapq.heappush(events, (t + rng.uniform(0.3, 0.7), seq, "checked", j))
            seq += 1

    while events:
        t, _, what, j = heapq.heappop(events)
        if what == "arrive":
            checks.append(j)
            dispatch(t)
        elif what == "checked":
            free += 1
            dispatch(t)
            if selected[j]:
                searches.append(j)
                dispatch(t)
            else:
                out[j] = t
        else:
            free += 1
            out[j] = t
            dispatch(t)
    st = out - arr
    return st[selected].mean(), st[~selected].mean(), out.max() - 60.0, selected.mean()


def mean_se(x):
    x = np.asarray(x, float)
    x = x[~np.isnan(x)]
    return x.mean(), x.std(ddof=1) / math.sqrt(len(x)), len(x)


def compare(name, sim, ref):
    (m1, s1, n1), (m2, s2, n2) = mean_se(sim), mean_se(ref)
    d, se = m1 - m2, math.hypot(s1, s2)
    check(abs(d) <= Z * se, "%s: customs-sim %.4g ± %.2g (n=%d), reference %.4g ± %.2g (n=%d): "
          "difference %.3g, 99.9%% bound %.3g" % (name, m1, 1.96 * s1, n1, m2, 1.96 * s2, n2, d, Z * se))


def run(cfg, out, reps, *extra):
    r = subprocess.run([SIM, "-q", "-s", "5", "-r", str(reps), "-j", "2", "-o", out, *extra, cfg],
                       capture_output=True, text=True)
    if r.returncode:
        print("FAIL  customs-sim %s: %s" % (cfg, r.stderr.strip()))
        sys.exit(1)
    return h5py.File(out, "r")


def flight(tmp):
    f = run(os.path.join(ROOT, "scenarios/validation/flight.cfg"), os.path.join(tmp, "flight.h5"), REPS)
    cls, bat = f["/kpi/classes"][:], f["/kpi/batches"][:]
    sel = cls[cls["id"] == b"pax.selected"]
    nsel = cls[cls["id"] == b"pax.not_selected"]
    check(len(sel) == REPS and len(bat) == REPS, "one class row each and one batch row per replication")
    rng = np.random.default_rng(20240513)
    ref = np.array([reference(rng) for _ in range(REPS)])
    compare("searched passengers: mean system time (min)", sel["release_mean_min"], ref[:, 0])
    compare("other passengers: mean system time (min)", nsel["release_mean_min"], ref[:, 1])
    compare("plane: clearance time (min)", bat["clearance_min"], ref[:, 2])
    compare("searched share", sel["share"], ref[:, 3])
    # the rule's long-run share is 1 / (7 + 1); a plane is a short run, so only close
    m, s, _ = mean_se(sel["share"])
    check(abs(m - 0.125) < 0.01, "searched share %.4f near 1/8" % m)
    # the batch row: its size is the load, all released, released between landing and clearance
    check(np.all((bat["size"] >= 240) & (bat["size"] <= 350)) and np.all(bat["released"] == bat["size"]),
          "batch size within 240..350, every passenger released")
    m, s, _ = mean_se(bat["size"])
    sd = math.sqrt((111 ** 2 - 1) / 12)
    check(abs(m - 295) <= Z * sd / math.sqrt(REPS), "mean load %.1f, expected 295 ± %.1f" % (m, Z * sd / math.sqrt(REPS)))
    check(np.all(bat["clearance_min"] >= (bat["last_release_h"] - 1) * 60 - 1e-9) and
          np.all(bat["first_release_h"] > 1), "first release after landing, clearance = last release - landing")
    # the agents over their busy span: busy on that span, not diluted by the empty hours
    st = f["/kpi/stations"][:]
    chk = st[st["station"] == b"check"]
    check(np.all(chk["span_utilization"] > 3 * chk["utilization"]) and np.all(chk["span_utilization"] <= 1),
          "check: utilization over the busy span %.3f, over the run %.3f" %
          (chk["span_utilization"].mean(), chk["utilization"].mean()))
    s = f["/kpi/summary/classes"][:]
    row = s[s["id"] == b"pax.selected"][0]
    print("info  searched: release mean %.3f ± %.3f min; others %.3f ± %.3f; clearance %.2f ± %.2f min" % (
        row["release_mean_min_mean"], row["release_mean_min_hw"],
        s[s["id"] == b"pax.not_selected"][0]["release_mean_min_mean"],
        s[s["id"] == b"pax.not_selected"][0]["release_mean_min_hw"],
        f["/kpi/summary/batches"][0]["clearance_min_mean"], f["/kpi/summary/batches"][0]["clearance_min_hw"]))


CLEAR = """name = "clear"; run = { days = 0.5; }; output = { sample_min = 0.0; };
channels = { c0 = { arrivals = { process = "schedule"; batches = (
  { at_h = 1.0; size = 10; origin = "ICN"; spacing = { dist = "deterministic"; value_min = 0.5; }; },
  { at_h = 3.0; size = 4; spread_min = 0.0; } ); }; route = [ "s0" ]; }; };
stations = { s0 = { servers = 1; service = { dist = "deterministic"; value_min = 1.0; }; }; };
"""


def clearance(tmp):
    cfg = os.path.join(tmp, "clear.cfg")
    with open(cfg, "w") as fh:
        fh.write(CLEAR)
    f = run(cfg, os.path.join(tmp, "clear.h5"), 1)
    b = f["/kpi/batches"][:]
    # 10 passengers every 0.5 min from 60 served 1 min each: out at 61..70; 4 at 180: out at 181..184
    want = [(b"c0.0", b"ICN", 1.0, 10, 61 / 60, 70 / 60, 10.0, 3.25), (b"c0.1", b"", 3.0, 4, 181 / 60, 184 / 60, 4.0, 2.5)]
    got = [(r["id"], r["origin"], r["at_h"], r["size"], r["first_release_h"], r["last_release_h"],
            r["clearance_min"], r["release_mean_min"]) for r in b]
    check(len(got) == 2 and all(g[:2] == w[:2] and all(abs(float(x) - y) < 1e-9 for x, y in zip(g[2:], w[2:]))
                                for g, w in zip(got, want)), "deterministic batches: clearance %s" % got)
    s = f["/kpi/stations"][0]
    check(abs(s["busy_span_h"] - 124 / 60) < 1e-9 and abs(s["span_utilization"] - 14 / 124) < 1e-9,
          "busy span 124 min with 14 min of service: span %.4f h, utilization %.4f" % (s["busy_span_h"], s["span_utilization"]))


def main():
    with tempfile.TemporaryDirectory() as tmp:
        flight(tmp)
        clearance(tmp)
    print("%d failed" % len(failures))
    sys.exit(1 if failures else 0)


if __name__ == "__main__":
    main()
