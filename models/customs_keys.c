/* customs_keys: the scenario keys of the customs model (station types, staff, items,
 * decisions, initial state), read by spec_customs.c. Sources of the default figures
 * are in scenarios/README.md. */
#include <float.h>

#include "models/schema.h"

#define NOLIM 0, 0
#define BIG 1e12

extern const schema_key schema_keys_customs[];

const schema_key schema_keys_customs[] = {
    {"kernels", SK_GROUP, NOLIM, NULL, 0, NULL, NULL, "how detection kernels run"},
    {"kernels.mode", SK_STRING, NOLIM, "full", 0, "full|surrogate", NULL,
     "full: the kernel judges every item; surrogate: sample from a calibration table built at the start"},

    {"staffing", SK_GROUP, NOLIM, NULL, 0, NULL, NULL, "how on-duty staff are spread over stations"},
    {"staffing.allocation", SK_STRING, NOLIM, "priority", 0, "priority|demand", NULL,
     "who gets a free officer when several stations wait: priority: the first in file order; "
     "demand: the one whose first item has waited longest"},

    {"staff", SK_NAMED, NOLIM, NULL, 0, NULL, NULL, "staff pools, keyed by name"},
    {"staff.*", SK_GROUP, NOLIM, NULL, 0, NULL, NULL, "one pool"},
    {"staff.*.size", SK_INT, 0, 1e6, NULL, 1, NULL, "persons", "headcount of the pool"},
    {"staff.*.remote", SK_BOOL, NOLIM, "false", 0, NULL, NULL, "works from elsewhere (telework, smart-glass experts)"},
    {"staff.*.roster", SK_GROUP, NOLIM, NULL, 0, NULL, NULL, "persons on duty over a repeating period (default: all, always)"},
    {"staff.*.roster.period_h", SK_FLOAT, 1e-6, 1e6, "24", 0, NULL, "h", "length of the repeating period"},
    {"staff.*.roster.at_h", SK_ARRAY, NOLIM, NULL, 1, NULL, NULL, "shift change times within the period"},
    {"staff.*.roster.at_h[]", SK_FLOAT, 0, 1e6, NULL, 0, NULL, "h", "a change time"},
    {"staff.*.roster.on_duty", SK_ARRAY, NOLIM, NULL, 1, NULL, NULL, "persons on duty from each change on"},
    {"staff.*.roster.on_duty[]", SK_INT, 0, 1e6, NULL, 0, NULL, "persons", "a head count (at most size)"},

    {"initial", SK_LIST, NOLIM, NULL, 0, NULL, NULL, "items already in the port at time 0 (drills that begin mid-crisis)"},
    {"initial[]", SK_GROUP, NOLIM, NULL, 0, NULL, NULL, "one group of waiting items"},
    {"initial[].station", SK_STRING, NOLIM, NULL, 1, NULL, NULL, "where they wait"},
    {"initial[].channel", SK_STRING, NOLIM, NULL, 1, NULL, NULL, "their channel (the station must be on its route)"},
    {"initial[].items", SK_INT, 0, 1e8, NULL, 1, NULL, "items", "how many"},
    {"initial[].age_h", SK_FLOAT, 0, 1e5, "0", 0, NULL, "h", "how long they have been in the port"},

    {"channels.*.fraud_scale", SK_FLOAT, 0, 1000, "1", 0, NULL, "1", "multiplier on the channel's base rates of fraud and contraband"},
    {"channels.*.aeo_share", SK_FLOAT, 0, 1, NULL, 0, NULL, "1", "share of declarations by AEO traders (default: the generator's)"},
    {"channels.*.advance_share", SK_FLOAT, 0, 1, NULL, 0, NULL, "1", "share with advance data (default: the generator's)"},
    {"channels.*.edocs_share", SK_FLOAT, 0, 1, NULL, 0, NULL, "1", "share with electronic documents (default: the generator's)"},
    {"channels.*.target_h", SK_FLOAT, 0, 1e6, NULL, 0, NULL, "h", "release-time target (default output.target_h)"},
    {"channels.*.wait_target_min", SK_FLOAT, 0, 1e6, "20", 0, NULL, "min", "waiting-time target for passengers"},

    {"stations.*.type", SK_STRING, NOLIM, "queue", 0,
     "queue|delay|counter|egate|risk|documents|dogs|xray|container_xray|ct|nqr|secondary|exam|smartglass|ipr_hold|bonded|payment|release|hull",
     NULL, "what the station does (its service-time model and decision)"},
    {"stations.*.applies_to", SK_STRING, NOLIM, NULL, 0,
     "all|selected|alarmed|suspect|clear|egate|dutiable|ipr|aeo|non_aeo|other_agency|perishable", NULL,
     "which items visit (default by type); the others skip it or go to the fallback"},
    {"stations.*.share", SK_FLOAT, 0, 1, "1", 0, NULL, "1", "share of the applicable items that visit"},
    {"stations.*.fallback", SK_STRING, NOLIM, NULL, 0, NULL, NULL, "station for the items it does not apply to (an E-gate's counter)"},
    {"stations.*.unlimited", SK_BOOL, NOLIM, NULL, 0, NULL, NULL, "every item served at once (default by type)"},
    {"stations.*.stage", SK_INT, 1, 3, NULL, 0, NULL, NULL, "Time Release Study stage: 1 to declaration, 2 to permit, 3 to exit (default by type)"},
    {"stations.*.when_full", SK_STRING, NOLIM, "lose", 0, "lose|block", NULL, "at capacity: turn arrivals away, or hold them upstream"},
    {"stations.*.kernel", SK_STRING, NOLIM, NULL, 0, "none|rates|risk|xray|ct|nqr|hull", NULL, "the decision kernel (default by type)"},
    {"stations.*.kernel_params", SK_PARAMS, NOLIM, NULL, 0, NULL, NULL, "parameters of the kernel (see customs-sim --keys)"},
    {"stations.*.aeo_factor", SK_FLOAT, 0, 100, "1", 0, NULL, "1", "service time multiplier for AEO items"},
    {"stations.*.aeo_priority", SK_INT, -1000, 1000, "0", 0, NULL, NULL, "queue priority of AEO items (a fast lane, with queue = \"priority\")"},
    {"stations.*.electronic_factor", SK_FLOAT, 0, 100, "1", 0, NULL, "1", "service time multiplier when documents arrived as data"},
    {"stations.*.rpa_factor", SK_FLOAT, 0, 100, "1", 0, NULL, "1", "service time multiplier from back-office automation (RPA)"},
    {"stations.*.automation_factor", SK_FLOAT, 0, 100, "1", 0, NULL, "1", "service time multiplier from conveyor automation"},
    {"stations.*.cash_payment", SK_DIST, NOLIM, NULL, 0, NULL, NULL, "added service time when a passenger pays duty in cash"},
    {"stations.*.cashless_payment", SK_DIST, NOLIM, NULL, 0, NULL, NULL, "added service time when a passenger pays by card or phone"},
    {"stations.*.advance_lead_h", SK_FLOAT, 0, 1e5, "0", 0, NULL, "h",
     "items with advance data (pre-arrival filing) have this much of the service done before they arrive"},
    {"stations.*.procedure", SK_STRING, NOLIM, "standard", 0, "standard|simplified", NULL, "IPR certification procedure"},
    {"stations.*.simplified_service", SK_DIST, NOLIM, NULL, 0, NULL, NULL, "service time under the simplified IPR procedure"},
    {"stations.*.units", SK_INT, 0, 1e6, NULL, 0, NULL, NULL, "equipment units (default: servers)"},
    {"stations.*.maintenance", SK_GROUP, NOLIM, NULL, 0, NULL, NULL, "planned maintenance windows"},
    {"stations.*.maintenance.period_h", SK_FLOAT, 1e-3, 1e6, "168", 0, NULL, "h", "time between windows"},
    {"stations.*.maintenance.at_h", SK_FLOAT, 0, 1e6, "0", 0, NULL, "h", "start of the first window"},
    {"stations.*.maintenance.duration_h", SK_FLOAT, 0, 1e6, NULL, 1, NULL, "h", "length of a window"},
    {"stations.*.maintenance.units", SK_INT, 1, 1e6, "1", 0, NULL, NULL, "units out of service in a window"},
    {"stations.*.staff", SK_GROUP, NOLIM, NULL, 0, NULL, NULL, "who works the station"},
    {"stations.*.staff.pool", SK_STRING, NOLIM, NULL, 1, NULL, NULL, "staff pool"},
    {"stations.*.staff.per_server", SK_FLOAT, 0.01, 100, "1", 0, NULL, "persons", "persons a working server needs"},
    {"stations.*.remote", SK_GROUP, NOLIM, NULL, 0, NULL, NULL, "a remote expert each server also needs (smart glasses)"},
    {"stations.*.remote.pool", SK_STRING, NOLIM, NULL, 1, NULL, NULL, "remote staff pool"},
    {"stations.*.remote.per_server", SK_FLOAT, 0.01, 100, "1", 0, NULL, "persons", "remote persons per server"},
    {"stations.*.selection", SK_GROUP, NOLIM, NULL, 0, NULL, NULL,
     "how items are chosen for inspection: by risk score at a risk station, or every k-th at "
     "any station"},
    {"stations.*.selection.policy", SK_STRING, NOLIM, "top", 0,
     "random|top|threshold|capacity|every", NULL,
     "random at the rate; top share by score; score threshold; top share limited by downstream "
     "capacity; every: every (gap + offset)-th item that reaches the station (any station type, "
     "no score)"},
    {"stations.*.selection.gap", SK_COUNT, 0, 1e9, "0", 0, NULL, "items",
     "policy every: items skipped between two selected ones, a number or a count distribution "
     "drawn afresh after each selection ({ dist = \"poisson\"; mean = 7.0; }); the selected "
     "share is 1 / (mean gap + offset)"},
    {"stations.*.selection.offset", SK_INT, 0, 1e9, "1", 0, NULL, "items",
     "policy every: added to each gap (the k-th item after the last selected one, "
     "k = gap + offset; a k below 1 counts as 1)"},
    {"stations.*.selection.rate", SK_FLOAT, 0, 1, "0.05", 0, NULL, "1", "share selected by the policy"},
    {"stations.*.selection.threshold", SK_FLOAT, 0, 1, "0.5", 0, NULL, "1", "score threshold (policy threshold)"},
    {"stations.*.selection.audit_share", SK_FLOAT, 0, 1, "0.005", 0, NULL, "1", "random audit share (exploration: labels for learning)"},
    {"stations.*.selection.aeo_exempt", SK_BOOL, NOLIM, "true", 0, NULL, NULL, "AEO declarations are chosen only by the random audit"},
    {"stations.*.selection.horizon_h", SK_FLOAT, 0.01, 1e4, "4", 0, NULL, "h", "capacity policy: the inspection backlog must clear within this"},
    {"stations.*.dogs", SK_GROUP, NOLIM, NULL, 0, NULL, NULL, "detection-dog work and rest cycle"},
    {"stations.*.dogs.work_min", SK_FLOAT, 1, 1e4, "30", 0, NULL, "min", "continuous search before a rest"},
    {"stations.*.dogs.rest_min", SK_FLOAT, 0, 1e4, "30", 0, NULL, "min", "rest between searches"},
    {"classes", SK_NAMED, NOLIM, NULL, 0, NULL, NULL,
     "classes of items reported per channel in /kpi/classes, keyed by name, besides the "
     "built-in ones (selected, not_selected, inspected, not_inspected, aeo, non_aeo); an item "
     "is in a class when it meets every condition the class gives"},
    {"classes.*", SK_GROUP, NOLIM, NULL, 0, NULL, NULL, "one class: when, visited and/or origin"},
    {"classes.*.when", SK_STRING, NOLIM, NULL, 0,
     "selected|not_selected|inspected|not_inspected|aeo|non_aeo|alarmed|not_alarmed", NULL,
     "a flag of the item (selected by a risk or every-k-th selection, inspected, AEO trader, "
     "alarmed by a detector)"},
    {"classes.*.visited", SK_STRING, NOLIM, NULL, 0, NULL, NULL,
     "the item visited this station (its full name: PORT.STATION in a multi-port scenario)"},
    {"classes.*.origin", SK_STRING, NOLIM, NULL, 0, NULL, NULL,
     "the item came with a batch from this origin (the origin code of schedule batches: "
     "\"PVG\")"},
    {"costs", SK_NAMED, NOLIM, NULL, 0, NULL, NULL, "the optimizer's cost model (customs-sweep --optimize): terms keyed by name"},
    {"costs.*", SK_GROUP, NOLIM, NULL, 0, NULL, NULL, "one cost term: value(path) * price"},
    {"costs.*.path", SK_STRING, NOLIM, NULL, 1, NULL, NULL, "a numeric scenario key (stations.xray.servers, staff.cargo.size)"},
    {"costs.*.price", SK_FLOAT, 0, 1e15, NULL, 1, NULL, "JPY", "cost per unit of the key (a year's officer or equipment cost)"},
    {"targets", SK_NAMED, NOLIM, NULL, 0, NULL, NULL, "the optimizer's targets (customs-sweep --optimize), keyed by name"},
    {"targets.*", SK_GROUP, NOLIM, NULL, 0, NULL, NULL, "one target: a KPI and its bound"},
    {"targets.*.kpi", SK_STRING, NOLIM, NULL, 1, NULL, NULL, "a KPI path (channels.express.release_p95_min, stations.s0.wait_mean_min)"},
    {"targets.*.max", SK_FLOAT, -1e15, 1e15, NULL, 0, NULL, NULL, "the KPI must stay at or below this"},
    {"targets.*.min", SK_FLOAT, -1e15, 1e15, NULL, 0, NULL, NULL, "the KPI must stay at or above this"},
    {NULL, SK_INT, NOLIM, NULL, 0, NULL, NULL, NULL},
};
