/* coast: zones, landing attempts and their detection (see coast.h).
 *
 * Attempts arrive in each zone as a Poisson process whose rate follows the hour of day
 * and the month (thinning, as arrivals.c), stay at sea for their exposure time and then
 * land unless a boat reaches them first.
 *
 * Random search: each zone keeps its cumulative search effort, the integral of
 * sum(W_i v_i / A) over the units searching it (W scaled by the weather). An attempt
 * starting at effort e0 draws E ~ Exp(1) and is seen when the effort reaches e0 + E, so
 * P(seen within t) = 1 - exp(-integral of the rate over t): Koopman's law, exactly, for
 * any pattern of sorties, weather and typhoons. One pending event per zone waits for
 * the smallest threshold; it moves whenever the rate or the attempts change, and a
 * detection is credited to a searching unit drawn in proportion to its rate.
 *
 * Fixed sensors: a radar (count of them spaced along the zone's front) sees an attempt
 * whose track passes the nearest at lateral range x ~ U(0, front / (2 count)) with the
 * law's p(x), at a moment uniform over its exposure. Satellites: coast_units.c. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "models/coast_internal.h"
#include "models/disrupt.h"
#include "models/timecal.h"
#include "sim/rng.h"

#define MAX_CANDIDATES 4096 /* thinning candidates per event before a pause event */

uint64_t coast_pack(uint32_t slot, uint32_t gen) { return ((uint64_t)gen << 32) | slot; }

static attempt *live(coast *c, uint64_t arg) {
  uint32_t slot = (uint32_t)(arg & 0xffffffffu), gen = (uint32_t)(arg >> 32);
  if (slot >= c->nat) return NULL;
  attempt *a = &c->at[slot];
  return a->state != AT_FREE && a->gen == gen ? a : NULL;
}

static int push(uint32_t **v, size_t *n, size_t *cap, uint32_t x) {
  if (*n == *cap) {
    size_t nc = *cap ? 2 * *cap : 16;
    uint32_t *nv = realloc(*v, nc * sizeof *nv);
    if (!nv) return -1;
    *v = nv;
    *cap = nc;
  }
  (*v)[(*n)++] = x;
  return 0;
}

static void drop(uint32_t *v, size_t *n, uint32_t x) {
  for (size_t i = 0; i < *n; i++)
    if (v[i] == x) {
      memmove(v + i, v + i + 1, (*n - i - 1) * sizeof *v);
      (*n)--;
      return;
    }
}

/* ---- random search ---- */

void coast_zone_update(coast *c, int z) {
  zone_rt *r = &c->z[z];
  double now = coast_now(c);
  r->effort += r->rate * (now - r->t_last);
  r->t_last = now;
}

/* The next detection in zone z: when the effort reaches the smallest threshold. */
static void reschedule(coast *c, int z);

static void ev_search(sim *s, void *ctx, uint64_t z) {
  (void)s;
  coast *c = ctx;
  zone_rt *r = &c->z[z];
  r->det_ev = 0;
  coast_zone_update(c, (int)z);
  uint32_t best = COAST_NONE;
  for (size_t i = 0; i < r->nact; i++) {
    attempt *a = &c->at[r->act[i]];
    if (a->state == AT_SEA && (best == COAST_NONE || a->thresh < c->at[best].thresh))
      best = r->act[i];
  }
  if (best == COAST_NONE || c->at[best].thresh > r->effort + 1e-9 * (1 + r->effort)) {
    reschedule(c, (int)z);
    return;
  }
  /* the unit that saw it, in proportion to its share of the rate */
  double u = gsl_rng_uniform(r->det_rng) * r->rate, acc = 0;
  int asset = -1;
  for (size_t i = 0; i < c->nunit; i++) {
    const unit *un = &c->u[i];
    if (un->state != U_SEARCH || c->sp->asset[un->asset].zone != (int)z) continue;
    asset = un->asset;
    if ((acc += un->contrib) > u) break;
  }
  coast_detect(c, best, asset);
}

