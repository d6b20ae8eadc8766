/* resource: servers, waiting line and their statistics (see resource.h).
 * The line is a binary heap keyed by (priority desc, sequence asc); with FIFO every
 * priority is 0, so the sequence alone orders it. Customers in service are tracked
 * only for preemptive resources, which need to pick whom to preempt. */
#include "sim/resource.h"

#include <assert.h>
#include <math.h>
#include <stdlib.h>

#include "sim/error.h"

typedef struct waiter {
  int64_t seq;
  int prio;
  double since;
  uint64_t token;
} waiter;

typedef struct inservice {
  uint64_t token;
  int prio;
  int64_t seq;
} inservice;

struct resource {
  sim *s;
  const double *clock; /* the sim's clock, read directly on every operation */
  int capacity, busy, preemptive;
  res_discipline disc;
  long limit;
  res_callbacks cb;
  void *ctx;
  waiter *q;  /* FIFO: a ring starting at qhead; priority: a binary heap */
  long qn, qcap, qhead;
  int64_t seq, front_seq;
  inservice *svc;
  int svc_cap;
  double down_since; /* start of the current down period, or NAN */
  res_stats st;
};

static int q_before(const waiter *a, const waiter *b) {
  return a->prio > b->prio || (a->prio == b->prio && a->seq < b->seq);
}

static void q_up(waiter *q, long i) {
  waiter w = q[i];
  while (i > 0) {
    long p = (i - 1) / 2;
    if (!q_before(&w, &q[p])) break;
    q[i] = q[p];
    i = p;
  }
  q[i] = w;
}

static void q_down(waiter *q, long n, long i) {
  waiter w = q[i];
  for (;;) {
    long c = 2 * i + 1;
    if (c >= n) break;
    if (c + 1 < n && q_before(&q[c + 1], &q[c])) c++;
    if (!q_before(&q[c], &w)) break;
    q[i] = q[c];
    i = c;
  }
  q[i] = w;
}

static int q_grow(resource *r) {
  long ncap = r->qcap ? 2 * r->qcap : 64;
  waiter *nq = malloc((size_t)ncap * sizeof *nq);
  if (!nq) return -1;
  for (long i = 0; i < r->qn; i++) nq[i] = r->q[(r->qhead + i) % (r->qcap ? r->qcap : 1)];
  free(r->q);
  r->q = nq;
  r->qcap = ncap;
  r->qhead = 0;
  return 0;
}

/* k-th element of the ring (FIFO) or of the heap array (priority). */
static inline waiter *q_slot(resource *r, long k) {
  assert(k >= 0 && k < r->qcap); /* callers index within the queue's storage */
  if (r->disc != RES_FIFO) return &r->q[k];
  long i = r->qhead + k;
  return &r->q[i >= r->qcap ? i - r->qcap : i];
}

static int q_push(resource *r, waiter w, int front) {
  if (r->qn == r->qcap && q_grow(r)) return -1;
  if (r->disc == RES_FIFO) {
    if (front) {
      r->qhead = r->qhead ? r->qhead - 1 : r->qcap - 1;
      r->q[r->qhead] = w;
    } else {
      *q_slot(r, r->qn) = w;
    }
    r->qn++;
    return 0;
  }
  r->q[r->qn] = w;
  q_up(r->q, r->qn++);
  return 0;
}

static waiter q_pop(resource *r) {
  if (r->disc == RES_FIFO) {
    waiter w = r->q[r->qhead];
    r->qhead = r->qhead + 1 == r->qcap ? 0 : r->qhead + 1;
    r->qn--;
    return w;
  }
  waiter top = r->q[0];
  r->q[0] = r->q[--r->qn];
  if (r->qn) q_down(r->q, r->qn, 0);
  return top;
}

/* Removes element k, keeping the order (FIFO) or the heap (priority). */
static void q_remove(resource *r, long k) {
  if (r->disc == RES_FIFO) {
    for (long i = k; i + 1 < r->qn; i++) *q_slot(r, i) = *q_slot(r, i + 1);
    r->qn--;
    return;
  }
  r->q[k] = r->q[--r->qn];
  if (k < r->qn) {
    q_up(r->q, k);
    q_down(r->q, r->qn, k);
  }
}

