/* spec_disrupt: reading disruptions and responses from a scenario, resolving their
 * targets, and refusing impossible timelines (see disrupt.h). */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "models/coast.h"
#include "models/disrupt.h"
#include "models/scenario/schema.h"
#include "models/scenario/spec.h"
#include "models/scenario/spec_internal.h"
#include "models/station.h"
#include "models/strtab.h"
#include "models/timecal.h"

static const char *const kind_names[DIS_NKINDS] = {"closure",    "partial",        "power",
                                                   "outage",     "staff_shortage", "access_cut",
                                                   "earthquake", "typhoon"};
static const char *const action_names[RESP_NACTIONS] = {"overtime", "redeploy", "telework",
                                                        "lower_inspection", "prioritise"};

const char *dis_kind_name(int k) { return k >= 0 && k < DIS_NKINDS ? kind_names[k] : "?"; }

const char *spec_disruption_kind_at(int i) {
  return i >= 0 && i < DIS_NKINDS ? kind_names[i] : NULL;
}

const char *spec_response_action_at(int i) {
  return i >= 0 && i < RESP_NACTIONS ? action_names[i] : NULL;
}

int dis_kind_from_name(const char *name) {
  for (int i = 0; i < DIS_NKINDS; i++)
    if (!strcmp(kind_names[i], name)) return i;
  return -1;
}

double dis_level_at(const dis_item *d, double t) {
  if (t < d->start_min || t >= d->start_min + d->dur_min) return 1.0;
  double level = d->steps[0].level;
  for (size_t i = 1; i < d->nsteps && t >= d->start_min + d->steps[i].after_min; i++)
    level = d->steps[i].level;
  return level;
}

const char *spec_disruption_name(const spec *sp, int i) {
  const disrupt_spec *ds = sp->dis;
  return ds && i >= 0 && (size_t)i < ds->n ? ds->d[i].name : "live drill";
}

static int port_index(const spec *sp, const char *name) {
  return (int)strtab_find(sp->rd->port_names, name);
}

static int is_equipment(int type) {
  return type == ST_XRAY || type == ST_CONTAINER_XRAY || type == ST_CT || type == ST_NQR ||
         type == ST_EGATE;
}

static int is_system(int type) {
  return type == ST_RISK || type == ST_DOCUMENTS || type == ST_EGATE || type == ST_PAYMENT;
}

/* Which entities a disruption acts on, by kind: channels for closures, stations for
 * power and outages, pools for staff. A target names a port (all of it), a channel, a
 * station or a pool. */
static int mark_targets(const spec *sp, dis_item *d, const config_setting_t *g, const char *file,
                        sim_error *err) {
  const config_setting_t *t = config_setting_get_member(g, "targets");
  uint8_t *port = calloc(sp->nports, 1);
  if (!port) return sim_error_set(err, SIM_ENOMEM, "out of memory");
  int all = !t || !config_setting_length(t);
  for (int i = 0; !all && i < config_setting_length(t); i++) {
    const config_setting_t *e = config_setting_get_elem(t, (unsigned)i);
    const char *n = config_setting_get_string(e);
    int k;
    if ((k = port_index(sp, n)) >= 0) port[k] = 1;
    else if ((k = spec_channel_index(sp, n)) >= 0) d->ch[k] = 1;
    else if ((k = spec_station_index(sp, n)) >= 0) d->st[k] = 1;
    else if ((k = spec_pool_index(sp, n)) >= 0) d->pool[k] = 1;
    else if (coast_spec_is_target(sp->coast, n)) continue; /* a typhoon's zones: spec_coast.c */
    else {
      free(port);
      return schema_error(
          err, e, file, "unknown target '%s' (a port, channel, station, staff pool, or coast zone)",
          n);
    }
  }
  int closes = d->kind == DIS_CLOSURE || d->kind == DIS_EARTHQUAKE || d->kind == DIS_TYPHOON;
  for (size_t i = 0; i < sp->nch; i++)
    if ((all || port[sp->ch[i].port]) && (closes || d->kind == DIS_PARTIAL)) d->ch[i] = 1;
  for (size_t i = 0; i < sp->nst; i++) {
    int in = all || port[sp->st[i].port], type = sp->st[i].type;
    if (in && ((d->kind == DIS_POWER && is_equipment(type)) ||
               (d->kind == DIS_OUTAGE && is_system(type)) ||
               (d->kind == DIS_ACCESS && type == ST_RELEASE)))
      d->st[i] = 1;
  }
  for (size_t i = 0; i < sp->npool; i++)
    if ((all || port[sp->pool[i].port]) && (d->kind == DIS_STAFF || d->kind == DIS_ACCESS))
      d->pool[i] = 1;
  /* a closure also stops the stations its channels pass through */
  for (size_t c = 0; closes && c < sp->nch; c++)
    for (size_t k = 0; d->ch[c] && k < sp->ch[c].nroute; k++) d->st[sp->ch[c].route[k]] = 1;
  free(port);
  return 0;
}

