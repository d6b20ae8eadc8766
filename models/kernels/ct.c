/* ct: parallel-beam CT: phantoms and exact projections, filtered back projection with
 * FFTW, dual-energy decomposition, and the parcel kernel "ct" (see ct.h). */
#include "models/kernels/ct.h"

#include <math.h>
#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <fftw3.h>
#include <gsl/gsl_randist.h>

#include "models/kernels/surrogate.h"
#include "models/kernels/surrogate_cache.h"

#ifndef M_PI
#define M_PI 3.14159265358979323846
#endif

/* ---- phantoms and projections ------------------------------------------------- */

/* Toft's modified Shepp-Logan: value, semi-axes, centre, angle (degrees). */
static const ct_ellipse shepp_logan[10] = {
    {1.0, 0.69, 0.92, 0.0, 0.0, 0.0},      {-0.8, 0.6624, 0.874, 0.0, -0.0184, 0.0},
    {-0.2, 0.11, 0.31, 0.22, 0.0, -18.0},  {-0.2, 0.16, 0.41, -0.22, 0.0, 18.0},
    {0.1, 0.21, 0.25, 0.0, 0.35, 0.0},     {0.1, 0.046, 0.046, 0.0, 0.1, 0.0},
    {0.1, 0.046, 0.046, 0.0, -0.1, 0.0},   {0.1, 0.046, 0.023, -0.08, -0.605, 0.0},
    {0.1, 0.023, 0.023, 0.0, -0.606, 0.0}, {0.1, 0.023, 0.046, 0.06, -0.605, 0.0},
};

const ct_ellipse *ct_shepp_logan(size_t *count) {
  if (count) *count = sizeof shepp_logan / sizeof shepp_logan[0];
  return shepp_logan;
}

static const char *const filter_names[CT_FILTER_N] = {"ramp", "shepp-logan", "cosine", "hamming",
                                                      "hann"};

const char *ct_filter_name(int filter) {
  return filter >= 0 && filter < CT_FILTER_N ? filter_names[filter] : "?";
}

void ct_ellipses_raster(const ct_ellipse *e, size_t ne, int n, int sub, double *img) {
  double c = (n - 1) / 2.0, s = n / 2.0;
  if (sub < 1) sub = 1;
  memset(img, 0, sizeof(double) * (size_t)n * (size_t)n);
  for (size_t k = 0; k < ne; k++) {
    double cp = cos(e[k].phi_deg * M_PI / 180), sp = sin(e[k].phi_deg * M_PI / 180);
    for (int j = 0; j < n; j++)
      for (int i = 0; i < n; i++) {
        int in = 0;
        for (int sj = 0; sj < sub; sj++)
          for (int si = 0; si < sub; si++) {
            double dx = (i - c - 0.5 + (si + 0.5) / sub) / s - e[k].x0;
            double dy = (c - j + 0.5 - (sj + 0.5) / sub) / s - e[k].y0;
            double u = (dx * cp + dy * sp) / e[k].a, v = (-dx * sp + dy * cp) / e[k].b;
            in += u * u + v * v <= 1;
          }
        img[j * n + i] += e[k].value * in / (sub * sub);
      }
  }
}

/* Chord of a line (normal angle th, signed distance u from the origin) through an
 * ellipse with semi-axes A, B rotated by ph and centred at (x0, y0). */
static double ellipse_chord(double A, double B, double x0, double y0, double ph, double ct,
                            double st, double th, double u) {
  double up = u - (x0 * ct + y0 * st), tp = th - ph;
  double a2 = A * A * cos(tp) * cos(tp) + B * B * sin(tp) * sin(tp);
  return up * up < a2 ? 2 * A * B * sqrt(a2 - up * up) / a2 : 0.0;
}

void ct_ellipses_project(const ct_ellipse *e, size_t ne, int n, int views, int sub, double *sino) {
  double c = (n - 1) / 2.0, s = n / 2.0;
  if (sub < 1) sub = 1;
  for (int m = 0; m < views; m++) {
    double th = m * M_PI / views, ct = cos(th), st = sin(th);
    for (int k = 0; k < n; k++) {
      double acc = 0;
      for (int q = 0; q < sub; q++) {
        double u = k - c - 0.5 + (q + 0.5) / sub;
        for (size_t l = 0; l < ne; l++)
          acc += e[l].value * ellipse_chord(e[l].a * s, e[l].b * s, e[l].x0 * s, e[l].y0 * s,
                                            e[l].phi_deg * M_PI / 180, ct, st, th, u);
      }
      sino[m * n + k] = acc / sub;
    }
  }
}

double ct_rmse_disk(const double *a, const double *b, int n, double radius_px) {
  double c = (n - 1) / 2.0, se = 0;
  long cnt = 0;
  for (int j = 0; j < n; j++)
    for (int i = 0; i < n; i++) {
      double x = i - c, y = c - j;
      if (x * x + y * y > radius_px * radius_px) continue;
      double d = a[j * n + i] - b[j * n + i];
      se += d * d;
      cnt++;
    }
  return cnt ? sqrt(se / cnt) : NAN;
}

