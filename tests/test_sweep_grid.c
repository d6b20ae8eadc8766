/* test_sweep_grid: the pieces of customs-sweep that need no simulation: --vary parsing
 * (lists, ranges, errors that name the path), the grid's order, key types found through
 * the scenario language, KPI paths, and --cost / --target parsing.
 * The sweep sources are not in libcustoms.a, so the ones under test are included here. */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "models/sweep/sweep_fig.c"
#include "models/sweep/sweep_goal.c"
#include "models/sweep/sweep_grid.c"
#include "models/sweep/sweep_plan.c"

static const char *const scenario_text_mmc =
    "name = \"t\";\n"
    "run = { days = 1.0; warmup_days = 0.1; };\n"
    "channels = { c0 = { arrivals = { process = \"poisson\"; rate_per_hour = 30.0; }; route = [ "
    "\"s0\" ]; }; };\n"
    "stations = { s0 = { servers = 1; service = { dist = \"exponential\"; mean_min = 1.0; }; }; "
    "};\n";

static char cfg_path[64];

static int write_scenario(void **state) {
  (void)state;
  snprintf(cfg_path, sizeof cfg_path, "/tmp/test_sweep_XXXXXX");
  int fd = mkstemp(cfg_path);
  if (fd < 0) return -1;
  FILE *f = fdopen(fd, "w");
  fputs(scenario_text_mmc, f);
  fclose(f);
  return 0;
}

static int remove_scenario(void **state) {
  (void)state;
  unlink(cfg_path);
  return 0;
}

/* Parses VALUES and returns the count (-1 on error, message in err). */
static long parse(const char *values, sweep_vtype t, char ***text, double **num, sim_error *err) {
  size_t n = 0;
  if (sweep_values_parse("a.b", values, t, text, num, &n, err)) return -1;
  return (long)n;
}

static void test_lists_and_ranges(void **state) {
  (void)state;
  char **text;
  double *num;
  sim_error err = {0};
  assert_int_equal(parse("3,4, 5", SWEEP_INT, &text, &num, &err), 3);
  assert_string_equal(text[2], "5");
  assert_true(num[0] == 3 && num[2] == 5);
  sweep_values_free(text, num, 3);
  assert_int_equal(parse("2:8", SWEEP_INT, &text, &num, &err), 7);
  assert_true(num[6] == 8);
  sweep_values_free(text, num, 7);
  assert_int_equal(parse("2:8:2", SWEEP_INT, &text, &num, &err), 4);
  assert_string_equal(text[3], "8");
  sweep_values_free(text, num, 4);
  assert_int_equal(parse("2:9:3", SWEEP_INT, &text, &num, &err), 3); /* 2, 5, 8 */
  assert_true(num[2] == 8);
  sweep_values_free(text, num, 3);
  assert_int_equal(parse("0.1:0.3:0.1", SWEEP_FLOAT, &text, &num, &err), 3);
  assert_string_equal(text[2], "0.3");
  assert_true(num[2] == 0.3);
  sweep_values_free(text, num, 3);
  assert_int_equal(parse("1:2", SWEEP_FLOAT, &text, &num, &err), 2);
  sweep_values_free(text, num, 2);
  assert_int_equal(parse("4,4", SWEEP_INT, &text, &num, &err), 2); /* duplicates are allowed */
  sweep_values_free(text, num, 2);
  assert_int_equal(parse("08:00,fast lane", SWEEP_STR, &text, &num, &err),
                   2); /* text keeps ':' and blanks */
  assert_string_equal(text[0], "08:00");
  assert_string_equal(text[1], "fast lane");
  assert_true(isnan(num[0]));
  sweep_values_free(text, num, 2);
  assert_int_equal(parse("true,false", SWEEP_BOOL, &text, &num, &err), 2);
  assert_true(num[0] == 1 && num[1] == 0);
  sweep_values_free(text, num, 2);
}

