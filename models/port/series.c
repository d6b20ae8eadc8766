/* series: the /series time series of a replication. Every value is the time average of
 * its level over the interval that ends at its sample time (the first sample, at time
 * zero, is the level then), so the series keep Little's law: the mean of in_system over
 * the samples of a period is the time-average number of items in the system.
 *
 * The levels are integrated by the statistics the model keeps anyway (the resources'
 * queue and busy averages, the channels' and pools' levels); those are reset when the
 * warm-up ends, so the integral before a reset is carried over in `base`. Each sample
 * also records the items each channel released so far (the recovery figures). */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "models/port/series.h"
#include "models/port/staff.h"

/* The series of a run (owned by this file; the port holds a pointer). */
typedef struct series_rt {
  size_t n, i;            /* samples planned, taken */
  double *t_h;            /* [n] sample times, hours */
  double *queue, *busy;   /* [nst][n] */
  double *insys;          /* [nch][n] */
  double *on, *staff;     /* [npool][n] on duty, busy persons */
  double *rel;            /* [nch][n] items released so far, warm-up included */
  double *base, *prev;    /* per source: integral before the last reset, at the last sample */
  double *cum;            /* per source: scratch */
} series_rt;

/* Sources, in order: station queues, station busy servers, channel in-system, pool on
 * duty, pool busy persons. */
static size_t nsources(const spec *sp) { return 2 * sp->nst + sp->nch + 2 * sp->npool; }

/* The integral of every source since its last reset, up to now. */
static void integrals(const port *p, double now, double *out) {
  const spec *sp = p->sp;
  size_t o = 0;
  for (size_t k = 0; k < sp->nst; k++) {
    const station_rt *s = &p->st[k];
    double q = timeavg_integral(&s->blocked_t, now);
    if (s->res) q += timeavg_integral(&res_get_stats(s->res)->queue, now);
    out[o++] = q;
  }
  for (size_t k = 0; k < sp->nst; k++) {
    const station_rt *s = &p->st[k];
    out[o++] = s->res ? timeavg_integral(&res_get_stats(s->res)->busy, now)
                      : timeavg_integral(&s->busy_u, now);
  }
  for (size_t k = 0; k < sp->nch; k++) out[o++] = timeavg_integral(&p->ch[k].insys_t, now);
  for (size_t k = 0; k < sp->npool; k++) out[o++] = staff_on_integral(p, (int)k, now);
  for (size_t k = 0; k < sp->npool; k++) out[o++] = staff_busy_integral(p, (int)k, now);
}

/* The level of every source now (the value of the first sample). */
static void levels(const port *p, double *out) {
  const spec *sp = p->sp;
  size_t o = 0;
  for (size_t k = 0; k < sp->nst; k++) {
    const station_rt *s = &p->st[k];
    out[o++] = (double)fifo_len(&s->blocked) + (s->res ? (double)res_queue_len(s->res) : 0);
  }
  for (size_t k = 0; k < sp->nst; k++) {
    const station_rt *s = &p->st[k];
    out[o++] = s->res ? res_busy(s->res) : (double)s->present;
  }
  for (size_t k = 0; k < sp->nch; k++) out[o++] = (double)p->ch[k].in_system;
  for (size_t k = 0; k < sp->npool; k++) out[o++] = staff_on_duty_persons(p, (int)k);
  for (size_t k = 0; k < sp->npool; k++) out[o++] = staff_busy_persons(p, (int)k);
}

