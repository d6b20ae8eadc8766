/* flow: items through the port: arrival, the stations of the route (skipped when
 * a station does not apply, or sent to its fallback), service, the station's decision
 * (kernel alarms, risk selection, physical inspection outcomes), blocking when a
 * station is full, seizure and release. */
#include <assert.h>
#include <emmintrin.h>
#include <math.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "models/arrivals.h"
#include "models/dog.h"
#include "models/itemfeed.h"
#include "models/port/capacity.h"
#include "models/port/class.h"
#include "models/port/disrupt_rt.h"
#include "models/port/flow.h"
#include "models/port/kpis.h"
#include "models/port/staff.h"
#include "models/port/view.h"
#include "models/station.h"
#include "sim/rng.h"

/* ---- jobs ---- */

static uint32_t job_new(port *p) {
  if (p->free_head != NO_JOB) {
    uint32_t j = p->free_head;
    p->free_head = job_at(p, j)->next_free;
    return j;
  }
  return port_job_grow(p);
}

static void job_free(port *p, uint32_t j) {
  job_at(p, j)->ch = -1; /* not an item any more (the end-of-run count skips it) */
  job_at(p, j)->next_free = p->free_head;
  p->free_head = j;
}

/* ---- which stations an item visits ---- */

static int applies(const station_rt *s, const job *jb) {
  const item *it = &jb->it;
  switch (s->sp->applies) {
  case AP_SELECTED: return jb->selected;
  case AP_ALARMED: return jb->alarmed;
  case AP_SUSPECT: return jb->selected || jb->alarmed;
  case AP_CLEAR: return !jb->selected && !jb->alarmed;
  case AP_EGATE: {
    const dis_station *d = disrupt_station(s); /* e-gates stop in manual mode */
    return it->pax.egate_eligible && !jb->selected && d->factor > 0 && d->manual <= 1;
  }
  case AP_DUTIABLE: return jb->dutiable;
  case AP_IPR: return jb->ipr;
  case AP_AEO: return it->decl.aeo;
  case AP_NON_AEO: return !it->decl.aeo;
  case AP_OTHER_AGENCY: return it->decl.other_agency;
  case AP_PERISHABLE: return it->decl.perishable;
  default: return 1;
  }
}

/* The next route station after position pos, or SPEC_EXIT. Branches with `when`
 * split items by whether they are selected; a group without branches follows the route. */
static int route_next(port *p, job *jb) {
  const spec_channel *c = p->ch[jb->ch].sp;
  int st = jb->st, g = jb->selected != 0;
  int by = st >= 0 ? c->branch_by[st] : 0;
  if (st >= 0 && c->branches[st] && (!by || (by >> g & 1))) {
    const spec_branch *br = c->branches[st];
    size_t k = 0;
    double u = rng_uniform(p->ch[jb->ch].route_rng);
    if (by)
      while (k + 1 < c->nbranches[st] && u >= br[k].cum_by[g]) k++;
    else
      while (k + 1 < c->nbranches[st] && u >= br[k].cum) k++;
    if (br[k].to == SPEC_EXIT) return SPEC_EXIT;
    for (size_t i = 0; i < c->nroute; i++)
      if (c->route[i] == br[k].to) {
        jb->pos = (int)i;
        break;
      }
    return br[k].to;
  }
  jb->pos++;
  return (size_t)jb->pos < c->nroute ? c->route[jb->pos] : SPEC_EXIT;
}

/* From a candidate station, the one the item actually enters (skipping stations that
 * do not apply, or taking their fallback), or SPEC_EXIT. */
static int resolve(port *p, job *jb, int st) {
  for (int guard = 0; st != SPEC_EXIT && guard < 1000; guard++) {
    station_rt *s = &p->st[st];
    if (applies(s, jb) && (s->sp->share >= 1 || rng_uniform(s->dec_rng) < s->sp->share))
      return st;
    if (s->sp->fallback >= 0 && !applies(s, jb)) return s->sp->fallback;
    jb->st = -1; /* a skipped station does not branch */
    st = route_next(p, jb);
  }
  return st;
}

int flow_station_present(const port *p, int st) {
  const station_rt *s = &p->st[st];
  return s->res ? res_busy(s->res) + (int)res_queue_len(s->res) : (int)s->present;
}

