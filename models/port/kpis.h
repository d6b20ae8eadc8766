/* kpis: the figures of a replication (kpis.c; port_kpis is public in models/port.h).
 * Private to models/port/. */
#ifndef MODELS_PORT_KPIS_H
#define MODELS_PORT_KPIS_H

#include "models/port/port_rt.h"

/* Writes item jb's record (outcome: kpi_outcome) to the item log; a failed write fails
 * the run. */
void kpis_item(port *p, const job *jb, int outcome, double now);

#endif
