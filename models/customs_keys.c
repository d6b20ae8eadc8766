/* customs_keys: the scenario keys of the customs model (station types, staff, items,
 * decisions, initial state), read by spec.c. Sources are in scenarios/README.md. */
#include <float.h>

#include "models/schema.h"

#define NOLIM 0, 0

extern const schema_key schema_keys_customs[];

const schema_key schema_keys_customs[] = {
    {NULL, SK_INT, NOLIM, NULL, 0, NULL, NULL, NULL},
};
