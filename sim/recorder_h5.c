/* recorder_h5: the recorder's low-level HDF5 helpers (errors turned into one line, paths,
 * groups and attributes) and the public attribute writers. Shared with recorder.c through
 * recorder_internal.h. */
#include "sim/recorder.h"
#include "sim/recorder_internal.h"

#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include <hdf5.h>

/* ---- errors ---------------------------------------------------------------- */

rec_quiet rec_quiet_on(void) {
  rec_quiet q = {NULL, NULL};
  H5Eget_auto2(H5E_DEFAULT, &q.fn, &q.data);
  H5Eset_auto2(H5E_DEFAULT, NULL, NULL);
  return q;
}

void rec_quiet_off(rec_quiet q) { H5Eset_auto2(H5E_DEFAULT, q.fn, q.data); }

static herr_t cause_cb(unsigned n, const H5E_error2_t *e, void *data) {
  if (n == 0 && e && e->desc) snprintf(data, 1024, "%s", e->desc);
  return 0;
}

/* The innermost HDF5 message, reduced to the operating system's words when there are
 * some ("No space left on device"), on one line. True when the system refused I/O. */
static bool h5_cause(char *out, size_t size) {
  char text[1024] = "";
  H5Ewalk2(H5E_DEFAULT, H5E_WALK_UPWARD, cause_cb, text);
  const char *m = strstr(text, "error message = '"), *src = text[0] ? text : "HDF5 error";
  size_t len = strlen(src);
  if (m) src = m + strlen("error message = '"), len = strcspn(src, "'");
  if (len >= size) len = size - 1;
  memcpy(out, src, len);
  out[len] = '\0';
  for (char *p = out; *p; p++)
    if (*p == '\n' || *p == '\r') *p = ' ';
  return m != NULL;
}

/* HDF5 1.10 cannot close a file whose last flush failed: the half-closed file crashes
 * the library at exit. After a failed write the file is lost anyway, so its descriptor
 * is pointed at an anonymous memory file; the closing flushes then succeed. */
void rec_divert(recorder *r) {
  int *fd = NULL;
  r->broken = true;
  if (H5Fget_vfd_handle(r->file, H5P_DEFAULT, (void **)&fd) < 0 || !fd) return;
  int sink = memfd_create("recorder-sink", MFD_CLOEXEC);
  if (sink >= 0) {
    dup2(sink, *fd);
    close(sink);
  }
}

