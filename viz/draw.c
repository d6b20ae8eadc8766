/* draw: lanes, stations, queues, staff bars and legend (see draw.h). */
#include "viz/draw.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "viz/fmt.h"
#include "viz/gfx.h"
#include "viz/theme.h"

#define DRAW_DOTS_MAX 12    /* queues up to this are drawn one dot per item */
#define DRAW_CELLS_MAX 24   /* stations up to this many servers show one cell each */

double draw_queue_share(long q) {
  if (q <= 0) return 0;
  double s = log10(1.0 + (double)q) / log10(1.0 + DRAW_QUEUE_FULL);
  return s > 1 ? 1 : s;
}

/* Draws s in at most two lines of width w, breaking at a space; returns the height. */
static int wrapped(const view_ctx *v, const char *s, int px, SDL_Color c, int x, int y, int w) {
  char line[96], fit[96];
  int tw;
  if (text_size(v->tc, s, px, 1, &tw, NULL) || tw <= w || !strchr(s, ' ')) {
    text_fit(v->tc, s, px, 1, w, fit, sizeof fit);
    text_draw(v->tc, fit, px, 1, c, x, y, TEXT_LEFT);
    return text_height(v->tc, px, 1);
  }
  const char *brk = strchr(s, ' '); /* the last space whose first part still fits */
  for (const char *p = strchr(brk + 1, ' '); p; p = strchr(p + 1, ' ')) {
    snprintf(line, sizeof line, "%.*s", (int)(p - s), s);
    if (text_size(v->tc, line, px, 1, &tw, NULL) || tw > w) break;
    brk = p;
  }
  snprintf(line, sizeof line, "%.*s", (int)(brk - s), s);
  text_fit(v->tc, line, px, 1, w, fit, sizeof fit);
  text_draw(v->tc, fit, px, 1, c, x, y, TEXT_LEFT);
  text_fit(v->tc, brk + 1, px, 1, w, fit, sizeof fit);
  text_draw(v->tc, fit, px, 1, c, x, y + text_height(v->tc, px, 1), TEXT_LEFT);
  return 2 * text_height(v->tc, px, 1);
}

static void lane_label(const view_ctx *v, const layout_lane *ln, int odd) {
  const layout *l = v->lay;
  if (odd) gfx_fill(v->ren, ln->r, theme_color(TH_LANE_ALT));
  char name[96], fit[96], buf[64], num[32];
  int x = ln->label.x, w = ln->label.w, y = ln->label.y + l->pad;
  int dot = l->font / 3 + 1;
  if (ln->channel < 0) {
    text_fit(v->tc, i18n_text(v->lang, L_OTHER), l->font, 1, w, fit, sizeof fit);
    text_draw(v->tc, fit, l->font, 1, theme_color(TH_TEXT_DIM), x, y, TEXT_LEFT);
    return;
  }
  const snap_channel *c = &v->snap->ch[ln->channel];
  double val, tgt;
  int wait;
  theme_status st = theme_channel_status(c, &val, &tgt, &wait);
  int lh = l->font;
  text_size(v->tc, "Ag", l->font, 1, NULL, &lh); /* the dot sits on the text's middle */
  gfx_disc(v->ren, x + dot, y + lh / 2, dot, theme_status_color(st));
  i18n_channel(v->lang, c->name, c->kind, name, sizeof name);
  y += wrapped(v, name, l->font, theme_color(TH_TEXT), x + 3 * dot, y, w - 3 * dot) + l->pad / 2;
  fmt_count(c->in_system, num, sizeof num);
  snprintf(buf, sizeof buf, "%s %s", i18n_text(v->lang, L_IN_PORT), num);
  text_fit(v->tc, buf, l->font_small, 0, w, fit, sizeof fit);
  text_draw(v->tc, fit, l->font_small, 0, theme_color(TH_TEXT_DIM), x, y, TEXT_LEFT);
  y += text_height(v->tc, l->font_small, 0);
  if (isnan(val)) return;
  char d[24];
  fmt_duration(val, d, sizeof d);
  snprintf(buf, sizeof buf, "%s %s", i18n_text(v->lang, wait ? L_WAIT_P95 : L_RELEASE_P95), d);
  text_fit(v->tc, buf, l->font_small, 1, w, fit, sizeof fit);
  SDL_Color col = st == THEME_NONE ? theme_color(TH_TEXT_DIM) : theme_status_color(st);
  text_draw(v->tc, fit, l->font_small, 1, col, x, y, TEXT_LEFT);
}

