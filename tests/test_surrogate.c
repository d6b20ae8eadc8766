/* test_surrogate: the generic operating-characteristic table, on a toy kernel whose
 * alarm probabilities are known exactly: cell rates, sampling, the cell lookup
 * (kind rows, untabulated contraband, unseen concealment, amount bins), determinism,
 * ROC and AUC against their closed forms, bad specs and failing kernels. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_rng.h>

#include "models/kernels/surrogate.h"
#include "sim/error.h"

/* Toy kernel: alarm with probability 0.1 (clean), 0.3 (contraband under 1 kg) or 0.9
 * (1 kg and over), halved when shielded. Score: U(0.5, 1) on an alarm, U(0, 0.5)
 * otherwise. Time: 5 s, plus 10 s on an alarm. Kind 7 (exports) fails. */
static double toy_p(const item *it) {
  if (it->truth.contraband == CONTRA_NONE) return 0.1;
  double p = it->truth.contraband_kg >= 1 ? 0.9 : 0.3;
  return it->truth.concealment == CONCEAL_SHIELDED ? p / 2 : p;
}

static int toy_decide(void *state, const item *it, gsl_rng *r, kernel_verdict *v) {
  (*(long *)state)++;
  if (it->kind == KIND_EXPORTS) return SIM_ERUN;
  v->alarm = gsl_rng_uniform(r) < toy_p(it);
  v->score = 0.5 * gsl_rng_uniform(r) + (v->alarm ? 0.5 : 0);
  v->time_s = 5 + 10 * v->alarm;
  return 0;
}

static const kernel_type toy = {.name = "toy", .help = "test kernel", .decide = toy_decide};

static const uint8_t kinds[] = {KIND_EXPRESS, KIND_MAIL};
static const uint8_t contra[] = {CONTRA_METH, CONTRA_COCAINE};
static const double edges[] = {0.1, 1, 10};
static const uint8_t conceal[] = {CONCEAL_NONE, CONCEAL_SHIELDED};

static surrogate_spec spec(size_t n) {
  surrogate_spec s = {kinds, 2, {0, 0, 0, 0, 1, 0, 0, 0}, contra, 2, edges, 3, conceal, 2,
                      {0, 0, 1, -1}, n, n, NULL};
  return s;
}

static surrogate *build(size_t n, uint64_t seed, long *calls) {
  surrogate_spec s = spec(n);
  kernel_opts o = {1, seed, NULL};
  surrogate *sur = NULL;
  sim_error err = {0};
  assert_int_equal(surrogate_build(&sur, &toy, calls, &o, &s, &err), 0);
  assert_non_null(sur);
  return sur;
}

/* |p - q| within z binomial standard errors of n draws at q (plus a half count). */
static void assert_rate(double p, double q, size_t n, double z) {
  double tol = z * sqrt(q * (1 - q) / (double)n) + 0.5 / (double)n;
  if (fabs(p - q) <= tol) return;
  print_error("rate %.4f, want %.4f +- %.4f (n %zu)\n", p, q, tol, n);
  fail();
}

static void test_cells_follow_kernel(void **state) {
  (void)state;
  long calls = 0;
  surrogate *s = build(800, 7, &calls);
  /* per row: 800 clean + 2 contra x 2 bins x 2 concealments x 800 */
  assert_int_equal(calls, 2 * 800 * 9);
  assert_int_equal(surrogate_items(s), 2 * 800 * 9);
  size_t n;
  /* 3.29 sd: two-sided 99.9% per check, 14 checks */
  assert_rate(surrogate_alarm_rate(s, KIND_EXPRESS, CONTRA_NONE, 0, 0, &n), 0.1, 800, 3.29);
  assert_int_equal(n, 800);
  assert_rate(surrogate_alarm_rate(s, KIND_MAIL, CONTRA_NONE, 0, 0, NULL), 0.1, 800, 3.29);
  for (int k = 0; k < 2; k++)
    for (int c = 0; c < 2; c++) {
      int kind = kinds[k], cc = contra[c];
      assert_rate(surrogate_alarm_rate(s, kind, cc, 0.5, CONCEAL_NONE, NULL), 0.3, 800, 3.29);
      assert_rate(surrogate_alarm_rate(s, kind, cc, 5, CONCEAL_NONE, NULL), 0.9, 800, 3.29);
      assert_rate(surrogate_alarm_rate(s, kind, cc, 5, CONCEAL_SHIELDED, NULL), 0.45, 800, 3.29);
    }
  double rate = (0.1 + 2 * (0.3 + 0.9 + 0.15 + 0.45)) / 9; /* time = 5 + 10 alarm */
  assert_rate((surrogate_mean_time(s, KIND_EXPRESS) - 5) / 10, rate, 800 * 9, 3.29);
  surrogate_free(s);
}

