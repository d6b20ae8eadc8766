/* ct_internal: what the files of the CT parcel kernel share and nothing else includes:
 * the shapes of a synthetic slice (ct.c builds them) and their exact projection
 * (ct_project.c). */
#ifndef MODELS_KERNELS_CT_INTERNAL_H
#define MODELS_KERNELS_CT_INTERNAL_H

/* A rectangle (rect 1: half-widths a, b) or an ellipse (semi-axes a, b) of constant
 * attenuation, centred at (x, y) cm and rotated by phi rad. */
typedef struct ct_shape {
  int rect;
  double x, y, a, b, phi;
  double mu[2]; /* 1/cm at the low and high energy */
} ct_shape;

/* Exact noise-free line integrals of ns shapes on an n-bin detector (dx cm a bin) over
 * views views whose angles have cosines vc and sines vs: s0 and s1 (views x n) at the
 * low and high energy. */
void ct_project(const ct_shape *s, int ns, int n, int views, double dx, const double *vc,
                const double *vs, double *s0, double *s1);

#endif
