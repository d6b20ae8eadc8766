/* panel: KPI panel and sparklines (see panel.h). */
#include "viz/panel.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>

#include "viz/fmt.h"
#include "viz/gfx.h"
#include "viz/ring.h"
#include "viz/theme.h"

/* a little more than the window, so the left edge of a sparkline is never empty */
#define PANEL_RING_CAP 152 /* PANEL_WINDOW_MIN / PANEL_SAMPLE_MIN + 8 */

struct panel {
  size_t nch;
  view_ring *ring; /* per channel: queue, graded p95 */
  double *tmp;
  double next_min;
};

int panel_new(panel **out, size_t nch) {
  *out = NULL;
  panel *p = calloc(1, sizeof *p);
  if (!p) return SIM_ENOMEM;
  p->nch = nch;
  p->tmp = calloc(2 * nch + 1, sizeof *p->tmp);
  if (!p->tmp || ring_new(&p->ring, PANEL_RING_CAP, 2 * nch + 1)) {
    panel_free(p);
    return SIM_ENOMEM;
  }
  p->next_min = -1;
  *out = p;
  return 0;
}

void panel_free(panel *p) {
  if (!p) return;
  ring_free(p->ring);
  free(p->tmp);
  free(p);
}

long panel_channel_queue(const snapshot *s, const view_hints *hints, size_t c) {
  long q = 0;
  const snap_channel *ch = &s->ch[c];
  for (size_t k = 0; k < ch->nroute; k++) {
    int st = ch->route[k];
    if (st < 0 || (size_t)st >= s->nst) continue;
    q += s->st[st].queue;
    for (size_t j = 0; hints && hints->attach && j < s->nst; j++)
      if (hints->attach[j] == st) q += s->st[j].queue;
  }
  return q;
}

void panel_sample(panel *p, const snapshot *s, const view_hints *hints) {
  double last = ring_last_t(p->ring);
  if (!isnan(last) && s->now_min < last) p->next_min = -1; /* went back: a replay restarted */
  if (p->next_min >= 0 && s->now_min < p->next_min) return;
  for (size_t c = 0; c < p->nch && c < s->nch; c++) {
    double v;
    theme_channel_status(&s->ch[c], &v, NULL, NULL);
    p->tmp[2 * c] = (double)panel_channel_queue(s, hints, c);
    p->tmp[2 * c + 1] = v;
  }
  ring_push(p->ring, s->now_min, p->tmp);
  double dt = s->frame_min > 0 ? s->frame_min : PANEL_SAMPLE_MIN; /* the recorded frames' times */
  p->next_min = (floor(s->now_min / dt + 1e-9) + 1) * dt;
}

/* One sparkline of series k in r over the window ending at now; target < 0: none. */
static void spark(const panel *p, const view_ctx *v, SDL_Rect r, size_t k, double now,
                  double target) {
  const layout *l = v->lay;
  gfx_fill(v->ren, r, (SDL_Color){0xf8, 0xf9, 0xfa, 255});
  double t0 = now - PANEL_WINDOW_MIN, vmax = target > 0 ? target * 1.3 : 0;
  size_t n = ring_len(p->ring);
  for (size_t i = 0; i < n; i++) {
    double x = ring_v(p->ring, i, k);
    if (ring_t(p->ring, i) >= t0 && isfinite(x) && x > vmax) vmax = x;
  }
  if (vmax <= 0) vmax = 1;
  SDL_Point pts[PANEL_RING_CAP];
  int np = 0;
  for (size_t i = 0; i < n; i++) {
    double t = ring_t(p->ring, i), x = ring_v(p->ring, i, k);
    if (t < t0 || !isfinite(x)) continue;
    int px = r.x + (int)((t - t0) / PANEL_WINDOW_MIN * (r.w - 1));
    int py = r.y + r.h - 1 - (int)(x / vmax * (r.h - 2));
    gfx_fill(v->ren, (SDL_Rect){px, py, 1, r.y + r.h - py}, theme_color(TH_SPARK_FILL));
    pts[np++] = (SDL_Point){px, py};
  }
  if (target > 0) {
    int ty = r.y + r.h - 1 - (int)(target / vmax * (r.h - 2));
    gfx_dashed(v->ren, r.x, r.x + r.w, ty, theme_status_color(THEME_RED));
  }
  gfx_polyline(v->ren, pts, np, l->h >= 900 ? 3 : 2, theme_color(TH_SPARK));
}

