/* compare: what is drawn across two runs: the middle column of the split screen (the
 * difference B - A of each channel's and port's figures at the same instant, on common
 * random numbers) and a drill's scorecard (per port: peak backlog, time back to normal
 * against the recovery time objective; with a second run, both and the difference).
 * Figures come from the snapshots and from the model's recovery figures, never
 * recomputed here. */
#ifndef VIZ_COMPARE_H
#define VIZ_COMPARE_H

#include "models/kpi.h"
#include "viz/draw.h"

/* Width of the middle column for a window w pixels wide. */
int compare_width(int w);
/* v->snap is run A; b is run B; r the column. */
void compare_draw(const view_ctx *v, const snapshot *b, SDL_Rect r);
/* rec[k][0..n[k]-1]: the port rows of run k (k = 1 only with two runs). */
void score_draw(const view_ctx *v, kpi_recovery rec[2][16], char scope[2][16][64],
                const size_t n[2], int two);

#endif
