/* bench_engine: the engine's speed. The M/M/4 queue of the foundation issue (lambda
 * 3.6/min, mu 1/min, 1,000,000 departures) three ways: a hand-written loop (the
 * ceiling), the engine API (sim + resource), and the whole scenario path on
 * scenarios/validation/mmc.cfg; then the calendar hold benchmark at 1e3..1e6 pending
 * events. Every figure also as a name=value line. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>

#include "models/experiment.h"
#include "models/port.h"
#include "models/scenario.h"
#include "models/spec.h"
#include "sim/calendar.h"
#include "sim/resource.h"
#include "sim/rng.h"
#include "tests/bench/bench.h"

#define DEPARTURES 1000000L
#define LAMBDA 3.6
#define SERVERS 4

/* ---- a hand-written loop: next arrival plus a tiny heap of departure times ---- */
static double handwritten(long *events) {
  gsl_rng *r = rng_stream_new(1, 0, "hand");
  double dep[SERVERS], t_arr = rng_exponential(r, 1 / LAMBDA);
  int busy = 0;
  long queue = 0, done = 0, ev = 0;
  double t0 = bench_now();
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
  double dt = bench_now() - t0;
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

static double engine_api(long *events) {
  mm m = {sim_new(), NULL, rng_stream_new(1, 0, "a"), rng_stream_new(1, 0, "s"), 0};
  m.res = res_new(m.s, SERVERS, RES_FIFO, -1, 0, (res_callbacks){on_grant, NULL}, &m);
  sim_at(m.s, 0, ev_arr, &m, 0);
  double t0 = bench_now();
  sim_run_until(m.s, INFINITY, 0);
  double dt = bench_now() - t0;
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
  if (scenario_load(&sc, "scenarios/validation/mmc.cfg", sets, 1, d, &err) || spec_build(&sp, sc, &err)) {
    fprintf(stderr, "bench: %s\n", err.msg);
    scenario_free(sc);
    return NAN;
  }
  kpi_run k = {0};
  port *p = NULL;
  double t0 = bench_now();
  port_new(&p, sp, 1, 0, &err);
  port_run(p, NULL, NULL, NULL, &err);
  port_kpis(p, &k, &err);
  double dt = bench_now() - t0;
  *events = (long)k.events;
  *released = (long)(k.ch[0].released + k.ch[0].in_system_start);
  port_free(p);
  kpi_run_free(&k);
  spec_free(sp);
  scenario_free(sc);
  return dt;
}

static void nop(void) {}

/* Hold: pop the earliest event, push one at t + Exp(1), with n pending. */
static double hold(long n, long ops) {
  calendar *c = cal_new((size_t)n);
  gsl_rng *r = rng_stream_new(3, 0, "hold");
  for (long i = 0; i < n; i++) cal_push(c, rng_exponential(r, (double)n), nop, NULL, 0);
  cal_event ev;
  double t0 = bench_now();
  for (long i = 0; i < ops; i++) {
    cal_pop(c, &ev);
    cal_push(c, ev.t + rng_exponential(r, (double)n), nop, NULL, 0);
  }
  double dt = bench_now() - t0;
  gsl_rng_free(r);
  cal_free(c);
  return dt;
}

static long peak_rss_kb(void) {
  struct rusage ru;
  getrusage(RUSAGE_SELF, &ru);
  return ru.ru_maxrss;
}

int bench_engine(int argc, char **argv) {
  if (argc > 1 && !strcmp(argv[1], "api")) { /* the engine-API run alone, for profiling */
    long ev;
    double t = engine_api(&ev);
    printf("engine_events_per_s=%.4g\n", ev / t);
    return 0;
  }
  long ev_hand = 0, ev_api = 0, ev_scen = 0, rel = 0;
  double t_hand = handwritten(&ev_hand);
  double t_api = engine_api(&ev_api);
  double t_scen = scenario_path(&ev_scen, &rel);
  long rss = peak_rss_kb();
  double r_hand = ev_hand / t_hand, r_api = ev_api / t_api, r_scen = ev_scen / t_scen;
  printf("engine: M/M/4, lambda 3.6/min, mu 1/min, %ld departures\n", DEPARTURES);
  printf("  %-34s %12s %10s %14s\n", "path", "events", "seconds", "events/s");
  printf("  %-34s %12ld %10.3f %14.3g\n", "hand-written loop", ev_hand, t_hand, r_hand);
  printf("  %-34s %12ld %10.3f %14.3g\n", "engine API (sim + resource)", ev_api, t_api, r_api);
  printf("  %-34s %12ld %10.3f %14.3g\n", "scenario path (mmc.cfg)", ev_scen, t_scen, r_scen);
  printf("  engine API / hand-written: %.2f; scenario / hand-written: %.2f\n", r_api / r_hand, r_scen / r_hand);
  printf("  peak resident memory after these runs: %.1f MB\n", rss / 1024.0);
  printf("engine_events_per_s=%.4g\nengine_handwritten_events_per_s=%.4g\n", r_api, r_hand);
  printf("engine_scenario_events_per_s=%.4g\nengine_api_over_handwritten=%.3f\n", r_scen, r_api / r_hand);
  printf("engine_scenario_over_handwritten=%.3f\nengine_peak_rss_mb=%.1f\n", r_scen / r_hand, rss / 1024.0);
  printf("calendar hold (pop + push), 4-ary heap with handles\n");
  printf("  %-10s %14s %12s\n", "pending", "holds/s", "ns/hold");
  for (long n = 1000; n <= 1000000; n *= 10) {
    long ops = 2000000;
    double dt = hold(n, ops);
    printf("  %-10ld %14.3g %12.1f\n", n, ops / dt, 1e9 * dt / ops);
    printf("calendar_hold_per_s_%ld=%.4g\n", n, ops / dt);
  }
  return 0;
}
