/* declgen: the synthetic declaration generator (see declgen.h for the model).
 * Figures marked "est." are assumptions; the others come from Japan Customs' enforcement
 * statistics or the Customs Tariff Schedule of Japan (full citations: models/SOURCES.md). */
#include "models/declgen.h"
#include "models/declgen_internal.h"
#include "sim/rng.h"

#include <math.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_randist.h>

#define DG_CAL_N 20000    /* draws used to solve the intercepts */
#define DG_MAX_POP 5000000
#define DG_DE_MINIMIS 10000.0 /* yen: imports of 10,000 yen or less are tax-free */
#define DG_CONS_TAX 0.10      /* consumption tax on imports (national + local) */
#define DG_NOISE_SD 1.5       /* item-level risk no record shows (logit scale) */


/* One declaration's covariates, drawn before the fraud decision. Mechanism m's eta is
 * eb[m] plus the noise of the polar point (y[m], r2[m]) while lazy[m]: most fraud
 * decisions are settled by a bound of the noise, without its logarithm (dg_fraud). */
typedef struct dg_draft {
  int imp, decl, origin, office, hs, trips, bags;
  uint8_t adv, edocs, aeo, egate, cashless;
  double eta[DECLGEN_FRAUD_N];
  uint8_t elig[DECLGEN_FRAUD_N], lazy[DECLGEN_FRAUD_N];
  double eb[DECLGEN_FRAUD_N], y[DECLGEN_FRAUD_N], r2[DECLGEN_FRAUD_N];
} dg_draft;

/* Draws mechanism m's noise (the polar point of rng_gaussian(r, DG_NOISE_SD)) and keeps
 * it with the rest of eta, b. */
static void dg_noise(gsl_rng *r, dg_draft *d, int m, double b) {
  d->eb[m] = b;
  d->r2[m] = rng_polar_point(r, &d->y[m]);
  d->lazy[m] = 1;
}

/* Mechanism m's eta: b + rng_gaussian(r, DG_NOISE_SD), as drawn. */
static double dg_eta(dg_draft *d, int m) {
  if (d->lazy[m]) d->eta[m] = d->eb[m] + rng_gaussian_at(DG_NOISE_SD, d->y[m], d->r2[m]);
  d->lazy[m] = 0;
  return d->eta[m];
}

static double dg_sigmoid(double x) { return 1.0 / (1.0 + exp(-x)); }

/* u < dg_sigmoid(x) without the exp when u lies clear of the logistic's value: for
 * x <= -k the rounded sigmoid is below tail_hi[k], for x >= k above tail_lo[k] (the
 * bounds are 2^-30 relatively wide of the exact value; exp and the division err by a
 * few 2^-53), so the answer is the one the exp would give. Most fraud decisions
 * (rates of 1e-2 to 1e-6) end here. */
static int dg_draws_below(const declgen *g, double u, double x) {
  if (x < -1.0) {
    int k = x > -DG_TAIL_N ? (int)-x : DG_TAIL_N - 1; /* x <= -k */
    if (u >= g->tail_hi[k]) return 0;
  } else if (x > 1.0) {
    int k = x < DG_TAIL_N ? (int)x : DG_TAIL_N - 1; /* x >= k */
    if (u < g->tail_lo[k]) return 1;
  }
  return u < dg_sigmoid(x);
}

/* Whether mechanism m is committed, given its uniform u: u < sigmoid(alpha + eta). A
 * bound of the noise from above (rng_gaussian_above) bounds alpha + eta from above,
 * since every rounded sum is monotone; when that bound already lies in a tail u is
 * clear of, the answer is 0 without eta's logarithm. */
static int dg_fraud(const declgen *g, dg_draft *d, int m, double u) {
  if (d->lazy[m]) {
    double xh = g->alpha[m] + (d->eb[m] + rng_gaussian_above(DG_NOISE_SD, d->y[m], d->r2[m]));
    if (xh < -1.0) {
      int k = xh > -DG_TAIL_N ? (int)-xh : DG_TAIL_N - 1; /* eta's x <= xh <= -k */
      if (u >= g->tail_hi[k]) return 0;
    }
  }
  return dg_draws_below(g, u, g->alpha[m] + dg_eta(d, m));
}

