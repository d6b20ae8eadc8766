/* schema: validation and typed reading of scenario settings, driven by the key table
 * in keys_core.c and the other keys_*.c (see schema.h). */
#include "models/scenario/schema.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "models/count_dist.h"
#include "models/kernel.h"
#include "models/station.h"

/* Every module's key table; each ends with a NULL path. */
extern const schema_key schema_keys_core[], schema_keys_arrivals[], schema_keys_customs[],
    schema_keys_disrupt[], schema_keys_present[], schema_keys_coast[];
static const schema_key *const tables[] = {schema_keys_core,
                                           schema_keys_arrivals,
                                           schema_keys_customs,
                                           schema_keys_disrupt,
                                           schema_keys_present,
                                           schema_keys_coast,
                                           NULL};

#define FOR_EACH_KEY(k)                                   \
  for (const schema_key *const *t_ = tables; *t_; t_++)   \
    for (const schema_key *k = *t_; k->path; k++)

#define CHOICES_MAX 512 /* the longest list of allowed values, as text */

/* A port of a multi-port scenario (ports.NAME) holds what a single-port scenario holds
 * at the top: its keys are the same keys under the prefix. */
#define PORT_PREFIX "ports.*."

const schema_key *schema_find(const char *pattern) {
  if (!strncmp(pattern, PORT_PREFIX, strlen(PORT_PREFIX))) {
    const char *rest = pattern + strlen(PORT_PREFIX);
    if (!strncmp(rest, "channels", 8) || !strncmp(rest, "stations", 8) ||
        !strncmp(rest, "staff", 5) || !strncmp(rest, "initial", 7))
      pattern = rest;
  }
  FOR_EACH_KEY(k) if (!strcmp(k->path, pattern)) return k;
  return NULL;
}

static int is_list_elem(const config_setting_t *s) {
  const config_setting_t *p = config_setting_parent(s);
  return p && (config_setting_is_list(p) || config_setting_is_array(p));
}

void schema_pattern(const config_setting_t *s, char *buf, size_t n) {
  const config_setting_t *p = config_setting_parent(s);
  if (!p || !config_setting_parent(p)) { /* child of the root */
    snprintf(buf, n, "%s", config_setting_name(s) ? config_setting_name(s) : "");
    return;
  }
  char pb[256];
  schema_pattern(p, pb, sizeof pb);
  if (is_list_elem(s)) {
    snprintf(buf, n, "%s[]", pb);
    return;
  }
  const schema_key *pk = schema_find(pb);
  if (pk && pk->type == SK_NAMED)
    snprintf(buf, n, "%s.*", pb);
  else
    snprintf(buf, n, "%s.%s", pb, config_setting_name(s));
}

void schema_path(const config_setting_t *s, char *buf, size_t n) {
  const config_setting_t *p = config_setting_parent(s);
  if (!p || !config_setting_parent(p)) {
    snprintf(buf, n, "%s", config_setting_name(s) ? config_setting_name(s) : "");
    return;
  }
  char pb[256];
  schema_path(p, pb, sizeof pb);
  if (is_list_elem(s))
    snprintf(buf, n, "%s[%d]", pb, config_setting_index(s));
  else
    snprintf(buf, n, "%s.%s", pb, config_setting_name(s));
}

int schema_error(sim_error *err, const config_setting_t *s, const char *file,
                 const char *fmt, ...) {
  char path[256], msg[400];
  schema_path(s, path, sizeof path);
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(msg, sizeof msg, fmt, ap);
  va_end(ap);
  const char *f = config_setting_source_file(s);
  return sim_error_set(err, SIM_EINVAL, "%s:%u: %s: %s", f ? f : file,
                       config_setting_source_line(s), path[0] ? path : "(top)", msg);
}

const char *schema_choices(const schema_key *k, char sep, char *buf, size_t n) {
  size_t len = 0;
  buf[0] = '\0';
  for (int i = 0; len < n; i++) {
    const char *c = k->choice ? k->choice(i) : i ? NULL : k->choices;
    if (!c) break;
    len += (size_t)snprintf(buf + len, n - len, "%s%s", i ? "|" : "", c);
  }
  for (char *c = buf; sep != '|' && *c; c++)
    if (*c == '|') *c = sep;
  return buf;
}

