/* error: the one way code below main reports a failure.
 * A function that can fail returns a negative code and, when given a non-NULL
 * sim_error, records a one-line message there. main decides what to print and the
 * exit status. The struct is caller-owned; nothing here allocates. */
#ifndef SIM_ERROR_H
#define SIM_ERROR_H

#include <stddef.h>

enum {
  SIM_OK = 0,
  SIM_EINVAL = -1, /* bad input: scenario, option, file content (exit status 2) */
  SIM_ENOMEM = -2, /* allocation failed */
  SIM_EIO = -3,    /* file system or HDF5 failure (exit status 1) */
  SIM_ERUN = -4,   /* the run itself failed */
  SIM_EINTR = -5,  /* interrupted by a signal */
  SIM_ESTALL = -6  /* the simulated clock stopped advancing (sim.h: stall guard) */
};

typedef struct sim_error {
  int code;
  char msg[640];
} sim_error;

/* Records fmt in e (if e is non-NULL) and returns code, so callers can write
 * `return sim_error_set(err, SIM_EINVAL, "...", ...);`. */
int sim_error_set(sim_error *e, int code, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* Prepends "prefix: " to an existing message (adds context while unwinding). */
int sim_error_wrap(sim_error *e, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

void sim_error_clear(sim_error *e);

#endif
