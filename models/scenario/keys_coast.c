/* keys_coast: the scenario keys of coastline and remote-island surveillance (the
 * top-level `coast` group), read by spec_coast.c. Which keys apply to which asset type,
 * and the defaults that depend on a drone's model, are checked there. Sources of the
 * figures in the shipped scenario are in scenarios/README.md. */
#include "models/scenario/schema.h"
#include "models/scenario/spec.h"

#define BIG 1e7

extern const schema_key schema_keys_coast[];

#define WEATHER(p, what)                                                                    \
  {.path = p, .type = SK_GROUP, .help = what},                                              \
  {.path = p ".period_h", .type = SK_FLOAT, .min = 0.01, .max = 1e4, .def = "6", .unit = "h", \
   .help = "the weather holds this long, then is drawn again"},                             \
  {.path = p ".wind_mean_ms", .type = SK_ARRAY,                                             \
   .help = "mean wind speed: one value, or 12 (January to December); speeds are Rayleigh "  \
           "distributed"},                                                                  \
  {.path = p ".wind_mean_ms[]", .type = SK_FLOAT, .min = 0, .max = 100, .unit = "m/s",      \
   .help = "a mean wind speed"},                                                            \
  {.path = p ".rain_share", .type = SK_ARRAY,                                               \
   .help = "probability that a period is rainy: one value, or 12 by month"},                \
  {.path = p ".rain_share[]", .type = SK_FLOAT, .min = 0, .max = 1, .unit = "1",            \
   .help = "a probability"}

#define LABEL(p, what)                                                                      \
  {.path = p ".label", .type = SK_GROUP, .help = "display name of the " what " (viewer)"},  \
  {.path = p ".label.en", .type = SK_STRING, .help = "English display name"},               \
  {.path = p ".label.ja", .type = SK_STRING, .help = "Japanese display name"}

#define Z "coast.zones.*"
#define A "coast.assets.*"

