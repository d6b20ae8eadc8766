/* arrivals: the arrival process of one channel (see arrivals.h): reading it from the
 * scenario, and running it on a simulation.
 *
 * Methods:
 * - poisson and profile: a non-homogeneous Poisson process with rate
 *     lambda(t) = rate_per_hour * hourly[hour] * weekly[weekday] * holiday * peak
 *                 * (product of the surges active at t) * factor,
 *   the profiles normalised to mean 1 (so rate_per_hour is the mean over an ordinary
 *   week). It is simulated by thinning (Lewis and Shedler 1979): candidates come at
 *   the constant bound lambda* = rate * max(hourly) * max(weekly) * max(1, holiday)
 *   * max(1, peak) * product(max(1, surge factor)) * factor, and a candidate at t is
 *   kept with probability lambda(t) / lambda*. Rejected candidates cost two draws and
 *   no event. A new factor re-arms the process from now, which is exact because the
 *   candidate stream is memoryless; factor 0 schedules nothing until it rises again.
 * - schedule: batches at given times (repeated every period_h when > 0). A batch's
 *   size is `size`, or Binomial(seats, load_factor) passengers. Its items arrive
 *   independently and uniformly over [at, at + spread_min]: they are drawn one at a
 *   time as successive order statistics, so a batch keeps one pending event however
 *   large it is.
 * - Surges and the factor scale a batch at its time by m = (product of active surges)
 *   * factor: each item becomes floor(m) items plus one more with probability
 *   m - floor(m). For m < 1 that is binomial thinning; for m > 1 the mean is m * size
 *   with the least spread (a whole factor is exact). */
#include "models/arrivals.h"

#include <limits.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_randist.h>

#include "models/schema.h"
#include "models/strtab.h"
#include "models/timecal.h"
#include "sim/rng.h"

enum { AP_POISSON, AP_PROFILE, AP_SCHEDULE };
static const char *const process_names[] = {"poisson", "profile", "schedule"};

#define MAX_REJECT 4096          /* candidates tried per event before a pause event */
#define MAX_BATCH_ITEMS 1e9      /* cap on one batch after surges */
#define MAX_ACTIVE_BATCHES (1 << 20)

typedef struct batch {
  double at_min, spread_min;
  long size, seats; /* size < 0: Binomial(seats, load) */
  double load;
  int32_t origin;
  size_t seq; /* input order, for a stable sort */
} batch;

typedef struct surge {
  double from_min, to_min, factor;
} surge;

struct arrivals_spec {
  int process;
  double rate_per_min;
  double hourly[24], weekly[7];
  double holiday_factor, peak_factor;
  double start_epoch;   /* run.start in epoch minutes */
  double bound_per_min; /* thinning bound at factor 1 */
  batch *b;
  size_t nb;
  double period_min;
  char **origins;
  int norigins, cap_origins;
  strtab *origin_index;  /* code -> index in origins (a CSV may hold a million codes) */
  surge *sg;
  size_t nsg;
};

const char *arrivals_spec_process(const arrivals_spec *a) { return process_names[a->process]; }
int arrivals_spec_origins(const arrivals_spec *a) { return a->norigins; }
const char *arrivals_spec_origin(const arrivals_spec *a, int i) {
  return i >= 0 && i < a->norigins ? a->origins[i] : NULL;
}

void arrivals_spec_free(arrivals_spec *a) {
  if (!a) return;
  for (int i = 0; i < a->norigins; i++) free(a->origins[i]);
  free(a->origins);
  strtab_free(a->origin_index);
  free(a->b);
  free(a->sg);
  free(a);
}

/* ---- reading ---- */

static int oom(sim_error *err) { return sim_error_set(err, SIM_ENOMEM, "out of memory"); }


