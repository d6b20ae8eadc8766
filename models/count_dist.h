/* count_dist: distributions of whole numbers, for batch sizes (a plane's load, a
 * vessel's containers) and the gaps of every-k-th selection. A scenario writes one as a
 * plain number, or as a group:
 *   { dist = "uniform_int"; min = 240; max = 350; }       every whole number in [min, max]
 *   { dist = "poisson"; mean = 7.0; }
 *   { dist = "binomial"; n = 350; p = 0.8; }
 *   { dist = "negative_binomial"; n = 5.0; p = 0.02; }    failures before the n-th success
 *   { dist = "empirical"; values = [ 200, 300 ]; weights = [ 1.0, 3.0 ]; }
 *   { dist = "deterministic"; value = 300; }
 * Unlike sim/dist.h (durations) the parameters carry no unit.
 *
 * Ownership: an empirical distribution owns its tables; count_dist_deinit frees them
 * (a zeroed count_dist needs no deinit). */
#ifndef MODELS_COUNT_DIST_H
#define MODELS_COUNT_DIST_H

#include <stddef.h>

#include <gsl/gsl_rng.h>
#include <libconfig.h>

#include "sim/error.h"

#define COUNT_DIST_MAX 1e9 /* largest value a parameter or a draw may take */

typedef enum {
  COUNT_FIXED = 0,   /* a = the value */
  COUNT_UNIFORM_INT, /* a = min, b = max */
  COUNT_POISSON,     /* a = mean */
  COUNT_BINOMIAL,    /* a = n, b = p */
  COUNT_NEGBIN,      /* a = n (successes, > 0, may be fractional), b = p */
  COUNT_EMPIRICAL,   /* values[i] with cumulative weights cum[i] */
  COUNT_N
} count_kind;

typedef struct count_dist {
  count_kind kind;
  double a, b;
  size_t n;
  long *values; /* empirical: owned */
  double *cum;  /* empirical: normalised cumulative weights, owned */
} count_dist;

/* A setting that is a whole number or a distribution group; the first problem is a
 * one-line error "FILE:LINE: PATH: reason". d is deinitialised on error. */
int count_dist_read(const config_setting_t *s, count_dist *d, const char *file, sim_error *err);
/* The same reading from a group's text "{ dist = ...; }" or a number ("300"), for a CSV
 * cell; errors name `where` (PATH:LINE). */
int count_dist_parse(const char *text, count_dist *d, const char *where, sim_error *err);
count_dist count_dist_fixed(long v);

long count_dist_sample(const count_dist *d, gsl_rng *r);
double count_dist_mean(const count_dist *d);
double count_dist_var(const count_dist *d);
const char *count_dist_name(count_kind k);
int count_dist_copy(count_dist *dst, const count_dist *src);
/* deinit, not free: a count_dist is a value embedded in specs; this releases only its
 * empirical table. */
void count_dist_deinit(count_dist *d);

#endif
