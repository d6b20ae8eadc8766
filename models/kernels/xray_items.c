/* xray_items: synthetic items for the X-ray kernel: the geometry of each item kind,
 * a layout of rectangular objects (packaging, goods, the contraband and its cover or
 * shield) drawn for an item, the stack of objects under every pixel, and the noisy
 * dual-energy image read in 2x2 bins with its per-bin Z / log-H labels. */
#include <math.h>
#include <string.h>

#include <gsl/gsl_randist.h>

#include "models/kernels/xray_internal.h"

static const double goods_weight[XRAY_MAT_N] = {4, 1.5, 1, 2, 0.7, 0.7, 0.6, 0.5};

/* Geometry per item kind: field of view w x h and greatest depth (cm), tare (kg),
 * packaging in the beam (material, g/cm^2 for both walls), goods objects, metal
 * thickness scale (cm), contraband slab thickness (cm) and training amounts (kg).
 * Walls: two corrugated board walls ~0.5 kg/m^2 each; hard-shell case ~2.5 mm plastic
 * x2; ULD 1 mm Al x2; a 20-ft container (ISO 668: 6.06 x 2.59 m): walls in det_def. */
#define PARCEL_GEOM {0, 1, 60, 60, 40, 0.3, XRAY_MAT_PAPER, 0.10, 2, 10, 1, {1, 5}, {0.05, 5}}
#define BAG_GEOM {0, 1, 80, 60, 30, 4.0, XRAY_MAT_PE, 0.6, 4, 14, 1, {1, 5}, {0.05, 5}}
static const geom geoms[KIND_N] = {
    [KIND_GENERIC] = PARCEL_GEOM, [KIND_PASSENGERS_IN] = BAG_GEOM,
    [KIND_PASSENGERS_OUT] = BAG_GEOM, [KIND_EXPRESS] = PARCEL_GEOM,
    [KIND_MAIL] = {0, 1, 40, 40, 20, 0.05, XRAY_MAT_PAPER, 0.03, 1, 5, 0.5, {0.5, 3}, {0.02, 1}},
    [KIND_AIR_CARGO] = {0, 0, 160, 160, 150, 80, XRAY_MAT_AL, 0.54, 4, 12, 2, {2, 15}, {0.5, 50}},
    [KIND_SEA_CONTAINERS] = {1, 0, 606, 259, 235, 2200, XRAY_MAT_FE, 0, 6, 20, 5, {5, 30},
                             {2, 300}},
    [KIND_EXPORTS] = PARCEL_GEOM,
};

const geom *xray_geom(int kind) { return &geoms[kind >= 0 && kind < KIND_N ? kind : 0]; }

static int add_rect(xray *x, int x0, int y0, int x1, int y1, int mat, double g) {
  if (x->no >= MAXOBJ || !(g > 0)) return -1;
  x0 = xray_clampi(x0, 0, x->n - 1), y0 = xray_clampi(y0, 0, x->n - 1);
  x1 = xray_clampi(x1, x0 + 1, x->n), y1 = xray_clampi(y1, y0 + 1, x->n);
  x->o[x->no] = (obj){.x0 = x0, .y0 = y0, .x1 = x1, .y1 = y1, .mat = mat, .g = g};
  return x->no++;
}

static int overlap(const xray *x, int x0, int y0, int x1, int y1) {
  int a = 0;
  for (int i = x->nwall; i < x->no; i++) {
    const obj *o = &x->o[i];
    int w = (x1 < o->x1 ? x1 : o->x1) - (x0 > o->x0 ? x0 : o->x0);
    int h = (y1 < o->y1 ? y1 : o->y1) - (y0 > o->y0 ? y0 : o->y0);
    if (w > 0 && h > 0) a += w * h;
  }
  return a;
}

/* kg of mat at bulk density rho as a slab t cm thick in box (cm): the least overlapping
 * of 3 random places, as packers set things side by side before stacking them. */
