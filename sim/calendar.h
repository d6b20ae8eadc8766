/* calendar: the pending-event set of a simulation, ordered by (time, scheduling
 * sequence), so events at equal times run in the order they were scheduled. A ladder
 * queue (calendar.c): scheduling is mostly an append to a bucket, taking the earliest
 * costs a few sequential passes amortised, and it keeps its speed with a million events
 * pending; a handful of events live in a small heap or, up to 8, in a fixed array
 * (sim/README.md has the measurements against the 4-ary heap it replaced).
 * Every event has a handle, so it can be cancelled or moved in O(1); a handle whose
 * event has already run or been cancelled is recognised as stale (generation counter).
 * Times never go below the last one taken in a simulation; pushing such a time is
 * allowed here but costs O(n).
 *
 * Ownership: cal_new returns a calendar owned by the caller, released with cal_free.
 * ctx pointers stored in events are not owned. */
#ifndef SIM_CALENDAR_H
#define SIM_CALENDAR_H

#include <stddef.h>
#include <stdint.h>

typedef uint64_t cal_handle; /* 0 is never a valid handle */

/* The calendar stores but never calls the function: its owner casts it back to the
 * type it was stored as (a conversion C defines). */
typedef void (*cal_fn)(void);

typedef struct cal_event {
  double t;
  cal_fn fn;
  void *ctx;
  uint64_t arg;
} cal_event;

typedef struct calendar calendar;

calendar *cal_new(size_t capacity_hint);
void cal_free(calendar *c);

/* Schedules fn(owner, ctx, arg) at time t. Returns 0 only if memory ran out. */
cal_handle cal_push(calendar *c, double t, cal_fn fn, void *ctx, uint64_t arg);
/* Removes the earliest event into *out; returns 0 if the calendar is empty (or memory
 * ran out while ordering it). */
int cal_pop(calendar *c, cal_event *out);
/* As cal_pop, only if the earliest event's time is <= t_end: 1 if it was taken, 0 if
 * none is due, -1 if memory ran out. */
int cal_pop_until(calendar *c, double t_end, cal_event *out);
/* 1 if the event was pending and is now cancelled, 0 if the handle was stale. */
int cal_cancel(calendar *c, cal_handle h);
/* Moves a pending event to time t (it then ranks as if newly scheduled). 0 if stale. */
int cal_reschedule(calendar *c, cal_handle h, double t);
/* Whether h names a pending event; its time in *t. */
int cal_pending(const calendar *c, cal_handle h, double *t);

size_t cal_size(const calendar *c);
/* Time of the earliest event, +inf when empty (NaN if memory ran out ordering it). */
double cal_next_time(calendar *c);
void cal_clear(calendar *c);

#endif
