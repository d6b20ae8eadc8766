/* compare: the split screen's middle column and the drill scorecard (see compare.h). */
#include "viz/compare.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "viz/fmt.h"
#include "viz/gfx.h"
#include "viz/theme.h"

int compare_width(int w) { return w >= 1600 ? w / 6 : w / 5; }

/* "+1,234" / "−56" / "0" */
static void signed_count(double d, char *buf, size_t n) {
  char num[32];
  fmt_count((int64_t)llround(fabs(d)), num, sizeof num);
  snprintf(buf, n, "%s%s", d > 0.5 ? "+" : d < -0.5 ? "−" : "", num);
}

static void signed_duration(double d, int ja, char *buf, size_t n) {
  char num[32];
  if (isnan(d)) {
    snprintf(buf, n, "–");
    return;
  }
  fmt_duration_l(fabs(d), ja, num, sizeof num);
  snprintf(buf, n, "%s%s", d > 0 ? "+" : d < 0 ? "−" : "", num);
}

/* Better (green) when B is lower, worse (red) when higher. */
static SDL_Color tone(double d) {
  return d > 0.5    ? theme_status_color(THEME_RED)
         : d < -0.5 ? theme_status_color(THEME_GREEN)
                    : theme_color(TH_TEXT_DIM);
}

void compare_draw(const view_ctx *v, const snapshot *b, SDL_Rect r) {
  const layout *l = v->lay;
  const snapshot *a = v->snap;
  int ja = v->lang == LANG_JA, x = r.x + l->pad, w = r.w - 2 * l->pad, y = r.y + l->pad;
  gfx_fill(v->ren, r, theme_color(TH_PANEL));
  gfx_fill(v->ren, (SDL_Rect){r.x, r.y, 2, r.h}, theme_color(TH_RULE));
  gfx_fill(v->ren, (SDL_Rect){r.x + r.w - 2, r.y, 2, r.h}, theme_color(TH_RULE));
  char buf[200], fit[200], d[64];
  text_draw(v->tc, i18n_text(v->lang, L_DIFF), l->font_big, 1, theme_color(TH_TEXT), r.x + r.w / 2,
            y, TEXT_CENTER);
  y += text_height(v->tc, l->font_big, 1) + l->pad;
  int fs = l->font_small, lh = text_height(v->tc, fs, 0);
  for (size_t p = 0; p < a->nport && p < b->nport && y < r.y + r.h - 3 * lh; p++) {
    char name[160];
    if (!i18n_label(v->lang, a->port[p].label, name, sizeof name))
      snprintf(name, sizeof name, "%s", a->port[p].name[0] ? a->port[p].name : a->scenario);
    text_fit(v->tc, name, fs, 1, w, fit, sizeof fit);
    text_draw(v->tc, fit, fs, 1, theme_color(TH_TEXT), x, y, TEXT_LEFT);
    y += lh;
    double dd = (double)(b->port[p].backlog - a->port[p].backlog);
    signed_count(dd, d, sizeof d);
    snprintf(buf, sizeof buf, "%s %s", i18n_text(v->lang, L_IN_PORT), d);
    text_fit(v->tc, buf, fs, 0, w, fit, sizeof fit);
    text_draw(v->tc, fit, fs, 0, tone(dd), x, y, TEXT_LEFT);
    y += lh + l->pad / 2;
  }
  gfx_fill(v->ren, (SDL_Rect){x, y, w, 1}, theme_color(TH_RULE));
  y += l->pad;
  for (size_t c = 0; c < a->nch && c < b->nch && y < r.y + r.h - 4 * lh; c++) {
    char name[200];
    draw_channel_name(v, (int)c, name, sizeof name);
    if (a->nport > 1) {
      char pn[160], tmp[200];
      if (!i18n_label(v->lang, a->port[a->ch[c].port].label, pn, sizeof pn))
        snprintf(pn, sizeof pn, "%s", a->port[a->ch[c].port].name);
      snprintf(tmp, sizeof tmp, "%s", name);
      snprintf(name, sizeof name, "%s", pn);
    }
    text_fit(v->tc, name, fs, 1, w, fit, sizeof fit);
    text_draw(v->tc, fit, fs, 1, theme_color(TH_TEXT), x, y, TEXT_LEFT);
    y += lh;
    double va, ta, vb;
    int wait;
    theme_channel_status(&a->ch[c], &va, &ta, &wait);
    theme_channel_status(&b->ch[c], &vb, NULL, NULL);
    signed_duration(vb - va, ja, d, sizeof d);
    snprintf(buf, sizeof buf, "%s %s", i18n_text(v->lang, wait ? L_WAIT_P95 : L_RELEASE_P95), d);
    text_fit(v->tc, buf, fs, 0, w, fit, sizeof fit);
    text_draw(v->tc, fit, fs, 0, tone(isnan(vb - va) ? 0 : (vb - va) * 100), x, y, TEXT_LEFT);
    y += lh;
    double dr = (double)(b->ch[c].released - a->ch[c].released);
    signed_count(dr, d, sizeof d);
    snprintf(buf, sizeof buf, "%s %s", i18n_text(v->lang, L_RELEASED), d);
    text_fit(v->tc, buf, fs, 0, w, fit, sizeof fit);
    text_draw(v->tc, fit, fs, 0, tone(-dr), x, y, TEXT_LEFT);
    y += lh + l->pad / 2;
  }
}

