/* keys_present: the scenario keys that only change how a run is shown (display names in
 * English and Japanese, where a port lies, a storm's track), read by present.c. They
 * never change a result. */
#include "models/scenario/schema.h"

#define LABEL_HELP " in English and Japanese (the viewer; default: its name or type)"
#define LABEL(prefix, what)                                                                 \
  {.path = prefix "label", .type = SK_GROUP, .help = "display name of the " what LABEL_HELP}, \
  {.path = prefix "label.en", .type = SK_STRING, .help = "English display name (with ja)"},   \
  {.path = prefix "label.ja", .type = SK_STRING, .help = "Japanese display name (with en)"}
#define LOCATION(prefix, what)                                                              \
  {.path = prefix "location", .type = SK_GROUP, .help = "where the " what " lies (map view)"}, \
  {.path = prefix "location.lat_deg", .type = SK_FLOAT, .min = -90, .max = 90, .unit = "deg", \
   .help = "latitude, north positive"},                                                     \
  {.path = prefix "location.lon_deg", .type = SK_FLOAT, .min = -180, .max = 180, .unit = "deg", \
   .help = "longitude, east positive"}

extern const schema_key schema_keys_present[];

const schema_key schema_keys_present[] = {
    LABEL("", "port (single-port scenario) or of the whole scenario"),
    LOCATION("", "port of a single-port scenario"),
    LABEL("ports.*.", "port"),
    LOCATION("ports.*.", "port"),
    LABEL("channels.*.", "channel"),
    LABEL("stations.*.", "station"),
    LABEL("staff.*.", "staff pool"),
    LABEL("disruptions.*.", "disruption"),
    LABEL("responses.*.", "response"),
    {.path = "disruptions.*.track", .type = SK_LIST,
     .help = "a storm's track for the map view: positions and radius over time"},
    {.path = "disruptions.*.track[]", .type = SK_GROUP, .help = "one position"},
    {.path = "disruptions.*.track[].after_h", .type = SK_FLOAT, .min = -1e4, .max = 1e6,
     .unit = "h", .help = "time from the disruption's start (negative: before it); increasing"},
    {.path = "disruptions.*.track[].lat_deg", .type = SK_FLOAT, .min = -90, .max = 90,
     .unit = "deg", .help = "latitude of the centre"},
    {.path = "disruptions.*.track[].lon_deg", .type = SK_FLOAT, .min = -180, .max = 180,
     .unit = "deg", .help = "longitude of the centre"},
    {.path = "disruptions.*.track[].radius_km", .type = SK_FLOAT, .min = 0, .max = 5000,
     .def = "0", .unit = "km", .help = "radius of storm-force winds"},
{.path = NULL},
};
