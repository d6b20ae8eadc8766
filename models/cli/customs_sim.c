/* customs-sim: runs a scenario and writes its results (README.md: Two commands).
 * Exit status: 0 success, 1 run failure (a run stopped by a limit keeps its partial
 * results, marked complete = 0), 2 usage or scenario error (an output that cannot be
 * written included, found before the run), 130 interrupted (partial results kept). */
#include <getopt.h>
#include <malloc.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "models/cli/cli.h"
#include "models/cli/kpi_table.h"
#include "models/cliarg.h"
#include "models/experiment.h"
#include "models/kernel.h"
#include "models/kpi_catalog.h"
#include "models/output.h"
#include "models/scenario/scenario.h"
#include "models/scenario/schema.h"
#include "models/scenario/spec.h"
#include "models/warmup.h"

typedef struct options {
  const char *out, *scenario;
  uint64_t seed;
  int reps, jobs, check, quiet, keys, kpis;
  double days;
  const char *warmup;   /* --warmup: days, "auto" or NULL */
  const char **sets;
  char *warm_set;        /* owned: the --set line of a numeric --warmup */
  int nsets;
} options;

static void usage(FILE *f) {
  fprintf(f,
          "usage: customs-sim [OPTIONS] [SCENARIO]   (default scenarios/default.cfg)\n"
          "  -o, --out FILE         result file (default results/<name>.h5)\n"
          "  -s, --seed N           random seed (default 1)\n"
          "  -r, --replications N   independent replications (default 1)\n"
          "  -j, --jobs N           threads for the replications (default 1); with fewer\n"
          "                         than the cores, a helper thread draws items, service\n"
          "                         and arrival times ahead\n"
          "                         (same results; CUSTOMS_FEED=0 turns it off)\n"
          "      --days X           measured days (overrides run.days)\n"
          "      --warmup X|auto    warm-up days (overrides run.warmup_days); auto: chosen by\n"
          "                         MSER-5 on the in-system series of a pilot replication\n"
          "      --set PATH=VALUE   override a scenario key (repeatable)\n"
          "      --check            validate the scenario and exit\n"
          "      --keys             print the scenario key reference (Markdown) and exit\n"
          "      --kpis             print the result columns reference (Markdown) and exit\n"
          "      --cache-dir DIR    kernel and model cache folder (default $CUSTOMS_CACHE_DIR,\n"
          "                         else $XDG_CACHE_HOME/customs-sim, else ~/.cache/customs-sim)\n"
          "  -q, --quiet            no KPI table, no progress bar\n"
          "  -h, --help             this help\n"
          "  -V, --version          program version\n"
          "exit status: 0 ok, 1 run failure, 2 usage or scenario error, 130 interrupted\n");
}

static const char *opt_name(int c) {
  switch (c) {
  case 's': return "--seed (a whole number >= 0)";
  case 'r': return "--replications (1 to 100000)";
  case 'j': return "--jobs (1 to 1024)";
  case 'D': return "--days (a number in (0, 3650])";
  case 'W': return "--warmup (a number in [0, 3650], or auto)";
  case 'C': return "--cache-dir (a folder)";
  default: return "?";
  }
}

