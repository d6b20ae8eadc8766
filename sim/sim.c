/* sim: clock, calendar, run loop and stall guard (see sim.h). */
#include "sim/sim.h"

#include <math.h>
#include <stdlib.h>

#include "sim/calendar_internal.h"
#include "sim/error.h"

#define STALL_WINDOW 4096u /* events of a stalled instant looked at to name the culprit */

typedef struct stall_seen {
  sim_fn fn;
  void *ctx;
  uint64_t n;
} stall_seen;

struct sim {
  calendar *cal;
  double now;
  uint64_t events;
  int stop, fail;
  void *fail_ctx; /* ctx of the event that could not be scheduled */
  uint64_t same;        /* events run in a row at the current instant, minus one */
  uint64_t stall_limit; /* 0: no guard */
  uint64_t stall_watch; /* from this count on, the events are tallied in seen[] */
  stall_seen seen[8];   /* the most frequent handlers of a stalling instant */
  int nseen, stalled;
  cal_fn pf_fn;         /* sim_set_prefetch: the handler whose next event gets pf */
  sim_prefetch_fn pf;
};

sim *sim_new(void) {
  sim *s = calloc(1, sizeof *s);
  if (!s) return NULL;
  s->cal = cal_new(1024);
  if (!s->cal) {
    free(s);
    return NULL;
  }
  sim_set_stall_limit(s, SIM_STALL_LIMIT);
  return s;
}

void sim_free(sim *s) {
  if (!s) return;
  cal_free(s->cal);
  free(s);
}

double sim_now(const sim *s) { return s->now; }
const double *sim_clock(const sim *s) { return &s->now; }

/* The calendar could not grow: the run cannot go on truthfully. */
static void no_memory(sim *s, void *ctx) {
  if (s->fail) return;
  s->fail = SIM_ENOMEM;
  s->fail_ctx = ctx;
}

/* Scheduling beyond the tiny calendar, which can fail (kept apart so that the tiny
 * path needs no stack frame). */
__attribute__((noinline)) static sim_handle at_more(sim *s, double t, sim_fn fn, void *ctx,
                                                    uint64_t arg) {
  sim_handle h = cal_push_fast(s->cal, t, (cal_fn)fn, ctx, arg);
  if (__builtin_expect(!h, 0)) no_memory(s, ctx);
  return h;
}

/* sim_at and sim_after share this body (inlined: one call per scheduled event); t is
 * not NaN and not before the clock. The clock is never before the last event taken
 * (it is that event's time, or a later t_end, and no event is filed before the clock),
 * so no event of a sim is `past` (calendar.h) and the tiny path need not compare. */
static inline sim_handle at(sim *s, double t, sim_fn fn, void *ctx, uint64_t arg) {
  calendar *c = s->cal;
  if (cal_tiny_room(c)) return cal_tiny_push_at(c, t, (cal_fn)fn, ctx, arg, 1);
  return at_more(s, t, fn, ctx, arg);
}

sim_handle sim_at(sim *s, double t, sim_fn fn, void *ctx, uint64_t arg) {
  if (!(t >= s->now)) t = s->now; /* never schedule into the past (also catches NaN) */
  return at(s, t, fn, ctx, arg);
}

/* now + a delay >= 0 is never below now (rounding is monotonic), and NaN became 0. */
sim_handle sim_after(sim *s, double dt, sim_fn fn, void *ctx, uint64_t arg) {
  return at(s, s->now + (dt > 0 ? dt : 0), fn, ctx, arg);
}

int sim_cancel(sim *s, sim_handle h) { return h ? cal_cancel(s->cal, h) : 0; }

int sim_reschedule(sim *s, sim_handle h, double t) {
  return cal_reschedule(s->cal, h, t < s->now ? s->now : t);
}

void sim_set_stall_limit(sim *s, uint64_t limit) {
  s->stall_limit = limit;
  s->stall_watch = !limit ? UINT64_MAX : limit > STALL_WINDOW ? limit - STALL_WINDOW : 0;
}

uint64_t sim_stall_limit(const sim *s) { return s->stall_limit; }

