/* report_bars: the charts of customs-report --png that are not over time: the release
 * time of each channel as a histogram on a log axis labelled in minutes, hours and
 * days, with the channel's target drawn; utilization per station and staff pool
 * (stations without a limit have none and are left out); and KPI-against-setting
 * charts of a /sweep table. */
#include "models/report/report_drill.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <plplot.h>

enum { WIDTH = 1200, HEIGHT = 800 };
#define TEXT_PX 14.0

/* ---- release-time histograms ---------------------------------------------------- */

/* Histogram geometry: the bins from the first to the last non-empty one, on a log
 * axis when the edges grow geometrically (release times span seconds to weeks). */
typedef struct bins {
  size_t first, last;
  bool log;
  double *x; /* drawn edges: log10 of the edges on a log axis */
} bins;

static void bins_layout(bins *g, const double *edges, const double *mean, size_t nb) {
  g->first = 0, g->last = nb ? nb - 1 : 0;
  while (g->first < g->last && !(mean[g->first] > 0.0)) g->first++;
  while (g->last > g->first && !(mean[g->last] > 0.0)) g->last--;
  g->log = nb >= 3 && edges[1] > 0.0 && edges[nb] / edges[1] > 1e3 &&
      fabs(edges[3] / edges[2] - edges[2] / edges[1]) < 1e-6 * edges[2] / edges[1];
  for (size_t b = 0; b <= nb; b++) g->x[b] = g->log && edges[b] > 0.0 ? log10(edges[b]) : edges[b];
  if (g->log && !(edges[0] > 0.0))
    g->x[0] = 2.0 * g->x[1] - g->x[2]; /* [0, e1) drawn as one step */
}

static void draw_bins(const bins *g, const double *mean, const double *hw) {
  for (size_t b = g->first; b <= g->last; b++) {
    if (isnan(mean[b]) || mean[b] <= 0.0) continue;
    double x[4] = {g->x[b], g->x[b], g->x[b + 1], g->x[b + 1]}, y[4] = {0.0, mean[b], mean[b], 0.0};
    plcol0(RC_BAR);
    plfill(4, x, y);
    plcol0(RC_INK);
    plline(4, x, y);
  }
  plcol0(RC_ERR);
  for (size_t b = g->first; b <= g->last; b++) {
    if (!isfinite(hw[b]) || hw[b] <= 0.0) continue;
    double x = 0.5 * (g->x[b] + g->x[b + 1]), lo = mean[b] - hw[b], hi = mean[b] + hw[b];
    plerry(1, &x, &lo, &hi);
  }
}

/* Mean and CI of each bin over replications; x is scratch for nrep values. */
static double bin_stats(const double *data, size_t nrep, size_t nb, double *mean, double *hw,
                        double *x) {
  double top = 1.0;
  for (size_t b = 0; b < nb; b++) {
    for (size_t r = 0; r < nrep; r++) x[r] = data[r * nb + b];
    report_mean_hw(x, nrep, &mean[b], &hw[b]);
    double h = mean[b] + (isfinite(hw[b]) ? hw[b] : 0.0);
    if (isfinite(h) && h > top) top = h;
  }
  return top;
}

/* Ticks of a log10-minutes axis in the units people use for waiting. */
static void time_ticks(double x0, double x1, double ymax) {
  static const double minutes[] = {1.0 / 60, 10.0 / 60, 1, 10, 60, 360, 1440, 10080, 43200};
  static const char *const label[] = {"1 s", "10 s",  "1 min",  "10 min", "1 h",
                                      "6 h", "1 day", "1 week", "30 days"};
  for (size_t i = 0; i < sizeof minutes / sizeof minutes[0]; i++) {
    double x = log10(minutes[i]);
    if (x < x0 || x > x1) continue;
    plcol0(RC_GRID);
    pljoin(x, 0.0, x, ymax);
    plcol0(RC_INK);
    plmtex("b", 1.6, (x - x0) / (x1 - x0), 0.5, label[i]);
  }
}

static double fig_of(const report_kpi *ch, const char *channel, const char *fig) {
  long k = ch ? report_kpi_key(ch, channel) : -1, f = ch ? report_kpi_fig(ch, fig) : -1;
  return k >= 0 && f >= 0 ? ch->mean[(size_t)k * ch->nfigs + (size_t)f] : NAN;
}

