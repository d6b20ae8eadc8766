/* test_ksort: the kernels' radix sorts give a stable comparison sort's order, bit for
 * bit: equal values (0 and -0 among them) keep their given order, infinities go to the
 * ends, and inputs of one value, of a few values and of spread values (where whole key
 * bytes are shared and skipped) all come out as the reference puts them. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_rng.h>

#include "models/kernels/ksort.h"

/* The reference: a comparison sort made stable by the position as the last key. */
typedef struct ref { double v; size_t i; } ref;

static int cmp_asc(const void *a, const void *b) {
  const ref *x = a, *y = b;
  if (x->v != y->v) return x->v < y->v ? -1 : 1;
  return x->i < y->i ? -1 : x->i > y->i;
}
static int cmp_desc(const void *a, const void *b) {
  const ref *x = a, *y = b;
  if (x->v != y->v) return x->v > y->v ? -1 : 1;
  return x->i < y->i ? -1 : x->i > y->i;
}

/* n values of one of four shapes: a few repeated values with signed zeros, spread
 * values, one value, values sharing their high bytes. */
static double draw(gsl_rng *r, int shape) {
  static const double few[] = {0.0, -0.0, 1.5, -2.0, 1e-300, 3.0};
  switch (shape) {
  case 0: return few[gsl_rng_uniform_int(r, 6)];
  case 1: return (gsl_rng_uniform(r) - 0.5) * pow(10, (double)gsl_rng_uniform_int(r, 12) - 6);
  case 2: return 0.25;
  default: return 1.0 + (double)gsl_rng_uniform_int(r, 256) * 0x1p-40;
  }
}

static void floats_ascending(void **state) {
  (void)state;
  gsl_rng *r = gsl_rng_alloc(gsl_rng_mt19937);
  assert_non_null(r);
  for (int shape = 0; shape < 4; shape++)
    for (size_t n = 0; n < 3000; n = n * 3 + 1) {
      float *v = malloc((n + 1) * sizeof *v);
      uint64_t *w = malloc((2 * n + 1) * sizeof *w);
      ref *e = malloc((n + 1) * sizeof *e);
      assert_non_null(v), assert_non_null(w), assert_non_null(e);
      for (size_t i = 0; i < n; i++) {
        v[i] = (float)draw(r, shape);
        e[i] = (ref){v[i], i};
      }
      qsort(e, n, sizeof *e, cmp_asc);
      ksort_floats_asc(v, n, w);
      for (size_t i = 0; i < n; i++) {
        float x = (float)e[i].v;
        assert_memory_equal(&v[i], &x, sizeof x); /* -0 stays where it was */
      }
      free(v), free(w), free(e);
    }
  gsl_rng_free(r);
}

static void doubles_descending(void **state) {
  (void)state;
  gsl_rng *r = gsl_rng_alloc(gsl_rng_mt19937);
  assert_non_null(r);
  for (int shape = 0; shape < 4; shape++)
    for (size_t n = 0; n < 3000; n = n * 3 + 1) {
      double *v = malloc((n + 1) * sizeof *v);
      ref *e = malloc((n + 1) * sizeof *e);
      assert_non_null(v), assert_non_null(e);
      for (size_t i = 0; i < n; i++) {
        v[i] = draw(r, shape);
        if (shape == 1 && i % 97 == 5) v[i] = i % 2 ? INFINITY : -INFINITY;
        e[i] = (ref){v[i], i};
      }
      qsort(e, n, sizeof *e, cmp_desc);
      assert_int_equal(ksort_doubles_desc(v, n), 0);
      for (size_t i = 0; i < n; i++) assert_memory_equal(&v[i], &e[i].v, sizeof v[i]);
      free(v), free(e);
    }
  gsl_rng_free(r);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(floats_ascending),
      cmocka_unit_test(doubles_descending),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
