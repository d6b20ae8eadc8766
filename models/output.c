/* output: the customs result file (see output.h and results/README.md). */
#include "models/output.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "models/disrupt.h"
#include "models/item.h"
#include "models/station.h"
#include "sim/recorder.h"

static const char *const kind_labels[KIND_N] = {"generic", "passengers_in", "passengers_out",
                                                "express", "mail", "air_cargo",
                                                "sea_containers", "exports"};

#define I64(f, u, l) {#f, REC_I64, u, l, NULL, 0}
#define F64(f, u, l) {#f, REC_F64, u, l, NULL, 0}

static const rec_col ch_cols[] = {
    {"replication", REC_I64, "1", "replication index", NULL, 0},
    {"channel", REC_STR, "", "channel name", NULL, 0},
    {"kind", REC_ENUM, "", "what flows", kind_labels, KIND_N},
    I64(in_system_start, "items", "items in the system at the start of measurement"),
    I64(arrived, "items", "items that arrived during measurement"),
    I64(released, "items", "items released during measurement"),
    I64(seized, "items", "items seized during measurement"),
    I64(in_system_end, "items", "items in the system at the end"),
    I64(inspected, "items", "items inspected"),
    I64(false_alarms, "items", "inspections of clean items"),
    F64(release_mean_min, "min", "mean time from arrival to release"),
    F64(release_p50_min, "min", "median time from arrival to release"),
    F64(release_p95_min, "min", "95th percentile of the release time"),
    F64(release_p99_min, "min", "99th percentile of the release time"),
    F64(within_target_share, "1", "share released within output.target_h"),
    F64(wait_mean_min, "min", "mean time waiting in queues"),
    F64(wait_p95_min, "min", "95th percentile of the time waiting in queues"),
    I64(missed, "items", "illicit items released (contraband or fraud not found)"),
    F64(target_min, "min", "release-time target"),
    F64(wait_within_target_share, "1", "share whose waiting time was within wait_target_min (passengers)"),
    F64(wait_target_min, "min", "waiting-time target"),
    F64(stage_arrival_decl_mean_min, "min", "mean time from arrival to declaration (Time Release Study stage 1)"),
    F64(stage_decl_permit_mean_min, "min", "mean time from declaration to permit (stage 2)"),
    F64(stage_permit_exit_mean_min, "min", "mean time from permit to exit (stage 3)"),
    F64(stage_aeo_decl_permit_mean_min, "min", "mean time from declaration to permit of AEO items"),
    F64(permit_no_advance_mean_min, "min", "mean arrival to permit, items without advance data"),
    F64(permit_advance_mean_min, "min", "mean arrival to permit, items with advance data (pre-arrival filing)"),
    F64(permit_no_other_agency_mean_min, "min", "mean arrival to permit, items under customs law only"),
    F64(permit_other_agency_mean_min, "min", "mean arrival to permit, items also under other agencies' laws"),
    F64(hit_rate, "1", "inspections that found something / inspections"),
    F64(stage_arrival_decl_p50_min, "min", "median time from arrival to declaration"),
    F64(stage_arrival_decl_p95_min, "min", "95th percentile of the time from arrival to declaration"),
    F64(stage_arrival_decl_p99_min, "min", "99th percentile of the time from arrival to declaration"),
    F64(stage_decl_permit_p50_min, "min", "median time from declaration to permit"),
    F64(stage_decl_permit_p95_min, "min", "95th percentile of the time from declaration to permit"),
    F64(stage_decl_permit_p99_min, "min", "99th percentile of the time from declaration to permit"),
    F64(stage_permit_exit_p50_min, "min", "median time from permit to exit"),
    F64(stage_permit_exit_p95_min, "min", "95th percentile of the time from permit to exit"),
    F64(stage_permit_exit_p99_min, "min", "99th percentile of the time from permit to exit"),
    F64(revenue_recovered_jpy, "JPY", "evaded duty and tax recovered by inspections"),
};
#define NCH (sizeof ch_cols / sizeof ch_cols[0])

