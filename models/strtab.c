/* strtab: string to index hash table (see strtab.h). */
#include "models/strtab.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

typedef struct slot {
  const char *key; /* NULL: empty */
  long v;
} slot;

struct strtab {
  slot *s;
  size_t cap, n; /* cap is a power of two, kept at least twice n */
};

static uint64_t hash_more(uint64_t h, const char *k) {
  for (const unsigned char *p = (const unsigned char *)k; *p; p++) h = (h ^ *p) * 1099511628211ULL;
  return h;
}

static uint64_t hash_end(uint64_t h) { return h ^ (h >> 29); }

static uint64_t hash(const char *k) { return hash_end(hash_more(1469598103934665603ULL, k)); }

strtab *strtab_new(void) { return calloc(1, sizeof(strtab)); }

void strtab_free(strtab *t) {
  if (!t) return;
  free(t->s);
  free(t);
}

static slot *lookup(slot *s, size_t cap, const char *key) {
  size_t i = (size_t)hash(key) & (cap - 1);
  while (s[i].key && strcmp(s[i].key, key)) i = (i + 1) & (cap - 1);
  return &s[i];
}

long strtab_find(const strtab *t, const char *key) {
  if (!t || !key || !t->cap) return -1;
  const slot *e = lookup(t->s, t->cap, key);
  return e->key ? e->v : -1;
}

long strtab_find2(const strtab *t, const char *prefix, const char *name) {
  if (!t || !prefix || !name || !t->cap) return -1;
  size_t plen = strlen(prefix);
  size_t i =
      (size_t)hash_end(hash_more(hash_more(1469598103934665603ULL, prefix), name)) & (t->cap - 1);
  for (; t->s[i].key; i = (i + 1) & (t->cap - 1))
    if (!strncmp(t->s[i].key, prefix, plen) && !strcmp(t->s[i].key + plen, name)) return t->s[i].v;
  return -1;
}

static int grow(strtab *t) {
  size_t cap = t->cap ? 2 * t->cap : 64;
  slot *s = calloc(cap, sizeof *s);
  if (!s) return -1;
  for (size_t i = 0; i < t->cap; i++)
    if (t->s[i].key) *lookup(s, cap, t->s[i].key) = t->s[i];
  free(t->s);
  t->s = s;
  t->cap = cap;
  return 0;
}

int strtab_put(strtab *t, const char *key, long v) {
  if (!t || !key) return -1;
  if (2 * (t->n + 1) > t->cap && grow(t)) return -1;
  slot *e = lookup(t->s, t->cap, key);
  if (e->key) return 0;
  *e = (slot){key, v};
  t->n++;
  return 0;
}