int declgen_params_default(int kind, declgen_params *p) {
  if (kind <= KIND_GENERIC || kind >= KIND_N) return SIM_EINVAL;
  const dg_kind *k = &dg_kinds[kind];
  memset(p, 0, sizeof *p);
  p->kind = kind;
  p->importers = k->importers;
  p->declarants = k->declarants;
  p->origins = k->origins;
  p->offices = k->offices;
  p->activity_shape = 1.2; /* est.: a few large traders lodge much of the volume */
  p->aeo_share = k->aeo;
  p->advance_share = k->advance;
  p->edocs_share = k->edocs;
  p->risk_sd = 1.0;
  p->signal = 1.0;
  p->drift_days = 0.0;
  memcpy(p->rate, k->rate, sizeof p->rate);
  return SIM_OK;
}

int declgen_params_benchmark(int kind, declgen_params *p) {
  int rc = declgen_params_default(kind, p);
  if (rc) return rc;
  /* 7.6% illicit as in the public synthetic import declarations (Kim et al., KDD
   * 2020, DATE), mostly revenue fraud. */
  static const double goods[DECLGEN_FRAUD_N] = {.05, .02, .009, .0055, 0};
  static const double pax[DECLGEN_FRAUD_N] = {.05, 0, .006, .01, .01};
  if (dg_is_pax(kind)) memcpy(p->rate, pax, sizeof p->rate);
  else if (kind == KIND_EXPORTS) {
    memset(p->rate, 0, sizeof p->rate);
    p->rate[DECLGEN_SMUGGLED] = .076;
  } else memcpy(p->rate, goods, sizeof p->rate);
  return SIM_OK;
}

const declgen_params *declgen_params_of(const declgen *g) { return &g->p; }

int dg_check(const declgen_params *p, sim_error *err) {
  if (p->kind <= KIND_GENERIC || p->kind >= KIND_N)
    return sim_error_set(err, SIM_EINVAL, "declgen: kind %d is not a channel kind", p->kind);
  int pax = dg_is_pax(p->kind);
  if ((!pax && (p->importers < 1 || p->importers > DG_MAX_POP || p->declarants < 1 ||
                p->declarants > DG_MAX_POP)) ||
      p->origins < 1 || p->origins > 10000 || p->offices < 1 || p->offices > 1000)
    return sim_error_set(err, SIM_EINVAL, "declgen: population sizes out of range");
  if (!(p->activity_shape > 0.1) || !(p->aeo_share >= 0 && p->aeo_share <= 1) ||
      !(p->advance_share >= 0 && p->advance_share <= 1) ||
      !(p->edocs_share >= 0 && p->edocs_share <= 1) || !(p->risk_sd >= 0) ||
      !(p->signal >= 0) || !(p->drift_days >= 0))
    return sim_error_set(err, SIM_EINVAL, "declgen: shares or shapes out of range");
  for (int m = 0; m < DECLGEN_FRAUD_N; m++)
    if (!(p->rate[m] >= 0 && p->rate[m] < 1))
      return sim_error_set(err, SIM_EINVAL, "declgen: fraud rate %d out of [0, 1)", m);
  return SIM_OK;
}

/* Zipf-like weights w_i = 1 / (i + 1)^s: a few large origins, offices, brokers. */
static dg_pick *dg_zipf(int n, double s) {
  double *w = malloc((size_t)n * sizeof *w);
  if (!w) return NULL;
  for (int i = 0; i < n; i++) w[i] = pow(i + 1.0, -s);
  dg_pick *t = dg_pick_new((size_t)n, w);
  free(w);
  return t;
}

