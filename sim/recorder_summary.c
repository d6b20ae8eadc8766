/* recorder_summary: the /kpi/summary tables: rows grouped by a key column, and for every
 * numeric column the mean, the 95% Student-t half-width across replications and the
 * number of NaN values left out (see rec_summary in recorder.h). */
#include <math.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>


#include "sim/recorder.h"
#include "sim/recorder_internal.h"
#include "sim/stats.h"

/* ---- summary ---------------------------------------------------------------- */

typedef struct groups {
  size_t n;
  size_t *first;  /* first row of each group, in order of appearance */
  size_t *of_row; /* group of each row */
} groups;

static bool same_key(rec_type t, const void *col, size_t a, size_t b) {
  if (t == REC_STR) {
    const char *x = ((const char *const *)col)[a], *y = ((const char *const *)col)[b];
    return strcmp(x ? x : "", y ? y : "") == 0;
  }
  if (t == REC_ENUM) return ((const int32_t *)col)[a] == ((const int32_t *)col)[b];
  return ((const int64_t *)col)[a] == ((const int64_t *)col)[b];
}

/* Quadratic in the number of keys, which is small (channels, stations, pools). */
static int group_rows(groups *g, rec_type t, const void *col, size_t nrows) {
  g->n = 0;
  g->first = malloc((nrows ? nrows : 1) * sizeof *g->first);
  g->of_row = malloc((nrows ? nrows : 1) * sizeof *g->of_row);
  if (!g->first || !g->of_row) return SIM_ENOMEM;
  for (size_t i = 0; i < nrows; i++) {
    size_t k = 0;
    while (k < g->n && !same_key(t, col, g->first[k], i)) k++;
    if (k == g->n) g->first[g->n++] = i;
    g->of_row[i] = k;
  }
  return SIM_OK;
}

static double value_at(rec_type t, const void *col, size_t i) {
  return t == REC_I64 ? (double)((const int64_t *)col)[i] : ((const double *)col)[i];
}

/* Mean and 95% Student-t half-width per group over the non-NaN values. */
static int column_stats(const groups *g, rec_type t, const void *col, size_t nrows, double *mean,
                        double *hw, int64_t *nan_count) {
  double *ss = calloc(g->n ? g->n : 1, sizeof *ss);
  size_t *cnt = calloc(g->n ? g->n : 1, sizeof *cnt);
  if (!ss || !cnt) {
    free(ss);
    free(cnt);
    return SIM_ENOMEM;
  }
  for (size_t k = 0; k < g->n; k++) mean[k] = 0.0, nan_count[k] = 0;
  for (size_t i = 0; i < nrows; i++) {
    double v = value_at(t, col, i);
    if (isnan(v)) nan_count[g->of_row[i]]++;
    else mean[g->of_row[i]] += v, cnt[g->of_row[i]]++;
  }
  for (size_t k = 0; k < g->n; k++) mean[k] = cnt[k] ? mean[k] / (double)cnt[k] : NAN;
  for (size_t i = 0; i < nrows; i++) {
    double v = value_at(t, col, i), d = v - mean[g->of_row[i]];
    if (!isnan(v)) ss[g->of_row[i]] += d * d;
  }
  for (size_t k = 0; k < g->n; k++) {
    double n = (double)cnt[k];
    hw[k] = cnt[k] < 2 ? NAN : stats_t_halfwidth(0.975, n - 1.0, sqrt(ss[k] / (n - 1.0)), n);
  }
  free(ss);
  free(cnt);
  return SIM_OK;
}

/* The output table under construction: columns, their data and what they own. */
typedef struct sumtab {
  size_t ncols, nown;
  rec_col *cols;
  const void **data;
  void **own;
} sumtab;

static void *sum_own(sumtab *s, void *p) {
  if (p) s->own[s->nown++] = p;
  return p;
}

static char *sum_fmt(sumtab *s, const char *fmt, const char *a) {
  size_t n = strlen(fmt) + strlen(a) + 1;
  char *p = sum_own(s, malloc(n));
  if (p) snprintf(p, n, fmt, a);
  return p;
}

static int sum_add(sumtab *s, const char *name, rec_type t, const char *units,
                   const char *long_name, const void *data) {
  if (!name || !long_name || !data) return SIM_ENOMEM;
  s->cols[s->ncols] = (rec_col){.name = name, .type = t, .units = units, .long_name = long_name};
  s->data[s->ncols++] = data;
  return SIM_OK;
}

