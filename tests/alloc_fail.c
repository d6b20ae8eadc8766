/* alloc_fail: the test allocator. Linked into a test build of
 * customs-sim with -Wl,--wrap=malloc,... (make build/tests/alloc/customs-sim), it puts one
 * hook in front of every allocation the project's own code makes (malloc, calloc,
 * realloc, strdup, strndup, asprintf, gsl_rng_alloc; the libraries' internal ones are
 * not seen) and makes the n-th of them fail when CUSTOMS_FAIL_ALLOC=n. With
 * CUSTOMS_FAIL_ALLOC=0 nothing fails and the count is printed at exit
 * ("alloc_fail: N allocations"), so a test can go over every n (tests/test_alloc_fail.sh);
 * CUSTOMS_FAIL_ALLOC_TRACE=1 prints the stack of the failing call. */
#include <execinfo.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <gsl/gsl_rng.h>

void *__real_malloc(size_t n);
void *__real_calloc(size_t k, size_t n);
void *__real_realloc(void *p, size_t n);
char *__real_strdup(const char *s);
char *__real_strndup(const char *s, size_t n);
gsl_rng *__real_gsl_rng_alloc(const gsl_rng_type *t);
void *__wrap_malloc(size_t n);
void *__wrap_calloc(size_t k, size_t n);
void *__wrap_realloc(void *p, size_t n);
char *__wrap_strdup(const char *s);
char *__wrap_strndup(const char *s, size_t n);
int __wrap_asprintf(char **out, const char *fmt, ...);
gsl_rng *__wrap_gsl_rng_alloc(const gsl_rng_type *t);

static atomic_long calls;
static long fail_at = -1; /* -1: not read yet; 0: count only */

static void report(void) {
  char buf[64];
  int n = snprintf(buf, sizeof buf, "alloc_fail: %ld allocations\n", atomic_load(&calls));
  if (write(STDERR_FILENO, buf, (size_t)n) < 0) return;
}

/* The hook: 1 when this allocation is to fail. */
static int fail_now(void) {
  if (fail_at < 0) {
    const char *e = getenv("CUSTOMS_FAIL_ALLOC");
    fail_at = e ? atol(e) : 0;
    if (e && fail_at == 0) atexit(report);
  }
  long n = atomic_fetch_add(&calls, 1) + 1;
  if (fail_at <= 0 || n != fail_at) return 0;
  if (getenv("CUSTOMS_FAIL_ALLOC_TRACE")) { /* where the failing allocation was made */
    void *frames[16];
    backtrace_symbols_fd(frames, backtrace(frames, 16), STDERR_FILENO);
  }
  return 1;
}

void *__wrap_malloc(size_t n) { return fail_now() ? NULL : __real_malloc(n); }
void *__wrap_calloc(size_t k, size_t n) { return fail_now() ? NULL : __real_calloc(k, n); }
void *__wrap_realloc(void *p, size_t n) { return fail_now() ? NULL : __real_realloc(p, n); }
char *__wrap_strdup(const char *s) { return fail_now() ? NULL : __real_strdup(s); }
char *__wrap_strndup(const char *s, size_t n) { return fail_now() ? NULL : __real_strndup(s, n); }
gsl_rng *__wrap_gsl_rng_alloc(const gsl_rng_type *t) {
  return fail_now() ? NULL : __real_gsl_rng_alloc(t);
}

int __wrap_asprintf(char **out, const char *fmt, ...) {
  if (fail_now()) return -1;
  va_list ap;
  va_start(ap, fmt);
  int n = vasprintf(out, fmt, ap);
  va_end(ap);
  return n;
}
