/* test_kcache: keyed entries in the cache folder (models/kernels/kcache.h). An entry
 * comes back byte for byte, mapped or copied; a flipped byte or another key makes it a
 * miss; loading renews its time; the folder is pruned to its size bound, least recently
 * used first, newest kept, other files untouched. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>
#include <dirent.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "models/kernels/kcache.h"

static char root[64];

static int setup(void **state) {
  (void)state;
  strcpy(root, "/tmp/customs-kcache-test.XXXXXX");
  return mkdtemp(root) ? 0 : -1;
}

static int teardown(void **state) {
  (void)state;
  DIR *d = opendir(root);
  char p[512];
  for (struct dirent *e; d && (e = readdir(d));)
    if (strcmp(e->d_name, ".") && strcmp(e->d_name, ".."))
      snprintf(p, sizeof p, "%s/%s", root, e->d_name), unlink(p);
  if (d) closedir(d);
  rmdir(root);
  return 0;
}

static void key_of(kc_buf *k, uint32_t v) {
  *k = (kc_buf){0};
  kc_put_str(k, "test entry");
  kc_put_u32(k, v);
}

static int exists(const char *path) { return access(path, F_OK) == 0; }

/* Sets a file's modification time to t seconds after the epoch. */
static void set_time(const char *path, time_t t) {
  struct timespec ts[2] = {{t, 0}, {t, 0}};
  assert_int_equal(utimensat(AT_FDCWD, path, ts, 0), 0);
}

static void test_round_trip(void **state) {
  (void)state;
  uint8_t payload[1000];
  for (size_t i = 0; i < sizeof payload; i++) payload[i] = (uint8_t)(i * 7 + 3);
  kc_buf k, other;
  key_of(&k, 1), key_of(&other, 2);
  assert_int_equal(kcache_store(root, "t", &k, payload, sizeof payload), 0);
  kc_map m;
  assert_int_equal(kcache_map(root, "t", &k, &m), 0);
  assert_int_equal(m.n, sizeof payload);
  assert_memory_equal(m.p, payload, sizeof payload);
  kcache_unmap(&m);
  assert_null(m.base);
  size_t n = 0;
  uint8_t *copy = kcache_load(root, "t", &k, &n);
  assert_non_null(copy);
  assert_int_equal(n, sizeof payload);
  assert_memory_equal(copy, payload, sizeof payload);
  free(copy);
  assert_int_equal(kcache_map(root, "t", &other, &m), -1);

  /* a flipped byte anywhere in the file: a miss */
  char path[512];
  assert_int_equal(kcache_path(root, "t", &k, path, sizeof path), 0);
  struct stat st;
  assert_int_equal(stat(path, &st), 0);
  for (off_t at = 0; at < st.st_size; at += 97) {
    int fd = open(path, O_RDWR);
    uint8_t b;
    assert_int_equal(pread(fd, &b, 1, at), 1);
    b ^= 0x10;
    assert_int_equal(pwrite(fd, &b, 1, at), 1);
    assert_int_equal(kcache_map(root, "t", &k, &m), -1);
    b ^= 0x10;
    assert_int_equal(pwrite(fd, &b, 1, at), 1);
    close(fd);
  }
  assert_int_equal(kcache_map(root, "t", &k, &m), 0);
  kcache_unmap(&m);
  /* loading renews the entry's time */
  set_time(path, 1000);
  assert_int_equal(kcache_map(root, "t", &k, &m), 0);
  kcache_unmap(&m);
  assert_int_equal(stat(path, &st), 0);
  assert_true(st.st_mtime > 1000);
  kc_buf_free(&k), kc_buf_free(&other);
}

static void test_prune(void **state) {
  (void)state;
  static uint8_t big[100000];
  char path[6][512];
  kc_buf k[6];
  for (int i = 0; i < 6; i++) {
    key_of(&k[i], (uint32_t)(10 + i));
    assert_int_equal(kcache_store(root, "p", &k[i], big, sizeof big), 0);
    assert_int_equal(kcache_path(root, "p", &k[i], path[i], sizeof path[i]), 0);
    set_time(path[i], 1000 + 10 * i);
  }
  char other[512], sur[512];
  snprintf(other, sizeof other, "%s/notes.txt", root);
  snprintf(sur, sizeof sur, "%s/ct-0123456789abcdef.sur", root);
  FILE *f = fopen(other, "w");
  fwrite(big, 1, sizeof big, f), fclose(f);
  f = fopen(sur, "w");
  fwrite(big, 1, sizeof big, f), fclose(f);
  set_time(sur, 1005);
  /* entry 2 was used last: it outlives 0, 1, 3 */
  set_time(path[2], 2000);
  /* room for three entries of about 100 kB: the sur file and entries 0, 1, 3 go */
  assert_int_equal(kcache_prune(root, 3 * 100200), 4);
  for (int i = 0; i < 6; i++) assert_int_equal(exists(path[i]), i == 2 || i == 4 || i == 5);
  assert_false(exists(sur));
  assert_true(exists(other));
  assert_int_equal(kcache_prune(root, 3 * 100200), 0); /* within the bound: nothing */
  /* a bound below one entry keeps the newest */
  assert_int_equal(kcache_prune(root, 1), 2);
  assert_true(exists(path[2]));
  char missing[512];
  snprintf(missing, sizeof missing, "%s/missing", root);
  assert_int_equal(kcache_prune(missing, 1), -1);
  for (int i = 0; i < 6; i++) kc_buf_free(&k[i]);
}

static void test_bound(void **state) {
  (void)state;
  setenv("CUSTOMS_CACHE_MAX_MB", "2.5", 1);
  assert_int_equal(kcache_max_bytes(), (uint64_t)(2.5 * 1048576));
  const char *bad[] = {"", "0", "-3", "lots", "12x"};
  for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
    setenv("CUSTOMS_CACHE_MAX_MB", bad[i], 1);
    assert_int_equal(kcache_max_bytes(), (uint64_t)KCACHE_MAX_MB * 1048576);
  }
  unsetenv("CUSTOMS_CACHE_MAX_MB");
  assert_int_equal(kcache_max_bytes(), (uint64_t)KCACHE_MAX_MB * 1048576);
  /* storing prunes: a bound of about one entry leaves only the newest */
  setenv("CUSTOMS_CACHE_MAX_MB", "0.15", 1);
  static uint8_t big[100000];
  kc_buf a, b;
  key_of(&a, 100), key_of(&b, 101);
  char pa[512], pb[512];
  assert_int_equal(kcache_store(root, "b", &a, big, sizeof big), 0);
  assert_int_equal(kcache_path(root, "b", &a, pa, sizeof pa), 0);
  set_time(pa, 1000);
  assert_int_equal(kcache_store(root, "b", &b, big, sizeof big), 0);
  assert_int_equal(kcache_path(root, "b", &b, pb, sizeof pb), 0);
  assert_false(exists(pa));
  assert_true(exists(pb));
  unsetenv("CUSTOMS_CACHE_MAX_MB");
  kc_buf_free(&a), kc_buf_free(&b);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test_setup_teardown(test_round_trip, setup, teardown),
      cmocka_unit_test_setup_teardown(test_prune, setup, teardown),
      cmocka_unit_test_setup_teardown(test_bound, setup, teardown),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
