/* xray_detect: what the X-ray kernel makes of an image: connected components of alike
 * labels merged into regions, the most drug-like step of each region over a neighbour
 * (layer peeling), region and item features, the drug-window rule and the two logistic
 * stages that give the score (or, in training, the labelled rows). */
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

static int similar(const reg *a, const reg *b) {
  return a->type == 2 && b->type == 2 && fabs(a->lh - b->lh) < 0.12 && fabs(a->z - b->z) < 1.0;
}

/* Connected components (4-neighbours) of equal labels with their sums; every parent
 * has a smaller index than its child, so one forward pass resolves the roots. */
static int components(xray *x, const phys *p) {
  int m = x->m, mm = m * m, nc = 0;
  int32_t *par = x->par;
  const uint16_t *lab = x->lab;
  for (int j = 0; j < mm; j++) {
    int l = lab[j], left = j % m && lab[j - 1] == l, up = j >= m && lab[j - m] == l;
    par[j] = left ? j - 1 : up ? j - m : j;
    if (left && up && lab[j - m - 1] != l) uf_union(par, j - 1, j - m);
  }
  for (int j = 0; j < mm; j++) {
    par[j] = par[par[j]];
    int c = par[j] == j ? nc++ : x->comp[par[j]];
    if (par[j] == j) x->cs[c] = (reg){0}, x->cs[c].type = lab[j] < 2 ? lab[j] : 2, x->cpar[c] = c;
    x->comp[j] = c;
    reg *g = &x->cs[c];
    g->n++, g->nflag += x->cflag[j], g->sh += x->hb[j], g->sl += x->lb[j];
  }
  for (int c = 0; c < nc; c++) {
    reg *g = &x->cs[c];
    g->lh = log(fmax(g->sh / g->n, 1e-6));
    if (g->type == 2) g->z = xray_zinv(p, g->sh / g->n, g->sl / g->sh, NULL);
  }
  return nc;
}

/* Merges neighbouring components with alike means (a label edge cut through one
 * object) and keeps the pixel pairs on component borders. */
