/* scenario: loading, overriding and validating scenario files (see scenario.h). */
#include "models/scenario.h"

#include <errno.h>
#include <libgen.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "models/schema.h"

struct scenario {
  config_t cfg;
  char *file, *text, *dir;
};

void scenario_free(scenario *sc) {
  if (!sc) return;
  config_destroy(&sc->cfg);
  free(sc->file);
  free(sc->text);
  free(sc->dir);
  free(sc);
}

const config_t *scenario_config(const scenario *sc) { return &sc->cfg; }
const char *scenario_file(const scenario *sc) { return sc->file; }
const char *scenario_text(const scenario *sc) { return sc->text ? sc->text : ""; }

const char *scenario_name(const scenario *sc) {
  const char *n = NULL;
  config_lookup_string(&sc->cfg, "name", &n);
  return n ? n : "scenario";
}

static int parse_error(const config_t *cfg, const char *path, sim_error *err) {
  const char *f = config_error_file(cfg);
  return sim_error_set(err, SIM_EINVAL, "%s:%d: syntax error: %s", f ? f : path,
                       config_error_line(cfg), config_error_text(cfg));
}

static int resolve_text(scenario *sc, sim_error *err) {
  size_t len = 0;
  FILE *m = open_memstream(&sc->text, &len);
  if (!m) return sim_error_set(err, SIM_ENOMEM, "out of memory");
  config_write(&sc->cfg, m);
  fclose(m);
  return 0;
}

int scenario_load(scenario **out, const char *path, const char *const *sets, int nsets,
                  double days, sim_error *err) {
  *out = NULL;
  FILE *f = fopen(path, "r");
  if (!f) return sim_error_set(err, SIM_EINVAL, "%s: cannot open scenario: %s", path, strerror(errno));
  fclose(f);
  scenario *sc = calloc(1, sizeof *sc);
  if (!sc) return sim_error_set(err, SIM_ENOMEM, "out of memory");
  config_init(&sc->cfg);
  sc->file = strdup(path);
  char *tmp = strdup(path);
  sc->dir = tmp ? strdup(dirname(tmp)) : NULL;
  free(tmp);
  if (!sc->file || !sc->dir) {
    scenario_free(sc);
    return sim_error_set(err, SIM_ENOMEM, "out of memory");
  }
  config_set_include_dir(&sc->cfg, sc->dir);
  int rc = 0;
  if (!config_read_file(&sc->cfg, path)) rc = parse_error(&sc->cfg, path, err);
  for (int i = 0; !rc && i < nsets; i++) rc = scenario_set(&sc->cfg, path, sets[i], err);
  if (!rc && days > 0) {
    char buf[64];
    snprintf(buf, sizeof buf, "run.days=%.17g", days);
    rc = scenario_set(&sc->cfg, path, buf, err);
  }
  if (!rc) rc = schema_validate(&sc->cfg, path, err);
  if (!rc) rc = resolve_text(sc, err);
  if (rc) {
    scenario_free(sc);
    return rc;
  }
  *out = sc;
  return 0;
}

/* ---- --set ---- */

static int parse_value(config_setting_t *s, schema_type t, const char *path, const char *v,
                       sim_error *err) {
  char *end = NULL;
  errno = 0;
  switch (t) {
  case SK_COUNT:
  case SK_INT: {
    long long x = strtoll(v, &end, 10);
    if (!*v || *end || errno) break;
    return config_setting_set_int64(s, x) ? 0 : SIM_EINVAL;
  }
  case SK_FLOAT: {
    double x = strtod(v, &end);
    if (!*v || *end || errno || !isfinite(x)) break;
    return config_setting_set_float(s, x) ? 0 : SIM_EINVAL;
  }
  case SK_BOOL:
    if (!strcmp(v, "true") || !strcmp(v, "false"))
      return config_setting_set_bool(s, !strcmp(v, "true")) ? 0 : SIM_EINVAL;
    break;
  case SK_STRING: return config_setting_set_string(s, v) ? 0 : SIM_EINVAL;
  default:
    return sim_error_set(err, SIM_EINVAL, "%s: a group cannot be set from the command line", path);
  }
  static const char *const want[] = {"an integer", "a number", "true or false"};
  return sim_error_set(err, SIM_EINVAL, "%s: '%s' is not %s", path, v,
                       want[t == SK_COUNT ? SK_INT : t]);
}

