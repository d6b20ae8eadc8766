/* sweep_out: the result file of a sweep or an optimization (see sweep.h), written from
 * one thread with the generic recorder:
 *   root attributes  schema, seed, replications, scenario (the base text), scenario_file,
 *                    program_version, start, warmup_days, days, sweep_paths, variants,
 *                    mode, complete
 *   /sweep           one row per variant run: (with several --vary) `series`, the text
 *                    of every setting but the first, which customs-report draws as one
 *                    line each; the varied paths, variant, n, and for each KPI its mean
 *                    and 95% Student-t half-width (NAME_mean, NAME_hw)
 *   /kpi/channels, /kpi/stations, /kpi/staff, /kpi/classes, /kpi/batches, /kpi/recovery
 *                    one row per variant, replication and entity (a `variant` column
 *                    first), as customs-sim's tables (recovery: with disruptions only)
 *   /kpi/summary/channels, /kpi/summary/stations, ... (the same tables)
 *                    one row per variant and entity (key "NAME [servers=4,...]"):
 *                    FIG_mean, FIG_hw, FIG_nan, which customs-report prints
 *   /optimize        (optimize) one row per candidate evaluated, in evaluation order */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "models/sweep/sweep.h"
#include "sim/recorder.h"

/* A table under construction: its columns, their data and the strings it owns. */
typedef struct tab {
  rec_col *cols;
  void **data;
  size_t n, cap, rows;
  char **own;
  size_t nown;
  int failed;
} tab;

static void tab_free(tab *t) {
  for (size_t i = 0; i < t->n; i++) free(t->data[i]);
  for (size_t i = 0; i < t->nown; i++) free(t->own[i]);
  free(t->cols);
  free(t->data);
  free(t->own);
}

static const char *tab_str(tab *t, const char *fmt, const char *a, const char *b) {
  char *s = NULL;
  char **grown = realloc(t->own, (t->nown + 1) * sizeof *grown);
  if (grown) t->own = grown;
  if (!grown || asprintf(&s, fmt, a, b) < 0) {
    t->failed = 1;
    return "";
  }
  return t->own[t->nown++] = s;
}

/* Adds a column (name and long_name are copied); returns its data, or NULL. */
static void *tab_col(tab *t, const char *name, rec_type type, const char *units,
                     const char *long_name) {
  if (t->failed) return NULL;
  if (t->n == t->cap) {
    size_t cap = t->cap ? 2 * t->cap : 32;
    rec_col *c = realloc(t->cols, cap * sizeof *c);
    if (c) t->cols = c;
    void **d = c ? realloc(t->data, cap * sizeof *d) : NULL;
    if (!d) return t->failed = 1, NULL;
    t->data = d;
    t->cap = cap;
  }
  void *p = calloc(t->rows ? t->rows : 1, 8);
  if (!p) return t->failed = 1, NULL;
  t->cols[t->n] = (rec_col){tab_str(t, "%s%s", name, ""),      type, units,
                            tab_str(t, "%s%s", long_name, ""), NULL, 0};
  t->data[t->n++] = p;
  return t->failed ? NULL : p;
}

static int tab_write(recorder *rec, tab *t, const char *path, const char *long_name,
                     sim_error *err) {
  int rc = t->failed ? sim_error_set(err, SIM_ENOMEM, "out of memory")
                     : rec_table(rec, path, long_name, t->cols, t->n, t->rows,
                                 (const void *const *)t->data, err);
  tab_free(t);
  return rc;
}

/* The varied paths' columns for the given variants. */
static void setting_cols(tab *t, const sweep_grid *g, const size_t *vars) {
  for (size_t a = 0; a < g->naxes; a++) {
    const sweep_axis *ax = &g->axes[a];
    rec_type ty = ax->type == SWEEP_FLOAT ? REC_F64 : ax->type == SWEEP_STR ? REC_STR : REC_I64;
    void *col = tab_col(t, ax->path, ty, "", tab_str(t, "setting %s%s", ax->path, ""));
    for (size_t r = 0; col && r < t->rows; r++) {
      size_t idx[SWEEP_MAX_AXES] = {0};
      sweep_grid_point(g, vars[r], idx);
      if (ty == REC_F64) ((double *)col)[r] = ax->num[idx[a]];
      else if (ty == REC_I64) ((int64_t *)col)[r] = (int64_t)ax->num[idx[a]];
      else ((const char **)col)[r] = ax->text[idx[a]];
    }
  }
}

