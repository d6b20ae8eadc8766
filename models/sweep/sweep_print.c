/* sweep_print: what customs-sweep prints at the end (see sweep.h): the sweep table
 * (one row per variant: settings, replications and a few KPIs as mean ± 95% half-width)
 * and the optimizer's answer (best, its KPIs with confidence intervals, runner-up). */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "models/sweep/sweep.h"

#define MAX_KPIS 12
#define CELL 48

static void ci_text(char *buf, size_t size, const sweep_stat *st) {
  if (isnan(st->mean)) snprintf(buf, size, "-");
  else if (isnan(st->hw95)) snprintf(buf, size, "%.4g", st->mean);
  else snprintf(buf, size, "%.4g ± %.2g", st->mean, st->hw95);
}

/* Display width of UTF-8 text (each code point one column). */
static int width(const char *s) {
  int w = 0;
  for (; *s; s++) w += ((unsigned char)*s & 0xC0) != 0x80;
  return w;
}

static void pad(FILE *f, const char *s, int w) {
  fprintf(f, "%s%*s", s, w - width(s) > 0 ? w - width(s) : 0, "");
}

/* The KPIs shown: every channel's release mean and p95 (a few channels at most), and
 * the wait and utilization of the stations a varied path names. */
static size_t pick_kpis(const sweep_plan *pl, size_t *idx) {
  static const char *const ch_figs[] = {"release_mean_min", "release_p95_min"};
  static const char *const st_figs[] = {"wait_mean_min", "utilization"};
  const spec *sp = pl->shape;
  size_t n = 0;
  char path[512];
  for (size_t c = 0; c < sp->nch && c < 3; c++)
    for (size_t k = 0; k < 2 && n < MAX_KPIS; k++) {
      snprintf(path, sizeof path, "channels.%s.%s", sp->ch[c].name, ch_figs[k]);
      if (!sweep_fig_find(sp, path, &idx[n], NULL)) n++;
    }
  for (size_t s = 0; s < sp->nst; s++) {
    int named = 0;
    snprintf(path, sizeof path, "stations.%s.", sp->st[s].name);
    for (size_t a = 0; a < pl->grid->naxes; a++)
      named |= !strncmp(pl->grid->axes[a].path, path, strlen(path));
    for (size_t k = 0; named && k < 2 && n < MAX_KPIS; k++) {
      snprintf(path, sizeof path, "stations.%s.%s", sp->st[s].name, st_figs[k]);
      if (!sweep_fig_find(sp, path, &idx[n], NULL)) n++;
    }
  }
  return n;
}

void sweep_print_sweep(FILE *f, const sweep_plan *pl, const sweep_store *s) {
  size_t kp[MAX_KPIS], nk = pick_kpis(pl, kp), na = pl->grid->naxes, ncol = 2 + na + nk;
  size_t nrow = s->nvar + 1;
  char(*cell)[CELL] = calloc(nrow * ncol, sizeof *cell);
  int *w = calloc(ncol, sizeof *w);
  if (!cell || !w) {
    free(cell);
    free(w);
    return;
  }
  snprintf(cell[0], CELL, "variant");
  for (size_t a = 0; a < na; a++) snprintf(cell[1 + a], CELL, "%s", pl->grid->axes[a].path);
  snprintf(cell[1 + na], CELL, "n");
  for (size_t k = 0; k < nk; k++) sweep_fig_name(pl->shape, kp[k], cell[2 + na + k], CELL);
  for (size_t v = 0; v < s->nvar; v++) {
    char(*row)[CELL] = cell + (v + 1) * ncol;
    size_t idx[SWEEP_MAX_AXES] = {0};
    sweep_grid_point(pl->grid, v, idx);
    snprintf(row[0], CELL, "%zu", v);
    for (size_t a = 0; a < na; a++)
      snprintf(row[1 + a], CELL, "%s", pl->grid->axes[a].text[idx[a]]);
    snprintf(row[1 + na], CELL, "%d", sweep_store_count(s, v));
    for (size_t k = 0; k < nk; k++) {
      sweep_stat st;
      sweep_store_stat(s, v, kp[k], &st);
      ci_text(row[2 + na + k], CELL, &st);
    }
  }
  for (size_t r = 0; r < nrow; r++)
    for (size_t c = 0; c < ncol; c++)
      if (width(cell[r * ncol + c]) > w[c]) w[c] = width(cell[r * ncol + c]);
  for (size_t r = 0; r < nrow; r++) {
    for (size_t c = 0; c < ncol; c++) {
      if (c + 1 < ncol) pad(f, cell[r * ncol + c], w[c] + 2);
      else fprintf(f, "%s\n", cell[r * ncol + c]);
    }
  }
  free(cell);
  free(w);
}

static void print_cand(FILE *f, const char *label, const sweep_plan *pl, const sweep_goals *g,
                       const sweep_cand *c, double confidence) {
  char desc[1024];
  sweep_grid_describe(pl->grid, c->variant, desc, sizeof desc);
  fprintf(f, "%s: %s cost=%g  (%d replications)\n", label, desc, c->cost, c->reps);
  for (size_t k = 0; k < g->ntarget; k++) {
    const sweep_target *t = &g->target[k];
    char ci[96];
    sweep_stat st = {c->reps, c->mean[k], NAN, c->hw[k]};
    ci_text(ci, sizeof ci, &st);
    int met = t->upper ? c->bound[k] <= t->value : c->bound[k] >= t->value;
    fprintf(f, "  %s = %s (95%% CI); %s %.0f%% bound %.4g %s target %g: %s\n", t->kpi, ci,
            t->upper ? "upper" : "lower", 100 * confidence, c->bound[k],
            t->upper ? "<=" : ">=", t->value, met ? "met" : "not met");
  }
}

void sweep_print_opt(FILE *f, const sweep_plan *pl, const sweep_goals *g, const sweep_opt_result *r,
                     double confidence) {
  fprintf(f, "\n");
  if (r->best >= 0) print_cand(f, "best", pl, g, &r->cand[r->best], confidence);
  else
    fprintf(f,
            "best: none (no configuration of the grid meets every target at %.0f%% confidence)\n",
            100 * confidence);
  if (r->runner_up >= 0)
    print_cand(f,
               r->runner_up_feasible ? "runner-up (next-cheapest feasible)"
                                     : "runner-up (closest infeasible)",
               pl, g, &r->cand[r->runner_up], confidence);
  else fprintf(f, "runner-up: none\n");
}
