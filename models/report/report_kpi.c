/* report_kpi: the figures of one KPI table for customs-report, gathered by key
 * (channel, station, pool: the table's first text field) and figure, with their mean
 * and 95% Student-t half-width over replications. Read either from the stored summary
 * (/kpi/summary/NAME) or computed from the per-replication table (/kpi/NAME), which
 * also keeps each replication's value for paired comparisons. */
#include "models/report/report.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "sim/stats.h"

enum { MAX_ROWS = 1 << 20 };

size_t report_mean_hw(const double *x, size_t n, double *mean, double *hw) {
  double sum = 0.0, ss = 0.0;
  size_t k = 0;
  for (size_t i = 0; i < n; i++)
    if (!isnan(x[i])) sum += x[i], k++;
  *mean = k ? sum / (double)k : NAN;
  for (size_t i = 0; i < n; i++)
    if (!isnan(x[i])) ss += (x[i] - *mean) * (x[i] - *mean);
  double sd = k < 2 ? NAN : sqrt(ss / (double)(k - 1));
  *hw = k < 2 ? NAN : stats_t_halfwidth(0.975, (double)(k - 1), sd, (double)k);
  return k;
}

void report_kpi_free(report_kpi *k) {
  if (!k) return;
  for (size_t i = 0; k->keys && i < k->nkeys; i++) free(k->keys[i]);
  for (size_t i = 0; k->figs && i < k->nfigs; i++)
    free(k->figs[i]), free(k->units ? k->units[i] : NULL);
  free(k->keys);
  free(k->figs);
  free(k->units);
  free(k->n);
  free(k->mean);
  free(k->hw);
  free(k->nan);
  free(k->vals);
  free(k->rep_ids);
  free(k->source);
  free(k);
}

long report_kpi_key(const report_kpi *k, const char *key) {
  for (size_t i = 0; i < k->nkeys; i++)
    if (strcmp(k->keys[i], key) == 0) return (long)i;
  return -1;
}

long report_kpi_fig(const report_kpi *k, const char *fig) {
  for (size_t i = 0; i < k->nfigs; i++)
    if (strcmp(k->figs[i], fig) == 0) return (long)i;
  return -1;
}

static long key_column(const report_table *t) {
  for (size_t c = 0; c < report_table_ncols(t); c++) {
    report_kind kd = report_table_kind(t, c);
    if (kd == REPORT_STR || kd == REPORT_ENUM) return (long)c;
  }
  return -1;
}

static bool numeric(const report_table *t, size_t c) {
  return report_table_kind(t, c) == REPORT_INT || report_table_kind(t, c) == REPORT_FLOAT;
}

static bool kpi_alloc(report_kpi *k, size_t nkeys, size_t nfigs, size_t nrep) {
  size_t cells = nkeys * nfigs + 1;
  k->nrep = nrep;
  k->keys = calloc(nkeys + 1, sizeof *k->keys);
  k->figs = calloc(nfigs + 1, sizeof *k->figs);
  k->units = calloc(nfigs + 1, sizeof *k->units);
  k->n = calloc(nkeys + 1, sizeof *k->n);
  k->mean = calloc(cells, sizeof *k->mean);
  k->hw = calloc(cells, sizeof *k->hw);
  k->nan = calloc(cells, sizeof *k->nan);
  if (nrep) k->vals = malloc(cells * nrep * sizeof *k->vals);
  if (k->vals)
    for (size_t i = 0; i < cells * nrep; i++) k->vals[i] = NAN;
  return k->keys && k->figs && k->units && k->n && k->mean && k->hw && k->nan && (!nrep || k->vals);
}

/* Keys in order of first appearance; row_key[i] is row i's key. */
static bool collect_keys(const report_table *t, size_t kc, size_t rows, char ***keys, size_t *nkeys,
                         size_t *row_key) {
  char **v = calloc(rows + 1, sizeof *v);
  if (!v) return false;
  size_t n = 0;
  for (size_t i = 0; i < rows; i++) {
    const char *s = report_table_str(t, kc, i);
    size_t k = 0;
    while (k < n && strcmp(v[k], s) != 0) k++;
    if (k == n && !(v[n++] = strdup(s))) {
      for (size_t j = 0; j < n; j++) free(v[j]);
      free(v);
      return false;
    }
    row_key[i] = k;
  }
  *keys = v;
  *nkeys = n;
  return true;
}

static int cmp_i64(const void *a, const void *b) {
  int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
  return (x > y) - (x < y);
}

/* Replication of each row as a dense index into the sorted distinct replication
 * numbers (the `replication` field, else the row's rank within its key). */