typedef struct release_target {
  double min, share; /* the release-time target and the share released within it */
} release_target;

static void draw_release(const bins *g, const double *mean, const double *hw, double ymax,
                         double target) {
  /* target: minutes, NaN for none */
  double x0 = g->x[g->first], x1 = g->x[g->last + 1];
  if (!isnan(target) && target > 0.0) { /* the target in view, with room for its label */
    double xt = g->log ? log10(target) : target;
    x0 = fmin(x0, xt), x1 = fmax(x1, xt + 0.08 * (x1 - x0));
  }
  double pad = 0.03 * (x1 - x0);
  plvpor(0.10, 0.96, 0.12, 0.86);
  report_chart_frame(x0 - pad, x1 + pad, 0.0, ymax, g->log ? NAN : 0.0);
  if (g->log) time_ticks(x0 - pad, x1 + pad, ymax);
  draw_bins(g, mean, hw);
  if (!isnan(target) && target > 0.0) {
    char label[96], v[48];
    numfmt_plain(v, sizeof v, target >= 120 ? target / 60.0 : target);
    snprintf(label, sizeof label, "target %s %s", v, target >= 120 ? "h" : "min");
    report_chart_vline(g->log ? log10(target) : target, RC_TARGET, 2, 2.5, label, 0.92, 0);
  }
  plcol0(RC_INK);
  plbox("bc", 0.0, 0, "bc", 0.0, 0);
}

static int plot_release(const report_file *f, const double *edges, size_t ne, const char *channel,
                        release_target tg, const char *png, sim_error *err) {
  char path[1024];
  snprintf(path, sizeof path, "/dist/release/%s", channel);
  double *data = NULL;
  size_t nrep = 0, nb = 0;
  int rc = report_matrix(f, path, &data, &nrep, &nb, err);
  if (!rc && nb + 1 != ne)
    rc = sim_error_set(err, SIM_EINVAL, "%s: %s: %zu bins but %zu edges", report_path(f), path, nb,
                       ne);
  double *buf =
      rc ? NULL : malloc((3 * nb + nrep + 2) * sizeof *buf); /* mean, hw, edges, scratch */
  if (!rc && !buf) rc = sim_error_set(err, SIM_ENOMEM, "%s: out of memory", report_path(f));
  if (!rc) rc = report_chart_begin(png, WIDTH, HEIGHT, TEXT_PX, err);
  if (!rc) {
    double *mean = buf, *hw = buf + nb,
           ymax = bin_stats(data, nrep, nb, mean, hw, buf + 3 * nb + 1);
    bins g = {0, 0, false, buf + 2 * nb};
    bins_layout(&g, edges, mean, nb);
    draw_release(&g, mean, hw, ymax * 1.1, tg.min);
    char title[600], note[240];
    snprintf(title, sizeof title, "Release time at %s", channel);
    snprintf(note, sizeof note,
             nrep > 1 ? "bars: mean count per replication (%zu); whiskers: 95%% CI"
                      : "bars: count (%zu replication)",
             nrep);
    if (!isnan(tg.share) && !isnan(tg.min))
      snprintf(note + strlen(note), sizeof note - strlen(note),
               "; %.1f%% released within the target", 100.0 * tg.share);
    report_chart_titles(title, note, "items per replication");
    plmtex("b", 3.2, 0.5, 0.5,
           g.log ? "time from arrival to release (log scale)" : "minutes from arrival to release");
    report_chart_end();
  }
  free(buf);
  free(data);
  return rc;
}

int report_plot_releases(const report_file *f, const char *dir, sim_error *err) {
  if (!report_exists(f, "/dist/release") || !report_exists(f, "/dist/release_edges_min"))
    return SIM_OK;
  double *edges = NULL;
  size_t rows = 0, ne = 0, nc = 0;
  char **names = NULL;
  report_kpi *ch = NULL;
  int rc = report_matrix(f, "/dist/release_edges_min", &edges, &rows, &ne, err);
  if (!rc && (rows != 1 || ne < 2))
    rc = sim_error_set(err, SIM_EINVAL, "%s: /dist/release_edges_min: needs 2 or more edges",
                       report_path(f));
  if (!rc) rc = report_list(f, "/dist/release", &names, &nc, err);
  if (!rc) rc = report_kpi_load(f, "channels", &ch, err);
  for (size_t i = 0; !rc && i < nc; i++) {
    char png[4096];
    report_chart_png(png, sizeof png, dir, "release", names[i]);
    release_target tg = {fig_of(ch, names[i], "target_min"),
                         fig_of(ch, names[i], "within_target_share")};
    rc = plot_release(f, edges, ne, names[i], tg, png, err);
  }
  report_kpi_free(ch);
  report_names_free(names, nc);
  free(edges);
  return rc;
}

