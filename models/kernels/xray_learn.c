/* xray_learn: the X-ray kernel's classifier (see xray_model in xray_internal.h):
 * logistic regression by Newton's method with a ridge, the region models fitted on
 * synthetic items drawn at create time, and the operating points set on a separate
 * batch of clean reference items.
 *
 * Why this shape (measured over training seeds, meth 1 kg loose in express parcels,
 * at the default threshold): one region model fitted on every drug, amount and
 * concealment gave Pd 0.23 to 0.69 and Pfa 3.6% to 10.6% across five seeds. Three
 * causes: heroin reads as an ordinary organic (Z_eff 6.4, outside the window), so its
 * regions taught the model that organics are drug-like; a drug under a metal shield, or
 * under a cover, reads unlike a loose one, so one linear model fitted a blur of both;
 * and the alarm threshold sat on a probability whose calibration moved with each fit.
 * So the region models learn only drugs that read inside the window (the library),
 * one for loose drugs and one for drugs under a cover (shielded drugs are not used as
 * positives: they lowered Pd on both), and the score is a rank among clean reference
 * items, which fixes the false-alarm rate of each kind group at about 1 - threshold. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "models/kernels/kdraw.h"
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

typedef double xl_v4d __attribute__((vector_size(32)));

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
    /* the lower triangle is summed in rows of S, four at a time: the lanes past the
     * diagonal sum into the upper triangle, which is then set from the lower one */
    enum { S = (D + 3) / 4 * 4 };
    double a[D * D], p[D * S] = {0}, g[D], z[S] = {0}, step = 0;
    for (int i = 0; i <= d; i++) g[i] = i ? -m->beta[i] : 0, p[i * S + i] = i ? 1 : 1e-9;
    for (size_t r = 0; r < n; r++) {
      if (y[r] != 0 && y[r] != 1) continue;
      z[0] = 1;
      for (int i = 0; i < d; i++) z[i + 1] = (x[r * NFEAT + i] - m->mu[i]) / m->sd[i];
      double pr = 1 / (1 + exp(-xray_logit_eta(m, x + r * NFEAT, d))), w = pr * (1 - pr);
      for (int i = 0; i <= d; i++) {
        g[i] += (y[r] - pr) * z[i];
        double wz = w * z[i], *row = p + i * S;
        for (int j = 0; j <= i; j += 4) { /* four at a time: the same operations */
          xl_v4d av, zv;
          memcpy(&av, row + j, sizeof av), memcpy(&zv, z + j, sizeof zv);
          av += wz * zv;
          memcpy(row + j, &av, sizeof av);
        }
      }
    }
    for (int i = 0; i <= d; i++)
      for (int j = 0; j <= d; j++) a[i * (d + 1) + j] = j <= i ? p[i * S + j] : p[j * S + i];
    if (chol_solve(a, g, d + 1)) break;
    for (int i = 0; i <= d; i++) m->beta[i] += g[i], step = fmax(step, fabs(g[i]));
    if (step < 1e-7) break;
  }
}

/* The drugs to train on: those whose reading falls in the window (the library), or all
 * three if none does. */
static int train_drugs(const phys *p, uint8_t *c) {
  int n = 0;
  for (int k = 0; k < p->nlib; k++) c[n++] = p->libc[k];
  if (!n) c[n++] = CONTRA_METH, c[n++] = CONTRA_COCAINE, c[n++] = CONTRA_HEROIN;
  return n;
}

/* Region model k on the negatives (0) and its own positives (1: loose, 3: under a
 * cover); with fewer than 5 of either it stays flat (every region alike). */
static int fit_regions(xray_model *m, const train_set *t) {
  int *y = malloc((t->n ? t->n : 1) * sizeof *y);
  if (!y) return SIM_ENOMEM;
  for (int k = 0; k < NREG; k++) {
    size_t npos = 0, nneg = 0;
    for (size_t i = 0; i < t->n; i++) {
      y[i] = t->y[i] == 0 ? 0 : t->y[i] == (k ? 3 : 1) ? 1 : 2;
      npos += y[i] == 1, nneg += y[i] == 0;
    }
    logit *l = &m->reg[k];
    memset(l, 0, sizeof *l);
    for (int i = 0; i < NFEAT; i++) l->sd[i] = 1;
    if (npos >= 5 && nneg >= 5) logit_fit(l, t->x, y, t->n, NFEAT);
  }
  free(y);
  return 0;
}

