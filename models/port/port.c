/* port: the composition root of the port runtime (see port.h): the lifecycle of one
 * replication (streams, stations, channels, kernels, then each part's state), the
 * warm-up, sampling and the run loop. The only file that includes every part's header:
 * flow.c (items), staff.c (pools), equipment.c, disrupt.c, class.c, series.c, check.c,
 * kpis.c (figures) and view.c (snapshot). */
#include "models/port.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include "models/arrivals.h"
#include "models/coast.h"
#include "models/dog.h"
#include "models/itemfeed.h"
#include "models/kernels/kcache.h"
#include "models/port/capacity.h"
#include "models/port/check.h"
#include "models/port/class.h"
#include "models/port/disrupt_rt.h"
#include "models/port/equipment.h"
#include "models/port/flow.h"
#include "models/port/series.h"
#include "models/port/staff.h"
#include "models/port/view.h"
#include "models/station.h"
#include "sim/rng.h"

static gsl_rng *stream(const port *p, const char *what, const char *name) {
  char nm[300];
  snprintf(nm, sizeof nm, "%s:%s", what, name);
  return rng_stream_new(p->seed, p->rep, nm);
}

/* The item kind a station's kernel is trained for: the first channel routed there. */
static int station_kind(const spec *sp, int st) {
  for (size_t c = 0; c < sp->nch; c++)
    for (size_t k = 0; k < sp->ch[c].nroute; k++)
      if (sp->ch[c].route[k] == st) return sp->ch[c].kind;
  return KIND_GENERIC;
}

int port_kernel_create(const spec *sp, int st, uint64_t seed, void **state, sim_error *err) {
  const spec_station *ss = &sp->st[st];
  *state = NULL;
  if (!ss->kernel) return 0;
  double params[SPEC_MAXP];
  memcpy(params, ss->kparams, sizeof params);
  int kind = station_kind(sp, st);
  for (size_t i = 0; i < ss->kernel->nparams; i++)
    if (!strcmp(ss->kernel->params[i].name, "kind") && kind != KIND_GENERIC) params[i] = kind;
  char dir[4096];
  kernel_opts o = {sp->kernels_surrogate, seed, kcache_dir(dir, sizeof dir) ? NULL : dir};
  sim_error e = {0};
  if (ss->kernel->new(state, params, &o, &e))
    return sim_error_set(err, SIM_EINVAL, "station %s: kernel %s: %s", ss->name, ss->kernel->name,
                         e.msg);
  return 0;
}

void port_kernel_destroy(const spec *sp, int st, void *state) {
  if (state) sp->st[st].kernel->free(state);
}

int port_kernel_shareable(const spec *sp, int st) {
  const kernel_type *k = sp->st[st].kernel;
  return k && !k->learn && (sp->kernels_surrogate || k->read_only);
}

static int kernel_init(port *p, station_rt *s, void *shared, sim_error *err) {
  const spec_station *sp = s->sp;
  if (!sp->kernel) return 0;
  if (shared) {
    s->kstate = shared;
    s->kshared = 1;
  } else if (port_kernel_create(p->sp, s->idx, p->seed, &s->kstate, err)) {
    return SIM_EINVAL;
  }
  if (sp->has_selection) {
    s->sel = selection_new(&sp->sel, err);
    if (!s->sel) return SIM_EINVAL;
  }
  return 0;
}

/* Dog teams start their work bouts staggered, so some are always searching. */
static int dogs_init(station_rt *s, sim_error *err) {
  if (s->sp->type != ST_DOGS || s->sp->servers <= 0) return 0;
  dog_params dp;
  dog_params_default(&dp);
  dp.work_min = s->sp->dog_work_min;
  dp.rest_min = s->sp->dog_rest_min;
  if (dog_params_check(&dp, err)) return sim_error_wrap(err, "station %s", s->sp->name);
  s->ndogs = s->sp->servers;
  s->dogs = calloc((size_t)s->ndogs, sizeof *s->dogs);
  if (!s->dogs) return sim_error_set(err, SIM_ENOMEM, "out of memory");
  double cycle = dp.work_min + dp.rest_min;
  for (int k = 0; k < s->ndogs; k++)
    if (dog_new(&s->dogs[k], &dp, -cycle * k / s->ndogs, err)) return SIM_EINVAL;
  return 0;
}

