/* disrupt: disruptions and responses at run time (see disrupt.h). Every change of a
 * disruption's level recomputes what all disruptions together leave of each channel's
 * arrivals, each station's capacity and each pool's staff; the flow and staff code
 * read those factors. Live drills from the viewer (port_intervene) join the same list. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "models/arrivals.h"
#include "models/disrupt.h"
#include "models/port/capacity.h"
#include "models/port/disrupt_rt.h"
#include "models/port/flow.h"
#include "models/port/staff.h"
#include "models/station.h"
#include "sim/rng.h"

#define LIVE_MAX 16

typedef struct dis_rt {
  const dis_item *items[64 + LIVE_MAX]; /* spec disruptions, then live ones */
  double level[64 + LIVE_MAX];
  size_t n, nspec;
  dis_item live[LIVE_MAX];
  size_t nlive;
  int *divert_ch;        /* [n][nch]: channel an arrival is diverted to, or -1 */
  int *fired;            /* per response */
  uint8_t *on;           /* per response: in force now (the viewer) */
  double *baseline;      /* per channel: items in the system before the first disruption */
  double *gate;          /* per channel: share of arrivals let in (1 normally) */
  int *gate_dis;         /* per channel: the disruption deciding about the rest, or -1 */
  double *pool_factor;   /* per pool: share able to work (staff.c gets it) */
  gsl_rng *rng;
} dis_rt;

static int divert_target(const port *p, const dis_item *d, int ch, gsl_rng *r) {
  const spec *sp = p->sp;
  if (!d->ndivert) return -1;
  int to = d->divert_ports[gsl_rng_uniform_int(r, d->ndivert)];
  for (size_t i = 0; i < sp->nch; i++)
    if (sp->ch[i].port == to && sp->ch[i].kind == sp->ch[ch].kind && (int)i != ch) return (int)i;
  return -1;
}

/* What all active disruptions leave of every channel, station and pool. */
static void recompute(port *p) {
  dis_rt *r = p->dis;
  const spec *sp = p->sp;
  for (size_t c = 0; c < sp->nch; c++) r->gate[c] = 1, r->gate_dis[c] = -1;
  for (size_t i = 0; i < sp->nst; i++) p->dst[i].factor = 1, p->dst[i].manual = 1;
  for (size_t k = 0; k < sp->npool; k++) r->pool_factor[k] = 1;
  for (size_t d = 0; d < r->n; d++) {
    const dis_item *it = r->items[d];
    double lv = r->level[d];
    if (lv >= 1) continue;
    int closes = it->kind != DIS_POWER && it->kind != DIS_OUTAGE && it->kind != DIS_STAFF;
    for (size_t c = 0; c < sp->nch; c++)
      if (it->ch[c]) {
        r->gate[c] *= lv;
        r->gate_dis[c] = (int)d;
      }
    for (size_t i = 0; i < sp->nst; i++) {
      if (!it->st[i]) continue;
      dis_station *s = &p->dst[i];
      double mf = sp->st[i].manual_factor;
      int manual = (it->kind == DIS_POWER || it->kind == DIS_OUTAGE) && mf > 0;
      if (manual)
        s->manual = fmax(s->manual, mf); /* slower, by hand */
      else if (closes || it->kind == DIS_POWER || it->kind == DIS_OUTAGE)
        s->factor *= lv;
    }
    for (size_t k = 0; k < sp->npool; k++)
      if (it->pool[k]) r->pool_factor[k] *= lv;
  }
  for (size_t k = 0; k < sp->npool; k++) staff_set_present_share(p, (int)k, r->pool_factor[k]);
  for (size_t i = 0; i < sp->nst; i++)
    station_capacity_set(p, (int)i, CAP_SRC_DISRUPT, p->dst[i].factor);
}

static void release_held(port *p, int ch, double spread) {
  channel_rt *c = &p->ch[ch];
  for (int64_t k = 0; k < c->held; k++)
    sim_after(p->s, spread * gsl_rng_uniform(p->dis->rng), flow_held_arrival, p, (uint64_t)ch);
  c->held_pending += c->held;
  c->held = 0;
}

