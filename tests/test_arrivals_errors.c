/* test_arrivals_errors: bad arrival settings get one line naming the file, line and key:
 * CSV schedules with broken rows, out-of-range or missing values, unknown surge channels.
 * The fixture is tests/arrivals_fx.h. */
#include "tests/arrivals_fx.h"

static void csv_errors_name_the_line(void **s) {
  (void)s;
  const char *st = "2024-11-25T00:00";
  char want[300];
  snprintf(want, sizeof want, "%s:3: size '1x0' is not a whole number",
           data_dir_file("flights_bad_number.csv"));
  expect_error(st, "process = \"schedule\"; csv = \"flights_bad_number.csv\";", NULL, want);
  snprintf(want, sizeof want, "%s:5: expected 3 columns as in the header, found 2",
           data_dir_file("flights_bad_columns.csv"));
  expect_error(st, "process = \"schedule\"; csv = \"flights_bad_columns.csv\";", NULL, want);
  snprintf(want, sizeof want, "%s:4: time '07:30' is neither hours",
           data_dir_file("flights_bad_time.csv"));
  expect_error(st, "process = \"schedule\"; csv = \"flights_bad_time.csv\";", NULL, want);
  snprintf(want, sizeof want, "%s:2: load_factor '1.2' is not a number in [0, 1]",
           data_dir_file("flights_bad_load.csv"));
  expect_error(st, "process = \"schedule\"; csv = \"flights_bad_load.csv\";", NULL, want);
  snprintf(want, sizeof want, "%s:1: unknown column 'sizes'",
           data_dir_file("flights_bad_header.csv"));
  expect_error(st, "process = \"schedule\"; csv = \"flights_bad_header.csv\";", NULL, want);
  snprintf(want, sizeof want, "%s:5: time -1 h lies outside the period [0, 24) h",
           data_dir_file("flights_ok.csv"));
  expect_error(st, "process = \"schedule\"; csv = \"flights_ok.csv\"; period_h = 24.0;", NULL,
               want);
  /* a missing file: the scenario's line and key, and the path tried */
  snprintf(want, sizeof want, "test.cfg:4: channels.c.arrivals.csv: cannot open '%s'",
           data_dir_file("flights_missing.csv"));
  expect_error(st, "process = \"schedule\"; csv = \"flights_missing.csv\";", NULL, want);
}

/* ---- the volume factor ---- */

/* ---- bad values: one line naming file, line and key ---- */

