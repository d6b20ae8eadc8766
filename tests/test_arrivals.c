/* test_arrivals: arrival processes against theory with fixed seeds. Profiles (hour of
 * day, day of week, holidays and peaks), surges, schedules with batches and load
 * factors, CSV schedules, the volume factor, reproducibility and candidates drawn ahead
 * on another thread; the one-line errors for
 * bad values are in test_arrivals_errors.c. Bounds are 99.9% ones (Poisson, chi-square,
 * normal), so a fixed seed that passes keeps passing. The fixture is tests/arrivals_fx.h. */
#include "tests/arrivals_fx.h"
#include "models/itemfeed.h"

/* ---- profiles ---- */

static void profile_hour_of_day(void **s) {
  (void)s;
  static const double h[24] = {1, 1, 1, 1, 1, 2, 4, 6, 8, 8, 6, 5,
                               5, 5, 6, 7, 8, 8, 6, 4, 3, 2, 1, 0};
  const char *start = "2024-11-25T07:30"; /* hour bins follow the calendar, not the run */
  const int days = 120;
  fx f;
  load_ok(
      &f, start,
      "process = \"profile\"; rate_per_hour = 120.0; hourly = [1.0, 1.0, 1.0, 1.0, 1.0, 2.0, "
      "4.0, 6.0, 8.0, 8.0, 6.0, 5.0, 5.0, 5.0, 6.0, 7.0, 8.0, 8.0, 6.0, 4.0, 3.0, 2.0, 1.0, 0.0];",
      NULL);
  run x;
  run_for(f.sp, 11, days * DAY, &x);
  double obs[24] = {0}, exp_[24], sum = 0, e0 = start_epoch(start);
  for (int i = 0; i < 24; i++) sum += h[i];
  for (int i = 0; i < 24; i++) exp_[i] = 120.0 * h[i] * 24 / sum * days;
  for (size_t i = 0; i < x.r.n; i++) {
    timecal_fields c;
    timecal_fields_of(e0 + x.r.t[i], &c);
    obs[c.hour]++;
    assert_int_equal(x.r.origin[i], -1);
  }
  assert_bins(obs, exp_, 24, "hour of day");
  assert_true(fabs(arrivals_spec_mean_rate(f.sp, 0, 7 * DAY) - 120) < 1e-9);
  assert_string_equal(arrivals_spec_process(f.sp), "profile");
  run_end(&x);
  unload(&f);
}

static void profile_day_of_week(void **s) {
  (void)s;
  static const double w[7] = {1, 1, 1, 1, 1.5, 2, 0.5};
  const int weeks = 40;
  fx f;
  load_ok(
      &f, "2024-11-25T00:00",
      "process = \"profile\"; rate_per_hour = 60.0; weekly = [1.0, 1.0, 1.0, 1.0, 1.5, 2.0, 0.5];",
      NULL);
  run x;
  run_for(f.sp, 12, weeks * 7 * DAY, &x);
  double obs[7] = {0}, exp_[7];
  for (int i = 0; i < 7; i++) exp_[i] = 60.0 * 24 * weeks * w[i] * 7 / 8.0;
  for (size_t i = 0; i < x.r.n; i++) obs[(long)floor(x.r.t[i] / DAY) % 7]++; /* day 0 is a Monday */
  assert_bins(obs, exp_, 7, "day of week");
  run_end(&x);
  unload(&f);
}

