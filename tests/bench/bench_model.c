/* bench_model: `customs-bench model`, the whole program on the default airport, run as
 * a user runs it (a child process per run, wall time and peak memory from wait4):
 *   calibrate_cold_s      a short run (1.44 simulated minutes) with an empty cache, the
 *                         best of three (each with a cache of its own)
 *   calibrate_cold_first_s  the first of those three
 *   startup_s             the same run with the cache filled (best of three)
 *   peak_rss_mb_7d, _28d  peak resident memory of 7- and 28-day runs
 *   year_s                365 measured days (after the scenario's warm-up), one job
 *   year_sim_s_per_wall_s simulated seconds (warm-up included) per wall second
 *   year_cpu_s            the year's CPU time (user + system, both threads), and
 *   year_cores_used       that over year_s
 *   day_full_kernels_s    one day (no warm-up) with every kernel run on every item
 *   jobs2_speedup         two replications of 3 days, -j 1 time over -j 2 time, each
 *                         replication on one thread (CUSTOMS_FEED=0); this and
 *                         feed_speedup: the best of BM_PAIRS runs of each, in turn
 *   feed_speedup          one replication of 3 days: its time with the items drawn on
 *                         the simulation's thread over its time with a helper filling them
 *   simpy_ratio           the M/M/4 of scenarios/validation/mmc.cfg for 1e6 departures:
 *                         SimPy's wall time over customs-sim's, each end to end
 *                         (only where Debian's python3-simpy3 is installed)
 * Every run happens in a fresh temporary folder with CUSTOMS_CACHE_DIR pointing into
 * it, so the user's cache is neither used nor touched.
 *   customs-bench model [--sim PATH] [--quick]
 * --sim runs another build of customs-sim (to compare builds on one machine);
 * --quick skips the year and the SimPy runs. */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "tests/bench/bench.h"

typedef struct bm_run {
  double wall_s, rss_mb;
  double cpu_s; /* user + system time of the child, all its threads */
  int status;
} bm_run;

typedef struct bm_ctx {
  const char *sim;
  char dir[PATH_MAX], cache[PATH_MAX + 16], out[PATH_MAX + 16], scenario[PATH_MAX];
  char mmc[PATH_MAX];
  int no_feed; /* runs with CUSTOMS_FEED=0: no helper fills the items (one thread a job) */
} bm_ctx;

static double tv_s(struct timeval t) { return (double)t.tv_sec + 1e-6 * (double)t.tv_usec; }

/* Runs argv in c->dir with the bench's cache; wall time, the child's CPU time and its
 * peak RSS. */
static bm_run bm_spawn(const bm_ctx *c, char *const *argv) {
  bm_run r = {0, 0, 0, -1};
  double t0 = bench_now();
  pid_t pid = fork();
  if (pid == 0) {
    if (chdir(c->dir) || setenv("CUSTOMS_CACHE_DIR", c->cache, 1)) _exit(127);
    if (c->no_feed && setenv("CUSTOMS_FEED", "0", 1)) _exit(127);
    int devnull = open("/dev/null", O_WRONLY);
    if (devnull >= 0) dup2(devnull, 1), dup2(devnull, 2);
    execv(argv[0], argv);
    _exit(127);
  }
  if (pid < 0) return r;
  int st;
  struct rusage ru;
  while (wait4(pid, &st, 0, &ru) < 0 && errno == EINTR) {
  }
  r.wall_s = bench_now() - t0;
  r.rss_mb = (double)ru.ru_maxrss / 1024.0;
  r.cpu_s = tv_s(ru.ru_utime) + tv_s(ru.ru_stime);
  r.status = WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
  return r;
}

/* customs-sim -q -o OUT [args...] SCENARIO */
static bm_run bm_sim(const bm_ctx *c, const char *scenario, const char *const *args) {
  char *argv[32];
  int n = 0;
  argv[n++] = (char *)c->sim;
  argv[n++] = "-q";
  argv[n++] = "-o";
  argv[n++] = (char *)c->out;
  for (; *args && n < 30; args++) argv[n++] = (char *)*args;
  argv[n++] = (char *)scenario;
  argv[n] = NULL;
  bm_run r = bm_spawn(c, argv);
  if (r.status) fprintf(stderr, "customs-bench model: %s exited with %d\n", c->sim, r.status);
  return r;
}

/* Ratios come from pairs of runs taken one after the other, BM_PAIRS times: on a shared
 * machine whose speed moves by a tenth or more within a minute, the best of each side
 * is the figure that moves least. */
