/* controls: the key table, scripted keys and live drills (see controls.h). */
#include "viz/controls.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "viz/fmt.h"

typedef struct keydef {
  const char *token, *token2; /* script names */
  SDL_Keycode key[3];         /* keys that trigger it (0: unused) */
  view_act act;
  int arg;
} keydef;

/* '+' and '?' are shifted keys on most layouts: the unshifted key is listed as well
 * ('=' and ';' for '+' on US and JIS keyboards, '/' for '?'). */
static const keydef keys[] = {
    {"space", NULL, {SDLK_SPACE, SDLK_p, 0}, ACT_PAUSE, 0},
    {"+", NULL, {SDLK_PLUS, SDLK_EQUALS, SDLK_KP_PLUS}, ACT_FASTER, 0},
    {"faster", NULL, {SDLK_SEMICOLON, 0, 0}, ACT_FASTER, 0},
    {"-", NULL, {SDLK_MINUS, SDLK_KP_MINUS, 0}, ACT_SLOWER, 0},
    {"s", "step", {SDLK_s, 0, 0}, ACT_STEP, 0},
    {"h", "hour", {SDLK_h, 0, 0}, ACT_HOUR, 0},
    {"d", "day", {SDLK_d, 0, 0}, ACT_DAY, 0},
    {"f", "fullscreen", {SDLK_f, SDLK_F11, 0}, ACT_FULLSCREEN, 0},
    {"?", "help", {SDLK_QUESTION, SDLK_SLASH, SDLK_F1}, ACT_HELP, 0},
    {"q", "quit", {SDLK_q, 0, 0}, ACT_QUIT, 0},
    {"esc", "escape", {SDLK_ESCAPE, 0, 0}, ACT_ESCAPE, 0},
    {"y", "yes", {SDLK_y, SDLK_RETURN, SDLK_KP_ENTER}, ACT_CONFIRM, 0},
    {"m", "map", {SDLK_m, 0, 0}, ACT_MAP, 0},
    {"w", "coast", {SDLK_w, 0, 0}, ACT_COAST, 0},
    {"r", "score", {SDLK_r, 0, 0}, ACT_SCORE, 0},
    {"c", "closure", {SDLK_c, 0, 0}, ACT_DRILL, DRILL_CLOSURE},
    {"o", "outage", {SDLK_o, 0, 0}, ACT_DRILL, DRILL_OUTAGE},
    {"a", "absence", {SDLK_a, 0, 0}, ACT_DRILL, DRILL_SHORTAGE},
    {"u", "surge", {SDLK_u, 0, 0}, ACT_DRILL, DRILL_SURGE},
    {"e", "end", {SDLK_e, 0, 0}, ACT_DRILL, DRILL_END},
    {"wait", NULL, {0, 0, 0}, ACT_WAIT, 0},
};
#define NKEYS (sizeof keys / sizeof keys[0])

static const controls_help help_rows[] = {
    {"space", L_K_PAUSE},    {"+  -", L_K_SPEED},   {"1 .. 9", L_K_PRESET},
    {"s", L_K_STEP},         {"h", L_K_HOUR},       {"d", L_K_DAY},
    {"f", L_K_FULL},         {"?", L_K_HELP},       {"q", L_K_QUIT},
    {"Esc", L_K_ESC},        {"m", L_K_MAP},        {"w", L_K_COAST},      {"r", L_K_SCORE},
    {"c", L_K_CLOSURE},      {"o", L_K_OUTAGE},     {"a", L_K_SHORTAGE},
    {"u", L_K_SURGE},        {"e", L_K_END},        {"click", L_K_CLICK},
};

size_t controls_help_count(void) { return sizeof help_rows / sizeof help_rows[0]; }
const controls_help *controls_help_at(size_t i) {
  return i < controls_help_count() ? &help_rows[i] : NULL;
}

