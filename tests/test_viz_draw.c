/* test_viz_draw: draws every part of a frame from a hand-made snapshot (every station
 * state, short and very long queues, unlimited stations, a disruption past its RTO, a
 * selected station, the help overlay) in both languages and several sizes on SDL's
 * software renderer, and checks a few pixels: station states and KPI grades come out in
 * their colours. Mostly a crash and sanitizer test of the drawing code, which the
 * screenshot tests reach only through a real scenario. Compiles the viewer sources it
 * needs (the viewer is not in the library). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "viz/controls.c"
#include "viz/draw.c"
#include "viz/fmt.c"
#include "viz/gfx.c"
#include "viz/i18n.c"
#include "viz/layout.c"
#include "viz/overlay.c"
#include "viz/panel.c"
#include "viz/ring.c"
#include "viz/text.c"
#include "viz/theme.c"

enum { NST = 7, NCH = 2 };
static const int route0[] = {0, 1, 2, 3};
static const int route1[] = {4, 5, 6};

static void make(snapshot *s, snap_station *st, snap_channel *ch, snap_pool *pool) {
  static const char *const names[NST] = {"risk_in", "gate_in", "xray_in", "exam_in",
                                         "sort",    "docs",    "hold"};
  static const int state[NST] = {SNAP_IDLE,      SNAP_BUSY, SNAP_DOWN, SNAP_CLOSED,
                                 SNAP_UNSTAFFED, SNAP_BUSY, SNAP_BUSY};
  static const long queue[NST] = {0, 3, 250, 0, 12, 123456, 0};
  for (int i = 0; i < NST; i++)
    st[i] = (snap_station){.name = names[i],
                           .type = i == 2 ? "xray" : "exam",
                           .servers = i == 0 || i == 6 ? -1 : 8,
                           .capacity = i == 4 ? 0 : 6,
                           .busy = i == 6 ? 40000 : 5,
                           .queue = queue[i],
                           .state = state[i],
                           .served = 1000 * i,
                           .wait_mean_min = i * 0.7,
                           .utilization = 0.1 * i};
  ch[0] = (snap_channel){.name = "passengers_in",
                         .kind = KIND_PASSENGERS_IN,
                         .arrived = 1200,
                         .released = 1100,
                         .inspected = 40,
                         .seized = 2,
                         .in_system = 100,
                         .wait_p95_min = 30,
                         .wait_target_min = 20,
                         .release_p95_min = 40,
                         .target_min = 360,
                         .route = route0,
                         .nroute = 4};
  ch[1] = (snap_channel){.name = "express",
                         .kind = KIND_EXPRESS,
                         .arrived = 50000,
                         .released = 48000,
                         .inspected = 900,
                         .seized = 11,
                         .in_system = 2000,
                         .wait_p95_min = NAN,
                         .wait_target_min = 20,
                         .release_p95_min = 700,
                         .target_min = 720,
                         .route = route1,
                         .nroute = 3};
  pool[0] = (snap_pool){.name = "passenger", .size = 300, .on_duty = 80, .busy = 60};
  pool[1] = (snap_pool){.name = "express",
                        .size = 200,
                        .on_duty = 250,
                        .busy = 300}; /* beyond the headcount: bars clamp */
  *s = (snapshot){.now_min = 2000,
                  .end_min = 11520,
                  .warmup_min = 1440,
                  .start_iso = "2024-11-25T00:00",
                  .scenario = "hand-made",
                  .nst = NST,
                  .nch = NCH,
                  .npool = 2,
                  .st = st,
                  .ch = ch,
                  .pool = pool,
                  .disruption_active = 1,
                  .disruption_name = "typhoon",
                  .disruption_since_min = 1500,
                  .rto_h = 6};
}

static SDL_Color pixel(SDL_Surface *s, int x, int y) {
  Uint32 p = ((Uint32 *)s->pixels)[y * (s->pitch / 4) + x];
  SDL_Color c;
  SDL_GetRGBA(p, s->format, &c.r, &c.g, &c.b, &c.a);
  return c;
}

static int same(SDL_Color a, SDL_Color b) { return a.r == b.r && a.g == b.g && a.b == b.b; }

