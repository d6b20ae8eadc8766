/* test_schema: the key tables are the only source of scenario defaults (a spec built
 * from a scenario that leaves groups out holds the table's values), dotted reads through
 * present and absent groups, and name lists taken from the modules that own them. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "models/arrivals.h"
#include "models/coast.h"
#include "models/disrupt.h"
#include "models/dog.h"
#include "models/item.h"
#include "models/kernel.h"
#include "models/scenario/scenario.h"
#include "models/scenario/schema.h"
#include "models/scenario/spec.h"
#include "models/selection.h"
#include "models/station.h"

#define BASE                                                                       \
  "name = \"t\";\n"                                                                \
  "channels = { c = { arrivals = { process = \"poisson\"; rate_per_hour = 1.0; };" \
  " route = [ \"s\" ]; }; };\n"

static spec *build(const char *text) {
  scenario *sc = NULL;
  spec *sp = NULL;
  sim_error err = {0};
  int rc = scenario_load_text(&sc, text, "t.cfg", &err);
  if (!rc) rc = spec_build(&sp, sc, &err);
  if (rc) print_error("%s\n", err.msg);
  assert_int_equal(rc, 0);
  scenario_free(sc);
  return sp;
}

static double def_num(const char *path) {
  const schema_key *k = schema_find(path);
  assert_non_null(k);
  assert_non_null(k->def);
  return strtod(k->def, NULL);
}

/* No run, output, staffing or kernels group, a station without dogs: every value is
 * the table's default. */
static void defaults_come_from_the_table(void **state) {
  (void)state;
  spec *sp = build(BASE "stations = { s = { type = \"dogs\"; }; };\n");
  assert_string_equal(sp->start_iso, schema_find("run.start")->def);
  assert_true(sp->warmup_min == def_num("run.warmup_days") * 1440);
  assert_true(sp->days_min == def_num("run.days") * 1440);
  assert_true(sp->sample_min == def_num("output.sample_min"));
  assert_true(sp->target_min == def_num("output.target_h") * 60);
  assert_int_equal(sp->items_log, !strcmp(schema_find("output.items")->def, "true"));
  assert_int_equal(sp->max_items, (long)def_num("run.max_items"));
  assert_true(sp->items_log_max_bytes == def_num("output.items_max_mb") * 1048576.0);
  assert_int_equal(sp->demand_allocation,
                   !strcmp(schema_find("staffing.allocation")->def, "demand"));
  assert_int_equal(sp->kernels_surrogate, !strcmp(schema_find("kernels.mode")->def, "surrogate"));
  assert_true(sp->st[0].dog_work_min == def_num("stations.*.dogs.work_min"));
  assert_true(sp->st[0].dog_rest_min == def_num("stations.*.dogs.rest_min"));
  assert_true(sp->ch[0].target_min == sp->target_min);
  spec_free(sp);
  /* a risk station without a selection group selects as the table says */
  sp = build(BASE "stations = { s = { type = \"risk\"; }; };\n");
  const selection_params *sel = &sp->st[0].sel;
  assert_string_equal(selection_policy_name(sel->policy),
                      schema_find("stations.*.selection.policy")->def);
  assert_true(sel->rate == def_num("stations.*.selection.rate"));
  assert_true(sel->threshold == def_num("stations.*.selection.threshold"));
  assert_true(sel->audit_share == def_num("stations.*.selection.audit_share"));
  assert_int_equal(sel->aeo_exempt, !strcmp(schema_find("stations.*.selection.aeo_exempt")->def,
                                            "true"));
  assert_true(sel->horizon_h == def_num("stations.*.selection.horizon_h"));
  spec_free(sp);
}

/* The library's own defaults, for callers without a scenario (tests, the risk
 * evaluation), are the table's. */
static void library_defaults_agree(void **state) {
  (void)state;
  selection_params sel;
  selection_params_default(&sel);
  assert_string_equal(selection_policy_name(sel.policy),
                      schema_find("stations.*.selection.policy")->def);
  assert_true(sel.rate == def_num("stations.*.selection.rate"));
  assert_true(sel.threshold == def_num("stations.*.selection.threshold"));
  assert_true(sel.audit_share == def_num("stations.*.selection.audit_share"));
  assert_true(sel.horizon_h == def_num("stations.*.selection.horizon_h"));
  dog_params dp;
  dog_params_default(&dp);
  assert_true(dp.work_min == def_num("stations.*.dogs.work_min"));
  assert_true(dp.rest_min == def_num("stations.*.dogs.rest_min"));
}

/* Values written in the scenario win; an absent key of a present group still gets the
 * table's default. */
static void written_values_win(void **state) {
  (void)state;
  spec *sp = build(BASE "run = { days = 2.5; };\n"
                        "output = { target_h = 3.0; items = true; };\n"
                        "staffing = { allocation = \"demand\"; };\n"
                        "stations = { s = { type = \"dogs\"; dogs = { work_min = 10.0; }; }; };\n");
  assert_true(sp->days_min == 2.5 * 1440);
  assert_true(sp->warmup_min == def_num("run.warmup_days") * 1440);
  assert_true(sp->target_min == 180);
  assert_int_equal(sp->items_log, 1);
  assert_int_equal(sp->demand_allocation, 1);
  assert_true(sp->st[0].dog_work_min == 10);
  assert_true(sp->st[0].dog_rest_min == def_num("stations.*.dogs.rest_min"));
  spec_free(sp);
}