static int add_slab(xray *x, const geom *g, const double box[5], int mat, double rho,
                    double kg, double t, gsl_rng *r) {
  if (!(kg > 0) || !(t > 0)) return -1;
  double px = g->w / x->n, py = g->h / x->n, area = kg * 1000 / rho / t;
  double asp = exp(xray_urand(r, -0.7, 0.7)), w = fmin(sqrt(area * asp), box[2]);
  double h = fmin(area / w, box[3]);
  int nw = (int)fmax(1, round(w / px)), nh = (int)fmax(1, round(h / py)), best = -1, bx = 0, by = 0;
  for (int k = 0; k < 3 && best; k++) {
    int x0 = (int)(xray_urand(r, box[0], box[0] + box[2] - w) / px);
    int y0 = (int)(xray_urand(r, box[1], box[1] + box[3] - h) / py);
    int o = overlap(x, x0, y0, x0 + nw, y0 + nh);
    if (best < 0 || o < best) best = o, bx = x0, by = y0;
  }
  int i = add_rect(x, bx, by, bx + nw, by + nh, mat, 1);
  if (i >= 0) { /* keep the mass exact on the rounded footprint */
    obj *o = &x->o[i];
    o->g = kg * 1000 / ((o->x1 - o->x0) * px * (o->y1 - o->y0) * py);
  }
  return i;
}

static int pick_goods(gsl_rng *r) {
  double u = xray_urand(r, 0, 11), acc = 0; /* 11 = sum of goods_weight */
  for (int m = 0; m <= XRAY_MAT_FE; m++)
    if ((acc += goods_weight[m]) > u) return m;
  return XRAY_MAT_PAPER;
}

/* The contraband slab and its concealment (cover of sugar/paper, or a metal shield). */
static void add_contraband(xray *x, const geom *g, const double box[5], const item *it,
                           double kg, gsl_rng *r) {
  int c = it->truth.contraband, mat = XRAY_MAT_PAPER;
  double rho = 0.6, t = xray_urand(r, g->drug_t[0], g->drug_t[1]); /* cannabis: pressed 0.6 */
  if (c == CONTRA_METH || c == CONTRA_COCAINE || c == CONTRA_HEROIN)
    mat = XRAY_MAT_METH + c - CONTRA_METH, rho = xray_mats[mat].rho;
  else if (c == CONTRA_CURRENCY) rho = 0.82; /* ~1 g per 76 x 160 x 0.1 mm note */
  else if (c == CONTRA_GOLD) mat = XRAY_MAT_GOLD, rho = 19.3, t = xray_urand(r, 0.5, 1.5);
  else if (c == CONTRA_FIREARM) mat = XRAY_MAT_FE, rho = 7.87 * 0.5, t = 3.0; /* half solid */
  int i = add_slab(x, g, box, mat, rho, kg, fmin(t, box[4]), r);
  if (i < 0) return;
  x->o[i].contra = 1;
  obj o = x->o[i];
  int mx = 2 + (o.x1 - o.x0) / 5, my = 2 + (o.y1 - o.y0) / 5;
  double cover = (o.x1 - o.x0 + 2.0 * mx) * (o.y1 - o.y0 + 2.0 * my) * g->w * g->h /
                 ((double)x->n * x->n);
  if (it->truth.concealment == CONCEAL_MIXED)
    add_rect(x, o.x0 - mx, o.y0 - my, o.x1 + mx, o.y1 + my,
             gsl_rng_uniform(r) < 0.5 ? XRAY_MAT_SUGAR : XRAY_MAT_PAPER,
             kg * 1000 * xray_urand(r, 1, 3) / cover);
  else if (it->truth.concealment == CONCEAL_SHIELDED) {
    int fe = gsl_rng_uniform(r) < 0.5;
    double th = fe ? xray_urand(r, 0.1, 0.3) * g->metal_t : xray_urand(r, 0.5, 1.5) * g->metal_t;
    add_rect(x, o.x0 - mx, o.y0 - my, o.x1 + mx, o.y1 + my, fe ? XRAY_MAT_FE : XRAY_MAT_AL,
             th * xray_mats[fe ? XRAY_MAT_FE : XRAY_MAT_AL].rho);
  }
}

