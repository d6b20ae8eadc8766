/* class: the figures of a replication per class of item (/kpi/classes), per
 * scheduled batch (/kpi/batches) and per service level a sweep asked for, and each
 * station's busy span (busy_span_h, span_utilization in /kpi/stations). Fed by the flow
 * of items (flow.c): classes and levels count the items that leave while measuring;
 * a batch row follows the items of a batch scheduled in the measured period until the
 * last one is out, even after a closure let only part of it in. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "models/arrivals.h"
#include "models/port/class.h"

/* A class's figures. While every item counted so far was of the class (its bit in
 * class_rt's `same`), they are the channel's own (flow.c's leave counts the same items
 * in the same order, the same way) and are kept there alone; the first item outside the
 * class copies them here, before the channel counts it, and the class counts for itself
 * from then on. Most items of a generic channel are in every "not_" class: they cost
 * nothing there. */
typedef struct class_acc {
  int64_t released, seized, wait_within;
  tally rel, wait;
  histogram hist;
} class_acc;

#define BUILTIN_BITS ((1u << SPEC_CLASS_BUILTIN) - 1) /* class k < SPEC_CLASS_BUILTIN is flag k */

typedef struct batch_rt {
  double at_min;
  int32_t origin;
  int64_t size, arrived, released, seized, lost, left;
  double first, last, rel_sum;
} batch_rt;

typedef struct class_rt {
  size_t ncls; /* classes per channel */
  class_acc *acc; /* [nch][ncls] */
  int64_t *mask; /* [nch][ncls]: route positions of the class's station */
  int32_t *origin; /* [nch][ncls]: the origin index it needs (-2: the channel has none) */
  batch_rt *bat; /* [nbatch_all] */
  size_t *seen; /* [nch] batches of the measured period so far */
  int64_t *num, *den; /* [nlevels] */
  uint64_t *same; /* [nch][words]: bit k, class k still keeps the channel's figures */
  size_t words;   /* 64-bit words a channel's bits take (the built-in classes: word 0) */
  double *span; /* [nst][6] busy span: first in, last out (minutes), and the integrals of
                   available and busy servers at those times */
} class_rt;

/* ---- lifecycle ---- */

/* Where class k of channel ch looks: its station's route positions, its origin's index. */
static void class_targets(const port *p, class_rt *c, size_t ch, size_t k) {
  const spec_class *cl = &p->sp->cls[k];
  const spec_channel *sc = &p->sp->ch[ch];
  int64_t m = 0;
  for (size_t i = 0; cl->station >= 0 && i < sc->nroute && i < 64; i++)
    if (sc->route[i] == cl->station) m |= (int64_t)1 << i;
  c->mask[ch * c->ncls + k] = m;
  int32_t o = -1;
  if (cl->origin) {
    o = -2;
    for (int i = 0; i < arrivals_spec_origins(sc->arr); i++)
      if (!strcmp(arrivals_spec_origin(sc->arr, i), cl->origin)) o = i;
  }
  c->origin[ch * c->ncls + k] = o;
}

