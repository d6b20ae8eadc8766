/* test_schema: the key tables are the only source of scenario defaults (a spec built
 * from a scenario that leaves groups out holds the table's values), dotted reads through
 * present and absent groups, and name lists taken from the modules that own them. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "models/scenario/scenario.h"
#include "models/scenario/schema.h"
#include "models/scenario/spec.h"

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
  spec *sp = build("name = \"t\";\nports = { a = {\n"
                   "channels = { c = { arrivals = { process = \"poisson\"; rate_per_hour = 1.0; };"
                   " route = [ \"s\" ]; }; };\n"
                   "stations = { s = { type = \"dogs\"; dogs = { rest_min = 5.0; }; }; };\n}; };\n");
  assert_true(sp->st[0].dog_work_min == def_num("stations.*.dogs.work_min"));
  assert_true(sp->st[0].dog_rest_min == 5);
  spec_free(sp);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(defaults_come_from_the_table),
      cmocka_unit_test(written_values_win),
      cmocka_unit_test(multi_port_defaults),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
