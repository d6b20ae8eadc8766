/* test_search: the search-theory kernel. Random search against its closed form and its
 * additivity; each lateral range law integrates to its sweep width over the whole line
 * and its mean over a span equals a numerical quadrature (GSL QAGS) of p(x); the weather
 * factor grounds above each limit and applies the rain factor; the sea state follows
 * the Beaufort winds. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>

#include <cmocka.h>
#include <math.h>

#include <gsl/gsl_integration.h>

#include "models/kernels/search.h"

#define assert_close(a, b, tol) close_or_fail((a), (b), (tol), #a, __LINE__)
static void close_or_fail(double a, double b, double tol, const char *expr, int line) {
  if (fabs(a - b) <= tol) return;
  print_error("line %d: %s = %.17g, want %.17g +- %g\n", line, expr, a, b, tol);
  fail();
}

static void random_search(void **state) {
  (void)state;
  /* W v t / A = 1 * 60 * 3 / 300 = 0.6 */
  assert_close(search_random_pd(1.0, 60.0, 3.0, 300.0), 1 - exp(-0.6), 1e-15);
  assert_close(search_random_rate(1.0, 60.0, 300.0), 0.2, 1e-15);
  assert_close(search_random_pd(1.0, 60.0, 0.0, 300.0), 0.0, 0);
  /* two searchers for t = one searcher for 2t: rates add */
  double one = search_random_pd(2.0, 30.0, 4.0, 500.0);
  assert_close(1 - (1 - one) * (1 - one), search_random_pd(2.0, 30.0, 8.0, 500.0), 1e-14);
  /* tiny effort: P ~ W v t / A (no cancellation in expm1) */
  assert_close(search_random_pd(1e-3, 1e-3, 1e-3, 1.0), 1e-9, 1e-18);
}

typedef struct law_arg {
  const search_law *law;
  double w;
} law_arg;

static double p_of(double x, void *v) {
  const law_arg *a = v;
  return search_law_p(a->law, x, a->w);
}

static void laws_integrate_to_sweep_width(void **state) {
  (void)state;
  gsl_integration_workspace *ws = gsl_integration_workspace_alloc(2000);
  const char *names[] = {"definite", "inverse_cube"};
  for (int k = 0; k < 2; k++) {
    const search_law *law = search_law_find(names[k]);
    assert_non_null(law);
    for (double w = 0.5; w <= 20; w *= 3) {
      law_arg a = {law, w};
      gsl_function f = {p_of, &a};
      double half, abserr;
      if (k == 0) { /* a step: integrate up to it */
        gsl_integration_qags(&f, 0, w / 2, 0, 1e-12, 2000, ws, &half, &abserr);
      } else {
        gsl_integration_qagiu(&f, 0, 0, 1e-10, 2000, ws, &half, &abserr);
      }
      print_message("%s W=%g: 2 * integral of p over [0, inf) = %.10g\n", names[k], w, 2 * half);
      assert_close(2 * half, w, 1e-7 * w);
      /* the mean over a span, against quadrature, for spans around the sweep width */
      for (double span = w / 8; span <= 8 * w; span *= 2) {
        double q;
        gsl_integration_qags(&f, 0, span, 0, 1e-12, 2000, ws, &q, &abserr);
        if (k == 0 && span > w / 2) q = w / 2; /* QAGS and a step: the exact area */
        assert_close(search_law_mean(law, span, w), q / span, 1e-9);
      }
      assert_close(search_law_mean(law, 1e9, w) * 2e9, w, 1e-6 * w); /* far span: W / (2 span) */
    }
  }
  gsl_integration_workspace_free(ws);
  assert_null(search_law_find("gaussian"));
  assert_null(search_law_find(NULL));
  /* inverse cube: p falls as 1 / x^2 far out, is near 1 close in */
  const search_law *ic = search_law_find("inverse_cube");
  assert_close(search_law_p(ic, 100.0, 2.0), 4 / (4 * M_PI * 1e4), 1e-8);
  assert_true(search_law_p(ic, 0.01, 2.0) > 0.999999);
}

static void weather_limits(void **state) {
  (void)state;
  search_limits drone = {12.0, 0, 1.0, 9}, boat = {INFINITY, 1, 0.7, 4};
  search_weather calm = {5.0, 0, 2}, windy = {12.5, 0, 5}, rain = {5.0, 1, 3}, edge = {12.0, 0, 4};
  assert_close(search_weather_factor(&calm, &drone), 1, 0);
  assert_close(search_weather_factor(&edge, &drone), 1, 0);   /* at the limit: still flies */
  assert_close(search_weather_factor(&windy, &drone), 0, 0);  /* above it: grounded */
  assert_close(search_weather_factor(&rain, &drone), 0, 0);   /* no rain flying */
  assert_close(search_weather_factor(&rain, &boat), 0.7, 0);  /* works in rain, sees less */
  assert_close(search_weather_factor(&windy, &boat), 0, 0);   /* sea state 5 > 4 */
  assert_close(search_weather_factor(&edge, &boat), 1, 0);
}

static void sea_state_from_wind(void **state) {
  (void)state;
  assert_int_equal(search_sea_state(0.0), 0);
  assert_int_equal(search_sea_state(1.0), 1);  /* force 1 */
  assert_int_equal(search_sea_state(4.0), 3);  /* force 3: slight */
  assert_int_equal(search_sea_state(9.0), 4);  /* force 5: moderate */
  assert_int_equal(search_sea_state(12.0), 5); /* force 6: rough */
  assert_int_equal(search_sea_state(19.0), 6); /* force 8: very rough */
  assert_int_equal(search_sea_state(40.0), 9); /* force 12 */
  for (double w = 0; w < 40; w += 0.1)
    assert_true(search_sea_state(w + 0.1) >= search_sea_state(w));
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(random_search),
      cmocka_unit_test(laws_integrate_to_sweep_width),
      cmocka_unit_test(weather_limits),
      cmocka_unit_test(sea_state_from_wind),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
