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

/* The time averages against the same timeavg_set calls made here after every operation
 * that changes something (the arithmetic the resource is documented to do): equal to
 * the last bit, through every kind of operation, a capacity that drops to 0 and
 * returns, preemption and a reset in the middle. */
typedef struct shadow {
  sim *sm;
  resource *r;
  timeavg q, b, c;
  uint64_t x, next_tok;
  int n;
} shadow;

static uint64_t lcg(shadow *h) {
  h->x = h->x * 6364136223846793005u + 1442695040888963407u;
  return h->x >> 33;
}

static void shadow_note(shadow *h) {
  double now = sim_now(h->sm);
  int busy = res_busy(h->r), cap = res_capacity(h->r);
  timeavg_set(&h->q, now, (double)res_queue_len(h->r));
  timeavg_set(&h->b, now, (double)busy);
  timeavg_set(&h->c, now, (double)(busy > cap ? busy : cap));
}

static void same_avg(const timeavg *got, const timeavg *want) {
  assert_true(got->area == want->area);
  assert_true(got->last_v == want->last_v);
  assert_true(got->max == want->max);
  assert_true(got->t0 == want->t0);
  assert_true(got->last_t == want->last_t);
}

static void shadow_step(sim *sm, void *ctx, uint64_t arg) {
  (void)arg;
  shadow *h = ctx;
  uint64_t op = lcg(h) % 16;
  int noted = res_busy(h->r) > 0; /* what a release, interrupt or take does */
  if (op < 7) noted = res_request(h->r, h->next_tok++, (int)(lcg(h) % 3)) != RES_LOST;
  else if (op < 12) res_release(h->r, 0);
  else if (op == 12) res_set_capacity(h->r, (int)(lcg(h) % 4)), noted = 1;
  else if (op == 13) noted = res_queue_len(h->r) && res_withdraw(h->r, res_queue_at(h->r, 0));
  else if (op == 14) res_interrupt(h->r, 0, 0);
  else res_release_take(h->r, 0);
  if (noted) shadow_note(h); /* an operation that changes nothing notes nothing */
  if (h->n == 500) {
    res_stats_reset(h->r);
    double now = sim_now(sm);
    int busy = res_busy(h->r), cap = res_capacity(h->r);
    timeavg_reset(&h->q, now, (double)res_queue_len(h->r));
    timeavg_reset(&h->b, now, (double)busy);
    timeavg_reset(&h->c, now, (double)(busy > cap ? busy : cap));
  }
  const res_stats *st = res_get_stats(h->r);
  same_avg(&st->queue, &h->q);
  same_avg(&st->busy, &h->b);
  same_avg(&st->cap, &h->c);
  if (++h->n < 2000) sim_after(sm, (double)(lcg(h) % 1000) / 64.0 + 1e-3, shadow_step, h, 0);
}

static void time_averages_exact(void **s) {
  (void)s;
  for (int kind = 0; kind < 3; kind++) {
    shadow h = {.sm = sim_new(), .x = 7u + (uint64_t)kind, .next_tok = 1};
    h.r = res_new(h.sm, 2, kind ? RES_PRIORITY : RES_FIFO, kind == 1 ? 6 : -1, kind == 2,
                  (res_callbacks){0}, NULL);
    timeavg_reset(&h.q, 0, 0);
    timeavg_reset(&h.b, 0, 0);
    timeavg_reset(&h.c, 0, 2);
    sim_after(h.sm, 0.5, shadow_step, &h, 0);
    sim_run_until(h.sm, 1e9, 0);
    assert_int_equal(h.n, 2000);
    res_stats_close(h.r);
    shadow_note(&h);
    same_avg(&res_get_stats(h.r)->busy, &h.b);
    assert_true(timeavg_mean(&res_get_stats(h.r)->busy, sim_now(h.sm)) > 0);
    res_free(h.r);
    sim_free(h.sm);
  }
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(fifo_order),       cmocka_unit_test(priority_order),
      cmocka_unit_test(preemption),       cmocka_unit_test(capacity_changes),
      cmocka_unit_test(finite_buffer),    cmocka_unit_test(time_averages_exact),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