static void bad_values(void **s) {
  (void)s;
  const char *st = "2024-11-25T00:00", *p = "process = \"profile\"; rate_per_hour = 10.0; ";
  char a[512];
  expect_error(st, "process = \"poisson\"; rate_per_hour = -5.0;", NULL,
               "test.cfg:4: channels.c.arrivals.rate_per_hour: value -5 out of range");
  snprintf(a, sizeof a,
           "%shourly = [1, 1, 1, -1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1];",
           p);
  expect_error(st, a, NULL, "test.cfg:4: channels.c.arrivals.hourly[3]: value -1 out of range");
  snprintf(a, sizeof a,
           "%shourly = [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0];",
           p);
  expect_error(st, a, NULL, "test.cfg:4: channels.c.arrivals.hourly: must not be all zero");
  snprintf(a, sizeof a,
           "%shourly = [1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1];", p);
  expect_error(st, a, NULL,
               "test.cfg:4: channels.c.arrivals.hourly: must be an array of 24 numbers (hours "
               "0-23), found 23");
  snprintf(a, sizeof a, "%sweekly = [1, 1, 1, 1, 1, 1];", p);
  expect_error(st, a, NULL,
               "test.cfg:4: channels.c.arrivals.weekly: must be an array of 7 numbers (Monday to "
               "Sunday), found 6");
  snprintf(a, sizeof a, "%sholiday_factor = -1.0;", p);
  expect_error(st, a, NULL, "channels.c.arrivals.holiday_factor: value -1 out of range");
  expect_error(st, "process = \"profile\";", NULL,
               "test.cfg:3: channels.c.arrivals: profile arrivals need rate_per_hour");
  expect_error(st, "process = \"burst\";", NULL,
               "channels.c.arrivals.process: 'burst' is not one of poisson|profile|schedule");
  expect_error(st, "process = \"schedule\";", NULL,
               "channels.c.arrivals: schedule arrivals need a batches list or a csv file");
  expect_error(st,
               "process = \"schedule\"; batches = ( { at_h = 1.0; size = 3; seats = 100; "
               "load_factor = 0.5; } );",
               NULL,
               "channels.c.arrivals.batches[0]: give size, or seats and load_factor, not both");
  expect_error(st, "process = \"schedule\"; batches = ( { at_h = 1.0; seats = 100; } );",
               NULL, "channels.c.arrivals.batches[0]: needs size, or seats and load_factor");
  expect_error(
      st, "process = \"schedule\"; batches = ( { at_h = 1.0; seats = 100; load_factor = 1.5; } );",
      NULL, "channels.c.arrivals.batches[0].load_factor: value 1.5 out of range");
  expect_error(st,
               "process = \"schedule\"; period_h = 2.0; batches = ( { at_h = 3.0; size = 1; } );",
               NULL, "channels.c.arrivals.batches[0]: at_h must lie within [0, period_h)");
  const char *pois = "process = \"poisson\"; rate_per_hour = 10.0;";
  expect_error(st, pois,
               "surges = { s = { from = \"2024-12-14\"; to = \"2024-12-01\"; factor = 2.0; }; };",
               "test.cfg:6: surges.s.to: ends before it begins (from = 2024-12-14)");
  expect_error(st, pois,
               "surges = { s = { from = \"2024-13-01\"; to = \"2024-12-01\"; factor = 2.0; }; };",
               "test.cfg:6: surges.s.from: '2024-13-01' is not a date (YYYY-MM-DD) or date-time");
  expect_error(st, pois, "surges = { s = { from = \"2024-12-01\"; factor = 2.0; }; };",
               "test.cfg:6: surges.s: missing required key 'to'");
  expect_error(st, pois,
               "surges = { s = { from = \"2024-12-01\"; to = \"2024-12-02\"; factor = -2.0; }; };",
               "test.cfg:6: surges.s.factor: value -2 out of range");
  expect_error("2024-11-31T00:00", pois, NULL,
               "test.cfg:2: run.start: '2024-11-31T00:00' is not an ISO date");
}

static void unknown_surge_channel(void **s) {
  (void)s;
  fx f;
  load_ok(&f, "2024-11-25T00:00", "process = \"poisson\"; rate_per_hour = 10.0;",
          "surges = { ok = { channels = [ \"c\", \"d\" ]; from = \"2024-12-01\"; to = "
          "\"2024-12-02\"; factor = 2.0; };\n"
          " bad = { channels = [ \"d\", \"expres\" ]; from = \"2024-12-01\"; to = \"2024-12-02\"; "
          "factor = 2.0; }; };");
  static const char *const names[] = {"c", "d"};
  sim_error err = {0};
  assert_int_equal(arrivals_check_surges(config_root_setting(&f.cfg), names, 2, "t.cfg", &err),
                   SIM_EINVAL);
  assert_string_equal(err.msg, "t.cfg:7: surges.bad.channels[1]: unknown channel 'expres'");
  assert_int_equal(arrivals_check_surges(config_root_setting(&f.cfg), names, 1, "t.cfg", &err),
                   SIM_EINVAL);
  assert_string_equal(err.msg, "t.cfg:6: surges.ok.channels[1]: unknown channel 'd'");
  unload(&f);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(csv_errors_name_the_line),
      cmocka_unit_test(bad_values),
      cmocka_unit_test(unknown_surge_channel),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
