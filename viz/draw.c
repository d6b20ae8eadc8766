/* draw: lanes, stations, motion, crowds, finds, staff bars and legend (see draw.h). */
#include "viz/draw.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "viz/fmt.h"
#include "viz/gfx.h"
#include "viz/theme.h"

#define DRAW_CELLS_MAX 24   /* stations up to this many servers show one cell each */
#define DRAW_GAP_DOTS 3     /* moving items between two stations at most */
#define DRAW_GAP_S 0.9      /* real seconds for an item to cross a gap */

double draw_queue_share(long q) {
  if (q <= 0) return 0;
  double s = log10(1.0 + (double)q) / log10(1.0 + DRAW_QUEUE_FULL);
  return s > 1 ? 1 : s;
}

int draw_crowd_dots(long q, int room) {
  if (q <= 0 || room <= 0) return 0;
  int half = room / 2 > 0 ? room / 2 : 1;
  if (q <= half) return (int)q;
  double more = (room - half) * draw_queue_share(q);
  int n = half + (int)more;
  return n > room ? room : n < half ? half : n;
}

double draw_flash_min(double speed) { return speed > 0 ? speed * 1.5 / 60 : 1; }

void draw_channel_name(const view_ctx *v, int ch, char *buf, size_t n) {
  const snap_channel *c = &v->snap->ch[ch];
  if (!i18n_label(v->lang, c->label, buf, n)) i18n_channel(v->lang, c->name, c->kind, buf, n);
}

void draw_lane_title(const view_ctx *v, int ch, char *buf, size_t n) {
  const snapshot *s = v->snap;
  draw_channel_name(v, ch, buf, n);
  if (s->nport < 2 || v->lay->port >= 0) return;
  const snap_port *pt = &s->port[s->ch[ch].port];
  char pn[160], cn[200];
  if (!i18n_label(v->lang, pt->label, pn, sizeof pn)) snprintf(pn, sizeof pn, "%s", pt->name);
  int same = 0;
  for (size_t c = 0; c < s->nch; c++) same += s->ch[c].port == s->ch[ch].port;
  snprintf(cn, sizeof cn, "%s", buf);
  if (same == 1) snprintf(buf, n, "%s", pn);
  else snprintf(buf, n, "%s · %s", pn, cn);
}

void draw_station_name(const view_ctx *v, int st, int ch, char *buf, size_t n) {
  const snap_station *s = &v->snap->st[st];
  if (!i18n_label(v->lang, s->label, buf, n))
    i18n_station(v->lang, s->name, s->type, ch >= 0 ? v->snap->ch[ch].name : NULL, buf, n);
}

void draw_pool_name(const view_ctx *v, int pool, char *buf, size_t n) {
  const snap_pool *p = &v->snap->pool[pool];
  if (!i18n_label(v->lang, p->label, buf, n)) snprintf(buf, n, "%s", p->name);
}

/* Draws s in at most `lines` lines of width w (the last one shortened if it must be);
 * returns the height. */
static int wrapped_n(const view_ctx *v, const char *s, int px, int bold, SDL_Color c, int x, int y,
                     int w, int lines) {
  int lh = text_height(v->tc, px, bold), h = 0;
  char line[200];
  for (int k = 0; k < lines && *s; k++) {
    size_t cut = k + 1 < lines ? text_break(v->tc, s, px, bold, w) : 0;
    if (!cut || k + 1 == lines) {
      text_fit(v->tc, s, px, bold, w, line, sizeof line);
      s += strlen(s);
    } else {
      snprintf(line, sizeof line, "%.*s", (int)cut, s);
      s += cut;
      while (*s == ' ') s++;
    }
    text_draw(v->tc, line, px, bold, c, x, y + h, TEXT_LEFT);
    h += lh - 2;
  }
  return h + 2;
}

static int wrapped(const view_ctx *v, const char *s, int px, int bold, SDL_Color c, int x, int y,
                   int w) {
  return wrapped_n(v, s, px, bold, c, x, y, w, 2);
}

