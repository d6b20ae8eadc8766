/* recorder: the generic HDF5 writer behind sim/recorder.h. This room turns column
 * descriptions into HDF5 compound types, writes tables, logs, axes and series with
 * their `units` and `long_name`, and summarises per-replication rows into means and
 * Student-t half-widths. It knows nothing about what the columns mean. The low-level
 * helpers (errors, paths, groups, attributes) are in recorder_h5.c.
 *
 * Every public function silences HDF5's automatic error printing while it runs and
 * turns a failure into one sim_error line naming the file (and the object). */
#include "sim/recorder.h"
#include "sim/recorder_internal.h"

#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <unistd.h>

#include <gsl/gsl_cdf.h>
#include <hdf5.h>
#include <hdf5_hl.h>

enum { LOG_CHUNK_ROWS = REC_LOG_ROWS, GZIP_LEVEL = 4, SERIES_CHUNK = 8192 };

/* How rows of a column set sit in memory (aligned) and in the file (packed). */
typedef struct layout {
  size_t ncols, rowsize;
  size_t *offs;
  rec_type *types;
  int *nlabels;
  hid_t mtype, ftype;
} layout;

struct rec_log {
  recorder *r;
  rec_log *next;
  char *path;
  layout lay;
  hid_t dset;
  hsize_t nrows;
  size_t cap;         /* rows that fit in buf */
  unsigned char *buf; /* the only per-log buffer, so memory does not grow with rows */
};


/* ---- compound layouts ------------------------------------------------------- */

static int check_cols(const char *path, const rec_col *cols, size_t ncols, sim_error *err) {
  if (!cols || ncols == 0) return sim_error_set(err, SIM_EINVAL, "%s: no columns", path);
  for (size_t i = 0; i < ncols; i++) {
    const rec_col *c = &cols[i];
    if (!c->name || !c->name[0])
      return sim_error_set(err, SIM_EINVAL, "%s: column %zu has no name", path, i);
    if (c->type < REC_I64 || c->type > REC_ENUM)
      return sim_error_set(err, SIM_EINVAL, "%s: column %s has an unknown type", path, c->name);
    for (size_t j = 0; j < i; j++)
      if (strcmp(cols[j].name, c->name) == 0)
        return sim_error_set(err, SIM_EINVAL, "%s: column %s appears twice", path, c->name);
    if (c->type != REC_ENUM) continue;
    if (!c->labels || c->nlabels <= 0)
      return sim_error_set(err, SIM_EINVAL, "%s: enum column %s has no labels", path, c->name);
    for (int a = 0; a < c->nlabels; a++) {
      if (!c->labels[a] || !c->labels[a][0])
        return sim_error_set(err, SIM_EINVAL, "%s: enum column %s: label %d is empty", path,
                             c->name, a);
      for (int b = 0; b < a; b++)
        if (strcmp(c->labels[a], c->labels[b]) == 0)
          return sim_error_set(err, SIM_EINVAL, "%s: enum column %s: label %s appears twice", path,
                               c->name, c->labels[a]);
    }
  }
  return SIM_OK;
}

static hid_t member_type(const rec_col *c) {
  if (c->type == REC_I64) return H5Tcopy(H5T_NATIVE_INT64);
  if (c->type == REC_F64) return H5Tcopy(H5T_NATIVE_DOUBLE);
  if (c->type == REC_STR) return rec_str_type();
  hid_t t = H5Tenum_create(H5T_NATIVE_INT32);
  for (int32_t i = 0; t >= 0 && i < c->nlabels; i++) {
    if (H5Tenum_insert(t, c->labels[i], &i) < 0) {
      H5Tclose(t);
      t = -1;
    }
  }
  return t;
}

static void layout_free(layout *L) {
  rec_h5_close(L->mtype);
  rec_h5_close(L->ftype);
  free(L->offs);
  free(L->types);
  free(L->nlabels);
  memset(L, 0, sizeof *L);
  L->mtype = L->ftype = -1;
}

