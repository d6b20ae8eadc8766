/* sweep_fig: the figures of one replication as a flat array of doubles (the form the
 * local threads store and MPI ranks send), their KPI paths, and statistics over
 * replications (see sweep.h). One table below describes every figure once. */
#include <gsl/gsl_cdf.h>
#include <math.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "models/sweep/sweep.h"

#define CI(f, u, l) {#f, u, l, SWEEP_CH, 1, offsetof(kpi_channel, f), 0}
#define CF(f, u, l, s) {#f, u, l, SWEEP_CH, 0, offsetof(kpi_channel, f), s}
#define SI(f, u, l) {#f, u, l, SWEEP_ST, 1, offsetof(kpi_station, f), 0}
#define SF(f, u, l, s) {#f, u, l, SWEEP_ST, 0, offsetof(kpi_station, f), s}
#define PI(f, u, l) {#f, u, l, SWEEP_POOL, 1, offsetof(kpi_pool, f), 0}
#define PF(f, u, l, s) {#f, u, l, SWEEP_POOL, 0, offsetof(kpi_pool, f), s}

static const sweep_fig figs[] = {
    CI(arrived, "items", "items that arrived during measurement"),
    CI(released, "items", "items released during measurement"),
    CI(seized, "items", "items seized during measurement"),
    CI(in_system_end, "items", "items in the system at the end"),
    CI(inspected, "items", "items inspected"),
    CI(false_alarms, "items", "inspections of clean items"),
    CI(missed, "items", "illicit items released"),
    CF(release_mean_min, "min", "mean time from arrival to release", 1),
    CF(release_p50_min, "min", "median time from arrival to release", 0),
    CF(release_p95_min, "min", "95th percentile of the release time", 1),
    CF(release_p99_min, "min", "99th percentile of the release time", 0),
    CF(within_target_share, "1", "share released within the release-time target", 1),
    CF(wait_mean_min, "min", "mean time waiting in queues", 1),
    CF(wait_p95_min, "min", "95th percentile of the time waiting in queues", 1),
    CF(wait_within_target_share, "1", "share whose waiting time was within the waiting-time target", 0),
    CF(hit_rate, "1", "inspections that found something / inspections", 0),
    {"revenue_recovered_jpy", "JPY", "evaded duty and tax recovered by inspections", SWEEP_CH, 0,
     offsetof(kpi_channel, revenue_jpy), 0},
    SI(servers, "1", "servers configured (-1: unlimited)"),
    SI(arrived, "items", "items that came to the station during measurement"),
    SI(served, "items", "services completed during measurement"),
    SI(lost, "items", "arrivals turned away by a full station"),
    SI(inspected, "items", "physical inspections made"),
    SI(alarms, "items", "kernel alarms raised"),
    SF(utilization, "1", "busy servers / available servers (time-weighted)", 1),
    SF(wait_mean_min, "min", "mean wait before service", 1),
    SF(wait_p95_min, "min", "95th percentile of the wait", 1),
    SF(queue_mean, "items", "time-average queue length", 1),
    SF(queue_max, "items", "largest queue length", 0),
    SF(down_h, "h", "time with no server available while items were present", 0),
    PI(size, "persons", "headcount"),
    PF(on_duty_mean, "persons", "time-average persons on duty", 0),
    PF(busy_mean, "persons", "time-average persons serving", 0),
    PF(utilization, "1", "busy / on duty", 1),
    PF(overtime_h, "h", "person-hours beyond the roster", 0),
};
#define NFIGS (sizeof figs / sizeof figs[0])

static const char *const group_word[] = {"channels", "stations", "staff"};

const sweep_fig *sweep_figs(size_t *n) {
  *n = NFIGS;
  return figs;
}

static size_t group_first(sweep_group g) {
  size_t i = 0;
  while (i < NFIGS && figs[i].group != g) i++;
  return i;
}

static size_t group_count(sweep_group g) {
  size_t n = 0;
  for (size_t i = 0; i < NFIGS; i++) n += figs[i].group == g;
  return n;
}