int class_init(port *p) {
  const spec *sp = p->sp;
  class_rt *c = p->cls = calloc(1, sizeof *c);
  if (!c) return -1;
  size_t n = sp->nch * sp->ncls;
  c->ncls = sp->ncls;
  c->acc = calloc(n + 1, sizeof *c->acc);
  c->mask = calloc(n + 1, sizeof *c->mask);
  c->origin = calloc(n + 1, sizeof *c->origin);
  c->bat = calloc(sp->nbatch_all + 1, sizeof *c->bat);
  c->seen = calloc(sp->nch + 1, sizeof *c->seen);
  c->num = calloc(sp->nlevels + 1, sizeof *c->num);
  c->den = calloc(sp->nlevels + 1, sizeof *c->den);
  c->words = (sp->ncls + 63) / 64;
  c->same = calloc(sp->nch * c->words + 1, sizeof *c->same);
  c->span = malloc((sp->nst ? sp->nst : 1) * 6 * sizeof *c->span);
  if (!c->acc || !c->mask || !c->origin || !c->bat || !c->seen || !c->num || !c->den ||
      !c->same || !c->span)
    return -1;
  _Static_assert(SPEC_CLASS_BUILTIN <= 64, "the built-in classes' bits in one word");
  for (size_t i = 0; i < sp->nch * sp->ncls; i++) /* every class follows its channel */
    c->same[i / sp->ncls * c->words + i % sp->ncls / 64] |= 1ULL << (i % sp->ncls % 64);
  for (size_t i = 0; i < n; i++) {
    tally_reset(&c->acc[i].rel);
    tally_reset(&c->acc[i].wait);
    if (hist_init(&c->acc[i].hist)) return -1;
  }
  for (size_t ch = 0; ch < sp->nch; ch++)
    for (size_t k = 0; k < sp->ncls; k++) class_targets(p, c, ch, k);
  for (size_t b = 0; b < sp->nbatch_all; b++) {
    c->bat[b].at_min = c->bat[b].first = c->bat[b].last = NAN;
    c->bat[b].origin = -1;
  }
  for (size_t i = 0; i < sp->nst * 6; i++) c->span[i] = NAN;
  for (size_t i = 0; i < sp->nst; i++) p->st[i].span = c->span + i * 6; /* its row */
  return 0;
}

void class_free(port *p) {
  class_rt *c = p->cls;
  if (!c) return;
  for (size_t i = 0; c->acc && i < p->sp->nch * c->ncls; i++) hist_deinit(&c->acc[i].hist);
  free(c->acc);
  free(c->mask);
  free(c->origin);
  free(c->bat);
  free(c->seen);
  free(c->num);
  free(c->den);
  free(c->same);
  free(c->span);
  free(c);
  p->cls = NULL;
}

/* ---- batches ---- */

int32_t class_batch(void *ctx, int channel, double at_min, long size, int32_t origin) {
  port *p = ctx;
  class_rt *c = p->cls;
  if (!(at_min >= p->t_warm && at_min < p->t_end) || c->seen[channel] >= p->sp->nbatch[channel])
    return -1;
  size_t row = p->sp->batch0[channel] + c->seen[channel]++;
  c->bat[row].at_min = at_min;
  c->bat[row].size = size;
  c->bat[row].origin = origin;
  return (int32_t)row;
}

void class_batch_arrived(port *p, int32_t batch) {
  if (batch < 0) return;
  p->cls->bat[batch].arrived++;
  p->cls->bat[batch].left++;
}

static void batch_leave(batch_rt *b, const job *jb, int out, double now) {
  b->left--;
  if (out == 1) b->seized++;
  if (out == 2) b->lost++;
  if (out) return;
  b->released++;
  b->rel_sum += now - jb->t_arr;
  if (!(b->first <= now)) b->first = now;
  if (!(b->last >= now)) b->last = now;
}

/* ---- classes ---- */

/* The item's flags as a set: bit f for SPEC_CLASS_* f it has (each flag and its opposite,
 * so exactly one of each pair). */
static unsigned job_flags(const job *jb) {
  unsigned sel = jb->selected, ins = jb->inspected, aeo = jb->it.decl.aeo != 0, al = jb->alarmed;
  return sel << SPEC_CLASS_SELECTED | (sel ^ 1) << SPEC_CLASS_NOT_SELECTED |
         ins << SPEC_CLASS_INSPECTED | (ins ^ 1) << SPEC_CLASS_NOT_INSPECTED |
         aeo << SPEC_CLASS_AEO | (aeo ^ 1) << SPEC_CLASS_NON_AEO | al << SPEC_CLASS_ALARMED |
         (al ^ 1) << SPEC_CLASS_NOT_ALARMED;
}

