/* calendar_handles: the calendar's cold paths (see calendar.c): creation, handles,
 * cancelling and moving events, the set of stale sequences and the clean-up of stale
 * nodes. */
#include "sim/calendar.h"
#include "sim/calendar_internal.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

calendar *cal_new(size_t hint) {
  calendar *c = calloc(1, sizeof *c);
  if (!c) return NULL;
  c->slot_cap = hint < 16 ? 16 : hint;
  c->slots = cal_slots_alloc(NULL, 0, c->slot_cap);
  c->free = malloc(c->slot_cap * sizeof *c->free);
  c->top_max = INFINITY;
  c->last_t = -INFINITY;
  for (int i = 0; i < TINY; i++) c->tt[i] = INFINITY;
  c->tcap = TINY;
  if (!c->slots || !c->free || cal_vec_reserve(&c->heap, TINY)) { /* room to leave tiny mode */
    cal_free(c);
    return NULL;
  }
  /* TINY slots made at once (none in use: sequence 0), so tiny mode with room always
   * has a free one */
  memset(c->slots, 0, TINY * sizeof *c->slots);
  c->nslots = TINY;
  for (uint32_t s = TINY; s-- > 0;) c->free[c->nfree++] = s;
  return c;
}

void cal_free(calendar *c) {
  if (!c) return;
  free(c->run.v);
  free(c->heap.v);
  free(c->top.v);
  for (int r = 0; r < MAX_RUNGS; r++) free(c->rungs[r].b);
  for (size_t i = 0; i < c->nslabs; i++) free(c->slabs[i]);
  free(c->slabs);
  free(c->scratch.v);
  free(c->dead);
  free(c->slots);
  free(c->free);
  free(c);
}

/* ---- stale sequences ---- */

static inline size_t dead_at(uint64_t seq, size_t mask) {
  return (size_t)((seq * 0x9e3779b97f4a7c15ULL) >> 32) & mask;
}

static int dead_add(calendar *c, uint64_t seq) {
  if (2 * (c->stale + 1) > c->dead_mask + 1) { /* grow (also the first time) */
    size_t cap = c->dead_mask ? 2 * (c->dead_mask + 1) : 64;
    uint64_t *d = calloc(cap, sizeof *d);
    if (!d) return -1;
    for (size_t i = 0; c->dead && i <= c->dead_mask; i++)
      if (c->dead[i]) {
        size_t j = dead_at(c->dead[i], cap - 1);
        while (d[j]) j = (j + 1) & (cap - 1);
        d[j] = c->dead[i];
      }
    free(c->dead);
    c->dead = d;
    c->dead_mask = cap - 1;
  }
  size_t j = dead_at(seq, c->dead_mask);
  while (c->dead[j]) j = (j + 1) & c->dead_mask;
  c->dead[j] = seq;
  c->stale++;
  return 0;
}

/* 1 if seq is stale, and forgets it (its node is being dropped). */
int cal_dead_take(calendar *c, uint64_t seq) {
  if (!c->stale) return 0;
  size_t m = c->dead_mask, j = dead_at(seq, m);
  for (; c->dead[j]; j = (j + 1) & m)
    if (c->dead[j] == seq) break;
  if (!c->dead[j]) return 0;
  c->dead[j] = 0; /* backward-shift deletion keeps every probe chain whole */
  for (size_t k = (j + 1) & m; c->dead[k]; k = (k + 1) & m) {
    size_t home = dead_at(c->dead[k], m);
    if (((k - home) & m) >= ((k - j) & m)) c->dead[j] = c->dead[k], c->dead[k] = 0, j = k;
  }
  c->stale--;
  return 1;
}

static int dead_has(const calendar *c, uint64_t seq) {
  if (!c->stale) return 0;
  size_t m = c->dead_mask;
  for (size_t j = dead_at(seq, m); c->dead[j]; j = (j + 1) & m)
    if (c->dead[j] == seq) return 1;
  return 0;
}

/* ---- handles ---- */

/* Whether the event (t, seq), not a past one, has been taken already: such events are
 * taken in (time, sequence) order, so it has if it is not after the last one taken. */
static inline int has_run(const calendar *c, double t, uint64_t seq) {
  return t < c->last_t || (t == c->last_t && seq <= c->last_seq);
}

/* Slot of a pending event's handle, or UINT32_MAX. */
static uint32_t slot_of(const calendar *c, cal_handle h) {
  uint64_t s1 = h & 0xffffffffu;
  if (s1 == 0 || s1 > c->nslots) return UINT32_MAX;
  const slot *sl = &c->slots[s1 - 1];
  if (!sl->seq || (uint32_t)sl->id != (uint32_t)(h >> 32) ||
      (!sl->past && has_run(c, sl->t, sl->seq)))
    return UINT32_MAX;
  return (uint32_t)(s1 - 1);
}

