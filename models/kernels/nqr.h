/* nqr: the 14N nuclear quadrupole resonance kernel (Smart Customs Action Plan 2022,
 * measure T1: an RF scan for concealed methamphetamine with a result in about one
 * minute; sources in models/SOURCES.md). A pulsed spin-locking
 * echo train is synthesised at complex baseband (echo envelope, echo-train decay,
 * temperature shift of the line, RF interference, white Gaussian noise) and detected
 * with a matched filter of unknown phase:
 *   T = |<s, x>|^2 / (sigma^2 ||s||^2),
 * with s the reference train and sigma^2 = E|n|^2 the complex noise power (1 here).
 * Under noise alone T ~ Exp(1), so Pfa = exp(-threshold); with a signal of integrated
 * SNR = |A|^2 ||s||^2 / sigma^2, Pd = Q1(sqrt(2 SNR), sqrt(2 threshold)).
 * A bank of references at several frequency offsets (an approximate maximum-likelihood
 * detector over the unknown sample temperature) is optional; T is then the maximum. */
#ifndef MODELS_KERNELS_NQR_H
#define MODELS_KERNELS_NQR_H

#include <stddef.h>

#include <gsl/gsl_rng.h>

#include "models/kernel.h"
#include "sim/error.h"

extern const kernel_type kernel_nqr_type;

/* Marcum Q function of order one, Q1(a, b) = P(|a + z| > b) for z complex normal with
 * E|z|^2 = 2; a, b >= 0 (NaN otherwise). Series in Poisson terms, about 1e-14 relative. */
double nqr_marcum_q1(double a, double b);

/* Theoretical Pd of the single-reference detector: Q1(sqrt(2 snr), sqrt(2 threshold)). */
double nqr_pd_theory(double snr, double threshold);

/* The echo train and the receiver. */
typedef struct nqr_train {
  int echoes;             /* echoes in the train */
  int samples_per_echo;   /* complex samples acquired around each echo */
  double echo_spacing_ms; /* time between echoes (2 tau) */
  double t2star_ms;       /* decay of each echo away from its centre */
  double t2e_ms;          /* decay of the echo train */
  int bank;               /* references at offsets (k - (bank-1)/2) bank_step_khz */
  double bank_step_khz;
  double rfi_offset_khz; /* interference: a sinusoid this far from the line */
  double adc_full_scale; /* receiver clips I and Q at this (noise sigma units) */
} nqr_train;

/* Defaults (see nqr.c for their sources and assumptions). */
void nqr_train_default(nqr_train *t);

typedef struct nqr nqr; /* precomputed reference, work buffers */
int nqr_new(nqr **out, const nqr_train *t, sim_error *err);
void nqr_free(nqr *q);
size_t nqr_samples(const nqr *q);

/* One scan: synthesises a train with integrated SNR snr (as seen by a matched
 * reference), line offset offset_khz from the reference, random phase, interference of
 * amplitude rfi (per sample, noise sigma units) with random phase, and unit-power
 * complex noise; returns the statistic T (the maximum over the bank). */
double nqr_scan(nqr *q, double snr, double offset_khz, double rfi, gsl_rng *r);

/* The received samples of the last scan (interleaved I, Q; 2 nqr_samples values). */
const double *nqr_last_samples(const nqr *q);

#endif
