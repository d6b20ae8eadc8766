/* test_resource: servers, queue disciplines, preemption and capacity changes on small
 * hand-checkable cases. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "sim/resource.h"

typedef struct log {
  uint64_t granted[16];
  int ng;
  uint64_t preempted[16];
  int np;
} log_t;

static void on_grant(void *ctx, uint64_t token, double waited) {
  (void)waited;
  log_t *l = ctx;
  l->granted[l->ng++] = token;
}

static void on_preempt(void *ctx, uint64_t token) {
  log_t *l = ctx;
  l->preempted[l->np++] = token;
}

static void fifo_order(void **s) {
  (void)s;
  sim *sm = sim_new();
  log_t l = {0};
  resource *r = res_new(sm, 1, RES_FIFO, -1, 0, (res_callbacks){on_grant, NULL}, &l);
  assert_int_equal(res_request(r, 1, 0), RES_STARTED);
  assert_int_equal(res_request(r, 2, 5), RES_QUEUED);
  assert_int_equal(res_request(r, 3, 9), RES_QUEUED);
  res_release(r, 1);
  res_release(r, 2);
  assert_int_equal(l.granted[0], 2);
  assert_int_equal(l.granted[1], 3);
  res_free(r);
  sim_free(sm);
}

static void priority_order(void **s) {
  (void)s;
  sim *sm = sim_new();
  log_t l = {0};
  resource *r = res_new(sm, 1, RES_PRIORITY, -1, 0, (res_callbacks){on_grant, NULL}, &l);
  res_request(r, 1, 0);
  res_request(r, 2, 1);
  res_request(r, 3, 5);
  res_request(r, 4, 5);
  for (int i = 0; i < 3; i++) res_release(r, 0);
  assert_int_equal(l.granted[0], 3); /* highest priority first, FIFO within */
  assert_int_equal(l.granted[1], 4);
  assert_int_equal(l.granted[2], 2);
  res_free(r);
  sim_free(sm);
}

static void preemption(void **s) {
  (void)s;
  sim *sm = sim_new();
  log_t l = {0};
  resource *r = res_new(sm, 1, RES_PRIORITY, -1, 1, (res_callbacks){on_grant, on_preempt}, &l);
  res_request(r, 1, 0);
  assert_int_equal(res_request(r, 2, 3), RES_STARTED);
  assert_int_equal(l.np, 1);
  assert_int_equal(l.preempted[0], 1);
  assert_int_equal(res_queue_len(r), 1);
  res_release(r, 2);
  assert_int_equal(l.granted[0], 1); /* the preempted customer resumes */
  res_free(r);
  sim_free(sm);
}

/* No service with zero capacity; the line drains when capacity returns. */
static void capacity_changes(void **s) {
  (void)s;
  sim *sm = sim_new();
  log_t l = {0};
  resource *r = res_new(sm, 0, RES_FIFO, -1, 0, (res_callbacks){on_grant, NULL}, &l);
  for (uint64_t t = 1; t <= 3; t++) assert_int_equal(res_request(r, t, 0), RES_QUEUED);
  assert_int_equal(res_busy(r), 0);
  res_set_capacity(r, 2);
  assert_int_equal(l.ng, 2);
  assert_int_equal(res_busy(r), 2);
  res_set_capacity(r, 1); /* non-preemptive: both finish */
  assert_int_equal(res_busy(r), 2);
  res_release(r, 0);
  assert_int_equal(l.ng, 2); /* still 1 busy = capacity: nobody new */
  res_release(r, 0);
  assert_int_equal(l.ng, 3);
  res_free(r);
  sim_free(sm);
}

static void finite_buffer(void **s) {
  (void)s;
  sim *sm = sim_new();
  resource *r = res_new(sm, 1, RES_FIFO, 3, 0, (res_callbacks){0}, NULL);
  assert_int_equal(res_request(r, 1, 0), RES_STARTED);
  assert_int_equal(res_request(r, 2, 0), RES_QUEUED);
  assert_int_equal(res_request(r, 3, 0), RES_QUEUED);
  assert_int_equal(res_request(r, 4, 0), RES_LOST);
  assert_int_equal(res_get_stats(r)->lost, 1);
  assert_int_equal(res_withdraw(r, 3), 1);
  assert_int_equal(res_request(r, 5, 0), RES_QUEUED);
  res_free(r);
  sim_free(sm);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(fifo_order),       cmocka_unit_test(priority_order),
      cmocka_unit_test(preemption),       cmocka_unit_test(capacity_changes),
      cmocka_unit_test(finite_buffer),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
