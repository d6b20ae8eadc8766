/* search: random search, lateral range laws and weather limits (see search.h). */
#include "models/kernels/search.h"

#include <math.h>
#include <string.h>

double search_random_rate(double sweep_km, double speed_kmh, double area_km2) {
  return area_km2 > 0 ? sweep_km * speed_kmh / area_km2 : 0;
}

double search_random_pd(double sweep_km, double speed_kmh, double t_h, double area_km2) {
  return -expm1(-search_random_rate(sweep_km, speed_kmh, area_km2) * t_h);
}

/* ---- lateral range laws ---- */

static double definite_p(double x, double w) { return fabs(x) <= w / 2 ? 1 : 0; }

static double definite_mean(double span, double w) {
  if (!(span > 0)) return definite_p(0, w);
  return fmin(w / 2, span) / span;
}

/* p(x) = 1 - exp(-a / x^2) with a = W^2 / (4 pi), so that its integral over the line is
 * 2 sqrt(pi a) = W. */
static double invcube_p(double x, double w) {
  if (x == 0) return w > 0 ? 1 : 0;
  return -expm1(-w * w / (4 * M_PI * x * x));
}

/* The integral of 1 - exp(-a/x^2) over [0, X], by parts:
 *   X (1 - exp(-a/X^2)) + sqrt(pi a) erfc(sqrt(a) / X). */
static double invcube_mean(double span, double w) {
  if (!(span > 0)) return invcube_p(0, w);
  double a = w * w / (4 * M_PI), ra = sqrt(a);
  return (span * -expm1(-a / (span * span)) + sqrt(M_PI) * ra * erfc(ra / span)) / span;
}

static const search_law laws[] = {
    {"definite", "certain detection within half the sweep width, none beyond", definite_p,
     definite_mean},
    {"inverse_cube", "Koopman's inverse cube law: 1 - exp(-W^2 / (4 pi x^2))", invcube_p,
     invcube_mean},
};

const search_law *search_law_find(const char *name) {
  for (size_t i = 0; name && i < sizeof laws / sizeof *laws; i++)
    if (!strcmp(laws[i].name, name)) return &laws[i];
  return NULL;
}

const char *search_law_names(void) { return "definite|inverse_cube"; }

double search_law_p(const search_law *law, double x_km, double sweep_km) {
  return law->p(x_km, sweep_km);
}

double search_law_mean(const search_law *law, double span_km, double sweep_km) {
  return law->mean(span_km, sweep_km);
}

/* ---- weather ---- */

double search_weather_factor(const search_weather *w, const search_limits *l) {
  if (w->wind_ms > l->wind_ms) return 0;
  if (w->sea_state > l->sea_state) return 0;
  if (w->rain) return l->rain_ok ? l->rain_factor : 0;
  return 1;
}

int search_sea_state(double wind_ms) {
  /* upper wind of Beaufort forces 0..11 (m/s), and the Douglas state of each force's
   * probable wave height (0, 0.1, 0.2, 0.6, 1, 2, 3, 4, 5.5, 7, 9, 11.5, 14 m) */
  static const double beaufort_top[] = {0.5,  1.5,  3.3,  5.4,  7.9,  10.7,
                                        13.8, 17.1, 20.7, 24.4, 28.4, 32.6};
  static const int douglas[] = {0, 1, 2, 3, 3, 4, 5, 5, 6, 7, 7, 8, 9};
  int b = 0;
  while (b < 12 && wind_ms >= beaufort_top[b]) b++;
  return douglas[b];
}
