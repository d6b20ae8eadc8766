/* customs-view: the viewer's command line (DESIGN.md: Programs). Parses the options,
 * opens the source (a scenario run live, or a recorded run with --replay), hands both
 * to the app and, with --out, saves the session's results at exit.
 * Exit status: 0 ok, 1 run failure or unreadable replay file, 2 usage or scenario error. */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "models/cli/cli.h"
#include "models/cliarg.h"
#include "viz/app.h"
#include "viz/fmt.h"

typedef struct options {
  const char *scenario, *replay, *out, *at, *keys, *script;
  uint64_t seed;
  double days;
  const char **sets;
  int nsets;
  app_opts app;
} options;

/* A drill key (closure, outage, staff shortage, surge, end) acts on the live model; in
 * a replay there is no model, and the request is only shown. */
static int drill_apply(void *ctx, const char *kind, const char *target, double level, sim_error *err) {
  port *p = source_port(ctx);
  return p ? port_intervene(p, kind, target, level, err) : 0;
}

static void usage(FILE *f) {
  fprintf(f,
          "usage: customs-view [OPTIONS] [SCENARIO]   (default scenarios/default.cfg)\n"
          "       customs-view --replay FILE.h5 [OPTIONS]\n"
          "Shows the port live in a window; press ? for the keys, q to quit.\n"
          "      --speed X            initial speed, x real time (1 to 20000; default 60)\n"
          "      --lang en|ja         labels in English (default) or Japanese\n"
          "      --size WxH           window or image size (default 1280x720)\n"
          "      --fullscreen         start full screen\n"
          "  -s, --seed N             random seed (default 1)\n"
          "      --days X             measured days (overrides run.days)\n"
          "      --set PATH=VALUE     override a scenario key (repeatable)\n"
          "  -o, --out FILE.h5        save the session's results at exit\n"
          "      --replay FILE.h5     play a recorded run (customs-sim's result file)\n"
          "      --headless           draw off-screen (needs --screenshot or --bench-frames)\n"
          "      --frames N           frames to draw when headless (default 1)\n"
          "      --screenshot FILE    write the last frame as a PNG\n"
          "      --at TIME            run to TIME first: 36h, 36 (hours), 90m, 2d, 2024-11-26T12:00\n"
          "      --keys LIST          scripted keys, e.g. \"space,+,+,h,?\" (also select=STATION,\n"
          "                           resize=WxH, wait)\n"
          "      --script FILE        scripted keys from a file ('#' comments)\n"
          "      --key-interval N     frames between scripted keys (default 10)\n"
          "      --quit-after-frames N  close the window after N frames\n"
          "      --bench-frames N     headless benchmark: draw N frames at --speed (default 1000),\n"
          "                           print view_fps=...\n"
          "  -h, --help               this help\n"
          "  -V, --version            program version\n"
          "exit status: 0 ok, 1 run failure or unreadable replay file, 2 usage or scenario error\n");
}

enum { O_SPEED = 256, O_LANG, O_SIZE, O_FULL, O_DAYS, O_SET, O_REPLAY, O_HEADLESS, O_FRAMES,
       O_SHOT, O_AT, O_KEYS, O_SCRIPT, O_INTERVAL, O_QUIT_AFTER, O_BENCH };

static int parse_double(const char *s, double lo, double hi, double *out) {
  char *end;
  errno = 0;
  double v = strtod(s, &end);
  if (!*s || *end || errno || !(v >= lo && v <= hi)) return -1;
  *out = v;
  return 0;
}

