/* nqr: synthetic 14N NQR echo trains, the quadrature matched filter, Marcum Q1 and the
 * kernel "nqr" (see nqr.h).
 *
 * Sources and assumptions. 14N NQR lines of solids lie in about 0.4-6 MHz (Balchin et
 * al., Anal. Chem. 77:3925, 2005). Japan Customs' body scanner for methamphetamine
 * (Central Customs Laboratory with Osaka University; NHK, 19 October 2020) gives a
 * result in about one minute: scan_s = 60. The line frequencies, relaxation times,
 * temperature coefficient and the SNR per kilogram below are ASSUMPTIONS with plausible
 * orders of magnitude (echo trains of tens of ms, T2* below a millisecond, shifts of
 * a fraction of a kHz per kelvin), not published values for these salts: replace them
 * when measured lines are available. Only the offsets between lines matter here. */
#include "models/kernels/nqr.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_randist.h>

#include "models/kernels/kdraw.h"
#include "models/kernels/surrogate.h"
#include "models/kernels/surrogate_cache.h"

#ifndef M_PI
#define M_PI 3.14159265358979323846
#endif

/* ---- Marcum Q1 ------------------------------------------------------------------
 * With N1 ~ Poisson(a^2/2) and N2 ~ Poisson(b^2/2) independent, the noncentral
 * chi-square mixture gives Q1(a, b) = sum_k P(N1 = k) P(N2 <= k) = P(N2 <= N1).
 * Terms are formed in logs (no underflow of e^-lambda); k spans N1's mass to 1e-20. */

static double log_pois(double lam, long k) { return k * log(lam) - lam - lgamma(k + 1.0); }

double nqr_marcum_q1(double a, double b) {
  if (isnan(a) || isnan(b) || a < 0 || b < 0) return NAN;
  if (b == 0) return 1.0;
  if (isinf(b)) return 0.0;
  if (isinf(a)) return 1.0;
  /* bounds for a far from b (Simon and Alouini): 1 - Q1 < e^-(a-b)^2/2 for a > b,
   * Q1 < e^-(b-a)^2/2 for b > a; both below 1e-297 beyond a gap of 37 */
  if (a - b > 37) return 1.0;
  if (b - a > 37) return 0.0;
  double l1 = 0.5 * a * a, l2 = 0.5 * b * b;
  if (l1 == 0) return exp(-l2);
  double w = 10 * sqrt(l1) + 40;
  long k0 = (long)fmax(0, floor(l1 - w)), k1 = (long)ceil(l1 + w);
  double F = 0; /* P(N2 <= k0): summed downward from k0, where its largest terms are */
  if (k0 > l2 + 10 * sqrt(l2) + 40) {
    F = 1.0;
  } else {
    for (long j = k0; j >= 0; j--) {
      double t = exp(log_pois(l2, j));
      F += t;
      if (j < l2 && t <= 1e-18 * F) break;
    }
  }
  double q = 0;
  for (long k = k0; k <= k1; k++) {
    if (k > k0 && F < 1) F = fmin(F + exp(log_pois(l2, k)), 1.0);
    q += exp(log_pois(l1, k)) * F;
  }
  return fmin(q, 1.0);
}

double nqr_pd_theory(double snr, double threshold) {
  return nqr_marcum_q1(sqrt(2 * fmax(snr, 0)), sqrt(2 * fmax(threshold, 0)));
}

/* ---- echo trains -------------------------------------------------------------------
 * Sample (k, j) is echo k (time t_k = k spacing) at tau_j from its centre. The signal
 * is A e^(i phi) e^(-t_k/T2e) e^(-|tau_j|/T2*) e^(i 2 pi df tau_j): spin locking
 * refocuses each echo, so an offset df turns the phase within an echo only. The
 * interference is not refocused: b e^(i psi) e^(i 2 pi f_rfi (t_k + tau_j)).
 * The reference is separable (train decay times echo shape), so the correlation first
 * sums the echoes (y_j = sum_k e_k x_kj) and then each bank member costs M terms. */