/* Servers available: the capacity, or more while customers finish after it dropped
 * (a shift ended mid-service), so utilization never exceeds 1. */
static inline double available(const resource *r) {
  return (double)(r->busy > r->capacity ? r->busy : r->capacity);
}

static void note_levels(resource *r) {
  double now = *r->clock;
  timeavg_set(&r->st.queue, now, (double)r->qn);
  timeavg_set(&r->st.busy, now, (double)r->busy);
  timeavg_set(&r->st.cap, now, available(r));
}

static void note_down(resource *r) {
  double now = *r->clock;
  int down = r->capacity == 0 && (r->qn > 0 || r->busy > 0);
  if (down && isnan(r->down_since)) r->down_since = now;
  if (!down && !isnan(r->down_since)) {
    r->st.down_time += now - r->down_since;
    r->down_since = NAN;
  }
}

resource *res_new(sim *s, int capacity, res_discipline d, long limit, int preemptive,
                  res_callbacks cb, void *ctx) {
  resource *r = calloc(1, sizeof *r);
  if (!r) return NULL;
  if (hist_init(&r->st.wait_hist)) {
    free(r);
    return NULL;
  }
  r->s = s;
  r->clock = sim_clock(s);
  r->capacity = capacity < 0 ? 0 : capacity;
  r->disc = d;
  r->limit = limit;
  r->preemptive = preemptive;
  r->cb = cb;
  r->ctx = ctx;
  r->down_since = NAN;
  res_stats_reset(r);
  return r;
}

void res_free(resource *r) {
  if (!r) return;
  hist_deinit(&r->st.wait_hist);
  free(r->q);
  free(r->svc);
  free(r);
}

static int svc_add(resource *r, uint64_t token, int prio) {
  if (!r->preemptive) return 0;
  if (r->busy > r->svc_cap) {
    int ncap = r->busy * 2;
    inservice *ns = realloc(r->svc, (size_t)ncap * sizeof *ns);
    if (!ns) return -1;
    r->svc = ns;
    r->svc_cap = ncap;
  }
  r->svc[r->busy - 1] = (inservice){token, prio, r->seq++};
  return 0;
}

static void svc_remove(resource *r, uint64_t token) {
  for (int i = 0; i < r->busy; i++)
    if (r->svc[i].token == token) {
      r->svc[i] = r->svc[r->busy - 1];
      return;
    }
}

/* Index of the in-service customer to preempt first: lowest priority, latest start. */
static int svc_victim(const resource *r) {
  int v = 0;
  for (int i = 1; i < r->busy; i++)
    if (r->svc[i].prio < r->svc[v].prio ||
        (r->svc[i].prio == r->svc[v].prio && r->svc[i].seq > r->svc[v].seq))
      v = i;
  return v;
}

static void start(resource *r, uint64_t token, int prio, double waited) {
  r->busy++;
  if (svc_add(r, token, prio)) sim_fail(r->s, SIM_ENOMEM);
  tally_add(&r->st.wait, waited);
  hist_add(&r->st.wait_hist, waited);
}

/* Preempts one customer in service (preemptive resources): it goes back to the front
 * of its priority class. */
static void preempt_one(resource *r) {
  int v = svc_victim(r);
  inservice victim = r->svc[v];
  r->svc[v] = r->svc[r->busy - 1];
  r->busy--;
  r->st.preempted++;
  if (q_push(r, (waiter){--r->front_seq - INT64_MAX / 2, victim.prio, *r->clock, victim.token}, 1))
    sim_fail(r->s, SIM_ENOMEM);
  if (r->cb.preempt) r->cb.preempt(r->ctx, victim.token);
}

int res_request(resource *r, uint64_t token, int priority) {
  r->st.arrived++;
  if (r->limit >= 0 && r->busy + r->qn >= r->limit) {
    r->st.lost++;
    return RES_LOST;
  }
  int prio = r->disc == RES_PRIORITY ? priority : 0;
  if (r->busy < r->capacity && r->qn == 0) {
    start(r, token, prio, 0.0);
    note_levels(r);
    return RES_STARTED;
  }
  if (r->preemptive && r->busy > 0 && r->busy >= r->capacity) {
    int v = svc_victim(r);
    if (r->svc[v].prio < prio) {
      preempt_one(r);
      start(r, token, prio, 0.0);
      note_levels(r);
      return RES_STARTED;
    }
  }
  if (q_push(r, (waiter){r->seq++, prio, *r->clock, token}, 0)) {
    sim_fail(r->s, SIM_ENOMEM);
    return RES_ERROR;
  }
  note_levels(r);
  note_down(r);
  return RES_QUEUED;
}

