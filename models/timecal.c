/* timecal: calendar dates for the simulation clock (see timecal.h). Dates are
 * proleptic Gregorian and carry no time zone: the scenario's clock is local Japan time.
 *
 * Holidays follow the Act on National Holidays (国民の祝日に関する法律, Act No. 178
 * of 1948, as amended; summary on the Cabinet Office page "国民の祝日について") for the
 * years 2000-2099, with the special laws that moved or added days in 2019-2021. */
#include "models/timecal.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#define MIN_PER_DAY 1440.0
/* Times are sums of a large epoch and small offsets: absorb rounding below a
 * microsecond so 07:30 does not become 07:29. */
#define EPS_MIN 1e-6

/* Days since 1970-01-01 of a civil date (H. Hinnant's days_from_civil algorithm). */
static long days_from_civil(int y, int m, int d) {
  y -= m <= 2;
  long era = (y >= 0 ? y : y - 399) / 400;
  long yoe = y - era * 400;
  long doy = (153L * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  long doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + doe - 719468;
}

static void civil_from_days(long z, int *y, int *m, int *d) {
  z += 719468;
  long era = (z >= 0 ? z : z - 146096) / 146097;
  long doe = z - era * 146097;
  long yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  long doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  long mp = (5 * doy + 2) / 153;
  *d = (int)(doy - (153 * mp + 2) / 5 + 1);
  *m = (int)(mp < 10 ? mp + 3 : mp - 9);
  *y = (int)(yoe + era * 400 + (*m <= 2));
}

static int is_leap(int y) { return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0; }

int timecal_days_in_month(int year, int month) {
  static const int dm[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  if (month < 1 || month > 12) return 0;
  return dm[month - 1] + (month == 2 && is_leap(year));
}

/* 1970-01-01 was a Thursday (3 with Monday = 0). */
static int weekday_of_days(long z) { return (int)(((z + 3) % 7 + 7) % 7); }

static int weekday(int y, int m, int d) { return weekday_of_days(days_from_civil(y, m, d)); }

double timecal_epoch(int year, int month, int day, int hour, int minute) {
  return (double)days_from_civil(year, month, day) * MIN_PER_DAY + hour * 60.0 + minute;
}

/* Reads exactly n digits at s into *v. */
static int digits(const char *s, int n, int *v) {
  int x = 0;
  for (int i = 0; i < n; i++) {
    if (s[i] < '0' || s[i] > '9') return -1;
    x = x * 10 + (s[i] - '0');
  }
  *v = x;
  return 0;
}

/* Parses the date part and an optional time; *has_time tells which form it was. */
static int parse(const char *iso, double *epoch_min, int *has_time) {
  int y, mo, d, h = 0, mi = 0, se = 0;
  if (!iso) return -1;
  size_t n = strlen(iso);
  if (n != 10 && n != 16 && n != 19) return -1;
  if (digits(iso, 4, &y) || iso[4] != '-' || digits(iso + 5, 2, &mo) || iso[7] != '-' ||
      digits(iso + 8, 2, &d))
    return -1;
  if (y < 1000 || mo < 1 || mo > 12 || d < 1 || d > timecal_days_in_month(y, mo)) return -1;
  if (n >= 16) { /* 'T' per ISO 8601; a space as spreadsheets write it */
    if ((iso[10] != 'T' && iso[10] != ' ') || digits(iso + 11, 2, &h) || iso[13] != ':' ||
        digits(iso + 14, 2, &mi) || h > 23 || mi > 59)
      return -1;
  }
  if (n == 19 && (iso[16] != ':' || digits(iso + 17, 2, &se) || se > 59)) return -1;
  *epoch_min = timecal_epoch(y, mo, d, h, mi) + se / 60.0;
  if (has_time) *has_time = n > 10;
  return 0;
}

int timecal_parse(const char *iso, double *epoch_min) { return parse(iso, epoch_min, NULL); }

int timecal_parse_until(const char *iso, double *epoch_min) {
  int has_time = 0;
  if (parse(iso, epoch_min, &has_time)) return -1;
  if (!has_time) *epoch_min += MIN_PER_DAY; /* a date runs through the end of that day */
  return 0;
}

void timecal_fields_of(double epoch_min, timecal_fields *f) {
  double m = floor(epoch_min + EPS_MIN);
  long z = (long)floor(m / MIN_PER_DAY);
  long mod = (long)(m - (double)z * MIN_PER_DAY);
  civil_from_days(z, &f->year, &f->month, &f->day);
  f->hour = (int)(mod / 60);
  f->minute = (int)(mod % 60);
  f->weekday = weekday_of_days(z);
  f->yday = (int)(z - days_from_civil(f->year, 1, 1));
}

void timecal_format(double epoch_min, char *buf, int n) {
  timecal_fields f;
  if (!buf || n <= 0) return;
  timecal_fields_of(epoch_min, &f);
  snprintf(buf, (size_t)n, "%04d-%02d-%02dT%02d:%02d", f.year, f.month, f.day, f.hour, f.minute);
}

/* ---- Japanese public holidays ---- */

/* Day of the month of the nth Monday of a month ("Happy Monday" holidays, from 2000). */
static int nth_monday(int y, int m, int nth) {
  int first = (7 - weekday(y, m, 1)) % 7 + 1; /* first Monday */
  return first + 7 * (nth - 1);
}

/* The equinox days are fixed each February by Cabinet Office gazette notice from the
 * National Astronomical Observatory's ephemeris; this is the usual approximation,
 * valid for 1980-2099: day = floor(C + 0.242194 (y - 1980) - floor((y - 1980) / 4)). */
static int equinox_day(int y, double c) {
  int k = y - 1980;
  return (int)floor(c + 0.242194 * k - floor(k / 4.0));
}
static int vernal_equinox(int y) { return equinox_day(y, 20.8431); }
static int autumnal_equinox(int y) { return equinox_day(y, 23.2488); }

/* Holidays that moved under the special measures law for the Tokyo 2020 Games (Act
 * No. 55 of 2018 and its 2020 amendment): Marine Day, Sports Day, Mountain Day. */
static int olympic_year(int y) { return y == 2020 || y == 2021; }

/* Fixed and Monday holidays of the law as in force in year y (Article 2), plus the
 * one-off days of the 2019 accession (Act No. 99 of 2018). */
static int national_holiday(int y, int m, int d) {
  if (y < 2000 || y > 2099) return 0;
  switch (m) {
  case 1: return d == 1 || d == nth_monday(y, 1, 2);
  case 2: return d == 11 || (y >= 2020 && d == 23);
  case 3: return d == vernal_equinox(y);
  case 4: return d == 29;
  case 5: return d == 3 || d == 5 || (y >= 2007 && d == 4) || (y == 2019 && d == 1);
  case 7:
    if (olympic_year(y)) return y == 2020 ? (d == 23 || d == 24) : (d == 22 || d == 23);
    return y <= 2002 ? d == 20 : d == nth_monday(y, 7, 3);
  case 8:
    if (olympic_year(y)) return d == (y == 2020 ? 10 : 8);
    return y >= 2016 && d == 11;
  case 9: return d == autumnal_equinox(y) || d == (y <= 2002 ? 15 : nth_monday(y, 9, 3));
  case 10: return (!olympic_year(y) && d == nth_monday(y, 10, 2)) || (y == 2019 && d == 22);
  case 11: return d == 3 || d == 23;
  case 12: return y <= 2018 && d == 23; /* the Heisei Emperor's birthday */
  default: return 0;
  }
}

static int national_on_day(long z) {
  int y, m, d;
  civil_from_days(z, &y, &m, &d);
  return national_holiday(y, m, d);
}

/* Substitute holiday (Article 3(2)). Since 2007: when a holiday falls on a Sunday, the
 * first following day that is not a holiday. 1973-2006: only the next day. */
static int substitute_holiday(long z, int y) {
  if (y < 2007) return weekday_of_days(z - 1) == 6 && national_on_day(z - 1);
  for (long k = z - 1; national_on_day(k); k--)
    if (weekday_of_days(k) == 6) return 1;
  return 0;
}

/* Citizens' holiday (Article 3(3)): a day between two holidays. Before 2007 a Sunday
 * or a substitute holiday did not count as one. */
static int citizens_holiday(long z, int y) {
  if (!national_on_day(z - 1) || !national_on_day(z + 1)) return 0;
  return y >= 2007 || (weekday_of_days(z) != 6 && !substitute_holiday(z, y));
}

int timecal_is_holiday(int year, int month, int day) {
  if (year < 2000 || year > 2099 || day < 1 || day > timecal_days_in_month(year, month)) return 0;
  if (national_holiday(year, month, day)) return 1;
  long z = days_from_civil(year, month, day);
  return substitute_holiday(z, year) || citizens_holiday(z, year);
}

int timecal_is_peak_season(int year, int month, int day) {
  (void)year; /* the customary periods do not move with the year */
  switch (month) {
  case 1: return day <= 3;
  case 4: return day >= 29;
  case 5: return day <= 5;
  case 8: return day >= 13 && day <= 16;
  case 12: return day >= 29;
  default: return 0;
  }
}
