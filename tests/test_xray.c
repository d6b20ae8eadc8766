/* test_xray: the dual-energy X-ray kernel: attenuation tables against xraylib, Z_eff
 * of reference materials (the < 8.5% anchor), metals never organic, detection rising
 * with drug mass, the false-alarm bound on clean items, degenerate items, the surrogate
 * table against full-mode runs, Pd and Pfa stable across training seeds, and the same
 * classifiers whether the scales train on one thread or two, and the same image whether
 * it is made one bin or eight at a time. Fixed seeds; tolerances from binomial
 * statistics. CUSTOMS_QUICK=1 runs fewer items and seeds (the tolerances follow the
 * counts). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_rng.h>
#include <xraylib.h>

#include "models/kernels/surrogate.h"
#include "models/kernels/xray.h"
#include "models/kernels/xray_internal.h"
#include "sim/error.h"

static int quick(void) {
  const char *q = getenv("CUSTOMS_QUICK");
  return q && *q && strcmp(q, "0");
}

/* Parameter values: the defaults, with name = value overrides (NULL-terminated). */
static void params(double *v, ...) {
  const kernel_type *t = &kernel_xray_type;
  for (size_t i = 0; i < t->nparams; i++) v[i] = t->params[i].def;
  va_list ap;
  va_start(ap, v);
  for (const char *name; (name = va_arg(ap, const char *));) {
    double x = va_arg(ap, double);
    size_t i = 0;
    while (i < t->nparams && strcmp(t->params[i].name, name)) i++;
    assert_true(i < t->nparams);
    v[i] = x;
  }
  va_end(ap);
}

/* One kernel for the tests that need no special parameters (made in the group setup). */
static int setup(void **state) {
  double v[32];
  sim_error err = {0};
  xray *x = NULL;
  params(v, NULL);
  if (xray_new(&x, v, 42, &err)) {
    print_error("xray_new: %s\n", err.msg);
    return -1;
  }
  *state = x;
  return 0;
}

static int teardown(void **state) {
  xray_free(*state);
  return 0;
}

/* The per-material tables hold xraylib's CS_Total_CP at each bin energy. */
static void test_mu_matches_xraylib(void **state) {
  const xray *x = *state;
  for (int s = 0; s < XRAY_NSCALES; s++)
    for (int m = 0; m < XRAY_MAT_N; m++)
      for (size_t b = 0; b < xray_nbins(x, s); b++) {
        double e = xray_bin_kev(x, s, b), mu = xray_mu(x, s, m, b);
        double want = CS_Total_CP(xray_material_formula(m), e, NULL);
        assert_true(want > 0);
        assert_true(fabs(mu - want) <= 1e-6 * want);
      }
  assert_true(xray_bin_kev(x, XRAY_SCALE_PARCEL, 0) > 10);
  assert_true(xray_bin_kev(x, XRAY_SCALE_CONTAINER, xray_nbins(x, 1) - 1) < 800);
}

/* Reference Z_eff by the power law (Spiers 1946) for materials checked by hand:
 * water 7.42 (the textbook value), polyethylene 5.44, Al 13 (an element is its Z). */
static void test_zeff_formula(void **state) {
  (void)state;
  assert_true(fabs(xray_zeff_formula("H2O") - 7.42) < 0.01);
  assert_true(fabs(xray_zeff_formula("C2H4") - 5.44) < 0.01);
  assert_true(fabs(xray_zeff_formula("Al") - 13) < 1e-9);
  /* (no unparsable formula here: xraylib 4.0 leaks a few bytes on a parse error) */
  assert_int_equal(xray_zeff_class(9.9), XRAY_CLASS_ORGANIC);
  assert_int_equal(xray_zeff_class(10), XRAY_CLASS_INORGANIC);
  assert_int_equal(xray_zeff_class(18), XRAY_CLASS_INORGANIC);
  assert_int_equal(xray_zeff_class(18.1), XRAY_CLASS_METAL);
}

