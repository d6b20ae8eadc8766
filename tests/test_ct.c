/* test_ct: the CT kernel: exact projections, FBP accuracy against the Shepp-Logan
 * anchor, filter ordering, dual-energy decomposition, detection and degenerate items,
 * and the same images whether the two energies are reconstructed on one thread or two. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_rng.h>

#include "models/kernels/ct.h"
#include "models/kernels/ct_internal.h"

/* |a - b| <= tol in double precision, printing both values when it fails. */
#define assert_close(a, b, tol) close_or_fail((a), (b), (tol), #a, __LINE__)
static void close_or_fail(double a, double b, double tol, const char *expr, int line) {
  if (fabs(a - b) <= tol) return;
  print_error("line %d: %s = %.17g, want %.17g +- %g\n", line, expr, a, b, tol);
  fail();
}

/* Reconstructions of Shepp-Logan at 256 x 256, 180 views, with filters 0 .. nf-1:
 * RMSE in the 0.45 N disk against the pixel-averaged (4 x 4 samples) phantom. */
static void shepp_logan_rmse(int nf, double *rmse) {
  enum { N = 256, V = 180 };
  size_t ne;
  const ct_ellipse *e = ct_shepp_logan(&ne);
  double *truth = malloc(sizeof(double) * N * N), *rec = malloc(sizeof(double) * N * N);
  double *sino = malloc(sizeof(double) * N * V);
  assert_non_null(truth), assert_non_null(rec), assert_non_null(sino);
  ct_ellipses_raster(e, ne, N, 4, truth);
  ct_ellipses_project(e, ne, N, V, 1, sino);
  for (int filter = 0; filter < nf; filter++) {
    ct_fbp *f;
    assert_int_equal(ct_fbp_new(&f, N, V, filter, NULL), 0);
    assert_int_equal(ct_fbp_run(f, sino, rec), 0);
    rmse[filter] = ct_rmse_disk(rec, truth, N, 0.45 * N);
    print_message("%-12s RMSE %.5f\n", ct_filter_name(filter), rmse[filter]);
    ct_fbp_free(f);
  }
  free(truth), free(rec), free(sino);
}

/* The anchor: scikit-image's iradon (ramp) reaches RMSE about 0.034 on this case. */
static void test_fbp_shepp_logan_rmse(void **state) {
  (void)state;
  double r;
  shepp_logan_rmse(1, &r);
  assert_true(r <= 0.035);
  assert_true(r > 0.005); /* a perfect score would mean the test compares the wrong thing */
}

/* On noise-free data every window only removes high frequencies, so error grows with
 * the attenuation. Pointwise on [0, 1/2] cycles/sample: 1 >= sinc(w) >= cos(pi w) >=
 * hann(w), and sinc(w) >= hamming(w) >= hann(w); cosine and hamming cross near
 * Nyquist, so their order is not asserted. */
static void test_fbp_filter_ordering(void **state) {
  (void)state;
  double e[CT_FILTER_N];
  shepp_logan_rmse(CT_FILTER_N, e);
  for (int f = 1; f < CT_FILTER_N; f++) assert_true(e[CT_FILTER_RAMP] < e[f]);
  assert_true(e[CT_FILTER_SHEPP_LOGAN] < e[CT_FILTER_COSINE]);
  assert_true(e[CT_FILTER_COSINE] < e[CT_FILTER_HANN]);
  assert_true(e[CT_FILTER_SHEPP_LOGAN] < e[CT_FILTER_HAMMING]);
  assert_true(e[CT_FILTER_HAMMING] < e[CT_FILTER_HANN]);
}

/* Odd sizes and view counts that are not multiples of the four-view grouping: two
 * overlapping ellipses, enough views (about 1.4 n), RMSE well within the anchor. */
