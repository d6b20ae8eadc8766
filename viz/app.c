/* app: setting up the renderer (a window, or a software renderer on a surface when
 * headless), the frame loops of the three modes, screenshots, and tearing down. */
#include "viz/app.h"

#include <SDL_image.h>
#include <SDL_ttf.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "viz/app_internal.h"

#define APP_TEXT_CACHE 1024 /* textures: a frame shows a few hundred strings */
#define APP_MIN_W 640
#define APP_MIN_H 400

static double seconds(void) {
  return (double)SDL_GetPerformanceCounter() / (double)SDL_GetPerformanceFrequency();
}

static int open_window(view_app *a, sim_error *err) {
  const app_opts *o = a->o;
  if (SDL_Init(SDL_INIT_VIDEO)) return sim_error_set(err, SIM_ERUN, "SDL: %s", SDL_GetError());
  Uint32 flags = SDL_WINDOW_RESIZABLE | SDL_WINDOW_ALLOW_HIGHDPI;
  if (o->fullscreen) flags |= SDL_WINDOW_FULLSCREEN_DESKTOP;
  a->win = SDL_CreateWindow("customs-view", SDL_WINDOWPOS_CENTERED, SDL_WINDOWPOS_CENTERED, o->w,
                            o->h, flags);
  if (!a->win) return sim_error_set(err, SIM_ERUN, "SDL window: %s", SDL_GetError());
  SDL_SetWindowMinimumSize(a->win, APP_MIN_W, APP_MIN_H);
  a->fullscreen = o->fullscreen;
  a->ren = SDL_CreateRenderer(a->win, -1, SDL_RENDERER_ACCELERATED | SDL_RENDERER_PRESENTVSYNC);
  if (!a->ren) a->ren = SDL_CreateRenderer(a->win, -1, SDL_RENDERER_SOFTWARE);
  if (!a->ren) return sim_error_set(err, SIM_ERUN, "SDL renderer: %s", SDL_GetError());
  SDL_RendererInfo info;
  a->vsync = !SDL_GetRendererInfo(a->ren, &info) && (info.flags & SDL_RENDERER_PRESENTVSYNC);
  return 0;
}

static int open_surface(view_app *a, sim_error *err) {
  a->surf = SDL_CreateRGBSurfaceWithFormat(0, a->o->w, a->o->h, 32, SDL_PIXELFORMAT_ARGB8888);
  if (!a->surf) return sim_error_set(err, SIM_ERUN, "SDL surface: %s", SDL_GetError());
  a->ren = SDL_CreateSoftwareRenderer(a->surf);
  if (!a->ren) return sim_error_set(err, SIM_ERUN, "SDL software renderer: %s", SDL_GetError());
  return 0;
}

static int setup(view_app *a, sim_error *err) {
  const app_opts *o = a->o;
  int rc = o->headless ? open_surface(a, err) : open_window(a, err);
  if (rc) return rc;
  long index = 0, bindex = 0;
  const char *font = i18n_font(o->lang, 0, &index), *bold = i18n_font(o->lang, 1, &bindex);
  if (!font)
    return sim_error_set(err, SIM_EIO, "no font for --lang %s (install %s)",
                         o->lang == LANG_JA ? "ja" : "en",
                         o->lang == LANG_JA ? "fonts-noto-cjk" : "fonts-dejavu-core");
  rc = text_cache_new(&a->tc, a->ren, font, bold, index, APP_TEXT_CACHE, err);
  if (rc) return rc;
  a->snap = source_snapshot(a->src);
  if (panel_new(&a->pn, a->snap->nch) || drills_new(&a->drills, o->hook))
    return sim_error_set(err, SIM_ENOMEM, "out of memory");
  layout_init(&a->lay);
  layout_init(&a->lay2);
  a->selected = -1;
  a->port = -1;
  a->src2 = o->compare;
  if (a->src2) a->snap2 = source_snapshot(a->src2);
  if (mapview_available(a->snap)) {
    sim_error merr = {0};
    if (mapview_new(&a->mv, &merr))
      fprintf(stderr, "customs-view: %s: the map shows no coastline\n", merr.msg);
    a->map = a->snap->nport > 1 && !a->src2; /* several ports: the map first */
  }
  if (coastview_available(a->snap)) {
    sim_error cerr = {0};
    if (coastview_new(&a->cv, &cerr))
      fprintf(stderr, "customs-view: %s: the coastline panel shows no land\n", cerr.msg);
    a->coast = !a->src2; /* a coast scenario opens on its coastline */
    a->map = 0;
  }
  clock_init(&a->clock, o->speed, source_now(a->src), source_end(a->src));
  panel_sample(a->pn, a->snap, source_hints(a->src));
  if (o->at_min >= 0) app_run_to(a, o->at_min);
  return 0;
}

