/* ct: the parcel kernel "ct": synthetic slices of parcels, reconstruction (ct_fbp.c),
 * material windows and the drug-region alarm (see ct.h). Materials and the dual-energy
 * decomposition are in ct_material.c. */
#include "models/kernels/ct.h"

#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_randist.h>

#include "models/kernels/ct_internal.h"
#include "models/kernels/kdraw.h"
#include "models/kernels/surrogate.h"
#include "models/kernels/surrogate_cache.h"

#ifndef M_PI
#define M_PI 3.14159265358979323846
#endif

/* ---- the parcel kernel ("ct") -----------------------------------------------------
 * decide() builds one slice through the item (a cardboard box of benign goods around
 * the contraband, in cm), takes exact line integrals of every shape at the two
 * energies, adds Poisson photon noise, reconstructs both images, smooths them,
 * decomposes each pixel into (rho, Z_eff) and scores the largest connected region
 * inside the drug window after one erosion (thin partial-volume rims drop out).
 * Model assumptions: one slice through the middle of the contraband (the best slice
 * of a helical scan); goods packed at a bulk 0.25 g/cm^3; a drug pack is a brick whose
 * cross-section is (volume)^(2/3); body-concealed drugs are not in the bag. */

enum {
  P_PIXELS,
  P_VIEWS,
  P_FILTER,
  P_FOV,
  P_PHOTONS,
  P_SMOOTH,
  P_RHO_MIN,
  P_RHO_MAX,
  P_Z_MIN,
  P_Z_MAX,
  P_THRESHOLD,
  P_SCAN_S,
  P_N
};

static const kernel_param ct_params[P_N] = {
    {.name = "pixels", .def = 128, .min = 32, .max = 512,
     .help = "the slice is reconstructed on pixels x pixels"},
    {.name = "views", .def = 120, .min = 16, .max = 1440,
     .help = "parallel-beam views over 180 degrees"},
    {.name = "filter", .def = 4, .min = 0, .max = 4,
     .help = "FBP filter: 0 ramp, 1 shepp-logan, 2 cosine, 3 hamming, 4 hann"},
    {.name = "fov_cm", .def = 60, .min = 10, .max = 200,
     .help = "width of the reconstructed field (the tunnel) (cm)"},
    {.name = "photons", .def = 1e5, .min = 10, .max = 1e9,
     .help = "photons per detector bin and view, unattenuated, each energy"},
    {.name = "smooth", .def = 1, .min = 0, .max = 5,
     .help = "passes of a 3x3 mean over both images before decomposition"},
    {.name = "rho_min", .def = 0.5, .min = 0, .max = 30,
     .help = "drug window: lowest density (g/cm^3)"},
    {.name = "rho_max", .def = 1.5, .min = 0, .max = 30,
     .help = "drug window: highest density (g/cm^3)"},
    {.name = "zeff_min", .def = 9.0, .min = 1, .max = 100,
     .help = "drug window: lowest effective atomic number"},
    {.name = "zeff_max", .def = 12.0, .min = 1, .max = 100,
     .help = "drug window: highest effective atomic number"},
    {.name = "threshold_cm2", .def = 4, .min = 0, .max = 1e4,
     .help = "alarm when the largest drug-window region covers this (cm^2)"},
    {.name = "scan_s", .def = 6, .min = 0, .max = 3600,
     .help = "time an item occupies the CT station (s)"},
};

enum { MAX_SHAPES = 48 };

typedef ct_shape shape;

typedef struct scene {
  int ns;
  shape s[MAX_SHAPES];
  double bx, by, bw, bh, bphi; /* the box: centre, half-sizes, angle */
  int nocc;
  double occ[MAX_SHAPES][3]; /* bounding circles already used (box frame) */
} scene;

typedef struct ct_state {
  double p[P_N];
  int n, views;
  double dx;       /* cm per pixel */
  double *vc, *vs; /* cosine and sine of each view's angle */
  ct_recon *rec;
  ct_dect_cal cal;
  double *sino[2];
  const double *mu[2]; /* the last scan's images (ct_recon's) */
  uint8_t *mask;
  int *queue;
  surrogate *sur;
  kdraw_zig zig;
} ct_state;

static void scene_add(scene *sc, int rect, double x, double y, double a, double b, double phi,
                      double rho, double zeff) {
  if (sc->ns >= MAX_SHAPES) return;
  shape *s = &sc->s[sc->ns++];
  *s = (shape){rect, x, y, a, b, phi, {ct_mu(rho, zeff, 0), ct_mu(rho, zeff, 1)}};
}