static void test_fbp_geometries(void **state) {
  (void)state;
  static const int geo[][2] = {{65, 91}, {127, 181}, {128, 181}, {33, 47}};
  ct_ellipse e[2] = {{1, 0.6, 0.5, 0.1, -0.05, 20}, {0.5, 0.2, 0.2, -0.2, 0.2, 0}};
  for (size_t g = 0; g < sizeof geo / sizeof geo[0]; g++) {
    int n = geo[g][0], v = geo[g][1];
    double *img = malloc(sizeof(double) * n * n), *rec = malloc(sizeof(double) * n * n);
    double *s = malloc(sizeof(double) * n * v);
    ct_fbp *f;
    ct_ellipses_raster(e, 2, n, 4, img);
    ct_ellipses_project(e, 2, n, v, 1, s);
    assert_int_equal(ct_fbp_new(&f, n, v, CT_FILTER_RAMP, NULL), 0);
    assert_int_equal(ct_fbp_run(f, s, rec), 0);
    double r = ct_rmse_disk(rec, img, n, 0.45 * n);
    print_message("n %d views %d: RMSE %.4f\n", n, v, r);
    assert_true(r < 0.06);
    assert_true(rec[0] == 0); /* outside the reconstruction disk */
    ct_fbp_free(f);
    free(img), free(rec), free(s);
  }
}

/* A centred disk of radius R and value v projects to 2 v sqrt(R^2 - u^2) at every
 * angle; its integral is v pi R^2. */
static void test_projection_exact(void **state) {
  (void)state;
  enum { N = 64, V = 8 };
  ct_ellipse disk = {0.5, 0.5, 0.5, 0, 0, 0};
  double sino[N * V], c = (N - 1) / 2.0, R = 0.5 * N / 2.0;
  ct_ellipses_project(&disk, 1, N, V, 1, sino);
  for (int m = 0; m < V; m++) {
    double sum = 0;
    for (int k = 0; k < N; k++) {
      double u = k - c, want = u * u < R * R ? 2 * 0.5 * sqrt(R * R - u * u) : 0;
      assert_close(sino[m * N + k], want, 1e-12);
      sum += sino[m * N + k];
    }
    assert_close(sum, 0.5 * M_PI * R * R, 0.05 * R); /* Riemann sum of the chord */
  }
}

static void test_fbp_bad_args(void **state) {
  (void)state;
  ct_fbp *f = (ct_fbp *)1;
  sim_error e = {0};
  assert_int_equal(ct_fbp_new(&f, 4, 180, 0, &e), SIM_EINVAL);
  assert_null(f);
  assert_true(strlen(e.msg) > 0);
  assert_int_equal(ct_fbp_new(&f, 64, 90, CT_FILTER_N, NULL), SIM_EINVAL);
  ct_fbp_free(NULL);
  assert_string_equal(ct_filter_name(CT_FILTER_HANN), "hann");
  assert_string_equal(ct_filter_name(99), "?");
}

/* Z_eff by the 3.8 power rule, hand-computed from the electron fractions. */
static void test_materials(void **state) {
  (void)state;
  assert_close(ct_material_get(CT_WATER).zeff, 7.544, 0.002);
  assert_close(ct_material_get(CT_METH_HCL).zeff, 10.887, 0.002);
  assert_close(ct_material_get(CT_COCAINE_HCL).zeff, 9.660, 0.002);
  assert_close(ct_material_get(CT_ALUMINIUM).zeff, 13.0, 1e-9);
  assert_string_equal(ct_material_get(-1).name, "?");
  /* the model reproduces its NIST anchors */
  assert_close(ct_mu(1.0, ct_material_get(CT_WATER).zeff, 0), 0.2269, 1e-9);
  assert_close(ct_mu(2.7, 13.0, 1), 2.7 * 0.2018, 1e-9);
}

/* Dual energy on uniform discs (noise-free exact projections, 128 x 128, 180 views,
 * 0.25 cm pixels): calibrate on five known materials, then decompose the others. In
 * the disc cores FBP is accurate to well under 1% (the interior of a flat region), so
 * rho must come back within 2% and Z_eff within 0.2; the ratio mu_lo / mu_hi carries Z
 * and an error e in it moves Z by about e Z / (3.8 x 0.2) at these energies. */
