/* report_scorecard: the drill scorecard of customs-report, for a run without a plan
 * (A) against the same drill with it (B). Per port: how long until back to normal
 * after the first disruption's start, with and without the plan, the recovery time
 * objective and whether it was met, the peak backlog and the items delayed beyond a
 * day or three, as one headline in words, a table on the terminal, compare_scorecard.csv,
 * and one 1920x1080 slide per port (scorecard_<port>.png): the items in the port over
 * time with 95% bands for both runs, the disruption shaded, the RTO as a vertical
 * line, the moments back to normal marked, and the same numbers as a table. */
#include "models/report/report_drill.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <plplot.h>

enum { SLIDE_W = 1920, SLIDE_H = 1080 };

typedef struct card {
  const char *port; /* scope name */
  char name[64];    /* as said in the headline: KIX, Tokyo, The port */
  const report_kpi *A, *B;
  long ka, kb;
  report_diff ttn, peak, d24, d72;
  double rto_h;
  double unit_h; /* durations in hours (1) or days (24), the same for the whole card */
  char rto_a[48], rto_b[48], headline[320];
} card;

static double fig_val(const report_kpi *k, long key, const char *fig, size_t rep) {
  long f = report_kpi_fig(k, fig);
  return f < 0 || key < 0 ? NAN : k->vals[((size_t)key * k->nfigs + (size_t)f) * k->nrep + rep];
}

/* "met", "missed", "met in 3 of 5 runs"; "" without an objective. Sets *rto. */
static void rto_status(char *buf, size_t size, const report_kpi *k, long key, double *rto) {
  size_t n = 0, met = 0;
  buf[0] = '\0';
  for (size_t r = 0; key >= 0 && r < k->nrep; r++) {
    double o = fig_val(k, key, "rto_h", r);
    if (isnan(o)) continue;
    n++, *rto = o;
    met += fig_val(k, key, "rto_met", r) == 1.0;
  }
  if (!n) return;
  if (met == n)
    snprintf(buf, size, "met");
  else if (met == 0)
    snprintf(buf, size, "missed");
  else
    snprintf(buf, size, "met in %zu of %zu runs", met, n);
}

static report_diff diff(const card *c, const char *fig, bool pair) {
  long fa = report_kpi_fig(c->A, fig), fb = report_kpi_fig(c->B, fig);
  report_diff r = {NAN, NAN, NAN, NAN, false};
  if (fa >= 0 && fb >= 0 && c->ka >= 0 && c->kb >= 0)
    r = report_compare_values(c->A, (size_t)c->ka, (size_t)fa, c->B, (size_t)c->kb, (size_t)fb,
                              pair);
  return r;
}

/* A duration in the card's unit: "4.1 days", "27.5 h" (number only when bare); whole
 * objectives without decimals ("RTO 3 days"). */
static const char *dur(const card *c, double hours, char *buf, size_t size, bool bare) {
  double v = round(hours / c->unit_h * 10.0) / 10.0;
  const char *unit = c->unit_h == 1.0 ? "h" : v == 1.0 ? "day" : "days";
  if (v == floor(v) && hours == c->rto_h)
    snprintf(buf, size, "%.0f%s%s", v, bare ? "" : " ", bare ? "" : unit);
  else
    snprintf(buf, size, "%.1f%s%s", v, bare ? "" : " ", bare ? "" : unit);
  return buf;
}

