/* report_read: generic reading of customs-sim result files, for customs-report and the
 * viewer's replay. It opens and checks a file, reads root attributes, lists groups and
 * reads float arrays (compound tables: report_columns.c).
 * HDF5's own error printing is switched off by report_quiet; failures come back as one
 * line naming the file, with HDF5's innermost reason. */
#include "models/report/report_h5.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <hdf5.h>
#include <hdf5_hl.h>

enum { MAX_VALUES = 100000000 }; /* largest array read whole (800 MB of doubles) */

static herr_t cause_cb(unsigned n, const H5E_error2_t *e, void *data) {
  if (n == 0 && e && e->desc) snprintf(data, 512, "%s", e->desc);
  return 0;
}

/* HDF5's innermost reason, on one line. */
int report_h5_fail(const report_file *f, sim_error *err, int code, const char *what,
                   const char *obj) {
  char why[512] = "";
  H5Ewalk2(H5E_DEFAULT, H5E_WALK_UPWARD, cause_cb, why);
  for (char *p = why; *p; p++)
    if (*p == '\n' || *p == '\r') *p = ' ';
  return sim_error_set(err, code, "%s: %s%s%s%s%s", f->path, obj ? obj : "", obj ? ": " : "", what,
                       why[0] ? ": " : "", why);
}

/* ---- files and attributes --------------------------------------------------- */

void report_quiet(void) { H5Eset_auto2(H5E_DEFAULT, NULL, NULL); }

bool report_is_hdf5(const char *path) { return H5Fis_hdf5(path) > 0; }

const char *report_path(const report_file *f) { return f->path; }

bool report_exists(const report_file *f, const char *path) {
  if (!path || path[0] != '/') return false;
  if (strcmp(path, "/") == 0) return true;
  char *buf = strdup(path);
  bool found = buf != NULL;
  for (char *p = buf ? buf + 1 : NULL; found; p++) {
    if (*p != '/' && *p != '\0') continue;
    char c = *p;
    *p = '\0';
    found = H5Lexists(f->file, buf, H5P_DEFAULT) > 0 &&
            H5Oexists_by_name(f->file, buf, H5P_DEFAULT) > 0;
    *p = c;
    if (c == '\0') break;
  }
  free(buf);
  return found;
}

/* A string attribute's text (variable or fixed length, in its own character set),
 * allocated; NULL when it cannot be read. */
static char *attr_dup(hid_t a, hid_t t) {
  char *out = NULL;
  if (H5Tis_variable_str(t) > 0) {
    hid_t m = H5Tcopy(H5T_C_S1);
    char *s = NULL;
    if (m >= 0 && H5Tset_size(m, H5T_VARIABLE) >= 0 && H5Tset_cset(m, H5Tget_cset(t)) >= 0 &&
        H5Aread(a, m, &s) >= 0 && s)
      out = strdup(s);
    if (s) H5free_memory(s);
    if (m >= 0) H5Tclose(m);
    return out;
  }
  size_t n = H5Tget_size(t);
  char *s = n > 0 && n < 1u << 24 ? calloc(n + 1, 1) : NULL;
  hid_t m = H5Tcopy(H5T_C_S1);
  if (s && m >= 0 && H5Tset_size(m, n + 1) >= 0 && H5Tset_strpad(m, H5T_STR_NULLTERM) >= 0 &&
      H5Aread(a, m, s) >= 0)
    out = s, s = NULL;
  free(s);
  if (m >= 0) H5Tclose(m);
  return out;
}

static bool attr_string(hid_t a, hid_t t, char *buf, size_t size) {
  char *s = attr_dup(a, t);
  if (s) snprintf(buf, size, "%s", s);
  free(s);
  return s != NULL;
}

