/* test_kernel_cache: the calibration cache (surrogate_cache.h). A toy kernel that counts
 * its runs shows when a table was built and when it was loaded; the X-ray and NQR
 * kernels show that a loaded table (and the X-ray classifier) decides exactly as a
 * fresh build does. Damaged files (a flipped byte, truncation, trailing bytes, a wrong
 * format number with a valid checksum, another key's file under this key's name, X-ray
 * classifier values that make no sense under a valid checksum) are ignored and rebuilt; an
 * unwritable directory only means no cache; missing parents are created; two threads creating the
 * same kernel at once both succeed. Every file lives in a mkdtemp directory that is removed at the
 * end. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>
#include <dirent.h>
#include <fcntl.h>
#include <math.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <gsl/gsl_rng.h>

#include "models/kernels/nqr.h"
#include "models/kernels/surrogate.h"
#include "models/kernels/surrogate_cache.h"
#include "models/kernels/xray.h"
#include "sim/error.h"

/* ---- a scratch directory ---- */

static char root[64];

static void rm_tree(const char *dir) {
  DIR *d = opendir(dir);
  if (!d) return;
  struct dirent *e;
  char p[512];
  while ((e = readdir(d))) {
    if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, "..")) continue;
    snprintf(p, sizeof p, "%s/%s", dir, e->d_name);
    struct stat st;
    if (!lstat(p, &st) && S_ISDIR(st.st_mode)) rm_tree(p);
    else unlink(p);
  }
  closedir(d);
  rmdir(dir);
}

static int setup(void **state) {
  (void)state;
  strcpy(root, "/tmp/customs-cache-test.XXXXXX");
  return mkdtemp(root) ? 0 : -1;
}

static int teardown(void **state) {
  (void)state;
  rm_tree(root);
  return 0;
}

/* A fresh empty directory under root for one test. */
static void fresh(char *dir, size_t len, const char *name) {
  snprintf(dir, len, "%s/%s", root, name);
  rm_tree(dir);
}

/* Files in dir whose names contain part. */
static int count_files(const char *dir, const char *part) {
  DIR *d = opendir(dir);
  if (!d) return 0;
  int n = 0;
  for (struct dirent *e; (e = readdir(d));) n += strstr(e->d_name, part) != NULL;
  closedir(d);
  return n;
}

static long file_size(const char *path) {
  struct stat st;
  return stat(path, &st) ? -1 : (long)st.st_size;
}

static ino_t inode(const char *path) {
  struct stat st;
  return stat(path, &st) ? 0 : st.st_ino;
}

static uint8_t *read_file(const char *path, long *n) {
  FILE *f = fopen(path, "rb");
  assert_non_null(f);
  *n = file_size(path);
  uint8_t *p = malloc((size_t)*n);
  assert_non_null(p);
  assert_int_equal(fread(p, 1, (size_t)*n, f), (size_t)*n);
  fclose(f);
  return p;
}

static void write_file(const char *path, const uint8_t *p, long n) {
  FILE *f = fopen(path, "wb");
  assert_non_null(f);
  assert_int_equal(fwrite(p, 1, (size_t)n, f), (size_t)n);
  fclose(f);
}

/* ---- the toy kernel ---- */

/* Alarm with probability 0.2 (clean) or 0.7 (contraband); counts its runs. */
static int toy_decide(void *state, const item *it, gsl_rng *r, kernel_verdict *v) {
  (*(long *)state)++;
  double u = gsl_rng_uniform(r);
  v->alarm = u < (it->truth.contraband ? 0.7 : 0.2);
  v->score = u;
  v->time_s = 5 + 10 * v->alarm;
  return 0;
}

static const kernel_param toy_params[] = {{"level", 1, 0, 10, "a parameter"}};
static const kernel_type toy = {
    .name = "toy", .help = "test kernel", .params = toy_params, .nparams = 1, .decide = toy_decide};

