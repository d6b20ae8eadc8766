/* kpi: the figures one replication produces, per channel and per station, plus its
 * time series. Filled by the port model, written by output.c, printed by the CLI.
 * Counts and statistics cover the measured horizon (after warm-up); NaN = no data. */
#ifndef MODELS_KPI_H
#define MODELS_KPI_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

/* Seizure categories: the contraband kinds of item.h, then IPR, duty assessed
 * (undervaluation or misclassification found) and prohibited exports. */
#define KPI_SEIZE_N 11

/* The exits an item can take, and the identity they keep per channel:
 * in_system_start + arrived + diverted_in = released + seized + lost + diverted_out + in_system_end
 * (arrived counts items at the door, including those then held at a closed door or sent
 * on to another port; cancelled arrivals never come). */
typedef struct kpi_channel {
  int64_t in_system_start, arrived, released, seized, in_system_end, inspected, false_alarms;
  int64_t lost;            /* turned away by a full station */
  int64_t diverted_in, diverted_out; /* from / to another port */
  double in_system_mean;   /* time average over the measured period */
  double backlog_trend_per_day; /* slope of in_system after warm-up (batch means) */
  int64_t backlog_rising;  /* 1: the slope is significantly positive (a growing backlog) */
  int64_t missed;          /* released while illicit */
  double release_mean_min, release_p50_min, release_p95_min, release_p99_min;
  double within_target_share, target_min;
  double wait_mean_min, wait_p95_min; /* time waiting in queues, summed over stations */
  double wait_within_target_share, wait_target_min;
  double stage_mean_min[3]; /* arrival..declaration, declaration..permit, permit..exit */
  double stage_p50_min[3], stage_p95_min[3], stage_p99_min[3];
  double stage_aeo_decl_permit_min; /* declaration..permit of AEO items */
  double permit_adv_min[2];  /* arrival..permit without [0] and with [1] advance data */
  double
      permit_oga_min[2]; /* arrival..permit without [0] and with [1] other agencies' procedures */
  double hit_rate;          /* inspections that found something / inspections */
  double revenue_jpy;       /* evaded tax recovered by inspections */
  int64_t seized_kind[KPI_SEIZE_N];
  double seized_kg[KPI_SEIZE_N];
} kpi_channel;

/* Recovery after disruptions, per scope (a channel, or a whole port). */
typedef struct kpi_recovery {
  const char *scope;        /* channel name, or port name ("port" for a single port) */
  int64_t is_port;
  double peak_backlog, peak_time_h, time_to_normal_h;
  int64_t delayed_24h, delayed_72h, cancelled, diverted_out, diverted_in, held;
  double throughput_lost, overtime_h;
  double rto_h, mtpd_h, mbco, min_service; /* objectives (NaN: none) and the lowest service level */
  int64_t rto_met, mtpd_met, mbco_met;
} kpi_recovery;

typedef struct kpi_pool {
  int64_t size;
  double on_duty_mean, busy_mean, utilization, overtime_h;
} kpi_pool;

/* The released items of one class of one channel (rows [channel][class], spec.cls). */
typedef struct kpi_class {
  int64_t released, seized;
  double share;            /* released in the class / released by the channel */
  double release_mean_min, release_p50_min, release_p95_min, release_p99_min;
  double wait_mean_min, wait_within_target_share;
} kpi_class;

/* One scheduled batch (a flight, a vessel) of the measured period, from its time to
 * the release of its last item (rows in channel order, spec.batch0). */
typedef struct kpi_batch {
  double at_h;             /* scheduled time, hours from the start */
  int64_t size;            /* items it brought (after surges and closures) */
  int64_t arrived, released, seized, lost, in_system_end;
  double first_release_h, last_release_h;
  double clearance_min;    /* last release - batch time; NaN while any item is still in */
  double release_mean_min;
  int32_t origin;          /* origin code (index in the channel's list), or -1; not a figure */
} kpi_batch;

typedef struct kpi_station {
  int64_t servers, arrived, served, lost, inspected, alarms;
  double utilization, wait_mean_min, wait_p95_min, queue_mean, queue_max, down_h;
  double available_mean;   /* servers available (equipment, schedule, disruptions; or busy) */
  double busy_mean;        /* busy servers */
  double offered_load;     /* arrival rate x mean service time / available servers */
  int64_t overloaded;      /* offered_load >= 1 */
  double staff_short_h;    /* time items waited while equipment stood idle for lack of staff */
  double busy_span_h;      /* from the first item in to the last one out (measured period) */
  double span_utilization; /* busy servers / available servers over that span */
} kpi_station;

/* A coast zone (coast.h): landing attempts and what became of them. Each attempt that
 * ends does so once: in_progress_start + attempts = interdicted + landed +
 * in_progress_end. Shares are over the attempts that ended in the measured period. */
typedef struct kpi_zone {
  int64_t in_progress_start, attempts, detected, interdicted, landed, landed_detected;
  int64_t in_progress_end;
  double detect_share, interdict_share, time_to_detect_mean_h, response_mean_h;
  double coverage_per_h;   /* time-average search rate sum(W v) / A */
  double area_km2;
} kpi_zone;

/* A coast asset (all its units). */
typedef struct kpi_asset {
  int64_t units, sorties, detections, interdictions;
  double hours;            /* unit-hours out (flown or sailed) */
  double availability;     /* share of unit-time able to work (satellites: clear passes) */
  double utilization;      /* hours out / hours available */
  double grounded_h, crew_short_h;
} kpi_asset;

typedef enum { KPI_OUT_RELEASED = 0, KPI_OUT_SEIZED = 1, KPI_OUT_LOST = 2, KPI_OUT_N } kpi_outcome;

