/* output: the customs result file (see output.h and results/README.md). */
#include "models/output.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "models/coast.h"
#include "models/disrupt.h"
#include "models/item.h"
#include "models/output_internal.h"
#include "models/station.h"
#include "models/timecal.h"
#include "sim/recorder.h"

#define I64(f, u, l) {#f, REC_I64, u, l, NULL, 0}
#define F64(f, u, l) {#f, REC_F64, u, l, NULL, 0}

_Static_assert(KPI_SEIZE_N == CONTRA_N + 3, "seizure categories: contraband, then three more");

void output_seize_labels(const char *out[KPI_SEIZE_N],
                         const char *const extra[KPI_SEIZE_N - CONTRA_N]) {
  for (int i = 0; i < KPI_SEIZE_N; i++)
    out[i] = i < CONTRA_N ? item_contraband_names[i] : extra[i - CONTRA_N];
}

static const char *const seize_extra[KPI_SEIZE_N - CONTRA_N] = {"ipr", "duty_assessed",
                                                                "prohibited_export"};

#define SEIZE_WHAT 2 /* the column of the category (labels filled when written) */
static const rec_col seize_cols[] = {
    {.name = "replication", .type = REC_I64, .units = "1", .long_name = "replication index"},
    {.name = "channel", .type = REC_STR, .units = "", .long_name = "channel name"},
    [SEIZE_WHAT] = {.name = "what",
                    .type = REC_ENUM,
                    .units = "",
                    .long_name = "what was found",
                    .nlabels = KPI_SEIZE_N},
    I64(cases, "items", "items seized or assessed"),
    F64(kg, "kg", "amount seized (drugs, gold)"),
};
#define NSEIZE (sizeof seize_cols / sizeof seize_cols[0])

static const char *const event_labels[EV_NKINDS] = {
    "failure", "repair", "maintenance_start", "maintenance_end", "shift_change",
    "disruption_start", "disruption_end", "intervention", "response_start", "response_end"};

static const rec_col event_cols[] = {
    F64(time_h, "h", "hours from the start of the run"),
    {.name = "replication", .type = REC_I64, .units = "1", .long_name = "replication index"},
    {.name = "kind",
     .type = REC_ENUM,
     .units = "",
     .long_name = "what happened",
     .labels = event_labels,
     .nlabels = EV_NKINDS},
    {.name = "target",
     .type = REC_STR,
     .units = "",
     .long_name = "station, staff pool or disruption it concerns"},
    F64(value, "1", "units down, persons on duty, or the disruption's level"),
    {.name = "text", .type = REC_STR, .units = "", .long_name = "what happened, in words"},
};

static const char *const event_text[EV_NKINDS] = {
    "an equipment unit broke down (value: units down)", "a unit was repaired (value: units down)",
    "planned maintenance began (value: units out)", "planned maintenance ended",
    "shift change (value: persons on duty)", "a disruption began (value: its level)",
    "a disruption ended", "a disruption's level changed (value: its level)",
    "a response of the continuity plan began (value: persons or factor)", "a response ended"};
#define NEVCOL (sizeof event_cols / sizeof event_cols[0])

/* Column buffers for one table: one array per column, rows = entities x replications. */
typedef struct cols {
  void *p[48];
  size_t n;
} cols;

static int cols_alloc(cols *c, const rec_col *def, size_t ncol, size_t rows) {
  c->n = ncol;
  for (size_t i = 0; i < ncol; i++) {
    size_t sz = def[i].type == REC_STR    ? sizeof(char *)
                : def[i].type == REC_ENUM ? sizeof(int32_t)
                                          : 8;
    c->p[i] = calloc(rows ? rows : 1, sz);
    if (!c->p[i]) {
      while (i--) free(c->p[i]), c->p[i] = NULL;
      return -1;
    } /* none left to leak */
  }
  return 0;
}

static void cols_free(cols *c) {
  for (size_t i = 0; i < c->n; i++) free(c->p[i]);
}

#define SETI(c, k, r, v) (((int64_t *)(c)->p[k])[r] = (v))
#define SETF(c, k, r, v) (((double *)(c)->p[k])[r] = (v))

