/* report_columns: reads compound tables for customs-report, field by field and block
 * by block. Each field is read through a one-member memory type, so field order and
 * extra fields do not matter; integers arrive as int64, floats as double, strings as
 * text (variable or fixed length), enums as codes with their labels. Fields of other
 * kinds (arrays, nested compounds) are left out. */
#include "models/report/report_h5.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

enum { MAX_BLOCK = 1 << 20 };

typedef struct rcol {
  char *name;
  const char *units;
  report_kind kind;
  hid_t mtype;    /* one-member compound used to read this field */
  size_t width;   /* bytes of one value in memory */
  bool vlen;      /* variable-length string */
  bool is_signed; /* enum base */
  size_t nlabels;
  char **labels;
  int64_t *codes;
  unsigned char *raw; /* loaded block, width bytes per value */
} rcol;

struct report_table {
  const report_file *f;
  char *path;
  hid_t dset;
  size_t nrows, ncols, loaded, cap;
  rcol *cols;
  char **units; /* field_units, aligned with the file's fields */
  size_t nunits;
};

/* ---- column types ------------------------------------------------------------- */

static int64_t enum_value(const unsigned char *p, size_t width, bool is_signed) {
  if (width == 1) return is_signed ? (int64_t)(int8_t)p[0] : (int64_t)p[0];
  if (width == 2) {
    uint16_t u;
    memcpy(&u, p, 2);
    return is_signed ? (int64_t)(int16_t)u : (int64_t)u;
  }
  if (width == 4) {
    uint32_t u;
    memcpy(&u, p, 4);
    return is_signed ? (int64_t)(int32_t)u : (int64_t)u;
  }
  int64_t v;
  memcpy(&v, p, 8);
  return v;
}

static bool enum_labels(rcol *c, hid_t native) {
  int n = H5Tget_nmembers(native);
  hid_t base = H5Tget_super(native);
  c->is_signed = base >= 0 && H5Tget_sign(base) == H5T_SGN_2;
  if (base >= 0) H5Tclose(base);
  if (n < 0 || c->width > 8) return false;
  c->labels = calloc((size_t)n + 1, sizeof *c->labels);
  c->codes = calloc((size_t)n + 1, sizeof *c->codes);
  if (!c->labels || !c->codes) return false;
  for (int i = 0; i < n; i++) {
    unsigned char v[8] = {0};
    char *name = H5Tget_member_name(native, (unsigned)i);
    if (!name || H5Tget_member_value(native, (unsigned)i, v) < 0) {
      if (name) H5free_memory(name);
      return false;
    }
    c->labels[i] = strdup(name);
    H5free_memory(name);
    c->codes[i] = enum_value(v, c->width, c->is_signed);
    c->nlabels = (size_t)i + 1;
    if (!c->labels[i]) return false;
  }
  return true;
}

/* The memory type of a field, or -1 when the field is of a kind we leave out. */
static hid_t field_type(rcol *c, hid_t ft) {
  H5T_class_t cls = H5Tget_class(ft);
  hid_t m = -1;
  if (cls == H5T_INTEGER) c->kind = REPORT_INT, m = H5Tcopy(H5T_NATIVE_INT64);
  else if (cls == H5T_FLOAT) c->kind = REPORT_FLOAT, m = H5Tcopy(H5T_NATIVE_DOUBLE);
  else if (cls == H5T_ENUM) {
    c->kind = REPORT_ENUM;
    m = H5Tget_native_type(ft, H5T_DIR_ASCEND);
    c->width = m >= 0 ? H5Tget_size(m) : 0;
    if (m >= 0 && !enum_labels(c, m)) H5Tclose(m), m = -1;
    return m;
  } else if (cls == H5T_STRING) {
    c->kind = REPORT_STR;
    c->vlen = H5Tis_variable_str(ft) > 0;
    size_t n = H5Tget_size(ft);
    m = H5Tcopy(H5T_C_S1);
    if (m >= 0 && ((c->vlen && H5Tset_size(m, H5T_VARIABLE) < 0) ||
                   (!c->vlen && (n > 65535 || H5Tset_size(m, n + 1) < 0 ||
                                 H5Tset_strpad(m, H5T_STR_NULLTERM) < 0)) ||
                   H5Tset_cset(m, H5Tget_cset(ft)) < 0))
      H5Tclose(m), m = -1;
  }
  if (m >= 0) c->width = H5Tget_size(m);
  return m;
}

static void col_free(rcol *c) {
  if (c->mtype >= 0) H5Tclose(c->mtype);
  for (size_t i = 0; i < c->nlabels; i++) free(c->labels[i]);
  free(c->labels);
  free(c->codes);
  free(c->raw);
  free(c->name);
}