/* Grants servers to waiting customers while there is room. After a grant the levels
 * were noted at this instant already (a grant callback that changes them notes them
 * itself), and noting them again at the same time adds nothing to the areas. */
static void dispatch(resource *r) {
  int granted = 0;
  while (r->qn > 0 && r->busy < r->capacity) {
    waiter w = q_pop(r);
    double waited = *r->clock - w.since;
    start(r, w.token, w.prio, waited);
    note_levels(r);
    granted = 1;
    if (r->cb.grant) r->cb.grant(r->ctx, w.token, waited);
  }
  if (!granted) note_levels(r);
  note_down(r);
}

void res_release(resource *r, uint64_t token) {
  if (r->busy <= 0) return;
  if (r->preemptive) svc_remove(r, token);
  r->busy--;
  r->st.served++;
  dispatch(r);
}

void res_release_take(resource *r, uint64_t token) {
  if (r->busy <= 0) return;
  if (r->preemptive) svc_remove(r, token);
  r->busy--;
  if (r->capacity > 0) r->capacity--;
  r->st.served++;
  note_levels(r);
  note_down(r);
}

void res_interrupt(resource *r, uint64_t token, int priority) {
  if (r->busy <= 0) return;
  if (r->preemptive) svc_remove(r, token);
  r->busy--;
  r->st.preempted++;
  int prio = r->disc == RES_PRIORITY ? priority : 0;
  if (q_push(r, (waiter){--r->front_seq - INT64_MAX / 2, prio, *r->clock, token}, 1)) sim_fail(r->s, SIM_ENOMEM);
  note_levels(r);
  note_down(r);
}

int res_withdraw(resource *r, uint64_t token) {
  for (long i = 0; i < r->qn; i++) {
    if (q_slot(r, i)->token != token) continue;
    q_remove(r, i);
    note_levels(r);
    note_down(r);
    return 1;
  }
  return 0;
}

void res_set_capacity(resource *r, int capacity) {
  if (capacity < 0) capacity = 0;
  r->capacity = capacity;
  timeavg_set(&r->st.cap, *r->clock, available(r));
  while (r->preemptive && r->busy > r->capacity) preempt_one(r);
  dispatch(r);
}

int res_capacity(const resource *r) { return r->capacity; }
int res_busy(const resource *r) { return r->busy; }
long res_queue_len(const resource *r) { return r->qn; }

uint64_t res_queue_at(const resource *r, long k) {
  if (k < 0 || k >= r->qn) return 0;
  if (r->disc == RES_FIFO) return q_slot((resource *)r, k)->token;
  /* the heap is not sorted: select the k-th by repeated scans (snapshots only) */
  const waiter *prev = NULL;
  for (long step = 0; step <= k; step++) {
    const waiter *best = NULL;
    for (long i = 0; i < r->qn; i++) {
      const waiter *w = &r->q[i];
      if (prev && !q_before(prev, w)) continue;
      if (!best || q_before(w, best)) best = w;
    }
    prev = best;
  }
  return prev ? prev->token : 0;
}

const res_stats *res_get_stats(const resource *r) { return &r->st; }

void res_stats_reset(resource *r) {
  double now = *r->clock;
  r->st.arrived = r->st.served = r->st.lost = r->st.preempted = 0;
  tally_reset(&r->st.wait);
  hist_reset(&r->st.wait_hist);
  timeavg_reset(&r->st.queue, now, (double)r->qn);
  timeavg_reset(&r->st.busy, now, (double)r->busy);
  timeavg_reset(&r->st.cap, now, available(r));
  r->st.down_time = 0;
  if (!isnan(r->down_since)) r->down_since = now;
}

void res_stats_close(resource *r) {
  double now = *r->clock;
  note_levels(r);
  if (!isnan(r->down_since)) {
    r->st.down_time += now - r->down_since;
    r->down_since = now;
  }
}
