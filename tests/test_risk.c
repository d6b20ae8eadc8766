/* test_risk: the risk model and kernel on generated data (fixed seeds). It beats
 * random selection and a price-only ranking by a wide margin, scores the same bit
 * for bit from the same seed, improves over a drifting run when it learns online, fades
 * its encodings with a half-life, and works through the kernel interface. Margins are
 * stated in binomial standard deviations of precision at 5%. */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "models/declgen.h"
#include "models/kernels/risk.h"
#include "models/kernels/risk_eval.h"

static gsl_rng *rng(unsigned long seed) {
  gsl_rng *r = gsl_rng_alloc(gsl_rng_mt19937);
  gsl_rng_set(r, seed);
  return r;
}

/* n items of a benchmark-rate generator over [day0, day1). */
static item *gen(declgen *g, size_t n, double day0, double day1, unsigned long seed) {
  item *it = malloc(n * sizeof *it);
  assert_non_null(it);
  gsl_rng *r = rng(seed);
  declgen_history(g, n, day0, day1, r, it);
  gsl_rng_free(r);
  return it;
}

static declgen *bench_gen(int kind, double drift, uint64_t seed) {
  declgen_params p;
  declgen_params_benchmark(kind, &p);
  p.drift_days = drift;
  declgen *g = declgen_new(&p, seed, NULL);
  assert_non_null(g);
  return g;
}

/* Trains on the first 60% (time order), validates on the next 20%. */
static risk_model *train(const risk_params *p, const item *it, size_t n) {
  sim_error e = {0};
  size_t nt = n * 6 / 10, nv = n / 5;
  risk_model *m = risk_model_train(p, it, nt, it + nt, nv, &e);
  if (!m) fail_msg("%s", e.msg);
  return m;
}

static double sd_p5(double p, size_t n) { return sqrt(p * (1 - p) / (0.05 * (double)n)); }

/* The published protocol on 50,000 generated express declarations. */
static void beats_baselines(void **s) {
  (void)s;
  enum { N = 50000 };
  declgen *g = bench_gen(KIND_EXPRESS, 0, 21);
  item *it = gen(g, N, -365, 0, 1);
  risk_params p;
  risk_params_default(&p);
  risk_model *m = train(&p, it, N);
  const item *test = it + N * 8 / 10;
  size_t nt = N - N * 8 / 10;
  risk_eval ev, pr;
  assert_int_equal(risk_eval_items(m, 0, test, nt, &ev, NULL), SIM_OK);
  assert_int_equal(risk_eval_items(m, 1, test, nt, &pr, NULL), SIM_OK);
  print_message("model auc %.3f p@5 %.3f; price auc %.3f p@5 %.3f; base %.3f\n", ev.auc,
                ev.precision[2], pr.auc, pr.precision[2], ev.base_rate);
  assert_true(ev.precision[2] >= 3 * ev.base_rate);
  assert_true(ev.auc > 0.75);
  assert_true(ev.precision[2] > pr.precision[2] + 4 * sd_p5(0.3, nt)); /* wide margin */
  assert_true(ev.auc > pr.auc + 0.1);
  assert_true(pr.precision[2] > ev.base_rate); /* the price signal is real, if weak */
  /* the undervaluation model ranks undervaluation */
  double *u = malloc(nt * sizeof *u);
  uint8_t *y = malloc(nt);
  for (size_t i = 0; i < nt; i++) {
    u[i] = risk_model_score_uv(m, &test[i]);
    assert_true(u[i] >= 0 && u[i] <= 1);
    y[i] = test[i].truth.undervalued;
  }
  assert_true(risk_eval_auc(u, y, nt) > 0.75);
  free(u), free(y), free(it), risk_model_free(m), declgen_free(g);
}