static int sum_numeric(sumtab *s, const groups *g, const rec_col *c, const void *col,
                       size_t nrows) {
  double *mean = sum_own(s, malloc((g->n + 1) * sizeof *mean));
  double *hw = sum_own(s, malloc((g->n + 1) * sizeof *hw));
  int64_t *nan_count = sum_own(s, malloc((g->n + 1) * sizeof *nan_count));
  if (!mean || !hw || !nan_count || column_stats(g, c->type, col, nrows, mean, hw, nan_count))
    return SIM_ENOMEM;
  const char *ln = c->long_name ? c->long_name : c->name;
  int rc = sum_add(s, sum_fmt(s, "%s_mean", c->name), REC_F64, c->units,
                   sum_fmt(s, "mean over replications of: %s", ln), mean);
  if (!rc) rc = sum_add(s, sum_fmt(s, "%s_hw", c->name), REC_F64, c->units,
                        sum_fmt(s, "95%% Student-t half-width of the mean of: %s", ln), hw);
  if (!rc)
    rc = sum_add(s, sum_fmt(s, "%s_nan", c->name), REC_I64, "replications",
                 sum_fmt(s, "replications without data (NaN, ignored) for: %s", ln), nan_count);
  return rc;
}

static int sum_key(sumtab *s, const groups *g, const rec_col *kc, const void *col, size_t nrows) {
  unsigned char *keys = sum_own(s, calloc(g->n + 1, 8));
  int64_t *n = sum_own(s, calloc(g->n + 1, sizeof *n));
  if (!keys || !n) return SIM_ENOMEM;
  size_t w = kc->type == REC_ENUM ? sizeof(int32_t) : 8;
  for (size_t k = 0; k < g->n; k++)
    memcpy(keys + k * w, (const unsigned char *)col + g->first[k] * w, w);
  for (size_t i = 0; i < nrows; i++) n[g->of_row[i]]++;
  s->cols[s->ncols] = *kc;
  s->data[s->ncols++] = keys;
  return sum_add(s, "n", REC_I64, "replications", "rows (replications) with this key", n);
}

static int summarize(recorder *r, const char *path, const char *long_name, const rec_col *cols,
                     size_t ncols, size_t nrows, const void *const *columns, size_t key,
                     sim_error *err) {
  groups g = {0, NULL, NULL};
  sumtab s = {0, 0, calloc(3 * ncols + 2, sizeof(rec_col)), calloc(3 * ncols + 2, sizeof(void *)),
              calloc(9 * ncols + 4, sizeof(void *))};
  int rc = !s.cols || !s.data || !s.own ? SIM_ENOMEM
                                        : group_rows(&g, cols[key].type, columns[key], nrows);
  if (!rc) rc = sum_key(&s, &g, &cols[key], columns[key], nrows);
  for (size_t c = 0; !rc && c < ncols; c++) {
    bool numeric = cols[c].type == REC_I64 || cols[c].type == REC_F64;
    if (c != key && numeric && strcmp(cols[c].name, "replication") != 0)
      rc = sum_numeric(&s, &g, &cols[c], columns[c], nrows);
  }
  if (rc == SIM_ENOMEM) sim_error_set(err, rc, "%s: %s: out of memory", rec_partial_path(r), path);
  else if (!rc) rc = rec_table(r, path, long_name, s.cols, s.ncols, g.n, s.data, err);
  for (size_t i = 0; i < s.nown; i++) free(s.own[i]);
  free(s.own);
  free(s.cols);
  free(s.data);
  free(g.first);
  free(g.of_row);
  return rc;
}

int rec_summary(recorder *r, const char *path, const char *long_name, const rec_col *cols,
                size_t ncols, size_t nrows, const void *const *columns, const char *key_col,
                sim_error *err) {
  int rc = rec_check_new(r, path, err);
  if (!rc) rc = rec_check_cols(path, cols, ncols, err);
  if (rc) return rc;
  size_t key = 0;
  while (key < ncols && (!key_col || strcmp(cols[key].name, key_col) != 0)) key++;
  if (key == ncols || cols[key].type == REC_F64)
    return sim_error_set(err, SIM_EINVAL,
                         "%s: %s: key column '%s' missing or not a string, enum or integer",
                         rec_partial_path(r), path, key_col ? key_col : "(null)");
  for (size_t c = 0; c < ncols && nrows > 0; c++)
    if (!columns || !columns[c])
      return sim_error_set(err, SIM_EINVAL, "%s: %s: column %s has no data", rec_partial_path(r),
                           path, cols[c].name);
  return summarize(r, path, long_name, cols, ncols, nrows, columns, key, err);
}

