/* capacity: the servers each station may run now, from the limits its sources set
 * (capacity.h). A station without staff runs every server its limits allow; a staffed
 * one opens servers as staff start them (staff.c), within those limits; an unlimited
 * station only closes. */
#include <math.h>

#include "models/port/capacity.h"
#include "models/port/flow.h"
#include "models/port/staff.h"

#define EPS 1e-9

void capacity_init(port *p) {
  for (size_t i = 0; i < p->sp->nst; i++) p->st[i].cap.factor = 1;
}

/* Servers the schedule, the units in service and disruptions allow. */
static int allowed(const station_cap *c, const spec_station *sp) {
  int cap = c->sched, units = sp->units - c->failed - c->damaged - c->maint;
  if (units < cap) cap = units;
  cap = (int)floor(cap * c->factor + EPS); /* what disruptions leave */
  return c->closed || cap < 0 ? 0 : cap;
}

static void apply(port *p, int st) {
  station_rt *s = &p->st[st];
  station_cap *c = &p->st[st].cap;
  if (!s->res) { /* unlimited: only a closure stops it; reopening lets the waiting in */
    if (!c->closed) flow_space_freed(p, st);
    return;
  }
  c->equip = allowed(c, s->sp);
  int staffed = station_staffed(s);
  if (c->closed && res_busy(s->res) > 0) { /* a closed station stops at once */
    int n = flow_stop_station(p, st);
    if (staffed) {
      staff_stopped(p, s, n);
      res_set_capacity(s->res, res_busy(s->res));
    }
  }
  if (!staffed)
    res_set_capacity(s->res, c->equip);
  else
    staff_capacity_changed(p, s);
  flow_space_freed(p, st);
}

static void store(station_cap *c, int src, double v) {
  switch (src) {
  case CAP_SRC_SCHEDULE: c->sched = (int)v; break;
  case CAP_SRC_FAILED: c->failed = (int)v; break;
  case CAP_SRC_DAMAGED: c->damaged = (int)v; break;
  case CAP_SRC_MAINT: c->maint = (int)v; break;
  case CAP_SRC_DISRUPT:
    c->factor = v;
    c->closed = v <= 0;
    break;
  default: break;
  }
}

void station_capacity_init_source(port *p, int st, int src, double v) {
  store(&p->st[st].cap, src, v);
}

double station_capacity_source(const port *p, int st, int src) {
  const station_cap *c = &p->st[st].cap;
  switch (src) {
  case CAP_SRC_SCHEDULE: return c->sched;
  case CAP_SRC_FAILED: return c->failed;
  case CAP_SRC_DAMAGED: return c->damaged;
  case CAP_SRC_MAINT: return c->maint;
  case CAP_SRC_DISRUPT: return c->factor;
  case CAP_SRC_STAFF: return p->st[st].res ? res_capacity(p->st[st].res) : -1;
  default: return NAN;
  }
}

void capacity_source_set(port *p, int st, int src, double v) {
  if (src == CAP_SRC_STAFF) {
    res_set_capacity(p->st[st].res, (int)v);
    return;
  }
  store(&p->st[st].cap, src, v);
  apply(p, st);
}

void station_capacity_update(port *p, int st) { apply(p, st); }
