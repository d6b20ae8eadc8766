/* layout: regions, lanes and station boxes from a snapshot (see layout.h). */
#include "viz/layout.h"

#include <stdlib.h>

#include "sim/error.h"

#define LAYOUT_MIN_W 320
#define LAYOUT_MIN_H 240

void layout_init(layout *l) { *l = (layout){.port = -1}; }

void layout_free(layout *l) {
  if (!l) return;
  free(l->lane);
  free(l->cell);
  layout_init(l);
}

static int clampi(int v, int lo, int hi) { return v < lo ? lo : v > hi ? hi : v; }

static int reserve(layout *l, size_t nlane, size_t ncell) {
  if (nlane > l->cap_lane) {
    layout_lane *p = realloc(l->lane, nlane * sizeof *p);
    if (!p) return SIM_ENOMEM;
    l->lane = p;
    l->cap_lane = nlane;
  }
  if (ncell > l->cap_cell) {
    layout_cell *p = realloc(l->cell, ncell * sizeof *p);
    if (!p) return SIM_ENOMEM;
    l->cell = p;
    l->cap_cell = ncell;
  }
  return 0;
}

static void regions(layout *l, int w, int h) {
  l->w = w;
  l->h = h;
  l->font = clampi(h / 46, 10, 30);
  l->font_small = clampi(l->font * 4 / 5, 9, 26);
  l->font_big = l->font * 3 / 2;
  l->pad = clampi(l->font / 2, 3, 14);
  int hh = l->font_big + 2 * l->pad + 4, sh = l->font_small + l->pad + 2;
  int pw = clampi(w * 27 / 100, 260, 560);
  if (pw > w / 2) pw = w / 2;
  if (l->no_panel) pw = 0;
  l->header = (SDL_Rect){0, 0, w, hh};
  l->status = (SDL_Rect){0, h - sh, w, sh};
  l->panel = (SDL_Rect){w - pw, hh, pw, h - hh - sh};
  l->map = (SDL_Rect){0, hh, w - pw, h - hh - sh};
  int legend_h = l->font_small + l->pad;
  int staff_h = 2 * l->font_small + l->font + 3 * l->pad + 2;
  l->legend = (SDL_Rect){0, l->map.y + l->map.h - legend_h, l->map.w, legend_h};
  l->staff = (SDL_Rect){0, l->legend.y - staff_h, l->map.w, staff_h};
  l->lanes = (SDL_Rect){0, l->map.y + l->pad, l->map.w, l->staff.y - l->map.y - 2 * l->pad};
}

static int on_route(const snapshot *s, int st) {
  for (size_t c = 0; c < s->nch; c++)
    for (size_t k = 0; k < s->ch[c].nroute; k++)
      if (s->ch[c].route[k] == st) return 1;
  return 0;
}

static int valid_st(const snapshot *s, int st) { return st >= 0 && (size_t)st < s->nst; }

/* Fills the lanes' cell lists in order; returns the number of cells. `placed` marks the
 * stations shown so an attached one appears once. */
static size_t fill_cells(layout *l, const snapshot *s, const view_hints *hn, char *placed) {
  size_t nc = 0;
  l->nlane = 0;
  for (size_t c = 0; c < s->nch; c++) {
    if (l->port >= 0 && s->ch[c].port != l->port) continue;
    layout_lane *ln = &l->lane[l->nlane++];
    *ln = (layout_lane){.channel = (int)c, .first = nc};
    for (size_t k = 0; k < s->ch[c].nroute; k++) {
      int st = s->ch[c].route[k];
      if (!valid_st(s, st)) continue;
      l->cell[nc++] = (layout_cell){.station = st};
      placed[st] = 1;
      for (size_t j = 0; hn && hn->attach && j < s->nst; j++)
        if (hn->attach[j] == st && !placed[j] && !on_route(s, (int)j)) {
          l->cell[nc++] = (layout_cell){.station = (int)j};
          placed[j] = 1;
        }
    }
    ln->n = nc - ln->first;
  }
  size_t first = nc;
  for (size_t j = 0; j < s->nst; j++)
    if (!placed[j] && (l->port < 0 || s->st[j].port == l->port) && !on_route(s, (int)j))
      l->cell[nc++] = (layout_cell){.station = (int)j};
  if (nc > first)
    l->lane[l->nlane++] = (layout_lane){.channel = -1, .first = first, .n = nc - first};
  return nc;
}

