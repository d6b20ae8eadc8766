/* spec_coast: reading the `coast` group (see coast.h): zones, their attempts and
 * weather, assets with the keys that apply to their type and the defaults of a drone's
 * model, and which zones each typhoon reaches. Checks that need more than one key (a
 * sweep width wider than its zone, an unknown zone or pool, an endurance that cannot
 * reach the zone) are made here, each a one-line error naming the key. */
#include "models/coast.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "models/disrupt.h"
#include "models/scenario/schema.h"
#include "models/scenario/spec.h"
#include "models/timecal.h"

static const char *const type_names[COAST_NTYPES] = {"drone", "boat", "satellite", "radar"};

const char *coast_type_name(int type) {
  return type >= 0 && type < COAST_NTYPES ? type_names[type] : "?";
}

const char *spec_coast_type_at(int i) { return i >= 0 && i < COAST_NTYPES ? type_names[i] : NULL; }

/* Defaults by drone model (assumptions from makers' published figures, see
 * scenarios/README.md). */
typedef struct model_default {
  double speed_kmh, endurance_h, recharge_h, wind_limit_ms;
} model_default;
static const model_default model_defaults[] = {
    [COAST_MULTICOPTER] = {.speed_kmh = 40, .endurance_h = 0.6, .recharge_h = 0.5,
                           .wind_limit_ms = 12},
    [COAST_FIXED_WING] = {.speed_kmh = 90, .endurance_h = 3.0, .recharge_h = 1.0,
                          .wind_limit_ms = 15},
};

/* Which keys an asset type takes besides type, zone, count and label. */
#define D (1 << COAST_DRONE)
#define B (1 << COAST_BOAT)
#define S (1 << COAST_SATELLITE)
#define R (1 << COAST_RADAR)
static const struct {
  const char *key;
  unsigned types;
} applies[] = {
    {.key = "model", .types = D},
    {.key = "speed_kmh", .types = D | B},
    {.key = "sweep_width_km", .types = D | B},
    {.key = "endurance_h", .types = D | B},
    {.key = "recharge_h", .types = D | B},
    {.key = "refuel_h", .types = D | B},
    {.key = "wind_limit_ms", .types = D | B | R},
    {.key = "rain_ok", .types = D | B | R},
    {.key = "rain_sweep_factor", .types = D | B | R},
    {.key = "sea_state_limit", .types = B},
    {.key = "pool", .types = D | B},
    {.key = "crew", .types = D | B},
    {.key = "base_km", .types = D | B},
    {.key = "patrol", .types = B},
    {.key = "launch_h", .types = B},
    {.key = "handle_h", .types = B},
    {.key = "revisit_h", .types = S},
    {.key = "first_pass_h", .types = S},
    {.key = "pd_pass", .types = S},
    {.key = "cloud_share", .types = S},
    {.key = "sar", .types = S},
    {.key = "latency_h", .types = S},
    {.key = "law", .types = R},
    {.key = "range_km", .types = R},
};
#undef D
#undef B
#undef S
#undef R

int coast_spec_zone(const coast_spec *c, const char *name) {
  for (size_t i = 0; c && i < c->nzone; i++)
    if (!strcmp(c->zone[i].name, name)) return (int)i;
  return -1;
}

int coast_spec_asset(const coast_spec *c, const char *name) {
  for (size_t i = 0; c && i < c->nasset; i++)
    if (!strcmp(c->asset[i].name, name)) return (int)i;
  return -1;
}

int coast_spec_is_target(const coast_spec *c, const char *name) {
  return c && (!strcmp(name, "coast") || coast_spec_zone(c, name) >= 0);
}

static int oom(sim_error *err) { return sim_error_set(err, SIM_ENOMEM, "out of memory"); }

/* One value for all n slots, or n values (a monthly array); each within [lo, hi]. */
static int read_monthly(const config_setting_t *g, const char *name, double def, double *out,
                        const char *file, sim_error *err) {
  const config_setting_t *s = config_setting_get_member(g, name);
  for (int i = 0; i < 12; i++) out[i] = def;
  if (!s) return 0;
  int n = config_setting_length(s);
  if (n != 1 && n != 12)
    return schema_error(err, s, file, "must hold 1 value or 12 (January to December), found %d", n);
  for (int i = 0; i < 12; i++)
    out[i] = schema_num(config_setting_get_elem(s, (unsigned)(n == 1 ? 0 : i)));
  return 0;
}

