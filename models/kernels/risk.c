/* risk: features, target encodings, the boosted model with its online layer, and the
 * "risk" kernel type (see risk.h). */
#include "models/kernels/risk.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "models/declgen.h"
#include "models/kernels/kcache.h"
#include "models/kernels/logreg.h"
#include "models/kernels/risk_internal.h"

#define RISK_NORM_MIN 5.0f               /* rows before an HS norm is trusted */
#define RISK_MAX_KEYS 9

enum { RK_HS6 = 1, RK_HS4, RK_HS2, RK_IMP, RK_DECL, RK_ORIGIN, RK_OFFICE, RK_ORIG_HS2,
       RK_IMP_HS2, RK_ROUTE, RK_ROUTE_EGATE };

static const char *const risk_goods_names[RISK_NFEATURES] = {
    "fob", "cif", "log_unit_value", "log_value_per_kg", "tax_ratio", "quantity",
    "gross_kg", "unit_value_vs_hs", "kg_per_unit_vs_hs", "value_per_kg_vs_hs", "te_hs6",
    "te_hs4", "te_hs2", "te_importer", "n_importer", "te_declarant", "n_declarant",
    "te_origin", "te_office", "te_origin_hs2", "aeo", "advance_data", "electronic_docs",
    "other_agency", "perishable", "te_importer_hs2"};
static const char *const risk_pax_names[RISK_NFEATURES] = {
    "trips_12m", "bags", "baggage_kg", "kg_per_bag", "taxfree", "egate", "cashless",
    "has_dutiable", "te_route", "n_route", "te_route_egate"};

void risk_params_default(risk_params *p) {
  gbt_params_default(&p->gbt);
  p->te_prior_n = 20.0;
  p->te_half_life_days = 0.0;
  p->online = 1;
  p->online_lr = 0.2;
  p->uv_head = 1;
}

const char *risk_feature_name(int kind, int f) {
  if (f < 0 || f >= RISK_NFEATURES) return "?";
  int pax = kind == KIND_PASSENGERS_IN || kind == KIND_PASSENGERS_OUT;
  const char *s = pax ? risk_pax_names[f] : risk_goods_names[f];
  return s ? s : "unused";
}

/* ---- keys and the encoding table ---- */

static uint64_t risk_mix(uint64_t x) { /* splitmix64 finalizer */
  x ^= x >> 30, x *= 0xbf58476d1ce4e5b9ULL;
  x ^= x >> 27, x *= 0x94d049bb133111ebULL;
  return x ^ (x >> 31);
}

static uint64_t risk_key(int tag, int kind, int32_t a, int32_t b) {
  uint64_t raw = (uint64_t)tag << 56 | (uint64_t)(kind & 0xff) << 48 |
                 (uint64_t)(uint16_t)b << 32 | (uint32_t)a;
  uint64_t k = risk_mix(raw);
  return k ? k : 1;
}

static int risk_is_pax(const item *it) {
  return it->kind == KIND_PASSENGERS_IN || it->kind == KIND_PASSENGERS_OUT;
}

/* The keys an item is encoded by; returns how many. */
static int risk_keys(const item *it, uint64_t *k) {
  int kind = it->kind;
  if (risk_is_pax(it)) {
    k[0] = risk_key(RK_ROUTE, kind, it->pax.route, 0);
    k[1] = risk_key(RK_ROUTE_EGATE, kind, it->pax.route, it->pax.egate_eligible);
    return 2;
  }
  const item_declaration *d = &it->decl;
  int hs2 = d->hs6 / 10000;
  k[0] = risk_key(RK_HS6, kind, d->hs6, 0);
  k[1] = risk_key(RK_HS4, kind, d->hs6 / 100, 0);
  k[2] = risk_key(RK_HS2, kind, hs2, 0);
  k[3] = risk_key(RK_IMP, kind, d->importer, 0);
  k[4] = risk_key(RK_DECL, kind, d->declarant, 0);
  k[5] = risk_key(RK_ORIGIN, kind, d->origin, 0);
  k[6] = risk_key(RK_OFFICE, kind, d->office, 0);
  k[7] = risk_key(RK_ORIG_HS2, kind, d->origin, hs2);
  k[8] = risk_key(RK_IMP_HS2, kind, d->importer, hs2);
  return RISK_MAX_KEYS;
}