int controls_from_key(SDL_Keycode key, view_action *a) {
  *a = (view_action){ACT_NONE, 0, 0, ""};
  if (key >= SDLK_1 && key <= SDLK_9) {
    *a = (view_action){ACT_PRESET, (int)(key - SDLK_1) + 1, 0, ""};
    return 1;
  }
  if (key >= SDLK_KP_1 && key <= SDLK_KP_9) {
    *a = (view_action){ACT_PRESET, (int)(key - SDLK_KP_1) + 1, 0, ""};
    return 1;
  }
  for (size_t i = 0; i < NKEYS; i++)
    for (int k = 0; k < 3; k++)
      if (keys[i].key[k] && keys[i].key[k] == key) {
        a->act = keys[i].act;
        a->arg = keys[i].arg;
        return 1;
      }
  return 0;
}

int controls_parse_token(const char *tok, view_action *a) {
  *a = (view_action){ACT_NONE, 0, 0, ""};
  if (tok[0] >= '1' && tok[0] <= '9' && !tok[1]) {
    *a = (view_action){ACT_PRESET, tok[0] - '0', 0, ""};
    return 0;
  }
  if (!strncmp(tok, "resize=", 7)) {
    a->act = ACT_RESIZE;
    return fmt_parse_size(tok + 7, 320, 8192, &a->arg, &a->arg2);
  }
  if (!strncmp(tok, "click=", 6)) {
    char *end;
    a->act = ACT_CLICK;
    a->arg = (int)strtol(tok + 6, &end, 10);
    if (end == tok + 6 || *end != ':') return -1;
    const char *y = end + 1;
    a->arg2 = (int)strtol(y, &end, 10);
    return end == y || *end ? -1 : 0;
  }
  if (!strncmp(tok, "open=", 5)) {
    if (strlen(tok + 5) >= sizeof a->name) return -1;
    a->act = ACT_OPEN;
    snprintf(a->name, sizeof a->name, "%s", tok + 5);
    return 0;
  }
  if (!strncmp(tok, "select=", 7)) {
    if (strlen(tok + 7) >= sizeof a->name) return -1;
    a->act = ACT_SELECT;
    snprintf(a->name, sizeof a->name, "%s", tok + 7);
    return 0;
  }
  for (size_t i = 0; i < NKEYS; i++)
    if (!strcmp(tok, keys[i].token) || (keys[i].token2 && !strcmp(tok, keys[i].token2))) {
      a->act = keys[i].act;
      a->arg = keys[i].arg;
      return 0;
    }
  return -1;
}

int controls_parse_script(const char *text, view_action **out, size_t *n, sim_error *err) {
  *out = NULL;
  *n = 0;
  size_t cap = 16, len = 0;
  view_action *v = malloc(cap * sizeof *v);
  if (!v) return sim_error_set(err, SIM_ENOMEM, "out of memory");
  const char *p = text;
  while (*p) {
    if (*p == '#') {
      while (*p && *p != '\n') p++;
      continue;
    }
    if (*p == ',' || *p == ' ' || *p == '\t' || *p == '\n' || *p == '\r') {
      p++;
      continue;
    }
    const char *start = p;
    while (*p && !strchr(", \t\r\n#", *p)) p++;
    char tok[80];
    snprintf(tok, sizeof tok, "%.*s", (int)(p - start), start);
    if (len == CONTROLS_SCRIPT_MAX) {
      free(v);
      return sim_error_set(err, SIM_EINVAL, "more than %d keys in the script", CONTROLS_SCRIPT_MAX);
    }
    if (len == cap) {
      view_action *nv = realloc(v, 2 * cap * sizeof *v);
      if (!nv) {
        free(v);
        return sim_error_set(err, SIM_ENOMEM, "out of memory");
      }
      v = nv;
      cap *= 2;
    }
    if (controls_parse_token(tok, &v[len])) {
      free(v);
      return sim_error_set(err, SIM_EINVAL,
                           "unknown key '%s' (keys: space + - 1..9 s h d f ? q esc y m r c o a u e "
                           "wait select=NAME open=PORT click=X:Y resize=WxH)",
                           tok);
    }
    len++;
  }
  *out = v;
  *n = len;
  return 0;
}