static int station_init(port *p, int i, void *shared, sim_error *err) {
  station_rt *s = &p->st[i];
  const spec_station *sp = &p->sp->st[i];
  s->p = p;
  s->idx = i;
  s->sp = sp;
  s->svc_rng = stream(p, "service", sp->name);
  s->fail_rng = stream(p, "failures", sp->name);
  s->dec_rng = stream(p, "decisions", sp->name);
  timeavg_reset(&s->busy_u, 0, 0);
  timeavg_reset(&s->blocked_t, 0, 0);
  fifo_init(&s->blocked, sizeof(uint32_t), 16);
  timeavg_reset(&s->avail_t, 0, 0);
  timeavg_reset(&s->short_t, 0, 0);
  tally_reset(&s->wait_u);
  equipment_init(s);
  if (!sp->unlimited) {
    long limit = sp->block ? -1 : sp->capacity;
    s->res = res_new(p->s, sp->servers, sp->priority_queue ? RES_PRIORITY : RES_FIFO, limit,
                     sp->preemptive, (res_callbacks){flow_on_grant, flow_on_preempt}, s);
    if (!s->res) return sim_error_set(err, SIM_ENOMEM, "out of memory");
  }
  if (!s->svc_rng || !s->fail_rng || !s->dec_rng)
    return sim_error_set(err, SIM_ENOMEM, "out of memory");
  if (sp->every && (!(s->every_rng = stream(p, "selection", sp->name)) ||
                    !(s->every = selection_every_new(&sp->every_gap, sp->every_offset, err))))
    return sim_error_set(err, SIM_ENOMEM, "out of memory");
  if (dogs_init(s, err)) return SIM_EINVAL;
  return kernel_init(p, s, shared, err);
}

static int generator_init(port *p, channel_rt *c, sim_error *err) {
  if (c->sp->kind == KIND_GENERIC) return 0;
  declgen_params gp;
  if (declgen_params_default(c->sp->kind, &gp))
    return sim_error_set(err, SIM_EINVAL, "no generator for channel %s", c->sp->name);
  for (int k = 0; k < DECLGEN_FRAUD_N; k++) gp.rate[k] *= c->sp->fraud_scale;
  if (!isnan(c->sp->aeo_share)) gp.aeo_share = c->sp->aeo_share;
  if (!isnan(c->sp->advance_share)) gp.advance_share = c->sp->advance_share;
  if (!isnan(c->sp->edocs_share)) gp.edocs_share = c->sp->edocs_share;
  /* the population comes from the run seed: the risk kernel trains on the same traders */
  char dir[4096];
  c->gen = declgen_new_cached(&gp, p->seed, kcache_dir(dir, sizeof dir) ? NULL : dir, err);
  return c->gen ? 0 : SIM_EINVAL;
}

static int channel_init(port *p, int i, sim_error *err) {
  channel_rt *c = &p->ch[i];
  c->sp = &p->sp->ch[i];
  c->arr_rng = stream(p, "arrivals", c->sp->name);
  c->route_rng = stream(p, "routing", c->sp->name);
  c->item_rng = stream(p, "items", c->sp->name);
  c->rel_bins = calloc(KPI_REL_BINS, sizeof *c->rel_bins);
  timeavg_reset(&c->insys_t, 0, 0);
  c->base_release_min = NAN;
  if (!c->arr_rng || !c->route_rng || !c->item_rng || !c->rel_bins ||
      hist_init(&c->release_hist) || hist_init(&c->wait_hist) || hist_init(&c->stage_hist[0]) ||
      hist_init(&c->stage_hist[1]) || hist_init(&c->stage_hist[2]))
    return sim_error_set(err, SIM_ENOMEM, "out of memory");
  return generator_init(p, c, err);
}