static const uint8_t kinds[] = {KIND_EXPRESS, KIND_MAIL};
static const uint8_t contra[] = {CONTRA_METH, CONTRA_COCAINE};
static const double edges[] = {0.1, 1, 10};
static const uint8_t conceal[] = {CONCEAL_NONE, CONCEAL_SHIELDED};

static surrogate_spec toy_spec(void) {
  surrogate_spec s = {kinds, 2, {0, 0, 0, 0, 1, 0, 0, 0}, contra, 2, edges, 3, conceal, 2,
                      {0, 0, 1, -1}, 50, 20, NULL};
  return s;
}
enum { TOY_ITEMS = 2 * (50 + 2 * 2 * 2 * 20) };

/* Builds through the cache in dir; *calls counts the toy's runs. */
static surrogate *toy_build(const char *dir, double level, uint32_t version, long *calls) {
  surrogate_spec sp = toy_spec();
  kernel_opts o = {1, 17, dir};
  surrogate *s = NULL;
  sim_error err = {0};
  assert_int_equal(surrogate_build_cached(&s, &toy, &level, version, calls, &o, &sp, &err), 0);
  assert_non_null(s);
  return s;
}

/* A decide stream from a fixed seed over many items of every kind and cell. */
static void decisions(const surrogate *s, int (*decide)(void *, const item *, gsl_rng *,
                                                         kernel_verdict *),
                      void *st, int n, kernel_verdict *out) {
  gsl_rng *r = gsl_rng_alloc(gsl_rng_mt19937), *ri = gsl_rng_alloc(gsl_rng_mt19937);
  gsl_rng_set(r, 1234), gsl_rng_set(ri, 99);
  for (int i = 0; i < n; i++) {
    item it;
    memset(&it, 0, sizeof it);
    it.kind = (uint8_t)(i % KIND_N);
    it.truth.contraband = (uint8_t)(i % 3 ? 0 : 1 + i / 3 % (CONTRA_N - 1));
    it.truth.contraband_kg = it.truth.contraband ? 0.02 * (1 + i % 200) : 0;
    it.truth.concealment = (uint8_t)(it.truth.contraband ? i % CONCEAL_N : 0);
    it.mass_kg = surrogate_mass_kg(it.kind, ri) + it.truth.contraband_kg;
    memset(&out[i], 0, sizeof out[i]);
    int rc = s ? surrogate_decide(s, &it, r, &out[i]) : decide(st, &it, r, &out[i]);
    assert_int_equal(rc, 0);
  }
  gsl_rng_free(r), gsl_rng_free(ri);
}

static void assert_same(const kernel_verdict *a, const kernel_verdict *b, int n) {
  for (int i = 0; i < n; i++) {
    if (a[i].score == b[i].score && a[i].alarm == b[i].alarm && a[i].time_s == b[i].time_s)
      continue;
    print_error("verdict %d differs: %.17g %d %g vs %.17g %d %g\n", i, a[i].score, a[i].alarm,
                a[i].time_s, b[i].score, b[i].alarm, b[i].time_s);
    fail();
  }
}

static void toy_path(const char *dir, double level, uint32_t version, char *path, size_t len) {
  surrogate_spec sp = toy_spec();
  surrogate_key k = {&toy, &level, 17, version, NULL, &sp, 0};
  assert_int_equal(surrogate_cache_path(dir, &k, path, len), 0);
}

enum { NV = 5000, NFEAT_SD = 8 /* region features of the X-ray models (xray_internal.h) */ };

/* Build, store, load: the loaded table decides exactly as the built one and as one
 * built without a cache; other settings miss. */