/* holiday_factor 0 closes holidays, peak_factor 2 doubles Dec 29 - Jan 3. */
static void holidays_and_peaks(void **s) {
  (void)s;
  const char *start = "2024-12-20T00:00";
  const int days = 30;
  fx f;
  load_ok(&f, start,
          "process = \"profile\"; rate_per_hour = 60.0; holiday_factor = 0.0; peak_factor = 2.0;",
          NULL);
  run x;
  run_for(f.sp, 13, days * DAY, &x);
  double count[30] = {0}, e0 = start_epoch(start), mult_sum = 0;
  for (size_t i = 0; i < x.r.n; i++) count[(int)(x.r.t[i] / DAY)]++;
  for (int d = 0; d < days; d++) {
    timecal_fields c;
    timecal_fields_of(e0 + d * DAY, &c);
    double m = timecal_is_holiday(c.year, c.month, c.day)       ? 0
               : timecal_is_peak_season(c.year, c.month, c.day) ? 2
                                                                : 1;
    if (m == 0) assert_true(count[d] == 0);
    assert_poisson(count[d], 60.0 * 24 * m, "day");
    mult_sum += m;
  }
  assert_true(count[12] == 0 && count[24] == 0); /* 2025-01-01 and Coming of Age Day 01-13 */
  assert_true(fabs(arrivals_spec_mean_rate(f.sp, 0, days * DAY) - 60.0 * mult_sum / days) < 1e-9);
  run_end(&x);
  unload(&f);
}

/* ---- surges ---- */

static const char *const surge_express =
    "surges = { sale = { channels = [ \"c\" ]; from = \"2024-12-01\"; to = \"2024-12-14\"; factor "
    "= 3.0; }; };";

static void surge_triples_its_window(void **s) {
  (void)s;
  fx f;
  load_ok(&f, "2024-11-25T00:00", "process = \"poisson\"; rate_per_hour = 100.0;", surge_express);
  run x;
  run_for(f.sp, 14, 35 * DAY, &x);
  double in = 0, out = 0, day[35] = {0};
  for (size_t i = 0; i < x.r.n; i++) {
    int d = (int)(x.r.t[i] / DAY);
    day[d]++;
    if (d >= 6 && d < 20) in++; else out++;
  }
  assert_poisson(out, 100.0 * 24 * 21, "outside the surge");
  double ratio = (in / 14) / (out / 21), hw = Z999 * sqrt(1 / in + 1 / out);
  if (fabs(log(ratio / 3)) > hw) fail_msg("surge ratio %g, expected 3 (log hw %g)", ratio, hw);
  assert_poisson(day[19], 300.0 * 24, "2024-12-14, the last day (inclusive)");
  assert_poisson(day[20], 100.0 * 24, "2024-12-15, after the surge");
  assert_poisson(day[5], 100.0 * 24, "2024-11-30, before the surge");
  assert_true(fabs(arrivals_spec_mean_rate(f.sp, 6 * DAY, 20 * DAY) - 300) < 1e-9);
  assert_true(fabs(arrivals_spec_mean_rate(f.sp, 0, 6 * DAY) - 100) < 1e-9);
  run_end(&x);
  unload(&f);
  /* channel d is not named: its rate is unchanged */
  load_ok(&f, "2024-11-25T00:00", "process = \"poisson\"; rate_per_hour = 100.0;", surge_express);
  arrivals_spec *d = NULL;
  assert_int_equal(arrivals_spec_read(&d, config_lookup(&f.cfg, "channels.d.arrivals"),
                                      config_root_setting(&f.cfg), "d", NULL, "t.cfg", &f.err),
                   0);
  assert_true(fabs(arrivals_spec_mean_rate(d, 6 * DAY, 20 * DAY) - 50) < 1e-9);
  arrivals_spec_free(d);
  unload(&f);
}

static void surges_multiply(void **s) {
  (void)s;
  fx f;
  load_ok(
      &f, "2024-11-25T00:00", "process = \"poisson\"; rate_per_hour = 100.0;",
      "surges = { a = { from = \"2024-11-26T06:00\"; to = \"2024-11-26T18:00\"; factor = 2.0; };"
      " b = { channels = [ \"c\", \"d\" ]; from = \"2024-11-26\"; to = \"2024-11-26\"; factor = "
      "1.5; };"
      " shut = { channels = [ \"c\" ]; from = \"2024-11-28\"; to = \"2024-11-28T12:00\"; factor = "
      "0.0; }; };");
  assert_true(fabs(arrivals_spec_mean_rate(f.sp, DAY + 360, DAY + 1080) - 300) < 1e-9);
  assert_true(fabs(arrivals_spec_mean_rate(f.sp, DAY, DAY + 360) - 150) < 1e-9);
  assert_true(fabs(arrivals_spec_mean_rate(f.sp, DAY, 2 * DAY) - 225) < 1e-9);
  run x;
  run_for(f.sp, 15, 4 * DAY, &x);
  for (size_t i = 0; i < x.r.n; i++) assert_false(x.r.t[i] >= 3 * DAY && x.r.t[i] < 3 * DAY + 720);
  run_end(&x);
  unload(&f);
}

