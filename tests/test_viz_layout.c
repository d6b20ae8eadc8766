/* test_viz_layout: the viewer's layout from a hand-made snapshot: every station has a
 * box inside the map, no two boxes overlap, the regions tile the window, stations on
 * no route go after the station that falls back to them or on an "other" lane, and the
 * layout grows with the window. The viewer's sources are not in the library, so this
 * test compiles the one it needs. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "viz/layout.c"

enum { NST = 13 };

/* Three channels (5, 3 and 8 stations; station 2 is on two routes), station 10 falls
 * back from station 1, stations 11 and 12 are on no route. */
static const int r0[] = {0, 1, 2, 3, 4};
static const int r1[] = {5, 2, 6};
static const int r2[] = {7, 8, 9, 3, 0, 5, 6, 4};
static const int attach[NST] = {-1, -1, -1, -1, -1, -1, -1, -1, -1, -1, 1, -1, -1};

static void make(snapshot *s, snap_station *st, snap_channel *ch, size_t nch) {
  static const char *const names[NST] = {"a", "b", "c", "d", "e", "f", "g",
                                         "h", "i", "j", "k", "l", "m"};
  memset(s, 0, sizeof *s);
  for (int i = 0; i < NST; i++)
    st[i] = (snap_station){.name = names[i], .type = "queue", .servers = 2};
  ch[0] = (snap_channel){.name = "c0", .route = r0, .nroute = 5};
  ch[1] = (snap_channel){.name = "c1", .route = r1, .nroute = 3};
  ch[2] = (snap_channel){.name = "c2", .route = r2, .nroute = 8};
  s->st = st;
  s->ch = ch;
  s->nst = NST;
  s->nch = nch;
}

static int within(SDL_Rect in, SDL_Rect out) {
  return in.w > 0 && in.h > 0 && in.x >= out.x && in.y >= out.y && in.x + in.w <= out.x + out.w &&
         in.y + in.h <= out.y + out.h;
}

static int overlap(SDL_Rect a, SDL_Rect b) {
  return a.x < b.x + b.w && b.x < a.x + a.w && a.y < b.y + b.h && b.y < a.y + a.h;
}

static SDL_Rect cell_area(const layout_cell *c) { /* the box and its queue below */
  return (SDL_Rect){c->box.x, c->box.y, c->box.w, c->queue.y + c->queue.h - c->box.y};
}

static void check_layout(const layout *l, int w, int h) {
  SDL_Rect win = {0, 0, w, h};
  SDL_Rect parts[4] = {l->header, l->map, l->panel, l->status};
  long area = 0;
  for (int i = 0; i < 4; i++) {
    assert_true(within(parts[i], win));
    area += (long)parts[i].w * parts[i].h;
    for (int j = 0; j < i; j++) assert_false(overlap(parts[i], parts[j]));
  }
  assert_int_equal(area, (long)w * h); /* they tile the window */
  assert_true(within(l->staff, l->map));
  assert_true(within(l->legend, l->map));
  for (size_t i = 0; i < l->ncell; i++) {
    const layout_cell *c = &l->cell[i];
    SDL_Rect a = cell_area(c);
    if (!within(a, l->lanes))
      fail_msg("%dx%d: cell %zu (%d,%d %dx%d) outside the lanes", w, h, i, a.x, a.y, a.w, a.h);
    assert_true(within(c->box, l->lane[c->lane].r));
    assert_false(overlap(a, l->lane[c->lane].label));
    assert_false(overlap(a, l->staff));
    for (size_t j = 0; j < i; j++)
      if (overlap(a, cell_area(&l->cell[j])))
        fail_msg("%dx%d: cells %zu and %zu overlap", w, h, i, j);
  }
}

static void boxes_fit_every_size(void **state) {
  (void)state;
  static const int sizes[][2] = {{1280, 720},  {1920, 1080}, {800, 600}, {640, 400},
                                 {3840, 2160}, {1024, 1024}, {2560, 800}};
  snap_station st[NST];
  snap_channel ch[3];
  snapshot s;
  make(&s, st, ch, 3);
  view_hints hints = {attach, NULL};
  layout l;
  layout_init(&l);
  for (size_t k = 0; k < sizeof sizes / sizeof *sizes; k++) {
    assert_int_equal(layout_build(&l, &s, &hints, sizes[k][0], sizes[k][1]), 0);
    assert_int_equal(l.w, sizes[k][0]);
    check_layout(&l, sizes[k][0], sizes[k][1]);
  }
  layout_free(&l);
}

