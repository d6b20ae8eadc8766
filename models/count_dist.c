/* count_dist: whole-number distributions (see count_dist.h). */
#include "models/count_dist.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_randist.h>

#include "models/scenario/schema.h"

static const char *const names[COUNT_N] = {"deterministic", "uniform_int",       "poisson",
                                           "binomial",      "negative_binomial", "empirical"};

/* Parameter names of each kind (NULL: none). */
static const char *const params[COUNT_N][2] = {
    [COUNT_FIXED] = {"value", NULL},  [COUNT_UNIFORM_INT] = {"min", "max"},
    [COUNT_POISSON] = {"mean", NULL}, [COUNT_BINOMIAL] = {"n", "p"},
    [COUNT_NEGBIN] = {"n", "p"},      [COUNT_EMPIRICAL] = {"values", "weights"},
};

const char *count_dist_name(count_kind k) { return k < COUNT_N ? names[k] : "?"; }

count_dist count_dist_fixed(long v) { return (count_dist){.kind = COUNT_FIXED, .a = (double)v}; }

void count_dist_deinit(count_dist *d) {
  if (!d) return;
  free(d->values);
  free(d->cum);
  *d = (count_dist){0};
}

int count_dist_copy(count_dist *dst, const count_dist *src) {
  *dst = *src;
  dst->values = NULL;
  dst->cum = NULL;
  if (src->kind != COUNT_EMPIRICAL) return 0;
  dst->values = malloc(src->n * sizeof *dst->values);
  dst->cum = malloc(src->n * sizeof *dst->cum);
  if (!dst->values || !dst->cum) {
    count_dist_deinit(dst);
    return SIM_ENOMEM;
  }
  memcpy(dst->values, src->values, src->n * sizeof *dst->values);
  memcpy(dst->cum, src->cum, src->n * sizeof *dst->cum);
  return 0;
}

/* ---- reading ---- */

/* Where messages go: a scenario setting (FILE:LINE: PATH:) or a CSV cell (WHERE:). */
typedef struct ctx {
  const char *file, *where;
  sim_error *err;
} ctx;

