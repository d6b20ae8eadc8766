/* strtab: a hash table from strings to indices, for the name lookups of scenario
 * loading (stations, channels, pools, origin codes), which would otherwise search
 * lists and grow quadratically with the scenario. Open addressing, FNV-1a hashes.
 *
 * Ownership: strtab_new returns a table owned by the caller (strtab_free accepts NULL).
 * The table keeps pointers to the key strings, not copies: they must outlive it. */
#ifndef MODELS_STRTAB_H
#define MODELS_STRTAB_H

typedef struct strtab strtab;

strtab *strtab_new(void);
void strtab_free(strtab *t);

/* The index stored for key, or -1 (also for a NULL table or key). */
long strtab_find(const strtab *t, const char *key);
/* The index stored for the key prefix + name (the two joined), found without building
 * the joined string; -1 if none. */
long strtab_find2(const strtab *t, const char *prefix, const char *name);
/* Stores index v for key unless key is already there (the first one stays, as a list
 * search would find it). 0, or -1 when out of memory. */
int strtab_put(strtab *t, const char *key, long v);

#endif
