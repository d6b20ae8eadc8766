/* spec_internal: what the files of the scenario reader (models/scenario/spec*.c) share
 * and no other file sees: the reader's own state kept with a spec (name tables, the
 * shared empty branch tables, the prefix of the port being read), and the steps of
 * spec_build. Included only by the .c files of models/scenario/.
 *
 * Ownership: spec_build allocates the reader state (spec.rd) and spec_free frees it;
 * it lives as long as the spec because the public name lookups (spec_station_index,
 * spec_channel_index, spec_pool_index) use its tables. */
#ifndef MODELS_SCENARIO_SPEC_INTERNAL_H
#define MODELS_SCENARIO_SPEC_INTERNAL_H

#include <stddef.h>
#include <stdint.h>

#include "models/scenario/spec.h"

typedef struct spec_reader {
  struct strtab *st_names, *ch_names, *pool_names, *port_names; /* full name -> index */
  spec_branch **no_branches; /* [nst_cap] NULLs, shared by channels without routing */
  size_t *no_nbranches;
  uint8_t *no_branch_by;
  size_t nst_cap;            /* stations of all ports (the size of per-station arrays) */
  long init_total;           /* items of every initial entry (checked against max_items) */
  int from_text;             /* built from a stored scenario: reads no other file */
  char prefix[64];           /* while building: the port prefix of names being read */
} spec_reader;

/* The customs part of the spec (spec_customs.c). */
int spec_read_settings(spec *sp, const config_t *cfg);
int spec_read_pools(spec *sp, const config_setting_t *scope, const char *file, sim_error *err);
int spec_read_station_customs(spec *sp, spec_station *st, const config_setting_t *g,
                              const char *file, sim_error *err);
int spec_resolve_fallbacks(spec *sp, const config_setting_t *scope, size_t first,
                           const char *file, sim_error *err);
int spec_read_initial(spec *sp, const config_setting_t *scope, const char *file,
                      sim_error *err);
/* Index of `name` as written inside the port being read (prefix added), or -1. */
int spec_local_station(const spec *sp, const char *name);
int spec_local_pool(const spec *sp, const char *name);
int spec_local_channel(const spec *sp, const char *name);
/* A new string prefix + name (the full name of an entity of the port being read). */
char *spec_full_name(const spec *sp, const char *name);
void spec_free_customs(spec *sp);

/* Classes and batch rows (spec_class.c). */
int spec_read_classes(spec *sp, const config_t *cfg, const char *file, sim_error *err);
void spec_free_classes(spec *sp);
/* Index of class `name` in sp->cls, or -1. */
int spec_class_index(const spec *sp, const char *name);

/* The disruptions part (spec_disrupt.c). */
int spec_read_disruptions(spec *sp, const config_t *cfg, const char *file, sim_error *err);
void spec_free_disruptions(spec *sp);

/* Refuses channel ch (read from group g) when an item could circle forever through
 * stations that take no time (spec_loops.c). */
int spec_check_loops(const spec *sp, int ch, const config_setting_t *g, const char *file,
                     sim_error *err);

#endif
