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
  kind=$(basename "$a" | sed -E 's/^fuzz_[a-z]+-//; s/-.*//')
  # a timeout is replayed with a longer limit: on a loaded machine a slow input is not a hang
  limit=10; case $kind in timeout|slow) limit=60 ;; esac
  out=$(ASAN_OPTIONS=detect_leaks=1:allocator_may_return_null=1 \
        LSAN_OPTIONS=suppressions=tests/fuzz/lsan.supp:print_suppressions=0 \
        timeout 300 "$bin" -timeout=$limit -rss_limit_mb=4096 "$a" 2>&1); rc=$?
  # frames of the fuzzer, the sanitizers' interceptors (in the harness binary, without a
  # source line), libc and the allocator are skipped
  frame=$(printf '%s\n' "$out" | grep -E '^ +#[0-9]+ 0x' |
    grep -vE 'fuzzer::|__sanitizer|__asan|__lsan|__interceptor|__ubsan|libc\.so|libstdc|in (malloc|calloc|realloc|free|strdup|operator)\b|AlarmCallback|PrintStackTrace|in main |in _start' |
    grep -vE '\(/[^)]*/build/fuzz/fuzz_[a-z]+\+0x' |
    head -1 | sed -E 's/^ +#[0-9]+ 0x[0-9a-f]+ //')
  [ $rc -eq 0 ] && frame=
  if printf '%s' "$frame" | grep -qE '/(sim|models|tests/fuzz)/'; then
    ours=$((ours + 1)); echo "OURS     $kind $(basename "$a"): $frame"
  elif [ -n "$frame" ]; then
    echo "LIBRARY  $kind $(basename "$a"): $frame"
  else
    echo "NOREPRO  $kind $(basename "$a") (no failure on replay with -timeout=$limit)"
  fi
done
[ $ours -eq 0 ]