static int row_reps(report_kpi *k, const report_table *t, size_t rows, const size_t *row_key,
                    size_t nkeys, size_t *rep) {
  long rc_col = report_table_find(t, "replication");
  size_t *seen = calloc(nkeys + 1, sizeof *seen);
  int64_t *num = malloc((rows + 1) * sizeof *num), *ids = malloc((rows + 1) * sizeof *ids);
  if (!seen || !num || !ids) return free(seen), free(num), free(ids), SIM_ENOMEM;
  for (size_t i = 0; i < rows; i++)
    num[i] = rc_col >= 0 && numeric(t, (size_t)rc_col) ? report_table_i64(t, (size_t)rc_col, i)
                                                       : (int64_t)seen[row_key[i]]++;
  memcpy(ids, num, rows * sizeof *ids);
  qsort(ids, rows, sizeof *ids, cmp_i64);
  size_t n = 0;
  for (size_t i = 0; i < rows; i++)
    if (n == 0 || ids[n - 1] != ids[i]) ids[n++] = ids[i];
  for (size_t i = 0; i < rows; i++)
    rep[i] = (size_t)((int64_t *)bsearch(&num[i], ids, n, sizeof *ids, cmp_i64) - ids);
  free(seen);
  free(num);
  k->rep_ids = ids;
  k->nrep = n;
  return SIM_OK;
}

static void fill_reps(report_kpi *k, const report_table *t, const size_t *fig_col, size_t rows,
                      const size_t *row_key, const size_t *rep) {
  for (size_t i = 0; i < rows; i++)
    for (size_t f = 0; f < k->nfigs; f++)
      k->vals[(row_key[i] * k->nfigs + f) * k->nrep + rep[i]] = report_table_f64(t, fig_col[f], i);
  for (size_t key = 0; key < k->nkeys; key++) {
    for (size_t f = 0; f < k->nfigs; f++) {
      size_t cell = key * k->nfigs + f;
      size_t valid =
          report_mean_hw(&k->vals[cell * k->nrep], k->nrep, &k->mean[cell], &k->hw[cell]);
      k->nan[cell] = (int64_t)(k->nrep - valid);
    }
  }
}

static int reps_build(report_kpi *k, const report_table *t, size_t kc, size_t rows, sim_error *err,
                      const char *file) {
  size_t *row_key = calloc(rows + 1, sizeof *row_key), *rep = calloc(rows + 1, sizeof *rep);
  size_t *fig_col = calloc(report_table_ncols(t) + 1, sizeof *fig_col), nkeys = 0, nfigs = 0,
         nrep = 0;
  char **keys = NULL;
  int rc = row_key && rep && fig_col && collect_keys(t, kc, rows, &keys, &nkeys, row_key)
               ? SIM_OK
               : SIM_ENOMEM;
  if (!rc) rc = row_reps(k, t, rows, row_key, nkeys, rep);
  nrep = k->nrep;
  for (size_t c = 0; !rc && c < report_table_ncols(t); c++)
    if (numeric(t, c) && strcmp(report_table_name(t, c), "replication") != 0) fig_col[nfigs++] = c;
  if (!rc && !kpi_alloc(k, nkeys, nfigs, nrep)) rc = SIM_ENOMEM;
  if (!rc) {
    free(k->keys);
    k->keys = keys, k->nkeys = nkeys, k->nfigs = nfigs, keys = NULL;
    for (size_t f = 0; f < nfigs && !rc; f++) {
      k->figs[f] = strdup(report_table_name(t, fig_col[f]));
      k->units[f] = strdup(report_table_units(t, fig_col[f]));
      if (!k->figs[f] || !k->units[f]) rc = SIM_ENOMEM;
    }
    for (size_t i = 0; i < rows; i++) k->n[row_key[i]]++;
    if (!rc) fill_reps(k, t, fig_col, rows, row_key, rep);
  }
  for (size_t i = 0; keys && i < nkeys; i++) free(keys[i]);
  free(keys);
  free(row_key);
  free(rep);
  free(fig_col);
  if (rc) return sim_error_set(err, rc, "%s: %s: out of memory", file, k->source);
  return SIM_OK;
}

/* Opens PATH, checks it has a key field and a modest length, and loads it whole. */
static int open_kpi_table(const report_file *f, const char *path, report_table **t, long *kc,
                          report_kpi **k, sim_error *err) {
  *k = NULL;
  int rc = report_table_open(f, path, t, err);
  if (rc) return rc;
  *kc = key_column(*t);
  if (*kc < 0)
    rc = sim_error_set(err, SIM_EINVAL, "%s: %s: no text field to key the rows by", report_path(f),
                       path);
  else if (report_table_rows(*t) > MAX_ROWS)
    rc = sim_error_set(err, SIM_EINVAL, "%s: %s: too many rows for a KPI table", report_path(f),
                       path);
  if (!rc) rc = report_table_load(*t, 0, report_table_rows(*t), err);
  if (!rc && (!(*k = calloc(1, sizeof **k)) || !((*k)->source = strdup(path))))
    rc = sim_error_set(err, SIM_ENOMEM, "%s: out of memory", report_path(f));
  if (rc) {
    report_table_close(*t);
    report_kpi_free(*k);
    *t = NULL, *k = NULL;
  }
  return rc;
}

