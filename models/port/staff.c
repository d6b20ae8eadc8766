/* staff: staff pools on their rosters, and who serves where.
 *
 * The officers of a pool are shared by the stations that name it. A station starts a
 * service when an item waits, an equipment unit is idle and each pool it needs has
 * enough free persons (per_server, which may be fractional). Whenever persons or
 * equipment come free, or an item joins a queue, the free persons are handed out at
 * once: with allocation "priority" to the waiting stations in the order of the file,
 * with "demand" to the station whose first waiting item has waited longest. So no
 * officer on duty is idle while a station of the pool has waiting items and idle
 * equipment, and what one station cannot use goes to the next.
 *
 * Persons still serving when their shift ends, or when a disruption takes them, finish
 * their item: they count as on duty until then, and that time as overtime. A station
 * without a pool runs every server its equipment allows. */
#include <math.h>
#include <stdlib.h>

#include "models/port/capacity.h"
#include "models/port/staff.h"

#define EPS 1e-9

/* A staff pool now (one per pool, private to this file). */
typedef struct pool_rt {
  const spec_pool *sp;
  int on_duty, extra;     /* rostered, plus overtime or minus absence (responses) */
  double dis_factor;      /* disruptions: share of the pool able to work (1 normally) */
  double avail;           /* persons able to work now */
  double busy;            /* persons serving now */
  double lent;            /* of busy: persons taken outside the stations (port_staff_take) */
  timeavg on, busy_t;     /* on duty (max of avail and busy) and busy, over time */
  double overtime_min;    /* person-minutes beyond the roster (responses, finishing items) */
  double busy_prev, avail_prev, finishing_since; /* the open finishing interval (or -1) */
  int *members;           /* stations that draw on the pool (file order) */
  size_t nmembers;
} pool_rt;

/* ---- pool levels ---- */

static double pool_free(const pool_rt *pl) { return pl->avail - pl->busy; }

/* Persons on duty: those rostered and able to work, plus those finishing an item. */
static double pool_on_duty(const pool_rt *pl) {
  return pl->busy > pl->avail ? pl->busy : pl->avail;
}

/* Records the pool's levels after a change at the current time. */
static void pool_note(port *p, pool_rt *pl) {
  double now = *p->clock;
  if (pl->finishing_since >= 0)
    pl->overtime_min += (pl->busy_prev - pl->avail_prev) * (now - pl->finishing_since);
  pl->finishing_since = pl->busy > pl->avail + EPS ? now : -1;
  pl->busy_prev = pl->busy;
  pl->avail_prev = pl->avail;
  timeavg_set(&pl->on, now, pool_on_duty(pl));
  timeavg_set(&pl->busy_t, now, pl->busy);
}

static void pool_set_avail(port *p, pool_rt *pl) {
  double a = floor((pl->on_duty + pl->extra) * pl->dis_factor + EPS);
  pl->avail = a < 0 ? 0 : a;
  pool_note(p, pl);
}

/* ---- handing out free persons ---- */

static double need(const station_rt *s, int k) {
  return (s->sp->pool == k ? s->sp->per_server : 0) +
         (s->sp->remote_pool == k ? s->sp->remote_per_server : 0);
}

/* Whether station s can start one more service now. */
static int can_start(const port *p, const station_rt *s) {
  if (!res_queue_len(s->res) || res_busy(s->res) >= station_servers_allowed(s)) return 0;
  if (s->sp->pool >= 0 && pool_free(&p->pool[s->sp->pool]) + EPS < s->sp->per_server) return 0;
  if (s->sp->remote_pool >= 0 &&
      pool_free(&p->pool[s->sp->remote_pool]) + EPS < s->sp->remote_per_server)
    return 0;
  return 1;
}

/* When the first waiting item of a station joined its queue. */
static double head_since(const port *p, const station_rt *s) {
  return job_at(p, (uint32_t)res_queue_at(s->res, 0))->t_enter;
}