static void set_level(port *p, size_t d, double lv) {
  dis_rt *r = p->dis;
  double old = r->level[d];
  r->level[d] = lv;
  for (size_t c = 0; old >= 1 && lv < 1 && c < p->sp->nch; c++) /* normal, as it was before */
    if (isnan(p->ch[c].base_release_min)) {
      double m = tally_mean(&p->ch[c].release);
      p->ch[c].base_release_min = isnan(m) ? 0 : m;
    }
  port_log(p,
           lv >= 1    ? EV_DISRUPTION_END
           : old >= 1 ? EV_DISRUPTION_START
                      : EV_INTERVENTION,
           (int)d, lv);
  recompute(p);
  staff_reallocate(p);
  for (size_t c = 0; c < p->sp->nch; c++)
    if (p->ch[c].held && r->gate[c] >= 1) release_held(p, (int)c, r->items[d]->release_spread_min);
}

/* arg: disruption index << 32 | step index (a step past the last ends it). */
static void ev_step(sim *sm, void *ctx, uint64_t arg) {
  (void)sm;
  port *p = ctx;
  size_t d = (size_t)(arg >> 32), k = (size_t)(arg & 0xffffffffu);
  const dis_item *it = p->dis->items[d];
  set_level(p, d, k < it->nsteps ? it->steps[k].level : 1.0);
}

static void ev_damage_repair(sim *sm, void *ctx, uint64_t arg) {
  (void)sm;
  (void)arg;
  station_rt *s = ctx;
  int damaged = (int)station_capacity_source(s->p, s->idx, CAP_SRC_DAMAGED) - 1;
  port_log(s->p, EV_REPAIR, s->idx, station_units_broken(s) - 1);
  station_capacity_set(s->p, s->idx, CAP_SRC_DAMAGED, damaged);
}

static void ev_damage(sim *sm, void *ctx, uint64_t arg) {
  port *p = ctx;
  const dis_item *it = p->dis->items[arg];
  for (size_t k = 0; k < it->ndamage; k++) {
    station_rt *s = &p->st[it->damage[k]];
    int damaged = (int)station_capacity_source(p, s->idx, CAP_SRC_DAMAGED);
    for (int u = 0; u < s->sp->units; u++)
      sim_after(sm, dist_sample(&it->repair, p->dis->rng), ev_damage_repair, s, 0);
    port_log(p, EV_FAILURE, s->idx, station_units_broken(s) + s->sp->units);
    station_capacity_set(p, s->idx, CAP_SRC_DAMAGED, damaged + s->sp->units);
  }
}

/* Typhoon forecast: the closure's arrivals that can come earlier do. */
static void ev_forecast(sim *sm, void *ctx, uint64_t arg) {
  (void)sm;
  port *p = ctx;
  const dis_item *it = p->dis->items[arg];
  double boost = it->lead_min > 0 ? 1 + it->pull_forward * it->dur_min / it->lead_min : 1;
  for (size_t c = 0; c < p->sp->nch; c++)
    if (it->ch[c] && p->ch[c].arr) arrivals_set_factor(p->ch[c].arr, boost);
}

static void ev_forecast_end(sim *sm, void *ctx, uint64_t arg) {
  (void)sm;
  port *p = ctx;
  const dis_item *it = p->dis->items[arg];
  for (size_t c = 0; c < p->sp->nch; c++)
    if (it->ch[c] && p->ch[c].arr) arrivals_set_factor(p->ch[c].arr, 1.0);
}

/* ---- responses ---- */

static void response_apply(port *p, const dis_response *rs, int on) {
  int sign = on ? 1 : -1;
  switch (rs->action) {
  case RESP_OVERTIME:
  case RESP_TELEWORK:
    staff_add_persons(p, rs->pool, sign * rs->persons);
    if (on && rs->action == RESP_OVERTIME) {
      double left = p->t_end - sim_now(p->s);
      staff_add_overtime(p, rs->pool, rs->persons * fmin(rs->dur_min, left > 0 ? left : 0));
    }
    break;
  case RESP_REDEPLOY:
    staff_add_persons(p, rs->pool, sign * rs->persons);
    staff_add_persons(p, rs->from_pool, -sign * rs->persons);
    break;
  case RESP_LOWER: p->dst[rs->station].sel_keep = on ? rs->factor : 1.0; break;
  case RESP_PRIORITISE: p->dst[rs->station].perish_prio = on ? rs->priority : 0; break;
  default: break;
  }
  staff_reallocate(p);
}

