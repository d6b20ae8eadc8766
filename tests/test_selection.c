/* test_selection: every policy hits its target share within binomial error (4 sd,
 * fixed seeds), AEO declarations are selected only by the random audit, capacity
 * limits selection, and bad parameters are refused. */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "models/selection.h"

#define N 100000

/* Asserts that k successes in n trials fit share p within z binomial sd. */
static void assert_share(size_t k, size_t n, double p, double z) {
  double sd = sqrt(p * (1 - p) / (double)n), got = (double)k / (double)n;
  if (fabs(got - p) > z * sd + 1e-12)
    fail_msg("share %.5f, expected %.5f +- %.5f", got, p, z * sd);
}

static gsl_rng *rng(unsigned long seed) {
  gsl_rng *r = gsl_rng_alloc(gsl_rng_mt19937);
  gsl_rng_set(r, seed);
  return r;
}

static item goods(int aeo) {
  item it;
  memset(&it, 0, sizeof it);
  it.kind = KIND_EXPRESS;
  it.decl.aeo = (uint8_t)aeo;
  return it;
}

/* Runs n items with uniform scores (or a constant one); counts by reason. */
static void run(selection *s, gsl_rng *r, size_t n, double constant, int aeo,
                size_t counts[SELECTION_NREASONS]) {
  item it = goods(aeo);
  memset(counts, 0, SELECTION_NREASONS * sizeof *counts);
  for (size_t i = 0; i < n; i++) {
    double score = isnan(constant) ? gsl_rng_uniform(r) : constant;
    int reason = -1, pick = selection_decide(s, score, &it, 0, 1, r, &reason);
    assert_true(reason >= 0 && reason < SELECTION_NREASONS);
    assert_int_equal(pick, reason == SELECTION_REASON_SCORE || reason == SELECTION_REASON_AUDIT);
    counts[reason]++;
  }
}

static selection *make(int policy, double rate, double audit) {
  selection_params p;
  selection_params_default(&p);
  p.policy = policy, p.rate = rate, p.audit_share = audit;
  selection *s = selection_new(&p, NULL);
  assert_non_null(s);
  return s;
}

static void random_policy(void **st) {
  (void)st;
  gsl_rng *r = rng(1);
  selection *s = make(SELECTION_RANDOM, 0.1, 0);
  size_t c[SELECTION_NREASONS];
  run(s, r, N, NAN, 0, c);
  assert_share(c[SELECTION_REASON_SCORE], N, 0.1, 4);
  selection_free(s), gsl_rng_free(r);
}

static void top_policy(void **st) {
  (void)st;
  gsl_rng *r = rng(2);
  for (int k = 0; k < 3; k++) {
    const double rate[] = {0.01, 0.05, 0.2};
    selection *s = make(SELECTION_TOP, rate[k], 0);
    size_t c[SELECTION_NREASONS];
    run(s, r, N, NAN, 0, c);
    assert_share(c[SELECTION_REASON_SCORE], N, rate[k], 4);
    selection_free(s);
  }
  gsl_rng_free(r);
}

/* All scores equal: the tie is broken at random at the target share. */
static void top_policy_ties(void **st) {
  (void)st;
  gsl_rng *r = rng(3);
  selection *s = make(SELECTION_TOP, 0.05, 0);
  size_t c[SELECTION_NREASONS];
  run(s, r, N, 0.5, 0, c);
  assert_share(c[SELECTION_REASON_SCORE], N, 0.05, 4);
  selection_free(s), gsl_rng_free(r);
}

static void threshold_and_audit(void **st) {
  (void)st;
  gsl_rng *r = rng(4);
  selection *s = make(SELECTION_THRESHOLD, 0, 0.02);
  size_t c[SELECTION_NREASONS];
  run(s, r, N, NAN, 0, c); /* threshold 0.5 of uniform scores */
  assert_share(c[SELECTION_REASON_SCORE], N, 0.5, 4);
  assert_share(c[SELECTION_REASON_AUDIT], N, 0.5 * 0.02, 4); /* audits of the rest */
  selection_free(s), gsl_rng_free(r);
}

