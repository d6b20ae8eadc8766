/* dist: sampling and moments of the distributions a scenario can name. */
#include "sim/dist.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_randist.h>

#include "sim/rng.h"

static const char *const names[DIST_N] = {"exponential", "deterministic", "uniform",
                                          "triangular",  "erlang",        "gamma",
                                          "lognormal",   "weibull",       "empirical"};

const char *dist_name(dist_kind k) { return k < DIST_N ? names[k] : "?"; }

int dist_from_name(const char *name) {
  for (int i = 0; i < DIST_N; i++)
    if (!strcmp(names[i], name)) return i;
  return -1;
}

static double triangular(const dist *d, double u) {
  double lo = d->a, mode = d->b, hi = d->c;
  if (hi <= lo) return lo;
  double f = (mode - lo) / (hi - lo);
  if (u < f) return lo + sqrt(u * (hi - lo) * (mode - lo));
  return hi - sqrt((1 - u) * (hi - lo) * (hi - mode));
}

static double empirical(const dist *d, double u) {
  size_t lo = 0, hi = d->n - 1;
  while (lo < hi) { /* first index with cum >= u */
    size_t mid = (lo + hi) / 2;
    if (d->cum[mid] < u)
      lo = mid + 1;
    else
      hi = mid;
  }
  return d->values[lo];
}

double dist_sample(const dist *d, gsl_rng *r) {
  switch (d->kind) {
  case DIST_EXPONENTIAL: return rng_exponential(r, d->a);
  case DIST_DETERMINISTIC: return d->a;
  case DIST_UNIFORM: return d->a + (d->b - d->a) * rng_uniform(r);
  case DIST_TRIANGULAR: return triangular(d, rng_uniform(r));
  case DIST_ERLANG: return gsl_ran_gamma(r, (double)d->k, d->a / d->k);
  case DIST_GAMMA: return gsl_ran_gamma(r, d->b, d->a / d->b);
  case DIST_LOGNORMAL: {
    double s2 = log1p(d->b * d->b / (d->a * d->a));
    return gsl_ran_lognormal(r, log(d->a) - s2 / 2, sqrt(s2));
  }
  case DIST_WEIBULL: return gsl_ran_weibull(r, d->a, d->b);
  case DIST_EMPIRICAL: return d->n ? empirical(d, rng_uniform(r)) : 0.0;
  default: return NAN;
  }
}

static double empirical_moment(const dist *d, int p) {
  double m = 0, prev = 0;
  for (size_t i = 0; i < d->n; i++) {
    m += (d->cum[i] - prev) * (p == 1 ? d->values[i] : d->values[i] * d->values[i]);
    prev = d->cum[i];
  }
  return m;
}

double dist_mean(const dist *d) {
  switch (d->kind) {
  case DIST_EXPONENTIAL:
  case DIST_DETERMINISTIC:
  case DIST_ERLANG:
  case DIST_GAMMA:
  case DIST_LOGNORMAL: return d->a;
  case DIST_UNIFORM: return (d->a + d->b) / 2;
  case DIST_TRIANGULAR: return (d->a + d->b + d->c) / 3;
  case DIST_WEIBULL: return d->a * tgamma(1 + 1 / d->b);
  case DIST_EMPIRICAL: return empirical_moment(d, 1);
  default: return NAN;
  }
}

double dist_scv(const dist *d) {
  double m = dist_mean(d), var;
  switch (d->kind) {
  case DIST_EXPONENTIAL: return 1;
  case DIST_DETERMINISTIC: return 0;
  case DIST_ERLANG: return 1.0 / d->k;
  case DIST_GAMMA: return 1.0 / d->b;
  case DIST_LOGNORMAL: return d->b * d->b / (d->a * d->a);
  case DIST_UNIFORM: var = (d->b - d->a) * (d->b - d->a) / 12; break;
  case DIST_TRIANGULAR:
    var = (d->a * d->a + d->b * d->b + d->c * d->c - d->a * d->b - d->a * d->c - d->b * d->c) / 18;
    break;
  case DIST_WEIBULL: var = d->a * d->a * tgamma(1 + 2 / d->b) - m * m; break;
  case DIST_EMPIRICAL: var = empirical_moment(d, 2) - m * m; break;
  default: return NAN;
  }
  return m > 0 ? var / (m * m) : NAN;
}

void dist_scale(dist *d, double f) {
  switch (d->kind) {
  case DIST_UNIFORM: d->b *= f; /* fall through */
  case DIST_EXPONENTIAL:
  case DIST_DETERMINISTIC:
  case DIST_ERLANG:
  case DIST_GAMMA:
  case DIST_WEIBULL: d->a *= f; break;
  case DIST_LOGNORMAL: d->a *= f; d->b *= f; break;
  case DIST_TRIANGULAR: d->a *= f; d->b *= f; d->c *= f; break;
  case DIST_EMPIRICAL:
    for (size_t i = 0; i < d->n; i++) d->values[i] *= f;
    break;
  default: break;
  }
}

int dist_copy(dist *dst, const dist *src) {
  *dst = *src;
  dst->values = dst->cum = NULL;
  if (src->kind != DIST_EMPIRICAL || !src->n) return 0;
  dst->values = malloc(src->n * sizeof *dst->values);
  dst->cum = malloc(src->n * sizeof *dst->cum);
  if (!dst->values || !dst->cum) {
    dist_deinit(dst);
    return -1;
  }
  memcpy(dst->values, src->values, src->n * sizeof *dst->values);
  memcpy(dst->cum, src->cum, src->n * sizeof *dst->cum);
  return 0;
}

void dist_deinit(dist *d) {
  free(d->values);
  free(d->cum);
  d->values = d->cum = NULL;
  d->n = 0;
}
