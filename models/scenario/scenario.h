/* scenario: a scenario file loaded with libconfig, `@include`s resolved relative to the
 * file (and checked first by scenario_scan: regular files only), `--set PATH=VALUE` overrides and
 * `--days` applied, then every key validated against the schema. Keeps the resolved text for the
 * result file.
 *
 * Ownership: scenario_load returns a scenario owned by the caller (scenario_free). */
#ifndef MODELS_SCENARIO_SCENARIO_H
#define MODELS_SCENARIO_SCENARIO_H

#include <libconfig.h>

#include "sim/error.h"

typedef struct scenario scenario;

/* sets: nsets strings "PATH=VALUE"; days: overrides run.days when > 0. */
int scenario_load(scenario **out, const char *path, const char *const *sets, int nsets,
                  double days, sim_error *err);
/* A scenario from text held in memory (the one stored in a result file), called `name`
 * in messages. Includes are refused: the text cannot make the program read files. */
int scenario_load_text(scenario **out, const char *text, const char *name, sim_error *err);
void scenario_free(scenario *sc);

const config_t *scenario_config(const scenario *sc);
const char *scenario_file(const scenario *sc);
const char *scenario_name(const scenario *sc);
/* 1 for a scenario from scenario_load_text (it may read no file: schedule CSVs are
 * refused). */
int scenario_from_text(const scenario *sc);
/* The scenario as resolved (includes expanded, overrides applied), as libconfig text. */
const char *scenario_text(const scenario *sc);

/* Applies one "PATH=VALUE" override to a loaded configuration (exposed for tests and
 * for sweeps, which vary settings). */
int scenario_set(config_t *cfg, const char *file, const char *assignment, sim_error *err);

#endif
