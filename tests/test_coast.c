/* test_coast: the coast model against search theory and exact cases. Each share is
 * pooled over the attempts that ended in every replication (independent Bernoulli
 * trials, since each attempt draws its own detection threshold) and must lie within
 * the 99.9% binomial interval (z = 3.29) of the theoretical probability:
 *  - one drone that never rests, random search, fixed exposure t: 1 - exp(-W v t / A)
 *    for several W v t / A;
 *  - endurance 1 h and recharge 0.5 h with t = 3 h (two whole cycles, so every attempt
 *    sees exactly 2 h of search whatever its phase): 1 - exp(-W v t d / A), d = 2/3;
 *  - weather drawn every tau = t hours grounds the drone with q = P(wind > limit) =
 *    exp(-pi L^2 / (4 m^2)) (Rayleigh): an attempt at a uniform phase sees two periods,
 *    so P = 1 - [q^2 + 2 q (1 - q)(1 - e^-c) / c + (1 - q)^2 e^-c], c = W v tau / A;
 *  - a satellite passing every hour sees an attempt at sea for 3 h in exactly 3 passes:
 *    1 - (1 - pd (1 - cloud))^3;
 *  - interdiction: every attempt is seen at a uniform moment of its exposure t and a
 *    boat needs T to reach it; it is interdicted when it is seen before t - T: 1 - T / t;
 *    the rest land;
 *  - a typhoon grounds the drone and keeps half of the boats in, a staff shortage keeps
 *    the drone without its pilot, a monthly profile puts all attempts in January. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>

#include <cmocka.h>

#include "models/coast.h"
#include "tests/sim_helpers.h"

#define Z 3.29

static const char *port_part = "run = { days = 200.0; warmup_days = 0.5; };\n"
                               "channels = { c0 = { arrivals = { process = \"poisson\"; "
                               "rate_per_hour = 0.1; }; route = [ \"s0\" ]; }; };\n"
                               "stations = { s0 = { servers = 1; service = { dist = "
                               "\"exponential\"; mean_min = 1.0; }; }; };\n";

/* Runs name + the port part + extra; reps replications. */
static void run(th_run *t, const char *extra, int reps) {
  char text[8192];
  snprintf(text, sizeof text, "name = \"coast\";\n%s%s", port_part, extra);
  assert_int_equal(th_run_text(t, text, reps, 7), 0);
}

/* The shares of zone z pooled over replications: seen, interdicted; n ended. */
static void pooled(const th_run *t, int z, double *seen, double *inter, double *n) {
  double s = 0, i = 0, e = 0;
  for (int r = 0; r < t->reps; r++) {
    const kpi_zone *k = &t->runs[r].zone[z];
    assert_int_equal(k->in_progress_start + k->attempts,
                     k->interdicted + k->landed + k->in_progress_end);
    s += (double)(k->interdicted + k->landed_detected);
    i += (double)k->interdicted;
    e += (double)(k->interdicted + k->landed);
  }
  *seen = s / e;
  *inter = i / e;
  *n = e;
}

static void within(const char *what, double got, double p, double n) {
  double half = Z * sqrt(p * (1 - p) / n);
  print_message("%-44s %.4f  theory %.4f  +- %.4f (n = %.0f)\n", what, got, p, half, n);
  assert_true(fabs(got - p) <= half);
}

/* When the weather or a cloudy pass is shared by the attempts at sea at the time, their
 * outcomes are not independent: the interval is then Student's t over replications,
 * each an independent run, of the replication's share. */
static void within_reps(const char *what, const th_run *t, int z, double p) {
  double x[64], mean, sd = 0;
  int n = t->reps < 64 ? t->reps : 64;
  for (int r = 0; r < n; r++) {
    const kpi_zone *k = &t->runs[r].zone[z];
    x[r] = k->detect_share;
  }
  mean = 0;
  for (int r = 0; r < n; r++) mean += x[r] / n;
  for (int r = 0; r < n; r++) sd += (x[r] - mean) * (x[r] - mean) / (n - 1);
  double half = gsl_cdf_tdist_Pinv(0.9995, n - 1) * sqrt(sd / n);
  print_message("%-44s %.4f  theory %.4f  +- %.4f (99.9%%, %d replications)\n", what, mean, p, half,
                n);
  assert_true(fabs(mean - p) <= half);
}

