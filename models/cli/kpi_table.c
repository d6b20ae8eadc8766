/* kpi_table: printing the end-of-run table (see kpi_table.h). */
#include "models/cli/kpi_table.h"

#include <math.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "models/coast.h"
#include "models/disrupt.h"
#include "models/item.h"
#include "models/kpi_catalog.h"
#include "models/numfmt.h"
#include "sim/stats.h"

/* Formats mean [± hw] of figure fd of the idx-th record of its kind over replications,
 * as customs-report does: the half-width to two significant digits, counts whole,
 * "unlimited" servers. */
static void cell(char *buf, size_t n, const kpi_run *runs, int nrep, size_t idx,
                 const kpi_field *fd) {
  double x[4096] = {0};
  int m = nrep < 4096 ? nrep : 4096;
  for (int r = 0; r < m; r++) x[r] = kpi_field_value(fd, kpi_run_record(&runs[r], fd->record, idx));
  double mean, hw;
  stats_ci(x, (size_t)m, 0.95, &mean, &hw);
  if (m < 2) hw = NAN;
  if (isnan(mean))
    snprintf(buf, n, "-");
  else if (fd->is_int && !numfmt_is_count(fd->name, fd->units) && strcmp(fd->name, "servers"))
    numfmt_count(buf, n, mean, hw); /* flags and other whole numbers */
  else
    numfmt_figure(buf, n, fd->name, fd->units, mean, hw);
}

/* Whether a column is shown: KPI_TABLE, and for KPI_TABLE_IF a non-zero value somewhere. */
static int shown(const kpi_field *fd, kpi_record kind, size_t nent, const kpi_run *runs, int nrep) {
  if (!(fd->show & KPI_TABLE)) return 0;
  if (!(fd->show & KPI_TABLE_IF)) return 1;
  for (int r = 0; r < nrep; r++)
    for (size_t i = 0; i < nent; i++) {
      double v = kpi_field_value(fd, kpi_run_record(&runs[r], kind, i));
      if (v != 0 && !isnan(v)) return 1;
    }
  return 0;
}

enum { CELL = 48, MAX_NAME_W = 34 };

/* The terminal columns of a record kind: its catalogue figures marked KPI_TABLE, each as
 * wide as its widest cell; rows for which keep() says no are left out. */
typedef const char *(*name_fn)(const spec *sp, const kpi_run *runs, size_t i);
/* An extra column after the catalogue's (NULL for none): its head, and its cell. */
typedef struct extra_col {
  const char *head;
  void (*cell)(char *buf, size_t n, const kpi_run *runs, int nrep, size_t i);
} extra_col;

static void block(FILE *f, const char *title, kpi_record kind, size_t nent, name_fn name,
                  const spec *sp, const kpi_run *runs, int nrep,
                  int (*keep)(const spec *, const kpi_run *, int, size_t), const extra_col *x) {
  size_t nf, ncol = 0, nrow = 0;
  const kpi_field *cs = kpi_catalog(kind, &nf);
  size_t *col = calloc(nf + 2, sizeof *col), *wid = calloc(nf + 2, sizeof *wid);
  size_t *row = calloc(nent + 1, sizeof *row);
  char(*txt)[CELL] = calloc((nent + 1) * (nf + 1), CELL);
  if (!col || !wid || !row || !txt) {
    fprintf(f, "(out of memory printing the %s table)\n", title);
    goto out;
  }
  for (size_t c = 0; c < nf; c++)
    if (shown(&cs[c], kind, nent, runs, nrep)) col[ncol++] = c;
  size_t nx = ncol + (x != NULL); /* the extra column is column ncol */
  size_t w = strlen(title); /* the name column */
  for (size_t i = 0; i < nent; i++) {
    if (keep && !keep(sp, runs, nrep, i)) continue;
    row[nrow++] = i;
    if (numfmt_width(name(sp, runs, i)) > w) w = numfmt_width(name(sp, runs, i));
  }
  if (w > MAX_NAME_W) w = MAX_NAME_W;
  for (size_t j = 0; j < nx; j++) {
    wid[j] = strlen(j < ncol ? cs[col[j]].head : x->head);
    for (size_t r = 0; r < nrow; r++) {
      char *t = txt[r * (nf + 1) + j];
      if (j < ncol) cell(t, CELL, runs, nrep, row[r], &cs[col[j]]);
      else x->cell(t, CELL, runs, nrep, row[r]);
      if (numfmt_width(t) > wid[j]) wid[j] = numfmt_width(t);
    }
  }
  numfmt_pad(f, title, w, false);
  for (size_t j = 0; j < nx; j++)
    fputs("  ", f), numfmt_pad(f, j < ncol ? cs[col[j]].head : x->head, wid[j], true);
  fputc('\n', f);
  for (size_t r = 0; r < nrow; r++) {
    char nm[MAX_NAME_W * 4 + 1];
    snprintf(nm, sizeof nm, "%.*s", MAX_NAME_W, name(sp, runs, row[r]));
    numfmt_pad(f, nm, w, false);
    for (size_t j = 0; j < nx; j++)
      fputs("  ", f), numfmt_pad(f, txt[r * (nf + 1) + j], wid[j], true);
    fputc('\n', f);
  }
out:
  free(col);
  free(wid);
  free(row);
  free(txt);
}

