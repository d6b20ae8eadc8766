/* timecal: calendar dates for the simulation clock. Parses ISO dates and date-times,
 * converts between minutes from the run start and calendar fields, and knows the
 * Japanese public holidays and the customary closures that move volumes (year-end
 * and New Year, Golden Week, Obon). */
#ifndef MODELS_TIMECAL_H
#define MODELS_TIMECAL_H

#include <stdint.h>

/* Parses "YYYY-MM-DD" or "YYYY-MM-DDTHH:MM[:SS]" into minutes since 1970-01-01 00:00
 * (local calendar, no time zone). Returns 0 or -1 if malformed or out of range. */
int timecal_parse(const char *iso, double *epoch_min);
/* Like timecal_parse, but the end of the period the text names: a date alone means
 * the end of that day (the next midnight), a date-time that instant. For inclusive
 * "to" dates. */
int timecal_parse_until(const char *iso, double *epoch_min);
/* Epoch minutes of a calendar date and time (no range checks). */
double timecal_epoch(int year, int month, int day, int hour, int minute);
/* 28..31, or 0 for a month outside 1..12. */
int timecal_days_in_month(int year, int month);

/* Calendar fields of epoch minutes. weekday: 0 = Monday .. 6 = Sunday; yday: 0 on
 * January 1. */
typedef struct timecal_fields {
  int year, month, day, hour, minute, weekday, yday;
} timecal_fields;
void timecal_fields_of(double epoch_min, timecal_fields *f);

/* Formats epoch minutes as "YYYY-MM-DDTHH:MM". */
void timecal_format(double epoch_min, char *buf, int n);

/* 1 if the date is a Japanese public holiday (national holidays, substitute
 * holidays, citizens' holidays), 0 otherwise. Known for 2000-2099; 0 outside. */
int timecal_is_holiday(int year, int month, int day);
/* 1 in the customary peak periods: year-end and New Year (Dec 29 - Jan 3), Golden Week
 * (Apr 29 - May 5) and Obon (Aug 13 - 16). */
int timecal_is_peak_season(int year, int month, int day);

#endif
