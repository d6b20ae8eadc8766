/* xray: dual-energy X-ray kernel (see xray.h): physics tables, synthetic items, image
 * synthesis, Z_eff calibration, segmentation, rule and classifier, kernel glue. */
#include "models/kernels/xray.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_cdf.h>
#include <gsl/gsl_randist.h>
#include <xraylib.h>

#include "models/kernels/surrogate.h"
#include "sim/error.h"

#define NB_MAX 64     /* energy bins */
#define MAXOBJ 60     /* objects per item (bits of a stack mask) */
#define MAXSTK 16384  /* distinct stacks: at most (2 MAXOBJ + 1)^2 bands x segments */
#define HSIZE 32768   /* stack hash slots */
#define NCAL 13       /* calibrants */
#define NHT 64        /* H grid of the calibration table */
#define NRG 128       /* R grid of the per-pixel lookup */
#define NQ 4096       /* normal quantiles for pixel noise */
#define NZB 9         /* Z bins for segmentation */
#define NFEAT 8       /* region features */
#define NIF 8         /* item features (<= NFEAT) */
#define MINPX 4       /* smallest candidate region, in 2x2-binned pixels */

enum { P_KVP, P_CKVP, P_I0, P_CI0, P_PIX, P_THR, P_SCAN, P_CSCAN, P_REVIEW, P_ZLO, P_ZHI,
       P_RULE_G, P_OPAQUE, P_BINS, P_TRAIN, P_CAL_CELL, P_CAL_CLEAN, P_N };

static const kernel_param xray_params[P_N] = {
    {"kvp", 160, 80, 450, "tube voltage for parcels, bags and air cargo, kV"},
    {"container_kvp", 800, 160, 800, "tube voltage for sea containers, kV (xraylib stops "
                                     "near 800 keV; real container scanners use 4-9 MV)"},
    {"photons_per_pixel", 1e5, 1e3, 1e9, "I0: photons per pixel entering a parcel"},
    {"container_photons_per_pixel", 1e8, 1e3, 1e11, "I0 for sea containers"},
    {"pixels", 128, 32, 512, "image side in pixels (rounded down to even)"},
    {"threshold", 0.67, 0, 1, "alarm threshold on the classifier probability"},
    /* a 60 cm parcel plus gap on a 0.2 m/s belt (assumption) */
    {"scan_s", 6, 0, 600, "belt time per parcel or bag, s"},
    /* DOMAIN.md: large container X-ray about 10 min a container */
    {"container_scan_s", 600, 0, 7200, "scan time per container, s"},
    {"review_s", 10, 0, 600, "extra operator time on an alarm image, s"},
    /* The hydrochloride salts read 9-10.5 alone (power law: meth 9.9, cocaine 8.8) and up
     * to ~11 as a layer over goods, whose filtering hardens the beam; water (7.4) and
     * glass (11.6) bound the window. Heroin base (6.3) is inside the organics. */
    {"zeff_lo", 7.8, 1, 40, "drug window of the rule: lowest Z_eff"},
    {"zeff_hi", 11.5, 1, 40, "drug window of the rule: highest Z_eff"},
    {"rule_g", 50, 0, 1e7, "rule: least estimated object mass, g"},
    {"opaque_cm2", 100, 0, 1e6, "alarm on an opaque area this large (parcels, bags), cm2"},
    {"energy_bins", 24, 8, NB_MAX, "energy bins of the physics tables"},
    {"train_items", 1000, 20, 20000, "synthetic items per scale to train the classifier"},
    {"calib_per_cell", 20, 1, 1e5, "surrogate mode: items per contraband cell"},
    {"calib_clean", 400, 1, 1e6, "surrogate mode: clean items per item kind"},
};

/* Formula for xraylib and bulk density (g/cm^3; CRC = CRC Handbook of Chemistry and
 * Physics). Attenuation depends only on mass thickness; density sets the footprint. */
typedef struct mat_def {
  const char *formula;
  double rho;
} mat_def;
static const mat_def mats[XRAY_MAT_N] = {
    [XRAY_MAT_PAPER] = {"C6H10O5", 0.80},   /* office paper 0.7-0.9 (apparent, ISO 534) */
    [XRAY_MAT_WATER] = {"H2O", 1.00},       /* CRC: 0.998 at 20 C */
    [XRAY_MAT_SUGAR] = {"C12H22O11", 0.85}, /* granulated bulk; crystal 1.587 (CRC) */
    [XRAY_MAT_PE] = {"C2H4", 0.94},         /* LDPE 0.92 .. HDPE 0.96 */
    [XRAY_MAT_PVC] = {"C2H3Cl", 1.40},      /* NIST PVC table: 1.406 */
    [XRAY_MAT_GLASS] = {"SiO2", 2.50},      /* soda-lime glass 2.5; fused silica 2.2 */
    [XRAY_MAT_AL] = {"Al", 2.70},           /* CRC */
    [XRAY_MAT_FE] = {"Fe", 7.87},           /* CRC: 7.874 */
    /* Drugs: pressed powder, assumed 1.2 (salt crystals are about 1.2-1.4). */
    [XRAY_MAT_METH] = {"C10H16ClN", 1.2},
    [XRAY_MAT_COCAINE] = {"C17H22ClNO4", 1.2},
    [XRAY_MAT_HEROIN] = {"C21H23NO5", 1.2},
    [XRAY_MAT_GOLD] = {"Au", 19.3}, /* CRC: 19.32 */
};
static const double goods_weight[XRAY_MAT_N] = {4, 1.5, 1, 2, 0.7, 0.7, 0.6, 0.5};

/* Source filtration and sandwich detector (CsI 4.51 g/cm^3, Cu 8.96, Al 2.70; CRC).
 * Typical dual-energy designs (front 0.3-0.6 mm, Cu 0.3-1 mm, back 2-6 mm), no product. */
typedef struct det_def {
  double al_mm, cu_mm, fe_mm, front_mm, mid_cu_mm, back_mm;
} det_def;
/* Containers: the two 2 mm steel side walls (ISO 668 boxes use 1.6-2 mm corrugated
 * panels) are in every ray, so they are part of the filtration: the scanner's air
 * reference and the calibration are taken through them, as real systems do. */
static const det_def dets[XRAY_NSCALES] = {{2.0, 0.0, 0.0, 0.3, 0.5, 4.0},
                                           {2.0, 1.0, 4.0, 1.0, 2.0, 10.0}};