static void reschedule(coast *c, int z) {
  zone_rt *r = &c->z[z];
  double lo = INFINITY;
  for (size_t i = 0; i < r->nact; i++) {
    const attempt *a = &c->at[r->act[i]];
    if (a->state == AT_SEA && a->thresh < lo) lo = a->thresh;
  }
  if (!(r->rate > 0) || isinf(lo)) {
    sim_cancel(c->s, r->det_ev);
    r->det_ev = 0;
    return;
  }
  double t = r->t_last + fmax(lo - r->effort, 0) / r->rate;
  if (!r->det_ev || !sim_reschedule(c->s, r->det_ev, t))
    r->det_ev = sim_at(c->s, t, ev_search, c, (uint64_t)z);
}

void coast_zone_rate(coast *c, int z) {
  zone_rt *r = &c->z[z];
  coast_zone_update(c, z);
  double rate = 0;
  for (size_t i = 0; i < c->nunit; i++)
    if (c->u[i].state == U_SEARCH && c->sp->asset[c->u[i].asset].zone == z) rate += c->u[i].contrib;
  r->rate = rate;
  timeavg_set(&r->rate_t, coast_now(c), rate);
  reschedule(c, z);
}

/* ---- attempts ---- */

static uint32_t attempt_new(coast *c) {
  if (c->free_head != COAST_NONE) {
    uint32_t i = c->free_head;
    c->free_head = c->at[i].next_free;
    return i;
  }
  if (c->nat == c->cap_at) {
    uint32_t nc = c->cap_at ? 2 * c->cap_at : 64;
    attempt *na = realloc(c->at, nc * sizeof *na);
    if (!na) return COAST_NONE;
    c->at = na;
    c->cap_at = nc;
  }
  c->at[c->nat] = (attempt){0};
  return c->nat++;
}

static void attempt_end(coast *c, uint32_t slot) {
  attempt *a = &c->at[slot];
  zone_rt *r = &c->z[a->zone];
  sim_cancel(c->s, a->ev_other);
  drop(r->act, &r->nact, slot);
  for (size_t k = 0; k < fifo_len(&r->wait); k++)
    if (*(uint32_t *)fifo_at(&r->wait, k) == slot) {
      fifo_remove(&r->wait, k);
      break;
    }
  coast_level_set(&r->at_sea, coast_now(c), (double)r->nact);
  int was_sea = a->state == AT_SEA;
  a->state = AT_FREE;
  a->gen++;
  a->next_free = c->free_head;
  c->free_head = slot;
  if (was_sea) reschedule(c, a->zone);
}

static void ev_other(sim *s, void *ctx, uint64_t arg) {
  (void)s;
  coast *c = ctx;
  attempt *a = live(c, arg);
  if (a && a->state == AT_SEA) {
    a->ev_other = 0;
    coast_detect(c, (uint32_t)(a - c->at), a->other_asset);
  }
}

void coast_pend_other(coast *c, uint32_t slot, double t, int asset) {
  attempt *a = &c->at[slot];
  if (t >= a->t_other) return;
  a->t_other = t;
  a->other_asset = asset;
  if (!a->ev_other || !sim_reschedule(c->s, a->ev_other, t))
    a->ev_other = sim_at(c->s, t, ev_other, c, coast_pack(slot, a->gen));
}

/* The radars of zone z: whether and when each sees the new attempt. */
static void radars(coast *c, int z, uint32_t slot) {
  zone_rt *r = &c->z[z];
  attempt *a = &c->at[slot];
  for (size_t i = 0; i < c->sp->nasset; i++) {
    const coast_asset_spec *as = &c->sp->asset[i];
    if (as->type != COAST_RADAR || as->zone != z || as->count < 1) continue;
    double f = search_weather_factor(&r->wx, &as->limits);
    double x = gsl_rng_uniform(r->det_rng) * r->sp->front_km / (2.0 * as->count);
    double u = gsl_rng_uniform(r->det_rng), when = gsl_rng_uniform(r->det_rng);
    if (f > 0 && u < search_law_p(as->law, x, 2 * as->range_km * f))
      coast_pend_other(c, slot, a->t_start + when * (a->t_land - a->t_start), (int)i);
  }
}

