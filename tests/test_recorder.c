/* test_recorder: unit tests of sim/recorder (the generic HDF5 writer). Every file is
 * read back with the plain HDF5 C API, so the tests check what users will see, not
 * what the recorder believes it wrote. Closing, aborting and failing writes are in
 * test_recorder_fail.c; the fixture is tests/recorder_fx.h. */
#include "tests/recorder_fx.h"

/* ---- reading back ----------------------------------------------------------- */

static void read_field(hid_t file, const char *dset, const char *field, hid_t mtype, size_t size,
                       void *out) {
  hid_t c = H5Tcreate(H5T_COMPOUND, size);
  assert_true(H5Tinsert(c, field, 0, mtype) >= 0);
  hid_t d = H5Dopen2(file, dset, H5P_DEFAULT);
  assert_true(d >= 0);
  assert_true(H5Dread(d, c, H5S_ALL, H5S_ALL, H5P_DEFAULT, out) >= 0);
  H5Dclose(d);
  H5Tclose(c);
}

static hid_t vstr(void) {
  hid_t t = H5Tcopy(H5T_C_S1);
  H5Tset_size(t, H5T_VARIABLE);
  H5Tset_cset(t, H5T_CSET_UTF8);
  return t;
}

static void check_str_attr(hid_t obj, const char *name, const char *want) {
  hid_t a = H5Aopen(obj, name, H5P_DEFAULT);
  assert_true(a >= 0);
  hid_t t = vstr();
  char *s = NULL;
  assert_true(H5Aread(a, t, &s) >= 0);
  assert_string_equal(s, want);
  H5free_memory(s);
  H5Tclose(t);
  H5Aclose(a);
}

static void check_str_array_attr(hid_t obj, const char *name, const char *const *want, size_t n) {
  hid_t a = H5Aopen(obj, name, H5P_DEFAULT);
  assert_true(a >= 0);
  hid_t sp = H5Aget_space(a), t = vstr();
  assert_int_equal(H5Sget_simple_extent_npoints(sp), (hssize_t)n);
  char **s = calloc(n, sizeof *s);
  assert_true(H5Aread(a, t, s) >= 0);
  for (size_t i = 0; i < n; i++) assert_string_equal(s[i], want[i]);
  H5Dvlen_reclaim(t, sp, H5P_DEFAULT, s);
  free(s);
  H5Tclose(t);
  H5Sclose(sp);
  H5Aclose(a);
}

static hsize_t rows_of(hid_t file, const char *dset) {
  hid_t d = H5Dopen2(file, dset, H5P_DEFAULT);
  hid_t sp = H5Dget_space(d);
  hsize_t n = 0;
  H5Sget_simple_extent_dims(sp, &n, NULL);
  H5Sclose(sp);
  H5Dclose(d);
  return n;
}

/* ---- tables ---------------------------------------------------------------- */

static const char *const kinds[] = {"generic", "express", "mail"};

