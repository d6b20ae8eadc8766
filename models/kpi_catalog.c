/* kpi_catalog: the table of every figure (see kpi_catalog.h). The order of each record
 * kind's rows is the column order of its HDF5 table. */
#include "models/kpi_catalog.h"

#include <assert.h>
#include <stdint.h>
#include <string.h>

#include "models/kpi.h"

#define S KPI_SWEEP
#define T KPI_TABLE

/* name, units, long name, record, int?, offset, where shown, table head, width */
#define CI(n, f, u, l, sh) {n, u, l, KPI_CHANNEL, 1, offsetof(kpi_channel, f), sh, NULL, 0}
#define CF(n, f, u, l, sh) {n, u, l, KPI_CHANNEL, 0, offsetof(kpi_channel, f), sh, NULL, 0}
#define CIT(n, f, u, l, sh, h, w) {n, u, l, KPI_CHANNEL, 1, offsetof(kpi_channel, f), sh | T, h, w}
#define CFT(n, f, u, l, sh, h, w) {n, u, l, KPI_CHANNEL, 0, offsetof(kpi_channel, f), sh | T, h, w}

static const kpi_field channel_fields[] = {
    CIT("in_system_start", in_system_start, "items",
        "items in the system at the start of measurement", 0, "in_start", 10),
    CIT("arrived", arrived, "items", "items that arrived during measurement", 0, "arrived", 14),
    CIT("released", released, "items", "items released during measurement", 0, "released", 14),
    CIT("seized", seized, "items", "items seized during measurement", KPI_TABLE_IF, "seized", 8),
    CIT("in_system_end", in_system_end, "items", "items in the system at the end", 0, "in_end", 10),
    CI("inspected", inspected, "items", "items inspected", 0),
    CI("false_alarms", false_alarms, "items", "inspections of clean items", 0),
    CFT("release_mean_min", release_mean_min, "min", "mean time from arrival to release", S,
        "rel_mean_min", 15),
    CF("release_p50_min", release_p50_min, "min", "median time from arrival to release", 0),
    CFT("release_p95_min", release_p95_min, "min", "95th percentile of the release time", S,
        "rel_p95_min", 15),
    CF("release_p99_min", release_p99_min, "min", "99th percentile of the release time", 0),
    CFT("within_target_share", within_target_share, "1", "share released within output.target_h", S,
        "within_tgt", 13),
    CF("wait_mean_min", wait_mean_min, "min", "mean time waiting in queues", S),
    CF("wait_p95_min", wait_p95_min, "min", "95th percentile of the time waiting in queues", S),
    CI("missed", missed, "items", "illicit items released (contraband or fraud not found)", 0),
    CF("target_min", target_min, "min", "release-time target", 0),
    CF("wait_within_target_share", wait_within_target_share, "1",
       "share whose waiting time was within wait_target_min (passengers)", 0),
    CF("wait_target_min", wait_target_min, "min", "waiting-time target", 0),
    CF("stage_arrival_decl_mean_min", stage_mean_min[0], "min",
       "mean time from arrival to declaration (Time Release Study stage 1)", 0),
    CF("stage_decl_permit_mean_min", stage_mean_min[1], "min",
       "mean time from declaration to permit (stage 2)", 0),
    CF("stage_permit_exit_mean_min", stage_mean_min[2], "min",
       "mean time from permit to exit (stage 3)", 0),
    CF("stage_aeo_decl_permit_mean_min", stage_aeo_decl_permit_min, "min",
       "mean time from declaration to permit of AEO items", 0),
    CF("permit_no_advance_mean_min", permit_adv_min[0], "min",
       "mean arrival to permit, items without advance data", 0),
    CF("permit_advance_mean_min", permit_adv_min[1], "min",
       "mean arrival to permit, items with advance data (pre-arrival filing)", 0),
    CF("permit_no_other_agency_mean_min", permit_oga_min[0], "min",
       "mean arrival to permit, items under customs law only", 0),
    CF("permit_other_agency_mean_min", permit_oga_min[1], "min",
       "mean arrival to permit, items also under other agencies' laws", 0),
    CF("hit_rate", hit_rate, "1", "inspections that found something / inspections", 0),
    CF("stage_arrival_decl_p50_min", stage_p50_min[0], "min",
       "median time from arrival to declaration", 0),
    CF("stage_arrival_decl_p95_min", stage_p95_min[0], "min",
       "95th percentile of the time from arrival to declaration", 0),
    CF("stage_arrival_decl_p99_min", stage_p99_min[0], "min",
       "99th percentile of the time from arrival to declaration", 0),
    CF("stage_decl_permit_p50_min", stage_p50_min[1], "min",
       "median time from declaration to permit", 0),
    CF("stage_decl_permit_p95_min", stage_p95_min[1], "min",
       "95th percentile of the time from declaration to permit", 0),
    CF("stage_decl_permit_p99_min", stage_p99_min[1], "min",
       "99th percentile of the time from declaration to permit", 0),
    CF("stage_permit_exit_p50_min", stage_p50_min[2], "min", "median time from permit to exit", 0),
    CF("stage_permit_exit_p95_min", stage_p95_min[2], "min",
       "95th percentile of the time from permit to exit", 0),
    CF("stage_permit_exit_p99_min", stage_p99_min[2], "min",
       "99th percentile of the time from permit to exit", 0),
    CF("revenue_recovered_jpy", revenue_jpy, "JPY", "evaded duty and tax recovered by inspections",
       0),
    CIT("lost", lost, "items", "items turned away by a full station (not released)", KPI_TABLE_IF,
        "lost", 8),
    CIT("diverted_in", diverted_in, "items", "items that came diverted from another port",
        KPI_TABLE_IF, "div_in", 8),
    CIT("diverted_out", diverted_out, "items",
        "items that came to a closed door and were sent to another port", KPI_TABLE_IF, "div_out",
        8),
    CF("in_system_mean", in_system_mean, "items", "time-average items in the system", S),
    CF("backlog_trend_per_day", backlog_trend_per_day, "items/day",
       "slope of the items in the system over the measured period (least squares on batch means)",
       0),
    CI("backlog_rising", backlog_rising, "1",
       "1: the backlog still grows after warm-up (slope significantly above zero, 95%)", 0),
};

