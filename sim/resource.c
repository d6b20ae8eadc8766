/* resource: servers, waiting line and their statistics (see resource.h).
 * The line is a fifo (sim/fifo.h): used as a ring for FIFO, and as the storage of a
 * binary heap keyed by (priority desc, sequence asc) for priorities (the heap uses only
 * its back, so it stays contiguous). Customers in service are tracked only for
 * preemptive resources, which need to pick whom to preempt. */
#include "sim/resource.h"

#include <assert.h>
#include <math.h>
#include <stddef.h>
#include <stdlib.h>

#include "sim/error.h"
#include "sim/fifo.h"

#ifdef __SSE2__
#include <emmintrin.h>
#endif

typedef struct waiter {
  int64_t seq;
  int prio;
  double since;
  uint64_t token;
} waiter;

/* The three levels a resource averages over time (queue, busy, servers available),
 * noted together at every change, so they share the time of the last change. Each
 * area grows by the same product and sum as timeavg_set makes (queue and busy two at a
 * time in SSE2 lanes: the same IEEE operations, so the same bits); a value that did
 * not change is not stored again and its maximum not compared (timeavg_set would
 * store the same value and find it no greater). */
enum { LV_QUEUE = 0, LV_BUSY = 1 };
typedef struct levels {
  _Alignas(16) double v[2]; /* queue, busy: the values since last_t */
  _Alignas(16) double area[2];
  _Alignas(16) double max[2];
  _Alignas(16) double last_t; /* with cap_v, and cap_area with cap_max: pairs, as in */
  double cap_v;                /* a timeavg (levels_fold copies them as such) */
  _Alignas(16) double cap_area;
  double cap_max;
} levels;

_Static_assert(offsetof(timeavg, last_v) == offsetof(timeavg, last_t) + sizeof(double) &&
               offsetof(timeavg, max) == offsetof(timeavg, area) + sizeof(double) &&
               offsetof(levels, cap_v) == offsetof(levels, last_t) + sizeof(double) &&
               offsetof(levels, cap_max) == offsetof(levels, cap_area) + sizeof(double),
               "levels_fold copies pairs");

typedef struct inservice {
  uint64_t token;
  int prio;
  int64_t seq;
} inservice;