static void test_table_all_types(void **state) {
  fixture *f = *state;
  recorder *r = open_ok(f);
  const rec_col cols[] = {
      {.name = "replication", .type = REC_I64, .units = "1", .long_name = "replication index"},
      {.name = "name", .type = REC_STR, .units = "1", .long_name = "channel name"},
      {.name = "kind",
       .type = REC_ENUM,
       .units = "1",
       .long_name = "channel kind",
       .labels = kinds,
       .nlabels = 3},
      {.name = "wait_mean_min", .type = REC_F64, .units = "min", .long_name = "mean wait"},
  };
  const int64_t rep[] = {0, 1, 2};
  const char *name[] = {"express", "\xe6\x88\x90\xe7\x94\xb0", NULL}; /* 成田, then NULL -> "" */
  const int32_t kind[] = {1, 2, 0};
  const double wait[] = {1.5, NAN, -2.25};
  const void *data[] = {rep, name, kind, wait};
  sim_error err = {0, ""};
  assert_int_equal(rec_table(r, "/kpi/channels", "per-channel KPIs", cols, 4, 3, data, &err),
                   SIM_OK);
  assert_int_equal(rec_attr_str(r, "/kpi/channels", "note", "x", &err), SIM_OK);
  assert_int_equal(rec_attr_f64(r, "/", "days", 7.5, &err), SIM_OK);
  close_ok(r);

  hid_t file = H5Fopen(f->path, H5F_ACC_RDONLY, H5P_DEFAULT);
  assert_true(file >= 0);
  assert_int_equal(rows_of(file, "/kpi/channels"), 3);
  int64_t rep_in[3];
  double wait_in[3];
  char *name_in[3];
  read_field(file, "/kpi/channels", "replication", H5T_NATIVE_INT64, 8, rep_in);
  read_field(file, "/kpi/channels", "wait_mean_min", H5T_NATIVE_DOUBLE, 8, wait_in);
  hid_t st = vstr();
  read_field(file, "/kpi/channels", "name", st, sizeof(char *), name_in);
  for (int i = 0; i < 3; i++) assert_int_equal(rep_in[i], rep[i]);
  assert_true(wait_in[0] == 1.5 && isnan(wait_in[1]) && wait_in[2] == -2.25);
  assert_string_equal(name_in[0], "express");
  assert_string_equal(name_in[1], name[1]);
  assert_string_equal(name_in[2], "");
  for (int i = 0; i < 3; i++) H5free_memory(name_in[i]);
  H5Tclose(st);

  /* The enum keeps its labels: read through an enum with the same names. */
  hid_t et = H5Tenum_create(H5T_NATIVE_INT32);
  for (int32_t i = 0; i < 3; i++) H5Tenum_insert(et, kinds[i], &i);
  int32_t kind_in[3];
  read_field(file, "/kpi/channels", "kind", et, 4, kind_in);
  for (int i = 0; i < 3; i++) assert_int_equal(kind_in[i], kind[i]);
  H5Tclose(et);

  hid_t d = H5Dopen2(file, "/kpi/channels", H5P_DEFAULT);
  check_str_attr(d, "long_name", "per-channel KPIs");
  check_str_attr(d, "units", "see field_units");
  check_str_attr(d, "note", "x");
  const char *units[] = {"1", "1", "1", "min"};
  const char *longs[] = {"replication index", "channel name", "channel kind", "mean wait"};
  check_str_array_attr(d, "field_units", units, 4);
  check_str_array_attr(d, "field_long_names", longs, 4);
  /* the table is the scale of its own rows: netCDF readers see a dimension `channels` */
  char scale[32] = "";
  assert_true(H5DSis_scale(d) > 0);
  H5DSget_scale_name(d, scale, sizeof scale);
  assert_string_equal(scale, "channels");
  H5Dclose(d);
  assert_int_equal(read_i64_attr(file, "complete"), 1);
  H5Fclose(file);
}

static void test_table_bad_input(void **state) {
  fixture *f = *state;
  recorder *r = open_ok(f);
  const rec_col cols[] = {{.name = "kind",
                           .type = REC_ENUM,
                           .units = "1",
                           .long_name = "kind",
                           .labels = kinds,
                           .nlabels = 3}};
  const int32_t bad[] = {0, 3};
  const void *data[] = {bad};
  sim_error err = {0, ""};
  assert_int_equal(rec_table(r, "/t", "t", cols, 1, 2, data, &err), SIM_EINVAL);
  assert_non_null(strstr(err.msg, "/t"));
  const int32_t good[] = {0, 2};
  const void *gdata[] = {good};
  assert_int_equal(rec_table(r, "/t2", "t", cols, 1, 2, gdata, &err), SIM_OK);
  assert_int_equal(rec_table(r, "/t2", "t", cols, 1, 2, gdata, &err), SIM_EINVAL);
  assert_non_null(strstr(err.msg, "already exists"));
  const rec_col dup[] = {{.name = "a", .type = REC_I64, .units = "1", .long_name = "a"},
                         {.name = "a", .type = REC_F64, .units = "1", .long_name = "a"}};
  assert_int_equal(rec_table(r, "/t3", "t", dup, 2, 0, NULL, &err), SIM_EINVAL);
  assert_int_equal(rec_table(r, "relative", "t", cols, 1, 2, gdata, &err), SIM_EINVAL);
  assert_int_equal(rec_table(r, "/empty", "no rows", cols, 1, 0, NULL, &err), SIM_OK);
  close_ok(r);
}

/* ---- series and scales -------------------------------------------------------- */

