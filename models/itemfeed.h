/* itemfeed: a helper thread that fills the items of generated channels, and other
 * records drawn from streams of their own, ahead of the simulation. Each channel's items
 * are drawn by its own generator from its own stream, one after the other in the order
 * the simulation takes them, so a run gets the same items bit for bit as when it draws
 * them itself; the simulation thread only copies them. A stream added with
 * itemfeed_add_stream works the same way for any record whose maker reads nothing the
 * simulation changes (a station's service times, a channel's arrival candidates).
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
/* Writes a stream's next record (size bytes) into out; runs on the helper thread. */
typedef void (*itemfeed_make_fn)(void *ctx, void *out);
/* A stream of records of size bytes, each made by make(ctx, .) on the helper thread in
 * the order they are read. Returns its id (>= 0, for itemfeed_read), or SIM_EINVAL once
 * started, SIM_ENOMEM if out of memory. ctx must stay valid, and whatever make reads
 * unchanged by anyone else, until itemfeed_free. */
int itemfeed_add_stream(itemfeed *f, size_t size, itemfeed_make_fn make, void *ctx,
                        sim_error *err);
/* Starts the helper thread. SIM_ENOMEM if it cannot be created (the caller then draws
 * its items itself: nothing was drawn yet). */
int itemfeed_start(itemfeed *f, sim_error *err);
/* Whether channel ch is fed (added and started). */
int itemfeed_feeds(const itemfeed *f, int ch);
/* Copies channel ch's next item into *it: what declgen_fill would have written there for
 * a day of 0 (the caller sets the id and the arrival time). Waits while the helper is
 * behind. */
void itemfeed_take(itemfeed *f, int ch, item *it);
/* Copies stream id's next record into out (its size bytes); waits while the helper is
 * behind. itemfeed_draw: the same for a stream of doubles. */
void itemfeed_read(itemfeed *f, int id, void *out);
double itemfeed_draw(itemfeed *f, int id);
/* Stops the helper and frees the feed (NULL is fine). The streams are then ahead of
 * what was taken: draw nothing more from them. */
void itemfeed_free(itemfeed *f);

#endif