/* The index of an origin code in the channel's list, adding it when new; -2 if no memory. */
static int32_t intern_origin(arrivals_spec *a, const char *code) {
  if (!code || !*code) return -1;
  long known = strtab_find(a->origin_index, code);
  if (known >= 0) return (int32_t)known;
  if (!a->origin_index && !(a->origin_index = strtab_new())) return -2;
  if (a->norigins == a->cap_origins) {
    int nc = a->cap_origins ? 2 * a->cap_origins : 16;
    char **p = realloc(a->origins, (size_t)nc * sizeof *p);
    if (!p) return -2;
    a->origins = p;
    a->cap_origins = nc;
  }
  char *s = strdup(code);
  if (!s || strtab_put(a->origin_index, s, a->norigins)) return free(s), -2;
  a->origins[a->norigins] = s;
  return a->norigins++;
}

static int read_start(arrivals_spec *a, const config_setting_t *root, const char *start_iso,
                      const char *file, sim_error *err) {
  const config_setting_t *s = root ? config_setting_lookup((config_setting_t *)root, "run.start") : NULL;
  if (!start_iso) start_iso = s ? config_setting_get_string(s) : NULL;
  if (!start_iso) start_iso = schema_find("run.start") ? schema_find("run.start")->def : NULL;
  if (start_iso && !timecal_parse(start_iso, &a->start_epoch)) return 0;
  if (s) return schema_error(err, s, file, "'%s' is not an ISO date or date-time (YYYY-MM-DDTHH:MM)", start_iso);
  return sim_error_set(err, SIM_EINVAL, "%s: run.start '%s' is not an ISO date or date-time",
                       file, start_iso ? start_iso : "");
}

/* A relative profile of n entries (hourly, weekly), normalised to mean 1; flat when
 * absent. */
static int read_profile(const config_setting_t *g, const char *name, int n, double *out,
                        const char *file, sim_error *err) {
  const config_setting_t *s = config_setting_get_member(g, name);
  for (int i = 0; i < n; i++) out[i] = 1;
  if (!s) return 0;
  if (!config_setting_is_aggregate(s) || config_setting_length(s) != n)
    return schema_error(err, s, file, "must be an array of %d numbers (%s), found %d", n,
                        n == 24 ? "hours 0-23" : "Monday to Sunday",
                        config_setting_is_aggregate(s) ? config_setting_length(s) : 1);
  double sum = 0;
  for (int i = 0; i < n; i++) {
    const config_setting_t *e = config_setting_get_elem(s, (unsigned)i);
    if (!schema_is_num(e) || !(schema_num(e) >= 0) || !isfinite(schema_num(e)))
      return schema_error(err, e, file, "must be a number >= 0");
    out[i] = schema_num(e);
    sum += out[i];
  }
  if (!(sum > 0)) return schema_error(err, s, file, "must not be all zero");
  for (int i = 0; i < n; i++) out[i] *= n / sum;
  return 0;
}

static int read_factor(const config_setting_t *g, const char *name, double *v,
                       const char *file, sim_error *err) {
  *v = schema_float(g, name);
  if (isnan(*v)) *v = 1;
  if (!(*v >= 0) || !isfinite(*v))
    return schema_error(err, config_setting_get_member(g, name), file, "must be a number >= 0");
  return 0;
}

static int read_rate(arrivals_spec *a, const config_setting_t *g, const char *file, sim_error *err) {
  const config_setting_t *r = config_setting_get_member(g, "rate_per_hour");
  if (!r) return schema_error(err, g, file, "%s arrivals need rate_per_hour", process_names[a->process]);
  if (!schema_is_num(r) || !(schema_num(r) > 0) || !isfinite(schema_num(r)))
    return schema_error(err, r, file, "must be a number > 0");
  a->rate_per_min = schema_num(r) / 60;
  if (a->process == AP_POISSON) return 0;
  if (read_profile(g, "hourly", 24, a->hourly, file, err) ||
      read_profile(g, "weekly", 7, a->weekly, file, err) ||
      read_factor(g, "holiday_factor", &a->holiday_factor, file, err) ||
      read_factor(g, "peak_factor", &a->peak_factor, file, err))
    return SIM_EINVAL;
  return 0;
}

