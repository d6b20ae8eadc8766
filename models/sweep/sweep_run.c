/* sweep_run: (variant, replication) tasks run on threads (see sweep.h). Each task is one
 * experiment_run with reps = 1 and first_rep = the replication, so replication k of
 * every variant uses the streams of (seed, k) (common random numbers) and the figures
 * do not depend on which thread, or which MPI rank, ran the task. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "models/experiment.h"
#include "models/sweep/sweep.h"

/* ---- the cache of loaded variants ------------------------------------------------- */

typedef struct slot {
  long variant; /* -1: empty */
  int refs;
  unsigned long used;
  scenario *sc;
  spec *sp;
} slot;

struct sweep_cache {
  const sweep_plan *pl;
  int threads; /* tasks run at once on this machine (-1: unknown, as on MPI ranks) */
  pthread_mutex_t lock;
  slot *s;
  int n;
  unsigned long tick;
};

int sweep_cache_new(sweep_cache **out, const sweep_plan *pl, int slots, sim_error *err) {
  sweep_cache *c = calloc(1, sizeof *c);
  if (c) c->s = calloc((size_t)slots, sizeof *c->s);
  if (!c || !c->s) {
    free(c);
    return sim_error_set(err, SIM_ENOMEM, "out of memory");
  }
  c->pl = pl;
  c->threads = -1;
  c->n = slots;
  for (int i = 0; i < slots; i++) c->s[i].variant = -1;
  pthread_mutex_init(&c->lock, NULL);
  *out = c;
  return 0;
}

void sweep_cache_free(sweep_cache *c) {
  if (!c) return;
  for (int i = 0; i < c->n; i++) {
    spec_free(c->s[i].sp);
    scenario_free(c->s[i].sc);
  }
  pthread_mutex_destroy(&c->lock);
  free(c->s);
  free(c);
}

/* The spec of variant v, loaded if needed (under the lock: loading is quick). */
static int cache_get(sweep_cache *c, long v, const spec **sp, sim_error *err) {
  pthread_mutex_lock(&c->lock);
  slot *pick = NULL;
  for (int i = 0; i < c->n && !pick; i++)
    if (c->s[i].variant == v) pick = &c->s[i];
  if (!pick) {
    for (int i = 0; i < c->n; i++) { /* an empty slot, else the least recently used idle one */
      slot *s = &c->s[i];
      if (s->refs == 0 && (!pick || s->variant < 0 || (pick->variant >= 0 && s->used < pick->used)))
        pick = s;
    }
    int rc =
        pick ? 0 : sim_error_set(err, SIM_ERUN, "internal error: no free slot for variant %ld", v);
    if (pick) {
      spec_free(pick->sp);
      scenario_free(pick->sc);
      *pick = (slot){-1, 0, 0, NULL, NULL};
      rc = sweep_variant_load(c->pl, (size_t)v, &pick->sc, &pick->sp, err);
      if (!rc && sweep_nval(pick->sp) != c->pl->nval)
        rc = sim_error_set(err, SIM_ERUN, "its port differs from variant 0's");
      if (!rc) pick->variant = v;
    }
    if (rc) {
      pthread_mutex_unlock(&c->lock);
      return rc;
    }
  }
  pick->refs++;
  pick->used = ++c->tick;
  *sp = pick->sp;
  pthread_mutex_unlock(&c->lock);
  return 0;
}

static void cache_put(sweep_cache *c, long v) {
  pthread_mutex_lock(&c->lock);
  for (int i = 0; i < c->n; i++)
    if (c->s[i].variant == v && c->s[i].refs > 0) c->s[i].refs--;
  pthread_mutex_unlock(&c->lock);
}

int sweep_run_one(sweep_cache *c, sweep_task t, const volatile sig_atomic_t *interrupt, double *out,
                  sim_error *err) {
  const spec *sp = NULL;
  int rc = cache_get(c, t.variant, &sp, err);
  if (rc) return rc;
  kpi_run run = {0};
  int done = 0;
  /* tasks already run on every thread: kernel states are made on this one; the sweep
   * keeps no ROC curves */
  exp_opts o = {.seed = c->pl->seed, .reps = 1, .jobs = 1, .first_rep = (uint32_t)t.rep,
                .interrupt = interrupt, .prep_threads = 1, .no_roc = 1,
                .outer_threads = c->threads};
  rc = experiment_run(sp, &o, &run, &done, err);
  if (!rc && done == 1 && run.ch) sweep_flatten(sp, &run, out);
  else if (!rc) rc = sim_error_set(err, SIM_ERUN, "the replication produced no figures");
  kpi_run_free(&run);
  cache_put(c, t.variant);
  return rc;
}

/* ---- batches ------------------------------------------------------------------ */

