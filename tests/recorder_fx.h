/* recorder_fx: the fixture of the recorder tests (test_recorder.c, test_recorder_fail.c):
 * a temporary folder with the output path and its ".partial" twin, opening and closing a
 * recorder that must succeed, and reading an attribute back with the plain HDF5 API.
 * Functions are static inline so that each test program takes only what it uses. */
#ifndef TESTS_RECORDER_FX_H
#define TESTS_RECORDER_FX_H
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <dirent.h>
#include <sched.h>
#include <sys/mount.h>
#include <fcntl.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <hdf5.h>
#include <hdf5_hl.h>

#include "sim/recorder.h"

/* |a - b| <= tol * max(1, |b|), with a readable failure. */
#define assert_close(a, b, tol)                                                              \
  do {                                                                                       \
    double a_ = (a), b_ = (b);                                                               \
    if (!(fabs(a_ - b_) <= (tol) * (fabs(b_) > 1.0 ? fabs(b_) : 1.0)))                      \
      fail_msg("%s = %.17g, expected %.17g", #a, a_, b_);                                    \
  } while (0)

typedef struct fixture {
  char dir[64];
  char path[128];
  char partial[160];
} fixture;

static inline int setup(void **state) {
  fixture *f = calloc(1, sizeof *f);
  if (!f) return -1;
  snprintf(f->dir, sizeof f->dir, "/tmp/test_recorder_XXXXXX");
  if (!mkdtemp(f->dir)) return -1;
  snprintf(f->path, sizeof f->path, "%s/out.h5", f->dir);
  snprintf(f->partial, sizeof f->partial, "%s.partial", f->path);
  *state = f;
  return 0;
}

static inline int teardown(void **state) {
  fixture *f = *state;
  remove(f->path);
  remove(f->partial);
  rmdir(f->dir);
  free(f);
  return 0;
}

static inline recorder *open_ok(const fixture *f) {
  recorder *r = NULL;
  sim_error err = {0, ""};
  assert_int_equal(rec_open(&r, f->path, &err), SIM_OK);
  assert_non_null(r);
  return r;
}

static inline void close_ok(recorder *r) {
  sim_error err = {0, ""};
  int rc = rec_close(r, 1, &err);
  if (rc) fail_msg("rec_close: %s", err.msg);
}

static inline int64_t read_i64_attr(hid_t obj, const char *name) {
  int64_t v = -1;
  hid_t a = H5Aopen(obj, name, H5P_DEFAULT);
  assert_true(a >= 0);
  assert_true(H5Aread(a, H5T_NATIVE_INT64, &v) >= 0);
  H5Aclose(a);
  return v;
}

#endif
