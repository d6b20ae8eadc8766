/* report_table: the text and CSV output of customs-report. The KPI summary is printed
 * with figures as rows and keys (channels, stations, pools) as columns, each cell a
 * mean with its 95% confidence half-width; CSV export writes every compound table of
 * the file, streamed in blocks, with enums as their labels and NaN as an empty cell. */
#include "models/report/report.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

enum { LINE_WIDTH = 118, FIG_WIDTH = 34, CSV_BLOCK = 65536 };

/* ---- the summary ---------------------------------------------------------------- */

static void cell_text(const report_kpi *k, size_t key, size_t fig, char *buf, size_t size) {
  size_t i = key * k->nfigs + fig;
  numfmt_figure(buf, size, k->figs[fig], k->units[fig], k->mean[i], k->hw[i]);
  if (k->nan[i] > 0 && !isnan(k->mean[i])) strncat(buf, " ~", size - strlen(buf) - 1);
}

static size_t key_width(const report_kpi *k, size_t key) {
  size_t w = numfmt_width(k->keys[key]);
  char cell[96];
  for (size_t f = 0; f < k->nfigs; f++) {
    cell_text(k, key, f, cell, sizeof cell);
    size_t cw = numfmt_width(cell);
    if (cw > w) w = cw;
  }
  return w;
}

/* Figures down, keys across, as many keys per block as fit in LINE_WIDTH. */
static void print_block(FILE *out, const report_kpi *k, size_t first, size_t last, size_t fw,
                        size_t uw) {
  char cell[96];
  numfmt_pad(out, "figure", fw, false);
  fputs("  ", out);
  numfmt_pad(out, "unit", uw, false);
  for (size_t key = first; key < last; key++)
    fputs("  ", out), numfmt_pad(out, k->keys[key], key_width(k, key), true);
  fputc('\n', out);
  for (size_t f = 0; f < k->nfigs; f++) {
    numfmt_pad(out, k->figs[f], fw, false);
    fputs("  ", out);
    numfmt_pad(out, k->units[f], uw, false);
    for (size_t key = first; key < last; key++) {
      cell_text(k, key, f, cell, sizeof cell);
      fputs("  ", out);
      numfmt_pad(out, cell, key_width(k, key), true);
    }
    fputc('\n', out);
  }
}

/* Returns whether some figure had replications without data. */
static bool print_kpi(FILE *out, const char *title, const report_kpi *k) {
  size_t fw = 6, uw = 4, nrep = 0;
  for (size_t f = 0; f < k->nfigs; f++) {
    size_t w = numfmt_width(k->figs[f]), u = numfmt_width(k->units[f]);
    fw = w > fw ? (w > FIG_WIDTH ? FIG_WIDTH : w) : fw;
    uw = u > uw ? u : uw;
  }
  for (size_t key = 0; key < k->nkeys; key++)
    nrep = (size_t)k->n[key] > nrep ? (size_t)k->n[key] : nrep;
  if (nrep == 1)
    fprintf(out, "\n%s (%s): one replication, so no confidence intervals\n", title, k->source);
  else
    fprintf(out, "\n%s (%s): mean \xc2\xb1 95%% confidence half-width over %zu replications\n",
            title, k->source, nrep);
  if (k->nkeys == 0) fputs("  (no rows)\n", out);
  for (size_t first = 0; first < k->nkeys;) {
    size_t used = fw + 2 + uw, last = first;
    while (last < k->nkeys && (last == first || used + 2 + key_width(k, last) <= LINE_WIDTH))
      used += 2 + key_width(k, last++);
    print_block(out, k, first, last, fw, uw);
    if (last < k->nkeys) fputc('\n', out);
    first = last;
  }
  bool gaps = false;
  for (size_t i = 0; i < k->nkeys * k->nfigs; i++) gaps |= k->nan[i] > 0 && !isnan(k->mean[i]);
  return gaps;
}

