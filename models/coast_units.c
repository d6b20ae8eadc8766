/* coast_units: drones, patrol boats and satellites (see coast.h).
 *
 * A drone or patrol boat unit goes out when its weather and typhoon allow it and its
 * crew is free in its pool: it transits base_km, searches until it must turn back to
 * stay within its endurance, transits home, then recharges or refuels before going out
 * again. Weather or a typhoon that grounds it brings it straight back (and it turns
 * around as after any sortie). A unit short of crew asks again every few minutes.
 *
 * A detected attempt needs a boat: the one that would reach it first among the boats
 * searching the zone (each from a random point of the zone) and the boats ready at base
 * (launch time, then base_km plus the way from the zone's centre), at the boat's speed,
 * to where the attempt is (a random point). Points are uniform over a square of the
 * zone's area. With no
 * boat free, the detection waits for the next boat that comes free. After an
 * interdiction a boat stays on scene for handle_h; then it takes the next waiting
 * detection, or searches on, or goes home.
 *
 * Satellites: count of them, staggered evenly, pass every revisit_h / count; a pass is
 * clouded with the month's cloud share (always under a typhoon, never for radar
 * imaging) and otherwise sees each attempt at sea with pd_pass, reported latency_h
 * later. */
#include <math.h>
#include <stdlib.h>

#include "models/coast_internal.h"
#include "models/timecal.h"
#include "sim/rng.h"

static const coast_asset_spec *spec_of(const coast *c, const unit *u) {
  return &c->sp->asset[u->asset];
}
static int mobile(const coast_asset_spec *as) {
  return as->type == COAST_DRONE || as->type == COAST_BOAT;
}
static double transit_min(const coast_asset_spec *as) { return as->base_km / as->speed_kmh * 60; }
static int idx(const coast *c, const unit *u) { return (int)(u - c->u); }

static void ev_unit(sim *s, void *ctx, uint64_t i);

/* The unit enters state st; its next event (if any) dt from now. */
static void go(coast *c, unit *u, int st, double dt) {
  int was = u->state;
  sim_cancel(c->s, u->ev);
  u->state = st;
  u->ev = isfinite(dt) ? sim_after(c->s, dt, ev_unit, c, (uint64_t)idx(c, u)) : 0;
  if (st != U_SEARCH) u->contrib = 0;
  if (was == U_SEARCH || st == U_SEARCH) coast_zone_rate(c, spec_of(c, u)->zone);
  coast_asset_note(c, u->asset);
}

static int crew_free(const coast *c, const unit *u) {
  const coast_asset_spec *as = spec_of(c, u);
  if (as->pool < 0 || u->crew > 0) return 1;
  return port_staff_free(c->p, as->pool) + 1e-9 >= as->crew;
}

static int take_crew(coast *c, unit *u) {
  const coast_asset_spec *as = spec_of(c, u);
  if (as->pool < 0 || u->crew > 0) return 1;
  if (!port_staff_take(c->p, as->pool, as->crew)) return 0;
  u->crew = as->crew;
  return 1;
}

static void give_crew(coast *c, unit *u) {
  if (u->crew > 0) port_staff_give(c->p, spec_of(c, u)->pool, u->crew);
  u->crew = 0;
}

static void try_out(coast *c, unit *u);

static void start_search(coast *c, unit *u) {
  const coast_asset_spec *as = spec_of(c, u);
  double f = 0;
  coast_allowed(c, u, &f);
  u->contrib =
      search_random_rate(as->sweep_km * f, as->speed_kmh / 60, c->sp->zone[as->zone].area_km2);
  go(c, u, U_SEARCH, u->sortie_end - coast_now(c));
}

static void land(coast *c, unit *u) {
  give_crew(c, u);
  double turn = spec_of(c, u)->turnaround_min;
  if (turn > 0) {
    go(c, u, U_TURN, turn);
    return;
  }
  u->state = U_BASE;
  try_out(c, u);
}