static void reset_channel(channel_rt *c, double now) {
  c->in_system_start = c->in_system;
  timeavg_reset(&c->insys_t, now, (double)c->in_system);
  c->arrived = c->released = c->seized = c->inspected = c->false_alarms = c->missed = c->lost = 0;
  c->within_target = c->wait_within_target = 0;
  memset(c->seized_kind, 0, sizeof c->seized_kind);
  memset(c->seized_kg, 0, sizeof c->seized_kg);
  c->revenue = 0;
  c->cancelled = c->diverted_out = c->diverted_in = c->pulled = c->delayed24 = c->delayed72 = 0;
  tally_reset(&c->release);
  tally_reset(&c->wait);
  for (int k = 0; k < 3; k++) tally_reset(&c->stage[k]);
  c->stage_plain = 0;
  tally_reset(&c->stage_aeo);
  for (int k = 0; k < 2; k++) {
    tally_reset(&c->permit_adv[k]);
    tally_reset(&c->permit_oga[k]);
  }
  hist_reset(&c->release_hist);
  hist_reset(&c->wait_hist);
  for (int k = 0; k < 3; k++) hist_reset(&c->stage_hist[k]);
  memset(c->rel_bins, 0, KPI_REL_BINS * sizeof *c->rel_bins);
}

static void reset_station(port *p, station_rt *s) {
  double now = sim_now(p->s);
  if (s->res) res_stats_reset(s->res);
  s->served_u = s->lost_u = s->arrived_u = s->inspected = s->alarms = 0;
  timeavg_reset(&s->busy_u, now, (double)s->present);
  timeavg_reset(&s->blocked_t, now, (double)fifo_len(&s->blocked));
  tally_reset(&s->wait_u);
}

static void ev_warm(sim *sm, void *ctx, uint64_t arg) {
  (void)arg;
  port *p = ctx;
  p->measuring = 1;
  series_before_reset(p);
  for (size_t k = 0; k < p->sp->nst; k++) reset_station(p, &p->st[k]);
  for (size_t k = 0; k < p->sp->nch; k++) reset_channel(&p->ch[k], sim_now(sm));
  staff_measure_start(p);
  if (p->coast) coast_measure_start(p->coast);
}

static void ev_sample(sim *sm, void *ctx, uint64_t arg) {
  (void)arg;
  port *p = ctx;
  size_t i = series_taken(p), n = series_planned(p);
  if (i >= n) return;
  if (p->coast) coast_sample(p->coast, i, i ? sim_now(sm) - series_last_time_h(p) * 60 : 0);
  series_sample(p);
  disrupt_on_sample(p);
  port_check(p);
  if (series_taken(p) < n) sim_after(sm, p->sp->sample_min, ev_sample, p, 0);
}

int port_new(port **out, const spec *sp, uint64_t seed, uint32_t rep, sim_error *err) {
  return port_new_shared(out, sp, seed, rep, NULL, NULL, err);
}

