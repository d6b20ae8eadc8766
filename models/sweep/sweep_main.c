/* customs-sweep (and customs-sweep-mpi): runs a scenario over a grid of settings with
 * common random numbers, or searches the grid for the cheapest configuration that meets
 * targets (README.md: Planning sweeps and the optimizer; Running across machines).
 * Exit status: 0 success, 1 run failure, 2 usage or scenario error, 3 the optimizer
 * found no configuration meeting every target, 130 interrupted (complete = 0). */
#include <errno.h>
#include <getopt.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "models/cli/cli.h"
#include "models/cliarg.h"
#include "models/scenario/schema.h"
#include "models/sweep/sweep.h"

#ifdef CUSTOMS_MPI
#define PROG "customs-sweep-mpi"
#else
#define PROG "customs-sweep"
#endif

typedef struct options {
  const char *out, *scenario;
  uint64_t seed;
  int reps, reps_given, jobs, check, quiet, optimize;
  double days, confidence;
  int max_reps, confirm_reps;
  const char **sets;
  int nsets;
  sweep_grid *grid;   /* owned until handed to the plan */
  sweep_goals *goals;
  int loud;           /* this rank prints (rank 0) */
} options;

enum { OPT_DAYS = 256, OPT_SET, OPT_CHECK, OPT_VARY, OPT_OPTIMIZE, OPT_COST, OPT_TARGET, OPT_CONF,
       OPT_MAXREPS, OPT_CONFIRM, OPT_CACHE };

static void usage(FILE *f) {
  fprintf(
      f,
      "usage: " PROG
      " [OPTIONS] SCENARIO --vary PATH=VALUES [--vary ...]\n"
      "       " PROG
      " [OPTIONS] SCENARIO --optimize --vary ... --cost 'PATH*PRICE' --target 'KPI<=VALUE'\n"
      "  --vary PATH=VALUES     values of a scenario key: a list 3,4,5 or a range "
      "START:END[:STEP]\n"
      "                         (repeatable: the grid is every combination)\n"
      "  -o, --out FILE         result file (default results/<name>-sweep.h5, -optimize.h5)\n"
      "  -s, --seed N           random seed, the same for every variant (default 1)\n"
      "  -r, --replications N   replications per variant (default 1); with --optimize the\n"
      "                         first replications of each candidate (default 5)\n"
      "  -j, --jobs N           threads (default 1)\n"
      "      --days X           measured days (overrides run.days)\n"
      "      --set PATH=VALUE   override a scenario key in every variant (repeatable)\n"
      "      --check            validate the scenario and every variant, and exit\n"
      "      --cache-dir DIR    kernel and model cache folder (as customs-sim --cache-dir)\n"
      "  -q, --quiet            no tables, no progress bar\n"
      "  -h, --help             this help\n"
      "  -V, --version          program version\n"
      "optimizer:\n"
      "      --optimize         find the cheapest variant that meets every target\n"
      "      --cost PATH*PRICE  cost term value(PATH) * PRICE (repeatable; costs add up)\n"
      "      --target KPI<=V    target on a KPI, or KPI>=V (repeatable), for example\n"
      "                         stations.s0.wait_mean_min<=0.5, "
      "channels.c0.within_target_share>=0.95\n"
      "      --confidence P     a target is met when the one-sided P bound meets it (default "
      "0.95)\n"
      "      --max-reps N       replications one candidate may use in the search (default 50)\n"
      "      --confirm-reps N   replications of the confirmation run of the best (default: "
      "max-reps)\n"
      "exit status: 0 ok, 1 run failure, 2 usage or scenario error, 3 no configuration meets the\n"
      "targets, 130 interrupted\n");
}

static const char *opt_name(int c) {
  switch (c) {
  case 's': return "--seed";
  case 'r': return "--replications (1 to 100000)";
  case 'j': return "--jobs (1 to 1024)";
  case OPT_DAYS: return "--days (a number > 0)";
  case OPT_CONF: return "--confidence (between 0.5 and 1)";
  case OPT_MAXREPS: return "--max-reps (2 to 100000)";
  case OPT_CONFIRM: return "--confirm-reps (2 to 100000)";
  case OPT_CACHE: return "--cache-dir (a folder)";
  default: return "?";
  }
}

