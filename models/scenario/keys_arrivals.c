/* keys_arrivals: the scenario keys of arrival processes (channels.*.arrivals) and of
 * surge calendars, read by arrivals.c. Sources of default figures are in
 * scenarios/README.md. Checks that need more than one key (profile lengths, size or
 * seats, dates in order) are made by arrivals_spec_read and arrivals_check_surges. */
#include <float.h>

#include "models/arrivals.h"
#include "models/scenario/schema.h"


extern const schema_key schema_keys_arrivals[];

const schema_key schema_keys_arrivals[] = {
    {.path = "channels.*.arrivals", .type = SK_GROUP, .required = 1, .help = "arrival process"},
    {.path = "channels.*.arrivals.process", .type = SK_STRING, .required = 1,
     .choice = arrivals_process_name_at,
     .help = "poisson: a Poisson stream; profile: Poisson with hour-of-day and day-of-week "
         "profiles; schedule: batches at given times (flights, vessels)"},
    {.path = "channels.*.arrivals.rate_per_hour", .type = SK_FLOAT, .min = 1e-9, .max = 1e9,
     .unit = "1/h", .help = "mean arrival rate (poisson, profile: the mean over an ordinary week)"},

    /* profile */
    {.path = "channels.*.arrivals.hourly", .type = SK_ARRAY,
     .help = "profile: 24 relative rates for hours 0-23 (normalised to mean 1; default flat)"},
    {.path = "channels.*.arrivals.hourly[]", .type = SK_FLOAT, .min = 0, .max = 1e9, .unit = "1",
     .help = "relative rate of one hour of the day"},
    {.path = "channels.*.arrivals.weekly", .type = SK_ARRAY,
     .help = "profile: 7 relative rates, Monday to Sunday (normalised to mean 1; default flat)"},
    {.path = "channels.*.arrivals.weekly[]", .type = SK_FLOAT, .min = 0, .max = 1e9, .unit = "1",
     .help = "relative rate of one day of the week"},
    {.path = "channels.*.arrivals.holiday_factor", .type = SK_FLOAT, .min = 0, .max = 1e3,
     .def = "1", .unit = "1",
     .help = "profile: multiplier on Japanese public holidays (national, substitute and "
         "citizens' holidays)"},
    {.path = "channels.*.arrivals.peak_factor", .type = SK_FLOAT, .min = 0, .max = 1e3, .def = "1",
     .unit = "1",
     .help = "profile: multiplier in the peak seasons Dec 29 - Jan 3, Apr 29 - May 5, Aug 13 - 16"},

    /* schedule */
    {.path = "channels.*.arrivals.batches", .type = SK_LIST,
     .help = "scheduled batches (schedule)"},
    {.path = "channels.*.arrivals.batches[]", .type = SK_GROUP,
     .help = "one batch (a flight or vessel): at_h and size, or at_h, seats and load_factor"},
    {.path = "channels.*.arrivals.batches[].at_h", .type = SK_FLOAT, .min = 0, .max = 1e7,
     .required = 1, .unit = "h", .help = "time of the batch from the start (or within the period)"},
    {.path = "channels.*.arrivals.batches[].size", .type = SK_COUNT, .min = 0, .max = 1e7,
     .unit = "items",
     .help = "items in the batch: a number, or drawn afresh for each batch from a count "
         "distribution { dist = \"uniform_int\"; min = 240; max = 350; } (also poisson: mean; "
         "binomial: n, p; negative_binomial: n, p; empirical: values, weights; deterministic: "
         "value)"},
    {.path = "channels.*.arrivals.batches[].seats", .type = SK_INT, .min = 0, .max = 1e7,
     .unit = "items",
     .help = "capacity of the flight or vessel (with load_factor instead of size)"},
    {.path = "channels.*.arrivals.batches[].load_factor", .type = SK_FLOAT, .min = 0, .max = 1,
     .unit = "1",
     .help = "share of seats taken: the batch brings Binomial(seats, load_factor) items"},
    {.path = "channels.*.arrivals.batches[].origin", .type = SK_STRING,
     .help = "origin code of the batch (\"PVG\"), passed to the model as an index in the "
         "channel's origin list"},
    {.path = "channels.*.arrivals.batches[].spread_min", .type = SK_FLOAT, .min = 0, .max = 1e6,
     .def = "0", .unit = "min",
     .help = "items arrive uniformly over this span (default: the arrivals group's spread_min)"},
    {.path = "channels.*.arrivals.batches[].spacing", .type = SK_DIST,
     .help = "instead of spread_min: items come one by one, the first at the batch's time, "
         "with gaps drawn from this distribution (passengers leaving a plane; default: the "
         "arrivals group's spacing)"},
    {.path = "channels.*.arrivals.period_h", .type = SK_FLOAT, .min = 0, .max = 1e6, .def = "0",
     .unit = "h", .help = "repeat the batch list with this period (0: once)"},
    {.path = "channels.*.arrivals.csv", .type = SK_STRING,
     .help = "schedule file, relative to the scenario's directory: a header row, then one row "
         "per batch: time,origin,size or time,origin,seats,load_factor (optional spread_min "
         "column); time in hours from the start or an ISO date-time (rows before run.start are "
         "skipped); a size cell may hold a count distribution group as in batches"},
    {.path = "channels.*.arrivals.spread_min", .type = SK_FLOAT, .min = 0, .max = 1e6, .def = "0",
     .unit = "min",
     .help = "default spread of batches that give none (CSV rows, batches without spread_min)"},
    {.path = "channels.*.arrivals.spacing", .type = SK_DIST,
     .help = "default gaps between the items of batches that give neither spread_min nor "
         "spacing (instead of the group's spread_min)"},

    /* surge calendars */
    {.path = "surges", .type = SK_NAMED,
     .help = "volume multipliers over date ranges (sale events, rebounds), keyed by name; "
         "several multiply"},
    {.path = "surges.*", .type = SK_GROUP, .help = "one surge"},
    {.path = "surges.*.channels", .type = SK_ARRAY,
     .help = "channels it applies to (absent: every channel)"},
    {.path = "surges.*.channels[]", .type = SK_STRING, .help = "a channel name"},
    {.path = "surges.*.from", .type = SK_STRING, .required = 1, .unit = "ISO date",
     .help = "first day (YYYY-MM-DD) or instant (YYYY-MM-DDTHH:MM)"},
    {.path = "surges.*.to", .type = SK_STRING, .required = 1, .unit = "ISO date",
     .help = "last day, inclusive through its end (YYYY-MM-DD), or end instant (YYYY-MM-DDTHH:MM)"},
    {.path = "surges.*.factor", .type = SK_FLOAT, .min = 0, .max = 1e3, .required = 1, .unit = "1",
     .help = "multiplier on the rate of poisson and profile arrivals and on the size of "
         "batches that arrive in the range"},

{.path = NULL},
};