/* ---- utilization bars ------------------------------------------------------------- */

static void draw_bars(const report_kpi *k, size_t fig, const size_t *shown, size_t n) {
  char name[512];
  plschr(0.0, n > 30 ? 0.6 : 0.85);
  for (size_t j = 0; j < n; j++) {
    size_t i = shown[j];
    double m = k->mean[i * k->nfigs + fig], h = k->hw[i * k->nfigs + fig], c = (double)j + 1.0;
    double x[4] = {c - 0.3, c - 0.3, c + 0.3, c + 0.3}, y[4] = {0.0, m, m, 0.0};
    plcol0(RC_BAR);
    plfill(4, x, y);
    plcol0(RC_INK);
    plline(4, x, y);
    report_chart_esc(name, sizeof name, k->keys[i]);
    plmtex("bv", 0.5, ((double)j + 0.6) / ((double)n + 0.2), 1.0, name);
    if (!isfinite(h)) continue;
    double lo = m - h, hi = m + h;
    plcol0(RC_ERR);
    plwidth(2.0);
    plerry(1, &c, &lo, &hi);
    plwidth(1.0);
  }
  plschr(0.0, 1.0);
}

static int plot_bars(const report_kpi *k, size_t fig, const char *title, const char *png,
                     sim_error *err) {
  size_t *shown = malloc((k->nkeys + 1) * sizeof *shown), n = 0;
  if (!shown) return sim_error_set(err, SIM_ENOMEM, "%s: out of memory", png);
  double ymax = 1.0;
  for (size_t i = 0; i < k->nkeys; i++) {
    double m = k->mean[i * k->nfigs + fig], h = k->hw[i * k->nfigs + fig];
    if (isnan(m)) continue; /* no limit, no utilization */
    shown[n++] = i;
    if (m + (isfinite(h) ? h : 0.0) > ymax) ymax = m + (isfinite(h) ? h : 0.0);
  }
  int rc = n ? report_chart_begin(png, WIDTH, HEIGHT, TEXT_PX, err) : SIM_OK;
  if (!rc && n) {
    plvpor(0.10, 0.95, 0.30, 0.86);
    plwind(0.4, (double)n + 0.6, 0.0, ymax * 1.05);
    report_chart_frame(0.4, (double)n + 0.6, 0.0, ymax * 1.05, NAN);
    draw_bars(k, fig, shown, n);
    report_chart_titles(
        title,
        "bars: mean over replications; whiskers: 95% confidence interval; stations without a "
        "server limit have no utilization",
        "utilization (share of time busy)");
    report_chart_end();
  }
  free(shown);
  return rc;
}

int report_plot_utilization(const report_file *f, const char *dir, const char *name,
                            const char *title, sim_error *err) {
  report_kpi *k = NULL;
  int rc = report_kpi_load(f, name, &k, err);
  long fig = k ? report_kpi_fig(k, "utilization") : -1;
  if (!rc && fig >= 0 && k->nkeys > 0) {
    char png[4096];
    report_chart_png(png, sizeof png, dir, "utilization", name);
    rc = plot_bars(k, (size_t)fig, title, png, err);
  }
  report_kpi_free(k);
  return rc;
}

/* ---- sweeps -------------------------------------------------------------------------- */

static bool ends_with(const char *s, const char *tail) {
  size_t n = strlen(s), m = strlen(tail);
  return n > m && strcmp(s + n - m, tail) == 0;
}

