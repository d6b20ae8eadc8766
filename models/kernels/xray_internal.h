/* xray_internal: what the files of the X-ray kernel share and nothing else includes.
 * The kernel (public API in xray.h) is split by what each part is for:
 *   xray_physics.c  attenuation tables, spectra, detector response, Z_eff calibration
 *   xray_items.c    synthetic items (object layouts) and the stacks under the pixels
 *   xray_image.c    the noisy dual-energy image and its labels
 *   xray_detect.c   segmentation, layer peeling, region and item features, the score
 *   xray_learn.c    the logistic classifier and its training on synthetic items
 *   xray.c          parameters, state life cycle, queries, the kernel_type glue and
 *                   the calibration cache
 * Names here carry the xray_ prefix but are internal: they may change with the code. */
#ifndef MODELS_KERNELS_XRAY_INTERNAL_H
#define MODELS_KERNELS_XRAY_INTERNAL_H

#include <stddef.h>
#include <stdint.h>

#include <gsl/gsl_rng.h>

#include "models/item.h"
#include "models/kernels/surrogate.h"
#include "models/kernels/xray.h"

/* The outcome version in the calibration cache's key (surrogate_cache.h): bump it in
 * the same change as any edit to these files that can change a verdict (score, alarm
 * or time) for the same parameters and seed, or a cached table would outlive it. */
#define XRAY_OUTCOME_VERSION 3u

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
#define NREG 2        /* region models: loose contraband, contraband under a cover */
#define NKG 4         /* kind groups with their own operating point (per scale) */
#define MINPX 4       /* smallest candidate region, in 2x2-binned pixels */

/* Parameter indices, in the order of kernel_xray_type.params (xray.c). */
enum { P_KVP, P_CKVP, P_I0, P_CI0, P_PIX, P_THR, P_SCAN, P_CSCAN, P_REVIEW, P_ZLO, P_ZHI,
       P_RULE_G, P_OPAQUE, P_BINS, P_TRAIN, P_CAL_CELL, P_CAL_CLEAN, P_N };

/* Formula for xraylib and bulk density (g/cm^3), per xray_material (xray_physics.c). */
typedef struct xray_mat_def {
  const char *formula;
  double rho;
} xray_mat_def;
extern const xray_mat_def xray_mats[XRAY_MAT_N];

/* Geometry per item kind (xray_items.c): field of view w x h and greatest depth (cm),
 * tare (kg), packaging in the beam (material, g/cm^2 for both walls), goods objects,
 * metal thickness scale (cm), contraband slab thickness (cm) and training amounts (kg). */
typedef struct geom {
  int scale, opaque_rule; /* opaque_rule: a large opaque area alarms (not in cargo) */
  double w, h, depth, tare;
  int wall;
  double wall_g;
  int nmin, nmax;
  double metal_t, drug_t[2], kg[2];
} geom;
const geom *xray_geom(int kind); /* unknown kinds read as generic */

typedef struct obj {
  int x0, y0, x1, y1, mat, contra;
  double g; /* mass thickness, g/cm^2 */
} obj;

/* A logistic model on standardized features: beta[0] + sum beta[i+1] (f_i - mu_i) / sd_i. */
typedef struct logit {
  double mu[NFEAT], sd[NFEAT], beta[NFEAT + 1];
} logit;

/* The classifier of a scale (xray_learn.c). Each region model k gives an item the
 * largest logit over its regions, e_k; u_k is the share of the reference clean items
 * (all kinds of the scale) whose e_k is lower, and the item's statistic c = max_k u_k.
 * The score is the share of the reference clean items of the item's kind group whose
 * c is lower, so an alarm at score >= threshold has a false-alarm rate of about
 * 1 - threshold on clean items of every kind group. Arrays are sorted ascending. */
typedef struct xray_model {
  logit reg[NREG];
  int nref, nkref;       /* reference items: per scale, and per kind group */
  int ngroups;           /* kind groups of the scale */
  double *ref[NREG];     /* nref values each: e_k of the reference items */
  double *kref[NKG];     /* nkref values each: c of the group's reference items */
} xray_model;

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
  int nlib;        /* the drug library: the drugs that read inside the window, */
  double zlib[3];  /* their readings */
  uint8_t libc[3]; /* and their item_contraband codes */
  xray_model cls; /* the classifier */
} phys;

typedef struct reg { /* a component, then (at its root) a region */
  int n, nflag, type, contact, sn; /* sn: contact of the best step (0: none) */
  int zok;                         /* z is computed (components: on demand) */
  double sh, sl, lh, z;   /* sums of H and L, mean log H, Z of the mean */
  double sz, sdh, sg, ssd, sfl; /* best step: Z, dH, g/cm^2, sd of Z, neighbour's share
                                   of contraband pixels (training) */
} reg;

typedef struct pair {
  int a, b, n; /* touching regions a < b, contact in binned-pixel edges */
} pair;

typedef struct pslot { /* a slot of the region pair table (xray_detect.c) */
  uint64_t key;
  uint32_t gen; /* the slot is in use in the image of this generation */
  int32_t val;  /* the pair's index in pr */
} pslot;

