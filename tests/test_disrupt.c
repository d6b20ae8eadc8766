/* test_disrupt: disruptions and responses on small cases with known answers: a closure
 * acts in its window and on its targets only; an outage's backlog follows the fluid
 * model (arrivals minus manual capacity over the window) and drains at the spare rate;
 * diversion conserves items across ports; a response moves the KPIs the right way.
 * Tolerances: Poisson counts at z = 3.3 (about 99.9%). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>

#include <cmocka.h>

#include "tests/sim_helpers.h"

#define Z 3.3

static int chan(const th_run *t, const char *n) {
  for (size_t i = 0; i < t->sp->nch; i++)
    if (!strcmp(t->sp->ch[i].name, n)) return (int)i;
  fail_msg("no channel %s", n);
  return -1;
}

static const kpi_recovery *rec(const th_run *t, const char *scope) {
  for (size_t i = 0; i < t->runs[0].nrec; i++)
    if (!strcmp(t->runs[0].rec[i].scope, scope)) return &t->runs[0].rec[i];
  fail_msg("no recovery row %s", scope);
  return NULL;
}

/* Closing c0 from 10 h to 14 h: no service on its station and nothing arriving in the
 * window; c1 (not targeted) goes on. A closed station stops at once (its items in
 * service wait to resume), so every 10-minute interval after 10 h shows nothing moving. */
static void closure_window_only(void **s) {
  (void)s;
  th_run t;
  assert_int_equal(
      th_run_text(
          &t,
          "name = \"close\"; run = { days = 1.0; }; output = { sample_min = 10.0; };\n"
          "channels = { c0 = { arrivals = { process = \"poisson\"; rate_per_hour = 60.0; }; route "
          "= [ \"a\" ]; };\n"
          "  c1 = { arrivals = { process = \"poisson\"; rate_per_hour = 60.0; }; route = [ \"b\" "
          "]; }; };\n"
          "stations = { a = { servers = 2; service = { dist = \"exponential\"; mean_min = 1.0; }; "
          "};\n"
          "  b = { servers = 2; service = { dist = \"exponential\"; mean_min = 1.0; }; }; };\n"
          "disruptions = { shut = { kind = \"closure\"; start_h = 10.0; duration_h = 4.0; targets "
          "= [ \"c0\" ]; arrivals = \"cancel\"; }; };\n",
          1, 3),
      0);
  const kpi_run *k = &t.runs[0];
  size_t n = k->nsamples;
  int a = spec_station_index(t.sp, "a"), b = spec_station_index(t.sp, "b");
  double busy_b = 0;
  for (size_t i = 0; i < n; i++) {
    double h = k->t_h[i];
    if (h > 10.01 && h < 13.99) {
      assert_true(k->busy[(size_t)a * n + i] == 0);                        /* service stopped */
      assert_true(fabs(k->in_system[i] - k->in_system[(size_t)(10 * 6 + 1)]) <
                  1e-6); /* nothing moves */
      busy_b += k->busy[(size_t)b * n + i];
    }
  }
  assert_true(busy_b > 0); /* the other channel's station worked */
  const kpi_channel *c0 = &k->ch[chan(&t, "c0")];
  double cancelled = (double)rec(&t, "c0")->cancelled;
  printf("  cancelled %.0f, expected 240 +- %.0f\n", cancelled, Z * sqrt(240));
  assert_true(fabs(cancelled - 240) <= Z * sqrt(240));
  assert_int_equal(c0->in_system_start + c0->arrived,
                   c0->released + c0->seized + c0->in_system_end);
  assert_int_equal(rec(&t, "c1")->cancelled, 0);
  th_free(&t);
}

/* A 6-hour system outage: document review goes manual at a third of its speed. */
static void outage_fluid_model(void **s) {
  (void)s;
  th_run t;
  assert_int_equal(
      th_run_text(
          &t,
          "name = \"outage\"; run = { days = 2.0; }; output = { sample_min = 10.0; };\n"
          "channels = { c = { arrivals = { process = \"poisson\"; rate_per_hour = 90.0; }; route = "
          "[ \"docs\" ]; }; };\n"
          "stations = { docs = { type = \"documents\"; servers = 4; manual_factor = 3.0;\n"
          "  service = { dist = \"deterministic\"; value_min = 2.0; }; }; };\n"
          "disruptions = { cis = { kind = \"outage\"; start_h = 12.0; duration_h = 6.0; }; };\n",
          1, 5),
      0);
  const kpi_run *k = &t.runs[0];
  size_t n = k->nsamples, i_end = 18 * 6;
  /* normal capacity 120/h, manual 40/h: the line grows by 90 - 40 = 50 an hour */
  double q_end = k->queue[i_end], expect = 50 * 6, tol = Z * sqrt(90 * 6) + 10;
  printf("  queue at the end of the outage %.0f, fluid model %.0f +- %.0f\n", q_end, expect, tol);
  assert_true(fabs(q_end - expect) <= tol);
  /* then it drains at 120 - 90 = 30 an hour: about 10 h */
  size_t i = i_end;
  while (i < n && k->queue[i] > 5) i++;
  double drain_h = k->t_h[i] - 18, dtol = (Z * sqrt(90 * 10) + tol) / 30;
  printf("  drained in %.1f h, fluid model 10 +- %.1f h\n", drain_h, dtol);
  assert_true(fabs(drain_h - 10) <= dtol);
  assert_true(k->nlog >= 2);
  th_free(&t);
}