#define SI(n, f, u, l, sh) {n, u, l, KPI_STATION, 1, offsetof(kpi_station, f), sh, NULL, 0}
#define SF(n, f, u, l, sh) {n, u, l, KPI_STATION, 0, offsetof(kpi_station, f), sh, NULL, 0}
#define SIT(n, f, u, l, sh, h, w) {n, u, l, KPI_STATION, 1, offsetof(kpi_station, f), sh | T, h, w}
#define SFT(n, f, u, l, sh, h, w) {n, u, l, KPI_STATION, 0, offsetof(kpi_station, f), sh | T, h, w}

static const kpi_field station_fields[] = {
    SIT("servers", servers, "1", "servers configured (-1: unlimited)", 0, "servers", 8),
    SI("arrived", arrived, "items", "items that came to the station during measurement", 0),
    SIT("served", served, "items", "services completed during measurement", 0, "served", 14),
    SI("lost", lost, "items", "arrivals turned away by a full station", 0),
    SFT("utilization", utilization, "1", "busy servers / available servers (time-weighted)", S,
        "util", 14),
    SFT("wait_mean_min", wait_mean_min, "min", "mean wait before service", S, "wait_mean_min", 15),
    SFT("wait_p95_min", wait_p95_min, "min", "95th percentile of the wait", S, "wait_p95_min", 15),
    SFT("queue_mean", queue_mean, "items", "time-average queue length", S, "queue_mean", 14),
    SFT("queue_max", queue_max, "items", "largest queue length", 0, "queue_max", 11),
    SF("down_h", down_h, "h", "time with no server available while items were present", 0),
    SI("inspected", inspected, "items", "physical inspections made", 0),
    SI("alarms", alarms, "items", "kernel alarms raised", 0),
    SF("available_mean", available_mean, "servers",
       "time-average servers the equipment, schedule and disruptions allow (or busy, if more)", 0),
    SF("busy_mean", busy_mean, "servers", "time-average busy servers", 0),
    SFT("offered_load", offered_load, "1", "arrival rate x mean service time / available servers",
        S, "load", 8),
    SI("overloaded", overloaded, "1", "1: offered load at or above 1 (the queue cannot settle)", 0),
    SF("staff_short_h", staff_short_h, "h",
       "time items waited while equipment stood idle for lack of staff", 0),
    SF("busy_span_h", busy_span_h, "h",
       "busy span: from the first item in (or out) during measurement to the last one out", 0),
    SF("span_utilization", span_utilization, "1",
       "busy servers / available servers over the busy span (a run that ends early: one plane)", 0),
};

