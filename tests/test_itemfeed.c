/* test_itemfeed: the helper that fills generated channels' items, and streams of other
 * records, ahead. Taken in any interleaving of channels and streams, fast or with pauses
 * that let the helper sleep, each channel's items are those its generator draws from its
 * stream on the calling thread, byte for byte, whatever the arrival day (no drift), and
 * each stream's records those its maker makes in place; a channel not added is not fed;
 * drifting generators and bad channels are refused; a feed freed with its rings full or
 * half taken stops at once. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <cmocka.h>

#include "models/declgen.h"
#include "models/itemfeed.h"
#include "sim/dist.h"
#include "sim/rng.h"

#define NCH 4
static const int kinds[NCH] = {KIND_EXPRESS, KIND_GENERIC, KIND_PASSENGERS_IN, KIND_AIR_CARGO};

/* Two streams besides the channels: service times (doubles) and 24-byte records. */
#define NSTREAM 2

typedef struct rec24 {
  uint64_t k;
  double u;
  int32_t n, pad;
} rec24;

typedef struct side {
  declgen *g[NCH];
  gsl_rng *r[NCH];
  gsl_rng *sr[NSTREAM];
  dist d;
  uint64_t k; /* rec24 records made so far */
} side;

static void make_draw(void *ctx, void *out) {
  side *s = ctx;
  double x = dist_sample(&s->d, s->sr[0]);
  memcpy(out, &x, sizeof x);
}

static void make_rec(void *ctx, void *out) {
  side *s = ctx;
  rec24 r = {.k = s->k++, .u = rng_uniform(s->sr[1]), .n = (int32_t)rng_uniform_int(s->sr[1], 9)};
  memcpy(out, &r, sizeof r);
}

static void side_make(side *s, uint64_t seed) {
  memset(s, 0, sizeof *s);
  for (int c = 0; c < NCH; c++) {
    if (kinds[c] == KIND_GENERIC) continue;
    declgen_params p;
    assert_int_equal(declgen_params_default(kinds[c], &p), SIM_OK);
    sim_error e = {0};
    s->g[c] = declgen_new(&p, seed, &e);
    if (!s->g[c]) fail_msg("%s", e.msg);
    s->r[c] = rng_stream_new(seed, (uint32_t)c, "items");
    assert_non_null(s->r[c]);
  }
  for (int k = 0; k < NSTREAM; k++)
    assert_non_null(s->sr[k] = rng_stream_new(seed, 9, k ? "r" : "d"));
  s->d = (dist){.kind = DIST_LOGNORMAL, .a = 9.5, .b = 5.0};
}

static void side_free(side *s) {
  for (int c = 0; c < NCH; c++) declgen_free(s->g[c]), gsl_rng_free(s->r[c]);
  for (int k = 0; k < NSTREAM; k++) gsl_rng_free(s->sr[k]);
}

static itemfeed *feed_of(side *s) {
  itemfeed *f = itemfeed_new(NCH);
  assert_non_null(f);
  sim_error e = {0};
  for (int c = 0; c < NCH; c++)
    if (s->g[c]) assert_int_equal(itemfeed_add(f, c, s->g[c], s->r[c], &e), SIM_OK);
  assert_int_equal(itemfeed_add_stream(f, sizeof(double), make_draw, s, &e), NCH);
  assert_int_equal(itemfeed_add_stream(f, sizeof(rec24), make_rec, s, &e), NCH + 1);
  assert_int_equal(itemfeed_start(f, &e), SIM_OK);
  assert_int_equal(itemfeed_add_stream(f, 8, make_draw, s, &e), SIM_EINVAL); /* started */
  return f;
}

static void pause_us(long us) {
  struct timespec ts = {0, us * 1000};
  nanosleep(&ts, NULL);
}

/* n takes in an order drawn from `order`; every `pause_every` takes (0: never) a pause
 * long enough for the helper to fill its rings and sleep. */
