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

/* Calendar fields of epoch minutes. weekday: 0 = Monday .. 6 = Sunday. */
typedef struct timecal_fields {
  int year, month, day, hour, minute, weekday, yday;
} timecal_fields;
void timecal_fields_of(double epoch_min, timecal_fields *f);

/* Formats epoch minutes as "YYYY-MM-DDTHH:MM". */
void timecal_format(double epoch_min, char *buf, int n);

/* 1 if the date is a Japanese public holiday (national holidays, substitute
 * holidays), 0 otherwise. */
int timecal_is_holiday(int year, int month, int day);
/* 1 in the customary peak periods: year-end and New Year (Dec 29 - Jan 3), Golden Week
 * (Apr 29 - May 5) and Obon (Aug 13 - 16). */
int timecal_is_peak_season(int year, int month, int day);

#endif
