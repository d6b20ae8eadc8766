/* series: the /series time series of a replication (series.c). Private to models/port/. */
#ifndef MODELS_PORT_SERIES_H
#define MODELS_PORT_SERIES_H

#include "models/port/port_rt.h"

int series_init(port *p);
void series_free(port *p);
void series_sample(port *p);
/* Called just before the statistics are reset at the end of the warm-up. */
void series_before_reset(port *p);
/* Samples planned and taken so far; the last one's time (hours). */
size_t series_planned(const port *p);
size_t series_taken(const port *p);
double series_last_time_h(const port *p);
/* One series of the samples taken (series_taken values) into out: the sample times
 * (hours), channel ch's items in the system (time averages) or items released so far
 * (warm-up included). 0, or -1 if the spool cannot be read. */
int series_times_into(const port *p, double *out);
int series_insys_into(const port *p, int ch, double *out);
int series_released_into(const port *p, int ch, double *out);
/* The samples taken into k: t_h and in_system always; queue, busy, on_duty and
 * staff_busy too, or, if `take` and they are spooled, the spool file handed over
 * (k->series_file, read by kpi_run_load_series once the port is gone). -1 if memory
 * runs out or the spool cannot be read. */
int series_kpis(port *p, kpi_run *k, int take);

#endif
