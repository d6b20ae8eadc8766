/* i18n: the viewer's labels in English and Japanese, and the fonts that can show them
 * (DejaVu Sans for English, Noto Sans CJK JP for Japanese). Station and channel names
 * come from the scenario; they are shown as written in English and by their type or
 * kind in Japanese. */
#ifndef VIZ_I18N_H
#define VIZ_I18N_H

#include <stddef.h>

typedef enum { LANG_EN = 0, LANG_JA, LANG_N } view_lang;

typedef enum {
  L_LIVE = 0,
  L_REPLAY,
  L_PAUSED,
  L_WARMUP,
  L_DAY,
  L_JUMPING,
  L_LIMITED,
  L_END,
  L_CHANNELS,
  L_ARRIVED,
  L_RELEASED,
  L_IN_PORT,
  L_INSPECTED,
  L_SEIZED,
  L_WAIT_P95,
  L_RELEASE_P95,
  L_TARGET,
  L_QUEUE,
  L_LAST_HOURS,
  L_STAFF,
  L_ON_DUTY,
  L_BUSY,
  L_OTHER,
  L_UNLIMITED,
  L_IN_PROCESS,
  L_DISRUPTION,
  L_NO_DISRUPTION,
  L_SINCE,
  L_RTO,
  L_DRILLS,
  L_NO_DRILLS,
  L_SERVERS,
  L_CAPACITY,
  L_STAFF_POOL,
  L_MEAN_WAIT,
  L_UTILIZATION,
  L_SERVED,
  L_STATE,
  L_TYPE,
  L_HELP_TITLE,
  L_HELP_HINT,
  L_CLICK_HINT,
  L_K_PAUSE,
  L_K_SPEED,
  L_K_PRESET,
  L_K_STEP,
  L_K_HOUR,
  L_K_DAY,
  L_K_FULL,
  L_K_HELP,
  L_K_QUIT,
  L_K_CLICK,
  L_K_CLOSURE,
  L_K_OUTAGE,
  L_K_SHORTAGE,
  L_K_SURGE,
  L_K_END,
  L_DRILL_REQUESTED,
  L_DRILL_FAILED,
  L_DRILL_NOT_LIVE,
  L_CLOSED_BADGE,
  L_WAITING,
  L_HELD,
  L_LEGEND_COUNTS,
  L_LEGEND_INF,
  L_QUIT_ASK,
  L_K_MAP,
  L_K_SCORE,
  L_K_ESC,
  L_MAP_HINT,
  L_SCORECARD,
  L_PEAK,
  L_TIME_NORMAL,
  L_RTO_MET,
  L_RTO_MISSED,
  L_NOT_NORMAL,
  L_PLAN_A,
  L_PLAN_B,
  L_DIFF,
  L_UNITS_DOWN,
  L_RESPONSES,
  L_FINDS,
  L_DIVERTED,
  L_NORMAL,
  L_PORT_OPEN,
  L_LEVEL,
  L_SCORE_NONE,
  L_SCORE_HINT,
  L_REC_SAVED,
  L_STAFF_WORDS,
  L_FINDS_WORDS,
  L_PORT_WORDS,
  L_K_COAST,
  L_COAST_HINT,
  L_COAST_ZONE,
  L_COAST_ATTEMPTS,
  L_COAST_SEEN,
  L_COAST_INTERDICTED,
  L_COAST_LANDED,
  L_COAST_AT_SEA,
  L_COAST_WEATHER,
  L_COAST_UNITS,
  L_COAST_TYPHOON,
  L_COAST_SEA_WORDS,
  L_COAST_LEGEND_DRONE,
  L_COAST_LEGEND_BOAT,
  L_COAST_LEGEND_RADAR,
  L_COAST_LEGEND_SAT,
  L_COAST_LEGEND_SEA,
  L_COAST_LEGEND_SEEN,
  L_COAST_LEGEND_INTERDICT,
  L_COAST_LEGEND_LANDED,
  L_N
} i18n_id;

/* Parses "en" or "ja". Returns 0 or -1. */
int i18n_lang_parse(const char *s, view_lang *out);
const char *i18n_text(view_lang lang, i18n_id id);
const char *i18n_state(view_lang lang, int state); /* snap_state */
/* A channel's label: its kind's name when the channel is named after its kind. */
void i18n_channel(view_lang lang, const char *name, int kind, char *buf, size_t n);
/* A station's label: its type in Japanese; in English its name with underscores as
 * spaces, less the words it shares with its channel's name ("express_exam" on the
 * express lane reads "exam", "dogs_in" on passengers_in reads "dogs"). channel may be
 * NULL. */
void i18n_station(view_lang lang, const char *name, const char *type, const char *channel,
                  char *buf, size_t n);
/* The scenario's display name in lang when it gave one: copied into buf, returns 1;
 * else 0 (the caller falls back to a type name). label may be NULL. */
int i18n_label(view_lang lang, const char *const *label, char *buf, size_t n);
/* A find's kind (a kpi.h seizure category) in words: "drugs (cocaine)", "duty assessed". */
const char *i18n_find(view_lang lang, int kind);
/* A drill kind ("closure", ...) in words. */
const char *i18n_drill(view_lang lang, const char *kind);

/* The first installed font for the language (bold: the bold face, falling back to the
 * regular one); *index is the face within a collection. NULL if none is installed. */
const char *i18n_font(view_lang lang, int bold, long *index);

#endif
