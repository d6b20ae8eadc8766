/* test_stats: statistics against values computed by hand. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <math.h>

#include <cmocka.h>
#include <gsl/gsl_cdf.h>

#include "sim/stats.h"

static void tally_known(void **s) {
  (void)s;
  tally t;
  tally_reset(&t);
  double x[] = {2, 4, 4, 4, 5, 5, 7, 9};
  for (int i = 0; i < 8; i++) tally_add(&t, x[i]);
  assert_float_equal(tally_mean(&t), 5.0, 1e-12);
  assert_float_equal(tally_var(&t), 32.0 / 7, 1e-12);
  assert_float_equal(t.min, 2, 0);
  assert_float_equal(t.max, 9, 0);
  tally a, b;
  tally_reset(&a);
  tally_reset(&b);
  for (int i = 0; i < 3; i++) tally_add(&a, x[i]);
  for (int i = 3; i < 8; i++) tally_add(&b, x[i]);
  tally_merge(&a, &b);
  assert_float_equal(tally_var(&a), 32.0 / 7, 1e-12);
  tally e;
  tally_reset(&e);
  assert_true(isnan(tally_mean(&e)));
}

static void timeavg_known(void **s) {
  (void)s;
  timeavg a;
  timeavg_reset(&a, 0, 0);
  timeavg_set(&a, 1, 2);  /* 0 on [0,1) */
  timeavg_set(&a, 3, 1);  /* 2 on [1,3) */
  assert_float_equal(timeavg_mean(&a, 5), (0 + 4 + 2) / 5.0, 1e-12); /* 1 on [3,5) */
  assert_float_equal(a.max, 2, 0);
}

static void hist_quantiles(void **s) {
  (void)s;
  histogram h;
  assert_int_equal(hist_init(&h), 0);
  for (int i = 1; i <= 10000; i++) hist_add(&h, i / 100.0); /* uniform on (0, 100] */
  for (int i = 0; i < 2500; i++) hist_add(&h, 0.0);
  /* 20% zeros: the 10th percentile is 0, the median is at 37.5 */
  assert_float_equal(hist_quantile(&h, 0.10), 0.0, 0);
  assert_float_equal(hist_quantile(&h, 0.5), 37.5, 37.5 * 0.01);
  assert_float_equal(hist_quantile(&h, 0.95), 93.75, 93.75 * 0.01);
  assert_float_equal(hist_cdf(&h, 50.0), (2500 + 5000) / 12500.0, 0.005);
  hist_deinit(&h);
}

/* The quantile by its definition, bucket by bucket: the n * q-th observation, placed
 * linearly inside its bucket (zeros at 0, values under the range at HIST_MIN / 2). */
static double quantile_by_bucket(const histogram *h, double q) {
  if (!h->n) return NAN;
  double target = q * (double)h->n, cum = (double)h->zero;
  if (target <= cum) return 0.0;
  cum += (double)h->under;
  if (target <= cum) return HIST_MIN / 2;
  for (int i = 0; i < HIST_NB; i++) {
    double c = (double)h->b[i];
    if (c > 0 && target <= cum + c) {
      int o = i / HIST_SUB, k = i % HIST_SUB;
      double lo = ldexp(HIST_MIN, o) * (1.0 + (double)k / HIST_SUB);
      double hi =
          ldexp(HIST_MIN, (i + 1) / HIST_SUB) * (1.0 + (double)((i + 1) % HIST_SUB) / HIST_SUB);
      return lo + (hi - lo) * (target - cum) / c;
    }
    cum += c;
  }
  return ldexp(HIST_MIN, HIST_OCTAVES);
}

/* hist_quantile passes over octaves and groups of buckets at once: the same figure, bit
 * for bit, as bucket by bucket, on sparse and dense histograms and at quantiles that
 * fall exactly on bucket and group boundaries. */
static void hist_quantile_exact(void **s) {
  (void)s;
  uint64_t x = 0x9e3779b97f4a7c15ULL;
  for (int round = 0; round < 40; round++) {
    histogram h;
    assert_int_equal(hist_init(&h), 0);
    int n = 1 + round * round * 7;
    for (int i = 0; i < n; i++) {
      x ^= x << 13, x ^= x >> 7, x ^= x << 17;
      double u = (double)(x >> 11) * 0x1p-53; /* log-uniform over 2^-14 .. 2^(-14 + 12 + round) */
      hist_add(&h,
               round % 5 == 0 && i % 9 == 0 ? 0.0 : ldexp(HIST_MIN, -2) * exp2(u * (12 + round)));
    }
    for (int k = 0; k <= 400; k++) {
      double q = k / 400.0;
      assert_true(hist_quantile(&h, q) == quantile_by_bucket(&h, q));
    }
    for (uint64_t c = 0; c <= h.n; c += 1 + h.n / 97) { /* q landing on a count */
      double q = (double)c / (double)h.n;
      assert_true(hist_quantile(&h, q) == quantile_by_bucket(&h, q));
    }
    hist_deinit(&h);
  }
}

static void ci_known(void **s) {
  (void)s;
  double x[] = {1, 2, 3, 4, 5, NAN};
  double m, hw;
  assert_int_equal(stats_ci(x, 6, 0.95, &m, &hw), 5);
  assert_float_equal(m, 3, 1e-12);
  assert_float_equal(hw, gsl_cdf_tdist_Pinv(0.975, 4) * sqrt(2.5) / sqrt(5), 1e-12);
  stats_ci(x, 1, 0.95, &m, &hw);
  assert_true(isnan(hw));
}

static void batch_means(void **s) {
  (void)s;
  batchmeans b;
  batch_reset(&b, 10);
  for (int i = 0; i < 100000; i++) batch_add(&b, (double)(i % 10));
  double m, hw;
  assert_int_equal(batch_ci(&b, 0.95, &m, &hw), 0);
  assert_float_equal(m, 4.5, 1e-12);
  assert_true(b.nb >= BATCH_MAX / 2 && b.nb < BATCH_MAX);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(tally_known),    cmocka_unit_test(timeavg_known),
      cmocka_unit_test(hist_quantiles), cmocka_unit_test(hist_quantile_exact),
      cmocka_unit_test(ci_known),
      cmocka_unit_test(batch_means),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
