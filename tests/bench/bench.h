/* bench: the subcommands of customs-bench. Each prints a readable table and every
 * figure also as a `name=value` line. Each returns a process exit status. */
#ifndef TESTS_BENCH_H
#define TESTS_BENCH_H

int bench_engine(int argc, char **argv);  /* calendar hold, M/M/4 through API and scenario */
int bench_risk(int argc, char **argv);    /* risk kernel: AUC, precision@n, throughput */
int bench_kernel(int argc, char **argv);  /* detection kernels: xray | ct | nqr */
int bench_model(int argc, char **argv);   /* the whole program on the default airport */

/* Seconds on a monotonic clock. */
double bench_now(void);

#endif
