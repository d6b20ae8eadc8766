/* test_viz_text: the viewer's text cache on SDL's software renderer (no display): it
 * never holds more textures than its bound, drops the least recently used first, hits
 * on repeated strings, and shortens text that does not fit with an ellipsis. Compiles
 * the viewer source it tests (the viewer is not in the library). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "viz/i18n.c"
#include "viz/text.c"

typedef struct fixture {
  SDL_Surface *surf;
  SDL_Renderer *ren;
  text_cache *tc;
} fixture;

static const SDL_Color black = {0, 0, 0, 255};

static int setup(void **state) {
  fixture *f = calloc(1, sizeof *f);
  long idx;
  const char *font = i18n_font(LANG_EN, 0, &idx);
  if (!f || !font) return -1;
  f->surf = SDL_CreateRGBSurfaceWithFormat(0, 320, 200, 32, SDL_PIXELFORMAT_ARGB8888);
  f->ren = f->surf ? SDL_CreateSoftwareRenderer(f->surf) : NULL;
  if (!f->ren || text_cache_new(&f->tc, f->ren, font, NULL, idx, 8, NULL)) return -1;
  *state = f;
  return 0;
}

static int teardown(void **state) {
  fixture *f = *state;
  text_cache_free(f->tc);
  SDL_DestroyRenderer(f->ren);
  SDL_FreeSurface(f->surf);
  free(f);
  TTF_Quit();
  SDL_Quit();
  return 0;
}

static void bounded(void **state) {
  fixture *f = *state;
  char s[32];
  text_stats st;
  for (int i = 0; i < 100; i++) {
    snprintf(s, sizeof s, "queue %d", i);
    assert_true(text_draw(f->tc, s, 14, i % 2, black, 0, 0, TEXT_LEFT) > 0);
    text_cache_stats(f->tc, &st);
    assert_true(st.entries <= 8);
  }
  text_cache_stats(f->tc, &st);
  assert_int_equal(st.entries, 8);
  assert_int_equal(st.misses, 100);
  assert_int_equal(st.evictions, 92);
  assert_true(st.fonts <= 2); /* one size, two weights */
  text_draw(f->tc, "queue 99", 14, 1, black, 0, 0, TEXT_LEFT);
  text_cache_stats(f->tc, &st);
  assert_int_equal(st.hits, 1);
}

static void least_recently_used_goes_first(void **state) {
  fixture *f = *state;
  char s[32];
  text_stats a, b;
  for (int i = 0; i < 8; i++) {
    snprintf(s, sizeof s, "label %d", i);
    text_draw(f->tc, s, 12, 0, black, 0, 0, TEXT_LEFT);
  }
  text_draw(f->tc, "label 0", 12, 0, black, 0, 0, TEXT_LEFT); /* 0 is now the most recent */
  text_draw(f->tc, "new", 12, 0, black, 0, 0, TEXT_LEFT);     /* evicts label 1 */
  text_cache_stats(f->tc, &a);
  text_draw(f->tc, "label 0", 12, 0, black, 0, 0, TEXT_LEFT);
  text_cache_stats(f->tc, &b);
  assert_int_equal(b.hits, a.hits + 1);
  text_draw(f->tc, "label 1", 12, 0, black, 0, 0, TEXT_LEFT);
  text_cache_stats(f->tc, &a);
  assert_int_equal(a.misses, b.misses + 1);
  /* the key includes size, weight and colour */
  text_draw(f->tc, "label 1", 13, 0, black, 0, 0, TEXT_LEFT);
  text_draw(f->tc, "label 1", 12, 1, black, 0, 0, TEXT_LEFT);
  text_draw(f->tc, "label 1", 12, 0, (SDL_Color){255, 0, 0, 255}, 0, 0, TEXT_LEFT);
  text_cache_stats(f->tc, &b);
  assert_int_equal(b.misses, a.misses + 3);
}

