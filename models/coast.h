/* coast: coastline and remote-island surveillance, run in the same simulation as the
 * port so the same disruptions and staff pools reach it.
 *
 * Zones (an area, a landing-attempt process with hourly and monthly profiles, and the
 * time each attempt is exposed to search before it lands) are watched by assets:
 * drones (multicopter or fixed-wing) and patrol boats that search at random (the
 * search kernel, models/kernels/search.h) on sorties limited by endurance, recharge or
 * refuelling, wind, rain, sea state and their crews from staff pools; satellites that
 * image a zone every revisit; coastal radars with a lateral range law. A detected
 * attempt needs a boat, which travels to it; an attempt that lands first is lost.
 * Weather is drawn per zone and period; a typhoon (a disruption that reaches a zone)
 * grounds drones, keeps the share of boats its level allows and clouds optical
 * satellites; a staff shortage takes pilots and crews through their pools.
 *
 * The spec part (coast_spec) is read-only and shared by replications; the runtime
 * (struct coast) lives in a port, which it reaches through models/port.h.
 *
 * Ownership: coast_spec_read returns a spec owned by the caller (coast_spec_free; the
 * spec owns the one it builds); coast_new returns a runtime owned by the port
 * (coast_free). */
#ifndef MODELS_COAST_H
#define MODELS_COAST_H

#include <stddef.h>
#include <stdint.h>

#include <libconfig.h>

#include "models/kernels/search.h"
#include "sim/dist.h"
#include "sim/error.h"

struct spec;
struct port;
struct kpi_run;
struct snapshot;

typedef enum { COAST_DRONE = 0, COAST_BOAT, COAST_SATELLITE, COAST_RADAR, COAST_NTYPES } coast_type;
typedef enum { COAST_MULTICOPTER = 0, COAST_FIXED_WING } coast_model;

typedef struct coast_weather_spec {
  int on;                  /* 0: calm, dry, sea state 0 always */
  double period_min;       /* the weather holds this long, then is drawn again */
  double wind_mean_ms[12]; /* mean wind by month (Rayleigh distributed) */
  double rain_share[12];   /* probability that a period is rainy, by month */
} coast_weather_spec;

typedef struct coast_zone_spec {
  char *name;
  char *label[2];  /* display names (English, Japanese) or NULL */
  double lat, lon; /* display position (NaN: not given) */
  double area_km2, front_km;
  double rate_per_min;            /* mean attempts per minute */
  double hourly[24], monthly[12]; /* profiles normalised to mean 1 (flat for poisson) */
  double bound;                   /* max(hourly) * max(monthly): the thinning bound's factor */
  dist exposure;                  /* minutes at sea before landing */
  coast_weather_spec weather;
} coast_zone_spec;

typedef struct coast_asset_spec {
  char *name;
  char *label[2];
  int type, model, zone, count;
  double speed_kmh, sweep_km;
  double endurance_min;  /* INFINITY: never has to land */
  double turnaround_min; /* recharge or refuel */
  search_limits limits;  /* wind, rain, sea state */
  int pool;              /* staff pool of the pilots or crew, -1: none */
  double crew;           /* persons per unit while out */
  double base_km, launch_min, handle_min;
  int patrol; /* boats: search between responses (else wait at base) */
  double revisit_min, first_pass_min, pd_pass, latency_min; /* satellites */
  double cloud_share[12];
  int sar;
  const search_law *law; /* radar */
  double range_km;
} coast_asset_spec;

typedef struct coast_spec {
  coast_zone_spec *zone;
  size_t nzone;
  coast_asset_spec *asset;
  size_t nasset;
  double start_epoch; /* run.start, epoch minutes (months of the profiles) */
  size_t ndis;        /* the scenario's disruptions */
  uint8_t *dis_zone;  /* [ndis][nzone]: 1 where a typhoon reaches a zone */
} coast_spec;

/* Reads the top-level `coast` group (after the ports, before the disruptions: it
 * resolves pool names, and the disruptions may name its zones). *out is NULL when the
 * scenario has none. Errors: SIM_EINVAL "FILE:LINE: PATH: reason". */
int coast_spec_read(coast_spec **out, const struct spec *sp, const config_t *cfg, const char *file,
                    sim_error *err);
void coast_spec_free(coast_spec *c);
/* Whether a disruption target names the coast ("coast" or a zone), for spec_disrupt.c. */
int coast_spec_is_target(const coast_spec *c, const char *name);
int coast_spec_zone(const coast_spec *c, const char *name); /* index or -1 */
int coast_spec_asset(const coast_spec *c, const char *name);
const char *coast_type_name(int type);

/* ---- the runtime, called by the port (port/port.c, port/kpis.c, port/check.c) ---- */

typedef struct coast coast;

/* Builds and starts the coast of port p (nothing when its spec has none: *out NULL). */
int coast_new(coast **out, struct port *p, sim_error *err);
void coast_free(coast *c);
/* The measured period starts now: counts and time averages begin again. */
void coast_measure_start(coast *c);
/* Sample i of the series, averaging over the dt minutes since the previous one. */
void coast_sample(coast *c, size_t i, double dt);
/* The invariants (attempts conserved, units accounted for, search rates and crews
 * consistent); > 0 with a message in why when one is broken. */
int coast_check(const coast *c, char *why, size_t n);
/* Fills k's zone and asset records and series. 0 or SIM_ENOMEM. */
int coast_kpis(coast *c, struct kpi_run *k);
/* Fills the snapshot's zones and assets (shaped by snapshot_shape). */
void coast_snapshot(const coast *c, struct snapshot *s);

#endif
