/* bench_nqr: `customs-bench kernel nqr`. Time per scan of the kernel (synthesis of the
 * default 512-sample echo train plus detection), and the matched filter's simulated Pd and
 * Pfa against theory: Pfa = exp(-threshold), Pd = Q1(sqrt(2 SNR), sqrt(2 threshold)). */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include <gsl/gsl_rng.h>

#include "models/kernels/nqr.h"
#include "tests/bench/bench.h"

int bench_kernel_nqr(void);

static double us_per_scan(gsl_rng *r) {
  const kernel_type *t = &kernel_nqr_type;
  double p[64];
  for (size_t i = 0; i < t->nparams; i++) p[i] = t->params[i].def;
  kernel_opts o = {0, 1, NULL};
  sim_error err = {0};
  void *st;
  if (t->new(&st, p, &o, &err)) {
    fprintf(stderr, "bench nqr: %s\n", err.msg);
    return NAN;
  }
  item it;
  memset(&it, 0, sizeof it);
  it.kind = KIND_PASSENGERS_IN;
  it.truth.contraband = CONTRA_METH, it.truth.contraband_kg = 0.3;
  it.truth.concealment = CONCEAL_BODY;
  enum { N = 20000 };
  kernel_verdict v;
  double t0 = bench_now();
  for (int i = 0; i < N; i++) t->decide(st, &it, r, &v);
  double us = 1e6 * (bench_now() - t0) / N;
  t->free(st);
  return us;
}

int bench_kernel_nqr(void) {
  gsl_rng *r = gsl_rng_alloc(gsl_rng_mt19937);
  nqr_train tr;
  nqr_train_default(&tr);
  nqr *q;
  sim_error err = {0};
  if (!r || nqr_new(&q, &tr, &err)) {
    fprintf(stderr, "bench nqr: %s\n", err.msg);
    gsl_rng_free(r);
    return 1;
  }
  double us = us_per_scan(r);
  enum { N = 20000 };
  const double thr = 4.6; /* Pfa about 0.01 */
  static const double snr[] = {0, 1, 2, 4, 6, 8, 12, 16};
  double pd_err = 0, pfa_err = NAN;
  printf("NQR matched filter, %zu complex samples, threshold %.2f, %d scans per SNR\n",
         nqr_samples(q), thr, N);
  printf("  %6s %10s %10s %10s\n", "SNR", "simulated", "theory", "|error|");
  for (size_t k = 0; k < sizeof snr / sizeof snr[0]; k++) {
    int hit = 0;
    for (int i = 0; i < N; i++) hit += nqr_scan(q, snr[k], 0, 0, r) > thr;
    double sim = (double)hit / N, th = nqr_pd_theory(snr[k], thr), e = fabs(sim - th);
    printf("  %6.1f %10.5f %10.5f %10.5f\n", snr[k], sim, th, e);
    if (snr[k] == 0)
      pfa_err = e;
    else if (e > pd_err)
      pd_err = e;
  }
  printf("  (99%% binomial half-width at p = 0.5: %.4f)\n", 2.576 * sqrt(0.25 / N));
  printf("  kernel scan (synthesis + detection): %.2f us\n", us);
  printf("nqr_us_per_scan=%.3f\n", us);
  printf("nqr_pd_max_abs_err=%.5f\n", pd_err);
  printf("nqr_pfa_abs_err=%.5f\n", pfa_err);
  nqr_free(q);
  gsl_rng_free(r);
  return 0;
}
