/* schema: the table of every scenario key (type, range, default, unit, help) and the
 * validator and typed readers derived from it. One table drives validation, defaults,
 * `--set`, `customs-sim --keys` and the key reference in scenarios/README.md.
 *
 * Key paths are patterns: `*` stands for a name in a group of named things
 * (`stations.*.servers`), `[]` for an element of a list (`...batches[].at_h`). */
#ifndef MODELS_SCENARIO_SCHEMA_H
#define MODELS_SCENARIO_SCHEMA_H

#include <stdio.h>

#include <libconfig.h>

#include "sim/dist.h"
#include "sim/error.h"

typedef enum {
  SK_INT,
  SK_FLOAT,
  SK_BOOL,
  SK_STRING,
  SK_GROUP,   /* a group with fixed keys */
  SK_NAMED,   /* a group whose members are named groups (channels, stations, ...) */
  SK_LIST,    /* a list ( ... ) of groups */
  SK_ARRAY,   /* an array [ ... ] of scalars (numbers or strings) */
  SK_DIST,    /* a distribution group: { dist = "..."; params } */
  SK_PARAMS,  /* a group of numeric parameters checked by a kernel's own table */
  SK_COUNT    /* a whole number, or a count distribution group (models/count_dist.h) */
} schema_type;

typedef struct schema_key {
  const char *path;
  schema_type type;
  double min, max;       /* numbers: allowed range (inclusive) */
  const char *def;       /* default as text; NULL when the key has none */
  int required;
  const char *choices;   /* strings: allowed values separated by '|', or NULL */
  /* strings: the allowed values from the module that owns the list (instead of choices):
   * the i-th, NULL past the last */
  const char *(*choice)(int i);
  const char *unit;
  const char *help;
} schema_key;

/* The key whose pattern is `pattern`, from any module's table; NULL if none. */
const schema_key *schema_find(const char *pattern);

/* The pattern of a setting (names of named groups replaced by `*`) into buf. */
void schema_pattern(const config_setting_t *s, char *buf, size_t n);
/* The concrete dotted path of a setting (for messages and --set). */
void schema_path(const config_setting_t *s, char *buf, size_t n);

/* Checks every setting of the scenario; the first problem becomes a one-line error
 * "FILE:LINE: KEY: reason". */
int schema_validate(const config_t *cfg, const char *file, sim_error *err);

/* Checks one setting and everything under it. */
int schema_check_one(const config_setting_t *s, const char *file, sim_error *err);

/* Typed reads of key `name` under `parent`, falling back to the table's default: the
 * table is the only place a default is written. `name` may be a dotted path through
 * groups that may be absent ("run.days" under the root, "dogs.work_min" under a
 * station): the default then still comes from the table.
 * Missing keys without default: NaN, 0, false, NULL (required keys are checked by
 * validate). */
double schema_float(const config_setting_t *parent, const char *name);
long schema_int(const config_setting_t *parent, const char *name);
int schema_bool(const config_setting_t *parent, const char *name);
const char *schema_string(const config_setting_t *parent, const char *name);
/* A number setting's value whether written as an integer or a float; whether it is one. */
double schema_num(const config_setting_t *e);
int schema_is_num(const config_setting_t *e);

/* Reads a distribution group into d (time parameters converted to minutes). */
int schema_dist(const config_setting_t *s, dist *d, const char *file, sim_error *err);

/* "FILE:LINE: PATH: " prefix for a message about setting s. */
int schema_error(sim_error *err, const config_setting_t *s, const char *file,
                 const char *fmt, ...) __attribute__((format(printf, 4, 5)));

/* The allowed values of a string key joined by sep ("a|b|c") into buf; "" if none. */
const char *schema_choices(const schema_key *k, char sep, char *buf, size_t n);

/* Prints the key reference as a Markdown table. */
void schema_print_markdown(FILE *f);

#endif
