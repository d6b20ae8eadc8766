/* error: formatting of one-line error messages (see error.h). A message may quote
 * anything a user wrote (a value, a file name), so control characters are escaped
 * here, once for every caller: a message is always one line. */
#include "sim/error.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

/* Copies src into dst (n bytes), newlines and other control characters as \n, \r, \t
 * or \xHH; cut short rather than split an escape. */
static void escape_into(char *dst, size_t n, const char *src) {
  size_t o = 0;
  for (const unsigned char *s = (const unsigned char *)src; *s && o + 1 < n; s++) {
    char esc[8] = "";
    if (*s == '\n') strcpy(esc, "\\n");
    else if (*s == '\r') strcpy(esc, "\\r");
    else if (*s == '\t') strcpy(esc, "\\t");
    else if (*s < 0x20 || *s == 0x7f) snprintf(esc, sizeof esc, "\\x%02x", *s);
    if (!esc[0]) {
      dst[o++] = (char)*s;
      continue;
    }
    size_t k = strlen(esc);
    if (o + k + 1 > n) break;
    memcpy(dst + o, esc, k);
    o += k;
  }
  dst[o] = '\0';
}

int sim_error_set(sim_error *e, int code, const char *fmt, ...) {
  if (e) {
    char raw[sizeof e->msg];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(raw, sizeof raw, fmt, ap);
    va_end(ap);
    escape_into(e->msg, sizeof e->msg, raw);
    e->code = code;
  }
  return code;
}

int sim_error_wrap(sim_error *e, const char *fmt, ...) {
  if (!e) return SIM_ERUN;
  char prefix[256], old[sizeof e->msg], raw[sizeof e->msg];
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(prefix, sizeof prefix, fmt, ap);
  va_end(ap);
  memcpy(old, e->msg, sizeof old);
  snprintf(raw, sizeof raw, "%s: %s", prefix, old);
  escape_into(e->msg, sizeof e->msg, raw);
  return e->code;
}

void sim_error_clear(sim_error *e) {
  if (e) {
    e->code = 0;
    e->msg[0] = '\0';
  }
}