static int write_sweep(recorder *rec, const sweep_out_meta *m, sim_error *err) {
  const sweep_plan *pl = m->pl;
  const sweep_store *s = m->store;
  size_t *vars = calloc(s->nvar ? s->nvar : 1, sizeof *vars), nv = 0;
  if (!vars) return sim_error_set(err, SIM_ENOMEM, "out of memory");
  for (size_t v = 0; v < s->nvar; v++)
    if (sweep_store_count(s, v) > 0) vars[nv++] = v;
  tab t = {.rows = nv};
  const sweep_grid *g = pl->grid;
  const char **series =
      g->naxes > 1
          ? tab_col(
                &t, "series", REC_STR, "",
                "the settings of every varied path but the first (one line per value in charts)")
          : NULL;
  for (size_t r = 0; series && r < nv; r++) {
    char buf[2048];
    size_t used = 0, idx[SWEEP_MAX_AXES] = {0};
    sweep_grid_point(g, vars[r], idx);
    buf[0] = '\0';
    for (size_t a = 1; a < g->naxes && used < sizeof buf; a++)
      used += (size_t)snprintf(buf + used, sizeof buf - used, "%s%s=%s", a > 1 ? " " : "",
                               g->axes[a].path, g->axes[a].text[idx[a]]);
    series[r] = tab_str(&t, "%s%s", buf, "");
  }
  setting_cols(&t, g, vars);
  int64_t *vc = tab_col(&t, "variant", REC_I64, "1", "variant index (grid order)");
  int64_t *nc = tab_col(&t, "n", REC_I64, "replications", "replications run");
  for (size_t r = 0; vc && nc && r < nv; r++)
    vc[r] = (int64_t)vars[r], nc[r] = sweep_store_count(s, vars[r]);
  for (size_t i = 0; i < pl->nval; i++) {
    const char *entity;
    const sweep_fig *f = sweep_fig_at(pl->shape, i, &entity);
    if (!f || !(f->show & KPI_SWEEP)) continue;
    char name[512];
    sweep_fig_name(pl->shape, i, name, sizeof name);
    const char *what = tab_str(&t, "%s of %s", f->long_name, entity);
    double *mc = tab_col(&t, tab_str(&t, "%s%s", name, "_mean"), REC_F64, f->units,
                         tab_str(&t, "mean over replications: %s%s", what, ""));
    double *hc = tab_col(&t, tab_str(&t, "%s%s", name, "_hw"), REC_F64, f->units,
                         tab_str(&t, "95%% half-width (Student t): %s%s", what, ""));
    for (size_t r = 0; mc && hc && r < nv; r++) {
      sweep_stat st;
      sweep_store_stat(s, vars[r], i, &st);
      mc[r] = st.mean;
      hc[r] = st.hw95;
    }
  }
  free(vars);
  return tab_write(rec, &t, "/sweep", "KPIs per variant: mean and 95% half-width over replications",
                   err);
}

/* The key column of each group's tables. */
static const char *const key[KPI_NRECORDS] = {
    [KPI_CHANNEL] = "channel", [KPI_STATION] = "station", [KPI_POOL] = "pool",
    [KPI_RECOVERY] = "scope",  [KPI_CLASS] = "id",        [KPI_BATCH] = "id"};