/* Photon counting: counts ~ Poisson(I0 exp(-p)) (normal approximation above 100
 * expected counts), at least one count so the log stays finite: a fully opaque ray
 * reads as ln(I0), a saturated rather than infinite attenuation. */
static void add_noise(const kdraw_zig *z, double *sino, size_t len, double I0, gsl_rng *r) {
  double sq0 = sqrt(I0); /* rays that miss everything (p = 0: exp(-0) is exactly 1) */
  for (size_t i = 0; i < len; i++) {
    /* p and cnt are finite: the comparisons are libm's fmin and fmax, without a call */
    double p = sino[i] > 0 ? sino[i] : 0, mean = p > 0 ? I0 * exp(-(p < 700 ? p : 700.0)) : I0;
    double cnt;
    if (mean > 100)
      cnt = mean + (p > 0 ? sqrt(mean) : sq0) * kdraw_gaussian(z, r, 1.0);
    else
      cnt = (double)gsl_ran_poisson(r, mean);
    sino[i] = log(I0 / (cnt > 1 ? cnt : 1.0));
  }
}

/* Places a shape of bounding radius rad at a free spot inside the box (box frame
 * coordinates out in *xl, *yl); 0 if none found in a few tries. */
static int scene_spot(scene *sc, double rad, gsl_rng *r, double *xl, double *yl) {
  double wx = sc->bw - 0.4 - rad, wy = sc->bh - 0.4 - rad; /* 0.4 cm wall */
  if (wx < 0 || wy < 0 || sc->nocc >= MAX_SHAPES) return 0;
  for (int tries = 0; tries < 20; tries++) {
    double x = (2 * gsl_rng_uniform(r) - 1) * wx, y = (2 * gsl_rng_uniform(r) - 1) * wy;
    int ok = 1;
    for (int i = 0; ok && i < sc->nocc; i++)
      ok = hypot(x - sc->occ[i][0], y - sc->occ[i][1]) >= rad + sc->occ[i][2];
    if (!ok) continue;
    sc->occ[sc->nocc][0] = x, sc->occ[sc->nocc][1] = y, sc->occ[sc->nocc][2] = rad;
    sc->nocc++;
    *xl = x, *yl = y;
    return 1;
  }
  return 0;
}

/* Adds an object in box-frame coordinates (local angle lphi). */
static int scene_object(scene *sc, int rect, double a, double b, double lphi, int mat, double rho,
                        gsl_rng *r) {
  double xl, yl;
  if (!scene_spot(sc, rect ? hypot(a, b) : fmax(a, b), r, &xl, &yl)) return 0;
  double cb = cos(sc->bphi), sb = sin(sc->bphi);
  scene_add(sc, rect, sc->bx + xl * cb - yl * sb, sc->by + xl * sb + yl * cb, a, b, sc->bphi + lphi,
            rho, ct_material_get(mat).zeff);
  return 1;
}

/* Benign goods: material, bulk density (g/cm3), relative weight in the mix, shape
 * (rect 1: box, 0: ellipse), size as a fraction of the box (lo..hi). */
static const struct goods {
  int mat;
  double rho, w;
  int rect;
  double lo, hi;
} goods[] = {
    /* clothes and textiles */
    {.mat = CT_CELLULOSE, .rho = 0.25, .w = 3.0, .rect = 1, .lo = 0.15, .hi = 0.4},
    /* books and paper */
    {.mat = CT_CELLULOSE, .rho = 0.8, .w = 2.0, .rect = 1, .lo = 0.1, .hi = 0.3},
    /* plastic goods */
    {.mat = CT_POLYETHYLENE, .rho = 0.93, .w = 2.0, .rect = 0, .lo = 0.08, .hi = 0.25},
    /* bottles, cosmetics, liquids */
    {.mat = CT_WATER, .rho = 1.0, .w = 2.0, .rect = 0, .lo = 0.08, .hi = 0.2},
    /* food */
    {.mat = CT_SUCROSE, .rho = 0.85, .w = 2.0, .rect = 1, .lo = 0.08, .hi = 0.25},
    /* hard plastic */
    {.mat = CT_PMMA, .rho = 1.19, .w = 1.0, .rect = 1, .lo = 0.06, .hi = 0.2},
    /* glass */
    {.mat = CT_GLASS, .rho = 2.5, .w = 0.6, .rect = 0, .lo = 0.05, .hi = 0.12},
    /* cans, housings */
    {.mat = CT_ALUMINIUM, .rho = 2.7, .w = 0.6, .rect = 1, .lo = 0.03, .hi = 0.12},
    /* tools, hinges */
    {.mat = CT_STEEL, .rho = 7.87, .w = 0.3, .rect = 1, .lo = 0.02, .hi = 0.08},
    /* salt and seasoning */
    {.mat = CT_SALT, .rho = 1.2, .w = 0.4, .rect = 1, .lo = 0.05, .hi = 0.15},
    /* PVC goods */
    {.mat = CT_PVC, .rho = 1.38, .w = 0.4, .rect = 1, .lo = 0.05, .hi = 0.15},
    /* detergent: Z_eff 9.5, in the window */
    {.mat = CT_SODA, .rho = 0.7, .w = 0.15, .rect = 1, .lo = 0.05, .hi = 0.15},
};
enum { NGOODS = sizeof goods / sizeof goods[0] };

