/* coast_keys: the scenario keys of coastline and remote-island surveillance (the
 * top-level `coast` group), read by coast_spec.c. Which keys apply to which asset type,
 * and the defaults that depend on a drone's model, are checked there. Sources of the
 * figures in the shipped scenario are in scenarios/README.md. */
#include "models/schema.h"

#define NOLIM 0, 0
#define BIG 1e7

extern const schema_key schema_keys_coast[];

#define WEATHER(p, what)                                                                    \
  {p, SK_GROUP, NOLIM, NULL, 0, NULL, NULL, what},                                          \
  {p ".period_h", SK_FLOAT, 0.01, 1e4, "6", 0, NULL, "h",                                   \
   "the weather holds this long, then is drawn again"},                                     \
  {p ".wind_mean_ms", SK_ARRAY, NOLIM, NULL, 0, NULL, NULL,                                 \
   "mean wind speed: one value, or 12 (January to December); speeds are Rayleigh "         \
   "distributed"},                                                                          \
  {p ".wind_mean_ms[]", SK_FLOAT, 0, 100, NULL, 0, NULL, "m/s", "a mean wind speed"},       \
  {p ".rain_share", SK_ARRAY, NOLIM, NULL, 0, NULL, NULL,                                   \
   "probability that a period is rainy: one value, or 12 by month"},                        \
  {p ".rain_share[]", SK_FLOAT, 0, 1, NULL, 0, NULL, "1", "a probability"}

#define LABEL(p, what)                                                                      \
  {p ".label", SK_GROUP, NOLIM, NULL, 0, NULL, NULL, "display name of the " what " (viewer)"}, \
  {p ".label.en", SK_STRING, NOLIM, NULL, 0, NULL, NULL, "English display name"},           \
  {p ".label.ja", SK_STRING, NOLIM, NULL, 0, NULL, NULL, "Japanese display name"}

#define Z "coast.zones.*"
#define A "coast.assets.*"

