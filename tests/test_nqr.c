/* test_nqr: Marcum Q1 against reference values, the matched filter's Pfa and Pd against
 * theory, the kernel on degenerate items, and surrogate against full verdicts. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_rng.h>

#include "models/kernels/nqr.h"

#define assert_close(a, b, tol) close_or_fail((a), (b), (tol), #a, __LINE__)
static void close_or_fail(double a, double b, double tol, const char *expr, int line) {
  if (fabs(a - b) <= tol) return;
  print_error("line %d: %s = %.17g, want %.17g +- %g\n", line, expr, a, b, tol);
  fail();
}

/* p_hat from n trials within the 99% normal interval of the binomial around p. */
static void binomial_ok(double p_hat, double p, int n, const char *what) {
  double half = 2.576 * sqrt(p * (1 - p) / n);
  print_message("%s: %.5f (theory %.5f, 99%% half-width %.5f)\n", what, p_hat, p, half);
  assert_true(fabs(p_hat - p) <= half);
}

/* Reference values: mpmath quadrature of x exp(-(x^2+a^2)/2) I0(a x) over [b, inf) at 30
 * digits (they agree with scipy.stats.ncx2.sf(b^2, 2, a^2)). */
static void test_marcum_known_values(void **state) {
  (void)state;
  static const double v[][3] = {
      {1, 1, 0.73287980379682022},     {0.5, 2, 0.16914063850946718},
      {2, 1, 0.918107696369406},       {2, 3, 0.21436208816264946},
      {3, 2, 0.88672075440239226},     {5, 5, 0.54009838677371835},
      {1, 4, 0.0028895327706476009},   {4, 1, 0.99941005085563917},
      {10, 12, 0.025329474297941418},  {10, 8, 0.98010420964205033},
      {0.1, 0.1, 0.99503729257485375}, {20, 25, 3.217572740438955e-7},
      {6, 9, 0.0016827218679072956},
  };
  for (size_t i = 0; i < sizeof v / sizeof v[0]; i++)
    assert_close(nqr_marcum_q1(v[i][0], v[i][1]), v[i][2], 1e-12 * v[i][2]);
  /* closed forms and limits */
  for (double b = 0.5; b < 10; b += 1.5) assert_close(nqr_marcum_q1(0, b), exp(-b * b / 2), 1e-15);
  assert_close(nqr_marcum_q1(3, 0), 1.0, 0);
  assert_close(nqr_marcum_q1(3, INFINITY), 0.0, 0);
  assert_true(isnan(nqr_marcum_q1(-1, 1)) && isnan(nqr_marcum_q1(1, NAN)));
  /* large arguments: Q1(a, b) -> Phi(a - b) as both grow */
  assert_close(nqr_marcum_q1(200, 200), 0.5, 0.002);
  /* monotone: decreasing in b, increasing in a */
  for (double b = 0.1; b < 8; b += 0.5) {
    assert_true(nqr_marcum_q1(2, b + 0.5) < nqr_marcum_q1(2, b));
    assert_true(nqr_marcum_q1(2.5, b) > nqr_marcum_q1(2, b));
  }
  assert_close(nqr_pd_theory(0, 3.0), exp(-3.0), 1e-15); /* Pd at SNR 0 is Pfa */
}

static nqr *small_train(int bank) {
  nqr_train t;
  nqr_train_default(&t);
  t.echoes = 32, t.samples_per_echo = 8, t.bank = bank; /* theory holds for any train */
  nqr *q = NULL;
  assert_int_equal(nqr_new(&q, &t, NULL), 0);
  assert_int_equal(nqr_samples(q), 256);
  return q;
}

/* Noise alone: T ~ Exp(1), so P(T > thr) = exp(-thr), at several thresholds. */
static void test_pfa_matches_theory(void **state) {
  (void)state;
  enum { N = 20000 };
  nqr *q = small_train(1);
  gsl_rng *r = gsl_rng_alloc(gsl_rng_mt19937);
  gsl_rng_set(r, 101);
  static const double thr[] = {0.5, 1.0, 2.0, 3.0, 4.6};
  int over[5] = {0};
  double sum = 0;
  for (int i = 0; i < N; i++) {
    double T = nqr_scan(q, 0, 0, 0, r);
    sum += T;
    for (int k = 0; k < 5; k++) over[k] += T > thr[k];
  }
  for (int k = 0; k < 5; k++) binomial_ok((double)over[k] / N, exp(-thr[k]), N, "pfa");
  assert_close(sum / N, 1.0, 2.576 / sqrt(N)); /* E T = 1, sd 1 */
  gsl_rng_free(r);
  nqr_free(q);
}

