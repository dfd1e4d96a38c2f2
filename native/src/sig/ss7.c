/* SS7 stack object (see hl/ss7.h): variants, names, init, the tick that runs
 * the three layers, events and read-only views. The layers live in
 * ss7_mtp2.c, ss7_mtp3.c, ss7_isup.c and ss7_isup_cmd.c. */
#include "ss7_int.h"
#include <stdlib.h>
#include <string.h>
#include <stdio.h>
#include <errno.h>

/* Timers as Q.703 (64 kbit/s), Q.707 and Q.764 recommend; YDN 038 keeps the
 * ITU values, so the China row differs in its point codes and label only. */
#define ITU_TIMERS \
  .t1_ms = 45000, .t2_ms = 50000, .t3_ms = 1500, .t4n_ms = 8200, .t4e_ms = 500, .t5_ms = 100, .t6_ms = 5000, \
  .t7_ms = 1500, .slt_t1_ms = 8000, .slt_t2_ms = 60000, \
  .isup_t1_ms = 15000, .isup_t5_ms = 300000, .isup_t7_ms = 25000, .isup_t9_ms = 120000, \
  .isup_t12_ms = 15000, .isup_t13_ms = 60000, .isup_t14_ms = 15000, .isup_t15_ms = 60000, \
  .isup_t16_ms = 15000, .isup_t17_ms = 60000, .isup_t18_ms = 15000, .isup_t19_ms = 60000, \
  .isup_t20_ms = 15000, .isup_t21_ms = 60000, .isup_t22_ms = 15000, .isup_t23_ms = 60000, \
  .silence_ms = 1000, .restart_ms = 100

const hl_ss7_variant_t hl_ss7_variants[] = {
  { .name = "itu", .pc_bits = 14, .label_len = 4, .max_cic = 4095, ITU_TIMERS },
  { .name = "china", .pc_bits = 24, .label_len = 7, .max_cic = 4095, ITU_TIMERS },
};
const int hl_ss7_nvariants = sizeof hl_ss7_variants / sizeof hl_ss7_variants[0];

const hl_ss7_variant_t *hl_ss7_variant_find(const char *name) {
  for (int i = 0; name && i < hl_ss7_nvariants; i++)
    if (strcmp(hl_ss7_variants[i].name, name) == 0) return &hl_ss7_variants[i];
  return NULL;
}

/* ---- names ---- */

static const char *link_names[HL_SS7_LINK_STATE_COUNT] = {
  "out-of-service", "not-aligned", "aligned", "proving", "aligned-ready", "in-service", "processor-outage"
};
const char *hl_ss7_link_state_name(int st) { return st >= 0 && st < HL_SS7_LINK_STATE_COUNT ? link_names[st] : "unknown"; }

static const char *down_names[HL_SS7_DOWN_COUNT] = {
  "none", "stopped", "alarm", "far end out of service (SIOS/SIO)", "T1 expired (far end not ready)",
  "T2 expired (not aligned)", "T3 expired (aligned, no SIN/SIE)", "T4 proving failed", "T7 expired (no acknowledgement)",
  "invalid BSN", "invalid FIB", "too many signal unit errors", "signalling link test failed",
  "no signal units received"
};
const char *hl_ss7_down_reason_name(int r) { return r >= 0 && r < HL_SS7_DOWN_COUNT ? down_names[r] : "unknown"; }

static const char *cic_names[HL_SS7_CIC_STATE_COUNT] = {
  "idle", "incoming-setup", "outgoing-setup", "incoming-alerting", "outgoing-alerting", "answered", "releasing",
  "reset-pending"
};
const char *hl_ss7_cic_state_name(int st) { return st >= 0 && st < HL_SS7_CIC_STATE_COUNT ? cic_names[st] : "unknown"; }

