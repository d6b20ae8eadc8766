/* view: the viewer's side of a port (view.c): snapshot_take and port_view_record are
 * public (models/snapshot.h); these serve the other parts. Private to models/port/. */
#ifndef MODELS_PORT_VIEW_H
#define MODELS_PORT_VIEW_H

#include "models/port/port_rt.h"

int view_init(port *p);
/* Notes a find (kind: a kpi.h seizure category) for the viewer's flashes and replay. */
void port_found(port *p, int st, int ch, int kind);
void port_view_free(port *p);
/* The viewer's frames and finds into k: copied, or handed over if `take`. */
int port_view_kpis(port *p, kpi_run *k, int take);

#endif