static void expect_bad(const char *values, sweep_vtype t, const char *what) {
  char **text = NULL;
  double *num = NULL;
  sim_error err = {0};
  assert_int_equal(parse(values, t, &text, &num, &err), -1);
  assert_null(text);
  assert_non_null(strstr(err.msg, "--vary a.b:"));
  if (!strstr(err.msg, what)) fail_msg("'%s': message '%s' lacks '%s'", values, err.msg, what);
}

static void test_bad_values(void **state) {
  (void)state;
  expect_bad("", SWEEP_INT, "empty list");
  expect_bad("3,,4", SWEEP_INT, "empty value");
  expect_bad("3,", SWEEP_INT, "empty value");
  expect_bad("2:8:0", SWEEP_INT, "step 0 must be > 0");
  expect_bad("2:8:-1", SWEEP_INT, "must be > 0");
  expect_bad("8:2", SWEEP_INT, "below its start");
  expect_bad("1:2:0.5", SWEEP_INT, "'0.5' is not an integer");
  expect_bad("x,2", SWEEP_INT, "'x' is not an integer");
  expect_bad("1.5e", SWEEP_FLOAT, "is not a number");
  expect_bad("1:2:3:4", SWEEP_INT, "is not a range");
  expect_bad("1::2", SWEEP_INT, "is not a range");
  expect_bad("true:false", SWEEP_BOOL, "needs a numeric key");
  expect_bad("yes", SWEEP_BOOL, "true or false");
  expect_bad("0:1e9", SWEEP_FLOAT, "more than");
}

static void test_grid_add(void **state) {
  (void)state;
  sweep_grid *g = NULL;
  sim_error err = {0};
  assert_int_equal(sweep_grid_new(&g, &err), 0);
  assert_int_equal(sweep_grid_add(g, "noequals", &err), SIM_EINVAL);
  assert_non_null(strstr(err.msg, "expected PATH=VALUES"));
  assert_int_equal(sweep_grid_add(g, "=3", &err), SIM_EINVAL);
  assert_int_equal(sweep_grid_add(g, "stations.s0.servers=", &err), SIM_EINVAL);
  assert_non_null(strstr(err.msg, "stations.s0.servers: empty list"));
  assert_int_equal(sweep_grid_add(g, "stations.s0.servers=1,2", &err), 0);
  assert_int_equal(sweep_grid_add(g, "stations.s0.servers=3", &err), SIM_EINVAL);
  assert_non_null(strstr(err.msg, "varied twice"));
  sweep_grid_free(g);
}

/* Resolves one --vary against the test scenario; returns the code. */
static int resolve(const char *arg, sweep_grid **out, sim_error *err) {
  config_t cfg;
  config_init(&cfg);
  assert_true(config_read_file(&cfg, cfg_path));
  assert_int_equal(sweep_grid_new(out, err), 0);
  int rc = sweep_grid_add(*out, arg, err);
  if (!rc) rc = sweep_grid_resolve(*out, &cfg, cfg_path, err);
  config_destroy(&cfg);
  return rc;
}

static void test_resolve_types_and_errors(void **state) {
  (void)state;
  sweep_grid *g = NULL;
  sim_error err = {0};
  assert_int_equal(resolve("stations.s0.servers=1:3", &g, &err), 0);
  assert_int_equal(g->axes[0].type, SWEEP_INT);
  assert_int_equal(g->nvariants, 3);
  sweep_grid_free(g);
  assert_int_equal(resolve("channels.c0.arrivals.rate_per_hour=10:20:5", &g, &err), 0);
  assert_int_equal(g->axes[0].type, SWEEP_FLOAT);
  assert_int_equal(g->axes[0].n, 3);
  sweep_grid_free(g);
  assert_int_equal(resolve("channels.c0.arrivals.rate_per_hour=10,12", &g, &err),
                   0); /* integers for a float key */
  assert_int_equal(g->axes[0].type, SWEEP_FLOAT);
  sweep_grid_free(g);
  static const struct {
    const char *arg, *want;
  } bad[] = {
      {"stations.s0.serverz=1,2", "--vary stations.s0.serverz: unknown key"},
      {"stations.s9.servers=1", "--vary stations.s9.servers: unknown key"},
      {"stations.s0.servers=-3:2", "--vary stations.s0.servers: value -3 out of range"},
      {"stations.s0.servers=1,2,-1", "--vary stations.s0.servers: value -1 out of range"},
      {"stations.s0.servers=two", "--vary stations.s0.servers: 'two' is not an integer"},
      {"channels.c0.arrivals.rate_per_hour=-5:5",
       "--vary channels.c0.arrivals.rate_per_hour: value -5 out of range"},
      {"stations.s0.service=2", "--vary stations.s0.service: a group cannot be set"},
  };
  for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
    int rc = resolve(bad[i].arg, &g, &err);
    if (rc != SIM_EINVAL || !strstr(err.msg, bad[i].want))
      fail_msg("%s: rc %d, message '%s' (wanted '%s')", bad[i].arg, rc, err.msg, bad[i].want);
    sweep_grid_free(g);
  }
}