static void test_round_trip(void **state) {
  (void)state;
  char dir[256], path[512];
  fresh(dir, sizeof dir, "round");
  long calls = 0;
  surrogate *a = toy_build(NULL, 1, 1, &calls); /* no cache */
  assert_int_equal(calls, TOY_ITEMS);
  surrogate *b = toy_build(dir, 1, 1, &calls); /* builds and stores */
  assert_int_equal(calls, 2 * TOY_ITEMS);
  toy_path(dir, 1, 1, path, sizeof path);
  assert_true(file_size(path) > TOY_ITEMS * 17);
  struct timespec old[2] = {{1000, 0}, {1000, 0}};
  assert_int_equal(utimensat(AT_FDCWD, path, old, 0), 0);
  surrogate *c = toy_build(dir, 1, 1, &calls); /* loads */
  assert_int_equal(calls, 2 * TOY_ITEMS);
  struct stat st; /* a load renews the entry's time (the folder is pruned by it) */
  assert_true(stat(path, &st) == 0 && st.st_mtime > 1000);
  static kernel_verdict va[NV], vb[NV], vc[NV];
  decisions(a, NULL, NULL, NV, va), decisions(b, NULL, NULL, NV, vb);
  decisions(c, NULL, NULL, NV, vc);
  assert_same(va, vb, NV), assert_same(va, vc, NV);
  assert_int_equal(surrogate_items(c), TOY_ITEMS);
  assert_true(surrogate_auc(a, -1, -1) == surrogate_auc(c, -1, -1));
  /* another parameter value or version is another entry */
  surrogate_free(toy_build(dir, 2, 1, &calls));
  assert_int_equal(calls, 3 * TOY_ITEMS);
  surrogate_free(toy_build(dir, 1, 2, &calls));
  assert_int_equal(calls, 4 * TOY_ITEMS);
  assert_int_equal(count_files(dir, ".sur"), 3);
  assert_int_equal(count_files(dir, ".tmp."), 0);
  /* a spec with its own mass model cannot be keyed: built, never stored */
  surrogate_spec sp = toy_spec();
  sp.mass_kg = surrogate_mass_kg;
  kernel_opts o = {1, 17, dir};
  surrogate *d = NULL;
  double level = 1;
  assert_int_equal(surrogate_build_cached(&d, &toy, &level, 1, &calls, &o, &sp, NULL), 0);
  assert_int_equal(count_files(dir, ".sur"), 3);
  surrogate_free(a), surrogate_free(b), surrogate_free(c), surrogate_free(d);
}

/* Loads the cached entry of (level 1, version 1) after damage: must rebuild (the toy
 * runs again), give the same table, and leave a valid file behind (next load hits). */
static void expect_rebuild(const char *dir, const char *path, const char *what) {
  long calls = 0;
  static kernel_verdict va[NV], vb[NV];
  surrogate *s = toy_build(dir, 1, 1, &calls);
  if (calls != TOY_ITEMS) {
    print_error("%s: file was trusted\n", what);
    fail();
  }
  surrogate *ref = toy_build(NULL, 1, 1, &calls);
  decisions(s, NULL, NULL, NV, va), decisions(ref, NULL, NULL, NV, vb);
  assert_same(va, vb, NV);
  surrogate_free(s), surrogate_free(ref);
  calls = 0;
  surrogate_free(toy_build(dir, 1, 1, &calls));
  assert_int_equal(calls, 0);
  assert_true(file_size(path) > 0);
  assert_int_equal(count_files(dir, ".tmp."), 0);
}

static uint64_t fnv1a(const uint8_t *p, size_t n) {
  uint64_t h = 0xcbf29ce484222325u;
  for (size_t i = 0; i < n; i++) h = (h ^ p[i]) * 0x100000001b3u;
  return h;
}

static void fix_checksum(uint8_t *p, long n) {
  uint64_t h = fnv1a(p, (size_t)n - 8);
  for (int i = 0; i < 8; i++) p[n - 8 + i] = (uint8_t)(h >> (8 * i));
}