static void test_series_scales(void **state) {
  fixture *f = *state;
  recorder *r = open_ok(f);
  sim_error err = {0, ""};
  const double t[] = {0.0, 0.5, 1.0, 1.5};
  const double q[] = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12};
  assert_int_equal(rec_axis(r, "/series/time", "time", t, 4, "h", "hours from start", &err),
                   SIM_OK);
  assert_int_equal(
      rec_series(r, "/series/queue/xray_1", "/series/time", q, 3, 4, "items", "queue", &err),
      SIM_OK);
  assert_int_equal(rec_series(r, "/series/busy/xray_1", "/series/time", q, 3, 4, "1", "busy", &err),
                   SIM_OK);
  assert_int_equal(rec_series(r, "/series/bad", "/series/time", q, 4, 3, "1", "bad", &err),
                   SIM_EINVAL);
  assert_int_equal(rec_series(r, "/series/bad2", "/series/time", q, 2, 4, "1", "bad", &err),
                   SIM_EINVAL);
  assert_non_null(strstr(err.msg, "/series/replication"));
  assert_int_equal(rec_series(r, "/series/bad3", "/nope", q, 3, 4, "1", "bad", &err), SIM_EINVAL);
  /* a deeper group between two series of one group (they sort around it) */
  assert_int_equal(
      rec_series(r, "/series/queue/y/a", "/series/time", q, 3, 4, "items", "queue", &err),
      SIM_OK);
  assert_int_equal(rec_series(r, "/series/queue/zz", "/series/time", q, 3, 4, "items", "queue",
                              &err),
                   SIM_OK);
  /* an entity named like the axis: its group keeps the shared scales */
  assert_int_equal(rec_series(r, "/series/odd/time", "/series/time", q, 3, 4, "1", "odd", &err),
                   SIM_OK);
  const double edges[] = {0, 5, 10};
  assert_int_equal(rec_array(r, "/dist/edges", edges, 3, "min", "bin edges", &err), SIM_OK);
  close_ok(r);

  hid_t file = H5Fopen(f->path, H5F_ACC_RDONLY, H5P_DEFAULT);
  hid_t d = H5Dopen2(file, "/series/queue/xray_1", H5P_DEFAULT);
  hid_t shared_time = H5Dopen2(file, "/series/time", H5P_DEFAULT);
  hid_t shared_rep = H5Dopen2(file, "/series/replication", H5P_DEFAULT);
  assert_true(shared_time >= 0 && shared_rep >= 0);
  assert_true(H5DSis_scale(shared_time) > 0 && H5DSis_scale(shared_rep) > 0);
  hid_t odd = H5Dopen2(file, "/series/odd/time", H5P_DEFAULT);
  assert_true(H5DSis_attached(odd, shared_rep, 0) > 0 && H5DSis_attached(odd, shared_time, 1) > 0);
  assert_int_equal(H5Lexists(file, "/series/odd/replication", H5P_DEFAULT), 0);
  H5Dclose(odd);
  H5Dclose(shared_time);
  H5Dclose(shared_rep);
  /* each group holds copies of the scales it uses, so it opens alone in netCDF readers */
  hid_t time = H5Dopen2(file, "/series/queue/time", H5P_DEFAULT);
  hid_t rep = H5Dopen2(file, "/series/queue/replication", H5P_DEFAULT);
  assert_true(d >= 0 && time >= 0 && rep >= 0);
  assert_true(H5DSis_scale(time) > 0 && H5DSis_scale(rep) > 0);
  assert_true(H5DSis_attached(d, rep, 0) > 0);
  assert_true(H5DSis_attached(d, time, 1) > 0);
  assert_int_equal(H5DSget_num_scales(d, 0), 1);
  assert_int_equal(H5DSget_num_scales(d, 1), 1);
  const char *also[] = {"/series/queue/zz", "/series/queue/y/a"};
  for (int i = 0; i < 2; i++) {
    hid_t o = H5Dopen2(file, also[i], H5P_DEFAULT);
    hid_t ot = i ? H5Dopen2(file, "/series/queue/y/time", H5P_DEFAULT) : time;
    assert_true(o >= 0 && ot >= 0);
    assert_true(H5DSis_attached(o, ot, 1) > 0);
    assert_int_equal(H5DSget_num_scales(o, 1), 1);
    if (i) H5Dclose(ot);
    H5Dclose(o);
  }
  double tback[4];
  assert_true(H5Dread(time, H5T_NATIVE_DOUBLE, H5S_ALL, H5S_ALL, H5P_DEFAULT, tback) >= 0);
  assert_memory_equal(tback, t, sizeof t);
  char name[32];
  H5DSget_scale_name(time, name, sizeof name);
  assert_string_equal(name, "time");
  H5DSget_scale_name(rep, name, sizeof name);
  assert_string_equal(name, "replication");
  double back[12];
  assert_true(H5Dread(d, H5T_NATIVE_DOUBLE, H5S_ALL, H5S_ALL, H5P_DEFAULT, back) >= 0);
  assert_memory_equal(back, q, sizeof q);
  int64_t idx[3];
  assert_true(H5Dread(rep, H5T_NATIVE_INT64, H5S_ALL, H5S_ALL, H5P_DEFAULT, idx) >= 0);
  assert_true(idx[0] == 0 && idx[1] == 1 && idx[2] == 2);
  check_str_attr(d, "units", "items");
  check_str_attr(d, "long_name", "queue");
  check_str_attr(time, "units", "h");
  check_str_attr(rep, "long_name", "replication index (0-based)");
  H5Dclose(d);
  H5Dclose(time);
  H5Dclose(rep);
  d = H5Dopen2(file, "/dist/edges", H5P_DEFAULT);
  assert_true(H5DSis_scale(d) <= 0);
  check_str_attr(d, "units", "min");
  H5Dclose(d);
  H5Fclose(file);
}