/* ---- filtered back projection ---------------------------------------------------
 * Filtering: each projection is zero-padded to npad >= 2n (no circular wrap of the
 * filter tail), transformed with a real-to-complex FFT, multiplied by the filter and
 * transformed back. The ramp is the DFT of the band-limited spatial kernel h(0) = 1/4,
 * h(odd k) = -1/(pi k)^2 (Kak and Slaney, Principles of Computerized Tomographic
 * Imaging, 1988, eq. 3.61), which has no DC error, unlike a sampled |f|.
 *
 * Back projection, the costly part (n^2 x views samples): for a view whose |cos| >=
 * |sin| the detector position moves by d = cos(theta) per pixel along an image row, so
 * the samples a row needs are a regular comb. The filtered projection is resampled once
 * per view, by linear interpolation, onto P combs of spacing d offset by 1/P of a step;
 * a row then adds a contiguous run of one comb, which vectorises. Views nearer 90
 * degrees do the same along columns into a transposed image. The comb offset is
 * rounded to 1/P step (P = 4: at most 1/8 pixel of position error). Four views are
 * summed per pass over a row so the image is read and written once per four views. */

enum { FBP_P = 4, FBP_GROUP = 4, FBP_QM = 8 /* margin of qp */ };

typedef float ct_v8 __attribute__((vector_size(32)));
typedef void (*fbp_add4_fn)(float *restrict a, const float *restrict r0, const float *restrict r1,
                            const float *restrict r2, const float *restrict r3, int len);

/* a[i] += r0[i] + r1[i] + r2[i] + r3[i], the inner loop of the back projection, defined
 * twice: for the baseline target and for AVX2 (one 32-byte add instead of two). The
 * variant is picked by a CPU check in ct_fbp_new, not an ifunc, which sanitizers and
 * static links do not all support. */
#define FBP_ADD4(name, attr)                                                                       \
  attr static void name(float *restrict a, const float *restrict r0, const float *restrict r1,     \
                        const float *restrict r2, const float *restrict r3, int len) {             \
    int i = 0;                                                                                     \
    for (; i + 8 <= len; i += 8) {                                                                 \
      ct_v8 x, y0, y1, y2, y3;                                                                     \
      memcpy(&x, a + i, 32), memcpy(&y0, r0 + i, 32), memcpy(&y1, r1 + i, 32);                     \
      memcpy(&y2, r2 + i, 32), memcpy(&y3, r3 + i, 32);                                            \
      x += (y0 + y1) + (y2 + y3);                                                                  \
      memcpy(a + i, &x, 32);                                                                       \
    }                                                                                              \
    for (; i < len; i++) a[i] += (r0[i] + r1[i]) + (r2[i] + r3[i]);                                \
  }

FBP_ADD4(fbp_add4_base, )
#if defined(__GNUC__) && defined(__x86_64__)
#define CT_HAVE_AVX2 1
FBP_ADD4(fbp_add4_avx2, __attribute__((target("avx2"))))
#endif

static fbp_add4_fn fbp_pick_add4(void) {
#ifdef CT_HAVE_AVX2
  if (__builtin_cpu_supports("avx2")) return fbp_add4_avx2;
#endif
  return fbp_add4_base;
}

struct ct_fbp {
  int n, views, npad, nk, L;
  double *H;          /* nk: window x ramp x pi / views / npad */
  double *pad;        /* views x npad, zero beyond n */
  fftw_complex *spec; /* views x nk */
  double *filt;       /* views x npad */
  fftw_plan fwd, inv;
  double *cs, *sn; /* cos and sin per view */
  int *xs, *xe;    /* disk bounds of each row (and, by symmetry, column) */
  float *comb;     /* FBP_GROUP x FBP_P x L */
  float *zero;     /* L zeros, stands for a missing view in a group */
  float *qp;       /* one filtered projection as float with margins, then its slopes */
  float *img[2];   /* row-wise and column-wise (transposed) partial images */
  fbp_add4_fn add4;
};

/* FFTW's planner is not thread-safe (only fftw_execute is); kernels are created by
 * parallel replications, so plan creation and destruction go through this one lock.
 * This is the module's only mutable static. */
static pthread_mutex_t fftw_lock = PTHREAD_MUTEX_INITIALIZER;

static double window(int filter, double w) { /* w: cycles per sample, 0..0.5 */
  switch (filter) {
  case CT_FILTER_SHEPP_LOGAN: return w > 0 ? sin(M_PI * w) / (M_PI * w) : 1.0;
  case CT_FILTER_COSINE: return cos(M_PI * w);
  case CT_FILTER_HAMMING: return 0.54 + 0.46 * cos(2 * M_PI * w);
  case CT_FILTER_HANN: return 0.5 + 0.5 * cos(2 * M_PI * w);
  default: return 1.0;
  }
}

