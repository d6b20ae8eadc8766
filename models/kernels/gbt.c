/* gbt: histogram gradient boosting with flat, fixed-depth trees (see gbt.h). */
#include "models/kernels/gbt.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_rng.h>
#include <immintrin.h>

#include "models/kernels/kcache.h"
#include "models/kernels/ksort.h"

#define GBT_CUT_SAMPLE 100000 /* rows used to place the cut points */
#define GBT_BLOCK 64          /* rows are sampled in blocks of consecutive rows */

/* An internal node: go right when x[feat] > thr. */
typedef struct gbt_node { float thr; uint32_t feat; } gbt_node;

struct gbt {
  int nf, depth, ntrees;
  double base;     /* initial log-odds */
  gbt_node *node;  /* ntrees x internal nodes, breadth first */
  float *leaf;     /* ntrees x leaves */
  double *gain;    /* nf: total split gain */
  void *pk;        /* gbt_packed: depth 4 with AVX-512 (gbt_pack), or NULL */
};

static void gbt_pack(gbt *m);

/* Working state of one training run. */
typedef struct gbt_ctx {
  const gbt_params *p;
  int nf, nb, ni, nl;
  size_t n;
  uint8_t *bins;   /* n x nf, row-major (histograms read whole rows) */
  uint8_t *cols;   /* nf x n, column-major (partitions read one feature) */
  uint8_t *take;   /* per block of GBT_BLOCK rows: in this tree's sample */
  float *cuts;     /* nf x (nb - 1) */
  int *ncut;
  float *gh;       /* n x {gradient, hessian} */
  double *margin;
  uint32_t *rows, *tmp;
  float *hist;     /* ni x nf x nb x {g, h} */
  size_t beg[2 << GBT_MAX_DEPTH], end[2 << GBT_MAX_DEPTH];
  double G[2 << GBT_MAX_DEPTH], H[2 << GBT_MAX_DEPTH];
  uint8_t state[2 << GBT_MAX_DEPTH]; /* 0 empty, 1 open, 2 pass-through */
  uint8_t bthr[1 << GBT_MAX_DEPTH];
  gsl_rng *rng;
} gbt_ctx;

void gbt_params_default(gbt_params *p) {
  p->trees = 100;
  p->depth = 4;
  p->bins = 256;
  p->learning_rate = 0.1;
  p->lambda = 1.0;
  p->min_hess = 1.0;
  p->subsample = 0.5; /* stochastic boosting (Friedman 2002): as accurate here, half the work */
  p->early_stop = 20;
  p->seed = 1;
}

static int gbt_check(const gbt_params *p, size_t n, int nf, sim_error *err) {
  if (p->trees < 1 || p->trees > 100000 || p->depth < 1 || p->depth > GBT_MAX_DEPTH ||
      p->bins < 2 || p->bins > 256 || !(p->learning_rate > 0) || !(p->lambda >= 0) ||
      !(p->min_hess >= 0) || !(p->subsample > 0 && p->subsample <= 1) || p->early_stop < 0)
    return sim_error_set(err, SIM_EINVAL, "gbt: parameters out of range");
  if (n < 2 || n > UINT32_MAX || nf < 1 || nf > GBT_MAX_FEATURES)
    return sim_error_set(err, SIM_EINVAL, "gbt: %zu rows of %d features cannot be trained", n, nf);
  return SIM_OK;
}

/* Cut points of feature f: midpoints between distinct values when few, otherwise
 * sample quantiles. NaNs are left out (they fall in bin 0). */
static void gbt_cuts(gbt_ctx *c, const float *x, int f, float *buf, uint64_t *work) {
  size_t step = c->n > GBT_CUT_SAMPLE ? c->n / GBT_CUT_SAMPLE : 1, m = 0;
  for (size_t i = 0; i < c->n; i += step)
    if (!isnan(x[i * (size_t)c->nf + f])) buf[m++] = x[i * (size_t)c->nf + f];
  ksort_floats_asc(buf, m, work);
  size_t u = 0;
  for (size_t i = 0; i < m; i++) u += !i || buf[i] != buf[i - 1];
  float *cut = c->cuts + (size_t)f * (size_t)(c->nb - 1);
  int k = 0;
  if (u <= (size_t)c->nb) { /* midpoints between distinct values */
    for (size_t i = 1; i < m; i++) {
      if (buf[i] == buf[i - 1]) continue;
      float mid = (float)(0.5 * ((double)buf[i - 1] + buf[i]));
      cut[k++] = mid >= buf[i - 1] && mid < buf[i] ? mid : buf[i - 1];
    }
  } else { /* quantiles of the sample */
    for (int j = 1; j < c->nb; j++) {
      float v = buf[(size_t)((double)j / c->nb * (double)m)];
      if (!k || v > cut[k - 1]) cut[k++] = v;
    }
  }
  c->ncut[f] = k;
}

