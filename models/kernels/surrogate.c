/* surrogate: a kernel's operating characteristic tabulated from a calibration batch of
 * synthetic items, sampled instead of running the kernel (see surrogate.h). */
#include "models/kernels/surrogate.h"
#include "models/kernels/surrogate_internal.h"
#include "models/kernels/kdraw.h"
#include "models/kernels/ksort.h"

#include <assert.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_randist.h>

#include "sim/error.h"
#include "sim/rng.h"

#define MAX_ITEMS 20000000u /* hard cap on the calibration batch */
#define MAX_ITEMS_TEXT "20000000"

/* Cells of a row: 0 is clean, then contraband x amount bin x concealment. */
static size_t cell_of(const surrogate *s, size_t row, int ci, size_t bin, size_t col) {
  /* rows, bins and columns come from the table's own lookups, never from input */
  assert(row < s->nkinds && bin < s->nbins && col < s->nconceal);
  assert(ci < 0 || (size_t)ci < s->ncontra);
  if (ci < 0) return row * s->row_cells;
  return row * s->row_cells + 1 + ((size_t)ci * s->nbins + bin) * s->nconceal + col;
}

static size_t kg_bin(const surrogate *s, double kg) {
  size_t b = 0;
  while (b + 1 < s->nbins && kg >= s->edges[b + 1]) b++;
  return b;
}

static size_t row_of(const surrogate *s, int kind) {
  return (size_t)s->kind_row[kind >= 0 && kind < KIND_N ? kind : KIND_GENERIC];
}

/* The cell for an item's truth: untabulated or unseen contraband reads as clean. */
static size_t cell_for(const surrogate *s, int kind, int contra, double kg, int conceal) {
  size_t row = row_of(s, kind);
  int ci = contra > 0 && contra < CONTRA_N ? s->contra_idx[contra] : -1;
  int col = conceal >= 0 && conceal < CONCEAL_N ? s->conceal_col[conceal] : 0;
  if (ci < 0 || col < 0) return cell_of(s, row, -1, 0, 0);
  return cell_of(s, row, ci, kg_bin(s, isfinite(kg) ? kg : 0.0), (size_t)col);
}

/* Typical gross masses by kind (model assumptions, not measurements): a 15 kg checked
 * bag, 2 kg express parcel, 0.5 kg small mail packet, a 150 kg air cargo consignment,
 * and a 20-foot container of 2200 kg tare plus about 12 t of goods (payload limit about
 * 28 t, ISO 668 gross 30.5 t). Lognormal spread around the median. */
double surrogate_mass_kg(int kind, gsl_rng *r) {
  static const double med[KIND_N] = {5, 15, 15, 2, 0.5, 150, 12000, 50};
  static const double sig[KIND_N] = {0.8, 0.4, 0.4, 0.9, 0.8, 0.8, 0.5, 1.0};
  int k = kind >= 0 && kind < KIND_N ? kind : KIND_GENERIC;
  double m = med[k] * exp(sig[k] * gsl_ran_gaussian_ziggurat(r, 1.0));
  if (k == KIND_SEA_CONTAINERS) m = 2200.0 + fmin(m, 28000.0);
  return m;
}

void surrogate_item(const surrogate_spec *spec, int kind, int contra, size_t kgbin,
                    int conceal, gsl_rng *r, item *it) {
  memset(it, 0, sizeof *it);
  it->kind = (uint8_t)kind;
  double kg = 0.0;
  if (contra != CONTRA_NONE && spec->nedges >= 2) {
    size_t b = kgbin + 1 < spec->nedges ? kgbin : spec->nedges - 2;
    double lo = spec->kg_edges[b], hi = spec->kg_edges[b + 1];
    kg = lo * pow(hi / lo, gsl_rng_uniform(r)); /* log-uniform inside the bin */
  }
  double goods = spec->mass_kg ? spec->mass_kg(kind, r) : surrogate_mass_kg(kind, r);
  it->mass_kg = goods + kg;
  it->decl.gross_kg = it->mass_kg;
  it->truth.contraband = (uint8_t)contra;
  it->truth.contraband_kg = kg;
  it->truth.concealment = (uint8_t)(contra != CONTRA_NONE ? conceal : CONCEAL_NONE);
}

