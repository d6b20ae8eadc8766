/* test_customs: the customs stations and staff on small hand-checkable cases with
 * fixed seeds. Tolerances are binomial or Poisson confidence bounds (z = 3.3, about
 * 99.9%), or exact where the case is deterministic. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>

#include <cmocka.h>

#include "models/station.h"
#include "tests/sim_helpers.h"

#define Z 3.3

/* |x - n p| within Z binomial standard deviations. */
static void assert_binomial(double x, double n, double p) {
  double sd = sqrt(n * p * (1 - p));
  printf("  observed %.0f of %.0f, expected %.1f +- %.1f\n", x, n, n * p, Z * sd);
  assert_true(fabs(x - n * p) <= Z * sd + 1e-9);
}

static const kpi_station *station(const th_run *t, int r, const char *name) {
  int i = spec_station_index(t->sp, name);
  assert_true(i >= 0);
  return &t->runs[r].st[i];
}

/* E-gates take eligible passengers; everyone else goes to the fallback counter. */
static void egate_fallback(void **s) {
  (void)s;
  th_run t;
  assert_int_equal(
      th_run_text(&t,
                  "name = \"eg\"; run = { days = 1.0; };\n"
                  "channels = { pin = { kind = \"passengers_in\"; arrivals = { process = "
                  "\"poisson\"; rate_per_hour = 600.0; };\n"
                  "  route = [ \"egate\", \"out\" ]; }; };\n"
                  "stations = { egate = { type = \"egate\"; servers = 4; fallback = \"counter\";\n"
                  "    service = { dist = \"uniform\"; min_s = 5.0; max_s = 6.0; }; };\n"
                  "  counter = { type = \"counter\"; servers = 8; service = { dist = \"uniform\"; "
                  "min_s = 30.0; max_s = 40.0; }; };\n"
                  "  out = { type = \"release\"; unlimited = true; }; };\n",
                  1, 3),
      0);
  const kpi_station *e = station(&t, 0, "egate"), *c = station(&t, 0, "counter");
  double n = (double)(e->arrived + c->arrived);
  assert_true(n > 0.9 * 14400);
  assert_int_equal(e->arrived + c->arrived, t.runs[0].ch[0].arrived);
  assert_binomial((double)e->arrived, n, 0.35); /* the generator's E-gate share */
  /* counter service 30-40 s, E-gate 5-6 s: mean service from utilization and count */
  th_free(&t);
}

/* A station that applies to selected items sees only what the risk screen picked;
 * the top-share policy selects its rate. */
static void selection_rate(void **s) {
  (void)s;
  th_run t;
  assert_int_equal(
      th_run_text(
          &t,
          "name = \"sel\"; run = { days = 2.0; };\n"
          "channels = { ex = { kind = \"express\"; arrivals = { process = \"poisson\"; "
          "rate_per_hour = 300.0; };\n"
          "  route = [ \"risk\", \"exam\", \"out\" ]; }; };\n"
          "stations = { risk = { type = \"risk\"; kernel_params = { history_n = 5000.0; trees = "
          "20.0; };\n"
          "    selection = { policy = \"random\"; rate = 0.1; audit_share = 0.0; aeo_exempt = "
          "false; }; };\n"
          "  exam = { type = \"exam\"; applies_to = \"selected\"; servers = 20;\n"
          "    service = { dist = \"deterministic\"; value_min = 5.0; };\n"
          "    kernel_params = { pd_drug = 1.0; pd_other = 1.0; pd_fraud = 1.0; pfa = 0.0; }; };\n"
          "  out = { type = \"release\"; unlimited = true; }; };\n",
          1, 5),
      0);
  const kpi_station *r = station(&t, 0, "risk"), *e = station(&t, 0, "exam");
  assert_binomial((double)e->arrived, (double)r->arrived, 0.1);
  /* with pd = 1 and pfa = 0 every illicit inspected item is found; clean ones are
   * false alarms */
  const kpi_channel *c = &t.runs[0].ch[0];
  int64_t found = 0;
  for (int k = 1; k < KPI_SEIZE_N; k++) found += c->seized_kind[k];
  assert_true(c->inspected >= e->served - 1 && c->inspected <= e->arrived);
  assert_true(found > 0);
  /* every inspected item that left was either a find or a false alarm */
  assert_true(c->false_alarms + found <= c->inspected);
  assert_true(c->false_alarms + found + c->in_system_end >= c->inspected);
  th_free(&t);
}

/* share: a station visited by a share of the items that reach it. */
static void share_visits(void **s) {
  (void)s;
  th_run t;
  assert_int_equal(th_run_text(&t,
                               "name = \"share\"; run = { days = 1.0; };\n"
                               "channels = { c = { arrivals = { process = \"poisson\"; "
                               "rate_per_hour = 400.0; }; route = [ \"a\", \"b\" ]; }; };\n"
                               "stations = { a = { type = \"delay\"; share = 0.25; service = { "
                               "dist = \"deterministic\"; value_min = 1.0; }; };\n"
                               "  b = { type = \"release\"; unlimited = true; }; };\n",
                               1, 7),
                   0);
  assert_binomial((double)station(&t, 0, "a")->arrived, (double)t.runs[0].ch[0].arrived, 0.25);
  th_free(&t);
}

