/* test_risk_eval: ranking metrics against hand-made rankings, exact values, ties
 * included (average ranks for the AUC, fractional credit at the top-n% cut). */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "models/kernels/risk_eval.h"

#define EPS 1e-12
#define assert_double_equal(a, b, eps)                                              \
  do {                                                                              \
    double a_ = (a), b_ = (b);                                                      \
    if (!(fabs(a_ - b_) <= (eps))) fail_msg("%s = %.17g, expected %.17g", #a, a_, b_); \
  } while (0)

/* Pairs (positive, negative) ordered right: 0.9>0.8, 0.9>0.6, 0.7>0.6; wrong: 0.7<0.8. */
static void auc_no_ties(void **s) {
  (void)s;
  const double sc[] = {0.9, 0.8, 0.7, 0.6};
  const uint8_t y[] = {1, 0, 1, 0};
  assert_double_equal(risk_eval_auc(sc, y, 4), 0.75, EPS);
  const double perfect[] = {4, 3, 2, 1};
  const uint8_t yp[] = {1, 1, 0, 0};
  assert_double_equal(risk_eval_auc(perfect, yp, 4), 1.0, EPS);
  const uint8_t yw[] = {0, 0, 1, 1};
  assert_double_equal(risk_eval_auc(perfect, yw, 4), 0.0, EPS);
}

/* A tied (positive, negative) pair counts one half. */
static void auc_ties(void **s) {
  (void)s;
  const double a[] = {1, 1, 0, 0};
  const uint8_t ya[] = {1, 0, 1, 0};
  assert_double_equal(risk_eval_auc(a, ya, 4), 0.5, EPS);
  const double b[] = {3, 2, 2, 1}; /* 1 + 1 + 0.5 + 1 of 4 pairs */
  const uint8_t yb[] = {1, 1, 0, 0};
  assert_double_equal(risk_eval_auc(b, yb, 4), 0.875, EPS);
  const double c[] = {0.5, 0.5, 0.5};
  const uint8_t yc[] = {1, 0, 0};
  assert_double_equal(risk_eval_auc(c, yc, 3), 0.5, EPS);
  /* input order must not matter */
  const double d[] = {2, 1, 3, 2};
  const uint8_t yd[] = {0, 0, 1, 1};
  assert_double_equal(risk_eval_auc(d, yd, 4), 0.875, EPS);
}

static void auc_one_class(void **s) {
  (void)s;
  const double sc[] = {1, 2, 3};
  const uint8_t y[] = {1, 1, 1};
  assert_true(isnan(risk_eval_auc(sc, y, 3)));
}

/* Top 30% of ten: items ranked 1..3 hold two of the four positives, 150 of 200 yen. */
static void top_share(void **s) {
  (void)s;
  const double sc[] = {10, 9, 8, 7, 6, 5, 4, 3, 2, 1};
  const uint8_t y[] = {1, 1, 0, 1, 0, 0, 0, 0, 1, 0};
  const double rev[] = {100, 50, 0, 30, 0, 0, 0, 0, 20, 0};
  double p, r, v;
  assert_int_equal(risk_eval_top(sc, y, rev, 10, 0.3, &p, &r, &v), SIM_OK);
  assert_double_equal(p, 2.0 / 3.0, EPS);
  assert_double_equal(r, 0.5, EPS);
  assert_double_equal(v, 0.75, EPS);
  /* k rounds to the nearest count and is at least one */
  assert_int_equal(risk_eval_top(sc, y, rev, 10, 0.01, &p, &r, &v), SIM_OK);
  assert_double_equal(p, 1.0, EPS);
  assert_double_equal(r, 0.25, EPS);
  assert_double_equal(v, 0.5, EPS);
  assert_int_equal(risk_eval_top(sc, y, NULL, 10, 1.0, &p, &r, &v), SIM_OK);
  assert_double_equal(p, 0.4, EPS);
  assert_double_equal(r, 1.0, EPS);
  assert_true(isnan(v));
}

/* k = 2 of 5: the top item, then one third of the three-way tie at 4. */
static void top_tie_at_cut(void **s) {
  (void)s;
  const double sc[] = {4, 1, 4, 5, 4};
  const uint8_t y[] = {1, 1, 0, 1, 0};
  const double rev[] = {30, 60, 0, 10, 0};
  double p, r, v;
  assert_int_equal(risk_eval_top(sc, y, rev, 5, 0.4, &p, &r, &v), SIM_OK);
  assert_double_equal(p, (1.0 + 1.0 / 3.0) / 2.0, EPS);
  assert_double_equal(r, (1.0 + 1.0 / 3.0) / 3.0, EPS);
  assert_double_equal(v, (10.0 + 30.0 / 3.0) / 100.0, EPS);
}

static void compute_all_cuts(void **s) {
  (void)s;
  enum { N = 200 };
  double sc[N], rev[N];
  uint8_t y[N];
  for (int i = 0; i < N; i++) { /* positives are exactly the top 10 */
    sc[i] = N - i;
    y[i] = i < 10;
    rev[i] = y[i] ? 1.0 : 0.0;
  }
  risk_eval e;
  assert_int_equal(risk_eval_compute(sc, y, rev, N, &e, NULL), SIM_OK);
  assert_int_equal(e.n, N);
  assert_int_equal(e.positives, 10);
  assert_double_equal(e.base_rate, 0.05, EPS);
  assert_double_equal(e.auc, 1.0, EPS);
  assert_double_equal(e.precision[0], 1.0, EPS); /* top 2 */
  assert_double_equal(e.recall[0], 0.2, EPS);
  assert_double_equal(e.precision[2], 1.0, EPS); /* top 10 */
  assert_double_equal(e.recall[2], 1.0, EPS);
  assert_double_equal(e.revenue[2], 1.0, EPS);
  assert_double_equal(e.precision[3], 0.5, EPS); /* top 20 */
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(auc_no_ties),    cmocka_unit_test(auc_ties),
      cmocka_unit_test(auc_one_class),  cmocka_unit_test(top_share),
      cmocka_unit_test(top_tie_at_cut), cmocka_unit_test(compute_all_cuts),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