static int cmp_double(const void *a, const void *b) {
  double u = *(const double *)a, v = *(const double *)b;
  return (u > v) - (u < v);
}

/* The share of the n sorted values v below x. */
static double share_below(const double *v, int n, double x) {
  int lo = 0, hi = n;
  while (lo < hi) {
    int mid = lo + (hi - lo) / 2;
    if (v[mid] < x) lo = mid + 1;
    else hi = mid;
  }
  return n ? (double)lo / n : 0;
}

static double statistic(const xray_model *m, const double *e) {
  double c = 0;
  for (int k = 0; k < NREG; k++) c = fmax(c, share_below(m->ref[k], m->nref, e[k]));
  return c;
}

double xray_model_score(const xray_model *m, int group, const double *e) {
  if (!m->nref || !m->nkref) return 0;
  return share_below(m->kref[group >= 0 && group < m->ngroups ? group : 0], m->nkref,
                     statistic(m, e));
}

/* The kinds a scale trains on; their kind groups are 0 .. n - 1 in this order. */
static int scale_kinds(int scale, const uint8_t **k) {
  static const uint8_t kinds[2][NKG] = {
      {KIND_EXPRESS, KIND_MAIL, KIND_PASSENGERS_IN, KIND_AIR_CARGO}, {KIND_SEA_CONTAINERS}};
  *k = kinds[scale];
  return scale ? 1 : NKG;
}

/* The operating points: nkref fresh clean items of each kind; their largest logits
 * give the per-scale references, then their statistics the per-group ones. */
static int references(xray *x, int scale, gsl_rng *r) {
  xray_model *m = &x->ph[scale].cls;
  const uint8_t *kinds;
  int nk = scale_kinds(scale, &kinds), n = m->nkref, rc = 0;
  double *e = malloc((size_t)nk * n * NREG * sizeof *e);
  if (!e) return SIM_ENOMEM;
  for (int g = 0; g < nk && !rc; g++)
    for (int i = 0; i < n && !rc; i++) {
      item it = {0};
      it.kind = kinds[g];
      it.mass_kg = surrogate_mass_kg(it.kind, r);
      xray_scan(x, &it, r, NULL, e + ((size_t)g * n + i) * NREG, &rc);
    }
  for (int k = 0; k < NREG && !rc; k++) {
    for (int i = 0; i < nk * n; i++) m->ref[k][i] = e[(size_t)i * NREG + k];
    qsort(m->ref[k], (size_t)m->nref, sizeof *m->ref[k], cmp_double);
  }
  for (int g = 0; g < nk && !rc; g++) {
    for (int i = 0; i < n; i++) m->kref[g][i] = statistic(m, e + ((size_t)g * n + i) * NREG);
    qsort(m->kref[g], (size_t)n, sizeof *m->kref[g], cmp_double);
  }
  free(e);
  return rc;
}

/* Trains a scale on train_items / 4 items per kind (parcels: express, mail, bags, air
 * cargo in turn; containers), half clean and half with a library drug (in turn), loose
 * or under a cover (even odds), amounts log-uniform over the kind's range; then sets
 * the operating points on as many fresh clean reference items per kind. */
