/* coastview: the coastline panel (see coastview.h). */
#include "viz/coastview.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "models/coast.h"
#include "viz/gfx.h"
#include "viz/shore.h"
#include "viz/theme.h"

#define CV_ZONES 32
#define CV_DOTS 24 /* attempts drawn per zone at most */

struct coastview {
  shore *sh;
  SDL_Texture *land;
  SDL_Renderer *ren;
  SDL_Rect at; /* the map part the texture was made for */
  shore_view sv;
  int located; /* every zone has a position: drawn on the map */
  double px_per_km;
  SDL_Rect zone[CV_ZONES];
  SDL_Rect label[CV_ZONES]; /* where each zone's label went (kept clear of the others) */
};

int coastview_new(coastview **out, sim_error *err) {
  *out = calloc(1, sizeof **out);
  if (!*out) return sim_error_set(err, SIM_ENOMEM, "out of memory");
  return shore_open(&(*out)->sh, SHORE_FILE, err);
}

void coastview_free(coastview *c) {
  if (!c) return;
  shore_free(c->sh);
  if (c->land) SDL_DestroyTexture(c->land);
  free(c);
}

int coastview_available(const snapshot *s) { return s->nzone > 0; }

SDL_Rect coastview_zone_rect(const coastview *c, int z) {
  return z >= 0 && z < CV_ZONES ? c->zone[z] : (SDL_Rect){0, 0, 0, 0};
}

static const SDL_Color C_DRONE = {0x1f, 0x6f, 0xd1, 255}, C_BOAT = {0xe0, 0x7b, 0x00, 255},
                       C_SAT = {0x7a, 0x3f, 0xb8, 255}, C_RADAR = {0x00, 0x8c, 0x8c, 255},
                       C_SEA_DOT = {0x1d, 0x2b, 0x3a, 255}, C_SEEN = {0xd6, 0x33, 0x33, 255},
                       C_WHITE = {255, 255, 255, 255};

/* ---- where things go ---- */

/* The window: every zone with its half side and a margin, at the rectangle's aspect. */
static shore_view window(const snapshot *s, SDL_Rect r) {
  double la0 = 90, la1 = -90, lo0 = 180, lo1 = -180;
  for (size_t i = 0; i < s->nzone; i++) {
    const snap_zone *z = &s->zone[i];
    double half = sqrt(z->area_km2) / 2 / 111.2, k = cos(z->lat * M_PI / 180);
    la0 = fmin(la0, z->lat - half), la1 = fmax(la1, z->lat + half);
    lo0 = fmin(lo0, z->lon - half / k), lo1 = fmax(lo1, z->lon + half / k);
  }
  double clat = (la0 + la1) / 2, clon = (lo0 + lo1) / 2, k = cos(clat * M_PI / 180);
  double hspan = (la1 - la0) * 1.4 + 0.6, wspan = (lo1 - lo0) * 1.4 + 0.6 / k;
  double aspect = (double)r.w / (r.h > 0 ? r.h : 1);
  if (wspan * k / hspan < aspect)
    wspan = hspan * aspect / k;
  else
    hspan = wspan * k / aspect;
  return (shore_view){
      clon - wspan / 2, clon + wspan / 2, clat - hspan / 2, clat + hspan / 2, r.w, r.h};
}

static int build_land(coastview *c, const view_ctx *v, SDL_Rect r) {
  if (c->land) SDL_DestroyTexture(c->land);
  c->land = NULL;
  c->at = r;
  c->ren = v->ren;
  c->sv = window(v->snap, r);
  c->px_per_km = r.h / ((c->sv.lat1 - c->sv.lat0) * 111.2);
  uint8_t *mask = malloc((size_t)r.w * r.h);
  SDL_Surface *s = SDL_CreateRGBSurfaceWithFormat(0, r.w, r.h, 32, SDL_PIXELFORMAT_ARGB8888);
  int rc = mask && s ? 0 : -1;
  if (!rc && c->sh)
    rc = shore_raster_zoomed(c->sh, &c->sv, mask) ? -1 : 0;
  else if (!rc)
    memset(mask, SHORE_SEA, (size_t)r.w * r.h);
  const Uint32 col[3] = {0xffcfe2f3, 0xfff3f0e6, 0xff8e9aab}; /* sea, land, shore */
  for (int y = 0; !rc && y < r.h; y++) {
    Uint32 *row = (Uint32 *)((Uint8 *)s->pixels + (size_t)y * s->pitch);
    for (int x = 0; x < r.w; x++) {
      uint8_t k = mask[(size_t)y * r.w + x];
      row[x] = col[k <= SHORE_SHORE ? k : 0];
    }
  }
  if (!rc) c->land = SDL_CreateTextureFromSurface(v->ren, s);
  SDL_FreeSurface(s);
  free(mask);
  return !rc && c->land ? 0 : -1;
}