/* "Narita back to normal in 4.1 days with the plan, 6.4 without; RTO 3 days: missed" */
static void headline(card *c) {
  char a[32], b[32], rto[32];
  bool na = !isnan(c->ttn.a), nb = !isnan(c->ttn.b);
  if (na) dur(c, c->ttn.a, a, sizeof a, true);
  if (nb) dur(c, c->ttn.b, b, sizeof b, false);
  int n = 0;
  if (na && nb && c->ttn.d == 0.0 && (c->ttn.hw == 0.0 || isnan(c->ttn.hw)))
    n = snprintf(c->headline, sizeof c->headline,
                 "%s back to normal in %s, with or without the plan", c->name, b);
  else if (na && nb && !c->ttn.sig && !isnan(c->ttn.hw))
    n = snprintf(c->headline, sizeof c->headline,
                 "%s back to normal in %s with the plan, %s without (within the noise)", c->name, b,
                 a);
  else if (na && nb)
    n = snprintf(c->headline, sizeof c->headline,
                 "%s back to normal in %s with the plan, %s without", c->name, b, a);
  else if (nb)
    n = snprintf(c->headline, sizeof c->headline,
                 "%s back to normal in %s with the plan; not within the run without", c->name, b);
  else if (na)
    n = snprintf(c->headline, sizeof c->headline,
                 "%s not back to normal within the run with the plan; %s without", c->name,
                 dur(c, c->ttn.a, a, sizeof a, false));
  else
    n = snprintf(c->headline, sizeof c->headline,
                 "%s not back to normal within the run, with or without the plan", c->name);
  size_t at = n < 0 ? 0 : (size_t)n < sizeof c->headline ? (size_t)n : sizeof c->headline - 1;
  if (isnan(c->rto_h))
    snprintf(c->headline + at, sizeof c->headline - at, "; no RTO set");
  else if (strcmp(c->rto_a, c->rto_b) == 0 || !c->rto_a[0])
    snprintf(c->headline + at, sizeof c->headline - at, "; RTO %s: %s",
             dur(c, c->rto_h, rto, sizeof rto, false), c->rto_b);
  else
    snprintf(c->headline + at, sizeof c->headline - at, "; RTO %s: %s with the plan, %s without",
             dur(c, c->rto_h, rto, sizeof rto, false), c->rto_b[0] ? c->rto_b : "none", c->rto_a);
}

static void fill_card(card *c, const char *port, const report_kpi *A, const report_kpi *B,
                      bool pair) {
  memset(c, 0, sizeof *c);
  c->port = port, c->A = A, c->B = B, c->rto_h = NAN, c->unit_h = 24.0;
  report_say_port(c->name, sizeof c->name, port);
  c->ka = A ? report_kpi_key(A, port) : -1;
  c->kb = B ? report_kpi_key(B, port) : -1;
  report_diff none = {NAN, NAN, NAN, NAN, false};
  c->ttn = c->peak = c->d24 = c->d72 = none;
  if (c->ka < 0 || c->kb < 0) return;
  c->ttn = diff(c, "time_to_normal_h", pair);
  c->peak = diff(c, "peak_backlog", pair);
  c->d24 = diff(c, "delayed_24h", pair);
  c->d72 = diff(c, "delayed_72h", pair);
  rto_status(c->rto_a, sizeof c->rto_a, A, c->ka, &c->rto_h);
  rto_status(c->rto_b, sizeof c->rto_b, B, c->kb, &c->rto_h);
  double longest = fmax(fmax(isnan(c->ttn.a) ? 0 : c->ttn.a, isnan(c->ttn.b) ? 0 : c->ttn.b),
                        isnan(c->rto_h) ? 0 : c->rto_h);
  c->unit_h = longest < 48.0 ? 1.0 : 24.0;
  headline(c);
}

/* ---- numbers ------------------------------------------------------------------------- */

/* A run's mean with its 95% half-width, from the kpi (a duration in the card's unit
 * for hours, else a count). */
static void run_cell(char *buf, size_t size, const card *c, bool a_side, const char *fig,
                     bool duration) {
  const report_kpi *k = a_side ? c->A : c->B;
  long key = a_side ? c->ka : c->kb, f = k ? report_kpi_fig(k, fig) : -1;
  if (f < 0 || key < 0) {
    snprintf(buf, size, "n/a");
    return;
  }
  size_t cell = (size_t)key * k->nfigs + (size_t)f;
  double m = k->mean[cell], h = k->hw[cell], u = c->unit_h;
  const char *unit = u == 1.0 ? "h" : "days", *some = k->nan[cell] ? " ~" : "";
  if (duration && isnan(m))
    snprintf(buf, size, "not within the run");
  else if (duration && isnan(h))
    snprintf(buf, size, "%.1f %s%s", m / u, unit, some);
  else if (duration)
    snprintf(buf, size, "%.1f \xc2\xb1 %.1f %s%s", m / u, h / u, unit, some);
  else
    numfmt_count(buf, size, m, h);
}