/* The station of pool k that gets the next free person(s), or NULL. */
static station_rt *next_station(port *p, const pool_rt *pl) {
  station_rt *best = NULL;
  double best_since = 0;
  for (size_t m = 0; m < pl->nmembers; m++) {
    station_rt *s = &p->st[pl->members[m]];
    if (!can_start(p, s)) continue;
    if (!p->sp->demand_allocation) return s; /* file order */
    double since = head_since(p, s);
    if (!best || since < best_since) best = s, best_since = since;
  }
  return best;
}

static void take_persons(port *p, station_rt *s, double sign) {
  for (int which = 0; which < 2; which++) {
    int k = which ? s->sp->remote_pool : s->sp->pool;
    if (k < 0) continue;
    pool_rt *pl = &p->pool[k];
    pl->busy += sign * (which ? s->sp->remote_per_server : s->sp->per_server);
    if (pl->busy < EPS) pl->busy = 0;
    pool_note(p, pl);
  }
}

/* Whether items wait at s while equipment stands idle (for lack of staff, since free
 * staff are always handed out). */
static void note_short(const port *p, station_rt *s) {
  int v = res_queue_len(s->res) > 0 && res_busy(s->res) < station_servers_allowed(s);
  if (v != (int)s->short_t.last_v) timeavg_set(&s->short_t, *p->clock, v);
}

/* Starts one service at s: the resource grants its first waiting item. */
static void grant_one(port *p, station_rt *s) {
  take_persons(p, s, +1);
  station_capacity_set(p, s->idx, CAP_SRC_STAFF, res_busy(s->res) + 1);
  int busy = res_busy(s->res), equip = station_servers_allowed(s);
  timeavg_set(&s->avail_t, *p->clock, busy > equip ? busy : equip);
  note_short(p, s);
}

void staff_dispatch(port *p, int k) {
  if (k < 0) return;
  station_rt *s;
  while ((s = next_station(p, &p->pool[k]))) grant_one(p, s);
}

static void dispatch_station_pools(port *p, station_rt *s) {
  staff_dispatch(p, s->sp->pool);
  staff_dispatch(p, s->sp->remote_pool);
  note_short(p, s);
}

/* Every pool was handed out before the item came (staff_check's invariant: no member
 * could start), and a longer queue changes only whether s can: so s alone is asked, and
 * at most once (its queue was empty if it can start now). The grants are those a full
 * dispatch would make, without scanning the pools' other stations at every arrival. */
void staff_item_queued(station_rt *s) {
  if (!station_staffed(s)) return;
  if (can_start(s->p, s)) grant_one(s->p, s);
  note_short(s->p, s);
}

int staff_release(station_rt *s, uint64_t token) {
  if (!station_staffed(s)) return 0;
  port *p = s->p;
  res_release_take(s->res, token);
  take_persons(p, s, -1);
  int busy = res_busy(s->res), equip = station_servers_allowed(s);
  if (busy >= equip) timeavg_set(&s->avail_t, *p->clock, busy > equip ? busy : equip);
  dispatch_station_pools(p, s);
  return 1;
}

/* ---- what capacity.c asks of staff ---- */

void staff_stopped(port *p, station_rt *s, int n) {
  for (int k = 0; k < n; k++) take_persons(p, s, -1);
}

void staff_capacity_changed(port *p, station_rt *s) {
  int busy = res_busy(s->res), equip = station_servers_allowed(s);
  timeavg_set(&s->avail_t, *p->clock, busy > equip ? busy : equip);
  dispatch_station_pools(p, s);
}

int station_possible_servers(const port *p, const station_rt *s) {
  if (!s->res) return -1;
  if (!station_staffed(s)) return res_capacity(s->res);
  int busy = res_busy(s->res), idle = station_servers_allowed(s) - busy;
  for (int which = 0; which < 2 && idle > 0; which++) {
    int k = which ? s->sp->remote_pool : s->sp->pool;
    double per = which ? s->sp->remote_per_server : s->sp->per_server;
    if (k < 0) continue;
    double f = pool_free(&p->pool[k]);
    int n = f > 0 ? (int)floor(f / per + EPS) : 0;
    if (n < idle) idle = n;
  }
  return busy + (idle > 0 ? idle : 0);
}

