/* hints: what the layout learns from a snapshot's shape beyond the routes: where a
 * station on no route belongs (after the station that falls back to it, e.g. a counter
 * behind e-gates) and which staff pool each station draws on. */
#ifndef VIZ_HINTS_H
#define VIZ_HINTS_H

#include "models/snapshot.h"

/* attach and pool have s->nst entries; pool names point into s. */
void hints_from_snapshot(const snapshot *s, int *attach, const char **pool);

#endif