/* Whether the item (its flags from job_flags) is of class k. */
static int member(const port *p, const job *jb, unsigned flags, size_t k) {
  const class_rt *c = p->cls;
  const spec_class *cl = &p->sp->cls[k];
  size_t i = (size_t)jb->ch * c->ncls + k;
  if (cl->flag >= 0 && cl->flag < SPEC_CLASS_NFLAGS && !(flags >> cl->flag & 1)) return 0;
  if (cl->station >= 0 && !(jb->path & c->mask[i])) return 0;
  return !cl->origin || (c->origin[i] >= 0 && jb->origin == c->origin[i]);
}

static void levels_leave(port *p, const job *jb, double rt) {
  class_rt *c = p->cls;
  unsigned flags = job_flags(jb);
  for (size_t l = 0; l < p->sp->nlevels; l++) {
    const spec_level *lv = &p->sp->levels[l];
    if (lv->channel != jb->ch || (lv->cls >= 0 && !member(p, jb, flags, (size_t)lv->cls))) continue;
    c->den[l]++;
    c->num[l] += (lv->release ? rt : jb->waited) <= lv->threshold_min;
  }
}

/* Whether class k of channel ch still keeps the channel's figures (class_acc). */
static int follows(const class_rt *c, size_t ch, size_t k) {
  return c->same[ch * c->words + k / 64] >> (k % 64) & 1;
}

/* The channel's figures as a class's (its histogram shared, not copied). */
static class_acc channel_acc(const channel_rt *ch) {
  return (class_acc){ch->released, ch->seized, ch->wait_within_target, ch->release, ch->wait,
                     ch->release_hist};
}

/* Class k of channel ch takes the channel's figures, which it has followed so far (the
 * channel has not yet counted the item that parts them), and keeps its own from now. */
static void class_part(class_rt *c, const channel_rt *chan, size_t ch, size_t k) {
  class_acc *a = &c->acc[ch * c->ncls + k];
  histogram own = a->hist;
  *a = channel_acc(chan);
  a->hist = own;
  hist_merge(&a->hist, &chan->release_hist); /* into an empty one: a copy */
  c->same[ch * c->words + k / 64] &= ~(1ULL << (k % 64));
}

/* Counts the item (out 0: released, 1: seized) in class a. */
static void class_count(class_acc *a, int out, double rt, double waited, double wt) {
  if (out == 1) {
    a->seized++;
    return;
  }
  a->released++;
  tally_add(&a->rel, rt);
  hist_add(&a->hist, rt);
  tally_add(&a->wait, waited);
  a->wait_within += waited <= wt;
}

void class_leave(port *p, const job *jb, int out, double now) {
  class_rt *c = p->cls;
  if (jb->batch >= 0) batch_leave(&c->bat[jb->batch], jb, out, now);
  if (!p->measuring || out == 2) return;
  size_t chn = (size_t)jb->ch;
  class_acc *a = &c->acc[chn * c->ncls];
  const channel_rt *ch = &p->ch[chn];
  double rt = now - jb->t_arr, wt = ch->sp->wait_target_min;
  unsigned flags = job_flags(jb);
  /* the built-in classes: class k is flag k (bit sets, no member test) */
  uint64_t same = c->same[chn * c->words] & BUILTIN_BITS;
  for (uint64_t part = same & ~(uint64_t)flags; part; part &= part - 1)
    class_part(c, ch, chn, (size_t)__builtin_ctzll(part));
  for (uint64_t own = flags & ~same & BUILTIN_BITS; own; own &= own - 1)
    class_count(&a[__builtin_ctzll(own)], out, rt, jb->waited, wt);
  for (size_t k = SPEC_CLASS_BUILTIN; k < c->ncls; k++) {
    int in = member(p, jb, flags, k);
    if (follows(c, chn, k)) {
      if (!in) class_part(c, ch, chn, k);
      continue; /* a member still counted by the channel, or not a member */
    }
    if (in) class_count(&a[k], out, rt, jb->waited, wt);
  }
  if (out == 0 && p->sp->nlevels) levels_leave(p, jb, rt);
}

