/* hints: layout hints from a snapshot's shape (see hints.h). */
#include "viz/hints.h"

void hints_from_snapshot(const snapshot *s, int *attach, const char **pool) {
  for (size_t j = 0; j < s->nst; j++) {
    attach[j] = -1;
    int p = s->st[j].pool;
    pool[j] = p >= 0 && (size_t)p < s->npool ? s->pool[p].name : NULL;
  }
  for (size_t i = 0; i < s->nst; i++) {
    int fb = s->st[i].fallback;
    if (fb >= 0 && (size_t)fb < s->nst && attach[fb] < 0) attach[fb] = (int)i;
  }
}