static int is_full(const port *p, int st) {
  const spec_station *sp = p->st[st].sp;
  if (station_closed(&p->st[st]) && !p->st[st].res)
    return 1; /* nobody leaves through a closed exit */
  return sp->capacity >= 0 && flow_station_present(p, st) >= sp->capacity;
}

/* ---- outcomes ---- */

static void note_stage(port *p, job *jb, int stage) {
  double now = (*p->clock);
  if (stage >= 2 && !jb->counted_decl) {
    jb->counted_decl = 1;
    jb->t_decl = now;
  }
  if (stage >= 3 && !jb->counted_permit) {
    jb->counted_permit = 1;
    jb->t_permit = now;
  }
}

void flow_insys_add(port *p, int ch, int64_t delta) {
  channel_rt *c = &p->ch[ch];
  c->in_system += delta;
  timeavg_set(&c->insys_t, *p->clock, (double)c->in_system);
}

/* The bin of x >= edges[b] from bin b up: the last bin whose lower edge is <= x. */
static int bin_up(const port *p, int b, double x) {
  while (b < KPI_REL_BINS - 1 && x >= p->edges[b + 1]) b++;
  return b;
}

/* The bin of a release time: b with edges[b] <= rt < edges[b + 1] (0 below edges[1],
 * the last bin beyond). The table gives, for rt's sixteenth of an octave, the bin of
 * the sixteenth's lower end; a sixteenth (a factor 1.044) is narrower than a bin (1.35),
 * so one edge at most lies above that. */
static int release_bin(const port *p, double rt) {
  if (rt < p->edges[1]) return 0;
  uint64_t u;
  memcpy(&u, &rt, sizeof u);
  int64_t i = ((int64_t)(u >> 52) - 1023 - REL_LUT_E0) * 16 + (int64_t)(u >> 48 & 15);
  if (i >= REL_LUT_N) return KPI_REL_BINS - 1;
  return bin_up(p, p->rel_lut[i < 0 ? 0 : i], rt);
}

void flow_release_lut(port *p) {
  _Static_assert(KPI_REL_BINS < 256, "a bin in a byte");
  /* the table spans the edges: below it nothing passes release_bin's first test, above
   * it only the last bin */
  assert(p->edges[1] >= ldexp(1, REL_LUT_E0) &&
         p->edges[KPI_REL_BINS - 1] < ldexp(1, REL_LUT_E0 + REL_LUT_N / 16));
  for (int i = 0; i < REL_LUT_N; i++)
    p->rel_lut[i] = (uint8_t)bin_up(p, 1, ldexp(1.0 + (double)(i % 16) / 16, i / 16 + REL_LUT_E0));
}

/* Figures only customs items have: AEO and group splits, misses, false alarms. */
static void customs_figures(channel_rt *c, const job *jb) {
  if (jb->it.decl.aeo) tally_add(&c->stage_aeo, jb->t_permit - jb->t_decl);
  tally_add(&c->permit_adv[jb->it.decl.advance_data ? 1 : 0], jb->t_permit - jb->t_arr);
  tally_add(&c->permit_oga[jb->it.decl.other_agency ? 1 : 0], jb->t_permit - jb->t_arr);
  int illicit = item_is_illicit(&jb->it);
  if (illicit && !jb->found) c->missed++;
  if (jb->inspected && !illicit) c->false_alarms++;
}

/* The stages' own figures, from what the plain items so far gave them (channel_rt's
 * stage_plain): stage 1 the release times (the release's figures, which have not yet
 * counted the item that parts them), stages 0 and 2 that many zeros, added one by one
 * as before. */
static void stages_part(channel_rt *c) {
  c->stage[1] = c->release;
  hist_merge(&c->stage_hist[1], &c->release_hist); /* into an empty one: a copy */
  for (int k = 0; k < 3; k += 2)
    for (int64_t i = 0; i < c->stage_plain; i++) {
      tally_add(&c->stage[k], 0.0);
      hist_add(&c->stage_hist[k], 0.0);
    }
  c->stage_plain = -1;
}

