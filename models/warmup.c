/* warmup: choosing the warm-up by MSER-5 (see warmup.h). */
#include "models/warmup.h"

#include <math.h>
#include <stdlib.h>

#include "models/diagnose.h"
#include "models/experiment.h"

/* One pilot of `horizon` minutes from time zero; the MSER-5 choice in samples. */
static int pilot(spec *sp, uint64_t seed, double horizon, const volatile sig_atomic_t *interrupt,
                 warmup_choice *out, sim_error *err) {
  double warm = sp->warmup_min, days = sp->days_min;
  sp->days_min = horizon;
  sp->warmup_min = 0;
  kpi_run k = {0};
  int done = 0;
  /* a replication index of its own: the run's replications do not reuse its numbers */
  exp_opts o = {
      .seed = seed, .reps = 1, .jobs = 1, .first_rep = UINT32_MAX - 1, .interrupt = interrupt};
  int rc = experiment_run(sp, &o, &k, &done, err);
  sp->warmup_min = warm;
  sp->days_min = days;
  if (rc) {
    kpi_run_free(&k);
    return rc;
  }
  size_t n = k.nsamples, worst = 0;
  for (size_t c = 0; c < k.nch; c++) {
    size_t d = diagnose_mser5(k.in_system + c * n, n);
    if (d > worst) worst = d;
  }
  double t_h = worst < n ? k.t_h[worst] : k.t_h[n - 1];
  out->pilot_days = horizon / 1440;
  out->days = fmax(0, ceil(t_h - 1e-9)) / 24; /* whole hours */
  out->at_limit = worst >= 5 * ((n / 5) / 2);
  kpi_run_free(&k);
  return 0;
}

int warmup_auto(spec *sp, uint64_t seed, const volatile sig_atomic_t *interrupt, warmup_choice *out,
                sim_error *err) {
  *out = (warmup_choice){0};
  if (!(sp->sample_min > 0))
    return sim_error_set(err, SIM_EINVAL,
                         "--warmup auto needs the time series (output.sample_min > 0)");
  /* the scenario's whole horizon first; longer pilots while MSER-5 sits at its limit */
  double horizon = sp->warmup_min + sp->days_min;
  for (int k = 0; k < 4; k++, horizon *= 2) {
    int rc = pilot(sp, seed, horizon, interrupt, out, err);
    if (rc) return rc;
    if (!out->at_limit) break;
  }
  sp->warmup_min = out->days * 1440;
  return 0;
}