static int read_steps(dis_item *d, const config_setting_t *g, const char *file, sim_error *err) {
  const config_setting_t *r = config_setting_get_member(g, "recovery");
  size_t n = r ? (size_t)config_setting_length(r) : 0;
  d->steps = calloc(n + 1, sizeof *d->steps);
  if (!d->steps) return sim_error_set(err, SIM_ENOMEM, "out of memory");
  d->steps[0] = (dis_step){.after_min = 0, .level = schema_float(g, "level")};
  d->nsteps = n + 1;
  for (size_t i = 0; i < n; i++) {
    const config_setting_t *e = config_setting_get_elem(r, (unsigned)i);
    d->steps[i + 1] =
        (dis_step){.after_min = schema_float(e, "after_h") * 60, .level = schema_float(e, "level")};
    if (d->steps[i + 1].after_min <= d->steps[i].after_min ||
        d->steps[i + 1].after_min >= d->dur_min)
      return schema_error(
          err, e, file,
          "recovery steps must come in order, after the start and before the end (duration_h)");
  }
  return 0;
}

static int read_names(const spec *sp, const config_setting_t *a, int **out, size_t *n,
                      int (*find)(const spec *, const char *), const char *what, const char *file,
                      sim_error *err) {
  *n = a ? (size_t)config_setting_length(a) : 0;
  *out = calloc(*n ? *n : 1, sizeof **out);
  if (!*out) return sim_error_set(err, SIM_ENOMEM, "out of memory");
  for (size_t i = 0; i < *n; i++) {
    const config_setting_t *e = config_setting_get_elem(a, (unsigned)i);
    (*out)[i] = find(sp, config_setting_get_string(e));
    if ((*out)[i] < 0)
      return schema_error(err, e, file, "unknown %s '%s'", what, config_setting_get_string(e));
  }
  return 0;
}

static double opt(const config_setting_t *g, const char *key) {
  return config_setting_get_member(g, key) ? schema_float(g, key) : NAN;
}

