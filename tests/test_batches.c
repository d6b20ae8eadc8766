/* test_batches: batches of a schedule whose size is drawn from a count distribution
 * (uniform_int, poisson, binomial, negative_binomial, empirical, deterministic) and
 * whose items come one by one with gaps from `spacing`; CSV size cells holding a
 * distribution; the batch hook and its tags; batch counts over a window; bad values;
 * the every-k-th selection rule (its share 1 / (mean gap + offset), the variance of k).
 * Sample means and variances are checked against theory with 99.9% intervals (the
 * variance with its large-sample standard error from the fourth moment), fixed seeds. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "models/arrivals.h"
#include "models/count_dist.h"
#include "models/scenario/schema.h"
#include "models/selection.h"
#include "sim/rng.h"

#define Z999 3.2905 /* two-sided 99.9% normal quantile */

static char data_file[512];

/* A file next to this test: tests/data/NAME. */
static const char *data_path(const char *name) {
  const char *slash = strrchr(__FILE__, '/');
  snprintf(data_file, sizeof data_file, "%.*sdata/%s", slash ? (int)(slash - __FILE__ + 1) : 0,
           __FILE__, name);
  return data_file;
}

typedef struct fx {
  config_t cfg;
  arrivals_spec *sp;
  sim_error err;
  int rc;
} fx;

static int load(fx *f, const char *arr) {
  char text[4096];
  snprintf(text, sizeof text,
           "name = \"t\"; stations = { s = { servers = 1; }; };\n"
           "channels = { c = { route = [ \"s\" ]; arrivals = { %s }; }; };\n",
           arr);
  memset(f, 0, sizeof *f);
  config_init(&f->cfg);
  if (config_read_string(&f->cfg, text) != CONFIG_TRUE)
    fail_msg("libconfig: line %d: %s", config_error_line(&f->cfg), config_error_text(&f->cfg));
  const char *file = data_path("test.cfg");
  f->rc = schema_validate(&f->cfg, file, &f->err);
  if (!f->rc)
    f->rc = arrivals_spec_read(&f->sp, config_lookup(&f->cfg, "channels.c.arrivals"),
                               config_root_setting(&f->cfg), "c", NULL, file, &f->err);
  return f->rc;
}

static void load_ok(fx *f, const char *arr) {
  if (load(f, arr)) fail_msg("unexpected error: %s", f->err.msg);
}

static void unload(fx *f) {
  arrivals_spec_free(f->sp);
  config_destroy(&f->cfg);
}

static void expect_error(const char *arr, const char *want) {
  fx f;
  if (!load(&f, arr)) fail_msg("accepted '%s'; expected an error with '%s'", arr, want);
  if (!strstr(f.err.msg, want)) fail_msg("message '%s' lacks '%s'", f.err.msg, want);
  unload(&f);
}

/* ---- running: the batch hook records sizes, the item callback times and tags ---- */

typedef struct rec {
  sim *s;
  arrivals *a;
  double *bt, *it; /* batch times, item times */
  long *size; /* batch sizes */
  int32_t *tag; /* item tags */
  size_t nb, ni, capb, capi;
} rec;

static void *grow(void *p, size_t *cap, size_t n, size_t w) {
  if (n < *cap) return p;
  *cap = *cap ? 2 * *cap : 1024;
  p = realloc(p, *cap * w);
  assert_non_null(p);
  return p;
}

static int32_t on_batch(void *ctx, int channel, double at_min, long size, int32_t origin) {
  rec *r = ctx;
  (void)origin;
  assert_int_equal(channel, 3);
  size_t cap = r->capb;
  r->bt = grow(r->bt, &cap, r->nb, sizeof *r->bt);
  r->size = grow(r->size, &r->capb, r->nb, sizeof *r->size);
  r->bt[r->nb] = at_min;
  r->size[r->nb] = size;
  return (int32_t)r->nb++;
}

static void on_item(void *ctx, int channel, int32_t origin) {
  rec *r = ctx;
  (void)channel, (void)origin;
  size_t cap = r->capi;
  r->it = grow(r->it, &cap, r->ni, sizeof *r->it);
  r->tag = grow(r->tag, &r->capi, r->ni, sizeof *r->tag);
  r->it[r->ni] = sim_now(r->s);
  r->tag[r->ni++] = arrivals_tag(r->a);
}

