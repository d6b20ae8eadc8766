/* snapshot: the parts of a snapshot that do not need a running port: its shape from a
 * spec (names, labels, routes), and frames (the changing figures packed into doubles,
 * one field table per part, shared by the recorder and the replay). See snapshot.h. */
#include "models/snapshot.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "models/coast.h"
#include "models/disrupt.h"
#include "models/present.h"
#include "models/scenario/spec.h"
#include "models/station.h"

double snapshot_frame_interval(const spec *sp) { return sp->sample_min > 0 ? sp->sample_min : 15; }

static void label_of(const present_label *l, snap_label out) {
  out[0] = l ? l->t[0] : NULL;
  out[1] = l ? l->t[1] : NULL;
}

static void shape_entities(const spec *sp, const present *pr, snapshot *s) {
  for (size_t i = 0; i < sp->nst; i++) {
    const spec_station *st = &sp->st[i];
    snap_station *o = &s->st[i];
    o->name = st->name;
    o->type = station_type_of(st->type)->name;
    label_of(pr ? &pr->st[i] : NULL, o->label);
    o->port = st->port;
    o->pool = st->pool;
    o->fallback = st->fallback;
    o->servers = st->unlimited ? -1 : st->servers;
    o->units = st->unlimited ? 0 : st->units;
    o->wait_mean_min = o->utilization = NAN;
  }
  for (size_t i = 0; i < sp->nch; i++) {
    const spec_channel *c = &sp->ch[i];
    snap_channel *o = &s->ch[i];
    o->name = c->name;
    label_of(pr ? &pr->ch[i] : NULL, o->label);
    o->kind = c->kind;
    o->port = c->port;
    o->target_min = c->target_min;
    o->wait_target_min = c->wait_target_min;
    o->route = c->route;
    o->nroute = c->nroute;
    o->release_p50_min = o->release_p95_min = o->wait_p95_min = NAN;
    o->within_target_share = o->wait_within_target_share = NAN;
  }
  for (size_t i = 0; i < sp->npool; i++) {
    snap_pool *o = &s->pool[i];
    o->name = sp->pool[i].name;
    label_of(pr ? &pr->pool[i] : NULL, o->label);
    o->port = sp->pool[i].port;
    o->size = sp->pool[i].size;
  }
  for (size_t i = 0; i < sp->nports; i++) {
    snap_port *o = &s->port[i];
    o->name = sp->ports[i];
    label_of(pr ? &pr->port[i] : NULL, o->label);
    o->lat = pr ? pr->lat[i] : NAN;
    o->lon = pr ? pr->lon[i] : NAN;
    o->level = 1;
  }
}

/* The coast's zones and assets (none without a coast). */
static int shape_coast(const spec *sp, snapshot *s) {
  const coast_spec *c = sp->coast;
  size_t nz = c ? c->nzone : 0, na = c ? c->nasset : 0;
  s->zone = calloc(nz ? nz : 1, sizeof *s->zone);
  s->asset = calloc(na ? na : 1, sizeof *s->asset);
  if (!s->zone || !s->asset) return -1;
  s->nzone = nz;
  s->nasset = na;
  for (size_t i = 0; i < nz; i++) {
    const coast_zone_spec *z = &c->zone[i];
    snap_zone *o = &s->zone[i];
    o->name = z->name;
    o->label[0] = z->label[0];
    o->label[1] = z->label[1];
    o->lat = z->lat;
    o->lon = z->lon;
    o->area_km2 = z->area_km2;
    o->typhoon = 1;
    o->detect_share = o->interdict_share = NAN;
    o->last_detect_h = o->last_interdict_h = o->last_landed_h = NAN;
  }
  for (size_t i = 0; i < na; i++) {
    const coast_asset_spec *a = &c->asset[i];
    snap_asset *o = &s->asset[i];
    o->name = a->name;
    o->type = coast_type_name(a->type);
    o->label[0] = a->label[0];
    o->label[1] = a->label[1];
    o->zone = a->zone;
    o->count = a->count;
    o->fixed_wing = a->type == COAST_DRONE && a->model == COAST_FIXED_WING;
  }
  return 0;
}