/* /kpi/<table> for one group of figures: rows (variant, replication, entity). */
static int write_kpi(recorder *rec, const sweep_out_meta *m, sweep_group grp, sim_error *err) {
  const sweep_plan *pl = m->pl;
  const sweep_store *s = m->store;
  const spec *sp = pl->shape;
  size_t nent = sweep_entities(sp, grp), nreps = 0;
  if (!nent) return 0;
  for (size_t v = 0; v < s->nvar; v++) nreps += (size_t)sweep_store_count(s, v);
  tab t = {.rows = nreps * nent};
  int64_t *vc = tab_col(&t, "variant", REC_I64, "1", "variant index (grid order)");
  int64_t *rc_ = tab_col(&t, "replication", REC_I64, "1", "replication index");
  const char **kc = tab_col(&t, key[grp], REC_STR, "", tab_str(&t, "%s name%s", key[grp], ""));
  size_t base, nf;
  const sweep_fig *cat = kpi_catalog(grp, &nf);
  sweep_group_span(sp, grp, &base, &nf);
  for (size_t i = 0; i < nf; i++)
    tab_col(&t, cat[i].name, cat[i].is_int ? REC_I64 : REC_F64, cat[i].units, cat[i].long_name);
  size_t row = 0;
  for (size_t v = 0; !t.failed && v < s->nvar; v++)
    for (int r = 0; r < s->cap[v]; r++) {
      if (!s->have[v][r]) continue;
      const double *x = s->vals[v] + (size_t)r * s->nval + base;
      for (size_t e = 0; e < nent; e++, row++) {
        vc[row] = (int64_t)v, rc_[row] = r;
        kc[row] = sweep_entity_name(sp, grp, e);
        for (size_t f = 0; f < nf; f++) {
          if (t.cols[3 + f].type == REC_I64)
            ((int64_t *)t.data[3 + f])[row] = (int64_t)x[e * nf + f];
          else ((double *)t.data[3 + f])[row] = x[e * nf + f];
        }
      }
    }
  char path[64], ln[128];
  snprintf(path, sizeof path, "/kpi/%s", kpi_record_word(grp));
  snprintf(ln, sizeof ln, "figures per variant, replication and %s", key[grp]);
  return tab_write(rec, &t, path, ln, err);
}

/* "NAME [servers=4,rate_per_hour=150]": an entity of a variant, with the last part of
 * each varied path, as the key customs-report shows. */
static const char *variant_key(tab *t, const sweep_grid *g, size_t v, const char *entity) {
  char buf[1024];
  size_t idx[SWEEP_MAX_AXES] = {0}, used = 0;
  sweep_grid_point(g, v, idx);
  used += (size_t)snprintf(buf, sizeof buf, "%s [", entity);
  for (size_t a = 0; a < g->naxes && used < sizeof buf; a++) {
    const char *last = strrchr(g->axes[a].path, '.');
    used += (size_t)snprintf(buf + used, sizeof buf - used, "%s%s=%s", a ? "," : "",
                             last ? last + 1 : g->axes[a].path, g->axes[a].text[idx[a]]);
  }
  if (used < sizeof buf) snprintf(buf + used, sizeof buf - used, "]");
  return tab_str(t, "%s%s", buf, "");
}

/* /kpi/summary/<table>: one row per variant and entity, every figure's mean, 95%
 * half-width and count of replications without data (as customs-sim's summaries). */
static int write_kpi_summary(recorder *rec, const sweep_out_meta *m, sweep_group grp,
                             sim_error *err) {
  const sweep_plan *pl = m->pl;
  const sweep_store *s = m->store;
  const spec *sp = pl->shape;
  size_t nent = sweep_entities(sp, grp), nv = 0;
  if (!nent) return 0;
  for (size_t v = 0; v < s->nvar; v++) nv += sweep_store_count(s, v) > 0;
  tab t = {.rows = nv * nent};
  const char **kc = tab_col(&t, key[grp], REC_STR, "",
                            tab_str(&t, "%s name [its variant's settings]%s", key[grp], ""));
  int64_t *vc = tab_col(&t, "variant", REC_I64, "1", "variant index (grid order)");
  int64_t *nc = tab_col(&t, "n", REC_I64, "replications", "replications run");
  size_t first, nf;
  sweep_group_span(sp, grp, &first, &nf);
  for (size_t f = 0; f < nf; f++) {
    const sweep_fig *fg = sweep_fig_at(sp, first + f, NULL);
    tab_col(&t, tab_str(&t, "%s%s", fg->name, "_mean"), REC_F64, fg->units,
            tab_str(&t, "mean over replications: %s%s", fg->long_name, ""));
    tab_col(&t, tab_str(&t, "%s%s", fg->name, "_hw"), REC_F64, fg->units,
            tab_str(&t, "95%% half-width (Student t): %s%s", fg->long_name, ""));
    tab_col(&t, tab_str(&t, "%s%s", fg->name, "_nan"), REC_I64, "replications",
            "replications without data");
  }
  size_t row = 0;
  for (size_t v = 0; !t.failed && v < s->nvar; v++) {
    int n = sweep_store_count(s, v);
    if (!n) continue;
    for (size_t e = 0; e < nent; e++, row++) {
      const char *ent = "";
      sweep_fig_at(sp, first + e * nf, &ent);
      kc[row] = variant_key(&t, pl->grid, v, ent);
      vc[row] = (int64_t)v, nc[row] = n;
      for (size_t f = 0; f < nf; f++) {
        sweep_stat st;
        sweep_store_stat(s, v, first + e * nf + f, &st);
        ((double *)t.data[3 + 3 * f])[row] = st.mean;
        ((double *)t.data[4 + 3 * f])[row] = st.hw95;
        ((int64_t *)t.data[5 + 3 * f])[row] = n - st.n;
      }
    }
  }
  char path[64], ln[128];
  snprintf(path, sizeof path, "/kpi/summary/%s", kpi_record_word(grp));
  snprintf(ln, sizeof ln, "mean and 95%% half-width across replications, per variant and %s",
           key[grp]);
  return tab_write(rec, &t, path, ln, err);
}

