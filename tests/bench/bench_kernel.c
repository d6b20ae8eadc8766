/* bench_kernel: dispatch `customs-bench kernel xray|ct|nqr` to each kernel's benchmark. */
#include <stdio.h>
#include <string.h>

#include "tests/bench/bench.h"

int bench_kernel_xray(void);
int bench_kernel_ct(void);
int bench_kernel_nqr(void);

int bench_kernel(int argc, char **argv) {
  if (argc < 2) {
    fprintf(stderr, "customs-bench kernel: name a kernel: xray, ct or nqr\n");
    return 2;
  }
  if (!strcmp(argv[1], "xray")) return bench_kernel_xray();
  if (!strcmp(argv[1], "ct")) return bench_kernel_ct();
  if (!strcmp(argv[1], "nqr")) return bench_kernel_nqr();
  fprintf(stderr, "customs-bench kernel: unknown kernel '%s' (xray, ct, nqr)\n", argv[1]);
  return 2;
}
