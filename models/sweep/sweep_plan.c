/* sweep_plan: what a sweep runs (see sweep.h). Variant v is a fresh scenario_load of the
 * scenario file with the base --set overrides followed by v's --vary values, so every
 * variant is validated exactly as customs-sim would validate it. */
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "models/sweep/sweep.h"

void sweep_plan_free(sweep_plan *pl) {
  if (!pl) return;
  sweep_grid_free(pl->grid);
  scenario_free(pl->base);
  spec_free(pl->shape);
  free(pl);
}

/* The scenario's configuration with the base overrides, to check --vary values on. */
static int load_config(config_t *cfg, const sweep_plan *pl, sim_error *err) {
  char *tmp = strdup(pl->file);
  if (!tmp) return sim_error_set(err, SIM_ENOMEM, "out of memory");
  config_set_include_dir(cfg, dirname(tmp));
  int ok = config_read_file(cfg, pl->file);
  free(tmp);
  if (!ok)
    return sim_error_set(err, SIM_EINVAL, "%s:%d: %s", pl->file, config_error_line(cfg),
                         config_error_text(cfg));
  for (int i = 0; i < pl->nsets; i++)
    if (scenario_set(cfg, pl->file, pl->sets[i], err)) return SIM_EINVAL;
  return 0;
}

int sweep_variant_load(const sweep_plan *pl, size_t v, scenario **sc, spec **sp, sim_error *err) {
  *sc = NULL;
  if (sp) *sp = NULL;
  size_t na = pl->grid->naxes, n = (size_t)pl->nsets + na;
  const char **sets = calloc(n ? n : 1, sizeof *sets);
  char (*buf)[2 * SWEEP_TEXT + 2] = calloc(na ? na : 1, sizeof *buf);
  int rc = 0;
  if (!sets || !buf) rc = sim_error_set(err, SIM_ENOMEM, "out of memory");
  for (size_t i = 0; !rc && i < (size_t)pl->nsets; i++) sets[i] = pl->sets[i];
  for (size_t a = 0; !rc && a < na; a++) {
    sweep_grid_assign(pl->grid, v, a, buf[a], sizeof buf[a]);
    sets[pl->nsets + a] = buf[a];
  }
  if (!rc) rc = scenario_load(sc, pl->file, sets, (int)n, pl->days, err);
  if (!rc && sp) rc = spec_build(sp, *sc, err);
  for (size_t l = 0; !rc && sp && pl->shape && l < pl->shape->nlevels;
       l++) /* the targets' service levels */
    if (spec_add_level(*sp, &pl->shape->levels[l]) < 0)
      rc = sim_error_set(err, SIM_ENOMEM, "out of memory");
  free(sets);
  free(buf);
  if (rc) {
    scenario_free(*sc);
    *sc = NULL;
    if (sp) spec_free(*sp), *sp = NULL;
  }
  return rc;
}

int sweep_plan_new(sweep_plan **out, const char *file, const char *const *sets, int nsets,
                   double days, uint64_t seed, sweep_grid *grid, sim_error *err) {
  *out = NULL;
  sweep_plan *pl = calloc(1, sizeof *pl);
  if (!pl) {
    sweep_grid_free(grid);
    return sim_error_set(err, SIM_ENOMEM, "out of memory");
  }
  *pl = (sweep_plan){file, sets, nsets, days, seed, grid, NULL, NULL, 0};
  int rc = scenario_load(&pl->base, file, sets, nsets, days, err);
  for (size_t a = 0; !rc && a < grid->naxes; a++)
    if (days > 0 && !strcmp(grid->axes[a].path, "run.days"))
      rc = sim_error_set(err, SIM_EINVAL,
                         "--vary run.days: conflicts with --days (give one of them)");
  if (!rc) {
    config_t cfg;
    config_init(&cfg);
    rc = load_config(&cfg, pl, err);
    if (!rc) rc = sweep_grid_resolve(grid, &cfg, file, err);
    config_destroy(&cfg);
  }
  if (!rc && grid->naxes == 0) grid->nvariants = 1;
  scenario *sc = NULL;
  if (!rc && (rc = sweep_variant_load(pl, 0, &sc, &pl->shape, err)) && grid->naxes) {
    char what[1024];
    sweep_grid_describe(grid, 0, what, sizeof what);
    sim_error_wrap(err, "variant 0 (%s)", what);
  }
  scenario_free(sc);
  if (rc) {
    sweep_plan_free(pl);
    return rc;
  }
  pl->nval = sweep_nval(pl->shape);
  *out = pl;
  return 0;
}

/* Whether two ports have the same channels, stations, pools, classes and batches (in the
 * same order), and both or neither have disruptions, so that their flat figures line up. */
static int same_shape(const spec *a, const spec *b) {
  if (a->nch != b->nch || a->nst != b->nst || a->npool != b->npool || a->ncls != b->ncls ||
      a->nbatch_all != b->nbatch_all || sweep_nval(a) != sweep_nval(b))
    return 0;
  for (size_t i = 0; i < a->ncls; i++)
    if (strcmp(a->cls[i].name, b->cls[i].name)) return 0;
  for (size_t i = 0; i < a->nch; i++)
    if (a->nbatch[i] != b->nbatch[i]) return 0;
  for (size_t i = 0; i < a->nch; i++)
    if (strcmp(a->ch[i].name, b->ch[i].name)) return 0;
  for (size_t i = 0; i < a->nst; i++)
    if (strcmp(a->st[i].name, b->st[i].name)) return 0;
  for (size_t i = 0; i < a->npool; i++)
    if (strcmp(a->pool[i].name, b->pool[i].name)) return 0;
  return 1;
}

int sweep_plan_check(const sweep_plan *pl, sim_error *err) {
  for (size_t v = 1; v < pl->grid->nvariants; v++) {
    scenario *sc = NULL;
    spec *sp = NULL;
    int rc = sweep_variant_load(pl, v, &sc, &sp, err);
    if (!rc && !same_shape(pl->shape, sp)) {
      char what[1024];
      sweep_grid_describe(pl->grid, v, what, sizeof what);
      rc =
          sim_error_set(err, SIM_EINVAL,
                        "variant %zu (%s): its channels, stations, staff pools, classes, scheduled "
                        "batches or disruptions differ from variant 0's",
                        v, what);
    } else if (rc) {
      char what[1024];
      sweep_grid_describe(pl->grid, v, what, sizeof what);
      sim_error_wrap(err, "variant %zu (%s)", v, what);
    }
    spec_free(sp);
    scenario_free(sc);
    if (rc) return rc;
  }
  return 0;
}

int sweep_config_number(const scenario *sc, const char *path, double *out, sim_error *err) {
  const config_setting_t *s = config_lookup(scenario_config(sc), path);
  switch (s ? config_setting_type(s) : CONFIG_TYPE_NONE) {
  case CONFIG_TYPE_INT:
  case CONFIG_TYPE_INT64: *out = (double)config_setting_get_int64(s); return 0;
  case CONFIG_TYPE_FLOAT: *out = config_setting_get_float(s); return 0;
  case CONFIG_TYPE_BOOL: *out = config_setting_get_bool(s); return 0;
  default:
    return sim_error_set(err, SIM_EINVAL,
                         "--cost %s: not a number set in the scenario (--vary or --set it)", path);
  }
}