/* Number of cuts below v, by a branch-free binary search. */
static uint8_t gbt_bin(const float *cut, int ncut, float v) {
  if (ncut == 0) return 0;
  const float *base = cut;
  int len = ncut;
  while (len > 1) {
    int half = len / 2;
    base += (size_t)(base[half - 1] < v) * (size_t)half;
    len -= half;
  }
  return (uint8_t)((base - cut) + (*base < v));
}

static int gbt_quantize(gbt_ctx *c, const float *x) {
  size_t ns = c->n < GBT_CUT_SAMPLE ? c->n : 2 * (size_t)GBT_CUT_SAMPLE;
  float *buf = malloc(ns * sizeof *buf);
  uint64_t *work = malloc(2 * ns * sizeof *work);
  if (!buf || !work) return free(buf), free(work), SIM_ENOMEM;
  for (int f = 0; f < c->nf; f++) gbt_cuts(c, x, f, buf, work);
  free(buf), free(work);
  for (size_t i = 0; i < c->n; i++)
    for (int f = 0; f < c->nf; f++) {
      size_t o = i * (size_t)c->nf + (size_t)f;
      uint8_t b = gbt_bin(c->cuts + (size_t)f * (size_t)(c->nb - 1), c->ncut[f], x[o]);
      c->bins[o] = b;
      c->cols[(size_t)f * c->n + i] = b;
    }
  return SIM_OK;
}

static float *gbt_node_hist(const gbt_ctx *c, int k) {
  return c->hist + (size_t)k * (size_t)c->nf * (size_t)c->nb * 2;
}

/* The hot loop of training, bound by memory: rows are one byte a feature and cells
 * float pairs (sums of up to a few million gradients keep a relative error near
 * 1e-4, ample for choosing splits). */
static void gbt_build_hist(gbt_ctx *c, int k) {
  float *hs = gbt_node_hist(c, k);
  size_t nf = (size_t)c->nf, nb = (size_t)c->nb;
  memset(hs, 0, nf * nb * 2 * sizeof *hs);
  for (size_t i = c->beg[k]; i < c->end[k]; i++) {
    uint32_t r = c->rows[i];
    const uint8_t *b = c->bins + (size_t)r * nf;
    float gg = c->gh[2 * (size_t)r], hh = c->gh[2 * (size_t)r + 1];
    float *hf = hs;
    for (size_t f = 0; f < nf; f++, hf += 2 * nb) {
      float *cp = hf + 2 * (size_t)b[f];
      cp[0] += gg;
      cp[1] += hh;
    }
  }
}

typedef struct gbt_split { int f, b; double gain, GL, HL; } gbt_split;

static double gbt_score(double G, double H, double lambda) { return G * G / (H + lambda); }

static gbt_split gbt_best(const gbt_ctx *c, int k) {
  gbt_split best = {-1, 0, 1e-9, 0, 0};
  const float *hs = gbt_node_hist(c, k);
  double G = c->G[k], H = c->H[k], lam = c->p->lambda, mh = c->p->min_hess;
  double parent = gbt_score(G, H, lam);
  for (int f = 0; f < c->nf; f++) {
    const float *cell = hs + (size_t)f * (size_t)c->nb * 2;
    double GL = 0, HL = 0;
    for (int b = 0; b < c->ncut[f]; b++) {
      GL += cell[2 * b];
      HL += cell[2 * b + 1];
      double GR = G - GL, HR = H - HL;
      if (HL < mh || HR < mh) continue;
      double gain = gbt_score(GL, HL, lam) + gbt_score(GR, HR, lam) - parent;
      if (gain > best.gain) best = (gbt_split){f, b, gain, GL, HL};
    }
  }
  return best;
}

/* Stable, branch-free partition: rows stay in ascending order within each child,
 * so the histogram passes read memory forwards. */