/* The anchor: dual-energy Z_eff calibration errors under 8.5%. Uniform slabs over a
 * range of mass thickness, with photon noise, at both scales. None of these materials
 * is a calibrant except Fe (the calibrants are B, C, N, O, F, Na, Mg, Si, S, K, Ti, Fe,
 * Cu), and the compounds test the element-based calibration on mixtures. */
static void test_zeff_reference(void **state) {
  const xray *x = *state;
  static const char *const f[] = {"C2H4", "H2O", "C6H10O5", "Al", "CaCO3", "CaO", "Ca", "Fe"};
  static const double g[XRAY_NSCALES][3] = {{1, 3, 8}, {5, 20, 60}};
  gsl_rng *r = gsl_rng_alloc(gsl_rng_mt19937);
  gsl_rng_set(r, 1);
  double worst = 0;
  for (int s = 0; s < XRAY_NSCALES; s++)
    for (size_t i = 0; i < sizeof f / sizeof *f; i++)
      for (int k = 0; k < 3; k++) {
        xray_reading rd;
        assert_int_equal(xray_slab(x, s, f[i], g[s][k], r, &rd), 0);
        double ref = xray_zeff_formula(f[i]), err = fabs(rd.zeff - ref) / ref;
        if (err > 0.085)
          print_error("scale %d %s %g g/cm2: Z_eff %.2f, reference %.2f\n", s, f[i], g[s][k],
                      rd.zeff, ref);
        assert_true(err <= 0.085);
        assert_int_equal(rd.cls, xray_zeff_class(rd.zeff));
        worst = fmax(worst, err);
      }
  print_message("largest relative Z_eff error %.4f\n", worst);
  gsl_rng_free(r);
}

/* Metals read as inorganic or metal at any thickness (or too thin / opaque), never
 * organic: thin foil to thick plate, with noise. */
static void test_metal_never_organic(void **state) {
  const xray *x = *state;
  gsl_rng *r = gsl_rng_alloc(gsl_rng_mt19937);
  gsl_rng_set(r, 2);
  static const char *const m[] = {"Al", "Fe", "Cu", "Ti"};
  for (int s = 0; s < XRAY_NSCALES; s++)
    for (size_t i = 0; i < 4; i++)
      for (double g = 0.05; g < 500; g *= 1.5) {
        xray_reading rd;
        assert_int_equal(xray_slab(x, s, m[i], g, r, &rd), 0);
        assert_true(rd.cls != XRAY_CLASS_ORGANIC);
        assert_true(isfinite(rd.zeff) && isfinite(rd.h) && isfinite(rd.l));
      }
  gsl_rng_free(r);
}

static item parcel(int kind, int contra, double kg, int conceal, gsl_rng *r) {
  item it;
  memset(&it, 0, sizeof it);
  it.kind = (uint8_t)kind;
  it.mass_kg = surrogate_mass_kg(kind, r) + kg;
  it.truth.contraband = (uint8_t)contra;
  it.truth.contraband_kg = kg;
  it.truth.concealment = (uint8_t)conceal;
  return it;
}

/* Alarm rate over n fresh items of one class. */
static double alarm_rate(xray *x, int kind, int contra, double kg, int conceal, int n,
                         gsl_rng *r) {
  int a = 0;
  for (int i = 0; i < n; i++) {
    item it = parcel(kind, contra, kg, conceal, r);
    kernel_verdict v;
    assert_int_equal(xray_decide(x, &it, r, &v), 0);
    assert_true(isfinite(v.score) && v.score >= 0 && v.score <= 1);
    a += v.alarm;
  }
  return (double)a / n;
}

/* Detection rises with the amount: meth loose in express parcels at 0.1, 1 and 4 kg.
 * Each step up must exceed 2.33 standard errors of the difference (one-sided 99%). */
