/* stats: the statistics a simulation collects. Tallies (mean, variance, min, max of
 * observations), time-weighted averages (queue lengths, busy servers), log-bucketed
 * histograms for quantiles (bounded memory, relative error under 1%), batch means for
 * one long run, Student-t confidence intervals across replications. Warm-up deletion
 * is done by resetting at the end of the warm-up (the *_reset functions).
 * All are plain values the caller embeds; the histogram owns a fixed array. */
#ifndef SIM_STATS_H
#define SIM_STATS_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

/* Sums are kept shifted by the first value (K), which keeps the variance accurate
 * without a division per observation. */
typedef struct tally {
  uint64_t n;
  double k, s1, s2, min, max;
} tally;

void tally_reset(tally *t);
static inline void tally_add(tally *t, double x) {
  if (!t->n) t->k = x;
  t->n++;
  double d = x - t->k;
  t->s1 += d;
  t->s2 += d * d;
  if (x < t->min) t->min = x;
  if (x > t->max) t->max = x;
}
double tally_mean(const tally *t);  /* NaN when empty */
double tally_var(const tally *t);   /* sample variance; NaN when n < 2 */
double tally_sd(const tally *t);
void tally_merge(tally *into, const tally *from);

/* Time-weighted average of a piecewise-constant value. */
typedef struct timeavg {
  double t0, last_t, last_v, area, max;
} timeavg;

void timeavg_reset(timeavg *a, double t, double v);
/* The value changes to v at time t. */
static inline void timeavg_set(timeavg *a, double t, double v) {
  a->area += a->last_v * (t - a->last_t);
  a->last_t = t;
  a->last_v = v;
  if (v > a->max) a->max = v;
}
double timeavg_mean(const timeavg *a, double t);    /* average over [t0, t]; NaN if empty */

/* Log-bucketed histogram: zero has its own bucket; positive values between
 * HIST_MIN and HIST_MAX fall in buckets of relative width 1/HIST_SUB per octave step. */
#define HIST_SUB 128
#define HIST_OCTAVES 40
#define HIST_MIN 0x1.0p-12 /* about 0.015 s when values are minutes */
#define HIST_NB (HIST_SUB * HIST_OCTAVES)

typedef struct histogram {
  uint64_t n, zero, under, over;
  uint32_t *b;   /* HIST_NB buckets, owned (one block with oct) */
  uint64_t *oct; /* HIST_OCTAVES counts, one an octave: a quantile skips empty octaves
                    instead of scanning 5120 buckets (the viewer takes three a frame) */
} histogram;

/* init/deinit, not new/free: a histogram is a value embedded in its owner's struct (a
 * station, a channel), so only its bucket array is allocated and released here. */
int hist_init(histogram *h);       /* 0 or -1 (no memory) */
void hist_deinit(histogram *h);
void hist_reset(histogram *h);
/* Adds x: zero has its bucket; y = x / HIST_MIN is exact (a power of two), its exponent
 * is the octave and the top 7 bits of its mantissa the linear sub-bucket. */
_Static_assert(HIST_SUB == 128, "hist_add reads 7 mantissa bits");
static inline void hist_add(histogram *h, double x) {
  h->n++;
  if (!(x > 0)) {
    h->zero++;
    return;
  }
  double y = x * (1.0 / HIST_MIN);
  uint64_t b;
  memcpy(&b, &y, sizeof b);
  uint32_t oct = (uint32_t)(b >> 52) - 1023u; /* y > 0: the sign bit is clear */
  if (oct < HIST_OCTAVES) {
    h->b[oct * HIST_SUB + (uint32_t)((b >> 45) & 127)]++;
    h->oct[oct]++;
  } else if ((int32_t)oct < 0) {
    h->under++;
  } else {
    h->over++;
  }
}
double hist_quantile(const histogram *h, double q); /* q in [0,1]; NaN when empty */
/* Share of observations <= x. */
double hist_cdf(const histogram *h, double x);
void hist_merge(histogram *into, const histogram *from);

/* Batch means for a single long run: observations are grouped in batches whose size
 * doubles when the batch array is full, so memory is fixed. */
#define BATCH_MAX 64
typedef struct batchmeans {
  uint64_t per_batch, in_cur;
  double cur_sum;
  double sums[BATCH_MAX];
  int nb;
} batchmeans;

void batch_reset(batchmeans *b, uint64_t initial_batch);
void batch_add(batchmeans *b, double x);
/* Mean and Student-t half-width at `level` over the complete batches; -1 if < 2. */
int batch_ci(const batchmeans *b, double level, double *mean, double *hw);

/* Mean and Student-t half-width at `level` of n values (NaNs skipped); returns the
 * count used. Half-width is NaN when fewer than 2 values. */
size_t stats_ci(const double *x, size_t n, double level, double *mean, double *hw);

/* The one Student-t half-width of the project: t_p(df) * sd / sqrt(n), with t_p(df) the
 * quantile at probability p of Student's t with df degrees of freedom (p = 0.975 for a
 * two-sided 95% interval; df need not be whole, as in Welch's). NaN when df <= 0.
 * Callers that hold a standard error rather than sd pass it with n = 1. */
double stats_t_halfwidth(double p, double df, double sd, double n);

#endif
