/* test_staff: shared staff pools against queueing theory and the allocation rule.
 * - A pool of c officers behind a station with ample equipment is an M/M/c queue;
 *   with per_server = 2 a pool of 2c officers is the same M/M/c.
 * - Two stations sharing c officers under "demand" (the longest wait first) are one
 *   M/M/c queue with the merged arrivals (global first come, first served), so both
 *   mean waits equal the Erlang C wait of the pooled system.
 * - The case that used to starve: one pool of 10, two stations of 5 servers, 360 and 60
 *   arrivals an hour: the second station's mean wait stays under a minute in both
 *   modes, since what the overloaded first station cannot use goes to the second.
 * - Fractional per_server: half an officer a server doubles the servers of a pool.
 * - Persons finishing after their shift count as on duty, so busy <= on duty in every
 *   series sample, and the time they work past the roster is overtime.
 * Statistical tolerances: 99% Student-t intervals over replications. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>

#include <cmocka.h>

#include "tests/analytic.h"
#include "tests/sim_helpers.h"

#define LEVEL 0.99

static double mean_wait(const th_run *t, int st, double *hw) {
  double x[64], mean;
  for (int r = 0; r < t->reps; r++) x[r] = TH_STATION(t, r, st, wait_mean_min);
  th_ci(x, t->reps, LEVEL, &mean, hw);
  return mean;
}

static void pool_is_mmc(const char *per, int size) {
  char text[1024];
  snprintf(text, sizeof text,
           "name = \"pool\"; run = { days = 20.0; warmup_days = 1.0; };\n"
           "staff = { officers = { size = %d; }; };\n"
           "channels = { c = { arrivals = { process = \"poisson\"; rate_per_hour = 180.0; }; route "
           "= [ \"s\" ]; }; };\n"
           "stations = { s = { servers = 20; staff = { pool = \"officers\"; per_server = %s; };\n"
           "  service = { dist = \"exponential\"; mean_min = 1.0; }; }; };\n",
           size, per);
  th_run t;
  int reps = th_reps(20);
  assert_int_equal(th_run_text(&t, text, reps, 11), 0);
  double hw, w = mean_wait(&t, 0, &hw), want = an_mmc_wq(3, 1, 4);
  printf("  pool of %d, per_server %s: wait %.4f +- %.4f min, M/M/4 %.4f\n", size, per, w, hw,
         want);
  assert_true(fabs(w - want) <= hw);
  th_free(&t);
}

static void pool_of_four_is_mm4(void **s) {
  (void)s;
  pool_is_mmc("1.0", 4);
  pool_is_mmc("2.0", 8);
}

static void demand_pools_two_queues(void **s) {
  (void)s;
  th_run t;
  int reps = th_reps(20);
  assert_int_equal(th_run_text(&t,
                               "name = \"shared\"; run = { days = 20.0; warmup_days = 1.0; };\n"
                               "staffing = { allocation = \"demand\"; };\n"
                               "staff = { officers = { size = 4; }; };\n"
                               "channels = { a = { arrivals = { process = \"poisson\"; "
                               "rate_per_hour = 120.0; }; route = [ \"sa\" ]; };\n"
                               "  b = { arrivals = { process = \"poisson\"; rate_per_hour = 60.0; "
                               "}; route = [ \"sb\" ]; }; };\n"
                               "stations = { sa = { servers = 10; staff = { pool = \"officers\"; "
                               "}; service = { dist = \"exponential\"; mean_min = 1.0; }; };\n"
                               "  sb = { servers = 10; staff = { pool = \"officers\"; }; service = "
                               "{ dist = \"exponential\"; mean_min = 1.0; }; }; };\n",
                               reps, 12),
                   0);
  double want = an_mmc_wq(3, 1, 4);
  for (int st = 0; st < 2; st++) {
    double hw, w = mean_wait(&t, st, &hw);
    printf("  station %d: wait %.4f +- %.4f min, pooled M/M/4 %.4f\n", st, w, hw, want);
    assert_true(fabs(w - want) <= hw);
  }
  th_free(&t);
}

/* The case: station 1 is overloaded (6 an hour a server against 5 servers). */
static void nobody_idle_beside_a_queue(void **s) {
  (void)s;
  for (int mode = 0; mode < 2; mode++) {
    char text[1024];
    snprintf(text, sizeof text,
             "name = \"two\"; run = { days = 3.0; warmup_days = 0.5; };\n"
             "staffing = { allocation = \"%s\"; };\n"
             "staff = { officers = { size = 10; }; };\n"
             "channels = { a = { arrivals = { process = \"poisson\"; rate_per_hour = 360.0; }; "
             "route = [ \"s1\" ]; };\n"
             "  b = { arrivals = { process = \"poisson\"; rate_per_hour = 60.0; }; route = [ "
             "\"s2\" ]; }; };\n"
             "stations = { s1 = { servers = 5; staff = { pool = \"officers\"; }; service = { dist "
             "= \"exponential\"; mean_min = 1.0; }; };\n"
             "  s2 = { servers = 5; staff = { pool = \"officers\"; }; service = { dist = "
             "\"exponential\"; mean_min = 1.0; }; }; };\n",
             mode ? "demand" : "priority");
    th_run t;
    assert_int_equal(th_run_text(&t, text, 2, 13), 0);
    for (int r = 0; r < 2; r++) {
      const kpi_station *s1 = &t.runs[r].st[0], *s2 = &t.runs[r].st[1];
      printf("  %s: s1 load %.3f (overloaded %d), s2 wait %.4f min, staff short %.3f h\n",
             mode ? "demand" : "priority", s1->offered_load, (int)s1->overloaded, s2->wait_mean_min,
             s2->staff_short_h);
      assert_true(s2->wait_mean_min < 1.0);
      assert_true(s1->overloaded == 1 && s1->offered_load > 1.15); /* 6/5 = 1.2 offered */
      assert_true(t.runs[r].ch[0].backlog_rising == 1);            /* and its backlog grows */
    }
    th_free(&t);
  }
}