/* Geometry per item kind: field of view w x h and greatest depth (cm), tare (kg),
 * packaging in the beam (material, g/cm^2 for both walls), goods objects, metal
 * thickness scale (cm), contraband slab thickness (cm) and training amounts (kg).
 * Walls: two corrugated board walls ~0.5 kg/m^2 each; hard-shell case ~2.5 mm plastic
 * x2; ULD 1 mm Al x2; a 20-ft container (ISO 668: 6.06 x 2.59 m): walls in det_def. */
typedef struct geom {
  int scale, opaque_rule; /* opaque_rule: a large opaque area alarms (not in cargo) */
  double w, h, depth, tare;
  int wall;
  double wall_g;
  int nmin, nmax;
  double metal_t, drug_t[2], kg[2];
} geom;
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

typedef struct obj {
  int x0, y0, x1, y1, mat, contra;
  double g; /* mass thickness, g/cm^2 */
} obj;

/* A logistic model on standardized features: beta[0] + sum beta[i+1] (f_i - mu_i) / sd_i. */
typedef struct logit {
  double mu[NFEAT], sd[NFEAT], beta[NFEAT + 1];
} logit;

/* Per scale: spectra-weighted tables, calibration and classifier. */
typedef struct phys {
  int nb;
  double kev[NB_MAX], mu[XRAY_MAT_N][NB_MAX];
  double w1[2][NB_MAX], w2[2][NB_MAX]; /* layer 0 low, 1 high: n E a and n E^2 a */
  double s10[2], n0[2], fl[2];         /* open-beam signal, effective photons, floor */
  double i0, hmin, hopq;
  double zc[NCAL], lh0, dlh, rt[NCAL][NHT], lmt[NCAL][NHT];
  double r0, dr;
  int nhb;
  uint8_t zgrid[NHT][NRG];
  logit reg, cal; /* region model; item calibration of the largest logit */
} phys;

typedef struct reg { /* a component, then (at its root) a region */
  int n, nflag, type, contact, sn; /* sn: contact of the best step (0: none) */
  double sh, sl, lh, z;   /* sums of H and L, mean log H, Z of the mean */
  double sz, sdh, sg, ssd, sfl; /* best step: Z, dH, g/cm^2, sd of Z, neighbour's share
                                   of contraband pixels (training) */
} reg;

typedef struct wstep { /* a reliable step with Z in the drug window */
  double dh, g;
  int n;
} wstep;

typedef struct pair {
  int a, b, n; /* touching regions a < b, contact in binned-pixel edges */
} pair;

typedef struct train_set { /* rows of region features, labels y (see judge) */
  double *x;
  int *y;
  size_t n, cap;
} train_set;

struct xray {
  double prm[P_N];
  int n, m, no, nwall, nstk;
  uint32_t gen;
  phys ph[XRAY_NSCALES];
  float q[NQ], lnt[128][2];
  obj o[MAXOBJ];
  float *hb, *lb, (*sv)[4];
  uint16_t *stk, *lab;
  uint32_t *rb;
  uint8_t *cflag, *sflag;
  int32_t *par, *comp, *cpar, *bnd, *pval;
  int nbnd, npr;
  reg *cs;
  pair *pr;
  wstep *ws;
  int nws;
  uint64_t *pkey;
  uint32_t *pgen_of, pgen, psize;
  uint64_t *hkey;
  uint32_t *hgen;
  uint16_t *hval;
  surrogate *sur;
};

static double urand(gsl_rng *r, double a, double b) { return a + (b - a) * gsl_rng_uniform(r); }
static double sq(double v) { return v * v; }
static int clampi(int v, int lo, int hi) { return v < lo ? lo : v > hi ? hi : v; }
static const geom *geom_of(int kind) { return &geoms[kind >= 0 && kind < KIND_N ? kind : 0]; }

int xray_zeff_class(double z) {
  return z < 10 ? XRAY_CLASS_ORGANIC : z <= 18 ? XRAY_CLASS_INORGANIC : XRAY_CLASS_METAL;
}

double xray_zeff_formula(const char *formula) {
  struct compoundData *cd = CompoundParser(formula, NULL);
  if (!cd) return -1;
  double ne = 0, s = 0;
  for (int i = 0; i < cd->nElements; i++) ne += cd->nAtoms[i] * cd->Elements[i];
  for (int i = 0; i < cd->nElements; i++)
    s += cd->nAtoms[i] * cd->Elements[i] / ne * pow(cd->Elements[i], 2.94);
  FreeCompoundData(cd);
  return pow(s, 1 / 2.94);
}

/* ---- physics ---- */

static int xr_mu(const char *formula, int z, double kev, double *out, char *err, size_t el) {
  xrl_error *e = NULL;
  *out = formula ? CS_Total_CP(formula, kev, &e) : CS_Total(z, kev, &e);
  if (!e) return 0;
  snprintf(err, el, "xray: xraylib at %.1f keV: %s", kev, e->message);
  xrl_error_free(e);
  return SIM_EINVAL;
}

/* Mean signal T (open beam 1) and its noise sd of both layers behind attenuation tau. */
static void layers(const phys *p, const double *tau, double t[2], double sd[2]) {
  double e[NB_MAX];
  for (int b = 0; b < p->nb; b++) e[b] = exp(-tau[b]);
  for (int k = 0; k < 2; k++) {
    double s1 = 0, s2 = 0;
    for (int b = 0; b < p->nb; b++) s1 += p->w1[k][b] * e[b], s2 += p->w2[k][b] * e[b];
    t[k] = s1 / p->s10[k];
    /* energy-integrating: effective photons (sum n E)^2 / sum n E^2 (Swank) */
    sd[k] = s2 > 1e-300 ? t[k] / sqrt(p->i0 * s1 * s1 / s2) : 0;
  }
}

/* Source: Kramers' law for a thick tungsten target, photons per keV ~ (kVp - E) / E,
 * from 10 keV, through the source filter; each layer's signal weight is n(E) E a(E) with
 * a the layer's absorption (energy-integrating). Computed with the defaults: at 160 kVp
 * (2 mm Al) the filtered spectrum's mean is 57.7 keV; the low layer's signal averages
 * 56.6 keV and the high layer's 98.0 keV; an open pixel gives 0.54 I0 (low) and 0.18 I0
 * (high) effective photons, so I0 = 1e5 makes opaque H = 6.6, about 25 mm of steel, as
 * 160 kV scanners quote. At 800 kVp (2 mm Al, 1 mm Cu, 4 mm Fe walls): mean 280 keV,
 * layers 236 and 333 keV. */
