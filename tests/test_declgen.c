/* test_declgen: the synthetic declaration generator. Fraud base rates match their
 * parameters within sampling error, fields are well formed per channel, the same seed
 * gives the same items bit for bit, drift turns importer riskiness over, bad
 * parameters are refused, the alias tables draw as GSL's, and a cached population
 * draws as a fresh one. */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include <gsl/gsl_randist.h>

#include "models/declgen.h"

static gsl_rng *rng(unsigned long seed) {
  gsl_rng *r = gsl_rng_alloc(gsl_rng_mt19937);
  gsl_rng_set(r, seed);
  return r;
}

static item *history(int kind, int bench, uint64_t seed, size_t n, double drift) {
  declgen_params p;
  int rc = bench ? declgen_params_benchmark(kind, &p) : declgen_params_default(kind, &p);
  assert_int_equal(rc, SIM_OK);
  p.drift_days = drift;
  sim_error e = {0};
  declgen *g = declgen_new(&p, seed, &e);
  if (!g) fail_msg("%s", e.msg);
  gsl_rng *r = rng(seed + 1);
  item *it = malloc(n * sizeof *it);
  assert_non_null(it);
  declgen_history(g, n, -100, 0, r, it);
  gsl_rng_free(r);
  declgen_free(g);
  return it;
}

static void defaults(void **s) {
  (void)s;
  declgen_params p;
  assert_int_equal(declgen_params_default(KIND_GENERIC, &p), SIM_EINVAL);
  assert_int_equal(declgen_params_default(KIND_N, &p), SIM_EINVAL);
  for (int k = KIND_PASSENGERS_IN; k < KIND_N; k++) {
    assert_int_equal(declgen_params_default(k, &p), SIM_OK);
    assert_int_equal(p.kind, k);
    for (int m = 0; m < DECLGEN_FRAUD_N; m++) assert_true(p.rate[m] >= 0 && p.rate[m] < 0.1);
  }
  declgen_free(NULL);
}

/* The intercepts are solved on 20,000 draws, so the tolerance adds that sampling
 * error to the binomial one (4 sd each). */
static void base_rates(void **s) {
  (void)s;
  enum { N = 100000 };
  const int kinds[] = {KIND_EXPRESS, KIND_SEA_CONTAINERS, KIND_EXPORTS, KIND_PASSENGERS_IN};
  for (size_t k = 0; k < sizeof kinds / sizeof *kinds; k++) {
    declgen_params p;
    declgen_params_benchmark(kinds[k], &p);
    item *it = history(kinds[k], 1, 11, N, 0);
    size_t c[DECLGEN_FRAUD_N] = {0};
    for (size_t i = 0; i < N; i++) {
      const item_truth *t = &it[i].truth;
      c[DECLGEN_UNDERVALUED] += t->undervalued;
      c[DECLGEN_MISCLASSIFIED] += t->misclassified;
      c[DECLGEN_IPR] += t->ipr;
      c[DECLGEN_DRUGS] += t->contraband >= CONTRA_METH && t->contraband <= CONTRA_CANNABIS;
      c[DECLGEN_SMUGGLED] += t->prohibited_export || t->contraband == CONTRA_GOLD ||
                             t->contraband == CONTRA_CURRENCY;
    }
    for (int m = 0; m < DECLGEN_FRAUD_N; m++) {
      double q = p.rate[m], tol = 4 * sqrt(q * (1 - q) / N) + 4 * sqrt(q * (1 - q) / 20000);
      if (fabs((double)c[m] / N - q) > tol)
        fail_msg("%s fraud %d: rate %.5f, expected %.5f", item_kind_name(kinds[k]), m,
                 (double)c[m] / N, q);
    }
    free(it);
  }
}