static void scene_goods(scene *sc, int count, double rho_scale, gsl_rng *r) {
  double wsum = 0, side = fmin(sc->bw, sc->bh);
  for (int g = 0; g < NGOODS; g++) wsum += goods[g].w;
  for (int i = 0; i < count && sc->ns < MAX_SHAPES - 4; i++) {
    double u = gsl_rng_uniform(r) * wsum;
    int g = 0;
    while (g < NGOODS - 1 && (u -= goods[g].w) > 0) g++;
    const struct goods *G = &goods[g];
    double a = side * (G->lo + (G->hi - G->lo) * gsl_rng_uniform(r));
    double b = a * (0.4 + 0.6 * gsl_rng_uniform(r));
    double rho = G->rho * (0.7 + 0.4 * gsl_rng_uniform(r)) * rho_scale;
    scene_object(sc, G->rect, a, b, M_PI * gsl_rng_uniform(r), G->mat, rho, r);
  }
}

static int contra_material(int contra) {
  switch (contra) {
  case CONTRA_METH: return CT_METH_HCL;
  case CONTRA_COCAINE: return CT_COCAINE_HCL;
  case CONTRA_HEROIN: return CT_HEROIN_HCL;
  case CONTRA_CANNABIS: return CT_CANNABIS;
  case CONTRA_CURRENCY: return CT_CELLULOSE; /* banknote bundles */
  case CONTRA_GOLD: return CT_GOLD;
  case CONTRA_FIREARM: return CT_STEEL;
  default: return -1;
  }
}

/* The contraband in the slice: packs of the item's amount, by concealment. A pack that
 * finds no room is halved until it does (the rest lies outside this slice). */
static void scene_contraband(scene *sc, const item *it, gsl_rng *r) {
  const item_truth *t = &it->truth;
  int mat = contra_material(t->contraband);
  if (mat < 0 || !(t->contraband_kg > 0) || t->concealment == CONCEAL_BODY) return;
  ct_material m = ct_material_get(mat);
  int packs = t->concealment == CONCEAL_MIXED ? 3 : 1, shield = t->concealment == CONCEAL_SHIELDED;
  double vol = fmin(t->contraband_kg, 1e4) * 1000.0 / m.rho / packs, area = pow(vol, 2.0 / 3);
  double cb = cos(sc->bphi), sb = sin(sc->bphi);
  for (int i = 0; i < packs; i++) {
    double asp = 1 + 1.5 * gsl_rng_uniform(r), rho = m.rho * (0.9 + 0.2 * gsl_rng_uniform(r));
    double a = fmin(sqrt(area * asp) / 2, 0.45 * sc->bw),
           b = fmin(sqrt(area / asp) / 2, 0.45 * sc->bh);
    double xl, yl;
    int ok = 0;
    for (int tries = 0; !ok && tries < 6; tries++)
      if (!(ok = scene_spot(sc, hypot(a, b) + (shield ? 0.5 : 0), r, &xl, &yl))) a *= 0.7, b *= 0.7;
    if (!ok) continue;
    double x = sc->bx + xl * cb - yl * sb, y = sc->by + xl * sb + yl * cb;
    scene_add(sc, 1, x, y, a, b, sc->bphi, rho, m.zeff);
    if (shield) { /* 1 mm steel sheets, at most 10 cm long, along both long sides */
      ct_material fe = ct_material_get(CT_STEEL);
      for (int s = -1; s <= 1; s += 2)
        scene_add(sc, 1, x - s * (b + 0.2) * sb, y + s * (b + 0.2) * cb, fmin(a, 5.0), 0.05,
                  sc->bphi, fe.rho, fe.zeff);
    }
  }
}

