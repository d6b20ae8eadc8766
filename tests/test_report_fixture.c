/* test_report_fixture: writes realistic sample result files through sim/recorder, in
 * the layout of results/README.md, for customs-report and tests/test_layout.py.
 *
 * REC_SAMPLE=a.h5 writes a baseline run, REC_SAMPLE_B=b.h5 a policy run with the same
 * seed and replications (common random numbers: compared pairwise), REC_SAMPLE_C=c.h5
 * the baseline again under another seed (compared with Welch's test). Without them the
 * test writes all three to a temporary directory, checks them and removes them. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <hdf5.h>

#include "sim/recorder.h"

enum { NREP = 5, NCH = 4, NST = 5, NPOOL = 2, NBIN = 48, STEPS = 4 * 24 * 7 };

typedef struct sample {
  uint64_t seed;
  double speedup; /* policy: 1.0 baseline, < 1 shortens service and waits */
  uint64_t rng;
} sample;

static double uniform(sample *s) {
  s->rng ^= s->rng << 13;
  s->rng ^= s->rng >> 7;
  s->rng ^= s->rng << 17;
  return (double)(s->rng >> 11) / 9007199254740992.0;
}

/* splitmix64 of (seed, stream), so neighbouring streams are unrelated. */
static void reseed(sample *s, uint64_t stream) {
  uint64_t z =
      s->seed * 0x9E3779B97F4A7C15ull + stream * 0xBF58476D1CE4E5B9ull + 0x94D049BB133111EBull;
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
  s->rng = (z ^ (z >> 31)) | 1u;
}

static const char *const kinds[] = {"generic", "passengers_in", "passengers_out", "express",
                                    "mail", "air_cargo", "sea_containers", "exports"};
static const char *const ch_name[NCH] = {"arrivals_hall", "express_hub", "mail_center",
                                         "container_yard"};
static const int32_t ch_kind[NCH] = {1, 3, 4, 6};
static const double ch_rate[NCH] = {900.0, 400.0, 250.0, 30.0}; /* per day */
static const char *const st_name[NST] = {"primary_1", "xray_1", "ct_1", "dogs",
                                         "\xe7\xa8\x8e\xe9\x96\xa2_desk"};
static const char *const st_type[NST] = {"officer", "xray", "ct", "dogs", "officer"};
static const char *const pool_name[NPOOL] = {"officers", "xray_operators"};

#define REQUIRE(call)                                                                  \
  do {                                                                                 \
    sim_error e_ = {0, ""};                                                            \
    sim_error *err = &e_;                                                              \
    if ((call) != SIM_OK) fail_msg("%s", e_.msg);                                      \
  } while (0)

#define F64(n, u, l) {n, REC_F64, u, l, NULL, 0}
#define I64(n, u, l) {n, REC_I64, u, l, NULL, 0}

static const rec_col channel_cols[] = {
    I64("replication", "1", "replication index"),
    {.name = "channel", .type = REC_STR, .units = "1", .long_name = "channel name"},
    {.name = "kind",
     .type = REC_ENUM,
     .units = "1",
     .long_name = "channel kind",
     .labels = kinds,
     .nlabels = 8},
    I64("in_system_start", "items", "items in the system when measurement starts"),
    I64("arrived", "items", "items arrived"),
    I64("released", "items", "items released"),
    I64("seized", "items", "items seized"),
    I64("in_system_end", "items", "items in the system at the end"),
    I64("inspected", "items", "items inspected"),
    I64("false_alarms", "items", "inspections that found nothing"),
    F64("release_mean_min", "min", "mean time from arrival to release"),
    F64("release_p50_min", "min", "median release time"),
    F64("release_p95_min", "min", "95th percentile of release time"),
    F64("release_p99_min", "min", "99th percentile of release time"),
    F64("stage_arrival_decl_mean_min", "min", "mean time from arrival to declaration"),
    F64("stage_decl_permit_mean_min", "min", "mean time from declaration to permit"),
    F64("stage_permit_exit_mean_min", "min", "mean time from permit to exit"),
    F64("within_target_share", "1", "share released within the target time"),
    F64("target_min", "min", "release target"),
    F64("wait_mean_min", "min", "mean queueing time"),
    F64("wait_p95_min", "min", "95th percentile of queueing time"),
    F64("wait_within_target_share", "1", "share queueing less than the target"),
    F64("hit_rate", "1", "seizures per inspection"),
    F64("revenue_recovered_jpy", "JPY", "duty and tax recovered"),
    I64("missed", "items", "offending items released undetected"),
};
enum { NCHCOL = sizeof channel_cols / sizeof channel_cols[0] };

