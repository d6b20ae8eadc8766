/* report_recovery: /kpi/recovery for people, in customs-report. One file: a table of
 * scopes (ports first, then channels) with the time until back to normal, the peak
 * backlog, the items delayed beyond 24 and 72 hours, and whether the recovery time
 * objective (RTO), the maximum tolerable period of disruption (MTPD) and the minimum
 * service level (MBCO) were met, or "no objective" where the scenario set none. Two
 * files: the same figures of B against A, scope by scope. */
#include "models/report/report_drill.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

enum { NCOL = 8, CELL = 64 };

static double val(const report_kpi *k, size_t key, long fig, size_t rep) {
  return fig < 0 ? NAN : k->vals[(key * k->nfigs + (size_t)fig) * k->nrep + rep];
}

static bool is_port(const report_kpi *k, size_t key) {
  long isp = report_kpi_fig(k, "is_port");
  return isp >= 0 && k->mean[key * k->nfigs + (size_t)isp] == 1.0;
}

/* Channels of the same port as channel scope `key` ("kix.air_cargo": those named kix.*;
 * without a port prefix: all channels). */
static size_t siblings(const report_kpi *k, size_t key) {
  const char *dot = strchr(k->keys[key], '.');
  size_t len = dot ? (size_t)(dot - k->keys[key]) + 1 : 0, n = 0;
  for (size_t i = 0; i < k->nkeys; i++)
    n += !is_port(k, i) && strncmp(k->keys[i], k->keys[key], len) == 0;
  return n;
}

/* Keys in display order: whole ports first, then channels, except a port's only
 * channel (its figures are the port's). */
static size_t scope_order(const report_kpi *k, size_t *order) {
  size_t n = 0;
  for (size_t i = 0; i < k->nkeys; i++)
    if (is_port(k, i)) order[n++] = i;
  for (size_t i = 0; i < k->nkeys; i++)
    if (!is_port(k, i) && (n == 0 || siblings(k, i) > 1)) order[n++] = i;
  return n;
}

static void scope_name(char *buf, size_t size, const report_kpi *k, size_t key) {
  if (!is_port(k, key))
    snprintf(buf, size, "%s", k->keys[key]);
  else if (strcmp(k->keys[key], "port") == 0)
    snprintf(buf, size, "whole port");
  else
    snprintf(buf, size, "%s (port)", k->keys[key]);
}

/* "72 h: met", "72 h: missed", "72 h: met in 3 of 4", "no objective". */
static void objective(char *buf, size_t size, const report_kpi *k, size_t key, const char *obj,
                      const char *met, bool share) {
  long fo = report_kpi_fig(k, obj), fm = report_kpi_fig(k, met);
  size_t nobj = 0, nmet = 0;
  double level = NAN;
  for (size_t r = 0; r < k->nrep; r++) {
    double o = val(k, key, fo, r);
    if (isnan(o)) continue;
    nobj++, level = o;
    nmet += val(k, key, fm, r) == 1.0;
  }
  if (!nobj) {
    snprintf(buf, size, "no objective");
    return;
  }
  char lv[32];
  if (share)
    snprintf(lv, sizeof lv, "%.0f%%", 100.0 * level);
  else
    numfmt_plain(lv, sizeof lv, level), strncat(lv, " h", sizeof lv - strlen(lv) - 1);
  if (nmet == nobj)
    snprintf(buf, size, "%s: met", lv);
  else if (nmet == 0)
    snprintf(buf, size, "%s: missed", lv);
  else
    snprintf(buf, size, "%s: met in %zu of %zu", lv, nmet, nobj);
}

/* Time to normal: "519.2 ± 9.7 (21.6 d)"; "not within the run" when never; a "~"
 * when some replications never got back. Returns whether some did not. */
static bool normal_cell(char *buf, size_t size, const report_kpi *k, size_t key) {
  long f = report_kpi_fig(k, "time_to_normal_h");
  size_t cell = key * k->nfigs + (size_t)(f < 0 ? 0 : f);
  if (f < 0 || isnan(k->mean[cell])) {
    snprintf(buf, size, "not within the run");
    return false;
  }
  char ci[48], days[32];
  numfmt_ci(ci, sizeof ci, k->mean[cell], k->hw[cell]);
  snprintf(days, sizeof days, "%.1f", k->mean[cell] / 24.0);
  snprintf(buf, size, "%s (%s d)%s", ci, days, k->nan[cell] > 0 ? " ~" : "");
  return k->nan[cell] > 0;
}

