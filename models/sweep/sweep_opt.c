/* sweep_opt: the cheapest configuration of the grid that meets every target with a
 * stated confidence (see sweep.h). A sequential ordered search:
 *   1. candidates in order of increasing cost (ties: grid order);
 *   2. each gets r0 replications, then batches of r0 more while the one-sided
 *      confidence bound of some target straddles it (not clearly met, not clearly
 *      missed), up to max_reps; replication k of every candidate uses the streams of
 *      (seed, k), so candidates are compared on common random numbers;
 *   3. the first clearly feasible candidate is confirmed with confirm_reps replications;
 *      if the confirmation does not hold, the search goes on;
 *   4. the runner-up: the next candidate in cost order that is clearly feasible (a few
 *      are looked at), else the infeasible candidate that came closest.
 * A target KPI<=V is clearly met when mean + t(conf, n-1) s/sqrt(n) <= V and clearly
 * missed when mean - t(conf, n-1) s/sqrt(n) > V (mirrored for >=). */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "models/sweep/sweep.h"
#include "sim/stats.h"

#define RUNNER_UP_LOOKS 2 /* candidates looked at after the winner for a feasible runner-up */

typedef struct search {
  sweep_exec *x;
  const sweep_goals *g;
  const double *costs;
  const sweep_opt_opts *o;
  sweep_opt_result *res;
} search;

void sweep_opt_result_free(sweep_opt_result *r) {
  if (!r) return;
  for (size_t i = 0; i < r->ncand; i++) {
    free(r->cand[i].mean);
    free(r->cand[i].bound);
    free(r->cand[i].hw);
  }
  free(r->cand);
  *r = (sweep_opt_result){NULL, 0, -1, -1, 0};
}

/* Runs replications [from, to) of variant v. */
static int run_reps(search *s, size_t v, int from, int to, sim_error *err) {
  if (to <= from) return 0;
  sweep_task *t = calloc((size_t)(to - from), sizeof *t);
  if (!t) return sim_error_set(err, SIM_ENOMEM, "out of memory");
  for (int k = from; k < to; k++) t[k - from] = (sweep_task){(int32_t)v, k};
  int rc = sweep_exec_run(s->x, t, (size_t)(to - from), err);
  free(t);
  return rc;
}

/* The verdict on variant v from the replications so far; fills c's figures. */
static sweep_verdict judge(search *s, sweep_cand *c) {
  const sweep_goals *g = s->g;
  int any_missed = 0, all_met = 1;
  c->violation = -INFINITY;
  c->reps = sweep_store_count(s->x->store, c->variant);
  for (size_t k = 0; k < g->ntarget; k++) {
    const sweep_target *t = &g->target[k];
    sweep_stat st;
    sweep_store_stat(s->x->store, c->variant, t->index, &st);
    /* one-sided: confidence is the quantile's probability */
    double half =
        st.n > 1 ? stats_t_halfwidth(s->o->confidence, st.n - 1.0, st.sd, st.n) : INFINITY;
    double hi = st.mean + half, lo = st.mean - half;
    c->mean[k] = st.mean;
    c->hw[k] = st.hw95;
    c->bound[k] = t->upper ? hi : lo;
    double scale = fabs(t->value) > 0 ? fabs(t->value) : 1;
    double miss = (t->upper ? st.mean - t->value : t->value - st.mean) / scale;
    if (st.n == 0) { /* no data in any replication: nothing shows it is met */
      c->bound[k] = NAN;
      any_missed |= c->reps >= s->o->r0;
      all_met = 0;
      miss = INFINITY;
    } else if (t->upper ? hi <= t->value : lo >= t->value) {
      /* clearly met */
    } else {
      all_met = 0;
      if (t->upper ? lo > t->value : hi < t->value) any_missed = 1;
    }
    if (miss > c->violation) c->violation = miss;
  }
  return any_missed ? SWEEP_INFEASIBLE : all_met ? SWEEP_FEASIBLE : SWEEP_UNDECIDED;
}

static const char *verdict_word(sweep_verdict v) {
  return v == SWEEP_FEASIBLE ? "feasible" : v == SWEEP_INFEASIBLE ? "infeasible" : "undecided";
}

static void log_cand(search *s, const sweep_cand *c, const char *what) {
  FILE *f = s->o->log;
  if (!f) return;
  char desc[1024];
  sweep_grid_describe(s->x->pl->grid, c->variant, desc, sizeof desc);
  fprintf(f, "  %-10s %s  cost=%g  reps=%d  %s", what, desc, c->cost, c->reps,
          verdict_word(c->verdict));
  for (size_t k = 0; k < s->g->ntarget; k++)
    fprintf(f, "  %s=%.4g (bound %.4g; target %s %g)", s->g->target[k].kpi, c->mean[k], c->bound[k],
            s->g->target[k].upper ? "<=" : ">=", s->g->target[k].value);
  fprintf(f, "\n");
  fflush(f);
}