static void ev_land(sim *s, void *ctx, uint64_t arg) {
  (void)s;
  coast *c = ctx;
  attempt *a = live(c, arg);
  if (!a) return;
  zone_rt *r = &c->z[a->zone];
  if (c->measuring) {
    r->landed++;
    r->landed_detected += a->state == AT_TRACKED;
  }
  r->last_landed = coast_now(c);
  int boat = a->boat;
  attempt_end(c, (uint32_t)(a - c->at));
  if (boat >= 0) coast_recall(c, boat);
}

static void attempt_start(coast *c, int z) {
  zone_rt *r = &c->z[z];
  uint32_t slot = attempt_new(c);
  if (slot == COAST_NONE || push(&r->act, &r->nact, &r->cap_act, slot)) {
    port_fail(c->p, SIM_ENOMEM, "coast zone %s: cannot follow another attempt (out of memory)",
              r->sp->name);
    return;
  }
  double now = coast_now(c);
  coast_zone_update(c, z);
  attempt *a = &c->at[slot];
  uint32_t gen = a->gen;
  double exposure = dist_sample(&r->sp->exposure, r->att_rng);
  *a = (attempt){.gen = gen,
                 .state = AT_SEA,
                 .zone = z,
                 .boat = -1,
                 .other_asset = -1,
                 .t_start = now,
                 .t_land = now + exposure,
                 .t_detect = NAN,
                 .t_other = INFINITY};
  a->thresh = r->effort + rng_exponential(r->att_rng, 1.0);
  if (c->measuring) r->attempts++;
  coast_level_set(&r->at_sea, now, (double)r->nact);
  sim_at(c->s, a->t_land, ev_land, c, coast_pack(slot, gen));
  radars(c, z, slot);
  reschedule(c, z);
}

/* The rate of attempts at t (per minute): the mean rate times the profiles. */
static double attempt_rate(const coast *c, const coast_zone_spec *z, double t) {
  timecal_fields f;
  timecal_fields_of(c->sp->start_epoch + t + 1e-6, &f);
  return z->rate_per_min * z->hourly[f.hour] * z->monthly[f.month - 1];
}

/* The next accepted candidate from now (thinning), or a pause after many rejections. */
static void ev_attempt(sim *s, void *ctx, uint64_t z);

static void next_attempt(coast *c, int z, double from) {
  zone_rt *r = &c->z[z];
  double bound = r->sp->rate_per_min * r->sp->bound, t = from;
  if (!(bound > 0)) return;
  for (int k = 0; k < MAX_CANDIDATES; k++) {
    t += rng_exponential(r->arr_rng, 1 / bound);
    if (gsl_rng_uniform(r->arr_rng) * bound < attempt_rate(c, r->sp, t)) {
      sim_at(c->s, t, ev_attempt, c, (uint64_t)z);
      return;
    }
  }
  sim_at(c->s, t, ev_attempt, c, (uint64_t)z | (1ull << 32)); /* a pause: no attempt */
}

static void ev_attempt(sim *s, void *ctx, uint64_t arg) {
  (void)s;
  coast *c = ctx;
  int z = (int)(arg & 0xffffffffu);
  if (!(arg >> 32)) attempt_start(c, z);
  next_attempt(c, z, coast_now(c));
}

/* ---- detection and interdiction ---- */

void coast_detect(coast *c, uint32_t slot, int asset) {
  attempt *a = &c->at[slot];
  if (a->state != AT_SEA) return;
  zone_rt *r = &c->z[a->zone];
  double now = coast_now(c);
  a->state = AT_TRACKED;
  a->t_detect = now;
  sim_cancel(c->s, a->ev_other);
  a->ev_other = 0;
  if (c->measuring) {
    r->detected++;
    tally_add(&r->ttd, now - a->t_start);
    if (asset >= 0) c->a[asset].detections++;
  }
  r->last_detect = now;
  reschedule(c, a->zone);
  if (!coast_send_boat(c, slot)) coast_wait_push(c, a->zone, slot);
}

