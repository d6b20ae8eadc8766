/* customs-view: the viewer's command line (README.md: The live viewer). Parses the options,
 * opens the source (a scenario run live, or a recorded run with --replay), hands both
 * to the app and, with --out, saves the session's results at exit.
 * Exit status: 0 ok, 1 run failure or unreadable replay file, 2 usage or scenario error. */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <math.h>

#include "models/cli/cli.h"
#include "models/cliarg.h"
#include "models/disrupt.h"
#include "models/timecal.h"
#include "viz/app.h"
#include "viz/fmt.h"

typedef struct options {
  const char *scenario, *replay, *out, *at, *keys, *script, *compare, *to;
  uint64_t seed;
  double days;
  const char **sets;
  int nsets;
  app_opts app;
} options;

/* A drill key (closure, outage, staff shortage, surge, end) acts on the live model; in
 * a replay there is no model, and the request is only shown. */
static int drill_apply(void *ctx, const char *kind, const char *target, double level,
                       sim_error *err) {
  port *p = source_port(ctx);
  return p ? port_intervene(p, kind, target, level, err) : 0;
}

static void usage(FILE *f) {
  fprintf(
      f,
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
      "                           (default: 09:00 on the first measured day, or 3 h before the\n"
      "                           first disruption of a drill)\n"
      "      --compare B          show B (a scenario, or a result file) beside A, split screen,\n"
      "                           same seed and clock, the differences in the middle\n"
      "      --record FILE.mp4    write a video (with --from, --to; needs ffmpeg), then exit\n"
      "      --from TIME          the recording starts here (as --at)\n"
      "      --to TIME            the recording ends here\n"
      "      --fps N              frames a second of the recording (default 30)\n"
      "      --stats              print view_text_cuts=... (labels shortened to fit) at the end\n"
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

enum {
  O_SPEED = 256,
  O_LANG,
  O_SIZE,
  O_FULL,
  O_DAYS,
  O_SET,
  O_REPLAY,
  O_HEADLESS,
  O_FRAMES,
  O_SHOT,
  O_AT,
  O_KEYS,
  O_SCRIPT,
  O_INTERVAL,
  O_QUIT_AFTER,
  O_BENCH,
  O_COMPARE,
  O_RECORD,
  O_FROM,
  O_TO,
  O_FPS,
  O_STATS
};

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
  case O_INTERVAL:
    if (cliarg_long(arg, 1, 100000, &v)) return -1;
    o->app.key_interval = (int)v;
    return 0;
  case O_QUIT_AFTER:
    if (cliarg_long(arg, 1, 100000000, &v)) return -1;
    o->app.quit_after = v;
    return 0;
  case O_BENCH: if (cliarg_long(arg, 1, 10000000, &v)) return -1; o->app.bench_frames = v; return 0;
  case O_AT:
  case O_FROM: { double m; o->at = arg; return strchr(arg, '-') ? 0 : fmt_parse_at(arg, NULL, &m); }
  case O_TO: { double m; o->to = arg; return strchr(arg, '-') ? 0 : fmt_parse_at(arg, NULL, &m); }
  case O_FPS: if (cliarg_long(arg, 1, 120, &v)) return -1; o->app.record_fps = (int)v; return 0;
  default: return 0;
  }
}