static void lane_label(const view_ctx *v, const layout_lane *ln, int odd) {
  const layout *l = v->lay;
  if (odd) gfx_fill(v->ren, ln->r, theme_color(TH_LANE_ALT));
  char name[200], fit[200], buf[96], num[32];
  int x = ln->label.x, w = ln->label.w, y = ln->label.y + l->pad;
  int dot = l->font / 3 + 1;
  if (ln->channel < 0) {
    text_fit(v->tc, i18n_text(v->lang, L_OTHER), l->font, 1, w, fit, sizeof fit);
    text_draw(v->tc, fit, l->font, 1, theme_color(TH_TEXT_DIM), x, y, TEXT_LEFT);
    return;
  }
  const snap_channel *c = &v->snap->ch[ln->channel];
  theme_status st = theme_channel_grade(v->snap, ln->channel);
  int lh = l->font;
  text_size(v->tc, "Ag", l->font, 1, NULL, &lh); /* the dot sits on the text's middle */
  gfx_disc(v->ren, x + dot, y + lh / 2, dot, theme_status_color(st));
  draw_lane_title(v, ln->channel, name, sizeof name);
  int tf = l->font, tw = 0; /* a name longer than two lines hold: a smaller face, three lines */
  if (!text_size(v->tc, name, tf, 1, &tw, NULL) && tw > (w - 3 * dot) * 17 / 10) tf = l->font_small;
  y += wrapped_n(v, name, tf, 1, theme_color(TH_TEXT), x + 3 * dot, y, w - 3 * dot, 3) + l->pad / 2;
  fmt_count(c->in_system, num, sizeof num);
  snprintf(buf, sizeof buf, "%s %s", i18n_text(v->lang, L_IN_PORT), num);
  text_fit(v->tc, buf, l->font_small, 0, w, fit, sizeof fit);
  text_draw(v->tc, fit, l->font_small, 0, theme_color(TH_TEXT_DIM), x, y, TEXT_LEFT);
  y += text_height(v->tc, l->font_small, 0);
  double val, tgt;
  int wait;
  theme_channel_status(c, &val, &tgt, &wait);
  if (isnan(val)) return;
  char d[32];
  fmt_duration_l(val, v->lang == LANG_JA, d, sizeof d);
  snprintf(buf, sizeof buf, "%s %s", i18n_text(v->lang, wait ? L_WAIT_P95 : L_RELEASE_P95), d);
  SDL_Color col = st == THEME_NONE ? theme_color(TH_TEXT_DIM) : theme_status_color(st);
  wrapped(v, buf, l->font_small, 1, col, x, y, w);
}

/* The servers as cells (few) or one segmented bar (many): busy, free, unavailable; the
 * cells of units that are down carry a red cross. */
static void server_bar(const view_ctx *v, const snap_station *s, SDL_Rect r) {
  SDL_Color busy = theme_state_color(s->state == SNAP_CLOSED ? SNAP_BUSY : s->state),
            off = {0xce, 0xd4, 0xda, 255};
  SDL_Color freec = gfx_mix(busy, (SDL_Color){255, 255, 255, 255}, 0.78),
            red = theme_state_color(SNAP_DOWN);
  int n = s->servers, cap = s->capacity < 0 ? n : s->capacity;
  if (cap > n) n = cap; /* staff reinforcements beyond the configured count */
  if (n <= 0) return;
  int down = s->units > 0 ? (int)ceil((double)n * s->units_down / s->units) : 0;
  if (down > n) down = n;
  if (n <= DRAW_CELLS_MAX && r.w / n >= 3) {
    int cw = r.w / n;
    for (int i = 0; i < n; i++) {
      SDL_Rect c = {r.x + i * cw, r.y, cw - 1, r.h};
      gfx_fill(v->ren, c, i < s->busy ? busy : i < cap ? freec : off);
      if (i >= n - down) gfx_cross(v->ren, c, red);
    }
    return;
  }
  int wb = (int)((double)r.w * (s->busy < n ? s->busy : n) / n);
  int wc = (int)((double)r.w * cap / n);
  gfx_fill(v->ren, r, off);
  gfx_fill(v->ren, (SDL_Rect){r.x, r.y, wc, r.h}, freec);
  gfx_fill(v->ren, (SDL_Rect){r.x, r.y, wb, r.h}, busy);
  if (down)
    gfx_cross(v->ren, (SDL_Rect){r.x + r.w - r.w * down / n, r.y, r.w * down / n, r.h}, red);
}

