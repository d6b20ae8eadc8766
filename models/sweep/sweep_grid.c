/* sweep_grid: --vary PATH=VALUES, parsed into axes and expanded into the cartesian grid
 * of variants (see sweep.h). A key's type comes from the scenario language: the first
 * value is set with scenario_set on a loaded configuration and the stored type read
 * back, so an unknown path or a bad value gets the same message as --set. */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "models/sweep/sweep.h"

int sweep_grid_new(sweep_grid **out, sim_error *err) {
  *out = calloc(1, sizeof **out);
  return *out ? 0 : sim_error_set(err, SIM_ENOMEM, "out of memory");
}

void sweep_values_free(char **text, double *num, size_t n) {
  for (size_t i = 0; text && i < n; i++) free(text[i]);
  free(text);
  free(num);
}

void sweep_grid_free(sweep_grid *g) {
  if (!g) return;
  for (size_t a = 0; a < g->naxes; a++) {
    free(g->axes[a].path);
    free(g->axes[a].values);
    sweep_values_free(g->axes[a].text, g->axes[a].num, g->axes[a].n);
  }
  free(g);
}

int sweep_grid_add(sweep_grid *g, const char *arg, sim_error *err) {
  const char *eq = strchr(arg, '=');
  if (!eq || eq == arg)
    return sim_error_set(err, SIM_EINVAL, "--vary '%s': expected PATH=VALUES", arg);
  size_t plen = (size_t)(eq - arg);
  if (plen >= SWEEP_TEXT)
    return sim_error_set(err, SIM_EINVAL, "--vary %.40s...: path too long", arg);
  if (!eq[1])
    return sim_error_set(err, SIM_EINVAL, "--vary %.*s: empty list of values", (int)plen, arg);
  for (size_t a = 0; a < g->naxes; a++)
    if (strlen(g->axes[a].path) == plen && !strncmp(g->axes[a].path, arg, plen))
      return sim_error_set(err, SIM_EINVAL, "--vary %.*s: the path is varied twice", (int)plen,
                           arg);
  if (g->naxes == SWEEP_MAX_AXES)
    return sim_error_set(err, SIM_EINVAL, "--vary %.*s: at most %d paths can be varied", (int)plen,
                         arg, SWEEP_MAX_AXES);
  sweep_axis *ax = &g->axes[g->naxes];
  *ax = (sweep_axis){0};
  ax->path = strndup(arg, plen);
  ax->values = strdup(eq + 1);
  if (!ax->path || !ax->values) {
    free(ax->path);
    free(ax->values);
    return sim_error_set(err, SIM_ENOMEM, "out of memory");
  }
  g->naxes++;
  return 0;
}

/* ---- values ------------------------------------------------------------------ */

static const char *type_word(sweep_vtype t) {
  return t == SWEEP_INT     ? "an integer"
         : t == SWEEP_FLOAT ? "a number"
         : t == SWEEP_BOOL  ? "true or false"
                            : "a string";
}

/* s without leading and trailing blanks, into buf. */
static void trim(const char *s, size_t len, char *buf, size_t size) {
  while (len && (*s == ' ' || *s == '\t')) s++, len--;
  while (len && (s[len - 1] == ' ' || s[len - 1] == '\t')) len--;
  snprintf(buf, size, "%.*s", (int)len, s);
}

static int parse_num(const char *path, const char *s, sweep_vtype t, double *out, sim_error *err) {
  char *end = NULL;
  errno = 0;
  if (t == SWEEP_INT) {
    long long v = strtoll(s, &end, 10);
    if (*s && !*end && !errno && llabs(v) < (1LL << 53)) return *out = (double)v, 0;
  } else if (t == SWEEP_FLOAT) {
    double v = strtod(s, &end);
    if (*s && !*end && !errno && isfinite(v)) return *out = v, 0;
  } else if (t == SWEEP_BOOL) {
    if (!strcmp(s, "true") || !strcmp(s, "false")) return *out = !strcmp(s, "true"), 0;
  } else {
    return *out = NAN, 0;
  }
  return sim_error_set(err, SIM_EINVAL, "--vary %s: '%s' is not %s", path, s, type_word(t));
}

/* Growable arrays of (text, number). */
typedef struct vals {
  char **text;
  double *num;
  size_t n, cap;
} vals;

