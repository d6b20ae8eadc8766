/* risk_csv: reader and writer for the customs-fraud CSV schema (see risk_csv.h). */
#include "models/kernels/risk_csv.h"

#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

const char risk_csv_header[] =
    "sgd.id,sgd.date,importer.id,declarant.id,country,office.id,tariff.code,quantity,"
    "gross.weight,fob.value,cif.value,total.taxes,illicit,revenue";

enum { C_ID, C_DATE, C_IMP, C_DECL, C_COUNTRY, C_OFFICE, C_TARIFF, C_QTY, C_KG, C_FOB,
       C_CIF, C_TAX, C_ILLICIT, C_REV };

#define CSV_DAY0 20052 /* 2024-11-25 (the default run start) in days since 1970-01-01 */

void risk_csv_opts_default(risk_csv_opts *o) {
  o->strict = 0;
  o->log = NULL;
  o->max_rows = 0;
  o->kind = KIND_GENERIC;
}

/* Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's algorithm). */
static long csv_days(long y, long m, long d) {
  y -= m <= 2;
  long era = (y >= 0 ? y : y - 399) / 400, yoe = y - era * 400;
  long doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  return era * 146097 + yoe * 365 + yoe / 4 - yoe / 100 + doy - 719468;
}

static void csv_civil(long z, long *y, long *m, long *d) {
  z += 719468;
  long era = (z >= 0 ? z : z - 146096) / 146097, doe = z - era * 146097;
  long yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  long doy = doe - (365 * yoe + yoe / 4 - yoe / 100), mp = (5 * doy + 2) / 153;
  *d = doy - (153 * mp + 2) / 5 + 1;
  *m = mp + (mp < 10 ? 3 : -9);
  *y = yoe + era * 400 + (*m <= 2);
}

/* Splits a row in place into at most max fields (quotes and "" escapes allowed);
 * returns the field count, max + 1 if there are more, -1 on an unclosed quote. */
static int csv_split(char *s, char **f, int max) {
  int n = 0;
  for (;;) {
    char *out = s;
    if (n == max) return max + 1;
    f[n++] = out;
    if (*s == '"') {
      for (s++;; s++) {
        if (!*s) return -1;
        if (*s == '"' && s[1] == '"') *out++ = '"', s++;
        else if (*s == '"') { s++; break; }
        else *out++ = *s;
      }
      if (*s && *s != ',') return -1;
    } else {
      while (*s && *s != ',') *out++ = *s++;
    }
    int more = *s == ',';
    if (*s) s++;
    *out = '\0';
    if (!more) return n;
  }
}

static int csv_number(const char *s, double *v) {
  char *end;
  errno = 0;
  *v = strtod(s, &end);
  while (isspace((unsigned char)*end)) end++;
  return end != s && !*end && !errno && isfinite(*v);
}

/* Day number of a date; 0 on success. */
static int csv_date(const char *s, double *day) {
  long y, m, d;
  int len = 0;
  if (sscanf(s, "%ld-%ld-%ld%n", &y, &m, &d, &len) == 3 ||
      sscanf(s, "%ld/%ld/%ld%n", &y, &m, &d, &len) == 3) {
    if (s[len] && s[len] != ' ' && s[len] != 'T') return -1;
    if (y < 100) y += 2000;
    if (m < 1 || m > 12 || d < 1 || d > 31 || y > 9999) return -1;
    *day = (double)csv_days(y, m, d);
    return 0;
  }
  return csv_number(s, day) ? 0 : -1;
}

static int32_t csv_hash(const char *s) {
  uint64_t h = 1469598103934665603ULL; /* FNV-1a */
  for (; *s; s++) h = (h ^ (unsigned char)*s) * 1099511628211ULL;
  return (int32_t)((h ^ (h >> 32)) & 0x7fffffff);
}

/* HS6 from a tariff code: its first six digits (padded with zeros), or a hash of a
 * code that is not numeric. */
static int32_t csv_hs6(const char *s) {
  int32_t v = 0, k = 0;
  for (const char *p = s; *p; p++) {
    if (!isdigit((unsigned char)*p)) return csv_hash(s) % 1000000;
    if (k < 6) v = v * 10 + (*p - '0'), k++;
  }
  for (; k < 6; k++) v *= 10;
  return v;
}

