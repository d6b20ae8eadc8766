/* calendar: a ladder queue with a sorted run and a 4-ary heap at the bottom, and a
 * tiny mode for a handful of events (see calendar.h; sim/README.md has the measurements
 * behind the choice).
 *
 * Events live in one of three tiers, each later in time than the one below:
 *  - bottom: the bucket being consumed, sorted (the run), plus a 4-ary heap for events
 *    filed there since (the near future); both small, so they stay in cache;
 *  - rungs: arrays of unsorted buckets of equal width; rung r + 1 splits the bucket of
 *    rung r that was being emptied when it held too many to sort;
 *  - top: an unsorted pile of the far future (times above top_max).
 * Scheduling appends to a bucket or to the top (or pushes onto the heap for the near
 * future). When the bottom runs dry, the next bucket of the finest rung is sorted into
 * it (or spawns a finer rung if it holds too many), and when the rungs run out a new
 * rung is laid over the top. Each event is copied a few times, sequentially, instead of
 * sifted through log n cache lines. A calendar with few events keeps them in the heap,
 * and with up to TINY (all of them in the heap, none stale) in a fixed array whose
 * earliest entry a few SIMD minimums find with no data-dependent branch: scheduling
 * writes the next entry, taking one moves the last entry into its place. It enters
 * that mode when the heap is down to TINY / 2 and leaves it when a TINY + 1-th event
 * comes, so a count that wavers near a bound does not move the events each time.
 *
 * Order. A bucket index is floor((t - base) * inv), which never decreases as t grows,
 * so an event filed below a rung's next bucket is earlier than every event still in that
 * rung, and rungs, bottom and top never overlap in time. In the bottom, ties in time go
 * by the scheduling sequence each node carries, and the tiny mode takes the entry with
 * the least (time, sequence). Events therefore run in (time, sequence) order: the order
 * of the 4-ary heap this replaced, bit for bit.
 *
 * A node is a time, a sequence and a slot: the slot (a cache line) holds the payload, and
 * is fetched ahead when its node reaches the bottom. A handle names the slot, which also
 * keeps its event's sequence and time; the slot is not written when the
 * event runs (its index goes back on a free stack), because an event whose (time,
 * sequence) is not after the last one taken has run. Cancelling or rescheduling puts the
 * old node's sequence in a small set of stale sequences; stale nodes are dropped when
 * they reach the bottom, and all at once if they come to outnumber the live events. */
#include "sim/calendar.h"
#include "sim/calendar_internal.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

slot *cal_slots_alloc(slot *old, size_t n_old, size_t cap) {
  slot *s = aligned_alloc(64, (cap * sizeof *s + 63) / 64 * 64);
  if (s && old) memcpy(s, old, n_old * sizeof *s);
  if (s) free(old);
  return s;
}

int cal_vec_reserve(vec *v, size_t extra) {
  if (extra <= v->cap - v->n) return 0;
  size_t ncap = v->cap ? v->cap : 8;
  while (ncap - v->n < extra) ncap *= 2;
  node *nv = realloc(v->v, ncap * sizeof *nv);
  if (!nv) return -1;
  v->v = nv;
  v->cap = ncap;
  return 0;
}

static inline int vec_push(vec *v, const node *nd) {
  if (v->n == v->cap && cal_vec_reserve(v, 1)) return -1;
  v->v[v->n++] = *nd;
  return 0;
}

/* ---- chunks and buckets ---- */

/* At least `want` chunks in the pool; -1 if memory ran out. */
static int pool_reserve(calendar *c, size_t want) {
  while (c->nfree_chunks < want) {
    size_t k = want - c->nfree_chunks < 64 ? 64 : want - c->nfree_chunks;
    if (c->nslabs == c->cap_slabs) {
      size_t ncap = c->cap_slabs ? 2 * c->cap_slabs : 16;
      chunk **ns = realloc(c->slabs, ncap * sizeof *ns);
      if (!ns) return -1;
      c->slabs = ns;
      c->cap_slabs = ncap;
    }
    chunk *slab = malloc(k * sizeof *slab);
    if (!slab) return -1;
    c->slabs[c->nslabs++] = slab;
    for (size_t i = 0; i < k; i++) slab[i].next = c->pool, c->pool = &slab[i];
    c->nfree_chunks += k;
  }
  return 0;
}

