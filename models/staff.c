/* staff: staff pools on their rosters, their spread over the stations that need them,
 * and what a station can run: capacity = min(scheduled servers, working equipment
 * units, servers its staff can man, remote experts). Equipment breakdowns and
 * maintenance windows live here too, as they change the same capacity. */
#include <limits.h>
#include <math.h>
#include <stdlib.h>

#include "models/dog.h"
#include "models/port_internal.h"

static void allocate_all(port *p);

void station_update_capacity(station_rt *s) {
  if (!s->res) { /* unlimited: only a closure stops it; reopening lets the waiting in */
    if (!s->closed) flow_space_freed(s->p, s->idx);
    return;
  }
  const spec_station *sp = s->sp;
  int cap = s->sched;
  int units = sp->units - s->down - s->maint_down;
  if (units < cap) cap = units;
  if (sp->pool >= 0 && s->staff_servers < cap) cap = s->staff_servers;
  if (sp->remote_pool >= 0 && s->remote_servers < cap) cap = s->remote_servers;
  cap = (int)floor(cap * s->dis_factor + 1e-9); /* what disruptions leave */
  if (s->closed) cap = 0;
  res_set_capacity(s->res, cap < 0 ? 0 : cap);
  flow_space_freed(s->p, s->idx);
}

/* Servers a station could use if fully staffed. */
static int wanted_servers(const station_rt *s) {
  int w = s->sched, units = s->sp->units - s->down - s->maint_down;
  return units < w ? (units < 0 ? 0 : units) : w;
}

/* Demand weight of a station: what it is doing and what waits for it. */
static double demand(const port *p, const station_rt *s) {
  return 1.0 + flow_station_present(p, s->idx);
}

/* Spreads pool k's persons on duty over its stations. */
static void allocate_pool(port *p, int k, int remote) {
  pool_rt *pl = &p->pool[k];
  double avail = floor((pl->on_duty + pl->extra) * pl->dis_factor + 1e-9);
  if (avail < 0) avail = 0;
  size_t n = p->sp->nst;
  double total_demand = 0;
  for (size_t i = 0; i < n; i++) {
    station_rt *s = &p->st[i];
    if ((remote ? s->sp->remote_pool : s->sp->pool) == k) total_demand += demand(p, s);
  }
  for (size_t i = 0; i < n; i++) {
    station_rt *s = &p->st[i];
    int pool = remote ? s->sp->remote_pool : s->sp->pool;
    if (pool != k) continue;
    double per = remote ? s->sp->remote_per_server : s->sp->per_server;
    double need = wanted_servers(s) * per, give;
    if (p->sp->demand_allocation && total_demand > 0)
      give = fmin(need, floor(avail * demand(p, s) / total_demand + 1e-9));
    else
      give = fmin(need, avail);
    if (!p->sp->demand_allocation) avail -= give;
    int servers = (int)floor(give / per + 1e-9);
    if (remote)
      s->remote_servers = servers;
    else {
      s->staff_servers = servers;
      s->alloc = give;
    }
  }
}

void staff_reallocate(port *p);
void staff_reallocate(port *p) {
  for (size_t k = 0; k < p->sp->npool; k++)
    timeavg_set(&p->pool[k].on, sim_now(p->s), (p->pool[k].on_duty + p->pool[k].extra) * p->pool[k].dis_factor);
  allocate_all(p);
}

static void allocate_all(port *p) {
  for (size_t k = 0; k < p->sp->npool; k++) {
    allocate_pool(p, (int)k, 0);
    allocate_pool(p, (int)k, 1);
  }
  for (size_t i = 0; i < p->sp->nst; i++) station_update_capacity(&p->st[i]);
}

static void ev_roster(sim *sm, void *ctx, uint64_t arg) {
  pool_rt *pl = ctx;
  const spec_pool *sp = pl->sp;
  size_t i = (size_t)arg;
  pl->on_duty = sp->on_duty[i];
  size_t n = (i + 1) % sp->nroster;
  double dt = sp->at_min[n] - sp->at_min[i];
  if (n == 0) dt += sp->period_min;
  sim_after(sm, dt, ev_roster, pl, n);
}

/* The pool's roster events carry the pool; a port-level event re-allocates. */
static void ev_allocate(sim *sm, void *ctx, uint64_t arg) {
  (void)sm;
  (void)arg;
  port *p = ctx;
  for (size_t k = 0; k < p->sp->npool; k++)
    timeavg_set(&p->pool[k].on, sim_now(p->s), p->pool[k].on_duty + p->pool[k].extra);
  allocate_all(p);
}

static void ev_shift_alloc(sim *sm, void *ctx, uint64_t arg) {
  port *p = ctx;
  ev_allocate(sm, ctx, arg);
  port_log(p, EV_SHIFT, (int)(arg >> 32), p->pool[arg >> 32].on_duty);
  sim_after(sm, p->sp->pool[arg >> 32].period_min, ev_shift_alloc, p, arg);
}

static void ev_rebalance(sim *sm, void *ctx, uint64_t arg) {
  port *p = ctx;
  ev_allocate(sm, ctx, arg);
  sim_after(sm, p->sp->rebalance_min, ev_rebalance, p, 0);
}

/* ---- equipment ---- */

static void ev_repair(sim *sm, void *ctx, uint64_t arg);

static void ev_fail(sim *sm, void *ctx, uint64_t arg) {
  station_rt *s = ctx;
  s->down++;
  port_log(s->p, EV_FAILURE, s->idx, s->down);
  station_update_capacity(s);
  sim_after(sm, dist_sample(&s->sp->repair, s->fail_rng), ev_repair, s, arg);
}

