/* report_drill: a drill's story as read from one result file (report_drill.c), and the
 * chart helpers the time charts and the scorecard slides share (report_chart.c). Used
 * by report_plot.c, report_recovery.c and report_scorecard.c only. */
#ifndef MODELS_REPORT_REPORT_DRILL_H
#define MODELS_REPORT_REPORT_DRILL_H

#include "models/report/report.h"

/* A stretch of time at one level of one disruption (0: closed, 0.5: half capacity). */
typedef struct report_segment {
  double t0_h, t1_h, level;
  char *name;
  const char *where; /* its targets as said ("KIX"), or NULL; owned by the drill */
} report_segment;

/* A plain value owned by the caller (report_drill_free). */
typedef struct report_drill {
  bool dated;             /* run.start could be read */
  double start_epoch_min; /* time zero on the calendar (models/timecal.h) */
  double *t;              /* /series/time, hours from time zero; NULL without series */
  size_t nt, nrep;
  size_t nports;
  char **ports;        /* whole-port scopes of /kpi/recovery, or channel prefixes */
  double **backlog;    /* [port]: items in the port, [nrep][nt]; NULL without series */
  report_segment *seg; /* disruptions, from the first replication's /events */
  size_t nseg;
  double first_start_h; /* the first disruption's start; NaN without one */
  char *what;           /* "jebi (typhoon at KIX)" (may be empty) */
  size_t ndis;
  char **dis_name, **dis_where; /* [ndis]: each disruption's targets, as said ("KIX") */
} report_drill;

int report_drill_load(const report_file *f, report_drill **out, sim_error *err);
void report_drill_free(report_drill *d);
/* The port's normal level: its mean items over the 24 h before the first disruption
 * (the recovery figures' reference); NaN without a disruption or series. */
double report_drill_normal(const report_drill *d, size_t port);
/* t_h hours from time zero as "Sep 4 12:00" (with_time) or "Sep 4". */
void report_drill_date(const report_drill *d, double t_h, char *buf, size_t size, bool with_time);

/* ---- report_chart.c -------------------------------------------------------------- */

/* Colour map entries of every chart. */
enum {
  RC_BG,
  RC_INK,
  RC_GRID,
  RC_BAND_A,
  RC_LINE_A,
  RC_BAND_B,
  RC_LINE_B,
  RC_SHADE,
  RC_RTO,
  RC_TARGET,
  RC_BAR,
  RC_ERR,
  RC_MUTED,
  RC_GROUP
};
enum { RC_NGROUP = 8 };

/* Begins a w x h pngcairo chart in its own PLplot stream, text `text` pixels high. */
int report_chart_begin(const char *png, int w, int h, double text, sim_error *err);
void report_chart_end(void);
/* PLplot reads '#' as an escape: doubles it. */
void report_chart_esc(char *out, size_t size, const char *in);
/* DIR/PREFIX_NAME.png with unsafe characters of NAME replaced. */
void report_chart_png(char *buf, size_t size, const char *dir, const char *prefix,
                      const char *name);

/* A frame in viewport (x0, x1, y0, y1) of the page for hours t0..t1 of a dated run
 * and items ymin..ymax: dates under the axis (times of day for short runs), light
 * lines at the ticks, y labels as plain numbers. Undated runs get hours. */
void report_chart_time_frame(const report_drill *d, double vx0, double vx1, double vy0, double vy1,
                             double t0, double t1, double ymin, double ymax);
/* A frame over the current viewport with plain-number labels; x ticks every xstep
 * (0: a round step; -1: a round step of at least 1; NaN: no x labels, the caller
 * writes its own, as on a log axis). */
void report_chart_frame(double xmin, double xmax, double ymin, double ymax, double xstep);
/* The disruption segments over the whole window, shaded darker the lower the level,
 * labelled "KIX closed", "KIX 50%" where there is room. */
void report_chart_disruptions(const report_drill *d);
/* A vertical line at x over the window, with a label at height frac of it: left of
 * the line (side < 0), right of it (side > 0), or right unless near the right edge. */
void report_chart_vline(double x, int colour, int style, double width, const char *label,
                        double frac, int side);
/* "KIX" for a code of up to three letters, "Tokyo" for other names, "The port" for
 * the port of a single-port scenario. */
void report_say_port(char *buf, size_t size, const char *port);
/* A dotted horizontal line across the window at y (the normal level); NaN: none. */
void report_chart_hline(double y);
/* Mean line of an [nrep][n] matrix, with its 95% confidence band (nrep >= 2). */
void report_chart_band(const double *t, const double *data, size_t nrep, size_t n, int band,
                       int line);
/* The y axis label, clear of the tick labels of the current window. */
void report_chart_ylabel(const char *text);
/* The title, a note under it (what the line and band are) and the y axis label. */
void report_chart_titles(const char *title, const char *note, const char *ylab);
/* report_bars.c: release-time histograms, utilization bars, sweep charts. */
int report_plot_releases(const report_file *f, const char *dir, sim_error *err);
int report_plot_utilization(const report_file *f, const char *dir, const char *name,
                            const char *title, sim_error *err);
int report_plot_sweeps(const report_file *f, const char *dir, const char *xcol, sim_error *err);

/* A row of legend entries in viewport (vx0, vx1, vy0, vy1): a short line (or, with
 * fill, a swatch) in each colour, then its text. */
typedef struct report_key {
  int colour, style;
  bool fill;
  const char *text;
} report_key;
void report_chart_legend(double vx0, double vx1, double vy0, double vy1, const report_key *keys,
                         size_t n);

#endif