/* The slice of an item: box sized from its mass, contraband, then goods around it. */
static void scene_build(const ct_state *k, const item *it, gsl_rng *r, scene *sc) {
  memset(sc, 0, sizeof *sc);
  double ckg = isfinite(it->truth.contraband_kg) ? fmin(fmax(it->truth.contraband_kg, 0), 1e4) : 0;
  double goods_kg = isfinite(it->mass_kg) ? fmax(it->mass_kg - ckg, 0.1) : 0.1;
  double need = (goods_kg / 0.25 + ckg) * 1000.0, side = cbrt(need), maxs = 0.68 * k->p[P_FOV];
  double w = side * (0.8 + 0.4 * gsl_rng_uniform(r)), h = side * side / w;
  w = fmin(fmax(w, 6.0), maxs), h = fmin(fmax(h, 6.0), maxs);
  double rho_scale = fmin(fmax(need / (w * h * fmin(w, h)), 1.0), 4.0);
  sc->bw = w / 2, sc->bh = h / 2, sc->bphi = 0.3 * (2 * gsl_rng_uniform(r) - 1);
  /* the wall: cardboard for parcels; a plastic shell and two aluminium trolley tubes
   * for passengers' bags */
  int bag = it->kind == KIND_PASSENGERS_IN || it->kind == KIND_PASSENGERS_OUT;
  ct_material wall = ct_material_get(bag ? CT_POLYETHYLENE : CT_CELLULOSE);
  double wrho = bag ? 1.0 : 0.6;
  scene_add(sc, 1, 0, 0, sc->bw, sc->bh, sc->bphi, wrho, wall.zeff);
  scene_add(sc, 1, 0, 0, sc->bw - 0.4, sc->bh - 0.4, sc->bphi, -wrho, wall.zeff);
  if (bag) {
    double cb = cos(sc->bphi), sb = sin(sc->bphi), al = ct_material_get(CT_ALUMINIUM).zeff;
    for (int s = -1; s <= 1; s += 2) { /* tubes 2.5 cm from the corners, 1.6 cm across */
      double xl = s * (sc->bw - 2.5), yl = -(sc->bh - 1.5);
      scene_add(sc, 0, xl * cb - yl * sb, xl * sb + yl * cb, 0.8, 0.8, 0, 2.7, al);
      scene_add(sc, 0, xl * cb - yl * sb, xl * sb + yl * cb, 0.65, 0.65, 0, -2.7, al);
      sc->occ[sc->nocc][0] = xl, sc->occ[sc->nocc][1] = yl, sc->occ[sc->nocc++][2] = 1.0;
    }
  }
  scene_contraband(sc, it, r);
  if (it->truth.concealment == CONCEAL_MIXED && it->truth.contraband != CONTRA_NONE)
    for (int i = 0; i < 3; i++) /* look-alike goods: food packs beside the drug */
      scene_object(sc, 1, 0.12 * fmin(w, h), 0.08 * fmin(w, h), 0, CT_SUCROSE, 0.9, r);
  scene_goods(sc, 3 + (int)gsl_ran_poisson(r, 5.0), rho_scale, r);
}

/* Area (cm^2) of the largest 4-connected region of drug-window pixels that survive
 * one erosion. The window on Z is applied to z = Z^3.8, avoiding a pow per pixel. */