const char *hl_ss7_msg_name(int type) {
  switch (type) {
  case HL_ISUP_IAM: return "IAM"; case HL_ISUP_SAM: return "SAM"; case HL_ISUP_ACM: return "ACM";
  case HL_ISUP_CON: return "CON"; case HL_ISUP_ANM: return "ANM"; case HL_ISUP_REL: return "REL";
  case HL_ISUP_SUS: return "SUS"; case HL_ISUP_RES: return "RES"; case HL_ISUP_RLC: return "RLC";
  case HL_ISUP_RSC: return "RSC"; case HL_ISUP_BLO: return "BLO"; case HL_ISUP_UBL: return "UBL";
  case HL_ISUP_BLA: return "BLA"; case HL_ISUP_UBA: return "UBA"; case HL_ISUP_GRS: return "GRS";
  case HL_ISUP_CGB: return "CGB"; case HL_ISUP_CGU: return "CGU"; case HL_ISUP_CGBA: return "CGBA";
  case HL_ISUP_CGUA: return "CGUA"; case HL_ISUP_CPG: return "CPG"; case HL_ISUP_GRA: return "GRA";
  case HL_ISUP_UCIC: return "UCIC";
  default: return "unknown";
  }
}

const char *hl_ss7_cause_name(int cause) {
  switch (cause) {
  case 1: return "unallocated number"; case 16: return "normal clearing"; case 17: return "user busy";
  case 18: return "no user responding"; case 19: return "no answer"; case 21: return "call rejected";
  case 22: return "number changed"; case 27: return "destination out of order"; case 28: return "invalid number format";
  case 31: return "normal, unspecified"; case 34: return "no circuit available"; case 38: return "network out of order";
  case 41: return "temporary failure"; case 42: return "switching equipment congestion";
  case 100: return "invalid parameter contents"; case 102: return "recovery on timer expiry";
  case 111: return "protocol error"; case 127: return "interworking";
  default: return "unknown cause";
  }
}

static const char *event_names[HL_SS7_EV_COUNT] = {
  "none", "link-up", "link-down", "call-offered", "call-digits", "alerting", "progress", "answered", "far-released",
  "release-complete", "call-failed", "blocked", "unblocked", "reset", "error", "mtp2-up"
};
const char *hl_ss7_event_name(int ev) { return ev > 0 && ev < HL_SS7_EV_COUNT ? event_names[ev] : "unknown"; }

void hl_ss7_trace_what(const hl_ss7_trace_ent_t *t, char *out, int cap) {
  if (t->msg == HL_ISUP_REL) snprintf(out, (size_t)cap, "REL cause=%d", t->cause);
  else snprintf(out, (size_t)cap, "%s", hl_ss7_msg_name(t->msg));
}

/* ---- events ---- */

void hl_ss7i_ev_init(hl_ss7_event_t *e, int type, int cic) {
  memset(e, 0, sizeof *e);
  e->type = type;
  e->cic = cic;
}

void hl_ss7i_emit(hl_ss7_t *s, const hl_ss7_event_t *e) {
  if (s->io && s->io->event) s->io->event(s->user, e);
}

void hl_ss7i_error(hl_ss7_t *s, int cic, int msg, const char *why) {
  hl_ss7_event_t e;
  hl_ss7i_ev_init(&e, HL_SS7_EV_ERROR, cic);
  e.msg = msg;
  e.text = why;
  s->cnt.isup_errors++;
  hl_ss7i_emit(s, &e);
}

/* ---- object ---- */

void hl_ss7_config_default(hl_ss7_config_t *c) {
  memset(c, 0, sizeof *c);
  c->variant = &hl_ss7_variants[0];
  c->opc = 1;
  c->dpc = 2;
  c->ni = HL_SS7_NI_NATIONAL;
  c->cic_first = 1;
  c->cic_count = 31;
  c->fill_ms = 20;
  c->max_msu_per_tick = 8;
}

hl_ss7_t *hl_ss7_init(hl_ss7_t *s, const hl_ss7_config_t *cfg, const hl_ss7_io_t *io, void *user) {
  const hl_ss7_variant_t *v = cfg && cfg->variant ? cfg->variant : &hl_ss7_variants[0];
  if (!cfg || !io || !io->tx_frame) return NULL;
  uint32_t pcmax = v->pc_bits >= 32 ? 0xffffffffu : (1u << v->pc_bits) - 1;
  if (cfg->cic_count < 1 || cfg->cic_count > HL_SS7_MAX_CIRCUITS || cfg->cic_first < 0 ||
      cfg->cic_first + cfg->cic_count - 1 > v->max_cic || cfg->opc > pcmax || cfg->dpc > pcmax ||
      cfg->slc < 0 || cfg->slc > 15 || cfg->ni < 0 || cfg->ni > 3)
    return NULL;
  int mine = s == NULL;
  if (mine && !(s = calloc(1, sizeof *s))) return NULL;
  if (!mine) memset(s, 0, sizeof *s);
  s->allocated = mine;
  s->cfg = *cfg;
  s->cfg.variant = s->v = v;
  if (s->cfg.max_msu_per_tick <= 0) s->cfg.max_msu_per_tick = 8;
  if (s->cfg.fill_ms < 0) s->cfg.fill_ms = 0;
  s->io = io;
  s->user = user;
  s->ncirc = cfg->cic_count;
  for (int i = 0; i < s->ncirc; i++) {
    s->circ[i].cic = cfg->cic_first + i;
    hl_ss7i_circ_idle(&s->circ[i]);
  }
  hl_ss7i_mtp2_reset(s);
  s->lstate = HL_SS7_LINK_OUT_OF_SERVICE;
  if (cfg->auto_start) hl_ss7_start(s);
  return s;
}

