/* rates: the operating-characteristic kernel. Detection and false alarms follow rates
 * written in the scenario (a vendor's published figures, or a validation case), not
 * physics: pd(m) = 1 - (1 - pd)^(m / ref_kg) for an amount m of contraband (each
 * ref_kg found independently with probability pd), pfa on clean items. */
#include <math.h>
#include <stdlib.h>

#include <gsl/gsl_rng.h>

#include "models/kernel.h"

enum { P_PD_DRUG, P_PD_OTHER, P_PD_FRAUD, P_REF_KG, P_PFA, P_TIME_S, P_N };

static const kernel_param params[P_N] = {
    {.name = "pd_drug", .def = 0.9, .min = 0, .max = 1,
     .help = "detection probability for ref_kg of drugs"},
    {.name = "pd_other", .def = 0.9, .min = 0, .max = 1,
     .help = "detection probability for currency, gold, firearms"},
    {.name = "pd_fraud", .def = 0.8, .min = 0, .max = 1,
     .help = "probability that undervaluation, misclassification or IPR is found"},
    {.name = "ref_kg", .def = 1.0, .min = 1e-6, .max = 1e6,
     .help = "amount at which pd_drug and pd_other apply (kg)"},
    {.name = "pfa", .def = 0.02, .min = 0, .max = 1,
     .help = "false-alarm probability on clean items"},
    {.name = "time_s", .def = 0, .min = 0, .max = 1e6,
     .help = "processing time added per item (s)"},
};

typedef struct rates {
  double p[P_N];
} rates;

static int rates_new(void **state, const double *p, const kernel_opts *o, sim_error *err) {
  (void)o;
  rates *r = malloc(sizeof *r);
  if (!r) return sim_error_set(err, SIM_ENOMEM, "out of memory");
  for (int i = 0; i < P_N; i++) r->p[i] = p[i];
  *state = r;
  return 0;
}

static double amount_pd(double pd, double kg, double ref) {
  if (pd >= 1) return 1;
  return 1 - pow(1 - pd, (kg > 0 ? kg : ref) / ref);
}

static int rates_decide(void *state, const item *it, gsl_rng *r, kernel_verdict *v) {
  const rates *k = state;
  const item_truth *t = &it->truth;
  double p;
  if (t->contraband >= CONTRA_METH && t->contraband <= CONTRA_CANNABIS)
    p = amount_pd(k->p[P_PD_DRUG], t->contraband_kg, k->p[P_REF_KG]);
  else if (t->contraband != CONTRA_NONE)
    p = amount_pd(k->p[P_PD_OTHER], t->contraband_kg, k->p[P_REF_KG]);
  else if (t->undervalued || t->misclassified || t->ipr || t->prohibited_export)
    p = k->p[P_PD_FRAUD];
  else
    p = k->p[P_PFA];
  double u = gsl_rng_uniform(r);
  v->alarm = u < p;
  v->score = 1 - u; /* a uniform score whose alarm region has probability p */
  v->time_s = k->p[P_TIME_S];
  return 0;
}

static void rates_free(void *state) { free(state); }

const kernel_type kernel_rates_type = {
    .name = "rates",
    .help = "operating characteristic from the scenario (no physics)",
    .params = params,
    .nparams = P_N,
    .new = rates_new,
    .decide = rates_decide,
    .free = rates_free,
    .read_only = 1,
};
