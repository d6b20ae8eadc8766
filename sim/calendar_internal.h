/* calendar_internal: the calendar's layout, shared by calendar.c (scheduling, taking
 * events, the ladder's tiers) and calendar_handles.c (creation, handles, cancelling,
 * the stale set); nothing else includes this. See calendar.c for the design. */
#ifndef SIM_CALENDAR_INTERNAL_H
#define SIM_CALENDAR_INTERNAL_H

#include <stddef.h>
#include <stdint.h>

#include "sim/calendar.h"

#define SMALL 128        /* heap-only mode up to this many nodes in the heap */
#define PER_TOP 256      /* events per bucket of a rung laid over the top (few buckets:
                            their ends stay in cache while events are filed) */
#define PER_FINE 16      /* events per bucket of a finer rung */
#define SORT_MAX 48      /* a bucket this small is sorted into the run; a fuller one
                            spawns a finer rung (or, if it cannot, goes to the heap) */
#define MAX_RUNGS 8
#define MAX_BUCKETS ((size_t)1 << 20)

typedef struct node {
  double t;
  uint64_t seq;
  uint32_t slot;
  uint32_t past; /* scheduled before the last event taken (calendar.h allows it) */
} node;

typedef struct vec {
  node *v;
  size_t n, cap;
} vec;

/* Buckets are chains of fixed chunks from a pool: no bucket keeps room it once needed,
 * so memory follows the pending events. */
#define CHUNK 32

typedef struct chunk {
  struct chunk *next;
  size_t n;
  node v[CHUNK];
} chunk;

typedef struct bucket {
  chunk *head, *tail;
  size_t n;
} bucket;

typedef struct rung {
  bucket *b;
  size_t nb, cap_b, next; /* buckets in use, allocated, first not yet emptied */
  double base, inv;       /* bucket of t: floor((t - base) * inv), at most nb - 1 */
  double dnb, dnext;      /* nb and next as doubles (filing compares them) */
} rung;

/* 48 bytes (the array is line-aligned): scheduling writes one or two cache lines. */
typedef struct slot {
  uint64_t seq; /* its event's sequence; 0 once cancelled (or run, if `past`) */
  uint32_t id;  /* low bits of the sequence it was first scheduled with (its handle's;
                   kept when the event moves) */
  uint32_t past; /* see node.past: such a slot is cleared when its event runs */
  double t;
  cal_fn fn;    /* the payload */
  void *ctx;
  uint64_t arg;
} slot;

_Static_assert(sizeof(slot) == 48, "slots are 48 bytes");

struct calendar {
  vec run;         /* bottom: a sorted bucket, taken from run.v[rhead] on */
  size_t rhead;
  vec heap;        /* bottom: events filed into the near future since */
  rung rungs[MAX_RUNGS];
  int nrungs;
  vec top;
  vec scratch;     /* a bucket being emptied, made contiguous */
  chunk *pool;     /* free chunks */
  size_t nfree_chunks;
  chunk **slabs;   /* every chunk allocation, for cal_free */
  size_t nslabs, cap_slabs;
  double top_max;  /* times above it go to the top; +inf: heap-only mode */
  size_t live, stale;
  uint64_t *dead;  /* open-addressing set of stale sequences (0: empty) */
  size_t dead_mask;
  slot *slots;
  uint32_t *free;  /* free slot indices (a stack) */
  size_t nslots, slot_cap, nfree;
  uint64_t seq;
  double last_t;   /* (time, sequence) of the last event taken */
  uint64_t last_seq;
};

static inline int before(const node *a, const node *b) {
  return a->t < b->t || (a->t == b->t && a->seq < b->seq);
}

/* calendar.c */
int cal_vec_reserve(vec *v, size_t extra);
slot *cal_slots_alloc(slot *old, size_t n_old, size_t cap);
void cal_bucket_release(calendar *c, bucket *b);
/* Files a node in the tier its time belongs to; -1 if memory ran out. */
int cal_file(calendar *c, const node *nd);

/* calendar_handles.c: 1 if seq is stale, and forgets it (its node is being dropped). */
int cal_dead_take(calendar *c, uint64_t seq);

#endif
