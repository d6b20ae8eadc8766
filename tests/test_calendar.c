/* test_calendar: order, stable tie-break, cancel and reschedule of the event calendar
 * (against a reference heap), and the run loop's stall guard. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <math.h>
#include <stdlib.h>

#include <cmocka.h>

#include "sim/calendar.h"
#include "sim/rng.h"
#include "sim/error.h"
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

/* ---- against a reference: a plain binary heap of (time, sequence) ---- */

typedef struct ref_ev {
  double t;
  uint64_t seq, id;
} ref_ev;

typedef struct ref {
  ref_ev *h;
  size_t n;
  uint8_t *gone; /* by id: cancelled or moved (a lazily dropped entry) */
} ref;

static int ref_before(const ref_ev *a, const ref_ev *b) {
  return a->t < b->t || (a->t == b->t && a->seq < b->seq);
}

static void ref_push(ref *r, ref_ev e) {
  size_t i = r->n++;
  while (i && ref_before(&e, &r->h[(i - 1) / 2])) {
    r->h[i] = r->h[(i - 1) / 2];
    i = (i - 1) / 2;
  }
  r->h[i] = e;
}

static ref_ev ref_pop(ref *r) {
  ref_ev top = r->h[0], x = r->h[--r->n];
  size_t i = 0;
  for (;;) {
    size_t c = 2 * i + 1;
    if (c >= r->n) break;
    if (c + 1 < r->n && ref_before(&r->h[c + 1], &r->h[c])) c++;
    if (!ref_before(&r->h[c], &x)) break;
    r->h[i] = r->h[c];
    i = c;
  }
  if (r->n) r->h[i] = x;
  return top;
}

/* A calendar and the reference, driven by the same operations; every answer is compared. */
typedef struct pair {
  calendar *c;
  ref r;
  cal_handle *hd;  /* by id */
  uint64_t *rseq;  /* by id: the reference's sequence of its pending entry, 0 if none */
  uint64_t seq, id;
  size_t live;
  double now;      /* the latest time taken */
} pair;

static pair pair_new(size_t ops) {
  pair q = {cal_new(4), {calloc(2 * (ops + 1), sizeof(ref_ev)), 0, calloc(ops + 1, 1)},
            calloc(ops + 1, sizeof(cal_handle)), calloc(ops + 1, sizeof(uint64_t)), 0, 0, 0, 0};
  assert_true(q.c && q.r.h && q.r.gone && q.hd && q.rseq);
  return q;
}

static void pair_free(pair *q) {
  free(q->r.h), free(q->r.gone), free(q->hd), free(q->rseq);
  cal_free(q->c);
}

static void pair_push(pair *q, double t) {
  uint64_t id = ++q->id;
  q->hd[id] = cal_push(q->c, t, nop, NULL, id);
  assert_true(q->hd[id] != 0);
  q->rseq[id] = ++q->seq;
  ref_push(&q->r, (ref_ev){t, q->seq, id});
  q->live++;
}

/* Cancels event x, or moves it to t: both answer whether it was pending. */
static void pair_touch(pair *q, uint64_t x, int cancel, double t) {
  int pending = !q->r.gone[x] && q->rseq[x];
  if (cancel) {
    assert_int_equal(cal_cancel(q->c, q->hd[x]), pending);
    if (pending) q->r.gone[x] = 1, q->rseq[x] = 0, q->live--;
    return;
  }
  assert_int_equal(cal_reschedule(q->c, q->hd[x], t), pending);
  if (pending) {
    q->rseq[x] = ++q->seq;
    ref_push(&q->r, (ref_ev){t, q->seq, x}); /* the old entry is skipped by its seq */
  }
}

/* Drops the reference's cancelled and moved entries from its top. */
static void pair_skip_stale(pair *q) {
  ref *r = &q->r;
  while (r->n && (r->gone[r->h[0].id] || r->h[0].seq != q->rseq[r->h[0].id])) ref_pop(r);
}

/* Takes the next event from both: the same one, and its handle is stale after. */
static void pair_pop(pair *q) {
  cal_event ev;
  pair_skip_stale(q);
  int got = cal_pop(q->c, &ev);
  assert_int_equal(got, q->r.n > 0);
  if (!got) return;
  ref_ev e = ref_pop(&q->r);
  assert_int_equal(ev.arg, e.id);
  assert_true(ev.t == e.t);
  q->rseq[e.id] = 0; /* ran: its handle is stale */
  assert_int_equal(cal_cancel(q->c, q->hd[e.id]), 0);
  q->live--;
  if (isfinite(ev.t) && ev.t > q->now) q->now = ev.t;
}

