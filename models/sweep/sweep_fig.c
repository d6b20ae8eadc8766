/* sweep_fig: the figures of one replication as a flat array of doubles (the form the
 * local threads store and MPI ranks send), their KPI paths, and statistics over
 * replications (see sweep.h). One table below describes every figure once. */
#include <math.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "models/coast.h"
#include "models/disrupt.h"
#include "models/sweep/sweep.h"
#include "sim/stats.h"

/* The record kinds a sweep keeps, in flat order; the service levels asked for
 * (spec.levels) come after them. */
static const kpi_record kinds[] = {KPI_CHANNEL, KPI_STATION, KPI_POOL, KPI_CLASS,
                                   KPI_BATCH,   KPI_RECOVERY, KPI_ZONE, KPI_ASSET};
#define NKINDS (sizeof kinds / sizeof kinds[0])

static int has_recovery(const spec *sp) { return sp->dis && sp->dis->n > 0; }

size_t sweep_entities(const spec *sp, kpi_record g) {
  switch (g) {
  case KPI_CHANNEL: return sp->nch;
  case KPI_STATION: return sp->nst;
  case KPI_POOL: return sp->npool;
  case KPI_CLASS: return sp->nch * sp->ncls;
  case KPI_BATCH: return sp->nbatch_all;
  case KPI_RECOVERY: return has_recovery(sp) ? sp->nch + sp->nports : 0;
  case KPI_ZONE: return sp->coast ? sp->coast->nzone : 0;
  case KPI_ASSET: return sp->coast ? sp->coast->nasset : 0;
  default: return 0;
  }
}

const char *sweep_entity_name(const spec *sp, kpi_record g, size_t e) {
  switch (g) {
  case KPI_CHANNEL: return sp->ch[e].name;
  case KPI_STATION: return sp->st[e].name;
  case KPI_POOL: return sp->pool[e].name;
  case KPI_CLASS: return sp->class_ids[e];
  case KPI_BATCH: return sp->batch_ids[e];
  case KPI_RECOVERY: /* as recovery.c names its rows: the channels, then the ports */
    if (e < sp->nch) return sp->ch[e].name;
    return sp->ports[e - sp->nch][0] ? sp->ports[e - sp->nch] : "port";
  case KPI_ZONE: return sp->coast->zone[e].name;
  case KPI_ASSET: return sp->coast->asset[e].name;
  default: return "?";
  }
}

/* Record e of kind g in a replication's figures, or NULL when the run has none. */
static const void *record(const kpi_run *k, kpi_record g, size_t e) {
  return e < kpi_run_count(k, g) ? kpi_run_record(k, g, e) : NULL;
}

static size_t group_count(kpi_record g) {
  size_t n;
  kpi_catalog(g, &n);
  return n;
}

static size_t kinds_nval(const spec *sp) {
  size_t n = 0;
  for (size_t g = 0; g < NKINDS; g++) n += sweep_entities(sp, kinds[g]) * group_count(kinds[g]);
  return n;
}

size_t sweep_nval(const spec *sp) { return kinds_nval(sp) + sp->nlevels; }

void sweep_group_span(const spec *sp, sweep_group grp, size_t *base, size_t *nf) {
  *base = 0;
  for (size_t g = 0; g < NKINDS && kinds[g] != grp; g++)
    *base += sweep_entities(sp, kinds[g]) * group_count(kinds[g]);
  *nf = group_count(grp);
}

void sweep_flatten(const spec *sp, const kpi_run *k, double *out) {
  size_t o = 0;
  for (size_t g = 0; g < NKINDS; g++) {
    size_t nf;
    const kpi_field *f = kpi_catalog(kinds[g], &nf);
    for (size_t e = 0; e < sweep_entities(sp, kinds[g]); e++) {
      const void *rec = record(k, kinds[g], e);
      for (size_t i = 0; i < nf; i++) out[o++] = rec ? kpi_field_value(&f[i], rec) : NAN;
    }
  }
  for (size_t l = 0; l < sp->nlevels; l++) out[o++] = k->levels ? k->levels[l] : NAN;
}

/* A service level's figure: share of released items within its threshold. */
static const sweep_fig level_figs[2] = {
    {"wait_share_within", "1",
     "share of released items whose waiting time was within the threshold", KPI_CHANNEL, 0, 0, 0,
     NULL, 0},
    {"release_share_within", "1",
     "share of released items whose release time was within the threshold", KPI_CHANNEL, 0, 0, 0,
     NULL, 0}};

