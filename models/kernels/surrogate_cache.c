/* surrogate_cache: calibration tables on disk, keyed by everything that determines them
 * (see surrogate_cache.h for the key, the file layout and the version rule). */
#include "models/kernels/surrogate_cache.h"

#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <gsl/gsl_version.h>

#include "models/kernels/kcache.h"
#include "models/kernels/surrogate_internal.h"

#define MAX_AUX ((size_t)1 << 20)
#define MAX_FILE ((size_t)1 << 31) /* the largest table (MAX_ITEMS) is about 0.4 GB */
#define MAX_PATH 4096

static const uint8_t magic[8] = {'c', 's', 'u', 'r', '\r', '\n', 0x1a, '\n'};

static uint64_t fnv1a(const uint8_t *p, size_t n) {
  uint64_t h = 0xcbf29ce484222325u;
  for (size_t i = 0; i < n; i++) h = (h ^ p[i]) * 0x100000001b3u;
  return h;
}

/* ---- a growable byte buffer and a bounds-checked reader ---- */

typedef struct buf {
  uint8_t *p;
  size_t n, cap;
  int bad; /* out of memory: every later put is ignored */
} buf;

static void put(buf *b, const void *v, size_t n) {
  if (b->bad || !n) return;
  if (n > b->cap - b->n) {
    size_t cap = b->cap ? b->cap : 4096;
    while (n > cap - b->n) cap *= 2;
    uint8_t *p = realloc(b->p, cap);
    if (!p) {
      b->bad = 1;
      return;
    }
    b->p = p, b->cap = cap;
  }
  memcpy(b->p + b->n, v, n);
  b->n += n;
}

static void put_u64(buf *b, uint64_t v) {
  uint8_t c[8];
  for (int i = 0; i < 8; i++) c[i] = (uint8_t)(v >> (8 * i));
  put(b, c, 8);
}

static void put_u32(buf *b, uint32_t v) {
  uint8_t c[4];
  for (int i = 0; i < 4; i++) c[i] = (uint8_t)(v >> (8 * i));
  put(b, c, 4);
}

static void put_f64(buf *b, double d) {
  uint64_t u;
  memcpy(&u, &d, sizeof u);
  put_u64(b, u);
}

static void put_str(buf *b, const char *s) {
  size_t n = s ? strlen(s) : 0;
  put_u64(b, n);
  put(b, s, n);
}

typedef struct rd {
  const uint8_t *p;
  size_t n, at;
  int bad; /* read past the end: every later read gives zeros */
} rd;

static const uint8_t *take(rd *r, size_t n) {
  if (r->bad || n > r->n - r->at) {
    r->bad = 1;
    return NULL;
  }
  const uint8_t *p = r->p + r->at;
  r->at += n;
  return p;
}

static uint64_t get_u64(rd *r) {
  const uint8_t *c = take(r, 8);
  uint64_t v = 0;
  for (int i = 0; c && i < 8; i++) v |= (uint64_t)c[i] << (8 * i);
  return v;
}

static uint32_t get_u32(rd *r) {
  const uint8_t *c = take(r, 4);
  uint32_t v = 0;
  for (int i = 0; c && i < 4; i++) v |= (uint32_t)c[i] << (8 * i);
  return v;
}

static double get_f64(rd *r) {
  uint64_t u = get_u64(r);
  double d;
  memcpy(&d, &u, sizeof d);
  return d;
}

/* ---- the key ---- */

/* The key's bytes in *b; -1 if k cannot be cached. */
static int key_bytes(const surrogate_key *k, buf *b) {
  const kernel_type *t = k->type;
  const surrogate_spec *sp = k->spec;
  if (!t || !t->name || (t->nparams && !k->params) || k->naux > MAX_AUX) return -1;
  if (sp && (sp->mass_kg || surrogate_check_spec(sp, NULL))) return -1;
  put_str(b, "customs-sim surrogate cache key");
  put_u32(b, SURROGATE_CACHE_FORMAT);
  put_str(b, t->name);
  put_u32(b, k->version);
  put_u64(b, t->nparams);
  for (size_t i = 0; i < t->nparams; i++) {
    put_str(b, t->params ? t->params[i].name : "");
    put_f64(b, k->params[i]);
  }
  put_u64(b, k->seed);
  put_str(b, GSL_VERSION);
  put_str(b, k->extra);
  put_u32(b, KIND_N), put_u32(b, CONTRA_N), put_u32(b, CONCEAL_N);
  put(b, (const uint8_t[]){sp != NULL}, 1);
  if (sp) {
    put_u64(b, sp->nkinds);
    put(b, sp->kinds, sp->nkinds);
    put(b, sp->kind_row, KIND_N);
    put_u64(b, sp->ncontra);
    put(b, sp->contra, sp->ncontra);
    put_u64(b, sp->nedges);
    for (size_t i = 0; i < sp->nedges; i++) put_f64(b, sp->kg_edges[i]);
    put_u64(b, sp->nconceal);
    put(b, sp->conceal, sp->nconceal);
    put(b, sp->conceal_col, CONCEAL_N);
    put_u64(b, sp->n_clean);
    put_u64(b, sp->n_cell);
  }
  put_u64(b, k->naux);
  return b->bad ? -1 : 0;
}

