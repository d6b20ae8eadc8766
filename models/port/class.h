/* class: figures per class of item, per batch and per service level, and each station's
 * busy span (class.c). Private to models/port/. */
#ifndef MODELS_PORT_CLASS_H
#define MODELS_PORT_CLASS_H

#include "models/port/port_rt.h"

int class_init(port *p);
void class_free(port *p);
/* A scheduled batch comes (the arrivals hook): its row, or -1 outside the measured period. */
int32_t class_batch(void *ctx, int channel, double at_min, long size, int32_t origin);
/* An item of batch row `batch` came in (passed the door). */
void class_batch_arrived(port *p, int32_t batch);
/* An item leaves: released (out 0), seized (1) or lost (2). */
void class_leave(port *p, const job *jb, int out, double now);
/* Station st: an item came in (in = 1) or left its server (in = 0), while measuring. */
void class_span(port *p, station_rt *s, int in);
/* Fills k->cls, k->bat, k->levels and the stations' span figures. */
int class_kpis(const port *p, kpi_run *k);

#endif