/* Every chunk of a bucket but its tail is full, so the tail's count follows from the
 * bucket's: filing reads no chunk (a chunk far down a long bucket is rarely in cache). */
static inline int bucket_push(calendar *c, bucket *b, const node *nd) {
  size_t i = b->n % CHUNK;
  chunk *t = b->tail;
  if (!i) { /* no chunk yet, or the tail is full */
    if (!c->pool && pool_reserve(c, 1)) return -1;
    chunk *k = c->pool;
    c->pool = k->next;
    c->nfree_chunks--;
    k->next = NULL;
    if (t) t->next = k;
    else b->head = k;
    b->tail = t = k;
  }
  t->v[i] = *nd;
  t->n = i + 1;
  b->n++;
  return 0;
}

/* Empties a bucket, giving its chunks back. */
void cal_bucket_release(calendar *c, bucket *b) {
  for (chunk *k = b->head, *next; k; k = next) {
    next = k->next;
    k->next = c->pool;
    c->pool = k;
    c->nfree_chunks++;
  }
  b->head = b->tail = NULL;
  b->n = 0;
}

/* Copies a bucket's nodes to dst (room for b->n) and gives its chunks back. */
static void bucket_take(calendar *c, bucket *b, node *dst) {
  for (chunk *k = b->head, *next; k; k = next) {
    next = k->next;
    memcpy(dst, k->v, k->n * sizeof *dst);
    dst += k->n;
    k->next = c->pool;
    c->pool = k;
    c->nfree_chunks++;
  }
  b->head = b->tail = NULL;
  b->n = 0;
}

/* ---- the bottom heap ---- */



static void heapify(vec *h) {
  for (size_t i = h->n / 4 + 1; i-- > 0;)
    if (i < h->n) sift_down(h->v, h->n, i, h->v[i]);
}


/* ---- slots and handles ---- */

/* A slot never used yet, the array grown if full; UINT32_MAX if memory ran out. */
static uint32_t slot_new(calendar *c) {
  if (c->nslots == c->slot_cap) {
    if (c->slot_cap >= UINT32_MAX / 2) return UINT32_MAX;
    size_t ncap = c->slot_cap + c->slot_cap / 2; /* memory close to the peak of events */
    uint32_t *nf = realloc(c->free, ncap * sizeof *nf);
    if (nf) c->free = nf;
    slot *ns = nf ? cal_slots_alloc(c->slots, c->nslots, ncap) : NULL;
    if (!ns) return UINT32_MAX;
    c->slots = ns;
    c->slot_cap = ncap;
  }
  return (uint32_t)c->nslots++;
}

static inline uint32_t slot_take(calendar *c) {
  return c->nfree ? c->free[--c->nfree] : slot_new(c);
}


/* ---- filing ---- */

void cal_flush(calendar *c) {
  uint32_t n = c->nstage;
  for (uint32_t i = 0; i < n; i++) { /* the tails' lines, all at once */
    const bucket *b = c->stage_b[i];
    size_t j = b->n % CHUNK;
    if (j) __builtin_prefetch(&b->tail->v[j], 1);
  }
  for (uint32_t i = 0; i < n; i++) bucket_push(c, c->stage_b[i], &c->stage[i]); /* room kept */
  c->nstage = 0;
}

/* Files nd into bucket b of a rung, later (cal_flush). -1 if memory ran out. */
static inline int stage_push(calendar *c, bucket *b, const node *nd) {
  if (c->nstage == STAGE) cal_flush(c);
  if (c->nfree_chunks < STAGE && pool_reserve(c, STAGE)) return -1;
  __builtin_prefetch(b, 1);
  c->stage_b[c->nstage] = b;
  c->stage[c->nstage++] = *nd;
  return 0;
}

