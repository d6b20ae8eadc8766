/* cli_signal: SIGINT and SIGTERM for the programs (see cli.h for the phases). The
 * handler only touches sig_atomic_t values and calls async-signal-safe functions
 * (write, unlink, kill, _exit). This is the program's own state, set up by main. */
#include "models/cli/cli.h"

#include <string.h>
#include <unistd.h>

static volatile sig_atomic_t flag, phase = CLI_PHASE_QUIT;
static volatile sig_atomic_t have_partial;
static volatile pid_t child;
static char partial[4096];

static void say(const char *s) {
  ssize_t r = write(STDERR_FILENO, s, strlen(s));
  (void)r;
}

static void on_signal(int sig) {
  (void)sig;
  if (child > 0) kill(child, SIGTERM);
  if (phase == CLI_PHASE_HOLD || (phase == CLI_PHASE_FINISH && !flag)) {
    if (phase == CLI_PHASE_FINISH)
      say("\nstopping: the results so far are kept (a second signal quits at once)\n");
    flag = 1;
    return;
  }
  if (have_partial) unlink(partial);
  _exit(CLI_EXIT_INTERRUPTED);
}

void cli_signals_init(void) {
  struct sigaction sa;
  memset(&sa, 0, sizeof sa);
  sa.sa_handler = on_signal;
  sigemptyset(&sa.sa_mask);
  sigaction(SIGINT, &sa, NULL);
  sigaction(SIGTERM, &sa, NULL);
}

/* An executable's preinit functions run before the shared libraries initialise (HDF5's
 * dependencies take tens of milliseconds): so a signal in the first milliseconds of a
 * program already finds the handler, not the default action. */
static void early(void) { cli_signals_init(); }
__attribute__((section(".preinit_array"), used)) static void (*const preinit)(void) = early;

void cli_signals_phase(int p) { phase = p; }
const volatile sig_atomic_t *cli_interrupted(void) { return &flag; }

void cli_signals_partial(const char *path) {
  have_partial = 0;
  if (!path || strlen(path) + sizeof ".partial" > sizeof partial) return;
  strcpy(partial, path);
  strcat(partial, ".partial");
  have_partial = 1;
}

void cli_signals_child(pid_t pid) { child = pid; }