/* Signal of known integrated SNR, unknown phase: Pd = Q1(sqrt(2 SNR), sqrt(2 thr)). */
static void test_pd_matches_marcum(void **state) {
  (void)state;
  enum { N = 20000 };
  nqr *q = small_train(1);
  gsl_rng *r = gsl_rng_alloc(gsl_rng_mt19937);
  gsl_rng_set(r, 202);
  static const double snr[] = {1, 3, 6, 10};
  const double thr = 4.6; /* Pfa 0.01 */
  for (int k = 0; k < 4; k++) {
    int hit = 0;
    for (int i = 0; i < N; i++) hit += nqr_scan(q, snr[k], 0, 0, r) > thr;
    binomial_ok((double)hit / N, nqr_pd_theory(snr[k], thr), N, "pd");
  }
  gsl_rng_free(r);
  nqr_free(q);
}

/* An off-resonance line loses SNR in the single matched filter; a bank centred on the
 * nominal line recovers part of it. Interference raises the statistic's mean. */
static void test_offset_bank_and_rfi(void **state) {
  (void)state;
  enum { N = 4000 };
  nqr *one = small_train(1), *bank = small_train(9);
  gsl_rng *r = gsl_rng_alloc(gsl_rng_mt19937);
  double m0 = 0, m1 = 0, mb = 0, mr = 0;
  for (int i = 0; i < N; i++) {
    m0 += nqr_scan(one, 20, 0, 0, r) / N;
    m1 += nqr_scan(one, 20, 1.5, 0, r) / N;
    mb += nqr_scan(bank, 20, 1.5, 0, r) / N;
    mr += nqr_scan(one, 0, 0, 0.5, r) / N;
  }
  assert_close(m0, 21.0, 0.5); /* E T = 1 + SNR */
  assert_true(m1 < 0.9 * m0 && mb > m1);
  assert_true(mr > 1.05);
  gsl_rng_free(r);
  nqr_free(one), nqr_free(bank);
}

static void test_bad_train(void **state) {
  (void)state;
  nqr_train t;
  nqr_train_default(&t);
  t.echoes = 0;
  nqr *q = (nqr *)1;
  sim_error e = {0};
  assert_int_equal(nqr_new(&q, &t, &e), SIM_EINVAL);
  assert_null(q);
  nqr_free(NULL);
}

static void *make_kernel(int surrogate, const char *name, double value) {
  const kernel_type *t = &kernel_nqr_type;
  double p[32];
  assert_true(t->nparams <= 32);
  for (size_t i = 0; i < t->nparams; i++) {
    p[i] = t->params[i].def;
    if (name && !strcmp(t->params[i].name, name)) p[i] = value;
  }
  kernel_opts o = {surrogate, 99, NULL};
  sim_error err = {0};
  void *st = NULL;
  int rc = t->new(&st, p, &o, &err);
  if (rc) print_error("%s\n", err.msg);
  assert_int_equal(rc, 0);
  return st;
}

static item passenger(int contra, double kg, int conceal) {
  item it;
  memset(&it, 0, sizeof it);
  it.kind = KIND_PASSENGERS_IN;
  it.mass_kg = 70;
  it.truth.contraband = (uint8_t)contra;
  it.truth.contraband_kg = kg;
  it.truth.concealment = (uint8_t)conceal;
  return it;
}

static double alarm_rate(void *st, item it, int n, gsl_rng *r) {
  int a = 0;
  for (int i = 0; i < n; i++) {
    kernel_verdict v = {NAN, -1, NAN};
    assert_int_equal(kernel_nqr_type.decide(st, &it, r, &v), 0);
    assert_true(isfinite(v.score) && v.score >= 0 && isfinite(v.time_s));
    a += v.alarm;
  }
  return (double)a / n;
}

/* Clean passengers, substances without a line in band: the alarm rate is the Pfa
 * exp(-threshold); a threshold of 3 is used so that 20000 scans resolve it. */
static void test_kernel_pfa_and_substances(void **state) {
  (void)state;
  enum { N = 20000 };
  void *st = make_kernel(0, "threshold", 3.0);
  gsl_rng *r = gsl_rng_alloc(gsl_rng_mt19937);
  gsl_rng_set(r, 303);
  binomial_ok(alarm_rate(st, passenger(CONTRA_NONE, 0, 0), N, r), exp(-3.0), N, "kernel pfa");
  /* THC has no nitrogen; the cocaine line lies outside the band tuned to meth */
  binomial_ok(alarm_rate(st, passenger(CONTRA_CANNABIS, 5, CONCEAL_BODY), 5000, r), exp(-3.0), 5000,
              "cannabis");
  binomial_ok(alarm_rate(st, passenger(CONTRA_COCAINE, 5, CONCEAL_BODY), 5000, r), exp(-3.0), 5000,
              "cocaine");
  /* 1 kg of meth on the body: SNR 400 x 0.7^2 = 196 (minus the temperature loss) */
  assert_true(alarm_rate(st, passenger(CONTRA_METH, 1, CONCEAL_BODY), 500, r) > 0.99);
  /* metal foil screens the RF: 1 kg shielded gives SNR about 1 */
  assert_true(alarm_rate(st, passenger(CONTRA_METH, 1, CONCEAL_SHIELDED), 2000, r) < 0.3);
  gsl_rng_free(r);
  kernel_nqr_type.free(st);
}