/* The fading factor of entry e at day (1 without a half-life). */
static double risk_fade(const risk_model *m, const risk_entry *e, double day) {
  double h = m->p.te_half_life_days;
  if (!(h > 0)) return 1.0;
  double last = m->day[e - m->e];
  return day > last ? exp2(-(day - last) / h) : 1.0;
}

/* Smoothed rate of key at day; *count gets the faded label count. */
static float risk_te(const risk_model *m, uint64_t key, double day, float *count) {
  const risk_entry *e = risk_find(m, key);
  double f = e ? risk_fade(m, e, day) : 0.0, n = e ? e->n * f : 0.0, s = e ? e->s * f : 0.0;
  if (count) *count = (float)n;
  return (float)((s + m->p.te_prior_n * m->prior) / (n + m->p.te_prior_n));
}

static void risk_te_add(risk_model *m, uint64_t key, double day, int y) {
  risk_entry *e = risk_slot(m, key);
  if (!e) return;
  double f = risk_fade(m, e, day);
  e->n = (float)(e->n * f + 1.0);
  e->s = (float)(e->s * f + (y != 0));
  if (m->day && day > m->day[e - m->e]) m->day[e - m->e] = (float)day;
}

/* ---- features ---- */

/* Log unit value, kg per unit and value per kg (float math: scoring speed). */
static void risk_logs(const item *it, double v[3]) {
  const item_declaration *d = &it->decl;
  float q = d->quantity > 0 ? (float)d->quantity : 1.0f, kg = (float)d->gross_kg + 1e-3f;
  v[0] = logf(((float)d->fob_jpy + 1.0f) / q);
  v[1] = logf(kg / q);
  v[2] = logf(((float)d->cif_jpy + 1.0f) / kg);
}

/* The norm of the most specific HS level with enough rows. */
static void risk_norm(const risk_model *m, const uint64_t *k, double out[3]) {
  for (int lvl = 0; lvl < 3; lvl++) {
    const risk_norm_entry *e = risk_nfind(m, k[lvl]);
    if (e && e->nn >= RISK_NORM_MIN) {
      out[0] = e->luv / e->nn, out[1] = e->lkpu / e->nn, out[2] = e->lvpk / e->nn;
      return;
    }
  }
  memcpy(out, m->glob, sizeof m->glob);
}

static void risk_features_pax(const risk_model *m, const item *it, const uint64_t *k,
                              double day, float *x) {
  const item_passenger *p = &it->pax;
  x[0] = p->trips_12m, x[1] = p->bags, x[2] = (float)p->baggage_kg;
  x[3] = (float)(p->baggage_kg / (p->bags > 0 ? p->bags : 1));
  x[4] = (float)p->taxfree_jpy, x[5] = p->egate_eligible, x[6] = p->cashless;
  x[7] = p->has_dutiable;
  x[8] = risk_te(m, k[0], day, &x[9]);
  x[10] = risk_te(m, k[1], day, NULL);
}

/* The features from the item's keys k (risk_keys, nk of them). */
static void risk_features_k(const risk_model *m, const item *it, const uint64_t *k, int nk,
                            float *x) {
  for (int i = 0; i < nk; i++) /* the table is large: start every miss at once */
    __builtin_prefetch(&m->e[k[i] & m->mask]);
  double day = it->arrival_min / 1440.0;
  if (risk_is_pax(it)) {
    memset(x, 0, RISK_NFEATURES * sizeof *x);
    risk_features_pax(m, it, k, day, x);
    return;
  }
  _Static_assert(RISK_NFEATURES == 26, "a declaration sets every feature below");
  const item_declaration *d = &it->decl;
  double lg[3], nm[3];
  risk_logs(it, lg);
  risk_norm(m, k, nm);
  /* trees only compare: monotone transforms (logs of raw values) would change nothing */
  x[0] = (float)d->fob_jpy, x[1] = (float)d->cif_jpy, x[2] = (float)lg[0];
  x[3] = (float)lg[2], x[4] = (float)(d->taxes_jpy / (d->cif_jpy + 1.0));
  x[5] = (float)d->quantity, x[6] = (float)d->gross_kg;
  x[7] = (float)(lg[0] - nm[0]), x[8] = (float)(lg[1] - nm[1]), x[9] = (float)(lg[2] - nm[2]);
  x[10] = risk_te(m, k[0], day, NULL), x[11] = risk_te(m, k[1], day, NULL);
  x[12] = risk_te(m, k[2], day, NULL);
  x[13] = risk_te(m, k[3], day, &x[14]);
  x[15] = risk_te(m, k[4], day, &x[16]);
  x[17] = risk_te(m, k[5], day, NULL), x[18] = risk_te(m, k[6], day, NULL);
  x[19] = risk_te(m, k[7], day, NULL);
  x[20] = d->aeo, x[21] = d->advance_data, x[22] = d->electronic_docs;
  x[23] = d->other_agency, x[24] = d->perishable;
  x[25] = risk_te(m, k[8], day, NULL);
}

