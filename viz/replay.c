/* replay: reading /series and /kpi of a result file with the HDF5 C API (see replay.h). */
#include "viz/replay.h"

#include <hdf5.h>
#include <math.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "models/item.h"
#include "models/scenario.h"
#include "models/spec.h"
#include "viz/hints.h"

#define REPLAY_MAX_ROWS 100000 /* stations, channels or pools: a file claiming more is corrupt */
#define REPLAY_MAX_T 10000000  /* samples */

typedef struct names {
  char **name, **type;
  int64_t *val; /* servers or headcount */
  int *kind;
  size_t n;
} names;

struct view_replay {
  size_t nt;
  double *t_min;
  names st, ch, pool;
  double *queue, *busy, *insys, *on_duty, *staff_busy; /* [n * nt] */
  char *start_iso;
  double warmup_min;
  scenario *sc;
  spec *sp;       /* from the stored scenario text, or NULL */
  int *attach, *st_pool;
  const char **pool_of;
  view_hints hints;

  snapshot snap;
};

static void names_free(names *n) {
  for (size_t i = 0; i < n->n; i++) {
    free(n->name ? n->name[i] : NULL);
    free(n->type ? n->type[i] : NULL);
  }
  free(n->name);
  free(n->type);
  free(n->val);
  free(n->kind);
  *n = (names){0};
}

void replay_free(view_replay *r) {
  if (!r) return;
  free(r->t_min);
  names_free(&r->st);
  names_free(&r->ch);
  names_free(&r->pool);
  free(r->queue);
  free(r->busy);
  free(r->insys);
  free(r->on_duty);
  free(r->staff_busy);
  free(r->start_iso);
  free(r->attach);
  free(r->st_pool);
  free(r->pool_of);
  spec_free(r->sp);
  scenario_free(r->sc);
  free(r->snap.st);
  free(r->snap.ch);
  free(r->snap.pool);
  free(r);
}

static char *read_str_attr(hid_t fid, const char *name) {
  if (H5Aexists(fid, name) <= 0) return NULL;
  hid_t a = H5Aopen(fid, name, H5P_DEFAULT);
  hid_t ft = a >= 0 ? H5Aget_type(a) : -1;
  char *out = NULL;
  if (ft >= 0 && H5Tget_class(ft) == H5T_STRING) {
    if (H5Tis_variable_str(ft) > 0) {
      hid_t mt = H5Tcopy(H5T_C_S1);
      H5Tset_size(mt, H5T_VARIABLE);
      H5Tset_cset(mt, H5Tget_cset(ft)); /* no conversion between ASCII and UTF-8 */
      char *s = NULL;
      if (H5Aread(a, mt, &s) >= 0 && s) {
        out = strdup(s);
        H5free_memory(s);
      }
      H5Tclose(mt);
    } else {
      size_t n = H5Tget_size(ft);
      out = calloc(n + 1, 1);
      hid_t mt = H5Tcopy(H5T_C_S1);
      H5Tset_size(mt, n);
      H5Tset_cset(mt, H5Tget_cset(ft));
      if (out && H5Aread(a, mt, out) < 0) {
        free(out);
        out = NULL;
      }
      H5Tclose(mt);
    }
  }
  if (ft >= 0) H5Tclose(ft);
  if (a >= 0) H5Aclose(a);
  return out;
}

static double read_f64_attr(hid_t fid, const char *name) {
  double v = NAN;
  if (H5Aexists(fid, name) <= 0) return v;
  hid_t a = H5Aopen(fid, name, H5P_DEFAULT);
  if (a >= 0 && H5Aread(a, H5T_NATIVE_DOUBLE, &v) < 0) v = NAN;
  if (a >= 0) H5Aclose(a);
  return v;
}

static int exists(hid_t fid, const char *path) {
  /* H5Lexists needs every parent to exist: check the path component by component */
  char buf[512];
  for (const char *p = strchr(path + 1, '/');; p = strchr(p + 1, '/')) {
    size_t n = p ? (size_t)(p - path) : strlen(path);
    if (n >= sizeof buf) return 0;
    memcpy(buf, path, n);
    buf[n] = '\0';
    if (H5Lexists(fid, buf, H5P_DEFAULT) <= 0) return 0;
    if (!p) return 1;
  }
}

