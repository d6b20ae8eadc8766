/* report_drill: what customs-report needs to tell a drill's story from one result
 * file: the calendar date of time zero, the ports and the items in each over time
 * (summed from /series/in_system), and the disruptions as shaded segments of time
 * (from the /events of the first replication: start, level changes, end), with the
 * scenario's words for them ("jebi: typhoon at kix"). */
#include "models/report/report_drill.h"

#include <ctype.h>
#include <libconfig.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "models/timecal.h"

enum { EVENT_BLOCK = 65536 };

void report_drill_free(report_drill *d) {
  if (!d) return;
  for (size_t p = 0; p < d->nports; p++) free(d->ports[p]), free(d->backlog ? d->backlog[p] : NULL);
  for (size_t s = 0; s < d->nseg; s++) free(d->seg[s].name);
  free(d->ports);
  free(d->backlog);
  free(d->seg);
  free(d->t);
  for (size_t i = 0; i < d->ndis; i++) free(d->dis_name[i]), free(d->dis_where[i]);
  free(d->dis_name);
  free(d->dis_where);
  free(d->what);
  free(d);
}

void report_drill_date(const report_drill *d, double t_h, char *buf, size_t size, bool with_time) {
  if (!d->dated) {
    snprintf(buf, size, "%.1f h", t_h);
    return;
  }
  static const char *const mon[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                    "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
  timecal_fields f;
  timecal_fields_of(d->start_epoch_min + t_h * 60.0, &f);
  if (with_time)
    snprintf(buf, size, "%s %d %02d:%02d", mon[(f.month + 11) % 12], f.day, f.hour, f.minute);
  else
    snprintf(buf, size, "%s %d", mon[(f.month + 11) % 12], f.day);
}

void report_say_port(char *buf, size_t size, const char *port) {
  if (strcmp(port, "port") == 0) {
    snprintf(buf, size, "The port");
    return;
  }
  snprintf(buf, size, "%s", port);
  size_t head = strcspn(buf, ".");
  bool code = head <= 3; /* KIX, NRT: airport and port codes */
  for (size_t i = 0; i < head; i++)
    if (code || i == 0) buf[i] = (char)toupper((unsigned char)buf[i]);
}

/* ---- ports ------------------------------------------------------------------------ */

static bool in_port(const char *channel, const char *port, bool single) {
  size_t n = strlen(port);
  return single || (strncmp(channel, port, n) == 0 && channel[n] == '.');
}

static bool add_port(report_drill *d, const char *name) {
  for (size_t p = 0; p < d->nports; p++)
    if (strcmp(d->ports[p], name) == 0) return true;
  char **v = realloc(d->ports, (d->nports + 1) * sizeof *v);
  if (!v) return false;
  d->ports = v;
  return (d->ports[d->nports] = strdup(name)) != NULL && ++d->nports;
}

/* Ports: the whole-port scopes of /kpi/recovery, else the PORT. prefixes of the
 * channels, else one port called "port". */
static int find_ports(report_drill *d, const report_file *f, char **ch, size_t nch,
                      sim_error *err) {
  report_kpi *k = NULL;
  int rc =
      report_exists(f, "/kpi/recovery") ? report_kpi_reps(f, "/kpi/recovery", &k, err) : SIM_OK;
  long isp = k ? report_kpi_fig(k, "is_port") : -1;
  bool ok = true;
  for (size_t s = 0; !rc && ok && isp >= 0 && s < k->nkeys; s++)
    if (k->mean[s * k->nfigs + (size_t)isp] == 1.0) ok = add_port(d, k->keys[s]);
  for (size_t c = 0; !rc && ok && d->nports == 0 && c < nch; c++) {
    const char *dot = strchr(ch[c], '.');
    if (!dot) continue;
    char *p = strndup(ch[c], (size_t)(dot - ch[c]));
    ok = p && add_port(d, p);
    free(p);
  }
  if (!rc && ok && d->nports == 0 && nch > 0) ok = add_port(d, "port");
  report_kpi_free(k);
  if (!rc && !ok) rc = sim_error_set(err, SIM_ENOMEM, "%s: out of memory", report_path(f));
  return rc;
}

static int sum_backlog(report_drill *d, const report_file *f, char **ch, size_t nch,
                       sim_error *err) {
  d->backlog = calloc(d->nports + 1, sizeof *d->backlog);
  if (!d->backlog) return sim_error_set(err, SIM_ENOMEM, "%s: out of memory", report_path(f));
  bool single = d->nports == 1 && strcmp(d->ports[0], "port") == 0;
  int rc = SIM_OK;
  for (size_t c = 0; !rc && c < nch; c++) {
    char path[1024];
    snprintf(path, sizeof path, "/series/in_system/%s", ch[c]);
    double *m = NULL;
    size_t rows = 0, cols = 0;
    rc = report_matrix(f, path, &m, &rows, &cols, err);
    if (!rc && (cols != d->nt || (d->nrep && rows != d->nrep)))
      rc = sim_error_set(err, SIM_EINVAL, "%s: %s: %zu x %zu values, expected %zu x %zu",
                         report_path(f), path, rows, cols, d->nrep, d->nt);
    if (!rc) d->nrep = rows;
    for (size_t p = 0; !rc && p < d->nports; p++) {
      if (!in_port(ch[c], d->ports[p], single)) continue;
      if (!d->backlog[p] && !(d->backlog[p] = calloc(rows * cols + 1, sizeof(double))))
        rc = SIM_ENOMEM;
      for (size_t i = 0; !rc && i < rows * cols; i++) d->backlog[p][i] += m[i];
    }
    if (rc == SIM_ENOMEM) sim_error_set(err, rc, "%s: out of memory", report_path(f));
    free(m);
  }
  return rc;
}

double report_drill_normal(const report_drill *d, size_t port) {
  const double *y = d->backlog ? d->backlog[port] : NULL;
  double sum = 0.0;
  size_t n = 0;
  for (size_t r = 0; y && r < d->nrep; r++)
    for (size_t i = 0; i < d->nt; i++)
      if (d->t[i] >= d->first_start_h - 24.0 && d->t[i] < d->first_start_h &&
          !isnan(y[r * d->nt + i]))
        sum += y[r * d->nt + i], n++;
  return n ? sum / (double)n : NAN;
}

/* ---- disruptions -------------------------------------------------------------------- */

static bool add_segment(report_drill *d, const char *name, double t0, double t1, double level) {
  if (!(t1 > t0)) return true;
  report_segment *v = realloc(d->seg, (d->nseg + 1) * sizeof *v);
  if (!v) return false;
  d->seg = v;
  v[d->nseg] = (report_segment){t0, t1, level, strdup(name), NULL};
  return v[d->nseg++].name != NULL;
}

typedef struct open_dis {
  char name[128];
  double since, level;
} open_dis;

/* One event of the first replication: a disruption starts, changes level or ends. */
static bool on_event(report_drill *d, open_dis *open, size_t *nopen, const char *kind,
                     const char *name, double t, double value) {
  bool start = strcmp(kind, "disruption_start") == 0, step = strcmp(kind, "intervention") == 0;
  bool end = strcmp(kind, "disruption_end") == 0;
  if (!start && !step && !end) return true;
  if (start && (isnan(d->first_start_h) || t < d->first_start_h)) d->first_start_h = t;
  size_t i = 0;
  while (i < *nopen && strcmp(open[i].name, name) != 0) i++;
  if (i < *nopen && !add_segment(d, name, open[i].since, t, open[i].level)) return false;
  if (i < *nopen && end)
    open[i] = open[--*nopen];
  else if (i < *nopen)
    open[i].since = t, open[i].level = value;
  else if (!end && *nopen < 32) {
    snprintf(open[*nopen].name, sizeof open[*nopen].name, "%s", name);
    open[*nopen].since = t, open[(*nopen)++].level = value;
  }
  return true;
}

static int read_events(report_drill *d, const report_file *f, sim_error *err) {
  if (!report_exists(f, "/events")) return SIM_OK;
  report_table *t = NULL;
  int rc = report_table_open(f, "/events", &t, err);
  long ct = t ? report_table_find(t, "time_h") : -1,
       cr = t ? report_table_find(t, "replication") : -1;
  long ck = t ? report_table_find(t, "kind") : -1, cg = t ? report_table_find(t, "target") : -1;
  long cv = t ? report_table_find(t, "value") : -1;
  open_dis open[32];
  size_t nopen = 0;
  int64_t first = -1;
  bool ok = true;
  for (size_t at = 0; !rc && ok && ct >= 0 && cr >= 0 && ck >= 0 && cg >= 0 && cv >= 0 &&
       at < report_table_rows(t);
       at += EVENT_BLOCK) {
    rc = report_table_load(t, at, EVENT_BLOCK, err);
    for (size_t i = 0; !rc && ok && i < report_table_loaded(t); i++) {
      int64_t rep = report_table_i64(t, (size_t)cr, i);
      if (first < 0) first = rep;
      if (rep != first) continue; /* the first replication stands for the scripted story */
      const char *kind = report_table_str(t, (size_t)ck, i),
                 *name = report_table_str(t, (size_t)cg, i);
      ok = on_event(d, open, &nopen, kind ? kind : "", name ? name : "",
                    report_table_f64(t, (size_t)ct, i), report_table_f64(t, (size_t)cv, i));
    }
  }
  double end = d->nt ? d->t[d->nt - 1] : d->first_start_h;
  for (size_t i = 0; ok && i < nopen; i++)
    ok = add_segment(d, open[i].name, open[i].since, end, open[i].level);
  report_table_close(t);
  if (!rc && !ok) rc = sim_error_set(err, SIM_ENOMEM, "%s: out of memory", report_path(f));
  return rc;
}

static bool add_disruption(report_drill *d, const char *name, const char *where) {
  char **n = realloc(d->dis_name, (d->ndis + 1) * sizeof *n),
       **w = n ? realloc(d->dis_where, (d->ndis + 1) * sizeof *w) : NULL;
  if (n) d->dis_name = n;
  if (w) d->dis_where = w;
  if (!n || !w) return false;
  d->dis_name[d->ndis] = strdup(name), d->dis_where[d->ndis] = strdup(where);
  return d->dis_name[d->ndis] && d->dis_where[d->ndis++];
}

/* Each disruption's targets ("KIX"), and "jebi (typhoon at KIX)" for all of them, from
 * the resolved scenario text. */
static void describe(report_drill *d, const report_file *f) {
  enum { TEXT = 1 << 20, WHAT = 512 };
  char *text = malloc(TEXT);
  d->what = calloc(1, WHAT);
  if (!text || !d->what || !report_attr_text(f, "scenario", text, TEXT)) {
    free(text);
    return;
  }
  config_t cfg;
  config_init(&cfg);
  config_setting_t *dis =
      config_read_string(&cfg, text) == CONFIG_TRUE ? config_lookup(&cfg, "disruptions") : NULL;
  for (int i = 0; dis && i < config_setting_length(dis); i++) {
    config_setting_t *g = config_setting_get_elem(dis, (unsigned)i),
                     *tg = config_setting_get_member(g, "targets");
    const char *kind = NULL;
    char where[256] = "", one[96];
    config_setting_lookup_string(g, "kind", &kind);
    for (int j = 0; tg && j < config_setting_length(tg); j++) {
      const char *s = config_setting_get_string_elem(tg, j);
      report_say_port(one, sizeof one, s ? s : "?");
      size_t n = strlen(where);
      snprintf(where + n, sizeof where - n, "%s%s", j ? ", " : "", one);
    }
    size_t n = strlen(d->what);
    snprintf(d->what + n, WHAT - n, "%s%s (%s%s%s)", n ? "; " : "", config_setting_name(g),
             kind ? kind : "disruption", where[0] ? " at " : "", where);
    if (!add_disruption(d, config_setting_name(g), where)) break;
  }
  config_destroy(&cfg);
  free(text);
  for (size_t s = 0; s < d->nseg; s++)
    for (size_t i = 0; i < d->ndis; i++)
      if (strcmp(d->seg[s].name, d->dis_name[i]) == 0) d->seg[s].where = d->dis_where[i];
}

int report_drill_load(const report_file *f, report_drill **out, sim_error *err) {
  report_drill *d = calloc(1, sizeof *d);
  *out = NULL;
  if (!d) return sim_error_set(err, SIM_ENOMEM, "%s: out of memory", report_path(f));
  d->first_start_h = NAN;
  char start[64];
  d->dated = report_attr_text(f, "start", start, sizeof start) &&
      timecal_parse(start, &d->start_epoch_min) == 0;
  int rc = SIM_OK;
  char **ch = NULL;
  size_t nch = 0, rows = 0;
  if (report_exists(f, "/series/time") && report_exists(f, "/series/in_system")) {
    rc = report_matrix(f, "/series/time", &d->t, &rows, &d->nt, err);
    if (!rc) rc = report_list(f, "/series/in_system", &ch, &nch, err);
  }
  if (!rc) rc = find_ports(d, f, ch, nch, err);
  if (!rc && d->nt) rc = sum_backlog(d, f, ch, nch, err);
  if (!rc) rc = read_events(d, f, err);
  if (!rc) describe(d, f);
  report_names_free(ch, nch);
  if (rc)
    report_drill_free(d);
  else
    *out = d;
  return rc;
}