void nqr_train_default(nqr_train *t) {
  *t = (nqr_train){.echoes = 64,
                   .samples_per_echo = 8,
                   .echo_spacing_ms = 1.0,
                   .t2star_ms = 0.4,
                   .t2e_ms = 30.0,
                   .bank = 1,
                   .bank_step_khz = 0.5,
                   .rfi_offset_khz = 3.0,
                   .adc_full_scale = 32.0};
}

struct nqr {
  nqr_train t;
  int K, M;
  size_t n;
  double norm2;          /* ||s||^2 */
  double *ek, *wj, *tau; /* train decay (K), echo shape (M), tau_j in s (M) */
  double *bc, *bs;       /* bank x M: w_j cos, w_j sin of 2 pi d_b tau_j */
  double *rc, *rs;       /* n: cos, sin of 2 pi f_rfi t */
  double *x, *y, *pr, *pi;
  kdraw_zig zig;
};

void nqr_free(nqr *q) {
  if (!q) return;
  free(q->ek), free(q->wj), free(q->tau), free(q->bc), free(q->bs), free(q->rc);
  free(q->rs), free(q->x), free(q->y), free(q->pr), free(q->pi), free(q);
}

int nqr_new(nqr **out, const nqr_train *t, sim_error *err) {
  *out = NULL;
  if (t->echoes < 1 || t->samples_per_echo < 1 || (long)t->echoes * t->samples_per_echo > 65536 ||
      !(t->echo_spacing_ms > 0) || !(t->t2star_ms > 0) || !(t->t2e_ms > 0) || t->bank < 1 ||
      t->bank > 64 || !(t->adc_full_scale > 0))
    return sim_error_set(err, SIM_EINVAL, "nqr: bad echo train settings");
  nqr *q = calloc(1, sizeof *q);
  if (!q) return sim_error_set(err, SIM_ENOMEM, "nqr: out of memory");
  q->t = *t, q->K = t->echoes, q->M = t->samples_per_echo;
  kdraw_zig_init(&q->zig);
  q->n = (size_t)q->K * (size_t)q->M;
  size_t K = (size_t)q->K, M = (size_t)q->M, B = (size_t)t->bank;
  q->ek = malloc(K * sizeof(double)), q->wj = malloc(M * sizeof(double));
  q->tau = malloc(M * sizeof(double)), q->bc = malloc(B * M * sizeof(double));
  q->bs = malloc(B * M * sizeof(double)), q->rc = malloc(q->n * sizeof(double));
  q->rs = malloc(q->n * sizeof(double)), q->x = malloc(2 * q->n * sizeof(double));
  q->y = malloc(2 * M * sizeof(double)), q->pr = malloc(M * sizeof(double));
  q->pi = malloc(M * sizeof(double));
  if (!q->ek || !q->wj || !q->tau || !q->bc || !q->bs || !q->rc || !q->rs || !q->x || !q->y ||
      !q->pr || !q->pi) {
    nqr_free(q);
    return sim_error_set(err, SIM_ENOMEM, "nqr: out of memory");
  }
  double sp = t->echo_spacing_ms * 1e-3, dt = 0.8 * sp / q->M, se = 0, sw = 0;
  for (int k = 0; k < q->K; k++)
    q->ek[k] = exp(-k * sp / (t->t2e_ms * 1e-3)), se += q->ek[k] * q->ek[k];
  for (int j = 0; j < q->M; j++) {
    q->tau[j] = (j - (q->M - 1) / 2.0) * dt;
    q->wj[j] = exp(-fabs(q->tau[j]) / (t->t2star_ms * 1e-3)), sw += q->wj[j] * q->wj[j];
  }
  q->norm2 = se * sw;
  for (int b = 0; b < t->bank; b++)
    for (int j = 0; j < q->M; j++) {
      double th = 2 * M_PI * (b - (t->bank - 1) / 2.0) * t->bank_step_khz * 1e3 * q->tau[j];
      q->bc[b * q->M + j] = q->wj[j] * cos(th), q->bs[b * q->M + j] = q->wj[j] * sin(th);
    }
  for (int k = 0; k < q->K; k++)
    for (int j = 0; j < q->M; j++) {
      double th = 2 * M_PI * t->rfi_offset_khz * 1e3 * (k * sp + q->tau[j]);
      q->rc[k * q->M + j] = cos(th), q->rs[k * q->M + j] = sin(th);
    }
  *out = q;
  return 0;
}

