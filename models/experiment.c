/* experiment: a pool of threads that claim replications in order (see experiment.h). */
#include "models/experiment.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "models/kernels/surrogate.h"
#include "models/port.h"

typedef struct shared {
  const spec *sp;
  void **kstates; /* read-only kernel states shared by all replications, per station */
  const exp_opts *o;
  kpi_run *runs;
  atomic_int next, done, failed;
  atomic_int interrupted;
  double *share; /* per replication, for the progress bar */
  pthread_mutex_t lock;
  double last_draw;
  sim_error err;
} shared;

typedef struct prog_ctx {
  shared *sh;
  int rep;
} prog_ctx;

static double now_s(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

static void on_progress(void *ctx, double share) {
  prog_ctx *pc = ctx;
  shared *sh = pc->sh;
  pthread_mutex_lock(&sh->lock);
  sh->share[pc->rep] = share;
  double t = now_s();
  if (t - sh->last_draw > 0.2) {
    sh->last_draw = t;
    double sum = 0;
    for (int i = 0; i < sh->o->reps; i++) sum += sh->share[i];
    double f = sum / sh->o->reps;
    int w = 40, fill = (int)(f * w);
    fprintf(stderr, "\r[%.*s%*s] %5.1f%%", fill, "########################################",
            w - fill, "", 100 * f);
    fflush(stderr);
  }
  pthread_mutex_unlock(&sh->lock);
}

static int run_one(shared *sh, int i) {
  port *p = NULL;
  sim_error e = {0};
  uint32_t rep = sh->o->first_rep + (uint32_t)i;
  int rc = port_new_shared(&p, sh->sp, sh->o->seed, rep, sh->kstates, sh->o->interrupt, &e);
  FILE *items = NULL;
  if (!rc && sh->sp->items_log) { /* spooled to disk as the run goes: memory stays flat */
    items = tmpfile();
    if (!items) rc = sim_error_set(&e, SIM_EIO, "cannot create a temporary file for the item log");
    else port_log_items(p, items);
  }
  prog_ctx pc = {sh, i};
  if (!rc) rc = port_run(p, sh->o->interrupt, sh->o->progress ? on_progress : NULL, &pc, &e);
  if (rc == SIM_EINTR) atomic_store(&sh->interrupted, 1);
  if (p && (rc == 0 || rc == SIM_EINTR)) {
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
  if (!rc) atomic_fetch_add(&sh->done, 1);
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

/* ROC curves of the shared (surrogate) kernel states, kept with the first replication. */
static void kernel_rocs(shared *sh) {
  const spec *sp = sh->sp;
  kpi_run *k = &sh->runs[0];
  if (!k->ch) return;
  k->roc = calloc(sp->nst ? sp->nst : 1, sizeof *k->roc);
  for (size_t i = 0; k->roc && i < sp->nst; i++) {
    const kernel_type *t = sp->st[i].kernel;
    const surrogate *tab = sh->kstates[i] && t && t->table ? t->table(sh->kstates[i]) : NULL;
    if (!tab) continue;
    kpi_roc *r = &k->roc[k->nroc];
    r->station = (int)i;
    r->n = surrogate_roc(tab, -1, -1, KPI_ROC_PTS, r->thr, r->pfa, r->pd);
    r->auc = surrogate_auc(tab, -1, -1);
    if (r->n) k->nroc++;
  }
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
  if (o->progress) fprintf(stderr, "\r%60s\r", "");
  pthread_mutex_destroy(&sh.lock);
  free(sh.share);
  kernel_rocs(&sh);
  unshare_kernels(&sh);
  *done = atomic_load(&sh.done);
  if (atomic_load(&sh.failed)) {
    if (err) *err = sh.err;
    return sh.err.code ? sh.err.code : SIM_ERUN;
  }
  return atomic_load(&sh.interrupted) ? SIM_EINTR : 0;
}
