/* replay: reading /view of a result file through the reader of result files that
 * customs-report uses (models/report/report.h; see replay.h). */
#include "viz/replay.h"

#include <errno.h>
#include <math.h>
#include <signal.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include "models/disrupt.h"
#include "models/present.h"
#include "models/report/report.h"
#include "models/scenario/scenario.h"
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

/* A table of the file, or NULL when it is missing, unreadable or implausibly long. */
static report_table *open_table(const report_file *f, const char *path) {
  report_table *t = NULL;
  if (!report_exists(f, path) || report_table_open(f, path, &t, NULL)) return NULL;
  if (report_table_rows(t) > REPLAY_MAX_ROWS) {
    report_table_close(t);
    return NULL;
  }
  return t;
}

/* Column `name` of t, text (text = 1) or a number (integer, float or enum code); -1
 * when it is missing or of the other kind. */
static long column(const report_table *t, const char *name, int text) {
  long c = report_table_find(t, name);
  if (c < 0) return -1;
  return (report_table_kind(t, (size_t)c) == REPORT_STR) == (text != 0) ? c : -1;
}

/* Loads the block of rows from `first` on; its length, 0 when the read failed. */
static size_t load(report_table *t, size_t first) {
  if (report_table_load(t, first, report_table_rows(t) - first, NULL)) return 0;
  return report_table_loaded(t);
}

static const char *const part_path[SNAP_NPARTS] = {
    "/view/frames", "/view/stations",  "/view/channels",    "/view/pools",
    "/view/ports",  "/view/responses", "/view/coast_zones", "/view/coast_assets"};

/* One part's table into the frames (the inverse of output_view.c). */
static int read_part(const report_file *f, view_replay *r, int part, size_t off) {
  size_t nf, ne = snapshot_part_count(&r->snap, part);
  const snap_field *fl = snapshot_fields(part, &nf);
  if (!ne) return 0;
  size_t rows = r->nframes * ne;
  report_table *t = open_table(f, part_path[part]);
  long *col = malloc((nf + 1) * sizeof *col);
  int rc = t && col && report_table_rows(t) == rows ? 0 : -1;
  for (size_t j = 0; !rc && j < nf; j++)
    if ((col[j] = column(t, fl[j].name, 0)) < 0) rc = -1;
  for (size_t first = 0, got = 0; !rc && first < rows; first += got) {
    if (!(got = load(t, first))) rc = -1;
    for (size_t i = 0; i < got; i++) {
      size_t fr = (first + i) / ne, e = (first + i) % ne;
      double *v = r->frames + fr * r->width + off + e * nf;
      for (size_t j = 0; j < nf; j++) v[j] = report_table_f64(t, (size_t)col[j], i);
    }
  }
  free(col);
  report_table_close(t);
  return rc;
}

static int index_of(const char *name, const spec *sp, int station) {
  if (!name) return -1;
  return station ? spec_station_index(sp, name) : spec_channel_index(sp, name);
}

static int read_finds(const report_file *f, view_replay *r) {
  report_table *t = open_table(f, "/view/finds");
  size_t n = t ? report_table_rows(t) : 0;
  long time_h = t ? column(t, "time_h", 0) : -1, kind = t ? column(t, "kind", 0) : -1;
  long st = t ? column(t, "station", 1) : -1, ch = t ? column(t, "channel", 1) : -1;
  r->finds = calloc(n + 1, sizeof *r->finds);
  int rc = r->finds && time_h >= 0 && kind >= 0 && st >= 0 && ch >= 0 ? 0 : -1;
  for (size_t first = 0, got = 0; !rc && first < n; first += got) {
    if (!(got = load(t, first))) rc = -1;
    for (size_t i = 0; !rc && i < got; i++) {
      size_t k = first + i;
      r->finds[k] = (kpi_find){report_table_f64(t, (size_t)time_h, i) * 60,
                               index_of(report_table_str(t, (size_t)st, i), r->sp, 1),
                               index_of(report_table_str(t, (size_t)ch, i), r->sp, 0),
                               (int32_t)report_table_f64(t, (size_t)kind, i)};
      if (k && r->finds[k].t_min < r->finds[k - 1].t_min) rc = -1;
    }
  }
  r->nfinds = rc ? 0 : n;
  report_table_close(t);
  return rc;
}

