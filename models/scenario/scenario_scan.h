/* scenario_scan: a look at scenario text before the configuration library reads it.
 * libconfig 1.5 opens `@include` files without asking and ends the process when one is
 * a directory, follows includes in any text it is given (a result file's stored
 * scenario too), and slows quadratically on very long tokens. This scan reads the text
 * as the library's scanner does (comments, strings, `@include` at the start of a line)
 * and refuses, with file and line:
 *   - an `@include` of anything but a regular file (a directory, a FIFO, a device), or
 *     of a file that cannot be opened, and includes nested deeper than the library's 10;
 *   - any `@include` at all when includes are off (text from a result file);
 *   - a token (a string, a name, a number, a comment) longer than SCAN_MAX_TOKEN;
 *   - a file larger than SCAN_MAX_FILE.
 * Include paths are resolved as libconfig 1.5 resolves them: relative to the include
 * directory (the top scenario's folder), a leading '/' dropped. */
#ifndef MODELS_SCENARIO_SCENARIO_SCAN_H
#define MODELS_SCENARIO_SCENARIO_SCAN_H

#include <stddef.h>

#include "sim/error.h"

#define SCAN_MAX_TOKEN (1 << 20)   /* bytes: longer strings belong in a CSV file */
#define SCAN_MAX_FILE (256L << 20) /* bytes of one scenario file */
#define SCAN_MAX_DEPTH 10          /* libconfig 1.5's include nesting limit */

/* Checks the scenario file at path (which must be a regular file) and every file it
 * includes. include_dir: the folder includes are relative to (NULL: the current one).
 * Returns 0, or SIM_EINVAL with a one-line message naming file and line. */
int scenario_scan_file(const char *path, const char *include_dir, sim_error *err);

/* Checks len bytes of scenario text held in memory, called `name` in messages; every
 * `@include` is refused. */
int scenario_scan_text(const char *text, size_t len, const char *name, sim_error *err);

#endif