/* Row names (runs is for the kinds whose rows the run decides, such as recovery's). */
static const char *ch_name(const spec *sp, const kpi_run *runs, size_t i) {
  (void)runs;
  return sp->ch[i].name;
}
static const char *st_name(const spec *sp, const kpi_run *runs, size_t i) {
  (void)runs;
  return sp->st[i].name;
}
static const char *pool_name(const spec *sp, const kpi_run *runs, size_t i) {
  (void)runs;
  return sp->pool[i].name;
}
static const char *class_name(const spec *sp, const kpi_run *runs, size_t i) {
  (void)runs;
  return sp->class_ids[i];
}

/* Whether class rows i and j hold the same items in every replication. */
static int same_items(const kpi_run *runs, int nrep, size_t i, size_t j) {
  for (int r = 0; r < nrep; r++) {
    const kpi_class *a = &runs[r].cls[i], *b = &runs[r].cls[j];
    if (a->released != b->released || a->seized != b->seized ||
        !(a->release_mean_min == b->release_mean_min ||
          (isnan(a->release_mean_min) && isnan(b->release_mean_min))))
      return 0;
  }
  return 1;
}

/* A class row says something the channel row and the class rows above it do not: some
 * of the channel's released items are in it, and not all of them, in some replication,
 * and it is not the same items as an earlier class of the channel (inspected = selected). */
static int class_informative(const spec *sp, const kpi_run *runs, int nrep, size_t i) {
  int some = 0;
  for (int r = 0; r < nrep && !some; r++)
    some = runs[r].cls[i].released > 0 && runs[r].cls[i].share < 1;
  for (size_t j = i - i % sp->ncls; some && j < i; j++)
    if (same_items(runs, nrep, i, j)) return 0;
  return some;
}

/* Whether any class row is shown. */
static int any_class(const spec *sp, const kpi_run *runs, int nrep) {
  for (size_t i = 0; i < sp->nch * sp->ncls; i++)
    if (class_informative(sp, runs, nrep, i)) return 1;
  return 0;
}
static const char *zone_name(const spec *sp, const kpi_run *runs, size_t i) {
  (void)runs;
  return sp->coast->zone[i].name;
}
static const char *asset_name(const spec *sp, const kpi_run *runs, size_t i) {
  (void)runs;
  return sp->coast->asset[i].name;
}

static const char *scope_name(const spec *sp, const kpi_run *runs, size_t i) {
  (void)sp;
  return runs[0].rec[i].scope;
}

/* Replications that met the recovery time objective, "-" without an objective. */
static void rto_cell(char *buf, size_t n, const kpi_run *runs, int nrep, size_t i) {
  int met = 0, have = 0;
  for (int r = 0; r < nrep; r++)
    if (i < runs[r].nrec && !isnan(runs[r].rec[i].rto_h)) have++, met += runs[r].rec[i].rto_met > 0;
  if (have) snprintf(buf, n, "%d/%d", met, have);
  else snprintf(buf, n, "-");
}

