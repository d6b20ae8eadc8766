/* cli_args: option values, the version line and output paths (see cli.h). */
#include "models/cli/cli.h"

#include <errno.h>
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

int cli_seed(const char *arg, uint64_t *out) {
  char *end;
  errno = 0;
  unsigned long long v = strtoull(arg, &end, 10);
  if (!*arg || *end || errno || arg[0] == '-' || arg[0] == '+' || arg[0] == ' ') return -1;
  *out = (uint64_t)v;
  return 0;
}

int cli_days(const char *arg, double *out) {
  char *end;
  errno = 0;
  double v = strtod(arg, &end);
  if (!*arg || *end || errno || !(v > 0 && v <= 3650)) return -1;
  *out = v;
  return 0;
}

int cli_warmup(const char *arg) {
  if (!strcmp(arg, "auto")) return 0;
  char *end;
  errno = 0;
  double v = strtod(arg, &end);
  return !*arg || *end || errno || !(v >= 0 && v <= 3650) ? -1 : 0;
}

void cli_version(const char *prog) { printf("%s %s\n", prog, CUSTOMS_VERSION); }

static int file_name_ok(const char *name) {
  if (!name[0] || name[0] == '.') return 0;
  for (const unsigned char *c = (const unsigned char *)name; *c; c++)
    if (*c == '/' || *c < 0x20 || *c == 0x7f) return 0;
  return strlen(name) <= 200;
}

char *cli_default_out(const char *name, const char *suffix, sim_error *err) {
  if (!file_name_ok(name)) {
    sim_error_set(err, SIM_EINVAL,
                  "the scenario name '%s' cannot be a file name: give the result "
                  "file with -o FILE",
                  name);
    return NULL;
  }
  if (mkdir("results", 0777) != 0 && errno != EEXIST) {
    sim_error_set(err, SIM_EINVAL,
                  "cannot create the folder results: %s (give the result file "
                  "with -o FILE)",
                  strerror(errno));
    return NULL;
  }
  char *p = NULL;
  if (asprintf(&p, "results/%s%s.h5", name, suffix ? suffix : "") < 0) {
    sim_error_set(err, SIM_ENOMEM, "out of memory");
    return NULL;
  }
  return p;
}

int cli_output_check(const char *path, int *replaced, sim_error *err) {
  struct stat st;
  *replaced = 0;
  if (!path[0]) return sim_error_set(err, SIM_EINVAL, "empty output file name");
  if (stat(path, &st) == 0) {
    if (S_ISDIR(st.st_mode))
      return sim_error_set(err, SIM_EINVAL,
                           "%s is a directory: give a file name, such as %s/run.h5", path, path);
    if (!S_ISREG(st.st_mode))
      return sim_error_set(err, SIM_EINVAL, "%s exists and is not a regular file", path);
    *replaced = 1;
  } else if (errno != ENOENT) {
    return sim_error_set(err, SIM_EINVAL, "%s: %s", path, strerror(errno));
  }
  char *copy = strdup(path);
  if (!copy) return sim_error_set(err, SIM_ENOMEM, "out of memory");
  const char *dir = dirname(copy);
  int rc = 0;
  /* the result is written beside the target (path.partial) and renamed into place */
  if (stat(dir, &st) != 0)
    rc = sim_error_set(err, SIM_EINVAL, "%s: cannot write there: folder %s: %s", path, dir,
                       strerror(errno));
  else if (!S_ISDIR(st.st_mode))
    rc = sim_error_set(err, SIM_EINVAL, "%s: cannot write there: %s is not a folder", path, dir);
  else if (access(dir, W_OK | X_OK) != 0)
    rc = sim_error_set(err, SIM_EINVAL, "%s: cannot write in folder %s: %s", path, dir,
                       strerror(errno));
  free(copy);
  return rc;
}
