/* risk_cache: trained risk models kept in the cache folder (see risk_internal.h and
 * models/kernels/kcache.h). Training a model takes a generated history of declarations
 * and boosting rounds: about a second per item kind, every run. A model depends only on
 * the kernel's parameters, the item kind, the seed and the code, so it is stored once
 * and loaded after: the target-encoding table (its used entries, placed again in a
 * table of the same size), the value norms, the boosted trees. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_version.h>

#include "models/declgen.h"
#include "models/kernels/risk_internal.h"

/* Bump with any change to how a model is trained or encoded (the build stamps in the
 * key also change whenever risk.c, gbt.c or declgen.c is compiled again). */
#define RISK_CACHE_VERSION 2u

void risk_cache_key(const double *kp, size_t nkp, int kind, uint64_t seed, kc_buf *key) {
  kc_put_str(key, "customs-sim risk model");
  kc_put_u32(key, RISK_CACHE_VERSION);
  kc_put_str(key, risk_stamp());
  kc_put_str(key, gbt_stamp());
  kc_put_str(key, declgen_stamp());
  kc_put_str(key, GSL_VERSION);
  kc_put_u32(key, (uint32_t)sizeof(risk_entry));
  kc_put_u64(key, nkp);
  for (size_t i = 0; i < nkp; i++) kc_put_f64(key, kp[i]);
  kc_put_u32(key, (uint32_t)kind);
  kc_put_u64(key, seed);
}

void risk_cache_store(const char *dir, const kc_buf *key, const risk_model *m) {
  kc_buf b = {0};
  kc_put_u64(&b, m->mask), kc_put_u64(&b, m->used);
  kc_put_f64(&b, m->prior);
  for (int j = 0; j < 3; j++) kc_put_f64(&b, m->glob[j]);
  for (size_t i = 0; i <= m->mask; i++) {
    const risk_entry *e = &m->e[i];
    if (!e->key) continue;
    kc_put_u64(&b, e->key);
    kc_put_f32(&b, e->n), kc_put_f32(&b, e->s), kc_put_f32(&b, m->day ? m->day[i] : -INFINITY);
  }
  kc_put_u64(&b, m->nmask), kc_put_u64(&b, m->nused);
  for (size_t i = 0; i <= m->nmask; i++) {
    const risk_norm_entry *e = &m->ne[i];
    if (!e->key) continue;
    kc_put_u64(&b, e->key);
    kc_put_f32(&b, e->nn), kc_put_f32(&b, e->luv), kc_put_f32(&b, e->lkpu), kc_put_f32(&b, e->lvpk);
  }
  gbt_write(m->main, &b);
  kc_put_u32(&b, m->uv != NULL);
  if (m->uv) gbt_write(m->uv, &b);
  if (!b.bad && !key->bad) kcache_store(dir, "risk", key, b.p, b.n);
  kc_buf_free(&b);
}

static risk_model *risk_read(const risk_params *p, kc_reader *r) {
  size_t mask = (size_t)kc_get_u64(r), used = (size_t)kc_get_u64(r);
  if (r->bad || (mask & (mask + 1)) || mask < 4095 || mask >= RISK_TABLE_MAX * 4 || used > mask)
    return NULL;
  risk_model *m = calloc(1, sizeof *m);
  if (!m) return NULL;
  m->p = *p;
  int bad = risk_table_init(m, mask + 1) != SIM_OK;
  m->prior = kc_get_f64(r);
  for (int j = 0; j < 3; j++) m->glob[j] = kc_get_f64(r);
  bad = bad || !(m->prior >= 0 && m->prior <= 1);
  for (size_t i = 0; !bad && i < used; i++) {
    risk_entry e = {kc_get_u64(r), 0, 0};
    e.n = kc_get_f32(r), e.s = kc_get_f32(r);
    float day = kc_get_f32(r);
    bad = r->bad || risk_table_put(m, &e, day) != SIM_OK;
  }
  size_t nmask = (size_t)kc_get_u64(r), nused = (size_t)kc_get_u64(r);
  bad = bad || r->bad || (nmask & (nmask + 1)) || nmask < 255 || nmask >= RISK_TABLE_MAX ||
        nused > nmask;
  if (!bad) m->nmask = nmask, m->ne = calloc(nmask + 1, sizeof *m->ne), bad = !m->ne;
  for (size_t i = 0; !bad && i < nused; i++) {
    risk_norm_entry e = {kc_get_u64(r), 0, 0, 0, 0};
    e.nn = kc_get_f32(r), e.luv = kc_get_f32(r), e.lkpu = kc_get_f32(r), e.lvpk = kc_get_f32(r);
    size_t k = e.key & nmask;
    while (m->ne[k].key && m->ne[k].key != e.key) k = (k + 1) & nmask;
    bad = !e.key || m->ne[k].key || r->bad;
    if (!bad) m->ne[k] = e, m->nused++;
  }
  if (!bad) m->main = gbt_read(r);
  if (!bad && m->main && kc_get_u32(r)) m->uv = gbt_read(r), bad = !m->uv;
  if (!bad && m->main) m->layer = logreg_new(18, p->online_lr, 1e-4, NULL);
  if (bad || !m->layer || r->bad || r->at != r->n) return risk_model_free(m), NULL;
  return m;
}

risk_model *risk_cache_load(const char *dir, const kc_buf *key, const risk_params *p) {
  size_t n = 0;
  uint8_t *pl = key->bad ? NULL : kcache_load(dir, "risk", key, &n);
  if (!pl) return NULL;
  kc_reader r = {pl, n, 0, 0};
  risk_model *m = risk_read(p, &r);
  free(pl);
  return m;
}