static size_t gbt_partition(gbt_ctx *c, size_t beg, size_t end, int f, int b) {
  size_t l = beg, r = 0;
  const uint8_t *col = c->cols + (size_t)f * c->n;
  for (size_t i = beg; i < end; i++) {
    uint32_t row = c->rows[i];
    int right = col[row] > b;
    c->rows[l] = row;
    c->tmp[r] = row;
    l += !right;
    r += right;
  }
  memcpy(c->rows + l, c->tmp, r * sizeof *c->tmp);
  return l;
}

static void gbt_child(gbt_ctx *c, int k, size_t beg, size_t end, double G, double H, uint8_t st) {
  c->beg[k] = beg, c->end[k] = end, c->G[k] = G, c->H[k] = H, c->state[k] = st;
}

typedef float gbt_v4f __attribute__((vector_size(16)));

/* Histograms of both children: the smaller one built, the larger by subtraction. */
static void gbt_child_hists(gbt_ctx *c, int k) {
  int l = 2 * k + 1, r = 2 * k + 2;
  int small = c->end[l] - c->beg[l] <= c->end[r] - c->beg[r] ? l : r, big = l + r - small;
  gbt_build_hist(c, small);
  float *hp = gbt_node_hist(c, k), *hs = gbt_node_hist(c, small), *hb = gbt_node_hist(c, big);
  size_t len = (size_t)c->nf * (size_t)c->nb * 2;
  size_t i = 0;
  for (; i + 4 <= len; i += 4) { /* four at a time: the same subtractions */
    gbt_v4f a, b;
    memcpy(&a, hp + i, sizeof a), memcpy(&b, hs + i, sizeof b);
    a -= b;
    memcpy(hb + i, &a, sizeof a);
  }
  for (; i < len; i++) hb[i] = hp[i] - hs[i];
}

static void gbt_gradient(const gbt_ctx *c, const uint8_t *y, size_t r, float *gh) {
  float p = 1.0f / (1.0f + expf((float)-c->margin[r]));
  gh[0] = p - (float)(y[r] != 0);
  gh[1] = fmaxf(p * (1.0f - p), 1e-6f);
}

/* The rows this tree sees, with their gradients. A sample takes whole blocks of
 * consecutive rows, so every pass still reads memory forwards; scattered single rows
 * would cost a cache miss each. */
static size_t gbt_sample(gbt_ctx *c, const uint8_t *y) {
  size_t cnt = 0, nblk = (c->n + GBT_BLOCK - 1) / GBT_BLOCK;
  for (size_t b = 0; b < nblk; b++) {
    c->take[b] = c->p->subsample >= 1 || gsl_rng_uniform(c->rng) < c->p->subsample;
    if (!c->take[b]) continue;
    size_t end = (b + 1) * GBT_BLOCK < c->n ? (b + 1) * GBT_BLOCK : c->n;
    for (size_t r = b * GBT_BLOCK; r < end; r++) {
      gbt_gradient(c, y, r, c->gh + 2 * r);
      c->rows[cnt++] = (uint32_t)r;
    }
  }
  return cnt;
}

/* Grows one tree into nodes and leaves (this tree's slices). */
static void gbt_grow(gbt_ctx *c, gbt *m, const uint8_t *y, gbt_node *node, float *leaf) {
  size_t cnt = gbt_sample(c, y);
  double G = 0, H = 0;
  for (size_t i = 0; i < cnt; i++) {
    const float *gh = c->gh + 2 * (size_t)c->rows[i];
    G += gh[0], H += gh[1];
  }
  gbt_child(c, 0, 0, cnt, G, H, 1);
  if (c->ni > 0) gbt_build_hist(c, 0);
  for (int k = 0; k < c->ni; k++) {
    int last = 2 * k + 1 >= c->ni; /* children are leaves */
    gbt_split s = {-1, 0, 0, 0, 0};
    if (c->state[k] == 1) s = gbt_best(c, k);
    if (s.f < 0) { /* pass everything left */
      node[k] = (gbt_node){INFINITY, 0}, c->bthr[k] = 255;
      gbt_child(c, 2 * k + 1, c->beg[k], c->end[k], c->G[k], c->H[k], c->state[k] ? 2 : 0);
      gbt_child(c, 2 * k + 2, c->end[k], c->end[k], 0, 0, 0);
      continue;
    }
    size_t mid = gbt_partition(c, c->beg[k], c->end[k], s.f, s.b);
    node[k] = (gbt_node){c->cuts[(size_t)s.f * (size_t)(c->nb - 1) + (size_t)s.b], (uint32_t)s.f};
    c->bthr[k] = (uint8_t)s.b;
    m->gain[s.f] += s.gain;
    gbt_child(c, 2 * k + 1, c->beg[k], mid, s.GL, s.HL, 1);
    gbt_child(c, 2 * k + 2, mid, c->end[k], c->G[k] - s.GL, c->H[k] - s.HL, 1);
    if (!last) gbt_child_hists(c, k);
  }
  for (int j = 0; j < c->nl; j++) {
    int k = c->ni + j;
    double w = -c->G[k] / (c->H[k] + c->p->lambda) * c->p->learning_rate;
    leaf[j] = c->state[k] ? (float)w : 0.0f;
  }
}