static int push_batch(arrivals_spec *a, size_t *cap, sim_error *err) {
  if (a->nb == *cap) {
    size_t nc = *cap ? *cap * 2 : 16;
    batch *p = realloc(a->b, nc * sizeof *p);
    if (!p) return oom(err);
    a->b = p;
    *cap = nc;
  }
  memset(&a->b[a->nb], 0, sizeof a->b[a->nb]);
  a->b[a->nb].seq = a->nb;
  a->nb++;
  return 0;
}

/* size, or seats with load_factor, of one batch in the scenario. */
static int read_batch_size(batch *b, const config_setting_t *e, const char *file, sim_error *err) {
  const config_setting_t *sz = config_setting_get_member(e, "size");
  const config_setting_t *se = config_setting_get_member(e, "seats");
  const config_setting_t *lf = config_setting_get_member(e, "load_factor");
  if (sz && (se || lf)) return schema_error(err, e, file, "give size, or seats and load_factor, not both");
  if (!sz && !(se && lf)) return schema_error(err, e, file, "needs size, or seats and load_factor");
  b->size = sz ? schema_int(e, "size") : -1;
  b->seats = se ? schema_int(e, "seats") : 0;
  b->load = lf ? schema_float(e, "load_factor") : 0;
  if (b->size < -1 || b->seats < 0 || !(b->load >= 0 && b->load <= 1))
    return schema_error(err, e, file, "size and seats must be >= 0, load_factor in [0, 1]");
  return 0;
}

static int read_batches(arrivals_spec *a, const config_setting_t *g, double spread_def,
                        size_t *cap, const char *file, sim_error *err) {
  const config_setting_t *l = config_setting_get_member(g, "batches");
  if (!l) return 0;
  if (!config_setting_is_list(l) || config_setting_length(l) < 1)
    return schema_error(err, l, file, "must be a non-empty list ( { at_h = ...; size = ...; }, ... )");
  for (int i = 0; i < config_setting_length(l); i++) {
    const config_setting_t *e = config_setting_get_elem(l, (unsigned)i);
    if (!config_setting_get_member(e, "at_h")) return schema_error(err, e, file, "missing required key 'at_h'");
    if (push_batch(a, cap, err)) return SIM_ENOMEM;
    batch *b = &a->b[a->nb - 1];
    b->at_min = schema_float(e, "at_h") * 60;
    b->spread_min = config_setting_get_member(e, "spread_min") ? schema_float(e, "spread_min") : spread_def;
    if (read_batch_size(b, e, file, err)) return SIM_EINVAL;
    const config_setting_t *o = config_setting_get_member(e, "origin");
    b->origin = o ? intern_origin(a, config_setting_get_string(o)) : -1;
    if (b->origin == -2) return oom(err);
    if (!(b->at_min >= 0) || (a->period_min > 0 && b->at_min >= a->period_min))
      return schema_error(err, e, file, "at_h must lie within [0, period_h)");
    if (!(b->spread_min >= 0)) return schema_error(err, e, file, "spread_min must be >= 0");
  }
  return 0;
}

/* The CSV path: relative to the scenario file's directory unless absolute. */
static int csv_path(char *buf, size_t n, const char *file, const char *csv) {
  const char *slash = file ? strrchr(file, '/') : NULL;
  int len = csv[0] == '/' || !slash ? snprintf(buf, n, "%s", csv)
                                    : snprintf(buf, n, "%.*s/%s", (int)(slash - file), file, csv);
  return len < 0 || (size_t)len >= n ? -1 : 0;
}

static int add_row(arrivals_spec *a, const arrivals_row *r, double spread_def, size_t *cap,
                   const char *path, sim_error *err) {
  if (a->period_min > 0 && !(r->at_min >= 0 && r->at_min < a->period_min))
    return sim_error_set(err, SIM_EINVAL, "%s:%d: time %g h lies outside the period [0, %g) h",
                         path, r->line, r->at_min / 60, a->period_min / 60);
  if (r->at_min < 0) return 0; /* a flight before the run start: not simulated */
  if (push_batch(a, cap, err)) return SIM_ENOMEM;
  batch *b = &a->b[a->nb - 1];
  b->at_min = r->at_min;
  b->spread_min = r->spread_min >= 0 ? r->spread_min : spread_def;
  b->size = r->size;
  b->seats = r->seats;
  b->load = r->load_factor;
  b->origin = intern_origin(a, r->origin);
  return b->origin == -2 ? oom(err) : 0;
}

