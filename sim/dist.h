/* dist: probability distributions of durations and sizes, sampled from a stream.
 * Parameters are stored in the distribution's own unit (the model uses minutes); the
 * scenario loader converts units before filling them in. Empirical tables are owned
 * by the dist value (dist_deinit frees them). */
#ifndef SIM_DIST_H
#define SIM_DIST_H

#include <stddef.h>

#include <gsl/gsl_rng.h>

typedef enum {
  DIST_EXPONENTIAL,  /* a = mean */
  DIST_DETERMINISTIC,/* a = value */
  DIST_UNIFORM,      /* a = min, b = max */
  DIST_TRIANGULAR,   /* a = min, b = mode, c = max */
  DIST_ERLANG,       /* a = mean, k = shape (integer) */
  DIST_GAMMA,        /* a = mean, b = shape */
  DIST_LOGNORMAL,    /* a = mean, b = standard deviation (of the value, not its log) */
  DIST_WEIBULL,      /* a = scale, b = shape */
  DIST_EMPIRICAL,    /* values[i] with weights (discrete) */
  DIST_N
} dist_kind;

typedef struct dist {
  dist_kind kind;
  double a, b, c;
  int k;
  size_t n;        /* empirical: number of values */
  double *values;  /* empirical: owned */
  double *cum;     /* empirical: cumulative weights normalised to 1, owned */
} dist;

const char *dist_name(dist_kind k);
int dist_from_name(const char *name); /* -1 if unknown */

double dist_sample(const dist *d, gsl_rng *r);
double dist_mean(const dist *d);
/* Squared coefficient of variation (variance / mean^2), for the analytic checks. */
double dist_scv(const dist *d);
/* Scales every time parameter by f (unit conversion or speed factors). */
void dist_scale(dist *d, double f);
int dist_copy(dist *dst, const dist *src);
/* deinit, not free: a dist is a value embedded in specs; this releases only its
 * empirical table and leaves the struct to its owner. */
void dist_deinit(dist *d);

#endif
