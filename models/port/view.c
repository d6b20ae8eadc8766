/* view: what a viewer sees of a running port: snapshot_take (a read-only copy of the
 * port's state now) and the viewer's record of replication 0 (frames at fixed times,
 * finds), handed to the result file by port_kpis. */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "models/coast.h"
#include "models/disrupt.h"
#include "models/port/capacity.h"
#include "models/port/disrupt_rt.h"
#include "models/port/staff.h"
#include "models/port/view.h"
#include "models/present.h"
#include "models/snapshot.h"

/* The viewer's record of a run (replication 0 keeps frames; every port keeps its recent
 * finds for the live view). Owned by this file; the port holds a pointer. */
typedef struct view_rt {
  double *view;           /* [nview][view_w], or one frame's scratch if view_spool */
  FILE *view_spool;       /* the frames, spooled to an anonymous temporary file, or NULL */
  size_t nview, cap_view, view_w;
  snapshot *vsnap;        /* scratch for recording */
  snap_find recent[SNAP_FINDS];
  uint64_t nfind;
  FILE *find_spool;       /* replication 0: every find (capped), spooled like the frames */
  snap_find *find_log;    /* or in memory if no such file can be made */
  size_t nfind_log, cap_find_log;
} view_rt;

static double share(int64_t a, int64_t n) { return n ? (double)a / (double)n : NAN; }

int view_init(port *p) {
  p->vw = calloc(1, sizeof *p->vw);
  return p->vw ? 0 : -1;
}

/* Reads the n records of `size` bytes spooled to f into a new array (NULL if that fails). */
static void *spooled(FILE *f, size_t n, size_t size) {
  size_t bytes = n * size;
  void *v = malloc(bytes ? bytes : 1);
  if (!v || fflush(f) || pread(fileno(f), v, bytes, 0) != (ssize_t)bytes) {
    free(v);
    return NULL;
  }
  return v;
}

/* A log of n records of `size` bytes for the result file. Spooled: the file itself if
 * `take` (the port keeps none), else a copy read from it. In memory: the array, handed
 * over (shrunk to its size) if `take`, else copied. */
static int hand_over(FILE **spool, void **mem, size_t *n, size_t *cap, size_t size, int take,
                     FILE **file, void **out) {
  if (take && *spool) {
    if (fflush(*spool)) return -1;
    *file = *spool, *spool = NULL, *n = 0;
    return 0;
  }
  if (*spool) return (*out = spooled(*spool, *n, size)) ? 0 : -1;
  if (!*n) return 0;
  if (take) {
    void *v = realloc(*mem, *n * size);
    *out = v ? v : *mem;
    *mem = NULL, *n = *cap = 0;
    return 0;
  }
  if (!(*out = malloc(*n * size))) return -1;
  memcpy(*out, *mem, *n * size);
  return 0;
}

/* The viewer's frames and finds for the result file (see hand_over). */
int port_view_kpis(port *p, kpi_run *k, int take) {
  view_rt *w = p->vw;
  void *mem = w->view, *out = NULL;
  k->nview = w->nview;
  if (w->nview) k->view_w = w->view_w;
  int rc = hand_over(&w->view_spool, &mem, &w->nview, &w->cap_view, w->view_w * sizeof(double),
                     take, &k->view_file, &out);
  w->view = mem, k->view = out;
  if (rc) return -1;
  mem = w->find_log, out = NULL;
  k->nfinds = w->nfind_log;
  rc = hand_over(&w->find_spool, &mem, &w->nfind_log, &w->cap_find_log, sizeof *k->finds, take,
                 &k->finds_file, &out);
  w->find_log = mem, k->finds = out;
  return rc ? -1 : 0;
}

/* ---- snapshot ---- */

static int station_state(const station_rt *s) {
  if (station_closed(s)) return SNAP_CLOSED;
  if (!s->res) return s->present ? SNAP_BUSY : SNAP_IDLE;
  if (s->sp->units - station_units_down(s) <= 0 && s->sp->servers > 0) return SNAP_DOWN;
  int staffed = s->sp->pool >= 0 || s->sp->remote_pool >= 0;
  if (staffed && res_queue_len(s->res) > 0 && res_busy(s->res) < station_servers_allowed(s))
    return SNAP_UNSTAFFED;
  return res_busy(s->res) ? SNAP_BUSY : SNAP_IDLE;
}

