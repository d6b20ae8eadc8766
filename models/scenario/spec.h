/* spec: the port graph read from a validated scenario: channels (arrival processes and
 * routes) and stations (servers, service, queue, failures, schedules). A spec is
 * read-only once built and shared by all replications of a run.
 *
 * Ownership: spec_build returns a spec owned by the caller (spec_free); everything it
 * points to belongs to it. The structs here are public because the port runtime reads
 * them on its hot path (spec_station and spec_branch per item), and the output, sweep
 * and viewer read names, classes and levels. What only the reader needs (name tables,
 * the port prefix while reading, the steps of spec_build) is private to
 * models/scenario/ (spec_internal.h, behind spec.rd); disruptions, coast and
 * presentation hang off the spec as structs of their own modules (disrupt.h, coast.h,
 * present.h). */
#ifndef MODELS_SCENARIO_SPEC_H
#define MODELS_SCENARIO_SPEC_H

#include <stddef.h>
#include <stdint.h>

#include "models/kernel.h"
#include "models/scenario/scenario.h"
#include "models/selection.h"
#include "sim/dist.h"

#define SPEC_MAXP 24 /* kernel parameters per station */

#define SPEC_EXIT (-1)

/* Whom a routing entry applies to (`when`). */
enum { SPEC_WHEN_ANY = 0, SPEC_WHEN_SELECTED, SPEC_WHEN_NOT_SELECTED };

typedef struct spec_branch {
  int to;     /* station index or SPEC_EXIT */
  double cum; /* cumulative probability (lists without `when`) */
  int when;   /* SPEC_WHEN_* */
  double cum_by[2]; /* lists with `when`: cumulative probability for items not selected [0]
                       and selected [1] (entries of the other group add nothing) */
} spec_branch;

typedef struct spec_channel {
  char *name;
  int kind;     /* item_kind */
  int priority;
  int *route;
  size_t nroute;
  spec_branch **branches; /* per station: NULL or a list ending with cum == 1 */
  size_t *nbranches;
  uint8_t *branch_by;     /* per station: 0 for a list without `when`; else bit 0: items not
                             selected have entries, bit 1: selected items have entries */
  struct arrivals_spec *arr; /* the arrival process (arrivals.c) */
  /* item generation (declgen) overrides; NaN keeps the generator's default */
  double fraud_scale, aeo_share, advance_share, edocs_share;
  int port;               /* index in spec.ports */
  double target_min;      /* release-time target */
  double wait_target_min; /* passengers: waiting-time target */
} spec_channel;

typedef struct spec_pool {
  char *name;
  int port;
  int size;               /* headcount */
  int remote;             /* works from elsewhere (telework, smart-glass experts) */
  double period_min;
  double *at_min;
  int *on_duty;
  size_t nroster;         /* 0: all `size` on duty all the time */
} spec_pool;

typedef struct spec_initial {
  int station, channel;
  long items;
  double age_min;         /* how long they have been in the port at time 0 */
} spec_initial;

typedef struct spec_station {
  char *name;
  int servers;
  dist service;
  int priority_queue, preemptive;
  long capacity; /* -1: unlimited */
  int has_failures;
  dist ttf, repair;
  double sched_period_min;
  double *sched_at_min;
  int *sched_servers;
  size_t nsched;
  /* the customs model */
  int port;                /* index in spec.ports */
  double manual_factor;    /* service-time multiplier when power or system is out (0: stops) */
  int type, applies, stage, unlimited, inspects, block;
  double share;            /* share of applicable items that visit */
  int fallback;            /* station for items it does not apply to, or -1 */
  const kernel_type *kernel;
  double kparams[SPEC_MAXP];
  double aeo_factor, edocs_factor, rpa_factor, automation_factor;
  double advance_lead_min;
  int aeo_priority;
  int has_cash, has_cashless;
  dist cash, cashless;     /* duty payment at a counter */
  int simplified;          /* IPR: the simplified procedure */
  dist simplified_service;
  int units;               /* equipment units (failures, maintenance) */
  double maint_period_min, maint_at_min, maint_dur_min;
  int maint_units;
  int pool, remote_pool;   /* staff pools (-1: none) */
  double per_server, remote_per_server;
  int has_selection;
  selection_params sel;
  int every;               /* selection policy "every": every (gap + offset)-th item */
  count_dist every_gap;
  long every_offset;
  double dog_work_min, dog_rest_min;
} spec_station;