static void run(const arrivals_spec *sp, uint64_t seed, double t_end, rec *r) {
  memset(r, 0, sizeof *r);
  r->s = sim_new();
  gsl_rng *g = rng_stream_new(seed, 0, "arrivals:c");
  assert_int_equal(arrivals_new(&r->a, sp, r->s, g, 3, on_item, r), 0);
  arrivals_on_batch(r->a, on_batch);
  sim_run_until(r->s, t_end, 0);
  arrivals_free(r->a);
  sim_free(r->s);
  gsl_rng_free(g);
}

static void rec_free(rec *r) { free(r->bt), free(r->it), free(r->size), free(r->tag); }

/* Sample mean and variance of x within 99.9% of mu and var (the variance's standard
 * error from the sample's fourth central moment). */
static void assert_moments(const long *x, size_t n, double mu, double var, const char *what) {
  double m = 0, s2 = 0, m4 = 0;
  for (size_t i = 0; i < n; i++) m += (double)x[i] / (double)n;
  for (size_t i = 0; i < n; i++) {
    double d = (double)x[i] - m;
    s2 += d * d / (double)(n - 1);
    m4 += d * d * d * d / (double)n;
  }
  double se_m = sqrt(var / (double)n), se_v = sqrt(fmax(m4 - s2 * s2, 0) / (double)n);
  if (fabs(m - mu) > Z999 * se_m + 1e-9 * (1 + fabs(mu)))
    fail_msg("%s: mean %g, expected %g +- %g", what, m, mu, Z999 * se_m);
  if (fabs(s2 - var) > Z999 * se_v + 1e-9 * (1 + var))
    fail_msg("%s: variance %g, expected %g +- %g", what, s2, var, Z999 * se_v);
}

static void size_distributions(void **st) {
  (void)st;
  enum { N = 4000 };
  static const struct {
    const char *size;
    double mean, var;
  } cases[] = {
      {"{ dist = \"uniform_int\"; min = 240; max = 350; }", 295, (111.0 * 111 - 1) / 12},
      {"{ dist = \"poisson\"; mean = 300.0; }", 300, 300},
      {"{ dist = \"binomial\"; n = 350; p = 0.8; }", 280, 56},
      {"{ dist = \"negative_binomial\"; n = 5.0; p = 0.02; }", 245, 12250},
      {"{ dist = \"empirical\"; values = [ 200, 300, 350 ]; weights = [ 1.0, 3.0, 2.0 ]; }", 300,
       (200.0 * 200 + 3 * 300.0 * 300 + 2 * 350.0 * 350) / 6 - 300.0 * 300},
      {"{ dist = \"deterministic\"; value = 77; }", 77, 0},
  };
  for (size_t c = 0; c < sizeof cases / sizeof cases[0]; c++) {
    char arr[512];
    snprintf(arr, sizeof arr,
             "process = \"schedule\"; period_h = 1.0; batches = ( { at_h = 0.0; size = %s; } );",
             cases[c].size);
    fx f;
    load_ok(&f, arr);
    rec r;
    run(f.sp, 11 + c, N * 60.0 - 1, &r);
    assert_int_equal(r.nb, N);
    assert_moments(r.size, r.nb, cases[c].mean, cases[c].var, cases[c].size);
    /* every item comes at its batch's time and carries its tag */
    long total = 0;
    for (size_t b = 0; b < r.nb; b++) total += r.size[b];
    assert_int_equal(r.ni, (size_t)total);
    for (size_t i = 0; i < r.ni; i++) assert_true(r.it[i] == r.bt[r.tag[i]]);
    rec_free(&r);
    unload(&f);
  }
}