static void sizes_and_fitting(void **state) {
  fixture *f = *state;
  int w1 = 0, w2 = 0, h = 0;
  assert_int_equal(text_size(f->tc, "customs", 12, 0, &w1, &h), 0);
  assert_int_equal(text_size(f->tc, "customs", 24, 0, &w2, NULL), 0);
  assert_true(w2 > w1 && h > 0);
  assert_int_equal(text_draw(f->tc, "", 12, 0, black, 0, 0, TEXT_LEFT), 0);
  assert_int_equal(text_draw(f->tc, NULL, 12, 0, black, 0, 0, TEXT_LEFT), 0);
  char out[64];
  text_fit(f->tc, "short", 12, 0, 1000, out, sizeof out);
  assert_string_equal(out, "short");
  text_fit(f->tc, "a rather long station name", 12, 1, 60, out, sizeof out);
  int w = 0;
  assert_int_equal(text_size(f->tc, out, 12, 1, &w, NULL), 0);
  assert_true(w <= 60);
  assert_true(strlen(out) > 3);
  assert_non_null(strstr(out, "…"));
  text_fit(f->tc, "whatever", 12, 0, 1, out, sizeof out); /* nothing fits: empty */
  assert_string_equal(out, "");
  /* UTF-8 is cut between characters, never inside one */
  long idx;
  const char *ja = i18n_font(LANG_JA, 0, &idx);
  if (ja) {
    text_cache *t;
    assert_int_equal(text_cache_new(&t, f->ren, ja, NULL, idx, 4, NULL), 0);
    text_fit(t, "電子申告ゲート電子申告ゲート", 14, 0, 50, out, sizeof out);
    assert_non_null(strstr(out, "…"));
    assert_int_equal(strncmp(out, "電子", strlen("電子")), 0);
    assert_true(text_draw(t, out, 14, 0, black, 0, 0, TEXT_LEFT) > 0);
    /* line breaks keep Japanese rules: no line starts with closing punctuation, none ends
     * with an opening bracket, and a bracketed word goes whole to the next line */
    const char *title = "航空貨物（輸入）の通関、検査。";
    int full = 0;
    assert_int_equal(text_size(t, title, 14, 0, &full, NULL), 0);
    for (int maxw = 20; maxw < full; maxw += 3) {
      char l1[128], l2[128];
      if (text_wrap2(t, title, 14, 0, maxw, l1, l2, sizeof l1) < 2 || !l2[0]) continue;
      const char *bad_start[] = {"）", "、", "。"};
      for (int k = 0; k < 3; k++) assert_true(strncmp(l2, bad_start[k], strlen(bad_start[k])) != 0);
      size_t n1 = strlen(l1);
      assert_false(n1 >= strlen("（") && !strcmp(l1 + n1 - strlen("（"), "（"));
    }
    char l1[128], l2[128];
    int w4 = 0;
    assert_int_equal(text_size(t, "航空貨物（輸", 14, 0, &w4, NULL), 0);
    assert_int_equal(text_wrap2(t, "航空貨物（輸入）", 14, 0, w4, l1, l2, sizeof l1), 2);
    assert_string_equal(l1, "航空貨物");
    assert_string_equal(l2, "（輸入）");
    /* a katakana word stays whole when the line can break before it */
    text_size(t, "電子申告ゲー", 14, 0, &w4, NULL);
    assert_int_equal(text_wrap2(t, "電子申告ゲート", 14, 0, w4, l1, l2, sizeof l1), 2);
    assert_string_equal(l1, "電子申告");
    assert_string_equal(l2, "ゲート");
    text_cache_free(t);
  }
}

static void bad_font(void **state) {
  fixture *f = *state;
  text_cache *t = NULL;
  sim_error err = {0};
  assert_int_equal(text_cache_new(&t, f->ren, "/nonexistent.ttf", NULL, 0, 8, &err), SIM_EIO);
  assert_null(t);
  assert_non_null(strstr(err.msg, "/nonexistent.ttf"));
  assert_int_equal(text_cache_new(&t, f->ren, NULL, NULL, 0, 8, &err), SIM_EINVAL);
  text_cache_free(NULL);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test_setup_teardown(bounded, setup, teardown),
      cmocka_unit_test_setup_teardown(least_recently_used_goes_first, setup, teardown),
      cmocka_unit_test_setup_teardown(sizes_and_fitting, setup, teardown),
      cmocka_unit_test_setup_teardown(bad_font, setup, teardown),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