size_t nqr_samples(const nqr *q) { return q->n; }
const double *nqr_last_samples(const nqr *q) { return q->x; }

static double clip(double v, double fs) { return v > fs ? fs : v < -fs ? -fs : v; }

/* Received samples: signal + interference + noise, clipped by the ADC. */
static void synthesize(nqr *q, double snr, double off_khz, double rfi, gsl_rng *r) {
  int K = q->K, M = q->M;
  double amp = snr > 0 && isfinite(snr) ? sqrt(snr / q->norm2) : 0,
         ph = 2 * M_PI * gsl_rng_uniform(r);
  double ca = amp * cos(ph), sa = amp * sin(ph), fs = q->t.adc_full_scale, sd = sqrt(0.5);
  if (!isfinite(off_khz)) off_khz = 0;
  for (int j = 0; j < M; j++) {
    double th = 2 * M_PI * off_khz * 1e3 * q->tau[j], c = cos(th), s = sin(th);
    q->pr[j] = q->wj[j] * (ca * c - sa * s), q->pi[j] = q->wj[j] * (ca * s + sa * c);
  }
  double psi = 2 * M_PI * gsl_rng_uniform(r);
  double bc = rfi > 0 && isfinite(rfi) ? rfi * cos(psi) : 0,
         bs = rfi > 0 && isfinite(rfi) ? rfi * sin(psi) : 0;
  for (int k = 0; k < K; k++)
    for (int j = 0; j < M; j++) {
      size_t i = (size_t)k * M + j;
      double xr = q->ek[k] * q->pr[j] + kdraw_gaussian(&q->zig, r, sd);
      double xi = q->ek[k] * q->pi[j] + kdraw_gaussian(&q->zig, r, sd);
      if (bc != 0 || bs != 0)
        xr += bc * q->rc[i] - bs * q->rs[i], xi += bc * q->rs[i] + bs * q->rc[i];
      q->x[2 * i] = clip(xr, fs), q->x[2 * i + 1] = clip(xi, fs);
    }
}

/* T for each bank member, the maximum returned. */
static double detect(nqr *q) {
  int K = q->K, M = q->M;
  memset(q->y, 0, 2 * (size_t)M * sizeof(double));
  for (int k = 0; k < K; k++) {
    const double *x = q->x + 2 * (size_t)k * M;
    for (int j = 0; j < M; j++)
      q->y[2 * j] += q->ek[k] * x[2 * j], q->y[2 * j + 1] += q->ek[k] * x[2 * j + 1];
  }
  double best = 0;
  for (int b = 0; b < q->t.bank; b++) {
    double re = 0, im = 0;
    const double *c = q->bc + (size_t)b * M, *s = q->bs + (size_t)b * M;
    for (int j = 0; j < M; j++) /* conj(reference) times y */
      re += c[j] * q->y[2 * j] + s[j] * q->y[2 * j + 1],
          im += c[j] * q->y[2 * j + 1] - s[j] * q->y[2 * j];
    double T = (re * re + im * im) / q->norm2;
    if (T > best) best = T;
  }
  return best;
}

double nqr_scan(nqr *q, double snr, double offset_khz, double rfi, gsl_rng *r) {
  synthesize(q, snr, offset_khz, rfi, r);
  return detect(q);
}

/* ---- the kernel "nqr" ---------------------------------------------------------------- */

