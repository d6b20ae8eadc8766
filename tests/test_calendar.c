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

/* Random pushes (many ties, some far future, some +inf), pops, cancels and moves: the
 * calendar gives the reference's order and handle answers, in every mode it switches
 * through (a small heap, rungs of buckets, clean-ups of stale nodes). */
static void same_as_reference(void **st) {
  (void)st;
  enum { OPS = 200000, IDS = OPS + 1 };
  calendar *c = cal_new(4);
  gsl_rng *g = rng_stream_new(7, 0, "ref");
  ref r = {calloc(2 * IDS, sizeof(ref_ev)), 0, calloc(IDS, 1)};
  cal_handle *hd = calloc(IDS, sizeof *hd);
  uint64_t *rseq = calloc(IDS, sizeof *rseq), seq = 0, id = 0;
  double now = 0;
  size_t live = 0;
  for (int op = 0; op < OPS; op++) {
    double phase = (double)op / OPS, u = gsl_rng_uniform(g);
    double grow = phase < 0.3 ? 0.7 : phase < 0.6 ? 0.5 : 0.3; /* grow, hold, drain */
    if (u < grow) {
      double k = gsl_rng_uniform(g), t;
      if (k < 0.3) t = now + floor(gsl_rng_uniform(g) * 5); /* ties */
      else if (k < 0.95) t = now + gsl_rng_uniform(g) * 100;
      else if (k < 0.99) t = now + 1e6 * gsl_rng_uniform(g);
      else t = INFINITY;
      id++;
      hd[id] = cal_push(c, t, nop, NULL, id);
      assert_true(hd[id] != 0);
      rseq[id] = ++seq;
      ref_push(&r, (ref_ev){t, seq, id});
      live++;
    } else if (u < grow + 0.05 && id) { /* cancel or move a random earlier event */
      uint64_t x = 1 + gsl_rng_uniform_int(g, id);
      int pending = !r.gone[x] && rseq[x];
      if (gsl_rng_uniform(g) < 0.5) {
        assert_int_equal(cal_cancel(c, hd[x]), pending);
        if (pending) r.gone[x] = 1, rseq[x] = 0, live--;
      } else {
        double t = now + gsl_rng_uniform(g) * 50;
        assert_int_equal(cal_reschedule(c, hd[x], t), pending);
        if (pending) {
          rseq[x] = ++seq;
          ref_push(&r, (ref_ev){t, seq, x}); /* the old entry is skipped by its seq */
        }
      }
    } else {
      cal_event ev;
      while (r.n && (r.gone[r.h[0].id] || r.h[0].seq != rseq[r.h[0].id])) ref_pop(&r);
      int got = cal_pop(c, &ev);
      assert_int_equal(got, r.n > 0);
      if (!got) continue;
      ref_ev e = ref_pop(&r);
      assert_int_equal(ev.arg, e.id);
      assert_true(ev.t == e.t);
      rseq[e.id] = 0; /* ran: its handle is stale */
      assert_int_equal(cal_cancel(c, hd[e.id]), 0);
      live--;
      if (isfinite(ev.t)) now = ev.t;
    }
    assert_int_equal(cal_size(c), live);
    if (op % 7 == 0) { /* the next time and a random handle's state agree too */
      while (r.n && (r.gone[r.h[0].id] || r.h[0].seq != rseq[r.h[0].id])) ref_pop(&r);
      double want = r.n ? r.h[0].t : INFINITY, t = -1;
      assert_true(cal_next_time(c) == want);
      uint64_t x = id ? 1 + gsl_rng_uniform_int(g, id) : 0;
      int pending = x && !r.gone[x] && rseq[x];
      assert_int_equal(cal_pending(c, x ? hd[x] : 0, &t), pending);
    }
    if (op == OPS / 2) /* cancel nine in ten: stale nodes outnumber live ones */
      for (uint64_t x = 1; x <= id; x++)
        if (!r.gone[x] && rseq[x] && x % 10) {
          assert_int_equal(cal_cancel(c, hd[x]), 1);
          r.gone[x] = 1, rseq[x] = 0, live--;
        }
  }
  cal_clear(c); /* empty, and every old handle stale */
  assert_int_equal(cal_size(c), 0);
  for (uint64_t x = 1; x <= id; x++) assert_int_equal(cal_cancel(c, hd[x]), 0);
  cal_handle h = cal_push(c, now + 1, nop, NULL, 1);
  cal_event ev;
  assert_int_equal(cal_pop(c, &ev), 1);
  assert_int_equal(ev.arg, 1);
  assert_int_equal(cal_cancel(c, h), 0);
  gsl_rng_free(g);
  free(r.h), free(r.gone), free(hd), free(rseq);
  cal_free(c);
}