static void test_pd_rises_with_mass(void **state) {
  xray *x = *state;
  gsl_rng *r = gsl_rng_alloc(gsl_rng_mt19937);
  gsl_rng_set(r, 3);
  int n = quick() ? 80 : 200;
  double kg[3] = {0.1, 1, 4}, pd[3];
  for (int k = 0; k < 3; k++) {
    pd[k] = alarm_rate(x, KIND_EXPRESS, CONTRA_METH, kg[k], CONCEAL_NONE, n, r);
    print_message("meth %.1f kg: Pd %.3f (n %d)\n", kg[k], pd[k], n);
  }
  for (int k = 1; k < 3; k++) {
    double se = sqrt((pd[k] * (1 - pd[k]) + pd[k - 1] * (1 - pd[k - 1])) / n);
    assert_true(pd[k] - pd[k - 1] > 2.33 * fmax(se, 0.5 / n));
  }
  gsl_rng_free(r);
}

/* False alarms on clean mail, express parcels and bags stay under 10% at the default
 * threshold: the one-sided 99% upper bound (Wilson) of the observed rate is below it. */
static void test_pfa_bound(void **state) {
  xray *x = *state;
  gsl_rng *r = gsl_rng_alloc(gsl_rng_mt19937);
  gsl_rng_set(r, 4);
  static const int kinds[] = {KIND_MAIL, KIND_EXPRESS, KIND_PASSENGERS_IN};
  int n = 300; /* (quick too: at the designed 4% a smaller count could not show < 10%) */
  double a = 0;
  for (int k = 0; k < 3; k++) a += n * alarm_rate(x, kinds[k], CONTRA_NONE, 0, 0, n, r);
  double m = 3.0 * n, p = a / m, z = 2.326;
  double up = (p + z * z / (2 * m) + z * sqrt(p * (1 - p) / m + z * z / (4 * m * m))) /
              (1 + z * z / m);
  print_message("clean items: Pfa %.4f, 99%% upper bound %.4f (n %.0f)\n", p, up, m);
  assert_true(up < 0.10);
  gsl_rng_free(r);
}

/* Stability across training seeds (the classifier is trained at create time): kernels
 * made with seeds 1..5 (QUICK: 1..3) judge the same n meth 1 kg express parcels and the
 * same 2n clean ones (one item stream, so the items, images and noise are common and
 * only the models differ).
 * - Pd: for every pair of seeds, |Pd_a - Pd_b| <= 0.10 + 2.576 sqrt(b + c) / n, with
 *   b + c the items exactly one of the two alarms on: 0.10 is the aim (seed-to-seed
 *   variation of Pd under 0.1), the second term the two-sided 99% binomial margin of a
 *   difference of paired proportions (McNemar), so the check fails only if the models
 *   truly differ by more than 0.1.
 * - Pfa: the score ranks an item among 1000 clean reference items of its kind group,
 *   so at the default threshold 0.96 the false-alarm rate is 41/1001 = 0.041 up to the
 *   sampling of those references (sd sqrt(0.041 0.959 / 1000) = 0.006); with the
 *   binomial sd of 2n test items, every seed's Pfa must lie within 0.041 +- 2.576
 *   sqrt(0.006^2 + 0.041 0.959 / 2n) (two-sided 99%), which is 3-5% give or take.
 * - Pd itself stays high: every seed's Pd >= 0.6 (it is about 0.8). */