static int read_csv(arrivals_spec *a, const config_setting_t *g, double spread_def,
                    size_t *cap, const char *file, sim_error *err) {
  const config_setting_t *s = config_setting_get_member(g, "csv");
  if (!s) return 0;
  const char *name = config_setting_get_string(s);
  char path[1024];
  if (!name || !*name || csv_path(path, sizeof path, file, name))
    return schema_error(err, s, file, "must be a file name (relative to the scenario's directory)");
  arrivals_row *rows = NULL;
  size_t n = 0;
  int rc = arrivals_csv_read(path, a->start_epoch, &rows, &n, err);
  if (rc == SIM_EIO) { /* name where the scenario asked for it */
    char msg[sizeof err->msg];
    snprintf(msg, sizeof msg, "%s", err ? err->msg : path);
    return schema_error(err, s, file, "%s", msg);
  }
  for (size_t i = 0; !rc && i < n; i++) rc = add_row(a, &rows[i], spread_def, cap, path, err);
  free(rows);
  return rc;
}

static int by_time(const void *x, const void *y) {
  const batch *p = x, *q = y;
  if (p->at_min != q->at_min) return p->at_min < q->at_min ? -1 : 1;
  return p->seq < q->seq ? -1 : p->seq > q->seq;
}

static int read_schedule(arrivals_spec *a, const config_setting_t *g, const char *file, sim_error *err) {
  size_t cap = 0;
  a->period_min = schema_float(g, "period_h") * 60;
  if (!(a->period_min >= 0)) a->period_min = 0;
  double spread_def = schema_float(g, "spread_min");
  if (!(spread_def >= 0)) spread_def = 0;
  if (!config_setting_get_member(g, "batches") && !config_setting_get_member(g, "csv"))
    return schema_error(err, g, file, "schedule arrivals need a batches list or a csv file");
  int rc = read_batches(a, g, spread_def, &cap, file, err);
  if (!rc) rc = read_csv(a, g, spread_def, &cap, file, err);
  if (!rc && a->nb) qsort(a->b, a->nb, sizeof *a->b, by_time);
  return rc;
}

/* ---- surges ---- */

static int read_surges(arrivals_spec *a, const config_setting_t *root, const char *channel,
                       const char *file, sim_error *err) {
  const config_setting_t *all = root ? config_setting_get_member(root, "surges") : NULL;
  int n = all ? config_setting_length(all) : 0;
  a->sg = calloc(n ? (size_t)n : 1, sizeof *a->sg);
  if (!a->sg) return oom(err);
  for (int i = 0; i < n; i++) {
    surge s;
    int applies;
    if (arrivals_surge_read(config_setting_get_elem(all, (unsigned)i), channel, a->start_epoch,
                            &s.from_min, &s.to_min, &s.factor, &applies, file, err))
      return SIM_EINVAL;
    if (applies) a->sg[a->nsg++] = s;
  }
  return 0;
}

/* ---- the rate function ---- */

static double max_of(const double *v, int n) {
  double m = v[0];
  for (int i = 1; i < n; i++) m = v[i] > m ? v[i] : m;
  return m;
}

static void set_bound(arrivals_spec *a) {
  double b = a->rate_per_min;
  if (a->process == AP_PROFILE)
    b *= max_of(a->hourly, 24) * max_of(a->weekly, 7) * fmax(1, a->holiday_factor) * fmax(1, a->peak_factor);
  for (size_t i = 0; i < a->nsg; i++) b *= fmax(1, a->sg[i].factor);
  a->bound_per_min = b;
}

