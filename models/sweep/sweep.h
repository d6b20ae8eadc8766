/* sweep: the internal interface of build/customs-sweep and build/customs-sweep-mpi,
 * which run a scenario over a grid of settings (--vary), with common random numbers,
 * and search that grid for the cheapest configuration that meets targets (--optimize).
 *
 * Files: sweep_main.c (command line), sweep_grid.c (--vary parsing and the grid),
 * sweep_plan.c (what to run: the scenario, its overrides, the variants), sweep_fig.c
 * (the figures of a replication as a flat array, their names and statistics),
 * sweep_run.c (tasks = (variant, replication) run on threads), sweep_mpi.c (the same
 * tasks handed to MPI ranks; MPI calls only there, behind CUSTOMS_MPI), sweep_opt.c
 * (the optimizer), sweep_goal.c (--cost and --target), sweep_out.c (the HDF5 file),
 * sweep_print.c (the tables printed at the end).
 *
 * Every function that can fail returns a sim error code and fills a one-line message;
 * main turns it into the exit status. Every *_new has its *_free, which accepts NULL. */
#ifndef MODELS_SWEEP_SWEEP_H
#define MODELS_SWEEP_SWEEP_H

#include <libconfig.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "models/experiment.h"
#include "models/kpi.h"
#include "models/kpi_catalog.h"
#include "models/scenario/scenario.h"
#include "models/scenario/spec.h"
#include "sim/error.h"

#define SWEEP_MAX_AXES 16          /* --vary options */
#define SWEEP_MAX_VALUES 10000     /* values of one --vary */
#define SWEEP_MAX_VARIANTS 100000  /* variants of the whole grid */
#define SWEEP_MAX_REPS 100000      /* replications of one variant */
#define SWEEP_TEXT 256             /* longest path or value text */

/* ---- sweep_grid.c: --vary PATH=VALUES ---------------------------------------- */

typedef enum { SWEEP_INT, SWEEP_FLOAT, SWEEP_BOOL, SWEEP_STR } sweep_vtype;

typedef struct sweep_axis {
  char *path;        /* the scenario key */
  char *values;      /* VALUES as given */
  sweep_vtype type;  /* the key's type (known after sweep_grid_resolve) */
  size_t n;
  char **text;       /* [n] each value as --set text */
  double *num;       /* [n] numeric value (bool: 0 or 1; string: NaN) */
} sweep_axis;

typedef struct sweep_grid {
  sweep_axis axes[SWEEP_MAX_AXES];
  size_t naxes;
  size_t nvariants;  /* product of the axes' sizes (after resolve) */
} sweep_grid;

int sweep_grid_new(sweep_grid **out, sim_error *err);
void sweep_grid_free(sweep_grid *g);
/* Records "PATH=VALUES" (syntax only: the values are parsed by resolve). */
int sweep_grid_add(sweep_grid *g, const char *arg, sim_error *err);
/* Finds each key's type by setting it in cfg (a loaded scenario configuration, which is
 * changed), expands the values and checks every one with scenario_set. */
int sweep_grid_resolve(sweep_grid *g, config_t *cfg, const char *file, sim_error *err);
/* Parses VALUES for a key of type t: a list "3,4,5" or a range "2:8" / "2:8:2" (numeric
 * keys only). The arrays belong to the caller (sweep_values_free). */
int sweep_values_parse(const char *path, const char *values, sweep_vtype t, char ***text,
                       double **num, size_t *n, sim_error *err);
void sweep_values_free(char **text, double *num, size_t n);
/* Index of variant v's value on each axis (the first --vary varies slowest). */
void sweep_grid_point(const sweep_grid *g, size_t v, size_t *idx);
/* "PATH=VALUE" of variant v on axis a, into buf. */
void sweep_grid_assign(const sweep_grid *g, size_t v, size_t a, char *buf, size_t size);
/* "PATH=VALUE PATH=VALUE ..." of variant v, into buf. */
void sweep_grid_describe(const sweep_grid *g, size_t v, char *buf, size_t size);

