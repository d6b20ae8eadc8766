/* scenario: loading, overriding and validating scenario files (see scenario.h). */
#include "models/scenario/scenario.h"

#include <errno.h>
#include <libgen.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "models/scenario/scenario_scan.h"
#include "models/scenario/schema.h"

struct scenario {
  config_t cfg;
  char *file, *text, *dir;
  int from_text; /* loaded from memory: it may read no other file */
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
int scenario_from_text(const scenario *sc) { return sc->from_text; }

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

/* Overrides, --days and validation of a freshly read configuration. */
static int finish_load(scenario *sc, const char *name, const char *const *sets, int nsets,
                       double days, sim_error *err) {
  int rc = 0;
  for (int i = 0; !rc && i < nsets; i++) rc = scenario_set(&sc->cfg, name, sets[i], err);
  if (!rc && days > 0) {
    char buf[64];
    snprintf(buf, sizeof buf, "run.days=%.17g", days);
    rc = scenario_set(&sc->cfg, name, buf, err);
  }
  if (!rc) rc = schema_validate(&sc->cfg, name, err);
  if (!rc) rc = resolve_text(sc, err);
  return rc;
}

static scenario *scenario_alloc(const char *name, sim_error *err) {
  scenario *sc = calloc(1, sizeof *sc);
  if (!sc) return sim_error_set(err, SIM_ENOMEM, "out of memory"), NULL;
  config_init(&sc->cfg);
  sc->file = strdup(name);
  if (!sc->file) {
    scenario_free(sc);
    return sim_error_set(err, SIM_ENOMEM, "out of memory"), NULL;
  }
  return sc;
}

int scenario_load(scenario **out, const char *path, const char *const *sets, int nsets,
                  double days, sim_error *err) {
  *out = NULL;
  scenario *sc = scenario_alloc(path, err);
  if (!sc) return SIM_ENOMEM;
  char *tmp = strdup(path);
  sc->dir = tmp ? strdup(dirname(tmp)) : NULL;
  free(tmp);
  if (!sc->dir) {
    scenario_free(sc);
    return sim_error_set(err, SIM_ENOMEM, "out of memory");
  }
  config_set_include_dir(&sc->cfg, sc->dir);
  /* includes checked (regular files only) before the library opens any of them */
  int rc = scenario_scan_file(path, sc->dir, err);
  if (!rc && !config_read_file(&sc->cfg, path)) rc = parse_error(&sc->cfg, path, err);
  if (!rc) rc = finish_load(sc, path, sets, nsets, days, err);
  if (rc) {
    scenario_free(sc);
    return rc;
  }
  *out = sc;
  return 0;
}

int scenario_load_text(scenario **out, const char *text, const char *name, sim_error *err) {
  *out = NULL;
  if (!text) return sim_error_set(err, SIM_EINVAL, "%s: no scenario text", name);
  int rc = scenario_scan_text(text, strlen(text), name, err);
  if (rc) return rc;
  scenario *sc = scenario_alloc(name, err);
  if (!sc) return SIM_ENOMEM;
  sc->from_text = 1;
  if (!config_read_string(&sc->cfg, text)) rc = parse_error(&sc->cfg, name, err);
  if (!rc) rc = finish_load(sc, name, NULL, 0, 0, err);
  if (rc) {
    scenario_free(sc);
    return rc;
  }
  *out = sc;
  return 0;
}

/* ---- --set ---- */

/* A whole-string number: 0, or the reason it is not one. */
static const char *parse_int(const char *v, long long *x) {
  char *end;
  errno = 0;
  *x = strtoll(v, &end, 10);
  if (!*v || *end) return "is not an integer";
  if (errno == ERANGE) return "does not fit in 64 bits";
  return NULL;
}

static const char *parse_float(const char *v, double *x) {
  char *end;
  errno = 0;
  *x = strtod(v, &end);
  if (!*v || *end || isnan(*x)) return "is not a number";
  if (!isfinite(*x) || (errno == ERANGE && fabs(*x) > 1)) return "is beyond the range of a number";
  return NULL;
}

static int parse_value(config_setting_t *s, schema_type t, const char *path, const char *v,
                       sim_error *err) {
  const char *why = NULL;
  int ok = 0;
  long long i;
  double x;
  switch (t) {
  case SK_COUNT:
  case SK_INT:
    if (!(why = parse_int(v, &i))) ok = config_setting_set_int64(s, i);
    break;
  case SK_FLOAT:
    if (!(why = parse_float(v, &x))) ok = config_setting_set_float(s, x);
    break;
  case SK_BOOL:
    if (strcmp(v, "true") && strcmp(v, "false"))
      why = "is not true or false";
    else
      ok = config_setting_set_bool(s, !strcmp(v, "true"));
    break;
  case SK_STRING: ok = config_setting_set_string(s, v); break;
  default:
    return sim_error_set(err, SIM_EINVAL,
                         "%s: a group cannot be set from the command line (set "
                         "one of its keys: %s.KEY=VALUE)",
                         path, path);
  }
  if (why) return sim_error_set(err, SIM_EINVAL, "%s: '%s' %s", path, v, why);
  if (!ok) return sim_error_set(err, SIM_ENOMEM, "%s: out of memory storing '%s'", path, v);
  return 0;
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

/* The next part of a dotted path (from *p, moved past it): NULL at the end; an empty
 * part ("a..b", ".a", "a.") is an error, not skipped, so a typo never lands elsewhere. */
static const char *next_part(char **p, const char *path, sim_error *err, int *bad) {
  if (!*p) return NULL;
  char *part = *p, *dot = strchr(part, '.');
  if (dot) *dot = '\0';
  *p = dot ? dot + 1 : NULL;
  if (!*part) {
    *bad = sim_error_set(err, SIM_EINVAL, "%s: empty part in the key path", path);
    return NULL;
  }
  return part;
}

/* The path with every list index as a part of its own: "a.b[0].c" -> "a.b.[0].c".
 * Allocated (NULL if no memory). */
static char *split_indices(const char *path) {
  char *buf = malloc(2 * strlen(path) + 1);
  if (!buf) return NULL;
  size_t o = 0;
  for (const char *p = path; *p; p++) {
    if (*p == '[' && p > path && p[-1] != '.') buf[o++] = '.';
    buf[o++] = *p;
  }
  buf[o] = '\0';
  return buf;
}

/* Entry "[N]" of the list or array cur (*out), and its key; 0 or an error code. */
static int list_elem(config_setting_t *cur, const char *tok, const char *path,
                     const schema_key **k, config_setting_t **out, sim_error *err) {
  char *end = NULL;
  errno = 0;
  long i = strtol(tok + 1, &end, 10);
  if (tok[1] < '0' || tok[1] > '9' || strcmp(end, "]") || errno)
    return sim_error_set(err, SIM_EINVAL, "%s: '%s' is not a list index ([0], [1], ...)", path,
                         tok);
  if (!config_setting_is_list(cur) && !config_setting_is_array(cur))
    return sim_error_set(err, SIM_EINVAL, "%s: '%s' is not a list", path,
                         config_setting_name(cur) ? config_setting_name(cur) : "?");
  int n = config_setting_length(cur);
  if (i >= n)
    return sim_error_set(err, SIM_EINVAL,
                         "%s: index %ld out of range (the list has %d entr%s: entries can be "
                         "changed, not added)",
                         path, i, n, n == 1 ? "y" : "ies");
  char pat[300], cp[320];
  schema_pattern(cur, pat, sizeof pat);
  snprintf(cp, sizeof cp, "%s[]", pat);
  if (!(*k = schema_find(cp)))
    return sim_error_set(err, SIM_EINVAL, "%s: unknown key (no key '%s' in the scenario language)",
                         path, cp);
  *out = config_setting_get_elem(cur, (unsigned)i);
  return 0;
}

/* The schema key of member tok under cur (NULL if none), its pattern in *cp, and the
 * key of cur in *parent. */
static const schema_key *member_key(const config_setting_t *cur, const char *tok, char **cp,
                                    const schema_key **parent, int *nomem) {
  char pat[300];
  schema_pattern(cur, pat, sizeof pat);
  const schema_key *pk = *parent = schema_find(pat);
  free(*cp);
  if (!pat[0])
    *cp = strdup(tok);
  else if (asprintf(cp, "%s.%s", pat, pk && pk->type == SK_NAMED ? "*" : tok) < 0)
    *cp = NULL;
  if (!*cp) return *nomem = 1, NULL;
  const schema_key *k = schema_find(*cp);
  /* inside a distribution group the keys depend on the distribution: a parameter is
   * a number, `dist` a string; the group's own check validates them (and a kernel's
   * parameters are checked against the kernel's table) */
  static const schema_key dist_num = {
      .path = "(distribution parameter)", .type = SK_FLOAT, .min = -1e300, .max = 1e300};
  static const schema_key dist_name = {.path = "(distribution)", .type = SK_STRING};
  if (!k && pk && (pk->type == SK_DIST || pk->type == SK_COUNT))
    k = !strcmp(tok, "dist") ? &dist_name : &dist_num;
  if (!k && pk && pk->type == SK_PARAMS) k = &dist_num; /* checked against the kernel's table */
  return k;
}

/* Finds the setting at a dotted path (*out), creating missing groups and the final key
 * when the schema knows them. A part "[N]" (or "name[N]") is entry N of a list. 0, or
 * an error code with a message. */
static int find_or_add(config_t *cfg, const char *path, const schema_key **kout,
                       config_setting_t **out, sim_error *err) {
  config_setting_t *cur = config_root_setting(cfg);
  char *buf = split_indices(path), *rest = buf, *cp = NULL;
  int bad = 0, nomem = 0;
  if (!buf) bad = sim_error_set(err, SIM_ENOMEM, "out of memory");
  for (const char *tok; !bad && (tok = next_part(&rest, path, err, &bad));) {
    if (tok[0] == '[') {
      bad = list_elem(cur, tok, path, kout, &cur, err);
      continue;
    }
    config_setting_t *next = config_setting_get_member(cur, tok);
    const schema_key *pk = NULL, *k = member_key(cur, tok, &cp, &pk, &nomem);
    if (nomem) {
      bad = sim_error_set(err, SIM_ENOMEM, "out of memory");
    } else if (!k) {
      bad = sim_error_set(err, SIM_EINVAL, "%s: unknown key (no key '%s' in the scenario language)",
                          path, cp ? cp : tok);
    } else if (!next && pk && pk->type == SK_NAMED) {
      bad = sim_error_set(err, SIM_EINVAL, "%s: unknown key (no '%s' in the scenario)", path, tok);
    } else if (!next && !(next = config_setting_add(cur, tok, libconfig_type(k->type)))) {
      bad = sim_error_set(err, SIM_EINVAL, "%s: cannot add '%s' (a group is needed there)", path,
                          tok);
    }
    *kout = k;
    cur = next;
  }
  free(cp);
  free(buf);
  if (!bad && cur == config_root_setting(cfg))
    bad = sim_error_set(err, SIM_EINVAL, "%s: empty key path", path);
  *out = bad ? NULL : cur;
  return bad;
}

/* Line of the deepest setting of path that exists (the place a --set error points at). */
static int context_line(config_t *cfg, const char *path) {
  config_setting_t *cur = config_root_setting(cfg);
  int line = 0;
  char *buf = split_indices(path);
  for (char *save = NULL, *tok = buf ? strtok_r(buf, ".", &save) : NULL; tok;
       tok = strtok_r(NULL, ".", &save)) {
    cur = tok[0] == '[' ? config_setting_get_elem(cur, (unsigned)strtoul(tok + 1, NULL, 10))
                        : config_setting_get_member(cur, tok);
    if (!cur) break;
    if (config_setting_source_line(cur)) line = (int)config_setting_source_line(cur);
  }
  free(buf);
  return line;
}

/* Replaces s by a new setting of libconfig type want (same name, same place). */
static config_setting_t *retype(config_setting_t *s, int want) {
  config_setting_t *parent = config_setting_parent(s);
  char *name = strdup(config_setting_name(s));
  config_setting_t *n = NULL;
  if (name && config_setting_remove(parent, name) == CONFIG_TRUE)
    n = config_setting_add(parent, name, want);
  free(name);
  return n;
}

static int set_value(config_t *cfg, const char *file, const char *path, const char *value,
                     sim_error *err) {
  const schema_key *k = NULL;
  config_setting_t *s = NULL;
  int rc = find_or_add(cfg, path, &k, &s, err);
  if (rc) return rc;
  /* the declared type decides the stored type, whatever the file held there (an
   * integer value is fine for a float) */
  schema_type t = k->type;
  int want = libconfig_type(t), have = config_setting_type(s);
  int scalar = t == SK_INT || t == SK_FLOAT || t == SK_BOOL || t == SK_STRING || t == SK_COUNT;
  const config_setting_t *up = config_setting_parent(s);
  if (up && config_setting_is_aggregate(up) && !config_setting_is_group(up)) {
    /* an entry of a list or array keeps its place; an array keeps one type: whole
     * numbers there are set as whole numbers (or write 1.0 in the file) */
    int whole = have == CONFIG_TYPE_INT || have == CONFIG_TYPE_INT64;
    if (t == SK_FLOAT && whole) t = SK_INT;
  } else if (scalar && have != want && !(s = retype(s, want)))
    return sim_error_set(err, SIM_ENOMEM, "%s: out of memory replacing the value", path);
  rc = parse_value(s, t, path, value, err);
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
    char checked[1024];
    schema_path(s, checked, sizeof checked);
    const char *reason = strstr(inner.msg, checked);
    return sim_error_set(err, inner.code ? inner.code : SIM_EINVAL, "%s",
                         reason ? reason : inner.msg);
  }
  return 0;
}

int scenario_set(config_t *cfg, const char *file, const char *assignment, sim_error *err) {
  const char *eq = strchr(assignment, '=');
  if (!eq || eq == assignment)
    return sim_error_set(err, SIM_EINVAL, "%s: --set '%s': expected PATH=VALUE", file, assignment);
  char *path = strndup(assignment, (size_t)(eq - assignment));
  if (!path) return sim_error_set(err, SIM_ENOMEM, "out of memory");
  int line = context_line(cfg, path);
  int rc = set_value(cfg, file, path, eq + 1, err);
  if (rc && err) {
    char reason[sizeof err->msg];
    snprintf(reason, sizeof reason, "%s", err->msg);
    sim_error_set(err, rc, "%s:%d: --set %s", file, line, reason);
  }
  free(path);
  return rc;
}
