#!/usr/bin/env bash
# Bit-identity check for refactors: runs every shipped scenario with a fixed seed and
# compares the result files with those of a reference build.
#   tests/same_results.sh save DIR       write the reference files into DIR
#   tests/same_results.sh compare DIR    run again and compare with DIR (exit 1 on any difference)
# Environment: BUILD (default build), DAYS (measured days, default 1), REPS (default 2),
# JOBS (default 2), ONLY (a grep pattern on scenario paths), ADDED_OK=1 (a file whose only
# changes are additions, new datasets or new columns appended to a table with every old
# column identical, counts as the same: "same+", listing what was added).
# A file whose bytes differ but whose datasets and attributes are all equal (the scales'
# reference lists aside) is "same" too. A file that differs is reported with the datasets
# and attributes that differ.
set -u
cd "$(dirname "$0")/.."
mode=${1:-}; dir=${2:-}
[ -n "$mode" ] && [ -n "$dir" ] || { echo "usage: $0 save|compare DIR" >&2; exit 2; }
BUILD=${BUILD:-build}; DAYS=${DAYS:-1}; REPS=${REPS:-2}; JOBS=${JOBS:-2}
sim=$BUILD/customs-sim
[ -x "$sim" ] || { echo "$sim not built (run make)" >&2; exit 2; }
mkdir -p "$dir"
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
fail=0 n=0
while IFS= read -r f; do
  name=$(echo "${f#scenarios/}" | tr '/' '_'); name=${name%.cfg}.h5
  out=$dir/$name
  [ "$mode" = compare ] && out=$tmp/$name
  if ! "$sim" -q -s 3 -r "$REPS" -j "$JOBS" --days "$DAYS" -o "$out" "$f" >"$tmp/log" 2>&1; then
    echo "FAIL  $f: run failed: $(tail -1 "$tmp/log")"; fail=$((fail + 1)); continue
  fi
  n=$((n + 1))
  [ "$mode" = save ] && { echo "saved $f"; continue; }
  if [ ! -f "$dir/$name" ]; then
    echo "FAIL  $f: no reference file $dir/$name"; fail=$((fail + 1))
  elif cmp -s "$out" "$dir/$name"; then
    echo "same  $f"
  else
    report=$(ADDED_OK=${ADDED_OK:-0} /usr/bin/python3 - "$dir/$name" "$out" <<'PY'
import os, sys, h5py, numpy as np
added_ok = os.environ.get('ADDED_OK') == '1'
a, b = h5py.File(sys.argv[1], 'r'), h5py.File(sys.argv[2], 'r')
def walk(g, pre=''):
    out = {}
    for k, v in g.attrs.items(): out[pre + '@' + k] = v
    for k in g:
        o = g[k]; p = pre + '/' + k
        if isinstance(o, h5py.Group): out.update(walk(o, p))
        else:
            out[p] = o[()]
            for ak, av in o.attrs.items():
                if ak not in ('DIMENSION_LIST', 'REFERENCE_LIST'): out[p + '@' + ak] = av
    return out
x, y = walk(a), walk(b)
def same(a, b):
    if a.dtype.names or b.dtype.names:  # compound tables: field by field, NaN equal to NaN
        return a.dtype.names == b.dtype.names and a.shape == b.shape and \
            all(same(a[n], b[n]) for n in a.dtype.names)
    try:
        return np.array_equal(a, b, equal_nan=True)
    except TypeError:
        return np.array_equal(a, b)
def grown(old, new):  # new = old with columns appended (their units and names too)
    if old.dtype.names and new.dtype.names:
        n = len(old.dtype.names)
        return new.dtype.names[:n] == old.dtype.names and old.shape == new.shape and \
            all(same(old[c], new[c]) for c in old.dtype.names)
    return old.ndim == 1 and new.ndim == 1 and len(new) > len(old) and same(old, new[:len(old)])
bad = []
added = 0
for k in sorted(set(x) | set(y)):
    if k not in y: bad.append('only in the reference: ' + k); continue
    if k not in x: print('added:', k); added += 1; continue
    u, v = np.asarray(x[k]), np.asarray(y[k])
    if same(u, v): continue
    if grown(u, v): print('grown:', k); added += 1
    else: bad.append('differs: ' + k)
for line in bad: print(line)
sys.exit(1 if bad or (added and not added_ok) else 0)
PY
)
    if [ $? -eq 0 ]; then
      nadd=$(echo "$report" | grep -c .)
      if [ "$nadd" -eq 0 ]; then echo "same  $f (equal values, other bytes)"
      else echo "same+ $f ($nadd additions)"; fi
    else
      fail=$((fail + 1)); echo "DIFF  $f"
      pat='^$'; [ "${ADDED_OK:-0}" = 1 ] && pat='^added\|^grown'
      echo "$report" | grep -v "$pat" | head -20 | sed 's/^/      /'
    fi
  fi
done < <(find scenarios -name '*.cfg' -not -path 'scenarios/parts/*' | sort | grep -E "${ONLY:-.}")
echo "$n scenarios run, $fail differ or failed"
[ $fail -eq 0 ]