static void leave(port *p, uint32_t j, int seized) {
  job *jb = job_at(p, j);
  channel_rt *c = &p->ch[jb->ch];
  double now = (*p->clock);
  flow_insys_add(p, jb->ch, -1);
  if (!seized) c->released_all++;
  if (p->items_log && p->measuring) {
    note_stage(p, jb, 3);
    kpis_item(p, jb, seized ? KPI_OUT_SEIZED : KPI_OUT_RELEASED, now);
  }
  class_leave(p, jb, seized, now); /* first: a class parting from the channel copies its
                                      figures before the channel counts this item */
  if (p->measuring && seized) c->seized++;
  if (p->measuring && !seized) {
    note_stage(p, jb, 3);
    double rt = now - jb->t_arr;
    if (c->stage_plain >= 0 && !(jb->t_decl == jb->t_arr && jb->t_permit == now)) stages_part(c);
    c->released++;
    tally_add(&c->release, rt);
    hist_add(&c->release_hist, rt);
    tally_add(&c->wait, jb->waited);
    hist_add(&c->wait_hist, jb->waited);
    if (c->stage_plain >= 0) {
      c->stage_plain++; /* stage 1 is rt (t_decl is t_arr, t_permit now), the others 0 */
    } else {
      double st[3] = {jb->t_decl - jb->t_arr, jb->t_permit - jb->t_decl, now - jb->t_permit};
      for (int k = 0; k < 3; k++) {
        tally_add(&c->stage[k], st[k]);
        hist_add(&c->stage_hist[k], st[k]);
      }
    }
    if (c->gen) customs_figures(c, jb);
    if (rt <= c->sp->target_min) c->within_target++;
    if (jb->waited <= c->sp->wait_target_min) c->wait_within_target++;
    if (!isnan(c->base_release_min)) { /* delayed beyond normal by a disruption */
      if (rt > c->base_release_min + 24 * 60) c->delayed24++;
      if (rt > c->base_release_min + 72 * 60) c->delayed72++;
    }
    c->rel_bins[release_bin(p, rt)] += 1;
  }
  job_free(p, j);
}

/* Item j is turned away by a full station: it leaves the port unserved, counted as lost
 * (never as released). */
static void lose(port *p, uint32_t j) {
  job *jb = job_at(p, j);
  flow_insys_add(p, jb->ch, -1);
  if (p->measuring) {
    p->ch[jb->ch].lost++;
    if (p->items_log) kpis_item(p, jb, KPI_OUT_LOST, *p->clock);
  }
  class_leave(p, jb, 2, *p->clock);
  job_free(p, j);
}

static int route_has_ipr_hold(const port *p, int ch) {
  const spec_channel *c = p->ch[ch].sp;
  for (size_t i = 0; i < c->nroute; i++)
    if (p->st[c->route[i]].sp->type == ST_IPR_HOLD) return 1;
  return 0;
}

/* What a physical inspection finds. Returns 1 if the item is seized. */
static int inspect_outcome(port *p, station_rt *s, job *jb) {
  channel_rt *c = &p->ch[jb->ch];
  const item_truth *t = &jb->it.truth;
  int illicit = item_is_illicit(&jb->it);
  s->inspected++;
  int found = illicit && jb->verdict;
  if (jb->risk_st >= 0) {
    station_rt *r = &p->st[jb->risk_st];
    if (r->kstate && r->sp->kernel->learn) r->sp->kernel->learn(r->kstate, &jb->it, found);
  }
  if (!illicit) return 0; /* a false alarm: counted when the item leaves */
  if (!found) return 0;
  jb->found = 1;
  if (t->contraband != CONTRA_NONE || t->prohibited_export) {
    port_found(p, s->idx, jb->ch, t->contraband != CONTRA_NONE ? t->contraband : CONTRA_N + 2);
    if (p->measuring) {
      int k = t->contraband != CONTRA_NONE ? t->contraband : CONTRA_N + 2;
      c->seized_kind[k]++;
      if (t->contraband != CONTRA_NONE) c->seized_kg[t->contraband] += t->contraband_kg;
    }
    return 1;
  }
  if (t->undervalued || t->misclassified) {
    port_found(p, s->idx, jb->ch, CONTRA_N + 1);
    jb->dutiable = 1;
    if (p->measuring) {
      c->revenue += t->evaded_jpy;
      c->seized_kind[CONTRA_N + 1]++;
    }
  }
  if (t->ipr) {
    port_found(p, s->idx, jb->ch, CONTRA_N);
    if (!route_has_ipr_hold(p, jb->ch)) { /* no certification step: seized at once */
      if (p->measuring) c->seized_kind[CONTRA_N]++;
      return 1;
    }
    jb->ipr = 1; /* on to the certification procedure */
  }
  return 0;
}

