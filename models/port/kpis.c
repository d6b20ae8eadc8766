/* kpis: the figures of a replication (port_kpis, port_kpis_final): each part fills its
 * records of the kpi_run; the viewer's record comes from view.c. Also the per-item
 * records of the item log (kpis_item). */
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "models/coast.h"
#include "models/diagnose.h"
#include "models/port/class.h"
#include "models/port/kpis.h"
#include "models/port/recovery.h"
#include "models/port/series.h"
#include "models/port/staff.h"
#include "models/port/view.h"

void kpis_item(port *p, const job *jb, int outcome, double now) {
  const item_truth *t = &jb->it.truth;
  kpi_item r = {.channel = jb->ch, .outcome = outcome, .id = (int64_t)jb->it.id,
                .arrival_h = jb->t_arr / 60, .decl_h = jb->t_decl / 60,
                .permit_h = jb->t_permit / 60, .exit_h = now / 60, .waited_min = jb->waited,
                .risk_score = jb->risk_score, .contraband_kg = t->contraband_kg,
                .evaded_jpy = t->evaded_jpy, .path = jb->path, .contraband = t->contraband,
                .selected = jb->selected, .alarmed = jb->alarmed, .inspected = jb->inspected,
                .found = jb->found, .undervalued = t->undervalued, .ipr = t->ipr,
                .aeo = jb->it.decl.aeo, .pad = 0};
  if (fwrite(&r, sizeof r, 1, p->items_log) == 1)
    p->nitems++;
  else
    port_fail(p, SIM_EIO, "cannot write the item log (output.items): %s", strerror(errno));
}


static double share(int64_t a, int64_t n) { return n ? (double)a / (double)n : NAN; }

static void channel_kpis(const channel_rt *c, double now, kpi_channel *k) {
  memset(k, 0, sizeof *k);
  k->in_system_start = c->in_system_start;
  k->arrived = c->arrived;
  k->released = c->released;
  k->seized = c->seized;
  k->in_system_end = c->in_system;
  k->lost = c->lost;
  k->diverted_in = c->diverted_in;
  k->diverted_out = c->diverted_out;
  k->in_system_mean = timeavg_mean(&c->insys_t, now);
  k->inspected = c->inspected;
  k->false_alarms = c->false_alarms;
  k->missed = c->missed;
  k->release_mean_min = tally_mean(&c->release);
  k->release_p50_min = hist_quantile(&c->release_hist, 0.50);
  k->release_p95_min = hist_quantile(&c->release_hist, 0.95);
  k->release_p99_min = hist_quantile(&c->release_hist, 0.99);
  k->within_target_share = share(c->within_target, c->released);
  k->target_min = c->sp->target_min;
  k->wait_mean_min = tally_mean(&c->wait);
  k->wait_p95_min = hist_quantile(&c->wait_hist, 0.95);
  k->wait_within_target_share = share(c->wait_within_target, c->released);
  k->wait_target_min = c->sp->wait_target_min;
  for (int s = 0; s < 3; s++) {
    const tally *t = &c->stage[s];
    const histogram *h = &c->stage_hist[s];
    if (c->stage_plain >= 0 && s != 1) { /* stage_plain zeros (port_rt.h) */
      double z = c->stage_plain ? 0.0 : NAN;
      k->stage_mean_min[s] = k->stage_p50_min[s] = k->stage_p95_min[s] = z;
      k->stage_p99_min[s] = z;
      continue;
    }
    if (c->stage_plain >= 0) t = &c->release, h = &c->release_hist; /* stage 1 */
    k->stage_mean_min[s] = tally_mean(t);
    k->stage_p50_min[s] = hist_quantile(h, 0.50);
    k->stage_p95_min[s] = hist_quantile(h, 0.95);
    k->stage_p99_min[s] = hist_quantile(h, 0.99);
  }
  k->stage_aeo_decl_permit_min = tally_mean(&c->stage_aeo);
  for (int g = 0; g < 2; g++) {
    k->permit_adv_min[g] = tally_mean(&c->permit_adv[g]);
    k->permit_oga_min[g] = tally_mean(&c->permit_oga[g]);
  }
  int64_t found = 0;
  for (int i = 1; i < KPI_SEIZE_N; i++) found += c->seized_kind[i];
  k->hit_rate = c->gen ? share(found, c->inspected) : NAN;
  k->revenue_jpy = c->gen ? c->revenue : NAN;
  for (int i = 0; i < KPI_SEIZE_N; i++) {
    k->seized_kind[i] = c->seized_kind[i];
    k->seized_kg[i] = i < CONTRA_N ? c->seized_kg[i] : 0;
  }
}