/* Adds the new tree to the training margins: the sampled rows through the leaves'
 * row segments, the others by walking the tree on their bins. */
static void gbt_apply_train(gbt_ctx *c, const gbt_node *node, const float *leaf) {
  for (int j = 0; j < c->nl; j++)
    for (size_t i = c->beg[c->ni + j]; i < c->end[c->ni + j]; i++) c->margin[c->rows[i]] += leaf[j];
  if (c->p->subsample >= 1) return;
  for (size_t r = 0; r < c->n; r++) {
    if (c->take[r / GBT_BLOCK]) continue;
    int j = 0;
    const uint8_t *b = c->bins + r * (size_t)c->nf;
    while (j < c->ni) j = 2 * j + 1 + (b[node[j].feat] > c->bthr[j]);
    c->margin[r] += leaf[j - c->ni];
  }
}

static double gbt_tree_value(const gbt *m, int t, const float *x) {
  int ni = (1 << m->depth) - 1, j = 0;
  const gbt_node *nd = m->node + (size_t)t * (size_t)ni;
  while (j < ni) j = 2 * j + 1 + (x[nd[j].feat] > nd[j].thr);
  return m->leaf[(size_t)t * (size_t)(ni + 1) + (size_t)(j - ni)];
}

static double gbt_logloss_step(const gbt *m, int t, const float *xv, const uint8_t *yv,
                               size_t nv, double *mv) {
  double ll = 0;
  for (size_t i = 0; i < nv; i++) {
    mv[i] += gbt_tree_value(m, t, xv + i * (size_t)m->nf);
    float z = (float)(yv[i] ? -mv[i] : mv[i]);
    ll += z > 0 ? z + log1pf(expf(-z)) : log1pf(expf(z));
  }
  return ll / (double)nv;
}

static void gbt_ctx_free(gbt_ctx *c) {
  free(c->bins), free(c->cols), free(c->take), free(c->cuts), free(c->ncut), free(c->gh);
  free(c->margin), free(c->rows), free(c->tmp), free(c->hist);
  gsl_rng_free(c->rng);
}

static int gbt_ctx_init(gbt_ctx *c, const gbt_params *p, size_t n, int nf) {
  memset(c, 0, sizeof *c);
  c->p = p, c->n = n, c->nf = nf, c->nb = p->bins;
  c->ni = (1 << p->depth) - 1, c->nl = 1 << p->depth;
  c->bins = malloc(n * (size_t)nf);
  c->cuts = malloc((size_t)nf * (size_t)(c->nb - 1) * sizeof *c->cuts);
  c->ncut = calloc((size_t)nf, sizeof *c->ncut);
  c->cols = malloc(n * (size_t)nf);
  c->take = malloc(n / GBT_BLOCK + 1);
  c->gh = malloc(2 * n * sizeof *c->gh);
  c->margin = malloc(n * sizeof *c->margin);
  c->rows = malloc(n * sizeof *c->rows);
  c->tmp = malloc(n * sizeof *c->tmp);
  c->hist = malloc((size_t)c->ni * (size_t)nf * (size_t)c->nb * 2 * sizeof *c->hist);
  c->rng = gsl_rng_alloc(gsl_rng_mt19937);
  if (!c->bins || !c->cols || !c->take || !c->cuts || !c->ncut || !c->gh || !c->margin ||
      !c->rows || !c->tmp || !c->hist || !c->rng)
    return SIM_ENOMEM;
  gsl_rng_set(c->rng, (unsigned long)p->seed);
  return SIM_OK;
}