static void test_seed_stability(void **state) {
  (void)state;
  int ns = quick() ? 3 : 5, n = quick() ? 200 : 400;
  uint8_t *al = calloc((size_t)ns * n, 1);
  assert_non_null(al);
  double pfa[5], pd[5];
  for (int s = 0; s < ns; s++) {
    double v[32];
    sim_error err = {0};
    xray *x = NULL;
    params(v, NULL);
    assert_int_equal(xray_new(&x, v, (uint64_t)s + 1, &err), 0);
    gsl_rng *r = gsl_rng_alloc(gsl_rng_mt19937);
    gsl_rng_set(r, 11);
    int a = 0;
    for (int i = 0; i < n; i++) {
      item it = parcel(KIND_EXPRESS, CONTRA_METH, 1, CONCEAL_NONE, r);
      kernel_verdict kv;
      assert_int_equal(xray_decide(x, &it, r, &kv), 0);
      al[s * n + i] = (uint8_t)kv.alarm, a += kv.alarm;
    }
    pd[s] = (double)a / n;
    pfa[s] = alarm_rate(x, KIND_EXPRESS, CONTRA_NONE, 0, 0, 2 * n, r);
    print_message("seed %d: Pd meth 1 kg express %.3f, Pfa express %.4f (n %d, %d)\n", s + 1,
                  pd[s], pfa[s], n, 2 * n);
    gsl_rng_free(r);
    xray_free(x);
  }
  double sd = sqrt(0.006 * 0.006 + 0.041 * 0.959 / (2.0 * n)), worst = 0;
  for (int s = 0; s < ns; s++) {
    assert_true(pd[s] >= 0.6);
    assert_true(fabs(pfa[s] - 0.041) <= 2.576 * sd);
    for (int t = s + 1; t < ns; t++) {
      int d = 0;
      for (int i = 0; i < n; i++) d += al[s * n + i] != al[t * n + i];
      double tol = 0.10 + 2.576 * sqrt((double)d) / n;
      worst = fmax(worst, fabs(pd[s] - pd[t]) - tol);
      if (fabs(pd[s] - pd[t]) > tol)
        print_error("seeds %d, %d: Pd %.3f vs %.3f, tolerance %.3f\n", s + 1, t + 1, pd[s],
                    pd[t], tol);
    }
  }
  assert_true(worst <= 0);
  free(al);
}

/* Empty, zero-mass, non-finite, huge and fully opaque items, unknown kinds and zero
 * thickness: finite verdicts and readings, no failure. */
static void test_degenerate(void **state) {
  xray *x = *state;
  gsl_rng *r = gsl_rng_alloc(gsl_rng_mt19937);
  gsl_rng_set(r, 5);
  item cases[10];
  memset(cases, 0, sizeof cases);
  for (int k = 0; k < 10; k++) cases[k].kind = (uint8_t)(k % KIND_N);
  cases[1].mass_kg = NAN;
  cases[2].mass_kg = -5;
  cases[3].mass_kg = 1e9;                       /* more than any tunnel holds */
  cases[4].truth.contraband = CONTRA_METH;      /* contraband of no mass */
  cases[5].truth.contraband = CONTRA_COCAINE, cases[5].truth.contraband_kg = NAN;
  cases[6].mass_kg = 100, cases[6].truth.contraband = CONTRA_GOLD;
  cases[6].truth.contraband_kg = 90;            /* opaque */
  cases[7].kind = 200;                          /* unknown kind: generic */
  cases[8].mass_kg = 10, cases[8].truth.contraband = CONTRA_FIREARM; /* default mass */
  cases[9].mass_kg = 20000, cases[9].truth.contraband = CONTRA_HEROIN;
  cases[9].truth.contraband_kg = 1e6, cases[9].kind = KIND_SEA_CONTAINERS;
  for (int k = 0; k < 10; k++) {
    kernel_verdict v = {NAN, -1, NAN};
    assert_int_equal(xray_decide(x, &cases[k], r, &v), 0);
    assert_true(isfinite(v.score) && isfinite(v.time_s) && (v.alarm == 0 || v.alarm == 1));
  }
  kernel_verdict v;
  assert_int_equal(xray_decide(x, &cases[0], r, &v), 0);
  assert_int_equal(v.alarm, 0); /* nothing in the tunnel */
  xray_reading rd;
  assert_int_equal(xray_slab(x, 0, "H2O", 0, r, &rd), 0); /* open beam */
  assert_int_equal(rd.cls, XRAY_CLASS_NONE);
  assert_true(isfinite(rd.h) && isfinite(rd.zeff) && rd.zeff == 0);
  assert_int_equal(xray_slab(x, 0, "Fe", 1e4, r, &rd), 0); /* zero counts: clamped */
  assert_int_equal(rd.cls, XRAY_CLASS_OPAQUE);
  assert_true(isfinite(rd.h) && isfinite(rd.l) && rd.h < 30);
  assert_int_equal(xray_slab(x, 0, "Fe", 1e4, NULL, &rd), 0);
  assert_int_equal(rd.cls, XRAY_CLASS_OPAQUE);
  assert_int_equal(xray_slab(x, 0, "H2O", -1, r, &rd), SIM_EINVAL);
  assert_int_equal(xray_slab(x, 7, "H2O", 1, r, &rd), SIM_EINVAL); /* no such scale */
  gsl_rng_free(r);
}

