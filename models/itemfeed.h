/* itemfeed: a helper thread that fills the items of generated channels ahead of the
 * simulation. Each channel's items are drawn by its own generator from its own stream,
 * one after the other in the order the simulation takes them, so a run gets the same
 * items bit for bit as when it draws them itself; the simulation thread only copies them.
 *
 * An item depends on its stream alone only when the generator does not drift (its
 * population turns with the arrival day otherwise): itemfeed_add refuses a drifting one.
 * The feed is worth a thread only where a core is spare (one replication at a time).
 *
 * Ownership: the feed borrows each generator and stream from itemfeed_add until
 * itemfeed_free, and nothing else may draw from them meanwhile. */
#ifndef MODELS_ITEMFEED_H
#define MODELS_ITEMFEED_H

#include <gsl/gsl_rng.h>

#include "models/declgen.h"
#include "models/item.h"
#include "sim/error.h"

typedef struct itemfeed itemfeed;

/* A feed for channels 0 .. nch - 1, none of them fed yet. NULL if out of memory. */
itemfeed *itemfeed_new(int nch);
/* Channel ch's items will come from g drawing from r. SIM_EINVAL if g drifts (its items
 * depend on their day) or ch is out of range, SIM_ENOMEM if out of memory. */
int itemfeed_add(itemfeed *f, int ch, declgen *g, gsl_rng *r, sim_error *err);
/* Starts the helper thread. SIM_ENOMEM if it cannot be created (the caller then draws
 * its items itself: nothing was drawn yet). */
int itemfeed_start(itemfeed *f, sim_error *err);
/* Whether channel ch is fed (added and started). */
int itemfeed_feeds(const itemfeed *f, int ch);
/* Copies channel ch's next item into *it: what declgen_fill would have written there for
 * a day of 0 (the caller sets the id and the arrival time). Waits while the helper is
 * behind. */
void itemfeed_take(itemfeed *f, int ch, item *it);
/* Stops the helper and frees the feed (NULL is fine). The streams are then ahead of
 * what was taken: draw nothing more from them. */
void itemfeed_free(itemfeed *f);

#endif