/* Memory rows align each member to its size; the file type is the packed copy. */
static int layout_init(layout *L, const rec_col *cols, size_t ncols) {
  L->ncols = ncols;
  L->mtype = L->ftype = -1;
  L->offs = calloc(ncols, sizeof *L->offs);
  L->types = calloc(ncols, sizeof *L->types);
  L->nlabels = calloc(ncols, sizeof *L->nlabels);
  if (!L->offs || !L->types || !L->nlabels) return SIM_ENOMEM;
  size_t off = 0;
  for (size_t i = 0; i < ncols; i++) {
    size_t sz = cols[i].type == REC_ENUM ? sizeof(int32_t) : 8;
    off = (off + sz - 1) / sz * sz;
    L->offs[i] = off;
    L->types[i] = cols[i].type;
    L->nlabels[i] = cols[i].nlabels;
    off += sz;
  }
  L->rowsize = (off + 7) / 8 * 8;
  L->mtype = H5Tcreate(H5T_COMPOUND, L->rowsize);
  for (size_t i = 0; L->mtype >= 0 && i < ncols; i++) {
    hid_t m = member_type(&cols[i]);
    herr_t rc = m < 0 ? -1 : H5Tinsert(L->mtype, cols[i].name, L->offs[i], m);
    rec_h5_close(m);
    if (rc < 0) return SIM_EIO;
  }
  if (L->mtype < 0) return SIM_EIO;
  L->ftype = H5Tcopy(L->mtype);
  if (L->ftype < 0 || H5Tpack(L->ftype) < 0) return SIM_EIO;
  return SIM_OK;
}

/* ---- tables and logs -------------------------------------------------------- */

static herr_t describe_fields(hid_t d, const rec_col *cols, size_t ncols) {
  const char **u = malloc(ncols * sizeof *u), **ln = malloc(ncols * sizeof *ln);
  herr_t rc = -1;
  if (u && ln) {
    for (size_t i = 0; i < ncols; i++) {
      u[i] = cols[i].units ? cols[i].units : "1";
      ln[i] = cols[i].long_name ? cols[i].long_name : cols[i].name;
    }
    rc = rec_put_strs(d, "field_units", u, ncols);
    if (rc >= 0) rc = rec_put_strs(d, "field_long_names", ln, ncols);
  }
  free(u);
  free(ln);
  return rc;
}

/* Chunked datasets get a chunk cache that holds two chunks, so appends that start in
 * the middle of a chunk do not re-read and re-compress it. */
static hid_t create_dset(recorder *r, const char *path, hid_t ftype, int rank, const hsize_t *dims,
                         const hsize_t *maxdims, const hsize_t *chunk) {
  hid_t sp = H5Screate_simple(rank, dims, maxdims), lcpl = rec_lcpl_new();
  hid_t dcpl = H5Pcreate(H5P_DATASET_CREATE), dapl = H5Pcreate(H5P_DATASET_ACCESS), d = -1;
  bool ok = sp >= 0 && lcpl >= 0 && dcpl >= 0 && dapl >= 0 &&
            H5Pset_obj_track_times(dcpl, 0) >= 0 && rec_ensure_parents(r, path) == 0;
  if (ok && chunk) {
    double bytes = (double)H5Tget_size(ftype) * 2.0;
    for (int i = 0; i < rank; i++) bytes *= (double)chunk[i];
    ok = H5Pset_chunk(dcpl, rank, chunk) >= 0 && H5Pset_shuffle(dcpl) >= 0 &&
         H5Pset_deflate(dcpl, GZIP_LEVEL) >= 0 &&
         H5Pset_chunk_cache(dapl, 521, bytes > 1048576.0 ? (size_t)bytes : 1048576, 0.75) >= 0;
  }
  if (ok) d = H5Dcreate2(r->file, path, ftype, sp, lcpl, dcpl, dapl);
  rec_h5_close(sp);
  rec_h5_close(lcpl);
  rec_h5_close(dcpl);
  rec_h5_close(dapl);
  return d;
}

static int check_new(recorder *r, const char *path, sim_error *err) {
  int rc = rec_check_path(r, path, err);
  if (rc) return rc;
  rec_quiet q = rec_quiet_on();
  if (rec_exists(r->file, path) > 0)
    rc = sim_error_set(err, SIM_EINVAL, "%s: %s already exists", r->partial, path);
  rec_quiet_off(q);
  return rc;
}