static void box_counts(const view_ctx *v, const snap_station *s, char *buf, size_t n) {
  char num[32];
  if (s->state == SNAP_CLOSED) {
    fmt_count(s->queue, num, sizeof num);
    snprintf(buf, n, "%s · %s %s", i18n_text(v->lang, L_CLOSED_BADGE), num,
             i18n_text(v->lang, L_WAITING));
  } else if (s->servers <
             0) { /* unlimited: a delay or a decision, what counts is how many are in */
    fmt_count(s->busy, num, sizeof num);
    snprintf(buf, n, "∞ %s", num);
  } else if (s->capacity >= 0 && s->capacity != s->servers) {
    snprintf(buf, n, "%d/%d (%d)", s->busy, s->capacity, s->servers);
  } else {
    snprintf(buf, n, "%d/%d", s->busy, s->servers);
  }
}

static void station_box(const view_ctx *v, const layout_cell *c) {
  const layout *l = v->lay;
  const snap_station *s = &v->snap->st[c->station];
  SDL_Rect b = c->box;
  SDL_Color sc = theme_state_color(s->state);
  gfx_fill(v->ren, b, theme_state_fill(s->state));
  gfx_fill(v->ren, (SDL_Rect){b.x, b.y, b.w, l->pad > 3 ? l->pad - 1 : 3}, sc);
  gfx_frame(v->ren, b, 2, sc);
  if (c->station == v->selected)
    gfx_frame(v->ren, (SDL_Rect){b.x - 3, b.y - 3, b.w + 6, b.h + 6}, 3, theme_color(TH_SELECT));
  char label[200], buf[96], fit[96];
  int inner = b.w - 2 * 4, fs = l->font_small, y = b.y + l->pad;
  if (inner < 5 * fs) fs = inner / 5 > 9 ? inner / 5 : 9; /* narrow boxes: a smaller face */
  SDL_Color text = s->state == SNAP_CLOSED ? (SDL_Color){255, 255, 255, 255} : theme_color(TH_TEXT);
  draw_station_name(v, c->station, v->lay->lane[c->lane].channel, label, sizeof label);
  y += wrapped(v, label, fs, 1, text, b.x + 4, y, inner) - 1;
  box_counts(v, s, buf, sizeof buf);
  int bh = l->font / 2 > 3 ? l->font / 2 : 3, bar = s->servers > 0 && b.h > 3 * bh;
  int bottom = b.y + b.h - (bar ? bh + 6 : 2);
  if (y + text_height(v->tc, fs, 0) - 3 <= bottom) {
    text_fit(v->tc, buf, fs, s->state == SNAP_CLOSED, inner, fit, sizeof fit);
    text_draw(v->tc, fit, fs, s->state == SNAP_CLOSED, text, b.x + 4, y, TEXT_LEFT);
  }
  if (bar) server_bar(v, s, (SDL_Rect){b.x + 4, b.y + b.h - bh - 4, b.w - 8, bh});
}