void hl_ss7_deinit(hl_ss7_t *s) {
  /* Nothing is held outside the struct; stop the timers so a stray tick is quiet. */
  if (!s) return;
  s->started = 0;
  s->t1 = s->t2 = s->t3 = s->t4 = s->t7 = s->restart_at = 0;
  s->slt_due = s->slt_next = 0;
}

void hl_ss7_free(hl_ss7_t *s) {
  if (!s) return;
  hl_ss7_deinit(s);
  if (s->allocated) free(s);
}

/* ---- inputs ---- */

void hl_ss7_rx_frame(hl_ss7_t *s, const uint8_t *su, int len) {
  if (!s) return;
  if (!su || len < 3) { s->cnt.bad_frames++; return; }
  hl_ss7i_mtp2_rx(s, su, len);
}

void hl_ss7_tick(hl_ss7_t *s, int64_t now_ms) {
  if (!s) return;
  if (now_ms > s->now) s->now = now_ms;
  hl_ss7i_mtp2_tick(s);
  hl_ss7i_mtp3_tick(s);
  hl_ss7i_isup_tick(s);
}

void hl_ss7_link_alarm(hl_ss7_t *s, int on) {
  on = !!on;
  if (on == s->alarm) return;
  s->alarm = on;
  if (on) hl_ss7i_mtp2_fail(s, HL_SS7_DOWN_ALARM);
  else if (s->started) hl_ss7i_mtp2_align(s);
}

int hl_ss7_start(hl_ss7_t *s) {
  s->started = 1;
  if (s->alarm) return 0;           /* aligns when the alarm clears */
  if (s->lstate == HL_SS7_LINK_OUT_OF_SERVICE) hl_ss7i_mtp2_align(s);
  return 0;
}

int hl_ss7_stop(hl_ss7_t *s) {
  s->started = 0;
  hl_ss7i_mtp2_stop(s);
  return 0;
}

int hl_ss7_link_state(const hl_ss7_t *s) { return s->lstate; }
int hl_ss7_is_up(const hl_ss7_t *s) { return s->ss7_up && hl_ss7i_mtp2_in_service(s); }
const hl_ss7_counters_t *hl_ss7_counters(const hl_ss7_t *s) { return &s->cnt; }

/* ---- circuit views ---- */

const hl_ss7_circuit_t *hl_ss7_circuit(const hl_ss7_t *s, int cic) {
  int i = cic - s->cfg.cic_first;
  return i >= 0 && i < s->ncirc ? &s->circ[i] : NULL;
}

int hl_ss7_cic_state(const hl_ss7_t *s, int cic) {
  const hl_ss7_circuit_t *c = hl_ss7_circuit(s, cic);
  return c ? c->state : -ENOENT;
}

int hl_ss7_cic_blocked(const hl_ss7_t *s, int cic) {
  const hl_ss7_circuit_t *c = hl_ss7_circuit(s, cic);
  return c ? c->blk : -ENOENT;
}

int hl_ss7_trace(const hl_ss7_t *s, int cic, hl_ss7_trace_ent_t *out, int max) {
  const hl_ss7_circuit_t *c = hl_ss7_circuit(s, cic);
  if (!c) return -ENOENT;
  int n = c->tr_n < HL_SS7_TRACE ? c->tr_n : HL_SS7_TRACE;
  int first = c->tr_n - n, k = 0;
  for (int i = 0; i < n && k < max; i++) out[k++] = c->tr[(first + i) % HL_SS7_TRACE];
  return k;
}