static int vals_push(vals *v, const char *text, double num, const char *path, sim_error *err) {
  if (v->n == SWEEP_MAX_VALUES)
    return sim_error_set(err, SIM_EINVAL, "--vary %s: more than %d values", path, SWEEP_MAX_VALUES);
  if (v->n == v->cap) {
    size_t cap = v->cap ? 2 * v->cap : 8;
    char **t = realloc(v->text, cap * sizeof *t);
    if (t) v->text = t;
    double *d = t ? realloc(v->num, cap * sizeof *d) : NULL;
    if (!d) return sim_error_set(err, SIM_ENOMEM, "out of memory");
    v->num = d;
    v->cap = cap;
  }
  if (!(v->text[v->n] = strdup(text))) return sim_error_set(err, SIM_ENOMEM, "out of memory");
  v->num[v->n++] = num;
  return 0;
}

static int parse_range(const char *path, const char *values, sweep_vtype t, vals *v,
                       sim_error *err) {
  if (t != SWEEP_INT && t != SWEEP_FLOAT)
    return sim_error_set(err, SIM_EINVAL,
                         "--vary %s: a range START:END[:STEP] needs a numeric key (this one is %s)",
                         path, type_word(t));
  char part[3][SWEEP_TEXT];
  size_t np = 0;
  for (const char *p = values;; np++) {
    const char *colon = strchr(p, ':');
    if (np == 3)
      return sim_error_set(err, SIM_EINVAL, "--vary %s: '%s' is not a range START:END[:STEP]", path,
                           values);
    trim(p, colon ? (size_t)(colon - p) : strlen(p), part[np], sizeof part[np]);
    if (!colon) {
      np++;
      break;
    }
    p = colon + 1;
  }
  double x[3] = {0, 0, 1};
  for (size_t i = 0; i < np; i++) {
    if (!part[i][0])
      return sim_error_set(err, SIM_EINVAL, "--vary %s: '%s' is not a range START:END[:STEP]", path,
                           values);
    if (parse_num(path, part[i], t, &x[i], err)) return SIM_EINVAL;
  }
  if (!(x[2] > 0))
    return sim_error_set(err, SIM_EINVAL, "--vary %s: range step %s must be > 0", path, part[2]);
  if (x[1] < x[0])
    return sim_error_set(err, SIM_EINVAL, "--vary %s: range end %s is below its start %s", path,
                         part[1], part[0]);
  double span = (x[1] - x[0]) / x[2];
  if (span >= SWEEP_MAX_VALUES)
    return sim_error_set(err, SIM_EINVAL, "--vary %s: more than %d values", path, SWEEP_MAX_VALUES);
  size_t count = (size_t)floor(span + 1e-9) + 1;
  for (size_t i = 0; i < count; i++) {
    char buf[64];
    double num = x[0] + (double)i * x[2];
    if (t == SWEEP_INT) snprintf(buf, sizeof buf, "%lld", (long long)num);
    else
      snprintf(buf, sizeof buf, "%.12g",
               num); /* 0.1:0.3:0.1 ends at 0.3, not 0.30000000000000004 */
    int rc = vals_push(v, buf, strtod(buf, NULL), path, err);
    if (rc) return rc;
  }
  return 0;
}

static int parse_list(const char *path, const char *values, sweep_vtype t, vals *v,
                      sim_error *err) {
  for (const char *p = values;;) {
    const char *comma = strchr(p, ',');
    size_t len = comma ? (size_t)(comma - p) : strlen(p);
    char one[SWEEP_TEXT];
    if (len >= sizeof one) return sim_error_set(err, SIM_EINVAL, "--vary %s: value too long", path);
    if (t == SWEEP_STR) snprintf(one, sizeof one, "%.*s", (int)len, p);
    else trim(p, len, one, sizeof one);
    if (!one[0])
      return sim_error_set(err, SIM_EINVAL, "--vary %s: empty value in the list '%s'", path,
                           values);
    double num;
    int rc = parse_num(path, one, t, &num, err);
    if (!rc) rc = vals_push(v, one, num, path, err);
    if (rc) return rc;
    if (!comma) return 0;
    p = comma + 1;
  }
}

int sweep_values_parse(const char *path, const char *values, sweep_vtype t, char ***text,
                       double **num, size_t *n, sim_error *err) {
  vals v = {0};
  *text = NULL, *num = NULL, *n = 0;
  int rc;
  if (!values || !values[0])
    rc = sim_error_set(err, SIM_EINVAL, "--vary %s: empty list of values", path);
  else if (t != SWEEP_STR && strchr(values, ':')) rc = parse_range(path, values, t, &v, err);
  else rc = parse_list(path, values, t, &v, err);
  if (rc) {
    sweep_values_free(v.text, v.num, v.n);
    return rc;
  }
  *text = v.text, *num = v.num, *n = v.n;
  return 0;
}

