/* xray: dual-energy X-ray kernel (see xray.h): the parameter table, the state's life
 * cycle and queries, and the kernel_type glue (surrogate table and calibration cache).
 * The physics, items, detection and learning live in xray_*.c (xray_internal.h). */
#include "models/kernels/xray.h"

#include <math.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <gsl/gsl_cdf.h>

#include "models/kernels/surrogate.h"
#include "models/kernels/surrogate_cache.h"
#include "models/kernels/xray_internal.h"
#include "sim/error.h"

static const kernel_param xray_params[P_N] = {
    {.name = "kvp", .def = 160, .min = 80, .max = 450,
     .help = "tube voltage for parcels, bags and air cargo, kV"},
    {.name = "container_kvp", .def = 800, .min = 160, .max = 800,
     .help = "tube voltage for sea containers, kV (xraylib stops near 800 keV; real container "
         "scanners use 4-9 MV)"},
    {.name = "photons_per_pixel", .def = 1e5, .min = 1e3, .max = 1e9,
     .help = "I0: photons per pixel entering a parcel"},
    {.name = "container_photons_per_pixel", .def = 1e8, .min = 1e3, .max = 1e11,
     .help = "I0 for sea containers"},
    {.name = "pixels", .def = 128, .min = 32, .max = 512,
     .help = "image side in pixels (rounded down to even)"},
    /* the score ranks an item among clean reference items of its kind group */
    {.name = "threshold", .def = 0.96, .min = 0, .max = 1,
     .help = "alarm at this score; about 1 - threshold of clean items of each kind alarm "
         "(false-alarm rate)"},
    /* a 60 cm parcel plus gap on a 0.2 m/s belt (assumption) */
    {.name = "scan_s", .def = 6, .min = 0, .max = 600, .help = "belt time per parcel or bag, s"},
    /* about 10 min a container (Japan Customs; scenarios/README.md, tokyo_port) */
    {.name = "container_scan_s", .def = 600, .min = 0, .max = 7200,
     .help = "scan time per container, s"},
    {.name = "review_s", .def = 10, .min = 0, .max = 600,
     .help = "extra operator time on an alarm image, s"},
    /* The hydrochloride salts read 9-10.5 alone (power law: meth 9.9, cocaine 8.8) and up
     * to ~11 as a layer over goods, whose filtering hardens the beam; water (7.4) and
     * glass (11.6) bound the window. Heroin base (6.3) is inside the organics. */
    {.name = "zeff_lo", .def = 7.8, .min = 1, .max = 40,
     .help = "drug window of the rule: lowest Z_eff"},
    {.name = "zeff_hi", .def = 11.5, .min = 1, .max = 40,
     .help = "drug window of the rule: highest Z_eff"},
    {.name = "rule_g", .def = 50, .min = 0, .max = 1e7,
     .help = "rule: least estimated object mass, g"},
    {.name = "opaque_cm2", .def = 100, .min = 0, .max = 1e6,
     .help = "alarm on an opaque area this large (parcels, bags), cm2"},
    {.name = "energy_bins", .def = 24, .min = 8, .max = NB_MAX,
     .help = "energy bins of the physics tables"},
    {.name = "train_items", .def = 4000, .min = 20, .max = 20000,
     .help = "synthetic items to train the parcel classifier, a quarter per kind (containers: "
         "a quarter), and as many clean reference items"},
    {.name = "calib_per_cell", .def = 20, .min = 1, .max = 1e5,
     .help = "surrogate mode: items per contraband cell"},
    {.name = "calib_clean", .def = 400, .min = 1, .max = 1e6,
     .help = "surrogate mode: clean items per item kind"},
};

/* ---- life cycle and queries ---- */

