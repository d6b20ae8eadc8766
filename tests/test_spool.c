/* test_spool: a run's time series and finds go to temporary files as the run goes, so
 * the memory a port holds does not grow with the run's length, and what comes back
 * from the files is what was recorded. */
#include <malloc.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "models/port.h"
#include "sim_helpers.h"

/* An M/M/1 queue sampled every 3 s: 28800 samples a day (225 blocks of the spool),
 * about 1.1 MB a day of series if they were kept in memory. */
static const char *const mm1 =
    "name = \"spool\";\n"
    "run = { days = 1.0; warmup_days = 0.25; };\n"
    "output = { sample_min = 0.05; };\n"
    "channels = { c0 = { arrivals = { process = \"poisson\"; rate_per_hour = 48.0; };\n"
    "  route = [ \"s0\" ]; }; };\n"
    "stations = { s0 = { servers = 1; service = { dist = \"exponential\"; mean_min = 1.0; "
    "}; }; };\n";

typedef struct fixture {
  scenario *sc;
  spec *sp;
} fixture;

static void load(fixture *f, const char *days) {
  char path[64], set[64];
  assert_int_equal(th_write_cfg(mm1, path, sizeof path), 0);
  snprintf(set, sizeof set, "run.days=%s", days);
  const char *sets[] = {set};
  sim_error err = {0};
  memset(f, 0, sizeof *f);
  int rc = scenario_load(&f->sc, path, sets, 1, 0, &err) || spec_build(&f->sp, f->sc, &err);
  remove(path);
  if (rc) fprintf(stderr, "%s\n", err.msg);
  assert_int_equal(rc, 0);
}

static void unload(fixture *f) {
  spec_free(f->sp);
  scenario_free(f->sc);
}

#if !defined(__SANITIZE_ADDRESS__) /* the allocator's own figures: not the sanitizers' */
/* Heap bytes in use (small blocks and mapped ones). */
static size_t heap_in_use(void) {
  struct mallinfo2 m = mallinfo2();
  return m.uordblks + m.hblkhd;
}

/* The heap a port holds at the end of a run of `days`, from its creation on. */
static size_t held_after(const char *days) {
  fixture f;
  load(&f, days);
  sim_error err = {0};
  port *p = NULL;
  size_t before = heap_in_use();
  assert_int_equal(port_new(&p, f.sp, 5, 0, &err), 0);
  assert_int_equal(port_run(p, NULL, NULL, NULL, &err), 0);
  size_t after = heap_in_use();
  port_free(p);
  unload(&f);
  return after > before ? after - before : 0;
}
#endif

/* Eight times the days: the port holds about the same (a day of series alone would be
 * 1.1 MB). */
static void longer_run_keeps_no_more(void **state) {
  (void)state;
#if defined(__SANITIZE_ADDRESS__)
  skip();
#else
  size_t short_run = held_after("1.0"), long_run = held_after("8.0");
  assert_true(long_run < short_run + (256u << 10));
#endif
}

static void same_doubles(const double *a, const double *b, size_t n) {
  assert_memory_equal(a, b, n * sizeof *a);
}

/* The series and finds read back from the spool files once the port is gone equal
 * those read while it runs (full blocks, then the one being filled). */
static void spooled_equals_live(void **state) {
  (void)state;
  fixture f;
  load(&f, "1.0");
  sim_error err = {0};
  port *p = NULL;
  assert_int_equal(port_new(&p, f.sp, 9, 0, &err), 0);
  assert_int_equal(port_run(p, NULL, NULL, NULL, &err), 0);
  kpi_run live = {0}, fin = {0};
  assert_int_equal(port_kpis(p, &live, &err), 0);
  assert_int_equal(port_kpis_final(p, &fin, &err), 0);
  port_free(p);
  assert_non_null(fin.series_file);
  assert_null(fin.queue);
  assert_int_equal(kpi_run_load_series(&fin), 0);
  assert_null(fin.series_file);
  size_t n = live.nsamples;
  assert_int_equal(fin.nsamples, n);
  assert_true(n > 36000 - 2 && n % 128 != 0); /* full blocks, then a partial one */
  same_doubles(live.t_h, fin.t_h, n);
  same_doubles(live.in_system, fin.in_system, n);
  same_doubles(live.queue, fin.queue, n);
  same_doubles(live.busy, fin.busy, n);
  assert_true(fabs(live.t_h[n - 1] - 1.25 * 24) < 0.1);
  assert_true(live.queue[n / 2] >= 0 && live.busy[n / 2] <= 1);
  kpi_run_free(&live);
  kpi_run_free(&fin);
  unload(&f);
}

int main(void) {
  const struct CMUnitTest tests[] = {cmocka_unit_test(longer_run_keeps_no_more),
                                     cmocka_unit_test(spooled_equals_live)};
  return cmocka_run_group_tests(tests, NULL, NULL);
}
