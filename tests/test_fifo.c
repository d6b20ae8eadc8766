/* test_fifo: the growable line of sim/fifo.h against a plain array model: growth while
 * the line wraps around the end of its buffer, order kept through pushes at both ends,
 * pops and removals, contiguity when used as an array, and allocation failure reported
 * with the line unchanged (also through a resource, whose request then gives RES_ERROR
 * and fails the sim). fifo.c is compiled into this program with a malloc that can fail,
 * so the library's resource uses it too. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include <cmocka.h>

static long fail_after = -1; /* mallocs left before one fails; -1: never */

static void *fifo_test_malloc(size_t n) {
  if (fail_after == 0) return NULL;
  if (fail_after > 0) fail_after--;
  return malloc(n);
}

#define malloc fifo_test_malloc
#include "sim/fifo.c"
#undef malloc

#include "sim/resource.h"
#include "sim/sim.h"

/* The line's elements, first to last, equal ref[0..n-1]. */
static void expect_line(const fifo *q, const int *ref, size_t n) {
  assert_int_equal(fifo_len(q), n);
  for (size_t k = 0; k < n; k++) assert_int_equal(*(int *)fifo_at(q, k), ref[k]);
}

static void push_back(fifo *q, int x) {
  int *slot = fifo_push(q);
  assert_non_null(slot);
  *slot = x;
}

static void growth_across_wrap(void **state) {
  (void)state;
  fifo q;
  fifo_init(&q, sizeof(int), 4);
  for (int i = 0; i < 4; i++) push_back(&q, i);
  assert_int_equal(q.cap, 4);
  fifo_drop_front(&q);
  fifo_drop_front(&q);
  push_back(&q, 4);
  push_back(&q, 5); /* the line is 2 3 | 4 5, wrapped: head 2 */
  assert_int_equal(q.head, 2);
  assert_int_equal(q.cap, 4);
  push_back(&q, 6); /* full and wrapped: grows, unwrapping */
  assert_int_equal(q.cap, 8);
  expect_line(&q, (int[]){2, 3, 4, 5, 6}, 5);
  /* at the front of a buffer whose head is 0, a push wraps to its end */
  int *f = fifo_push_front(&q);
  assert_non_null(f);
  *f = 1;
  assert_int_equal(q.head, 7);
  f = fifo_push_front(&q);
  *f = 0;
  push_back(&q, 7);
  expect_line(&q, (int[]){0, 1, 2, 3, 4, 5, 6, 7}, 8);
  f = fifo_push_front(&q); /* full, head 6: grows again */
  *f = -1;
  assert_int_equal(q.cap, 16);
  expect_line(&q, (int[]){-1, 0, 1, 2, 3, 4, 5, 6, 7}, 9);
  fifo_deinit(&q);
  assert_int_equal(fifo_len(&q), 0);
  push_back(&q, 42); /* usable again after deinit */
  expect_line(&q, (int[]){42}, 1);
  fifo_deinit(&q);
}

/* A long random mix of operations against an array that shifts. */
static void order_kept(void **state) {
  (void)state;
  enum { STEPS = 20000, MAX = 4096 };
  static int ref[MAX];
  size_t n = 0;
  int next = 0;
  unsigned seed = 12345;
  fifo q;
  fifo_init(&q, sizeof(int), 2);
  for (int step = 0; step < STEPS; step++) {
    seed = seed * 1103515245u + 12345u;
    unsigned op = (seed >> 16) % 10;
    if (op < 5 && n < MAX) { /* push back */
      push_back(&q, next);
      ref[n++] = next++;
    } else if (op == 5 && n < MAX) { /* push front */
      int *f = fifo_push_front(&q);
      assert_non_null(f);
      *f = next;
      for (size_t i = n; i > 0; i--) ref[i] = ref[i - 1];
      ref[0] = next++;
      n++;
    } else if (op < 9 && n) { /* pop front */
      assert_int_equal(*(int *)fifo_front(&q), ref[0]);
      fifo_drop_front(&q);
      for (size_t i = 0; i + 1 < n; i++) ref[i] = ref[i + 1];
      n--;
    } else if (n) { /* remove from the middle */
      size_t k = (seed >> 8) % n;
      fifo_remove(&q, k);
      for (size_t i = k; i + 1 < n; i++) ref[i] = ref[i + 1];
      n--;
    }
    if (step % 97 == 0) expect_line(&q, ref, n);
  }
  expect_line(&q, ref, n);
  fifo_deinit(&q);
}

/* Used only at its back, the line is an array from fifo_at(q, 0). */
static void contiguous_at_the_back(void **state) {
  (void)state;
  fifo q;
  fifo_init(&q, sizeof(double), 3);
  for (int i = 0; i < 50; i++) *(double *)fifo_push(&q) = i;
  fifo_drop_back(&q);
  const double *v = fifo_at(&q, 0);
  for (size_t k = 0; k < fifo_len(&q); k++) assert_true(v[k] == (double)k);
  assert_int_equal(fifo_len(&q), 49);
  fifo_deinit(&q);
}

static void allocation_failure(void **state) {
  (void)state;
  fifo q;
  fifo_init(&q, sizeof(int), 4);
  fail_after = 0;
  assert_null(fifo_push(&q)); /* the first allocation */
  assert_null(fifo_push_front(&q));
  assert_int_equal(fifo_len(&q), 0);
  fail_after = -1;
  for (int i = 0; i < 4; i++) push_back(&q, i);
  fifo_drop_front(&q);
  push_back(&q, 4); /* wrapped and full */
  fail_after = 0;
  assert_null(fifo_push(&q));
  assert_null(fifo_push_front(&q));
  expect_line(&q, (int[]){1, 2, 3, 4}, 4); /* unchanged */
  fail_after = -1;
  push_back(&q, 5);
  expect_line(&q, (int[]){1, 2, 3, 4, 5}, 5);
  fifo_deinit(&q);
  /* a size that would overflow is refused before any allocation */
  fifo_init(&q, SIZE_MAX / 2, 4);
  assert_null(fifo_push(&q));
  fifo_deinit(&q);
}

/* Through a resource: the 65th waiting request needs the line to grow. */
static void resource_reports_failure(void **state) {
  (void)state;
  sim *sm = sim_new();
  assert_non_null(sm);
  resource *r = res_new(sm, 0, RES_FIFO, -1, 0, (res_callbacks){0}, NULL);
  assert_non_null(r);
  for (uint64_t t = 1; t <= 64; t++) assert_int_equal(res_request(r, t, 0), RES_QUEUED);
  fail_after = 0;
  assert_int_equal(res_request(r, 65, 0), RES_ERROR);
  fail_after = -1;
  assert_int_not_equal(sim_failed(sm), 0);
  assert_int_equal(res_queue_len(r), 64);
  res_interrupt(r, 99, 0); /* nobody in service: nothing happens */
  assert_int_equal(res_withdraw(r, 10), 1);
  for (long k = 0; k < res_queue_len(r); k++)
    assert_int_equal(res_queue_at(r, k), (uint64_t)(k < 9 ? k + 1 : k + 2));
  res_free(r);
  sim_free(sm);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(growth_across_wrap),     cmocka_unit_test(order_kept),
      cmocka_unit_test(contiguous_at_the_back), cmocka_unit_test(allocation_failure),
      cmocka_unit_test(resource_reports_failure),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