/* One item's story, for the optional per-item log (output.items = true). */
typedef struct kpi_item {
  int32_t channel;
  int32_t outcome;         /* kpi_outcome */
  int64_t id;
  double arrival_h, decl_h, permit_h, exit_h, waited_min, risk_score, contraband_kg, evaded_jpy;
  int64_t path;            /* bit k set: the item visited the k-th station of its route */
  int32_t contraband;      /* item_contraband */
  uint8_t selected, alarmed, inspected, found, undervalued, ipr, aeo, pad;
} kpi_item;

/* A detection kernel's ROC curve from its calibration table (surrogate mode). */
#define KPI_ROC_PTS 64
typedef struct kpi_roc {
  int station;
  size_t n;
  double auc;
  double thr[KPI_ROC_PTS], pfa[KPI_ROC_PTS], pd[KPI_ROC_PTS];
} kpi_roc;

/* Things that happened in a run (the /events log). The target is a station, a pool,
 * a disruption or a channel index, by kind. */
typedef enum {
  EV_FAILURE = 0,     /* station: an equipment unit broke down */
  EV_REPAIR,          /* station: a unit is back */
  EV_MAINT_START,     /* station */
  EV_MAINT_END,       /* station */
  EV_SHIFT,           /* pool: persons on duty changed to value */
  EV_DISRUPTION_START,/* disruption */
  EV_DISRUPTION_END,  /* disruption */
  EV_INTERVENTION,    /* disruption: its level changed (a recovery step, or a live drill) */
  EV_RESPONSE_START,  /* response: a business continuity action began */
  EV_RESPONSE_END,    /* response: it ended */
  EV_NKINDS
} kpi_event_kind;

typedef struct kpi_event {
  double t_min;
  int32_t kind, target;
  double value;
} kpi_event;

/* Release-time histogram bins shared by every channel (minutes). */
#define KPI_REL_BINS 48

/* A find: a station found something on an item (kind: a seizure category above). */
typedef struct kpi_find {
  double t_min;
  int32_t station, channel, kind;
} kpi_find;

typedef struct kpi_run {
  size_t nch, nst, npool;
  kpi_channel *ch;
  kpi_station *st;
  kpi_pool *pool;
  double *on_duty;    /* [npool][nsamples] persons on duty */
  double *staff_busy; /* [npool][nsamples] persons busy */
  size_t nsamples;
  double *t_h;        /* [nsamples] sample times in hours from the start */
  double *queue;      /* [nst][nsamples] */
  double *busy;       /* [nst][nsamples] */
  double *in_system;  /* [nch][nsamples] */
  FILE *series_file;  /* queue, busy, on_duty, staff_busy still spooled (NULL: in the arrays,
                         which are NULL until kpi_run_load_series); owned */
  size_t series_rows, series_block; /* the spool's layout (below) */
  double *rel_hist;   /* [nch][KPI_REL_BINS] counts */
  kpi_roc *roc;       /* ROC curves of the run's kernels (first replication only) */
  size_t nroc;
  kpi_recovery *rec;  /* recovery figures (nrec rows; none without disruptions) */
  FILE *items;        /* per-item log, spooled to an anonymous temporary file (owned) */
  uint64_t nitems;
  size_t nrec;
  kpi_event *log;     /* the /events log of this replication */
  size_t nlog;
  double *view;       /* [nview][view_w] the viewer's frames (snapshot.h; replication 0) */
  FILE *view_file;    /* or the frames spooled to an anonymous temporary file (owned) */
  size_t nview, view_w;
  kpi_zone *zone;     /* coast zones (nzone rows; none without a coast) */
  kpi_asset *asset;   /* coast assets */
  size_t nzone, nasset;
  double *aloft;      /* [nasset][nsamples] units out */
  double *at_sea;     /* [nzone][nsamples] attempts at sea */
  kpi_find *finds;    /* every find (replication 0), for the viewer's replay */
  FILE *finds_file;   /* or the nfinds finds spooled to an anonymous temporary file (owned) */
  size_t nfinds;
  kpi_class *cls;     /* [ncls] per channel and class (ncls = nch * spec.ncls) */
  kpi_batch *bat;     /* [nbat] per batch of the measured period (nbat = spec.nbatch_all) */
  size_t ncls, nbat;
  double *levels;     /* [spec.nlevels] service levels asked for (sweeps) */
  uint64_t events;
} kpi_run;

/* A series spool (kpi_run.series_file) is blocks of `block` samples, each block
 * `rows` rows of `block` doubles: the station queues (nst rows), busy servers (nst),
 * channels' items in the system (nch), pools' persons on duty (npool) and busy
 * (npool), items released per channel (nch), sample times (1). kpi_spool_row reads
 * samples [0, n) of one row into out; kpi_run_load_series reads the queue, busy,
 * on_duty and staff_busy arrays from k's spool and closes it (no-op without one).
 * 0, or SIM_EIO (the file cannot be read) or SIM_ENOMEM. */
int kpi_spool_row(FILE *f, size_t rows, size_t block, size_t row, size_t n, double *out);
int kpi_run_load_series(kpi_run *k);
/* Entity ent's series (the first n samples, n <= k->nsamples) of the array at offset
 * `field` of kpi_run (offsetof(kpi_run, queue), ...) into out: from the array, or from
 * the spool while it is there. 0, SIM_EIO, or SIM_EINVAL (neither holds it). */
int kpi_run_row(const kpi_run *k, size_t field, size_t ent, size_t n, double *out);

/* Bin edges (KPI_REL_BINS + 1 values, minutes), log-spaced from 0.1 min to 60 days. */
void kpi_release_edges(double *edges);
void kpi_run_free(kpi_run *k); /* frees the arrays, not k itself */

#endif
