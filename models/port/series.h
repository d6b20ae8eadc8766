/* series: the /series time series of a replication (series.c). Private to models/port/. */
#ifndef MODELS_PORT_SERIES_H
#define MODELS_PORT_SERIES_H

#include "models/port/port_rt.h"

int series_init(port *p);
void series_free(port *p);
void series_sample(port *p);
/* Called just before the statistics are reset at the end of the warm-up. */
void series_before_reset(port *p);
/* Samples planned and taken so far; their times (hours). */
size_t series_planned(const port *p);
size_t series_taken(const port *p);
const double *series_times_h(const port *p);
/* Channel ch's series, one value per sample: items in the system (time averages) and
 * items released so far (warm-up included). */
const double *series_insys(const port *p, int ch);
const double *series_released(const port *p, int ch);
/* Copies the samples taken into k (t_h, in_system, queue, busy, on_duty, staff_busy). */
void series_kpis(const port *p, kpi_run *k);

#endif