static int spectra(phys *p, double kvp, const det_def *d, char *err, size_t el) {
  double de = (kvp - 10.0) / p->nb, nsum = 0, n[NB_MAX], af[NB_MAX], ah[NB_MAX];
  for (int b = 0; b < p->nb; b++) {
    double e = p->kev[b] = 10.0 + (b + 0.5) * de, mal, mfe, mcu, mcs;
    int rc = xr_mu(NULL, 13, e, &mal, err, el);
    if (!rc) rc = xr_mu(NULL, 26, e, &mfe, err, el);
    if (!rc) rc = xr_mu(NULL, 29, e, &mcu, err, el);
    if (!rc) rc = xr_mu("CsI", 0, e, &mcs, err, el);
    for (int m = 0; !rc && m < XRAY_MAT_N; m++)
      rc = xr_mu(mats[m].formula, 0, e, &p->mu[m][b], err, el);
    if (rc) return rc;
    n[b] = (kvp - e) / e * exp(-mal * 2.70 * d->al_mm / 10 - mfe * 7.87 * d->fe_mm / 10 -
                               mcu * 8.96 * d->cu_mm / 10);
    nsum += n[b];
    double front = exp(-mcs * 4.51 * d->front_mm / 10);
    af[b] = 1 - front;
    ah[b] = front * exp(-mcu * 8.96 * d->mid_cu_mm / 10) *
            (1 - exp(-mcs * 4.51 * d->back_mm / 10));
  }
  for (int k = 0; k < 2; k++) {
    p->s10[k] = 0;
    double s2 = 0;
    for (int b = 0; b < p->nb; b++) {
      double a = k ? ah[b] : af[b], w = n[b] / nsum * p->kev[b] * a;
      p->w1[k][b] = w;
      p->w2[k][b] = w * p->kev[b];
      p->s10[k] += w, s2 += w * p->kev[b];
    }
    p->n0[k] = p->i0 * p->s10[k] * p->s10[k] / s2;
    p->fl[k] = 0.5 / p->n0[k]; /* zero counts read as half an effective photon */
  }
  p->hmin = fmax(0.02, 2.5 / sqrt(p->n0[1])); /* ~5 sd of a 2x2-binned open pixel */
  p->hopq = log(p->n0[1] / 25.0);             /* fewer than 25 photons: opaque */
  if (p->hopq > 2 * p->hmin) return 0;
  snprintf(err, el, "xray: %g photons per pixel are too few to image", p->i0);
  return SIM_EINVAL;
}

/* R and mass thickness of every calibrant at high attenuation h (below the grid: R as
 * at its start, mass thickness proportional to h). */
static void cal_at(const phys *p, double h, double *rc, double *mc) {
  double u = (log(fmax(h, 1e-12)) - p->lh0) / p->dlh, s = 1;
  if (u < 0) s = h / p->hmin, u = 0;
  u = fmin(u, NHT - 1.0001);
  int j = (int)u;
  u -= j;
  for (int k = 0; k < NCAL; k++) {
    rc[k] = p->rt[k][j] + u * (p->rt[k][j + 1] - p->rt[k][j]);
    mc[k] = s * exp(p->lmt[k][j] + u * (p->lmt[k][j + 1] - p->lmt[k][j]));
  }
}

/* Z and mass thickness of a layer raising the high attenuation from h0 to h1 with
 * r = dL / dH, read as if it and what lies under it hardened the beam like a calibrant
 * (h0 = 0: the layer alone). Interpolates between the calibrants that bracket r. */
static double zstep(const phys *p, double h0, double h1, double r, double *g, double *slope) {
  double r0[NCAL] = {0}, m0[NCAL] = {0}, r1[NCAL], m1[NCAL], rs[NCAL];
  cal_at(p, h1, r1, m1);
  if (h0 > 0) cal_at(p, h0, r0, m0);
  for (int k = 0; k < NCAL; k++) rs[k] = (r1[k] * h1 - r0[k] * h0) / (h1 - h0);
  int c = 0;
  while (c < NCAL - 2 && r >= rs[c + 1]) c++;
  double dr = rs[c + 1] - rs[c], t = dr > 1e-9 ? (r - rs[c]) / dr : 0;
  t = fmin(fmax(t, -2.0), 2.0); /* bounded extrapolation beyond the end calibrants */
  double tt = fmin(fmax(t, 0), 1);
  if (g) *g = (1 - tt) * (m1[c] - m0[c]) + tt * (m1[c + 1] - m0[c + 1]);
  if (slope) *slope = dr > 1e-9 ? (p->zc[c + 1] - p->zc[c]) / dr : 100;
  return fmin(fmax(p->zc[c] + t * (p->zc[c + 1] - p->zc[c]), 1.0), 60.0);
}

static double zinv(const phys *p, double h, double r, double *g) {
  return zstep(p, 0, h, r, g, NULL);
}

static int zbin(double z) {
  static const double edge[NZB - 1] = {6.5, 8, 9.5, 11, 13, 15.5, 18, 22};
  int b = 0;
  while (b < NZB - 1 && z >= edge[b]) b++;
  return b;
}

/* Step wedges of pure elements (Z_eff = Z) from below the lightest goods to above iron:
 * R(Z, H) on a log-H grid, then the per-pixel (H, R) -> Z-bin lookup. */
static int calibrate(phys *p, char *err, size_t el) {
  static const int cz[NCAL] = {5, 6, 7, 8, 9, 11, 12, 14, 16, 19, 22, 26, 29};
  enum { K = 96 };
  p->lh0 = log(p->hmin);
  p->dlh = (log(p->hopq) - p->lh0) / (NHT - 1);
  for (int c = 0; c < NCAL; c++) {
    double mu[NB_MAX], tau[NB_MAX], lh[K], rr[K], lm[K], t[2], sd[2], mumin = 1e30, mueff = 0;
    for (int b = 0; b < p->nb; b++) {
      int rc = xr_mu(NULL, cz[c], p->kev[b], &mu[b], err, el);
      if (rc) return rc;
      mumin = fmin(mumin, mu[b]), mueff += p->w1[1][b] * mu[b] / p->s10[1];
    }
    p->zc[c] = cz[c];
    double m0 = 0.3 * p->hmin / mueff, m1 = 1.1 * p->hopq / mumin;
    for (int k = 0; k < K; k++) {
      lm[k] = log(m0) + k * (log(m1) - log(m0)) / (K - 1);
      for (int b = 0; b < p->nb; b++) tau[b] = mu[b] * exp(lm[k]);
      layers(p, tau, t, sd);
      lh[k] = log(-log(t[1]));
      rr[k] = log(t[0]) / log(t[1]);
    }
    for (int j = 0, k = 0; j < NHT; j++) {
      double x = p->lh0 + j * p->dlh;
      while (k < K - 2 && lh[k + 1] < x) k++;
      double f = fmin(fmax((x - lh[k]) / (lh[k + 1] - lh[k]), 0), 1);
      p->rt[c][j] = rr[k] + f * (rr[k + 1] - rr[k]);
      p->lmt[c][j] = lm[k] + f * (lm[k + 1] - lm[k]);
    }
  }
  double rlo = 1e30, rhi = -1e30;
  for (int c = 0; c < NCAL; c++)
    for (int j = 0; j < NHT; j++) rlo = fmin(rlo, p->rt[c][j]), rhi = fmax(rhi, p->rt[c][j]);
  p->r0 = rlo - 0.3;
  p->dr = (rhi - rlo + 0.6) / NRG;
  for (int j = 0; j < NHT; j++)
    for (int i = 0; i < NRG; i++)
      p->zgrid[j][i] =
          (uint8_t)zbin(zinv(p, exp(p->lh0 + j * p->dlh), p->r0 + (i + 0.5) * p->dr, NULL));
  p->nhb = (int)((log(p->hopq) - p->lh0) * 4) + 1; /* log-H bins of 0.25 */
  return 0;
}

