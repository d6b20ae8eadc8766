/* snapshot: a read-only copy of a running port's state for the viewer (viz/) and for
 * tests: the clock, each station (servers, busy, queue, state, equipment down), each
 * channel (counts, every way out, finds by kind, release-time percentiles so far), each
 * staff pool, each port (closed or open, backlog, waiting items), the disruption in
 * force and the last finds. The viewer never touches the model otherwise; it steers it
 * only through port_advance and port_intervene, and it draws these figures only.
 *
 * Frames: the changing figures of a snapshot packed into doubles (snapshot_pack). A run
 * records one every frame interval (replication 0 of customs-sim; a live viewer session
 * with --out), after every event at that instant, so a replay of the frame at time T
 * is the snapshot a live viewer took at T (results/README.md, /view).
 *
 * Ownership: a snapshot's arrays are owned by the snapshot (snapshot_free); names and
 * labels point into the port's spec and stay valid while the port lives. */
#ifndef MODELS_SNAPSHOT_H
#define MODELS_SNAPSHOT_H

#include <stddef.h>
#include <stdint.h>

#include "models/kpi.h"
#include "models/port.h"

typedef enum {
  SNAP_IDLE = 0,   /* servers available, nobody waiting or in service */
  SNAP_BUSY,       /* serving */
  SNAP_DOWN,       /* no working equipment unit (failure, maintenance, power) */
  SNAP_CLOSED,     /* closed by a disruption */
  SNAP_UNSTAFFED,  /* equipment works but nobody is on shift */
  SNAP_NSTATES
} snap_state;

/* Display names: [0] English, [1] Japanese; NULL when the scenario gives none. */
typedef const char *snap_label[2];

typedef struct snap_station {
  const char *name, *type;
  snap_label label;
  int port;         /* index in snapshot.port */
  int pool;         /* staff pool it draws on, or -1 */
  int fallback;     /* station taking the items it does not apply to, or -1 */
  int servers;      /* configured (-1: unlimited) */
  int capacity;     /* available now (staff and equipment); busy <= capacity */
  int busy;
  long queue;
  int state;        /* snap_state */
  int units, units_down; /* equipment units, and how many are down now */
  int64_t served;
  double wait_mean_min, utilization; /* over the measured period so far (NaN: none) */
} snap_station;

typedef struct snap_channel {
  const char *name;
  snap_label label;
  int kind;         /* item_kind */
  int port;
  int64_t arrived, released, seized, lost, inspected, in_system;
  int64_t diverted_in, diverted_out, held, cancelled; /* disruptions */
  int64_t finds[KPI_SEIZE_N]; /* finds by kind (kpi.h seizure categories), measured period */
  double normal_in_system;    /* items in the port before the first disruption (EWMA) */
  double release_p50_min, release_p95_min, wait_p95_min;
  double target_min, within_target_share, wait_target_min, wait_within_target_share;
  const int *route; /* station indices, nroute of them */
  size_t nroute;
} snap_channel;

typedef struct snap_pool {
  const char *name;
  snap_label label;
  int port;
  int size, on_duty, busy;
} snap_pool;

typedef struct snap_port {
  const char *name;  /* "" for a single-port scenario */
  snap_label label;
  double lat, lon;   /* degrees (NaN: not given) */
  int closed;        /* every channel's arrivals stopped by a disruption */
  double level;      /* share of normal arrivals let in (1 normally) */
  int64_t backlog;   /* items in the port (its channels' in_system) */
  int64_t waiting;   /* items queued at its stations */
  int64_t held;      /* arrivals held off until it reopens */
  double normal_backlog; /* its channels' normal_in_system */
} snap_port;

/* A coast zone (coast.h): attempts at sea, what became of them, its weather. */
typedef struct snap_zone {
  const char *name;
  snap_label label;
  double lat, lon, area_km2; /* display position (NaN: none) and area */
  int at_sea, tracked;       /* attempts unseen at sea, and detected ones still at sea */
  int64_t attempts, detected, interdicted, landed; /* measured period so far */
  double detect_share, interdict_share; /* over the attempts ended so far (NaN: none) */
  double coverage_per_h;     /* search rate now: sum(W v) / A */
  double wind_ms, typhoon;   /* weather now; typhoon level (1: none) */
  int rain, sea_state;
  double last_detect_h, last_interdict_h, last_landed_h; /* hours from the start, NaN: none */
} snap_zone;

