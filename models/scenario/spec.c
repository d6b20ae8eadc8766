/* spec: building the port graph from a validated scenario (see spec.h). Checks that
 * need the whole graph (routes to unknown stations, branch probabilities) live here. */
#include "models/scenario/spec.h"
#include "models/scenario/spec_internal.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "models/arrivals.h"
#include "models/coast.h"
#include "models/item.h"
#include "models/present.h"
#include "models/scenario/schema.h"
#include "models/strtab.h"

int spec_station_index(const spec *sp, const char *name) {
  return (int)strtab_find(sp->rd->st_names, name);
}

static int read_schedule(spec_station *st, const config_setting_t *g, const char *file,
                         sim_error *err) {
  const config_setting_t *at = config_setting_get_member(g, "at_h");
  const config_setting_t *sv = config_setting_get_member(g, "servers");
  int n = config_setting_length(at);
  if (n < 1 || n != config_setting_length(sv))
    return schema_error(err, g, file, "at_h and servers must be non-empty and of equal length");
  st->sched_period_min = schema_float(g, "period_h") * 60;
  st->sched_at_min = calloc((size_t)n, sizeof *st->sched_at_min);
  st->sched_servers = calloc((size_t)n, sizeof *st->sched_servers);
  if (!st->sched_at_min || !st->sched_servers)
    return sim_error_set(err, SIM_ENOMEM, "out of memory");
  st->nsched = (size_t)n;
  for (int i = 0; i < n; i++) {
    const config_setting_t *a = config_setting_get_elem(at, (unsigned)i);
    double t = schema_num(a);
    st->sched_at_min[i] = t * 60;
    st->sched_servers[i] = (int)config_setting_get_int64(config_setting_get_elem(sv, (unsigned)i));
    if (st->sched_at_min[i] >= st->sched_period_min ||
        (i && st->sched_at_min[i] <= st->sched_at_min[i - 1]))
      return schema_error(err, a, file, "change times must increase and lie within period_h");
  }
  return 0;
}

static int read_station(spec *sp, spec_station *st, const config_setting_t *g, const char *file,
                        sim_error *err) {
  st->name = spec_full_name(sp, config_setting_name(g));
  if (!st->name || strtab_put(sp->rd->st_names, st->name, st - sp->st))
    return sim_error_set(err, SIM_ENOMEM, "out of memory");
  st->servers = (int)schema_int(g, "servers");
  const config_setting_t *svc = config_setting_get_member(g, "service");
  if (!svc)
    st->service = (dist){.kind = DIST_DETERMINISTIC}; /* a decision point takes no time */
  else if (schema_dist(svc, &st->service, file, err))
    return SIM_EINVAL;
  st->priority_queue = !strcmp(schema_string(g, "queue"), "priority");
  st->preemptive = schema_bool(g, "preemptive");
  st->capacity = schema_int(g, "capacity");
  const config_setting_t *f = config_setting_get_member(g, "failures");
  if (f) {
    st->has_failures = 1;
    if (schema_dist(config_setting_get_member(f, "time_to_failure"), &st->ttf, file, err) ||
        schema_dist(config_setting_get_member(f, "repair"), &st->repair, file, err))
      return SIM_EINVAL;
    if (dist_mean(&st->ttf) == 0 && dist_mean(&st->repair) == 0)
      return schema_error(err, f, file,
                          "time_to_failure and repair both take no time: a unit would "
                          "fail and be repaired forever at one instant");
  }
  const config_setting_t *sch = config_setting_get_member(g, "schedule");
  if (sch && read_schedule(st, sch, file, err)) return SIM_EINVAL;
  return spec_read_station_customs(sp, st, g, file, err);
}

static int when_of(const config_setting_t *e) {
  const char *w = schema_string(e, "when");
  return !w || !strcmp(w, "any")  ? SPEC_WHEN_ANY
         : !strcmp(w, "selected") ? SPEC_WHEN_SELECTED
                                  : SPEC_WHEN_NOT_SELECTED;
}

/* A list with `when` entries: the cumulative probabilities of each group (items not
 * selected, selected items), each summing to 1 when the group has entries. */
