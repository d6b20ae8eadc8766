/* selection: selection policies over risk scores (see selection.h). */
#include "models/selection.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#define SEL_MIN_FILL 20     /* scores needed before the quantile is used */
#define SEL_MAX_WINDOW 1000000

/* A running quantile: a ring of the last `cap` scores and a sorted copy refreshed
 * every `every` insertions (so a decision costs O(log cap)). */
typedef struct sel_window {
  double *ring, *sorted;
  size_t cap, len, head, every, since;
  size_t sorted_n; /* entries in sorted (len at the last sort) */
} sel_window;

struct selection {
  selection_params p;
  sel_window score, post;
  size_t counts[SELECTION_NREASONS], post_audits;
};

static const char *const sel_names[SELECTION_NPOLICIES] = {"random", "top", "threshold",
                                                           "capacity"};

void selection_params_default(selection_params *p) {
  p->policy = SELECTION_TOP;
  p->rate = 0.05;
  p->threshold = 0.5;
  p->audit_share = 0.01;
  p->aeo_exempt = 1;
  p->window = 2000;
  p->horizon_h = 2.0;
  p->post_audit_share = 0.02;
}

const char *selection_policy_name(int policy) {
  return policy >= 0 && policy < SELECTION_NPOLICIES ? sel_names[policy] : "?";
}

int selection_policy_from_name(const char *name) {
  for (int i = 0; i < SELECTION_NPOLICIES; i++)
    if (!strcmp(sel_names[i], name)) return i;
  return -1;
}

static int sel_window_init(sel_window *w, size_t cap) {
  memset(w, 0, sizeof *w);
  w->ring = malloc(cap * sizeof *w->ring);
  w->sorted = malloc(cap * sizeof *w->sorted);
  w->cap = cap;
  /* re-sort four times a window: the quantile lags a little, decisions stay cheap */
  w->every = cap / 4 ? cap / 4 : 1;
  return w->ring && w->sorted ? SIM_OK : SIM_ENOMEM;
}

static void sel_window_free(sel_window *w) { free(w->ring), free(w->sorted); }

static int sel_cmp(const void *a, const void *b) {
  double x = *(const double *)a, y = *(const double *)b;
  return (x > y) - (x < y);
}

static void sel_window_sort(sel_window *w) {
  memcpy(w->sorted, w->ring, w->len * sizeof *w->sorted);
  qsort(w->sorted, w->len, sizeof *w->sorted, sel_cmp);
  w->sorted_n = w->len;
  w->since = 0;
}

static void sel_window_push(sel_window *w, double v) {
  if (isnan(v)) return;
  w->ring[w->head] = v;
  w->head = (w->head + 1) % w->cap;
  if (w->len < w->cap) w->len++;
  if (++w->since >= w->every || w->len <= SEL_MIN_FILL) sel_window_sort(w);
}

/* Sorted entries below v, and equal to v. */
static void sel_window_rank(const sel_window *w, double v, size_t *below, size_t *equal) {
  size_t lo = 0, hi = w->sorted_n;
  while (lo < hi) {
    size_t mid = (lo + hi) / 2;
    if (w->sorted[mid] < v) lo = mid + 1;
    else hi = mid;
  }
  size_t e = lo;
  while (e < w->sorted_n && w->sorted[e] == v) e++;
  *below = lo, *equal = e - lo;
}

/* Probability that v is selected as one of the top `share` of the window. The item
 * sits uniformly within its tie group, so ties get the probability that keeps the
 * share exact; before the window fills, the share itself. */
static double sel_window_prob(const sel_window *w, double v, double share) {
  if (share <= 0 || isnan(v)) return 0.0;
  if (share >= 1) return 1.0;
  if (w->len < SEL_MIN_FILL) return share;
  size_t below, equal;
  sel_window_rank(w, v, &below, &equal);
  double k = share * (double)w->sorted_n, above = (double)(w->sorted_n - below - equal);
  if (equal == 0) return above < k ? 1.0 : 0.0;
  return fmin(1.0, fmax(0.0, (k - above) / (double)equal));
}

/* One uniform draw decides both probabilities (nested: a <= b selects a subset). */
static double sel_draw(gsl_rng *r, double a, double b) {
  int frac = (a > 0 && a < 1) || (b > 0 && b < 1);
  return frac ? gsl_rng_uniform(r) : 0.0;
}

