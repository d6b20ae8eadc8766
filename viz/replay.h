/* replay: a recorded run played back from its HDF5 result file: the viewer's frames of
 * replication 0 (/view, results/README.md), with names, labels and routes from the
 * scenario stored in the file. At a frame's time the snapshot is the one the live view
 * took then (every figure, the disruption in force, the responses, the last finds);
 * between two frames the counts and queues move linearly and states hold, so playback
 * is smooth at any speed. Finds flash at the time they happened.
 *
 * HDF5 trusts the sizes it finds in a file, so a damaged file can crash the library:
 * replay_open_guarded reads the file first in a child process, and a crash there becomes
 * a one-line error (as customs-report does).
 *
 * Ownership: replay_open returns a replay owned by the caller (replay_free); the
 * snapshots it returns are owned by it and valid until the next call. */
#ifndef VIZ_REPLAY_H
#define VIZ_REPLAY_H

#include "models/kpi.h"
#include "models/snapshot.h"
#include "models/scenario/spec.h"
#include "sim/error.h"
#include "viz/layout.h"

typedef struct view_replay view_replay;

/* Returns 0, or SIM_EIO for a missing, unreadable, foreign or frame-less file. */
int replay_open(view_replay **out, const char *path, sim_error *err);
/* replay_open after a trial read in a child process (see above). */
int replay_open_guarded(view_replay **out, const char *path, sim_error *err);
void replay_free(view_replay *r);
double replay_end(const view_replay *r); /* minutes: the last frame */
/* The state at t (minutes from the start), clamped to the recorded span. */
const snapshot *replay_at(view_replay *r, double t_min);
const view_hints *replay_hints(const view_replay *r);
const spec *replay_spec(const view_replay *r);
/* The recovery figures of replication 0 (/kpi/recovery), n rows (0: none). */
const kpi_recovery *replay_recovery(const view_replay *r, size_t *n);

#endif
