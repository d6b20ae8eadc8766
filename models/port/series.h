/* series: the /series time series of a replication (series.c). Private to models/port/. */
#ifndef MODELS_PORT_SERIES_H
#define MODELS_PORT_SERIES_H

#include "models/port/port_rt.h"

int series_init(port *p);
void series_free(port *p);
void series_sample(port *p);
/* Called just before the statistics are reset at the end of the warm-up. */
void series_before_reset(port *p);

#endif
