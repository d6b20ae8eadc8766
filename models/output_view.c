/* output_view: the /view group of a result file: the viewer's frames of replication 0
 * (what a live viewer showed at each frame time, snapshot.h) as one table per part (the
 * run, stations, channels, pools, ports, responses; one row per frame and entity), and
 * every find. `customs-view --replay` plays them back; results/README.md has the layout. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "models/disrupt.h"
#include "models/output.h"
#include "models/output_internal.h"
#include "models/snapshot.h"
#include "sim/recorder.h"

#define VIEW_MAX_COLS 40

static const char *const part_path[SNAP_NPARTS] = {
    "/view/frames", "/view/stations",  "/view/channels",    "/view/pools",
    "/view/ports",  "/view/responses", "/view/coast_zones", "/view/coast_assets"};
static const char *const part_key[SNAP_NPARTS] = {NULL,   "station",  "channel", "pool",
                                                  "port", "response", "zone",    "asset"};
static const char *const part_text[SNAP_NPARTS] = {
    "the run at each frame: clock and disruption in force", "each station at each frame",
    "each channel at each frame", "each staff pool at each frame", "each port at each frame",
    "each response of the continuity plan at each frame", "each coast zone at each frame",
    "each coast asset at each frame"};

static const char *entity_name(const snapshot *s, int part, size_t i) {
  switch (part) {
  case SNAP_PART_STATION: return s->st[i].name;
  case SNAP_PART_CHANNEL: return s->ch[i].name;
  case SNAP_PART_POOL: return s->pool[i].name;
  case SNAP_PART_PORT: return s->port[i].name;
  case SNAP_PART_ZONE: return s->zone[i].name;
  case SNAP_PART_ASSET: return s->asset[i].name;
  default: return "";
  }
}

/* Offset of part's first field in a packed frame. */
static size_t part_offset(const snapshot *s, int part) {
  size_t off = 0, n;
  for (int p = 0; p < part; p++) {
    snapshot_fields(p, &n);
    off += n * snapshot_part_count(s, p);
  }
  return off;
}

/* The frames of a run one at a time, from memory or from the spool file. */
typedef struct frames {
  const kpi_run *k;
  double *buf; /* the last frame read from the file */
  size_t at;   /* its index (SIZE_MAX: none) */
} frames;

static const double *frame_at(frames *f, size_t fr) {
  const kpi_run *k = f->k;
  if (!k->view_file) return k->view + fr * k->view_w;
  if (fr == f->at) return f->buf;
  size_t bytes = k->view_w * sizeof(double);
  if (pread(fileno(k->view_file), f->buf, bytes, (off_t)(fr * bytes)) != (ssize_t)bytes)
    return NULL;
  f->at = fr;
  return f->buf;
}

/* Fills rows r0..r0+n-1 (frame r / ne, entity r % ne) of the columns; -1 if a frame
 * cannot be read. */
static int fill_rows(frames *fs, const snapshot *s, const spec *sp, int part, void **col, size_t r0,
                     size_t n) {
  size_t nf, ne = snapshot_part_count(s, part), off = part_offset(s, part);
  size_t lead = part == SNAP_PART_RUN ? 0 : 2;
  snapshot_fields(part, &nf);
  for (size_t i = 0; i < n; i++) {
    size_t r = r0 + i, e = r % ne;
    const double *v = frame_at(fs, r / ne);
    if (!v) return -1;
    if (lead) {
      ((double *)col[0])[i] = v[0];
      ((const char **)col[1])[i] =
          part == SNAP_PART_RESPONSE ? sp->dis->r[e].name : entity_name(s, part, e);
    }
    for (size_t j = 0; j < nf; j++) ((double *)col[lead + j])[i] = v[off + e * nf + j];
  }
  return 0;
}

/* One table a part, built and appended REC_LOG_ROWS rows at a time (memory stays flat). */
static int write_part(recorder *rec, const snapshot *s, const spec *sp, frames *fs, int part,
                      sim_error *err) {
  size_t nf, ne = snapshot_part_count(s, part);
  const snap_field *f = snapshot_fields(part, &nf);
  if (!ne) return 0;
  rec_col cols[VIEW_MAX_COLS];
  size_t nc = 0, lead = part == SNAP_PART_RUN ? 0 : 2;
  if (lead) {
    cols[nc++] = (rec_col){.name = "time_h",
                           .type = REC_F64,
                           .units = "h",
                           .long_name = "hours from the start of the run"};
    cols[nc++] = (rec_col){part_key[part], REC_STR, "", "its name", NULL, 0};
  }
  for (size_t j = 0; j < nf && nc < VIEW_MAX_COLS; j++)
    cols[nc++] = (rec_col){f[j].name, REC_F64, f[j].units, f[j].long_name, NULL, 0};
  size_t rows = fs->k->nview * ne, blk = rows < REC_LOG_ROWS ? rows : REC_LOG_ROWS;
  void *col[VIEW_MAX_COLS] = {0};
  int rc = 0;
  for (size_t c = 0; c < nc && !rc; c++)
    if (!(col[c] = calloc(blk ? blk : 1, sizeof(double))))
      rc = sim_error_set(err, SIM_ENOMEM, "out of memory");
  rec_log *log = NULL;
  if (!rc) rc = rec_log_open_rows(rec, &log, part_path[part], part_text[part], cols, nc, rows, err);
  for (size_t r0 = 0; !rc && r0 < rows; r0 += blk) {
    size_t n = rows - r0 < blk ? rows - r0 : blk;
    if (fill_rows(fs, s, sp, part, col, r0, n))
      rc = sim_error_set(err, SIM_EIO, "cannot read back the viewer's frames");
    if (!rc) rc = rec_log_append(log, n, (const void *const *)col, err);
  }
  if (log && rec_log_close(log, err) && !rc) rc = err->code;
  for (size_t c = 0; c < nc; c++) free(col[c]);
  return rc;
}

