/* xray_learn: the X-ray kernel's classifier: logistic regression by Newton's method
 * with a ridge, the two-stage fit (regions, then items), and training on synthetic
 * items drawn at create time. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "models/kernels/xray_internal.h"
#include "sim/error.h"

/* Solves a x = b for a symmetric positive definite d x d (Cholesky, in place). */
static int chol_solve(double *a, double *b, int d) {
  for (int j = 0; j < d; j++) {
    for (int i = j; i < d; i++) {
      double s = a[i * d + j];
      for (int k = 0; k < j; k++) s -= a[i * d + k] * a[j * d + k];
      if (i == j && !(s > 0)) return -1;
      a[i * d + j] = i == j ? sqrt(s) : s / a[j * d + j];
    }
  }
  for (int i = 0; i < d; i++) {
    for (int k = 0; k < i; k++) b[i] -= a[i * d + k] * b[k];
    b[i] /= a[i * d + i];
  }
  for (int i = d; i-- > 0;) {
    for (int k = i + 1; k < d; k++) b[i] -= a[k * d + i] * b[k];
    b[i] /= a[i * d + i];
  }
  return 0;
}

/* Logistic regression on rows with y 0 or 1 (stride NFEAT, first d features used), by
 * Newton's method (IRLS) with a unit ridge on standardized features, which also keeps
 * separable data finite. */
static void logit_fit(logit *m, const double *x, const int *y, size_t n, int d) {
  enum { D = NFEAT + 1 };
  size_t k = 0;
  for (int i = 0; i < d; i++) {
    double s = 0, s2 = 0;
    for (size_t r = k = 0; r < n; r++)
      if (y[r] == 0 || y[r] == 1) s += x[r * NFEAT + i], s2 += xray_sq(x[r * NFEAT + i]), k++;
    m->mu[i] = k ? s / k : 0;
    double v = k ? s2 / k - xray_sq(m->mu[i]) : 0;
    m->sd[i] = v > 1e-12 ? sqrt(v) : 1;
  }
  memset(m->beta, 0, sizeof m->beta);
  for (int it = 0; it < 40; it++) {
    double a[D * D] = {0}, g[D], z[D], step = 0;
    for (int i = 0; i <= d; i++) g[i] = i ? -m->beta[i] : 0, a[i * (d + 1) + i] = i ? 1 : 1e-9;
    for (size_t r = 0; r < n; r++) {
      if (y[r] != 0 && y[r] != 1) continue;
      z[0] = 1;
      for (int i = 0; i < d; i++) z[i + 1] = (x[r * NFEAT + i] - m->mu[i]) / m->sd[i];
      double pr = 1 / (1 + exp(-xray_logit_eta(m, x + r * NFEAT, d))), w = pr * (1 - pr);
      for (int i = 0; i <= d; i++) {
        g[i] += (y[r] - pr) * z[i];
        for (int j = 0; j <= i; j++) a[i * (d + 1) + j] += w * z[i] * z[j];
      }
    }
    for (int i = 0; i <= d; i++)
      for (int j = i + 1; j <= d; j++) a[i * (d + 1) + j] = a[j * (d + 1) + i];
    if (chol_solve(a, g, d + 1)) break;
    for (int i = 0; i <= d; i++) m->beta[i] += g[i], step = fmax(step, fabs(g[i]));
    if (step < 1e-7) break;
  }
}

/* Two stages: the region model on labelled regions (flat if there are too few, as when
 * the flux is too low to see anything), then the item calibration on each training
 * item's features (half the items carry a drug, so the score is the probability of a
 * drug at even prior odds). */
static int fit(phys *p, const train_set *t) {
  size_t ni = 0, npos = 0, nneg = 0;
  for (size_t k = 0; k < t->n; k++)
    ni += t->y[k] >= 4, npos += t->y[k] == 1, nneg += t->y[k] == 0;
  if (ni < 10) return SIM_ERUN;
  for (int i = 0; i < NFEAT; i++) p->reg.sd[i] = 1; /* too few regions: a flat model */
  if (npos >= 5 && nneg >= 5) logit_fit(&p->reg, t->x, t->y, t->n, NFEAT);
  double *ex = calloc(ni * NFEAT, sizeof *ex);
  int *ey = malloc(ni * sizeof *ey);
  if (!ex || !ey) return free(ex), free(ey), SIM_ENOMEM;
  double eta = -10;
  for (size_t k = 0, i = 0; k < t->n; k++) {
    if (t->y[k] < 4) {
      eta = fmax(eta, xray_logit_eta(&p->reg, t->x + k * NFEAT, NFEAT));
      continue;
    }
    memcpy(ex + i * NFEAT, t->x + k * NFEAT, NIF * sizeof *ex);
    ex[i * NFEAT] = eta, ey[i++] = t->y[k] - 4, eta = -10;
  }
  logit_fit(&p->cal, ex, ey, ni, NIF);
  free(ex), free(ey);
  return 0;
}

/* Trains a scale's models on synthetic items: half clean, half with a drug (meth,
 * cocaine, heroin in turn), amounts log-uniform over the kind's range. */
int xray_train(xray *x, int scale, uint64_t seed, char *err, size_t el) {
  static const uint8_t kinds[2][4] = {
      {KIND_EXPRESS, KIND_MAIL, KIND_PASSENGERS_IN, KIND_AIR_CARGO}, {KIND_SEA_CONTAINERS}};
  gsl_rng *r = gsl_rng_alloc(gsl_rng_mt19937);
  train_set ts = {0};
  int rc = r ? 0 : SIM_ENOMEM;
  if (r) gsl_rng_set(r, (unsigned long)(seed * 2654435761u + 17u * (unsigned)scale + 1));
  for (int i = 0; !rc && i < (int)x->prm[P_TRAIN]; i++) {
    item it = {0};
    it.kind = kinds[scale][scale ? 0 : i / 2 % 4];
    const geom *g = xray_geom(it.kind);
    if (i & 1) {
      double u = gsl_rng_uniform(r);
      it.truth.contraband = (uint8_t)(CONTRA_METH + i / 8 % 3);
      it.truth.contraband_kg = g->kg[0] * pow(g->kg[1] / g->kg[0], gsl_rng_uniform(r));
      it.truth.concealment = u < 0.4 ? CONCEAL_NONE : u < 0.7 ? CONCEAL_MIXED : CONCEAL_SHIELDED;
    }
    it.mass_kg = surrogate_mass_kg(it.kind, r) + it.truth.contraband_kg;
    xray_scan(x, &it, r, &ts, &rc);
    if (!rc) ts.y[ts.n - 1] += i & 1;
  }
  if (!rc) rc = fit(&x->ph[scale], &ts);
  if (rc) snprintf(err, el, "xray: training the classifier failed (%d)", rc);
  free(ts.x), free(ts.y), gsl_rng_free(r);
  return rc;
}
