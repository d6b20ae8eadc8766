/* cli_progress: the progress line on stderr (see cli.h): a bar, how many units are done
 * and an estimate of the time left from the pace so far. */
#include "models/cli/cli.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

struct cli_progress {
  const char *what;
  double t0, last;
  pthread_mutex_t lock;
};

static double now_s(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

cli_progress *cli_progress_new(int quiet, const char *what) {
  if (quiet || !isatty(STDERR_FILENO)) return NULL;
  cli_progress *p = calloc(1, sizeof *p);
  if (!p) return NULL;
  p->what = what;
  p->t0 = now_s();
  pthread_mutex_init(&p->lock, NULL);
  return p;
}

void cli_progress_free(cli_progress *p) {
  if (!p) return;
  fprintf(stderr, "\r%79s\r", "");
  fflush(stderr);
  pthread_mutex_destroy(&p->lock);
  free(p);
}

/* "1 h 05 min", "3 min 20 s", "12 s" */
static void duration(char *buf, size_t n, double s) {
  long t = (long)(s + 0.5);
  if (t >= 3600)
    snprintf(buf, n, "%ld h %02ld min", t / 3600, t / 60 % 60);
  else if (t >= 60)
    snprintf(buf, n, "%ld min %02ld s", t / 60, t % 60);
  else
    snprintf(buf, n, "%ld s", t);
}

void cli_progress_draw(void *ctx, double share, long done, long total) {
  cli_progress *p = ctx;
  if (!p) return;
  pthread_mutex_lock(&p->lock);
  double t = now_s();
  if (t - p->last >= 0.2) {
    p->last = t;
    double f = share < 0 ? 0 : share > 1 ? 1 : share, el = t - p->t0;
    int w = 30, fill = (int)(f * w);
    char left[32] = "";
    if (f > 0.01 && el > 1) {
      char d[24];
      duration(d, sizeof d, el * (1 - f) / f);
      snprintf(left, sizeof left, ", about %s left", d);
    }
    fprintf(stderr, "\r[%.*s%*s] %5.1f%%  %ld/%ld %s done%s   ", fill,
            "##############################", w - fill, "", 100 * f, done, total, p->what, left);
    fflush(stderr);
  }
  pthread_mutex_unlock(&p->lock);
}
