/* replay: reading /view of a result file with the HDF5 C API (see replay.h). */
#include "viz/replay.h"

#include <errno.h>
#include <hdf5.h>
#include <math.h>
#include <signal.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>

#include "models/disrupt.h"
#include "models/present.h"
#include "models/scenario.h"
#include "viz/hints.h"

#define REPLAY_MAX_ROWS 50000000 /* a /view table claiming more is corrupt */

struct view_replay {
  scenario *sc;
  spec *sp;
  snapshot snap;
  size_t nframes, width;
  double *frames;      /* [nframes][width] */
  uint8_t *interp;     /* [width] 1: moves linearly between frames (counts, queues) */
  kpi_find *finds;
  size_t nfinds;
  kpi_recovery *rec;
  char **rec_scope;
  size_t nrec;
  int *attach;
  const char **pool_of;
  view_hints hints;
};

void replay_free(view_replay *r) {
  if (!r) return;
  snapshot_free(&r->snap);
  free(r->frames);
  free(r->interp);
  free(r->finds);
  for (size_t i = 0; r->rec_scope && i < r->nrec; i++) free(r->rec_scope[i]);
  free(r->rec_scope);
  free(r->rec);
  free(r->attach);
  free(r->pool_of);
  spec_free(r->sp);
  scenario_free(r->sc);
  free(r);
}

static char *read_str_attr(hid_t fid, const char *name) {
  if (H5Aexists(fid, name) <= 0) return NULL;
  hid_t a = H5Aopen(fid, name, H5P_DEFAULT);
  hid_t ft = a >= 0 ? H5Aget_type(a) : -1;
  char *out = NULL;
  if (ft >= 0 && H5Tget_class(ft) == H5T_STRING && H5Tis_variable_str(ft) > 0) {
    hid_t mt = H5Tcopy(H5T_C_S1);
    H5Tset_size(mt, H5T_VARIABLE);
    H5Tset_cset(mt, H5Tget_cset(ft)); /* no conversion between ASCII and UTF-8 */
    char *s = NULL;
    if (H5Aread(a, mt, &s) >= 0 && s) {
      out = strdup(s);
      H5free_memory(s);
    }
    H5Tclose(mt);
  }
  if (ft >= 0) H5Tclose(ft);
  if (a >= 0) H5Aclose(a);
  return out;
}

static int exists(hid_t fid, const char *path) {
  /* H5Lexists needs every parent to exist: check the path component by component */
  char buf[256];
  for (const char *p = strchr(path + 1, '/');; p = strchr(p + 1, '/')) {
    size_t n = p ? (size_t)(p - path) : strlen(path);
    if (n >= sizeof buf) return 0;
    memcpy(buf, path, n);
    buf[n] = '\0';
    if (H5Lexists(fid, buf, H5P_DEFAULT) <= 0) return 0;
    if (!p) return 1;
  }
}

/* Rows of a 1-D table; -1 when it is missing or implausible. */
static long table_rows(hid_t fid, const char *path) {
  if (!exists(fid, path)) return -1;
  hid_t d = H5Dopen2(fid, path, H5P_DEFAULT);
  if (d < 0) return -1;
  hid_t s = H5Dget_space(d);
  hssize_t n = H5Sget_simple_extent_ndims(s) == 1 ? H5Sget_simple_extent_npoints(s) : -1;
  H5Sclose(s);
  H5Dclose(d);
  return n >= 0 && n <= REPLAY_MAX_ROWS ? (long)n : -1;
}

/* Member `field` of every row as doubles (HDF5 converts integers); n rows. */
static int read_col(hid_t fid, const char *path, const char *field, double *out, size_t n) {
  hid_t d = H5Dopen2(fid, path, H5P_DEFAULT);
  if (d < 0) return -1;
  hid_t ft = H5Dget_type(d), mt = H5Tcreate(H5T_COMPOUND, sizeof(double));
  int rc = -1;
  if (H5Tget_member_index(ft, field) >= 0 && H5Tinsert(mt, field, 0, H5T_NATIVE_DOUBLE) >= 0 &&
      (!n || H5Dread(d, mt, H5S_ALL, H5S_ALL, H5P_DEFAULT, out) >= 0))
    rc = 0;
  H5Tclose(mt);
  H5Tclose(ft);
  H5Dclose(d);
  return rc;
}