/* Each zone's square: its area at the map's scale, or a row of equal squares. */
static void place_zones(coastview *c, const snapshot *s, SDL_Rect r, int font) {
  size_t n = s->nzone < CV_ZONES ? s->nzone : CV_ZONES;
  for (size_t i = 0; i < n; i++) {
    const snap_zone *z = &s->zone[i];
    if (c->located) {
      double fx, fy;
      shore_project(&c->sv, z->lat, z->lon, &fx, &fy);
      /* at least a readable size: the square stands for the zone, its area to scale when large */
      int side = (int)fmax(sqrt(z->area_km2) * c->px_per_km, fmax(4.0 * font, r.h * 0.12));
      c->zone[i] = (SDL_Rect){r.x + (int)lround(fx) - side / 2, r.y + (int)lround(fy) - side / 2,
                              side, side};
    } else {
      int side = (int)fmin(r.w / (n + 1.0), r.h * 0.55), gap = (r.w - (int)n * side) / (int)(n + 1);
      c->zone[i] =
          (SDL_Rect){r.x + gap + (int)i * (side + gap), r.y + (r.h - side) / 2, side, side};
    }
  }
}

/* A point of zone z's square from fractions (0..1) across and down. */
static SDL_Point at(const coastview *c, int z, double u, double w) {
  SDL_Rect q = c->zone[z];
  return (SDL_Point){q.x + (int)(u * q.w), q.y + (int)(w * q.h)};
}

static double hash01(unsigned a, unsigned b) {
  unsigned h = a * 2654435761u ^ (b + 0x9e3779b9u) * 2246822519u;
  h ^= h >> 15;
  h *= 2246822519u;
  h ^= h >> 13;
  return (h & 0xffffff) / (double)0x1000000;
}

/* ---- drawing ---- */

static SDL_Color grade(double share) {
  if (isnan(share)) return (SDL_Color){0x8e, 0x9a, 0xab, 255};
  return theme_status_color(share >= 0.9 ? THEME_GREEN : share >= 0.7 ? THEME_AMBER : THEME_RED);
}

static void zone_box(coastview *c, const view_ctx *v, int i) {
  const snap_zone *z = &v->snap->zone[i];
  const layout *l = v->lay;
  SDL_Rect q = c->zone[i];
  SDL_Color g = grade(z->detect_share);
  gfx_fill(v->ren, q, (SDL_Color){g.r, g.g, g.b, 40});
  gfx_frame(v->ren, q, 2, g);
  if (z->typhoon < 1) {
    gfx_fill(v->ren, q, (SDL_Color){0xd6, 0x33, 0x33, 70});
    text_draw(v->tc, i18n_text(v->lang, L_COAST_TYPHOON), l->font_small, 1, C_SEEN, q.x + q.w / 2,
              q.y + q.h / 2, TEXT_CENTER | TEXT_MIDDLE);
  }
  char name[160], fit[160], line[160];
  if (!i18n_label(v->lang, z->label, name, sizeof name)) snprintf(name, sizeof name, "%s", z->name);
  text_fit(v->tc, name, l->font_small, 1,
           q.w + 4 * l->font > l->map.w / 4 ? q.w + 4 * l->font : l->map.w / 4, fit, sizeof fit);
  int th = text_height(v->tc, l->font_small, 0), w1 = 0, w2 = 0, h = 0;
  snprintf(line, sizeof line, i18n_text(v->lang, L_COAST_SEA_WORDS), z->at_sea, z->tracked);
  text_size(v->tc, fit, l->font_small, 1, &w1, &h);
  text_size(v->tc, line, l->font_small, 0, &w2, &h);
  SDL_Rect box = {q.x, q.y - 2 * th - 2, w1 > w2 ? w1 : w2, 2 * th + 2};
  for (int j = 0; j < i; j++) /* above the square, or below it when a label is in the way */
    if (SDL_HasIntersection(&box, &c->label[j])) box.y = q.y + q.h + 2;
  c->label[i] = box;
  gfx_fill(v->ren, box, (SDL_Color){255, 255, 255, 170});
  text_draw(v->tc, fit, l->font_small, 1, theme_color(TH_TEXT), box.x, box.y, TEXT_LEFT);
  text_draw(v->tc, line, l->font_small, 0, theme_color(TH_TEXT_DIM), box.x, box.y + th + 1,
            TEXT_LEFT);
}

