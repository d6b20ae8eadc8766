/* rng: xoshiro256** (Blackman and Vigna, 2018) as a GSL generator, and stream
 * derivation by hashing (seed, replication, name) through splitmix64. */
#include "sim/rng.h"

#include <math.h>
#include <string.h>

typedef struct xo_state {
  uint64_t s[4];
} xo_state;

static inline uint64_t rotl(uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }

static inline uint64_t xo_next(xo_state *st) {
  uint64_t *s = st->s;
  uint64_t result = rotl(s[1] * 5, 7) * 9;
  uint64_t t = s[1] << 17;
  s[2] ^= s[0];
  s[3] ^= s[1];
  s[1] ^= s[2];
  s[0] ^= s[3];
  s[2] ^= t;
  s[3] = rotl(s[3], 45);
  return result;
}

uint64_t rng_mix64(uint64_t x) {
  x += 0x9e3779b97f4a7c15ULL;
  x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
  x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
  return x ^ (x >> 31);
}

static void xo_seed64(xo_state *st, uint64_t key) {
  uint64_t x = key;
  for (int i = 0; i < 4; i++) {
    x += 0x9e3779b97f4a7c15ULL;
    st->s[i] = rng_mix64(x);
  }
  if (!(st->s[0] | st->s[1] | st->s[2] | st->s[3])) st->s[0] = 1;
}

static void xo_set(void *vstate, unsigned long seed) { xo_seed64(vstate, (uint64_t)seed); }

/* GSL expects values in [min, max]; the upper 32 bits keep every gsl_ran_* happy. */
static unsigned long xo_get(void *vstate) { return (unsigned long)(xo_next(vstate) >> 32); }

static double xo_get_double(void *vstate) {
  return (double)(xo_next(vstate) >> 11) * 0x1.0p-53;
}

static const gsl_rng_type xo_type = {"xoshiro256ss", 0xffffffffUL, 0, sizeof(xo_state),
                                     xo_set, xo_get, xo_get_double};

const gsl_rng_type *const rng_xoshiro256ss = &xo_type;

uint64_t rng_hash(const char *s) {
  uint64_t h = 0xcbf29ce484222325ULL;
  for (; *s; s++) {
    h ^= (unsigned char)*s;
    h *= 0x100000001b3ULL;
  }
  return h;
}

static uint64_t stream_key(uint64_t seed, uint32_t rep, const char *name) {
  uint64_t k = rng_mix64(seed);
  k = rng_mix64(k ^ (0x5851f42d4c957f2dULL * ((uint64_t)rep + 1)));
  return rng_mix64(k ^ rng_hash(name ? name : ""));
}

void rng_stream_reset(gsl_rng *r, uint64_t seed, uint32_t rep, const char *name) {
  xo_seed64(r->state, stream_key(seed, rep, name));
}

gsl_rng *rng_stream_new(uint64_t seed, uint32_t rep, const char *name) {
  gsl_rng *r = gsl_rng_alloc(rng_xoshiro256ss);
  if (r) rng_stream_reset(r, seed, rep, name);
  return r;
}

double rng_exponential(gsl_rng *r, double mean) { return -mean * log(rng_uniform_pos(r)); }