static const rec_col station_cols[] = {
    I64("replication", "1", "replication index"),
    {.name = "station", .type = REC_STR, .units = "1", .long_name = "station name"},
    {.name = "type", .type = REC_STR, .units = "1", .long_name = "station type"},
    I64("servers", "1", "servers"),
    I64("served", "items", "items served"),
    I64("lost", "items", "items turned away"),
    F64("utilization", "1", "busy share of server time"),
    F64("wait_mean_min", "min", "mean wait"),
    F64("wait_p95_min", "min", "95th percentile of wait"),
    F64("queue_mean", "items", "time-average queue length"),
    I64("queue_max", "items", "longest queue"),
    F64("down_h", "h", "hours out of service"),
};
enum { NSTCOL = sizeof station_cols / sizeof station_cols[0] };

static const rec_col staff_cols[] = {
    I64("replication", "1", "replication index"),
    {.name = "pool", .type = REC_STR, .units = "1", .long_name = "staff pool"},
    I64("size", "persons", "rostered staff"),
    F64("on_duty_mean", "persons", "time-average staff on duty"),
    F64("utilization", "1", "busy share of on-duty time"),
    F64("overtime_h", "h", "overtime hours"),
};
enum { NSFCOL = sizeof staff_cols / sizeof staff_cols[0] };

/* Column-major storage for up to 32 columns of one table. */
typedef struct cols {
  int64_t i[32][NREP * NST];
  double f[32][NREP * NST];
  const char *s[32][NREP * NST];
  int32_t e[32][NREP * NST];
  const void *ptr[32];
} cols;

static void bind(cols *c, const rec_col *def, size_t n) {
  for (size_t k = 0; k < n; k++)
    c->ptr[k] = def[k].type == REC_I64   ? (const void *)c->i[k]
                : def[k].type == REC_F64 ? (const void *)c->f[k]
                : def[k].type == REC_STR ? (const void *)c->s[k]
                                         : (const void *)c->e[k];
}

static void channel_row(sample *s, cols *c, size_t row, int rep, int ch) {
  reseed(s, (uint64_t)(rep * 100 + ch));
  double noise = 0.9 + 0.2 * uniform(s), rel = (30.0 + 40.0 * ch) * noise * s->speedup;
  int64_t start = (int64_t)(20 * uniform(s)), arrived = (int64_t)(ch_rate[ch] * 7 * noise);
  int64_t seized = arrived / 200, end = (int64_t)(25 * uniform(s)), inspected = arrived / 10;
  int64_t *iv[] = {c->i[0], c->i[3], c->i[4], c->i[5], c->i[6],
                   c->i[7], c->i[8], c->i[9], c->i[24]};
  int64_t vals[] = {rep,       start, arrived,   start + arrived - seized - end,
                    seized,    end,   inspected, inspected - seized,
                    seized / 3};
  for (size_t k = 0; k < 9; k++) iv[k][row] = vals[k];
  c->s[1][row] = ch_name[ch];
  c->e[2][row] = ch_kind[ch];
  double f[] = {rel, rel * 0.8, rel * 2.1, rel * 3.0, rel * 0.2, rel * 0.5, rel * 0.3,
                0.97 - 0.1 * s->speedup * uniform(s), 120.0, rel * 0.4, rel * 1.2, 0.9,
                (double)seized / (double)inspected, 1.5e6 * noise};
  for (size_t k = 0; k < 14; k++) c->f[10 + k][row] = f[k];
  if (ch == 3) c->f[22][row] = NAN; /* no data: nothing of this kind was inspected */
}

static void station_row(sample *s, cols *c, size_t row, int rep, int st) {
  reseed(s, (uint64_t)(1000 + rep * 100 + st));
  double u = (0.5 + 0.08 * st + 0.1 * uniform(s)) * s->speedup;
  c->i[0][row] = rep;
  c->s[1][row] = st_name[st];
  c->s[2][row] = st_type[st];
  c->i[3][row] = 1 + st % 3;
  c->i[4][row] = (int64_t)(2000 * u);
  c->i[5][row] = st == 3 ? 2 : 0;
  c->f[6][row] = u;
  c->f[7][row] = 10 * u / (1.01 - u);
  c->f[8][row] = 30 * u / (1.01 - u);
  c->f[9][row] = 3 * u * u / (1.01 - u);
  c->i[10][row] = (int64_t)(20 * u + 5 * uniform(s));
  c->f[11][row] = st == 1 ? 2.0 * uniform(s) : 0.0;
}

