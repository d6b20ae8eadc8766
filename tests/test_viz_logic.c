/* test_viz_logic: the viewer's pure parts: the green/amber/red rule, date, duration and
 * count formatting, --at and --size parsing, the clock's speed ladder, frame clamp,
 * anti-spiral lead and per-frame event cap, the sample ring, the key table and scripts,
 * and the drill list. The viewer's sources are not in the library, so this test
 * compiles the ones it needs. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "viz/clock.c"
#include "viz/controls.c"
#include "viz/fmt.c"
#include "viz/i18n.c"
#include "viz/ring.c"
#include "viz/theme.c"

/* Units in Japanese, and the crowd and flash sizes. */
static void japanese_units(void **state) {
  (void)state;
  char b[32];
  fmt_duration_l(45, 1, b, sizeof b);
  assert_string_equal(b, "45分");
  fmt_duration_l(150, 1, b, sizeof b);
  assert_string_equal(b, "2.5時間");
  fmt_duration_l(0.5, 1, b, sizeof b);
  assert_string_equal(b, "1分未満");
  fmt_duration_l(45, 0, b, sizeof b);
  assert_string_equal(b, "45 min");
  const char *en[2] = {"Narita International Airport", "成田国際空港"};
  assert_int_equal(i18n_label(LANG_JA, en, b, sizeof b), 1);
  assert_string_equal(b, "成田国際空港");
  assert_int_equal(i18n_label(LANG_EN, NULL, b, sizeof b), 0);
}

static void traffic_light(void **state) {
  (void)state;
  assert_int_equal(theme_status_of(10, 20), THEME_GREEN);
  assert_int_equal(theme_status_of(20, 20), THEME_GREEN);  /* at the target */
  assert_int_equal(theme_status_of(23, 20), THEME_AMBER);
  assert_int_equal(theme_status_of(24, 20), THEME_AMBER);  /* 20 % above: still amber */
  assert_int_equal(theme_status_of(24.01, 20), THEME_RED);
  assert_int_equal(theme_status_of(NAN, 20), THEME_NONE);
  assert_int_equal(theme_status_of(5, NAN), THEME_NONE);
  assert_int_equal(theme_status_of(5, 0), THEME_NONE);
  /* passengers are graded on their waits, goods on their release times */
  snap_channel pax = {.kind = KIND_PASSENGERS_IN, .wait_p95_min = 22, .wait_target_min = 20,
                      .release_p95_min = 1, .target_min = 360};
  snap_channel goods = {.kind = KIND_EXPRESS, .wait_p95_min = 500, .wait_target_min = 20,
                        .release_p95_min = 900, .target_min = 720};
  double v, t;
  int wait;
  assert_int_equal(theme_channel_status(&pax, &v, &t, &wait), THEME_AMBER);
  assert_true(wait && v == 22 && t == 20);
  assert_int_equal(theme_channel_status(&goods, &v, &t, &wait), THEME_RED);
  assert_true(!wait && v == 900 && t == 720);
  goods.release_p95_min = 700;
  assert_int_equal(theme_channel_status(&goods, NULL, NULL, NULL), THEME_GREEN);
}

static void clock_text(void **state) {
  (void)state;
  char b[64];
  assert_int_equal(fmt_clock("2024-11-25T00:00", 36 * 60 + 30, 0, b, sizeof b), 0);
  assert_string_equal(b, "Tue 2024-11-26 12:30");
  assert_int_equal(fmt_clock("2024-11-25T00:00", 36 * 60 + 30, 1, b, sizeof b), 0);
  assert_string_equal(b, "2024年11月26日(火) 12:30");
  fmt_clock("2024-11-25T00:00", 14 * 60 - 1e-9, 0, b, sizeof b); /* no 13:59 from rounding */
  assert_string_equal(b, "Mon 2024-11-25 14:00");
  fmt_clock("2024-12-31T23:00", 120, 0, b, sizeof b);
  assert_string_equal(b, "Wed 2025-01-01 01:00");
  assert_int_equal(fmt_clock("not a date", 36 * 60 + 30, 0, b, sizeof b), -1);
  assert_string_equal(b, "+36:30");
  assert_int_equal(fmt_clock(NULL, 5, 0, b, sizeof b), -1);
}