/* A relative profile of n entries normalised to mean 1; flat when absent. */
static int read_profile(const config_setting_t *g, const char *name, int n, double *out,
                        const char *file, sim_error *err) {
  const config_setting_t *s = config_setting_get_member(g, name);
  for (int i = 0; i < n; i++) out[i] = 1;
  if (!s) return 0;
  if (config_setting_length(s) != n)
    return schema_error(err, s, file, "must hold %d values (%s), found %d", n,
                        n == 24 ? "hours 0-23" : "January to December", config_setting_length(s));
  double sum = 0;
  for (int i = 0; i < n; i++) sum += out[i] = schema_num(config_setting_get_elem(s, (unsigned)i));
  if (!(sum > 0)) return schema_error(err, s, file, "must not be all zero");
  for (int i = 0; i < n; i++) out[i] *= n / sum;
  return 0;
}

static int read_weather(coast_weather_spec *w, const config_setting_t *g, const char *file,
                        sim_error *err) {
  memset(w, 0, sizeof *w);
  if (!g) return 0;
  w->on = 1;
  w->period_min = schema_float(g, "period_h") * 60;
  if (read_monthly(g, "wind_mean_ms", 0, w->wind_mean_ms, file, err) ||
      read_monthly(g, "rain_share", 0, w->rain_share, file, err))
    return SIM_EINVAL;
  return 0;
}

static int read_label(char **label, const config_setting_t *g) {
  const config_setting_t *l = config_setting_get_member(g, "label");
  const char *en = l ? schema_string(l, "en") : NULL, *ja = l ? schema_string(l, "ja") : NULL;
  label[0] = en ? strdup(en) : NULL;
  label[1] = ja ? strdup(ja) : NULL;
  return (en && !label[0]) || (ja && !label[1]) ? -1 : 0;
}

static int read_zone(coast_zone_spec *z, const config_setting_t *g,
                     const coast_weather_spec *common, const char *file, sim_error *err) {
  z->name = strdup(config_setting_name(g));
  if (!z->name || read_label(z->label, g)) return oom(err);
  z->area_km2 = schema_float(g, "area_km2");
  z->front_km =
      config_setting_get_member(g, "front_km") ? schema_float(g, "front_km") : sqrt(z->area_km2);
  const config_setting_t *a = config_setting_get_member(g, "attempts");
  z->rate_per_min = schema_float(a, "rate_per_day") / 1440;
  int profile = !strcmp(schema_string(a, "process"), "profile");
  for (int i = 0; i < 24; i++) z->hourly[i] = 1;
  for (int i = 0; i < 12; i++) z->monthly[i] = 1;
  if (!profile &&
      (config_setting_get_member(a, "hourly") || config_setting_get_member(a, "monthly")))
    return schema_error(err, a, file, "hourly and monthly profiles need process = \"profile\"");
  if (profile && (read_profile(a, "hourly", 24, z->hourly, file, err) ||
                  read_profile(a, "monthly", 12, z->monthly, file, err)))
    return SIM_EINVAL;
  double mh = 0, mm = 0;
  for (int i = 0; i < 24; i++) mh = fmax(mh, z->hourly[i]);
  for (int i = 0; i < 12; i++) mm = fmax(mm, z->monthly[i]);
  z->bound = mh * mm;
  if (schema_dist(config_setting_get_member(g, "exposure"), &z->exposure, file, err))
    return SIM_EINVAL;
  const config_setting_t *loc = config_setting_get_member(g, "location");
  z->lat = loc ? schema_float(loc, "lat_deg") : NAN;
  z->lon = loc ? schema_float(loc, "lon_deg") : NAN;
  const config_setting_t *w = config_setting_get_member(g, "weather");
  if (w) return read_weather(&z->weather, w, file, err);
  z->weather = *common;
  return 0;
}

static int check_applies(const config_setting_t *g, int type, const char *file, sim_error *err) {
  for (size_t i = 0; i < sizeof applies / sizeof *applies; i++) {
    const config_setting_t *s = config_setting_get_member(g, applies[i].key);
    if (s && !(applies[i].types & (1u << type)))
      return schema_error(err, s, file, "does not apply to a %s", type_names[type]);
  }
  return 0;
}

static double opt(const config_setting_t *g, const char *key, double def) {
  return config_setting_get_member(g, key) ? schema_float(g, key) : def;
}

static int need(const config_setting_t *g, const char *key, int type, const char *file,
                sim_error *err) {
  if (config_setting_get_member(g, key)) return 0;
  return schema_error(err, g, file, "a %s needs %s", type_names[type], key);
}