static void diff_cell(char *buf, size_t size, const report_diff *r, const card *c, bool duration) {
  if (isnan(r->d)) {
    snprintf(buf, size, "n/a");
    return;
  }
  if (r->d == 0.0 && (r->hw == 0.0 || isnan(r->hw))) {
    snprintf(buf, size, "none (identical)");
    return;
  }
  char v[64];
  double u = c->unit_h, d = fabs(r->d / u) < 0.05 ? 0.0 : r->d / u;
  if (duration && isnan(r->hw))
    snprintf(v, sizeof v, "%.1f %s", d, u == 1.0 ? "h" : "days");
  else if (duration)
    snprintf(v, sizeof v, "%.1f \xc2\xb1 %.1f %s", d, r->hw / u, u == 1.0 ? "h" : "days");
  else
    numfmt_count(v, sizeof v, r->d, r->hw);
  snprintf(buf, size, "%s%s%s", r->d >= 0 ? "+" : "", v, r->sig ? " *" : "");
}

enum { NCELL = 7, CELL = 80 };

static void print_table(report_rows *p, const card *cards, size_t n) {
  if (!p->out) return;
  char(*cell)[NCELL][CELL] = calloc(n + 1, sizeof *cell);
  if (!cell) return;
  const char *head[NCELL] = {"port",           "back to normal: A",  "B", "B - A (95% CI)", "RTO",
                             "RTO met: A / B", "peak backlog: A / B"};
  for (size_t k = 0; k < NCELL; k++) snprintf(cell[0][k], CELL, "%s", head[k]);
  for (size_t i = 0; i < n; i++) {
    const card *c = &cards[i];
    char(*row)[CELL] = cell[i + 1], pa[48], pb[48];
    snprintf(row[0], CELL, "%s", c->name);
    run_cell(row[1], CELL, c, true, "time_to_normal_h", true);
    run_cell(row[2], CELL, c, false, "time_to_normal_h", true);
    diff_cell(row[3], CELL, &c->ttn, c, true);
    if (isnan(c->rto_h))
      snprintf(row[4], CELL, "none");
    else
      dur(c, c->rto_h, row[4], CELL, false);
    snprintf(row[5], CELL, "%s / %s", c->rto_a[0] ? c->rto_a : "-", c->rto_b[0] ? c->rto_b : "-");
    run_cell(pa, sizeof pa, c, true, "peak_backlog", false);
    run_cell(pb, sizeof pb, c, false, "peak_backlog", false);
    snprintf(row[6], CELL, "%s / %s", pa, pb);
  }
  size_t w[NCELL] = {0};
  for (size_t r = 0; r <= n; r++)
    for (size_t k = 0; k < NCELL; k++)
      w[k] = numfmt_width(cell[r][k]) > w[k] ? numfmt_width(cell[r][k]) : w[k];
  fprintf(
      p->out,
      "\nDrill scorecard (A: without the plan, B: with it; back to normal counted from the first "
      "disruption's start)\n");
  for (size_t r = 0; r <= n; r++) {
    for (size_t k = 0; k < NCELL; k++)
      fputs("  ", p->out), numfmt_pad(p->out, cell[r][k], k + 1 < NCELL ? w[k] : 0, false);
    fputc('\n', p->out);
  }
  for (size_t i = 0; i < n; i++) fprintf(p->out, "  %s\n", cards[i].headline);
  free(cell);
}

static int write_csv(const report_rows *p, const card *cards, size_t n, sim_error *err) {
  if (!p->opts->csv_dir) return SIM_OK;
  char file[4096];
  snprintf(file, sizeof file, "%s/compare_scorecard.csv", p->opts->csv_dir);
  FILE *csv = fopen(file, "w");
  if (!csv) return sim_error_set(err, SIM_EIO, "%s: cannot write: %s", file, strerror(errno));
  if (p->opts->bom) fputs("\xef\xbb\xbf", csv);
  fputs("port,a_back_to_normal_days,b_back_to_normal_days,diff_days,diff_hw_days,significant,rto_"
        "days,a_rto,b_rto,"
        "a_peak_backlog,b_peak_backlog,diff_peak_backlog,diff_peak_backlog_hw,a_delayed_24h,b_"
        "delayed_24h,"
        "a_delayed_72h,b_delayed_72h,method,headline\n",
        csv);
  for (size_t i = 0; i < n; i++) {
    const card *c = &cards[i];
    double v[] = {c->ttn.a / 24, c->ttn.b / 24, c->ttn.d / 24, c->ttn.hw / 24};
    report_csv_field(csv, c->port);
    for (size_t k = 0; k < 4; k++) isnan(v[k]) ? fputs(",", csv) : fprintf(csv, ",%.6g", v[k]);
    fprintf(csv, ",%d,", c->ttn.sig);
    if (!isnan(c->rto_h)) fprintf(csv, "%.6g", c->rto_h / 24);
    fprintf(csv, ",%s,%s", c->rto_a, c->rto_b);
    double w[] = {c->peak.a, c->peak.b, c->peak.d, c->peak.hw,
                  c->d24.a,  c->d24.b,  c->d72.a,  c->d72.b};
    for (size_t k = 0; k < 8; k++) isnan(w[k]) ? fputs(",", csv) : fprintf(csv, ",%.6g", w[k]);
    fprintf(csv, ",%s,", p->method);
    report_csv_field(csv, c->headline);
    fputc('\n', csv);
  }
  if (ferror(csv) | fclose(csv)) return sim_error_set(err, SIM_EIO, "%s: write failed", file);
  return SIM_OK;
}

