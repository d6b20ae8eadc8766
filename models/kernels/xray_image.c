/* xray_image: the noisy dual-energy image of the X-ray kernel, read in 2x2 bins with
 * their labels (see xray_image in xray_internal.h). Per row: the draws, the mean
 * signal and noise of each bin from its four pixels' stacks (runs of equal bins copy
 * it), then the noisy bins and labels. That last step is written twice: one bin at a
 * time, and eight at a time with AVX2 (picked by a CPU check, or turned off with
 * x->simd = 0). Bins are independent and the eight-wide step does the very float
 * operations of the one-bin step in the same order (no FMA contraction), so both give
 * the same image bit for bit; the eight-wide one is not held up by one bin's chain of
 * dependent loads and branches. */
#include <math.h>
#include <string.h>

#include "models/kernels/kdraw.h"
#include "models/kernels/xray_internal.h"

#if defined(__GNUC__) && defined(__x86_64__)
#include <immintrin.h>
#define XRAY_HAVE_AVX2 1
#endif

int xray_simd_available(void) {
#ifdef XRAY_HAVE_AVX2
  return __builtin_cpu_supports("avx2");
#else
  return 0;
#endif
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

/* Constants of the pixel step for one image. */
typedef struct img_k {
  float fl, fh, lh0, ih, hmin, hopq, r0, idr;
  double dlh;
  int nhb;
} img_k;

/* A row's bins before the noise: the mean signal of both layers (tl, th; -1: open
 * beam) and their noise sd (sl, sh), at i - wx0 in x->bt (four rows of m floats), and
 * the contraband flags (x->cflag). A bin's four pixels lie in runs of one stack along
 * the row, so a bin with the same four stacks as the one before copies its values. */
static void row_signal(xray *x, int y) {
  int n = x->n, m = x->m;
  const uint16_t *s0p = x->stk + 2 * y * n, *s2p = s0p + n;
  float *T = x->bt, tl = -1, th = 0, sl = 0, sh = 0;
  uint64_t last = UINT64_MAX;
  uint8_t f = 0;
  for (int i = x->wx0, k = 0, j = y * m + x->wx0; i < x->wx1; i++, k++, j++) {
    int s0 = s0p[2 * i], s1 = s0p[2 * i + 1], s2 = s2p[2 * i], s3 = s2p[2 * i + 1];
    uint64_t key = (uint64_t)s0 << 48 | (uint64_t)s1 << 32 | (uint64_t)s2 << 16 | (uint64_t)s3;
    if (key != last) {
      last = key;
      if (!key) { /* open beam */
        tl = -1, th = sl = sh = 0, f = 0;
        if (x->open < 0) x->open = j;
      } else {
        const float *v0 = x->sv[s0], *v1 = x->sv[s1], *v2 = x->sv[s2], *v3 = x->sv[s3];
        tl = 0.25f * (v0[0] + v1[0] + v2[0] + v3[0]);
        th = 0.25f * (v0[1] + v1[1] + v2[1] + v3[1]);
        if (s0 == s1 && s0 == s2 && s0 == s3) sl = 0.5f * v0[2], sh = 0.5f * v0[3];
        else {
          sl = 0.25f * sqrtf(v0[2] * v0[2] + v1[2] * v1[2] + v2[2] * v2[2] + v3[2] * v3[2]);
          sh = 0.25f * sqrtf(v0[3] * v0[3] + v1[3] * v1[3] + v2[3] * v2[3] + v3[3] * v3[3]);
        }
        f = x->sflag[s0] | x->sflag[s1] | x->sflag[s2] | x->sflag[s3];
      }
    }
    T[k] = tl, T[m + k] = th, T[2 * m + k] = sl, T[3 * m + k] = sh, x->cflag[j] = f;
  }
}

/* The noisy bins k0 .. k1 - 1 of the row (at i - wx0) and their labels, one at a time. */
static void bins_one(xray *x, const phys *p, const img_k *c, int y, int k0, int k1) {
  int m = x->m;
  const float *T = x->bt;
  for (int k = k0, j = y * m + x->wx0 + k0; k < k1; k++, j++) {
    float tl = T[k], th = T[m + k], sl = T[2 * m + k], sh = T[3 * m + k];
    if (tl < 0) { /* open beam */
      x->hb[j] = x->lb[j] = 0, x->lab[j] = 0;
      continue;
    }
    uint32_t b = x->rb[k];
    float lo = tl + sl * x->q[b & (NQ - 1)], hi = th + sh * x->q[(b >> 12) & (NQ - 1)];
    float ll = -fast_ln(x, lo > c->fl ? lo : c->fl), hh = -fast_ln(x, hi > c->fh ? hi : c->fh);
    x->hb[j] = hh, x->lb[j] = ll;
    if (hh < c->hmin) x->lab[j] = 0;
    else if (hh > c->hopq) x->lab[j] = 1;
    else {
      float u = (fast_ln(x, hh) - c->lh0) * c->ih;
      int jh = xray_clampi((int)(u + 0.5f), 0, NHT - 1);
      int jr = xray_clampi((int)((ll / hh - c->r0) * c->idr), 0, NRG - 1);
      int hb = xray_clampi((int)(u * c->dlh * 4), 0, c->nhb - 1);
      x->lab[j] = (uint16_t)(2 + p->zgrid[jh][jr] * c->nhb + hb);
    }
  }
}

#ifdef XRAY_HAVE_AVX2
#define AVX2 __attribute__((target("avx2")))

/* fast_ln of eight floats (lanes of any sign give some value, never a fault). */
AVX2 static inline __m256 fast_ln8(const xray *x, __m256 v) {
  __m256i b = _mm256_castps_si256(v);
  __m256i e = _mm256_sub_epi32(_mm256_srli_epi32(b, 23), _mm256_set1_epi32(127));
  __m256i k = _mm256_and_si256(_mm256_srli_epi32(b, 16), _mm256_set1_epi32(127));
  __m256i k2 = _mm256_slli_epi32(k, 1);
  __m256i mb = _mm256_or_si256(_mm256_and_si256(b, _mm256_set1_epi32(0x7FFFFF)),
                               _mm256_set1_epi32(0x3F800000));
  const float *t = &x->lnt[0][0];
  __m256 inv = _mm256_i32gather_ps(t + 1, k2, 4), l0 = _mm256_i32gather_ps(t, k2, 4);
  __m256 one = _mm256_set1_ps(1);
  __m256 r = _mm256_sub_ps(_mm256_mul_ps(_mm256_castsi256_ps(mb), inv), one);
  __m256 p = _mm256_sub_ps(_mm256_set1_ps(0.5f), _mm256_mul_ps(r, _mm256_set1_ps(1 / 3.f)));
  p = _mm256_mul_ps(r, _mm256_sub_ps(one, _mm256_mul_ps(r, p)));
  __m256 a = _mm256_add_ps(_mm256_mul_ps(_mm256_cvtepi32_ps(e), _mm256_set1_ps(0.69314718f)), l0);
  return _mm256_add_ps(a, p);
}

/* (int)(u * dlh * 4) in double, as the one-bin step computes it. */
AVX2 static inline __m256i hbin8(__m256 u, double dlh) {
  __m256d d = _mm256_set1_pd(dlh), f = _mm256_set1_pd(4);
  __m256d a = _mm256_mul_pd(_mm256_mul_pd(_mm256_cvtps_pd(_mm256_castps256_ps128(u)), d), f);
  __m256d b = _mm256_mul_pd(_mm256_mul_pd(_mm256_cvtps_pd(_mm256_extractf128_ps(u, 1)), d), f);
  return _mm256_set_m128i(_mm256_cvttpd_epi32(b), _mm256_cvttpd_epi32(a));
}

AVX2 static inline __m256i clamp8(__m256i v, int lo, int hi) {
  return _mm256_min_epi32(_mm256_max_epi32(v, _mm256_set1_epi32(lo)), _mm256_set1_epi32(hi));
}

/* bins_one for k0, k0 + 8, ... while eight fit before k1; returns the first bin not
 * done. Lanes of open-beam bins are computed on draw 0, then get the open beam's
 * values. */
AVX2 static int bins_avx2(xray *x, const phys *p, const img_k *c, int y, int k0, int k1) {
  int m = x->m, k = k0;
  const float *T = x->bt;
  const __m256 q5 = _mm256_set1_ps(0.5f), sign = _mm256_set1_ps(-0.0f);
  const __m256i qm = _mm256_set1_epi32(NQ - 1);
  for (; k + 8 <= k1; k += 8) {
    int j = y * m + x->wx0 + k;
    __m256 tl = _mm256_loadu_ps(T + k), th = _mm256_loadu_ps(T + m + k);
    __m256 sl = _mm256_loadu_ps(T + 2 * m + k), sh = _mm256_loadu_ps(T + 3 * m + k);
    __m256 open = _mm256_cmp_ps(tl, _mm256_setzero_ps(), _CMP_LT_OQ);
    __m256i rb = _mm256_loadu_si256((const __m256i *)(const void *)(x->rb + k));
    __m256 ql = _mm256_i32gather_ps(x->q, _mm256_and_si256(rb, qm), 4);
    __m256 qh = _mm256_i32gather_ps(x->q, _mm256_and_si256(_mm256_srli_epi32(rb, 12), qm), 4);
    __m256 lo = _mm256_add_ps(tl, _mm256_mul_ps(sl, ql));
    __m256 hi = _mm256_add_ps(th, _mm256_mul_ps(sh, qh));
    __m256 ll = _mm256_xor_ps(fast_ln8(x, _mm256_max_ps(lo, _mm256_set1_ps(c->fl))), sign);
    __m256 hh = _mm256_xor_ps(fast_ln8(x, _mm256_max_ps(hi, _mm256_set1_ps(c->fh))), sign);
    _mm256_storeu_ps(x->hb + j, _mm256_andnot_ps(open, hh));
    _mm256_storeu_ps(x->lb + j, _mm256_andnot_ps(open, ll));
    /* labels: background below hmin, opaque above hopq, else Z bin x log-H bin */
    __m256 u = _mm256_mul_ps(_mm256_sub_ps(fast_ln8(x, hh), _mm256_set1_ps(c->lh0)),
                             _mm256_set1_ps(c->ih));
    __m256i jh = clamp8(_mm256_cvttps_epi32(_mm256_add_ps(u, q5)), 0, NHT - 1);
    __m256 rr = _mm256_mul_ps(_mm256_sub_ps(_mm256_div_ps(ll, hh), _mm256_set1_ps(c->r0)),
                              _mm256_set1_ps(c->idr));
    __m256i jr = clamp8(_mm256_cvttps_epi32(rr), 0, NRG - 1);
    __m256i hb = clamp8(hbin8(u, c->dlh), 0, c->nhb - 1);
    __m256i zi = _mm256_add_epi32(_mm256_slli_epi32(jh, 7), jr); /* NRG = 128 */
    /* zgrid bytes read as 32-bit words (the 3 bytes past its end are phys's own) */
    __m256i z = _mm256_and_si256(
        _mm256_i32gather_epi32((const int *)(const void *)&p->zgrid[0][0], zi, 1),
        _mm256_set1_epi32(0xFF));
    __m256i lab = _mm256_add_epi32(_mm256_add_epi32(_mm256_set1_epi32(2), hb),
                                   _mm256_mullo_epi32(z, _mm256_set1_epi32(c->nhb)));
    __m256 below = _mm256_cmp_ps(hh, _mm256_set1_ps(c->hmin), _CMP_LT_OQ);
    __m256 above = _mm256_cmp_ps(hh, _mm256_set1_ps(c->hopq), _CMP_GT_OQ);
    lab = _mm256_blendv_epi8(lab, _mm256_set1_epi32(1), _mm256_castps_si256(above));
    lab = _mm256_andnot_si256(_mm256_castps_si256(_mm256_or_ps(below, open)), lab);
    __m256i l16 = _mm256_permute4x64_epi64(_mm256_packus_epi32(lab, lab), 0x08);
    _mm_storeu_si128((__m128i *)(void *)(x->lab + j), _mm256_castsi256_si128(l16));
  }
  return k;
}
#endif

/* The detector is read in 2x2 bins (halving the noise for the Z estimate). A bin's
 * signal is the mean of its 4 pixels' counts; a sum of independent Gaussian (photon)
 * counts is Gaussian, so the bin is drawn directly: the same distribution as drawing
 * the 4 pixels and adding them, at a quarter of the cost. Normals: two 12-bit
 * quantiles (tails cut at 3.7 sd) from one 24-bit draw. Each bin is then labelled:
 * background, opaque, or Z bin x log-H bin (0.25 wide). Open-beam bins (no object in
 * any of their pixels) read exactly 0 without a draw: their noise (H within 5 sd of 0,
 * below hmin) could never make them anything but background, and only their mean,
 * 0, enters a step. Only the window is imaged (the rest is open beam). */
void xray_image(xray *x, const phys *p, gsl_rng *r) {
  int n = x->n;
  unsigned long mn = gsl_rng_min(r);
  int full = gsl_rng_max(r) - mn >= 0xFFFFFFul;
  const img_k c = {.fl = (float)p->fl[0] / 4, .fh = (float)p->fl[1] / 4,
                   .lh0 = (float)p->lh0, .ih = (float)(1 / p->dlh), .hmin = (float)p->hmin,
                   .hopq = (float)p->hopq, .r0 = (float)p->r0, .idr = (float)(1 / p->dr),
                   .dlh = p->dlh, .nhb = p->nhb};
  x->open = -1;
  for (int y = x->wy0; y < x->wy1; y++) {
    const uint16_t *s0p = x->stk + 2 * y * n, *s2p = s0p + n;
    /* draws first, in bin order (none for open beam): no call inside the pixel step */
    for (int i = x->wx0, k = 0; i < x->wx1; i++, k++)
      x->rb[k] = !(s0p[2 * i] | s0p[2 * i + 1] | s2p[2 * i] | s2p[2 * i + 1]) ? 0
                 : full ? (uint32_t)(kdraw_get(r) - mn)
                        : (uint32_t)(gsl_rng_uniform(r) * 16777216.0);
    row_signal(x, y);
    int k = 0;
#ifdef XRAY_HAVE_AVX2
    if (x->simd) k = bins_avx2(x, p, &c, y, 0, x->wx1 - x->wx0);
#endif
    bins_one(x, p, &c, y, k, x->wx1 - x->wx0);
  }
}