void risk_model_features(const risk_model *m, const item *it, float *x) {
  uint64_t k[RISK_MAX_KEYS];
  int nk = risk_keys(it, k);
  risk_features_k(m, it, k, nk, x);
}

/* Adds an item's label to every encoding it belongs to. */
static void risk_add_label(risk_model *m, const item *it, int y) {
  uint64_t k[RISK_MAX_KEYS];
  int nk = risk_keys(it, k);
  double day = it->arrival_min / 1440.0;
  for (int i = 0; i < nk; i++) risk_te_add(m, k[i], day, y);
}

/* Value norms per HS6, HS4 and HS2 from the training rows (label-free). */
static void risk_add_norms(risk_model *m, const item *items, size_t n) {
  double sum[3] = {0, 0, 0};
  size_t cnt = 0;
  for (size_t i = 0; i < n; i++) {
    if (risk_is_pax(&items[i])) continue;
    uint64_t k[RISK_MAX_KEYS];
    double lg[3];
    risk_keys(&items[i], k);
    risk_logs(&items[i], lg);
    for (int lvl = 0; lvl < 3; lvl++) {
      risk_norm_entry *e = risk_nslot(m, k[lvl]);
      if (!e) continue;
      e->nn += 1.0f, e->luv += (float)lg[0], e->lkpu += (float)lg[1], e->lvpk += (float)lg[2];
    }
    for (int j = 0; j < 3; j++) sum[j] += lg[j];
    cnt++;
  }
  for (int j = 0; j < 3; j++) m->glob[j] = cnt ? sum[j] / (double)cnt : 0.0;
}

/* ---- training ---- */

typedef struct risk_rows { float *x, *xv; uint8_t *y, *yv, *yu, *yuv; } risk_rows;

static void risk_rows_free(risk_rows *r) {
  free(r->x), free(r->xv), free(r->y), free(r->yv), free(r->yu), free(r->yuv);
}

static int risk_rows_alloc(risk_rows *r, size_t n, size_t nv) {
  memset(r, 0, sizeof *r);
  r->x = malloc(n * RISK_NFEATURES * sizeof *r->x);
  r->y = malloc(n), r->yu = malloc(n);
  r->xv = malloc((nv ? nv : 1) * RISK_NFEATURES * sizeof *r->xv);
  r->yv = malloc(nv ? nv : 1), r->yuv = malloc(nv ? nv : 1);
  return r->x && r->y && r->yu && r->xv && r->yv && r->yuv ? SIM_OK : SIM_ENOMEM;
}

/* Ordered target statistics: each training row is encoded with the labels of the
 * rows before it only, then adds its own; validation rows see all training labels. */
static void risk_encode(risk_model *m, const item *train, size_t n, const item *valid,
                        size_t nv, risk_rows *r) {
  size_t pos = 0;
  for (size_t i = 0; i < n; i++) pos += item_is_illicit(&train[i]) != 0;
  m->prior = (double)pos / (double)n;
  risk_add_norms(m, train, n);
  for (size_t i = 0; i < n; i++) {
    r->y[i] = item_is_illicit(&train[i]) != 0;
    r->yu[i] = train[i].truth.undervalued != 0;
    risk_model_features(m, &train[i], r->x + i * RISK_NFEATURES);
    risk_add_label(m, &train[i], r->y[i]);
  }
  for (size_t i = 0; i < nv; i++) {
    r->yv[i] = item_is_illicit(&valid[i]) != 0;
    r->yuv[i] = valid[i].truth.undervalued != 0;
    risk_model_features(m, &valid[i], r->xv + i * RISK_NFEATURES);
  }
}

static int risk_any(const uint8_t *y, size_t n) {
  for (size_t i = 0; i < n; i++)
    if (y[i]) return 1;
  return 0;
}

