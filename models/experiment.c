/* experiment: a pool of threads that claim replications in order (see experiment.h). */
#include "models/experiment.h"

#include <errno.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "models/kernels/surrogate.h"
#include "models/port.h"

typedef struct shared {
  const spec *sp;
  void **kstates; /* read-only kernel states shared by all replications, per station */
  const exp_opts *o;
  kpi_run *runs;
  atomic_int next, done, failed;
  atomic_int interrupted;
  double *share; /* per replication, for progress reports */
  pthread_mutex_t lock;
  sim_error err;
} shared;

typedef struct prog_ctx {
  shared *sh;
  int rep;
} prog_ctx;

static void report(shared *sh) {
  double sum = 0;
  for (int i = 0; i < sh->o->reps; i++) sum += sh->share[i];
  sh->o->progress(sh->o->progress_ctx, sum / sh->o->reps, atomic_load(&sh->done), sh->o->reps);
}

static void on_progress(void *ctx, double share) {
  prog_ctx *pc = ctx;
  shared *sh = pc->sh;
  pthread_mutex_lock(&sh->lock);
  sh->share[pc->rep] = share;
  report(sh);
  pthread_mutex_unlock(&sh->lock);
}

/* ---- the item log's spool: a temporary file with a size limit ---- */

typedef struct spool {
  FILE *f; /* the temporary file underneath */
  double bytes, max;
  int over, err; /* the limit was passed; errno of a failed write */
  sim *s;        /* failed at once when a write is refused (NULL once the run is over) */
} spool;

static ssize_t spool_write(void *c, const char *buf, size_t n) {
  spool *sp = c;
  if (sp->bytes + (double)n > sp->max)
    sp->over = 1;
  else if (fwrite(buf, 1, n, sp->f) == n)
    return sp->bytes += (double)n, (ssize_t)n;
  else if (!sp->err)
    sp->err = errno ? errno : EIO;
  if (sp->s) sim_fail(sp->s, SIM_EIO); /* no point in running on: the log is lost */
  errno = sp->over ? EFBIG : sp->err;
  return -1;
}

static ssize_t spool_read(void *c, char *buf, size_t n) {
  spool *sp = c;
  size_t got = fread(buf, 1, n, sp->f);
  return got || !ferror(sp->f) ? (ssize_t)got : -1;
}

static int spool_seek(void *c, off64_t *off, int whence) {
  spool *sp = c;
  if (fseeko(sp->f, (off_t)*off, whence) != 0) return -1;
  *off = (off64_t)ftello(sp->f);
  return 0;
}

static int spool_close(void *c) {
  spool *sp = c;
  int rc = fclose(sp->f);
  free(sp);
  return rc;
}

/* A read-write stream over a temporary file that refuses writes past max bytes. */
static FILE *spool_open(double max, sim *s, spool **state) {
  spool *sp = calloc(1, sizeof *sp);
  if (!sp || !(sp->f = tmpfile())) {
    free(sp);
    return NULL;
  }
  sp->max = max;
  sp->s = s;
  cookie_io_functions_t io = {spool_read, spool_write, spool_seek, spool_close};
  FILE *f = fopencookie(sp, "w+", io);
  if (!f) spool_close(sp);
  *state = f ? sp : NULL;
  return f;
}

/* After the run: everything written out, and a refused write becomes the run's error. */
static int spool_end(spool *sp, FILE *f, int rc, double max_mb, sim_error *e) {
  if (fflush(f) != 0 && !sp->over && !sp->err) sp->err = errno ? errno : EIO;
  sp->s = NULL;
  if (sp->over)
    return sim_error_set(
        e, SIM_ERUN,
        "the item log passed output.items_max_mb = %.0f MB: the run was "
        "stopped; raise it with --set output.items_max_mb=N, or set output.items = false",
        max_mb);
  if (sp->err)
    return sim_error_set(e, SIM_EIO, "cannot write the item log to a temporary file: %s",
                         strerror(sp->err));
  return rc;
}

static int run_one(shared *sh, int i) {
  port *p = NULL;
  sim_error e = {0};
  uint32_t rep = sh->o->first_rep + (uint32_t)i;
  int rc = port_new_shared(&p, sh->sp, sh->o->seed, rep, sh->kstates, sh->o->interrupt, &e);
  FILE *items = NULL;
  spool *log = NULL;
  if (!rc && sh->sp->items_log) { /* spooled to disk as the run goes: memory stays flat */
    items = spool_open(sh->sp->items_log_max_bytes, port_sim(p), &log);
    if (!items)
      rc = sim_error_set(&e, SIM_EIO, "cannot create a temporary file for the item log: %s",
                         strerror(errno));
    else port_log_items(p, items);
  }
  prog_ctx pc = {sh, i};
  if (!rc) rc = port_run(p, sh->o->interrupt, sh->o->progress ? on_progress : NULL, &pc, &e);
  if (log) rc = spool_end(log, items, rc, sh->sp->items_log_max_bytes / 1048576.0, &e);
  if (rc == SIM_EINTR) atomic_store(&sh->interrupted, 1);
  if (p && (rc == 0 || rc == SIM_EINTR || rc == SIM_ERUN)) { /* a limit keeps the figures so far */
    int krc = port_kpis(p, &sh->runs[i], &e);
    if (krc) rc = krc;
    sh->runs[i].items = items;
    items = NULL;
  }
  if (items) fclose(items);
  port_free(p);
  if (rc && rc != SIM_EINTR) {
    pthread_mutex_lock(&sh->lock);
    if (!atomic_load(&sh->failed)) sh->err = e;
    atomic_store(&sh->failed, 1);
    pthread_mutex_unlock(&sh->lock);
  }
  if (!rc) {
    atomic_fetch_add(&sh->done, 1);
    if (sh->o->progress) {
      pthread_mutex_lock(&sh->lock);
      sh->share[i] = 1;
      report(sh);
      pthread_mutex_unlock(&sh->lock);
    }
  }
  return rc;
}