static void dg_build_hs(declgen *g, gsl_rng *r) {
  static const int subs[DG_SUBS] = {10, 20, 90};
  static const float duty_f[4] = {0.0f, 0.5f, 1.0f, 1.5f};
  for (int c = 0; c < DG_NCH; c++) {
    const dg_chapter *ch = &dg_chapters[c];
    int cheapest = 0;
    for (int j = 0; j < DG_PER_CH; j++) {
      dg_hs *h = &g->hs[c * DG_PER_CH + j];
      h->code = ch->ch * 10000 + (j / DG_SUBS + 1) * 100 + subs[j % DG_SUBS];
      h->luv = (float)(log(ch->uv_jpy) + rng_gaussian(r, 0.8));
      h->lkg = (float)(log(ch->kg) + rng_gaussian(r, 0.5));
      h->duty = ch->duty * duty_f[j == 0 ? 0 : 1 + gsl_rng_uniform_int(r, 3)];
      h->z = (float)rng_gaussian(r, 1.0);
      h->ch = (uint8_t)c;
      if (h->duty < g->hs[c * DG_PER_CH + cheapest].duty) cheapest = j;
    }
    for (int j = 0; j < DG_PER_CH; j++) g->hs[c * DG_PER_CH + j].cheapest = (uint8_t)cheapest;
  }
}

typedef struct dg_rank { double act; int i; } dg_rank;

static int dg_rank_cmp(const void *a, const void *b) {
  const dg_rank *x = a, *y = b;
  return x->act < y->act ? 1 : x->act > y->act ? -1 : x->i - y->i;
}

/* AEO goes to large, compliant importers until their share of declarations
 * reaches aeo_share. */
static int dg_assign_aeo(declgen *g, const double *act) {
  int n = g->p.importers;
  dg_rank *rk = malloc((size_t)n * sizeof *rk);
  if (!rk) return SIM_ENOMEM;
  double total = 0, cum = 0;
  for (int i = 0; i < n; i++) rk[i] = (dg_rank){act[i], i}, total += act[i];
  qsort(rk, (size_t)n, sizeof *rk, dg_rank_cmp);
  for (int j = 0; j < n && cum < g->p.aeo_share * total; j++) {
    dg_trader *t = &g->imp[rk[j].i];
    if (t->z[0][0] < 0.3f && t->z[1][0] < 0.3f) t->aeo = 1, cum += rk[j].act;
  }
  free(rk);
  return SIM_OK;
}

static int dg_build_traders(declgen *g, gsl_rng *r) {
  int n = g->p.importers;
  double *act = malloc((size_t)n * sizeof *act);
  g->imp = calloc((size_t)n, sizeof *g->imp);
  g->decl_z = calloc((size_t)g->p.declarants, sizeof *g->decl_z);
  g->decl_pick = dg_zipf(g->p.declarants, 1.0);
  if (!act || !g->imp || !g->decl_z || !g->decl_pick) return free(act), SIM_ENOMEM;
  for (int d = 0; d < g->p.declarants; d++)
    for (int t = 0; t < 2; t++) g->decl_z[d][t] = (float)rng_gaussian(r, 1.0);
  for (int i = 0; i < n; i++) {
    dg_trader *t = &g->imp[i];
    act[i] = pow(1.0 - rng_uniform(r), -1.0 / g->p.activity_shape);
    t->lact = (float)log(act[i]);
    for (int e = 0; e < 2; e++) {
      double common = rng_gaussian(r, 1.0); /* tax and smuggling risk correlate 0.5 */
      t->z[0][e] = (float)(sqrt(.5) * common + sqrt(.5) * rng_gaussian(r, 1.0));
      t->z[1][e] = (float)(sqrt(.5) * common + sqrt(.5) * rng_gaussian(r, 1.0));
    }
    t->price = (float)rng_gaussian(r, 0.3);
    t->declarant = (int32_t)dg_pick_draw(g->decl_pick, r);
    t->origin = (uint16_t)dg_pick_draw(g->org_pick, r);
    t->office = (unsigned)dg_pick_draw(g->off_pick, r) & 1023u;
    t->chapter = (unsigned)dg_pick_draw(g->ch_pick, r) & 31u;
  }
  int rc = dg_assign_aeo(g, act);
  if (!rc) rc = (g->imp_pick = dg_pick_new((size_t)n, act)) ? 0 : SIM_ENOMEM;
  free(act);
  return rc;
}