static void compare(uint64_t seed, int n, int pause_every) {
  side fed, ref;
  side_make(&fed, seed), side_make(&ref, seed);
  itemfeed *f = feed_of(&fed);
  gsl_rng *order = rng_stream_new(seed, 0, "order");
  int fed_n[NCH + NSTREAM] = {0};
  for (int k = 0; k < n; k++) {
    int c = (int)rng_uniform_int(order, NCH + NSTREAM);
    if (c >= NCH) { /* a stream's record */
      if (c == NCH) {
        double want = dist_sample(&ref.d, ref.sr[0]), got = itemfeed_draw(f, c);
        if (memcmp(&got, &want, sizeof got)) fail_msg("draw %d differs", fed_n[c]);
      } else {
        rec24 got, want;
        make_rec(&ref, &want);
        itemfeed_read(f, c, &got);
        if (memcmp(&got, &want, sizeof got)) fail_msg("record %d differs", fed_n[c]);
      }
      fed_n[c]++;
      continue;
    }
    assert_int_equal(itemfeed_feeds(f, c), kinds[c] != KIND_GENERIC);
    if (kinds[c] == KIND_GENERIC) continue;
    item got, want;
    memset(&got, 0xa5, sizeof got);
    itemfeed_take(f, c, &got);
    double day = 0.37 * k; /* the arrival day does not matter without drift */
    declgen_fill_ahead(ref.g[c], day, ref.r[c], &want);
    want.arrival_min = 0; /* the feed fills for day 0; the port sets the time */
    if (memcmp(&got, &want, sizeof got))
      fail_msg("channel %d, item %d: differs from the one drawn in place", c, fed_n[c]);
    fed_n[c]++;
    if (pause_every && k % pause_every == 0) pause_us(300);
  }
  for (int c = 0; c < NCH + NSTREAM; c++)
    if (c >= NCH || kinds[c] != KIND_GENERIC) assert_true(fed_n[c] > n / (2 * (NCH + NSTREAM)));
  itemfeed_free(f);
  gsl_rng_free(order);
  side_free(&fed), side_free(&ref);
}

static void same_items_fast(void **state) {
  (void)state;
  compare(11, 12000, 0);
}

static void same_items_with_pauses(void **state) {
  (void)state;
  compare(12, 3000, 97);
}

static void refuses_bad_channels(void **state) {
  (void)state;
  side s;
  side_make(&s, 13);
  itemfeed *f = itemfeed_new(NCH);
  assert_non_null(f);
  sim_error e = {0};
  assert_int_equal(itemfeed_add(f, NCH, s.g[0], s.r[0], &e), SIM_EINVAL);
  assert_int_equal(itemfeed_add(f, -1, s.g[0], s.r[0], &e), SIM_EINVAL);
  declgen_params p;
  assert_int_equal(declgen_params_default(KIND_EXPRESS, &p), SIM_OK);
  p.drift_days = 30;
  declgen *drifting = declgen_new(&p, 13, &e);
  assert_non_null(drifting);
  assert_int_equal(itemfeed_add(f, 0, drifting, s.r[0], &e), SIM_EINVAL);
  assert_non_null(strstr(e.msg, "drift"));
  assert_int_equal(itemfeed_feeds(f, 0), 0);
  assert_int_equal(itemfeed_add(f, 0, s.g[0], s.r[0], &e), SIM_OK);
  assert_int_equal(itemfeed_feeds(f, 0), 0); /* not started */
  assert_int_equal(itemfeed_start(f, &e), SIM_OK);
  assert_int_equal(itemfeed_feeds(f, 0), 1);
  assert_int_equal(itemfeed_add(f, 2, s.g[2], s.r[2], &e), SIM_EINVAL); /* after start */
  assert_int_equal(itemfeed_feeds(f, 2), 0);
  itemfeed_free(f);
  itemfeed_free(NULL);
  declgen_free(drifting);
  side_free(&s);
}

static void frees_while_full_or_half_taken(void **state) {
  (void)state;
  side s;
  side_make(&s, 14);
  itemfeed *f = feed_of(&s);
  pause_us(20000); /* the rings fill and the helper sleeps */
  itemfeed_free(f);
  side_free(&s);
  side_make(&s, 15);
  f = feed_of(&s);
  item it;
  for (int k = 0; k < 700; k++) itemfeed_take(f, 0, &it);
  itemfeed_free(f); /* the helper may be filling */
  side_free(&s);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(same_items_fast),
      cmocka_unit_test(same_items_with_pauses),
      cmocka_unit_test(refuses_bad_channels),
      cmocka_unit_test(frees_while_full_or_half_taken),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