static int libconfig_type(schema_type t) {
  switch (t) {
  case SK_INT:
  case SK_COUNT: return CONFIG_TYPE_INT64;
  case SK_FLOAT: return CONFIG_TYPE_FLOAT;
  case SK_BOOL: return CONFIG_TYPE_BOOL;
  case SK_STRING: return CONFIG_TYPE_STRING;
  case SK_LIST: return CONFIG_TYPE_LIST;
  case SK_ARRAY: return CONFIG_TYPE_ARRAY;
  default: return CONFIG_TYPE_GROUP;
  }
}

/* The path with every list index as a part of its own: "a.b[0].c" -> "a.b.[0].c". */
static void split_indices(const char *path, char *buf, size_t n) {
  size_t o = 0;
  for (const char *p = path; *p && o + 2 < n; p++) {
    if (*p == '[' && p > path && p[-1] != '.') buf[o++] = '.';
    buf[o++] = *p;
  }
  buf[o] = '\0';
}

/* Element "[N]" of the list or array cur, and its key; NULL with a message. */
static config_setting_t *list_elem(config_setting_t *cur, const char *tok, const char *path,
                                   const schema_key **k, sim_error *err) {
  char *end = NULL;
  errno = 0;
  long i = strtol(tok + 1, &end, 10);
  if (tok[1] < '0' || tok[1] > '9' || strcmp(end, "]") || errno) {
    sim_error_set(err, SIM_EINVAL, "%s: '%s' is not a list index ([0], [1], ...)", path, tok);
    return NULL;
  }
  if (!config_setting_is_list(cur) && !config_setting_is_array(cur)) {
    sim_error_set(err, SIM_EINVAL, "%s: '%s' is not a list", path,
                  config_setting_name(cur) ? config_setting_name(cur) : "?");
    return NULL;
  }
  if (i >= config_setting_length(cur)) {
    int n = config_setting_length(cur);
    sim_error_set(err, SIM_EINVAL,
                  "%s: index %ld out of range (the list has %d entr%s: entries can be changed, "
                  "not added)",
                  path, i, n, n == 1 ? "y" : "ies");
    return NULL;
  }
  char pat[300], cp[320];
  schema_pattern(cur, pat, sizeof pat);
  snprintf(cp, sizeof cp, "%s[]", pat);
  if (!(*k = schema_find(cp))) {
    sim_error_set(err, SIM_EINVAL, "%s: unknown key (no key '%s' in the scenario language)", path,
                  cp);
    return NULL;
  }
  return config_setting_get_elem(cur, (unsigned)i);
}

/* Finds the setting at a dotted path, creating missing groups and the final key when
 * the schema knows them; NULL with a message otherwise. A part "[N]" (or "name[N]")
 * is entry N of a list. */
static config_setting_t *find_or_add(config_t *cfg, const char *path, const schema_key **kout,
                                     sim_error *err) {
  config_setting_t *cur = config_root_setting(cfg);
  char buf[256];
  split_indices(path, buf, sizeof buf);
  for (char *save = NULL, *tok = strtok_r(buf, ".", &save); tok; tok = strtok_r(NULL, ".", &save)) {
    if (tok[0] == '[') {
      if (!(cur = list_elem(cur, tok, path, kout, err))) return NULL;
      continue;
    }
    config_setting_t *next = config_setting_get_member(cur, tok);
    char pat[300], cp[600];
    schema_pattern(cur, pat, sizeof pat);
    const schema_key *pk = schema_find(pat);
    if (!pat[0]) snprintf(cp, sizeof cp, "%s", tok);
    else snprintf(cp, sizeof cp, "%s.%s", pat, pk && pk->type == SK_NAMED ? "*" : tok);
    const schema_key *k = schema_find(cp);
    /* inside a distribution group the keys depend on the distribution: a parameter is
     * a number, `dist` a string; the group's own check validates them (and a kernel's
     * parameters are checked against the kernel's table) */
    static const schema_key dist_num = {"(distribution parameter)", SK_FLOAT, -1e300, 1e300, NULL, 0, NULL, NULL, NULL};
    static const schema_key dist_name = {"(distribution)", SK_STRING, 0, 0, NULL, 0, NULL, NULL, NULL};
    if (!k && pk && (pk->type == SK_DIST || pk->type == SK_COUNT))
      k = !strcmp(tok, "dist") ? &dist_name : &dist_num;
    if (!k && pk && pk->type == SK_PARAMS) k = &dist_num;
    if (!k) {
      sim_error_set(err, SIM_EINVAL, "%s: unknown key (no key '%s' in the scenario language)", path, cp);
      return NULL;
    }
    if (!next) {
      if (pk && pk->type == SK_NAMED) {
        sim_error_set(err, SIM_EINVAL, "%s: unknown key (no '%s' in the scenario)", path, tok);
        return NULL;
      }
      next = config_setting_add(cur, tok, libconfig_type(k->type));
      if (!next) {
        sim_error_set(err, SIM_EINVAL, "%s: cannot add '%s'", path, tok);
        return NULL;
      }
    }
    *kout = k;
    cur = next;
  }
  return cur;
}

