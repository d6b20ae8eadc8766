/* risk_eval: ranking metrics and the streaming experiment (see risk_eval.h). */
#include "models/kernels/risk_eval.h"

#include <math.h>
#include <stdlib.h>

#include "models/selection.h"

const double risk_eval_cuts[RISK_EVAL_NCUTS] = {0.01, 0.02, 0.05, 0.10};

typedef struct risk_ranked { double s; size_t i; } risk_ranked;

static int risk_desc(const void *a, const void *b) {
  const risk_ranked *x = a, *y = b;
  if (x->s != y->s) return x->s < y->s ? 1 : -1;
  return (x->i > y->i) - (x->i < y->i);
}

/* Items sorted by descending score (NaN scores rank last). */
static risk_ranked *risk_rank(const double *score, size_t n) {
  risk_ranked *r = malloc((n ? n : 1) * sizeof *r);
  if (!r) return NULL;
  for (size_t i = 0; i < n; i++) r[i] = (risk_ranked){isnan(score[i]) ? -INFINITY : score[i], i};
  qsort(r, n, sizeof *r, risk_desc);
  return r;
}

static double risk_auc_ranked(const risk_ranked *r, const uint8_t *y, size_t n) {
  double pos = 0, rank_sum = 0;
  for (size_t a = 0; a < n;) { /* ascending ranks 1..n counted from the bottom */
    size_t b = a, p = 0;
    while (b < n && r[b].s == r[a].s) p += y[r[b++].i] != 0;
    double avg = (double)n - 0.5 * (double)(a + b - 1); /* mean rank of positions a..b-1 */
    rank_sum += avg * (double)p;
    pos += (double)p;
    a = b;
  }
  double neg = (double)n - pos;
  if (pos == 0 || neg == 0) return NAN;
  return (rank_sum - pos * (pos + 1) / 2) / (pos * neg);
}

double risk_eval_auc(const double *score, const uint8_t *y, size_t n) {
  risk_ranked *r = risk_rank(score, n);
  if (!r) return NAN;
  double auc = risk_auc_ranked(r, y, n);
  free(r);
  return auc;
}

/* Top k with fractional credit for the tie group that straddles the cut. */
static void risk_top_ranked(const risk_ranked *r, const uint8_t *y, const double *rev,
                            size_t n, double share, double out[3]) {
  size_t k = (size_t)floor(share * (double)n + 0.5);
  if (k < 1) k = 1;
  if (k > n) k = n;
  double tp = 0, rsel = 0, pos = 0, rtot = 0;
  for (size_t i = 0; i < n; i++) {
    pos += y[i] != 0;
    if (rev && y[i]) rtot += rev[i];
  }
  for (size_t a = 0; a < n && a < k;) {
    size_t b = a;
    double p = 0, rv = 0;
    for (; b < n && r[b].s == r[a].s; b++)
      if (y[r[b].i]) p += 1, rv += rev ? rev[r[b].i] : 0;
    double w = b <= k ? 1.0 : (double)(k - a) / (double)(b - a);
    tp += w * p, rsel += w * rv;
    a = b;
  }
  out[0] = n ? tp / (double)k : NAN;
  out[1] = pos > 0 ? tp / pos : NAN;
  out[2] = rev && rtot > 0 ? rsel / rtot : NAN;
}

int risk_eval_top(const double *score, const uint8_t *y, const double *revenue, size_t n,
                  double share, double *precision, double *recall, double *rev) {
  risk_ranked *r = risk_rank(score, n);
  if (!r) return SIM_ENOMEM;
  double o[3];
  risk_top_ranked(r, y, revenue, n, share, o);
  free(r);
  if (precision) *precision = o[0];
  if (recall) *recall = o[1];
  if (rev) *rev = o[2];
  return SIM_OK;
}

int risk_eval_compute(const double *score, const uint8_t *y, const double *revenue,
                      size_t n, risk_eval *out, sim_error *err) {
  risk_ranked *r = risk_rank(score, n);
  if (!r) return sim_error_set(err, SIM_ENOMEM, "risk_eval: out of memory for %zu items", n);
  out->n = n, out->positives = 0;
  for (size_t i = 0; i < n; i++) out->positives += y[i] != 0;
  out->base_rate = n ? (double)out->positives / (double)n : NAN;
  out->auc = risk_auc_ranked(r, y, n);
  for (int c = 0; c < RISK_EVAL_NCUTS; c++) {
    double o[3];
    risk_top_ranked(r, y, revenue, n, risk_eval_cuts[c], o);
    out->precision[c] = o[0], out->recall[c] = o[1], out->revenue[c] = o[2];
  }
  free(r);
  return SIM_OK;
}

int risk_eval_items(const risk_model *m, int price_only, const item *items, size_t n,
                    risk_eval *out, sim_error *err) {
  double *s = malloc((n ? n : 1) * sizeof *s), *rev = malloc((n ? n : 1) * sizeof *rev);
  uint8_t *y = malloc(n ? n : 1);
  int rc = s && rev && y ? SIM_OK : sim_error_set(err, SIM_ENOMEM, "risk_eval: out of memory");
  for (size_t i = 0; !rc && i < n; i++) {
    s[i] = price_only ? risk_model_price_score(m, &items[i]) : risk_model_score(m, &items[i]);
    y[i] = item_is_illicit(&items[i]) != 0;
    rev[i] = items[i].truth.evaded_jpy;
  }
  if (!rc) rc = risk_eval_compute(s, y, rev, n, out, err);
  free(s), free(rev), free(y);
  return rc;
}

int risk_eval_stream(risk_model *m, declgen *g, gsl_rng *r, int days, size_t per_day,
                     double inspect_share, double explore_share, double *hit_rate,
                     sim_error *err) {
  selection_params sp;
  selection_params_default(&sp);
  sp.policy = SELECTION_TOP, sp.rate = inspect_share, sp.audit_share = explore_share;
  selection *sel = selection_new(&sp, err);
  if (!sel) return err ? err->code : SIM_EINVAL;
  size_t sel_n = 0, sel_hit = 0;
  for (int d = 0; d < days; d++)
    for (size_t i = 0; i < per_day; i++) {
      item it;
      declgen_fill(g, d + ((double)i + 0.5) / (double)per_day, r, &it);
      int reason, bad = item_is_illicit(&it) != 0;
      if (!selection_decide(sel, risk_model_score(m, &it), &it, 0, 0, r, &reason)) continue;
      risk_model_learn(m, &it, bad);
      if (reason == SELECTION_REASON_SCORE && 2 * d >= days) sel_n++, sel_hit += bad;
    }
  selection_free(sel);
  if (hit_rate) *hit_rate = sel_n ? (double)sel_hit / (double)sel_n : NAN;
  return SIM_OK;
}
