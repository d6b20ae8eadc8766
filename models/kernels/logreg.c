/* logreg: online hashed logistic layer (see logreg.h). */
#include "models/kernels/logreg.h"

#include <math.h>
#include <stdlib.h>

/* The 2^bits hashed weights are kept sparse: only the slots an update touched exist
 * (an open-addressing table from slot index to weight and squared-gradient sum); the
 * others read as 0, as in the full array. Memory follows the identities that received
 * labels, not 2^bits. */
typedef struct lr_cell {
  uint32_t slot; /* index + 1 (0: empty) */
  float w, gsq;
} lr_cell;

struct logreg {
  uint64_t mask, updates;
  double lr, l2;
  double w0, b, g0, gb; /* base weight, bias and their squared-gradient sums */
  lr_cell *c;
  size_t cmask, used;
};

logreg *logreg_new(int bits, double lr, double l2, sim_error *err) {
  if (bits < 8 || bits > 24 || !(lr > 0) || !(l2 >= 0)) {
    sim_error_set(err, SIM_EINVAL, "logreg: bits %d, lr %g or l2 %g out of range", bits, lr, l2);
    return NULL;
  }
  logreg *l = calloc(1, sizeof *l);
  if (l) l->cmask = 1023, l->c = calloc(l->cmask + 1, sizeof *l->c);
  if (!l || !l->c) {
    logreg_free(l);
    sim_error_set(err, SIM_ENOMEM, "logreg: out of memory");
    return NULL;
  }
  l->mask = ((uint64_t)1 << bits) - 1, l->lr = lr, l->l2 = l2, l->w0 = 1.0;
  return l;
}

void logreg_free(logreg *l) {
  if (!l) return;
  free(l->c);
  free(l);
}

static inline size_t lr_home(uint64_t j, size_t cmask) {
  return (size_t)((j * 0x9e3779b97f4a7c15ULL) >> 40) & cmask;
}

/* The cell of slot j, or NULL if no update touched it. */
static inline const lr_cell *lr_find(const logreg *l, uint64_t j) {
  for (size_t i = lr_home(j, l->cmask);; i = (i + 1) & l->cmask) {
    if (l->c[i].slot == j + 1) return &l->c[i];
    if (!l->c[i].slot) return NULL;
  }
}

/* The cell of slot j, made (zero) if new; NULL only if memory ran out. */
static lr_cell *lr_cell_of(logreg *l, uint64_t j) {
  if (5 * (l->used + 1) > 4 * (l->cmask + 1)) { /* grow: at most four fifths full */
    size_t cap = 2 * (l->cmask + 1);
    lr_cell *c = calloc(cap, sizeof *c);
    if (!c) return (lr_cell *)lr_find(l, j);
    for (size_t i = 0; i <= l->cmask; i++) {
      if (!l->c[i].slot) continue;
      size_t k = lr_home(l->c[i].slot - 1, cap - 1);
      while (c[k].slot) k = (k + 1) & (cap - 1);
      c[k] = l->c[i];
    }
    free(l->c);
    l->c = c, l->cmask = cap - 1;
  }
  size_t i = lr_home(j, l->cmask);
  while (l->c[i].slot && l->c[i].slot != j + 1) i = (i + 1) & l->cmask;
  if (!l->c[i].slot) l->c[i] = (lr_cell){(uint32_t)(j + 1), 0.0f, 0.0f}, l->used++;
  return &l->c[i];
}

static inline float lr_w(const logreg *l, uint64_t j) {
  const lr_cell *c = lr_find(l, j);
  return c ? c->w : 0.0f;
}

double logreg_margin(const logreg *l, double base, const uint64_t *keys, int nkeys) {
  double z = l->w0 * base + l->b;
  for (int k = 0; k < nkeys; k++) z += lr_w(l, keys[k] & l->mask);
  return z;
}

void logreg_prefetch(const logreg *l, const uint64_t *keys, int nkeys) {
  for (int k = 0; k < nkeys; k++) __builtin_prefetch(&l->c[lr_home(keys[k] & l->mask, l->cmask)]);
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
    lr_cell *c = lr_cell_of(l, keys[k] & l->mask);
    if (!c) continue; /* out of memory: the weight stays 0 (was never stored) */
    double gs = c->gsq, g = err + l->l2 * c->w;
    c->w -= (float)logreg_step(l->lr, g, &gs);
    c->gsq = (float)gs;
  }
  l->updates++;
}

uint64_t logreg_updates(const logreg *l) { return l->updates; }