static const char *const verdict_labels[] = {"undecided", "feasible", "infeasible"};

static int write_optimize(recorder *rec, const sweep_out_meta *m, sim_error *err) {
  const sweep_opt_result *o = m->opt;
  const sweep_goals *g = m->goals;
  size_t *vars = calloc(o->ncand ? o->ncand : 1, sizeof *vars);
  if (!vars) return sim_error_set(err, SIM_ENOMEM, "out of memory");
  for (size_t i = 0; i < o->ncand; i++) vars[i] = o->cand[i].variant;
  tab t = {.rows = o->ncand};
  int64_t *step = tab_col(&t, "step", REC_I64, "1", "evaluation order");
  setting_cols(&t, m->pl->grid, vars);
  int64_t *vc = tab_col(&t, "variant", REC_I64, "1", "variant index (grid order)");
  double *cost =
      tab_col(&t, "cost", REC_F64, "1", "cost: sum of value(PATH) * PRICE over the --cost terms");
  int64_t *nc = tab_col(&t, "n", REC_I64, "replications", "replications used");
  for (size_t i = 0; step && vc && cost && nc && i < o->ncand; i++)
    step[i] = (int64_t)i, vc[i] = (int64_t)vars[i], cost[i] = o->cand[i].cost,
    nc[i] = o->cand[i].reps;
  for (size_t k = 0; k < g->ntarget; k++) {
    const char *entity;
    const sweep_fig *f = sweep_fig_at(m->pl->shape, g->target[k].index, &entity);
    const char *kpi = g->target[k].kpi, *u = f ? f->units : "1";
    double *mc = tab_col(&t, tab_str(&t, "%s%s", kpi, "_mean"), REC_F64, u,
                         tab_str(&t, "mean of %s%s", kpi, ""));
    double *hc = tab_col(&t, tab_str(&t, "%s%s", kpi, "_hw"), REC_F64, u,
                         tab_str(&t, "95%% half-width of %s%s", kpi, ""));
    double *bc = tab_col(&t, tab_str(&t, "%s%s", kpi, "_bound"), REC_F64, u,
                         tab_str(&t, "one-sided confidence bound of %s (%s the target)", kpi,
                                 g->target[k].upper ? "upper: <=" : "lower: >="));
    for (size_t i = 0; mc && hc && bc && i < o->ncand; i++)
      mc[i] = o->cand[i].mean[k], hc[i] = o->cand[i].hw[k], bc[i] = o->cand[i].bound[k];
  }
  int64_t *fe =
      tab_col(&t, "feasible", REC_I64, "1", "1: every target met at the stated confidence");
  int32_t *vd = tab_col(&t, "verdict", REC_ENUM, "",
                        "feasible, infeasible, or undecided within the replication budget");
  if (!t.failed) t.cols[t.n - 1].labels = verdict_labels, t.cols[t.n - 1].nlabels = 3;
  int64_t *cf = tab_col(&t, "confirmed", REC_I64, "1",
                        "1: confirmed by the confirmation run, -1: not confirmed, 0: not run");
  int64_t *role = tab_col(&t, "role", REC_I64, "1", "1: best, 2: runner-up, 0: other");
  for (size_t i = 0; fe && vd && cf && role && i < o->ncand; i++) {
    fe[i] = o->cand[i].verdict == SWEEP_FEASIBLE;
    vd[i] = (int32_t)o->cand[i].verdict;
    cf[i] = o->cand[i].confirmed;
    role[i] = (long)i == o->best ? 1 : (long)i == o->runner_up ? 2 : 0;
  }
  free(vars);
  int rc = tab_write(rec, &t, "/optimize",
                     "candidates evaluated by the optimizer, in evaluation order", err);
  char text[4096] = "";
  size_t used = 0;
  for (size_t k = 0; k < g->ntarget && used < sizeof text; k++)
    used +=
        (size_t)snprintf(text + used, sizeof text - used, "%s%s%s%g", k ? "; " : "",
                         g->target[k].kpi, g->target[k].upper ? "<=" : ">=", g->target[k].value);
  if (!rc) rc = rec_attr_str(rec, "/optimize", "targets", text, err);
  used = 0, text[0] = '\0';
  for (size_t k = 0; k < g->ncost && used < sizeof text; k++)
    used += (size_t)snprintf(text + used, sizeof text - used, "%s%s*%g", k ? " + " : "",
                             g->cost[k].path, g->cost[k].price);
  if (!rc) rc = rec_attr_str(rec, "/optimize", "cost", text, err);
  if (!rc) rc = rec_attr_f64(rec, "/optimize", "confidence", m->confidence, err);
  if (!rc)
    rc = rec_attr_i64(rec, "/optimize", "best_variant",
                      o->best >= 0 ? (int64_t)o->cand[o->best].variant : -1, err);
  if (!rc)
    rc = rec_attr_i64(rec, "/optimize", "runner_up_variant",
                      o->runner_up >= 0 ? (int64_t)o->cand[o->runner_up].variant : -1, err);
  return rc;
}