static const rec_col st_cols[] = {
    {"replication", REC_I64, "1", "replication index", NULL, 0},
    {"station", REC_STR, "", "station name", NULL, 0},
    {"type", REC_STR, "", "station type", NULL, 0},
    I64(servers, "1", "servers configured (-1: unlimited)"),
    I64(arrived, "items", "items that came to the station during measurement"),
    I64(served, "items", "services completed during measurement"),
    I64(lost, "items", "arrivals turned away by a full station"),
    F64(utilization, "1", "busy servers / available servers (time-weighted)"),
    F64(wait_mean_min, "min", "mean wait before service"),
    F64(wait_p95_min, "min", "95th percentile of the wait"),
    F64(queue_mean, "items", "time-average queue length"),
    F64(queue_max, "items", "largest queue length"),
    F64(down_h, "h", "time with no server available while items were present"),
    I64(inspected, "items", "physical inspections made"),
    I64(alarms, "items", "kernel alarms raised"),
};
#define NST (sizeof st_cols / sizeof st_cols[0])

static const rec_col pool_cols[] = {
    {"replication", REC_I64, "1", "replication index", NULL, 0},
    {"pool", REC_STR, "", "staff pool", NULL, 0},
    I64(size, "persons", "headcount"),
    F64(on_duty_mean, "persons", "time-average persons on duty"),
    F64(busy_mean, "persons", "time-average persons serving"),
    F64(utilization, "1", "busy / on duty"),
    F64(overtime_h, "h", "person-hours beyond the roster"),
};
#define NPOOL (sizeof pool_cols / sizeof pool_cols[0])

static const char *const seize_labels[KPI_SEIZE_N] = {
    "none", "meth", "cocaine", "heroin", "cannabis", "currency", "gold", "firearm",
    "ipr", "duty_assessed", "prohibited_export"};

static const rec_col seize_cols[] = {
    {"replication", REC_I64, "1", "replication index", NULL, 0},
    {"channel", REC_STR, "", "channel name", NULL, 0},
    {"what", REC_ENUM, "", "what was found", seize_labels, KPI_SEIZE_N},
    I64(cases, "items", "items seized or assessed"),
    F64(kg, "kg", "amount seized (drugs, gold)"),
};
#define NSEIZE (sizeof seize_cols / sizeof seize_cols[0])

static const rec_col rec_cols[] = {
    {"replication", REC_I64, "1", "replication index", NULL, 0},
    {"scope", REC_STR, "", "channel, or whole port", NULL, 0},
    I64(is_port, "1", "1 for a whole port"),
    F64(peak_backlog, "items", "largest number of items above the level before the first disruption"),
    F64(peak_time_h, "h", "when the backlog peaked (hours from the run start)"),
    F64(time_to_normal_h, "h", "from the first disruption until back to normal (NaN: not within the run)"),
    I64(delayed_24h, "items", "items released more than 24 h later than normal"),
    I64(delayed_72h, "items", "items released more than 72 h later than normal"),
    I64(cancelled, "items", "arrivals cancelled by closures"),
    I64(diverted_out, "items", "arrivals sent to another port"),
    I64(diverted_in, "items", "arrivals received from another port"),
    I64(held, "items", "arrivals still held at the end"),
    F64(throughput_lost, "items", "releases short of the normal rate until back to normal"),
    F64(overtime_h, "h", "person-hours of overtime"),
    F64(rto_h, "h", "recovery time objective"),
    I64(rto_met, "1", "back to normal within the RTO"),
    F64(mtpd_h, "h", "maximum tolerable period of disruption"),
    I64(mtpd_met, "1", "back to normal within the MTPD"),
    F64(mbco, "1", "minimum service level objective (share of normal throughput)"),
    F64(min_service, "1", "lowest hourly throughput during the disruption / normal"),
    I64(mbco_met, "1", "service never fell below the MBCO"),
};
#define NREC (sizeof rec_cols / sizeof rec_cols[0])

static const char *const event_labels[EV_NKINDS] = {
    "failure", "repair", "maintenance_start", "maintenance_end", "shift_change",
    "disruption_start", "disruption_end", "intervention", "response_start", "response_end"};