struct resource {
  sim *s;
  const double *clock; /* the sim's clock, read directly on every operation */
  int capacity, busy, preemptive;
  int plain;   /* FIFO, not preemptive, no limit */
  int quick_req; /* plain and not watch_down: res_request's short way */
  int quick_rel; /* not preemptive and not watch_down: res_release's short way */
  res_discipline disc;
  long limit;
  res_callbacks cb;
  void *ctx;
  fifo q; /* of waiter: FIFO, the line in order; priority, a binary heap from slot 0 */
  int64_t seq, front_seq;
  inservice *svc;
  int svc_cap;
  double down_since; /* start of the current down period, or NAN */
  int watch_down;    /* capacity 0 or a down period open: note_down has work */
  levels lv;         /* the time averages of st.queue, busy and cap while running */
  res_stats st;      /* st.queue, busy and cap are written from lv when read */
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

/* The areas grow by each level's value over [last_t, now], and now is the last time. */
static inline void lv_advance(levels *l, double now) {
  double dt = now - l->last_t;
#ifdef __SSE2__
  __m128d d = _mm_set1_pd(dt);
  _mm_store_pd(l->area, _mm_add_pd(_mm_load_pd(l->area), _mm_mul_pd(_mm_load_pd(l->v), d)));
#else
  l->area[0] += l->v[0] * dt;
  l->area[1] += l->v[1] * dt;
#endif
  l->cap_area += l->cap_v * dt;
  l->last_t = now;
}

/* Level k (queue or busy) is now v (after lv_advance at this instant). */
static inline void lv_set(levels *l, int k, double v) {
  l->v[k] = v;
  if (v > l->max[k]) l->max[k] = v;
}

static inline void lv_set_cap(levels *l, double v) {
  l->cap_v = v;
  if (v > l->cap_max) l->cap_max = v;
}

/* Notes all three levels at the current time (timeavg_set on each). */
static inline void note_levels(resource *r) {
  lv_advance(&r->lv, *r->clock);
  lv_set(&r->lv, LV_QUEUE, (double)q_len(r));
  lv_set(&r->lv, LV_BUSY, (double)r->busy);
  lv_set_cap(&r->lv, available(r));
}

/* Notes the levels when only one of queue and busy changed since they were last
 * noted (the servers available did not: busy stayed at or below the capacity). */
static inline void note_one_at(resource *r, double now, int k, double v) {
  lv_advance(&r->lv, now);
  lv_set(&r->lv, k, v);
}

static inline void note_one(resource *r, int k, double v) { note_one_at(r, *r->clock, k, v); }

static void levels_reset(resource *r, double now) {
  r->lv = (levels){.v = {(double)q_len(r), (double)r->busy}, .max = {(double)q_len(r),
                   (double)r->busy}, .last_t = now, .cap_v = available(r),
                   .cap_max = available(r)};
}

/* Writes the levels into st's time averages (their t0 set by res_stats_reset): the
 * pairs (last_t, last_v) and (area, max) of each, which lie side by side there as the
 * levels' (last_t, cap_v) and (cap_area, cap_max) do (a read per sample of a model
 * that reads often: twelve loads and stores as six pairs). */
static void levels_fold(resource *r) {
  const levels *l = &r->lv;
  timeavg *q = &r->st.queue, *b = &r->st.busy, *c = &r->st.cap;
#ifdef __SSE2__
  __m128d lt = _mm_load1_pd(&l->last_t), v = _mm_load_pd(l->v), area = _mm_load_pd(l->area),
          max = _mm_load_pd(l->max);
  _mm_storeu_pd(&q->last_t, _mm_unpacklo_pd(lt, v));
  _mm_storeu_pd(&q->area, _mm_unpacklo_pd(area, max));
  _mm_storeu_pd(&b->last_t, _mm_unpackhi_pd(lt, v));
  _mm_storeu_pd(&b->area, _mm_unpackhi_pd(area, max));
  _mm_storeu_pd(&c->last_t, _mm_load_pd(&l->last_t));
  _mm_storeu_pd(&c->area, _mm_load_pd(&l->cap_area));
#else
  *q = (timeavg){q->t0, l->last_t, l->v[0], l->area[0], l->max[0]};
  *b = (timeavg){b->t0, l->last_t, l->v[1], l->area[1], l->max[1]};
  *c = (timeavg){c->t0, l->last_t, l->cap_v, l->cap_area, l->cap_max};
#endif
}

/* After a change of the capacity or of a down period: whether note_down has work, and
 * so whether the short ways (which skip it) may be taken. */
static void watch_update(resource *r) {
  r->watch_down = r->capacity == 0 || !isnan(r->down_since);
  r->quick_req = r->plain && !r->watch_down;
  r->quick_rel = !r->preemptive && !r->watch_down;
}

static void note_down_slow(resource *r) {
  double now = *r->clock;
  int down = r->capacity == 0 && (q_len(r) > 0 || r->busy > 0);
  if (down && isnan(r->down_since)) r->down_since = now;
  if (!down && !isnan(r->down_since)) {
    r->st.down_time += now - r->down_since;
    r->down_since = NAN;
  }
  watch_update(r);
}

/* Nothing to note while the resource has servers and is not in a down period. */
static inline void note_down(resource *r) {
  if (r->watch_down) note_down_slow(r);
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
  r->plain = d == RES_FIFO && !preemptive && limit < 0;
  watch_update(r);
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

/* res_request after its count, in full. */
static int request_full(resource *r, uint64_t token, int priority) {
  if (r->limit >= 0 && r->busy + q_len(r) >= r->limit) {
    r->st.lost++;
    return RES_LOST;
  }
  int prio = r->disc == RES_PRIORITY ? priority : 0;
  if (r->busy < r->capacity && q_len(r) == 0) {
    start(r, token, prio, 0.0);
    note_one(r, LV_BUSY, (double)r->busy); /* the line stays empty, busy <= capacity */
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
  note_one(r, LV_QUEUE, (double)q_len(r)); /* busy did not change, nor what is available */
  note_down(r);
  return RES_QUEUED;
}

/* A plain resource (FIFO, no preemption, no limit) with servers and no down period
 * starts or queues here, with what request_full does in those cases (note_down has
 * nothing to do); the waiter's sequence is not needed (a FIFO line is kept in order by
 * its ring) and a full line grows in request_full. */
int res_request(resource *r, uint64_t token, int priority) {
  r->st.arrived++;
  if (!r->quick_req) return request_full(r, token, priority);
  double now = *r->clock;
  long n = q_len(r);
  if (r->busy < r->capacity && n == 0) {
    r->busy++;
    tally_add(&r->st.wait, 0.0);
    hist_add(&r->st.wait_hist, 0.0);
    note_one_at(r, now, LV_BUSY, (double)r->busy); /* the line stays empty */
    return RES_STARTED;
  }
  if ((size_t)n == r->q.cap) return request_full(r, token, priority);
  *(waiter *)fifo_push(&r->q) = (waiter){0, 0, now, token};
  note_one_at(r, now, LV_QUEUE, (double)(n + 1));
  return RES_QUEUED;
}

/* Grants servers to waiting customers while there is room. After a grant the levels
 * were noted at this instant already (a grant callback that changes them notes them
 * itself), and noting them again at the same time adds nothing to the areas. */
__attribute__((noinline)) static void dispatch_more(resource *r) {
  while (q_len(r) > 0 && r->busy < r->capacity) {
    waiter w = q_pop(r);
    double waited = *r->clock - w.since;
    start(r, w.token, w.prio, waited);
    note_levels(r);
    if (r->cb.grant) r->cb.grant(r->ctx, w.token, waited);
  }
  note_down(r);
}

/* After a change of busy or the capacity: grants (dispatch_more), or notes the levels. */
static void dispatch(resource *r) {
  if (q_len(r) > 0 && r->busy < r->capacity) {
    dispatch_more(r);
    return;
  }
  note_levels(r);
  note_down(r);
}

/* A release where nobody waits or one customer takes the server, as dispatch does it,
 * when busy was at most the capacity (so what is available stays the capacity) and
 * only one of queue and busy changes: the line by one, or busy by one. There are
 * servers and no down period (quick_rel), so note_down has work only if a grant
 * callback changed that. */
static inline void release_one(resource *r) {
  if (q_len(r) == 0) {
    r->busy--;
    note_one(r, LV_BUSY, (double)r->busy);
    return;
  }
  waiter w = q_pop(r);
  double now = *r->clock, waited = now - w.since;
  tally_add(&r->st.wait, waited); /* start(), with busy as it was: one leaves, one starts */
  hist_add(&r->st.wait_hist, waited);
  note_one_at(r, now, LV_QUEUE, (double)q_len(r));
  if (r->cb.grant) r->cb.grant(r->ctx, w.token, waited);
  if (q_len(r) > 0 && r->busy < r->capacity) dispatch_more(r); /* the callback made room */
  else note_down(r);
}

void res_release(resource *r, uint64_t token) {
  if (r->busy <= 0) return;
  r->st.served++;
  if (r->quick_rel && r->busy <= r->capacity) {
    release_one(r);
    return;
  }
  if (r->preemptive) svc_remove(r, token);
  r->busy--;
  dispatch(r);
}

void res_release_take(resource *r, uint64_t token) {
  if (r->busy <= 0) return;
  if (r->preemptive) svc_remove(r, token);
  r->busy--;
  if (r->capacity > 0) r->capacity--;
  watch_update(r);
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
  watch_update(r);
  lv_advance(&r->lv, *r->clock); /* dispatch notes the levels again at this instant */
  lv_set_cap(&r->lv, available(r));
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

/* st is brought up to date here, so the pointer is const only to the caller. */
const res_stats *res_get_stats(const resource *r) {
  resource *w = (resource *)r; /* r points to a resource made by res_new (not const) */
  levels_fold(w);
  return &w->st;
}

void res_stats_reset(resource *r) {
  double now = *r->clock;
  r->st.arrived = r->st.served = r->st.lost = r->st.preempted = 0;
  tally_reset(&r->st.wait);
  hist_reset(&r->st.wait_hist);
  timeavg_reset(&r->st.queue, now, (double)q_len(r));
  timeavg_reset(&r->st.busy, now, (double)r->busy);
  timeavg_reset(&r->st.cap, now, available(r));
  levels_reset(r, now);
  r->st.down_time = 0;
  if (!isnan(r->down_since)) r->down_since = now;
}

void res_stats_close(resource *r) {
  double now = *r->clock;
  note_levels(r);
  levels_fold(r);
  if (!isnan(r->down_since)) {
    r->st.down_time += now - r->down_since;
    r->down_since = now;
  }
}
