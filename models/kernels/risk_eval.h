/* risk_eval: how well a ranking finds fraud, by the published protocol (Kim et al.,
 * KDD 2020): rank items by score, select the top n% and count precision (illicit
 * among the selected), recall (share of all illicit found) and revenue (share of all
 * evaded tax recovered); plus the ROC AUC. Ties are handled exactly: the AUC uses
 * average ranks, and a tie group straddling the top-n% cut is credited in
 * proportion to the part of it that is selected (the mean over random tie-breaks).
 *
 * Also the streaming experiment: a model selects items for inspection day by day,
 * learns from the outcomes of what it inspected, and is scored at the end. */
#ifndef MODELS_KERNELS_RISK_EVAL_H
#define MODELS_KERNELS_RISK_EVAL_H

#include <stddef.h>
#include <stdint.h>

#include "models/declgen.h"
#include "models/item.h"
#include "models/kernels/risk.h"
#include "sim/error.h"

#define RISK_EVAL_NCUTS 4
extern const double risk_eval_cuts[RISK_EVAL_NCUTS]; /* 0.01, 0.02, 0.05, 0.10 */

typedef struct risk_eval {
  size_t n, positives;
  double base_rate, auc;
  double precision[RISK_EVAL_NCUTS], recall[RISK_EVAL_NCUTS], revenue[RISK_EVAL_NCUTS];
} risk_eval;

/* AUC with average ranks for ties; NaN without both classes. */
double risk_eval_auc(const double *score, const uint8_t *y, size_t n);

/* Precision, recall and revenue share of the top `share` of items (k =
 * round(share * n), at least 1). revenue may be NULL (then *rev is NaN). Any output
 * pointer may be NULL. Returns SIM_ENOMEM or SIM_OK. */
int risk_eval_top(const double *score, const uint8_t *y, const double *revenue, size_t n,
                  double share, double *precision, double *recall, double *rev);

/* All of the above at risk_eval_cuts. */
int risk_eval_compute(const double *score, const uint8_t *y, const double *revenue,
                      size_t n, risk_eval *out, sim_error *err);

/* Scores items with a model (or the price-only baseline) and evaluates them against
 * their truth (labels item_is_illicit, revenue truth.evaded_jpy). */
int risk_eval_items(const risk_model *m, int price_only, const item *items, size_t n,
                    risk_eval *out, sim_error *err);

/* The streaming experiment. Days [0, days) bring per_day items each from g; each day
 * the model's scores select `inspect_share` of items by running quantile plus an
 * `explore_share` random audit; inspected items' outcomes are fed to
 * risk_model_learn. Returns the share of illicit among the items selected by score in
 * the second half of the run in *hit_rate (may be NULL). */
int risk_eval_stream(risk_model *m, declgen *g, gsl_rng *r, int days, size_t per_day,
                     double inspect_share, double explore_share, double *hit_rate,
                     sim_error *err);

#endif