/* The name of enum member `field` of row i, read through the file's own enum type. */
static int kind_of(hid_t d, hid_t ftype, size_t nrows, int *kinds) {
  int idx = H5Tget_member_index(ftype, "kind");
  if (idx < 0) return -1;
  hid_t mt = H5Tget_member_type(ftype, (unsigned)idx);
  int rc = -1;
  if (H5Tget_class(mt) == H5T_ENUM) {
    hid_t nt = H5Tget_native_type(mt, H5T_DIR_DEFAULT);
    size_t sz = H5Tget_size(nt);
    hid_t ct = H5Tcreate(H5T_COMPOUND, sz);
    unsigned char *buf = calloc(nrows, sz);
    if (buf && H5Tinsert(ct, "kind", 0, nt) >= 0 && H5Dread(d, ct, H5S_ALL, H5S_ALL, H5P_DEFAULT, buf) >= 0) {
      for (size_t i = 0; i < nrows; i++) {
        char name[64];
        kinds[i] = H5Tenum_nameof(nt, buf + i * sz, name, sizeof name) >= 0 ? item_kind_from_name(name) : 0;
        if (kinds[i] < 0) kinds[i] = 0;
      }
      rc = 0;
    }
    free(buf);
    H5Tclose(ct);
    H5Tclose(nt);
  }
  H5Tclose(mt);
  return rc;
}

typedef struct row {
  char *name, *type;
  int64_t rep, val;
} row;

/* Rows of replication 0 of a /kpi table: their names (field key), and optionally the
 * integer field ival, the string field "type" and the enum "kind". */
static int read_names(hid_t fid, const char *path, const char *key, const char *ival, int want_type,
                      int want_kind, names *out) {
  hid_t d = H5Dopen2(fid, path, H5P_DEFAULT);
  if (d < 0) return -1;
  hid_t sp = H5Dget_space(d), ft = H5Dget_type(d);
  hssize_t n = H5Sget_simple_extent_npoints(sp);
  hid_t str = H5Tcopy(H5T_C_S1);
  H5Tset_size(str, H5T_VARIABLE);
  int ki = H5Tget_member_index(ft, key); /* HDF5 does not convert between ASCII and UTF-8 */
  hid_t kt = ki >= 0 ? H5Tget_member_type(ft, (unsigned)ki) : -1;
  if (kt >= 0) {
    H5Tset_cset(str, H5Tget_cset(kt));
    H5Tclose(kt);
  }
  hid_t mt = H5Tcreate(H5T_COMPOUND, sizeof(row));
  H5Tinsert(mt, key, offsetof(row, name), str);
  H5Tinsert(mt, "replication", offsetof(row, rep), H5T_NATIVE_INT64);
  if (ival) H5Tinsert(mt, ival, offsetof(row, val), H5T_NATIVE_INT64);
  if (want_type) H5Tinsert(mt, "type", offsetof(row, type), str);
  row *rows = n > 0 && n <= REPLAY_MAX_ROWS ? calloc((size_t)n, sizeof *rows) : NULL;
  int *kinds = rows ? calloc((size_t)n, sizeof *kinds) : NULL;
  int rc = -1;
  if (kinds && H5Dread(d, mt, H5S_ALL, H5S_ALL, H5P_DEFAULT, rows) >= 0) {
    if (want_kind) kind_of(d, ft, (size_t)n, kinds);
    out->name = calloc((size_t)n, sizeof *out->name);
    out->type = calloc((size_t)n, sizeof *out->type);
    out->val = calloc((size_t)n, sizeof *out->val);
    out->kind = calloc((size_t)n, sizeof *out->kind);
    rc = out->name && out->type && out->val && out->kind ? 0 : -1;
    for (hssize_t i = 0; !rc && i < n; i++) {
      if (rows[i].rep != 0 || !rows[i].name) continue;
      size_t k = out->n++;
      out->name[k] = strdup(rows[i].name);
      out->type[k] = strdup(rows[i].type ? rows[i].type : "");
      out->val[k] = rows[i].val;
      out->kind[k] = kinds[i];
      if (!out->name[k] || !out->type[k]) rc = -1;
    }
    H5Dvlen_reclaim(mt, sp, H5P_DEFAULT, rows);
  }
  free(rows);
  free(kinds);
  H5Tclose(mt);
  H5Tclose(str);
  H5Tclose(ft);
  H5Sclose(sp);
  H5Dclose(d);
  return rc;
}