/* ---- slides ---------------------------------------------------------------------------- */

typedef struct slide_in {
  const card *c;
  const report_drill *da, *db;
  size_t port_a, port_b; /* the port's index in da and db */
  const char *file_a, *file_b;
} slide_in;

static void text_at(double x, double y, double just, double scale, int colour, const char *s) {
  char e[512];
  report_chart_esc(e, sizeof e, s);
  plcol0(colour);
  plschr(0.0, scale);
  plptex(x, y, 1.0, 0.0, just, e);
  plschr(0.0, 1.0);
}

static void slide_marks(const slide_in *s, double level) {
  const report_drill *d = s->da;
  double t0 = d->first_start_h;
  char label[160], when[48], days[32];
  if (isnan(t0)) return;
  PLFLT xmin, xmax, ymin, ymax;
  plgvpw(&xmin, &xmax, &ymin, &ymax);
  report_chart_hline(level);
  if (!isnan(s->c->rto_h)) {
    report_drill_date(d, t0 + s->c->rto_h, when, sizeof when, true);
    snprintf(label, sizeof label, "RTO %s (%s)", dur(s->c, s->c->rto_h, days, sizeof days, false),
             when);
    report_chart_vline(t0 + s->c->rto_h, RC_RTO, 2, 3.0, label, 0.905, 0);
  }
  const double ttn[2] = {s->c->ttn.a, s->c->ttn.b};
  const int colour[2] = {RC_LINE_A, RC_LINE_B};
  bool same = ttn[0] == ttn[1]; /* one mark for both */
  const char *who[2] = {"without the plan", same ? "with or without the plan" : "with the plan"};
  for (int k = same ? 1 : 0; k < 2; k++) {
    if (isnan(ttn[k])) continue;
    report_drill_date(d, t0 + ttn[k], when, sizeof when, true);
    snprintf(label, sizeof label, "back to normal %s: %s (%s)", who[k], when,
             dur(s->c, ttn[k], days, sizeof days, false));
    report_chart_vline(t0 + ttn[k], colour[k], 2, 2.5, label, k ? 0.79 : 0.845, 0);
  }
}

static void slide_table(const slide_in *s) {
  const card *c = s->c;
  plvpor(0.065, 0.975, 0.025, 0.215);
  plwind(0.0, 1.0, 0.0, 6.0);
  const double col[] = {0.0, 0.36, 0.56, 0.76};
  const char *head[] = {"", "without the plan (A)", "with the plan (B)",
                        "difference B - A (95% CI)"};
  for (int k = 0; k < 4; k++) text_at(col[k], 5.4, 0.0, 1.0, RC_MUTED, head[k]);
  const char *label[] = {"back to normal after the disruption's start",
                         "peak backlog (items above the level before)",
                         "delayed more than 24 h (items)", "delayed more than 72 h (items)"};
  const char *fig[] = {"time_to_normal_h", "peak_backlog", "delayed_24h", "delayed_72h"};
  const report_diff *dd[] = {&c->ttn, &c->peak, &c->d24, &c->d72};
  for (int row = 0; row < 4; row++) {
    char a[64], b[64], d[64];
    double y = 4.3 - 1.0 * row;
    run_cell(a, sizeof a, c, true, fig[row], row == 0);
    run_cell(b, sizeof b, c, false, fig[row], row == 0);
    diff_cell(d, sizeof d, dd[row], c, row == 0);
    text_at(col[0], y, 0.0, 1.0, RC_INK, label[row]);
    text_at(col[1], y, 0.0, 1.0, RC_LINE_A, a);
    text_at(col[2], y, 0.0, 1.0, RC_LINE_B, b);
    text_at(col[3], y, 0.0, 1.0, RC_INK, d);
  }
  char rto[64], days[32];
  snprintf(rto, sizeof rto, "recovery time objective (RTO)%s%s", isnan(c->rto_h) ? "" : ": ",
           isnan(c->rto_h) ? "" : dur(c, c->rto_h, days, sizeof days, false));
  text_at(col[0], 0.3, 0.0, 1.0, RC_INK, rto);
  text_at(col[1], 0.3, 0.0, 1.0, RC_LINE_A,
          isnan(c->rto_h)   ? "none set"
              : c->rto_a[0] ? c->rto_a
                            : "none set");
  text_at(col[2], 0.3, 0.0, 1.0, RC_LINE_B,
          isnan(c->rto_h)   ? "none set"
              : c->rto_b[0] ? c->rto_b
                            : "none set");
  bool some = false;
  for (int k = 0; k < 2; k++) {
    const report_kpi *kp = k ? c->B : c->A;
    long key = k ? c->kb : c->ka, f = report_kpi_fig(kp, "time_to_normal_h");
    some |= key >= 0 && f >= 0 && kp->nan[(size_t)key * kp->nfigs + (size_t)f] > 0;
  }
  text_at(col[3], 0.3, 0.0, 0.8, RC_MUTED, "* the 95% interval excludes 0");
  if (some)
    text_at(col[3], -0.5, 0.0, 0.8, RC_MUTED,
            "~ some runs not back to normal within the run: mean of the others");
}