enum {
  P_FREQ,
  P_ECHOES,
  P_T2STAR,
  P_T2E,
  P_SNR_1KG,
  P_THRESHOLD,
  P_SCAN_S,
  P_TEMP_SD,
  P_DNU_DT,
  P_RFI,
  P_RFI_OFFSET,
  P_BANK,
  P_N
};

static const kernel_param nqr_params[P_N] = {
    {.name = "frequency_mhz", .def = 1.0, .min = 0.1, .max = 10,
     .help = "reference frequency: the tuned 14N line (MHz)"},
    {.name = "echoes", .def = 64, .min = 4, .max = 1024,
     .help = "echoes per train, 8 complex samples each"},
    {.name = "t2star_ms", .def = 0.4, .min = 0.01, .max = 100,
     .help = "decay of each echo about its centre (ms)"},
    {.name = "t2e_ms", .def = 30, .min = 0.1, .max = 1e5, .help = "decay of the echo train (ms)"},
    {.name = "snr_1kg", .def = 400, .min = 0, .max = 1e12,
     .help = "integrated SNR of 1 kg of the tuned substance in one scan"},
    {.name = "threshold", .def = 6.9, .min = 0, .max = 1e4,
     .help = "alarm when T exceeds this; Pfa = exp(-threshold) at bank 1"},
    {.name = "scan_s", .def = 60, .min = 0, .max = 3600,
     .help = "time per scan (s); about 1 min for the Japan Customs device"},
    {.name = "temp_sd_k", .def = 1.0, .min = 0, .max = 50,
     .help = "spread of the sample temperature about the assumed one (K)"},
    {.name = "dnu_dt_khz_per_k", .def = -0.5, .min = -20, .max = 20,
     .help = "temperature coefficient of the line (kHz/K)"},
    {.name = "rfi", .def = 0, .min = 0, .max = 1e3,
     .help = "residual RF interference per sample (noise sigma units)"},
    {.name = "rfi_offset_khz", .def = 3, .min = -1e3, .max = 1e3,
     .help = "interference frequency minus the reference (kHz)"},
    {.name = "bank", .def = 1, .min = 1, .max = 31,
     .help = "frequency hypotheses of the detector, 0.5 kHz apart (1: matched filter)"},
};

/* 14N lines (MHz) by contraband: PLACEHOLDERS (see the header comment); 0: no 14N
 * signal (cannabis: THC has no nitrogen; banknotes, gold and firearms none either). A
 * substance answers only if its line is within the probe's band of the reference. */
static const double line_mhz[CONTRA_N] = {
    [CONTRA_METH] = 1.0, [CONTRA_COCAINE] = 0.9, [CONTRA_HEROIN] = 1.1};
#define NQR_BAND_KHZ 20.0

/* RF coupling by concealment (assumptions): metal screens RF; on the body the coil is
 * less filled than with a parcel in a solenoid. */
static const double conceal_gain[CONCEAL_N] = {
    [CONCEAL_NONE] = 1.0, [CONCEAL_MIXED] = 1.0, [CONCEAL_SHIELDED] = 0.05, [CONCEAL_BODY] = 0.7};

typedef struct nqr_state {
  double p[P_N];
  nqr *q;
  surrogate *sur;
} nqr_state;

static void nqr_kernel_free(void *state) {
  nqr_state *k = state;
  if (!k) return;
  surrogate_free(k->sur);
  nqr_free(k->q);
  free(k);
}