int port_new_shared(port **out, const spec *sp, uint64_t seed, uint32_t rep, void *const *shared,
                    const volatile sig_atomic_t *interrupt, sim_error *err) {
  *out = NULL;
  port *p = calloc(1, sizeof *p);
  if (!p) return sim_error_set(err, SIM_ENOMEM, "out of memory");
  p->sp = sp;
  p->seed = seed;
  p->rep = rep;
  p->free_head = NO_JOB;
  p->interrupt = interrupt;
  p->t_warm = sp->warmup_min;
  p->t_end = sp->warmup_min + sp->days_min;
  p->view_next = rep == 0 ? 0 : INFINITY;
  kpi_release_edges(p->edges);
  flow_release_lut(p);
  p->s = sim_new();
  p->clock = p->s ? sim_clock(p->s) : NULL;
  p->st = calloc(sp->nst ? sp->nst : 1, sizeof *p->st);
  p->ch = calloc(sp->nch, sizeof *p->ch);
  int rc = !p->s || !p->st || !p->ch || series_init(p)
               ? sim_error_set(err, SIM_ENOMEM, "out of memory")
               : 0;
  if (!rc) capacity_init(p);
  for (size_t i = 0; !rc && i < sp->nst; i++)
    rc = station_init(p, (int)i, shared ? shared[i] : NULL, err);
  for (size_t i = 0; !rc && i < sp->nch; i++) rc = channel_init(p, (int)i, err);
  if (!rc && staff_init(p)) rc = sim_error_set(err, SIM_ENOMEM, "out of memory");
  if (!rc && disrupt_init(p)) rc = sim_error_set(err, SIM_ENOMEM, "out of memory");
  if (!rc && class_init(p)) rc = sim_error_set(err, SIM_ENOMEM, "out of memory");
  if (!rc && view_init(p)) rc = sim_error_set(err, SIM_ENOMEM, "out of memory");
  if (rc) {
    port_free(p);
    return rc;
  }
  staff_start(p);
  for (size_t i = 0; i < sp->nst; i++) equipment_start(&p->st[i]);
  staff_reallocate(p);
  flow_place_initial(p);
  for (size_t i = 0; i < sp->nch; i++) reset_channel(&p->ch[i], 0); /* counts the initial items */
  if (flow_start_arrivals(p)) {
    port_free(p);
    return sim_error_set(err, SIM_ENOMEM, "out of memory starting arrivals");
  }
  if (p->t_warm > 0)
    sim_at(p->s, p->t_warm, ev_warm, p, 0);
  else
    p->measuring = 1;
  if (coast_new(&p->coast, p, err)) {
    port_free(p);
    return SIM_ENOMEM;
  }
  if (series_planned(p)) sim_at(p->s, 0, ev_sample, p, 0);
  *out = p;
  return 0;
}

void port_free(port *p) {
  if (!p) return;
  itemfeed_free(p->feed); /* it draws from the generators and streams freed below */
  free(p->svc_src);
  for (size_t i = 0; p->st && i < p->sp->nst; i++) {
    station_rt *s = &p->st[i];
    res_free(s->res);
    if (s->svc_rng) gsl_rng_free(s->svc_rng);
    if (s->fail_rng) gsl_rng_free(s->fail_rng);
    if (s->dec_rng) gsl_rng_free(s->dec_rng);
    if (s->kstate && !s->kshared) s->sp->kernel->free(s->kstate);
    selection_free(s->sel);
    selection_every_free(s->every);
    if (s->every_rng) gsl_rng_free(s->every_rng);
    for (int k = 0; k < s->ndogs; k++) dog_free(s->dogs[k]);
    free(s->dogs);
    fifo_deinit(&s->blocked);
  }
  for (size_t i = 0; p->ch && i < p->sp->nch; i++) {
    channel_rt *c = &p->ch[i];
    if (c->arr_rng) gsl_rng_free(c->arr_rng);
    if (c->route_rng) gsl_rng_free(c->route_rng);
    if (c->item_rng) gsl_rng_free(c->item_rng);
    declgen_free(c->gen);
    arrivals_free(c->arr);
    hist_deinit(&c->release_hist);
    hist_deinit(&c->wait_hist);
    for (int k = 0; k < 3; k++) hist_deinit(&c->stage_hist[k]);
    free(c->rel_bins);
  }
  coast_free(p->coast);
  staff_free(p);
  class_free(p);
  port_view_free(p);
  disrupt_free(p);
  free(p->st);
  free(p->ch);
  for (uint32_t i = 0; p->page_mem && i < p->jobs_cap / JOB_PAGE; i++) free(p->page_mem[i]);
  free(p->pages), free(p->page_mem);
  free(p->events);
  series_free(p);
  sim_free(p->s);
  free(p);
}

#define EVENTS_MAX 1000000 /* a hard cap on the event log */

/* ---- the job pool ---- */

/* The pool's limits, checked where it grows past its free list: run.max_items jobs at
 * once, and an interrupt at each new page (so millions of initial items stop at
 * Ctrl-C). A stop fails the simulation; port_run says why. 0 to go on. */