static void station_kpis(const port *p, station_rt *s, double now, kpi_station *k) {
  memset(k, 0, sizeof *k);
  k->servers = s->sp->unlimited ? -1 : s->sp->servers;
  k->inspected = s->inspected;
  k->alarms = s->alarms;
  if (!s->res) { /* an unlimited station: no waits, no utilization */
    k->arrived = s->arrived_u;
    k->served = s->served_u;
    k->lost = s->lost_u;
    k->utilization = k->offered_load = k->available_mean = k->staff_short_h = NAN;
    k->busy_mean = timeavg_mean(&s->busy_u, now);
    k->wait_mean_min = tally_mean(&s->wait_u);
    k->wait_p95_min = s->wait_u.n ? 0 : NAN;
    k->queue_mean = timeavg_mean(&s->blocked_t, now);
    k->queue_max = s->blocked_t.max;
    return;
  }
  res_stats_close(s->res);
  const res_stats *rs = res_get_stats(s->res);
  int staffed = s->sp->pool >= 0 || s->sp->remote_pool >= 0;
  double busy = timeavg_mean(&rs->busy, now);
  double avail = staffed ? timeavg_mean(&s->avail_t, now) : timeavg_mean(&rs->cap, now);
  k->arrived = (int64_t)rs->arrived;
  k->served = (int64_t)rs->served;
  k->lost = (int64_t)rs->lost;
  k->busy_mean = busy;
  k->available_mean = avail;
  k->utilization = avail > 0 ? busy / avail : NAN;
  /* arrival rate x mean service time = busy time per arrival x arrivals per unit time */
  k->offered_load =
      avail > 0 && rs->served ? busy * (double)rs->arrived / (double)rs->served / avail : NAN;
  k->overloaded = k->offered_load >= 1;
  k->staff_short_h = staffed ? timeavg_mean(&s->short_t, now) * (now - s->short_t.t0) / 60 : 0;
  k->wait_mean_min = tally_mean(&rs->wait);
  k->wait_p95_min = hist_quantile(&rs->wait_hist, 0.95);
  k->queue_mean = timeavg_mean(&rs->queue, now) + timeavg_mean(&s->blocked_t, now);
  k->queue_max = rs->queue.max;
  k->down_h = rs->down_time / 60;
  (void)p;
}

static int alloc_kpis(kpi_run *k, const spec *sp) {
  size_t nst = sp->nst ? sp->nst : 1, np = sp->npool ? sp->npool : 1;
  k->ch = calloc(sp->nch, sizeof *k->ch);
  k->st = calloc(nst, sizeof *k->st);
  k->pool = calloc(np, sizeof *k->pool);
  k->rel_hist = calloc(sp->nch * KPI_REL_BINS, sizeof *k->rel_hist);
  return k->ch && k->st && k->pool && k->rel_hist ? 0 : -1; /* the series: series_kpis */
}

static int kpis(port *p, kpi_run *k, int take, sim_error *err);

int port_kpis(port *p, kpi_run *k, sim_error *err) { return kpis(p, k, 0, err); }

int port_kpis_final(port *p, kpi_run *k, sim_error *err) { return kpis(p, k, 1, err); }

static int kpis(port *p, kpi_run *k, int take, sim_error *err) {
  const spec *sp = p->sp;
  size_t n = series_taken(p);
  *k = (kpi_run){.nch = sp->nch,
                 .nst = sp->nst,
                 .npool = sp->npool,
                 .nsamples = n,
                 .events = sim_events(p->s)};
  if (alloc_kpis(k, sp)) {
    kpi_run_free(k);
    return sim_error_set(err, SIM_ENOMEM, "out of memory collecting results");
  }
  double now = sim_now(p->s), span = now - (p->t_warm < now ? p->t_warm : now);
  for (size_t i = 0; i < sp->nch; i++) {
    channel_kpis(&p->ch[i], now, &k->ch[i]);
    memcpy(k->rel_hist + i * KPI_REL_BINS, p->ch[i].rel_bins, KPI_REL_BINS * sizeof *k->rel_hist);
  }
  for (size_t i = 0; i < sp->nst; i++) {
    station_kpis(p, &p->st[i], now, &k->st[i]);
  }
  staff_close(p);
  staff_kpis(p, k, now, span);
  if (series_kpis(p, k, take) || class_kpis(p, k)) {
    kpi_run_free(k);
    return sim_error_set(err, SIM_ENOMEM, "out of memory collecting results");
  }
  diagnose_trends(sp, p->t_warm, k);
  k->nitems = p->nitems;
  if (recovery_kpis(p, k)) {
    kpi_run_free(k);
    return sim_error_set(err, SIM_ENOMEM, "out of memory collecting results");
  }
  if (p->coast && coast_kpis(p->coast, k)) {
    kpi_run_free(k);
    return sim_error_set(err, SIM_ENOMEM, "out of memory collecting results");
  }
  if (port_view_kpis(p, k, take)) {
    kpi_run_free(k);
    return sim_error_set(err, SIM_ENOMEM, "out of memory collecting results");
  }
  if (p->nevents) {
    k->log = malloc(p->nevents * sizeof *k->log);
    if (!k->log) {
      kpi_run_free(k);
      return sim_error_set(err, SIM_ENOMEM, "out of memory collecting results");
    }
    memcpy(k->log, p->events, p->nevents * sizeof *k->log);
    k->nlog = p->nevents;
  }
  return 0;
}