static const char *zone_3h =
    "coast = { zones = { sado = { area_km2 = 300.0; attempts = { rate_per_day = 48.0; };\n"
    "  exposure = { dist = \"deterministic\"; value_h = 3.0; }; }; };\n";

static void random_search_law(void **s) {
  (void)s;
  const double widths[] = {0.5, 1.0, 2.0, 4.0};
  for (int k = 0; k < 4; k++) {
    char extra[2048];
    snprintf(extra, sizeof extra,
             "%s assets = { d1 = { type = \"drone\"; zone = \"sado\"; speed_kmh = 60.0; "
             "sweep_width_km = %g;\n"
             "  endurance_h = 0.0; recharge_h = 0.0; }; }; };\n",
             zone_3h, widths[k]);
    th_run t;
    run(&t, extra, 2);
    double seen, inter, n, c = widths[k] * 60 * 3 / 300;
    pooled(&t, 0, &seen, &inter, &n);
    char what[80];
    snprintf(what, sizeof what, "never rests, W v t / A = %.2f", c);
    within(what, seen, 1 - exp(-c), n);
    assert_true(fabs(t.runs[0].asset[0].utilization - 1) < 1e-12);
    assert_true(fabs(t.runs[0].zone[0].coverage_per_h - widths[k] * 60 / 300) < 1e-9);
    th_free(&t);
  }
}

static void duty_fraction(void **s) {
  (void)s;
  const double widths[] = {1.0, 3.0};
  for (int k = 0; k < 2; k++) {
    char extra[2048];
    snprintf(extra, sizeof extra,
             "%s assets = { d1 = { type = \"drone\"; zone = \"sado\"; speed_kmh = 60.0; "
             "sweep_width_km = %g;\n"
             "  endurance_h = 1.0; recharge_h = 0.5; wind_limit_ms = 12.0; }; }; };\n",
             zone_3h, widths[k]);
    th_run t;
    run(&t, extra, 2);
    double seen, inter, n, c = widths[k] * 60 * 3 / 300;
    pooled(&t, 0, &seen, &inter, &n);
    char what[80];
    snprintf(what, sizeof what, "endurance 1 h, recharge 0.5 h, W v t / A = %.1f", c);
    within(what, seen, 1 - exp(-c * 2.0 / 3.0), n);
    assert_true(fabs(t.runs[0].asset[0].availability - 2.0 / 3.0) < 1e-3);
    th_free(&t);
  }
}

static void weather_grounding(void **s) {
  (void)s;
  char extra[2048];
  snprintf(extra, sizeof extra,
           "coast = { weather = { period_h = 3.0; wind_mean_ms = [ 10.0 ]; };\n"
           "  zones = { sado = { area_km2 = 300.0; attempts = { rate_per_day = 48.0; };\n"
           "  exposure = { dist = \"deterministic\"; value_h = 3.0; }; }; };\n"
           "  assets = { d1 = { type = \"drone\"; zone = \"sado\"; speed_kmh = 60.0; "
           "sweep_width_km = 2.0;\n"
           "  endurance_h = 0.0; recharge_h = 0.0; wind_limit_ms = 10.0; }; }; };\n");
  th_run t;
  run(&t, extra, 20);
  double c = 2.0 * 60 * 3 / 300, q = exp(-M_PI / 4);
  double miss = q * q + 2 * q * (1 - q) * (1 - exp(-c)) / c + (1 - q) * (1 - q) * exp(-c);
  within_reps("grounded above 10 m/s (q = exp(-pi/4))", &t, 0, 1 - miss);
  double grounded = 0, span = 0;
  for (int r = 0; r < t.reps; r++) grounded += t.runs[r].asset[0].grounded_h, span += 200 * 24;
  within("share of time grounded", grounded / span, q, span / 3); /* independent 3 h periods */
  th_free(&t);
}