#define PI(n, f, u, l, sh) {n, u, l, KPI_POOL, 1, offsetof(kpi_pool, f), sh, NULL, 0}
#define PF(n, f, u, l, sh) {n, u, l, KPI_POOL, 0, offsetof(kpi_pool, f), sh, NULL, 0}

#define PIT(n, f, u, l, sh, h, w) {n, u, l, KPI_POOL, 1, offsetof(kpi_pool, f), sh | T, h, w}
#define PFT(n, f, u, l, sh, h, w) {n, u, l, KPI_POOL, 0, offsetof(kpi_pool, f), sh | T, h, w}

static const kpi_field pool_fields[] = {
    PIT("size", size, "persons", "headcount", 0, "size", 6),
    PFT("on_duty_mean", on_duty_mean, "persons",
        "time-average persons on duty (rostered and able to work, plus those finishing an item)", 0,
        "on_duty", 8),
    PFT("busy_mean", busy_mean, "persons", "time-average persons serving", 0, "busy", 8),
    PFT("utilization", utilization, "1", "busy / on duty", S, "util", 8),
    PFT("overtime_h", overtime_h, "h",
        "person-hours beyond the roster (overtime responses, and items finished after a shift)", 0,
        "overtime_h", 10),
};

#define RI(n, f, u, l, sh) {n, u, l, KPI_RECOVERY, 1, offsetof(kpi_recovery, f), sh, NULL, 0}
#define RF(n, f, u, l, sh) {n, u, l, KPI_RECOVERY, 0, offsetof(kpi_recovery, f), sh, NULL, 0}
#define RFT(n, f, u, l, h, w) {n, u, l, KPI_RECOVERY, 0, offsetof(kpi_recovery, f), T, h, w}
#define RIT(n, f, u, l, h, w) {n, u, l, KPI_RECOVERY, 1, offsetof(kpi_recovery, f), T, h, w}

static const kpi_field recovery_fields[] = {
    RI("is_port", is_port, "1", "1 for a whole port", 0),
    RFT("peak_backlog", peak_backlog, "items",
        "largest number of items above the level before the first disruption", "peak_backlog", 14),
    RFT("peak_time_h", peak_time_h, "h", "when the backlog peaked (hours from the run start)",
        "peak_at_h", 14),
    RFT("time_to_normal_h", time_to_normal_h, "h",
        "from the first disruption until back to normal (NaN: not within the run)", "to_normal_h",
        14),
    RIT("delayed_24h", delayed_24h, "items", "items released more than 24 h later than normal",
        "delayed24", 9),
    RI("delayed_72h", delayed_72h, "items", "items released more than 72 h later than normal", 0),
    RI("cancelled", cancelled, "items", "arrivals cancelled by closures", 0),
    RI("diverted_out", diverted_out, "items", "arrivals sent to another port", 0),
    RI("diverted_in", diverted_in, "items", "arrivals received from another port", 0),
    RI("held", held, "items", "arrivals still held at the end", 0),
    RFT("throughput_lost", throughput_lost, "items",
        "releases short of the normal rate until back to normal", "rel_shortfall", 14),
    RFT("overtime_h", overtime_h, "h", "person-hours of overtime", "overtime_h", 14),
    RFT("rto_h", rto_h, "h", "recovery time objective", "rto_h", 14),
    RI("rto_met", rto_met, "1", "back to normal within the RTO", 0),
    RF("mtpd_h", mtpd_h, "h", "maximum tolerable period of disruption", 0),
    RI("mtpd_met", mtpd_met, "1", "back to normal within the MTPD", 0),
    RF("mbco", mbco, "1", "minimum service level objective (share of normal throughput)", 0),
    RF("min_service", min_service, "1", "lowest hourly throughput during the disruption / normal",
       0),
    RI("mbco_met", mbco_met, "1", "service never fell below the MBCO", 0),
};

