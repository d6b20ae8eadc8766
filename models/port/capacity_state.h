/* capacity_state: the record of what a station may run (capacity.h), alone so that the
 * station record (port_rt.h) can embed it. Private to models/port/. */
#ifndef MODELS_PORT_CAPACITY_STATE_H
#define MODELS_PORT_CAPACITY_STATE_H

/* A station's limits and what they allow. Embedded in each station_rt (the staff part
 * reads it on every dispatch) but written only by capacity.c; the other parts read it
 * through the accessors of capacity.h. */
typedef struct station_cap {
  int sched, failed, damaged, maint; /* the integer sources */
  double factor;                     /* CAP_SRC_DISRUPT */
  int closed;                        /* factor <= 0 */
  int equip;                         /* servers all of them allow now */
} station_cap;

#endif
