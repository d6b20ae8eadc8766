/* fmt: date, duration and count formatting, --at and --size parsing (see fmt.h). */
#include "viz/fmt.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "models/timecal.h"

int fmt_clock(const char *start_iso, double now_min, int japanese, char *buf, size_t n) {
  static const char *const en[7] = {"Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"};
  static const char *const ja[7] = {"月", "火", "水", "木", "金", "土", "日"};
  double epoch;
  if (!start_iso || timecal_parse(start_iso, &epoch)) {
    long m = lround(now_min);
    snprintf(buf, n, "+%ld:%02ld", m / 60, m % 60);
    return -1;
  }
  /* round to the minute first so 14:29:59.9 does not show as 14:29 */
  timecal_fields f;
  timecal_fields_of(floor(epoch + now_min + 1e-6), &f);
  int wd = f.weekday >= 0 && f.weekday < 7 ? f.weekday : 0;
  if (japanese)
    snprintf(buf, n, "%04d年%02d月%02d日(%s) %02d:%02d", f.year, f.month, f.day, ja[wd], f.hour,
             f.minute);
  else
    snprintf(buf, n, "%s %04d-%02d-%02d %02d:%02d", en[wd], f.year, f.month, f.day, f.hour,
             f.minute);
  return 0;
}

void fmt_duration(double min, char *buf, size_t n) { fmt_duration_l(min, 0, buf, n); }

void fmt_duration_l(double min, int japanese, char *buf, size_t n) {
  if (japanese && !isnan(min)) {
    if (min < 1) snprintf(buf, n, "1分未満");
    else if (min < 90) snprintf(buf, n, "%.0f分", min);
    else if (min < 48 * 60) snprintf(buf, n, "%.1f時間", min / 60);
    else snprintf(buf, n, "%.1f日", min / 1440);
    return;
  }
  if (isnan(min)) snprintf(buf, n, "–");
  else if (min < 1) snprintf(buf, n, "<1 min");
  else if (min < 90) snprintf(buf, n, "%.0f min", min);
  else if (min < 48 * 60) snprintf(buf, n, "%.1f h", min / 60);
  else snprintf(buf, n, "%.1f d", min / 1440);
}

void fmt_count(int64_t v, char *buf, size_t n) {
  if (v < 0) {
    snprintf(buf, n, "–");
    return;
  }
  char digits[32];
  int len = snprintf(digits, sizeof digits, "%lld", (long long)v);
  size_t o = 0;
  for (int i = 0; i < len && o + 1 < n; i++) {
    if (i > 0 && (len - i) % 3 == 0 && o + 2 < n) buf[o++] = ',';
    buf[o++] = digits[i];
  }
  if (n) buf[o < n ? o : n - 1] = '\0';
}

int fmt_parse_at(const char *text, const char *start_iso, double *min) {
  if (!text || !*text) return -1;
  if (strchr(text, '-') && strlen(text) >= 10) { /* an ISO date: YYYY-MM-DD... */
    double start, at;
    if (!start_iso || timecal_parse(start_iso, &start) || timecal_parse(text, &at)) return -1;
    if (at < start) return -1;
    *min = at - start;
    return 0;
  }
  char *end;
  errno = 0;
  double v = strtod(text, &end);
  if (end == text || errno || !isfinite(v) || v < 0) return -1;
  double scale;
  if (!*end || !strcmp(end, "h")) scale = 60;
  else if (!strcmp(end, "m") || !strcmp(end, "min")) scale = 1;
  else if (!strcmp(end, "d")) scale = 1440;
  else return -1;
  *min = v * scale;
  return 0;
}

int fmt_parse_size(const char *text, int lo, int hi, int *w, int *h) {
  char *end;
  errno = 0;
  long a = strtol(text, &end, 10);
  if (end == text || (*end != 'x' && *end != 'X') || errno) return -1;
  const char *p = end + 1;
  long b = strtol(p, &end, 10);
  if (end == p || *end || errno) return -1;
  if (a < lo || a > hi || b < lo || b > hi) return -1;
  *w = (int)a;
  *h = (int)b;
  return 0;
}
