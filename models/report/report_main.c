/* report_main: the command line of customs-report, which reads customs-sim result
 * files (results/README.md): one file prints its KPI summary and can export CSV and
 * PNG charts; two files compare a policy run against a baseline. main alone decides
 * what is printed and the exit status: 0 success, 1 an unreadable or invalid file
 * (or a failed write), 2 a usage error. */
#include "models/report/report.h"

#include <errno.h>
#include <getopt.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include "models/cli/cli.h"

enum { OPT_CSV = 256, OPT_PNG, OPT_BOM, OPT_SWEEP_X, OPT_SIG };

/* Under AddressSanitizer: fontconfig (loaded by PLplot's cairo driver) keeps its font
 * cache until exit by design; that is not our leak. Unused in normal builds. */
const char *__lsan_default_suppressions(void);
const char *__lsan_default_suppressions(void) { return "leak:libfontconfig.so\n"; }
const char *__lsan_default_options(void);
const char *__lsan_default_options(void) { return "print_suppressions=0"; }

typedef struct options {
  const char *csv, *png, *sweep_x;
  bool bom, quiet, only_significant;
  const char *files[2];
  int nfiles;
} options;

static void usage(FILE *out) {
  fputs(
      "usage: customs-report [OPTIONS] RESULT.h5 [POLICY.h5]\n"
      "\n"
      "With one file, prints its KPI summary: every figure per channel, station and staff\n"
      "pool as its mean over replications with a 95% confidence half-width.\n"
      "With two files, compares POLICY.h5 (B) against the baseline RESULT.h5 (A) figure by\n"
      "figure: B - A with its 95% confidence interval (paired over replications when both\n"
      "runs used the same seed and replications, else Welch), * marking significant ones.\n"
      "\n"
      "A drill's files (with /kpi/recovery) also get the recovery table, and two of them a\n"
      "scorecard per port: back to normal without the plan (A) and with it (B), and the RTO.\n"
      "\n"
      "  --csv DIR       write every table as DIR/<table>.csv (two files: DIR/compare_*.csv)\n"
      "  --png DIR       draw charts into DIR: backlog_<port>.png, queue_<station>.png,\n"
      "                  release_<channel>.png, utilization_stations.png, utilization_staff.png,\n"
      "                  sweep_<figure>.png; two files: one 1920x1080 slide per port,\n"
      "                  scorecard_<port>.png\n"
      "  --sweep-x COL   setting column of /sweep for the x axis (default: the first one)\n"
      "  --bom           begin CSV files with a UTF-8 byte-order mark (for Excel)\n"
      "  --significant   with two files: list only the significant differences\n"
      "  -q, --quiet     print nothing on standard output (with --csv or --png)\n"
      "  -h, --help      this text\n"
      "  -V, --version   program version\n"
      "\n"
      "Exit status: 0 success, 1 unreadable or invalid file, 2 usage error.\n",
      out);
}

/* 0 to go on, 1 when --help or --version was answered, -1 on a usage error. */
static int parse(int argc, char **argv, options *o) {
  static const struct option longs[] = {
      {"csv", required_argument, NULL, OPT_CSV},        {"png", required_argument, NULL, OPT_PNG},
      {"sweep-x", required_argument, NULL, OPT_SWEEP_X}, {"bom", no_argument, NULL, OPT_BOM},
      {"significant", no_argument, NULL, OPT_SIG},      {"quiet", no_argument, NULL, 'q'},
      {"help", no_argument, NULL, 'h'},                 {"version", no_argument, NULL, 'V'},
      {NULL, 0, NULL, 0}};
  memset(o, 0, sizeof *o);
  opterr = 0;
  for (int c; (c = getopt_long(argc, argv, "qhV", longs, NULL)) != -1;) {
    switch (c) {
    case OPT_CSV: o->csv = optarg; break;
    case OPT_PNG: o->png = optarg; break;
    case OPT_SWEEP_X: o->sweep_x = optarg; break;
    case OPT_BOM: o->bom = true; break;
    case OPT_SIG: o->only_significant = true; break;
    case 'q': o->quiet = true; break;
    case 'h': usage(stdout); return 1;
    case 'V': cli_version("customs-report"); return 1;
    default:
      if (optopt > 0 && optopt < 128)
        fprintf(stderr, "customs-report: unknown option -%c (see --help)\n", optopt);
      else
        fprintf(stderr, "customs-report: unknown option or missing value: %s (see --help)\n",
                argv[optind - 1]);
      return -1;
    }
  }
  o->nfiles = argc - optind;
  if (o->nfiles < 1 || o->nfiles > 2) {
    fprintf(stderr,
            "customs-report: give one result file, or a baseline and a policy file (see --help)\n");
    return -1;
  }
  o->files[0] = argv[optind];
  o->files[1] = o->nfiles == 2 ? argv[optind + 1] : NULL;
  return 0;
}

