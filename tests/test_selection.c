/* test_selection: every policy hits its target share within binomial error (4 sd,
 * fixed seeds), AEO declarations are selected only by the random audit, capacity
 * limits selection, bad parameters are refused, and the decisions are those of the
 * sorted window the selection used before. */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
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
  selection_params p;
  selection_params_default(&p);
  p.policy = SELECTION_CAPACITY, p.rate = 0.1, p.audit_share = 0, p.horizon_h = 2;
  selection *s = selection_new(&p, NULL);
  assert_non_null(s);
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

/* ---- the sorted window the selection used before, as a reference ---- */

typedef struct ref_win {
  double ring[500], sorted[500];
  size_t len, head, since, sorted_n;
} ref_win;

static int ref_cmp(const void *a, const void *b) {
  double x = *(const double *)a, y = *(const double *)b;
  return (x > y) - (x < y);
}

static void ref_push(ref_win *w, double v) {
  w->ring[w->head] = v;
  w->head = (w->head + 1) % 500;
  if (w->len < 500) w->len++;
  if (++w->since >= 125 || w->len <= 20) {
    memcpy(w->sorted, w->ring, w->len * sizeof *w->sorted);
    qsort(w->sorted, w->len, sizeof *w->sorted, ref_cmp);
    w->sorted_n = w->len, w->since = 0;
  }
}

static double ref_prob(const ref_win *w, double v, double share) {
  if (share <= 0) return 0.0;
  if (share >= 1) return 1.0;
  if (w->len < 20) return share;
  size_t below = 0, equal = 0;
  for (size_t i = 0; i < w->sorted_n; i++) below += w->sorted[i] < v, equal += w->sorted[i] == v;
  double k = share * (double)w->sorted_n, above = (double)(w->sorted_n - below - equal);
  if (equal == 0) return above < k ? 1.0 : 0.0;
  return fmin(1.0, fmax(0.0, (k - above) / (double)equal));
}

/* Decision for decision, the selection without sorting picks what the sorted window
 * picked: scores on a coarse grid (many ties), a varying downstream load. */
static void same_as_sorted_window(void **st) {
  (void)st;
  selection_params p;
  selection_params_default(&p);
  p.policy = SELECTION_CAPACITY, p.rate = 0.07, p.audit_share = 0.01, p.window = 500;
  p.aeo_exempt = 0;
  selection *s = selection_new(&p, NULL);
  gsl_rng *r = rng(11), *r2 = rng(11), *g = rng(12);
  ref_win w;
  memset(&w, 0, sizeof w);
  item it = goods(0);
  for (int i = 0; i < 50000; i++) {
    double score = floor(gsl_rng_uniform(g) * (i % 3 ? 40 : 4)) / 40;
    double backlog = floor(gsl_rng_uniform(g) * 150), cap = 100;
    int got = selection_decide(s, score, &it, backlog, cap, r, NULL);
    /* the reference, step for step (selection.c's decide with the sorted window) */
    double load = backlog / (cap * p.horizon_h);
    int audit = gsl_rng_uniform(r2) < p.audit_share;
    double pf = ref_prob(&w, score, p.rate);
    double pe = ref_prob(&w, score, p.rate * fmax(0.0, 1.0 - load));
    int frac = (pf > 0 && pf < 1) || (pe > 0 && pe < 1);
    double u = frac ? gsl_rng_uniform(r2) : 0.0;
    ref_push(&w, score);
    int want = u < pe || (audit && load < 1.0);
    assert_int_equal(got, want);
  }
  selection_free(s), gsl_rng_free(r), gsl_rng_free(r2), gsl_rng_free(g);
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
      cmocka_unit_test(bad_params),      cmocka_unit_test(same_as_sorted_window),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
