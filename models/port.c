/* port: the runtime of one replication (see port.h).
 * Items in the system live in a pool of jobs; a job's index is its token at the
 * resources. Event arguments pack (index, detail) into 64 bits. */
#include "models/port.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_rng.h>

#include "sim/resource.h"
#include "sim/rng.h"
#include "sim/stats.h"

typedef struct job {
  int32_t ch, st, pos;
  uint32_t next_free;
  double t_arr, t_done, remaining, waited; /* remaining < 0: no preempted work */
  sim_handle depart;
} job;

typedef struct station_rt {
  struct port *p;
  int idx;
  const spec_station *sp;
  resource *res;
  gsl_rng *svc_rng, *fail_rng;
  int nominal, down;
  size_t sched_next;
} station_rt;

typedef struct channel_rt {
  const spec_channel *sp;
  gsl_rng *arr_rng, *route_rng;
  int64_t in_system, in_system_start, arrived, released;
  tally release, wait;
  histogram release_hist, wait_hist;
  int64_t within_target;
  double *rel_bins; /* KPI_REL_BINS counts */
} channel_rt;

struct port {
  const spec *sp;
  sim *s;
  station_rt *st;
  channel_rt *ch;
  job *jobs;
  uint32_t njobs, jobs_cap, free_head;
  double t_warm, t_end;
  int measuring;
  double edges[KPI_REL_BINS + 1];
  size_t nsamples, sample_i;
  double *t_h, *s_queue, *s_busy, *s_insys;
};

#define NO_JOB UINT32_MAX

static inline uint64_t pack(uint32_t a, uint32_t b) { return ((uint64_t)a << 32) | b; }
static inline uint32_t hi32(uint64_t x) { return (uint32_t)(x >> 32); }
static inline uint32_t lo32(uint64_t x) { return (uint32_t)x; }

/* ---- jobs ---- */

static uint32_t job_new(port *p) {
  if (p->free_head != NO_JOB) {
    uint32_t j = p->free_head;
    p->free_head = p->jobs[j].next_free;
    return j;
  }
  if (p->njobs == p->jobs_cap) {
    uint32_t ncap = p->jobs_cap ? p->jobs_cap * 2 : 1024;
    job *nj = realloc(p->jobs, (size_t)ncap * sizeof *nj);
    if (!nj) return NO_JOB;
    p->jobs = nj;
    p->jobs_cap = ncap;
  }
  return p->njobs++;
}

static void job_free(port *p, uint32_t j) {
  p->jobs[j].next_free = p->free_head;
  p->free_head = j;
}

/* ---- flow ---- */

static void ev_depart(sim *s, void *ctx, uint64_t arg);
static void visit(port *p, uint32_t j, int st);

static void start_service(station_rt *st, uint32_t j) {
  port *p = st->p;
  job *jb = &p->jobs[j];
  double d = jb->remaining >= 0 ? jb->remaining : dist_sample(&st->sp->service, st->svc_rng);
  jb->remaining = -1;
  jb->t_done = sim_now(p->s) + d;
  jb->depart = sim_after(p->s, d, ev_depart, st, j);
}

static void on_grant(void *ctx, uint64_t token, double waited) {
  station_rt *st = ctx;
  st->p->jobs[token].waited += waited;
  start_service(st, (uint32_t)token);
}

static void on_preempt(void *ctx, uint64_t token) {
  station_rt *st = ctx;
  job *jb = &st->p->jobs[token];
  sim_cancel(st->p->s, jb->depart);
  jb->remaining = jb->t_done - sim_now(st->p->s); /* preempt-resume */
}

static void release_item(port *p, uint32_t j) {
  job *jb = &p->jobs[j];
  channel_rt *c = &p->ch[jb->ch];
  double now = sim_now(p->s);
  c->in_system--;
  if (p->measuring) {
    double rt = now - jb->t_arr;
    c->released++;
    tally_add(&c->release, rt);
    hist_add(&c->release_hist, rt);
    tally_add(&c->wait, jb->waited);
    hist_add(&c->wait_hist, jb->waited);
    if (rt <= p->sp->target_min) c->within_target++;
    int b = 0;
    while (b < KPI_REL_BINS - 1 && rt >= p->edges[b + 1]) b++;
    c->rel_bins[b] += 1;
  }
  job_free(p, j);
}

