/* sim: the simulation as a value: a clock, an event calendar and a run loop. There is
 * no global state, so two simulations can run in one process or on two threads.
 * Time is a double in the model's unit (the customs model uses minutes).
 *
 * Ownership: sim_new returns a sim owned by the caller, released with sim_free.
 * The ctx pointers of scheduled events are not owned. */
#ifndef SIM_SIM_H
#define SIM_SIM_H

#include <stdint.h>

#include "sim/calendar.h"

typedef struct sim sim;
typedef cal_handle sim_handle;
typedef void (*sim_fn)(sim *s, void *ctx, uint64_t arg);

sim *sim_new(void);
void sim_free(sim *s);

double sim_now(const sim *s);
/* The clock itself, for hot paths that read it on every event (valid while s lives). */
const double *sim_clock(const sim *s);
/* Schedules fn at absolute time t (>= now) or after a delay dt (>= 0). 0 if no memory. */
sim_handle sim_at(sim *s, double t, sim_fn fn, void *ctx, uint64_t arg);
sim_handle sim_after(sim *s, double dt, sim_fn fn, void *ctx, uint64_t arg);
int sim_cancel(sim *s, sim_handle h);
int sim_reschedule(sim *s, sim_handle h, double t);

/* Runs events with time <= t_end, at most max_events of them (0: no cap); the clock
 * ends at t_end if the calendar ran past it, else at the last event. Returns the
 * number of events run. Stops early when sim_stop was called, an event failed, or the
 * clock stalled (see below). */
uint64_t sim_run_until(sim *s, double t_end, uint64_t max_events);
/* Asks the loop to return after the current event (safe from a signal-polling hook). */
void sim_stop(sim *s);
int sim_stopped(const sim *s);
/* An event records a failure: the loop stops and the code is kept. A failure to
 * schedule (sim_at returns 0: out of memory) records SIM_ENOMEM the same way, and
 * sim_fail_ctx then gives the ctx of the event that could not be scheduled (else NULL),
 * so the caller can say which part of the model it was. */
void sim_fail(sim *s, int code);
/* The failure code (0 if none): an event's, SIM_ENOMEM if the calendar ran out of
 * memory, SIM_ESTALL if the clock stalled. */
int sim_failed(const sim *s);
void *sim_fail_ctx(const sim *s);

/* Stall guard. A model whose clock stops advancing (a zero-time loop) would run
 * forever; the loop fails with SIM_ESTALL instead once more than `limit` events in a
 * row have run at one instant (default SIM_STALL_LIMIT; 0 turns the guard off). The
 * check costs one comparison an event. */
#define SIM_STALL_LIMIT 1000000u
void sim_set_stall_limit(sim *s, uint64_t limit);
uint64_t sim_stall_limit(const sim *s);
/* After a stall: the handler and context that ran most often among the last events of
 * the stalled instant (up to 4096 of them, counted in *count), so the model can name
 * the process or station that loops; the instant is sim_now. Returns 1 after a stall,
 * else 0 (the outputs are then left alone). Any output may be NULL. */
int sim_stall_info(const sim *s, sim_fn *fn, void **ctx, uint64_t *count);

/* A hint for the run loop: while an event runs, the one due next is looked at, and if
 * its handler is fn, pf(ctx, arg) of that event is called first, so a model can
 * prefetch the record that event will touch (a cache miss hidden behind the current
 * handler's work). pf must not change anything. One pair; fn NULL turns it off. */
typedef void (*sim_prefetch_fn)(void *ctx, uint64_t arg);
void sim_set_prefetch(sim *s, sim_fn fn, sim_prefetch_fn pf);

uint64_t sim_events(const sim *s);
size_t sim_pending(const sim *s);
double sim_next_time(const sim *s);

#endif
