/* xray_detect: what the X-ray kernel makes of an image: connected components of alike
 * labels merged into regions, the most drug-like step of each region over a neighbour
 * (layer peeling), region features (the drug library and the drug-window rule among
 * them), the region models' largest logits and the score (or, in training, the
 * labelled region rows). */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "models/kernels/xray_internal.h"
#include "sim/error.h"

/* ---- segmentation ---- */

static int32_t uf_find(int32_t *par, int32_t i) {
  while (par[i] != i) i = par[i] = par[par[i]];
  return i;
}

static void uf_union(int32_t *par, int32_t a, int32_t b) {
  a = uf_find(par, a), b = uf_find(par, b);
  if (a < b) par[b] = a;
  else if (b < a) par[a] = b;
}

/* The Z of a component's mean, computed when first asked for. */
static double comp_z(const phys *p, reg *g) {
  if (!g->zok) g->z = xray_zinv(p, g->sh / g->n, g->sl / g->sh, NULL), g->zok = 1;
  return g->z;
}

static int similar(const phys *p, reg *a, reg *b) {
  if (a->type != 2 || b->type != 2 || !(fabs(a->lh - b->lh) < 0.12)) return 0;
  return fabs(comp_z(p, a) - comp_z(p, b)) < 1.0;
}

/* Connected components (4-neighbours) of equal labels in the window, with their sums;
 * every parent has a smaller index than its child, so one forward pass resolves the
 * roots. The open beam outside the window joins the component of the first open bin
 * in it (it only dilutes that background's mean of 0). */
static int components(xray *x) {
  int m = x->m, nc = 0, w0 = x->wx0, w1 = x->wx1;
  int32_t *par = x->par;
  const uint16_t *lab = x->lab;
  /* the first row and the first bin of each row apart: the others have both
   * neighbours, so the test of each is a comparison, not a branch */
  for (int i = w0 + 1, j = x->wy0 * m + w0 + 1; i < w1 && x->wy0 < x->wy1; i++, j++)
    par[j] = lab[j - 1] == lab[j] ? j - 1 : j;
  for (int y = x->wy0; y < x->wy1 && w0 < w1; y++) {
    int j = y * m + w0;
    par[j] = y > x->wy0 && lab[j - m] == lab[j] ? j - m : j;
    if (y == x->wy0) continue;
    for (int i = w0 + 1; i < w1; i++) {
      j++;
      int l = lab[j], left = lab[j - 1] == l, up = lab[j - m] == l;
      par[j] = left ? j - 1 : up ? j - m : j;
      if ((left & up) && lab[j - m - 1] != l) uf_union(par, j - 1, j - m);
    }
  }
  /* the sums of the component of the current run of bins are held in registers (the
   * same additions in the same order as adding to the component's own fields) */
  reg *run = NULL;
  int gn = 0, gf = 0;
  double gh = 0, gl = 0;
  for (int y = x->wy0; y < x->wy1; y++)
    for (int j = y * m + w0, e = y * m + w1; j < e; j++) {
      par[j] = par[par[j]];
      int c = par[j] == j ? nc++ : x->comp[par[j]];
      if (par[j] == j) x->cs[c] = (reg){0}, x->cs[c].type = lab[j] < 2 ? lab[j] : 2, x->cpar[c] = c;
      x->comp[j] = c;
      if (run != &x->cs[c]) {
        if (run) run->n = gn, run->nflag = gf, run->sh = gh, run->sl = gl;
        run = &x->cs[c], gn = run->n, gf = run->nflag, gh = run->sh, gl = run->sl;
      }
      gn++, gf += x->cflag[j], gh += x->hb[j], gl += x->lb[j];
    }
  if (run) run->n = gn, run->nflag = gf, run->sh = gh, run->sl = gl;
  if (x->open >= 0) x->cs[x->comp[x->open]].n += m * m - (w1 - w0) * (x->wy1 - x->wy0);
  for (int c = 0; c < nc; c++) {
    reg *g = &x->cs[c];
    g->lh = log(xray_fmax(g->sh / g->n, 1e-6)); /* its Z: comp_z, only if merge needs it */
  }
  return nc;
}

/* Merges neighbouring components with alike means (a label edge cut through one
 * object) and keeps the bin pairs on component borders. */
