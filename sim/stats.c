/* stats: tallies, time averages, histograms, batch means, confidence intervals. */
#include "sim/stats.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_cdf.h>

void tally_reset(tally *t) { *t = (tally){.min = INFINITY, .max = -INFINITY}; }

double tally_mean(const tally *t) { return t->n ? t->k + t->s1 / (double)t->n : NAN; }

double tally_var(const tally *t) {
  if (t->n < 2) return NAN;
  double n = (double)t->n, v = (t->s2 - t->s1 * t->s1 / n) / (n - 1);
  return v > 0 ? v : 0;
}

double tally_sd(const tally *t) { return sqrt(tally_var(t)); }

/* Re-shifts `from` onto into's K: sums of (x - K1) from sums of (x - K2). */
void tally_merge(tally *into, const tally *from) {
  if (!from->n) return;
  if (!into->n) {
    *into = *from;
    return;
  }
  double d = from->k - into->k, n2 = (double)from->n;
  into->s2 += from->s2 + 2 * d * from->s1 + n2 * d * d;
  into->s1 += from->s1 + n2 * d;
  into->n += from->n;
  if (from->min < into->min) into->min = from->min;
  if (from->max > into->max) into->max = from->max;
}

void timeavg_reset(timeavg *a, double t, double v) { *a = (timeavg){t, t, v, 0.0, v}; }

double timeavg_mean(const timeavg *a, double t) {
  double span = t - a->t0;
  if (span <= 0) return NAN;
  return (a->area + a->last_v * (t - a->last_t)) / span;
}

int hist_init(histogram *h) {
  memset(h, 0, sizeof *h);
  _Static_assert(HIST_NB * sizeof *h->b % sizeof *h->oct == 0, "octave counts aligned");
  h->b = calloc(1, HIST_NB * sizeof *h->b + HIST_OCTAVES * sizeof *h->oct);
  h->oct = h->b ? (uint64_t *)(void *)(h->b + HIST_NB) : NULL;
  return h->b ? 0 : -1;
}

void hist_deinit(histogram *h) {
  free(h->b);
  h->b = NULL;
  h->oct = NULL;
}

void hist_reset(histogram *h) {
  h->n = h->zero = h->under = h->over = 0;
  memset(h->b, 0, HIST_NB * sizeof *h->b);
  memset(h->oct, 0, HIST_OCTAVES * sizeof *h->oct);
}

/* Bucket i covers [lo(i), lo(i+1)): octave i / SUB, linear within the octave. */
static double bucket_lo(int i) {
  int oct = i / HIST_SUB, sub = i % HIST_SUB;
  return ldexp(HIST_MIN, oct) * (1.0 + (double)sub / HIST_SUB);
}



/* The sum of the 16 buckets from b. */
static uint64_t hist_sum16(const uint32_t *b) {
  uint64_t s = 0;
  for (int k = 0; k < 16; k++) s += b[k];
  return s;
}

/* Counts are summed as integers (below 2^53, so as exact as the doubles compared with
 * target): whole octaves, then groups of 16 buckets are passed over while the target
 * lies beyond them, and the bucket holding it is interpolated. */
double hist_quantile(const histogram *h, double q) {
  if (!h->n) return NAN;
  double target = q * (double)h->n;
  uint64_t below = h->zero;
  if (target <= (double)below) return 0.0;
  below += h->under;
  if (target <= (double)below) return HIST_MIN / 2;
  _Static_assert(HIST_SUB % 16 == 0, "an octave is whole groups of 16");
  for (int o = 0; o < HIST_OCTAVES; o++) {
    if (target > (double)(below + h->oct[o])) {
      below += h->oct[o];
      continue;
    }
    for (int g = o * HIST_SUB; g < (o + 1) * HIST_SUB; g += 16) {
      uint64_t s = hist_sum16(h->b + g);
      if (target > (double)(below + s)) {
        below += s;
        continue;
      }
      for (int i = g; i < g + 16; i++) {
        if (!h->b[i]) continue;
        double c = (double)h->b[i], cum = (double)below;
        if (target <= cum + c) {
          double lo = bucket_lo(i), hi = bucket_lo(i + 1);
          return lo + (hi - lo) * (target - cum) / c;
        }
        below += h->b[i];
      }
    }
  }
  return ldexp(HIST_MIN, HIST_OCTAVES);
}

double hist_cdf(const histogram *h, double x) {
  if (!h->n) return NAN;
  double cum = (double)h->zero;
  if (x <= 0) return x < 0 ? 0.0 : cum / (double)h->n;
  cum += (double)h->under;
  for (int i = 0; i < HIST_NB; i++) {
    double lo = bucket_lo(i), hi = bucket_lo(i + 1);
    if (x < lo) break;
    if (x >= hi) {
      cum += h->b[i];
    } else {
      cum += h->b[i] * (x - lo) / (hi - lo);
      break;
    }
  }
  return cum / (double)h->n;
}

void hist_merge(histogram *into, const histogram *from) {
  into->n += from->n;
  into->zero += from->zero;
  into->under += from->under;
  into->over += from->over;
  for (int i = 0; i < HIST_NB; i++) into->b[i] += from->b[i];
  for (int i = 0; i < HIST_OCTAVES; i++) into->oct[i] += from->oct[i];
}

void batch_reset(batchmeans *b, uint64_t initial_batch) {
  memset(b, 0, sizeof *b);
  b->per_batch = initial_batch ? initial_batch : 1;
}

void batch_add(batchmeans *b, double x) {
  b->cur_sum += x;
  if (++b->in_cur < b->per_batch) return;
  b->sums[b->nb++] = b->cur_sum;
  b->cur_sum = 0;
  b->in_cur = 0;
  if (b->nb == BATCH_MAX) { /* merge pairs: half as many batches, twice as long */
    for (int i = 0; i < BATCH_MAX / 2; i++) b->sums[i] = b->sums[2 * i] + b->sums[2 * i + 1];
    b->nb = BATCH_MAX / 2;
    b->per_batch *= 2;
  }
}

int batch_ci(const batchmeans *b, double level, double *mean, double *hw) {
  if (b->nb < 2) return -1;
  double m[BATCH_MAX];
  for (int i = 0; i < b->nb; i++) m[i] = b->sums[i] / (double)b->per_batch;
  stats_ci(m, (size_t)b->nb, level, mean, hw);
  return 0;
}

size_t stats_ci(const double *x, size_t n, double level, double *mean, double *hw) {
  tally t;
  tally_reset(&t);
  for (size_t i = 0; i < n; i++)
    if (!isnan(x[i])) tally_add(&t, x[i]);
  *mean = tally_mean(&t);
  *hw = t.n > 1 ? stats_t_halfwidth(0.5 + level / 2, (double)(t.n - 1), tally_sd(&t), (double)t.n)
                : NAN;
  return t.n;
}

double stats_t_halfwidth(double p, double df, double sd, double n) {
  if (!(df > 0)) return NAN;
  return gsl_cdf_tdist_Pinv(p, df) * sd / sqrt(n);
}