/* Items waiting for or in inspection downstream of a risk station, and how many the
 * inspection stations clear per hour (for capacity-aware selection). */
static void downstream_load(const port *p, const job *jb, double *backlog, double *per_hour) {
  const spec_channel *c = p->ch[jb->ch].sp;
  *backlog = *per_hour = 0;
  for (size_t i = (size_t)jb->pos + 1; i < c->nroute; i++) {
    const station_rt *s = &p->st[c->route[i]];
    int ap = s->sp->applies;
    if (ap != AP_SELECTED && ap != AP_SUSPECT) continue;
    *backlog += flow_station_present(p, c->route[i]);
    double cap = s->res ? res_capacity(s->res) : 1e9;
    *per_hour += cap * 60 / dist_mean(&s->sp->service);
  }
}

/* The decision a station makes on an item, taken when its service starts; returns
 * the extra processing time in minutes. */
static double decide(port *p, station_rt *s, job *jb) {
  const spec_station *sp = s->sp;
  jb->verdict = 0;
  if (s->ndogs) { /* a working team sniffs the item */
    double now = (*p->clock);
    for (int k = 0; k < s->ndogs; k++) {
      struct dog *d = s->dogs[(s->next_dog + k) % s->ndogs];
      dog_advance(d, now);
      if (!dog_is_working(d)) continue;
      s->next_dog = (s->next_dog + k + 1) % s->ndogs;
      if (dog_screen(d, &jb->it, now, s->dec_rng)) {
        jb->alarmed = 1;
        s->alarms++;
      }
      break;
    }
  }
  if (!s->kstate) return 0;
  kernel_verdict v = {0};
  sp->kernel->decide(s->kstate, &jb->it, s->dec_rng, &v);
  if (sp->type == ST_RISK && s->sel) {
    int reason = 0;
    double backlog, per_hour;
    downstream_load(p, jb, &backlog, &per_hour);
    jb->risk_st = s->idx;
    jb->risk_score = (float)v.score;
    int sel =
        selection_decide(s->sel, v.score, &jb->it, backlog, per_hour, s->dec_rng, &reason) != 0;
    double keep = disrupt_station(s)->sel_keep; /* a response may lower it */
    if (sel && keep < 1 && rng_uniform(s->dec_rng) >= keep) sel = 0;
    jb->selected |= sel;
    return v.time_s / 60;
  }
  jb->verdict = (uint8_t)v.alarm;
  if (!sp->inspects && sp->applies == AP_ALARMED) {
    jb->alarmed = v.alarm != 0; /* a second-stage detector confirms or clears */
    s->alarms += v.alarm;
  } else if (!sp->inspects && v.alarm) {
    jb->alarmed = 1;
    s->alarms++;
  }
  return v.time_s / 60;
}

static double service_time(station_rt *s, job *jb) {
  const spec_station *sp = s->sp;
  const item *it = &jb->it;
  double d = s->svc_feed ? itemfeed_draw(s->p->feed, s->svc_feed - 1)
                        : dist_sample(station_service(sp), s->svc_rng);
  if (it->decl.aeo) d *= sp->aeo_factor;
  if (it->decl.electronic_docs) d *= sp->edocs_factor;
  d *= sp->rpa_factor * sp->automation_factor * disrupt_station(s)->manual;
  if (it->decl.advance_data && sp->advance_lead_min > 0) /* done before arrival */
    d = d > sp->advance_lead_min ? d - sp->advance_lead_min : 0;
  if (sp->type == ST_COUNTER && it->pax.has_dutiable) {
    const dist *pay = it->pax.cashless ? (sp->has_cashless ? &sp->cashless : NULL)
                                       : (sp->has_cash ? &sp->cash : NULL);
    if (pay) d += dist_sample(pay, s->svc_rng);
  }
  return d;
}