static void test_bad_params(void **state) {
  (void)state;
  double v[32];
  sim_error err = {0};
  xray *x = (xray *)&err;
  params(v, "pixels", 4.0, NULL);
  assert_int_equal(xray_new(&x, v, 1, &err), SIM_EINVAL);
  assert_null(x);
  assert_non_null(strstr(err.msg, "pixels"));
  params(v, "zeff_lo", 12.0, "zeff_hi", 9.0, NULL);
  assert_int_equal(xray_new(&x, v, 1, &err), SIM_EINVAL);
  params(v, "threshold", NAN, NULL);
  assert_int_equal(xray_new(&x, v, 1, &err), SIM_EINVAL);
  xray_free(NULL);
}

/* Same seed, same verdicts; the kernel type's create/decide/destroy in full mode. */
static void test_kernel_type(void **state) {
  (void)state;
  const kernel_type *t = &kernel_xray_type;
  assert_string_equal(t->name, "xray");
  double v[32];
  params(v, "train_items", 200.0, "pixels", 64.0, NULL);
  kernel_opts o = {0, 9, NULL};
  void *a, *b;
  sim_error err = {0};
  assert_int_equal(t->new(&a, v, &o, &err), 0);
  assert_int_equal(t->new(&b, v, &o, &err), 0);
  gsl_rng *ra = gsl_rng_alloc(gsl_rng_mt19937), *rb = gsl_rng_alloc(gsl_rng_mt19937);
  gsl_rng *ri = gsl_rng_alloc(gsl_rng_mt19937);
  for (int i = 0; i < 20; i++) {
    item it = parcel(i % KIND_N, i % 4, 0.5, CONCEAL_NONE, ri);
    kernel_verdict va, vb;
    assert_int_equal(t->decide(a, &it, ra, &va), 0);
    assert_int_equal(t->decide(b, &it, rb, &vb), 0);
    assert_true(va.score == vb.score && va.alarm == vb.alarm && va.time_s == vb.time_s);
    assert_true(va.time_s >= 6); /* scan_s default, or the container's */
  }
  gsl_rng_free(ri);
  gsl_rng_free(ra), gsl_rng_free(rb);
  t->free(a), t->free(b);
}

/* Surrogate tables against full-mode runs: a table built on the kernel (its decide in
 * full mode) for a few classes; each class's tabulated alarm rate and the rate of m
 * fresh items of that class in full mode agree within a two-proportion 99% interval
 * (plus continuity). */
static void agree(const surrogate *s, const surrogate_spec *sp, xray *x, int kind, int contra,
                  int m, gsl_rng *r) {
  size_t n;
  double mid = sqrt(sp->kg_edges[0] * sp->kg_edges[1]);
  double p1 = surrogate_alarm_rate(s, kind, contra, mid, CONCEAL_NONE, &n);
  int a = 0;
  for (int i = 0; i < m; i++) {
    item it;
    surrogate_item(sp, kind, contra, 0, CONCEAL_NONE, r, &it);
    kernel_verdict v;
    assert_int_equal(xray_decide(x, &it, r, &v), 0);
    a += v.alarm;
  }
  double p2 = (double)a / m, pb = (p1 * n + a) / (n + m);
  double tol = 2.576 * sqrt(pb * (1 - pb) * (1.0 / n + 1.0 / m)) + 0.5 * (1.0 / n + 1.0 / m);
  print_message("%s %s: table %.3f (n %zu), full %.3f (n %d), tol %.3f\n",
                item_kind_name(kind), item_contraband_name(contra), p1, n, p2, m, tol);
  assert_true(fabs(p1 - p2) <= tol);
}

