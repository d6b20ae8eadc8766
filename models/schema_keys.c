/* schema_keys: the table of every scenario key. Units are in the key names;
 * figures behind the defaults are sourced in scenarios/README.md. */
#include "models/schema.h"

#include <float.h>

extern const schema_key schema_keys_core[];

#define BIG DBL_MAX
#define NOLIM 0, 0

const schema_key schema_keys_core[] = {
    {"name", SK_STRING, NOLIM, NULL, 1, NULL, NULL, "scenario name (results/<name>.h5)"},
    {"description", SK_STRING, NOLIM, "", 0, NULL, NULL, "free text"},

    {"run", SK_GROUP, NOLIM, NULL, 0, NULL, NULL, "simulated period"},
    {"run.start", SK_STRING, NOLIM, "2024-11-25T00:00", 0, NULL, "ISO date-time",
     "calendar date and time of simulated time zero (fixes weekdays and holidays)"},
    {"run.warmup_days", SK_FLOAT, 0, 3650, "0", 0, NULL, "days", "simulated first and excluded from statistics"},
    {"run.days", SK_FLOAT, 1e-6, 3650, "7", 0, NULL, "days", "measured horizon after the warm-up (--days overrides)"},
    {"run.max_items", SK_INT, 1000, 1e9, "20000000", 0, NULL, "items",
     "most items in one replication's port at once, the initial items included; more stops the run "
     "(exit 1). An item takes about 350 bytes: the default suits 24 GB with -j 2"},

    {"ports", SK_NAMED, NOLIM, NULL, 0, NULL, NULL,
     "several ports in one scenario: each holds channels, stations, staff and initial like a single-port scenario; "
     "names become PORT.NAME (ports.kix.stations.xray.servers)"},
    {"ports.*", SK_GROUP, NOLIM, NULL, 0, NULL, NULL, "one port"},
    {"output", SK_GROUP, NOLIM, NULL, 0, NULL, NULL, "what the result file holds"},
    {"output.sample_min", SK_FLOAT, 0, 1e6, "15", 0, NULL, "min", "time-series sampling interval (0: no series)"},
    {"output.items", SK_BOOL, NOLIM, "false", 0, NULL, NULL, "write the per-item log /items/<channel>"},
    {"output.items_max_mb", SK_INT, 1, 1e7, "4096", 0, NULL, "MB",
     "most disk space one replication's item log may take while it runs (spooled to a temporary "
     "file); more stops the run (exit 1)"},
    {"output.target_h", SK_FLOAT, 0, 1e6, "6", 0, NULL, "h", "release-time target for the share-within-target KPI"},

    {"channels", SK_NAMED, NOLIM, NULL, 0, NULL, NULL, "flows of items, keyed by name (or under ports.NAME)"},
    {"channels.*", SK_GROUP, NOLIM, NULL, 0, NULL, NULL, "one channel"},
    {"channels.*.kind", SK_STRING, NOLIM, "generic", 0,
     "generic|passengers_in|passengers_out|express|mail|air_cargo|sea_containers|exports", NULL,
     "what flows (the item kind)"},
    {"channels.*.priority", SK_INT, -1000, 1000, "0", 0, NULL, NULL, "priority at stations with queue = \"priority\" (higher first)"},
    {"channels.*.route", SK_ARRAY, NOLIM, NULL, 1, NULL, NULL, "stations visited in order"},
    {"channels.*.route[]", SK_STRING, NOLIM, NULL, 0, NULL, NULL, "a station name"},
    {"channels.*.routing", SK_NAMED, NOLIM, NULL, 0, NULL, NULL,
     "branching: for a station, where items go after it (by probability, and by whether they "
     "are selected)"},
    {"channels.*.routing.*", SK_LIST, NOLIM, NULL, 0, NULL, NULL, "branches after this station"},
    {"channels.*.routing.*[]", SK_GROUP, NOLIM, NULL, 0, NULL, NULL, "one branch"},
    {"channels.*.routing.*[].to", SK_STRING, NOLIM, NULL, 1, NULL, NULL, "a station name, or \"exit\""},
    {"channels.*.routing.*[].p", SK_FLOAT, 0, 1, "1", 0, NULL, "1",
     "branch probability (the branches an item can take sum to 1)"},
    {"channels.*.routing.*[].when", SK_STRING, NOLIM, "any", 0, "any|selected|not_selected", NULL,
     "which items take the branch: any, items selected (by a risk or every-k-th selection so "
     "far), or the others; the p of each group's branches sum to 1, and items of a group "
     "without branches follow the route"},

    {"stations", SK_NAMED, NOLIM, NULL, 0, NULL, NULL, "service points, keyed by name (or under ports.NAME)"},
    {"stations.*", SK_GROUP, NOLIM, NULL, 0, NULL, NULL, "one station"},
    {"stations.*.servers", SK_INT, 0, 1e6, "1", 0, NULL, NULL, "parallel servers (0: planned, not equipped)"},
    {"stations.*.service", SK_DIST, NOLIM, NULL, 0, NULL, NULL, "service time distribution (default: none, zero time)"},
    {"stations.*.queue", SK_STRING, NOLIM, "fifo", 0, "fifo|priority", NULL, "queue discipline"},
    {"stations.*.preemptive", SK_BOOL, NOLIM, "false", 0, NULL, NULL, "a higher priority takes the server of a lower one"},
    {"stations.*.capacity", SK_INT, 1, 1e9, "-1", 0, NULL, "items", "most items present (in service + waiting); more are lost"},
    {"stations.*.failures", SK_GROUP, NOLIM, NULL, 0, NULL, NULL, "breakdowns of each server's unit"},
    {"stations.*.failures.time_to_failure", SK_DIST, NOLIM, NULL, 1, NULL, NULL, "operating time between failures"},
    {"stations.*.failures.repair", SK_DIST, NOLIM, NULL, 1, NULL, NULL, "repair time"},
    {"stations.*.schedule", SK_GROUP, NOLIM, NULL, 0, NULL, NULL, "servers over a repeating period (shifts)"},
    {"stations.*.schedule.period_h", SK_FLOAT, 1e-6, 1e6, "24", 0, NULL, "h", "length of the repeating period"},
    {"stations.*.schedule.at_h", SK_ARRAY, NOLIM, NULL, 1, NULL, NULL, "times within the period when the count changes"},
    {"stations.*.schedule.at_h[]", SK_FLOAT, 0, 1e6, NULL, 0, NULL, "h", "a change time"},
    {"stations.*.schedule.servers", SK_ARRAY, NOLIM, NULL, 1, NULL, NULL, "servers from each change time on"},
    {"stations.*.schedule.servers[]", SK_INT, 0, 1e6, NULL, 0, NULL, NULL, "a server count"},

    {NULL, SK_INT, NOLIM, NULL, 0, NULL, NULL, NULL},
};

