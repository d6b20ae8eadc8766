/* theme: the viewer's palette (a light theme that stays legible on a projector in a lit
 * room) and the traffic-light rule that colours a KPI against its target. Pure: no
 * drawing here, so the rule can be unit-tested. */
#ifndef VIZ_THEME_H
#define VIZ_THEME_H

#include <SDL.h>

/* A KPI is green at or under its target, amber up to THEME_AMBER_MARGIN above it, red
 * beyond; NONE when either figure is missing (NaN) or the target is not positive. */
#define THEME_AMBER_MARGIN 0.2

typedef enum { THEME_GREEN = 0, THEME_AMBER, THEME_RED, THEME_NONE } theme_status;

typedef enum {
  TH_BG = 0,      /* window background behind the map */
  TH_LANE_ALT,    /* every other lane, for the eye to follow a row */
  TH_PANEL,       /* KPI panel background */
  TH_HEADER,      /* title bar */
  TH_HEADER_TEXT,
  TH_TEXT,        /* dark text on light backgrounds */
  TH_TEXT_DIM,
  TH_RULE,        /* thin separators, arrows */
  TH_BOX,         /* a station's body */
  TH_QUEUE,       /* waiting items */
  TH_QUEUE_LONG,  /* a long queue */
  TH_SELECT,      /* the clicked station */
  TH_SPARK,       /* sparkline strokes */
  TH_SPARK_FILL,
  TH_OVERLAY,     /* help overlay background */
  TH_ON_DUTY,     /* staff bars */
  TH_STAFF_BUSY,
  TH_N
} theme_role;

theme_status theme_status_of(double value, double target);
/* The figure a channel is graded on and its target: passengers by their p95 waiting
 * time against wait_target_min, goods by their p95 release time against target_min.
 * Returns the grade; *wait (may be NULL) is set to 1 when it is a waiting time. */
struct snap_channel;
theme_status theme_channel_status(const struct snap_channel *c, double *value, double *target,
                                  int *wait);
/* A channel's grade on screen: its time grade (above), made worse when the items in
 * the port pass their normal level (amber above THEME_BACKLOG_AMBER times it, red above
 * THEME_BACKLOG_RED times), and red while its arrivals are stopped with items stuck:
 * what is stuck counts, not only what was released. */
#define THEME_BACKLOG_AMBER 1.2
#define THEME_BACKLOG_RED 1.5
struct snapshot;
theme_status theme_backlog_status(double backlog, double normal);
theme_status theme_channel_grade(const struct snapshot *s, int ch);
/* A port's grade: the worst of its channels'. */
theme_status theme_port_grade(const struct snapshot *s, int pt);
SDL_Color theme_status_color(theme_status s);
SDL_Color theme_state_color(int state); /* snap_state */
SDL_Color theme_state_fill(int state);  /* a pale tint of the state colour for box bodies */
SDL_Color theme_color(theme_role role);

#endif
