/* mapview: coastline, ports, diversions and storms on a map (see mapview.h). */
#include "viz/mapview.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "models/disrupt.h"
#include "models/present.h"
#include "viz/shore.h"
#include "viz/fmt.h"
#include "viz/gfx.h"
#include "viz/theme.h"

#define MAP_MIN_SPAN 10.0 /* degrees of latitude shown at least */
#define MAP_PORTS 64

struct mapview {
  shore *c;
  SDL_Texture *land;
  SDL_Renderer *ren;
  SDL_Rect at;        /* where the texture was made for */
  shore_view cv;
  double land_share;
  SDL_Rect hit[MAP_PORTS];
  int nhit;
};

int mapview_new(mapview **out, sim_error *err) {
  *out = calloc(1, sizeof **out);
  if (!*out) return sim_error_set(err, SIM_ENOMEM, "out of memory");
  return shore_open(&(*out)->c, SHORE_FILE, err);
}

void mapview_free(mapview *m) {
  if (!m) return;
  shore_free(m->c);
  if (m->land) SDL_DestroyTexture(m->land);
  free(m);
}

int mapview_available(const snapshot *s) {
  for (size_t i = 0; i < s->nport; i++)
    if (!isnan(s->port[i].lat) && !isnan(s->port[i].lon)) return 1;
  return 0;
}

/* The window: the ports and the storm tracks with a margin, at the rectangle's aspect
 * (longitudes shrink by the cosine of the latitude). */
static shore_view window(const view_ctx *v, SDL_Rect r) {
  const snapshot *s = v->snap;
  double la0 = 90, la1 = -90, lo0 = 180, lo1 = -180;
  for (size_t i = 0; i < s->nport; i++) {
    if (isnan(s->port[i].lat)) continue;
    la0 = fmin(la0, s->port[i].lat), la1 = fmax(la1, s->port[i].lat);
    lo0 = fmin(lo0, s->port[i].lon), lo1 = fmax(lo1, s->port[i].lon);
  }
  const present *pr = s->pres;
  for (size_t d = 0; pr && d < pr->ndis; d++)
    for (size_t k = 0; k < pr->track[d].n; k++) {
      la0 = fmin(la0, pr->track[d].p[k].lat), la1 = fmax(la1, pr->track[d].p[k].lat);
      lo0 = fmin(lo0, pr->track[d].p[k].lon), lo1 = fmax(lo1, pr->track[d].p[k].lon);
    }
  double clat = (la0 + la1) / 2, clon = (lo0 + lo1) / 2, k = cos(clat * M_PI / 180);
  double hspan = fmax(MAP_MIN_SPAN, (la1 - la0) * 1.3 + 2),
         wspan = fmax((lo1 - lo0) * 1.3 + 2, hspan / k * 0.5);
  double aspect = (double)r.w / (r.h > 0 ? r.h : 1); /* screen width over height */
  if (wspan * k / hspan < aspect) wspan = hspan * aspect / k;
  else hspan = wspan * k / aspect;
  return (shore_view){.lon0 = clon - wspan / 2, .lon1 = clon + wspan / 2, .lat0 = clat - hspan / 2,
                      .lat1 = clat + hspan / 2, .w = r.w, .h = r.h};
}

static int build_land(mapview *m, const view_ctx *v, SDL_Rect r) {
  if (m->land) SDL_DestroyTexture(m->land);
  m->land = NULL;
  m->cv = window(v, r);
  m->at = r;
  m->ren = v->ren;
  uint8_t *mask = malloc((size_t)r.w * r.h);
  SDL_Surface *s = SDL_CreateRGBSurfaceWithFormat(0, r.w, r.h, 32, SDL_PIXELFORMAT_ARGB8888);
  int rc = mask && s ? 0 : -1;
  if (!rc && m->c) rc = shore_raster(m->c, &m->cv, mask) ? -1 : 0;
  else if (!rc) memset(mask, SHORE_SEA, (size_t)r.w * r.h);
  size_t land = 0;
  const Uint32 col[3] = {0xffcfe2f3, 0xfff3f0e6, 0xff8e9aab}; /* sea, land, shore */
  for (int y = 0; !rc && y < r.h; y++) {
    Uint32 *row = (Uint32 *)((Uint8 *)s->pixels + (size_t)y * s->pitch);
    for (int x = 0; x < r.w; x++) {
      uint8_t k = mask[(size_t)y * r.w + x];
      row[x] = col[k <= SHORE_SHORE ? k : 0];
      land += k != SHORE_SEA;
    }
  }
  m->land_share = r.w > 0 && r.h > 0 ? (double)land / ((double)r.w * r.h) : 0;
  if (!rc) m->land = SDL_CreateTextureFromSurface(v->ren, s);
  SDL_FreeSurface(s);
  free(mask);
  return !rc && m->land ? 0 : -1;
}

