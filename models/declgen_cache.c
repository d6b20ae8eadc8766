/* declgen_cache: generators' populations kept in the cache folder (see declgen.h and
 * models/kernels/kcache.h). A population (traders, HS table, the alias tables of its
 * draws, the solved intercepts) depends only on the parameters, the seed and the code;
 * building one takes up to a few hundred milliseconds, loading it a few. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_version.h>

#include "models/declgen_internal.h"
#include "models/kernels/kcache.h"

/* Bump with any change to how a population is built or calibrated (the build stamp in
 * the key also changes whenever this file is compiled again). */
#define DG_CACHE_VERSION 1u

static void dg_key(const declgen_params *p, uint64_t seed, kc_buf *k) {
  kc_put_str(k, "customs-sim declgen population");
  kc_put_u32(k, DG_CACHE_VERSION);
  kc_put_str(k, declgen_stamp());
  kc_put_str(k, GSL_VERSION);
  uint32_t one = 1; /* byte order and layout: the payload is raw memory */
  kc_put(k, &one, sizeof one);
  kc_put_u32(k, (uint32_t)sizeof(dg_trader)), kc_put_u32(k, (uint32_t)sizeof(dg_hs));
  kc_put_u32(k, (uint32_t)p->kind), kc_put_u32(k, (uint32_t)p->importers);
  kc_put_u32(k, (uint32_t)p->declarants), kc_put_u32(k, (uint32_t)p->origins);
  kc_put_u32(k, (uint32_t)p->offices);
  double d[] = {p->activity_shape, p->aeo_share, p->advance_share, p->edocs_share,
                p->risk_sd, p->signal, p->drift_days};
  for (size_t i = 0; i < sizeof d / sizeof d[0]; i++) kc_put_f64(k, d[i]);
  for (int m = 0; m < DECLGEN_FRAUD_N; m++) kc_put_f64(k, p->rate[m]);
  kc_put_u64(k, seed);
}

const char *declgen_stamp(void) { return __DATE__ " " __TIME__; }

static void dg_put_pick(kc_buf *b, const dg_pick *t) {
  kc_put_u64(b, t ? (uint64_t)t->k : 0);
  if (t) kc_put(b, t->e, t->k * sizeof *t->e);
}

static dg_pick *dg_get_pick(kc_reader *r, size_t want, int *bad) {
  size_t k = (size_t)kc_get_u64(r);
  if (k != want) *bad = 1;
  if (!k || *bad) return NULL;
  dg_pick *t = malloc(sizeof *t);
  if (t && !(t->e = malloc(k * sizeof *t->e))) free(t), t = NULL;
  if (!t) {
    *bad = 1;
    return NULL;
  }
  t->k = k;
  kc_get(r, t->e, k * sizeof *t->e);
  for (size_t i = 0; i < k; i++)
    if (t->e[i].a >= k || t->e[i].pad || !(t->e[i].f >= 0 && t->e[i].f <= 1)) *bad = 1;
  return t;
}

/* The arrays a population owns, in the payload's order (NULL pointers for passengers). */
static void dg_arrays(declgen *g, void **a, size_t *sz) {
  const declgen_params *p = &g->p;
  int pax = dg_is_pax(p->kind);
  a[0] = g->imp, sz[0] = pax ? 0 : (size_t)p->importers * sizeof *g->imp;
  a[1] = g->decl_z, sz[1] = pax ? 0 : (size_t)p->declarants * sizeof *g->decl_z;
  a[2] = g->org_z, sz[2] = (size_t)p->origins * sizeof *g->org_z;
  a[3] = g->off_z, sz[3] = (size_t)p->offices * sizeof *g->off_z;
  a[4] = g->hs, sz[4] = sizeof g->hs;
}

static void dg_store(declgen *g, const char *dir, const kc_buf *key) {
  kc_buf b = {0};
  void *a[5];
  size_t sz[5];
  dg_arrays(g, a, sz);
  for (int i = 0; i < 5; i++) kc_put(&b, a[i], sz[i]);
  for (int m = 0; m < DECLGEN_FRAUD_N; m++) kc_put_f64(&b, g->alpha[m]);
  dg_pick *t[] = {g->imp_pick, g->decl_pick, g->org_pick, g->off_pick, g->ch_pick};
  for (int i = 0; i < 5; i++) dg_put_pick(&b, t[i]);
  if (!b.bad) kcache_store(dir, "declgen", key, b.p, b.n);
  kc_buf_free(&b);
}

/* A population from a cache payload, or NULL if it does not fit the parameters. */
static declgen *dg_load(const declgen_params *p, const uint8_t *pl, size_t n) {
  declgen *g = dg_alloc(p);
  if (!g) return NULL;
  int pax = dg_is_pax(p->kind), bad = 0;
  if (!pax) {
    g->imp = malloc((size_t)p->importers * sizeof *g->imp);
    g->decl_z = malloc((size_t)p->declarants * sizeof *g->decl_z);
  }
  g->org_z = malloc((size_t)p->origins * sizeof *g->org_z);
  g->off_z = malloc((size_t)p->offices * sizeof *g->off_z);
  if ((!pax && (!g->imp || !g->decl_z)) || !g->org_z || !g->off_z) return declgen_free(g), NULL;
  kc_reader r = {pl, n, 0, 0};
  void *a[5];
  size_t sz[5];
  dg_arrays(g, a, sz);
  for (int i = 0; i < 5; i++) kc_get(&r, a[i], sz[i]);
  for (int m = 0; m < DECLGEN_FRAUD_N; m++) bad |= isnan(g->alpha[m] = kc_get_f64(&r));
  g->imp_pick = dg_get_pick(&r, pax ? 0 : (size_t)p->importers, &bad);
  g->decl_pick = dg_get_pick(&r, pax ? 0 : (size_t)p->declarants, &bad);
  g->org_pick = dg_get_pick(&r, (size_t)p->origins, &bad);
  g->off_pick = dg_get_pick(&r, (size_t)p->offices, &bad);
  g->ch_pick = dg_get_pick(&r, pax ? 0 : DG_NCH, &bad);
  for (int i = 0; !pax && i < p->importers; i++) { /* indexes in range */
    const dg_trader *t = &g->imp[i];
    bad |= t->declarant < 0 || t->declarant >= p->declarants || t->origin >= p->origins ||
           (int)t->office >= p->offices || t->chapter >= DG_NCH;
  }
  for (int i = 0; i < DG_NCH * DG_PER_CH; i++)
    bad |= g->hs[i].ch >= DG_NCH || g->hs[i].cheapest >= DG_PER_CH;
  if (bad || r.bad || r.at != r.n) return declgen_free(g), NULL;
  return g;
}

declgen *declgen_new_cached(const declgen_params *p, uint64_t seed, const char *dir,
                            sim_error *err) {
  if (!dir || !*dir) return declgen_new(p, seed, err);
  if (dg_check(p, err)) return NULL;
  kc_buf k = {0};
  kc_map m = {0};
  dg_key(p, seed, &k);
  declgen *g = !k.bad && !kcache_map(dir, "declgen", &k, &m) ? dg_load(p, m.p, m.n) : NULL;
  kcache_unmap(&m);
  if (!g && (g = declgen_new(p, seed, err)) && !k.bad) dg_store(g, dir, &k);
  kc_buf_free(&k);
  return g;
}

