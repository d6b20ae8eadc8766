/* port_rt: the records every part of the port runtime reads: the port itself (which
 * holds each part's state), its stations, channels and the pool of jobs (items in the
 * port). Each part declares its functions in its own header (flow.h, staff.h, ...),
 * which includes this one and no other part's; only the composition root (port.c)
 * includes them all. Private to models/port/ (other rooms use models/port.h). */
#ifndef MODELS_PORT_PORT_RT_H
#define MODELS_PORT_PORT_RT_H

#include <signal.h>

#include <gsl/gsl_rng.h>

#include "models/declgen.h"
#include "models/item.h"
#include "models/kernel.h"
#include "models/port.h"
#include "models/port/capacity_state.h"
#include "models/selection.h"
#include "models/snapshot.h"
#include "sim/fifo.h"
#include "sim/resource.h"
#include "sim/stats.h"

#define NO_JOB UINT32_MAX

/* release_bin's table: a bin for every sixteenth of an octave from 2^REL_LUT_E0 min
 * (1/16 min) to 2^(REL_LUT_E0 + 21) (91 days), around the release edges (kpi.h). */
#define REL_LUT_E0 (-4)
#define REL_LUT_N (21 * 16)

/* 256 bytes, four cache lines, in pages of 2 MB (port_job_grow): a departure touches few
 * lines and few pages. */
typedef struct job {
  item it;
  int32_t ch, st, pos;
  int32_t hold_st;     /* station whose server it keeps while blocked, or -1 */
  union {
    int32_t risk_st;   /* station whose risk kernel scored it, or -1 */
    uint32_t next_free; /* a free job: the next free one */
  };
  int32_t batch;       /* its row in the batch figures (class.c), or -1 */
  double t_arr, t_done, waited, t_decl, t_permit, t_enter;
  sim_handle depart;
  unsigned selected : 1, alarmed : 1, inspected : 1, dutiable : 1, ipr : 1, found : 1,
      counted_decl : 1, counted_permit : 1;
  uint8_t verdict;     /* the current station's decision, applied when service ends */
  uint8_t preempted;   /* its service was cut short: t_done holds the service time left */
  int32_t origin;      /* its batch's origin code (index in the channel's list), or -1 */
  float risk_score;    /* NaN until a risk station scores it */
  int64_t path;        /* bit k: visited the k-th station of its route */
} job;

_Static_assert(sizeof(job) == 256, "job: 256 bytes");

typedef struct station_rt {
  struct port *p;
  int idx;
  const spec_station *sp;
  resource *res;          /* NULL for unlimited stations */
  gsl_rng *svc_rng, *fail_rng, *dec_rng;
  int svc_feed;           /* 1 + its service times' stream in p->feed, 0: drawn here */
  void *kstate;           /* kernel state, or NULL */
  int kshared;            /* kstate belongs to the experiment, not to this port */
  selection *sel;         /* risk stations */
  selection_every *every; /* every-k-th selection (policy "every"), or NULL */
  gsl_rng *every_rng;     /* its gaps */
  station_cap cap;        /* what it may run now (written by capacity.c only) */
  const struct dis_station *dis; /* what disruptions do to it (disrupt.c's row) */
  double *span;           /* its busy span (class.c's row) */
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
  int64_t stage_plain;    /* >= 0: every item released so far was declared on arrival
                             and permitted as it left (generic items: stages 0 and 2
                             zero, stage 1 its release time), this many: stage 1's
                             figures are then the release's and the others' zeros, kept
                             in no tally (flow.c); -1: the stages keep their own */
  double *rel_bins;
  int64_t cancelled, diverted_out, diverted_in, held, pulled, delayed24, delayed72;
  int64_t released_all;   /* every release, warm-up included (recovery figures) */
  double base_release_min;/* mean release time before the first disruption */
} channel_rt;

/* The port: the engine, the spec, the stations, channels and jobs every part reads, and
 * a pointer to each part's own state (defined in that part's file or header). */
struct port {
  const spec *sp;
  sim *s;
  const double *clock;    /* the sim's clock (hot paths read it directly) */
  uint64_t seed;
  uint32_t rep;
  station_rt *st;
  channel_rt *ch;
  struct itemfeed *feed;  /* NULL: the channels draw their items themselves (feed.c) */
  void *svc_src;          /* feed.c's sources of the stations' service-time streams */
  struct pool_rt *pool;   /* [npool] staff pools (staff.c) */
  job **pages;            /* the job pool, JOB_PAGE jobs a page (2 MB aligned) */
  void **page_mem;        /* the allocation each page lies in */
  size_t npages_cap;
  uint32_t njobs, jobs_cap, free_head;
  uint64_t next_id;
  double t_warm, t_end;
  int measuring;
  double edges[KPI_REL_BINS + 1];
  uint8_t rel_lut[REL_LUT_N];     /* release_bin's first guess (flow.c) */
  struct series_rt *ser;  /* the time series (series.c) */
  struct dis_rt *dis;     /* disruption runtime (disrupt.c) */
  struct dis_station *dst; /* [nst] what disruptions do to each station (disrupt.c) */
  struct coast *coast;    /* coastline surveillance (coast.h), or NULL */
  FILE *items_log;        /* per-item records (output.items), or NULL */
  uint64_t nitems;
  kpi_event *events;      /* a few per day: failures, shifts, disruptions */
  size_t nevents, cap_events;
  uint64_t events_dropped; /* past the event log's cap */
  sim_error fail;         /* why the run failed (port_fail), code 0 if it did not */
  struct view_rt *vw;     /* the viewer's record: frames, finds (view.c) */
  double view_next;       /* time of the next frame (port_run) */
  const volatile sig_atomic_t *interrupt; /* polled as the job pool grows, or NULL */
  int stop;               /* why the run was stopped (PORT_STOP_*), 0 if not */
  struct class_rt *cls;   /* figures per class and per batch (class.c) */
};

enum { PORT_STOP_LIMIT = 1, PORT_STOP_INTR };

#define JOB_PAGE 8192 /* 2 MB of jobs */

/* The distribution a station's service times come from (its simplified procedure's
 * where it runs one). */
static inline const dist *station_service(const spec_station *sp) {
  return sp->simplified ? &sp->simplified_service : &sp->service;
}

static inline job *job_at(const port *p, uint32_t j) {
  return &p->pages[j / JOB_PAGE][j % JOB_PAGE];
}

/* port.c: a job from a new slot of the pool (the free list is empty), NO_JOB if the pool
 * may not or cannot grow. */
uint32_t port_job_grow(port *p);
/* port.c: appends to the event log (past a hard cap, counted in events_dropped). */
void port_log(port *p, int kind, int target, double value);

/* A station whose servers wait for staff from a pool (staff.c hands them out). */
static inline int station_staffed(const station_rt *s) {
  return s->res && (s->sp->pool >= 0 || s->sp->remote_pool >= 0);
}

/* The integral of a time average's level from its last reset up to t. */
static inline double timeavg_integral(const timeavg *a, double t) {
  return a->area + a->last_v * (t - a->last_t);
}

static inline uint64_t port_pack(uint32_t a, uint32_t b) { return ((uint64_t)a << 32) | b; }

#endif