static void ev_depart(sim *sm, void *ctx, uint64_t arg);

static void start_service(station_rt *s, uint32_t j) {
  port *p = s->p;
  job *jb = job_at(p, j);
  double d;
  if (jb->preempted) {
    d = jb->t_done;
  } else {
    d = service_time(s, jb) + decide(p, s, jb);
  }
  jb->preempted = 0;
  jb->t_done = (*p->clock) + d;
  jb->depart = sim_after(p->s, d, ev_depart, s, j);
}

void flow_on_grant(void *ctx, uint64_t token, double waited) {
  station_rt *s = ctx;
  job_at(s->p, token)->waited += waited;
  start_service(s, (uint32_t)token);
}

void flow_on_preempt(void *ctx, uint64_t token) {
  station_rt *s = ctx;
  job *jb = job_at(s->p, token);
  sim_cancel(s->p->s, jb->depart);
  jb->t_done = jb->t_done - (*s->p->clock); /* the service time left */
  jb->preempted = 1;
}

static int queue_priority(const port *p, const station_rt *s, const job *jb) {
  return p->ch[jb->ch].sp->priority + (jb->it.decl.aeo ? s->sp->aeo_priority : 0) +
         (jb->it.decl.perishable ? disrupt_station(s)->perish_prio : 0);
}

int flow_stop_station(port *p, int st) {
  station_rt *s = &p->st[st];
  int n = 0;
  if (!s->res) return 0;
  for (uint32_t j = 0; j < p->njobs && res_busy(s->res) > 0; j++) {
    job *jb = job_at(p, j);
    if (jb->ch < 0 || jb->st != st || jb->hold_st >= 0) continue;
    if (!sim_cancel(p->s, jb->depart)) continue; /* waiting, or done: not in service */
    jb->t_done = jb->t_done - *p->clock; /* the service time left */
    jb->preempted = 1;
    res_interrupt(s->res, j, queue_priority(p, s, jb));
    n++;
  }
  return n;
}

/* The item enters station st (which applies and has room). */
static void enter(port *p, uint32_t j, int st) {
  station_rt *s = &p->st[st];
  job *jb = job_at(p, j);
  jb->st = st;
  jb->t_enter = (*p->clock);
  if (jb->pos < 64) jb->path |= (int64_t)1 << jb->pos;
  note_stage(p, jb, s->sp->stage);
  if (s->every && selection_every_next(s->every, s->every_rng))
    jb->selected = 1; /* every k-th arrival */
  if (p->measuring) class_span(p, s, 1);
  int ap = s->sp->applies;
  if (!jb->inspected &&
      (ap == AP_SELECTED || ap == AP_ALARMED || ap == AP_SUSPECT || s->sp->inspects)) {
    jb->inspected = 1; /* targeted, or a physical examination: an inspection */
    if (p->measuring) p->ch[jb->ch].inspected++;
  }
  if (!s->res) {
    s->arrived_u++;
    if (s->sp->capacity >= 0 && s->present >= s->sp->capacity) {
      s->lost_u++;
      lose(p, j);
      return;
    }
    s->present++;
    timeavg_set(&s->busy_u, (*p->clock), (double)s->present);
    tally_add(&s->wait_u, 0);
    start_service(s, j);
    return;
  }
  int r = res_request(s->res, j, queue_priority(p, s, jb));
  if (r == RES_STARTED) start_service(s, j);
  if (r == RES_QUEUED) staff_item_queued(s);
  if (r == RES_LOST) lose(p, j);
  if (r == RES_ERROR)
    port_fail(p, SIM_ENOMEM, "station %s: its queue cannot grow (out of memory)", s->sp->name);
}

/* Frees the server (or the slot) item j holds at station st. */
static void let_go(port *p, uint32_t j, int st) {
  station_rt *s = &p->st[st];
  if (p->measuring) class_span(p, s, 0);
  if (s->res) {
    if (!staff_release(s, j)) res_release(s->res, j);
  } else {
    s->present--;
    s->served_u++;
    timeavg_set(&s->busy_u, (*p->clock), (double)s->present);
  }
  (void)p;
}

