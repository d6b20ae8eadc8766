#!/usr/bin/env bash
# triage.sh BINARY ARTIFACT...: replays each fuzzing artifact (crash-, leak-, timeout-,
# oom- files) and names the first frame of its stack that is not the fuzzer's, the
# sanitizers' or the allocator's: in the project's code (sim/, models/, tests/fuzz/)
# it is a finding of ours and the script exits 1; inside a library (HDF5, libconfig)
# it is reported as the library's. Used by `make fuzz`.
set -u
bin=$1; shift
ours=0
for a in "$@"; do
  [ -f "$a" ] || continue
  out=$(ASAN_OPTIONS=detect_leaks=1:allocator_may_return_null=1 \
        LSAN_OPTIONS=suppressions=tests/fuzz/lsan.supp:print_suppressions=0 \
        timeout 60 "$bin" -timeout=10 -rss_limit_mb=4096 "$a" 2>&1)
  frame=$(printf '%s\n' "$out" | grep -E '^ +#[0-9]+ 0x' |
    grep -vE 'fuzzer::|__sanitizer|__asan|__lsan|__interceptor|__ubsan|libc\.so|libstdc|in (malloc|calloc|realloc|free|strdup|operator)\b|LLVMFuzzerTestOneInput .*fuzz_|AlarmCallback|PrintStackTrace|in main ' |
    head -1 | sed -E 's/^ +#[0-9]+ 0x[0-9a-f]+ //')
  kind=$(basename "$a" | sed -E 's/^fuzz_[a-z]+-//; s/-.*//')
  if printf '%s' "$frame" | grep -qE '/(sim|models|tests/fuzz)/'; then
    ours=$((ours + 1)); echo "OURS     $kind $(basename "$a"): $frame"
  elif [ -n "$frame" ]; then
    echo "LIBRARY  $kind $(basename "$a"): $frame"
  else
    echo "NOREPRO  $kind $(basename "$a") (no failure on replay)"
  fi
done
[ $ours -eq 0 ]
