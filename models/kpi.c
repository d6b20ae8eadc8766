/* kpi: helpers for the per-replication figures (see kpi.h). */
#include "models/kpi.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>

void kpi_release_edges(double *edges) {
  edges[0] = 0;
  double lo = log(0.1), hi = log(60.0 * 1440);
  for (int i = 1; i <= KPI_REL_BINS; i++)
    edges[i] = exp(lo + (hi - lo) * (i - 1) / (KPI_REL_BINS - 1));
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
  *k = (kpi_run){0};
}