static int path_of(const char *dir, const surrogate_key *k, const buf *key, char *path,
                   size_t len) {
  char name[40];
  size_t j = 0;
  for (const char *c = k->type->name; *c && j < 24; c++) /* file-name-safe kernel name */
    name[j++] = (*c >= 'a' && *c <= 'z') || (*c >= 'A' && *c <= 'Z') ||
                        (*c >= '0' && *c <= '9') || *c == '-' || *c == '_'
                    ? *c
                    : '_';
  name[j] = 0;
  int w = snprintf(path, len, "%s/%s-%016llx.sur", dir, name,
                   (unsigned long long)fnv1a(key->p, key->n));
  return w > 0 && (size_t)w < len ? 0 : -1;
}

int surrogate_cache_path(const char *dir, const surrogate_key *k, char *path, size_t len) {
  buf key = {0};
  int rc = dir && *dir && !key_bytes(k, &key) ? path_of(dir, k, &key, path, len) : -1;
  free(key.p);
  return rc;
}

/* ---- loading ---- */

/* The whole file in a malloc'd buffer (*n bytes); NULL if it cannot be read. */
static uint8_t *slurp(const char *path, size_t *n) {
  int fd = open(path, O_RDONLY | O_CLOEXEC);
  if (fd < 0) return NULL;
  struct stat st;
  uint8_t *p = NULL;
  if (!fstat(fd, &st) && S_ISREG(st.st_mode) && st.st_size > 0 &&
      (uint64_t)st.st_size <= MAX_FILE && (p = malloc((size_t)st.st_size))) {
    size_t got = 0, want = (size_t)st.st_size;
    while (got < want) {
      ssize_t r = read(fd, p + got, want - got);
      if (r < 0 && errno == EINTR) continue;
      if (r <= 0) break;
      got += (size_t)r;
    }
    if (got != want) free(p), p = NULL;
    *n = got;
  }
  close(fd);
  return p;
}

/* Reads the table part of an entry into a table shaped by sp; -1 if anything is off. */
static int read_table(rd *r, const surrogate_spec *sp, surrogate *s) {
  if (get_u64(r) != s->nkinds || get_u64(r) != s->ncells || get_u64(r) != s->nitems) return -1;
  size_t pos = 0;
  for (size_t c = 0; c < s->ncells; c++) {
    uint64_t off = get_u64(r), cnt = get_u64(r);
    uint64_t want = c % s->row_cells ? sp->n_cell : sp->n_clean;
    if (r->bad || off != pos || cnt != want) return -1;
    s->off[c] = pos, s->cnt[c] = (size_t)cnt, pos += (size_t)cnt;
  }
  if (pos != s->nitems) return -1;
  for (size_t i = 0; i < s->nitems; i++)
    if (!isfinite(s->score[i] = get_f64(r))) return -1;
  for (size_t i = 0; i < s->nitems; i++)
    if (!isfinite(s->time[i] = get_f64(r))) return -1;
  const uint8_t *a = take(r, s->nitems);
  if (!a) return -1;
  for (size_t i = 0; i < s->nitems; i++)
    if ((s->alarm[i] = a[i]) > 1) return -1;
  return r->bad ? -1 : 0;
}

static int parse(const uint8_t *p, size_t n, const surrogate_key *k, const buf *key,
                 surrogate **out, double *aux) {
  if (n < sizeof magic + 8 || memcmp(p, magic, sizeof magic)) return -1;
  uint64_t sum = 0;
  for (int i = 0; i < 8; i++) sum |= (uint64_t)p[n - 8 + i] << (8 * i);
  if (sum != fnv1a(p, n - 8)) return -1;
  rd r = {p, n - 8, sizeof magic, 0};
  if (get_u32(&r) != SURROGATE_CACHE_FORMAT || get_u64(&r) != key->n) return -1;
  const uint8_t *kb = take(&r, key->n);
  if (!kb || memcmp(kb, key->p, key->n) || get_u64(&r) != k->naux) return -1;
  const uint8_t *ab = take(&r, 8 * k->naux); /* decoded only once all else holds */
  const uint8_t *has = take(&r, 1);
  if (!ab || !has || *has != (k->spec != NULL)) return -1;
  surrogate *s = k->spec ? surrogate_alloc_table(k->spec) : NULL;
  if (k->spec && (!s || read_table(&r, k->spec, s))) return surrogate_free(s), -1;
  if (r.bad || r.at != r.n) return surrogate_free(s), -1;
  rd ra = {ab, 8 * k->naux, 0, 0};
  for (size_t i = 0; i < k->naux; i++) aux[i] = get_f64(&ra);
  *out = s;
  return 0;
}