/* /kpi/staff and its summary, then /kpi/seizures. */
static int write_staff(recorder *rec, const output_meta *m, const kpi_run *runs, int nrep,
                       sim_error *err) {
  const spec *sp = m->sp;
  int rc = output_staff_table(rec, m, runs, nrep, err);
  cols cz = {0};
  size_t zrows = (size_t)nrep * sp->nch * (KPI_SEIZE_N - 1), rs = 0;
  if (!rc && cols_alloc(&cz, seize_cols, NSEIZE, zrows))
    rc = sim_error_set(err, SIM_ENOMEM, "out of memory");
  for (int r = 0; !rc && r < nrep; r++) {
    int rep = (int)m->first_rep + r;
    for (size_t c = 0; c < sp->nch; c++)
      for (int w = 1; w < KPI_SEIZE_N; w++, rs++) {
        SETI(&cz, 0, rs, rep);
        ((const char **)cz.p[1])[rs] = sp->ch[c].name;
        ((int32_t *)cz.p[2])[rs] = w;
        SETI(&cz, 3, rs, runs[r].ch[c].seized_kind[w]);
        SETF(&cz, 4, rs, runs[r].ch[c].seized_kg[w]);
      }
  }
  const char *labels[KPI_SEIZE_N];
  output_seize_labels(labels, seize_extra);
  rec_col defs[NSEIZE];
  memcpy(defs, seize_cols, sizeof defs);
  defs[SEIZE_WHAT].labels = labels;
  if (!rc)
    rc = rec_table(rec, "/kpi/seizures",
                   "seizures and duty assessments per channel, kind and replication", defs, NSEIZE,
                   rs, (const void *const *)cz.p, err);
  cols_free(&cz);
  return rc;
}

/* One series per entity: rows are replications, columns sample times. */
static int write_series(recorder *rec, const char *group, const char *name, const kpi_run *runs,
                        int nrep, size_t ent, size_t offset_of, const char *units,
                        const char *long_name, sim_error *err) {
  size_t n = runs[0].nsamples;
  double *buf = calloc((size_t)nrep * (n ? n : 1), sizeof *buf);
  if (!buf) return sim_error_set(err, SIM_ENOMEM, "out of memory");
  for (int r = 0; r < nrep; r++) {
    size_t have = runs[r].nsamples < n ? runs[r].nsamples : n;
    if (kpi_run_row(&runs[r], offset_of, ent, have, buf + (size_t)r * n)) {
      free(buf);
      return sim_error_set(err, SIM_EIO, "cannot read back the series %s/%s", group, name);
    }
    for (size_t i = have; i < n; i++) buf[(size_t)r * n + i] = NAN;
  }
  char path[512];
  snprintf(path, sizeof path, "/series/%s/%s", group, name);
  int rc = rec_series(rec, path, "/series/time", buf, (size_t)nrep, n, units, long_name, err);
  free(buf);
  return rc;
}

/* CF time units ("hours since 2024-11-25 00:00"), so netCDF readers such as xarray
 * decode the axis as dates; plain "h" if the start cannot be read. */
static void cf_time_units(char *buf, size_t n, const char *start_iso) {
  double epoch = 0.0;
  timecal_fields t;
  if (!start_iso || timecal_parse(start_iso, &epoch) != 0) {
    snprintf(buf, n, "h");
    return;
  }
  timecal_fields_of(epoch, &t);
  snprintf(buf, n, "hours since %04d-%02d-%02d %02d:%02d", t.year, t.month, t.day, t.hour,
           t.minute);
}