static void test_damaged_files(void **state) {
  (void)state;
  char dir[256], path[512], other[512];
  fresh(dir, sizeof dir, "damage");
  long calls = 0, n;
  surrogate_free(toy_build(dir, 1, 1, &calls));
  toy_path(dir, 1, 1, path, sizeof path);
  uint8_t *good = read_file(path, &n);
  uint8_t *bad = malloc((size_t)n + 16);
  assert_non_null(bad);
  /* a flipped bit anywhere: header, key, table, checksum */
  long at[] = {0, 9, 20, n / 2, n - 20, n - 1};
  for (size_t i = 0; i < sizeof at / sizeof *at; i++) {
    memcpy(bad, good, (size_t)n);
    bad[at[i]] ^= 0x10;
    write_file(path, bad, n);
    expect_rebuild(dir, path, "flipped bit");
  }
  /* truncated at several lengths, empty, and with bytes appended */
  long cut[] = {0, 1, 8, 30, n / 3, n - 9, n - 1};
  for (size_t i = 0; i < sizeof cut / sizeof *cut; i++) {
    write_file(path, good, cut[i]);
    expect_rebuild(dir, path, "truncated");
  }
  memcpy(bad, good, (size_t)n);
  memset(bad + n, 0, 16);
  write_file(path, bad, n + 16);
  expect_rebuild(dir, path, "trailing bytes");
  /* wrong format number, valid checksum */
  memcpy(bad, good, (size_t)n);
  bad[8] = (uint8_t)(SURROGATE_CACHE_FORMAT + 1);
  fix_checksum(bad, n);
  write_file(path, bad, n);
  expect_rebuild(dir, path, "wrong format");
  /* a bad value (an alarm byte of 2) with a valid checksum */
  memcpy(bad, good, (size_t)n);
  bad[n - 9] = 2;
  fix_checksum(bad, n);
  write_file(path, bad, n);
  expect_rebuild(dir, path, "bad alarm value");
  /* another key's valid file under this key's name: the stored key differs */
  surrogate_free(toy_build(dir, 3, 1, &calls));
  toy_path(dir, 3, 1, other, sizeof other);
  long m;
  uint8_t *foreign = read_file(other, &m);
  write_file(path, foreign, m);
  expect_rebuild(dir, path, "foreign key");
  /* a directory in the entry's place: ignored, and not replaceable (still works) */
  unlink(path);
  assert_int_equal(mkdir(path, 0700), 0);
  calls = 0;
  surrogate_free(toy_build(dir, 1, 1, &calls));
  assert_int_equal(calls, TOY_ITEMS);
  assert_int_equal(count_files(dir, ".tmp."), 0);
  rmdir(path);
  free(good), free(bad), free(foreign);
}

/* No cache when the directory cannot be made or written (a path through a regular
 * file fails even for root); nested missing parents are created. */
static void test_directories(void **state) {
  (void)state;
  char dir[256], file[256];
  fresh(dir, sizeof dir, "dirs");
  assert_int_equal(mkdir(dir, 0700), 0);
  snprintf(file, sizeof file, "%s/plain", dir);
  write_file(file, (const uint8_t *)"x", 1);
  char bad[300];
  snprintf(bad, sizeof bad, "%s/sub/cache", file);
  long calls = 0;
  surrogate *a = toy_build(bad, 1, 1, &calls), *b = toy_build(bad, 1, 1, &calls);
  assert_int_equal(calls, 2 * TOY_ITEMS); /* built twice: nothing cached */
  static kernel_verdict va[NV], vb[NV];
  decisions(a, NULL, NULL, NV, va), decisions(b, NULL, NULL, NV, vb);
  assert_same(va, vb, NV);
  surrogate_free(a), surrogate_free(b);
  assert_int_equal(count_files(dir, ".tmp."), 0);
  char nested[300];
  snprintf(nested, sizeof nested, "%s/a/b/c/", dir);
  calls = 0;
  surrogate_free(toy_build(nested, 1, 1, &calls));
  surrogate_free(toy_build(nested, 1, 1, &calls));
  assert_int_equal(calls, TOY_ITEMS);
  assert_int_equal(count_files(nested, ".sur"), 1);
  /* aux-only entries (a kernel's own values, no table) round-trip too */
  surrogate_key k = {&toy, (const double[]){1}, 5, 1, "extra", NULL, 3};
  double aux[3] = {1.5, -0.0, NAN}, back[3] = {0};
  surrogate *s = (surrogate *)&calls;
  assert_int_equal(surrogate_cache_load(nested, &k, &s, back), 0);
  assert_null(s);
  assert_int_equal(surrogate_cache_store(nested, &k, NULL, aux), 0);
  assert_int_equal(surrogate_cache_load(nested, &k, &s, back), 1);
  assert_null(s);
  assert_memory_equal(aux, back, sizeof aux);
  k.extra = "other";
  assert_int_equal(surrogate_cache_load(nested, &k, &s, back), 0);
  assert_int_equal(surrogate_cache_store(bad, &k, NULL, aux), -1);
}

