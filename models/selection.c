/* selection: selection policies over risk scores (see selection.h). */
#include "models/selection.h"

#include "sim/rng.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#define SEL_MIN_FILL 20     /* scores needed before the quantile is used */
#define SEL_MAX_WINDOW 1000000

/* A running quantile: a ring of the last `cap` scores and a snapshot refreshed every
 * `every` insertions. Selecting the top share s of the snapshot's n scores needs, for a
 * score v, only how v compares with B, the ceil(s n)-th largest: above it, v is in; below
 * it, out; equal to it, v's tie group gets the probability that keeps the share exact,
 * (s n - #above B) / #equal to B. So the snapshot keeps the m = ceil(share n) largest
 * scores (share: the largest share ever asked) and the counts above and at the m-th,
 * found with a bounded heap in one pass: no sort of the window. The selections are
 * those the sorted window gave, decision for decision. */
typedef struct sel_window {
  double *ring, *top; /* top: the m largest of the snapshot, descending */
  double share;       /* the largest share queried (sizes m) */
  size_t cap, len, head, every, since;
  size_t sorted_n;    /* scores in the snapshot (len when it was taken) */
  size_t m, above, equal; /* above, equal: of the whole snapshot, against top[m - 1] */
} sel_window;

struct selection {
  selection_params p;
  sel_window score, post;
  size_t counts[SELECTION_NREASONS], post_audits;
};

static const char *const sel_names[SELECTION_NPOLICIES] = {"random", "top", "threshold",
                                                           "capacity"};

/* The same values as the scenario keys stations.*.selection.* (keys_customs.c), for callers
 * without a scenario; tests/test_schema.c checks that they agree. */
void selection_params_default(selection_params *p) {
  p->policy = SELECTION_TOP;
  p->rate = 0.05;
  p->threshold = 0.5;
  p->audit_share = 0.005;
  p->aeo_exempt = 1;
  p->window = 2000;
  p->horizon_h = 4.0;
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

static int sel_window_init(sel_window *w, size_t cap, double share) {
  memset(w, 0, sizeof *w);
  w->ring = malloc(cap * sizeof *w->ring);
  w->top = malloc(cap * sizeof *w->top);
  w->cap = cap;
  w->share = share;
  /* refresh four times a window: the quantile lags a little, decisions stay cheap */
  w->every = cap / 4 ? cap / 4 : 1;
  return w->ring && w->top ? SIM_OK : SIM_ENOMEM;
}

static void sel_window_free(sel_window *w) { free(w->ring), free(w->top); }

/* Min-heap sift-down over h[0 .. n). */
static void sel_heap_down(double *h, size_t n, size_t i) {
  double x = h[i];
  for (;;) {
    size_t c = 2 * i + 1;
    if (c >= n) break;
    if (c + 1 < n && h[c + 1] < h[c]) c++;
    if (!(h[c] < x)) break;
    h[i] = h[c];
    i = c;
  }
  h[i] = x;
}

/* Takes the snapshot: the m largest scores (a bounded min-heap, then sorted descending)
 * and the counts above and at the smallest of them. */
static void sel_window_sort(sel_window *w) {
  size_t n = w->len, m = 0;
  double k = w->share * (double)n;
  if (n) m = w->share >= 1 ? n : k > 0 ? (size_t)ceil(k) : 1;
  if (m > n) m = n;
  double *h = w->top;
  for (size_t i = 0; i < n; i++) {
    double v = w->ring[i];
    if (m && i < m) {
      h[i] = v;
      if (i + 1 == m)
        for (size_t j = m / 2 + 1; j-- > 0;)
          if (j < m) sel_heap_down(h, m, j);
    } else if (m && v > h[0]) {
      h[0] = v;
      sel_heap_down(h, m, 0);
    }
  }
  for (size_t i = m; i > 1; i--) { /* heap sort: ascending pops give a descending array */
    double t = h[0];
    h[0] = h[i - 1], h[i - 1] = t;
    sel_heap_down(h, i - 1, 0);
  }
  w->above = w->equal = 0;
  if (m) {
    double b = h[m - 1];
    for (size_t i = 0; i < n; i++) {
      w->above += w->ring[i] > b;
      w->equal += w->ring[i] == b;
    }
  }
  w->m = m;
  w->sorted_n = n;
  w->since = 0;
}

static void sel_window_push(sel_window *w, double v) {
  if (isnan(v)) return;
  w->ring[w->head] = v;
  w->head = (w->head + 1) % w->cap;
  if (w->len < w->cap) w->len++;
  if (++w->since >= w->every || w->len <= SEL_MIN_FILL) sel_window_sort(w);
}

/* Probability that v is selected as one of the top `share` of the window. The item
 * sits uniformly within its tie group, so ties get the probability that keeps the
 * share exact; before the window fills, the share itself. */
static double sel_window_prob(const sel_window *w, double v, double share) {
  if (share <= 0 || isnan(v)) return 0.0;
  if (share >= 1) return 1.0;
  if (w->len < SEL_MIN_FILL) return share;
  double k = share * (double)w->sorted_n;
  if (!(k > 0)) return 0.0;
  size_t i = (size_t)ceil(k) - 1; /* B = top[i]: fewer than k above it, k or more from it */
  if (i >= w->m) i = w->m - 1;    /* share above the window's: not asked (see sel_policy) */
  double b = w->top[i];
  if (v > b) return 1.0;
  if (v < b) return 0.0;
  size_t above = w->above, equal = w->equal;
  if (b != w->top[w->m - 1]) { /* a higher tie group: all of it is in top[] */
    size_t lo = i, hi = i;
    while (lo > 0 && w->top[lo - 1] == b) lo--;
    while (hi + 1 < w->m && w->top[hi + 1] == b) hi++;
    above = lo, equal = hi - lo + 1;
  }
  return fmin(1.0, fmax(0.0, (k - (double)above) / (double)equal));
}

/* One uniform draw decides both probabilities (nested: a <= b selects a subset). */
static double sel_draw(gsl_rng *r, double a, double b) {
  int frac = (a > 0 && a < 1) || (b > 0 && b < 1);
  return frac ? rng_uniform(r) : 0.0;
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
  if (sel_window_init(&s->score, (size_t)p->window, p->rate) ||
      sel_window_init(&s->post, (size_t)p->window, p->post_audit_share)) {
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
  int audit = s->p.audit_share > 0 && rng_uniform(r) < s->p.audit_share;
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