int arrivals_spec_read(arrivals_spec **out, const config_setting_t *group,
                       const config_setting_t *root, const char *channel, const char *start_iso,
                       const char *file, sim_error *err) {
  *out = NULL;
  if (!group) return sim_error_set(err, SIM_EINVAL, "%s: channel '%s' has no arrivals group", file, channel ? channel : "?");
  arrivals_spec *a = calloc(1, sizeof *a);
  if (!a) return oom(err);
  const char *proc = schema_string(group, "process");
  int rc = 0;
  while (a->process < 3 && (!proc || strcmp(proc, process_names[a->process]))) a->process++;
  if (!proc) rc = schema_error(err, group, file, "missing required key 'process'");
  else if (a->process == 3) rc = schema_error(err, config_setting_get_member(group, "process"), file,
                                              "'%s' is not one of poisson|profile|schedule", proc);
  if (!rc) rc = read_start(a, root, start_iso, file, err);
  if (!rc) rc = a->process == AP_SCHEDULE ? read_schedule(a, group, file, err) : read_rate(a, group, file, err);
  if (!rc) rc = read_surges(a, root, channel, file, err);
  if (rc) {
    arrivals_spec_free(a);
    return rc;
  }
  set_bound(a);
  *out = a;
  return 0;
}

static double surge_factor(const arrivals_spec *a, double t) {
  double f = 1;
  for (size_t i = 0; i < a->nsg; i++)
    if (t >= a->sg[i].from_min && t < a->sg[i].to_min) f *= a->sg[i].factor;
  return f;
}

/* The day's part of a profile rate, cached per day (holiday checks are not free). */
typedef struct day_cache {
  long day;
  double f;
} day_cache;

static double day_factor(const arrivals_spec *a, long day) {
  timecal_fields d;
  timecal_fields_of((double)day * 1440, &d);
  double f = a->weekly[d.weekday];
  if (timecal_is_holiday(d.year, d.month, d.day)) f *= a->holiday_factor;
  if (timecal_is_peak_season(d.year, d.month, d.day)) f *= a->peak_factor;
  return f;
}

/* Arrivals per minute at t minutes from the start (factor 1). */
static double rate_at(const arrivals_spec *a, double t, day_cache *c) {
  double r = a->rate_per_min * surge_factor(a, t);
  if (a->process != AP_PROFILE || r == 0) return r;
  double e = a->start_epoch + t + 1e-6; /* 1e-6: rounding at hour edges, as timecal */
  long day = (long)floor(e / 1440);
  if (day != c->day) *c = (day_cache){day, day_factor(a, day)};
  int h = (int)((e - (double)day * 1440) / 60);
  return r * a->hourly[h < 0 ? 0 : h > 23 ? 23 : h] * c->f;
}

/* The next time after t where the rate may change: an hour edge or a surge edge. */
static double next_edge(const arrivals_spec *a, double t) {
  double e = INFINITY;
  if (a->process == AP_PROFILE) {
    double ep = a->start_epoch + t;
    e = (floor(ep / 60) + 1) * 60 - a->start_epoch;
    if (!(e > t)) e = t + 60;
  }
  for (size_t i = 0; i < a->nsg; i++) {
    if (a->sg[i].from_min > t && a->sg[i].from_min < e) e = a->sg[i].from_min;
    if (a->sg[i].to_min > t && a->sg[i].to_min < e) e = a->sg[i].to_min;
  }
  return e;
}

/* Expected items of schedule batches arriving in [t0, t1). */
static double schedule_items(const arrivals_spec *a, double t0, double t1) {
  double sum = 0;
  for (size_t i = 0; i < a->nb; i++) {
    const batch *b = &a->b[i];
    double n = b->size >= 0 ? (double)b->size : (double)b->seats * b->load;
    long c0 = 0, c1 = 0;
    if (a->period_min > 0) {
      c0 = (long)floor((t0 - b->at_min - b->spread_min) / a->period_min);
      c1 = (long)ceil((t1 - b->at_min) / a->period_min);
      if (c0 < 0) c0 = 0;
    }
    for (long c = c0; c <= c1; c++) {
      double t = (double)c * a->period_min + b->at_min, frac;
      if (b->spread_min > 0)
        frac = fmax(0, fmin(t + b->spread_min, t1) - fmax(t, t0)) / b->spread_min;
      else
        frac = t >= t0 && t < t1;
      sum += n * surge_factor(a, t) * frac;
    }
  }
  return sum;
}