int surrogate_check_spec(const surrogate_spec *sp, sim_error *err) {
  const char *why = NULL;
  if (!sp->kinds || sp->nkinds < 1 || sp->nkinds > KIND_N) why = "nkinds out of 1..KIND_N";
  for (size_t i = 0; !why && i < sp->nkinds; i++)
    if (sp->kinds[i] >= KIND_N) why = "bad item kind";
  for (int k = 0; !why && k < KIND_N; k++)
    if (sp->kind_row[k] < 0 || (size_t)sp->kind_row[k] >= sp->nkinds) why = "bad kind_row";
  if (!why && sp->ncontra >= CONTRA_N) why = "too many contraband kinds";
  for (size_t i = 0; !why && i < sp->ncontra; i++)
    if (sp->contra[i] == CONTRA_NONE || sp->contra[i] >= CONTRA_N) why = "bad contraband";
  if (!why && (sp->nedges < 2 || !sp->kg_edges)) why = "need at least two kg edges";
  for (size_t i = 0; !why && i < sp->nedges; i++)
    if (!(sp->kg_edges[i] > 0) || (i && !(sp->kg_edges[i] > sp->kg_edges[i - 1])))
      why = "kg edges must be positive and ascending";
  if (!why && (!sp->conceal || sp->nconceal < 1 || sp->nconceal > CONCEAL_N))
    why = "nconceal out of 1..CONCEAL_N";
  for (size_t i = 0; !why && i < sp->nconceal; i++)
    if (sp->conceal[i] >= CONCEAL_N) why = "bad concealment";
  for (int c = 0; !why && c < CONCEAL_N; c++)
    if (sp->conceal_col[c] < -1 || sp->conceal_col[c] >= (int)sp->nconceal)
      why = "bad conceal_col";
  if (!why && (sp->n_clean < 1 || sp->n_cell < 1)) why = "n_clean and n_cell must be >= 1";
  if (!why) {
    size_t cells = 1 + sp->ncontra * (sp->nedges - 1) * sp->nconceal;
    if ((double)sp->nkinds * ((double)sp->n_clean + (double)cells * (double)sp->n_cell) <=
        MAX_ITEMS)
      return 0;
    why = "batch over " MAX_ITEMS_TEXT " items";
  }
  return sim_error_set(err, SIM_EINVAL, "surrogate: %s", why);
}

surrogate *surrogate_alloc_table(const surrogate_spec *sp) {
  surrogate *s = calloc(1, sizeof *s);
  if (!s) return NULL;
  s->nkinds = sp->nkinds;
  s->ncontra = sp->ncontra;
  s->nbins = sp->nedges - 1;
  s->nconceal = sp->nconceal;
  s->row_cells = 1 + s->ncontra * s->nbins * s->nconceal;
  s->ncells = s->nkinds * s->row_cells;
  s->nitems = s->nkinds * (sp->n_clean + (s->row_cells - 1) * sp->n_cell);
  memcpy(s->kind_row, sp->kind_row, sizeof s->kind_row);
  memcpy(s->conceal_col, sp->conceal_col, sizeof s->conceal_col);
  memset(s->contra_idx, -1, sizeof s->contra_idx);
  for (size_t i = 0; i < sp->ncontra; i++) s->contra_idx[sp->contra[i]] = (int8_t)i;
  s->edges = malloc(sp->nedges * sizeof *s->edges);
  s->off = calloc(s->ncells, sizeof *s->off);
  s->cnt = calloc(s->ncells, sizeof *s->cnt);
  s->score = malloc(s->nitems * sizeof *s->score);
  s->time = malloc(s->nitems * sizeof *s->time);
  s->alarm = malloc(s->nitems);
  if (!s->edges || !s->off || !s->cnt || !s->score || !s->time || !s->alarm) {
    surrogate_free(s);
    return NULL;
  }
  memcpy(s->edges, sp->kg_edges, sp->nedges * sizeof *s->edges);
  return s;
}