static int fbp_filter_table(ct_fbp *f, int filter) {
  int np = f->npad;
  double *cosn = malloc(sizeof *cosn * (size_t)np);
  if (!cosn) return SIM_ENOMEM;
  for (int j = 0; j < np; j++) cosn[j] = cos(2 * M_PI * j / np);
  for (int k = 0; k < f->nk; k++) {
    double h = 0.25; /* DFT of the even kernel: a cosine sum */
    for (int j = 1; j < np; j++) {
      int d = j < np / 2 ? j : np - j;
      if (d % 2) h -= cosn[(long)k * j % np] / (M_PI * M_PI * d * d);
    }
    f->H[k] = h * window(filter, (double)k / np) * (M_PI / f->views) / np;
  }
  free(cosn);
  return 0;
}

void ct_fbp_free(ct_fbp *f) {
  if (!f) return;
  pthread_mutex_lock(&fftw_lock);
  if (f->fwd) fftw_destroy_plan(f->fwd);
  if (f->inv) fftw_destroy_plan(f->inv);
  pthread_mutex_unlock(&fftw_lock);
  fftw_free(f->pad);
  fftw_free(f->spec);
  fftw_free(f->filt);
  free(f->H);
  free(f->cs);
  free(f->sn);
  free(f->xs);
  free(f->xe);
  free(f->comb);
  free(f->zero);
  free(f->qp);
  free(f->img[0]);
  free(f->img[1]);
  free(f);
}

static int fbp_plans(ct_fbp *f) {
  int np = f->npad, v = f->views, nk = f->nk;
  pthread_mutex_lock(&fftw_lock);
  f->fwd =
      fftw_plan_many_dft_r2c(1, &np, v, f->pad, NULL, 1, np, f->spec, NULL, 1, nk, FFTW_ESTIMATE);
  f->inv =
      fftw_plan_many_dft_c2r(1, &np, v, f->spec, NULL, 1, nk, f->filt, NULL, 1, np, FFTW_ESTIMATE);
  pthread_mutex_unlock(&fftw_lock);
  return f->fwd && f->inv ? 0 : SIM_ENOMEM;
}

int ct_fbp_new(ct_fbp **out, int n, int views, int filter, sim_error *err) {
  *out = NULL;
  if (n < 8 || n > 4096 || views < 2 || views > 8192 || filter < 0 || filter >= CT_FILTER_N)
    return sim_error_set(err, SIM_EINVAL, "ct_fbp: bad geometry n=%d views=%d filter=%d", n, views,
                         filter);
  ct_fbp *f = calloc(1, sizeof *f);
  if (!f) return sim_error_set(err, SIM_ENOMEM, "ct_fbp: out of memory");
  f->n = n, f->views = views;
  f->npad = 64;
  while (f->npad < 2 * n) f->npad *= 2;
  f->nk = f->npad / 2 + 1;
  f->L = 2 * (int)ceil(1.5 * n / 2.0) + 8; /* comb length for |d| >= 1/sqrt(2) */
  size_t nn = (size_t)n * (size_t)n, V = (size_t)views;
  f->H = malloc(sizeof *f->H * (size_t)f->nk);
  f->pad = fftw_malloc(sizeof(double) * V * (size_t)f->npad);
  f->spec = fftw_malloc(sizeof(fftw_complex) * V * (size_t)f->nk);
  f->filt = fftw_malloc(sizeof(double) * V * (size_t)f->npad);
  f->cs = malloc(sizeof(double) * V), f->sn = malloc(sizeof(double) * V);
  f->xs = malloc(sizeof(int) * (size_t)n), f->xe = malloc(sizeof(int) * (size_t)n);
  f->comb = malloc(sizeof(float) * FBP_GROUP * FBP_P * (size_t)f->L);
  f->zero = calloc((size_t)f->L, sizeof(float));
  f->qp = malloc(sizeof(float) * 2 * (size_t)(n + 2 * FBP_QM));
  f->img[0] = malloc(sizeof(float) * nn), f->img[1] = malloc(sizeof(float) * nn);
  if (!f->H || !f->pad || !f->spec || !f->filt || !f->cs || !f->sn || !f->xs || !f->xe ||
      !f->comb || !f->zero || !f->qp || !f->img[0] || !f->img[1] || fbp_filter_table(f, filter) ||
      fbp_plans(f)) {
    ct_fbp_free(f);
    return sim_error_set(err, SIM_ENOMEM, "ct_fbp: out of memory or no FFTW plan");
  }
  memset(f->pad, 0, sizeof(double) * V * (size_t)f->npad);
  f->add4 = fbp_pick_add4();
  for (int m = 0; m < views; m++)
    f->cs[m] = cos(m * M_PI / views), f->sn[m] = sin(m * M_PI / views);
  double c = (n - 1) / 2.0, R = n / 2.0;
  for (int j = 0; j < n; j++) {
    double y = c - j, h2 = R * R - y * y, h = h2 > 0 ? sqrt(h2) : -1;
    f->xs[j] = h < 0 ? 1 : (int)ceil(c - h);
    f->xe[j] = h < 0 ? 0 : (int)floor(c + h);
    if (f->xs[j] < 0) f->xs[j] = 0;
    if (f->xe[j] > n - 1) f->xe[j] = n - 1;
  }
  *out = f;
  return 0;
}