static void durations_and_counts(void **state) {
  (void)state;
  char b[32];
  fmt_duration(NAN, b, sizeof b);
  assert_string_equal(b, "–");
  fmt_duration(0.4, b, sizeof b);
  assert_string_equal(b, "<1 min");
  fmt_duration(45, b, sizeof b);
  assert_string_equal(b, "45 min");
  fmt_duration(192, b, sizeof b);
  assert_string_equal(b, "3.2 h");
  fmt_duration(3600, b, sizeof b);
  assert_string_equal(b, "2.5 d");
  static const struct { int64_t v; const char *s;
  } c[] = {{0, "0"},          {999, "999"},           {1000, "1,000"},
           {72663, "72,663"}, {1234567, "1,234,567"}, {-1, "–"}};
  for (size_t i = 0; i < sizeof c / sizeof *c; i++) {
    fmt_count(c[i].v, b, sizeof b);
    assert_string_equal(b, c[i].s);
  }
  fmt_count(1234567, b, 4); /* truncated, still terminated */
  assert_int_equal(strlen(b), 3);
}

static void at_and_size(void **state) {
  (void)state;
  double m;
  const char *start = "2024-11-25T00:00";
  static const struct { const char *s; double min; } ok[] = {
      {"36h", 2160}, {"36", 2160}, {"0", 0}, {"90m", 90}, {"90min", 90}, {"1.5d", 2160},
      {"2024-11-26T12:00", 2160}, {"2024-11-26", 1440}};
  for (size_t i = 0; i < sizeof ok / sizeof *ok; i++) {
    assert_int_equal(fmt_parse_at(ok[i].s, start, &m), 0);
    assert_float_equal(m, ok[i].min, 1e-9);
  }
  static const char *const bad[] = {
      "", "x", "-5", "36y", "h", "2024-11-24T00:00", "2024-13-01T00:00", "nan", "inf"};
  for (size_t i = 0; i < sizeof bad / sizeof *bad; i++)
    if (fmt_parse_at(bad[i], start, &m) == 0) fail_msg("--at '%s' accepted", bad[i]);
  assert_int_equal(fmt_parse_at("2024-11-26T12:00", NULL, &m), -1);
  int w, h;
  assert_int_equal(fmt_parse_size("1920x1080", 320, 8192, &w, &h), 0);
  assert_true(w == 1920 && h == 1080);
  static const char *const badsz[] = {"1920", "x1080",      "1920x",   "0x5",
                                      "axb",  "1920x1080x", "100x100", "99999x100"};
  for (size_t i = 0; i < sizeof badsz / sizeof *badsz; i++)
    if (fmt_parse_size(badsz[i], 320, 8192, &w, &h) == 0)
      fail_msg("--size '%s' accepted", badsz[i]);
}

static void speed_ladder(void **state) {
  (void)state;
  assert_float_equal(clock_clamp_speed(0), CLOCK_SPEED_MIN, 0);
  assert_float_equal(clock_clamp_speed(NAN), CLOCK_SPEED_MIN, 0);
  assert_float_equal(clock_clamp_speed(1e9), CLOCK_SPEED_MAX, 0);
  assert_float_equal(clock_clamp_speed(250), 250, 0);
  double s = CLOCK_SPEED_MIN;
  int steps = 0;
  for (; s < CLOCK_SPEED_MAX && steps < 100; steps++) {
    double f = clock_faster(s);
    assert_true(f > s);
    assert_float_equal(clock_slower(f), s, 1e-9); /* + then - comes back */
    s = f;
  }
  assert_true(steps > 10 && steps < 30);
  assert_float_equal(clock_faster(CLOCK_SPEED_MAX), CLOCK_SPEED_MAX, 0);
  assert_float_equal(clock_slower(CLOCK_SPEED_MIN), CLOCK_SPEED_MIN, 0);
  assert_float_equal(clock_faster(45), 60, 0); /* off the ladder: the next rung */
  assert_float_equal(clock_preset(1), 1, 0);
  for (int d = 2; d <= 9; d++) assert_true(clock_preset(d) > clock_preset(d - 1));
  assert_true(clock_preset(9) >= 1000);
  assert_float_equal(clock_preset(0), 60, 0);
}