/* Passengers: route, trips, bags and weight carry the signal. */
static void passengers(void **s) {
  (void)s;
  enum { N = 30000 };
  declgen *g = bench_gen(KIND_PASSENGERS_IN, 0, 21);
  item *it = gen(g, N, -365, 0, 2);
  risk_params p;
  risk_params_default(&p);
  risk_model *m = train(&p, it, N);
  risk_eval ev;
  assert_int_equal(risk_eval_items(m, 0, it + N * 8 / 10, N / 5, &ev, NULL), SIM_OK);
  assert_true(ev.precision[2] >= 3 * ev.base_rate);
  assert_true(risk_model_price_score(m, &it[0]) == 0.0);
  free(it), risk_model_free(m), declgen_free(g);
}

static void reproducible(void **s) {
  (void)s;
  enum { N = 20000 };
  double a[1000], b[1000];
  for (int run = 0; run < 2; run++) {
    declgen *g = bench_gen(KIND_AIR_CARGO, 0, 21);
    item *it = gen(g, N, -100, 0, 3);
    risk_params p;
    risk_params_default(&p);
    p.gbt.subsample = 0.8; /* exercises the seeded sampling too */
    risk_model *m = train(&p, it, N);
    for (int i = 0; i < 1000; i++) {
      risk_model_learn(m, &it[N - 2000 + i], item_is_illicit(&it[N - 2000 + i]));
      (run ? b : a)[i] = risk_model_score(m, &it[N - 1000 + i]);
    }
    free(it), risk_model_free(m), declgen_free(g);
  }
  assert_memory_equal(a, b, sizeof a);
}

/* Over a drifting run (importers', brokers' and origins' risk turn over in 60 days),
 * the model that learns from its inspections ranks the last period better. */
static void online_improves(void **s) {
  (void)s;
  enum { NH = 40000, NE = 40000, DAYS = 60, PER_DAY = 2000 };
  double p5[2];
  for (int online = 0; online < 2; online++) {
    declgen *g = bench_gen(KIND_EXPRESS, 60, 1);
    item *h = gen(g, NH, -120, 0, 4);
    risk_params p;
    risk_params_default(&p);
    p.online = online;
    p.uv_head = 0;
    risk_model *m = train(&p, h, NH);
    gsl_rng *r = rng(5);
    double hit; /* a static model learns nothing from the run: no need to play it */
    if (online)
      assert_int_equal(risk_eval_stream(m, g, r, DAYS, PER_DAY, 0.05, 0.1, &hit, NULL), SIM_OK);
    item *late = gen(g, NE, DAYS, DAYS + 5, 6);
    risk_eval ev;
    assert_int_equal(risk_eval_items(m, 0, late, NE, &ev, NULL), SIM_OK);
    p5[online] = ev.precision[2];
    free(h), free(late), gsl_rng_free(r), risk_model_free(m), declgen_free(g);
  }
  double sd = sqrt(pow(sd_p5(p5[0], NE), 2) + pow(sd_p5(p5[1], NE), 2));
  print_message("p@5 static %.3f, online %.3f (sd of the difference %.3f)\n", p5[0], p5[1], sd);
  assert_true(p5[1] - p5[0] > 3 * sd);
}

/* Without online learning, outcomes change nothing. */
static void static_model_ignores_outcomes(void **s) {
  (void)s;
  enum { N = 10000 };
  declgen *g = bench_gen(KIND_MAIL, 0, 21);
  item *it = gen(g, N, -100, 0, 7);
  risk_params p;
  risk_params_default(&p);
  p.online = 0;
  risk_model *m = train(&p, it, N);
  double before = risk_model_score(m, &it[N - 1]);
  for (int i = 0; i < 500; i++) risk_model_learn(m, &it[N - 1], 1);
  assert_true(risk_model_score(m, &it[N - 1]) == before);
  p.online = 1;
  risk_model *o = train(&p, it, N);
  before = risk_model_score(o, &it[N - 1]);
  for (int i = 0; i < 500; i++) risk_model_learn(o, &it[N - 1], 1);
  assert_true(risk_model_score(o, &it[N - 1]) > before);
  free(it), risk_model_free(m), risk_model_free(o), declgen_free(g);
}