static void place_cells(layout *l) {
  size_t ncols = 1;
  for (size_t i = 0; i < l->nlane; i++)
    if (l->lane[i].n > ncols) ncols = l->lane[i].n;
  int nl = l->nlane ? (int)l->nlane : 1;
  int lh = l->lanes.h / nl;
  if (lh > l->font * 10) lh = l->font * 10;
  int lw = clampi(l->map.w * 15 / 100, 6 * l->font, 14 * l->font);
  if (lw > l->map.w / 3) lw = l->map.w / 3;
  int x0 = l->map.x + lw + l->pad, avail = l->map.w - lw - 2 * l->pad;
  int gap = clampi(l->font * 6 / 5, 4, 40); /* room for the items moving between stations */
  if (ncols > 8) gap = l->font * 3 / 5; /* many stations: room for their names first */
  if (avail - gap * ((int)ncols - 1) < (int)ncols * 8) gap = 2; /* a crowded map */
  int cw = (avail - gap * ((int)ncols - 1)) / (int)ncols;
  if (cw > l->font * 12) cw = l->font * 12;
  if (cw < 1) cw = 1;
  int bh = lh * 56 / 100, qh = lh * 22 / 100, qgap = lh * 4 / 100;
  int y0 = l->lanes.y + (l->lanes.h - nl * lh) / 2; /* few lanes: centred, not stretched */
  for (size_t i = 0; i < l->nlane; i++) {
    layout_lane *ln = &l->lane[i];
    int y = y0 + (int)i * lh;
    ln->r = (SDL_Rect){l->map.x, y, l->map.w, lh};
    ln->label = (SDL_Rect){l->map.x + l->pad, y, lw - l->pad, lh};
    int by = y + (lh - bh - qgap - qh) / 2;
    for (size_t k = 0; k < ln->n; k++) {
      layout_cell *c = &l->cell[ln->first + k];
      c->lane = (int)i;
      c->col = (int)k;
      c->box = (SDL_Rect){x0 + (int)k * (cw + gap), by, cw, bh};
      c->queue = (SDL_Rect){c->box.x, by + bh + qgap, cw, qh};
    }
  }
}

int layout_build(layout *l, const snapshot *s, const view_hints *hints, int w, int h) {
  return layout_build_for(l, s, hints, w, h, -1, 0);
}

int layout_build_for(layout *l, const snapshot *s, const view_hints *hints, int w, int h, int only,
                     int no_panel) {
  l->port = only;
  l->no_panel = no_panel;
  if (w < LAYOUT_MIN_W) w = LAYOUT_MIN_W;
  if (h < LAYOUT_MIN_H) h = LAYOUT_MIN_H;
  size_t maxcells = s->nst;
  for (size_t c = 0; c < s->nch; c++) maxcells += s->ch[c].nroute;
  if (reserve(l, s->nch + 1, maxcells ? maxcells : 1)) return SIM_ENOMEM;
  char *placed = calloc(s->nst ? s->nst : 1, 1);
  if (!placed) return SIM_ENOMEM;
  regions(l, w, h);
  l->ncell = fill_cells(l, s, hints, placed);
  free(placed);
  place_cells(l);
  return 0;
}

static int inside(const SDL_Rect *r, int x, int y) {
  return x >= r->x && x < r->x + r->w && y >= r->y && y < r->y + r->h;
}

int layout_hit(const layout *l, int x, int y) {
  for (size_t i = 0; i < l->ncell; i++)
    if (inside(&l->cell[i].box, x, y) || inside(&l->cell[i].queue, x, y)) return l->cell[i].station;
  return -1;
}

int layout_cell_of(const layout *l, int st) {
  for (size_t i = 0; i < l->ncell; i++)
    if (l->cell[i].station == st) return (int)i;
  return -1;
}
