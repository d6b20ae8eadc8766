/* ct_fbp: parallel-beam CT geometry: the modified Shepp-Logan phantom, exact
 * projections of ellipses, and filtered back projection with FFTW (plans made once per
 * reconstructor). The parcel kernel that uses it is in ct.c (see ct.h). */
#include "models/kernels/ct.h"

#include <math.h>
#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <fftw3.h>

#ifndef M_PI
#define M_PI 3.14159265358979323846
#endif

/* ---- phantoms and projections ------------------------------------------------- */

/* Toft's modified Shepp-Logan: value, semi-axes, centre, angle (degrees). */
static const ct_ellipse shepp_logan[10] = {
    {.value = 1.0, .a = 0.69, .b = 0.92, .x0 = 0.0, .y0 = 0.0, .phi_deg = 0.0},
    {.value = -0.8, .a = 0.6624, .b = 0.874, .x0 = 0.0, .y0 = -0.0184, .phi_deg = 0.0},
    {.value = -0.2, .a = 0.11, .b = 0.31, .x0 = 0.22, .y0 = 0.0, .phi_deg = -18.0},
    {.value = -0.2, .a = 0.16, .b = 0.41, .x0 = -0.22, .y0 = 0.0, .phi_deg = 18.0},
    {.value = 0.1, .a = 0.21, .b = 0.25, .x0 = 0.0, .y0 = 0.35, .phi_deg = 0.0},
    {.value = 0.1, .a = 0.046, .b = 0.046, .x0 = 0.0, .y0 = 0.1, .phi_deg = 0.0},
    {.value = 0.1, .a = 0.046, .b = 0.046, .x0 = 0.0, .y0 = -0.1, .phi_deg = 0.0},
    {.value = 0.1, .a = 0.046, .b = 0.023, .x0 = -0.08, .y0 = -0.605, .phi_deg = 0.0},
    {.value = 0.1, .a = 0.023, .b = 0.023, .x0 = 0.0, .y0 = -0.606, .phi_deg = 0.0},
    {.value = 0.1, .a = 0.023, .b = 0.046, .x0 = 0.06, .y0 = -0.605, .phi_deg = 0.0},
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
typedef float ct_v4f __attribute__((vector_size(16)));
typedef double ct_v4df __attribute__((vector_size(32)));
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
#include <immintrin.h>
/* The AVX2 variant ends a row with one masked step instead of up to seven single
 * pixels (the same sums in the lanes; masked-off lanes are neither read nor written). */
__attribute__((target("avx2"))) static void fbp_add4_avx2(float *restrict a,
                                                          const float *restrict r0,
                                                          const float *restrict r1,
                                                          const float *restrict r2,
                                                          const float *restrict r3, int len) {
  int i = 0;
  for (; i + 8 <= len; i += 8) {
    __m256 s = _mm256_add_ps(_mm256_add_ps(_mm256_loadu_ps(r0 + i), _mm256_loadu_ps(r1 + i)),
                             _mm256_add_ps(_mm256_loadu_ps(r2 + i), _mm256_loadu_ps(r3 + i)));
    _mm256_storeu_ps(a + i, _mm256_add_ps(_mm256_loadu_ps(a + i), s));
  }
  if (i < len) {
    __m256i m = _mm256_cmpgt_epi32(_mm256_set1_epi32(len - i),
                                   _mm256_setr_epi32(0, 1, 2, 3, 4, 5, 6, 7));
    __m256 s = _mm256_add_ps(
        _mm256_add_ps(_mm256_maskload_ps(r0 + i, m), _mm256_maskload_ps(r1 + i, m)),
        _mm256_add_ps(_mm256_maskload_ps(r2 + i, m), _mm256_maskload_ps(r3 + i, m)));
    _mm256_maskstore_ps(a + i, m, _mm256_add_ps(_mm256_maskload_ps(a + i, m), s));
  }
}
#endif

/* The comb loop of fbp_combs eight samples at a time with AVX2 gathers: the same float
 * operations on each sample (U and D fit 32 bits: indices stay below n + 2 FBP_QM).
 * Returns how many samples it did. */
typedef int (*fbp_comb8_fn)(float *r, const float *qp, const float *dq, int32_t U, int32_t D,
                            int len);
#ifdef CT_HAVE_AVX2
__attribute__((target("avx2"))) static int fbp_comb8_avx2(float *r, const float *qp,
                                                          const float *dq, int32_t U, int32_t D,
                                                          int len) {
  int k = 0;
  __m256i u = _mm256_add_epi32(_mm256_set1_epi32(U),
                               _mm256_mullo_epi32(_mm256_set1_epi32(D),
                                                  _mm256_setr_epi32(0, 1, 2, 3, 4, 5, 6, 7)));
  const __m256i step = _mm256_set1_epi32(8 * D), lo = _mm256_set1_epi32(0xffff);
  const __m256 scale = _mm256_set1_ps(1.0f / 65536.0f);
  for (; k + 8 <= len; k += 8, u = _mm256_add_epi32(u, step)) {
    __m256i iu = _mm256_srai_epi32(u, 16);
    __m256 fr = _mm256_mul_ps(_mm256_cvtepi32_ps(_mm256_and_si256(u, lo)), scale);
    __m256 q = _mm256_i32gather_ps(qp, iu, 4), dv = _mm256_i32gather_ps(dq, iu, 4);
    _mm256_storeu_ps(r + k, _mm256_add_ps(q, _mm256_mul_ps(fr, dv)));
  }
  return k;
}
#endif

static fbp_comb8_fn fbp_pick_comb8(void) {
#ifdef CT_HAVE_AVX2
  if (__builtin_cpu_supports("avx2")) return fbp_comb8_avx2;
#endif
  return NULL;
}

static fbp_add4_fn fbp_pick_add4(void) {
#ifdef CT_HAVE_AVX2
  if (__builtin_cpu_supports("avx2")) return fbp_add4_avx2;
#endif
  return fbp_add4_base;
}

struct ct_fbp {
  int n, views, npad, nk, L;
  double *H;          /* 2 nk: window x ramp x pi / views / npad, each twice (re, im) */
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
  fbp_comb8_fn comb8; /* NULL: one sample at a time */
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
    f->H[2 * k] = f->H[2 * k + 1] = h * window(filter, (double)k / np) * (M_PI / f->views) / np;
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
  f->H = malloc(sizeof *f->H * 2 * (size_t)f->nk);
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
  f->add4 = fbp_pick_add4(), f->comb8 = fbp_pick_comb8();
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
    double *v = &s[0][0]; /* re and im of each bin times its gain, four at a time */
    int i = 0;
    for (; i + 4 <= 2 * nk; i += 4) {
      ct_v4df a, h;
      memcpy(&a, v + i, sizeof a), memcpy(&h, f->H + i, sizeof h);
      a *= h;
      memcpy(v + i, &a, sizeof a);
    }
    for (; i < 2 * nk; i++) v[i] *= f->H[i];
  }
  fftw_execute(f->inv);
}

