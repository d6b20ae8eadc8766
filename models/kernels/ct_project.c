/* ct_project: exact parallel-beam line integrals of the shapes of a CT slice (see
 * ct_internal.h). Per view and shape the ray geometry is fixed, so the bins a shape
 * covers are done four at a time with the very operations of the one-bin formula
 * (chord below): the sinograms are the same bit for bit, at a fraction of the cost. */
#include "models/kernels/ct_internal.h"

#include <math.h>
#include <string.h>

/* fmax and fmin as glibc computes them on x86-64 (maxsd/minsd: the second operand when
 * equal; the other one when one is NaN), inlined. */
static inline double max_as_libm(double a, double b) { return a > b ? a : b == b ? b : a; }
static inline double min_as_libm(double a, double b) { return a < b ? a : b == b ? b : a; }

/* What a shape looks like from one view: the centre's detector position, the squared
 * projected half-width and 2ab (ellipses), the ray normal n and direction e in the
 * shape's frame and the frame's origin o (rectangles). */
typedef struct view_geo {
  double c, dx, uc, a2, k2ab, nx, ny, ex, ey, ox, oy, ha, hb, mu0, mu1;
} view_geo;

/* Chord length of the ray of bin b through shape s. */
static double chord(const ct_shape *s, const view_geo *g, int b) {
  double u = (b - g->c) * g->dx;
  if (!s->rect) {
    double w = u - g->uc;
    return w * w < g->a2 ? 2 * s->a * s->b * sqrt(g->a2 - w * w) / g->a2 : 0;
  }
  /* slab clipping of the ray u n + t e against |x| <= a, |y| <= b */
  double px = u * g->nx - g->ox, py = u * g->ny - g->oy, t0 = -1e30, t1 = 1e30;
  const double pp[2] = {px, py}, ee[2] = {g->ex, g->ey}, hh[2] = {s->a, s->b};
  for (int ax = 0; ax < 2; ax++) {
    if (fabs(ee[ax]) < 1e-12) {
      if (fabs(pp[ax]) > hh[ax]) t1 = t0;
      continue;
    }
    double ta = (-hh[ax] - pp[ax]) / ee[ax], tb = (hh[ax] - pp[ax]) / ee[ax];
    t0 = max_as_libm(t0, min_as_libm(ta, tb)), t1 = min_as_libm(t1, max_as_libm(ta, tb));
  }
  return t1 > t0 ? t1 - t0 : 0;
}

typedef double ct_v4d __attribute__((vector_size(32)));
typedef long long ct_v4l __attribute__((vector_size(32)));
typedef int (*span_fn)(const view_geo *g, int rect, int k0, int k1, double *s0, double *s1);

/* Bins k0, k0 + 4, ... while four fit before k1 + 1, as chord computes each (no NaN
 * arises, so a < b ? a : b is min_as_libm); returns the first bin not done. Defined
 * for the baseline target and for AVX2, picked by a CPU check as in ct_fbp.c. */
/* select, min and max on vectors of lane masks (macros: no vector passed by value) */
#define CT_SEL(m, a, b) ((ct_v4d)(((m) & (ct_v4l)(a)) | (~(m) & (ct_v4l)(b))))
#define CT_MIN(a, b) CT_SEL((ct_v4l)((a) < (b)), a, b)
#define CT_MAX(a, b) CT_SEL((ct_v4l)((a) > (b)), a, b)

