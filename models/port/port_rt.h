/* port_internal: the runtime structures of a port, shared by the files of the port
 * model (port.c: lifecycle; port_flow.c: items through stations; staff.c: pools and
 * allocation; port_kpi.c: figures and snapshots). Not for use outside models/. */
#ifndef MODELS_PORT_INTERNAL_H
#define MODELS_PORT_INTERNAL_H

#include <signal.h>

#include <gsl/gsl_rng.h>

#include "models/declgen.h"
#include "models/item.h"
#include "models/kernel.h"
#include "models/port.h"
#include "models/selection.h"
#include "models/snapshot.h"
#include "sim/fifo.h"
#include "sim/resource.h"
#include "sim/stats.h"

#define NO_JOB UINT32_MAX

typedef struct job {
  item it;
  int32_t ch, st, pos;
  int32_t hold_st;     /* station whose server it keeps while blocked, or -1 */
  int32_t risk_st;     /* station whose risk kernel scored it, or -1 */
  uint32_t next_free;
  double t_arr, t_done, remaining, waited, t_decl, t_permit, t_enter;
  sim_handle depart;
  uint8_t selected, alarmed, inspected, dutiable, ipr, found, counted_decl, counted_permit;
  uint8_t verdict;     /* the current station's decision, applied when service ends */
  float risk_score;    /* NaN until a risk station scores it */
  int64_t path;        /* bit k: visited the k-th station of its route */
  int32_t batch;       /* its row in the batch figures (port_class.c), or -1 */
  int32_t origin;      /* its batch's origin code (index in the channel's list), or -1 */
} job;

typedef struct station_rt {
  struct port *p;
  int idx;
  const spec_station *sp;
  resource *res;          /* NULL for unlimited stations */
  gsl_rng *svc_rng, *fail_rng, *dec_rng;
  void *kstate;           /* kernel state, or NULL */
  int kshared;            /* kstate belongs to the experiment, not to this port */
  selection *sel;         /* risk stations */
  selection_every *every; /* every-k-th selection (policy "every"), or NULL */
  gsl_rng *every_rng;     /* its gaps */
  int sched, down, maint_down, closed;
  int equip;              /* servers the equipment, schedule and disruptions allow now */
  timeavg avail_t;        /* staffed stations: max(equip, busy) over time (utilization) */
  timeavg blocked_t;      /* items blocked upstream waiting to enter, over time */
  timeavg short_t;        /* staffed stations: 1 while items wait at idle equipment */
  int64_t present;        /* unlimited stations: items in service */
  int64_t served_u, lost_u, arrived_u;
  timeavg busy_u;         /* unlimited stations: items in service over time */
  tally wait_u;
  fifo blocked;           /* job indices (uint32_t) of items waiting to enter it when full */
  int64_t inspected, alarms;
  struct dog **dogs;      /* detection-dog teams (dogs stations) */
  int ndogs, next_dog;
  double dis_factor;      /* disruptions: share of capacity left (1 normally) */
  double manual;          /* disruptions: service-time multiplier in manual mode (1 normally) */
  double sel_keep;        /* responses: share of risk selections kept (1 normally) */
  double span[6];         /* busy span (port_class.c): first in, last out (minutes), and the
                             integrals of available and busy servers at those times */
  int perish_prio;        /* responses: queue priority added for perishables */
} station_rt;

typedef struct channel_rt {
  const spec_channel *sp;
  gsl_rng *arr_rng, *route_rng, *item_rng;
  declgen *gen;           /* NULL for generic channels */
  struct arrivals *arr;
  int64_t in_system, in_system_start, arrived, released, seized, inspected, false_alarms, missed;
  int64_t lost;           /* refused by a full station */
  int64_t held_pending;   /* released from a hold, not yet back at the door */
  timeavg insys_t;        /* items in the system over time */
  int64_t within_target, wait_within_target;
  int64_t seized_kind[CONTRA_N + 3]; /* + ipr, undervaluation found, prohibited export */
  double seized_kg[CONTRA_N];
  double revenue;
  tally release, wait, stage[3], stage_aeo; /* stage_aeo: declaration..permit of AEO items */
  tally permit_adv[2], permit_oga[2];       /* arrival..permit by advance data, other agencies */
  histogram release_hist, wait_hist;
  histogram stage_hist[3];  /* the Time Release Study's three intervals */
  double *rel_bins;
  /* disruptions */
  double gate;            /* share of arrivals let in (1 normally) */
  int gate_dis;           /* the disruption deciding what happens to the rest, or -1 */
  int64_t cancelled, diverted_out, diverted_in, held, pulled, delayed24, delayed72;
  int64_t released_all;   /* every release, warm-up included (recovery figures) */
  double base_release_min;/* mean release time before the first disruption */
  double *s_rel;          /* [nsamples] items released so far (for recovery figures) */
} channel_rt;