static int choice_ok(const schema_key *k, const char *v) {
  if (k->choice) {
    for (int i = 0; k->choice(i); i++)
      if (!strcmp(k->choice(i), v)) return 1;
    return 0;
  }
  size_t n = strlen(v);
  for (const char *c = k->choices; c && *c;) {
    const char *bar = strchr(c, '|');
    size_t len = bar ? (size_t)(bar - c) : strlen(c);
    if (len == n && !strncmp(c, v, n)) return 1;
    c = bar ? bar + 1 : NULL;
  }
  return 0;
}

static const char *type_word(schema_type t) {
  static const char *const w[] = {"an integer", "a number", "true or false", "a string",
                                  "a group { ... }", "a group { ... }", "a list ( ... )",
                                  "an array [ ... ]", "a distribution group", "a group",
                                  "a whole number or a count distribution group"};
  return w[t];
}

static int type_matches(schema_type t, const config_setting_t *s) {
  int st = config_setting_type(s);
  switch (t) {
  case SK_INT: return st == CONFIG_TYPE_INT || st == CONFIG_TYPE_INT64;
  case SK_FLOAT: return st == CONFIG_TYPE_FLOAT || st == CONFIG_TYPE_INT || st == CONFIG_TYPE_INT64;
  case SK_BOOL: return st == CONFIG_TYPE_BOOL;
  case SK_STRING: return st == CONFIG_TYPE_STRING;
  case SK_GROUP:
  case SK_NAMED:
  case SK_DIST:
  case SK_PARAMS: return st == CONFIG_TYPE_GROUP;
  case SK_LIST: return st == CONFIG_TYPE_LIST;
  case SK_ARRAY: return st == CONFIG_TYPE_ARRAY || st == CONFIG_TYPE_LIST;
  case SK_COUNT: return st == CONFIG_TYPE_INT || st == CONFIG_TYPE_INT64 || st == CONFIG_TYPE_GROUP;
  }
  return 0;
}

static int check_scalar(const schema_key *k, const config_setting_t *s, const char *file,
                        sim_error *err) {
  if (k->type == SK_INT || k->type == SK_FLOAT ||
      (k->type == SK_COUNT && !config_setting_is_group(s))) {
    double v = config_setting_get_float(s);
    if (config_setting_type(s) != CONFIG_TYPE_FLOAT) v = (double)config_setting_get_int64(s);
    if (!isfinite(v) || v < k->min || v > k->max)
      return schema_error(err, s, file, "value %g out of range [%g, %g]%s%s", v, k->min,
                          k->max, k->unit ? " " : "", k->unit ? k->unit : "");
  }
  char list[CHOICES_MAX];
  if (k->type == SK_STRING && (k->choices || k->choice) &&
      !choice_ok(k, config_setting_get_string(s)))
    return schema_error(err, s, file, "'%s' is not one of %s", config_setting_get_string(s),
                        schema_choices(k, '|', list, sizeof list));
  return 0;
}

static int check_dist(const config_setting_t *s, const char *file, sim_error *err);
static int check_params(const config_setting_t *s, const char *file, sim_error *err);

static int check_required(const config_setting_t *s, const char *pat, const char *file,
                          sim_error *err) {
  size_t n = strlen(pat);
  FOR_EACH_KEY(k) {
    if (!k->required || (n && (strncmp(k->path, pat, n) || k->path[n] != '.'))) continue;
    const char *rest = n ? k->path + n + 1 : k->path;
    if (strchr(rest, '.') || strchr(rest, '[')) continue; /* only direct children */
    if (!config_setting_get_member(s, rest))
      return schema_error(err, s, file, "missing required key '%s'", rest);
  }
  return 0;
}