/* ---- logs -------------------------------------------------------------------- */

enum { LOG_ROWS = 20000 };

/* Chunked by `want` rows, extendible, shuffled and deflated. */
static void check_chunked(hid_t file, const char *path, hsize_t want) {
  hid_t d = H5Dopen2(file, path, H5P_DEFAULT);
  hid_t dcpl = H5Dget_create_plist(d);
  hsize_t chunk = 0, maxdim = 0;
  assert_int_equal(H5Pget_layout(dcpl), H5D_CHUNKED);
  H5Pget_chunk(dcpl, 1, &chunk);
  assert_int_equal(chunk, want);
  unsigned flags;
  assert_true(H5Pget_filter_by_id2(dcpl, H5Z_FILTER_DEFLATE, &flags, NULL, NULL, 0, NULL, NULL) >=
              0);
  assert_true(H5Pget_filter_by_id2(dcpl, H5Z_FILTER_SHUFFLE, &flags, NULL, NULL, 0, NULL, NULL) >=
              0);
  hid_t sp = H5Dget_space(d);
  H5Sget_simple_extent_dims(sp, NULL, &maxdim);
  assert_true(maxdim == H5S_UNLIMITED);
  H5Sclose(sp);
  H5Pclose(dcpl);
  H5Dclose(d);
}