static gbt *gbt_alloc(const gbt_params *p, int nf) {
  gbt *m = calloc(1, sizeof *m);
  if (!m) return NULL;
  size_t ni = ((size_t)1 << p->depth) - 1;
  m->nf = nf, m->depth = p->depth;
  m->node = calloc((size_t)p->trees * ni, sizeof *m->node);
  m->leaf = calloc((size_t)p->trees * (ni + 1), sizeof *m->leaf);
  m->gain = calloc((size_t)nf, sizeof *m->gain);
  if (!m->node || !m->leaf || !m->gain) return gbt_free(m), NULL;
  return m;
}

/* The boosting loop; returns the number of trees to keep. */
static int gbt_boost(gbt_ctx *c, gbt *m, const uint8_t *y, const float *xv,
                     const uint8_t *yv, size_t nv, double *mv) {
  const gbt_params *p = c->p;
  int best_t = 0;
  double best = INFINITY;
  for (int t = 0; t < p->trees; t++) {
    gbt_node *node = m->node + (size_t)t * (size_t)c->ni;
    float *leaf = m->leaf + (size_t)t * (size_t)c->nl;
    gbt_grow(c, m, y, node, leaf);
    gbt_apply_train(c, node, leaf);
    m->ntrees = t + 1;
    if (!nv) {
      best_t = t + 1;
      continue;
    }
    double ll = gbt_logloss_step(m, t, xv, yv, nv, mv);
    if (ll < best - 1e-12) best = ll, best_t = t + 1;
    else if (p->early_stop && t + 1 - best_t >= p->early_stop) break;
  }
  return best_t > 0 ? best_t : 1;
}

gbt *gbt_train(const gbt_params *p, const float *x, const uint8_t *y, size_t n, int nf,
               const float *xv, const uint8_t *yv, size_t nv, sim_error *err) {
  if (gbt_check(p, n, nf, err)) return NULL;
  gbt_ctx c;
  memset(&c, 0, sizeof c);
  gbt *m = gbt_alloc(p, nf);
  double *mv = nv ? malloc(nv * sizeof *mv) : NULL;
  int rc = !m || (nv && !mv) ? SIM_ENOMEM : gbt_ctx_init(&c, p, n, nf);
  if (!rc) rc = gbt_quantize(&c, x);
  if (rc) {
    gbt_ctx_free(&c);
    free(mv), gbt_free(m);
    sim_error_set(err, rc, "gbt: out of memory for %zu rows", n);
    return NULL;
  }
  double pos = 0;
  for (size_t i = 0; i < n; i++) pos += y[i] != 0;
  double pbar = fmin(fmax(pos / (double)n, 1e-6), 1 - 1e-6);
  m->base = log(pbar / (1 - pbar));
  for (size_t i = 0; i < n; i++) c.margin[i] = m->base;
  for (size_t i = 0; i < nv; i++) mv[i] = m->base;
  m->ntrees = gbt_boost(&c, m, y, xv, yv, nv, mv);
  gbt_ctx_free(&c);
  free(mv);
  gbt_pack(m);
  return m;
}

/* One level of descent. */
#define GBT_STEP(nd, j) ((j) = 2 * (j) + 1 + (x[(nd)[j].feat] > (nd)[j].thr))

/* One level of four depth-4 trees at once (size_t indices: no sign or zero extension
 * before each load, seven instructions a level). */
#define GBT_STEP4(j0, j1, j2, j3)                                                     \
  (j0 = 2 * j0 + 1 + (x[a0[j0].feat] > a0[j0].thr),                                  \
   j1 = 2 * j1 + 1 + (x[a1[j1].feat] > a1[j1].thr),                                  \
   j2 = 2 * j2 + 1 + (x[a2[j2].feat] > a2[j2].thr),                                  \
   j3 = 2 * j3 + 1 + (x[a3[j3].feat] > a3[j3].thr))

/* Depth-4 trees (the shipped size), four at a time with the levels unrolled: the
 * trees' loads are independent, so the processor overlaps them. */
