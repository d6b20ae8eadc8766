/* source: a live port or a replay behind one interface (see source.h). */
#include "viz/source.h"

#include <stdlib.h>
#include <unistd.h>

#include "models/output.h"
#include "models/scenario/scenario.h"
#include "models/scenario/spec.h"
#include "viz/hints.h"
#include "viz/replay.h"

struct view_source {
  /* live */
  scenario *sc;
  spec *sp;
  port *p;
  uint64_t seed;
  snapshot snap;
  int *attach;
  const char **pool;
  view_hints hints;
  /* replay */
  view_replay *rp;
  double now;
  double next_frame;  /* live: the next frame time to record (for --out) */
  kpi_run k;          /* live: the figures of the last source_recovery call */
};

int source_open_live(view_source **out, const source_opts *o, sim_error *err) {
  *out = NULL;
  view_source *s = calloc(1, sizeof *s);
  if (!s) return sim_error_set(err, SIM_ENOMEM, "out of memory");
  s->seed = o->seed;
  int rc = scenario_load(&s->sc, o->scenario, o->sets, o->nsets, o->days, err);
  if (!rc) rc = spec_build(&s->sp, s->sc, err);
  if (!rc) rc = port_new(&s->p, s->sp, o->seed, 0, err);
  if (!rc && sysconf(_SC_NPROCESSORS_ONLN) > 1) port_draw_ahead(s->p); /* a spare core */
  if (!rc) {
    s->attach = calloc(s->sp->nst + 1, sizeof *s->attach);
    s->pool = calloc(s->sp->nst + 1, sizeof *s->pool);
    if (!s->attach || !s->pool) rc = sim_error_set(err, SIM_ENOMEM, "out of memory");
  }
  if (!rc) {
    rc = snapshot_take(s->p, &s->snap);
    if (rc) sim_error_set(err, rc, "out of memory");
  }
  if (!rc) {
    hints_from_snapshot(&s->snap, s->attach, s->pool);
    s->hints = (view_hints){s->attach, s->pool};
  }
  if (rc) {
    source_free(s);
    return rc;
  }
  *out = s;
  return 0;
}

int source_open_replay(view_source **out, const char *path, sim_error *err) {
  *out = NULL;
  view_source *s = calloc(1, sizeof *s);
  if (!s) return sim_error_set(err, SIM_ENOMEM, "out of memory");
  int rc = replay_open_guarded(&s->rp, path, err);
  if (rc) {
    free(s);
    return rc;
  }
  *out = s;
  return 0;
}

void source_free(view_source *s) {
  if (!s) return;
  kpi_run_free(&s->k);
  snapshot_free(&s->snap);
  port_free(s->p);
  spec_free(s->sp);
  scenario_free(s->sc);
  free(s->attach);
  free(s->pool);
  replay_free(s->rp);
  free(s);
}

int source_is_replay(const view_source *s) { return s->rp != NULL; }

/* Live: runs in pieces ending on frame times and records a frame at each (after every
 * event of that instant, as port_run does), so a session saved with --out replays. */
static uint64_t advance_live(view_source *s, double t, uint64_t max_events) {
  uint64_t total = 0;
  double step = snapshot_frame_interval(s->sp), end = port_end_time(s->p);
  if (t > end) t = end;
  while (port_now(s->p) < t || s->next_frame <= t) {
    double to = s->next_frame < t ? s->next_frame : t;
    uint64_t left = max_events ? max_events - total : 0;
    if (max_events && !left) break;
    uint64_t ran = port_advance(s->p, to, left);
    total += ran;
    if (max_events && ran >= left) break; /* the cap ran out before `to` */
    if (to >= s->next_frame) {
      port_view_record(s->p); /* out of memory: the saved session lacks a frame, no more */
      s->next_frame += step;
    }
    if (to >= t) break;
  }
  return total;
}

uint64_t source_advance(view_source *s, double t, uint64_t max_events) {
  if (!s->rp) return advance_live(s, t, max_events);
  double end = replay_end(s->rp);
  double was = s->now;
  s->now = t < 0 ? 0 : t > end ? end : t;
  return s->now != was;
}

double source_now(const view_source *s) { return s->rp ? s->now : port_now(s->p); }
double source_end(const view_source *s) { return s->rp ? replay_end(s->rp) : port_end_time(s->p); }

const char *source_start_iso(const view_source *s) {
  return s->rp ? replay_at(s->rp, s->now)->start_iso : s->sp->start_iso;
}

const snapshot *source_snapshot(view_source *s) {
  if (s->rp) return replay_at(s->rp, s->now);
  snapshot_take(s->p, &s->snap); /* arrays were allocated at open: cannot fail now */
  return &s->snap;
}

const view_hints *source_hints(const view_source *s) {
  return s->rp ? replay_hints(s->rp) : &s->hints;
}

port *source_port(view_source *s) { return s->p; }

int source_write(view_source *s, const char *path, const char *version, sim_error *err) {
  if (s->rp) return sim_error_set(err, SIM_EINVAL, "--out needs a live run, not a replay");
  kpi_run k = {0};
  int rc = port_kpis(s->p, &k, err);
  if (!rc) {
    output_meta m = {.sc = s->sc, .sp = s->sp, .seed = s->seed,
                     .complete = port_now(s->p) >= port_end_time(s->p), .version = version};
    rc = output_write(path, &m, &k, 1, err);
  }
  kpi_run_free(&k);
  return rc;
}

const spec *source_spec(const view_source *s) { return s->rp ? replay_spec(s->rp) : s->sp; }

const kpi_recovery *source_recovery(view_source *s, size_t *n) {
  *n = 0;
  if (s->rp) return replay_recovery(s->rp, n);
  sim_error err = {0};
  kpi_run_free(&s->k);
  if (port_kpis(s->p, &s->k, &err)) return NULL;
  *n = s->k.nrec;
  return s->k.rec;
}
