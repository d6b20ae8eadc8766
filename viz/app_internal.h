/* app_internal: the state of a running viewer, shared by app.c (setup, loops) and
 * app_frame.c (what one frame does). Not for other files. */
#ifndef VIZ_APP_INTERNAL_H
#define VIZ_APP_INTERNAL_H

#include <SDL.h>

#include "viz/app.h"
#include "viz/clock.h"
#include "viz/coastview.h"
#include "viz/layout.h"
#include "viz/mapview.h"
#include "viz/panel.h"
#include "viz/text.h"

#define APP_BUDGET_S 0.008      /* engine time per frame while playing (60 fps leaves 16 ms) */
#define APP_JUMP_BUDGET_S 0.030 /* while jumping: fewer frames, the jump still animates */
#define APP_MSG_S 5.0           /* how long a status message stays */
#define APP_HEADLESS_DT (1.0 / 60.0)

typedef struct view_app {
  const app_opts *o;
  view_source *src;
  SDL_Window *win;
  SDL_Renderer *ren;
  SDL_Surface *surf; /* headless target */
  int vsync;
  text_cache *tc;
  layout lay;
  int lay_w, lay_h;
  panel *pn;
  view_drills *drills;
  view_clock clock;
  const snapshot *snap;
  int selected, help, quit, fullscreen, limited, ended;
  int asking;        /* "quit the demo?" is on screen */
  int map;           /* 1: the map view */
  int port;          /* the port the port view shows (-1: all) */
  int relayout;      /* lay out anew on the next frame */
  int score;         /* the drill's scorecard is on screen */
  mapview *mv;       /* NULL without located ports */
  int coast;         /* 1: the coastline panel */
  coastview *cv;     /* NULL without coast zones */
  /* split screen (--compare): a second run on the same clock */
  view_source *src2;
  const snapshot *snap2;
  layout lay2;
  /* the scorecard's figures, taken when it opens */
  kpi_recovery rec[2][16];
  char rec_scope[2][16][64];
  size_t nrec[2];
  double spe;        /* measured seconds per engine event (moving average) */
  double real_s;     /* real time since the start (headless: frames / 60) */
  char msg[256];
  double msg_until;
  long frame;
  size_t script_pos;
} view_app;

void app_apply(view_app *a, const view_action *act);
void app_events(view_app *a);
/* Advances the clock by real_dt and the engine to it; exact: no event cap (headless
 * screenshots must not depend on the machine's speed). */
void app_advance(view_app *a, double real_dt, int exact);
/* Runs the engine to t first (--at), sampling the panel's history on the way. */
void app_run_to(view_app *a, double t);
int app_draw(view_app *a);
/* A click at window pixel (x, y): a port on the map opens it; a station shows its details. */
void app_click(view_app *a, int x, int y);
/* Takes the recovery figures of both runs for the scorecard. */
void app_take_score(view_app *a);
void app_say(view_app *a, const char *msg);

#endif