/* A surge scales a batch: factor 3 triples it exactly, 0.5 thins it binomially. */
static void surge_scales_batches(void **s) {
  (void)s;
  fx f;
  load_ok(&f, "2024-11-25T00:00",
          "process = \"schedule\"; batches = ( { at_h = 24.0; size = 1000; }, { at_h = 168.0; size "
          "= 1000; },"
          " { at_h = 192.0; size = 1000; }, { at_h = 552.0; size = 1000; } );",
          "surges = { sale = { channels = [ \"c\" ]; from = \"2024-12-01\"; to = \"2024-12-14\"; "
          "factor = 3.0; };"
          " dip = { from = \"2024-12-03\"; to = \"2024-12-03\"; factor = 0.5; }; };");
  run x;
  run_for(f.sp, 16, 30 * DAY, &x);
  double n[4] = {0};
  static const double t[4] = {1440, 10080, 11520, 33120};
  for (size_t i = 0; i < x.r.n; i++)
    for (int k = 0; k < 4; k++) n[k] += x.r.t[i] == t[k];
  assert_true(n[0] == 1000 && n[1] == 3000 && n[3] == 1000);
  /* 1.5 = one item each plus Binomial(1000, 0.5) */
  if (fabs(n[2] - 1500) > Z999 * sqrt(250) + 1) fail_msg("thinned batch of %g", n[2]);
  assert_true(fabs(arrivals_spec_mean_rate(f.sp, 0, 10 * DAY) - (1000 + 3000 + 1500) / 240.0) <
              1e-9);
  run_end(&x);
  unload(&f);
}

/* ---- schedules ---- */

static double mean_of(const double *v, int n) {
  double s = 0;
  for (int i = 0; i < n; i++) s += v[i];
  return s / n;
}

static void schedule_batches(void **s) {
  (void)s;
  enum { DAYS = 200 };
  fx f;
  load_ok(&f, "2024-11-25T00:00",
          "process = \"schedule\"; period_h = 24.0; batches = ( { at_h = 1.0; size = 100; "
          "spread_min = 30.0; },"
          " { at_h = 5.0; seats = 200; load_factor = 0.8; spread_min = 10.0; origin = \"PVG\"; },"
          " { at_h = 5.0; size = 5; origin = \"ICN\"; } );",
          NULL);
  assert_int_equal(arrivals_spec_origins(f.sp), 2);
  assert_string_equal(arrivals_spec_origin(f.sp, 0), "PVG");
  assert_string_equal(arrivals_spec_origin(f.sp, 1), "ICN");
  assert_null(arrivals_spec_origin(f.sp, 2));
  run x;
  run_for(f.sp, 17, DAYS * DAY, &x);
  double a[DAYS] = {0}, pvg[DAYS] = {0}, icn[DAYS] = {0}, off_sum = 0;
  for (size_t i = 0; i < x.r.n; i++) {
    int d = (int)(x.r.t[i] / DAY);
    double off = x.r.t[i] - d * DAY;
    if (x.r.origin[i] == -1) {
      assert_true(off >= 60 && off <= 90);
      off_sum += off - 60;
      a[d]++;
    } else if (x.r.origin[i] == 0) {
      assert_true(off >= 300 && off <= 310);
      pvg[d]++;
    } else {
      assert_true(off == 300);
      icn[d]++;
    }
  }
  for (int d = 0; d < DAYS; d++) assert_true(a[d] == 100 && icn[d] == 5 && pvg[d] <= 200);
  /* spread: uniform on [0, 30], mean 15, sd 30 / sqrt(12) */
  double m = off_sum / (100.0 * DAYS), se = 30 / sqrt(12.0) / sqrt(100.0 * DAYS);
  if (fabs(m - 15) > Z999 * se) fail_msg("spread mean %g", m);
  /* Binomial(200, 0.8): mean 160, variance 32 */
  double mp = mean_of(pvg, DAYS), var = 0;
  if (fabs(mp - 160) > Z999 * sqrt(32.0 / DAYS)) fail_msg("load-factor mean %g, expected 160", mp);
  for (int d = 0; d < DAYS; d++) var += (pvg[d] - mp) * (pvg[d] - mp) / (DAYS - 1);
  double q = (DAYS - 1) * var / 32;
  if (q < gsl_cdf_chisq_Pinv(0.0005, DAYS - 1) || q > gsl_cdf_chisq_Qinv(0.0005, DAYS - 1))
    fail_msg("load-factor variance %g, expected 32", var);
  assert_true(fabs(arrivals_spec_mean_rate(f.sp, 0, DAY) - 265 / 24.0) < 1e-9);
  run_end(&x);
  unload(&f);
}