int report_kpi_reps(const report_file *f, const char *path, report_kpi **out, sim_error *err) {
  report_table *t = NULL;
  report_kpi *k = NULL;
  long kc = -1;
  *out = NULL;
  int rc = open_kpi_table(f, path, &t, &kc, &k, err);
  if (rc) return rc;
  rc = reps_build(k, t, (size_t)kc, report_table_rows(t), err, report_path(f));
  report_table_close(t);
  if (rc) report_kpi_free(k);
  else *out = k;
  return rc;
}

/* Summary figures: every NAME_mean field that has a NAME_hw beside it. */
static int summary_build(report_kpi *k, const report_table *t, size_t kc) {
  size_t rows = report_table_rows(t), ncols = report_table_ncols(t), nfigs = 0;
  long *mean_col = calloc(ncols + 1, sizeof *mean_col), *hw_col = calloc(ncols + 1, sizeof *hw_col);
  long *nan_col = calloc(ncols + 1, sizeof *nan_col), n_col = report_table_find(t, "n");
  char name[512];
  for (size_t c = 0; mean_col && hw_col && nan_col && c < ncols; c++) {
    const char *nm = report_table_name(t, c);
    size_t len = strlen(nm);
    if (len <= 5 || len >= sizeof name || strcmp(nm + len - 5, "_mean") != 0 || !numeric(t, c))
      continue;
    snprintf(name, sizeof name, "%.*s_hw", (int)(len - 5), nm);
    long hc = report_table_find(t, name);
    if (hc < 0) continue;
    snprintf(name, sizeof name, "%.*s_nan", (int)(len - 5), nm);
    mean_col[nfigs] = (long)c, hw_col[nfigs] = hc, nan_col[nfigs++] = report_table_find(t, name);
  }
  int rc = mean_col && hw_col && nan_col && kpi_alloc(k, rows, nfigs, 0) ? SIM_OK : SIM_ENOMEM;
  if (!rc) k->nkeys = rows, k->nfigs = nfigs;
  for (size_t f = 0; !rc && f < nfigs; f++) {
    const char *nm = report_table_name(t, (size_t)mean_col[f]);
    k->figs[f] = strndup(nm, strlen(nm) - 5);
    k->units[f] = strdup(report_table_units(t, (size_t)mean_col[f]));
    if (!k->figs[f] || !k->units[f]) rc = SIM_ENOMEM;
  }
  for (size_t i = 0; !rc && i < rows; i++) {
    if (!(k->keys[i] = strdup(report_table_str(t, kc, i)))) rc = SIM_ENOMEM;
    k->n[i] = n_col >= 0 ? report_table_i64(t, (size_t)n_col, i) : 0;
    for (size_t f = 0; f < nfigs; f++) {
      k->mean[i * nfigs + f] = report_table_f64(t, (size_t)mean_col[f], i);
      k->hw[i * nfigs + f] = report_table_f64(t, (size_t)hw_col[f], i);
      k->nan[i * nfigs + f] = nan_col[f] >= 0 ? report_table_i64(t, (size_t)nan_col[f], i) : 0;
    }
  }
  free(mean_col);
  free(hw_col);
  free(nan_col);
  return rc;
}

int report_kpi_summary(const report_file *f, const char *path, report_kpi **out, sim_error *err) {
  report_table *t = NULL;
  report_kpi *k = NULL;
  long kc = -1;
  *out = NULL;
  int rc = open_kpi_table(f, path, &t, &kc, &k, err);
  if (rc) return rc;
  if (summary_build(k, t, (size_t)kc))
    rc = sim_error_set(err, SIM_ENOMEM, "%s: out of memory", report_path(f));
  report_table_close(t);
  if (rc) report_kpi_free(k);
  else *out = k;
  return rc;
}

int report_kpi_load(const report_file *f, const char *name, report_kpi **out, sim_error *err) {
  char path[256];
  *out = NULL;
  snprintf(path, sizeof path, "/kpi/summary/%s", name);
  if (report_exists(f, path)) return report_kpi_summary(f, path, out, err);
  snprintf(path, sizeof path, "/kpi/%s", name);
  if (report_exists(f, path)) return report_kpi_reps(f, path, out, err);
  return SIM_OK;
}
