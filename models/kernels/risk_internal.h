/* risk_internal: the risk model's layout, shared by risk.c (features, training,
 * scoring), risk_table.c (its hash tables) and risk_cache.c (trained models kept in the
 * cache folder); nothing else includes this. */
#ifndef MODELS_KERNELS_RISK_INTERNAL_H
#define MODELS_KERNELS_RISK_INTERNAL_H

#include <stddef.h>
#include <stdint.h>

#include "models/kernels/kcache.h"
#include "models/kernels/logreg.h"
#include "models/kernels/risk.h"

#define RISK_TABLE_MAX ((size_t)1 << 26) /* encoding entries; beyond: not stored */

/* One key's label statistics (faded counts): 16 bytes, four to a cache line. The day of
 * a key's last update is only read when counts fade; it lives in a parallel array then. */
typedef struct risk_entry {
  uint64_t key;
  float n, s;           /* labelled rows, illicit among them */
} risk_entry;

/* An HS key's value norms (a small table of its own: the label table stays compact). */
typedef struct risk_norm_entry {
  uint64_t key;
  float nn, luv, lkpu, lvpk; /* rows, sums of log unit value, kg per unit, value per kg */
} risk_norm_entry;

struct risk_model {
  risk_params p;
  risk_entry *e;
  float *day;       /* day of each entry's last update; NULL unless p.te_half_life_days > 0 */
  size_t mask, used;
  risk_norm_entry *ne;
  size_t nmask, nused;
  double prior;     /* training base rate, the encodings' prior */
  double glob[3];   /* training means of the three log norms */
  gbt *main, *uv;
  logreg *layer;
};

/* risk_table.c: the encoding table (cap entries, a power of two; m->p set first) and its
 * lookups. risk_slot gives key's entry, inserted with zero counts (and day -inf) if new;
 * NULL past RISK_TABLE_MAX keys or out of memory (the key then stays unknown: it is
 * encoded by the prior). risk_table_put inserts a new key with its counts (a cached
 * model), SIM_EINVAL if it is 0, already there or the table is full. */
int risk_table_init(risk_model *m, size_t cap);
risk_entry *risk_slot(risk_model *m, uint64_t key);
int risk_table_put(risk_model *m, const risk_entry *e, float day);
/* The value-norm table: lookup, and the entry for key inserted (zero) if new (NULL if
 * memory ran out). */
const risk_norm_entry *risk_nfind(const risk_model *m, uint64_t key);
risk_norm_entry *risk_nslot(risk_model *m, uint64_t key);

static inline const risk_entry *risk_find(const risk_model *m, uint64_t key) {
  for (size_t i = key & m->mask;; i = (i + 1) & m->mask) {
    if (m->e[i].key == key) return &m->e[i];
    if (!m->e[i].key) return NULL;
  }
}

/* risk_cache.c: the key of a trained model (the kernel's parameters kp[nkp], the item
 * kind, the seed, and the build stamps of the code that generates and trains), and the
 * model loaded from or stored in the cache folder. risk_cache_load returns NULL when
 * there is no valid entry; a loaded model is the one training would give, bit for bit,
 * with its online layer fresh. */
void risk_cache_key(const double *kp, size_t nkp, int kind, uint64_t seed, kc_buf *key);
risk_model *risk_cache_load(const char *dir, const kc_buf *key, const risk_params *p);
void risk_cache_store(const char *dir, const kc_buf *key, const risk_model *m);

#endif