risk_model *risk_model_train(const risk_params *p, const item *train, size_t n,
                             const item *valid, size_t nv, sim_error *err) {
  if (!train || n < 2 || (nv && !valid) || !(p->te_prior_n > 0) ||
      !(p->te_half_life_days >= 0) || !(p->online_lr > 0)) {
    sim_error_set(err, SIM_EINVAL, "risk: bad training set or parameters");
    return NULL;
  }
  risk_model *m = calloc(1, sizeof *m);
  risk_rows r;
  int rc = risk_rows_alloc(&r, n, nv);
  if (m) m->p = *p, rc = rc ? rc : risk_table_init(m, 4096);
  if (m) m->nmask = 255, m->ne = calloc(m->nmask + 1, sizeof *m->ne);
  if (!m || !m->ne || rc) {
    risk_rows_free(&r), risk_model_free(m);
    sim_error_set(err, SIM_ENOMEM, "risk: out of memory for %zu training rows", n);
    return NULL;
  }
  risk_encode(m, train, n, valid, nv, &r);
  /* the table grows (doubling) as online learning adds keys: memory follows the keys
   * actually seen */
  m->main = gbt_train(&p->gbt, r.x, r.y, n, RISK_NFEATURES, r.xv, r.yv, nv, err);
  if (m->main && p->uv_head && risk_any(r.yu, n))
    m->uv = gbt_train(&p->gbt, r.x, r.yu, n, RISK_NFEATURES, r.xv, r.yuv, nv, err);
  if (m->main && (!p->uv_head || m->uv || !risk_any(r.yu, n)))
    m->layer = logreg_new(18, p->online_lr, 1e-4, err);
  risk_rows_free(&r);
  if (!m->layer) {
    sim_error_wrap(err, "risk: training");
    risk_model_free(m);
    return NULL;
  }
  return m;
}

void risk_model_free(risk_model *m) {
  if (!m) return;
  gbt_free(m->main), gbt_free(m->uv), logreg_free(m->layer);
  free(m->e), free(m->day), free(m->ne);
  free(m);
}

/* ---- scoring and online learning ---- */

static double risk_sigmoid(double z) { return 1.0 / (1.0 + exp(-z)); }

/* The identities the online layer learns: all encoding keys but HS2 (too coarse). */
static int risk_layer_keys(const item *it, uint64_t *k) {
  int nk = risk_keys(it, k);
  if (nk < RISK_MAX_KEYS) return nk;
  k[2] = k[8];
  return nk - 1;
}

/* The keys of the online layer from the item's keys (risk_layer_keys without hashing
 * them again): all but HS2. */
static int risk_layer_keys_of(const uint64_t *k, int nk, uint64_t *out) {
  memcpy(out, k, (size_t)nk * sizeof *k);
  if (nk < RISK_MAX_KEYS) return nk;
  out[2] = out[8];
  return nk - 1;
}

double risk_model_score(const risk_model *m, const item *it) {
  float x[RISK_NFEATURES];
  uint64_t k[RISK_MAX_KEYS], lk[RISK_MAX_KEYS];
  int nk = risk_keys(it, k), nl = 0;
  int layer = m->p.online && logreg_updates(m->layer);
  if (layer) { /* the layer's weights are fetched while the trees run */
    nl = risk_layer_keys_of(k, nk, lk);
    logreg_prefetch(m->layer, lk, nl);
  }
  risk_features_k(m, it, k, nk, x);
  double z = gbt_margin(m->main, x);
  if (layer) z = logreg_margin(m->layer, z, lk, nl);
  return risk_sigmoid(z);
}

double risk_model_score_uv(const risk_model *m, const item *it) {
  if (!m->uv) return NAN;
  float x[RISK_NFEATURES];
  risk_model_features(m, it, x);
  return risk_sigmoid(gbt_margin(m->uv, x));
}

double risk_model_price_score(const risk_model *m, const item *it) {
  if (risk_is_pax(it)) return 0.0;
  uint64_t k[RISK_MAX_KEYS];
  double lg[3], nm[3];
  risk_keys(it, k);
  risk_logs(it, lg);
  risk_norm(m, k, nm);
  return nm[0] - lg[0];
}