static void staff_row(sample *s, cols *c, size_t row, int rep, int p) {
  reseed(s, (uint64_t)(2000 + rep * 100 + p));
  c->i[0][row] = rep;
  c->s[1][row] = pool_name[p];
  c->i[2][row] = p == 0 ? 40 : 12;
  c->f[3][row] = (p == 0 ? 28.0 : 9.0) + uniform(s);
  c->f[4][row] = (0.6 + 0.2 * uniform(s)) * s->speedup;
  c->f[5][row] = 10.0 * uniform(s) * s->speedup;
}

typedef void (*row_fn)(sample *, cols *, size_t, int, int);

static void kpi(recorder *r, sample *s, const char *name, const char *key, const rec_col *def,
                size_t ncol, int nkeys, row_fn fn) {
  cols *c = calloc(1, sizeof *c);
  assert_non_null(c);
  bind(c, def, ncol);
  size_t n = 0;
  for (int rep = 0; rep < NREP; rep++)
    for (int k = 0; k < nkeys; k++) fn(s, c, n++, rep, k);
  char path[64], sum[64];
  snprintf(path, sizeof path, "/kpi/%s", name);
  snprintf(sum, sizeof sum, "/kpi/summary/%s", name);
  REQUIRE(rec_table(r, path, "one row per key and replication", def, ncol, n, c->ptr, err));
  REQUIRE(rec_summary(r, sum, "mean and 95% half-width over replications", def, ncol, n, c->ptr,
                      key, err));
  free(c);
}

static void series(recorder *r, sample *s) {
  double *t = malloc(STEPS * sizeof *t), *v = malloc(NREP * STEPS * sizeof *v);
  for (int k = 0; k < STEPS; k++) t[k] = k * 0.25;
  REQUIRE(rec_axis(r, "/series/time", "time", t, STEPS, "hours since 2024-11-25 00:00",
                   "hours from the start of the run", err));
  REQUIRE(rec_attr_str(r, "/series/time", "calendar", "proleptic_gregorian", err));
  const char *groups[] = {"queue", "busy", "in_system", "on_duty", "staff_busy"};
  const char *units[] = {"items", "servers", "items", "persons", "persons"};
  const int counts[] = {NST, NST, NCH, NPOOL, NPOOL};
  for (int g = 0; g < 5; g++) {
    for (int j = 0; j < counts[g]; j++) {
      reseed(s, (uint64_t)(3000 + g * 10 + j));
      for (int i = 0; i < NREP * STEPS; i++) {
        double hour = fmod(t[i % STEPS], 24.0),
               day = 0.5 + 0.5 * sin((hour - 6.0) / 24.0 * 2.0 * M_PI);
        v[i] = floor((5.0 + 3.0 * j) * day * s->speedup * (0.7 + 0.6 * uniform(s)));
      }
      const char *name = g >= 3 ? pool_name[j] : g == 2 ? ch_name[j] : st_name[j];
      char path[96], ln[96];
      snprintf(path, sizeof path, "/series/%s/%s", groups[g], name);
      snprintf(ln, sizeof ln, "%s at %s", groups[g], name);
      REQUIRE(rec_series(r, path, "/series/time", v, NREP, STEPS, units[g], ln, err));
    }
  }
  free(t);
  free(v);
}

/* Release-time histograms on log-spaced edges (0, then 0.1 min .. 60 days), as the
 * simulator writes them; counts follow a lognormal law around each channel's mean. */
static void dist(recorder *r, sample *s) {
  double edges[NBIN + 1], counts[NREP * NBIN];
  edges[0] = 0.0;
  for (int b = 1; b <= NBIN; b++)
    edges[b] = exp(log(0.1) + (log(86400.0) - log(0.1)) * (b - 1) / (NBIN - 1));
  REQUIRE(rec_axis(r, "/dist/release_edges_min", "edge", edges, NBIN + 1, "min",
                   "release-time bin edges (bin i is [edge i, edge i+1))", err));
  REQUIRE(rec_axis(r, "/dist/release_bin_min", "bin", edges, NBIN, "min",
                   "lower edge of each release-time bin", err));
  for (int ch = 0; ch < NCH; ch++) {
    reseed(s, (uint64_t)(4000 + ch));
    double mu = log((30.0 + 40.0 * ch) * s->speedup), sigma = 0.6, total = ch_rate[ch] * 7;
    for (int i = 0; i < NREP * NBIN; i++) {
      int b = i % NBIN;
      double lo = b == 0 ? 0.0 : 0.5 * erfc(-(log(edges[b]) - mu) / (sigma * M_SQRT2));
      double hi = 0.5 * erfc(-(log(edges[b + 1]) - mu) / (sigma * M_SQRT2));
      counts[i] = floor(total * (hi - lo) * (0.9 + 0.2 * uniform(s)));
    }
    char path[96];
    snprintf(path, sizeof path, "/dist/release/%s", ch_name[ch]);
    REQUIRE(rec_series(r, path, "/dist/release_bin_min", counts, NREP, NBIN, "items",
                       "released items per release-time bin", err));
  }
}