/* A class of items reported per channel in /kpi/classes: the items that meet every
 * condition given (a flag, a station visited, a batch origin). */
enum {
  SPEC_CLASS_SELECTED = 0,
  SPEC_CLASS_NOT_SELECTED,
  SPEC_CLASS_INSPECTED,
  SPEC_CLASS_NOT_INSPECTED,
  SPEC_CLASS_AEO,
  SPEC_CLASS_NON_AEO,
  SPEC_CLASS_ALARMED,
  SPEC_CLASS_NOT_ALARMED,
  SPEC_CLASS_NFLAGS
};
#define SPEC_CLASS_BUILTIN 6 /* the first six flags are classes of every channel */

typedef struct spec_class {
  char *name;
  int flag;      /* SPEC_CLASS_*, or -1 */
  int station;   /* the item visited this station, or -1 */
  char *origin;  /* its batch came from this origin, or NULL */
} spec_class;

/* A service level the sweep asks for (sweep targets such as wait_share_within(0.333)):
 * the share of a channel's released items (of one class, or all) whose wait or release
 * time was within threshold_min. */
typedef struct spec_level {
  int channel, cls;  /* cls: index in spec.cls, or -1 for the whole channel */
  int release;       /* 0: waiting time, 1: release time */
  double threshold_min;
} spec_level;

typedef struct spec {
  char *name;
  double warmup_min, days_min;
  double sample_min, target_min;
  int items_log;
  long max_items;             /* run.max_items: items in one replication's port at once */
  double items_log_max_bytes; /* output.items_max_mb */
  char *start_iso;
  spec_channel *ch;
  size_t nch;
  spec_station *st;
  size_t nst;
  spec_pool *pool;
  size_t npool;
  spec_initial *init;
  size_t ninit;
  char **ports;            /* port names ("" for a single-port scenario) */
  size_t nports;
  struct disrupt_spec *dis; /* disruptions and responses (disrupt.c) */
  int kernels_surrogate;
  int demand_allocation;   /* a free officer goes to the longest wait (else file order) */
  struct present *pres;    /* display names, locations, tracks (present.c; the viewer's) */
  /* the /kpi/classes and /kpi/batches rows (spec_class.c) */
  spec_class *cls;         /* classes: the built-in ones, then the scenario's `classes` */
  size_t ncls;
  char **class_ids;        /* [nch * ncls] "CHANNEL.CLASS" */
  size_t *nbatch;          /* [nch] batches scheduled in the measured period */
  size_t *batch0;          /* [nch] the first row of each channel's batches */
  size_t nbatch_all;
  char **batch_ids;        /* [nbatch_all] "CHANNEL.N", N from 0 in time order */
  spec_level *levels;      /* service levels asked for (none unless a sweep adds them) */
  size_t nlevels;
  struct coast_spec *coast; /* coastline surveillance (coast.h), or NULL */
  struct spec_reader *rd;  /* the reader's own state (models/scenario/spec_internal.h) */
} spec;

/* Index of the channel, pool or station of full name `name` (PORT.NAME in a multi-port
 * scenario), or -1. */
int spec_channel_index(const spec *sp, const char *name);
int spec_pool_index(const spec *sp, const char *name);
int spec_station_index(const spec *sp, const char *name);
/* Adds a service level (returns its index, or -1 without memory). */
long spec_add_level(spec *sp, const spec_level *l);

int spec_build(spec **out, const scenario *sc, sim_error *err);
void spec_free(spec *sp); /* accepts NULL */
/* Name of disruption i (the disruptions of the scenario), or "?". */
const char *spec_disruption_name(const spec *sp, int i);

/* Names the scenario reader owns, the i-th or NULL past the last: the allowed values of
 * disruptions.*.kind, responses.*.action, classes.*.when, coast.assets.*.type and
 * stations.*.selection.policy (the key tables take them from here). */
const char *spec_disruption_kind_at(int i);
const char *spec_response_action_at(int i);
const char *spec_class_flag_at(int i);
const char *spec_coast_type_at(int i);
const char *spec_selection_policy_at(int i);

#endif