/* AEO items: only audits, however high the score. Others: the top share. */
static void aeo_exemption(void **st) {
  (void)st;
  gsl_rng *r = rng(5);
  selection *s = make(SELECTION_TOP, 0.1, 0.01);
  item aeo = goods(1), other = goods(0);
  size_t na = 0, na_sel = 0, no = 0, no_score = 0;
  for (size_t i = 0; i < N; i++) {
    int is_aeo = gsl_rng_uniform(r) < 0.3, reason;
    double score = is_aeo ? 0.99 + 0.01 * gsl_rng_uniform(r) : gsl_rng_uniform(r);
    int pick = selection_decide(s, score, is_aeo ? &aeo : &other, 0, 1, r, &reason);
    if (is_aeo) {
      na++, na_sel += pick;
      assert_true(!pick || reason == SELECTION_REASON_AUDIT);
    } else {
      no++, no_score += reason == SELECTION_REASON_SCORE;
    }
  }
  assert_share(na_sel, na, 0.01, 4);
  assert_share(no_score, no, 0.1, 4);
  /* passengers have no AEO status: the flag field is not read */
  item pax = goods(1);
  pax.kind = KIND_PASSENGERS_IN;
  size_t picks = 0;
  for (size_t i = 0; i < 20000; i++) picks += selection_decide(s, 1.0, &pax, 0, 1, r, NULL);
  assert_true(picks > 1000);
  selection_free(s), gsl_rng_free(r);
}

static size_t capacity_run(selection *s, gsl_rng *r, double backlog, double capacity,
                           size_t *blocked) {
  item it = goods(0);
  size_t sel = 0;
  *blocked = 0;
  for (size_t i = 0; i < N; i++) {
    int reason;
    sel += selection_decide(s, gsl_rng_uniform(r), &it, backlog, capacity, r, &reason);
    *blocked += reason == SELECTION_REASON_CAPACITY;
  }
  return sel;
}

/* Horizon 2 h: 100 items an hour clear a backlog of 200 just in time. */
static void capacity_policy(void **st) {
  (void)st;
  gsl_rng *r = rng(6);
  selection *s = make(SELECTION_CAPACITY, 0.1, 0);
  size_t blocked;
  assert_share(capacity_run(s, r, 0, 100, &blocked), N, 0.1, 4);
  assert_int_equal(blocked, 0);
  assert_share(capacity_run(s, r, 100, 100, &blocked), N, 0.05, 4); /* load 0.5 */
  assert_share(blocked, N, 0.05, 4);
  assert_int_equal(capacity_run(s, r, 200, 100, &blocked), 0);      /* load 1 */
  assert_share(blocked, N, 0.1, 4);
  assert_int_equal(capacity_run(s, r, 0, 0, &blocked), 0);          /* closed */
  selection_free(s), gsl_rng_free(r);
}

static void post_audit(void **st) {
  (void)st;
  gsl_rng *r = rng(7);
  selection *s = make(SELECTION_TOP, 0.05, 0);
  size_t k = 0, listed;
  for (size_t i = 0; i < N; i++) k += selection_post_audit(s, gsl_rng_uniform(r), r);
  assert_share(k, N, 0.02, 4);
  size_t counts[SELECTION_NREASONS];
  selection_counts(s, counts, &listed);
  assert_int_equal(listed, k);
  assert_int_equal(selection_post_audit(s, NAN, r), 0);
  selection_free(s), gsl_rng_free(r);
}

/* A primed window selects by the primed scale from the first item on. */
static void prime_window(void **st) {
  (void)st;
  gsl_rng *r = rng(8);
  selection *s = make(SELECTION_TOP, 0.1, 0);
  double past[1000];
  for (int i = 0; i < 1000; i++) past[i] = i / 1000.0;
  selection_prime(s, past, 1000);
  item it = goods(0);
  assert_int_equal(selection_decide(s, 0.95, &it, 0, 1, r, NULL), 1);
  assert_int_equal(selection_decide(s, 0.85, &it, 0, 1, r, NULL), 0);
  selection_free(s), gsl_rng_free(r);
}

static void bad_params(void **st) {
  (void)st;
  selection_params p;
  sim_error e = {0};
  selection_params_default(&p);
  p.rate = 1.5;
  assert_null(selection_new(&p, &e));
  assert_int_equal(e.code, SIM_EINVAL);
  assert_non_null(strstr(e.msg, "rate"));
  selection_params_default(&p);
  p.window = 5;
  assert_null(selection_new(&p, &e));
  selection_params_default(&p);
  p.policy = selection_policy_from_name("bogus");
  assert_int_equal(p.policy, -1);
  assert_null(selection_new(&p, &e));
  for (int i = 0; i < SELECTION_NPOLICIES; i++)
    assert_int_equal(selection_policy_from_name(selection_policy_name(i)), i);
  selection_free(NULL);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(random_policy),   cmocka_unit_test(top_policy),
      cmocka_unit_test(top_policy_ties), cmocka_unit_test(threshold_and_audit),
      cmocka_unit_test(aeo_exemption),   cmocka_unit_test(capacity_policy),
      cmocka_unit_test(post_audit),      cmocka_unit_test(prime_window),
      cmocka_unit_test(bad_params),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