/* Runs the kernel on n fresh items of one cell, appending the outcomes at *pos. */
static int run_cell(surrogate *s, const surrogate_spec *sp, const kernel_type *t, void *st,
                    gsl_rng *r, size_t cell, size_t n, int kind, int contra, size_t bin,
                    int conceal, size_t *pos, sim_error *err) {
  s->off[cell] = *pos;
  s->cnt[cell] = n;
  for (size_t i = 0; i < n; i++, (*pos)++) {
    item it;
    surrogate_item(sp, kind, contra, bin, conceal, r, &it);
    it.id = *pos;
    kernel_verdict v = {0};
    int rc = t->decide(st, &it, r, &v);
    if (rc) return sim_error_set(err, rc, "surrogate: %s decide failed (%d)", t->name, rc);
    s->score[*pos] = isfinite(v.score) ? v.score : 0.0;
    s->time[*pos] = isfinite(v.time_s) ? v.time_s : 0.0;
    s->alarm[*pos] = v.alarm != 0;
  }
  return 0;
}

static uint64_t mix64(uint64_t z) { /* splitmix64 finalizer: decorrelates nearby seeds */
  z += 0x9E3779B97F4A7C15u;
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9u;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBu;
  return z ^ (z >> 31);
}

static int fill_table(surrogate *s, const surrogate_spec *sp, const kernel_type *t,
                      void *st, gsl_rng *r, sim_error *err) {
  size_t pos = 0;
  for (size_t row = 0; row < s->nkinds; row++) {
    int kind = sp->kinds[row];
    int rc = run_cell(s, sp, t, st, r, cell_of(s, row, -1, 0, 0), sp->n_clean, kind,
                      CONTRA_NONE, 0, CONCEAL_NONE, &pos, err);
    for (size_t c = 0; !rc && c < s->ncontra; c++)
      for (size_t b = 0; !rc && b < s->nbins; b++)
        for (size_t j = 0; !rc && j < s->nconceal; j++)
          rc = run_cell(s, sp, t, st, r, cell_of(s, row, (int)c, b, j), sp->n_cell, kind,
                        sp->contra[c], b, sp->conceal[j], &pos, err);
    if (rc) return rc;
  }
  return 0;
}

int surrogate_build(surrogate **out, const kernel_type *t, void *full_state,
                    const kernel_opts *o, const surrogate_spec *spec, sim_error *err) {
  *out = NULL;
  if (!t || !t->decide || !spec)
    return sim_error_set(err, SIM_EINVAL, "surrogate: no kernel or spec");
  int rc = surrogate_check_spec(spec, err);
  if (rc) return rc;
  surrogate *s = surrogate_alloc_table(spec);
  gsl_rng *r = gsl_rng_alloc(kdraw_mt19937); /* gsl_rng_mt19937's sequence */
  if (!s || !r) {
    surrogate_free(s);
    gsl_rng_free(r);
    return sim_error_set(err, SIM_ENOMEM, "surrogate: out of memory");
  }
  gsl_rng_set(r, (unsigned long)mix64((o ? o->seed : 0) ^ 0x53555247u));
  rc = fill_table(s, spec, t, full_state, r, err);
  gsl_rng_free(r);
  if (rc) {
    surrogate_free(s);
    return rc;
  }
  *out = s;
  return 0;
}

void surrogate_free(surrogate *s) {
  if (!s) return;
  free(s->edges);
  free(s->off);
  free(s->cnt);
  free(s->score);
  free(s->time);
  free(s->alarm);
  free(s);
}

int surrogate_decide(const surrogate *s, const item *it, gsl_rng *r, kernel_verdict *v) {
  size_t c = cell_for(s, it->kind, it->truth.contraband, it->truth.contraband_kg,
                      it->truth.concealment);
  if (!s->cnt[c]) return SIM_ERUN;
  size_t i = s->off[c] + (size_t)rng_uniform_int(r, (unsigned long)s->cnt[c]);
  assert(i < s->nitems);
  v->score = s->score[i];
  v->alarm = s->alarm[i];
  v->time_s = s->time[i];
  return 0;
}

double surrogate_alarm_rate(const surrogate *s, int kind, int contra, double kg,
                            int conceal, size_t *n) {
  if (kind < 0 || kind >= KIND_N) return NAN;
  size_t c = cell_for(s, kind, contra, kg, conceal), a = 0;
  for (size_t i = 0; i < s->cnt[c]; i++) a += s->alarm[s->off[c] + i];
  if (n) *n = s->cnt[c];
  return s->cnt[c] ? (double)a / (double)s->cnt[c] : NAN;
}

