/* fuzz_scenario: libFuzzer harness for scenario loading (make fuzz). One input holds up
 * to four parts separated by lines "--csv--", "--include--" and "--set--":
 *   the scenario text, a schedule CSV (written as sched.csv), a file to include
 *   (part.cfg), and --set assignments one a line.
 * The parts are written to a private temporary folder and loaded as customs-sim loads
 * a scenario: scenario_load (the @include scan, libconfig, --set, validation), then
 * spec_build (the port graph, the CSV, the routing-loop proof, the limits). The
 * stored-scenario path (scenario_load_text) gets the scenario text too. Any crash,
 * sanitizer report, leak or hang is a finding; an error return is a correct answer. */
#include <errno.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "models/scenario/scenario.h"
#include "models/scenario/spec.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static char dir[64];

static void write_part(const char *name, const char *p, size_t n) {
  char path[128];
  snprintf(path, sizeof path, "%s/%s", dir, name);
  FILE *f = fopen(path, "wb");
  if (!f) abort();
  if (n && fwrite(p, 1, n, f) != n) abort();
  fclose(f);
}

/* The part of text [from, to) up to the next separator line; *next after it, or to. */
static size_t part(const char *t, size_t from, size_t to, size_t *next) {
  static const char *const seps[] = {"\n--csv--\n", "\n--include--\n", "\n--set--\n"};
  size_t end = to;
  *next = to;
  for (size_t i = 0; i < 3; i++) {
    const char *hit = memmem(t + from, to - from, seps[i], strlen(seps[i]));
    if (hit && (size_t)(hit - t) < end) {
      end = (size_t)(hit - t);
      *next = end + strlen(seps[i]);
    }
  }
  return end;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  if (!dir[0]) {
    snprintf(dir, sizeof dir, "/tmp/fuzz-scenario-%d", (int)getpid());
    if (mkdir(dir, 0700) && errno != EEXIST) abort();
  }
  char *t = malloc(size + 1);
  if (!t) return 0;
  memcpy(t, data, size);
  t[size] = '\0';
  size_t next, e0 = part(t, 0, size, &next), e1 = 0, e2 = 0, s1 = next, s2, s3;
  e1 = part(t, s1, size, &s2);
  e2 = part(t, s2, size, &s3);
  write_part("scenario.cfg", t, e0);
  write_part("sched.csv", t + s1, e1 - s1);
  write_part("part.cfg", t + s2, e2 - s2);
  /* --set lines */
  const char *sets[16];
  int nsets = 0;
  for (char *line = t + s3; line < t + size && nsets < 16;) {
    char *nl = memchr(line, '\n', (size_t)(t + size - line));
    if (nl) *nl = '\0';
    if (*line) sets[nsets++] = line;
    if (!nl) break;
    line = nl + 1;
  }
  char path[128];
  snprintf(path, sizeof path, "%s/scenario.cfg", dir);
  scenario *sc = NULL;
  spec *sp = NULL;
  sim_error err = {0};
  if (!scenario_load(&sc, path, sets, nsets, 0, &err)) spec_build(&sp, sc, &err);
  if (getenv("FUZZ_VERBOSE"))
    fprintf(stderr, "fuzz_scenario: %s\n", err.msg[0] ? err.msg : "loads");
  spec_free(sp);
  scenario_free(sc);
  t[e0] = '\0';
  if (strlen(t) == e0 && !scenario_load_text(&sc, t, "stored", &err)) {
    sp = NULL;
    spec_build(&sp, sc, &err);
    spec_free(sp);
    scenario_free(sc);
  }
  free(t);
  return 0;
}