const schema_key schema_keys_coast[] = {
    {.path = "coast", .type = SK_GROUP,
     .help = "coastline and remote-island surveillance: zones, landing attempts and the assets "
         "that watch them"},
    WEATHER("coast.weather", "weather of every zone without its own (absent: calm and dry)"),

    {.path = "coast.zones", .type = SK_NAMED, .required = 1,
     .help = "sea areas watched, keyed by name"},
    {.path = Z, .type = SK_GROUP, .help = "one zone"},
    {.path = Z ".area_km2", .type = SK_FLOAT, .min = 1e-6, .max = BIG, .required = 1,
     .unit = "km2", .help = "sea area searched"},
    {.path = Z ".front_km", .type = SK_FLOAT, .min = 1e-6, .max = 1e5, .unit = "km",
     .help = "length of shore that approach tracks spread over, for radars (default: "
         "sqrt(area_km2))"},
    {.path = Z ".attempts", .type = SK_GROUP, .required = 1, .help = "the landing-attempt process"},
    {.path = Z ".attempts.process", .type = SK_STRING, .def = "poisson",
     .choices = "poisson|profile",
     .help = "poisson: a constant rate; profile: Poisson with hour-of-day and month profiles"},
    {.path = Z ".attempts.rate_per_day", .type = SK_FLOAT, .min = 0, .max = 1e6, .required = 1,
     .unit = "1/day", .help = "mean attempts a day (profile: the mean over the hours and months)"},
    {.path = Z ".attempts.hourly", .type = SK_ARRAY,
     .help = "profile: 24 relative rates for hours 0-23 (normalised to mean 1; default flat)"},
    {.path = Z ".attempts.hourly[]", .type = SK_FLOAT, .min = 0, .max = 1e9, .unit = "1",
     .help = "relative rate of an hour"},
    {.path = Z ".attempts.monthly", .type = SK_ARRAY,
     .help = "profile: 12 relative rates, January to December (normalised to mean 1; default "
         "flat)"},
    {.path = Z ".attempts.monthly[]", .type = SK_FLOAT, .min = 0, .max = 1e9, .unit = "1",
     .help = "relative rate of a month"},
    {.path = Z ".exposure", .type = SK_DIST, .required = 1,
     .help = "time an attempt is at sea in the zone, exposed to search, before it lands"},
    WEATHER(Z ".weather", "the zone's own weather (replaces coast.weather)"),
    LABEL(Z, "zone"),
    {.path = Z ".location", .type = SK_GROUP, .help = "where the zone's centre lies (viewer)"},
    {.path = Z ".location.lat_deg", .type = SK_FLOAT, .min = -90, .max = 90, .required = 1,
     .unit = "deg", .help = "latitude, north positive"},
    {.path = Z ".location.lon_deg", .type = SK_FLOAT, .min = -180, .max = 180, .required = 1,
     .unit = "deg", .help = "longitude, east positive"},

    {.path = "coast.assets", .type = SK_NAMED,
     .help = "drones, boats, satellites and radars, keyed by name"},
    {.path = A, .type = SK_GROUP, .help = "one asset (count identical units)"},
    {.path = A ".type", .type = SK_STRING, .required = 1, .choice = spec_coast_type_at,
     .help = "what it is"},
    {.path = A ".zone", .type = SK_STRING, .required = 1, .help = "the zone it watches"},
    {.path = A ".count", .type = SK_INT, .min = 0, .max = 1000, .def = "1",
     .help = "identical units"},
    {.path = A ".model", .type = SK_STRING, .def = "multicopter",
     .choices = "multicopter|fixed_wing",
     .help = "drones: the airframe, which sets the defaults of speed, endurance, recharge and "
         "wind limit"},
    {.path = A ".speed_kmh", .type = SK_FLOAT, .min = 1e-3, .max = 1e4, .unit = "km/h",
     .help = "search and transit speed (drones: default by model; boats: required)"},
    {.path = A ".sweep_width_km", .type = SK_FLOAT, .min = 1e-6, .max = 1e4, .unit = "km",
     .help = "effective sweep width against an attempt's craft (drones, boats: required; at "
         "most the zone's width, sqrt(area_km2))"},
    {.path = A ".endurance_h", .type = SK_FLOAT, .min = 0, .max = 1e4, .unit = "h",
     .help = "time out per sortie, transits included (0: never has to return; drones: default "
         "by model; boats: 0)"},
    {.path = A ".recharge_h", .type = SK_FLOAT, .min = 0, .max = 1e4, .unit = "h",
     .help = "time at base between sorties: battery change or recharge (drones: default by model)"},
    {.path = A ".refuel_h", .type = SK_FLOAT, .min = 0, .max = 1e4, .unit = "h",
     .help = "time at base between sorties: refuelling and crew change (instead of recharge_h)"},
    {.path = A ".wind_limit_ms", .type = SK_FLOAT, .min = 0, .max = 100, .unit = "m/s",
     .help = "grounded above this mean wind (drones: default by model; others: none)"},
    {.path = A ".rain_ok", .type = SK_BOOL,
     .help = "works in rain (default: false for drones, true for boats and radars)"},
    {.path = A ".rain_sweep_factor", .type = SK_FLOAT, .min = 0, .max = 1, .def = "1", .unit = "1",
     .help = "sweep width (radar: range) multiplier in rain, when it works in rain"},
    {.path = A ".sea_state_limit", .type = SK_INT, .min = 0, .max = 9, .def = "9",
     .help = "boats: stay in port above this Douglas sea state"},
    {.path = A ".pool", .type = SK_STRING,
     .help = "staff pool of its pilots or crew (drones, boats); a unit goes out only with its "
         "crew"},
    {.path = A ".crew", .type = SK_FLOAT, .min = 0.01, .max = 100, .def = "1", .unit = "persons",
     .help = "persons of the pool a unit needs while out (drone pilots, boat crew)"},
    {.path = A ".base_km", .type = SK_FLOAT, .min = 0, .max = 1e4, .def = "0", .unit = "km",
     .help = "distance from its base to the zone, covered at its speed going out and back"},
    {.path = A ".patrol", .type = SK_BOOL, .def = "true",
     .help = "boats: search the zone between responses (false: wait at base until a detection)"},
    {.path = A ".launch_h", .type = SK_FLOAT, .min = 0, .max = 100, .def = "0.25", .unit = "h",
     .help = "boats at base: time to get under way"},
    {.path = A ".handle_h", .type = SK_FLOAT, .min = 0, .max = 1e3, .def = "1", .unit = "h",
     .help = "boats: time on scene after an interdiction (boarding, escort)"},
    {.path = A ".revisit_h", .type = SK_FLOAT, .min = 1e-3, .max = 1e5, .unit = "h",
     .help = "satellites: time between passes of one satellite (required)"},
    {.path = A ".first_pass_h", .type = SK_FLOAT, .min = 0, .max = 1e5, .unit = "h",
     .help = "satellites: the first pass (default: a random time within the first revisit)"},
    {.path = A ".pd_pass", .type = SK_FLOAT, .min = 0, .max = 1, .unit = "1",
     .help = "satellites: probability a pass detects an attempt at sea under a clear sky "
         "(required)"},
    {.path = A ".cloud_share", .type = SK_ARRAY,
     .help = "satellites: probability a pass is clouded over: one value, or 12 by month "
         "(default 0)"},
    {.path = A ".cloud_share[]", .type = SK_FLOAT, .min = 0, .max = 1, .unit = "1",
     .help = "a probability"},
    {.path = A ".sar", .type = SK_BOOL, .def = "false",
     .help = "satellites: radar imaging, which sees through cloud"},
    {.path = A ".latency_h", .type = SK_FLOAT, .min = 0, .max = 1e3, .def = "0", .unit = "h",
     .help = "satellites: from the pass to the detection reaching the boats"},
    {.path = A ".law", .type = SK_STRING, .def = "inverse_cube",
     .choices = "definite|inverse_cube",
     .help = "radars: lateral range law (models/kernels/search.h)"},
    {.path = A ".range_km", .type = SK_FLOAT, .min = 1e-6, .max = 1e4, .unit = "km",
     .help = "radars: half the sweep width (the definite law's range; required)"},
    LABEL(A, "asset"),

{.path = NULL},
};