static void fill_station(const port *p, size_t i, double now, snap_station *o) {
  const station_rt *r = &p->st[i];
  o->capacity = station_possible_servers(p, r);
  o->busy = r->res ? res_busy(r->res) : (int)r->present;
  o->queue = (r->res ? res_queue_len(r->res) : 0) + (long)fifo_len(&r->blocked);
  o->state = station_state(r);
  o->units_down = station_units_down(r);
  if (r->res) {
    const res_stats *rs = res_get_stats(r->res);
    int staffed = r->sp->pool >= 0 || r->sp->remote_pool >= 0;
    double cap = staffed ? timeavg_mean(&r->avail_t, now) : timeavg_mean(&rs->cap, now);
    o->served = (int64_t)rs->served;
    o->wait_mean_min = tally_mean(&rs->wait);
    o->utilization = cap > 0 ? timeavg_mean(&rs->busy, now) / cap : NAN;
  } else {
    o->served = r->served_u;
    o->wait_mean_min = NAN;
    o->utilization = NAN;
  }
}

static void fill_channel(const port *p, size_t i, snap_channel *o) {
  const channel_rt *c = &p->ch[i];
  o->arrived = c->arrived;
  o->released = c->released;
  o->seized = c->seized;
  o->lost = c->lost;
  o->inspected = c->inspected;
  o->in_system = c->in_system;
  o->diverted_in = c->diverted_in;
  o->diverted_out = c->diverted_out;
  o->held = c->held;
  o->cancelled = c->cancelled;
  for (int k = 0; k < KPI_SEIZE_N; k++) o->finds[k] = c->seized_kind[k];
  o->normal_in_system = disrupt_baseline(p, (int)i);
  o->release_p50_min = hist_quantile(&c->release_hist, 0.5);
  o->release_p95_min = hist_quantile(&c->release_hist, 0.95);
  o->wait_p95_min = hist_quantile(&c->wait_hist, 0.95);
  o->within_target_share = share(c->within_target, c->released);
  o->wait_within_target_share = share(c->wait_within_target, c->released);
}

/* A port's figures as sums over its channels and stations: the same numbers the
 * channel and station rows show. */
static void fill_ports(const port *p, snapshot *s) {
  for (size_t k = 0; k < s->nport; k++) {
    snap_port *o = &s->port[k];
    o->backlog = o->waiting = o->held = 0;
    o->normal_backlog = 0;
    o->level = 1;
    int nch = 0, shut = 0;
    for (size_t i = 0; i < s->nch; i++) {
      if (s->ch[i].port != (int)k) continue;
      o->backlog += s->ch[i].in_system;
      o->held += s->ch[i].held;
      o->normal_backlog += s->ch[i].normal_in_system;
      double gate = disrupt_gate_level(p, (int)i);
      o->level = fmin(o->level, gate);
      nch++;
      shut += gate <= 0;
    }
    for (size_t i = 0; i < s->nst; i++)
      if (s->st[i].port == (int)k) o->waiting += s->st[i].queue;
    o->closed = nch > 0 && shut == nch;
  }
}

int snapshot_take(const port *p, snapshot *s) {
  const spec *sp = p->sp;
  if (!s->st && snapshot_shape(sp, s)) return SIM_ENOMEM;
  double now = sim_now(p->s);
  s->now_min = now;
  s->end_min = p->t_end;
  s->warmup_min = p->t_warm;
  s->events = sim_events(p->s);
  s->disruption_active =
      disrupt_active(p, &s->disruption_name, &s->disruption_since_min, &s->rto_h);
  s->disruption_index = disrupt_active_index(p, &s->disruption_level);
  s->disruption_kind = -1;
  s->disruption_label[0] = s->disruption_label[1] = NULL;
  if (s->disruption_index >= 0) {
    int n;
    const dis_item *it = disrupt_item(p, s->disruption_index, &n);
    s->disruption_kind = it ? it->kind : -1;
    if ((size_t)s->disruption_index >= (sp->dis ? sp->dis->n : 0))
      s->disruption_index = -1; /* live */
    else if (sp->pres) {
      s->disruption_label[0] = sp->pres->dis[s->disruption_index].t[0];
      s->disruption_label[1] = sp->pres->dis[s->disruption_index].t[1];
    }
  }
  for (size_t i = 0; i < sp->nst; i++) fill_station(p, i, now, &s->st[i]);
  for (size_t i = 0; i < sp->nch; i++) fill_channel(p, i, &s->ch[i]);
  for (size_t i = 0; i < sp->npool; i++) {
    /* rounded alike, so busy <= on duty holds on screen as in the model */
    s->pool[i].on_duty = (int)lround(staff_on_duty_persons(p, (int)i));
    s->pool[i].busy = (int)lround(staff_busy_persons(p, (int)i));
  }
  for (size_t i = 0; i < s->nresp; i++) s->resp_on[i] = (uint8_t)disrupt_response_on(p, (int)i);
  fill_ports(p, s);
  if (p->coast) coast_snapshot(p->coast, s);
  memcpy(s->find, p->vw->recent, sizeof s->find);
  s->nfind = p->vw->nfind;
  return 0;
}