static void fbp_filter(ct_fbp *f, const double *sino) {
  int n = f->n, np = f->npad, nk = f->nk;
  for (int m = 0; m < f->views; m++)
    memcpy(f->pad + (size_t)m * np, sino + (size_t)m * n, sizeof(double) * (size_t)n);
  fftw_execute(f->fwd);
  for (int m = 0; m < f->views; m++) {
    fftw_complex *s = f->spec + (size_t)m * nk;
    for (int k = 0; k < nk; k++) s[k][0] *= f->H[k], s[k][1] *= f->H[k];
  }
  fftw_execute(f->inv);
}

/* Resamples filtered projection m onto the FBP_P combs of spacing d at slot g. */
static void fbp_combs(ct_fbp *f, int m, double d, int K0, int g) {
  int n = f->n, np = f->npad, Lm = 2 * K0 + 2;
  const double *q = f->filt + (size_t)m * np;
  float *qp = f->qp, *dq = f->qp + n + 2 * FBP_QM;
  for (int k = -FBP_QM; k < 0; k++) qp[k + FBP_QM] = (float)q[k + np]; /* circular */
  for (int k = 0; k < n + FBP_QM; k++) qp[k + FBP_QM] = (float)q[k];
  for (int k = 0; k < n + 2 * FBP_QM - 1; k++) dq[k] = qp[k + 1] - qp[k];
  double c = (n - 1) / 2.0;
  for (int p = 0; p < FBP_P; p++) {
    float *r = f->comb + ((size_t)g * FBP_P + p) * f->L;
    /* index into qp of comb sample k, in 16.16 fixed point; it stays within the
     * margins, which hold the (never used) filter tails */
    int64_t U = llround((c + FBP_QM + (-K0 + (double)p / FBP_P) * d) * 65536.0);
    int64_t D = llround(d * 65536.0);
    for (int k = 0; k < Lm; k++, U += D) {
      int64_t iu = U >> 16;
      r[k] = qp[iu] + (float)(U & 0xffff) * (1.0f / 65536.0f) * dq[iu];
    }
  }
}

/* Back-projects views m0 .. m0+cnt-1 (all of one orientation) into img[cols]. */
static void fbp_group(ct_fbp *f, int m0, int cnt, int cols) {
  int n = f->n;
  double c = (n - 1) / 2.0, R = n / 2.0;
  double slope[FBP_GROUP];
  int K0[FBP_GROUP];
  for (int g = 0; g < cnt; g++) {
    int m = m0 + g;
    double d = cols ? -f->sn[m] : f->cs[m], e = cols ? f->cs[m] : -f->sn[m];
    K0[g] = (int)ceil((R + 1) / fabs(d)) + 1;
    slope[g] = e / d;
    fbp_combs(f, m, d, K0[g], g);
  }
  const int bias = 4 * n;
  int64_t T[FBP_GROUP], S[FBP_GROUP];
  for (int g = 0; g < cnt; g++)
    T[g] = llround((K0[g] - c - c * slope[g] + bias) * 4294967296.0),
    S[g] = llround(slope[g] * 4294967296.0);
  float *img = f->img[cols];
  for (int l = 0; l < n; l++) {
    if (l)
      for (int g = 0; g < cnt; g++) T[g] += S[g];
    if (f->xs[l] > f->xe[l]) continue;
    int xs = f->xs[l];
    const float *r[FBP_GROUP];
    for (int g = 0; g < FBP_GROUP; g++) {
      if (g >= cnt) {
        r[g] = f->zero;
        continue;
      }
      /* comb position of pixel i on line l is i + t, t = K0 - c + (l - c) e / d (it
       * lies in [0, 2 K0 + 2) over the disk); t is stepped in 32.32 fixed point,
       * biased positive so the shift floors */
      uint64_t frac = (uint32_t)T[g];
      int k = (int)(T[g] >> 32) - bias, p = (int)((frac * FBP_P + 0x80000000u) >> 32);
      if (p == FBP_P) p = 0, k++;
      r[g] = f->comb + ((size_t)g * FBP_P + p) * f->L + (k + xs);
    }
    f->add4(img + (size_t)l * n + xs, r[0], r[1], r[2], r[3], f->xe[l] - xs + 1);
  }
}

