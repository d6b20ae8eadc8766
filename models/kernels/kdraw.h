/* kdraw: the random draws of the kernels' hot loops (image noise, echo noise, pixel
 * draws) without GSL's indirect calls, each exactly what the GSL call named beside it
 * returns, so every verdict, table and cache entry stays the same bit for bit.
 *
 * kdraw_mt19937 is a gsl_rng_type with the very sequence of gsl_rng_mt19937 (the same
 * seeding, outputs, range and doubles: Matsumoto and Nishimura's generator, see
 * models/SOURCES.md) whose state layout is known here, so the inline draws below read
 * it directly; every GSL function draws from it as from any generator. The inline draws
 * also read the engine's xoshiro streams (sim/rng.h) directly, and go through GSL for
 * any other generator.
 *
 * kdraw_gaussian is gsl_ran_gaussian_ziggurat: its common case (one 32-bit draw that
 * falls inside a layer of the ziggurat) is done here with GSL's own layer tables, which
 * kdraw_zig_init reads off GSL's function by feeding it chosen numbers; any other case
 * (a draw at a layer's edge or in the tail) puts the stream back one draw and calls GSL,
 * which draws the same number and goes on. Nothing here keeps state: the tables live in
 * the caller's kdraw_zig. */
#ifndef MODELS_KERNELS_KDRAW_H
#define MODELS_KERNELS_KDRAW_H

#include <stdint.h>
#include <string.h>

#include <gsl/gsl_randist.h>
#include <gsl/gsl_rng.h>

#include "sim/rng.h"

#define KDRAW_MT_N 624

extern const gsl_rng_type *const kdraw_mt19937;

typedef struct kdraw_mt {
  uint32_t mt[KDRAW_MT_N];
  int mti; /* next word; KDRAW_MT_N: the block is used up */
} kdraw_mt;

/* The next block of KDRAW_MT_N words (mti back to 0). */
void kdraw_mt_refill(kdraw_mt *s);

static inline uint32_t kdraw_mt_next(kdraw_mt *s) {
  if (s->mti >= KDRAW_MT_N) kdraw_mt_refill(s);
  uint32_t y = s->mt[s->mti++];
  y ^= y >> 11;
  y ^= (y << 7) & 0x9d2c5680u;
  y ^= (y << 15) & 0xefc60000u;
  return y ^ (y >> 18);
}

/* gsl_rng_get. */
static inline unsigned long kdraw_get(gsl_rng *r) {
  if (r->type == kdraw_mt19937) return kdraw_mt_next((kdraw_mt *)r->state);
  if (r->type == rng_xoshiro256ss) return (unsigned long)(rng_xo_next((uint64_t *)r->state) >> 32);
  return gsl_rng_get(r);
}

/* The ziggurat's 128 layers as gsl_ran_gaussian_ziggurat uses them: a draw j (24 bits)
 * in layer i is accepted at once when j < k[i], and is then j w[i] sd. */
typedef struct kdraw_zig {
  double w[128];
  uint32_t k[128];
  int ok; /* 0: the tables could not be read (every draw goes through GSL) */
} kdraw_zig;

/* Reads the tables off GSL (about 3 000 calls of its function); z->ok says if it worked. */
void kdraw_zig_init(kdraw_zig *z);

/* One 32-bit draw k of r, as the ziggurat splits it: layer and sign in the low byte,
 * j above; the value if it is accepted at once (1), else 0 with r put back. */
static inline int kdraw_zig_fast(const kdraw_zig *z, uint32_t k, double sigma, double *out) {
  uint32_t i = k & 0x7f, j = (k >> 8) & 0xffffff;
  if (!(j < z->k[i])) return 0;
  /* sign * sigma with sign = +1 if bit 7 is set, else -1, as a flip of sigma's sign
   * bit (the very product, without a branch on a coin toss) */
  uint64_t b;
  memcpy(&b, &sigma, sizeof b);
  b ^= (uint64_t)(~k & 0x80) << 56;
  double ss;
  memcpy(&ss, &b, sizeof ss);
  *out = ss * (j * z->w[i]);
  return 1;
}

/* gsl_ran_gaussian_ziggurat(r, sigma). Always inlined: the hot loops draw one or two
 * a sample, and a call would cost a third of the draw. */
__attribute__((always_inline)) static inline double kdraw_gaussian(const kdraw_zig *z, gsl_rng *r,
                                                                   double sigma) {
  double v;
  if (z->ok && r->type == kdraw_mt19937) {
    kdraw_mt *s = (kdraw_mt *)r->state;
    if (kdraw_zig_fast(z, kdraw_mt_next(s), sigma, &v)) return v;
    s->mti--; /* the word is still in the block: GSL reads it again */
  } else if (z->ok && r->type == rng_xoshiro256ss) {
    uint64_t *s = (uint64_t *)r->state, keep[4];
    memcpy(keep, s, sizeof keep);
    if (kdraw_zig_fast(z, (uint32_t)(rng_xo_next(s) >> 32), sigma, &v)) return v;
    memcpy(s, keep, sizeof keep);
  }
  return gsl_ran_gaussian_ziggurat(r, sigma);
}

#endif