static void channel_block(const panel *p, const view_ctx *v, size_t c, SDL_Rect b) {
  const layout *l = v->lay;
  const snap_channel *ch = &v->snap->ch[c];
  double val, tgt;
  int wait;
  theme_channel_status(ch, &val, &tgt, &wait);
  theme_status st = theme_channel_grade(v->snap, (int)c);
  char name[200], fit[200], buf[200], a[32], d[32], e[32], f[32];
  int x = b.x + l->pad, w = b.w - 2 * l->pad, y = b.y + l->pad / 2, dot = l->font / 3 + 1;
  int lh = l->font;
  text_size(v->tc, "Ag", l->font, 1, NULL, &lh); /* the dot sits on the text's middle */
  gfx_disc(v->ren, x + dot, y + lh / 2, dot, theme_status_color(st));
  fmt_duration_l(val, v->lang == LANG_JA, d, sizeof d);
  fmt_duration_l(tgt, v->lang == LANG_JA, e, sizeof e);
  SDL_Color sc = st == THEME_NONE ? theme_color(TH_TEXT_DIM) : theme_status_color(st);
  int vw = text_draw(v->tc, d, l->font, 1, sc, x + w, y, TEXT_RIGHT);
  draw_lane_title(v, (int)c, name, sizeof name);
  text_fit(v->tc, name, l->font, 1, w - vw - 3 * dot - l->pad, fit, sizeof fit);
  text_draw(v->tc, fit, l->font, 1, theme_color(TH_TEXT), x + 3 * dot, y, TEXT_LEFT);
  y += text_height(v->tc, l->font, 1);
  int room = b.y + b.h - y, line = text_height(v->tc, l->font_small, 0);
  snprintf(buf, sizeof buf, "%s · %s %s", i18n_text(v->lang, wait ? L_WAIT_P95 : L_RELEASE_P95),
           i18n_text(v->lang, L_TARGET), e);
  text_fit(v->tc, buf, l->font_small, 0, w, fit, sizeof fit);
  text_draw(v->tc, fit, l->font_small, 0, sc, x, y, TEXT_LEFT);
  y += line;
  fmt_count(ch->arrived, a, sizeof a);
  fmt_count(ch->released, d, sizeof d);
  snprintf(buf, sizeof buf, "%s %s · %s %s", i18n_text(v->lang, L_ARRIVED), a,
           i18n_text(v->lang, L_RELEASED), d);
  text_fit(v->tc, buf, l->font_small, 0, w, fit, sizeof fit);
  text_draw(v->tc, fit, l->font_small, 0, theme_color(TH_TEXT_DIM), x, y, TEXT_LEFT);
  y += line;
  if (room > 4 * line + 14) {
    int64_t finds = 0;
    for (int k = 1; k < KPI_SEIZE_N; k++) finds += ch->finds[k];
    fmt_count(ch->inspected, a, sizeof a);
    fmt_count(finds, f, sizeof f);
    fmt_count(ch->seized, d, sizeof d);
    snprintf(buf, sizeof buf, i18n_text(v->lang, L_FINDS_WORDS), a, f, d);
    text_fit(v->tc, buf, l->font_small, 0, w, fit, sizeof fit);
    text_draw(v->tc, fit, l->font_small, 0, theme_color(TH_TEXT_DIM), x, y, TEXT_LEFT);
    y += line;
  }
  int sh = b.y + b.h - y - l->pad;
  if (sh < 10) return;
  int sw = (w - l->pad) / 2;
  SDL_Rect q = {x, y, sw, sh}, r = {x + sw + l->pad, y, sw, sh};
  spark(p, v, q, 2 * c, v->snap->now_min, -1);
  spark(p, v, r, 2 * c + 1, v->snap->now_min, tgt > 0 ? tgt : -1);
  fmt_count(panel_channel_queue(v->snap, v->hints, c), a, sizeof a);
  snprintf(buf, sizeof buf, "%s %s", i18n_text(v->lang, L_QUEUE), a);
  text_draw(v->tc, buf, l->font_small * 9 / 10, 0, theme_color(TH_TEXT_DIM), q.x + 2, q.y + 1,
            TEXT_LEFT);
  text_draw(v->tc, "p95", l->font_small * 9 / 10, 0, theme_color(TH_TEXT_DIM), r.x + 2, r.y + 1,
            TEXT_LEFT);
}