#define BM_PAIRS 3

/* Keeps in *best the faster of it and r (r alone when i is 0). */
static void bm_best(bm_run *best, bm_run r, int i) {
  if (i == 0 || r.wall_s < best->wall_s) *best = r;
}

static const char *const bm_tiny[] = {"--days", "0.001", "--set", "run.warmup_days=0", NULL};

static int bm_setup(bm_ctx *c, const char *sim) {
  char self[PATH_MAX];
  ssize_t n = readlink("/proc/self/exe", self, sizeof self - 1);
  if (!sim) {
    if (n <= 0) return -1;
    self[n] = 0;
    char *slash = strrchr(self, '/');
    if (!slash) return -1;
    strcpy(slash + 1, "customs-sim");
    sim = self;
  }
  char abs[PATH_MAX];
  if (!realpath(sim, abs)) return fprintf(stderr, "customs-bench model: no %s\n", sim), -1;
  c->sim = strdup(abs);
  if (!realpath("scenarios/default.cfg", c->scenario) ||
      !realpath("scenarios/validation/mmc.cfg", c->mmc)) {
    fprintf(stderr, "customs-bench model: run from the source tree (scenarios/ not found)\n");
    return -1;
  }
  const char *tmp = getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp";
  snprintf(c->dir, sizeof c->dir, "%s/customs-bench.XXXXXX", tmp);
  if (!c->sim || !mkdtemp(c->dir)) return -1;
  snprintf(c->cache, sizeof c->cache, "%s/cache", c->dir);
  snprintf(c->out, sizeof c->out, "%s/out.h5", c->dir);
  return 0;
}

static void bm_cleanup(bm_ctx *c) {
  char *argv[] = {"/bin/rm", "-rf", c->dir, NULL};
  bm_spawn(c, argv);
  free((char *)c->sim);
}

/* SimPy's M/M/4 (tests/bench/mm4_simpy.py) against customs-sim on mmc.cfg, same
 * horizon; NaN when SimPy is missing. */
static double bm_simpy(const bm_ctx *c, double *t_simpy, double *t_sim) {
  char script[PATH_MAX];
  if (!realpath("tests/bench/mm4_simpy.py", script)) return -1;
  char *check[] = {"/usr/bin/python3", "-c", "import simpy", NULL};
  if (bm_spawn(c, check).status) return -1;
  char *py[] = {"/usr/bin/python3", script, "1000000", NULL};
  bm_run p = bm_spawn(c, py);
  /* 1e6 departures at 3.6 an hour... a minute: 1e6 / (3.6 * 1440) days */
  char days[32];
  snprintf(days, sizeof days, "%.6f", 1e6 / (3.6 * 1440.0));
  const char *args[] = {"--days", days, "--set", "run.warmup_days=0", "--set",
                        "output.sample_min=0", NULL};
  bm_run s = bm_sim(c, c->mmc, args);
  if (p.status || s.status) return -1;
  *t_simpy = p.wall_s, *t_sim = s.wall_s;
  return p.wall_s / s.wall_s;
}

