/* app_frame: what one frame does: apply the presenter's actions, move the clock, run the
 * engine under its per-frame event cap, take a snapshot and draw it. */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "models/disrupt.h"
#include "viz/app_internal.h"
#include "viz/compare.h"
#include "viz/overlay.h"

void app_say(view_app *a, const char *msg) {
  snprintf(a->msg, sizeof a->msg, "%s", msg);
  a->msg_until = a->real_s + APP_MSG_S;
}

static int station_named(const snapshot *s, const char *name) {
  for (size_t i = 0; i < s->nst; i++)
    if (!strcmp(s->st[i].name, name)) return (int)i;
  return -1;
}

/* What a drill aims at, from the selected station: the station itself (closure,
 * outage), its staff pool (shortage) or its channel (surge); "" lets the model choose. */
static void drill_target(const view_app *a, int drill, char *buf, size_t n) {
  buf[0] = '\0';
  if (a->selected < 0 || drill == DRILL_END) return;
  const view_hints *h = source_hints(a->src);
  if (drill == DRILL_SHORTAGE) {
    if (h && h->pool && h->pool[a->selected]) snprintf(buf, n, "%s", h->pool[a->selected]);
    return;
  }
  if (drill == DRILL_SURGE) {
    int ci = layout_cell_of(&a->lay, a->selected);
    int ch = ci >= 0 ? a->lay.lane[a->lay.cell[ci].lane].channel : -1;
    if (ch >= 0) snprintf(buf, n, "%s", a->snap->ch[ch].name);
    return;
  }
  snprintf(buf, n, "%s", a->snap->st[a->selected].name);
}

static void set_speed(view_app *a, double speed) {
  char buf[64];
  a->clock.speed = clock_clamp_speed(speed);
  snprintf(buf, sizeof buf, "▶ %gx", a->clock.speed);
  app_say(a, buf);
}

static int port_named(const snapshot *s, const char *name) {
  for (size_t i = 0; i < s->nport; i++)
    if (!strcmp(s->port[i].name, name)) return (int)i;
  return -1;
}

static void open_port(view_app *a, int p) {
  a->map = 0;
  a->coast = 0;
  a->port = p;
  a->selected = -1;
  a->relayout = 1;
}

void app_click(view_app *a, int x, int y) {
  if (a->coast && a->cv) return; /* nothing to open on the coastline */
  if (a->map && a->mv) {
    int p = mapview_hit(a->mv, x, y);
    if (p >= 0) open_port(a, p);
    return;
  }
  int st = layout_hit(&a->lay, x, y);
  a->selected = st == a->selected ? -1 : st;
}

/* Esc: the topmost overlay closes; with none left, the question is asked. */
static void escape(view_app *a) {
  if (a->asking) a->quit = 1;
  else if (a->help) a->help = 0;
  else if (a->score) a->score = 0;
  else if (a->selected >= 0) a->selected = -1;
  else a->asking = 1;
}

void app_apply(view_app *a, const view_action *act) {
  double now = source_now(a->src);
  char buf[256], target[64];
  if (a->asking && act->act != ACT_ESCAPE && act->act != ACT_CONFIRM && act->act != ACT_QUIT &&
      act->act != ACT_WAIT) {
    a->asking = 0; /* any other key: stay, and the key does nothing else */
    return;
  }
  switch (act->act) {
  case ACT_PAUSE: a->clock.paused = !a->clock.paused; break;
  case ACT_FASTER: set_speed(a, clock_faster(a->clock.speed)); break;
  case ACT_SLOWER: set_speed(a, clock_slower(a->clock.speed)); break;
  case ACT_PRESET: set_speed(a, clock_preset(act->arg)); break;
  case ACT_STEP: clock_step(&a->clock, now); break;
  case ACT_HOUR: clock_jump(&a->clock, now, 60); break;
  case ACT_DAY: clock_jump(&a->clock, now, 1440); break;
  case ACT_HELP: a->help = !a->help; break;
  case ACT_QUIT: a->quit = 1; break;
  case ACT_ESCAPE: escape(a); break;
  case ACT_CONFIRM:
    if (a->asking) a->quit = 1;
    break;
  case ACT_MAP:
    if (a->mv && mapview_available(a->snap)) {
      a->map = !a->map;
      a->coast = 0;
      if (a->map) a->port = -1;
      a->selected = -1;
      a->relayout = 1;
    }
    break;
  case ACT_COAST:
    if (a->cv) {
      a->coast = !a->coast;
      a->map = 0;
      a->selected = -1;
      a->relayout = 1;
    }
    break;
  case ACT_SCORE:
    a->score = !a->score;
    if (a->score) app_take_score(a);
    break;
  case ACT_CLICK: app_click(a, act->arg, act->arg2); break;
  case ACT_OPEN: {
    int p = port_named(a->snap, act->name);
    if (p >= 0) open_port(a, p);
    break;
  }
  case ACT_FULLSCREEN:
    if (a->win) {
      a->fullscreen = !a->fullscreen;
      SDL_SetWindowFullscreen(a->win, a->fullscreen ? SDL_WINDOW_FULLSCREEN_DESKTOP : 0);
    }
    break;
  case ACT_RESIZE: /* a window only; the next frame lays out for the new size */
    if (a->win) {
      if (a->fullscreen) SDL_SetWindowFullscreen(a->win, 0);
      a->fullscreen = 0;
      SDL_SetWindowSize(a->win, act->arg, act->arg2);
    }
    break;
  case ACT_SELECT:
    a->selected = act->name[0] ? station_named(a->snap, act->name) : -1;
    break;
  case ACT_DRILL:
    if (source_is_replay(a->src)) {
      app_say(a, i18n_text(a->o->lang, L_DRILL_NOT_LIVE));
      break;
    }
    drill_target(a, act->arg, target, sizeof target);
    drills_request(a->drills, act->arg, target, now, a->o->lang, buf, sizeof buf);
    app_say(a, buf);
    break;
  case ACT_NONE:
  case ACT_WAIT: break;
  }
}

