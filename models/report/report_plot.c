/* report_plot: the PNG charts of customs-report, drawn with PLplot's pngcairo device
 * (headless, antialiased, UTF-8 text including Japanese names): queue length over
 * time per station, release-time histogram per channel, utilization per station and
 * per staff pool with confidence bars, and KPI-against-setting charts of a /sweep
 * table. Each chart is its own PLplot stream, begun and ended here. */
#include "models/report/report.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <plplot.h>

enum { WIDTH = 1200, HEIGHT = 800, NGROUP_COLORS = 8 };
enum { C_BG, C_INK, C_BAND, C_LINE, C_BAR, C_ERR, C_GROUP };

static const int group_rgb[NGROUP_COLORS][3] = {{31, 119, 180}, {255, 127, 14}, {44, 160, 44}, {214, 39, 40},
                                                {148, 103, 189}, {140, 86, 75}, {227, 119, 194}, {127, 127, 127}};

/* PLplot reads '#' as an escape: double it in names. */
static void esc(char *out, size_t size, const char *in) {
  size_t n = 0;
  for (const char *p = in; *p && n + 2 < size; p++) {
    if (*p == '#') out[n++] = '#';
    out[n++] = *p;
  }
  out[n] = '\0';
}

/* PLplot exits the program when it cannot open its output, so check first. */
static int chart_begin(const char *png, sim_error *err) {
  FILE *fp = fopen(png, "wb");
  if (!fp) return sim_error_set(err, SIM_EIO, "%s: cannot write: %s", png, strerror(errno));
  fclose(fp);
  PLINT strm;
  plmkstrm(&strm);
  plsdev("pngcairo");
  plsfnam(png);
  plspage(0.0, 0.0, WIDTH, HEIGHT, 0, 0);
  plscolbg(255, 255, 255);
  plinit();
  plscol0(C_INK, 0, 0, 0);
  plscol0a(C_BAND, 31, 119, 180, 0.25);
  plscol0(C_LINE, 31, 119, 180);
  plscol0(C_BAR, 70, 130, 180);
  plscol0(C_ERR, 178, 34, 34);
  for (int g = 0; g < NGROUP_COLORS; g++) plscol0(C_GROUP + g, group_rgb[g][0], group_rgb[g][1], group_rgb[g][2]);
  plcol0(C_INK);
  return SIM_OK;
}

static void chart_labels(const char *x, const char *y, const char *title, const char *note) {
  char ex[512], ey[512], et[512], en[512];
  esc(ex, sizeof ex, x), esc(ey, sizeof ey, y), esc(et, sizeof et, title), esc(en, sizeof en, note);
  plcol0(C_INK);
  pllab(ex, ey, et);
  plschr(0.0, 0.75);
  plmtex("t", 0.6, 1.0, 1.0, en);
  plschr(0.0, 1.0);
}

