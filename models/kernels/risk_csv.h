/* risk_csv: declarations in the 14-column CSV schema of the public customs-fraud
 * datasets (Kim et al., KDD 2020, "DATE"; github.com/Roytsai27/
 * Dual-Attentive-Tree-aware-Embedding):
 *   sgd.id,sgd.date,importer.id,declarant.id,country,office.id,tariff.code,
 *   quantity,gross.weight,fob.value,cif.value,total.taxes,illicit,revenue
 * so users can train and evaluate the risk model on their own data, and export the
 * generator's data for other tools.
 *
 * Reading: ids, countries, offices are strings (hashed to int32 codes); the tariff
 * code's first six digits give the HS6 code (keep leading zeros); dates are
 * YYYY-MM-DD, YY-MM-DD (20YY) or a day number, optionally followed by a time. The
 * illicit flag is stored as truth.undervalued (the data do not say which fraud) and
 * revenue as truth.evaded_jpy. A malformed row is reported as "file:line: reason"
 * and skipped, or, when strict, ends the read with that message. */
#ifndef MODELS_KERNELS_RISK_CSV_H
#define MODELS_KERNELS_RISK_CSV_H

#include <stddef.h>
#include <stdio.h>

#include "models/item.h"
#include "sim/error.h"

#define RISK_CSV_NCOLS 14
#define RISK_CSV_MAX_LINE 65536         /* bytes in one row */
#define RISK_CSV_MAX_ROWS 50000000      /* rows in one file */
#define RISK_CSV_MAX_REPORTS 20         /* skipped rows reported one by one */

extern const char risk_csv_header[];

typedef struct risk_csv_opts {
  int strict;      /* 1: a malformed row is an error */
  FILE *log;       /* where skipped rows are reported, or NULL */
  size_t max_rows; /* 0: RISK_CSV_MAX_ROWS */
  int kind;        /* item kind given to the rows (default KIND_GENERIC) */
} risk_csv_opts;

void risk_csv_opts_default(risk_csv_opts *o);

/* Reads path into *items (malloc'ed, caller frees) in file order. *skipped counts
 * malformed rows (may be NULL). Returns SIM_EIO, SIM_EINVAL (bad header, strict
 * row error, too many rows), SIM_ENOMEM or SIM_OK. */
int risk_csv_read(const char *path, const risk_csv_opts *o, item **items, size_t *n,
                  size_t *skipped, sim_error *err);

/* Writes goods declarations in the schema (ids as IMP<n>, DEC<n>, CNTRY<n>,
 * OFFICE<n>; dates from day 0 = 2024-11-25, the default run start). Passenger
 * records do not fit the schema: SIM_EINVAL. */
int risk_csv_write(const char *path, const item *items, size_t n, sim_error *err);

/* Stable sort by arrival time, then the published split: the first 60% train,
 * the next 20% validate, the last 20% test. */
int risk_csv_sort(item *items, size_t n, sim_error *err);
void risk_csv_split(size_t n, size_t *ntrain, size_t *nvalid);

#endif
