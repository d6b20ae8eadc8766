/* station: the table of station types (see station.h). The behaviour that uses it
 * is in port/flow.c. */
#include "models/station.h"

#include <stddef.h>
#include <string.h>

static const station_type_info types[ST_NTYPES] = {
    [ST_QUEUE] = {.name = "queue", .applies = AP_ALL, .stage = 2,
                  .unlimited = 0, .inspects = 0, .kernel = NULL,
                  .help = "generic queue"},
    [ST_DELAY] = {.name = "delay", .applies = AP_ALL, .stage = 1,
                  .unlimited = 1, .inspects = 0, .kernel = NULL,
                  .help = "a waiting time with no servers"},
    [ST_COUNTER] = {.name = "counter", .applies = AP_ALL, .stage = 2,
                    .unlimited = 0, .inspects = 0, .kernel = NULL,
                    .help = "manned passenger counter (duty payment included)"},
    [ST_EGATE] = {.name = "egate", .applies = AP_EGATE, .stage = 2,
                  .unlimited = 0, .inspects = 0, .kernel = NULL,
                  .help = "electronic declaration gate"},
    [ST_RISK] = {.name = "risk", .applies = AP_ALL, .stage = 2,
                 .unlimited = 1, .inspects = 0, .kernel = "risk",
                 .help = "risk screening of every declaration"},
    [ST_DOCUMENTS] = {.name = "documents", .applies = AP_ALL, .stage = 2,
                      .unlimited = 0, .inspects = 0, .kernel = NULL,
                      .help = "document review"},
    [ST_DOGS] = {.name = "dogs", .applies = AP_ALL, .stage = 2,
                 .unlimited = 0, .inspects = 0, .kernel = NULL,
                 .help = "detection-dog teams"},
    [ST_XRAY] = {.name = "xray", .applies = AP_ALL, .stage = 2,
                 .unlimited = 0, .inspects = 0, .kernel = "xray",
                 .help = "conveyor X-ray"},
    [ST_CONTAINER_XRAY] = {.name = "container_xray", .applies = AP_SELECTED, .stage = 2,
                           .unlimited = 0, .inspects = 0, .kernel = "xray",
                           .help = "large container X-ray"},
    [ST_CT] = {.name = "ct", .applies = AP_SUSPECT, .stage = 2,
               .unlimited = 0, .inspects = 0, .kernel = "ct",
               .help = "X-ray CT"},
    [ST_NQR] = {.name = "nqr", .applies = AP_SUSPECT, .stage = 2,
                .unlimited = 0, .inspects = 0, .kernel = "nqr",
                .help = "NQR body scan"},
    [ST_SECONDARY] = {.name = "secondary", .applies = AP_SUSPECT, .stage = 2,
                      .unlimited = 0, .inspects = 1, .kernel = "rates",
                      .help = "secondary inspection"},
    [ST_EXAM] = {.name = "exam", .applies = AP_SUSPECT, .stage = 2,
                 .unlimited = 0, .inspects = 1, .kernel = "rates",
                 .help = "physical examination"},
    [ST_SMARTGLASS] = {.name = "smartglass", .applies = AP_SUSPECT, .stage = 2,
                       .unlimited = 0, .inspects = 1, .kernel = "rates",
                       .help = "inspection with a remote expert"},
    [ST_IPR_HOLD] = {.name = "ipr_hold", .applies = AP_IPR, .stage = 2,
                     .unlimited = 1, .inspects = 0, .kernel = NULL,
                     .help = "IPR certification procedure"},
    [ST_BONDED] = {.name = "bonded", .applies = AP_ALL, .stage = 3,
                   .unlimited = 1, .inspects = 0, .kernel = NULL,
                   .help = "bonded storage"},
    [ST_PAYMENT] = {.name = "payment", .applies = AP_DUTIABLE, .stage = 2,
                    .unlimited = 0, .inspects = 0, .kernel = NULL,
                    .help = "duty payment"},
    [ST_RELEASE] = {.name = "release", .applies = AP_ALL, .stage = 3,
                    .unlimited = 0, .inspects = 0, .kernel = NULL,
                    .help = "release and exit"},
    [ST_HULL] = {.name = "hull", .applies = AP_ALL, .stage = 2,
                 .unlimited = 0, .inspects = 1, .kernel = "hull",
                 .help = "underwater drone search of a vessel's hull (service: search time per "
                         "hull; kernel hull: pd of finding cargo attached below the waterline)"},
};

static const char *const applies[AP_N] = {"all",    "selected", "alarmed",  "suspect",
                                          "clear",  "egate",    "dutiable", "ipr",
                                          "aeo",    "non_aeo",  "other_agency", "perishable"};

const station_type_info *station_type_of(int type) {
  return type >= 0 && type < ST_NTYPES ? &types[type] : &types[ST_QUEUE];
}

int station_type_from_name(const char *name) {
  for (int i = 0; i < ST_NTYPES; i++)
    if (!strcmp(types[i].name, name)) return i;
  return -1;
}

int station_applies_from_name(const char *name) {
  for (int i = 0; i < AP_N; i++)
    if (!strcmp(applies[i], name)) return i;
  return -1;
}

const char *station_applies_name(int a) { return a >= 0 && a < AP_N ? applies[a] : "?"; }

const char *station_type_name_at(int i) { return i >= 0 && i < ST_NTYPES ? types[i].name : NULL; }

const char *station_applies_name_at(int i) { return i >= 0 && i < AP_N ? applies[i] : NULL; }