/* ---- the real kernels ---- */

static void defaults(const kernel_type *t, double *v) {
  for (size_t i = 0; i < t->nparams; i++) v[i] = t->params[i].def;
}

static void set(const kernel_type *t, double *v, const char *name, double x) {
  size_t i = 0;
  while (i < t->nparams && strcmp(t->params[i].name, name)) i++;
  assert_true(i < t->nparams);
  v[i] = x;
}

static void *create(const kernel_type *t, const double *v, int sur, const char *dir) {
  kernel_opts o = {sur, 5, dir};
  void *st = NULL;
  sim_error err = {0};
  if (t->new(&st, v, &o, &err)) print_error("%s: %s\n", t->name, err.msg);
  assert_non_null(st);
  return st;
}

static void small_xray(double *v) {
  const kernel_type *t = &kernel_xray_type;
  defaults(t, v);
  set(t, v, "train_items", 200), set(t, v, "pixels", 64);
  set(t, v, "calib_clean", 20), set(t, v, "calib_per_cell", 3);
}

/* X-ray in surrogate mode and in full mode (only the classifier cached): a kernel built
 * without a cache, one that stores, and one that loads decide alike over NV items. The
 * surrogate-mode build stores the full-mode entry too (the classifier is the same). */
static void test_xray_identical(void **state) {
  (void)state;
  const kernel_type *t = &kernel_xray_type;
  char dir[256];
  fresh(dir, sizeof dir, "xray");
  double v[32];
  small_xray(v);
  static kernel_verdict va[NV], vb[NV], vc[NV];
  for (int sur = 1; sur >= 0; sur--) {
    int n = sur ? NV : 300; /* full mode images every item */
    void *a = create(t, v, sur, NULL), *b = create(t, v, sur, dir);
    assert_int_equal(count_files(dir, ".sur"), 2);
    void *c = create(t, v, sur, dir);
    assert_true((xray_surrogate(c) != NULL) == sur);
    decisions(NULL, t->decide, a, n, va), decisions(NULL, t->decide, b, n, vb);
    decisions(NULL, t->decide, c, n, vc);
    assert_same(va, vb, n), assert_same(va, vc, n);
    t->free(a), t->free(b), t->free(c);
  }
  /* the surrogate entry was loaded, not rewritten: same file (inode) after a create */
  DIR *d = opendir(dir);
  char path[600] = "";
  for (struct dirent *e; (e = readdir(d));)
    if (strstr(e->d_name, ".sur")) snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
  closedir(d);
  ino_t before = inode(path);
  assert_true(before != 0);
  t->free(create(t, v, 1, dir)), t->free(create(t, v, 0, dir));
  assert_true(inode(path) == before);
  assert_int_equal(count_files(dir, ".sur"), 2);
}

/* An X-ray entry whose checksum holds but whose classifier values make no sense (a
 * NaN scale) is not used: the kernel rebuilds, replaces the file and decides as one
 * built without a cache. */