void xray_layout(xray *x, const geom *g, const item *it, gsl_rng *r) {
  int c = it->truth.contraband;
  double kg = isfinite(it->truth.contraband_kg) ? fmax(it->truth.contraband_kg, 0) : 0;
  if (c == CONTRA_FIREARM && kg <= 0) kg = 0.9;
  int seen = c != CONTRA_NONE && it->truth.concealment != CONCEAL_BODY && kg > 0;
  double mass = isfinite(it->mass_kg) ? fmax(it->mass_kg, 0) : 0;
  double goods = fmax(mass - g->tare - (seen ? kg : 0), 0), box[5];
  x->no = 0;
  if (mass <= 0 && !seen) return; /* nothing in the tunnel */
  if (g->scale == XRAY_SCALE_CONTAINER) {
    box[0] = box[1] = 0, box[2] = g->w, box[3] = g->h, box[4] = g->depth;
  } else { /* packed parcels and bags: bulk ~0.25 g/cm^3 (assumption) */
    double v = (goods + kg) * 1000 / 0.25 + 1000, s = cbrt(v), a = exp(xray_urand(r, -0.3, 0.3));
    box[2] = fmin(fmax(s * a, 10), g->w), box[3] = fmin(fmax(s / a, 10), g->h);
    box[4] = fmin(fmax(v / (box[2] * box[3]), 5), g->depth);
    box[0] = xray_urand(r, 0, g->w - box[2]), box[1] = xray_urand(r, 0, g->h - box[3]);
  }
  double px = g->w / x->n, py = g->h / x->n;
  x->nwall = mass > 0 && add_rect(x, (int)(box[0] / px), (int)(box[1] / py),
                                  (int)((box[0] + box[2]) / px), (int)((box[1] + box[3]) / py),
                                  g->wall, g->wall_g) >= 0;
  if (seen) add_contraband(x, g, box, it, kg, r);
  int k = g->nmin + (int)gsl_rng_uniform_int(r, (unsigned long)(g->nmax - g->nmin + 1));
  k = (int)fmin(k, 1 + goods / 0.05);
  double e[MAXOBJ], se = 0;
  for (int i = 0; i < k; i++) se += e[i] = gsl_ran_exponential(r, 1.0); /* Dirichlet(1) */
  for (int i = 0; i < k && goods > 0; i++) {
    int mat = pick_goods(r), metal = mat >= XRAY_MAT_AL;
    double kgi = goods * e[i] / se;
    if (metal) kgi = fmin(kgi, 1.5 * g->metal_t * g->metal_t * g->metal_t); /* tools, cans */
    double rho = xray_mats[mat].rho * (metal ? 1 : xray_urand(r, 0.3, 1.0)); /* packing with air */
    double t = metal ? xray_urand(r, 0.1, 1) * g->metal_t : xray_urand(r, 0.2, 0.6) * box[4];
    add_slab(x, g, box, mat, rho, kgi, t, r);
  }
}

/* ---- image synthesis ---- */

static int stack_id(xray *x, const phys *p, uint64_t mask) {
  uint32_t s = (uint32_t)((mask * 0x9E3779B97F4A7C15u) >> 49);
  while (x->hgen[s] == x->gen) {
    if (x->hkey[s] == mask) return x->hval[s];
    s = (s + 1) & (HSIZE - 1);
  }
  int id = x->nstk++; /* cannot pass MAXSTK: see its definition */
  double tau[NB_MAX] = {0}, t[2], sd[2];
  uint8_t flag = 0;
  for (uint64_t m = mask; m; m &= m - 1) {
    const obj *o = &x->o[__builtin_ctzll(m)];
    for (int b = 0; b < p->nb; b++) tau[b] += p->mu[o->mat][b] * o->g;
    flag |= (uint8_t)o->contra;
  }
  xray_layers(p, tau, t, sd);
  x->sv[id][0] = (float)t[0], x->sv[id][1] = (float)t[1];
  x->sv[id][2] = (float)sd[0], x->sv[id][3] = (float)sd[1];
  x->sflag[id] = flag;
  x->hgen[s] = x->gen, x->hkey[s] = mask, x->hval[s] = (uint16_t)id;
  return id;
}

