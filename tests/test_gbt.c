/* test_gbt: gbt_margin against a plain walk of the trees read back from the model's bytes
 * (gbt_write), bit for bit, whichever scoring path the processor takes (the vector paths
 * promise the scalar sums). Rows include NaN features and values equal to thresholds. */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "models/kernels/gbt.h"
#include "models/kernels/kcache.h"

typedef struct ref_model {
  int nf, depth, nt;
  double base;
  float *thr, *leaf;
  uint32_t *feat;
} ref_model;

static void ref_read(const kc_buf *b, ref_model *m) {
  kc_reader r = {b->p, b->n, 0, 0};
  m->nf = (int)kc_get_u32(&r), m->depth = (int)kc_get_u32(&r), m->nt = (int)kc_get_u32(&r);
  m->base = kc_get_f64(&r);
  size_t ni = ((size_t)1 << m->depth) - 1, nn = (size_t)m->nt * ni;
  m->thr = malloc(nn * sizeof *m->thr), m->feat = malloc(nn * sizeof *m->feat);
  m->leaf = malloc((size_t)m->nt * (ni + 1) * sizeof *m->leaf);
  assert_true(m->thr && m->feat && m->leaf);
  for (size_t i = 0; i < nn; i++) m->thr[i] = kc_get_f32(&r), m->feat[i] = kc_get_u32(&r);
  for (size_t i = 0; i < (size_t)m->nt * (ni + 1); i++) m->leaf[i] = kc_get_f32(&r);
  assert_false(r.bad);
}

static float ref_leaf(const ref_model *m, int t, const float *x) {
  size_t ni = ((size_t)1 << m->depth) - 1, j = 0, o = (size_t)t * ni;
  while (j < ni) j = 2 * j + 1 + (x[m->feat[o + j]] > m->thr[o + j]);
  return m->leaf[(size_t)t * (ni + 1) + j - ni];
}

/* The documented order: four trees' leaves added pairwise as floats, then the rest one
 * by one. */
static double ref_margin(const ref_model *m, const float *x) {
  double s = m->base;
  int t = 0;
  for (; t + 4 <= m->nt; t += 4) {
    float a = ref_leaf(m, t, x), b = ref_leaf(m, t + 1, x);
    float c = ref_leaf(m, t + 2, x), d = ref_leaf(m, t + 3, x);
    s += (a + b) + (c + d);
  }
  for (; t < m->nt; t++) s += ref_leaf(m, t, x);
  return s;
}

static void check(int nf, int trees, int depth) {
  size_t n = 4000;
  float *x = malloc(n * (size_t)nf * sizeof *x);
  uint8_t *y = malloc(n);
  assert_true(x && y);
  srand(7);
  for (size_t i = 0; i < n; i++) {
    double z = 0;
    for (int f = 0; f < nf; f++) {
      x[i * (size_t)nf + (size_t)f] = (float)(rand() % 64) / 8.0f; /* many ties */
      z += (f % 3 - 1) * x[i * (size_t)nf + (size_t)f];
    }
    y[i] = z + rand() % 8 > 4;
  }
  gbt_params p;
  gbt_params_default(&p);
  p.trees = trees, p.depth = depth, p.early_stop = 0;
  sim_error e = {0};
  gbt *g = gbt_train(&p, x, y, n, nf, NULL, NULL, 0, &e);
  assert_non_null(g);
  kc_buf b = {0};
  gbt_write(g, &b);
  ref_model m;
  ref_read(&b, &m);
  assert_int_equal(m.nt, trees);
  for (size_t i = 0; i < n; i++) {
    float *row = x + i * (size_t)nf;
    if (i % 5 == 0) row[i % (size_t)nf] = NAN;
    double a = gbt_margin(g, row), r = ref_margin(&m, row);
    assert_memory_equal(&a, &r, sizeof a);
  }
  free(m.thr), free(m.feat), free(m.leaf), kc_buf_free(&b);
  gbt_free(g), free(x), free(y);
}

static void depth4_26_features(void **s) { (void)s, check(26, 103, 4); }
static void depth4_32_features(void **s) { (void)s, check(32, 40, 4); }
static void depth4_few_features(void **s) { (void)s, check(5, 9, 4); }
static void depth4_many_features(void **s) { (void)s, check(40, 12, 4); }
static void other_depth(void **s) { (void)s, check(26, 21, 3); }

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(depth4_26_features),  cmocka_unit_test(depth4_32_features),
      cmocka_unit_test(depth4_few_features), cmocka_unit_test(depth4_many_features),
      cmocka_unit_test(other_depth),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