/* Attempts at sea as dark dots drifting to the shore side, the seen ones red with a ring. */
static void attempts(const coastview *c, const view_ctx *v, int i, double tau) {
  const snap_zone *z = &v->snap->zone[i];
  int r = v->lay->font / 5 + 2, n = z->at_sea + z->tracked;
  for (int k = 0; k < n && k < CV_DOTS; k++) {
    double u = 0.1 + 0.8 * hash01((unsigned)i, (unsigned)k),
           w = 0.1 + 0.8 * fmod(hash01((unsigned)k, 7u) + tau * 0.004, 1.0);
    SDL_Point p = at(c, i, u, w);
    int seen = k >= z->at_sea;
    gfx_disc(v->ren, p.x, p.y, r, seen ? C_SEEN : C_SEA_DOT);
    if (seen) gfx_circle(v->ren, p.x, p.y, r + 3, 1, C_SEEN);
  }
}

/* What happened lately glows for a frame interval or two (a replay sees it one frame late). */
static void glows(const coastview *c, const view_ctx *v, int i) {
  const snap_zone *z = &v->snap->zone[i];
  double span = fmax(draw_flash_min(v->speed), 2 * v->snap->frame_min), now = v->snap->now_min;
  const double when[3] = {z->last_detect_h * 60, z->last_interdict_h * 60, z->last_landed_h * 60};
  const SDL_Color col[3] = {{0xff, 0xc1, 0x07, 255}, {0x2e, 0x9e, 0x4f, 255}, C_SEEN};
  const double u[3] = {0.35, 0.6, 0.5}, w[3] = {0.35, 0.55, 1.0};
  for (int k = 0; k < 3; k++) {
    double age = now - when[k];
    if (isnan(age) || age < 0 || age > span) continue;
    SDL_Point p = at(c, i, u[k], w[k]);
    int rad = (int)(v->lay->font * (1.2 - 0.6 * age / span));
    if (k == 2)
      gfx_cross(v->ren, (SDL_Rect){p.x - rad / 2, p.y - rad / 2, rad, rad}, col[k]);
    else
      gfx_star(v->ren, p.x, p.y, rad, col[k]);
  }
}

static void unit_icon(SDL_Renderer *ren, int type, int x, int y, int r, SDL_Color c) {
  if (type == COAST_BOAT) {
    gfx_fill(ren, (SDL_Rect){x - r, y - r * 2 / 3, 2 * r, r * 4 / 3}, c);
    gfx_frame(ren, (SDL_Rect){x - r, y - r * 2 / 3, 2 * r, r * 4 / 3}, 1, C_WHITE);
  } else {
    gfx_disc(ren, x, y, r, c);
    gfx_circle(ren, x, y, r, 1, C_WHITE);
  }
}

/* Drones and boats: searching units wander the square, transits run between base and
 * centre, responding boats head for the seen attempts, the rest wait at base. */
static void units(const coastview *c, const view_ctx *v, int a, double tau) {
  const snap_asset *s = &v->snap->asset[a];
  int type = !strcmp(s->type, "boat") ? COAST_BOAT : COAST_DRONE, z = s->zone,
      r = v->lay->font / 3 + 2;
  SDL_Point base = at(c, z, -0.08 - 0.05 * (a % 3), 1.05), mid = at(c, z, 0.5, 0.5),
            seen = at(c, z, 0.75, 0.3);
  const int n[7] = {s->searching,  s->responding, s->transit, s->ready,
                    s->turnaround, s->grounded,   s->no_crew};
  int k = 0, parked = 0;
  double speed = type == COAST_DRONE ? 2.0 : 1.0;
  for (int st = 0; st < 7; st++)
    for (int j = 0; j < n[st] && k < 64; j++, k++) {
      SDL_Point p;
      SDL_Color col = type == COAST_BOAT ? C_BOAT : C_DRONE;
      if (st == 0) {
        double u = 0.5 + 0.4 * sin(speed * 0.31 * tau + 2.1 * k + 1.3 * a);
        double w = 0.5 + 0.4 * sin(speed * 0.23 * tau + 1.7 * k + 0.7 * a);
        p = at(c, z, u, w);
      } else if (st == 1 || st == 2) {
        SDL_Point to = st == 1 ? seen : mid;
        double f = fmod(tau / 4 + 0.37 * k, 1.0);
        p = (SDL_Point){base.x + (int)(f * (to.x - base.x)), base.y + (int)(f * (to.y - base.y))};
      } else {
        p = (SDL_Point){base.x + parked * (2 * r + 2), base.y};
        parked++;
        if (st == 4) col = (SDL_Color){0x8e, 0x9a, 0xab, 255};
        if (st == 6) col = theme_status_color(THEME_AMBER);
      }
      unit_icon(v->ren, type, p.x, p.y, r, col);
      if (st == 5) gfx_cross(v->ren, (SDL_Rect){p.x - r, p.y - r, 2 * r, 2 * r}, C_SEEN);
    }
}