/* ---- synthetic items ---- */

static int add_rect(xray *x, int x0, int y0, int x1, int y1, int mat, double g) {
  if (x->no >= MAXOBJ || !(g > 0)) return -1;
  x0 = clampi(x0, 0, x->n - 1), y0 = clampi(y0, 0, x->n - 1);
  x1 = clampi(x1, x0 + 1, x->n), y1 = clampi(y1, y0 + 1, x->n);
  x->o[x->no] = (obj){x0, y0, x1, y1, mat, 0, g};
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
  double asp = exp(urand(r, -0.7, 0.7)), w = fmin(sqrt(area * asp), box[2]);
  double h = fmin(area / w, box[3]);
  int nw = (int)fmax(1, round(w / px)), nh = (int)fmax(1, round(h / py)), best = -1, bx = 0, by = 0;
  for (int k = 0; k < 3 && best; k++) {
    int x0 = (int)(urand(r, box[0], box[0] + box[2] - w) / px);
    int y0 = (int)(urand(r, box[1], box[1] + box[3] - h) / py);
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
  double u = urand(r, 0, 11), acc = 0; /* 11 = sum of goods_weight */
  for (int m = 0; m <= XRAY_MAT_FE; m++)
    if ((acc += goods_weight[m]) > u) return m;
  return XRAY_MAT_PAPER;
}

/* The contraband slab and its concealment (cover of sugar/paper, or a metal shield). */
static void add_contraband(xray *x, const geom *g, const double box[5], const item *it,
                           double kg, gsl_rng *r) {
  int c = it->truth.contraband, mat = XRAY_MAT_PAPER;
  double rho = 0.6, t = urand(r, g->drug_t[0], g->drug_t[1]); /* cannabis: pressed 0.6 */
  if (c == CONTRA_METH || c == CONTRA_COCAINE || c == CONTRA_HEROIN)
    mat = XRAY_MAT_METH + c - CONTRA_METH, rho = mats[mat].rho;
  else if (c == CONTRA_CURRENCY) rho = 0.82; /* ~1 g per 76 x 160 x 0.1 mm note */
  else if (c == CONTRA_GOLD) mat = XRAY_MAT_GOLD, rho = 19.3, t = urand(r, 0.5, 1.5);
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
             kg * 1000 * urand(r, 1, 3) / cover);
  else if (it->truth.concealment == CONCEAL_SHIELDED) {
    int fe = gsl_rng_uniform(r) < 0.5;
    double th = fe ? urand(r, 0.1, 0.3) * g->metal_t : urand(r, 0.5, 1.5) * g->metal_t;
    add_rect(x, o.x0 - mx, o.y0 - my, o.x1 + mx, o.y1 + my, fe ? XRAY_MAT_FE : XRAY_MAT_AL,
             th * mats[fe ? XRAY_MAT_FE : XRAY_MAT_AL].rho);
  }
}

static void layout(xray *x, const geom *g, const item *it, gsl_rng *r) {
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
    double v = (goods + kg) * 1000 / 0.25 + 1000, s = cbrt(v), a = exp(urand(r, -0.3, 0.3));
    box[2] = fmin(fmax(s * a, 10), g->w), box[3] = fmin(fmax(s / a, 10), g->h);
    box[4] = fmin(fmax(v / (box[2] * box[3]), 5), g->depth);
    box[0] = urand(r, 0, g->w - box[2]), box[1] = urand(r, 0, g->h - box[3]);
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
    double rho = mats[mat].rho * (metal ? 1 : urand(r, 0.3, 1.0)); /* packing with air */
    double t = metal ? urand(r, 0.1, 1) * g->metal_t : urand(r, 0.2, 0.6) * box[4];
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
  layers(p, tau, t, sd);
  x->sv[id][0] = (float)t[0], x->sv[id][1] = (float)t[1];
  x->sv[id][2] = (float)sd[0], x->sv[id][3] = (float)sd[1];
  x->sflag[id] = flag;
  x->hgen[s] = x->gen, x->hkey[s] = mask, x->hval[s] = (uint16_t)id;
  return id;
}

static int sort_unique(int *v, int n) {
  for (int i = 1; i < n; i++)
    for (int j = i; j > 0 && v[j - 1] > v[j]; j--) {
      int t = v[j];
      v[j] = v[j - 1], v[j - 1] = t;
    }
  int k = 0;
  for (int i = 0; i < n; i++)
    if (!k || v[i] != v[k - 1]) v[k++] = v[i];
  return k;
}

/* The stack (set of objects) under every pixel. Rows between object edges share one
 * sequence of segments, so stacks are looked up per band, not per pixel. */
