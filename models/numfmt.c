/* numfmt: numbers for people, shared by the programs' tables (customs-sim's KPI table,
 * customs-report): a mean with its 95% half-width rounded to the half-width's second
 * significant digit ("1190.00 ± 0.58", "330 ± 330", never "1.19e+03±0.58"), whole
 * numbers for counts, "unlimited" for servers without a limit, durations in days,
 * singular or plural nouns ("1 replication", "1 warm-up day"), and the display width of
 * UTF-8 text (East Asian wide characters count 2) for aligned columns. */
#include "models/numfmt.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

void numfmt_plain(char *buf, size_t size, double x) {
  if (isnan(x))
    snprintf(buf, size, "n/a");
  else if (isinf(x))
    snprintf(buf, size, x > 0 ? "inf" : "-inf");
  else if (x == floor(x) && fabs(x) < 1e15)
    snprintf(buf, size, "%.0f", x);
  else if (fabs(x) >= 1000.0 && fabs(x) < 1e15)
    snprintf(buf, size, "%.0f", x);
  else if (fabs(x) >= 1e-3 || x == 0.0) {
    snprintf(buf, size, "%.4g", x); /* below 1000 %.4g never uses an exponent */
  } else if (fabs(x) >= 1e-8) {     /* two significant digits, no exponent: 0.000036 */
    snprintf(buf, size, "%.*f", 1 - (int)floor(log10(fabs(x))), x);
  } else
    snprintf(buf, size, "0");
}

/* Decimals that show the half-width to two significant digits (negative: tens, ...). */
static int decimals_of(double hw) { return 1 - (int)floor(log10(hw)); }

static void format_with(char *buf, size_t size, double mean, double hw, bool whole) {
  if (isnan(mean)) {
    snprintf(buf, size, "n/a");
    return;
  }
  if (hw < 1e-9 * fabs(mean)) hw = 0.0; /* rounding noise of sums, not variation */
  if (!isfinite(hw) || !isfinite(mean) || hw == 0.0) { /* no interval, or no variation */
    double v = whole ? round(mean) : mean;
    numfmt_plain(buf, size, v == 0.0 ? 0.0 : v);
    return;
  }
  int dec = decimals_of(hw);
  if (whole && dec > 0) dec = 0;
  if (dec < 0) { /* 1561433 ± 116653 -> 1560000 ± 120000 */
    double unit = pow(10.0, -dec);
    mean = round(mean / unit) * unit, hw = round(hw / unit) * unit, dec = 0;
  }
  dec = dec > 8 ? 8 : dec;
  if (whole) hw = round(hw), mean = round(mean);
  if (fabs(mean) < 0.5 * pow(10.0, -dec)) mean = 0.0; /* no "-0" */
  if (whole && hw == 0.0)
    snprintf(buf, size, "%.0f", mean);
  else
    snprintf(buf, size, "%.*f \xc2\xb1 %.*f", dec, mean, dec, hw);
}

void numfmt_ci(char *buf, size_t size, double mean, double hw) {
  format_with(buf, size, mean, hw, false);
}

void numfmt_count(char *buf, size_t size, double mean, double hw) {
  format_with(buf, size, mean, hw, true);
}

bool numfmt_is_count(const char *fig, const char *units) {
  const char *counts[] = {"items", "persons", "cases", "replications"};
  if (fig && strstr(fig, "mean")) return false; /* queue_mean, on_duty_mean: time averages */
  for (size_t i = 0; i < sizeof counts / sizeof counts[0]; i++)
    if (units && strcmp(units, counts[i]) == 0) return true;
  return false;
}

void numfmt_figure(char *buf, size_t size, const char *fig, const char *units, double mean,
                          double hw) {
  if (fig && strcmp(fig, "servers") == 0 && mean < 0 && (isnan(hw) || hw == 0.0))
    snprintf(buf, size, "unlimited");
  else if (numfmt_is_count(fig, units))
    numfmt_count(buf, size, mean, hw);
  else
    numfmt_ci(buf, size, mean, hw);
}

const char *numfmt_count_of(char *buf, size_t size, double n, const char *one, const char *many) {
  char num[48];
  numfmt_plain(num, sizeof num, n);
  snprintf(buf, size, "%s %s", num, n == 1.0 ? one : many);
  return buf;
}

const char *numfmt_days(char *buf, size_t size, double hours) {
  if (isnan(hours)) return snprintf(buf, size, "n/a"), buf;
  double d = hours / 24.0, r = round(d * 10.0) / 10.0;
  if (r == floor(r))
    snprintf(buf, size, "%.0f %s", r, r == 1.0 ? "day" : "days");
  else
    snprintf(buf, size, "%.1f days", r);
  return buf;
}

static bool wide(unsigned long c) {
  return (c >= 0x1100 && c <= 0x115F) || (c >= 0x2E80 && c <= 0xA4CF) ||
         (c >= 0xAC00 && c <= 0xD7A3) || (c >= 0xF900 && c <= 0xFAFF) ||
         (c >= 0xFE30 && c <= 0xFE4F) || (c >= 0xFF00 && c <= 0xFF60) ||
         (c >= 0xFFE0 && c <= 0xFFE6) || (c >= 0x20000 && c <= 0x3FFFD);
}

size_t numfmt_width(const char *s) {
  size_t w = 0;
  for (const unsigned char *p = (const unsigned char *)s; *p;) {
    unsigned long c = *p;
    int extra = c >= 0xF0 ? 3 : c >= 0xE0 ? 2 : c >= 0xC0 ? 1 : 0;
    if (extra) c &= 0x3Fu >> extra;
    p++;
    for (int i = 0; i < extra && (*p & 0xC0) == 0x80; i++, p++) c = (c << 6) | (*p & 0x3Fu);
    w += wide(c) ? 2 : 1;
  }
  return w;
}

void numfmt_pad(FILE *out, const char *s, size_t width, bool right) {
  size_t w = numfmt_width(s);
  if (right)
    for (size_t i = w; i < width; i++) fputc(' ', out);
  fputs(s, out);
  if (!right)
    for (size_t i = w; i < width; i++) fputc(' ', out);
}
