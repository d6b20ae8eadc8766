/* logreg: online hashed logistic layer (see logreg.h). */
#include "models/kernels/logreg.h"

#include <math.h>
#include <stdlib.h>

struct logreg {
  uint64_t mask, updates;
  double lr, l2;
  double w0, b, g0, gb; /* base weight, bias and their squared-gradient sums */
  float *w, *gsq;       /* hashed weights and their squared-gradient sums */
};

logreg *logreg_new(int bits, double lr, double l2, sim_error *err) {
  if (bits < 8 || bits > 24 || !(lr > 0) || !(l2 >= 0)) {
    sim_error_set(err, SIM_EINVAL, "logreg: bits %d, lr %g or l2 %g out of range", bits, lr, l2);
    return NULL;
  }
  logreg *l = calloc(1, sizeof *l);
  size_t n = (size_t)1 << bits;
  if (l) l->w = calloc(n, sizeof *l->w), l->gsq = calloc(n, sizeof *l->gsq);
  if (!l || !l->w || !l->gsq) {
    logreg_free(l);
    sim_error_set(err, SIM_ENOMEM, "logreg: out of memory");
    return NULL;
  }
  l->mask = n - 1, l->lr = lr, l->l2 = l2, l->w0 = 1.0;
  return l;
}

void logreg_free(logreg *l) {
  if (!l) return;
  free(l->w), free(l->gsq);
  free(l);
}

double logreg_margin(const logreg *l, double base, const uint64_t *keys, int nkeys) {
  double z = l->w0 * base + l->b;
  for (int k = 0; k < nkeys; k++) z += l->w[keys[k] & l->mask];
  return z;
}

void logreg_prefetch(const logreg *l, const uint64_t *keys, int nkeys) {
  for (int k = 0; k < nkeys; k++) __builtin_prefetch(&l->w[keys[k] & l->mask]);
}

/* AdaGrad: a weight's step shrinks as its gradients add up, so rare keys move
 * fast and frequent ones settle. */
static double logreg_step(double lr, double grad, double *gsq) {
  *gsq += grad * grad;
  return lr * grad / sqrt(1.0 + *gsq);
}

void logreg_update(logreg *l, double base, const uint64_t *keys, int nkeys, int y) {
  double z = logreg_margin(l, base, keys, nkeys);
  double p = 1.0 / (1.0 + exp(-z)), err = p - (y != 0);
  l->w0 -= logreg_step(l->lr * 0.1, err * base + l->l2 * (l->w0 - 1.0), &l->g0);
  l->b -= logreg_step(l->lr, err + l->l2 * l->b, &l->gb);
  for (int k = 0; k < nkeys; k++) {
    uint64_t j = keys[k] & l->mask;
    double gs = l->gsq[j], g = err + l->l2 * l->w[j];
    l->w[j] -= (float)logreg_step(l->lr, g, &gs);
    l->gsq[j] = (float)gs;
  }
  l->updates++;
}

uint64_t logreg_updates(const logreg *l) { return l->updates; }