static void print_header(const report_file *f, FILE *out) {
  char v[4][256];
  const char *names[] = {"scenario_file", "program_version", "start", "complete"};
  for (int i = 0; i < 4; i++)
    if (!report_attr_text(f, names[i], v[i], sizeof v[i])) snprintf(v[i], sizeof v[i], "?");
  int64_t seed = 0, reps = 0;
  char days[64] = "", warm[64] = "", d[64], w[64], r[64];
  report_attr_i64(f, "seed", &seed);
  report_attr_i64(f, "replications", &reps);
  report_attr_text(f, "days", days, sizeof days);
  report_attr_text(f, "warmup_days", warm, sizeof warm);
  for (char *c = v[2]; *c; c++)
    if (*c == 'T') *c = ' ';
  fprintf(out, "File      %s%s\n", report_path(f),
          strcmp(v[3], "1") == 0 ? "" : "  (INCOMPLETE: the run did not finish)");
  fprintf(out, "Scenario  %s\n", v[0]);
  fprintf(out, "Run       seed %lld, %s, %s measured after %s, from %s\n", (long long)seed,
          numfmt_count_of(r, sizeof r, (double)reps, "replication", "replications"),
          numfmt_count_of(d, sizeof d, strtod(days, NULL), "day", "days"),
          numfmt_count_of(w, sizeof w, strtod(warm, NULL), "warm-up day", "warm-up days"), v[2]);
  fprintf(out, "Program   %s\n", v[1]);
  if (reps == 1)
    fprintf(out,
            "Note      one replication: no confidence intervals (run with -r 10 or more to get "
            "them)\n");
}

static const char *title_of(const char *name) {
  if (strcmp(name, "channels") == 0) return "Channels";
  if (strcmp(name, "stations") == 0) return "Stations";
  if (strcmp(name, "staff") == 0) return "Staff pools";
  if (strcmp(name, "coast") == 0) return "Coast zones";
  if (strcmp(name, "coast_assets") == 0) return "Coast assets";
  if (strcmp(name, "classes") == 0) return "Classes of items (CHANNEL.CLASS)";
  if (strcmp(name, "batches") == 0) return "Scheduled batches (CHANNEL.N, N from 0)";
  return name;
}

int report_print_summary(const report_file *f, FILE *out, sim_error *err) {
  print_header(f, out);
  const char *names[] = {"channels", "stations", "staff", "classes", "batches", "coast",
                         "coast_assets"};
  int printed = 0;
  bool gaps = false;
  for (size_t i = 0; i < sizeof names / sizeof *names; i++) {
    report_kpi *k = NULL;
    int rc = report_kpi_load(f, names[i], &k, err);
    if (rc) return rc;
    if (!k) continue;
    gaps |= print_kpi(out, title_of(names[i]), k);
    report_kpi_free(k);
    printed++;
  }
  if (!printed) fputs("\n(no KPI tables in this file)\n", out);
  else if (gaps)
    fputs("\n~ some replications had no data for this figure (NaN); the mean is over the others\n",
          out);
  return report_print_recovery(f, out, err);
}

/* ---- CSV ------------------------------------------------------------------------ */

int report_mkdirs(const char *dir, sim_error *err) {
  if (!dir || !dir[0]) return sim_error_set(err, SIM_EINVAL, "empty directory name");
  char *p = strdup(dir);
  if (!p) return sim_error_set(err, SIM_ENOMEM, "%s: out of memory", dir);
  int rc = SIM_OK;
  for (char *s = p + 1; !rc; s++) {
    if (*s != '/' && *s != '\0') continue;
    char c = *s;
    *s = '\0';
    struct stat st;
    if (mkdir(p, 0777) != 0 && errno != EEXIST)
      rc = sim_error_set(err, SIM_EIO, "%s: cannot create directory: %s", p, strerror(errno));
    else if (stat(p, &st) != 0 || !S_ISDIR(st.st_mode))
      rc = sim_error_set(err, SIM_EIO, "%s: not a directory", p);
    *s = c;
    if (c == '\0') break;
  }
  free(p);
  return rc;
}

