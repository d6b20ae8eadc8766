/* coast_internal: the runtime of the coast model, shared by its files (coast.c: zones,
 * attempts, detection, weather and typhoons; coast_units.c: drones, boats and
 * satellites; coast_kpi.c: figures, series, snapshot and invariants). Not for use
 * outside them. */
#ifndef MODELS_COAST_INTERNAL_H
#define MODELS_COAST_INTERNAL_H

#include <gsl/gsl_rng.h>

#include "models/coast.h"
#include "models/port.h"
#include "sim/fifo.h"
#include "sim/stats.h"

#define COAST_NONE UINT32_MAX
#define COAST_CREW_RETRY_MIN 5.0 /* a unit waiting for its crew asks again this often */

/* An attempt: at sea and unseen, then tracked (detected) until a boat reaches it or it
 * lands. */
enum { AT_FREE = 0, AT_SEA, AT_TRACKED };

typedef struct attempt {
  uint32_t gen; /* bumped when the slot is reused: stale events see it */
  uint32_t next_free;
  int state, zone;
  int boat;        /* unit responding, or -1 */
  int other_asset; /* the fixed sensor or satellite of the pending detection */
  double t_start, t_land, t_detect;
  double thresh;  /* the zone's cumulative search effort at which it is seen */
  double t_other; /* pending detection by a fixed sensor or satellite (INFINITY) */
  sim_handle ev_other;
} attempt;

/* A level integrated over time without resets (the series). */
typedef struct coast_level {
  double area, t, v;
} coast_level;

static inline void coast_level_set(coast_level *l, double t, double v) {
  l->area += l->v * (t - l->t);
  l->t = t;
  l->v = v;
}
static inline double coast_level_area(const coast_level *l, double t) {
  return l->area + l->v * (t - l->t);
}

typedef struct zone_rt {
  const coast_zone_spec *sp;
  gsl_rng *arr_rng, *att_rng, *det_rng, *wx_rng;
  double effort, rate, t_last; /* cumulative search effort, its rate (1/min), when updated */
  sim_handle det_ev;           /* the next random-search detection */
  uint32_t *act;               /* attempts at sea or tracked */
  size_t nact, cap_act;
  fifo wait; /* uint32_t: tracked attempts that wait for a boat, oldest first */
  search_weather wx;
  double typhoon; /* level of the typhoon in force (1: none) */
  int64_t in_start, attempts, detected, interdicted, landed, landed_detected;
  tally ttd, resp;                                 /* minutes: detection after start, boat travel */
  timeavg rate_t;                                  /* search rate over the measured period */
  coast_level at_sea;                              /* attempts at sea or tracked (series) */
  double last_detect, last_interdict, last_landed; /* minutes, NaN: none yet */
} zone_rt;

/* A unit's state. Out: going, searching, responding, on scene, coming back. */
enum { U_BASE = 0, U_OUT, U_SEARCH, U_RESPOND, U_SCENE, U_BACK, U_TURN, U_NSTATES };
/* Why a unit at base is not out. */
enum { W_READY = 0, W_WEATHER, W_TYPHOON, W_CREW };

typedef struct unit {
  int asset, k, state, wait;
  double sortie_end; /* when searching must stop to get back within the endurance */
  double crew;       /* persons held from the pool */
  double contrib;    /* its share of the zone's search rate now (1/min) */
  uint32_t target;   /* attempt slot responded to, or COAST_NONE */
  sim_handle ev;     /* its one pending state event */
} unit;

typedef struct asset_rt {
  const coast_asset_spec *sp;
  gsl_rng *rng;
  size_t first; /* its units: c->u[first .. first + count) */
  int n_out, n_avail, n_grounded, n_crew;
  timeavg out_t, avail_t, grounded_t, crew_t;
  coast_level aloft; /* units out (series) */
  int64_t detections, interdictions, sorties, passes, clear_passes;
  sim_handle ev; /* satellites: the next pass */
} asset_rt;

struct coast {
  port *p;
  const coast_spec *sp;
  sim *s;
  zone_rt *z;
  asset_rt *a;
  unit *u;
  size_t nunit;
  attempt *at;
  uint32_t nat, cap_at, free_head;
  int measuring;
  double *ser_aloft, *ser_sea;   /* [nasset][nser], [nzone][nser] */
  double *prev_aloft, *prev_sea; /* integrals at the previous sample */
  size_t nser;
};

static inline double coast_now(const coast *c) { return sim_now(c->s); }

/* coast.c */
void coast_zone_update(coast *c, int z); /* brings the cumulative effort to now */
void coast_zone_rate(coast *c, int z);   /* recomputes the search rate from the units */
void coast_detect(coast *c, uint32_t slot, int asset);
/* A fixed sensor or satellite will see the attempt at time t (the earliest counts). */
void coast_pend_other(coast *c, uint32_t slot, double t, int asset);
void coast_wait_push(coast *c, int z, uint32_t slot);
uint32_t coast_wait_pop(coast *c, int z); /* COAST_NONE when nobody waits */
void coast_interdict(coast *c, uint32_t slot, int unit);
/* 1 if unit u may be out in its zone's weather and typhoon; its sweep factor. */
int coast_allowed(const coast *c, const unit *u, double *factor);

/* coast_units.c */
int coast_units_init(coast *c);
void coast_units_start(coast *c);
/* The zone's weather or typhoon changed: units come back, go out or search anew. */
void coast_units_conditions(coast *c, int z);
/* A detected attempt needs a boat: 1 if one was sent. */
int coast_send_boat(coast *c, uint32_t slot);
/* The attempt a boat was going to landed first: the boat turns back to its work. */
void coast_recall(coast *c, int unit);
void coast_asset_note(coast *c, int asset); /* recounts its units' levels */
uint64_t coast_pack(uint32_t slot, uint32_t gen);

#endif
