/* arrivals_batch: schedules of batches (flights, vessels): reading them from the scenario
 * and from CSV files, and running them (see arrivals.h).
 *
 * Methods:
 * - A batch comes at its time (repeated every period_h when > 0). Its size is `size`
 *   (a number, or a draw from a count distribution), or Binomial(seats, load_factor).
 * - Surges and the volume factor scale the size at the batch's time by m = (product of
 *   active surges) * factor: each item becomes floor(m) items plus one more with
 *   probability m - floor(m). For m < 1 that is binomial thinning; for m > 1 the mean is
 *   m * size with the least spread (a whole factor is exact).
 * - Its items then arrive either independently and uniformly over [at, at + spread_min],
 *   drawn one at a time as successive order statistics (so a batch keeps one pending
 *   event however large it is), or one by one with gaps from `spacing`, the first at the
 *   batch's time (passengers leaving a plane).
 * - A hook (arrivals_on_batch) hears of every batch and gives it a tag that its items
 *   carry, so the model can follow each flight to its clearance. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_randist.h>

#include "models/arrivals_internal.h"
#include "models/scenario/schema.h"
#include "sim/rng.h"

/* ---- reading ---- */

static int push_batch(arrivals_spec *a, size_t *cap, sim_error *err) {
  if (a->nb == *cap) {
    size_t nc = *cap ? *cap * 2 : 16;
    batch *p = realloc(a->b, nc * sizeof *p);
    if (!p) return arrivals_oom(err);
    a->b = p;
    *cap = nc;
  }
  memset(&a->b[a->nb], 0, sizeof a->b[a->nb]);
  a->b[a->nb].seq = a->nb;
  a->nb++;
  return 0;
}

void arrivals_free_batches(arrivals_spec *a) {
  for (size_t i = 0; i < a->nb; i++) {
    count_dist_deinit(&a->b[i].size_d);
    dist_deinit(&a->b[i].spacing);
  }
  free(a->b);
  a->b = NULL;
  a->nb = 0;
}

/* size (a number or a distribution), or seats with load_factor, of one batch. */
static int read_batch_size(batch *b, const config_setting_t *e, const char *file, sim_error *err) {
  const config_setting_t *sz = config_setting_get_member(e, "size");
  const config_setting_t *se = config_setting_get_member(e, "seats");
  const config_setting_t *lf = config_setting_get_member(e, "load_factor");
  if (sz && (se || lf))
    return schema_error(err, e, file, "give size, or seats and load_factor, not both");
  if (!sz && !(se && lf)) return schema_error(err, e, file, "needs size, or seats and load_factor");
  b->size = -1;
  if (sz && config_setting_is_group(sz)) {
    if (count_dist_read(sz, &b->size_d, file, err)) return SIM_EINVAL;
    b->has_size_d = 1;
  } else if (sz) {
    b->size = schema_int(e, "size");
  }
  b->seats = se ? schema_int(e, "seats") : 0;
  b->load = lf ? schema_float(e, "load_factor") : 0;
  if ((sz && !b->has_size_d && b->size < 0) || b->seats < 0 || !(b->load >= 0 && b->load <= 1))
    return schema_error(err, e, file, "size and seats must be >= 0, load_factor in [0, 1]");
  return 0;
}

/* How the items of a batch spread: spread_min, or spacing (defaults from the group). */
typedef struct spread_def {
  double spread_min;
  const config_setting_t *spacing; /* the group's spacing, or NULL */
} spread_def;

static int read_spread(batch *b, const config_setting_t *e, const spread_def *def, const char *file,
                       sim_error *err) {
  const config_setting_t *sp = config_setting_get_member(e, "spread_min");
  const config_setting_t *gap = config_setting_get_member(e, "spacing");
  if (sp && gap) return schema_error(err, e, file, "give spread_min or spacing, not both");
  if (!sp && !gap) gap = def->spacing;
  b->spread_min = sp ? schema_float(e, "spread_min") : gap ? 0 : def->spread_min;
  if (!(b->spread_min >= 0)) return schema_error(err, e, file, "spread_min must be >= 0");
  if (!gap) return 0;
  b->has_spacing = 1;
  return schema_dist(gap, &b->spacing, file, err);
}

