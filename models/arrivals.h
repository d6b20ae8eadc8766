/* arrivals: the arrival process of one channel. Poisson; non-homogeneous Poisson with
 * hour-of-day and day-of-week profiles, surge calendars and Japanese public holidays
 * (by thinning); and schedules of batches (flights, vessels) written in the scenario
 * or read from a CSV file, each batch spread over some minutes or released item by
 * item with random gaps, its size fixed or drawn (count_dist.h). Time is in minutes
 * from the run start, whose calendar date comes from run.start.
 *
 * Ownership: arrivals_spec_read returns a spec owned by the caller
 * (arrivals_spec_free); arrivals_new returns a runtime owned by the caller
 * (arrivals_free), which keeps pointers to the spec, the sim and the stream; free it
 * before the sim (it cancels its pending events). See arrivals.c for the methods:
 * thinning for profiles and surges, how surges scale batch sizes. */
#ifndef MODELS_ARRIVALS_H
#define MODELS_ARRIVALS_H

#include <stdint.h>

#include <gsl/gsl_rng.h>
#include <libconfig.h>

#include "models/count_dist.h"
#include "sim/error.h"
#include "sim/sim.h"

typedef struct arrivals_spec arrivals_spec;
typedef struct arrivals arrivals;

/* Called for every arriving item; origin is the schedule row's origin code (index in
 * the channel's origin list, -1 for unscheduled arrivals). */
typedef void (*arrivals_fn)(void *ctx, int channel, int32_t origin);

/* Called when a scheduled batch comes, with its time (minutes), its size after surges and
 * the volume factor (it may be 0) and its origin; the value returned is the tag its items
 * carry (arrivals_tag). */
typedef int32_t (*arrivals_batch_fn)(void *ctx, int channel, double at_min, long size,
                                     int32_t origin);

/* Reads channels.<name>.arrivals (`group`) and the surges that name this channel from
 * the scenario root. start_iso is run.start; file is the scenario file for messages
 * and the directory CSV paths are relative to. */
int arrivals_spec_read(arrivals_spec **out, const config_setting_t *group,
                       const config_setting_t *root, const char *channel, const char *start_iso,
                       const char *file, sim_error *err);
void arrivals_spec_free(arrivals_spec *a);

/* Checks every surge under the scenario root (dates, factor) and that the channels it
 * names are among the n channel_names. Call once per scenario: arrivals_spec_read sees
 * only its own channel. */
int arrivals_check_surges(const config_setting_t *root, const char *const *channel_names,
                          int n, const char *file, sim_error *err);

/* Reads one surge group (surges.NAME): its range [from, to) in minutes from
 * start_epoch_min, its factor, and whether it applies to `channel` (it lists it, or
 * lists no channels). Bad dates, a range that ends before it begins, a bad factor:
 * SIM_EINVAL "FILE:LINE: PATH: reason". */
int arrivals_surge_read(const config_setting_t *g, const char *channel, double start_epoch_min,
                        double *from_min, double *to_min, double *factor, int *applies,
                        const char *file, sim_error *err);

/* "poisson", "profile" or "schedule". */
const char *arrivals_spec_process(const arrivals_spec *a);
/* The name of arrival process i, NULL past the last (the values of `arrivals.process`). */
const char *arrivals_process_name_at(int i);
/* The channel's origin codes (schedule rows), indexed by the origin passed to
 * arrivals_fn; NULL for an index out of range. */
int arrivals_spec_origins(const arrivals_spec *a);
/* The period of the clock the arrivals follow, in hours: 0 for a homogeneous Poisson
 * process, a schedule's period (24 without one), 168 for a profile whose weekly profile
 * is not flat, else 24. */
double arrivals_spec_cycle_h(const arrivals_spec *a);
const char *arrivals_spec_origin(const arrivals_spec *a, int i);

/* Mean arrivals per hour over [t0, t1) minutes (for reports and calibration checks). */
double arrivals_spec_mean_rate(const arrivals_spec *a, double t0_min, double t1_min);
/* Scheduled batches whose time lies in [t0, t1) minutes (0 for other processes). */
size_t arrivals_spec_batches(const arrivals_spec *a, double t0_min, double t1_min);

int arrivals_new(arrivals **out, const arrivals_spec *a, sim *s, gsl_rng *r, int channel,
                 arrivals_fn fn, void *ctx);
void arrivals_free(arrivals *a);

/* Sets the hook called at every scheduled batch (NULL: none). */
void arrivals_on_batch(arrivals *a, arrivals_batch_fn fn);
/* Inside arrivals_fn: the tag of the batch the arriving item belongs to, or -1 for an
 * unscheduled arrival (or a batch whose hook gave -1). */
int32_t arrivals_tag(const arrivals *a);

/* Candidates drawn ahead on the item helper's thread (models/itemfeed.h). A channel's
 * candidate times depend only on its stream while its factor stays 1, so a copy of the
 * stream can draw them ahead: arrivals_ahead_new returns the maker's context for an
 * itemfeed stream of arrivals_ahead_size() bytes a record (with arrivals_ahead_make), or
 * NULL where this cannot be done (schedules, a factor other than 1, none pending, no
 * memory); it belongs to a. Once the stream is added, arrivals_ahead_use makes a take its
 * candidates from it. The first change of factor goes back to drawing in place, from the
 * stream's state after the last candidate taken: the same candidates either way. The
 * feed must be freed before a. */
struct itemfeed;
typedef struct arrivals_ahead arrivals_ahead;
arrivals_ahead *arrivals_ahead_new(arrivals *a);
size_t arrivals_ahead_size(void);
void arrivals_ahead_make(void *ctx, void *out);
void arrivals_ahead_use(arrivals *a, struct itemfeed *f, int id);

/* A multiplier on the volume from now on (disruptions: 0 closes, 0.5 halves). */
void arrivals_set_factor(arrivals *a, double factor);
double arrivals_factor(const arrivals *a);

/* One row of a schedule file (a flight or a vessel). */
#define ARRIVALS_ORIGIN_MAX 32
typedef struct arrivals_row {
  double at_min;     /* minutes from the run start (< 0 for a date-time before it) */
  double spread_min; /* < 0 when the file has no spread_min column */
  long size;         /* items; -1 when seats and load_factor or a distribution are given */
  int has_size_d;    /* the size cell is a distribution group: size_d (owned) */
  count_dist size_d;
  long seats;
  double load_factor;
  char origin[ARRIVALS_ORIGIN_MAX]; /* "" when none */
  int line;          /* line in the file, for messages */
} arrivals_row;

/* Reads a schedule CSV file: a header row naming the columns (time, origin, and size
 * or seats and load_factor; spread_min optional), then one row per batch. time is
 * hours from the start ("7.5") or an ISO date-time relative to start_epoch_min; size is
 * a whole number or a distribution group as in the scenario ({ dist = "poisson";
 * mean = 300.0; }: commas inside braces stay in the cell). A bad row is SIM_EINVAL
 * "PATH:LINE: reason"; a file that cannot be opened is SIM_EIO naming the path. *rows
 * is owned by the caller (arrivals_rows_free). */
int arrivals_csv_read(const char *path, double start_epoch_min, arrivals_row **rows,
                      size_t *n, sim_error *err);
void arrivals_rows_free(arrivals_row *rows, size_t n);

#endif