static void teardown(view_app *a) {
  mapview_free(a->mv);
  coastview_free(a->cv);
  layout_free(&a->lay2);
  drills_free(a->drills);
  panel_free(a->pn);
  layout_free(&a->lay);
  text_cache_free(a->tc);
  if (a->ren) SDL_DestroyRenderer(a->ren);
  if (a->surf) SDL_FreeSurface(a->surf);
  if (a->win) SDL_DestroyWindow(a->win);
}

static int save_png(view_app *a, const char *path, sim_error *err) {
  SDL_Surface *s = a->surf;
  SDL_Surface *shot = NULL;
  SDL_RenderFlush(a->ren);
  if (!s) { /* a window: read back what was drawn */
    int w, h;
    SDL_GetRendererOutputSize(a->ren, &w, &h);
    shot = SDL_CreateRGBSurfaceWithFormat(0, w, h, 32, SDL_PIXELFORMAT_ARGB8888);
    if (!shot ||
        SDL_RenderReadPixels(a->ren, NULL, SDL_PIXELFORMAT_ARGB8888, shot->pixels, shot->pitch)) {
      SDL_FreeSurface(shot);
      return sim_error_set(err, SIM_EIO, "cannot read the window's pixels: %s", SDL_GetError());
    }
    s = shot;
  }
  int rc = IMG_SavePNG(s, path)
               ? sim_error_set(err, SIM_EIO, "cannot write '%s': %s", path, IMG_GetError())
               : 0;
  SDL_FreeSurface(shot);
  return rc;
}

static void scripted_key(view_app *a) {
  const app_opts *o = a->o;
  int every = o->key_interval > 0 ? o->key_interval : 1;
  if (a->script_pos < o->nscript && a->frame > 0 && a->frame % every == 0)
    app_apply(a, &o->script[a->script_pos++]);
}

static int run_window(view_app *a, sim_error *err) {
  double last = seconds();
  for (a->frame = 0; !a->quit; a->frame++) {
    double t = seconds(), dt = t - last;
    last = t;
    a->real_s += dt;
    app_events(a);
    scripted_key(a);
    if (a->o->quit_after > 0 && a->frame + 1 >= a->o->quit_after) a->quit = 1;
    app_advance(a, dt, 0);
    if (app_draw(a)) return sim_error_set(err, SIM_ERUN, "drawing failed: %s", SDL_GetError());
    if (a->quit && a->o->screenshot && save_png(a, a->o->screenshot, err)) return SIM_EIO;
    SDL_RenderPresent(a->ren);
    double spent = seconds() - t;
    int hidden = SDL_GetWindowFlags(a->win) & (SDL_WINDOW_MINIMIZED | SDL_WINDOW_HIDDEN);
    if ((!a->vsync || hidden) && spent < 1.0 / 60) SDL_Delay((Uint32)((1.0 / 60 - spent) * 1000));
  }
  return 0;
}

static int run_headless(view_app *a, sim_error *err) {
  long n = a->o->frames > 0 ? a->o->frames : 1;
  for (a->frame = 0; a->frame < n && !a->quit; a->frame++) {
    double dt = a->frame ? APP_HEADLESS_DT : 0; /* the first frame shows the starting time itself */
    a->real_s += dt;
    scripted_key(a);
    app_advance(a, dt, 1);
    if (app_draw(a)) return sim_error_set(err, SIM_ERUN, "drawing failed: %s", SDL_GetError());
  }
  return a->o->screenshot ? save_png(a, a->o->screenshot, err) : 0;
}

static void print_stats(view_app *a) {
  text_stats ts;
  text_cache_stats(a->tc, &ts);
  printf(
      "view_text_cuts=%llu\nview_map_land_share=%.3f\nview_now_min=%.3f\nview_frames=%ld\nview_"
      "asking=%d\n",
      (unsigned long long)ts.cuts, a->mv ? mapview_land_share(a->mv) : 0.0, source_now(a->src),
      a->frame, a->asking);
}

/* --record: frames from --at (T0) to record_to_min at record_fps, each advancing the
 * clock by 1/fps of real time at the speed, piped raw to ffmpeg. */
