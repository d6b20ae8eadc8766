/* kernel: the table of kernels, found by name (see kernel.h). */
#include "models/kernel.h"

#include <string.h>

#include "models/kernels/surrogate.h"

extern const kernel_type kernel_rates_type;
/* kernels from their own files: add one extern line and one table entry each */
extern const kernel_type kernel_ct_type;
extern const kernel_type kernel_nqr_type;
extern const kernel_type kernel_xray_type;
extern const kernel_type kernel_risk_type;
extern const kernel_type kernel_hull_type;

static const kernel_type *const kernel_table[] = {
    &kernel_rates_type,
    &kernel_ct_type,
    &kernel_nqr_type,
    &kernel_xray_type,
    &kernel_risk_type,
    &kernel_hull_type,
    NULL,
};

const kernel_type *const *kernel_all(void) { return kernel_table; }

const char *kernel_name_at(int i) {
  if (i == 0) return "none";
  for (int k = 0; kernel_table[k]; k++)
    if (k == i - 1) return kernel_table[k]->name;
  return NULL;
}

const kernel_type *kernel_find(const char *name) {
  for (const kernel_type *const *k = kernel_table; *k; k++)
    if (!strcmp((*k)->name, name)) return *k;
  return NULL;
}

size_t kernel_roc(const kernel_type *t, const void *state, size_t npts, double *thr,
                  double *pfa, double *pd, double *auc) {
  const surrogate *tab = state && t && t->table ? t->table(state) : NULL;
  if (!tab) return 0;
  *auc = surrogate_auc(tab, -1, -1);
  return surrogate_roc(tab, -1, -1, npts, thr, pfa, pd);
}
