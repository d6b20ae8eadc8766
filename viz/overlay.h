/* overlay: what frames the map: the title bar (scenario, live or replay, the simulated
 * date and time, speed, day of the run, a progress line), the status line (the last
 * message, hints), the details of a clicked station and the help overlay with the key
 * table. Stateless: the caller passes what to show. */
#ifndef VIZ_OVERLAY_H
#define VIZ_OVERLAY_H

#include "viz/draw.h"

typedef struct overlay_state {
  int replay, paused, jumping, limited, ended;
  int map;            /* the map view is on screen */
  double speed;       /* asked for (x real time) */
  const char *msg;    /* the status message, or NULL */
  int coast;          /* the coastline panel is on screen */
} overlay_state;

void overlay_header(const view_ctx *v, const overlay_state *o);
void overlay_status(const view_ctx *v, const overlay_state *o);
void overlay_details(const view_ctx *v);
void overlay_help(const view_ctx *v);
/* A question across the middle of the window (Esc: "quit the demo?"). */
void overlay_question(const view_ctx *v, const char *text);

#endif
