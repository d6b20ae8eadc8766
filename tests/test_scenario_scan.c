/* test_scenario_scan: the scan of scenario text ahead of libconfig
 * (models/scenario/scenario_scan.c), scenario_load_text (a stored scenario, includes
 * refused) and the name hash table (models/strtab.c). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "models/scenario/scenario.h"
#include "models/scenario/scenario_scan.h"
#include "models/scenario/spec.h"
#include "models/strtab.h"

static int scan(const char *text, sim_error *err) {
  return scenario_scan_text(text, strlen(text), "t.cfg", err);
}

static void includes_refused_in_text(void **state) {
  (void)state;
  sim_error err = {0};
  assert_int_equal(scan("a = 1;\n@include \"x.cfg\"\n", &err), SIM_EINVAL);
  assert_string_equal(err.msg, "t.cfg:2: @include \"x.cfg\": includes are not allowed here");
  assert_int_equal(scan("  \t@include \"x\"", &err), SIM_EINVAL); /* blanks before it */
  assert_int_equal(scan("# c\n// c\n@include \"x\"", &err), SIM_EINVAL);
  assert_non_null(strstr(err.msg, "t.cfg:3:"));
}

static void not_an_include(void **state) {
  (void)state;
  sim_error err = {0};
  /* in a block comment, inside a string (even spanning lines), after a token on its
   * line, in a line comment: libconfig does not include there either */
  assert_int_equal(scan("/* x\n@include \"a\" */ b = 1;", &err), 0);
  assert_int_equal(scan("s = \"x\n@include \\\"a\\\"\n\";", &err), 0);
  assert_int_equal(scan("s = \"a\\\"\n@include \"b\"", &err),
                   0); /* the escaped quote keeps the string open */
  assert_int_equal(scan("# @include \"a\"\n", &err), 0);
  assert_int_equal(scan("x = 1; @include \"a\"\n", &err), 0); /* a syntax error for libconfig */
}

static void integers(void **state) {
  (void)state;
  sim_error err = {0};
  const char *good[] = {"x = 2147483647;",
                        "x = -2147483648;",
                        "x = 2147483648L;",
                        "x = 0x7fffffff;",
                        "x = 0x100000000L;",
                        "x = -9223372036854775808L;",
                        "x = 1e999;",
                        "x = 99999999999.5;",
                        "x = abc99999999999999999999;",
                        "x = 000000000000000000000001;"};
  for (size_t i = 0; i < sizeof good / sizeof *good; i++) assert_int_equal(scan(good[i], &err), 0);
  assert_int_equal(scan("x = 2147483648;", &err), SIM_EINVAL);
  assert_non_null(strstr(err.msg, "beyond the 32-bit range"));
  assert_int_equal(scan("x = 0x100000000;", &err), SIM_EINVAL);
  assert_int_equal(scan("x = 9223372036854775808L;", &err), SIM_EINVAL);
  assert_non_null(strstr(err.msg, "does not fit in 64 bits"));
  assert_int_equal(scan("x = -99999999999999999999;", &err), SIM_EINVAL);
}

static void long_tokens(void **state) {
  (void)state;
  sim_error err = {0};
  size_t n = SCAN_MAX_TOKEN + 10;
  char *t = malloc(n + 16);
  assert_non_null(t);
  memcpy(t, "s = \"", 5);
  memset(t + 5, 'x', n);
  strcpy(t + 5 + n, "\";");
  assert_int_equal(scan(t, &err), SIM_EINVAL);
  assert_non_null(strstr(err.msg, "t.cfg:1: a string longer than"));
  memset(t, ' ', n); /* blanks, then a comment */
  strcpy(t + n, "x = 1;");
  assert_int_equal(scan(t, &err), SIM_EINVAL);
  free(t);
}