static void merge(xray *x) {
  int m = x->m, mm = m * m;
  x->nbnd = 0;
  for (int j = 0; j < mm; j++)
    for (int d = 0; d < 2; d++) {
      int k = d ? j + m : j + 1;
      if (d ? k >= mm : k % m == 0) continue;
      int a = x->comp[j], b = x->comp[k];
      if (a == b) continue;
      x->bnd[x->nbnd++] = j, x->bnd[x->nbnd++] = k;
      if (similar(&x->cs[a], &x->cs[b])) uf_union(x->cpar, a, b);
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
  if (++x->pgen == 0) memset(x->pgen_of, 0, x->psize * sizeof *x->pgen_of), x->pgen = 1;
  x->npr = 0;
  for (int i = 0; i < x->nbnd; i += 2) {
    int a = x->cpar[x->comp[x->bnd[i]]], b = x->cpar[x->comp[x->bnd[i + 1]]];
    if (a == b) continue;
    if (a > b) a ^= b, b ^= a, a ^= b;
    uint64_t key = (uint64_t)a << 32 | (uint32_t)b;
    uint32_t s = (uint32_t)((key * 0x9E3779B97F4A7C15u) >> 32) & (x->psize - 1);
    while (x->pgen_of[s] == x->pgen && x->pkey[s] != key) s = (s + 1) & (x->psize - 1);
    if (x->pgen_of[s] != x->pgen) {
      x->pgen_of[s] = x->pgen, x->pkey[s] = key, x->pval[s] = x->npr;
      x->pr[x->npr++] = (pair){a, b, 0};
    }
    x->pr[x->pval[s]].n++;
    x->cs[a].contact++, x->cs[b].contact++;
  }
}

/* ---- regions, rule and classifier ---- */

/* The most drug-like step of each region over a neighbour: the layer that would raise
 * the neighbour's (H, L) to the region's, read by zstep (layer peeling). Steps whose Z
 * is uncertain by more than 1 (photon noise of both means, propagated) are ignored. */
static double zlib_dist(const phys *p, double z) {
  double d = 1e9;
  for (int k = 0; k < p->nlib; k++) d = fmin(d, fabs(z - p->zlib[k]));
  return d;
}

static void steps(xray *x, const phys *p) {
  x->nws = 0;
  for (int k = 0; k < x->npr; k++)
    for (int d = 0; d < 2; d++) {
      reg *hi = &x->cs[d ? x->pr[k].b : x->pr[k].a], *lo = &x->cs[d ? x->pr[k].a : x->pr[k].b];
      if (hi->type != 2 || hi->n < MINPX || lo->type == 1 || x->pr[k].n < 2) continue;
      double h1 = hi->sh / hi->n, h0 = lo->sh / lo->n, l1 = hi->sl / hi->n, l0 = lo->sl / lo->n;
      double dh = h1 - h0, g, slope;
      if (dh < p->hmin) continue;
      double r = (l1 - l0) / dh, z = xray_zstep(p, fmax(h0, 0), h1, r, &g, &slope);
      /* a binned pixel's sd of H is about e^(H/2) / (2 sqrt(n0)); the same for L */
      double vh = (exp(h1) / hi->n + exp(h0) / lo->n) / (4 * p->n0[1]);
      double vl = (exp(l1) / hi->n + exp(l0) / lo->n) / (4 * p->n0[0]);
      double sd = fabs(slope) * sqrt(vl + r * r * vh) / dh;
      if (sd > 1.0) continue;
      if (z >= x->prm[P_ZLO] && z <= x->prm[P_ZHI] && x->nws < x->m * x->m)
        x->ws[x->nws++] = (wstep){dh, g, x->pr[k].n};
      if (hi->sn && zlib_dist(p, z) >= zlib_dist(p, hi->sz)) continue;
      hi->sz = z, hi->sdh = dh, hi->sg = g, hi->sn = x->pr[k].n, hi->ssd = sd;
      hi->sfl = (double)lo->nflag / lo->n;
    }
}

/* Region features: distances of the best step's Z and of the region's own Z from the
 * drug window (in half-widths), the step's mass over the region, size, step and total
 * H, the drug-window rule (step Z_eff in [zeff_lo, zeff_hi] and mass >= rule_g) and the
 * step's Z uncertainty. */
static void features(const xray *x, const phys *p, const reg *g, double pix_cm2, double *f) {
  double h = g->sh / g->n, zr = xray_zinv(p, h, g->sl / g->sh, NULL), zs = g->sn ? g->sz : zr;
  double hw = 0.5 * (x->prm[P_ZHI] - x->prm[P_ZLO]);
  double mg = g->sn ? g->sg * g->n * pix_cm2 : 0;
  f[0] = fmin(zlib_dist(p, zs) / hw, 6), f[1] = fmin(zlib_dist(p, zr) / hw, 6);
  f[2] = log1p(mg), f[3] = log(g->n), f[4] = g->sn ? g->sdh : 0, f[5] = h;
  f[6] = zs >= x->prm[P_ZLO] && zs <= x->prm[P_ZHI] && mg >= x->prm[P_RULE_G];
  f[7] = g->sn ? g->ssd : 1;
}

double xray_logit_eta(const logit *m, const double *f, int d) {
  double e = m->beta[0];
  for (int i = 0; i < d; i++) e += m->beta[i + 1] * (f[i] - m->mu[i]) / m->sd[i];
  return e;
}

/* Item features: the most suspect region's logit; the strongest set of drug-window
 * steps of one height (within 15% in dH, as a slab's edges are over any background):
 * their total contact and the slab mass it outlines (a square of that perimeter); the
 * opaque area (cm^2); and the kind (mail, bag, air cargo; else express or container),
 * as clutter and so false alarms differ by kind. */
static void item_features(const xray *x, int kind, double eta, double opaque, double pix_cm2,
                          double *f) {
  double best = 0, bdh = 0, bg = 0;
  for (int k = 0; k < x->nws; k++) {
    double c = 0, sg = 0;
    for (int j = 0; j < x->nws; j++)
      if (fabs(log(x->ws[j].dh / x->ws[k].dh)) < 0.15)
        c += x->ws[j].n, sg += x->ws[j].n * x->ws[j].g;
    if (c > best) best = c, bdh = x->ws[k].dh, bg = sg / c;
  }
  f[0] = eta, f[1] = log1p(best), f[2] = bdh, f[3] = log1p(bg * xray_sq(best / 4) * pix_cm2);
  f[4] = log1p(opaque), f[5] = kind == KIND_MAIL, f[7] = kind == KIND_AIR_CARGO;
  f[6] = kind == KIND_PASSENGERS_IN || kind == KIND_PASSENGERS_OUT;
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

/* Score: the calibrated probability of the most suspect region (or 1 for a large opaque
 * region). In training, every candidate region is kept with its item: regions off the
 * contraband (<= 10% of pixels) are negatives, regions mostly on it whose best step is
 * over a neighbour off it (so the step is the contraband) positives, others unlabelled
 * (y = 2), and the item's truth is marked with y + 4 on one extra row. */
static double judge(xray *x, const phys *p, int kind, int nc, train_set *ts, int *rc) {
  const geom *g = xray_geom(kind);
  double pix = 4 * g->w * g->h / ((double)x->n * x->n), eta = -10, opq = 0, oa = 0, f[NFEAT];
  for (int c = 0; c < nc; c++) {
    const reg *r = &x->cs[c];
    if (x->cpar[c] != c) continue;
    if (r->type == 1) oa += r->n * pix;
    if (r->type == 1 && g->opaque_rule && x->prm[P_OPAQUE] > 0 && r->n * pix >= x->prm[P_OPAQUE])
      opq = 1;
    if (r->type != 2 || r->n < MINPX) continue;
    features(x, p, r, pix, f);
    double on = (double)r->nflag / r->n;
    int pos = on >= 0.5 && r->sn && r->sfl <= 0.1; /* its step is the contraband's edge */
    if (!ts) eta = fmax(eta, xray_logit_eta(&p->reg, f, NFEAT));
    else if (!*rc) *rc = train_add(ts, f, pos ? 1 : on <= 0.1 ? 0 : 2);
  }
  if (ts) { /* the item row: its step evidence; fit adds the region logit */
    item_features(x, kind, 0, oa, pix, f);
    if (!*rc) *rc = train_add(ts, f, 4);
    return 0;
  }
  item_features(x, kind, eta, oa, pix, f);
  if (getenv("ETAONLY")) return 1 / (1 + exp(-eta));
  return fmax(opq, 1 / (1 + exp(-xray_logit_eta(&p->cal, f, NIF))));
}

double xray_scan(xray *x, const item *it, gsl_rng *r, train_set *ts, int *rc) {
  const geom *g = xray_geom(it->kind);
  const phys *p = &x->ph[g->scale];
  xray_layout(x, g, it, r);
  xray_stacks(x, p);
  xray_image(x, p, r);
  int nc = components(x, p);
  merge(x);
  regions(x, nc);
  steps(x, p);
  return judge(x, p, it->kind, nc, ts, rc);
}