/* ---- stations' busy span ---- */

void class_span(port *p, station_rt *s, int in) {
  if (in && !isnan(s->span[0])) return; /* an entry counts only as the first */
  double now = *p->clock, a = NAN, b;
  if (s->res) {
    const res_stats *rs = res_get_stats(s->res);
    int staffed = s->sp->pool >= 0 || s->sp->remote_pool >= 0;
    a = timeavg_integral(staffed ? &s->avail_t : &rs->cap, now);
    b = timeavg_integral(&rs->busy, now);
  } else {
    b = timeavg_integral(&s->busy_u, now);
  }
  double *sp = s->span;
  if (isnan(sp[0])) sp[0] = now, sp[2] = a, sp[4] = b;
  if (!in) sp[1] = now, sp[3] = a, sp[5] = b;
}

/* ---- figures ---- */

static double ratio(int64_t a, int64_t n) { return n ? (double)a / (double)n : NAN; }

static void class_row(const class_acc *a, int64_t ch_released, kpi_class *k) {
  k->released = a->released;
  k->seized = a->seized;
  k->share = ratio(a->released, ch_released);
  k->release_mean_min = tally_mean(&a->rel);
  k->release_p50_min = hist_quantile(&a->hist, 0.50);
  k->release_p95_min = hist_quantile(&a->hist, 0.95);
  k->release_p99_min = hist_quantile(&a->hist, 0.99);
  k->wait_mean_min = tally_mean(&a->wait);
  k->wait_within_target_share = ratio(a->wait_within, a->released);
}

static void batch_row(const batch_rt *b, kpi_batch *k) {
  k->at_h = b->at_min / 60;
  k->size = b->size;
  k->arrived = b->arrived;
  k->released = b->released;
  k->seized = b->seized;
  k->lost = b->lost;
  k->in_system_end = b->left;
  k->first_release_h = b->first / 60;
  k->last_release_h = b->last / 60;
  k->clearance_min = !b->left && b->released ? b->last - b->at_min : NAN;
  k->release_mean_min = b->released ? b->rel_sum / (double)b->released : NAN;
  k->origin = b->origin;
}

int class_kpis(const port *p, kpi_run *k) {
  const spec *sp = p->sp;
  const class_rt *c = p->cls;
  k->cls = calloc(sp->nch * sp->ncls + 1, sizeof *k->cls);
  k->bat = calloc(sp->nbatch_all + 1, sizeof *k->bat);
  k->levels = calloc(sp->nlevels + 1, sizeof *k->levels);
  if (!k->cls || !k->bat || !k->levels) return -1;
  k->ncls = sp->nch * sp->ncls;
  k->nbat = sp->nbatch_all;
  for (size_t i = 0; i < sp->nch * sp->ncls; i++) {
    const channel_rt *ch = &p->ch[i / sp->ncls];
    if (!follows(c, i / sp->ncls, i % sp->ncls)) {
      class_row(&c->acc[i], ch->released, &k->cls[i]);
      continue;
    }
    class_acc chan = channel_acc(ch); /* read only */
    class_row(&chan, ch->released, &k->cls[i]);
  }
  for (size_t b = 0; b < sp->nbatch_all; b++) batch_row(&c->bat[b], &k->bat[b]);
  for (size_t l = 0; l < sp->nlevels; l++) k->levels[l] = ratio(c->num[l], c->den[l]);
  for (size_t i = 0; i < sp->nst; i++) {
    const double *s = c->span + i * 6;
    kpi_station *ks = &k->st[i];
    ks->busy_span_h = (s[1] - s[0]) / 60;
    ks->span_utilization = s[3] > s[2] ? (s[5] - s[4]) / (s[3] - s[2]) : NAN;
  }
  return 0;
}