/* The same reads under ports.NAME: patterns of named groups become `*`. */
static void multi_port_defaults(void **state) {
  (void)state;
  spec *sp = build(
      "name = \"t\";\nports = { a = {\n"
      "channels = { c = { arrivals = { process = \"poisson\"; rate_per_hour = 1.0; };"
      " route = [ \"s\" ]; }; };\n"
      "stations = { s = { type = \"dogs\"; dogs = { rest_min = 5.0; }; }; };\n}; };\n");
  assert_true(sp->st[0].dog_work_min == def_num("stations.*.dogs.work_min"));
  assert_true(sp->st[0].dog_rest_min == 5);
  spec_free(sp);
}

/* A list of names owned by one module: the key that takes its values, its accessor, how
 * many values the enum has, and the module's name-to-value lookup (or NULL). */
typedef struct owned_list {
  const char *key;
  const char *(*at)(int i);
  int n;
  int (*from_name)(const char *name);
} owned_list;

static int kernel_from_name(const char *name) {
  for (int i = 1; kernel_name_at(i); i++)
    if (!strcmp(kernel_name_at(i), name)) return kernel_find(name) ? i : -1;
  return !strcmp(name, "none") ? 0 : -1;
}

/* Every enum value has a name, names are distinct and map back to their value, and the
 * key takes exactly the owner's list (its allowed values are the owner's, by pointer). */
static void name_lists_come_from_their_owners(void **state) {
  (void)state;
  int nkernels = 0;
  while (kernel_all()[nkernels]) nkernels++;
  const owned_list lists[] = {
      {.key = "channels.*.kind", .at = item_kind_name_at, .n = KIND_N,
       .from_name = item_kind_from_name},
      {.key = "stations.*.type", .at = station_type_name_at, .n = ST_NTYPES,
       .from_name = station_type_from_name},
      {.key = "stations.*.applies_to", .at = station_applies_name_at, .n = AP_N,
       .from_name = station_applies_from_name},
      {.key = "stations.*.kernel", .at = kernel_name_at, .n = 1 + nkernels,
       .from_name = kernel_from_name},
      {.key = "stations.*.selection.policy", .at = spec_selection_policy_at,
       .n = SELECTION_NPOLICIES + 1},
      {.key = "disruptions.*.kind", .at = spec_disruption_kind_at, .n = DIS_NKINDS,
       .from_name = dis_kind_from_name},
      {.key = "responses.*.action", .at = spec_response_action_at, .n = RESP_NACTIONS},
      {.key = "classes.*.when", .at = spec_class_flag_at, .n = SPEC_CLASS_NFLAGS},
      {.key = "coast.assets.*.type", .at = spec_coast_type_at, .n = COAST_NTYPES},
      {.key = "channels.*.arrivals.process", .at = arrivals_process_name_at, .n = 3},
  };
  for (size_t l = 0; l < sizeof lists / sizeof lists[0]; l++) {
    const owned_list *o = &lists[l];
    const schema_key *k = schema_find(o->key);
    assert_non_null(k);
    assert_ptr_equal(k->choice, o->at);
    assert_null(k->choices);
    char want[1024] = "", got[1024];
    for (int i = 0; i < o->n; i++) {
      const char *name = o->at(i);
      assert_non_null(name);
      assert_string_not_equal(name, "?");
      for (int j = 0; j < i; j++) assert_string_not_equal(o->at(j), name);
      if (o->from_name) assert_int_equal(o->from_name(name), i);
      snprintf(want + strlen(want), sizeof want - strlen(want), "%s%s", i ? "|" : "", name);
    }
    assert_null(o->at(o->n));
    assert_null(o->at(-1));
    assert_string_equal(schema_choices(k, '|', got, sizeof got), want);
  }
  for (int c = 0; c < CONTRA_N; c++) assert_string_equal(item_contraband_name(c),
                                                         item_contraband_names[c]);
}

/* A value outside the owner's list is refused with the list in the message. */
static void unknown_name_refused(void **state) {
  (void)state;
  scenario *sc = NULL;
  sim_error err = {0};
  assert_int_equal(scenario_load_text(&sc, BASE "stations = { s = { type = \"radio\"; }; };\n",
                                      "t.cfg", &err),
                   SIM_EINVAL);
  assert_non_null(strstr(err.msg, "stations.s.type: 'radio' is not one of queue|delay|"));
  assert_non_null(strstr(err.msg, "|release|hull"));
  scenario_free(sc);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(defaults_come_from_the_table),
      cmocka_unit_test(written_values_win),
      cmocka_unit_test(library_defaults_agree),
      cmocka_unit_test(multi_port_defaults),
      cmocka_unit_test(name_lists_come_from_their_owners),
      cmocka_unit_test(unknown_name_refused),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
