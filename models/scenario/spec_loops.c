/* spec_loops: a proof, made while the scenario loads, that some item could circle
 * forever at one instant: a set of stations it can enter but never leave (every branch
 * out of the set has probability 0) where each station takes no time. The clock would
 * stop and the run never finish, so --check refuses it (see spec.h).
 *
 * The walk follows port/flow.c's routing exactly, on states (station, position in the
 * route): after a station its branches (probabilities > 0) or the next route station;
 * a candidate station may be skipped (applies_to, share) or replaced by its fallback.
 * Every way out is kept, so the proof never refuses a scenario that could finish. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "models/scenario/schema.h"
#include "models/scenario/spec.h"
#include "models/scenario/spec_internal.h"
#include "models/station.h"

#define MAX_STATES (1 << 20) /* beyond this the walk gives up (no proof, no error) */
#define EXIT_STATE UINT32_MAX

typedef struct walk {
  const spec *sp;
  const spec_channel *c;
  uint64_t *key;     /* state keys, in discovery order */
  uint32_t *succ_at; /* successors of state i: succ[succ_at[i] .. succ_at[i + 1]) */
  uint32_t *succ;
  size_t n, cap, nsucc, cap_succ;
  uint32_t *slot; /* open addressing: index + 1 of a state, 0 when empty */
  size_t nslot;
  int full; /* out of memory or too many states: no proof */
} walk;

static uint64_t state_key(int st, int pos) { return (uint64_t)(uint32_t)st << 32 | (uint32_t)pos; }

static size_t hash_key(uint64_t k, size_t n) {
  k ^= k >> 33;
  k *= 0xff51afd7ed558ccdULL;
  k ^= k >> 33;
  return (size_t)(k & (n - 1));
}

static int grow_slots(walk *w) {
  size_t n = w->nslot ? 2 * w->nslot : 1024;
  uint32_t *s = calloc(n, sizeof *s);
  if (!s) return -1;
  for (size_t i = 0; i < w->n; i++) {
    size_t h = hash_key(w->key[i], n);
    while (s[h]) h = (h + 1) & (n - 1);
    s[h] = (uint32_t)i + 1;
  }
  free(w->slot);
  w->slot = s;
  w->nslot = n;
  return 0;
}

/* The index of state (st, pos), added when new; EXIT_STATE when the walk is full. */
static uint32_t state(walk *w, int st, int pos) {
  uint64_t k = state_key(st, pos);
  if (2 * (w->n + 1) > w->nslot && grow_slots(w)) return w->full = 1, EXIT_STATE;
  size_t h = hash_key(k, w->nslot);
  for (; w->slot[h]; h = (h + 1) & (w->nslot - 1))
    if (w->key[w->slot[h] - 1] == k) return w->slot[h] - 1;
  if (w->n == MAX_STATES) return w->full = 1, EXIT_STATE;
  if (w->n == w->cap) {
    size_t nc = w->cap ? 2 * w->cap : 64;
    uint64_t *nk = realloc(w->key, nc * sizeof *nk);
    if (!nk) return w->full = 1, EXIT_STATE;
    w->key = nk;
    w->cap = nc;
  }
  w->key[w->n] = k;
  w->slot[h] = (uint32_t)++w->n;
  return (uint32_t)(w->n - 1);
}

static void add_succ(walk *w, uint32_t s) {
  if (w->full) return;
  if (w->nsucc == w->cap_succ) {
    size_t nc = w->cap_succ ? 2 * w->cap_succ : 64;
    uint32_t *ns = realloc(w->succ, nc * sizeof *ns);
    if (!ns) {
      w->full = 1;
      return;
    }
    w->succ = ns;
    w->cap_succ = nc;
  }
  w->succ[w->nsucc++] = s;
}

/* Every state an item can end up in when station cand (position pos) is next. */
static void candidates(walk *w, int cand, int pos) {
  for (;;) {
    if (cand == SPEC_EXIT) {
      add_succ(w, EXIT_STATE);
      return;
    }
    const spec_station *s = &w->sp->st[cand];
    int may_not_apply = s->applies != AP_ALL, may_skip = s->share < 1;
    add_succ(w, state(w, cand, pos));
    if (may_not_apply && s->fallback >= 0) add_succ(w, state(w, s->fallback, pos));
    if (!(may_skip || (may_not_apply && s->fallback < 0))) return;
    pos++; /* skipped: a skipped station does not branch */
    cand = (size_t)pos < w->c->nroute ? w->c->route[pos] : SPEC_EXIT;
  }
}

static int route_index(const spec_channel *c, int st, int pos) {
  for (size_t i = 0; i < c->nroute; i++)
    if (c->route[i] == st) return (int)i;
  return pos;
}

/* Successors of state (st, pos): where the item goes after station st. */
static void successors(walk *w, int st, int pos) {
  const spec_channel *c = w->c;
  const spec_branch *br = c->branches[st];
  if (!br) {
    int next = (size_t)pos + 1 < c->nroute ? c->route[pos + 1] : SPEC_EXIT;
    candidates(w, next, pos + 1);
    return;
  }
  for (size_t k = 0; k < c->nbranches[st]; k++) {
    double p = br[k].cum - (k ? br[k - 1].cum : 0);
    if (!(p > 0)) continue;
    if (br[k].to == SPEC_EXIT)
      add_succ(w, EXIT_STATE);
    else
      candidates(w, br[k].to, route_index(c, br[k].to, pos));
  }
}

static int zero_time(const dist *d) { return dist_mean(d) == 0; }

