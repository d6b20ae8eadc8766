/* bench_xray: the dual-energy X-ray kernel (`customs-bench kernel xray`): set-up time,
 * time per item (image synthesis + detection), Z_eff calibration error over reference
 * materials, detection and false-alarm rates, the surrogate table's build time and
 * AUC, and a create that loads everything from the calibration cache (in a temporary
 * directory, removed after). Prints a table, then every figure as name=value. */
#include <dirent.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <gsl/gsl_rng.h>

#include "models/kernels/surrogate.h"
#include "models/kernels/xray.h"
#include "tests/bench/bench.h"

int bench_kernel_xray(void);

typedef struct figure {
  const char *name, *label, *unit;
  double value;
} figure;

static item bench_item(int kind, int contra, double kg, gsl_rng *r) {
  item it;
  memset(&it, 0, sizeof it);
  it.kind = (uint8_t)kind;
  it.mass_kg = surrogate_mass_kg(kind, r) + kg;
  it.truth.contraband = (uint8_t)contra;
  it.truth.contraband_kg = kg;
  return it;
}

/* Microseconds per item of kind (fresh item each time), over n items. */
static double us_per_item(xray *x, int kind, int n, gsl_rng *r) {
  double t = 0;
  for (int i = 0; i < n; i++) {
    item it = bench_item(kind, CONTRA_NONE, 0, r);
    kernel_verdict v;
    double t0 = bench_now();
    xray_decide(x, &it, r, &v);
    t += bench_now() - t0;
  }
  return 1e6 * t / n;
}

static double rate(xray *x, int kind, int contra, double kg, int n, gsl_rng *r) {
  int a = 0;
  for (int i = 0; i < n; i++) {
    item it = bench_item(kind, contra, kg, r);
    kernel_verdict v;
    xray_decide(x, &it, r, &v);
    a += v.alarm;
  }
  return (double)a / n;
}

/* Largest relative error of Z_eff against the power-law reference, parcel scale. */
static double zeff_max_err(const xray *x, gsl_rng *r) {
  static const char *const f[] = {"C2H4", "H2O", "C6H10O5", "C12H22O11", "C10H16ClN",
                                  "C17H22ClNO4", "Al", "CaCO3", "Ca", "Fe"};
  double worst = 0;
  for (size_t i = 0; i < sizeof f / sizeof *f; i++)
    for (double g = 1; g <= 8; g *= 2) {
      xray_reading rd;
      if (xray_slab(x, XRAY_SCALE_PARCEL, f[i], g, r, &rd)) return NAN;
      double ref = xray_zeff_formula(f[i]);
      worst = fmax(worst, fabs(rd.zeff - ref) / ref);
    }
  return worst;
}

/* Seconds for a surrogate-mode create that finds its table in the cache: one create
 * fills a temporary cache, the timed one loads it. NAN if that fails. */
static double cached_create_s(void) {
  char dir[] = "/tmp/customs-bench-cache.XXXXXX";
  sim_error err = {0};
  if (!mkdtemp(dir)) return NAN;
  kernel_opts o = {1, 1, dir};
  void *st = NULL;
  double t = NAN;
  if (!kernel_xray_type.new(&st, NULL, &o, &err)) {
    kernel_xray_type.free(st);
    double t0 = bench_now();
    if (!kernel_xray_type.new(&st, NULL, &o, &err)) {
      t = bench_now() - t0;
      kernel_xray_type.free(st);
    }
  }
  DIR *d = opendir(dir);
  for (struct dirent *e; d && (e = readdir(d));) {
    char p[sizeof dir + 300];
    if (e->d_name[0] == '.') continue;
    snprintf(p, sizeof p, "%s/%s", dir, e->d_name);
    unlink(p);
  }
  if (d) closedir(d);
  rmdir(dir);
  return t;
}

int bench_kernel_xray(void) {
  gsl_rng *r = gsl_rng_alloc(gsl_rng_mt19937);
  sim_error err = {0};
  xray *x = NULL;
  double t0 = bench_now();
  if (!r || xray_new(&x, NULL, 1, &err)) {
    fprintf(stderr, "bench xray: %s\n", err.msg);
    gsl_rng_free(r);
    return 1;
  }
  figure fig[] = {
      {"xray_create_s", "set-up (tables, calibration, training)", "s", bench_now() - t0},
      {"xray_us_per_item", "express parcel, 128x128 x 2 energies", "us", 0},
      {"xray_us_per_container", "sea container, 128x128 x 2 energies", "us", 0},
      {"xray_zeff_max_rel_err", "Z_eff error, 10 reference materials", "", 0},
      {"xray_pd_meth_1kg", "Pd meth 1 kg loose, express", "", 0},
      {"xray_pd_meth_4kg", "Pd meth 4 kg loose, express", "", 0},
      {"xray_pd_cocaine_1kg", "Pd cocaine 1 kg loose, express", "", 0},
      {"xray_pd_heroin_1kg", "Pd heroin 1 kg loose, express", "", 0},
      {"xray_pfa", "Pfa clean express", "", 0},
      {"xray_pfa_bags", "Pfa clean checked bags", "", 0},
      {"xray_surrogate_build_s", "surrogate table build", "s", 0},
      {"xray_surrogate_items", "surrogate calibration items", "", 0},
      {"xray_auc_meth_express", "AUC meth vs clean, express (table)", "", 0},
      {"xray_create_cached_s", "surrogate-mode create from the cache", "s", 0},
  };
  fig[1].value = us_per_item(x, KIND_EXPRESS, 2000, r);
  fig[2].value = us_per_item(x, KIND_SEA_CONTAINERS, 300, r);
  fig[3].value = zeff_max_err(x, r);
  fig[4].value = rate(x, KIND_EXPRESS, CONTRA_METH, 1, 400, r);
  fig[5].value = rate(x, KIND_EXPRESS, CONTRA_METH, 4, 400, r);
  fig[6].value = rate(x, KIND_EXPRESS, CONTRA_COCAINE, 1, 400, r);
  fig[7].value = rate(x, KIND_EXPRESS, CONTRA_HEROIN, 1, 400, r);
  fig[8].value = rate(x, KIND_EXPRESS, CONTRA_NONE, 0, 1000, r);
  fig[9].value = rate(x, KIND_PASSENGERS_IN, CONTRA_NONE, 0, 1000, r);
  xray_free(x);

  kernel_opts o = {1, 1, NULL};
  void *st = NULL;
  t0 = bench_now();
  int rc = kernel_xray_type.new(&st, NULL, &o, &err);
  fig[10].value = bench_now() - t0 - fig[0].value; /* the table, without the set-up */
  if (rc) {
    fprintf(stderr, "bench xray: surrogate: %s\n", err.msg);
    gsl_rng_free(r);
    return 1;
  }
  const surrogate *s = xray_surrogate(st);
  fig[11].value = (double)surrogate_items(s);
  fig[12].value = surrogate_auc(s, KIND_EXPRESS, CONTRA_METH);
  kernel_xray_type.free(st);
  gsl_rng_free(r);
  fig[13].value = cached_create_s();

  size_t n = sizeof fig / sizeof *fig;
  printf("xray kernel (defaults: 160 kVp parcels, 800 kVp containers)\n");
  for (size_t i = 0; i < n; i++)
    printf("  %-42s %12.4g %s\n", fig[i].label, fig[i].value, fig[i].unit);
  for (size_t i = 0; i < n; i++) printf("%s=%.6g\n", fig[i].name, fig[i].value);
  return 0;
}