#define CT_SPAN(name, attr)                                                                        \
  attr static int name(const view_geo *g, int rect, int k0, int k1, double *s0, double *s1) {      \
    const ct_v4d iota = {0, 1, 2, 3}, zero = {0, 0, 0, 0}, lo0 = zero - 1e30, hi0 = zero + 1e30;   \
    int b = k0;                                                                                    \
    for (; b + 4 <= k1 + 1; b += 4) {                                                              \
      ct_v4d u = ((double)b + iota - g->c) * g->dx, len, x0, x1;                                   \
      if (rect) {                                                                                  \
        ct_v4d px = u * g->nx - g->ox, py = u * g->ny - g->oy;                                     \
        ct_v4d ta = (-g->ha - px) / g->ex, tb = (g->ha - px) / g->ex;                              \
        ct_v4d lo = CT_MIN(ta, tb), hi = CT_MAX(ta, tb), t0 = CT_MAX(lo0, lo);                     \
        ct_v4d t1 = CT_MIN(hi0, hi);                                                               \
        ta = (-g->hb - py) / g->ey, tb = (g->hb - py) / g->ey;                                     \
        lo = CT_MIN(ta, tb), hi = CT_MAX(ta, tb), t0 = CT_MAX(t0, lo), t1 = CT_MIN(t1, hi);        \
        ct_v4d d = t1 - t0;                                                                        \
        len = CT_SEL((ct_v4l)(t1 > t0), d, zero);                                                  \
      } else {                                                                                     \
        ct_v4d w = u - g->uc, ww = w * w, d = g->a2 - ww;                                          \
        ct_v4l in = (ct_v4l)(ww < g->a2);                                                          \
        d = CT_SEL(in, d, zero);                                                                   \
        for (int l = 0; l < 4; l++) d[l] = sqrt(d[l]);                                             \
        d = g->k2ab * d / g->a2;                                                                   \
        len = CT_SEL(in, d, zero);                                                                 \
      }                                                                                            \
      memcpy(&x0, s0 + b, sizeof x0), memcpy(&x1, s1 + b, sizeof x1);                             \
      x0 += g->mu0 * len, x1 += g->mu1 * len;                                                      \
      memcpy(s0 + b, &x0, sizeof x0), memcpy(s1 + b, &x1, sizeof x1);                             \
    }                                                                                              \
    return b;                                                                                      \
  }

CT_SPAN(span_base, )
#if defined(__GNUC__) && defined(__x86_64__)
#define CT_HAVE_AVX2 1
CT_SPAN(span_avx2, __attribute__((target("avx2"))))
#endif

static span_fn pick_span(void) {
#ifdef CT_HAVE_AVX2
  if (__builtin_cpu_supports("avx2")) return span_avx2;
#endif
  return span_base;
}

void ct_project(const ct_shape *sh, int ns, int n, int views, double dx, const double *vc,
                const double *vs, double *s0, double *s1) {
  enum { MAXS = 64 };
  double c = (n - 1) / 2.0, cps[MAXS], sps[MAXS], rads[MAXS];
  span_fn span = pick_span();
  memset(s0, 0, sizeof(double) * (size_t)n * (size_t)views);
  memset(s1, 0, sizeof(double) * (size_t)n * (size_t)views);
  if (ns > MAXS) ns = MAXS;
  for (int q = 0; q < ns; q++) { /* the same for every view */
    const ct_shape *s = &sh[q];
    cps[q] = cos(s->phi), sps[q] = sin(s->phi);
    rads[q] = s->rect ? hypot(s->a, s->b) : fmax(s->a, s->b);
  }
  for (int m = 0; m < views; m++) {
    double ct = vc[m], st = vs[m];
    double *r0 = s0 + (size_t)m * n, *r1 = s1 + (size_t)m * n;
    for (int q = 0; q < ns; q++) {
      const ct_shape *s = &sh[q];
      double uc = s->x * ct + s->y * st, cp = cps[q], sp = sps[q], rad = rads[q];
      int k0 = (int)ceil((uc - rad) / dx + c), k1 = (int)floor((uc + rad) / dx + c);
      if (k0 < 0) k0 = 0;
      if (k1 > n - 1) k1 = n - 1;
      view_geo g = {.c = c, .dx = dx, .uc = uc, .ha = s->a, .hb = s->b, .mu0 = s->mu[0],
                    .mu1 = s->mu[1]};
      g.nx = ct * cp + st * sp, g.ny = -ct * sp + st * cp, g.ex = -g.ny, g.ey = g.nx;
      g.ox = s->x * cp + s->y * sp, g.oy = -s->x * sp + s->y * cp;
      g.a2 = s->a * s->a * g.nx * g.nx + s->b * s->b * g.ny * g.ny;
      g.k2ab = 2 * s->a * s->b;
      int b = k0; /* a ray along an edge of a rectangle: one bin at a time */
      if (!s->rect || (fabs(g.ex) >= 1e-12 && fabs(g.ey) >= 1e-12))
        b = span(&g, s->rect, k0, k1, r0, r1);
      for (; b <= k1; b++) {
        double len = chord(s, &g, b);
        r0[b] += s->mu[0] * len, r1[b] += s->mu[1] * len;
      }
    }
  }
}
