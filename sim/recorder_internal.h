/* recorder_internal: what recorder_summary.c and recorder_coords.c share with
 * recorder.c. Not for use outside sim/. */
#ifndef SIM_RECORDER_INTERNAL_H
#define SIM_RECORDER_INTERNAL_H

#include <hdf5.h>

#include "sim/recorder.h"

/* SIM_OK, or an error when the recorder failed or the path is taken or malformed. */
int rec_check_new(recorder *r, const char *path, sim_error *err);
/* SIM_OK, or an error when the column descriptions are unusable. */
int rec_check_cols(const char *path, const rec_col *cols, size_t ncols, sim_error *err);
/* The PATH.partial being written (for messages). */
const char *rec_partial_path(const recorder *r);
/* Gives every group copies of the dimension scales its datasets use from other groups,
 * and attaches them to the copies (recorder_coords.c); -1 on an HDF5 failure. */
int rec_local_scales(hid_t file);

#endif