/* A delay station adds exactly its time and nobody waits. */
static void delay_exact(void **s) {
  (void)s;
  th_run t;
  assert_int_equal(th_run_text(&t,
                               "name = \"delay\"; run = { days = 1.0; warmup_days = 0.5; }; output "
                               "= { sample_min = 0.0; };\n"
                               "channels = { c = { arrivals = { process = \"poisson\"; "
                               "rate_per_hour = 100.0; }; route = [ \"d\" ]; }; };\n"
                               "stations = { d = { type = \"delay\"; service = { dist = "
                               "\"deterministic\"; value_h = 2.0; }; }; };\n",
                               1, 9),
                   0);
  const kpi_channel *c = &t.runs[0].ch[0];
  assert_float_equal(c->release_mean_min, 120.0, 1e-9);
  assert_float_equal(c->wait_mean_min, 0.0, 0);
  assert_float_equal(c->stage_mean_min[0], 120.0, 1e-9); /* a delay is stage 1 */
  th_free(&t);
}

/* Rosters: nobody on duty from 0 to 8 h, so no service; the queue drains after. */
static void roster_no_service_off_shift(void **s) {
  (void)s;
  th_run t;
  assert_int_equal(
      th_run_text(&t,
                  "name = \"roster\"; run = { days = 1.0; }; output = { sample_min = 60.0; };\n"
                  "staff = { day = { size = 4; roster = { period_h = 24.0; at_h = [ 0.0, 8.0, 20.0 "
                  "]; on_duty = [ 0, 4, 0 ]; }; }; };\n"
                  "channels = { c = { arrivals = { process = \"poisson\"; rate_per_hour = 30.0; }; "
                  "route = [ \"desk\" ]; }; };\n"
                  "stations = { desk = { servers = 4; staff = { pool = \"day\"; };\n"
                  "  service = { dist = \"exponential\"; mean_min = 2.0; }; }; };\n",
                  1, 11),
      0);
  const kpi_run *k = &t.runs[0];
  int st = spec_station_index(t.sp, "desk");
  size_t n = k->nsamples;
  for (size_t i = 0; i < n; i++) {
    double h = k->t_h[i], busy = k->busy[st * n + i], q = k->queue[st * n + i];
    if (h > 0 && h < 8) assert_true(busy == 0); /* off shift: nobody served */
    if (h >= 7 && h < 8) assert_true(q > 100);  /* about 30/h have piled up */
    if (h >= 12 && h < 20) assert_true(q < 20); /* 240 waiting drain at 120 - 30 an hour */
  }
  assert_true(k->pool[0].on_duty_mean > 1.9 && k->pool[0].on_duty_mean < 2.1); /* 12 h of 4 */
  th_free(&t);
}

/* An equipment failure stops service: one unit, failing at a known time. */
static void failure_stops_service(void **s) {
  (void)s;
  th_run t;
  assert_int_equal(
      th_run_text(
          &t,
          "name = \"fail\"; run = { days = 1.0; }; output = { sample_min = 30.0; };\n"
          "channels = { c = { arrivals = { process = \"poisson\"; rate_per_hour = 20.0; }; route = "
          "[ \"x\" ]; }; };\n"
          "stations = { x = { servers = 1; service = { dist = \"exponential\"; mean_min = 1.0; };\n"
          "  failures = { time_to_failure = { dist = \"deterministic\"; value_h = 6.0; };\n"
          "               repair = { dist = \"deterministic\"; value_h = 4.0; }; }; }; };\n",
          1, 13),
      0);
  const kpi_run *k = &t.runs[0];
  size_t n = k->nsamples;
  for (size_t i = 0; i < n; i++) {
    double h = k->t_h[i];
    if (h > 6.01 && h < 10) assert_true(k->busy[i] == 0);
    if (h > 9 && h < 10) assert_true(k->queue[i] > 40); /* about 20/h for 3 h */
  }
  /* down 6-10 h and 16-20 h (the unit fails again 6 h after its repair) */
  assert_true(k->st[0].down_h > 7.8 && k->st[0].down_h <= 8.0 + 1e-9);
  assert_true(k->nlog >= 2 && k->log[0].kind == EV_FAILURE && fabs(k->log[0].t_min - 360) < 1e-9);
  th_free(&t);
}

