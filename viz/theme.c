/* theme: palette and the green/amber/red rule (see theme.h). */
#include "viz/theme.h"

#include <math.h>

#include "models/item.h"
#include "models/snapshot.h"

theme_status theme_status_of(double value, double target) {
  if (isnan(value) || isnan(target) || !(target > 0)) return THEME_NONE;
  if (value <= target) return THEME_GREEN;
  if (value <= target * (1.0 + THEME_AMBER_MARGIN)) return THEME_AMBER;
  return THEME_RED;
}

theme_status theme_channel_status(const snap_channel *c, double *value, double *target,
                                  int *wait) {
  int pax = c->kind == KIND_PASSENGERS_IN || c->kind == KIND_PASSENGERS_OUT;
  double v = pax ? c->wait_p95_min : c->release_p95_min;
  double t = pax ? c->wait_target_min : c->target_min;
  if (value) *value = v;
  if (target) *target = t;
  if (wait) *wait = pax;
  return theme_status_of(v, t);
}

theme_status theme_backlog_status(double backlog, double normal) {
  if (!(normal > 0) || isnan(backlog)) return THEME_NONE;
  /* a small port's noise is not a backlog: three Poisson standard deviations of slack */
  double slack = 3 * sqrt(normal);
  if (backlog <= normal * THEME_BACKLOG_AMBER + slack) return THEME_GREEN;
  if (backlog <= normal * THEME_BACKLOG_RED + slack) return THEME_AMBER;
  return THEME_RED;
}

static theme_status worst(theme_status a, theme_status b) {
  if (a == THEME_NONE) return b;
  if (b == THEME_NONE) return a;
  return a > b ? a : b;
}

theme_status theme_channel_grade(const snapshot *s, int ch) {
  const snap_channel *c = &s->ch[ch];
  theme_status g = theme_channel_status(c, NULL, NULL, NULL);
  g = worst(g, theme_backlog_status((double)c->in_system, c->normal_in_system));
  if (c->port >= 0 && (size_t)c->port < s->nport && s->port[c->port].closed && c->in_system > 0)
    g = THEME_RED;
  return g;
}

theme_status theme_port_grade(const snapshot *s, int pt) {
  theme_status g = THEME_NONE;
  for (size_t c = 0; c < s->nch; c++)
    if (s->ch[c].port == pt) g = worst(g, theme_channel_grade(s, (int)c));
  return g;
}

SDL_Color theme_status_color(theme_status s) {
  static const SDL_Color c[] = {
      {0x2b, 0x8a, 0x3e, 255}, /* green */
      {0xe6, 0x8a, 0x00, 255}, /* amber */
      {0xd6, 0x33, 0x33, 255}, /* red */
      {0x86, 0x8e, 0x96, 255}, /* no data */
  };
  return c[(unsigned)s <= THEME_NONE ? s : THEME_NONE];
}

/* State colours avoid green/amber/red so a station's state is not read as a KPI grade:
 * idle grey, busy blue, down red (a fault is alarming), closed near-black, unstaffed
 * purple. */
SDL_Color theme_state_color(int state) {
  static const SDL_Color c[SNAP_NSTATES] = {
      {0x9a, 0xa5, 0xb1, 255}, {0x1c, 0x6e, 0xc9, 255}, {0xd6, 0x33, 0x33, 255},
      {0x34, 0x3a, 0x40, 255}, {0x9c, 0x36, 0xb5, 255},
  };
  return state >= 0 && state < SNAP_NSTATES ? c[state] : c[SNAP_IDLE];
}

SDL_Color theme_state_fill(int state) {
  static const SDL_Color c[SNAP_NSTATES] = {
      {0xf8, 0xf9, 0xfa, 255}, {0xff, 0xff, 0xff, 255}, {0xff, 0xe3, 0xe3, 255},
      {0x6c, 0x75, 0x7d, 255}, {0xf3, 0xd9, 0xfa, 255}, /* closed: dark, white text */
  };
  return state >= 0 && state < SNAP_NSTATES ? c[state] : c[SNAP_IDLE];
}

SDL_Color theme_color(theme_role role) {
  static const SDL_Color c[TH_N] = {
      [TH_BG] = {0xee, 0xf1, 0xf4, 255},         [TH_LANE_ALT] = {0xe3, 0xe8, 0xee, 255},
      [TH_PANEL] = {0xff, 0xff, 0xff, 255},      [TH_HEADER] = {0x1b, 0x2a, 0x41, 255},
      [TH_HEADER_TEXT] = {0xff, 0xff, 0xff, 255}, [TH_TEXT] = {0x1e, 0x26, 0x30, 255},
      [TH_TEXT_DIM] = {0x5c, 0x66, 0x70, 255},   [TH_RULE] = {0xad, 0xb5, 0xbd, 255},
      [TH_BOX] = {0xff, 0xff, 0xff, 255},        [TH_QUEUE] = {0xf0, 0x8c, 0x00, 255},
      [TH_QUEUE_LONG] = {0xc9, 0x2a, 0x2a, 255}, [TH_SELECT] = {0xf5, 0x9f, 0x00, 255},
      [TH_SPARK] = {0x1c, 0x6e, 0xc9, 255},      [TH_SPARK_FILL] = {0xd0, 0xe4, 0xfa, 255},
      [TH_OVERLAY] = {0x14, 0x1e, 0x2d, 235},    [TH_ON_DUTY] = {0xa5, 0xd8, 0xff, 255},
      [TH_STAFF_BUSY] = {0x1c, 0x6e, 0xc9, 255},
  };
  return (unsigned)role < TH_N ? c[role] : c[TH_TEXT];
}
