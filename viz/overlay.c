/* overlay: title bar, status line, station details and help (see overlay.h). */
#include "viz/overlay.h"

#include <math.h>
#include <stdio.h>

#include "viz/controls.h"
#include "viz/fmt.h"
#include "viz/gfx.h"
#include "viz/theme.h"

static void badge(const view_ctx *v, const char *s, int x, int y, SDL_Color bg, int *w) {
  const layout *l = v->lay;
  int tw = 0, th = 0;
  text_size(v->tc, s, l->font_small, 1, &tw, &th);
  SDL_Rect r = {x, y - th / 2 - 2, tw + 2 * l->pad, th + 4};
  gfx_fill(v->ren, r, bg);
  text_draw(v->tc, s, l->font_small, 1, (SDL_Color){255, 255, 255, 255}, x + l->pad, y,
            TEXT_LEFT | TEXT_MIDDLE);
  *w = r.w;
}

void overlay_header(const view_ctx *v, const overlay_state *o) {
  const layout *l = v->lay;
  const snapshot *s = v->snap;
  SDL_Rect h = l->header;
  SDL_Color fg = theme_color(TH_HEADER_TEXT), dim = {0xb8, 0xc4, 0xd6, 255};
  gfx_fill(v->ren, h, theme_color(TH_HEADER));
  int cy = h.y + (h.h - 4) / 2, x = h.x + l->pad * 2, bw = 0;
  char title[200];
  if (l->port >= 0 && (size_t)l->port < s->nport && s->nport > 1) {
    if (!i18n_label(v->lang, s->port[l->port].label, title, sizeof title))
      snprintf(title, sizeof title, "%s", s->port[l->port].name);
  } else if (!i18n_label(v->lang, s->label, title, sizeof title)) {
    snprintf(title, sizeof title, "%s", s->scenario ? s->scenario : "");
  }
  char tfit[200];
  text_fit(v->tc, title, l->font_big, 1, l->w * 2 / 5 - l->pad * 4, tfit, sizeof tfit);
  x += text_draw(v->tc, tfit, l->font_big, 1, fg, x, cy, TEXT_LEFT | TEXT_MIDDLE);
  x += l->pad * 2;
  badge(v, i18n_text(v->lang, o->replay ? L_REPLAY : L_LIVE), x, cy,
        o->replay ? (SDL_Color){0x6f, 0x42, 0xc1, 255} : theme_status_color(THEME_RED), &bw);
  int wl = 0, wr = 0; /* what follows sits where it would after either badge: a replay looks like
                         the live view */
  text_size(v->tc, i18n_text(v->lang, L_LIVE), l->font_small, 1, &wl, NULL);
  text_size(v->tc, i18n_text(v->lang, L_REPLAY), l->font_small, 1, &wr, NULL);
  x += (wl > wr ? wl : wr) + 2 * l->pad + l->pad;
  if (s->now_min < s->warmup_min) {
    badge(v, i18n_text(v->lang, L_WARMUP), x, cy, (SDL_Color){0x5c, 0x66, 0x70, 255}, &bw);
    x += bw + l->pad;
  }
  char clock[96], buf[128];
  fmt_clock(s->start_iso, s->now_min, v->lang == LANG_JA, clock, sizeof clock);
  int cw = 0, cx = l->map.w / 2 + l->pad * 4; /* centred over the map, after the badges */
  text_size(v->tc, clock, l->font_big, 1, &cw, NULL);
  if (cx - cw / 2 < x + l->pad * 2) cx = x + l->pad * 2 + cw / 2;
  text_draw(v->tc, clock, l->font_big, 1, fg, cx, cy, TEXT_CENTER | TEXT_MIDDLE);
  int day = (int)floor(s->now_min / 1440) + 1, days = (int)ceil(s->end_min / 1440 - 1e-9);
  if (v->lang == LANG_JA)
    snprintf(buf, sizeof buf, "%d/%d%s", day, days, i18n_text(v->lang, L_DAY));
  else snprintf(buf, sizeof buf, "%s %d/%d", i18n_text(v->lang, L_DAY), day, days);
  if (h.w >= 900) { /* half a screen (split): the clock is all the right side holds */
    int rx = h.x + h.w - l->pad * 2;
    rx -= text_draw(v->tc, buf, l->font, 0, dim, rx, cy, TEXT_RIGHT | TEXT_MIDDLE) + l->pad * 3;
    if (o->ended) snprintf(buf, sizeof buf, "%s", i18n_text(v->lang, L_END));
    else if (o->paused) snprintf(buf, sizeof buf, "%s", i18n_text(v->lang, L_PAUSED));
    else snprintf(buf, sizeof buf, "▶ %gx", o->speed);
    SDL_Color sc = o->paused || o->ended ? (SDL_Color){0xff, 0xd4, 0x3b, 255} : fg;
    text_draw(v->tc, buf, l->font_big, 1, sc, rx, cy, TEXT_RIGHT | TEXT_MIDDLE);
  }
  /* the run's progress along the bottom edge */
  double f = s->end_min > 0 ? s->now_min / s->end_min : 0;
  gfx_fill(v->ren, (SDL_Rect){h.x, h.y + h.h - 4, h.w, 4}, (SDL_Color){0x2c, 0x3e, 0x5a, 255});
  gfx_fill(v->ren, (SDL_Rect){h.x, h.y + h.h - 4, (int)(h.w * (f > 1 ? 1 : f)), 4},
           (SDL_Color){0x4d, 0xab, 0xf7, 255});
}

