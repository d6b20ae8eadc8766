/* test_timecal: ISO parsing and formatting, calendar fields, and the Japanese public
 * holidays checked against the Cabinet Office lists (内閣府「国民の祝日について」). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "models/timecal.h"

typedef struct ymd {
  int m, d;
} ymd;

/* Every holiday of a year, in order, must be exactly the listed dates. */
static void check_year(int year, const ymd *list, int n) {
  int k = 0;
  for (int m = 1; m <= 12; m++)
    for (int d = 1; d <= timecal_days_in_month(year, m); d++) {
      int want = k < n && list[k].m == m && list[k].d == d;
      if (timecal_is_holiday(year, m, d) != want)
        fail_msg("%04d-%02d-%02d: holiday %d, expected %d", year, m, d, !want, want);
      k += want;
    }
  assert_int_equal(k, n);
}

/* Cabinet Office list for 2024: 21 days, five of them substitute holidays. */
static void holidays_2024(void **s) {
  (void)s;
  static const ymd h[] = {{1, 1},  {1, 8},  {2, 11}, {2, 12}, {2, 23}, {3, 20}, {4, 29},
                          {5, 3},  {5, 4},  {5, 5},  {5, 6},  {7, 15}, {8, 11}, {8, 12},
                          {9, 16}, {9, 22}, {9, 23}, {10, 14}, {11, 3}, {11, 4}, {11, 23}};
  check_year(2024, h, (int)(sizeof h / sizeof *h));
}

/* 2025: May 4 (Greenery Day) is a Sunday, so the substitute is May 6 (May 5 is itself a
 * holiday); Feb 23 and Nov 23 are Sundays too. */
static void holidays_2025(void **s) {
  (void)s;
  static const ymd h[] = {{1, 1}, {1, 13}, {2, 11}, {2, 23}, {2, 24}, {3, 20}, {4, 29},
                          {5, 3}, {5, 4},  {5, 5},  {5, 6},  {7, 21}, {8, 11}, {9, 15},
                          {9, 23}, {10, 13}, {11, 3}, {11, 23}, {11, 24}};
  check_year(2025, h, (int)(sizeof h / sizeof *h));
}

/* Special years: the 2019 accession (ten days of Golden Week), the Tokyo 2020 Games
 * moves (2020, 2021), and the citizens' holiday of September 2026. */
static void holidays_special(void **s) {
  (void)s;
  for (int d = 27; d <= 30; d++) assert_int_equal(timecal_is_holiday(2019, 4, d), d >= 29);
  for (int d = 1; d <= 7; d++) assert_int_equal(timecal_is_holiday(2019, 5, d), d <= 6);
  assert_true(timecal_is_holiday(2019, 10, 22));
  assert_false(timecal_is_holiday(2019, 12, 23)); /* no Emperor's birthday in 2019 */
  assert_false(timecal_is_holiday(2019, 2, 23));
  assert_true(timecal_is_holiday(2020, 7, 23) && timecal_is_holiday(2020, 7, 24) &&
              timecal_is_holiday(2020, 8, 10));
  assert_false(timecal_is_holiday(2020, 10, 12) || timecal_is_holiday(2020, 7, 20) ||
               timecal_is_holiday(2020, 8, 11));
  assert_true(timecal_is_holiday(2021, 7, 22) && timecal_is_holiday(2021, 7, 23));
  assert_true(timecal_is_holiday(2021, 8, 8) &&
              timecal_is_holiday(2021, 8, 9)); /* Sunday + substitute */
  assert_true(timecal_is_holiday(2026, 9, 21) && timecal_is_holiday(2026, 9, 22) &&
              timecal_is_holiday(2026, 9, 23));
  assert_true(timecal_is_holiday(2015, 9, 22)); /* citizens' holiday, "Silver Week" */
  assert_true(timecal_is_holiday(2018, 12, 23) && timecal_is_holiday(2018, 12, 24));
  assert_true(timecal_is_holiday(2002, 7, 20) &&
              timecal_is_holiday(2002, 9, 15)); /* before Happy Monday */
  assert_false(timecal_is_holiday(2003, 5, 4)); /* a Sunday between holidays, before 2007 */
  assert_true(timecal_is_holiday(2006, 5, 4));
  assert_false(timecal_is_holiday(1999, 1, 1) ||
               timecal_is_holiday(2100, 1, 1)); /* outside 2000-2099 */
  assert_false(timecal_is_holiday(2024, 2, 30));
}

static void equinoxes(void **s) {
  (void)s;
  static const int v[][3] = {{2024, 3, 20}, {2025, 3, 20}, {2024, 9, 22}, {2025, 9, 23},
                             {2012, 9, 22}, {2016, 3, 20}, {2023, 3, 21}, {2026, 9, 23}};
  for (size_t i = 0; i < sizeof v / sizeof *v; i++) {
    assert_true(timecal_is_holiday(v[i][0], v[i][1], v[i][2]));
    assert_false(timecal_is_holiday(v[i][0], v[i][1], v[i][2] + 2));
  }
}

