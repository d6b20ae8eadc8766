/* disrupt: disruptions and business-continuity responses (ISO 22301 drills). A
 * disruption has a kind, a start, a duration and a level profile (the share of normal
 * capacity left, stepping back up as the port recovers); it acts on the channels,
 * stations and staff pools it targets. Responses (overtime, redeployment, telework,
 * lower inspection rates, priority for perishables) fire when a disruption starts or
 * when a backlog passes a threshold. The spec part is read-only and shared by
 * replications; the runtime part lives in the port (models/port/disrupt.c). */
#ifndef MODELS_DISRUPT_H
#define MODELS_DISRUPT_H

#include <stddef.h>
#include <stdint.h>

#include "sim/dist.h"

typedef enum {
  DIS_CLOSURE = 0, /* facility closed: arrivals stop (cancelled, held or diverted), service stops */
  DIS_PARTIAL,     /* a runway or berth lost: arrival volume scaled */
  DIS_POWER,       /* equipment stops; stations with a manual fallback run slower */
  DIS_OUTAGE,      /* the customs system is down: electronic processing goes manual */
  DIS_STAFF,       /* staff shortage: a share of each pool absent */
  DIS_ACCESS,      /* access cut: staff cannot come, nobody can leave */
  DIS_EARTHQUAKE,  /* closure plus damaged equipment units that need repair */
  DIS_TYPHOON,     /* closure with a forecast: arrivals pulled forward before it */
  DIS_NKINDS
} dis_kind;

typedef enum { DIS_HOLD = 0, DIS_CANCEL, DIS_DIVERT } dis_arrivals;

typedef enum {
  RESP_OVERTIME = 0, /* extra persons on duty in a pool (overtime shifts) */
  RESP_REDEPLOY,     /* persons moved from one pool to another */
  RESP_TELEWORK,     /* a remote pool brought on duty */
  RESP_LOWER,        /* inspection selection thinned by a factor (low-risk, AEO first) */
  RESP_PRIORITISE,   /* perishables and relief goods served first at a station */
  RESP_NACTIONS
} resp_action;

typedef struct dis_step {
  double after_min, level;
} dis_step;

typedef struct dis_item {
  char *name;
  int kind;
  double start_min, dur_min;
  dis_step *steps;           /* steps[0].after_min = 0 */
  size_t nsteps;
  uint8_t *ch, *st, *pool;   /* which channels, stations, pools it acts on */
  int arrivals;              /* dis_arrivals */
  int *divert_ports;
  size_t ndivert;
  double divert_share, divert_delay_min, release_spread_min;
  double lead_min, pull_forward; /* typhoon */
  int *damage;               /* earthquake: stations whose units break */
  size_t ndamage;
  dist repair;
  double rto_min, mtpd_min, mbco; /* NaN when not given */
} dis_item;

typedef struct dis_response {
  char *name;
  int action;
  int on;                    /* disruption index that triggers it, or -1 */
  int channel;               /* backlog trigger: channel index, or -1 */
  double above;              /* backlog trigger: items in the channel above normal */
  double after_min, dur_min;
  int pool, from_pool, station, persons, priority;
  double factor;
} dis_response;

typedef struct disrupt_spec {
  dis_item *d;
  size_t n;
  dis_response *r;
  size_t nr;
} disrupt_spec;

const char *dis_kind_name(int k);
int dis_kind_from_name(const char *name);
/* The level of disruption d at `t` minutes (1 outside its window). */
double dis_level_at(const dis_item *d, double t);

#endif