int report_attr_string(const report_file *f, const char *name, char **out, sim_error *err) {
  *out = NULL;
  if (H5Aexists(f->file, name) <= 0)
    return sim_error_set(err, SIM_EINVAL, "%s: no `%s` attribute", f->path, name);
  hid_t a = H5Aopen(f->file, name, H5P_DEFAULT), t = a >= 0 ? H5Aget_type(a) : -1;
  hid_t sp = a >= 0 ? H5Aget_space(a) : -1;
  int rc = SIM_OK;
  if (t < 0 || sp < 0 || H5Tget_class(t) != H5T_STRING || H5Sget_simple_extent_npoints(sp) != 1)
    rc = sim_error_set(err, SIM_EINVAL, "%s: attribute `%s` is not one text", f->path, name);
  else if (!(*out = attr_dup(a, t)))
    rc = report_h5_fail(f, err, SIM_EIO, "cannot read the attribute", name);
  if (sp >= 0) H5Sclose(sp);
  if (t >= 0) H5Tclose(t);
  if (a >= 0) H5Aclose(a);
  return rc;
}

bool report_attr_text(const report_file *f, const char *name, char *buf, size_t size) {
  if (H5Aexists(f->file, name) <= 0) return false;
  hid_t a = H5Aopen(f->file, name, H5P_DEFAULT), t = a >= 0 ? H5Aget_type(a) : -1;
  hid_t sp = a >= 0 ? H5Aget_space(a) : -1;
  bool ok = false;
  if (t >= 0 && sp >= 0 && H5Sget_simple_extent_npoints(sp) == 1) {
    H5T_class_t c = H5Tget_class(t);
    int64_t i;
    double d;
    if (c == H5T_STRING) ok = attr_string(a, t, buf, size);
    else if (c == H5T_INTEGER && H5Aread(a, H5T_NATIVE_INT64, &i) >= 0)
      ok = true, snprintf(buf, size, "%lld", (long long)i);
    else if (c == H5T_FLOAT && H5Aread(a, H5T_NATIVE_DOUBLE, &d) >= 0)
      ok = true, snprintf(buf, size, "%g", d);
  }
  if (sp >= 0) H5Sclose(sp);
  if (t >= 0) H5Tclose(t);
  if (a >= 0) H5Aclose(a);
  return ok;
}

bool report_attr_i64(const report_file *f, const char *name, int64_t *out) {
  char buf[64], *end = NULL;
  if (!report_attr_text(f, name, buf, sizeof buf)) return false;
  double v = strtod(buf, &end);
  if (end == buf || *end || !isfinite(v)) return false;
  *out = (int64_t)v;
  return true;
}

int report_open_hdf5(report_file **out, const char *path, sim_error *err) {
  *out = NULL;
  FILE *probe = fopen(path, "rb");
  if (!probe) return sim_error_set(err, SIM_EIO, "%s: cannot open: %s", path, strerror(errno));
  fclose(probe);
  report_file *f = calloc(1, sizeof *f);
  if (!f || !(f->path = strdup(path))) {
    free(f);
    return sim_error_set(err, SIM_ENOMEM, "%s: out of memory", path);
  }
  f->file = -1;
  int rc = SIM_OK;
  if (H5Fis_hdf5(path) <= 0) rc = sim_error_set(err, SIM_EINVAL, "%s: not an HDF5 file", path);
  else if ((f->file = H5Fopen(path, H5F_ACC_RDONLY, H5P_DEFAULT)) < 0)
    rc =
        report_h5_fail(f, err, SIM_EINVAL, "not a readable HDF5 file (damaged or truncated)", NULL);
  if (rc) {
    report_close(f);
    return rc;
  }
  *out = f;
  return SIM_OK;
}

int report_open(report_file **out, const char *path, sim_error *err) {
  report_file *f = NULL;
  int rc = report_open_hdf5(&f, path, err);
  char schema[128];
  if (!rc && !report_attr_text(f, "schema", schema, sizeof schema))
    rc = sim_error_set(err, SIM_EINVAL, "%s: no `schema` attribute: not a customs-sim result file",
                       path);
  else if (!rc && strcmp(schema, REPORT_SCHEMA) != 0)
    rc = sim_error_set(err, SIM_EINVAL, "%s: schema is '%s', this program reads '%s'", path, schema,
                       REPORT_SCHEMA);
  if (rc) {
    report_close(f);
    return rc;
  }
  *out = f;
  return SIM_OK;
}

void report_close(report_file *f) {
  if (!f) return;
  if (f->file >= 0) H5Fclose(f->file);
  free(f->path);
  free(f);
}

/* ---- listing ----------------------------------------------------------------- */

void report_names_free(char **names, size_t n) {
  for (size_t i = 0; names && i < n; i++) free(names[i]);
  free(names);
}