/* Where an item goes after station `st`: a branch if the channel has one for it,
 * else the next station of the route. */
static int next_station(port *p, job *jb) {
  const spec_channel *c = p->ch[jb->ch].sp;
  int st = jb->st;
  if (st >= 0 && c->branches[st]) {
    double u = gsl_rng_uniform(p->ch[jb->ch].route_rng);
    const spec_branch *br = c->branches[st];
    size_t k = 0;
    while (k + 1 < c->nbranches[st] && u >= br[k].cum) k++;
    if (br[k].to == SPEC_EXIT) return SPEC_EXIT;
    for (size_t i = 0; i < c->nroute; i++)
      if (c->route[i] == br[k].to) jb->pos = (int)i;
    return br[k].to;
  }
  jb->pos++;
  return (size_t)jb->pos < c->nroute ? c->route[jb->pos] : SPEC_EXIT;
}

static void visit(port *p, uint32_t j, int st) {
  job *jb = &p->jobs[j];
  jb->st = st;
  station_rt *s = &p->st[st];
  int r = res_request(s->res, j, s->p->ch[jb->ch].sp->priority);
  if (r == RES_STARTED)
    start_service(s, j);
  else if (r == RES_LOST) {
    /* a full station turns the item away: it leaves the port unserved */
    release_item(p, j);
  }
}

static void ev_depart(sim *s, void *ctx, uint64_t arg) {
  (void)s;
  station_rt *st = ctx;
  port *p = st->p;
  uint32_t j = (uint32_t)arg;
  res_release(st->res, j);
  job *jb = &p->jobs[j];
  int next = next_station(p, jb);
  if (next == SPEC_EXIT)
    release_item(p, j);
  else
    visit(p, j, next);
}

static void arrive(port *p, int ch) {
  uint32_t j = job_new(p);
  if (j == NO_JOB) {
    sim_fail(p->s, SIM_ENOMEM);
    return;
  }
  channel_rt *c = &p->ch[ch];
  job *jb = &p->jobs[j];
  *jb = (job){.ch = ch, .st = -1, .pos = 0, .t_arr = sim_now(p->s), .remaining = -1};
  c->in_system++;
  if (p->measuring) c->arrived++;
  visit(p, j, c->sp->route[0]);
}

static void ev_poisson(sim *s, void *ctx, uint64_t arg) {
  port *p = ctx;
  channel_rt *c = &p->ch[arg];
  sim_after(s, rng_exponential(c->arr_rng, 1.0 / c->sp->rate_per_min), ev_poisson, p, arg);
  arrive(p, (int)arg);
}

static void ev_item(sim *s, void *ctx, uint64_t arg) {
  (void)s;
  arrive(ctx, (int)arg);
}

/* A scheduled batch: its items arrive spread uniformly over spread_min. */
static void ev_batch(sim *s, void *ctx, uint64_t arg) {
  port *p = ctx;
  uint32_t ch = hi32(arg), b = lo32(arg);
  channel_rt *c = &p->ch[ch];
  const spec_batch *bt = &c->sp->batches[b];
  for (long i = 0; i < bt->size; i++)
    sim_after(s, bt->spread_min * gsl_rng_uniform(c->arr_rng), ev_item, p, ch);
  if (c->sp->period_min > 0) sim_after(s, c->sp->period_min, ev_batch, p, arg);
}

/* ---- capacity: schedules and breakdowns ---- */

static void apply_capacity(station_rt *st) {
  int cap = st->nominal - st->down;
  res_set_capacity(st->res, cap < 0 ? 0 : cap);
}

static void ev_sched(sim *s, void *ctx, uint64_t arg) {
  station_rt *st = ctx;
  const spec_station *sp = st->sp;
  size_t i = (size_t)arg;
  st->nominal = sp->sched_servers[i];
  apply_capacity(st);
  size_t n = (i + 1) % sp->nsched;
  double dt = sp->sched_at_min[n] - sp->sched_at_min[i];
  if (n == 0) dt += sp->sched_period_min;
  sim_after(s, dt, ev_sched, st, n);
}

static void ev_repair(sim *s, void *ctx, uint64_t arg);

static void ev_fail(sim *s, void *ctx, uint64_t arg) {
  station_rt *st = ctx;
  st->down++;
  apply_capacity(st);
  sim_after(s, dist_sample(&st->sp->repair, st->fail_rng), ev_repair, st, arg);
}

