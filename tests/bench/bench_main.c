/* customs-bench: engine and kernel benchmarks (`make bench` runs them all).
 *   customs-bench                 every benchmark
 *   customs-bench engine          calendar hold and M/M/4 throughput
 *   customs-bench risk [--csv F]  risk-targeting kernel
 *   customs-bench kernel xray|ct|nqr
 *   customs-bench model [--sim PATH] [--quick]   the whole program on the default airport
 */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "tests/bench/bench.h"

double bench_now(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

static int usage(FILE *f) {
  fprintf(f, "usage: customs-bench [engine | risk [--csv FILE] | kernel xray|ct|nqr |\n"
             "                     model [--sim PATH] [--quick]]\n");
  return f == stdout ? 0 : 2;
}

int main(int argc, char **argv) {
  if (argc < 2) {
    int rc = bench_engine(0, NULL);
    char *x[] = {"kernel", "xray"}, *c[] = {"kernel", "ct"}, *n[] = {"kernel", "nqr"};
    if (!rc) rc = bench_kernel(2, x);
    if (!rc) rc = bench_kernel(2, c);
    if (!rc) rc = bench_kernel(2, n);
    if (!rc) rc = bench_risk(1, (char *[]){"risk"});
    if (!rc) rc = bench_model(1, (char *[]){"model"});
    return rc;
  }
  if (!strcmp(argv[1], "-h") || !strcmp(argv[1], "--help")) return usage(stdout);
  if (!strcmp(argv[1], "engine")) return bench_engine(argc - 1, argv + 1);
  if (!strcmp(argv[1], "risk")) return bench_risk(argc - 1, argv + 1);
  if (!strcmp(argv[1], "kernel")) return bench_kernel(argc - 1, argv + 1);
  if (!strcmp(argv[1], "model")) return bench_model(argc - 1, argv + 1);
  fprintf(stderr, "customs-bench: unknown benchmark '%s'\n", argv[1]);
  return usage(stderr);
}
