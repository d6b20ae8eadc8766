/* arrivals_keys: the scenario keys of arrival processes (channels.*.arrivals) and of
 * surge calendars, read by arrivals.c. Sources of default figures are in
 * scenarios/README.md. */
#include <float.h>

#include "models/schema.h"

#define NOLIM 0, 0

extern const schema_key schema_keys_arrivals[];

const schema_key schema_keys_arrivals[] = {
    {"channels.*.arrivals", SK_GROUP, NOLIM, NULL, 1, NULL, NULL, "arrival process"},
    {"channels.*.arrivals.process", SK_STRING, NOLIM, NULL, 1, "poisson|schedule", NULL,
     "poisson: a Poisson stream; schedule: batches at given times"},
    {"channels.*.arrivals.rate_per_hour", SK_FLOAT, 1e-9, 1e9, NULL, 0, NULL, "1/h", "mean arrival rate (poisson)"},
    {"channels.*.arrivals.batches", SK_LIST, NOLIM, NULL, 0, NULL, NULL, "scheduled batches (schedule)"},
    {"channels.*.arrivals.batches[]", SK_GROUP, NOLIM, NULL, 0, NULL, NULL, "one batch"},
    {"channels.*.arrivals.batches[].at_h", SK_FLOAT, 0, 1e7, NULL, 1, NULL, "h", "time of the batch from the start (or within the period)"},
    {"channels.*.arrivals.batches[].size", SK_INT, 1, 1e7, NULL, 1, NULL, "items", "items in the batch"},
    {"channels.*.arrivals.batches[].spread_min", SK_FLOAT, 0, 1e6, "0", 0, NULL, "min", "items arrive uniformly over this span"},
    {"channels.*.arrivals.period_h", SK_FLOAT, 0, 1e6, "0", 0, NULL, "h", "repeat the batch list with this period (0: once)"},


    {NULL, SK_INT, NOLIM, NULL, 0, NULL, NULL, NULL},
};
