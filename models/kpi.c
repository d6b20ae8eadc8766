/* kpi: helpers for the per-replication figures (see kpi.h). */
#include "models/kpi.h"

#include <math.h>
#include <stdio.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "sim/error.h"

void kpi_release_edges(double *edges) {
  edges[0] = 0;
  double lo = log(0.1), hi = log(60.0 * 1440);
  for (int i = 1; i <= KPI_REL_BINS; i++)
    edges[i] = exp(lo + (hi - lo) * (i - 1) / (KPI_REL_BINS - 1));
}

int kpi_spool_row(FILE *f, size_t rows, size_t block, size_t row, size_t n, double *out) {
  size_t bytes = rows * block * sizeof *out;
  for (size_t s = 0; s < n; s += block) {
    size_t want = (n - s < block ? n - s : block) * sizeof *out;
    off_t at = (off_t)(s / block * bytes + row * block * sizeof *out);
    if (pread(fileno(f), out + s, want, at) != (ssize_t)want) return SIM_EIO;
  }
  return 0;
}

/* The spool's row of entity 0 of the array at `field` (the layout in kpi.h), or SIZE_MAX
 * for an array the spool does not hold. */
static size_t spool_first(const kpi_run *k, size_t field) {
  return field == offsetof(kpi_run, queue)        ? 0
         : field == offsetof(kpi_run, busy)       ? k->nst
         : field == offsetof(kpi_run, on_duty)    ? 2 * k->nst + k->nch
         : field == offsetof(kpi_run, staff_busy) ? 2 * k->nst + k->nch + k->npool
                                                  : SIZE_MAX;
}

int kpi_run_load_series(kpi_run *k) {
  if (!k->series_file) return 0;
  size_t m = k->nsamples ? k->nsamples : 1, nst = k->nst ? k->nst : 1;
  size_t np = k->npool ? k->npool : 1;
  k->queue = calloc(m * nst, sizeof *k->queue);
  k->busy = calloc(m * nst, sizeof *k->busy);
  k->on_duty = calloc(m * np, sizeof *k->on_duty);
  k->staff_busy = calloc(m * np, sizeof *k->staff_busy);
  if (!k->queue || !k->busy || !k->on_duty || !k->staff_busy) return SIM_ENOMEM;
  const struct {
    double *to;
    size_t field, count;
  } part[] = {{k->queue, offsetof(kpi_run, queue), k->nst},
              {k->busy, offsetof(kpi_run, busy), k->nst},
              {k->on_duty, offsetof(kpi_run, on_duty), k->npool},
              {k->staff_busy, offsetof(kpi_run, staff_busy), k->npool}};
  for (size_t i = 0; i < sizeof part / sizeof part[0]; i++)
    for (size_t j = 0; j < part[i].count; j++)
      if (kpi_spool_row(k->series_file, k->series_rows, k->series_block,
                        spool_first(k, part[i].field) + j, k->nsamples,
                        part[i].to + j * k->nsamples))
        return SIM_EIO;
  fclose(k->series_file);
  k->series_file = NULL;
  return 0;
}

int kpi_run_row(const kpi_run *k, size_t field, size_t ent, size_t n, double *out) {
  const double *v = *(double *const *)((const char *)k + field);
  if (v) {
    memcpy(out, v + ent * k->nsamples, n * sizeof *out);
    return 0;
  }
  size_t first = spool_first(k, field);
  if (!k->series_file || first == SIZE_MAX) return SIM_EINVAL;
  return kpi_spool_row(k->series_file, k->series_rows, k->series_block, first + ent, n, out);
}

void kpi_run_free(kpi_run *k) {
  if (!k) return;
  free(k->ch);
  free(k->st);
  free(k->pool);
  free(k->on_duty);
  free(k->staff_busy);
  free(k->t_h);
  free(k->queue);
  free(k->busy);
  free(k->in_system);
  free(k->rel_hist);
  free(k->log);
  free(k->rec);
  free(k->roc);
  free(k->view);
  free(k->finds);
  free(k->cls);
  free(k->bat);
  free(k->levels);
  free(k->zone);
  free(k->asset);
  free(k->aloft);
  free(k->at_sea);
  if (k->items) fclose(k->items);
  if (k->view_file) fclose(k->view_file);
  if (k->series_file) fclose(k->series_file);
  if (k->finds_file) fclose(k->finds_file);
  *k = (kpi_run){0};
}