static int run_record(view_app *a, sim_error *err) {
  const app_opts *o = a->o;
  int fps = o->record_fps > 0 ? o->record_fps : 30;
  double per_frame = a->clock.speed / 60.0 / fps, t0 = source_now(a->src);
  long n = (long)ceil((o->record_to_min - t0) / per_frame - 1e-9) + 1;
  if (n < 1) n = 1;
  char cmd[1024];
  snprintf(cmd, sizeof cmd,
           "ffmpeg -loglevel error -y -f rawvideo -pixel_format bgra -video_size %dx%d -framerate "
           "%d -i - "
           "-c:v libx264 -preset veryfast -pix_fmt yuv420p -frames:v %ld '%s'",
           o->w, o->h, fps, n, o->record);
  if (strchr(o->record, '\''))
    return sim_error_set(err, SIM_EINVAL, "--record: a file name with a quote");
  FILE *ff = popen(cmd, "w");
  if (!ff) return sim_error_set(err, SIM_ERUN, "--record: cannot start ffmpeg (install ffmpeg)");
  int rc = 0;
  for (a->frame = 0; a->frame < n && !rc; a->frame++) {
    double dt = a->frame ? 1.0 / fps : 0;
    a->real_s += dt;
    scripted_key(a);
    app_advance(a, dt, 1);
    if (app_draw(a)) rc = sim_error_set(err, SIM_ERUN, "drawing failed: %s", SDL_GetError());
    SDL_RenderFlush(a->ren);
    for (int y = 0; !rc && y < a->surf->h; y++)
      if (fwrite((Uint8 *)a->surf->pixels + (size_t)y * a->surf->pitch, 4, (size_t)a->surf->w,
                 ff) != (size_t)a->surf->w)
        rc = sim_error_set(err, SIM_EIO, "--record: ffmpeg stopped taking frames");
  }
  int st = pclose(ff);
  if (!rc && st != 0)
    rc = sim_error_set(err, SIM_EIO, "--record: ffmpeg failed writing '%s'", o->record);
  if (!rc)
    printf("recorded: %s (%ld frames at %d fps, %.1f to %.1f h)\n", o->record, n, fps, t0 / 60,
           source_now(a->src) / 60);
  return rc;
}

/* Frames as fast as they come, each crediting 1/60 s of real time to the clock (so at
 * least the live work per frame), with the live event cap. */
static int run_bench(view_app *a, sim_error *err) {
  double t0 = seconds(), engine = 0;
  for (a->frame = 0; a->frame < a->o->bench_frames; a->frame++) {
    a->real_s += APP_HEADLESS_DT;
    double e0 = seconds();
    app_advance(a, APP_HEADLESS_DT, 0);
    engine += seconds() - e0;
    if (app_draw(a)) return sim_error_set(err, SIM_ERUN, "drawing failed: %s", SDL_GetError());
    SDL_RenderFlush(a->ren);
  }
  double total = seconds() - t0, fps = total > 0 ? (double)a->o->bench_frames / total : 0;
  text_stats ts;
  text_cache_stats(a->tc, &ts);
  printf(
      "view_fps=%.1f\nview_frame_ms=%.3f\nview_engine_ms_per_frame=%.3f\nview_sim_minutes=%.1f\n"
      "view_text_cache_entries=%zu\nview_text_cache_hit_rate=%.3f\n",
      fps, 1000 * total / (double)a->o->bench_frames, 1000 * engine / (double)a->o->bench_frames,
      source_now(a->src), ts.entries,
      ts.hits + ts.misses ? (double)ts.hits / (double)(ts.hits + ts.misses) : 0);
  return a->o->screenshot ? save_png(a, a->o->screenshot, err) : 0;
}

int app_run(view_source *src, const app_opts *o, sim_error *err) {
  view_app a = {.o = o, .src = src, .selected = -1};
  if (IMG_Init(IMG_INIT_PNG) != IMG_INIT_PNG && o->screenshot)
    return sim_error_set(err, SIM_ERUN, "SDL_image: %s", IMG_GetError());
  int rc = setup(&a, err);
  if (!rc) rc = o->bench_frames > 0 ? run_bench(&a, err) : o->record ? run_record(&a, err)
               : o->headless ? run_headless(&a, err) : run_window(&a, err);
  if (!rc && o->stats) print_stats(&a);
  teardown(&a);
  TTF_Quit();
  IMG_Quit();
  SDL_Quit();
  return rc;
}
