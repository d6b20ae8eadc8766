/* resource: a pool of identical servers with a waiting line. Requests carry a token
 * (the caller's id for the customer) and a priority; the line is FIFO or by priority
 * (higher first, FIFO within a priority). The capacity can change over time (shift
 * schedules, breakdowns): when it drops, customers in service finish unless the
 * resource is preemptive, in which case the lowest-priority ones are handed back.
 * An optional limit on the customers present (in service + waiting) makes arrivals
 * beyond it lost. The resource keeps its own statistics (waits, queue length, busy
 * servers, capacity, losses), reset at the end of a warm-up by res_stats_reset.
 *
 * Ownership: res_new returns a resource owned by the caller (res_free); it keeps a
 * pointer to the sim, which must outlive it. */
#ifndef SIM_RESOURCE_H
#define SIM_RESOURCE_H

#include <stdint.h>

#include "sim/sim.h"
#include "sim/stats.h"

typedef struct resource resource;

typedef enum { RES_FIFO = 0, RES_PRIORITY = 1 } res_discipline;
enum { RES_STARTED = 0, RES_QUEUED = 1, RES_LOST = 2, RES_ERROR = 3 };

typedef struct res_callbacks {
  /* A waiting request got a server at the current time after waiting `waited`. */
  void (*grant)(void *ctx, uint64_t token, double waited);
  /* Preemptive resources only: a customer in service lost its server; the caller
   * cancels its completion and may request again. */
  void (*preempt)(void *ctx, uint64_t token);
} res_callbacks;

typedef struct res_stats {
  uint64_t arrived, served, lost, preempted;
  tally wait;          /* waits of customers that started service */
  histogram wait_hist;
  timeavg queue, busy, cap; /* cap: servers available (capacity, or busy if more) */
  double down_time;    /* time with capacity 0 while customers were present or waiting */
} res_stats;

resource *res_new(sim *s, int capacity, res_discipline d, long limit, int preemptive,
                  res_callbacks cb, void *ctx);
void res_free(resource *r);

/* Asks for a server. RES_STARTED: the caller starts service now. RES_QUEUED: grant
 * will be called later. RES_LOST: the station was full. RES_ERROR: the line could not
 * grow (out of memory); the sim is marked failed (sim_fail) and the request is dropped.
 * Any allocation failure inside the resource marks the sim failed the same way. */
int res_request(resource *r, uint64_t token, int priority);
/* A customer in service leaves and frees its server (the next one may be granted). */
void res_release(resource *r, uint64_t token);
/* As res_release, but the server leaves with the customer: the capacity drops by one,
 * so nobody waiting is granted it. For servers handed out by the caller (shared staff),
 * who raises the capacity again to start the next customer it chooses. */
void res_release_take(resource *r, uint64_t token);
/* Stops a customer in service: it goes back to the front of its priority class in the
 * line, its server free but not handed on (the capacity decides, as for a station that
 * closes). The caller cancels its completion. */
void res_interrupt(resource *r, uint64_t token, int priority);
/* Removes a waiting request (reneging, or a closure that clears the line). 1 if found. */
int res_withdraw(resource *r, uint64_t token);
void res_set_capacity(resource *r, int capacity);

int res_capacity(const resource *r);
int res_busy(const resource *r);
long res_queue_len(const resource *r);
/* Token of the k-th waiting customer in service order (k < res_queue_len). */
uint64_t res_queue_at(const resource *r, long k);

/* The statistics as of this call (the time averages are brought up to date from the
 * resource's own running sums here): read them before the resource changes again. */
const res_stats *res_get_stats(const resource *r);
void res_stats_reset(resource *r);
/* Closes the time averages at the current time (call before reading them). */
void res_stats_close(resource *r);

#endif