/* One option's value; returns 0 or -1 (bad value). */
static int option(options *o, int c, const char *arg) {
  long v;
  switch (c) {
  case O_SPEED: return parse_double(arg, 1, 20000, &o->app.speed);
  case O_LANG: return i18n_lang_parse(arg, &o->app.lang);
  case O_SIZE: return fmt_parse_size(arg, 320, 8192, &o->app.w, &o->app.h);
  case O_DAYS: return cli_days(arg, &o->days);
  case 's': return cli_seed(arg, &o->seed);
  case O_FRAMES: if (cliarg_long(arg, 1, 10000000, &v)) return -1; o->app.frames = v; return 0;
  case O_INTERVAL: if (cliarg_long(arg, 1, 100000, &v)) return -1; o->app.key_interval = (int)v; return 0;
  case O_QUIT_AFTER: if (cliarg_long(arg, 1, 100000000, &v)) return -1; o->app.quit_after = v; return 0;
  case O_BENCH: if (cliarg_long(arg, 1, 10000000, &v)) return -1; o->app.bench_frames = v; return 0;
  case O_AT: { double m; o->at = arg; return strchr(arg, '-') ? 0 : fmt_parse_at(arg, NULL, &m); }
  default: return 0;
  }
}

/* Returns -1 to go on, else an exit status. */
static int parse_args(int argc, char **argv, options *o) {
  static const struct option lo[] = {
      {"speed", required_argument, 0, O_SPEED},   {"lang", required_argument, 0, O_LANG},
      {"size", required_argument, 0, O_SIZE},     {"fullscreen", no_argument, 0, O_FULL},
      {"seed", required_argument, 0, 's'},        {"days", required_argument, 0, O_DAYS},
      {"set", required_argument, 0, O_SET},       {"out", required_argument, 0, 'o'},
      {"replay", required_argument, 0, O_REPLAY}, {"headless", no_argument, 0, O_HEADLESS},
      {"frames", required_argument, 0, O_FRAMES}, {"screenshot", required_argument, 0, O_SHOT},
      {"at", required_argument, 0, O_AT},         {"keys", required_argument, 0, O_KEYS},
      {"script", required_argument, 0, O_SCRIPT}, {"key-interval", required_argument, 0, O_INTERVAL},
      {"quit-after-frames", required_argument, 0, O_QUIT_AFTER},
      {"bench-frames", required_argument, 0, O_BENCH},
      {"help", no_argument, 0, 'h'},              {"version", no_argument, 0, 'V'},
      {0, 0, 0, 0}};
  int c, idx = 0;
  opterr = 0;
  while ((c = getopt_long(argc, argv, ":s:o:hV", lo, &idx)) != -1) {
    switch (c) {
    case 'h': usage(stdout); return 0;
    case 'V': cli_version("customs-view"); return 0;
    case ':': fprintf(stderr, "customs-view: option %s needs a value\n", argv[optind - 1]); return 2;
    case '?': fprintf(stderr, "customs-view: unknown option '%s' (see --help)\n", argv[optind - 1]); return 2;
    case O_FULL: o->app.fullscreen = 1; break;
    case O_HEADLESS: o->app.headless = 1; break;
    case O_SET: o->sets[o->nsets++] = optarg; break;
    case 'o': o->out = optarg; break;
    case O_REPLAY: o->replay = optarg; break;
    case O_SHOT: o->app.screenshot = optarg; break;
    case O_KEYS: o->keys = optarg; break;
    case O_SCRIPT: o->script = optarg; break;
    default:
      if (option(o, c, optarg)) {
        const char *name = c == 's' ? "--seed" : c == 'o' ? "--out" : NULL;
        for (int i = 0; !name && lo[i].name; i++)
          if (lo[i].val == c) name = lo[i].name;
        fprintf(stderr, "customs-view: bad value '%s' for option %s%s\n", optarg, name[0] == '-' ? "" : "--", name);
        return 2;
      }
    }
  }
  if (optind < argc - 1) {
    fprintf(stderr, "customs-view: one scenario at most (got '%s' and '%s')\n", argv[optind], argv[optind + 1]);
    return 2;
  }
  if (optind < argc) o->scenario = argv[optind];
  if (o->replay && optind < argc) {
    fprintf(stderr, "customs-view: give a scenario or --replay, not both\n");
    return 2;
  }
  if (o->replay && (o->out || o->nsets || o->days > 0)) {
    fprintf(stderr, "customs-view: --out, --set and --days need a live run, not --replay\n");
    return 2;
  }
  if (o->keys && o->script) {
    fprintf(stderr, "customs-view: give --keys or --script, not both\n");
    return 2;
  }
  if (o->app.bench_frames > 0) o->app.headless = 1;
  if (o->app.headless && !o->app.screenshot && !o->app.bench_frames) {
    fprintf(stderr, "customs-view: --headless needs --screenshot FILE or --bench-frames N\n");
    return 2;
  }
  return -1;
}

