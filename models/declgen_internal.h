/* declgen_internal: a generator's layout, shared by declgen.c (building populations,
 * drawing items), declgen_pick.c (its draw tables) and declgen_cache.c (populations
 * kept in the cache folder); nothing else includes this. */
#ifndef MODELS_DECLGEN_INTERNAL_H
#define MODELS_DECLGEN_INTERNAL_H

#include <stddef.h>
#include <stdint.h>

#include <gsl/gsl_randist.h>

#include "models/declgen.h"
#include "sim/rng.h"

#define DG_HEADINGS 5     /* headings per chapter in the HS table */
#define DG_SUBS 3         /* subheadings per heading */
#define DG_PER_CH (DG_HEADINGS * DG_SUBS)
#define DG_NCH 27         /* HS chapters in the table (declgen.c) */

/* Channel constants. Quantity is lognormal (median, sd of log). */
typedef struct dg_kind {
  double q_med, q_sd, freight, pack_kg, drug_kg;
  int importers, declarants, origins, offices;
  double advance, edocs, aeo;
  double rate[DECLGEN_FRAUD_N];
} dg_kind;

/* HS chapters: typical value and weight of one unit, MFN duty rate and flags
 * (declgen_tables.c). */
typedef struct dg_chapter {
  int16_t ch;
  float uv_jpy, kg, duty;
  uint8_t ipr, dual, food, perish;
} dg_chapter;

/* declgen_tables.c: the chapters, each kind's chapter mix and its constants. */
extern const dg_chapter dg_chapters[DG_NCH];
extern const float dg_mix[KIND_N][DG_NCH];
extern const dg_kind dg_kinds[KIND_N];

/* 32 bytes, two to a cache line: the importer is the generator's one random load. */
typedef struct dg_trader {
  float z[2][2]; /* latent riskiness [tax, smuggling][t0, t1] */
  float price;   /* log price level of the importer's goods */
  float lact;    /* log activity weight (>= 0) */
  int32_t declarant;
  uint16_t origin;     /* < origins <= 10000 (dg_check) */
  unsigned office : 10; /* < offices <= 1000 */
  unsigned chapter : 5; /* < DG_NCH */
  unsigned aeo : 1;
} dg_trader;
_Static_assert(sizeof(dg_trader) == 32, "dg_trader: 32 bytes");
_Static_assert(DG_NCH <= 32, "dg_trader.chapter: 5 bits");

typedef struct dg_hs {
  int32_t code;
  float luv, lkg, duty, z;
  uint8_t ch, cheapest; /* chapter index; index within the chapter of its lowest duty */
} dg_hs;

/* An alias table for drawing an index by weight: Walker's method as gsl_ran_discrete
 * does it (same table, same arithmetic, so the same draws from the same stream), with
 * each index's cut and alias side by side: one cache line per draw instead of two. */
typedef struct dg_alias {
  double f;   /* gsl_ran_discrete_t F[i] */
  uint32_t a; /* gsl_ran_discrete_t A[i] */
  uint32_t pad; /* 0: the table is stored as it is in memory */
} dg_alias;

typedef struct dg_pick {
  size_t k;
  dg_alias *e;
} dg_pick;

/* gsl_ran_discrete's draw (GSL 2.7: the uniform that picks the index also decides
 * between it and its alias). */
static inline size_t dg_pick_draw(const dg_pick *t, gsl_rng *r) {
  double u = rng_uniform(r);
  size_t c = (size_t)(u * (double)t->k);
  double f = t->e[c].f;
  return f == 1.0 || u < f ? c : t->e[c].a;
}

#define DG_TAIL_N 64 /* dg_draws_below: bounds of the logistic for |x| = 1 .. 63 */

struct declgen {
  declgen_params p;
  const dg_kind *k;
  dg_trader *imp;
  float (*decl_z)[2];
  float (*org_z)[DECLGEN_FRAUD_N][2];
  float *off_z;
  dg_hs hs[DG_NCH * DG_PER_CH];
  dg_pick *imp_pick, *decl_pick, *org_pick, *off_pick, *ch_pick;
  double alpha[DECLGEN_FRAUD_N];
  double theta_per_day;
  double lo_adv, lo_edocs; /* log-odds of the advance-data and e-docs shares */
  uint64_t next_id;
  double tail_hi[DG_TAIL_N]; /* above every rounded sigmoid(x) for x <= -k */
  double tail_lo[DG_TAIL_N]; /* below every rounded sigmoid(x) for x >= k */
  double emu_bags;           /* exp(-0.5): bags per passenger are 1 + Poisson(0.5) */
  gsl_rng *ahead_r;        /* declgen_fill_ahead: the stream the next item's first number */
  double ahead_u;          /* was drawn from (NULL: none), and that number */
};

static inline int dg_is_pax(int kind) {
  return kind == KIND_PASSENGERS_IN || kind == KIND_PASSENGERS_OUT;
}

/* declgen.c: a generator with its parameters set and nothing built (NULL if out of
 * memory), and the parameter check of declgen_new. */
declgen *dg_alloc(const declgen_params *p);
/* The table for n weights (NULL if out of memory); dg_pick_free accepts NULL. */
dg_pick *dg_pick_new(size_t n, const double *w);
void dg_pick_free(dg_pick *t);
/* Sets tail_hi and tail_lo (declgen_pick.c). */
void dg_tails(declgen *g);
int dg_check(const declgen_params *p, sim_error *err);

#endif
