/* selection: turns risk scores into inspection decisions, by policy.
 *
 * Policies: a random share (the comparison), the top n% by score (a running quantile
 * over a window of recent scores keeps the selected share at n% whatever the score
 * scale; ties at the quantile are broken at random so the share stays exact), a fixed
 * score threshold, and capacity-aware top n% (the share shrinks as the downstream
 * backlog grows and is zero when the backlog would not clear within the horizon).
 * Every policy can add a random audit share (exploration: it gives the model labels
 * it would not have chosen) and exempt AEO declarations from selection by score (they
 * are then inspected only by the random audit). Released items can be put on a
 * post-release audit list when their undervaluation score is in the top share. */
#ifndef MODELS_SELECTION_H
#define MODELS_SELECTION_H

#include <stddef.h>

#include <gsl/gsl_rng.h>

#include "models/count_dist.h"
#include "models/item.h"
#include "sim/error.h"

typedef enum {
  SELECTION_RANDOM = 0, /* inspect with probability rate */
  SELECTION_TOP,        /* the top `rate` share by score */
  SELECTION_THRESHOLD,  /* score >= threshold */
  SELECTION_CAPACITY,   /* top `rate` share, scaled down by the downstream load */
  SELECTION_NPOLICIES
} selection_policy;

/* Why an item was or was not inspected. */
typedef enum {
  SELECTION_REASON_NONE = 0, /* released */
  SELECTION_REASON_SCORE,    /* selected by the policy (score, or the random policy) */
  SELECTION_REASON_AUDIT,    /* random audit (exploration) */
  SELECTION_REASON_CAPACITY, /* would have been selected; released: downstream full */
  SELECTION_NREASONS
} selection_reason;

typedef struct selection_params {
  int policy;              /* selection_policy */
  double rate;             /* share selected by the policy among eligible items */
  double threshold;        /* SELECTION_THRESHOLD */
  double audit_share;      /* random audit share of all items, on top of the policy */
  int aeo_exempt;          /* 1: AEO declarations are selected only by the audit */
  int window;              /* scores kept for the running quantile */
  double horizon_h;        /* SELECTION_CAPACITY: the backlog must clear within this */
  double post_audit_share; /* share of released items put on the post-release list */
} selection_params;

typedef struct selection selection;

/* rate 0.05, audit 0.01, AEO exempt, window 2000, horizon 2 h, post-audit 0.02,
 * policy SELECTION_TOP. */
void selection_params_default(selection_params *p);
const char *selection_policy_name(int policy);
int selection_policy_from_name(const char *name); /* -1 if unknown */

selection *selection_new(const selection_params *p, sim_error *err);
void selection_free(selection *s);

/* Decides one item: returns 1 to inspect, 0 to release; *reason (may be NULL) gets a
 * selection_reason. backlog: items waiting for or in the downstream stations;
 * capacity: items per hour they complete (only SELECTION_CAPACITY reads them;
 * capacity <= 0 means closed). r supplies the audit and tie-break draws. */
int selection_decide(selection *s, double score, const item *it, double backlog,
                     double capacity, gsl_rng *r, int *reason);

/* For a released item: 1 if it goes on the post-release audit list (its
 * undervaluation score is in the top post_audit_share of released items so far). */
int selection_post_audit(selection *s, double uv_score, gsl_rng *r);

/* Seeds the running quantile with past scores (e.g. the model's validation scores). */
void selection_prime(selection *s, const double *scores, size_t n);

/* Items decided so far, by reason (SELECTION_NREASONS counts), and items listed for
 * post-release audit. */
void selection_counts(const selection *s, size_t counts[SELECTION_NREASONS],
                      size_t *post_audits);

/* Every k-th (selection_every.c), a rule of any station, without scores: counted over
 * the items that reach the station, it selects the item that comes gap + offset items
 * after the previous selected one, gap drawn afresh after each selection (the first
 * selected item is the (gap + offset)-th; a count below 1 counts as 1). With gap of
 * mean g the long-run selected share is 1 / (g + offset). new copies gap; the state
 * is the caller's (selection_every_free accepts NULL). */
typedef struct selection_every selection_every;
selection_every *selection_every_new(const count_dist *gap, long offset, sim_error *err);
void selection_every_free(selection_every *e);
/* The next item reaches the station: 1 if it is selected. r draws the gaps. */
int selection_every_next(selection_every *e, gsl_rng *r);

#endif
