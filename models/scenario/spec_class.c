/* spec_class: what the per-class and per-batch tables hold, known before any run: the
 * classes (the built-in ones, then the scenario's `classes`), each channel's batches
 * scheduled in the measured period, and the names of both kinds of row; and the
 * service levels a sweep adds (see spec.h). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "models/arrivals.h"
#include "models/scenario/schema.h"
#include "models/scenario/spec.h"
#include "models/scenario/spec_internal.h"

static const char *const flag_names[SPEC_CLASS_NFLAGS] = {
    "selected", "not_selected", "inspected", "not_inspected",
    "aeo",      "non_aeo",      "alarmed",   "not_alarmed"};

int spec_class_index(const spec *sp, const char *name) {
  for (size_t i = 0; i < sp->ncls; i++)
    if (!strcmp(sp->cls[i].name, name)) return (int)i;
  return -1;
}

const char *spec_class_flag_at(int i) {
  return i >= 0 && i < SPEC_CLASS_NFLAGS ? flag_names[i] : NULL;
}

static int flag_of(const char *name) {
  for (int i = 0; i < SPEC_CLASS_NFLAGS; i++)
    if (!strcmp(flag_names[i], name)) return i;
  return -1;
}

static int oom(sim_error *err) { return sim_error_set(err, SIM_ENOMEM, "out of memory"); }

/* One class of the scenario's `classes` group. */
static int read_class(spec *sp, spec_class *c, const config_setting_t *g, const char *file,
                      sim_error *err) {
  const char *name = config_setting_name(g);
  if (flag_of(name) >= 0 || spec_class_index(sp, name) >= 0)
    return schema_error(
        err, g, file, "'%s' is a built-in class (every channel has it): choose another name", name);
  c->flag = c->station = -1;
  if (!(c->name = strdup(name))) return oom(err);
  const char *when = schema_string(g, "when"), *visited = schema_string(g, "visited");
  const char *origin = schema_string(g, "origin");
  if (!when && !visited && !origin)
    return schema_error(err, g, file, "a class needs when, visited or origin");
  if (when) c->flag = flag_of(when);
  if (visited && (c->station = spec_station_index(sp, visited)) < 0)
    return schema_error(err, config_setting_get_member(g, "visited"), file, "unknown station '%s'",
                        visited);
  if (origin && !(c->origin = strdup(origin))) return oom(err);
  return 0;
}

/* "CHANNEL.CLASS" for every channel and class, and every channel's batch rows. */
static int name_rows(spec *sp, sim_error *err) {
  sp->class_ids = calloc(sp->nch * sp->ncls + 1, sizeof *sp->class_ids);
  sp->nbatch = calloc(sp->nch + 1, sizeof *sp->nbatch);
  sp->batch0 = calloc(sp->nch + 1, sizeof *sp->batch0);
  if (!sp->class_ids || !sp->nbatch || !sp->batch0) return oom(err);
  for (size_t c = 0; c < sp->nch; c++)
    for (size_t k = 0; k < sp->ncls; k++)
      if (asprintf(&sp->class_ids[c * sp->ncls + k], "%s.%s", sp->ch[c].name, sp->cls[k].name) <
          0) {
        sp->class_ids[c * sp->ncls + k] = NULL;
        return oom(err);
      }
  for (size_t c = 0; c < sp->nch; c++) {
    sp->batch0[c] = sp->nbatch_all;
    sp->nbatch[c] =
        arrivals_spec_batches(sp->ch[c].arr, sp->warmup_min, sp->warmup_min + sp->days_min);
    sp->nbatch_all += sp->nbatch[c];
  }
  sp->batch_ids = calloc(sp->nbatch_all + 1, sizeof *sp->batch_ids);
  if (!sp->batch_ids) return oom(err);
  for (size_t c = 0; c < sp->nch; c++)
    for (size_t b = 0; b < sp->nbatch[c]; b++)
      if (asprintf(&sp->batch_ids[sp->batch0[c] + b], "%s.%zu", sp->ch[c].name, b) < 0) {
        sp->batch_ids[sp->batch0[c] + b] = NULL;
        return oom(err);
      }
  return 0;
}

int spec_read_classes(spec *sp, const config_t *cfg, const char *file, sim_error *err) {
  const config_setting_t *g = config_lookup(cfg, "classes");
  size_t nu = g ? (size_t)config_setting_length(g) : 0;
  sp->cls = calloc(SPEC_CLASS_BUILTIN + nu, sizeof *sp->cls);
  if (!sp->cls) return oom(err);
  for (int i = 0; i < SPEC_CLASS_BUILTIN; i++, sp->ncls++) {
    sp->cls[i] = (spec_class){.name = strdup(flag_names[i]), .flag = i, .station = -1};
    if (!sp->cls[i].name) return oom(err);
  }
  for (size_t i = 0; i < nu; i++) {
    int rc = read_class(sp, &sp->cls[sp->ncls], config_setting_get_elem(g, (unsigned)i), file, err);
    sp->ncls++; /* counted even when half read, so it is freed */
    if (rc) return rc;
  }
  return name_rows(sp, err);
}

void spec_free_classes(spec *sp) {
  for (size_t i = 0; sp->cls && i < sp->ncls; i++) {
    free(sp->cls[i].name);
    free(sp->cls[i].origin);
  }
  for (size_t i = 0; sp->class_ids && i < sp->nch * sp->ncls; i++) free(sp->class_ids[i]);
  for (size_t i = 0; sp->batch_ids && i < sp->nbatch_all; i++) free(sp->batch_ids[i]);
  free(sp->cls);
  free(sp->class_ids);
  free(sp->batch_ids);
  free(sp->nbatch);
  free(sp->batch0);
  free(sp->levels);
}

long spec_add_level(spec *sp, const spec_level *l) {
  spec_level *n = realloc(sp->levels, (sp->nlevels + 1) * sizeof *n);
  if (!n) return -1;
  sp->levels = n;
  sp->levels[sp->nlevels] = *l;
  return (long)sp->nlevels++;
}
