/* test_calibration: the shipped scenarios against the 2015 Time Release Study, at
 * steady state. The delays fitted by make calibrate (scenarios/parts, the delays files) must
 * give, on replications the fit never saw (seed 1, replications 40 on), a 95% interval
 * of each calibrated figure inside the study's 10% band: air cargo arrival to permit
 * 12.8 h and declaration to permit 0.3 h, sea containers 59.5 h and 2.4 h; AEO
 * declarations under 0.1 h; and no backlog still rising after the warm-up. The 2012
 * contrasts (sea: pre-arrival examination 46.3 vs 72.0 h, other agencies' laws 82.0 vs
 * 55.5 h) are printed as they come out; only their direction is checked, since both are
 * set by inputs (see scenarios/README.md, "Calibration"). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>

#include <cmocka.h>

#include "tests/sim_helpers.h"

#define OFF(f) offsetof(kpi_channel, f)

/* 95% interval over the replications of a channel figure (minutes), in hours. */
static void interval(const th_run *t, int ch, size_t off, size_t off2, double *mean, double *hw) {
  double x[64];
  for (int r = 0; r < t->reps; r++) {
    const char *k = (const char *)&t->runs[r].ch[ch];
    x[r] = (*(const double *)(k + off) + (off2 ? *(const double *)(k + off2) : 0)) / 60;
  }
  th_ci(x, t->reps, 0.95, mean, hw);
}

static int channel(const th_run *t, const char *name) {
  for (size_t i = 0; i < t->sp->nch; i++)
    if (!strcmp(t->sp->ch[i].name, name)) return (int)i;
  fail_msg("no channel %s", name);
  return -1;
}

static void check_target(const char *what, double m, double hw, double want) {
  printf("  %-36s model %7.3f ± %.3f h, study %6.2f h (%+5.1f%%)\n", what, m, hw, want,
         100 * (m / want - 1));
  assert_true(m - hw >= 0.9 * want && m + hw <= 1.1 * want);
}

static void check_common(const th_run *t, int c, double a2p, double d2p, const char *name) {
  double m, hw;
  char what[80];
  assert_int_equal(t->runs[0].ch[c].backlog_rising, 0);
  snprintf(what, sizeof what, "%s: arrival to permit", name);
  interval(t, c, OFF(stage_mean_min[0]), OFF(stage_mean_min[1]), &m, &hw);
  check_target(what, m, hw, a2p);
  snprintf(what, sizeof what, "%s: declaration to permit", name);
  interval(t, c, OFF(stage_mean_min[1]), 0, &m, &hw);
  check_target(what, m, hw, d2p);
  interval(t, c, OFF(stage_aeo_decl_permit_min), 0, &m, &hw);
  printf("  %-36s model %7.3f ± %.3f h, study < 0.1 h\n", "AEO: declaration to permit", m, hw);
  assert_true(m + hw < 0.1);
}

static void contrast(const th_run *t, int c, const char *what, size_t off_without, size_t off_with,
                     double pub_with, double pub_without) {
  double w, whw, wo, wohw;
  interval(t, c, off_with, 0, &w, &whw);
  interval(t, c, off_without, 0, &wo, &wohw);
  printf("  %-36s model %5.1f ± %.1f vs %5.1f ± %.1f h (%+5.1f), study %5.1f vs %5.1f h (%+5.1f)\n",
         what, w, whw, wo, wohw, w - wo, pub_with, pub_without, pub_with - pub_without);
  assert_true((w - wo) * (pub_with - pub_without) > 0);
}

static int reps(void) { return th_reps(8) < 4 ? 4 : th_reps(8); }

static void air_cargo(void **s) {
  (void)s;
  th_run t;
  const char *sets[] = {"channels.express.arrivals.rate_per_hour=10",
                        "channels.passengers_in.arrivals.rate_per_hour=10",
                        "channels.passengers_out.arrivals.rate_per_hour=10"};
  assert_int_equal(th_run_scenario_reps(&t, "scenarios/default.cfg", sets, 3, reps(), 1, 40), 0);
  check_common(&t, channel(&t, "air_cargo"), 12.8, 0.3, "air cargo");
  th_free(&t);
}

static void sea_containers(void **s) {
  (void)s;
  th_run t;
  assert_int_equal(th_run_scenario_reps(&t, "scenarios/tokyo_port.cfg", NULL, 0, reps(), 1, 40), 0);
  int c = channel(&t, "sea_containers");
  check_common(&t, c, 59.5, 2.4, "sea");
  contrast(&t, c, "pre-arrival examination (2012)", OFF(permit_adv_min[0]), OFF(permit_adv_min[1]),
           46.3, 72.0);
  contrast(&t, c, "other agencies' laws (2012)", OFF(permit_oga_min[0]), OFF(permit_oga_min[1]),
           82.0, 55.5);
  th_free(&t);
}

int main(void) {
  const struct CMUnitTest tests[] = {cmocka_unit_test(air_cargo), cmocka_unit_test(sea_containers)};
  return cmocka_run_group_tests(tests, NULL, NULL);
}
