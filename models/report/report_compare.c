/* report_compare: a policy run B against a baseline run A, figure by figure, for
 * customs-report. When both runs used the same seed and number of replications they
 * share random numbers (common random numbers), so replication r of A and of B saw
 * the same arrivals: the difference is estimated pairwise (paired t), which is much
 * tighter. Otherwise Welch's t for two independent samples. A difference is marked
 * significant when its 95% confidence interval excludes zero; with one replication
 * there is no interval, and the program says so. */
#include "models/report/report.h"

#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "sim/stats.h"

typedef struct side {
  const report_kpi *k;
  size_t key, fig;
} side;

static const double *values(const side *s) {
  return &s->k->vals[(s->key * s->k->nfigs + s->fig) * s->k->nrep];
}

static report_diff paired(const side *A, const side *B) {
  const double *x = values(A), *y = values(B);
  size_t nrep = A->k->nrep < B->k->nrep ? A->k->nrep : B->k->nrep, n = 0;
  double *d = malloc((nrep + 1) * sizeof *d);
  report_diff r = {NAN, NAN, NAN, NAN, false};
  double hw_a, hw_b;
  report_mean_hw(x, A->k->nrep, &r.a, &hw_a);
  report_mean_hw(y, B->k->nrep, &r.b, &hw_b);
  if (!d) return r;
  for (size_t i = 0; i < nrep; i++)
    if (!isnan(x[i]) && !isnan(y[i])) d[n++] = y[i] - x[i];
  report_mean_hw(d, n, &r.d, &r.hw);
  free(d);
  return r;
}

static report_diff welch(const side *A, const side *B) {
  report_diff r = {NAN, NAN, NAN, NAN, false};
  double hw_a, hw_b, va = 0.0, vb = 0.0;
  size_t na = report_mean_hw(values(A), A->k->nrep, &r.a, &hw_a);
  size_t nb = report_mean_hw(values(B), B->k->nrep, &r.b, &hw_b);
  r.d = r.b - r.a;
  if (na < 2 || nb < 2) return r;
  for (size_t i = 0; i < A->k->nrep; i++)
    if (!isnan(values(A)[i])) va += (values(A)[i] - r.a) * (values(A)[i] - r.a);
  for (size_t i = 0; i < B->k->nrep; i++)
    if (!isnan(values(B)[i])) vb += (values(B)[i] - r.b) * (values(B)[i] - r.b);
  double sa = va / (double)(na - 1) / (double)na, sb = vb / (double)(nb - 1) / (double)nb,
         se2 = sa + sb;
  if (se2 == 0.0) {
    r.hw = 0.0;
    return r;
  }
  double df = se2 * se2 / (sa * sa / (double)(na - 1) + sb * sb / (double)(nb - 1));
  r.hw = stats_t_halfwidth(0.975, df, sqrt(se2), 1.0); /* sqrt(se2) is the standard error */
  return r;
}

report_diff report_compare_values(const report_kpi *A, size_t ka, size_t fa, const report_kpi *B,
                                  size_t kb, size_t fb, bool pair) {
  side sa = {A, ka, fa}, sb = {B, kb, fb};
  report_diff r = pair ? paired(&sa, &sb) : welch(&sa, &sb);
  if (isfinite(r.hw) && isfinite(r.d)) r.sig = fabs(r.d) > r.hw || (r.hw == 0.0 && r.d != 0.0);
  return r;
}

/* ---- output ------------------------------------------------------------------------ */