#define KI(n, f, u, l, sh) {n, u, l, KPI_CLASS, 1, offsetof(kpi_class, f), sh, NULL, 0}
#define KF(n, f, u, l, sh) {n, u, l, KPI_CLASS, 0, offsetof(kpi_class, f), sh, NULL, 0}
#define KIT(n, f, u, l, sh, h, w) {n, u, l, KPI_CLASS, 1, offsetof(kpi_class, f), sh | T, h, w}
#define KFT(n, f, u, l, sh, h, w) {n, u, l, KPI_CLASS, 0, offsetof(kpi_class, f), sh | T, h, w}

static const kpi_field class_fields[] = {
    KIT("released", released, "items", "items of the class released during measurement", 0,
        "released", 14),
    KI("seized", seized, "items", "items of the class seized during measurement", 0),
    KFT("share", share, "1", "share of the channel's released items in the class", 0, "share", 13),
    KFT("release_mean_min", release_mean_min, "min", "mean time from arrival to release", 0,
        "rel_mean_min", 15),
    KF("release_p50_min", release_p50_min, "min", "median time from arrival to release", 0),
    KFT("release_p95_min", release_p95_min, "min", "95th percentile of the release time", 0,
        "rel_p95_min", 15),
    KF("release_p99_min", release_p99_min, "min", "99th percentile of the release time", 0),
    KF("wait_mean_min", wait_mean_min, "min", "mean time waiting in queues", 0),
    KFT("wait_within_target_share", wait_within_target_share, "1",
        "share whose waiting time was within the channel's wait_target_min", 0, "wait_in_tgt", 13),
};

#define BI(n, f, u, l, sh) {n, u, l, KPI_BATCH, 1, offsetof(kpi_batch, f), sh, NULL, 0}
#define BF(n, f, u, l, sh) {n, u, l, KPI_BATCH, 0, offsetof(kpi_batch, f), sh, NULL, 0}

static const kpi_field batch_fields[] = {
    BF("at_h", at_h, "h", "scheduled time of the batch (hours from the start)", 0),
    BI("size", size, "items",
       "items the batch brought (its drawn size, after surges and closures)", 0),
    BI("arrived", arrived, "items",
       "items of the batch that came in (not held, cancelled or diverted)", 0),
    BI("released", released, "items", "items of the batch released", 0),
    BI("seized", seized, "items", "items of the batch seized", 0),
    BI("lost", lost, "items", "items of the batch turned away by a full station", 0),
    BI("in_system_end", in_system_end, "items",
       "items of the batch still in the port at the end", 0),
    BF("first_release_h", first_release_h, "h",
       "when its first item was released (hours from the start)", 0),
    BF("last_release_h", last_release_h, "h",
       "when its last item was released (hours from the start)", 0),
    BF("clearance_min", clearance_min, "min",
       "clearance time: last release minus the batch's time (NaN while any item is still in)", 0),
    BF("release_mean_min", release_mean_min, "min",
       "mean time from arrival to release of its items", 0),
};

#define ZI(n, f, u, l, sh) {n, u, l, KPI_ZONE, 1, offsetof(kpi_zone, f), sh, NULL, 0}
#define ZF(n, f, u, l, sh) {n, u, l, KPI_ZONE, 0, offsetof(kpi_zone, f), sh, NULL, 0}
#define ZIT(n, f, u, l, sh, h, w) {n, u, l, KPI_ZONE, 1, offsetof(kpi_zone, f), sh | T, h, w}
#define ZFT(n, f, u, l, sh, h, w) {n, u, l, KPI_ZONE, 0, offsetof(kpi_zone, f), sh | T, h, w}