static int alloc_scratch(xray *x) {
  size_t nn = (size_t)x->n * x->n, mm = (size_t)x->m * x->m;
  x->psize = 1;
  while (x->psize < 4 * mm) x->psize *= 2;
  x->stk = malloc(nn * sizeof *x->stk);
  x->hb = malloc(mm * sizeof *x->hb), x->lb = malloc(mm * sizeof *x->lb);
  x->lab = malloc(mm * sizeof *x->lab), x->cflag = malloc(mm);
  x->rb = malloc(mm * sizeof *x->rb);
  x->par = malloc(mm * sizeof *x->par), x->comp = malloc(mm * sizeof *x->comp);
  x->cpar = malloc(mm * sizeof *x->cpar), x->cs = malloc(mm * sizeof *x->cs);
  x->bnd = malloc(4 * mm * sizeof *x->bnd), x->pr = malloc(2 * mm * sizeof *x->pr);
  x->ptab = calloc(x->psize, sizeof *x->ptab);
  x->sv = malloc(MAXSTK * sizeof *x->sv);
  x->sflag = malloc(MAXSTK), x->bt = malloc(4 * (size_t)x->m * sizeof *x->bt);
  x->hkey = malloc(HSIZE * sizeof *x->hkey), x->hval = malloc(HSIZE * sizeof *x->hval);
  x->hgen = calloc(HSIZE, sizeof *x->hgen);
  int ok = x->stk && x->rb && x->hb && x->lb && x->lab && x->cflag && x->par && x->comp &&
           x->cpar && x->cs && x->bnd && x->pr && x->ptab &&
           x->sv && x->sflag && x->bt && x->hkey && x->hval && x->hgen;
  return ok ? 0 : SIM_ENOMEM;
}

static void free_scratch(xray *x) {
  void *v[] = {x->rb,  x->stk,  x->hb,   x->lb,   x->lab,  x->cflag, x->par,
               x->comp, x->cpar, x->cs,   x->bnd,  x->pr,   x->ptab,
               x->sv, x->sflag, x->bt, x->hkey, x->hval, x->hgen};
  for (size_t i = 0; i < sizeof v / sizeof *v; i++) free(v[i]);
}

/* The drug library of a scale: how each drug reads alone (a slab of a typical mass
 * thickness), kept if that reading falls inside the drug window. */
static void library(xray *x, int s) {
  phys *p = &x->ph[s];
  double tau[NB_MAX], t[2], sd[2], g = s ? 15.0 : 3.0;
  p->nlib = 0;
  for (int m = XRAY_MAT_METH; m <= XRAY_MAT_HEROIN; m++) {
    for (int b = 0; b < p->nb; b++) tau[b] = p->mu[m][b] * g;
    xray_layers(p, tau, t, sd);
    double h = -log(t[1]), z = xray_zinv(p, h, log(t[0]) / log(t[1]), NULL);
    if (z >= x->prm[P_ZLO] && z <= x->prm[P_ZHI])
      p->libc[p->nlib] = (uint8_t)(CONTRA_METH + m - XRAY_MAT_METH), p->zlib[p->nlib++] = z;
  }
  if (!p->nlib) p->zlib[0] = 0.5 * (x->prm[P_ZLO] + x->prm[P_ZHI]); /* features only */
}

/* A state with its parameters, scratch and physics tables, not yet trained. */
static int setup(xray **out, const double *params, sim_error *err) {
  *out = NULL;
  xray *x = calloc(1, sizeof *x);
  if (!x) return sim_error_set(err, SIM_ENOMEM, "xray: out of memory");
  int rc = 0;
  for (int i = 0; i < P_N && !rc; i++) {
    double v = x->prm[i] = params ? params[i] : xray_params[i].def;
    if (!(v >= xray_params[i].min && v <= xray_params[i].max))
      rc = sim_error_set(err, SIM_EINVAL, "xray: %s = %g out of [%g, %g]", xray_params[i].name,
                         v, xray_params[i].min, xray_params[i].max);
  }
  if (!rc && x->prm[P_ZLO] >= x->prm[P_ZHI])
    rc = sim_error_set(err, SIM_EINVAL, "xray: zeff_lo must be below zeff_hi");
  if (!rc) x->n = (int)x->prm[P_PIX] & ~1, x->m = x->n / 2;
  if (!rc && (rc = alloc_scratch(x))) sim_error_set(err, rc, "xray: out of memory");
  x->simd = xray_simd_available();
  for (int k = 0; k < NQ; k++) x->q[k] = (float)gsl_cdf_ugaussian_Pinv((k + 0.5) / NQ);
  for (int k = 0; k < 128; k++)
    x->lnt[k][0] = (float)log1p(k / 128.0), x->lnt[k][1] = (float)(1 / (1 + k / 128.0));
  for (int s = 0; s < XRAY_NSCALES && !rc; s++) {
    phys *p = &x->ph[s];
    p->nb = (int)x->prm[P_BINS], p->i0 = x->prm[s ? P_CI0 : P_I0];
    rc = xray_spectra(p, x->prm[s ? P_CKVP : P_KVP], s, err);
    if (!rc) rc = xray_calibrate(p, err);
    if (!rc) library(x, s);
    int nk = s ? 1 : NKG, per = (int)fmax(1, x->prm[P_TRAIN] / 4);
    if (!rc && (rc = xray_model_alloc(&p->cls, nk, nk * per, per)))
      sim_error_set(err, rc, "xray: out of memory");
  }
  if (rc) return xray_free(x), rc;
  *out = x;
  return 0;
}