/* Writes DIR/PREFIX_NAME.png into buf, with unsafe characters of NAME replaced. */
static void png_name(char *buf, size_t size, const char *dir, const char *prefix, const char *name) {
  int n = snprintf(buf, size, "%s/%s_", dir, prefix);
  for (const char *p = name; *p && n >= 0 && (size_t)n + 5 < size; p++) {
    unsigned char c = (unsigned char)*p;
    bool keep = c >= 0x80 || (c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || c == '-';
    buf[n++] = keep ? (char)c : '_';
  }
  snprintf(buf + n, size - (size_t)n, ".png");
}

static void range(const double *v, size_t n, double *lo, double *hi) {
  for (size_t i = 0; i < n; i++) {
    if (isnan(v[i])) continue;
    if (v[i] < *lo) *lo = v[i];
    if (v[i] > *hi) *hi = v[i];
  }
}

/* ---- queue length over time ------------------------------------------------------ */

static void band_stats(const double *data, size_t nrep, size_t n, double *mean, double *lo, double *hi) {
  for (size_t i = 0; i < n; i++) {
    double s = 0.0, l = INFINITY, h = -INFINITY;
    size_t k = 0;
    for (size_t r = 0; r < nrep; r++) {
      double v = data[r * n + i];
      if (isnan(v)) continue;
      s += v, k++;
      l = v < l ? v : l, h = v > h ? v : h;
    }
    mean[i] = k ? s / (double)k : NAN;
    lo[i] = k ? l : NAN, hi[i] = k ? h : NAN;
  }
}

static void draw_band(const double *t, const double *mean, const double *lo, const double *hi, size_t n, size_t nrep,
                      double *poly_x, double *poly_y) {
  if (nrep > 1) {
    for (size_t i = 0; i < n; i++) {
      poly_x[i] = t[i], poly_y[i] = isnan(lo[i]) ? 0.0 : lo[i];
      poly_x[2 * n - 1 - i] = t[i], poly_y[2 * n - 1 - i] = isnan(hi[i]) ? 0.0 : hi[i];
    }
    plcol0(C_BAND);
    plfill((PLINT)(2 * n), poly_x, poly_y);
  }
  plcol0(C_LINE);
  plwidth(2.0);
  plline((PLINT)n, t, mean);
  plwidth(1.0);
}

/* A dashed line where the warm-up ends (figures are measured after it). */
static void warmup_line(const report_file *f, double ymax) {
  char buf[64];
  double w = report_attr_text(f, "warmup_days", buf, sizeof buf) ? strtod(buf, NULL) * 24.0 : 0.0;
  if (!(w > 0.0)) return;
  double x[2] = {w, w}, y[2] = {0.0, ymax};
  plcol0(C_INK);
  pllsty(2);
  plline(2, x, y);
  pllsty(1);
  plschr(0.0, 0.75);
  plptex(w, ymax * 0.95, 1.0, 0.0, -0.03, "end of warm-up");
  plschr(0.0, 1.0);
}

static int plot_queue(const report_file *f, const double *t, size_t n, const char *station, const char *png,
                      sim_error *err) {
  char path[1024];
  snprintf(path, sizeof path, "/series/queue/%s", station);
  double *data = NULL;
  size_t nrep = 0, cols = 0;
  int rc = report_matrix(f, path, &data, &nrep, &cols, err);
  if (!rc && cols != n) rc = sim_error_set(err, SIM_EINVAL, "%s: %s: %zu values, /series/time has %zu", report_path(f), path, cols, n);
  double *buf = rc ? NULL : malloc((7 * n + 1) * sizeof *buf); /* mean, lo, hi, polygon x and y */
  if (!rc && !buf) rc = sim_error_set(err, SIM_ENOMEM, "%s: out of memory", report_path(f));
  if (!rc) rc = chart_begin(png, err);
  if (!rc) {
    double *mean = buf, *lo = buf + n, *hi = buf + 2 * n, ymin = 0.0, ymax = 1.0;
    band_stats(data, nrep, n, mean, lo, hi);
    range(hi, n, &ymin, &ymax);
    plenv(n ? t[0] : 0.0, n > 1 ? t[n - 1] : 1.0, 0.0, ymax * 1.05, 0, 0);
    draw_band(t, mean, lo, hi, n, nrep, buf + 3 * n, buf + 5 * n);
    warmup_line(f, ymax * 1.05);
    char title[600], note[128];
    snprintf(title, sizeof title, "Queue length at %s", station);
    snprintf(note, sizeof note, nrep > 1 ? "line: mean of %zu replications; band: min to max" : "%zu replication", nrep);
    chart_labels("hours from the start of the run (simulated time zero)", "items waiting", title, note);
    plend1();
  }
  free(buf);
  free(data);
  return rc;
}

static int plot_queues(const report_file *f, const char *dir, sim_error *err) {
  if (!report_exists(f, "/series/queue") || !report_exists(f, "/series/time")) return SIM_OK;
  double *t = NULL;
  size_t rows = 0, n = 0, ns = 0;
  char **names = NULL;
  int rc = report_matrix(f, "/series/time", &t, &rows, &n, err);
  if (!rc) rc = report_list(f, "/series/queue", &names, &ns, err);
  for (size_t i = 0; !rc && i < ns; i++) {
    char png[4096];
    png_name(png, sizeof png, dir, "queue", names[i]);
    rc = plot_queue(f, t, n, names[i], png, err);
  }
  report_names_free(names, ns);
  free(t);
  return rc;
}

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
  if (g->log && !(edges[0] > 0.0)) g->x[0] = 2.0 * g->x[1] - g->x[2]; /* [0, e1) drawn as one step */
}