/* Line of the deepest setting of path that exists (the place a --set error points at). */
static int context_line(config_t *cfg, const char *path) {
  config_setting_t *cur = config_root_setting(cfg);
  int line = 0;
  char buf[256];
  split_indices(path, buf, sizeof buf);
  for (char *save = NULL, *tok = strtok_r(buf, ".", &save); tok; tok = strtok_r(NULL, ".", &save)) {
    cur = tok[0] == '[' ? config_setting_get_elem(cur, (unsigned)strtoul(tok + 1, NULL, 10))
                        : config_setting_get_member(cur, tok);
    if (!cur) break;
    if (config_setting_source_line(cur)) line = (int)config_setting_source_line(cur);
  }
  return line;
}

static int set_value(config_t *cfg, const char *file, const char *path, const char *value, sim_error *err) {
  const schema_key *k = NULL;
  config_setting_t *s = find_or_add(cfg, path, &k, err);
  if (!s) return SIM_EINVAL;
  /* the declared type decides the stored type (an integer value is fine for a float) */
  schema_type t = k->type;
  int want = libconfig_type(t), have = config_setting_type(s);
  const config_setting_t *up = config_setting_parent(s);
  int whole = have == CONFIG_TYPE_INT || have == CONFIG_TYPE_INT64;
  if (up && config_setting_is_array(up)) { /* an array keeps one type */
    if (t == SK_FLOAT && whole) t = SK_INT; /* whole numbers: set one (or write 1.0 in the file) */
  } else if ((t == SK_INT || t == SK_FLOAT || t == SK_COUNT) && have != want) {
    config_setting_t *parent = config_setting_parent(s);
    char name[128];
    snprintf(name, sizeof name, "%s", config_setting_name(s));
    config_setting_remove(parent, name);
    s = config_setting_add(parent, name, want);
  }
  if (!s) return sim_error_set(err, SIM_EINVAL, "%s: cannot set", path);
  int rc = parse_value(s, t, path, value, err);
  if (rc) return rc;
  sim_error inner = {0};
  const config_setting_t *parent = config_setting_parent(s);
  char ppat[300];
  schema_pattern(parent, ppat, sizeof ppat);
  const schema_key *pk = schema_find(ppat);
  if (pk && (pk->type == SK_DIST || pk->type == SK_COUNT || pk->type == SK_PARAMS))
    s = (config_setting_t *)parent; /* check the whole distribution or parameter group */
  if (schema_check_one(s, file, &inner)) {
    /* keep the reason, drop the location the checker gave (the setting is new) */
    char checked[256];
    schema_path(s, checked, sizeof checked);
    const char *reason = strstr(inner.msg, checked);
    return sim_error_set(err, SIM_EINVAL, "%s", reason ? reason : inner.msg);
  }
  return 0;
}

int scenario_set(config_t *cfg, const char *file, const char *assignment, sim_error *err) {
  const char *eq = strchr(assignment, '=');
  if (!eq || eq == assignment)
    return sim_error_set(err, SIM_EINVAL, "%s: --set '%s': expected PATH=VALUE", file, assignment);
  char path[256];
  snprintf(path, sizeof path, "%.*s", (int)(eq - assignment), assignment);
  int line = context_line(cfg, path);
  int rc = set_value(cfg, file, path, eq + 1, err);
  if (rc && err) {
    char reason[sizeof err->msg];
    snprintf(reason, sizeof reason, "%s", err->msg);
    sim_error_set(err, rc, "%s:%d: --set %s", file, line, reason);
  }
  return rc;
}