/* Parses one row into *it; on failure returns a reason. */
static const char *csv_row(char *line, int kind, item *it) {
  char *f[RISK_CSV_NCOLS + 1];
  static const char *const names[RISK_CSV_NCOLS] = {
      "sgd.id", "sgd.date", "importer.id", "declarant.id", "country", "office.id",
      "tariff.code", "quantity", "gross.weight", "fob.value", "cif.value", "total.taxes",
      "illicit", "revenue"};
  int nf = csv_split(line, f, RISK_CSV_NCOLS);
  if (nf < 0) return "unclosed quote";
  if (nf != RISK_CSV_NCOLS)
    return nf > RISK_CSV_NCOLS ? "more than 14 fields" : "fewer than 14 fields";
  for (int c = 0; c < RISK_CSV_NCOLS; c++)
    if (!*f[c]) return names[c];
  double v[RISK_CSV_NCOLS], day;
  for (int c = C_QTY; c <= C_REV; c++)
    if (!csv_number(f[c], &v[c]) || v[c] < 0) return names[c];
  if (csv_date(f[C_DATE], &day)) return "sgd.date";
  if (v[C_ILLICIT] != 0 && v[C_ILLICIT] != 1) return "illicit";
  memset(it, 0, sizeof *it);
  it->id = (uint64_t)csv_hash(f[C_ID]);
  it->kind = (uint8_t)kind;
  it->arrival_min = day * 1440.0;
  it->decl.importer = csv_hash(f[C_IMP]), it->decl.declarant = csv_hash(f[C_DECL]);
  it->decl.origin = csv_hash(f[C_COUNTRY]), it->decl.office = csv_hash(f[C_OFFICE]);
  it->decl.hs6 = csv_hs6(f[C_TARIFF]);
  it->decl.quantity = (int32_t)fmin(v[C_QTY] + 0.5, (double)INT32_MAX);
  it->decl.gross_kg = v[C_KG], it->decl.fob_jpy = v[C_FOB];
  it->decl.cif_jpy = v[C_CIF], it->decl.taxes_jpy = v[C_TAX];
  it->mass_kg = v[C_KG];
  it->truth.undervalued = v[C_ILLICIT] == 1;
  it->truth.evaded_jpy = v[C_REV];
  return NULL;
}

static void csv_chomp(char *s, ssize_t *len) {
  while (*len > 0 && (s[*len - 1] == '\n' || s[*len - 1] == '\r')) s[--*len] = '\0';
}

static int csv_blank(const char *s) {
  while (isspace((unsigned char)*s)) s++;
  return !*s;
}

typedef struct csv_reader {
  const char *path;
  const risk_csv_opts *o;
  item *items;
  size_t n, cap, skipped, max;
} csv_reader;

/* A malformed row: an error when strict, else a report (the first few) and a skip. */
static int csv_bad(csv_reader *rd, size_t line, const char *why, sim_error *err) {
  int field = !strchr(why, ' ');
  if (rd->o->strict)
    return sim_error_set(err, SIM_EINVAL, "%s:%zu: %s%s", rd->path, line,
                         field ? "bad value in column " : "", why);
  if (rd->o->log && rd->skipped < RISK_CSV_MAX_REPORTS)
    fprintf(rd->o->log, "%s:%zu: %s%s (row skipped)\n", rd->path, line,
            field ? "bad value in column " : "", why);
  rd->skipped++;
  return SIM_OK;
}

static int csv_push(csv_reader *rd, char *line, size_t lineno, sim_error *err) {
  if (rd->n == rd->max)
    return sim_error_set(err, SIM_EINVAL, "%s:%zu: more than %zu rows", rd->path, lineno, rd->max);
  if (rd->n == rd->cap) {
    size_t cap = rd->cap ? 2 * rd->cap : 4096;
    item *p = realloc(rd->items, cap * sizeof *p);
    if (!p) return sim_error_set(err, SIM_ENOMEM, "%s: out of memory at row %zu", rd->path, lineno);
    rd->items = p, rd->cap = cap;
  }
  const char *why = csv_row(line, rd->o->kind, &rd->items[rd->n]);
  if (why) return csv_bad(rd, lineno, why, err);
  rd->n++;
  return SIM_OK;
}

static int csv_header(const char *path, char *line, sim_error *err) {
  char *s = line;
  if (!strncmp(s, "\xEF\xBB\xBF", 3)) s += 3; /* UTF-8 byte order mark */
  if (strcmp(s, risk_csv_header))
    return sim_error_set(err, SIM_EINVAL, "%s:1: the header is not the 14-column schema (%s)",
                         path, risk_csv_header);
  return SIM_OK;
}