int ct_fbp_run(ct_fbp *f, const double *sino, double *out) {
  if (!f || !sino || !out) return SIM_EINVAL;
  int n = f->n;
  size_t nn = (size_t)n * (size_t)n;
  fbp_filter(f, sino);
  memset(f->img[0], 0, sizeof(float) * nn);
  memset(f->img[1], 0, sizeof(float) * nn);
  for (int m = 0; m < f->views;) {
    int cols = fabs(f->cs[m]) < fabs(f->sn[m]), g = 1;
    while (g < FBP_GROUP && m + g < f->views && (fabs(f->cs[m + g]) < fabs(f->sn[m + g])) == cols)
      g++;
    fbp_group(f, m, g, cols);
    m += g;
  }
  const float *A = f->img[0], *B = f->img[1];
  for (int j = 0; j < n; j++)
    for (int i = 0; i < n; i++)
      out[(size_t)j * n + i] = i >= f->xs[j] && i <= f->xe[j]
                                   ? (double)A[(size_t)j * n + i] + B[(size_t)i * n + j]
                                   : 0.0;
  return 0;
}

/* ---- materials and dual-energy decomposition ------------------------------------ */

/* Composition as (Z, atoms) pairs; densities are bulk values for goods and powders.
 * Drug bulk densities (compressed powder in packs) are assumptions, not measurements.
 * Street heroin is taken as the hydrochloride (heroin No. 4). */
typedef struct mat_def {
  const char *name;
  double rho;
  int nel;
  int z[5];
  double atoms[5];
} mat_def;

static const mat_def mat_defs[CT_MAT_N] = {
    [CT_AIR] = {"air", 0.0012, 3, {7, 8, 18}, {1.56, 0.42, 0.01}},
    [CT_WATER] = {"water", 1.0, 2, {1, 8}, {2, 1}},
    [CT_CELLULOSE] = {"cellulose", 0.9, 3, {6, 1, 8}, {6, 10, 5}},
    [CT_POLYETHYLENE] = {"polyethylene", 0.93, 2, {6, 1}, {2, 4}},
    [CT_PMMA] = {"pmma", 1.19, 3, {6, 1, 8}, {5, 8, 2}},
    [CT_SUCROSE] = {"sucrose", 0.85, 3, {6, 1, 8}, {12, 22, 11}},
    [CT_SALT] = {"salt", 1.2, 2, {11, 17}, {1, 1}},
    [CT_PVC] = {"pvc", 1.38, 3, {6, 1, 17}, {2, 3, 1}},
    [CT_GLASS] = {"glass", 2.5, 2, {14, 8}, {1, 2}},
    [CT_ALUMINIUM] = {"aluminium", 2.7, 1, {13}, {1}},
    [CT_STEEL] = {"steel", 7.87, 1, {26}, {1}},
    [CT_GOLD] = {"gold", 19.3, 1, {79}, {1}},
    [CT_METH_HCL] = {"meth_hcl", 0.9, 4, {6, 1, 17, 7}, {10, 16, 1, 1}},
    [CT_COCAINE_HCL] = {"cocaine_hcl", 0.9, 5, {6, 1, 17, 7, 8}, {17, 22, 1, 1, 4}},
    [CT_HEROIN_HCL] = {"heroin_hcl", 0.8, 5, {6, 1, 17, 7, 8}, {21, 24, 1, 1, 5}},
    [CT_CANNABIS] = {"cannabis", 0.35, 3, {6, 1, 8}, {6, 10, 5}},
    [CT_SODA] = {"soda", 0.7, 3, {11, 6, 8}, {2, 1, 3}},
};

#define CT_ZEXP 3.8 /* photoelectric Z exponent of the model */

ct_material ct_material_get(int mat) {
  ct_material m = {"?", 0, 0};
  if (mat < 0 || mat >= CT_MAT_N) return m;
  const mat_def *d = &mat_defs[mat];
  double ne = 0, s = 0;
  for (int i = 0; i < d->nel; i++) ne += d->atoms[i] * d->z[i];
  for (int i = 0; i < d->nel; i++) s += d->atoms[i] * d->z[i] / ne * pow(d->z[i], CT_ZEXP);
  m.name = d->name, m.rho = d->rho, m.zeff = pow(s, 1 / CT_ZEXP);
  return m;
}

/* The model mu(E) = rho (a(E) Z^3.8 + b(E)): a (photoelectric) and b (Compton, per
 * gram at Z/A near 1/2) are fixed by two anchors per energy, the mass attenuation
 * coefficients of water (Z_eff 7.54 by this rule) and aluminium (Z 13) from NIST XCOM
 * (Hubbell and Seltzer, NISTIR 5632): 50 keV 0.2269 and 0.3681 cm^2/g, 80 keV 0.1837
 * and 0.2018 cm^2/g. The rule ignores Z/A (carbon is about 10% high) and absorption
 * edges; it is the forward model and the decomposition model alike. */
static const double mu_anchor[2][2] = {{0.2269, 0.3681}, {0.1837, 0.2018}};

static void model_coef(int energy, double *a, double *b) {
  double zw = pow(ct_material_get(CT_WATER).zeff, CT_ZEXP), za = pow(13.0, CT_ZEXP);
  *a = (mu_anchor[energy][1] - mu_anchor[energy][0]) / (za - zw);
  *b = mu_anchor[energy][0] - *a * zw;
}