/* A full station that blocks holds items upstream: the upstream server stays busy. */
static void holding_capacity_blocks(void **s) {
  (void)s;
  th_run t;
  assert_int_equal(
      th_run_text(&t,
                  "name = \"block\"; run = { days = 1.0; }; output = { sample_min = 0.0; };\n"
                  "channels = { c = { arrivals = { process = \"poisson\"; rate_per_hour = 60.0; }; "
                  "route = [ \"up\", \"hall\" ]; }; };\n"
                  "stations = { up = { servers = 2; service = { dist = \"exponential\"; mean_min = "
                  "0.5; }; };\n"
                  "  hall = { servers = 1; capacity = 3; when_full = \"block\"; service = { dist = "
                  "\"exponential\"; mean_min = 1.2; }; }; };\n",
                  1, 17),
      0);
  const kpi_station *up = station(&t, 0, "up"), *hall = station(&t, 0, "hall");
  assert_int_equal(hall->lost, 0);          /* nobody turned away */
  assert_true(hall->queue_max <= 2);         /* 1 in service + 2 waiting = 3 */
  /* the hall is overloaded (rho = 1.2): upstream servers are held far beyond their
   * own load of 0.25 */
  assert_true(up->utilization > 0.6);
  assert_true(up->wait_mean_min > 1.0);
  th_free(&t);
}

/* Items waiting at time 0 (a drill that begins mid-crisis) are served first. */
static void initial_state(void **s) {
  (void)s;
  th_run t;
  assert_int_equal(
      th_run_text(
          &t,
          "name = \"init\"; run = { days = 1.0; }; output = { sample_min = 10.0; };\n"
          "channels = { c = { arrivals = { process = \"poisson\"; rate_per_hour = 10.0; }; route = "
          "[ \"x\" ]; }; };\n"
          "stations = { x = { servers = 2; service = { dist = \"deterministic\"; value_min = 6.0; "
          "}; }; };\n"
          "initial = ( { station = \"x\"; channel = \"c\"; items = 100; age_h = 12.0; } );\n",
          1, 19),
      0);
  const kpi_channel *c = &t.runs[0].ch[0];
  assert_int_equal(c->in_system_start, 100);
  assert_int_equal(c->in_system_start + c->arrived, c->released + c->seized + c->in_system_end);
  assert_true(t.runs[0].queue[0] >= 97); /* at time 0: 100 minus the 2 in service */
  th_free(&t);
}

/* Conservation on the shipped airport, every channel kind of it. */
static void conservation_default(void **s) {
  (void)s;
  th_run t;
  const char *sets[] = {"run.days=0.5", "run.warmup_days=0.25"};
  assert_int_equal(th_run_scenario(&t, "scenarios/default.cfg", sets, 2, 1, 21), 0);
  for (size_t i = 0; i < t.sp->nch; i++) {
    const kpi_channel *k = &t.runs[0].ch[i];
    assert_int_equal(k->in_system_start + k->arrived, k->released + k->seized + k->in_system_end);
    assert_true(k->arrived > 0);
  }
  th_free(&t);
}

/* The e-commerce surge scenario at a tenth of its express scale (stations scaled with
 * it): parcels in the port pile up while the surge lasts (Dec 2-15) and drain after. */
static void surge_backlog_grows_and_drains(void **s) {
  (void)s;
  th_run t;
  const char *sets[] = {"channels.passengers_in.arrivals.rate_per_hour=10",
                        "channels.passengers_out.arrivals.rate_per_hour=10",
                        "channels.express.arrivals.rate_per_hour=490",
                        "stations.express_xray.servers=3", "stations.express_exam.servers=7"};
  assert_int_equal(th_run_scenario(&t, "scenarios/ec_surge.cfg", sets, 5, 1, 1), 0);
  const kpi_run *k = &t.runs[0];
  int c = -1;
  for (size_t i = 0; i < t.sp->nch; i++)
    if (!strcmp(t.sp->ch[i].name, "express")) c = (int)i;
  size_t n = k->nsamples;
  const double *x = k->in_system + (size_t)c * n;
  double before = 0, peak = 0, peak_h = 0, end = x[n - 1];
  int nb = 0;
  for (size_t i = 0; i < n; i++) {
    double h = k->t_h[i];
    if (h >= 24 && h < 7 * 24) before += x[i], nb++;
    if (x[i] > peak) peak = x[i], peak_h = h;
  }
  before /= nb;
  printf("  express in the port: %.0f before, peak %.0f at day %.1f, %.0f at the end\n", before,
         peak, peak_h / 24, end);
  assert_true(peak > 5 * before);                     /* the backlog grows */
  assert_true(peak_h > 7 * 24 && peak_h < 23 * 24);   /* during or just after the surge */
  assert_true(end < 0.3 * peak);                      /* and drains */
  th_free(&t);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(egate_fallback),        cmocka_unit_test(selection_rate),
      cmocka_unit_test(share_visits),          cmocka_unit_test(delay_exact),
      cmocka_unit_test(roster_no_service_off_shift), cmocka_unit_test(failure_stops_service),
      cmocka_unit_test(holding_capacity_blocks), cmocka_unit_test(initial_state),
      cmocka_unit_test(conservation_default), cmocka_unit_test(surge_backlog_grows_and_drains),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