/* Row 0 of /series/<group>/<name> into out[nt]; zeros when the series is absent. */
static int read_series(hid_t fid, const char *group, const char *name, size_t nt, double *out) {
  char path[512];
  snprintf(path, sizeof path, "/series/%s/%s", group, name);
  if (!exists(fid, path)) return 0;
  hid_t d = H5Dopen2(fid, path, H5P_DEFAULT);
  if (d < 0) return -1;
  hid_t fs = H5Dget_space(d);
  hsize_t dims[2] = {0, 0};
  int rank = H5Sget_simple_extent_ndims(fs), rc = -1;
  if (rank == 2 && H5Sget_simple_extent_dims(fs, dims, NULL) == 2 && dims[0] >= 1 && dims[1] == nt) {
    hsize_t start[2] = {0, 0}, count[2] = {1, nt};
    hid_t ms = H5Screate_simple(1, &count[1], NULL);
    if (H5Sselect_hyperslab(fs, H5S_SELECT_SET, start, NULL, count, NULL) >= 0 &&
        H5Dread(d, H5T_NATIVE_DOUBLE, ms, fs, H5P_DEFAULT, out) >= 0)
      rc = 0;
    H5Sclose(ms);
  }
  H5Sclose(fs);
  H5Dclose(d);
  return rc;
}

static int read_time(hid_t fid, view_replay *r) {
  if (!exists(fid, "/series/time")) return -1;
  hid_t d = H5Dopen2(fid, "/series/time", H5P_DEFAULT);
  hid_t s = H5Dget_space(d);
  hssize_t n = H5Sget_simple_extent_npoints(s);
  int rc = -1;
  if (n >= 1 && n <= REPLAY_MAX_T && (r->t_min = malloc((size_t)n * sizeof *r->t_min)) &&
      H5Dread(d, H5T_NATIVE_DOUBLE, H5S_ALL, H5S_ALL, H5P_DEFAULT, r->t_min) >= 0) {
    r->nt = (size_t)n;
    rc = 0;
    for (size_t i = 0; i < r->nt; i++) {
      r->t_min[i] *= 60.0; /* hours in the file */
      if (!isfinite(r->t_min[i]) || (i && r->t_min[i] < r->t_min[i - 1])) rc = -1;
    }
  }
  H5Sclose(s);
  H5Dclose(d);
  return rc;
}

static int read_group(hid_t fid, const char *group, const names *n, size_t nt, double **out) {
  *out = calloc(n->n * nt + 1, sizeof **out);
  if (!*out) return -1;
  for (size_t i = 0; i < n->n; i++)
    if (read_series(fid, group, n->name[i], nt, *out + i * nt)) return -1;
  return 0;
}

static int replay_build(view_replay *r, const char *text);

