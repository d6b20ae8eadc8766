/* snapshot: a read-only copy of a running port's state for the viewer (viz/) and for
 * tests: the clock, each station (servers, busy, queue, state), each channel (counts,
 * release-time percentiles so far) and each staff pool. The viewer never touches the
 * model otherwise; it steers it only through port_advance and port_intervene.
 *
 * Ownership: a snapshot's arrays are owned by the snapshot (snapshot_free); names
 * point into the port's spec and stay valid while the port lives. */
#ifndef MODELS_SNAPSHOT_H
#define MODELS_SNAPSHOT_H

#include <stddef.h>
#include <stdint.h>

#include "models/port.h"

typedef enum {
  SNAP_IDLE = 0,   /* servers available, nobody waiting or in service */
  SNAP_BUSY,       /* serving */
  SNAP_DOWN,       /* no working equipment unit (failure, maintenance, power) */
  SNAP_CLOSED,     /* closed by a disruption */
  SNAP_UNSTAFFED,  /* equipment works but nobody is on shift */
  SNAP_NSTATES
} snap_state;

typedef struct snap_station {
  const char *name, *type;
  int servers;      /* configured */
  int capacity;     /* available now (staff and equipment) */
  int busy;
  long queue;
  int state;        /* snap_state */
  int64_t served;
  double wait_mean_min, utilization; /* over the measured period so far (NaN: none) */
} snap_station;

typedef struct snap_channel {
  const char *name;
  int kind;         /* item_kind */
  int64_t arrived, released, seized, inspected, in_system;
  double release_p50_min, release_p95_min, wait_p95_min;
  double target_min, within_target_share, wait_target_min, wait_within_target_share;
  const int *route; /* station indices, nroute of them */
  size_t nroute;
} snap_channel;

typedef struct snap_pool {
  const char *name;
  int size, on_duty, busy;
} snap_pool;

typedef struct snapshot {
  double now_min, end_min, warmup_min;
  const char *start_iso; /* calendar date of time zero */
  const char *scenario;
  size_t nst, nch, npool;
  snap_station *st;
  snap_channel *ch;
  snap_pool *pool;
  /* the disruption in force, if any (issue: disruptions) */
  int disruption_active;
  const char *disruption_name;
  double disruption_since_min, rto_h;
  uint64_t events;
} snapshot;

/* Fills s from p; the arrays are allocated on the first call and reused. */
int snapshot_take(const port *p, snapshot *s);
void snapshot_free(snapshot *s);

#endif
