/* report_plot: the PNG charts of one result file, for customs-report --png. Over time
 * (dates on the axis, disruptions shaded): the items in each port (backlog_<port>.png,
 * with the level before the disruption, the RTO and the moment back to normal) and
 * the queue at each station that ever had one (queue_<station>.png; pure delays and
 * unlimited stations have none). Release-time histograms, utilization bars and sweep
 * charts are in report_bars.c. Lines are means over replications, bands their 95%
 * confidence intervals. */
#include "models/report/report_drill.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <plplot.h>

enum { WIDTH = 1200, HEIGHT = 800 };
#define TEXT_PX 14.0
#define VP_X0 0.10
#define VP_X1 0.96
#define VP_Y0 0.12
#define VP_Y1 0.86

void report_chart_titles(const char *title, const char *note, const char *ylab) {
  char et[600], en[600];
  report_chart_esc(et, sizeof et, title), report_chart_esc(en, sizeof en, note);
  plcol0(RC_INK);
  plschr(0.0, 1.3);
  plmtex("t", 2.6, 0.0, 0.0, et);
  plschr(0.0, 0.85);
  plcol0(RC_MUTED);
  plmtex("t", 1.0, 0.0, 0.0, en);
  plcol0(RC_INK);
  plschr(0.0, 1.0);
  report_chart_ylabel(ylab);
}

static double warmup_h(const report_file *f) {
  char buf[64];
  return report_attr_text(f, "warmup_days", buf, sizeof buf) ? strtod(buf, NULL) * 24.0 : 0.0;
}

/* Largest value of an [nrep][n] matrix (at least 1). */
static double top_of(const double *data, size_t count) {
  double top = 1.0;
  for (size_t i = 0; i < count; i++)
    if (data[i] > top) top = data[i];
  return top;
}

static void note_of(char *buf, size_t size, size_t nrep) {
  if (nrep > 1)
    snprintf(buf, size, "line: mean of %zu replications; band: its 95%% confidence interval", nrep);
  else
    snprintf(buf, size, "one replication (no confidence band)");
}

/* ---- the items in each port ------------------------------------------------------- */

typedef struct port_marks {
  double rto_h, ttn_h; /* from /kpi/recovery, NaN when unknown */
} port_marks;

static port_marks marks_of(const report_kpi *rec, const char *port) {
  port_marks m = {NAN, NAN};
  long k = rec ? report_kpi_key(rec, port) : -1, fr = rec ? report_kpi_fig(rec, "rto_h") : -1;
  long ft = rec ? report_kpi_fig(rec, "time_to_normal_h") : -1;
  if (k >= 0 && fr >= 0) m.rto_h = rec->mean[(size_t)k * rec->nfigs + (size_t)fr];
  if (k >= 0 && ft >= 0) m.ttn_h = rec->mean[(size_t)k * rec->nfigs + (size_t)ft];
  return m;
}

static void backlog_marks(const report_drill *d, const port_marks *m) {
  double t0 = d->first_start_h;
  char label[160], when[48], days[32];
  if (isnan(t0)) return;
  if (!isnan(m->rto_h)) {
    report_drill_date(d, t0 + m->rto_h, when, sizeof when, true);
    snprintf(label, sizeof label, "RTO %s (%s)", numfmt_days(days, sizeof days, m->rto_h), when);
    report_chart_vline(t0 + m->rto_h, RC_RTO, 2, 2.5, label, 0.90, 0);
  }
  if (!isnan(m->ttn_h)) {
    report_drill_date(d, t0 + m->ttn_h, when, sizeof when, true);
    snprintf(label, sizeof label, "back to normal: %s (%s)", when,
             numfmt_days(days, sizeof days, m->ttn_h));
    report_chart_vline(t0 + m->ttn_h, RC_LINE_B, 2, 2.0, label, 0.82, 0);
  }
}