static void slide_head(const slide_in *s) {
  plvpor(0.03, 0.97, 0.86, 0.99);
  plwind(0.0, 1.0, 0.0, 1.0);
  const card *c = s->c;
  char sub[640], reps[64];
  numfmt_count_of(reps, sizeof reps, (double)s->da->nrep, "replication", "replications");
  text_at(0.0, 0.62, 0.0, 2.0, RC_INK, c->headline[0] ? c->headline : c->name);
  snprintf(sub, sizeof sub, "Items in %s over time: mean of %s with its 95%% confidence band%s%s",
           strcmp(c->port, "port") == 0 ? "the port" : c->name, reps,
           s->da->what[0] ? ". Disruption: " : "", s->da->what);
  text_at(0.0, 0.15, 0.0, 1.1, RC_MUTED, sub);
}

/* The y range: from a round number below the lowest values (0 when they come close)
 * to room above the highest for the labels of the marks. */
static void y_range(const slide_in *s, double t0, double *lo, double *hi) {
  const report_drill *dd[2] = {s->da, s->db};
  const size_t port[2] = {s->port_a, s->port_b};
  double mn = INFINITY, mx = -INFINITY;
  for (int k = 0; k < 2; k++)
    for (size_t i = 0; i < dd[k]->nrep * dd[k]->nt; i++) {
      double v = dd[k]->backlog[port[k]][i];
      if (isnan(v) || dd[k]->t[i % dd[k]->nt] < t0) continue;
      mn = fmin(mn, v), mx = fmax(mx, v);
    }
  if (!(mx > mn)) mn = 0.0, mx = isfinite(mx) && mx > 0 ? mx : 1.0;
  double step = pow(10.0, floor(log10(mx - mn)));
  *lo = mn < 0.35 * mx ? 0.0 : floor(0.95 * mn / step) * step;
  *hi = mx + 0.42 * (mx - *lo);
}

