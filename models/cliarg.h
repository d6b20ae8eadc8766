/* cliarg: parsing option values for the command-line programs (customs-sim,
 * customs-sweep, customs-view), so a value means the same thing in each. */
#ifndef MODELS_CLIARG_H
#define MODELS_CLIARG_H

/* A whole number in [lo, hi], the whole string: 0, or -1 if not. */
int cliarg_long(const char *s, long lo, long hi, long *out);

#endif
