#!/usr/bin/env bash
# Every shipped scenario, run briefly, keeps the invariants in its result file (the run
# itself checks them at every sample and stops with exit 1 if one breaks):
# - every item accounted for, per channel and replication:
#   in_system_start + arrived + diverted_in = released + seized + lost + diverted_out + in_system_end
# - the items the stations turned away are those the channels count as lost;
# - staff busy <= on duty in every /series sample, servers busy <= available servers;
# - utilization <= 1 for stations and pools; release-time figures only where items left.
set -u
cd "$(dirname "$0")/.."
BUILD=${BUILD:-build}
sim=$BUILD/customs-sim
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
pass=0 fail=0
check() { if "$@"; then pass=$((pass + 1)); else fail=$((fail + 1)); fi; }

one() { # scenario
  local f=$1 name; name=$(echo "$f" | tr '/' '_')
  local days=2; [ "${CUSTOMS_QUICK:-0}" = 1 ] && days=1
  if ! "$sim" -q -s 5 -r 2 -j 2 --days $days -o "$tmp/$name.h5" "$f" >"$tmp/out" 2>&1; then
    echo "FAIL  $f: run failed: $(tail -1 "$tmp/out")"; return 1
  fi
  if /usr/bin/python3 - "$tmp/$name.h5" <<'PY'; then echo "ok    invariants hold: $f"; else echo "FAIL  $f"; return 1; fi
import sys, h5py, numpy as np
f = h5py.File(sys.argv[1], "r")
c = f["/kpi/channels"][:]
lhs = c["in_system_start"] + c["arrived"] + c["diverted_in"]
rhs = c["released"] + c["seized"] + c["lost"] + c["diverted_out"] + c["in_system_end"]
bad = np.nonzero(lhs != rhs)[0]
assert len(bad) == 0, "items not conserved: %s" % [c["channel"][i].decode() for i in bad]
s = f["/kpi/stations"][:]
for rep in np.unique(c["replication"]):
    cl = c["lost"][c["replication"] == rep].sum()
    sl = s["lost"][s["replication"] == rep].sum()
    assert cl == sl, "replication %d: stations turned away %d items, channels count %d lost" % (rep, sl, cl)
u = s["utilization"][~np.isnan(s["utilization"])]
assert (u <= 1 + 1e-9).all(), "station utilization above 1"
fin = ~np.isnan(s["available_mean"])
assert (s["busy_mean"][fin] <= s["available_mean"][fin] + 1e-9).all(), "busy above available servers"
st = f["/kpi/staff"][:]
assert (st["utilization"][~np.isnan(st["utilization"])] <= 1 + 1e-9).all(), "staff utilization above 1"
assert (st["busy_mean"] <= st["on_duty_mean"] + 1e-9).all(), "staff busy above on duty (means)"
if "/series/staff_busy" in f:
    for p in f["/series/staff_busy"]:
        b, o = f["/series/staff_busy"][p][()], f["/series/on_duty"][p][()]
        assert (b <= o + 1e-9).all(), "pool %s: busy above on duty in a sample" % p
for r in c:  # a release-time figure needs released items
    assert r["released"] > 0 or np.isnan(r["release_mean_min"]), "release mean without releases"
PY
}

while IFS= read -r f; do
  check one "$f"
done < <(find scenarios -name '*.cfg' -not -path 'scenarios/parts/*' | sort)

echo "$pass passed, $fail failed"
[ $fail -eq 0 ]