static int dg_build(declgen *g, gsl_rng *r) {
  const declgen_params *p = &g->p;
  g->org_z = calloc((size_t)p->origins, sizeof *g->org_z);
  g->off_z = calloc((size_t)p->offices, sizeof *g->off_z);
  g->org_pick = dg_zipf(p->origins, 1.1);
  g->off_pick = dg_zipf(p->offices, 0.8);
  if (!g->org_z || !g->off_z || !g->org_pick || !g->off_pick) return SIM_ENOMEM;
  for (int o = 0; o < p->origins; o++)
    for (int m = 0; m < DECLGEN_FRAUD_N; m++)
      for (int t = 0; t < 2; t++) g->org_z[o][m][t] = (float)rng_gaussian(r, 1.0);
  for (int o = 0; o < p->offices; o++) g->off_z[o] = (float)rng_gaussian(r, 1.0);
  if (dg_is_pax(p->kind)) return SIM_OK;
  double w[DG_NCH];
  for (int c = 0; c < DG_NCH; c++) w[c] = dg_mix[p->kind][c];
  if (!(g->ch_pick = dg_pick_new(DG_NCH, w))) return SIM_ENOMEM;
  dg_build_hs(g, r);
  return dg_build_traders(g, r);
}

/* Latent value at time t: a rotation from the first draw to the second. */
static double dg_at(const float z[2], double c, double s) { return z[0] * c + z[1] * s; }

/* dg_pick_draw with its uniform u already drawn. */
static inline size_t dg_pick_at(const dg_pick *t, double u) {
  size_t c = (size_t)(u * (double)t->k);
  double f = t->e[c].f;
  return f == 1.0 || u < f ? c : t->e[c].a;
}

/* Nobody reads mechanism m's eta when the item cannot commit it or its rate is 0 (alpha
 * is then -inf: alpha + eta is -inf whatever eta, and the calibration skips it). */
static int dg_eta_unread(const declgen *g, const dg_draft *d, int m) {
  return !d->elig[m] || !(g->p.rate[m] > 0);
}

/* u0: the item's first number if already drawn (declgen_fill_ahead), else negative. */
static void dg_draft_goods(const declgen *g, double day, gsl_rng *r, dg_draft *d, double u0) {
  const declgen_params *p = &g->p;
  double a = g->theta_per_day * day; /* 0 without drift: cos is 1, sin(+-0) is +-0 */
  double c = a == 0 ? 1.0 : cos(a), s = a == 0 ? a : sin(a);
  d->imp = (int)dg_pick_at(g->imp_pick, u0 >= 0 ? u0 : rng_uniform(r));
  const dg_trader *t = &g->imp[d->imp];
  d->decl = rng_uniform(r) < .85 ? t->declarant : (int)dg_pick_draw(g->decl_pick, r);
  d->origin = rng_uniform(r) < .7 ? (int)t->origin : (int)dg_pick_draw(g->org_pick, r);
  d->office = rng_uniform(r) < .9 ? (int)t->office : (int)dg_pick_draw(g->off_pick, r);
  int ch = rng_uniform(r) < .6 ? (int)t->chapter : (int)dg_pick_draw(g->ch_pick, r);
  d->hs = ch * DG_PER_CH + (int)rng_uniform_int(r, DG_PER_CH);
  d->aeo = t->aeo;
  double zt = dg_at(t->z[0], c, s), zs = dg_at(t->z[1], c, s);
  double lo_a = g->lo_adv, lo_e = g->lo_edocs;
  d->adv = t->aeo || dg_draws_below(g, rng_uniform(r), lo_a - 0.5 * zs);
  d->edocs = t->aeo || dg_draws_below(g, rng_uniform(r), lo_e - 0.3 * zt);
  const dg_hs *h = &g->hs[d->hs];
  double common = p->signal * (0.8 * dg_at(g->decl_z[d->decl], c, s) +
                               0.3 * g->off_z[d->office] + 0.4 * h->z - 0.8 * d->adv -
                               0.3 * d->edocs - 2.0 * d->aeo - 0.25 * t->lact);
  int exports = p->kind == KIND_EXPORTS;
  const dg_chapter *cp = &dg_chapters[h->ch];
  d->elig[DECLGEN_UNDERVALUED] = 1;
  d->elig[DECLGEN_MISCLASSIFIED] = g->hs[h->ch * DG_PER_CH + h->cheapest].duty < h->duty;
  d->elig[DECLGEN_IPR] = cp->ipr && !exports;
  d->elig[DECLGEN_DRUGS] = !exports;
  d->elig[DECLGEN_SMUGGLED] = exports && cp->dual;
  for (int m = 0; m < DECLGEN_FRAUD_N; m++) {
    if (dg_eta_unread(g, d, m)) {
      rng_gaussian_skip(r);
      continue;
    }
    double zi = m <= DECLGEN_MISCLASSIFIED ? zt : zs;
    dg_noise(r, d, m,
             common + p->signal * (p->risk_sd * zi + 0.8 * dg_at(g->org_z[d->origin][m], c, s)));
  }
}

