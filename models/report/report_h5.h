/* report_h5: what report_read.c and report_columns.c share about open files (the
 * HDF5 handle); the rest of customs-report never sees HDF5 types. */
#ifndef MODELS_REPORT_REPORT_H5_H
#define MODELS_REPORT_REPORT_H5_H

#include <hdf5.h>

#include "models/report/report.h"

struct report_file {
  hid_t file;
  char *path;
};

/* Fills err with "FILE: OBJ: WHAT: HDF5's innermost reason" and returns code. */
int report_h5_fail(const report_file *f, sim_error *err, int code, const char *what,
                   const char *obj);

#endif
