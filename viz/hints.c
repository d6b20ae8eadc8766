/* hints: layout hints from a spec (see hints.h). */
#include "viz/hints.h"

void hints_from_spec(const spec *sp, int *attach, const char **pool) {
  for (size_t j = 0; j < sp->nst; j++) {
    attach[j] = -1;
    int p = sp->st[j].pool;
    pool[j] = p >= 0 && (size_t)p < sp->npool ? sp->pool[p].name : NULL;
  }
  for (size_t i = 0; i < sp->nst; i++) {
    int fb = sp->st[i].fallback;
    if (fb >= 0 && (size_t)fb < sp->nst && attach[fb] < 0) attach[fb] = (int)i;
  }
}
