/* calibrate (make calibrate): fits the free delays of the shipped ports to the 2015 Time
 * Release Study at steady state, writes them with their provenance into the scenario
 * parts, and prints model against study with 95% confidence intervals.
 *
 * For each case (sea cargo at Tokyo port, air cargo at Narita) two delays are free: a
 * stage-1 delay (the broker or the warehouse, before the declaration) and a stage-2
 * delay (questions to the broker, between declaration and permit). Each is a lognormal
 * whose coefficient of variation is kept; its mean is fitted by the secant method on
 * common random numbers until the model's stage means meet the study's (stage 1 =
 * arrival to permit minus declaration to permit; stage 2 = declaration to permit) within
 * 1%. The scenario's own warm-up is used after checking that no channel's backlog
 * still rises (the trend test of /kpi/channels). The default seed is used (the trader
 * population is drawn once per seed); a confirmation run on fresh replications gives the
 * intervals. The 2012 contrasts (pre-arrival examination, other agencies' laws) are
 * printed as they come out, never fitted.
 *
 *   build/tests/calibrate [--dry-run] [--reps N]     (from the project root) */
#include <libconfig.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "models/experiment.h"
#include "models/scenario/scenario.h"
#include "models/scenario/spec.h"
#include "sim/stats.h"

#define MAXSETS 16

typedef struct cal_case {
  const char *title, *scenario, *parts, *channel;
  int contrasts;          /* the 2012 study's contrasts are of sea cargo */
  const char *sets[6];
  int nsets;
  double a2p_h, d2p_h;  /* the study: arrival to permit, declaration to permit */
  const char *study;
  const char *station[2]; /* the stage-1 and the stage-2 delay */
} cal_case;

static const cal_case cases[] = {
    {"sea cargo, Tokyo port",
     "scenarios/tokyo_port.cfg",
     "scenarios/parts/tokyo_delays.cfg",
     "sea_containers",
     1,
     {NULL},
     0,
     59.5,
     2.4,
     "Japan Customs, Time Release Study 2015, sea cargo:\n#   arrival to permit 59.5 h, "
     "declaration to permit 2.4 h",
     {"broker", "queries"}},
    {"air cargo, Narita",
     "scenarios/default.cfg",
     "scenarios/parts/narita_delays.cfg",
     "air_cargo",
     0,
     /* the other channels have their own staff: thinned, they do not change air cargo */
     {"channels.express.arrivals.rate_per_hour=10",
      "channels.passengers_in.arrivals.rate_per_hour=10",
      "channels.passengers_out.arrivals.rate_per_hour=10"},
     3,
     12.8,
     0.3,
     "Japan Customs, Time Release Study 2015, air cargo:\n#   arrival to permit 12.8 h, "
     "declaration to permit 0.3 h",
     {"cargo_warehouse", "cargo_queries"}},
};
#define NCASES (sizeof cases / sizeof cases[0])

typedef struct figures {
  double stage[2], stage_hw[2], a2p, a2p_hw, aeo, aeo_hw;
  double adv[2], adv_hw[2], oga[2], oga_hw[2]; /* without [0] / with [1] */
  int rising;
} figures;

static void ci(const double *x, int n, double *mean, double *hw) {
  stats_ci(x, (size_t)n, 0.95, mean, hw);
}