static int routing_by(spec_channel *c, int from, const config_setting_t *l, const char *file,
                      sim_error *err) {
  spec_branch *br = c->branches[from];
  size_t n = c->nbranches[from];
  double cum[2] = {0, 0};
  int has[2] = {0, 0};
  for (size_t j = 0; j < n; j++) {
    for (int g = 0; g < 2; g++) {
      int in = br[j].when == SPEC_WHEN_ANY ||
               br[j].when == (g ? SPEC_WHEN_SELECTED : SPEC_WHEN_NOT_SELECTED);
      if (in) cum[g] += br[j].cum, has[g] = 1; /* br[j].cum holds the entry's own p here */
      br[j].cum_by[g] = cum[g];
    }
  }
  static const char *const who[2] = {"not selected", "selected"};
  for (int g = 0; g < 2; g++) {
    if (has[g] && fabs(cum[g] - 1) > 1e-9)
      return schema_error(err, l, file, "branch probabilities of %s items sum to %g, not 1", who[g],
                          cum[g]);
    for (size_t j = n; has[g] && j-- > 0;) /* the group's last entry ends at exactly 1 */
      if (br[j].when == SPEC_WHEN_ANY ||
          br[j].when == (g ? SPEC_WHEN_SELECTED : SPEC_WHEN_NOT_SELECTED)) {
        for (size_t q = j; q < n; q++) br[q].cum_by[g] = 1.0;
        break;
      }
  }
  c->branch_by[from] = (uint8_t)(has[0] | has[1] << 1);
  return 0;
}

static int read_routing(spec_channel *c, const spec *sp, const config_setting_t *r,
                        const char *file, sim_error *err) {
  for (int i = 0; i < config_setting_length(r); i++) {
    const config_setting_t *l = config_setting_get_elem(r, (unsigned)i);
    int from = spec_local_station(sp, config_setting_name(l));
    if (from < 0) return schema_error(err, l, file, "unknown station '%s'", config_setting_name(l));
    size_t n = (size_t)config_setting_length(l);
    if (!n) return schema_error(err, l, file, "needs at least one branch");
    spec_branch *br = calloc(n, sizeof *br);
    if (!br) return sim_error_set(err, SIM_ENOMEM, "out of memory");
    c->branches[from] = br;
    c->nbranches[from] = n;
    double cum = 0;
    int by = 0;
    for (size_t j = 0; j < n; j++) {
      const config_setting_t *e = config_setting_get_elem(l, (unsigned)j);
      const char *to = schema_string(e, "to");
      br[j].to = !strcmp(to, "exit") ? SPEC_EXIT : spec_local_station(sp, to);
      if (br[j].to == -1 && strcmp(to, "exit"))
        return schema_error(err, e, file, "route to unknown station '%s'", to);
      br[j].when = when_of(e);
      by |= br[j].when != SPEC_WHEN_ANY;
      cum += schema_float(e, "p");
      br[j].cum = cum;
    }
    if (by) { /* per group; keep each entry's own p for routing_by */
      for (size_t j = n; j-- > 1;) br[j].cum -= br[j - 1].cum;
      if (routing_by(c, from, l, file, err)) return SIM_EINVAL;
      continue;
    }
    if (fabs(cum - 1) > 1e-9)
      return schema_error(err, l, file, "branch probabilities sum to %g, not 1", cum);
    br[n - 1].cum = 1.0;
  }
  return 0;
}