/* Tallies one event of a stalling instant (a few counters, most frequent kept: the
 * handlers of a zero-time loop repeat, so they are the ones that stay). Returns 1 when
 * the limit is reached. */
static int stall_note(sim *s, const slot *ev) {
  if (s->same == (s->stall_watch ? s->stall_watch : 1)) s->nseen = 0; /* a new instant */
  sim_fn fn = (sim_fn)ev->fn;
  int i = 0, least = 0;
  for (; i < s->nseen; i++) {
    if (s->seen[i].fn == fn && s->seen[i].ctx == ev->ctx) break;
    if (s->seen[i].n < s->seen[least].n) least = i;
  }
  if (i < s->nseen) s->seen[i].n++;
  else if (s->nseen < 8) s->seen[s->nseen++] = (stall_seen){fn, ev->ctx, 1};
  else s->seen[least] = (stall_seen){fn, ev->ctx, s->seen[least].n + 1};
  if (s->same < s->stall_limit) return 0;
  s->stalled = 1;
  s->fail = SIM_ESTALL;
  return 1;
}

/* The loop, compiled twice: with the stall guard and without it (limit 0). The guard's
 * counter lives in a register while the loop runs. */
__attribute__((always_inline)) static inline uint64_t run_loop(sim *s, double t_end,
                                                          uint64_t max_events, const int guard) {
  uint64_t ran = 0, cap = max_events ? max_events : UINT64_MAX, same = s->same;
  const uint64_t watch = s->stall_watch;
  double prev = s->now;
  calendar *c = s->cal;
  const slot *ev; /* the event taken: its slot, unchanged until the handler schedules */
  while (ran < cap) {
    int got = cal_pop_loop(c, t_end, &ev);
    if (got <= 0) {
      if (got < 0) s->fail = SIM_ENOMEM;
      else if (t_end > s->now && isfinite(t_end)) s->now = t_end;
      break;
    }
    double t = ev->t;
    if (guard) {
      if (t != prev) {
        same = 0;
        prev = t;
      } else if (++same >= watch) {
        s->same = same;
        if (stall_note(s, ev)) break;
      }
    }
    s->now = t;
    if (s->pf_fn) {
      const slot *nx = cal_peek_fast(c);
      if (nx && nx->fn == s->pf_fn) s->pf(nx->ctx, nx->arg);
    }
    ((sim_fn)ev->fn)(s, ev->ctx, ev->arg);
    ran++;
    if (s->stop | s->fail) break;
  }
  if (guard) s->same = same;
  return ran;
}

uint64_t sim_run_until(sim *s, double t_end, uint64_t max_events) {
  s->stop = 0;
  if (s->fail) return 0;
  uint64_t ran = s->stall_limit ? run_loop(s, t_end, max_events, 1)
                                : run_loop(s, t_end, max_events, 0);
  s->events += ran;
  return ran;
}

void sim_stop(sim *s) { s->stop = 1; }
int sim_stopped(const sim *s) { return s->stop; }
void sim_fail(sim *s, int code) { s->fail = code ? code : -1; }
int sim_failed(const sim *s) { return s->fail; }
void *sim_fail_ctx(const sim *s) { return s->fail_ctx; }

int sim_stall_info(const sim *s, sim_fn *fn, void **ctx, uint64_t *count) {
  if (!s->stalled) return 0;
  int best = 0;
  for (int i = 1; i < s->nseen; i++)
    if (s->seen[i].n > s->seen[best].n) best = i;
  if (fn) *fn = s->nseen ? s->seen[best].fn : NULL;
  if (ctx) *ctx = s->nseen ? s->seen[best].ctx : NULL;
  if (count) *count = s->nseen ? s->seen[best].n : 0;
  return 1;
}

void sim_set_prefetch(sim *s, sim_fn fn, sim_prefetch_fn pf) {
  s->pf_fn = pf ? (cal_fn)fn : NULL;
  s->pf = pf;
}

uint64_t sim_events(const sim *s) { return s->events; }
size_t sim_pending(const sim *s) { return cal_size(s->cal); }
double sim_next_time(const sim *s) { return cal_next_time(s->cal); }