static void count_cell(char *buf, size_t size, const report_kpi *k, size_t key, const char *fig) {
  long f = report_kpi_fig(k, fig);
  if (f < 0)
    snprintf(buf, size, "n/a");
  else
    numfmt_count(buf, size, k->mean[key * k->nfigs + (size_t)f],
                        k->hw[key * k->nfigs + (size_t)f]);
}

static void print_rows(FILE *out, char (*cell)[NCOL][CELL], size_t rows) {
  size_t w[NCOL] = {0};
  for (size_t r = 0; r < rows; r++)
    for (size_t c = 0; c < NCOL; c++)
      if (numfmt_width(cell[r][c]) > w[c]) w[c] = numfmt_width(cell[r][c]);
  for (size_t r = 0; r < rows; r++) {
    for (size_t c = 0; c < NCOL; c++) {
      if (c) fputs("  ", out);
      numfmt_pad(out, cell[r][c], w[c], c > 0 && c < 5);
    }
    fputc('\n', out);
  }
}

/* "; times from the first disruption's start, Sep 4 12:00 (jebi: typhoon at kix)" */
static void caption(char *buf, size_t size, const report_file *f) {
  report_drill *d = NULL;
  sim_error ignore = {0, ""};
  buf[0] = '\0';
  if (report_drill_load(f, &d, &ignore) || !d) return;
  char when[48];
  if (!isnan(d->first_start_h)) {
    report_drill_date(d, d->first_start_h, when, sizeof when, true);
    snprintf(buf, size, "; times from the first disruption's start, %s%s%s%s", when,
             d->what[0] ? " (" : "", d->what, d->what[0] ? ")" : "");
  }
  report_drill_free(d);
}

int report_print_recovery(const report_file *f, FILE *out, sim_error *err) {
  if (!report_exists(f, "/kpi/recovery")) return SIM_OK;
  report_kpi *k = NULL;
  int rc = report_kpi_reps(f, "/kpi/recovery", &k, err);
  if (rc) return rc;
  if (!k->nkeys) { /* a run whose disruptions touched no measured period */
    report_kpi_free(k);
    return SIM_OK;
  }
  size_t *order = calloc(k->nkeys + 1, sizeof *order);
  char(*cell)[NCOL][CELL] = calloc(k->nkeys + 2, sizeof *cell);
  if (!order || !cell) rc = sim_error_set(err, SIM_ENOMEM, "%s: out of memory", report_path(f));
  char reps[48];
  numfmt_count_of(reps, sizeof reps, (double)k->nrep, "replication", "replications");
  if (!rc) {
    char cap[640];
    caption(cap, sizeof cap, f);
    fprintf(out, "\nRecovery after disruptions (/kpi/recovery): mean %s%s%s\n",
            k->nrep > 1 ? "\xc2\xb1 95% confidence half-width over " : "of ", reps, cap);
    const char *head[2][NCOL] = {
        {"scope", "back to normal", "peak backlog", "delayed >24 h", "delayed >72 h", "RTO", "MTPD",
         "MBCO"},
        {"", "h (days)", "items", "items", "items", "", "", "(min. service)"}};
    for (int r = 0; r < 2; r++)
      for (int c = 0; c < NCOL; c++) snprintf(cell[r][c], CELL, "%s", head[r][c]);
  }
  size_t n = rc ? 0 : scope_order(k, order);
  bool some = false;
  for (size_t i = 0; i < n; i++) {
    size_t key = order[i];
    char(*row)[CELL] = cell[i + 2];
    scope_name(row[0], CELL, k, key);
    some |= normal_cell(row[1], CELL, k, key);
    count_cell(row[2], CELL, k, key, "peak_backlog");
    count_cell(row[3], CELL, k, key, "delayed_24h");
    count_cell(row[4], CELL, k, key, "delayed_72h");
    objective(row[5], CELL, k, key, "rto_h", "rto_met", false);
    objective(row[6], CELL, k, key, "mtpd_h", "mtpd_met", false);
    objective(row[7], CELL, k, key, "mbco", "mbco_met", true);
  }
  if (!rc) print_rows(out, cell, n + 2);
  if (some)
    fputs("~ some replications did not get back to normal within the run; the mean is over the "
          "others\n",
          out);
  free(order);
  free(cell);
  report_kpi_free(k);
  return rc;
}

/* ---- B against A ---------------------------------------------------------------------- */

typedef struct pairk {
  const report_kpi *A, *B;
  size_t ka, kb;
  bool pair;
} pairk;