double surrogate_mean_time(const surrogate *s, int kind) {
  size_t row = row_of(s, kind), first = s->off[cell_of(s, row, -1, 0, 0)], n = 0;
  double sum = 0;
  for (size_t c = 0; c < s->row_cells; c++) n += s->cnt[row * s->row_cells + c];
  for (size_t i = 0; i < n; i++) sum += s->time[first + i]; /* a row is contiguous */
  return n ? sum / (double)n : NAN;
}

size_t surrogate_items(const surrogate *s) { return s ? s->nitems : 0; }

/* Scores of the clean (pos = 0) or contraband (pos = 1) cells selected; caller frees. */
static double *gather(const surrogate *s, int kind, int contra, int pos, size_t *n) {
  *n = 0;
  double *v = malloc((s->nitems ? s->nitems : 1) * sizeof *v);
  if (!v) return NULL;
  int ci = contra >= 0 && contra < CONTRA_N ? s->contra_idx[contra] : -1;
  for (size_t row = 0; row < s->nkinds; row++) {
    if (kind >= 0 && row != row_of(s, kind)) continue;
    for (size_t c = 0; c < s->row_cells; c++) {
      int cc = c ? (int)((c - 1) / (s->nbins * s->nconceal)) : -1;
      if (pos ? (c == 0 || (contra >= 0 && cc != ci)) : c != 0) continue;
      size_t k = row * s->row_cells + c;
      for (size_t i = 0; i < s->cnt[k]; i++) v[(*n)++] = s->score[s->off[k] + i];
    }
  }
  if (ksort_doubles_desc(v, *n)) free(v), v = NULL, *n = 0;
  return v;
}

size_t surrogate_roc(const surrogate *s, int kind, int contra, size_t npts, double *thr,
                     double *pfa, double *pd) {
  size_t nn, np, w = 0;
  double *neg = gather(s, kind, contra, 0, &nn), *pos = gather(s, kind, contra, 1, &np);
  double *all = malloc((nn + np + 1) * sizeof *all);
  if (neg && pos && all && nn && np && npts >= 2) {
    size_t nd = 0, i = 0, j = 0; /* distinct thresholds, descending */
    for (size_t a = 0, b = 0, k = 0; k < nn + np; k++) /* both sorted: merge them */
      all[k] = b == np || (a < nn && neg[a] >= pos[b]) ? neg[a++] : pos[b++];
    for (size_t k = 0; k < nn + np; k++)
      if (!nd || all[k] != all[nd - 1]) all[nd++] = all[k];
    size_t npoint = nd + 1, last = (size_t)-1;
    for (size_t q = 0; q < npts && q < npoint; q++) {
      size_t k = npoint <= npts ? q : (size_t)llround((double)q * (double)(npoint - 1) /
                                                      (double)(npts - 1));
      if (k == last) continue;
      last = k;
      double t = k ? all[k - 1] : INFINITY;
      while (i < nn && neg[i] >= t) i++;
      while (j < np && pos[j] >= t) j++;
      thr[w] = t;
      pfa[w] = (double)i / (double)nn;
      pd[w++] = (double)j / (double)np;
    }
  }
  free(neg);
  free(pos);
  free(all);
  return w;
}

double surrogate_auc(const surrogate *s, int kind, int contra) {
  size_t nn, np;
  double *neg = gather(s, kind, contra, 0, &nn), *pos = gather(s, kind, contra, 1, &np);
  double auc = NAN;
  if (neg && pos && nn && np) {
    double u = 0;
    size_t below = 0, eq_end = 0; /* both sorted descending: walk negatives from the end */
    for (size_t k = np; k-- > 0;) { /* ascending positives */
      while (below < nn && neg[nn - 1 - below] < pos[k]) below++;
      eq_end = below;
      while (eq_end < nn && neg[nn - 1 - eq_end] == pos[k]) eq_end++;
      u += (double)below + 0.5 * (double)(eq_end - below);
    }
    auc = u / ((double)nn * (double)np);
  }
  free(neg);
  free(pos);
  return auc;
}
