/* check: the invariants every run keeps (check.c). Private to models/port/. */
#ifndef MODELS_PORT_CHECK_H
#define MODELS_PORT_CHECK_H

#include "models/port/port_rt.h"

/* Checks the model's figures now; a violation fails the run. */
void port_check(port *p);
/* The end-of-run check: the items each channel counts in the system are those that are. */
int port_check_items(port *p);

#endif