static void goods_fields(void **s) {
  (void)s;
  enum { N = 20000 };
  for (int kind = KIND_EXPRESS; kind < KIND_N; kind++) {
    item *it = history(kind, 1, 3, N, 0);
    size_t aeo = 0;
    for (size_t i = 0; i < N; i++) {
      const item_declaration *d = &it[i].decl;
      assert_int_equal(it[i].kind, kind);
      assert_true(d->hs6 >= 10000 && d->hs6 < 1000000);
      assert_true(d->quantity >= 1 && d->gross_kg > 0 && it[i].mass_kg > 0);
      assert_true(d->fob_jpy > 0 && d->cif_jpy >= d->fob_jpy && d->taxes_jpy >= 0);
      assert_true(d->taxes_jpy < d->cif_jpy);
      assert_true(it[i].truth.evaded_jpy >= 0);
      if (it[i].truth.contraband) assert_true(it[i].truth.contraband_kg > 0);
      if (kind == KIND_EXPORTS) assert_true(d->taxes_jpy == 0 && it[i].truth.evaded_jpy == 0);
      if (d->aeo) assert_true(d->advance_data);
      assert_true(it[i].pax.bags == 0);
      if (i) assert_true(it[i].arrival_min >= it[i - 1].arrival_min);
      aeo += d->aeo;
    }
    declgen_params p;
    declgen_params_default(kind, &p);
    if (p.aeo_share > 0) assert_true(aeo > 0 && (double)aeo / N < 2 * p.aeo_share);
    else assert_int_equal(aeo, 0);
    free(it);
  }
}

static void passenger_fields(void **s) {
  (void)s;
  enum { N = 20000 };
  for (int kind = KIND_PASSENGERS_IN; kind <= KIND_PASSENGERS_OUT; kind++) {
    item *it = history(kind, 1, 4, N, 0);
    for (size_t i = 0; i < N; i++) {
      const item_passenger *p = &it[i].pax;
      assert_true(p->trips_12m >= 1 && p->bags >= 1 && p->baggage_kg > 0);
      assert_true(it[i].decl.hs6 == 0 && it[i].decl.importer == 0);
      if (kind == KIND_PASSENGERS_IN) assert_true(p->taxfree_jpy == 0);
      else assert_true(!p->egate_eligible && !p->has_dutiable);
    }
    free(it);
  }
}

static void reproducible(void **s) {
  (void)s;
  enum { N = 5000 };
  item *a = history(KIND_MAIL, 0, 7, N, 0), *b = history(KIND_MAIL, 0, 7, N, 0);
  item *c = history(KIND_MAIL, 0, 8, N, 0);
  assert_memory_equal(a, b, N * sizeof *a);
  assert_memory_not_equal(a, c, N * sizeof *a);
  free(a), free(b), free(c);
}

/* The generator's alias tables draw exactly what gsl_ran_discrete draws. */
static void pick_as_gsl(void **s) {
  (void)s;
  gsl_rng *a = rng(3), *b = rng(3);
  for (size_t n = 1; n <= 5000; n = n * 3 + 1) {
    double *w = malloc(n * sizeof *w);
    for (size_t i = 0; i < n; i++) w[i] = i % 7 ? pow(i + 1.0, -1.1) : 0.0;
    if (n == 1) w[0] = 1;
    enum { K = 100000 };
    size_t *got = malloc(K * sizeof *got);
    gsl_ran_discrete_t *g = gsl_ran_discrete_preproc(n, w);
    assert_int_equal(declgen_pick_sample(n, w, b, K, got), SIM_OK);
    for (int i = 0; i < K; i++) assert_int_equal(gsl_ran_discrete(a, g), got[i]);
    gsl_ran_discrete_free(g), free(got), free(w);
  }
  gsl_rng_free(a), gsl_rng_free(b);
}

/* A population loaded from the cache draws the same items as a fresh one; a damaged
 * entry is rebuilt. */
