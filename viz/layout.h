/* layout: where everything goes, computed from a snapshot and the window size alone
 * (pure: no drawing, so it can be tested with a hand-made snapshot). The window is a
 * title bar, the map (one lane per channel, its stations left to right in route order,
 * columns aligned across lanes; staff bars and a legend below), the KPI panel on the
 * right and a status line. Sizes and fonts scale with the window; rebuild on resize.
 *
 * Ownership: the layout owns its arrays (layout_free); layout_init before first use. */
#ifndef VIZ_LAYOUT_H
#define VIZ_LAYOUT_H

#include <SDL.h>
#include <stddef.h>

#include "models/snapshot.h"

/* What the snapshot does not say but helps the picture (may be absent). */
typedef struct view_hints {
  const int *attach;       /* [nst] a station on no route is drawn after this one (-1) */
  const char *const *pool; /* [nst] the staff pool a station draws on, or NULL */
} view_hints;

typedef struct layout_cell {
  SDL_Rect box;   /* the station */
  SDL_Rect queue; /* under it: the waiting items */
  int station, lane, col;
} layout_cell;

typedef struct layout_lane {
  SDL_Rect r;     /* the whole row */
  SDL_Rect label; /* the channel's name and counts, left of the stations */
  int channel;    /* -1: the stations on no route */
  size_t first, n; /* its cells */
} layout_lane;

typedef struct layout {
  int w, h;
  int port;        /* the port shown (-1: all) */
  int no_panel;    /* no KPI panel (split screen) */
  int font, font_small, font_big, pad;
  SDL_Rect header, map, lanes, staff, legend, panel, status;
  layout_lane *lane;
  size_t nlane, cap_lane;
  layout_cell *cell;
  size_t ncell, cap_cell;
} layout;

void layout_init(layout *l);
void layout_free(layout *l);
/* Lays out s in a w x h window (sizes below 320 x 240 are treated as that). hints may
 * be NULL. Returns 0 or SIM_ENOMEM. */
int layout_build(layout *l, const snapshot *s, const view_hints *hints, int w, int h);
/* As layout_build, showing only port `only` (-1: all) and, with no_panel, no KPI panel. */
int layout_build_for(layout *l, const snapshot *s, const view_hints *hints, int w, int h, int only,
                     int no_panel);
/* The station under (x, y), or -1. */
int layout_hit(const layout *l, int x, int y);
/* The first cell showing station st, or -1. */
int layout_cell_of(const layout *l, int st);

#endif
