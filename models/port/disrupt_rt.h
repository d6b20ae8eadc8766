/* disrupt_rt: disruptions and responses at run time (disrupt.c); their spec is
 * models/disrupt.h. Private to models/port/. */
#ifndef MODELS_PORT_DISRUPT_RT_H
#define MODELS_PORT_DISRUPT_RT_H

#include "models/disrupt.h"
#include "models/port/port_rt.h"

/* What disruptions and responses do to a station now (one per station, owned by
 * disrupt.c; the flow reads it on every service, hence inline). */
typedef struct dis_station {
  double factor;   /* share of capacity left (1 normally; capacity.c gets it too) */
  double manual;   /* service-time multiplier in manual mode (1 normally) */
  double sel_keep; /* responses: share of risk selections kept (1 normally) */
  int perish_prio; /* responses: queue priority added for perishables */
} dis_station;

/* The station keeps a pointer to its row (set by disrupt_init): one load per service. */
static inline const dis_station *disrupt_station(const station_rt *s) { return s->dis; }

int disrupt_init(port *p);
void disrupt_free(port *p);
/* 1 if an arrival at channel ch goes ahead; otherwise it was held, cancelled or
 * diverted here. */
int disrupt_gate(port *p, int ch);
void disrupt_on_sample(port *p);
/* The first disruption's start (minutes), or +inf. */
double disrupt_first_start(const port *p);
const dis_item *disrupt_item(const port *p, int i, int *n);
/* The first disruption in force: its name, start (minutes) and RTO (hours, NaN). */
int disrupt_active(const port *p, const char **name, double *since_min, double *rto_h);
/* The first disruption in force (index among all, live ones after the scenario's), or -1;
 * its level; whether response i of the plan is in force. */
int disrupt_active_index(const port *p, double *level);
int disrupt_response_on(const port *p, int i);
double disrupt_baseline(const port *p, int ch);
/* The share of channel ch's arrivals let in now (1 normally). */
double disrupt_gate_level(const port *p, int ch);

#endif