/* Radars on the zone's shore side with their range; satellites above its corner. */
static void sensors(const coastview *c, const view_ctx *v, int a) {
  const snap_asset *s = &v->snap->asset[a];
  const coast_spec *cs = v->sp ? v->sp->coast : NULL;
  int r = v->lay->font / 3 + 2;
  if (!strcmp(s->type, "radar")) {
    SDL_Point p = at(c, s->zone, 0.5, 1.0);
    double range = cs && (size_t)a < cs->nasset ? cs->asset[a].range_km : 0;
    int rr =
        (int)(range * (c->located ? c->px_per_km
                                  : c->zone[s->zone].w / sqrt(v->snap->zone[s->zone].area_km2)));
    if (rr > 2)
      gfx_circle(v->ren, p.x, p.y, rr, 1, (SDL_Color){C_RADAR.r, C_RADAR.g, C_RADAR.b, 160});
    gfx_disc(v->ren, p.x, p.y, r, s->grounded ? (SDL_Color){0x8e, 0x9a, 0xab, 255} : C_RADAR);
  } else if (!strcmp(s->type, "satellite")) {
    SDL_Point p = at(c, s->zone, 1.0, 0.0);
    p.x += r + 4;
    p.y += r + 2 + (a % 3) * (2 * r + 6);
    gfx_circle(v->ren, p.x, p.y, r + 2, 2, C_SAT);
    gfx_disc(v->ren, p.x, p.y, r / 2 + 1, C_SAT);
  }
}

/* The zones' figures, one row each, under the map. */
static void table(const view_ctx *v, SDL_Rect r) {
  const layout *l = v->lay;
  const snapshot *s = v->snap;
  gfx_fill(v->ren, r, theme_color(TH_PANEL));
  static const i18n_id head[] = {L_COAST_ZONE,        L_COAST_ATTEMPTS, L_COAST_SEEN,
                                 L_COAST_INTERDICTED, L_COAST_LANDED,   L_COAST_AT_SEA,
                                 L_COAST_WEATHER,     L_COAST_UNITS};
  /* the zone's name takes a quarter, the weather two shares, the others one each */
  static const double share[] = {0, 0.25, 0.35, 0.44, 0.55, 0.64, 0.76, 0.92};
  int nc = sizeof head / sizeof *head, th = text_height(v->tc, l->font_small, 0), cx[8];
  int x0 = r.x + l->pad, y = r.y + l->pad / 2, width = r.w - 2 * l->pad;
  for (int k = 0; k < nc; k++) cx[k] = x0 + (int)(share[k] * width);
  for (int k = 0; k < nc; k++)
    text_draw(v->tc, i18n_text(v->lang, head[k]), l->font_small, 1, theme_color(TH_TEXT_DIM), cx[k],
              y, TEXT_LEFT);
  for (size_t i = 0; i < s->nzone; i++) {
    const snap_zone *z = &s->zone[i];
    char cell[8][96], name[160];
    if (!i18n_label(v->lang, z->label, name, sizeof name))
      snprintf(name, sizeof name, "%s", z->name);
    int out = 0;
    for (size_t a = 0; a < s->nasset; a++)
      if (s->asset[a].zone == (int)i)
        out += s->asset[a].searching + s->asset[a].responding + s->asset[a].transit;
    text_fit(v->tc, name, l->font_small, 1, cx[1] - cx[0] - l->pad, cell[0], sizeof cell[0]);
    snprintf(cell[1], sizeof cell[1], "%lld", (long long)z->attempts);
    snprintf(cell[2], sizeof cell[2], isnan(z->detect_share) ? "–" : "%.0f%%",
             100 * z->detect_share);
    snprintf(cell[3], sizeof cell[3], isnan(z->interdict_share) ? "–" : "%.0f%%",
             100 * z->interdict_share);
    snprintf(cell[4], sizeof cell[4], "%lld", (long long)z->landed);
    snprintf(cell[5], sizeof cell[5], "%d + %d", z->at_sea, z->tracked);
    snprintf(cell[6], sizeof cell[6], "%.0f m/s · %d%s", z->wind_ms, z->sea_state,
             z->rain ? " · ☂" : "");
    snprintf(cell[7], sizeof cell[7], "%d", out);
    y += th + 2;
    for (int k = 0; k < nc; k++) {
      SDL_Color col = k == 2 ? grade(z->detect_share) : theme_color(TH_TEXT);
      text_draw(v->tc, cell[k], l->font_small, k == 0 || k == 2, col, cx[k], y, TEXT_LEFT);
    }
  }
}

