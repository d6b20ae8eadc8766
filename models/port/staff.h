/* staff: staff pools on their rosters and who serves where (staff.c). Private to
 * models/port/. */
#ifndef MODELS_PORT_STAFF_H
#define MODELS_PORT_STAFF_H

#include "models/port/port_rt.h"

int staff_init(port *p);
void staff_free(port *p);
/* Schedules the rosters; staffed stations start with no server open (port.c then starts
 * the equipment and calls staff_reallocate). */
void staff_start(port *p);
/* capacity.c: n services of staffed station st stopped (a closure): their persons are
 * free; the servers st may run changed: note it and hand out free staff. */
void staff_stopped(port *p, station_rt *st, int n);
void staff_capacity_changed(port *p, station_rt *st);
/* Persons on duty changed (roster, disruption, response): recompute and hand out. */
void staff_reallocate(port *p);
/* Disruptions and responses (disrupt.c): the share of pool k able to work, persons
 * added (overtime, telework, redeployment; negative: taken away) and overtime worked.
 * Nothing is applied until staff_reallocate. */
void staff_set_present_share(port *p, int k, double share);
void staff_add_persons(port *p, int k, int n);
void staff_add_overtime(port *p, int k, double person_min);
/* Hands the free persons of pool k to the stations that wait for them. */
void staff_dispatch(port *p, int k);
/* An item joined station st's queue. */
void staff_item_queued(station_rt *st);
/* A staffed station's item leaves its server: frees server and persons, hands them out.
 * 0 if st draws on no pool (the caller releases the server itself). */
int staff_release(station_rt *st, uint64_t token);
/* Servers st could run now (busy + those free staff and idle equipment allow); -1 if
 * unlimited. */
int station_possible_servers(const port *p, const station_rt *st);
double staff_busy_persons(const port *p, int pool);
double staff_on_duty_persons(const port *p, int pool);
/* Busy persons recomputed from the stations and port_staff_take (the invariant checker
 * compares). */
double staff_busy_exact(const port *p, int pool);
double staff_overtime_min(const port *p, int pool);
/* The integrals of pool k's persons on duty and busy since their last reset, up to t. */
double staff_on_integral(const port *p, int pool, double t);
double staff_busy_integral(const port *p, int pool, double t);
/* The pool's name if an event context is a pool, else NULL (the run's error message). */
const char *staff_pool_name(const port *p, const void *ctx);
/* Fills k->pool (after staff_close) over the measured span (minutes). */
void staff_kpis(const port *p, kpi_run *k, double now, double span);
/* The measured period starts; the figures so far are closed at the current time. */
void staff_measure_start(port *p);
void staff_close(port *p);
/* The staff invariants; > 0 with a message in why when one is broken. */
int staff_check(const port *p, char *why, size_t n);

#endif
