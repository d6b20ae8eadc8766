/* recovery: business-continuity figures from a run's time series (ISO 22301 style):
 * for each channel and each port, the peak backlog after the first disruption, the
 * time until the port is back to normal, items delayed a day or three, throughput
 * lost, overtime, and whether the recovery time objective (RTO), the maximum tolerable
 * period of disruption (MTPD) and the minimum service level (MBCO) were met. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "models/disrupt.h"
#include "models/port/disrupt_rt.h"
#include "models/port/recovery.h"
#include "models/port/series.h"
#include "models/port/staff.h"

typedef struct scope_series {
  double *insys, *rel; /* summed over the scope's channels, per sample */
  double *t;           /* the sample times (hours) */
  double *one;         /* scratch: one channel's series */
  int bad;             /* a series could not be read back */
} scope_series;

/* First sample index at or after time t (hours). */
static size_t at(const port *p, const double *t, double t_h) {
  size_t i = 0;
  while (i < series_taken(p) && t[i] < t_h) i++;
  return i;
}

/* Latest end of the disruptions (minutes), and the objectives that touch the scope. */
static double objectives(const port *p, const uint8_t *chs, kpi_recovery *k) {
  int n;
  double end = 0;
  k->rto_h = k->mtpd_h = k->mbco = NAN;
  disrupt_item(p, 0, &n);
  for (int d = 0; d < n; d++) {
    const dis_item *it = disrupt_item(p, d, &n);
    if (!it || isinf(it->dur_min)) continue;
    int touches = 0;
    for (size_t c = 0; c < p->sp->nch; c++) touches |= chs[c] && it->ch[c];
    for (size_t c = 0; c < p->sp->nch; c++)
      for (size_t r = 0; chs[c] && r < p->sp->ch[c].nroute; r++)
        touches |= it->st[p->sp->ch[c].route[r]];
    if (!touches) continue;
    end = fmax(end, it->start_min + it->dur_min);
    if (!isnan(it->rto_min))
      k->rto_h = isnan(k->rto_h) ? it->rto_min / 60 : fmin(k->rto_h, it->rto_min / 60);
    if (!isnan(it->mtpd_min))
      k->mtpd_h = isnan(k->mtpd_h) ? it->mtpd_min / 60 : fmin(k->mtpd_h, it->mtpd_min / 60);
    if (!isnan(it->mbco)) k->mbco = isnan(k->mbco) ? it->mbco : fmax(k->mbco, it->mbco);
  }
  return end;
}

/* Normal: items in the scope within a tolerance of the level before the disruption,
 * for two hours running. */
static void backlog_figures(const port *p, const scope_series *ss, double t0_h, double end_h,
                            kpi_recovery *k) {
  size_t i0 = at(p, ss->t, t0_h), ib = at(p, ss->t, t0_h - 24), n = series_taken(p);
  double base = 0;
  for (size_t i = ib; i < i0; i++) base += ss->insys[i];
  base = i0 > ib ? base / (double)(i0 - ib) : 0;
  double tol = fmax(fmax(0.05 * base, 3 * sqrt(base)), 1.0);
  k->peak_backlog = 0;
  k->peak_time_h = NAN;
  for (size_t i = i0; i < n; i++)
    if (ss->insys[i] - base > k->peak_backlog)
      k->peak_backlog = ss->insys[i] - base, k->peak_time_h = ss->t[i];
  k->time_to_normal_h = NAN;
  double step = n > 1 ? ss->t[1] - ss->t[0] : 1;
  size_t run = (size_t)ceil(2.0 / step);
  /* normal again: after the disruptions that hit the scope have ended and after the
   * backlog's peak (a port that only receives diverted flows peaks later) */
  double from_h = fmax(end_h, isnan(k->peak_time_h) ? t0_h : k->peak_time_h);
  for (size_t i = at(p, ss->t, from_h); i + run <= n; i++) {
    size_t j = i;
    while (j < i + run && ss->insys[j] <= base + tol) j++;
    if (j == i + run) {
      k->time_to_normal_h = ss->t[i] - t0_h;
      break;
    }
  }
  /* throughput: releases per hour before, against releases after */
  double rate =
      i0 > ib && ss->t[i0 - 1] > ss->t[ib]
          ? (ss->rel[i0 - 1] - ss->rel[ib]) / (ss->t[i0 - 1] - ss->t[ib])
          : NAN;
  double t1 = isnan(k->time_to_normal_h) ? ss->t[n - 1] : t0_h + k->time_to_normal_h;
  size_t i1 = at(p, ss->t, t1);
  if (i1 >= n) i1 = n - 1;
  k->throughput_lost = isnan(rate) || i0 >= n
                           ? NAN
                           : fmax(0, rate * (ss->t[i1] - ss->t[i0]) -
                                         (ss->rel[i1] - ss->rel[i0]));
  k->min_service = NAN;
  size_t hour = (size_t)ceil(1.0 / step);
  for (size_t i = i0; !isnan(rate) && rate > 0 && i + hour < n && ss->t[i] < end_h;
       i += hour) {
    double sv = (ss->rel[i + hour] - ss->rel[i]) /
                (ss->t[i + hour] - ss->t[i]) / rate;
    k->min_service = isnan(k->min_service) ? sv : fmin(k->min_service, sv);
  }
}