static void stacks(xray *x, const phys *p) {
  int n = x->n, ys[2 * MAXOBJ + 2], xs[2 * MAXOBJ + 2], act[MAXOBJ], sid[2 * MAXOBJ + 2];
  if (++x->gen == 0) memset(x->hgen, 0, HSIZE * sizeof *x->hgen), x->gen = 1;
  x->nstk = 0;
  int ny = 2;
  ys[0] = 0, ys[1] = n;
  for (int i = 0; i < x->no; i++) ys[ny++] = x->o[i].y0, ys[ny++] = x->o[i].y1;
  ny = sort_unique(ys, ny);
  for (int bnd = 0; bnd + 1 < ny; bnd++) {
    int ya = ys[bnd], yb = ys[bnd + 1], na = 0, nx = 2;
    xs[0] = 0, xs[1] = n;
    for (int i = 0; i < x->no; i++)
      if (x->o[i].y0 <= ya && x->o[i].y1 >= yb)
        act[na++] = i, xs[nx++] = x->o[i].x0, xs[nx++] = x->o[i].x1;
    nx = sort_unique(xs, nx);
    for (int s = 0; s + 1 < nx; s++) {
      uint64_t mask = 0;
      for (int a = 0; a < na; a++)
        if (x->o[act[a]].x0 <= xs[s] && x->o[act[a]].x1 >= xs[s + 1]) mask |= 1ull << act[a];
      sid[s] = stack_id(x, p, mask);
    }
    for (int y = ya; y < yb; y++)
      for (int s = 0; s + 1 < nx; s++)
        for (int i = xs[s]; i < xs[s + 1]; i++) x->stk[y * n + i] = (uint16_t)sid[s];
  }
}

/* Natural log of a positive normal float to ~1e-7 without a division: a table at the
 * top 7 mantissa bits, then a cubic for the small remainder (x->lnt: ln c, 1 / c). */
static inline float fast_ln(const xray *x, float v) {
  uint32_t b;
  memcpy(&b, &v, sizeof b);
  int e = (int)(b >> 23) - 127, k = (int)(b >> 16) & 127;
  b = (b & 0x7FFFFFu) | 0x3F800000u;
  float m;
  memcpy(&m, &b, sizeof m);
  float r = m * x->lnt[k][1] - 1;
  return (float)e * 0.69314718f + x->lnt[k][0] + r * (1 - r * (0.5f - r * (1 / 3.f)));
}

/* The detector is read in 2x2 bins (halving the noise for the Z estimate). A bin's
 * signal is the mean of its 4 pixels' counts; a sum of independent Gaussian (photon)
 * counts is Gaussian, so the bin is drawn directly: the same distribution as drawing
 * the 4 pixels and adding them, at a quarter of the cost. Normals: two 12-bit
 * quantiles (tails cut at 3.7 sd) from one 24-bit draw. Each bin is then labelled:
 * background, opaque, or Z bin x log-H bin (0.25 wide). */
static void image(xray *x, const phys *p, gsl_rng *r) {
  int n = x->n, m = x->m;
  unsigned long mn = gsl_rng_min(r);
  int full = gsl_rng_max(r) - mn >= 0xFFFFFFul;
  const float fl = (float)p->fl[0] / 4, fh = (float)p->fl[1] / 4, lh0 = (float)p->lh0;
  const float ih = (float)(1 / p->dlh), hmin = (float)p->hmin, hopq = (float)p->hopq;
  const float r0 = (float)p->r0, idr = (float)(1 / p->dr);
  for (int y = 0, j = 0; y < m; y++) {
    for (int i = 0; i < m; i++) /* draws first: no call inside the pixel loop */
      x->rb[i] = full ? (uint32_t)(gsl_rng_get(r) - mn)
                      : (uint32_t)(gsl_rng_uniform(r) * 16777216.0);
    for (int i = 0; i < m; i++, j++) {
      int a = 2 * y * n + 2 * i, s0 = x->stk[a], s1 = x->stk[a + 1], s2 = x->stk[a + n],
          s3 = x->stk[a + n + 1];
      const float *v0 = x->sv[s0], *v1 = x->sv[s1], *v2 = x->sv[s2], *v3 = x->sv[s3];
      float tl = 0.25f * (v0[0] + v1[0] + v2[0] + v3[0]);
      float th = 0.25f * (v0[1] + v1[1] + v2[1] + v3[1]);
      float sl, sh;
      if (s0 == s1 && s0 == s2 && s0 == s3) sl = 0.5f * v0[2], sh = 0.5f * v0[3];
      else {
        sl = 0.25f * sqrtf(v0[2] * v0[2] + v1[2] * v1[2] + v2[2] * v2[2] + v3[2] * v3[2]);
        sh = 0.25f * sqrtf(v0[3] * v0[3] + v1[3] * v1[3] + v2[3] * v2[3] + v3[3] * v3[3]);
      }
      uint32_t b = x->rb[i];
      float lo = tl + sl * x->q[b & (NQ - 1)], hi = th + sh * x->q[(b >> 12) & (NQ - 1)];
      float ll = -fast_ln(x, lo > fl ? lo : fl), hh = -fast_ln(x, hi > fh ? hi : fh);
      x->hb[j] = hh, x->lb[j] = ll;
      x->cflag[j] = x->sflag[s0] | x->sflag[s1] | x->sflag[s2] | x->sflag[s3];
      if (hh < hmin) x->lab[j] = 0;
      else if (hh > hopq) x->lab[j] = 1;
      else {
        float u = (fast_ln(x, hh) - lh0) * ih;
        int jh = clampi((int)(u + 0.5f), 0, NHT - 1);
        int jr = clampi((int)((ll / hh - r0) * idr), 0, NRG - 1);
        int hb = clampi((int)(u * p->dlh * 4), 0, p->nhb - 1);
        x->lab[j] = (uint16_t)(2 + p->zgrid[jh][jr] * p->nhb + hb);
      }
    }
  }
}

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
    if (g->type == 2) g->z = zinv(p, g->sh / g->n, g->sl / g->sh, NULL);
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
static void steps(xray *x, const phys *p) {
  double zc = 0.5 * (x->prm[P_ZLO] + x->prm[P_ZHI]);
  x->nws = 0;
  for (int k = 0; k < x->npr; k++)
    for (int d = 0; d < 2; d++) {
      reg *hi = &x->cs[d ? x->pr[k].b : x->pr[k].a], *lo = &x->cs[d ? x->pr[k].a : x->pr[k].b];
      if (hi->type != 2 || hi->n < MINPX || lo->type == 1 || x->pr[k].n < 2) continue;
      double h1 = hi->sh / hi->n, h0 = lo->sh / lo->n, l1 = hi->sl / hi->n, l0 = lo->sl / lo->n;
      double dh = h1 - h0, g, slope;
      if (dh < p->hmin) continue;
      double r = (l1 - l0) / dh, z = zstep(p, fmax(h0, 0), h1, r, &g, &slope);
      /* a binned pixel's sd of H is about e^(H/2) / (2 sqrt(n0)); the same for L */
      double vh = (exp(h1) / hi->n + exp(h0) / lo->n) / (4 * p->n0[1]);
      double vl = (exp(l1) / hi->n + exp(l0) / lo->n) / (4 * p->n0[0]);
      double sd = fabs(slope) * sqrt(vl + r * r * vh) / dh;
      if (sd > 1.0) continue;
      if (z >= x->prm[P_ZLO] && z <= x->prm[P_ZHI] && x->nws < x->m * x->m)
        x->ws[x->nws++] = (wstep){dh, g, x->pr[k].n};
      if (hi->sn && fabs(z - zc) >= fabs(hi->sz - zc)) continue;
      hi->sz = z, hi->sdh = dh, hi->sg = g, hi->sn = x->pr[k].n, hi->ssd = sd;
      hi->sfl = (double)lo->nflag / lo->n;
    }
}

