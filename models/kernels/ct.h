/* ct: the X-ray CT kernel (Smart Customs Action Plan 2022, measure New 14: CT with
 * material discrimination for drugs; sources in models/SOURCES.md). Parallel-beam projection of
 * synthetic slices (exact line integrals of ellipses and rectangles), filtered back projection with
 * FFTW, dual-energy material decomposition into density and effective atomic number, and detection
 * of drug-like regions in a synthetic parcel slice.
 *
 * Geometry used throughout: an n x n image, pixel (i, j) at x = i - c, y = c - j with
 * c = (n - 1) / 2 (pixel units, y up); view m of V at angle theta = m pi / V; detector
 * bin k (n bins) at u = k - c; a projection is p(theta, u) = integral of f along the
 * line x cos(theta) + y sin(theta) = u, in pixel units. Sinograms are V x n, row-major. */
#ifndef MODELS_KERNELS_CT_H
#define MODELS_KERNELS_CT_H

#include <stddef.h>

#include "models/kernel.h"
#include "sim/error.h"

extern const kernel_type kernel_ct_type;

/* Photoelectric Z exponent of the attenuation model (ct_mu, ct_dect_*). */
#define CT_ZEXP 3.8

/* FBP filters: the band-limited ramp (Ram-Lak) alone or times a window. */
typedef enum ct_filter {
  CT_FILTER_RAMP = 0,
  CT_FILTER_SHEPP_LOGAN,
  CT_FILTER_COSINE,
  CT_FILTER_HAMMING,
  CT_FILTER_HANN,
  CT_FILTER_N
} ct_filter;

const char *ct_filter_name(int filter); /* "ramp", ..., or "?" */

/* An ellipse of constant value, in units of the image half-width (the image spans
 * [-1, 1] in x and y), rotated by phi_deg counter-clockwise. Overlaps add. */
typedef struct ct_ellipse {
  double value, a, b, x0, y0, phi_deg;
} ct_ellipse;

/* The modified Shepp-Logan phantom (Toft 1996; the parameters of MATLAB's
 * phantom('Modified Shepp-Logan') and scikit-image's shepp_logan_phantom). */
const ct_ellipse *ct_shepp_logan(size_t *count);

/* Pixel averages of the ellipses on an n x n grid (sub x sub samples per pixel). */
void ct_ellipses_raster(const ct_ellipse *e, size_t ne, int n, int sub, double *img);

/* Exact line integrals (pixel units), each detector bin the mean of sub parallel rays
 * spread across the bin (sub = 1: one ray through the bin centre). sino: views x n. */
void ct_ellipses_project(const ct_ellipse *e, size_t ne, int n, int views, int sub, double *sino);

/* Filtered back projection for one geometry and filter. The FFTW plans and tables are
 * made once in ct_fbp_new; ct_fbp_run then only filters and back-projects. The image
 * is reconstructed inside the inscribed disk (radius n / 2) and is 0 outside. One
 * object must not be run from two threads at once. */
typedef struct ct_fbp ct_fbp;
int ct_fbp_new(ct_fbp **out, int n, int views, int filter, sim_error *err);
void ct_fbp_free(ct_fbp *f);
int ct_fbp_run(ct_fbp *f, const double *sino, double *img);

/* Root mean square of a - b over pixels within radius_px of the image centre. */
double ct_rmse_disk(const double *a, const double *b, int n, double radius_px);

/* Materials with their density (g/cm^3, bulk where it is a powder or goods) and
 * effective atomic number (electron-fraction power mean with exponent 3.8). */
typedef enum ct_mat {
  CT_AIR = 0,
  CT_WATER,
  CT_CELLULOSE,
  CT_POLYETHYLENE,
  CT_PMMA,
  CT_SUCROSE,
  CT_SALT,
  CT_PVC,
  CT_GLASS,
  CT_ALUMINIUM,
  CT_STEEL,
  CT_GOLD,
  CT_METH_HCL,
  CT_COCAINE_HCL,
  CT_HEROIN_HCL,
  CT_CANNABIS,
  CT_SODA, /* sodium carbonate (washing soda): a benign look-alike of the drug salts */
  CT_MAT_N
} ct_mat;

typedef struct ct_material {
  const char *name;
  double rho; /* g/cm^3 */
  double zeff;
} ct_material;

/* One material of the table, Z_eff computed from its chemical formula; name "?" and
 * zeros for an unknown index. */
ct_material ct_material_get(int mat);

/* Parametric attenuation: mu(E) = rho (a(E) Z^3.8 + b(E)) in 1/cm at the low (0) or
 * high (1) effective energy (50 and 80 keV); photoelectric plus Compton. */
double ct_mu(double rho, double zeff, int energy);

/* Dual-energy calibration: the coefficients (a, b) per energy, fitted by least squares
 * of mu / rho against Z^3.8 over known materials. */
typedef struct ct_dect_cal {
  double a[2], b[2];
} ct_dect_cal;

int ct_dect_calibrate(ct_dect_cal *cal, const double *rho, const double *zeff, const double *mu_lo,
                      const double *mu_hi, size_t n);
/* Inverts the model: (mu_lo, mu_hi) -> (rho, zeff). Returns 0, or SIM_EINVAL where
 * the pair has no physical solution (then *rho = *zeff = 0). */
int ct_dect_decompose(const ct_dect_cal *cal, double mu_lo, double mu_hi, double *rho,
                      double *zeff);

#endif