static void satellite_passes(void **s) {
  (void)s;
  char extra[2048];
  snprintf(extra, sizeof extra,
           "%s assets = { s1 = { type = \"satellite\"; zone = \"sado\"; revisit_h = 1.0; pd_pass = "
           "0.3;\n"
           "  cloud_share = [ 0.2 ]; }; }; };\n",
           zone_3h);
  th_run t;
  run(&t, extra, 20);
  within_reps("satellite every hour, pd 0.3, cloud 0.2", &t, 0, 1 - pow(1 - 0.3 * 0.8, 3));
  th_free(&t);
}

static void interdiction(void **s) {
  (void)s;
  th_run t;
  run(&t,
      "coast = { zones = { sado = { area_km2 = 0.01; attempts = { rate_per_day = 36.0; };\n"
      "  exposure = { dist = \"deterministic\"; value_h = 3.0; }; }; };\n"
      "  assets = { r1 = { type = \"radar\"; zone = \"sado\"; law = \"definite\"; range_km = 1.0; "
      "};\n"
      "    b1 = { type = \"boat\"; zone = \"sado\"; count = 20; patrol = false; speed_kmh = 10.0; "
      "sweep_width_km = 0.05;\n"
      "      base_km = 10.0; launch_h = 0.0; handle_h = 0.1; }; }; };\n",
      2);
  double seen, inter, n, travel = 1 + 0.383 * 0.1 / 10; /* mean centre-to-point: 0.383 x side */
  pooled(&t, 0, &seen, &inter, &n);
  within("every attempt seen", seen, 1 - 1e-12, n);
  within("interdicted: seen before t - T (T = 1 h, t = 3 h)", inter, 1 - travel / 3, n);
  const kpi_zone *z = &t.runs[0].zone[0];
  print_message("response %.4f h (travel %.4f h), landed %lld (all seen)\n", z->response_mean_h,
                travel, (long long)z->landed);
  assert_true(fabs(z->response_mean_h - travel) < 5e-4); /* sd of the mean about 2e-5 h */
  assert_int_equal(z->landed, z->landed_detected);
  assert_int_equal(t.runs[0].asset[1].interdictions, z->interdicted);
  th_free(&t);
}

/* Samples of asset a's units out whose interval lies within (from_h, to_h]. */
static double most_out(const th_run *t, int a, double from_h, double to_h) {
  const kpi_run *k = &t->runs[0];
  double m = 0;
  for (size_t i = 1; i < k->nsamples; i++)
    if (k->t_h[i - 1] >= from_h && k->t_h[i] <= to_h)
      m = fmax(m, k->aloft[(size_t)a * k->nsamples + i]);
  return m;
}

static void typhoon_and_shortage(void **s) {
  (void)s;
  th_run t;
  run(&t,
      "output = { sample_min = 60.0; };\n"
      "staff = { pilots = { size = 1; }; };\n"
      "coast = { zones = { sado = { area_km2 = 300.0; attempts = { rate_per_day = 4.0; };\n"
      "  exposure = { dist = \"deterministic\"; value_h = 3.0; }; }; };\n"
      "  assets = { d1 = { type = \"drone\"; zone = \"sado\"; sweep_width_km = 1.0; pool = "
      "\"pilots\"; };\n"
      "    b1 = { type = \"boat\"; zone = \"sado\"; count = 2; speed_kmh = 30.0; sweep_width_km = "
      "2.0;\n"
      "      endurance_h = 0.0; }; }; };\n"
      "disruptions = { storm = { kind = \"typhoon\"; start_h = 48.0; duration_h = 24.0; level = "
      "0.5;\n"
      "    targets = [ \"sado\" ]; };\n"
      "  flu = { kind = \"staff_shortage\"; start_h = 200.0; duration_h = 100.0; level = 0.0; "
      "targets = [ \"pilots\" ]; }; };\n",
      1);
  double before = most_out(&t, 0, 24, 47), during = most_out(&t, 0, 48, 72);
  double boats = most_out(&t, 1, 48, 72), boats_before = most_out(&t, 1, 24, 47);
  double short_d = most_out(&t, 0, 201, 300), after = most_out(&t, 0, 310, 400);
  print_message("drone out: %.2f before, %.2f in the typhoon, %.2f in the shortage, %.2f after; "
                "boats out %.2f before, %.2f in the typhoon\n",
                before, during, short_d, after, boats_before, boats);
  assert_true(before > 0.5 && after > 0.5);
  assert_true(during == 0 && short_d == 0);
  assert_true(boats_before > 1.99 && boats <= 1.0 + 1e-9 && boats > 0.99);
  const kpi_asset *d = &t.runs[0].asset[0];
  assert_true(d->crew_short_h > 98 && d->crew_short_h < 101);
  print_message("drone: %.2f h short of its pilot, %.2f h grounded\n", d->crew_short_h,
                d->grounded_h);
  assert_true(d->grounded_h > 23.49 && d->grounded_h < 24.01); /* a recharge may open the window */
  th_free(&t);
}