/* With a half-life the encodings' counts fade: an importer's count halves over one
 * half-life, and a label learnt on a day counts in full on that day (the day of the
 * last update is kept per key). */
static void counts_fade(void **s) {
  (void)s;
  enum { N = 5000, N_IMP = 14 };
  declgen *g = bench_gen(KIND_EXPRESS, 0, 5);
  item *it = gen(g, N, -100, 0, 9);
  risk_params p;
  risk_params_default(&p);
  p.te_half_life_days = 30, p.uv_head = 0;
  risk_model *m = train(&p, it, N);
  item x = it[0]; /* a training row: its importer has a count */
  float a[RISK_NFEATURES], b[RISK_NFEATURES], c[RISK_NFEATURES];
  x.arrival_min = 10 * 1440.0;
  risk_model_features(m, &x, a);
  x.arrival_min = 40 * 1440.0;
  risk_model_features(m, &x, b);
  assert_true(a[N_IMP] > 0);
  assert_float_equal(b[N_IMP] / a[N_IMP], 0.5, 1e-5);
  risk_model_learn(m, &x, 0);
  risk_model_features(m, &x, c);
  assert_float_equal(c[N_IMP], b[N_IMP] + 1.0f, 1e-4);
  free(it), risk_model_free(m), declgen_free(g);
}

/* Sets kernel parameter `name` in kp. */
static void set_kp(const kernel_type *k, double *kp, const char *name, double v) {
  for (size_t i = 0; i < k->nparams; i++)
    if (!strcmp(k->params[i].name, name)) kp[i] = v;
}

/* Through the kernel table entry: scores in [0, 1], no alarm, no time; a model per
 * item kind, trained on the kind's first item (kind 0) or at create (kind set). */
static void kernel_interface(void **s) {
  (void)s;
  const kernel_type *k = &kernel_risk_type;
  assert_string_equal(k->name, "risk");
  assert_non_null(k->learn);
  double kp[16];
  assert_true(k->nparams <= 16);
  for (size_t i = 0; i < k->nparams; i++) kp[i] = k->params[i].def;
  set_kp(k, kp, "history_n", 5000);
  set_kp(k, kp, "trees", 30);
  kernel_opts o = {0, 42, NULL};
  void *st = NULL;
  sim_error err = {0};
  assert_int_equal(k->new(&st, kp, &o, &err), SIM_OK);
  assert_null(risk_kernel_model(st, KIND_EXPRESS));
  declgen_params gp;
  declgen_params_default(KIND_EXPRESS, &gp);
  declgen *g = declgen_new(&gp, 42, NULL); /* the run seed: the kernel's traders */
  gsl_rng *r = rng(8);
  for (int i = 0; i < 200; i++) {
    item it;
    kernel_verdict v = {-1, -1, -1};
    declgen_fill(g, i / 100.0, r, &it);
    assert_int_equal(k->decide(st, &it, r, &v), SIM_OK);
    assert_true(v.score >= 0 && v.score <= 1 && v.alarm == 0 && v.time_s == 0);
    double u = risk_kernel_uv_score(st, &it);
    assert_true(u >= 0 && u <= 1);
    k->learn(st, &it, item_is_illicit(&it));
  }
  assert_non_null(risk_kernel_model(st, KIND_EXPRESS));
  assert_null(risk_kernel_model(st, KIND_MAIL));
  item generic;
  memset(&generic, 0, sizeof generic);
  kernel_verdict v = {-1, -1, -1};
  assert_int_not_equal(k->decide(st, &generic, r, &v), SIM_OK); /* nothing to learn from */
  assert_true(v.score == 0 && v.alarm == 0);
  k->free(st);
  set_kp(k, kp, "kind", KIND_MAIL);
  set_kp(k, kp, "fraud_scale", 0); /* no positives at all */
  st = NULL;
  assert_int_equal(k->new(&st, kp, &o, &err), SIM_OK);
  assert_non_null(risk_kernel_model(st, KIND_MAIL));
  k->free(st);
  k->free(NULL);
  gsl_rng_free(r), declgen_free(g);
}