static int load_script(options *o, view_action **script) {
  sim_error err = {0};
  size_t n = 0;
  int rc = 0;
  if (o->keys) rc = controls_parse_script(o->keys, script, &n, &err);
  else if (o->script) rc = controls_load_script(o->script, script, &n, &err);
  if (rc) {
    fprintf(stderr, "customs-view: %s\n", err.msg);
    return 2;
  }
  o->app.script = *script;
  o->app.nscript = n;
  return -1;
}

/* --at against the run's calendar; returns -1 to go on, else an exit status. */
static int resolve_at(options *o, view_source *src) {
  if (!o->at) return -1;
  double m, end = source_end(src);
  if (fmt_parse_at(o->at, source_start_iso(src), &m)) {
    fprintf(stderr, "customs-view: bad value '%s' for option --at (36h, 36, 90m, 2d or an ISO date and time)\n", o->at);
    return 2;
  }
  if (m > end) {
    fprintf(stderr, "customs-view: --at %s is past the end of the run (%.1f h)\n", o->at, end / 60);
    return 2;
  }
  o->app.at_min = m;
  return -1;
}

static int run(options *o) {
  sim_error err = {0};
  view_source *src = NULL;
  view_action *script = NULL;
  int st = load_script(o, &script);
  if (st >= 0) return st;
  int rc, replaced;
  if (o->out && cli_output_check(o->out, &replaced, &err)) { /* before the session, not after */
    fprintf(stderr, "customs-view: %s\n", err.msg);
    free(script);
    return 2;
  }
  if (o->replay) {
    rc = source_open_replay(&src, o->replay, &err);
  } else {
    source_opts so = {o->scenario, o->sets, o->nsets, o->days, o->seed};
    rc = source_open_live(&src, &so, &err);
  }
  if (rc) {
    fprintf(stderr, "customs-view: %s\n", err.msg);
    free(script);
    return o->replay ? 1 : rc == SIM_EINVAL ? 2 : 1;
  }
  st = resolve_at(o, src);
  if (st < 0) {
    o->app.hook = (view_drill_hook){drill_apply, src};
    st = 0;
    if (app_run(src, &o->app, &err)) {
      fprintf(stderr, "customs-view: %s\n", err.msg);
      st = 1;
    }
  }
  if (st == 0 && o->out) {
    cli_signals_partial(o->out);
    if (source_write(src, o->out, CUSTOMS_VERSION, &err)) {
      fprintf(stderr, "customs-view: %s\n", err.msg);
      st = 1;
    } else {
      printf("results: %s\n", o->out);
    }
  }
  source_free(src);
  free(script);
  return st;
}

int main(int argc, char **argv) {
  cli_signals_init(); /* before SDL, which then leaves SIGINT alone: a signal exits with 130 */
  options o = {.scenario = "scenarios/default.cfg", .seed = 1};
  o.app = (app_opts){.lang = LANG_EN, .w = 1280, .h = 720, .frames = 1, .at_min = -1, .key_interval = 10};
  o.sets = calloc((size_t)argc + 1, sizeof *o.sets);
  if (!o.sets) {
    fprintf(stderr, "customs-view: out of memory\n");
    return 1;
  }
  int st = parse_args(argc, argv, &o);
  if (st < 0) {
    if (!(o.app.speed > 0)) o.app.speed = o.app.bench_frames > 0 ? 1000 : 60;
    st = run(&o);
  }
  free(o.sets);
  return st;
}
