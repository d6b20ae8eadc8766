/* test_kdraw: the kernels' inline draws are GSL's, bit for bit: kdraw_mt19937 against
 * gsl_rng_mt19937 (seeds, words, doubles, integers, across block refills), kdraw_get
 * and kdraw_gaussian against gsl_rng_get and gsl_ran_gaussian_ziggurat on both
 * generators the kernels meet (their own Mersenne Twister and the engine's xoshiro),
 * mixed with other GSL draws so the streams must stay in step. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>
#include <string.h>

#include <gsl/gsl_randist.h>
#include <gsl/gsl_rng.h>

#include "models/kernels/kdraw.h"
#include "sim/rng.h"

static void test_mt_sequence(void **state) {
  (void)state;
  const unsigned long seeds[] = {0, 1, 4357, 123456789, 0xffffffffUL, 0x123456789abcUL};
  for (size_t s = 0; s < sizeof seeds / sizeof *seeds; s++) {
    gsl_rng *a = gsl_rng_alloc(gsl_rng_mt19937), *b = gsl_rng_alloc(kdraw_mt19937);
    assert_non_null(a), assert_non_null(b);
    gsl_rng_set(a, seeds[s]), gsl_rng_set(b, seeds[s]);
    assert_int_equal(gsl_rng_max(a), gsl_rng_max(b));
    assert_int_equal(gsl_rng_min(a), gsl_rng_min(b));
    for (int i = 0; i < 5000; i++) { /* several blocks of 624 words */
      switch (i % 4) {
      case 0: assert_int_equal(gsl_rng_get(a), kdraw_get(b)); break;
      case 1: assert_true(gsl_rng_uniform(a) == gsl_rng_uniform(b)); break;
      case 2: assert_int_equal(gsl_rng_uniform_int(a, 1000), gsl_rng_uniform_int(b, 1000)); break;
      default: assert_int_equal(gsl_rng_get(a), gsl_rng_get(b));
      }
    }
    gsl_rng_free(a), gsl_rng_free(b);
  }
}

static void test_zig_tables(void **state) {
  (void)state;
  kdraw_zig z;
  kdraw_zig_init(&z);
  assert_true(z.ok);
  int fast = 0;
  for (int i = 0; i < 128; i++) fast += z.w[i] > 0 && z.k[i] > 0;
  assert_true(fast >= 120); /* nearly every layer takes most draws at once */
}

/* n Gaussians from a (GSL) and b (kdraw) with other draws between; every one equal. */
static void same_gaussians(const kdraw_zig *z, gsl_rng *a, gsl_rng *b, int n) {
  const double sig[] = {1.0, 0.7071067811865476, 3.5, 1e-3};
  for (int i = 0; i < n; i++) {
    double s = sig[i % 4];
    double u = gsl_ran_gaussian_ziggurat(a, s), v = kdraw_gaussian(z, b, s);
    assert_memory_equal(&u, &v, sizeof u);
    if (i % 97 == 0) assert_true(gsl_rng_uniform(a) == gsl_rng_uniform(b));
    if (i % 89 == 0) assert_int_equal(gsl_rng_get(a), kdraw_get(b));
  }
}

static void test_gaussian_mt(void **state) {
  (void)state;
  kdraw_zig z;
  kdraw_zig_init(&z);
  gsl_rng *a = gsl_rng_alloc(gsl_rng_mt19937), *b = gsl_rng_alloc(kdraw_mt19937);
  gsl_rng_set(a, 77), gsl_rng_set(b, 77);
  same_gaussians(&z, a, b, 400000); /* thousands of draws outside the fast layers */
  gsl_rng_free(a), gsl_rng_free(b);
}

static void test_gaussian_xoshiro(void **state) {
  (void)state;
  kdraw_zig z;
  kdraw_zig_init(&z);
  gsl_rng *a = rng_stream_new(5, 1, "test"), *b = rng_stream_new(5, 1, "test");
  assert_non_null(a), assert_non_null(b);
  same_gaussians(&z, a, b, 400000);
  gsl_rng_free(a), gsl_rng_free(b);
}

/* Tables that could not be read: every draw goes through GSL, still the same. */
static void test_gaussian_fallback(void **state) {
  (void)state;
  kdraw_zig z = {.ok = 0};
  gsl_rng *a = gsl_rng_alloc(gsl_rng_mt19937), *b = gsl_rng_alloc(kdraw_mt19937);
  same_gaussians(&z, a, b, 1000);
  gsl_rng *c = gsl_rng_alloc(gsl_rng_taus2), *d = gsl_rng_alloc(gsl_rng_taus2);
  kdraw_zig_init(&z);
  same_gaussians(&z, c, d, 1000); /* another generator: GSL's own path */
  gsl_rng_free(a), gsl_rng_free(b), gsl_rng_free(c), gsl_rng_free(d);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_mt_sequence),      cmocka_unit_test(test_zig_tables),
      cmocka_unit_test(test_gaussian_mt),      cmocka_unit_test(test_gaussian_xoshiro),
      cmocka_unit_test(test_gaussian_fallback),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
