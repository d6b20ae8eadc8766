/* report_chart: what every customs-report chart shares, drawn with PLplot's pngcairo
 * device: the colours, frames whose tick labels are plain numbers (no "x10^4") and,
 * on a time axis, calendar dates aligned to midnight; the disruptions shaded by how
 * much capacity they left; vertical marks (RTO, targets, back to normal); mean lines
 * with 95% confidence bands; legend entries. Each chart is its own PLplot stream. */
#include "models/report/report_drill.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <plplot.h>

#include "sim/stats.h"

static const int group_rgb[RC_NGROUP][3] = {{31, 119, 180},  {255, 127, 14},  {44, 160, 44},
                                            {214, 39, 40},   {148, 103, 189}, {140, 86, 75},
                                            {227, 119, 194}, {127, 127, 127}};

void report_chart_esc(char *out, size_t size, const char *in) {
  size_t n = 0;
  for (const char *p = in; *p && n + 2 < size; p++) {
    if (*p == '#') out[n++] = '#';
    out[n++] = *p;
  }
  out[n] = '\0';
}

void report_chart_png(char *buf, size_t size, const char *dir, const char *prefix,
                      const char *name) {
  int n = snprintf(buf, size, "%s/%s_", dir, prefix);
  for (const char *p = name; *p && n >= 0 && (size_t)n + 5 < size; p++) {
    unsigned char c = (unsigned char)*p;
    bool keep = c >= 0x80 || (c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') ||
        (c >= 'a' && c <= 'z') || c == '-';
    buf[n++] = keep ? (char)c : '_';
  }
  snprintf(buf + n, size - (size_t)n, ".png");
}

/* PLplot exits the program when it cannot open its output, so check first. */
int report_chart_begin(const char *png, int w, int h, double text, sim_error *err) {
  FILE *fp = fopen(png, "wb");
  if (!fp) return sim_error_set(err, SIM_EIO, "%s: cannot write: %s", png, strerror(errno));
  fclose(fp);
  PLINT strm;
  plmkstrm(&strm);
  plsdev("pngcairo");
  plsfnam(png);
  plspage(90.0, 90.0, w, h, 0, 0); /* 90 dpi: a character height in mm from pixels */
  plscolbg(255, 255, 255);
  plscmap0n(RC_GROUP + RC_NGROUP);
  plinit();
  plscol0(RC_INK, 30, 30, 30);
  plscol0(RC_GRID, 225, 225, 225);
  plscol0a(RC_BAND_A, 230, 120, 20, 0.22);
  plscol0(RC_LINE_A, 215, 100, 0);
  plscol0a(RC_BAND_B, 31, 119, 180, 0.25);
  plscol0(RC_LINE_B, 31, 119, 180);
  plscol0a(RC_SHADE, 120, 120, 140, 0.2);
  plscol0(RC_RTO, 200, 0, 0);
  plscol0(RC_TARGET, 0, 140, 70);
  plscol0(RC_BAR, 70, 130, 180);
  plscol0(RC_ERR, 178, 34, 34);
  plscol0(RC_MUTED, 110, 110, 110);
  for (int g = 0; g < RC_NGROUP; g++)
    plscol0(RC_GROUP + g, group_rgb[g][0], group_rgb[g][1], group_rgb[g][2]);
  plschr(text * 25.4 / 90.0, 1.0); /* text: pixels; later plschr(0, s) scale this size */
  plcol0(RC_INK);
  pladv(0);
  return SIM_OK;
}

void report_chart_end(void) { plend1(); }

/* ---- axes --------------------------------------------------------------------------- */

/* 1, 2 or 5 times a power of ten, about range / n. */
static double nice_step(double range, int n) {
  double raw = range / n, p = pow(10.0, floor(log10(raw))), m = raw / p;
  return (m < 1.5 ? 1.0 : m < 3.5 ? 2.0 : m < 7.5 ? 5.0 : 10.0) * p;
}

typedef struct ylabels {
  int dec;
} ylabels;

/* Plain numbers, thousands grouped with commas: 12,000 rather than 1.2x10^4. */
static void plain_label(PLINT axis, PLFLT value, char *label, PLINT length, PLPointer data) {
  (void)axis;
  const ylabels *y = data;
  char raw[64];
  snprintf(raw, sizeof raw, "%.*f", y->dec, fabs(value) < 1e-12 ? 0.0 : value);
  char *dot = strchr(raw, '.'), *digits = raw + (raw[0] == '-');
  size_t whole = (size_t)((dot ? dot : raw + strlen(raw)) - digits), n = 0;
  if (raw[0] == '-' && n + 1 < (size_t)length) label[n++] = '-';
  for (size_t i = 0; digits[i] && n + 2 < (size_t)length; i++) {
    if (i < whole && i > 0 && (whole - i) % 3 == 0 && whole > 4) label[n++] = ',';
    label[n++] = digits[i];
  }
  label[n] = '\0';
}

static void box_with_plain_y(const char *xopt, double ymin, double ymax) {
  double step = nice_step(ymax - ymin, 6);
  ylabels y = {step >= 1.0 ? 0 : (int)ceil(-log10(step))};
  plslabelfunc(plain_label, &y);
  plcol0(RC_INK);
  plbox(xopt, 0.0, 0, "bcnstvo", step, 2);
  plslabelfunc(NULL, NULL);
}

void report_chart_ylabel(const char *text) {
  PLFLT xmin, xmax, ymin, ymax;
  plgvpw(&xmin, &xmax, &ymin, &ymax);
  double step = nice_step(ymax - ymin, 6);
  ylabels y = {step >= 1.0 ? 0 : (int)ceil(-log10(step))};
  size_t widest = 1;
  for (double v = ceil(ymin / step) * step; v <= ymax; v += step) {
    char label[64];
    plain_label(PL_Y_AXIS, v, label, sizeof label, &y);
    widest = strlen(label) > widest ? strlen(label) : widest;
  }
  char e[512];
  report_chart_esc(e, sizeof e, text);
  plcol0(RC_INK);
  plmtex("l", 2.4 + 0.85 * (double)widest, 0.5, 0.5, e); /* clear of the widest tick label */
}

void report_chart_frame(double xmin, double xmax, double ymin, double ymax, double xstep) {
  plwind(xmin, xmax, ymin, ymax);
  if (isnan(xstep))
    box_with_plain_y("bc", ymin, ymax); /* the caller labels x in its own units */
  else {
    double step = nice_step(xmax - xmin, 8);
    if (xstep < 0.0 && step < 1.0)
      step = 1.0; /* whole numbers only */
    else if (xstep > 0.0)
      step = xstep;
    ylabels x = {step >= 1.0 ? 0 : (int)ceil(-log10(step))};
    plslabelfunc(plain_label, &x);
    plcol0(RC_INK);
    plbox("bcnsto", step, 2, "", 0.0, 0);
    plslabelfunc(NULL, NULL);
    box_with_plain_y("bc", ymin, ymax);
  }
}

/* Tick steps in hours, aligned to local midnight. */
static const double hour_steps[] = {1, 2, 3, 6, 12, 24, 48, 168, 336, 672};

void report_chart_time_frame(const report_drill *d, double vx0, double vx1, double vy0, double vy1,
                             double t0, double t1, double ymin, double ymax) {
  plvpor(vx0, vx1, vy0, vy1);
  plwind(t0, t1, ymin, ymax);
  /* as many date labels as fit: about 6 characters each, and as much space between */
  PLFLT def, ht, pxmin, pxmax, pymin, pymax;
  plgchr(&def, &ht);
  plgspa(&pxmin, &pxmax, &pymin, &pymax);
  int most = (int)((vx1 - vx0) * (pxmax - pxmin) / (0.9 * 6.0 * 0.55 * ht * 2.0));
  size_t k = 0;
  while (k + 1 < sizeof hour_steps / sizeof hour_steps[0] && (t1 - t0) / hour_steps[k] > most) k++;
  double step = hour_steps[k], zero_h = d->dated ? fmod(d->start_epoch_min / 60.0, 24.0) : 0.0;
  /* first tick: the first multiple of step (counted from midnight before time zero) >= t0 */
  double first = ceil((t0 + zero_h) / step - 1e-9) * step - zero_h;
  plcol0(RC_GRID);
  for (double x = first; x <= t1 + 1e-9; x += step) pljoin(x, ymin, x, ymax);
  plcol0(RC_INK);
  plschr(0.0, 0.9);
  for (double x = first; x <= t1 + 1e-9; x += step) {
    char label[64];
    double clock = fmod(x + zero_h, 24.0);
    if (!d->dated)
      snprintf(label, sizeof label, "%.0f h", x);
    else if (step < 24.0 && fabs(clock) > 1e-6 && fabs(clock - 24.0) > 1e-6)
      snprintf(label, sizeof label, "%02.0f:00", floor(clock + 1e-6));
    else
      report_drill_date(d, x, label, sizeof label, false);
    plmtex("b", 1.6, (x - t0) / (t1 - t0), 0.5, label);
  }
  plschr(0.0, 1.0);
  box_with_plain_y("bc", ymin, ymax); /* the ticks are the day lines drawn above */
}

/* ---- marks ---------------------------------------------------------------------------- */

static const char *level_word(double level, char *buf, size_t size) {
  if (level <= 0.0) return "closed";
  snprintf(buf, size, "%.0f%%", 100.0 * level);
  return buf;
}

void report_chart_disruptions(const report_drill *d) {
  PLFLT xmin, xmax, ymin, ymax;
  plgvpw(&xmin, &xmax, &ymin, &ymax);
  for (size_t s = 0; s < d->nseg; s++) {
    const report_segment *g = &d->seg[s];
    double a = g->t0_h < xmin ? xmin : g->t0_h, b = g->t1_h > xmax ? xmax : g->t1_h;
    if (!(b > a)) continue;
    double lv = g->level < 0 ? 0 : g->level > 1 ? 1 : g->level;
    plscol0a(RC_SHADE, 110, 110, 140, 0.08 + 0.22 * (1.0 - lv));
    plcol0(RC_SHADE);
    double x[4] = {a, a, b, b}, y[4] = {ymin, ymax, ymax, ymin};
    plfill(4, x, y);
    char word[32], text[160];
    plcol0(RC_MUTED);
    plschr(0.0, 0.8);
    if ((b - a) / (xmax - xmin) > 0.05) { /* "kix closed", "kix 50%" where there is room */
      snprintf(text, sizeof text, "%s%s%s", g->where ? g->where : "",
               g->where && g->where[0] ? " " : "", level_word(g->level, word, sizeof word));
      plptex(0.5 * (a + b), ymin + 0.96 * (ymax - ymin), 1.0, 0.0, 0.5, text);
    }
    plschr(0.0, 1.0);
  }
}

void report_chart_vline(double x, int colour, int style, double width, const char *label,
                        double frac, int side) {
  PLFLT xmin, xmax, ymin, ymax;
  plgvpw(&xmin, &xmax, &ymin, &ymax);
  if (!(x >= xmin && x <= xmax)) return;
  plcol0(colour);
  pllsty(style);
  plwidth(width);
  pljoin(x, ymin, x, ymax);
  pllsty(1);
  plwidth(1.0);
  if (!label || !label[0]) return;
  char e[256];
  report_chart_esc(e, sizeof e, label);
  bool left =
      side < 0 || (side == 0 && x > xmin + 0.8 * (xmax - xmin)); /* near the right edge: left */
  plschr(0.0, 0.85);
  plptex(x + (left ? -1 : 1) * 0.006 * (xmax - xmin), ymin + frac * (ymax - ymin), 1.0, 0.0,
         left ? 1.0 : 0.0, e);
  plschr(0.0, 1.0);
}

void report_chart_hline(double y) {
  PLFLT xmin, xmax, ymin, ymax;
  plgvpw(&xmin, &xmax, &ymin, &ymax);
  if (!(y > ymin && y < ymax)) return;
  plcol0(RC_MUTED);
  pllsty(3);
  plwidth(2.0);
  pljoin(xmin, y, xmax, y);
  plwidth(1.0);
  pllsty(1);
}

void report_chart_band(const double *t, const double *data, size_t nrep, size_t n, int band,
                       int line) {
  double *m = malloc((5 * n + 1) * sizeof *m); /* mean [n], polygon x [2n] and y [2n] */
  if (!m || n == 0) {
    free(m);
    return;
  }
  double *px = m + n, *py = m + 3 * n;
  for (size_t i = 0; i < n; i++) {
    double s = 0.0, ss = 0.0;
    size_t k = 0;
    for (size_t r = 0; r < nrep; r++)
      if (!isnan(data[r * n + i])) s += data[r * n + i], k++;
    m[i] = k ? s / (double)k : 0.0;
    for (size_t r = 0; r < nrep; r++)
      if (!isnan(data[r * n + i])) ss += (data[r * n + i] - m[i]) * (data[r * n + i] - m[i]);
    double sd = k > 1 ? sqrt(ss / (double)(k - 1)) : 0.0;
    double hw = k > 1 ? stats_t_halfwidth(0.975, (double)nrep - 1.0, sd, (double)k) : 0.0;
    px[i] = t[i], py[i] = m[i] - hw;
    px[2 * n - 1 - i] = t[i], py[2 * n - 1 - i] = m[i] + hw;
  }
  if (nrep > 1) {
    plcol0(band);
    plfill((PLINT)(2 * n), px, py);
  }
  plcol0(line);
  plwidth(2.5);
  plline((PLINT)n, t, m);
  plwidth(1.0);
  free(m);
}

void report_chart_legend(double vx0, double vx1, double vy0, double vy1, const report_key *keys,
                         size_t n) {
  plvpor(vx0, vx1, vy0, vy1);
  plwind(0.0, 1.0, 0.0, 1.0);
  double x = 0.0;
  plschr(0.0, 0.95);
  for (size_t i = 0; i < n; i++) {
    char e[512];
    report_chart_esc(e, sizeof e, keys[i].text);
    plcol0(keys[i].colour);
    if (keys[i].fill) {
      double bx[4] = {x, x, x + 0.025, x + 0.025}, by[4] = {0.2, 0.8, 0.8, 0.2};
      plfill(4, bx, by);
    } else {
      pllsty(keys[i].style);
      plwidth(3.0);
      pljoin(x, 0.5, x + 0.025, 0.5);
      pllsty(1);
      plwidth(1.0);
    }
    plcol0(RC_INK);
    plptex(x + 0.032, 0.5, 1.0, 0.0, 0.0, e);
    /* the next entry after this text: its width estimated from the character height
     * (a DejaVu Sans character is about 0.55 of it wide), over the viewport's mm */
    PLFLT vxmin, vxmax, vymin, vymax, pxmin, pxmax, pymin, pymax, def, ht;
    plgvpd(&vxmin, &vxmax, &vymin, &vymax);
    plgspa(&pxmin, &pxmax, &pymin, &pymax);
    plgchr(&def, &ht);
    double width_mm = (vxmax - vxmin) * (pxmax - pxmin);
    x += 0.032 + 0.6 * ht * (double)numfmt_width(keys[i].text) / width_mm + 0.035;
  }
  plschr(0.0, 1.0);
}