void risk_model_learn(risk_model *m, const item *it, int illicit) {
  if (!m->p.online) return;
  float x[RISK_NFEATURES];
  uint64_t k[RISK_MAX_KEYS];
  risk_model_features(m, it, x);
  logreg_update(m->layer, gbt_margin(m->main, x), k, risk_layer_keys(it, k), illicit);
  risk_add_label(m, it, illicit);
}

int risk_model_trees(const risk_model *m) { return gbt_trees(m->main); }

void risk_model_importance(const risk_model *m, double *gain) { gbt_importance(m->main, gain); }

/* ---- the kernel ---- */

enum { RP_TREES, RP_DEPTH, RP_LR, RP_HISTORY_N, RP_HISTORY_DAYS, RP_ONLINE, RP_KIND,
       RP_FRAUD_SCALE, RP_DRIFT_DAYS, RP_HALF_LIFE, RP_N };

static const kernel_param risk_kparams[RP_N] = {
    {.name = "trees", .def = 100, .min = 1, .max = 2000,
     .help = "boosting rounds (trees of the model)"},
    {.name = "depth", .def = 4, .min = 1, .max = GBT_MAX_DEPTH, .help = "depth of each tree"},
    {.name = "learning_rate", .def = 0.1, .min = 0.001, .max = 1, .help = "shrinkage of each tree"},
    {.name = "history_n", .def = 100000, .min = 1000, .max = 5e6,
     .help = "declarations in the generated training history"},
    {.name = "history_days", .def = 365, .min = 1, .max = 3650,
     .help = "days the history spans before the run start"},
    {.name = "online", .def = 1, .min = 0, .max = 1,
     .help = "1: learn from inspection outcomes during the run"},
    {.name = "kind", .def = 0, .min = 0, .max = KIND_N - 1,
     .help = "channel of the history: 0 auto (a model per item kind, trained on its first "
         "item), 1 passengers_in, 2 passengers_out, 3 express, 4 mail, 5 air_cargo, 6 "
         "sea_containers, 7 exports (trained at create)"},
    {.name = "fraud_scale", .def = 1, .min = 0, .max = 1000,
     .help = "multiplier on the generator's default fraud rates"},
    {.name = "drift_days", .def = 0, .min = 0, .max = 1e5,
     .help = "generator drift (declgen_params.drift_days)"},
    {.name = "half_life_days", .def = 0, .min = 0, .max = 1e5,
     .help = "target encodings fade with this half-life (0: never)"},
};

/* One model per item kind: a station may screen several channels. */
typedef struct risk_kstate {
  risk_params p;
  double kp[RP_N];
  uint64_t seed;
  char *dir;            /* the cache folder, or NULL */
  risk_model *m[KIND_N];
  uint8_t failed[KIND_N];
} risk_kstate;

static int risk_history(const double *kp, int kind, uint64_t seed, const char *dir, item **out,
                        size_t *n, sim_error *e) {
  declgen_params gp;
  if (declgen_params_default(kind, &gp))
    return sim_error_set(e, SIM_EINVAL, "risk: items of kind %d have no generator to learn from",
                         kind);
  for (int f = 0; f < DECLGEN_FRAUD_N; f++) gp.rate[f] = fmin(0.5, gp.rate[f] * kp[RP_FRAUD_SCALE]);
  gp.drift_days = kp[RP_DRIFT_DAYS];
  declgen *g = declgen_new_cached(&gp, seed, dir, e);
  gsl_rng *r = gsl_rng_alloc(gsl_rng_mt19937);
  *n = (size_t)kp[RP_HISTORY_N];
  *out = malloc(*n * sizeof **out);
  if (!g || !r || !*out) {
    declgen_free(g), gsl_rng_free(r), free(*out);
    return e->code ? e->code : sim_error_set(e, SIM_ENOMEM, "risk: out of memory");
  }
  gsl_rng_set(r, (unsigned long)(seed * 0x2545f4914f6cdd1dULL + 17 + (uint64_t)kind));
  declgen_history(g, *n, -kp[RP_HISTORY_DAYS], 0.0, r, *out);
  declgen_free(g), gsl_rng_free(r);
  return SIM_OK;
}