/* Bucket of a node with index q >= 0 (clamped to the last bucket). */
static inline size_t bucket_in(const rung *r, double q) {
  return q < r->dnb ? (size_t)(int64_t)q : r->nb - 1;
}

/* Leaves heap-only mode: the bottom goes on top (the next refill lays a rung over it). */
static void spill(calendar *c) {
  vec *t = &c->top, *h = &c->heap, *r = &c->run;
  if (cal_vec_reserve(t, h->n + r->n - c->rhead)) return; /* no memory: stay a heap */
  memcpy(t->v + t->n, h->v, h->n * sizeof *h->v);
  t->n += h->n;
  if (r->n > c->rhead) memcpy(t->v + t->n, r->v + c->rhead, (r->n - c->rhead) * sizeof *r->v);
  t->n += r->n - c->rhead;
  h->n = r->n = c->rhead = 0;
  c->top_max = -INFINITY;
}

/* Files a node in the tier its time belongs to. An index at or past a rung's end (the
 * rung's last bucket can hold times beyond its nominal end: it takes whatever rounds
 * there) goes to the last bucket if that is still to come, else on down: the last
 * bucket's events went to a finer rung or to the bottom. */
static inline int file(calendar *c, const node *nd) {
  if (!(nd->t <= c->top_max)) return vec_push(&c->top, nd);
  for (int i = 0; i < c->nrungs; i++) {
    rung *r = &c->rungs[i];
    double q = (nd->t - r->base) * r->inv;
    if (q < r->dnext) continue;
    if (q < r->dnb) return stage_push(c, &r->b[(size_t)(int64_t)q], nd);
    if (r->next < r->nb) return stage_push(c, &r->b[r->nb - 1], nd);
  }
  vec *h = &c->heap;
  if (h->n == h->cap && cal_vec_reserve(h, 1)) return -1;
  sift_up(h->v, h->n++, nd);
  if (h->n > SMALL && c->top_max == INFINITY && !c->nrungs) spill(c);
  return 0;
}

/* Lays a new rung of nb buckets of width 1 / inv from lo over the m nodes v (their
 * indexes all below nb). 0, or -1 if memory ran out (then nothing moved). */
static int lay_rung(calendar *c, const node *v, size_t m, double lo, double inv, size_t nb) {
  rung *r = &c->rungs[c->nrungs];
  /* room first (chunks for the nodes, plus one partly filled per bucket): a failure
   * then leaves nothing half moved */
  if (pool_reserve(c, m / CHUNK + nb + 1)) return -1;
  if (nb > r->cap_b) {
    bucket *nbk = realloc(r->b, nb * sizeof *nbk);
    if (!nbk) return -1;
    r->b = nbk;
    r->cap_b = nb;
  }
  memset(r->b, 0, nb * sizeof *r->b);
  r->nb = nb;
  r->next = 0;
  r->dnb = (double)nb;
  r->dnext = 0;
  r->base = lo;
  r->inv = inv;
  for (size_t k = 0; k < m; k++) bucket_push(c, &r->b[bucket_in(r, (v[k].t - lo) * inv)], &v[k]);
  c->nrungs++;
  return 0;
}

/* A finer rung over the m nodes of a bucket, spanning [lo, hi], PER_FINE a bucket. 0 if
 * laid, 1 if it cannot be (one time for all, or no rung left), -1 if memory ran out. */
static int new_rung(calendar *c, const node *v, size_t m, double lo, double hi) {
  if (c->nrungs == MAX_RUNGS || !(hi > lo)) return 1;
  size_t nb = m / PER_FINE + 1;
  if (nb > MAX_BUCKETS) nb = MAX_BUCKETS;
  double inv = (double)nb / (hi - lo);
  if (!isfinite(inv) || !(inv > 0)) return 1;
  return lay_rung(c, v, m, lo, inv, nb);
}