/* Region features: distances of the best step's Z and of the region's own Z from the
 * drug window (in half-widths), the step's mass over the region, size, step and total
 * H, the drug-window rule (step Z_eff in [zeff_lo, zeff_hi] and mass >= rule_g) and the
 * step's Z uncertainty. */
static void features(const xray *x, const phys *p, const reg *g, double pix_cm2, double *f) {
  double h = g->sh / g->n, zr = zinv(p, h, g->sl / g->sh, NULL), zs = g->sn ? g->sz : zr;
  double zc = 0.5 * (x->prm[P_ZLO] + x->prm[P_ZHI]), hw = 0.5 * (x->prm[P_ZHI] - x->prm[P_ZLO]);
  double mg = g->sn ? g->sg * g->n * pix_cm2 : 0;
  f[0] = fmin(fabs(zs - zc) / hw, 6), f[1] = fmin(fabs(zr - zc) / hw, 6);
  f[2] = log1p(mg), f[3] = log(g->n), f[4] = g->sn ? g->sdh : 0, f[5] = h;
  f[6] = zs >= x->prm[P_ZLO] && zs <= x->prm[P_ZHI] && mg >= x->prm[P_RULE_G];
  f[7] = g->sn ? g->ssd : 1;
}

static double logit_eta(const logit *m, const double *f, int d) {
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
  f[0] = eta, f[1] = log1p(best), f[2] = bdh, f[3] = log1p(bg * sq(best / 4) * pix_cm2);
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
  const geom *g = geom_of(kind);
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
    if (!ts) eta = fmax(eta, logit_eta(&p->reg, f, NFEAT));
    else if (!*rc) *rc = train_add(ts, f, pos ? 1 : on <= 0.1 ? 0 : 2);
  }
  if (ts) { /* the item row: its step evidence; fit adds the region logit */
    item_features(x, kind, 0, oa, pix, f);
    if (!*rc) *rc = train_add(ts, f, 4);
    return 0;
  }
  item_features(x, kind, eta, oa, pix, f);
  return fmax(opq, 1 / (1 + exp(-logit_eta(&p->cal, f, NIF))));
}

static double scan(xray *x, const item *it, gsl_rng *r, train_set *ts, int *rc) {
  const geom *g = geom_of(it->kind);
  const phys *p = &x->ph[g->scale];
  layout(x, g, it, r);
  stacks(x, p);
  image(x, p, r);
  int nc = components(x, p);
  merge(x);
  regions(x, nc);
  steps(x, p);
  return judge(x, p, it->kind, nc, ts, rc);
}

/* Solves a x = b for a symmetric positive definite d x d (Cholesky, in place). */
static int chol_solve(double *a, double *b, int d) {
  for (int j = 0; j < d; j++) {
    for (int i = j; i < d; i++) {
      double s = a[i * d + j];
      for (int k = 0; k < j; k++) s -= a[i * d + k] * a[j * d + k];
      if (i == j && !(s > 0)) return -1;
      a[i * d + j] = i == j ? sqrt(s) : s / a[j * d + j];
    }
  }
  for (int i = 0; i < d; i++) {
    for (int k = 0; k < i; k++) b[i] -= a[i * d + k] * b[k];
    b[i] /= a[i * d + i];
  }
  for (int i = d; i-- > 0;) {
    for (int k = i + 1; k < d; k++) b[i] -= a[k * d + i] * b[k];
    b[i] /= a[i * d + i];
  }
  return 0;
}

/* Logistic regression on rows with y 0 or 1 (stride NFEAT, first d features used), by
 * Newton's method (IRLS) with a unit ridge on standardized features, which also keeps
 * separable data finite. */
static void logit_fit(logit *m, const double *x, const int *y, size_t n, int d) {
  enum { D = NFEAT + 1 };
  size_t k = 0;
  for (int i = 0; i < d; i++) {
    double s = 0, s2 = 0;
    for (size_t r = k = 0; r < n; r++)
      if (y[r] == 0 || y[r] == 1) s += x[r * NFEAT + i], s2 += sq(x[r * NFEAT + i]), k++;
    m->mu[i] = k ? s / k : 0;
    double v = k ? s2 / k - sq(m->mu[i]) : 0;
    m->sd[i] = v > 1e-12 ? sqrt(v) : 1;
  }
  memset(m->beta, 0, sizeof m->beta);
  for (int it = 0; it < 40; it++) {
    double a[D * D] = {0}, g[D], z[D], step = 0;
    for (int i = 0; i <= d; i++) g[i] = i ? -m->beta[i] : 0, a[i * (d + 1) + i] = i ? 1 : 1e-9;
    for (size_t r = 0; r < n; r++) {
      if (y[r] != 0 && y[r] != 1) continue;
      z[0] = 1;
      for (int i = 0; i < d; i++) z[i + 1] = (x[r * NFEAT + i] - m->mu[i]) / m->sd[i];
      double pr = 1 / (1 + exp(-logit_eta(m, x + r * NFEAT, d))), w = pr * (1 - pr);
      for (int i = 0; i <= d; i++) {
        g[i] += (y[r] - pr) * z[i];
        for (int j = 0; j <= i; j++) a[i * (d + 1) + j] += w * z[i] * z[j];
      }
    }
    for (int i = 0; i <= d; i++)
      for (int j = i + 1; j <= d; j++) a[i * (d + 1) + j] = a[j * (d + 1) + i];
    if (chol_solve(a, g, d + 1)) break;
    for (int i = 0; i <= d; i++) m->beta[i] += g[i], step = fmax(step, fabs(g[i]));
    if (step < 1e-7) break;
  }
}

/* Two stages: the region model on labelled regions (flat if there are too few, as when
 * the flux is too low to see anything), then the item calibration on each training
 * item's features (half the items carry a drug, so the score is the probability of a
 * drug at even prior odds). */
