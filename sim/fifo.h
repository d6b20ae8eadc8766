/* fifo: a growable first-in first-out line of fixed-size elements (a ring buffer whose
 * capacity doubles when full), for waiting lines of any element type. Elements are
 * reached by slot pointers, so hot paths assign a typed value with no copy call:
 *
 *   waiter *w = fifo_push(&q);           NULL: no memory, the line is unchanged
 *   if (w) *w = (waiter){...};
 *   waiter first = *(waiter *)fifo_front(&q);
 *   fifo_drop_front(&q);
 *
 * A slot pointer is valid until the next push. Besides the plain line, an element can
 * return to the front (fifo_push_front: a preempted customer), leave from anywhere
 * keeping the order of the rest (fifo_remove: reneging), or leave from the back. Used
 * only at its back (fifo_push, fifo_drop_back), the line stays contiguous from
 * fifo_at(q, 0): a growable array, which a binary heap can use as its storage.
 *
 * Ownership: a plain value the caller embeds, like the histogram of stats.h;
 * fifo_init sets it up empty (no allocation: the first push allocates) and fifo_deinit
 * frees its storage (it is then empty and usable again). */
#ifndef SIM_FIFO_H
#define SIM_FIFO_H

#include <stddef.h>

typedef struct fifo {
  unsigned char *v;  /* cap elements of esize bytes; the line starts at head and wraps */
  size_t esize, head, n, cap;
  size_t first_cap; /* capacity of the first allocation; it doubles from there */
} fifo;

/* An empty line of elements of esize bytes (> 0); first_cap (> 0) elements are
 * allocated by the first push. */
void fifo_init(fifo *q, size_t esize, size_t first_cap);
void fifo_deinit(fifo *q);
/* Doubles the capacity (first_cap the first time), keeping the order. 0, or -1 when
 * memory ran out or the size would overflow (the line is then unchanged). */
int fifo_grow(fifo *q);
/* Removes element k (k < fifo_len), keeping the order of the others. */
void fifo_remove(fifo *q, size_t k);

static inline size_t fifo_len(const fifo *q) { return q->n; }

/* Element k, 0 the first (k < fifo_len). */
static inline void *fifo_at(const fifo *q, size_t k) {
  size_t i = q->head + k;
  if (i >= q->cap) i -= q->cap;
  return q->v + i * q->esize;
}

static inline void *fifo_front(const fifo *q) { return q->v + q->head * q->esize; }

/* The slot of a new last element, or NULL when the line could not grow. */
static inline void *fifo_push(fifo *q) {
  if (q->n == q->cap && fifo_grow(q)) return NULL;
  size_t i = q->head + q->n;
  if (i >= q->cap) i -= q->cap;
  q->n++;
  return q->v + i * q->esize;
}

/* The slot of a new first element, or NULL when the line could not grow. */
static inline void *fifo_push_front(fifo *q) {
  if (q->n == q->cap && fifo_grow(q)) return NULL;
  q->head = q->head ? q->head - 1 : q->cap - 1;
  q->n++;
  return q->v + q->head * q->esize;
}

/* Removes the first element (the line must not be empty). */
static inline void fifo_drop_front(fifo *q) {
  q->head = q->head + 1 == q->cap ? 0 : q->head + 1;
  q->n--;
}

/* Removes the last element (the line must not be empty). */
static inline void fifo_drop_back(fifo *q) { q->n--; }

#endif