static void lanes_follow_routes(void **state) {
  (void)state;
  snap_station st[NST];
  snap_channel ch[3];
  snapshot s;
  make(&s, st, ch, 3);
  view_hints hints = {attach, NULL};
  layout l;
  layout_init(&l);
  assert_int_equal(layout_build(&l, &s, &hints, 1280, 720), 0);
  assert_int_equal(l.nlane, 4); /* three channels and the "other" lane */
  assert_int_equal(l.lane[0].n, 6); /* route of 5 plus station 10 after station 1 */
  const int want0[] = {0, 1, 10, 2, 3, 4};
  for (int k = 0; k < 6; k++) assert_int_equal(l.cell[l.lane[0].first + k].station, want0[k]);
  assert_int_equal(l.lane[2].n, 8);
  assert_int_equal(l.lane[3].channel, -1);
  assert_int_equal(l.lane[3].n, 2);
  assert_int_equal(l.ncell, 6 + 3 + 8 + 2); /* station 2 is drawn on both its lanes */
  /* columns line up across lanes, left to right in route order */
  for (size_t i = 0; i < l.nlane; i++)
    for (size_t k = 1; k < l.lane[i].n; k++) {
      const layout_cell *a = &l.cell[l.lane[i].first + k - 1], *b = a + 1;
      assert_true(b->box.x > a->box.x + a->box.w);
      assert_int_equal(b->box.y, a->box.y);
      assert_int_equal(l.cell[l.lane[2].first + k].box.x >= 0, 1);
    }
  assert_int_equal(l.cell[l.lane[1].first + 1].box.x, l.cell[l.lane[0].first + 1].box.x);
  /* without hints station 10 joins the "other" lane */
  assert_int_equal(layout_build(&l, &s, NULL, 1280, 720), 0);
  assert_int_equal(l.lane[0].n, 5);
  assert_int_equal(l.lane[l.nlane - 1].n, 3);
  layout_free(&l);
}

static void hit_testing(void **state) {
  (void)state;
  snap_station st[NST];
  snap_channel ch[3];
  snapshot s;
  make(&s, st, ch, 3);
  layout l;
  layout_init(&l);
  assert_int_equal(layout_build(&l, &s, NULL, 1600, 900), 0);
  for (size_t i = 0; i < l.ncell; i++) {
    const SDL_Rect *b = &l.cell[i].box;
    assert_int_equal(layout_hit(&l, b->x + b->w / 2, b->y + b->h / 2), l.cell[i].station);
    assert_true(layout_cell_of(&l, l.cell[i].station) >= 0);
  }
  assert_int_equal(layout_hit(&l, 1, 1), -1);                          /* the title bar */
  assert_int_equal(layout_hit(&l, l.panel.x + 5, l.panel.y + 5), -1);  /* the panel */
  assert_int_equal(layout_cell_of(&l, 99), -1);
  layout_free(&l);
}

static void adapts_to_size(void **state) {
  (void)state;
  snap_station st[NST];
  snap_channel ch[3];
  snapshot s;
  make(&s, st, ch, 3);
  layout a, b;
  layout_init(&a);
  layout_init(&b);
  assert_int_equal(layout_build(&a, &s, NULL, 1280, 720), 0);
  assert_int_equal(layout_build(&b, &s, NULL, 1920, 1080), 0);
  assert_true(b.font > a.font);
  assert_true(b.cell[0].box.w > a.cell[0].box.w);
  assert_true(b.cell[0].box.h > a.cell[0].box.h);
  assert_true(b.panel.w > a.panel.w);
  /* a tiny window is laid out as the smallest supported one */
  assert_int_equal(layout_build(&a, &s, NULL, 100, 50), 0);
  assert_int_equal(a.w, 320);
  check_layout(&a, 320, 240);
  layout_free(&a);
  layout_free(&b);
}

static void no_channels(void **state) {
  (void)state;
  snap_station st[NST];
  snap_channel ch[3];
  snapshot s;
  make(&s, st, ch, 0);
  layout l;
  layout_init(&l);
  assert_int_equal(layout_build(&l, &s, NULL, 1280, 720), 0);
  assert_int_equal(l.nlane, 1);
  assert_int_equal(l.lane[0].n, NST);
  check_layout(&l, 1280, 720);
  layout_free(&l);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(boxes_fit_every_size), cmocka_unit_test(lanes_follow_routes),
      cmocka_unit_test(hit_testing),          cmocka_unit_test(adapts_to_size),
      cmocka_unit_test(no_channels),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