/* gsl_ran_poisson(r, mu) given emu = exp(-mu) (GSL 2.7, Knuth's product of uniforms for
 * mu <= 10; larger means go to GSL): the same draws, without an exp per call for a
 * constant mean nor the library's indirect uniform draws. */
static int dg_poisson(gsl_rng *r, double mu, double emu) {
  if (mu > 10) return (int)gsl_ran_poisson(r, mu);
  double prod = 1.0;
  int k = -1;
  do prod *= rng_uniform(r), k++;
  while (prod > emu);
  return k;
}

static void dg_draft_pax(const declgen *g, double day, gsl_rng *r, dg_draft *d) {
  const declgen_params *p = &g->p;
  double a = g->theta_per_day * day; /* 0 without drift: cos is 1, sin(+-0) is +-0 */
  double c = a == 0 ? 1.0 : cos(a), s = a == 0 ? a : sin(a);
  int in = p->kind == KIND_PASSENGERS_IN;
  d->origin = (int)dg_pick_draw(g->org_pick, r);
  d->office = (int)dg_pick_draw(g->off_pick, r);
  double trips = exp(rng_gaussian(r, 0.9));
  d->trips = 1 + dg_poisson(r, trips, exp(-trips));
  d->bags = 1 + dg_poisson(r, 0.5, g->emu_bags);
  d->egate = in && rng_uniform(r) < 0.35; /* est. share of E-gate users */
  d->cashless = rng_uniform(r) < 0.5;
  double common = p->signal * (0.4 * log1p(d->trips) - 1.0 * d->egate - 0.3 * d->cashless +
                               0.2 * (d->bags == 1) + 0.3 * g->off_z[d->office]);
  d->elig[DECLGEN_UNDERVALUED] = 1;
  d->elig[DECLGEN_MISCLASSIFIED] = 0;
  d->elig[DECLGEN_IPR] = in;
  d->elig[DECLGEN_DRUGS] = in;
  d->elig[DECLGEN_SMUGGLED] = 1;
  for (int m = 0; m < DECLGEN_FRAUD_N; m++) {
    if (dg_eta_unread(g, d, m)) rng_gaussian_skip(r);
    else dg_noise(r, d, m, common + p->signal * 1.2 * dg_at(g->org_z[d->origin][m], c, s));
  }
}

static void dg_draw(const declgen *g, double day, gsl_rng *r, dg_draft *d, double u0) {
  memset(d, 0, offsetof(dg_draft, eb)); /* eb, y, r2: read only where lazy is set */
  if (dg_is_pax(g->p.kind)) dg_draft_pax(g, day, r, d);
  else dg_draft_goods(g, day, r, d, u0);
}