static const char *level_entity(const spec *sp, const spec_level *l) {
  return l->cls < 0 ? sp->ch[l->channel].name
                    : sp->class_ids[(size_t)l->channel * sp->ncls + (size_t)l->cls];
}

const sweep_fig *sweep_fig_at(const spec *sp, size_t i, const char **entity) {
  for (size_t g = 0; g < NKINDS; g++) {
    size_t nf;
    const kpi_field *f = kpi_catalog(kinds[g], &nf);
    size_t span = sweep_entities(sp, kinds[g]) * nf;
    if (i < span) {
      if (entity) *entity = sweep_entity_name(sp, kinds[g], i / nf);
      return &f[i % nf];
    }
    i -= span;
  }
  if (i < sp->nlevels) {
    if (entity) *entity = level_entity(sp, &sp->levels[i]);
    return &level_figs[sp->levels[i].release];
  }
  if (entity) *entity = "?";
  return NULL;
}

void sweep_fig_name(const spec *sp, size_t i, char *buf, size_t size) {
  const char *entity = "?";
  const sweep_fig *f = sweep_fig_at(sp, i, &entity);
  size_t base = kinds_nval(sp);
  if (i >= base && i - base < sp->nlevels) {
    const spec_level *l = &sp->levels[i - base];
    snprintf(buf, size, "%s.%s.%s(%.17g)", l->cls < 0 ? "channels" : "classes", entity, f->name,
             l->threshold_min);
    return;
  }
  snprintf(buf, size, "%s.%s.%s", f ? kpi_record_word(f->record) : "?", entity, f ? f->name : "?");
}

static long entity_index(const spec *sp, kpi_record g, const char *name, size_t len) {
  for (size_t e = 0; e < sweep_entities(sp, g); e++) {
    const char *x = sweep_entity_name(sp, g, e);
    if (strlen(x) == len && !strncmp(x, name, len)) return (long)e;
  }
  return -1;
}

static const char *entity_word(kpi_record g) {
  switch (g) {
  case KPI_CHANNEL: return "channel";
  case KPI_STATION: return "station";
  case KPI_POOL: return "staff pool";
  case KPI_CLASS: return "channel and class (CHANNEL.CLASS)";
  case KPI_BATCH: return "batch (CHANNEL.N, N from 0 in the measured period)";
  case KPI_ZONE: return "coast zone";
  case KPI_ASSET: return "coast asset";
  default: return "recovery scope (a channel, or a port)";
  }
}

/* A KPI path split: its kind, entity (between the first dot and the figure) and figure
 * (after the last dot, or the last dot before a '(' ). */
typedef struct kpi_path {
  int kind;
  const char *ent, *fig;
  size_t ent_len;
} kpi_path;

static int split_path(const char *path, kpi_path *kp, sim_error *err) {
  const char *dot1 = strchr(path, '.'), *par = strchr(path, '('), *dot2 = NULL;
  for (const char *c = path; *c && (!par || c < par); c++)
    if (*c == '.') dot2 = c;
  kp->kind = -1;
  for (size_t i = 0; dot1 && i < NKINDS; i++) {
    const char *w = kpi_record_word(kinds[i]);
    if ((size_t)(dot1 - path) == strlen(w) && !strncmp(path, w, strlen(w)))
      kp->kind = (int)kinds[i];
  }
  if (kp->kind < 0 || !dot2 || dot2 == dot1)
    return sim_error_set(
        err, SIM_EINVAL,
        "%s: unknown KPI (expected channels.NAME.FIGURE, stations.NAME.FIGURE, "
        "staff.NAME.FIGURE, classes.CHANNEL.CLASS.FIGURE, batches.CHANNEL.N.FIGURE, "
        "recovery.SCOPE.FIGURE, coast.ZONE.FIGURE or coast_assets.NAME.FIGURE)",
        path);
  kp->ent = dot1 + 1;
  kp->ent_len = (size_t)(dot2 - dot1 - 1);
  kp->fig = dot2 + 1;
  return 0;
}