static void frame_clamp_and_pause(void **state) {
  (void)state;
  view_clock c;
  clock_init(&c, 60, 0, 10000);
  /* 60x: one real second is one simulated minute */
  assert_float_equal(clock_tick(&c, 1.0 / 60, 0), 1.0 / 60, 1e-12);
  /* a 10 s stall counts as CLOCK_MAX_FRAME_S */
  double was = c.target_min;
  assert_float_equal(clock_tick(&c, 10, was), was + CLOCK_MAX_FRAME_S, 1e-12);
  assert_float_equal(clock_tick(&c, -3, c.target_min), c.target_min, 0); /* clock went back */
  c.paused = 1;
  was = c.target_min;
  assert_float_equal(clock_tick(&c, 0.1, was), was, 0);
  clock_step(&c, was);
  assert_true(c.paused);
  assert_float_equal(clock_tick(&c, 0.1, was), was + CLOCK_STEP_MIN, 1e-12);
  /* never past the end */
  clock_init(&c, CLOCK_SPEED_MAX, 9999.9, 10000);
  assert_float_equal(clock_tick(&c, 0.25, 9999.9), 10000, 0);
}

/* An engine that can only run `rate` simulated minutes per frame, far below what the
 * speed asks: the target must stay within one clamped frame of the engine. */
static void no_spiral(void **state) {
  (void)state;
  view_clock c;
  clock_init(&c, 14400, 0, 1e9);
  double now = 0, rate = 0.5, lead_max = 14400 * CLOCK_MAX_FRAME_S / 60;
  for (int f = 0; f < 10000; f++) {
    double goal = clock_tick(&c, f % 100 ? 1.0 / 60 : 2.0, now);
    assert_true(goal - now <= lead_max + 1e-9);
    now += goal - now < rate ? goal - now : rate;
  }
  assert_float_equal(now, 10000 * rate, 1e-6);
}

static void jumps(void **state) {
  (void)state;
  view_clock c;
  clock_init(&c, 60, 100, 5000);
  clock_jump(&c, 100, 60);
  assert_true(clock_jumping(&c));
  clock_jump(&c, 100, 60); /* a second 'h' stacks on the first */
  assert_float_equal(c.jump_min, 220, 0);
  double now = 100;
  for (int f = 0; f < 100 && clock_jumping(&c); f++) {
    double goal = clock_tick(&c, 1.0 / 60, now);
    assert_true(goal >= 220 || !clock_jumping(&c));
    now += 10; /* capped: the jump takes several frames */
    if (now > goal) now = goal;
  }
  assert_false(clock_jumping(&c));
  assert_true(now >= 220);
  clock_jump(&c, now, 1440 * 10); /* past the end: stops there */
  assert_float_equal(c.jump_min, 5000, 0);
}

static void event_cap(void **state) {
  (void)state;
  assert_int_equal(clock_events_cap(0.008, 1e-6), 8000);
  assert_int_equal(clock_events_cap(0.008, 1e-12), CLOCK_CAP_MAX);
  assert_int_equal(clock_events_cap(0.008, 1.0), CLOCK_CAP_MIN);
  assert_int_equal(clock_events_cap(0.008, 0), 5000); /* not measured yet */
  assert_int_equal(clock_events_cap(0.008, NAN), 5000);
  assert_true(clock_events_cap(0.030, 5e-6) > clock_events_cap(0.008, 5e-6));
}

static void ring_buffer(void **state) {
  (void)state;
  view_ring *r;
  assert_int_equal(ring_new(&r, 0, 1), SIM_EINVAL);
  assert_int_equal(ring_new(&r, 4, 2), 0);
  assert_true(isnan(ring_last_t(r)));
  for (int i = 0; i < 10; i++) {
    double v[2] = {i, 10.0 * i};
    ring_push(r, i, v);
  }
  assert_int_equal(ring_len(r), 4);
  for (size_t i = 0; i < 4; i++) {
    assert_float_equal(ring_t(r, i), 6 + (double)i, 0);
    assert_float_equal(ring_v(r, i, 1), 60 + 10.0 * (double)i, 0);
  }
  assert_true(isnan(ring_v(r, 4, 0)));
  assert_true(isnan(ring_v(r, 0, 2)));
  double v[2] = {1, 1};
  ring_push(r, 3, v); /* time went back: a fresh history */
  assert_int_equal(ring_len(r), 1);
  ring_free(r);
  ring_free(NULL);
}