/* arg: response index << 1 | (1: start, 0: end). */
static void ev_response(sim *sm, void *ctx, uint64_t arg) {
  port *p = ctx;
  size_t i = (size_t)(arg >> 1);
  const dis_response *rs = &p->sp->dis->r[i];
  port_log(p, (arg & 1) ? EV_RESPONSE_START : EV_RESPONSE_END, (int)i,
           rs->action == RESP_LOWER        ? rs->factor
           : rs->action == RESP_PRIORITISE ? rs->priority
                                           : rs->persons);
  response_apply(p, rs, (int)(arg & 1));
  p->dis->on[i] = (uint8_t)(arg & 1);
  if (arg & 1) sim_after(sm, rs->dur_min, ev_response, p, (uint64_t)i << 1);
}

static void fire(port *p, size_t i) {
  dis_rt *r = p->dis;
  if (r->fired[i]) return;
  r->fired[i] = 1;
  sim_after(p->s, p->sp->dis->r[i].after_min, ev_response, p, ((uint64_t)i << 1) | 1);
}

static void ev_trigger(sim *sm, void *ctx, uint64_t arg) {
  (void)sm;
  fire(ctx, (size_t)arg);
}

void disrupt_on_sample(port *p) {
  dis_rt *r = p->dis;
  const disrupt_spec *ds = p->sp->dis;
  double first = disrupt_first_start(p);
  for (size_t c = 0; c < p->sp->nch; c++)
    if (sim_now(p->s) <= first)
      r->baseline[c] = 0.9 * r->baseline[c] + 0.1 * (double)p->ch[c].in_system;
  for (size_t i = 0; i < ds->nr; i++) {
    const dis_response *rs = &ds->r[i];
    if (rs->channel >= 0 && !r->fired[i] &&
        (double)p->ch[rs->channel].in_system - r->baseline[rs->channel] > rs->above)
      fire(p, i);
  }
}

/* ---- arrivals ---- */

int disrupt_gate(port *p, int ch) {
  dis_rt *r = p->dis;
  if (r->gate[ch] >= 1) return 1;
  channel_rt *c = &p->ch[ch];
  if (rng_uniform(r->rng) < r->gate[ch]) return 1;
  const dis_item *it = r->items[r->gate_dis[ch]];
  if (it->kind == DIS_TYPHOON && rng_uniform(r->rng) < it->pull_forward) {
    c->pulled++; /* it came before the closure */
    return 0;
  }
  int mode = it->arrivals;
  if (mode == DIS_DIVERT && rng_uniform(r->rng) < it->divert_share) {
    int to = r->divert_ch[(size_t)r->gate_dis[ch] * p->sp->nch + (size_t)ch];
    if (to < 0) to = divert_target(p, it, ch, r->rng);
    if (to >= 0) { /* it came to the door and was sent on: an arrival that left diverted */
      if (p->measuring) c->arrived++;
      c->diverted_out++;
      sim_after(p->s, it->divert_delay_min, flow_diverted_arrival, p, (uint64_t)to);
      return 0;
    }
  }
  if (mode == DIS_CANCEL) {
    c->cancelled++; /* it never comes: not an arrival */
  } else { /* it waits at the door until the port reopens: in the system from now on */
    c->held++;
    if (p->measuring) c->arrived++;
    flow_insys_add(p, ch, 1);
  }
  return 0;
}

/* ---- lifecycle ---- */

double disrupt_first_start(const port *p) {
  double t = INFINITY;
  for (size_t i = 0; p->dis && i < p->dis->nspec; i++) t = fmin(t, p->dis->items[i]->start_min);
  return t;
}

const dis_item *disrupt_item(const port *p, int i, int *n) {
  *n = (int)p->dis->n;
  return i >= 0 && (size_t)i < p->dis->n ? p->dis->items[i] : NULL;
}

static void schedule(port *p, size_t d) {
  const dis_item *it = p->dis->items[d];
  for (size_t k = 0; k <= it->nsteps; k++) {
    double t = it->start_min + (k < it->nsteps ? it->steps[k].after_min : it->dur_min);
    sim_at(p->s, t, ev_step, p, ((uint64_t)d << 32) | k);
  }
  if (it->ndamage) sim_at(p->s, it->start_min, ev_damage, p, d);
  if (it->kind == DIS_TYPHOON && it->lead_min > 0) {
    sim_at(p->s, fmax(0, it->start_min - it->lead_min), ev_forecast, p, d);
    sim_at(p->s, it->start_min, ev_forecast_end, p, d);
  }
}