/* A station needing 4 persons a server beside a busy one that needs 1: the old floored
 * shares gave it nobody. */
static void no_starvation_by_rounding(void **s) {
  (void)s;
  th_run t;
  assert_int_equal(
      th_run_text(&t,
                  "name = \"round\"; run = { days = 3.0; warmup_days = 0.5; };\n"
                  "staffing = { allocation = \"demand\"; };\n"
                  "staff = { examiners = { size = 9; }; };\n"
                  "channels = { a = { arrivals = { process = \"poisson\"; rate_per_hour = 240.0; "
                  "}; route = [ \"scan\" ]; };\n"
                  "  b = { arrivals = { process = \"poisson\"; rate_per_hour = 3.0; }; route = [ "
                  "\"devan\" ]; }; };\n"
                  "stations = { scan = { servers = 8; staff = { pool = \"examiners\"; }; service = "
                  "{ dist = \"exponential\"; mean_min = 1.5; }; };\n"
                  "  devan = { servers = 1; staff = { pool = \"examiners\"; per_server = 4.0; }; "
                  "service = { dist = \"exponential\"; mean_min = 10.0; }; }; };\n",
                  1, 14),
      0);
  const kpi_station *d = &t.runs[0].st[1];
  printf("  devanning: served %ld of %ld, wait %.1f min\n", (long)d->served, (long)d->arrived,
         d->wait_mean_min);
  assert_true(d->served > 0.9 * (double)d->arrived);
  assert_true(d->wait_mean_min < 60);
  th_free(&t);
}

/* per_server = 0.5: one officer watches two E-gates, so 3 officers run 6 gates (M/M/6). */
static void half_an_officer(void **s) {
  (void)s;
  th_run t;
  int reps = th_reps(20);
  assert_int_equal(
      th_run_text(
          &t,
          "name = \"half\"; run = { days = 20.0; warmup_days = 1.0; };\n"
          "staff = { officers = { size = 3; }; };\n"
          "channels = { c = { arrivals = { process = \"poisson\"; rate_per_hour = 270.0; }; route "
          "= [ \"g\" ]; }; };\n"
          "stations = { g = { servers = 6; staff = { pool = \"officers\"; per_server = 0.5; };\n"
          "  service = { dist = \"exponential\"; mean_min = 1.0; }; }; };\n",
          reps, 15),
      0);
  double hw, w = mean_wait(&t, 0, &hw), want = an_mmc_wq(4.5, 1, 6);
  printf("  3 officers at half an officer a gate: wait %.4f +- %.4f min, M/M/6 %.4f\n", w, hw,
         want);
  assert_true(fabs(w - want) <= hw);
  th_free(&t);
}

/* Long services across a shift end: those still serving finish and count as on duty. */
static void finishing_after_shift(void **s) {
  (void)s;
  th_run t;
  assert_int_equal(
      th_run_text(&t,
                  "name = \"shift\"; run = { days = 3.0; warmup_days = 0.5; }; output = { "
                  "sample_min = 5.0; };\n"
                  "staff = { officers = { size = 10; roster = { period_h = 24.0; at_h = [ 0.0, "
                  "8.0, 20.0 ]; on_duty = [ 2, 10, 4 ]; }; }; };\n"
                  "channels = { c = { arrivals = { process = \"poisson\"; rate_per_hour = 12.0; }; "
                  "route = [ \"exam\" ]; }; };\n"
                  "stations = { exam = { servers = 10; staff = { pool = \"officers\"; }; service = "
                  "{ dist = \"uniform\"; min_min = 30.0; max_min = 90.0; }; }; };\n",
                  1, 16),
      0);
  const kpi_run *k = &t.runs[0];
  int over = 0;
  for (size_t i = 0; i < k->nsamples; i++) {
    assert_true(k->staff_busy[i] <= k->on_duty[i] + 1e-9);
    over += k->on_duty[i] > 10 + 1e-9;
  }
  assert_int_equal(over, 0);
  printf("  overtime of items finished after a shift: %.1f person-hours, utilization %.3f\n",
         k->pool[0].overtime_h, k->pool[0].utilization);
  assert_true(k->pool[0].overtime_h > 0);
  assert_true(k->pool[0].utilization <= 1);
  th_free(&t);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(pool_of_four_is_mm4),      cmocka_unit_test(demand_pools_two_queues),
      cmocka_unit_test(nobody_idle_beside_a_queue), cmocka_unit_test(no_starvation_by_rounding),
      cmocka_unit_test(half_an_officer),           cmocka_unit_test(finishing_after_shift),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