/* Parallel training: the scales share nothing they write. Scale s reads its own
 * physics (ph[s]), draws from its own stream (seeded from seed and s) and writes only
 * its own classifier (ph[s].cls); the images are made in scratch buffers. So a helper
 * thread trains the container scale on a copy of the state with scratch of its own
 * (the copy's classifier points at the same reference arrays, which only that thread
 * fills), while the calling thread trains the parcel scale; then the container
 * classifier's fitted values are copied back. The models are the same bit for bit as
 * when the scales train one after the other, whatever the timing. */
typedef struct train_job {
  xray *x;
  int scale, rc;
  uint64_t seed;
  sim_error err;
} train_job;

static void *train_job_run(void *arg) {
  train_job *j = arg;
  j->rc = xray_train(j->x, j->scale, j->seed, &j->err);
  return NULL;
}

static int cores(void) {
  long n = sysconf(_SC_NPROCESSORS_ONLN);
  return n < 1 ? 1 : (int)n;
}

int xray_train_all(xray *x, uint64_t seed, int threads, sim_error *err) {
  int rc = 0;
  xray *w = threads > 1 ? malloc(sizeof *w) : NULL;
  pthread_t th;
  train_job job = {.x = w, .scale = XRAY_NSCALES - 1, .seed = seed};
  if (w) {
    *w = *x; /* parameters, tables and classifiers; then scratch of its own */
    if (alloc_scratch(w)) free_scratch(w), free(w), w = NULL;
  }
  if (w && pthread_create(&th, NULL, train_job_run, &job)) free_scratch(w), free(w), w = NULL;
  int nserial = w ? XRAY_NSCALES - 1 : XRAY_NSCALES;
  for (int s = 0; s < nserial && !rc; s++) rc = xray_train(x, s, seed, err);
  if (!w) return rc;
  pthread_join(th, NULL);
  x->ph[job.scale].cls = w->ph[job.scale].cls;
  free_scratch(w), free(w);
  if (!rc && job.rc && (rc = job.rc) && err) *err = job.err;
  return rc;
}

static int train_all(xray *x, uint64_t seed, sim_error *err) {
  return xray_train_all(x, seed, cores(), err);
}

int xray_new(xray **out, const double *params, uint64_t seed, sim_error *err) {
  int rc = setup(out, params, err);
  if (!rc && (rc = train_all(*out, seed, err))) xray_free(*out), *out = NULL;
  return rc;
}

void xray_free(xray *x) {
  if (!x) return;
  free_scratch(x);
  for (int s = 0; s < XRAY_NSCALES; s++) xray_model_free(&x->ph[s].cls);
  surrogate_free(x->sur);
  free(x);
}

int xray_decide(xray *x, const item *it, gsl_rng *r, kernel_verdict *v) {
  int rc = 0, scale = xray_geom(it->kind)->scale;
  v->score = xray_scan(x, it, r, NULL, NULL, &rc);
  v->alarm = v->score >= x->prm[P_THR];
  v->time_s = x->prm[scale ? P_CSCAN : P_SCAN] + (v->alarm ? x->prm[P_REVIEW] : 0);
  return rc;
}

