/* test_validation: the engine against textbook queueing results. Each case runs the
 * scenario in scenarios/validation/ with R independent replications and asserts that
 * the analytic value lies inside the 99% Student-t confidence interval of the
 * replication means (a tolerance set by theory and R, not by an earlier run). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>

#include <cmocka.h>

#include "tests/analytic.h"
#include "tests/sim_helpers.h"

#define LEVEL 0.99

/* Runs `file`, collects a station or channel figure per replication and checks it. */
static void check_figure(const char *file, int station, size_t off, double expect,
                         const char *what) {
  th_run t;
  int reps = th_reps(30);
  assert_int_equal(th_run_scenario(&t, file, NULL, 0, reps, 12345), 0);
  double x[64], mean, hw;
  for (int r = 0; r < reps; r++) {
    const char *rec = station ? (const char *)&t.runs[r].st[0] : (const char *)&t.runs[r].ch[0];
    x[r] = *(const double *)(rec + off);
  }
  th_ci(x, reps, LEVEL, &mean, &hw);
  printf("%-10s %-22s simulated %.4f ± %.4f (99%%), analytic %.4f\n", file + 21, what, mean, hw,
         expect);
  assert_true(fabs(mean - expect) <= hw);
  th_free(&t);
}

#define ST(f) 1, offsetof(kpi_station, f)
#define CH(f) 0, offsetof(kpi_channel, f)

static void mm1_wait(void **s) {
  (void)s;
  check_figure("scenarios/validation/mm1.cfg", ST(wait_mean_min), an_mmc_wq(0.8, 1, 1),
               "mean wait");
}

/* P(Wq > t) = rho exp(-(mu - lambda) t): the distribution, through its 95th percentile. */
static void mm1_wait_p95(void **s) {
  (void)s;
  check_figure("scenarios/validation/mm1.cfg", ST(wait_p95_min), log(0.8 / 0.05) / 0.2, "wait p95");
}

static void mmc_wait(void **s) {
  (void)s;
  check_figure("scenarios/validation/mmc.cfg", ST(wait_mean_min), an_mmc_wq(3.6, 1, 4),
               "mean wait (Erlang C)");
}

static void mmc_queue(void **s) {
  (void)s; /* Little: Lq = lambda Wq */
  check_figure("scenarios/validation/mmc.cfg", ST(queue_mean), 3.6 * an_mmc_wq(3.6, 1, 4),
               "mean queue");
}

static void mmc_util(void **s) {
  (void)s;
  check_figure("scenarios/validation/mmc.cfg", ST(utilization), 0.9, "utilization");
}

static void md1_wait(void **s) {
  (void)s;
  check_figure("scenarios/validation/md1.cfg", ST(wait_mean_min), an_mg1_wq(0.8, 1, 1),
               "mean wait (P-K)");
}

static void mg1_wait(void **s) {
  (void)s;
  check_figure("scenarios/validation/mg1.cfg", ST(wait_mean_min), an_mg1_wq(0.8, 1, 1.5),
               "mean wait (P-K)");
}

static void tandem_sojourn(void **s) {
  (void)s;
  double w = an_mmc_wq(3, 2, 2) + 0.5 + an_mmc_wq(3, 1, 4) + 1.0;
  check_figure("scenarios/validation/tandem.cfg", CH(release_mean_min), w, "time in system");
}

static void feedback_sojourn(void **s) {
  (void)s;
  check_figure("scenarios/validation/feedback.cfg", CH(release_mean_min), 2.5, "time in system");
}

/* Blocking: the lost share per replication, lost / arrived at the station. */
static void mmck_blocking(void **s) {
  (void)s;
  th_run t;
  int reps = th_reps(30);
  assert_int_equal(th_run_scenario(&t, "scenarios/validation/mmck.cfg", NULL, 0, reps, 777), 0);
  double x[64], mean, hw, expect = an_mmck_block(2, 1, 2, 5);
  for (int r = 0; r < reps; r++) x[r] = TH_STATION(&t, r, 0, lost) / TH_STATION(&t, r, 0, arrived);
  th_ci(x, reps, LEVEL, &mean, &hw);
  printf("mmck       blocking probability   simulated %.4f ± %.4f (99%%), analytic %.4f\n", mean,
         hw, expect);
  assert_true(fabs(mean - expect) <= hw);
  /* the channel counts the refused items as lost, never as released */
  for (int r = 0; r < reps; r++)
    x[r] = (double)t.runs[r].ch[0].lost / (double)t.runs[r].ch[0].arrived;
  th_ci(x, reps, LEVEL, &mean, &hw);
  printf("mmck       lost share (channel)   simulated %.4f ± %.4f (99%%), analytic %.4f\n", mean,
         hw, expect);
  assert_true(fabs(mean - expect) <= hw);
  /* release times are over admitted items only: the M/M/2/5 sojourn of those admitted */
  double soj = an_mmck_sojourn(2, 1, 2, 5);
  for (int r = 0; r < reps; r++) x[r] = TH_CHANNEL(&t, r, 0, release_mean_min);
  th_ci(x, reps, LEVEL, &mean, &hw);
  printf("mmck       release time (admitted) simulated %.4f ± %.4f (99%%), analytic %.4f min\n",
         mean, hw, soj);
  assert_true(fabs(mean - soj) <= hw);
  th_free(&t);
}

/* Conservation (results/README.md): in system at start + arrived = released + seized + at end. */
static void conservation(void **s) {
  (void)s;
  th_run t;
  assert_int_equal(th_run_scenario(&t, "scenarios/validation/tandem.cfg", NULL, 0, 3, 5), 0);
  for (int r = 0; r < 3; r++) {
    const kpi_channel *k = &t.runs[r].ch[0];
    assert_int_equal(k->in_system_start + k->arrived, k->released + k->seized + k->in_system_end);
    assert_true(k->arrived > 0);
  }
  th_free(&t);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(mm1_wait),       cmocka_unit_test(mm1_wait_p95),
      cmocka_unit_test(mmc_wait),       cmocka_unit_test(mmc_queue),
      cmocka_unit_test(mmc_util),       cmocka_unit_test(md1_wait),
      cmocka_unit_test(mg1_wait),       cmocka_unit_test(tandem_sojourn),
      cmocka_unit_test(feedback_sojourn), cmocka_unit_test(mmck_blocking),
      cmocka_unit_test(conservation),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
