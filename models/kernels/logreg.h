/* logreg: an online logistic layer with hashed features. Its log-odds are
 *   w0 * base + b + sum_k w[key_k mod 2^bits],
 * where base is another model's log-odds (w0 starts at 1, the rest at 0, so the
 * layer starts as the identity) and the keys are hashed identities (importer,
 * origin, ...). Updated one labelled example at a time with AdaGrad steps, it
 * corrects the base model as the world drifts. */
#ifndef MODELS_KERNELS_LOGREG_H
#define MODELS_KERNELS_LOGREG_H

#include <stdint.h>

#include "sim/error.h"

typedef struct logreg logreg;

/* bits: 8..24 (table of 2^bits weights); lr: step size; l2: penalty per step. */
logreg *logreg_new(int bits, double lr, double l2, sim_error *err);
void logreg_free(logreg *l);

double logreg_margin(const logreg *l, double base, const uint64_t *keys, int nkeys);
/* Starts fetching the weights of these keys (a hint; changes nothing). */
void logreg_prefetch(const logreg *l, const uint64_t *keys, int nkeys);
/* One step on the log loss of label y (0/1). */
void logreg_update(logreg *l, double base, const uint64_t *keys, int nkeys, int y);
/* Examples seen so far. */
uint64_t logreg_updates(const logreg *l);

#endif