static void csv_schedule(void **s) {
  (void)s;
  fx f;
  load_ok(&f, "2024-11-25T00:00",
          "process = \"schedule\"; csv = \"flights_ok.csv\"; spread_min = 20.0;"
          " batches = ( { at_h = 0.5; size = 7; origin = \"ICN\"; spread_min = 0.0; } );", NULL);
  assert_int_equal(arrivals_spec_origins(f.sp), 2); /* ICN, PVG; TPE's row is before the start */
  assert_string_equal(arrivals_spec_origin(f.sp, 0), "ICN");
  assert_string_equal(arrivals_spec_origin(f.sp, 1), "PVG");
  run x;
  run_for(f.sp, 18, 3 * DAY, &x);
  assert_int_equal(x.r.n, 7 + 120 + 80 + 10);
  int n[4] = {0};
  for (size_t i = 0; i < x.r.n; i++) {
    double t = x.r.t[i];
    int32_t o = x.r.origin[i];
    if (t == 30 && o == 0) n[0]++;
    else if (t >= 90 && t <= 110 && o == 1) n[1]++;
    else if (t >= 180 && t <= 200 && o == 0) n[2]++;
    else if (t >= 1560 && t <= 1580 && o == 1) n[3]++;
    else fail_msg("arrival at %g from origin %d", t, (int)o);
  }
  assert_true(n[0] == 7 && n[1] == 120 && n[2] == 80 && n[3] == 10);
  run_end(&x);
  unload(&f);
  /* seats and load factor, CRLF line ends, a spread_min column, repeated daily */
  load_ok(&f, "2024-11-25T00:00",
          "process = \"schedule\"; csv = \"flights_lf.csv\"; period_h = 24.0; spread_min = 5.0;",
          NULL);
  run_for(f.sp, 19, 100 * DAY, &x);
  for (size_t i = 0; i < x.r.n; i++) assert_true(fmod(x.r.t[i], DAY) == 30 && x.r.origin[i] == 0);
  if (fabs(x.r.n / 100.0 - 255) > Z999 * sqrt(300 * 0.85 * 0.15 / 100))
    fail_msg("mean load %g", x.r.n / 100.0);
  run_end(&x);
  unload(&f);
}

