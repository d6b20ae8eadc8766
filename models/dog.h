/* dog: the detection-dog behaviour of a station (not a kernel): the probability that a
 * dog team alerts on an item, by substance, concealment, amount and how long the dog
 * has been searching (fatigue), and the work/rest cycle that restores it. About 130
 * customs dogs work Japanese airports, mail and express facilities (models/SOURCES.md).
 *
 * Fatigue is carried as "effective working minutes" w: it grows one for one while the
 * dog searches and decays exponentially during rest; performance is full up to an
 * onset and then declines towards a floor. The figures in dog_params_default are
 * assumptions informed by the studies cited in dog.c. */
#ifndef MODELS_DOG_H
#define MODELS_DOG_H

#include <gsl/gsl_rng.h>

#include "models/item.h"
#include "sim/error.h"

typedef struct dog_params {
  double p_detect[CONTRA_N]; /* fresh dog, ref_kg, not concealed (0 for NONE) */
  double ref_kg;             /* amount at which p_detect applies (kg) */
  double kg_slope;           /* log-odds change per e-fold of the amount */
  double conceal[CONCEAL_N]; /* factor on the detection probability */
  double false_alert;        /* alert probability on a clean item, fresh dog */
  double false_alert_tired;  /* factor on false alerts when fully fatigued (>= 1) */
  double fatigue_onset_min;  /* full performance up to this much searching */
  double fatigue_tau_min;    /* e-folding time of the decline after the onset */
  double fatigue_floor;      /* fraction of performance left when exhausted */
  double work_min;           /* scheduled search bout */
  double rest_min;           /* scheduled rest between bouts */
  double recovery_tau_min;   /* e-folding time of recovery while resting */
} dog_params;

void dog_params_default(dog_params *p);
/* 0, or SIM_EINVAL with a message naming the first bad field. */
int dog_params_check(const dog_params *p, sim_error *err);

/* Performance factor in [fatigue_floor, 1] after minutes_working effective minutes. */
double dog_performance(const dog_params *p, double minutes_working);

/* Probability of an alert on contraband (item_contraband) hidden with concealment
 * (item_concealment), kg of it, by a dog with minutes_working effective minutes.
 * 0 for CONTRA_NONE or kg <= 0 (see dog_false_alert_prob); always in [0, 1]. */
double dog_detect_prob(const dog_params *p, int contraband, int concealment, double kg,
                       double minutes_working);

/* Probability of an alert on a clean item; rises with fatigue. */
double dog_false_alert_prob(const dog_params *p, double minutes_working);

/* Effective working minutes after resting rest_min (exponential recovery). */
double dog_after_rest(const dog_params *p, double minutes_working, double rest_min);

/* Work/rest schedule: minutes from now until the team switches state, given whether it
 * is working and how long it has been in that state (0 if the switch is due). */
double dog_next_state_change(const dog_params *p, int working, double minutes_in_state);

/* One dog team following the schedule from t0 (starting a work bout, rested). Times
 * are simulated minutes and must not go backwards. */
typedef struct dog dog;
int dog_new(dog **out, const dog_params *p, double t0_min, sim_error *err);
void dog_free(dog *d);
void dog_advance(dog *d, double now_min); /* applies work and rest up to now */
int dog_is_working(const dog *d);
double dog_fatigue_min(const dog *d);     /* effective working minutes */
double dog_next_change_min(const dog *d); /* time of the next switch (simulated min) */
/* Screens one item at now_min: 1 if the dog alerts, with probability
 * 1 - (1 - detect)(1 - false alert). A resting team never alerts. */
int dog_screen(dog *d, const item *it, double now_min, gsl_rng *r);

#endif