static double detect(ct_state *k) {
  int n = k->n;
  const ct_dect_cal *cal = &k->cal;
  double zlo = pow(k->p[P_Z_MIN], CT_ZEXP), zhi = pow(k->p[P_Z_MAX], CT_ZEXP);
  uint8_t *mk = k->mask;
  for (int i = 0; i < n * n; i++) {
    double lo = k->mu[0][i], hi = k->mu[1][i], r = lo / hi, den = r * cal->a[1] - cal->a[0];
    mk[i] = 0;
    if (!(lo > 0) || !(hi > 0) || !(den < 0)) continue;
    double z = (cal->b[0] - r * cal->b[1]) / den, rho;
    z = z > 0 ? z : 0; /* fmax(z, 0) as glibc gives it (0 for a NaN), without a call */
    rho = hi / (cal->a[1] * z + cal->b[1]);
    mk[i] = z >= zlo && z <= zhi && rho >= k->p[P_RHO_MIN] && rho <= k->p[P_RHO_MAX];
  }
  for (int j = 0; j < n; j++) /* erosion: bit 1 = in window, bit 2 = core */
    for (int i = 0; i < n; i++)
      if ((mk[j * n + i] & 1) && i > 0 && j > 0 && i < n - 1 && j < n - 1 &&
          (mk[j * n + i - 1] & 1) && (mk[j * n + i + 1] & 1) && (mk[(j - 1) * n + i] & 1) &&
          (mk[(j + 1) * n + i] & 1))
        mk[j * n + i] |= 2;
  int best = 0;
  for (int s = 0; s < n * n; s++) {
    if (!(mk[s] & 2)) continue;
    int head = 0, tail = 0;
    k->queue[tail++] = s, mk[s] &= (uint8_t)~2;
    while (head < tail) { /* breadth-first fill; each pixel enters the queue once */
      int q = k->queue[head++], x = q % n, y = q / n;
      const int nb[4] = {x > 0 ? q - 1 : -1, x < n - 1 ? q + 1 : -1, y > 0 ? q - n : -1,
                         y < n - 1 ? q + n : -1};
      for (int d = 0; d < 4; d++)
        if (nb[d] >= 0 && (mk[nb[d]] & 2)) mk[nb[d]] &= (uint8_t)~2, k->queue[tail++] = nb[d];
    }
    if (tail > best) best = tail;
  }
  return best * k->dx * k->dx;
}

/* Scans a scene: projections, noise (I0 > 0), then both images reconstructed in 1/cm
 * and smoothed (ct_recon: no draws, so the noise of both comes first). */
static int scan(ct_state *k, const scene *sc, gsl_rng *r, double I0, int smooth) {
  size_t len = (size_t)k->n * (size_t)k->views;
  ct_project(sc->s, sc->ns, k->n, k->views, k->dx, k->vc, k->vs, k->sino[0], k->sino[1]);
  for (int e = 0; e < 2 && I0 > 0; e++) add_noise(&k->zig, k->sino[e], len, I0, r);
  int rc = ct_recon_run(k->rec, k->sino[0], k->sino[1], smooth);
  for (int e = 0; e < 2; e++) k->mu[e] = ct_recon_image(k->rec, e);
  return rc;
}

/* Calibration: a noise-free scan of discs of known materials (the averaged scans of a
 * calibration phantom), mean attenuation in each disc's core, least-squares fit. */
static int calibrate(ct_state *k) {
  static const int ref[] = {CT_WATER, CT_POLYETHYLENE, CT_PMMA, CT_PVC,
                            CT_SALT,  CT_ALUMINIUM,    CT_GLASS};
  enum { NREF = sizeof ref / sizeof ref[0] };
  scene sc = {0};
  double fov = k->p[P_FOV], rd = 0.06 * fov, ring = 0.25 * fov, c = (k->n - 1) / 2.0;
  double rho[NREF], z[NREF], m[2][NREF];
  for (int i = 0; i < NREF; i++) {
    ct_material mt = ct_material_get(ref[i]);
    rho[i] = mt.rho, z[i] = mt.zeff;
    scene_add(&sc, 0, ring * cos(2 * M_PI * i / NREF), ring * sin(2 * M_PI * i / NREF), rd, rd, 0,
              mt.rho, mt.zeff);
  }
  int rc = scan(k, &sc, NULL, 0, 0);
  for (int i = 0; !rc && i < NREF; i++)
    for (int e = 0; e < 2; e++) {
      double sum = 0;
      int cnt = 0;
      for (int j = 0; j < k->n; j++)
        for (int q = 0; q < k->n; q++) {
          double x = (q - c) * k->dx - sc.s[i].x, y = (c - j) * k->dx - sc.s[i].y;
          if (hypot(x, y) <= 0.6 * rd) sum += k->mu[e][j * k->n + q], cnt++;
        }
      m[e][i] = cnt ? sum / cnt : 0;
    }
  return rc ? rc : ct_dect_calibrate(&k->cal, rho, z, m[0], m[1], NREF);
}

static void ct_kernel_free(void *state) {
  ct_state *k = state;
  if (!k) return;
  surrogate_free(k->sur);
  ct_recon_free(k->rec);
  for (int e = 0; e < 2; e++) free(k->sino[e]);
  free(k->mask), free(k->queue), free(k->vc), free(k->vs), free(k);
}