static void ev_repair(sim *s, void *ctx, uint64_t arg) {
  station_rt *st = ctx;
  st->down--;
  apply_capacity(st);
  sim_after(s, dist_sample(&st->sp->ttf, st->fail_rng), ev_fail, st, arg);
}

/* ---- measurement ---- */

static void ev_sample(sim *s, void *ctx, uint64_t arg) {
  (void)arg;
  port *p = ctx;
  size_t i = p->sample_i;
  if (i >= p->nsamples) return;
  p->t_h[i] = sim_now(s) / 60;
  for (size_t k = 0; k < p->sp->nst; k++) {
    p->s_queue[k * p->nsamples + i] = (double)res_queue_len(p->st[k].res);
    p->s_busy[k * p->nsamples + i] = res_busy(p->st[k].res);
  }
  for (size_t k = 0; k < p->sp->nch; k++) p->s_insys[k * p->nsamples + i] = (double)p->ch[k].in_system;
  p->sample_i++;
  if (p->sample_i < p->nsamples) sim_after(s, p->sp->sample_min, ev_sample, p, 0);
}

static void reset_channel(channel_rt *c) {
  c->in_system_start = c->in_system;
  c->arrived = c->released = c->within_target = 0;
  tally_reset(&c->release);
  tally_reset(&c->wait);
  hist_reset(&c->release_hist);
  hist_reset(&c->wait_hist);
  memset(c->rel_bins, 0, KPI_REL_BINS * sizeof *c->rel_bins);
}

static void ev_warm(sim *s, void *ctx, uint64_t arg) {
  (void)s;
  (void)arg;
  port *p = ctx;
  p->measuring = 1;
  for (size_t k = 0; k < p->sp->nst; k++) res_stats_reset(p->st[k].res);
  for (size_t k = 0; k < p->sp->nch; k++) reset_channel(&p->ch[k]);
}

/* ---- lifecycle ---- */

static int stream_name(char *buf, size_t n, const char *what, const char *name) {
  return snprintf(buf, n, "%s:%s", what, name);
}

static int station_init(port *p, int i, uint64_t seed, uint32_t rep) {
  station_rt *st = &p->st[i];
  const spec_station *sp = &p->sp->st[i];
  char nm[300];
  st->p = p;
  st->idx = i;
  st->sp = sp;
  st->nominal = sp->nsched ? sp->sched_servers[sp->nsched - 1] : sp->servers;
  stream_name(nm, sizeof nm, "service", sp->name);
  st->svc_rng = rng_stream_new(seed, rep, nm);
  stream_name(nm, sizeof nm, "failures", sp->name);
  st->fail_rng = rng_stream_new(seed, rep, nm);
  res_callbacks cb = {on_grant, on_preempt};
  st->res = res_new(p->s, st->nominal, sp->priority_queue ? RES_PRIORITY : RES_FIFO, sp->capacity,
                    sp->preemptive, cb, st);
  return st->svc_rng && st->fail_rng && st->res ? 0 : -1;
}

static int channel_init(port *p, int i, uint64_t seed, uint32_t rep) {
  channel_rt *c = &p->ch[i];
  char nm[300];
  c->sp = &p->sp->ch[i];
  stream_name(nm, sizeof nm, "arrivals", c->sp->name);
  c->arr_rng = rng_stream_new(seed, rep, nm);
  stream_name(nm, sizeof nm, "routing", c->sp->name);
  c->route_rng = rng_stream_new(seed, rep, nm);
  c->rel_bins = calloc(KPI_REL_BINS, sizeof *c->rel_bins);
  if (!c->arr_rng || !c->route_rng || !c->rel_bins) return -1;
  if (hist_init(&c->release_hist) || hist_init(&c->wait_hist)) return -1;
  reset_channel(c);
  return 0;
}