static void test_surrogate_agrees(void **state) {
  xray *x = *state;
  static const uint8_t kinds[] = {KIND_EXPRESS, KIND_MAIL};
  static const uint8_t contra[] = {CONTRA_METH};
  static const double edges[] = {0.3, 3};
  static const uint8_t conceal[] = {CONCEAL_NONE};
  size_t n = quick() ? 120 : 300;
  surrogate_spec sp = {kinds, 2, {0, 0, 0, 0, 1, 0, 0, 0}, contra, 1, edges, 2, conceal, 1,
                       {0, 0, 0, 0}, n, n, NULL};
  kernel_opts o = {1, 7, NULL};
  surrogate *s = NULL;
  sim_error err = {0};
  assert_int_equal(surrogate_build(&s, &kernel_xray_type, x, &o, &sp, &err), 0);
  gsl_rng *r = gsl_rng_alloc(gsl_rng_mt19937);
  gsl_rng_set(r, 8);
  for (int k = 0; k < 2; k++) {
    agree(s, &sp, x, kinds[k], CONTRA_NONE, (int)n, r);
    agree(s, &sp, x, kinds[k], CONTRA_METH, (int)n, r);
  }
  print_message("AUC express meth %.3f\n", surrogate_auc(s, KIND_EXPRESS, CONTRA_METH));
  surrogate_free(s);
  gsl_rng_free(r);
}

/* The kernel type in surrogate mode (a tiny table): decide reads the table, which
 * holds every calibration item, and the ROC comes out. */
static void test_surrogate_mode(void **state) {
  (void)state;
  double v[32];
  params(v, "train_items", 100.0, "pixels", 64.0, "calib_clean", 10.0, "calib_per_cell", 2.0,
         NULL);
  kernel_opts o = {1, 3, NULL};
  void *st;
  sim_error err = {0};
  assert_int_equal(kernel_xray_type.new(&st, v, &o, &err), 0);
  const surrogate *s = xray_surrogate(st);
  assert_non_null(s);
  assert_int_equal(surrogate_items(s), 5 * (10 + 5 * 4 * 3 * 2)); /* 5 kinds, 5 x 4 x 3 */
  gsl_rng *r = gsl_rng_alloc(gsl_rng_mt19937);
  for (int k = 0; k < KIND_N; k++) {
    item it = parcel(k, CONTRA_COCAINE, 2, CONCEAL_MIXED, r);
    kernel_verdict kv;
    assert_int_equal(kernel_xray_type.decide(st, &it, r, &kv), 0);
    assert_true(isfinite(kv.score) && kv.time_s > 0);
  }
  double thr[8], pfa[8], pd[8];
  assert_true(surrogate_roc(s, -1, -1, 8, thr, pfa, pd) >= 2);
  gsl_rng_free(r);
  kernel_xray_type.free(st);
}

/* The classifiers of every scale as the cache stores them (malloc'd, *n doubles). */
static double *model_values(xray *x, size_t *n) {
  *n = 0;
  for (int s = 0; s < XRAY_NSCALES; s++) *n += xray_model_size(&x->ph[s].cls);
  double *v = malloc(*n * sizeof *v), *at = v;
  assert_non_null(v);
  for (int s = 0; s < XRAY_NSCALES; s++) {
    xray_model_io(&x->ph[s].cls, at, 0);
    at += xray_model_size(&x->ph[s].cls);
  }
  return v;
}

/* Training the scales on two threads gives the very models (bit for bit, so the very
 * cache entry) of training them one after the other, and again on a second try. */
static void test_parallel_training(void **state) {
  (void)state;
  double v[32];
  params(v, "train_items", 200.0, "pixels", 64.0, NULL);
  xray *x;
  sim_error err = {0};
  assert_int_equal(xray_new(&x, v, 5, &err), 0);
  size_t n, n2;
  double *a = model_values(x, &n);
  for (int threads = 1; threads <= 2; threads++) {
    assert_int_equal(xray_train_all(x, 5, threads, &err), 0);
    double *b = model_values(x, &n2);
    assert_int_equal(n, n2);
    assert_memory_equal(a, b, n * sizeof *a);
    free(b);
  }
  assert_int_equal(xray_train_all(x, 6, 2, &err), 0); /* another seed: other models */
  double *c = model_values(x, &n2);
  assert_memory_not_equal(a, c, n * sizeof *a);
  free(a), free(c);
  xray_free(x);
}