static void disruption(const view_ctx *v, SDL_Rect b) {
  const layout *l = v->lay;
  const snapshot *s = v->snap;
  int x = b.x + l->pad, w = b.w - 2 * l->pad, y = b.y + l->pad;
  char buf[192], fit[192], d[32], e[32];
  if (!s->disruption_active) {
    text_draw(v->tc, i18n_text(v->lang, L_NO_DISRUPTION), l->font_small, 0,
              theme_color(TH_TEXT_DIM), x, y, TEXT_LEFT);
    return;
  }
  double since_h = (s->now_min - s->disruption_since_min) / 60.0;
  theme_status st = theme_status_of(since_h, s->rto_h);
  SDL_Color red = theme_status_color(THEME_RED);
  gfx_fill(v->ren, (SDL_Rect){b.x, b.y, 4, b.h}, red);
  char dn[160];
  if (!i18n_label(v->lang, s->disruption_label, dn, sizeof dn))
    snprintf(dn, sizeof dn, "%s", s->disruption_name ? s->disruption_name : "?");
  snprintf(buf, sizeof buf, "%s: %s", i18n_text(v->lang, L_DISRUPTION), dn);
  text_fit(v->tc, buf, l->font, 1, w, fit, sizeof fit);
  text_draw(v->tc, fit, l->font, 1, red, x, y, TEXT_LEFT);
  y += text_height(v->tc, l->font, 1);
  fmt_duration_l(since_h * 60, v->lang == LANG_JA, d, sizeof d);
  fmt_duration_l(s->rto_h * 60, v->lang == LANG_JA, e, sizeof e);
  snprintf(buf, sizeof buf, "%s %s / %s %s", d, i18n_text(v->lang, L_SINCE),
           i18n_text(v->lang, L_RTO), e);
  text_fit(v->tc, buf, l->font_small, 1, w, fit, sizeof fit);
  text_draw(v->tc, fit, l->font_small, 1, theme_status_color(st == THEME_NONE ? THEME_RED : st), x,
            y, TEXT_LEFT);
  y += text_height(v->tc, l->font_small, 1);
  if (s->rto_h > 0) {
    SDL_Rect bar = {x, y, w, l->font / 2};
    double f = since_h / s->rto_h;
    gfx_fill(v->ren, bar, (SDL_Color){0xe9, 0xec, 0xef, 255});
    gfx_fill(v->ren, (SDL_Rect){x, y, (int)(w * (f > 1 ? 1 : f)), bar.h}, theme_status_color(st));
  }
}

static void drills_line(const view_ctx *v, const view_drills *dr, SDL_Rect b) {
  const layout *l = v->lay;
  char buf[256], fit[256], when[64];
  size_t n = dr ? drills_count(dr) : 0;
  if (!n) {
    snprintf(buf, sizeof buf, "%s: %s", i18n_text(v->lang, L_DRILLS),
             i18n_text(v->lang, L_NO_DRILLS));
  } else {
    const view_drill *d = drills_at(dr, n - 1);
    fmt_clock(v->snap->start_iso, d->t_min, v->lang == LANG_JA, when, sizeof when);
    snprintf(buf, sizeof buf, "%s (%zu): %s%s%s%s · %s", i18n_text(v->lang, L_DRILLS), n,
             i18n_drill(v->lang, d->kind), d->target[0] ? " (" : "", d->target,
             d->target[0] ? ")" : "", when);
  }
  text_fit(v->tc, buf, l->font_small, 0, b.w - 2 * l->pad, fit, sizeof fit);
  text_draw(v->tc, fit, l->font_small, 0, theme_color(TH_TEXT), b.x + l->pad, b.y + l->pad / 2,
            TEXT_LEFT);
}

void panel_draw(const panel *p, const view_ctx *v, const view_drills *drills) {
  const layout *l = v->lay;
  SDL_Rect P = l->panel;
  gfx_fill(v->ren, P, theme_color(TH_PANEL));
  gfx_fill(v->ren, (SDL_Rect){P.x, P.y, 2, P.h}, theme_color(TH_RULE));
  int y = P.y + l->pad;
  text_draw(v->tc, i18n_text(v->lang, L_CHANNELS), l->font, 1, theme_color(TH_TEXT),
            P.x + l->pad + 2, y, TEXT_LEFT);
  text_draw(v->tc, i18n_text(v->lang, L_LAST_HOURS), l->font_small, 0, theme_color(TH_TEXT_DIM),
            P.x + P.w - l->pad, y + 2, TEXT_RIGHT);
  y += l->font + l->pad;
  int dis_h = l->font + l->font_small + l->font / 2 + 3 * l->pad, dr_h = l->font_small + l->pad;
  int bottom = P.y + P.h - dis_h - dr_h;
  size_t nch = v->snap->nch < p->nch ? v->snap->nch : p->nch, shown = 0;
  /* with a port open, its own channels (the lanes on screen); else every port's */
  for (size_t c = 0; c < nch; c++) shown += l->port < 0 || v->snap->ch[c].port == l->port;
  int bh = shown ? (bottom - y) / (int)shown : 0;
  if (bh > l->font * 10) bh = l->font * 10; /* few channels: no towering sparklines */
  for (size_t c = 0, k = 0; c < nch; c++) {
    if (l->port >= 0 && v->snap->ch[c].port != l->port) continue;
    SDL_Rect b = {P.x + 2, y + (int)k * bh, P.w - 2, bh};
    if (k++)
      gfx_fill(v->ren, (SDL_Rect){b.x + l->pad, b.y, b.w - 2 * l->pad, 1},
               (SDL_Color){0xe9, 0xec, 0xef, 255});
    channel_block(p, v, c, b);
  }
  gfx_fill(v->ren, (SDL_Rect){P.x + 2, bottom, P.w - 2, 1}, theme_color(TH_RULE));
  disruption(v, (SDL_Rect){P.x + 2, bottom, P.w - 2, dis_h});
  drills_line(v, drills, (SDL_Rect){P.x + 2, bottom + dis_h, P.w - 2, dr_h});
}