const surrogate *xray_surrogate(const xray *x) { return x->sur; }
static int ok_bin(const xray *x, int scale, size_t bin) {
  return scale >= 0 && scale < XRAY_NSCALES && bin < (size_t)x->ph[scale].nb;
}
size_t xray_nbins(const xray *x, int scale) {
  return ok_bin(x, scale, 0) ? (size_t)x->ph[scale].nb : 0;
}
double xray_bin_kev(const xray *x, int scale, size_t bin) {
  return ok_bin(x, scale, bin) ? x->ph[scale].kev[bin] : NAN;
}
double xray_mu(const xray *x, int scale, int material, size_t bin) {
  return ok_bin(x, scale, bin) && material >= 0 && material < XRAY_MAT_N
             ? x->ph[scale].mu[material][bin]
             : NAN;
}

/* ---- the kernel ---- */

/* Surrogate table: representative kinds (generic and exports read as express, mail,
 * bags, air cargo, containers), the drugs, cannabis and gold; firearms and currency
 * read as clean there; body concealment is outside the bag, so clean too. */
static const uint8_t sk_kinds[] = {KIND_EXPRESS, KIND_MAIL, KIND_PASSENGERS_IN, KIND_AIR_CARGO,
                                   KIND_SEA_CONTAINERS};
static const uint8_t sk_contra[] = {CONTRA_METH, CONTRA_COCAINE, CONTRA_HEROIN, CONTRA_CANNABIS,
                                    CONTRA_GOLD};
static const double sk_edges[] = {0.01, 0.1, 1, 10, 100};
static const uint8_t sk_conceal[] = {CONCEAL_NONE, CONCEAL_MIXED, CONCEAL_SHIELDED};

/* The cache (surrogate_cache.h) holds the surrogate table, or in full mode only the
 * trained classifier, with the classifier's values as the entry's aux values. Its key
 * adds to the parameters and seed a digest of the physics tables (xraylib's data and
 * libm's results enter the outcomes through them) and XRAY_OUTCOME_VERSION. */
static size_t models_size(const xray *x) {
  size_t n = 0;
  for (int s = 0; s < XRAY_NSCALES; s++) n += xray_model_size(&x->ph[s].cls);
  return n;
}

static void models_io(xray *x, double *aux, int load) {
  for (int s = 0; s < XRAY_NSCALES; s++) {
    xray_model_io(&x->ph[s].cls, aux, load);
    aux += xray_model_size(&x->ph[s].cls);
  }
}

static void digest(uint64_t *h, const void *p, size_t n) {
  const unsigned char *c = p;
  for (size_t i = 0; i < n; i++) *h = (*h ^ c[i]) * 0x100000001b3u;
}

/* FNV-1a of every table the setup computed (everything in phys before the models). */
static uint64_t phys_digest(const xray *x) {
  uint64_t h = 0xcbf29ce484222325u;
  digest(&h, x->q, sizeof x->q), digest(&h, x->lnt, sizeof x->lnt);
  for (int s = 0; s < XRAY_NSCALES; s++) {
    const phys *p = &x->ph[s];
    digest(&h, &p->nb, sizeof p->nb), digest(&h, p->kev, sizeof p->kev);
    digest(&h, p->mu, sizeof p->mu), digest(&h, p->w1, sizeof p->w1);
    digest(&h, p->w2, sizeof p->w2), digest(&h, p->s10, sizeof p->s10);
    digest(&h, p->n0, sizeof p->n0), digest(&h, p->fl, sizeof p->fl);
    double d[7] = {p->i0, p->hmin, p->hopq, p->lh0, p->dlh, p->r0, p->dr};
    digest(&h, d, sizeof d), digest(&h, p->zc, sizeof p->zc);
    digest(&h, p->rt, sizeof p->rt), digest(&h, p->lmt, sizeof p->lmt);
    digest(&h, &p->nhb, sizeof p->nhb), digest(&h, p->zgrid, sizeof p->zgrid);
    digest(&h, &p->nlib, sizeof p->nlib), digest(&h, p->zlib, sizeof p->zlib);
    digest(&h, p->libc, sizeof p->libc);
  }
  return h;
}

