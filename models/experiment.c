/* experiment: a pool of threads that claim replications in order (see experiment.h). */
#include "models/experiment.h"

#include <errno.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "models/port.h"

typedef struct shared {
  const spec *sp;
  void **kstates; /* read-only kernel states shared by all replications, per station */
  void **first;   /* kstates plus the learning kernels' states made ahead for the first
                     replication (they change as it runs: that replication owns them) */
  const exp_opts *o;
  kpi_run *runs;
  atomic_int next, done, failed;
  atomic_int interrupted;
  int feed;      /* a core is spare: a helper draws each replication's streams ahead */
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

static void drop_first(shared *sh);

static int run_one(shared *sh, int i) {
  port *p = NULL;
  sim_error e = {0};
  uint32_t rep = sh->o->first_rep + (uint32_t)i;
  int rc = port_new_shared(&p, sh->sp, sh->o->seed, rep, i == 0 ? sh->first : sh->kstates,
                           sh->o->interrupt, &e);
  if (!rc && sh->feed) port_draw_ahead(p);
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
    int krc = port_kpis_final(p, &sh->runs[i], &e);
    if (krc) rc = krc;
    sh->runs[i].items = items;
    items = NULL;
  }
  if (items) fclose(items);
  port_free(p);
  /* the series spooled during the run come back once the port's memory is free */
  if (sh->runs[i].series_file && !sh->o->keep_spooled && kpi_run_load_series(&sh->runs[i]) &&
      (!rc || rc == SIM_EINTR))
    rc = sim_error_set(&e, SIM_EIO, "cannot read back the run's time series: %s",
                       strerror(errno ? errno : EIO));
  if (i == 0) drop_first(sh);
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

/* Kernel states are made before the replications start, on every core at once (the
 * costliest first): states that never change after creation once for the whole run
 * (calibrating a detection kernel costs seconds, a replication need not repeat it), and
 * the learning kernels' states for the first replication, which would otherwise train
 * one after another as it starts (the rest load what they stored in the cache). Each
 * state depends only on its settings and the seed, not on the thread that made it. */
typedef struct prep {
  shared *sh;
  int *st;        /* stations to make, costliest first */
  int n;
  atomic_int next, failed;
  pthread_mutex_t lock;
  sim_error *err;
} prep;

static int kernel_cost(const spec *sp, int st) { /* rough order: CT, X-ray, NQR, the rest */
  static const char *const order[] = {"ct", "xray", "nqr", "risk"};
  for (int k = 0; k < 4; k++)
    if (!strcmp(sp->st[st].kernel->name, order[k])) return k;
  return 4;
}

static void *prep_worker(void *arg) {
  prep *pr = arg;
  shared *sh = pr->sh;
  for (int k; !atomic_load(&pr->failed) && (k = atomic_fetch_add(&pr->next, 1)) < pr->n;) {
    int st = pr->st[k];
    sim_error e = {0};
    void *state = NULL;
    if (port_kernel_create(sh->sp, st, sh->o->seed, &state, &e)) {
      pthread_mutex_lock(&pr->lock);
      if (!atomic_load(&pr->failed)) *pr->err = e;
      atomic_store(&pr->failed, 1);
      pthread_mutex_unlock(&pr->lock);
      continue;
    }
    if (port_kernel_shareable(sh->sp, st)) sh->kstates[st] = state;
    sh->first[st] = state;
  }
  return NULL;
}

static int cpu_count(void) {
  long n = sysconf(_SC_NPROCESSORS_ONLN);
  return n < 1 ? 1 : n > 64 ? 64 : (int)n;
}

static int share_kernels(shared *sh, sim_error *err) {
  const spec *sp = sh->sp;
  size_t nst = sp->nst ? sp->nst : 1;
  sh->kstates = calloc(nst, sizeof *sh->kstates);
  sh->first = calloc(nst, sizeof *sh->first);
  prep pr = {.sh = sh, .st = calloc(nst, sizeof(int)), .err = err};
  if (!sh->kstates || !sh->first || !pr.st)
    return free(pr.st), sim_error_set(err, SIM_ENOMEM, "out of memory");
  for (size_t i = 0; i < sp->nst; i++) {
    if (!sp->st[i].kernel) continue;
    int shareable = port_kernel_shareable(sp, (int)i);
    if (shareable ? same_kernel_as(sp, i) < 0 : sp->st[i].kernel->learn != NULL)
      pr.st[pr.n++] = (int)i;
  }
  for (int a = 1; a < pr.n; a++) /* insertion sort by cost, stable */
    for (int b = a; b > 0 && kernel_cost(sp, pr.st[b]) < kernel_cost(sp, pr.st[b - 1]); b--) {
      int t = pr.st[b];
      pr.st[b] = pr.st[b - 1], pr.st[b - 1] = t;
    }
  atomic_init(&pr.next, 0);
  atomic_init(&pr.failed, 0);
  pthread_mutex_init(&pr.lock, NULL);
  int nt = sh->o->prep_threads > 0 ? sh->o->prep_threads : cpu_count(), started = 0;
  if (nt > pr.n) nt = pr.n;
  pthread_t *th = nt > 1 ? calloc((size_t)nt, sizeof *th) : NULL;
  for (int t = 1; th && t < nt; t++)
    if (!pthread_create(&th[started], NULL, prep_worker, &pr)) started++;
  prep_worker(&pr);
  for (int t = 0; t < started; t++) pthread_join(th[t], NULL);
  free(th);
  pthread_mutex_destroy(&pr.lock);
  free(pr.st);
  for (size_t i = 0; i < sp->nst; i++) { /* stations sharing another's state */
    if (!port_kernel_shareable(sp, (int)i) || sh->kstates[i]) continue;
    int same = same_kernel_as(sp, i);
    if (same >= 0) sh->kstates[i] = sh->first[i] = sh->kstates[same];
  }
  return atomic_load(&pr.failed) ? (err && err->code ? err->code : SIM_EINVAL) : 0;
}

/* The first replication's own states (those not shared) once it is done with them. */
static void drop_first(shared *sh) {
  for (size_t i = 0; sh->first && i < sh->sp->nst; i++)
    if (sh->first[i] && sh->first[i] != sh->kstates[i]) {
      port_kernel_destroy(sh->sp, (int)i, sh->first[i]);
      sh->first[i] = NULL;
    }
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
    kpi_roc *r = &k->roc[k->nroc];
    r->station = (int)i;
    r->n = kernel_roc(sp->st[i].kernel, sh->kstates[i], KPI_ROC_PTS, r->thr, r->pfa, r->pd,
                      &r->auc);
    if (r->n) k->nroc++;
  }
  return 0;
}

static void unshare_kernels(shared *sh) {
  drop_first(sh); /* the first replication never ran (or failed before its end) */
  for (size_t i = 0; sh->kstates && i < sh->sp->nst; i++)
    if (same_kernel_as(sh->sp, i) < 0) port_kernel_destroy(sh->sp, (int)i, sh->kstates[i]);
  free(sh->kstates);
  free(sh->first);
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
  long cores = sysconf(_SC_NPROCESSORS_ONLN);
  long outer = o->outer_threads > 1 ? o->outer_threads : 1;
  sh.feed = o->outer_threads >= 0 && (long)nt * outer < cores; /* a core to spare */
  pthread_t *th = calloc((size_t)nt, sizeof *th);
  int started = 0;
  for (int t = 1; th && t < nt; t++)
    if (!pthread_create(&th[t], NULL, worker, &sh)) th[started++] = th[t];
  worker(&sh); /* the calling thread works too */
  for (int t = 0; t < started; t++) pthread_join(th[t], NULL);
  free(th);
  pthread_mutex_destroy(&sh.lock);
  free(sh.share);
  int nomem = o->no_roc ? 0 : kernel_rocs(&sh);
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