size_t sweep_nval(const spec *sp) {
  return sp->nch * group_count(SWEEP_CH) + sp->nst * group_count(SWEEP_ST) + sp->npool * group_count(SWEEP_POOL);
}

static double value_of(const sweep_fig *f, const void *rec) {
  const char *p = (const char *)rec + f->off;
  if (f->is_int) {
    int64_t v;
    memcpy(&v, p, sizeof v);
    return (double)v;
  }
  double d;
  memcpy(&d, p, sizeof d);
  return d;
}

void sweep_flatten(const spec *sp, const kpi_run *k, double *out) {
  size_t o = 0;
  size_t counts[3] = {sp->nch, sp->nst, sp->npool};
  for (int g = SWEEP_CH; g <= SWEEP_POOL; g++) {
    size_t first = group_first((sweep_group)g), nf = group_count((sweep_group)g);
    for (size_t e = 0; e < counts[g]; e++) {
      const void *rec = g == SWEEP_CH ? (const void *)&k->ch[e] : g == SWEEP_ST ? (const void *)&k->st[e]
                                                                               : (const void *)&k->pool[e];
      for (size_t f = 0; f < nf; f++) out[o++] = value_of(&figs[first + f], rec);
    }
  }
}

const sweep_fig *sweep_fig_at(const spec *sp, size_t i, const char **entity) {
  size_t counts[3] = {sp->nch, sp->nst, sp->npool};
  for (int g = SWEEP_CH; g <= SWEEP_POOL; g++) {
    size_t nf = group_count((sweep_group)g), span = counts[g] * nf;
    if (i < span) {
      size_t e = i / nf;
      if (entity) *entity = g == SWEEP_CH ? sp->ch[e].name : g == SWEEP_ST ? sp->st[e].name : sp->pool[e].name;
      return &figs[group_first((sweep_group)g) + i % nf];
    }
    i -= span;
  }
  if (entity) *entity = "?";
  return NULL;
}

void sweep_fig_name(const spec *sp, size_t i, char *buf, size_t size) {
  const char *entity = "?";
  const sweep_fig *f = sweep_fig_at(sp, i, &entity);
  snprintf(buf, size, "%s.%s.%s", f ? group_word[f->group] : "?", entity, f ? f->name : "?");
}

static long entity_index(const spec *sp, sweep_group g, const char *name, size_t len) {
  size_t n = g == SWEEP_CH ? sp->nch : g == SWEEP_ST ? sp->nst : sp->npool;
  for (size_t e = 0; e < n; e++) {
    const char *x = g == SWEEP_CH ? sp->ch[e].name : g == SWEEP_ST ? sp->st[e].name : sp->pool[e].name;
    if (strlen(x) == len && !strncmp(x, name, len)) return (long)e;
  }
  return -1;
}

int sweep_fig_find(const spec *sp, const char *path, size_t *index, sim_error *err) {
  const char *dot1 = strchr(path, '.'), *dot2 = strrchr(path, '.');
  int g = -1;
  for (int i = 0; dot1 && i < 3; i++)
    if ((size_t)(dot1 - path) == strlen(group_word[i]) && !strncmp(path, group_word[i], strlen(group_word[i]))) g = i;
  if (g < 0 || dot2 == dot1)
    return sim_error_set(err, SIM_EINVAL, "%s: unknown KPI (expected channels.NAME.FIGURE, stations.NAME.FIGURE or staff.NAME.FIGURE)", path);
  long e = entity_index(sp, (sweep_group)g, dot1 + 1, (size_t)(dot2 - dot1 - 1));
  if (e < 0)
    return sim_error_set(err, SIM_EINVAL, "%s: no %s '%.*s' in the scenario", path,
                         g == SWEEP_CH ? "channel" : g == SWEEP_ST ? "station" : "staff pool", (int)(dot2 - dot1 - 1), dot1 + 1);
  size_t first = group_first((sweep_group)g), nf = group_count((sweep_group)g);
  for (size_t f = 0; f < nf; f++) {
    if (strcmp(figs[first + f].name, dot2 + 1)) continue;
    size_t base = 0;
    if (g >= SWEEP_ST) base += sp->nch * group_count(SWEEP_CH);
    if (g >= SWEEP_POOL) base += sp->nst * group_count(SWEEP_ST);
    *index = base + (size_t)e * nf + f;
    return 0;
  }
  char list[1024] = "";
  for (size_t f = 0, used = 0; f < nf && used < sizeof list; f++)
    used += (size_t)snprintf(list + used, sizeof list - used, "%s%s", f ? ", " : "", figs[first + f].name);
  return sim_error_set(err, SIM_EINVAL, "%s: unknown figure '%s' (one of: %s)", path, dot2 + 1, list);
}

