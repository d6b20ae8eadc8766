/* calendar_internal: the calendar's layout, shared by calendar.c (scheduling, taking
 * events, the ladder's tiers) and calendar_handles.c (creation, handles, cancelling,
 * the stale set); nothing else includes this. See calendar.c for the design. */
#ifndef SIM_CALENDAR_INTERNAL_H
#define SIM_CALENDAR_INTERNAL_H

#include <math.h>
#include <stddef.h>
#include <stdint.h>

#include "sim/calendar.h"

#ifdef __SSE2__
#include <emmintrin.h>
#endif

#define SMALL 128        /* heap-only mode up to this many nodes in the heap */
#define PER_TOP 256      /* events per bucket of a rung laid over the top (few buckets:
                            their ends stay in cache while events are filed) */
#define PER_FINE 16      /* events per bucket of a finer rung */
#define SORT_MAX 48      /* a bucket this small is sorted into the run; a fuller one
                            spawns a finer rung (or, if it cannot, goes to the heap) */
#define TINY 8           /* tiny mode: up to this many events, in a fixed array */
#define MAX_RUNGS 8
#define STAGE 16         /* nodes filed into rungs together (cal_flush) */
#define MAX_BUCKETS ((size_t)1 << 20)

typedef struct node {
  double t;
  uint64_t seq;
  uint32_t slot;
  uint32_t past; /* scheduled before the last event taken (calendar.h allows it) */
} node;

typedef struct vec {
  node *v;
  size_t n, cap;
} vec;

/* Buckets are chains of fixed chunks from a pool: no bucket keeps room it once needed,
 * so memory follows the pending events. */
#define CHUNK 32

typedef struct chunk {
  struct chunk *next;
  size_t n;
  node v[CHUNK];
} chunk;

typedef struct bucket {
  chunk *head, *tail;
  size_t n;
} bucket;

typedef struct rung {
  bucket *b;
  size_t nb, cap_b, next; /* buckets in use, allocated, first not yet emptied */
  double base, inv;       /* bucket of t: floor((t - base) * inv), at most nb - 1 */
  double dnb, dnext;      /* nb and next as doubles (filing compares them) */
} rung;

/* 48 bytes (the array is line-aligned): scheduling writes one or two cache lines. */
typedef struct slot {
  uint64_t seq; /* its event's sequence; 0 once cancelled (or run, if `past`) */
  uint32_t id;  /* low bits of the sequence it was first scheduled with (its handle's;
                   kept when the event moves) */
  uint32_t past; /* see node.past: such a slot is cleared when its event runs */
  double t;
  cal_fn fn;    /* the payload */
  void *ctx;
  uint64_t arg;
} slot;

_Static_assert(sizeof(slot) == 48, "slots are 48 bytes");

struct calendar {
  vec run;         /* bottom: a sorted bucket, taken from run.v[rhead] on */
  size_t rhead;
  vec heap;        /* bottom: events filed into the near future since */
  rung rungs[MAX_RUNGS];
  int nrungs;
  vec top;
  vec scratch;     /* a bucket being emptied, made contiguous */
  chunk *pool;     /* free chunks */
  size_t nfree_chunks;
  chunk **slabs;   /* every chunk allocation, for cal_free */
  size_t nslabs, cap_slabs;
  double top_max;  /* times above it go to the top; +inf: heap-only mode */
  size_t live, stale;
  uint64_t *dead;  /* open-addressing set of stale sequences (0: empty) */
  size_t dead_mask;
  slot *slots;
  uint32_t *free;  /* free slot indices (a stack) */
  size_t nslots, slot_cap, nfree;
  uint64_t seq;
  double last_t;   /* (time, sequence) of the last event taken */
  uint64_t last_seq;
  /* Tiny mode (few events, none anywhere else, no stale ones): the events' times and
   * slots in tt/ts[0..tn) (their sequences are in the slots), the times past tn at
   * +inf, so a scan of all TINY entries with no branch finds the earliest (tmin, kept
   * up to date). tcap is TINY in tiny mode, else 0; `live` is tn then, counted only
   * when the mode is left. */
  uint32_t tcap, tn, tmin;
  _Alignas(16) double tt[TINY];
  uint32_t ts[TINY];
  /* Nodes bound for a rung's bucket wait here, STAGE at most, and go in together
   * (cal_flush): filing an event hours ahead misses the cache twice (the bucket, then
   * its tail's line), and together those misses overlap. Every reader of the rungs
   * flushes first; the pool always holds a chunk for each node waiting. */
  uint32_t nstage;
  bucket *stage_b[STAGE];
  node stage[STAGE];
};