int rec_h5_fail(recorder *r, sim_error *err, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
int rec_h5_fail(recorder *r, sim_error *err, const char *fmt, ...) {
  char what[300], why[300];
  bool io = h5_cause(why, sizeof why);
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(what, sizeof what, fmt, ap);
  va_end(ap);
  if (io && !r->broken && r->file >= 0) {
    snprintf(r->failure, sizeof r->failure, "%s: %s: %s", r->partial, what, why);
    rec_divert(r);
  }
  return sim_error_set(err, SIM_EIO, "%s: %s: %s", r->partial, what, why);
}

void rec_h5_close(hid_t id) {
  if (id >= 0) H5Idec_ref(id);
}

char *rec_dup(const char *s) {
  size_t n = strlen(s) + 1;
  char *d = malloc(n);
  if (d) memcpy(d, s, n);
  return d;
}

/* ---- paths and attributes --------------------------------------------------- */

/* 1 if every link on the path exists (H5Lexists fails on a missing parent). */
int rec_exists(hid_t file, const char *path) {
  if (strcmp(path, "/") == 0) return 1;
  char *buf = rec_dup(path);
  if (!buf) return -1;
  int found = 1;
  for (char *p = buf + 1; found == 1; p++) {
    if (*p != '/' && *p != '\0') continue;
    char c = *p;
    *p = '\0';
    found = H5Lexists(file, buf, H5P_DEFAULT) > 0;
    *p = c;
    if (c == '\0') break;
  }
  free(buf);
  return found;
}

int rec_check_path(const recorder *r, const char *path, sim_error *err) {
  if (!r) return sim_error_set(err, SIM_EINVAL, "recorder: no recorder given");
  if (r->broken) return sim_error_set(err, SIM_EIO, "%s (nothing more is written)", r->failure);
  if (!path || path[0] != '/')
    return sim_error_set(err, SIM_EINVAL, "%s: object path '%s' must start with '/'", r->partial,
                         path ? path : "(null)");
  return SIM_OK;
}

hid_t rec_lcpl_new(void) {
  hid_t p = H5Pcreate(H5P_LINK_CREATE);
  if (p >= 0 && (H5Pset_create_intermediate_group(p, 1) < 0 ||
                 H5Pset_char_encoding(p, H5T_CSET_UTF8) < 0)) {
    H5Pclose(p);
    return -1;
  }
  return p;
}

hid_t rec_str_type(void) {
  hid_t t = H5Tcopy(H5T_C_S1);
  if (t >= 0 && (H5Tset_size(t, H5T_VARIABLE) < 0 || H5Tset_cset(t, H5T_CSET_UTF8) < 0)) {
    H5Tclose(t);
    return -1;
  }
  return t;
}

static herr_t put_attr(hid_t obj, const char *name, hid_t type, hid_t space, const void *buf) {
  if (type < 0 || space < 0) return -1;
  if (H5Aexists(obj, name) > 0 && H5Adelete(obj, name) < 0) return -1;
  hid_t a = H5Acreate2(obj, name, type, space, H5P_DEFAULT, H5P_DEFAULT);
  if (a < 0) return -1;
  herr_t rc = H5Awrite(a, type, buf);
  return H5Aclose(a) < 0 ? -1 : rc;
}

/* A string-array attribute (n > 0) or a scalar one (n == 0, v[0] the value). */
herr_t rec_put_strs(hid_t obj, const char *name, const char *const *v, size_t n) {
  size_t count = n ? n : 1;
  const char **s = malloc(count * sizeof *s);
  if (!s) return -1;
  for (size_t i = 0; i < count; i++) s[i] = v[i] ? v[i] : "";
  hsize_t dim = n;
  hid_t t = rec_str_type(), sp = n ? H5Screate_simple(1, &dim, NULL) : H5Screate(H5S_SCALAR);
  herr_t rc = put_attr(obj, name, t, sp, s);
  rec_h5_close(sp);
  rec_h5_close(t);
  free(s);
  return rc;
}

static herr_t put_str(hid_t obj, const char *name, const char *value) {
  return rec_put_strs(obj, name, &value, 0);
}

herr_t rec_describe(hid_t obj, const char *units, const char *long_name) {
  if (put_str(obj, "units", units ? units : "1") < 0) return -1;
  return put_str(obj, "long_name", long_name ? long_name : "");
}

/* Groups are made one level at a time without modification times, so the same run
 * gives the same bytes (HDF5 would stamp the clock into every object header). */
hid_t rec_group_new(hid_t file, const char *path) {
  hid_t gcpl = H5Pcreate(H5P_GROUP_CREATE), lcpl = rec_lcpl_new(), g = -1;
  if (gcpl >= 0 && lcpl >= 0 && H5Pset_obj_track_times(gcpl, 0) >= 0)
    g = H5Gcreate2(file, path, lcpl, gcpl, H5P_DEFAULT);
  rec_h5_close(gcpl);
  rec_h5_close(lcpl);
  return g;
}

int rec_ensure_parents(recorder *r, const char *path) {
  char buf[1024];
  snprintf(buf, sizeof buf, "%s", path);
  for (char *c = buf + 1; *c; c++) {
    if (*c != '/') continue;
    *c = '\0';
    if (rec_exists(r->file, buf) <= 0) {
      hid_t g = rec_group_new(r->file, buf);
      if (g < 0) return -1;
      rec_h5_close(g);
    }
    *c = '/';
  }
  return 0;
}

static hid_t open_or_group(recorder *r, const char *obj) {
  if (rec_exists(r->file, obj) > 0) return H5Oopen(r->file, obj, H5P_DEFAULT);
  return rec_ensure_parents(r, obj) ? -1 : rec_group_new(r->file, obj);
}

static int put_scalar(recorder *r, const char *obj, const char *name, hid_t type,
                      const void *buf, sim_error *err) {
  int rc = rec_check_path(r, obj, err);
  if (rc) return rc;
  if (!name || !name[0])
    return sim_error_set(err, SIM_EINVAL, "%s: %s: empty attribute name", r->partial, obj);
  rec_quiet q = rec_quiet_on();
  hid_t o = open_or_group(r, obj), sp = H5Screate(H5S_SCALAR);
  if (o < 0 || put_attr(o, name, type, sp, buf) < 0)
    rc = rec_h5_fail(r, err, "%s: cannot write attribute %s", obj, name);
  rec_h5_close(sp);
  rec_h5_close(o);
  rec_quiet_off(q);
  return rc;
}

int rec_attr_str(recorder *r, const char *obj, const char *name, const char *value,
                 sim_error *err) {
  if (!value) value = "";
  rec_quiet q = rec_quiet_on();
  hid_t t = rec_str_type();
  int rc = put_scalar(r, obj, name, t, &value, err);
  rec_h5_close(t);
  rec_quiet_off(q);
  return rc;
}

int rec_attr_i64(recorder *r, const char *obj, const char *name, int64_t value, sim_error *err) {
  return put_scalar(r, obj, name, H5T_NATIVE_INT64, &value, err);
}

int rec_attr_f64(recorder *r, const char *obj, const char *name, double value, sim_error *err) {
  return put_scalar(r, obj, name, H5T_NATIVE_DOUBLE, &value, err);
}