static void to_px(const mapview *m, double lat, double lon, int *x, int *y) {
  double fx, fy;
  shore_project(&m->cv, lat, lon, &fx, &fy);
  *x = m->at.x + (int)lround(fx);
  *y = m->at.y + (int)lround(fy);
}

static void storms(const mapview *m, const view_ctx *v) {
  const snapshot *s = v->snap;
  const present *pr = s->pres;
  if (!pr || !v->sp || !v->sp->dis) return;
  double px_per_km = m->at.h / ((m->cv.lat1 - m->cv.lat0) * 111.2);
  for (size_t d = 0; d < pr->ndis && d < v->sp->dis->n; d++) {
    const present_track *tr = &pr->track[d];
    if (!tr->n) continue;
    SDL_Color line = {0x5c, 0x66, 0x70, 255}, storm = {0xd6, 0x33, 0x33, 60};
    for (size_t k = 0; k + 1 < tr->n; k++) {
      int x0, y0, x1, y1;
      to_px(m, tr->p[k].lat, tr->p[k].lon, &x0, &y0);
      to_px(m, tr->p[k + 1].lat, tr->p[k + 1].lon, &x1, &y1);
      gfx_line(v->ren, x0, y0, x1, y1, 2, line);
    }
    double t = s->now_min - v->sp->dis->d[d].start_min;
    present_point p;
    if (t < tr->p[0].after_min - 360 || t > tr->p[tr->n - 1].after_min + 360 ||
        present_track_at(tr, t, &p))
      continue;
    int x, y, rad = (int)(p.radius_km * px_per_km);
    to_px(m, p.lat, p.lon, &x, &y);
    if (rad > 2) gfx_disc(v->ren, x, y, rad, storm);
    gfx_circle(v->ren, x, y, rad > 4 ? rad : 4, 2, (SDL_Color){0xd6, 0x33, 0x33, 255});
    char name[160];
    if (!i18n_label(v->lang, (const char *const *)pr->dis[d].t, name, sizeof name))
      snprintf(name, sizeof name, "%s", v->sp->dis->d[d].name);
    text_draw(v->tc, name, v->lay->font, 1, (SDL_Color){0xa6, 0x1e, 0x1e, 255}, x - rad,
              y - rad - 4, TEXT_RIGHT | TEXT_MIDDLE);
  }
}

/* Arrivals diverted from a port to others: dots running along the line between them. */
static void diversions(const mapview *m, const view_ctx *v) {
  const snapshot *s = v->snap;
  int64_t out[MAP_PORTS] = {0}, in[MAP_PORTS] = {0};
  for (size_t c = 0; c < s->nch; c++)
    if (s->ch[c].port >= 0 && s->ch[c].port < MAP_PORTS) {
      out[s->ch[c].port] += s->ch[c].diverted_out;
      in[s->ch[c].port] += s->ch[c].diverted_in;
    }
  double real_s = v->speed > 0 ? s->now_min * 60 / v->speed : 0;
  for (size_t a = 0; a < s->nport && a < MAP_PORTS; a++) {
    if (!out[a] || !s->port[a].closed || isnan(s->port[a].lat)) continue;
    for (size_t b = 0; b < s->nport && b < MAP_PORTS; b++) {
      if (!in[b] || isnan(s->port[b].lat)) continue;
      int x0, y0, x1, y1;
      to_px(m, s->port[a].lat, s->port[a].lon, &x0, &y0);
      to_px(m, s->port[b].lat, s->port[b].lon, &x1, &y1);
      SDL_Color c = {0xe6, 0x8a, 0x00, 255};
      gfx_line(v->ren, x0, y0, x1, y1, 2, (SDL_Color){0xe6, 0x8a, 0x00, 120});
      int n = 3 + (int)log10(1.0 + (double)in[b]) * 2;
      for (int i = 0; i < n; i++) {
        double ph = fmod(real_s / 2.5 + (double)i / n, 1.0);
        gfx_disc(v->ren, x0 + (int)(ph * (x1 - x0)), y0 + (int)(ph * (y1 - y0)),
                 v->lay->font / 4 + 2, c);
      }
    }
  }
}

