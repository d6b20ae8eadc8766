/* resource: servers, waiting line and their statistics (see resource.h).
 * The line is a fifo (sim/fifo.h): used as a ring for FIFO, and as the storage of a
 * binary heap keyed by (priority desc, sequence asc) for priorities (the heap uses only
 * its back, so it stays contiguous). Customers in service are tracked only for
 * preemptive resources, which need to pick whom to preempt. */
#include "sim/resource.h"

#include <assert.h>
#include <math.h>
#include <stdlib.h>

#include "sim/error.h"
#include "sim/fifo.h"

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
  fifo q; /* of waiter: FIFO, the line in order; priority, a binary heap from slot 0 */
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

static inline long q_len(const resource *r) { return (long)fifo_len(&r->q); }

/* k-th element of the line (FIFO) or of the heap array (priority). */
static inline waiter *q_slot(const resource *r, long k) {
  assert(k >= 0 && (size_t)k < r->q.cap); /* callers index within the queue's storage */
  return fifo_at(&r->q, (size_t)k);
}

static inline int q_push(resource *r, waiter w, int front) {
  waiter *slot = front && r->disc == RES_FIFO ? fifo_push_front(&r->q) : fifo_push(&r->q);
  if (!slot) return -1;
  *slot = w;
  if (r->disc != RES_FIFO) q_up(q_slot(r, 0), q_len(r) - 1);
  return 0;
}

static inline waiter q_pop(resource *r) {
  if (r->disc == RES_FIFO) {
    waiter w = *(waiter *)fifo_front(&r->q);
    fifo_drop_front(&r->q);
    return w;
  }
  waiter *h = q_slot(r, 0), top = h[0];
  h[0] = h[q_len(r) - 1];
  fifo_drop_back(&r->q);
  if (q_len(r)) q_down(h, q_len(r), 0);
  return top;
}

/* Removes element k, keeping the order (FIFO) or the heap (priority). */
static void q_remove(resource *r, long k) {
  if (r->disc == RES_FIFO) {
    fifo_remove(&r->q, (size_t)k);
    return;
  }
  waiter *h = q_slot(r, 0);
  h[k] = h[q_len(r) - 1];
  fifo_drop_back(&r->q);
  if (k < q_len(r)) {
    q_up(h, k);
    q_down(h, q_len(r), k);
  }
}

/* Servers available: the capacity, or more while customers finish after it dropped
 * (a shift ended mid-service), so utilization never exceeds 1. */
static inline double available(const resource *r) {
  return (double)(r->busy > r->capacity ? r->busy : r->capacity);
}

static inline void note_levels(resource *r) {
  double now = *r->clock;
  timeavg_set(&r->st.queue, now, (double)q_len(r));
  timeavg_set(&r->st.busy, now, (double)r->busy);
  timeavg_set(&r->st.cap, now, available(r));
}

static void note_down_slow(resource *r) {
  double now = *r->clock;
  int down = r->capacity == 0 && (q_len(r) > 0 || r->busy > 0);
  if (down && isnan(r->down_since)) r->down_since = now;
  if (!down && !isnan(r->down_since)) {
    r->st.down_time += now - r->down_since;
    r->down_since = NAN;
  }
}

/* Nothing to note while the resource has servers and is not in a down period. */
static inline void note_down(resource *r) {
  if (r->capacity == 0 || !isnan(r->down_since)) note_down_slow(r);
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
  fifo_init(&r->q, sizeof(waiter), 64);
  res_stats_reset(r);
  return r;
}

void res_free(resource *r) {
  if (!r) return;
  hist_deinit(&r->st.wait_hist);
  fifo_deinit(&r->q);
  free(r->svc);
  free(r);
}

static int svc_grow_add(resource *r, uint64_t token, int prio) {
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

/* Tracks a customer who started service (preemptive resources only). */
static inline int svc_add(resource *r, uint64_t token, int prio) {
  return r->preemptive ? svc_grow_add(r, token, prio) : 0;
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

static inline void start(resource *r, uint64_t token, int prio, double waited) {
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
  if (r->limit >= 0 && r->busy + q_len(r) >= r->limit) {
    r->st.lost++;
    return RES_LOST;
  }
  int prio = r->disc == RES_PRIORITY ? priority : 0;
  if (r->busy < r->capacity && q_len(r) == 0) {
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
  while (q_len(r) > 0 && r->busy < r->capacity) {
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
  if (q_push(r, (waiter){--r->front_seq - INT64_MAX / 2, prio, *r->clock, token}, 1))
    sim_fail(r->s, SIM_ENOMEM);
  note_levels(r);
  note_down(r);
}

int res_withdraw(resource *r, uint64_t token) {
  for (long i = 0; i < q_len(r); i++) {
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
long res_queue_len(const resource *r) { return q_len(r); }

uint64_t res_queue_at(const resource *r, long k) {
  if (k < 0 || k >= q_len(r)) return 0;
  if (r->disc == RES_FIFO) return q_slot(r, k)->token;
  /* the heap is not sorted: select the k-th by repeated scans (snapshots only) */
  const waiter *prev = NULL;
  for (long step = 0; step <= k; step++) {
    const waiter *best = NULL;
    for (long i = 0; i < q_len(r); i++) {
      const waiter *w = q_slot(r, i);
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
  timeavg_reset(&r->st.queue, now, (double)q_len(r));
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
