/* output_tables: the /kpi tables of one record kind each (channels, stations, staff,
 * recovery, classes, batches, coast zones and assets) and their /kpi/summary tables, with
 * their columns taken from the KPI catalogue: key columns first, then every figure of the
 * kind in catalogue order. */
#include <stdlib.h>
#include <string.h>

#include "models/arrivals.h"
#include "models/coast.h"
#include "models/item.h"
#include "models/kpi_catalog.h"
#include "models/output_internal.h"
#include "models/station.h"
#include "sim/recorder.h"

/* A table under construction: key columns given by the caller, then the catalogue's. */
typedef struct rtable {
  kpi_record kind;
  rec_col *defs;
  void **data;
  size_t ncol, nkeys, rows;
} rtable;

static size_t col_width(rec_type t) {
  return t == REC_STR ? sizeof(char *) : t == REC_ENUM ? sizeof(int32_t) : 8;
}

static void rtable_free(rtable *t) {
  for (size_t i = 0; t->data && i < t->ncol; i++) free(t->data[i]);
  free(t->data);
  free(t->defs);
}

static int rtable_init(rtable *t, kpi_record kind, const rec_col *keys, size_t nkeys, size_t rows) {
  size_t nf;
  const kpi_field *f = kpi_catalog(kind, &nf);
  *t = (rtable){.kind = kind, .ncol = nkeys + nf, .nkeys = nkeys, .rows = rows};
  t->defs = calloc(t->ncol, sizeof *t->defs);
  t->data = calloc(t->ncol, sizeof *t->data);
  if (!t->defs || !t->data) return -1;
  for (size_t i = 0; i < nkeys; i++) t->defs[i] = keys[i];
  for (size_t i = 0; i < nf; i++)
    t->defs[nkeys + i] = (rec_col){f[i].name, f[i].is_int ? REC_I64 : REC_F64, f[i].units,
                                   f[i].long_name, NULL, 0};
  for (size_t i = 0; i < t->ncol; i++)
    if (!(t->data[i] = calloc(rows ? rows : 1, col_width(t->defs[i].type)))) return -1;
  return 0;
}

/* Copies the figures of record rec (of the table's kind) into row r. */
static void rtable_fill(rtable *t, size_t r, const void *rec) {
  size_t nf;
  const kpi_field *f = kpi_catalog(t->kind, &nf);
  for (size_t i = 0; i < nf; i++)
    memcpy((char *)t->data[t->nkeys + i] + r * 8, (const char *)rec + f[i].off, 8);
}

static void set_i64(rtable *t, size_t col, size_t r, int64_t v) {
  ((int64_t *)t->data[col])[r] = v;
}
static void set_str(rtable *t, size_t col, size_t r, const char *v) {
  ((const char **)t->data[col])[r] = v;
}

static int rtable_write(recorder *rec, rtable *t, const char *path, const char *long_name,
                        const char *key, sim_error *err) {
  char sum[128];
  snprintf(sum, sizeof sum, "/kpi/summary/%s", path + strlen("/kpi/"));
  const void *const *cols = (const void *const *)t->data;
  int rc = rec_table(rec, path, long_name, t->defs, t->ncol, t->rows, cols, err);
  if (!rc)
    rc = rec_summary(rec, sum, "mean and 95% half-width across replications", t->defs, t->ncol,
                     t->rows, cols, key, err);
  return rc;
}

#define REP_COL \
  { .name = "replication", .type = REC_I64, .units = "1", .long_name = "replication index" }

int output_channel_tables(recorder *rec, const output_meta *m, const kpi_run *runs, int nrep,
                          sim_error *err) {
  const spec *sp = m->sp;
  size_t nrun = 0;
  for (int r = 0; r < nrep; r++) nrun += runs[r].ch != NULL;
  static const rec_col ch_keys[] = {
      REP_COL,
      {.name = "channel", .type = REC_STR, .units = "", .long_name = "channel name"},
      {.name = "kind",
       .type = REC_ENUM,
       .units = "",
       .long_name = "what flows",
       .labels = item_kind_names,
       .nlabels = KIND_N}};
  static const rec_col st_keys[] = {
      REP_COL,
      {.name = "station", .type = REC_STR, .units = "", .long_name = "station name"},
      {.name = "type", .type = REC_STR, .units = "", .long_name = "station type"}};
  rtable tc, ts;
  int rc = 0;
  if (rtable_init(&tc, KPI_CHANNEL, ch_keys, 3, nrun * sp->nch) |
      rtable_init(&ts, KPI_STATION, st_keys, 3, nrun * sp->nst))
    rc = sim_error_set(err, SIM_ENOMEM, "out of memory");
  size_t ic = 0, is = 0;
  for (int r = 0; !rc && r < nrep; r++) {
    if (!runs[r].ch) continue;
    int64_t rep = (int64_t)m->first_rep + r;
    for (size_t i = 0; i < sp->nch; i++, ic++) {
      set_i64(&tc, 0, ic, rep);
      set_str(&tc, 1, ic, sp->ch[i].name);
      ((int32_t *)tc.data[2])[ic] = sp->ch[i].kind;
      rtable_fill(&tc, ic, &runs[r].ch[i]);
    }
    for (size_t i = 0; i < sp->nst; i++, is++) {
      set_i64(&ts, 0, is, rep);
      set_str(&ts, 1, is, sp->st[i].name);
      set_str(&ts, 2, is, station_type_of(sp->st[i].type)->name);
      rtable_fill(&ts, is, &runs[r].st[i]);
    }
  }
  if (!rc)
    rc = rec_table(rec, "/kpi/channels", "figures per channel and replication", tc.defs, tc.ncol,
                   tc.rows, (const void *const *)tc.data, err);
  if (!rc)
    rc = rec_table(rec, "/kpi/stations", "figures per station and replication", ts.defs, ts.ncol,
                   ts.rows, (const void *const *)ts.data, err);
  if (!rc)
    rc = rec_summary(rec, "/kpi/summary/channels", "mean and 95% half-width across replications",
                     tc.defs, tc.ncol, tc.rows, (const void *const *)tc.data, "channel", err);
  if (!rc)
    rc = rec_summary(rec, "/kpi/summary/stations", "mean and 95% half-width across replications",
                     ts.defs, ts.ncol, ts.rows, (const void *const *)ts.data, "station", err);
  rtable_free(&tc);
  rtable_free(&ts);
  return rc;
}

