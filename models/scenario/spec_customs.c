/* spec_customs: the customs part of the port graph: station types and their
 * parameters, kernels, staff pools and rosters, initial state (see spec.h). */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "models/scenario/schema.h"
#include "models/scenario/spec.h"
#include "models/scenario/spec_internal.h"
#include "models/station.h"
#include "models/strtab.h"

char *spec_full_name(const spec *sp, const char *name) {
  size_t n = strlen(sp->rd->prefix) + strlen(name) + 1;
  char *s = malloc(n);
  if (s) snprintf(s, n, "%s%s", sp->rd->prefix, name);
  return s;
}

/* Lookups of names written inside the port being read: prefix + name, joined by the
 * hash table itself (no allocation, so no lookup can fail for want of memory). */
int spec_local_station(const spec *sp, const char *name) {
  return (int)strtab_find2(sp->rd->st_names, sp->rd->prefix, name);
}
int spec_local_pool(const spec *sp, const char *name) {
  return (int)strtab_find2(sp->rd->pool_names, sp->rd->prefix, name);
}
int spec_local_channel(const spec *sp, const char *name) {
  return (int)strtab_find2(sp->rd->ch_names, sp->rd->prefix, name);
}

int spec_pool_index(const spec *sp, const char *name) {
  return (int)strtab_find(sp->rd->pool_names, name);
}

static int read_roster(spec_pool *p, const config_setting_t *g, const char *file, sim_error *err) {
  const config_setting_t *at = config_setting_get_member(g, "at_h");
  const config_setting_t *od = config_setting_get_member(g, "on_duty");
  int n = config_setting_length(at);
  if (n < 1 || n != config_setting_length(od))
    return schema_error(err, g, file, "at_h and on_duty must be non-empty and of equal length");
  p->period_min = schema_float(g, "period_h") * 60;
  p->at_min = calloc((size_t)n, sizeof *p->at_min);
  p->on_duty = calloc((size_t)n, sizeof *p->on_duty);
  if (!p->at_min || !p->on_duty) return sim_error_set(err, SIM_ENOMEM, "out of memory");
  p->nroster = (size_t)n;
  for (int i = 0; i < n; i++) {
    const config_setting_t *a = config_setting_get_elem(at, (unsigned)i);
    const config_setting_t *o = config_setting_get_elem(od, (unsigned)i);
    p->at_min[i] = schema_num(a) * 60;
    p->on_duty[i] = (int)config_setting_get_int64(o);
    if (p->at_min[i] >= p->period_min || (i && p->at_min[i] <= p->at_min[i - 1]))
      return schema_error(err, a, file, "shift change times must increase and lie within period_h");
    if (p->on_duty[i] > p->size)
      return schema_error(err, o, file, "%d on duty exceeds the pool's size %d", p->on_duty[i],
                          p->size);
  }
  return 0;
}

int spec_read_settings(spec *sp, const config_t *cfg) {
  const config_setting_t *root = config_root_setting(cfg);
  sp->demand_allocation = !strcmp(schema_string(root, "staffing.allocation"), "demand");
  sp->kernels_surrogate = !strcmp(schema_string(root, "kernels.mode"), "surrogate");
  return 0;
}

/* Appends the pools of one port (the array is sized for all ports beforehand). */
int spec_read_pools(spec *sp, const config_setting_t *scope, const char *file, sim_error *err) {
  const config_setting_t *pools = config_setting_get_member(scope, "staff");
  for (int i = 0; pools && i < config_setting_length(pools); i++) {
    const config_setting_t *g = config_setting_get_elem(pools, (unsigned)i);
    spec_pool *p = &sp->pool[sp->npool++];
    p->name = spec_full_name(sp, config_setting_name(g));
    if (!p->name || strtab_put(sp->rd->pool_names, p->name, (long)(sp->npool - 1)))
      return sim_error_set(err, SIM_ENOMEM, "out of memory");
    p->port = (int)sp->nports - 1;
    p->size = (int)schema_int(g, "size");
    p->remote = schema_bool(g, "remote");
    const config_setting_t *r = config_setting_get_member(g, "roster");
    if (r && read_roster(p, r, file, err)) return SIM_EINVAL;
  }
  return 0;
}

static int read_opt_dist(const config_setting_t *g, const char *key, dist *d, int *has,
                         const char *file, sim_error *err) {
  const config_setting_t *s = config_setting_get_member(g, key);
  *has = s != NULL;
  return s ? schema_dist(s, d, file, err) : 0;
}

