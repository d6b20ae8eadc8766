/* cliarg: option values for the command-line programs (see cliarg.h). */
#include "models/cliarg.h"

#include <errno.h>
#include <stdlib.h>

int cliarg_long(const char *s, long lo, long hi, long *out) {
  char *end;
  errno = 0;
  long v = strtol(s, &end, 10);
  if (!*s || *end || errno || v < lo || v > hi) return -1;
  *out = v;
  return 0;
}