int output_staff_table(recorder *rec, const output_meta *m, const kpi_run *runs, int nrep,
                       sim_error *err) {
  const spec *sp = m->sp;
  static const rec_col keys[] = {
      REP_COL, {.name = "pool", .type = REC_STR, .units = "", .long_name = "staff pool"}};
  rtable t;
  int rc = rtable_init(&t, KPI_POOL, keys, 2, (size_t)nrep * sp->npool)
               ? sim_error_set(err, SIM_ENOMEM, "out of memory")
               : 0;
  for (int r = 0, row = 0; !rc && r < nrep; r++)
    for (size_t i = 0; i < sp->npool; i++, row++) {
      set_i64(&t, 0, (size_t)row, (int64_t)m->first_rep + r);
      set_str(&t, 1, (size_t)row, sp->pool[i].name);
      rtable_fill(&t, (size_t)row, &runs[r].pool[i]);
    }
  if (!rc)
    rc = rtable_write(rec, &t, "/kpi/staff", "figures per staff pool and replication", "pool", err);
  rtable_free(&t);
  return rc;
}

int output_recovery_table(recorder *rec, const output_meta *m, const kpi_run *runs, int nrep,
                          sim_error *err) {
  size_t rows = 0, i = 0;
  for (int r = 0; r < nrep; r++) rows += runs[r].nrec;
  static const rec_col keys[] = {
      REP_COL,
      {.name = "scope", .type = REC_STR, .units = "", .long_name = "channel, or whole port"}};
  rtable t;
  int rc = rtable_init(&t, KPI_RECOVERY, keys, 2, rows)
               ? sim_error_set(err, SIM_ENOMEM, "out of memory")
               : 0;
  for (int r = 0; !rc && r < nrep; r++)
    for (size_t j = 0; j < runs[r].nrec; j++, i++) {
      set_i64(&t, 0, i, (int64_t)m->first_rep + r);
      set_str(&t, 1, i, runs[r].rec[j].scope);
      rtable_fill(&t, i, &runs[r].rec[j]);
    }
  if (!rc)
    rc = rtable_write(rec, &t, "/kpi/recovery",
                      "recovery after disruptions per scope and replication", "scope", err);
  rtable_free(&t);
  return rc;
}

/* The row keys of /kpi/classes and /kpi/batches: `id` first (the text the summaries and
 * customs-report group by, and the NAME of a KPI path), then its parts. */
static const rec_col class_keys[] = {
    REP_COL,
    {.name = "id",
     .type = REC_STR,
     .units = "",
     .long_name = "CHANNEL.CLASS: the row's key (KPI path classes.CHANNEL.CLASS.FIGURE)"},
    {.name = "channel", .type = REC_STR, .units = "", .long_name = "channel name"},
    {.name = "class",
     .type = REC_STR,
     .units = "",
     .long_name = "class of item (selected, not_selected, inspected, not_inspected, aeo, non_aeo, "
                  "or one of the scenario's classes)"}};
static const rec_col batch_keys[] = {
    REP_COL,
    {.name = "id",
     .type = REC_STR,
     .units = "",
     .long_name = "CHANNEL.N: the row's key (KPI path batches.CHANNEL.N.FIGURE)"},
    {.name = "channel", .type = REC_STR, .units = "", .long_name = "channel name"},
    {.name = "batch",
     .type = REC_I64,
     .units = "1",
     .long_name = "the batch's rank in its channel's measured period, from 0 in time order"},
    {.name = "origin",
     .type = REC_STR,
     .units = "",
     .long_name = "origin code of the batch (\"\" when none)"}};

