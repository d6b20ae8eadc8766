/* cli: what the four programs (customs-sim, customs-sweep, customs-report, customs-view)
 * share on their command line, so an option, a signal or a message means the same in
 * each: the common option values (--seed, --days), the version line, signals, the
 * default output path and the check that an output can be written, and the progress
 * display. This is program code: it prints (to stderr) and owns the signal state; the
 * library never prints and reports progress through a callback (exp_progress_fn).
 *
 * Signals (SIGINT, SIGTERM), by phase:
 *   CLI_PHASE_QUIT    (from cli_signals_init on: loading, checking, drawing) the program
 *                     ends at once with exit status 130;
 *   CLI_PHASE_FINISH  (a run that can stop cleanly) the first signal sets the flag the run
 *                     polls (it stops, keeps what it has, exits 130); a second one ends the
 *                     program at once, removing the partial result file if one was named;
 *   CLI_PHASE_HOLD    (writing results) the flag is set and the write goes on. */
#ifndef MODELS_CLI_CLI_H
#define MODELS_CLI_CLI_H

#include <signal.h>
#include <stdint.h>
#include <sys/types.h>

#include "sim/error.h"

#ifndef CUSTOMS_VERSION
#define CUSTOMS_VERSION "0.1.0"
#endif

#define CLI_EXIT_INTERRUPTED 130

/* ---- option values ---- */

/* A seed: a whole number in [0, 2^64), the whole string. 0 or -1. */
int cli_seed(const char *arg, uint64_t *out);
/* Measured days for --days: a number in (0, 3650]. 0 or -1. */
int cli_days(const char *arg, double *out);
/* Warm-up for --warmup: "auto" or a number in [0, 3650]. 0 or -1. */
int cli_warmup(const char *arg);
/* Prints "PROG VERSION" on stdout (the answer to -V, --version). */
void cli_version(const char *prog);

/* ---- signals ---- */

enum { CLI_PHASE_QUIT, CLI_PHASE_FINISH, CLI_PHASE_HOLD };

/* Installs the handler for SIGINT and SIGTERM (first thing in main), phase QUIT. */
void cli_signals_init(void);
void cli_signals_phase(int phase);
/* The flag a run polls: non-zero once a signal came in phase FINISH or HOLD. */
const volatile sig_atomic_t *cli_interrupted(void);
/* The partial file a hard stop removes (NULL: none). The string is copied. */
void cli_signals_partial(const char *path);
/* A child process that a signal to this one is passed on to (0: none). */
void cli_signals_child(pid_t pid);

/* ---- output files ---- */

/* "results/<name><suffix>.h5", the results folder created when missing. A name that
 * cannot be a file name (a '/', a control character, a leading '.') is refused: -o
 * then gives the path. The string is the caller's (free). NULL with err set. */
char *cli_default_out(const char *name, const char *suffix, sim_error *err);
/* Before a run: path must not be a directory, and its folder must exist and be
 * writable, so no run is lost at the end. *replaced tells whether a file is there
 * already (the run replaces it). 0, or SIM_EINVAL with the reason (errno text). */
int cli_output_check(const char *path, int *replaced, sim_error *err);

/* ---- progress ---- */

typedef struct cli_progress cli_progress;
/* A display on stderr when it is a terminal and the program is not quiet; NULL
 * otherwise (cli_progress_draw accepts NULL). `what` names the units ("replications"). */
cli_progress *cli_progress_new(int quiet, const char *what);
void cli_progress_free(cli_progress *p); /* clears the line */
/* An exp_progress_fn: share of the work done in [0, 1], done of total units finished.
 * Draws at most five times a second: a bar, the count and an estimate of the time left. */
void cli_progress_draw(void *p, double share, long done, long total);

#endif