int replay_open(view_replay **out, const char *path, sim_error *err) {
  *out = NULL;
  H5Eset_auto2(H5E_DEFAULT, NULL, NULL); /* our own one-line errors, not HDF5's stack */
  if (access(path, R_OK)) return sim_error_set(err, SIM_EIO, "cannot open '%s': no such file", path);
  if (H5Fis_hdf5(path) <= 0) return sim_error_set(err, SIM_EIO, "'%s' is not an HDF5 file", path);
  hid_t fid = H5Fopen(path, H5F_ACC_RDONLY, H5P_DEFAULT);
  if (fid < 0) return sim_error_set(err, SIM_EIO, "cannot open '%s' (corrupt HDF5 file?)", path);
  view_replay *r = calloc(1, sizeof *r);
  int rc = r ? 0 : -1;
  if (!rc) rc = read_time(fid, r);
  if (!rc) rc = read_names(fid, "/kpi/stations", "station", "servers", 1, 0, &r->st);
  if (!rc) rc = read_names(fid, "/kpi/channels", "channel", NULL, 0, 1, &r->ch);
  if (!rc && exists(fid, "/kpi/staff")) rc = read_names(fid, "/kpi/staff", "pool", "size", 0, 0, &r->pool);
  if (!rc) rc = read_group(fid, "queue", &r->st, r->nt, &r->queue);
  if (!rc) rc = read_group(fid, "busy", &r->st, r->nt, &r->busy);
  if (!rc) rc = read_group(fid, "in_system", &r->ch, r->nt, &r->insys);
  if (!rc) rc = read_group(fid, "on_duty", &r->pool, r->nt, &r->on_duty);
  if (!rc) rc = read_group(fid, "staff_busy", &r->pool, r->nt, &r->staff_busy);
  if (!rc) {
    r->start_iso = read_str_attr(fid, "start");
    r->warmup_min = read_f64_attr(fid, "warmup_days") * 1440;
    char *text = read_str_attr(fid, "scenario");
    rc = replay_build(r, text);
    free(text);
  }
  H5Fclose(fid);
  if (rc) {
    replay_free(r);
    return sim_error_set(err, SIM_EIO, "'%s' is not a readable customs-sim result (see results/README.md)", path);
  }
  *out = r;
  return 0;
}

double replay_end(const view_replay *r) { return r->t_min[r->nt - 1]; }
const view_hints *replay_hints(const view_replay *r) { return &r->hints; }

/* Sample index i and weight w so that t is between samples i and i + 1. */
static void locate(const view_replay *r, double t, size_t *i, double *w) {
  size_t lo = 0, hi = r->nt - 1;
  if (t <= r->t_min[0]) hi = 0;
  while (lo < hi) {
    size_t mid = (lo + hi + 1) / 2;
    if (r->t_min[mid] <= t) lo = mid;
    else hi = mid - 1;
  }
  *i = lo;
  double span = lo + 1 < r->nt ? r->t_min[lo + 1] - r->t_min[lo] : 0;
  *w = span > 0 ? (t - r->t_min[lo]) / span : 0;
  if (*w < 0) *w = 0;
  if (*w > 1) *w = 1;
}

static double at(const double *v, size_t nt, size_t k, size_t i, double w) {
  const double *s = v + k * nt;
  double a = s[i], b = i + 1 < nt ? s[i + 1] : a;
  double x = a + (b - a) * w;
  return isfinite(x) ? x : 0;
}

const snapshot *replay_at(view_replay *r, double t_min) {
  snapshot *s = &r->snap;
  double end = replay_end(r);
  if (t_min > end) t_min = end;
  if (t_min < 0) t_min = 0;
  size_t i;
  double w;
  locate(r, t_min, &i, &w);
  s->now_min = t_min;
  for (size_t k = 0; k < s->nst; k++) {
    snap_station *o = &s->st[k];
    o->queue = lround(at(r->queue, r->nt, k, i, w));
    o->busy = (int)lround(at(r->busy, r->nt, k, i, w));
    o->state = o->busy > 0 || o->queue > 0 ? SNAP_BUSY : SNAP_IDLE;
    int p = r->st_pool ? r->st_pool[k] : -1;
    if (p >= 0 && o->servers > 0 && at(r->on_duty, r->nt, (size_t)p, i, w) < 0.5) o->state = SNAP_UNSTAFFED;
  }
  for (size_t k = 0; k < s->nch; k++) s->ch[k].in_system = llround(at(r->insys, r->nt, k, i, w));
  for (size_t k = 0; k < s->npool; k++) {
    s->pool[k].on_duty = (int)lround(at(r->on_duty, r->nt, k, i, w));
    s->pool[k].busy = (int)lround(at(r->staff_busy, r->nt, k, i, w));
  }
  return s;
}