/* The distinct values of v[n] (each in 0 .. hi <= 512) in ascending order, by a bit
 * set; their count. */
static int sort_unique(int *v, int n, int hi) {
  uint64_t set[512 / 64 + 1] = {0};
  int nw = hi / 64 + 1, k = 0;
  for (int i = 0; i < n; i++) set[v[i] >> 6] |= 1ull << (v[i] & 63);
  for (int w = 0; w < nw; w++)
    for (uint64_t b = set[w]; b; b &= b - 1) v[k++] = w * 64 + __builtin_ctzll(b);
  return k;
}

/* The stack (set of objects) under every pixel. Rows between object edges share one
 * sequence of segments, so stacks are looked up per band, not per pixel. The empty
 * stack (open beam) is stack 0. Also sets the window: the bins that hold an object,
 * with a margin of one bin. */
void xray_stacks(xray *x, const phys *p) {
  int n = x->n, ys[2 * MAXOBJ + 2], xs[2 * MAXOBJ + 2], act[MAXOBJ], sid[2 * MAXOBJ + 2];
  if (++x->gen == 0) memset(x->hgen, 0, HSIZE * sizeof *x->hgen), x->gen = 1;
  x->nstk = 0;
  stack_id(x, p, 0);
  int ny = 2, bx0 = n, by0 = n, bx1 = 0, by1 = 0;
  ys[0] = 0, ys[1] = n;
  for (int i = 0; i < x->no; i++) {
    const obj *o = &x->o[i];
    ys[ny++] = o->y0, ys[ny++] = o->y1;
    bx0 = o->x0 < bx0 ? o->x0 : bx0, by0 = o->y0 < by0 ? o->y0 : by0;
    bx1 = o->x1 > bx1 ? o->x1 : bx1, by1 = o->y1 > by1 ? o->y1 : by1;
  }
  if (!x->no) bx0 = by0 = bx1 = by1 = 0;
  x->wx0 = xray_clampi(bx0 / 2 - 1, 0, x->m), x->wy0 = xray_clampi(by0 / 2 - 1, 0, x->m);
  x->wx1 = xray_clampi((bx1 + 1) / 2 + 1, x->wx0, x->m);
  x->wy1 = xray_clampi((by1 + 1) / 2 + 1, x->wy0, x->m);
  ny = sort_unique(ys, ny, n);
  for (int bnd = 0; bnd + 1 < ny; bnd++) {
    int ya = ys[bnd], yb = ys[bnd + 1], na = 0, nx = 2;
    xs[0] = 0, xs[1] = n;
    for (int i = 0; i < x->no; i++)
      if (x->o[i].y0 <= ya && x->o[i].y1 >= yb)
        act[na++] = i, xs[nx++] = x->o[i].x0, xs[nx++] = x->o[i].x1;
    nx = sort_unique(xs, nx, n);
    for (int s = 0; s + 1 < nx; s++) {
      uint64_t mask = 0;
      for (int a = 0; a < na; a++)
        if (x->o[act[a]].x0 <= xs[s] && x->o[act[a]].x1 >= xs[s + 1]) mask |= 1ull << act[a];
      sid[s] = stack_id(x, p, mask);
    }
    int y0 = ya > 2 * x->wy0 ? ya : 2 * x->wy0, y1 = yb < 2 * x->wy1 ? yb : 2 * x->wy1;
    for (int y = y0; y < y1; y++) /* only the window's pixels are read */
      for (int s = 0; s + 1 < nx; s++) {
        int i0 = xs[s] > 2 * x->wx0 ? xs[s] : 2 * x->wx0;
        int i1 = xs[s + 1] < 2 * x->wx1 ? xs[s + 1] : 2 * x->wx1;
        for (int i = i0; i < i1; i++) x->stk[y * n + i] = (uint16_t)sid[s];
      }
  }
}
