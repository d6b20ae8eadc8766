/* itemfeed: the helper thread and its rings (see itemfeed.h).
 *
 * Each fed channel, and each stream, has a ring of FEED_RING records with one writer
 * (the helper) and one reader (the simulation). Each side keeps its own count and
 * publishes it to the other in batches, so the shared lines move once per FEED_BATCH
 * records. The helper fills the rings a batch each in turn (so that a ring whose records
 * are cheap never waits behind one whose items are dear) until all are full, then
 * sleeps while every ring is more than a quarter full; the simulation wakes it when one
 * falls to a quarter, so a wake (a system call on each side) comes about once per three
 * quarters of the busiest ring. The simulation sleeps only on an empty ring. Both wakes
 * follow the same pattern: a side stores its count, then reads the other's flag, while
 * the other sets its flag, then reads the count (all sequentially consistent), so at
 * least one of them sees the other and no wake is lost. */
#include "models/itemfeed.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

#define FEED_RING 1024 /* records a ring holds (a power of 2, a multiple of FEED_BATCH) */
#define FEED_BATCH 32 /* records filled or taken between two publications */
#define FEED_AHEAD 256 /* bytes a take prefetches ahead of its record (at least 2 records) */
#define FEED_LOW (FEED_RING / 4) /* records left in a ring that wake the helper */

typedef struct ring {
  /* set before the start, then only read (a line of its own: no false sharing) */
  _Alignas(64) size_t size; /* bytes a record */
  itemfeed_make_fn make;
  void *ctx;
  declgen *g; /* channel rings: the generator and stream make() draws from */
  gsl_rng *r;
  unsigned char *slot;
  _Alignas(64) atomic_size_t head; /* records filled, published by the helper */
  _Alignas(64) atomic_size_t tail; /* records taken, published by the simulation */
  _Alignas(64) size_t made;        /* the helper's own: records filled */
  size_t seen_tail;                /* and its last reading of tail */
} ring;

/* The simulation's side of a ring: all of them side by side, so that they stay in its
 * cache however seldom a ring is read. */
typedef struct cons {
  const unsigned char *slot;
  uint32_t size, ahead; /* ahead: the record a take prefetches, this many after its own */
  size_t taken;         /* records taken */
  size_t seen_head;     /* the last reading of head */
} cons;

struct itemfeed {
  int nch, nrg, started; /* rings 0 .. nch - 1 are the channels', then the streams' */
  ring **rg;                /* [nrg], NULL: a channel not fed */
  cons *cs; /* [nrg], made at the start */
  pthread_t th;
  pthread_mutex_t lock;
  pthread_cond_t cv;
  atomic_int helper_sleeps, sim_waits, quit;
};

itemfeed *itemfeed_new(int nch) {
  if (nch < 0) return NULL;
  itemfeed *f = calloc(1, sizeof *f);
  if (!f) return NULL;
  f->rg = calloc(nch > 0 ? (size_t)nch : 1, sizeof *f->rg);
  if (!f->rg) return free(f), NULL;
  f->nch = f->nrg = nch;
  atomic_init(&f->helper_sleeps, 0);
  atomic_init(&f->sim_waits, 0);
  atomic_init(&f->quit, 0);
  return f;
}

static void make_item(void *ctx, void *out) {
  ring *c = ctx;
  declgen_fill_ahead(c->g, 0.0, c->r, out);
}

/* A ring for records of size bytes made by make(ctx, .) (ctx NULL: the ring itself), or
 * NULL if out of memory. */
static ring *ring_new(size_t size, itemfeed_make_fn make, void *ctx) {
  ring *c = aligned_alloc(64, sizeof *c);
  if (!c) return NULL;
  memset(c, 0, sizeof *c);
  atomic_init(&c->head, 0), atomic_init(&c->tail, 0);
  c->size = size, c->make = make, c->ctx = ctx ? ctx : c;
  if (!(c->slot = malloc(FEED_RING * size))) return free(c), NULL;
  return c;
}

static void ring_free(ring *c) {
  if (c) free(c->slot), free(c);
}

