/* kernel: the one interface through which decision points (select for inspection,
 * X-ray alarm, CT alarm, NQR alarm) ask a detection or risk kernel for a verdict.
 * Like GSL's gsl_rng_type, a kernel is a type descriptor (name, parameter table and
 * function pointers) found in a table by name; each simulation (replication) creates
 * its own state, so kernels never share mutable data across threads.
 *
 * Ownership: a type's `new` makes a state owned by the caller, released with the same
 * type's `free` (which accepts NULL). The item passed to decide is only read. Errors go
 * through sim_error (sim/error.h), as everywhere below main. */
#ifndef MODELS_KERNEL_H
#define MODELS_KERNEL_H

#include <stddef.h>
#include <stdint.h>

#include <gsl/gsl_rng.h>

#include "models/item.h"
#include "sim/error.h"

/* One numeric parameter of a kernel, as written in a scenario's kernel group. This
 * table drives the scenario validator, defaults and the key documentation. */
typedef struct kernel_param {
  const char *name;  /* key name, unit in the suffix: "threshold", "scan_s", ... */
  double def, min, max;
  const char *help;
} kernel_param;

/* Settings shared by all kernels of a run. */
typedef struct kernel_opts {
  int surrogate;         /* 0: run the kernel on every item; 1: sample from a
                            calibration table built at create time */
  uint64_t seed;         /* for calibration batches (same seed: same table) */
  const char *cache_dir; /* where calibration tables may be cached, or NULL */
} kernel_opts;

typedef struct kernel_verdict {
  double score;   /* kernel's statistic (higher = more suspect) */
  int alarm;      /* 1 if the kernel flags the item */
  double time_s;  /* processing time this item took at the station */
} kernel_verdict;

typedef struct kernel_type {
  const char *name;
  const char *help;
  const kernel_param *params;
  size_t nparams;
  /* params[i] holds the value for type->params[i] (defaults filled in by the caller).
   * Returns 0 or a negative SIM_E* code with a message in err (which may be NULL). */
  int (*new)(void **state, const double *params, const kernel_opts *opts, sim_error *err);
  /* Judge one item; r is the calling station's random stream. */
  int (*decide)(void *state, const item *it, gsl_rng *r, kernel_verdict *v);
  /* Optional (NULL if the kernel does not learn): the outcome of an inspection. */
  void (*learn)(void *state, const item *it, int illicit);
  void (*free)(void *state); /* NULL is a no-op */
  /* Optional: the calibration table of a surrogate-mode state (NULL in full mode), from
   * which runs draw ROC curves. */
  const struct surrogate *(*table)(const void *state);
  /* 1 when decide never writes the state in either mode, so one state may serve every
   * replication and thread (surrogate-mode states of the other kernels are read-only
   * too; their full-mode states keep scratch buffers). */
  int read_only;
} kernel_type;

/* The ROC curve of a state that has a calibration table (surrogate mode): up to npts
 * points (thresholds, false-alarm and detection rates) over all kinds of items, and the
 * area under it in *auc. Returns the number of points, 0 when the state has no table. */
size_t kernel_roc(const kernel_type *t, const void *state, size_t npts, double *thr,
                  double *pfa, double *pd, double *auc);

/* The table of all kernels; returns NULL if name is unknown. */
const kernel_type *kernel_find(const char *name);
/* NULL-terminated list, for --help and the documentation. */
const kernel_type *const *kernel_all(void);
/* The names a station's `kernel` key takes: "none" (no kernel, 0), then each kernel's
 * from the table; NULL past the last. */
const char *kernel_name_at(int i);

#endif
