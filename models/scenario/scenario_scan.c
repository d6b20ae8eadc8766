/* scenario_scan: checks scenario text ahead of libconfig (see scenario_scan.h). The
 * states follow libconfig's scanner: ordinary text, block comments, strings; line
 * comments (# and //) and `@include "..."` at the start of a line are recognised in
 * ordinary text only. */
#include "models/scenario/scenario_scan.h"

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

typedef struct scan {
  const char *name;    /* file being scanned, for messages */
  const char *inc_dir; /* includes are relative to it (NULL: current folder) */
  int includes;        /* 0: every @include is refused */
  int depth;
  sim_error *err;
} scan;

static int scan_buf(const scan *c, const char *b, size_t n);

static int is_token_char(char ch) {
  return (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9') ||
         ch == '_' || ch == '-' || ch == '+' || ch == '.' || ch == '*';
}

static int too_long(const scan *c, int line, const char *what) {
  return sim_error_set(c->err, SIM_EINVAL,
                       "%s:%d: %s longer than %d bytes (bulk data belongs "
                       "in a CSV file)",
                       c->name, line, what, SCAN_MAX_TOKEN);
}

/* digits (no sign, no leading zeros) fit under the decimal limit lim? */
static int fits(const char *d, size_t n, const char *lim) {
  size_t ln = strlen(lim);
  return n < ln || (n == ln && memcmp(d, lim, n) <= 0);
}

/* libconfig 1.5 reads a plain integer with atoi and a 64-bit one (suffix L) with atoll:
 * values beyond their range come out silently wrong (99999999999999999999 as -1), so
 * they are refused here. A token that is not an integer (a name, a float) passes. */
static int check_integer(const scan *c, const char *t, size_t n, int line) {
  size_t i = t[0] == '-' || t[0] == '+' ? 1 : 0, l = n;
  int neg = t[0] == '-', hex = n - i > 2 && t[i] == '0' && (t[i + 1] == 'x' || t[i + 1] == 'X');
  while (l > i && t[l - 1] == 'L' && n - l < 2) l--;
  int wide = l < n;
  if (hex) i += 2;
  if (l <= i) return 0;
  for (size_t k = i; k < l; k++)
    if (!(hex ? isxdigit((unsigned char)t[k]) : isdigit((unsigned char)t[k]))) return 0;
  while (i + 1 < l && t[i] == '0') i++;
  size_t nd = l - i;
  int ok64 = hex ? nd <= 16 : fits(t + i, nd, neg ? "9223372036854775808" : "9223372036854775807");
  int ok32 = hex ? nd <= 8 : fits(t + i, nd, neg ? "2147483648" : "2147483647");
  if (!ok64)
    return sim_error_set(c->err, SIM_EINVAL, "%s:%d: integer %.*s does not fit in 64 bits", c->name,
                         line, (int)(n > 40 ? 40 : n), t);
  if (!wide && !ok32)
    return sim_error_set(c->err, SIM_EINVAL,
                         "%s:%d: integer %.*s is beyond the 32-bit range of plain "
                         "integers: write %.*sL (or %.*s.0 for a number)",
                         c->name, line, (int)n, t, (int)n, t, (int)n, t);
  return 0;
}

/* Reads a whole regular file into memory (NUL-terminated); *why is set on failure
 * ("out of memory" exactly when memory ran out). */
static char *read_file(const char *path, size_t *len, const char **why) {
  struct stat st;
  *why = NULL;
  if (stat(path, &st) != 0) return *why = strerror(errno), NULL;
  if (S_ISDIR(st.st_mode)) return *why = "is a directory, not a file", NULL;
  if (!S_ISREG(st.st_mode)) return *why = "is not a regular file", NULL;
  if (st.st_size > SCAN_MAX_FILE) return *why = "is larger than 256 MB", NULL;
  FILE *f = fopen(path, "rb");
  if (!f) return *why = strerror(errno), NULL;
  size_t cap = (size_t)st.st_size + 1, got = 0;
  char *b = malloc(cap);
  if (b) got = fread(b, 1, cap - 1, f);
  if (b && ferror(f)) *why = strerror(errno ? errno : EIO);
  fclose(f);
  if (!b) return *why = "out of memory", NULL;
  if (*why) return free(b), NULL;
  b[got] = '\0';
  *len = got;
  return b;
}

/* The include path as libconfig 1.5 opens it: include_dir/path, a leading '/' dropped. */
static char *include_path(const scan *c, const char *p) {
  if (!c->inc_dir) return strdup(p);
  size_t n = strlen(c->inc_dir) + strlen(p) + 2;
  char *full = malloc(n);
  if (full) snprintf(full, n, "%s/%s", c->inc_dir, p[0] == '/' ? p + 1 : p);
  return full;
}

static int include_file(const scan *c, int line, const char *p) {
  if (!c->includes)
    return sim_error_set(c->err, SIM_EINVAL,
                         "%s:%d: @include \"%s\": includes are not allowed here", c->name, line, p);
  if (c->depth >= SCAN_MAX_DEPTH)
    return sim_error_set(c->err, SIM_EINVAL,
                         "%s:%d: @include \"%s\": includes nested deeper than %d", c->name, line, p,
                         SCAN_MAX_DEPTH);
  char *full = include_path(c, p);
  if (!full) return sim_error_set(c->err, SIM_ENOMEM, "out of memory");
  size_t len = 0;
  const char *why;
  char *text = read_file(full, &len, &why);
  int rc = 0;
  if (!text) {
    rc = sim_error_set(c->err, strcmp(why, "out of memory") ? SIM_EINVAL : SIM_ENOMEM,
                       "%s:%d: @include \"%s\": "
                       "%s: %s",
                       c->name, line, p, full, why);
  } else {
    scan sub = *c;
    sub.name = full;
    sub.depth++;
    rc = scan_buf(&sub, text, len);
  }
  free(text);
  free(full);
  return rc;
}

/* At the start of a line: `[ \t]*@include[ \t]+"`. Returns the offset of the opening
 * quote's successor, or 0 when the line holds no include. */
static size_t include_start(const char *b, size_t n, size_t i) {
  size_t j = i;
  while (j < n && (b[j] == ' ' || b[j] == '\t')) j++;
  if (n - j < 9 || memcmp(b + j, "@include", 8) || (b[j + 8] != ' ' && b[j + 8] != '\t')) return 0;
  j += 8;
  while (j < n && (b[j] == ' ' || b[j] == '\t')) j++;
  return j < n && b[j] == '"' ? j + 1 : 0;
}

/* The include's path from *i (after the quote) to the closing quote; moves *i past it. */
static int include_directive(const scan *c, const char *b, size_t n, size_t *i, int line) {
  char *p = malloc(n - *i + 1);
  size_t k = 0, j = *i;
  if (!p) return sim_error_set(c->err, SIM_ENOMEM, "out of memory");
  int rc = 0;
  for (;; j++) {
    if (j >= n || b[j] == '\n' || (unsigned char)b[j] < 0x20) {
      rc = sim_error_set(c->err, SIM_EINVAL,
                         "%s:%d: @include: the file name must be a quoted string "
                         "on one line",
                         c->name, line);
      break;
    }
    if (b[j] == '"') break;
    if (b[j] == '\\') {
      if (j + 1 < n && (b[j + 1] == '\\' || b[j + 1] == '"')) {
        p[k++] = b[++j];
        continue;
      }
      rc = sim_error_set(c->err, SIM_EINVAL,
                         "%s:%d: @include: only \\\\ and \\\" may be escaped in a "
                         "file name",
                         c->name, line);
      break;
    }
    if (k >= SCAN_MAX_TOKEN) {
      rc = too_long(c, line, "an @include file name");
      break;
    }
    p[k++] = b[j];
  }
  p[k] = '\0';
  if (!rc && !k)
    rc = sim_error_set(c->err, SIM_EINVAL, "%s:%d: @include \"\": empty file name", c->name, line);
  if (!rc) rc = include_file(c, line, p);
  free(p);
  *i = j + 1;
  return rc;
}

/* A string from *i (after its opening quote) to its closing quote. */
static int string_body(const scan *c, const char *b, size_t n, size_t *i, int *line) {
  int start = *line;
  size_t run = 0, j = *i;
  for (; j < n && b[j] != '"'; j++) {
    if (b[j] == '\\') {
      run = 0;
      if (j + 1 < n && (b[j + 1] == '"' || b[j + 1] == '\\')) j++;
      continue;
    }
    if (b[j] == '\n') ++*line;
    if (++run > SCAN_MAX_TOKEN) return too_long(c, start, "a string");
  }
  *i = j + 1;
  return 0;
}

static int scan_buf(const scan *c, const char *b, size_t n) {
  int line = 1, bol = 1;
  for (size_t i = 0; i < n;) {
    char ch = b[i];
    size_t q;
    if (bol && (q = include_start(b, n, i)) > 0) {
      i = q;
      if (include_directive(c, b, n, &i, line)) return SIM_EINVAL;
      bol = 0;
      continue;
    }
    bol = 0;
    if (ch == '\n') {
      line++, bol = 1, i++;
    } else if (ch == '"') {
      i++;
      if (string_body(c, b, n, &i, &line)) return SIM_EINVAL;
    } else if (ch == '/' && i + 1 < n && b[i + 1] == '*') {
      for (i += 2; i < n && !(b[i] == '*' && i + 1 < n && b[i + 1] == '/'); i++) {
        if (b[i] == '\n') line++;
        bol = b[i] == '\n';
      }
      if (i < n) i += 2, bol = 0;
    } else if (ch == '#' || (ch == '/' && i + 1 < n && b[i + 1] == '/')) {
      size_t j = i;
      while (j < n && b[j] != '\n') j++;
      if (j - i > SCAN_MAX_TOKEN) return too_long(c, line, "a comment");
      i = j;
    } else if (ch == ' ' || ch == '\t' || is_token_char(ch)) {
      size_t j = i;
      int blank = ch == ' ' || ch == '\t';
      while (j < n && (blank ? b[j] == ' ' || b[j] == '\t' : is_token_char(b[j]))) j++;
      if (j - i > SCAN_MAX_TOKEN)
        return too_long(c, line, blank ? "a run of blanks" : "a name or number");
      if (!blank && check_integer(c, b + i, j - i, line)) return SIM_EINVAL;
      i = j;
    } else {
      i++;
    }
  }
  return 0;
}

int scenario_scan_file(const char *path, const char *include_dir, sim_error *err) {
  size_t len = 0;
  const char *why;
  char *text = read_file(path, &len, &why);
  if (!text)
    return sim_error_set(err, strcmp(why, "out of memory") ? SIM_EINVAL : SIM_ENOMEM,
                         "%s: cannot open scenario: %s", path, why);
  /* a result file given where a scenario belongs: say what to do with it */
  static const char hdf5_magic[8] = {'\x89', 'H', 'D', 'F', '\r', '\n', '\x1a', '\n'};
  if (len >= 8 && !memcmp(text, hdf5_magic, 8)) {
    free(text);
    return sim_error_set(err, SIM_EINVAL,
                         "%s: a result file (HDF5), not a scenario: open it with "
                         "customs-view --replay, or customs-report",
                         path);
  }
  scan c = {path, include_dir, 1, 0, err};
  int rc = scan_buf(&c, text, len);
  free(text);
  return rc;
}

int scenario_scan_text(const char *text, size_t len, const char *name, sim_error *err) {
  scan c = {name, NULL, 0, 0, err};
  return scan_buf(&c, text, len);
}
