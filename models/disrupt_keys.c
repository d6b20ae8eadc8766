/* disrupt_keys: the scenario keys of disruptions and responses, read by
 * disrupt_spec.c. Public reference cases are in scenarios/drills/README.md. */
#include <float.h>

#include "models/schema.h"

#define NOLIM 0, 0

extern const schema_key schema_keys_disrupt[];

const schema_key schema_keys_disrupt[] = {
    {"disruptions", SK_NAMED, NOLIM, NULL, 0, NULL, NULL, "disruption timelines, keyed by name"},
    {"disruptions.*", SK_GROUP, NOLIM, NULL, 0, NULL, NULL, "one disruption"},
    {"disruptions.*.kind", SK_STRING, NOLIM, NULL, 1,
     "closure|partial|power|outage|staff_shortage|access_cut|earthquake|typhoon", NULL, "what happens"},
    {"disruptions.*.start", SK_STRING, NOLIM, NULL, 0, NULL, "ISO date-time", "when it begins (or start_h)"},
    {"disruptions.*.start_h", SK_FLOAT, 0, 1e6, NULL, 0, NULL, "h", "when it begins, hours from the run start"},
    {"disruptions.*.duration_h", SK_FLOAT, 1e-6, 1e6, NULL, 1, NULL, "h", "until the port is back to full capacity"},
    {"disruptions.*.level", SK_FLOAT, 0, 1, "0", 0, NULL, "1",
     "share of normal capacity (arrivals, servers, staff) left at the start"},
    {"disruptions.*.recovery", SK_LIST, NOLIM, NULL, 0, NULL, NULL, "capacity coming back in steps"},
    {"disruptions.*.recovery[]", SK_GROUP, NOLIM, NULL, 0, NULL, NULL, "one step"},
    {"disruptions.*.recovery[].after_h", SK_FLOAT, 0, 1e6, NULL, 1, NULL, "h", "from the start"},
    {"disruptions.*.recovery[].level", SK_FLOAT, 0, 1, NULL, 1, NULL, "1", "share of normal capacity from then on"},
    {"disruptions.*.targets", SK_ARRAY, NOLIM, NULL, 0, NULL, NULL,
     "ports, channels, stations or staff pools it acts on (absent: all of the kind's)"},
    {"disruptions.*.targets[]", SK_STRING, NOLIM, NULL, 0, NULL, NULL, "a name"},
    {"disruptions.*.arrivals", SK_STRING, NOLIM, "hold", 0, "hold|cancel|divert", NULL,
     "closures: what happens to what would have arrived"},
    {"disruptions.*.divert_to", SK_ARRAY, NOLIM, NULL, 0, NULL, NULL, "ports that take diverted arrivals"},
    {"disruptions.*.divert_to[]", SK_STRING, NOLIM, NULL, 0, NULL, NULL, "a port name"},
    {"disruptions.*.divert_share", SK_FLOAT, 0, 1, "1", 0, NULL, "1", "share diverted (the rest is held)"},
    {"disruptions.*.divert_delay_h", SK_FLOAT, 0, 1e4, "6", 0, NULL, "h", "transfer time to the other port"},
    {"disruptions.*.release_spread_h", SK_FLOAT, 0, 1e4, "12", 0, NULL, "h", "held arrivals come in over this span after reopening"},
    {"disruptions.*.lead_h", SK_FLOAT, 0, 1e4, "0", 0, NULL, "h", "typhoon: forecast lead before the closure"},
    {"disruptions.*.pull_forward", SK_FLOAT, 0, 1, "0", 0, NULL, "1", "typhoon: share of the closure's arrivals brought forward"},
    {"disruptions.*.damage", SK_ARRAY, NOLIM, NULL, 0, NULL, NULL, "earthquake: stations whose equipment breaks"},
    {"disruptions.*.damage[]", SK_STRING, NOLIM, NULL, 0, NULL, NULL, "a station name"},
    {"disruptions.*.repair", SK_DIST, NOLIM, NULL, 0, NULL, NULL, "earthquake: repair time of each damaged unit"},
    {"disruptions.*.rto_h", SK_FLOAT, 0, 1e6, NULL, 0, NULL, "h", "recovery time objective of the functions it hits"},
    {"disruptions.*.mtpd_h", SK_FLOAT, 0, 1e6, NULL, 0, NULL, "h", "maximum tolerable period of disruption"},
    {"disruptions.*.mbco", SK_FLOAT, 0, 1, NULL, 0, NULL, "1", "minimum service level during the disruption (share of normal throughput)"},

    {"responses", SK_NAMED, NOLIM, NULL, 0, NULL, NULL, "the business continuity plan: actions and their triggers"},
    {"responses.*", SK_GROUP, NOLIM, NULL, 0, NULL, NULL, "one action"},
    {"responses.*.action", SK_STRING, NOLIM, NULL, 1, "overtime|redeploy|telework|lower_inspection|prioritise", NULL, "what is done"},
    {"responses.*.on", SK_STRING, NOLIM, NULL, 0, NULL, NULL, "trigger: the disruption whose start sets it off"},
    {"responses.*.backlog_channel", SK_STRING, NOLIM, NULL, 0, NULL, NULL, "trigger: a channel whose backlog sets it off"},
    {"responses.*.backlog_above", SK_FLOAT, 0, 1e9, "1000", 0, NULL, "items", "trigger: items above normal in that channel"},
    {"responses.*.after_h", SK_FLOAT, 0, 1e5, "0", 0, NULL, "h", "delay from the trigger"},
    {"responses.*.duration_h", SK_FLOAT, 1e-6, 1e6, NULL, 1, NULL, "h", "how long it lasts"},
    {"responses.*.pool", SK_STRING, NOLIM, NULL, 0, NULL, NULL, "pool that gains persons (overtime, redeploy, telework)"},
    {"responses.*.from", SK_STRING, NOLIM, NULL, 0, NULL, NULL, "redeploy: pool that lends them"},
    {"responses.*.persons", SK_INT, 0, 1e6, "0", 0, NULL, "persons", "how many"},
    {"responses.*.station", SK_STRING, NOLIM, NULL, 0, NULL, NULL, "lower_inspection: the risk station; prioritise: the station"},
    {"responses.*.factor", SK_FLOAT, 0, 1, "0.5", 0, NULL, "1", "lower_inspection: share of selections kept"},
    {"responses.*.priority", SK_INT, 0, 1000, "10", 0, NULL, NULL, "prioritise: queue priority of perishables"},
    {"stations.*.manual_factor", SK_FLOAT, 0, 1000, "0", 0, NULL, "1",
     "service-time multiplier when power or the customs system is out (0: the station stops)"},
    {NULL, SK_INT, NOLIM, NULL, 0, NULL, NULL, NULL},
};