static void test_log_batches(void **state) {
  fixture *f = *state;
  recorder *r = open_ok(f);
  sim_error err = {0, ""};
  const rec_col cols[] = {{.name = "time_h", .type = REC_F64, .units = "h", .long_name = "time"},
                          {.name = "kind",
                           .type = REC_ENUM,
                           .units = "1",
                           .long_name = "event kind",
                           .labels = kinds,
                           .nlabels = 3},
                          {.name = "text", .type = REC_STR, .units = "1", .long_name = "text"},
                          {.name = "seq", .type = REC_I64, .units = "1", .long_name = "sequence"}};
  rec_log *l = NULL;
  assert_int_equal(rec_log_open(r, &l, "/events", "event log", cols, 4, &err), SIM_OK);
  /* sized logs: the chunk follows the expected rows, up to REC_LOG_ROWS; more still fit */
  rec_log *sz[2] = {NULL, NULL};
  assert_int_equal(rec_log_open_rows(r, &sz[0], "/short", "log", cols, 4, 2, &err), SIM_OK);
  assert_int_equal(rec_log_open_rows(r, &sz[1], "/long", "log", cols, 4, 100000, &err), SIM_OK);
  const double t5[5] = {0, 1, 2, 3, 4};
  const int32_t k5[5] = {0, 1, 2, 0, 1};
  const int64_t s5[5] = {5, 6, 7, 8, 9};
  const char *x5[5] = {"a", "b", "c", "d", "e"};
  const void *d5[] = {t5, k5, x5, s5};
  for (int i = 0; i < 2; i++) assert_int_equal(rec_log_append(sz[i], 5, d5, &err), SIM_OK);
  double tb[1000];
  int32_t kb[1000];
  int64_t sb[1000];
  const char *xb[1000];
  char text[1000][16];
  size_t done = 0;
  for (size_t batch = 1; done < LOG_ROWS; batch = batch % 997 + 13) {
    size_t n = LOG_ROWS - done < batch ? LOG_ROWS - done : batch;
    for (size_t i = 0; i < n; i++) {
      size_t k = done + i;
      tb[i] = (double)k * 0.25;
      kb[i] = (int32_t)(k % 3);
      sb[i] = (int64_t)k;
      snprintf(text[i], sizeof text[i], "row %zu", k);
      xb[i] = text[i];
    }
    const void *data[] = {tb, kb, xb, sb};
    assert_int_equal(rec_log_append(l, n, data, &err), SIM_OK);
    done += n;
  }
  close_ok(r);

  hid_t file = H5Fopen(f->path, H5F_ACC_RDONLY, H5P_DEFAULT);
  assert_int_equal(rows_of(file, "/events"), LOG_ROWS);
  int64_t *seq = malloc(LOG_ROWS * sizeof *seq);
  double *tm = malloc(LOG_ROWS * sizeof *tm);
  char **txt = malloc(LOG_ROWS * sizeof *txt);
  read_field(file, "/events", "seq", H5T_NATIVE_INT64, 8, seq);
  read_field(file, "/events", "time_h", H5T_NATIVE_DOUBLE, 8, tm);
  hid_t st = vstr();
  read_field(file, "/events", "text", st, sizeof(char *), txt);
  for (size_t k = 0; k < LOG_ROWS; k++) {
    char want[16];
    snprintf(want, sizeof want, "row %zu", k);
    assert_int_equal(seq[k], (int64_t)k);
    assert_true(tm[k] == (double)k * 0.25);
    assert_string_equal(txt[k], want);
    H5free_memory(txt[k]);
  }
  H5Tclose(st);
  free(seq);
  free(tm);
  free(txt);

  check_chunked(file, "/events", 4096);
  check_chunked(file, "/short", 2);
  check_chunked(file, "/long", 4096);
  assert_int_equal(rows_of(file, "/short"), 5);
  int64_t s5back[5];
  read_field(file, "/short", "seq", H5T_NATIVE_INT64, 8, s5back);
  assert_memory_equal(s5back, s5, sizeof s5);
  H5Fclose(file);
}

/* ---- summary ----------------------------------------------------------------- */

