/* xray: the dual-energy X-ray screening kernel for mail, express parcels, baggage, air
 * cargo and sea containers (kernel "xray").
 *
 * Physics: mass attenuation tables from xraylib, built once per state on an energy grid;
 * a tungsten bremsstrahlung source (Kramers' law with filtration); a sandwich detector
 * (thin CsI front layer for the low-energy image, a Cu filter, thick CsI back layer for
 * the high-energy one); Beer-Lambert attenuation through a synthetic layout of
 * rectangular objects made from the item; photon noise.
 * Detection: a calibration from simulated step wedges of 13 elements maps (high
 * log-attenuation H, ratio R = L / H) to an effective atomic number and a material
 * class; 2x2-binned pixels are segmented into regions (connected components of alike
 * Z and H); each region is read against its neighbours (layer peeling) for the Z and
 * mass of what lies on top. Region features (distance of that Z from the nearest drug
 * of the library, the drugs whose own reading falls in [zeff_lo, zeff_hi]; mass, size,
 * attenuation, the drug-window rule: Z in the window and mass over rule_g; the Z's
 * uncertainty) feed two logistic region models, one for loose drugs and one for drugs
 * under a cover, trained at create time on synthetic items. An item's score is its rank
 * among clean reference items of its kind group (express, mail, bags, air cargo;
 * containers), so alarming at score >= threshold flags about 1 - threshold of clean
 * items of every kind; a large opaque area scores 1 (parcels and bags). Sea containers
 * use the same code with their own scale (800 kVp, more flux, larger pixels, steel
 * walls, tons of goods).
 * The image is built at `pixels` x `pixels` (128) per energy and read in 2x2 bins. */
#ifndef MODELS_KERNELS_XRAY_H
#define MODELS_KERNELS_XRAY_H

#include <stddef.h>
#include <stdint.h>

#include <gsl/gsl_rng.h>

#include "models/item.h"
#include "models/kernel.h"
#include "sim/error.h"

extern const kernel_type kernel_xray_type;

typedef struct xray xray;

/* Item materials (formula and density in xray.c). */
typedef enum {
  XRAY_MAT_PAPER = 0, /* cellulose C6H10O5: paper, card, textiles */
  XRAY_MAT_WATER,
  XRAY_MAT_SUGAR,     /* sucrose C12H22O11 */
  XRAY_MAT_PE,        /* polyethylene */
  XRAY_MAT_PVC,
  XRAY_MAT_GLASS,     /* as SiO2 */
  XRAY_MAT_AL,
  XRAY_MAT_FE,        /* steel as iron */
  XRAY_MAT_METH,      /* methamphetamine hydrochloride C10H16ClN */
  XRAY_MAT_COCAINE,   /* cocaine hydrochloride C17H22ClNO4 */
  XRAY_MAT_HEROIN,    /* diacetylmorphine C21H23NO5 */
  XRAY_MAT_GOLD,
  XRAY_MAT_N
} xray_material;

/* Material classes by effective atomic number: organic Z < 10, inorganic 10 <= Z <= 18,
 * metal Z > 18 (the usual three colours of baggage scanners: orange, green, blue).
 * NONE: too little attenuation to judge; OPAQUE: too few photons left. */
typedef enum {
  XRAY_CLASS_NONE = 0,
  XRAY_CLASS_ORGANIC,
  XRAY_CLASS_INORGANIC,
  XRAY_CLASS_METAL,
  XRAY_CLASS_OPAQUE
} xray_class;

/* Scales: parcels, bags and air cargo; sea containers. */
enum { XRAY_SCALE_PARCEL = 0, XRAY_SCALE_CONTAINER, XRAY_NSCALES };

/* What the detector makes of a uniform region. */
typedef struct xray_reading {
  double h, l;  /* mean high- and low-energy log-attenuation */
  double r;     /* l / h (0 when h is too small to judge) */
  double zeff;  /* estimated effective Z (0 when NONE or OPAQUE) */
  double g_cm2; /* estimated mass thickness */
  int cls;      /* xray_class */
} xray_reading;

/* A state from parameter values in the order of kernel_xray_type.params (NULL: the
 * defaults); seed drives the training batch. Returns 0 or a negative SIM_E* code with a
 * message in err (NULL: no message). */
int xray_new(xray **out, const double *params, uint64_t seed, sim_error *err);
void xray_free(xray *x); /* accepts NULL */

/* Full-mode verdict: builds the item's image with r and runs the detector. */
int xray_decide(xray *x, const item *it, gsl_rng *r, kernel_verdict *v);

/* The surrogate table of a state made with kernel_opts.surrogate = 1, else NULL. */
struct surrogate;
const struct surrogate *xray_surrogate(const xray *x);

/* The energy grid and attenuation tables of a scale. */
size_t xray_nbins(const xray *x, int scale);
double xray_bin_kev(const xray *x, int scale, size_t bin);
double xray_mu(const xray *x, int scale, int material, size_t bin); /* cm^2/g */
const char *xray_material_formula(int material);
double xray_material_density(int material); /* g/cm^3 */

/* Scans a uniform slab of a compound (formula as xraylib parses it) of g_cm2 over a
 * 32 x 32 pixel patch (noise from r; r NULL: noiseless) and reads it as the kernel
 * reads a region. Calls xraylib (setup cost): for tests and benchmarks. (xraylib 4.0
 * leaks a few bytes when it cannot parse a formula.) */
int xray_slab(const xray *x, int scale, const char *formula, double g_cm2, gsl_rng *r,
              xray_reading *out);

/* Reference effective Z by the power law Z_eff = (sum_i f_i Z_i^2.94)^(1/2.94) with
 * electron fractions f_i (Spiers 1946). Returns -1 if xraylib cannot parse formula. */
double xray_zeff_formula(const char *formula);
int xray_zeff_class(double zeff);

#endif