static herr_t log_free(rec_log *l) {
  if (!l) return 0;
  herr_t rc = l->dset >= 0 ? H5Dclose(l->dset) : 0;
  layout_free(&l->lay);
  free(l->buf);
  free(l->path);
  free(l);
  return rc;
}

static int log_create(recorder *r, rec_log **out, const char *path, const char *long_name,
                      const rec_col *cols, size_t ncols, size_t chunk_rows, sim_error *err) {
  *out = NULL;
  int rc = check_new(r, path, err);
  if (!rc) rc = check_cols(path, cols, ncols, err);
  if (rc) return rc;
  rec_log *l = calloc(1, sizeof *l);
  if (!l) return sim_error_set(err, SIM_ENOMEM, "%s: %s: out of memory", r->partial, path);
  l->r = r;
  l->dset = -1;
  l->cap = chunk_rows;
  l->path = rec_dup(path);
  rc = layout_init(&l->lay, cols, ncols);
  if (!rc && (!l->path || !(l->buf = malloc(chunk_rows * l->lay.rowsize)))) rc = SIM_ENOMEM;
  hsize_t dim = 0, maxdim = H5S_UNLIMITED, chunk = chunk_rows;
  if (!rc) l->dset = create_dset(r, path, l->lay.ftype, 1, &dim, &maxdim, &chunk);
  /* A table is the dimension scale of its own rows, so netCDF readers (xarray) open its
   * group instead of failing on a dataset without dimensions. */
  if (!rc && (l->dset < 0 || rec_describe(l->dset, "see field_units", long_name) < 0 ||
              describe_fields(l->dset, cols, ncols) < 0 ||
              H5DSset_scale(l->dset, strrchr(path, '/') + 1) < 0))
    rc = SIM_EIO;
  if (rc == SIM_ENOMEM) sim_error_set(err, rc, "%s: %s: out of memory", r->partial, path);
  else if (rc) rec_h5_fail(r, err, "%s: cannot create table", path);
  if (rc) log_free(l);
  else *out = l;
  return rc;
}

static int check_batch(const rec_log *l, size_t nrows, const void *const *columns, sim_error *err) {
  if (nrows == 0) return SIM_OK;
  if (!columns)
    return sim_error_set(err, SIM_EINVAL, "%s: %s: no column data", l->r->partial, l->path);
  for (size_t c = 0; c < l->lay.ncols; c++) {
    if (!columns[c])
      return sim_error_set(err, SIM_EINVAL, "%s: %s: column %zu has no data", l->r->partial,
                           l->path, c);
    if (l->lay.types[c] != REC_ENUM) continue;
    const int32_t *v = columns[c];
    for (size_t i = 0; i < nrows; i++)
      if (v[i] < 0 || v[i] >= l->lay.nlabels[c])
        return sim_error_set(err, SIM_EINVAL, "%s: %s: row %zu: enum code %d out of range 0..%d",
                             l->r->partial, l->path, i, (int)v[i], l->lay.nlabels[c] - 1);
  }
  return SIM_OK;
}

static void pack_rows(rec_log *l, const void *const *columns, size_t first, size_t count) {
  const layout *L = &l->lay;
  for (size_t c = 0; c < L->ncols; c++) {
    const unsigned char *col = columns[c];
    size_t width = L->types[c] == REC_ENUM ? sizeof(int32_t) : 8;
    for (size_t i = 0; i < count; i++) {
      unsigned char *dst = l->buf + i * L->rowsize + L->offs[c];
      if (L->types[c] == REC_STR) {
        const char *s = ((const char *const *)col)[first + i];
        if (!s) s = "";
        memcpy(dst, &s, sizeof s);
      } else {
        memcpy(dst, col + (first + i) * width, width);
      }
    }
  }
}

