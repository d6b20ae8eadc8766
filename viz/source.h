/* source: where the viewer's snapshots come from: a live port (scenario -> spec -> port,
 * run step by step with port_advance) or a recorded run (replay). The viewer's only
 * door to the model: lifecycle, advance, clock, snapshot, and writing the session's
 * results at exit.
 *
 * Ownership: source_open_* return a source owned by the caller (source_free). */
#ifndef VIZ_SOURCE_H
#define VIZ_SOURCE_H

#include <stdint.h>

#include "models/port.h"
#include "models/snapshot.h"
#include "sim/error.h"
#include "viz/layout.h"

typedef struct view_source view_source;

typedef struct source_opts {
  const char *scenario;
  const char *const *sets; /* "PATH=VALUE" overrides */
  int nsets;
  double days;             /* > 0 overrides run.days */
  uint64_t seed;
} source_opts;

/* Returns 0, SIM_EINVAL for a scenario error (exit 2) or another code. */
int source_open_live(view_source **out, const source_opts *o, sim_error *err);
/* Returns 0 or SIM_EIO for a missing or unreadable file (exit 1). */
int source_open_replay(view_source **out, const char *path, sim_error *err);
void source_free(view_source *s);

int source_is_replay(const view_source *s);
/* Runs (or plays) up to t, at most max_events (0: no cap); returns the events run (for
 * a replay: 1 when the clock moved). */
uint64_t source_advance(view_source *s, double t, uint64_t max_events);
double source_now(const view_source *s);
double source_end(const view_source *s);
const char *source_start_iso(const view_source *s);
/* A fresh snapshot, owned by the source, valid until the next call. */
const snapshot *source_snapshot(view_source *s);
const view_hints *source_hints(const view_source *s);
/* The live port, for drill hooks; NULL for a replay. */
port *source_port(view_source *s);
/* The spec behind the source (live, or the scenario stored in a replayed file). */
const spec *source_spec(const view_source *s);
/* Recovery figures of the disruptions so far (live: computed now, replay: the file's),
 * for a drill's scorecard; n rows, owned by the source until the next call. */
const kpi_recovery *source_recovery(view_source *s, size_t *n);
/* Writes the session's results so far (a live run) to path with output_write. */
int source_write(view_source *s, const char *path, const char *version, sim_error *err);

#endif