static int job_pool_check(port *p) {
  int why = (long)p->njobs >= p->sp->max_items ? PORT_STOP_LIMIT
            : p->njobs == p->jobs_cap && p->interrupt && *p->interrupt ? PORT_STOP_INTR : 0;
  if (why && !p->stop) p->stop = why;
  return why;
}

#define JOB_HUGE ((size_t)2 << 20)

/* A page of jobs on its own 2 MB-aligned range, marked for a transparent huge page where
 * the kernel has them: departures reach jobs of hours ago all over the pool, and with
 * small pages each costs a TLB miss. Returns the page, and in *mem what to free. */
static job *job_page_new(void **mem) {
  _Static_assert(JOB_PAGE * sizeof(job) == JOB_HUGE, "a job page is one huge page");
  char *raw = malloc(2 * JOB_HUGE);
  *mem = raw;
  if (!raw) return NULL;
  char *pg = raw + (JOB_HUGE - (uintptr_t)raw % JOB_HUGE) % JOB_HUGE;
#ifdef MADV_HUGEPAGE
  madvise(pg, JOB_HUGE, MADV_HUGEPAGE); /* a hint: without it, small pages */
#endif
  return (job *)pg;
}

/* Jobs live in pages of JOB_PAGE, so the pool grows in small steps with the items in
 * the port (never copied, never doubled) and pointers to jobs stay valid. */
uint32_t port_job_grow(port *p) {
  if (job_pool_check(p)) return NO_JOB;
  if (p->njobs == p->jobs_cap) {
    size_t page = p->njobs / JOB_PAGE;
    if (page == p->npages_cap) {
      size_t ncap = p->npages_cap ? 2 * p->npages_cap : 16;
      job **np = realloc(p->pages, ncap * sizeof *np);
      if (np) p->pages = np;
      void **nm = np ? realloc(p->page_mem, ncap * sizeof *nm) : NULL;
      if (!nm) return NO_JOB;
      p->page_mem = nm;
      p->npages_cap = ncap;
    }
    p->pages[page] = job_page_new(&p->page_mem[page]);
    if (!p->pages[page]) return NO_JOB;
    p->jobs_cap += JOB_PAGE;
  }
  if (p->njobs == 4096) flow_prefetch_on(p); /* past the caches: worth a hint */
  return p->njobs++;
}



void port_fail(port *p, int code, const char *fmt, ...) {
  if (!p->fail.code) {
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(p->fail.msg, sizeof p->fail.msg, fmt, ap);
    va_end(ap);
    p->fail.code = code ? code : SIM_ERUN;
  }
  sim_fail(p->s, p->fail.code);
}

void port_log(port *p, int kind, int target, double value) {
  if (p->nevents == p->cap_events) {
    size_t ncap = p->cap_events ? 2 * p->cap_events : 256;
    if (ncap > EVENTS_MAX) {
      p->events_dropped++;
      return;
    }
    kpi_event *ne = realloc(p->events, ncap * sizeof *ne);
    if (!ne) {
      port_fail(p, SIM_ENOMEM, "the event log cannot grow (out of memory)");
      return;
    }
    p->events = ne;
    p->cap_events = ncap;
  }
  p->events[p->nevents++] = (kpi_event){sim_now(p->s), kind, target, value};
}

void port_log_items(port *p, FILE *f) { p->items_log = f; }

uint64_t port_advance(port *p, double t, uint64_t max_events) {
  if (t > p->t_end) t = p->t_end;
  return sim_run_until(p->s, t, max_events);
}

double port_now(const port *p) { return sim_now(p->s); }
double port_end_time(const port *p) { return p->t_end; }