/* The first numeric column that is a setting, not a statistic. */
static long sweep_default_x(const report_table *t) {
  for (size_t c = 0; c < report_table_ncols(t); c++) {
    const char *n = report_table_name(t, c);
    report_kind kd = report_table_kind(t, c);
    if ((kd == REPORT_INT || kd == REPORT_FLOAT) && !ends_with(n, "_mean") &&
        !ends_with(n, "_hw") && !ends_with(n, "_nan") && strcmp(n, "n") != 0 &&
        strcmp(n, "replication") != 0)
      return (long)c;
  }
  return -1;
}

static long group_column(const report_table *t) {
  for (size_t c = 0; c < report_table_ncols(t); c++)
    if (report_table_kind(t, c) == REPORT_STR || report_table_kind(t, c) == REPORT_ENUM)
      return (long)c;
  return -1;
}

typedef struct sweep_cols {
  long x, y, hw, group;
} sweep_cols;

static int cmp_x(const void *a, const void *b) {
  const double *p = a, *q = b;
  return (p[0] > q[0]) - (p[0] < q[0]);
}

/* One line (with error bars) per value of the group column; pts is scratch. */
static void draw_sweep_lines(const report_table *t, const sweep_cols *sc, double *pts) {
  size_t rows = report_table_loaded(t), ng = 0;
  for (size_t i = 0; i < rows; i++) {
    const char *g = sc->group >= 0 ? report_table_str(t, (size_t)sc->group, i) : "";
    bool first = true;
    for (size_t j = 0; j < i && first; j++)
      first = sc->group >= 0 && strcmp(report_table_str(t, (size_t)sc->group, j), g) != 0;
    if (!first) continue;
    size_t n = 0;
    for (size_t j = i; j < rows; j++) {
      if (sc->group >= 0 && strcmp(report_table_str(t, (size_t)sc->group, j), g) != 0) continue;
      pts[3 * n] = report_table_f64(t, (size_t)sc->x, j);
      pts[3 * n + 1] = report_table_f64(t, (size_t)sc->y, j);
      pts[3 * n + 2] = sc->hw >= 0 ? report_table_f64(t, (size_t)sc->hw, j) : NAN;
      n++;
    }
    qsort(pts, n, 3 * sizeof *pts, cmp_x);
    plcol0(RC_GROUP + (int)(ng % RC_NGROUP));
    plwidth(3.5);
    for (size_t j = 0; j + 1 < n; j++)
      pljoin(pts[3 * j], pts[3 * j + 1], pts[3 * j + 3], pts[3 * j + 4]);
    for (size_t j = 0; j < n; j++) {
      double lo = pts[3 * j + 1] - pts[3 * j + 2], hi = pts[3 * j + 1] + pts[3 * j + 2];
      plpoin(1, &pts[3 * j], &pts[3 * j + 1], 17);
      if (isfinite(lo) && isfinite(hi)) plerry(1, &pts[3 * j], &lo, &hi);
    }
    plwidth(1.0);
    char label[512];
    report_chart_esc(label, sizeof label, g);
    if (sc->group >= 0) plmtex("t", -1.5 - 1.4 * (double)ng, 0.02, 0.0, label);
    ng++;
  }
}

static size_t count_groups(const report_table *t, long group) {
  size_t n = 0;
  for (size_t i = 0; group >= 0 && i < report_table_loaded(t); i++) {
    bool first = true;
    for (size_t j = 0; j < i && first; j++)
      first =
          strcmp(report_table_str(t, (size_t)group, j), report_table_str(t, (size_t)group, i)) != 0;
    n += first;
  }
  return n;
}

/* Axes with room above the data for one legend line per group. */
static void sweep_frame(const report_table *t, const sweep_cols *sc) {
  double xlo = INFINITY, xhi = -INFINITY, ylo = 0.0, yhi = -INFINITY;
  for (size_t i = 0; i < report_table_loaded(t); i++) {
    double x = report_table_f64(t, (size_t)sc->x, i), y = report_table_f64(t, (size_t)sc->y, i);
    double h = sc->hw >= 0 ? report_table_f64(t, (size_t)sc->hw, i) : 0.0;
    h = isfinite(h) ? h : 0.0;
    if (isfinite(x)) xlo = fmin(xlo, x), xhi = fmax(xhi, x);
    if (isfinite(y)) ylo = fmin(ylo, y - h), yhi = fmax(yhi, y + h);
  }
  if (!(xhi > xlo)) xlo = isfinite(xlo) ? xlo - 1.0 : 0.0, xhi = xlo + 2.0;
  if (!(yhi > ylo)) yhi = ylo + 1.0;
  double pad = 0.05 * (xhi - xlo), room = 0.08 + 0.07 * (double)count_groups(t, sc->group);
  plvpor(0.10, 0.96, 0.12, 0.86);
  bool whole = true; /* a count of servers: no ticks between whole numbers */
  for (size_t i = 0; i < report_table_loaded(t); i++) {
    double x = report_table_f64(t, (size_t)sc->x, i);
    whole &= !isfinite(x) || x == floor(x);
  }
  report_chart_frame(xlo - pad, xhi + pad, ylo, yhi + room * (yhi - ylo), whole ? -1.0 : 0.0);
}