static void *worker(void *arg) {
  shared *sh = arg;
  for (;;) {
    if (atomic_load(&sh->failed) || atomic_load(&sh->interrupted)) break;
    int i = atomic_fetch_add(&sh->next, 1);
    if (i >= sh->o->reps) break;
    run_one(sh, i);
  }
  return NULL;
}

/* An earlier shareable station whose kernel and parameters equal station i's, or -1. */
static int same_kernel_as(const spec *sp, size_t i) {
  const spec_station *a = &sp->st[i];
  for (size_t j = 0; j < i; j++) {
    const spec_station *b = &sp->st[j];
    if (b->kernel == a->kernel && port_kernel_shareable(sp, (int)j) &&
        !memcmp(a->kparams, b->kparams, sizeof a->kparams))
      return (int)j;
  }
  return -1;
}

/* Kernel states that never change after creation are made once for the whole run:
 * calibrating a detection kernel costs seconds, a replication need not repeat it. */
static int share_kernels(shared *sh, sim_error *err) {
  const spec *sp = sh->sp;
  sh->kstates = calloc(sp->nst ? sp->nst : 1, sizeof *sh->kstates);
  if (!sh->kstates) return sim_error_set(err, SIM_ENOMEM, "out of memory");
  for (size_t i = 0; i < sp->nst; i++) {
    if (!port_kernel_shareable(sp, (int)i)) continue;
    int same = same_kernel_as(sp, i);
    if (same >= 0)
      sh->kstates[i] = sh->kstates[same]; /* two stations with the same kernel and settings */
    else if (port_kernel_create(sp, (int)i, sh->o->seed, &sh->kstates[i], err))
      return SIM_EINVAL;
  }
  return 0;
}

/* ROC curves of the shared (surrogate) kernel states, kept with the first replication.
 * -1 when out of memory (a file without its curves would look complete). */
static int kernel_rocs(shared *sh) {
  const spec *sp = sh->sp;
  kpi_run *k = &sh->runs[0];
  if (!k->ch) return 0;
  k->roc = calloc(sp->nst ? sp->nst : 1, sizeof *k->roc);
  if (!k->roc) return -1;
  for (size_t i = 0; i < sp->nst; i++) {
    const kernel_type *t = sp->st[i].kernel;
    const surrogate *tab = sh->kstates[i] && t && t->table ? t->table(sh->kstates[i]) : NULL;
    if (!tab) continue;
    kpi_roc *r = &k->roc[k->nroc];
    r->station = (int)i;
    r->n = surrogate_roc(tab, -1, -1, KPI_ROC_PTS, r->thr, r->pfa, r->pd);
    r->auc = surrogate_auc(tab, -1, -1);
    if (r->n) k->nroc++;
  }
  return 0;
}

static void unshare_kernels(shared *sh) {
  for (size_t i = 0; sh->kstates && i < sh->sp->nst; i++)
    if (same_kernel_as(sh->sp, i) < 0) port_kernel_destroy(sh->sp, (int)i, sh->kstates[i]);
  free(sh->kstates);
}

int experiment_run(const spec *sp, const exp_opts *o, kpi_run *runs, int *done, sim_error *err) {
  shared sh = {.sp = sp, .o = o, .runs = runs};
  if (share_kernels(&sh, err)) {
    unshare_kernels(&sh);
    return err ? err->code : SIM_EINVAL;
  }
  atomic_init(&sh.next, 0);
  atomic_init(&sh.done, 0);
  atomic_init(&sh.failed, 0);
  atomic_init(&sh.interrupted, 0);
  sh.share = calloc((size_t)o->reps, sizeof *sh.share);
  if (!sh.share) {
    unshare_kernels(&sh);
    return sim_error_set(err, SIM_ENOMEM, "out of memory");
  }
  pthread_mutex_init(&sh.lock, NULL);
  int nt = o->jobs < 1 ? 1 : o->jobs;
  if (nt > o->reps) nt = o->reps;
  pthread_t *th = calloc((size_t)nt, sizeof *th);
  int started = 0;
  for (int t = 1; th && t < nt; t++)
    if (!pthread_create(&th[t], NULL, worker, &sh)) th[started++] = th[t];
  worker(&sh); /* the calling thread works too */
  for (int t = 0; t < started; t++) pthread_join(th[t], NULL);
  free(th);
  pthread_mutex_destroy(&sh.lock);
  free(sh.share);
  int nomem = kernel_rocs(&sh);
  unshare_kernels(&sh);
  *done = atomic_load(&sh.done);
  if (nomem && !atomic_load(&sh.failed))
    return sim_error_set(err, SIM_ENOMEM, "out of memory keeping the ROC curves");
  if (atomic_load(&sh.failed)) {
    if (err) *err = sh.err;
    return sh.err.code ? sh.err.code : SIM_ERUN;
  }
  return atomic_load(&sh.interrupted) ? SIM_EINTR : 0;
}