/* Loads the classifier from the cache entry of key; 1 if it held valid values. */
static int load_models(xray *x, const char *dir, const surrogate_key *key, double *aux) {
  if (!aux || !surrogate_cache_load(dir, key, &x->sur, aux)) return 0;
  models_io(x, aux, 1);
  int ok = 1;
  for (int s = 0; s < XRAY_NSCALES; s++) ok &= xray_model_valid(&x->ph[s].cls);
  if (!ok) surrogate_free(x->sur), x->sur = NULL; /* a valid file with senseless values */
  return ok;
}

/* Surrogate mode: train the classifier, then tabulate the full kernel; both come from
 * the cache when it holds them. Full mode caches the classifier alone. The classifier
 * does not depend on the mode, so a surrogate-mode build also stores the full-mode
 * entry and takes the classifier from it when only that one is there: a full run after
 * a surrogate run (or the other way round) does not train it again. */
static int k_new(void **state, const double *params, const kernel_opts *o, sim_error *err) {
  xray *x;
  uint64_t seed = o ? o->seed : 1;
  int rc = setup(&x, params, err), sur = o && o->surrogate;
  if (rc) return *state = NULL, rc;
  surrogate_spec sp = {.kinds = sk_kinds,
                       .nkinds = 5,
                       .kind_row = {0, 2, 2, 0, 1, 3, 4, 0},
                       .contra = sk_contra,
                       .ncontra = 5,
                       .kg_edges = sk_edges,
                       .nedges = 5,
                       .conceal = sk_conceal,
                       .nconceal = 3,
                       .conceal_col = {0, 1, 2, -1},
                       .n_clean = (size_t)x->prm[P_CAL_CLEAN],
                       .n_cell = (size_t)x->prm[P_CAL_CELL]};
  const char *dir = o && o->cache_dir && *o->cache_dir ? o->cache_dir : NULL;
  char extra[64];
  snprintf(extra, sizeof extra, "physics %016llx", (unsigned long long)phys_digest(x));
  size_t naux = models_size(x);
  surrogate_key key = {.type = &kernel_xray_type,
                       .params = x->prm,
                       .seed = seed,
                       .version = XRAY_OUTCOME_VERSION,
                       .extra = extra,
                       .spec = sur ? &sp : NULL,
                       .naux = naux};
  surrogate_key fkey = key;
  fkey.spec = NULL;
  double *aux = dir ? malloc(naux * sizeof *aux) : NULL;
  if (load_models(x, dir, &key, aux)) return free(aux), *state = x, 0;
  int trained = sur && load_models(x, dir, &fkey, aux);
  if (!trained) rc = train_all(x, seed, err);
  if (!rc && sur) rc = surrogate_build(&x->sur, &kernel_xray_type, x, o, &sp, err);
  if (!rc && aux) {
    models_io(x, aux, 0), surrogate_cache_store(dir, &key, x->sur, aux);
    if (sur && !trained) surrogate_cache_store(dir, &fkey, NULL, aux);
  }
  free(aux);
  if (rc) xray_free(x), x = NULL;
  *state = x;
  return rc;
}

static int k_decide(void *state, const item *it, gsl_rng *r, kernel_verdict *v) {
  xray *x = state;
  return x->sur ? surrogate_decide(x->sur, it, r, v) : xray_decide(x, it, r, v);
}

static void k_free(void *state) { xray_free(state); }

static const surrogate *k_table(const void *state) { return xray_surrogate(state); }

const kernel_type kernel_xray_type = {
    .name = "xray",
    .help = "dual-energy X-ray: xraylib physics, Z_eff calibration, region rule and classifier",
    .params = xray_params,
    .nparams = P_N,
    .new = k_new,
    .decide = k_decide,
    .free = k_free,
    .table = k_table,
};