static void factor_closes_and_resumes(void **s) {
  (void)s;
  static const char *const procs[] = {
      "process = \"poisson\"; rate_per_hour = 60.0;",
      "process = \"profile\"; rate_per_hour = 60.0; weekly = [1, 1, 1, 1, 1, 1, 1];"};
  for (int p = 0; p < 2; p++) {
    fx f;
    load_ok(&f, "2024-11-25T00:00", procs[p], NULL);
    run x;
    run_start(&x, f.sp, 20 + (uint64_t)p);
    sim_run_until(x.s, 6000, 0);
    size_t n1 = x.r.n;
    assert_poisson((double)n1, 6000, "before closing");
    arrivals_set_factor(x.r.a, 0);
    assert_true(arrivals_factor(x.r.a) == 0);
    sim_run_until(x.s, 12000, 0);
    assert_int_equal(x.r.n, n1); /* closed */
    assert_int_equal(sim_pending(x.s), 0);
    arrivals_set_factor(x.r.a, 1);
    sim_run_until(x.s, 18000, 0);
    assert_poisson((double)(x.r.n - n1), 6000, "after reopening");
    assert_true(x.r.t[n1] > 12000);
    size_t n3 = x.r.n;
    arrivals_set_factor(x.r.a, 2);
    sim_run_until(x.s, 24000, 0);
    assert_poisson((double)(x.r.n - n3), 12000, "doubled");
    run_end(&x);
    unload(&f);
  }
}

/* Closing from inside an arrival (a disruption handler) stops at once. */
static void factor_from_inside_an_event(void **s) {
  (void)s;
  fx f;
  load_ok(&f, "2024-11-25T00:00", "process = \"poisson\"; rate_per_hour = 60.0;", NULL);
  run x;
  run_start(&x, f.sp, 21);
  x.r.stop_after = 100;
  sim_run_until(x.s, 100 * DAY, 0);
  assert_int_equal(x.r.n, 100);
  run_end(&x);
  unload(&f);
  /* schedules: factor 0 empties the batches while closed, and they come back */
  load_ok(&f, "2024-11-25T00:00",
          "process = \"schedule\"; period_h = 24.0; batches = ( { at_h = 12.0; size = 10; } );",
          NULL);
  run_start(&x, f.sp, 22);
  sim_run_until(x.s, DAY, 0);
  arrivals_set_factor(x.r.a, 0);
  sim_run_until(x.s, 3 * DAY, 0);
  arrivals_set_factor(x.r.a, 1);
  sim_run_until(x.s, 5 * DAY, 0);
  assert_int_equal(x.r.n, 30);
  assert_true(x.r.t[10] == 3 * DAY + 720);
  run_end(&x);
  unload(&f);
}

/* ---- reproducibility ---- */

static void same_seed_same_times(void **s) {
  (void)s;
  fx f;
  load_ok(&f, "2024-11-25T00:00",
          "process = \"profile\"; rate_per_hour = 30.0; weekly = [1, 1, 1, 1, 2, 3, 1];",
          surge_express);
  run x, y;
  run_for(f.sp, 42, 20 * DAY, &x);
  /* the same seed with a second channel on the same sim (its own stream) */
  run_start(&y, f.sp, 42);
  arrivals_spec *d = NULL;
  arrivals *ad = NULL;
  assert_int_equal(arrivals_spec_read(&d, config_lookup(&f.cfg, "channels.d.arrivals"),
                                      config_root_setting(&f.cfg), "d", NULL, "t.cfg", &f.err),
                   0);
  gsl_rng *gd = rng_stream_new(42, 0, "arrivals:d");
  rec rd = {.s = y.s};
  assert_int_equal(arrivals_new(&ad, d, y.s, gd, 7, on_arrival, &rd), 0);
  sim_run_until(y.s, 20 * DAY, 0);
  assert_true(x.r.n > 1000 && rd.n > 1000);
  assert_int_equal(x.r.n, y.r.n);
  assert_memory_equal(x.r.t, y.r.t, x.r.n * sizeof *x.r.t);
  arrivals_free(ad);
  arrivals_spec_free(d);
  gsl_rng_free(gd);
  free(rd.t);
  free(rd.origin);
  run_end(&y);
  run_for(f.sp, 43, 20 * DAY, &y); /* another seed: other times */
  assert_true(y.r.n != x.r.n || memcmp(x.r.t, y.r.t, x.r.n * sizeof *x.r.t));
  run_end(&x);
  run_end(&y);
  unload(&f);
}

/* ---- candidates drawn ahead (the item helper's thread) ---- */

static void ev_factor(sim *s, void *ctx, uint64_t quarters) {
  (void)s;
  arrivals_set_factor(ctx, (double)quarters / 4);
}