/* The part of the model an event context belongs to, in words ("the model" if none). */
static const char *part_name(const port *p, const void *ctx, char *buf, size_t n) {
  if (ctx >= (const void *)p->st && ctx < (const void *)(p->st + p->sp->nst))
    snprintf(buf, n, "station %s", ((const station_rt *)ctx)->sp->name);
  else if (staff_pool_name(p, ctx))
    snprintf(buf, n, "staff pool %s", staff_pool_name(p, ctx));
  else if (ctx >= (const void *)p->ch && ctx < (const void *)(p->ch + p->sp->nch))
    snprintf(buf, n, "channel %s", ((const channel_rt *)ctx)->sp->name);
  else
    snprintf(buf, n, "the model");
  return buf;
}

/* What failed, in words: a limit reached, an interrupt, the model's own message, a clock
 * that stopped, or the part whose event could not be scheduled. */
static int port_failure(const port *p, sim_error *err) {
  if (p->stop == PORT_STOP_INTR) return SIM_EINTR;
  if (p->stop == PORT_STOP_LIMIT)
    return sim_error_set(
        err, SIM_ERUN,
        "stopped at %.3g h: more than %ld items in the port at once "
        "(run.max_items); raise it with --set run.max_items=N if the machine has the "
        "memory (about 350 bytes an item)",
        sim_now(p->s) / 60, p->sp->max_items);
  if (p->fail.code) return sim_error_set(err, p->fail.code, "%s", p->fail.msg);
  char buf[200];
  void *ctx = NULL;
  uint64_t count = 0;
  if (sim_stall_info(p->s, NULL, &ctx, &count))
    return sim_error_set(err, SIM_ERUN,
                         "the clock stopped at %.6g h: more than %llu events in a row at one "
                         "instant, most from %s (%llu of the last ones looked at): a loop "
                         "that takes no time; check its zero-time delays and routing",
                         sim_now(p->s) / 60, (unsigned long long)sim_stall_limit(p->s),
                         part_name(p, ctx, buf, sizeof buf), (unsigned long long)count);
  return sim_error_set(err, SIM_ENOMEM, "%s: out of memory at %.3g h (an event or a queue could "
                       "not grow)", part_name(p, sim_fail_ctx(p->s), buf, sizeof buf),
                       sim_now(p->s) / 60);
}

int port_run(port *p, const volatile sig_atomic_t *interrupt,
             void (*progress)(void *ctx, double share), void *pctx, sim_error *err) {
  const uint64_t chunk = 1 << 16;
  /* replication 0 stops at each frame time to record what a viewer would show then */
  double step = p->rep == 0 ? snapshot_frame_interval(p->sp) : INFINITY;
  for (;;) {
    double to = fmin(p->t_end, p->view_next);
    uint64_t ran = port_advance(p, to, chunk);
    if (sim_failed(p->s)) return port_failure(p, err);
    if (interrupt && *interrupt) return SIM_EINTR;
    if (progress) progress(pctx, sim_now(p->s) / p->t_end);
    if (ran < chunk && p->rep == 0 && to >= p->view_next) {
      if (port_view_record(p))
        return sim_error_set(err, SIM_ENOMEM, "out of memory recording the run");
      p->view_next += step;
    }
    if (ran < chunk && to >= p->t_end) break;
  }
  port_check(p);
  if (!sim_failed(p->s)) port_check_items(p);
  return sim_failed(p->s) ? port_failure(p, err) : 0;
}

sim *port_sim(port *p) { return p->s; }
const spec *port_spec(const port *p) { return p->sp; }
uint64_t port_seed(const port *p) { return p->seed; }
uint32_t port_rep(const port *p) { return p->rep; }
int port_measuring(const port *p) { return p->measuring; }
size_t port_samples_planned(const port *p) { return series_planned(p); }
long port_station_queue(const port *p, int st) {
  return p->st[st].res ? res_queue_len(p->st[st].res) : 0;
}
int port_station_busy(const port *p, int st) {
  return p->st[st].res ? res_busy(p->st[st].res) : (int)p->st[st].present;
}
int port_station_capacity(const port *p, int st) {
  return p->st[st].res ? res_capacity(p->st[st].res) : -1;
}
int64_t port_channel_in_system(const port *p, int ch) { return p->ch[ch].in_system; }