static void cached_population(void **s) {
  (void)s;
  char dir[] = "/tmp/customs-declgen-test.XXXXXX";
  assert_non_null(mkdtemp(dir));
  declgen_params p;
  declgen_params_default(KIND_AIR_CARGO, &p);
  declgen *fresh = declgen_new(&p, 4, NULL);
  for (int round = 0; round < 3; round++) {
    declgen *g = declgen_new_cached(&p, 4, dir, NULL); /* built, loaded, rebuilt */
    assert_non_null(g);
    gsl_rng *r1 = rng(5), *r2 = rng(5);
    for (int i = 0; i < 2000; i++) {
      item x, y;
      declgen_fill(fresh, i / 500.0, r1, &x), declgen_fill(g, i / 500.0, r2, &y);
      x.id = y.id = 0;
      assert_memory_equal(&x, &y, sizeof x);
    }
    gsl_rng_free(r1), gsl_rng_free(r2), declgen_free(g);
    if (round == 1) { /* damage the entry: it must be rebuilt, not trusted */
      char cmd[200];
      snprintf(cmd, sizeof cmd, "for f in %s/*.kc; do printf 'xx' | dd of=$f bs=1 seek=100 "
                                "conv=notrunc status=none; done", dir);
      assert_int_equal(system(cmd), 0);
    }
  }
  char cmd[100];
  snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
  assert_int_equal(system(cmd), 0);
  declgen_free(fresh);
}

/* Illicit share per busy importer at two times; returns their correlation. */
static double importer_corr(double drift) {
  enum { N = 60000, IMP = 100000 };
  declgen_params p;
  declgen_params_benchmark(KIND_EXPRESS, &p);
  p.drift_days = drift;
  declgen *g = declgen_new(&p, 5, NULL);
  assert_non_null(g);
  gsl_rng *r = rng(9);
  int *n = calloc(2 * IMP, sizeof *n), *k = calloc(2 * IMP, sizeof *k);
  for (int t = 0; t < 2; t++)
    for (size_t i = 0; i < N; i++) {
      item it;
      declgen_fill(g, t ? 2 * drift + 1 : 0, r, &it); /* a half turn apart */
      n[2 * it.decl.importer + t]++;
      k[2 * it.decl.importer + t] += item_is_illicit(&it) != 0;
    }
  double sx = 0, sy = 0, sxx = 0, syy = 0, sxy = 0, m = 0;
  for (int i = 0; i < IMP; i++) {
    if (n[2 * i] < 30 || n[2 * i + 1] < 30) continue;
    double x = (double)k[2 * i] / n[2 * i], y = (double)k[2 * i + 1] / n[2 * i + 1];
    sx += x, sy += y, sxx += x * x, syy += y * y, sxy += x * y, m++;
  }
  free(n), free(k), gsl_rng_free(r), declgen_free(g);
  assert_true(m > 20);
  return (sxy - sx * sy / m) / sqrt((sxx - sx * sx / m) * (syy - sy * sy / m));
}

static void drift(void **s) {
  (void)s;
  double fixed = importer_corr(0), turned = importer_corr(60);
  if (!(fixed > 0.3 && turned < fixed - 0.3))
    fail_msg("corr %.3f stationary, %.3f drifting", fixed, turned);
}

static void bad_params(void **s) {
  (void)s;
  declgen_params p;
  sim_error e = {0};
  declgen_params_default(KIND_EXPRESS, &p);
  p.rate[DECLGEN_IPR] = -0.1;
  assert_null(declgen_new(&p, 1, &e));
  assert_int_equal(e.code, SIM_EINVAL);
  assert_non_null(strstr(e.msg, "rate"));
  declgen_params_default(KIND_EXPRESS, &p);
  p.importers = 0;
  assert_null(declgen_new(&p, 1, &e));
  p.kind = KIND_GENERIC;
  assert_null(declgen_new(&p, 1, &e));
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(defaults),         cmocka_unit_test(base_rates),
      cmocka_unit_test(goods_fields),     cmocka_unit_test(passenger_fields),
      cmocka_unit_test(reproducible),     cmocka_unit_test(drift),
      cmocka_unit_test(bad_params),       cmocka_unit_test(pick_as_gsl),
      cmocka_unit_test(cached_population),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
