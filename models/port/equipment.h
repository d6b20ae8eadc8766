/* equipment: breakdowns, maintenance windows, server schedules and dog work bouts
 * (equipment.c), each telling the capacity part what it allows. Private to models/port/. */
#ifndef MODELS_PORT_EQUIPMENT_H
#define MODELS_PORT_EQUIPMENT_H

#include "models/port/port_rt.h"

void equipment_init(station_rt *st);
void equipment_start(station_rt *st);

#endif