/* Sends item j (which holds a server at `from`, or -1) on to station st. */
static void move_to(port *p, uint32_t j, int from, int st) {
  job *jb = job_at(p, j);
  if (st != SPEC_EXIT && is_full(p, st) &&
      (p->st[st].sp->block || (station_closed(&p->st[st]) && !p->st[st].res))) {
    jb->hold_st = from; /* blocked after service: keeps its server */
    station_rt *to = &p->st[st];
    uint32_t *slot = fifo_push(&to->blocked);
    if (slot) *slot = j;
    else
      port_fail(p, SIM_ENOMEM, "station %s: its line of blocked items cannot grow (out of memory)",
                to->sp->name);
    timeavg_set(&to->blocked_t, *p->clock, (double)fifo_len(&to->blocked));
    return;
  }
  jb->hold_st = -1;
  if (from >= 0) let_go(p, j, from);
  if (st == SPEC_EXIT)
    leave(p, j, 0);
  else
    enter(p, j, st); /* a full station that does not block turns it away */
  if (from >= 0) flow_space_freed(p, from);
}

void flow_space_freed(port *p, int st) {
  station_rt *s = &p->st[st];
  while (fifo_len(&s->blocked) && !is_full(p, st)) {
    uint32_t j = *(uint32_t *)fifo_front(&s->blocked);
    fifo_drop_front(&s->blocked);
    timeavg_set(&s->blocked_t, *p->clock, (double)fifo_len(&s->blocked));
    int from = job_at(p, j)->hold_st;
    job_at(p, j)->hold_st = -1;
    if (from >= 0) let_go(p, j, from);
    enter(p, j, st);
    if (from >= 0) flow_space_freed(p, from);
  }
}

/* The record of the item whose departure is due next (sim_set_prefetch): departures
 * come hours after the record was last touched, so it is rarely in cache. */
static void prefetch_depart(void *ctx, uint64_t arg) {
  const station_rt *s = ctx;
  const char *jb = (const char *)job_at(s->p, (uint32_t)arg);
  for (size_t o = 0; o < sizeof(job); o += 64) __builtin_prefetch(jb + o);
  __builtin_prefetch(jb + sizeof(job) - 1);
}

void flow_prefetch_on(port *p) { sim_set_prefetch(p->s, ev_depart, prefetch_depart); }

static void ev_depart(sim *sm, void *ctx, uint64_t arg) {
  (void)sm;
  station_rt *s = ctx;
  port *p = s->p;
  uint32_t j = (uint32_t)arg;
  job *jb = job_at(p, j);
  int st = s->idx;
  if (s->sp->inspects && inspect_outcome(p, s, jb)) {
    let_go(p, j, st);
    leave(p, j, 1);
    flow_space_freed(p, st);
    return;
  }
  if (s->sp->type == ST_IPR_HOLD && jb->ipr) { /* certified infringing: seized */
    if (p->measuring) p->ch[jb->ch].seized_kind[CONTRA_N]++;
    let_go(p, j, st);
    leave(p, j, 1);
    flow_space_freed(p, st);
    return;
  }
  jb->st = st;
  int next = resolve(p, jb, route_next(p, jb));
  move_to(p, j, st, next);
}

/* ---- arrivals ---- */

/* Zeroes n >= 16 bytes at p with plain vector stores (the last one overlapping). */
static inline void clear16(void *p, size_t n) {
  __m128i z = _mm_setzero_si128();
  for (size_t i = 0; i + 16 < n; i += 16) _mm_storeu_si128((__m128i *)((char *)p + i), z);
  _mm_storeu_si128((__m128i *)((char *)p + n - 16), z);
}

/* Not inlined, and compiled so that the clearing stays vector stores: the compiler would
 * make it memset, and memset of a job's size a string instruction, whose start-up alone
 * costs more than the stores (a job is cleared at every arrival). */