int bench_model(int argc, char **argv) {
  const char *sim = NULL;
  int quick = 0;
  for (int i = 1; i < argc; i++) {
    if (!strcmp(argv[i], "--quick")) quick = 1;
    else if (!strcmp(argv[i], "--sim") && i + 1 < argc) sim = argv[++i];
    else {
      fprintf(stderr, "usage: customs-bench model [--sim PATH] [--quick]\n");
      return 2;
    }
  }
  bm_ctx c = {0};
  if (bm_setup(&c, sim)) return 1;
  printf("model: %s on %s (one job unless stated)\n", c.sim, c.scenario);
  /* three cold starts, each with a cache of its own that starts empty: the first fills
   * the cache the later runs use */
  bm_run cold = bm_sim(&c, c.scenario, bm_tiny), first = cold;
  for (int i = 1; i < 3; i++) {
    bm_ctx k = c;
    snprintf(k.cache, sizeof k.cache, "%s/cold%d", c.dir, i);
    bm_best(&cold, bm_sim(&k, c.scenario, bm_tiny), i);
  }
  double startup = 1e30;
  for (int i = 0; i < 3; i++) {
    bm_run w = bm_sim(&c, c.scenario, bm_tiny);
    if (w.wall_s < startup) startup = w.wall_s;
  }
  bm_run d7 = bm_sim(&c, c.scenario, (const char *[]){"--days", "7", NULL});
  bm_run d28 = bm_sim(&c, c.scenario, (const char *[]){"--days", "28", NULL});
  bm_run full = bm_sim(&c, c.scenario, (const char *[]){"--days", "1", "--set",
                       "run.warmup_days=0", "--set", "kernels.mode=full", NULL});
  /* the replications' scaling, each a thread: no helper at -j 1 either */
  bm_ctx nf = c;
  nf.no_feed = 1;
  bm_run j1 = {0}, j2 = {0}, f0 = {0}, f1 = {0};
  for (int i = 0; i < BM_PAIRS; i++) { /* the two of each pair alternate: the best of each */
    bm_best(&j1,
            bm_sim(&nf, c.scenario, (const char *[]){"--days", "3", "-r", "2", "-j", "1", NULL}),
            i);
    bm_best(&j2,
            bm_sim(&nf, c.scenario, (const char *[]){"--days", "3", "-r", "2", "-j", "2", NULL}),
            i);
    bm_best(&f0, bm_sim(&nf, c.scenario, (const char *[]){"--days", "3", NULL}), i);
    bm_best(&f1, bm_sim(&c, c.scenario, (const char *[]){"--days", "3", NULL}), i);
  }
  printf("  %-44s %10s %10s\n", "run", "seconds", "peak MB");
  printf("  %-44s %10.2f %10.1f\n", "1.44 min, empty cache (first run)", first.wall_s,
         first.rss_mb);
  printf("  %-44s %10.2f\n", "1.44 min, empty cache (best of 3)", cold.wall_s);
  printf("  %-44s %10.2f\n", "1.44 min, cache filled (best of 3)", startup);
  printf("  %-44s %10.2f %10.1f\n", "7 days (+1 warm-up)", d7.wall_s, d7.rss_mb);
  printf("  %-44s %10.2f %10.1f\n", "28 days (+1 warm-up)", d28.wall_s, d28.rss_mb);
  printf("  %-44s %10.2f %10.1f\n", "1 day, every kernel on every item", full.wall_s, full.rss_mb);
  printf("  (the four runs below: the best of %d, taken in turn)\n", BM_PAIRS);
  printf("  %-44s %10.2f\n", "2 x 3 days, -j 1", j1.wall_s);
  printf("  %-44s %10.2f\n", "2 x 3 days, -j 2", j2.wall_s);
  printf("  %-44s %10.2f\n", "3 days, items drawn by the simulation", f0.wall_s);
  printf("  %-44s %10.2f\n", "3 days, items filled by a helper thread", f1.wall_s);
  printf("calibrate_cold_s=%.3f\ncalibrate_cold_first_s=%.3f\nstartup_s=%.3f\n", cold.wall_s,
         first.wall_s, startup);
  printf("peak_rss_mb_7d=%.1f\npeak_rss_mb_28d=%.1f\n", d7.rss_mb, d28.rss_mb);
  printf("day_full_kernels_s=%.3f\njobs2_speedup=%.3f\n", full.wall_s, j1.wall_s / j2.wall_s);
  printf("feed_speedup=%.3f\n", f0.wall_s / f1.wall_s);
  fflush(stdout);
  if (!quick) {
    bm_run y = bm_sim(&c, c.scenario, (const char *[]){"--days", "365", NULL});
    printf("  %-44s %10.2f %10.1f\n", "365 days (+1 warm-up)", y.wall_s, y.rss_mb);
    printf("year_s=%.3f\nyear_sim_s_per_wall_s=%.4g\npeak_rss_mb_365d=%.1f\n", y.wall_s,
           366 * 86400.0 / y.wall_s, y.rss_mb);
    /* the CPU the year took on both threads: with n cores, no split of this work
     * between threads can take less than year_cpu_s / n */
    printf("year_cpu_s=%.3f\nyear_cores_used=%.3f\n", y.cpu_s, y.cpu_s / y.wall_s);
    fflush(stdout);
    double ts, tc, ratio = bm_simpy(&c, &ts, &tc);
    if (ratio > 0) {
      printf("  M/M/4, 1e6 departures: SimPy %.2f s, customs-sim %.2f s\n", ts, tc);
      printf("simpy_ratio=%.4g\n", ratio);
    } else {
      printf("  (SimPy comparison skipped: /usr/bin/python3 cannot import simpy)\n");
    }
  }
  bm_cleanup(&c);
  int bad = cold.status || first.status || d7.status || d28.status || full.status ||
            j1.status || j2.status || f0.status || f1.status;
  return bad ? 1 : 0;
}
