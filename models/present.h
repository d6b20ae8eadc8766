/* present: how a scenario is shown, as opposed to how it runs: display names in English
 * and Japanese for the scenario, its ports, channels, stations, staff pools,
 * disruptions and responses; where each port lies; a storm's track. Read from the
 * scenario's optional `label`, `location` and `track` keys (models/scenario/keys_present.c),
 * checked when the spec is built, and never used by the model itself.
 *
 * Ownership: present_build returns a present owned by the caller (present_free); the
 * spec owns the one it builds (spec.pres). */
#ifndef MODELS_PRESENT_H
#define MODELS_PRESENT_H

#include <stddef.h>

#include <libconfig.h>

#include "sim/error.h"

struct spec;

enum { PRESENT_EN = 0, PRESENT_JA, PRESENT_NLANG };

/* A display name in each language; both NULL when the scenario gives none. */
typedef struct present_label {
  char *t[PRESENT_NLANG];
} present_label;

typedef struct present_point {
  double after_min;  /* from the disruption's start */
  double lat, lon;   /* degrees */
  double radius_km;
} present_point;

typedef struct present_track {
  present_point *p;
  size_t n;
} present_track;

typedef struct present {
  present_label scenario;
  size_t nports, nch, nst, npool, ndis, nresp;
  present_label *port, *ch, *st, *pool, *dis, *resp;
  double *lat, *lon;     /* [nports]; NaN when not given */
  present_track *track;  /* [ndis] */
} present;

/* Reads the presentation keys of cfg for the entities of sp (which must be built up to
 * its disruptions). Returns 0, SIM_EINVAL ("FILE:LINE: PATH: reason") or SIM_ENOMEM. */
int present_build(present **out, const struct spec *sp, const config_t *cfg, const char *file,
                  sim_error *err);
void present_free(present *p);

/* The position of a track at t minutes after its disruption's start, interpolated
 * between points (clamped to the ends). Returns 0, or -1 for an empty track. */
int present_track_at(const present_track *tr, double t_min, present_point *out);

#endif