void app_events(view_app *a) {
  SDL_Event e;
  view_action act;
  while (SDL_PollEvent(&e)) {
    if (e.type == SDL_QUIT) a->quit = 1;
    else if (e.type == SDL_KEYDOWN && controls_from_key(e.key.keysym.sym, &act)) {
      /* held keys repeat only where repeating makes sense */
      if (!e.key.repeat || act.act == ACT_FASTER || act.act == ACT_SLOWER || act.act == ACT_STEP)
        app_apply(a, &act);
    } else if (e.type == SDL_MOUSEBUTTONDOWN && e.button.button == SDL_BUTTON_LEFT) {
      int ww, wh, ow, oh; /* mouse in window units, layout in pixels (high-DPI) */
      SDL_GetWindowSize(a->win, &ww, &wh);
      SDL_GetRendererOutputSize(a->ren, &ow, &oh);
      int x = ww ? e.button.x * ow / ww : e.button.x, y = wh ? e.button.y * oh / wh : e.button.y;
      view_action click = {ACT_CLICK, x, y, ""};
      app_apply(a, &click);
    }
  }
}

static void after_engine(view_app *a) {
  a->snap = source_snapshot(a->src);
  if (a->src2) { /* the same clock for the second run, to the event */
    source_advance(a->src2, source_now(a->src), 0);
    a->snap2 = source_snapshot(a->src2);
  }
  panel_sample(a->pn, a->snap, source_hints(a->src));
  int ended = source_now(a->src) >= source_end(a->src);
  if (ended && !a->ended) {
    a->clock.paused = 1;
    app_say(a, i18n_text(a->o->lang, L_END));
    const spec *sp = source_spec(a->src);
    if ((sp && sp->dis && sp->dis->n) ||
        drills_count(a->drills)) { /* a drill ends with its score */
      a->score = 1;
      app_take_score(a);
    }
  }
  a->ended = ended;
}

/* Runs the engine towards goal in pieces ending on the panel's sample times, so a jump
 * still leaves a history behind it; stops early when the frame's event cap is spent.
 * Returns the events run. */
static uint64_t run_sampled(view_app *a, double goal, uint64_t cap) {
  uint64_t total = 0;
  double dt = a->snap->frame_min > 0 ? a->snap->frame_min : PANEL_SAMPLE_MIN;
  for (double now = source_now(a->src); now < goal; now = source_now(a->src)) {
    double next = (floor(now / dt + 1e-9) + 1) * dt, to = next < goal ? next : goal;
    if (cap && total >= cap) break;
    total += source_advance(a->src, to, cap ? cap - total : 0);
    if (source_now(a->src) < to) break; /* the cap ran out first */
    if (to < goal) after_engine(a);
  }
  return total;
}

void app_advance(view_app *a, double real_dt, int exact) {
  double now = source_now(a->src);
  double goal = clock_tick(&a->clock, real_dt, now);
  a->limited = 0;
  if (goal > now) {
    int jumping = clock_jumping(&a->clock), live = !source_is_replay(a->src);
    uint64_t cap =
        exact || !live ? 0 : clock_events_cap(jumping ? APP_JUMP_BUDGET_S : APP_BUDGET_S, a->spe);
    Uint64 t0 = SDL_GetPerformanceCounter();
    uint64_t ran = run_sampled(a, goal, cap);
    double dt = (double)(SDL_GetPerformanceCounter() - t0) / (double)SDL_GetPerformanceFrequency();
    if (ran >= 64 && live) {
      double spe = dt / (double)ran;
      a->spe = a->spe > 0 ? 0.8 * a->spe + 0.2 * spe : spe;
    }
    a->limited = cap && ran >= cap && !jumping;
  }
  after_engine(a);
}

