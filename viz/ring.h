/* ring: a fixed-size history of samples (a time and one value per series), the oldest
 * overwritten first. The KPI panel keeps one to draw its sparklines over the last
 * hours; its size is fixed at creation, so a long session cannot grow memory.
 *
 * Ownership: ring_new returns a ring owned by the caller (ring_free). */
#ifndef VIZ_RING_H
#define VIZ_RING_H

#include <stddef.h>

typedef struct view_ring view_ring;

int ring_new(view_ring **out, size_t cap, size_t nseries);
void ring_free(view_ring *r);
void ring_clear(view_ring *r);
/* Appends a sample (nseries values). A sample earlier than the newest one clears the
 * history first (the clock went back: a new run). */
void ring_push(view_ring *r, double t, const double *v);
size_t ring_len(const view_ring *r);
size_t ring_series(const view_ring *r);
/* Sample i, 0 the oldest. */
double ring_t(const view_ring *r, size_t i);
double ring_v(const view_ring *r, size_t i, size_t series);
/* The newest sample's time, or NaN if empty. */
double ring_last_t(const view_ring *r);

#endif
