/* kcache: the cache folder and keyed binary entries (see kcache.h). */
#include "models/kernels/kcache.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#define MAX_PATH 4096

static const uint8_t magic[8] = {'c', 'k', 'c', 'h', '\r', '\n', 0x1a, '\n'};

int kcache_dir(char *out, size_t len) {
  const char *env = getenv("CUSTOMS_CACHE_DIR"), *xdg = getenv("XDG_CACHE_HOME");
  const char *home = getenv("HOME");
  int w = -1;
  if (env && *env) w = snprintf(out, len, "%s", env);
  else if (xdg && *xdg) w = snprintf(out, len, "%s/customs-sim", xdg);
  else if (home && *home) w = snprintf(out, len, "%s/.cache/customs-sim", home);
  if (w > 0 && (size_t)w < len) return 0;
  if (len) *out = 0;
  return -1;
}

static uint64_t fnv1a(const uint8_t *p, size_t n) {
  uint64_t h = 0xcbf29ce484222325u;
  for (size_t i = 0; i < n; i++) h = (h ^ p[i]) * 0x100000001b3u;
  return h;
}

static inline uint64_t mix(uint64_t h, uint64_t w) {
  return (((h << 31) | (h >> 33)) ^ w) * 0x100000001b3u;
}

/* The entry's checksum: four FNV-like lanes over 64-bit words (a byte at a time was a
 * tenth of a warm start-up for the largest entries). Catches damage, not forgery. */
static uint64_t checksum(const uint8_t *p, size_t n) {
  uint64_t h[4] = {0xcbf29ce484222325u, 0x84222325cbf29ce4u, 0x9e3779b97f4a7c15u, n};
  size_t i = 0;
  for (; i + 32 <= n; i += 32)
    for (int k = 0; k < 4; k++) {
      uint64_t w;
      memcpy(&w, p + i + 8 * k, 8);
      h[k] = mix(h[k], w);
    }
  for (; i < n; i++) h[0] = mix(h[0], p[i]);
  return mix(mix(mix(h[0], h[1]), h[2]), h[3]);
}

/* ---- buffers ---- */

