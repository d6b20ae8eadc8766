/* arrivals_fx: the fixture of the arrival tests (test_arrivals.c, test_arrivals_errors.c):
 * a scenario text whose channel c takes the arrivals under test, a run that records
 * every arrival, and the 99.9% bounds (Poisson, chi-square) its figures are held to.
 * Functions are static inline so that each test program takes only what it uses. */
#ifndef TESTS_ARRIVALS_FX_H
#define TESTS_ARRIVALS_FX_H

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <gsl/gsl_cdf.h>

#include "models/arrivals.h"
#include "models/scenario/schema.h"
#include "models/timecal.h"
#include "sim/rng.h"

#define DAY 1440.0
#define Z999 3.2905 /* two-sided 99.9% normal quantile */

/* ---- scenario text: arrivals of channel c on line 4, extra root text on line 6 ---- */

static inline const char *data_dir_file(const char *name) {
  static char cfg_file[256];
  const char *slash = strrchr(__FILE__, '/');
  snprintf(cfg_file, sizeof cfg_file, "%.*sdata/%s", slash ? (int)(slash - __FILE__ + 1) : 0,
           __FILE__, name);
  return cfg_file;
}

typedef struct fx {
  config_t cfg;
  arrivals_spec *sp;
  sim_error err;
  int rc;
} fx;

/* Loads the scenario, validates it and reads channel c; rc and err tell how it went. */
static inline int load(fx *f, const char *start, const char *arr, const char *extra) {
  char text[4096];
  const char *file = data_dir_file("test.cfg");
  snprintf(text, sizeof text,
           "name = \"t\"; stations = { s = { servers = 1; service = { dist = \"exponential\"; "
           "mean_min = 1.0; }; }; };\n"
           "run = { start = \"%s\"; };\n"
           "channels = { c = { route = [ \"s\" ]; arrivals = {\n"
           "%s\n"
           "}; }; d = { route = [ \"s\" ]; arrivals = { process = \"poisson\"; rate_per_hour = "
           "50.0; }; }; };\n"
           "%s\n",
           start, arr, extra ? extra : "");
  memset(f, 0, sizeof *f);
  config_init(&f->cfg);
  if (config_read_string(&f->cfg, text) != CONFIG_TRUE)
    fail_msg("libconfig: line %d: %s", config_error_line(&f->cfg), config_error_text(&f->cfg));
  f->rc = schema_validate(&f->cfg, file, &f->err);
  if (!f->rc)
    f->rc = arrivals_spec_read(&f->sp, config_lookup(&f->cfg, "channels.c.arrivals"),
                               config_root_setting(&f->cfg), "c", NULL, file, &f->err);
  return f->rc;
}

static inline void load_ok(fx *f, const char *start, const char *arr, const char *extra) {
  if (load(f, start, arr, extra)) fail_msg("unexpected error: %s", f->err.msg);
}

static inline void unload(fx *f) {
  arrivals_spec_free(f->sp);
  config_destroy(&f->cfg);
}

/* An error whose message contains `want`. */
static inline void expect_error(const char *start, const char *arr, const char *extra,
                                const char *want) {
  fx f;
  if (!load(&f, start, arr, extra)) fail_msg("accepted; expected an error with '%s'", want);
  if (!strstr(f.err.msg, want)) fail_msg("message '%s' lacks '%s'", f.err.msg, want);
  assert_int_equal(f.rc, SIM_EINVAL);
  unload(&f);
}

/* ---- running ---- */

typedef struct rec {
  sim *s;
  arrivals *a;
  double *t;
  int32_t *origin;
  size_t n, cap;
  long stop_after; /* > 0: set the factor to 0 at this arrival (from inside the event) */
} rec;

static inline void on_arrival(void *ctx, int channel, int32_t origin) {
  rec *r = ctx;
  assert_int_equal(channel, 7);
  if (r->n == r->cap) {
    r->cap = r->cap ? r->cap * 2 : 1024;
    r->t = realloc(r->t, r->cap * sizeof *r->t);
    r->origin = realloc(r->origin, r->cap * sizeof *r->origin);
    assert_non_null(r->t);
    assert_non_null(r->origin);
  }
  r->t[r->n] = sim_now(r->s);
  r->origin[r->n++] = origin;
  if (r->stop_after > 0 && (long)r->n == r->stop_after) arrivals_set_factor(r->a, 0);
}

typedef struct run {
  sim *s;
  gsl_rng *g;
  rec r;
} run;

static inline void run_start(run *x, const arrivals_spec *sp, uint64_t seed) {
  memset(x, 0, sizeof *x);
  x->s = sim_new();
  x->g = rng_stream_new(seed, 0, "arrivals:c");
  x->r.s = x->s;
  assert_int_equal(arrivals_new(&x->r.a, sp, x->s, x->g, 7, on_arrival, &x->r), 0);
}

static inline void run_end(run *x) {
  arrivals_free(x->r.a);
  sim_free(x->s);
  gsl_rng_free(x->g);
  free(x->r.t);
  free(x->r.origin);
}

static inline void run_for(const arrivals_spec *sp, uint64_t seed, double t_end, run *x) {
  run_start(x, sp, seed);
  sim_run_until(x->s, t_end, 0);
}

/* |observed - expected| within the 99.9% normal approximation of a Poisson count. */
static inline void assert_poisson(double obs, double exp_, const char *what) {
  double hw = Z999 * sqrt(exp_) + 1;
  if (fabs(obs - exp_) > hw) fail_msg("%s: %g arrivals, expected %g +- %g", what, obs, exp_, hw);
}

/* Chi-square over bins with positive expectation: below the 99.9% quantile. Bins with
 * expectation 0 must be empty. Each bin also within its Bonferroni 99.9% bound. */
static inline void assert_bins(const double *obs, const double *exp_, int n, const char *what) {
  double chi2 = 0, z = gsl_cdf_ugaussian_Qinv(0.0005 / n);
  int df = 0;
  for (int i = 0; i < n; i++) {
    if (exp_[i] == 0) {
      if (obs[i] != 0) fail_msg("%s bin %d: %g arrivals where the rate is 0", what, i, obs[i]);
      continue;
    }
    chi2 += (obs[i] - exp_[i]) * (obs[i] - exp_[i]) / exp_[i];
    df++;
    if (fabs(obs[i] - exp_[i]) > z * sqrt(exp_[i]) + 1)
      fail_msg("%s bin %d: %g arrivals, expected %g", what, i, obs[i], exp_[i]);
  }
  double lim = gsl_cdf_chisq_Qinv(0.001, df);
  if (chi2 > lim) fail_msg("%s: chi-square %g > %g (df %d)", what, chi2, lim, df);
}

static inline double start_epoch(const char *iso) {
  double e;
  assert_int_equal(timecal_parse(iso, &e), 0);
  return e;
}

#endif