double arrivals_spec_mean_rate(const arrivals_spec *a, double t0_min, double t1_min) {
  if (!a || !(t1_min > t0_min)) return NAN;
  if (a->process == AP_SCHEDULE) return schedule_items(a, t0_min, t1_min) / (t1_min - t0_min) * 60;
  double sum = 0;
  day_cache c = {LONG_MIN, 0};
  for (double t = t0_min; t < t1_min;) {
    double e = fmin(next_edge(a, t), t1_min);
    sum += rate_at(a, 0.5 * (t + e), &c) * (e - t);
    t = e;
  }
  return sum / (t1_min - t0_min) * 60;
}

/* ---- running ---- */

/* A batch whose items are still arriving. */
typedef struct active {
  double t_end;
  long left; /* 0: the slot is free */
  int32_t origin;
  sim_handle h;
} active;

struct arrivals {
  const arrivals_spec *sp;
  sim *s;
  gsl_rng *r;
  int channel;
  arrivals_fn fn;
  void *ctx;
  double factor;
  day_cache dc;
  sim_handle h; /* the pending candidate or the next batch */
  size_t bi;    /* next batch and its period */
  long cycle;
  active *act;
  size_t nact;
  int nomem; /* an event could not be scheduled */
};

static sim_handle at(arrivals *a, double t, sim_fn fn, uint64_t arg) {
  sim_handle h = sim_at(a->s, t, fn, a, arg);
  if (!h) {
    a->nomem = 1;
    sim_fail(a->s, SIM_ENOMEM);
  }
  return h;
}

static void ev_candidate(sim *s, void *ctx, uint64_t arg);

/* Schedules the next kept candidate after now (thinning); after MAX_REJECT rejections
 * a pause event continues the search, so one event never loops for long. */
static void arm(arrivals *a) {
  a->h = 0;
  if (!(a->factor > 0)) return;
  double bound = a->sp->bound_per_min * a->factor, t = sim_now(a->s);
  for (int i = 0; i < MAX_REJECT; i++) {
    t += rng_exponential(a->r, 1 / bound);
    double lam = rate_at(a->sp, t, &a->dc) * a->factor;
    if (lam >= bound || gsl_rng_uniform(a->r) * bound < lam) {
      a->h = at(a, t, ev_candidate, 1);
      return;
    }
  }
  a->h = at(a, t, ev_candidate, 0);
}

static void ev_candidate(sim *s, void *ctx, uint64_t arg) {
  (void)s;
  arrivals *a = ctx;
  arm(a); /* first, so fn may change the factor (which re-arms) */
  if (arg) a->fn(a->ctx, a->channel, -1);
}

static double batch_time(const arrivals *a, long cycle, size_t i) {
  return (double)cycle * a->sp->period_min + a->sp->b[i].at_min;
}

static void ev_batch(sim *s, void *ctx, uint64_t arg);

/* Schedules batch a->bi of period a->cycle, wrapping to the next period. */
static void arm_batch(arrivals *a) {
  a->h = 0;
  if (a->bi >= a->sp->nb) {
    if (!(a->sp->period_min > 0)) return;
    a->bi = 0;
    a->cycle++;
  }
  a->h = at(a, batch_time(a, a->cycle, a->bi), ev_batch, a->bi);
}

/* The size of a batch scaled by m: floor(m) items per item plus Binomial(n, frac). */
static long scaled_size(gsl_rng *r, long n, double m) {
  if (m == 1 || n <= 0) return n;
  if (!(m > 0)) return 0;
  double whole = floor(m), frac = m - whole;
  double total = (double)n * whole;
  if (total > MAX_BATCH_ITEMS) return (long)MAX_BATCH_ITEMS;
  if (frac > 0) total += gsl_ran_binomial(r, frac, (unsigned)n);
  return (long)fmin(total, MAX_BATCH_ITEMS);
}