static int read_channel(spec_channel *c, spec *sp, const config_setting_t *g, const char *file,
                        sim_error *err) {
  c->name = spec_full_name(sp, config_setting_name(g));
  c->port = (int)sp->nports - 1;
  if (!c->name || strtab_put(sp->rd->ch_names, c->name, c - sp->ch))
    return sim_error_set(err, SIM_ENOMEM, "out of memory");
  c->kind = item_kind_from_name(schema_string(g, "kind"));
  c->fraud_scale = schema_float(g, "fraud_scale");
  c->aeo_share = schema_float(g, "aeo_share");
  c->advance_share = schema_float(g, "advance_share");
  c->edocs_share = schema_float(g, "edocs_share");
  c->target_min =
      config_setting_get_member(g, "target_h") ? schema_float(g, "target_h") * 60 : sp->target_min;
  c->wait_target_min = schema_float(g, "wait_target_min");
  c->priority = (int)schema_int(g, "priority");
  const config_setting_t *ag = config_setting_get_member(g, "arrivals");
  if (sp->rd->from_text && ag && config_setting_get_member(ag, "csv"))
    return schema_error(err, config_setting_get_member(ag, "csv"), file,
                        "a stored scenario reads no "
                        "schedule file");
  if (arrivals_spec_read(&c->arr, config_setting_get_member(g, "arrivals"),
                         config_setting_parent(config_setting_parent(g)), c->name, sp->start_iso,
                         file, err))
    return SIM_EINVAL;
  const config_setting_t *r = config_setting_get_member(g, "route");
  c->nroute = (size_t)config_setting_length(r);
  c->route = calloc(c->nroute ? c->nroute : 1, sizeof *c->route);
  const config_setting_t *rt = config_setting_get_member(g, "routing");
  /* per-station branch tables only where there is routing: a scenario of many channels
   * and stations would otherwise hold channels x stations pointers */
  size_t nt = sp->rd->nst_cap ? sp->rd->nst_cap : 1;
  c->branches = rt ? calloc(nt, sizeof *c->branches) : sp->rd->no_branches;
  c->nbranches = rt ? calloc(nt, sizeof *c->nbranches) : sp->rd->no_nbranches;
  c->branch_by = rt ? calloc(nt, sizeof *c->branch_by) : sp->rd->no_branch_by;
  if (!c->route || !c->branches || !c->nbranches || !c->branch_by)
    return sim_error_set(err, SIM_ENOMEM, "out of memory");
  if (!c->nroute) return schema_error(err, r, file, "a route needs at least one station");
  for (size_t i = 0; i < c->nroute; i++) {
    const config_setting_t *e = config_setting_get_elem(r, (unsigned)i);
    c->route[i] = spec_local_station(sp, config_setting_get_string(e));
    if (c->route[i] < 0)
      return schema_error(err, e, file, "route to unknown station '%s'",
                          config_setting_get_string(e));
  }
  return rt ? read_routing(c, sp, rt, file, err) : 0;
}

/* The run and output groups; the key table's defaults fill in whatever is absent, the
 * groups themselves included (schema readers take the dotted path). */
static int read_run(spec *sp, const config_t *cfg) {
  const config_setting_t *root = config_root_setting(cfg);
  sp->name = strdup(schema_string(root, "name"));
  sp->start_iso = strdup(schema_string(root, "run.start"));
  sp->warmup_min = schema_float(root, "run.warmup_days") * 1440;
  sp->days_min = schema_float(root, "run.days") * 1440;
  sp->sample_min = schema_float(root, "output.sample_min");
  sp->target_min = schema_float(root, "output.target_h") * 60;
  sp->items_log = schema_bool(root, "output.items");
  sp->max_items = schema_int(root, "run.max_items");
  sp->items_log_max_bytes = (double)schema_int(root, "output.items_max_mb") * 1048576.0;
  return sp->name && sp->start_iso ? 0 : SIM_ENOMEM;
}

/* The groups that hold channels, stations and staff: the root, or each ports.NAME. */
static size_t scopes(const config_t *cfg, const config_setting_t **out, size_t max) {
  const config_setting_t *ports = config_lookup(cfg, "ports");
  if (!ports || !config_setting_length(ports)) {
    out[0] = config_root_setting(cfg);
    return 1;
  }
  size_t n = (size_t)config_setting_length(ports);
  if (n > max) n = max;
  for (size_t i = 0; i < n; i++) out[i] = config_setting_get_elem(ports, (unsigned)i);
  return n;
}

static size_t count(const config_setting_t *const *sc, size_t n, const char *what) {
  size_t c = 0;
  for (size_t i = 0; i < n; i++) {
    const config_setting_t *g = config_setting_get_member(sc[i], what);
    c += g ? (size_t)config_setting_length(g) : 0;
  }
  return c;
}