static void schedule_start(port *p) {
  for (size_t i = 0; i < p->sp->nch; i++) {
    channel_rt *c = &p->ch[i];
    if (c->sp->arrival == ARR_POISSON)
      sim_at(p->s, rng_exponential(c->arr_rng, 1.0 / c->sp->rate_per_min), ev_poisson, p, i);
    else
      for (size_t b = 0; b < c->sp->nbatches; b++)
        sim_at(p->s, c->sp->batches[b].at_min, ev_batch, p, pack((uint32_t)i, (uint32_t)b));
  }
  for (size_t i = 0; i < p->sp->nst; i++) {
    station_rt *st = &p->st[i];
    const spec_station *sp = st->sp;
    if (sp->nsched) {
      /* the count in force at time 0 is the last change of the previous period */
      size_t first = 0;
      sim_at(p->s, sp->sched_at_min[first], ev_sched, st, first);
    }
    if (sp->has_failures)
      for (int u = 0; u < sp->servers; u++)
        sim_at(p->s, dist_sample(&sp->ttf, st->fail_rng), ev_fail, st, (uint64_t)u);
  }
  if (p->t_warm > 0)
    sim_at(p->s, p->t_warm, ev_warm, p, 0);
  else
    p->measuring = 1;
  if (p->nsamples) sim_at(p->s, 0, ev_sample, p, 0);
}

int port_new(port **out, const spec *sp, uint64_t seed, uint32_t rep, sim_error *err) {
  *out = NULL;
  port *p = calloc(1, sizeof *p);
  if (!p) return sim_error_set(err, SIM_ENOMEM, "out of memory");
  p->sp = sp;
  p->free_head = NO_JOB;
  p->t_warm = sp->warmup_min;
  p->t_end = sp->warmup_min + sp->days_min;
  kpi_release_edges(p->edges);
  p->s = sim_new();
  p->st = calloc(sp->nst ? sp->nst : 1, sizeof *p->st);
  p->ch = calloc(sp->nch, sizeof *p->ch);
  if (sp->sample_min > 0) p->nsamples = (size_t)floor(p->t_end / sp->sample_min) + 1;
  size_t ns = p->nsamples ? p->nsamples : 1;
  p->t_h = calloc(ns, sizeof *p->t_h);
  p->s_queue = calloc(ns * (sp->nst ? sp->nst : 1), sizeof *p->s_queue);
  p->s_busy = calloc(ns * (sp->nst ? sp->nst : 1), sizeof *p->s_busy);
  p->s_insys = calloc(ns * sp->nch, sizeof *p->s_insys);
  int bad = !p->s || !p->st || !p->ch || !p->t_h || !p->s_queue || !p->s_busy || !p->s_insys;
  for (size_t i = 0; !bad && i < sp->nst; i++) bad = station_init(p, (int)i, seed, rep);
  for (size_t i = 0; !bad && i < sp->nch; i++) bad = channel_init(p, (int)i, seed, rep);
  if (bad) {
    port_free(p);
    return sim_error_set(err, SIM_ENOMEM, "out of memory building the port model");
  }
  schedule_start(p);
  *out = p;
  return 0;
}

void port_free(port *p) {
  if (!p) return;
  for (size_t i = 0; p->st && i < p->sp->nst; i++) {
    res_free(p->st[i].res);
    gsl_rng_free(p->st[i].svc_rng);
    gsl_rng_free(p->st[i].fail_rng);
  }
  for (size_t i = 0; p->ch && i < p->sp->nch; i++) {
    channel_rt *c = &p->ch[i];
    if (c->arr_rng) gsl_rng_free(c->arr_rng);
    if (c->route_rng) gsl_rng_free(c->route_rng);
    hist_deinit(&c->release_hist);
    hist_deinit(&c->wait_hist);
    free(c->rel_bins);
  }
  free(p->st);
  free(p->ch);
  free(p->jobs);
  free(p->t_h);
  free(p->s_queue);
  free(p->s_busy);
  free(p->s_insys);
  sim_free(p->s);
  free(p);
}

uint64_t port_advance(port *p, double t, uint64_t max_events) {
  if (t > p->t_end) t = p->t_end;
  return sim_run_until(p->s, t, max_events);
}

double port_now(const port *p) { return sim_now(p->s); }
double port_end_time(const port *p) { return p->t_end; }

int port_run(port *p, const volatile sig_atomic_t *interrupt,
             void (*progress)(void *ctx, double share), void *pctx, sim_error *err) {
  const uint64_t chunk = 1 << 16;
  while (sim_now(p->s) < p->t_end || sim_next_time(p->s) <= p->t_end) {
    uint64_t ran = port_advance(p, p->t_end, chunk);
    if (sim_failed(p->s)) return sim_error_set(err, SIM_ERUN, "the simulation ran out of memory");
    if (interrupt && *interrupt) return SIM_EINTR;
    if (progress) progress(pctx, sim_now(p->s) / p->t_end);
    if (ran < chunk) break;
  }
  return 0;
}

