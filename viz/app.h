/* app: the viewer itself: a window (or an off-screen surface) showing a source, frame
 * after frame: input, clock, engine, snapshot, draw. Three ways to run it: live in a
 * window, headless for N frames ending in a PNG, or headless as a benchmark. */
#ifndef VIZ_APP_H
#define VIZ_APP_H

#include <stddef.h>

#include "sim/error.h"
#include "viz/controls.h"
#include "viz/i18n.h"
#include "viz/source.h"

typedef struct app_opts {
  double speed;            /* initial, x real time */
  view_lang lang;
  int w, h, fullscreen, headless;
  long frames;             /* headless: frames to draw */
  const char *screenshot;  /* a PNG of the last frame, or NULL */
  double at_min;           /* run the engine to this time first (< 0: no) */
  const view_action *script; /* scripted keys, one every key_interval frames */
  size_t nscript;
  int key_interval;
  long quit_after;         /* windowed: quit after this many frames (0: never) */
  long bench_frames;       /* > 0: headless benchmark; prints view_fps=... */
  view_drill_hook hook;    /* where drill requests go */
  view_source *compare;    /* a second run shown side by side on the same clock, or NULL */
  const char *record;      /* a video file: frames piped to ffmpeg (headless), or NULL */
  double record_to_min;    /* the recording ends here */
  int record_fps;
  int stats;               /* print view_text_cuts=... and friends at the end */
} app_opts;

/* Returns 0 or a negative code with a message in err (SDL, font or PNG failure). */
int app_run(view_source *src, const app_opts *o, sim_error *err);

#endif