static void score_row(const view_ctx *v, const kpi_recovery *k, int x, int y, int w,
                      SDL_Color ink) {
  const layout *l = v->lay;
  char buf[200], a[32], b[32], c[32];
  int ja = v->lang == LANG_JA;
  fmt_count((int64_t)llround(k->peak_backlog > 0 ? k->peak_backlog : 0), a, sizeof a);
  if (isnan(k->time_to_normal_h)) snprintf(b, sizeof b, "%s", i18n_text(v->lang, L_NOT_NORMAL));
  else fmt_duration_l(k->time_to_normal_h * 60, ja, b, sizeof b);
  fmt_duration_l(k->rto_h * 60, ja, c, sizeof c);
  snprintf(buf, sizeof buf, "%s %s · %s %s · %s %s", i18n_text(v->lang, L_PEAK), a,
           i18n_text(v->lang, L_TIME_NORMAL), b, i18n_text(v->lang, L_RTO), c);
  char fit[200];
  text_fit(v->tc, buf, l->font_small, 0, w, fit, sizeof fit);
  text_draw(v->tc, fit, l->font_small, 0, ink, x, y, TEXT_LEFT);
  if (!isnan(k->rto_h)) {
    const char *met = i18n_text(v->lang, k->rto_met ? L_RTO_MET : L_RTO_MISSED);
    text_draw(v->tc, met, l->font_small, 1,
              theme_status_color(k->rto_met ? THEME_GREEN : THEME_RED), x + w, y, TEXT_RIGHT);
  }
}

static const char *scope_label(const view_ctx *v, const char *scope, char *buf, size_t n) {
  const snapshot *s = v->snap;
  for (size_t p = 0; p < s->nport; p++)
    if (!strcmp(s->port[p].name, scope) || (!s->port[p].name[0] && !strcmp(scope, "port")))
      if (i18n_label(v->lang, s->port[p].label, buf, n)) return buf;
  snprintf(buf, n, "%s", scope);
  return buf;
}

void score_draw(const view_ctx *v, kpi_recovery rec[2][16], char scope[2][16][64],
                const size_t n[2], int two) {
  (void)scope;
  const layout *l = v->lay;
  int lh = text_height(v->tc, l->font_small, 0) + 2, rows = (int)(n[0] > 0 ? n[0] : 1);
  int w = l->font * (two ? 40 : 34),
      h = (rows * (two ? 3 : 2) + 3) * lh + text_height(v->tc, l->font_big, 1);
  if (w > l->w - 40) w = l->w - 40;
  SDL_Rect r = {(l->w - w) / 2, (l->h - h) / 2, w, h};
  gfx_fill(v->ren, (SDL_Rect){r.x + 5, r.y + 5, r.w, r.h}, (SDL_Color){0, 0, 0, 70});
  gfx_fill(v->ren, r, theme_color(TH_PANEL));
  gfx_frame(v->ren, r, 3, theme_color(TH_HEADER));
  int x = r.x + 2 * l->pad, iw = r.w - 4 * l->pad, y = r.y + l->pad;
  char buf[200];
  snprintf(buf, sizeof buf, "%s", i18n_text(v->lang, L_SCORECARD));
  text_draw(v->tc, buf, l->font_big, 1, theme_color(TH_TEXT), x, y, TEXT_LEFT);
  y += text_height(v->tc, l->font_big, 1) + l->pad / 2;
  if (!n[0]) {
    text_draw(v->tc, i18n_text(v->lang, L_SCORE_NONE), l->font_small, 0, theme_color(TH_TEXT_DIM),
              x, y, TEXT_LEFT);
    return;
  }
  for (size_t i = 0; i < n[0]; i++) {
    char name[160];
    text_draw(v->tc, scope_label(v, rec[0][i].scope, name, sizeof name), l->font_small, 1,
              theme_color(TH_TEXT), x, y, TEXT_LEFT);
    y += lh;
    if (two)
      text_draw(v->tc, i18n_text(v->lang, L_PLAN_A), l->font_small, 1, theme_color(TH_TEXT_DIM), x,
                y, TEXT_LEFT);
    score_row(v, &rec[0][i], x + (two ? l->font * 2 : 0), y, iw - (two ? l->font * 2 : 0),
              theme_color(TH_TEXT));
    y += lh;
    for (size_t j = 0; two && j < n[1]; j++) {
      if (strcmp(rec[1][j].scope, rec[0][i].scope)) continue;
      text_draw(v->tc, i18n_text(v->lang, L_PLAN_B), l->font_small, 1, theme_color(TH_TEXT_DIM), x,
                y, TEXT_LEFT);
      score_row(v, &rec[1][j], x + l->font * 2, y, iw - l->font * 2, theme_color(TH_TEXT));
      y += lh;
    }
  }
}
