/* arrivals_csv: the inputs of arrival processes that live outside the arrivals group:
 * schedule files (one flight or vessel a row, arrivals_csv_read) and the surge
 * calendar (surges.NAME, arrivals_surge_read and arrivals_check_surges). Plain CSV:
 * commas separate fields (except inside braces, so a size cell may hold a distribution
 * group), surrounding blanks and double quotes are stripped (no quoted commas), blank
 * lines and lines starting with '#' are skipped, CRLF line ends are accepted. Every error names the
 * file and the line, so a schedule of thousands of rows can be fixed quickly. */
#include "models/arrivals.h"

#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "models/scenario/schema.h"
#include "models/timecal.h"

/* Stated bounds (STYLE: every buffer read from a file has a cap and a clear error). */
#define CSV_MAX_LINE 1024
#define CSV_MAX_ROWS 1000000
#define CSV_MAX_COLS 8
#define CSV_MAX_ITEMS 10000000L /* per batch: a vessel's containers, a flight's seats */

enum { C_TIME, C_ORIGIN, C_SIZE, C_SEATS, C_LOAD, C_SPREAD, C_N };
static const char *const col_names[C_N] = {"time", "origin", "size", "seats", "load_factor",
                                           "spread_min"};

typedef struct csv {
  const char *path;
  int line;
  int col[C_N]; /* field index of each column, -1 if absent */
  int ncols;
  sim_error *err;
} csv;