int surrogate_cache_load(const char *dir, const surrogate_key *k, surrogate **out, double *aux) {
  *out = NULL;
  buf key = {0};
  char path[MAX_PATH];
  uint8_t *p = NULL;
  size_t n = 0;
  int hit = dir && *dir && !key_bytes(k, &key) && !path_of(dir, k, &key, path, sizeof path) &&
            (p = slurp(path, &n)) && !parse(p, n, k, &key, out, aux);
  if (hit) kcache_used(path); /* the folder is pruned least recently used first */
  free(p);
  free(key.p);
  return hit;
}

/* ---- storing ---- */

/* mkdir -p: creates dir and its missing parents. */
static int mkdir_p(const char *dir) {
  char p[MAX_PATH];
  size_t n = strlen(dir);
  if (!n || n >= sizeof p) return -1;
  memcpy(p, dir, n + 1);
  for (char *c = p + 1; *c; c++) {
    if (*c != '/') continue;
    *c = 0;
    if (mkdir(p, 0777) && errno != EEXIST) return -1;
    *c = '/';
  }
  return mkdir(p, 0777) && errno != EEXIST ? -1 : 0;
}

static int write_all(int fd, const uint8_t *p, size_t n) {
  while (n) {
    ssize_t w = write(fd, p, n);
    if (w < 0 && errno == EINTR) continue;
    if (w <= 0) return -1;
    p += w, n -= (size_t)w;
  }
  return 0;
}

static void put_table(buf *b, const surrogate *s) {
  put_u64(b, s->nkinds), put_u64(b, s->ncells), put_u64(b, s->nitems);
  for (size_t c = 0; c < s->ncells; c++) put_u64(b, s->off[c]), put_u64(b, s->cnt[c]);
  for (size_t i = 0; i < s->nitems; i++) put_f64(b, s->score[i]);
  for (size_t i = 0; i < s->nitems; i++) put_f64(b, s->time[i]);
  put(b, s->alarm, s->nitems);
}

int surrogate_cache_store(const char *dir, const surrogate_key *k, const surrogate *s,
                          const double *aux) {
  buf key = {0}, f = {0};
  char path[MAX_PATH], tmp[MAX_PATH + 64];
  int rc = -1;
  if (!dir || !*dir || key_bytes(k, &key) || path_of(dir, k, &key, path, sizeof path) ||
      (k->spec && !s) || (k->naux && !aux))
    goto done;
  put(&f, magic, sizeof magic);
  put_u32(&f, SURROGATE_CACHE_FORMAT);
  put_u64(&f, key.n);
  put(&f, key.p, key.n);
  put_u64(&f, k->naux);
  for (size_t i = 0; i < k->naux; i++) put_f64(&f, aux[i]);
  put(&f, (const uint8_t[]){k->spec != NULL}, 1);
  if (k->spec) put_table(&f, s);
  if (!f.bad) put_u64(&f, fnv1a(f.p, f.n));
  if (f.bad) goto done;
  int w = snprintf(tmp, sizeof tmp, "%s.tmp.%ld.XXXXXX", path, (long)getpid());
  if (w <= 0 || (size_t)w >= sizeof tmp || mkdir_p(dir)) goto done;
  int fd = mkstemp(tmp);
  if (fd < 0) goto done;
  int ok = !fchmod(fd, 0644) && !write_all(fd, f.p, f.n);
  ok = !close(fd) && ok;
  if (ok && !rename(tmp, path)) rc = 0;
  else unlink(tmp);
done:
  free(key.p);
  free(f.p);
  return rc;
}

int surrogate_build_cached(surrogate **out, const kernel_type *t, const double *params,
                           uint32_t version, void *full_state, const kernel_opts *o,
                           const surrogate_spec *spec, sim_error *err) {
  const char *dir = o ? o->cache_dir : NULL;
  surrogate_key k = {.type = t, .params = params, .seed = o ? o->seed : 0, .version = version,
                     .spec = spec};
  *out = NULL;
  if (dir && *dir && t && surrogate_cache_load(dir, &k, out, NULL)) return 0;
  int rc = surrogate_build(out, t, full_state, o, spec, err);
  if (!rc && dir && *dir) surrogate_cache_store(dir, &k, *out, NULL);
  return rc;
}
