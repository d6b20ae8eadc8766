/* ring: fixed-size sample history (see ring.h). */
#include "viz/ring.h"

#include <math.h>
#include <stdlib.h>

#include "sim/error.h"

struct view_ring {
  size_t cap, nseries, head, len; /* head: the slot the next sample goes to */
  double *t, *v;                  /* v[slot * nseries + series] */
};

int ring_new(view_ring **out, size_t cap, size_t nseries) {
  *out = NULL;
  if (!cap || !nseries) return SIM_EINVAL;
  view_ring *r = calloc(1, sizeof *r);
  if (!r) return SIM_ENOMEM;
  r->cap = cap;
  r->nseries = nseries;
  r->t = calloc(cap, sizeof *r->t);
  r->v = calloc(cap * nseries, sizeof *r->v);
  if (!r->t || !r->v) {
    ring_free(r);
    return SIM_ENOMEM;
  }
  *out = r;
  return 0;
}

void ring_free(view_ring *r) {
  if (!r) return;
  free(r->t);
  free(r->v);
  free(r);
}

void ring_clear(view_ring *r) { r->head = r->len = 0; }

void ring_push(view_ring *r, double t, const double *v) {
  if (r->len && t < ring_last_t(r)) ring_clear(r);
  r->t[r->head] = t;
  for (size_t s = 0; s < r->nseries; s++) r->v[r->head * r->nseries + s] = v[s];
  r->head = (r->head + 1) % r->cap;
  if (r->len < r->cap) r->len++;
}

size_t ring_len(const view_ring *r) { return r->len; }
size_t ring_series(const view_ring *r) { return r->nseries; }

static size_t slot(const view_ring *r, size_t i) {
  return (r->head + r->cap - r->len + i) % r->cap;
}

double ring_t(const view_ring *r, size_t i) { return i < r->len ? r->t[slot(r, i)] : NAN; }

double ring_v(const view_ring *r, size_t i, size_t series) {
  if (i >= r->len || series >= r->nseries) return NAN;
  return r->v[slot(r, i) * r->nseries + series];
}

double ring_last_t(const view_ring *r) { return r->len ? ring_t(r, r->len - 1) : NAN; }