/* ---- sweep_plan.c: what to run ---------------------------------------------- */

typedef struct sweep_plan {
  const char *file;            /* the scenario file */
  const char *const *sets;     /* base --set overrides (not owned) */
  int nsets;
  double days;                 /* --days, or 0 */
  uint64_t seed;
  sweep_grid *grid;            /* owned */
  scenario *base;              /* the scenario with the base overrides (owned) */
  spec *shape;                 /* variant 0's port: channel, station, pool names (owned) */
  size_t nval;                 /* figures per replication (sweep_fig.c) */
} sweep_plan;

/* Loads the base scenario, resolves the grid (taking ownership of it) and builds
 * variant 0. Errors in the scenario or in --vary are SIM_EINVAL. */
int sweep_plan_new(sweep_plan **out, const char *file, const char *const *sets, int nsets,
                   double days, uint64_t seed, sweep_grid *grid, sim_error *err);
void sweep_plan_free(sweep_plan *pl);
/* Loads variant v: the base overrides, then its --vary values. */
int sweep_variant_load(const sweep_plan *pl, size_t v, scenario **sc, spec **sp, sim_error *err);
/* Loads every variant once: each must be a valid scenario with the same channels,
 * stations and staff pools as variant 0. */
int sweep_plan_check(const sweep_plan *pl, sim_error *err);
/* Reads a numeric key of a loaded scenario (for costs). */
int sweep_config_number(const scenario *sc, const char *path, double *out, sim_error *err);

/* ---- sweep_fig.c: the figures of one replication -------------------------------- */

/* A sweep keeps every figure of the KPI catalogue (models/kpi_catalog.h) for channels,
 * stations, staff pools, classes, batches and recovery scopes, then the service levels its
 * targets ask for (wait_share_within(MIN), release_share_within(MIN): spec.levels); those
 * marked KPI_SWEEP are summarized in /sweep. */
typedef kpi_record sweep_group;
typedef kpi_field sweep_fig;

/* Rows of kind g in a port shaped like sp, and the name of row e (its KPI path's NAME). */
size_t sweep_entities(const spec *sp, kpi_record g);
const char *sweep_entity_name(const spec *sp, kpi_record g, size_t e);

/* Where group grp's figures start in the flat array, and how many each entity has. */
void sweep_group_span(const spec *sp, sweep_group grp, size_t *base, size_t *nf);
/* Figures per replication of a port shaped like sp. */
size_t sweep_nval(const spec *sp);
/* The figures of k as doubles (counts converted exactly), in flat order: every
 * channel's figures, then every station's, then every pool's. */
void sweep_flatten(const spec *sp, const kpi_run *k, double *out);
/* The catalog entry and entity name of flat index i. */
const sweep_fig *sweep_fig_at(const spec *sp, size_t i, const char **entity);
/* "channels.NAME.FIG", "stations.NAME.FIG", "classes.CHANNEL.CLASS.FIG", ... of flat index
 * i; a service level as "channels.NAME.wait_share_within(0.333)". */
void sweep_fig_name(const spec *sp, size_t i, char *buf, size_t size);
/* The flat index of a KPI path; SIM_EINVAL naming the path when there is none. */
int sweep_fig_find(const spec *sp, const char *path, size_t *index, sim_error *err);
/* As sweep_fig_find, and a service level with its own threshold in minutes
 * (channels.C.wait_share_within(0.333), classes.C.K.release_share_within(60)) is added
 * to sp's levels when new (the flat figures grow by one). */
int sweep_fig_level(spec *sp, const char *path, size_t *index, sim_error *err);

/* Statistics over the replications that have figures (NaN values skipped). */
typedef struct sweep_stat {
  int n;
  double mean, sd, hw95; /* NaN when undefined (hw: fewer than 2 values) */
} sweep_stat;

/* The results: per variant, the flat figures of each replication run so far. */
typedef struct sweep_store {
  size_t nvar, nval;
  int *cap;               /* [v] replications with room */
  double **vals;          /* [v][rep * nval + i] */
  unsigned char **have;   /* [v][rep]: 1 when replication rep has figures */
} sweep_store;