static int plot_backlog(const report_file *f, const report_drill *d, size_t p,
                        const report_kpi *rec, const char *dir, sim_error *err) {
  char png[4096], name[96], title[256], note[400];
  report_chart_png(png, sizeof png, dir, "backlog", d->ports[p]);
  int rc = report_chart_begin(png, WIDTH, HEIGHT, TEXT_PX, err);
  if (rc) return rc;
  const double *y = d->backlog[p];
  double ymax = 1.3 * top_of(y, d->nrep * d->nt), w = warmup_h(f);
  report_chart_time_frame(d, VP_X0, VP_X1, VP_Y0, VP_Y1, d->t[0], d->t[d->nt - 1], 0.0, ymax);
  report_chart_disruptions(d);
  report_chart_band(d->t, y, d->nrep, d->nt, RC_BAND_B, RC_LINE_B);
  if (w > 0.0) report_chart_vline(w, RC_MUTED, 2, 1.0, "warm-up", 0.96, -1);
  port_marks m = marks_of(rec, d->ports[p]);
  report_chart_hline(report_drill_normal(d, p));
  backlog_marks(d, &m);
  plcol0(RC_INK);
  plbox("bc", 0.0, 0, "bc", 0.0, 0);
  report_say_port(name, sizeof name, d->ports[p]);
  snprintf(title, sizeof title, "Items in %s%s",
           strcmp(d->ports[p], "port") == 0 ? "the port" : name,
           d->what[0] ? " through the disruption" : "");
  note_of(note, sizeof note, d->nrep);
  if (d->what[0])
    snprintf(note + strlen(note), sizeof note - strlen(note),
             "; shaded: %s; dotted: normal (the 24 h before)", d->what);
  report_chart_titles(title, note, "items in the port (all channels)");
  report_chart_end();
  return SIM_OK;
}

static int plot_backlogs(const report_file *f, const report_drill *d, const char *dir,
                         sim_error *err) {
  report_kpi *rec = NULL;
  int rc =
      report_exists(f, "/kpi/recovery") ? report_kpi_reps(f, "/kpi/recovery", &rec, err) : SIM_OK;
  for (size_t p = 0; !rc && p < d->nports; p++)
    if (d->backlog[p] && d->nt > 1) rc = plot_backlog(f, d, p, rec, dir, err);
  report_kpi_free(rec);
  return rc;
}

/* ---- queues --------------------------------------------------------------------------- */

static int plot_queue(const report_file *f, const report_drill *d, const char *station,
                      const char *dir, sim_error *err) {
  char path[1024];
  snprintf(path, sizeof path, "/series/queue/%s", station);
  double *data = NULL;
  size_t nrep = 0, cols = 0;
  int rc = report_matrix(f, path, &data, &nrep, &cols, err);
  if (!rc && cols != d->nt)
    rc = sim_error_set(err, SIM_EINVAL, "%s: %s: %zu values, /series/time has %zu", report_path(f),
                       path, cols, d->nt);
  double top = rc ? 0.0 : top_of(data, nrep * cols);
  bool flat = true;
  for (size_t i = 0; !rc && flat && i < nrep * cols; i++) flat = !(data[i] > 0.0);
  if (!rc && !flat) { /* a station that never had a queue says nothing in a chart */
    char png[4096], title[600], note[160];
    report_chart_png(png, sizeof png, dir, "queue", station);
    rc = report_chart_begin(png, WIDTH, HEIGHT, TEXT_PX, err);
    if (!rc) {
      double w = warmup_h(f);
      report_chart_time_frame(d, VP_X0, VP_X1, VP_Y0, VP_Y1, d->t[0], d->t[d->nt - 1], 0.0,
                              1.15 * top);
      report_chart_disruptions(d);
      report_chart_band(d->t, data, nrep, d->nt, RC_BAND_B, RC_LINE_B);
      if (w > 0.0) report_chart_vline(w, RC_MUTED, 2, 1.0, "warm-up", 0.96, -1);
      plcol0(RC_INK);
      plbox("bc", 0.0, 0, "bc", 0.0, 0);
      snprintf(title, sizeof title, "Queue at %s", station);
      note_of(note, sizeof note, nrep);
      report_chart_titles(title, note, "items waiting");
      report_chart_end();
    }
  }
  free(data);
  return rc;
}

static int plot_queues(const report_file *f, const report_drill *d, const char *dir,
                       sim_error *err) {
  if (!report_exists(f, "/series/queue") || d->nt < 2) return SIM_OK;
  char **names = NULL;
  size_t ns = 0;
  int rc = report_list(f, "/series/queue", &names, &ns, err);
  for (size_t i = 0; !rc && i < ns; i++) rc = plot_queue(f, d, names[i], dir, err);
  report_names_free(names, ns);
  return rc;
}

int report_plot_all(const report_file *f, const char *dir, const char *sweep_x, sim_error *err) {
  report_drill *d = NULL;
  int rc = report_mkdirs(dir, err);
  if (!rc) rc = report_drill_load(f, &d, err);
  if (!rc && d->nt > 1) rc = plot_backlogs(f, d, dir, err);
  if (!rc && d->t) rc = plot_queues(f, d, dir, err);
  if (!rc) rc = report_plot_releases(f, dir, err);
  if (!rc) rc = report_plot_utilization(f, dir, "stations", "Utilization per station", err);
  if (!rc) rc = report_plot_utilization(f, dir, "staff", "Utilization per staff pool", err);
  if (!rc) rc = report_plot_sweeps(f, dir, sweep_x, err);
  report_drill_free(d);
  return rc;
}