static void say(const report_rows *p, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void say(const report_rows *p, const char *fmt, ...) {
  if (!p->out) return;
  va_list ap;
  va_start(ap, fmt);
  vfprintf(p->out, fmt, ap);
  va_end(ap);
}

void report_rows_heading(report_rows *p, const char *title) {
  say(p, "\n%s\n  %-22s %-32s %-8s %14s %14s %24s %9s\n", title, "key", "figure", "unit",
      "A (baseline)", "B (policy)", "B - A (95% CI)", "change");
}

static void csv_number(FILE *csv, double x) {
  if (!isnan(x)) fprintf(csv, "%.10g", x);
  fputc(',', csv);
}

void report_rows_add(report_rows *p, const char *key, bool first, const char *fig, const char *unit,
                     const report_diff *r, const char *a_text, const char *b_text,
                     const char *note) {
  char a[64], b[64], d[96], ch[32] = "";
  bool count = numfmt_is_count(fig, unit);
  if (a_text) snprintf(a, sizeof a, "%s", a_text);
  else numfmt_figure(a, sizeof a, fig, unit, r->a, NAN);
  if (b_text) snprintf(b, sizeof b, "%s", b_text);
  else numfmt_figure(b, sizeof b, fig, unit, r->b, NAN);
  if (count) numfmt_count(d, sizeof d, r->d, r->hw);
  else numfmt_ci(d, sizeof d, r->d, r->hw);
  if (isnan(r->d)) d[0] = '\0';
  else if (r->d >= 0.0) memmove(d + 1, d, strlen(d) + 1), d[0] = '+';
  if (isfinite(r->a) && r->a != 0.0 && isfinite(r->d) && strcmp(unit, "share") != 0)
    snprintf(ch, sizeof ch, "%+.1f%%", 100.0 * r->d / fabs(r->a));
  if (p->out) {
    fputs("  ", p->out);
    numfmt_pad(p->out, first ? key : "", 22, false);
    fputc(' ', p->out);
    numfmt_pad(p->out, fig, 32, false);
    fputc(' ', p->out);
    numfmt_pad(p->out, unit, 8, false);
    fputc(' ', p->out);
    numfmt_pad(p->out, a, 14, true);
    fputc(' ', p->out);
    numfmt_pad(p->out, b, 14, true);
    fputc(' ', p->out);
    numfmt_pad(p->out, d, 24, true);
    fprintf(p->out, " %9s %s\n", ch, r->sig ? "*" : "");
  }
  p->shown++;
  if (!p->csv) return;
  const char *text[] = {key, fig, unit}; /* the key on every row, so each row stands alone */
  for (int i = 0; i < 3; i++) report_csv_field(p->csv, text[i]), fputc(',', p->csv);
  const double num[] = {r->a, r->b, r->d, r->hw};
  for (int i = 0; i < 4; i++) csv_number(p->csv, num[i]);
  fprintf(p->csv, "%s,%d,", p->method, r->sig);
  report_csv_field(p->csv, note ? note : "");
  fputc('\n', p->csv);
}

int report_rows_csv(report_rows *p, const char *name, sim_error *err) {
  p->csv = NULL;
  if (!p->opts->csv_dir) return SIM_OK;
  char file[4096];
  snprintf(file, sizeof file, "%s/compare_%s.csv", p->opts->csv_dir, name);
  if (!(p->csv = fopen(file, "w")))
    return sim_error_set(err, SIM_EIO, "%s: cannot write: %s", file, strerror(errno));
  if (p->opts->bom) fputs("\xef\xbb\xbf", p->csv);
  fputs("key,figure,unit,a_mean,b_mean,diff,diff_hw,method,significant,note\n", p->csv);
  return SIM_OK;
}

int report_rows_csv_close(report_rows *p, const char *name, sim_error *err) {
  int rc = SIM_OK;
  if (p->csv && (ferror(p->csv) | fclose(p->csv)))
    rc = sim_error_set(err, SIM_EIO, "%s/compare_%s.csv: write failed", p->opts->csv_dir, name);
  p->csv = NULL;
  return rc;
}

static void compare_key(report_rows *p, const report_kpi *A, const report_kpi *B, size_t ka,
                        size_t kb, bool pair) {
  bool first = true;
  for (size_t fa = 0; fa < A->nfigs; fa++) {
    long fb = report_kpi_fig(B, A->figs[fa]);
    if (fb < 0) continue;
    report_diff r = report_compare_values(A, ka, fa, B, kb, (size_t)fb, pair);
    if (isnan(r.a) && isnan(r.b)) continue;
    p->significant += r.sig;
    if (p->opts->only_significant && !r.sig) continue;
    report_rows_add(p, A->keys[ka], first, A->figs[fa], A->units[fa], &r, NULL, NULL, NULL);
    first = false;
  }
}

static void compare_kpi(report_rows *p, const report_kpi *A, const report_kpi *B, bool pair) {
  report_rows_heading(p, A->source);
  for (size_t ka = 0; ka < A->nkeys; ka++) {
    long kb = report_kpi_key(B, A->keys[ka]);
    if (kb < 0) say(p, "  %-22s (only in A)\n", A->keys[ka]);
    else compare_key(p, A, B, ka, (size_t)kb, pair);
  }
  for (size_t kb = 0; kb < B->nkeys; kb++)
    if (report_kpi_key(A, B->keys[kb]) < 0) say(p, "  %-22s (only in B)\n", B->keys[kb]);
}

static int compare_table(report_rows *p, const report_file *a, const report_file *b,
                         const char *name, bool pair, sim_error *err) {
  char path[256];
  snprintf(path, sizeof path, "/kpi/%s", name);
  if (!report_exists(a, path) || !report_exists(b, path)) {
    if (report_exists(a, path) || report_exists(b, path))
      say(p, "\n%s: only in one of the files\n", path);
    return SIM_OK;
  }
  report_kpi *A = NULL, *B = NULL;
  int rc = report_kpi_reps(a, path, &A, err);
  if (!rc) rc = report_kpi_reps(b, path, &B, err);
  if (!rc) rc = report_rows_csv(p, name, err);
  /* Pairs need the same replication numbers on both sides. */
  if (!rc && pair &&
      (A->nrep != B->nrep || memcmp(A->rep_ids, B->rep_ids, A->nrep * sizeof *A->rep_ids) != 0)) {
    say(p, "\n%s: the replication numbers differ, so this table is compared with Welch's t\n",
        path);
    pair = false;
  }
  if (!rc) compare_kpi(p, A, B, pair);
  int rc2 = report_rows_csv_close(p, name, err);
  report_kpi_free(A);
  report_kpi_free(B);
  return rc ? rc : rc2;
}

typedef struct runs {
  int64_t seed[2], reps[2];
} runs;

static void read_runs(const report_file *a, const report_file *b, runs *r) {
  r->seed[0] = r->seed[1] = -1, r->reps[0] = r->reps[1] = 0;
  report_attr_i64(a, "seed", &r->seed[0]), report_attr_i64(b, "seed", &r->seed[1]);
  report_attr_i64(a, "replications", &r->reps[0]), report_attr_i64(b, "replications", &r->reps[1]);
}

/* The method in words, and a warning when one replication leaves no interval. */
static void tell_method(report_rows *p, const report_file *a, const report_file *b, const runs *r,
                        bool pair) {
  char na[48], nb[48];
  numfmt_count_of(na, sizeof na, (double)r->reps[0], "replication", "replications");
  numfmt_count_of(nb, sizeof nb, (double)r->reps[1], "replication", "replications");
  if (pair)
    say(p,
        "Method        paired differences over common random numbers (both runs: seed %lld, %s)\n",
        (long long)r->seed[0], na);
  else if (r->seed[0] != r->seed[1])
    say(p, "Method        Welch's t for independent runs (seeds %lld and %lld differ; %s and %s)\n",
        (long long)r->seed[0], (long long)r->seed[1], na, nb);
  else
    say(p, "Method        Welch's t for independent runs (same seed %lld, but %s and %s)\n",
        (long long)r->seed[0], na, nb);
  const report_file *one = r->reps[0] < 2 ? a : r->reps[1] < 2 ? b : NULL;
  if (!one) return;
  say(p,
      "Warning       %s has one replication: there is no confidence interval, no difference is\n"
      "              marked significant, and the changes may be noise. Run both with -r 10 or "
      "more.\n",
      report_path(one));
  fprintf(stderr,
          "customs-report: warning: %s has 1 replication: no confidence intervals, differences may "
          "be noise\n",
          report_path(one));
}

int report_compare(const report_file *a, const report_file *b, FILE *out,
                   const report_compare_opts *opts, sim_error *err) {
  runs r;
  read_runs(a, b, &r);
  bool pair = r.seed[0] == r.seed[1] && r.reps[0] == r.reps[1] && r.reps[0] >= 1;
  report_rows p = {opts->quiet ? NULL : out, NULL, opts, pair ? "paired" : "welch", 0, 0};
  int rc = opts->csv_dir ? report_mkdirs(opts->csv_dir, err) : SIM_OK;
  if (!rc && opts->png_dir) rc = report_mkdirs(opts->png_dir, err);
  if (rc) return rc;
  say(&p, "A (baseline)  %s\nB (policy)    %s\n", report_path(a), report_path(b));
  tell_method(&p, a, b, &r, pair);
  rc = report_scorecard(&p, a, b, pair, err);
  if (!rc) rc = report_compare_recovery(&p, a, b, pair, err);
  const char *names[] = {"channels", "stations", "staff", "classes", "batches", "coast",
                         "coast_assets"};
  for (size_t i = 0; !rc && i < sizeof names / sizeof *names; i++)
    rc = compare_table(&p, a, b, names[i], pair, err);
  if (rc) return rc;
  say(&p, "\n* the 95%% confidence interval of B - A excludes 0 (%zu figure%s)\n", p.significant,
      p.significant == 1 ? "" : "s");
  return SIM_OK;
}