static double gbt_margin4(const gbt *m, const float *x) {
  const gbt_node *nd = m->node;
  const float *lv = m->leaf;
  double s = m->base;
  int t = 0;
  for (; t + 4 <= m->ntrees; t += 4, nd += 4 * 15, lv += 4 * 16) {
    const gbt_node *a0 = nd, *a1 = nd + 15, *a2 = nd + 30, *a3 = nd + 45;
    size_t j0 = 0, j1 = 0, j2 = 0, j3 = 0;
    GBT_STEP4(j0, j1, j2, j3);
    GBT_STEP4(j0, j1, j2, j3);
    GBT_STEP4(j0, j1, j2, j3);
    GBT_STEP4(j0, j1, j2, j3);
    s += (lv[j0 - 15] + lv[16 + j1 - 15]) + (lv[32 + j2 - 15] + lv[48 + j3 - 15]);
  }
  for (; t < m->ntrees; t++, nd += 15, lv += 16) {
    size_t j = 0;
    for (int d = 0; d < 4; d++) GBT_STEP(nd, j);
    s += lv[j - 15];
  }
  return s;
}

/* The packed form of depth-4 trees over at most 32 features, for AVX-512: each tree's
 * 15 node features and thresholds as one vector each (a 16th node that never goes right
 * pads them), so one permute fetches the tree's 15 feature values and one compare
 * decides all its nodes; `path` maps the decisions of the first three levels to the node
 * of the fourth. */
typedef struct gbt_pk {
  int32_t feat[16];
  float thr[16];
} gbt_pk;

typedef struct gbt_packed {
  gbt_pk *t;         /* ntrees */
  uint8_t path[128]; /* bits 0..6 of the decisions: the level-3 node, 7..14 */
} gbt_packed;

static void gbt_unpack(gbt *m) {
  gbt_packed *pk = m->pk;
  if (pk) free(pk->t), free(pk);
  m->pk = NULL;
}

static void gbt_pack(gbt *m) {
  gbt_unpack(m);
  gbt_packed *pk;
  if (m->depth != 4 || m->nf > 32 || !__builtin_cpu_supports("avx512f")) return;
  pk = malloc(sizeof *pk);
  if (pk && !(pk->t = aligned_alloc(64, (size_t)m->ntrees * sizeof *pk->t))) free(pk), pk = NULL;
  if (!pk) return; /* scored by the scalar walk: the same sums */
  for (int t = 0; t < m->ntrees; t++) {
    const gbt_node *nd = m->node + (size_t)t * 15;
    for (int j = 0; j < 16; j++) {
      pk->t[t].feat[j] = j < 15 ? (int32_t)nd[j].feat : 0;
      pk->t[t].thr[j] = j < 15 ? nd[j].thr : INFINITY;
    }
  }
  for (unsigned k = 0; k < 128; k++) {
    unsigned j = 0;
    for (int d = 0; d < 3; d++) j = 2 * j + 1 + (k >> j & 1);
    pk->path[k] = (uint8_t)j;
  }
  m->pk = pk;
}

/* Tree ti's leaf value for x (split in two vectors of 16 features): the decisions of all
 * its nodes at once, then the path through them. */
#define GBT_LEAF16(ti, out)                                                                 \
  do {                                                                                     \
    __m512 xs = _mm512_permutex2var_ps(xlo, _mm512_load_si512(pk->t[ti].feat), xhi);        \
    unsigned k = _mm512_cmp_ps_mask(xs, _mm512_load_ps(pk->t[ti].thr), _CMP_GT_OQ);         \
    unsigned j3 = pk->path[k & 127];                                                       \
    out = lv[(size_t)(ti) * 16 + 2 * j3 - 14 + (k >> j3 & 1)];                              \
  } while (0)

/* Depth-4 trees with AVX-512, summed in the scalar order (four trees' floats pairwise,
 * then into the double): the same margin bit for bit. */
__attribute__((target("avx512f"))) static double gbt_margin4_avx512(const gbt *m, const float *x) {
  const gbt_packed *pk = m->pk;
  const float *lv = m->leaf;
  __mmask16 lo = (__mmask16)(m->nf >= 16 ? 0xffff : (1u << m->nf) - 1);
  __mmask16 hi = (__mmask16)(m->nf <= 16 ? 0 : (1u << (m->nf - 16)) - 1);
  __m512 xlo = _mm512_maskz_loadu_ps(lo, x);
  __m512 xhi = m->nf > 16 ? _mm512_maskz_loadu_ps(hi, x + 16) : _mm512_setzero_ps();
  double s = m->base;
  int t = 0;
  for (; t + 4 <= m->ntrees; t += 4) {
    float l0, l1, l2, l3;
    GBT_LEAF16(t, l0);
    GBT_LEAF16(t + 1, l1);
    GBT_LEAF16(t + 2, l2);
    GBT_LEAF16(t + 3, l3);
    s += (l0 + l1) + (l2 + l3);
  }
  for (; t < m->ntrees; t++) {
    float l;
    GBT_LEAF16(t, l);
    s += l;
  }
  return s;
}