typedef struct train_set { /* rows of region features and labels y (see xray_detect.c) */
  double *x;
  int *y;
  size_t n, cap;
} train_set;

struct xray {
  double prm[P_N];
  int n, m, no, nwall, nstk;
  int wx0, wy0, wx1, wy1; /* the window of 2x2 bins that is imaged (xray_items.c) */
  int open;               /* first open bin in the window, or -1 */
  uint32_t gen;
  phys ph[XRAY_NSCALES];
  float q[NQ], lnt[128][2];
  obj o[MAXOBJ];
  float *hb, *lb, (*sv)[4];
  float *bt; /* a row's bins before the noise (xray_image.c) */
  uint16_t *stk, *lab;
  uint32_t *rb;
  uint8_t *cflag, *sflag;
  int32_t *par, *comp, *cpar, *bnd;
  int nbnd, npr;
  int simd; /* xray_image's eight-wide step (xray_simd_available; 0 in tests: one-bin) */
  reg *cs;
  pair *pr;
  pslot *ptab; /* region pairs by key: psize slots, of which an image uses the first */
  uint32_t pgen, psize;
  uint64_t *hkey;
  uint32_t *hgen;
  uint16_t *hval;
  surrogate *sur;
};

static inline double xray_urand(gsl_rng *r, double a, double b) {
  return a + (b - a) * gsl_rng_uniform(r);
}
static inline double xray_sq(double v) { return v * v; }
/* fmax and fmin as glibc computes them on x86-64 (maxsd/minsd: the second operand when
 * equal; the other one when one is NaN), inlined: the hot paths call them per region. */
static inline double xray_fmax(double a, double b) { return a > b ? a : b == b ? b : a; }
static inline double xray_fmin(double a, double b) { return a < b ? a : b == b ? b : a; }
static inline int xray_clampi(int v, int lo, int hi) { return v < lo ? lo : v > hi ? hi : v; }

/* xray_physics.c */
/* The spectra and detector tables of scale (p->nb and p->i0 set by the caller). */
int xray_spectra(phys *p, double kvp, int scale, sim_error *err);
/* Step wedges of the calibrants: R(Z, H), then the per-pixel (H, R) -> Z-bin grid. */
int xray_calibrate(phys *p, sim_error *err);
/* Mean signal T (open beam 1) and noise sd of both layers behind attenuation tau. */
void xray_layers(const phys *p, const double *tau, double t[2], double sd[2]);
/* Z (and mass thickness, slope dZ/dR) of a layer raising H from h0 to h1 with
 * r = dL / dH; xray_zinv: a layer alone (h0 = 0). */
double xray_zstep(const phys *p, double h0, double h1, double r, double *g, double *slope);
double xray_zinv(const phys *p, double h, double r, double *g);

/* xray_items.c */
/* Lays out the objects of it (x->o, x->no) with r. */
void xray_layout(xray *x, const geom *g, const item *it, gsl_rng *r);
/* The stack of objects under every pixel (x->stk) and its signal (x->sv). */
void xray_stacks(xray *x, const phys *p);

/* xray_image.c */
/* The noisy 2x2-binned image (x->hb, x->lb) and its labels (x->lab), inside the window
 * of bins around the objects (x->wx0 .. x->wy1); bins outside it are open beam. The
 * same image bit for bit whatever x->simd. */
void xray_image(xray *x, const phys *p, gsl_rng *r);
int xray_simd_available(void); /* 1 if xray_image can take eight bins at a time */

/* xray_detect.c */
double xray_logit_eta(const logit *m, const double *f, int d);
/* Images it and judges it: the score in [0, 1]. With ts, it appends a row per candidate
 * region instead (label 1: on the contraband, 0: off it, 2: unclear) and returns 0 (*rc:
 * an allocation failure). With e (NREG values), the largest logit of each region model
 * over its regions (-HUGE_VAL: no candidate region). */
double xray_scan(xray *x, const item *it, gsl_rng *r, train_set *ts, double *e, int *rc);
/* The kind group of an item kind: its row in the operating points of its scale. */
int xray_kind_group(int kind);

/* xray.c */
/* Trains the classifiers of every scale (xray_train), the last scale on a helper
 * thread when threads > 1; the same models either way. */
int xray_train_all(xray *x, uint64_t seed, int threads, sim_error *err);

/* xray_learn.c */
/* Trains the classifier of a scale on synthetic items drawn from seed. */
int xray_train(xray *x, int scale, uint64_t seed, sim_error *err);
/* The score of an item from its largest logits e (NREG values), by the references. */
double xray_model_score(const xray_model *m, int group, const double *e);
/* The model's size as doubles (for the cache), and its values in or out of v. */
size_t xray_model_size(const xray_model *m);
void xray_model_io(xray_model *m, double *v, int load);
int xray_model_valid(const xray_model *m); /* 1 if loaded values make sense */
/* Allocates the reference arrays for nref / nkref values (0 or SIM_ENOMEM). */
int xray_model_alloc(xray_model *m, int ngroups, int nref, int nkref);
void xray_model_free(xray_model *m);

#endif
