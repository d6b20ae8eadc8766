/* feed: what of a replication a helper thread can draw ahead (models/itemfeed.h), for a
 * run with a core to spare. Three kinds of stream qualify, because what they draw depends
 * only on their own stream and the spec, never on the run's state:
 *  - a generated channel's items (its generator does not drift);
 *  - a station's service times, where its service stream draws nothing else (a counter
 *    taking duty payments draws them from the same stream, item by item);
 *  - a channel's arrival candidates, while its arrival factor stays 1 (arrivals.h).
 * Each is taken in the order it would have been drawn, so the results are the same bit
 * for bit; only the thread that draws changes. */
#include <stdlib.h>
#include <string.h>

#include "models/arrivals.h"
#include "models/itemfeed.h"
#include "models/port/port_rt.h"
#include "models/station.h"
#include "sim/dist.h"

/* What a station's service-time stream draws from, and its stream in the feed. */
typedef struct svc_src {
  const dist *d;
  gsl_rng *r;
  int id; /* -1: not fed */
} svc_src;

static void make_service(void *ctx, void *out) {
  const svc_src *src = ctx;
  double x = dist_sample(src->d, src->r);
  memcpy(out, &x, sizeof x);
}

/* The distribution station s draws every service time from, or NULL where its stream
 * draws anything else too, or nothing. */
static const dist *service_only(const station_rt *s) {
  const spec_station *sp = s->sp;
  const dist *d = station_service(sp);
  if (sp->type == ST_COUNTER && (sp->has_cash || sp->has_cashless)) return NULL;
  if (d->kind == DIST_DETERMINISTIC || (d->kind == DIST_EMPIRICAL && !d->n)) return NULL;
  return d;
}

/* Each returns how many streams it added. */
static int feed_services(port *p, itemfeed *f) {
  int n = 0;
  svc_src *src = p->svc_src = calloc(p->sp->nst, sizeof *src);
  for (size_t i = 0; src && i < p->sp->nst; i++) {
    src[i] = (svc_src){service_only(&p->st[i]), p->st[i].svc_rng, -1};
    sim_error e = {0};
    if (src[i].d) src[i].id = itemfeed_add_stream(f, sizeof(double), make_service, &src[i], &e);
    n += src[i].id >= 0;
  }
  return n;
}

static int feed_arrivals(port *p, itemfeed *f, int *ids) {
  int n = 0;
  for (size_t i = 0; i < p->sp->nch; i++) {
    ids[i] = -1;
    arrivals_ahead *ah = p->ch[i].arr ? arrivals_ahead_new(p->ch[i].arr) : NULL;
    sim_error e = {0};
    if (ah) ids[i] = itemfeed_add_stream(f, arrivals_ahead_size(), arrivals_ahead_make, ah, &e);
    n += ids[i] >= 0;
  }
  return n;
}

void port_draw_ahead(port *p) {
  const char *env = getenv("CUSTOMS_FEED"); /* "0": one thread a replication */
  if (p->feed || (env && !strcmp(env, "0"))) return;
  itemfeed *f = itemfeed_new((int)p->sp->nch);
  int *arr = f ? malloc((p->sp->nch ? p->sp->nch : 1) * sizeof *arr) : NULL;
  if (!arr) return itemfeed_free(f);
  sim_error e = {0}; /* best effort: whatever cannot be fed is drawn in place */
  int fed = 0;
  for (size_t i = 0; i < p->sp->nch; i++)
    if (p->ch[i].gen) fed += !itemfeed_add(f, (int)i, p->ch[i].gen, p->ch[i].item_rng, &e);
  fed += feed_services(p, f);
  fed += feed_arrivals(p, f, arr);
  /* nothing to draw: no thread; else the streams are switched over once it runs */
  if (fed && !itemfeed_start(f, &e)) {
    p->feed = f;
    const svc_src *src = p->svc_src;
    for (size_t i = 0; src && i < p->sp->nst; i++)
      if (src[i].id >= 0) p->st[i].svc_feed = src[i].id + 1;
    for (size_t i = 0; i < p->sp->nch; i++)
      if (arr[i] >= 0) arrivals_ahead_use(p->ch[i].arr, f, arr[i]);
  } else {
    itemfeed_free(f);
  }
  free(arr);
}