/* The servers as cells (few) or one segmented bar (many): busy, free, unavailable. */
static void server_bar(const view_ctx *v, const snap_station *s, SDL_Rect r) {
  SDL_Color busy = theme_state_color(s->state), off = {0xce, 0xd4, 0xda, 255};
  SDL_Color freec = gfx_mix(busy, (SDL_Color){255, 255, 255, 255}, 0.78);
  int n = s->servers, cap = s->capacity < 0 ? n : s->capacity;
  if (cap > n) n = cap; /* staff reinforcements beyond the configured count */
  if (n <= 0) return;
  if (n <= DRAW_CELLS_MAX && r.w / n >= 3) {
    int cw = r.w / n;
    for (int i = 0; i < n; i++) {
      SDL_Rect c = {r.x + i * cw, r.y, cw - 1, r.h};
      gfx_fill(v->ren, c, i < s->busy ? busy : i < cap ? freec : off);
    }
    return;
  }
  int wb = (int)((double)r.w * (s->busy < n ? s->busy : n) / n);
  int wc = (int)((double)r.w * cap / n);
  gfx_fill(v->ren, r, off);
  gfx_fill(v->ren, (SDL_Rect){r.x, r.y, wc, r.h}, freec);
  gfx_fill(v->ren, (SDL_Rect){r.x, r.y, wb, r.h}, busy);
}

static void station_box(const view_ctx *v, const layout_cell *c) {
  const layout *l = v->lay;
  const snap_station *s = &v->snap->st[c->station];
  SDL_Rect b = c->box;
  SDL_Color sc = theme_state_color(s->state);
  int sel = c->station == v->selected;
  gfx_fill(v->ren, b, theme_state_fill(s->state));
  gfx_fill(v->ren, (SDL_Rect){b.x, b.y, b.w, l->pad > 3 ? l->pad - 1 : 3}, sc);
  gfx_frame(v->ren, b, 2, sc);
  if (sel) gfx_frame(v->ren, (SDL_Rect){b.x - 3, b.y - 3, b.w + 6, b.h + 6}, 3, theme_color(TH_SELECT));
  char label[96], fit[96], buf[64], num[32];
  int inner = b.w - 2 * 4, fs = l->font_small, y = b.y + l->pad + 1;
  SDL_Color text = s->state == SNAP_CLOSED ? (SDL_Color){255, 255, 255, 255} : theme_color(TH_TEXT);
  int ch = v->lay->lane[c->lane].channel;
  i18n_station(v->lang, s->name, s->type, ch >= 0 ? v->snap->ch[ch].name : NULL, label, sizeof label);
  text_fit(v->tc, label, fs, 1, inner, fit, sizeof fit);
  text_draw(v->tc, fit, fs, 1, text, b.x + 4, y, TEXT_LEFT);
  y += text_height(v->tc, fs, 1) - 1;
  if (s->servers < 0) { /* unlimited: a delay or a decision, what counts is how many are in */
    fmt_count(s->busy, num, sizeof num);
    snprintf(buf, sizeof buf, "∞ %s", num);
  } else if (s->capacity >= 0 && s->capacity != s->servers) {
    snprintf(buf, sizeof buf, "%d/%d (%d)", s->busy, s->capacity, s->servers);
  } else {
    snprintf(buf, sizeof buf, "%d/%d", s->busy, s->servers);
  }
  text_fit(v->tc, buf, fs, 0, inner, fit, sizeof fit);
  if (y + fs <= b.y + b.h) text_draw(v->tc, fit, fs, 0, text, b.x + 4, y, TEXT_LEFT);
  int bh = l->font / 2 > 3 ? l->font / 2 : 3;
  if (s->servers > 0 && b.h > 3 * bh)
    server_bar(v, s, (SDL_Rect){b.x + 4, b.y + b.h - bh - 4, b.w - 8, bh});
}

static void queue_of(const view_ctx *v, const layout_cell *c) {
  const layout *l = v->lay;
  long q = v->snap->st[c->station].queue;
  SDL_Rect r = c->queue;
  if (q <= 0 || r.h < 2) return;
  double share = draw_queue_share(q);
  SDL_Color col = gfx_mix(theme_color(TH_QUEUE), theme_color(TH_QUEUE_LONG), share);
  int d = r.h / 2 < l->font / 2 + 2 ? r.h / 2 : l->font / 2 + 2;
  if (q <= DRAW_DOTS_MAX && (d + 2) * q <= r.w) {
    for (long i = 0; i < q; i++)
      gfx_disc(v->ren, r.x + d / 2 + 1 + (int)i * (d + 2), r.y + d / 2 + 1, d / 2, col);
    return;
  }
  char num[32];
  fmt_count(q, num, sizeof num);
  int tw = 0;
  text_size(v->tc, num, l->font_small, 1, &tw, NULL);
  int maxw = r.w - tw - 4;
  if (maxw < 4) maxw = r.w;
  int bw = (int)(share * maxw);
  if (bw < 3) bw = 3;
  gfx_fill(v->ren, (SDL_Rect){r.x, r.y, bw, d}, col);
  if (maxw < r.w) text_draw(v->tc, num, l->font_small, 1, col, r.x + bw + 3, r.y + d / 2, TEXT_LEFT | TEXT_MIDDLE);
}