static int say(const options *o, const char *msg) {
  if (o->loud) fprintf(stderr, PROG ": %s\n", msg);
  return 2;
}

/* Values that need several options at once. */
static int check_args(options *o) {
  if (!o->grid->naxes) return say(o, "nothing to sweep: give --vary PATH=VALUES (see --help)");
  if (!o->optimize) {
    if (o->goals->ncost || o->goals->ntarget) return say(o, "--cost and --target need --optimize");
    return -1;
  }
  if (!o->reps_given) o->reps = 5;
  if (o->reps < 2)
    return say(o, "--optimize needs --replications of at least 2 (a confidence bound needs two)");
  if (o->max_reps < o->reps) return say(o, "--max-reps must be at least --replications");
  if (!o->confirm_reps) o->confirm_reps = o->max_reps;
  return -1;
}

/* Returns -1 to continue, else an exit status. */
static int parse_args(int argc, char **argv, options *o) {
  static const struct option lo[] = {{"out", required_argument, 0, 'o'},
                                     {"seed", required_argument, 0, 's'},
                                     {"replications", required_argument, 0, 'r'},
                                     {"jobs", required_argument, 0, 'j'},
                                     {"days", required_argument, 0, OPT_DAYS},
                                     {"set", required_argument, 0, OPT_SET},
                                     {"check", no_argument, 0, OPT_CHECK},
                                     {"quiet", no_argument, 0, 'q'},
                                     {"help", no_argument, 0, 'h'},
                                     {"version", no_argument, 0, 'V'},
                                     {"vary", required_argument, 0, OPT_VARY},
                                     {"optimize", no_argument, 0, OPT_OPTIMIZE},
                                     {"cost", required_argument, 0, OPT_COST},
                                     {"target", required_argument, 0, OPT_TARGET},
                                     {"confidence", required_argument, 0, OPT_CONF},
                                     {"max-reps", required_argument, 0, OPT_MAXREPS},
                                     {"confirm-reps", required_argument, 0, OPT_CONFIRM},
                                     {"cache-dir", required_argument, 0, OPT_CACHE},
                                     {0, 0, 0, 0}};
  int c;
  long v;
  sim_error err = {0};
  if (!(o->sets = calloc((size_t)argc, sizeof *o->sets)) || sweep_grid_new(&o->grid, &err) ||
      sweep_goals_new(&o->goals, &err))
    return say(o, "out of memory"), 1;
  opterr = 0;
  while ((c = getopt_long(argc, argv, ":o:s:r:j:qhV", lo, NULL)) != -1) {
    char *end;
    switch (c) {
    case 'o': o->out = optarg; break;
    case 's':
      if (cli_seed(optarg, &o->seed)) goto bad_value;
      break;
    case 'r':
      if (cliarg_long(optarg, 1, SWEEP_MAX_REPS, &v)) goto bad_value;
      o->reps = (int)v, o->reps_given = 1;
      break;
    case 'j': if (cliarg_long(optarg, 1, 1024, &v)) goto bad_value; o->jobs = (int)v; break;
    case OPT_DAYS:
      if (cli_days(optarg, &o->days)) goto bad_value;
      break;
    case OPT_CONF:
      errno = 0;
      o->confidence = strtod(optarg, &end);
      if (!*optarg || *end || errno || !(o->confidence >= 0.5 && o->confidence < 1)) goto bad_value;
      break;
    case OPT_MAXREPS:
      if (cliarg_long(optarg, 2, SWEEP_MAX_REPS, &v)) goto bad_value;
      o->max_reps = (int)v;
      break;
    case OPT_CONFIRM:
      if (cliarg_long(optarg, 2, SWEEP_MAX_REPS, &v)) goto bad_value;
      o->confirm_reps = (int)v;
      break;
    case OPT_SET: o->sets[o->nsets++] = optarg; break;
    case OPT_CACHE: /* the kernels find their cache folder there (models/kernels/kcache.h) */
      if (!*optarg || setenv("CUSTOMS_CACHE_DIR", optarg, 1)) goto bad_value;
      break;
    case OPT_CHECK: o->check = 1; break;
    case OPT_OPTIMIZE: o->optimize = 1; break;
    case OPT_VARY:
    case OPT_COST:
    case OPT_TARGET: {
      int rc = c == OPT_VARY ? sweep_grid_add(o->grid, optarg, &err)
               : c == OPT_COST ? sweep_goals_add_cost(o->goals, optarg, &err)
                               : sweep_goals_add_target(o->goals, optarg, &err);
      if (rc) return say(o, err.msg), rc == SIM_EINVAL ? 2 : 1;
      break;
    }
    case 'q': o->quiet = 1; break;
    case 'h': if (o->loud) usage(stdout); return 0;
    case 'V':
      if (o->loud) cli_version(PROG);
      return 0;
    case ':':
      if (o->loud) fprintf(stderr, PROG ": option %s needs a value\n", argv[optind - 1]);
      return 2;
    default:
      if (o->loud) fprintf(stderr, PROG ": unknown option '%s' (see --help)\n", argv[optind - 1]);
      return 2;
    }
    continue;
  bad_value:
    if (o->loud) fprintf(stderr, PROG ": bad value '%s' for option %s\n", optarg, opt_name(c));
    return 2;
  }
  if (optind < argc - 1) {
    if (o->loud)
      fprintf(stderr, PROG ": one scenario at most (got '%s' and '%s')\n", argv[optind],
              argv[optind + 1]);
    return 2;
  }
  if (optind < argc) o->scenario = argv[optind];
  return check_args(o);
}