static void test_dect_decomposition(void **state) {
  (void)state;
  enum { N = 128, V = 180, NCAL = 5, NTEST = 6, ND = NCAL + NTEST };
  static const int mats[ND] = {CT_WATER,       CT_POLYETHYLENE, CT_PVC,     CT_ALUMINIUM,
                               CT_SALT,        CT_PMMA,         CT_SUCROSE, CT_METH_HCL,
                               CT_COCAINE_HCL, CT_HEROIN_HCL,   CT_GLASS};
  const double dx = 0.25, rd = 0.11;
  ct_ellipse disc[2][ND];
  for (int i = 0; i < ND; i++) {
    ct_material m = ct_material_get(mats[i]);
    double ring = i < 8 ? 0.62 : 0.25, ang = 2 * M_PI * (i < 8 ? i / 8.0 : (i - 8) / 3.0);
    for (int e = 0; e < 2; e++)
      disc[e][i] =
          (ct_ellipse){ct_mu(m.rho, m.zeff, e) * dx, rd, rd, ring * cos(ang), ring * sin(ang), 0};
  }
  double *sino = malloc(sizeof(double) * N * V), *rec = malloc(sizeof(double) * N * N);
  double mean[2][ND];
  ct_fbp *f;
  assert_int_equal(ct_fbp_new(&f, N, V, CT_FILTER_RAMP, NULL), 0);
  for (int e = 0; e < 2; e++) {
    ct_ellipses_project(disc[e], ND, N, V, 1, sino);
    assert_int_equal(ct_fbp_run(f, sino, rec), 0);
    for (int i = 0; i < ND; i++) {
      double s = 0, c = (N - 1) / 2.0;
      int cnt = 0;
      for (int j = 0; j < N; j++)
        for (int q = 0; q < N; q++) {
          double x = (q - c) / (N / 2.0) - disc[e][i].x0, y = (c - j) / (N / 2.0) - disc[e][i].y0;
          if (hypot(x, y) <= 0.6 * rd) s += rec[j * N + q], cnt++;
        }
      mean[e][i] = s / cnt / dx;
    }
  }
  ct_fbp_free(f);
  free(sino), free(rec);
  double rho[NCAL], z[NCAL];
  for (int i = 0; i < NCAL; i++)
    rho[i] = ct_material_get(mats[i]).rho, z[i] = ct_material_get(mats[i]).zeff;
  ct_dect_cal cal;
  assert_int_equal(ct_dect_calibrate(&cal, rho, z, mean[0], mean[1], NCAL), 0);
  for (int i = NCAL; i < ND; i++) {
    ct_material m = ct_material_get(mats[i]);
    double r, zz;
    assert_int_equal(ct_dect_decompose(&cal, mean[0][i], mean[1][i], &r, &zz), 0);
    print_message("%-12s rho %.4f (%.4f)  Z %.3f (%.3f)\n", m.name, r, m.rho, zz, m.zeff);
    assert_close(r, m.rho, 0.02 * m.rho);
    assert_close(zz, m.zeff, 0.2);
  }
}

static void test_dect_bad_input(void **state) {
  (void)state;
  ct_dect_cal cal = {{9.45e-6, 1.21e-6}, {0.2065, 0.1811}};
  double r = 1, z = 1;
  assert_int_equal(ct_dect_decompose(&cal, 0, 0.2, &r, &z), SIM_EINVAL);
  assert_true(r == 0 && z == 0);
  assert_int_equal(ct_dect_decompose(&cal, NAN, 0.2, &r, &z), SIM_EINVAL);
  assert_int_equal(ct_dect_decompose(&cal, 100.0, 0.2, &r, &z), SIM_EINVAL); /* r > a0/a1 */
  assert_int_equal(ct_dect_decompose(&cal, 0.2, 0.2, &r, &z), 0); /* below Compton: Z 0 */
  assert_true(z == 0 && r > 0);
  double one[1] = {1};
  assert_int_equal(ct_dect_calibrate(&cal, one, one, one, one, 1), SIM_EINVAL);
}

/* A ct kernel state with default parameters, some overridden by name. */
static void *make_kernel(int surrogate, const char *name, double value, const char *name2,
                         double value2) {
  const kernel_type *t = &kernel_ct_type;
  double p[32];
  assert_true(t->nparams <= 32);
  for (size_t i = 0; i < t->nparams; i++) {
    p[i] = t->params[i].def;
    if (name && !strcmp(t->params[i].name, name)) p[i] = value;
    if (name2 && !strcmp(t->params[i].name, name2)) p[i] = value2;
    assert_true(p[i] >= t->params[i].min && p[i] <= t->params[i].max);
  }
  kernel_opts o = {surrogate, 7, NULL};
  sim_error err = {0};
  void *st = NULL;
  int rc = t->new(&st, p, &o, &err);
  if (rc) print_error("%s\n", err.msg);
  assert_int_equal(rc, 0);
  return st;
}