static int log_write(rec_log *l, size_t nrows, const void *const *columns, sim_error *err) {
  int rc = check_batch(l, nrows, columns, err);
  for (size_t done = 0; !rc && done < nrows;) {
    size_t blk = nrows - done < l->cap ? nrows - done : l->cap;
    pack_rows(l, columns, done, blk);
    hsize_t start = l->nrows, count = blk, size = l->nrows + blk;
    hid_t fs = -1, ms = -1;
    if (H5Dset_extent(l->dset, &size) < 0 || (fs = H5Dget_space(l->dset)) < 0 ||
        H5Sselect_hyperslab(fs, H5S_SELECT_SET, &start, NULL, &count, NULL) < 0 ||
        (ms = H5Screate_simple(1, &count, NULL)) < 0 ||
        H5Dwrite(l->dset, l->lay.mtype, ms, fs, H5P_DEFAULT, l->buf) < 0)
      rc = rec_h5_fail(l->r, err, "%s: cannot write rows %llu..%llu", l->path,
                   (unsigned long long)start, (unsigned long long)(size - 1));
    rec_h5_close(fs);
    rec_h5_close(ms);
    if (!rc) l->nrows = size;
    done += blk;
  }
  return rc;
}

int rec_table(recorder *r, const char *path, const char *long_name, const rec_col *cols,
              size_t ncols, size_t nrows, const void *const *columns, sim_error *err) {
  rec_quiet q = rec_quiet_on();
  rec_log *l = NULL;
  size_t chunk = nrows < 1 ? 1 : nrows > LOG_CHUNK_ROWS ? LOG_CHUNK_ROWS : nrows;
  int rc = log_create(r, &l, path, long_name, cols, ncols, chunk, err);
  if (!rc) rc = log_write(l, nrows, columns, err);
  if (l && log_free(l) < 0 && !rc) rc = rec_h5_fail(r, err, "%s: cannot close table", path);
  rec_quiet_off(q);
  return rc;
}

int rec_log_open(recorder *r, rec_log **out, const char *path, const char *long_name,
                 const rec_col *cols, size_t ncols, sim_error *err) {
  return rec_log_open_rows(r, out, path, long_name, cols, ncols, 0, err);
}

int rec_log_open_rows(recorder *r, rec_log **out, const char *path, const char *long_name,
                      const rec_col *cols, size_t ncols, size_t rows, sim_error *err) {
  if (!out) return sim_error_set(err, SIM_EINVAL, "rec_log_open: no output pointer");
  rec_quiet q = rec_quiet_on();
  size_t chunk = rows == 0 || rows > LOG_CHUNK_ROWS ? LOG_CHUNK_ROWS : rows;
  int rc = log_create(r, out, path, long_name, cols, ncols, chunk, err);
  if (!rc) {
    (*out)->next = r->logs;
    r->logs = *out;
  }
  rec_quiet_off(q);
  return rc;
}

int rec_log_append(rec_log *l, size_t nrows, const void *const *columns, sim_error *err) {
  if (!l) return sim_error_set(err, SIM_EINVAL, "rec_log_append: no log given");
  rec_quiet q = rec_quiet_on();
  int rc = log_write(l, nrows, columns, err);
  rec_quiet_off(q);
  return rc;
}

int rec_log_close(rec_log *l, sim_error *err) {
  if (!l) return SIM_OK;
  recorder *r = l->r;
  for (rec_log **p = &r->logs; *p; p = &(*p)->next) {
    if (*p == l) {
      *p = l->next;
      break;
    }
  }
  rec_quiet q = rec_quiet_on();
  char *path = rec_dup(l->path);
  int rc =
      log_free(l) < 0 ? rec_h5_fail(r, err, "%s: cannot close log", path ? path : "log") : SIM_OK;
  free(path);
  rec_quiet_off(q);
  return rc;
}

/* ---- axes and series -------------------------------------------------------- */

static hid_t put_vector(recorder *r, const char *path, hid_t mtype, const void *values, size_t n,
                        const char *units, const char *long_name) {
  hsize_t dim = n;
  hid_t d = create_dset(r, path, mtype, 1, &dim, NULL, NULL);
  if (d < 0) return -1;
  if ((n > 0 && H5Dwrite(d, mtype, H5S_ALL, H5S_ALL, H5P_DEFAULT, values) < 0) ||
      rec_describe(d, units, long_name) < 0) {
    H5Dclose(d);
    return -1;
  }
  return d;
}