static void test_summary_values(void **state) {
  fixture *f = *state;
  recorder *r = open_ok(f);
  sim_error err = {0, ""};
  const rec_col cols[] = {
      {.name = "replication", .type = REC_I64, .units = "1", .long_name = "replication"},
      {.name = "station", .type = REC_STR, .units = "1", .long_name = "station"},
      {.name = "served", .type = REC_I64, .units = "items", .long_name = "served"},
      {.name = "wait_min", .type = REC_F64, .units = "min", .long_name = "mean wait"}};
  const int64_t rep[] = {0, 0, 0, 1, 1, 1, 2, 2, 3, 3};
  const char *st[] = {"a", "b", "c", "a", "b", "c", "a", "b", "a", "b"};
  const int64_t served[] = {1, 10, 7, 2, 20, 7, 3, 30, 4, 40};
  const double wait[] = {1.0, 2.0, NAN, 2.0, NAN, NAN, 4.0, 5.0, 8.0, NAN};
  const void *data[] = {rep, st, served, wait};
  assert_int_equal(
      rec_summary(r, "/kpi/summary/stations", "summary", cols, 4, 10, data, "station", &err),
      SIM_OK);
  assert_int_equal(rec_summary(r, "/x", "x", cols, 4, 10, data, "nokey", &err), SIM_EINVAL);
  close_ok(r);

  hid_t file = H5Fopen(f->path, H5F_ACC_RDONLY, H5P_DEFAULT);
  assert_int_equal(rows_of(file, "/kpi/summary/stations"), 3);
  int64_t n[3], wnan[3];
  double smean[3], shw[3], wmean[3], whw[3];
  const char *p = "/kpi/summary/stations";
  read_field(file, p, "n", H5T_NATIVE_INT64, 8, n);
  read_field(file, p, "served_mean", H5T_NATIVE_DOUBLE, 8, smean);
  read_field(file, p, "served_hw", H5T_NATIVE_DOUBLE, 8, shw);
  read_field(file, p, "wait_min_mean", H5T_NATIVE_DOUBLE, 8, wmean);
  read_field(file, p, "wait_min_hw", H5T_NATIVE_DOUBLE, 8, whw);
  read_field(file, p, "wait_min_nan", H5T_NATIVE_INT64, 8, wnan);
  /* a: served 1..4 -> mean 2.5, sd sqrt(5/3), t(0.975,3) = 3.182446305284263. */
  assert_int_equal(n[0], 4);
  assert_close(smean[0], 2.5, 1e-12);
  assert_close(shw[0], 3.182446305284263 * sqrt(5.0 / 3.0) / 2.0, 1e-9);
  /* a: wait 1,2,4,8 -> mean 3.75, sd sqrt(28.75/3). */
  assert_close(wmean[0], 3.75, 1e-12);
  assert_close(whw[0], 3.182446305284263 * sqrt(28.75 / 3.0) / 2.0, 1e-9);
  assert_int_equal(wnan[0], 0);
  /* b: wait 2,5 (two NaNs ignored) -> mean 3.5, sd sqrt(4.5), t(0.975,1) = 12.706204736174698. */
  assert_close(smean[1], 25.0, 1e-12);
  assert_close(wmean[1], 3.5, 1e-12);
  assert_close(whw[1], 12.706204736174698 * sqrt(4.5) / sqrt(2.0), 1e-9);
  assert_int_equal(wnan[1], 2);
  /* c: served 7,7 -> hw 0; wait all NaN -> mean and hw NaN. */
  assert_int_equal(n[2], 2);
  assert_close(shw[2], 0.0, 1e-12);
  assert_true(isnan(wmean[2]) && isnan(whw[2]));
  assert_int_equal(wnan[2], 2);
  hid_t st_t = vstr();
  char *keys[3];
  read_field(file, p, "station", st_t, sizeof(char *), keys);
  assert_string_equal(keys[0], "a");
  assert_string_equal(keys[2], "c");
  for (int i = 0; i < 3; i++) H5free_memory(keys[i]);
  H5Tclose(st_t);
  /* No statistics of the replication column itself. */
  hid_t d = H5Dopen2(file, p, H5P_DEFAULT), t = H5Dget_type(d);
  assert_true(H5Tget_member_index(t, "replication_mean") < 0);
  assert_int_equal(H5Tget_nmembers(t), 2 + 3 * 2);
  H5Tclose(t);
  H5Dclose(d);
  H5Fclose(file);
}

static void test_summary_single_replication(void **state) {
  fixture *f = *state;
  recorder *r = open_ok(f);
  sim_error err = {0, ""};
  const rec_col cols[] = {{.name = "k",
                           .type = REC_ENUM,
                           .units = "1",
                           .long_name = "kind",
                           .labels = kinds,
                           .nlabels = 3},
                          {.name = "v", .type = REC_F64, .units = "1", .long_name = "v"}};
  const int32_t k[] = {2, 1};
  const double v[] = {3.0, 4.0};
  const void *data[] = {k, v};
  assert_int_equal(rec_summary(r, "/s", "s", cols, 2, 2, data, "k", &err), SIM_OK);
  close_ok(r);
  hid_t file = H5Fopen(f->path, H5F_ACC_RDONLY, H5P_DEFAULT);
  double mean[2], hw[2];
  read_field(file, "/s", "v_mean", H5T_NATIVE_DOUBLE, 8, mean);
  read_field(file, "/s", "v_hw", H5T_NATIVE_DOUBLE, 8, hw);
  assert_true(mean[0] == 3.0 && mean[1] == 4.0 && isnan(hw[0]) && isnan(hw[1]));
  H5Fclose(file);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test_setup_teardown(test_table_all_types, setup, teardown),
      cmocka_unit_test_setup_teardown(test_table_bad_input, setup, teardown),
      cmocka_unit_test_setup_teardown(test_series_scales, setup, teardown),
      cmocka_unit_test_setup_teardown(test_log_batches, setup, teardown),
      cmocka_unit_test_setup_teardown(test_summary_values, setup, teardown),
      cmocka_unit_test_setup_teardown(test_summary_single_replication, setup, teardown),
  };
  return cmocka_run_group_tests_name("recorder", tests, NULL, NULL);
}
