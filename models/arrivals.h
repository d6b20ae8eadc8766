/* arrivals: the arrival process of one channel. Poisson; non-homogeneous Poisson with
 * hour-of-day and day-of-week profiles, surge calendars and Japanese public holidays
 * (by thinning); and schedules of batches (flights, vessels) written in the scenario
 * or read from a CSV file, each batch spread over some minutes. Time is in minutes
 * from the run start, whose calendar date comes from run.start.
 *
 * Ownership: arrivals_spec_read returns a spec owned by the caller
 * (arrivals_spec_free); arrivals_new returns a runtime owned by the caller
 * (arrivals_free), which keeps pointers to the spec, the sim and the stream. */
#ifndef MODELS_ARRIVALS_H
#define MODELS_ARRIVALS_H

#include <stdint.h>

#include <gsl/gsl_rng.h>
#include <libconfig.h>

#include "sim/error.h"
#include "sim/sim.h"

typedef struct arrivals_spec arrivals_spec;
typedef struct arrivals arrivals;

/* Called for every arriving item; origin is the schedule row's origin code (index in
 * the channel's origin list, -1 for unscheduled arrivals). */
typedef void (*arrivals_fn)(void *ctx, int channel, int32_t origin);

/* Reads channels.<name>.arrivals (`group`) and the surges that name this channel from
 * the scenario root. start_iso is run.start; file is the scenario file for messages
 * and the directory CSV paths are relative to. */
int arrivals_spec_read(arrivals_spec **out, const config_setting_t *group,
                       const config_setting_t *root, const char *channel, const char *start_iso,
                       const char *file, sim_error *err);
void arrivals_spec_free(arrivals_spec *a);

/* Mean arrivals per hour over [t0, t1) minutes (for reports and calibration checks). */
double arrivals_spec_mean_rate(const arrivals_spec *a, double t0_min, double t1_min);

int arrivals_new(arrivals **out, const arrivals_spec *a, sim *s, gsl_rng *r, int channel,
                 arrivals_fn fn, void *ctx);
void arrivals_free(arrivals *a);

/* A multiplier on the volume from now on (disruptions: 0 closes, 0.5 halves). */
void arrivals_set_factor(arrivals *a, double factor);
double arrivals_factor(const arrivals *a);

#endif