static int fit(phys *p, const train_set *t) {
  size_t ni = 0, npos = 0, nneg = 0;
  for (size_t k = 0; k < t->n; k++)
    ni += t->y[k] >= 4, npos += t->y[k] == 1, nneg += t->y[k] == 0;
  if (ni < 10) return SIM_ERUN;
  for (int i = 0; i < NFEAT; i++) p->reg.sd[i] = 1; /* too few regions: a flat model */
  if (npos >= 5 && nneg >= 5) logit_fit(&p->reg, t->x, t->y, t->n, NFEAT);
  double *ex = calloc(ni * NFEAT, sizeof *ex);
  int *ey = malloc(ni * sizeof *ey);
  if (!ex || !ey) return free(ex), free(ey), SIM_ENOMEM;
  double eta = -10;
  for (size_t k = 0, i = 0; k < t->n; k++) {
    if (t->y[k] < 4) {
      eta = fmax(eta, logit_eta(&p->reg, t->x + k * NFEAT, NFEAT));
      continue;
    }
    memcpy(ex + i * NFEAT, t->x + k * NFEAT, NIF * sizeof *ex);
    ex[i * NFEAT] = eta, ey[i++] = t->y[k] - 4, eta = -10;
  }
  logit_fit(&p->cal, ex, ey, ni, NIF);
  free(ex), free(ey);
  return 0;
}

/* Trains a scale's models on synthetic items: half clean, half with a drug (meth,
 * cocaine, heroin in turn), amounts log-uniform over the kind's range. */
static int train(xray *x, int scale, uint64_t seed, char *err, size_t el) {
  static const uint8_t kinds[2][4] = {
      {KIND_EXPRESS, KIND_MAIL, KIND_PASSENGERS_IN, KIND_AIR_CARGO}, {KIND_SEA_CONTAINERS}};
  gsl_rng *r = gsl_rng_alloc(gsl_rng_mt19937);
  train_set ts = {0};
  int rc = r ? 0 : SIM_ENOMEM;
  if (r) gsl_rng_set(r, (unsigned long)(seed * 2654435761u + 17u * (unsigned)scale + 1));
  for (int i = 0; !rc && i < (int)x->prm[P_TRAIN]; i++) {
    item it = {0};
    it.kind = kinds[scale][scale ? 0 : i / 2 % 4];
    const geom *g = geom_of(it.kind);
    if (i & 1) {
      double u = gsl_rng_uniform(r);
      it.truth.contraband = (uint8_t)(CONTRA_METH + i / 8 % 3);
      it.truth.contraband_kg = g->kg[0] * pow(g->kg[1] / g->kg[0], gsl_rng_uniform(r));
      it.truth.concealment = u < 0.4 ? CONCEAL_NONE : u < 0.7 ? CONCEAL_MIXED : CONCEAL_SHIELDED;
    }
    it.mass_kg = surrogate_mass_kg(it.kind, r) + it.truth.contraband_kg;
    scan(x, &it, r, &ts, &rc);
    if (!rc) ts.y[ts.n - 1] += i & 1;
  }
  if (!rc) rc = fit(&x->ph[scale], &ts);
  if (rc) snprintf(err, el, "xray: training the classifier failed (%d)", rc);
  free(ts.x), free(ts.y), gsl_rng_free(r);
  return rc;
}

/* ---- life cycle and queries ---- */

static int alloc_scratch(xray *x) {
  size_t nn = (size_t)x->n * x->n, mm = (size_t)x->m * x->m;
  x->psize = 1;
  while (x->psize < 4 * mm) x->psize *= 2;
  x->stk = malloc(nn * sizeof *x->stk);
  x->hb = malloc(mm * sizeof *x->hb), x->lb = malloc(mm * sizeof *x->lb);
  x->lab = malloc(mm * sizeof *x->lab), x->cflag = malloc(mm);
  x->rb = malloc(mm * sizeof *x->rb);
  x->par = malloc(mm * sizeof *x->par), x->comp = malloc(mm * sizeof *x->comp);
  x->cpar = malloc(mm * sizeof *x->cpar), x->cs = malloc(mm * sizeof *x->cs);
  x->bnd = malloc(4 * mm * sizeof *x->bnd), x->pr = malloc(2 * mm * sizeof *x->pr);
  x->ws = malloc(mm * sizeof *x->ws);
  x->pkey = malloc(x->psize * sizeof *x->pkey), x->pval = malloc(x->psize * sizeof *x->pval);
  x->pgen_of = calloc(x->psize, sizeof *x->pgen_of);
  x->sv = malloc(MAXSTK * sizeof *x->sv), x->sflag = malloc(MAXSTK);
  x->hkey = malloc(HSIZE * sizeof *x->hkey), x->hval = malloc(HSIZE * sizeof *x->hval);
  x->hgen = calloc(HSIZE, sizeof *x->hgen);
  int ok = x->stk && x->rb && x->hb && x->lb && x->lab && x->cflag && x->par && x->comp &&
           x->cpar && x->cs && x->bnd && x->pr && x->ws && x->pkey && x->pval && x->pgen_of &&
           x->sv && x->sflag && x->hkey && x->hval && x->hgen;
  return ok ? 0 : SIM_ENOMEM;
}

int xray_new(xray **out, const double *params, uint64_t seed, char *err, size_t el) {
  char spare[256];
  if (!err || !el) err = spare, el = sizeof spare;
  *out = NULL;
  xray *x = calloc(1, sizeof *x);
  if (!x) return snprintf(err, el, "xray: out of memory"), SIM_ENOMEM;
  int rc = 0;
  for (int i = 0; i < P_N && !rc; i++) {
    double v = x->prm[i] = params ? params[i] : xray_params[i].def;
    if (!(v >= xray_params[i].min && v <= xray_params[i].max))
      rc = SIM_EINVAL, snprintf(err, el, "xray: %s = %g out of [%g, %g]", xray_params[i].name,
                                v, xray_params[i].min, xray_params[i].max);
  }
  if (!rc && x->prm[P_ZLO] >= x->prm[P_ZHI])
    rc = SIM_EINVAL, snprintf(err, el, "xray: zeff_lo must be below zeff_hi");
  if (!rc) x->n = (int)x->prm[P_PIX] & ~1, x->m = x->n / 2;
  if (!rc && (rc = alloc_scratch(x))) snprintf(err, el, "xray: out of memory");
  for (int k = 0; k < NQ; k++) x->q[k] = (float)gsl_cdf_ugaussian_Pinv((k + 0.5) / NQ);
  for (int k = 0; k < 128; k++)
    x->lnt[k][0] = (float)log1p(k / 128.0), x->lnt[k][1] = (float)(1 / (1 + k / 128.0));
  for (int s = 0; s < XRAY_NSCALES && !rc; s++) {
    phys *p = &x->ph[s];
    p->nb = (int)x->prm[P_BINS], p->i0 = x->prm[s ? P_CI0 : P_I0];
    rc = spectra(p, x->prm[s ? P_CKVP : P_KVP], &dets[s], err, el);
    if (!rc) rc = calibrate(p, err, el);
  }
  for (int s = 0; s < XRAY_NSCALES && !rc; s++) rc = train(x, s, seed, err, el);
  if (rc) return xray_free(x), rc;
  *out = x;
  return 0;
}

