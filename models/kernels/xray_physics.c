/* xray_physics: the physics of the X-ray kernel (see xray.h): materials, attenuation
 * tables from xraylib, the tungsten source spectrum and sandwich detector response,
 * the step-wedge calibration that maps (H, R = L / H) to effective Z and mass
 * thickness, layer peeling (zstep), and the reading of a uniform slab (xray_slab). */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include <gsl/gsl_randist.h>
#include <xraylib.h>

#include "models/kernels/xray_internal.h"
#include "sim/error.h"

/* Formula for xraylib and bulk density (g/cm^3; CRC = CRC Handbook of Chemistry and
 * Physics). Attenuation depends only on mass thickness; density sets the footprint. */
const xray_mat_def xray_mats[XRAY_MAT_N] = {
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

/* Source filtration and sandwich detector (CsI 4.51 g/cm^3, Cu 8.96, Al 2.70; CRC).
 * Typical dual-energy designs (front 0.3-0.6 mm, Cu 0.3-1 mm, back 2-6 mm), no product. */
typedef struct det_def {
  double al_mm, cu_mm, fe_mm, front_mm, mid_cu_mm, back_mm;
} det_def;
/* Containers: the two 2 mm steel side walls (ISO 668 boxes use 1.6-2 mm corrugated
 * panels) are in every ray, so they are part of the filtration: the scanner's air
 * reference and the calibration are taken through them, as real systems do. */
static const det_def dets[XRAY_NSCALES] = {
    {.al_mm = 2.0, .cu_mm = 0.0, .fe_mm = 0.0, .front_mm = 0.3, .mid_cu_mm = 0.5, .back_mm = 4.0},
    {.al_mm = 2.0, .cu_mm = 1.0, .fe_mm = 4.0, .front_mm = 1.0, .mid_cu_mm = 2.0, .back_mm = 10.0}};

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


static int xr_mu(const char *formula, int z, double kev, double *out, sim_error *err) {
  xrl_error *e = NULL;
  *out = formula ? CS_Total_CP(formula, kev, &e) : CS_Total(z, kev, &e);
  if (!e) return 0;
  sim_error_set(err, SIM_EINVAL, "xray: xraylib at %.1f keV: %s", kev, e->message);
  xrl_error_free(e);
  return SIM_EINVAL;
}

/* Mean signal T (open beam 1) and its noise sd of both layers behind attenuation tau. */
void xray_layers(const phys *p, const double *tau, double t[2], double sd[2]) {
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
int xray_spectra(phys *p, double kvp, int scale, sim_error *err) {
  const det_def *d = &dets[scale];
  double de = (kvp - 10.0) / p->nb, nsum = 0, n[NB_MAX], af[NB_MAX], ah[NB_MAX];
  for (int b = 0; b < p->nb; b++) {
    double e = p->kev[b] = 10.0 + (b + 0.5) * de, mal, mfe, mcu, mcs;
    int rc = xr_mu(NULL, 13, e, &mal, err);
    if (!rc) rc = xr_mu(NULL, 26, e, &mfe, err);
    if (!rc) rc = xr_mu(NULL, 29, e, &mcu, err);
    if (!rc) rc = xr_mu("CsI", 0, e, &mcs, err);
    for (int m = 0; !rc && m < XRAY_MAT_N; m++)
      rc = xr_mu(xray_mats[m].formula, 0, e, &p->mu[m][b], err);
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
  return sim_error_set(err, SIM_EINVAL, "xray: %g photons per pixel are too few to image", p->i0);
}

/* Where high attenuation h falls on the calibration grid: row j and fraction u (below
 * the grid: as at its start, with mass thickness scaled by s = h / hmin). */
typedef struct cal_pos {
  int j;
  double u, s;
} cal_pos;

static cal_pos cal_at(const phys *p, double h) {
  double u = (log(xray_fmax(h, 1e-12)) - p->lh0) / p->dlh, s = 1;
  if (u < 0) s = h / p->hmin, u = 0;
  u = xray_fmin(u, NHT - 1.0001);
  int j = (int)u;
  return (cal_pos){j, u - j, s};
}

/* R and mass thickness of calibrant k there. */
static double cal_r(const phys *p, cal_pos c, int k) {
  return p->rt[k][c.j] + c.u * (p->rt[k][c.j + 1] - p->rt[k][c.j]);
}
static double cal_m(const phys *p, cal_pos c, int k) {
  return c.s * exp(p->lmt[k][c.j] + c.u * (p->lmt[k][c.j + 1] - p->lmt[k][c.j]));
}

/* Z and mass thickness of a layer raising the high attenuation from h0 to h1 with
 * r = dL / dH, read as if it and what lies under it hardened the beam like a calibrant
 * (h0 = 0: the layer alone). Interpolates between the calibrants that bracket r. */
double xray_zstep(const phys *p, double h0, double h1, double r, double *g, double *slope) {
  double rs[NCAL];
  cal_pos c1 = cal_at(p, h1), c0 = c1;
  if (h0 > 0) c0 = cal_at(p, h0);
  /* the calibrants' R up to the first one above r (the others are never read) */
#define RS(k) (rs[k] = (cal_r(p, c1, k) * h1 - (h0 > 0 ? cal_r(p, c0, k) * h0 : 0)) / (h1 - h0))
  RS(0), RS(1);
  int c = 0;
  while (c < NCAL - 2 && r >= rs[c + 1]) c++, RS(c + 1);
#undef RS
  double dr = rs[c + 1] - rs[c], t = dr > 1e-9 ? (r - rs[c]) / dr : 0;
  t = xray_fmin(xray_fmax(t, -2.0), 2.0); /* bounded extrapolation beyond the end calibrants */
  double tt = xray_fmin(xray_fmax(t, 0), 1);
  if (g) {
    double ma = cal_m(p, c1, c) - (h0 > 0 ? cal_m(p, c0, c) : 0);
    double mb = cal_m(p, c1, c + 1) - (h0 > 0 ? cal_m(p, c0, c + 1) : 0);
    *g = (1 - tt) * ma + tt * mb;
  }
  if (slope) *slope = dr > 1e-9 ? (p->zc[c + 1] - p->zc[c]) / dr : 100;
  return xray_fmin(xray_fmax(p->zc[c] + t * (p->zc[c + 1] - p->zc[c]), 1.0), 60.0);
}

double xray_zinv(const phys *p, double h, double r, double *g) {
  return xray_zstep(p, 0, h, r, g, NULL);
}

static int zbin(double z) {
  static const double edge[NZB - 1] = {6.5, 8, 9.5, 11, 13, 15.5, 18, 22};
  int b = 0;
  while (b < NZB - 1 && z >= edge[b]) b++;
  return b;
}

/* Step wedges of pure elements (Z_eff = Z) from below the lightest goods to above iron:
 * R(Z, H) on a log-H grid, then the per-pixel (H, R) -> Z-bin lookup. */
int xray_calibrate(phys *p, sim_error *err) {
  static const int cz[NCAL] = {5, 6, 7, 8, 9, 11, 12, 14, 16, 19, 22, 26, 29};
  enum { K = 96 };
  p->lh0 = log(p->hmin);
  p->dlh = (log(p->hopq) - p->lh0) / (NHT - 1);
  for (int c = 0; c < NCAL; c++) {
    double mu[NB_MAX], tau[NB_MAX], lh[K], rr[K], lm[K], t[2], sd[2], mumin = 1e30, mueff = 0;
    for (int b = 0; b < p->nb; b++) {
      int rc = xr_mu(NULL, cz[c], p->kev[b], &mu[b], err);
      if (rc) return rc;
      mumin = fmin(mumin, mu[b]), mueff += p->w1[1][b] * mu[b] / p->s10[1];
    }
    p->zc[c] = cz[c];
    double m0 = 0.3 * p->hmin / mueff, m1 = 1.1 * p->hopq / mumin;
    for (int k = 0; k < K; k++) {
      lm[k] = log(m0) + k * (log(m1) - log(m0)) / (K - 1);
      for (int b = 0; b < p->nb; b++) tau[b] = mu[b] * exp(lm[k]);
      xray_layers(p, tau, t, sd);
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
          (uint8_t)zbin(xray_zinv(p, exp(p->lh0 + j * p->dlh), p->r0 + (i + 0.5) * p->dr, NULL));
  p->nhb = (int)((log(p->hopq) - p->lh0) * 4) + 1; /* log-H bins of 0.25 */
  return 0;
}

const char *xray_material_formula(int m) {
  return m >= 0 && m < XRAY_MAT_N ? xray_mats[m].formula : "?";
}
double xray_material_density(int m) { return m >= 0 && m < XRAY_MAT_N ? xray_mats[m].rho : 0; }

int xray_slab(const xray *x, int scale, const char *formula, double g_cm2, gsl_rng *r,
              xray_reading *out) {
  memset(out, 0, sizeof *out);
  if (scale < 0 || scale >= XRAY_NSCALES || !(g_cm2 >= 0) || !isfinite(g_cm2)) return SIM_EINVAL;
  const phys *p = &x->ph[scale];
  double tau[NB_MAX], t[2], sd[2], mu, sh = 0, sl = 0;
  for (int b = 0; b < p->nb; b++) {
    if (xr_mu(formula, 0, p->kev[b], &mu, NULL)) return SIM_EINVAL;
    tau[b] = mu * g_cm2;
  }
  xray_layers(p, tau, t, sd);
  for (int i = 0; i < 256; i++) { /* 32 x 32 pixels in 2 x 2 bins, read like a region */
    double a = t[0] + (r ? sd[0] / 2 * gsl_ran_gaussian_ziggurat(r, 1) : 0);
    double c = t[1] + (r ? sd[1] / 2 * gsl_ran_gaussian_ziggurat(r, 1) : 0);
    sl -= log(fmax(a, p->fl[0] / 4)), sh -= log(fmax(c, p->fl[1] / 4));
  }
  out->h = sh / 256, out->l = sl / 256;
  if (out->h < p->hmin) return out->cls = XRAY_CLASS_NONE, 0;
  if (out->h > p->hopq) return out->cls = XRAY_CLASS_OPAQUE, 0;
  out->r = out->l / out->h;
  out->zeff = xray_zinv(p, out->h, out->r, &out->g_cm2);
  out->cls = xray_zeff_class(out->zeff);
  return 0;
}
