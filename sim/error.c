/* error: formatting of one-line error messages (see error.h). */
#include "sim/error.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

int sim_error_set(sim_error *e, int code, const char *fmt, ...) {
  if (e) {
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(e->msg, sizeof e->msg, fmt, ap);
    va_end(ap);
    e->code = code;
  }
  return code;
}

int sim_error_wrap(sim_error *e, const char *fmt, ...) {
  if (!e) return SIM_ERUN;
  char prefix[256], old[sizeof e->msg];
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(prefix, sizeof prefix, fmt, ap);
  va_end(ap);
  memcpy(old, e->msg, sizeof old);
  snprintf(e->msg, sizeof e->msg, "%s: %s", prefix, old);
  return e->code;
}

void sim_error_clear(sim_error *e) {
  if (e) {
    e->code = 0;
    e->msg[0] = '\0';
  }
}
