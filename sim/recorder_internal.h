/* recorder_internal: what recorder_summary.c needs of the recorder's internals. Not for
 * use outside sim/. */
#ifndef SIM_RECORDER_INTERNAL_H
#define SIM_RECORDER_INTERNAL_H

#include "sim/recorder.h"

/* SIM_OK, or an error when the recorder failed or the path is taken or malformed. */
int rec_check_new(recorder *r, const char *path, sim_error *err);
/* SIM_OK, or an error when the column descriptions are unusable. */
int rec_check_cols(const char *path, const rec_col *cols, size_t ncols, sim_error *err);
/* The PATH.partial being written (for messages). */
const char *rec_partial_path(const recorder *r);

#endif