double ct_mu(double rho, double zeff, int energy) {
  double a, b;
  model_coef(energy ? 1 : 0, &a, &b);
  return rho * (a * pow(zeff, CT_ZEXP) + b);
}

/* Least squares line y = a x + b. */
static int fit_line(const double *x, const double *y, size_t n, double *a, double *b) {
  double sx = 0, sy = 0, sxx = 0, sxy = 0;
  for (size_t i = 0; i < n; i++) sx += x[i], sy += y[i], sxx += x[i] * x[i], sxy += x[i] * y[i];
  double den = n * sxx - sx * sx;
  if (n < 2 || !(fabs(den) > 0)) return SIM_EINVAL;
  *a = (n * sxy - sx * sy) / den;
  *b = (sy - *a * sx) / n;
  return 0;
}

int ct_dect_calibrate(ct_dect_cal *cal, const double *rho, const double *zeff, const double *mu_lo,
                      const double *mu_hi, size_t n) {
  if (!cal || n < 2 || n > 64) return SIM_EINVAL;
  double x[64], y0[64], y1[64];
  for (size_t i = 0; i < n; i++) {
    if (!(rho[i] > 0) || !(zeff[i] > 0)) return SIM_EINVAL;
    x[i] = pow(zeff[i], CT_ZEXP), y0[i] = mu_lo[i] / rho[i], y1[i] = mu_hi[i] / rho[i];
  }
  int rc = fit_line(x, y0, n, &cal->a[0], &cal->b[0]);
  if (!rc) rc = fit_line(x, y1, n, &cal->a[1], &cal->b[1]);
  if (!rc && !(cal->a[0] * cal->b[1] > cal->a[1] * cal->b[0])) rc = SIM_EINVAL;
  return rc;
}

/* The ratio r = mu_lo / mu_hi fixes z = Z^3.8 (the density cancels); then rho follows.
 * r runs from b0/b1 (Z = 0) to a0/a1 (Z large). */
int ct_dect_decompose(const ct_dect_cal *cal, double mu_lo, double mu_hi, double *rho,
                      double *zeff) {
  *rho = 0, *zeff = 0;
  if (!(mu_lo > 0) || !(mu_hi > 0)) return SIM_EINVAL;
  double r = mu_lo / mu_hi, den = r * cal->a[1] - cal->a[0];
  if (!(den < 0)) return SIM_EINVAL; /* r beyond the photoelectric limit */
  double z = (cal->b[0] - r * cal->b[1]) / den;
  if (z < 0) z = 0;
  *zeff = pow(z, 1 / CT_ZEXP);
  *rho = mu_hi / (cal->a[1] * z + cal->b[1]);
  return 0;
}

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
    {"pixels", 128, 32, 512, "the slice is reconstructed on pixels x pixels"},
    {"views", 120, 16, 1440, "parallel-beam views over 180 degrees"},
    {"filter", 4, 0, 4, "FBP filter: 0 ramp, 1 shepp-logan, 2 cosine, 3 hamming, 4 hann"},
    {"fov_cm", 60, 10, 200, "width of the reconstructed field (the tunnel) (cm)"},
    {"photons", 1e5, 10, 1e9, "photons per detector bin and view, unattenuated, each energy"},
    {"smooth", 1, 0, 5, "passes of a 3x3 mean over both images before decomposition"},
    {"rho_min", 0.5, 0, 30, "drug window: lowest density (g/cm^3)"},
    {"rho_max", 1.5, 0, 30, "drug window: highest density (g/cm^3)"},
    {"zeff_min", 9.0, 1, 100, "drug window: lowest effective atomic number"},
    {"zeff_max", 12.0, 1, 100, "drug window: highest effective atomic number"},
    {"threshold_cm2", 4, 0, 1e4, "alarm when the largest drug-window region covers this (cm^2)"},
    {"scan_s", 6, 0, 3600, "time an item occupies the CT station (s)"},
};

enum { MAX_SHAPES = 48 };

typedef struct shape {
  int rect;
  double x, y, a, b, phi; /* centre (cm), semi-axes or half-widths (cm), angle (rad) */
  double mu[2];           /* 1/cm at the low and high energy */
} shape;

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
  double dx; /* cm per pixel */
  ct_fbp *fbp;
  ct_dect_cal cal;
  double *sino[2], *mu[2], *tmp;
  uint8_t *mask;
  int *queue;
  surrogate *sur;
} ct_state;

static void scene_add(scene *sc, int rect, double x, double y, double a, double b, double phi,
                      double rho, double zeff) {
  if (sc->ns >= MAX_SHAPES) return;
  shape *s = &sc->s[sc->ns++];
  *s = (shape){rect, x, y, a, b, phi, {ct_mu(rho, zeff, 0), ct_mu(rho, zeff, 1)}};
}