static void head_back(coast *c, unit *u) {
  double t = transit_min(spec_of(c, u));
  if (t > 0)
    go(c, u, U_BACK, t);
  else
    land(c, u);
}

/* Boats: a random point of the zone, from another random point or from its centre. */
static double in_zone_km(coast *c, const unit *u, int from_centre) {
  gsl_rng *g = c->a[u->asset].rng;
  double side = sqrt(c->sp->zone[spec_of(c, u)->zone].area_km2);
  double x0 = from_centre ? 0.5 : gsl_rng_uniform(g), y0 = from_centre ? 0.5 : gsl_rng_uniform(g);
  double dx = gsl_rng_uniform(g) - x0, dy = gsl_rng_uniform(g) - y0;
  return side * sqrt(dx * dx + dy * dy);
}

static void respond(coast *c, unit *u, uint32_t slot, double travel_min) {
  attempt *a = &c->at[slot];
  a->boat = idx(c, u);
  u->target = slot;
  if (c->measuring) tally_add(&c->z[a->zone].resp, coast_now(c) - a->t_detect + travel_min);
  go(c, u, U_RESPOND, travel_min);
}

/* After a response: the next waiting detection, or on with the sortie, or home. */
static void after_mission(coast *c, unit *u) {
  const coast_asset_spec *as = spec_of(c, u);
  int ok = coast_allowed(c, u, NULL);
  uint32_t slot = ok ? coast_wait_pop(c, as->zone) : COAST_NONE;
  if (slot != COAST_NONE)
    respond(c, u, slot, in_zone_km(c, u, 0) / as->speed_kmh * 60);
  else if (ok && as->patrol && coast_now(c) < u->sortie_end)
    start_search(c, u);
  else
    head_back(c, u);
}

static void set_sortie(coast *c, unit *u) {
  const coast_asset_spec *as = spec_of(c, u);
  u->sortie_end = coast_now(c) + as->endurance_min - transit_min(as);
  if (c->measuring) c->a[u->asset].sorties++;
}

/* A unit at base: out if it may, else it waits for what it lacks. */
static void try_out(coast *c, unit *u) {
  const coast_asset_spec *as = spec_of(c, u);
  double f = 0;
  if (!coast_allowed(c, u, &f)) {
    u->wait = f > 0 ? W_TYPHOON : W_WEATHER;
    go(c, u, U_BASE, INFINITY);
    return;
  }
  if (!as->patrol && !fifo_len(&c->z[as->zone].wait)) { /* a response boat waits for a detection */
    u->wait = W_READY;
    go(c, u, U_BASE, INFINITY);
    return;
  }
  if (!take_crew(c, u)) {
    u->wait = W_CREW;
    go(c, u, U_BASE, COAST_CREW_RETRY_MIN);
    return;
  }
  u->wait = W_READY;
  set_sortie(c, u);
  uint32_t slot = as->type == COAST_BOAT ? coast_wait_pop(c, as->zone) : COAST_NONE;
  if (slot != COAST_NONE) {
    respond(c, u, slot, as->launch_min + (as->base_km + in_zone_km(c, u, 1)) / as->speed_kmh * 60);
    return;
  }
  double t = transit_min(as);
  if (t > 0)
    go(c, u, U_OUT, t);
  else
    start_search(c, u);
}

static void ev_unit(sim *s, void *ctx, uint64_t i) {
  (void)s;
  coast *c = ctx;
  unit *u = &c->u[i];
  u->ev = 0;
  switch (u->state) {
  case U_BASE: try_out(c, u); break;
  case U_OUT: start_search(c, u); break;
  case U_SEARCH: head_back(c, u); break;
  case U_RESPOND: {
    uint32_t slot = u->target;
    u->target = COAST_NONE;
    if (slot != COAST_NONE && c->at[slot].state == AT_TRACKED && c->at[slot].boat == (int)i) {
      coast_interdict(c, slot, (int)i);
      go(c, u, U_SCENE, spec_of(c, u)->handle_min);
    } else {
      after_mission(c, u);
    }
    break;
  }
  case U_SCENE: after_mission(c, u); break;
  case U_BACK: land(c, u); break;
  default: /* U_TURN */
    u->state = U_BASE;
    try_out(c, u);
    break;
  }
}