/* String member `field` of every row (n rows), copied; NULL entries for none. */
static int read_strs(hid_t fid, const char *path, const char *field, char **out, size_t n) {
  hid_t d = H5Dopen2(fid, path, H5P_DEFAULT);
  if (d < 0) return -1;
  hid_t ft = H5Dget_type(d), str = H5Tcopy(H5T_C_S1);
  H5Tset_size(str, H5T_VARIABLE);
  int k = H5Tget_member_index(ft, field), rc = -1;
  if (k >= 0) {
    hid_t kt = H5Tget_member_type(ft, (unsigned)k);
    H5Tset_cset(str, H5Tget_cset(kt));
    H5Tclose(kt);
  }
  hid_t mt = H5Tcreate(H5T_COMPOUND, sizeof(char *));
  char **tmp = calloc(n ? n : 1, sizeof *tmp);
  if (k >= 0 && tmp && H5Tinsert(mt, field, 0, str) >= 0 &&
      (!n || H5Dread(d, mt, H5S_ALL, H5S_ALL, H5P_DEFAULT, tmp) >= 0)) {
    rc = 0;
    for (size_t i = 0; i < n; i++) {
      out[i] = tmp[i] ? strdup(tmp[i]) : NULL;
      if (tmp[i] && !out[i]) rc = -1;
    }
    hid_t sp = H5Dget_space(d);
    if (n) H5Dvlen_reclaim(mt, sp, H5P_DEFAULT, tmp);
    H5Sclose(sp);
  }
  free(tmp);
  H5Tclose(mt);
  H5Tclose(str);
  H5Tclose(ft);
  H5Dclose(d);
  return rc;
}

static const char *const part_path[SNAP_NPARTS] = {"/view/frames", "/view/stations", "/view/channels",
                                                  "/view/pools", "/view/ports", "/view/responses",
                                                  "/view/coast_zones", "/view/coast_assets"};

/* One part's table into the frames (the inverse of output_view.c). */
static int read_part(hid_t fid, view_replay *r, int part, size_t off) {
  size_t nf, ne = snapshot_part_count(&r->snap, part);
  const snap_field *f = snapshot_fields(part, &nf);
  if (!ne) return 0;
  size_t rows = r->nframes * ne;
  if (table_rows(fid, part_path[part]) != (long)rows) return -1;
  double *col = malloc((rows ? rows : 1) * sizeof *col);
  int rc = col ? 0 : -1;
  for (size_t j = 0; !rc && j < nf; j++) {
    rc = read_col(fid, part_path[part], f[j].name, col, rows);
    for (size_t fr = 0; !rc && fr < r->nframes; fr++)
      for (size_t e = 0; e < ne; e++) r->frames[fr * r->width + off + e * nf + j] = col[fr * ne + e];
  }
  free(col);
  return rc;
}

static int index_of(const char *name, const spec *sp, int station) {
  if (!name) return -1;
  return station ? spec_station_index(sp, name) : spec_channel_index(sp, name);
}

static int read_finds(hid_t fid, view_replay *r) {
  long n = table_rows(fid, "/view/finds");
  if (n < 0) return -1;
  r->finds = calloc((size_t)n + 1, sizeof *r->finds);
  double *t = calloc((size_t)n + 1, sizeof *t), *kind = calloc((size_t)n + 1, sizeof *kind);
  char **st = calloc((size_t)n + 1, sizeof *st), **ch = calloc((size_t)n + 1, sizeof *ch);
  int rc = r->finds && t && kind && st && ch ? 0 : -1;
  if (!rc) rc = read_col(fid, "/view/finds", "time_h", t, (size_t)n) || read_col(fid, "/view/finds", "kind", kind, (size_t)n) ||
                read_strs(fid, "/view/finds", "station", st, (size_t)n) || read_strs(fid, "/view/finds", "channel", ch, (size_t)n);
  for (long i = 0; !rc && i < n; i++) {
    r->finds[i] = (kpi_find){t[i] * 60, index_of(st[i], r->sp, 1), index_of(ch[i], r->sp, 0), (int32_t)kind[i]};
    if (i && r->finds[i].t_min < r->finds[i - 1].t_min) rc = -1;
  }
  r->nfinds = rc ? 0 : (size_t)n;
  for (long i = 0; i < n && st && ch; i++) free(st[i]), free(ch[i]);
  free(st);
  free(ch);
  free(t);
  free(kind);
  return rc;
}

/* /kpi/recovery of replication 0 (for the drill's scorecard); absent is fine. */
static void read_recovery(hid_t fid, view_replay *r) {
  static const char *const f[] = {"replication", "is_port", "peak_backlog", "time_to_normal_h", "rto_h", "rto_met"};
  const char *path = "/kpi/recovery";
  long n = table_rows(fid, path);
  if (n <= 0) return;
  double *v[6];
  char **scope = calloc((size_t)n, sizeof *scope);
  int ok = scope && !read_strs(fid, path, "scope", scope, (size_t)n);
  for (int k = 0; k < 6; k++) {
    v[k] = calloc((size_t)n, sizeof **v);
    ok = ok && v[k] && !read_col(fid, path, f[k], v[k], (size_t)n);
  }
  r->rec = ok ? calloc((size_t)n, sizeof *r->rec) : NULL;
  r->rec_scope = ok ? calloc((size_t)n, sizeof *r->rec_scope) : NULL;
  for (long i = 0; r->rec && r->rec_scope && i < n; i++) {
    if (v[0][i] != 0) continue;
    kpi_recovery *k = &r->rec[r->nrec];
    r->rec_scope[r->nrec] = scope[i];
    scope[i] = NULL;
    *k = (kpi_recovery){.scope = r->rec_scope[r->nrec], .is_port = v[1][i] != 0, .peak_backlog = v[2][i],
                        .time_to_normal_h = v[3][i], .rto_h = v[4][i], .rto_met = v[5][i] != 0};
    r->nrec++;
  }
  for (long i = 0; scope && i < n; i++) free(scope[i]);
  free(scope);
  for (int k = 0; k < 6; k++) free(v[k]);
}