static int read_batches(arrivals_spec *a, const config_setting_t *g, const spread_def *def,
                        size_t *cap, const char *file, sim_error *err) {
  const config_setting_t *l = config_setting_get_member(g, "batches");
  if (!l) return 0;
  if (!config_setting_is_list(l) || config_setting_length(l) < 1)
    return schema_error(err, l, file,
                        "must be a non-empty list ( { at_h = ...; size = ...; }, ... )");
  for (int i = 0; i < config_setting_length(l); i++) {
    const config_setting_t *e = config_setting_get_elem(l, (unsigned)i);
    if (!config_setting_get_member(e, "at_h"))
      return schema_error(err, e, file, "missing required key 'at_h'");
    if (push_batch(a, cap, err)) return SIM_ENOMEM;
    batch *b = &a->b[a->nb - 1];
    b->at_min = schema_float(e, "at_h") * 60;
    if (read_batch_size(b, e, file, err) || read_spread(b, e, def, file, err)) return SIM_EINVAL;
    const config_setting_t *o = config_setting_get_member(e, "origin");
    b->origin = o ? arrivals_intern_origin(a, config_setting_get_string(o)) : -1;
    if (b->origin == -2) return arrivals_oom(err);
    if (!(b->at_min >= 0) || (a->period_min > 0 && b->at_min >= a->period_min))
      return schema_error(err, e, file, "at_h must lie within [0, period_h)");
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

/* A CSV row becomes a batch (its size distribution moves into the batch). */
static int add_row(arrivals_spec *a, arrivals_row *r, const spread_def *def, size_t *cap,
                   const char *path, const char *file, sim_error *err) {
  if (a->period_min > 0 && !(r->at_min >= 0 && r->at_min < a->period_min))
    return sim_error_set(err, SIM_EINVAL, "%s:%d: time %g h lies outside the period [0, %g) h",
                         path, r->line, r->at_min / 60, a->period_min / 60);
  if (r->at_min < 0) return 0; /* a flight before the run start: not simulated */
  if (push_batch(a, cap, err)) return SIM_ENOMEM;
  batch *b = &a->b[a->nb - 1];
  b->at_min = r->at_min;
  b->spread_min = r->spread_min >= 0 ? r->spread_min : def->spacing ? 0 : def->spread_min;
  if (r->spread_min < 0 && def->spacing) {
    b->has_spacing = 1;
    if (schema_dist(def->spacing, &b->spacing, file, err)) return SIM_EINVAL;
  }
  b->size = r->size;
  b->has_size_d = r->has_size_d;
  b->size_d = r->size_d;
  r->has_size_d = 0;
  r->size_d = (count_dist){0};
  b->seats = r->seats;
  b->load = r->load_factor;
  b->origin = arrivals_intern_origin(a, r->origin);
  return b->origin == -2 ? arrivals_oom(err) : 0;
}

static int read_csv(arrivals_spec *a, const config_setting_t *g, const spread_def *def, size_t *cap,
                    const char *file, sim_error *err) {
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
  for (size_t i = 0; !rc && i < n; i++) rc = add_row(a, &rows[i], def, cap, path, file, err);
  arrivals_rows_free(rows, n);
  return rc;
}

static int by_time(const void *x, const void *y) {
  const batch *p = x, *q = y;
  if (p->at_min != q->at_min) return p->at_min < q->at_min ? -1 : 1;
  return p->seq < q->seq ? -1 : p->seq > q->seq;
}

int arrivals_read_schedule(arrivals_spec *a, const config_setting_t *g, const char *file,
                           sim_error *err) {
  size_t cap = 0;
  a->period_min = schema_float(g, "period_h") * 60;
  if (!(a->period_min >= 0)) a->period_min = 0;
  spread_def def = {schema_float(g, "spread_min"), config_setting_get_member(g, "spacing")};
  if (!(def.spread_min >= 0)) def.spread_min = 0;
  if (def.spacing && config_setting_get_member(g, "spread_min"))
    return schema_error(err, g, file, "give spread_min or spacing, not both");
  if (!config_setting_get_member(g, "batches") && !config_setting_get_member(g, "csv"))
    return schema_error(err, g, file, "schedule arrivals need a batches list or a csv file");
  int rc = read_batches(a, g, &def, &cap, file, err);
  if (!rc) rc = read_csv(a, g, &def, &cap, file, err);
  if (!rc && a->nb) qsort(a->b, a->nb, sizeof *a->b, by_time);
  return rc;
}

/* ---- expected volumes ---- */

static double mean_size(const batch *b) {
  return b->has_size_d  ? count_dist_mean(&b->size_d)
         : b->size >= 0 ? (double)b->size
                        : (double)b->seats * b->load;
}

/* The span its items arrive over: spread_min, or the mean gaps between its items. */
static double mean_span(const batch *b) {
  return b->has_spacing ? fmax(0, mean_size(b) - 1) * dist_mean(&b->spacing) : b->spread_min;
}

double arrivals_schedule_items(const arrivals_spec *a, double t0, double t1) {
  double sum = 0;
  for (size_t i = 0; i < a->nb; i++) {
    const batch *b = &a->b[i];
    double n = mean_size(b), span = mean_span(b);
    long c0 = 0, c1 = 0;
    if (a->period_min > 0) {
      c0 = (long)floor((t0 - b->at_min - span) / a->period_min);
      c1 = (long)ceil((t1 - b->at_min) / a->period_min);
      if (c0 < 0) c0 = 0;
    }
    for (long c = c0; c <= c1; c++) {
      double t = (double)c * a->period_min + b->at_min, frac;
      if (span > 0)
        frac = fmax(0, fmin(t + span, t1) - fmax(t, t0)) / span;
      else
        frac = t >= t0 && t < t1;
      sum += n * arrivals_surge_factor(a, t) * frac;
    }
  }
  return sum;
}

size_t arrivals_spec_batches(const arrivals_spec *a, double t0, double t1) {
  if (!a || a->process != AP_SCHEDULE || !(t1 > t0)) return 0;
  size_t n = 0;
  for (size_t i = 0; i < a->nb; i++) {
    double at = a->b[i].at_min;
    if (!(a->period_min > 0)) {
      n += at >= t0 && at < t1;
      continue;
    }
    /* cycles c >= 0 with t0 <= c * period + at < t1 */
    double lo = fmax(0, ceil((t0 - at) / a->period_min)), hi = ceil((t1 - at) / a->period_min);
    while (lo > 0 && (lo - 1) * a->period_min + at >= t0) lo--; /* rounding at the edges */
    while (lo * a->period_min + at < t0) lo++;
    while (hi > 0 && (hi - 1) * a->period_min + at >= t1) hi--;
    while (hi * a->period_min + at < t1) hi++;
    if (hi > lo) n += (size_t)(hi - lo);
  }
  return n;
}

/* ---- running ---- */

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
  a->h = arrivals_at(a, batch_time(a, a->cycle, a->bi), ev_batch, a->bi);
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

static void start_items(arrivals *a, const batch *b, long n, int32_t tag) {
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
  const dist *gap = b->has_spacing ? &b->spacing : NULL;
  a->act[k] = (active){now + b->spread_min, n, b->origin, tag, gap, 0};
  double first = gap ? now : next_item_time(a->r, now, now + b->spread_min, n);
  a->act[k].h = arrivals_at(a, first, ev_item, k);
}

static void ev_batch(sim *s, void *ctx, uint64_t arg) {
  arrivals *a = ctx;
  const batch *b = &a->sp->b[arg];
  a->bi = (size_t)arg + 1;
  arm_batch(a);
  long n = b->has_size_d  ? count_dist_sample(&b->size_d, a->r)
           : b->size >= 0 ? b->size
                          : (long)gsl_ran_binomial(a->r, b->load, (unsigned)b->seats);
  n = scaled_size(a->r, n, a->factor * arrivals_surge_factor(a->sp, sim_now(s)));
  int32_t tag = a->on_batch ? a->on_batch(a->ctx, a->channel, sim_now(s), n, b->origin) : -1;
  if (n > 0) start_items(a, b, n, tag);
}

static void ev_item(sim *s, void *ctx, uint64_t arg) {
  arrivals *a = ctx;
  active *x = &a->act[arg];
  int32_t origin = x->origin, tag = x->tag;
  double next = 0;
  if (--x->left)
    next = x->gap ? sim_now(s) + dist_sample(x->gap, a->r)
                  : next_item_time(a->r, sim_now(s), x->t_end, x->left);
  x->h = x->left ? arrivals_at(a, next, ev_item, arg) : 0;
  a->tag = tag;
  a->fn(a->ctx, a->channel, origin);
  a->tag = -1;
}

void arrivals_first_batch(arrivals *a) {
  double now = sim_now(a->s);
  a->cycle = a->sp->period_min > 0 ? (long)floor(now / a->sp->period_min) : 0;
  a->bi = 0;
  while (a->bi < a->sp->nb && batch_time(a, a->cycle, a->bi) < now) a->bi++;
  arm_batch(a);
}

void arrivals_on_batch(arrivals *a, arrivals_batch_fn fn) { a->on_batch = fn; }
int32_t arrivals_tag(const arrivals *a) { return a->tag; }