/* Kernel parameters: defaults from the kernel's table, overridden by kernel_params. */
static int read_kernel(spec_station *st, const config_setting_t *g, const char *file,
                       sim_error *err) {
  const char *name = schema_string(g, "kernel");
  if (!name) name = station_type_of(st->type)->kernel;
  if (!name || !strcmp(name, "none")) return 0;
  st->kernel = kernel_find(name);
  if (!st->kernel)
    return schema_error(err, g, file, "kernel '%s' is not built into this program", name);
  if (st->kernel->nparams > SPEC_MAXP)
    return schema_error(err, g, file, "kernel '%s' has too many parameters", name);
  for (size_t i = 0; i < st->kernel->nparams; i++) st->kparams[i] = st->kernel->params[i].def;
  const config_setting_t *kp = config_setting_get_member(g, "kernel_params");
  for (int i = 0; kp && i < config_setting_length(kp); i++) {
    const config_setting_t *e = config_setting_get_elem(kp, (unsigned)i);
    size_t j = 0;
    while (j < st->kernel->nparams && strcmp(st->kernel->params[j].name, config_setting_name(e)))
      j++;
    if (j == st->kernel->nparams)
      return schema_error(err, e, file, "unknown parameter of kernel '%s'", name);
    int t = config_setting_type(e);
    if (t != CONFIG_TYPE_FLOAT && t != CONFIG_TYPE_INT && t != CONFIG_TYPE_INT64)
      return schema_error(err, e, file, "must be a number");
    double v =
        t == CONFIG_TYPE_FLOAT ? config_setting_get_float(e) : (double)config_setting_get_int64(e);
    const kernel_param *kpd = &st->kernel->params[j];
    if (!(v >= kpd->min && v <= kpd->max))
      return schema_error(err, e, file, "value %g out of range [%g, %g]", v, kpd->min, kpd->max);
    st->kparams[j] = v;
  }
  return 0;
}

/* The selection module's policies, then `every`, which this reader handles itself. */
const char *spec_selection_policy_at(int i) {
  return i >= 0 && i < SELECTION_NPOLICIES ? selection_policy_name(i)
         : i == SELECTION_NPOLICIES        ? "every"
                                           : NULL;
}

static int read_selection(spec_station *st, const config_setting_t *g, const char *file,
                          sim_error *err) {
  selection_params_default(&st->sel); /* what the scenario has no keys for (window, ...) */
  const config_setting_t *s = config_setting_get_member(g, "selection");
  st->has_selection = st->type == ST_RISK;
  if (s && !strcmp(schema_string(s, "policy"), "every")) { /* counts items, reads no scores */
    const config_setting_t *gap = config_setting_get_member(s, "gap");
    st->has_selection = 0;
    st->every = 1;
    st->every_offset = schema_int(s, "offset");
    st->every_gap = count_dist_fixed(0);
    return gap ? count_dist_read(gap, &st->every_gap, file, err) : 0;
  }
  /* the key table's defaults whether or not the group is written */
  st->sel.policy = selection_policy_from_name(schema_string(g, "selection.policy"));
  st->sel.rate = schema_float(g, "selection.rate");
  st->sel.threshold = schema_float(g, "selection.threshold");
  st->sel.audit_share = schema_float(g, "selection.audit_share");
  st->sel.aeo_exempt = schema_bool(g, "selection.aeo_exempt");
  st->sel.horizon_h = schema_float(g, "selection.horizon_h");
  return 0;
}

static int read_staffing(spec *sp, spec_station *st, const config_setting_t *g, const char *file,
                         sim_error *err) {
  st->pool = st->remote_pool = -1;
  const config_setting_t *s = config_setting_get_member(g, "staff");
  if (s) {
    st->pool = spec_local_pool(sp, schema_string(s, "pool"));
    if (st->pool < 0)
      return schema_error(err, s, file, "unknown staff pool '%s'", schema_string(s, "pool"));
    st->per_server = schema_float(s, "per_server");
  }
  const config_setting_t *r = config_setting_get_member(g, "remote");
  if (r) {
    st->remote_pool = spec_local_pool(sp, schema_string(r, "pool"));
    if (st->remote_pool < 0)
      return schema_error(err, r, file, "unknown staff pool '%s'", schema_string(r, "pool"));
    st->remote_per_server = schema_float(r, "per_server");
  }
  return 0;
}

static void read_equipment(spec_station *st, const config_setting_t *g) {
  st->units = config_setting_get_member(g, "units") ? (int)schema_int(g, "units") : st->servers;
  const config_setting_t *m = config_setting_get_member(g, "maintenance");
  if (m) {
    st->maint_period_min = schema_float(m, "period_h") * 60;
    st->maint_at_min = schema_float(m, "at_h") * 60;
    st->maint_dur_min = schema_float(m, "duration_h") * 60;
    st->maint_units = (int)schema_int(m, "units");
  }
  st->dog_work_min = schema_float(g, "dogs.work_min");
  st->dog_rest_min = schema_float(g, "dogs.rest_min");
}