static void draw_bins(const bins *g, const double *mean, const double *hw) {
  for (size_t b = g->first; b <= g->last; b++) {
    if (isnan(mean[b]) || mean[b] <= 0.0) continue;
    double x[4] = {g->x[b], g->x[b], g->x[b + 1], g->x[b + 1]}, y[4] = {0.0, mean[b], mean[b], 0.0};
    plcol0(C_BAR);
    plfill(4, x, y);
    plcol0(C_INK);
    plline(4, x, y);
  }
  plcol0(C_ERR);
  for (size_t b = g->first; b <= g->last; b++) {
    if (!isfinite(hw[b]) || hw[b] <= 0.0) continue;
    double x = 0.5 * (g->x[b] + g->x[b + 1]), lo = mean[b] - hw[b], hi = mean[b] + hw[b];
    plerry(1, &x, &lo, &hi);
  }
}

/* Mean and CI of each bin over replications; x is scratch for nrep values. */
static double bin_stats(const double *data, size_t nrep, size_t nb, double *mean, double *hw, double *x) {
  double top = 1.0;
  for (size_t b = 0; b < nb; b++) {
    for (size_t r = 0; r < nrep; r++) x[r] = data[r * nb + b];
    report_mean_hw(x, nrep, &mean[b], &hw[b]);
    double h = mean[b] + (isfinite(hw[b]) ? hw[b] : 0.0);
    if (isfinite(h) && h > top) top = h;
  }
  return top;
}

static int plot_release(const report_file *f, const double *edges, size_t ne, const char *channel, const char *png,
                        sim_error *err) {
  char path[1024];
  snprintf(path, sizeof path, "/dist/release/%s", channel);
  double *data = NULL;
  size_t nrep = 0, nb = 0;
  int rc = report_matrix(f, path, &data, &nrep, &nb, err);
  if (!rc && nb + 1 != ne) rc = sim_error_set(err, SIM_EINVAL, "%s: %s: %zu bins but %zu edges", report_path(f), path, nb, ne);
  double *buf = rc ? NULL : malloc((3 * nb + nrep + 2) * sizeof *buf); /* mean, hw, edges, scratch */
  if (!rc && !buf) rc = sim_error_set(err, SIM_ENOMEM, "%s: out of memory", report_path(f));
  if (!rc) rc = chart_begin(png, err);
  if (!rc) {
    double *mean = buf, *hw = buf + nb, ymax = bin_stats(data, nrep, nb, mean, hw, buf + 3 * nb + 1);
    bins g = {0, 0, false, buf + 2 * nb};
    bins_layout(&g, edges, mean, nb);
    double x0 = g.x[g.first], x1 = g.x[g.last + 1];
    if (g.log) x0 = floor(x0), x1 = ceil(x1); /* whole decades, so the axis has labels */
    plenv(x0, x1, 0.0, ymax * 1.05, 0, g.log ? 10 : 0);
    draw_bins(&g, mean, hw);
    char title[600], note[128];
    snprintf(title, sizeof title, "Release time at %s", channel);
    snprintf(note, sizeof note, "bars: mean count per replication (%zu); whiskers: 95%% CI", nrep);
    chart_labels(g.log ? "minutes from arrival to release (log scale)" : "minutes from arrival to release",
                 "items per replication", title, note);
    plend1();
  }
  free(buf);
  free(data);
  return rc;
}

static int plot_releases(const report_file *f, const char *dir, sim_error *err) {
  if (!report_exists(f, "/dist/release") || !report_exists(f, "/dist/release_edges_min")) return SIM_OK;
  double *edges = NULL;
  size_t rows = 0, ne = 0, nc = 0;
  char **names = NULL;
  int rc = report_matrix(f, "/dist/release_edges_min", &edges, &rows, &ne, err);
  if (!rc && (rows != 1 || ne < 2)) rc = sim_error_set(err, SIM_EINVAL, "%s: /dist/release_edges_min: needs 2 or more edges", report_path(f));
  if (!rc) rc = report_list(f, "/dist/release", &names, &nc, err);
  for (size_t i = 0; !rc && i < nc; i++) {
    char png[4096];
    png_name(png, sizeof png, dir, "release", names[i]);
    rc = plot_release(f, edges, ne, names[i], png, err);
  }
  report_names_free(names, nc);
  free(edges);
  return rc;
}

/* ---- utilization bars ------------------------------------------------------------- */

