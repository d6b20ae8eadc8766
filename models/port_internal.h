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
} job;

/* A FIFO of job indices (items waiting to enter a full station). */
typedef struct jobq {
  uint32_t *v;
  size_t head, n, cap;
} jobq;

typedef struct station_rt {
  struct port *p;
  int idx;
  const spec_station *sp;
  resource *res;          /* NULL for unlimited stations */
  gsl_rng *svc_rng, *fail_rng, *dec_rng;
  void *kstate;           /* kernel state, or NULL */
  int kshared;            /* kstate belongs to the experiment, not to this port */
  selection *sel;         /* risk stations */
  int sched, down, maint_down, staff_servers, remote_servers, closed;
  int64_t present;        /* unlimited stations: items in service */
  int64_t served_u, lost_u, arrived_u;
  timeavg busy_u;         /* unlimited stations: items in service over time */
  tally wait_u;
  jobq blocked;
  int64_t inspected, alarms;
  double alloc;           /* persons allocated from its pool */
  struct dog **dogs;      /* detection-dog teams (dogs stations) */
  int ndogs, next_dog;
  double dis_factor;      /* disruptions: share of capacity left (1 normally) */
  double manual;          /* disruptions: service-time multiplier in manual mode (1 normally) */
  double sel_keep;        /* responses: share of risk selections kept (1 normally) */
  int perish_prio;        /* responses: queue priority added for perishables */
} station_rt;

typedef struct channel_rt {
  const spec_channel *sp;
  gsl_rng *arr_rng, *route_rng, *item_rng;
  declgen *gen;           /* NULL for generic channels */
  struct arrivals *arr;
  int64_t in_system, in_system_start, arrived, released, seized, inspected, false_alarms, missed;
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
  timeavg on;
  double overtime_min;
  double dis_factor;      /* disruptions: share of the pool able to work (1 normally) */
  double *s_on;           /* [nsamples] on duty */
  double *s_busy;         /* [nsamples] busy persons */
} pool_rt;

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
  size_t nsamples, sample_i;
  double *t_h, *s_queue, *s_busy, *s_insys;
  struct dis_rt *dis;     /* disruption runtime (disrupt.c) */
  FILE *items_log;        /* per-item records (output.items), or NULL */
  uint64_t nitems;
  kpi_event *events;      /* a few per day: failures, shifts, disruptions */
  size_t nevents, cap_events;
  const volatile sig_atomic_t *interrupt; /* polled as the job pool grows, or NULL */
  int stop;               /* why the run was stopped (PORT_STOP_*), 0 if not */
};

enum { PORT_STOP_LIMIT = 1, PORT_STOP_INTR };

#define JOB_PAGE 4096

static inline job *job_at(const port *p, uint32_t j) { return &p->pages[j / JOB_PAGE][j % JOB_PAGE]; }

/* port.c: appends to the event log (dropped silently past a hard cap). */
void port_log(port *p, int kind, int target, double value);

/* port_flow.c */
void flow_arrive(port *p, int ch, int32_t origin);
void flow_place_initial(port *p);
int flow_start_arrivals(port *p);
void flow_space_freed(port *p, int st);
int flow_station_present(const port *p, int st);
/* An arrival that was held or diverted (already past the closure gate). */
void flow_held_arrival(sim *s, void *ctx, uint64_t ch);

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

/* recovery.c: fills k->rec (nothing without disruptions). */
int recovery_kpis(const port *p, kpi_run *k);

/* staff.c */
int staff_init(port *p);
void staff_free(port *p);
void staff_start(port *p);
void station_update_capacity(station_rt *st);
double staff_busy_persons(const port *p, int pool);
void staff_reallocate(port *p);

static inline uint64_t port_pack(uint32_t a, uint32_t b) { return ((uint64_t)a << 32) | b; }

#endif
