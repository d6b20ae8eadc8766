/* controls: what the presenter can do, as actions: the key table (which also feeds the
 * help overlay and the --keys / --script tokens, so the three never disagree), the
 * scripted key sequences used by tests and demos, and the live drills. A drill goes
 * through drills_request, which calls the hook main passes in (the model's
 * port_intervene once it exists) and keeps a bounded list of every request.
 *
 * Ownership: drills_new returns a list owned by the caller (drills_free);
 * controls_parse_script returns an array the caller frees with free(). */
#ifndef VIZ_CONTROLS_H
#define VIZ_CONTROLS_H

#include <SDL.h>
#include <stddef.h>

#include "sim/error.h"
#include "viz/i18n.h"

typedef enum {
  ACT_NONE = 0, ACT_PAUSE, ACT_FASTER, ACT_SLOWER, ACT_PRESET, ACT_STEP, ACT_HOUR, ACT_DAY,
  ACT_FULLSCREEN, ACT_HELP, ACT_QUIT, ACT_DRILL, ACT_SELECT, ACT_RESIZE, ACT_WAIT,
  ACT_ESCAPE,  /* closes an overlay, else asks before quitting */
  ACT_CONFIRM, /* y or Enter: yes to the question asked */
  ACT_MAP,     /* map view / port view */
  ACT_SCORE,   /* the drill's scorecard */
  ACT_CLICK,   /* a click at (arg, arg2), as the mouse gives it */
  ACT_OPEN,    /* open the port named `name` (as a click on it in the map) */
  ACT_COAST    /* coastline panel / port view */
} view_act;

typedef struct view_action {
  view_act act;
  int arg, arg2; /* ACT_PRESET: the digit; ACT_DRILL: the drill kind (DRILL_*);
                    ACT_RESIZE: width and height */
  char name[64]; /* ACT_SELECT: a station's name ("" clears the selection) */
} view_action;

/* Maps a key press; returns 1 and fills a, or 0 for a key with no action. */
int controls_from_key(SDL_Keycode key, view_action *a);
/* One script token: "space", "+", "-", "1".."9", "s", "h", "d", "f", "?", "q", "esc",
 * "y", "m", "w", "r", "c", "o", "a", "u", "e", "wait", "select=NAME", "open=PORT",
 * "click=X:Y", "resize=WxH" (a window only: how tests check that the layout follows the
 * window). Returns 0 or -1. */
int controls_parse_token(const char *tok, view_action *a);
/* Tokens separated by commas or white space; '#' starts a comment to the end of the
 * line. At most CONTROLS_SCRIPT_MAX actions. Returns 0 or SIM_EINVAL naming the token. */
#define CONTROLS_SCRIPT_MAX 10000
int controls_parse_script(const char *text, view_action **out, size_t *n, sim_error *err);
int controls_load_script(const char *path, view_action **out, size_t *n, sim_error *err);

/* The help overlay's rows. */
typedef struct controls_help {
  const char *keys;
  i18n_id text;
} controls_help;
size_t controls_help_count(void);
const controls_help *controls_help_at(size_t i);

/* ---- drills ---- */
enum { DRILL_CLOSURE = 0, DRILL_OUTAGE, DRILL_SHORTAGE, DRILL_SURGE, DRILL_END, DRILL_N };
const char *controls_drill_kind(int drill);   /* "closure", "outage", "staff_shortage", ... */
double controls_drill_level(int drill);       /* the default level the key asks for */

/* The same shape as port_intervene, with the port passed as ctx. Returns 0 or a
 * negative code with a message in err. */
typedef int (*view_drill_fn)(void *ctx, const char *kind, const char *target, double level,
                             sim_error *err);
typedef struct view_drill_hook {
  view_drill_fn apply; /* NULL: requests are only recorded */
  void *ctx;
} view_drill_hook;

typedef struct view_drill {
  double t_min;    /* simulated time of the request */
  char kind[20];
  char target[64]; /* "" when the model is to choose */
  double level;
  int rc;          /* what the hook returned */
} view_drill;

#define DRILLS_MAX 512
typedef struct view_drills view_drills;
int drills_new(view_drills **out, view_drill_hook hook);
void drills_free(view_drills *d);
/* Records the request, passes it to the hook and writes the on-screen message
 * ("drill: closure requested" or why it failed) into msg. Returns the hook's code. */
int drills_request(view_drills *d, int drill, const char *target, double now_min, view_lang lang,
                   char *msg, size_t n);
size_t drills_count(const view_drills *d);
const view_drill *drills_at(const view_drills *d, size_t i);

#endif