/* Runs the case with the two delays' means (hours; sd keeps the coefficient cv). */
static int evaluate(const cal_case *c, const double mean[2], const double cv[2], uint32_t first_rep,
                    int reps, figures *out) {
  char buf[4][128];
  const char *sets[MAXSETS];
  int n = 0;
  for (int i = 0; i < c->nsets; i++) sets[n++] = c->sets[i];
  for (int k = 0; k < 2; k++) {
    snprintf(buf[2 * k], sizeof buf[0], "stations.%s.service.mean_h=%.6g", c->station[k], mean[k]);
    snprintf(buf[2 * k + 1], sizeof buf[0], "stations.%s.service.sd_h=%.6g", c->station[k],
             mean[k] * cv[k]);
    sets[n++] = buf[2 * k], sets[n++] = buf[2 * k + 1];
  }
  sim_error err = {0};
  scenario *sc = NULL;
  spec *sp = NULL;
  kpi_run *runs = calloc((size_t)reps, sizeof *runs);
  int done = 0, rc = !runs;
  if (!rc) rc = scenario_load(&sc, c->scenario, sets, n, 0, &err);
  if (!rc) rc = spec_build(&sp, sc, &err);
  /* the default seed, which users run: the trader population (AEO and other agencies'
   * shares by volume) is drawn once per seed, so replications of one seed share it */
  exp_opts o = {.seed = 1, .reps = reps, .jobs = 2, .first_rep = first_rep};
  if (!rc) rc = experiment_run(sp, &o, runs, &done, &err);
  if (rc) {
    fprintf(stderr, "calibrate: %s: %s\n", c->scenario, err.msg[0] ? err.msg : "out of memory");
  } else {
    int ch = spec_channel_index(sp, c->channel);
    double x[7][256];
    out->rising = 0;
    for (int r = 0; r < reps && r < 256; r++) {
      const kpi_channel *k = &runs[r].ch[ch];
      x[0][r] = k->stage_mean_min[0] / 60, x[1][r] = k->stage_mean_min[1] / 60;
      x[2][r] = x[0][r] + x[1][r];
      x[3][r] = k->stage_aeo_decl_permit_min / 60;
      x[4][r] = k->permit_adv_min[0] / 60, x[5][r] = k->permit_adv_min[1] / 60;
      x[6][r] = k->permit_oga_min[1] / 60;
      out->rising |= (int)k->backlog_rising;
    }
    ci(x[0], reps, &out->stage[0], &out->stage_hw[0]);
    ci(x[1], reps, &out->stage[1], &out->stage_hw[1]);
    ci(x[2], reps, &out->a2p, &out->a2p_hw);
    ci(x[3], reps, &out->aeo, &out->aeo_hw);
    ci(x[4], reps, &out->adv[0], &out->adv_hw[0]);
    ci(x[5], reps, &out->adv[1], &out->adv_hw[1]);
    for (int r = 0; r < reps; r++) x[4][r] = runs[r].ch[ch].permit_oga_min[0] / 60;
    ci(x[4], reps, &out->oga[0], &out->oga_hw[0]);
    ci(x[6], reps, &out->oga[1], &out->oga_hw[1]);
  }
  for (int r = 0; runs && r < reps; r++) kpi_run_free(&runs[r]);
  free(runs);
  spec_free(sp);
  scenario_free(sc);
  return rc;
}

/* ---- the parts file ---- */

static void write_setting(FILE *f, const config_setting_t *s, int depth) {
  const char *name = config_setting_name(s);
  if (depth && config_setting_type(s) == CONFIG_TYPE_GROUP)
    fprintf(f, "\n%*s", 4 + 2 * depth, ""); /* short lines */
  if (name) fprintf(f, "%s = ", name);
  switch (config_setting_type(s)) {
  case CONFIG_TYPE_GROUP:
    fprintf(f, "{");
    for (int i = 0; i < config_setting_length(s); i++) {
      const config_setting_t *e = config_setting_get_elem(s, (unsigned)i);
      if (config_setting_type(e) != CONFIG_TYPE_GROUP) fputc(' ', f);
      write_setting(f, e, depth + 1);
    }
    fprintf(f, " }");
    break;
  case CONFIG_TYPE_INT: fprintf(f, "%d", config_setting_get_int(s)); break;
  case CONFIG_TYPE_INT64: fprintf(f, "%lld", config_setting_get_int64(s)); break;
  case CONFIG_TYPE_FLOAT: {
    double v = config_setting_get_float(s);
    fprintf(f, v == floor(v) && fabs(v) < 1e9 ? "%.1f" : "%.4g", v);
    break;
  }
  case CONFIG_TYPE_STRING: fprintf(f, "\"%s\"", config_setting_get_string(s)); break;
  case CONFIG_TYPE_BOOL: fprintf(f, "%s", config_setting_get_bool(s) ? "true" : "false"); break;
  default: break;
  }
  fprintf(f, depth ? ";" : ";\n");
}

