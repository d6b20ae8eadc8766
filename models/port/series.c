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
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "models/port/series.h"
#include "models/port/staff.h"

/* Samples a block of the spool: its buffer is SER_BLOCK x (rows) doubles (about 80 KB
 * for the default airport), written out when full. */
#define SER_BLOCK 128

/* The series of a run (owned by this file; the port holds a pointer). The samples go,
 * a block at a time, to an anonymous temporary file (the kpi.h spool layout), so memory
 * stays flat however long the run; to memory if no such file can be made. */
typedef struct series_rt {
  size_t n, i;            /* samples planned, taken */
  size_t nrow;            /* rows of a sample: the sources, released per channel, time */
  double *blk;            /* [nrow][SER_BLOCK]: the block being filled */
  FILE *spool;            /* the blocks written so far, or NULL: they are in mem */
  double *mem;            /* [block][nrow][SER_BLOCK] without a spool file */
  size_t cap_mem;         /* blocks mem holds */
  int failed;             /* a block could not be kept: the series are lost */
  double last_t_h;        /* the last sample's time, hours */
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

/* The spool's rows (kpi.h): the sources, then items released per channel, then time. */
static size_t row_rel(const spec *sp, size_t c) { return nsources(sp) + c; }
static size_t row_time(const spec *sp) { return nsources(sp) + sp->nch; }

int series_init(port *p) {
  const spec *sp = p->sp;
  series_rt *r = p->ser = calloc(1, sizeof *r);
  if (!r) return -1;
  if (sp->sample_min > 0) r->n = (size_t)floor(p->t_end / sp->sample_min) + 1;
  size_t nsrc = nsources(sp) ? nsources(sp) : 1;
  r->nrow = nsources(sp) + sp->nch + 1;
  r->blk = calloc(r->nrow * SER_BLOCK, sizeof *r->blk);
  r->base = calloc(nsrc, sizeof *r->base);
  r->prev = calloc(nsrc, sizeof *r->prev);
  r->cum = calloc(nsrc, sizeof *r->cum);
  if (r->n) r->spool = tmpfile(); /* NULL: the blocks stay in memory */
  return r->blk && r->base && r->prev && r->cum ? 0 : -1;
}

void series_free(port *p) {
  series_rt *r = p->ser;
  if (!r) return;
  free(r->blk);
  free(r->mem);
  if (r->spool) fclose(r->spool);
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

/* Keeps the block being filled as block b of the spool (again if it was kept before,
 * partly filled). -1 if it cannot. */
static int keep_block(series_rt *r, size_t b) {
  size_t bytes = r->nrow * SER_BLOCK * sizeof *r->blk;
  if (r->spool)
    return pwrite(fileno(r->spool), r->blk, bytes, (off_t)(b * bytes)) == (ssize_t)bytes ? 0 : -1;
  if (b >= r->cap_mem) {
    size_t ncap = r->cap_mem ? 2 * r->cap_mem : 4;
    double *m = realloc(r->mem, ncap * bytes);
    if (!m) return -1;
    r->mem = m, r->cap_mem = ncap;
  }
  memcpy((char *)r->mem + b * bytes, r->blk, bytes);
  return 0;
}

void series_sample(port *p) {
  series_rt *r = p->ser;
  const spec *sp = p->sp;
  size_t i = r->i, n = nsources(sp), b = i % SER_BLOCK;
  if (i >= r->n) return;
  double now = *p->clock, dt = i ? now - r->last_t_h * 60 : 0, *v = r->blk + b;
  r->last_t_h = now / 60;
  v[row_time(sp) * SER_BLOCK] = r->last_t_h;
  integrals(p, now, r->cum);
  for (size_t j = 0; j < n; j++) {
    double total = r->base[j] + r->cum[j];
    if (dt > 0) v[j * SER_BLOCK] = (total - r->prev[j]) / dt;
    r->prev[j] = total;
  }
  if (dt <= 0) { /* the first sample: nothing to average yet, the level then */
    levels(p, r->cum);
    for (size_t j = 0; j < n; j++) v[j * SER_BLOCK] = r->cum[j];
  }
  for (size_t c = 0; c < sp->nch; c++)
    v[row_rel(sp, c) * SER_BLOCK] = (double)p->ch[c].released_all;
  r->i++;
  if (b + 1 == SER_BLOCK && !r->failed && keep_block(r, i / SER_BLOCK)) {
    r->failed = 1;
    port_fail(p, SIM_EIO, "cannot keep the time series (temporary file or memory full)");
  }
}

size_t series_planned(const port *p) { return p->ser->n; }
size_t series_taken(const port *p) { return p->ser->i; }
double series_last_time_h(const port *p) { return p->ser->last_t_h; }

/* Row `row` of the samples taken into out: the full blocks from the spool (or memory),
 * the last one from the block being filled. */
static int read_row(const series_rt *r, size_t row, double *out) {
  size_t full = r->i / SER_BLOCK * SER_BLOCK, bytes = r->nrow * SER_BLOCK * sizeof *r->blk;
  if (r->failed) return -1;
  if (r->spool) {
    if (full && kpi_spool_row(r->spool, r->nrow, SER_BLOCK, row, full, out)) return -1;
  } else {
    for (size_t s = 0; s < full; s += SER_BLOCK)
      memcpy(out + s, (const char *)r->mem + s / SER_BLOCK * bytes + row * SER_BLOCK * sizeof *out,
             SER_BLOCK * sizeof *out);
  }
  memcpy(out + full, r->blk + row * SER_BLOCK, (r->i - full) * sizeof *out);
  return 0;
}

int series_times_into(const port *p, double *out) {
  return read_row(p->ser, row_time(p->sp), out);
}
int series_insys_into(const port *p, int ch, double *out) {
  return read_row(p->ser, 2 * p->sp->nst + (size_t)ch, out);
}
int series_released_into(const port *p, int ch, double *out) {
  return read_row(p->ser, row_rel(p->sp, (size_t)ch), out);
}

/* Rows first..first+count-1 into to ([count][taken]). */
static int read_rows(const series_rt *r, size_t first, size_t count, double *to) {
  for (size_t j = 0; j < count; j++)
    if (read_row(r, first + j, to + j * r->i)) return -1;
  return 0;
}

int series_kpis(port *p, kpi_run *k, int take) {
  series_rt *r = p->ser;
  const spec *sp = p->sp;
  size_t m = r->i ? r->i : 1, nst = sp->nst ? sp->nst : 1, np = sp->npool ? sp->npool : 1;
  size_t o_insys = 2 * sp->nst;
  k->t_h = calloc(m, sizeof *k->t_h);
  k->in_system = calloc(m * (sp->nch ? sp->nch : 1), sizeof *k->in_system);
  if (!k->t_h || !k->in_system || read_row(r, row_time(sp), k->t_h) ||
      read_rows(r, o_insys, sp->nch, k->in_system))
    return -1;
  if (take && r->spool && r->i) { /* the rest stays in the file until kpi_run_load_series */
    /* the file's own handle, so the port can still read it (recovery figures) */
    int fd = r->i % SER_BLOCK && keep_block(r, r->i / SER_BLOCK) ? -1 : dup(fileno(r->spool));
    if (fd >= 0 && (k->series_file = fdopen(fd, "rb"))) {
      k->series_rows = r->nrow;
      k->series_block = SER_BLOCK;
      return 0;
    }
    /* no descriptor left (many replications under a low limit): read into memory */
    if (fd >= 0) close(fd);
  }
  k->queue = calloc(m * nst, sizeof *k->queue);
  k->busy = calloc(m * nst, sizeof *k->busy);
  k->on_duty = calloc(m * np, sizeof *k->on_duty);
  k->staff_busy = calloc(m * np, sizeof *k->staff_busy);
  if (!k->queue || !k->busy || !k->on_duty || !k->staff_busy) return -1;
  size_t o_on = o_insys + sp->nch;
  return read_rows(r, 0, sp->nst, k->queue) || read_rows(r, sp->nst, sp->nst, k->busy) ||
                 read_rows(r, o_on, sp->npool, k->on_duty) ||
                 read_rows(r, o_on + sp->npool, sp->npool, k->staff_busy)
             ? -1
             : 0;
}