static void bar_labels(const report_kpi *k) {
  char name[512];
  double span = (double)k->nkeys + 0.2;
  plschr(0.0, k->nkeys > 30 ? 0.6 : 0.85);
  for (size_t i = 0; i < k->nkeys; i++) {
    esc(name, sizeof name, k->keys[i]);
    plmtex("bv", 0.5, ((double)i + 0.6) / span, 1.0, name);
  }
  plschr(0.0, 1.0);
}

static void draw_bars(const report_kpi *k, size_t fig) {
  for (size_t i = 0; i < k->nkeys; i++) {
    double m = k->mean[i * k->nfigs + fig], h = k->hw[i * k->nfigs + fig], c = (double)i + 1.0;
    if (isnan(m)) continue;
    double x[4] = {c - 0.3, c - 0.3, c + 0.3, c + 0.3}, y[4] = {0.0, m, m, 0.0};
    plcol0(C_BAR);
    plfill(4, x, y);
    plcol0(C_INK);
    plline(4, x, y);
    if (!isfinite(h)) continue;
    double lo = m - h, hi = m + h;
    plcol0(C_ERR);
    plwidth(2.0);
    plerry(1, &c, &lo, &hi);
    plwidth(1.0);
  }
}

static int plot_bars(const report_kpi *k, size_t fig, const char *title, const char *png, sim_error *err) {
  int rc = chart_begin(png, err);
  if (rc) return rc;
  double ymax = 1.0;
  for (size_t i = 0; i < k->nkeys; i++) {
    double top = k->mean[i * k->nfigs + fig] + (isfinite(k->hw[i * k->nfigs + fig]) ? k->hw[i * k->nfigs + fig] : 0.0);
    if (isfinite(top) && top > ymax) ymax = top;
  }
  pladv(0);
  plvpor(0.1, 0.95, 0.28, 0.88);
  plwind(0.4, (double)k->nkeys + 0.6, 0.0, ymax * 1.05);
  plcol0(C_INK);
  plbox("bc", 0.0, 0, "bcnstv", 0.0, 0);
  draw_bars(k, fig);
  plcol0(C_INK);
  bar_labels(k);
  char et[600];
  esc(et, sizeof et, title);
  plcol0(C_INK);
  plmtex("t", 2.0, 0.5, 0.5, et);
  plmtex("l", 5.0, 0.5, 0.5, "utilization (share of time busy)");
  plschr(0.0, 0.75);
  plmtex("t", 0.6, 1.0, 1.0, "bars: mean over replications; whiskers: 95% confidence interval");
  plschr(0.0, 1.0);
  plend1();
  return SIM_OK;
}

static int plot_utilization(const report_file *f, const char *dir, const char *name, const char *title,
                            sim_error *err) {
  report_kpi *k = NULL;
  int rc = report_kpi_load(f, name, &k, err);
  long fig = k ? report_kpi_fig(k, "utilization") : -1;
  if (!rc && fig >= 0 && k->nkeys > 0) {
    char png[4096];
    png_name(png, sizeof png, dir, "utilization", name);
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
    if ((kd == REPORT_INT || kd == REPORT_FLOAT) && !ends_with(n, "_mean") && !ends_with(n, "_hw") &&
        !ends_with(n, "_nan") && strcmp(n, "n") != 0 && strcmp(n, "replication") != 0)
      return (long)c;
  }
  return -1;
}

static long group_column(const report_table *t) {
  for (size_t c = 0; c < report_table_ncols(t); c++)
    if (report_table_kind(t, c) == REPORT_STR || report_table_kind(t, c) == REPORT_ENUM) return (long)c;
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
    plcol0(C_GROUP + (int)(ng % NGROUP_COLORS));
    plwidth(2.0);
    for (size_t j = 0; j + 1 < n; j++) pljoin(pts[3 * j], pts[3 * j + 1], pts[3 * j + 3], pts[3 * j + 4]);
    for (size_t j = 0; j < n; j++) {
      double lo = pts[3 * j + 1] - pts[3 * j + 2], hi = pts[3 * j + 1] + pts[3 * j + 2];
      plpoin(1, &pts[3 * j], &pts[3 * j + 1], 17);
      if (isfinite(lo) && isfinite(hi)) plerry(1, &pts[3 * j], &lo, &hi);
    }
    plwidth(1.0);
    char label[512];
    esc(label, sizeof label, g);
    if (sc->group >= 0) plmtex("t", -1.5 - 1.4 * (double)ng, 0.02, 0.0, label);
    ng++;
  }
}