static void test_grid_order(void **state) {
  (void)state;
  config_t cfg;
  config_init(&cfg);
  assert_true(config_read_file(&cfg, cfg_path));
  sweep_grid *g = NULL;
  sim_error err = {0};
  assert_int_equal(sweep_grid_new(&g, &err), 0);
  assert_int_equal(sweep_grid_add(g, "stations.s0.servers=1:3", &err), 0);
  assert_int_equal(sweep_grid_add(g, "channels.c0.arrivals.rate_per_hour=10,20", &err), 0);
  assert_int_equal(sweep_grid_resolve(g, &cfg, cfg_path, &err), 0);
  config_destroy(&cfg);
  assert_int_equal(g->nvariants, 6);
  size_t idx[SWEEP_MAX_AXES] = {0};
  sweep_grid_point(g, 0, idx);
  assert_true(idx[0] == 0 && idx[1] == 0);
  sweep_grid_point(g, 1, idx); /* the last --vary varies fastest */
  assert_true(idx[0] == 0 && idx[1] == 1);
  sweep_grid_point(g, 5, idx);
  assert_true(idx[0] == 2 && idx[1] == 1);
  char buf[256];
  sweep_grid_describe(g, 3, buf, sizeof buf);
  assert_string_equal(buf, "stations.s0.servers=2 channels.c0.arrivals.rate_per_hour=20");
  sweep_grid_assign(g, 4, 0, buf, sizeof buf);
  assert_string_equal(buf, "stations.s0.servers=3");
  sweep_grid_free(g);
}