static void port_marker(mapview *m, const view_ctx *v, size_t i) {
  const snapshot *s = v->snap;
  const snap_port *p = &s->port[i];
  const layout *l = v->lay;
  int x, y;
  to_px(m, p->lat, p->lon, &x, &y);
  theme_status g = theme_port_grade(s, (int)i);
  SDL_Color fill = p->closed ? theme_state_color(SNAP_CLOSED) : theme_status_color(g);
  int r = l->font * 2 / 3 + (int)(log10(1.0 + (double)p->backlog) * l->font / 3);
  gfx_disc(v->ren, x, y, r, fill);
  gfx_circle(v->ren, x, y, r, 2,
             p->closed ? theme_status_color(THEME_RED) : (SDL_Color){255, 255, 255, 255});
  char name[200], l2[200], a[32], b[32], fit[200];
  if (!i18n_label(v->lang, p->label, name, sizeof name)) snprintf(name, sizeof name, "%s", p->name);
  fmt_count(p->backlog, a, sizeof a);
  fmt_count(p->waiting, b, sizeof b);
  snprintf(l2, sizeof l2, i18n_text(v->lang, L_PORT_WORDS), a, b);
  int w1 = 0, w2 = 0, h1 = 0, h2 = 0, maxw = l->map.w / 3;
  text_size(v->tc, name, l->font, 1, &w1, &h1);
  text_size(v->tc, l2, l->font_small, 0, &w2, &h2);
  int bw = (w1 > w2 ? w1 : w2) + 2 * l->pad, bh = h1 + h2 + (p->closed ? h2 : 0) + l->pad;
  if (bw > maxw) bw = maxw;
  SDL_Rect box = {x + r + 6, y - bh / 2, bw, bh};
  if (box.x + box.w > l->map.x + l->map.w) box.x = x - r - 6 - bw; /* flip to the left edge */
  static const int shift[] = {0, 1, -1, 2, -2, 3, -3};
  for (size_t k = 0; k < sizeof shift / sizeof *shift; k++) { /* clear of the labels drawn before */
    SDL_Rect t = box;
    t.y = y - bh / 2 + shift[k] * (bh + 2);
    int clash = 0;
    for (int j = 0; j < m->nhit; j++) clash |= SDL_HasIntersection(&t, &m->hit[j]);
    if (!clash) {
      box = t;
      break;
    }
  }
  gfx_fill(v->ren, box, (SDL_Color){255, 255, 255, 230});
  gfx_frame(v->ren, box, 2, fill);
  int ty = box.y + l->pad / 2;
  text_fit(v->tc, name, l->font, 1, bw - 2 * l->pad, fit, sizeof fit);
  text_draw(v->tc, fit, l->font, 1, theme_color(TH_TEXT), box.x + l->pad, ty, TEXT_LEFT);
  ty += h1;
  if (p->closed) {
    text_draw(v->tc, i18n_text(v->lang, L_CLOSED_BADGE), l->font_small, 1,
              theme_status_color(THEME_RED), box.x + l->pad, ty, TEXT_LEFT);
    ty += h2;
  }
  text_fit(v->tc, l2, l->font_small, 0, bw - 2 * l->pad, fit, sizeof fit);
  text_draw(v->tc, fit, l->font_small, 0, theme_color(TH_TEXT_DIM), box.x + l->pad, ty, TEXT_LEFT);
  if (m->nhit < MAP_PORTS) { /* the marker and its box both open the port */
    SDL_Rect hb = {x - r, y - r, 2 * r, 2 * r};
    SDL_UnionRect(&hb, &box, &m->hit[m->nhit]);
    m->nhit++;
  }
}

int mapview_draw(mapview *m, const view_ctx *v) {
  SDL_Rect r = v->lay->map;
  if (!m->land || m->ren != v->ren || memcmp(&r, &m->at, sizeof r)) {
    if (build_land(m, v, r)) return -1;
  }
  SDL_RenderCopy(v->ren, m->land, NULL, &r);
  storms(m, v);
  diversions(m, v);
  m->nhit = 0;
  for (size_t i = 0; i < v->snap->nport; i++)
    if (!isnan(v->snap->port[i].lat)) port_marker(m, v, i);
    else if (m->nhit < MAP_PORTS) m->hit[m->nhit++] = (SDL_Rect){0, 0, 0, 0};
  return 0;
}

int mapview_hit(const mapview *m, int x, int y) {
  SDL_Point p = {x, y};
  for (int i = m->nhit - 1; i >= 0; i--)
    if (SDL_PointInRect(&p, &m->hit[i])) return i;
  return -1;
}

double mapview_land_share(const mapview *m) { return m->land_share; }
