/* coast_kpi: what the coast model reports (see coast.h): the zone and asset figures of
 * the measured period, the series of units out and attempts at sea, the viewer's
 * snapshot, and the invariants checked at every sample. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "models/coast_internal.h"
#include "models/snapshot.h"

static double share(int64_t a, int64_t n) { return n ? (double)a / (double)n : NAN; }

void coast_measure_start(coast *c) {
  double now = coast_now(c);
  c->measuring = 1;
  for (size_t z = 0; z < c->sp->nzone; z++) {
    zone_rt *r = &c->z[z];
    r->in_start = (int64_t)r->nact;
    r->attempts = r->detected = r->interdicted = r->landed = r->landed_detected = 0;
    tally_reset(&r->ttd);
    tally_reset(&r->resp);
    timeavg_reset(&r->rate_t, now, r->rate);
  }
  for (size_t i = 0; i < c->sp->nasset; i++) {
    asset_rt *ar = &c->a[i];
    ar->detections = ar->interdictions = ar->sorties = ar->passes = ar->clear_passes = 0;
    timeavg_reset(&ar->out_t, now, ar->n_out);
    timeavg_reset(&ar->avail_t, now, ar->n_avail);
    timeavg_reset(&ar->grounded_t, now, ar->n_grounded);
    timeavg_reset(&ar->crew_t, now, ar->n_crew);
  }
}

void coast_sample(coast *c, size_t i, double dt) {
  if (i >= c->nser) return;
  double now = coast_now(c);
  for (size_t k = 0; k < c->sp->nasset; k++) {
    const asset_rt *ar = &c->a[k];
    double area = coast_level_area(&ar->aloft, now);
    c->ser_aloft[k * c->nser + i] = dt > 0 ? (area - c->prev_aloft[k]) / dt : ar->aloft.v;
    c->prev_aloft[k] = area;
  }
  for (size_t z = 0; z < c->sp->nzone; z++) {
    const zone_rt *r = &c->z[z];
    double area = coast_level_area(&r->at_sea, now);
    c->ser_sea[z * c->nser + i] = dt > 0 ? (area - c->prev_sea[z]) / dt : r->at_sea.v;
    c->prev_sea[z] = area;
  }
}

/* ---- figures ---- */

static void zone_kpis(const coast *c, const zone_rt *r, double now, kpi_zone *k) {
  int64_t ended = r->interdicted + r->landed;
  *k = (kpi_zone){.in_progress_start = r->in_start,
                  .attempts = r->attempts,
                  .detected = r->detected,
                  .interdicted = r->interdicted,
                  .landed = r->landed,
                  .landed_detected = r->landed_detected,
                  .in_progress_end = (int64_t)r->nact};
  k->detect_share = share(r->interdicted + r->landed_detected, ended);
  k->interdict_share = share(r->interdicted, ended);
  k->time_to_detect_mean_h = tally_mean(&r->ttd) / 60;
  k->response_mean_h = tally_mean(&r->resp) / 60;
  k->coverage_per_h = timeavg_mean(&r->rate_t, now) * 60;
  k->area_km2 = r->sp->area_km2;
  (void)c;
}

static void asset_kpis(const asset_rt *ar, double now, kpi_asset *k) {
  const coast_asset_spec *as = ar->sp;
  double span_h = (now - ar->out_t.t0) / 60;
  *k = (kpi_asset){.units = as->count,
                   .sorties = ar->sorties,
                   .detections = ar->detections,
                   .interdictions = ar->interdictions};
  double out = timeavg_mean(&ar->out_t, now), avail = timeavg_mean(&ar->avail_t, now);
  int mobile = as->type == COAST_DRONE || as->type == COAST_BOAT;
  k->hours = mobile && span_h > 0 ? out * span_h : NAN;
  if (as->type == COAST_SATELLITE)
    k->availability = share(ar->clear_passes, ar->passes);
  else
    k->availability = as->count > 0 ? avail / as->count : NAN;
  k->utilization = mobile && avail > 0 ? out / avail : NAN;
  k->grounded_h = span_h > 0 ? timeavg_mean(&ar->grounded_t, now) * span_h : 0;
  k->crew_short_h = span_h > 0 ? timeavg_mean(&ar->crew_t, now) * span_h : 0;
}

int coast_kpis(coast *c, kpi_run *k) {
  size_t nz = c->sp->nzone, na = c->sp->nasset, n = k->nsamples;
  double now = coast_now(c);
  k->zone = calloc(nz, sizeof *k->zone);
  k->asset = calloc(na ? na : 1, sizeof *k->asset);
  k->aloft = calloc((na ? na : 1) * (n ? n : 1), sizeof *k->aloft);
  k->at_sea = calloc(nz * (n ? n : 1), sizeof *k->at_sea);
  if (!k->zone || !k->asset || !k->aloft || !k->at_sea) return SIM_ENOMEM;
  k->nzone = nz;
  k->nasset = na;
  for (size_t z = 0; z < nz; z++) {
    zone_kpis(c, &c->z[z], now, &k->zone[z]);
    for (size_t i = 0; i < n && i < c->nser; i++)
      k->at_sea[z * n + i] = c->ser_sea[z * c->nser + i];
  }
  for (size_t a = 0; a < na; a++) {
    asset_kpis(&c->a[a], now, &k->asset[a]);
    for (size_t i = 0; i < n && i < c->nser; i++)
      k->aloft[a * n + i] = c->ser_aloft[a * c->nser + i];
  }
  return 0;
}