static int read_item(const spec *sp, dis_item *d, const config_setting_t *g, double epoch0,
                     const char *file, sim_error *err) {
  d->name = strdup(config_setting_name(g));
  d->kind = dis_kind_from_name(schema_string(g, "kind"));
  d->ch = calloc(sp->nch ? sp->nch : 1, 1);
  d->st = calloc(sp->nst ? sp->nst : 1, 1);
  d->pool = calloc(sp->npool ? sp->npool : 1, 1);
  if (!d->name || !d->ch || !d->st || !d->pool)
    return sim_error_set(err, SIM_ENOMEM, "out of memory");
  const char *start = schema_string(g, "start");
  double t;
  if (start) {
    if (timecal_parse(start, &t))
      return schema_error(err, config_setting_get_member(g, "start"), file,
                          "'%s' is not a date-time", start);
    d->start_min = t - epoch0;
    if (d->start_min < 0)
      return schema_error(err, config_setting_get_member(g, "start"), file,
                          "begins before run.start");
  } else if (config_setting_get_member(g, "start_h")) {
    d->start_min = schema_float(g, "start_h") * 60;
  } else {
    return schema_error(err, g, file, "a disruption needs start or start_h");
  }
  d->dur_min = schema_float(g, "duration_h") * 60;
  d->arrivals = !strcmp(schema_string(g, "arrivals"), "cancel") ? DIS_CANCEL
                : !strcmp(schema_string(g, "arrivals"), "divert") ? DIS_DIVERT : DIS_HOLD;
  d->divert_share = schema_float(g, "divert_share");
  d->divert_delay_min = schema_float(g, "divert_delay_h") * 60;
  d->release_spread_min = schema_float(g, "release_spread_h") * 60;
  d->lead_min = schema_float(g, "lead_h") * 60;
  d->pull_forward = schema_float(g, "pull_forward");
  d->rto_min = opt(g, "rto_h") * 60;
  d->mtpd_min = opt(g, "mtpd_h") * 60;
  d->mbco = opt(g, "mbco");
  if (read_steps(d, g, file, err) || mark_targets(sp, d, g, file, err)) return SIM_EINVAL;
  const config_setting_t *dv = config_setting_get_member(g, "divert_to");
  if (read_names(sp, dv, &d->divert_ports, &d->ndivert, port_index, "port", file, err))
    return SIM_EINVAL;
  if (d->arrivals == DIS_DIVERT && !d->ndivert)
    return schema_error(err, g, file, "arrivals = \"divert\" needs divert_to");
  if (read_names(sp, config_setting_get_member(g, "damage"), &d->damage, &d->ndamage,
                 spec_station_index, "station", file, err))
    return SIM_EINVAL;
  const config_setting_t *rep = config_setting_get_member(g, "repair");
  if (d->ndamage && !rep) return schema_error(err, g, file, "damage needs a repair distribution");
  if (rep && schema_dist(rep, &d->repair, file, err)) return SIM_EINVAL;
  return 0;
}

/* Two disruptions of the same kind acting on the same thing at the same time cannot be
 * told apart: refuse them. */
static int overlaps(const spec *sp, const dis_item *a, const dis_item *b) {
  if (a->kind != b->kind || a->start_min >= b->start_min + b->dur_min ||
      b->start_min >= a->start_min + a->dur_min)
    return 0;
  for (size_t i = 0; i < sp->nch; i++) if (a->ch[i] && b->ch[i]) return 1;
  for (size_t i = 0; i < sp->nst; i++) if (a->st[i] && b->st[i]) return 1;
  for (size_t i = 0; i < sp->npool; i++) if (a->pool[i] && b->pool[i]) return 1;
  return 0;
}

