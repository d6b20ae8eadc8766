/* fifo: growth and removal from the middle of the line (see fifo.h); the operations at
 * its ends are inline in the header. */
#include "sim/fifo.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

void fifo_init(fifo *q, size_t esize, size_t first_cap) {
  *q = (fifo){.esize = esize, .first_cap = first_cap ? first_cap : 1};
}

void fifo_deinit(fifo *q) {
  free(q->v);
  q->v = NULL;
  q->head = q->n = q->cap = 0;
}

/* Into a new buffer, the first element at 0: the old one may wrap around its end. */
int fifo_grow(fifo *q) {
  size_t ncap = q->cap ? 2 * q->cap : q->first_cap;
  if (ncap < q->cap || ncap > SIZE_MAX / q->esize) return -1;
  unsigned char *nv = malloc(ncap * q->esize);
  if (!nv) return -1;
  size_t first = q->cap - q->head < q->n ? q->cap - q->head : q->n;
  if (first) memcpy(nv, q->v + q->head * q->esize, first * q->esize);
  if (q->n > first) memcpy(nv + first * q->esize, q->v, (q->n - first) * q->esize);
  free(q->v);
  q->v = nv;
  q->cap = ncap;
  q->head = 0;
  return 0;
}

void fifo_remove(fifo *q, size_t k) {
  for (size_t i = k; i + 1 < q->n; i++) memcpy(fifo_at(q, i), fifo_at(q, i + 1), q->esize);
  q->n--;
}
