/* ct_internal: what the files of the CT parcel kernel share and nothing else includes:
 * the shapes of a synthetic slice (ct.c builds them), their exact projection
 * (ct_project.c) and the reconstruction of both energies (ct_recon.c). */
#ifndef MODELS_KERNELS_CT_INTERNAL_H
#define MODELS_KERNELS_CT_INTERNAL_H

#include "sim/error.h"

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

/* Reconstruction of the two energies: FBP (n pixels, views, filter), 1/cm (dx cm a
 * pixel), smoothing. With threads > 1 a helper thread (owned here, joined by
 * ct_recon_free) takes the high energy; the same images either way. */
typedef struct ct_recon ct_recon;
int ct_recon_new(ct_recon **out, int n, int views, int filter, double dx, int threads,
                 sim_error *err);
void ct_recon_free(ct_recon *r); /* NULL is fine */
/* Both images from sinograms s0, s1 (views x n, read only until it returns), with
 * smooth passes of a 3x3 mean; 0 or the first error of ct_fbp_run. */
int ct_recon_run(ct_recon *r, const double *s0, const double *s1, int smooth);
/* The last run's image of energy e (0 low, 1 high): n x n in 1/cm, owned by r, valid
 * until the next run. */
const double *ct_recon_image(const ct_recon *r, int e);
int ct_cores(void); /* processors online (at least 1) */

#endif