int itemfeed_add(itemfeed *f, int ch, declgen *g, gsl_rng *r, sim_error *err) {
  if (ch < 0 || ch >= f->nch || f->started || f->rg[ch])
    return sim_error_set(err, SIM_EINVAL, "itemfeed: channel %d cannot be added", ch);
  if (declgen_params_of(g)->drift_days > 0)
    return sim_error_set(err, SIM_EINVAL, "itemfeed: a drifting generator's items depend "
                                          "on their day");
  ring *c = ring_new(sizeof(item), make_item, NULL);
  if (!c) return sim_error_set(err, SIM_ENOMEM, "itemfeed: out of memory");
  c->g = g, c->r = r;
  f->rg[ch] = c;
  return SIM_OK;
}

int itemfeed_add_stream(itemfeed *f, size_t size, itemfeed_make_fn make, void *ctx,
                        sim_error *err) {
  if (f->started || !size || !make)
    return sim_error_set(err, SIM_EINVAL, "itemfeed: a stream cannot be added now");
  ring **nr = realloc(f->rg, (size_t)(f->nrg + 1) * sizeof *nr);
  if (!nr) return sim_error_set(err, SIM_ENOMEM, "itemfeed: out of memory");
  f->rg = nr;
  if (!(nr[f->nrg] = ring_new(size, make, ctx)))
    return sim_error_set(err, SIM_ENOMEM, "itemfeed: out of memory");
  return f->nrg++;
}

int itemfeed_feeds(const itemfeed *f, int ch) {
  return f && f->started && ch >= 0 && ch < f->nch && f->rg[ch];
}

static void wake(itemfeed *f) {
  pthread_mutex_lock(&f->lock);
  pthread_cond_broadcast(&f->cv);
  pthread_mutex_unlock(&f->lock);
}

/* Room in ring c as the helper sees it, reading tail again when it looks short. */
static size_t room(ring *c, size_t want) {
  size_t n = FEED_RING - (c->made - c->seen_tail);
  if (n >= want) return n;
  c->seen_tail = atomic_load(&c->tail);
  return FEED_RING - (c->made - c->seen_tail);
}

/* Fills a batch of ring c where it has room; whether it did. */
static int fill(itemfeed *f, ring *c) {
  if (room(c, FEED_BATCH) < FEED_BATCH) return 0;
  for (int k = 0; k < FEED_BATCH; k++, c->made++)
    c->make(c->ctx, c->slot + (c->made & (FEED_RING - 1)) * c->size);
  atomic_store(&c->head, c->made);
  if (atomic_load(&f->sim_waits)) wake(f);
  return 1;
}

/* Whether some fed ring holds at most FEED_LOW items (the helper's cue to work). */
static int any_low(itemfeed *f) {
  for (int i = 0; i < f->nrg; i++)
    if (f->rg[i] && room(f->rg[i], FEED_RING - FEED_LOW) >= FEED_RING - FEED_LOW)
      return 1;
  return 0;
}

static void *helper(void *arg) {
  itemfeed *f = arg;
  while (!atomic_load(&f->quit)) {
    int any = 0; /* a batch a ring at a time, so that no ring waits for another to fill */
    for (int i = 0; i < f->nrg && !atomic_load_explicit(&f->quit, memory_order_relaxed); i++)
      if (f->rg[i]) any |= fill(f, f->rg[i]);
    if (any) continue;
    pthread_mutex_lock(&f->lock);
    atomic_store(&f->helper_sleeps, 1);
    while (!atomic_load(&f->quit) && !any_low(f)) pthread_cond_wait(&f->cv, &f->lock);
    atomic_store(&f->helper_sleeps, 0);
    pthread_mutex_unlock(&f->lock);
  }
  return NULL;
}