static void draw_all(view_lang lang, int w, int h, int sel) {
  SDL_Surface *surf = SDL_CreateRGBSurfaceWithFormat(0, w, h, 32, SDL_PIXELFORMAT_ARGB8888);
  SDL_Renderer *ren = surf ? SDL_CreateSoftwareRenderer(surf) : NULL;
  assert_non_null(ren);
  long idx;
  const char *font = i18n_font(lang, 0, &idx), *bold = i18n_font(lang, 1, &idx);
  if (!font) { /* fonts-noto-cjk missing: nothing to test in Japanese */
    SDL_DestroyRenderer(ren);
    SDL_FreeSurface(surf);
    return;
  }
  text_cache *tc;
  assert_int_equal(text_cache_new(&tc, ren, font, bold, idx, 256, NULL), 0);
  snap_station st[NST];
  snap_channel ch[NCH];
  snap_pool pool[2];
  snapshot s;
  make(&s, st, ch, pool);
  layout l;
  layout_init(&l);
  assert_int_equal(layout_build(&l, &s, NULL, w, h), 0);
  panel *p;
  view_drills *dr;
  assert_int_equal(panel_new(&p, NCH), 0);
  assert_int_equal(drills_new(&dr, (view_drill_hook){NULL, NULL}), 0);
  char msg[128];
  drills_request(dr, DRILL_CLOSURE, "gate_in", 1990, lang, msg, sizeof msg);
  for (int k = 0; k < 200; k++) { /* a history longer than the ring holds */
    s.now_min = 1000 + 5 * k;
    st[2].queue = k * 10;
    panel_sample(p, &s, NULL);
  }
  view_ctx v = {ren, tc, &l, &s, NULL, lang, sel, 60, NULL};
  overlay_state os = {0, 0, 0, 1, 0, 0, 300, msg, 0};
  draw_map(&v);
  draw_staff(&v);
  draw_legend(&v);
  panel_draw(p, &v, dr);
  overlay_header(&v, &os);
  overlay_status(&v, &os);
  SDL_RenderFlush(ren);
  /* station frames in their state colours (the top-left corner of each box) */
  for (size_t i = 0; i < l.ncell; i++) {
    const layout_cell *c = &l.cell[i];
    if (c->station == sel) continue; /* drawn with the selection frame */
    SDL_Color got = pixel(surf, c->box.x + c->box.w / 2, c->box.y + 1);
    if (!same(got, theme_state_color(st[c->station].state)))
      fail_msg("%dx%d: station %d: top edge %02x%02x%02x", w, h, c->station, got.r, got.g, got.b);
  }
  /* the disruption past its RTO: a red bar at the left of its section */
  int found = 0;
  for (int y = l.panel.y; y < l.panel.y + l.panel.h && !found; y++)
    found = same(pixel(surf, l.panel.x + 3, y), theme_status_color(THEME_RED));
  assert_true(found);
  overlay_details(&v);
  overlay_help(&v);
  SDL_RenderFlush(ren);
  SDL_Color mid = pixel(surf, w / 2, h / 2); /* the overlay covers the middle */
  assert_true(mid.r < 80 && mid.g < 80 && mid.b < 80);
  drills_free(dr);
  panel_free(p);
  layout_free(&l);
  text_cache_free(tc);
  SDL_DestroyRenderer(ren);
  SDL_FreeSurface(surf);
}

static void every_part_english(void **state) {
  (void)state;
  draw_all(LANG_EN, 1280, 720, 3);
  draw_all(LANG_EN, 1920, 1080, -1);
  draw_all(LANG_EN, 640, 400, 5);
}

static void every_part_japanese(void **state) {
  (void)state;
  draw_all(LANG_JA, 1280, 720, 6);
  draw_all(LANG_JA, 800, 600, -1);
}

static void queue_scale(void **state) {
  (void)state;
  assert_float_equal(draw_queue_share(0), 0, 0);
  assert_float_equal(draw_queue_share(-4), 0, 0);
  assert_true(draw_queue_share(10) > draw_queue_share(1));
  assert_true(draw_queue_share(1000) > draw_queue_share(100));
  assert_float_equal(draw_queue_share(DRAW_QUEUE_FULL), 1, 1e-12);
  assert_float_equal(draw_queue_share(100 * DRAW_QUEUE_FULL), 1, 0);
  /* log scale: each tenfold adds the same length */
  double d1 = draw_queue_share(100) - draw_queue_share(10),
         d2 = draw_queue_share(1000) - draw_queue_share(100);
  assert_float_equal(d1, d2, 0.01);
}

static int cleanup(void **state) {
  (void)state;
  TTF_Quit();
  SDL_Quit();
  return 0;
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(every_part_english),
      cmocka_unit_test(every_part_japanese),
      cmocka_unit_test(queue_scale),
  };
  return cmocka_run_group_tests(tests, NULL, cleanup);
}
