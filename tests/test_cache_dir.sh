#!/usr/bin/env bash
# test_cache_dir: where the kernel and model cache lives (README.md: The cache), from
# another folder: ~/.cache/customs-sim by default, $XDG_CACHE_HOME/customs-sim, then
# $CUSTOMS_CACHE_DIR, then --cache-dir (each wins over the ones before); nothing is
# written under ./results; a run with an empty cache and one with a filled cache give
# the same file; damaged, truncated, swapped or empty entries are rebuilt, not trusted;
# an unwritable cache folder only means no cache.
set -u
cd "$(dirname "$0")/.."
SIM=$PWD/${BUILD:-build}/customs-sim
SWEEP=$PWD/${BUILD:-build}/customs-sweep
tmp=$(mktemp -d); trap 'chmod -R u+w "$tmp"; rm -rf "$tmp"' EXIT
pass=0 fail=0
ok() { pass=$((pass+1)); echo "ok    $*"; }
bad() { fail=$((fail+1)); echo "FAIL  $*"; }

# A small port with a risk station (a trained model and a population, both cached) and
# an NQR station (a calibration table).
cat >"$tmp/k.cfg" <<'EOF'
name = "k";
run = { days = 0.05; warmup_days = 0.0; };
kernels = { mode = "surrogate"; };
channels = {
  express = { kind = "express"; arrivals = { process = "poisson"; rate_per_hour = 600.0; };
              route = [ "risk", "nqr", "out" ]; };
};
stations = {
  risk = { type = "risk"; kernel_params = { history_n = 2000; };
           selection = { policy = "top"; rate = 0.05; audit_share = 0.01; }; };
  nqr = { type = "nqr"; servers = 2; applies_to = "selected";
          service = { dist = "deterministic"; value_s = 10.0; }; };
  out = { type = "release"; unlimited = true; service = { dist = "deterministic"; value_min = 0.0; }; };
};
EOF
mkdir -p "$tmp/work" "$tmp/home"
# run NAME [env...] -- [options...]: customs-sim from $tmp/work with a clean environment
run() {
  local name=$1; shift
  local envs=()
  while [ "$1" != -- ]; do envs+=("$1"); shift; done; shift
  (cd "$tmp/work" && env -u CUSTOMS_CACHE_DIR -u XDG_CACHE_HOME HOME="$tmp/home" "${envs[@]}" \
     "$SIM" -q -o "$tmp/$name.h5" "$@" ../k.cfg) >"$tmp/$name.log" 2>&1
}
entries() { ls "$1" 2>/dev/null | grep -cE '\.(kc|sur)$'; }

run home -- && [ "$(entries "$tmp/home/.cache/customs-sim")" -ge 3 ] \
  && ok "default: ~/.cache/customs-sim ($(entries "$tmp/home/.cache/customs-sim") entries)" \
  || bad "default location: $(ls -R "$tmp/home" | head -5)"
[ ! -e "$tmp/work/results" ] && ok "nothing under ./results" || bad "./results was created"
run warm -- && cmp -s "$tmp/home.h5" "$tmp/warm.h5" && ok "empty and filled cache give the same file" \
  || bad "a run from the cache differs"

run xdg XDG_CACHE_HOME="$tmp/xdg" -- && [ "$(entries "$tmp/xdg/customs-sim")" -ge 3 ] \
  && ok "\$XDG_CACHE_HOME/customs-sim" || bad "XDG_CACHE_HOME not used"
run env XDG_CACHE_HOME="$tmp/xdg2" CUSTOMS_CACHE_DIR="$tmp/env" -- \
  && [ "$(entries "$tmp/env")" -ge 3 ] && [ ! -e "$tmp/xdg2" ] \
  && ok "CUSTOMS_CACHE_DIR wins over XDG_CACHE_HOME" || bad "CUSTOMS_CACHE_DIR"
run opt CUSTOMS_CACHE_DIR="$tmp/env2" -- --cache-dir "$tmp/opt" \
  && [ "$(entries "$tmp/opt")" -ge 3 ] && [ ! -e "$tmp/env2" ] \
  && ok "--cache-dir wins over CUSTOMS_CACHE_DIR" || bad "--cache-dir"
(cd "$tmp/work" && env -u CUSTOMS_CACHE_DIR HOME="$tmp/home" "$SWEEP" -q -o "$tmp/sw.h5" \
   --cache-dir "$tmp/sweep" --vary stations.nqr.servers=2,3 ../k.cfg) >"$tmp/sw.log" 2>&1 \
  && [ "$(entries "$tmp/sweep")" -ge 3 ] && ok "customs-sweep --cache-dir" \
  || bad "customs-sweep --cache-dir: $(tail -1 "$tmp/sw.log")"

# Damage every entry in four ways; each run must rebuild and give the reference file.
dir=$tmp/opt
damage() { # how file
  case $1 in
    flip) printf '\x5a' | dd of="$2" bs=1 seek=40 conv=notrunc status=none ;;
    truncate) truncate -s -9 "$2" ;;
    empty) : >"$2" ;;
    garbage) head -c 3000 /dev/urandom >"$2" ;;
  esac
}
same_as_clean() { # every entry of $dir equals the one a clean run made in $tmp/env
  local f
  for f in "$dir"/*; do cmp -s "$f" "$tmp/env/$(basename "$f")" || return 1; done
}
for how in flip truncate empty garbage; do
  for f in "$dir"/*.kc "$dir"/*.sur; do damage "$how" "$f"; done
  if run "d_$how" -- --cache-dir "$dir" && cmp -s "$tmp/home.h5" "$tmp/d_$how.h5" && same_as_clean; then
    ok "$how entries are rebuilt, the results unchanged"
  else
    bad "$how entries: $(tail -1 "$tmp/d_$how.log")"
  fi
done
# One entry's bytes under another entry's name: a foreign key, rebuilt.
set -- "$dir"/risk-*.kc "$dir"/declgen-*.kc
cp "$1" "$tmp/r" && cp "$2" "$1" && cp "$tmp/r" "$2"
run swapped -- --cache-dir "$dir" && cmp -s "$tmp/home.h5" "$tmp/swapped.h5" && same_as_clean \
  && ok "swapped entries are rebuilt" || bad "swapped entries"

# A cache folder that cannot be written: the run goes on without a cache.
mkdir -p "$tmp/ro" && chmod a-w "$tmp/ro"
run ro -- --cache-dir "$tmp/ro/sub" && cmp -s "$tmp/home.h5" "$tmp/ro.h5" \
  && ok "an unwritable cache folder: no cache, same results" || bad "unwritable cache: $(tail -1 "$tmp/ro.log")"
run noarg -- --cache-dir "" ; [ $? -eq 2 ] && ok "--cache-dir '' is refused" || bad "--cache-dir ''"

echo "$pass passed, $fail failed"
[ $fail -eq 0 ]