void app_run_to(view_app *a, double t) {
  if (t > source_end(a->src)) t = source_end(a->src);
  run_sampled(a, t, 0);
  a->clock.target_min = source_now(a->src);
  after_engine(a);
}

static overlay_state ostate(const view_app *a) {
  return (overlay_state){source_is_replay(a->src),
                         a->clock.paused,
                         clock_jumping(&a->clock),
                         a->limited,
                         a->ended,
                         a->map && a->mv,
                         a->clock.speed,
                         a->real_s < a->msg_until ? a->msg : NULL,
                         a->coast && a->cv};
}

/* One run's whole screen (or half of it, split screen) in the renderer's viewport. */
static int draw_run(view_app *a, view_source *src, const snapshot *snap, layout *lay, int w, int h,
                    int split) {
  if (a->relayout || w != lay->w || h != lay->h || !lay->cell) {
    if (layout_build_for(lay, snap, source_hints(src), w, h, a->map ? -1 : a->port, split))
      return -1;
  }
  view_ctx v = {a->ren, a->tc, lay, snap, source_hints(src), a->o->lang, split ? -1 : a->selected,
                a->clock.speed, source_spec(src)};
  overlay_state os = ostate(a);
  os.replay = source_is_replay(src);
  if (a->coast && a->cv) {
    if (coastview_draw(a->cv, &v)) return -1;
  } else if (a->map && a->mv) {
    if (mapview_draw(a->mv, &v)) return -1;
  } else {
    draw_map(&v);
    draw_staff(&v);
    draw_legend(&v);
  }
  if (!split) panel_draw(a->pn, &v, a->drills);
  overlay_header(&v, &os);
  overlay_status(&v, &os);
  if (!split && !a->map && !a->coast) overlay_details(&v);
  return 0;
}

int app_draw(view_app *a) {
  int w, h;
  if (SDL_GetRendererOutputSize(a->ren, &w, &h)) return -1;
  SDL_SetRenderDrawColor(a->ren, 0xee, 0xf1, 0xf4, 255);
  SDL_RenderClear(a->ren);
  layout *lay = &a->lay;
  if (!a->src2) {
    if (draw_run(a, a->src, a->snap, &a->lay, w, h, 0)) return -1;
  } else { /* A | the differences | B */
    int mid = compare_width(w), pw = (w - mid) / 2;
    SDL_Rect left = {0, 0, pw, h}, right = {w - pw, 0, pw, h};
    SDL_RenderSetViewport(a->ren, &left);
    int rc = draw_run(a, a->src, a->snap, &a->lay, pw, h, 1);
    SDL_RenderSetViewport(a->ren, &right);
    if (!rc) rc = draw_run(a, a->src2, a->snap2, &a->lay2, pw, h, 1);
    SDL_RenderSetViewport(a->ren, NULL);
    if (rc) return -1;
    view_ctx v = {.ren = a->ren, .tc = a->tc, .lay = &a->lay, .snap = a->snap, .lang = a->o->lang,
                  .selected = -1, .speed = a->clock.speed};
    compare_draw(&v, a->snap2, (SDL_Rect){pw, 0, w - 2 * pw, h});
  }
  a->relayout = 0;
  layout full = *lay;
  full.w = w; /* overlays centre on the whole window */
  full.h = h;
  view_ctx v = {a->ren,
                a->tc,
                &full,
                a->snap,
                source_hints(a->src),
                a->o->lang,
                a->selected,
                a->clock.speed,
                source_spec(a->src)};
  if (a->score) score_draw(&v, a->rec, a->rec_scope, a->nrec, a->src2 != NULL);
  if (a->help) overlay_help(&v);
  if (a->asking) overlay_question(&v, i18n_text(a->o->lang, L_QUIT_ASK));
  return 0;
}

static void take(view_source *src, kpi_recovery *out, char (*scope)[64], size_t *n) {
  size_t m = 0;
  const kpi_recovery *r = source_recovery(src, &m);
  *n = 0;
  for (size_t i = 0; r && i < m && *n < 16; i++) {
    if (!r[i].is_port) continue;
    out[*n] = r[i];
    snprintf(scope[*n], 64, "%s", r[i].scope ? r[i].scope : "");
    out[*n].scope = scope[*n];
    (*n)++;
  }
}

void app_take_score(view_app *a) {
  take(a->src, a->rec[0], a->rec_scope[0], &a->nrec[0]);
  a->nrec[1] = 0;
  if (a->src2) take(a->src2, a->rec[1], a->rec_scope[1], &a->nrec[1]);
}
