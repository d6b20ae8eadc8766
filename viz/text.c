/* text: SDL2_ttf text with an LRU texture cache (see text.h). Entries live in one array;
 * a hash table of chains finds them and a doubly linked list keeps them in use order,
 * so a lookup, an insertion and an eviction each cost O(1). */
#include "viz/text.h"

#include <SDL_ttf.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define TEXT_MAX_FONTS 16 /* pixel sizes x weights kept open; more are closed LRU-first */
#define TEXT_MAX_LEN 512  /* longer strings are drawn cut, never cached unbounded */
#define NIL ((size_t)-1)

typedef struct entry {
  char *str;
  int px, bold;
  uint32_t rgba, hash;
  SDL_Texture *tex;
  int w, h;
  size_t hnext;       /* next in the hash chain */
  size_t prev, next;  /* use order: head is the most recent */
} entry;

typedef struct font_slot {
  TTF_Font *f;
  int px, bold;
  uint64_t used;
} font_slot;

struct text_cache {
  SDL_Renderer *ren;
  char *path[2];
  long index;
  font_slot fonts[TEXT_MAX_FONTS];
  uint64_t tick;
  entry *e;
  size_t cap, n, nbucket;
  size_t *bucket;
  size_t head, tail, free_list; /* free_list chains unused slots through hnext */
  text_stats st;
  int report_cuts; /* CUSTOMS_VIEW_CUTS set: name each shortened string on stderr */
};

static uint32_t key_hash(const char *s, int px, int bold, uint32_t rgba) {
  uint32_t h = 2166136261u;
  for (; *s; s++) h = (h ^ (uint8_t)*s) * 16777619u;
  h = (h ^ (uint32_t)px) * 16777619u;
  h = (h ^ (uint32_t)bold) * 16777619u;
  return (h ^ rgba) * 16777619u;
}

static uint32_t rgba_of(SDL_Color c) {
  return (uint32_t)c.r << 24 | (uint32_t)c.g << 16 | (uint32_t)c.b << 8 | c.a;
}

int text_cache_new(text_cache **out, SDL_Renderer *ren, const char *font, const char *bold_font,
                   long index, size_t max_entries, sim_error *err) {
  *out = NULL;
  if (!font || !max_entries) return sim_error_set(err, SIM_EINVAL, "no font for the viewer");
  if (!TTF_WasInit() && TTF_Init())
    return sim_error_set(err, SIM_ERUN, "SDL_ttf: %s", TTF_GetError());
  TTF_Font *probe = TTF_OpenFontIndex(font, 12, index);
  if (!probe) return sim_error_set(err, SIM_EIO, "cannot open font '%s': %s", font, TTF_GetError());
  TTF_CloseFont(probe);
  text_cache *tc = calloc(1, sizeof *tc);
  if (!tc) return sim_error_set(err, SIM_ENOMEM, "out of memory");
  tc->ren = ren;
  tc->index = index;
  tc->report_cuts = getenv("CUSTOMS_VIEW_CUTS") != NULL;
  tc->cap = max_entries;
  tc->nbucket = 16;
  while (tc->nbucket < 2 * max_entries) tc->nbucket *= 2;
  tc->path[0] = strdup(font);
  tc->path[1] = strdup(bold_font ? bold_font : font);
  tc->e = calloc(max_entries, sizeof *tc->e);
  tc->bucket = malloc(tc->nbucket * sizeof *tc->bucket);
  if (!tc->path[0] || !tc->path[1] || !tc->e || !tc->bucket) {
    text_cache_free(tc);
    return sim_error_set(err, SIM_ENOMEM, "out of memory");
  }
  for (size_t i = 0; i < tc->nbucket; i++) tc->bucket[i] = NIL;
  for (size_t i = 0; i < max_entries; i++) tc->e[i].hnext = i + 1 < max_entries ? i + 1 : NIL;
  tc->free_list = 0;
  tc->head = tc->tail = NIL;
  *out = tc;
  return 0;
}

void text_cache_free(text_cache *tc) {
  if (!tc) return;
  for (size_t i = tc->head; i != NIL; i = tc->e[i].next) {
    SDL_DestroyTexture(tc->e[i].tex);
    free(tc->e[i].str);
  }
  for (int i = 0; i < TEXT_MAX_FONTS; i++)
    if (tc->fonts[i].f) TTF_CloseFont(tc->fonts[i].f);
  free(tc->path[0]);
  free(tc->path[1]);
  free(tc->e);
  free(tc->bucket);
  free(tc);
}

static TTF_Font *font_for(text_cache *tc, int px, int bold) {
  bold = !!bold;
  int lru = 0;
  tc->tick++;
  for (int i = 0; i < TEXT_MAX_FONTS; i++) {
    font_slot *s = &tc->fonts[i];
    if (s->f && s->px == px && s->bold == bold) {
      s->used = tc->tick;
      return s->f;
    }
    if (!s->f || (tc->fonts[lru].f && s->used < tc->fonts[lru].used)) lru = i;
  }
  font_slot *s = &tc->fonts[lru];
  if (s->f) TTF_CloseFont(s->f);
  s->f = TTF_OpenFontIndex(tc->path[bold], px, tc->index);
  s->px = px;
  s->bold = bold;
  s->used = tc->tick;
  return s->f;
}