static inline int before(const node *a, const node *b) {
  return a->t < b->t || (a->t == b->t && a->seq < b->seq);
}

/* calendar.c */
int cal_vec_reserve(vec *v, size_t extra);
slot *cal_slots_alloc(slot *old, size_t n_old, size_t cap);
void cal_bucket_release(calendar *c, bucket *b);
/* Files a node in the tier its time belongs to; -1 if memory ran out. */
int cal_file(calendar *c, const node *nd);
/* Puts the nodes waiting for their rungs' buckets in (before anything reads a rung). */
void cal_flush(calendar *c);
/* cal_push and cal_pop_until in full (the fast paths below fall back on them). */
cal_handle cal_push_slow(calendar *c, double t, cal_fn fn, void *ctx, uint64_t arg);
int cal_pop_slow(calendar *c, double t_end, const slot **out);

/* Tiny mode: leaves it (its events go to the heap), enters it (the heap's few events
 * come in; the calendar must be in heap-only mode with no stale node and an empty run). */
void cal_tiny_leave(calendar *c);
void cal_tiny_enter(calendar *c);

/* calendar_handles.c: 1 if seq is stale, and forgets it (its node is being dropped). */
int cal_dead_take(calendar *c, uint64_t seq);

/* ---- the hot paths, inlined into the run loop (sim.c) ---- */

static inline void sift_up(node *h, size_t i, const node *nd) {
  while (i > 0) {
    size_t p = (i - 1) >> 2;
    if (!before(nd, &h[p])) break;
    h[i] = h[p];
    i = p;
  }
  h[i] = *nd;
}

static inline void sift_down(node *h, size_t n, size_t i, node nd) {
  for (;;) {
    size_t first = 4 * i + 1;
    if (first >= n) break;
    size_t best = first, last = first + 4 < n ? first + 4 : n;
    for (size_t k = first + 1; k < last; k++)
      if (before(&h[k], &h[best])) best = k;
    if (!before(&h[best], &nd)) break;
    h[i] = h[best];
    i = best;
  }
  h[i] = nd;
}

static inline void heap_pop(vec *h) {
  if (--h->n) sift_down(h->v, h->n, 0, h->v[h->n]);
}

static inline cal_handle handle_of(uint32_t s, uint64_t seq) {
  return (seq << 32) | ((uint64_t)s + 1);
}

/* ---- tiny mode ---- */

/* Index of the earliest of the TINY entries: the least time by a tree of minimums,
 * then the entries at that time (almost always one; else the least sequence among the
 * pending ones). With at most TINY / 2 pending, only the lower half is looked at (a
 * branch that a model keeping so few events pending predicts every time). */
