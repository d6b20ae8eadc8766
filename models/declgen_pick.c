/* declgen_pick: the generator's tables for drawing fast and exactly as GSL would: the
 * alias tables (gsl_ran_discrete's, one cache line a draw) and the bounds of the logistic
 * that let most Bernoulli draws skip its exp (see declgen_internal.h). */
#include <math.h>
#include <stdlib.h>

#include <gsl/gsl_randist.h>

#include "models/declgen.h"
#include "models/declgen_internal.h"

dg_pick *dg_pick_new(size_t n, const double *w) {
  gsl_ran_discrete_t *g = gsl_ran_discrete_preproc(n, w);
  dg_pick *t = g ? malloc(sizeof *t) : NULL;
  if (t && !(t->e = malloc(n * sizeof *t->e))) free(t), t = NULL;
  for (size_t i = 0; t && i < n; i++) t->e[i] = (dg_alias){g->F[i], (uint32_t)g->A[i], 0};
  if (t) t->k = n;
  if (g) gsl_ran_discrete_free(g);
  return t;
}

void dg_pick_free(dg_pick *t) {
  if (t) free(t->e), free(t);
}

int declgen_pick_sample(size_t n, const double *w, gsl_rng *r, size_t k, size_t *out) {
  dg_pick *t = dg_pick_new(n, w);
  if (!t) return SIM_ENOMEM;
  for (size_t i = 0; i < k; i++) out[i] = dg_pick_draw(t, r);
  dg_pick_free(t);
  return SIM_OK;
}

void dg_tails(declgen *g) {
  for (int k = 0; k < DG_TAIL_N; k++) {
    double s = 1.0 / (1.0 + exp(k)); /* sigmoid(-k); sigmoid(k) = 1 - s */
    g->tail_hi[k] = s * (1 + 0x1p-30);
    g->tail_lo[k] = (1.0 - s) * (1 - 0x1p-30);
  }
}