static int cmp_str(const void *a, const void *b) {
  return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The object a hard link of g names, opened; -1 for soft, external or broken links
 * (never follow those: they may point outside the file or loop). */
static hid_t open_hard(hid_t g, const char *name) {
  H5L_info_t li;
  if (H5Lget_info(g, name, &li, H5P_DEFAULT) < 0 || li.type != H5L_TYPE_HARD) return -1;
  return H5Oopen(g, name, H5P_DEFAULT);
}

/* The name of link i of g (by name order), or NULL. */
static char *link_name(hid_t g, hsize_t i) {
  ssize_t len = H5Lget_name_by_idx(g, ".", H5_INDEX_NAME, H5_ITER_INC, i, NULL, 0, H5P_DEFAULT);
  char *name = len > 0 ? malloc((size_t)len + 1) : NULL;
  if (name && H5Lget_name_by_idx(g, ".", H5_INDEX_NAME, H5_ITER_INC, i, name, (size_t)len + 1,
                                 H5P_DEFAULT) < 0) {
    free(name);
    name = NULL;
  }
  return name;
}

typedef struct names {
  char **v;
  size_t n, cap;
} names;

static bool names_add(names *ns, char *s) {
  if (!s) return false;
  if (ns->n == ns->cap) {
    size_t cap = ns->cap ? 2 * ns->cap : 16;
    char **nv = realloc(ns->v, cap * sizeof *nv);
    if (!nv) return free(s), false;
    ns->v = nv, ns->cap = cap;
  }
  ns->v[ns->n++] = s;
  return true;
}

int report_list(const report_file *f, const char *group, char ***out, size_t *n, sim_error *err) {
  *out = NULL, *n = 0;
  hid_t g = H5Gopen2(f->file, group, H5P_DEFAULT);
  H5G_info_t info;
  if (g < 0 || H5Gget_info(g, &info) < 0) {
    if (g >= 0) H5Gclose(g);
    return report_h5_fail(f, err, SIM_EINVAL, "cannot read group", group);
  }
  names ns = {NULL, 0, 0};
  bool ok = true;
  for (hsize_t i = 0; ok && i < info.nlinks; i++) {
    char *name = link_name(g, i);
    hid_t o = name ? open_hard(g, name) : -1;
    /* the group's coordinates (dimension scales) are not data */
    if (o >= 0 && H5Iget_type(o) == H5I_DATASET && H5DSis_scale(o) <= 0)
      ok = names_add(&ns, name), name = NULL;
    if (o >= 0) H5Oclose(o);
    free(name);
  }
  H5Gclose(g);
  if (!ok) {
    report_names_free(ns.v, ns.n);
    return sim_error_set(err, SIM_ENOMEM, "%s: out of memory", f->path);
  }
  qsort(ns.v, ns.n, sizeof *ns.v, cmp_str);
  *out = ns.v, *n = ns.n;
  return SIM_OK;
}

static bool is_compound(hid_t d) {
  hid_t t = H5Dget_type(d);
  bool c = t >= 0 && H5Tget_class(t) == H5T_COMPOUND;
  if (t >= 0) H5Tclose(t);
  return c;
}

/* Depth-first over hard links, in name order; the depth cap guards against loops. */
static bool walk(hid_t g, const char *prefix, names *ns, int depth) {
  H5G_info_t info;
  if (depth > 16 || H5Gget_info(g, &info) < 0) return true;
  bool ok = true;
  for (hsize_t i = 0; ok && i < info.nlinks; i++) {
    char *name = link_name(g, i);
    hid_t o = name ? open_hard(g, name) : -1;
    size_t len = strlen(prefix) + (name ? strlen(name) : 0) + 2;
    char *path = o >= 0 ? malloc(len) : NULL;
    if (path) snprintf(path, len, "%s/%s", prefix, name);
    if (path && H5Iget_type(o) == H5I_GROUP) ok = walk(o, path, ns, depth + 1);
    else if (path && H5Iget_type(o) == H5I_DATASET && is_compound(o))
      ok = names_add(ns, path), path = NULL;
    if (o >= 0) H5Oclose(o);
    free(path);
    free(name);
  }
  return ok;
}

int report_compound_paths(const report_file *f, char ***paths, size_t *n, sim_error *err) {
  names ns = {NULL, 0, 0};
  if (!walk(f->file, "", &ns, 0)) {
    report_names_free(ns.v, ns.n);
    *paths = NULL, *n = 0;
    return sim_error_set(err, SIM_ENOMEM, "%s: out of memory", f->path);
  }
  *paths = ns.v, *n = ns.n;
  return SIM_OK;
}

/* ---- float arrays -------------------------------------------------------------- */

int report_matrix(const report_file *f, const char *path, double **data, size_t *rows,
                  size_t *cols, sim_error *err) {
  *data = NULL;
  hid_t d = H5Dopen2(f->file, path, H5P_DEFAULT), sp = d >= 0 ? H5Dget_space(d) : -1;
  hid_t t = d >= 0 ? H5Dget_type(d) : -1;
  hsize_t dims[2] = {1, 1};
  int rank = sp >= 0 ? H5Sget_simple_extent_ndims(sp) : -1;
  H5T_class_t c = t >= 0 ? H5Tget_class(t) : H5T_NO_CLASS;
  int rc = SIM_OK;
  if (d < 0 || rank < 1 || rank > 2 || (c != H5T_FLOAT && c != H5T_INTEGER))
    rc = report_h5_fail(f, err, SIM_EINVAL, "not a 1-D or 2-D numeric dataset", path);
  else if (H5Sget_simple_extent_dims(sp, rank == 2 ? dims : dims + 1, NULL) < 0 ||
           (double)dims[0] * (double)dims[1] > MAX_VALUES)
    rc = sim_error_set(err, SIM_EINVAL, "%s: %s: too large to read", f->path, path);
  else if (!(*data = malloc((dims[0] * dims[1] + 1) * sizeof **data)))
    rc = sim_error_set(err, SIM_ENOMEM, "%s: %s: out of memory", f->path, path);
  else if (dims[0] * dims[1] > 0 &&
           H5Dread(d, H5T_NATIVE_DOUBLE, H5S_ALL, H5S_ALL, H5P_DEFAULT, *data) < 0)
    rc = report_h5_fail(f, err, SIM_EIO, "cannot read", path);
  if (t >= 0) H5Tclose(t);
  if (sp >= 0) H5Sclose(sp);
  if (d >= 0) H5Dclose(d);
  if (rc) {
    free(*data);
    *data = NULL;
    return rc;
  }
  *rows = dims[0];
  *cols = dims[1];
  return SIM_OK;
}

/* ---- integer arrays ------------------------------------------------------------ */

int report_ints(const report_file *f, const char *path, size_t size, size_t max, void **data,
                size_t *n, sim_error *err) {
  *data = NULL;
  *n = 0;
  hid_t mt = size == 2 ? H5T_NATIVE_INT16 : size == 4 ? H5T_NATIVE_INT32 : -1;
  hid_t d = H5Dopen2(f->file, path, H5P_DEFAULT), sp = d >= 0 ? H5Dget_space(d) : -1;
  hssize_t len = sp >= 0 ? H5Sget_simple_extent_npoints(sp) : -1;
  int rc = SIM_OK;
  if (mt < 0)
    rc = sim_error_set(err, SIM_EINVAL, "%s: %s: no %zu-byte integers", f->path, path, size);
  else if (d < 0 || len < 0)
    rc = report_h5_fail(f, err, SIM_EINVAL, "not a readable dataset", path);
  else if (len == 0 || (size_t)len > max)
    rc = sim_error_set(err, SIM_EINVAL, "%s: %s: %lld values (1 to %zu expected)", f->path, path,
                       (long long)len, max);
  else if (!(*data = malloc((size_t)len * size)))
    rc = sim_error_set(err, SIM_ENOMEM, "%s: %s: out of memory", f->path, path);
  else if (H5Dread(d, mt, H5S_ALL, H5S_ALL, H5P_DEFAULT, *data) < 0)
    rc = report_h5_fail(f, err, SIM_EIO, "cannot read", path);
  if (sp >= 0) H5Sclose(sp);
  if (d >= 0) H5Dclose(d);
  if (rc) {
    free(*data);
    *data = NULL;
    return rc;
  }
  *n = (size_t)len;
  return SIM_OK;
}