static int fail(const ctx *c, const config_setting_t *s, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static int fail(const ctx *c, const config_setting_t *s, const char *fmt, ...) {
  char msg[300];
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(msg, sizeof msg, fmt, ap);
  va_end(ap);
  if (c->where) {
    const char *key = s ? config_setting_name(s) : NULL;
    return sim_error_set(c->err, SIM_EINVAL, "%s: %s%s%s", c->where, key ? key : "",
                         key ? ": " : "", msg);
  }
  return schema_error(c->err, s, c->file, "%s", msg);
}

static int is_num(const config_setting_t *e) {
  int t = config_setting_type(e);
  return t == CONFIG_TYPE_FLOAT || t == CONFIG_TYPE_INT || t == CONFIG_TYPE_INT64;
}

static double num(const config_setting_t *e) {
  return config_setting_type(e) == CONFIG_TYPE_FLOAT ? config_setting_get_float(e)
                                                     : (double)config_setting_get_int64(e);
}

/* A parameter of group g: a number in [lo, hi], whole when asked. */
static int param(const ctx *c, const config_setting_t *g, const char *name, double lo, double hi,
                 int whole, double *out) {
  const config_setting_t *e = config_setting_get_member(g, name);
  if (!e)
    return fail(c, g, "the %s distribution needs %s",
                config_setting_get_string(config_setting_get_member(g, "dist")), name);
  double v = is_num(e) ? num(e) : NAN;
  if (!(v >= lo && v <= hi) || (whole && v != floor(v)))
    return fail(c, e, "must be %s in [%g, %g]", whole ? "a whole number" : "a number", lo, hi);
  *out = v;
  return 0;
}

static int read_empirical(const ctx *c, const config_setting_t *g, count_dist *d) {
  const config_setting_t *v = config_setting_get_member(g, "values");
  const config_setting_t *w = config_setting_get_member(g, "weights");
  if (!v) return fail(c, g, "the empirical distribution needs values");
  int n = config_setting_is_aggregate(v) ? config_setting_length(v) : 0;
  if (n < 1) return fail(c, v, "must be a non-empty array of whole numbers");
  if (w && (!config_setting_is_aggregate(w) || config_setting_length(w) != n))
    return fail(c, w, "must be an array with as many entries as values (%d)", n);
  d->values = malloc((size_t)n * sizeof *d->values);
  d->cum = malloc((size_t)n * sizeof *d->cum);
  if (!d->values || !d->cum) return sim_error_set(c->err, SIM_ENOMEM, "out of memory");
  d->n = (size_t)n;
  double total = 0;
  for (int i = 0; i < n; i++) {
    const config_setting_t *e = config_setting_get_elem(v, (unsigned)i);
    const config_setting_t *we = w ? config_setting_get_elem(w, (unsigned)i) : NULL;
    double x = is_num(e) ? num(e) : NAN, wt = we ? (is_num(we) ? num(we) : NAN) : 1;
    if (!(x >= 0 && x <= COUNT_DIST_MAX) || x != floor(x))
      return fail(c, v, "entry %d must be a whole number in [0, %g]", i, COUNT_DIST_MAX);
    if (!(wt >= 0) || !isfinite(wt)) return fail(c, w, "entry %d must be a number >= 0", i);
    d->values[i] = (long)x;
    total += wt;
    d->cum[i] = total;
  }
  if (!(total > 0)) return fail(c, w, "weights must sum to more than 0");
  for (int i = 0; i < n; i++) d->cum[i] /= total;
  d->cum[n - 1] = 1.0;
  return 0;
}

static int read_params(const ctx *c, const config_setting_t *g, count_dist *d) {
  double M = COUNT_DIST_MAX;
  switch (d->kind) {
  case COUNT_FIXED: return param(c, g, "value", 0, M, 1, &d->a);
  case COUNT_UNIFORM_INT:
    if (param(c, g, "min", 0, M, 1, &d->a) || param(c, g, "max", 0, M, 1, &d->b)) return SIM_EINVAL;
    return d->b >= d->a ? 0
                        : fail(c, g, "uniform_int needs min <= max (min %g, max %g)", d->a, d->b);
  case COUNT_POISSON: return param(c, g, "mean", 0, 1e7, 0, &d->a);
  case COUNT_BINOMIAL:
    return param(c, g, "n", 0, M, 1, &d->a) || param(c, g, "p", 0, 1, 0, &d->b) ? SIM_EINVAL : 0;
  case COUNT_NEGBIN:
    if (param(c, g, "n", 1e-9, M, 0, &d->a) || param(c, g, "p", 1e-9, 1, 0, &d->b))
      return SIM_EINVAL;
    return count_dist_mean(d) <= 1e7
               ? 0
               : fail(c, g, "negative_binomial: mean n(1-p)/p = %g is above 1e7",
                      count_dist_mean(d));
  case COUNT_EMPIRICAL: return read_empirical(c, g, d);
  default: return SIM_EINVAL;
  }
}

static int read_group(const ctx *c, const config_setting_t *g, count_dist *d) {
  const config_setting_t *nm = config_setting_get_member(g, "dist");
  const char *name = nm ? config_setting_get_string(nm) : NULL;
  if (!name)
    return fail(c, g,
                "a count distribution needs dist = \"uniform_int\" (or poisson, binomial, "
                "negative_binomial, empirical, deterministic)");
  int k = 0;
  while (k < COUNT_N && strcmp(names[k], name)) k++;
  if (k == COUNT_N)
    return fail(
        c, nm,
        "unknown count distribution '%s' (uniform_int, poisson, binomial, negative_binomial, "
        "empirical, deterministic)",
        name);
  d->kind = (count_kind)k;
  for (int i = 0; i < config_setting_length(g); i++) {
    const config_setting_t *e = config_setting_get_elem(g, (unsigned)i);
    const char *key = config_setting_name(e);
    int known = !strcmp(key, "dist");
    for (int j = 0; j < 2; j++) known |= params[k][j] && !strcmp(key, params[k][j]);
    if (!known) return fail(c, e, "unknown key for the %s distribution", name);
  }
  return read_params(c, g, d);
}

static int read_any(const ctx *c, const config_setting_t *s, count_dist *d) {
  memset(d, 0, sizeof *d);
  int rc;
  if (config_setting_is_group(s)) {
    rc = read_group(c, s, d);
  } else if (is_num(s)) {
    double v = num(s);
    rc = v >= 0 && v <= COUNT_DIST_MAX && v == floor(v)
             ? (*d = count_dist_fixed((long)v), 0)
             : fail(c, s, "must be a whole number in [0, %g] or a distribution group",
                    COUNT_DIST_MAX);
  } else {
    rc = fail(c, s,
              "must be a whole number or a distribution group { dist = \"uniform_int\"; ... }");
  }
  if (rc) count_dist_deinit(d);
  return rc;
}

int count_dist_read(const config_setting_t *s, count_dist *d, const char *file, sim_error *err) {
  ctx c = {file, NULL, err};
  return read_any(&c, s, d);
}

int count_dist_parse(const char *text, count_dist *d, const char *where, sim_error *err) {
  memset(d, 0, sizeof *d);
  size_t n = strlen(text) + 8;
  char *buf = malloc(n);
  if (!buf) return sim_error_set(err, SIM_ENOMEM, "out of memory");
  snprintf(buf, n, "v = %s;", text);
  config_t cfg;
  config_init(&cfg);
  int rc;
  if (config_read_string(&cfg, buf) != CONFIG_TRUE || !config_lookup(&cfg, "v"))
    rc = sim_error_set(err, SIM_EINVAL,
                       "%s: '%s' is neither a whole number nor a distribution group "
                       "{ dist = \"uniform_int\"; min = 240; max = 350; }",
                       where, text);
  else
    rc = read_any(&(ctx){NULL, where, err}, config_lookup(&cfg, "v"), d);
  config_destroy(&cfg);
  free(buf);
  return rc;
}

/* ---- drawing ---- */

long count_dist_sample(const count_dist *d, gsl_rng *r) {
  double x = 0;
  switch (d->kind) {
  case COUNT_FIXED: x = d->a; break;
  case COUNT_UNIFORM_INT:
    x = d->a + (double)gsl_rng_uniform_int(r, (unsigned long)(d->b - d->a) + 1);
    break;
  case COUNT_POISSON: x = d->a > 0 ? (double)gsl_ran_poisson(r, d->a) : 0; break;
  case COUNT_BINOMIAL: x = (double)gsl_ran_binomial(r, d->b, (unsigned)d->a); break;
  case COUNT_NEGBIN: x = d->b >= 1 ? 0 : (double)gsl_ran_negative_binomial(r, d->b, d->a); break;
  case COUNT_EMPIRICAL: {
    double u = gsl_rng_uniform(r);
    size_t lo = 0, hi = d->n - 1;
    while (lo < hi) { /* the first i with u < cum[i] */
      size_t mid = (lo + hi) / 2;
      if (u < d->cum[mid])
        hi = mid;
      else
        lo = mid + 1;
    }
    x = (double)d->values[lo];
    break;
  }
  default: break;
  }
  return (long)fmin(x, COUNT_DIST_MAX);
}

double count_dist_mean(const count_dist *d) {
  switch (d->kind) {
  case COUNT_FIXED:
  case COUNT_POISSON: return d->a;
  case COUNT_UNIFORM_INT: return 0.5 * (d->a + d->b);
  case COUNT_BINOMIAL: return d->a * d->b;
  case COUNT_NEGBIN: return d->a * (1 - d->b) / d->b;
  case COUNT_EMPIRICAL: {
    double m = 0, prev = 0;
    for (size_t i = 0; i < d->n; i++)
      m += (double)d->values[i] * (d->cum[i] - prev), prev = d->cum[i];
    return m;
  }
  default: return NAN;
  }
}

double count_dist_var(const count_dist *d) {
  switch (d->kind) {
  case COUNT_FIXED: return 0;
  case COUNT_POISSON: return d->a;
  case COUNT_UNIFORM_INT: {
    double w = d->b - d->a + 1;
    return (w * w - 1) / 12;
  }
  case COUNT_BINOMIAL: return d->a * d->b * (1 - d->b);
  case COUNT_NEGBIN: return d->a * (1 - d->b) / (d->b * d->b);
  case COUNT_EMPIRICAL: {
    double m = count_dist_mean(d), v = 0, prev = 0;
    for (size_t i = 0; i < d->n; i++) {
      double x = (double)d->values[i] - m;
      v += x * x * (d->cum[i] - prev);
      prev = d->cum[i];
    }
    return v;
  }
  default: return NAN;
  }
}
