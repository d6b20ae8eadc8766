/* ksort: stable radix sorts of the kernels' numbers, in the order a stable comparison
 * sort gives (equal values, 0 and -0 among them, keep their given order):
 *  - ksort_floats_asc: the m floats of v (no NaN), ascending; w is the caller's scratch
 *    of 2 m words (gbt's cut points);
 *  - ksort_doubles_desc: the n doubles of v, descending (the ROC of every calibration
 *    score at each start); 0, or -1 without memory (v unchanged).
 * Nothing is kept between calls. */
#ifndef MODELS_KERNELS_KSORT_H
#define MODELS_KERNELS_KSORT_H

#include <stddef.h>
#include <stdint.h>

void ksort_floats_asc(float *v, size_t m, uint64_t *w);
int ksort_doubles_desc(double *v, size_t n);

#endif