/* The count_dist module alone agrees with its own mean and variance formulas. */
static void count_dist_moments(void **st) {
  (void)st;
  count_dist d;
  sim_error err = {0};
  assert_int_equal(
      count_dist_parse("{ dist = \"negative_binomial\"; n = 2.5; p = 0.3; }", &d, "cell", &err), 0);
  gsl_rng *g = rng_stream_new(5, 0, "count");
  enum { N = 20000 };
  long *x = malloc(N * sizeof *x);
  for (int i = 0; i < N; i++) x[i] = count_dist_sample(&d, g);
  assert_moments(x, N, count_dist_mean(&d), count_dist_var(&d), "negative_binomial(2.5, 0.3)");
  count_dist_deinit(&d);
  assert_int_equal(count_dist_parse("42", &d, "cell", &err), 0);
  assert_int_equal(count_dist_sample(&d, g), 42);
  assert_int_not_equal(count_dist_parse("{ dist = \"poisson\"; }", &d, "f.csv:3: size", &err), 0);
  assert_non_null(strstr(err.msg, "f.csv:3: size"));
  assert_non_null(strstr(err.msg, "needs mean"));
  free(x);
  gsl_rng_free(g);
}

/* spacing: the first item at the batch's time, then exponential gaps of mean 0.2 min. */
static void spacing_between_items(void **st) {
  (void)st;
  fx f;
  load_ok(&f, "process = \"schedule\"; period_h = 2.0; batches = ( { at_h = 0.5; size = 200; "
              "spacing = { dist = \"exponential\"; mean_s = 12.0; }; } );");
  rec r;
  run(f.sp, 3, 300 * 120.0, &r);
  assert_int_equal(r.nb, 300);
  long *gaps = malloc(r.ni * sizeof *gaps);
  double sum = 0, ss = 0;
  size_t ng = 0;
  for (size_t i = 0; i < r.ni; i++) {
    if (i == 0 || r.tag[i] != r.tag[i - 1]) {
      assert_true(r.it[i] == r.bt[r.tag[i]]); /* the first item leaves at the batch time */
      continue;
    }
    double g = r.it[i] - r.it[i - 1];
    sum += g, ss += g * g, ng++;
  }
  assert_int_equal(ng, 300 * 199);
  double m = sum / (double)ng, v = ss / (double)ng - m * m;
  if (fabs(m - 0.2) > Z999 * 0.2 / sqrt((double)ng)) fail_msg("gap mean %g, expected 0.2", m);
  /* exponential: variance mean^2, its standard error mean^2 sqrt(8 / n) */
  if (fabs(v - 0.04) > Z999 * 0.04 * sqrt(8.0 / (double)ng))
    fail_msg("gap variance %g, expected 0.04", v);
  free(gaps);
  rec_free(&r);
  unload(&f);
  /* a group-level spacing applies to batches that give none */
  load_ok(&f,
          "process = \"schedule\"; spacing = { dist = \"deterministic\"; value_min = 0.5; };"
          " batches = ( { at_h = 1.0; size = 4; }, { at_h = 3.0; size = 2; spread_min = 0.0; } );");
  run(f.sp, 3, 600, &r);
  static const double want[] = {60, 60.5, 61, 61.5, 180, 180};
  assert_int_equal(r.ni, 6);
  for (int i = 0; i < 6; i++) assert_true(fabs(r.it[i] - want[i]) < 1e-9);
  rec_free(&r);
  unload(&f);
}

/* A CSV size cell may hold a distribution group, commas inside braces included. */
static void csv_size_cells(void **st) {
  (void)st;
  const char *path = data_path("flights_dist.csv");
  fx f;
  load_ok(&f, "process = \"schedule\"; period_h = 24.0; csv = \"flights_dist.csv\";");
  rec r;
  run(f.sp, 9, 400 * 1440.0, &r);
  assert_int_equal(r.nb, 1200);
  for (size_t b = 0; b < r.nb; b += 3) {
    assert_true(r.size[b] >= 3 && r.size[b] <= 5);
    assert_true(r.size[b + 1] == 1 || r.size[b + 1] == 7);
    assert_int_equal(r.size[b + 2], 20);
  }
  rec_free(&r);
  unload(&f);
  char want[600];
  snprintf(want, sizeof want, "%s:3: size", data_path("flights_bad_dist.csv"));
  expect_error("process = \"schedule\"; csv = \"flights_bad_dist.csv\";", want);
  expect_error("process = \"schedule\"; csv = \"flights_bad_dist.csv\";",
               "unknown count distribution 'poison'");
  (void)path;
}