static int slide(const slide_in *s, const char *png, sim_error *err) {
  const report_drill *da = s->da, *db = s->db;
  int rc = report_chart_begin(png, SLIDE_W, SLIDE_H, 15.0, err);
  if (rc) return rc;
  slide_head(s);
  char ka[600], kb[600];
  bool drill = s->c->ka >= 0 && s->c->kb >= 0, dis = !isnan(da->first_start_h);
  snprintf(ka, sizeof ka, "A: %s (%s)", drill ? "without the plan" : "baseline", s->file_a);
  snprintf(kb, sizeof kb, "B: %s (%s)", drill ? "with the plan" : "policy", s->file_b);
  report_key keys[5] = {{RC_LINE_A, 1, false, ka}, {RC_LINE_B, 1, false, kb}};
  size_t nkeys = 2;
  if (da->nseg)
    keys[nkeys++] = (report_key){RC_SHADE, 1, true, "disruption (darker: less capacity)"};
  if (dis) keys[nkeys++] = (report_key){RC_MUTED, 3, false, "normal: the 24 h before it"};
  if (!isnan(s->c->rto_h)) keys[nkeys++] = (report_key){RC_RTO, 2, false, "RTO"};
  report_chart_legend(0.065, 0.975, 0.815, 0.85, keys, nkeys);
  double t0 = isnan(da->first_start_h) ? 0.0 : fmax(da->t[0], da->first_start_h - 48.0),
         t1 = da->t[da->nt - 1];
  const double *ya = da->backlog[s->port_a], *yb = db->backlog[s->port_b];
  double lo, hi;
  y_range(s, t0, &lo, &hi);
  report_chart_time_frame(da, 0.065, 0.975, drill ? 0.30 : 0.10, 0.80, t0, t1, lo, hi);
  report_chart_disruptions(da);
  report_chart_band(da->t, ya, da->nrep, da->nt, RC_BAND_A, RC_LINE_A);
  report_chart_band(db->t, yb, db->nrep, db->nt, RC_BAND_B, RC_LINE_B);
  slide_marks(s, 0.5 * (report_drill_normal(da, s->port_a) + report_drill_normal(db, s->port_b)));
  plcol0(RC_INK);
  plbox("bc", 0.0, 0, "bc", 0.0, 0);
  report_chart_ylabel("items in the port");
  if (s->c->ka >= 0 && s->c->kb >= 0) slide_table(s); /* a drill: its figures */
  report_chart_end();
  return SIM_OK;
}

static long port_index(const report_drill *d, const char *port) {
  for (size_t i = 0; i < d->nports; i++)
    if (strcmp(d->ports[i], port) == 0 && d->backlog && d->backlog[i]) return (long)i;
  return -1;
}

static const char *base_name(const char *path) {
  const char *s = strrchr(path, '/');
  return s ? s + 1 : path;
}

static int slides(const report_rows *p, const report_file *a, const report_file *b,
                  const card *cards, size_t n, const report_drill *da, const report_drill *db,
                  sim_error *err) {
  int rc = SIM_OK;
  for (size_t i = 0; !rc && i < n; i++) {
    long pa = port_index(da, cards[i].port), pb = port_index(db, cards[i].port);
    if (pa < 0 || pb < 0 || da->nt < 2 || db->nt < 2) continue;
    char png[4096];
    report_chart_png(png, sizeof png, p->opts->png_dir, "scorecard", cards[i].port);
    slide_in s = {&cards[i],
                  da,
                  db,
                  (size_t)pa,
                  (size_t)pb,
                  base_name(report_path(a)),
                  base_name(report_path(b))};
    rc = slide(&s, png, err);
  }
  return rc;
}

int report_scorecard(report_rows *p, const report_file *a, const report_file *b, bool pair,
                     sim_error *err) {
  bool rec = report_exists(a, "/kpi/recovery") && report_exists(b, "/kpi/recovery");
  if (!rec && !p->opts->png_dir) return SIM_OK;
  report_kpi *A = NULL, *B = NULL;
  report_drill *da = NULL, *db = NULL;
  int rc = rec ? report_kpi_reps(a, "/kpi/recovery", &A, err) : SIM_OK;
  if (!rc && rec) rc = report_kpi_reps(b, "/kpi/recovery", &B, err);
  if (!rc) rc = report_drill_load(a, &da, err);
  if (!rc) rc = report_drill_load(b, &db, err);
  if (!rc && pair && A && B &&
      (A->nrep != B->nrep || memcmp(A->rep_ids, B->rep_ids, A->nrep * sizeof *A->rep_ids)))
    pair = false;
  card *cards = rc ? NULL : calloc(da->nports + 1, sizeof *cards);
  if (!rc && !cards) rc = sim_error_set(err, SIM_ENOMEM, "%s: out of memory", report_path(a));
  size_t n = 0;
  for (size_t i = 0; !rc && i < da->nports; i++) {
    fill_card(&cards[n], da->ports[i], A, B, pair);
    if (!rec)
      snprintf(cards[n].headline, sizeof cards[n].headline,
               "%s: items in the port, policy (B) against baseline (A)", cards[n].name);
    n += !rec || (cards[n].ka >= 0 && cards[n].kb >= 0);
  }
  if (!rc && rec) print_table(p, cards, n);
  if (!rc && rec) rc = write_csv(p, cards, n, err);
  if (!rc && p->opts->png_dir) rc = slides(p, a, b, cards, n, da, db, err);
  free(cards);
  report_drill_free(da);
  report_drill_free(db);
  report_kpi_free(A);
  report_kpi_free(B);
  return rc;
}
