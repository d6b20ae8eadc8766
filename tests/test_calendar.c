/* test_calendar: order, stable tie-break, cancel and reschedule of the event calendar. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include <cmocka.h>

#include "sim/calendar.h"
#include "sim/rng.h"
#include "sim/sim.h"

static void nop(void) {}

static void pops_in_time_order(void **s) {
  (void)s;
  calendar *c = cal_new(4);
  gsl_rng *r = rng_stream_new(1, 0, "cal");
  for (int i = 0; i < 10000; i++) cal_push(c, gsl_rng_uniform(r) * 100, nop, NULL, (uint64_t)i);
  cal_event ev;
  double last = -1;
  int n = 0;
  while (cal_pop(c, &ev)) {
    assert_true(ev.t >= last);
    last = ev.t;
    n++;
  }
  assert_int_equal(n, 10000);
  gsl_rng_free(r);
  cal_free(c);
}

static void equal_times_fifo(void **s) {
  (void)s;
  calendar *c = cal_new(4);
  for (uint64_t i = 0; i < 1000; i++) cal_push(c, (double)(i % 3), nop, NULL, i);
  cal_event ev;
  uint64_t last[3] = {0, 0, 0};
  int first[3] = {1, 1, 1};
  while (cal_pop(c, &ev)) {
    int k = (int)ev.t;
    if (!first[k]) assert_true(ev.arg > last[k]);
    first[k] = 0;
    last[k] = ev.arg;
  }
  cal_free(c);
}

static void cancel_and_stale(void **s) {
  (void)s;
  calendar *c = cal_new(4);
  cal_handle h[100];
  for (int i = 0; i < 100; i++) h[i] = cal_push(c, i, nop, NULL, (uint64_t)i);
  for (int i = 0; i < 100; i += 2) assert_int_equal(cal_cancel(c, h[i]), 1);
  assert_int_equal(cal_cancel(c, h[0]), 0); /* already cancelled */
  assert_int_equal(cal_size(c), 50);
  cal_event ev;
  while (cal_pop(c, &ev)) assert_int_equal(ev.arg % 2, 1);
  assert_int_equal(cal_cancel(c, h[1]), 0); /* already run */
  /* a reused slot does not revive an old handle */
  cal_handle n = cal_push(c, 5, nop, NULL, 7);
  assert_int_equal(cal_cancel(c, h[99]), 0);
  assert_int_equal(cal_cancel(c, n), 1);
  cal_free(c);
}

static void reschedule_moves(void **s) {
  (void)s;
  calendar *c = cal_new(4);
  cal_handle a = cal_push(c, 10, nop, NULL, 1);
  cal_push(c, 5, nop, NULL, 2);
  cal_push(c, 7, nop, NULL, 3);
  assert_int_equal(cal_reschedule(c, a, 1), 1);
  cal_event ev;
  cal_pop(c, &ev);
  assert_int_equal(ev.arg, 1);
  assert_true(ev.t == 1.0);
  cal_handle b = cal_push(c, 6, nop, NULL, 4);
  assert_int_equal(cal_reschedule(c, b, 100), 1);
  uint64_t order[3];
  for (int i = 0; i < 3; i++) {
    cal_pop(c, &ev);
    order[i] = ev.arg;
  }
  assert_int_equal(order[0], 2);
  assert_int_equal(order[1], 3);
  assert_int_equal(order[2], 4);
  cal_free(c);
}

/* Two simulations in one process do not see each other's events. */
static void count_event(sim *s, void *ctx, uint64_t arg) {
  (void)arg;
  (*(int *)ctx)++;
  if (sim_now(s) < 99) sim_after(s, 1.0, count_event, ctx, 0);
}

static void two_sims(void **st) {
  (void)st;
  sim *a = sim_new(), *b = sim_new();
  int na = 0, nb = 0;
  sim_at(a, 0, count_event, &na, 0);
  sim_at(b, 50, count_event, &nb, 0);
  sim_run_until(a, 1000, 0);
  sim_run_until(b, 1000, 0);
  assert_int_equal(na, 100);
  assert_int_equal(nb, 50);
  assert_true(sim_now(a) == 1000);
  sim_free(a);
  sim_free(b);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(pops_in_time_order), cmocka_unit_test(equal_times_fifo),
      cmocka_unit_test(cancel_and_stale),   cmocka_unit_test(reschedule_moves),
      cmocka_unit_test(two_sims),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