static int read_response(const spec *sp, dis_response *r, const config_setting_t *g,
                         const char *file, sim_error *err) {
  const char *a = schema_string(g, "action");
  r->name = strdup(config_setting_name(g));
  if (!r->name) return sim_error_set(err, SIM_ENOMEM, "out of memory");
  for (int i = 0; i < RESP_NACTIONS; i++)
    if (!strcmp(action_names[i], a)) r->action = i;
  r->on = r->channel = r->pool = r->from_pool = r->station = -1;
  const char *on = schema_string(g, "on"), *bc = schema_string(g, "backlog_channel");
  if (on) {
    for (size_t i = 0; i < sp->dis->n; i++)
      if (!strcmp(sp->dis->d[i].name, on)) r->on = (int)i;
    if (r->on < 0)
      return schema_error(err, config_setting_get_member(g, "on"), file, "unknown disruption '%s'",
                          on);
  }
  if (bc && (r->channel = spec_channel_index(sp, bc)) < 0)
    return schema_error(err, config_setting_get_member(g, "backlog_channel"), file,
                        "unknown channel '%s'", bc);
  if (!on && !bc)
    return schema_error(err, g, file,
                        "a response needs a trigger: on (a disruption) or backlog_channel");
  r->above = schema_float(g, "backlog_above");
  r->after_min = schema_float(g, "after_h") * 60;
  r->dur_min = schema_float(g, "duration_h") * 60;
  r->persons = (int)schema_int(g, "persons");
  r->factor = schema_float(g, "factor");
  r->priority = (int)schema_int(g, "priority");
  const char *pool = schema_string(g, "pool"), *from = schema_string(g, "from"),
             *st = schema_string(g, "station");
  if (pool && (r->pool = spec_pool_index(sp, pool)) < 0)
    return schema_error(err, config_setting_get_member(g, "pool"), file, "unknown staff pool '%s'",
                        pool);
  if (from && (r->from_pool = spec_pool_index(sp, from)) < 0)
    return schema_error(err, config_setting_get_member(g, "from"), file, "unknown staff pool '%s'",
                        from);
  if (st && (r->station = spec_station_index(sp, st)) < 0)
    return schema_error(err, config_setting_get_member(g, "station"), file, "unknown station '%s'",
                        st);
  int need_pool =
      r->action == RESP_OVERTIME || r->action == RESP_REDEPLOY || r->action == RESP_TELEWORK;
  if (need_pool && r->pool < 0) return schema_error(err, g, file, "%s needs pool", a);
  if (r->action == RESP_REDEPLOY && r->from_pool < 0)
    return schema_error(err, g, file, "redeploy needs from");
  if ((r->action == RESP_LOWER || r->action == RESP_PRIORITISE) && r->station < 0)
    return schema_error(err, g, file, "%s needs station", a);
  return 0;
}

int spec_read_disruptions(spec *sp, const config_t *cfg, const char *file, sim_error *err) {
  const config_setting_t *dl = config_lookup(cfg, "disruptions"),
                         *rl = config_lookup(cfg, "responses");
  sp->dis = calloc(1, sizeof *sp->dis);
  if (!sp->dis) return sim_error_set(err, SIM_ENOMEM, "out of memory");
  disrupt_spec *ds = sp->dis;
  size_t n = dl ? (size_t)config_setting_length(dl) : 0,
         nr = rl ? (size_t)config_setting_length(rl) : 0;
  ds->d = calloc(n ? n : 1, sizeof *ds->d);
  ds->r = calloc(nr ? nr : 1, sizeof *ds->r);
  if (!ds->d || !ds->r) return sim_error_set(err, SIM_ENOMEM, "out of memory");
  double epoch0 = 0;
  timecal_parse(sp->start_iso, &epoch0);
  for (size_t i = 0; i < n; i++) {
    const config_setting_t *g = config_setting_get_elem(dl, (unsigned)i);
    ds->n = i + 1; /* counted before reading, so a half-read item is freed */
    if (read_item(sp, &ds->d[i], g, epoch0, file, err)) return SIM_EINVAL;
    for (size_t j = 0; j < i; j++)
      if (overlaps(sp, &ds->d[j], &ds->d[i]))
        return schema_error(err, g, file,
                            "overlaps disruption '%s' of the same kind on the same targets",
                            ds->d[j].name);
  }
  for (size_t i = 0; i < nr; i++) {
    ds->nr = i + 1;
    if (read_response(sp, &ds->r[i], config_setting_get_elem(rl, (unsigned)i), file, err))
      return SIM_EINVAL;
  }
  return 0;
}

void spec_free_disruptions(spec *sp) {
  disrupt_spec *ds = sp->dis;
  if (!ds) return;
  for (size_t i = 0; i < ds->n; i++) {
    dis_item *d = &ds->d[i];
    free(d->name);
    free(d->steps);
    free(d->ch);
    free(d->st);
    free(d->pool);
    free(d->divert_ports);
    free(d->damage);
    dist_deinit(&d->repair);
  }
  for (size_t i = 0; i < ds->nr; i++) free(ds->r[i].name);
  free(ds->d);
  free(ds->r);
  free(ds);
  sp->dis = NULL;
}
