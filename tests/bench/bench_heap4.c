/* bench_heap4: the event calendar the simulator used before its current one: a 4-ary heap
 * keyed by (time, sequence) with a slot pool and position tracking. Kept, renamed, as
 * the reference that `customs-bench engine` measures the current calendar against in
 * the same run (calendar hold ratios). Not used by the simulator. */
#include "tests/bench/bench_heap4.h"

#include <math.h>
#include <stdlib.h>

typedef struct node {
  double t;
  uint64_t seq;
  uint32_t slot;
} node;

typedef struct slot {
  cal_fn fn;
  void *ctx;
  uint64_t arg;
  uint32_t pos;  /* index in the heap, or UINT32_MAX when free */
  uint32_t gen;  /* bumped when the slot is freed: stale handles fail */
  uint32_t next_free;
} slot;

struct h4cal {
  node *heap;
  size_t n, cap;
  slot *slots;
  size_t nslots, slot_cap;
  uint32_t free_head; /* UINT32_MAX when empty */
  uint64_t seq;
};

#define NO_POS UINT32_MAX

static inline int before(const node *a, const node *b) {
  return a->t < b->t || (a->t == b->t && a->seq < b->seq);
}

h4cal *h4_new(size_t hint) {
  h4cal *c = calloc(1, sizeof *c);
  if (!c) return NULL;
  c->cap = c->slot_cap = hint < 16 ? 16 : hint;
  c->heap = malloc(c->cap * sizeof *c->heap);
  c->slots = malloc(c->slot_cap * sizeof *c->slots);
  c->free_head = NO_POS;
  if (!c->heap || !c->slots) {
    h4_free(c);
    return NULL;
  }
  return c;
}

void h4_free(h4cal *c) {
  if (!c) return;
  free(c->heap);
  free(c->slots);
  free(c);
}

static inline void place(h4cal *c, size_t i, node nd) {
  c->heap[i] = nd;
  c->slots[nd.slot].pos = (uint32_t)i;
}

static void sift_up(h4cal *c, size_t i) {
  node nd = c->heap[i];
  while (i > 0) {
    size_t p = (i - 1) >> 2;
    if (!before(&nd, &c->heap[p])) break;
    place(c, i, c->heap[p]);
    i = p;
  }
  place(c, i, nd);
}

static void sift_down(h4cal *c, size_t i) {
  node nd = c->heap[i];
  size_t n = c->n;
  for (;;) {
    size_t first = 4 * i + 1;
    if (first >= n) break;
    size_t best = first, last = first + 4 < n ? first + 4 : n;
    for (size_t k = first + 1; k < last; k++)
      if (before(&c->heap[k], &c->heap[best])) best = k;
    if (!before(&c->heap[best], &nd)) break;
    place(c, i, c->heap[best]);
    i = best;
  }
  place(c, i, nd);
}

static uint32_t slot_take(h4cal *c) {
  if (c->free_head != NO_POS) {
    uint32_t s = c->free_head;
    c->free_head = c->slots[s].next_free;
    return s;
  }
  if (c->nslots == c->slot_cap) {
    size_t ncap = c->slot_cap * 2;
    slot *ns = realloc(c->slots, ncap * sizeof *ns);
    if (!ns) return NO_POS;
    c->slots = ns;
    c->slot_cap = ncap;
  }
  c->slots[c->nslots].gen = 1;
  return (uint32_t)c->nslots++;
}

static void slot_release(h4cal *c, uint32_t s) {
  c->slots[s].pos = NO_POS;
  c->slots[s].gen++;
  c->slots[s].next_free = c->free_head;
  c->free_head = s;
}

static inline uint64_t handle_of(const h4cal *c, uint32_t s) {
  return ((uint64_t)c->slots[s].gen << 32) | ((uint64_t)s + 1);
}

/* Slot of a live handle, or NO_POS. */
static uint32_t slot_of(const h4cal *c, uint64_t h) {
  uint64_t s1 = h & 0xffffffffu;
  if (s1 == 0 || s1 > c->nslots) return NO_POS;
  uint32_t s = (uint32_t)(s1 - 1);
  if (c->slots[s].gen != (uint32_t)(h >> 32) || c->slots[s].pos == NO_POS) return NO_POS;
  return s;
}

uint64_t h4_push(h4cal *c, double t, cal_fn fn, void *ctx, uint64_t arg) {
  if (c->n == c->cap) {
    size_t ncap = c->cap * 2;
    node *nh = realloc(c->heap, ncap * sizeof *nh);
    if (!nh) return 0;
    c->heap = nh;
    c->cap = ncap;
  }
  uint32_t s = slot_take(c);
  if (s == NO_POS) return 0;
  c->slots[s].fn = fn;
  c->slots[s].ctx = ctx;
  c->slots[s].arg = arg;
  c->heap[c->n] = (node){t, c->seq++, s};
  c->slots[s].pos = (uint32_t)c->n;
  sift_up(c, c->n++);
  return handle_of(c, s);
}

/* Removes heap node i, keeping the heap valid. */
static void remove_at(h4cal *c, size_t i) {
  c->n--;
  if (i == c->n) return;
  node last = c->heap[c->n];
  place(c, i, last);
  if (i > 0 && before(&last, &c->heap[(i - 1) >> 2]))
    sift_up(c, i);
  else
    sift_down(c, i);
}

int h4_pop(h4cal *c, h4_event *out) {
  if (c->n == 0) return 0;
  node top = c->heap[0];
  slot *s = &c->slots[top.slot];
  out->t = top.t;
  out->fn = s->fn;
  out->ctx = s->ctx;
  out->arg = s->arg;
  remove_at(c, 0);
  slot_release(c, top.slot);
  return 1;
}

int h4_cancel(h4cal *c, uint64_t h) {
  uint32_t s = slot_of(c, h);
  if (s == NO_POS) return 0;
  remove_at(c, c->slots[s].pos);
  slot_release(c, s);
  return 1;
}

int h4_reschedule(h4cal *c, uint64_t h, double t) {
  uint32_t s = slot_of(c, h);
  if (s == NO_POS) return 0;
  size_t i = c->slots[s].pos;
  double old = c->heap[i].t;
  c->heap[i].t = t;
  c->heap[i].seq = c->seq++;
  if (t < old)
    sift_up(c, i);
  else
    sift_down(c, i);
  return 1;
}

int h4_pending(const h4cal *c, uint64_t h, double *t) {
  uint32_t s = slot_of(c, h);
  if (s == NO_POS) return 0;
  if (t) *t = c->heap[c->slots[s].pos].t;
  return 1;
}

size_t h4_size(const h4cal *c) { return c->n; }

double h4_next_time(const h4cal *c) { return c->n ? c->heap[0].t : INFINITY; }

void h4_clear(h4cal *c) {
  while (c->n) slot_release(c, c->heap[--c->n].slot);
}