typedef struct pool_rt {
  const spec_pool *sp;
  int on_duty, extra;     /* rostered, plus overtime or minus absence (responses) */
  double dis_factor;      /* disruptions: share of the pool able to work (1 normally) */
  double avail;           /* persons able to work now */
  double busy;            /* persons serving now */
  double lent;            /* of busy: persons taken outside the stations (staff_take) */
  timeavg on, busy_t;     /* on duty (max of avail and busy) and busy, over time */
  double overtime_min;    /* person-minutes beyond the roster (responses, finishing items) */
  double busy_prev, avail_prev, finishing_since; /* the open finishing interval (or -1) */
  int *members;           /* stations that draw on the pool (file order) */
  size_t nmembers;
} pool_rt;

/* The time series: each value is the average over the interval that ends at its sample
 * time (series.c). */
typedef struct series_rt {
  size_t n, i;            /* samples planned, taken */
  double *t_h;            /* [n] sample times, hours */
  double *queue, *busy;   /* [nst][n] */
  double *insys;          /* [nch][n] */
  double *on, *staff;     /* [npool][n] on duty, busy persons */
  double *base, *prev;    /* per source: integral before the last reset, at the last sample */
  double *cum;            /* per source: scratch */
} series_rt;

struct port {
  const spec *sp;
  sim *s;
  const double *clock;    /* the sim's clock (hot paths read it directly) */
  uint64_t seed;
  uint32_t rep;
  station_rt *st;
  channel_rt *ch;
  pool_rt *pool;
  job **pages;            /* the job pool, JOB_PAGE jobs a page */
  size_t npages_cap;
  uint32_t njobs, jobs_cap, free_head;
  uint64_t next_id;
  double t_warm, t_end;
  int measuring;
  double edges[KPI_REL_BINS + 1];
  double log_edge1, bins_per_log; /* the log-spaced edges, for release_bin */
  series_rt ser;
  struct dis_rt *dis;     /* disruption runtime (disrupt.c) */
  struct coast *coast;    /* coastline surveillance (coast.h), or NULL */
  FILE *items_log;        /* per-item records (output.items), or NULL */
  uint64_t nitems;
  kpi_event *events;      /* a few per day: failures, shifts, disruptions */
  size_t nevents, cap_events;
  uint64_t events_dropped; /* past the event log's cap */
  sim_error fail;         /* why the run failed (port_fail), code 0 if it did not */
  /* the viewer's record (port_kpi.c): frames, finds */
  double *view;           /* [nview][view_w], or one frame's scratch if view_spool */
  FILE *view_spool;       /* the frames, spooled to an anonymous temporary file, or NULL */
  size_t nview, cap_view, view_w;
  double view_next;       /* time of the next frame (port_run) */
  snapshot *vsnap;        /* scratch for recording */
  snap_find recent[SNAP_FINDS];
  uint64_t nfind;
  snap_find *find_log;    /* replication 0: every find (capped) */
  size_t nfind_log, cap_find_log;
  const volatile sig_atomic_t *interrupt; /* polled as the job pool grows, or NULL */
  int stop;               /* why the run was stopped (PORT_STOP_*), 0 if not */
  struct class_rt *cls;   /* figures per class and per batch (port_class.c) */
};

enum { PORT_STOP_LIMIT = 1, PORT_STOP_INTR };

#define JOB_PAGE 4096

static inline job *job_at(const port *p, uint32_t j) { return &p->pages[j / JOB_PAGE][j % JOB_PAGE]; }

/* port.c: a job from a new slot of the pool (the free list is empty), NO_JOB if the pool
 * may not or cannot grow. */
uint32_t port_job_grow(port *p);