/* A run whose candidates are drawn in place or ahead on the helper, with the factor
 * set to q4[k] / 4 at times at[k]. */
static void run_ahead(const arrivals_spec *sp, int ahead, const double *at, const int *q4,
                      int nchg, long stop_after, run *x) {
  run_start(x, sp, 77);
  x->r.stop_after = stop_after;
  itemfeed *f = NULL;
  if (ahead) {
    f = itemfeed_new(0);
    assert_non_null(f);
    arrivals_ahead *ah = arrivals_ahead_new(x->r.a);
    assert_non_null(ah);
    assert_null(arrivals_ahead_new(x->r.a)); /* one maker a channel */
    sim_error e = {0};
    int id = itemfeed_add_stream(f, arrivals_ahead_size(), arrivals_ahead_make, ah, &e);
    assert_true(id >= 0);
    assert_int_equal(itemfeed_start(f, &e), SIM_OK);
    arrivals_ahead_use(x->r.a, f, id);
  }
  for (int k = 0; k < nchg; k++) sim_at(x->s, at[k], ev_factor, x->r.a, (uint64_t)q4[k]);
  sim_run_until(x->s, 20 * DAY, 0);
  itemfeed_free(f); /* before the arrivals: it draws from their copy of the stream */
}

/* Drawn ahead, the candidates are the same bit for bit: with hours of zero rate and
 * closed holidays (pauses after MAX_REJECT rejections), surges, factors changed by
 * events (closed, reopened, halved) and from inside an arrival. */
static void candidates_drawn_ahead(void **s) {
  (void)s;
  fx f;
  load_ok(&f, "2024-12-27T00:00",
          "process = \"profile\"; rate_per_hour = 600.0; holiday_factor = 0.0; "
          "hourly = [0, 0, 0, 0, 0, 1, 2, 3, 3, 3, 2, 2, 2, 2, 2, 2, 3, 3, 2, 1, 1, 0, 0, 0];",
          surge_express);
  static const double at[] = {3 * DAY, 4 * DAY + 17.25, 6 * DAY, 8.5 * DAY};
  static const int q4[] = {0, 4, 2, 4};
  const struct { int nchg; long stop; } cases[] = {{0, 0}, {4, 0}, {0, 5000}};
  for (size_t c = 0; c < sizeof cases / sizeof *cases; c++) {
    run x, y;
    run_ahead(f.sp, 0, at, q4, cases[c].nchg, cases[c].stop, &x);
    run_ahead(f.sp, 1, at, q4, cases[c].nchg, cases[c].stop, &y);
    assert_true(x.r.n > 4000);
    assert_int_equal(x.r.n, y.r.n);
    assert_memory_equal(x.r.t, y.r.t, x.r.n * sizeof *x.r.t);
    run_end(&x), run_end(&y);
  }
  /* nothing to draw ahead: a factor other than 1, or a schedule */
  run x;
  run_start(&x, f.sp, 78);
  arrivals_set_factor(x.r.a, 0.5);
  assert_null(arrivals_ahead_new(x.r.a));
  run_end(&x);
  unload(&f);
  load_ok(&f, "2024-11-25T00:00",
          "process = \"schedule\"; period_h = 24.0; batches = ( { at_h = 12.0; size = 10; } );",
          NULL);
  run_start(&x, f.sp, 79);
  assert_null(arrivals_ahead_new(x.r.a));
  run_end(&x);
  unload(&f);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(profile_hour_of_day),
      cmocka_unit_test(profile_day_of_week),
      cmocka_unit_test(holidays_and_peaks),
      cmocka_unit_test(surge_triples_its_window),
      cmocka_unit_test(surges_multiply),
      cmocka_unit_test(surge_scales_batches),
      cmocka_unit_test(schedule_batches),
      cmocka_unit_test(csv_schedule),
      cmocka_unit_test(factor_closes_and_resumes),
      cmocka_unit_test(factor_from_inside_an_event),
      cmocka_unit_test(same_seed_same_times),
      cmocka_unit_test(candidates_drawn_ahead),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