static int vector(recorder *r, const char *path, const char *scale, const double *values, size_t n,
                  const char *units, const char *long_name, sim_error *err) {
  int rc = check_new(r, path, err);
  if (rc) return rc;
  if (n > 0 && !values)
    return sim_error_set(err, SIM_EINVAL, "%s: %s: no values", r->partial, path);
  rec_quiet q = rec_quiet_on();
  hid_t d = put_vector(r, path, H5T_NATIVE_DOUBLE, values, n, units, long_name);
  if (d < 0 || (scale && H5DSset_scale(d, scale) < 0))
    rc = rec_h5_fail(r, err, "%s: cannot write", path);
  rec_h5_close(d);
  rec_quiet_off(q);
  return rc;
}

int rec_axis(recorder *r, const char *path, const char *name, const double *values, size_t n,
             const char *units, const char *long_name, sim_error *err) {
  if (!name || !name[0])
    return sim_error_set(err, SIM_EINVAL, "rec_axis: %s: empty scale name", path ? path : "");
  return vector(r, path, name, values, n, units, long_name, err);
}

int rec_array(recorder *r, const char *path, const double *values, size_t n, const char *units,
              const char *long_name, sim_error *err) {
  return vector(r, path, NULL, values, n, units, long_name, err);
}

static hssize_t length_of(hid_t d) {
  hid_t sp = H5Dget_space(d);
  hssize_t n =
      sp < 0 || H5Sget_simple_extent_ndims(sp) != 1 ? -1 : H5Sget_simple_extent_npoints(sp);
  rec_h5_close(sp);
  return n;
}

/* The path of the `replication` scale beside an axis (/series/time ->
 * /series/replication); malloc'd, NULL without memory. */
static char *replication_path(const char *axis_path) {
  size_t dir = (size_t)(strrchr(axis_path, '/') - axis_path), size = dir + sizeof "/replication";
  char *path = malloc(size);
  if (path) snprintf(path, size, "%.*s/replication", (int)dir, axis_path);
  return path;
}

/* The `replication` scale at path, created on first use and shared by every series on
 * its axis. */
static int replication_scale(recorder *r, const char *path, size_t nrep, sim_error *err) {
  hid_t d = -1;
  int rc = SIM_OK;
  if (rec_exists(r->file, path) > 0) {
    d = H5Dopen2(r->file, path, H5P_DEFAULT);
    if (d < 0 || length_of(d) != (hssize_t)nrep)
      rc = sim_error_set(err, SIM_EINVAL, "%s: %s does not have %zu entries", r->partial, path,
                         nrep);
  } else {
    int64_t *idx = malloc(nrep * sizeof *idx);
    if (!idx) return sim_error_set(err, SIM_ENOMEM, "%s: out of memory", r->partial);
    for (size_t i = 0; i < nrep; i++) idx[i] = (int64_t)i;
    d = put_vector(r, path, H5T_NATIVE_INT64, idx, nrep, "1", "replication index (0-based)");
    if (d < 0 || H5DSset_scale(d, "replication") < 0)
      rc = rec_h5_fail(r, err, "%s: cannot write", path);
    free(idx);
  }
  rec_h5_close(d);
  return rc;
}

static int open_axis(recorder *r, const char *axis_path, size_t n, hid_t *axis, sim_error *err) {
  *axis = rec_exists(r->file, axis_path) > 0 ? H5Dopen2(r->file, axis_path, H5P_DEFAULT) : -1;
  if (*axis < 0 || H5DSis_scale(*axis) <= 0)
    return sim_error_set(err, SIM_EINVAL, "%s: %s is not an axis (write it with rec_axis first)",
                         r->partial, axis_path);
  if (length_of(*axis) != (hssize_t)n)
    return sim_error_set(err, SIM_EINVAL, "%s: axis %s does not have %zu values", r->partial,
                         axis_path, n);
  return SIM_OK;
}

/* Labels the dimensions now; the scales are attached at close (recorder_coords.c). */
static herr_t attach(recorder *r, hid_t d, const char *path, hid_t axis, const char *axis_path,
                     const char *rep_path) {
  char name[128] = "";
  if (H5DSget_scale_name(axis, name, sizeof name) < 0) return -1;
  if (H5DSset_label(d, 0, "replication") < 0) return -1;
  if (H5DSset_label(d, 1, name[0] ? name : "axis") < 0) return -1;
  return rec_note_series(r, path, axis_path, rep_path);
}

