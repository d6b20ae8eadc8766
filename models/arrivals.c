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
 * - schedule: batches at given times (arrivals_batch.c). */
#include "models/arrivals.h"

#include <limits.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_randist.h>

#include "models/arrivals_internal.h"
#include "models/itemfeed.h"
#include "models/scenario/schema.h"
#include "models/strtab.h"
#include "models/timecal.h"
#include "sim/rng.h"

static const char *const process_names[] = {"poisson", "profile", "schedule"};
#define NPROCESS (sizeof process_names / sizeof process_names[0])

#define MAX_REJECT 4096          /* candidates tried per event before a pause event */

const char *arrivals_spec_process(const arrivals_spec *a) { return process_names[a->process]; }

const char *arrivals_process_name_at(int i) {
  return i >= 0 && (size_t)i < NPROCESS ? process_names[i] : NULL;
}
int arrivals_spec_origins(const arrivals_spec *a) { return a->norigins; }

double arrivals_spec_cycle_h(const arrivals_spec *a) {
  if (a->process == AP_POISSON) return 0;
  if (a->process == AP_SCHEDULE) return a->period_min > 0 ? a->period_min / 60 : 24;
  for (int d = 1; d < 7; d++)
    if (a->weekly[d] != a->weekly[0]) return 168;
  return 24;
}
const char *arrivals_spec_origin(const arrivals_spec *a, int i) {
  return i >= 0 && i < a->norigins ? a->origins[i] : NULL;
}

void arrivals_spec_free(arrivals_spec *a) {
  if (!a) return;
  for (int i = 0; i < a->norigins; i++) free(a->origins[i]);
  free(a->origins);
  strtab_free(a->origin_index);
  arrivals_free_batches(a);
  free(a->sg);
  free(a);
}

/* ---- reading ---- */

int arrivals_oom(sim_error *err) { return sim_error_set(err, SIM_ENOMEM, "out of memory"); }