static void scope_row(const port *p, const uint8_t *chs, const char *name, int is_port, double t0,
                      kpi_recovery *k, scope_series *ss) {
  size_t n = series_taken(p);
  memset(k, 0, sizeof *k);
  k->scope = name;
  k->is_port = is_port;
  memset(ss->insys, 0, n * sizeof *ss->insys);
  memset(ss->rel, 0, n * sizeof *ss->rel);
  for (size_t c = 0; c < p->sp->nch; c++) {
    if (!chs[c]) continue;
    const channel_rt *ch = &p->ch[c];
    ss->bad |= series_insys_into(p, (int)c, ss->one);
    for (size_t i = 0; i < n; i++) ss->insys[i] += ss->one[i];
    ss->bad |= series_released_into(p, (int)c, ss->one);
    for (size_t i = 0; i < n; i++) ss->rel[i] += ss->one[i];
    k->delayed_24h += ch->delayed24;
    k->delayed_72h += ch->delayed72;
    k->cancelled += ch->cancelled;
    k->diverted_out += ch->diverted_out;
    k->diverted_in += ch->diverted_in;
    k->held += ch->held;
  }
  for (size_t q = 0; q < p->sp->npool; q++) {
    int in = 0;
    for (size_t c = 0; c < p->sp->nch; c++)
      in |= chs[c] && p->sp->ch[c].port == p->sp->pool[q].port;
    if (in) k->overtime_h += staff_overtime_min(p, (int)q) / 60;
  }
  double end = objectives(p, chs, k);
  backlog_figures(p, ss, t0 / 60, end / 60, k);
  k->rto_met = !isnan(k->rto_h) && !isnan(k->time_to_normal_h) && k->time_to_normal_h <= k->rto_h;
  k->mtpd_met =
      !isnan(k->mtpd_h) && !isnan(k->time_to_normal_h) && k->time_to_normal_h <= k->mtpd_h;
  k->mbco_met = !isnan(k->mbco) && !isnan(k->min_service) && k->min_service >= k->mbco;
}

int recovery_kpis(const port *p, kpi_run *k) {
  double t0 = disrupt_first_start(p);
  const spec *sp = p->sp;
  if (isinf(t0) || series_taken(p) < 2) return 0;
  size_t rows = sp->nch + sp->nports;
  k->rec = calloc(rows, sizeof *k->rec);
  uint8_t *chs = calloc(sp->nch, 1);
  size_t n = series_taken(p);
  scope_series ss = {calloc(n, sizeof(double)), calloc(n, sizeof(double)),
                     calloc(n, sizeof(double)), calloc(n, sizeof(double)), 0};
  int rc = k->rec && chs && ss.insys && ss.rel && ss.t && ss.one ? 0 : -1;
  if (!rc) rc = series_times_into(p, ss.t);
  for (size_t c = 0; !rc && c < sp->nch; c++) {
    memset(chs, 0, sp->nch);
    chs[c] = 1;
    scope_row(p, chs, sp->ch[c].name, 0, t0, &k->rec[k->nrec++], &ss);
  }
  for (size_t q = 0; !rc && q < sp->nports; q++) {
    for (size_t c = 0; c < sp->nch; c++) chs[c] = sp->ch[c].port == (int)q;
    scope_row(p, chs, sp->ports[q][0] ? sp->ports[q] : "port", 1, t0, &k->rec[k->nrec++], &ss);
  }
  free(chs);
  free(ss.insys);
  free(ss.rel);
  free(ss.t);
  free(ss.one);
  return rc || ss.bad ? -1 : 0;
}