/* Drones and boats: speed, sweep width, sorties, limits and crew. */
static int read_mobile(coast_asset_spec *a, const config_setting_t *g, const coast_zone_spec *z,
                       const spec *sp, const char *file, sim_error *err) {
  int drone = a->type == COAST_DRONE;
  a->model = drone && !strcmp(schema_string(g, "model"), "fixed_wing") ? COAST_FIXED_WING
                                                                       : COAST_MULTICOPTER;
  const model_default *md = &model_defaults[a->model];
  if ((!drone && need(g, "speed_kmh", a->type, file, err)) ||
      need(g, "sweep_width_km", a->type, file, err))
    return SIM_EINVAL;
  if (config_setting_get_member(g, "recharge_h") && config_setting_get_member(g, "refuel_h"))
    return schema_error(err, g, file, "give recharge_h or refuel_h, not both");
  a->speed_kmh = opt(g, "speed_kmh", md->speed_kmh);
  a->sweep_km = schema_float(g, "sweep_width_km");
  double side = sqrt(z->area_km2);
  if (a->sweep_km > side)
    return schema_error(
        err, config_setting_get_member(g, "sweep_width_km"), file,
        "sweep width %g km is wider than zone %s (%g km across: the square root of its area)",
        a->sweep_km, z->name, side);
  double end_h = opt(g, "endurance_h", drone ? md->endurance_h : 0);
  a->endurance_min = end_h > 0 ? end_h * 60 : INFINITY;
  a->turnaround_min = opt(g, config_setting_get_member(g, "refuel_h") ? "refuel_h" : "recharge_h",
                          drone ? md->recharge_h : 0) *
                      60;
  a->base_km = schema_float(g, "base_km");
  if (isfinite(a->endurance_min) && a->endurance_min <= 2 * a->base_km / a->speed_kmh * 60)
    return schema_error(err, g, file,
                        "endurance_h %g cannot take it %g km to the zone and back at %g km/h",
                        end_h, a->base_km, a->speed_kmh);
  a->limits.wind_ms = opt(g, "wind_limit_ms", drone ? md->wind_limit_ms : INFINITY);
  a->limits.rain_ok = config_setting_get_member(g, "rain_ok") ? schema_bool(g, "rain_ok") : !drone;
  a->limits.rain_factor = schema_float(g, "rain_sweep_factor");
  a->limits.sea_state = (int)schema_int(g, "sea_state_limit");
  a->patrol = drone || schema_bool(g, "patrol");
  a->launch_min = drone ? 0 : schema_float(g, "launch_h") * 60;
  a->handle_min = schema_float(g, "handle_h") * 60;
  const char *pool = schema_string(g, "pool");
  a->pool = -1;
  a->crew = 0;
  if (pool && (a->pool = spec_pool_index(sp, pool)) < 0)
    return schema_error(err, config_setting_get_member(g, "pool"), file, "unknown staff pool '%s'",
                        pool);
  if (!pool && config_setting_get_member(g, "crew"))
    return schema_error(err, config_setting_get_member(g, "crew"), file, "crew needs a pool");
  if (pool) a->crew = schema_float(g, "crew");
  if (pool && a->crew > sp->pool[a->pool].size)
    return schema_error(
        err, config_setting_get_member(g, "crew") ? config_setting_get_member(g, "crew") : g, file,
        "a unit needs %g persons, pool %s has %d", a->crew, pool, sp->pool[a->pool].size);
  return 0;
}

static int read_asset(coast_asset_spec *a, const config_setting_t *g, const coast_spec *c,
                      const spec *sp, const char *file, sim_error *err) {
  a->name = strdup(config_setting_name(g));
  if (!a->name || read_label(a->label, g)) return oom(err);
  const char *t = schema_string(g, "type");
  for (int i = 0; i < COAST_NTYPES; i++)
    if (!strcmp(t, type_names[i])) a->type = i;
  const char *zn = schema_string(g, "zone");
  if ((a->zone = coast_spec_zone(c, zn)) < 0)
    return schema_error(err, config_setting_get_member(g, "zone"), file, "unknown zone '%s'", zn);
  a->count = (int)schema_int(g, "count");
  a->pool = -1;
  a->limits = (search_limits){.wind_ms = INFINITY, .rain_ok = 1, .rain_factor = 1, .sea_state = 9};
  if (check_applies(g, a->type, file, err)) return SIM_EINVAL;
  switch (a->type) {
  case COAST_DRONE:
  case COAST_BOAT: return read_mobile(a, g, &c->zone[a->zone], sp, file, err);
  case COAST_SATELLITE:
    if (need(g, "revisit_h", a->type, file, err) || need(g, "pd_pass", a->type, file, err))
      return SIM_EINVAL;
    a->revisit_min = schema_float(g, "revisit_h") * 60;
    a->first_pass_min = opt(g, "first_pass_h", NAN) * 60;
    a->pd_pass = schema_float(g, "pd_pass");
    a->latency_min = schema_float(g, "latency_h") * 60;
    a->sar = schema_bool(g, "sar");
    return read_monthly(g, "cloud_share", 0, a->cloud_share, file, err);
  default:
    if (need(g, "range_km", a->type, file, err)) return SIM_EINVAL;
    a->law = search_law_find(schema_string(g, "law"));
    a->range_km = schema_float(g, "range_km");
    a->limits.wind_ms = opt(g, "wind_limit_ms", INFINITY);
    a->limits.rain_ok = config_setting_get_member(g, "rain_ok") ? schema_bool(g, "rain_ok") : 1;
    a->limits.rain_factor = schema_float(g, "rain_sweep_factor");
    return 0;
  }
}

