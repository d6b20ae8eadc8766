/* hull: the kernel of an underwater drone searching a vessel's hull (station type
 * hull). What it can find is cargo hidden outside the hull (contraband attached below the
 * waterline or in sea chests): such a hull is found with probability pd, whatever the
 * amount; a clean hull raises a false alarm with probability pfa; declaration frauds
 * are not visible from the water and never alarm. The search time per hull is the
 * station's service time. Figures for pd are assumptions (scenarios/README.md). */
#include <stdlib.h>

#include <gsl/gsl_rng.h>

#include "models/kernel.h"

enum { P_PD, P_PFA, P_N };

static const kernel_param params[P_N] = {
    {.name = "pd", .def = 0.7, .min = 0, .max = 1,
     .help = "probability of finding cargo hidden on a searched hull"},
    {.name = "pfa", .def = 0.0, .min = 0, .max = 1,
     .help = "false-alarm probability on a clean hull"},
};

typedef struct hull {
  double pd, pfa;
} hull;

static int hull_new(void **state, const double *p, const kernel_opts *o, sim_error *err) {
  (void)o;
  hull *h = malloc(sizeof *h);
  if (!h) return sim_error_set(err, SIM_ENOMEM, "out of memory");
  h->pd = p[P_PD];
  h->pfa = p[P_PFA];
  *state = h;
  return 0;
}

static int hull_decide(void *state, const item *it, gsl_rng *r, kernel_verdict *v) {
  const hull *h = state;
  double p = it->truth.contraband != CONTRA_NONE ? h->pd : item_is_illicit(it) ? 0 : h->pfa;
  double u = gsl_rng_uniform(r);
  v->alarm = u < p;
  v->score = 1 - u;
  v->time_s = 0;
  return 0;
}

static void hull_free(void *state) { free(state); }

const kernel_type kernel_hull_type = {
    .name = "hull",
    .help = "underwater drone hull search: pd on hulls with attached cargo, pfa on clean ones",
    .params = params,
    .nparams = P_N,
    .new = hull_new,
    .decide = hull_decide,
    .free = hull_free,
};