static int one_file(const options *o, report_file *f, sim_error *err) {
  int rc = o->quiet ? SIM_OK : report_print_summary(f, stdout, err);
  if (!rc && o->csv) rc = report_csv_all(f, o->csv, o->bom, err);
  if (!rc && o->png) rc = report_plot_all(f, o->png, o->sweep_x, err);
  char complete[16] = "0";
  report_attr_text(f, "complete", complete, sizeof complete);
  if (!rc && strcmp(complete, "1") != 0)
    fprintf(stderr,
            "customs-report: warning: %s: the run did not complete (attribute complete != 1)\n",
            report_path(f));
  return rc;
}

/* All the reading and writing; returns the exit status. */
static int run(const options *o) {
  report_quiet(); /* failures are reported as one line each */
  sim_error err = {0, ""};
  report_file *a = NULL, *b = NULL;
  int rc = report_open(&a, o->files[0], &err);
  if (!rc && o->nfiles == 2) rc = report_open(&b, o->files[1], &err);
  if (!rc && o->nfiles == 1) rc = one_file(o, a, &err);
  if (!rc && o->nfiles == 2) {
    report_compare_opts co = {o->only_significant, o->csv, o->png, o->bom, o->quiet};
    rc = report_compare(a, b, stdout, &co, &err);
  }
  report_close(a);
  report_close(b);
  if (fflush(stdout) != 0 && !rc)
    rc = sim_error_set(&err, SIM_EIO, "standard output: write failed");
  if (rc) fprintf(stderr, "customs-report: %s\n", err.msg);
  return rc ? 1 : 0;
}

/* The child's end, told in one line when a fault killed it. */
static int child_status(const options *o, int status) {
  if (WIFEXITED(status)) return WEXITSTATUS(status);
  int sig = WIFSIGNALED(status) ? WTERMSIG(status) : 0;
  if (sig == SIGPIPE) return 1; /* the reader of our output went away: nothing to say */
  if (sig != SIGSEGV && sig != SIGBUS && sig != SIGFPE && sig != SIGILL && sig != SIGABRT) {
    fprintf(stderr, "customs-report: stopped by %s\n", sig ? strsignal(sig) : "an unknown cause");
    return 1;
  }
  fprintf(
      stderr, "customs-report: %s%s%s: damaged file: reading it crashed the HDF5 library (%s)\n",
      o->files[0], o->nfiles == 2 ? " or " : "", o->nfiles == 2 ? o->files[1] : "", strsignal(sig));
  return 1;
}

/* HDF5 1.10 trusts the sizes it finds in a file (its global heap of strings, for one),
 * so a damaged file can crash the library. The work therefore runs in a child process,
 * and a crash there becomes a one-line error instead of a crash of this program. */
int main(int argc, char **argv) {
  cli_signals_init(); /* a signal ends the program (and the child doing the work) with 130 */
  options o;
  int p = parse(argc, argv, &o);
  if (p) return p > 0 ? 0 : 2;
  fflush(NULL);
  pid_t pid = fork();
  if (pid < 0) return run(&o); /* cannot fork: unguarded */
  if (pid == 0) {
    struct rlimit no_core = {0, 0};
    setrlimit(RLIMIT_CORE, &no_core);
    int rc = run(&o);
    fflush(NULL);
    _exit(rc);
  }
  cli_signals_child(pid);
  int status = 0;
  while (waitpid(pid, &status, 0) < 0)
    if (errno != EINTR) return 1;
  return child_status(&o, status);
}