static int cmp_double(const void *a, const void *b) {
  double x = *(const double *)a, y = *(const double *)b;
  return (x > y) - (x < y);
}

/* The bucket width for a rung over the top's m finite nodes (m > SORT_MAX) spanning
 * [lo, hi]: sized so the first buckets hold about PER_TOP each, from the density at the
 * front in a sample (far-future tails would make a width from the span too coarse). */
static double top_width(const node *v, size_t m, double lo, double hi) {
  double range = (hi - lo) / (double)(m / PER_TOP + 1);
  size_t want = 8 * PER_TOP, ns = m < 512 ? m : 512;
  if (want >= m) return range;
  double smp[512];
  for (size_t k = 0; k < ns; k++) smp[k] = v[k * (m / ns)].t;
  qsort(smp, ns, sizeof *smp, cmp_double);
  size_t at = want * ns / m;
  double w = (smp[at ? at : 1] - lo) / 8.0;
  return w > 0 && w < range ? w : range;
}

/* Sorts v by (time, sequence): insertion sort, for a bucket's few nodes. */
static void sort_run(node *v, size_t n) {
  for (size_t i = 1; i < n; i++) {
    node x = v[i];
    size_t j = i;
    for (; j > 0 && before(&x, &v[j - 1]); j--) v[j] = v[j - 1];
    v[j] = x;
  }
}

/* Moves m nodes into the empty bottom: the run when few, else the heap. */
static int to_bottom(calendar *c, const node *v, size_t m) {
  vec *d = m <= SORT_MAX ? &c->run : &c->heap;
  if (cal_vec_reserve(d, m)) return -1;
  memcpy(d->v, v, m * sizeof *v);
  d->n = m;
  for (size_t k = 0; k < m; k++) /* their payloads will be read soon */
    __builtin_prefetch(&c->slots[v[k].slot]);
  if (d == &c->run) sort_run(d->v, m);
  else heapify(d);
  return 0;
}

static void span(const node *v, size_t m, double *lo, double *hi) {
  double a = INFINITY, b = -INFINITY;
  for (size_t k = 0; k < m; k++) {
    if (v[k].t < a) a = v[k].t;
    if (v[k].t > b) b = v[k].t;
  }
  *lo = a, *hi = b;
}

/* Moves a bucket's m nodes into the empty bottom, or lays a finer rung over them when
 * they are too many to sort. 0 or -1 (memory). */
static int place(calendar *c, const node *v, size_t m) {
  double lo, hi;
  span(v, m, &lo, &hi);
  int rc = m > SORT_MAX ? new_rung(c, v, m, lo, hi) : 1;
  return rc > 0 ? to_bottom(c, v, m) : rc;
}

/* Lays a rung over the front of the top's fin finite nodes (the rest stays on top), or
 * moves them to the bottom if few or at one time. 0 or -1 (memory). */
static int lay_top(calendar *c, size_t fin) {
  vec *t = &c->top;
  double lo, hi;
  span(t->v, fin, &lo, &hi);
  size_t m = fin;
  int rc = 1;
  if (fin > SORT_MAX && hi > lo && c->nrungs < MAX_RUNGS) {
    double w = top_width(t->v, fin, lo, hi), inv = 1.0 / w, span_b = (hi - lo) * inv;
    size_t cap = 4 * (fin / PER_TOP) + 16, nb = span_b < (double)cap ? (size_t)span_b + 1 : cap;
    if (nb > MAX_BUCKETS) nb = MAX_BUCKETS;
    if (isfinite(inv) && inv > 0) {
      m = 0; /* the nodes within the rung to the front, the rest after them */
      for (size_t k = 0; k < fin; k++)
        if ((t->v[k].t - lo) * inv < (double)nb) {
          node x = t->v[m];
          t->v[m++] = t->v[k];
          t->v[k] = x;
        }
      hi = -INFINITY;
      for (size_t k = 0; k < m; k++)
        if (t->v[k].t > hi) hi = t->v[k].t;
      rc = lay_rung(c, t->v, m, lo, inv, nb);
    }
  }
  if (rc < 0 || (rc > 0 && to_bottom(c, t->v, m))) return -1;
  memmove(t->v, t->v + m, (t->n - m) * sizeof *t->v);
  t->n -= m;
  c->top_max = hi;
  return 0;
}