/* A few events pending (0 to 12: the tiny mode, its moves to the heap and back), with
 * ties, +inf, times before the last one taken, cancels and moves: the reference's order
 * and answers again. */
static void few_same_as_reference(void **st) {
  (void)st;
  enum { OPS = 100000, IDS = OPS + 1 };
  calendar *c = cal_new(4);
  gsl_rng *g = rng_stream_new(8, 0, "few");
  ref r = {calloc(2 * IDS, sizeof(ref_ev)), 0, calloc(IDS, 1)};
  cal_handle *hd = calloc(IDS, sizeof *hd);
  uint64_t *rseq = calloc(IDS, sizeof *rseq), seq = 0, id = 0;
  double now = 0;
  size_t live = 0, want = 3;
  for (int op = 0; op < OPS; op++) {
    if (op % 500 == 0) want = gsl_rng_uniform_int(g, 13); /* wander between sizes */
    double u = gsl_rng_uniform(g);
    if (u < (live < want ? 0.7 : 0.3)) {
      double k = gsl_rng_uniform(g), t;
      if (k < 0.3) t = now + floor(gsl_rng_uniform(g) * 3);
      else if (k < 0.9) t = now + gsl_rng_uniform(g) * 10;
      else if (k < 0.95) t = now - 1; /* before the last one taken */
      else t = INFINITY;
      id++;
      hd[id] = cal_push(c, t, nop, NULL, id);
      rseq[id] = ++seq;
      ref_push(&r, (ref_ev){t, seq, id});
      live++;
    } else if (u < 0.4 && id) {
      uint64_t x = id - gsl_rng_uniform_int(g, id < 20 ? id : 20); /* a recent one */
      int pending = !r.gone[x] && rseq[x];
      if (gsl_rng_uniform(g) < 0.5) {
        assert_int_equal(cal_cancel(c, hd[x]), pending);
        if (pending) r.gone[x] = 1, rseq[x] = 0, live--;
      } else {
        double t = now + floor(gsl_rng_uniform(g) * 4);
        assert_int_equal(cal_reschedule(c, hd[x], t), pending);
        if (pending) {
          rseq[x] = ++seq;
          ref_push(&r, (ref_ev){t, seq, x});
        }
      }
    } else {
      cal_event ev;
      while (r.n && (r.gone[r.h[0].id] || r.h[0].seq != rseq[r.h[0].id])) ref_pop(&r);
      int got = cal_pop(c, &ev);
      assert_int_equal(got, r.n > 0);
      if (!got) continue;
      ref_ev e = ref_pop(&r);
      assert_int_equal(ev.arg, e.id);
      assert_true(ev.t == e.t);
      rseq[e.id] = 0;
      assert_int_equal(cal_cancel(c, hd[e.id]), 0);
      live--;
      if (isfinite(ev.t) && ev.t > now) now = ev.t;
    }
    assert_int_equal(cal_size(c), live);
    while (r.n && (r.gone[r.h[0].id] || r.h[0].seq != rseq[r.h[0].id])) ref_pop(&r);
    assert_true(cal_next_time(c) == (r.n ? r.h[0].t : INFINITY));
  }
  gsl_rng_free(g);
  free(r.h), free(r.gone), free(hd), free(rseq);
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
