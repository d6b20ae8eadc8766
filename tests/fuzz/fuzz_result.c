/* fuzz_result: libFuzzer harness for the result reader of customs-report (make fuzz).
 * The input is written as a file and read as customs-report reads a result file:
 * report_open (the schema check), the KPI summary with every table, and a comparison
 * of the file with itself. HDF5 1.10 trusts sizes it finds in a file, so some damaged
 * files crash inside the library itself: customs-report runs its work in a child
 * process for that reason; a crash whose stack is in the project's code is a finding
 * of ours. */
#include <errno.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include <hdf5.h>

#include "models/report/report.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  static char path[64];
  static FILE *sink;
  if (!path[0]) {
    snprintf(path, sizeof path, "/tmp/fuzz-result-%d.h5", (int)getpid());
    H5Eset_auto2(H5E_DEFAULT, NULL, NULL);
    sink = fopen("/dev/null", "w");
  }
  FILE *f = fopen(path, "wb");
  if (!f) abort();
  if (size && fwrite(data, 1, size, f) != size) abort();
  fclose(f);
  report_file *r = NULL;
  sim_error err = {0};
  if (!report_open(&r, path, &err)) {
    report_print_summary(r, sink, &err);
    report_compare_opts co = {false, NULL, false};
    report_compare(r, r, sink, &co, &err);
  }
  report_close(r);
  return 0;
}
