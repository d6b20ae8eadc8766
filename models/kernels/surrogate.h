/* surrogate: a detection kernel's operating characteristic, tabulated once so a run can
 * sample verdicts instead of imaging every item (kernel_opts.surrogate = 1).
 *
 * Generic over kernels: surrogate_build runs the kernel's own decide() on a calibration
 * batch of synthetic items (per representative item kind: clean items, and every
 * contraband kind x amount bin x concealment cell) and keeps every outcome (score,
 * alarm, time). surrogate_decide finds the item's cell and returns one of that cell's
 * outcomes drawn at random, so alarm rates, score distributions and processing times
 * all follow the full kernel. The calibration scores also give ROC curves.
 *
 * A surrogate is read-only after build: decide and the queries never modify it, so
 * one table could serve several threads (each with its own gsl_rng). */
#ifndef MODELS_KERNELS_SURROGATE_H
#define MODELS_KERNELS_SURROGATE_H

#include <stddef.h>
#include <stdint.h>

#include <gsl/gsl_rng.h>

#include "models/item.h"
#include "models/kernel.h"
#include "sim/error.h"

typedef struct surrogate surrogate;

/* What to tabulate. Arrays are borrowed during surrogate_build only. */
typedef struct surrogate_spec {
  const uint8_t *kinds;    /* representative item kinds to calibrate (item_kind) */
  size_t nkinds;           /* 1 .. KIND_N */
  int8_t kind_row[KIND_N]; /* for each item kind, the index in kinds[] standing for it */
  const uint8_t *contra;   /* tabulated contraband kinds (item_contraband, not NONE) */
  size_t ncontra;          /* contraband kinds not listed are looked up as clean */
  const double *kg_edges;  /* amount bin edges in kg, ascending, > 0; nedges - 1 bins */
  size_t nedges;           /* >= 2; amounts outside the edges use the end bins */
  const uint8_t *conceal;  /* tabulated concealments (item_concealment) */
  size_t nconceal;
  int8_t conceal_col[CONCEAL_N]; /* each concealment's index in conceal[], or -1: the
                                    kernel cannot see such contraband (clean row) */
  size_t n_clean;          /* calibration items per kind, clean */
  size_t n_cell;           /* calibration items per contraband cell */
  /* gross item mass seen by the kernel, without the contraband; NULL: surrogate_mass_kg */
  double (*mass_kg)(int kind, gsl_rng *r);
} surrogate_spec;

/* Runs t->decide(full_state, ...) on the calibration batch (seeded from o->seed; the
 * same seed gives the same table) and returns the table in *out. full_state must be a
 * state of t that decides in full mode; it is only used during the call.
 * Returns 0 or a negative SIM_E* code with a message in err. */
int surrogate_build(surrogate **out, const kernel_type *t, void *full_state,
                    const kernel_opts *o, const surrogate_spec *spec, sim_error *err);
void surrogate_free(surrogate *s); /* accepts NULL */

/* A verdict for it: one calibration outcome of its cell, drawn with r. */
int surrogate_decide(const surrogate *s, const item *it, gsl_rng *r, kernel_verdict *v);

/* Alarm rate of the cell an item with these truths falls in (contra = CONTRA_NONE:
 * the clean row); *n (if non-NULL) receives the number of calibration items behind
 * it. Returns NaN for an out-of-range kind. */
double surrogate_alarm_rate(const surrogate *s, int kind, int contra, double kg,
                            int conceal, size_t *n);
/* Mean processing time (s) over all calibration items of kind's row. */
double surrogate_mean_time(const surrogate *s, int kind);

/* ROC from the calibration scores: negatives are the clean items, positives the items
 * of contraband kind contra (-1: every tabulated kind), both over kind's row (-1: all
 * rows). The threshold sweeps down the pooled scores; up to npts points (>= 2) are
 * written, from (pfa, pd) = (0, 0) at threshold +inf to (1, 1), with pfa and pd never
 * decreasing. An item counts as flagged when score >= thr. Returns the number of
 * points written (0 if either class is empty). */
size_t surrogate_roc(const surrogate *s, int kind, int contra, size_t npts, double *thr,
                     double *pfa, double *pd);
/* Area under that ROC (Mann-Whitney, ties count one half); NaN if a class is empty. */
double surrogate_auc(const surrogate *s, int kind, int contra);

/* Total calibration items (what the build cost in kernel runs). */
size_t surrogate_items(const surrogate *s);

/* The default gross mass of an item of kind (kg, lognormal around a typical value per
 * kind; assumptions, see surrogate.c). */
double surrogate_mass_kg(int kind, gsl_rng *r);

/* Fills *it with a synthetic item as the calibration uses it: kind, gross mass from
 * spec->mass_kg (plus the contraband), and the truth; kg drawn log-uniformly in
 * amount bin kgbin of spec (ignored for CONTRA_NONE). */
void surrogate_item(const surrogate_spec *spec, int kind, int contra, size_t kgbin,
                    int conceal, gsl_rng *r, item *it);

#endif