static void logs(recorder *r, sample *s) {
  static const char *const ev_kinds[] = {"failure",         "repair",       "maintenance_start",
                                         "maintenance_end", "shift_change", "disruption_start",
                                         "disruption_end",  "intervention"};
  static const char *const outcomes[] = {"released", "seized", "in_system"};
  const rec_col ev[] = {
      F64("time_h", "h", "hours from start"),
      I64("replication", "1", "replication index"),
      {.name = "kind",
       .type = REC_ENUM,
       .units = "1",
       .long_name = "event kind",
       .labels = ev_kinds,
       .nlabels = 8},
      {.name = "target", .type = REC_STR, .units = "1", .long_name = "what it concerns"},
      F64("value", "1", "event value"),
      {.name = "text", .type = REC_STR, .units = "1", .long_name = "description"}};
  const rec_col it[] = {
      I64("replication", "1", "replication index"),
      I64("item", "1", "item number"),
      F64("arrival_h", "h", "arrival time"),
      F64("release_h", "h", "release time (NaN if not released)"),
      {.name = "outcome",
       .type = REC_ENUM,
       .units = "1",
       .long_name = "what happened",
       .labels = outcomes,
       .nlabels = 3},
      I64("inspected", "1", "1 if inspected"),
      {.name = "route", .type = REC_STR, .units = "1", .long_name = "stations visited"}};
  rec_log *evl = NULL, *itl = NULL;
  REQUIRE(rec_log_open(r, &evl, "/events", "event log", ev, 6, err));
  REQUIRE(rec_log_open(r, &itl, "/items/express_hub", "items of express_hub", it, 7, err));
  enum { B = 500 };
  double t[B], v[B], rel[B];
  int64_t rep[B], id[B], insp[B];
  int32_t k[B], out[B];
  const char *tg[B], *tx[B], *route[B];
  for (int batch = 0; batch < 12; batch++) {
    for (int i = 0; i < B; i++) {
      int n = batch * B + i;
      t[i] = n * 0.05;
      rep[i] = n % NREP;
      k[i] = (int32_t)(n % 8);
      tg[i] = st_name[n % NST];
      v[i] = uniform(s);
      tx[i] = n % 3 ? "routine" : "needs \"quotes\", and commas";
      id[i] = n;
      rel[i] = n % 50 == 0 ? NAN : t[i] + 0.5 * s->speedup;
      out[i] = n % 50 == 0 ? 2 : n % 97 == 0 ? 1 : 0;
      insp[i] = n % 10 == 0;
      route[i] = n % 10 == 0 ? "primary_1,xray_1" : "primary_1";
    }
    const void *evd[] = {t, rep, k, tg, v, tx};
    const void *itd[] = {rep, id, t, rel, out, insp, route};
    REQUIRE(rec_log_append(evl, B, evd, err));
    REQUIRE(rec_log_append(itl, B, itd, err));
  }
}

/* /kpi/seizures: several rows per channel and replication (keyed by channel and what). */
static void seizures(recorder *r, sample *s) {
  static const char *const what[] = {"none", "meth", "cocaine", "gold"};
  const rec_col sz[] = {
      I64("replication", "1", "replication index"),
      {.name = "channel", .type = REC_STR, .units = "", .long_name = "channel name"},
      {.name = "what",
       .type = REC_ENUM,
       .units = "",
       .long_name = "what was found",
       .labels = what,
       .nlabels = 4},
      I64("cases", "items", "items seized"),
      F64("kg", "kg", "amount seized")};
  enum { N = NREP * NCH * 3 };
  int64_t rep[N], cases[N];
  const char *ch[N];
  int32_t w[N];
  double kg[N];
  for (int i = 0; i < N; i++) {
    rep[i] = i / (NCH * 3), ch[i] = ch_name[(i / 3) % NCH], w[i] = 1 + i % 3;
    cases[i] = (int64_t)(5 * uniform(s)), kg[i] = (double)cases[i] * 0.8;
  }
  const void *d[] = {rep, ch, w, cases, kg};
  REQUIRE(rec_table(r, "/kpi/seizures", "seizures per channel, kind and replication", sz, 5, N, d,
                    err));
}

