/* output: writes a run's figures to the HDF5 result file through the generic recorder:
 * root attributes, /kpi tables and their summaries, /series and /dist. The layout is
 * documented in results/README.md. */
#ifndef MODELS_OUTPUT_H
#define MODELS_OUTPUT_H

#include <stdint.h>

#include "models/kpi.h"
#include "models/scenario/scenario.h"
#include "models/scenario/spec.h"
#include "sim/error.h"

typedef struct output_meta {
  const scenario *sc;
  const spec *sp;
  uint64_t seed;
  uint32_t first_rep;
  int complete;
  const char *version;
  const char *warmup_method; /* how the warm-up was chosen (--warmup auto), or NULL */
} output_meta;

/* Writes runs[0..nrep-1] (entries with no figures are skipped) to path (via
 * path.partial and a rename). */
int output_write(const char *path, const output_meta *m, const kpi_run *runs, int nrep,
                 sim_error *err);

/* The viewer's /view group from runs[0] (output_view.c; nothing unless it recorded
 * frames and is replication 0). */
struct recorder;
int output_view_write(struct recorder *rec, const output_meta *m, const kpi_run *k, sim_error *err);

#endif