void draw_map(const view_ctx *v) {
  const layout *l = v->lay;
  gfx_fill(v->ren, l->map, theme_color(TH_BG));
  for (size_t i = 0; i < l->nlane; i++) {
    const layout_lane *ln = &l->lane[i];
    lane_label(v, ln, (int)(i % 2));
    for (size_t k = 0; k < ln->n; k++) {
      const layout_cell *c = &l->cell[ln->first + k];
      if (k + 1 < ln->n) {
        const layout_cell *nx = c + 1;
        gfx_arrow(v->ren, c->box.x + c->box.w + 2, nx->box.x - 2, c->box.y + c->box.h / 2,
                  l->pad + 3, theme_color(TH_RULE));
      }
      station_box(v, c);
      queue_of(v, c);
    }
  }
}

void draw_staff(const view_ctx *v) {
  const layout *l = v->lay;
  const snapshot *s = v->snap;
  SDL_Rect a = l->staff;
  gfx_fill(v->ren, (SDL_Rect){a.x, a.y, a.w, 1}, theme_color(TH_RULE));
  if (!s->npool) return;
  int colw = (a.w - l->pad) / (int)s->npool;
  char buf[128], fit[128];
  for (size_t i = 0; i < s->npool; i++) {
    const snap_pool *p = &s->pool[i];
    int x = a.x + l->pad + (int)i * colw, w = colw - 2 * l->pad, y = a.y + l->pad;
    int nw = text_draw(v->tc, p->name, l->font_small, 1, theme_color(TH_TEXT), x, y, TEXT_LEFT);
    /* the longest wording that fits */
    const char *wbusy = i18n_text(v->lang, L_BUSY), *wduty = i18n_text(v->lang, L_ON_DUTY);
    int room = w - nw - l->pad, tw = 0;
    snprintf(buf, sizeof buf, "%d %s · %d/%d %s", p->busy, wbusy, p->on_duty, p->size, wduty);
    if (!text_size(v->tc, buf, l->font_small, 0, &tw, NULL) && tw > room)
      snprintf(buf, sizeof buf, "%d %s · %d %s", p->busy, wbusy, p->on_duty, wduty);
    if (!text_size(v->tc, buf, l->font_small, 0, &tw, NULL) && tw > room)
      snprintf(buf, sizeof buf, "%d/%d/%d", p->busy, p->on_duty, p->size);
    text_fit(v->tc, buf, l->font_small, 0, room, fit, sizeof fit);
    text_draw(v->tc, fit, l->font_small, 0, theme_color(TH_TEXT_DIM), x + w, y, TEXT_RIGHT);
    SDL_Rect bar = {x, y + text_height(v->tc, l->font_small, 0) + 1, w, l->font * 3 / 4};
    int size = p->size > 0 ? p->size : 1, duty = p->on_duty > size ? size : p->on_duty;
    int busy = p->busy > duty ? duty : p->busy;
    gfx_fill(v->ren, bar, (SDL_Color){0xe9, 0xec, 0xef, 255});
    gfx_fill(v->ren, (SDL_Rect){bar.x, bar.y, bar.w * duty / size, bar.h}, theme_color(TH_ON_DUTY));
    gfx_fill(v->ren, (SDL_Rect){bar.x, bar.y, bar.w * busy / size, bar.h}, theme_color(TH_STAFF_BUSY));
    gfx_frame(v->ren, bar, 1, theme_color(TH_RULE));
  }
}

void draw_legend(const view_ctx *v) {
  const layout *l = v->lay;
  int x = l->legend.x + l->pad, y = l->legend.y + l->legend.h / 2, sq = l->font_small * 3 / 4;
  for (int st = 0; st < SNAP_NSTATES; st++) {
    gfx_fill(v->ren, (SDL_Rect){x, y - sq / 2, sq, sq}, theme_state_color(st));
    x += sq + 4;
    x += text_draw(v->tc, i18n_state(v->lang, st), l->font_small, 0, theme_color(TH_TEXT_DIM), x, y,
                   TEXT_LEFT | TEXT_MIDDLE) + 2 * l->pad;
  }
  gfx_disc(v->ren, x + sq / 2, y, sq / 2, theme_color(TH_QUEUE));
  x += sq + 4;
  text_draw(v->tc, i18n_text(v->lang, L_QUEUE), l->font_small, 0, theme_color(TH_TEXT_DIM), x, y,
            TEXT_LEFT | TEXT_MIDDLE);
}