/* Any depth: four trees descend in lockstep. */
double gbt_margin(const gbt *m, const float *x) {
  if (m->pk) return gbt_margin4_avx512(m, x);
  if (m->depth == 4) return gbt_margin4(m, x);
  const int ni = (1 << m->depth) - 1, nl = ni + 1, depth = m->depth;
  const gbt_node *nd = m->node;
  const float *lv = m->leaf;
  double s = m->base;
  int t = 0;
  for (; t + 4 <= m->ntrees; t += 4, nd += 4 * ni, lv += 4 * nl) {
    int j0 = 0, j1 = 0, j2 = 0, j3 = 0;
    const gbt_node *n1 = nd + ni, *n2 = nd + 2 * ni, *n3 = nd + 3 * ni;
    for (int d = 0; d < depth; d++) {
      GBT_STEP(nd, j0);
      GBT_STEP(n1, j1);
      GBT_STEP(n2, j2);
      GBT_STEP(n3, j3);
    }
    s += (lv[j0 - ni] + lv[nl + j1 - ni]) + (lv[2 * nl + j2 - ni] + lv[3 * nl + j3 - ni]);
  }
  for (; t < m->ntrees; t++, nd += ni, lv += nl) {
    int j = 0;
    for (int d = 0; d < depth; d++) GBT_STEP(nd, j);
    s += lv[j - ni];
  }
  return s;
}

const char *gbt_stamp(void) { return __DATE__ " " __TIME__; }

void gbt_write(const gbt *m, kc_buf *b) {
  size_t ni = ((size_t)1 << m->depth) - 1;
  kc_put_u32(b, (uint32_t)m->nf), kc_put_u32(b, (uint32_t)m->depth);
  kc_put_u32(b, (uint32_t)m->ntrees), kc_put_f64(b, m->base);
  for (size_t i = 0; i < (size_t)m->ntrees * ni; i++)
    kc_put_f32(b, m->node[i].thr), kc_put_u32(b, m->node[i].feat);
  for (size_t i = 0; i < (size_t)m->ntrees * (ni + 1); i++) kc_put_f32(b, m->leaf[i]);
  for (int f = 0; f < m->nf; f++) kc_put_f64(b, m->gain[f]);
}

gbt *gbt_read(kc_reader *r) {
  int nf = (int)kc_get_u32(r), depth = (int)kc_get_u32(r), nt = (int)kc_get_u32(r);
  if (r->bad || nf < 1 || nf > GBT_MAX_FEATURES || depth < 1 || depth > GBT_MAX_DEPTH ||
      nt < 1 || nt > 100000)
    return NULL;
  gbt_params p;
  gbt_params_default(&p);
  p.trees = nt, p.depth = depth;
  gbt *m = gbt_alloc(&p, nf);
  if (!m) return NULL;
  size_t ni = ((size_t)1 << depth) - 1;
  m->ntrees = nt;
  m->base = kc_get_f64(r);
  int bad = !isfinite(m->base);
  for (size_t i = 0; i < (size_t)nt * ni; i++) {
    m->node[i].thr = kc_get_f32(r), m->node[i].feat = kc_get_u32(r);
    bad |= m->node[i].feat >= (uint32_t)nf;
  }
  for (size_t i = 0; i < (size_t)nt * (ni + 1); i++) bad |= !isfinite(m->leaf[i] = kc_get_f32(r));
  for (int f = 0; f < nf; f++) m->gain[f] = kc_get_f64(r);
  if (bad || r->bad) return gbt_free(m), NULL;
  gbt_pack(m);
  return m;
}

int gbt_trees(const gbt *m) { return m->ntrees; }
int gbt_features(const gbt *m) { return m->nf; }

void gbt_importance(const gbt *m, double *gain) {
  memcpy(gain, m->gain, (size_t)m->nf * sizeof *gain);
}

void gbt_free(gbt *m) {
  if (!m) return;
  free(m->node), free(m->leaf), free(m->gain);
  gbt_unpack(m);
  free(m);
}
