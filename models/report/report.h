/* report: the internal interface of build/customs-report, the program that reads a
 * customs-sim result file (layout: results/README.md) and prints, exports, draws or
 * compares it. Files: report_main.c (command line), report_read.c (generic HDF5
 * reading), report_columns.c (compound tables), report_kpi.c (per-replication
 * figures and their statistics), report_format.c (numbers for people),
 * report_table.c (text tables and CSV), report_recovery.c (/kpi/recovery),
 * report_compare.c (policy against baseline), report_scorecard.c (the drill
 * scorecard), report_drill.c (a drill's story from a file), report_chart.c,
 * report_plot.c and report_bars.c (PLplot charts; report_drill.h).
 *
 * Every function that can fail returns a sim error code and fills a one-line message
 * that names the file; main turns it into the exit status. */
#ifndef MODELS_REPORT_REPORT_H
#define MODELS_REPORT_REPORT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "models/numfmt.h"
#include "sim/error.h"

#define REPORT_SCHEMA "customs-sim/1"

/* ---- report_read.c: files, attributes, tables, arrays -------------------------- */
/* The one reader of result files: customs-report and the viewer's replay (viz/replay.c)
 * both read through these functions and report_columns.c. */

typedef struct report_file report_file;

/* Switches HDF5's own error printing off (failures come back as one line each). */
void report_quiet(void);
/* Whether FILE is an HDF5 file at all (false also when it cannot be read). */
bool report_is_hdf5(const char *path);
/* Opens FILE read-only and checks it is a customs-sim result (the `schema` attribute). */
int report_open(report_file **out, const char *path, sim_error *err);
/* Opens any HDF5 file read-only, without the schema check (the caller checks what it
 * needs). */
int report_open_hdf5(report_file **out, const char *path, sim_error *err);
void report_close(report_file *f);
const char *report_path(const report_file *f);
bool report_exists(const report_file *f, const char *path);

/* A root attribute as text (numbers formatted), or false when it is missing. */
bool report_attr_text(const report_file *f, const char *name, char *buf, size_t size);
bool report_attr_i64(const report_file *f, const char *name, int64_t *out);
/* A root text attribute whole, however long (*out allocated, the caller frees it);
 * SIM_EINVAL when it is missing or not text. */
int report_attr_string(const report_file *f, const char *name, char **out, sim_error *err);

/* Names of the datasets in a group (sorted; not its coordinates, the dimension scales),
 * or of every compound dataset in the file (full paths). Free with report_names_free. */
int report_list(const report_file *f, const char *group, char ***names, size_t *n, sim_error *err);
int report_compound_paths(const report_file *f, char ***paths, size_t *n, sim_error *err);
void report_names_free(char **names, size_t n);

/* A 1-D or 2-D float dataset read whole; a 1-D one has rows == 1. */
int report_matrix(const report_file *f, const char *path, double **data, size_t *rows,
                  size_t *cols, sim_error *err);

/* A 1-D integer dataset read whole as `size`-byte integers (2 or 4), converted by HDF5
 * (as stored when the widths match): *n values (1 to max), *data allocated. For other
 * HDF5 files too (the viewer's GSHHG coastlines). */
int report_ints(const report_file *f, const char *path, size_t size, size_t max, void **data,
                size_t *n, sim_error *err);

/* A compound table, read block by block so memory does not grow with its length. */
typedef struct report_table report_table;
typedef enum { REPORT_INT, REPORT_FLOAT, REPORT_STR, REPORT_ENUM } report_kind;

int report_table_open(const report_file *f, const char *path, report_table **out, sim_error *err);
void report_table_close(report_table *t);
size_t report_table_rows(const report_table *t);
size_t report_table_ncols(const report_table *t);
const char *report_table_name(const report_table *t, size_t col);
const char *report_table_units(const report_table *t, size_t col); /* "" when unknown */
report_kind report_table_kind(const report_table *t, size_t col);
long report_table_find(const report_table *t, const char *name); /* -1 when absent */
/* Loads rows [first, first + count) (count is cut at the end of the table). */
int report_table_load(report_table *t, size_t first, size_t count, sim_error *err);
size_t report_table_loaded(const report_table *t);
/* Values of loaded row `row`: a number (enum: its code; string: NaN) or text (enum: its
 * label; number: NULL). */
double report_table_f64(const report_table *t, size_t col, size_t row);
int64_t report_table_i64(const report_table *t, size_t col, size_t row);
const char *report_table_str(const report_table *t, size_t col, size_t row);

/* ---- report_kpi.c: figures per key ------------------------------------------- */

/* Figures of one KPI table, by key (channel, station, pool) and figure: the mean and
 * 95% half-width over replications, and (when read from the per-replication table) the
 * value of each replication. A plain value owned by the caller. */