/* Solves alpha_m so that mean(elig * sigmoid(alpha + eta)) = rate_m (bisection). */
static int dg_calibrate(declgen *g, gsl_rng *r) {
  dg_draft *d = malloc(DG_CAL_N * sizeof *d);
  if (!d) return SIM_ENOMEM;
  for (int i = 0; i < DG_CAL_N; i++) {
    dg_draw(g, 0.0, r, &d[i], -1);
    for (int m = 0; m < DECLGEN_FRAUD_N; m++) dg_eta(&d[i], m);
  }
  for (int m = 0; m < DECLGEN_FRAUD_N; m++) {
    double lo = -40, hi = 40, rate = g->p.rate[m];
    if (rate <= 0) {
      g->alpha[m] = -INFINITY;
      continue;
    }
    for (int it = 0; it < 60; it++) {
      double mid = 0.5 * (lo + hi), sum = 0;
      for (int i = 0; i < DG_CAL_N; i++)
        if (d[i].elig[m]) sum += dg_sigmoid(mid + d[i].eta[m]);
      if (sum / DG_CAL_N < rate) lo = mid;
      else hi = mid;
    }
    g->alpha[m] = 0.5 * (lo + hi);
  }
  free(d);
  return SIM_OK;
}

declgen *dg_alloc(const declgen_params *p) {
  declgen *g = calloc(1, sizeof *g);
  if (!g) return NULL;
  g->p = *p;
  g->k = &dg_kinds[p->kind];
  g->theta_per_day = p->drift_days > 0 ? M_PI_2 / p->drift_days : 0.0;
  g->lo_adv = log(p->advance_share + 1e-9) - log1p(-p->advance_share + 1e-9);
  g->lo_edocs = log(p->edocs_share + 1e-9) - log1p(-p->edocs_share + 1e-9);
  dg_tails(g);
  g->emu_bags = exp(-0.5);
  return g;
}

declgen *declgen_new(const declgen_params *p, uint64_t seed, sim_error *err) {
  if (dg_check(p, err)) return NULL;
  declgen *g = dg_alloc(p);
  gsl_rng *r = gsl_rng_alloc(gsl_rng_mt19937);
  if (!g || !r) {
    free(g), gsl_rng_free(r);
    sim_error_set(err, SIM_ENOMEM, "declgen: out of memory");
    return NULL;
  }
  gsl_rng_set(r, (unsigned long)(seed ^ 0x9e3779b97f4a7c15ULL));
  int rc = dg_build(g, r);
  if (!rc) rc = dg_calibrate(g, r);
  gsl_rng_free(r);
  if (rc) {
    declgen_free(g);
    sim_error_set(err, rc, "declgen: out of memory building the population");
    return NULL;
  }
  return g;
}

void declgen_free(declgen *g) {
  if (!g) return;
  free(g->imp), free(g->decl_z), free(g->org_z), free(g->off_z);
  dg_pick_free(g->imp_pick), dg_pick_free(g->decl_pick), dg_pick_free(g->org_pick);
  dg_pick_free(g->off_pick), dg_pick_free(g->ch_pick);
  free(g);
}

static double dg_tax(double cif, double duty) {
  if (cif <= DG_DE_MINIMIS) return 0.0;
  return cif * duty + DG_CONS_TAX * cif * (1.0 + duty);
}

/* Drug type and amount: meth 1,761 of 2,579 kg seized in 2024 (models/SOURCES.md); the
 * rest of the split est. */
static void dg_drug(const declgen *g, gsl_rng *r, item_truth *t, int pax) {
  double u = rng_uniform(r);
  t->contraband = u < .62 ? CONTRA_METH : u < .82 ? CONTRA_CANNABIS : u < .95 ? CONTRA_COCAINE
                                                                               : CONTRA_HEROIN;
  t->contraband_kg = g->k->drug_kg * exp(rng_gaussian(r, 1.0));
  double v = rng_uniform(r);
  if (pax)
    t->concealment = v < .3 ? CONCEAL_BODY : v < .5 ? CONCEAL_NONE
                   : v < .8 ? CONCEAL_MIXED : CONCEAL_SHIELDED;
  else t->concealment = v < .2 ? CONCEAL_NONE : v < .7 ? CONCEAL_MIXED : CONCEAL_SHIELDED;
}

