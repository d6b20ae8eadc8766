#!/usr/bin/env bash
# Reflows, with clang-format and the project's .clang-format, only the lines of C sources
# and headers wider than 100 columns (counted in characters), leaving every other line as
# it was written. `make format` runs it on every C file in git; tests/test_style.sh checks.
#   tests/format.sh [FILE...]
set -eu
cd "$(dirname "$0")/.."
command -v clang-format >/dev/null || { echo "format: clang-format is not installed" >&2; exit 2; }
[ $# -gt 0 ] || set -- $(git ls-files '*.c' '*.h')
wide() { # the --lines options for the lines of $1 wider than 100 characters
  python3 -c 'import sys
for n, l in enumerate(open(sys.argv[1], encoding="utf-8"), 1):
    if len(l.rstrip("\n")) > 100: print(f"--lines={n}:{n}")' "$1"
}
for f in "$@"; do
  for pass in 1 2 3; do # a reflowed line can leave its neighbour too wide
    opts=$(wide "$f")
    [ -n "$opts" ] || break
    clang-format -i $opts "$f"
  done
done
