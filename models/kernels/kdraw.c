/* kdraw: Mersenne Twister as a gsl_rng_type, and the ziggurat tables read off GSL (see
 * kdraw.h). */
#include "models/kernels/kdraw.h"

enum { MT_M = 397 };

static uint32_t twist(uint32_t a, uint32_t b, uint32_t c) {
  uint32_t y = (a & 0x80000000u) | (b & 0x7fffffffu);
  return c ^ (y >> 1) ^ ((y & 1u) ? 0x9908b0dfu : 0u);
}

typedef uint32_t kd_v4u __attribute__((vector_size(16)));

/* twist of four consecutive words k .. k + 3 (c at offset d from k); each reads words
 * that this step does not write (k + 1 .. k + 4 not yet twisted, k + d already done),
 * so four at a time give the words one at a time give. */
static void twist4(uint32_t *mt, int k, int d) {
  kd_v4u a, b, c;
  memcpy(&a, mt + k, sizeof a), memcpy(&b, mt + k + 1, sizeof b), memcpy(&c, mt + k + d, sizeof c);
  kd_v4u y = (a & 0x80000000u) | (b & 0x7fffffffu);
  a = c ^ (y >> 1) ^ ((0u - (y & 1u)) & 0x9908b0dfu);
  memcpy(mt + k, &a, sizeof a);
}

void kdraw_mt_refill(kdraw_mt *s) {
  uint32_t *mt = s->mt;
  int k = 0;
  for (; k + 4 <= KDRAW_MT_N - MT_M; k += 4) twist4(mt, k, MT_M);
  for (; k < KDRAW_MT_N - MT_M; k++) mt[k] = twist(mt[k], mt[k + 1], mt[k + MT_M]);
  for (; k + 4 <= KDRAW_MT_N - 1; k += 4) twist4(mt, k, MT_M - KDRAW_MT_N);
  for (; k < KDRAW_MT_N - 1; k++) mt[k] = twist(mt[k], mt[k + 1], mt[k + MT_M - KDRAW_MT_N]);
  mt[KDRAW_MT_N - 1] = twist(mt[KDRAW_MT_N - 1], mt[0], mt[MT_M - 1]);
  s->mti = 0;
}

/* Seeding as gsl_rng_mt19937 does it (seed 0 stands for 4357, its default). */
static void mt_set(void *state, unsigned long seed) {
  kdraw_mt *s = state;
  if (!seed) seed = 4357;
  s->mt[0] = (uint32_t)seed;
  for (int i = 1; i < KDRAW_MT_N; i++)
    s->mt[i] = 1812433253u * (s->mt[i - 1] ^ (s->mt[i - 1] >> 30)) + (uint32_t)i;
  s->mti = KDRAW_MT_N;
}

static unsigned long mt_get(void *state) { return kdraw_mt_next(state); }
static double mt_get_double(void *state) { return kdraw_mt_next(state) / 4294967296.0; }

static const gsl_rng_type mt_type = {"kdraw_mt19937", 0xffffffffUL, 0, sizeof(kdraw_mt),
                                     mt_set, mt_get, mt_get_double};
const gsl_rng_type *const kdraw_mt19937 = &mt_type;

/* ---- reading the ziggurat's tables ----
 * A probe generator hands GSL's function one chosen 32-bit word, then zeros (a zero
 * word is layer 0, j = 0: accepted at once, so any rejection loop ends). A word that
 * is accepted at once costs exactly one draw and returns j w[i] for sigma 1. */
typedef struct probe {
  uint32_t first;
  int calls;
} probe;

static void probe_set(void *state, unsigned long seed) {
  (void)seed;
  ((probe *)state)->calls = 0;
}
static unsigned long probe_get(void *state) {
  probe *p = state;
  return p->calls++ ? 0 : p->first;
}
static double probe_get_double(void *state) { return probe_get(state) / 4294967296.0; }

static const gsl_rng_type probe_type = {"kdraw_probe", 0xffffffffUL, 0, sizeof(probe), probe_set,
                                        probe_get, probe_get_double};

/* Draws word once; 1 if it was accepted at once (one draw), with the value. */
static int try_word(gsl_rng *r, uint32_t word, double *v) {
  probe *p = r->state;
  p->first = word, p->calls = 0;
  *v = gsl_ran_gaussian_ziggurat(r, 1.0);
  return p->calls == 1;
}

void kdraw_zig_init(kdraw_zig *z) {
  memset(z, 0, sizeof *z);
  gsl_rng *r = gsl_rng_alloc(&probe_type);
  if (!r) return;
  int ok = 1;
  for (uint32_t i = 0; i < 128 && ok; i++) {
    double v;
    /* j = 1, positive sign: the value is w[i] itself; a layer that does not take even
     * j = 1 at once (GSL's layer 0) keeps k[i] = 0: its draws all go through GSL */
    if (!try_word(r, 1u << 8 | 0x80 | i, &v)) continue;
    ok = v > 0;
    z->w[i] = v;
    uint32_t lo = 1, hi = 1u << 24; /* j = lo is accepted; the least rejected j is in (lo, hi] */
    while (ok && hi - lo > 1) {
      uint32_t mid = lo + (hi - lo) / 2;
      if (try_word(r, mid << 8 | 0x80 | i, &v)) lo = mid;
      else hi = mid;
    }
    z->k[i] = hi;
    /* the largest accepted j must come out as j w[i], both signs */
    ok = ok && try_word(r, lo << 8 | 0x80 | i, &v) && v == 1.0 * (lo * z->w[i]) &&
         try_word(r, lo << 8 | i, &v) && v == -1.0 * (lo * z->w[i]);
  }
  gsl_rng_free(r);
  z->ok = ok;
}
