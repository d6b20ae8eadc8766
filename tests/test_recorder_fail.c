/* test_recorder_fail: the recorder's lifecycle and failures: a closed file takes its
 * final name, an aborted one leaves nothing, an unwritable folder and a full disk give
 * an error and never a half-written file under the final name. The fixture is
 * tests/recorder_fx.h. */
#include "tests/recorder_fx.h"

/* ---- lifecycle and failures --------------------------------------------------- */

static void test_close_renames(void **state) {
  fixture *f = *state;
  recorder *r = open_ok(f);
  assert_int_equal(access(f->partial, F_OK), 0);
  assert_int_not_equal(access(f->path, F_OK), 0);
  sim_error err = {0, ""};
  assert_int_equal(rec_close(r, 0, &err), SIM_OK);
  assert_int_not_equal(access(f->partial, F_OK), 0);
  hid_t file = H5Fopen(f->path, H5F_ACC_RDONLY, H5P_DEFAULT);
  assert_int_equal(read_i64_attr(file, "complete"), 0);
  H5Fclose(file);
}

static void test_abort_removes(void **state) {
  fixture *f = *state;
  recorder *r = open_ok(f);
  rec_log *l = NULL;
  const rec_col cols[] = {{.name = "x", .type = REC_F64, .units = "1", .long_name = "x"}};
  sim_error err = {0, ""};
  assert_int_equal(rec_log_open(r, &l, "/log", "log", cols, 1, &err), SIM_OK);
  rec_abort(r);
  rec_abort(NULL);
  assert_int_not_equal(access(f->partial, F_OK), 0);
  assert_int_not_equal(access(f->path, F_OK), 0);
}

static void test_unwritable(void **state) {
  (void)state;
  recorder *r = NULL;
  sim_error err = {0, ""};
  assert_int_equal(rec_open(&r, "/nonexistent-dir/x/out.h5", &err), SIM_EIO);
  assert_null(r);
  assert_non_null(strstr(err.msg, "/nonexistent-dir/x/out.h5.partial"));
  assert_null(strchr(err.msg, '\n'));
}

/* Points the descriptor that holds `path` at /dev/full, so the next writes fail with
 * ENOSPC exactly as on a full disk. */
static int fill_disk(const char *path) {
  DIR *d = opendir("/proc/self/fd");
  int done = -1;
  for (struct dirent *e; d && (e = readdir(d)) != NULL;) {
    char link[300], target[512];
    snprintf(link, sizeof link, "/proc/self/fd/%s", e->d_name);
    ssize_t n = readlink(link, target, sizeof target - 1);
    if (n <= 0) continue;
    target[n] = '\0';
    if (strcmp(target, path) != 0) continue;
    int full = open("/dev/full", O_RDWR);
    if (full >= 0 && dup2(full, atoi(e->d_name)) >= 0) done = 0;
    if (full >= 0) close(full);
  }
  if (d) closedir(d);
  return done;
}

static void test_disk_full(void **state) {
  fixture *f = *state;
  recorder *r = open_ok(f);
  assert_int_equal(fill_disk(f->partial), 0);
  enum { N = 200000 };
  double *v = malloc(N * sizeof *v);
  for (size_t i = 0; i < N; i++) v[i] = (double)i * 1.000001 + 1.0 / (double)(i + 1);
  const rec_col cols[] = {{.name = "v", .type = REC_F64, .units = "1", .long_name = "v"}};
  const void *data[] = {v};
  sim_error err = {0, ""};
  int rc = rec_table(r, "/big", "big", cols, 1, N, data, &err);
  free(v);
  assert_int_equal(rc, SIM_EIO);
  assert_non_null(strstr(err.msg, f->partial));
  assert_non_null(strstr(err.msg, "No space left on device"));
  assert_null(strchr(err.msg, '\n'));
  /* Later calls refuse; closing reports the first failure and drops the file. */
  assert_int_equal(rec_attr_i64(r, "/", "x", 1, &err), SIM_EIO);
  assert_int_equal(rec_close(r, 1, &err), SIM_EIO);
  assert_non_null(strstr(err.msg, "No space left on device"));
  assert_int_not_equal(access(f->partial, F_OK), 0);
  assert_int_not_equal(access(f->path, F_OK), 0);
}

/* A real full file system: a 1 MiB tmpfs mounted over the fixture directory in a
 * private mount namespace (so nothing leaks to the host). Skipped where not root. */
static int mount_small_disk(const char *dir) {
  if (unshare(CLONE_NEWNS) != 0) return -1;
  if (mount("none", "/", "none", MS_REC | MS_PRIVATE, NULL) != 0) return -1; /* type ignored */
  return mount("tmpfs", dir, "tmpfs", 0, "size=1m");
}

static void fill_up(const char *dir) {
  char path[160];
  snprintf(path, sizeof path, "%s/filler", dir);
  FILE *fp = fopen(path, "wb");
  assert_non_null(fp);
  char block[4096] = {0};
  while (fwrite(block, 1, sizeof block, fp) == sizeof block) {}
  fclose(fp);
}

static void test_small_disk(void **state) {
  fixture *f = *state;
  if (mount_small_disk(f->dir) != 0) skip();
  /* Full while writing rows. */
  recorder *r = open_ok(f);
  enum { N = 400000 };
  double *v = malloc(N * sizeof *v);
  for (size_t i = 0; i < N; i++) v[i] = sin((double)i) * 1e6;
  const rec_col cols[] = {{.name = "v", .type = REC_F64, .units = "1", .long_name = "v"}};
  const void *data[] = {v};
  sim_error err = {0, ""};
  assert_int_equal(rec_table(r, "/big", "big", cols, 1, N, data, &err), SIM_EIO);
  assert_non_null(strstr(err.msg, "No space left on device"));
  assert_int_equal(rec_close(r, 1, &err), SIM_EIO);
  assert_int_not_equal(access(f->partial, F_OK), 0);
  /* Full only when rec_close has to flush. */
  r = open_ok(f);
  assert_int_equal(rec_table(r, "/small", "small", cols, 1, 1000, data, &err), SIM_OK);
  fill_up(f->dir);
  assert_int_equal(rec_close(r, 1, &err), SIM_EIO);
  assert_non_null(strstr(err.msg, f->partial));
  assert_int_not_equal(access(f->partial, F_OK), 0);
  assert_int_not_equal(access(f->path, F_OK), 0);
  free(v);
  umount(f->dir);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test_setup_teardown(test_close_renames, setup, teardown),
      cmocka_unit_test_setup_teardown(test_abort_removes, setup, teardown),
      cmocka_unit_test(test_unwritable),
      cmocka_unit_test_setup_teardown(test_disk_full, setup, teardown),
      cmocka_unit_test_setup_teardown(test_small_disk, setup, teardown),
  };
  return cmocka_run_group_tests_name("recorder_fail", tests, NULL, NULL);
}
