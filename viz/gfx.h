/* gfx: the few drawing primitives SDL's renderer lacks (thick frames, arrows, discs,
 * thick polylines), in one place so every part of the viewer draws alike. */
#ifndef VIZ_GFX_H
#define VIZ_GFX_H

#include <SDL.h>

void gfx_fill(SDL_Renderer *r, SDL_Rect rc, SDL_Color c);
void gfx_frame(SDL_Renderer *r, SDL_Rect rc, int thick, SDL_Color c);
/* A horizontal arrow from x0 to x1 (pointing right) at height y. */
void gfx_arrow(SDL_Renderer *r, int x0, int x1, int y, int head, SDL_Color c);
void gfx_disc(SDL_Renderer *r, int cx, int cy, int radius, SDL_Color c);
/* A polyline drawn `thick` pixels high (stacked copies; good enough for sparklines). */
void gfx_polyline(SDL_Renderer *r, const SDL_Point *p, int n, int thick, SDL_Color c);
/* A dashed horizontal line. */
void gfx_dashed(SDL_Renderer *r, int x0, int x1, int y, SDL_Color c);
/* A cross from corner to corner of r (a unit out of service). */
void gfx_cross(SDL_Renderer *r, SDL_Rect rc, SDL_Color c);
/* An eight-pointed burst of radius `radius` (a find). */
void gfx_star(SDL_Renderer *r, int cx, int cy, int radius, SDL_Color c);
/* A line `thick` pixels wide (stacked offsets). */
void gfx_line(SDL_Renderer *r, int x0, int y0, int x1, int y1, int thick, SDL_Color c);
/* A circle's outline. */
void gfx_circle(SDL_Renderer *r, int cx, int cy, int radius, int thick, SDL_Color c);
SDL_Color gfx_mix(SDL_Color a, SDL_Color b, double t); /* a..b */

#endif
