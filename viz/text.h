/* text: strings drawn with SDL2_ttf through a bounded cache of textures. Rendering a
 * string with SDL2_ttf allocates a surface and a texture each time; the viewer draws
 * the same labels and many of the same numbers every frame, so textures are kept by
 * (string, pixel size, weight, colour) and the least recently used one is dropped when
 * the cache is full. Fonts are opened once per pixel size (a few sizes per layout).
 *
 * Ownership: text_cache_new returns a cache owned by the caller (text_cache_free),
 * which must be freed before its renderer. */
#ifndef VIZ_TEXT_H
#define VIZ_TEXT_H

#include <SDL.h>
#include <stddef.h>
#include <stdint.h>

#include "sim/error.h"

typedef struct text_cache text_cache;

enum { TEXT_LEFT = 0, TEXT_CENTER = 1, TEXT_RIGHT = 2, TEXT_MIDDLE = 4 /* y is the centre */ };

typedef struct text_stats {
  uint64_t hits, misses, evictions;
  uint64_t cuts;       /* strings text_fit had to shorten (a label too long for its box) */
  size_t entries, fonts;
} text_stats;

/* font: regular face; bold_font: may be NULL (the regular face is used); index: the
 * face within a collection (.ttc). max_entries: the bound on cached textures (>= 1). */
int text_cache_new(text_cache **out, SDL_Renderer *ren, const char *font, const char *bold_font,
                   long index, size_t max_entries, sim_error *err);
void text_cache_free(text_cache *tc);

/* Draws str with its top-left (or per align) at x, y. Returns the width drawn, 0 for
 * an empty string or a rendering failure (nothing is drawn then). */
int text_draw(text_cache *tc, const char *str, int px, int bold, SDL_Color c, int x, int y,
              int align);
/* The size str would take. Returns 0 or -1. */
int text_size(text_cache *tc, const char *str, int px, int bold, int *w, int *h);
/* Copies str into buf, shortened with an ellipsis when wider than maxw. */
void text_fit(text_cache *tc, const char *str, int px, int bold, int maxw, char *buf, size_t n);
/* Breaks str into at most two lines of width maxw (at a space, or between any two
 * characters of a text without spaces such as Japanese); line 2 is shortened with an
 * ellipsis if it still does not fit. Returns the number of lines (0 for ""). */
int text_wrap2(text_cache *tc, const char *str, int px, int bold, int maxw, char *l1, char *l2,
               size_t n);
/* Bytes of str that make its first line within maxw (all of it when it fits; 0 when
 * not even one character does). */
size_t text_break(text_cache *tc, const char *str, int px, int bold, int maxw);
/* The height of a line of text at px (the font's ascent plus descent). */
int text_height(text_cache *tc, int px, int bold);
void text_cache_stats(const text_cache *tc, text_stats *st);

#endif