static int new_cand(search *s, size_t v, sweep_cand **out, sim_error *err) {
  sweep_opt_result *r = s->res;
  sweep_cand *grown = realloc(r->cand, (r->ncand + 1) * sizeof *grown);
  if (!grown) return sim_error_set(err, SIM_ENOMEM, "out of memory");
  r->cand = grown;
  sweep_cand *c = &r->cand[r->ncand];
  size_t nt = s->g->ntarget ? s->g->ntarget : 1;
  *c = (sweep_cand){.variant = v, .cost = s->costs[v]};
  c->mean = calloc(nt, sizeof *c->mean);
  c->bound = calloc(nt, sizeof *c->bound);
  c->hw = calloc(nt, sizeof *c->hw);
  r->ncand++;
  if (!c->mean || !c->bound || !c->hw) return sim_error_set(err, SIM_ENOMEM, "out of memory");
  *out = c;
  return 0;
}

/* r0 replications, then batches while undecided, up to max_reps. */
static int evaluate(search *s, size_t v, long *index, sim_error *err) {
  sweep_cand *c = NULL;
  int rc = new_cand(s, v, &c, err);
  if (rc) return rc;
  *index = (long)s->res->ncand - 1;
  int have = 0, want = s->o->r0;
  for (;;) {
    rc = run_reps(s, v, have, want, err);
    c = &s->res->cand[*index];
    c->verdict = judge(s, c);
    if (rc) return rc;
    have = want;
    if (c->verdict != SWEEP_UNDECIDED || have >= s->o->max_reps) break;
    want = have + s->o->r0 < s->o->max_reps ? have + s->o->r0 : s->o->max_reps;
  }
  log_cand(s, c, "candidate");
  return 0;
}

/* More replications for the winner; 1 when it stays clearly feasible. */
static int confirm(search *s, long i, sim_error *err) {
  sweep_cand *c = &s->res->cand[i];
  int rc = run_reps(s, c->variant, c->reps, s->o->confirm_reps, err);
  c->verdict = judge(s, c);
  if (rc) return rc;
  c->confirmed = c->verdict == SWEEP_FEASIBLE ? 1 : -1;
  log_cand(s, c, c->confirmed > 0 ? "confirmed" : "NOT CONFIRMED");
  return 0;
}

typedef struct keyed {
  double cost;
  size_t v;
} keyed;

static int by_cost(const void *a, const void *b) {
  const keyed *x = a, *y = b;
  if (x->cost != y->cost) return x->cost < y->cost ? -1 : 1;
  return (x->v > y->v) - (x->v < y->v);
}

/* Indices of the variants by increasing cost (ties: grid order). */
static size_t *cost_order(const double *costs, size_t n) {
  keyed *k = malloc((n ? n : 1) * sizeof *k);
  size_t *ord = malloc((n ? n : 1) * sizeof *ord);
  if (k && ord) {
    for (size_t i = 0; i < n; i++) k[i] = (keyed){costs[i], i};
    qsort(k, n, sizeof *k, by_cost);
    for (size_t i = 0; i < n; i++) ord[i] = k[i].v;
  } else {
    free(ord);
    ord = NULL;
  }
  free(k);
  return ord;
}

static void pick_runner_up(sweep_opt_result *r) {
  for (size_t i = 0; i < r->ncand; i++) /* the first feasible after the winner: next-cheapest */
    if ((long)i != r->best && r->cand[i].verdict == SWEEP_FEASIBLE && r->cand[i].confirmed >= 0 &&
        (r->best < 0 || r->cand[i].cost >= r->cand[r->best].cost)) {
      r->runner_up = (long)i;
      r->runner_up_feasible = 1;
      return;
    }
  for (size_t i = 0; i < r->ncand; i++)
    if ((long)i != r->best &&
        (r->runner_up < 0 || r->cand[i].violation < r->cand[r->runner_up].violation))
      r->runner_up = (long)i;
}

int sweep_optimize(sweep_exec *x, const sweep_goals *g, const double *costs,
                   const sweep_opt_opts *o, sweep_opt_result *res, sim_error *err) {
  *res = (sweep_opt_result){NULL, 0, -1, -1, 0};
  size_t nv = x->pl->grid->nvariants;
  size_t *ord = cost_order(costs, nv);
  if (!ord) return sim_error_set(err, SIM_ENOMEM, "out of memory");
  search s = {x, g, costs, o, res};
  int rc = 0, looks = 0;
  for (size_t k = 0; !rc && k < nv; k++) {
    long i;
    rc = evaluate(&s, ord[k], &i, err);
    if (rc) break;
    if (res->best >= 0) { /* looking for a feasible runner-up */
      if (res->cand[i].verdict == SWEEP_FEASIBLE || ++looks >= RUNNER_UP_LOOKS) break;
      continue;
    }
    if (res->cand[i].verdict != SWEEP_FEASIBLE) continue;
    rc = confirm(&s, i, err);
    if (!rc && res->cand[i].confirmed > 0) res->best = i;
  }
  free(ord);
  pick_runner_up(res);
  return rc;
}
