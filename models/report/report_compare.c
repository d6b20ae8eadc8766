/* report_compare: a policy run B against a baseline run A, figure by figure, for
 * customs-report. When both runs used the same seed and number of replications they
 * share random numbers (common random numbers), so replication r of A and of B saw
 * the same arrivals: the difference is estimated pairwise (paired t), which is much
 * tighter. Otherwise Welch's t for two independent samples. A difference is marked
 * significant when its 95% confidence interval excludes zero. */
#include "models/report/report.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_cdf.h>

typedef struct diff {
  double a, b, d, hw;
  bool sig;
} diff;

typedef struct side {
  const report_kpi *k;
  size_t key, fig;
} side;

static const double *values(const side *s) { return &s->k->vals[(s->key * s->k->nfigs + s->fig) * s->k->nrep]; }

static diff paired(const side *A, const side *B) {
  const double *x = values(A), *y = values(B);
  size_t nrep = A->k->nrep < B->k->nrep ? A->k->nrep : B->k->nrep, n = 0;
  double *d = malloc((nrep + 1) * sizeof *d);
  diff r = {NAN, NAN, NAN, NAN, false};
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

static diff welch(const side *A, const side *B) {
  diff r = {NAN, NAN, NAN, NAN, false};
  double hw_a, hw_b, va = 0.0, vb = 0.0;
  size_t na = report_mean_hw(values(A), A->k->nrep, &r.a, &hw_a);
  size_t nb = report_mean_hw(values(B), B->k->nrep, &r.b, &hw_b);
  r.d = r.b - r.a;
  if (na < 2 || nb < 2) return r;
  for (size_t i = 0; i < A->k->nrep; i++)
    if (!isnan(values(A)[i])) va += (values(A)[i] - r.a) * (values(A)[i] - r.a);
  for (size_t i = 0; i < B->k->nrep; i++)
    if (!isnan(values(B)[i])) vb += (values(B)[i] - r.b) * (values(B)[i] - r.b);
  double sa = va / (double)(na - 1) / (double)na, sb = vb / (double)(nb - 1) / (double)nb, se2 = sa + sb;
  if (se2 == 0.0) {
    r.hw = 0.0;
    return r;
  }
  double df = se2 * se2 / (sa * sa / (double)(na - 1) + sb * sb / (double)(nb - 1));
  r.hw = gsl_cdf_tdist_Pinv(0.975, df) * sqrt(se2);
  return r;
}

static diff compare_cell(const side *A, const side *B, bool pair) {
  diff r = pair ? paired(A, B) : welch(A, B);
  if (isfinite(r.hw) && isfinite(r.d)) r.sig = fabs(r.d) > r.hw || (r.hw == 0.0 && r.d != 0.0);
  return r;
}

/* ---- output ------------------------------------------------------------------------ */

typedef struct printer {
  FILE *out, *csv;
  const report_compare_opts *opts;
  const char *method;
  size_t shown, significant;
} printer;

static void plain(char *buf, size_t size, double x) {
  if (isnan(x)) snprintf(buf, size, "n/a");
  else if (fabs(x) >= 1e4 && fabs(x) < 1e15) snprintf(buf, size, "%.0f", x);
  else snprintf(buf, size, "%.4g", x);
}

static void print_row(printer *p, const char *key, const char *fig, const char *unit, const diff *r) {
  char a[48], b[48], d[96], ch[32] = "";
  plain(a, sizeof a, r->a);
  plain(b, sizeof b, r->b);
  report_format_ci(d, sizeof d, r->d, r->hw);
  if (!isnan(r->d) && r->d >= 0.0) memmove(d + 1, d, strlen(d) + 1), d[0] = '+';
  if (isfinite(r->a) && r->a != 0.0 && isfinite(r->d)) snprintf(ch, sizeof ch, "%+.1f%%", 100.0 * r->d / fabs(r->a));
  fputs("  ", p->out);
  report_pad(p->out, key, 22, false);
  fputc(' ', p->out);
  report_pad(p->out, fig, 32, false);
  fputc(' ', p->out);
  report_pad(p->out, unit, 8, false);
  fprintf(p->out, " %14s %14s ", a, b);
  report_pad(p->out, d, 24, true);
  fprintf(p->out, " %9s %s\n", ch, r->sig ? "*" : "");
  if (!p->csv) return;
  const char *text[] = {key, fig, unit};
  for (int i = 0; i < 3; i++) report_csv_field(p->csv, text[i]), fputc(',', p->csv);
  const double num[] = {r->a, r->b, r->d, r->hw};
  for (int i = 0; i < 4; i++)
    if (isnan(num[i])) fputc(',', p->csv);
    else fprintf(p->csv, "%.10g,", num[i]);
  fprintf(p->csv, "%s,%d\n", p->method, r->sig);
}

static void compare_key(printer *p, const report_kpi *A, const report_kpi *B, size_t ka, size_t kb, bool pair) {
  bool first = true;
  for (size_t fa = 0; fa < A->nfigs; fa++) {
    long fb = report_kpi_fig(B, A->figs[fa]);
    if (fb < 0) continue;
    side sa = {A, ka, fa}, sb = {B, kb, (size_t)fb};
    diff r = compare_cell(&sa, &sb, pair);
    if (isnan(r.a) && isnan(r.b)) continue;
    p->significant += r.sig;
    if (p->opts->only_significant && !r.sig) continue;
    print_row(p, first ? A->keys[ka] : "", A->figs[fa], A->units[fa], &r);
    first = false;
    p->shown++;
  }
}

static void compare_kpi(printer *p, const report_kpi *A, const report_kpi *B, bool pair) {
  fprintf(p->out, "\n%s\n  %-22s %-32s %-8s %14s %14s %24s %9s\n", A->source, "key", "figure", "unit", "A (baseline)",
          "B (policy)", "B - A (95% CI)", "change");
  for (size_t ka = 0; ka < A->nkeys; ka++) {
    long kb = report_kpi_key(B, A->keys[ka]);
    if (kb < 0) fprintf(p->out, "  %-22s (only in A)\n", A->keys[ka]);
    else compare_key(p, A, B, ka, (size_t)kb, pair);
  }
  for (size_t kb = 0; kb < B->nkeys; kb++)
    if (report_kpi_key(A, B->keys[kb]) < 0) fprintf(p->out, "  %-22s (only in B)\n", B->keys[kb]);
}

/* Same seed and replications in both files: common random numbers. */
static bool use_pairs(const report_file *a, const report_file *b, int64_t *nrep) {
  int64_t sa, sb, ra, rb;
  bool same = report_attr_i64(a, "seed", &sa) && report_attr_i64(b, "seed", &sb) &&
              report_attr_i64(a, "replications", &ra) && report_attr_i64(b, "replications", &rb) && sa == sb && ra == rb;
  *nrep = same ? ra : 0;
  return same && ra >= 2;
}

static int open_csv(printer *p, const char *name, sim_error *err) {
  p->csv = NULL;
  if (!p->opts->csv_dir) return SIM_OK;
  char file[4096];
  snprintf(file, sizeof file, "%s/compare_%s.csv", p->opts->csv_dir, name);
  if (!(p->csv = fopen(file, "w"))) return sim_error_set(err, SIM_EIO, "%s: cannot write: %s", file, strerror(errno));
  if (p->opts->bom) fputs("\xef\xbb\xbf", p->csv);
  fputs("key,figure,unit,a_mean,b_mean,diff,diff_hw,method,significant\n", p->csv);
  return SIM_OK;
}

static int compare_table(printer *p, const report_file *a, const report_file *b, const char *name, bool pair,
                         sim_error *err) {
  char path[256];
  snprintf(path, sizeof path, "/kpi/%s", name);
  if (!report_exists(a, path) || !report_exists(b, path)) {
    if (report_exists(a, path) || report_exists(b, path)) fprintf(p->out, "\n%s: only in one of the files\n", path);
    return SIM_OK;
  }
  report_kpi *A = NULL, *B = NULL;
  int rc = report_kpi_reps(a, path, &A, err);
  if (!rc) rc = report_kpi_reps(b, path, &B, err);
  if (!rc) rc = open_csv(p, name, err);
  /* Pairs need the same replication numbers on both sides. */
  if (!rc && pair && (A->nrep != B->nrep || memcmp(A->rep_ids, B->rep_ids, A->nrep * sizeof *A->rep_ids) != 0)) {
    fprintf(p->out, "\n%s: the replication numbers differ, so this table is compared with Welch's t\n", path);
    pair = false;
  }
  if (!rc) compare_kpi(p, A, B, pair);
  if (p->csv && (ferror(p->csv) | fclose(p->csv)) && !rc)
    rc = sim_error_set(err, SIM_EIO, "%s/compare_%s.csv: write failed", p->opts->csv_dir, name);
  p->csv = NULL;
  report_kpi_free(A);
  report_kpi_free(B);
  return rc;
}

int report_compare(const report_file *a, const report_file *b, FILE *out, const report_compare_opts *opts,
                   sim_error *err) {
  int64_t nrep = 0;
  bool pair = use_pairs(a, b, &nrep);
  printer p = {out, NULL, opts, pair ? "paired" : "welch", 0, 0};
  int rc = opts->csv_dir ? report_mkdirs(opts->csv_dir, err) : SIM_OK;
  if (rc) return rc;
  fprintf(out, "A (baseline)  %s\nB (policy)    %s\n", report_path(a), report_path(b));
  if (pair)
    fprintf(out, "Method        paired t over %lld replications (same seed and replications: common random numbers)\n",
            (long long)nrep);
  else fputs("Method        Welch's t (the runs differ in seed or replications, so they are independent)\n", out);
  const char *names[] = {"channels", "stations", "staff", "coast", "coast_assets"};
  for (size_t i = 0; !rc && i < sizeof names / sizeof *names; i++)
    rc = compare_table(&p, a, b, names[i], pair, err);
  if (rc) return rc;
  fprintf(out, "\n* the 95%% confidence interval of B - A excludes 0 (%zu figure%s)\n", p.significant,
          p.significant == 1 ? "" : "s");
  return SIM_OK;
}