/* A sweep table as customs-sweep may write it: settings, then NAME_mean/NAME_hw. */
static void sweep(recorder *r, sample *s) {
  const rec_col sw[] = {I64("xray_servers", "1", "x-ray servers (setting)"),
                        {.name = "channel", .type = REC_STR, .units = "1", .long_name = "channel"},
                        F64("release_p95_min_mean", "min", "mean 95th percentile release time"),
                        F64("release_p95_min_hw", "min", "its 95% half-width")};
  int64_t x[8];
  const char *ch[8];
  double m[8], hw[8];
  for (int i = 0; i < 8; i++) {
    x[i] = 1 + i % 4;
    ch[i] = ch_name[i / 4];
    m[i] = (60.0 + 40.0 * (i / 4)) / (double)x[i] + 10.0 * uniform(s);
    hw[i] = 2.0 + uniform(s);
  }
  const void *d[] = {x, ch, m, hw};
  REQUIRE(rec_table(r, "/sweep", "release time against x-ray servers", sw, 4, 8, d, err));
}

static void write_sample(const char *path, uint64_t seed, double speedup, int with_sweep) {
  sample s = {seed, speedup, 0};
  recorder *r = NULL;
  REQUIRE(rec_open(&r, path, err));
  REQUIRE(rec_attr_str(r, "/", "schema", "customs-sim/1", err));
  REQUIRE(rec_attr_i64(r, "/", "seed", (int64_t)seed, err));
  REQUIRE(rec_attr_i64(r, "/", "replications", NREP, err));
  REQUIRE(rec_attr_str(r, "/", "scenario",
                       "name = \"sample\";\nrun = { days = 7.0; warmup_days = 1.0; };\n", err));
  REQUIRE(rec_attr_str(r, "/", "scenario_file",
                       speedup < 1.0 ? "scenarios/policy.cfg" : "scenarios/sample.cfg", err));
  REQUIRE(rec_attr_str(r, "/", "program_version", "customs-sim test fixture", err));
  REQUIRE(rec_attr_str(r, "/", "start", "2024-11-25T00:00", err));
  REQUIRE(rec_attr_f64(r, "/", "warmup_days", 1.0, err));
  REQUIRE(rec_attr_f64(r, "/", "days", 7.0, err));
  kpi(r, &s, "channels", "channel", channel_cols, NCHCOL, NCH, channel_row);
  kpi(r, &s, "stations", "station", station_cols, NSTCOL, NST, station_row);
  kpi(r, &s, "staff", "pool", staff_cols, NSFCOL, NPOOL, staff_row);
  series(r, &s);
  dist(r, &s);
  logs(r, &s);
  seizures(r, &s);
  if (with_sweep) sweep(r, &s);
  REQUIRE(rec_close(r, 1, err));
}

static void test_write_samples(void **state) {
  (void)state;
  const char *a = getenv("REC_SAMPLE"), *b = getenv("REC_SAMPLE_B"), *c = getenv("REC_SAMPLE_C");
  char dir[] = "/tmp/test_report_fixture_XXXXXX", pa[64], pb[64], pc[64];
  int own = !a && !b && !c;
  if (own) {
    assert_non_null(mkdtemp(dir));
    snprintf(pa, sizeof pa, "%s/a.h5", dir);
    snprintf(pb, sizeof pb, "%s/b.h5", dir);
    snprintf(pc, sizeof pc, "%s/c.h5", dir);
    a = pa, b = pb, c = pc;
  }
  if (a) write_sample(a, 42, 1.0, 1);
  if (b) write_sample(b, 42, 0.8, 0);
  if (c) write_sample(c, 7, 1.0, 0);
  const char *paths[] = {a, b, c};
  for (int i = 0; i < 3; i++) {
    if (!paths[i]) continue;
    hid_t f = H5Fopen(paths[i], H5F_ACC_RDONLY, H5P_DEFAULT);
    assert_true(f >= 0);
    assert_true(H5Lexists(f, "kpi", H5P_DEFAULT) > 0);
    H5Fclose(f);
    if (own) remove(paths[i]);
  }
  if (own) rmdir(dir);
}

int main(void) {
  const struct CMUnitTest tests[] = {cmocka_unit_test(test_write_samples)};
  return cmocka_run_group_tests_name("report_fixture", tests, NULL, NULL);
}
