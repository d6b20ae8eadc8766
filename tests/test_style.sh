#!/usr/bin/env bash
# Lines within 100 columns in every C source and header in git, counted in characters
# (a line of Japanese text is judged by what it shows). `make format` reflows the lines
# that are too wide; tests/test_includes.sh checks who includes whom.
set -u
cd "$(dirname "$0")/.."
git rev-parse --is-inside-work-tree >/dev/null 2>&1 || { echo "skip: not a git checkout"; exit 0; }
git ls-files '*.c' '*.h' | /usr/bin/python3 -c '
import sys
bad = 0
for path in sys.stdin.read().split():
    with open(path, encoding="utf-8") as f:
        lines = f.read().split("\n")
    for n, line in enumerate(lines, 1):
        if len(line) > 100:
            print(f"{path}:{n}: {len(line)} columns (limit 100)"); bad += 1
print(f"{bad} problem(s)")
sys.exit(1 if bad else 0)
'