/* Exact noise-free line integrals of the scene: sino[e][m * n + k] (dimensionless). */
static void scene_project(const ct_state *k, const scene *sc, double *s0, double *s1) {
  int n = k->n, V = k->views;
  double c = (n - 1) / 2.0, dx = k->dx;
  memset(s0, 0, sizeof(double) * (size_t)(n * V));
  memset(s1, 0, sizeof(double) * (size_t)(n * V));
  for (int m = 0; m < V; m++) {
    double th = m * M_PI / V, ct = cos(th), st = sin(th);
    for (int q = 0; q < sc->ns; q++) {
      const shape *s = &sc->s[q];
      double uc = s->x * ct + s->y * st, cp = cos(s->phi), sp = sin(s->phi);
      double rad = s->rect ? hypot(s->a, s->b) : fmax(s->a, s->b);
      int k0 = (int)ceil((uc - rad) / dx + c), k1 = (int)floor((uc + rad) / dx + c);
      if (k0 < 0) k0 = 0;
      if (k1 > n - 1) k1 = n - 1;
      /* normal and direction of the rays in the shape's frame */
      double nx = ct * cp + st * sp, ny = -ct * sp + st * cp, ex = -ny, ey = nx;
      double ox = s->x * cp + s->y * sp, oy = -s->x * sp + s->y * cp;
      double a2 = s->a * s->a * nx * nx + s->b * s->b * ny * ny;
      for (int b = k0; b <= k1; b++) {
        double u = (b - c) * dx, len;
        if (!s->rect) {
          double w = u - uc;
          len = w * w < a2 ? 2 * s->a * s->b * sqrt(a2 - w * w) / a2 : 0;
        } else { /* slab clipping of the ray u n + t e against |x| <= a, |y| <= b */
          double px = u * nx - ox, py = u * ny - oy, t0 = -1e30, t1 = 1e30;
          const double pp[2] = {px, py}, ee[2] = {ex, ey}, hh[2] = {s->a, s->b};
          for (int ax = 0; ax < 2; ax++) {
            if (fabs(ee[ax]) < 1e-12) {
              if (fabs(pp[ax]) > hh[ax]) t1 = t0;
              continue;
            }
            double ta = (-hh[ax] - pp[ax]) / ee[ax], tb = (hh[ax] - pp[ax]) / ee[ax];
            t0 = fmax(t0, fmin(ta, tb)), t1 = fmin(t1, fmax(ta, tb));
          }
          len = t1 > t0 ? t1 - t0 : 0;
        }
        s0[m * n + b] += s->mu[0] * len, s1[m * n + b] += s->mu[1] * len;
      }
    }
  }
}

/* Photon counting: counts ~ Poisson(I0 exp(-p)) (normal approximation above 100
 * expected counts), at least one count so the log stays finite: a fully opaque ray
 * reads as ln(I0), a saturated rather than infinite attenuation. */