int sweep_store_new(sweep_store **out, size_t nvar, size_t nval, sim_error *err);
void sweep_store_free(sweep_store *s);
/* Makes room for replications 0..reps-1 of variant v (call before running them). */
int sweep_store_reserve(sweep_store *s, size_t v, int reps, sim_error *err);
int sweep_store_count(const sweep_store *s, size_t v);
void sweep_store_stat(const sweep_store *s, size_t v, size_t i, sweep_stat *st);

/* ---- sweep_run.c: running (variant, replication) tasks ---------------------------- */

typedef struct sweep_task {
  int32_t variant, rep;
} sweep_task;

/* Loaded variants shared by the threads of a rank (a few at a time). */
typedef struct sweep_cache sweep_cache;
int sweep_cache_new(sweep_cache **out, const sweep_plan *pl, int slots, sim_error *err);
void sweep_cache_free(sweep_cache *c);

/* Runs one replication (experiment_run with reps = 1, first_rep = rep) and writes its
 * flat figures to out (pl->nval doubles). */
int sweep_run_one(sweep_cache *c, sweep_task t, const volatile sig_atomic_t *interrupt,
                  double *out, sim_error *err);

typedef struct sweep_exec {
  const sweep_plan *pl;
  sweep_store *store;
  sweep_cache *cache;
  int jobs;                                /* compute threads on this rank */
  const volatile sig_atomic_t *interrupt;
  exp_progress_fn progress;                /* progress reports (NULL: none) */
  void *progress_ctx;
  int ranks;                               /* MPI ranks (1: local only) */
  long tasks_run;                          /* replications run so far */
  int workers_busy;                        /* MPI: interrupted with tasks still out */
} sweep_exec;

/* One batch of tasks, claimed in order by the local threads and (under MPI) by the
 * coordinator for the other ranks. */
typedef struct sweep_batch {
  sweep_exec *x;
  const sweep_task *tasks;
  size_t n;
  atomic_size_t next, done;
  atomic_int stop;        /* 1: interrupted, 2: failed */
  pthread_mutex_t lock;
  sim_error err;          /* the first failure */
} sweep_batch;

int sweep_exec_init(sweep_exec *x, const sweep_plan *pl, sweep_store *store, int jobs,
                    const volatile sig_atomic_t *interrupt, exp_progress_fn progress,
                    void *progress_ctx, int ranks, sim_error *err);
void sweep_exec_deinit(sweep_exec *x);
/* Runs the tasks (locally or across ranks): 0, SIM_EINTR (figures so far are stored)
 * or the first failure, whose message names the variant and replication. */
int sweep_exec_run(sweep_exec *x, const sweep_task *tasks, size_t n, sim_error *err);

/* For the MPI coordinator: claims the next task (-1 when none is left or the batch is
 * stopping), records a finished task, and runs/joins the local threads. */
long sweep_batch_claim(sweep_batch *b);
void sweep_batch_finish(sweep_batch *b, size_t i, int rc, const sim_error *e, int rank);
int sweep_threads_start(sweep_batch *b, pthread_t *th, int n);
void sweep_threads_join(pthread_t *th, int n);

/* ---- sweep_mpi.c: the task farm (stubs without CUSTOMS_MPI) -------------------- */

/* Starts MPI (when built with it); *rank = 0 and *size = 1 otherwise. */
int sweep_mpi_init(int *argc, char ***argv, int *rank, int *size);
void sweep_mpi_finalize(void);
/* Rank 0 tells every rank whether to go on (status < 0) or stop with an exit status. */
int sweep_mpi_share_status(int status);
/* A worker rank's loop: runs the tasks rank 0 sends until told to stop. pl may be NULL
 * (the rank could not set up): each task then fails with `why`. */
