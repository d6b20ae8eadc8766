/* dog: detection-dog probabilities, fatigue and the work/rest cycle (see dog.h).
 *
 * Sources, read with care (the defaults are assumptions, not fits to these studies):
 * - Jezierski et al., Forensic Sci. Int. 237:112-118 (2014): trained police dogs in
 *   controlled searches found most hidden drug samples (correct indications near 90%)
 *   with false alerts of a few per cent, varying by drug, breed and search area.
 * - Gazit and Terkel, Appl. Anim. Behav. Sci. 81:149-161 (2003): detection fell after
 *   strenuous physical activity.
 * - Porritt et al., Appl. Anim. Behav. Sci. 166:112-122 (2015): search performance fell
 *   over repetitive searching; breaks mitigated it.
 * Handlers commonly work dogs in bouts of about 20-40 minutes with rests between; the
 * default onset (30 min), bout (30 min) and rest (15 min) follow that practice.
 * Concealment and amount effects (odour escape from sealed, shielded or swallowed
 * packs; a larger source gives more odour) are assumptions with stated direction. */
#include "models/dog.h"

#include <math.h>
#include <stdlib.h>

#include "sim/rng.h"

void dog_params_default(dog_params *p) {
  *p = (dog_params){
      .p_detect = {[CONTRA_NONE] = 0.0,
                   [CONTRA_METH] = 0.85,
                   [CONTRA_COCAINE] = 0.85,
                   [CONTRA_HEROIN] = 0.80,
                   [CONTRA_CANNABIS] = 0.90,
                   [CONTRA_CURRENCY] = 0.70,
                   [CONTRA_GOLD] = 0.0,
                   [CONTRA_FIREARM] = 0.5},
      .ref_kg = 0.1,
      .kg_slope = 0.8,
      .conceal = {[CONCEAL_NONE] = 1.0,
                  [CONCEAL_MIXED] = 0.8,
                  [CONCEAL_SHIELDED] = 0.5,
                  [CONCEAL_BODY] = 0.6},
      .false_alert = 0.03,
      .false_alert_tired = 2.0,
      .fatigue_onset_min = 30,
      .fatigue_tau_min = 20,
      .fatigue_floor = 0.6,
      .work_min = 30,
      .rest_min = 30,
      .recovery_tau_min = 5,
  };
}

static int in01(double x) { return x >= 0 && x <= 1; }

int dog_params_check(const dog_params *p, sim_error *err) {
  for (int c = 0; c < CONTRA_N; c++)
    if (!in01(p->p_detect[c]) || (c == CONTRA_NONE && p->p_detect[c] != 0))
      return sim_error_set(err, SIM_EINVAL, "dog: p_detect[%s] must be in [0, 1] (0 for none)",
                           item_contraband_name(c));
  for (int c = 0; c < CONCEAL_N; c++)
    if (!in01(p->conceal[c]))
      return sim_error_set(err, SIM_EINVAL, "dog: conceal[%d] must be in [0, 1]", c);
  const char *bad =
      !(p->ref_kg > 0)                                                 ? "ref_kg > 0"
      : !(p->kg_slope >= 0 && isfinite(p->kg_slope))                   ? "kg_slope >= 0"
      : !in01(p->false_alert)                                          ? "false_alert in [0, 1]"
      : !(p->false_alert_tired >= 1 && isfinite(p->false_alert_tired)) ? "false_alert_tired >= 1"
      : !(p->fatigue_onset_min >= 0 && isfinite(p->fatigue_onset_min)) ? "fatigue_onset_min >= 0"
      : !(p->fatigue_tau_min > 0 && isfinite(p->fatigue_tau_min))      ? "fatigue_tau_min > 0"
      : !in01(p->fatigue_floor)                                        ? "fatigue_floor in [0, 1]"
      : !(p->work_min > 0 && isfinite(p->work_min))                    ? "work_min > 0"
      : !(p->rest_min >= 0 && isfinite(p->rest_min))                   ? "rest_min >= 0"
      : !(p->recovery_tau_min > 0 && isfinite(p->recovery_tau_min))    ? "recovery_tau_min > 0"
                                                                       : NULL;
  return bad ? sim_error_set(err, SIM_EINVAL, "dog: need %s", bad) : 0;
}