/* Does an item at station st leave it at the instant it came? (Stations that may hold
 * it, add time or call a kernel count as taking time.) */
static int instant(const spec_station *s, const spec *sp) {
  if (!zero_time(s->simplified ? &s->simplified_service : &s->service) || s->kernel) return 0;
  if (s->type == ST_COUNTER &&
      ((s->has_cash && !zero_time(&s->cash)) || (s->has_cashless && !zero_time(&s->cashless))))
    return 0;
  if (!s->unlimited && s->servers <= 0) return 0;
  if (s->pool >= 0 && sp->pool[s->pool].size <= 0) return 0;
  int any = !s->nsched;
  for (size_t i = 0; i < s->nsched; i++) any |= s->sched_servers[i] > 0;
  return any;
}

/* The states of channel c from its start (and from the initial items placed on it),
 * with their successors. */
static void explore(walk *w, int ch) {
  w->succ_at = NULL;
  candidates(w, w->c->route[0], 0);
  for (size_t i = 0; i < w->sp->ninit; i++)
    if (w->sp->init[i].channel == ch)
      state(w, w->sp->init[i].station, route_index(w->c, w->sp->init[i].station, 0));
  w->nsucc = 0; /* the start's successors only seeded states */
  size_t cap_at = 0;
  for (size_t i = 0; i < w->n && !w->full; i++) {
    if (i + 2 > cap_at) {
      size_t nc = cap_at ? 2 * cap_at : 64;
      uint32_t *na = realloc(w->succ_at, nc * sizeof *na);
      if (!na) {
        w->full = 1;
        break;
      }
      w->succ_at = na;
      cap_at = nc;
    }
    w->succ_at[i] = (uint32_t)w->nsucc;
    successors(w, (int)(w->key[i] >> 32), (int)(uint32_t)w->key[i]);
    w->succ_at[i + 1] = (uint32_t)w->nsucc;
  }
}

/* Marks every state from which the exit or a station taking time can be reached: the
 * escapes themselves, then backwards along the edges (a breadth-first walk over the
 * predecessors, so linear in states and edges). */
static int mark_escapes(const walk *w, uint8_t *out) {
  size_t n = w->n;
  uint32_t *at = calloc(n + 1, sizeof *at),
           *pred = malloc((w->nsucc ? w->nsucc : 1) * sizeof *pred);
  uint32_t *queue = malloc((n ? n : 1) * sizeof *queue);
  if (!at || !pred || !queue) {
    free(at), free(pred), free(queue);
    return -1;
  }
  for (size_t e = 0; e < w->nsucc; e++)
    if (w->succ[e] != EXIT_STATE) at[w->succ[e] + 1]++;
  for (size_t i = 0; i < n; i++) at[i + 1] += at[i];
  uint32_t *fill = calloc(n ? n : 1, sizeof *fill);
  if (!fill) {
    free(at), free(pred), free(queue);
    return -1;
  }
  size_t head = 0, tail = 0;
  for (size_t i = 0; i < n; i++) {
    out[i] = !instant(&w->sp->st[w->key[i] >> 32], w->sp);
    for (uint32_t e = w->succ_at[i]; e < w->succ_at[i + 1]; e++) {
      uint32_t s = w->succ[e];
      if (s == EXIT_STATE)
        out[i] = 1;
      else
        pred[at[s] + fill[s]++] = (uint32_t)i;
    }
    if (out[i]) queue[tail++] = (uint32_t)i;
  }
  while (head < tail) {
    uint32_t v = queue[head++];
    for (uint32_t k = at[v]; k < at[v + 1]; k++)
      if (!out[pred[k]]) out[pred[k]] = 1, queue[tail++] = pred[k];
  }
  free(at), free(pred), free(queue), free(fill);
  return 0;
}

/* The first state that can never reach the exit or a station taking time, or -1;
 * a trapped station that branches is preferred (its routing entry is what to fix). */
static long trapped(const walk *w) {
  uint8_t *out = calloc(w->n ? w->n : 1, 1);
  long first = -1;
  if (!out || mark_escapes(w, out)) {
    free(out);
    return -1;
  }
  for (size_t i = 0; i < w->n; i++)
    if (!out[i] && (first < 0 || w->c->branches[w->key[i] >> 32])) {
      first = (long)i;
      if (w->c->branches[w->key[i] >> 32]) break;
    }
  free(out);
  return first;
}

static void walk_free(walk *w) {
  free(w->key);
  free(w->succ_at);
  free(w->succ);
  free(w->slot);
}

int spec_check_loops(const spec *sp, int ch, const config_setting_t *g, const char *file,
                     sim_error *err) {
  walk w = {.sp = sp, .c = &sp->ch[ch]};
  if (!w.c->nroute) return 0;
  explore(&w, ch);
  long t = w.full ? -1 : trapped(&w);
  int rc = 0;
  if (t >= 0) {
    const char *name = sp->st[w.key[t] >> 32].name;
    size_t pre = strlen(sp->rd->prefix);
    const char *local = strncmp(name, sp->rd->prefix, pre) ? name : name + pre;
    const config_setting_t *r = config_setting_get_member(g, "routing");
    const config_setting_t *at = r ? config_setting_get_member(r, local) : NULL;
    rc = schema_error(err, at ? at : g, file,
                      "items can circle through stations that take no time "
                      "(%s) with no way out: the run would never finish (give a station on the "
                      "loop a service time, or a branch to \"exit\")",
                      local);
  }
  walk_free(&w);
  return rc;
}