long sweep_batch_claim(sweep_batch *b) {
  const volatile sig_atomic_t *in = b->x->interrupt;
  if (atomic_load(&b->stop) || (in && *in)) return -1;
  size_t i = atomic_fetch_add(&b->next, 1);
  return i < b->n ? (long)i : -1;
}

void sweep_batch_finish(sweep_batch *b, size_t i, int rc, const sim_error *e, int rank) {
  sweep_task t = b->tasks[i];
  pthread_mutex_lock(&b->lock);
  if (!rc) {
    b->x->store->have[t.variant][t.rep] = 1;
  } else if (rc == SIM_EINTR) {
    if (!atomic_load(&b->stop)) atomic_store(&b->stop, 1);
  } else if (atomic_load(&b->stop) != 2) {
    char what[1024], where[32] = "";
    sweep_grid_describe(b->x->pl->grid, (size_t)t.variant, what, sizeof what);
    if (rank > 0) snprintf(where, sizeof where, " on rank %d", rank);
    sim_error_set(&b->err, rc, "variant %d (%s) replication %d failed%s: %s", t.variant, what,
                  t.rep, where, e && e->msg[0] ? e->msg : "unknown error");
    atomic_store(&b->stop, 2);
  }
  size_t done = atomic_fetch_add(&b->done, 1) + 1;
  if (b->x->progress)
    b->x->progress(b->x->progress_ctx, b->n ? (double)done / (double)b->n : 1, (long)done,
                   (long)b->n);
  pthread_mutex_unlock(&b->lock);
}

static void *thread_main(void *arg) {
  sweep_batch *b = arg;
  for (long i; (i = sweep_batch_claim(b)) >= 0;) {
    sweep_task t = b->tasks[i];
    sim_error e = {0};
    double *out = b->x->store->vals[t.variant] + (size_t)t.rep * b->x->store->nval;
    int rc = sweep_run_one(b->x->cache, t, b->x->interrupt, out, &e);
    sweep_batch_finish(b, (size_t)i, rc, &e, 0);
  }
  return NULL;
}

int sweep_threads_start(sweep_batch *b, pthread_t *th, int n) {
  int started = 0;
  for (int i = 0; i < n; i++)
    if (!pthread_create(&th[started], NULL, thread_main, b)) started++;
  return started;
}

void sweep_threads_join(pthread_t *th, int n) {
  for (int i = 0; i < n; i++) pthread_join(th[i], NULL);
}

int sweep_exec_init(sweep_exec *x, const sweep_plan *pl, sweep_store *store, int jobs,
                    const volatile sig_atomic_t *interrupt, exp_progress_fn progress,
                    void *progress_ctx, int ranks, sim_error *err) {
  *x = (sweep_exec){pl,        store,    NULL,         jobs < 1 ? 1 : jobs,
                    interrupt, progress, progress_ctx, ranks < 1 ? 1 : ranks,
                    0,         0};
  int rc = sweep_cache_new(&x->cache, pl, x->jobs + 2, err);
  if (!rc) x->cache->threads = x->ranks > 1 ? -1 : x->jobs; /* MPI: ranks may share cores */
  return rc;
}

void sweep_exec_deinit(sweep_exec *x) {
  sweep_cache_free(x->cache);
  x->cache = NULL;
}

int sweep_exec_run(sweep_exec *x, const sweep_task *tasks, size_t n, sim_error *err) {
  for (size_t i = 0; i < n; i++) {
    int rc = sweep_store_reserve(x->store, (size_t)tasks[i].variant, tasks[i].rep + 1, err);
    if (rc) return rc;
  }
  sweep_batch b = {.x = x, .tasks = tasks, .n = n};
  atomic_init(&b.next, 0);
  atomic_init(&b.done, 0);
  atomic_init(&b.stop, 0);
  pthread_mutex_init(&b.lock, NULL);
  int nth = x->ranks > 1 ? x->jobs : x->jobs - 1; /* under MPI this thread coordinates */
  if ((size_t)nth > n) nth = (int)n;
  pthread_t *th = calloc((size_t)(nth > 0 ? nth : 1), sizeof *th);
  int started = th ? sweep_threads_start(&b, th, nth) : 0;
  int mrc = 0;
  if (x->ranks > 1) mrc = sweep_mpi_coordinate(&b);
  if (x->ranks == 1 || started == 0) thread_main(&b); /* this thread works too */
  sweep_threads_join(th, started);
  free(th);
  pthread_mutex_destroy(&b.lock);
  x->tasks_run += (long)atomic_load(&b.done);
  int stop = atomic_load(&b.stop);
  if (mrc && stop != 2)
    return sim_error_set(err, mrc, "%s", b.err.msg[0] ? b.err.msg : "MPI failure");
  if (stop == 2) {
    if (err) *err = b.err;
    return b.err.code ? b.err.code : SIM_ERUN;
  }
  if (stop == 1 || (x->interrupt && *x->interrupt)) return SIM_EINTR;
  return 0;
}