int snapshot_shape(const spec *sp, snapshot *s) {
  size_t nresp = sp->dis ? sp->dis->nr : 0, nport = sp->nports ? sp->nports : 1;
  s->st = calloc(sp->nst ? sp->nst : 1, sizeof *s->st);
  s->ch = calloc(sp->nch ? sp->nch : 1, sizeof *s->ch);
  s->pool = calloc(sp->npool ? sp->npool : 1, sizeof *s->pool);
  s->port = calloc(nport, sizeof *s->port);
  s->resp_on = calloc(nresp ? nresp : 1, 1);
  if (!s->st || !s->ch || !s->pool || !s->port || !s->resp_on || shape_coast(sp, s)) {
    snapshot_free(s);
    return SIM_ENOMEM;
  }
  const present *pr = sp->pres;
  s->nst = sp->nst;
  s->nch = sp->nch;
  s->npool = sp->npool;
  s->nport = sp->nports;
  s->nresp = nresp;
  s->start_iso = sp->start_iso;
  s->scenario = sp->name;
  s->pres = pr;
  label_of(pr ? &pr->scenario : NULL, s->label);
  s->warmup_min = sp->warmup_min;
  s->end_min = sp->warmup_min + sp->days_min;
  s->frame_min = snapshot_frame_interval(sp);
  s->disruption_index = -1;
  s->disruption_kind = -1;
  s->disruption_level = 1;
  s->rto_h = NAN;
  shape_entities(sp, pr, s);
  return 0;
}

void snapshot_free(snapshot *s) {
  if (!s) return;
  free(s->st);
  free(s->ch);
  free(s->pool);
  free(s->port);
  free(s->resp_on);
  free(s->zone);
  free(s->asset);
  s->zone = NULL;
  s->asset = NULL;
  s->nzone = s->nasset = 0;
  s->st = NULL;
  s->ch = NULL;
  s->pool = NULL;
  s->port = NULL;
  s->resp_on = NULL;
}

/* ---- frames ---- */