static int check_setting(const config_setting_t *s, const char *file, sim_error *err) {
  char pat[256];
  schema_pattern(s, pat, sizeof pat);
  const schema_key *k = schema_find(pat);
  if (!k) return schema_error(err, s, file, "unknown key");
  if (!type_matches(k->type, s))
    return schema_error(err, s, file, "must be %s", type_word(k->type));
  if (check_scalar(k, s, file, err)) return err ? err->code : SIM_EINVAL;
  if (k->type == SK_DIST) return check_dist(s, file, err);
  if (k->type == SK_PARAMS) return check_params(s, file, err);
  if (k->type == SK_COUNT) {
    count_dist d;
    int rc = count_dist_read(s, &d, file, err);
    count_dist_deinit(&d);
    return rc;
  }
  if (k->type == SK_ARRAY) {
    for (int i = 0; i < config_setting_length(s); i++) {
      const config_setting_t *e = config_setting_get_elem(s, (unsigned)i);
      char ep[300];
      snprintf(ep, sizeof ep, "%s[]", pat);
      const schema_key *ek = schema_find(ep);
      if (ek && !type_matches(ek->type, e))
        return schema_error(err, e, file, "must be %s", type_word(ek->type));
      if (ek && check_scalar(ek, e, file, err)) return err ? err->code : SIM_EINVAL;
    }
    return 0;
  }
  if (k->type == SK_GROUP && check_required(s, pat, file, err)) return SIM_EINVAL;
  if (k->type == SK_GROUP || k->type == SK_NAMED || k->type == SK_LIST)
    for (int i = 0; i < config_setting_length(s); i++)
      if (check_setting(config_setting_get_elem(s, (unsigned)i), file, err)) return SIM_EINVAL;
  return 0;
}

int schema_check_one(const config_setting_t *s, const char *file, sim_error *err) {
  return check_setting(s, file, err);
}

int schema_validate(const config_t *cfg, const char *file, sim_error *err) {
  const config_setting_t *root = config_root_setting(cfg);
  if (check_required(root, "", file, err)) {
    /* the root has no line: name the file alone */
    return err ? err->code : SIM_EINVAL;
  }
  for (int i = 0; i < config_setting_length(root); i++)
    if (check_setting(config_setting_get_elem(root, (unsigned)i), file, err)) return SIM_EINVAL;
  return 0;
}

/* ---- typed readers ---- */

/* The key of `name` under parent; a dotted name ("dogs.work_min", "run.days") goes
 * through groups below parent. */
static const schema_key *child_key(const config_setting_t *parent, const char *name) {
  char pat[256], cp[320];
  schema_pattern(parent, pat, sizeof pat);
  const schema_key *pk = schema_find(pat);
  const char *dot = strchr(name, '.');
  if (pat[0] == '\0')
    snprintf(cp, sizeof cp, "%s", name);
  else if (pk && pk->type == SK_NAMED) /* the first part is a name: its pattern is `*` */
    snprintf(cp, sizeof cp, "%s.*%s", pat, dot ? dot : "");
  else
    snprintf(cp, sizeof cp, "%s.%s", pat, name);
  return schema_find(cp);
}

/* The setting `name` under parent (a member, or a dotted path through groups); NULL when
 * it or a group on the way is absent. */
static const config_setting_t *member_at(const config_setting_t *parent, const char *name) {
  const char *dot = strchr(name, '.');
  if (!parent || !dot) return parent ? config_setting_get_member(parent, name) : NULL;
  char part[64];
  size_t n = (size_t)(dot - name);
  if (n >= sizeof part) return NULL;
  memcpy(part, name, n);
  part[n] = '\0';
  return member_at(config_setting_get_member(parent, part), dot + 1);
}

/* The table's default of `name` under parent, or NULL. */
static const char *default_of(const config_setting_t *parent, const char *name) {
  const schema_key *k = parent ? child_key(parent, name) : NULL;
  return k ? k->def : NULL;
}

double schema_float(const config_setting_t *parent, const char *name) {
  const config_setting_t *s = member_at(parent, name);
  if (s) return schema_num(s);
  const char *def = default_of(parent, name);
  return def ? strtod(def, NULL) : NAN;
}

long schema_int(const config_setting_t *parent, const char *name) {
  const config_setting_t *s = member_at(parent, name);
  if (s) return (long)config_setting_get_int64(s);
  const char *def = default_of(parent, name);
  return def ? strtol(def, NULL, 10) : 0;
}

int schema_bool(const config_setting_t *parent, const char *name) {
  const config_setting_t *s = member_at(parent, name);
  if (s) return config_setting_get_bool(s);
  const char *def = default_of(parent, name);
  return def && !strcmp(def, "true");
}

const char *schema_string(const config_setting_t *parent, const char *name) {
  const config_setting_t *s = member_at(parent, name);
  if (s) return config_setting_get_string(s);
  return default_of(parent, name);
}