static void monthly_profile(void **s) {
  (void)s;
  th_run t;
  assert_int_equal(
      th_run_text(&t,
                  "name = \"coast\"; run = { start = \"2025-01-01T00:00\"; days = 59.0; };\n"
                  "channels = { c0 = { arrivals = { process = \"poisson\"; rate_per_hour = 0.1; }; "
                  "route = [ \"s0\" ]; }; };\n"
                  "stations = { s0 = { servers = 1; }; };\n"
                  "coast = { zones = { z = { area_km2 = 10.0; attempts = { process = \"profile\"; "
                  "rate_per_day = 2.0;\n"
                  "  monthly = [ 1.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0 ]; };\n"
                  "  exposure = { dist = \"exponential\"; mean_h = 1.0; }; }; }; };\n",
                  3, 5),
      0);
  double sum = 0, want = 3 * 2.0 * 12 * 31; /* all of a year's rate in January */
  for (int r = 0; r < 3; r++) sum += (double)t.runs[r].zone[0].attempts;
  print_message("attempts %.0f, expected %.0f +- %.0f\n", sum, want, Z * sqrt(want));
  assert_true(fabs(sum - want) <= Z * sqrt(want));
  th_free(&t);
}

/* Underwater drones searching hulls (station type hull): every item is searched for
 * 0.5 h; one carrying contraband is found with pd = 0.7, whatever the amount, and no
 * clean one alarms. (Passenger items stand in for vessels: their generator has the
 * highest contraband rate, so the test needs fewer items.) */
static void hull_search(void **s) {
  (void)s;
  th_run t;
  assert_int_equal(
      th_run_text(
          &t,
          "name = \"hull\"; run = { days = 60.0; }; output = { items = true; sample_min = 0.0; };\n"
          "channels = { vessels = { kind = \"passengers_in\"; fraud_scale = 99.0;\n"
          "  arrivals = { process = \"poisson\"; rate_per_hour = 300.0; }; route = [ \"uuv\" ]; }; "
          "};\n"
          "stations = { uuv = { type = \"hull\"; servers = 300; service = { dist = "
          "\"deterministic\"; value_h = 0.5; };\n"
          "  kernel_params = { pd = 0.7; }; }; };\n",
          1, 3),
      0);
  FILE *f = t.runs[0].items;
  assert_non_null(f);
  rewind(f);
  kpi_item it;
  double with = 0, found = 0, clean_found = 0;
  while (fread(&it, sizeof it, 1, f) == 1) {
    if (it.contraband)
      with++, found += it.found;
    else
      clean_found += it.found;
  }
  within("hull search: cargo found on hulls that carry it", found / with, 0.7, with);
  assert_true(clean_found == 0);
  const kpi_station *st = &t.runs[0].st[0];
  print_message("hull station: %lld searched, busy %.2f of 300 (load 300/h x 0.5 h = 150)\n",
                (long long)st->served, st->busy_mean);
  assert_true(fabs(st->busy_mean - 150) < 2);
  th_free(&t);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(random_search_law), cmocka_unit_test(duty_fraction),
      cmocka_unit_test(weather_grounding), cmocka_unit_test(satellite_passes),
      cmocka_unit_test(interdiction),      cmocka_unit_test(typhoon_and_shortage),
      cmocka_unit_test(monthly_profile),   cmocka_unit_test(hull_search),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