/* ---- the store ------------------------------------------------------------------ */

int sweep_store_new(sweep_store **out, size_t nvar, size_t nval, sim_error *err) {
  sweep_store *s = calloc(1, sizeof *s);
  if (s) {
    s->nvar = nvar, s->nval = nval;
    s->cap = calloc(nvar ? nvar : 1, sizeof *s->cap);
    s->vals = calloc(nvar ? nvar : 1, sizeof *s->vals);
    s->have = calloc(nvar ? nvar : 1, sizeof *s->have);
  }
  if (!s || !s->cap || !s->vals || !s->have) {
    sweep_store_free(s);
    return sim_error_set(err, SIM_ENOMEM, "out of memory");
  }
  *out = s;
  return 0;
}

void sweep_store_free(sweep_store *s) {
  if (!s) return;
  for (size_t v = 0; v < s->nvar && s->vals; v++) {
    free(s->vals[v]);
    if (s->have) free(s->have[v]);
  }
  free(s->cap);
  free(s->vals);
  free(s->have);
  free(s);
}

int sweep_store_reserve(sweep_store *s, size_t v, int reps, sim_error *err) {
  if (reps <= s->cap[v]) return 0;
  if (reps > SWEEP_MAX_REPS) return sim_error_set(err, SIM_EINVAL, "more than %d replications of one variant", SWEEP_MAX_REPS);
  double *d = realloc(s->vals[v], (size_t)reps * (s->nval ? s->nval : 1) * sizeof *d);
  if (d) s->vals[v] = d;
  unsigned char *h = d ? realloc(s->have[v], (size_t)reps) : NULL;
  if (!h) return sim_error_set(err, SIM_ENOMEM, "out of memory");
  s->have[v] = h;
  memset(h + s->cap[v], 0, (size_t)(reps - s->cap[v]));
  s->cap[v] = reps;
  return 0;
}

int sweep_store_count(const sweep_store *s, size_t v) {
  int n = 0;
  for (int r = 0; r < s->cap[v]; r++) n += s->have[v][r];
  return n;
}

double sweep_t_quantile(double level, int n) {
  return n < 2 ? NAN : gsl_cdf_tdist_Pinv(level, (double)n - 1.0);
}

/* Two passes (mean, then squares), as the recorder's summaries do. */
void sweep_store_stat(const sweep_store *s, size_t v, size_t i, sweep_stat *st) {
  double sum = 0, ss = 0;
  int n = 0;
  for (int r = 0; r < s->cap[v]; r++) {
    double x = s->vals[v][(size_t)r * s->nval + i];
    if (s->have[v][r] && !isnan(x)) sum += x, n++;
  }
  st->n = n;
  st->mean = n ? sum / n : NAN;
  for (int r = 0; r < s->cap[v]; r++) {
    double x = s->vals[v][(size_t)r * s->nval + i];
    if (s->have[v][r] && !isnan(x)) ss += (x - st->mean) * (x - st->mean);
  }
  st->sd = n > 1 ? sqrt(ss / (n - 1)) : NAN;
  st->hw95 = n > 1 ? sweep_t_quantile(0.975, n) * st->sd / sqrt((double)n) : NAN;
}