int disrupt_init(port *p) {
  const disrupt_spec *ds = p->sp->dis;
  dis_rt *r = calloc(1, sizeof *r);
  if (!r) return -1;
  p->dis = r;
  size_t nch = p->sp->nch ? p->sp->nch : 1, n = ds ? ds->n : 0;
  if (n > 64) n = 64;
  r->divert_ch = malloc((n + LIVE_MAX) * nch * sizeof *r->divert_ch);
  r->fired = calloc(ds && ds->nr ? ds->nr : 1, sizeof *r->fired);
  r->on = calloc(ds && ds->nr ? ds->nr : 1, sizeof *r->on);
  r->baseline = calloc(nch, sizeof *r->baseline);
  r->gate = calloc(nch, sizeof *r->gate);
  r->gate_dis = calloc(nch, sizeof *r->gate_dis);
  r->pool_factor = calloc(p->sp->npool ? p->sp->npool : 1, sizeof *r->pool_factor);
  p->dst = calloc(p->sp->nst ? p->sp->nst : 1, sizeof *p->dst);
  r->rng = rng_stream_new(p->seed, p->rep, "disruptions");
  if (!r->divert_ch || !r->fired || !r->on || !r->baseline || !r->gate || !r->gate_dis ||
      !r->pool_factor || !p->dst || !r->rng)
    return -1;
  for (size_t i = 0; i < (n + LIVE_MAX) * nch; i++) r->divert_ch[i] = -1;
  for (size_t d = 0; d < n; d++) {
    r->items[d] = &ds->d[d];
    r->level[d] = 1;
  }
  r->n = r->nspec = n;
  for (size_t c = 0; c < p->sp->nch; c++) r->gate[c] = 1, r->gate_dis[c] = -1;
  for (size_t i = 0; i < p->sp->nst; i++) {
    p->dst[i].factor = p->dst[i].manual = p->dst[i].sel_keep = 1;
    p->st[i].dis = &p->dst[i]; /* the station's pointer to its row */
  }
  for (size_t k = 0; k < p->sp->npool; k++) r->pool_factor[k] = 1;
  for (size_t d = 0; d < n; d++) schedule(p, d);
  for (size_t i = 0; ds && i < ds->nr; i++)
    if (ds->r[i].on >= 0) sim_at(p->s, ds->d[ds->r[i].on].start_min, ev_trigger, p, i);
  return 0;
}

void disrupt_free(port *p) {
  dis_rt *r = p->dis;
  if (!r) return;
  for (size_t i = 0; i < r->nlive; i++) {
    free(r->live[i].steps);
    free(r->live[i].ch);
    free(r->live[i].st);
    free(r->live[i].pool);
  }
  free(r->divert_ch);
  free(r->fired);
  free(r->on);
  free(r->baseline);
  free(r->gate);
  free(r->gate_dis);
  free(r->pool_factor);
  free(p->dst);
  p->dst = NULL;
  if (r->rng) gsl_rng_free(r->rng);
  free(r);
  p->dis = NULL;
}

/* ---- live drills ---- */

static int live_kind(const char *kind) {
  if (!strcmp(kind, "closure")) return DIS_CLOSURE;
  if (!strcmp(kind, "outage")) return DIS_OUTAGE;
  if (!strcmp(kind, "staff_shortage")) return DIS_STAFF;
  if (!strcmp(kind, "power")) return DIS_POWER;
  return dis_kind_from_name(kind);
}

/* Marks what a live drill acts on: everything of its kind, or one named port, channel,
 * station or pool. */
static int live_targets(port *p, dis_item *d, const char *target) {
  const spec *sp = p->sp;
  int all = !target || !*target;
  int pt = -1, k;
  for (size_t i = 0; !all && i < sp->nports; i++)
    if (!strcmp(sp->ports[i], target)) pt = (int)i;
  if (!all && pt < 0) {
    if ((k = spec_channel_index(sp, target)) >= 0) d->ch[k] = 1;
    else if ((k = spec_station_index(sp, target)) >= 0) d->st[k] = 1;
    else if ((k = spec_pool_index(sp, target)) >= 0) d->pool[k] = 1;
    else return -1;
  }
  int closes = d->kind == DIS_CLOSURE;
  for (size_t i = 0; i < sp->nch; i++)
    if ((all || sp->ch[i].port == pt) && closes) d->ch[i] = 1;
  for (size_t i = 0; i < sp->nst; i++) {
    int t = sp->st[i].type, in = all || sp->st[i].port == pt;
    if (in && d->kind == DIS_OUTAGE &&
        (t == ST_RISK || t == ST_DOCUMENTS || t == ST_EGATE || t == ST_PAYMENT))
      d->st[i] = 1;
    if (in && d->kind == DIS_POWER &&
        (t == ST_XRAY || t == ST_CONTAINER_XRAY || t == ST_CT || t == ST_NQR || t == ST_EGATE))
      d->st[i] = 1;
  }
  for (size_t c = 0; closes && c < sp->nch; c++)
    for (size_t j = 0; d->ch[c] && j < sp->ch[c].nroute; j++) d->st[sp->ch[c].route[j]] = 1;
  for (size_t i = 0; i < sp->npool; i++)
    if ((all || sp->pool[i].port == pt) && d->kind == DIS_STAFF) d->pool[i] = 1;
  return 0;
}

