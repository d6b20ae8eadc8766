/* bench_engine: the engine's speed. The M/M/4 queue of the foundation issue (lambda
 * 3.6/min, mu 1/min, 1,000,000 departures) three ways: a hand-written loop (the
 * ceiling), the engine API (sim + resource), and the whole scenario path on
 * scenarios/validation/mmc.cfg; the stall guard's cost (the API run without it); then
 * the calendar hold benchmark at 1e3..1e6 pending events against the 4-ary heap the
 * engine used before. Every figure also as a name=value line. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>

#include "models/experiment.h"
#include "models/port.h"
#include "models/scenario/scenario.h"
#include "models/scenario/spec.h"
#include "sim/calendar.h"
#include "sim/resource.h"
#include "sim/rng.h"
#include "tests/bench/bench.h"
#include "tests/bench/bench_heap4.h"

#define DEPARTURES 1000000L
#define MM_REPS 5

/* The M/M/4 paths are timed in this thread's CPU time: on a shared, loaded machine the
 * time spent descheduled would otherwise swamp the ratios. */
static double cpu_now(void) {
  struct timespec ts;
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
  return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}
#define LAMBDA 3.6
#define SERVERS 4

/* ---- a hand-written loop: next arrival plus a tiny heap of departure times ---- */
static double handwritten(long *events) {
  gsl_rng *r = rng_stream_new(1, 0, "hand");
  double dep[SERVERS], t_arr = rng_exponential(r, 1 / LAMBDA);
  int busy = 0;
  long queue = 0, done = 0, ev = 0;
  double t0 = cpu_now();
  while (done < DEPARTURES) {
    int k = -1; /* earliest departure */
    for (int i = 0; i < busy; i++)
      if (k < 0 || dep[i] < dep[k]) k = i;
    ev++;
    if (k >= 0 && dep[k] < t_arr) {
      double now = dep[k];
      done++;
      if (queue > 0) {
        queue--;
        dep[k] = now + rng_exponential(r, 1.0);
      } else {
        dep[k] = dep[--busy];
      }
    } else {
      double now = t_arr;
      t_arr = now + rng_exponential(r, 1 / LAMBDA);
      if (busy < SERVERS)
        dep[busy++] = now + rng_exponential(r, 1.0);
      else
        queue++;
    }
  }
  double dt = cpu_now() - t0;
  gsl_rng_free(r);
  *events = ev;
  return dt;
}

/* ---- the engine API: events and a resource ---- */
typedef struct mm {
  sim *s;
  resource *res;
  gsl_rng *arr, *svc;
  long done;
} mm;

static void ev_dep(sim *s, void *ctx, uint64_t tok);

static void on_grant(void *ctx, uint64_t tok, double waited) {
  (void)waited;
  mm *m = ctx;
  sim_after(m->s, rng_exponential(m->svc, 1.0), ev_dep, m, tok);
}

static void ev_dep(sim *s, void *ctx, uint64_t tok) {
  mm *m = ctx;
  res_release(m->res, tok);
  if (++m->done >= DEPARTURES) sim_stop(s);
}

static void ev_arr(sim *s, void *ctx, uint64_t tok) {
  mm *m = ctx;
  sim_after(s, rng_exponential(m->arr, 1 / LAMBDA), ev_arr, m, tok + 1);
  if (res_request(m->res, tok, 0) == RES_STARTED) on_grant(m, tok, 0);
}

static double engine_api(long *events, int guard) {
  mm m = {sim_new(), NULL, rng_stream_new(1, 0, "a"), rng_stream_new(1, 0, "s"), 0};
  if (!guard) sim_set_stall_limit(m.s, 0);
  m.res = res_new(m.s, SERVERS, RES_FIFO, -1, 0, (res_callbacks){on_grant, NULL}, &m);
  sim_at(m.s, 0, ev_arr, &m, 0);
  double t0 = cpu_now();
  sim_run_until(m.s, INFINITY, 0);
  double dt = cpu_now() - t0;
  *events = (long)sim_events(m.s);
  res_free(m.res);
  gsl_rng_free(m.arr);
  gsl_rng_free(m.svc);
  sim_free(m.s);
  return dt;
}

/* ---- the scenario path: mmc.cfg for as many days as 1e6 departures take ---- */
static double scenario_path(long *events, long *released) {
  char days[64];
  snprintf(days, sizeof days, "output.sample_min=0");
  const char *sets[] = {days};
  scenario *sc = NULL;
  spec *sp = NULL;
  sim_error err = {0};
  double d = DEPARTURES / (LAMBDA * 1440.0);
  if (scenario_load(&sc, "scenarios/validation/mmc.cfg", sets, 1, d, &err) ||
      spec_build(&sp, sc, &err)) {
    fprintf(stderr, "bench: %s\n", err.msg);
    scenario_free(sc);
    return NAN;
  }
  kpi_run k = {0};
  port *p = NULL;
  double t0 = cpu_now();
  port_new(&p, sp, 1, 0, &err);
  port_run(p, NULL, NULL, NULL, &err);
  port_kpis_final(p, &k, &err); /* as a run ends: the frames handed over, not copied */
  double dt = cpu_now() - t0;
  *events = (long)k.events;
  *released = (long)(k.ch[0].released + k.ch[0].in_system_start);
  port_free(p);
  kpi_run_free(&k);
  spec_free(sp);
  scenario_free(sc);
  return dt;
}

static void nop(void) {}

/* Hold: pop the earliest event, push one at t + Exp(n), with n pending; the calendar
 * (old = 1: the 4-ary heap it replaced) gets the same draws. Seconds for ops holds. */