/* The spec of the scenario stored in the file (resolved, so it needs no includes; a
 * text that still asks for one is refused by scenario_load_text rather than followed). */
static int stored_spec(view_replay *r, const char *text) {
  if (!text) return -1;
  sim_error e = {0};
  /* from memory, includes refused: the stored text cannot make the viewer read files */
  if (!scenario_load_text(&r->sc, text, "stored scenario", &e)) spec_build(&r->sp, r->sc, &e);
  return r->sp ? 0 : -1;
}

/* Which fields move between frames: counts and queues; states, capacities and
 * percentiles hold until the next frame. */
static int mark_interp(view_replay *r) {
  static const char *const moving[] = {"busy", "queue", "in_system", "arrived", "released", "inspected",
                                       "backlog", "waiting", "served"};
  r->interp = calloc(r->width + 1, 1);
  if (!r->interp) return -1;
  size_t off = 0, nf;
  for (int p = 0; p < SNAP_NPARTS; p++) {
    const snap_field *f = snapshot_fields(p, &nf);
    size_t ne = snapshot_part_count(&r->snap, p);
    for (size_t e = 0; e < ne; e++)
      for (size_t j = 0; j < nf; j++) {
        for (size_t m = 0; p != SNAP_PART_RUN && m < sizeof moving / sizeof *moving; m++)
          if (!strcmp(f[j].name, moving[m])) r->interp[off + e * nf + j] = 1;
      }
    off += ne * nf;
  }
  return 0;
}

static int read_view(hid_t fid, view_replay *r) {
  long nfr = table_rows(fid, "/view/frames");
  if (nfr < 1) return -1;
  r->nframes = (size_t)nfr;
  r->width = snapshot_frame_width(&r->snap);
  if (r->width && r->nframes > (size_t)REPLAY_MAX_ROWS / r->width) return -1;
  r->frames = calloc(r->nframes * r->width, sizeof *r->frames);
  if (!r->frames) return -1;
  size_t off = 0, nf;
  for (int p = 0; p < SNAP_NPARTS; p++) {
    if (read_part(fid, r, p, off)) return -1;
    snapshot_fields(p, &nf);
    off += nf * snapshot_part_count(&r->snap, p);
  }
  for (size_t i = 0; i < r->nframes; i++) /* time_h: finite and increasing */
    if (!isfinite(r->frames[i * r->width]) || (i && r->frames[i * r->width] <= r->frames[(i - 1) * r->width]))
      return -1;
  return mark_interp(r);
}

static int build(hid_t fid, view_replay *r) {
  char *text = read_str_attr(fid, "scenario");
  int rc = stored_spec(r, text);
  free(text);
  if (rc || snapshot_shape(r->sp, &r->snap)) return -2;
  if (read_view(fid, r) || read_finds(fid, r)) return -1;
  read_recovery(fid, r);
  r->attach = calloc(r->sp->nst + 1, sizeof *r->attach);
  r->pool_of = calloc(r->sp->nst + 1, sizeof *r->pool_of);
  if (!r->attach || !r->pool_of) return -1;
  hints_from_spec(r->sp, r->attach, r->pool_of);
  r->hints = (view_hints){r->attach, r->pool_of};
  replay_at(r, 0);
  return 0;
}

int replay_open(view_replay **out, const char *path, sim_error *err) {
  *out = NULL;
  H5Eset_auto2(H5E_DEFAULT, NULL, NULL); /* our own one-line errors, not HDF5's stack */
  if (access(path, R_OK)) return sim_error_set(err, SIM_EIO, "cannot open '%s': no such file", path);
  if (H5Fis_hdf5(path) <= 0) return sim_error_set(err, SIM_EIO, "'%s' is not an HDF5 file", path);
  hid_t fid = H5Fopen(path, H5F_ACC_RDONLY, H5P_DEFAULT);
  if (fid < 0) return sim_error_set(err, SIM_EIO, "cannot open '%s' (corrupt HDF5 file?)", path);
  view_replay *r = calloc(1, sizeof *r);
  int rc = r ? build(fid, r) : -1;
  int frames = r && exists(fid, "/view/frames");
  H5Fclose(fid);
  if (rc) {
    replay_free(r);
    if (rc == -2) return sim_error_set(err, SIM_EIO, "'%s': its stored scenario does not load with this version", path);
    if (!frames)
      return sim_error_set(err, SIM_EIO, "'%s' has no viewer frames (/view): run it again with this customs-sim", path);
    return sim_error_set(err, SIM_EIO, "'%s' is not a readable customs-sim result (see results/README.md)", path);
  }
  *out = r;
  return 0;
}