static int csv_error(const csv *c, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static int csv_error(const csv *c, const char *fmt, ...) {
  char msg[400];
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(msg, sizeof msg, fmt, ap);
  va_end(ap);
  return sim_error_set(c->err, SIM_EINVAL, "%s:%d: %s", c->path, c->line, msg);
}

static char *trim(char *s) {
  while (isspace((unsigned char)*s)) s++;
  size_t n = strlen(s);
  while (n && isspace((unsigned char)s[n - 1])) s[--n] = '\0';
  if (n >= 2 && s[0] == '"' && s[n - 1] == '"') {
    s[n - 1] = '\0';
    s++;
  }
  return s;
}

/* The first comma of p outside braces, or NULL. */
static char *field_end(char *p) {
  int depth = 0;
  for (; *p; p++) {
    if (*p == '{') depth++;
    if (*p == '}' && depth > 0) depth--;
    if (*p == ',' && !depth) return p;
  }
  return NULL;
}

/* Splits line in place at commas (outside braces); returns the number of fields
 * (CSV_MAX_COLS + 1 when there are more than CSV_MAX_COLS). */
static int split(char *line, char **f) {
  int n = 0;
  for (char *p = line;; n++) {
    char *comma = field_end(p);
    if (n == CSV_MAX_COLS) return n + 1;
    if (comma) *comma = '\0';
    f[n] = trim(p);
    if (!comma) return n + 1;
    p = comma + 1;
  }
}

static int parse_number(const char *s, double *v) {
  char *end;
  if (!*s) return -1;
  errno = 0;
  *v = strtod(s, &end);
  return *end || errno || !isfinite(*v) ? -1 : 0;
}

static int parse_count(const char *s, long *v) {
  char *end;
  if (!*s) return -1;
  errno = 0;
  *v = strtol(s, &end, 10);
  return *end || errno || *v < 0 || *v > CSV_MAX_ITEMS ? -1 : 0;
}

static int read_header(csv *c, char **f, int n) {
  for (int k = 0; k < C_N; k++) c->col[k] = -1;
  if (n > CSV_MAX_COLS) return csv_error(c, "header has more than %d columns", CSV_MAX_COLS);
  for (int i = 0; i < n; i++) {
    int k = 0;
    while (k < C_N && strcasecmp(f[i], col_names[k])) k++;
    if (k == C_N)
      return csv_error(c, "unknown column '%s' in the header row (the first row names the "
                          "columns: time, origin, size, seats, load_factor, spread_min)", f[i]);
    if (c->col[k] >= 0) return csv_error(c, "column '%s' appears twice in the header", f[i]);
    c->col[k] = i;
  }
  int seats = c->col[C_SEATS] >= 0, load = c->col[C_LOAD] >= 0, size = c->col[C_SIZE] >= 0;
  if (c->col[C_TIME] < 0 || seats != load || size == seats)
    return csv_error(c, "the header must name time and either size or seats and load_factor "
                        "(origin and spread_min are optional), e.g. time,origin,size");
  c->ncols = n;
  return 0;
}

static int read_time(const csv *c, const char *s, double start, double *at_min) {
  double v;
  if (!parse_number(s, &v)) {
    if (v < 0) return csv_error(c, "time %s is before the start (hours must be >= 0)", s);
    *at_min = v * 60;
    return 0;
  }
  if (!timecal_parse(s, &v)) {
    *at_min = v - start;
    return 0;
  }
  return csv_error(c, "time '%s' is neither hours from the start (7.5) nor an ISO date-time "
                      "(2024-11-25T07:30)", s);
}

static int read_row(const csv *c, char **f, int n, double start, arrivals_row *r) {
  if (n != c->ncols)
    return csv_error(c, "expected %d columns as in the header, found %s%d", c->ncols,
                     n > CSV_MAX_COLS ? "more than " : "", n > CSV_MAX_COLS ? CSV_MAX_COLS : n);
  memset(r, 0, sizeof *r);
  r->line = c->line;
  r->size = -1;
  r->spread_min = -1;
  if (read_time(c, f[c->col[C_TIME]], start, &r->at_min)) return SIM_EINVAL;
  if (c->col[C_ORIGIN] >= 0) {
    const char *o = f[c->col[C_ORIGIN]];
    if (strlen(o) >= ARRIVALS_ORIGIN_MAX)
      return csv_error(c, "origin '%s' is longer than %d characters", o, ARRIVALS_ORIGIN_MAX - 1);
    memcpy(r->origin, o, strlen(o) + 1);
  }
  const char *size = c->col[C_SIZE] >= 0 ? f[c->col[C_SIZE]] : NULL;
  if (size && size[0] == '{') {
    char where[600];
    snprintf(where, sizeof where, "%s:%d: size", c->path, c->line);
    if (count_dist_parse(size, &r->size_d, where, c->err)) return SIM_EINVAL;
    r->has_size_d = 1;
  } else if (size && parse_count(size, &r->size)) {
    return csv_error(c, "size '%s' is not a whole number in [0, %ld] or a distribution group "
                        "({ dist = \"poisson\"; mean = 300.0; })", size, CSV_MAX_ITEMS);
  }
  if (c->col[C_SEATS] >= 0) {
    if (parse_count(f[c->col[C_SEATS]], &r->seats))
      return csv_error(c, "seats '%s' is not a whole number in [0, %ld]", f[c->col[C_SEATS]],
                       CSV_MAX_ITEMS);
    const char *lf = f[c->col[C_LOAD]];
    if (parse_number(lf, &r->load_factor) || r->load_factor < 0 || r->load_factor > 1)
      return csv_error(c, "load_factor '%s' is not a number in [0, 1]", lf);
  }
  if (c->col[C_SPREAD] >= 0) {
    const char *sp = f[c->col[C_SPREAD]];
    if (parse_number(sp, &r->spread_min) || r->spread_min < 0)
      return csv_error(c, "spread_min '%s' is not a number >= 0", sp);
  }
  return 0;
}

static int push_row(const csv *c, arrivals_row **rows, size_t *n, size_t *cap) {
  if (*n == CSV_MAX_ROWS) return csv_error(c, "more than %d rows", CSV_MAX_ROWS);
  if (*n == *cap) {
    size_t nc = *cap ? *cap * 2 : 64;
    arrivals_row *p = realloc(*rows, nc * sizeof *p);
    if (!p) return sim_error_set(c->err, SIM_ENOMEM, "out of memory reading %s", c->path);
    *rows = p;
    *cap = nc;
  }
  memset(&(*rows)[*n], 0, sizeof **rows);
  (*n)++;
  return 0;
}

/* Reads the next line into buf without its line end; 1 at end of file, <0 on error. */
static int next_line(csv *c, FILE *fp, char *buf) {
  if (!fgets(buf, CSV_MAX_LINE, fp)) return 1;
  c->line++;
  size_t len = strlen(buf);
  if (len && buf[len - 1] == '\n')
    buf[--len] = '\0';
  else if (!feof(fp))
    return csv_error(c, "line longer than %d characters", CSV_MAX_LINE - 2);
  if (len && buf[len - 1] == '\r') buf[--len] = '\0';
  return 0;
}

static int is_blank_or_comment(const char *s) {
  while (isspace((unsigned char)*s)) s++;
  return !*s || *s == '#';
}

static int read_all(csv *c, FILE *fp, double start, arrivals_row **rows, size_t *n) {
  char buf[CSV_MAX_LINE], *f[CSV_MAX_COLS + 1];
  size_t cap = 0;
  int header = 0, rc;
  while (!(rc = next_line(c, fp, buf))) {
    if (is_blank_or_comment(buf)) continue;
    int nf = split(buf, f);
    if (!header) {
      if (read_header(c, f, nf)) return SIM_EINVAL;
      header = 1;
      continue;
    }
    if ((rc = push_row(c, rows, n, &cap)) || (rc = read_row(c, f, nf, start, &(*rows)[*n - 1])))
      return rc;
  }
  if (rc < 0) return rc;
  if (ferror(fp)) return sim_error_set(c->err, SIM_EIO, "%s: read error", c->path);
  if (!header)
    return sim_error_set(c->err, SIM_EINVAL,
                         "%s: empty file (needs a header row such as time,origin,size)", c->path);
  if (!*n) return csv_error(c, "no rows after the header");
  return 0;
}

void arrivals_rows_free(arrivals_row *rows, size_t n) {
  for (size_t i = 0; rows && i < n; i++) count_dist_deinit(&rows[i].size_d);
  free(rows);
}

int arrivals_csv_read(const char *path, double start_epoch_min, arrivals_row **rows,
                      size_t *n, sim_error *err) {
  *rows = NULL;
  *n = 0;
  FILE *fp = fopen(path, "r");
  if (!fp) return sim_error_set(err, SIM_EIO, "cannot open '%s': %s", path, strerror(errno));
  csv c = {.path = path, .err = err};
  int rc = read_all(&c, fp, start_epoch_min, rows, n);
  fclose(fp);
  if (rc) {
    arrivals_rows_free(*rows, *n);
    *rows = NULL;
    *n = 0;
  }
  return rc;
}

/* ---- surge calendars ---- */


/* from (inclusive) and to (through the end of a date) in epoch minutes. */
static int surge_range(const config_setting_t *g, double t[2], const char *file, sim_error *err) {
  static const char *const keys[] = {"from", "to"};
  for (int i = 0; i < 2; i++) {
    const config_setting_t *s = config_setting_get_member(g, keys[i]);
    const char *v = s ? config_setting_get_string(s) : NULL;
    if (!s) return schema_error(err, g, file, "missing required key '%s'", keys[i]);
    if (!v || (i == 0 ? timecal_parse(v, &t[i]) : timecal_parse_until(v, &t[i])))
      return schema_error(err, s, file, "'%s' is not a date (YYYY-MM-DD) or date-time "
                          "(YYYY-MM-DDTHH:MM)", v ? v : "");
  }
  if (!(t[1] > t[0]))
    return schema_error(err, config_setting_get_member(g, "to"), file,
                        "ends before it begins (from = %s)",
                        config_setting_get_string(config_setting_get_member(g, "from")));
  return 0;
}

int arrivals_surge_read(const config_setting_t *g, const char *channel, double start_epoch_min,
                        double *from_min, double *to_min, double *factor, int *applies,
                        const char *file, sim_error *err) {
  double t[2];
  if (!config_setting_is_group(g))
    return schema_error(err, g, file, "must be a group { from; to; factor; }");
  if (surge_range(g, t, file, err)) return SIM_EINVAL;
  const config_setting_t *f = config_setting_get_member(g, "factor");
  if (!f) return schema_error(err, g, file, "missing required key 'factor'");
  if (!schema_is_num(f) || !(schema_num(f) >= 0) || !isfinite(schema_num(f)))
    return schema_error(err, f, file, "must be a number >= 0");
  const config_setting_t *ch = config_setting_get_member(g, "channels");
  *applies = !ch; /* no list: every channel */
  for (int i = 0; ch && i < config_setting_length(ch); i++) {
    const char *c = config_setting_get_string(config_setting_get_elem(ch, (unsigned)i));
    if (!c)
      return schema_error(err, config_setting_get_elem(ch, (unsigned)i), file,
                          "must be a channel name");
    if (channel && !strcmp(c, channel)) *applies = 1;
  }
  *from_min = t[0] - start_epoch_min;
  *to_min = t[1] - start_epoch_min;
  *factor = schema_num(f);
  return 0;
}

int arrivals_check_surges(const config_setting_t *root, const char *const *channel_names,
                          int n, const char *file, sim_error *err) {
  const config_setting_t *all = root ? config_setting_get_member(root, "surges") : NULL;
  for (int i = 0; all && i < config_setting_length(all); i++) {
    const config_setting_t *g = config_setting_get_elem(all, (unsigned)i);
    double from, to, factor;
    int applies;
    if (arrivals_surge_read(g, NULL, 0, &from, &to, &factor, &applies, file, err))
      return SIM_EINVAL;
    const config_setting_t *ch = config_setting_get_member(g, "channels");
    for (int j = 0; ch && j < config_setting_length(ch); j++) {
      const config_setting_t *e = config_setting_get_elem(ch, (unsigned)j);
      int k = 0;
      while (k < n && strcmp(channel_names[k], config_setting_get_string(e))) k++;
      if (k == n)
        return schema_error(err, e, file, "unknown channel '%s'", config_setting_get_string(e));
    }
  }
  return 0;
}
