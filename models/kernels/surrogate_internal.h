/* surrogate_internal: the surrogate table's layout, shared by surrogate.c (building and
 * sampling) and surrogate_cache.c (reading and writing it on disk); nothing else
 * includes this. */
#ifndef MODELS_KERNELS_SURROGATE_INTERNAL_H
#define MODELS_KERNELS_SURROGATE_INTERNAL_H

#include <stddef.h>
#include <stdint.h>

#include "models/kernels/surrogate.h"

/* Outcomes are stored cell after cell, in the order surrogate_build runs them: per kind
 * row, the clean cell (n_clean items), then contraband x amount bin x concealment
 * (n_cell items each), so off[] is a running sum of cnt[]. */
struct surrogate {
  size_t nkinds, ncontra, nbins, nconceal, row_cells, ncells, nitems;
  int8_t kind_row[KIND_N];
  int8_t contra_idx[CONTRA_N];  /* -1: not tabulated (clean row) */
  int8_t conceal_col[CONCEAL_N];
  double *edges;
  size_t *off, *cnt;            /* per cell: first outcome and count */
  double *score, *time;
  uint8_t *alarm;
};

/* Checks a spec (including the cap on the batch size); 0 or SIM_EINVAL with a message. */
int surrogate_check_spec(const surrogate_spec *sp, sim_error *err);
/* An empty table shaped by a checked spec (off and cnt zero); NULL if out of memory. */
surrogate *surrogate_alloc_table(const surrogate_spec *sp);

#endif