/* Clears the calendar, and the reference with it. */
static void pair_clear(pair *q) {
  cal_clear(q->c);
  for (uint64_t x = 1; x <= q->id; x++) q->r.gone[x] = 1, q->rseq[x] = 0;
  q->r.n = 0, q->live = 0;
}

/* Drives a pair through ops random pushes (many ties, some far future, some +inf), pops,
 * cancels and moves, growing, holding, then draining; halfway, nine in ten pending events
 * are cancelled (stale nodes then outnumber live ones). */
static void drive(pair *q, gsl_rng *g, int ops) {
  for (int op = 0; op < ops; op++) {
    double phase = (double)op / ops, u = gsl_rng_uniform(g);
    double grow = phase < 0.3 ? 0.7 : phase < 0.6 ? 0.5 : 0.3; /* grow, hold, drain */
    if (u < grow) {
      double k = gsl_rng_uniform(g), t;
      if (k < 0.3) t = q->now + floor(gsl_rng_uniform(g) * 5); /* ties */
      else if (k < 0.95) t = q->now + gsl_rng_uniform(g) * 100;
      else if (k < 0.99) t = q->now + 1e6 * gsl_rng_uniform(g);
      else t = INFINITY;
      pair_push(q, t);
    } else if (u < grow + 0.05 && q->id) { /* cancel or move a random earlier event */
      uint64_t x = 1 + gsl_rng_uniform_int(g, q->id);
      int cancel = gsl_rng_uniform(g) < 0.5;
      pair_touch(q, x, cancel, cancel ? 0 : q->now + gsl_rng_uniform(g) * 50);
    } else {
      pair_pop(q);
    }
    assert_int_equal(cal_size(q->c), q->live);
    if (op % 7 == 0) { /* the next time and a random handle's state agree too */
      pair_skip_stale(q);
      double want = q->r.n ? q->r.h[0].t : INFINITY, t = -1;
      assert_true(cal_next_time(q->c) == want);
      uint64_t x = q->id ? 1 + gsl_rng_uniform_int(g, q->id) : 0;
      int pending = x && !q->r.gone[x] && q->rseq[x];
      assert_int_equal(cal_pending(q->c, x ? q->hd[x] : 0, &t), pending);
    }
    if (op == ops / 2)
      for (uint64_t x = 1; x <= q->id; x++)
        if (!q->r.gone[x] && q->rseq[x] && x % 10) {
          assert_int_equal(cal_cancel(q->c, q->hd[x]), 1);
          q->r.gone[x] = 1, q->rseq[x] = 0, q->live--;
        }
  }
}

/* The calendar gives the reference's order and handle answers in every mode it switches
 * through (a small heap, rungs of buckets, clean-ups of stale nodes), and again after a
 * clear made while it held thousands of events in rungs: nothing of before comes back. */
static void same_as_reference(void **st) {
  (void)st;
  enum { OPS = 200000 };
  pair q = pair_new(2 * OPS);
  gsl_rng *g = rng_stream_new(7, 0, "ref");
  drive(&q, g, OPS);
  pair_clear(&q); /* empty, and every old handle stale */
  assert_int_equal(cal_size(q.c), 0);
  for (uint64_t x = 1; x <= q.id; x++) assert_int_equal(cal_cancel(q.c, q.hd[x]), 0);
  cal_handle h = cal_push(q.c, q.now + 1, nop, NULL, 1);
  cal_event ev;
  assert_int_equal(cal_pop(q.c, &ev), 1);
  assert_int_equal(ev.arg, 1);
  assert_int_equal(cal_cancel(q.c, h), 0);
  for (int i = 0; i < 5000; i++) pair_push(&q, q.now + 1e3 + 1e3 * gsl_rng_uniform(g));
  for (int i = 0; i < 10; i++) pair_pop(&q); /* a rung is laid over them */
  for (int i = 0; i < 10; i++) pair_push(&q, q.now + 1e3 + 1e3 * gsl_rng_uniform(g));
  pair_clear(&q);
  drive(&q, g, OPS / 2);
  gsl_rng_free(g);
  pair_free(&q);
}

/* A few events pending (0 to 12: the tiny mode, its moves to the heap and back), with
 * ties, +inf, times before the last one taken, cancels and moves: the reference's order
 * and answers again. */