static void keys_and_scripts(void **state) {
  (void)state;
  view_action a;
  assert_true(controls_from_key(SDLK_SPACE, &a) && a.act == ACT_PAUSE);
  assert_true(controls_from_key(SDLK_EQUALS, &a) && a.act == ACT_FASTER);
  assert_true(controls_from_key(SDLK_KP_MINUS, &a) && a.act == ACT_SLOWER);
  assert_true(controls_from_key(SDLK_7, &a) && a.act == ACT_PRESET && a.arg == 7);
  assert_true(controls_from_key(SDLK_ESCAPE, &a) && a.act == ACT_ESCAPE); /* asks first */
  assert_true(controls_from_key(SDLK_q, &a) && a.act == ACT_QUIT);
  assert_true(controls_from_key(SDLK_y, &a) && a.act == ACT_CONFIRM);
  assert_true(controls_from_key(SDLK_m, &a) && a.act == ACT_MAP);
  assert_int_equal(controls_parse_token("click=12:34", &a), 0);
  assert_true(a.act == ACT_CLICK && a.arg == 12 && a.arg2 == 34);
  assert_int_equal(controls_parse_token("click=12", &a), -1);
  assert_int_equal(controls_parse_token("open=kix", &a), 0);
  assert_true(a.act == ACT_OPEN && !strcmp(a.name, "kix"));
  assert_true(controls_from_key(SDLK_c, &a) && a.act == ACT_DRILL && a.arg == DRILL_CLOSURE);
  assert_true(controls_from_key(SDLK_a, &a) && a.act == ACT_DRILL && a.arg == DRILL_SHORTAGE);
  assert_false(controls_from_key(SDLK_z, &a));
  view_action *v;
  size_t n;
  sim_error err = {0};
  assert_int_equal(controls_parse_script("space,+,+,h,?", &v, &n, &err), 0);
  assert_int_equal(n, 5);
  assert_int_equal(v[0].act, ACT_PAUSE);
  assert_int_equal(v[2].act, ACT_FASTER);
  assert_int_equal(v[3].act, ACT_HOUR);
  assert_int_equal(v[4].act, ACT_HELP);
  free(v);
  assert_int_equal(
      controls_parse_script("# demo\n select=egate  3 wait\n c, e # drills\n", &v, &n, &err), 0);
  assert_int_equal(n, 5);
  assert_int_equal(v[0].act, ACT_SELECT);
  assert_string_equal(v[0].name, "egate");
  assert_true(v[1].act == ACT_PRESET && v[1].arg == 3);
  assert_int_equal(v[4].arg, DRILL_END);
  free(v);
  assert_int_equal(controls_parse_script("resize=1024x640", &v, &n, &err), 0);
  assert_true(n == 1 && v[0].act == ACT_RESIZE && v[0].arg == 1024 && v[0].arg2 == 640);
  free(v);
  assert_int_equal(controls_parse_script("resize=1x1", &v, &n, &err), SIM_EINVAL);
  assert_int_equal(controls_parse_script("space,bogus", &v, &n, &err), SIM_EINVAL);
  assert_non_null(strstr(err.msg, "'bogus'"));
  assert_null(v);
  assert_int_equal(controls_parse_script("", &v, &n, &err), 0);
  assert_int_equal(n, 0);
  free(v);
  /* every help row names a label */
  for (size_t i = 0; i < controls_help_count(); i++)
    assert_true(strcmp(i18n_text(LANG_EN, controls_help_at(i)->text), "?"));
  assert_null(controls_help_at(controls_help_count()));
}

typedef struct calls {
  int n;
  char kind[32], target[64];
  double level;
  int fail;
} calls;

static int fake_intervene(void *ctx, const char *kind, const char *target, double level,
                          sim_error *err) {
  calls *c = ctx;
  c->n++;
  snprintf(c->kind, sizeof c->kind, "%s", kind);
  snprintf(c->target, sizeof c->target, "%s", target ? target : "(model)");
  c->level = level;
  return c->fail ? sim_error_set(err, SIM_EINVAL, "no such station") : 0;
}

