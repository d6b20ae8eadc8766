#!/usr/bin/env bash
# Reflows, with clang-format and the project's .clang-format, only the lines of C sources
# and headers wider than 100 columns (counted in characters), leaving every other line as
# it was written. `make format` runs it on every C file in git; tests/test_style.sh checks.
#   tests/format.sh [FILE...]
set -eu
cd "$(dirname "$0")/.."
command -v clang-format >/dev/null || { echo "format: clang-format is not installed" >&2; exit 2; }
[ $# -gt 0 ] || set -- $(git ls-files '*.c' '*.h')
wide() { # one line per file with wide lines: the file, then its --lines options
  python3 -c 'import sys
for path in sys.argv[1:]:
    n = [i for i, l in enumerate(open(path, encoding="utf-8"), 1) if len(l.rstrip("\n")) > 100]
    if n: print(path, *(f"--lines={i}:{i}" for i in n))' "$@"
}
for pass in 1 2 3; do # a reflowed line can leave its neighbour too wide
  todo=$(wide "$@")
  [ -n "$todo" ] || exit 0
  set --
  while read -r f opts; do
    clang-format -i $opts "$f"
    set -- "$@" "$f"
  done <<<"$todo"
done