void overlay_status(const view_ctx *v, const overlay_state *o) {
  const layout *l = v->lay;
  SDL_Rect r = l->status;
  gfx_fill(v->ren, r, (SDL_Color){0xdd, 0xe2, 0xe8, 255});
  int cy = r.y + r.h / 2, x = r.x + l->pad * 2;
  const char *hint = i18n_text(v->lang, L_HELP_HINT);
  int hw = text_draw(v->tc, hint, l->font_small, 1, theme_color(TH_TEXT), r.x + r.w - l->pad * 2,
                     cy, TEXT_RIGHT | TEXT_MIDDLE);
  int right = r.x + r.w - l->pad * 4 - hw;
  if (o->jumping || o->limited) {
    const char *s = i18n_text(v->lang, o->jumping ? L_JUMPING : L_LIMITED);
    right -= text_draw(v->tc, s, l->font_small, 1, theme_status_color(THEME_AMBER), right, cy,
                       TEXT_RIGHT | TEXT_MIDDLE) + l->pad * 3;
  }
  char fit[256];
  i18n_id idle = o->coast ? L_COAST_HINT : o->map ? L_MAP_HINT : L_CLICK_HINT;
  const char *msg = o->msg && *o->msg ? o->msg : i18n_text(v->lang, idle);
  text_fit(v->tc, msg, l->font_small, o->msg != NULL, right - x, fit, sizeof fit);
  text_draw(v->tc, fit, l->font_small, o->msg != NULL,
            o->msg ? theme_color(TH_TEXT) : theme_color(TH_TEXT_DIM), x, cy,
            TEXT_LEFT | TEXT_MIDDLE);
}

/* One "label  value" row of the details box; returns the next y. */
static int row(const view_ctx *v, int x, int y, int w, i18n_id label, const char *value,
               SDL_Color vc) {
  const layout *l = v->lay;
  text_draw(v->tc, i18n_text(v->lang, label), l->font_small, 0, theme_color(TH_TEXT_DIM), x, y,
            TEXT_LEFT);
  text_draw(v->tc, value, l->font_small, 1, vc, x + w, y, TEXT_RIGHT);
  return y + text_height(v->tc, l->font_small, 0) + 1;
}