/* Returns -1 to go on, else an exit status. */
static int parse_args(int argc, char **argv, options *o) {
  static const struct option lo[] = {{"speed", required_argument, 0, O_SPEED},
                                     {"lang", required_argument, 0, O_LANG},
                                     {"size", required_argument, 0, O_SIZE},
                                     {"fullscreen", no_argument, 0, O_FULL},
                                     {"seed", required_argument, 0, 's'},
                                     {"days", required_argument, 0, O_DAYS},
                                     {"set", required_argument, 0, O_SET},
                                     {"out", required_argument, 0, 'o'},
                                     {"replay", required_argument, 0, O_REPLAY},
                                     {"headless", no_argument, 0, O_HEADLESS},
                                     {"frames", required_argument, 0, O_FRAMES},
                                     {"screenshot", required_argument, 0, O_SHOT},
                                     {"at", required_argument, 0, O_AT},
                                     {"keys", required_argument, 0, O_KEYS},
                                     {"script", required_argument, 0, O_SCRIPT},
                                     {"key-interval", required_argument, 0, O_INTERVAL},
                                     {"quit-after-frames", required_argument, 0, O_QUIT_AFTER},
                                     {"bench-frames", required_argument, 0, O_BENCH},
                                     {"compare", required_argument, 0, O_COMPARE},
                                     {"record", required_argument, 0, O_RECORD},
                                     {"from", required_argument, 0, O_FROM},
                                     {"to", required_argument, 0, O_TO},
                                     {"fps", required_argument, 0, O_FPS},
                                     {"stats", no_argument, 0, O_STATS},
                                     {"help", no_argument, 0, 'h'},
                                     {"version", no_argument, 0, 'V'},
                                     {0, 0, 0, 0}};
  int c, idx = 0;
  opterr = 0;
  while ((c = getopt_long(argc, argv, ":s:o:hV", lo, &idx)) != -1) {
    switch (c) {
    case 'h': usage(stdout); return 0;
    case 'V': cli_version("customs-view"); return 0;
    case ':':
      fprintf(stderr, "customs-view: option %s needs a value\n", argv[optind - 1]);
      return 2;
    case '?':
      fprintf(stderr, "customs-view: unknown option '%s' (see --help)\n", argv[optind - 1]);
      return 2;
    case O_FULL: o->app.fullscreen = 1; break;
    case O_HEADLESS: o->app.headless = 1; break;
    case O_SET: o->sets[o->nsets++] = optarg; break;
    case 'o': o->out = optarg; break;
    case O_REPLAY: o->replay = optarg; break;
    case O_SHOT: o->app.screenshot = optarg; break;
    case O_KEYS: o->keys = optarg; break;
    case O_SCRIPT: o->script = optarg; break;
    case O_COMPARE: o->compare = optarg; break;
    case O_RECORD: o->app.record = optarg; break;
    case O_STATS: o->app.stats = 1; break;
    default:
      if (option(o, c, optarg)) {
        const char *name = c == 's' ? "--seed" : c == 'o' ? "--out" : NULL;
        for (int i = 0; !name && lo[i].name; i++)
          if (lo[i].val == c) name = lo[i].name;
        fprintf(stderr, "customs-view: bad value '%s' for option %s%s\n", optarg,
                name[0] == '-' ? "" : "--", name);
        return 2;
      }
    }
  }
  if (optind < argc - 1) {
    fprintf(stderr, "customs-view: one scenario at most (got '%s' and '%s')\n", argv[optind],
            argv[optind + 1]);
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
  if (o->app.bench_frames > 0 || o->app.record) o->app.headless = 1;
  if (o->app.record && !o->to) {
    fprintf(stderr, "customs-view: --record needs --to TIME (and --from TIME)\n");
    return 2;
  }
  if (o->app.headless && !o->app.screenshot && !o->app.bench_frames && !o->app.record) {
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

/* A busy moment to open on: 09:00 on the first measured day, or, for a drill, three
 * hours before its first disruption when that comes later. */
static double default_start(view_source *src) {
  const spec *sp = source_spec(src);
  double start = 0, warm = sp->warmup_min, end = source_end(src);
  if (timecal_parse(sp->start_iso, &start)) start = 0;
  double t = warm + fmod(540 - fmod(start + warm, 1440) + 2 * 1440, 1440);
  double first = INFINITY;
  for (size_t i = 0; sp->dis && i < sp->dis->n; i++) first = fmin(first, sp->dis->d[i].start_min);
  if (isfinite(first) && first - 180 >= warm && first - 180 > t) t = first - 180;
  return t > end ? end : t;
}

/* A TIME option against the run's calendar into *out; returns -1 to go on, else an exit
 * status. */
static int resolve_time(const char *opt, const char *text, view_source *src, double *out) {
  double m, end = source_end(src);
  if (fmt_parse_at(text, source_start_iso(src), &m)) {
    fprintf(
        stderr,
        "customs-view: bad value '%s' for option %s (36h, 36, 90m, 2d or an ISO date and time)\n",
        text, opt);
    return 2;
  }
  if (m > end) {
    fprintf(stderr, "customs-view: %s %s is past the end of the run (%.1f h)\n", opt, text,
            end / 60);
    return 2;
  }
  *out = m;
  return -1;
}

static int resolve_at(options *o, view_source *src) {
  if (!o->at) {
    o->app.at_min = default_start(src);
  } else {
    int st = resolve_time(o->app.record ? "--from" : "--at", o->at, src, &o->app.at_min);
    if (st >= 0) return st;
  }
  if (o->to) {
    int st = resolve_time("--to", o->to, src, &o->app.record_to_min);
    if (st >= 0) return st;
    if (o->app.record_to_min <= o->app.at_min) {
      fprintf(stderr, "customs-view: --to %s is not after the start\n", o->to);
      return 2;
    }
  }
  return -1;
}

static int is_result_file(const char *path) {
  size_t n = strlen(path);
  return n > 3 && !strcmp(path + n - 3, ".h5");
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
  view_source *src2 = NULL;
  if (!rc && o->compare) {
    if (is_result_file(o->compare)) {
      rc = source_open_replay(&src2, o->compare, &err);
    } else {
      source_opts so = {o->compare, o->sets, o->nsets, o->days,
                        o->seed}; /* common random numbers */
      rc = source_open_live(&src2, &so, &err);
    }
    if (rc) source_free(src);
    o->app.compare = src2;
  }
  if (rc) {
    fprintf(stderr, "customs-view: %s\n", err.msg);
    free(script);
    return o->replay || (o->compare && is_result_file(o->compare)) ? 1 : rc == SIM_EINVAL ? 2 : 1;
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
  source_free(src2);
  free(script);
  return st;
}

int main(int argc, char **argv) {
  cli_signals_init(); /* before SDL, which then leaves SIGINT alone: a signal exits with 130 */
  options o = {.scenario = "scenarios/default.cfg", .seed = 1};
  o.app = (app_opts){
      .lang = LANG_EN, .w = 1280, .h = 720, .frames = 1, .at_min = -1, .key_interval = 10};
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
