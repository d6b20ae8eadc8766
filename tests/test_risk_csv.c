/* test_risk_csv: the 14-column customs-fraud CSV. Good rows parse field by field
 * (quotes, CRLF, two-digit years, short tariff codes); malformed rows are reported
 * with file and line and skipped, or end the read when strict; the generator's data
 * survive a write and read back; the chronological split is 60/20/20. */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "models/declgen.h"
#include "models/kernels/risk_csv.h"

#define OK_CSV "tests/data/risk_ok.csv"
#define BAD_CSV "tests/data/risk_bad.csv"

static double day_of(int y, int m, int d) { /* days since 1970-01-01, by counting */
  static const int mdays[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  double n = 0;
  for (int yy = 1970; yy < y; yy++) n += 365 + ((yy % 4 == 0 && yy % 100) || yy % 400 == 0);
  for (int mm = 1; mm < m; mm++) n += mdays[mm - 1] + (mm == 2 && y % 4 == 0);
  return n + d - 1;
}

static void good_rows(void **s) {
  (void)s;
  item *it = NULL;
  size_t n = 0, skipped = 9;
  sim_error e = {0};
  assert_int_equal(risk_csv_read(OK_CSV, NULL, &it, &n, &skipped, &e), SIM_OK);
  assert_int_equal(n, 5);
  assert_int_equal(skipped, 0);
  assert_true(it[0].arrival_min == day_of(2013, 1, 2) * 1440);
  assert_true(it[2].arrival_min == day_of(2013, 1, 3) * 1440);
  assert_true(it[4].arrival_min == day_of(2013, 1, 4) * 1440); /* time of day ignored */
  assert_int_equal(it[0].decl.hs6, 870323);
  assert_int_equal(it[3].decl.hs6, 20110); /* 020110: leading zero kept */
  assert_int_equal(it[4].decl.hs6, 870300); /* short code padded */
  assert_int_equal(it[0].decl.importer, it[2].decl.importer); /* same string, same code */
  assert_int_not_equal(it[0].decl.importer, it[1].decl.importer);
  assert_int_not_equal(it[3].decl.importer, it[0].decl.importer);
  assert_int_equal(it[4].decl.quantity, 3);
  assert_true(it[0].decl.fob_jpy == 1500.25 && it[0].decl.cif_jpy == 1900.5);
  assert_true(it[0].decl.taxes_jpy == 460.75 && it[0].decl.gross_kg == 96.5);
  assert_true(!item_is_illicit(&it[0]) && item_is_illicit(&it[2]));
  assert_true(it[2].truth.evaded_jpy == 250.5);
  assert_int_equal(it[0].kind, KIND_GENERIC);
  free(it);
}

/* Lines 3 to 9 and 11 are malformed, each in its own way. */
static void malformed_rows_skipped(void **s) {
  (void)s;
  char *log = NULL;
  size_t loglen = 0, n = 0, skipped = 0;
  risk_csv_opts o;
  risk_csv_opts_default(&o);
  o.log = open_memstream(&log, &loglen);
  item *it = NULL;
  assert_int_equal(risk_csv_read(BAD_CSV, &o, &it, &n, &skipped, NULL), SIM_OK);
  fclose(o.log);
  assert_int_equal(n, 2);
  assert_int_equal(skipped, 8);
  static const char *const want[] = {
      BAD_CSV ":3: fewer than 14 fields",
      BAD_CSV ":4: bad value in column gross.weight",
      BAD_CSV ":5: bad value in column fob.value",
      BAD_CSV ":6: bad value in column sgd.date",
      BAD_CSV ":7: bad value in column illicit",
      BAD_CSV ":8: unclosed quote",
      BAD_CSV ":9: bad value in column importer.id",
      BAD_CSV ":11: more than 14 fields"};
  for (size_t i = 0; i < sizeof want / sizeof *want; i++)
    if (!strstr(log, want[i])) fail_msg("'%s' not reported in:\n%s", want[i], log);
  assert_null(strstr(log, ":2:"));
  assert_null(strstr(log, ":10:"));
  assert_true(it[1].truth.evaded_jpy == 40);
  free(log), free(it);
}

static void malformed_rows_strict(void **s) {
  (void)s;
  risk_csv_opts o;
  risk_csv_opts_default(&o);
  o.strict = 1;
  item *it = NULL;
  size_t n = 0;
  sim_error e = {0};
  assert_int_equal(risk_csv_read(BAD_CSV, &o, &it, &n, NULL, &e), SIM_EINVAL);
  assert_string_equal(e.msg, BAD_CSV ":3: fewer than 14 fields");
  assert_null(it);
}

static void bad_files(void **s) {
  (void)s;
  item *it = NULL;
  size_t n = 0;
  sim_error e = {0};
  const char *hdr = "tests/data/risk_bad_header.csv";
  assert_int_equal(risk_csv_read(hdr, NULL, &it, &n, NULL, &e), SIM_EINVAL);
  assert_non_null(strstr(e.msg, "risk_bad_header.csv:1: "));
  assert_int_equal(risk_csv_read("tests/data/no_such_file.csv", NULL, &it, &n, NULL, &e), SIM_EIO);
  assert_non_null(strstr(e.msg, "no_such_file.csv"));
  risk_csv_opts o;
  risk_csv_opts_default(&o);
  o.max_rows = 3;
  assert_int_equal(risk_csv_read(OK_CSV, &o, &it, &n, NULL, &e), SIM_EINVAL);
  assert_non_null(strstr(e.msg, "more than 3 rows"));
}

static void write_read_back(void **s) {
  (void)s;
  enum { N = 500 };
  declgen_params p;
  declgen_params_benchmark(KIND_AIR_CARGO, &p);
  declgen *g = declgen_new(&p, 3, NULL);
  gsl_rng *r = gsl_rng_alloc(gsl_rng_mt19937);
  item *a = malloc(N * sizeof *a), *b = NULL;
  declgen_history(g, N, -30, 0, r, a);
  char path[] = "/tmp/test_risk_csv_XXXXXX";
  int fd = mkstemp(path);
  assert_true(fd >= 0);
  close(fd);
  sim_error e = {0};
  assert_int_equal(risk_csv_write(path, a, N, &e), SIM_OK);
  size_t n = 0;
  assert_int_equal(risk_csv_read(path, NULL, &b, &n, NULL, &e), SIM_OK);
  assert_int_equal(n, N);
  for (size_t i = 0; i < N; i++) {
    assert_int_equal(b[i].decl.hs6, a[i].decl.hs6);
    assert_int_equal(b[i].decl.quantity, a[i].decl.quantity);
    assert_int_equal(item_is_illicit(&b[i]), item_is_illicit(&a[i]) != 0);
    assert_true(fabs(b[i].decl.cif_jpy - a[i].decl.cif_jpy) <= 0.005 + 1e-9 * a[i].decl.cif_jpy);
    double ev = a[i].truth.evaded_jpy;
    assert_true(fabs(b[i].truth.evaded_jpy - ev) <= 0.005 + 1e-9 * ev);
    /* whole days, in order */
    assert_true(b[i].arrival_min - b[0].arrival_min ==
                1440 * (floor(a[i].arrival_min / 1440) - floor(a[0].arrival_min / 1440)));
    for (size_t j = 0; j < i && j < 50; j++) /* codes are consistent */
      assert_int_equal(b[i].decl.importer == b[j].decl.importer,
                       a[i].decl.importer == a[j].decl.importer);
  }
  unlink(path);
  /* passengers do not fit */
  declgen_free(g);
  declgen_params_default(KIND_PASSENGERS_IN, &p);
  g = declgen_new(&p, 3, NULL);
  declgen_fill(g, 0, r, &a[0]);
  assert_int_equal(risk_csv_write(path, a, 1, &e), SIM_EINVAL);
  free(a), free(b), gsl_rng_free(r), declgen_free(g);
}

static void sort_and_split(void **s) {
  (void)s;
  item it[10];
  memset(it, 0, sizeof it);
  for (int i = 0; i < 10; i++) it[i].arrival_min = (i * 7) % 10, it[i].id = (uint64_t)i;
  it[9].arrival_min = it[2].arrival_min; /* a tie keeps file order */
  assert_int_equal(risk_csv_sort(it, 10, NULL), SIM_OK);
  for (int i = 1; i < 10; i++) assert_true(it[i].arrival_min >= it[i - 1].arrival_min);
  for (int i = 0; i < 9; i++)
    if (it[i].id == 9) assert_int_equal(it[i - 1].id, 2);
  size_t nt, nv;
  risk_csv_split(100000, &nt, &nv);
  assert_int_equal(nt, 60000);
  assert_int_equal(nv, 20000);
  risk_csv_split(7, &nt, &nv);
  assert_int_equal(nt, 4);
  assert_int_equal(nv, 1);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(good_rows),        cmocka_unit_test(malformed_rows_skipped),
      cmocka_unit_test(malformed_rows_strict), cmocka_unit_test(bad_files),
      cmocka_unit_test(write_read_back),  cmocka_unit_test(sort_and_split),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