static item parcel(int contra, double kg, int conceal) {
  item it;
  memset(&it, 0, sizeof it);
  it.kind = KIND_EXPRESS;
  it.mass_kg = 2.0 + kg;
  it.truth.contraband = (uint8_t)contra;
  it.truth.contraband_kg = kg;
  it.truth.concealment = (uint8_t)conceal;
  return it;
}

/* Alarm rate and mean score over n parcels. */
static void rates(void *st, int contra, double kg, int conceal, int n, gsl_rng *r, double *alarm,
                  double *score) {
  *alarm = *score = 0;
  for (int i = 0; i < n; i++) {
    item it = parcel(contra, kg, conceal);
    kernel_verdict v = {0};
    assert_int_equal(kernel_ct_type.decide(st, &it, r, &v), 0);
    assert_true(isfinite(v.score) && v.score >= 0);
    assert_close(v.time_s, 6.0, 0);
    *alarm += v.alarm, *score += v.score;
  }
  *alarm /= n, *score /= n;
}

/* Loose methamphetamine: mean score (region area) and alarm rate grow with the amount;
 * 10 g (about 2 cm across, below the 4 cm^2 threshold) rarely alarms; 0.5 kg always.
 * Clean parcels: the drug window and the erosion keep false alarms rare. */
static void test_ct_detection_rises_with_mass(void **state) {
  (void)state;
  void *st = make_kernel(0, NULL, 0, NULL, 0);
  gsl_rng *r = gsl_rng_alloc(gsl_rng_mt19937);
  gsl_rng_set(r, 11);
  static const double kg[] = {0.01, 0.05, 0.2, 1.0};
  double a0, s0, a[4], s[4];
  rates(st, CONTRA_NONE, 0, CONCEAL_NONE, 60, r, &a0, &s0);
  for (int i = 0; i < 4; i++) rates(st, CONTRA_METH, kg[i], CONCEAL_NONE, 24, r, &a[i], &s[i]);
  print_message("clean alarm %.3f score %.2f\n", a0, s0);
  for (int i = 0; i < 4; i++) print_message("%.3f kg: alarm %.3f score %.2f\n", kg[i], a[i], s[i]);
  assert_true(a0 <= 0.05);
  assert_true(s0 < s[0]);
  for (int i = 1; i < 4; i++) assert_true(s[i] > s[i - 1] && a[i] >= a[i - 1]);
  assert_true(a[0] <= 0.2);
  assert_true(a[3] >= 0.95);
  /* cocaine and heroin salts sit in the same window; cannabis (organic) does not */
  double ac, sc;
  rates(st, CONTRA_COCAINE, 1.0, CONCEAL_NONE, 16, r, &ac, &sc);
  assert_true(ac >= 0.9);
  rates(st, CONTRA_CANNABIS, 1.0, CONCEAL_NONE, 16, r, &ac, &sc);
  assert_true(ac <= 0.2);
  /* body concealment: the drug is not in the bag */
  rates(st, CONTRA_METH, 1.0, CONCEAL_BODY, 16, r, &ac, &sc);
  assert_true(ac <= 0.2);
  gsl_rng_free(r);
  kernel_ct_type.free(st);
}

