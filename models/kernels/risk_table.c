/* risk_table: the risk model's two open-addressing tables (see risk_internal.h): the
 * target-encoding counts per key and the HS value norms. Linear probing from the key's
 * low bits; a table grows (doubling) past four fifths full: the keys are splitmix64
 * outputs, so clusters stay short, and memory is what the keys need, not twice it. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "models/kernels/risk_internal.h"

/* Past this share full (used + 1 > cap * 4 / 5) a table doubles. */
static int risk_full(size_t used, size_t cap) { return 5 * (used + 1) > 4 * cap; }

int risk_table_init(risk_model *m, size_t cap) {
  m->mask = cap - 1, m->used = 0;
  m->e = calloc(cap, sizeof *m->e);
  m->day = m->p.te_half_life_days > 0 ? malloc(cap * sizeof *m->day) : NULL;
  if (!m->e || (m->p.te_half_life_days > 0 && !m->day)) return SIM_ENOMEM;
  return SIM_OK;
}

/* Puts e (a key not in the table) and its day in the first free slot. */
static size_t risk_place(risk_entry *e, float *day, size_t mask, const risk_entry *x, float d) {
  size_t j = x->key & mask;
  while (e[j].key) j = (j + 1) & mask;
  e[j] = *x;
  if (day) day[j] = d;
  return j;
}

static int risk_grow(risk_model *m) {
  size_t cap = (m->mask + 1) * 2;
  risk_entry *e = calloc(cap, sizeof *e);
  float *day = m->day ? malloc(cap * sizeof *day) : NULL;
  if (!e || (m->day && !day)) return free(e), free(day), SIM_ENOMEM;
  for (size_t i = 0; i <= m->mask; i++)
    if (m->e[i].key) risk_place(e, day, cap - 1, &m->e[i], m->day ? m->day[i] : 0.0f);
  free(m->e), free(m->day);
  m->e = e, m->day = day, m->mask = cap - 1;
  return SIM_OK;
}

risk_entry *risk_slot(risk_model *m, uint64_t key) {
  risk_entry *e = (risk_entry *)risk_find(m, key);
  if (e) return e;
  /* beyond RISK_TABLE_MAX keys, or out of memory: the key stays unknown */
  if (m->used >= RISK_TABLE_MAX || (risk_full(m->used, m->mask + 1) && risk_grow(m)))
    return NULL;
  risk_entry x = {key, 0.0f, 0.0f};
  size_t j = risk_place(m->e, m->day, m->mask, &x, -INFINITY);
  m->used++;
  return &m->e[j];
}

int risk_table_put(risk_model *m, const risk_entry *x, float day) {
  if (!x->key || risk_find(m, x->key) || risk_full(m->used, m->mask + 1)) return SIM_EINVAL;
  risk_place(m->e, m->day, m->mask, x, day);
  m->used++;
  return SIM_OK;
}

const risk_norm_entry *risk_nfind(const risk_model *m, uint64_t key) {
  for (size_t i = key & m->nmask;; i = (i + 1) & m->nmask) {
    if (m->ne[i].key == key) return &m->ne[i];
    if (!m->ne[i].key) return NULL;
  }
}

risk_norm_entry *risk_nslot(risk_model *m, uint64_t key) {
  risk_norm_entry *f = (risk_norm_entry *)risk_nfind(m, key);
  if (f) return f;
  if (risk_full(m->nused, m->nmask + 1)) {
    size_t cap = (m->nmask + 1) * 2;
    risk_norm_entry *e = calloc(cap, sizeof *e);
    if (!e) return NULL;
    for (size_t i = 0; i <= m->nmask; i++) {
      if (!m->ne[i].key) continue;
      size_t j = m->ne[i].key & (cap - 1);
      while (e[j].key) j = (j + 1) & (cap - 1);
      e[j] = m->ne[i];
    }
    free(m->ne);
    m->ne = e, m->nmask = cap - 1;
  }
  size_t i = key & m->nmask;
  while (m->ne[i].key) i = (i + 1) & m->nmask;
  memset(&m->ne[i], 0, sizeof m->ne[i]);
  m->ne[i].key = key, m->nused++;
  return &m->ne[i];
}
