/* draw: the map part of a frame: lanes with their stations (state colour, servers busy
 * out of available, the queue as dots or a log-scaled bar with its count), the staff
 * bars and the legend. Reads a snapshot and a layout; keeps no state of its own. */
#ifndef VIZ_DRAW_H
#define VIZ_DRAW_H

#include <SDL.h>

#include "models/snapshot.h"
#include "viz/i18n.h"
#include "viz/layout.h"
#include "viz/text.h"

/* What every drawing function of a frame reads. */
typedef struct view_ctx {
  SDL_Renderer *ren;
  text_cache *tc;
  const layout *lay;
  const snapshot *snap;
  const view_hints *hints; /* may be NULL */
  view_lang lang;
  int selected;            /* station shown in detail, or -1 */
} view_ctx;

/* A queue of q items as a share of the bar: log-scaled so 10 and 10 000 both read;
 * DRAW_QUEUE_FULL and beyond fill it. */
#define DRAW_QUEUE_FULL 10000
double draw_queue_share(long q);

void draw_map(const view_ctx *v);
void draw_staff(const view_ctx *v);
void draw_legend(const view_ctx *v);

#endif
