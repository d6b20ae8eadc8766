/* surrogate_cache: calibration tables kept on disk (kernel_opts.cache_dir, which the
 * simulator sets to the cache folder of kcache.h), so a run does not rebuild a table
 * that an earlier run with the same settings built. A kernel may store a few values of
 * its own with the table (the X-ray kernel keeps its trained classifier there), or only
 * those values.
 * A cache is an optimisation: a table loaded from it is the table surrogate_build would
 * make, bit for bit, and any problem with the cache (no directory, no permission, a
 * damaged or foreign file) only means the table is built as if there were none.
 *
 * The key. Everything that determines the table: SURROGATE_CACHE_FORMAT, the kernel's
 * name, the kernel's outcome version, every parameter's name and value (bit pattern),
 * the seed, the GSL version (generators and samplers), free text from the kernel (for
 * example a digest of tables it got from a library), the surrogate_spec contents (kinds,
 * rows, contraband kinds, amount edges, concealments, counts) and the number of the
 * kernel's own values. The file is named "<kernel>-<16 hex digits of a 64-bit FNV-1a
 * hash of the key>.sur"; the whole key is stored inside and compared byte for byte, so
 * a hash collision costs a rebuild, never a wrong table. A spec with its own mass_kg
 * function cannot be keyed (its code is not data), so such a table is never cached.
 *
 * THE VERSION RULE. The key covers settings and data, not code. So:
 *  - each kernel passes an outcome version (xray: XRAY_OUTCOME_VERSION in
 *    xray_internal.h; ct and nqr: a constant next to their surrogate spec); bump it in
 *    the same change as any edit that can change that kernel's decide() outcomes
 *    (score, alarm, time) for the same parameters and seed: physics, item synthesis,
 *    detection, training, parameter meanings or defaults' handling;
 *  - bump SURROGATE_CACHE_FORMAT for any change to the file layout below or to how
 *    surrogate.c draws the calibration batch (surrogate_item, surrogate_mass_kg, the
 *    order of cells, the seeding).
 * Old files are then simply never matched again; deleting the folder is always safe.
 * The key does not name the machine: a cache copied between machines whose libm or CPU
 * give different last bits would give that machine's tables, not its own rebuild.
 *
 * File layout (integers little-endian, doubles as their IEEE-754 bits little-endian):
 *   magic "csur\r\n\x1a\n" (8 bytes), u32 SURROGATE_CACHE_FORMAT,
 *   u64 key length, key bytes, u64 naux, naux doubles,
 *   u8 has_table; if 1: u64 nkinds, ncells, nitems; ncells x (u64 off, u64 cnt);
 *   nitems score doubles, nitems time doubles, nitems alarm bytes (0 or 1);
 *   u64 FNV-1a 64 checksum of every byte before it.
 * A file is used only if the magic, format, key, counts (against the spec), offsets,
 * values (finite scores and times, alarms 0 or 1), total length and checksum all hold.
 *
 * Threads and processes. Loading reads a whole file into private memory. Storing writes
 * a private temporary file (NAME.tmp.PID.XXXXXX, from mkstemp) and renames it onto NAME,
 * which is atomic on POSIX file systems: a reader sees either no file or a complete one.
 * Two threads or processes that create the same kernel at once may both build the
 * table and both store it; the contents are identical, the last rename wins, and
 * neither ever reads a partial file. Nothing here holds global state. */
#ifndef MODELS_KERNELS_SURROGATE_CACHE_H
#define MODELS_KERNELS_SURROGATE_CACHE_H

#include <stddef.h>
#include <stdint.h>

#include "models/kernel.h"
#include "models/kernels/surrogate.h"

#define SURROGATE_CACHE_FORMAT 1u

/* What determines an entry. All pointers are borrowed for the call. */
typedef struct surrogate_key {
  const kernel_type *type;    /* name and parameter names */
  const double *params;       /* type->nparams values, as the kernel uses them */
  uint64_t seed;              /* kernel_opts.seed */
  uint32_t version;           /* the kernel's outcome version (see the rule above) */
  const char *extra;          /* more text that determines outcomes, or NULL */
  const surrogate_spec *spec; /* the table's spec; NULL: an entry of aux values only */
  size_t naux;                /* the kernel's own values stored with it (<= 1 << 20) */
} surrogate_key;

/* The path of k's entry in dir, in path[len]. Returns 0, or -1 if k cannot be cached or
 * the path does not fit. */
int surrogate_cache_path(const char *dir, const surrogate_key *k, char *path, size_t len);

/* Looks k up in dir. Returns 1 for a valid entry: then *out (if k->spec; else left
 * NULL) holds the table, owned by the caller, and aux[0 .. k->naux) the kernel's values.
 * Returns 0 otherwise (no dir, no entry, or an entry that fails any check), with *out
 * NULL and aux untouched. */
int surrogate_cache_load(const char *dir, const surrogate_key *k, surrogate **out, double *aux);

/* Stores s (the table built for k; ignored if k->spec is NULL) and aux (k->naux values)
 * as k's entry in dir, creating dir and its parents as needed. Returns 0, or -1 if
 * nothing was stored (then nothing is left behind either). */
int surrogate_cache_store(const char *dir, const surrogate_key *k, const surrogate *s,
                          const double *aux);

/* surrogate_build through the cache in o->cache_dir (NULL or "": no cache): the stored
 * table if there is a valid one for (t, params, version, o->seed, spec), else a fresh
 * build, then stored. params holds t->nparams values. Same return as surrogate_build. */
int surrogate_build_cached(surrogate **out, const kernel_type *t, const double *params,
                           uint32_t version, void *full_state, const kernel_opts *o,
                           const surrogate_spec *spec, sim_error *err);

#endif