int series_init(port *p) {
  const spec *sp = p->sp;
  series_rt *r = p->ser = calloc(1, sizeof *r);
  if (!r) return -1;
  if (sp->sample_min > 0) r->n = (size_t)floor(p->t_end / sp->sample_min) + 1;
  size_t ns = r->n ? r->n : 1, nsrc = nsources(sp) ? nsources(sp) : 1;
  size_t nst = sp->nst ? sp->nst : 1, np = sp->npool ? sp->npool : 1;
  r->t_h = calloc(ns, sizeof *r->t_h);
  r->queue = calloc(ns * nst, sizeof *r->queue);
  r->busy = calloc(ns * nst, sizeof *r->busy);
  r->insys = calloc(ns * sp->nch, sizeof *r->insys);
  r->on = calloc(ns * np, sizeof *r->on);
  r->staff = calloc(ns * np, sizeof *r->staff);
  r->rel = calloc(ns * (sp->nch ? sp->nch : 1), sizeof *r->rel);
  r->base = calloc(nsrc, sizeof *r->base);
  r->prev = calloc(nsrc, sizeof *r->prev);
  r->cum = calloc(nsrc, sizeof *r->cum);
  return r->t_h && r->queue && r->busy && r->insys && r->on && r->staff && r->rel && r->base &&
                 r->prev && r->cum
             ? 0
             : -1;
}

void series_free(port *p) {
  series_rt *r = p->ser;
  if (!r) return;
  free(r->t_h);
  free(r->queue);
  free(r->busy);
  free(r->insys);
  free(r->on);
  free(r->staff);
  free(r->rel);
  free(r->base);
  free(r->prev);
  free(r->cum);
  free(r);
  p->ser = NULL;
}

void series_before_reset(port *p) {
  series_rt *r = p->ser;
  integrals(p, *p->clock, r->cum);
  for (size_t j = 0, n = nsources(p->sp); j < n; j++) r->base[j] += r->cum[j];
}

/* Where source j's value of sample i goes. */
static double *slot(series_rt *r, const spec *sp, size_t j, size_t i) {
  if (j < sp->nst) return &r->queue[j * r->n + i];
  j -= sp->nst;
  if (j < sp->nst) return &r->busy[j * r->n + i];
  j -= sp->nst;
  if (j < sp->nch) return &r->insys[j * r->n + i];
  j -= sp->nch;
  if (j < sp->npool) return &r->on[j * r->n + i];
  j -= sp->npool;
  return &r->staff[j * r->n + i];
}

void series_sample(port *p) {
  series_rt *r = p->ser;
  const spec *sp = p->sp;
  size_t i = r->i, n = nsources(sp);
  if (i >= r->n) return;
  double now = *p->clock, dt = i ? now - r->t_h[i - 1] * 60 : 0;
  r->t_h[i] = now / 60;
  integrals(p, now, r->cum);
  for (size_t j = 0; j < n; j++) {
    double total = r->base[j] + r->cum[j];
    if (dt > 0) *slot(r, sp, j, i) = (total - r->prev[j]) / dt;
    r->prev[j] = total;
  }
  if (dt <= 0) { /* the first sample: nothing to average yet, the level then */
    levels(p, r->cum);
    for (size_t j = 0; j < n; j++) *slot(r, sp, j, i) = r->cum[j];
  }
  for (size_t c = 0; c < sp->nch; c++) r->rel[c * r->n + i] = (double)p->ch[c].released_all;
  r->i++;
}

size_t series_planned(const port *p) { return p->ser->n; }
size_t series_taken(const port *p) { return p->ser->i; }
const double *series_times_h(const port *p) { return p->ser->t_h; }
const double *series_insys(const port *p, int ch) { return p->ser->insys + (size_t)ch * p->ser->n; }
const double *series_released(const port *p, int ch) {
  return p->ser->rel + (size_t)ch * p->ser->n;
}

/* Copies `taken` samples of each series into k's arrays ([source][taken]). */
static void copy_rows(double *to, const double *from, size_t rows, size_t taken, size_t n) {
  for (size_t i = 0; i < rows; i++) memcpy(to + i * taken, from + i * n, taken * sizeof(double));
}

void series_kpis(const port *p, kpi_run *k) {
  const series_rt *r = p->ser;
  const spec *sp = p->sp;
  size_t m = r->i;
  copy_rows(k->in_system, r->insys, sp->nch, m, r->n);
  copy_rows(k->queue, r->queue, sp->nst, m, r->n);
  copy_rows(k->busy, r->busy, sp->nst, m, r->n);
  copy_rows(k->on_duty, r->on, sp->npool, m, r->n);
  copy_rows(k->staff_busy, r->staff, sp->npool, m, r->n);
  memcpy(k->t_h, r->t_h, m * sizeof(double));
}