static int write_classes(recorder *rec, const output_meta *m, const kpi_run *runs, int nrep,
                         sim_error *err) {
  const spec *sp = m->sp;
  size_t per = sp->nch * sp->ncls, row = 0;
  rtable t;
  int rc = rtable_init(&t, KPI_CLASS, class_keys, 4, (size_t)nrep * per)
               ? sim_error_set(err, SIM_ENOMEM, "out of memory")
               : 0;
  for (int r = 0; !rc && r < nrep; r++)
    for (size_t i = 0; i < per; i++, row++) {
      set_i64(&t, 0, row, (int64_t)m->first_rep + r);
      set_str(&t, 1, row, sp->class_ids[i]);
      set_str(&t, 2, row, sp->ch[i / sp->ncls].name);
      set_str(&t, 3, row, sp->cls[i % sp->ncls].name);
      rtable_fill(&t, row, &runs[r].cls[i]);
    }
  if (!rc)
    rc = rtable_write(rec, &t, "/kpi/classes", "figures per channel, class of item and replication",
                      "id", err);
  rtable_free(&t);
  return rc;
}

static int write_batches(recorder *rec, const output_meta *m, const kpi_run *runs, int nrep,
                         sim_error *err) {
  const spec *sp = m->sp;
  size_t row = 0;
  rtable t;
  int rc = rtable_init(&t, KPI_BATCH, batch_keys, 5, (size_t)nrep * sp->nbatch_all)
               ? sim_error_set(err, SIM_ENOMEM, "out of memory")
               : 0;
  for (int r = 0; !rc && r < nrep; r++)
    for (size_t c = 0; c < sp->nch; c++)
      for (size_t b = 0; b < sp->nbatch[c]; b++, row++) {
        const kpi_batch *kb = &runs[r].bat[sp->batch0[c] + b];
        const char *o = arrivals_spec_origin(sp->ch[c].arr, kb->origin);
        set_i64(&t, 0, row, (int64_t)m->first_rep + r);
        set_str(&t, 1, row, sp->batch_ids[sp->batch0[c] + b]);
        set_str(&t, 2, row, sp->ch[c].name);
        set_i64(&t, 3, row, (int64_t)b);
        set_str(&t, 4, row, o ? o : "");
        rtable_fill(&t, row, kb);
      }
  if (!rc)
    rc = rtable_write(rec, &t, "/kpi/batches",
                      "figures per scheduled batch (flight, vessel) and replication", "id", err);
  rtable_free(&t);
  return rc;
}

int output_class_tables(recorder *rec, const output_meta *m, const kpi_run *runs, int nrep,
                        sim_error *err) {
  for (int r = 0; r < nrep; r++)
    if (!runs[r].cls || !runs[r].bat) return 0; /* figures not collected by port_kpis */
  int rc = write_classes(rec, m, runs, nrep, err);
  return rc || !m->sp->nbatch_all ? rc : write_batches(rec, m, runs, nrep, err);
}

int output_coast_tables(recorder *rec, const output_meta *m, const kpi_run *runs, int nrep,
                        sim_error *err) {
  const coast_spec *c = m->sp->coast;
  if (!c) return 0;
  static const rec_col zkeys[] = {
      REP_COL, {.name = "zone", .type = REC_STR, .units = "", .long_name = "coast zone"}};
  static const rec_col akeys[] = {
      REP_COL,
      {.name = "asset", .type = REC_STR, .units = "", .long_name = "coast asset"},
      {.name = "type",
       .type = REC_STR,
       .units = "",
       .long_name = "drone, boat, satellite or radar"}};
  rtable tz, ta;
  int rc = 0;
  if (rtable_init(&tz, KPI_ZONE, zkeys, 2, (size_t)nrep * c->nzone) |
      rtable_init(&ta, KPI_ASSET, akeys, 3, (size_t)nrep * c->nasset))
    rc = sim_error_set(err, SIM_ENOMEM, "out of memory");
  for (int r = 0; !rc && r < nrep; r++) {
    int64_t rep = (int64_t)m->first_rep + r;
    for (size_t i = 0; i < c->nzone; i++) {
      size_t row = (size_t)r * c->nzone + i;
      set_i64(&tz, 0, row, rep);
      set_str(&tz, 1, row, c->zone[i].name);
      if (i < runs[r].nzone) rtable_fill(&tz, row, &runs[r].zone[i]);
    }
    for (size_t i = 0; i < c->nasset; i++) {
      size_t row = (size_t)r * c->nasset + i;
      set_i64(&ta, 0, row, rep);
      set_str(&ta, 1, row, c->asset[i].name);
      set_str(&ta, 2, row, coast_type_name(c->asset[i].type));
      if (i < runs[r].nasset) rtable_fill(&ta, row, &runs[r].asset[i]);
    }
  }
  if (!rc)
    rc =
        rtable_write(rec, &tz, "/kpi/coast", "figures per coast zone and replication", "zone", err);
  if (!rc)
    rc = rtable_write(rec, &ta, "/kpi/coast_assets", "figures per coast asset and replication",
                      "asset", err);
  rtable_free(&tz);
  rtable_free(&ta);
  return rc;
}
