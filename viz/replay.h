/* replay: a recorded run played back from its HDF5 result file (results/README.md):
 * the time series of replication 0 (/series/time, queue and busy per station, items in
 * the port per channel, staff on duty and busy per pool) with station, channel and pool
 * names from the /kpi tables. The routes come from the scenario text stored in the
 * file when it still loads; otherwise every station is drawn on one lane. Between two
 * samples the values are interpolated, so playback moves smoothly at any speed.
 * Figures the series do not hold (counts, percentiles) read as unknown (-1 or NaN).
 *
 * Ownership: replay_open returns a replay owned by the caller (replay_free); the
 * snapshots it returns are owned by it and valid until the next call. */
#ifndef VIZ_REPLAY_H
#define VIZ_REPLAY_H

#include "models/snapshot.h"
#include "sim/error.h"
#include "viz/layout.h"

typedef struct view_replay view_replay;

/* Returns 0, or SIM_EIO for a missing, unreadable or foreign file (one-line message). */
int replay_open(view_replay **out, const char *path, sim_error *err);
void replay_free(view_replay *r);
double replay_end(const view_replay *r); /* minutes: the last sample */
/* The state at t (minutes from the start), clamped to the recorded span. */
const snapshot *replay_at(view_replay *r, double t_min);
const view_hints *replay_hints(const view_replay *r);

#endif
