/* fmt: the small text helpers of the viewer: the simulated calendar date and time from
 * the run's start date and the clock, durations, counts with thousands separators, and
 * the --at TIME option (hours from the start, or a calendar date and time). Pure. */
#ifndef VIZ_FMT_H
#define VIZ_FMT_H

#include <stddef.h>
#include <stdint.h>

/* Writes the calendar time of now_min after start_iso: "Mon 2024-11-25 14:30", or
 * with japanese set "2024年11月25日(月) 14:30". Returns 0, or -1 if start_iso is
 * malformed (buf then holds "+36:00", hours and minutes from the start). */
int fmt_clock(const char *start_iso, double now_min, int japanese, char *buf, size_t n);

/* "–" (NaN), "<1 min", "45 min", "3.2 h", "2.5 d"; in Japanese "1分未満", "45分",
 * "3.2時間", "2.5日". */
void fmt_duration(double min, char *buf, size_t n);
void fmt_duration_l(double min, int japanese, char *buf, size_t n);

/* "72,663"; negative values (unknown) give "–". */
void fmt_count(int64_t v, char *buf, size_t n);

/* Parses --at: "36h", "36" (hours), "90m", "1.5d", or an ISO date "2024-11-26T12:00"
 * taken against start_iso. Returns 0 and *min (minutes from the start, >= 0), or -1. */
int fmt_parse_at(const char *text, const char *start_iso, double *min);

/* Parses "WxH" with each side in [lo, hi]. Returns 0 or -1. */
int fmt_parse_size(const char *text, int lo, int hi, int *w, int *h);

#endif