int sweep_mpi_worker(const sweep_plan *pl, const char *why, const volatile sig_atomic_t *interrupt);
/* Rank 0: the tasks of a batch for the other ranks, while local threads take their share. */
int sweep_mpi_coordinate(sweep_batch *b);
/* Rank 0: tells the workers to leave their loop. */
void sweep_mpi_stop_workers(int ranks);
/* Ends every rank at once (rank 0 after an interrupt with tasks still out). */
void sweep_mpi_abort(int status);

/* ---- sweep_goal.c: --cost and --target --------------------------------------- */

#define SWEEP_MAX_TERMS 32

typedef struct sweep_cost {
  char *path;
  double price;
} sweep_cost;

typedef struct sweep_target {
  char *kpi;       /* KPI path, e.g. stations.s0.wait_mean_min */
  int upper;       /* 1: KPI <= value, 0: KPI >= value */
  double value;
  size_t index;    /* flat figure index (after sweep_goals_resolve) */
} sweep_target;

typedef struct sweep_goals {
  sweep_cost cost[SWEEP_MAX_TERMS];
  size_t ncost;
  sweep_target target[SWEEP_MAX_TERMS];
  size_t ntarget;
} sweep_goals;

int sweep_goals_new(sweep_goals **out, sim_error *err);
void sweep_goals_free(sweep_goals *g);
int sweep_goals_add_cost(sweep_goals *g, const char *arg, sim_error *err);    /* 'PATH*PRICE' */
int sweep_goals_add_target(sweep_goals *g, const char *arg, sim_error *err);  /* 'KPI<=VALUE' */
/* Checks the target KPI paths against the plan's port, adds the service levels they ask
 * for (to every variant the plan loads from now on) and updates pl->nval. */
int sweep_goals_resolve(sweep_goals *g, sweep_plan *pl, sim_error *err);
/* Cost of every variant (loads each once); costs has pl->grid->nvariants entries. */
int sweep_goals_costs(const sweep_goals *g, const sweep_plan *pl, double *costs, sim_error *err);

/* ---- sweep_opt.c: the optimizer --------------------------------------------- */

typedef struct sweep_opt_opts {
  int r0, max_reps, confirm_reps;
  double confidence;
  FILE *log;          /* a line per evaluated candidate (the program's choice; NULL: none) */
} sweep_opt_opts;

typedef enum { SWEEP_UNDECIDED = 0, SWEEP_FEASIBLE, SWEEP_INFEASIBLE } sweep_verdict;

/* One evaluated candidate. */
typedef struct sweep_cand {
  size_t variant;
  double cost;
  int reps;
  sweep_verdict verdict;
  int confirmed;   /* 1: feasible after the confirmation run; -1: not confirmed */
  double *mean, *bound, *hw; /* [ntarget] */
  double violation; /* largest target miss relative to the target (<= 0: all met) */
} sweep_cand;

typedef struct sweep_opt_result {
  sweep_cand *cand;   /* in evaluation order */
  size_t ncand;
  long best, runner_up;  /* indices into cand, or -1 */
  int runner_up_feasible;
} sweep_opt_result;

int sweep_optimize(sweep_exec *x, const sweep_goals *g, const double *costs,
                   const sweep_opt_opts *o, sweep_opt_result *res, sim_error *err);
void sweep_opt_result_free(sweep_opt_result *r);

/* ---- sweep_out.c: the result file -------------------------------------------- */

typedef struct sweep_out_meta {
  const sweep_plan *pl;
  const sweep_store *store;
  const char *version;
  const char *mode;          /* "sweep" or "optimize" */
  int complete;
  const sweep_goals *goals;  /* optimize only */
  const sweep_opt_result *opt;
  const double *costs;
  double confidence;
} sweep_out_meta;

int sweep_out_write(const char *path, const sweep_out_meta *m, sim_error *err);

/* ---- sweep_print.c: the tables printed at the end ---------------------------------- */

void sweep_print_sweep(FILE *f, const sweep_plan *pl, const sweep_store *s);
void sweep_print_opt(FILE *f, const sweep_plan *pl, const sweep_goals *g,
                     const sweep_opt_result *r, double confidence);

#endif
