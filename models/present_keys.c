/* present_keys: the scenario keys that only change how a run is shown (display names in
 * English and Japanese, where a port lies, a storm's track), read by present.c. They
 * never change a result. */
#include "models/schema.h"

#define NOLIM 0, 0
#define LABEL_HELP " in English and Japanese (the viewer; default: its name or type)"
#define LABEL(prefix, what)                                                                     \
  {prefix "label", SK_GROUP, NOLIM, NULL, 0, NULL, NULL, "display name of the " what LABEL_HELP}, \
      {prefix "label.en", SK_STRING, NOLIM, NULL, 0, NULL, NULL, "English display name (with ja)"}, \
      {prefix "label.ja", SK_STRING, NOLIM, NULL, 0, NULL, NULL, "Japanese display name (with en)"}
#define LOCATION(prefix, what)                                                                   \
  {prefix "location", SK_GROUP, NOLIM, NULL, 0, NULL, NULL, "where the " what " lies (map view)"}, \
      {prefix "location.lat_deg", SK_FLOAT, -90, 90, NULL, 0, NULL, "deg", "latitude, north positive"}, \
      {prefix "location.lon_deg", SK_FLOAT, -180, 180, NULL, 0, NULL, "deg", "longitude, east positive"}

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
    {"disruptions.*.track", SK_LIST, NOLIM, NULL, 0, NULL, NULL,
     "a storm's track for the map view: positions and radius over time"},
    {"disruptions.*.track[]", SK_GROUP, NOLIM, NULL, 0, NULL, NULL, "one position"},
    {"disruptions.*.track[].after_h", SK_FLOAT, -1e4, 1e6, NULL, 0, NULL, "h",
     "time from the disruption's start (negative: before it); increasing"},
    {"disruptions.*.track[].lat_deg", SK_FLOAT, -90, 90, NULL, 0, NULL, "deg", "latitude of the centre"},
    {"disruptions.*.track[].lon_deg", SK_FLOAT, -180, 180, NULL, 0, NULL, "deg", "longitude of the centre"},
    {"disruptions.*.track[].radius_km", SK_FLOAT, 0, 5000, "0", 0, NULL, "km", "radius of storm-force winds"},
    {NULL, SK_INT, NOLIM, NULL, 0, NULL, NULL, NULL},
};