static const kpi_field zone_fields[] = {
    ZI("in_progress_start", in_progress_start, "attempts",
       "attempts at sea at the start of measurement", 0),
    ZIT("attempts", attempts, "attempts", "landing attempts that began during measurement", 0,
        "attempts", 10),
    ZIT("detected", detected, "attempts", "attempts seen (by any asset) during measurement", 0,
        "detected", 10),
    ZIT("interdicted", interdicted, "attempts", "attempts a boat reached before they landed", 0,
        "interdicted", 12),
    ZIT("landed", landed, "attempts", "attempts that landed (seen or not)", 0, "landed", 10),
    ZI("landed_detected", landed_detected, "attempts",
       "attempts seen that still landed (no boat in time)", 0),
    ZI("in_progress_end", in_progress_end, "attempts", "attempts at sea at the end", 0),
    ZFT("detect_share", detect_share, "1", "share of the ended attempts that were seen", S,
        "detect", 12),
    ZFT("interdict_share", interdict_share, "1",
        "share of the ended attempts that were interdicted", S, "interdict", 12),
    ZFT("time_to_detect_mean_h", time_to_detect_mean_h, "h",
        "mean time from an attempt's start to its detection", S, "detect_h", 12),
    ZFT("response_mean_h", response_mean_h, "h",
        "mean time from a detection to its boat's arrival (boats sent; waits for a free boat "
        "included)",
        S, "response_h", 12),
    ZF("coverage_per_h", coverage_per_h, "1/h",
       "time-average search rate: sum of sweep width x speed of the units searching, over the area",
       S),
    ZF("area_km2", area_km2, "km2", "area of the zone", 0),
};

#define AI(n, f, u, l, sh)                                                                         \
  { n, u, l, KPI_ASSET, 1, offsetof(kpi_asset, f), sh, NULL, 0 }
#define AF(n, f, u, l, sh)                                                                         \
  { n, u, l, KPI_ASSET, 0, offsetof(kpi_asset, f), sh, NULL, 0 }
#define AIT(n, f, u, l, sh, h, w)                                                                  \
  { n, u, l, KPI_ASSET, 1, offsetof(kpi_asset, f), sh | T, h, w }
#define AFT(n, f, u, l, sh, h, w)                                                                  \
  { n, u, l, KPI_ASSET, 0, offsetof(kpi_asset, f), sh | T, h, w }

static const kpi_field asset_fields[] = {
    AIT("units", units, "units", "identical units", 0, "units", 6),
    AI("sorties", sorties, "1", "sorties begun (drones, boats)", 0),
    AFT("hours", hours, "h", "unit-hours flown or sailed (NaN for satellites and radars)", 0,
        "hours", 12),
    AFT("availability", availability, "1",
        "share of unit-time able to work: not grounded, turning around or short of crew "
        "(satellites: clear passes)",
        S, "avail", 12),
    AFT("utilization", utilization, "1", "hours out / hours able to work (drones, boats)", S,
        "util", 12),
    AIT("detections", detections, "attempts", "attempts it saw first", 0, "detections", 11),
    AIT("interdictions", interdictions, "attempts", "attempts it interdicted (boats)", KPI_TABLE_IF,
        "interdict", 10),
    AF("grounded_h", grounded_h, "h", "unit-hours kept in by weather or a typhoon", 0),
    AF("crew_short_h", crew_short_h, "h", "unit-hours waiting for pilots or crew", 0),
};

#define N(a) (sizeof(a) / sizeof((a)[0]))

static const struct {
  const kpi_field *fields;
  size_t n, size;
  const char *word;
} kinds[KPI_NRECORDS] = {
    [KPI_CHANNEL] = {channel_fields, N(channel_fields), sizeof(kpi_channel), "channels"},
    [KPI_STATION] = {station_fields, N(station_fields), sizeof(kpi_station), "stations"},
    [KPI_POOL] = {pool_fields, N(pool_fields), sizeof(kpi_pool), "staff"},
    [KPI_RECOVERY] = {recovery_fields, N(recovery_fields), sizeof(kpi_recovery), "recovery"},
    [KPI_CLASS] = {class_fields, N(class_fields), sizeof(kpi_class), "classes"},
    [KPI_BATCH] = {batch_fields, N(batch_fields), sizeof(kpi_batch), "batches"},
    [KPI_ZONE] = {zone_fields, N(zone_fields), sizeof(kpi_zone), "coast"},
    [KPI_ASSET] = {asset_fields, N(asset_fields), sizeof(kpi_asset), "coast_assets"},
};