static int exit_for(int code) { return code == SIM_EINVAL ? 2 : 1; }

/* The result file, checked before the run (a folder that cannot be written, -o naming
 * a directory) so no run is lost at its end. */
static char *out_path(const options *o, const char *name, const char *mode, int *replaced,
                      sim_error *err) {
  char suffix[16];
  snprintf(suffix, sizeof suffix, "-%s", mode);
  char *p = o->out ? strdup(o->out) : cli_default_out(name, suffix, err);
  if (!p && o->out) sim_error_set(err, SIM_ENOMEM, "out of memory");
  if (p && cli_output_check(p, replaced, err)) {
    free(p);
    return NULL;
  }
  return p;
}

/* Cost terms and targets written in the scenario (`costs`, `targets`), added to those
 * of the command line. */
static int goals_from_scenario(sweep_goals *g, const scenario *sc, sim_error *err) {
  const config_t *cfg = scenario_config(sc);
  const config_setting_t *c = config_lookup(cfg, "costs"), *t = config_lookup(cfg, "targets");
  char buf[512];
  for (int i = 0; c && i < config_setting_length(c); i++) {
    const config_setting_t *e = config_setting_get_elem(c, (unsigned)i);
    snprintf(buf, sizeof buf, "%s*%.17g", schema_string(e, "path"), schema_float(e, "price"));
    if (sweep_goals_add_cost(g, buf, err)) return SIM_EINVAL;
  }
  for (int i = 0; t && i < config_setting_length(t); i++) {
    const config_setting_t *e = config_setting_get_elem(t, (unsigned)i);
    int has_max = config_setting_get_member(e, "max") != NULL,
        has_min = config_setting_get_member(e, "min") != NULL;
    if (has_max == has_min)
      return schema_error(err, e, scenario_file(sc), "a target needs max or min (one of them)");
    snprintf(buf, sizeof buf, "%s%s%.17g", schema_string(e, "kpi"), has_max ? "<=" : ">=",
             schema_float(e, has_max ? "max" : "min"));
    if (sweep_goals_add_target(g, buf, err)) return SIM_EINVAL;
  }
  return 0;
}