static int sweep_find(const report_file *f, const report_table *t, const char *xcol,
                      const char *yname, sweep_cols *sc, sim_error *err) {
  char name[512];
  sc->x = xcol ? report_table_find(t, xcol) : sweep_default_x(t);
  snprintf(name, sizeof name, "%s_mean", yname);
  sc->y = report_table_find(t, name);
  snprintf(name, sizeof name, "%s_hw", yname);
  sc->hw = report_table_find(t, name);
  sc->group = group_column(t);
  if (sc->x < 0 || report_table_kind(t, (size_t)sc->x) == REPORT_STR)
    return sim_error_set(err, SIM_EINVAL, "%s: /sweep: no numeric setting column '%s'",
                         report_path(f), xcol ? xcol : "(any)");
  if (sc->y < 0)
    return sim_error_set(err, SIM_EINVAL, "%s: /sweep: no field %s_mean", report_path(f), yname);
  return SIM_OK;
}

int report_plot_sweep(const report_file *f, const char *xcol, const char *yname, const char *png,
                      sim_error *err) {
  report_table *t = NULL;
  sweep_cols sc;
  double *pts = NULL;
  int rc = report_table_open(f, "/sweep", &t, err);
  if (!rc && report_table_rows(t) > 100000)
    rc = sim_error_set(err, SIM_EINVAL, "%s: /sweep: too many rows to draw", report_path(f));
  if (!rc) rc = report_table_load(t, 0, report_table_rows(t), err);
  if (!rc) rc = sweep_find(f, t, xcol, yname, &sc, err);
  if (!rc && !(pts = malloc((3 * report_table_loaded(t) + 3) * sizeof *pts)))
    rc = sim_error_set(err, SIM_ENOMEM, "%s: out of memory", report_path(f));
  if (!rc) rc = report_chart_begin(png, WIDTH, HEIGHT, TEXT_PX, err);
  if (!rc) {
    sweep_frame(t, &sc);
    draw_sweep_lines(t, &sc, pts);
    char title[600], ylab[600], xlab[600];
    snprintf(title, sizeof title, "%s against %s", yname, report_table_name(t, (size_t)sc.x));
    snprintf(ylab, sizeof ylab, "%s (%s)", yname, report_table_units(t, (size_t)sc.y));
    report_chart_titles(title,
                        sc.hw >= 0 ? "points: mean over replications; whiskers: 95% CI"
                                   : "points: mean over replications",
                        ylab);
    report_chart_esc(xlab, sizeof xlab, report_table_name(t, (size_t)sc.x));
    plmtex("b", 3.2, 0.5, 0.5, xlab);
    report_chart_end();
  }
  free(pts);
  report_table_close(t);
  return rc;
}

int report_plot_sweeps(const report_file *f, const char *dir, const char *xcol, sim_error *err) {
  if (!report_exists(f, "/sweep")) return SIM_OK;
  report_table *t = NULL;
  int rc = report_table_open(f, "/sweep", &t, err);
  for (size_t c = 0; !rc && c < report_table_ncols(t); c++) {
    const char *n = report_table_name(t, c);
    if (!ends_with(n, "_mean")) continue;
    char y[512], png[4096];
    snprintf(y, sizeof y, "%.*s", (int)(strlen(n) - 5), n);
    report_chart_png(png, sizeof png, dir, "sweep", y);
    rc = report_plot_sweep(f, xcol, y, png, err);
  }
  report_table_close(t);
  return rc;
}
