/* bench_heap4: the 4-ary heap calendar the simulator used before (reference for the
 * calendar hold benchmark). Same contract as sim/calendar.h. */
#ifndef TESTS_BENCH_HEAP4_H
#define TESTS_BENCH_HEAP4_H

#include <stddef.h>
#include <stdint.h>

#include "sim/calendar.h"

typedef cal_event h4_event;
typedef struct h4cal h4cal;

h4cal *h4_new(size_t capacity_hint);
void h4_free(h4cal *c);
uint64_t h4_push(h4cal *c, double t, cal_fn fn, void *ctx, uint64_t arg);
int h4_pop(h4cal *c, h4_event *out);
int h4_cancel(h4cal *c, uint64_t h);
int h4_reschedule(h4cal *c, uint64_t h, double t);
int h4_pending(const h4cal *c, uint64_t h, double *t);
size_t h4_size(const h4cal *c);
double h4_next_time(const h4cal *c);
void h4_clear(h4cal *c);

#endif
