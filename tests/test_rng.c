/* test_rng: the xoshiro256** GSL generator and stream derivation. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <math.h>

#include <cmocka.h>
#include <gsl/gsl_cdf.h>
#include <gsl/gsl_randist.h>

#include "sim/rng.h"

static void reproducible(void **s) {
  (void)s;
  gsl_rng *a = rng_stream_new(42, 3, "arrivals:express"),
          *b = rng_stream_new(42, 3, "arrivals:express");
  for (int i = 0; i < 1000; i++) assert_true(gsl_rng_get(a) == gsl_rng_get(b));
  gsl_rng_free(a);
  gsl_rng_free(b);
}

/* Streams differ by seed, replication and name; adding a source changes nothing else. */
static void independent_streams(void **s) {
  (void)s;
  gsl_rng *base = rng_stream_new(1, 0, "service:s0");
  gsl_rng *r[3] = {rng_stream_new(2, 0, "service:s0"), rng_stream_new(1, 1, "service:s0"),
                   rng_stream_new(1, 0, "service:s1")};
  for (int k = 0; k < 3; k++) {
    int same = 0;
    gsl_rng_set(base, 0);
    rng_stream_reset(base, 1, 0, "service:s0");
    for (int i = 0; i < 1000; i++) same += gsl_rng_get(base) == gsl_rng_get(r[k]);
    assert_true(same < 5);
    gsl_rng_free(r[k]);
  }
  gsl_rng_free(base);
}

/* Uniformity: chi-square over 100 bins at the 0.1% level (a fixed seed). */
static void uniform_chi2(void **s) {
  (void)s;
  gsl_rng *r = rng_stream_new(7, 0, "u");
  int bins[100] = {0}, n = 1000000;
  for (int i = 0; i < n; i++) bins[(int)(gsl_rng_uniform(r) * 100)]++;
  double chi2 = 0, e = n / 100.0;
  for (int i = 0; i < 100; i++) chi2 += (bins[i] - e) * (bins[i] - e) / e;
  assert_true(chi2 < gsl_cdf_chisq_Pinv(0.999, 99));
  gsl_rng_free(r);
}

/* GSL distributions run on the generator: gamma mean within 4 standard errors. */
static void gsl_distributions(void **s) {
  (void)s;
  gsl_rng *r = rng_stream_new(9, 0, "g");
  double sum = 0;
  int n = 200000;
  for (int i = 0; i < n; i++) sum += gsl_ran_gamma(r, 2.0, 1.5);
  double mean = sum / n, se = sqrt(2.0 * 1.5 * 1.5 / n);
  assert_true(fabs(mean - 3.0) < 4 * se);
  double e = 0;
  for (int i = 0; i < n; i++) e += rng_exponential(r, 2.0);
  assert_true(fabs(e / n - 2.0) < 4 * 2.0 / sqrt(n));
  gsl_rng_free(r);
}

/* The inlined draws give exactly GSL's, on xoshiro streams and on another generator. */
static void inline_draws_as_gsl(void **st) {
  (void)st;
  for (int kind = 0; kind < 2; kind++) {
    gsl_rng *a = kind ? gsl_rng_alloc(gsl_rng_mt19937) : rng_stream_new(5, 1, "x");
    gsl_rng *b = kind ? gsl_rng_alloc(gsl_rng_mt19937) : rng_stream_new(5, 1, "x");
    for (int i = 0; i < 300000; i++) {
      double u = rng_uniform(a), v = gsl_rng_uniform(b);
      assert_memory_equal(&u, &v, sizeof u);
      u = rng_uniform_pos(a), v = gsl_rng_uniform_pos(b);
      assert_memory_equal(&u, &v, sizeof u);
      double sg = 0.25 + (i % 7);
      u = rng_gaussian(a, sg), v = gsl_ran_gaussian(b, sg);
      assert_memory_equal(&u, &v, sizeof u);
      unsigned long n = 1 + (unsigned long)(i % 1000) * 7919;
      assert_int_equal(rng_uniform_int(a, n), gsl_rng_uniform_int(b, n));
    }
    gsl_rng_free(a), gsl_rng_free(b);
  }
}

/* rng_gaussian_above never lies below the normal it bounds: over many polar points and
 * at the edges (r2 = 1, tiny r2, y = 0, both signs). */
static void gaussian_bound(void **st) {
  (void)st;
  gsl_rng *r = rng_stream_new(9, 0, "bound");
  double pts[][2] = {{0.5, 1.0}, {-0.5, 1.0}, {0.0, 0.3}, {1e-9, 1e-18}, {-1e-9, 1e-18},
                     {0.999, 0.999}, {-0.999, 0.999}, {0.7071, 0.5}, {-0.7071, 0.5}};
  for (size_t i = 0; i < sizeof pts / sizeof *pts; i++)
    for (double sg = 0.5; sg < 3; sg += 1.0)
      assert_true(rng_gaussian_above(sg, pts[i][0], pts[i][1]) >=
                  rng_gaussian_at(sg, pts[i][0], pts[i][1]));
  for (int i = 0; i < 2000000; i++) {
    double y, r2 = rng_polar_point(r, &y), sg = 0.1 + (i % 5);
    assert_true(rng_gaussian_above(sg, y, r2) >= rng_gaussian_at(sg, y, r2));
  }
  gsl_rng_free(r);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(reproducible), cmocka_unit_test(independent_streams),
      cmocka_unit_test(uniform_chi2), cmocka_unit_test(gsl_distributions),
      cmocka_unit_test(inline_draws_as_gsl), cmocka_unit_test(gaussian_bound),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