static void list_unlink(text_cache *tc, size_t i) {
  entry *e = &tc->e[i];
  if (e->prev != NIL) tc->e[e->prev].next = e->next; else tc->head = e->next;
  if (e->next != NIL) tc->e[e->next].prev = e->prev; else tc->tail = e->prev;
}

static void list_push_front(text_cache *tc, size_t i) {
  entry *e = &tc->e[i];
  e->prev = NIL;
  e->next = tc->head;
  if (tc->head != NIL) tc->e[tc->head].prev = i;
  tc->head = i;
  if (tc->tail == NIL) tc->tail = i;
}

static void evict_lru(text_cache *tc) {
  size_t i = tc->tail;
  entry *e = &tc->e[i];
  size_t *p = &tc->bucket[e->hash & (tc->nbucket - 1)];
  while (*p != i) p = &tc->e[*p].hnext;
  *p = e->hnext;
  list_unlink(tc, i);
  SDL_DestroyTexture(e->tex);
  free(e->str);
  memset(e, 0, sizeof *e);
  e->hnext = tc->free_list;
  tc->free_list = i;
  tc->n--;
  tc->st.evictions++;
}

/* The cached entry for the key, rendered on a miss; NULL if rendering fails. */
static entry *lookup(text_cache *tc, const char *str, int px, int bold, SDL_Color c) {
  uint32_t rgba = rgba_of(c), h = key_hash(str, px, bold, rgba);
  size_t *b = &tc->bucket[h & (tc->nbucket - 1)];
  for (size_t i = *b; i != NIL; i = tc->e[i].hnext) {
    entry *e = &tc->e[i];
    if (e->hash == h && e->px == px && e->bold == bold && e->rgba == rgba && !strcmp(e->str, str)) {
      list_unlink(tc, i);
      list_push_front(tc, i);
      tc->st.hits++;
      return e;
    }
  }
  tc->st.misses++;
  TTF_Font *f = font_for(tc, px, bold);
  if (!f) return NULL;
  SDL_Surface *s = TTF_RenderUTF8_Blended(f, str, c);
  if (!s) return NULL;
  SDL_Texture *tex = SDL_CreateTextureFromSurface(tc->ren, s);
  int w = s->w, hh = s->h;
  SDL_FreeSurface(s);
  char *copy = strdup(str);
  if (!tex || !copy) {
    SDL_DestroyTexture(tex);
    free(copy);
    return NULL;
  }
  if (tc->n == tc->cap) evict_lru(tc);
  size_t i = tc->free_list;
  entry *e = &tc->e[i];
  tc->free_list = e->hnext;
  *e = (entry){copy, px, !!bold, rgba, h, tex, w, hh, *b, NIL, NIL};
  *b = i;
  list_push_front(tc, i);
  tc->n++;
  return e;
}

int text_draw(text_cache *tc, const char *str, int px, int bold, SDL_Color c, int x, int y,
              int align) {
  if (!str || !*str || px < 1) return 0;
  char cut[TEXT_MAX_LEN];
  if (strlen(str) >= sizeof cut) {
    snprintf(cut, sizeof cut, "%s", str);
    str = cut;
  }
  entry *e = lookup(tc, str, px, bold, c);
  if (!e) return 0;
  SDL_Rect r = {x, y, e->w, e->h};
  if ((align & 3) == TEXT_CENTER) r.x -= e->w / 2;
  else if ((align & 3) == TEXT_RIGHT) r.x -= e->w;
  if (align & TEXT_MIDDLE) r.y -= e->h / 2;
  SDL_RenderCopy(tc->ren, e->tex, NULL, &r);
  return e->w;
}

int text_size(text_cache *tc, const char *str, int px, int bold, int *w, int *h) {
  TTF_Font *f = px >= 1 ? font_for(tc, px, bold) : NULL;
  int ww = 0, hh = 0;
  if (!f || (str && *str && TTF_SizeUTF8(f, str, &ww, &hh))) return -1;
  if (!str || !*str) hh = TTF_FontHeight(f);
  if (w) *w = ww;
  if (h) *h = hh;
  return 0;
}