int coast_send_boat(coast *c, uint32_t slot) {
  int z = c->at[slot].zone;
  unit *best = NULL;
  double best_t = INFINITY, side = sqrt(c->sp->zone[z].area_km2);
  gsl_rng *g = c->z[z].det_rng;
  double tx = gsl_rng_uniform(g), ty = gsl_rng_uniform(g); /* where the attempt is, in sides */
  for (size_t i = 0; i < c->nunit; i++) {
    unit *u = &c->u[i];
    const coast_asset_spec *as = spec_of(c, u);
    if (as->type != COAST_BOAT || as->zone != z || !coast_allowed(c, u, NULL)) continue;
    double t, x = 0.5, y = 0.5, launch = 0,
              km = 0; /* from the zone's centre, or where it searches */
    if (u->state == U_SEARCH) {
      x = gsl_rng_uniform(c->a[u->asset].rng);
      y = gsl_rng_uniform(c->a[u->asset].rng);
    } else if (u->state == U_BASE && u->wait == W_READY && crew_free(c, u)) {
      launch = as->launch_min;
      km = as->base_km;
    } else {
      continue;
    }
    t = launch + (km + side * hypot(tx - x, ty - y)) / as->speed_kmh * 60;
    if (t < best_t) best = u, best_t = t;
  }
  if (!best) return 0;
  if (best->state == U_BASE) {
    take_crew(c, best);
    set_sortie(c, best);
  }
  respond(c, best, slot, best_t);
  return 1;
}

void coast_recall(coast *c, int i) {
  unit *u = &c->u[i];
  if (u->state != U_RESPOND) return;
  u->target = COAST_NONE;
  after_mission(c, u);
}

void coast_units_conditions(coast *c, int z) {
  for (size_t i = 0; i < c->nunit; i++) {
    unit *u = &c->u[i];
    const coast_asset_spec *as = spec_of(c, u);
    if (as->zone != z) continue;
    double f = 0;
    int ok = coast_allowed(c, u, &f);
    if (!ok && (u->state == U_OUT || u->state == U_SEARCH || u->state == U_RESPOND)) {
      if (u->state == U_RESPOND && u->target != COAST_NONE) { /* the detection waits again */
        c->at[u->target].boat = -1;
        coast_wait_push(c, z, u->target);
        u->target = COAST_NONE;
      }
      head_back(c, u);
    } else if (u->state == U_SEARCH) {
      u->contrib =
          search_random_rate(as->sweep_km * f, as->speed_kmh / 60, c->sp->zone[z].area_km2);
    } else if (u->state == U_BASE &&
               u->wait != W_CREW) { /* out, or grounded for the right reason */
      try_out(c, u);
    }
  }
  for (size_t i = 0; i < c->sp->nasset; i++)
    if (c->sp->asset[i].zone == z) coast_asset_note(c, (int)i);
  coast_zone_rate(c, z);
}

/* ---- satellites ---- */

static void ev_pass(sim *s, void *ctx, uint64_t i) {
  coast *c = ctx;
  asset_rt *ar = &c->a[i];
  const coast_asset_spec *as = ar->sp;
  zone_rt *r = &c->z[as->zone];
  timecal_fields f;
  timecal_fields_of(c->sp->start_epoch + coast_now(c) + 1e-6, &f);
  int cloudy =
      !as->sar && (r->typhoon < 1 || gsl_rng_uniform(ar->rng) < as->cloud_share[f.month - 1]);
  if (c->measuring) {
    ar->passes++;
    ar->clear_passes += !cloudy;
  }
  for (size_t k = 0; !cloudy && k < r->nact; k++) {
    uint32_t slot = r->act[k];
    if (c->at[slot].state != AT_SEA || !(gsl_rng_uniform(ar->rng) < as->pd_pass)) continue;
    if (as->latency_min > 0)
      coast_pend_other(c, slot, coast_now(c) + as->latency_min, (int)i);
    else
      coast_detect(c, slot, (int)i);
  }
  ar->ev = sim_after(s, as->revisit_min / as->count, ev_pass, c, i);
}