void kc_put(kc_buf *b, const void *v, size_t n) {
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

void kc_put_u64(kc_buf *b, uint64_t v) {
  uint8_t c[8];
  for (int i = 0; i < 8; i++) c[i] = (uint8_t)(v >> (8 * i));
  kc_put(b, c, 8);
}

void kc_put_u32(kc_buf *b, uint32_t v) {
  uint8_t c[4];
  for (int i = 0; i < 4; i++) c[i] = (uint8_t)(v >> (8 * i));
  kc_put(b, c, 4);
}

void kc_put_f64(kc_buf *b, double d) {
  uint64_t u;
  memcpy(&u, &d, sizeof u);
  kc_put_u64(b, u);
}

void kc_put_f32(kc_buf *b, float f) {
  uint32_t u;
  memcpy(&u, &f, sizeof u);
  kc_put_u32(b, u);
}

void kc_put_str(kc_buf *b, const char *s) {
  size_t n = s ? strlen(s) : 0;
  kc_put_u64(b, n);
  kc_put(b, s, n);
}

void kc_buf_free(kc_buf *b) {
  free(b->p);
  memset(b, 0, sizeof *b);
}

const uint8_t *kc_take(kc_reader *r, size_t n) {
  if (r->bad || n > r->n - r->at) {
    r->bad = 1;
    return NULL;
  }
  const uint8_t *p = r->p + r->at;
  r->at += n;
  return p;
}

uint64_t kc_get_u64(kc_reader *r) {
  const uint8_t *c = kc_take(r, 8);
  uint64_t v = 0;
  for (int i = 0; c && i < 8; i++) v |= (uint64_t)c[i] << (8 * i);
  return v;
}

uint32_t kc_get_u32(kc_reader *r) {
  const uint8_t *c = kc_take(r, 4);
  uint32_t v = 0;
  for (int i = 0; c && i < 4; i++) v |= (uint32_t)c[i] << (8 * i);
  return v;
}

double kc_get_f64(kc_reader *r) {
  uint64_t u = kc_get_u64(r);
  double d;
  memcpy(&d, &u, sizeof d);
  return d;
}

float kc_get_f32(kc_reader *r) {
  uint32_t u = kc_get_u32(r);
  float f;
  memcpy(&f, &u, sizeof f);
  return f;
}

void kc_get(kc_reader *r, void *dst, size_t n) {
  if (!n) return;
  const uint8_t *p = kc_take(r, n);
  if (p) memcpy(dst, p, n);
  else memset(dst, 0, n);
}

/* ---- files ---- */

int kcache_path(const char *dir, const char *prefix, const kc_buf *key, char *path, size_t len) {
  if (!dir || !*dir || key->bad) return -1;
  int w = snprintf(path, len, "%s/%s-%016llx.kc", dir, prefix,
                   (unsigned long long)fnv1a(key->p, key->n));
  return w > 0 && (size_t)w < len ? 0 : -1;
}

/* The whole file at path, mapped read-only (m->base, m->len); -1 if there is none. */
static int map_file(const char *path, kc_map *m) {
  int fd = open(path, O_RDONLY | O_CLOEXEC);
  if (fd < 0) return -1;
  struct stat st;
  void *p = MAP_FAILED;
  if (!fstat(fd, &st) && S_ISREG(st.st_mode) && st.st_size > 0 &&
      (uint64_t)st.st_size <= KCACHE_MAX)
    p = mmap(NULL, (size_t)st.st_size, PROT_READ, MAP_PRIVATE | MAP_POPULATE, fd, 0);
  close(fd);
  if (p == MAP_FAILED) return -1;
  m->base = p, m->len = (size_t)st.st_size;
  return 0;
}

void kcache_unmap(kc_map *m) {
  if (m && m->base) munmap(m->base, m->len);
  if (m) *m = (kc_map){0};
}

int kcache_map(const char *dir, const char *prefix, const kc_buf *key, kc_map *m) {
  char path[MAX_PATH];
  *m = (kc_map){0};
  if (kcache_path(dir, prefix, key, path, sizeof path) || map_file(path, m)) return -1;
  const uint8_t *f = m->base;
  size_t fn = m->len;
  uint64_t sum = 0;
  kc_reader r = {f, fn >= 8 ? fn - 8 : 0, 0, 0};
  for (int i = 0; fn >= 8 && i < 8; i++) sum |= (uint64_t)f[fn - 8 + i] << (8 * i);
  const uint8_t *mg = kc_take(&r, sizeof magic);
  int ok = fn >= 8 && mg && !memcmp(mg, magic, sizeof magic) && kc_get_u32(&r) == KCACHE_FORMAT &&
           kc_get_u64(&r) == key->n;
  const uint8_t *kb = ok ? kc_take(&r, key->n) : NULL;
  ok = ok && kb && !memcmp(kb, key->p, key->n);
  uint64_t pn = ok ? kc_get_u64(&r) : 0;
  const uint8_t *pl = ok ? kc_take(&r, (size_t)pn) : NULL;
  if (!ok || !pl || r.bad || r.at != r.n || sum != checksum(f, fn - 8)) {
    kcache_unmap(m);
    return -1;
  }
  m->p = pl, m->n = (size_t)pn;
  kcache_used(path);
  return 0;
}

void kcache_used(const char *path) { utimensat(AT_FDCWD, path, NULL, 0); }

uint8_t *kcache_load(const char *dir, const char *prefix, const kc_buf *key, size_t *n) {
  kc_map m;
  if (kcache_map(dir, prefix, key, &m)) return NULL;
  uint8_t *out = malloc(m.n ? m.n : 1);
  if (out) {
    if (m.n) memcpy(out, m.p, m.n);
    *n = m.n;
  }
  kcache_unmap(&m);
  return out;
}

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

/* Whether name is one of the cache's entries: "<prefix>-<16 hex digits>.kc" or ".sur". */
static int is_entry(const char *name) {
  const char *dot = strrchr(name, '.');
  if (!dot || (strcmp(dot, ".kc") && strcmp(dot, ".sur")) || dot - name < 18) return 0;
  if (dot[-17] != '-') return 0;
  for (const char *c = dot - 16; c < dot; c++)
    if (!((*c >= '0' && *c <= '9') || (*c >= 'a' && *c <= 'f'))) return 0;
  return 1;
}

typedef struct kc_entry {
  char *name;
  uint64_t size;
  struct timespec t;
} kc_entry;

static int older_first(const void *a, const void *b) {
  const kc_entry *x = a, *y = b;
  if (x->t.tv_sec != y->t.tv_sec) return x->t.tv_sec < y->t.tv_sec ? -1 : 1;
  if (x->t.tv_nsec != y->t.tv_nsec) return x->t.tv_nsec < y->t.tv_nsec ? -1 : 1;
  return strcmp(x->name, y->name);
}

static int list_entries(const char *dir, kc_entry **out, size_t *n, uint64_t *total) {
  DIR *d = opendir(dir);
  if (!d) return -1;
  kc_entry *v = NULL;
  size_t cap = 0;
  int rc = 0;
  *n = 0, *total = 0;
  for (struct dirent *e; !rc && (e = readdir(d));) {
    struct stat st;
    if (!is_entry(e->d_name) || fstatat(dirfd(d), e->d_name, &st, AT_SYMLINK_NOFOLLOW) ||
        !S_ISREG(st.st_mode))
      continue;
    if (*n == cap) {
      kc_entry *w = realloc(v, (cap = cap ? 2 * cap : 64) * sizeof *v);
      if (!w) rc = -1;
      else v = w;
    }
    if (!rc && !(v[*n].name = strdup(e->d_name))) rc = -1;
    if (!rc) {
      v[*n].size = (uint64_t)st.st_size, v[*n].t = st.st_mtim;
      *total += v[(*n)++].size;
    }
  }
  closedir(d);
  *out = v;
  return rc;
}

int kcache_prune(const char *dir, uint64_t max_bytes) {
  kc_entry *v = NULL;
  size_t n = 0, gone = 0;
  uint64_t total = 0;
  int rc = dir && *dir ? list_entries(dir, &v, &n, &total) : -1;
  if (!rc && total > max_bytes) {
    qsort(v, n, sizeof *v, older_first);
    char path[MAX_PATH];
    for (size_t i = 0; i + 1 < n && total > max_bytes; i++) { /* the newest one stays */
      int w = snprintf(path, sizeof path, "%s/%s", dir, v[i].name);
      if (w > 0 && (size_t)w < sizeof path && !unlink(path)) total -= v[i].size, gone++;
    }
  }
  for (size_t i = 0; i < n; i++) free(v[i].name);
  free(v);
  return rc ? -1 : (int)gone;
}

uint64_t kcache_max_bytes(void) {
  const char *env = getenv("CUSTOMS_CACHE_MAX_MB");
  char *end = NULL;
  double mb = env && *env ? strtod(env, &end) : NAN;
  if (!(mb > 0) || (end && *end) || mb > 1e9) mb = KCACHE_MAX_MB;
  return (uint64_t)(mb * 1048576.0);
}

int kcache_store(const char *dir, const char *prefix, const kc_buf *key, const uint8_t *payload,
                 size_t n) {
  char path[MAX_PATH], tmp[MAX_PATH + 64];
  kc_buf f = {0};
  int rc = -1;
  if (kcache_path(dir, prefix, key, path, sizeof path) || (n && !payload)) return -1;
  kc_put(&f, magic, sizeof magic);
  kc_put_u32(&f, KCACHE_FORMAT);
  kc_put_u64(&f, key->n);
  kc_put(&f, key->p, key->n);
  kc_put_u64(&f, n);
  kc_put(&f, payload, n);
  if (!f.bad) kc_put_u64(&f, checksum(f.p, f.n));
  int w = snprintf(tmp, sizeof tmp, "%s.tmp.%ld.XXXXXX", path, (long)getpid());
  if (!f.bad && w > 0 && (size_t)w < sizeof tmp && !mkdir_p(dir)) {
    int fd = mkstemp(tmp);
    if (fd >= 0) {
      int ok = !fchmod(fd, 0644) && !write_all(fd, f.p, f.n);
      ok = !close(fd) && ok;
      if (ok && !rename(tmp, path)) rc = 0;
      else unlink(tmp);
      if (!rc) kcache_prune(dir, kcache_max_bytes()); /* the folder stays bounded */
    }
  }
  kc_buf_free(&f);
  return rc;
}