void xray_free(xray *x) {
  if (!x) return;
  void *v[] = {x->rb,  x->stk,  x->hb,   x->lb,   x->lab,  x->cflag, x->par,
               x->comp, x->cpar, x->cs,   x->bnd,  x->pr,   x->ws,    x->pkey,
               x->pval, x->pgen_of, x->sv, x->sflag, x->hkey, x->hval, x->hgen};
  for (size_t i = 0; i < sizeof v / sizeof *v; i++) free(v[i]);
  surrogate_free(x->sur);
  free(x);
}

int xray_decide(xray *x, const item *it, gsl_rng *r, kernel_verdict *v) {
  int rc = 0, scale = geom_of(it->kind)->scale;
  v->score = scan(x, it, r, NULL, &rc);
  v->alarm = v->score >= x->prm[P_THR];
  v->time_s = x->prm[scale ? P_CSCAN : P_SCAN] + (v->alarm ? x->prm[P_REVIEW] : 0);
  return rc;
}

const surrogate *xray_surrogate(const xray *x) { return x->sur; }
static int ok_bin(const xray *x, int scale, size_t bin) {
  return scale >= 0 && scale < XRAY_NSCALES && bin < (size_t)x->ph[scale].nb;
}
size_t xray_nbins(const xray *x, int scale) {
  return ok_bin(x, scale, 0) ? (size_t)x->ph[scale].nb : 0;
}
double xray_bin_kev(const xray *x, int scale, size_t bin) {
  return ok_bin(x, scale, bin) ? x->ph[scale].kev[bin] : NAN;
}
double xray_mu(const xray *x, int scale, int material, size_t bin) {
  return ok_bin(x, scale, bin) && material >= 0 && material < XRAY_MAT_N
             ? x->ph[scale].mu[material][bin]
             : NAN;
}
const char *xray_material_formula(int m) {
  return m >= 0 && m < XRAY_MAT_N ? mats[m].formula : "?";
}
double xray_material_density(int m) { return m >= 0 && m < XRAY_MAT_N ? mats[m].rho : 0; }

int xray_slab(const xray *x, int scale, const char *formula, double g_cm2, gsl_rng *r,
              xray_reading *out) {
  memset(out, 0, sizeof *out);
  if (scale < 0 || scale >= XRAY_NSCALES || !(g_cm2 >= 0) || !isfinite(g_cm2)) return SIM_EINVAL;
  const phys *p = &x->ph[scale];
  double tau[NB_MAX], t[2], sd[2], mu, sh = 0, sl = 0;
  char err[160];
  for (int b = 0; b < p->nb; b++) {
    if (xr_mu(formula, 0, p->kev[b], &mu, err, sizeof err)) return SIM_EINVAL;
    tau[b] = mu * g_cm2;
  }
  layers(p, tau, t, sd);
  for (int i = 0; i < 256; i++) { /* 32 x 32 pixels in 2 x 2 bins, read like a region */
    double a = t[0] + (r ? sd[0] / 2 * gsl_ran_gaussian_ziggurat(r, 1) : 0);
    double c = t[1] + (r ? sd[1] / 2 * gsl_ran_gaussian_ziggurat(r, 1) : 0);
    sl -= log(fmax(a, p->fl[0] / 4)), sh -= log(fmax(c, p->fl[1] / 4));
  }
  out->h = sh / 256, out->l = sl / 256;
  if (out->h < p->hmin) return out->cls = XRAY_CLASS_NONE, 0;
  if (out->h > p->hopq) return out->cls = XRAY_CLASS_OPAQUE, 0;
  out->r = out->l / out->h;
  out->zeff = zinv(p, out->h, out->r, &out->g_cm2);
  out->cls = xray_zeff_class(out->zeff);
  return 0;
}

/* ---- the kernel ---- */

/* Surrogate table: representative kinds (generic and exports read as express, mail,
 * bags, air cargo, containers), the drugs, cannabis and gold; firearms and currency
 * read as clean there; body concealment is outside the bag, so clean too. */
static const uint8_t sk_kinds[] = {KIND_EXPRESS, KIND_MAIL, KIND_PASSENGERS_IN, KIND_AIR_CARGO,
                                   KIND_SEA_CONTAINERS};
static const uint8_t sk_contra[] = {CONTRA_METH, CONTRA_COCAINE, CONTRA_HEROIN, CONTRA_CANNABIS,
                                    CONTRA_GOLD};
static const double sk_edges[] = {0.01, 0.1, 1, 10, 100};
static const uint8_t sk_conceal[] = {CONCEAL_NONE, CONCEAL_MIXED, CONCEAL_SHIELDED};

static int k_create(void **state, const double *params, const kernel_opts *o, char *err,
                    size_t el) {
  xray *x;
  int rc = xray_new(&x, params, o ? o->seed : 1, err, el);
  if (rc || !o || !o->surrogate) return *state = rc ? NULL : x, rc;
  surrogate_spec sp = {sk_kinds, 5, {0, 2, 2, 0, 1, 3, 4, 0}, sk_contra, 5, sk_edges, 5,
                       sk_conceal, 3, {0, 1, 2, -1}, (size_t)x->prm[P_CAL_CLEAN],
                       (size_t)x->prm[P_CAL_CELL], NULL};
  rc = surrogate_build(&x->sur, &kernel_xray_type, x, o, &sp, err, el);
  if (rc) xray_free(x), x = NULL;
  *state = x;
  return rc;
}

static int k_decide(void *state, const item *it, gsl_rng *r, kernel_verdict *v) {
  xray *x = state;
  return x->sur ? surrogate_decide(x->sur, it, r, v) : xray_decide(x, it, r, v);
}

static void k_destroy(void *state) { xray_free(state); }

const kernel_type kernel_xray_type = {
    "xray",
    "dual-energy X-ray: xraylib physics, Z_eff calibration, region rule and classifier",
    xray_params, P_N, k_create, k_decide, NULL, k_destroy};