/* With a cache folder: the first kernel trains and stores, the second loads; both
 * score and learn identically, item for item (models with and without the undervaluation
 * head); a damaged entry is rebuilt. */
static void cached_model(void **s) {
  (void)s;
  const kernel_type *k = &kernel_risk_type;
  char dir[] = "/tmp/customs-risk-test.XXXXXX";
  assert_non_null(mkdtemp(dir));
  double kp[16];
  for (size_t i = 0; i < k->nparams; i++) kp[i] = k->params[i].def;
  set_kp(k, kp, "history_n", 3000);
  set_kp(k, kp, "trees", 20);
  set_kp(k, kp, "kind", KIND_EXPRESS);
  kernel_opts plain = {0, 7, NULL}, cached = {0, 7, dir};
  void *st[4] = {NULL, NULL, NULL, NULL};
  sim_error err = {0};
  assert_int_equal(k->new(&st[0], kp, &plain, &err), SIM_OK);
  assert_int_equal(k->new(&st[1], kp, &cached, &err), SIM_OK); /* stores */
  assert_int_equal(k->new(&st[2], kp, &cached, &err), SIM_OK); /* loads */
  char cmd[200];
  snprintf(cmd, sizeof cmd, "for f in %s/risk-*.kc; do printf 'xx' | dd of=$f bs=1 seek=90 "
                            "conv=notrunc status=none; done", dir);
  assert_int_equal(system(cmd), 0);
  assert_int_equal(k->new(&st[3], kp, &cached, &err), SIM_OK); /* rebuilds */
  declgen_params gp;
  declgen_params_default(KIND_EXPRESS, &gp);
  declgen *g = declgen_new(&gp, 7, NULL);
  gsl_rng *r = rng(9);
  for (int i = 0; i < 3000; i++) {
    item it;
    declgen_fill(g, i / 300.0, r, &it);
    double sc[4], uv[4];
    for (int j = 0; j < 4; j++) {
      kernel_verdict v = {-1, -1, -1};
      assert_int_equal(k->decide(st[j], &it, r, &v), SIM_OK);
      sc[j] = v.score, uv[j] = risk_kernel_uv_score(st[j], &it);
      if (i % 5 == 0) k->learn(st[j], &it, item_is_illicit(&it));
    }
    for (int j = 1; j < 4; j++) {
      assert_memory_equal(&sc[0], &sc[j], sizeof sc[0]);
      assert_memory_equal(&uv[0], &uv[j], sizeof uv[0]);
    }
  }
  for (int j = 0; j < 4; j++) k->free(st[j]);
  snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
  assert_int_equal(system(cmd), 0);
  gsl_rng_free(r), declgen_free(g);
}

static void bad_input(void **s) {
  (void)s;
  risk_params p;
  sim_error e = {0};
  risk_params_default(&p);
  item one;
  memset(&one, 0, sizeof one);
  assert_null(risk_model_train(&p, &one, 1, NULL, 0, &e));
  assert_int_equal(e.code, SIM_EINVAL);
  p.gbt.depth = 99;
  item two[2];
  memset(two, 0, sizeof two);
  assert_null(risk_model_train(&p, two, 2, NULL, 0, &e));
  assert_non_null(strstr(e.msg, "gbt"));
  risk_model_free(NULL);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(beats_baselines),
      cmocka_unit_test(passengers),
      cmocka_unit_test(reproducible),
      cmocka_unit_test(online_improves),
      cmocka_unit_test(static_model_ignores_outcomes),
      cmocka_unit_test(counts_fade),
      cmocka_unit_test(kernel_interface),
      cmocka_unit_test(cached_model),
      cmocka_unit_test(bad_input),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