/* Two ports: closing kix diverts its arrivals to nrt, where they arrive and are served. */
static void diversion_conserves_items(void **s) {
  (void)s;
  th_run t;
  assert_int_equal(
      th_run_text(&t,
                  "name = \"divert\"; run = { days = 3.0; }; output = { sample_min = 30.0; };\n"
                  "ports = {\n"
                  "  kix = { channels = { cargo = { kind = \"air_cargo\"; arrivals = { process = "
                  "\"poisson\"; rate_per_hour = 40.0; }; route = [ \"docs\" ]; }; };\n"
                  "          stations = { docs = { servers = 2; service = { dist = "
                  "\"exponential\"; mean_min = 2.0; }; }; }; };\n"
                  "  nrt = { channels = { cargo = { kind = \"air_cargo\"; arrivals = { process = "
                  "\"poisson\"; rate_per_hour = 40.0; }; route = [ \"docs\" ]; }; };\n"
                  "          stations = { docs = { servers = 3; service = { dist = "
                  "\"exponential\"; mean_min = 2.0; }; }; }; };\n"
                  "};\n"
                  "disruptions = { jebi = { kind = \"closure\"; start_h = 12.0; duration_h = 24.0; "
                  "targets = [ \"kix\" ];\n"
                  "  arrivals = \"divert\"; divert_to = [ \"nrt\" ]; divert_delay_h = 2.0; }; };\n",
                  1, 7),
      0);
  const kpi_recovery *kix = rec(&t, "kix.cargo"), *nrt = rec(&t, "nrt.cargo");
  printf("  diverted out %ld, in %ld (expected about %d)\n", (long)kix->diverted_out,
         (long)nrt->diverted_in, 40 * 24);
  assert_int_equal(kix->diverted_out, nrt->diverted_in);
  assert_true(fabs((double)kix->diverted_out - 960) <= Z * sqrt(960));
  for (size_t c = 0; c < t.sp->nch; c++) {
    const kpi_channel *k = &t.runs[0].ch[c];
    assert_int_equal(k->in_system_start + k->arrived + k->diverted_in,
                     k->released + k->seized + k->lost + k->diverted_out + k->in_system_end);
  }
  /* the channel figures say the same as the recovery table: kix's diverted arrivals
   * came to its door (arrived) and left for nrt, where they arrived diverted */
  const kpi_channel *ck = &t.runs[0].ch[chan(&t, "kix.cargo")],
                    *cn = &t.runs[0].ch[chan(&t, "nrt.cargo")];
  assert_int_equal(ck->diverted_out, kix->diverted_out);
  assert_int_equal(cn->diverted_in, nrt->diverted_in);
  assert_true(fabs((double)ck->arrived - 40 * 72) <=
              Z * sqrt(40 * 72)); /* its own, diverted or not */
  assert_true(fabs((double)cn->arrived - 40 * 72) <= Z * sqrt(40 * 72));
  th_free(&t);
}

/* A staff shortage builds a backlog; overtime as a response makes it smaller. */
static double shortage_peak(const char *response) {
  char text[2048];
  snprintf(text, sizeof text,
           "name = \"short\"; run = { days = 3.0; }; output = { sample_min = 15.0; };\n"
           "staff = { officers = { size = 10; }; };\n"
           "channels = { c = { arrivals = { process = \"poisson\"; rate_per_hour = 100.0; }; route "
           "= [ \"desk\" ]; }; };\n"
           "stations = { desk = { servers = 10; staff = { pool = \"officers\"; }; service = { dist "
           "= \"exponential\"; mean_min = 4.5; }; }; };\n"
           "disruptions = { flu = { kind = \"staff_shortage\"; start_h = 12.0; duration_h = 24.0; "
           "level = 0.6; rto_h = 48.0; }; };\n"
           "%s\n",
           response);
  th_run t;
  assert_int_equal(th_run_text(&t, text, 1, 11), 0);
  double peak = rec(&t, "c")->peak_backlog, ttn = rec(&t, "c")->time_to_normal_h,
         ot = rec(&t, "c")->overtime_h;
  printf("  %-9s peak backlog %.0f, back to normal after %.1f h, overtime %.0f h\n",
         *response ? "overtime" : "none", peak, ttn, ot);
  th_free(&t);
  return peak;
}

static void response_helps(void **s) {
  (void)s;
  double none = shortage_peak("");
  double with = shortage_peak(
      "responses = { ot = { action = \"overtime\"; on = \"flu\"; after_h = 1.0; duration_h = 24.0; "
      "pool = \"officers\"; persons = 3; }; };");
  assert_true(none > 100);
  assert_true(with < 0.5 * none);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(closure_window_only), cmocka_unit_test(outage_fluid_model),
      cmocka_unit_test(diversion_conserves_items), cmocka_unit_test(response_helps),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
