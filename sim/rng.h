/* rng: random streams. xoshiro256** registered as a gsl_rng_type, so every GSL
 * distribution (gsl_ran_*) can draw from it, and a derivation of independent streams
 * from (seed, replication, source name): each random source of a model has its own
 * stream, so adding a source does not change what any other source draws (common
 * random numbers that survive model edits).
 *
 * Ownership: rng_stream_new returns a gsl_rng owned by the caller (gsl_rng_free). */
#ifndef SIM_RNG_H
#define SIM_RNG_H

#include <math.h>
#include <stdint.h>
#include <string.h>

#include <gsl/gsl_rng.h>

extern const gsl_rng_type *const rng_xoshiro256ss;

/* A new stream for the source `name` of replication `rep` under `seed`. */
gsl_rng *rng_stream_new(uint64_t seed, uint32_t rep, const char *name);
/* Re-seeds an existing xoshiro stream in place (same derivation). */
void rng_stream_reset(gsl_rng *r, uint64_t seed, uint32_t rep, const char *name);

/* 64-bit FNV-1a hash of a string (stable across platforms and runs). */
uint64_t rng_hash(const char *s);
/* The splitmix64 finaliser: a bijective 64-bit mixer. */
uint64_t rng_mix64(uint64_t x);

/* Draws straight from a xoshiro stream's state (inlined, no GSL indirection), each
 * exactly what the GSL call named beside it returns on any stream (other generators go
 * through GSL): the same numbers, faster. */
static inline uint64_t rng_xo_next(uint64_t *s) {
  uint64_t result = ((s[1] * 5) << 7 | (s[1] * 5) >> 57) * 9, t = s[1] << 17;
  s[2] ^= s[0], s[3] ^= s[1], s[1] ^= s[2], s[0] ^= s[3];
  s[2] ^= t;
  s[3] = s[3] << 45 | s[3] >> 19;
  return result;
}

/* gsl_rng_uniform: [0, 1). */
static inline double rng_uniform(gsl_rng *r) {
  if (r->type != rng_xoshiro256ss) return gsl_rng_uniform(r);
  return (double)(rng_xo_next((uint64_t *)r->state) >> 11) * 0x1.0p-53;
}

/* gsl_rng_uniform_int: 0 .. n - 1 (n >= 1). */
static inline unsigned long rng_uniform_int(gsl_rng *r, unsigned long n) {
  if (r->type != rng_xoshiro256ss || !n) return gsl_rng_uniform_int(r, n);
  unsigned long scale = 0xffffffffUL / n, k;
  do k = (unsigned long)(rng_xo_next((uint64_t *)r->state) >> 32) / scale;
  while (k >= n);
  return k;
}

/* gsl_rng_uniform_pos: (0, 1). */
static inline double rng_uniform_pos(gsl_rng *r) {
  double u;
  do u = rng_uniform(r);
  while (u == 0);
  return u;
}

/* rng_polar_point on a xoshiro state: the state in registers for the whole loop, and
 * rng_uniform_pos's zero test on the integer (the double is 0 exactly when it is). */
static inline double rng_xo_polar_point(uint64_t *st, double *y) {
  uint64_t s[4] = {st[0], st[1], st[2], st[3]}, a, b;
  double x, r2;
  do {
    do a = rng_xo_next(s) >> 11;
    while (!a);
    do b = rng_xo_next(s) >> 11;
    while (!b);
    x = -1 + 2 * ((double)a * 0x1.0p-53);
    *y = -1 + 2 * ((double)b * 0x1.0p-53);
    r2 = x * x + *y * *y;
  } while (r2 > 1.0 || r2 == 0);
  st[0] = s[0], st[1] = s[1], st[2] = s[2], st[3] = s[3];
  return r2;
}

/* The polar method's point: two uniforms in the square until they fall in the unit disc;
 * returns its squared radius, its y in *y. */
static inline double rng_polar_point(gsl_rng *r, double *y) {
  if (r->type == rng_xoshiro256ss) return rng_xo_polar_point((uint64_t *)r->state, y);
  double x, r2;
  do {
    x = -1 + 2 * rng_uniform_pos(r);
    *y = -1 + 2 * rng_uniform_pos(r);
    r2 = x * x + *y * *y;
  } while (r2 > 1.0 || r2 == 0);
  return r2;
}

/* The normal rng_gaussian returns for the polar point (y, r2). */
static inline double rng_gaussian_at(double sigma, double y, double r2) {
  return sigma * y * sqrt(-2.0 * log(r2) / r2);
}

/* gsl_ran_gaussian (GSL's polar Box-Muller, one normal returned). */
static inline double rng_gaussian(gsl_rng *r, double sigma) {
  double y, r2 = rng_polar_point(r, &y);
  return rng_gaussian_at(sigma, y, r2);
}

/* log2(x) of a positive normal x without a logarithm, from below: e + (m - 1) for its
 * exponent e and mantissa m, within 0.0861 of log2(x) (log2 m lies in [m - 1, m - 1 +
 * 0.0861] for m in [1, 2)). */
static inline double rng_log2_rough(double x) {
  uint64_t u;
  memcpy(&u, &x, sizeof u);
  return (double)((int)(u >> 52) - 1023) + (double)(u & ((1ULL << 52) - 1)) * 0x1p-52;
}

/* A number no smaller than rng_gaussian_at(sigma, y, r2) (sigma > 0), without its log:
 * the same expression on a bound of log(r2) from rng_log2_rough (1e-6 covers the
 * roundings and the library's error). Each rounded step is monotone, so the bound
 * survives them. */
static inline double rng_gaussian_above(double sigma, double y, double r2) {
  double l2 = rng_log2_rough(r2);
  double l = y > 0 ? l2 * M_LN2 - 1e-6 : (l2 + 0.0861) * M_LN2 + 1e-6; /* below, above */
  if (l > 0) l = 0; /* r2 <= 1: log(r2) <= 0 */
  return sigma * y * sqrt(-2.0 * l / r2);
}

/* Draws what rng_gaussian draws without the log and root of a value nobody reads, so the
 * stream stays in step. */
static inline void rng_gaussian_skip(gsl_rng *r) {
  double y;
  (void)rng_polar_point(r, &y);
}

/* Exponential with the given mean, through rng_uniform_pos. */
double rng_exponential(gsl_rng *r, double mean);

#endif