static int ct_decide_full(void *state, const item *it, gsl_rng *r, kernel_verdict *v) {
  ct_state *k = state;
  scene sc;
  scene_build(k, it, r, &sc);
  int rc = scan(k, &sc, r, k->p[P_PHOTONS], (int)k->p[P_SMOOTH]);
  if (rc) return rc;
  v->score = detect(k);
  v->alarm = v->score >= k->p[P_THRESHOLD];
  v->time_s = k->p[P_SCAN_S];
  return 0;
}

static int ct_decide(void *state, const item *it, gsl_rng *r, kernel_verdict *v) {
  ct_state *k = state;
  return k->sur ? surrogate_decide(k->sur, it, r, v) : ct_decide_full(state, it, r, v);
}

/* The outcome version in the calibration cache key (surrogate_cache.h): bump it in
 * the same change as any edit to this kernel that can change a verdict for the same
 * parameters and seed, or a cached table would outlive the edit. */
#define CT_OUTCOME_VERSION 1u

/* Surrogate table: bags (passengers) and parcels (every other kind); the drugs CT can
 * see; body concealment reads as clean (not in the bag). */
static int ct_surrogate(ct_state *k, const kernel_opts *o, sim_error *err) {
  static const uint8_t kinds[] = {KIND_EXPRESS, KIND_PASSENGERS_IN};
  static const uint8_t contra[] = {CONTRA_METH, CONTRA_COCAINE, CONTRA_HEROIN};
  static const double edges[] = {0.005, 0.02, 0.05, 0.2, 1.0, 100.0};
  static const uint8_t conceal[] = {CONCEAL_NONE, CONCEAL_MIXED, CONCEAL_SHIELDED};
  surrogate_spec sp = {.kinds = kinds,
                       .nkinds = 2,
                       .contra = contra,
                       .ncontra = 3,
                       .kg_edges = edges,
                       .nedges = 6,
                       .conceal = conceal,
                       .nconceal = 3,
                       .conceal_col = {0, 1, 2, -1},
                       .n_clean = 128,
                       .n_cell = 16};
  sp.kind_row[KIND_PASSENGERS_IN] = sp.kind_row[KIND_PASSENGERS_OUT] = 1;
  return surrogate_build_cached(&k->sur, &kernel_ct_type, k->p, CT_OUTCOME_VERSION, k, o, &sp,
                                err);
}

static int ct_kernel_new(void **state, const double *p, const kernel_opts *o, sim_error *err) {
  *state = NULL;
  ct_state *k = calloc(1, sizeof *k);
  if (!k) return sim_error_set(err, SIM_ENOMEM, "ct: out of memory");
  memcpy(k->p, p, sizeof k->p);
  kdraw_zig_init(&k->zig);
  k->n = (int)p[P_PIXELS], k->views = (int)p[P_VIEWS], k->dx = p[P_FOV] / k->n;
  size_t nn = (size_t)k->n * (size_t)k->n, ns = (size_t)k->n * (size_t)k->views;
  sim_error e = {0};
  int rc = ct_recon_new(&k->rec, k->n, k->views, (int)p[P_FILTER], k->dx, ct_cores(), &e);
  for (int i = 0; i < 2; i++) k->sino[i] = malloc(sizeof(double) * ns);
  k->mask = malloc(nn), k->queue = malloc(sizeof(int) * nn);
  k->vc = malloc(sizeof(double) * (size_t)k->views);
  k->vs = malloc(sizeof(double) * (size_t)k->views);
  if (!rc && (!k->sino[0] || !k->sino[1] || !k->mask || !k->queue || !k->vc || !k->vs))
    rc = sim_error_set(&e, SIM_ENOMEM, "out of memory");
  for (int m = 0; !rc && m < k->views; m++)
    k->vc[m] = cos(m * M_PI / k->views), k->vs[m] = sin(m * M_PI / k->views);
  if (!rc && (rc = calibrate(k))) sim_error_set(&e, rc, "dual-energy calibration failed");
  if (rc) sim_error_set(err, rc, "ct: %s", e.msg);
  if (!rc && o && o->surrogate) rc = ct_surrogate(k, o, err);
  if (rc) return ct_kernel_free(k), rc;
  *state = k;
  return 0;
}

static const surrogate *ct_table(const void *state) { return ((const ct_state *)state)->sur; }

const kernel_type kernel_ct_type = {
    .name = "ct",
    .help = "X-ray CT: FBP, dual-energy (rho, Z_eff) decomposition, drug-region detection",
    .params = ct_params,
    .nparams = P_N,
    .new = ct_kernel_new,
    .decide = ct_decide,
    .free = ct_kernel_free,
    .table = ct_table,
};