/* The kernel a station runs: its `kernel` key, else its type's default (NULL: none). */
static const kernel_type *station_kernel(const config_setting_t *st) {
  const char *name = st ? schema_string(st, "kernel") : NULL;
  if (!name) {
    const char *type = st ? schema_string(st, "type") : NULL;
    int t = station_type_from_name(type ? type : "queue");
    name = t >= 0 ? station_type_of(t)->kernel : NULL;
  }
  return name && strcmp(name, "none") ? kernel_find(name) : NULL;
}

/* Kernel parameters: numbers, named in the table of the station's kernel and within
 * their range (the table belongs to the kernel: customs-sim --keys lists it). */
static int check_params(const config_setting_t *s, const char *file, sim_error *err) {
  const kernel_type *kt = station_kernel(config_setting_parent(s));
  for (int i = 0; i < config_setting_length(s); i++) {
    const config_setting_t *e = config_setting_get_elem(s, (unsigned)i);
    int t = config_setting_type(e);
    if (t != CONFIG_TYPE_FLOAT && t != CONFIG_TYPE_INT && t != CONFIG_TYPE_INT64 &&
        t != CONFIG_TYPE_STRING && t != CONFIG_TYPE_BOOL)
      return schema_error(err, e, file, "must be a number");
    if (!kt) continue;
    size_t j = 0;
    while (j < kt->nparams && strcmp(kt->params[j].name, config_setting_name(e))) j++;
    if (j == kt->nparams) {
      char list[600] = "";
      for (size_t q = 0, used = 0; q < kt->nparams && used < sizeof list; q++)
        used += (size_t)snprintf(list + used, sizeof list - used, "%s%s", q ? ", " : "",
                                 kt->params[q].name);
      return schema_error(err, e, file, "unknown parameter of kernel '%s' (one of: %s)", kt->name,
                          list);
    }
    double v = schema_is_num(e) ? schema_num(e) : NAN;
    if (schema_is_num(e) && !(v >= kt->params[j].min && v <= kt->params[j].max))
      return schema_error(err, e, file, "value %g out of range [%g, %g]", v, kt->params[j].min,
                          kt->params[j].max);
  }
  return 0;
}

/* ---- distributions ---- */

/* Parameter names of each distribution; time parameters take a unit suffix. */
typedef struct dist_form {
  const char *time[3];  /* time parameters: a, b, c (NULL when absent) */
  const char *plain;    /* dimensionless parameter: k or shape */
} dist_form;

static const dist_form forms[DIST_N] = {
    [DIST_EXPONENTIAL] = {.time = {"mean", NULL, NULL}, .plain = NULL},
    [DIST_DETERMINISTIC] = {.time = {"value", NULL, NULL}, .plain = NULL},
    [DIST_UNIFORM] = {.time = {"min", "max", NULL}, .plain = NULL},
    [DIST_TRIANGULAR] = {.time = {"min", "mode", "max"}, .plain = NULL},
    [DIST_ERLANG] = {.time = {"mean", NULL, NULL}, .plain = "k"},
    [DIST_GAMMA] = {.time = {"mean", NULL, NULL}, .plain = "shape"},
    [DIST_LOGNORMAL] = {.time = {"mean", "sd", NULL}, .plain = NULL},
    [DIST_WEIBULL] = {.time = {"scale", NULL, NULL}, .plain = "shape"},
    [DIST_EMPIRICAL] = {.time = {"values", NULL, NULL}, .plain = NULL},
};

static const char *const suffixes[] = {"_s", "_min", "_h", "_days"};
static const double to_min[] = {1.0 / 60, 1.0, 60.0, 1440.0};

/* Finds base+suffix in s; returns the setting and the factor to minutes. */
static const config_setting_t *time_param(const config_setting_t *s, const char *base,
                                          double *factor) {
  char key[64];
  for (int i = 0; i < 4; i++) {
    snprintf(key, sizeof key, "%s%s", base, suffixes[i]);
    const config_setting_t *e = config_setting_get_member(s, key);
    if (e) {
      *factor = to_min[i];
      return e;
    }
  }
  return NULL;
}

