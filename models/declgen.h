/* declgen: synthetic declarations (goods channels) and passenger records with a
 * learnable fraud signal, for the risk kernel to train on and for the port's
 * channels to send through the simulation.
 *
 * A generator holds a population for one channel kind: importers (or exporters) with
 * heavy-tailed activity, a persistent latent riskiness and AEO status; declarants
 * (brokers) with their own riskiness; origins, offices and passenger routes with
 * latent risks; and an HS table (per-code value and weight norms, duty rates, IPR and
 * dual-use flags). The population depends only on the parameters and the seed, so two
 * generators made with the same parameters and seed hold the same traders: the risk
 * kernel, created with the run seed, trains on the traders the channels later send.
 *
 * Each fraud mechanism fires with probability sigmoid(alpha + eta), where eta mixes
 * observable covariates (advance data, AEO, activity, electronic docs) and latent
 * ones (importer, declarant, origin, HS, plus item noise), and alpha is solved at
 * creation so that the mean rate equals the parameter. Its consequences are partly
 * visible (a low unit value, a code whose norms do not fit the goods, extra weight),
 * so the signal is partial and noisy, as in real data. */
#ifndef MODELS_DECLGEN_H
#define MODELS_DECLGEN_H

#include <stddef.h>
#include <stdint.h>

#include <gsl/gsl_rng.h>

#include "models/item.h"
#include "sim/error.h"

/* Fraud mechanisms. Passenger kinds reuse the slots (see declgen_params.rate). */
enum {
  DECLGEN_UNDERVALUED = 0, /* goods: declared value below the true value; passengers
                              in: dutiable goods not declared; out: tax-free goods
                              bought for resale in Japan */
  DECLGEN_MISCLASSIFIED,   /* goods: an HS code with a lower duty */
  DECLGEN_IPR,             /* counterfeit goods */
  DECLGEN_DRUGS,           /* concealed drugs (truth.contraband, contraband_kg) */
  DECLGEN_SMUGGLED,        /* exports: dual-use goods without licence; passengers in:
                              gold; passengers out: undeclared cash over 1 M yen */
  DECLGEN_FRAUD_N
};

typedef struct declgen_params {
  int kind;              /* item_kind of the channel (not KIND_GENERIC) */
  int importers;         /* importers or exporters; for passengers unused */
  int declarants;        /* brokers (1 for mail: the post) */
  int origins;           /* origin (destination for exports) countries or routes */
  int offices;
  double activity_shape; /* Pareto shape of importer activity (smaller: heavier tail) */
  double aeo_share;      /* share of declarations lodged by AEO importers */
  double advance_share;  /* share with advance data (platform data, manifest) */
  double edocs_share;    /* share whose documents arrive as data */
  double risk_sd;        /* sd of the importers' latent riskiness (logit scale) */
  double signal;         /* multiplier on every risk effect (0: fraud is pure chance) */
  double drift_days;     /* latent risks of importers, declarants and origins turn
                            over a quarter circle in this many days (0: stationary) */
  double rate[DECLGEN_FRAUD_N]; /* base rate of each mechanism per declaration */
} declgen_params;

typedef struct declgen declgen;

/* Defaults for a channel kind; every figure's source is beside it in declgen.c.
 * Returns SIM_EINVAL for KIND_GENERIC or an unknown kind. */
int declgen_params_default(int kind, declgen_params *p);

/* The same population with fraud rates like the public customs-fraud benchmark
 * (100,000 declarations, 7.6% illicit, mostly tax fraud), for model comparison. */
int declgen_params_benchmark(int kind, declgen_params *p);

/* Builds the population from the seed. NULL with a message in err on bad parameters
 * or when memory runs out. */
declgen *declgen_new(const declgen_params *p, uint64_t seed, sim_error *err);
/* As declgen_new, through the cache folder dir (NULL or "": none; see
 * models/kernels/kcache.h): a population built earlier with the same parameters and
 * seed by the same code is loaded (it is the one declgen_new would build, bit for bit),
 * else it is built and stored. */
declgen *declgen_new_cached(const declgen_params *p, uint64_t seed, const char *dir,
                            sim_error *err);
void declgen_free(declgen *g);
/* This code's build stamp, for the keys of cached populations and models. */
const char *declgen_stamp(void);

const declgen_params *declgen_params_of(const declgen *g);

/* Fills *it (kind, id from the generator's counter, arrival_min = day * 1440, mass_kg,
 * decl or pax, truth) for an item arriving on `day` (days since the run start),
 * drawing from r only: the caller's stream decides the sequence of items. */
void declgen_fill(declgen *g, double day, gsl_rng *r, item *it);
/* The same, and then draws the next item's first number from r at once, so the tables
 * it picks from can be prefetched while other work goes on; the next declgen_fill or
 * declgen_fill_ahead with r uses it. The sequence of items is the same as with
 * declgen_fill, provided nothing else draws from r. */
void declgen_fill_ahead(declgen *g, double day, gsl_rng *r, item *it);

/* Fills n items spread evenly over [day0, day1) in time order: the labelled past
 * declarations a model is trained on. */
void declgen_history(declgen *g, size_t n, double day0, double day1, gsl_rng *r, item *out);

/* Realised share of illicit items among n (helper for reports and tests). */
double declgen_illicit_share(const item *items, size_t n);

/* Test hook: draws k indices into out from the generator's alias table for the n
 * weights w, with r (gsl_ran_discrete on the same stream draws the same indices).
 * SIM_ENOMEM if the table cannot be built. */
int declgen_pick_sample(size_t n, const double *w, gsl_rng *r, size_t k, size_t *out);

#endif