/* Returns -1 to continue, else an exit status. */
static int parse_args(int argc, char **argv, options *o) {
  static const struct option lo[] = {
      {"out", required_argument, 0, 'o'},  {"seed", required_argument, 0, 's'},
      {"replications", required_argument, 0, 'r'}, {"jobs", required_argument, 0, 'j'},
      {"days", required_argument, 0, 'D'}, {"set", required_argument, 0, 'S'},
      {"warmup", required_argument, 0, 'W'},
      {"check", no_argument, 0, 'c'},      {"keys", no_argument, 0, 'K'},
      {"kpis", no_argument, 0, 'P'},
      {"quiet", no_argument, 0, 'q'},      {"help", no_argument, 0, 'h'},
      {"version", no_argument, 0, 'V'},    {"cache-dir", required_argument, 0, 'C'},
      {0, 0, 0, 0}};
  int c;
  long v;
  o->sets = calloc((size_t)argc, sizeof *o->sets);
  if (!o->sets) return fprintf(stderr, "customs-sim: out of memory\n"), 1;
  opterr = 0;
  while ((c = getopt_long(argc, argv, ":o:s:r:j:qhV", lo, NULL)) != -1) {
    switch (c) {
    case 'o': o->out = optarg; break;
    case 's':
      if (cli_seed(optarg, &o->seed)) goto bad_value;
      break;
    case 'r': if (cliarg_long(optarg, 1, 100000, &v)) goto bad_value; o->reps = (int)v; break;
    case 'j': if (cliarg_long(optarg, 1, 1024, &v)) goto bad_value; o->jobs = (int)v; break;
    case 'D':
      if (cli_days(optarg, &o->days)) goto bad_value;
      break;
    case 'S': o->sets[o->nsets++] = optarg; break;
    case 'W':
      if (cli_warmup(optarg)) goto bad_value;
      o->warmup = optarg;
      break;
    case 'C': /* the kernels find their cache folder there (models/kernels/kcache.h) */
      if (!*optarg || setenv("CUSTOMS_CACHE_DIR", optarg, 1)) goto bad_value;
      break;
    case 'c': o->check = 1; break;
    case 'K': o->keys = 1; break;
    case 'P': o->kpis = 1; break;
    case 'q': o->quiet = 1; break;
    case 'h': usage(stdout); return 0;
    case 'V': cli_version("customs-sim"); return 0;
    case ':': fprintf(stderr, "customs-sim: option %s needs a value\n", argv[optind - 1]); return 2;
    default:
      fprintf(stderr, "customs-sim: unknown option '%s' (see --help)\n", argv[optind - 1]);
      return 2;
    }
    continue;
  bad_value:
    fprintf(stderr, "customs-sim: bad value '%s' for option %s\n", optarg, opt_name(c));
    return 2;
  }
  if (optind < argc - 1) {
    fprintf(stderr, "customs-sim: one scenario at most (got '%s' and '%s')\n", argv[optind],
            argv[optind + 1]);
    return 2;
  }
  if (optind < argc) o->scenario = argv[optind];
  if (o->warmup && strcmp(o->warmup, "auto")) { /* a number: the same as --set run.warmup_days */
    size_t n = strlen(o->warmup) + 20;
    o->warm_set = malloc(n);
    if (!o->warm_set) return fprintf(stderr, "customs-sim: out of memory\n"), 1;
    snprintf(o->warm_set, n, "run.warmup_days=%s", o->warmup);
    o->sets[o->nsets++] = o->warm_set;
  }
  return -1;
}

/* The status for an error: 2 for bad input, 1 for the rest (out of memory included).
 * The code recorded with the message decides, so message and status always agree. */
static int exit_for(const sim_error *err, int rc) {
  int code = err->code ? err->code : rc;
  return code == SIM_EINVAL ? 2 : 1;
}

static int fail(int status, const sim_error *err) {
  fprintf(stderr, "customs-sim: %s\n", err->msg);
  return status;
}

/* Where the results go, checked before the run so a run is never lost at its end. */
static char *out_path(const options *o, const spec *sp, int *replaced, sim_error *err) {
  char *p = o->out ? strdup(o->out) : cli_default_out(sp->name, NULL, err);
  if (!p && o->out) sim_error_set(err, SIM_ENOMEM, "out of memory");
  if (p && cli_output_check(p, replaced, err)) {
    free(p);
    return NULL;
  }
  return p;
}

/* --warmup auto: MSER-5 on a pilot replication sets sp's warm-up; *how says so for the
 * file. Returns 0 or an exit status. */
static int choose_warmup(const options *o, spec *sp, char *how, size_t n) {
  sim_error err = {0};
  warmup_choice wc;
  int rc = warmup_auto(sp, o->seed, cli_interrupted(), &wc, &err);
  if (rc) {
    fprintf(stderr, "customs-sim: --warmup auto: %s\n", rc == SIM_EINTR ? "interrupted" : err.msg);
    return rc == SIM_EINTR ? CLI_EXIT_INTERRUPTED : 1;
  }
  snprintf(how, n, "MSER-5 on in_system, pilot replication of %.4g days%s", wc.pilot_days,
           wc.at_limit ? " (at its limit: the run may not settle)" : "");
  if (!o->quiet) printf("warm-up: %.4g days, chosen by %s\n", wc.days, how);
  if (wc.at_limit)
    fprintf(stderr, "customs-sim: warning: MSER-5 chose half the pilot run; the scenario may "
                    "not settle\n");
  return 0;
}

/* The replications, then the file: complete, or partial (interrupted, or stopped by a
 * limit) and marked complete = 0. Returns the exit status. */
