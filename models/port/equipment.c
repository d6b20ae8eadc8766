/* equipment: what a station's machines and schedules let it run: equipment breakdowns
 * and repairs, maintenance windows, server schedules and detection-dog work bouts.
 * Each sets its own limit through station_capacity_set (capacity.c), which decides how
 * many servers can work. */
#include "models/dog.h"
#include "models/port/capacity.h"
#include "models/port/equipment.h"

static void ev_repair(sim *sm, void *ctx, uint64_t arg);

/* Units broken down at s change by delta: logged, then the capacity follows. */
static void units_failed(station_rt *s, int delta, int kind) {
  port *p = s->p;
  int failed = (int)station_capacity_source(p, s->idx, CAP_SRC_FAILED) + delta;
  port_log(p, kind, s->idx, station_units_broken(s) + delta);
  station_capacity_set(p, s->idx, CAP_SRC_FAILED, failed);
}

static void ev_fail(sim *sm, void *ctx, uint64_t arg) {
  station_rt *s = ctx;
  units_failed(s, +1, EV_FAILURE);
  sim_after(sm, dist_sample(&s->sp->repair, s->fail_rng), ev_repair, s, arg);
}

static void ev_repair(sim *sm, void *ctx, uint64_t arg) {
  station_rt *s = ctx;
  units_failed(s, -1, EV_REPAIR);
  sim_after(sm, dist_sample(&s->sp->ttf, s->fail_rng), ev_fail, s, arg);
}

static void ev_maint(sim *sm, void *ctx, uint64_t arg) {
  station_rt *s = ctx;
  int maint = (int)station_capacity_source(s->p, s->idx, CAP_SRC_MAINT);
  port_log(s->p, arg ? EV_MAINT_START : EV_MAINT_END, s->idx, s->sp->maint_units);
  if (arg) { /* window starts */
    maint += s->sp->maint_units;
    sim_after(sm, s->sp->maint_dur_min, ev_maint, s, 0);
  } else {
    maint -= s->sp->maint_units;
    sim_after(sm, s->sp->maint_period_min - s->sp->maint_dur_min, ev_maint, s, 1);
  }
  station_capacity_set(s->p, s->idx, CAP_SRC_MAINT, maint);
}

static void ev_sched(sim *sm, void *ctx, uint64_t arg) {
  station_rt *s = ctx;
  const spec_station *sp = s->sp;
  size_t i = (size_t)arg;
  station_capacity_set(s->p, s->idx, CAP_SRC_SCHEDULE, sp->sched_servers[i]);
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
  station_capacity_set(s->p, s->idx, CAP_SRC_SCHEDULE, working);
  struct dog *d = s->dogs[arg];
  double next = dog_next_change_min(d);
  sim_at(sm, next > now ? next : now + 1e-6, ev_dog, s, arg);
}

void equipment_init(station_rt *s) {
  int servers = s->sp->nsched ? s->sp->sched_servers[s->sp->nsched - 1] : s->sp->servers;
  station_capacity_init_source(s->p, s->idx, CAP_SRC_SCHEDULE, servers);
}

void equipment_start(station_rt *s) {
  port *p = s->p;
  const spec_station *sp = s->sp;
  if (sp->nsched) sim_at(p->s, sp->sched_at_min[0], ev_sched, s, 0);
  if (sp->has_failures)
    for (int u = 0; u < sp->units; u++)
      sim_at(p->s, dist_sample(&sp->ttf, s->fail_rng), ev_fail, s, (uint64_t)u);
  if (sp->maint_dur_min > 0) sim_at(p->s, sp->maint_at_min, ev_maint, s, 1);
  for (int k = 0; k < s->ndogs; k++) sim_at(p->s, 0, ev_dog, s, (uint64_t)k);
}