/* /kpi/recovery of replication 0 (for the drill's scorecard); absent is fine. */
static void read_recovery(const report_file *f, view_replay *r) {
  static const char *const name[] = {"replication", "is_port", "peak_backlog", "time_to_normal_h",
                                     "rto_h",       "rto_met"};
  report_table *t = open_table(f, "/kpi/recovery");
  size_t n = t ? report_table_rows(t) : 0;
  long scope = n ? column(t, "scope", 1) : -1, c[6];
  int ok = scope >= 0;
  for (int k = 0; k < 6; k++) ok = ok && (c[k] = column(t, name[k], 0)) >= 0;
  r->rec = ok ? calloc(n, sizeof *r->rec) : NULL;
  r->rec_scope = ok ? calloc(n, sizeof *r->rec_scope) : NULL;
  ok = ok && r->rec && r->rec_scope;
  for (size_t first = 0, got = 0; ok && first < n; first += got) {
    ok = (got = load(t, first)) > 0;
    for (size_t i = 0; ok && i < got; i++) {
      double v[6];
      for (int k = 0; k < 6; k++) v[k] = report_table_f64(t, (size_t)c[k], i);
      if (v[0] != 0) continue;
      char *s = strdup(report_table_str(t, (size_t)scope, i));
      if (!(ok = s != NULL)) break;
      r->rec_scope[r->nrec] = s;
      r->rec[r->nrec++] = (kpi_recovery){.scope = s, .is_port = v[1] != 0,
                                         .peak_backlog = v[2], .time_to_normal_h = v[3],
                                         .rto_h = v[4], .rto_met = v[5] != 0};
    }
  }
  if (!ok) { /* all or nothing */
    for (size_t i = 0; r->rec_scope && i < r->nrec; i++) free(r->rec_scope[i]);
    free(r->rec_scope);
    free(r->rec);
    r->rec_scope = NULL, r->rec = NULL, r->nrec = 0;
  }
  report_table_close(t);
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
  static const char *const moving[] = {"busy",     "queue",   "in_system", "arrived", "released",
                                       "inspected", "backlog", "waiting",   "served"};
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

static int read_view(const report_file *f, view_replay *r) {
  report_table *t = open_table(f, "/view/frames");
  r->nframes = t ? report_table_rows(t) : 0;
  report_table_close(t);
  if (r->nframes < 1) return -1;
  r->width = snapshot_frame_width(&r->snap);
  if (r->width && r->nframes > (size_t)REPLAY_MAX_ROWS / r->width) return -1;
  r->frames = calloc(r->nframes * r->width, sizeof *r->frames);
  if (!r->frames) return -1;
  size_t off = 0, nf;
  for (int p = 0; p < SNAP_NPARTS; p++) {
    if (read_part(f, r, p, off)) return -1;
    snapshot_fields(p, &nf);
    off += nf * snapshot_part_count(&r->snap, p);
  }
  for (size_t i = 0; i < r->nframes; i++) /* time_h: finite and increasing */
    if (!isfinite(r->frames[i * r->width]) ||
        (i && r->frames[i * r->width] <= r->frames[(i - 1) * r->width]))
      return -1;
  return mark_interp(r);
}

static int build(const report_file *f, view_replay *r) {
  char *text = NULL;
  report_attr_string(f, "scenario", &text, NULL);
  int rc = stored_spec(r, text);
  free(text);
  if (rc || snapshot_shape(r->sp, &r->snap)) return -2;
  if (read_view(f, r) || read_finds(f, r)) return -1;
  read_recovery(f, r);
  r->attach = calloc(r->sp->nst + 1, sizeof *r->attach);
  r->pool_of = calloc(r->sp->nst + 1, sizeof *r->pool_of);
  if (!r->attach || !r->pool_of) return -1;
  hints_from_snapshot(&r->snap, r->attach, r->pool_of);
  r->hints = (view_hints){r->attach, r->pool_of};
  replay_at(r, 0);
  return 0;
}

int replay_open(view_replay **out, const char *path, sim_error *err) {
  *out = NULL;
  report_quiet(); /* our own one-line errors, not HDF5's stack */
  if (access(path, R_OK))
    return sim_error_set(err, SIM_EIO, "cannot open '%s': no such file", path);
  if (!report_is_hdf5(path)) return sim_error_set(err, SIM_EIO, "'%s' is not an HDF5 file", path);
  report_file *f = NULL;
  if (report_open_hdf5(&f, path, NULL))
    return sim_error_set(err, SIM_EIO, "cannot open '%s' (corrupt HDF5 file?)", path);
  view_replay *r = calloc(1, sizeof *r);
  int rc = r ? build(f, r) : -1;
  int frames = r && report_exists(f, "/view/frames");
  report_close(f);
  if (rc) {
    replay_free(r);
    if (rc == -2)
      return sim_error_set(err, SIM_EIO,
                           "'%s': its stored scenario does not load with this version", path);
    if (!frames)
      return sim_error_set(err, SIM_EIO,
                           "'%s' has no viewer frames (/view): run it again with this customs-sim",
                           path);
    return sim_error_set(err, SIM_EIO,
                         "'%s' is not a readable customs-sim result (see results/README.md)", path);
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
      return sim_error_set(err, SIM_EIO,
                           "%s: damaged file: reading it crashed the HDF5 library (%s)", path,
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
  for (size_t j = lo > SNAP_FINDS ? lo - SNAP_FINDS : 0; j < lo; j++)
    r->snap.find[j % SNAP_FINDS] = r->finds[j];
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
      for (size_t k = 0; k < r->width; k++)
        v[k] = r->interp[k] ? (double)llround(a[k] + w * (b[k] - a[k])) : a[k];
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