int xray_train(xray *x, int scale, uint64_t seed, sim_error *err) {
  phys *p = &x->ph[scale];
  const uint8_t *kinds;
  uint8_t drugs[3];
  int nk = scale_kinds(scale, &kinds), nd = train_drugs(p, drugs);
  gsl_rng *r = gsl_rng_alloc(kdraw_mt19937); /* gsl_rng_mt19937's sequence */
  train_set ts = {0};
  int rc = r ? 0 : SIM_ENOMEM;
  if (r) gsl_rng_set(r, (unsigned long)(seed * 2654435761u + 17u * (unsigned)scale + 1));
  int n = nk * (int)fmax(1, x->prm[P_TRAIN] / 4);
  for (int i = 0; !rc && i < n; i++) {
    item it = {0};
    int j = i / 2;
    it.kind = kinds[j % nk];
    const geom *g = xray_geom(it.kind);
    if (i & 1) {
      it.truth.contraband = drugs[j / nk % nd];
      it.truth.contraband_kg = g->kg[0] * pow(g->kg[1] / g->kg[0], gsl_rng_uniform(r));
      it.truth.concealment = gsl_rng_uniform(r) < 0.5 ? CONCEAL_NONE : CONCEAL_MIXED;
    }
    it.mass_kg = surrogate_mass_kg(it.kind, r) + it.truth.contraband_kg;
    size_t n0 = ts.n;
    xray_scan(x, &it, r, &ts, NULL, &rc);
    for (size_t k = n0; k < ts.n; k++) /* positives of a covered drug: the second model */
      if (ts.y[k] == 1 && it.truth.concealment == CONCEAL_MIXED) ts.y[k] = 3;
  }
  if (!rc) rc = fit_regions(&p->cls, &ts);
  if (!rc) rc = references(x, scale, r);
  if (rc) sim_error_set(err, rc, "xray: training the classifier failed (%d)", rc);
  free(ts.x), free(ts.y), gsl_rng_free(r);
  return rc;
}

int xray_model_alloc(xray_model *m, int ngroups, int nref, int nkref) {
  m->ngroups = ngroups, m->nref = nref, m->nkref = nkref;
  int ok = 1;
  for (int k = 0; k < NREG; k++) ok &= (m->ref[k] = calloc((size_t)nref, sizeof *m->ref[k])) != 0;
  for (int g = 0; g < ngroups; g++)
    ok &= (m->kref[g] = calloc((size_t)nkref, sizeof *m->kref[g])) != 0;
  return ok ? 0 : SIM_ENOMEM;
}

void xray_model_free(xray_model *m) {
  for (int k = 0; k < NREG; k++) free(m->ref[k]), m->ref[k] = NULL;
  for (int g = 0; g < NKG; g++) free(m->kref[g]), m->kref[g] = NULL;
}

size_t xray_model_size(const xray_model *m) {
  return NREG * (3 * NFEAT + 1) + NREG * (size_t)m->nref + (size_t)m->ngroups * m->nkref;
}

static double *io(double *v, double *a, size_t n, int load) {
  memcpy(load ? a : v, load ? v : a, n * sizeof *v);
  return v + n;
}

/* Checks values loaded from a cache: finite models with positive scales, references
 * sorted (e may be -HUGE_VAL: no candidate region), statistics in [0, 1]. */
int xray_model_valid(const xray_model *m) {
  for (int k = 0; k < NREG; k++) {
    const logit *l = &m->reg[k];
    for (int i = 0; i < NFEAT; i++)
      if (!isfinite(l->mu[i]) || !(l->sd[i] > 0) || !isfinite(l->sd[i])) return 0;
    for (int i = 0; i <= NFEAT; i++)
      if (!isfinite(l->beta[i])) return 0;
    for (int i = 0; i < m->nref; i++)
      if (isnan(m->ref[k][i]) || m->ref[k][i] == HUGE_VAL || (i && m->ref[k][i] < m->ref[k][i - 1]))
        return 0;
  }
  for (int g = 0; g < m->ngroups; g++)
    for (int i = 0; i < m->nkref; i++)
      if (!(m->kref[g][i] >= 0 && m->kref[g][i] <= 1) || (i && m->kref[g][i] < m->kref[g][i - 1]))
        return 0;
  return 1;
}

void xray_model_io(xray_model *m, double *v, int load) {
  for (int k = 0; k < NREG; k++) {
    logit *l = &m->reg[k];
    v = io(v, l->mu, NFEAT, load), v = io(v, l->sd, NFEAT, load);
    v = io(v, l->beta, NFEAT + 1, load);
  }
  for (int k = 0; k < NREG; k++) v = io(v, m->ref[k], (size_t)m->nref, load);
  for (int g = 0; g < m->ngroups; g++) v = io(v, m->kref[g], (size_t)m->nkref, load);
}
