/* sweep_fig: the figures of one replication as a flat array of doubles (the form the
 * local threads store and MPI ranks send), their KPI paths, and statistics over
 * replications (see sweep.h). One table below describes every figure once. */
#include <gsl/gsl_cdf.h>
#include <math.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "models/coast.h"
#include "models/sweep/sweep.h"

/* The record kinds a sweep keeps, in flat order. */
static const kpi_record kinds[] = {KPI_CHANNEL, KPI_STATION, KPI_POOL, KPI_ZONE, KPI_ASSET};
#define NKINDS (sizeof kinds / sizeof kinds[0])

static size_t entities(const spec *sp, kpi_record g) {
  switch (g) {
  case KPI_CHANNEL: return sp->nch;
  case KPI_STATION: return sp->nst;
  case KPI_POOL: return sp->npool;
  case KPI_ZONE: return sp->coast ? sp->coast->nzone : 0;
  case KPI_ASSET: return sp->coast ? sp->coast->nasset : 0;
  default: return 0;
  }
}

static const char *entity_name(const spec *sp, kpi_record g, size_t e) {
  switch (g) {
  case KPI_CHANNEL: return sp->ch[e].name;
  case KPI_STATION: return sp->st[e].name;
  case KPI_ZONE: return sp->coast->zone[e].name;
  case KPI_ASSET: return sp->coast->asset[e].name;
  default: return sp->pool[e].name;
  }
}

static const char *entity_word(kpi_record g) {
  switch (g) {
  case KPI_CHANNEL: return "channel";
  case KPI_STATION: return "station";
  case KPI_ZONE: return "coast zone";
  case KPI_ASSET: return "coast asset";
  default: return "staff pool";
  }
}

static size_t group_count(kpi_record g) {
  size_t n;
  kpi_catalog(g, &n);
  return n;
}

size_t sweep_nval(const spec *sp) {
  size_t n = 0;
  for (size_t g = 0; g < NKINDS; g++) n += entities(sp, kinds[g]) * group_count(kinds[g]);
  return n;
}

void sweep_group_span(const spec *sp, sweep_group grp, size_t *base, size_t *nf) {
  *base = 0;
  for (size_t g = 0; g < NKINDS && kinds[g] != grp; g++) *base += entities(sp, kinds[g]) * group_count(kinds[g]);
  *nf = group_count(grp);
}

void sweep_flatten(const spec *sp, const kpi_run *k, double *out) {
  size_t o = 0;
  for (size_t g = 0; g < NKINDS; g++) {
    size_t nf;
    const kpi_field *f = kpi_catalog(kinds[g], &nf);
    for (size_t e = 0; e < entities(sp, kinds[g]); e++) {
      const void *rec = e < kpi_run_count(k, kinds[g]) ? kpi_run_record(k, kinds[g], e) : NULL;
      for (size_t i = 0; i < nf; i++) out[o++] = rec ? kpi_field_value(&f[i], rec) : NAN;
    }
  }
}

const sweep_fig *sweep_fig_at(const spec *sp, size_t i, const char **entity) {
  for (size_t g = 0; g < NKINDS; g++) {
    size_t nf;
    const kpi_field *f = kpi_catalog(kinds[g], &nf);
    size_t span = entities(sp, kinds[g]) * nf;
    if (i < span) {
      if (entity) *entity = entity_name(sp, kinds[g], i / nf);
      return &f[i % nf];
    }
    i -= span;
  }
  if (entity) *entity = "?";
  return NULL;
}

void sweep_fig_name(const spec *sp, size_t i, char *buf, size_t size) {
  const char *entity = "?";
  const sweep_fig *f = sweep_fig_at(sp, i, &entity);
  snprintf(buf, size, "%s.%s.%s", f ? kpi_record_word(f->record) : "?", entity, f ? f->name : "?");
}

static long entity_index(const spec *sp, kpi_record g, const char *name, size_t len) {
  for (size_t e = 0; e < entities(sp, g); e++) {
    const char *x = entity_name(sp, g, e);
    if (strlen(x) == len && !strncmp(x, name, len)) return (long)e;
  }
  return -1;
}

int sweep_fig_find(const spec *sp, const char *path, size_t *index, sim_error *err) {
  const char *dot1 = strchr(path, '.'), *dot2 = strrchr(path, '.');
  int g = -1;
  for (size_t i = 0; dot1 && i < NKINDS; i++) {
    const char *w = kpi_record_word(kinds[i]);
    if ((size_t)(dot1 - path) == strlen(w) && !strncmp(path, w, strlen(w))) g = (int)kinds[i];
  }
  if (g < 0 || dot2 == dot1)
    return sim_error_set(err, SIM_EINVAL,
                         "%s: unknown KPI (expected channels.NAME.FIGURE, stations.NAME.FIGURE, "
                         "staff.NAME.FIGURE, coast.ZONE.FIGURE or coast_assets.NAME.FIGURE)",
                         path);
  long e = entity_index(sp, (kpi_record)g, dot1 + 1, (size_t)(dot2 - dot1 - 1));
  if (e < 0)
    return sim_error_set(err, SIM_EINVAL, "%s: no %s '%.*s' in the scenario", path,
                         entity_word((kpi_record)g), (int)(dot2 - dot1 - 1), dot1 + 1);
  size_t nf, base;
  const kpi_field *f = kpi_catalog((kpi_record)g, &nf);
  sweep_group_span(sp, (kpi_record)g, &base, &nf);
  for (size_t i = 0; i < nf; i++) {
    if (strcmp(f[i].name, dot2 + 1)) continue;
    *index = base + (size_t)e * nf + i;
    return 0;
  }
  char list[2048] = "";
  for (size_t i = 0, used = 0; i < nf && used < sizeof list; i++)
    used += (size_t)snprintf(list + used, sizeof list - used, "%s%s", i ? ", " : "", f[i].name);
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