static int write_all_series(recorder *rec, const output_meta *m, const kpi_run *runs, int nrep,
                            sim_error *err) {
  if (!runs[0].nsamples) return 0;
  const spec *sp = m->sp;
  char units[64];
  cf_time_units(units, sizeof units, sp->start_iso);
  int rc = rec_axis(rec, "/series/time", "time", runs[0].t_h, runs[0].nsamples, units,
                    "hours from the start of the run", err);
  if (!rc) rc = rec_attr_str(rec, "/series/time", "calendar", "proleptic_gregorian", err);
  for (size_t i = 0; !rc && i < sp->nst; i++) {
    rc = write_series(rec, "queue", sp->st[i].name, runs, nrep, i, offsetof(kpi_run, queue),
                      "items", "items waiting", err);
    if (!rc)
      rc = write_series(rec, "busy", sp->st[i].name, runs, nrep, i, offsetof(kpi_run, busy),
                        "servers", "busy servers", err);
  }
  for (size_t i = 0; !rc && i < sp->nch; i++)
    rc = write_series(rec, "in_system", sp->ch[i].name, runs, nrep, i, offsetof(kpi_run, in_system),
                      "items", "items in the system", err);
  for (size_t i = 0; !rc && i < sp->npool; i++) {
    rc = write_series(rec, "on_duty", sp->pool[i].name, runs, nrep, i, offsetof(kpi_run, on_duty),
                      "persons", "staff on duty", err);
    if (!rc)
      rc = write_series(rec, "staff_busy", sp->pool[i].name, runs, nrep, i,
                        offsetof(kpi_run, staff_busy), "persons", "staff serving", err);
  }
  for (size_t i = 0; !rc && sp->coast && i < sp->coast->nasset; i++)
    rc = write_series(rec, "aloft", sp->coast->asset[i].name, runs, nrep, i,
                      offsetof(kpi_run, aloft), "units",
                      "coast asset's units out (flying or sailing)", err);
  for (size_t i = 0; !rc && sp->coast && i < sp->coast->nzone; i++)
    rc = write_series(rec, "at_sea", sp->coast->zone[i].name, runs, nrep, i,
                      offsetof(kpi_run, at_sea), "attempts",
                      "landing attempts at sea in the coast zone", err);
  return rc;
}

static int write_dist(recorder *rec, const output_meta *m, const kpi_run *runs, int nrep,
                      sim_error *err) {
  double edges[KPI_REL_BINS + 1];
  kpi_release_edges(edges);
  int rc = rec_axis(rec, "/dist/release_edges_min", "edge", edges, KPI_REL_BINS + 1, "min",
                    "release-time bin edges (bin i is [edge i, edge i+1))", err);
  if (!rc)
    rc = rec_axis(rec, "/dist/release_bin_min", "bin", edges, KPI_REL_BINS, "min",
                  "lower edge of each release-time bin", err);
  double *buf = calloc((size_t)nrep * KPI_REL_BINS, sizeof *buf);
  if (!buf) return sim_error_set(err, SIM_ENOMEM, "out of memory");
  for (size_t c = 0; !rc && c < m->sp->nch; c++) {
    for (int r = 0; r < nrep; r++)
      memcpy(buf + (size_t)r * KPI_REL_BINS, runs[r].rel_hist + c * KPI_REL_BINS,
             KPI_REL_BINS * sizeof *buf);
    char path[512];
    snprintf(path, sizeof path, "/dist/release/%s", m->sp->ch[c].name);
    rc = rec_series(rec, path, "/dist/release_bin_min", buf, (size_t)nrep, KPI_REL_BINS, "items",
                    "released items per release-time bin", err);
  }
  free(buf);
  return rc;
}

static int write_attrs(recorder *rec, const output_meta *m, int nrep, sim_error *err) {
  int rc = rec_attr_str(rec, "/", "schema", "customs-sim/1", err);
  if (!rc) rc = rec_attr_i64(rec, "/", "seed", (int64_t)m->seed, err);
  if (!rc) rc = rec_attr_i64(rec, "/", "replications", nrep, err);
  if (!rc) rc = rec_attr_str(rec, "/", "scenario", scenario_text(m->sc), err);
  if (!rc) rc = rec_attr_str(rec, "/", "scenario_file", scenario_file(m->sc), err);
  if (!rc) rc = rec_attr_str(rec, "/", "program_version", m->version, err);
  if (!rc) rc = rec_attr_str(rec, "/", "start", m->sp->start_iso, err);
  if (!rc) rc = rec_attr_f64(rec, "/", "warmup_days", m->sp->warmup_min / 1440, err);
  if (!rc) rc = rec_attr_f64(rec, "/", "days", m->sp->days_min / 1440, err);
  if (!rc && m->warmup_method) rc = rec_attr_str(rec, "/", "warmup_method", m->warmup_method, err);
  return rc;
}

static const char *const outcome_labels[KPI_OUT_N] = {"released", "seized", "lost"};