/* ---- resolving against the scenario -------------------------------------------- */

/* scenario_set's message speaks of --set; ours of --vary. */
static int vary_error(sim_error *err, int rc) {
  if (!err) return rc;
  char *at = strstr(err->msg, "--set ");
  if (at) {
    char tail[sizeof err->msg];
    snprintf(tail, sizeof tail, "%s", at + 6);
    snprintf(at, sizeof err->msg - (size_t)(at - err->msg), "--vary %s", tail);
  }
  return rc;
}

static int try_set(config_t *cfg, const char *file, const char *path, const char *value,
                   sim_error *err) {
  char buf[2 * SWEEP_TEXT + 2];
  snprintf(buf, sizeof buf, "%s=%s", path, value);
  int rc = scenario_set(cfg, file, buf, err);
  return rc ? vary_error(err, rc) : 0;
}

/* The type of the key at a->path, found by setting it to the first value (or, for a
 * range, to the range's start). */
static int key_type(config_t *cfg, const char *file, const sweep_axis *a, sweep_vtype *t,
                    sim_error *err) {
  char first[SWEEP_TEXT], head[SWEEP_TEXT];
  const char *comma = strchr(a->values, ',');
  trim(a->values, comma ? (size_t)(comma - a->values) : strlen(a->values), first, sizeof first);
  const char *colon = strchr(first, ':');
  trim(first, colon ? (size_t)(colon - first) : strlen(first), head, sizeof head);
  if (!head[0])
    return sim_error_set(err, SIM_EINVAL, "--vary %s: empty value in '%s'", a->path, a->values);
  int rc = try_set(cfg, file, a->path, head, err);
  if (rc && colon) {
    sim_error second = {0};
    if (!try_set(cfg, file, a->path, first, &second)) rc = 0; /* a string with ':' in it */
  }
  if (rc) return rc;
  const config_setting_t *s = config_lookup(cfg, a->path);
  if (!s) return sim_error_set(err, SIM_EINVAL, "--vary %s: not a key of the scenario", a->path);
  switch (config_setting_type(s)) {
  case CONFIG_TYPE_INT:
  case CONFIG_TYPE_INT64: *t = SWEEP_INT; return 0;
  case CONFIG_TYPE_FLOAT: *t = SWEEP_FLOAT; return 0;
  case CONFIG_TYPE_BOOL: *t = SWEEP_BOOL; return 0;
  case CONFIG_TYPE_STRING: *t = SWEEP_STR; return 0;
  default:
    return sim_error_set(err, SIM_EINVAL, "--vary %s: not a single value (a group or a list)",
                         a->path);
  }
}

int sweep_grid_resolve(sweep_grid *g, config_t *cfg, const char *file, sim_error *err) {
  g->nvariants = 1;
  for (size_t i = 0; i < g->naxes; i++) {
    sweep_axis *a = &g->axes[i];
    int rc = key_type(cfg, file, a, &a->type, err);
    if (!rc) rc = sweep_values_parse(a->path, a->values, a->type, &a->text, &a->num, &a->n, err);
    for (size_t k = 0; !rc && k < a->n; k++) rc = try_set(cfg, file, a->path, a->text[k], err);
    if (rc) return rc;
    if ((double)g->nvariants * (double)a->n > SWEEP_MAX_VARIANTS)
      return sim_error_set(err, SIM_EINVAL, "--vary %s: the grid would have more than %d variants",
                           a->path, SWEEP_MAX_VARIANTS);
    g->nvariants *= a->n;
  }
  return 0;
}

void sweep_grid_point(const sweep_grid *g, size_t v, size_t *idx) {
  for (size_t a = g->naxes; a-- > 0;) {
    idx[a] = v % g->axes[a].n;
    v /= g->axes[a].n;
  }
}

void sweep_grid_assign(const sweep_grid *g, size_t v, size_t a, char *buf, size_t size) {
  size_t idx[SWEEP_MAX_AXES] = {0};
  sweep_grid_point(g, v, idx);
  snprintf(buf, size, "%s=%s", g->axes[a].path, g->axes[a].text[idx[a]]);
}

void sweep_grid_describe(const sweep_grid *g, size_t v, char *buf, size_t size) {
  size_t used = 0;
  buf[0] = '\0';
  for (size_t a = 0; a < g->naxes && used < size; a++) {
    char one[2 * SWEEP_TEXT + 2];
    sweep_grid_assign(g, v, a, one, sizeof one);
    int w = snprintf(buf + used, size - used, "%s%s", a ? " " : "", one);
    if (w < 0) break;
    used += (size_t)w;
  }
}