/* Reads one port: pools, stations, fallbacks, channels, initial items. */
static int read_scope(spec *sp, const config_setting_t *g, int multi, const char *file,
                      sim_error *err) {
  sp->ports[sp->nports] = strdup(multi ? config_setting_name(g) : "");
  if (!sp->ports[sp->nports]) return sim_error_set(err, SIM_ENOMEM, "out of memory");
  sp->nports++; /* counted at once, so spec_free frees the name whatever follows */
  if (strtab_put(sp->rd->port_names, sp->ports[sp->nports - 1], (long)sp->nports - 1))
    return sim_error_set(err, SIM_ENOMEM, "out of memory");
  snprintf(sp->rd->prefix, sizeof sp->rd->prefix, "%s%s", sp->ports[sp->nports - 1],
           multi ? "." : "");
  int rc = spec_read_pools(sp, g, file, err);
  const config_setting_t *sts = config_setting_get_member(g, "stations");
  const config_setting_t *chs = config_setting_get_member(g, "channels");
  size_t first = sp->nst, first_ch = sp->nch;
  for (int i = 0; !rc && sts && i < config_setting_length(sts); i++, sp->nst++)
    rc = read_station(sp, &sp->st[sp->nst], config_setting_get_elem(sts, (unsigned)i), file, err);
  if (!rc) rc = spec_resolve_fallbacks(sp, g, first, file, err);
  for (int i = 0; !rc && chs && i < config_setting_length(chs); i++, sp->nch++)
    rc = read_channel(&sp->ch[sp->nch], sp, config_setting_get_elem(chs, (unsigned)i), file, err);
  if (!rc) rc = spec_read_initial(sp, g, file, err);
  for (size_t i = first_ch; !rc && i < sp->nch; i++)
    rc = spec_check_loops(sp, (int)i, config_setting_get_elem(chs, (unsigned)(i - first_ch)), file,
                          err);
  return rc;
}

static int check_surges(spec *sp, const config_t *cfg, const char *file, sim_error *err) {
  const char **names = calloc(sp->nch ? sp->nch : 1, sizeof *names);
  if (!names) return sim_error_set(err, SIM_ENOMEM, "out of memory");
  for (size_t i = 0; i < sp->nch; i++) names[i] = sp->ch[i].name;
  int rc = arrivals_check_surges(config_root_setting(cfg), names, (int)sp->nch, file, err);
  free(names);
  return rc;
}

#define MAX_PORTS 64
#define MAX_SERIES_VALUES 2.5e8 /* doubles of time series in one replication (2 GB) */

/* Bounds that depend on the whole scenario: the time series' size, the initial items. */
static int check_limits(const spec *sp, const config_t *cfg, const char *file, sim_error *err) {
  const config_setting_t *out = config_lookup(cfg, "output");
  if (sp->sample_min > 0) {
    double ns = floor((sp->warmup_min + sp->days_min) / sp->sample_min) + 1;
    double values = ns * (double)(1 + 2 * sp->nst + 2 * sp->nch + 2 * sp->npool);
    if (values > MAX_SERIES_VALUES)
      return schema_error(
          err, out ? config_setting_get_member(out, "sample_min") : config_root_setting(cfg), file,
          "sampling every %g min gives %.3g samples of %zu series (%.3g GB per replication); "
          "raise output.sample_min, or set it to 0 for no series",
          sp->sample_min, ns, 1 + 2 * sp->nst + 2 * sp->nch + 2 * sp->npool, values * 8 / 1e9);
  }
  return 0;
}

/* The reader's own state: name tables, the shared empty branch tables, the prefix. */
static int reader_new(spec *sp, size_t nst) {
  spec_reader *rd = sp->rd = calloc(1, sizeof *rd);
  if (!rd) return SIM_ENOMEM;
  rd->nst_cap = nst;
  rd->no_branches = calloc(nst ? nst : 1, sizeof *rd->no_branches);
  rd->no_nbranches = calloc(nst ? nst : 1, sizeof *rd->no_nbranches);
  rd->no_branch_by = calloc(nst ? nst : 1, sizeof *rd->no_branch_by);
  rd->st_names = strtab_new(), rd->ch_names = strtab_new();
  rd->pool_names = strtab_new(), rd->port_names = strtab_new();
  return rd->no_branches && rd->no_nbranches && rd->no_branch_by && rd->st_names &&
                 rd->ch_names && rd->pool_names && rd->port_names
             ? 0
             : SIM_ENOMEM;
}