void overlay_details(const view_ctx *v) {
  const layout *l = v->lay;
  const snapshot *s = v->snap;
  int ci = v->selected >= 0 ? layout_cell_of(l, v->selected) : -1;
  if (ci < 0) return;
  const snap_station *st = &s->st[v->selected];
  const SDL_Rect *b = &l->cell[ci].box;
  int w = l->font * 16, rows = 10;
  int h = text_height(v->tc, l->font, 1) + rows * (text_height(v->tc, l->font_small, 0) + 1) +
          3 * l->pad;
  int x = b->x + b->w + l->pad, y = b->y;
  if (x + w > l->map.x + l->map.w) x = b->x - w - l->pad; /* left of the box when no room */
  if (x < l->map.x) x = l->map.x + l->pad;
  if (y + h > l->map.y + l->map.h) y = l->map.y + l->map.h - h;
  if (y < l->map.y) y = l->map.y;
  SDL_Rect r = {x, y, w, h};
  gfx_fill(v->ren, (SDL_Rect){x + 4, y + 4, w, h}, (SDL_Color){0, 0, 0, 60});
  gfx_fill(v->ren, r, theme_color(TH_PANEL));
  gfx_frame(v->ren, r, 2, theme_state_color(st->state));
  int ix = x + l->pad, iw = w - 2 * l->pad, iy = y + l->pad;
  char fit[200], buf[64], name[200];
  int ch = l->cell[ci].lane >= 0 ? l->lane[l->cell[ci].lane].channel : -1;
  draw_station_name(v, v->selected, ch, name, sizeof name);
  text_fit(v->tc, name, l->font, 1, iw, fit, sizeof fit);
  text_draw(v->tc, fit, l->font, 1, theme_color(TH_TEXT), ix, iy, TEXT_LEFT);
  iy += text_height(v->tc, l->font, 1) + l->pad / 2;
  SDL_Color t = theme_color(TH_TEXT);
  iy = row(v, ix, iy, iw, L_TYPE, st->type ? st->type : "?", t);
  iy = row(v, ix, iy, iw, L_STATE, i18n_state(v->lang, st->state), theme_state_color(st->state));
  if (st->servers < 0) snprintf(buf, sizeof buf, "%s", i18n_text(v->lang, L_UNLIMITED));
  else snprintf(buf, sizeof buf, "%d", st->servers);
  iy = row(v, ix, iy, iw, L_SERVERS, buf, t);
  if (st->capacity < 0) snprintf(buf, sizeof buf, "–");
  else snprintf(buf, sizeof buf, "%d", st->capacity);
  iy = row(v, ix, iy, iw, L_CAPACITY, buf, t);
  fmt_count(st->busy, buf, sizeof buf);
  iy = row(v, ix, iy, iw, st->servers < 0 ? L_IN_PROCESS : L_BUSY, buf, t);
  char pool[160] = "–";
  if (st->pool >= 0 && (size_t)st->pool < s->npool) draw_pool_name(v, st->pool, pool, sizeof pool);
  iy = row(v, ix, iy, iw, L_STAFF_POOL, pool, t);
  fmt_count(st->queue, buf, sizeof buf);
  iy = row(v, ix, iy, iw, L_QUEUE, buf, t);
  fmt_duration_l(st->wait_mean_min, v->lang == LANG_JA, buf, sizeof buf);
  if (st->wait_mean_min >= 0 && st->wait_mean_min < 1)
    snprintf(buf, sizeof buf, "%.2f min", st->wait_mean_min);
  iy = row(v, ix, iy, iw, L_MEAN_WAIT, buf, t);
  if (isnan(st->utilization)) snprintf(buf, sizeof buf, "–");
  else snprintf(buf, sizeof buf, "%.0f%%", 100 * st->utilization);
  iy = row(v, ix, iy, iw, L_UTILIZATION, buf, t);
  fmt_count(st->served, buf, sizeof buf);
  row(v, ix, iy, iw, L_SERVED, buf, t);
}

void overlay_help(const view_ctx *v) {
  const layout *l = v->lay;
  size_t n = controls_help_count();
  int lh = text_height(v->tc, l->font, 0) + l->pad / 2, w = l->font * 26,
      h = (int)(n + 2) * lh + 2 * l->pad;
  if (w > l->w - 20) w = l->w - 20;
  if (h > l->h - 20) h = l->h - 20;
  SDL_Rect r = {(l->w - w) / 2, (l->h - h) / 2, w, h};
  gfx_fill(v->ren, r, theme_color(TH_OVERLAY));
  gfx_frame(v->ren, r, 2, theme_color(TH_SELECT));
  int x = r.x + 2 * l->pad, y = r.y + l->pad;
  SDL_Color white = {255, 255, 255, 255}, key = theme_color(TH_SELECT);
  text_draw(v->tc, i18n_text(v->lang, L_HELP_TITLE), l->font_big, 1, white, x, y, TEXT_LEFT);
  y += lh + l->pad;
  for (size_t i = 0; i < n && y + l->font <= r.y + r.h; i++, y += lh) {
    const controls_help *k = controls_help_at(i);
    text_draw(v->tc, k->keys, l->font, 1, key, x, y, TEXT_LEFT);
    text_draw(v->tc, i18n_text(v->lang, k->text), l->font, 0, white, x + l->font * 6, y, TEXT_LEFT);
  }
}

void overlay_question(const view_ctx *v, const char *ask) {
  const layout *l = v->lay;
  int tw = 0, th = 0;
  text_size(v->tc, ask, l->font, 1, &tw, &th);
  if (tw > l->w - 8 * l->pad) tw = l->w - 8 * l->pad;
  SDL_Rect r = {(l->w - tw) / 2 - 2 * l->pad, l->h / 2 - th - l->pad, tw + 4 * l->pad,
                2 * th + 2 * l->pad};
  gfx_fill(v->ren, (SDL_Rect){0, 0, l->w, l->h}, (SDL_Color){0, 0, 0, 90});
  gfx_fill(v->ren, r, theme_color(TH_OVERLAY));
  gfx_frame(v->ren, r, 3, theme_color(TH_SELECT));
  char fit[256];
  text_fit(v->tc, ask, l->font, 1, tw, fit, sizeof fit);
  text_draw(v->tc, fit, l->font, 1, (SDL_Color){255, 255, 255, 255}, l->w / 2, r.y + r.h / 2,
            TEXT_CENTER | TEXT_MIDDLE);
}