void staff_reallocate(port *p) {
  for (size_t k = 0; k < p->sp->npool; k++) pool_set_avail(p, &p->pool[k]);
  for (size_t i = 0; i < p->sp->nst; i++) station_capacity_update(p, (int)i);
}

/* ---- rosters ---- */

static void ev_roster(sim *sm, void *ctx, uint64_t arg) {
  port *p = ctx;
  size_t k = (size_t)(arg >> 32), i = (size_t)(arg & 0xffffffffu);
  pool_rt *pl = &p->pool[k];
  const spec_pool *sp = pl->sp;
  pl->on_duty = sp->on_duty[i];
  port_log(p, EV_SHIFT, (int)k, pl->on_duty);
  pool_set_avail(p, pl);
  staff_dispatch(p, (int)k);
  size_t n = (i + 1) % sp->nroster;
  double dt = sp->at_min[n] - sp->at_min[i];
  if (n == 0) dt += sp->period_min;
  sim_after(sm, dt, ev_roster, p, port_pack((uint32_t)k, (uint32_t)n));
}

/* ---- lifecycle ---- */

static int add_member(pool_rt *pl, int st) {
  int *m = realloc(pl->members, (pl->nmembers + 1) * sizeof *m);
  if (!m) return -1;
  pl->members = m;
  pl->members[pl->nmembers++] = st;
  return 0;
}

int staff_init(port *p) {
  size_t n = p->sp->npool;
  p->pool = calloc(n ? n : 1, sizeof *p->pool);
  if (!p->pool) return -1;
  for (size_t k = 0; k < n; k++) {
    pool_rt *pl = &p->pool[k];
    pl->sp = &p->sp->pool[k];
    pl->on_duty = pl->sp->nroster ? pl->sp->on_duty[pl->sp->nroster - 1] : pl->sp->size;
    pl->dis_factor = 1;
    pl->finishing_since = -1;
    pl->avail = pl->avail_prev = pl->on_duty;
    timeavg_reset(&pl->on, 0, pl->avail);
    timeavg_reset(&pl->busy_t, 0, 0);
  }
  for (size_t i = 0; i < p->sp->nst; i++) {
    station_rt *s = &p->st[i];
    if (!station_staffed(s)) continue;
    if (s->sp->pool >= 0 && add_member(&p->pool[s->sp->pool], (int)i)) return -1;
    if (s->sp->remote_pool >= 0 && s->sp->remote_pool != s->sp->pool &&
        add_member(&p->pool[s->sp->remote_pool], (int)i))
      return -1;
  }
  return 0;
}

void staff_free(port *p) {
  for (size_t k = 0; p->pool && k < p->sp->npool; k++) free(p->pool[k].members);
  free(p->pool);
}

void staff_start(port *p) {
  for (size_t k = 0; k < p->sp->npool; k++) {
    const spec_pool *sp = p->pool[k].sp;
    if (sp->nroster) sim_at(p->s, sp->at_min[0], ev_roster, p, port_pack((uint32_t)k, 0));
  }
  for (size_t i = 0; i < p->sp->nst; i++) {
    station_rt *s = &p->st[i];
    if (station_staffed(s)) /* servers start as staff are handed out */
      station_capacity_set(p, (int)i, CAP_SRC_STAFF, 0);
  }
}

double staff_busy_persons(const port *p, int k) { return p->pool[k].busy; }
double staff_overtime_min(const port *p, int k) { return p->pool[k].overtime_min; }
double staff_on_integral(const port *p, int k, double t) {
  return timeavg_integral(&p->pool[k].on, t);
}
double staff_busy_integral(const port *p, int k, double t) {
  return timeavg_integral(&p->pool[k].busy_t, t);
}

const char *staff_pool_name(const port *p, const void *ctx) {
  const pool_rt *pl = ctx;
  return pl >= p->pool && pl < p->pool + p->sp->npool ? pl->sp->name : NULL;
}