static int known_dist_key(const dist_form *f, const char *name) {
  if (!strcmp(name, "dist") || (f->plain && !strcmp(name, f->plain))) return 1;
  if (f == &forms[DIST_EMPIRICAL] && !strcmp(name, "weights")) return 1;
  for (int j = 0; j < 3 && f->time[j]; j++)
    for (int i = 0; i < 4; i++) {
      size_t n = strlen(f->time[j]);
      if (!strncmp(name, f->time[j], n) && !strcmp(name + n, suffixes[i])) return 1;
    }
  return 0;
}

double schema_num(const config_setting_t *e) {
  return config_setting_type(e) == CONFIG_TYPE_FLOAT ? config_setting_get_float(e)
                                                     : (double)config_setting_get_int64(e);
}

int schema_is_num(const config_setting_t *e) {
  int t = config_setting_type(e);
  return t == CONFIG_TYPE_FLOAT || t == CONFIG_TYPE_INT || t == CONFIG_TYPE_INT64;
}

static int check_dist(const config_setting_t *s, const char *file, sim_error *err) {
  dist d = {0};
  int rc = schema_dist(s, &d, file, err);
  dist_deinit(&d);
  return rc;
}

static int read_empirical(const config_setting_t *s, const config_setting_t *vals,
                          double factor, dist *d, const char *file, sim_error *err) {
  const config_setting_t *w = config_setting_get_member(s, "weights");
  int n = config_setting_length(vals);
  if (n < 1 || !config_setting_is_aggregate(vals))
    return schema_error(err, vals, file, "must be a non-empty array of numbers");
  if (w && config_setting_length(w) != n)
    return schema_error(err, w, file, "must have as many entries as the values (%d)", n);
  d->values = malloc((size_t)n * sizeof *d->values);
  d->cum = malloc((size_t)n * sizeof *d->cum);
  if (!d->values || !d->cum) return sim_error_set(err, SIM_ENOMEM, "out of memory");
  d->n = (size_t)n;
  double total = 0;
  for (int i = 0; i < n; i++) {
    const config_setting_t *v = config_setting_get_elem(vals, (unsigned)i);
    const config_setting_t *wi = w ? config_setting_get_elem(w, (unsigned)i) : NULL;
    if (!schema_is_num(v) || (wi && !schema_is_num(wi)))
      return schema_error(err, v, file, "must be numbers");
    double wv = wi ? schema_num(wi) : 1.0;
    if (schema_num(v) < 0 || !(wv >= 0))
      return schema_error(err, wi ? wi : v, file, "must not be negative");
    if (!isfinite(schema_num(v) * factor) || !isfinite(wv))
      return schema_error(err, wi ? wi : v, file, "must be finite");
    d->values[i] = schema_num(v) * factor;
    total += wv;
    d->cum[i] = total;
  }
  if (!(total > 0)) return schema_error(err, w ? w : vals, file, "weights must sum to more than 0");
  for (int i = 0; i < n; i++) d->cum[i] /= total;
  d->cum[n - 1] = 1.0;
  return 0;
}

/* A mean above 0 but below this (in minutes: 1 ms) is a unit mistake, and makes a run
 * crawl through billions of events; a mean of exactly 0 means "takes no time". */
#define MEAN_FLOOR_MIN (1.0 / 60000)
#define ERLANG_K_MAX 1000000

static int mean_floor(const config_setting_t *s, const dist *d, const char *file, sim_error *err) {
  double m = dist_mean(d);
  if (m > 0 && m < MEAN_FLOOR_MIN)
    return schema_error(err, s, file,
                        "mean %g min is below the floor of 1 ms (check the unit "
                        "suffix: _s, _min, _h, _days)",
                        m);
  return 0;
}

static int dist_sane(const config_setting_t *s, const dist *d, const char *file, sim_error *err) {
  int ok = 1;
  switch (d->kind) {
  case DIST_EXPONENTIAL: case DIST_ERLANG: case DIST_GAMMA: case DIST_WEIBULL: ok = d->a > 0; break;
  case DIST_DETERMINISTIC: ok = d->a >= 0; break;
  case DIST_UNIFORM: ok = d->a >= 0 && d->b >= d->a; break;
  case DIST_TRIANGULAR: ok = d->a >= 0 && d->a <= d->b && d->b <= d->c; break;
  case DIST_LOGNORMAL: ok = d->a > 0 && d->b >= 0; break;
  default: break;
  }
  if ((d->kind == DIST_GAMMA || d->kind == DIST_WEIBULL) && !(d->b > 0 && isfinite(d->b)))
    return schema_error(err, s, file, "%s needs shape > 0", dist_name(d->kind));
  if (!ok || !isfinite(d->a) || !isfinite(d->b) || !isfinite(d->c))
    return schema_error(err, s, file, "%s parameters out of range (times must be >= 0, "
                        "means > 0, min <= mode <= max)", dist_name(d->kind));
  if (!isfinite(dist_mean(d)))
    return schema_error(err, s, file, "%s parameters give an infinite mean", dist_name(d->kind));
  return mean_floor(s, d, file, err);
}

