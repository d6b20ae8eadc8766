/* port: one replication of the port model running on its own simulation: arrivals,
 * stations with servers, queues, schedules and breakdowns, routing, and the figures
 * it collects. Built from a read-only spec; every random source has its own stream
 * derived from (seed, replication, source name).
 *
 * Ownership: port_new returns a port owned by the caller (port_free). The spec must
 * outlive it. */
#ifndef MODELS_PORT_H
#define MODELS_PORT_H

#include <signal.h>
#include <stdio.h>
#include <stdint.h>

#include "models/kpi.h"
#include "models/scenario/spec.h"
#include "sim/error.h"
#include "sim/sim.h"

typedef struct port port;

int port_new(port **out, const spec *sp, uint64_t seed, uint32_t rep, sim_error *err);
/* As port_new, with kernel states made beforehand: shared[i], when non-NULL, is used
 * (not owned, not freed) for station i. Only states that never change once made
 * can be shared between replications: see port_kernel_shareable. `interrupt`, when
 * non-NULL, is polled while the job pool grows (placing the initial items, too):
 * port_run then returns SIM_EINTR. */
int port_new_shared(port **out, const spec *sp, uint64_t seed, uint32_t rep,
                    void *const *shared, const volatile sig_atomic_t *interrupt, sim_error *err);
/* Whether station st's kernel state is read-only after creation (a kernel that does not
 * learn, in surrogate mode or marked read_only), so replications may share one. */
int port_kernel_shareable(const spec *sp, int st);
/* Creates station st's kernel state for a run with this seed (owned by the caller,
 * released with the kernel's destroy). *state is NULL if the station has no kernel. */
int port_kernel_create(const spec *sp, int st, uint64_t seed, void **state, sim_error *err);
void port_kernel_destroy(const spec *sp, int st, void *state);
void port_free(port *p);
/* Lets a helper thread fill the generated channels' items, the stations' service times
 * and the channels' arrival candidates ahead of the run (the same draws: models/
 * itemfeed.h, models/port/feed.c), for a run with a core to spare. Best effort: where the
 * thread cannot start or a stream depends on the run, those are drawn in place;
 * the environment variable CUSTOMS_FEED=0 turns it off. Call before port_run. */
void port_draw_ahead(port *p);

/* Runs the warm-up and the measured horizon. `interrupt`, when non-NULL, is polled
 * between chunks of events; when it becomes non-zero the run stops after the current
 * event and returns SIM_EINTR (the figures so far can still be read). `progress`, when
 * non-NULL, is called now and then with the share of simulated time done. */
/* A run stopped by a limit (run.max_items items in the port at once) returns SIM_ERUN
 * with a message naming the limit and how to raise it; the figures so far can be read. */
int port_run(port *p, const volatile sig_atomic_t *interrupt,
             void (*progress)(void *ctx, double share), void *pctx, sim_error *err);

/* Step-wise use (the viewer): run events up to simulated time t (minutes), at most
 * max_events (0: no cap). Returns the number of events run. */
uint64_t port_advance(port *p, double t, uint64_t max_events);
double port_now(const port *p);
double port_end_time(const port *p); /* warm-up + measured horizon, minutes */

/* A live drill (the viewer, or a script): kind "closure", "outage", "staff_shortage",
 * "power" (level = share of capacity left, 0 = stopped), "surge" (level = volume
 * multiplier), or "end" (ends every live drill); target names a port, channel, station
 * or pool, or is empty for all. Recorded in the /events log. */
int port_intervene(port *p, const char *kind, const char *target, double level, sim_error *err);

/* Writes a kpi_item record per released or seized item (measured period) to f, which
 * stays the caller's. */
void port_log_items(port *p, FILE *f);

/* Fills k with the figures of the measured horizon (up to now if stopped early).
 * k's arrays are owned by k afterwards (kpi_run_free). */
int port_kpis(port *p, kpi_run *k, sim_error *err);
/* The same for a port about to be freed: its viewer's frames are handed over to k
 * rather than copied (the port keeps none). */
int port_kpis_final(port *p, kpi_run *k, sim_error *err);

/* Read-only views for snapshots and tests. */
sim *port_sim(port *p);
long port_station_queue(const port *p, int st);
int port_station_busy(const port *p, int st);
int port_station_capacity(const port *p, int st);
int64_t port_channel_in_system(const port *p, int ch);

/* ---- for models that run in the port's simulation (the coast, models/coast.h) ---- */

const spec *port_spec(const port *p);
/* The key of the port's random streams: (seed, replication, source name). */
uint64_t port_seed(const port *p);
uint32_t port_rep(const port *p);
/* 1 once the warm-up is over. */
int port_measuring(const port *p);
/* The samples the series will take (0: none). */
size_t port_samples_planned(const port *p);
/* The run cannot go on truthfully: records the first message, stops the run. */
void port_fail(port *p, int code, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
/* Persons of pool k taken by something other than a station (the coast's pilots and
 * crews): returns 1 and counts them busy when n are free, else 0 and nothing changes.
 * port_staff_give returns them and hands them out to the stations that wait. */
int port_staff_take(port *p, int k, double n);
void port_staff_give(port *p, int k, double n);
/* Persons of pool k free now; persons of pool k taken by port_staff_take. */
double port_staff_free(const port *p, int k);
double port_staff_lent(const port *p, int k);

#endif
