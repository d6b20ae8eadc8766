/* customs-sim: runs a scenario and writes its results (DESIGN.md: Programs).
 * Exit status: 0 success, 1 run failure, 2 usage or scenario error, 130 interrupted
 * (the partial results are kept, marked complete = 0). */
#include <errno.h>
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "models/cliarg.h"
#include "models/cli/kpi_table.h"
#include "models/experiment.h"
#include "models/kernel.h"
#include "models/output.h"
#include "models/scenario.h"
#include "models/schema.h"
#include "models/spec.h"

#ifndef CUSTOMS_VERSION
#define CUSTOMS_VERSION "0.1.0"
#endif

static volatile sig_atomic_t interrupted;

static void on_signal(int sig) {
  (void)sig;
  interrupted = 1;
}

typedef struct options {
  const char *out, *scenario;
  unsigned long long seed;
  int reps, jobs, check, quiet, keys;
  double days;
  const char **sets;
  int nsets;
} options;

static void usage(FILE *f) {
  fprintf(f,
          "usage: customs-sim [OPTIONS] [SCENARIO]   (default scenarios/default.cfg)\n"
          "  -o, --out FILE         result file (default results/<name>.h5)\n"
          "  -s, --seed N           random seed (default 1)\n"
          "  -r, --replications N   independent replications (default 1)\n"
          "  -j, --jobs N           threads for the replications (default 1)\n"
          "      --days X           measured days (overrides run.days)\n"
          "      --set PATH=VALUE   override a scenario key (repeatable)\n"
          "      --check            validate the scenario and exit\n"
          "      --keys             print the scenario key reference (Markdown) and exit\n"
          "      --cache-dir DIR    kernel and model cache folder (default $CUSTOMS_CACHE_DIR,\n"
          "                         else $XDG_CACHE_HOME/customs-sim, else ~/.cache/customs-sim)\n"
          "  -q, --quiet            no KPI table, no progress bar\n"
          "  -h, --help             this help\n"
          "  -V, --version          program version\n"
          "exit status: 0 ok, 1 run failure, 2 usage or scenario error, 130 interrupted\n");
}

static const char *opt_name(int c) {
  switch (c) {
  case 's': return "--seed";
  case 'r': return "--replications (1 to 100000)";
  case 'j': return "--jobs (1 to 1024)";
  case 'D': return "--days (a number > 0)";
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
      {"check", no_argument, 0, 'c'},      {"keys", no_argument, 0, 'K'},
      {"quiet", no_argument, 0, 'q'},      {"help", no_argument, 0, 'h'},
      {"version", no_argument, 0, 'V'},    {"cache-dir", required_argument, 0, 'C'},
      {0, 0, 0, 0}};
  int c;
  long v;
  o->sets = calloc((size_t)argc, sizeof *o->sets);
  if (!o->sets) return 1;
  opterr = 0;
  while ((c = getopt_long(argc, argv, ":o:s:r:j:qhV", lo, NULL)) != -1) {
    char *end;
    switch (c) {
    case 'o': o->out = optarg; break;
    case 's':
      errno = 0;
      o->seed = strtoull(optarg, &end, 10);
      if (!*optarg || *end || errno || optarg[0] == '-') goto bad_value;
      break;
    case 'r': if (cliarg_long(optarg, 1, 100000, &v)) goto bad_value; o->reps = (int)v; break;
    case 'j': if (cliarg_long(optarg, 1, 1024, &v)) goto bad_value; o->jobs = (int)v; break;
    case 'D':
      errno = 0;
      o->days = strtod(optarg, &end);
      if (!*optarg || *end || errno || !(o->days > 0)) goto bad_value;
      break;
    case 'S': o->sets[o->nsets++] = optarg; break;
    case 'C': /* the kernels find their cache folder there (models/kernels/kcache.h) */
      if (!*optarg || setenv("CUSTOMS_CACHE_DIR", optarg, 1)) goto bad_value;
      break;
    case 'c': o->check = 1; break;
    case 'K': o->keys = 1; break;
    case 'q': o->quiet = 1; break;
    case 'h': usage(stdout); return 0;
    case 'V': printf("customs-sim %s\n", CUSTOMS_VERSION); return 0;
    case ':': fprintf(stderr, "customs-sim: option %s needs a value\n", argv[optind - 1]); return 2;
    default: fprintf(stderr, "customs-sim: unknown option '%s' (see --help)\n", argv[optind - 1]); return 2;
    }
    continue;
  bad_value:
    fprintf(stderr, "customs-sim: bad value '%s' for option %s\n", optarg, opt_name(c));
    return 2;
  }
  if (optind < argc - 1) {
    fprintf(stderr, "customs-sim: one scenario at most (got '%s' and '%s')\n", argv[optind], argv[optind + 1]);
    return 2;
  }
  if (optind < argc) o->scenario = argv[optind];
  return -1;
}