void coast_wait_push(coast *c, int z, uint32_t slot) {
  zone_rt *r = &c->z[z];
  uint32_t *last = fifo_push(&r->wait);
  if (last) *last = slot;
  else port_fail(c->p, SIM_ENOMEM, "coast zone %s: cannot queue a detection (out of memory)",
              r->sp->name);
}

uint32_t coast_wait_pop(coast *c, int z) {
  zone_rt *r = &c->z[z];
  if (!fifo_len(&r->wait)) return COAST_NONE;
  uint32_t slot = *(uint32_t *)fifo_front(&r->wait);
  fifo_drop_front(&r->wait);
  return slot;
}

void coast_interdict(coast *c, uint32_t slot, int un) {
  attempt *a = &c->at[slot];
  zone_rt *r = &c->z[a->zone];
  if (c->measuring) {
    r->interdicted++;
    c->a[c->u[un].asset].interdictions++;
  }
  r->last_interdict = coast_now(c);
  attempt_end(c, slot);
}

/* ---- weather and typhoons ---- */

int coast_allowed(const coast *c, const unit *u, double *factor) {
  const coast_asset_spec *as = &c->sp->asset[u->asset];
  const zone_rt *r = &c->z[as->zone];
  double f = search_weather_factor(&r->wx, &as->limits);
  if (factor) *factor = f;
  if (!(f > 0)) return 0;
  if (as->type == COAST_DRONE) return r->typhoon >= 1;
  return u->k < (int)floor(as->count * r->typhoon + 1e-9);
}

/* A Rayleigh wind of the month's mean, rain with the month's share. */
static void weather_draw(coast *c, size_t z) {
  zone_rt *r = &c->z[z];
  const coast_weather_spec *w = &r->sp->weather;
  timecal_fields f;
  timecal_fields_of(c->sp->start_epoch + coast_now(c) + 1e-6, &f);
  double mean = w->wind_mean_ms[f.month - 1];
  double u = rng_uniform_pos(r->wx_rng);
  r->wx.wind_ms =
      mean * sqrt(-4 / M_PI * log(u)); /* Rayleigh: P(V > v) = exp(-pi v^2 / (4 mean^2)) */
  r->wx.rain = gsl_rng_uniform(r->wx_rng) < w->rain_share[f.month - 1];
  r->wx.sea_state = search_sea_state(r->wx.wind_ms);
}

static void ev_weather(sim *s, void *ctx, uint64_t z) {
  coast *c = ctx;
  weather_draw(c, (size_t)z);
  coast_units_conditions(c, (int)z);
  sim_after(s, c->z[z].sp->weather.period_min, ev_weather, c, z);
}

/* A step of a disruption that reaches zones: each zone's level is the lowest of the
 * typhoons in force there. */
static void ev_typhoon(sim *s, void *ctx, uint64_t arg) {
  (void)s;
  (void)arg;
  coast *c = ctx;
  const disrupt_spec *ds = port_spec(c->p)->dis;
  double now = coast_now(c);
  for (size_t z = 0; z < c->sp->nzone; z++) {
    double level = 1;
    for (size_t d = 0; ds && d < ds->n && d < c->sp->ndis; d++)
      if (c->sp->dis_zone[d * c->sp->nzone + z]) level = fmin(level, dis_level_at(&ds->d[d], now));
    if (level != c->z[z].typhoon) {
      c->z[z].typhoon = level;
      coast_units_conditions(c, (int)z);
    }
  }
}

static void schedule_typhoons(coast *c) {
  const disrupt_spec *ds = port_spec(c->p)->dis;
  for (size_t d = 0; ds && d < ds->n && d < c->sp->ndis; d++) {
    int any = 0;
    for (size_t z = 0; z < c->sp->nzone; z++) any |= c->sp->dis_zone[d * c->sp->nzone + z];
    if (!any) continue;
    const dis_item *it = &ds->d[d];
    for (size_t k = 0; k < it->nsteps; k++)
      sim_at(c->s, it->start_min + it->steps[k].after_min, ev_typhoon, c, d);
    sim_at(c->s, it->start_min + it->dur_min, ev_typhoon, c, d);
  }
}