/* Resamples filtered projection m onto the FBP_P combs of spacing d at slot g. */
static void fbp_combs(ct_fbp *f, int m, double d, int K0, int g) {
  int n = f->n, np = f->npad, Lm = 2 * K0 + 2;
  const double *q = f->filt + (size_t)m * np;
  float *qp = f->qp, *dq = f->qp + n + 2 * FBP_QM;
  for (int k = -FBP_QM; k < 0; k++) qp[k + FBP_QM] = (float)q[k + np]; /* circular */
  int i = 0, nq = n + FBP_QM, nd = n + 2 * FBP_QM - 1;
  for (; i + 4 <= nq; i += 4) { /* four at a time, the same conversions and differences */
    ct_v4df v;
    memcpy(&v, q + i, sizeof v);
    ct_v4f w = __builtin_convertvector(v, ct_v4f);
    memcpy(qp + i + FBP_QM, &w, sizeof w);
  }
  for (; i < nq; i++) qp[i + FBP_QM] = (float)q[i];
  for (i = 0; i + 4 <= nd; i += 4) {
    ct_v4f a, b;
    memcpy(&a, qp + i + 1, sizeof a), memcpy(&b, qp + i, sizeof b);
    a -= b;
    memcpy(dq + i, &a, sizeof a);
  }
  for (; i < nd; i++) dq[i] = qp[i + 1] - qp[i];
  double c = (n - 1) / 2.0;
  for (int p = 0; p < FBP_P; p++) {
    float *r = f->comb + ((size_t)g * FBP_P + p) * f->L;
    /* index into qp of comb sample k, in 16.16 fixed point; it stays within the
     * margins, which hold the (never used) filter tails */
    int64_t U = llround((c + FBP_QM + (-K0 + (double)p / FBP_P) * d) * 65536.0);
    int64_t D = llround(d * 65536.0);
    int k = f->comb8 ? f->comb8(r, qp, dq, (int32_t)U, (int32_t)D, Lm) : 0;
    for (U += k * D; k < Lm; k++, U += D) {
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
  for (int j = 0; j < n; j++) { /* the disk's pixels of each row, zero around them */
    double *o = out + (size_t)j * n;
    const float *a = A + (size_t)j * n;
    int i = 0, xs = f->xs[j], xe = f->xe[j];
    for (; i < xs && i < n; i++) o[i] = 0.0;
    for (; i <= xe; i++) o[i] = (double)a[i] + B[(size_t)i * n + j];
    for (; i < n; i++) o[i] = 0.0;
  }
  return 0;
}