/* Refills the empty bottom from the finest rung, or lays a rung over the top. Returns 1
 * if it moved something, 0 if the calendar is empty, -1 if memory ran out. */
static int refill(calendar *c) {
  cal_flush(c);
  while (c->nrungs) {
    rung *r = &c->rungs[c->nrungs - 1];
    while (r->next < r->nb && !r->b[r->next].n) r->next++;
    if (r->next == r->nb) {
      c->nrungs--;
      continue;
    }
    bucket *b = &r->b[r->next];
    size_t m = b->n;
    if (cal_vec_reserve(&c->scratch, m)) return -1;
    bucket_take(c, b, c->scratch.v);
    r->next++;
    r->dnext = (double)r->next;
    if (place(c, c->scratch.v, m)) { /* out of memory: put them back (room was there) */
      r->next--;
      r->dnext = (double)r->next;
      for (size_t k = 0; k < m; k++) bucket_push(c, b, &c->scratch.v[k]);
      return -1;
    }
    if (c->run.n || c->heap.n) return 1;
  }
  vec *t = &c->top;
  if (!t->n) {
    c->top_max = INFINITY; /* empty: back to heap-only mode */
    return 0;
  }
  size_t fin = 0; /* +inf stays on top until nothing finite is left */
  for (size_t k = 0; k < t->n; k++)
    if (t->v[k].t < INFINITY) {
      node x = t->v[fin];
      t->v[fin++] = t->v[k];
      t->v[k] = x;
    }
  if (!fin) {
    if (to_bottom(c, t->v, t->n)) return -1;
    t->n = 0;
    c->top_max = INFINITY;
    return 1;
  }
  return lay_top(c, fin) ? -1 : 1;
}

int cal_file(calendar *c, const node *nd) { return file(c, nd); }

/* Drops stale nodes off the bottom, refilling it as needed. The earliest live node (the
 * run's head or the heap's top), or NULL if none is pending or memory ran out (*oom). */
static node *front(calendar *c, int *oom) {
  for (;;) {
    vec *r = &c->run, *h = &c->heap;
    while (c->rhead < r->n && cal_dead_take(c, r->v[c->rhead].seq)) c->rhead++;
    while (h->n && cal_dead_take(c, h->v[0].seq)) heap_pop(h);
    if (c->rhead < r->n)
      return h->n && before(&h->v[0], &r->v[c->rhead]) ? &h->v[0] : &r->v[c->rhead];
    r->n = c->rhead = 0;
    if (h->n) return &h->v[0];
    int rc = refill(c);
    if (rc <= 0) {
      *oom = rc < 0;
      return NULL;
    }
  }
}

/* ---- tiny mode ---- */

void cal_tiny_leave(calendar *c) {
  vec *h = &c->heap; /* empty, with room for TINY nodes (cal_new) */
  for (uint32_t i = 0; i < c->tn; i++) {
    const slot *sl = &c->slots[c->ts[i]];
    node nd = {c->tt[i], sl->seq, c->ts[i], sl->past};
    sift_up(h->v, h->n++, &nd);
    c->tt[i] = INFINITY;
  }
  c->live = c->tn;
  c->tn = c->tcap = 0;
}