/* Empty items, zero amounts, absurd masses, opaque gold: finite verdicts. */
static void test_ct_degenerate(void **state) {
  (void)state;
  void *st = make_kernel(0, "pixels", 64, "views", 60);
  gsl_rng *r = gsl_rng_alloc(gsl_rng_mt19937);
  item cases[6];
  memset(cases, 0, sizeof cases);                    /* 0: empty item, mass 0 */
  cases[1] = parcel(CONTRA_METH, 0.0, CONCEAL_NONE); /* contraband kind, no amount */
  cases[2] = parcel(CONTRA_GOLD, 50.0, CONCEAL_SHIELDED);
  cases[2].mass_kg = 1e5; /* saturated: every ray through the box is opaque */
  cases[3] = parcel(CONTRA_METH, NAN, CONCEAL_NONE);
  cases[3].mass_kg = NAN;
  cases[4] = parcel(CONTRA_FIREARM, 1e9, 99);          /* bad concealment code */
  cases[5] = parcel(CONTRA_N + 3, 1.0, CONCEAL_MIXED); /* unknown contraband code */
  for (int i = 0; i < 6; i++) {
    kernel_verdict v = {NAN, -1, NAN};
    assert_int_equal(kernel_ct_type.decide(st, &cases[i], r, &v), 0);
    assert_true(isfinite(v.score) && v.score >= 0);
    assert_true(v.alarm == 0 || v.alarm == 1);
    assert_true(isfinite(v.time_s));
  }
  gsl_rng_free(r);
  kernel_ct_type.free(st);
}

/* Surrogate mode (a coarse 32 x 32 slice keeps the calibration batch quick): the table's
 * verdicts keep the order clean < 1 kg loose methamphetamine. */
static void test_ct_surrogate(void **state) {
  (void)state;
  void *st = make_kernel(1, "pixels", 32, "views", 24);
  gsl_rng *r = gsl_rng_alloc(gsl_rng_mt19937);
  double a0, s0, a1, s1;
  rates(st, CONTRA_NONE, 0, CONCEAL_NONE, 200, r, &a0, &s0);
  rates(st, CONTRA_METH, 1.0, CONCEAL_NONE, 200, r, &a1, &s1);
  assert_true(a1 > a0 + 0.5 && s1 > s0);
  gsl_rng_free(r);
  kernel_ct_type.free(st);
  assert_non_null(kernel_ct_type.new);
}

/* The energies reconstructed on a helper thread give the images of one thread, bit for
 * bit, over runs in a row (the helper is reused) with and without smoothing. */
static void test_recon_threads_same(void **state) {
  (void)state;
  enum { N = 64, V = 60 };
  double *s0 = malloc(sizeof(double) * N * V), *s1 = malloc(sizeof(double) * N * V);
  double *img = malloc(sizeof(double) * N * N * 2);
  assert_non_null(s0), assert_non_null(s1), assert_non_null(img);
  ct_recon *r[2];
  sim_error err = {0};
  for (int t = 0; t < 2; t++) assert_int_equal(ct_recon_new(&r[t], N, V, 4, 0.5, t + 1, &err), 0);
  gsl_rng *g = gsl_rng_alloc(gsl_rng_mt19937);
  for (int run = 0; run < 6; run++) {
    for (int i = 0; i < N * V; i++) s0[i] = gsl_rng_uniform(g), s1[i] = 2 * gsl_rng_uniform(g);
    for (int t = 0; t < 2; t++) {
      assert_int_equal(ct_recon_run(r[t], s0, s1, run % 3), 0);
      if (!t) {
        memcpy(img, ct_recon_image(r[0], 0), sizeof(double) * N * N);
        memcpy(img + N * N, ct_recon_image(r[0], 1), sizeof(double) * N * N);
        continue;
      }
      assert_memory_equal(img, ct_recon_image(r[1], 0), sizeof(double) * N * N);
      assert_memory_equal(img + N * N, ct_recon_image(r[1], 1), sizeof(double) * N * N);
    }
  }
  gsl_rng_free(g);
  ct_recon_free(r[0]), ct_recon_free(r[1]);
  free(s0), free(s1), free(img);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_fbp_shepp_logan_rmse),
      cmocka_unit_test(test_fbp_filter_ordering),
      cmocka_unit_test(test_fbp_geometries),
      cmocka_unit_test(test_projection_exact),
      cmocka_unit_test(test_fbp_bad_args),
      cmocka_unit_test(test_materials),
      cmocka_unit_test(test_dect_decomposition),
      cmocka_unit_test(test_dect_bad_input),
      cmocka_unit_test(test_ct_detection_rises_with_mass),
      cmocka_unit_test(test_ct_degenerate),
      cmocka_unit_test(test_ct_surrogate),
      cmocka_unit_test(test_recon_threads_same),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