static report_diff diff_of(const pairk *q, const char *fig) {
  long fa = report_kpi_fig(q->A, fig), fb = report_kpi_fig(q->B, fig);
  report_diff r = {NAN, NAN, NAN, NAN, false};
  if (fa >= 0 && fb >= 0)
    r = report_compare_values(q->A, q->ka, (size_t)fa, q->B, q->kb, (size_t)fb, q->pair);
  return r;
}

/* The mean time to normal as compare shows it: NULL (the plain mean), "not within the
 * run", or the mean with "~" when some replications never got back. */
static const char *normal_mean(char *buf, size_t size, const report_kpi *k, size_t key) {
  long f = report_kpi_fig(k, "time_to_normal_h");
  size_t cell = key * k->nfigs + (size_t)(f < 0 ? 0 : f);
  if (f < 0 || isnan(k->mean[cell])) return snprintf(buf, size, "not within the run"), buf;
  if (k->nan[cell] == 0) return NULL;
  numfmt_plain(buf, size, k->mean[cell]);
  strncat(buf, " ~", size - strlen(buf) - 1);
  return buf;
}

static void compare_scope(report_rows *p, const pairk *q, const char *name) {
  static const char *const counts[][2] = {{"peak_backlog", "peak backlog"},
                                          {"delayed_24h", "delayed >24 h"},
                                          {"delayed_72h", "delayed >72 h"}};
  static const char *const objs[][4] = {{"rto_h", "rto_met", "RTO met", "RTO"},
                                        {"mtpd_h", "mtpd_met", "MTPD met", "MTPD"},
                                        {"mbco", "mbco_met", "MBCO met", "MBCO"}};
  char a[CELL], b[CELL], note[CELL];
  report_diff r = diff_of(q, "time_to_normal_h");
  p->significant += r.sig;
  report_rows_add(p, name, true, "back to normal", "h", &r, normal_mean(a, sizeof a, q->A, q->ka),
                  normal_mean(b, sizeof b, q->B, q->kb), NULL);
  for (size_t i = 0; i < 3; i++) {
    r = diff_of(q, counts[i][0]);
    p->significant += r.sig;
    report_rows_add(p, name, false, counts[i][1], "items", &r, NULL, NULL, NULL);
  }
  for (size_t i = 0; i < 3; i++) {
    objective(a, sizeof a, q->A, q->ka, objs[i][0], objs[i][1], i == 2);
    objective(b, sizeof b, q->B, q->kb, objs[i][0], objs[i][1], i == 2);
    bool none = strcmp(a, "no objective") == 0 && strcmp(b, "no objective") == 0;
    r = none ? (report_diff){NAN, NAN, NAN, NAN, false} : diff_of(q, objs[i][1]);
    snprintf(note, sizeof note, "%s %s", objs[i][3],
             none                 ? "no objective"
                 : strchr(a, ':') ? a
                                  : b);
    if (strchr(note, ':')) *strchr(note, ':') = '\0';
    report_rows_add(p, name, false, objs[i][2], "share", &r, a, b, note);
  }
}

int report_compare_recovery(report_rows *p, const report_file *a, const report_file *b, bool pair,
                            sim_error *err) {
  if (!report_exists(a, "/kpi/recovery") || !report_exists(b, "/kpi/recovery")) return SIM_OK;
  report_kpi *A = NULL, *B = NULL;
  int rc = report_kpi_reps(a, "/kpi/recovery", &A, err);
  if (!rc) rc = report_kpi_reps(b, "/kpi/recovery", &B, err);
  size_t *order = rc ? NULL : calloc(A->nkeys + 1, sizeof *order);
  if (!rc && !order) rc = sim_error_set(err, SIM_ENOMEM, "%s: out of memory", report_path(a));
  if (!rc) rc = report_rows_csv(p, "recovery", err);
  if (!rc && pair &&
      (A->nrep != B->nrep || memcmp(A->rep_ids, B->rep_ids, A->nrep * sizeof *A->rep_ids) != 0))
    pair = false;
  if (!rc)
    report_rows_heading(p,
                        "Recovery after disruptions (/kpi/recovery; back to normal: hours from the "
                        "first disruption's start)");
  size_t n = rc ? 0 : scope_order(A, order);
  for (size_t i = 0; i < n; i++) {
    long kb = report_kpi_key(B, A->keys[order[i]]);
    if (kb < 0) continue;
    pairk q = {A, B, order[i], (size_t)kb, pair};
    char name[CELL];
    scope_name(name, sizeof name, A, order[i]);
    compare_scope(p, &q, name);
  }
  int rc2 = rc ? SIM_OK : report_rows_csv_close(p, "recovery", err);
  free(order);
  report_kpi_free(A);
  report_kpi_free(B);
  return rc ? rc : rc2;
}
