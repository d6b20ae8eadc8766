/* gfx: drawing primitives (see gfx.h). */
#include "viz/gfx.h"

#include <math.h>

static void set(SDL_Renderer *r, SDL_Color c) {
  SDL_SetRenderDrawBlendMode(r, c.a < 255 ? SDL_BLENDMODE_BLEND : SDL_BLENDMODE_NONE);
  SDL_SetRenderDrawColor(r, c.r, c.g, c.b, c.a);
}

void gfx_fill(SDL_Renderer *r, SDL_Rect rc, SDL_Color c) {
  if (rc.w <= 0 || rc.h <= 0) return;
  set(r, c);
  SDL_RenderFillRect(r, &rc);
}

void gfx_frame(SDL_Renderer *r, SDL_Rect rc, int thick, SDL_Color c) {
  if (rc.w <= 0 || rc.h <= 0) return;
  if (thick * 2 >= rc.w || thick * 2 >= rc.h) {
    gfx_fill(r, rc, c);
    return;
  }
  SDL_Rect e[4] = {{rc.x, rc.y, rc.w, thick},
                   {rc.x, rc.y + rc.h - thick, rc.w, thick},
                   {rc.x, rc.y + thick, thick, rc.h - 2 * thick},
                   {rc.x + rc.w - thick, rc.y + thick, thick, rc.h - 2 * thick}};
  set(r, c);
  SDL_RenderFillRects(r, e, 4);
}

void gfx_arrow(SDL_Renderer *r, int x0, int x1, int y, int head, SDL_Color c) {
  if (x1 - x0 < 3) return;
  if (head > (x1 - x0) / 2) head = (x1 - x0) / 2;
  set(r, c);
  SDL_Rect shaft = {x0, y - 1, x1 - x0 - head / 2, 2};
  SDL_RenderFillRect(r, &shaft);
  for (int i = 0; i < head; i++) /* a filled triangle, one column at a time */
    SDL_RenderDrawLine(r, x1 - head + i, y - (head - i) / 2, x1 - head + i, y + (head - i) / 2);
}

void gfx_disc(SDL_Renderer *r, int cx, int cy, int radius, SDL_Color c) {
  set(r, c);
  for (int dy = -radius; dy <= radius; dy++) {
    int dx = 0;
    while ((dx + 1) * (dx + 1) + dy * dy <= radius * radius) dx++;
    SDL_RenderDrawLine(r, cx - dx, cy + dy, cx + dx, cy + dy);
  }
}

void gfx_polyline(SDL_Renderer *r, const SDL_Point *p, int n, int thick, SDL_Color c) {
  if (n < 2) return;
  set(r, c);
  SDL_RenderDrawLines(r, p, n);
  for (int k = 1; k < thick; k++) {
    SDL_Point q[2];
    for (int i = 0; i + 1 < n; i++) {
      q[0] = (SDL_Point){p[i].x, p[i].y - k};
      q[1] = (SDL_Point){p[i + 1].x, p[i + 1].y - k};
      SDL_RenderDrawLines(r, q, 2);
    }
  }
}

void gfx_dashed(SDL_Renderer *r, int x0, int x1, int y, SDL_Color c) {
  set(r, c);
  for (int x = x0; x < x1; x += 8) SDL_RenderDrawLine(r, x, y, x + 4 < x1 ? x + 4 : x1, y);
}

SDL_Color gfx_mix(SDL_Color a, SDL_Color b, double t) {
  if (t < 0) t = 0;
  if (t > 1) t = 1;
  return (SDL_Color){(Uint8)(a.r + (b.r - a.r) * t), (Uint8)(a.g + (b.g - a.g) * t),
                     (Uint8)(a.b + (b.b - a.b) * t), (Uint8)(a.a + (b.a - a.a) * t)};
}

void gfx_line(SDL_Renderer *r, int x0, int y0, int x1, int y1, int thick, SDL_Color c) {
  set(r, c);
  int vertical = abs(y1 - y0) < abs(x1 - x0); /* thicken across the line's direction */
  for (int k = -(thick / 2); k <= (thick - 1) / 2; k++)
    SDL_RenderDrawLine(r, x0 + (vertical ? 0 : k), y0 + (vertical ? k : 0), x1 + (vertical ? 0 : k),
                       y1 + (vertical ? k : 0));
}

void gfx_cross(SDL_Renderer *r, SDL_Rect rc, SDL_Color c) {
  if (rc.w < 2 || rc.h < 2) return;
  gfx_line(r, rc.x, rc.y, rc.x + rc.w - 1, rc.y + rc.h - 1, 2, c);
  gfx_line(r, rc.x, rc.y + rc.h - 1, rc.x + rc.w - 1, rc.y, 2, c);
}

void gfx_star(SDL_Renderer *r, int cx, int cy, int radius, SDL_Color c) {
  gfx_disc(r, cx, cy, radius / 2, c);
  for (int k = 0; k < 8; k++) {
    double a = k * M_PI / 4, len = k % 2 ? radius * 0.7 : radius;
    gfx_line(r, cx, cy, cx + (int)(len * cos(a)), cy + (int)(len * sin(a)), 3, c);
  }
}

void gfx_circle(SDL_Renderer *r, int cx, int cy, int radius, int thick, SDL_Color c) {
  set(r, c);
  int n = radius < 8 ? 16 : radius < 64 ? 48 : 128;
  for (int t = 0; t < thick; t++) {
    double rr = radius - t;
    for (int i = 0; i < n; i++) {
      double a0 = 2 * M_PI * i / n, a1 = 2 * M_PI * (i + 1) / n;
      SDL_RenderDrawLine(r, cx + (int)lround(rr * cos(a0)), cy + (int)lround(rr * sin(a0)),
                         cx + (int)lround(rr * cos(a1)), cy + (int)lround(rr * sin(a1)));
    }
  }
}
