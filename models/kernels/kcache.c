/* kcache: the cache folder and keyed binary entries (see kcache.h). */
#include "models/kernels/kcache.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
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

static uint8_t *slurp(const char *path, size_t *n) {
  int fd = open(path, O_RDONLY | O_CLOEXEC);
  if (fd < 0) return NULL;
  struct stat st;
  uint8_t *p = NULL;
  if (!fstat(fd, &st) && S_ISREG(st.st_mode) && st.st_size > 0 &&
      (uint64_t)st.st_size <= KCACHE_MAX && (p = malloc((size_t)st.st_size))) {
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

uint8_t *kcache_load(const char *dir, const char *prefix, const kc_buf *key, size_t *n) {
  char path[MAX_PATH];
  size_t fn = 0;
  uint8_t *f = NULL;
  if (kcache_path(dir, prefix, key, path, sizeof path) || !(f = slurp(path, &fn))) return NULL;
  uint64_t sum = 0;
  kc_reader r = {f, fn >= 8 ? fn - 8 : 0, 0, 0};
  for (int i = 0; fn >= 8 && i < 8; i++) sum |= (uint64_t)f[fn - 8 + i] << (8 * i);
  const uint8_t *m = kc_take(&r, sizeof magic);
  int ok = fn >= 8 && m && !memcmp(m, magic, sizeof magic) && sum == fnv1a(f, fn - 8) &&
           kc_get_u32(&r) == KCACHE_FORMAT && kc_get_u64(&r) == key->n;
  const uint8_t *kb = ok ? kc_take(&r, key->n) : NULL;
  ok = ok && kb && !memcmp(kb, key->p, key->n);
  uint64_t pn = ok ? kc_get_u64(&r) : 0;
  const uint8_t *pl = ok ? kc_take(&r, (size_t)pn) : NULL;
  uint8_t *out = ok && pl && !r.bad && r.at == r.n ? malloc(pn ? (size_t)pn : 1) : NULL;
  if (out) {
    if (pn) memcpy(out, pl, (size_t)pn);
    *n = (size_t)pn;
  }
  free(f);
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
  if (!f.bad) kc_put_u64(&f, fnv1a(f.p, f.n));
  int w = snprintf(tmp, sizeof tmp, "%s.tmp.%ld.XXXXXX", path, (long)getpid());
  if (!f.bad && w > 0 && (size_t)w < sizeof tmp && !mkdir_p(dir)) {
    int fd = mkstemp(tmp);
    if (fd >= 0) {
      int ok = !fchmod(fd, 0644) && !write_all(fd, f.p, f.n);
      ok = !close(fd) && ok;
      if (ok && !rename(tmp, path)) rc = 0;
      else unlink(tmp);
    }
  }
  kc_buf_free(&f);
  return rc;
}