#ifdef __clang__ /* the fuzzing build: clang has no such option */
#define FLOW_KEEP_STORES
#else
#define FLOW_KEEP_STORES __attribute__((optimize("no-tree-loop-distribute-patterns")))
#endif
__attribute__((noinline)) FLOW_KEEP_STORES
static void init_job(port *p, uint32_t j, int ch, double t_arr) {
  channel_rt *c = &p->ch[ch];
  job *jb = job_at(p, j);
  _Static_assert(offsetof(job, it) == 0, "the item leads the job");
  _Static_assert(sizeof(job) - sizeof(item) >= 16, "clear16 takes 16 bytes or more");
  if (c->gen) /* declgen_fill writes the whole item */
    clear16((char *)jb + sizeof jb->it, sizeof *jb - sizeof jb->it);
  else clear16(jb, sizeof *jb);
  jb->ch = ch;
  jb->st = jb->hold_st = jb->risk_st = -1;
  jb->t_arr = jb->t_decl = jb->t_permit = t_arr;
  if (c->gen && p->feed && itemfeed_feeds(p->feed, ch)) itemfeed_take(p->feed, ch, &jb->it);
  else if (c->gen) declgen_fill_ahead(c->gen, t_arr / 1440, c->item_rng, &jb->it);
  jb->it.id = p->next_id++;
  jb->it.arrival_min = t_arr;
  jb->dutiable = jb->it.pax.has_dutiable != 0;
  jb->risk_score = NAN;
  jb->batch = jb->origin = -1;
}

/* A new item of channel ch enters the port now (already counted in in_system if
 * `counted`), of batch row `batch` from `origin` (-1: none). */
static void admit(port *p, int ch, int counted, int32_t batch, int32_t origin) {
  uint32_t j = job_new(p);
  if (j == NO_JOB) {
    port_fail(p, SIM_ENOMEM, "channel %s: cannot create an item (out of memory)",
              p->ch[ch].sp->name);
    return;
  }
  channel_rt *c = &p->ch[ch];
  init_job(p, j, ch, (*p->clock));
  if (!counted) flow_insys_add(p, ch, 1);
  job *jb = job_at(p, j);
  jb->batch = batch;
  jb->origin = origin;
  class_batch_arrived(p, batch);
  jb->pos = 0;
  move_to(p, j, -1, resolve(p, jb, c->sp->route[0]));
}

void flow_arrive(port *p, int ch, int32_t origin) {
  if (!disrupt_gate(p, ch)) return; /* held, diverted or cancelled at a closed door */
  if (p->measuring) p->ch[ch].arrived++;
  admit(p, ch, 0, arrivals_tag(p->ch[ch].arr), origin);
}

void flow_held_arrival(sim *s, void *ctx, uint64_t ch) {
  (void)s;
  port *p = ctx;
  p->ch[ch].held_pending--; /* counted at the door when it was held */
  admit(p, (int)ch, 1, -1, -1);
}

void flow_diverted_arrival(sim *s, void *ctx, uint64_t ch) {
  (void)s;
  port *p = ctx;
  if (p->measuring) p->ch[ch].diverted_in++;
  admit(p, (int)ch, 0, -1, -1);
}

void flow_place_initial(port *p) {
  for (size_t i = 0; i < p->sp->ninit; i++) {
    const spec_initial *in = &p->sp->init[i];
    const spec_channel *c = &p->sp->ch[in->channel];
    int pos = 0;
    while (c->route[pos] != in->station) pos++;
    for (long k = 0; k < in->items; k++) {
      uint32_t j = job_new(p);
      if (j == NO_JOB) {
        port_fail(p, SIM_ENOMEM, "channel %s: cannot create its initial items (out of memory)",
                  c->name);
        return;
      }
      init_job(p, j, in->channel, -in->age_min);
      job_at(p, j)->pos = pos;
      flow_insys_add(p, in->channel, 1);
      enter(p, j, in->station);
    }
  }
}

static void on_arrival(void *ctx, int channel, int32_t origin) {
  flow_arrive(ctx, channel, origin);
}

int flow_start_arrivals(port *p) {
  for (size_t i = 0; i < p->sp->nch; i++) {
    channel_rt *c = &p->ch[i];
    if (arrivals_new(&c->arr, c->sp->arr, p->s, c->arr_rng, (int)i, on_arrival, p)) return -1;
    arrivals_on_batch(c->arr, class_batch);
  }
  return 0;
}