static void dg_fill_goods(declgen *g, const dg_draft *d, const uint8_t *fr, gsl_rng *r,
                          item *it) {
  const dg_kind *k = g->k;
  const dg_hs *h = &g->hs[d->hs];
  const dg_trader *tr = &g->imp[d->imp];
  item_declaration *dc = &it->decl;
  item_truth *t = &it->truth;
  int q = (int)fmax(1.0, floor(k->q_med * exp(k->q_sd * rng_gaussian(r, 1.0)) + 0.5));
  double sd = rng_uniform(r) < 0.1 ? 1.5 : 0.5; /* heavy tails: odd lots, bundles */
  double uv = exp(h->luv + tr->price + rng_gaussian(r, sd));
  if (fr[DECLGEN_IPR]) uv *= 0.3; /* counterfeits are cheap, and declared as such */
  double fob = q * uv, cif = fob * (1.0 + k->freight);
  double kg = q * exp(h->lkg + rng_gaussian(r, 0.25)) +
              k->pack_kg * exp(rng_gaussian(r, 0.3));
  if (fr[DECLGEN_DRUGS]) dg_drug(g, r, t, 0), kg += t->contraband_kg;
  const dg_hs *dh = fr[DECLGEN_MISCLASSIFIED] ? &g->hs[h->ch * DG_PER_CH + h->cheapest] : h;
  double dcif = cif;
  if (fr[DECLGEN_UNDERVALUED]) {
    int small = g->p.kind == KIND_EXPRESS || g->p.kind == KIND_MAIL;
    if (small && cif > 1.2 * DG_DE_MINIMIS && rng_uniform(r) < 0.5)
      dcif = DG_DE_MINIMIS * gsl_ran_flat(r, 0.6, 0.99); /* just under the de minimis */
    else dcif = cif * gsl_ran_flat(r, 0.4, 0.9);
  }
  int exp_kind = g->p.kind == KIND_EXPORTS;
  dc->hs6 = dh->code;
  dc->origin = d->origin;
  dc->office = d->office;
  dc->importer = d->imp;
  dc->declarant = d->decl;
  dc->quantity = q;
  dc->gross_kg = kg * fmax(0.5, 1.0 + rng_gaussian(r, 0.02));
  dc->fob_jpy = dcif / (1.0 + k->freight);
  dc->cif_jpy = dcif;
  dc->taxes_jpy = exp_kind ? 0.0 : dg_tax(dcif, dh->duty);
  dc->aeo = d->aeo;
  dc->advance_data = d->adv;
  dc->electronic_docs = d->edocs && !(fr[DECLGEN_SMUGGLED] && rng_uniform(r) < 0.5);
  dc->other_agency = dg_chapters[h->ch].food;
  dc->perishable = dg_chapters[h->ch].perish;
  t->undervalued = fr[DECLGEN_UNDERVALUED];
  t->misclassified = fr[DECLGEN_MISCLASSIFIED];
  t->ipr = fr[DECLGEN_IPR];
  t->prohibited_export = fr[DECLGEN_SMUGGLED];
  t->evaded_jpy = exp_kind ? 0.0 : fmax(0.0, dg_tax(cif, h->duty) - dc->taxes_jpy);
  it->mass_kg = kg;
}