static const rec_col event_cols[] = {
    F64(time_h, "h", "hours from the start of the run"),
    {"replication", REC_I64, "1", "replication index", NULL, 0},
    {"kind", REC_ENUM, "", "what happened", event_labels, EV_NKINDS},
    {"target", REC_STR, "", "station, staff pool or disruption it concerns", NULL, 0},
    F64(value, "1", "units down, persons on duty, or the disruption's level"),
    {"text", REC_STR, "", "what happened, in words", NULL, 0},
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
    size_t sz = def[i].type == REC_STR ? sizeof(char *) : def[i].type == REC_ENUM ? sizeof(int32_t) : 8;
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

static void fill_channel(cols *c, size_t r, int rep, const spec_channel *sc, const kpi_channel *k) {
  SETI(c, 0, r, rep);
  ((const char **)c->p[1])[r] = sc->name;
  ((int32_t *)c->p[2])[r] = sc->kind;
  int64_t iv[] = {k->in_system_start, k->arrived, k->released, k->seized, k->in_system_end, k->inspected, k->false_alarms};
  for (size_t i = 0; i < 7; i++) SETI(c, 3 + i, r, iv[i]);
  double fv[] = {k->release_mean_min, k->release_p50_min, k->release_p95_min, k->release_p99_min,
                 k->within_target_share, k->wait_mean_min, k->wait_p95_min};
  for (size_t i = 0; i < 7; i++) SETF(c, 10 + i, r, fv[i]);
  SETI(c, 17, r, k->missed);
  double gv[] = {k->target_min, k->wait_within_target_share, k->wait_target_min, k->stage_mean_min[0],
                 k->stage_mean_min[1], k->stage_mean_min[2], k->stage_aeo_decl_permit_min,
                 k->permit_adv_min[0], k->permit_adv_min[1], k->permit_oga_min[0], k->permit_oga_min[1],
                 k->hit_rate, k->stage_p50_min[0], k->stage_p95_min[0], k->stage_p99_min[0],
                 k->stage_p50_min[1], k->stage_p95_min[1], k->stage_p99_min[1], k->stage_p50_min[2],
                 k->stage_p95_min[2], k->stage_p99_min[2], k->revenue_jpy};
  for (size_t i = 0; i < 22; i++) SETF(c, 18 + i, r, gv[i]);
}

static void fill_station(cols *c, size_t r, int rep, const spec_station *ss, const kpi_station *k) {
  SETI(c, 0, r, rep);
  ((const char **)c->p[1])[r] = ss->name;
  ((const char **)c->p[2])[r] = station_type_of(ss->type)->name;
  SETI(c, 3, r, k->servers);
  SETI(c, 4, r, k->arrived);
  SETI(c, 5, r, k->served);
  SETI(c, 6, r, k->lost);
  double fv[] = {k->utilization, k->wait_mean_min, k->wait_p95_min, k->queue_mean, k->queue_max, k->down_h};
  for (size_t i = 0; i < 6; i++) SETF(c, 7 + i, r, fv[i]);
  SETI(c, 13, r, k->inspected);
  SETI(c, 14, r, k->alarms);
}

static int write_staff(recorder *rec, const output_meta *m, const kpi_run *runs, int nrep, sim_error *err) {
  const spec *sp = m->sp;
  size_t rows = (size_t)nrep * sp->npool, rs = 0;
  cols cp = {0}, cz = {0};
  int rc = cols_alloc(&cp, pool_cols, NPOOL, rows) ? sim_error_set(err, SIM_ENOMEM, "out of memory") : 0;
  size_t zrows = (size_t)nrep * sp->nch * (KPI_SEIZE_N - 1);
  if (!rc && cols_alloc(&cz, seize_cols, NSEIZE, zrows)) rc = sim_error_set(err, SIM_ENOMEM, "out of memory");
  size_t ip = 0;
  for (int r = 0; !rc && r < nrep; r++) {
    int rep = (int)m->first_rep + r;
    for (size_t i = 0; i < sp->npool; i++, ip++) {
      const kpi_pool *k = &runs[r].pool[i];
      SETI(&cp, 0, ip, rep);
      ((const char **)cp.p[1])[ip] = sp->pool[i].name;
      SETI(&cp, 2, ip, k->size);
      double v[] = {k->on_duty_mean, k->busy_mean, k->utilization, k->overtime_h};
      for (size_t f = 0; f < 4; f++) SETF(&cp, 3 + f, ip, v[f]);
    }
    for (size_t c = 0; c < sp->nch; c++)
      for (int w = 1; w < KPI_SEIZE_N; w++, rs++) {
        SETI(&cz, 0, rs, rep);
        ((const char **)cz.p[1])[rs] = sp->ch[c].name;
        ((int32_t *)cz.p[2])[rs] = w;
        SETI(&cz, 3, rs, runs[r].ch[c].seized_kind[w]);
        SETF(&cz, 4, rs, runs[r].ch[c].seized_kg[w]);
      }
  }
  if (!rc) rc = rec_table(rec, "/kpi/staff", "figures per staff pool and replication", pool_cols, NPOOL, rows, (const void *const *)cp.p, err);
  if (!rc) rc = rec_summary(rec, "/kpi/summary/staff", "mean and 95% half-width across replications", pool_cols, NPOOL, rows, (const void *const *)cp.p, "pool", err);
  if (!rc) rc = rec_table(rec, "/kpi/seizures", "seizures and duty assessments per channel, kind and replication", seize_cols, NSEIZE, rs, (const void *const *)cz.p, err);
  cols_free(&cp);
  cols_free(&cz);
  return rc;
}

static int write_kpis(recorder *rec, const output_meta *m, const kpi_run *runs, int nrep, sim_error *err) {
  const spec *sp = m->sp;
  size_t nrows_c = 0, nrows_s = 0;
  for (int r = 0; r < nrep; r++)
    if (runs[r].ch) nrows_c += sp->nch, nrows_s += sp->nst;
  cols cc = {0}, cs = {0};
  int rc = 0;
  if (cols_alloc(&cc, ch_cols, NCH, nrows_c) || cols_alloc(&cs, st_cols, NST, nrows_s))
    rc = sim_error_set(err, SIM_ENOMEM, "out of memory");
  size_t ic = 0, is = 0;
  for (int r = 0; !rc && r < nrep; r++) {
    if (!runs[r].ch) continue;
    int rep = (int)m->first_rep + r;
    for (size_t i = 0; i < sp->nch; i++) fill_channel(&cc, ic++, rep, &sp->ch[i], &runs[r].ch[i]);
    for (size_t i = 0; i < sp->nst; i++) fill_station(&cs, is++, rep, &sp->st[i], &runs[r].st[i]);
  }
  if (!rc) rc = rec_table(rec, "/kpi/channels", "figures per channel and replication", ch_cols, NCH, nrows_c, (const void *const *)cc.p, err);
  if (!rc) rc = rec_table(rec, "/kpi/stations", "figures per station and replication", st_cols, NST, nrows_s, (const void *const *)cs.p, err);
  if (!rc) rc = rec_summary(rec, "/kpi/summary/channels", "mean and 95% half-width across replications", ch_cols, NCH, nrows_c, (const void *const *)cc.p, "channel", err);
  if (!rc) rc = rec_summary(rec, "/kpi/summary/stations", "mean and 95% half-width across replications", st_cols, NST, nrows_s, (const void *const *)cs.p, "station", err);
  cols_free(&cc);
  cols_free(&cs);
  return rc;
}

/* One series per entity: rows are replications, columns sample times. */
static int write_series(recorder *rec, const char *group, const char *name, const kpi_run *runs, int nrep,
                        size_t ent, size_t offset_of, const char *units, const char *long_name, sim_error *err) {
  size_t n = runs[0].nsamples;
  double *buf = calloc((size_t)nrep * (n ? n : 1), sizeof *buf);
  if (!buf) return sim_error_set(err, SIM_ENOMEM, "out of memory");
  for (int r = 0; r < nrep; r++) {
    const double *src = *(double *const *)((const char *)&runs[r] + offset_of);
    for (size_t i = 0; i < n; i++) buf[(size_t)r * n + i] = i < runs[r].nsamples ? src[ent * runs[r].nsamples + i] : NAN;
  }
  char path[512];
  snprintf(path, sizeof path, "/series/%s/%s", group, name);
  int rc = rec_series(rec, path, "/series/time", buf, (size_t)nrep, n, units, long_name, err);
  free(buf);
  return rc;
}

static int write_all_series(recorder *rec, const output_meta *m, const kpi_run *runs, int nrep, sim_error *err) {
  if (!runs[0].nsamples) return 0;
  const spec *sp = m->sp;
  int rc = rec_axis(rec, "/series/time", "time", runs[0].t_h, runs[0].nsamples, "h", "hours from the start of the run", err);
  for (size_t i = 0; !rc && i < sp->nst; i++) {
    rc = write_series(rec, "queue", sp->st[i].name, runs, nrep, i, offsetof(kpi_run, queue), "items", "items waiting", err);
    if (!rc) rc = write_series(rec, "busy", sp->st[i].name, runs, nrep, i, offsetof(kpi_run, busy), "servers", "busy servers", err);
  }
  for (size_t i = 0; !rc && i < sp->nch; i++)
    rc = write_series(rec, "in_system", sp->ch[i].name, runs, nrep, i, offsetof(kpi_run, in_system), "items", "items in the system", err);
  for (size_t i = 0; !rc && i < sp->npool; i++) {
    rc = write_series(rec, "on_duty", sp->pool[i].name, runs, nrep, i, offsetof(kpi_run, on_duty), "persons", "staff on duty", err);
    if (!rc) rc = write_series(rec, "staff_busy", sp->pool[i].name, runs, nrep, i, offsetof(kpi_run, staff_busy), "persons", "staff serving", err);
  }
  return rc;
}

static int write_dist(recorder *rec, const output_meta *m, const kpi_run *runs, int nrep, sim_error *err) {
  double edges[KPI_REL_BINS + 1];
  kpi_release_edges(edges);
  int rc = rec_axis(rec, "/dist/release_edges_min", "edge", edges, KPI_REL_BINS + 1, "min", "release-time bin edges (bin i is [edge i, edge i+1))", err);
  if (!rc) rc = rec_axis(rec, "/dist/release_bin_min", "bin", edges, KPI_REL_BINS, "min", "lower edge of each release-time bin", err);
  double *buf = calloc((size_t)nrep * KPI_REL_BINS, sizeof *buf);
  if (!buf) return sim_error_set(err, SIM_ENOMEM, "out of memory");
  for (size_t c = 0; !rc && c < m->sp->nch; c++) {
    for (int r = 0; r < nrep; r++)
      memcpy(buf + (size_t)r * KPI_REL_BINS, runs[r].rel_hist + c * KPI_REL_BINS, KPI_REL_BINS * sizeof *buf);
    char path[512];
    snprintf(path, sizeof path, "/dist/release/%s", m->sp->ch[c].name);
    rc = rec_series(rec, path, "/dist/release_bin_min", buf, (size_t)nrep, KPI_REL_BINS, "items", "released items per release-time bin", err);
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
  return rc;
}

static int write_recovery(recorder *rec, const output_meta *m, const kpi_run *runs, int nrep, sim_error *err) {
  size_t rows = 0, i = 0;
  for (int r = 0; r < nrep; r++) rows += runs[r].nrec;
  cols c = {0};
  if (cols_alloc(&c, rec_cols, NREC, rows)) return sim_error_set(err, SIM_ENOMEM, "out of memory");
  for (int r = 0; r < nrep; r++)
    for (size_t j = 0; j < runs[r].nrec; j++, i++) {
      const kpi_recovery *k = &runs[r].rec[j];
      SETI(&c, 0, i, (int64_t)m->first_rep + r);
      ((const char **)c.p[1])[i] = k->scope;
      SETI(&c, 2, i, k->is_port);
      SETF(&c, 3, i, k->peak_backlog);
      SETF(&c, 4, i, k->peak_time_h);
      SETF(&c, 5, i, k->time_to_normal_h);
      int64_t iv[] = {k->delayed_24h, k->delayed_72h, k->cancelled, k->diverted_out, k->diverted_in, k->held};
      for (size_t f = 0; f < 6; f++) SETI(&c, 6 + f, i, iv[f]);
      SETF(&c, 12, i, k->throughput_lost);
      SETF(&c, 13, i, k->overtime_h);
      SETF(&c, 14, i, k->rto_h);
      SETI(&c, 15, i, k->rto_met);
      SETF(&c, 16, i, k->mtpd_h);
      SETI(&c, 17, i, k->mtpd_met);
      SETF(&c, 18, i, k->mbco);
      SETF(&c, 19, i, k->min_service);
      SETI(&c, 20, i, k->mbco_met);
    }
  int rc = rec_table(rec, "/kpi/recovery", "recovery after disruptions per scope and replication", rec_cols, NREC, rows, (const void *const *)c.p, err);
  if (!rc) rc = rec_summary(rec, "/kpi/summary/recovery", "mean and 95% half-width across replications", rec_cols, NREC, rows, (const void *const *)c.p, "scope", err);
  cols_free(&c);
  return rc;
}

static const char *const outcome_labels[] = {"released", "seized"};
static const char *const contra_labels[CONTRA_N] = {"none", "meth", "cocaine", "heroin",
                                                    "cannabis", "currency", "gold", "firearm"};

static const rec_col item_cols[] = {
    {"replication", REC_I64, "1", "replication index", NULL, 0},
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
    {"outcome", REC_ENUM, "", "how the item left", outcome_labels, 2},
    {"contraband", REC_ENUM, "", "hidden truth: contraband", contra_labels, CONTRA_N},
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
static int write_items(recorder *rec, const output_meta *m, const kpi_run *runs, int nrep, sim_error *err) {
  if (!m->sp->items_log) return 0;
  kpi_item *buf = malloc(ITEM_CHUNK * sizeof *buf);
  cols c = {0};
  int rc = !buf || cols_alloc(&c, item_cols, NITEM, ITEM_CHUNK) ? sim_error_set(err, SIM_ENOMEM, "out of memory") : 0;
  for (size_t ch = 0; !rc && ch < m->sp->nch; ch++) {
    char path[512];
    snprintf(path, sizeof path, "/items/%s", m->sp->ch[ch].name);
    rec_log *log = NULL;
    rc = rec_log_open(rec, &log, path, "one row per item released or seized in the measured period", item_cols, NITEM, err);
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
    rc = rec_table(rec, path, "ROC curve of the station's kernel, from its calibration batch", roc_cols, 3, r->n, c, err);
    if (!rc) rc = rec_attr_str(rec, path, "kernel", st->kernel->name, err);
    if (!rc) rc = rec_attr_f64(rec, path, "auc", r->auc, err);
  }
  return rc;
}

static const char *event_target(const spec *sp, const kpi_event *e) {
  switch (e->kind) {
  case EV_SHIFT: return e->target >= 0 && (size_t)e->target < sp->npool ? sp->pool[e->target].name : "?";
  case EV_DISRUPTION_START:
  case EV_DISRUPTION_END:
  case EV_INTERVENTION: return spec_disruption_name(sp, e->target);
  case EV_RESPONSE_START:
  case EV_RESPONSE_END: return sp->dis && e->target >= 0 && (size_t)e->target < sp->dis->nr ? sp->dis->r[e->target].name : "?";
  default: return e->target >= 0 && (size_t)e->target < sp->nst ? sp->st[e->target].name : "?";
  }
}

/* The /events log, appended a replication at a time (memory bounded by one run's). */
static int write_events(recorder *rec, const output_meta *m, const kpi_run *runs, int nrep, sim_error *err) {
  rec_log *log = NULL;
  int rc = rec_log_open(rec, &log, "/events", "disruptions, failures, shift changes and interventions", event_cols, NEVCOL, err);
  for (int r = 0; !rc && r < nrep; r++) {
    size_t n = runs[r].nlog;
    if (!n) continue;
    cols c = {0};
    if (cols_alloc(&c, event_cols, NEVCOL, n)) return sim_error_set(err, SIM_ENOMEM, "out of memory");
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

int output_write(const char *path, const output_meta *m, const kpi_run *runs, int nrep, sim_error *err) {
  recorder *rec = NULL;
  int rc = rec_open(&rec, path, err);
  if (rc) return rc;
  int have = 0;
  while (have < nrep && runs[have].ch) have++; /* replications run in order: a prefix has figures */
  rc = write_attrs(rec, m, have, err);
  if (!rc && have) rc = write_kpis(rec, m, runs, have, err);
  if (!rc && have) rc = write_staff(rec, m, runs, have, err);
  if (!rc && have) rc = write_events(rec, m, runs, have, err);
  if (!rc && have) rc = write_recovery(rec, m, runs, have, err);
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