static void ev_repair(sim *sm, void *ctx, uint64_t arg) {
  station_rt *s = ctx;
  s->down--;
  port_log(s->p, EV_REPAIR, s->idx, s->down);
  station_update_capacity(s);
  sim_after(sm, dist_sample(&s->sp->ttf, s->fail_rng), ev_fail, s, arg);
}

static void ev_maint(sim *sm, void *ctx, uint64_t arg) {
  station_rt *s = ctx;
  port_log(s->p, arg ? EV_MAINT_START : EV_MAINT_END, s->idx, s->sp->maint_units);
  if (arg) { /* window starts */
    s->maint_down += s->sp->maint_units;
    sim_after(sm, s->sp->maint_dur_min, ev_maint, s, 0);
  } else {
    s->maint_down -= s->sp->maint_units;
    sim_after(sm, s->sp->maint_period_min - s->sp->maint_dur_min, ev_maint, s, 1);
  }
  station_update_capacity(s);
}

static void ev_sched(sim *sm, void *ctx, uint64_t arg) {
  station_rt *s = ctx;
  const spec_station *sp = s->sp;
  size_t i = (size_t)arg;
  s->sched = sp->sched_servers[i];
  station_update_capacity(s);
  size_t n = (i + 1) % sp->nsched;
  double dt = sp->sched_at_min[n] - sp->sched_at_min[i];
  if (n == 0) dt += sp->sched_period_min;
  sim_after(sm, dt, ev_sched, s, n);
}

/* A dog team switches between searching and resting: the station's schedule is the
 * number of teams searching. */
static void ev_dog(sim *sm, void *ctx, uint64_t arg) {
  station_rt *s = ctx;
  double now = sim_now(sm);
  int working = 0;
  for (int k = 0; k < s->ndogs; k++) {
    dog_advance(s->dogs[k], now);
    working += dog_is_working(s->dogs[k]);
  }
  s->sched = working;
  station_update_capacity(s);
  struct dog *d = s->dogs[arg];
  double next = dog_next_change_min(d);
  sim_at(sm, next > now ? next : now + 1e-6, ev_dog, s, arg);
}

int staff_init(port *p) {
  size_t n = p->sp->npool;
  p->pool = calloc(n ? n : 1, sizeof *p->pool);
  if (!p->pool) return -1;
  size_t ns = p->nsamples ? p->nsamples : 1;
  for (size_t k = 0; k < n; k++) {
    pool_rt *pl = &p->pool[k];
    pl->sp = &p->sp->pool[k];
    pl->on_duty = pl->sp->nroster ? pl->sp->on_duty[pl->sp->nroster - 1] : pl->sp->size;
    timeavg_reset(&pl->on, 0, pl->on_duty);
    pl->s_on = calloc(ns, sizeof *pl->s_on);
    pl->s_busy = calloc(ns, sizeof *pl->s_busy);
    if (!pl->s_on || !pl->s_busy) return -1;
  }
  for (size_t i = 0; i < p->sp->nst; i++) {
    station_rt *s = &p->st[i];
    s->sched = s->sp->nsched ? s->sp->sched_servers[s->sp->nsched - 1] : s->sp->servers;
    s->staff_servers = s->remote_servers = INT_MAX;
  }
  return 0;
}

void staff_free(port *p) {
  for (size_t k = 0; p->pool && k < p->sp->npool; k++) {
    free(p->pool[k].s_on);
    free(p->pool[k].s_busy);
  }
  free(p->pool);
}

void staff_start(port *p) {
  for (size_t k = 0; k < p->sp->npool; k++) {
    const spec_pool *sp = p->pool[k].sp;
    if (!sp->nroster) continue;
    sim_at(p->s, sp->at_min[0], ev_roster, &p->pool[k], 0);
    /* re-allocate after every shift change: scheduled after the roster event, so it
     * runs second at equal times, and repeated every period */
    for (size_t i = 0; i < sp->nroster; i++) sim_at(p->s, sp->at_min[i], ev_shift_alloc, p, port_pack((uint32_t)k, (uint32_t)i));
  }
  for (size_t i = 0; i < p->sp->nst; i++) {
    station_rt *s = &p->st[i];
    const spec_station *sp = s->sp;
    if (sp->nsched) sim_at(p->s, sp->sched_at_min[0], ev_sched, s, 0);
    if (sp->has_failures)
      for (int u = 0; u < sp->units; u++) sim_at(p->s, dist_sample(&sp->ttf, s->fail_rng), ev_fail, s, (uint64_t)u);
    if (sp->maint_dur_min > 0) sim_at(p->s, sp->maint_at_min, ev_maint, s, 1);
    for (int k = 0; k < s->ndogs; k++) sim_at(p->s, 0, ev_dog, s, (uint64_t)k);
  }
  allocate_all(p);
  if (p->sp->npool) sim_at(p->s, p->sp->rebalance_min, ev_rebalance, p, 0);
}

double staff_busy_persons(const port *p, int k) {
  double busy = 0;
  for (size_t i = 0; i < p->sp->nst; i++) {
    const station_rt *s = &p->st[i];
    int b = s->res ? res_busy(s->res) : 0;
    if (s->sp->pool == k) busy += b * s->sp->per_server;
    if (s->sp->remote_pool == k) busy += b * s->sp->remote_per_server;
  }
  return busy;
}
