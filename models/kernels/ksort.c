/* ksort: the kernels' stable radix sorts (see ksort.h). Each sorts on keys that order
 * as the values do, least significant byte first, and skips the bytes every key shares;
 * equal values keep their given order, so the result is the one a stable comparison sort
 * (glibc's qsort) gives, for the same cuts and thresholds bit for bit. */
#include "models/kernels/ksort.h"

#include <stdlib.h>
#include <string.h>

/* Key and value share a word: the key (0 and -0 alike) above, the float's bits below. */
void ksort_floats_asc(float *v, size_t m, uint64_t *w) {
  uint64_t *a = w, *b = w + m, differ = 0;
  for (size_t i = 0; i < m; i++) {
    uint32_t bits;
    memcpy(&bits, &v[i], sizeof bits);
    uint32_t key = v[i] == 0 ? 0x80000000u : bits >> 31 ? ~bits : bits | 0x80000000u;
    a[i] = (uint64_t)key << 32 | bits;
    differ |= a[i] ^ a[0];
  }
  for (int shift = 32; shift < 64; shift += 8) {
    if (!((differ >> shift) & 0xff)) continue;
    size_t count[257] = {0};
    for (size_t i = 0; i < m; i++) count[((a[i] >> shift) & 0xff) + 1]++;
    for (int d = 0; d < 256; d++) count[d + 1] += count[d];
    for (size_t i = 0; i < m; i++) b[count[(a[i] >> shift) & 0xff]++] = a[i];
    uint64_t *t = a;
    a = b, b = t;
  }
  for (size_t i = 0; i < m; i++) {
    uint32_t bits = (uint32_t)a[i];
    memcpy(&v[i], &bits, sizeof bits);
  }
}

typedef struct keyed {
  uint64_t k;
  double v;
} keyed;

/* A double's key needs the whole word: the value travels beside it. */
int ksort_doubles_desc(double *v, size_t n) {
  keyed *a = malloc((n ? n : 1) * sizeof *a), *b = malloc((n ? n : 1) * sizeof *b);
  if (!a || !b) return free(a), free(b), -1;
  uint64_t differ = 0;
  for (size_t i = 0; i < n; i++) {
    uint64_t bits;
    memcpy(&bits, &v[i], sizeof bits);
    if (v[i] == 0) bits = 0;
    uint64_t up = bits >> 63 ? ~bits : bits | (UINT64_C(1) << 63); /* ascending */
    a[i] = (keyed){~up, v[i]};
    differ |= a[i].k ^ a[0].k;
  }
  for (int shift = 0; shift < 64; shift += 8) {
    if (!((differ >> shift) & 0xff)) continue; /* every key has this byte */
    size_t count[257] = {0};
    for (size_t i = 0; i < n; i++) count[((a[i].k >> shift) & 0xff) + 1]++;
    for (int d = 0; d < 256; d++) count[d + 1] += count[d];
    for (size_t i = 0; i < n; i++) b[count[(a[i].k >> shift) & 0xff]++] = a[i];
    keyed *t = a;
    a = b, b = t;
  }
  for (size_t i = 0; i < n; i++) v[i] = a[i].v;
  free(a);
  free(b);
  return 0;
}