/* A coast asset: where its units are. */
typedef struct snap_asset {
  const char *name, *type;   /* type: drone, boat, satellite, radar */
  snap_label label;
  int zone, count, fixed_wing;
  int searching, responding, transit, ready, turnaround, grounded, no_crew;
  int64_t detections, interdictions;
} snap_asset;

/* One find: a station found something on an item (SNAP_FINDS kept, newest last). */
typedef kpi_find snap_find; /* t_min, station, channel, kind (a kpi.h seizure category) */
#define SNAP_FINDS 64

typedef struct snapshot {
  double now_min, end_min, warmup_min, frame_min;
  const char *start_iso; /* calendar date of time zero */
  const char *scenario;
  snap_label label;      /* the scenario's display name */
  const struct present *pres; /* locations, tracks (may be NULL) */
  size_t nst, nch, npool, nport, nresp, nzone, nasset;
  snap_station *st;
  snap_channel *ch;
  snap_pool *pool;
  snap_port *port;
  uint8_t *resp_on;      /* [nresp] 1 while a response of the plan is in force */
  snap_zone *zone;       /* [nzone] coast zones (none without a coast) */
  snap_asset *asset;     /* [nasset] coast assets */
  /* the disruption in force, if any */
  int disruption_active;
  int disruption_index;  /* in the scenario's disruptions; -1: a live drill */
  int disruption_kind;   /* dis_kind */
  const char *disruption_name;
  snap_label disruption_label;
  double disruption_since_min, disruption_level, rto_h;
  uint64_t events;
  /* the last finds: find[(nfind - k) % SNAP_FINDS] for k = 1 .. min(nfind, SNAP_FINDS) */
  snap_find find[SNAP_FINDS];
  uint64_t nfind;
} snapshot;

/* Fills s from p; the arrays are allocated on the first call and reused. */
int snapshot_take(const port *p, snapshot *s);
void snapshot_free(snapshot *s);

/* ---- frames (snapshot.c) ---- */

/* The frame interval of a spec: its output.sample_min, or 15 minutes. */
double snapshot_frame_interval(const struct spec *sp);
/* Shapes s for sp without a port (names, labels, routes; figures zero): what a replay
 * fills with snapshot_unpack. Arrays owned by s (snapshot_free). */
int snapshot_shape(const struct spec *sp, snapshot *s);
/* Doubles in one packed frame of a snapshot shaped like s. */
size_t snapshot_frame_width(const snapshot *s);
void snapshot_pack(const snapshot *s, double *out);
void snapshot_unpack(snapshot *s, const double *in);

/* The fields of a frame by part, for writing and reading /view: part 0 the run, 1 a
 * station, 2 a channel, 3 a pool, 4 a port, 5 a response, 6 a coast zone, 7 a coast
 * asset. */
enum { SNAP_PART_RUN = 0, SNAP_PART_STATION, SNAP_PART_CHANNEL, SNAP_PART_POOL, SNAP_PART_PORT,
       SNAP_PART_RESPONSE, SNAP_PART_ZONE, SNAP_PART_ASSET, SNAP_NPARTS };
typedef struct snap_field {
  const char *name, *units, *long_name;
} snap_field;
const snap_field *snapshot_fields(int part, size_t *n);
/* Entities of a part in s (1 for the run). */
size_t snapshot_part_count(const snapshot *s, int part);

/* The frames a port recorded so far (replication 0 only): nframes x width doubles; none
 * while they are spooled to a temporary file (port_kpis reads them). */
const double *port_view_frames(const port *p, size_t *nframes, size_t *width);
/* Records a frame of the port's state now (the viewer calls it at frame times; port_run
 * does so for replication 0). Returns 0 or SIM_ENOMEM. */
int port_view_record(port *p);
/* Every find so far (replication 0 only, capped): n of them; none while they are
 * spooled to a temporary file (port_kpis reads them). */
const snap_find *port_view_finds(const port *p, size_t *n);

#endif