static int nqr_decide_full(void *state, const item *it, gsl_rng *r, kernel_verdict *v) {
  nqr_state *k = state;
  const item_truth *t = &it->truth;
  double snr = 0, off = 0;
  int c = t->contraband < CONTRA_N ? t->contraband : CONTRA_NONE;
  double kg = isfinite(t->contraband_kg) ? fmin(fmax(t->contraband_kg, 0), 1e4) : 0;
  double doff = (line_mhz[c] - k->p[P_FREQ]) * 1e3;
  if (line_mhz[c] > 0 && fabs(doff) <= NQR_BAND_KHZ && kg > 0) {
    double g = kg * conceal_gain[t->concealment < CONCEAL_N ? t->concealment : 0];
    snr = k->p[P_SNR_1KG] * g * g; /* amplitude grows with the amount: power with its square */
    off = doff;
  }
  if (k->p[P_TEMP_SD] > 0) off += k->p[P_DNU_DT] * gsl_ran_gaussian_ziggurat(r, k->p[P_TEMP_SD]);
  v->score = nqr_scan(k->q, snr, off, k->p[P_RFI], r);
  v->alarm = v->score > k->p[P_THRESHOLD];
  v->time_s = k->p[P_SCAN_S];
  return 0;
}

static int nqr_decide(void *state, const item *it, gsl_rng *r, kernel_verdict *v) {
  nqr_state *k = state;
  return k->sur ? surrogate_decide(k->sur, it, r, v) : nqr_decide_full(state, it, r, v);
}

/* The outcome version in the calibration cache key (surrogate_cache.h): bump it in
 * the same change as any edit to this kernel that can change a verdict for the same
 * parameters and seed, or a cached table would outlive the edit. */
#define NQR_OUTCOME_VERSION 1u

/* Surrogate: one row for every kind (the scan does not depend on the item's mass),
 * drugs with a 14N line, amounts in 9 bins from 10 g, every concealment. */
static int nqr_surrogate(nqr_state *k, const kernel_opts *o, sim_error *err) {
  static const uint8_t kinds[] = {KIND_PASSENGERS_IN};
  static const uint8_t contra[] = {CONTRA_METH, CONTRA_COCAINE, CONTRA_HEROIN};
  static const double edges[] = {0.01, 0.02, 0.05, 0.1, 0.2, 0.5, 1, 2, 5, 1e4};
  static const uint8_t conceal[] = {CONCEAL_NONE, CONCEAL_MIXED, CONCEAL_SHIELDED, CONCEAL_BODY};
  surrogate_spec sp = {.kinds = kinds,
                       .nkinds = 1,
                       .contra = contra,
                       .ncontra = 3,
                       .kg_edges = edges,
                       .nedges = 10,
                       .conceal = conceal,
                       .nconceal = 4,
                       .conceal_col = {0, 1, 2, 3},
                       .n_clean = 4000,
                       .n_cell = 400};
  return surrogate_build_cached(&k->sur, &kernel_nqr_type, k->p, NQR_OUTCOME_VERSION, k, o, &sp,
                                err);
}

static int nqr_kernel_new(void **state, const double *p, const kernel_opts *o, sim_error *err) {
  *state = NULL;
  nqr_state *k = calloc(1, sizeof *k);
  if (!k) return sim_error_set(err, SIM_ENOMEM, "nqr: out of memory");
  memcpy(k->p, p, sizeof k->p);
  nqr_train t;
  nqr_train_default(&t);
  t.echoes = (int)p[P_ECHOES], t.t2star_ms = p[P_T2STAR], t.t2e_ms = p[P_T2E];
  t.bank = (int)p[P_BANK], t.rfi_offset_khz = p[P_RFI_OFFSET];
  sim_error e = {0};
  int rc = nqr_new(&k->q, &t, &e);
  if (rc) sim_error_set(err, rc, "%s", e.msg);
  if (!rc && o && o->surrogate) rc = nqr_surrogate(k, o, err);
  if (rc) {
    nqr_kernel_free(k);
    return rc;
  }
  *state = k;
  return 0;
}

static const surrogate *nqr_table(const void *state) { return ((const nqr_state *)state)->sur; }

const kernel_type kernel_nqr_type = {
    .name = "nqr",
    .help = "14N NQR echo train, quadrature matched filter (Pfa = exp(-threshold))",
    .params = nqr_params,
    .nparams = P_N,
    .new = nqr_kernel_new,
    .decide = nqr_decide,
    .free = nqr_kernel_free,
    .table = nqr_table,
};