int controls_load_script(const char *path, view_action **out, size_t *n, sim_error *err) {
  enum { SCRIPT_MAX_BYTES = 1 << 20 };
  FILE *f = fopen(path, "rb");
  if (!f) return sim_error_set(err, SIM_EINVAL, "cannot open script '%s'", path);
  char *buf = malloc(SCRIPT_MAX_BYTES + 1);
  size_t got = buf ? fread(buf, 1, SCRIPT_MAX_BYTES + 1, f) : 0;
  fclose(f);
  if (!buf) return sim_error_set(err, SIM_ENOMEM, "out of memory");
  if (got > SCRIPT_MAX_BYTES) {
    free(buf);
    return sim_error_set(err, SIM_EINVAL, "script '%s' is larger than 1 MiB", path);
  }
  buf[got] = '\0';
  int rc = controls_parse_script(buf, out, n, err);
  free(buf);
  if (rc) sim_error_wrap(err, "%s", path);
  return rc;
}

/* ---- drills ---- */

/* Levels as port_intervene reads them: the share of capacity left for closures,
 * outages and shortages (0: stopped), a volume multiplier for surges. */
static const struct {
  const char *kind;
  double level;
} drill_defs[DRILL_N] = {
    [DRILL_CLOSURE] = {"closure", 0.0},
    [DRILL_OUTAGE] = {"outage", 0.0},
    [DRILL_SHORTAGE] = {"staff_shortage", 0.7}, /* 30 % of the shift absent */
    [DRILL_SURGE] = {"surge", 2.0},             /* arrivals doubled */
    [DRILL_END] = {"end", 0.0},
};

const char *controls_drill_kind(int drill) {
  return drill >= 0 && drill < DRILL_N ? drill_defs[drill].kind : "?";
}
double controls_drill_level(int drill) {
  return drill >= 0 && drill < DRILL_N ? drill_defs[drill].level : 0;
}

struct view_drills {
  view_drill_hook hook;
  view_drill *v;
  size_t n, cap;
};

int drills_new(view_drills **out, view_drill_hook hook) {
  *out = calloc(1, sizeof **out);
  if (!*out) return SIM_ENOMEM;
  (*out)->hook = hook;
  return 0;
}

void drills_free(view_drills *d) {
  if (!d) return;
  free(d->v);
  free(d);
}

int drills_request(view_drills *d, int drill, const char *target, double now_min, view_lang lang,
                   char *msg, size_t n) {
  const char *kind = controls_drill_kind(drill);
  double level = controls_drill_level(drill);
  if (drill < 0 || drill >= DRILL_N) return SIM_EINVAL;
  sim_error err = {0};
  int rc = d->hook.apply
               ? d->hook.apply(d->hook.ctx, kind, target && *target ? target : NULL, level, &err)
               : 0;
  if (d->n < DRILLS_MAX) {
    if (d->n == d->cap) {
      size_t ncap = d->cap ? 2 * d->cap : 16;
      view_drill *nv = realloc(d->v, ncap * sizeof *nv);
      if (nv) {
        d->v = nv;
        d->cap = ncap;
      }
    }
    if (d->n < d->cap) {
      view_drill *r = &d->v[d->n++];
      *r = (view_drill){.t_min = now_min, .level = level, .rc = rc};
      snprintf(r->kind, sizeof r->kind, "%s", kind);
      snprintf(r->target, sizeof r->target, "%s", target ? target : "");
    }
  }
  const char *words = i18n_drill(lang, kind);
  char what[128];
  if (target && *target) snprintf(what, sizeof what, "%s (%s)", words, target);
  else snprintf(what, sizeof what, "%s", words);
  if (rc) snprintf(msg, n, i18n_text(lang, L_DRILL_FAILED), what, err.msg[0] ? err.msg : "error");
  else snprintf(msg, n, i18n_text(lang, L_DRILL_REQUESTED), what);
  return rc;
}

size_t drills_count(const view_drills *d) { return d->n; }
const view_drill *drills_at(const view_drills *d, size_t i) { return i < d->n ? &d->v[i] : NULL; }