static int exit_for(int code) { return code == SIM_EINVAL ? 2 : 1; }

static char *default_out(const char *name) {
  mkdir("results", 0777);
  size_t n = strlen(name) + 16;
  char *p = malloc(n);
  if (p) snprintf(p, n, "results/%s.h5", name);
  return p;
}

static int run(options *o) {
  sim_error err = {0};
  scenario *sc = NULL;
  spec *sp = NULL;
  int rc = scenario_load(&sc, o->scenario, o->sets, o->nsets, o->days, &err);
  if (!rc) rc = spec_build(&sp, sc, &err);
  if (rc) {
    fprintf(stderr, "customs-sim: %s\n", err.msg);
    scenario_free(sc);
    return exit_for(rc);
  }
  if (o->check) {
    if (!o->quiet) printf("%s: ok (%zu channels, %zu stations)\n", o->scenario, sp->nch, sp->nst);
    spec_free(sp);
    scenario_free(sc);
    return 0;
  }
  char *outp = o->out ? strdup(o->out) : default_out(sp->name);
  kpi_run *runs = calloc((size_t)o->reps, sizeof *runs);
  int status = 0, done = 0;
  if (!outp || !runs) {
    fprintf(stderr, "customs-sim: out of memory\n");
    status = 1;
    goto out;
  }
  exp_opts eo = {o->seed, o->reps, o->jobs, 0, &interrupted, !o->quiet && isatty(2), 0, 0};
  rc = experiment_run(sp, &eo, runs, &done, &err);
  if (rc && rc != SIM_EINTR) {
    fprintf(stderr, "customs-sim: %s\n", err.msg);
    status = 1;
    goto out;
  }
  if (!o->quiet) kpi_table_print(stdout, sp, runs, o->reps);
  output_meta meta = {sc, sp, o->seed, 0, rc == 0, CUSTOMS_VERSION};
  if (output_write(outp, &meta, runs, o->reps, &err)) {
    fprintf(stderr, "customs-sim: %s\n", err.msg);
    status = 1;
    goto out;
  }
  if (!o->quiet) printf("\nresults: %s%s\n", outp, rc == SIM_EINTR ? " (interrupted: complete = 0)" : "");
  if (rc == SIM_EINTR) {
    fprintf(stderr, "customs-sim: interrupted; partial results in %s\n", outp);
    status = 130;
  }
out:
  for (int i = 0; runs && i < o->reps; i++) kpi_run_free(&runs[i]);
  free(runs);
  free(outp);
  spec_free(sp);
  scenario_free(sc);
  return status;
}

/* The key reference: the scenario keys, then each kernel's parameters. */
static void print_keys(void) {
  printf("### Scenario keys\n\n");
  schema_print_markdown(stdout);
  for (const kernel_type *const *k = kernel_all(); *k; k++) {
    printf("\n### Kernel `%s`: %s\n\n| kernel_params key | default | range | meaning |\n|---|---|---|---|\n",
           (*k)->name, (*k)->help);
    for (size_t i = 0; i < (*k)->nparams; i++) {
      const kernel_param *p = &(*k)->params[i];
      printf("| `%s` | %g | %g .. %g | %s |\n", p->name, p->def, p->min, p->max, p->help);
    }
  }
}

int main(int argc, char **argv) {
  options o = {NULL, "scenarios/default.cfg", 1, 1, 1, 0, 0, 0, 0, NULL, 0};
  int st = parse_args(argc, argv, &o);
  if (st < 0 && o.keys) {
    print_keys();
    st = 0;
  }
  if (st < 0) {
    struct sigaction sa = {0};
    sa.sa_handler = on_signal;
    sigaction(SIGINT, &sa, NULL);
    sigaction(SIGTERM, &sa, NULL);
    st = run(&o);
  }
  free(o.sets);
  return st;
}
