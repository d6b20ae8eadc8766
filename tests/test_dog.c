/* test_dog: detection-dog probabilities, fatigue, rest and the work/rest schedule. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>
#include <math.h>
#include <string.h>

#include <gsl/gsl_rng.h>

#include "models/dog.h"

static void test_defaults_valid(void **state) {
  (void)state;
  dog_params p;
  dog_params_default(&p);
  assert_int_equal(dog_params_check(&p, NULL), 0);
  sim_error e = {0};
  p.fatigue_floor = 1.5;
  assert_int_equal(dog_params_check(&p, &e), SIM_EINVAL);
  assert_non_null(strstr(e.msg, "fatigue_floor"));
  dog_params_default(&p);
  p.p_detect[CONTRA_NONE] = 0.1;
  assert_int_equal(dog_params_check(&p, NULL), SIM_EINVAL);
}

/* Every probability lies in [0, 1], for any input including absurd ones. */
static void test_probabilities_in_range(void **state) {
  (void)state;
  dog_params p;
  dog_params_default(&p);
  static const double kgs[] = {-1, 0, 1e-6, 0.01, 0.1, 1, 100, 1e12, NAN, INFINITY};
  static const double mins[] = {-5, 0, 10, 30, 60, 240, 1e6, NAN};
  for (int c = -1; c <= CONTRA_N; c++)
    for (int k = -1; k <= CONCEAL_N; k++)
      for (size_t i = 0; i < sizeof kgs / sizeof kgs[0]; i++)
        for (size_t j = 0; j < sizeof mins / sizeof mins[0]; j++) {
          double pd = dog_detect_prob(&p, c, k, kgs[i], mins[j]);
          assert_true(pd >= 0 && pd <= 1);
          double pf = dog_false_alert_prob(&p, mins[j]);
          assert_true(pf >= 0 && pf <= 1);
        }
}

/* No contraband: no detection, only the false-alert rate (which is positive). */
static void test_none_gives_only_false_alerts(void **state) {
  (void)state;
  dog_params p;
  dog_params_default(&p);
  for (double m = 0; m < 120; m += 10) {
    assert_true(dog_detect_prob(&p, CONTRA_NONE, CONCEAL_NONE, 1.0, m) == 0);
    assert_true(dog_false_alert_prob(&p, m) > 0);
  }
  assert_true(dog_detect_prob(&p, CONTRA_METH, CONCEAL_NONE, 0.0, 0) == 0);
  assert_true(dog_detect_prob(&p, CONTRA_GOLD, CONCEAL_NONE, 5.0, 0) == 0); /* no odour */
  assert_true(dog_false_alert_prob(&p, 120) > dog_false_alert_prob(&p, 0)); /* tired */
}

/* Full performance up to the onset, then a strict decline towards the floor. */
static void test_fatigue_lowers_detection(void **state) {
  (void)state;
  dog_params p;
  dog_params_default(&p);
  double fresh = dog_detect_prob(&p, CONTRA_METH, CONCEAL_NONE, 0.1, 0);
  assert_true(fabs(fresh - 0.85) < 1e-12); /* p_detect at ref_kg */
  assert_true(dog_detect_prob(&p, CONTRA_METH, CONCEAL_NONE, 0.1, p.fatigue_onset_min) == fresh);
  double prev = fresh;
  for (double m = p.fatigue_onset_min + 5; m <= 180; m += 5) {
    double pd = dog_detect_prob(&p, CONTRA_METH, CONCEAL_NONE, 0.1, m);
    assert_true(pd < prev);
    assert_true(pd >= fresh * p.fatigue_floor);
    prev = pd;
  }
  /* more drug, easier; concealment, harder */
  assert_true(dog_detect_prob(&p, CONTRA_METH, 0, 1.0, 0) > fresh);
  assert_true(dog_detect_prob(&p, CONTRA_METH, 0, 0.01, 0) < fresh);
  assert_true(dog_detect_prob(&p, CONTRA_METH, CONCEAL_SHIELDED, 0.1, 0) < fresh);
}

/* Rest restores: after a full scheduled rest the dog is close to fresh again. */
static void test_rest_restores(void **state) {
  (void)state;
  dog_params p;
  dog_params_default(&p);
  double tired = 70, rested = dog_after_rest(&p, tired, p.rest_min);
  double fresh = dog_detect_prob(&p, CONTRA_COCAINE, 0, 0.1, 0);
  assert_true(rested < tired);
  assert_true(dog_detect_prob(&p, CONTRA_COCAINE, 0, 0.1, rested) >
              dog_detect_prob(&p, CONTRA_COCAINE, 0, 0.1, tired));
  assert_true(fabs(dog_detect_prob(&p, CONTRA_COCAINE, 0, 0.1, rested) - fresh) < 1e-9);
  assert_true(dog_after_rest(&p, tired, 0) == tired);
  assert_true(dog_after_rest(&p, tired, 1e6) < 1e-9);
}

static void test_schedule(void **state) {
  (void)state;
  dog_params p;
  dog_params_default(&p);
  assert_true(dog_next_state_change(&p, 1, 0) == p.work_min);
  assert_true(dog_next_state_change(&p, 1, 10) == p.work_min - 10);
  assert_true(dog_next_state_change(&p, 0, 5) == p.rest_min - 5);
  assert_true(dog_next_state_change(&p, 1, 1e9) == 0);
  dog *d;
  assert_int_equal(dog_new(&d, &p, 100, NULL), 0);
  assert_true(dog_is_working(d) && dog_next_change_min(d) == 130);
  dog_advance(d, 120);
  assert_true(dog_is_working(d) && fabs(dog_fatigue_min(d) - 20) < 1e-12);
  dog_advance(d, 140); /* 30 min worked, then 10 of rest */
  assert_false(dog_is_working(d));
  assert_true(fabs(dog_fatigue_min(d) - dog_after_rest(&p, 30, 10)) < 1e-9);
  assert_true(dog_next_change_min(d) == 130 + p.rest_min);
  dog_advance(d, 135 + p.rest_min); /* back at work for 5 min */
  assert_true(dog_is_working(d));
  assert_true(fabs(dog_fatigue_min(d) - (dog_after_rest(&p, 30, p.rest_min) + 5)) < 1e-9);
  /* a resting team never alerts; a working one finds a big loose pack nearly always */
  gsl_rng *r = gsl_rng_alloc(gsl_rng_mt19937);
  item it;
  memset(&it, 0, sizeof it);
  it.truth.contraband = CONTRA_CANNABIS, it.truth.contraband_kg = 2.0;
  int hits = 0;
  double back = 130 + p.rest_min; /* at work from here for work_min */
  for (int i = 0; i < 200; i++) hits += dog_screen(d, &it, back + 5, r);
  assert_true(hits > 180);
  assert_int_equal(dog_screen(d, &it, back + p.work_min + 1, r), 0); /* resting again */
  dog_free(d);
  dog_free(NULL);
  gsl_rng_free(r);
  p.work_min = 0;
  assert_int_equal(dog_new(&d, &p, 0, NULL), SIM_EINVAL);
  assert_null(d);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_defaults_valid),
      cmocka_unit_test(test_probabilities_in_range),
      cmocka_unit_test(test_none_gives_only_false_alerts),
      cmocka_unit_test(test_fatigue_lowers_detection),
      cmocka_unit_test(test_rest_restores),
      cmocka_unit_test(test_schedule),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