static void few_same_as_reference(void **st) {
  (void)st;
  enum { OPS = 100000 };
  pair q = pair_new(OPS);
  gsl_rng *g = rng_stream_new(8, 0, "few");
  size_t want = 3;
  for (int op = 0; op < OPS; op++) {
    if (op % 500 == 0) want = gsl_rng_uniform_int(g, 13); /* wander between sizes */
    double u = gsl_rng_uniform(g);
    if (u < (q.live < want ? 0.7 : 0.3)) {
      double k = gsl_rng_uniform(g), t;
      if (k < 0.3) t = q.now + floor(gsl_rng_uniform(g) * 3);
      else if (k < 0.9) t = q.now + gsl_rng_uniform(g) * 10;
      else if (k < 0.95) t = q.now - 1; /* before the last one taken */
      else t = INFINITY;
      pair_push(&q, t);
    } else if (u < 0.4 && q.id) {
      uint64_t x = q.id - gsl_rng_uniform_int(g, q.id < 20 ? q.id : 20); /* a recent one */
      int cancel = gsl_rng_uniform(g) < 0.5;
      pair_touch(&q, x, cancel, cancel ? 0 : q.now + floor(gsl_rng_uniform(g) * 4));
    } else {
      pair_pop(&q);
    }
    assert_int_equal(cal_size(q.c), q.live);
    pair_skip_stale(&q);
    assert_true(cal_next_time(q.c) == (q.r.n ? q.r.h[0].t : INFINITY));
  }
  gsl_rng_free(g);
  pair_free(&q);
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

/* ---- the stall guard ---- */

typedef struct loop_ctx {
  int other;       /* a second handler runs every `other`-th time (0: never) */
  uint64_t n, n2;
} loop_ctx;

static void side(sim *s, void *ctx, uint64_t arg) {
  (void)s, (void)arg;
  ((loop_ctx *)ctx)->n2++;
}

/* A zero-time loop: reschedules itself at the same instant, forever. */
static void spin(sim *s, void *ctx, uint64_t arg) {
  loop_ctx *l = ctx;
  l->n++;
  if (l->other && l->n % (uint64_t)l->other == 0) sim_after(s, 0, side, l, 0);
  sim_after(s, 0, spin, ctx, arg);
}

static void tick(sim *s, void *ctx, uint64_t arg) {
  (void)ctx;
  if (arg) sim_after(s, 1.0, tick, NULL, arg - 1);
}

static void stall_stops_the_run(void **st) {
  (void)st;
  sim *s = sim_new();
  loop_ctx l = {3, 0, 0};
  assert_int_equal(sim_stall_limit(s), SIM_STALL_LIMIT);
  sim_set_stall_limit(s, 20000);
  sim_at(s, 5.0, tick, NULL, 3);
  sim_at(s, 7.5, spin, &l, 0);
  sim_run_until(s, 1e9, 0);
  assert_int_equal(sim_failed(s), SIM_ESTALL);
  assert_true(sim_now(s) == 7.5);
  assert_true(l.n + l.n2 == 20000); /* stopped at the limit */
  sim_fn fn = NULL;
  void *ctx = NULL;
  uint64_t count = 0;
  assert_int_equal(sim_stall_info(s, &fn, &ctx, &count), 1);
  assert_true(fn == spin); /* the handler that dominated, with its context */
  assert_ptr_equal(ctx, &l);
  assert_true(count > 2000 && count <= 4096);
  assert_int_equal(sim_run_until(s, 1e9, 0), 0); /* a failed run stays stopped */
  sim_free(s);
}

/* Many events at one instant below the limit, and instants that advance, are fine. */
static void no_false_stall(void **st) {
  (void)st;
  sim *s = sim_new();
  sim_set_stall_limit(s, 1000);
  for (int i = 0; i < 999; i++) sim_at(s, 1.0, tick, NULL, 0);
  sim_at(s, 2.0, tick, NULL, 100000); /* a long run of events, each at a new time */
  sim_run_until(s, 1e9, 0);
  assert_int_equal(sim_failed(s), 0);
  assert_int_equal(sim_stall_info(s, NULL, NULL, NULL), 0);
  assert_int_equal(sim_events(s), 999 + 100001);
  sim_free(s);
  /* 0 turns the guard off: the loop runs on (here up to a cap of events) */
  s = sim_new();
  loop_ctx l = {0, 0, 0};
  sim_set_stall_limit(s, 0);
  sim_at(s, 0, spin, &l, 0);
  assert_int_equal(sim_run_until(s, 1, 2000000), 2000000);
  assert_int_equal(sim_failed(s), 0);
  sim_free(s);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(pops_in_time_order), cmocka_unit_test(equal_times_fifo),
      cmocka_unit_test(cancel_and_stale),   cmocka_unit_test(reschedule_moves),
      cmocka_unit_test(same_as_reference), cmocka_unit_test(few_same_as_reference),
      cmocka_unit_test(two_sims),
      cmocka_unit_test(stall_stops_the_run), cmocka_unit_test(no_false_stall),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