/* Typhoons and the zones they reach: those named (or all for "coast"), all when the
 * disruption names no targets. Other kinds reach the coast only through staff pools. */
static int read_typhoons(coast_spec *c, const config_t *cfg) {
  const config_setting_t *dl = config_lookup(cfg, "disruptions");
  c->ndis = dl ? (size_t)config_setting_length(dl) : 0;
  c->dis_zone = calloc(c->ndis * c->nzone + 1, 1);
  if (!c->dis_zone) return -1;
  for (size_t i = 0; i < c->ndis; i++) {
    const config_setting_t *g = config_setting_get_elem(dl, (unsigned)i);
    const char *kind = schema_string(g, "kind");
    if (!kind || dis_kind_from_name(kind) != DIS_TYPHOON) continue;
    const config_setting_t *t = config_setting_get_member(g, "targets");
    int all = !t || !config_setting_length(t);
    for (int k = 0; !all && k < config_setting_length(t); k++) {
      const char *n = config_setting_get_string(config_setting_get_elem(t, (unsigned)k));
      int z = n ? coast_spec_zone(c, n) : -1;
      if (n && !strcmp(n, "coast"))
        all = 1;
      else if (z >= 0)
        c->dis_zone[i * c->nzone + (size_t)z] = 1;
    }
    for (size_t z = 0; all && z < c->nzone; z++) c->dis_zone[i * c->nzone + z] = 1;
  }
  return 0;
}

int coast_spec_read(coast_spec **out, const spec *sp, const config_t *cfg, const char *file,
                    sim_error *err) {
  *out = NULL;
  const config_setting_t *g = config_lookup(cfg, "coast");
  if (!g) return 0;
  coast_spec *c = calloc(1, sizeof *c);
  if (!c) return oom(err);
  *out = c;
  timecal_parse(sp->start_iso, &c->start_epoch);
  coast_weather_spec common;
  int rc = read_weather(&common, config_setting_get_member(g, "weather"), file, err);
  const config_setting_t *zs = config_setting_get_member(g, "zones"),
                         *as = config_setting_get_member(g, "assets");
  size_t nz = zs ? (size_t)config_setting_length(zs) : 0,
         na = as ? (size_t)config_setting_length(as) : 0;
  c->zone = calloc(nz ? nz : 1, sizeof *c->zone);
  c->asset = calloc(na ? na : 1, sizeof *c->asset);
  if (!rc && (!c->zone || !c->asset)) rc = oom(err);
  if (!rc && !nz) rc = schema_error(err, zs ? zs : g, file, "needs at least one zone");
  for (size_t i = 0; !rc && i < nz; i++, c->nzone++)
    rc = read_zone(&c->zone[i], config_setting_get_elem(zs, (unsigned)i), &common, file, err);
  for (size_t i = 0; !rc && i < na; i++, c->nasset++)
    rc = read_asset(&c->asset[i], config_setting_get_elem(as, (unsigned)i), c, sp, file, err);
  if (!rc && read_typhoons(c, cfg)) rc = oom(err);
  return rc;
}

void coast_spec_free(coast_spec *c) {
  if (!c) return;
  for (size_t i = 0; i < c->nzone; i++) {
    free(c->zone[i].name);
    free(c->zone[i].label[0]);
    free(c->zone[i].label[1]);
    dist_deinit(&c->zone[i].exposure);
  }
  for (size_t i = 0; i < c->nasset; i++) {
    free(c->asset[i].name);
    free(c->asset[i].label[0]);
    free(c->asset[i].label[1]);
  }
  free(c->zone);
  free(c->asset);
  free(c->dis_zone);
  free(c);
}
