/* warmup: the automatic warm-up (--warmup auto). A pilot replication runs the scenario's
 * whole horizon (warm-up plus measured days) from time zero; MSER-5 on each channel's
 * in-system series gives the samples to delete, and the warm-up is the largest over the
 * channels, rounded up to whole hours. While MSER-5 stops at its limit (half the pilot:
 * the series may still be rising), the pilot is doubled, up to eight times the horizon. */
#ifndef MODELS_WARMUP_H
#define MODELS_WARMUP_H

#include <signal.h>
#include <stdint.h>

#include "models/scenario/spec.h"
#include "sim/error.h"

typedef struct warmup_choice {
  double days;       /* the warm-up chosen */
  double pilot_days; /* the pilot's horizon */
  int at_limit;      /* MSER-5 hit its limit even in the longest pilot: it may never settle */
} warmup_choice;

/* Runs the pilot and sets sp->warmup_min to the choice. */
int warmup_auto(spec *sp, uint64_t seed, const volatile sig_atomic_t *interrupt, warmup_choice *out,
                sim_error *err);

#endif
