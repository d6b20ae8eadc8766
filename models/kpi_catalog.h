/* kpi_catalog: every figure a replication produces, described once: its name, units,
 * long name, where it sits in its record (kpi_channel, kpi_station, kpi_pool,
 * kpi_recovery, kpi_class, kpi_batch) and where it is shown. The HDF5 tables and their
 * summaries, the terminal table, the sweep's figures and targets, and the documentation
 * of results/README.md are all driven by this table, so adding a figure is one line here
 * plus its computation.
 *
 * The table is read-only and static; nothing here allocates. */
#ifndef MODELS_KPI_CATALOG_H
#define MODELS_KPI_CATALOG_H

#include <stddef.h>
#include <stdio.h>

typedef enum {
  KPI_CHANNEL = 0, /* kpi_channel: one row per channel and replication */
  KPI_STATION,     /* kpi_station */
  KPI_POOL,        /* kpi_pool (staff pools) */
  KPI_RECOVERY,    /* kpi_recovery: per scope (channel or port), drills only */
  KPI_CLASS,       /* kpi_class: per channel and class of item */
  KPI_BATCH,       /* kpi_batch: per scheduled batch of the measured period */
  KPI_ZONE,        /* kpi_zone: per coast zone (coast scenarios only) */
  KPI_ASSET,       /* kpi_asset: per coast asset */
  KPI_NRECORDS
} kpi_record;

/* Where a figure is shown besides its HDF5 table (which holds every figure). */
enum {
  KPI_SWEEP = 1 << 0, /* summarized in the sweep's /sweep table */
  KPI_TABLE = 1 << 1, /* a column of the terminal KPI table */
  KPI_TABLE_IF = 1 << 2, /* with KPI_TABLE: only when some row is not zero */
};

typedef struct kpi_field {
  const char *name;      /* column name in /kpi/<table>, and FIGURE in KPI paths */
  const char *units;     /* "items", "min", "h", "1", ... */
  const char *long_name;
  kpi_record record;
  int is_int;            /* int64_t in the record, else double */
  size_t off;            /* byte offset in the record */
  unsigned show;         /* KPI_SWEEP | KPI_TABLE */
  const char *head;      /* terminal table: column heading (KPI_TABLE only) */
  int width;             /* terminal table: column width */
} kpi_field;

/* The figures of one record kind, in table order. */
const kpi_field *kpi_catalog(kpi_record r, size_t *n);
/* A figure by name, or NULL. */
const kpi_field *kpi_catalog_find(kpi_record r, const char *name);
/* The record kind's table name ("channels", "stations", "staff", "recovery", "classes",
 * "batches", "coast", "coast_assets"), which is also the first word of a KPI path
 * (channels.NAME.FIGURE, classes.CHANNEL.CLASS.FIGURE, batches.CHANNEL.N.FIGURE). */
const char *kpi_record_word(kpi_record r);
/* Size in bytes of one record of the kind. */
size_t kpi_record_size(kpi_record r);
/* The value of figure f in rec (a record of f's kind), as a double. */
double kpi_field_value(const kpi_field *f, const void *rec);
/* Records of kind r in one replication's figures, and the i-th of them. */
struct kpi_run;
size_t kpi_run_count(const struct kpi_run *k, kpi_record r);
const void *kpi_run_record(const struct kpi_run *k, kpi_record r, size_t i);
/* Writes the Markdown reference of every figure (the tables of results/README.md). */
void kpi_catalog_markdown(FILE *out);

#endif
