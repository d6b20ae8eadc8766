/* kcache: where the model's caches live, and keyed binary entries in it.
 *
 * The cache folder (kcache_dir): $CUSTOMS_CACHE_DIR if set and not empty, else
 * $XDG_CACHE_HOME/customs-sim, else $HOME/.cache/customs-sim; no folder (no cache) if
 * none of those is set. customs-sim --cache-dir DIR sets CUSTOMS_CACHE_DIR for its run.
 * The kernels' calibration tables (surrogate_cache.h), trained risk models (risk.h) and
 * declaration generators' populations (declgen.h) are kept there.
 *
 * An entry is a byte string stored under a key (any bytes that determine it): the file
 * "<prefix>-<16 hex digits of a 64-bit FNV-1a hash of the key>.kc" holds a magic, the
 * format, the whole key, the payload and a checksum, and is used only if all of them
 * match, so a damaged, truncated or foreign file, or a hash collision, costs a rebuild,
 * never a wrong answer. Entries are written to a private temporary file and renamed
 * into place (atomic on POSIX): readers see no file or a whole one, and two writers of
 * one entry (threads or processes) write the same bytes. Nothing here keeps state.
 *
 * Keys hold settings and data, not code: each caller puts a version number and the
 * build stamp of the code that computes the entry (the compile date and time of its
 * source files) into its key, so a rebuilt program never reads an entry made by other
 * code. `rm -rf` of the folder is always safe. */
#ifndef MODELS_KERNELS_KCACHE_H
#define MODELS_KERNELS_KCACHE_H

#include <stddef.h>
#include <stdint.h>

#define KCACHE_FORMAT 2u
#define KCACHE_MAX ((size_t)1 << 31)

/* The cache folder in out[len]; 0, or -1 (out = "") when there is none. */
int kcache_dir(char *out, size_t len);

/* A growable byte buffer (the key or the payload being written), and a bounds-checked
 * reader over one; both little-endian. After an allocation failure (buf) or a read past
 * the end (reader), `bad` is set and every later call does nothing (reads give zeros). */
typedef struct kc_buf {
  uint8_t *p;
  size_t n, cap;
  int bad;
} kc_buf;

void kc_put(kc_buf *b, const void *v, size_t n);
void kc_put_u32(kc_buf *b, uint32_t v);
void kc_put_u64(kc_buf *b, uint64_t v);
void kc_put_f64(kc_buf *b, double d);
void kc_put_f32(kc_buf *b, float f);
void kc_put_str(kc_buf *b, const char *s);
void kc_buf_free(kc_buf *b);

typedef struct kc_reader {
  const uint8_t *p;
  size_t n, at;
  int bad;
} kc_reader;

const uint8_t *kc_take(kc_reader *r, size_t n);
uint32_t kc_get_u32(kc_reader *r);
uint64_t kc_get_u64(kc_reader *r);
double kc_get_f64(kc_reader *r);
float kc_get_f32(kc_reader *r);
/* Copies the next n bytes into dst (what kc_put wrote); zeros past the end. */
void kc_get(kc_reader *r, void *dst, size_t n);

/* A valid entry mapped read-only: the payload p[n], valid until kcache_unmap. */
typedef struct kc_map {
  const uint8_t *p;
  size_t n;
  void *base; /* the mapping */
  size_t len;
} kc_map;
/* Maps the entry of key from dir (NULL or "": none) into m: 0, or -1 (m empty) if there
 * is no valid entry. Loading by mapping skips the copies of a read for large entries. */
int kcache_map(const char *dir, const char *prefix, const kc_buf *key, kc_map *m);
void kcache_unmap(kc_map *m); /* accepts an empty map */
/* Loads the entry of key from dir (NULL or "": none). Returns the payload (malloc'd,
 * *n bytes; the caller frees it) or NULL if there is no valid entry. */
uint8_t *kcache_load(const char *dir, const char *prefix, const kc_buf *key, size_t *n);
/* Stores payload[n] as key's entry in dir, creating dir and its parents. 0, or -1 if
 * nothing was stored (nothing is left behind then). */
int kcache_store(const char *dir, const char *prefix, const kc_buf *key, const uint8_t *payload,
                 size_t n);
/* The folder's size bound: $CUSTOMS_CACHE_MAX_MB megabytes if set (a positive number),
 * else KCACHE_MAX_MB. kcache_store prunes the folder to it after each entry it writes. */
#define KCACHE_MAX_MB 1024
uint64_t kcache_max_bytes(void);
/* Deletes the least recently used entries of dir (`*.kc` and `*.sur` by modification
 * time; loading an entry renews it) until they take at most max_bytes, keeping the
 * newest. The number deleted, or -1 if dir cannot be read. */
int kcache_prune(const char *dir, uint64_t max_bytes);
/* Marks the entry file at path as just used (its modification time), so pruning spares
 * it longest; for caches with their own files in the folder (surrogate_cache.c). */
void kcache_used(const char *path);
/* The path of key's entry (for tests); 0 or -1 if it does not fit. */
int kcache_path(const char *dir, const char *prefix, const kc_buf *key, char *path, size_t len);

#endif