static int sel_check(const selection_params *p, sim_error *err) {
  if (p->policy < 0 || p->policy >= SELECTION_NPOLICIES)
    return sim_error_set(err, SIM_EINVAL, "selection: unknown policy %d", p->policy);
  if (!(p->rate >= 0 && p->rate <= 1) || !(p->audit_share >= 0 && p->audit_share <= 1) ||
      !(p->post_audit_share >= 0 && p->post_audit_share <= 1))
    return sim_error_set(err, SIM_EINVAL, "selection: rate, audit_share and "
                         "post_audit_share must lie in [0, 1]");
  if (p->window < SEL_MIN_FILL || p->window > SEL_MAX_WINDOW)
    return sim_error_set(err, SIM_EINVAL, "selection: window %d outside [%d, %d]", p->window,
                         SEL_MIN_FILL, SEL_MAX_WINDOW);
  if (!(p->horizon_h > 0) || isnan(p->threshold))
    return sim_error_set(err, SIM_EINVAL, "selection: horizon_h must be > 0, threshold a number");
  return SIM_OK;
}

selection *selection_new(const selection_params *p, sim_error *err) {
  if (sel_check(p, err)) return NULL;
  selection *s = calloc(1, sizeof *s);
  if (!s) {
    sim_error_set(err, SIM_ENOMEM, "selection: out of memory");
    return NULL;
  }
  s->p = *p;
  if (sel_window_init(&s->score, (size_t)p->window) ||
      sel_window_init(&s->post, (size_t)p->window)) {
    selection_free(s);
    sim_error_set(err, SIM_ENOMEM, "selection: out of memory for a window of %d", p->window);
    return NULL;
  }
  return s;
}

void selection_free(selection *s) {
  if (!s) return;
  sel_window_free(&s->score), sel_window_free(&s->post);
  free(s);
}

void selection_prime(selection *s, const double *scores, size_t n) {
  for (size_t i = 0; i < n; i++) sel_window_push(&s->score, scores[i]);
  sel_window_sort(&s->score);
}

static int sel_is_aeo(const item *it) {
  return it && it->kind != KIND_PASSENGERS_IN && it->kind != KIND_PASSENGERS_OUT && it->decl.aeo;
}

/* Load of the downstream stations: backlog over what they clear within the horizon. */
static double sel_load(const selection *s, double backlog, double capacity) {
  if (!(capacity > 0)) return INFINITY;
  return fmax(backlog, 0.0) / (capacity * s->p.horizon_h);
}

/* The policy's probability of selecting the item at a given share. */
static double sel_policy(const selection *s, double score, double share) {
  switch (s->p.policy) {
  case SELECTION_RANDOM: return s->p.rate;
  case SELECTION_THRESHOLD: return score >= s->p.threshold ? 1.0 : 0.0;
  default: return sel_window_prob(&s->score, score, share);
  }
}

static int sel_finish(selection *s, int reason, int *out) {
  s->counts[reason]++;
  if (out) *out = reason;
  return reason == SELECTION_REASON_SCORE || reason == SELECTION_REASON_AUDIT;
}

int selection_decide(selection *s, double score, const item *it, double backlog,
                     double capacity, gsl_rng *r, int *reason) {
  int cap = s->p.policy == SELECTION_CAPACITY;
  double load = cap ? sel_load(s, backlog, capacity) : 0.0;
  int audit = s->p.audit_share > 0 && gsl_rng_uniform(r) < s->p.audit_share;
  int pick = 0, pick_full = 0;
  if (!(s->p.aeo_exempt && sel_is_aeo(it))) {
    double pf = sel_policy(s, score, s->p.rate);
    double pe = cap ? sel_policy(s, score, s->p.rate * fmax(0.0, 1.0 - load)) : pf;
    double u = sel_draw(r, pf, pe);
    pick_full = u < pf, pick = u < pe;
    sel_window_push(&s->score, score); /* the window holds eligible items only */
  }
  if (pick) return sel_finish(s, SELECTION_REASON_SCORE, reason);
  if (audit && load < 1.0) return sel_finish(s, SELECTION_REASON_AUDIT, reason);
  if (cap && (pick_full || audit)) return sel_finish(s, SELECTION_REASON_CAPACITY, reason);
  return sel_finish(s, SELECTION_REASON_NONE, reason);
}

int selection_post_audit(selection *s, double uv_score, gsl_rng *r) {
  if (isnan(uv_score)) return 0;
  double p = sel_window_prob(&s->post, uv_score, s->p.post_audit_share);
  int pick = sel_draw(r, p, p) < p;
  sel_window_push(&s->post, uv_score);
  s->post_audits += pick != 0;
  return pick;
}

void selection_counts(const selection *s, size_t counts[SELECTION_NREASONS],
                      size_t *post_audits) {
  memcpy(counts, s->counts, sizeof s->counts);
  if (post_audits) *post_audits = s->post_audits;
}