static void test_xray_senseless_values(void **state) {
  (void)state;
  const kernel_type *t = &kernel_xray_type;
  char dir[256], path[600] = "";
  fresh(dir, sizeof dir, "xray-nan");
  double v[32];
  small_xray(v);
  t->free(create(t, v, 1, dir));
  DIR *d = opendir(dir);
  char name[600];
  for (struct dirent *e; (e = readdir(d));) { /* the table's entry: the larger file */
    if (!strstr(e->d_name, ".sur")) continue;
    snprintf(name, sizeof name, "%s/%s", dir, e->d_name);
    if (!*path || file_size(name) > file_size(path)) snprintf(path, sizeof path, "%s", name);
  }
  closedir(d);
  long n;
  uint8_t *p = read_file(path, &n);
  uint64_t klen = 0;
  for (int i = 0; i < 8; i++) klen |= (uint64_t)p[12 + i] << (8 * i);
  long at = 20 + (long)klen + 8 + 8 * NFEAT_SD; /* aux: mu[8], then sd[0] of model 0 */
  assert_true(at + 8 < n);
  double nan = NAN;
  memcpy(p + at, &nan, 8); /* little-endian hosts only, as the test machines are */
  fix_checksum(p, n);
  write_file(path, p, n);
  ino_t before = inode(path);
  static kernel_verdict va[NV], vb[NV];
  void *a = create(t, v, 1, dir), *b = create(t, v, 1, NULL);
  assert_true(inode(path) != before);
  decisions(NULL, t->decide, a, NV, va), decisions(NULL, t->decide, b, NV, vb);
  assert_same(va, vb, NV);
  t->free(a), t->free(b);
  free(p);
}

/* NQR with its defaults: a loaded table decides as a fresh build. */
static void test_nqr_identical(void **state) {
  (void)state;
  const kernel_type *t = &kernel_nqr_type;
  char dir[256];
  fresh(dir, sizeof dir, "nqr");
  double v[32];
  defaults(t, v);
  static kernel_verdict va[NV], vc[NV];
  void *a = create(t, v, 1, dir), *c = create(t, v, 1, dir);
  assert_int_equal(count_files(dir, ".sur"), 1);
  decisions(NULL, t->decide, a, NV, va), decisions(NULL, t->decide, c, NV, vc);
  assert_same(va, vc, NV);
  t->free(a), t->free(c);
}

/* Two threads create the same kernel into an empty cache at once. */
typedef struct job {
  const char *dir;
  void *st;
} job;

static void *create_job(void *arg) {
  job *j = arg;
  double v[32];
  small_xray(v);
  kernel_opts o = {1, 5, j->dir};
  sim_error err = {0};
  if (kernel_xray_type.new(&j->st, v, &o, &err)) j->st = NULL;
  return NULL;
}

static void test_two_threads(void **state) {
  (void)state;
  char dir[256];
  fresh(dir, sizeof dir, "threads");
  job j[2] = {{dir, NULL}, {dir, NULL}};
  pthread_t th[2];
  for (int i = 0; i < 2; i++) assert_int_equal(pthread_create(&th[i], NULL, create_job, &j[i]), 0);
  for (int i = 0; i < 2; i++) pthread_join(th[i], NULL);
  assert_non_null(j[0].st), assert_non_null(j[1].st);
  assert_int_equal(count_files(dir, ".sur"), 2); /* the table's entry and the classifier's */
  assert_int_equal(count_files(dir, ".tmp."), 0);
  static kernel_verdict va[NV], vb[NV], vc[NV];
  job k = {dir, NULL};
  create_job(&k); /* loads what the threads stored */
  assert_non_null(k.st);
  decisions(NULL, kernel_xray_type.decide, j[0].st, NV, va);
  decisions(NULL, kernel_xray_type.decide, j[1].st, NV, vb);
  decisions(NULL, kernel_xray_type.decide, k.st, NV, vc);
  assert_same(va, vb, NV), assert_same(va, vc, NV);
  for (int i = 0; i < 2; i++) kernel_xray_type.free(j[i].st);
  kernel_xray_type.free(k.st);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_round_trip),     cmocka_unit_test(test_damaged_files),
      cmocka_unit_test(test_directories),    cmocka_unit_test(test_xray_identical),
      cmocka_unit_test(test_xray_senseless_values),
      cmocka_unit_test(test_nqr_identical),  cmocka_unit_test(test_two_threads),
  };
  return cmocka_run_group_tests(tests, setup, teardown);
}
