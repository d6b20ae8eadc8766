/* ct_material: the materials of the CT kernel and the dual-energy decomposition into
 * density and effective atomic number (see ct.h); the attenuation anchors are cited in
 * models/SOURCES.md. */
#include "models/kernels/ct.h"

#include <math.h>
#include <stddef.h>

#include "sim/error.h"

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
    [CT_AIR] = {.name = "air", .rho = 0.0012, .nel = 3,
                .z = {7, 8, 18}, .atoms = {1.56, 0.42, 0.01}},
    [CT_WATER] = {.name = "water", .rho = 1.0, .nel = 2, .z = {1, 8}, .atoms = {2, 1}},
    [CT_CELLULOSE] = {.name = "cellulose", .rho = 0.9, .nel = 3,
                      .z = {6, 1, 8}, .atoms = {6, 10, 5}},
    [CT_POLYETHYLENE] = {.name = "polyethylene", .rho = 0.93, .nel = 2,
                         .z = {6, 1}, .atoms = {2, 4}},
    [CT_PMMA] = {.name = "pmma", .rho = 1.19, .nel = 3, .z = {6, 1, 8}, .atoms = {5, 8, 2}},
    [CT_SUCROSE] = {.name = "sucrose", .rho = 0.85, .nel = 3,
                    .z = {6, 1, 8}, .atoms = {12, 22, 11}},
    [CT_SALT] = {.name = "salt", .rho = 1.2, .nel = 2, .z = {11, 17}, .atoms = {1, 1}},
    [CT_PVC] = {.name = "pvc", .rho = 1.38, .nel = 3, .z = {6, 1, 17}, .atoms = {2, 3, 1}},
    [CT_GLASS] = {.name = "glass", .rho = 2.5, .nel = 2, .z = {14, 8}, .atoms = {1, 2}},
    [CT_ALUMINIUM] = {.name = "aluminium", .rho = 2.7, .nel = 1, .z = {13}, .atoms = {1}},
    [CT_STEEL] = {.name = "steel", .rho = 7.87, .nel = 1, .z = {26}, .atoms = {1}},
    [CT_GOLD] = {.name = "gold", .rho = 19.3, .nel = 1, .z = {79}, .atoms = {1}},
    [CT_METH_HCL] = {.name = "meth_hcl", .rho = 0.9, .nel = 4,
                     .z = {6, 1, 17, 7}, .atoms = {10, 16, 1, 1}},
    [CT_COCAINE_HCL] = {.name = "cocaine_hcl", .rho = 0.9, .nel = 5,
                        .z = {6, 1, 17, 7, 8}, .atoms = {17, 22, 1, 1, 4}},
    [CT_HEROIN_HCL] = {.name = "heroin_hcl", .rho = 0.8, .nel = 5,
                       .z = {6, 1, 17, 7, 8}, .atoms = {21, 24, 1, 1, 5}},
    [CT_CANNABIS] = {.name = "cannabis", .rho = 0.35, .nel = 3,
                     .z = {6, 1, 8}, .atoms = {6, 10, 5}},
    [CT_SODA] = {.name = "soda", .rho = 0.7, .nel = 3, .z = {11, 6, 8}, .atoms = {2, 1, 3}},
};


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