static int read_parts(const cal_case *c, config_t *cfg, double mean[2], double cv[2]) {
  config_init(cfg);
  if (!config_read_file(cfg, c->parts)) {
    fprintf(stderr, "calibrate: %s:%d: %s\n", c->parts, config_error_line(cfg),
            config_error_text(cfg));
    return -1;
  }
  for (int k = 0; k < 2; k++) {
    char path[128];
    double sd;
    snprintf(path, sizeof path, "%s.service.mean_h", c->station[k]);
    int ok = config_lookup_float(cfg, path, &mean[k]);
    snprintf(path, sizeof path, "%s.service.sd_h", c->station[k]);
    if (!ok || !config_lookup_float(cfg, path, &sd) || !(mean[k] > 0)) {
      fprintf(stderr, "calibrate: %s: %s needs service mean_h and sd_h (lognormal)\n", c->parts,
              c->station[k]);
      return -1;
    }
    cv[k] = sd / mean[k];
  }
  return 0;
}

static int write_parts(const cal_case *c, config_t *cfg, const double mean[2], const double cv[2],
                       const figures *conf, int reps) {
  for (int k = 0; k < 2; k++) {
    char path[128];
    snprintf(path, sizeof path, "%s.service", c->station[k]);
    config_setting_t *svc = config_lookup(cfg, path);
    config_setting_set_float(config_setting_get_member(svc, "mean_h"), mean[k]);
    config_setting_set_float(config_setting_get_member(svc, "sd_h"), mean[k] * cv[k]);
  }
  FILE *f = fopen(c->parts, "w");
  if (!f) {
    perror(c->parts);
    return -1;
  }
  fprintf(
      f,
      "# The free delays of %s, fitted by `make calibrate` (tests/calibrate.c);\n"
      "# do not edit by hand. Meant for @include inside the scenario's stations group.\n"
      "# Study: %s.\n"
      "# Fitted at the scenario's own warm-up (no backlog trend), seed 1, replications 0-%d:\n"
      "#   %s.service.mean_h (stage 1, arrival to declaration),\n"
      "#   %s.service.mean_h (stage 2, declaration to permit),\n"
      "# each lognormal with its coefficient of variation kept.\n"
      "# Model with these values on fresh replications (%d-%d): arrival to permit %.2f +- %.2f h,\n"
      "# declaration to permit %.3f +- %.3f h (95%% intervals).\n",
      c->title, c->study, reps - 1, c->station[0], c->station[1], reps, 2 * reps - 1, conf->a2p,
      conf->a2p_hw, conf->stage[1], conf->stage_hw[1]);
  const config_setting_t *root = config_root_setting(cfg);
  for (int i = 0; i < config_setting_length(root); i++) {
    fprintf(f, "  ");
    write_setting(f, config_setting_get_elem(root, (unsigned)i), 0);
  }
  return fclose(f) ? -1 : 0;
}

/* ---- fitting ---- */

static void report(const cal_case *c, const figures *m) {
  printf("  %-38s model %6.2f ± %.2f h   study %6.2f h  (%+5.1f%%)\n", "arrival to permit", m->a2p,
         m->a2p_hw, c->a2p_h, 100 * (m->a2p / c->a2p_h - 1));
  printf("  %-38s model %6.3f ± %.3f h  study %6.2f h  (%+5.1f%%)\n", "declaration to permit",
         m->stage[1], m->stage_hw[1], c->d2p_h, 100 * (m->stage[1] / c->d2p_h - 1));
  printf("  %-38s model %6.3f ± %.3f h  study < 0.1 h\n", "AEO: declaration to permit", m->aeo,
         m->aeo_hw);
  if (!c->contrasts) return;
  printf("  2012 contrasts, as they come out (not fitted):\n");
  printf(
      "  %-38s with %5.1f ± %.1f h, without %5.1f ± %.1f h (%+5.1f h); study 46.3 vs 72.0 h (-25.7 "
      "h)\n",
      "pre-arrival examination", m->adv[1], m->adv_hw[1], m->adv[0], m->adv_hw[0],
      m->adv[1] - m->adv[0]);
  printf(
      "  %-38s with %5.1f ± %.1f h, without %5.1f ± %.1f h (%+5.1f h); study 82.0 vs 55.5 h (+26.5 "
      "h)\n",
      "other agencies' laws", m->oga[1], m->oga_hw[1], m->oga[0], m->oga_hw[0],
      m->oga[1] - m->oga[0]);
}