/* The plan, the targets, every variant checked, the costs: -1 to go on, else a status. */
static int prepare(options *o, sweep_plan **pl, double **costs) {
  sim_error err = {0};
  sweep_grid *g = o->grid;
  o->grid = NULL;
  int rc = sweep_plan_new(pl, o->scenario, o->sets, o->nsets, o->days, o->seed, g, &err);
  if (!rc && o->optimize) rc = goals_from_scenario(o->goals, (*pl)->base, &err);
  if (!rc && o->optimize && !o->goals->ntarget)
    rc = sim_error_set(
        &err, SIM_EINVAL,
        "--optimize needs a target: --target 'KPI<=VALUE' or a targets group in the scenario");
  if (!rc && o->optimize && !o->goals->ncost)
    rc = sim_error_set(
        &err, SIM_EINVAL,
        "--optimize needs a cost: --cost 'PATH*PRICE' or a costs group in the scenario");
  if (!rc && o->optimize) rc = sweep_goals_resolve(o->goals, *pl, &err);
  if (!rc) rc = sweep_plan_check(*pl, &err);
  if (!rc && o->optimize) {
    *costs = calloc((*pl)->grid->nvariants, sizeof **costs);
    rc = *costs ? sweep_goals_costs(o->goals, *pl, *costs, &err)
                : sim_error_set(&err, SIM_ENOMEM, "out of memory");
  }
  if (rc) {
    if (o->loud) fprintf(stderr, PROG ": %s\n", err.msg);
    return exit_for(rc);
  }
  if (o->check) {
    if (o->loud && !o->quiet)
      printf("%s: ok (%zu variants; %zu channels, %zu stations)\n", o->scenario,
             (*pl)->grid->nvariants, (*pl)->shape->nch, (*pl)->shape->nst);
    return 0;
  }
  return -1;
}

/* Every replication of every variant, in (variant, replication) order. */
static int run_sweep(sweep_exec *x, int reps, sim_error *err) {
  size_t nv = x->pl->grid->nvariants, n = nv * (size_t)reps;
  sweep_task *t = malloc(n * sizeof *t);
  if (!t) return sim_error_set(err, SIM_ENOMEM, "out of memory");
  for (size_t v = 0; v < nv; v++)
    for (int r = 0; r < reps; r++) t[v * (size_t)reps + (size_t)r] = (sweep_task){(int32_t)v, r};
  int rc = sweep_exec_run(x, t, n, err);
  free(t);
  return rc;
}