int replay_open_guarded(view_replay **out, const char *path, sim_error *err) {
  *out = NULL;
  fflush(NULL);
  pid_t pid = fork();
  if (pid == 0) { /* the trial read: its only output is its exit status */
    struct rlimit no_core = {0, 0};
    setrlimit(RLIMIT_CORE, &no_core);
    view_replay *r = NULL;
    sim_error e = {0};
    int rc = replay_open(&r, path, &e);
    replay_free(r);
    _exit(rc ? 3 : 0);
  }
  if (pid > 0) {
    int status = 0;
    while (waitpid(pid, &status, 0) < 0)
      if (errno != EINTR) break;
    if (WIFSIGNALED(status))
      return sim_error_set(err, SIM_EIO, "%s: damaged file: reading it crashed the HDF5 library (%s)", path,
                           strsignal(WTERMSIG(status)));
  }
  return replay_open(out, path, err); /* the child's verdict on a readable file is the same */
}

double replay_end(const view_replay *r) { return r->frames[(r->nframes - 1) * r->width] * 60; }
const view_hints *replay_hints(const view_replay *r) { return &r->hints; }
const spec *replay_spec(const view_replay *r) { return r->sp; }

const kpi_recovery *replay_recovery(const view_replay *r, size_t *n) {
  *n = r->nrec;
  return r->rec;
}

/* Frame i and weight w so that t lies between frames i and i + 1. */
static void locate(const view_replay *r, double t_h, size_t *i, double *w) {
  size_t lo = 0, hi = r->nframes - 1;
  if (t_h <= r->frames[0]) hi = 0;
  while (lo < hi) {
    size_t mid = (lo + hi + 1) / 2;
    if (r->frames[mid * r->width] <= t_h) lo = mid;
    else hi = mid - 1;
  }
  *i = lo;
  *w = 0;
  if (lo + 1 < r->nframes) {
    double a = r->frames[lo * r->width], b = r->frames[(lo + 1) * r->width];
    *w = t_h > a ? (t_h - a) / (b - a) : 0;
  }
}

/* The last finds up to t, in the slots the live ring would hold them. */
static void finds_at(view_replay *r, double t_min) {
  size_t lo = 0, hi = r->nfinds; /* count of finds at or before t */
  while (lo < hi) {
    size_t mid = (lo + hi) / 2;
    if (r->finds[mid].t_min <= t_min) lo = mid + 1;
    else hi = mid;
  }
  memset(r->snap.find, 0, sizeof r->snap.find);
  for (size_t j = lo > SNAP_FINDS ? lo - SNAP_FINDS : 0; j < lo; j++) r->snap.find[j % SNAP_FINDS] = r->finds[j];
  r->snap.nfind = lo;
}

const snapshot *replay_at(view_replay *r, double t_min) {
  double end = replay_end(r);
  if (t_min > end) t_min = end;
  if (t_min < 0) t_min = 0;
  size_t i;
  double w;
  locate(r, t_min / 60, &i, &w);
  const double *a = r->frames + i * r->width;
  if (w <= 0) {
    snapshot_unpack(&r->snap, a);
  } else {
    double *v = malloc(r->width * sizeof *v);
    if (!v) {
      snapshot_unpack(&r->snap, a);
    } else {
      const double *b = a + r->width;
      for (size_t k = 0; k < r->width; k++) v[k] = r->interp[k] ? (double)llround(a[k] + w * (b[k] - a[k])) : a[k];
      snapshot_unpack(&r->snap, v);
      free(v);
    }
  }
  snapshot *s = &r->snap;
  s->now_min = t_min;
  s->disruption_name = NULL;
  s->disruption_label[0] = s->disruption_label[1] = NULL;
  if (s->disruption_active) {
    int d = s->disruption_index;
    s->disruption_name = spec_disruption_name(r->sp, d);
    if (d >= 0 && r->sp->pres && (size_t)d < r->sp->pres->ndis) {
      s->disruption_label[0] = r->sp->pres->dis[d].t[0];
      s->disruption_label[1] = r->sp->pres->dis[d].t[1];
    }
  }
  finds_at(r, t_min);
  return s;
}