/* ---- lifecycle ---- */

static gsl_rng *stream(const coast *c, const char *what, const char *name) {
  char nm[300];
  snprintf(nm, sizeof nm, "coast_%s:%s", what, name);
  return rng_stream_new(port_seed(c->p), port_rep(c->p), nm);
}

static int zones_init(coast *c) {
  for (size_t z = 0; z < c->sp->nzone; z++) {
    zone_rt *r = &c->z[z];
    r->sp = &c->sp->zone[z];
    fifo_init(&r->wait, sizeof(uint32_t), 16);
    r->arr_rng = stream(c, "attempts", r->sp->name);
    r->att_rng = stream(c, "exposure", r->sp->name);
    r->det_rng = stream(c, "detect", r->sp->name);
    r->wx_rng = stream(c, "weather", r->sp->name);
    if (!r->arr_rng || !r->att_rng || !r->det_rng || !r->wx_rng) return -1;
    r->typhoon = 1;
    r->last_detect = r->last_interdict = r->last_landed = NAN;
    tally_reset(&r->ttd);
    tally_reset(&r->resp);
    timeavg_reset(&r->rate_t, 0, 0);
  }
  return 0;
}

int coast_new(coast **out, port *p, sim_error *err) {
  *out = NULL;
  const coast_spec *sp = port_spec(p)->coast;
  if (!sp) return 0;
  coast *c = calloc(1, sizeof *c);
  if (!c) return sim_error_set(err, SIM_ENOMEM, "out of memory");
  *c = (coast){.p = p, .sp = sp, .s = port_sim(p), .free_head = COAST_NONE,
               .measuring = port_measuring(p)};
  c->z = calloc(sp->nzone, sizeof *c->z);
  c->a = calloc(sp->nasset ? sp->nasset : 1, sizeof *c->a);
  c->nser = port_samples_planned(p);
  size_t ns = c->nser ? c->nser : 1;
  c->ser_aloft = calloc(ns * (sp->nasset ? sp->nasset : 1), sizeof *c->ser_aloft);
  c->ser_sea = calloc(ns * sp->nzone, sizeof *c->ser_sea);
  c->prev_aloft = calloc(sp->nasset ? sp->nasset : 1, sizeof *c->prev_aloft);
  c->prev_sea = calloc(sp->nzone, sizeof *c->prev_sea);
  if (!c->z || !c->a || !c->ser_aloft || !c->ser_sea || !c->prev_aloft || !c->prev_sea ||
      zones_init(c) || coast_units_init(c)) {
    coast_free(c);
    return sim_error_set(err, SIM_ENOMEM, "out of memory");
  }
  for (size_t z = 0; z < sp->nzone; z++) {
    if (c->z[z].sp->weather.on) { /* the first weather is there before anyone goes out */
      weather_draw(c, z);
      sim_at(c->s, c->z[z].sp->weather.period_min, ev_weather, c, z);
    }
    next_attempt(c, (int)z, 0);
  }
  schedule_typhoons(c);
  coast_units_start(c);
  *out = c;
  return 0;
}

void coast_free(coast *c) {
  if (!c) return;
  for (size_t z = 0; c->z && z < c->sp->nzone; z++) {
    zone_rt *r = &c->z[z];
    gsl_rng *g[] = {r->arr_rng, r->att_rng, r->det_rng, r->wx_rng};
    for (int k = 0; k < 4; k++)
      if (g[k]) gsl_rng_free(g[k]);
    free(r->act);
    fifo_deinit(&r->wait);
  }
  for (size_t i = 0; c->a && i < c->sp->nasset; i++)
    if (c->a[i].rng) gsl_rng_free(c->a[i].rng);
  free(c->z);
  free(c->a);
  free(c->u);
  free(c->at);
  free(c->ser_aloft);
  free(c->ser_sea);
  free(c->prev_aloft);
  free(c->prev_sea);
  free(c);
}