/* Detection rises with the amount (SNR grows with its square). */
static void test_kernel_rises_with_mass(void **state) {
  (void)state;
  void *st = make_kernel(0, NULL, 0);
  gsl_rng *r = gsl_rng_alloc(gsl_rng_mt19937);
  double prev = -1;
  for (double kg = 0.05; kg < 1.7; kg *= 2) {
    double a = alarm_rate(st, passenger(CONTRA_METH, kg, CONCEAL_BODY), 2000, r);
    assert_true(a >= prev - 0.02);
    prev = a;
  }
  assert_true(prev > 0.99);
  gsl_rng_free(r);
  kernel_nqr_type.free(st);
}

/* Empty and absurd items; a saturating amount clips the ADC but T stays finite. */
static void test_kernel_degenerate(void **state) {
  (void)state;
  void *st = make_kernel(0, NULL, 0);
  gsl_rng *r = gsl_rng_alloc(gsl_rng_mt19937);
  item empty;
  memset(&empty, 0, sizeof empty);
  item cases[] = {empty,
                  passenger(CONTRA_METH, 0, CONCEAL_NONE),
                  passenger(CONTRA_METH, 1e9, CONCEAL_NONE),
                  passenger(CONTRA_METH, NAN, 0),
                  passenger(CONTRA_METH, -5, 77),
                  passenger(200, 1, 0),
                  passenger(CONTRA_METH, INFINITY, CONCEAL_NONE)};
  for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) (void)alarm_rate(st, cases[i], 20, r);
  assert_true(alarm_rate(st, cases[2], 20, r) == 1.0); /* saturated yet detected */
  gsl_rng_free(r);
  kernel_nqr_type.free(st);
}

/* Surrogate against full on the same population: amounts log-uniform within the
 * surrogate's bins [0.2, 0.5) and [0.5, 1) kg, on the body. The surrogate's rate rests
 * on its 400 calibration items per cell, so the 99% bound on the difference counts
 * both samples: 2.576 sqrt(p (1 - p) (1/400 + 1/n)). */
static void test_surrogate_agrees_with_full(void **state) {
  (void)state;
  enum { N = 4000 };
  void *full = make_kernel(0, NULL, 0), *sur = make_kernel(1, NULL, 0);
  gsl_rng *r = gsl_rng_alloc(gsl_rng_mt19937);
  gsl_rng_set(r, 404);
  static const double bins[][2] = {{0.2, 0.5}, {0.5, 1.0}, {0.05, 0.1}};
  for (int b = 0; b < 3; b++) {
    int af = 0, as = 0;
    for (int i = 0; i < N; i++) {
      double kg = bins[b][0] * pow(bins[b][1] / bins[b][0], gsl_rng_uniform(r));
      item it = passenger(CONTRA_METH, kg, CONCEAL_BODY);
      kernel_verdict v;
      assert_int_equal(kernel_nqr_type.decide(full, &it, r, &v), 0);
      af += v.alarm;
      assert_int_equal(kernel_nqr_type.decide(sur, &it, r, &v), 0);
      as += v.alarm;
    }
    double pf = (double)af / N, ps = (double)as / N, p = 0.5 * (pf + ps);
    double half = 2.576 * sqrt(fmax(p * (1 - p), 1e-4) * (1.0 / 400 + 1.0 / N));
    print_message("bin %g-%g kg: full %.4f surrogate %.4f (bound %.4f)\n", bins[b][0], bins[b][1],
                  pf, ps, half);
    assert_true(fabs(pf - ps) <= half);
  }
  /* clean items: 4000 calibration items behind the clean cell */
  int af = 0, as = 0;
  for (int i = 0; i < N; i++) {
    item it = passenger(CONTRA_NONE, 0, 0);
    kernel_verdict v;
    kernel_nqr_type.decide(full, &it, r, &v), af += v.alarm;
    kernel_nqr_type.decide(sur, &it, r, &v), as += v.alarm;
  }
  double p = exp(-6.9);
  assert_true(fabs((double)(af - as) / N) <=
              2.576 * sqrt(p * (1 - p) * (1.0 / 4000 + 1.0 / N)) + 1.0 / N);
  gsl_rng_free(r);
  kernel_nqr_type.free(full);
  kernel_nqr_type.free(sur);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_marcum_known_values),
      cmocka_unit_test(test_pfa_matches_theory),
      cmocka_unit_test(test_pd_matches_marcum),
      cmocka_unit_test(test_offset_bank_and_rfi),
      cmocka_unit_test(test_bad_train),
      cmocka_unit_test(test_kernel_pfa_and_substances),
      cmocka_unit_test(test_kernel_rises_with_mass),
      cmocka_unit_test(test_kernel_degenerate),
      cmocka_unit_test(test_surrogate_agrees_with_full),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