/* ---- levels, lifecycle ---- */

void coast_asset_note(coast *c, int i) {
  asset_rt *ar = &c->a[i];
  const coast_asset_spec *as = ar->sp;
  int out = 0, grounded = 0, crew = 0, turn = 0;
  if (mobile(as)) {
    for (int k = 0; k < as->count; k++) {
      const unit *u = &c->u[ar->first + (size_t)k];
      out += u->state != U_BASE && u->state != U_TURN;
      grounded += u->state == U_BASE && (u->wait == W_WEATHER || u->wait == W_TYPHOON);
      crew += u->state == U_BASE && u->wait == W_CREW;
      turn += u->state == U_TURN;
    }
  } else if (as->type == COAST_RADAR &&
             !(search_weather_factor(&c->z[as->zone].wx, &as->limits) > 0)) {
    grounded = as->count;
  }
  double now = coast_now(c);
  ar->n_out = out;
  ar->n_grounded = grounded;
  ar->n_crew = crew;
  ar->n_avail = as->count - grounded - crew - turn;
  timeavg_set(&ar->out_t, now, out);
  timeavg_set(&ar->avail_t, now, ar->n_avail);
  timeavg_set(&ar->grounded_t, now, grounded);
  timeavg_set(&ar->crew_t, now, crew);
  coast_level_set(&ar->aloft, now, out);
}

int coast_units_init(coast *c) {
  size_t n = 0;
  for (size_t i = 0; i < c->sp->nasset; i++)
    if (mobile(&c->sp->asset[i])) n += (size_t)c->sp->asset[i].count;
  c->u = calloc(n ? n : 1, sizeof *c->u);
  if (!c->u) return -1;
  for (size_t i = 0; i < c->sp->nasset; i++) {
    asset_rt *ar = &c->a[i];
    ar->sp = &c->sp->asset[i];
    char nm[300];
    snprintf(nm, sizeof nm, "coast_asset:%s", ar->sp->name);
    if (!(ar->rng = rng_stream_new(port_seed(c->p), port_rep(c->p), nm))) return -1;
    ar->first = c->nunit;
    int avail = ar->sp->type == COAST_SATELLITE ? 0 : ar->sp->count;
    timeavg_reset(&ar->out_t, 0, 0);
    timeavg_reset(&ar->avail_t, 0, avail);
    timeavg_reset(&ar->grounded_t, 0, 0);
    timeavg_reset(&ar->crew_t, 0, 0);
    ar->n_avail = avail;
    if (!mobile(ar->sp)) continue;
    for (int k = 0; k < ar->sp->count; k++)
      c->u[c->nunit++] = (unit){.asset = (int)i, .k = k, .state = U_BASE, .target = COAST_NONE};
  }
  return 0;
}

void coast_units_start(coast *c) {
  for (size_t i = 0; i < c->nunit; i++) try_out(c, &c->u[i]);
  for (size_t i = 0; i < c->sp->nasset; i++) {
    asset_rt *ar = &c->a[i];
    const coast_asset_spec *as = ar->sp;
    if (as->type != COAST_SATELLITE || as->count < 1) {
      coast_asset_note(c, (int)i);
      continue;
    }
    double gap = as->revisit_min / as->count;
    double first = isnan(as->first_pass_min) ? gsl_rng_uniform(ar->rng) * gap : as->first_pass_min;
    ar->ev = sim_at(c->s, first, ev_pass, c, i);
  }
}