/* ---- the viewer's record ---- */

/* Finds kept for a replay (later ones only flash live): 256 doubled while at most a
 * million, as many as the in-memory log has always held. */
#define VIEW_FINDS_MAX ((size_t)256 << 11)

void port_found(port *p, int st, int ch, int kind) {
  snap_find f = {sim_now(p->s), st, ch, kind};
  p->vw->recent[p->vw->nfind % SNAP_FINDS] = f;
  p->vw->nfind++;
  if (p->rep != 0 || p->vw->nfind_log >= VIEW_FINDS_MAX) return;
  if (!p->vw->nfind_log && !p->vw->find_spool && !p->vw->find_log)
    p->vw->find_spool = tmpfile(); /* memory stays flat however long the run */
  if (p->vw->find_spool) {
    /* a write that fails loses the flash in the replay; the counts are unaffected */
    if (fwrite(&f, sizeof f, 1, p->vw->find_spool) == 1) p->vw->nfind_log++;
    return;
  }
  if (p->vw->nfind_log == p->vw->cap_find_log) {
    size_t ncap = p->vw->cap_find_log ? 2 * p->vw->cap_find_log : 256;
    if (ncap > VIEW_FINDS_MAX) return;
    snap_find *nv = realloc(p->vw->find_log, ncap * sizeof *nv);
    if (!nv) return; /* the replay misses a flash; the counts are unaffected */
    p->vw->find_log = nv;
    p->vw->cap_find_log = ncap;
  }
  p->vw->find_log[p->vw->nfind_log++] = f;
}

/* Frames go to an anonymous temporary file as they are recorded, so memory stays flat
 * however long the run; in memory if no such file can be made. */
static int view_store(port *p, size_t w) {
  if (!p->vw->nview && !p->vw->view_spool && !p->vw->view) p->vw->view_spool = tmpfile();
  if (p->vw->view_spool) {
    double *buf = p->vw->view ? p->vw->view : (p->vw->view = malloc(w * sizeof *p->vw->view));
    if (!buf) return SIM_ENOMEM;
    snapshot_pack(p->vw->vsnap, buf);
    return fwrite(buf, sizeof *buf, w, p->vw->view_spool) == w ? 0 : SIM_ENOMEM;
  }
  if (p->vw->nview == p->vw->cap_view) {
    size_t ncap = p->vw->cap_view ? 2 * p->vw->cap_view : 64;
    double *nv = realloc(p->vw->view, ncap * w * sizeof *nv);
    if (!nv) return SIM_ENOMEM;
    p->vw->view = nv;
    p->vw->cap_view = ncap;
  }
  snapshot_pack(p->vw->vsnap, p->vw->view + p->vw->nview * w);
  return 0;
}

int port_view_record(port *p) {
  if (!p->vw->vsnap) {
    p->vw->vsnap = calloc(1, sizeof *p->vw->vsnap);
    if (!p->vw->vsnap) return SIM_ENOMEM;
  }
  if (snapshot_take(p, p->vw->vsnap)) return SIM_ENOMEM;
  size_t w = snapshot_frame_width(p->vw->vsnap);
  int rc = view_store(p, w);
  if (rc) return rc;
  p->vw->view_w = w;
  p->vw->nview++;
  return 0;
}

const double *port_view_frames(const port *p, size_t *nframes, size_t *width) {
  *nframes = p->vw->view_spool ? 0 : p->vw->nview;
  *width = p->vw->view_w;
  return p->vw->view_spool ? NULL : p->vw->view;
}

const snap_find *port_view_finds(const port *p, size_t *n) {
  *n = p->vw->find_spool ? 0 : p->vw->nfind_log;
  return p->vw->find_spool ? NULL : p->vw->find_log;
}

void port_view_free(port *p) {
  view_rt *w = p->vw;
  if (!w) return;
  if (w->vsnap) snapshot_free(w->vsnap);
  free(w->vsnap);
  free(w->view);
  free(w->find_log);
  if (w->view_spool) fclose(w->view_spool);
  if (w->find_spool) fclose(w->find_spool);
  free(w);
  p->vw = NULL;
}