/* ---- the viewer ---- */

void coast_snapshot(const coast *c, snapshot *s) {
  double now = coast_now(c);
  for (size_t z = 0; z < s->nzone && z < c->sp->nzone; z++) {
    const zone_rt *r = &c->z[z];
    snap_zone *o = &s->zone[z];
    int sea = 0, tracked = 0;
    for (size_t i = 0; i < r->nact; i++) {
      sea += c->at[r->act[i]].state == AT_SEA;
      tracked += c->at[r->act[i]].state == AT_TRACKED;
    }
    o->at_sea = sea;
    o->tracked = tracked;
    o->attempts = r->attempts;
    o->detected = r->detected;
    o->interdicted = r->interdicted;
    o->landed = r->landed;
    o->detect_share = share(r->interdicted + r->landed_detected, r->interdicted + r->landed);
    o->interdict_share = share(r->interdicted, r->interdicted + r->landed);
    o->coverage_per_h = r->rate * 60;
    o->wind_ms = r->wx.wind_ms;
    o->rain = r->wx.rain;
    o->sea_state = r->wx.sea_state;
    o->typhoon = r->typhoon;
    o->last_detect_h = r->last_detect / 60;
    o->last_interdict_h = r->last_interdict / 60;
    o->last_landed_h = r->last_landed / 60;
  }
  for (size_t a = 0; a < s->nasset && a < c->sp->nasset; a++) {
    const asset_rt *ar = &c->a[a];
    snap_asset *o = &s->asset[a];
    o->searching = o->responding = o->transit = o->ready = o->turnaround = o->grounded =
        o->no_crew = 0;
    for (int k = 0;
         k < ar->sp->count && (ar->sp->type == COAST_DRONE || ar->sp->type == COAST_BOAT); k++) {
      const unit *u = &c->u[ar->first + (size_t)k];
      switch (u->state) {
      case U_SEARCH: o->searching++; break;
      case U_RESPOND:
      case U_SCENE: o->responding++; break;
      case U_OUT:
      case U_BACK: o->transit++; break;
      case U_TURN: o->turnaround++; break;
      default:
        if (u->wait == W_CREW)
          o->no_crew++;
        else if (u->wait == W_READY)
          o->ready++;
        else
          o->grounded++;
      }
    }
    if (ar->sp->type == COAST_RADAR) {
      o->grounded = ar->n_grounded;
      o->searching = ar->sp->count - ar->n_grounded;
    }
    o->detections = ar->detections;
    o->interdictions = ar->interdictions;
  }
  (void)now;
}

/* ---- invariants ---- */

int coast_check(const coast *c, char *why, size_t n) {
  for (size_t z = 0; z < c->sp->nzone; z++) {
    const zone_rt *r = &c->z[z];
    if (c->measuring && r->in_start + r->attempts != r->interdicted + r->landed + (int64_t)r->nact)
      return snprintf(why, n,
                      "coast zone %s: attempts not conserved (%lld at sea at the start + %lld; "
                      "%lld interdicted + "
                      "%lld landed + %zu at sea)",
                      r->sp->name, (long long)r->in_start, (long long)r->attempts,
                      (long long)r->interdicted, (long long)r->landed, r->nact);
    double rate = 0;
    for (size_t i = 0; i < c->nunit; i++)
      if (c->u[i].state == U_SEARCH && c->sp->asset[c->u[i].asset].zone == (int)z)
        rate += c->u[i].contrib;
    if (fabs(rate - r->rate) > 1e-9 * (1 + rate))
      return snprintf(why, n, "coast zone %s: search rate %.9g, its searching units give %.9g",
                      r->sp->name, r->rate, rate);
    for (size_t i = 0; i < fifo_len(&r->wait); i++) {
      const attempt *a = &c->at[*(const uint32_t *)fifo_at(&r->wait, i)];
      if (a->state != AT_TRACKED || a->boat >= 0)
        return snprintf(why, n,
                        "coast zone %s: a detection waits for a boat it has or is not tracked",
                        r->sp->name);
    }
  }
  const spec *psp = port_spec(c->p);
  size_t npool = psp->npool;
  double *held = calloc(npool ? npool : 1, sizeof *held);
  if (!held) return snprintf(why, n, "out of memory checking the coast");
  int bad = 0;
  for (size_t i = 0; i < c->nunit && !bad; i++) {
    const unit *u = &c->u[i];
    const coast_asset_spec *as = &c->sp->asset[u->asset];
    int out = u->state != U_BASE && u->state != U_TURN;
    if (as->pool >= 0) held[as->pool] += u->crew;
    if (out && as->pool >= 0 && !(u->crew > 0))
      bad = snprintf(why, n, "coast asset %s: a unit is out without crew", as->name);
    if (u->state == U_RESPOND && (u->target == COAST_NONE || c->at[u->target].boat != (int)i))
      bad = snprintf(why, n, "coast asset %s: a boat responds to no attempt", as->name);
  }
  for (size_t k = 0; k < npool && !bad; k++)
    if (fabs(held[k] - port_staff_lent(c->p, (int)k)) > 1e-6)
      bad = snprintf(why, n, "staff pool %s: %.9g persons lent, the coast holds %.9g",
                     psp->pool[k].name, port_staff_lent(c->p, (int)k), held[k]);
  free(held);
  return bad;
}