/* The waiting items as a crowd of dots (rows fill as the queue grows) and their count. */
static void queue_of(const view_ctx *v, const layout_cell *c) {
  const layout *l = v->lay;
  long q = v->snap->st[c->station].queue;
  SDL_Rect r = c->queue;
  if (q <= 0 || r.h < 4) return;
  SDL_Color qc = gfx_mix(theme_color(TH_QUEUE), theme_color(TH_QUEUE_LONG), draw_queue_share(q));
  char num[32];
  fmt_count(q, num, sizeof num);
  int tw = 0, d = l->font / 3 + 2;
  text_size(v->tc, num, l->font_small, 1, &tw, NULL);
  int cols = (r.w - tw - 4) / (d + 1), rows = r.h / (d + 1);
  if (cols < 1) cols = 1;
  int n = draw_crowd_dots(q, cols * rows);
  for (int i = 0; i < n; i++) { /* a loose crowd: every other row shifted by half a place */
    int row = i / cols, k = i % cols;
    gfx_disc(v->ren, r.x + k * (d + 1) + (row % 2) * d / 2 + d / 2, r.y + row * (d + 1) + d / 2,
             d / 2, qc);
  }
  int used = n < cols ? n : cols;
  text_draw(v->tc, num, l->font_small, 1, qc, r.x + used * (d + 1) + d / 2 + 3, r.y + d / 2,
            TEXT_LEFT | TEXT_MIDDLE);
}

/* Items on their way from one station to the next: dots crossing the gap, as many as
 * the first station has items in service (up to DRAW_GAP_DOTS), placed by the clock. */
static void movers(const view_ctx *v, const layout_cell *c, const layout_cell *nx) {
  const snap_station *s = &v->snap->st[c->station];
  if (s->busy <= 0 || v->speed <= 0 || s->state == SNAP_CLOSED) return;
  int n = 1 + (int)log10((double)s->busy);
  if (n > DRAW_GAP_DOTS) n = DRAW_GAP_DOTS;
  int x0 = c->box.x + c->box.w, x1 = nx->box.x, y = c->box.y + c->box.h / 2,
      r = v->lay->font / 4 + 1;
  if (x1 - x0 < 4 * r) return;
  double real_s = v->snap->now_min * 60 / v->speed; /* the same clock a replay has */
  for (int i = 0; i < n; i++) {
    double ph = fmod(real_s / DRAW_GAP_S + (double)i / n + 0.37 * c->station, 1.0);
    gfx_disc(v->ren, x0 + r + (int)(ph * (x1 - x0 - 2 * r)), y + (i % 2 ? r : -r), r,
             theme_color(TH_SPARK));
  }
}

/* The finds of the last moments: a burst on the station and what was found. */
static void flashes(const view_ctx *v) {
  const snapshot *s = v->snap;
  double span = draw_flash_min(v->speed);
  uint64_t n = s->nfind < SNAP_FINDS ? s->nfind : SNAP_FINDS;
  for (uint64_t k = 1; k <= n; k++) {
    const snap_find *f = &s->find[(s->nfind - k) % SNAP_FINDS];
    double age = s->now_min - f->t_min;
    if (age < 0 || age > span) continue;
    int ci = f->station >= 0 ? layout_cell_of(v->lay, f->station) : -1;
    if (ci < 0) continue;
    const SDL_Rect *b = &v->lay->cell[ci].box;
    double fade = 1 - age / span;
    SDL_Color gold = {0xff, 0xc1, 0x07, (Uint8)(80 + 175 * fade)},
              ink = {0x7a, 0x1f, 0x00, (Uint8)(255 * fade)};
    int rad = (int)(v->lay->font * (0.8 + 0.6 * (1 - fade)));
    gfx_star(v->ren, b->x + b->w - rad / 2, b->y + rad / 2, rad, gold);
    const char *what = i18n_find(v->lang, f->kind);
    int tw = 0, th = 0;
    text_size(v->tc, what, v->lay->font_small, 1, &tw, &th);
    SDL_Rect tag = {b->x + b->w - tw - 6, b->y - th - 4, tw + 6, th + 2};
    if (tag.x < v->lay->map.x) tag.x = v->lay->map.x;
    gfx_fill(v->ren, tag, (SDL_Color){0xff, 0xf3, 0xbf, (Uint8)(255 * fade)});
    text_draw(v->tc, what, v->lay->font_small, 1, ink, tag.x + 3, tag.y + 1, TEXT_LEFT);
  }
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
        movers(v, c, nx);
      }
      station_box(v, c);
      queue_of(v, c);
    }
  }
  flashes(v);
}

