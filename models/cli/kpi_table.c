/* kpi_table: printing the end-of-run table (see kpi_table.h). */
#include "models/cli/kpi_table.h"

#include <math.h>
#include <stddef.h>
#include <stdlib.h>

#include "models/item.h"
#include "sim/stats.h"

/* Formats mean [± hw] of a figure taken at byte offset `off` of each replication's
 * record (records `stride` bytes apart, starting at base[r] + idx * stride). */
static void cell(char *buf, size_t n, const kpi_run *runs, int nrep, int chan, size_t idx,
                 size_t off, int is_int) {
  double x[4096];
  int m = nrep < 4096 ? nrep : 4096;
  for (int r = 0; r < m; r++) {
    const char *rec = chan ? (const char *)&runs[r].ch[idx] : (const char *)&runs[r].st[idx];
    x[r] = is_int ? (double)*(const int64_t *)(rec + off) : *(const double *)(rec + off);
  }
  double mean, hw;
  stats_ci(x, (size_t)m, 0.95, &mean, &hw);
  if (isnan(mean))
    snprintf(buf, n, "-");
  else if (m > 1 && !isnan(hw))
    snprintf(buf, n, is_int ? "%.0f±%.0f" : "%.3g±%.2g", mean, hw);
  else
    snprintf(buf, n, is_int ? "%.0f" : "%.4g", mean);
}

typedef struct colspec {
  const char *head;
  size_t off;
  int is_int, width;
} colspec;

static const colspec ch_cols[] = {
    {"in_start", offsetof(kpi_channel, in_system_start), 1, 10},
    {"arrived", offsetof(kpi_channel, arrived), 1, 14},
    {"released", offsetof(kpi_channel, released), 1, 14},
    {"in_end", offsetof(kpi_channel, in_system_end), 1, 10},
    {"rel_mean_min", offsetof(kpi_channel, release_mean_min), 0, 15},
    {"rel_p95_min", offsetof(kpi_channel, release_p95_min), 0, 15},
    {"within_tgt", offsetof(kpi_channel, within_target_share), 0, 13},
};

static const colspec st_cols[] = {
    {"servers", offsetof(kpi_station, servers), 1, 8},
    {"served", offsetof(kpi_station, served), 1, 14},
    {"util", offsetof(kpi_station, utilization), 0, 14},
    {"wait_mean_min", offsetof(kpi_station, wait_mean_min), 0, 15},
    {"wait_p95_min", offsetof(kpi_station, wait_p95_min), 0, 15},
    {"queue_mean", offsetof(kpi_station, queue_mean), 0, 14},
    {"queue_max", offsetof(kpi_station, queue_max), 0, 11},
};

static void block(FILE *f, const char *title, const colspec *cs, size_t nc, size_t nent,
                  const char *(*name)(const spec *, size_t), const spec *sp, const kpi_run *runs,
                  int nrep, int chan) {
  fprintf(f, "%-18s", title);
  for (size_t c = 0; c < nc; c++) fprintf(f, " %*s", cs[c].width, cs[c].head);
  fprintf(f, "\n");
  for (size_t i = 0; i < nent; i++) {
    fprintf(f, "%-18.18s", name(sp, i));
    for (size_t c = 0; c < nc; c++) {
      char buf[64];
      cell(buf, sizeof buf, runs, nrep, chan, i, cs[c].off, cs[c].is_int);
      fprintf(f, " %*s", cs[c].width, buf);
    }
    fprintf(f, "\n");
  }
}

static const char *ch_name(const spec *sp, size_t i) { return sp->ch[i].name; }
static const char *st_name(const spec *sp, size_t i) { return sp->st[i].name; }

/* Mean of a recovery figure over replications (and its 95% half-width). */
static void rec_cell(char *buf, size_t n, const kpi_run *runs, int nrep, size_t row, size_t off) {
  double x[4096] = {0}, mean, hw;
  int m = 0;
  for (int r = 0; r < nrep && m < 4096; r++)
    if (row < runs[r].nrec) x[m++] = *(const double *)((const char *)&runs[r].rec[row] + off);
  stats_ci(x, (size_t)m, 0.95, &mean, &hw);
  if (isnan(mean)) snprintf(buf, n, "-");
  else if (m > 1 && !isnan(hw)) snprintf(buf, n, "%.4g±%.2g", mean, hw);
  else snprintf(buf, n, "%.4g", mean);
}

static void recovery_block(FILE *f, const kpi_run *runs, int nrep) {
  if (!runs[0].nrec) return;
  static const struct { const char *head; size_t off; } cols[] = {
      {"peak_backlog", offsetof(kpi_recovery, peak_backlog)},
      {"peak_at_h", offsetof(kpi_recovery, peak_time_h)},
      {"to_normal_h", offsetof(kpi_recovery, time_to_normal_h)},
      {"lost_items", offsetof(kpi_recovery, throughput_lost)},
      {"overtime_h", offsetof(kpi_recovery, overtime_h)},
      {"rto_h", offsetof(kpi_recovery, rto_h)}};
  fprintf(f, "\n%-18s", "recovery");
  for (size_t c = 0; c < sizeof cols / sizeof *cols; c++) fprintf(f, " %14s", cols[c].head);
  fprintf(f, " %8s %10s\n", "rto_met", "delayed24");
  for (size_t i = 0; i < runs[0].nrec; i++) {
    fprintf(f, "%-18.18s", runs[0].rec[i].scope);
    char buf[64];
    for (size_t c = 0; c < sizeof cols / sizeof *cols; c++) {
      rec_cell(buf, sizeof buf, runs, nrep, i, cols[c].off);
      fprintf(f, " %14s", buf);
    }
    int met = 0;
    double d24 = 0;
    for (int r = 0; r < nrep; r++) met += runs[r].rec[i].rto_met, d24 += (double)runs[r].rec[i].delayed_24h;
    fprintf(f, " %5d/%-2d %10.0f\n", met, nrep, d24 / nrep);
  }
}

void kpi_table_print(FILE *f, const spec *sp, const kpi_run *runs, int nrep) {
  int have = 0;
  while (have < nrep && runs[have].ch) have++;
  if (!have) return;
  fprintf(f, "\n%s: %d replication%s, %.4g measured days after %.4g warm-up days%s\n", sp->name,
          have, have > 1 ? "s" : "", sp->days_min / 1440, sp->warmup_min / 1440,
          have > 1 ? " (mean±95% CI half-width)" : "");
  block(f, "channel", ch_cols, sizeof ch_cols / sizeof *ch_cols, sp->nch, ch_name, sp, runs, have, 1);
  fprintf(f, "\n");
  block(f, "station", st_cols, sizeof st_cols / sizeof *st_cols, sp->nst, st_name, sp, runs, have, 0);
  recovery_block(f, runs, have);
}
