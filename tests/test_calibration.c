/* test_calibration: the shipped scenarios against the Japanese Time Release Study.
 * Calibrated (2015 study): air cargo arrival to permit 12.8 h and declaration to permit
 * 0.3 h, sea containers 59.5 h and 2.4 h, AEO declarations under 0.1 h; these must stay
 * within 10% (a guard against regressions). Not used for calibration (2012 study): sea
 * cargo with pre-arrival examination 46.3 h against 72.0 h without, and cargo under
 * other agencies' laws 82.0 h against 55.5 h; the model must keep the direction of
 * each contrast and its rough size (half to twice the published difference). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>

#include <cmocka.h>

#include "tests/sim_helpers.h"

/* Mean over replications of a channel figure (minutes), in hours. */
static double mean_h(const th_run *t, int ch, size_t off) {
  double s = 0;
  for (int r = 0; r < t->reps; r++) s += *(const double *)((const char *)&t->runs[r].ch[ch] + off);
  return s / t->reps / 60;
}

static int channel(const th_run *t, const char *name) {
  for (size_t i = 0; i < t->sp->nch; i++)
    if (!strcmp(t->sp->ch[i].name, name)) return (int)i;
  fail_msg("no channel %s", name);
  return -1;
}

#define OFF(f) offsetof(kpi_channel, f)

static void check_target(const char *what, double got, double want) {
  printf("  %-44s model %7.2f h, study %6.2f h (%+5.1f%%)\n", what, got, want, 100 * (got / want - 1));
  assert_true(fabs(got / want - 1) <= 0.10);
}

static void check_contrast(const char *what, double with, double without, double pub_with, double pub_without) {
  double d = with - without, pd = pub_with - pub_without;
  printf("  %-44s model %5.1f vs %5.1f h (%+5.1f), study %5.1f vs %5.1f h (%+5.1f)\n", what, with,
         without, d, pub_with, pub_without, pd);
  assert_true(d * pd > 0);                          /* same direction */
  assert_true(fabs(d) >= 0.5 * fabs(pd) && fabs(d) <= 2 * fabs(pd)); /* rough size */
}

static void air_cargo(void **s) {
  (void)s;
  th_run t;
  /* the other channels hardly matter to air cargo (own staff pools): keep them small */
  const char *sets[] = {"run.days=3", "channels.express.arrivals.rate_per_hour=10",
                        "channels.passengers_in.arrivals.rate_per_hour=10",
                        "channels.passengers_out.arrivals.rate_per_hour=10"};
  assert_int_equal(th_run_scenario(&t, "scenarios/default.cfg", sets, 4, th_reps(4) > 4 ? 4 : th_reps(4), 1), 0);
  int c = channel(&t, "air_cargo");
  check_target("air cargo: arrival to permit",
               mean_h(&t, c, OFF(stage_mean_min[0])) + mean_h(&t, c, OFF(stage_mean_min[1])), 12.8);
  check_target("air cargo: declaration to permit", mean_h(&t, c, OFF(stage_mean_min[1])), 0.3);
  double aeo = mean_h(&t, c, OFF(stage_aeo_decl_permit_min));
  printf("  %-44s model %7.3f h, study < 0.1 h\n", "air cargo AEO: declaration to permit", aeo);
  assert_true(aeo < 0.1);
  th_free(&t);
}

static void sea_containers(void **s) {
  (void)s;
  th_run t;
  assert_int_equal(th_run_scenario(&t, "scenarios/tokyo_port.cfg", NULL, 0, 4, 1), 0);
  int c = channel(&t, "sea_containers");
  check_target("sea: arrival to permit",
               mean_h(&t, c, OFF(stage_mean_min[0])) + mean_h(&t, c, OFF(stage_mean_min[1])), 59.5);
  check_target("sea: declaration to permit", mean_h(&t, c, OFF(stage_mean_min[1])), 2.4);
  double aeo = mean_h(&t, c, OFF(stage_aeo_decl_permit_min));
  printf("  %-44s model %7.3f h, study < 0.1 h\n", "sea AEO: declaration to permit", aeo);
  assert_true(aeo < 0.1);
  check_contrast("sea: pre-arrival examination (out of sample)", mean_h(&t, c, OFF(permit_adv_min[1])),
                 mean_h(&t, c, OFF(permit_adv_min[0])), 46.3, 72.0);
  check_contrast("sea: other agencies' laws (out of sample)", mean_h(&t, c, OFF(permit_oga_min[1])),
                 mean_h(&t, c, OFF(permit_oga_min[0])), 82.0, 55.5);
  th_free(&t);
}

int main(void) {
  const struct CMUnitTest tests[] = {cmocka_unit_test(air_cargo), cmocka_unit_test(sea_containers)};
  return cmocka_run_group_tests(tests, NULL, NULL);
}