static void keep_live_bucket(calendar *c, bucket *b, vec *to) {
  for (chunk *k = b->head; k; k = k->next)
    for (size_t j = 0; j < k->n; j++)
      if (!dead_has(c, k->v[j].seq)) to->v[to->n++] = k->v[j];
  cal_bucket_release(c, b);
}

static void keep_live(calendar *c, vec *v, size_t from, vec *to) {
  for (size_t k = from; k < v->n; k++)
    if (!dead_has(c, v->v[k].seq)) to->v[to->n++] = v->v[k];
  v->n = 0;
}

/* Once stale nodes outnumber the live events, every live node goes back on top (the next
 * refill lays a rung over them): memory stays proportional to the pending events. */
static void maybe_clean(calendar *c) {
  if (c->stale <= 1024 || c->stale <= c->live) return;
  if (cal_vec_reserve(&c->top, c->live + c->stale)) return; /* no memory: clean later */
  cal_flush(c);
  vec kept = c->top;
  kept.n = 0;
  keep_live(c, &c->top, 0, &kept);
  keep_live(c, &c->heap, 0, &kept);
  keep_live(c, &c->run, c->rhead, &kept);
  c->rhead = 0;
  for (int i = 0; i < c->nrungs; i++)
    for (size_t k = c->rungs[i].next; k < c->rungs[i].nb; k++)
      keep_live_bucket(c, &c->rungs[i].b[k], &kept);
  c->top = kept;
  c->nrungs = 0;
  c->top_max = -INFINITY;
  c->stale = 0;
  memset(c->dead, 0, (c->dead_mask + 1) * sizeof *c->dead);
}

/* Entry of slot s in tiny mode (its event is pending, so it is there). */
static uint32_t tiny_find(const calendar *c, uint32_t s) {
  uint32_t i = 0;
  while (c->ts[i] != s) i++;
  return i;
}

int cal_cancel(calendar *c, cal_handle h) {
  uint32_t s = slot_of(c, h);
  if (s == UINT32_MAX) return 0;
  if (c->tcap) { /* no stale node: the entry goes at once */
    tiny_remove(c, tiny_find(c, s));
    c->slots[s].seq = 0;
    c->free[c->nfree++] = s;
    return 1;
  }
  if (dead_add(c, c->slots[s].seq)) return 0;
  c->slots[s].seq = 0;
  c->free[c->nfree++] = s;
  c->live--;
  maybe_clean(c);
  return 1;
}

int cal_reschedule(calendar *c, cal_handle h, double t) {
  uint32_t s = slot_of(c, h);
  if (s == UINT32_MAX) return 0;
  if (t != t) t = INFINITY;
  slot *sl = &c->slots[s];
  int past = t < c->last_t;
  node nd = {t, ++c->seq, s, (uint32_t)past}; /* ranks as if newly scheduled */
  if (c->tcap) { /* the entry moves in place */
    sl->seq = nd.seq, sl->t = t, sl->past = past;
    uint32_t i = tiny_find(c, s);
    c->tt[i] = t;
    c->tmin = tiny_argmin(c);
    return 1;
  }
  if (dead_add(c, sl->seq)) return 0;
  if (cal_file(c, &nd)) {
    cal_dead_take(c, sl->seq);
    return 0;
  }
  sl->seq = nd.seq;
  sl->t = t;
  sl->past = past;
  maybe_clean(c);
  return 1;
}

int cal_pending(const calendar *c, cal_handle h, double *t) {
  uint32_t s = slot_of(c, h);
  if (s == UINT32_MAX) return 0;
  if (t) *t = c->slots[s].t;
  return 1;
}

size_t cal_size(const calendar *c) { return c->tcap ? c->tn : c->live; }

void cal_clear(calendar *c) {
  c->run.n = c->rhead = c->heap.n = c->top.n = 0;
  c->nstage = 0;
  for (int i = 0; i < c->nrungs; i++)
    for (size_t k = 0; k < c->rungs[i].nb; k++) cal_bucket_release(c, &c->rungs[i].b[k]);
  c->nrungs = 0;
  c->live = c->stale = 0;
  if (c->dead) memset(c->dead, 0, (c->dead_mask + 1) * sizeof *c->dead);
  for (int i = 0; i < TINY; i++) c->tt[i] = INFINITY;
  cal_tiny_enter(c); /* empty */
  c->nfree = 0; /* every slot is free; mark them cancelled so old handles fail */
  for (size_t s = 0; s < c->nslots; s++) {
    c->slots[s].seq = 0;
    c->free[c->nfree++] = (uint32_t)(c->nslots - 1 - s);
  }
}