static int fit(const cal_case *c, int reps, int dry) {
  config_t cfg;
  double mean[2], cv[2], want[2] = {c->a2p_h - c->d2p_h, c->d2p_h};
  if (read_parts(c, &cfg, mean, cv)) return -1;
  printf("%s (%s)\n", c->title, c->scenario);
  figures f, prev = {0};
  double prev_mean[2] = {0, 0};
  int rc = 0;
  for (int it = 0; it < 10 && !rc; it++) {
    if ((rc = evaluate(c, mean, cv, 0, reps, &f))) break;
    if (f.rising) {
      fprintf(stderr,
              "calibrate: %s: a backlog still rises after the warm-up: lengthen run.warmup_days\n",
              c->scenario);
      rc = -1;
      break;
    }
    printf(
        "  iteration %d: %s %.4g h, %s %.4g h -> stage 1 %.3f h (want %.3f), stage 2 %.4f h (want "
        "%.4f)\n",
        it, c->station[0], mean[0], c->station[1], mean[1], f.stage[0], want[0], f.stage[1],
        want[1]);
    int done = 1;
    double next[2];
    for (int k = 0; k < 2; k++) {
      double miss = want[k] - f.stage[k];
      if (fabs(miss) > 0.01 * want[k]) done = 0;
      /* secant on common random numbers; the first step assumes the stage moves with the
       * delay's mean one for one */
      double slope = it ? (f.stage[k] - prev.stage[k]) / (mean[k] - prev_mean[k]) : 1;
      if (!(slope > 0.01) || !isfinite(slope)) slope = 1;
      next[k] = fmax(mean[k] + miss / slope, 0.01 * mean[k]);
    }
    if (done) break;
    prev = f;
    prev_mean[0] = mean[0], prev_mean[1] = mean[1];
    mean[0] = round(next[0] * 1000) / 1000, mean[1] = round(next[1] * 10000) / 10000;
  }
  figures conf = {0};
  if (!rc) rc = evaluate(c, mean, cv, (uint32_t)reps, reps, &conf);
  if (!rc) {
    printf("  fitted: %s.service.mean_h = %.4g, %s.service.mean_h = %.4g; on fresh replications:\n",
           c->station[0], mean[0], c->station[1], mean[1]);
    report(c, &conf);
    if (!dry) rc = write_parts(c, &cfg, mean, cv, &conf, reps);
    if (!dry && !rc) printf("  written: %s\n", c->parts);
  }
  config_destroy(&cfg);
  return rc;
}

int main(int argc, char **argv) {
  int reps = 10, dry = 0;
  for (int i = 1; i < argc; i++) {
    if (!strcmp(argv[i], "--dry-run")) dry = 1;
    else if (!strcmp(argv[i], "--reps") && i + 1 < argc) reps = atoi(argv[++i]);
    else {
      fprintf(stderr, "usage: calibrate [--dry-run] [--reps N]\n");
      return 2;
    }
  }
  if (reps < 2 || reps > 256) {
    fprintf(stderr, "calibrate: --reps must lie in [2, 256]\n");
    return 2;
  }
  int rc = 0;
  for (size_t i = 0; i < NCASES && !rc; i++) rc = fit(&cases[i], reps, dry);
  return rc ? 1 : 0;
}
