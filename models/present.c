/* present: display names, port locations and storm tracks (see present.h). */
#include "models/present.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "models/disrupt.h"
#include "models/scenario/schema.h"
#include "models/scenario/spec.h"

#define PRESENT_MAX_LABEL 200 /* bytes: a display name, not a paragraph */

static const char *const lang_key[PRESENT_NLANG] = {"en", "ja"};

/* The label group of g (if any) into out: both languages or neither. */
static int read_label(const config_setting_t *g, present_label *out, const char *file,
                      sim_error *err) {
  const config_setting_t *l = g ? config_setting_get_member(g, "label") : NULL;
  if (!l) return 0;
  for (int k = 0; k < PRESENT_NLANG; k++) {
    const config_setting_t *s = config_setting_get_member(l, lang_key[k]);
    const char *v = s ? config_setting_get_string(s) : NULL;
    if (!v || !*v)
      return schema_error(err, s ? s : l, file, "a label needs both en and ja, neither empty");
    if (strlen(v) > PRESENT_MAX_LABEL)
      return schema_error(err, s, file, "longer than %d bytes", PRESENT_MAX_LABEL);
    for (const char *c = v; *c; c++)
      if ((unsigned char)*c < 0x20)
        return schema_error(err, s, file, "control characters in a label");
    out->t[k] = strdup(v);
    if (!out->t[k]) return sim_error_set(err, SIM_ENOMEM, "out of memory");
  }
  return 0;
}

static int read_location(const config_setting_t *g, double *lat, double *lon, const char *file,
                         sim_error *err) {
  const config_setting_t *l = config_setting_get_member(g, "location");
  *lat = *lon = NAN;
  if (!l) return 0;
  if (!config_setting_get_member(l, "lat_deg") || !config_setting_get_member(l, "lon_deg"))
    return schema_error(err, l, file, "a location needs lat_deg and lon_deg");
  *lat = schema_float(l, "lat_deg");
  *lon = schema_float(l, "lon_deg");
  return 0;
}

static int read_track(const config_setting_t *g, present_track *tr, const char *file,
                      sim_error *err) {
  const config_setting_t *t = config_setting_get_member(g, "track");
  size_t n = t ? (size_t)config_setting_length(t) : 0;
  if (!n) return 0;
  tr->p = calloc(n, sizeof *tr->p);
  if (!tr->p) return sim_error_set(err, SIM_ENOMEM, "out of memory");
  for (size_t i = 0; i < n; i++) {
    const config_setting_t *e = config_setting_get_elem(t, (unsigned)i);
    if (!config_setting_get_member(e, "after_h") || !config_setting_get_member(e, "lat_deg") ||
        !config_setting_get_member(e, "lon_deg"))
      return schema_error(err, e, file, "a track point needs after_h, lat_deg and lon_deg");
    present_point *p = &tr->p[i];
    *p = (present_point){schema_float(e, "after_h") * 60, schema_float(e, "lat_deg"),
                         schema_float(e, "lon_deg"), schema_float(e, "radius_km")};
    if (i && p->after_min <= tr->p[i - 1].after_min)
      return schema_error(err, e, file, "track points must come in order of after_h");
    tr->n = i + 1;
  }
  return 0;
}

/* Labels of the named groups `what` in scope, matched to the spec's entities by full
 * name (PORT.NAME in a multi-port scenario). */
static int read_group(const spec *sp, const config_setting_t *scope, const char *prefix,
                      const char *what, int (*find)(const spec *, const char *), present_label *out,
                      const char *file, sim_error *err) {
  const config_setting_t *grp = config_setting_get_member(scope, what);
  for (int i = 0; grp && i < config_setting_length(grp); i++) {
    const config_setting_t *g = config_setting_get_elem(grp, (unsigned)i);
    char full[256];
    snprintf(full, sizeof full, "%s%s", prefix, config_setting_name(g));
    int k = find(sp, full);
    if (k >= 0 && read_label(g, &out[k], file, err)) return SIM_EINVAL;
  }
  return 0;
}

static int dis_index(const spec *sp, const char *name) {
  for (size_t i = 0; sp->dis && i < sp->dis->n; i++)
    if (sp->dis->d[i].name && !strcmp(sp->dis->d[i].name, name)) return (int)i;
  return -1;
}

static int resp_index(const spec *sp, const char *name) {
  for (size_t i = 0; sp->dis && i < sp->dis->nr; i++)
    if (sp->dis->r[i].name && !strcmp(sp->dis->r[i].name, name)) return (int)i;
  return -1;
}

static int alloc(present *p, const spec *sp) {
  p->nports = sp->nports;
  p->nch = sp->nch;
  p->nst = sp->nst;
  p->npool = sp->npool;
  p->ndis = sp->dis ? sp->dis->n : 0;
  p->nresp = sp->dis ? sp->dis->nr : 0;
  p->port = calloc(p->nports + 1, sizeof *p->port);
  p->ch = calloc(p->nch + 1, sizeof *p->ch);
  p->st = calloc(p->nst + 1, sizeof *p->st);
  p->pool = calloc(p->npool + 1, sizeof *p->pool);
  p->dis = calloc(p->ndis + 1, sizeof *p->dis);
  p->resp = calloc(p->nresp + 1, sizeof *p->resp);
  p->lat = calloc(p->nports + 1, sizeof *p->lat);
  p->lon = calloc(p->nports + 1, sizeof *p->lon);
  p->track = calloc(p->ndis + 1, sizeof *p->track);
  if (!p->port || !p->ch || !p->st || !p->pool || !p->dis || !p->resp || !p->lat || !p->lon ||
      !p->track)
    return -1;
  for (size_t i = 0; i < p->nports; i++) p->lat[i] = p->lon[i] = NAN;
  return 0;
}