void cal_tiny_enter(calendar *c) {
  vec *h = &c->heap;
  for (size_t i = 0; i < h->n; i++) {
    c->tt[i] = h->v[i].t;
    c->ts[i] = h->v[i].slot;
  }
  c->tn = (uint32_t)h->n;
  h->n = c->run.n = c->rhead = 0;
  c->nrungs = 0;
  c->top_max = INFINITY;
  c->tcap = TINY;
  c->tmin = tiny_argmin(c);
}

/* ---- the interface ---- */

/* cal_push in tiny mode (cal_push_fast leaves it here; sim.c files with cal_tiny_push):
 * a NaN time ranks as +inf, and a TINY + 1-th event ends the mode. */
static cal_handle tiny_push_slow(calendar *c, double t, cal_fn fn, void *ctx, uint64_t arg) {
  if (t != t) t = INFINITY; /* NaN ranks as +inf */
  if (c->tn == TINY) {
    cal_tiny_leave(c);
    return cal_push_slow(c, t, fn, ctx, arg);
  }
  uint32_t s = slot_take(c);
  if (s == UINT32_MAX) return 0;
  uint64_t seq = ++c->seq;
  slot_fill(c, s, seq, t < c->last_t, t, fn, ctx, arg);
  tiny_add(c, t, s);
  return handle_of(s, seq);
}

cal_handle cal_push_slow(calendar *c, double t, cal_fn fn, void *ctx, uint64_t arg) {
  if (c->tcap) return tiny_push_slow(c, t, fn, ctx, arg);
  if (t != t) t = INFINITY; /* NaN ranks as +inf */
  uint32_t s = slot_take(c);
  if (s == UINT32_MAX) return 0;
  int past = t < c->last_t;
  node nd = {t, ++c->seq, s, (uint32_t)past};
  vec *r = &c->run;
  if (t == c->last_t && t < INFINITY && c->rhead && (c->rhead >= r->n || r->v[c->rhead].t > t)) {
    /* Due now (a third of a port's events): after every pending event at this time (its
     * sequence is the highest) and before the run's head, so it goes in front of the
     * run, which stays sorted, instead of through the rungs into the heap. Nothing in
     * the rungs or on top is due before it: each is later than the bottom, and an event
     * filed before the last one taken goes to the heap. Not after an event at +inf was
     * taken: events filed since at finite times (before it) may wait on top. */
    r->v[--c->rhead] = nd;
  } else if (file(c, &nd)) {
    c->free[c->nfree++] = s;
    return 0;
  }
  slot_fill(c, s, nd.seq, past, t, fn, ctx, arg);
  c->live++;
  return handle_of(s, nd.seq);
}

int cal_pop_slow(calendar *c, double t_end, const slot **out) {
  int oom = 0;
  node *nd = c->live ? front(c, &oom) : NULL;
  if (!nd && !oom && !c->live && !c->stale) { /* empty: back to tiny mode */
    c->run.n = c->rhead = c->heap.n = c->top.n = 0;
    cal_tiny_enter(c);
  }
  if (!nd) return oom ? -1 : 0;
  return cal_take(c, nd, t_end, out);
}

int cal_pop_more(calendar *c, double t_end, const slot **out) {
  return cal_pop_fast(c, t_end, out);
}

int cal_pop_until(calendar *c, double t_end, cal_event *out) {
  const slot *sl;
  int got = cal_pop_fast(c, t_end, &sl);
  if (got > 0) *out = (cal_event){sl->t, sl->fn, sl->ctx, sl->arg};
  return got;
}

int cal_pop(calendar *c, cal_event *out) { return cal_pop_until(c, INFINITY, out) > 0; }

cal_handle cal_push(calendar *c, double t, cal_fn fn, void *ctx, uint64_t arg) {
  return cal_push_fast(c, t, fn, ctx, arg);
}

double cal_next_time(calendar *c) {
  if (c->tcap) return c->tn ? c->tt[c->tmin] : INFINITY;
  int oom = 0;
  node *nd = c->live ? front(c, &oom) : NULL;
  return nd ? nd->t : oom ? NAN : INFINITY;
}