static int series(recorder *r, const char *path, const char *axis_path, const double *data,
                  size_t nrep, size_t n, const char *units, const char *long_name, sim_error *err) {
  hid_t axis = -1, d = -1;
  char *rep = replication_path(axis_path);
  int rc = rep ? open_axis(r, axis_path, n, &axis, err)
               : sim_error_set(err, SIM_ENOMEM, "%s: out of memory", r->partial);
  if (!rc) rc = replication_scale(r, rep, nrep, err);
  if (!rc) {
    hsize_t dims[2] = {nrep, n}, chunk[2] = {1, n < SERIES_CHUNK ? n : SERIES_CHUNK};
    d = create_dset(r, path, H5T_NATIVE_DOUBLE, 2, dims, NULL, n > 0 ? chunk : NULL);
    if (d < 0 ||
        (n > 0 && H5Dwrite(d, H5T_NATIVE_DOUBLE, H5S_ALL, H5S_ALL, H5P_DEFAULT, data) < 0) ||
        rec_describe(d, units, long_name) < 0 || attach(r, d, path, axis, axis_path, rep) < 0)
      rc = rec_h5_fail(r, err, "%s: cannot write series", path);
  }
  rec_h5_close(d);
  rec_h5_close(axis);
  free(rep);
  return rc;
}

int rec_series(recorder *r, const char *path, const char *axis_path, const double *data,
               size_t nrep, size_t n, const char *units, const char *long_name, sim_error *err) {
  int rc = check_new(r, path, err);
  if (!rc) rc = rec_check_path(r, axis_path, err);
  if (rc) return rc;
  if (nrep < 1 || (n > 0 && !data))
    return sim_error_set(err, SIM_EINVAL, "%s: %s: a series needs nrep >= 1 and data", r->partial,
                         path);
  rec_quiet q = rec_quiet_on();
  rc = series(r, path, axis_path, data, nrep, n, units, long_name, err);
  rec_quiet_off(q);
  return rc;
}

/* Hooks for recorder_summary.c (recorder_internal.h). */
int rec_check_new(recorder *r, const char *path, sim_error *err) { return check_new(r, path, err); }
int rec_check_cols(const char *path, const rec_col *cols, size_t ncols, sim_error *err) {
  return check_cols(path, cols, ncols, err);
}
const char *rec_partial_path(const recorder *r) { return r->partial; }

/* ---- file lifecycle ---------------------------------------------------------- */

int rec_open(recorder **out, const char *path, sim_error *err) {
  if (!out) return sim_error_set(err, SIM_EINVAL, "rec_open: no output pointer");
  *out = NULL;
  if (!path || !path[0]) return sim_error_set(err, SIM_EINVAL, "rec_open: empty output path");
  recorder *r = calloc(1, sizeof *r);
  size_t n = strlen(path) + sizeof ".partial";
  if (r) r->partial = malloc(n), r->path = rec_dup(path);
  if (!r || !r->partial || !r->path) {
    if (r) free(r->partial), free(r->path), free(r);
    return sim_error_set(err, SIM_ENOMEM, "%s: out of memory", path);
  }
  snprintf(r->partial, n, "%s.partial", path);
  rec_quiet q = rec_quiet_on();
  hid_t fapl = H5Pcreate(H5P_FILE_ACCESS);
  r->file = -1;
  /* 1.8 format: readable by every current HDF5, and large attributes go to dense
   * storage. sec2 (plain POSIX I/O) because divert() relies on its file descriptor. */
  hid_t fcpl = H5Pcreate(H5P_FILE_CREATE); /* the root group: no modification time either */
  if (fapl >= 0 && fcpl >= 0 && H5Pset_obj_track_times(fcpl, 0) >= 0 &&
      H5Pset_libver_bounds(fapl, H5F_LIBVER_V18, H5F_LIBVER_V18) >= 0 &&
      H5Pset_fapl_sec2(fapl) >= 0)
    r->file = H5Fcreate(r->partial, H5F_ACC_TRUNC, fcpl, fapl);
  rec_h5_close(fcpl);
  int rc = r->file < 0 ? rec_h5_fail(r, err, "cannot create file") : SIM_OK;
  rec_h5_close(fapl);
  rec_quiet_off(q);
  if (!rc) rc = rec_attr_i64(r, "/", "complete", 0, err);
  if (rc) {
    rec_abort(r);
    return rc;
  }
  *out = r;
  return SIM_OK;
}