/* The model for a kind, trained on its generated history if not yet done. */
static int risk_kind_model(risk_kstate *s, int kind, sim_error *e) {
  if (kind < 0 || kind >= KIND_N)
    return sim_error_set(e, SIM_EINVAL, "risk: bad item kind %d", kind);
  if (s->m[kind]) return SIM_OK;
  if (s->failed[kind]) return SIM_EINVAL;
  kc_buf key = {0};
  if (s->dir) risk_cache_key(s->kp, RP_N, kind, s->seed, &key);
  if (s->dir && (s->m[kind] = risk_cache_load(s->dir, &key, &s->p))) {
    kc_buf_free(&key);
    return SIM_OK;
  }
  item *hist = NULL;
  size_t n = 0;
  int rc = risk_history(s->kp, kind, s->seed, s->dir, &hist, &n, e);
  if (!rc) { /* the last fifth of the history chooses the tree count */
    size_t nt = n - n / 5;
    s->m[kind] = risk_model_train(&s->p, hist, nt, hist + nt, n - nt, e);
    rc = s->m[kind] ? SIM_OK : e->code;
  }
  if (!rc && s->dir) risk_cache_store(s->dir, &key, s->m[kind]);
  kc_buf_free(&key);
  free(hist);
  s->failed[kind] = rc != SIM_OK;
  return rc;
}

static void risk_kernel_free(void *state) {
  risk_kstate *s = state;
  for (int k = 0; s && k < KIND_N; k++) risk_model_free(s->m[k]);
  if (s) free(s->dir);
  free(s);
}

static int risk_kernel_new(void **state, const double *kp, const kernel_opts *opts,
                           sim_error *err) {
  risk_kstate *s = calloc(1, sizeof *s);
  if (!s) return sim_error_set(err, SIM_ENOMEM, "risk: out of memory");
  risk_params_default(&s->p);
  s->p.gbt.trees = (int)kp[RP_TREES], s->p.gbt.depth = (int)kp[RP_DEPTH];
  s->p.gbt.learning_rate = kp[RP_LR], s->p.gbt.seed = opts->seed;
  s->p.online = kp[RP_ONLINE] != 0, s->p.te_half_life_days = kp[RP_HALF_LIFE];
  memcpy(s->kp, kp, sizeof s->kp);
  s->seed = opts->seed;
  if (opts->cache_dir && *opts->cache_dir && !(s->dir = strdup(opts->cache_dir))) {
    risk_kernel_free(s);
    return sim_error_set(err, SIM_ENOMEM, "risk: out of memory");
  }
  int rc = kp[RP_KIND] > 0 ? risk_kind_model(s, (int)kp[RP_KIND], err) : SIM_OK;
  if (rc) {
    risk_kernel_free(s);
    return rc;
  }
  *state = s;
  return SIM_OK;
}

/* Items of a kind without a generator (generic) score 0. */
static int risk_decide(void *state, const item *it, gsl_rng *r, kernel_verdict *v) {
  (void)r; /* scoring is deterministic */
  risk_kstate *s = state;
  v->alarm = 0; /* selection is by policy (models/selection.h) */
  v->time_s = 0.0;
  v->score = 0.0;
  sim_error e; /* not zeroed whole: 644 bytes an item, read only if a model fails */
  e.code = 0, e.msg[0] = 0;
  int rc = risk_kind_model(s, it->kind, &e);
  if (!rc) v->score = risk_model_score(s->m[it->kind], it);
  return rc;
}

static void risk_learn(void *state, const item *it, int illicit) {
  risk_kstate *s = state;
  if (it->kind < KIND_N && s->m[it->kind]) risk_model_learn(s->m[it->kind], it, illicit);
}

const char *risk_stamp(void) { return __DATE__ " " __TIME__; }

const risk_model *risk_kernel_model(const void *state, int kind) {
  return kind >= 0 && kind < KIND_N ? ((const risk_kstate *)state)->m[kind] : NULL;
}

double risk_kernel_uv_score(const void *state, const item *it) {
  const risk_model *m = risk_kernel_model(state, it->kind);
  return m ? risk_model_score_uv(m, it) : NAN;
}

const kernel_type kernel_risk_type = {
    .name = "risk",
    .help = "risk targeting: boosted trees on declaration features, trained on a generated "
    "history (same seed as the channels), updated online from inspection outcomes; "
    "score in [0, 1], alarm always 0 (select by policy)",
    .params = risk_kparams,
    .nparams = RP_N,
    .new = risk_kernel_new,
    .decide = risk_decide,
    .learn = risk_learn,
    .free = risk_kernel_free,
};