void staff_kpis(const port *p, kpi_run *k, double now, double span) {
  for (size_t i = 0; i < p->sp->npool; i++) {
    const pool_rt *pl = &p->pool[i];
    kpi_pool *kp = &k->pool[i];
    kp->size = pl->sp->size;
    kp->on_duty_mean = timeavg_mean(&pl->on, now);
    kp->busy_mean = timeavg_mean(&pl->busy_t, now);
    kp->utilization = kp->on_duty_mean > 0 ? kp->busy_mean / kp->on_duty_mean : NAN;
    kp->overtime_h = span > 0 ? pl->overtime_min / 60 : 0;
  }
}
double staff_on_duty_persons(const port *p, int k) { return pool_on_duty(&p->pool[k]); }

int port_staff_take(port *p, int k, double n) {
  pool_rt *pl = &p->pool[k];
  if (pool_free(pl) + EPS < n) return 0;
  pl->busy += n;
  pl->lent += n;
  pool_note(p, pl);
  return 1;
}

void port_staff_give(port *p, int k, double n) {
  pool_rt *pl = &p->pool[k];
  pl->busy -= n;
  pl->lent -= n;
  if (pl->busy < EPS) pl->busy = 0;
  if (pl->lent < EPS) pl->lent = 0;
  pool_note(p, pl);
  staff_dispatch(p, k);
}

void staff_set_present_share(port *p, int k, double share) { p->pool[k].dis_factor = share; }
void staff_add_persons(port *p, int k, int n) { p->pool[k].extra += n; }
void staff_add_overtime(port *p, int k, double person_min) {
  p->pool[k].overtime_min += person_min;
}

double port_staff_free(const port *p, int k) { return pool_free(&p->pool[k]); }
double port_staff_lent(const port *p, int k) { return p->pool[k].lent; }

double staff_busy_exact(const port *p, int k) {
  double busy = p->pool[k].lent;
  for (size_t i = 0; i < p->sp->nst; i++) {
    const station_rt *s = &p->st[i];
    if (s->res) busy += res_busy(s->res) * need(s, k);
  }
  return busy;
}

void staff_measure_start(port *p) {
  double now = *p->clock;
  for (size_t k = 0; k < p->sp->npool; k++) {
    pool_rt *pl = &p->pool[k];
    pool_note(p, pl); /* closes the finishing interval so far */
    pl->overtime_min = 0;
    timeavg_reset(&pl->on, now, pool_on_duty(pl));
    timeavg_reset(&pl->busy_t, now, pl->busy);
  }
  for (size_t i = 0; i < p->sp->nst; i++) {
    station_rt *s = &p->st[i];
    if (!station_staffed(s)) continue;
    int busy = res_busy(s->res), equip = station_servers_allowed(s);
    timeavg_reset(&s->avail_t, now, busy > equip ? busy : equip);
    timeavg_reset(&s->short_t, now, s->short_t.last_v);
  }
}

void staff_close(port *p) {
  for (size_t k = 0; k < p->sp->npool; k++) pool_note(p, &p->pool[k]);
}

int staff_check(const port *p, char *why, size_t n) {
  for (size_t k = 0; k < p->sp->npool; k++) {
    const pool_rt *pl = &p->pool[k];
    double exact = staff_busy_exact(p, (int)k);
    if (fabs(exact - pl->busy) > 1e-6)
      return snprintf(why, n, "pool %s: %.9g persons counted busy, %.9g serving", pl->sp->name,
                      pl->busy, exact);
    if (pl->busy > pl->avail + EPS && pl->finishing_since < 0)
      return snprintf(why, n, "pool %s: %.9g busy, %.9g on duty", pl->sp->name, pl->busy,
                      pl->avail);
    const station_rt *s = next_station((port *)p, pl);
    if (s)
      return snprintf(why, n, "pool %s: free persons while station %s waits at idle equipment",
                      pl->sp->name, s->sp->name);
  }
  for (size_t i = 0; i < p->sp->nst; i++) {
    const station_rt *s = &p->st[i];
    if (!s->res) continue;
    int cap = res_capacity(s->res),
        want = station_staffed(s) ? res_busy(s->res) : station_servers_allowed(s);
    if (cap != want)
      return snprintf(why, n, "station %s: %d servers open, %d allowed", s->sp->name, cap, want);
  }
  return 0;
}