void draw_staff(const view_ctx *v) {
  const layout *l = v->lay;
  const snapshot *s = v->snap;
  SDL_Rect a = l->staff;
  gfx_fill(v->ren, (SDL_Rect){a.x, a.y, a.w, 1}, theme_color(TH_RULE));
  size_t shown = 0;
  for (size_t i = 0; i < s->npool; i++) shown += l->port < 0 || s->pool[i].port == l->port;
  if (!shown) return;
  int colw = (a.w - l->pad) / (int)shown, col = 0;
  char buf[160], fit[160], name[160];
  for (size_t i = 0; i < s->npool; i++) {
    const snap_pool *p = &s->pool[i];
    if (l->port >= 0 && p->port != l->port) continue;
    int x = a.x + l->pad + col++ * colw, w = colw - 2 * l->pad, y = a.y + l->pad;
    draw_pool_name(v, (int)i, name, sizeof name);
    text_fit(v->tc, name, l->font_small, 1, w, fit, sizeof fit);
    text_draw(v->tc, fit, l->font_small, 1, theme_color(TH_TEXT), x, y, TEXT_LEFT);
    y += text_height(v->tc, l->font_small, 1);
    /* in words: "50 busy of 70 on duty (320)" */
    snprintf(buf, sizeof buf, i18n_text(v->lang, L_STAFF_WORDS), p->busy, p->on_duty, p->size);
    text_fit(v->tc, buf, l->font_small, 0, w, fit, sizeof fit);
    text_draw(v->tc, fit, l->font_small, 0, theme_color(TH_TEXT_DIM), x, y, TEXT_LEFT);
    SDL_Rect bar = {x, y + text_height(v->tc, l->font_small, 0) + 1, w, l->font * 3 / 4};
    int size = p->size > 0 ? p->size : 1, duty = p->on_duty > size ? size : p->on_duty;
    int busy = p->busy > duty ? duty : p->busy;
    gfx_fill(v->ren, bar, (SDL_Color){0xe9, 0xec, 0xef, 255});
    gfx_fill(v->ren, (SDL_Rect){bar.x, bar.y, bar.w * duty / size, bar.h}, theme_color(TH_ON_DUTY));
    gfx_fill(v->ren, (SDL_Rect){bar.x, bar.y, bar.w * busy / size, bar.h},
             theme_color(TH_STAFF_BUSY));
    gfx_frame(v->ren, bar, 1, theme_color(TH_RULE));
  }
}

void draw_legend(const view_ctx *v) {
  const layout *l = v->lay;
  int x = l->legend.x + l->pad, y = l->legend.y + l->legend.h / 2, sq = l->font_small * 3 / 4;
  int fs = l->font_small * 9 / 10;
  SDL_Color dim = theme_color(TH_TEXT_DIM);
  for (int st = 0; st < SNAP_NSTATES; st++) {
    gfx_fill(v->ren, (SDL_Rect){x, y - sq / 2, sq, sq}, theme_state_color(st));
    x += sq + 3;
    x += text_draw(v->tc, i18n_state(v->lang, st), fs, 0, dim, x, y, TEXT_LEFT | TEXT_MIDDLE) +
         l->pad;
  }
  gfx_disc(v->ren, x + sq / 2, y, sq / 2, theme_color(TH_QUEUE));
  x += sq + 3;
  x += text_draw(v->tc, i18n_text(v->lang, L_QUEUE), fs, 0, dim, x, y, TEXT_LEFT | TEXT_MIDDLE) +
       2 * l->pad;
  x += text_draw(v->tc, i18n_text(v->lang, L_LEGEND_COUNTS), fs, 0, dim, x, y,
                 TEXT_LEFT | TEXT_MIDDLE) +
       2 * l->pad;
  text_draw(v->tc, i18n_text(v->lang, L_LEGEND_INF), fs, 0, dim, x, y, TEXT_LEFT | TEXT_MIDDLE);
}
