/* test_report_read: the parts of the reader of result files (models/report/report.h)
 * that the viewer's replay added: telling HDF5 files from others, opening an HDF5 file
 * without the schema check (while report_open still refuses it), and reading a text
 * attribute whole however long, in variable or fixed length, with one clear error when
 * it is missing or not text, and whole integer arrays (the viewer's coastlines). The
 * reader's sources are compiled in, as customs-report
 * and customs-view link them. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "models/report/report_columns.c"
#include "models/report/report_read.c"

static char dir[] = "/tmp/test_report_read_XXXXXX";
static char h5[300], junk[300], big[5000];

static void attr_vlen(hid_t f, const char *name, const char *text) {
  hid_t t = H5Tcopy(H5T_C_S1), s = H5Screate(H5S_SCALAR);
  H5Tset_size(t, H5T_VARIABLE);
  H5Tset_cset(t, H5T_CSET_UTF8);
  hid_t a = H5Acreate2(f, name, t, s, H5P_DEFAULT, H5P_DEFAULT);
  H5Awrite(a, t, &text);
  H5Aclose(a), H5Sclose(s), H5Tclose(t);
}

static void attr_fixed(hid_t f, const char *name, const char *text) {
  hid_t t = H5Tcopy(H5T_C_S1), s = H5Screate(H5S_SCALAR);
  H5Tset_size(t, strlen(text));
  hid_t a = H5Acreate2(f, name, t, s, H5P_DEFAULT, H5P_DEFAULT);
  H5Awrite(a, t, text);
  H5Aclose(a), H5Sclose(s), H5Tclose(t);
}

static int setup(void **state) {
  (void)state;
  report_quiet();
  if (!mkdtemp(dir)) return -1;
  snprintf(h5, sizeof h5, "%s/other.h5", dir);
  snprintf(junk, sizeof junk, "%s/junk.h5", dir);
  for (size_t i = 0; i + 1 < sizeof big; i++) big[i] = (char)('a' + i % 26);
  hid_t f = H5Fcreate(h5, H5F_ACC_TRUNC, H5P_DEFAULT, H5P_DEFAULT);
  if (f < 0) return -1;
  attr_vlen(f, "scenario", big); /* far longer than report_attr_text's buffers */
  attr_fixed(f, "label", "fixed text");
  int64_t one = 1;
  hid_t s = H5Screate(H5S_SCALAR);
  hid_t a = H5Acreate2(f, "count", H5T_NATIVE_INT64, s, H5P_DEFAULT, H5P_DEFAULT);
  H5Awrite(a, H5T_NATIVE_INT64, &one);
  H5Aclose(a), H5Sclose(s);
  /* 5 signed 16-bit values, one of them meant as unsigned (as GSHHG stores offsets) */
  int16_t v[5] = {-1, 0, 7, 32767, -32768};
  hsize_t n = 5;
  s = H5Screate_simple(1, &n, NULL);
  hid_t d = H5Dcreate2(f, "ints", H5T_STD_I16LE, s, H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT);
  H5Dwrite(d, H5T_NATIVE_INT16, H5S_ALL, H5S_ALL, H5P_DEFAULT, v);
  H5Dclose(d), H5Sclose(s), H5Fclose(f);
  FILE *j = fopen(junk, "w");
  if (!j) return -1;
  fputs("not hdf5\n", j);
  return fclose(j);
}

static int teardown(void **state) {
  (void)state;
  unlink(h5);
  unlink(junk);
  return rmdir(dir);
}

static void tells_hdf5_files(void **state) {
  (void)state;
  assert_true(report_is_hdf5(h5));
  assert_false(report_is_hdf5(junk));
  char missing[320];
  snprintf(missing, sizeof missing, "%s/none.h5", dir);
  assert_false(report_is_hdf5(missing));
}

static void opens_without_the_schema(void **state) {
  (void)state;
  report_file *f = NULL;
  sim_error err = {0};
  assert_int_equal(report_open(&f, h5, &err), SIM_EINVAL);
  assert_null(f);
  assert_non_null(strstr(err.msg, "no `schema` attribute"));
  assert_int_equal(report_open_hdf5(&f, h5, &err), SIM_OK);
  assert_non_null(f);
  assert_string_equal(report_path(f), h5);
  report_close(f);
  assert_int_not_equal(report_open_hdf5(&f, junk, &err), SIM_OK);
  assert_null(f);
  assert_non_null(strstr(err.msg, "not an HDF5 file"));
}

static void reads_text_attributes_whole(void **state) {
  (void)state;
  report_file *f = NULL;
  sim_error err = {0};
  assert_int_equal(report_open_hdf5(&f, h5, &err), SIM_OK);
  char *s = NULL;
  assert_int_equal(report_attr_string(f, "scenario", &s, &err), SIM_OK);
  assert_string_equal(s, big);
  free(s);
  assert_int_equal(report_attr_string(f, "label", &s, &err), SIM_OK);
  assert_string_equal(s, "fixed text");
  free(s);
  char buf[8]; /* the bounded reader still cuts to its buffer */
  assert_true(report_attr_text(f, "scenario", buf, sizeof buf));
  assert_string_equal(buf, "abcdefg");
  assert_int_equal(report_attr_string(f, "none", &s, &err), SIM_EINVAL);
  assert_null(s);
  assert_non_null(strstr(err.msg, "no `none` attribute"));
  assert_int_equal(report_attr_string(f, "count", &s, &err), SIM_EINVAL);
  assert_null(s);
  assert_non_null(strstr(err.msg, "not one text"));
  report_close(f);
}

static void reads_integer_arrays(void **state) {
  (void)state;
  report_file *f = NULL;
  sim_error err = {0};
  assert_int_equal(report_open_hdf5(&f, h5, &err), SIM_OK);
  void *data = NULL;
  size_t n = 0;
  assert_int_equal(report_ints(f, "ints", 2, 100, &data, &n, &err), SIM_OK);
  assert_int_equal(n, 5);
  const int16_t *s16 = data;
  assert_int_equal(s16[0], -1);
  assert_int_equal((uint16_t)s16[0], 65535); /* the bits as stored */
  assert_int_equal(s16[3], 32767);
  free(data);
  assert_int_equal(report_ints(f, "ints", 4, 100, &data, &n, &err), SIM_OK); /* widened */
  const int32_t *s32 = data;
  assert_int_equal(s32[4], -32768);
  free(data);
  assert_int_equal(report_ints(f, "ints", 2, 4, &data, &n, &err), SIM_EINVAL); /* over max */
  assert_null(data);
  assert_non_null(strstr(err.msg, "5 values (1 to 4 expected)"));
  assert_int_not_equal(report_ints(f, "none", 2, 100, &data, &n, &err), SIM_OK);
  assert_null(data);
  assert_non_null(strstr(err.msg, "none: not a readable dataset"));
  assert_int_equal(report_ints(f, "ints", 8, 100, &data, &n, &err), SIM_EINVAL);
  report_close(f);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(tells_hdf5_files),
      cmocka_unit_test(opens_without_the_schema),
      cmocka_unit_test(reads_text_attributes_whole),
      cmocka_unit_test(reads_integer_arrays),
  };
  return cmocka_run_group_tests(tests, setup, teardown);
}