static inline uint32_t tiny_argmin(const calendar *c) {
  const double *t = c->tt;
  unsigned at;
#ifdef __SSE2__
  __m128d a = _mm_min_pd(_mm_load_pd(t), _mm_load_pd(t + 2));
  if (c->tn <= TINY / 2) { /* the upper half is empty (+inf): half the work */
    a = _mm_min_pd(a, _mm_shuffle_pd(a, a, 1));
    at = (unsigned)_mm_movemask_pd(_mm_cmpeq_pd(_mm_load_pd(t), a)) |
         (unsigned)_mm_movemask_pd(_mm_cmpeq_pd(_mm_load_pd(t + 2), a)) << 2;
  } else {
    a = _mm_min_pd(a, _mm_min_pd(_mm_load_pd(t + 4), _mm_load_pd(t + 6)));
    a = _mm_min_pd(a, _mm_shuffle_pd(a, a, 1)); /* the least time in both lanes */
    at = (unsigned)_mm_movemask_pd(_mm_cmpeq_pd(_mm_load_pd(t), a)) |
         (unsigned)_mm_movemask_pd(_mm_cmpeq_pd(_mm_load_pd(t + 2), a)) << 2 |
         (unsigned)_mm_movemask_pd(_mm_cmpeq_pd(_mm_load_pd(t + 4), a)) << 4 |
         (unsigned)_mm_movemask_pd(_mm_cmpeq_pd(_mm_load_pd(t + 6), a)) << 6;
  }
#else
  double m = t[0];
  for (int k = 1; k < TINY; k++) m = t[k] < m ? t[k] : m;
  at = 0;
  for (int k = 0; k < TINY; k++) at |= (unsigned)(t[k] == m) << k;
#endif
  uint32_t i = (uint32_t)__builtin_ctz(at);
  if (__builtin_expect(at & (at - 1), 0)) /* a tie in time (i < tn unless empty) */
    for (uint32_t k = i + 1; k < c->tn; k++)
      if ((at >> k & 1) && c->slots[c->ts[k]].seq < c->slots[c->ts[i]].seq) i = k;
  return i;
}

/* Files the event at t of slot s in tiny mode (tn < TINY). Its sequence is above every
 * pending one, so it is the earliest only if its time is below the earliest's (or it
 * is the only one). */
static inline void tiny_add(calendar *c, double t, uint32_t s) {
  uint32_t i = c->tn++, m = c->tmin;
  c->tt[i] = t;
  c->ts[i] = s;
  c->tmin = ((t < c->tt[m]) | (i == 0)) ? i : m;
}

/* Removes entry i in tiny mode: the last one takes its place. */
static inline void tiny_remove(calendar *c, uint32_t i) {
  uint32_t last = --c->tn;
  c->tt[i] = c->tt[last];
  c->ts[i] = c->ts[last];
  c->tt[last] = INFINITY;
  c->tmin = tiny_argmin(c);
}

static inline void slot_fill(calendar *c, uint32_t s, uint64_t seq, int past, double t,
                             cal_fn fn, void *ctx, uint64_t arg) {
  c->slots[s] = (slot){.seq = seq, .id = (uint32_t)seq, .past = (uint32_t)past, .t = t,
                       .fn = fn, .ctx = ctx, .arg = arg};
}

/* Whether cal_tiny_push can file an event: tiny mode with room (then a slot is free:
 * cal_new makes TINY of them). */
static inline int cal_tiny_room(const calendar *c) { return c->tn < c->tcap; }

/* cal_push when cal_tiny_room and t is not NaN (it cannot fail); later: the caller
 * knows t is not before the last event taken (so the event is not `past`). */
static inline cal_handle cal_tiny_push_at(calendar *c, double t, cal_fn fn, void *ctx,
                                          uint64_t arg, const int later) {
  uint32_t s = c->free[--c->nfree];
  uint64_t seq = ++c->seq;
  int past = later ? 0 : t < c->last_t;
  slot_fill(c, s, seq, past, t, fn, ctx, arg);
  tiny_add(c, t, s);
  return handle_of(s, seq);
}

static inline cal_handle cal_tiny_push(calendar *c, double t, cal_fn fn, void *ctx,
                                       uint64_t arg) {
  return cal_tiny_push_at(c, t, fn, ctx, arg, 0);
}

/* cal_push when the calendar is a plain heap with room (few events): else cal_push_slow
 * (which also serves tiny mode; sim.c tries cal_tiny_push first). */
static inline cal_handle cal_push_fast(calendar *c, double t, cal_fn fn, void *ctx,
                                       uint64_t arg) {
  vec *h = &c->heap;
  if (c->top_max != INFINITY || c->nrungs || c->tcap || h->n >= SMALL || h->n == h->cap ||
      !c->nfree || t != t)
    return cal_push_slow(c, t, fn, ctx, arg);
  uint32_t s = c->free[--c->nfree];
  int past = t < c->last_t;
  node nd = {t, ++c->seq, s, (uint32_t)past};
  sift_up(h->v, h->n++, &nd);
  slot_fill(c, s, nd.seq, past, t, fn, ctx, arg);
  c->live++;
  return handle_of(s, nd.seq);
}