typedef struct report_kpi {
  char *source;      /* dataset it came from */
  size_t nkeys, nfigs, nrep;
  char **keys, **figs, **units;
  int64_t *n;        /* [key]: replications */
  double *mean, *hw; /* [key * nfigs + fig] */
  int64_t *nan;      /* [key * nfigs + fig]: replications without data */
  double *vals;      /* [(key * nfigs + fig) * nrep + rep], NaN if missing; or NULL */
  int64_t *rep_ids;  /* [rep]: the replication numbers, ascending (with vals) */
} report_kpi;

/* Per-replication figures from /kpi/NAME (key = first text column). */
int report_kpi_reps(const report_file *f, const char *path, report_kpi **out, sim_error *err);
/* Summary figures from /kpi/summary/NAME (NAME_mean, NAME_hw, NAME_nan fields). */
int report_kpi_summary(const report_file *f, const char *path, report_kpi **out, sim_error *err);
/* The summary if the file has one, else computed from the per-replication table; *out
 * is NULL when neither exists. */
int report_kpi_load(const report_file *f, const char *name, report_kpi **out, sim_error *err);
void report_kpi_free(report_kpi *k);
long report_kpi_key(const report_kpi *k, const char *key);
long report_kpi_fig(const report_kpi *k, const char *fig);

/* Mean and half-width of the non-NaN values among x[0..n-1]; returns their count. */
size_t report_mean_hw(const double *x, size_t n, double *mean, double *hw);

/* ---- report_table.c: text and CSV -------------------------------------------- */

int report_print_summary(const report_file *f, FILE *out, sim_error *err);
/* Every compound table to DIR/<path with / as _>.csv. */
int report_csv_all(const report_file *f, const char *dir, bool bom, sim_error *err);
/* Creates DIR and its parents as needed. */
int report_mkdirs(const char *dir, sim_error *err);
/* Writes one CSV field (quoted when it holds a comma, quote, line break or edge space). */
void report_csv_field(FILE *out, const char *s);

/* ---- report_plot.c: PNG charts ------------------------------------------------ */

int report_plot_all(const report_file *f, const char *dir, const char *sweep_x, sim_error *err);
/* One chart of y = YNAME_mean (error bars YNAME_hw) against column XCOL of the /sweep
 * table, one line per value of its first text column (report_bars.c). */
int report_plot_sweep(const report_file *f, const char *xcol, const char *yname,
                      const char *png, sim_error *err);

/* ---- report_compare.c: policy B against baseline A ---------------------------- */

typedef struct report_compare_opts {
  bool only_significant;
  const char *csv_dir; /* NULL: no CSV */
  const char *png_dir; /* NULL: no scorecard slides */
  bool bom;
  bool quiet; /* no text on standard output (CSV and PNG are still written) */
} report_compare_opts;

int report_compare(const report_file *a, const report_file *b, FILE *out,
                   const report_compare_opts *opts, sim_error *err);

/* One figure of B against A: the means, B - A with its 95% half-width (paired over
 * common replications, else Welch), and whether the interval excludes 0. */
typedef struct report_diff {
  double a, b, d, hw;
  bool sig;
} report_diff;
report_diff report_compare_values(const report_kpi *A, size_t ka, size_t fa, const report_kpi *B,
                                  size_t kb, size_t fb, bool pair);

/* Where comparison rows go: text (out, NULL when quiet) and CSV (csv, or NULL). */
typedef struct report_rows {
  FILE *out, *csv;
  const report_compare_opts *opts;
  const char *method; /* "paired" or "welch", written in the CSV */
  size_t shown, significant;
} report_rows;
/* Opens DIR/compare_NAME.csv (when opts->csv_dir) and writes its header. */
int report_rows_csv(report_rows *p, const char *name, sim_error *err);
int report_rows_csv_close(report_rows *p, const char *name, sim_error *err);
/* Prints the heading of a comparison table. */
void report_rows_heading(report_rows *p, const char *title);
/* One row: key (blank on continuation rows in the text, repeated in the CSV), figure,
 * unit, A and B as text (NULL: their means), the difference and its change, and a
 * note for the CSV ("no objective", ...). */
void report_rows_add(report_rows *p, const char *key, bool first, const char *fig, const char *unit,
                     const report_diff *r, const char *a_text, const char *b_text,
                     const char *note);

/* ---- report_recovery.c: recovery after disruptions (/kpi/recovery) ----------- */

/* The recovery table of one file, one row per scope (ports first); nothing when the
 * file has no /kpi/recovery. */
int report_print_recovery(const report_file *f, FILE *out, sim_error *err);
/* The recovery figures of B against A, scope by scope (text and compare_recovery.csv). */
int report_compare_recovery(report_rows *p, const report_file *a, const report_file *b, bool pair,
                            sim_error *err);

/* ---- report_scorecard.c: the drill scorecard ------------------------------------- */

/* Per port: back to normal without (A) and with the plan (B), the RTO, the peak
 * backlog, as a table (and compare_scorecard.csv), and with png_dir one 1920x1080
 * slide per port (scorecard_<port>.png). Nothing when the files have no recovery. */
int report_scorecard(report_rows *p, const report_file *a, const report_file *b, bool pair,
                     sim_error *err);

#endif