static void weekdays_and_fields(void **s) {
  (void)s;
  static const struct {
    const char *iso;
    int weekday, yday;
    double epoch;
  } c[] = {{"2024-11-25", 0, 329, 28874880}, {"1970-01-01", 3, 0, 0},
           {"2000-02-29", 1, 59, 15863040},  {"2024-02-29", 3, 59, 28486080},
           {"2099-12-31", 3, 364, 68372640}, {"2000-01-01", 5, 0, 15778080},
           {"1969-12-31", 2, 364, -1440},    {"2025-01-01", 2, 0, 28928160}};
  for (size_t i = 0; i < sizeof c / sizeof *c; i++) {
    double e;
    timecal_fields f;
    assert_int_equal(timecal_parse(c[i].iso, &e), 0);
    assert_true(e == c[i].epoch);
    timecal_fields_of(e + 13 * 60 + 7, &f);
    assert_int_equal(f.weekday, c[i].weekday);
    assert_int_equal(f.yday, c[i].yday);
    assert_int_equal(f.hour, 13);
    assert_int_equal(f.minute, 7);
  }
}

static void iso_round_trip(void **s) {
  (void)s;
  static const char *const ok[] = {"2024-11-25T07:30", "2000-02-29T00:00", "2099-12-31T23:59",
                                   "1970-01-01T00:00", "2024-01-01T12:05"};
  char buf[32];
  double e, e2;
  for (size_t i = 0; i < sizeof ok / sizeof *ok; i++) {
    assert_int_equal(timecal_parse(ok[i], &e), 0);
    timecal_format(e, buf, sizeof buf);
    assert_string_equal(buf, ok[i]);
  }
  /* every minute-aligned time over many years survives fields -> epoch -> format */
  for (double m = timecal_epoch(1999, 12, 25, 0, 0); m < timecal_epoch(2101, 1, 1, 0, 0);
       m += 7919.0) {
    timecal_fields f;
    timecal_fields_of(m, &f);
    assert_true(timecal_epoch(f.year, f.month, f.day, f.hour, f.minute) == m);
    timecal_format(m, buf, sizeof buf);
    assert_int_equal(timecal_parse(buf, &e2), 0);
    assert_true(e2 == m);
  }
  assert_int_equal(timecal_parse("2024-11-25 07:30", &e2), 0); /* spreadsheet form */
  assert_int_equal(timecal_parse("2024-11-25T07:30:30", &e2), 0);
  assert_true(e2 - timecal_epoch(2024, 11, 25, 7, 30) == 0.5);
  /* the end of a date is the next midnight; a date-time is itself */
  assert_int_equal(timecal_parse_until("2024-12-14", &e), 0);
  assert_true(e == timecal_epoch(2024, 12, 15, 0, 0));
  assert_int_equal(timecal_parse_until("2024-12-14T06:00", &e), 0);
  assert_true(e == timecal_epoch(2024, 12, 14, 6, 0));
  /* fractional minutes just below a boundary (sums of epoch and offsets) stay put */
  timecal_format(timecal_epoch(2024, 11, 25, 7, 30) - 1e-8, buf, sizeof buf);
  assert_string_equal(buf, "2024-11-25T07:30");
}

static void iso_rejects(void **s) {
  (void)s;
  static const char *const bad[] = {"", "2024", "2024-02-30", "2023-02-29", "2024-13-01",
                                    "2024-00-10", "2024-11-25T24:00", "2024-11-25T07:60",
                                    "2024-11-25T7:30", "2024-11-25x", "2024/11/25", "24-11-25",
                                    "2024-11-25T07:30:60", "2024-11-25T07:30Z", "abcd-ef-gh",
                                    "2024-11-25T07-30", "0999-01-01"};
  double e;
  for (size_t i = 0; i < sizeof bad / sizeof *bad; i++)
    if (!timecal_parse(bad[i], &e)) fail_msg("accepted '%s'", bad[i]);
  assert_int_equal(timecal_parse(NULL, &e), -1);
  assert_int_equal(timecal_parse_until("2024-02-30", &e), -1);
}

static void peak_seasons(void **s) {
  (void)s;
  static const int in[][2] = {{12, 29}, {12, 31}, {1, 1},  {1, 3}, {4, 29},
                              {5, 1},   {5, 5},   {8, 13}, {8, 16}};
  static const int out[][2] = {{12, 28}, {1, 4}, {4, 28}, {5, 6}, {8, 12}, {8, 17}, {7, 1}};
  for (size_t i = 0; i < sizeof in / sizeof *in; i++)
    assert_true(timecal_is_peak_season(2024, in[i][0], in[i][1]));
  for (size_t i = 0; i < sizeof out / sizeof *out; i++)
    assert_false(timecal_is_peak_season(2024, out[i][0], out[i][1]));
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(holidays_2024),       cmocka_unit_test(holidays_2025),
      cmocka_unit_test(holidays_special),    cmocka_unit_test(equinoxes),
      cmocka_unit_test(weekdays_and_fields), cmocka_unit_test(iso_round_trip),
      cmocka_unit_test(iso_rejects),         cmocka_unit_test(peak_seasons),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
