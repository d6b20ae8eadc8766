/* flow: items through the port (flow.c): arrivals at the door, the stations of each
 * route, service and decisions, blocking, seizure and release. Private to models/port/. */
#ifndef MODELS_PORT_FLOW_H
#define MODELS_PORT_FLOW_H

#include "models/port/port_rt.h"

void flow_arrive(port *p, int ch, int32_t origin);
void flow_place_initial(port *p);
/* Fills p->rel_lut from p->edges (the release-time bins). */
void flow_release_lut(port *p);
/* Has the run loop prefetch the record of the item whose departure is due next (set
 * once the job pool outgrows its first page: a smaller pool stays in cache). */
void flow_prefetch_on(port *p);
int flow_start_arrivals(port *p);
/* Station st has room again (or reopened): the items blocked before it come in. */
void flow_space_freed(port *p, int st);
int flow_station_present(const port *p, int st);
/* A closing station stops: its items in service go back to the front of its line, to
 * resume their remaining service when it reopens. Returns how many. */
int flow_stop_station(port *p, int st);
/* An item held at a closed door comes in (counted as arrived when it was held). */
void flow_held_arrival(sim *s, void *ctx, uint64_t ch);
/* An item diverted from another port arrives at channel ch. */
void flow_diverted_arrival(sim *s, void *ctx, uint64_t ch);
/* Items of channel ch in the system change by delta (keeps the time average). */
void flow_insys_add(port *p, int ch, int64_t delta);
/* The resource callbacks of a station with servers (its context is the station_rt). */
void flow_on_grant(void *ctx, uint64_t token, double waited);
void flow_on_preempt(void *ctx, uint64_t token);

#endif
