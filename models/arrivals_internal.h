/* arrivals_internal: the structures of an arrival process, shared by arrivals.c
 * (reading, rates, Poisson and profile streams) and arrivals_batch.c (schedules of
 * batches: their sizes, spacing and the batch hook). Not for use outside arrivals*.c. */
#ifndef MODELS_ARRIVALS_INTERNAL_H
#define MODELS_ARRIVALS_INTERNAL_H

#include <stddef.h>
#include <stdint.h>

#include "models/arrivals.h"
#include "models/count_dist.h"
#include "models/strtab.h"
#include "sim/dist.h"

enum { AP_POISSON, AP_PROFILE, AP_SCHEDULE };

#define MAX_BATCH_ITEMS 1e9      /* cap on one batch after surges */
#define MAX_ACTIVE_BATCHES (1 << 20)

typedef struct batch {
  double at_min, spread_min;
  long size, seats; /* size < 0: Binomial(seats, load), or the size distribution */
  double load;
  int has_size_d;   /* size drawn from size_d */
  count_dist size_d;
  int has_spacing;  /* items one by one, gaps from spacing (else uniform over spread_min) */
  dist spacing;
  int32_t origin;
  size_t seq; /* input order, for a stable sort */
} batch;

typedef struct surge {
  double from_min, to_min, factor;
} surge;

struct arrivals_spec {
  int process;
  double rate_per_min;
  double hourly[24], weekly[7];
  double holiday_factor, peak_factor;
  double start_epoch;   /* run.start in epoch minutes */
  double bound_per_min; /* thinning bound at factor 1 */
  batch *b;
  size_t nb;
  double period_min;
  char **origins;
  int norigins, cap_origins;
  strtab *origin_index;  /* code -> index in origins (a CSV may hold a million codes) */
  surge *sg;
  size_t nsg;
};

/* The profile's part of a rate, cached per day (holiday checks are not free). */
typedef struct day_cache {
  long day;
  double f;
} day_cache;

/* A batch whose items are still arriving. */
typedef struct active {
  double t_end;
  long left;       /* 0: the slot is free */
  int32_t origin;
  int32_t tag;     /* what the batch hook returned */
  const dist *gap; /* spacing between items, or NULL (uniform over [start, t_end]) */
  sim_handle h;
} active;

struct arrivals {
  const arrivals_spec *sp;
  sim *s;
  gsl_rng *r;
  int channel;
  arrivals_fn fn;
  void *ctx;
  arrivals_batch_fn on_batch; /* or NULL */
  int32_t tag;                /* the arriving item's batch tag (-1: none) */
  double factor;
  day_cache dc;
  sim_handle h; /* the pending candidate or the next batch */
  double t_armed; /* the pending candidate's time */
  struct itemfeed *feed;        /* candidates drawn ahead (arrivals_ahead_use), or NULL */
  int feed_id;
  struct arrivals_ahead *ahead; /* the helper's side of it (owned) */
  uint64_t after[4];            /* the stream's state after the last candidate taken */
  size_t bi;    /* next batch and its period */
  long cycle;
  active *act;
  size_t nact;
  int nomem; /* an event could not be scheduled */
};

/* arrivals.c */
int arrivals_oom(sim_error *err);
/* The index of an origin code in the channel's list, adding it when new; -1 for none,
 * -2 if no memory. */
int32_t arrivals_intern_origin(arrivals_spec *a, const char *code);
double arrivals_surge_factor(const arrivals_spec *a, double t);
/* An event at t (NULL after marking the run failed when it cannot be scheduled). */
sim_handle arrivals_at(arrivals *a, double t, sim_fn fn, uint64_t arg);

/* arrivals_batch.c */
int arrivals_read_schedule(arrivals_spec *a, const config_setting_t *g, const char *file,
                           sim_error *err);
void arrivals_free_batches(arrivals_spec *a);
/* Expected items of schedule batches arriving in [t0, t1). */
double arrivals_schedule_items(const arrivals_spec *a, double t0, double t1);
void arrivals_first_batch(arrivals *a);

#endif