/* The eight-wide image step gives the one-bin step's image bit for bit (values, labels,
 * flags and the first open bin), on items of every kind, clean and with contraband. */
static void test_image_simd_same(void **state) {
  xray *x = *state;
  if (!xray_simd_available()) skip();
  static const int kinds[] = {KIND_EXPRESS, KIND_MAIL, KIND_PASSENGERS_IN, KIND_AIR_CARGO,
                              KIND_SEA_CONTAINERS};
  size_t mm = (size_t)x->m * x->m, bytes = mm * (2 * sizeof(float) + sizeof(uint16_t) + 1);
  unsigned char *img[2] = {malloc(bytes), malloc(bytes)};
  assert_non_null(img[0]), assert_non_null(img[1]);
  gsl_rng *r = gsl_rng_alloc(gsl_rng_mt19937);
  int wide = 0; /* images whose rows the eight-wide step takes at least twice */
  for (int t = 0; t < 40; t++) {
    item it = {0};
    it.kind = (uint8_t)kinds[t % 5];
    if (t & 1) {
      it.truth.contraband = CONTRA_METH, it.truth.contraband_kg = 0.5 + t % 3;
      it.truth.concealment = t & 2 ? CONCEAL_MIXED : CONCEAL_NONE;
    }
    it.mass_kg = 5 + 3 * t;
    if (it.kind == KIND_SEA_CONTAINERS) it.mass_kg = 6000 + 300 * t;
    int open[2], win[2][4];
    for (int simd = 0; simd < 2; simd++) {
      x->simd = simd;
      gsl_rng_set(r, 100 + (unsigned long)t);
      const geom *g = xray_geom(it.kind);
      xray_layout(x, g, &it, r);
      xray_stacks(x, &x->ph[g->scale]);
      memset(x->hb, 0x5a, mm * sizeof *x->hb), memset(x->lb, 0x5a, mm * sizeof *x->lb);
      memset(x->lab, 0x5a, mm * sizeof *x->lab), memset(x->cflag, 0x5a, mm);
      xray_image(x, &x->ph[g->scale], r);
      unsigned char *o = img[simd];
      memcpy(o, x->hb, mm * sizeof(float)), o += mm * sizeof(float);
      memcpy(o, x->lb, mm * sizeof(float)), o += mm * sizeof(float);
      memcpy(o, x->lab, mm * sizeof(uint16_t)), o += mm * sizeof(uint16_t);
      memcpy(o, x->cflag, mm);
      open[simd] = x->open;
      win[simd][0] = x->wx0, win[simd][1] = x->wx1, win[simd][2] = x->wy0, win[simd][3] = x->wy1;
    }
    wide += win[0][1] - win[0][0] >= 16;
    assert_memory_equal(win[0], win[1], sizeof win[0]);
    assert_int_equal(open[0], open[1]);
    assert_memory_equal(img[0], img[1], bytes);
  }
  assert_true(wide >= 20);
  x->simd = xray_simd_available();
  gsl_rng_free(r), free(img[0]), free(img[1]);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_mu_matches_xraylib),  cmocka_unit_test(test_zeff_formula),
      cmocka_unit_test(test_zeff_reference),      cmocka_unit_test(test_metal_never_organic),
      cmocka_unit_test(test_pd_rises_with_mass),  cmocka_unit_test(test_pfa_bound),
      cmocka_unit_test(test_degenerate),          cmocka_unit_test(test_bad_params),
      cmocka_unit_test(test_kernel_type),         cmocka_unit_test(test_surrogate_agrees),
      cmocka_unit_test(test_surrogate_mode),      cmocka_unit_test(test_seed_stability),
      cmocka_unit_test(test_parallel_training),   cmocka_unit_test(test_image_simd_same),
  };
  return cmocka_run_group_tests(tests, setup, teardown);
}