static int read_scope(present *pr, const spec *sp, const config_setting_t *scope, size_t port,
                      int multi, const char *file, sim_error *err) {
  char prefix[128] = "";
  if (multi) snprintf(prefix, sizeof prefix, "%s.", config_setting_name(scope));
  if (port < pr->nports && (multi || !config_setting_get_member(scope, "ports"))) {
    if (multi && read_label(scope, &pr->port[port], file, err)) return SIM_EINVAL;
    if (read_location(scope, &pr->lat[port], &pr->lon[port], file, err)) return SIM_EINVAL;
  }
  if (read_group(sp, scope, prefix, "stations", spec_station_index, pr->st, file, err) ||
      read_group(sp, scope, prefix, "channels", spec_channel_index, pr->ch, file, err) ||
      read_group(sp, scope, prefix, "staff", spec_pool_index, pr->pool, file, err))
    return SIM_EINVAL;
  return 0;
}

int present_build(present **out, const spec *sp, const config_t *cfg, const char *file,
                  sim_error *err) {
  *out = NULL;
  present *p = calloc(1, sizeof *p);
  if (!p || alloc(p, sp)) {
    present_free(p);
    return sim_error_set(err, SIM_ENOMEM, "out of memory");
  }
  const config_setting_t *root = config_root_setting(cfg), *ports = config_lookup(cfg, "ports");
  int rc = read_label(root, &p->scenario, file, err);
  if (!rc && ports && config_setting_length(ports) > 0) {
    if (config_setting_get_member(root, "location"))
      rc = schema_error(
          err, config_setting_get_member(root, "location"), file,
          "a multi-port scenario gives each port its own location (ports.NAME.location)");
    for (int i = 0; !rc && i < config_setting_length(ports); i++)
      rc = read_scope(p, sp, config_setting_get_elem(ports, (unsigned)i), (size_t)i, 1, file, err);
  } else if (!rc) {
    rc = read_scope(p, sp, root, 0, 0, file, err);
    for (int k = 0; !rc && p->nports && p->scenario.t[0] && k < PRESENT_NLANG; k++)
      if (!(p->port[0].t[k] = strdup(p->scenario.t[k])))
        rc = sim_error_set(err, SIM_ENOMEM, "out of memory");
  }
  if (!rc) rc = read_group(sp, root, "", "disruptions", dis_index, p->dis, file, err);
  if (!rc) rc = read_group(sp, root, "", "responses", resp_index, p->resp, file, err);
  const config_setting_t *dis = config_lookup(cfg, "disruptions");
  for (int i = 0; !rc && dis && i < config_setting_length(dis); i++) {
    const config_setting_t *g = config_setting_get_elem(dis, (unsigned)i);
    int k = dis_index(sp, config_setting_name(g));
    if (k >= 0) rc = read_track(g, &p->track[k], file, err);
  }
  if (rc) {
    present_free(p);
    return rc;
  }
  *out = p;
  return 0;
}

static void labels_free(present_label *l, size_t n) {
  for (size_t i = 0; l && i < n; i++)
    for (int k = 0; k < PRESENT_NLANG; k++) free(l[i].t[k]);
  free(l);
}

void present_free(present *p) {
  if (!p) return;
  labels_free(p->port, p->nports);
  labels_free(p->ch, p->nch);
  labels_free(p->st, p->nst);
  labels_free(p->pool, p->npool);
  labels_free(p->dis, p->ndis);
  labels_free(p->resp, p->nresp);
  for (int k = 0; k < PRESENT_NLANG; k++) free(p->scenario.t[k]);
  for (size_t i = 0; p->track && i < p->ndis; i++) free(p->track[i].p);
  free(p->track);
  free(p->lat);
  free(p->lon);
  free(p);
}

int present_track_at(const present_track *tr, double t_min, present_point *out) {
  if (!tr || !tr->n) return -1;
  if (t_min <= tr->p[0].after_min) {
    *out = tr->p[0];
  } else if (t_min >= tr->p[tr->n - 1].after_min) {
    *out = tr->p[tr->n - 1];
  } else {
    size_t i = 0;
    while (i + 2 < tr->n && tr->p[i + 1].after_min <= t_min) i++;
    const present_point *a = &tr->p[i], *b = &tr->p[i + 1];
    double w = (t_min - a->after_min) / (b->after_min - a->after_min);
    *out = (present_point){t_min, a->lat + w * (b->lat - a->lat), a->lon + w * (b->lon - a->lon),
                           a->radius_km + w * (b->radius_km - a->radius_km)};
  }
  out->after_min = t_min;
  return 0;
}