const schema_key schema_keys_coast[] = {
    {"coast", SK_GROUP, NOLIM, NULL, 0, NULL, NULL,
     "coastline and remote-island surveillance: zones, landing attempts and the assets that "
     "watch them"},
    WEATHER("coast.weather", "weather of every zone without its own (absent: calm and dry)"),

    {"coast.zones", SK_NAMED, NOLIM, NULL, 1, NULL, NULL, "sea areas watched, keyed by name"},
    {Z, SK_GROUP, NOLIM, NULL, 0, NULL, NULL, "one zone"},
    {Z ".area_km2", SK_FLOAT, 1e-6, BIG, NULL, 1, NULL, "km2", "sea area searched"},
    {Z ".front_km", SK_FLOAT, 1e-6, 1e5, NULL, 0, NULL, "km",
     "length of shore that approach tracks spread over, for radars (default: sqrt(area_km2))"},
    {Z ".attempts", SK_GROUP, NOLIM, NULL, 1, NULL, NULL, "the landing-attempt process"},
    {Z ".attempts.process", SK_STRING, NOLIM, "poisson", 0, "poisson|profile", NULL,
     "poisson: a constant rate; profile: Poisson with hour-of-day and month profiles"},
    {Z ".attempts.rate_per_day", SK_FLOAT, 0, 1e6, NULL, 1, NULL, "1/day",
     "mean attempts a day (profile: the mean over the hours and months)"},
    {Z ".attempts.hourly", SK_ARRAY, NOLIM, NULL, 0, NULL, NULL,
     "profile: 24 relative rates for hours 0-23 (normalised to mean 1; default flat)"},
    {Z ".attempts.hourly[]", SK_FLOAT, 0, 1e9, NULL, 0, NULL, "1", "relative rate of an hour"},
    {Z ".attempts.monthly", SK_ARRAY, NOLIM, NULL, 0, NULL, NULL,
     "profile: 12 relative rates, January to December (normalised to mean 1; default flat)"},
    {Z ".attempts.monthly[]", SK_FLOAT, 0, 1e9, NULL, 0, NULL, "1", "relative rate of a month"},
    {Z ".exposure", SK_DIST, NOLIM, NULL, 1, NULL, NULL,
     "time an attempt is at sea in the zone, exposed to search, before it lands"},
    WEATHER(Z ".weather", "the zone's own weather (replaces coast.weather)"),
    LABEL(Z, "zone"),
    {Z ".location", SK_GROUP, NOLIM, NULL, 0, NULL, NULL, "where the zone's centre lies (viewer)"},
    {Z ".location.lat_deg", SK_FLOAT, -90, 90, NULL, 1, NULL, "deg", "latitude, north positive"},
    {Z ".location.lon_deg", SK_FLOAT, -180, 180, NULL, 1, NULL, "deg", "longitude, east positive"},

    {"coast.assets", SK_NAMED, NOLIM, NULL, 0, NULL, NULL,
     "drones, boats, satellites and radars, keyed by name"},
    {A, SK_GROUP, NOLIM, NULL, 0, NULL, NULL, "one asset (count identical units)"},
    {A ".type", SK_STRING, NOLIM, NULL, 1, "drone|boat|satellite|radar", NULL, "what it is"},
    {A ".zone", SK_STRING, NOLIM, NULL, 1, NULL, NULL, "the zone it watches"},
    {A ".count", SK_INT, 0, 1000, "1", 0, NULL, NULL, "identical units"},
    {A ".model", SK_STRING, NOLIM, "multicopter", 0, "multicopter|fixed_wing", NULL,
     "drones: the airframe, which sets the defaults of speed, endurance, recharge and wind "
     "limit"},
    {A ".speed_kmh", SK_FLOAT, 1e-3, 1e4, NULL, 0, NULL, "km/h",
     "search and transit speed (drones: default by model; boats: required)"},
    {A ".sweep_width_km", SK_FLOAT, 1e-6, 1e4, NULL, 0, NULL, "km",
     "effective sweep width against an attempt's craft (drones, boats: required; at most the "
     "zone's width, sqrt(area_km2))"},
    {A ".endurance_h", SK_FLOAT, 0, 1e4, NULL, 0, NULL, "h",
     "time out per sortie, transits included (0: never has to return; drones: default by "
     "model; boats: 0)"},
    {A ".recharge_h", SK_FLOAT, 0, 1e4, NULL, 0, NULL, "h",
     "time at base between sorties: battery change or recharge (drones: default by model)"},
    {A ".refuel_h", SK_FLOAT, 0, 1e4, NULL, 0, NULL, "h",
     "time at base between sorties: refuelling and crew change (instead of recharge_h)"},
    {A ".wind_limit_ms", SK_FLOAT, 0, 100, NULL, 0, NULL, "m/s",
     "grounded above this mean wind (drones: default by model; others: none)"},
    {A ".rain_ok", SK_BOOL, NOLIM, NULL, 0, NULL, NULL,
     "works in rain (default: false for drones, true for boats and radars)"},
    {A ".rain_sweep_factor", SK_FLOAT, 0, 1, "1", 0, NULL, "1",
     "sweep width (radar: range) multiplier in rain, when it works in rain"},
    {A ".sea_state_limit", SK_INT, 0, 9, "9", 0, NULL, NULL,
     "boats: stay in port above this Douglas sea state"},
    {A ".pool", SK_STRING, NOLIM, NULL, 0, NULL, NULL,
     "staff pool of its pilots or crew (drones, boats); a unit goes out only with its crew"},
    {A ".crew", SK_FLOAT, 0.01, 100, "1", 0, NULL, "persons",
     "persons of the pool a unit needs while out (drone pilots, boat crew)"},
    {A ".base_km", SK_FLOAT, 0, 1e4, "0", 0, NULL, "km",
     "distance from its base to the zone, covered at its speed going out and back"},
    {A ".patrol", SK_BOOL, NOLIM, "true", 0, NULL, NULL,
     "boats: search the zone between responses (false: wait at base until a detection)"},
    {A ".launch_h", SK_FLOAT, 0, 100, "0.25", 0, NULL, "h", "boats at base: time to get under way"},
    {A ".handle_h", SK_FLOAT, 0, 1e3, "1", 0, NULL, "h",
     "boats: time on scene after an interdiction (boarding, escort)"},
    {A ".revisit_h", SK_FLOAT, 1e-3, 1e5, NULL, 0, NULL, "h",
     "satellites: time between passes of one satellite (required)"},
    {A ".first_pass_h", SK_FLOAT, 0, 1e5, NULL, 0, NULL, "h",
     "satellites: the first pass (default: a random time within the first revisit)"},
    {A ".pd_pass", SK_FLOAT, 0, 1, NULL, 0, NULL, "1",
     "satellites: probability a pass detects an attempt at sea under a clear sky (required)"},
    {A ".cloud_share", SK_ARRAY, NOLIM, NULL, 0, NULL, NULL,
     "satellites: probability a pass is clouded over: one value, or 12 by month (default 0)"},
    {A ".cloud_share[]", SK_FLOAT, 0, 1, NULL, 0, NULL, "1", "a probability"},
    {A ".sar", SK_BOOL, NOLIM, "false", 0, NULL, NULL,
     "satellites: radar imaging, which sees through cloud"},
    {A ".latency_h", SK_FLOAT, 0, 1e3, "0", 0, NULL, "h",
     "satellites: from the pass to the detection reaching the boats"},
    {A ".law", SK_STRING, NOLIM, "inverse_cube", 0, "definite|inverse_cube", NULL,
     "radars: lateral range law (models/kernels/search.h)"},
    {A ".range_km", SK_FLOAT, 1e-6, 1e4, NULL, 0, NULL, "km",
     "radars: half the sweep width (the definite law's range; required)"},
    LABEL(A, "asset"),

    {NULL, SK_INT, NOLIM, NULL, 0, NULL, NULL, NULL},
};
