/* sim: clock, calendar and run loop (see sim.h). */
#include "sim/sim.h"

#include <math.h>
#include <stdlib.h>

#include "sim/error.h"

struct sim {
  calendar *cal;
  double now;
  uint64_t events;
  int stop, fail;
  void *fail_ctx; /* ctx of the event that could not be scheduled */
};

sim *sim_new(void) {
  sim *s = calloc(1, sizeof *s);
  if (!s) return NULL;
  s->cal = cal_new(1024);
  if (!s->cal) {
    free(s);
    return NULL;
  }
  return s;
}

void sim_free(sim *s) {
  if (!s) return;
  cal_free(s->cal);
  free(s);
}

double sim_now(const sim *s) { return s->now; }
const double *sim_clock(const sim *s) { return &s->now; }

sim_handle sim_at(sim *s, double t, sim_fn fn, void *ctx, uint64_t arg) {
  if (!(t >= s->now)) t = s->now; /* never schedule into the past (also catches NaN) */
  sim_handle h = cal_push(s->cal, t, (cal_fn)fn, ctx, arg);
  if (!h && !s->fail) { /* the calendar could not grow: the run cannot go on truthfully */
    s->fail = SIM_ENOMEM;
    s->fail_ctx = ctx;
  }
  return h;
}

sim_handle sim_after(sim *s, double dt, sim_fn fn, void *ctx, uint64_t arg) {
  return sim_at(s, s->now + (dt > 0 ? dt : 0), fn, ctx, arg);
}

int sim_cancel(sim *s, sim_handle h) { return h ? cal_cancel(s->cal, h) : 0; }

int sim_reschedule(sim *s, sim_handle h, double t) {
  return cal_reschedule(s->cal, h, t < s->now ? s->now : t);
}

uint64_t sim_run_until(sim *s, double t_end, uint64_t max_events) {
  uint64_t ran = 0;
  cal_event ev;
  s->stop = 0;
  while (!s->stop && !s->fail && (!max_events || ran < max_events)) {
    if (!(cal_next_time(s->cal) <= t_end)) {
      if (t_end > s->now && isfinite(t_end)) s->now = t_end;
      break;
    }
    cal_pop(s->cal, &ev);
    s->now = ev.t;
    ((sim_fn)ev.fn)(s, ev.ctx, ev.arg);
    ran++;
  }
  s->events += ran;
  return ran;
}

void sim_stop(sim *s) { s->stop = 1; }
int sim_stopped(const sim *s) { return s->stop; }
void sim_fail(sim *s, int code) { s->fail = code ? code : -1; }
int sim_failed(const sim *s) { return s->fail; }
void *sim_fail_ctx(const sim *s) { return s->fail_ctx; }
uint64_t sim_events(const sim *s) { return s->events; }
size_t sim_pending(const sim *s) { return cal_size(s->cal); }
double sim_next_time(const sim *s) { return cal_next_time(s->cal); }
