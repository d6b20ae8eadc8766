/* capacity: what a station can run now (capacity.c). Every source of a limit sets its
 * own value through station_capacity_set: the opening schedule (or the dog teams
 * searching), units broken down, units damaged by a disruption, units in maintenance,
 * the share disruptions leave (0 closes the station), and, for staffed stations, the
 * servers staff started. This part combines them into the servers the station may run
 * and is the only one that sets its resource's capacity. Private to models/port/. */
#ifndef MODELS_PORT_CAPACITY_H
#define MODELS_PORT_CAPACITY_H

#include "models/port/capacity_state.h"
#include "models/port/port_rt.h"

enum {
  CAP_SRC_SCHEDULE = 0, /* servers the schedule, or the dog teams searching, allow */
  CAP_SRC_FAILED,       /* units broken down (equipment.c) */
  CAP_SRC_DAMAGED,      /* units damaged by a disruption, under repair (disrupt.c) */
  CAP_SRC_MAINT,        /* units in a maintenance window (equipment.c) */
  CAP_SRC_DISRUPT,      /* share of capacity disruptions leave, 1 normally; 0 closes */
  CAP_SRC_STAFF,        /* staffed stations: the servers staff started (staff.c) */
  CAP_NSRC
};


/* Every station starts with nothing limiting it but its spec. */
void capacity_init(port *p);
/* A source's value before the run starts (nothing applied yet). */
void station_capacity_init_source(port *p, int st, int src, double v);
/* A source's value now (as last set). */
double station_capacity_source(const port *p, int st, int src);
/* Sets a source's limit and applies what the station may run now: stops it if closed,
 * opens or closes servers (staffed stations: hands out free staff), lets blocked items
 * in. Sources other than staff go through capacity_source_set. */
void capacity_source_set(port *p, int st, int src, double v);
/* Applies the limits again (the staff on duty changed). */
void station_capacity_update(port *p, int st);

/* The staff source is set at every service start of a staffed station: inline. */
static inline void station_capacity_set(port *p, int st, int src, double v) {
  if (src == CAP_SRC_STAFF)
    res_set_capacity(p->st[st].res, (int)v);
  else
    capacity_source_set(p, st, src, v);
}

/* Servers the equipment, schedule and disruptions allow now. */
static inline int station_servers_allowed(const station_rt *s) { return s->cap.equip; }
/* A disruption closed the station. */
static inline int station_closed(const station_rt *s) { return s->cap.closed; }
/* Units out of service: broken down or damaged (the event log's figure), and with those
 * in maintenance (the viewer's). */
static inline int station_units_broken(const station_rt *s) {
  return s->cap.failed + s->cap.damaged;
}
static inline int station_units_down(const station_rt *s) {
  return s->cap.failed + s->cap.damaged + s->cap.maint;
}

#endif