/* field_units: a string array aligned with the fields, if present. */
static void read_units(report_table *t, size_t nfields) {
  if (H5Aexists(t->dset, "field_units") <= 0) return;
  hid_t a = H5Aopen(t->dset, "field_units", H5P_DEFAULT), at = H5Aget_type(a), sp = H5Aget_space(a);
  hssize_t n = sp >= 0 ? H5Sget_simple_extent_npoints(sp) : -1;
  hid_t m = H5Tcopy(H5T_C_S1);
  if (at >= 0 && H5Tis_variable_str(at) > 0 && n == (hssize_t)nfields && m >= 0 &&
      H5Tset_size(m, H5T_VARIABLE) >= 0 && H5Tset_cset(m, H5Tget_cset(at)) >= 0) {
    t->units = calloc((size_t)n + 1, sizeof *t->units);
    if (t->units && H5Aread(a, m, t->units) >= 0) t->nunits = (size_t)n;
  }
  if (m >= 0) H5Tclose(m);
  if (sp >= 0) H5Sclose(sp);
  if (at >= 0) H5Tclose(at);
  if (a >= 0) H5Aclose(a);
}

/* A field that cannot be read is left out, not an error. */
static void add_field(report_table *t, hid_t ftype, unsigned i) {
  rcol *c = &t->cols[t->ncols];
  memset(c, 0, sizeof *c);
  c->mtype = -1;
  char *name = H5Tget_member_name(ftype, i);
  hid_t mt = H5Tget_member_type(ftype, i);
  hid_t m = mt >= 0 ? field_type(c, mt) : -1;
  if (mt >= 0) H5Tclose(mt);
  if (name && m >= 0) {
    c->name = strdup(name);
    c->mtype = H5Tcreate(H5T_COMPOUND, c->width);
    if (c->name && c->mtype >= 0 && H5Tinsert(c->mtype, name, 0, m) >= 0) {
      c->units = i < t->nunits && t->units[i] ? t->units[i] : "";
      t->ncols++;
      c = NULL;
    }
  }
  if (m >= 0) H5Tclose(m);
  if (name) H5free_memory(name);
  if (c) col_free(c);
}

int report_table_open(const report_file *f, const char *path, report_table **out, sim_error *err) {
  *out = NULL;
  report_table *t = calloc(1, sizeof *t);
  if (!t || !(t->path = strdup(path))) {
    free(t);
    return sim_error_set(err, SIM_ENOMEM, "%s: out of memory", f->path);
  }
  t->f = f;
  t->dset = H5Dopen2(f->file, path, H5P_DEFAULT);
  hid_t ft = t->dset >= 0 ? H5Dget_type(t->dset) : -1,
        sp = t->dset >= 0 ? H5Dget_space(t->dset) : -1;
  hsize_t n = 0;
  int nf = ft >= 0 && H5Tget_class(ft) == H5T_COMPOUND ? H5Tget_nmembers(ft) : -1;
  int rc = SIM_OK;
  if (nf < 0 || sp < 0 || H5Sget_simple_extent_ndims(sp) != 1 ||
      H5Sget_simple_extent_dims(sp, &n, NULL) < 0)
    rc = report_h5_fail(f, err, SIM_EINVAL, "not a readable table", path);
  else if (!(t->cols = calloc((size_t)nf + 1, sizeof *t->cols)))
    rc = sim_error_set(err, SIM_ENOMEM, "%s: out of memory", f->path);
  if (!rc) {
    t->nrows = (size_t)n;
    read_units(t, (size_t)nf);
    for (int i = 0; i < nf; i++) add_field(t, ft, (unsigned)i);
  }
  if (ft >= 0) H5Tclose(ft);
  if (sp >= 0) H5Sclose(sp);
  if (rc) report_table_close(t);
  else *out = t;
  return rc;
}

static void release_strings(report_table *t) {
  for (size_t c = 0; c < t->ncols; c++) {
    rcol *col = &t->cols[c];
    if (col->kind != REPORT_STR || !col->vlen || !col->raw) continue;
    char **s = (char **)col->raw;
    for (size_t i = 0; i < t->loaded; i++)
      if (s[i]) H5free_memory(s[i]), s[i] = NULL;
  }
  t->loaded = 0;
}

void report_table_close(report_table *t) {
  if (!t) return;
  release_strings(t);
  for (size_t c = 0; c < t->ncols; c++) col_free(&t->cols[c]);
  free(t->cols);
  if (t->units) {
    for (size_t i = 0; i < t->nunits; i++) H5free_memory(t->units[i]);
    free(t->units);
  }
  if (t->dset >= 0) H5Dclose(t->dset);
  free(t->path);
  free(t);
}

/* ---- blocks ------------------------------------------------------------------ */

static int grow(report_table *t, size_t count) {
  if (count <= t->cap) return SIM_OK;
  for (size_t c = 0; c < t->ncols; c++) {
    void *p = realloc(t->cols[c].raw, count * t->cols[c].width);
    if (!p) return SIM_ENOMEM;
    t->cols[c].raw = p;
  }
  t->cap = count;
  return SIM_OK;
}

