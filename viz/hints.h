/* hints: what the layout may learn from a spec beyond the snapshot: where a station on
 * no route belongs (the station that falls back to it, e.g. a counter behind e-gates)
 * and which staff pool each station draws on. */
#ifndef VIZ_HINTS_H
#define VIZ_HINTS_H

#include "models/spec.h"

/* attach and pool have sp->nst entries; pool names point into sp. */
void hints_from_spec(const spec *sp, int *attach, const char **pool);

#endif