int32_t arrivals_intern_origin(arrivals_spec *a, const char *code) {
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
  const config_setting_t *s =
      root ? config_setting_lookup((config_setting_t *)root, "run.start") : NULL;
  if (!start_iso) start_iso = s ? config_setting_get_string(s) : NULL;
  if (!start_iso) start_iso = schema_find("run.start") ? schema_find("run.start")->def : NULL;
  if (start_iso && !timecal_parse(start_iso, &a->start_epoch)) return 0;
  if (s)
    return schema_error(err, s, file, "'%s' is not an ISO date or date-time (YYYY-MM-DDTHH:MM)",
                        start_iso);
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

static int read_rate(arrivals_spec *a, const config_setting_t *g, const char *file,
                     sim_error *err) {
  const config_setting_t *r = config_setting_get_member(g, "rate_per_hour");
  if (!r)
    return schema_error(err, g, file, "%s arrivals need rate_per_hour", process_names[a->process]);
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

/* ---- surges ---- */

static int read_surges(arrivals_spec *a, const config_setting_t *root, const char *channel,
                       const char *file, sim_error *err) {
  const config_setting_t *all = root ? config_setting_get_member(root, "surges") : NULL;
  int n = all ? config_setting_length(all) : 0;
  a->sg = calloc(n ? (size_t)n : 1, sizeof *a->sg);
  if (!a->sg) return arrivals_oom(err);
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
    b *= max_of(a->hourly, 24) * max_of(a->weekly, 7) * fmax(1, a->holiday_factor) *
         fmax(1, a->peak_factor);
  for (size_t i = 0; i < a->nsg; i++) b *= fmax(1, a->sg[i].factor);
  a->bound_per_min = b;
}

int arrivals_spec_read(arrivals_spec **out, const config_setting_t *group,
                       const config_setting_t *root, const char *channel, const char *start_iso,
                       const char *file, sim_error *err) {
  *out = NULL;
  if (!group)
    return sim_error_set(err, SIM_EINVAL, "%s: channel '%s' has no arrivals group", file,
                         channel ? channel : "?");
  arrivals_spec *a = calloc(1, sizeof *a);
  if (!a) return arrivals_oom(err);
  const char *proc = schema_string(group, "process");
  int rc = 0;
  while (a->process < (int)NPROCESS && (!proc || strcmp(proc, process_names[a->process])))
    a->process++;
  if (!proc) rc = schema_error(err, group, file, "missing required key 'process'");
  else if (a->process == 3)
    rc = schema_error(err, config_setting_get_member(group, "process"), file,
                      "'%s' is not one of poisson|profile|schedule", proc);
  if (!rc) rc = read_start(a, root, start_iso, file, err);
  if (!rc)
    rc = a->process == AP_SCHEDULE ? arrivals_read_schedule(a, group, file, err)
                                   : read_rate(a, group, file, err);
  if (!rc) rc = read_surges(a, root, channel, file, err);
  if (rc) {
    arrivals_spec_free(a);
    return rc;
  }
  set_bound(a);
  *out = a;
  return 0;
}

double arrivals_surge_factor(const arrivals_spec *a, double t) {
  double f = 1;
  for (size_t i = 0; i < a->nsg; i++)
    if (t >= a->sg[i].from_min && t < a->sg[i].to_min) f *= a->sg[i].factor;
  return f;
}

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
  double r = a->rate_per_min * arrivals_surge_factor(a, t);
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

double arrivals_spec_mean_rate(const arrivals_spec *a, double t0_min, double t1_min) {
  if (!a || !(t1_min > t0_min)) return NAN;
  if (a->process == AP_SCHEDULE)
    return arrivals_schedule_items(a, t0_min, t1_min) / (t1_min - t0_min) * 60;
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

sim_handle arrivals_at(arrivals *a, double t, sim_fn fn, uint64_t arg) {
  sim_handle h = sim_at(a->s, t, fn, a, arg);
  if (!h) {
    a->nomem = 1;
    sim_fail(a->s, SIM_ENOMEM);
  }
  return h;
}

static void ev_candidate(sim *s, void *ctx, uint64_t arg);

/* The next candidate after *t at the given factor (> 0), thinning: 1 when one is kept at
 * *t, 0 when MAX_REJECT were rejected (*t: the last one tried). */
static inline int next_candidate(const arrivals_spec *sp, gsl_rng *r, day_cache *dc,
                                 double factor, double *t) {
  double bound = sp->bound_per_min * factor;
  for (int i = 0; i < MAX_REJECT; i++) {
    *t += rng_exponential(r, 1 / bound);
    double lam = rate_at(sp, *t, dc) * factor;
    if (lam >= bound || rng_uniform(r) * bound < lam) return 1;
  }
  return 0;
}

/* A candidate drawn ahead, and the stream's state after drawing it. */
typedef struct ahead_rec {
  double t;
  int64_t kept;
  uint64_t after[4];
} ahead_rec;

struct arrivals_ahead {
  const arrivals_spec *sp;
  gsl_rng *r; /* a copy of the channel's stream, drawn on the helper thread */
  day_cache dc;
  double t;
};

static void arm_ahead(arrivals *a) {
  ahead_rec rec;
  itemfeed_read(a->feed, a->feed_id, &rec);
  memcpy(a->after, rec.after, sizeof a->after);
  a->t_armed = rec.t;
  a->h = arrivals_at(a, rec.t, ev_candidate, (uint64_t)rec.kept);
}

/* Schedules the next kept candidate after now (thinning); after MAX_REJECT rejections
 * a pause event continues the search, so one event never loops for long. */
static void arm(arrivals *a) {
  a->h = 0;
  if (!(a->factor > 0)) return;
  if (a->feed) {
    arm_ahead(a);
    return;
  }
  double t = sim_now(a->s);
  int kept = next_candidate(a->sp, a->r, &a->dc, a->factor, &t);
  a->t_armed = t;
  a->h = arrivals_at(a, t, ev_candidate, (uint64_t)kept);
}

static void ev_candidate(sim *s, void *ctx, uint64_t arg) {
  (void)s;
  arrivals *a = ctx;
  arm(a); /* first, so fn may change the factor (which re-arms) */
  if (arg) a->fn(a->ctx, a->channel, -1);
}

/* ---- candidates drawn ahead ---- */

size_t arrivals_ahead_size(void) { return sizeof(ahead_rec); }

arrivals_ahead *arrivals_ahead_new(arrivals *a) {
  if (a->ahead || a->feed || a->sp->process == AP_SCHEDULE || a->factor != 1 || !a->h ||
      gsl_rng_size(a->r) != sizeof a->after)
    return NULL;
  arrivals_ahead *ah = calloc(1, sizeof *ah);
  if (!ah || !(ah->r = gsl_rng_clone(a->r))) return free(ah), NULL;
  ah->sp = a->sp;
  ah->dc = (day_cache){LONG_MIN, 0};
  ah->t = a->t_armed;
  a->ahead = ah;
  return ah;
}

void arrivals_ahead_make(void *ctx, void *out) {
  arrivals_ahead *ah = ctx;
  ahead_rec rec;
  rec.kept = next_candidate(ah->sp, ah->r, &ah->dc, 1.0, &ah->t);
  rec.t = ah->t;
  memcpy(rec.after, gsl_rng_state(ah->r), sizeof rec.after);
  memcpy(out, &rec, sizeof rec);
}

void arrivals_ahead_use(arrivals *a, struct itemfeed *f, int id) {
  memcpy(a->after, gsl_rng_state(a->r), sizeof a->after);
  a->feed = f, a->feed_id = id;
}

/* Back to drawing here: the stream continues from the last candidate taken. */
static void unfeed(arrivals *a) {
  if (!a->feed) return;
  memcpy(gsl_rng_state(a->r), a->after, sizeof a->after);
  a->feed = NULL;
}

int arrivals_new(arrivals **out, const arrivals_spec *sp, sim *s, gsl_rng *r, int channel,
                 arrivals_fn fn, void *ctx) {
  *out = NULL;
  if (!sp || !s || !r || !fn) return SIM_EINVAL;
  arrivals *a = calloc(1, sizeof *a);
  if (!a) return SIM_ENOMEM;
  *a = (arrivals){.sp = sp, .s = s, .r = r, .channel = channel, .fn = fn, .ctx = ctx,
                  .tag = -1, .factor = 1, .dc = {LONG_MIN, 0}};
  if (sp->process == AP_SCHEDULE)
    arrivals_first_batch(a);
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
  if (a->ahead) gsl_rng_free(a->ahead->r), free(a->ahead);
  free(a);
}

void arrivals_set_factor(arrivals *a, double factor) {
  if (!(factor >= 0) || !isfinite(factor)) factor = 0;
  if (factor == a->factor) return;
  a->factor = factor;
  if (a->sp->process == AP_SCHEDULE) return; /* applied at each batch's time */
  unfeed(a); /* candidates drawn ahead assumed the factor would stay 1 */
  sim_cancel(a->s, a->h);
  arm(a);
}

double arrivals_factor(const arrivals *a) { return a->factor; }