static int unknown_figure(const char *path, const char *fig, kpi_record g, sim_error *err) {
  size_t nf;
  const kpi_field *f = kpi_catalog(g, &nf);
  char list[2048] = "";
  for (size_t i = 0, used = 0; i < nf && used < sizeof list; i++)
    used += (size_t)snprintf(list + used, sizeof list - used, "%s%s", i ? ", " : "", f[i].name);
  const char *lv = g == KPI_CHANNEL || g == KPI_CLASS
                       ? "; or wait_share_within(MIN), release_share_within(MIN)"
                       : "";
  return sim_error_set(err, SIM_EINVAL, "%s: unknown figure '%s' (one of: %s%s)", path, fig, list,
                       lv);
}

static int find_entity(const spec *sp, const char *path, const kpi_path *kp, long *e,
                       sim_error *err) {
  *e = entity_index(sp, (kpi_record)kp->kind, kp->ent, kp->ent_len);
  if (*e >= 0) return 0;
  if (kp->kind == KPI_RECOVERY && !has_recovery(sp))
    return sim_error_set(err, SIM_EINVAL,
                         "%s: the scenario has no disruptions, so no recovery figures", path);
  return sim_error_set(err, SIM_EINVAL, "%s: no %s '%.*s' in the scenario", path,
                       entity_word((kpi_record)kp->kind), (int)kp->ent_len, kp->ent);
}

int sweep_fig_find(const spec *sp, const char *path, size_t *index, sim_error *err) {
  kpi_path kp;
  long e;
  if (split_path(path, &kp, err) || find_entity(sp, path, &kp, &e, err)) return SIM_EINVAL;
  size_t nf, base;
  const kpi_field *f = kpi_catalog((kpi_record)kp.kind, &nf);
  sweep_group_span(sp, (kpi_record)kp.kind, &base, &nf);
  for (size_t i = 0; i < nf; i++) {
    if (strcmp(f[i].name, kp.fig)) continue;
    *index = base + (size_t)e * nf + i;
    return 0;
  }
  char lv[64];
  for (size_t l = 0, b = kinds_nval(sp); l < sp->nlevels; l++) { /* a service level already added */
    sweep_fig_name(sp, b + l, lv, sizeof lv);
    if (!strcmp(lv, path)) return *index = b + l, 0;
  }
  return unknown_figure(path, kp.fig, (kpi_record)kp.kind, err);
}

int sweep_fig_level(spec *sp, const char *path, size_t *index, sim_error *err) {
  kpi_path kp;
  long e;
  if (split_path(path, &kp, err)) return SIM_EINVAL;
  const char *par = strchr(kp.fig, '(');
  int release = par && !strncmp(kp.fig, "release_share_within(", 21);
  if (!par || (!release && strncmp(kp.fig, "wait_share_within(", 18)) ||
      (kp.kind != KPI_CHANNEL && kp.kind != KPI_CLASS))
    return sweep_fig_find(sp, path, index, err); /* an ordinary figure (or its message) */
  if (find_entity(sp, path, &kp, &e, err)) return SIM_EINVAL;
  char *end = NULL;
  double x = strtod(par + 1, &end);
  if (end == par + 1 || strcmp(end, ")") || !(x >= 0) || !isfinite(x))
    return sim_error_set(err, SIM_EINVAL,
                         "%s: the threshold in %.*s(MIN) must be a number of minutes >= 0", path,
                         (int)(par - kp.fig), kp.fig);
  spec_level l = {kp.kind == KPI_CHANNEL ? (int)e : (int)((size_t)e / sp->ncls),
                  kp.kind == KPI_CHANNEL ? -1 : (int)((size_t)e % sp->ncls), release, x};
  for (size_t i = 0; i < sp->nlevels; i++)
    if (!memcmp(&sp->levels[i], &l, sizeof l)) return *index = kinds_nval(sp) + i, 0;
  if (spec_add_level(sp, &l) < 0) return sim_error_set(err, SIM_ENOMEM, "out of memory");
  *index = kinds_nval(sp) + sp->nlevels - 1;
  return 0;
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
  if (reps > SWEEP_MAX_REPS)
    return sim_error_set(err, SIM_EINVAL, "more than %d replications of one variant",
                         SWEEP_MAX_REPS);
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
  st->hw95 = n > 1 ? stats_t_halfwidth(0.975, n - 1.0, st->sd, (double)n) : NAN;
}
