/* bench_ct: `customs-bench kernel ct`. The FBP anchor (modified Shepp-Logan, 256 x 256,
 * 180 parallel views over 180 degrees, exact analytic projections; scikit-image's iradon
 * with the ramp filter: RMSE about 0.034 in the 0.45 N disk in about 100 ms): time per
 * slice for filtering plus back projection with the FFTW plans made once, RMSE per
 * filter; then the parcel kernel's time per item. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>

#include <gsl/gsl_rng.h>

#include "models/kernels/ct.h"
#include "tests/bench/bench.h"

int bench_kernel_ct(void);

/* Mean ms per reconstruction of sino into rec over at least min_s seconds. */
static double time_fbp(ct_fbp *f, const double *sino, double *rec, double min_s) {
  ct_fbp_run(f, sino, rec); /* warm caches */
  int reps = 0;
  double t0 = bench_now(), t;
  do {
    for (int i = 0; i < 20; i++) ct_fbp_run(f, sino, rec);
    reps += 20;
    t = bench_now() - t0;
  } while (t < min_s);
  return 1e3 * t / reps;
}

static int bench_slices(double *ms_out, double *rmse_out) {
  enum { N = 256, V = 180 };
  size_t ne;
  const ct_ellipse *e = ct_shepp_logan(&ne);
  double *truth = malloc(sizeof(double) * N * N), *rec = malloc(sizeof(double) * N * N);
  double *sino = malloc(sizeof(double) * N * V);
  if (!truth || !rec || !sino) {
    free(truth), free(rec), free(sino);
    return 1;
  }
  ct_ellipses_raster(e, ne, N, 4, truth);
  ct_ellipses_project(e, ne, N, V, 1, sino);
  printf("CT filtered back projection: Shepp-Logan %dx%d, %d views, exact projections\n", N, N, V);
  printf("  %-12s %10s %10s\n", "filter", "ms/slice", "RMSE");
  int rc = 0;
  for (int fl = 0; fl < CT_FILTER_N && !rc; fl++) {
    ct_fbp *f;
    sim_error err = {0};
    if ((rc = ct_fbp_new(&f, N, V, fl, &err))) {
      fprintf(stderr, "bench ct: %s\n", err.msg);
      break;
    }
    double ms = time_fbp(f, sino, rec, fl == CT_FILTER_RAMP ? 2.0 : 0.3);
    double rmse = ct_rmse_disk(rec, truth, N, 0.45 * N);
    printf("  %-12s %10.3f %10.4f\n", ct_filter_name(fl), ms, rmse);
    if (fl == CT_FILTER_RAMP) *ms_out = ms, *rmse_out = rmse;
    ct_fbp_free(f);
  }
  /* the same ramp image against a phantom sampled at pixel centres (no partial pixels):
   * the edges then count fully; shown for transparency */
  ct_fbp *f;
  if (!rc && !ct_fbp_new(&f, N, V, CT_FILTER_RAMP, NULL)) {
    ct_ellipses_raster(e, ne, N, 1, truth);
    ct_fbp_run(f, sino, rec);
    printf("  ramp vs centre-sampled phantom: RMSE %.4f\n", ct_rmse_disk(rec, truth, N, 0.45 * N));
    ct_fbp_free(f);
  }
  free(truth), free(rec), free(sino);
  return rc;
}

/* The kernel on a mix of parcels: clean, and methamphetamine of 10 g to 1 kg. */
static int bench_items(double *ms_item) {
  const kernel_type *t = &kernel_ct_type;
  double p[64];
  for (size_t i = 0; i < t->nparams; i++) p[i] = t->params[i].def;
  kernel_opts o = {0, 1, NULL};
  sim_error err = {0};
  void *st;
  if (t->new(&st, p, &o, &err)) {
    fprintf(stderr, "bench ct: %s\n", err.msg);
    return 1;
  }
  gsl_rng *r = gsl_rng_alloc(gsl_rng_mt19937);
  enum { NITEMS = 300 };
  int alarms = 0;
  double t0 = bench_now();
  for (int i = 0; i < NITEMS; i++) {
    item it = {0};
    it.kind = KIND_EXPRESS;
    it.mass_kg = 1.0 + 3.0 * gsl_rng_uniform(r);
    if (i % 2) {
      it.truth.contraband = CONTRA_METH;
      it.truth.contraband_kg = 0.01 * pow(100.0, gsl_rng_uniform(r));
    }
    kernel_verdict v;
    t->decide(st, &it, r, &v);
    alarms += v.alarm;
  }
  *ms_item = 1e3 * (bench_now() - t0) / NITEMS;
  printf("CT parcel kernel: %d px, %d views, two energies: %.3f ms per item (%d of %d alarm)\n",
         (int)p[0], (int)p[1], *ms_item, alarms, NITEMS);
  gsl_rng_free(r);
  t->free(st);
  return 0;
}

int bench_kernel_ct(void) {
  double ms = NAN, rmse = NAN, ms_item = NAN;
  int rc = bench_slices(&ms, &rmse);
  if (!rc) rc = bench_items(&ms_item);
  if (rc) return 1;
  printf("ct_ms_per_slice=%.4f\n", ms);
  printf("ct_rmse=%.5f\n", rmse);
  printf("ct_speedup_vs_100ms=%.1f\n", 100.0 / ms);
  printf("ct_ms_per_item=%.4f\n", ms_item);
  return 0;
}