/* One legend entry: its mark, then its words; returns the x after it. */
static int legend_item(const view_ctx *v, int kind, SDL_Color col, i18n_id text, int x, int y) {
  const layout *l = v->lay;
  int rad = l->font / 3 + 2;
  switch (kind) {
  case 0: unit_icon(v->ren, COAST_DRONE, x + rad, y, rad, col); break;
  case 1: unit_icon(v->ren, COAST_BOAT, x + rad, y, rad, col); break;
  case 2: gfx_circle(v->ren, x + rad, y, rad, 2, col); break;
  case 3: gfx_disc(v->ren, x + rad, y, rad / 2 + 1, col); break;
  case 4: gfx_star(v->ren, x + rad, y, rad + 2, col); break;
  default: gfx_cross(v->ren, (SDL_Rect){x, y - rad, 2 * rad, 2 * rad}, col); break;
  }
  x += 2 * rad + 4;
  return x +
         text_draw(v->tc, i18n_text(v->lang, text), l->font_small, 0, theme_color(TH_TEXT), x, y,
                   TEXT_MIDDLE) +
         l->pad * 2;
}

static void legend(const view_ctx *v, SDL_Rect r) {
  int x = r.x + v->lay->pad, y = r.y + r.h / 2;
  x = legend_item(v, 0, C_DRONE, L_COAST_LEGEND_DRONE, x, y);
  x = legend_item(v, 1, C_BOAT, L_COAST_LEGEND_BOAT, x, y);
  x = legend_item(v, 3, C_RADAR, L_COAST_LEGEND_RADAR, x, y);
  x = legend_item(v, 2, C_SAT, L_COAST_LEGEND_SAT, x, y);
  x = legend_item(v, 3, C_SEA_DOT, L_COAST_LEGEND_SEA, x, y);
  x = legend_item(v, 3, C_SEEN, L_COAST_LEGEND_SEEN, x, y);
  x = legend_item(v, 4, (SDL_Color){0x2e, 0x9e, 0x4f, 255}, L_COAST_LEGEND_INTERDICT, x, y);
  legend_item(v, 5, C_SEEN, L_COAST_LEGEND_LANDED, x, y);
}

int coastview_draw(coastview *c, const view_ctx *v) {
  const snapshot *s = v->snap;
  const layout *l = v->lay;
  int th = text_height(v->tc, l->font_small, 0), rows = (int)s->nzone + 1;
  SDL_Rect all = l->map, leg = {all.x, all.y + all.h - th - l->pad, all.w, th + l->pad};
  SDL_Rect tab = {all.x, leg.y - rows * (th + 2) - l->pad, all.w, rows * (th + 2) + l->pad};
  SDL_Rect map = {all.x, all.y, all.w, tab.y - all.y};
  c->located = 1;
  for (size_t i = 0; i < s->nzone; i++)
    c->located &= !isnan(s->zone[i].lat) && !isnan(s->zone[i].lon);
  if (c->located) {
    if (!c->land || c->ren != v->ren || memcmp(&map, &c->at, sizeof map))
      if (build_land(c, v, map)) return -1;
    SDL_RenderCopy(v->ren, c->land, NULL, &map);
  } else {
    gfx_fill(v->ren, map, (SDL_Color){0xcf, 0xe2, 0xf3, 255});
  }
  place_zones(c, s, map, l->font);
  double tau = v->speed > 0 ? s->now_min * 60 / v->speed : 0; /* seconds of the show */
  size_t nz = s->nzone < CV_ZONES ? s->nzone : CV_ZONES;
  for (size_t i = 0; i < nz; i++) zone_box(c, v, (int)i);
  for (size_t a = 0; a < s->nasset; a++)
    if (s->asset[a].zone >= 0 && (size_t)s->asset[a].zone < nz) sensors(c, v, (int)a);
  for (size_t i = 0; i < nz; i++) attempts(c, v, (int)i, tau);
  for (size_t a = 0; a < s->nasset; a++)
    if (s->asset[a].zone >= 0 && (size_t)s->asset[a].zone < nz &&
        (!strcmp(s->asset[a].type, "drone") || !strcmp(s->asset[a].type, "boat")))
      units(c, v, (int)a, tau);
  for (size_t i = 0; i < nz; i++) glows(c, v, (int)i);
  table(v, tab);
  legend(v, leg);
  return 0;
}