static int run_and_write(const options *o, const scenario *sc, spec *sp, const char *outp,
                         int replaced) {
  sim_error err = {0}, stop = {0};
  kpi_run *runs = calloc((size_t)o->reps, sizeof *runs);
  if (!runs) return fprintf(stderr, "customs-sim: out of memory\n"), 1;
  int done = 0, status = 0;
  cli_signals_partial(outp);
  cli_signals_phase(CLI_PHASE_FINISH);
  const char *warm_how = NULL;
  char warm_text[160];
  if (o->warmup && !strcmp(o->warmup, "auto")) {
    int wrc = choose_warmup(o, sp, warm_text, sizeof warm_text);
    if (wrc) {
      free(runs);
      cli_signals_partial(NULL);
      return wrc;
    }
    warm_how = warm_text;
  }
  cli_progress *bar = cli_progress_new(o->quiet, "replications");
  exp_opts eo = {.seed = o->seed, .reps = o->reps, .jobs = o->jobs,
                 .interrupt = cli_interrupted(), .progress = bar ? cli_progress_draw : NULL,
                 .progress_ctx = bar, .keep_spooled = 1}; /* output_write reads them */
  int rc = experiment_run(sp, &eo, runs, &done, &stop);
  cli_progress_free(bar);
  cli_signals_phase(CLI_PHASE_HOLD);
  if (rc && rc != SIM_EINTR && rc != SIM_ERUN) {
    status = fail(exit_for(&stop, rc), &stop);
  } else {
    if (!o->quiet) kpi_table_print(stdout, sp, runs, o->reps);
    /* the run is over: HDF5's chunk and compression buffers may reuse heap memory */
    mallopt(M_MMAP_THRESHOLD, 32 * 1024 * 1024);
    mallopt(M_TRIM_THRESHOLD, 64 * 1024 * 1024);
    output_meta meta = {sc, sp, o->seed, 0, rc == 0, CUSTOMS_VERSION, warm_how};
    if (output_write(outp, &meta, runs, o->reps, &err)) {
      if (rc == SIM_ERUN) fprintf(stderr, "customs-sim: %s\n", stop.msg);
      status = fail(1, &err);
    } else {
      if (!o->quiet)
        printf("\nresults: %s%s%s\n", outp, replaced ? " (replaced)" : "",
               rc ? " (incomplete: complete = 0)" : "");
      if (rc == SIM_ERUN) {
        fprintf(stderr, "customs-sim: %s; partial results in %s\n", stop.msg, outp);
        status = 1;
      } else if (rc == SIM_EINTR) {
        fprintf(stderr, "customs-sim: interrupted; partial results in %s\n", outp);
        status = CLI_EXIT_INTERRUPTED;
      }
    }
  }
  cli_signals_partial(NULL);
  for (int i = 0; i < o->reps; i++) kpi_run_free(&runs[i]);
  free(runs);
  return status;
}

static int run(options *o) {
  sim_error err = {0};
  scenario *sc = NULL;
  spec *sp = NULL;
  int rc = scenario_load(&sc, o->scenario, o->sets, o->nsets, o->days, &err);
  if (!rc) rc = spec_build(&sp, sc, &err);
  int status = rc ? fail(exit_for(&err, rc), &err) : 0;
  if (!rc && o->check) {
    if (!o->quiet) printf("%s: ok (%zu channels, %zu stations)\n", o->scenario, sp->nch, sp->nst);
  } else if (!rc) {
    int replaced = 0;
    char *outp = out_path(o, sp, &replaced, &err);
    status =
        outp ? run_and_write(o, sc, sp, outp, replaced) : fail(exit_for(&err, SIM_EINVAL), &err);
    free(outp);
  }
  spec_free(sp);
  scenario_free(sc);
  return status;
}

/* The key reference: the scenario keys, then each kernel's parameters. */
static void print_keys(void) {
  printf("### Scenario keys\n\n");
  schema_print_markdown(stdout);
  for (const kernel_type *const *k = kernel_all(); *k; k++) {
    printf(
        "\n### Kernel `%s`: %s\n\n| kernel_params key | default | range | meaning "
        "|\n|---|---|---|---|\n",
        (*k)->name, (*k)->help);
    for (size_t i = 0; i < (*k)->nparams; i++) {
      const kernel_param *p = &(*k)->params[i];
      printf("| `%s` | %g | %g .. %g | %s |\n", p->name, p->def, p->min, p->max, p->help);
    }
  }
}

int main(int argc, char **argv) {
  cli_signals_init(); /* first: a signal while loading ends the program with 130 */
  /* Large blocks from mmap, always: freeing the cache payloads at start-up would otherwise
   * raise glibc's threshold, and the tables that grow during a run would leave resident
   * holes in the heap (peak memory of 7 days 64 -> 60 MB, 28 days 70 -> 65 MB). */
  mallopt(M_MMAP_THRESHOLD, 128 * 1024);
  options o = {.scenario = "scenarios/default.cfg", .seed = 1, .reps = 1, .jobs = 1};
  int st = parse_args(argc, argv, &o);
  if (st < 0 && o.keys) {
    print_keys();
    st = 0;
  }
  if (st < 0 && o.kpis) {
    kpi_catalog_markdown(stdout);
    st = 0;
  }
  if (st < 0) st = run(&o);
  free(o.sets);
  free(o.warm_set);
  return st;
}