static void merge(xray *x, const phys *p) {
  int m = x->m, n = 0;
  int32_t *bnd = x->bnd;
  const int32_t *comp = x->comp;
  /* the border pairs first, without a branch on each (the last row and column have no
   * neighbour below or to the right), then the merge tests in the same order */
  for (int y = x->wy0; y < x->wy1; y++) {
    int down = y + 1 < x->wy1;
    for (int i = x->wx0, j = y * m + x->wx0; i < x->wx1; i++, j++) {
      int r = i + 1 < x->wx1 ? j + 1 : j, dn = down ? j + m : j; /* j: no neighbour */
      bnd[n] = j, bnd[n + 1] = j + 1, n += 2 * (comp[j] != comp[r]);
      bnd[n] = j, bnd[n + 1] = j + m, n += 2 * (comp[j] != comp[dn]);
    }
  }
  x->nbnd = n;
  for (int e = 0, la = -1, lb = -1; e < n; e += 2) {
    int a = comp[bnd[e]], b = comp[bnd[e + 1]];
    if (a == la && b == lb) continue; /* the pair just tested (along a border) */
    la = a, lb = b;
    if (similar(p, &x->cs[a], &x->cs[b])) uf_union(x->cpar, a, b);
  }
}

/* Folds merged components into their roots (cpar[c] becomes c's region), then counts
 * the contact of every pair of touching regions. */
static void regions(xray *x, int nc) {
  for (int c = 0; c < nc; c++) {
    int r = x->cpar[c] = uf_find(x->cpar, c);
    if (r == c) continue;
    reg *a = &x->cs[r], *b = &x->cs[c];
    a->n += b->n, a->nflag += b->nflag, a->sh += b->sh, a->sl += b->sl;
    b->n = 0;
  }
  if (++x->pgen == 0) memset(x->ptab, 0, x->psize * sizeof *x->ptab), x->pgen = 1;
  /* an image uses the first slots only, at least twice as many as it has bin pairs
   * (so they stay in cache); slots of older images read as free by their generation.
   * Pairs are numbered in order of first sight, whatever the table's size. */
  uint32_t mask = 1, last = 0;
  while (mask < (uint32_t)x->nbnd && mask < x->psize) mask *= 2;
  mask--;
  uint64_t lastkey = UINT64_MAX; /* bins along one border repeat a pair */
  x->npr = 0;
  for (int i = 0; i < x->nbnd; i += 2) {
    int a = x->cpar[x->comp[x->bnd[i]]], b = x->cpar[x->comp[x->bnd[i + 1]]];
    if (a == b) continue;
    if (a > b) a ^= b, b ^= a, a ^= b;
    uint64_t key = (uint64_t)a << 32 | (uint32_t)b;
    if (key != lastkey) {
      uint32_t s = (uint32_t)((key * 0x9E3779B97F4A7C15u) >> 32) & mask;
      pslot *t = x->ptab;
      while (t[s].gen == x->pgen && t[s].key != key) s = (s + 1) & mask;
      if (t[s].gen != x->pgen) {
        t[s] = (pslot){.key = key, .gen = x->pgen, .val = x->npr};
        x->pr[x->npr++] = (pair){a, b, 0};
      }
      lastkey = key, last = (uint32_t)t[s].val;
    }
    x->pr[last].n++;
    x->cs[a].contact++, x->cs[b].contact++;
  }
}

/* ---- regions, rule and classifier ---- */

/* Distance of z from the nearest drug of the library (its centre if it is empty). */
static double zlib_dist(const phys *p, double z) {
  double d = 1e9;
  for (int k = 0; k < p->nlib; k++) d = xray_fmin(d, fabs(z - p->zlib[k]));
  return p->nlib ? d : fabs(z - p->zlib[0]);
}

/* The most drug-like step of each region over a neighbour (nearest a library drug): the
 * layer that would raise the neighbour's (H, L) to the region's, read by zstep (layer
 * peeling). Steps whose Z is uncertain by more than 1 (photon noise of both means,
 * propagated) are ignored. */
static void steps(xray *x, const phys *p) {
  for (int k = 0; k < x->npr; k++)
    for (int d = 0; d < 2; d++) {
      reg *hi = &x->cs[d ? x->pr[k].b : x->pr[k].a], *lo = &x->cs[d ? x->pr[k].a : x->pr[k].b];
      if (hi->type != 2 || hi->n < MINPX || lo->type == 1 || x->pr[k].n < 2) continue;
      double h1 = hi->sh / hi->n, h0 = lo->sh / lo->n, l1 = hi->sl / hi->n, l0 = lo->sl / lo->n;
      double dh = h1 - h0, g, slope;
      if (dh < p->hmin) continue;
      double r = (l1 - l0) / dh, z = xray_zstep(p, xray_fmax(h0, 0), h1, r, &g, &slope);
      /* a binned pixel's sd of H is about e^(H/2) / (2 sqrt(n0)); the same for L */
      double vh = (exp(h1) / hi->n + exp(h0) / lo->n) / (4 * p->n0[1]);
      double vl = (exp(l1) / hi->n + exp(l0) / lo->n) / (4 * p->n0[0]);
      double sd = fabs(slope) * sqrt(vl + r * r * vh) / dh;
      if (sd > 1.0) continue;
      if (hi->sn && zlib_dist(p, z) >= zlib_dist(p, hi->sz)) continue;
      hi->sz = z, hi->sdh = dh, hi->sg = g, hi->sn = x->pr[k].n, hi->ssd = sd;
      hi->sfl = (double)lo->nflag / lo->n;
    }
}