int spec_read_station_customs(spec *sp, spec_station *st, const config_setting_t *g,
                              const char *file, sim_error *err) {
  st->type = station_type_from_name(schema_string(g, "type"));
  st->port = (int)sp->nports - 1;
  st->manual_factor = schema_float(g, "manual_factor");
  const station_type_info *ti = station_type_of(st->type);
  const char *ap = schema_string(g, "applies_to");
  st->applies = ap ? station_applies_from_name(ap) : ti->applies;
  st->stage = config_setting_get_member(g, "stage") ? (int)schema_int(g, "stage") : ti->stage;
  st->unlimited =
      config_setting_get_member(g, "unlimited") ? schema_bool(g, "unlimited") : ti->unlimited;
  st->inspects = ti->inspects;
  st->block = !strcmp(schema_string(g, "when_full"), "block");
  st->share = schema_float(g, "share");
  st->fallback = -1;
  st->aeo_factor = schema_float(g, "aeo_factor");
  st->aeo_priority = (int)schema_int(g, "aeo_priority");
  st->edocs_factor = schema_float(g, "electronic_factor");
  st->rpa_factor = schema_float(g, "rpa_factor");
  st->automation_factor = schema_float(g, "automation_factor");
  st->advance_lead_min = schema_float(g, "advance_lead_h") * 60;
  st->simplified = !strcmp(schema_string(g, "procedure"), "simplified");
  if (read_opt_dist(g, "cash_payment", &st->cash, &st->has_cash, file, err) ||
      read_opt_dist(g, "cashless_payment", &st->cashless, &st->has_cashless, file, err))
    return SIM_EINVAL;
  int has_simpl = 0;
  if (read_opt_dist(g, "simplified_service", &st->simplified_service, &has_simpl, file, err))
    return SIM_EINVAL;
  if (st->simplified && !has_simpl)
    return schema_error(err, g, file, "procedure = \"simplified\" needs simplified_service");
  read_equipment(st, g);
  if (read_kernel(st, g, file, err) || read_selection(st, g, file, err)) return SIM_EINVAL;
  return read_staffing(sp, st, g, file, err);
}

/* Fallbacks name other stations of the port: resolved once its stations are known. */
int spec_resolve_fallbacks(spec *sp, const config_setting_t *scope, size_t first, const char *file,
                           sim_error *err) {
  const config_setting_t *sts = config_setting_get_member(scope, "stations");
  for (int i = 0; sts && i < config_setting_length(sts); i++) {
    const config_setting_t *g = config_setting_get_elem(sts, (unsigned)i);
    const char *fb = schema_string(g, "fallback");
    if (!fb) continue;
    size_t k = first + (size_t)i;
    sp->st[k].fallback = spec_local_station(sp, fb);
    if (sp->st[k].fallback < 0 || sp->st[k].fallback == (int)k)
      return schema_error(err, config_setting_get_member(g, "fallback"), file,
                          "fallback to unknown station '%s'", fb);
  }
  return 0;
}

int spec_channel_index(const spec *sp, const char *name) {
  return (int)strtab_find(sp->rd->ch_names, name);
}

int spec_read_initial(spec *sp, const config_setting_t *scope, const char *file, sim_error *err) {
  const config_setting_t *l = config_setting_get_member(scope, "initial");
  if (!l) return 0;
  size_t n = (size_t)config_setting_length(l);
  spec_initial *ni = realloc(sp->init, (sp->ninit + n + 1) * sizeof *ni);
  if (!ni) return sim_error_set(err, SIM_ENOMEM, "out of memory");
  sp->init = ni;
  for (size_t i = 0; i < n; i++) {
    const config_setting_t *e = config_setting_get_elem(l, (unsigned)i);
    spec_initial *in = &sp->init[sp->ninit++];
    in->station = spec_local_station(sp, schema_string(e, "station"));
    in->channel = spec_local_channel(sp, schema_string(e, "channel"));
    in->items = schema_int(e, "items");
    sp->rd->init_total += in->items;
    if (sp->rd->init_total > sp->max_items)
      return schema_error(
          err, config_setting_get_member(e, "items"), file,
          "the initial items come to %ld, "
          "more than run.max_items = %ld (raise run.max_items if the machine has the "
          "memory: about 350 bytes an item)",
          sp->rd->init_total, sp->max_items);
    in->age_min = schema_float(e, "age_h") * 60;
    if (in->station < 0)
      return schema_error(err, e, file, "unknown station '%s'", schema_string(e, "station"));
    if (in->channel < 0)
      return schema_error(err, e, file, "unknown channel '%s'", schema_string(e, "channel"));
    const spec_channel *c = &sp->ch[in->channel];
    int on_route = 0;
    for (size_t k = 0; k < c->nroute; k++) on_route |= c->route[k] == in->station;
    if (!on_route)
      return schema_error(err, e, file, "station '%s' is not on channel '%s''s route",
                          sp->st[in->station].name, c->name);
  }
  return 0;
}

void spec_free_customs(spec *sp) {
  for (size_t i = 0; i < sp->npool; i++) {
    free(sp->pool[i].name);
    free(sp->pool[i].at_min);
    free(sp->pool[i].on_duty);
  }
  free(sp->pool);
  free(sp->init);
  for (size_t i = 0; sp->st && i < sp->nst; i++) {
    dist_deinit(&sp->st[i].cash);
    dist_deinit(&sp->st[i].cashless);
    dist_deinit(&sp->st[i].simplified_service);
    count_dist_deinit(&sp->st[i].every_gap);
  }
}
