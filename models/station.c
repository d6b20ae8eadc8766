/* station: the table of station types (see station.h). The behaviour that uses it
 * is in port/flow.c. */
#include "models/station.h"

#include <string.h>

static const station_type_info types[ST_NTYPES] = {
    [ST_QUEUE] = {"queue", AP_ALL, 2, 0, 0, NULL, "generic queue"},
    [ST_DELAY] = {"delay", AP_ALL, 1, 1, 0, NULL, "a waiting time with no servers"},
    [ST_COUNTER] = {"counter", AP_ALL, 2, 0, 0, NULL, "manned passenger counter (duty payment included)"},
    [ST_EGATE] = {"egate", AP_EGATE, 2, 0, 0, NULL, "electronic declaration gate"},
    [ST_RISK] = {"risk", AP_ALL, 2, 1, 0, "risk", "risk screening of every declaration"},
    [ST_DOCUMENTS] = {"documents", AP_ALL, 2, 0, 0, NULL, "document review"},
    [ST_DOGS] = {"dogs", AP_ALL, 2, 0, 0, NULL, "detection-dog teams"},
    [ST_XRAY] = {"xray", AP_ALL, 2, 0, 0, "xray", "conveyor X-ray"},
    [ST_CONTAINER_XRAY] = {"container_xray", AP_SELECTED, 2, 0, 0, "xray", "large container X-ray"},
    [ST_CT] = {"ct", AP_SUSPECT, 2, 0, 0, "ct", "X-ray CT"},
    [ST_NQR] = {"nqr", AP_SUSPECT, 2, 0, 0, "nqr", "NQR body scan"},
    [ST_SECONDARY] = {"secondary", AP_SUSPECT, 2, 0, 1, "rates", "secondary inspection"},
    [ST_EXAM] = {"exam", AP_SUSPECT, 2, 0, 1, "rates", "physical examination"},
    [ST_SMARTGLASS] = {"smartglass", AP_SUSPECT, 2, 0, 1, "rates", "inspection with a remote expert"},
    [ST_IPR_HOLD] = {"ipr_hold", AP_IPR, 2, 1, 0, NULL, "IPR certification procedure"},
    [ST_BONDED] = {"bonded", AP_ALL, 3, 1, 0, NULL, "bonded storage"},
    [ST_PAYMENT] = {"payment", AP_DUTIABLE, 2, 0, 0, NULL, "duty payment"},
    [ST_RELEASE] = {"release", AP_ALL, 3, 0, 0, NULL, "release and exit"},
    [ST_HULL] = {"hull", AP_ALL, 2, 0, 1, "hull",
                 "underwater drone search of a vessel's hull (service: search time per hull; "
                 "kernel hull: pd of finding cargo attached below the waterline)"},
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