static void include_files(void **state) {
  (void)state;
  char dir[] = "/tmp/test-scan-XXXXXX";
  assert_non_null(mkdtemp(dir));
  char p[256], sub[256], fifo[256], top[256];
  snprintf(sub, sizeof sub, "%s/sub", dir);
  snprintf(fifo, sizeof fifo, "%s/fifo", dir);
  snprintf(p, sizeof p, "%s/part.cfg", dir);
  snprintf(top, sizeof top, "%s/top.cfg", dir);
  assert_int_equal(mkdir(sub, 0700), 0);
  assert_int_equal(mkfifo(fifo, 0600), 0);
  FILE *f = fopen(p, "w");
  fputs("b = 2;\n", f);
  fclose(f);
  const char *cases[][2] = {
      {"a = 1;\n@include \"part.cfg\"\n", NULL},
      {"a = 1;\n@include \"/part.cfg\"\n", NULL}, /* libconfig 1.5: relative to the folder */
      {"@include \"sub\"\n", "is a directory"},
      {"@include \"fifo\"\n", "is not a regular file"},
      {"@include \"none.cfg\"\n", "No such file"},
      {"@include \"top.cfg\"\n", "nested deeper than 10"}};
  for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
    f = fopen(top, "w");
    fputs(cases[i][0], f);
    fclose(f);
    sim_error err = {0};
    int rc = scenario_scan_file(top, dir, &err);
    if (!cases[i][1]) {
      assert_int_equal(rc, 0);
    } else {
      assert_int_equal(rc, SIM_EINVAL);
      assert_non_null(strstr(err.msg, cases[i][1]));
      assert_non_null(strstr(err.msg, "top.cfg:1: @include"));
    }
  }
  sim_error err = {0};
  assert_int_equal(scenario_scan_file(sub, dir, &err), SIM_EINVAL); /* the scenario itself */
  assert_non_null(strstr(err.msg, "cannot open scenario: is a directory"));
  unlink(top), unlink(p), unlink(fifo), rmdir(sub), rmdir(dir);
}

static const char *mm1 =
    "name = \"m\";\nrun = { days = 1.0; };\n"
    "channels = { c0 = { arrivals = { process = \"poisson\"; rate_per_hour = 30.0; }; route = [ "
    "\"s0\" ]; }; };\n"
    "stations = { s0 = { servers = 1; service = { dist = \"exponential\"; mean_min = 1.0; }; }; "
    "};\n";

static void stored_scenario(void **state) {
  (void)state;
  scenario *sc = NULL;
  spec *sp = NULL;
  sim_error err = {0};
  assert_int_equal(scenario_load_text(&sc, mm1, "stored", &err), 0);
  assert_int_equal(spec_build(&sp, sc, &err), 0);
  assert_int_equal((int)sp->nst, 1);
  spec_free(sp);
  scenario_free(sc);
  char buf[1024];
  snprintf(buf, sizeof buf, "%s@include \"/etc/passwd\"\n", mm1);
  assert_int_equal(scenario_load_text(&sc, buf, "stored", &err), SIM_EINVAL);
  assert_null(sc);
  assert_non_null(strstr(err.msg, "stored:5: @include \"/etc/passwd\": includes are not allowed"));
  /* a schedule file is not read either */
  const char *csv =
      "name = \"m\";\nchannels = { c0 = { arrivals = { process = \"schedule\"; csv = "
      "\"/etc/passwd\"; }; "
      "route = [ \"s0\" ]; }; };\nstations = { s0 = { servers = 1; }; };\n";
  assert_int_equal(scenario_load_text(&sc, csv, "stored", &err), 0);
  assert_int_equal(spec_build(&sp, sc, &err), SIM_EINVAL);
  assert_non_null(strstr(err.msg, "a stored scenario reads no schedule file"));
  scenario_free(sc);
}

static void hash_table(void **state) {
  (void)state;
  strtab *t = strtab_new();
  assert_non_null(t);
  enum { N = 20000 };
  char **keys = calloc(N, sizeof *keys);
  for (long i = 0; i < N; i++) {
    assert_true(asprintf(&keys[i], "port.s%ld", i) > 0);
    assert_int_equal(strtab_put(t, keys[i], i), 0);
  }
  assert_int_equal(strtab_put(t, keys[7], 99), 0); /* the first stays */
  for (long i = 0; i < N; i += 97) {
    assert_int_equal(strtab_find(t, keys[i]), i);
    assert_int_equal(strtab_find2(t, "port.", keys[i] + 5), i);
  }
  assert_int_equal(strtab_find(t, keys[7]), 7);
  assert_int_equal(strtab_find(t, "port.s"), -1);
  assert_int_equal(strtab_find2(t, "port", ".s5"), 5); /* any split of the key */
  assert_int_equal(strtab_find2(t, "port.", "nope"), -1);
  assert_int_equal(strtab_find(NULL, "x"), -1);
  strtab_free(t);
  for (long i = 0; i < N; i++) free(keys[i]);
  free(keys);
  strtab_free(NULL);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(includes_refused_in_text),
      cmocka_unit_test(not_an_include),
      cmocka_unit_test(integers),
      cmocka_unit_test(long_tokens),
      cmocka_unit_test(include_files),
      cmocka_unit_test(stored_scenario),
      cmocka_unit_test(hash_table),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
