/* sim_helpers: running a scenario file from a test and reading one figure per
 * replication. Header-only so each test program stays one file. */
#ifndef TESTS_SIM_HELPERS_H
#define TESTS_SIM_HELPERS_H

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <gsl/gsl_cdf.h>

#include "models/experiment.h"
#include "models/scenario/scenario.h"
#include "models/scenario/spec.h"
#include "sim/stats.h"

typedef struct th_run {
  scenario *sc;
  spec *sp;
  kpi_run *runs;
  int reps;
} th_run;

/* Replications: fewer under QUICK=1 (sanitizer builds); tolerances follow the count. */
static inline int th_reps(int full) {
  const char *q = getenv("CUSTOMS_QUICK");
  return q && !strcmp(q, "1") ? (full / 3 > 5 ? full / 3 : 5) : full;
}

/* Replications first_rep .. first_rep + reps - 1 of a scenario. */
static inline int th_run_scenario_reps(th_run *t, const char *path, const char *const *sets,
                                       int nsets, int reps, unsigned long long seed,
                                       unsigned first_rep) {
  sim_error err = {0};
  memset(t, 0, sizeof *t);
  t->reps = reps;
  if (scenario_load(&t->sc, path, sets, nsets, 0, &err) || spec_build(&t->sp, t->sc, &err)) {
    fprintf(stderr, "%s\n", err.msg);
    return -1;
  }
  t->runs = calloc((size_t)reps, sizeof *t->runs);
  exp_opts o = {.seed = seed, .reps = reps, .jobs = 2, .first_rep = first_rep};
  int done = 0;
  if (experiment_run(t->sp, &o, t->runs, &done, &err)) {
    fprintf(stderr, "%s\n", err.msg);
    return -1;
  }
  return 0;
}

static inline int th_run_scenario(th_run *t, const char *path, const char *const *sets, int nsets,
                                  int reps, unsigned long long seed) {
  return th_run_scenario_reps(t, path, sets, nsets, reps, seed, 0);
}

/* Writes a scenario text to a new temporary .cfg file; path receives its name. */
static inline int th_write_cfg(const char *text, char *path, size_t n) {
  snprintf(path, n, "/tmp/customs-test-XXXXXX.cfg");
  int fd = mkstemps(path, 4);
  if (fd < 0) return -1;
  FILE *f = fdopen(fd, "w");
  if (!f) return -1;
  fputs(text, f);
  fclose(f);
  return 0;
}

/* Runs a scenario given as text (see th_run_scenario). */
static inline int th_run_text(th_run *t, const char *text, int reps, unsigned long long seed) {
  char path[64];
  if (th_write_cfg(text, path, sizeof path)) return -1;
  int rc = th_run_scenario(t, path, NULL, 0, reps, seed);
  remove(path);
  return rc;
}

static inline void th_free(th_run *t) {
  for (int i = 0; t->runs && i < t->reps; i++) kpi_run_free(&t->runs[i]);
  free(t->runs);
  spec_free(t->sp);
  scenario_free(t->sc);
}

/* Mean across replications of a per-replication value and its half-width at `level`. */
static inline void th_ci(const double *x, int n, double level, double *mean, double *hw) {
  stats_ci(x, (size_t)n, level, mean, hw);
}

#define TH_STATION(t, r, i, field) ((double)(t)->runs[r].st[i].field)
#define TH_CHANNEL(t, r, i, field) ((double)(t)->runs[r].ch[i].field)

#endif