/* Erlang's k: a whole number in [1, ERLANG_K_MAX], checked before any conversion. */
static int erlang_k(const config_setting_t *s, const config_setting_t *e, dist *d, const char *file,
                    sim_error *err) {
  double k = schema_num(e);
  if (!(k >= 1 && k <= ERLANG_K_MAX) || k != floor(k))
    return schema_error(err, s, file, "erlang needs k, a whole number in [1, %d] (found %g)",
                        ERLANG_K_MAX, k);
  d->k = (int)k;
  return 0;
}

int schema_dist(const config_setting_t *s, dist *d, const char *file, sim_error *err) {
  memset(d, 0, sizeof *d);
  const config_setting_t *name = config_setting_get_member(s, "dist");
  if (!name || config_setting_type(name) != CONFIG_TYPE_STRING)
    return schema_error(
        err, s, file,
        "a distribution needs dist = \"exponential\" (or "
        "deterministic, uniform, triangular, erlang, gamma, lognormal, weibull, empirical)");
  int kind = dist_from_name(config_setting_get_string(name));
  if (kind < 0)
    return schema_error(err, name, file, "unknown distribution '%s'",
                        config_setting_get_string(name));
  d->kind = (dist_kind)kind;
  const dist_form *f = &forms[kind];
  for (int i = 0; i < config_setting_length(s); i++) {
    const config_setting_t *e = config_setting_get_elem(s, (unsigned)i);
    if (!known_dist_key(f, config_setting_name(e)))
      return schema_error(err, e, file, "unknown key for the %s distribution", dist_name(d->kind));
  }
  double *slot[3] = {&d->a, &d->b, &d->c};
  for (int j = 0; j < 3 && f->time[j]; j++) {
    double factor = 1;
    const config_setting_t *e = time_param(s, f->time[j], &factor);
    if (!e)
      return schema_error(err, s, file, "%s distribution needs %s_min (or _s, _h, _days)",
                          dist_name(d->kind), f->time[j]);
    if (kind == DIST_EMPIRICAL) {
      int rc = read_empirical(s, e, factor, d, file, err);
      return rc ? rc : mean_floor(s, d, file, err);
    }
    if (!schema_is_num(e)) return schema_error(err, e, file, "must be a number");
    *slot[j] = schema_num(e) * factor;
  }
  if (f->plain) {
    const config_setting_t *e = config_setting_get_member(s, f->plain);
    if (!e || !schema_is_num(e))
      return schema_error(err, s, file, "%s distribution needs %s (a number)", dist_name(d->kind),
                          f->plain);
    if (kind == DIST_ERLANG) {
      if (erlang_k(s, e, d, file, err)) return SIM_EINVAL;
    } else {
      d->b = schema_num(e);
    }
  }
  return dist_sane(s, d, file, err);
}

void schema_print_markdown(FILE *f) {
  static const char *const tn[] = {"int", "float", "bool", "string", "group", "named groups",
                                   "list", "array", "distribution", "kernel parameters",
                                   "count"};
  fprintf(
      f, "| key | type | unit | default | range / values | meaning |\n|---|---|---|---|---|---|\n");
  FOR_EACH_KEY(k) {
    char range[CHOICES_MAX] = "";
    if (k->type == SK_INT || k->type == SK_FLOAT || k->type == SK_COUNT)
      snprintf(range, sizeof range, "%g .. %g", k->min, k->max);
    if (k->choices || k->choice) /* a bar would split the Markdown cell */
      schema_choices(k, ',', range, sizeof range);
    fprintf(f, "| `%s` | %s | %s | %s | %s | %s |\n", k->path, tn[k->type], k->unit ? k->unit : "",
            k->def ? k->def : (k->required ? "required" : "-"), range, k->help ? k->help : "");
  }
}
