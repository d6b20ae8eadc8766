#!/usr/bin/env bash
# test_includes: the include rules of models/README.md ("Arrows"), read from the sources:
#  - the headers of models/port/ (the parts of the port runtime) include each other
#    without a circle;
#  - no file outside models/port/ includes one of them (other rooms use models/port.h);
#  - no file includes another room's *_internal.h (a room is a folder; tests/ may).
# Prints every broken rule; exit 1 if there is one.
set -u
cd "$(dirname "$0")/.."
/usr/bin/python3 - <<'PY'
import os, re, sys

INC = re.compile(r'^\s*#\s*include\s+"([^"]+)"')
files = []
for top in ("sim", "models", "viz", "tests"):
    for d, _, names in os.walk(top):
        files += [os.path.join(d, n) for n in names if n.endswith((".c", ".h"))]

def includes(path):
    with open(path, encoding="utf-8", errors="replace") as f:
        return [m.group(1) for m in map(INC.match, f) if m]

edges = {f: includes(f) for f in files}
bad = []
for f, incs in sorted(edges.items()):
    room = os.path.dirname(f)
    for h in incs:
        hroom = os.path.dirname(h)
        if hroom == "models/port" and room != "models/port":
            bad.append(f"{f}: includes {h}, a private header of the port runtime")
        if h.endswith("_internal.h") and hroom != room and not f.startswith("tests/"):
            bad.append(f"{f}: includes {h}, another room's internal header")

# a circle among the port runtime's headers (depth-first search, colours)
graph = {f: [h for h in incs if h.startswith("models/port/") and h.endswith(".h")]
         for f, incs in edges.items() if f.startswith("models/port/") and f.endswith(".h")}
state = {}
def visit(h, path):
    state[h] = 1
    for n in graph.get(h, []):
        if state.get(n) == 1:
            bad.append("include circle: " + " -> ".join(path[path.index(n):] + [n]))
        elif n not in state:
            visit(n, path + [n])
    state[h] = 2
for h in sorted(graph):
    if h not in state:
        visit(h, [h])
if not graph:
    bad.append("models/port/ has no headers (the port runtime moved?)")

for b in bad:
    print("FAIL", b)
print(f"{len(files)} files, {len(graph)} port headers: "
      + ("ok" if not bad else f"{len(bad)} broken rules"))
sys.exit(1 if bad else 0)
PY