sim *port_sim(port *p) { return p->s; }
long port_station_queue(const port *p, int st) { return res_queue_len(p->st[st].res); }
int port_station_busy(const port *p, int st) { return res_busy(p->st[st].res); }
int port_station_capacity(const port *p, int st) { return res_capacity(p->st[st].res); }
int64_t port_channel_in_system(const port *p, int ch) { return p->ch[ch].in_system; }

static void channel_kpis(const channel_rt *c, kpi_channel *k) {
  k->in_system_start = c->in_system_start;
  k->arrived = c->arrived;
  k->released = c->released;
  k->seized = 0;
  k->in_system_end = c->in_system;
  k->inspected = k->false_alarms = 0;
  k->release_mean_min = tally_mean(&c->release);
  k->release_p50_min = hist_quantile(&c->release_hist, 0.50);
  k->release_p95_min = hist_quantile(&c->release_hist, 0.95);
  k->release_p99_min = hist_quantile(&c->release_hist, 0.99);
  k->within_target_share = c->released ? (double)c->within_target / (double)c->released : NAN;
  k->wait_mean_min = tally_mean(&c->wait);
  k->wait_p95_min = hist_quantile(&c->wait_hist, 0.95);
}

static void station_kpis(station_rt *st, double now, kpi_station *k) {
  res_stats_close(st->res);
  const res_stats *rs = res_get_stats(st->res);
  double cap = timeavg_mean(&rs->cap, now), busy = timeavg_mean(&rs->busy, now);
  k->servers = st->sp->servers;
  k->arrived = (int64_t)rs->arrived;
  k->served = (int64_t)rs->served;
  k->lost = (int64_t)rs->lost;
  k->utilization = cap > 0 ? busy / cap : NAN;
  k->wait_mean_min = tally_mean(&rs->wait);
  k->wait_p95_min = hist_quantile(&rs->wait_hist, 0.95);
  k->queue_mean = timeavg_mean(&rs->queue, now);
  k->queue_max = rs->queue.max;
  k->down_h = rs->down_time / 60;
}

int port_kpis(port *p, kpi_run *k, sim_error *err) {
  const spec *sp = p->sp;
  *k = (kpi_run){.nch = sp->nch, .nst = sp->nst, .nsamples = p->sample_i, .events = sim_events(p->s)};
  size_t ns = p->sample_i ? p->sample_i : 1;
  k->ch = calloc(sp->nch, sizeof *k->ch);
  k->st = calloc(sp->nst ? sp->nst : 1, sizeof *k->st);
  k->t_h = calloc(ns, sizeof *k->t_h);
  k->queue = calloc(ns * (sp->nst ? sp->nst : 1), sizeof *k->queue);
  k->busy = calloc(ns * (sp->nst ? sp->nst : 1), sizeof *k->busy);
  k->in_system = calloc(ns * sp->nch, sizeof *k->in_system);
  k->rel_hist = calloc(sp->nch * KPI_REL_BINS, sizeof *k->rel_hist);
  if (!k->ch || !k->st || !k->t_h || !k->queue || !k->busy || !k->in_system || !k->rel_hist) {
    kpi_run_free(k);
    return sim_error_set(err, SIM_ENOMEM, "out of memory collecting results");
  }
  double now = sim_now(p->s);
  for (size_t i = 0; i < sp->nch; i++) {
    channel_kpis(&p->ch[i], &k->ch[i]);
    memcpy(k->rel_hist + i * KPI_REL_BINS, p->ch[i].rel_bins, KPI_REL_BINS * sizeof *k->rel_hist);
    memcpy(k->in_system + i * p->sample_i, p->s_insys + i * p->nsamples, p->sample_i * sizeof(double));
  }
  for (size_t i = 0; i < sp->nst; i++) {
    station_kpis(&p->st[i], now, &k->st[i]);
    memcpy(k->queue + i * p->sample_i, p->s_queue + i * p->nsamples, p->sample_i * sizeof(double));
    memcpy(k->busy + i * p->sample_i, p->s_busy + i * p->nsamples, p->sample_i * sizeof(double));
  }
  memcpy(k->t_h, p->t_h, p->sample_i * sizeof(double));
  return 0;
}
