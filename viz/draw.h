/* draw: the port view: lanes with their stations (state colour, servers busy out of
 * available, equipment down marked on the unit, the queue as a crowd), items moving
 * between stations, finds flashing where they happen, the staff bars and the legend.
 * Reads a snapshot and a layout; keeps no state of its own: the motion is a function of
 * the simulated time and the speed, so a replay moves as the live view did.
 * The map view is in mapview.c. */
#ifndef VIZ_DRAW_H
#define VIZ_DRAW_H

#include <SDL.h>

#include "models/snapshot.h"
#include "models/scenario/spec.h"
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
  double speed;            /* x real time: how fast motion runs (0: still) */
  const spec *sp;          /* static facts (disruption times, tracks); may be NULL */
} view_ctx;

/* A queue of q items as a share of the bar: log-scaled so 10 and 10 000 both read;
 * DRAW_QUEUE_FULL and beyond fill it. */
#define DRAW_QUEUE_FULL 10000
double draw_queue_share(long q);
/* Dots a crowd of q waiting items shows in a space for `room` dots: every item up to
 * room / 2, then growing with the logarithm of q up to room. */
int draw_crowd_dots(long q, int room);
/* How long a find flashes, in simulated minutes, at a speed (1.5 s of real time). */
double draw_flash_min(double speed);

void draw_map(const view_ctx *v);
void draw_staff(const view_ctx *v);
void draw_legend(const view_ctx *v);
/* The channel's or station's display name in v->lang (label, else a type name). */
void draw_channel_name(const view_ctx *v, int ch, char *buf, size_t n);
/* A lane's or panel block's title: the channel's name, with its port's when several
 * ports share the screen (the port's alone when it has one channel). */
void draw_lane_title(const view_ctx *v, int ch, char *buf, size_t n);
void draw_station_name(const view_ctx *v, int st, int ch, char *buf, size_t n);
void draw_pool_name(const view_ctx *v, int pool, char *buf, size_t n);

#endif
