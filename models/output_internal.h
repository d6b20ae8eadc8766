/* output_internal: the parts of the result file written by output_tables.c (the /kpi
 * tables driven by the KPI catalogue), for output.c, and the labels the output files
 * share. Not for use elsewhere. */
#ifndef MODELS_OUTPUT_INTERNAL_H
#define MODELS_OUTPUT_INTERNAL_H

#include "models/item.h"
#include "models/kpi.h"
#include "models/output.h"
#include "sim/recorder.h"

/* /kpi/channels, /kpi/stations, /kpi/summary/channels and /kpi/summary/stations. */
int output_channel_tables(recorder *rec, const output_meta *m, const kpi_run *runs, int nrep,
                          sim_error *err);
/* /kpi/staff and /kpi/summary/staff. */
int output_staff_table(recorder *rec, const output_meta *m, const kpi_run *runs, int nrep,
                       sim_error *err);
/* /kpi/recovery and /kpi/summary/recovery. */
int output_recovery_table(recorder *rec, const output_meta *m, const kpi_run *runs, int nrep,
                          sim_error *err);

/* /kpi/classes, /kpi/batches and their summaries (keyed by id: CHANNEL.CLASS, CHANNEL.N). */
int output_class_tables(recorder *rec, const output_meta *m, const kpi_run *runs, int nrep,
                        sim_error *err);
/* /kpi/coast and /kpi/coast_assets with their summaries (scenarios with a coast only). */
int output_coast_tables(recorder *rec, const output_meta *m, const kpi_run *runs, int nrep,
                        sim_error *err);

/* The labels of the seizure categories (kpi.h) into out: the contraband names of
 * item.h, then `extra`, the three categories that are not contraband. */
void output_seize_labels(const char *out[KPI_SEIZE_N],
                         const char *const extra[KPI_SEIZE_N - CONTRA_N]);

#endif