static const rec_col item_cols[] = {
    {.name = "replication", .type = REC_I64, .units = "1", .long_name = "replication index"},
    I64(id, "1", "item id within the replication"),
    F64(arrival_h, "h", "arrival, hours from the run start"),
    F64(decl_h, "h", "declaration (start of Time Release Study stage 2)"),
    F64(permit_h, "h", "permit (start of stage 3)"),
    F64(exit_h, "h", "release or seizure"),
    F64(waited_min, "min", "time waiting in queues"),
    I64(path, "1", "bit k set: visited the k-th station of the channel's route"),
    F64(risk_score, "1", "risk kernel score (NaN: not scored)"),
    I64(selected, "1", "selected by risk targeting"),
    I64(alarmed, "1", "a detector alarmed"),
    I64(inspected, "1", "inspected"),
    I64(found, "1", "an inspection found what was hidden"),
    {.name = "outcome",
     .type = REC_ENUM,
     .units = "",
     .long_name = "how the item left",
     .labels = outcome_labels,
     .nlabels = KPI_OUT_N},
    {.name = "contraband",
     .type = REC_ENUM,
     .units = "",
     .long_name = "hidden truth: contraband",
     .labels = item_contraband_names,
     .nlabels = CONTRA_N},
    F64(contraband_kg, "kg", "hidden truth: amount"),
    I64(undervalued, "1", "hidden truth: undervalued"),
    I64(ipr, "1", "hidden truth: IPR-infringing"),
    I64(aeo, "1", "declared by an AEO trader"),
    F64(evaded_jpy, "JPY", "hidden truth: tax evaded"),
};
#define NITEM (sizeof item_cols / sizeof item_cols[0])
#define ITEM_CHUNK 4096

static void fill_item(cols *c, size_t i, int64_t rep, const kpi_item *it) {
  SETI(c, 0, i, rep);
  SETI(c, 1, i, it->id);
  double f[] = {it->arrival_h, it->decl_h, it->permit_h, it->exit_h, it->waited_min};
  for (size_t k = 0; k < 5; k++) SETF(c, 2 + k, i, f[k]);
  SETI(c, 7, i, it->path);
  SETF(c, 8, i, it->risk_score);
  int64_t b[] = {it->selected, it->alarmed, it->inspected, it->found};
  for (size_t k = 0; k < 4; k++) SETI(c, 9 + k, i, b[k]);
  ((int32_t *)c->p[13])[i] = it->outcome;
  ((int32_t *)c->p[14])[i] = it->contraband;
  SETF(c, 15, i, it->contraband_kg);
  SETI(c, 16, i, it->undervalued);
  SETI(c, 17, i, it->ipr);
  SETI(c, 18, i, it->aeo);
  SETF(c, 19, i, it->evaded_jpy);
}

/* /items/<channel>: each replication's spooled records, in chunks, channel by channel. */
static int write_items(recorder *rec, const output_meta *m, const kpi_run *runs, int nrep,
                       sim_error *err) {
  if (!m->sp->items_log) return 0;
  kpi_item *buf = malloc(ITEM_CHUNK * sizeof *buf);
  cols c = {0};
  int rc = !buf || cols_alloc(&c, item_cols, NITEM, ITEM_CHUNK)
               ? sim_error_set(err, SIM_ENOMEM, "out of memory")
               : 0;
  for (size_t ch = 0; !rc && ch < m->sp->nch; ch++) {
    char path[512];
    snprintf(path, sizeof path, "/items/%s", m->sp->ch[ch].name);
    rec_log *log = NULL;
    rc = rec_log_open(rec, &log, path,
                      "one row per item released, seized or lost in the measured period", item_cols,
                      NITEM, err);
    for (int r = 0; !rc && r < nrep; r++) {
      if (!runs[r].items) continue;
      rewind(runs[r].items);
      size_t got;
      while (!rc && (got = fread(buf, sizeof *buf, ITEM_CHUNK, runs[r].items)) > 0) {
        size_t n = 0;
        for (size_t i = 0; i < got; i++)
          if (buf[i].channel == (int32_t)ch) fill_item(&c, n++, (int64_t)m->first_rep + r, &buf[i]);
        if (n) rc = rec_log_append(log, n, (const void *const *)c.p, err);
      }
    }
  }
  cols_free(&c);
  free(buf);
  return rc;
}

static const rec_col roc_cols[] = {
    F64(threshold, "1", "score threshold"),
    F64(pfa, "1", "false-alarm rate on clean items at the threshold"),
    F64(pd, "1", "detection rate on items with contraband at the threshold"),
};