static void rec_free(recorder *r) {
  rec_pending_free(r);
  free(r->path);
  free(r->partial);
  free(r);
}

/* Enough free space for the closing flush: the unwritten holes below the end of the
 * file, the metadata cache, and the chunk cache of each open log. */
static bool room_to_finish(const recorder *r) {
  int *fd = NULL;
  hsize_t size = 0;
  size_t max_size, min_clean, cur = 0;
  int entries;
  struct stat st;
  struct statvfs vfs;
  if (H5Fget_vfd_handle(r->file, H5P_DEFAULT, (void **)&fd) < 0 || !fd || fstat(*fd, &st) != 0 ||
      fstatvfs(*fd, &vfs) != 0 || H5Fget_filesize(r->file, &size) < 0 ||
      H5Fget_mdc_size(r->file, &max_size, &min_clean, &cur, &entries) < 0)
    return true; /* cannot tell: try */
  double used = (double)st.st_blocks * 512.0,
         holes = (double)size > used ? (double)size - used : 0.0;
  double need = holes + (double)cur + 2.0 * 1048576.0;
  for (const rec_log *l = r->logs; l; l = l->next)
    need += 1048576.0 + 2.0 * (double)(l->cap * l->lay.rowsize);
  return (double)vfs.f_bavail * (double)vfs.f_frsize >= need;
}

/* HDF5 1.10 cannot recover from a failed file flush, so the closing flush only runs
 * where it has room; otherwise the file is given up first. */
static int finish(recorder *r, int rc, sim_error *err) {
  rec_quiet q = rec_quiet_on();
  if (!r->broken && !room_to_finish(r)) {
    snprintf(r->failure, sizeof r->failure, "%s: not enough free disk space to finish writing",
             r->partial);
    rec_divert(r);
  }
  while (r->logs) {
    rec_log *l = r->logs;
    r->logs = l->next;
    if (log_free(l) < 0 && !rc) rc = rec_h5_fail(r, err, "cannot close a log");
  }
  if (H5Fflush(r->file, H5F_SCOPE_GLOBAL) < 0 && !rc) rc = rec_h5_fail(r, err, "cannot flush");
  if (H5Fclose(r->file) < 0 && !rc) rc = rec_h5_fail(r, err, "cannot close");
  r->file = -1;
  rec_quiet_off(q);
  return rc;
}

int rec_close(recorder *r, int complete, sim_error *err) {
  if (!r) return sim_error_set(err, SIM_EINVAL, "rec_close: no recorder given");
  int rc = r->broken ? SIM_EIO : rec_attr_i64(r, "/", "complete", complete ? 1 : 0, err);
  if (!rc) {
    rec_quiet q = rec_quiet_on();
    if (rec_attach_series(r) < 0)
      rc = rec_h5_fail(r, err, "cannot attach the series to their dimension scales");
    rec_quiet_off(q);
  }
  rc = finish(r, rc, err);
  if (r->broken) {
    remove(r->partial); /* unreadable after a failed write, and it holds the disk */
    rc = sim_error_set(err, SIM_EIO, "%s (partial file removed)", r->failure);
  } else if (!rc && rename(r->partial, r->path) != 0) {
    rc = sim_error_set(err, SIM_EIO, "%s: cannot rename to %s: %s (partial file removed)",
                       r->partial, r->path, strerror(errno));
    remove(r->partial);
  } else if (rc) {
    remove(r->partial); /* a file that could not be closed is not left half-written */
  }
  rec_free(r);
  return rc;
}

void rec_abort(recorder *r) {
  if (!r) return;
  remove(r->partial);
  if (r->file >= 0) finish(r, SIM_OK, NULL);
  rec_free(r);
}