int report_table_load(report_table *t, size_t first, size_t count, sim_error *err) {
  release_strings(t);
  if (first >= t->nrows) return SIM_OK;
  if (count > t->nrows - first) count = t->nrows - first;
  if (count > MAX_BLOCK) count = MAX_BLOCK;
  if (grow(t, count))
    return sim_error_set(err, SIM_ENOMEM, "%s: %s: out of memory", t->f->path, t->path);
  hsize_t start = first, cnt = count;
  hid_t fs = H5Dget_space(t->dset), ms = H5Screate_simple(1, &cnt, NULL);
  int rc = SIM_OK;
  if (fs < 0 || ms < 0 || H5Sselect_hyperslab(fs, H5S_SELECT_SET, &start, NULL, &cnt, NULL) < 0)
    rc = report_h5_fail(t->f, err, SIM_EIO, "cannot select rows", t->path);
  for (size_t c = 0; c < t->ncols; c++) /* so a failed read leaves nothing to free twice */
    if (t->cols[c].kind == REPORT_STR && t->cols[c].vlen)
      memset(t->cols[c].raw, 0, count * t->cols[c].width);
  t->loaded = count;
  /* a conversion buffer sized to the block: HDF5's default one (1 MB, zeroed on each
   * read) cost a megabyte of memset per column read */
  hid_t ft = H5Dget_type(t->dset), dxpl = H5Pcreate(H5P_DATASET_XFER);
  size_t esize = ft >= 0 ? H5Tget_size(ft) : 0;
  for (size_t c = 0; c < t->ncols; c++)
    if (H5Tget_size(t->cols[c].mtype) > esize) esize = H5Tget_size(t->cols[c].mtype);
  size_t bytes = count * esize > 65536 ? count * esize : 65536;
  if (dxpl >= 0 && H5Pset_buffer(dxpl, bytes, NULL, NULL) < 0) H5Pclose(dxpl), dxpl = -1;
  for (size_t c = 0; !rc && c < t->ncols; c++)
    if (H5Dread(t->dset, t->cols[c].mtype, ms, fs, dxpl >= 0 ? dxpl : H5P_DEFAULT, t->cols[c].raw) <
        0)
      rc = report_h5_fail(t->f, err, SIM_EIO, "cannot read", t->path);
  if (ft >= 0) H5Tclose(ft);
  if (dxpl >= 0) H5Pclose(dxpl);
  if (fs >= 0) H5Sclose(fs);
  if (ms >= 0) H5Sclose(ms);
  if (rc) release_strings(t);
  return rc;
}

/* ---- accessors ---------------------------------------------------------------- */

size_t report_table_rows(const report_table *t) { return t->nrows; }
size_t report_table_ncols(const report_table *t) { return t->ncols; }
size_t report_table_loaded(const report_table *t) { return t->loaded; }
const char *report_table_name(const report_table *t, size_t col) { return t->cols[col].name; }
const char *report_table_units(const report_table *t, size_t col) { return t->cols[col].units; }
report_kind report_table_kind(const report_table *t, size_t col) { return t->cols[col].kind; }

long report_table_find(const report_table *t, const char *name) {
  for (size_t c = 0; c < t->ncols; c++)
    if (strcmp(t->cols[c].name, name) == 0) return (long)c;
  return -1;
}

int64_t report_table_i64(const report_table *t, size_t col, size_t row) {
  const rcol *c = &t->cols[col];
  const unsigned char *p = c->raw + row * c->width;
  if (c->kind == REPORT_INT) {
    int64_t v;
    memcpy(&v, p, sizeof v);
    return v;
  }
  if (c->kind == REPORT_ENUM) return enum_value(p, c->width, c->is_signed);
  double d = report_table_f64(t, col, row);
  return isfinite(d) ? (int64_t)d : 0;
}

double report_table_f64(const report_table *t, size_t col, size_t row) {
  const rcol *c = &t->cols[col];
  if (c->kind == REPORT_FLOAT) {
    double v;
    memcpy(&v, c->raw + row * c->width, sizeof v);
    return v;
  }
  if (c->kind == REPORT_STR) return NAN;
  return (double)report_table_i64(t, col, row);
}

const char *report_table_str(const report_table *t, size_t col, size_t row) {
  const rcol *c = &t->cols[col];
  if (c->kind == REPORT_STR) {
    if (!c->vlen) return (const char *)c->raw + row * c->width;
    const char *s;
    memcpy(&s, c->raw + row * c->width, sizeof s);
    return s ? s : "";
  }
  if (c->kind != REPORT_ENUM) return NULL;
  int64_t v = report_table_i64(t, col, row);
  for (size_t i = 0; i < c->nlabels; i++)
    if (c->codes[i] == v) return c->labels[i];
  return "?";
}