double dog_performance(const dog_params *p, double w) {
  if (!(w > p->fatigue_onset_min)) return 1.0; /* also NaN and negative input */
  return p->fatigue_floor +
         (1 - p->fatigue_floor) * exp(-(w - p->fatigue_onset_min) / p->fatigue_tau_min);
}

/* Logistic in log amount around the reference: p_ref at ref_kg. */
static double amount_prob(const dog_params *p, double pref, double kg) {
  if (pref <= 0) return 0;
  if (pref >= 1) return 1;
  double x = log(pref / (1 - pref)) + p->kg_slope * log(kg / p->ref_kg);
  return 1 / (1 + exp(-x));
}

double dog_detect_prob(const dog_params *p, int contraband, int concealment, double kg,
                       double minutes_working) {
  if (contraband <= CONTRA_NONE || contraband >= CONTRA_N || !(kg > 0)) return 0;
  int cc = concealment >= 0 && concealment < CONCEAL_N ? concealment : CONCEAL_NONE;
  double pr = amount_prob(p, p->p_detect[contraband], fmin(kg, 1e6)) * p->conceal[cc] *
              dog_performance(p, minutes_working);
  return fmin(fmax(pr, 0), 1);
}

double dog_false_alert_prob(const dog_params *p, double minutes_working) {
  double lost =
      p->fatigue_floor < 1 ? (1 - dog_performance(p, minutes_working)) / (1 - p->fatigue_floor) : 0;
  return fmin(fmax(p->false_alert * (1 + (p->false_alert_tired - 1) * lost), 0), 1);
}

double dog_after_rest(const dog_params *p, double minutes_working, double rest_min) {
  if (!(minutes_working > 0)) return 0;
  if (!(rest_min > 0)) return minutes_working;
  return minutes_working * exp(-rest_min / p->recovery_tau_min);
}

double dog_next_state_change(const dog_params *p, int working, double minutes_in_state) {
  double left = (working ? p->work_min : p->rest_min) - fmax(minutes_in_state, 0);
  return left > 0 ? left : 0;
}

struct dog {
  dog_params p;
  int working;
  double since; /* when the current state began */
  double w;     /* effective working minutes at time `at` */
  double at;
};

int dog_new(dog **out, const dog_params *p, double t0_min, sim_error *err) {
  *out = NULL;
  int rc = dog_params_check(p, err);
  if (rc) return rc;
  if (!isfinite(t0_min)) return sim_error_set(err, SIM_EINVAL, "dog: start time not finite");
  dog *d = malloc(sizeof *d);
  if (!d) return sim_error_set(err, SIM_ENOMEM, "dog: out of memory");
  *d = (dog){*p, 1, t0_min, 0, t0_min};
  *out = d;
  return 0;
}

void dog_free(dog *d) { free(d); }

/* Accrues fatigue or recovery from d->at to t within the current state. */
static void accrue(dog *d, double t) {
  if (t <= d->at) return;
  d->w = d->working ? d->w + (t - d->at) : dog_after_rest(&d->p, d->w, t - d->at);
  d->at = t;
}

void dog_advance(dog *d, double now_min) {
  if (!isfinite(now_min)) return;
  for (;;) {
    double change = dog_next_change_min(d);
    if (change > now_min) break;
    accrue(d, change);
    d->working = !d->working || d->p.rest_min <= 0; /* a zero rest means work on */
    d->since = change;
  }
  accrue(d, now_min);
}

int dog_is_working(const dog *d) { return d->working; }
double dog_fatigue_min(const dog *d) { return d->w; }
double dog_next_change_min(const dog *d) {
  return d->at + dog_next_state_change(&d->p, d->working, d->at - d->since);
}

int dog_screen(dog *d, const item *it, double now_min, gsl_rng *r) {
  dog_advance(d, now_min);
  if (!d->working) return 0;
  const item_truth *t = &it->truth;
  double pd = dog_detect_prob(&d->p, t->contraband, t->concealment, t->contraband_kg, d->w);
  double pfa = dog_false_alert_prob(&d->p, d->w); /* a dog may also alert for no reason */
  return rng_uniform(r) < 1 - (1 - pd) * (1 - pfa);
}
