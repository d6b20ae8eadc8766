/* experiment: replications of a port model, run on several threads. Replication k
 * always uses the streams of (seed, k), whatever the number of threads or of
 * replications, so results are bit-identical for any -j.
 *
 * The caller owns `runs` (reps entries) and frees each with kpi_run_free. */
#ifndef MODELS_EXPERIMENT_H
#define MODELS_EXPERIMENT_H

#include <signal.h>
#include <stdint.h>

#include "models/kpi.h"
#include "models/scenario/spec.h"
#include "sim/error.h"

/* Progress, for a display the program draws (library code never prints): share of all
 * the work done in [0, 1], and done of total units (replications) finished. Called from
 * the run's threads, one call at a time. */
typedef void (*exp_progress_fn)(void *ctx, double share, long done, long total);

typedef struct exp_opts {
  uint64_t seed;
  int reps, jobs;
  uint32_t first_rep;                      /* replication index of runs[0] */
  const volatile sig_atomic_t *interrupt;  /* polled; stops the run when non-zero */
  exp_progress_fn progress;                /* NULL: no progress reports */
  void *progress_ctx;
  int prep_threads;                        /* threads making kernel states before the
                                              replications (0: one per core) */
  int no_roc;                              /* 1: skip the kernels' ROC curves */
  int outer_threads;                       /* threads the caller runs experiments on at
                                              once (0 or 1: this one alone; -1: unknown,
                                              as on an MPI rank): with jobs, whether a
                                              core is spare for a helper thread
                                              (port_draw_ahead) */
  int keep_spooled;                        /* 1: the queue, busy and staff series stay in
                                              their spool files (kpi_run.series_file,
                                              read by kpi_run_row); 0: in the arrays */
} exp_opts;

/* Runs the replications; runs[i] gets replication first_rep + i. Returns 0, SIM_EINTR
 * (the figures so far are in runs and *done tells how many finished), SIM_ERUN (a
 * replication was stopped by a limit, named in err: the figures so far are in runs too)
 * or another error. The item log (output.items) of a replication is spooled to a
 * temporary file bounded by output.items_max_mb: passing it stops the run (SIM_ERUN). */
int experiment_run(const spec *sp, const exp_opts *o, kpi_run *runs, int *done, sim_error *err);

#endif