static void batch_counts(void **st) {
  (void)st;
  fx f;
  load_ok(&f, "process = \"schedule\"; period_h = 24.0; batches = ( { at_h = 1.0; size = 3; }, "
              "{ at_h = 13.0; size = 3; } );");
  assert_int_equal(arrivals_spec_batches(f.sp, 0, 1440), 2);
  assert_int_equal(arrivals_spec_batches(f.sp, 60, 7 * 1440), 14);
  assert_int_equal(arrivals_spec_batches(f.sp, 61, 7 * 1440 + 60), 13);
  assert_int_equal(arrivals_spec_batches(f.sp, 61, 7 * 1440 + 61), 14);
  unload(&f);
  load_ok(&f, "process = \"schedule\"; batches = ( { at_h = 2.0; size = 3; } );");
  assert_int_equal(arrivals_spec_batches(f.sp, 0, 120), 0);
  assert_int_equal(arrivals_spec_batches(f.sp, 120, 121), 1);
  unload(&f);
}

static void bad_values(void **st) {
  (void)st;
  const char *sched = "process = \"schedule\"; batches = ( { at_h = 1.0; ";
  char arr[512];
#define BAD(tail, want)                                                                            \
  do {                                                                                             \
    snprintf(arr, sizeof arr, "%s%s } );", sched, tail);                                           \
    expect_error(arr, want);                                                                       \
  } while (0)
  BAD("size = { dist = \"uniform_int\"; min = 9; max = 3; };", "min <= max");
  BAD("size = { dist = \"binomial\"; n = 10; p = 1.5; };",
      "channels.c.arrivals.batches[0].size.p: must be a number in [0, 1]");
  BAD("size = { dist = \"poisson\"; mean = 3.0; sd = 1.0; };",
      "unknown key for the poisson distribution");
  BAD("size = { dist = \"zipf\"; };", "unknown count distribution 'zipf'");
  BAD("size = { dist = \"uniform_int\"; min = 1.5; max = 3; };", "must be a whole number");
  BAD("size = 3.5;", "must be a whole number or a count distribution group");
  BAD("size = 3; spread_min = 2.0; spacing = { dist = \"exponential\"; mean_min = 1.0; };",
      "give spread_min or spacing, not both");
  BAD("size = 3; spacing = { dist = \"exponential\"; };", "needs mean_min");
#undef BAD
}

/* Every (Poisson(7) + 1)-th item: the counts k between selected items are 1 + Poisson(7),
 * mean 8 and variance 7, so the selected share tends to 1/8. */
static void every_kth_rule(void **st) {
  (void)st;
  enum { N = 400000 };
  count_dist gap;
  sim_error err = {0};
  assert_int_equal(count_dist_parse("{ dist = \"poisson\"; mean = 7.0; }", &gap, "gap", &err), 0);
  selection_every *e = selection_every_new(&gap, 1, &err);
  assert_non_null(e);
  gsl_rng *g = rng_stream_new(21, 0, "selection:check");
  long *k = malloc(N * sizeof *k), last = 0;
  size_t nk = 0;
  for (long i = 1; i <= N; i++)
    if (selection_every_next(e, g)) k[nk++] = i - last, last = i;
  assert_moments(k, nk, 8, 7, "every (Poisson(7) + 1)-th: k");
  double share = (double)nk / N,
         se = sqrt(7.0 / 512 / N); /* renewal: var(count)/N = var(k)/mean^3 */
  if (fabs(share - 0.125) > Z999 * se)
    fail_msg("selected share %g, expected 1/8 +- %g", share, Z999 * se);
  selection_every_free(e);
  count_dist_deinit(&gap);
  /* a fixed gap: every (2 + 3)-th exactly; gap 0 and offset 0: every item */
  count_dist two = count_dist_fixed(2);
  e = selection_every_new(&two, 3, &err);
  for (long i = 1; i <= 100; i++) assert_int_equal(selection_every_next(e, g), i % 5 == 0);
  selection_every_free(e);
  e = selection_every_new(NULL, 0, &err);
  for (int i = 0; i < 10; i++) assert_int_equal(selection_every_next(e, g), 1);
  selection_every_free(e);
  free(k);
  gsl_rng_free(g);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(size_distributions),    cmocka_unit_test(count_dist_moments),
      cmocka_unit_test(spacing_between_items), cmocka_unit_test(csv_size_cells),
      cmocka_unit_test(batch_counts),          cmocka_unit_test(bad_values),
      cmocka_unit_test(every_kth_rule),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