int risk_csv_read(const char *path, const risk_csv_opts *o, item **items, size_t *n,
                  size_t *skipped, sim_error *err) {
  risk_csv_opts def;
  if (!o) risk_csv_opts_default(&def), o = &def;
  FILE *f = fopen(path, "r");
  if (!f) return sim_error_set(err, SIM_EIO, "%s: %s", path, strerror(errno));
  csv_reader rd = {.path = path, .o = o, .max = o->max_rows ? o->max_rows : RISK_CSV_MAX_ROWS};
  char *line = NULL;
  size_t cap = 0, lineno = 0;
  ssize_t len;
  int rc = SIM_OK;
  while (!rc && (len = getline(&line, &cap, f)) >= 0) {
    lineno++;
    csv_chomp(line, &len);
    if (lineno == 1) rc = csv_header(path, line, err);
    else if (len > RISK_CSV_MAX_LINE) rc = csv_bad(&rd, lineno, "row longer than 65536 bytes", err);
    else if (!csv_blank(line)) rc = csv_push(&rd, line, lineno, err);
  }
  if (!rc && ferror(f)) rc = sim_error_set(err, SIM_EIO, "%s: read error", path);
  if (!rc && lineno == 0) rc = sim_error_set(err, SIM_EINVAL, "%s: empty file", path);
  if (!rc && rd.skipped > RISK_CSV_MAX_REPORTS && o->log)
    fprintf(o->log, "%s: %zu malformed rows skipped in all\n", path, rd.skipped);
  free(line);
  fclose(f);
  if (rc) {
    free(rd.items);
    return rc;
  }
  *items = rd.items, *n = rd.n;
  if (skipped) *skipped = rd.skipped;
  return SIM_OK;
}

int risk_csv_write(const char *path, const item *items, size_t n, sim_error *err) {
  for (size_t i = 0; i < n; i++)
    if (items[i].kind == KIND_PASSENGERS_IN || items[i].kind == KIND_PASSENGERS_OUT)
      return sim_error_set(err, SIM_EINVAL, "%s: passenger records do not fit the "
                           "declaration schema", path);
  FILE *f = fopen(path, "w");
  if (!f) return sim_error_set(err, SIM_EIO, "%s: %s", path, strerror(errno));
  fprintf(f, "%s\n", risk_csv_header);
  for (size_t i = 0; i < n; i++) {
    const item *it = &items[i];
    const item_declaration *d = &it->decl;
    long y, m, dd;
    csv_civil(CSV_DAY0 + (long)floor(it->arrival_min / 1440.0), &y, &m, &dd);
    fprintf(f, "SGD%llu,%04ld-%02ld-%02ld,IMP%d,DEC%d,CNTRY%03d,OFFICE%02d,%06d0000,%d,"
               "%.3f,%.2f,%.2f,%.2f,%d,%.2f\n",
            (unsigned long long)it->id, y, m, dd, d->importer, d->declarant, d->origin,
            d->office, d->hs6, d->quantity, d->gross_kg, d->fob_jpy, d->cif_jpy,
            d->taxes_jpy, item_is_illicit(it) ? 1 : 0, it->truth.evaded_jpy);
  }
  int bad = ferror(f);
  if (fclose(f) || bad) return sim_error_set(err, SIM_EIO, "%s: write error", path);
  return SIM_OK;
}

typedef struct csv_key { double t; size_t i; } csv_key;

static int csv_key_cmp(const void *a, const void *b) {
  const csv_key *x = a, *y = b;
  if (x->t != y->t) return x->t < y->t ? -1 : 1;
  return (x->i > y->i) - (x->i < y->i);
}

int risk_csv_sort(item *items, size_t n, sim_error *err) {
  csv_key *k = malloc((n ? n : 1) * sizeof *k);
  item *tmp = malloc((n ? n : 1) * sizeof *tmp);
  if (!k || !tmp) {
    free(k), free(tmp);
    return sim_error_set(err, SIM_ENOMEM, "risk_csv: out of memory sorting %zu rows", n);
  }
  for (size_t i = 0; i < n; i++) k[i] = (csv_key){items[i].arrival_min, i};
  qsort(k, n, sizeof *k, csv_key_cmp);
  for (size_t i = 0; i < n; i++) tmp[i] = items[k[i].i];
  memcpy(items, tmp, n * sizeof *items);
  free(k), free(tmp);
  return SIM_OK;
}

void risk_csv_split(size_t n, size_t *ntrain, size_t *nvalid) {
  *ntrain = n * 6 / 10;
  *nvalid = n * 8 / 10 - *ntrain;
}