static int write_attrs(recorder *rec, const sweep_out_meta *m, sim_error *err) {
  const sweep_plan *pl = m->pl;
  int64_t reps = 0;
  for (size_t v = 0; v < m->store->nvar; v++)
    if (sweep_store_count(m->store, v) > reps) reps = sweep_store_count(m->store, v);
  char paths[SWEEP_MAX_AXES * (SWEEP_TEXT + 1)] = "";
  for (size_t a = 0, used = 0; a < pl->grid->naxes; a++)
    used += (size_t)snprintf(paths + used, sizeof paths - used, "%s%s", a ? "," : "",
                             pl->grid->axes[a].path);
  int rc = rec_attr_str(rec, "/", "schema", "customs-sim/1", err);
  if (!rc) rc = rec_attr_i64(rec, "/", "seed", (int64_t)pl->seed, err);
  if (!rc) rc = rec_attr_i64(rec, "/", "replications", reps, err);
  if (!rc) rc = rec_attr_str(rec, "/", "scenario", scenario_text(pl->base), err);
  if (!rc) rc = rec_attr_str(rec, "/", "scenario_file", pl->file, err);
  if (!rc) rc = rec_attr_str(rec, "/", "program_version", m->version, err);
  if (!rc) rc = rec_attr_str(rec, "/", "start", pl->shape->start_iso, err);
  if (!rc) rc = rec_attr_f64(rec, "/", "warmup_days", pl->shape->warmup_min / 1440, err);
  if (!rc) rc = rec_attr_f64(rec, "/", "days", pl->shape->days_min / 1440, err);
  if (!rc) rc = rec_attr_str(rec, "/", "sweep_paths", paths, err);
  if (!rc) rc = rec_attr_i64(rec, "/", "variants", (int64_t)pl->grid->nvariants, err);
  if (!rc) rc = rec_attr_str(rec, "/", "mode", m->mode, err);
  return rc;
}

int sweep_out_write(const char *path, const sweep_out_meta *m, sim_error *err) {
  recorder *rec = NULL;
  int rc = rec_open(&rec, path, err);
  if (rc) return rc;
  rc = write_attrs(rec, m, err);
  if (!rc) rc = write_sweep(rec, m, err);
  for (int g = 0; !rc && g < KPI_NRECORDS; g++) {
    rc = write_kpi(rec, m, (sweep_group)g, err);
    if (!rc) rc = write_kpi_summary(rec, m, (sweep_group)g, err);
  }
  if (!rc && m->opt) rc = write_optimize(rec, m, err);
  if (rc) {
    rec_abort(rec);
    return rc;
  }
  return rec_close(rec, m->complete, err);
}