static int execute(options *o, sweep_plan *pl, const double *costs, int ranks) {
  sim_error err = {0};
  sweep_store *store = NULL;
  sweep_exec x = {0};
  sweep_opt_result res = {NULL, 0, -1, -1, 0};
  const char *mode = o->optimize ? "optimize" : "sweep";
  int replaced = 0;
  char *outp = out_path(o, scenario_name(pl->base), mode, &replaced, &err);
  if (!outp) {
    fprintf(stderr, PROG ": %s\n", err.msg);
    if (ranks > 1) sweep_mpi_stop_workers(ranks);
    return exit_for(err.code);
  }
  cli_signals_partial(outp);
  cli_signals_phase(CLI_PHASE_FINISH);
  cli_progress *bar = cli_progress_new(o->quiet, "replications");
  int rc = sweep_store_new(&store, pl->grid->nvariants, pl->nval, &err);
  if (!rc)
    rc = sweep_exec_init(&x, pl, store, o->jobs, cli_interrupted(), bar ? cli_progress_draw : NULL,
                         bar, ranks, &err);
  int ran = !rc;
  if (ran && !o->optimize) rc = run_sweep(&x, o->reps, &err);
  if (ran && o->optimize) {
    sweep_opt_opts oo = {o->reps, o->max_reps, o->confirm_reps, o->confidence,
                         o->quiet ? NULL : stdout};
    if (!o->quiet)
      printf("optimizing over %zu variants (confidence %g, %d to %d replications per candidate)\n",
             pl->grid->nvariants, o->confidence, o->reps, o->max_reps);
    rc = sweep_optimize(&x, o->goals, costs, &oo, &res, &err);
  }
  cli_progress_free(bar);
  cli_signals_phase(CLI_PHASE_HOLD);
  int status = rc == 0 ? 0 : rc == SIM_EINTR ? CLI_EXIT_INTERRUPTED : exit_for(rc);
  if (rc && rc != SIM_EINTR) fprintf(stderr, PROG ": %s\n", err.msg);
  if (ranks > 1 && !x.workers_busy) sweep_mpi_stop_workers(ranks);
  if (ran) {
    sweep_out_meta m = {pl,           store,    CUSTOMS_VERSION,           mode,
                        rc == 0,      o->goals, o->optimize ? &res : NULL, costs,
                        o->confidence};
    sim_error werr = {0};
    if (sweep_out_write(outp, &m, &werr)) {
      fprintf(stderr, PROG ": %s\n", werr.msg);
      status = status ? status : 1;
    } else {
      if (!o->quiet && !o->optimize && !rc) sweep_print_sweep(stdout, pl, store);
      if (!o->quiet && o->optimize) sweep_print_opt(stdout, pl, o->goals, &res, o->confidence);
      if (!o->quiet)
        printf("\nresults: %s%s%s\n", outp, replaced ? " (replaced)" : "",
               rc ? " (complete = 0)" : "");
      if (rc)
        fprintf(stderr, PROG ": %s; partial results in %s\n",
                rc == SIM_EINTR ? "interrupted" : "stopped", outp);
    }
  }
  if (!status && o->optimize && res.best < 0) status = 3;
  if (ranks > 1 && x.workers_busy) sweep_mpi_abort(status); /* workers still inside a replication */
  sweep_opt_result_free(&res);
  sweep_exec_deinit(&x);
  sweep_store_free(store);
  cli_signals_partial(NULL);
  free(outp);
  return status;
}

/* A worker rank: the same plan (silently), then tasks from rank 0 until it says stop. */
static int worker(options *o) {
  sim_error err = {0};
  sweep_plan *pl = NULL;
  sweep_grid *g = o->grid;
  o->grid = NULL;
  int rc = sweep_plan_new(&pl, o->scenario, o->sets, o->nsets, o->days, o->seed, g, &err);
  if (!rc && o->optimize)
    rc = goals_from_scenario(o->goals, pl->base, &err); /* the same figures as rank 0 */
  if (!rc && o->optimize) rc = sweep_goals_resolve(o->goals, pl, &err);
  int go = sweep_mpi_share_status(-1);
  if (go < 0) cli_signals_phase(CLI_PHASE_FINISH);
  if (go < 0 && sweep_mpi_worker(rc ? NULL : pl, err.msg, cli_interrupted())) sweep_mpi_abort(1);
  sweep_plan_free(pl);
  return go < 0 ? 0 : go;
}

int main(int argc, char **argv) {
  cli_signals_init(); /* first: a signal while loading ends the program with 130 */
  int rank = 0, ranks = 1;
  if (sweep_mpi_init(&argc, &argv, &rank, &ranks)) {
    fprintf(stderr, PROG ": MPI could not start\n");
    return 1;
  }
  options o = {.scenario = "scenarios/default.cfg",
               .seed = 1,
               .reps = 1,
               .jobs = 1,
               .confidence = 0.95,
               .max_reps = 50,
               .loud = rank == 0};
  int st = parse_args(argc, argv, &o); /* every rank parses the same arguments */
  if (st < 0) {
    if (rank > 0) {
      st = worker(&o);
    } else {
      sweep_plan *pl = NULL;
      double *costs = NULL;
      st = prepare(&o, &pl, &costs);
      sweep_mpi_share_status(st);
      if (st < 0) st = execute(&o, pl, costs, ranks);
      free(costs);
      sweep_plan_free(pl);
    }
  }
  sweep_grid_free(o.grid);
  sweep_goals_free(o.goals);
  free(o.sets);
  sweep_mpi_finalize();
  return st;
}