void report_csv_field(FILE *out, const char *s) {
  size_t n = strlen(s);
  bool quote = n > 0 && (s[0] == ' ' || s[n - 1] == ' ');
  for (const char *p = s; *p && !quote; p++)
    quote = *p == ',' || *p == '"' || *p == '\n' || *p == '\r';
  if (!quote) {
    fputs(s, out);
    return;
  }
  fputc('"', out);
  for (const char *p = s; *p; p++) {
    if (*p == '"') fputc('"', out);
    fputc(*p, out);
  }
  fputc('"', out);
}

/* The shortest of %.15g..%.17g that reads back as the same double. */
static void csv_number(FILE *out, double x) {
  if (isnan(x)) return;
  char buf[40];
  for (int prec = 15; prec <= 17; prec++) {
    snprintf(buf, sizeof buf, "%.*g", prec, x);
    if (strtod(buf, NULL) == x) break;
  }
  fputs(buf, out);
}

static void csv_rows(FILE *out, const report_table *t) {
  for (size_t i = 0; i < report_table_loaded(t); i++) {
    for (size_t c = 0; c < report_table_ncols(t); c++) {
      if (c) fputc(',', out);
      report_kind kd = report_table_kind(t, c);
      if (kd == REPORT_INT) fprintf(out, "%lld", (long long)report_table_i64(t, c, i));
      else if (kd == REPORT_FLOAT) csv_number(out, report_table_f64(t, c, i));
      else report_csv_field(out, report_table_str(t, c, i));
    }
    fputc('\n', out);
  }
}

static int csv_table(const report_file *f, const char *path, const char *file, bool bom,
                     sim_error *err) {
  report_table *t = NULL;
  int rc = report_table_open(f, path, &t, err);
  if (rc) return rc;
  FILE *out = fopen(file, "w");
  if (!out) {
    report_table_close(t);
    return sim_error_set(err, SIM_EIO, "%s: cannot write: %s", file, strerror(errno));
  }
  if (bom) fputs("\xef\xbb\xbf", out);
  for (size_t c = 0; c < report_table_ncols(t); c++) {
    if (c) fputc(',', out);
    report_csv_field(out, report_table_name(t, c));
  }
  fputc('\n', out);
  for (size_t first = 0; !rc && first < report_table_rows(t); first += CSV_BLOCK) {
    rc = report_table_load(t, first, CSV_BLOCK, err);
    if (!rc) csv_rows(out, t);
  }
  if ((ferror(out) | fclose(out)) && !rc)
    rc = sim_error_set(err, SIM_EIO, "%s: write failed: %s", file, strerror(errno));
  report_table_close(t);
  return rc;
}

/* /kpi/summary/channels -> DIR/kpi_summary_channels.csv */
static void csv_name(char *buf, size_t size, const char *dir, const char *path) {
  int n = snprintf(buf, size, "%s/", dir);
  for (const char *p = path + 1; *p && n >= 0 && (size_t)n + 5 < size; p++) {
    unsigned char c = (unsigned char)*p;
    bool keep = c >= 0x80 || (c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') ||
                (c >= 'a' && c <= 'z') || c == '-' || c == '.';
    buf[n++] = keep ? (char)c : '_';
  }
  snprintf(buf + n, size - (size_t)n, ".csv");
}

int report_csv_all(const report_file *f, const char *dir, bool bom, sim_error *err) {
  char **paths = NULL;
  size_t n = 0;
  int rc = report_mkdirs(dir, err);
  if (!rc) rc = report_compound_paths(f, &paths, &n, err);
  for (size_t i = 0; !rc && i < n; i++) {
    char file[4096];
    csv_name(file, sizeof file, dir, paths[i]);
    rc = csv_table(f, paths[i], file, bom, err);
  }
  report_names_free(paths, n);
  return rc;
}
