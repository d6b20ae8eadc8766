/* recorder: a generic HDF5 writer for simulation results. It writes what the model
 * describes (attributes, compound tables given column by column, time series on a
 * shared axis, appendable logs) without knowing what any of it means.
 *
 * Runs cannot lose data: rec_open writes PATH.partial; rec_close flushes, sets the
 * root attribute `complete`, and renames it to PATH. HDF5 is not thread-safe in its
 * high-level library, so a recorder is used from one thread only.
 *
 * Ownership: rec_open returns a recorder owned by the caller; rec_close (or rec_abort,
 * which removes the partial file) frees it. Logs opened with rec_log_open belong to
 * the recorder and are closed by rec_close/rec_abort. */
#ifndef SIM_RECORDER_H
#define SIM_RECORDER_H

#include <stddef.h>
#include <stdint.h>

#include "sim/error.h"

typedef enum {
  REC_I64,  /* column data: const int64_t * */
  REC_F64,  /* column data: const double * (NaN for "no data") */
  REC_STR,  /* column data: const char *const * (variable-length strings) */
  REC_ENUM  /* column data: const int32_t *, stored as an HDF5 enum with `labels` */
} rec_type;

typedef struct rec_col {
  const char *name;
  rec_type type;
  const char *units;     /* "min", "h", "1", "items", ... */
  const char *long_name; /* human description */
  const char *const *labels; /* REC_ENUM only: labels[0..nlabels-1] for codes 0.. */
  int nlabels;
} rec_col;

typedef struct recorder recorder;
typedef struct rec_log rec_log;

int rec_open(recorder **out, const char *path, sim_error *err);

/* Attributes on an object ("/" for the root; groups are created as needed). */
int rec_attr_str(recorder *r, const char *obj, const char *name, const char *value, sim_error *err);
int rec_attr_i64(recorder *r, const char *obj, const char *name, int64_t value, sim_error *err);
int rec_attr_f64(recorder *r, const char *obj, const char *name, double value, sim_error *err);

/* A compound table of nrows rows; columns[i] points at nrows values of cols[i].type.
 * Each field keeps its units and long name in attributes `units` and `long_name` on
 * the dataset (as arrays aligned with the fields: `field_units`, `field_long_names`). */
int rec_table(recorder *r, const char *path, const char *long_name, const rec_col *cols,
              size_t ncols, size_t nrows, const void *const *columns, sim_error *err);

/* A time axis: a 1-D dataset made an HDF5 dimension scale named `name`. */
int rec_axis(recorder *r, const char *path, const char *name, const double *values, size_t n,
             const char *units, const char *long_name, sim_error *err);

/* A series of shape [nrep][n] (nrep >= 1) attached to the axis at axis_path on its last
 * dimension and to a `replication` scale on its first. */
int rec_series(recorder *r, const char *path, const char *axis_path, const double *data,
               size_t nrep, size_t n, const char *units, const char *long_name, sim_error *err);

/* A plain 1-D dataset that is not an axis (for example histogram bin edges). */
int rec_array(recorder *r, const char *path, const double *values, size_t n, const char *units,
              const char *long_name, sim_error *err);

/* An appendable, chunked, gzip-compressed compound log. It writes REC_LOG_ROWS rows at a
 * time (its chunk): appends of whole multiples of that write the same file as one. */
#define REC_LOG_ROWS 4096
int rec_log_open(recorder *r, rec_log **out, const char *path, const char *long_name,
                 const rec_col *cols, size_t ncols, sim_error *err);
/* A log whose rows are known to be about `rows` (0: unknown): its chunk is that many rows
 * up to REC_LOG_ROWS, so a short log is not compressed as a whole chunk of padding. */
int rec_log_open_rows(recorder *r, rec_log **out, const char *path, const char *long_name,
                      const rec_col *cols, size_t ncols, size_t rows, sim_error *err);
int rec_log_append(rec_log *l, size_t nrows, const void *const *columns, sim_error *err);
/* Closes a log before rec_close (frees its buffer); NULL is a no-op. */
int rec_log_close(rec_log *l, sim_error *err);

/* Summary across replications: for rows keyed by (key column, replication), writes a
 * table with the key, n, and for every F64/I64 value column its mean and its 95%
 * Student-t confidence half-width (`NAME_mean`, `NAME_hw`). */
int rec_summary(recorder *r, const char *path, const char *long_name, const rec_col *cols,
                size_t ncols, size_t nrows, const void *const *columns, const char *key_col,
                sim_error *err);

/* Flush, write `complete` (1 or 0) on the root and rename PATH.partial to PATH. */
int rec_close(recorder *r, int complete, sim_error *err);
/* Close and delete the partial file (used when the run failed before writing). */
void rec_abort(recorder *r);

#endif
