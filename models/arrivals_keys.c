/* arrivals_keys: the scenario keys of arrival processes (channels.*.arrivals) and of
 * surge calendars, read by arrivals.c. Sources of default figures are in
 * scenarios/README.md. Checks that need more than one key (profile lengths, size or
 * seats, dates in order) are made by arrivals_spec_read and arrivals_check_surges. */
#include <float.h>

#include "models/schema.h"

#define NOLIM 0, 0

extern const schema_key schema_keys_arrivals[];

const schema_key schema_keys_arrivals[] = {
    {"channels.*.arrivals", SK_GROUP, NOLIM, NULL, 1, NULL, NULL, "arrival process"},
    {"channels.*.arrivals.process", SK_STRING, NOLIM, NULL, 1, "poisson|profile|schedule", NULL,
     "poisson: a Poisson stream; profile: Poisson with hour-of-day and day-of-week profiles; "
     "schedule: batches at given times (flights, vessels)"},
    {"channels.*.arrivals.rate_per_hour", SK_FLOAT, 1e-9, 1e9, NULL, 0, NULL, "1/h",
     "mean arrival rate (poisson, profile: the mean over an ordinary week)"},

    /* profile */
    {"channels.*.arrivals.hourly", SK_ARRAY, NOLIM, NULL, 0, NULL, NULL,
     "profile: 24 relative rates for hours 0-23 (normalised to mean 1; default flat)"},
    {"channels.*.arrivals.hourly[]", SK_FLOAT, 0, 1e9, NULL, 0, NULL, "1", "relative rate of one hour of the day"},
    {"channels.*.arrivals.weekly", SK_ARRAY, NOLIM, NULL, 0, NULL, NULL,
     "profile: 7 relative rates, Monday to Sunday (normalised to mean 1; default flat)"},
    {"channels.*.arrivals.weekly[]", SK_FLOAT, 0, 1e9, NULL, 0, NULL, "1", "relative rate of one day of the week"},
    {"channels.*.arrivals.holiday_factor", SK_FLOAT, 0, 1e3, "1", 0, NULL, "1",
     "profile: multiplier on Japanese public holidays (national, substitute and citizens' holidays)"},
    {"channels.*.arrivals.peak_factor", SK_FLOAT, 0, 1e3, "1", 0, NULL, "1",
     "profile: multiplier in the peak seasons Dec 29 - Jan 3, Apr 29 - May 5, Aug 13 - 16"},

    /* schedule */
    {"channels.*.arrivals.batches", SK_LIST, NOLIM, NULL, 0, NULL, NULL, "scheduled batches (schedule)"},
    {"channels.*.arrivals.batches[]", SK_GROUP, NOLIM, NULL, 0, NULL, NULL,
     "one batch (a flight or vessel): at_h and size, or at_h, seats and load_factor"},
    {"channels.*.arrivals.batches[].at_h", SK_FLOAT, 0, 1e7, NULL, 1, NULL, "h", "time of the batch from the start (or within the period)"},
    {"channels.*.arrivals.batches[].size", SK_COUNT, 0, 1e7, NULL, 0, NULL, "items",
     "items in the batch: a number, or drawn afresh for each batch from a count distribution "
     "{ dist = \"uniform_int\"; min = 240; max = 350; } (also poisson: mean; binomial: n, p; "
     "negative_binomial: n, p; empirical: values, weights; deterministic: value)"},
    {"channels.*.arrivals.batches[].seats", SK_INT, 0, 1e7, NULL, 0, NULL, "items",
     "capacity of the flight or vessel (with load_factor instead of size)"},
    {"channels.*.arrivals.batches[].load_factor", SK_FLOAT, 0, 1, NULL, 0, NULL, "1",
     "share of seats taken: the batch brings Binomial(seats, load_factor) items"},
    {"channels.*.arrivals.batches[].origin", SK_STRING, NOLIM, NULL, 0, NULL, NULL,
     "origin code of the batch (\"PVG\"), passed to the model as an index in the channel's origin list"},
    {"channels.*.arrivals.batches[].spread_min", SK_FLOAT, 0, 1e6, "0", 0, NULL, "min",
     "items arrive uniformly over this span (default: the arrivals group's spread_min)"},
    {"channels.*.arrivals.batches[].spacing", SK_DIST, NOLIM, NULL, 0, NULL, NULL,
     "instead of spread_min: items come one by one, the first at the batch's time, with gaps drawn "
     "from this distribution (passengers leaving a plane; default: the arrivals group's spacing)"},
    {"channels.*.arrivals.period_h", SK_FLOAT, 0, 1e6, "0", 0, NULL, "h", "repeat the batch list with this period (0: once)"},
    {"channels.*.arrivals.csv", SK_STRING, NOLIM, NULL, 0, NULL, NULL,
     "schedule file, relative to the scenario's directory: a header row, then one row per "
     "batch: time,origin,size or time,origin,seats,load_factor (optional spread_min column); "
     "time in hours from the start or an ISO date-time (rows before run.start are skipped); "
     "a size cell may hold a count distribution group as in batches"},
    {"channels.*.arrivals.spread_min", SK_FLOAT, 0, 1e6, "0", 0, NULL, "min",
     "default spread of batches that give none (CSV rows, batches without spread_min)"},
    {"channels.*.arrivals.spacing", SK_DIST, NOLIM, NULL, 0, NULL, NULL,
     "default gaps between the items of batches that give neither spread_min nor spacing "
     "(instead of the group's spread_min)"},

    /* surge calendars */
    {"surges", SK_NAMED, NOLIM, NULL, 0, NULL, NULL,
     "volume multipliers over date ranges (sale events, rebounds), keyed by name; several multiply"},
    {"surges.*", SK_GROUP, NOLIM, NULL, 0, NULL, NULL, "one surge"},
    {"surges.*.channels", SK_ARRAY, NOLIM, NULL, 0, NULL, NULL, "channels it applies to (absent: every channel)"},
    {"surges.*.channels[]", SK_STRING, NOLIM, NULL, 0, NULL, NULL, "a channel name"},
    {"surges.*.from", SK_STRING, NOLIM, NULL, 1, NULL, "ISO date", "first day (YYYY-MM-DD) or instant (YYYY-MM-DDTHH:MM)"},
    {"surges.*.to", SK_STRING, NOLIM, NULL, 1, NULL, "ISO date",
     "last day, inclusive through its end (YYYY-MM-DD), or end instant (YYYY-MM-DDTHH:MM)"},
    {"surges.*.factor", SK_FLOAT, 0, 1e3, NULL, 1, NULL, "1",
     "multiplier on the rate of poisson and profile arrivals and on the size of batches that arrive in the range"},

    {NULL, SK_INT, NOLIM, NULL, 0, NULL, NULL, NULL},
};
