/* keys_core: the core scenario keys (name, run, output, channels, stations). Units are
 * in the key names; figures behind the defaults are sourced in scenarios/README.md. */
#include <float.h>

#include "models/item.h"
#include "models/scenario/schema.h"

extern const schema_key schema_keys_core[];

#define BIG DBL_MAX

const schema_key schema_keys_core[] = {
    {.path = "name", .type = SK_STRING, .required = 1, .help = "scenario name (results/<name>.h5)"},
    {.path = "description", .type = SK_STRING, .def = "", .help = "free text"},

    {.path = "run", .type = SK_GROUP, .help = "simulated period"},
    {.path = "run.start", .type = SK_STRING, .def = "2024-11-25T00:00", .unit = "ISO date-time",
     .help = "calendar date and time of simulated time zero (fixes weekdays and holidays)"},
    {.path = "run.warmup_days", .type = SK_FLOAT, .min = 0, .max = 3650, .def = "0",
     .unit = "days", .help = "simulated first and excluded from statistics"},
    {.path = "run.days", .type = SK_FLOAT, .min = 1e-6, .max = 3650, .def = "7", .unit = "days",
     .help = "measured horizon after the warm-up (--days overrides)"},
    {.path = "run.max_items", .type = SK_INT, .min = 1000, .max = 1e9, .def = "20000000",
     .unit = "items",
     .help = "most items in one replication's port at once, the initial items included; more "
         "stops the run (exit 1). An item takes about 350 bytes: the default suits 24 GB with "
         "-j 2"},

    {.path = "ports", .type = SK_NAMED,
     .help = "several ports in one scenario: each holds channels, stations, staff and initial "
         "like a single-port scenario; names become PORT.NAME (ports.kix.stations.xray.servers)"},
    {.path = "ports.*", .type = SK_GROUP, .help = "one port"},
    {.path = "output", .type = SK_GROUP, .help = "what the result file holds"},
    {.path = "output.sample_min", .type = SK_FLOAT, .min = 0, .max = 1e6, .def = "15",
     .unit = "min", .help = "time-series sampling interval (0: no series)"},
    {.path = "output.items", .type = SK_BOOL, .def = "false",
     .help = "write the per-item log /items/<channel>"},
    {.path = "output.items_max_mb", .type = SK_INT, .min = 1, .max = 1e7, .def = "4096",
     .unit = "MB",
     .help = "most disk space one replication's item log may take while it runs (spooled to a "
         "temporary file); more stops the run (exit 1)"},
    {.path = "output.target_h", .type = SK_FLOAT, .min = 0, .max = 1e6, .def = "6", .unit = "h",
     .help = "release-time target for the share-within-target KPI"},

    {.path = "channels", .type = SK_NAMED,
     .help = "flows of items, keyed by name (or under ports.NAME)"},
    {.path = "channels.*", .type = SK_GROUP, .help = "one channel"},
    {.path = "channels.*.kind", .type = SK_STRING, .def = "generic",
     .choice = item_kind_name_at, .help = "what flows (the item kind)"},
    {.path = "channels.*.priority", .type = SK_INT, .min = -1000, .max = 1000, .def = "0",
     .help = "priority at stations with queue = \"priority\" (higher first)"},
    {.path = "channels.*.route", .type = SK_ARRAY, .required = 1,
     .help = "stations visited in order"},
    {.path = "channels.*.route[]", .type = SK_STRING, .help = "a station name"},
    {.path = "channels.*.routing", .type = SK_NAMED,
     .help = "branching: for a station, where items go after it (by probability, and by "
         "whether they are selected)"},
    {.path = "channels.*.routing.*", .type = SK_LIST, .help = "branches after this station"},
    {.path = "channels.*.routing.*[]", .type = SK_GROUP, .help = "one branch"},
    {.path = "channels.*.routing.*[].to", .type = SK_STRING, .required = 1,
     .help = "a station name, or \"exit\""},
    {.path = "channels.*.routing.*[].p", .type = SK_FLOAT, .min = 0, .max = 1, .def = "1",
     .unit = "1", .help = "branch probability (the branches an item can take sum to 1)"},
    {.path = "channels.*.routing.*[].when", .type = SK_STRING, .def = "any",
     .choices = "any|selected|not_selected",
     .help = "which items take the branch: any, items selected (by a risk or every-k-th "
         "selection so far), or the others; the p of each group's branches sum to 1, and items "
         "of a group without branches follow the route"},

    {.path = "stations", .type = SK_NAMED,
     .help = "service points, keyed by name (or under ports.NAME)"},
    {.path = "stations.*", .type = SK_GROUP, .help = "one station"},
    {.path = "stations.*.servers", .type = SK_INT, .min = 0, .max = 1e6, .def = "1",
     .help = "parallel servers (0: planned, not equipped)"},
    {.path = "stations.*.service", .type = SK_DIST,
     .help = "service time distribution (default: none, zero time)"},
    {.path = "stations.*.queue", .type = SK_STRING, .def = "fifo", .choices = "fifo|priority",
     .help = "queue discipline"},
    {.path = "stations.*.preemptive", .type = SK_BOOL, .def = "false",
     .help = "a higher priority takes the server of a lower one"},
    {.path = "stations.*.capacity", .type = SK_INT, .min = 1, .max = 1e9, .def = "-1",
     .unit = "items", .help = "most items present (in service + waiting); more are lost"},
    {.path = "stations.*.failures", .type = SK_GROUP, .help = "breakdowns of each server's unit"},
    {.path = "stations.*.failures.time_to_failure", .type = SK_DIST, .required = 1,
     .help = "operating time between failures"},
    {.path = "stations.*.failures.repair", .type = SK_DIST, .required = 1, .help = "repair time"},
    {.path = "stations.*.schedule", .type = SK_GROUP,
     .help = "servers over a repeating period (shifts)"},
    {.path = "stations.*.schedule.period_h", .type = SK_FLOAT, .min = 1e-6, .max = 1e6,
     .def = "24", .unit = "h", .help = "length of the repeating period"},
    {.path = "stations.*.schedule.at_h", .type = SK_ARRAY, .required = 1,
     .help = "times within the period when the count changes"},
    {.path = "stations.*.schedule.at_h[]", .type = SK_FLOAT, .min = 0, .max = 1e6, .unit = "h",
     .help = "a change time"},
    {.path = "stations.*.schedule.servers", .type = SK_ARRAY, .required = 1,
     .help = "servers from each change time on"},
    {.path = "stations.*.schedule.servers[]", .type = SK_INT, .min = 0, .max = 1e6,
     .help = "a server count"},

{.path = NULL},
};

