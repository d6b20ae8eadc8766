/* recorder_internal: what recorder.c, recorder_h5.c, recorder_summary.c and
 * recorder_coords.c share. Not for use outside sim/. */
#ifndef SIM_RECORDER_INTERNAL_H
#define SIM_RECORDER_INTERNAL_H

#include <hdf5.h>
#include <stdbool.h>

#include "sim/recorder.h"

typedef struct rec_pending rec_pending;

struct recorder {
  hid_t file;
  char *path, *partial;
  rec_log *logs;
  bool broken;      /* an I/O write failed: refuse further work, drop the file at the end */
  char failure[640];
  rec_pending *pend; /* series written, to attach to their scales at close */
  size_t npend, cappend;
};

/* HDF5's automatic error printing, saved while a public function runs silenced. */
typedef struct rec_quiet {
  H5E_auto2_t fn;
  void *data;
} rec_quiet;
rec_quiet rec_quiet_on(void);
void rec_quiet_off(rec_quiet q);
/* Records an HDF5 failure as one line naming the file and the object (and diverts the
 * file once the system refused I/O); returns SIM_EIO. */
int rec_h5_fail(recorder *r, sim_error *err, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
/* Points the file's descriptor at an anonymous memory file once it is lost (HDF5 1.10
 * cannot close a file whose last flush failed), and marks the recorder broken. */
void rec_divert(recorder *r);
void rec_h5_close(hid_t id);
char *rec_dup(const char *s);
/* 1 if every link on the path exists, 0 if not, -1 without memory. */
int rec_exists(hid_t file, const char *path);
/* SIM_OK, or why r cannot take an object at path. */
int rec_check_path(const recorder *r, const char *path, sim_error *err);
hid_t rec_lcpl_new(void);
hid_t rec_str_type(void);
/* A string-array attribute (n > 0) or a scalar one (n == 0, v[0] the value). */
herr_t rec_put_strs(hid_t obj, const char *name, const char *const *v, size_t n);
/* The `units` and `long_name` attributes. */
herr_t rec_describe(hid_t obj, const char *units, const char *long_name);
/* A group without modification times (the same run gives the same bytes). */
hid_t rec_group_new(hid_t file, const char *path);
int rec_ensure_parents(recorder *r, const char *path);

/* SIM_OK, or an error when the recorder failed or the path is taken or malformed. */
int rec_check_new(recorder *r, const char *path, sim_error *err);
/* SIM_OK, or an error when the column descriptions are unusable. */
int rec_check_cols(const char *path, const rec_col *cols, size_t ncols, sim_error *err);
/* The PATH.partial being written (for messages). */
const char *rec_partial_path(const recorder *r);
/* Notes a series (dataset path, its axis and replication scales) to attach at close;
 * -1 without memory (recorder_coords.c). */
int rec_note_series(recorder *r, const char *dset, const char *axis, const char *rep);
/* Attaches every noted series, to copies of its scales in its own group where the names
 * are free, else to the shared scales; forgets the notes. -1 on an HDF5 failure. */
int rec_attach_series(recorder *r);
void rec_pending_free(recorder *r);

#endif