static size_t count_groups(const report_table *t, long group) {
  size_t n = 0;
  for (size_t i = 0; group >= 0 && i < report_table_loaded(t); i++) {
    bool first = true;
    for (size_t j = 0; j < i && first; j++)
      first = strcmp(report_table_str(t, (size_t)group, j), report_table_str(t, (size_t)group, i)) != 0;
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
  plenv(xlo - pad, xhi + pad, ylo, yhi + room * (yhi - ylo), 0, 0);
}

static int sweep_find(const report_file *f, const report_table *t, const char *xcol, const char *yname,
                      sweep_cols *sc, sim_error *err) {
  char name[512];
  sc->x = xcol ? report_table_find(t, xcol) : sweep_default_x(t);
  snprintf(name, sizeof name, "%s_mean", yname);
  sc->y = report_table_find(t, name);
  snprintf(name, sizeof name, "%s_hw", yname);
  sc->hw = report_table_find(t, name);
  sc->group = group_column(t);
  if (sc->x < 0 || report_table_kind(t, (size_t)sc->x) == REPORT_STR)
    return sim_error_set(err, SIM_EINVAL, "%s: /sweep: no numeric setting column '%s'", report_path(f), xcol ? xcol : "(any)");
  if (sc->y < 0) return sim_error_set(err, SIM_EINVAL, "%s: /sweep: no field %s_mean", report_path(f), yname);
  return SIM_OK;
}

int report_plot_sweep(const report_file *f, const char *xcol, const char *yname, const char *png, sim_error *err) {
  report_table *t = NULL;
  sweep_cols sc;
  double *pts = NULL;
  int rc = report_table_open(f, "/sweep", &t, err);
  if (!rc && report_table_rows(t) > 100000) rc = sim_error_set(err, SIM_EINVAL, "%s: /sweep: too many rows to draw", report_path(f));
  if (!rc) rc = report_table_load(t, 0, report_table_rows(t), err);
  if (!rc) rc = sweep_find(f, t, xcol, yname, &sc, err);
  if (!rc && !(pts = malloc((3 * report_table_loaded(t) + 3) * sizeof *pts)))
    rc = sim_error_set(err, SIM_ENOMEM, "%s: out of memory", report_path(f));
  if (!rc) rc = chart_begin(png, err);
  if (!rc) {
    sweep_frame(t, &sc);
    draw_sweep_lines(t, &sc, pts);
    char title[600], ylab[600];
    snprintf(title, sizeof title, "%s against %s", yname, report_table_name(t, (size_t)sc.x));
    snprintf(ylab, sizeof ylab, "%s (%s)", yname, report_table_units(t, (size_t)sc.y));
    chart_labels(report_table_name(t, (size_t)sc.x), ylab, title,
                 sc.hw >= 0 ? "points: mean over replications; whiskers: 95% CI" : "points: mean over replications");
    plend1();
  }
  free(pts);
  report_table_close(t);
  return rc;
}

static int plot_sweeps(const report_file *f, const char *dir, const char *xcol, sim_error *err) {
  if (!report_exists(f, "/sweep")) return SIM_OK;
  report_table *t = NULL;
  int rc = report_table_open(f, "/sweep", &t, err);
  for (size_t c = 0; !rc && c < report_table_ncols(t); c++) {
    const char *n = report_table_name(t, c);
    if (!ends_with(n, "_mean")) continue;
    char y[512], png[4096];
    snprintf(y, sizeof y, "%.*s", (int)(strlen(n) - 5), n);
    png_name(png, sizeof png, dir, "sweep", y);
    rc = report_plot_sweep(f, xcol, y, png, err);
  }
  report_table_close(t);
  return rc;
}

int report_plot_all(const report_file *f, const char *dir, const char *sweep_x, sim_error *err) {
  int rc = report_mkdirs(dir, err);
  if (!rc) rc = plot_queues(f, dir, err);
  if (!rc) rc = plot_releases(f, dir, err);
  if (!rc) rc = plot_utilization(f, dir, "stations", "Utilization per station", err);
  if (!rc) rc = plot_utilization(f, dir, "staff", "Utilization per staff pool", err);
  if (!rc) rc = plot_sweeps(f, dir, sweep_x, err);
  return rc;
}
