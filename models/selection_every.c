/* selection_every: every k-th selection, k = gap + offset drawn afresh after each
 * selected item (see selection.h). Kept apart from the score-based policies of
 * selection.c: it reads no scores and keeps no window. */
#include <stdlib.h>

#include "models/selection.h"

struct selection_every {
  count_dist gap;
  long offset;
  long left;  /* items still to come before the next selected one, the selected one included */
  int armed;  /* left holds a drawn count */
};

selection_every *selection_every_new(const count_dist *gap, long offset, sim_error *err) {
  selection_every *e = calloc(1, sizeof *e);
  if (!e || (gap && count_dist_copy(&e->gap, gap))) {
    free(e);
    sim_error_set(err, SIM_ENOMEM, "selection: out of memory");
    return NULL;
  }
  if (!gap) e->gap = count_dist_fixed(0);
  e->offset = offset;
  return e;
}

void selection_every_free(selection_every *e) {
  if (!e) return;
  count_dist_deinit(&e->gap);
  free(e);
}

int selection_every_next(selection_every *e, gsl_rng *r) {
  if (!e->armed) {
    long k = count_dist_sample(&e->gap, r) + e->offset;
    e->left = k < 1 ? 1 : k;
    e->armed = 1;
  }
  if (--e->left > 0) return 0;
  e->armed = 0;
  return 1;
}