/* Untabulated kinds use their row; untabulated contraband and unseen concealment read
 * as clean; amounts past the edges use the end bins; mixed maps to none (col 0). */
static void test_lookup(void **state) {
  (void)state;
  long calls = 0;
  surrogate *s = build(200, 3, &calls);
  double clean = surrogate_alarm_rate(s, KIND_EXPRESS, CONTRA_NONE, 0, 0, NULL);
  assert_true(surrogate_alarm_rate(s, KIND_GENERIC, CONTRA_NONE, 0, 0, NULL) == clean);
  assert_true(surrogate_alarm_rate(s, KIND_EXPRESS, CONTRA_GOLD, 5, 0, NULL) == clean);
  assert_true(surrogate_alarm_rate(s, KIND_EXPRESS, CONTRA_METH, 5, CONCEAL_BODY, NULL) == clean);
  double lo = surrogate_alarm_rate(s, KIND_EXPRESS, CONTRA_METH, 0.5, 0, NULL);
  double hi = surrogate_alarm_rate(s, KIND_EXPRESS, CONTRA_METH, 5, 0, NULL);
  assert_true(surrogate_alarm_rate(s, KIND_EXPRESS, CONTRA_METH, 0.001, 0, NULL) == lo);
  assert_true(surrogate_alarm_rate(s, KIND_EXPRESS, CONTRA_METH, 1e6, 0, NULL) == hi);
  assert_true(surrogate_alarm_rate(s, KIND_EXPRESS, CONTRA_METH, NAN, 0, NULL) == lo);
  assert_true(surrogate_alarm_rate(s, KIND_EXPRESS, CONTRA_METH, 5, CONCEAL_MIXED, NULL) == hi);
  assert_true(isnan(surrogate_alarm_rate(s, KIND_N, CONTRA_NONE, 0, 0, NULL)));
  surrogate_free(s);
}

/* Decisions are the cell's outcomes: their alarm rate is the cell's, within sampling. */
static void test_decide_samples_cell(void **state) {
  (void)state;
  long calls = 0;
  surrogate *s = build(300, 11, &calls);
  gsl_rng *r = gsl_rng_alloc(gsl_rng_mt19937);
  item it = {0};
  it.kind = KIND_MAIL;
  it.truth.contraband = CONTRA_COCAINE;
  it.truth.contraband_kg = 3;
  it.truth.concealment = CONCEAL_SHIELDED;
  double want = surrogate_alarm_rate(s, it.kind, CONTRA_COCAINE, 3, CONCEAL_SHIELDED, NULL);
  size_t n = 20000, a = 0;
  for (size_t i = 0; i < n; i++) {
    kernel_verdict v;
    assert_int_equal(surrogate_decide(s, &it, r, &v), 0);
    assert_true(v.alarm == (v.score >= 0.5));
    assert_true(v.time_s == (v.alarm ? 15 : 5));
    a += (size_t)v.alarm;
  }
  assert_rate((double)a / (double)n, want, n, 3.29);
  assert_int_equal(calls, 2 * 300 * 9); /* decide never runs the kernel */
  gsl_rng_free(r);
  surrogate_free(s);
}

static void test_same_seed_same_table(void **state) {
  (void)state;
  long c1 = 0, c2 = 0;
  surrogate *a = build(100, 5, &c1), *b = build(100, 5, &c2), *c = build(100, 6, &c2);
  int differ = 0;
  for (int k = 0; k < 2; k++)
    for (double kg = 0.5; kg < 10; kg *= 10) {
      double ra = surrogate_alarm_rate(a, kinds[k], CONTRA_METH, kg, 0, NULL);
      assert_true(ra == surrogate_alarm_rate(b, kinds[k], CONTRA_METH, kg, 0, NULL));
      differ |= ra != surrogate_alarm_rate(c, kinds[k], CONTRA_METH, kg, 0, NULL);
    }
  assert_true(differ);
  surrogate_free(a), surrogate_free(b), surrogate_free(c);
}