static void reader_free(spec_reader *rd) {
  if (!rd) return;
  free(rd->no_branches);
  free(rd->no_nbranches);
  free(rd->no_branch_by);
  strtab_free(rd->st_names);
  strtab_free(rd->ch_names);
  strtab_free(rd->pool_names);
  strtab_free(rd->port_names);
  free(rd);
}

int spec_build(spec **out, const scenario *sc, sim_error *err) {
  *out = NULL;
  const config_t *cfg = scenario_config(sc);
  const char *file = scenario_file(sc);
  spec *sp = calloc(1, sizeof *sp);
  if (!sp) return sim_error_set(err, SIM_ENOMEM, "out of memory");
  const config_setting_t *sco[MAX_PORTS];
  size_t ns = scopes(cfg, sco, MAX_PORTS);
  size_t nst = count(sco, ns, "stations"), nch = count(sco, ns, "channels");
  size_t np = count(sco, ns, "staff");
  int rc = 0;
  if (reader_new(sp, nst) || read_run(sp, cfg))
    rc = sim_error_set(err, SIM_ENOMEM, "out of memory");
  if (sp->rd) sp->rd->from_text = scenario_from_text(sc);
  spec_read_settings(sp, cfg);
  sp->st = calloc(nst ? nst : 1, sizeof *sp->st);
  sp->ch = calloc(nch ? nch : 1, sizeof *sp->ch);
  sp->pool = calloc(np ? np : 1, sizeof *sp->pool);
  sp->ports = calloc(ns, sizeof *sp->ports);
  if (!rc && (!sp->st || !sp->ch || !sp->pool || !sp->ports))
    rc = sim_error_set(err, SIM_ENOMEM, "out of memory");
  if (!rc && !nch)
    rc = schema_error(err, config_root_setting(cfg), file,
                      "a scenario needs at least one channel (channels, or ports.NAME.channels)");
  for (size_t i = 0; !rc && i < ns; i++)
    rc = read_scope(sp, sco[i], ns > 1 || config_lookup(cfg, "ports"), file, err);
  if (sp->rd) sp->rd->prefix[0] = '\0';
  if (!rc) rc = check_limits(sp, cfg, file, err);
  if (!rc) rc = check_surges(sp, cfg, file, err);
  if (!rc) rc = spec_read_classes(sp, cfg, file, err);
  if (!rc) rc = coast_spec_read(&sp->coast, sp, cfg, file, err);
  if (!rc) rc = spec_read_disruptions(sp, cfg, file, err);
  if (!rc) rc = present_build(&sp->pres, sp, cfg, file, err);
  if (rc) {
    spec_free(sp);
    return rc;
  }
  *out = sp;
  return 0;
}

static void free_channel(const spec *sp, spec_channel *c) {
  const spec_reader *rd = sp->rd;
  free(c->name);
  arrivals_spec_free(c->arr);
  free(c->route);
  if (c->branches && (!rd || c->branches != rd->no_branches)) {
    for (size_t j = 0; rd && j < rd->nst_cap; j++) free(c->branches[j]);
    free(c->branches);
  }
  if (!rd || c->nbranches != rd->no_nbranches) free(c->nbranches);
  if (!rd || c->branch_by != rd->no_branch_by) free(c->branch_by);
}

void spec_free(spec *sp) {
  if (!sp) return;
  present_free(sp->pres);
  spec_free_classes(sp);
  coast_spec_free(sp->coast);
  spec_free_customs(sp);
  spec_free_disruptions(sp);
  for (size_t i = 0; sp->ports && i < sp->nports; i++) free(sp->ports[i]);
  free(sp->ports);
  for (size_t i = 0; i < sp->nst; i++) {
    spec_station *st = &sp->st[i];
    free(st->name);
    dist_deinit(&st->service);
    dist_deinit(&st->ttf);
    dist_deinit(&st->repair);
    free(st->sched_at_min);
    free(st->sched_servers);
  }
  for (size_t i = 0; i < sp->nch; i++) free_channel(sp, &sp->ch[i]);
  free(sp->st);
  free(sp->ch);
  reader_free(sp->rd);
  free(sp->name);
  free(sp->start_iso);
  free(sp);
}
