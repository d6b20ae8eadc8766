/* calendar_internal: the calendar's layout, shared by calendar.c (scheduling, taking
 * events, the ladder's tiers) and calendar_handles.c (creation, handles, cancelling,
 * the stale set); nothing else includes this. See calendar.c for the design. */
#ifndef SIM_CALENDAR_INTERNAL_H
#define SIM_CALENDAR_INTERNAL_H

#include <math.h>
#include <stddef.h>
#include <stdint.h>

#include "sim/calendar.h"

#define SMALL 128        /* heap-only mode up to this many nodes in the heap */
#define PER_TOP 256      /* events per bucket of a rung laid over the top (few buckets:
                            their ends stay in cache while events are filed) */
#define PER_FINE 16      /* events per bucket of a finer rung */
#define SORT_MAX 48      /* a bucket this small is sorted into the run; a fuller one
                            spawns a finer rung (or, if it cannot, goes to the heap) */
#define MAX_RUNGS 8
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
/* cal_push and cal_pop_until in full (the fast paths below fall back on them). */
cal_handle cal_push_slow(calendar *c, double t, cal_fn fn, void *ctx, uint64_t arg);
int cal_pop_slow(calendar *c, double t_end, cal_event *out);

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

/* cal_push when the calendar is a plain heap with room (few events): else cal_push. */
static inline cal_handle cal_push_fast(calendar *c, double t, cal_fn fn, void *ctx,
                                       uint64_t arg) {
  vec *h = &c->heap;
  if (c->top_max != INFINITY || c->nrungs || h->n >= SMALL || h->n == h->cap || !c->nfree ||
      t != t)
    return cal_push_slow(c, t, fn, ctx, arg);
  uint32_t s = c->free[--c->nfree];
  int past = t < c->last_t;
  node nd = {t, ++c->seq, s, (uint32_t)past};
  sift_up(h->v, h->n++, &nd);
  c->slots[s] = (slot){.seq = nd.seq, .id = (uint32_t)nd.seq, .past = (uint32_t)past, .t = t,
                       .fn = fn, .ctx = ctx, .arg = arg};
  c->live++;
  return handle_of(s, nd.seq);
}

/* Takes the bottom's earliest node nd (the run's head or the heap's top) if due. */
static inline int cal_take(calendar *c, node *nd, double t_end, cal_event *out) {
  if (!(nd->t <= t_end)) return 0;
  const slot *sl = &c->slots[nd->slot]; /* prefetched when the node reached the bottom */
  out->t = nd->t;
  out->fn = sl->fn;
  out->ctx = sl->ctx;
  out->arg = sl->arg;
  c->free[c->nfree++] = nd->slot; /* the slot itself is not touched: see has_run */
  if (nd->past) {
    c->slots[nd->slot].seq = 0;
  } else { /* the events taken in order, all but the past ones */
    c->last_t = nd->t;
    c->last_seq = nd->seq;
  }
  c->live--;
  if (nd == &c->heap.v[0]) heap_pop(&c->heap);
  else c->rhead++;
  if (!c->live && !c->stale) { /* empty: back to heap-only mode */
    c->nrungs = 0;
    c->top_max = INFINITY;
  }
  return 1;
}

/* cal_pop_until when no stale node is in the way and the bottom holds events: else
 * cal_pop_until. */
static inline int cal_pop_fast(calendar *c, double t_end, cal_event *out) {
  vec *h = &c->heap, *r = &c->run;
  node *nd;
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