/* Taking an event gives its slot: time and payload are read from there (the slot is
 * not written again until a later cal_push takes it). */

/* cal_pop_until in tiny mode; later: the owner files no `past` event (a sim, see
 * sim.c), so the slot's flag need not be read. */
static inline int tiny_take_at(calendar *c, double t_end, const slot **out, const int later) {
  uint32_t i = c->tmin, s = c->ts[i];
  double t = c->tt[i];
  if (!c->tn || !(t <= t_end)) return 0;
  const slot *sl = &c->slots[s];
  *out = sl;
  c->free[c->nfree++] = s;
  if (!later && sl->past) {
    c->slots[s].seq = 0;
  } else {
    c->last_t = t;
    c->last_seq = sl->seq;
  }
  tiny_remove(c, i);
  return 1;
}

static inline int tiny_take(calendar *c, double t_end, const slot **out) {
  return tiny_take_at(c, t_end, out, 0);
}

/* Takes the bottom's earliest node nd (the run's head or the heap's top) if due. */
static inline int cal_take(calendar *c, node *nd, double t_end, const slot **out) {
  if (!(nd->t <= t_end)) return 0;
  *out = &c->slots[nd->slot]; /* prefetched when the node reached the bottom */
  c->free[c->nfree++] = nd->slot; /* the slot itself is not touched: see has_run */
  if (nd->past) {
    c->slots[nd->slot].seq = 0;
  } else { /* the events taken in order, all but the past ones */
    c->last_t = nd->t;
    c->last_seq = nd->seq;
  }
  c->live--;
  if (nd != &c->heap.v[0]) {
    c->rhead++;
  } else {
    heap_pop(&c->heap); /* heap-only mode with few events, all in the heap: to tiny mode */
    if (c->heap.n <= TINY / 2 && c->top_max == INFINITY && !c->stale && c->rhead >= c->run.n)
      cal_tiny_enter(c);
  }
  return 1;
}

/* cal_pop_until outside tiny mode (calendar.c: kept out of the run loop, whose tiny path
 * then has the registers to itself). */
int cal_pop_more(calendar *c, double t_end, const slot **out);

/* cal_pop_until for the run loop (a sim's: no `past` event). */
static inline int cal_pop_loop(calendar *c, double t_end, const slot **out) {
  return c->tcap ? tiny_take_at(c, t_end, out, 1) : cal_pop_more(c, t_end, out);
}

/* cal_pop_until when no stale node is in the way and the bottom holds events: else
 * cal_pop_until. Inlined into each caller even though there are three (cal_pop,
 * cal_pop_until, cal_pop_more): a call here costs the hold loop ~15 instructions. */
__attribute__((always_inline)) static inline int cal_pop_fast(calendar *c, double t_end,
                                                              const slot **out) {
  vec *h = &c->heap, *r = &c->run;
  node *nd;
  if (c->tcap) return tiny_take(c, t_end, out);
  if (c->stale) return cal_pop_slow(c, t_end, out);
  if (c->rhead < r->n) {
    nd = &r->v[c->rhead];
    if (h->n && before(&h->v[0], nd)) nd = &h->v[0];
  } else if (!r->n && h->n) {
    nd = &h->v[0];
  } else {
    return cal_pop_slow(c, t_end, out);
  }
  return cal_take(c, nd, t_end, out);
}

/* The slot of the event cal_pop_fast would take next, or NULL where it would fall back
 * on the slow path (a hint: the slot is read, nothing changes). */
static inline const slot *cal_peek_fast(const calendar *c) {
  const vec *h = &c->heap, *r = &c->run;
  const node *nd;
  if (c->tcap) return c->tn ? &c->slots[c->ts[c->tmin]] : NULL;
  if (c->stale) return NULL;
  if (c->rhead < r->n) {
    nd = &r->v[c->rhead];
    if (h->n && before(&h->v[0], nd)) nd = &h->v[0];
  } else if (!r->n && h->n) {
    nd = &h->v[0];
  } else {
    return NULL;
  }
  return &c->slots[nd->slot];
}

#endif
