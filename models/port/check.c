/* check: the invariants every run keeps, checked at every sample and at the end:
 * staff never start beyond the persons on duty and are never idle beside a station that
 * waits for them (staff.c), stations never open more servers than allowed, and every
 * item is accounted for. A violation stops the run (exit 1): a file is never written
 * with figures that break them. The checks cost a few operations per station and
 * channel per sample. */
#include <math.h>
#include <stdlib.h>

#include "models/coast.h"
#include "models/port/check.h"
#include "models/port/staff.h"

/* The accounting identity of each channel over the measured period. */
static int accounts(const port *p, char *why, size_t n) {
  if (!p->measuring) return 0;
  for (size_t c = 0; c < p->sp->nch; c++) {
    const channel_rt *ch = &p->ch[c];
    int64_t in = ch->in_system_start + ch->arrived + ch->diverted_in;
    int64_t out = ch->released + ch->seized + ch->lost + ch->diverted_out + ch->in_system;
    if (in != out)
      return snprintf(
          why, n,
          "channel %s: items not conserved (%lld at the start + %lld arrived + %lld diverted in; "
          "%lld released + %lld seized + %lld lost + %lld diverted out + %lld in the system)",
          ch->sp->name, (long long)ch->in_system_start, (long long)ch->arrived,
          (long long)ch->diverted_in, (long long)ch->released, (long long)ch->seized,
          (long long)ch->lost, (long long)ch->diverted_out, (long long)ch->in_system);
  }
  return 0;
}

void port_check(port *p) {
  char why[512];
  if (sim_failed(p->s)) return;
  if (staff_check(p, why, sizeof why) > 0 || accounts(p, why, sizeof why) > 0 ||
      (p->coast && coast_check(p->coast, why, sizeof why) > 0))
    port_fail(p, SIM_ERUN, "invariant broken at %.6g h: %s", *p->clock / 60, why);
}

int port_check_items(port *p) {
  size_t nch = p->sp->nch;
  int64_t *alive = calloc(nch ? nch : 1, sizeof *alive);
  if (!alive) {
    port_fail(p, SIM_ENOMEM, "out of memory checking the items");
    return -1;
  }
  for (uint32_t j = 0; j < p->njobs; j++) {
    int32_t ch = job_at(p, j)->ch;
    if (ch >= 0 && (size_t)ch < nch) alive[ch]++;
  }
  int rc = 0;
  for (size_t c = 0; c < nch && !rc; c++) {
    const channel_rt *ch = &p->ch[c];
    int64_t want = alive[c] + ch->held + ch->held_pending;
    if (want != ch->in_system) {
      port_fail(p, SIM_ERUN,
                "invariant broken at the end: channel %s counts %lld items in the system, %lld are",
                ch->sp->name, (long long)ch->in_system, (long long)want);
      rc = -1;
    }
  }
  free(alive);
  return rc;
}
