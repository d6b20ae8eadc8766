/* diagnose: steady-state diagnostics of a run's time series: the trend of a backlog
 * after warm-up, and the MSER-5 truncation point (an automatic warm-up). Nothing here
 * allocates beyond a call. */
#ifndef MODELS_DIAGNOSE_H
#define MODELS_DIAGNOSE_H

#include <stddef.h>

#include "models/kpi.h"

/* The least-squares slope (per day) of batch means of x over samples [first, n) at
 * times t_h (hours); returns 1 when the backlog rises: the slope is significantly above
 * zero (one-sided t test at 95% on the batch means) and the rise over the span is more
 * than 5% of the mean level and more than one item. 0 otherwise, or when there are too
 * few samples (slope NaN). With cycle_h > 0 (arrivals that follow the clock) a batch is
 * a whole number of cycles, so the cycle cannot pass for a trend: fewer than four whole
 * cycles measured tell nothing (slope NaN). */
int diagnose_trend(const double *x, const double *t_h, size_t first, size_t n, double cycle_h,
                   double *slope_per_day);

/* MSER-5: the number of leading samples of x[0..n) to delete (a multiple of 5, at most
 * half) that minimizes the standard error of the mean of the rest (White, 1997). */
size_t diagnose_mser5(const double *x, size_t n);

struct spec;
/* Fills the backlog trend figures of k's channels from its in-system series (k->t_h,
 * k->in_system: filled before), judged after the warm-up of t_warm_min minutes. */
void diagnose_trends(const struct spec *sp, double t_warm_min, kpi_run *k);

#endif