static void drills(void **state) {
  (void)state;
  calls c = {0};
  view_drills *d;
  char msg[256];
  assert_int_equal(drills_new(&d, (view_drill_hook){fake_intervene, &c}), 0);
  assert_int_equal(drills_request(d, DRILL_CLOSURE, NULL, 90, LANG_EN, msg, sizeof msg), 0);
  assert_string_equal(msg, "drill: closure requested");
  assert_string_equal(c.kind, "closure");
  assert_string_equal(c.target, "(model)");
  assert_float_equal(c.level, 0, 0); /* nothing left open */
  assert_int_equal(drills_request(d, DRILL_SHORTAGE, "passenger", 95, LANG_EN, msg, sizeof msg), 0);
  assert_string_equal(msg, "drill: staff shortage (passenger) requested");
  assert_string_equal(c.kind, "staff_shortage");
  assert_float_equal(c.level, 0.7, 0);
  c.fail = 1;
  assert_int_equal(drills_request(d, DRILL_OUTAGE, "egate", 99, LANG_EN, msg, sizeof msg),
                   SIM_EINVAL);
  assert_non_null(strstr(msg, "no such station"));
  assert_int_equal(drills_count(d), 3);
  const view_drill *r = drills_at(d, 2);
  assert_string_equal(r->kind, "outage");
  assert_string_equal(r->target, "egate");
  assert_float_equal(r->t_min, 99, 0);
  assert_int_equal(r->rc, SIM_EINVAL);
  assert_null(drills_at(d, 3));
  assert_int_equal(drills_request(d, DRILL_N, NULL, 0, LANG_EN, msg, sizeof msg), SIM_EINVAL);
  drills_free(d);
  /* no hook: recorded only, and the list is bounded */
  assert_int_equal(drills_new(&d, (view_drill_hook){NULL, NULL}), 0);
  for (int i = 0; i < DRILLS_MAX + 50; i++)
    drills_request(d, DRILL_SURGE, "express", i, LANG_JA, msg, sizeof msg);
  assert_int_equal(drills_count(d), DRILLS_MAX);
  assert_string_equal(msg, "訓練: 急増 (express)を要求しました");
  drills_free(d);
  drills_free(NULL);
}

static void labels(void **state) {
  (void)state;
  char b[96];
  view_lang l;
  assert_int_equal(i18n_lang_parse("ja", &l), 0);
  assert_int_equal(l, LANG_JA);
  assert_int_equal(i18n_lang_parse("fr", &l), -1);
  i18n_channel(LANG_EN, "passengers_in", KIND_PASSENGERS_IN, b, sizeof b);
  assert_string_equal(b, "arriving passengers");
  i18n_channel(LANG_JA, "air_cargo", KIND_AIR_CARGO, b, sizeof b);
  assert_string_equal(b, "航空貨物");
  i18n_channel(LANG_EN, "c0", KIND_GENERIC, b, sizeof b);
  assert_string_equal(b, "c0");
  i18n_station(LANG_EN, "express_exam", "exam", "express", b, sizeof b);
  assert_string_equal(b, "exam");
  i18n_station(LANG_EN, "dogs_in", "dogs", "passengers_in", b, sizeof b);
  assert_string_equal(b, "dogs");
  i18n_station(LANG_EN, "export_docs", "documents", "exports", b, sizeof b);
  assert_string_equal(b, "docs");
  i18n_station(LANG_EN, "express", "xray", "express", b, sizeof b); /* never empty */
  assert_string_equal(b, "express");
  i18n_station(LANG_EN, "cargo_x_ray", "xray", NULL, b, sizeof b);
  assert_string_equal(b, "cargo x ray");
  i18n_station(LANG_JA, "egate", "egate", NULL, b, sizeof b);
  assert_string_equal(b, "電子申告ゲート");
  for (int i = 0; i < L_N; i++) {
    assert_non_null(i18n_text(LANG_EN, (i18n_id)i));
    assert_non_null(i18n_text(LANG_JA, (i18n_id)i));
  }
  long idx;
  assert_non_null(i18n_font(LANG_EN, 0, &idx)); /* fonts-dejavu-core is a dependency */
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(traffic_light),
      cmocka_unit_test(japanese_units), cmocka_unit_test(clock_text),
      cmocka_unit_test(durations_and_counts), cmocka_unit_test(at_and_size),
      cmocka_unit_test(speed_ladder), cmocka_unit_test(frame_clamp_and_pause),
      cmocka_unit_test(no_spiral), cmocka_unit_test(jumps),
      cmocka_unit_test(event_cap), cmocka_unit_test(ring_buffer),
      cmocka_unit_test(keys_and_scripts), cmocka_unit_test(drills),
      cmocka_unit_test(labels),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