static void test_goals(void **state) {
  (void)state;
  sweep_goals *g = NULL;
  sim_error err = {0};
  assert_int_equal(sweep_goals_new(&g, &err), 0);
  assert_int_equal(sweep_goals_add_cost(g, "stations.s0.servers*1200", &err), 0);
  assert_int_equal(sweep_goals_add_cost(g, "2.5*channels.c0.arrivals.rate_per_hour", &err), 0);
  assert_string_equal(g->cost[1].path, "channels.c0.arrivals.rate_per_hour");
  assert_true(g->cost[1].price == 2.5);
  assert_int_equal(sweep_goals_add_cost(g, "stations.s0.servers*many", &err), SIM_EINVAL);
  assert_non_null(strstr(err.msg, "expected PATH*PRICE"));
  assert_int_equal(sweep_goals_add_cost(g, "3*4", &err), SIM_EINVAL);
  assert_int_equal(sweep_goals_add_target(g, "stations.s0.wait_mean_min<=0.5", &err), 0);
  assert_int_equal(sweep_goals_add_target(g, "channels.c0.within_target_share >= 0.95", &err), 0);
  assert_true(g->target[0].upper && g->target[0].value == 0.5);
  assert_true(!g->target[1].upper && g->target[1].value == 0.95);
  assert_string_equal(g->target[1].kpi, "channels.c0.within_target_share");
  assert_int_equal(sweep_goals_add_target(g, "stations.s0.wait_mean_min<0.5", &err), SIM_EINVAL);
  assert_int_equal(sweep_goals_add_target(g, "stations.s0.wait_mean_min<=x", &err), SIM_EINVAL);
  assert_int_equal(sweep_goals_add_target(g, "<=3", &err), SIM_EINVAL);
  assert_int_equal(g->ntarget, 2);

  sweep_grid *gr = NULL;
  assert_int_equal(sweep_grid_new(&gr, &err), 0);
  assert_int_equal(sweep_grid_add(gr, "stations.s0.servers=2:4", &err), 0);
  sweep_plan *pl = NULL;
  if (sweep_plan_new(&pl, cfg_path, NULL, 0, 0, 1, gr, &err)) fail_msg("%s", err.msg);
  assert_int_equal(sweep_plan_check(pl, &err), 0);
  assert_int_equal(sweep_goals_resolve(g, pl, &err), 0);
  double costs[3];
  assert_int_equal(sweep_goals_costs(g, pl, costs, &err), 0);
  assert_true(costs[0] == 2 * 1200 + 2.5 * 30 && costs[2] == 4 * 1200 + 2.5 * 30);
  /* KPI paths: found, named back, and errors that say what is wrong */
  size_t i;
  char name[256];
  assert_int_equal(sweep_fig_find(pl->shape, "stations.s0.wait_mean_min", &i, &err), 0);
  sweep_fig_name(pl->shape, i, name, sizeof name);
  assert_string_equal(name, "stations.s0.wait_mean_min");
  assert_int_equal(sweep_fig_find(pl->shape, "channels.c0.release_p95_min", &i, &err), 0);
  sweep_fig_name(pl->shape, i, name, sizeof name);
  assert_string_equal(name, "channels.c0.release_p95_min");
  assert_int_equal(sweep_fig_find(pl->shape, "stations.s1.wait_mean_min", &i, &err), SIM_EINVAL);
  assert_non_null(strstr(err.msg, "no station 's1'"));
  assert_int_equal(sweep_fig_find(pl->shape, "stations.s0.wait", &i, &err), SIM_EINVAL);
  assert_non_null(strstr(err.msg, "unknown figure 'wait'"));
  assert_int_equal(sweep_fig_find(pl->shape, "port.s0.wait_mean_min", &i, &err), SIM_EINVAL);
  assert_int_equal(sweep_nval(pl->shape), pl->nval);
  sweep_plan_free(pl);
  sweep_goals_free(g);
}

static void test_store_stats(void **state) {
  (void)state;
  sweep_store *s = NULL;
  sim_error err = {0};
  assert_int_equal(sweep_store_new(&s, 2, 1, &err), 0);
  assert_int_equal(sweep_store_reserve(s, 1, 4, &err), 0);
  double x[] = {1, 2, NAN, 3};
  for (int r = 0; r < 4; r++) s->vals[1][r] = x[r], s->have[1][r] = 1;
  sweep_stat st;
  sweep_store_stat(s, 1, 0, &st);
  assert_int_equal(st.n, 3);
  assert_true(fabs(st.mean - 2) < 1e-12 && fabs(st.sd - 1) < 1e-12);
  assert_true(fabs(st.hw95 - 4.302652729911275 / sqrt(3)) < 1e-9); /* t(0.975, 2) */
  sweep_store_stat(s, 0, 0, &st);
  assert_int_equal(st.n, 0);
  assert_true(isnan(st.mean) && isnan(st.hw95));
  assert_int_equal(sweep_store_count(s, 1), 4);
  sweep_store_free(s);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_lists_and_ranges), cmocka_unit_test(test_bad_values),
      cmocka_unit_test(test_grid_add),         cmocka_unit_test(test_resolve_types_and_errors),
      cmocka_unit_test(test_grid_order),       cmocka_unit_test(test_goals),
      cmocka_unit_test(test_store_stats),
  };
  return cmocka_run_group_tests(tests, write_scenario, remove_scenario);
}
