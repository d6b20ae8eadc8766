/* spec: the port graph read from a validated scenario: channels (arrival processes and
 * routes) and stations (servers, service, queue, failures, schedules). A spec is
 * read-only once built and shared by all replications of a run.
 *
 * Ownership: spec_build returns a spec owned by the caller (spec_free). */
#ifndef MODELS_SPEC_H
#define MODELS_SPEC_H

#include <stddef.h>

#include "models/scenario.h"
#include "sim/dist.h"

#define SPEC_EXIT (-1)

typedef struct spec_branch {
  int to;     /* station index or SPEC_EXIT */
  double cum; /* cumulative probability */
} spec_branch;

typedef struct spec_batch {
  double at_min, spread_min;
  long size;
} spec_batch;

typedef enum { ARR_POISSON, ARR_SCHEDULE } spec_arrival_kind;

typedef struct spec_channel {
  char *name;
  int kind;     /* item_kind */
  int priority;
  spec_arrival_kind arrival;
  double rate_per_min;
  spec_batch *batches;
  size_t nbatches;
  double period_min;
  int *route;
  size_t nroute;
  spec_branch **branches; /* per station: NULL or a list ending with cum == 1 */
  size_t *nbranches;
} spec_channel;

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
} spec_station;

typedef struct spec {
  char *name;
  double warmup_min, days_min;
  double sample_min, target_min;
  int items_log;
  char *start_iso;
  spec_channel *ch;
  size_t nch;
  spec_station *st;
  size_t nst;
} spec;

int spec_build(spec **out, const scenario *sc, sim_error *err);
void spec_free(spec *sp);
int spec_station_index(const spec *sp, const char *name);

#endif