#define F(n, u, l) {n, u, l}
static const snap_field run_fields[] = {
    F("time_h", "h", "hours from the start of the run"),
    F("disruption_active", "1", "1 while a disruption is in force"),
    F("disruption", "1",
      "the disruption in force: its index in the scenario, -1 a live drill or none"),
    F("disruption_kind", "1",
      "its kind (index in the kinds of scenarios/drills/README.md), -1 none"),
    F("disruption_since_h", "h", "when it began, hours from the start"),
    F("disruption_level", "1", "share of normal capacity it leaves"),
    F("rto_h", "h", "its recovery time objective"),
    F("events", "1", "engine events so far"),
};
static const snap_field station_fields[] = {
    F("capacity", "servers", "servers available now (staff and equipment); -1 unlimited"),
    F("busy", "servers", "servers busy (unlimited stations: items in process)"),
    F("queue", "items", "items waiting"),
    F("state", "1", "0 idle, 1 busy, 2 down, 3 closed, 4 unstaffed"),
    F("units_down", "units", "equipment units down (failure, maintenance, damage)"),
    F("served", "items", "items served in the measured period"),
    F("wait_mean_min", "min", "mean wait so far"),
    F("utilization", "1", "busy over available servers, time-averaged so far"),
};
static const snap_field channel_fields[] = {
    F("arrived", "items", "arrivals in the measured period"),
    F("released", "items", "releases in the measured period"),
    F("seized", "items", "seizures in the measured period"),
    F("lost", "items", "items turned away by a full station in the measured period"),
    F("inspected", "items", "physical inspections in the measured period"),
    F("in_system", "items", "items in the port now"),
    F("diverted_in", "items", "arrivals diverted here from another port"),
    F("diverted_out", "items", "arrivals diverted to another port"),
    F("held", "items", "arrivals held off until the port reopens"),
    F("cancelled", "items", "arrivals cancelled by a disruption"),
    F("normal_in_system", "items", "items in the port before the first disruption (weighted mean)"),
    F("release_p50_min", "min", "median release time so far"),
    F("release_p95_min", "min", "95th percentile release time so far"),
    F("wait_p95_min", "min", "95th percentile waiting time so far"),
    F("within_target_share", "1", "share released within the release-time target"),
    F("wait_within_target_share", "1", "share that waited less than the waiting-time target"),
    F("finds_none", "items", "(unused)"),
    F("finds_meth", "items", "methamphetamine found"),
    F("finds_cocaine", "items", "cocaine found"),
    F("finds_heroin", "items", "heroin found"),
    F("finds_cannabis", "items", "cannabis found"),
    F("finds_currency", "items", "undeclared currency found"),
    F("finds_gold", "items", "gold found"),
    F("finds_firearm", "items", "firearms found"),
    F("finds_ipr", "items", "intellectual property infringements found"),
    F("finds_duty", "items", "duty assessed (undervaluation or misclassification found)"),
    F("finds_export", "items", "prohibited exports found"),
};
static const snap_field pool_fields[] = {
    F("on_duty", "persons", "persons on duty"),
    F("busy", "persons", "persons busy"),
};
static const snap_field port_fields[] = {
    F("closed", "1", "1 when a disruption stops all of its arrivals"),
    F("level", "1", "share of normal arrivals let in"),
    F("backlog", "items", "items in the port"),
    F("waiting", "items", "items queued at its stations"),
    F("held", "items", "arrivals held off until it reopens"),
    F("normal_backlog", "items", "items in the port before the first disruption"),
};
static const snap_field response_fields[] = {
    F("on", "1", "1 while the response is in force"),
};
static const snap_field zone_fields[] = {
    F("at_sea", "attempts", "attempts at sea, not yet seen"),
    F("tracked", "attempts", "attempts seen, still at sea (a boat on its way or awaited)"),
    F("attempts", "attempts", "attempts in the measured period"),
    F("detected", "attempts", "detections in the measured period"),
    F("interdicted", "attempts", "interdictions in the measured period"),
    F("landed", "attempts", "landings in the measured period"),
    F("detect_share", "1", "share of the ended attempts that were seen"),
    F("interdict_share", "1", "share of the ended attempts that were interdicted"),
    F("coverage_per_h", "1/h", "search rate now: sum of sweep width x speed over the area"),
    F("wind_ms", "m/s", "mean wind now"),
    F("typhoon", "1", "level of the typhoon in force (1: none)"),
    F("rain", "1", "1 while it rains"),
    F("sea_state", "1", "Douglas sea state now"),
    F("last_detect_h", "h", "the last detection, hours from the start"),
    F("last_interdict_h", "h", "the last interdiction, hours from the start"),
    F("last_landed_h", "h", "the last landing, hours from the start"),
};
static const snap_field asset_fields[] = {
    F("searching", "units", "units searching the zone"),
    F("responding", "units", "boats on their way to a detection or on scene"),
    F("transit", "units", "units going out or coming back"),
    F("ready", "units", "units at base, able to go"),
    F("turnaround", "units", "units recharging or refuelling"),
    F("grounded", "units", "units kept in by weather or a typhoon"),
    F("no_crew", "units", "units waiting for their crew"),
    F("detections", "attempts", "attempts it saw first, measured period"),
    F("interdictions", "attempts", "attempts it interdicted, measured period"),
};
#undef F

_Static_assert(sizeof channel_fields / sizeof *channel_fields == 16 + KPI_SEIZE_N, "finds columns");
_Static_assert(sizeof zone_fields / sizeof *zone_fields == 16, "zone columns (walk)");
_Static_assert(sizeof asset_fields / sizeof *asset_fields == 9, "asset columns (walk)");

#define N(a) (sizeof a / sizeof *a)

const snap_field *snapshot_fields(int part, size_t *n) {
  static const snap_field *const t[SNAP_NPARTS] = {run_fields,  station_fields,  channel_fields,
                                                   pool_fields, port_fields,     response_fields,
                                                   zone_fields, asset_fields};
  static const size_t len[SNAP_NPARTS] = {N(run_fields),  N(station_fields), N(channel_fields),
                                          N(pool_fields), N(port_fields),    N(response_fields),
                                          N(zone_fields), N(asset_fields)};
  if (part < 0 || part >= SNAP_NPARTS) {
    *n = 0;
    return NULL;
  }
  *n = len[part];
  return t[part];
}