/* Region features: distances of the best step's Z and of the region's own Z from the
 * nearest library drug (in half-widths of the window), the step's mass over the
 * region, size, step and total H, the drug-window rule (step Z_eff in [zeff_lo,
 * zeff_hi] and mass >= rule_g) and the step's Z uncertainty. */
static void features(const xray *x, const phys *p, const reg *g, double pix_cm2, double *f) {
  double h = g->sh / g->n, zr = xray_zinv(p, h, g->sl / g->sh, NULL), zs = g->sn ? g->sz : zr;
  double hw = 0.5 * (x->prm[P_ZHI] - x->prm[P_ZLO]);
  double mg = g->sn ? g->sg * g->n * pix_cm2 : 0;
  f[0] = xray_fmin(zlib_dist(p, zs) / hw, 6), f[1] = xray_fmin(zlib_dist(p, zr) / hw, 6);
  f[2] = log1p(mg), f[3] = log(g->n), f[4] = g->sn ? g->sdh : 0, f[5] = h;
  f[6] = zs >= x->prm[P_ZLO] && zs <= x->prm[P_ZHI] && mg >= x->prm[P_RULE_G];
  f[7] = g->sn ? g->ssd : 1;
}

double xray_logit_eta(const logit *m, const double *f, int d) {
  double e = m->beta[0];
  for (int i = 0; i < d; i++) e += m->beta[i + 1] * (f[i] - m->mu[i]) / m->sd[i];
  return e;
}

int xray_kind_group(int kind) {
  switch (kind) {
  case KIND_MAIL: return 1;
  case KIND_PASSENGERS_IN: case KIND_PASSENGERS_OUT: return 2;
  case KIND_AIR_CARGO: return 3;
  default: return 0; /* express, generic and exports; sea containers (their own scale) */
  }
}

static int train_add(train_set *t, const double *f, int y) {
  if (t->n == t->cap) {
    size_t cap = t->cap ? 2 * t->cap : 4096;
    double *nx = realloc(t->x, cap * NFEAT * sizeof *nx);
    if (nx) t->x = nx;
    int *ny = nx ? realloc(t->y, cap * sizeof *ny) : NULL;
    if (!ny) return SIM_ENOMEM;
    t->y = ny, t->cap = cap;
  }
  memcpy(t->x + t->n * NFEAT, f, NFEAT * sizeof *f);
  t->y[t->n++] = y;
  return 0;
}

/* Score: 1 for a large opaque region (parcels and bags), else the classifier's score
 * from the largest logit of each region model (xray_model_score). In training, every
 * candidate region is a row: regions off the contraband (<= 10% of pixels) are
 * negatives (0), regions mostly on it whose best step is over a neighbour off it (so
 * the step is the contraband's edge) positives (1), others unclear (2). */
static double judge(xray *x, const phys *p, int kind, int nc, train_set *ts, double *e,
                    int *rc) {
  const geom *g = xray_geom(kind);
  double pix = 4 * g->w * g->h / ((double)x->n * x->n), opq = 0, f[NFEAT], best[NREG];
  for (int k = 0; k < NREG; k++) best[k] = -HUGE_VAL;
  for (int c = 0; c < nc; c++) {
    const reg *r = &x->cs[c];
    if (x->cpar[c] != c) continue;
    if (r->type == 1 && g->opaque_rule && x->prm[P_OPAQUE] > 0 && r->n * pix >= x->prm[P_OPAQUE])
      opq = 1;
    if (r->type != 2 || r->n < MINPX) continue;
    features(x, p, r, pix, f);
    if (ts) {
      double on = (double)r->nflag / r->n;
      int pos = on >= 0.5 && r->sn && r->sfl <= 0.1;
      if (!*rc) *rc = train_add(ts, f, pos ? 1 : on <= 0.1 ? 0 : 2);
      continue;
    }
    for (int k = 0; k < NREG; k++)
      best[k] = xray_fmax(best[k], xray_logit_eta(&p->cls.reg[k], f, NFEAT));
  }
  if (e) memcpy(e, best, sizeof best);
  if (ts) return 0;
  return opq ? 1 : xray_model_score(&p->cls, xray_kind_group(kind), best);
}

double xray_scan(xray *x, const item *it, gsl_rng *r, train_set *ts, double *e, int *rc) {
  const geom *g = xray_geom(it->kind);
  const phys *p = &x->ph[g->scale];
  xray_layout(x, g, it, r);
  xray_stacks(x, p);
  xray_image(x, p, r);
  int nc = components(x);
  merge(x, p);
  regions(x, nc);
  steps(x, p);
  return judge(x, p, it->kind, nc, ts, e, rc);
}