static const char *const find_extra[KPI_SEIZE_N - CONTRA_N] = {"ipr", "duty", "export"};

static int write_finds(recorder *rec, const spec *sp, const kpi_run *k, sim_error *err) {
  const char *kinds[KPI_SEIZE_N];
  output_seize_labels(kinds, find_extra);
  const rec_col cols[] = {
      {.name = "time_h",
       .type = REC_F64,
       .units = "h",
       .long_name = "hours from the start of the run"},
      {.name = "station", .type = REC_STR, .units = "", .long_name = "where it was found"},
      {.name = "channel", .type = REC_STR, .units = "", .long_name = "the item's channel"},
      {.name = "kind",
       .type = REC_ENUM,
       .units = "",
       .long_name = "what was found",
       .labels = kinds,
       .nlabels = KPI_SEIZE_N},
  };
  size_t n = k->nfinds, blk = n < REC_LOG_ROWS ? n : REC_LOG_ROWS;
  double *t = calloc(blk ? blk : 1, sizeof *t);
  const char **st = calloc(blk ? blk : 1, sizeof *st), **ch = calloc(blk ? blk : 1, sizeof *ch);
  int32_t *kind = calloc(blk ? blk : 1, sizeof *kind);
  kpi_find *buf = k->finds_file ? calloc(blk ? blk : 1, sizeof *buf) : NULL;
  int rc = t && st && ch && kind && (buf || !k->finds_file)
               ? 0
               : sim_error_set(err, SIM_ENOMEM, "out of memory");
  rec_log *log = NULL;
  const void *c[] = {t, st, ch, kind};
  if (!rc)
    rc = rec_log_open_rows(rec, &log, "/view/finds", "every find of replication 0, as it happened",
                           cols, 4, n ? n : 1, err);
  /* blk finds at a time, from memory or from the spool file (memory stays flat) */
  for (size_t r0 = 0; !rc && r0 < n; r0 += blk) {
    size_t m = n - r0 < blk ? n - r0 : blk;
    const kpi_find *f = k->finds + r0;
    if (k->finds_file) {
      f = buf;
      if (pread(fileno(k->finds_file), buf, m * sizeof *buf, (off_t)(r0 * sizeof *buf)) !=
          (ssize_t)(m * sizeof *buf))
        rc = sim_error_set(err, SIM_EIO, "cannot read back the finds of the run");
    }
    for (size_t i = 0; !rc && i < m; i++) {
      t[i] = f[i].t_min / 60;
      st[i] = f[i].station >= 0 && (size_t)f[i].station < sp->nst ? sp->st[f[i].station].name : "?";
      ch[i] = f[i].channel >= 0 && (size_t)f[i].channel < sp->nch ? sp->ch[f[i].channel].name : "?";
      kind[i] = f[i].kind >= 0 && f[i].kind < KPI_SEIZE_N ? f[i].kind : 0;
    }
    if (!rc) rc = rec_log_append(log, m, c, err);
  }
  if (log && rec_log_close(log, err) && !rc) rc = err->code;
  free(t);
  free(st);
  free(ch);
  free(kind);
  free(buf);
  return rc;
}

int output_view_write(recorder *rec, const output_meta *m, const kpi_run *k, sim_error *err) {
  if (m->first_rep != 0 || !k->nview) return 0;
  snapshot s = {0};
  if (snapshot_shape(m->sp, &s)) return sim_error_set(err, SIM_ENOMEM, "out of memory");
  int rc = snapshot_frame_width(&s) == k->view_w
               ? 0
               : sim_error_set(err, SIM_ERUN, "viewer frames of the wrong size");
  frames fs = {k, k->view_file ? malloc(k->view_w * sizeof(double)) : NULL, SIZE_MAX};
  if (!rc && k->view_file && !fs.buf) rc = sim_error_set(err, SIM_ENOMEM, "out of memory");
  for (int p = 0; !rc && p < SNAP_NPARTS; p++) rc = write_part(rec, &s, m->sp, &fs, p, err);
  free(fs.buf);
  if (!rc) rc = write_finds(rec, m->sp, k, err);
  if (!rc) rc = rec_attr_f64(rec, "/view", "frame_min", s.frame_min, err);
  if (!rc)
    rc = rec_attr_str(rec, "/view", "long_name",
                      "what the viewer showed at each frame (customs-view --replay)", err);
  snapshot_free(&s);
  return rc;
}