/* The spec of the scenario text stored in the file, if it still loads and names the
 * same stations and channels in the same order (then it gives routes and hints). */
static spec *stored_spec(view_replay *r, const char *text) {
  if (!text) return NULL;
  spec *sp = NULL;
  sim_error e = {0};
  /* from memory, includes refused: the stored text cannot make the viewer read files */
  if (!scenario_load_text(&r->sc, text, "stored scenario", &e)) spec_build(&sp, r->sc, &e);
  int same = sp && sp->nst == r->st.n && sp->nch == r->ch.n;
  for (size_t i = 0; same && i < sp->nst; i++) same = !strcmp(sp->st[i].name, r->st.name[i]);
  for (size_t i = 0; same && i < sp->nch; i++) same = !strcmp(sp->ch[i].name, r->ch.name[i]);
  if (!same) {
    spec_free(sp);
    sp = NULL;
  }
  return sp;
}

static int pool_index(const names *pools, const char *name) {
  for (size_t i = 0; name && i < pools->n; i++)
    if (!strcmp(pools->name[i], name)) return (int)i;
  return -1;
}

static int replay_build(view_replay *r, const char *text) {
  snapshot *s = &r->snap;
  r->sp = stored_spec(r, text);
  size_t nst = r->st.n, nch = r->ch.n, np = r->pool.n;
  s->st = calloc(nst + 1, sizeof *s->st);
  s->ch = calloc(nch + 1, sizeof *s->ch);
  s->pool = calloc(np + 1, sizeof *s->pool);
  r->attach = calloc(nst + 1, sizeof *r->attach);
  r->st_pool = calloc(nst + 1, sizeof *r->st_pool);
  r->pool_of = calloc(nst + 1, sizeof *r->pool_of);
  if (!s->st || !s->ch || !s->pool || !r->attach || !r->st_pool || !r->pool_of) return -1;
  if (!r->start_iso && r->sp && r->sp->start_iso) r->start_iso = strdup(r->sp->start_iso);
  s->nst = nst;
  s->nch = nch;
  s->npool = np;
  s->start_iso = r->start_iso;
  s->scenario = r->sp ? r->sp->name : "replay";
  s->end_min = replay_end(r);
  s->warmup_min = isfinite(r->warmup_min) ? r->warmup_min : 0;
  for (size_t i = 0; i < nst; i++) r->attach[i] = -1;
  if (r->sp) hints_from_spec(r->sp, r->attach, r->pool_of);
  r->hints = (view_hints){r->attach, r->pool_of};
  for (size_t k = 0; k < nst; k++) {
    int64_t servers = r->st.val[k];
    s->st[k] = (snap_station){.name = r->st.name[k], .type = r->st.type[k],
                              .servers = (int)servers, .capacity = (int)servers, .served = -1,
                              .wait_mean_min = NAN, .utilization = NAN};
    r->st_pool[k] = pool_index(&r->pool, r->pool_of[k]);
  }
  for (size_t k = 0; k < nch; k++) {
    const spec_channel *sc = r->sp ? &r->sp->ch[k] : NULL;
    s->ch[k] = (snap_channel){.name = r->ch.name[k], .kind = sc ? sc->kind : r->ch.kind[k],
                              .arrived = -1, .released = -1, .seized = -1, .inspected = -1,
                              .release_p50_min = NAN, .release_p95_min = NAN, .wait_p95_min = NAN,
                              .target_min = sc ? sc->target_min : NAN,
                              .within_target_share = NAN,
                              .wait_target_min = sc ? sc->wait_target_min : NAN,
                              .wait_within_target_share = NAN,
                              .route = sc ? sc->route : NULL, .nroute = sc ? sc->nroute : 0};
  }
  for (size_t k = 0; k < np; k++)
    s->pool[k] = (snap_pool){.name = r->pool.name[k], .size = (int)r->pool.val[k]};
  replay_at(r, 0);
  return 0;
}