void text_fit(text_cache *tc, const char *str, int px, int bold, int maxw, char *buf, size_t n) {
  static const char ell[] = "\u2026";
  int w;
  if (!n) return;
  snprintf(buf, n, "%s", str ? str : "");
  if (text_size(tc, buf, px, bold, &w, NULL) || w <= maxw) return;
  tc->st.cuts++;
  if (tc->report_cuts) fprintf(stderr, "customs-view: cut to %d px: %s\n", maxw, buf);
  /* binary search over the offsets where a UTF-8 character starts: the longest prefix
   * that fits with the ellipsis */
  size_t cut[TEXT_MAX_LEN], nc = 0, len = strlen(buf);
  for (size_t i = 1; i < len && nc < TEXT_MAX_LEN; i++)
    if (((uint8_t)buf[i] & 0xC0) != 0x80) cut[nc++] = i;
  char tmp[TEXT_MAX_LEN + 8];
  size_t lo = 0, hi = nc; /* answer: cut[k - 1] for the largest fitting k, 0 if none */
  while (lo < hi) {
    size_t mid = (lo + hi + 1) / 2;
    snprintf(tmp, sizeof tmp, "%.*s%s", (int)cut[mid - 1], buf, ell);
    if (!text_size(tc, tmp, px, bold, &w, NULL) && w <= maxw) lo = mid;
    else hi = mid - 1;
  }
  if (lo == 0) {
    buf[0] = '\0';
    return;
  }
  snprintf(tmp, sizeof tmp, "%.*s%s", (int)cut[lo - 1], buf, ell);
  snprintf(buf, n, "%s", tmp);
}

/* Line-breaking rules for Japanese (kinsoku): a line never starts with closing
 * punctuation and never ends with an opening bracket. */
static int starts_with_any(const char *s, const char *const *set) {
  for (; *set; set++)
    if (!strncmp(s, *set, strlen(*set))) return 1;
  return 0;
}

static const char *const opening[] = {"（", "「", "『", "【", "〔", "(", "[", NULL};

static int may_break_at(const char *str, size_t i) {
  static const char *const closing[] = {"）", "」", "』", "】", "〕", "、", "。", "，", "．", "・",
                                        "ー", ")", "]", ",", ".", ":", NULL};
  if (starts_with_any(str + i, closing)) return 0;
  size_t k = i; /* the character before the break */
  while (k > 0 && ((uint8_t)str[--k] & 0xC0) == 0x80) {}
  return !starts_with_any(str + k, opening);
}

/* A katakana character (U+30A0..U+30FF, the long-vowel mark included) at s. */
static int katakana_at(const char *s) {
  const uint8_t *u = (const uint8_t *)s;
  return u[0] == 0xE3 && ((u[1] == 0x82 && u[2] >= 0xA0) || u[1] == 0x83);
}

/* Whether a break at i splits a katakana word (ゲー|ト): allowed, but a last resort. */
static int inside_katakana(const char *str, size_t i) {
  size_t k = i;
  while (k > 0 && ((uint8_t)str[--k] & 0xC0) == 0x80) {}
  return katakana_at(str + k) && katakana_at(str + i);
}

size_t text_break(text_cache *tc, const char *str, int px, int bold, int maxw) {
  int w;
  size_t len = strlen(str);
  if (!text_size(tc, str, px, bold, &w, NULL) && w <= maxw) return len;
  /* the longest first line that fits, preferring a break at a space, after a hyphen or
   * before a bracket, then one that keeps a katakana word whole */
  size_t best = 0, best_space = 0, best_word = 0;
  char tmp[TEXT_MAX_LEN];
  for (size_t i = 1; i < len && i < sizeof tmp; i++) {
    if (((uint8_t)str[i] & 0xC0) == 0x80) continue; /* inside a UTF-8 character */
    snprintf(tmp, sizeof tmp, "%.*s", (int)i, str);
    if (text_size(tc, tmp, px, bold, &w, NULL) || w > maxw) break;
    if (!may_break_at(str, i)) continue;
    best = i;
    if (!inside_katakana(str, i)) best_word = i;
    if (str[i] == ' ' || str[i - 1] == '-' || starts_with_any(str + i, opening)) best_space = i;
  }
  return best_space ? best_space : best_word ? best_word : best;
}

int text_wrap2(text_cache *tc, const char *str, int px, int bold, int maxw, char *l1, char *l2,
               size_t n) {
  l1[0] = l2[0] = '\0';
  if (!str || !*str) return 0;
  size_t cut = text_break(tc, str, px, bold, maxw);
  if (cut >= strlen(str)) {
    snprintf(l1, n, "%s", str);
    return 1;
  }
  if (!cut) {
    text_fit(tc, str, px, bold, maxw, l1, n);
    return 1;
  }
  snprintf(l1, n, "%.*s", (int)cut, str);
  const char *rest = str + cut;
  while (*rest == ' ') rest++;
  text_fit(tc, rest, px, bold, maxw, l2, n);
  return 2;
}

int text_height(text_cache *tc, int px, int bold) {
  TTF_Font *f = px >= 1 ? font_for(tc, px, bold) : NULL;
  return f ? TTF_FontHeight(f) : px + 2;
}

void text_cache_stats(const text_cache *tc, text_stats *st) {
  *st = tc->st;
  st->entries = tc->n;
  st->fonts = 0;
  for (int i = 0; i < TEXT_MAX_FONTS; i++) st->fonts += tc->fonts[i].f != NULL;
}
