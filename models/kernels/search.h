/* search: detection from search theory (Koopman; Washburn, "Search and Detection").
 *
 * Mobile searchers (drones, patrol boats) search a zone of area A at random: a searcher
 * with sweep width W moving at speed v covers W v of area per unit time, spread at
 * random over the zone, so a target in the zone is found at the rate W v / A and one
 * exposed for time t is found with probability
 *     P = 1 - exp(-W v t / A)                                  (random search).
 * Several searchers add their rates; a rate that changes over time (sorties, weather)
 * gives P = 1 - exp(-integral of the rate), which the coast model uses by drawing each
 * target's detection threshold E ~ Exp(1) and finding it when the zone's cumulative
 * search effort passes E.
 *
 * Fixed sensors (coastal radar) see a target whose track passes them at lateral range x
 * with the lateral range probability p(x); its integral over x is the sweep width W:
 *   definite range:  p(x) = 1 for |x| <= W / 2, else 0;
 *   inverse cube:    p(x) = 1 - exp(-W^2 / (4 pi x^2))   (a detection rate falling as
 *                    the cube of the range, integrated along a straight track).
 * For tracks spread uniformly over lateral ranges [0, X], the detection probability is
 * the mean of p over that span (search_law_mean, closed forms below).
 *
 * Weather lowers what a searcher can do: above its wind limit, in rain it cannot fly in,
 * or above its sea state a searcher is grounded (factor 0); in rain it can work in, its
 * sweep width is multiplied by its rain factor (search_weather_factor).
 *
 * Pure functions on doubles; nothing here allocates or keeps state. */
#ifndef MODELS_KERNELS_SEARCH_H
#define MODELS_KERNELS_SEARCH_H

/* Random search: probability of detection, and the rate W v / A (per unit of time of v). */
double search_random_pd(double sweep_km, double speed_kmh, double t_h, double area_km2);
double search_random_rate(double sweep_km, double speed_kmh, double area_km2);

/* A lateral range law, found by name like a GSL type: "definite" or "inverse_cube". */
typedef struct search_law {
  const char *name;
  const char *help;
  double (*p)(double x_km, double sweep_km);       /* lateral range curve p(x) */
  double (*mean)(double span_km, double sweep_km); /* mean of p over x in [0, span] */
} search_law;

const search_law *search_law_find(const char *name); /* NULL if unknown */
/* "definite|inverse_cube": the names, for the scenario keys' choices. */
const char *search_law_names(void);
double search_law_p(const search_law *law, double x_km, double sweep_km);
double search_law_mean(const search_law *law, double span_km, double sweep_km);

/* The conditions a searcher meets and the limits it works within. */
typedef struct search_weather {
  double wind_ms;  /* mean wind speed */
  int rain;        /* 1 while it rains */
  int sea_state;   /* Douglas sea state 0..9 */
} search_weather;

typedef struct search_limits {
  double wind_ms;      /* grounded above this wind (INFINITY: no limit) */
  int rain_ok;         /* 0: grounded in rain */
  double rain_factor;  /* sweep width multiplier in rain when it works in rain */
  int sea_state;       /* grounded above this sea state (9: no limit) */
} search_limits;

/* The factor on the sweep width: 0 when grounded, the rain factor in rain, else 1. */
double search_weather_factor(const search_weather *w, const search_limits *l);

/* The Douglas sea state a steady wind raises on open water (from the Beaufort scale's
 * usual correspondence; an assumption, see scenarios/README.md). */
int search_sea_state(double wind_ms);

#endif