size_t kpi_run_count(const kpi_run *k, kpi_record r) {
  switch (r) {
  case KPI_CHANNEL: return k->nch;
  case KPI_STATION: return k->nst;
  case KPI_POOL: return k->npool;
  case KPI_RECOVERY: return k->nrec;
  case KPI_CLASS: return k->cls ? k->ncls : 0;
  case KPI_BATCH: return k->bat ? k->nbat : 0;
  case KPI_ZONE: return k->nzone;
  case KPI_ASSET: return k->nasset;
  default: return 0;
  }
}

const void *kpi_run_record(const kpi_run *k, kpi_record r, size_t i) {
  assert(i < kpi_run_count(k, r)); /* callers loop over kpi_run_count */
  switch (r) {
  case KPI_CHANNEL: return &k->ch[i];
  case KPI_STATION: return &k->st[i];
  case KPI_POOL: return &k->pool[i];
  case KPI_RECOVERY: return &k->rec[i];
  case KPI_CLASS: return &k->cls[i];
  case KPI_BATCH: return &k->bat[i];
  case KPI_ZONE: return &k->zone[i];
  case KPI_ASSET: return &k->asset[i];
  default: return NULL;
  }
}

const kpi_field *kpi_catalog(kpi_record r, size_t *n) {
  assert(r < KPI_NRECORDS); /* record kinds come from the enum, never from input */
  *n = kinds[r].n;
  return kinds[r].fields;
}

const kpi_field *kpi_catalog_find(kpi_record r, const char *name) {
  for (size_t i = 0; i < kinds[r].n; i++)
    if (!strcmp(kinds[r].fields[i].name, name)) return &kinds[r].fields[i];
  return NULL;
}

const char *kpi_record_word(kpi_record r) { return kinds[r].word; }
size_t kpi_record_size(kpi_record r) { return kinds[r].size; }

double kpi_field_value(const kpi_field *f, const void *rec) {
  const char *p = (const char *)rec + f->off;
  if (f->is_int) {
    int64_t v;
    memcpy(&v, p, sizeof v);
    return (double)v;
  }
  double d;
  memcpy(&d, p, sizeof d);
  return d;
}

void kpi_catalog_markdown(FILE *out) {
  static const char *const titles[KPI_NRECORDS] = {
      "`/kpi/channels`: one row per replication and channel (key columns `replication`, `channel`, "
      "`kind`)",
      "`/kpi/stations`: one row per replication and station (key columns `replication`, `station`, "
      "`type`)",
      "`/kpi/staff`: one row per replication and staff pool (key columns `replication`, `pool`)",
      "`/kpi/recovery`: one row per replication and scope, runs with disruptions (no rows "
      "without; key columns `replication`, `scope`)",
      "`/kpi/classes`: one row per replication, channel and class of item (key columns "
      "`replication`, `id` = CHANNEL.CLASS, `channel`, `class`)",
      "`/kpi/batches`: one row per replication and batch scheduled in the measured period (key "
      "columns `replication`, `id` = CHANNEL.N, `channel`, `batch`, `origin`)",
      "`/kpi/coast`: one row per replication and coast zone, scenarios with a `coast` only (key "
      "columns "
      "`replication`, `zone`)",
      "`/kpi/coast_assets`: one row per replication and coast asset (key columns `replication`, "
      "`asset`, "
      "`type`)"};
  for (int r = 0; r < KPI_NRECORDS; r++) {
    fprintf(out, "%s%s\n\n| column | type | units | meaning |\n|---|---|---|---|\n", r ? "\n" : "",
            titles[r]);
    for (size_t i = 0; i < kinds[r].n; i++) {
      const kpi_field *f = &kinds[r].fields[i];
      fprintf(out, "| `%s` | %s | %s | %s |\n", f->name, f->is_int ? "int64" : "float64", f->units,
              f->long_name);
    }
  }
}