static double hold(long n, long ops, int old) {
  calendar *c = old ? NULL : cal_new((size_t)n);
  h4cal *h = old ? h4_new((size_t)n) : NULL;
  gsl_rng *r = rng_stream_new(3, 0, "hold");
  for (long i = 0; i < n; i++) {
    double t = rng_exponential(r, (double)n);
    if (old) h4_push(h, t, nop, NULL, 0);
    else cal_push(c, t, nop, NULL, 0);
  }
  cal_event ev;
  double t0 = bench_now();
  if (old) {
    for (long i = 0; i < ops; i++) {
      h4_pop(h, &ev);
      h4_push(h, ev.t + rng_exponential(r, (double)n), nop, NULL, 0);
    }
  } else {
    for (long i = 0; i < ops; i++) {
      cal_pop(c, &ev);
      cal_push(c, ev.t + rng_exponential(r, (double)n), nop, NULL, 0);
    }
  }
  double dt = bench_now() - t0;
  gsl_rng_free(r);
  cal_free(c);
  h4_free(h);
  return dt;
}

/* Both calendars at each size, alternating, best of three each (a shared machine). */
static void hold_table(void) {
  printf("calendar hold (pop + push): this calendar against the 4-ary heap it replaced\n");
  printf("  %-10s %14s %12s %14s %12s %8s\n", "pending", "holds/s", "ns/hold", "4-ary holds/s",
         "ns/hold", "ratio");
  for (long n = 1000; n <= 1000000; n *= 10) {
    long ops = 2000000;
    double best[2] = {1e30, 1e30};
    for (int rep = 0; rep < 3; rep++)
      for (int old = 0; old < 2; old++) {
        double dt = hold(n, ops, old);
        if (dt < best[old]) best[old] = dt;
      }
    double r = best[1] / best[0];
    printf("  %-10ld %14.3g %12.1f %14.3g %12.1f %8.2f\n", n, ops / best[0], 1e9 * best[0] / ops,
           ops / best[1], 1e9 * best[1] / ops, r);
    printf("calendar_hold_per_s_%ld=%.4g\ncalendar_hold_4ary_per_s_%ld=%.4g\n", n, ops / best[0], n,
           ops / best[1]);
    printf("calendar_hold_ratio_%ld=%.3f\n", n, r);
  }
}

static long peak_rss_kb(void) {
  struct rusage ru;
  getrusage(RUSAGE_SELF, &ru);
  return ru.ru_maxrss;
}

/* The three M/M/4 paths (and the API without the stall guard), alternating, best of
 * `reps` each: ratios measured in one run on a shared machine. */
typedef struct mm_best {
  double t[4];
  long ev[4];
} mm_best;

static void mm_runs(mm_best *b, int reps) {
  for (int k = 0; k < 4; k++) b->t[k] = 1e30;
  for (int rep = 0; rep < reps; rep++)
    for (int k = 0; k < 4; k++) {
      long ev = 0, rel = 0;
      double t = k == 0 ? handwritten(&ev) : k == 1 ? engine_api(&ev, 1)
               : k == 2 ? engine_api(&ev, 0) : scenario_path(&ev, &rel);
      if (t < b->t[k]) b->t[k] = t, b->ev[k] = ev;
    }
}

int bench_engine(int argc, char **argv) {
  if (argc > 1) { /* one path alone, for profiling: api | hand | scenario */
    long ev = 0, rel = 0;
    double t = !strcmp(argv[1], "api") ? engine_api(&ev, 1)
             : !strcmp(argv[1], "hand") ? handwritten(&ev)
             : !strcmp(argv[1], "scenario") ? scenario_path(&ev, &rel) : -1;
    if (t < 0) {
      fprintf(stderr, "usage: customs-bench engine [api | hand | scenario]\n");
      return 2;
    }
    printf("events=%ld\nevents_per_s=%.4g\n", ev, ev / t);
    return 0;
  }
  mm_best b;
  mm_runs(&b, MM_REPS);
  long rss = peak_rss_kb();
  double r_hand = b.ev[0] / b.t[0], r_api = b.ev[1] / b.t[1], r_off = b.ev[2] / b.t[2];
  double r_scen = b.ev[3] / b.t[3];
  printf("engine: M/M/4, lambda 3.6/min, mu 1/min, %ld departures (best of %d each, thread CPU "
         "time)\n", DEPARTURES, MM_REPS);
  printf("  %-34s %12s %10s %14s\n", "path", "events", "seconds", "events/s");
  printf("  %-34s %12ld %10.3f %14.3g\n", "hand-written loop", b.ev[0], b.t[0], r_hand);
  printf("  %-34s %12ld %10.3f %14.3g\n", "engine API (sim + resource)", b.ev[1], b.t[1], r_api);
  printf("  %-34s %12ld %10.3f %14.3g\n", "engine API, stall guard off", b.ev[2], b.t[2], r_off);
  printf("  %-34s %12ld %10.3f %14.3g\n", "scenario path (mmc.cfg)", b.ev[3], b.t[3], r_scen);
  printf("  engine API / hand-written: %.2f; scenario / hand-written: %.2f\n", r_api / r_hand,
         r_scen / r_hand);
  printf("  stall guard: %+.1f%% time\n", 100 * (r_off / r_api - 1));
  printf("  peak resident memory after these runs: %.1f MB\n", rss / 1024.0);
  printf("engine_events_per_s=%.4g\nengine_handwritten_events_per_s=%.4g\n", r_api, r_hand);
  printf("engine_scenario_events_per_s=%.4g\nengine_api_over_handwritten=%.3f\n", r_scen,
         r_api / r_hand);
  printf("engine_scenario_over_handwritten=%.3f\nengine_peak_rss_mb=%.1f\n", r_scen / r_hand,
         rss / 1024.0);
  printf("engine_stall_guard_cost=%.4f\n", r_off / r_api - 1);
  hold_table();
  return 0;
}