/* The first of k items uniform on [t, t_end]: their minimum. */
static double next_item_time(gsl_rng *r, double t, double t_end, long k) {
  if (!(t_end > t)) return t;
  return t + (t_end - t) * -expm1(log(rng_uniform_pos(r)) / (double)k);
}

static void ev_item(sim *s, void *ctx, uint64_t arg);

static void start_items(arrivals *a, long n, double spread, int32_t origin) {
  size_t k = 0;
  while (k < a->nact && a->act[k].left) k++;
  if (k == a->nact) {
    size_t nn = a->nact ? a->nact * 2 : 8;
    active *p = nn <= MAX_ACTIVE_BATCHES ? realloc(a->act, nn * sizeof *p) : NULL;
    if (!p) {
      a->nomem = 1;
      sim_fail(a->s, SIM_ENOMEM);
      return;
    }
    memset(p + a->nact, 0, (nn - a->nact) * sizeof *p);
    a->act = p;
    a->nact = nn;
  }
  double now = sim_now(a->s);
  a->act[k] = (active){now + spread, n, origin, 0};
  a->act[k].h = at(a, next_item_time(a->r, now, now + spread, n), ev_item, k);
}

static void ev_batch(sim *s, void *ctx, uint64_t arg) {
  arrivals *a = ctx;
  const batch *b = &a->sp->b[arg];
  a->bi = (size_t)arg + 1;
  arm_batch(a);
  long n = b->size >= 0 ? b->size : (long)gsl_ran_binomial(a->r, b->load, (unsigned)b->seats);
  n = scaled_size(a->r, n, a->factor * surge_factor(a->sp, sim_now(s)));
  if (n > 0) start_items(a, n, b->spread_min, b->origin);
}

static void ev_item(sim *s, void *ctx, uint64_t arg) {
  arrivals *a = ctx;
  active *x = &a->act[arg];
  int32_t origin = x->origin;
  x->h = --x->left ? at(a, next_item_time(a->r, sim_now(s), x->t_end, x->left), ev_item, arg) : 0;
  a->fn(a->ctx, a->channel, origin);
}

/* The first batch at or after now. */
static void first_batch(arrivals *a) {
  double now = sim_now(a->s);
  a->cycle = a->sp->period_min > 0 ? (long)floor(now / a->sp->period_min) : 0;
  a->bi = 0;
  while (a->bi < a->sp->nb && batch_time(a, a->cycle, a->bi) < now) a->bi++;
  arm_batch(a);
}

int arrivals_new(arrivals **out, const arrivals_spec *sp, sim *s, gsl_rng *r, int channel,
                 arrivals_fn fn, void *ctx) {
  *out = NULL;
  if (!sp || !s || !r || !fn) return SIM_EINVAL;
  arrivals *a = calloc(1, sizeof *a);
  if (!a) return SIM_ENOMEM;
  *a = (arrivals){.sp = sp, .s = s, .r = r, .channel = channel, .fn = fn, .ctx = ctx,
                  .factor = 1, .dc = {LONG_MIN, 0}};
  if (sp->process == AP_SCHEDULE)
    first_batch(a);
  else
    arm(a);
  if (a->nomem) {
    arrivals_free(a);
    return SIM_ENOMEM;
  }
  *out = a;
  return 0;
}

void arrivals_free(arrivals *a) {
  if (!a) return;
  sim_cancel(a->s, a->h);
  for (size_t k = 0; k < a->nact; k++)
    if (a->act[k].left) sim_cancel(a->s, a->act[k].h);
  free(a->act);
  free(a);
}

void arrivals_set_factor(arrivals *a, double factor) {
  if (!(factor >= 0) || !isfinite(factor)) factor = 0;
  if (factor == a->factor) return;
  a->factor = factor;
  if (a->sp->process == AP_SCHEDULE) return; /* applied at each batch's time */
  sim_cancel(a->s, a->h);
  arm(a);
}

double arrivals_factor(const arrivals *a) { return a->factor; }