/* /kernels/roc/<station>: each surrogate kernel's ROC from its calibration batch. */
static int write_roc(recorder *rec, const output_meta *m, const kpi_run *run, sim_error *err) {
  int rc = 0;
  for (size_t i = 0; !rc && i < run->nroc; i++) {
    const kpi_roc *r = &run->roc[i];
    const spec_station *st = &m->sp->st[r->station];
    char path[512];
    snprintf(path, sizeof path, "/kernels/roc/%s", st->name);
    const void *c[] = {r->thr, r->pfa, r->pd};
    rc = rec_table(rec, path, "ROC curve of the station's kernel, from its calibration batch",
                   roc_cols, 3, r->n, c, err);
    if (!rc) rc = rec_attr_str(rec, path, "kernel", st->kernel->name, err);
    if (!rc) rc = rec_attr_f64(rec, path, "auc", r->auc, err);
  }
  return rc;
}

static const char *event_target(const spec *sp, const kpi_event *e) {
  switch (e->kind) {
    case EV_SHIFT:
      return e->target >= 0 && (size_t)e->target < sp->npool ? sp->pool[e->target].name : "?";
    case EV_DISRUPTION_START:
    case EV_DISRUPTION_END:
    case EV_INTERVENTION:
      return spec_disruption_name(sp, e->target);
    case EV_RESPONSE_START:
    case EV_RESPONSE_END:
      return sp->dis && e->target >= 0 && (size_t)e->target < sp->dis->nr
                 ? sp->dis->r[e->target].name
                 : "?";
    default:
      return e->target >= 0 && (size_t)e->target < sp->nst ? sp->st[e->target].name : "?";
  }
}

/* The /events log, appended a replication at a time (memory bounded by one run's). */
static int write_events(recorder *rec, const output_meta *m, const kpi_run *runs, int nrep,
                        sim_error *err) {
  rec_log *log = NULL;
  size_t rows = 1;
  for (int r = 0; r < nrep; r++) rows += runs[r].nlog;
  int rc = rec_log_open_rows(rec, &log, "/events",
                             "disruptions, failures, shift changes and interventions", event_cols,
                             NEVCOL, rows, err);
  for (int r = 0; !rc && r < nrep; r++) {
    size_t n = runs[r].nlog;
    if (!n) continue;
    cols c = {0};
    if (cols_alloc(&c, event_cols, NEVCOL, n))
      return sim_error_set(err, SIM_ENOMEM, "out of memory");
    for (size_t i = 0; i < n; i++) {
      const kpi_event *e = &runs[r].log[i];
      SETF(&c, 0, i, e->t_min / 60);
      SETI(&c, 1, i, (int64_t)m->first_rep + r);
      ((int32_t *)c.p[2])[i] = e->kind;
      ((const char **)c.p[3])[i] = event_target(m->sp, e);
      SETF(&c, 4, i, e->value);
      ((const char **)c.p[5])[i] = event_text[e->kind];
    }
    rc = rec_log_append(log, n, (const void *const *)c.p, err);
    cols_free(&c);
  }
  return rc;
}

int output_write(const char *path, const output_meta *m, const kpi_run *runs, int nrep,
                 sim_error *err) {
  recorder *rec = NULL;
  int rc = rec_open(&rec, path, err);
  if (rc) return rc;
  int have = 0;
  while (have < nrep && runs[have].ch) have++; /* replications run in order: a prefix has figures */
  rc = write_attrs(rec, m, have, err);
  if (!rc && have) rc = output_channel_tables(rec, m, runs, have, err);
  if (!rc && have) rc = write_staff(rec, m, runs, have, err);
  if (!rc && have) rc = write_events(rec, m, runs, have, err);
  if (!rc && have) rc = output_view_write(rec, m, &runs[0], err);
  if (!rc && have) rc = output_recovery_table(rec, m, runs, have, err);
  if (!rc && have) rc = output_class_tables(rec, m, runs, have, err);
  if (!rc && have) rc = output_coast_tables(rec, m, runs, have, err);
  if (!rc && have) rc = write_items(rec, m, runs, have, err);
  if (!rc && have) rc = write_roc(rec, m, &runs[0], err);
  if (!rc && have) rc = write_all_series(rec, m, runs, have, err);
  if (!rc && have) rc = write_dist(rec, m, runs, have, err);
  if (rc) {
    rec_abort(rec);
    return rc;
  }
  return rec_close(rec, m->complete, err);
}