/* Closed forms for the toy: negatives alarm with 0.1, positives with pbar; scores are
 * U(0, 0.5) without and U(0.5, 1) with an alarm, so for a threshold t in (0.5, 1):
 * pfa = 0.1 (1 - t) / 0.5, and AUC = 1 - [P(pos quiet) P(neg alarm)
 * + (P(pos quiet) P(neg quiet) + P(pos alarm) P(neg alarm)) / 2]. */
static void test_roc_and_auc(void **state) {
  (void)state;
  long calls = 0;
  surrogate *s = build(1000, 9, &calls);
  enum { NP = 50 };
  double thr[NP], pfa[NP], pd[NP];
  size_t n = surrogate_roc(s, -1, -1, NP, thr, pfa, pd);
  assert_int_equal(n, NP);
  assert_true(isinf(thr[0]) && pfa[0] == 0 && pd[0] == 0);
  assert_true(pfa[n - 1] == 1 && pd[n - 1] == 1);
  for (size_t i = 1; i < n; i++) {
    assert_true(thr[i] < thr[i - 1]);
    assert_true(pfa[i] >= pfa[i - 1] && pd[i] >= pd[i - 1]);
    if (thr[i] > 0.5) assert_rate(pfa[i], 0.1 * (1 - thr[i]) / 0.5, 2000, 3.29);
  }
  double pbar = (0.3 + 0.9 + 0.15 + 0.45) / 4;
  double want = 1 - ((1 - pbar) * 0.1 + ((1 - pbar) * 0.9 + pbar * 0.1) / 2);
  double auc = surrogate_auc(s, -1, -1);
  assert_true(fabs(auc - want) < 0.02); /* sd of a Mann-Whitney AUC here is about 0.004 */
  assert_true(fabs(surrogate_auc(s, KIND_MAIL, CONTRA_METH) - want) < 0.03);
  /* few points, and an untabulated class gives none */
  assert_int_equal(surrogate_roc(s, KIND_EXPRESS, CONTRA_COCAINE, 2, thr, pfa, pd), 2);
  assert_true(pfa[1] == 1 && pd[1] == 1);
  assert_int_equal(surrogate_roc(s, -1, CONTRA_GOLD, NP, thr, pfa, pd), 0);
  assert_true(isnan(surrogate_auc(s, -1, CONTRA_GOLD)));
  surrogate_free(s);
}

static void test_bad_input(void **state) {
  (void)state;
  long calls = 0;
  kernel_opts o = {1, 1, NULL};
  sim_error err = {0};
  surrogate *s = (surrogate *)&calls;
  surrogate_spec sp = spec(10);
  double bad_edges[] = {1, 1};
  sp.kg_edges = bad_edges, sp.nedges = 2;
  assert_int_equal(surrogate_build(&s, &toy, &calls, &o, &sp, &err), SIM_EINVAL);
  assert_null(s);
  assert_non_null(strstr(err.msg, "kg edges"));
  sp = spec(10);
  sp.kind_row[3] = 2;
  assert_int_equal(surrogate_build(&s, &toy, &calls, &o, &sp, &err), SIM_EINVAL);
  sp = spec(0);
  assert_int_equal(surrogate_build(&s, &toy, &calls, &o, &sp, &err), SIM_EINVAL);
  sp = spec(10);
  uint8_t bad_contra[] = {CONTRA_NONE};
  sp.contra = bad_contra, sp.ncontra = 1;
  assert_int_equal(surrogate_build(&s, &toy, &calls, &o, &sp, &err), SIM_EINVAL);
  assert_int_equal(calls, 0);
  /* a kernel failure is passed on, with nothing left allocated */
  static const uint8_t exports[] = {KIND_EXPORTS};
  sp = spec(10);
  sp.kinds = exports, sp.nkinds = 1, memset(sp.kind_row, 0, sizeof sp.kind_row);
  assert_int_equal(surrogate_build(&s, &toy, &calls, &o, &sp, &err), SIM_ERUN);
  assert_null(s);
  surrogate_free(NULL);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_cells_follow_kernel), cmocka_unit_test(test_lookup),
      cmocka_unit_test(test_decide_samples_cell), cmocka_unit_test(test_same_seed_same_table),
      cmocka_unit_test(test_roc_and_auc),         cmocka_unit_test(test_bad_input),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