static int surge(port *p, const char *target, double level, sim_error *err) {
  int any = 0;
  for (size_t c = 0; c < p->sp->nch; c++)
    if (!target || !*target || !strcmp(p->sp->ch[c].name, target) ||
        !strcmp(p->sp->ports[p->sp->ch[c].port], target)) {
      arrivals_set_factor(p->ch[c].arr, level);
      any = 1;
    }
  return any ? 0
             : sim_error_set(err, SIM_EINVAL, "surge: unknown target '%s'", target ? target : "");
}

int port_intervene(port *p, const char *kind, const char *target, double level, sim_error *err) {
  dis_rt *r = p->dis;
  if (!strcmp(kind, "end")) {
    for (size_t d = r->nspec; d < r->n; d++)
      if (r->level[d] < 1) set_level(p, d, 1.0);
    surge(p, NULL, 1.0, err);
    return 0;
  }
  if (!strcmp(kind, "surge")) return surge(p, target, level > 0 ? level : 2.0, err);
  int k = live_kind(kind);
  if (k < 0)
    return sim_error_set(err, SIM_EINVAL,
                         "unknown drill '%s' (closure, outage, staff_shortage, power, surge, end)",
                         kind);
  if (r->nlive == LIVE_MAX)
    return sim_error_set(err, SIM_EINVAL, "too many live drills (%d)", LIVE_MAX);
  dis_item *d = &r->live[r->nlive];
  memset(d, 0, sizeof *d);
  d->name = NULL; /* "live drill" */
  d->kind = k;
  d->rto_min = d->mtpd_min = d->mbco = NAN;
  d->start_min = sim_now(p->s);
  d->dur_min = INFINITY;
  d->arrivals = DIS_HOLD;
  d->release_spread_min = 360;
  d->ch = calloc(p->sp->nch ? p->sp->nch : 1, 1);
  d->st = calloc(p->sp->nst ? p->sp->nst : 1, 1);
  d->pool = calloc(p->sp->npool ? p->sp->npool : 1, 1);
  d->steps = calloc(1, sizeof *d->steps);
  if (!d->ch || !d->st || !d->pool || !d->steps)
    return sim_error_set(err, SIM_ENOMEM, "out of memory");
  d->steps[0] = (dis_step){0, level < 0 ? 0 : level > 1 ? 1 : level};
  d->nsteps = 1;
  r->nlive++;
  if (live_targets(p, d, target))
    return sim_error_set(err, SIM_EINVAL, "%s: unknown target '%s'", kind, target);
  size_t i = r->n++;
  r->items[i] = d;
  r->level[i] = 1;
  set_level(p, i, d->steps[0].level);
  return 0;
}

int disrupt_active(const port *p, const char **name, double *since_min, double *rto_h) {
  const dis_rt *r = p->dis;
  for (size_t d = 0; r && d < r->n; d++)
    if (r->level[d] < 1) {
      const dis_item *it = r->items[d];
      *name = it->name ? it->name : "live drill";
      *since_min = it->start_min;
      *rto_h = isnan(it->rto_min) ? NAN : it->rto_min / 60;
      return 1;
    }
  return 0;
}

int disrupt_active_index(const port *p, double *level) {
  const dis_rt *r = p->dis;
  for (size_t d = 0; r && d < r->n; d++)
    if (r->level[d] < 1) {
      *level = r->level[d];
      return (int)d;
    }
  *level = 1;
  return -1;
}

int disrupt_response_on(const port *p, int i) {
  const disrupt_spec *ds = p->sp->dis;
  return p->dis && ds && i >= 0 && (size_t)i < ds->nr ? p->dis->on[i] : 0;
}

double disrupt_gate_level(const port *p, int ch) { return p->dis ? p->dis->gate[ch] : 1; }

/* A channel's items in the port before the first disruption (exponentially weighted). */
double disrupt_baseline(const port *p, int ch) { return p->dis ? p->dis->baseline[ch] : 0; }