/* port.c: appends to the event log (past a hard cap, counted in events_dropped). */
void port_log(port *p, int kind, int target, double value);
/* The run cannot go on truthfully: records the first message, stops the run. */
void port_fail(port *p, int code, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
/* invariants (port_check.c): checks the model's figures now; a violation fails the run. */
void port_check(port *p);
/* The end-of-run check: the items each channel counts in the system are those that are. */
int port_check_items(port *p);

/* port_flow.c */
void flow_arrive(port *p, int ch, int32_t origin);
void flow_place_initial(port *p);
/* Has the run loop prefetch the record of the item whose departure is due next (set
 * once the job pool outgrows its first page: a smaller pool stays in cache). */
void flow_prefetch_on(port *p);
int flow_start_arrivals(port *p);
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

/* disrupt.c */
int disrupt_init(port *p);
void disrupt_free(port *p);
/* 1 if an arrival at channel ch goes ahead; otherwise it was held, cancelled or
 * diverted here. */
int disrupt_gate(port *p, int ch);
void disrupt_on_sample(port *p);
/* The first disruption's start (minutes), or +inf. */
double disrupt_first_start(const port *p);
const struct dis_item *disrupt_item(const port *p, int i, int *n);
/* The first disruption in force: its name, start (minutes) and RTO (hours, NaN). */
int disrupt_active(const port *p, const char **name, double *since_min, double *rto_h);
/* The first disruption in force (index among all, live ones after the scenario's), or -1;
 * its level; whether response i of the plan is in force. */
int disrupt_active_index(const port *p, double *level);
int disrupt_response_on(const port *p, int i);
double disrupt_baseline(const port *p, int ch);

/* port_kpi.c: the viewer's record. port_found notes a find (kind: a kpi.h seizure
 * category); port_view_free releases the record. */
void port_found(port *p, int st, int ch, int kind);
void port_view_free(port *p);
/* view.c: the viewer's frames and finds into k: copied, or handed over if `take`. */
int port_view_kpis(port *p, kpi_run *k, int take);

/* port_class.c: figures per class of item, per batch and per service level, and each
 * station's busy span. */
int class_init(port *p);
void class_free(port *p);
/* A scheduled batch comes (the arrivals hook): its row, or -1 outside the measured period. */
int32_t class_batch(void *ctx, int channel, double at_min, long size, int32_t origin);
/* Item j of batch row `batch` came in (passed the door). */
void class_batch_arrived(port *p, int32_t batch);
/* Item j leaves: released (out 0), seized (1) or lost (2). */
void class_leave(port *p, const job *jb, int out, double now);
/* Station st: an item came in (in = 1) or left its server (in = 0), while measuring. */
void class_span(port *p, station_rt *s, int in);
/* Fills k->cls, k->bat, k->levels and the stations' span figures. */
int class_kpis(const port *p, kpi_run *k);

/* recovery.c: fills k->rec (nothing without disruptions). */
int recovery_kpis(const port *p, kpi_run *k);

/* staff.c */
int staff_init(port *p);
void staff_free(port *p);
void staff_start(port *p);
/* Recomputes what station st's equipment allows and hands out free staff. */
void station_update_capacity(station_rt *st);
/* Persons on duty changed (roster, disruption, response): recompute and hand out. */
void staff_reallocate(port *p);
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
/* Persons of pool k taken by something other than a station (the coast's pilots and
 * crews): returns 1 and counts them busy when n are free, else 0 and nothing changes.
 * staff_give returns them and hands them out to the stations that wait. */
int staff_take(port *p, int k, double n);
void staff_give(port *p, int k, double n);
/* Busy persons recomputed from the stations and staff_take (the invariant checker
 * compares). */
double staff_busy_exact(const port *p, int pool);
/* The measured period starts; the figures so far are closed at the current time. */
void staff_measure_start(port *p);
void staff_close(port *p);
/* The staff invariants; > 0 with a message in why when one is broken. */
int staff_check(const port *p, char *why, size_t n);

/* equipment.c */
void equipment_init(station_rt *st);
void equipment_start(station_rt *st);

/* series.c */
int series_init(port *p);
void series_free(port *p);
void series_sample(port *p);
/* Called just before the statistics are reset at the end of the warm-up. */
void series_before_reset(port *p);

/* The integral of a time average's level from its last reset up to t. */
static inline double timeavg_integral(const timeavg *a, double t) {
  return a->area + a->last_v * (t - a->last_t);
}

static inline uint64_t port_pack(uint32_t a, uint32_t b) { return ((uint64_t)a << 32) | b; }

#endif