static void dg_fill_pax(declgen *g, const dg_draft *d, const uint8_t *fr, gsl_rng *r, item *it) {
  item_passenger *px = &it->pax;
  item_truth *t = &it->truth;
  int in = g->p.kind == KIND_PASSENGERS_IN;
  px->route = d->origin;
  px->trips_12m = (int16_t)d->trips;
  px->bags = (int16_t)d->bags;
  px->baggage_kg = d->bags * 14.0 * exp(rng_gaussian(r, 0.35));
  px->egate_eligible = d->egate;
  px->cashless = d->cashless;
  px->has_dutiable = in && rng_uniform(r) < 0.05;
  px->taxfree_jpy = !in && rng_uniform(r) < 0.3 ? 30000.0 * exp(rng_gaussian(r, 1.2)) : 0;
  if (fr[DECLGEN_UNDERVALUED] && in) { /* undeclared goods; 15% simplified rate, est. */
    px->has_dutiable = rng_uniform(r) < 0.3;
    px->baggage_kg += 2.0 * exp(rng_gaussian(r, 0.5));
    t->evaded_jpy = 0.15 * 60000.0 * exp(rng_gaussian(r, 0.8));
  } else if (fr[DECLGEN_UNDERVALUED]) { /* tax-free goods resold in Japan */
    px->taxfree_jpy = 200000.0 * exp(rng_gaussian(r, 0.8));
    px->baggage_kg *= 0.6;
    t->evaded_jpy = DG_CONS_TAX * px->taxfree_jpy;
  }
  t->undervalued = fr[DECLGEN_UNDERVALUED];
  if (fr[DECLGEN_IPR]) t->ipr = 1, px->baggage_kg += 3.0 * exp(rng_gaussian(r, 0.5));
  if (fr[DECLGEN_DRUGS]) {
    dg_drug(g, r, t, 1);
    px->trips_12m = (int16_t)(px->trips_12m + gsl_ran_poisson(r, 3.0)); /* couriers */
    if (t->concealment != CONCEAL_BODY) px->baggage_kg += t->contraband_kg;
  } else if (fr[DECLGEN_SMUGGLED] && in) { /* gold: ~10 M yen a kg (2024, est.) */
    t->contraband = CONTRA_GOLD;
    t->contraband_kg = 3.0 * exp(rng_gaussian(r, 0.5));
    t->concealment = rng_uniform(r) < 0.5 ? CONCEAL_BODY : CONCEAL_MIXED;
    t->evaded_jpy = DG_CONS_TAX * 1.0e7 * t->contraband_kg;
    px->trips_12m = (int16_t)(px->trips_12m + gsl_ran_poisson(r, 4.0));
    if (t->concealment != CONCEAL_BODY) px->baggage_kg += t->contraband_kg;
  } else if (fr[DECLGEN_SMUGGLED]) { /* cash: a 10,000-yen note weighs about 1 g */
    double yen = 3.0e6 * exp(rng_gaussian(r, 0.7));
    t->contraband = CONTRA_CURRENCY;
    t->contraband_kg = yen / 1.0e7;
    t->concealment = rng_uniform(r) < 0.3 ? CONCEAL_BODY : CONCEAL_MIXED;
  }
  it->mass_kg = px->baggage_kg;
}

void declgen_fill(declgen *g, double day, gsl_rng *r, item *it) {
  dg_draft d;
  uint8_t fr[DECLGEN_FRAUD_N];
  double u0 = g->ahead_r == r ? g->ahead_u : -1;
  g->ahead_r = NULL;
  dg_draw(g, day, r, &d, u0);
  for (int m = 0; m < DECLGEN_FRAUD_N; m++)
    fr[m] = d.elig[m] && dg_fraud(g, &d, m, rng_uniform(r));
  memset(it, 0, sizeof *it);
  it->id = g->next_id++;
  it->kind = (uint8_t)g->p.kind;
  it->arrival_min = day * 1440.0;
  if (dg_is_pax(g->p.kind)) dg_fill_pax(g, &d, fr, r, it);
  else dg_fill_goods(g, &d, fr, r, it);
}

void declgen_fill_ahead(declgen *g, double day, gsl_rng *r, item *it) {
  declgen_fill(g, day, r, it);
  if (dg_is_pax(g->p.kind)) return; /* their first tables are small */
  g->ahead_u = rng_uniform(r);
  g->ahead_r = r;
  const dg_pick *t = g->imp_pick;
  size_t c = (size_t)(g->ahead_u * (double)t->k);
  __builtin_prefetch(&t->e[c]);
  __builtin_prefetch(&g->imp[c]); /* the importer unless the alias decides otherwise */
}

void declgen_history(declgen *g, size_t n, double day0, double day1, gsl_rng *r, item *out) {
  for (size_t i = 0; i < n; i++)
    declgen_fill(g, day0 + (day1 - day0) * ((double)i + 0.5) / (double)n, r, &out[i]);
}

double declgen_illicit_share(const item *items, size_t n) {
  size_t k = 0;
  for (size_t i = 0; i < n; i++) k += item_is_illicit(&items[i]) != 0;
  return n ? (double)k / (double)n : NAN;
}
