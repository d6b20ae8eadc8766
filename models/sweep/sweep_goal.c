/* sweep_goal: the optimizer's cost model and targets, from the command line (see
 * sweep.h). A cost term 'PATH*PRICE' adds value(PATH) * PRICE; a target 'KPI<=VALUE'
 * or 'KPI>=VALUE' names a per-replication figure by its KPI path. */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "models/sweep/sweep.h"

int sweep_goals_new(sweep_goals **out, sim_error *err) {
  *out = calloc(1, sizeof **out);
  return *out ? 0 : sim_error_set(err, SIM_ENOMEM, "out of memory");
}

void sweep_goals_free(sweep_goals *g) {
  if (!g) return;
  for (size_t i = 0; i < g->ncost; i++) free(g->cost[i].path);
  for (size_t i = 0; i < g->ntarget; i++) free(g->target[i].kpi);
  free(g);
}

static int number(const char *s, double *out) {
  char *end = NULL;
  errno = 0;
  double v = strtod(s, &end);
  if (!*s || *end || errno || !isfinite(v)) return -1;
  *out = v;
  return 0;
}

/* s[0..len) without blanks around it, into buf; 0 if it is empty or too long. */
static int cut(const char *s, size_t len, char *buf, size_t size) {
  while (len && *s == ' ') s++, len--;
  while (len && s[len - 1] == ' ') len--;
  if (!len || len >= size) return 0;
  memcpy(buf, s, len);
  buf[len] = '\0';
  return 1;
}

int sweep_goals_add_cost(sweep_goals *g, const char *arg, sim_error *err) {
  if (g->ncost == SWEEP_MAX_TERMS)
    return sim_error_set(err, SIM_EINVAL, "--cost: at most %d terms", SWEEP_MAX_TERMS);
  const char *star = strchr(arg, '*');
  char left[SWEEP_TEXT], right[SWEEP_TEXT] = "1";
  double p = 1, scratch;
  int ok = star ? cut(arg, (size_t)(star - arg), left, sizeof left) &&
                      cut(star + 1, strlen(star + 1), right, sizeof right)
                : cut(arg, strlen(arg), left, sizeof left);
  const char *path = left;
  if (ok && number(right, &p) == 0) path = left;           /* PATH*PRICE */
  else if (ok && number(left, &p) == 0) path = right;      /* PRICE*PATH */
  else ok = 0;
  if (!ok || number(path, &scratch) == 0)
    return sim_error_set(err, SIM_EINVAL,
                         "--cost '%s': expected PATH*PRICE (for example stations.s0.servers*1200)",
                         arg);
  if (!(g->cost[g->ncost].path = strdup(path)))
    return sim_error_set(err, SIM_ENOMEM, "out of memory");
  g->cost[g->ncost++].price = p;
  return 0;
}

int sweep_goals_add_target(sweep_goals *g, const char *arg, sim_error *err) {
  if (g->ntarget == SWEEP_MAX_TERMS)
    return sim_error_set(err, SIM_EINVAL, "--target: at most %d targets", SWEEP_MAX_TERMS);
  const char *le = strstr(arg, "<="), *ge = strstr(arg, ">=");
  const char *op = le ? le : ge;
  char kpi[SWEEP_TEXT], val[64];
  double v;
  if (!op || (le && ge) || !cut(arg, (size_t)(op - arg), kpi, sizeof kpi) ||
      !cut(op + 2, strlen(op + 2), val, sizeof val) || number(val, &v))
    return sim_error_set(err, SIM_EINVAL,
                         "--target '%s': expected KPI<=VALUE or KPI>=VALUE (for example "
                         "stations.s0.wait_mean_min<=0.5)",
                         arg);
  sweep_target *t = &g->target[g->ntarget];
  if (!(t->kpi = strdup(kpi))) return sim_error_set(err, SIM_ENOMEM, "out of memory");
  t->upper = op == le;
  t->value = v;
  g->ntarget++;
  return 0;
}

int sweep_goals_resolve(sweep_goals *g, sweep_plan *pl, sim_error *err) {
  for (size_t i = 0; i < g->ntarget; i++) {
    int rc = sweep_fig_level(pl->shape, g->target[i].kpi, &g->target[i].index, err);
    if (rc) return sim_error_wrap(err, "--target"), rc;
  }
  pl->nval = sweep_nval(pl->shape);
  return 0;
}

/* The axis that varies path, or -1. */
static long axis_of(const sweep_grid *gr, const char *path) {
  for (size_t a = 0; a < gr->naxes; a++)
    if (!strcmp(gr->axes[a].path, path)) return (long)a;
  return -1;
}

/* Variant scenarios differ from the base one only on the varied paths, so a cost term's
 * value is the variant's value on its axis, else the base scenario's. */
int sweep_goals_costs(const sweep_goals *g, const sweep_plan *pl, double *costs, sim_error *err) {
  const sweep_grid *gr = pl->grid;
  double fixed[SWEEP_MAX_TERMS];
  for (size_t k = 0; k < g->ncost; k++) {
    long a = axis_of(gr, g->cost[k].path);
    if (a >= 0 && gr->axes[a].type == SWEEP_STR)
      return sim_error_set(err, SIM_EINVAL, "--cost %s: the key holds text, not a number",
                           g->cost[k].path);
    if (a < 0 && sweep_config_number(pl->base, g->cost[k].path, &fixed[k], err)) return SIM_EINVAL;
  }
  for (size_t v = 0; v < gr->nvariants; v++) {
    size_t idx[SWEEP_MAX_AXES] = {0};
    sweep_grid_point(gr, v, idx);
    double c = 0;
    for (size_t k = 0; k < g->ncost; k++) {
      long a = axis_of(gr, g->cost[k].path);
      c += (a >= 0 ? gr->axes[a].num[idx[a]] : fixed[k]) * g->cost[k].price;
    }
    costs[v] = c;
  }
  return 0;
}
