/* recovery: business-continuity figures from a run's series (recovery.c). Private to
 * models/port/. */
#ifndef MODELS_PORT_RECOVERY_H
#define MODELS_PORT_RECOVERY_H

#include "models/port/port_rt.h"

/* Fills k->rec (nothing without disruptions). */
int recovery_kpis(const port *p, kpi_run *k);

#endif