static void add_noise(double *sino, size_t len, double I0, gsl_rng *r) {
  for (size_t i = 0; i < len; i++) {
    double p = sino[i] > 0 ? sino[i] : 0, mean = I0 * exp(-fmin(p, 700.0)), cnt;
    if (mean > 100)
      cnt = mean + sqrt(mean) * gsl_ran_gaussian_ziggurat(r, 1.0);
    else
      cnt = (double)gsl_ran_poisson(r, mean);
    sino[i] = log(I0 / fmax(cnt, 1.0));
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

/* Benign goods: material, bulk density, weight, shape, size as a fraction of the box. */
static const struct goods {
  int mat;
  double rho, w;
  int rect;
  double lo, hi;
} goods[] = {
    {CT_CELLULOSE, 0.25, 3.0, 1, 0.15, 0.4},     /* clothes and textiles */
    {CT_CELLULOSE, 0.8, 2.0, 1, 0.1, 0.3},       /* books and paper */
    {CT_POLYETHYLENE, 0.93, 2.0, 0, 0.08, 0.25}, /* plastic goods */
    {CT_WATER, 1.0, 2.0, 0, 0.08, 0.2},          /* bottles, cosmetics, liquids */
    {CT_SUCROSE, 0.85, 2.0, 1, 0.08, 0.25},      /* food */
    {CT_PMMA, 1.19, 1.0, 1, 0.06, 0.2},          /* hard plastic */
    {CT_GLASS, 2.5, 0.6, 0, 0.05, 0.12},         /* glass */
    {CT_ALUMINIUM, 2.7, 0.6, 1, 0.03, 0.12},     /* cans, housings */
    {CT_STEEL, 7.87, 0.3, 1, 0.02, 0.08},        /* tools, hinges */
    {CT_SALT, 1.2, 0.4, 1, 0.05, 0.15},          /* salt and seasoning */
    {CT_PVC, 1.38, 0.4, 1, 0.05, 0.15},          /* PVC goods */
    {CT_SODA, 0.7, 0.15, 1, 0.05, 0.15},         /* detergent: Z_eff 9.5, in the window */
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

/* One pass of a 3x3 mean (edge pixels average their in-image neighbours). */
static void smooth3(double *img, double *tmp, int n) {
  for (int j = 0; j < n; j++)
    for (int i = 0; i < n; i++) {
      double s = 0;
      int c = 0;
      for (int dj = -1; dj <= 1; dj++)
        for (int di = -1; di <= 1; di++) {
          int y = j + dj, x = i + di;
          if (x >= 0 && y >= 0 && x < n && y < n) s += img[y * n + x], c++;
        }
      tmp[j * n + i] = s / c;
    }
  memcpy(img, tmp, sizeof(double) * (size_t)(n * n));
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
    double z = fmax((cal->b[0] - r * cal->b[1]) / den, 0), rho = hi / (cal->a[1] * z + cal->b[1]);
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

/* Scans a scene: projections, noise (I0 > 0), reconstruction in 1/cm, smoothing. */
static int scan(ct_state *k, const scene *sc, gsl_rng *r, double I0, int smooth) {
  size_t len = (size_t)k->n * (size_t)k->views;
  scene_project(k, sc, k->sino[0], k->sino[1]);
  for (int e = 0; e < 2; e++) {
    if (I0 > 0) add_noise(k->sino[e], len, I0, r);
    int rc = ct_fbp_run(k->fbp, k->sino[e], k->mu[e]);
    if (rc) return rc;
    for (int i = 0; i < k->n * k->n; i++) k->mu[e][i] /= k->dx;
    for (int s = 0; s < smooth; s++) smooth3(k->mu[e], k->tmp, k->n);
  }
  return 0;
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

static void ct_destroy(void *state) {
  ct_state *k = state;
  if (!k) return;
  surrogate_free(k->sur);
  ct_fbp_free(k->fbp);
  for (int e = 0; e < 2; e++) free(k->sino[e]), free(k->mu[e]);
  free(k->tmp), free(k->mask), free(k->queue), free(k);
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
static int ct_surrogate(ct_state *k, const kernel_opts *o, char *err, size_t errlen) {
  static const uint8_t kinds[] = {KIND_EXPRESS, KIND_PASSENGERS_IN};
  static const uint8_t contra[] = {CONTRA_METH, CONTRA_COCAINE, CONTRA_HEROIN};
  static const double edges[] = {0.005, 0.02, 0.05, 0.2, 1.0, 100.0};
  static const uint8_t conceal[] = {CONCEAL_NONE, CONCEAL_MIXED, CONCEAL_SHIELDED};
  surrogate_spec sp = {kinds,   2, {0},           contra, 3,  edges, 6,
                       conceal, 3, {0, 1, 2, -1}, 128,    16, NULL};
  sp.kind_row[KIND_PASSENGERS_IN] = sp.kind_row[KIND_PASSENGERS_OUT] = 1;
  return surrogate_build_cached(&k->sur, &kernel_ct_type, k->p, CT_OUTCOME_VERSION, k, o, &sp,
                                err, errlen);
}

static int ct_create(void **state, const double *p, const kernel_opts *o, char *err,
                     size_t errlen) {
  *state = NULL;
  ct_state *k = calloc(1, sizeof *k);
  if (!k) return snprintf(err, errlen, "ct: out of memory"), SIM_ENOMEM;
  memcpy(k->p, p, sizeof k->p);
  k->n = (int)p[P_PIXELS], k->views = (int)p[P_VIEWS], k->dx = p[P_FOV] / k->n;
  size_t nn = (size_t)k->n * (size_t)k->n, ns = (size_t)k->n * (size_t)k->views;
  sim_error e = {0};
  int rc = ct_fbp_new(&k->fbp, k->n, k->views, (int)p[P_FILTER], &e);
  for (int i = 0; i < 2; i++)
    k->sino[i] = malloc(sizeof(double) * ns), k->mu[i] = malloc(sizeof(double) * nn);
  k->tmp = malloc(sizeof(double) * nn), k->mask = malloc(nn), k->queue = malloc(sizeof(int) * nn);
  if (!rc &&
      (!k->sino[0] || !k->sino[1] || !k->mu[0] || !k->mu[1] || !k->tmp || !k->mask || !k->queue))
    rc = sim_error_set(&e, SIM_ENOMEM, "out of memory");
  if (!rc && (rc = calibrate(k))) sim_error_set(&e, rc, "dual-energy calibration failed");
  if (rc) snprintf(err, errlen, "ct: %s", e.msg);
  if (!rc && o && o->surrogate) rc = ct_surrogate(k, o, err, errlen);
  if (rc) return ct_destroy(k), rc;
  *state = k;
  return 0;
}

static const surrogate *ct_table(const void *state) { return ((const ct_state *)state)->sur; }

const kernel_type kernel_ct_type = {
    "ct",      "X-ray CT: FBP, dual-energy (rho, Z_eff) decomposition, drug-region detection",
    ct_params, P_N,
    ct_create, ct_decide,
    NULL,      ct_destroy, ct_table};