int itemfeed_start(itemfeed *f, sim_error *err) {
  if (f->started) return SIM_OK;
  free(f->cs); /* a start that failed before */
  f->cs = aligned_alloc(64, ((size_t)(f->nrg ? f->nrg : 1) * sizeof *f->cs + 63) / 64 * 64);
  if (!f->cs) return sim_error_set(err, SIM_ENOMEM, "itemfeed: out of memory");
  for (int i = 0; i < f->nrg; i++) {
    const ring *c = f->rg[i];
    size_t size = c ? c->size : 0, ahead = size && FEED_AHEAD / size > 2 ? FEED_AHEAD / size : 2;
    f->cs[i] = (cons){c ? c->slot : NULL, (uint32_t)size, (uint32_t)ahead, 0, 0};
  }
  if (pthread_mutex_init(&f->lock, NULL))
    return sim_error_set(err, SIM_ENOMEM, "itemfeed: cannot create a lock");
  if (pthread_cond_init(&f->cv, NULL)) {
    pthread_mutex_destroy(&f->lock);
    return sim_error_set(err, SIM_ENOMEM, "itemfeed: cannot create a condition");
  }
  if (pthread_create(&f->th, NULL, helper, f)) {
    pthread_cond_destroy(&f->cv), pthread_mutex_destroy(&f->lock);
    return sim_error_set(err, SIM_ENOMEM, "itemfeed: cannot start the helper thread");
  }
  f->started = 1;
  return SIM_OK;
}

/* The simulation waits for ring id's next record (only when it is empty). */
static void wait_items(itemfeed *f, cons *k, ring *c) {
  pthread_mutex_lock(&f->lock);
  atomic_store(&f->sim_waits, 1);
  while ((k->seen_head = atomic_load(&c->head)) == k->taken) pthread_cond_wait(&f->cv, &f->lock);
  atomic_store(&f->sim_waits, 0);
  pthread_mutex_unlock(&f->lock);
}

/* Ring id's next record, once filled (the helper cannot write it before advance). */
static inline const unsigned char *next_of(itemfeed *f, cons *k, int id) {
  if (k->taken == k->seen_head) {
    k->seen_head = atomic_load_explicit(&f->rg[id]->head, memory_order_acquire);
    if (k->taken == k->seen_head) wait_items(f, k, f->rg[id]);
  }
  if (k->taken + k->ahead < k->seen_head) { /* filled on the other core: fetch it early */
    const unsigned char *nx = k->slot + ((k->taken + k->ahead) & (FEED_RING - 1)) * k->size;
    for (size_t o = 0; o < k->size; o += 64) __builtin_prefetch(nx + o);
    __builtin_prefetch(nx + k->size - 1);
  }
  return k->slot + (k->taken & (FEED_RING - 1)) * k->size;
}

/* The record taken from ring id is copied: the helper may now refill its slot. */
static inline void advance(itemfeed *f, cons *k, int id) {
  if (++k->taken % FEED_BATCH) return;
  ring *c = f->rg[id];
  atomic_store(&c->tail, k->taken);
  if (!atomic_load(&f->helper_sleeps)) return;
  k->seen_head = atomic_load(&c->head);
  if (k->seen_head - k->taken <= FEED_LOW) wake(f); /* the helper's cue */
}

void itemfeed_take(itemfeed *f, int ch, item *it) {
  cons *k = &f->cs[ch];
  memcpy(it, next_of(f, k, ch), sizeof *it);
  advance(f, k, ch);
}

void itemfeed_read(itemfeed *f, int id, void *out) {
  cons *k = &f->cs[id];
  memcpy(out, next_of(f, k, id), k->size);
  advance(f, k, id);
}

double itemfeed_draw(itemfeed *f, int id) {
  cons *k = &f->cs[id];
  double x;
  memcpy(&x, next_of(f, k, id), sizeof x);
  advance(f, k, id);
  return x;
}

void itemfeed_free(itemfeed *f) {
  if (!f) return;
  if (f->started) {
    pthread_mutex_lock(&f->lock);
    atomic_store(&f->quit, 1);
    pthread_cond_broadcast(&f->cv);
    pthread_mutex_unlock(&f->lock);
    pthread_join(f->th, NULL);
    pthread_cond_destroy(&f->cv), pthread_mutex_destroy(&f->lock);
  }
  for (int i = 0; i < f->nrg; i++) ring_free(f->rg[i]);
  free(f->cs);
  free(f->rg);
  free(f);
}
