/* diagnose: is a run in steady state? The backlog trend of each channel after warm-up
 * (least squares on batch means, with a one-sided t test on the slope), and MSER-5,
 * the warm-up that minimizes the standard error of the mean of what is left. */
#include "models/diagnose.h"

#include <gsl/gsl_cdf.h>
#include <math.h>
#include <stdlib.h>

#include "models/arrivals.h"
#include "models/scenario/spec.h"

#define MAX_BATCHES 60

/* Batch b: samples [lo, hi) of x, its mean and mid time. */
static void batch_at(const double *x, const double *t_h, size_t lo, size_t hi, double *mean,
                     double *mid) {
  double s = 0, st = 0;
  for (size_t i = lo; i < hi; i++) s += x[i], st += t_h[i];
  *mean = s / (double)(hi - lo);
  *mid = st / (double)(hi - lo);
}

/* Batches of whole cycles over samples [first, n): the first cycle_h-long windows from
 * the first sample, k cycles a batch so there are at most MAX_BATCHES. */
static size_t cycle_means(const double *x, const double *t_h, size_t first, size_t n,
                          double cycle_h, double *mean, double *mid) {
  double t0 = t_h[first], span_h = t_h[n - 1] - t0;
  /* a last cycle short by a sample or two still counts (the span runs between samples) */
  size_t ncyc = (size_t)floor(span_h / cycle_h + 0.02), k = 1;
  while (ncyc / k > MAX_BATCHES) k++;
  size_t nb = ncyc / k, lo = first, got = 0;
  for (size_t b = 0; b < nb; b++) {
    double end = t0 + (double)((b + 1) * k) * cycle_h;
    size_t hi = lo;
    while (hi < n && t_h[hi] < end - 1e-9) hi++;
    if (hi > lo) batch_at(x, t_h, lo, hi, &mean[got], &mid[got]), got++;
    lo = hi;
  }
  return got;
}

/* Batches over samples [first, n): whole cycles when the arrivals follow the clock, else
 * whole days when the span allows, else ten equal batches. Returns the batch count (0:
 * too few). */
static size_t batch_means(const double *x, const double *t_h, size_t first, size_t n,
                          double cycle_h, double *mean, double *mid) {
  if (n <= first + 10) return 0;
  if (cycle_h > 0) return cycle_means(x, t_h, first, n, cycle_h, mean, mid);
  double span_h = t_h[n - 1] - t_h[first];
  size_t nb = span_h >= 5 * 24 ? (size_t)floor(span_h / 24 + 1e-9) : 10;
  while (nb > MAX_BATCHES) nb = (nb + 1) / 2;
  size_t m = n - first;
  if (nb > m / 2) nb = m / 2;
  for (size_t b = 0; b < nb; b++)
    batch_at(x, t_h, first + m * b / nb, first + m * (b + 1) / nb, &mean[b], &mid[b]);
  return nb;
}

int diagnose_trend(const double *x, const double *t_h, size_t first, size_t n, double cycle_h,
                   double *slope_per_day) {
  double mean[MAX_BATCHES], mid[MAX_BATCHES];
  size_t nb = batch_means(x, t_h, first, n, cycle_h, mean, mid);
  *slope_per_day = NAN;
  if (nb < 4) return 0;
  double mx = 0, my = 0;
  for (size_t b = 0; b < nb; b++) mx += mid[b], my += mean[b];
  mx /= (double)nb, my /= (double)nb;
  double sxx = 0, sxy = 0;
  for (size_t b = 0; b < nb; b++)
    sxx += (mid[b] - mx) * (mid[b] - mx), sxy += (mid[b] - mx) * (mean[b] - my);
  if (sxx <= 0) return 0;
  double beta = sxy / sxx, sse = 0;
  for (size_t b = 0; b < nb; b++) {
    double r = mean[b] - my - beta * (mid[b] - mx);
    sse += r * r;
  }
  *slope_per_day = beta * 24;
  /* a rise that matters: over the measured span, more than 5% of the mean level and
   * more than one item (a statistically sure but tiny slope is no growing backlog) */
  double rise = beta * (mid[nb - 1] - mid[0]);
  if (!(rise > 0.05 * fabs(my) && rise > 1)) return 0;
  double se = sqrt(sse / (double)(nb - 2) / sxx);
  if (se <= 0) return 1;
  return beta / se > gsl_cdf_tdist_Pinv(0.95, (double)(nb - 2));
}

size_t diagnose_mser5(const double *x, size_t n) {
  size_t nb = n / 5;
  if (nb < 4) return 0;
  double *b = malloc(nb * sizeof *b);
  if (!b) return 0;
  for (size_t k = 0; k < nb; k++) {
    double s = 0;
    for (size_t i = 0; i < 5; i++) s += x[5 * k + i];
    b[k] = s / 5;
  }
  /* MSER(d) = sum over kept batches of (b - mean)^2 / (kept)^2, for d up to half */
  double best = INFINITY;
  size_t best_d = 0;
  for (size_t d = 0; d <= nb / 2; d++) {
    size_t m = nb - d;
    double s = 0, ss = 0;
    for (size_t k = d; k < nb; k++) s += b[k];
    double mean = s / (double)m;
    for (size_t k = d; k < nb; k++) ss += (b[k] - mean) * (b[k] - mean);
    double v = ss / ((double)m * (double)m);
    if (v < best) best = v, best_d = d;
  }
  free(b);
  return 5 * best_d;
}

void diagnose_trends(const spec *sp, double t_warm_min, kpi_run *k) {
  size_t first = 0, n = k->nsamples;
  while (first < n && k->t_h[first] * 60 < t_warm_min - 1e-9) first++;
  for (size_t c = 0; c < sp->nch; c++) {
    kpi_channel *kc = &k->ch[c];
    /* arrivals that follow the clock (hourly and weekly profiles, schedules): whole days,
     * or whole weeks when the weekly profile is not flat */
    double cycle_h = arrivals_spec_cycle_h(sp->ch[c].arr);
    kc->backlog_rising = diagnose_trend(k->in_system + c * n, k->t_h, first + 1, n,
                                        cycle_h, &kc->backlog_trend_per_day);
  }
}