size_t snapshot_part_count(const snapshot *s, int part) {
  switch (part) {
  case SNAP_PART_RUN: return 1;
  case SNAP_PART_STATION: return s->nst;
  case SNAP_PART_CHANNEL: return s->nch;
  case SNAP_PART_POOL: return s->npool;
  case SNAP_PART_PORT: return s->nport;
  case SNAP_PART_RESPONSE: return s->nresp;
  case SNAP_PART_ZONE: return s->nzone;
  case SNAP_PART_ASSET: return s->nasset;
  default: return 0;
  }
}

size_t snapshot_frame_width(const snapshot *s) {
  size_t w = 0, n;
  for (int p = 0; p < SNAP_NPARTS; p++) {
    snapshot_fields(p, &n);
    w += n * snapshot_part_count(s, p);
  }
  return w;
}

/* One function walks a frame both ways, so pack and unpack cannot disagree. */
static void walk(snapshot *s, double *v, int out) {
#define X(field)                                                                                   \
  do {                                                                                             \
    if (out) *v = (double)(field);                                                                 \
    else (field) = (__typeof__(field))(*v);                                                        \
    v++;                                                                                           \
  } while (0)
  double t_h = s->now_min / 60, since_h = s->disruption_since_min / 60;
  X(t_h);
  X(s->disruption_active);
  X(s->disruption_index);
  X(s->disruption_kind);
  X(since_h);
  X(s->disruption_level);
  X(s->rto_h);
  X(s->events);
  if (!out) {
    s->now_min = t_h * 60;
    s->disruption_since_min = since_h * 60;
  }
  for (size_t i = 0; i < s->nst; i++) {
    snap_station *o = &s->st[i];
    X(o->capacity);
    X(o->busy);
    X(o->queue);
    X(o->state);
    X(o->units_down);
    X(o->served);
    X(o->wait_mean_min);
    X(o->utilization);
  }
  for (size_t i = 0; i < s->nch; i++) {
    snap_channel *o = &s->ch[i];
    X(o->arrived);
    X(o->released);
    X(o->seized);
    X(o->lost);
    X(o->inspected);
    X(o->in_system);
    X(o->diverted_in);
    X(o->diverted_out);
    X(o->held);
    X(o->cancelled);
    X(o->normal_in_system);
    X(o->release_p50_min);
    X(o->release_p95_min);
    X(o->wait_p95_min);
    X(o->within_target_share);
    X(o->wait_within_target_share);
    for (int k = 0; k < KPI_SEIZE_N; k++) X(o->finds[k]);
  }
  for (size_t i = 0; i < s->npool; i++) {
    X(s->pool[i].on_duty);
    X(s->pool[i].busy);
  }
  for (size_t i = 0; i < s->nport; i++) {
    snap_port *o = &s->port[i];
    X(o->closed);
    X(o->level);
    X(o->backlog);
    X(o->waiting);
    X(o->held);
    X(o->normal_backlog);
  }
  for (size_t i = 0; i < s->nresp; i++) X(s->resp_on[i]);
  for (size_t i = 0; i < s->nzone; i++) {
    snap_zone *o = &s->zone[i];
    X(o->at_sea);
    X(o->tracked);
    X(o->attempts);
    X(o->detected);
    X(o->interdicted);
    X(o->landed);
    X(o->detect_share);
    X(o->interdict_share);
    X(o->coverage_per_h);
    X(o->wind_ms);
    X(o->typhoon);
    X(o->rain);
    X(o->sea_state);
    X(o->last_detect_h);
    X(o->last_interdict_h);
    X(o->last_landed_h);
  }
  for (size_t i = 0; i < s->nasset; i++) {
    snap_asset *o = &s->asset[i];
    X(o->searching);
    X(o->responding);
    X(o->transit);
    X(o->ready);
    X(o->turnaround);
    X(o->grounded);
    X(o->no_crew);
    X(o->detections);
    X(o->interdictions);
  }
#undef X
}

void snapshot_pack(const snapshot *s, double *out) { walk((snapshot *)s, out, 1); }

void snapshot_unpack(snapshot *s, const double *in) { walk(s, (double *)in, 0); }
