/* gbt: gradient-boosted decision trees for binary labels (logistic loss), the
 * learner behind the risk kernel.
 *
 * Training is histogram-based: every feature is quantized once into at most 256 bins
 * (cut points from quantiles of a sample), trees grow level by level from per-node
 * histograms of gradients (the smaller child is built, the larger one is the
 * parent minus it). Trees are complete binary trees of fixed depth stored flat
 * (feature, float threshold, leaf values), so scoring is depth comparisons a tree
 * on raw feature values, with no binning. A node that does not split passes every
 * row to its left child. */
#ifndef MODELS_KERNELS_GBT_H
#define MODELS_KERNELS_GBT_H

#include <stddef.h>
#include <stdint.h>

#include "sim/error.h"

#define GBT_MAX_DEPTH 8
#define GBT_MAX_FEATURES 1024

typedef struct gbt_params {
  int trees;            /* boosting rounds */
  int depth;            /* tree depth, 1..GBT_MAX_DEPTH */
  int bins;             /* bins per feature, 2..256 */
  double learning_rate; /* shrinkage of each tree */
  double lambda;        /* L2 penalty on leaf weights */
  double min_hess;      /* smallest hessian sum in a child */
  double subsample;     /* share of rows each tree sees, (0, 1] */
  int early_stop;       /* with validation data: stop after this many trees
                           without a better validation log loss (0: never) */
  uint64_t seed;        /* for row subsampling */
} gbt_params;

typedef struct gbt gbt;

void gbt_params_default(gbt_params *p);

/* Trains on x (n rows of nf floats, row-major) with labels y (0/1). With validation
 * rows (xv, yv, nv > 0) the model keeps the tree count with the best validation log
 * loss. NaN features go left. NULL with a message in err on failure. */
gbt *gbt_train(const gbt_params *p, const float *x, const uint8_t *y, size_t n, int nf,
               const float *xv, const uint8_t *yv, size_t nv, sim_error *err);

/* Log-odds for one row of nf features. */
double gbt_margin(const gbt *m, const float *x);

/* A trained model as bytes (models/kernels/kcache.h buffers) and back. gbt_read returns
 * NULL if the bytes do not make a valid model. gbt_stamp is this code's build stamp,
 * for the keys of cached models. */
struct kc_buf;
struct kc_reader;
void gbt_write(const gbt *m, struct kc_buf *b);
gbt *gbt_read(struct kc_reader *r);
const char *gbt_stamp(void);

int gbt_trees(const gbt *m);
int gbt_features(const gbt *m);
/* Total split gain per feature (nf values), for reports. */
void gbt_importance(const gbt *m, double *gain);
void gbt_free(gbt *m);

#endif