static void recovery_block(FILE *f, const spec *sp, const kpi_run *runs, int nrep) {
  for (int r = 0; r < nrep; r++)
    if (runs[r].nrec != runs[0].nrec) return; /* rows differ: the report shows them */
  static const extra_col rto = {"rto_met", rto_cell};
  if (!runs[0].nrec) return;
  fprintf(f, "\n");
  block(f, "recovery", KPI_RECOVERY, runs[0].nrec, scope_name, sp, runs, nrep, NULL, &rto);
}

/* Steady-state warnings: a station whose offered load is at or above 1, a channel whose
 * backlog still rises after warm-up (in most replications). */
static void warnings(FILE *f, const spec *sp, const kpi_run *runs, int nrep) {
  int first = 1, disrupted = sp->dis && sp->dis->n > 0;
  for (size_t i = 0; i < sp->nst; i++) {
    int n = 0;
    double load = 0;
    for (int r = 0; r < nrep; r++)
      n += runs[r].st[i].overloaded > 0, load += runs[r].st[i].offered_load;
    if (2 * n <= nrep) continue;
    fprintf(f, "%s%s: station %s is overloaded: offered load %.3g (arrival rate x service time / "
            "servers available); its queue cannot settle%s\n", first ? "\n" : "",
            disrupted ? "note" : "warning", sp->st[i].name, load / nrep,
            disrupted ? " (over a run with disruptions: the backlog they left counts)" : "");
    first = 0;
  }
  for (size_t i = 0; i < sp->nch; i++) {
    int n = 0;
    double slope = 0;
    for (int r = 0; r < nrep; r++)
      n += runs[r].ch[i].backlog_rising > 0, slope += runs[r].ch[i].backlog_trend_per_day;
    if (2 * n <= nrep) continue;
    if (disrupted)
      fprintf(f, "%snote: channel %s: the backlog still rises at the end (%+.4g items a day): "
              "the run has disruptions and has not recovered (see the recovery table)\n",
              first ? "\n" : "", sp->ch[i].name, slope / nrep);
    else
      fprintf(f, "%swarning: channel %s: the backlog still rises after warm-up (%+.4g items a "
              "day): a surge, an overloaded station, or too short a warm-up (try --warmup auto)\n",
              first ? "\n" : "", sp->ch[i].name, slope / nrep);
    first = 0;
  }
}

void kpi_table_print(FILE *f, const spec *sp, const kpi_run *runs, int nrep) {
  int have = 0;
  while (have < nrep && runs[have].ch) have++;
  if (!have) return;
  char reps[48], days[48], warm[48];
  fprintf(f, "\n%s: %s, %s measured after %s%s\n", sp->name,
          numfmt_count_of(reps, sizeof reps, have, "replication", "replications"),
          numfmt_count_of(days, sizeof days, sp->days_min / 1440, "day", "days"),
          numfmt_count_of(warm, sizeof warm, sp->warmup_min / 1440, "warm-up day", "warm-up days"),
          have > 1 ? " (mean ± 95% confidence half-width)" : "");
  block(f, "channel", KPI_CHANNEL, sp->nch, ch_name, sp, runs, have, NULL, NULL);
  if (any_class(sp, runs, have)) {
    fprintf(f, "\n");
    block(f, "class", KPI_CLASS, sp->nch * sp->ncls, class_name, sp, runs, have, class_informative,
          NULL);
  }
  fprintf(f, "\n");
  block(f, "station", KPI_STATION, sp->nst, st_name, sp, runs, have, NULL, NULL);
  if (sp->npool) {
    fprintf(f, "\n");
    block(f, "staff pool", KPI_POOL, sp->npool, pool_name, sp, runs, have, NULL, NULL);
  }
  if (sp->coast) {
    fprintf(f, "\n");
    block(f, "coast zone", KPI_ZONE, sp->coast->nzone, zone_name, sp, runs, have, NULL, NULL);
    fprintf(f, "\n");
    block(f, "coast asset", KPI_ASSET, sp->coast->nasset, asset_name, sp, runs, have, NULL, NULL);
  }
  recovery_block(f, sp, runs, have);
  warnings(f, sp, runs, have);
}
