/* ISUP circuits (Q.764 basic call, blocking, reset): what arrives from the far
 * side, the call timers, and what is resent when the link comes back. The
 * owner's commands are in ss7_isup_cmd.c.
 *
 * While the link is down ISUP sends nothing: a release or reset asked for in
 * that time leaves its circuit releasing/reset-pending, and the message goes
 * out when the link test passes again (hl_ss7i_isup_link_up), as a repeat would. */
#include "ss7_int.h"
#include <string.h>
#include <errno.h>

hl_ss7_circuit_t *hl_ss7i_circ(hl_ss7_t *s, int cic) {
  int i = cic - s->cfg.cic_first;
  return i >= 0 && i < s->ncirc ? &s->circ[i] : NULL;
}

void hl_ss7i_circ_idle(hl_ss7_circuit_t *c) {
  c->state = HL_SS7_CIC_IDLE;
  c->outgoing = c->acm_sent = c->acm_rcvd = 0;
  c->due = 0;
  c->timer = TM_NONE;
}

void hl_ss7i_trace(hl_ss7_t *s, hl_ss7_circuit_t *c, int rx, int msg, int cause) {
  if (msg == HL_ISUP_IAM || c->tr_n == 0) { c->tr_n = 0; c->tr_t0 = s->now; }
  hl_ss7_trace_ent_t *t = &c->tr[c->tr_n++ % HL_SS7_TRACE];
  t->ms = (int32_t)(s->now - c->tr_t0);
  t->rx = (uint8_t)rx;
  t->msg = (uint8_t)msg;
  t->cause = (uint8_t)cause;
  t->pad = 0;
  t->cic = (int16_t)c->cic;
}

void hl_ss7i_isup_msg_init(hl_isup_msg_t *m, int type, int cic) {
  memset(m, 0, sizeof *m);
  m->type = type;
  m->cic = cic;
}

int hl_ss7i_isup_send(hl_ss7_t *s, hl_isup_msg_t *m) {
  if (!s->ss7_up) return -ENOLINK;
  hl_ss7_label_t l = { .dpc = s->cfg.dpc, .opc = s->cfg.opc, .sls = (uint8_t)(m->cic & 0x0f) };
  uint8_t b[HL_SS7_MSU_MAX];
  int n = hl_ss7_isup_msu_encode(s->v, s->cfg.ni, &l, m, b, (int)sizeof b);
  if (n < 0) return -EINVAL;
  int r = hl_ss7i_mtp2_queue(s, b, n);
  if (r < 0) return r;
  s->cnt.isup_out++;
  hl_ss7_circuit_t *c = hl_ss7i_circ(s, m->cic);
  if (c) hl_ss7i_trace(s, c, 0, m->type, m->type == HL_ISUP_REL ? m->cause : 0);
  return 0;
}

static int send_simple(hl_ss7_t *s, int type, int cic) {
  hl_isup_msg_t m;
  hl_ss7i_isup_msg_init(&m, type, cic);
  return hl_ss7i_isup_send(s, &m);
}

static int send_rel(hl_ss7_t *s, int cic, int cause) {
  hl_isup_msg_t m;
  hl_ss7i_isup_msg_init(&m, HL_ISUP_REL, cic);
  m.cause = (uint8_t)cause;
  m.cause_loc = (uint8_t)s->cfg.cause_location;
  return hl_ss7i_isup_send(s, &m);
}

static void emit_simple(hl_ss7_t *s, int type, int cic, int msg, int by, int cause, const char *text) {
  hl_ss7_event_t e;
  hl_ss7i_ev_init(&e, type, cic);
  e.msg = msg; e.by = by; e.cause = cause; e.text = text;
  hl_ss7i_emit(s, &e);
}

/* Repeat interval of a blocking/reset message: the short timer during the
 * first minute, then the long one (T12/T13, T14/T15, T16/T17...). */
int hl_ss7i_group_interval(int64_t since_first, int first_ms, int repeat_ms) {
  return since_first < 60000 ? first_ms : repeat_ms;
}

/* ---- incoming messages ---- */

static void unexpected(hl_ss7_t *s, hl_ss7_circuit_t *c, int msg) {
  hl_ss7i_error(s, c->cic, msg, "unexpected message for the circuit state");
}

static void rx_iam(hl_ss7_t *s, hl_ss7_circuit_t *c, const hl_isup_msg_t *m) {
  if (c->state == HL_SS7_CIC_OUT_SETUP) {
    /* Dual seizure: the point with the higher code controls the even CICs. */
    int we_control = (s->cfg.opc > s->cfg.dpc) == ((c->cic & 1) == 0);
    if (we_control) { hl_ss7i_error(s, c->cic, HL_ISUP_IAM, "dual seizure: our call kept"); return; }
    emit_simple(s, HL_SS7_EV_CALL_FAILED, c->cic, HL_ISUP_IAM, 0, HL_SS7_CAUSE_TEMPORARY_FAILURE,
                "dual seizure: the far call wins");
    hl_ss7i_circ_idle(c);
  } else if (c->state != HL_SS7_CIC_IDLE) {
    unexpected(s, c, HL_ISUP_IAM);
    return;
  }
  if (c->blk & HL_SS7_BLK_REMOTE) {
    /* a call from the far side lifts its own blocking (Q.764 2.8.2) */
    c->blk &= ~HL_SS7_BLK_REMOTE;
    emit_simple(s, HL_SS7_EV_UNBLOCKED, c->cic, HL_ISUP_IAM, HL_SS7_BLK_REMOTE, 0, NULL);
  }
  hl_ss7i_trace(s, c, 1, HL_ISUP_IAM, 0);
  c->state = HL_SS7_CIC_IN_SETUP;
  c->outgoing = 0;
  memcpy(c->called, m->called, sizeof c->called);
  memcpy(c->calling, m->has_calling ? m->calling : "", m->has_calling ? sizeof c->calling : 1);
  hl_ss7_event_t e;
  hl_ss7i_ev_init(&e, HL_SS7_EV_CALL_OFFERED, c->cic);
  e.msg = HL_ISUP_IAM;
  memcpy(e.called, c->called, sizeof e.called);
  memcpy(e.calling, c->calling, sizeof e.calling);
  e.called_nai = m->called_nai;
  e.nai = m->has_calling ? m->calling_nai : 0;
  e.presentation = m->has_calling ? m->calling_pres : 2;
  e.screening = m->calling_screen;
  e.category = m->category;
  hl_ss7i_emit(s, &e);
}

static void rx_sam(hl_ss7_t *s, hl_ss7_circuit_t *c, const hl_isup_msg_t *m) {
  if (c->state != HL_SS7_CIC_IN_SETUP && c->state != HL_SS7_CIC_IN_ALERTING) { unexpected(s, c, HL_ISUP_SAM); return; }
  size_t have = strlen(c->called), add = strlen(m->called);
  if (have + add > HL_SS7_MAX_DIGITS) add = HL_SS7_MAX_DIGITS - have;
  memcpy(c->called + have, m->called, add);
  c->called[have + add] = 0;
  hl_ss7_event_t e;
  hl_ss7i_ev_init(&e, HL_SS7_EV_CALL_DIGITS, c->cic);
  e.msg = HL_ISUP_SAM;
  memcpy(e.called, c->called, sizeof e.called);
  memcpy(e.digits, m->called, sizeof e.digits);
  hl_ss7i_emit(s, &e);
}

static void rx_rel(hl_ss7_t *s, hl_ss7_circuit_t *c, const hl_isup_msg_t *m) {
  int st = c->state, outgoing = c->outgoing;
  send_simple(s, HL_ISUP_RLC, c->cic);      /* always answered, even on an idle circuit */
  if (st == HL_SS7_CIC_IDLE || st == HL_SS7_CIC_RESET_PENDING) return;
  hl_ss7i_circ_idle(c);
  if (st == HL_SS7_CIC_RELEASING)           /* both sides released at once: each answers the other */
    emit_simple(s, HL_SS7_EV_RELEASE_COMPLETE, c->cic, HL_ISUP_REL, 0, c->rel_cause, NULL);
  else if (outgoing && st != HL_SS7_CIC_ANSWERED)
    emit_simple(s, HL_SS7_EV_CALL_FAILED, c->cic, HL_ISUP_REL, 0, m->cause, hl_ss7_cause_name(m->cause));
  else
    emit_simple(s, HL_SS7_EV_FAR_RELEASED, c->cic, HL_ISUP_REL, 0, m->cause, hl_ss7_cause_name(m->cause));
}

static void rx_rlc(hl_ss7_t *s, hl_ss7_circuit_t *c) {
  if (c->state == HL_SS7_CIC_RELEASING) {
    hl_ss7i_circ_idle(c);
    emit_simple(s, HL_SS7_EV_RELEASE_COMPLETE, c->cic, HL_ISUP_RLC, 0, c->rel_cause, NULL);
  } else if (c->state == HL_SS7_CIC_RESET_PENDING && !(s->grp[GRP_GRS].msg && c->cic >= s->grp[GRP_GRS].first &&
                                                       c->cic < s->grp[GRP_GRS].first + s->grp[GRP_GRS].count)) {
    hl_ss7i_circ_idle(c);
    emit_simple(s, HL_SS7_EV_RESET, c->cic, HL_ISUP_RLC, HL_SS7_BLK_LOCAL, 0, NULL);
  } else if (c->state != HL_SS7_CIC_IDLE) {
    unexpected(s, c, HL_ISUP_RLC);          /* an RLC for a REL we never sent; idle ones are dropped */
  }
}

/* A circuit reset by the far side (RSC, or one circuit of a GRS): any call
 * is gone, its blocking by the far side too; ours is sent again. */
static void reset_by_far(hl_ss7_t *s, hl_ss7_circuit_t *c, int msg) {
  hl_ss7i_circ_idle(c);
  if (c->blk & HL_SS7_BLK_REMOTE) {
    c->blk &= ~HL_SS7_BLK_REMOTE;
    emit_simple(s, HL_SS7_EV_UNBLOCKED, c->cic, msg, HL_SS7_BLK_REMOTE, 0, NULL);
  }
  if ((c->blk & HL_SS7_BLK_LOCAL) && msg == HL_ISUP_RSC) send_simple(s, HL_ISUP_BLO, c->cic);
  emit_simple(s, HL_SS7_EV_RESET, c->cic, msg, HL_SS7_BLK_REMOTE, 0, NULL);
}

static void set_status(uint8_t *st, int i) { st[i / 8] |= (uint8_t)(1 << (i % 8)); }
static int get_status(const uint8_t *st, int i) { return st[i / 8] >> (i % 8) & 1; }

static void rx_grs(hl_ss7_t *s, const hl_isup_msg_t *m) {
  hl_isup_msg_t a;
  hl_ss7i_isup_msg_init(&a, HL_ISUP_GRA, m->cic);
  a.range = m->range;
  for (int i = 0; i <= m->range; i++) {
    hl_ss7_circuit_t *c = hl_ss7i_circ(s, m->cic + i);
    if (!c) continue;
    reset_by_far(s, c, HL_ISUP_GRS);
    if (c->blk & (HL_SS7_BLK_LOCAL | HL_SS7_BLK_LOCAL_PENDING)) set_status(a.status, i);
  }
  hl_ss7i_isup_send(s, &a);
}

static void rx_gra(hl_ss7_t *s, const hl_isup_msg_t *m) {
  hl_ss7_group_op_t *g = &s->grp[GRP_GRS];
  if (!g->msg || g->first != m->cic || g->count != m->range + 1) {
    hl_ss7i_error(s, m->cic, HL_ISUP_GRA, "GRA that answers no GRS of ours");
    return;
  }
  g->msg = 0;
  for (int i = 0; i <= m->range; i++) {
    hl_ss7_circuit_t *c = hl_ss7i_circ(s, m->cic + i);
    if (!c) continue;
    hl_ss7i_circ_idle(c);
    /* a set status bit: the far side holds the circuit blocked for maintenance */
    if (get_status(m->status, i) && !(c->blk & HL_SS7_BLK_REMOTE)) {
      c->blk |= HL_SS7_BLK_REMOTE;
      emit_simple(s, HL_SS7_EV_BLOCKED, c->cic, HL_ISUP_GRA, HL_SS7_BLK_REMOTE, 0, NULL);
    } else if (!get_status(m->status, i) && (c->blk & HL_SS7_BLK_REMOTE)) {
      c->blk &= ~HL_SS7_BLK_REMOTE;
    }
    emit_simple(s, HL_SS7_EV_RESET, c->cic, HL_ISUP_GRA, HL_SS7_BLK_LOCAL, 0, NULL);
  }
}

/* CGB/CGU from the far side: block/unblock the circuits whose status bit is
 * set, and acknowledge with the same range and status. */
static void rx_cg(hl_ss7_t *s, const hl_isup_msg_t *m) {
  int block = m->type == HL_ISUP_CGB;
  hl_isup_msg_t a;
  hl_ss7i_isup_msg_init(&a, block ? HL_ISUP_CGBA : HL_ISUP_CGUA, m->cic);
  a.range = m->range;
  a.cgsmti = m->cgsmti;
  memcpy(a.status, m->status, sizeof a.status);
  for (int i = 0; i <= m->range; i++) {
    hl_ss7_circuit_t *c = hl_ss7i_circ(s, m->cic + i);
    if (!c || !get_status(m->status, i)) continue;
    if (block && !(c->blk & HL_SS7_BLK_REMOTE)) {
      c->blk |= HL_SS7_BLK_REMOTE;
      emit_simple(s, HL_SS7_EV_BLOCKED, c->cic, m->type, HL_SS7_BLK_REMOTE, 0, NULL);
    } else if (!block && (c->blk & HL_SS7_BLK_REMOTE)) {
      c->blk &= ~HL_SS7_BLK_REMOTE;
      emit_simple(s, HL_SS7_EV_UNBLOCKED, c->cic, m->type, HL_SS7_BLK_REMOTE, 0, NULL);
    }
  }
  hl_ss7i_isup_send(s, &a);
}

/* CGBA/CGUA: our group (un)blocking acknowledged, for the circuits whose
 * status bit is set. */
static void rx_cga(hl_ss7_t *s, const hl_isup_msg_t *m) {
  int block = m->type == HL_ISUP_CGBA;
  hl_ss7_group_op_t *g = &s->grp[block ? GRP_CGB : GRP_CGU];
  if (!g->msg || g->first != m->cic || g->count != m->range + 1) {
    hl_ss7i_error(s, m->cic, m->type, "group blocking acknowledgement that answers nothing of ours");
    return;
  }
  g->msg = 0;
  for (int i = 0; i <= m->range; i++) {
    hl_ss7_circuit_t *c = hl_ss7i_circ(s, m->cic + i);
    if (!c) continue;
    c->blk &= ~HL_SS7_BLK_LOCAL_PENDING;
    if (!get_status(m->status, i)) continue;
    if (block) {
      c->blk |= HL_SS7_BLK_LOCAL;
      emit_simple(s, HL_SS7_EV_BLOCKED, c->cic, m->type, HL_SS7_BLK_LOCAL, 0, NULL);
    } else {
      c->blk &= ~HL_SS7_BLK_LOCAL;
      emit_simple(s, HL_SS7_EV_UNBLOCKED, c->cic, m->type, HL_SS7_BLK_LOCAL, 0, NULL);
    }
  }
}

static void rx_answer(hl_ss7_t *s, hl_ss7_circuit_t *c, int msg) {
  if (c->state != HL_SS7_CIC_OUT_SETUP && c->state != HL_SS7_CIC_OUT_ALERTING) {
    if (c->state != HL_SS7_CIC_ANSWERED) unexpected(s, c, msg);
    return;
  }
  c->state = HL_SS7_CIC_ANSWERED;
  c->due = 0; c->timer = TM_NONE;
  emit_simple(s, HL_SS7_EV_ANSWERED, c->cic, msg, 0, 0, NULL);
}

static void rx_alerting(hl_ss7_t *s, hl_ss7_circuit_t *c) {
  c->state = HL_SS7_CIC_OUT_ALERTING;
  c->acm_rcvd = 1;
  c->timer = TM_T9;
  c->due = s->now + s->v->isup_t9_ms;
}

void hl_ss7i_isup_rx(hl_ss7_t *s, const hl_ss7_label_t *l, const uint8_t *d, int n) {
  hl_isup_msg_t m;
  const char *err;
  s->cnt.isup_in++;
  if (hl_isup_decode(d, n, &m, &err) < 0) { hl_ss7i_error(s, m.cic, m.type, err); return; }
  if (l->opc != s->cfg.dpc) { hl_ss7i_error(s, m.cic, m.type, "ISUP from a point code that is not our peer"); return; }
  hl_ss7_circuit_t *c = hl_ss7i_circ(s, m.cic);
  if (!c) { hl_ss7i_error(s, m.cic, m.type, "unknown CIC"); return; }
  if (m.type != HL_ISUP_IAM) hl_ss7i_trace(s, c, 1, m.type, m.type == HL_ISUP_REL ? m.cause : 0);
  switch (m.type) {
  case HL_ISUP_IAM: rx_iam(s, c, &m); break;
  case HL_ISUP_SAM: rx_sam(s, c, &m); break;
  case HL_ISUP_ACM:
    if (c->state != HL_SS7_CIC_OUT_SETUP) { unexpected(s, c, m.type); break; }
    rx_alerting(s, c);
    emit_simple(s, HL_SS7_EV_ALERTING, c->cic, m.type, 0, 0, NULL);
    break;
  case HL_ISUP_CPG: {
    if (c->state == HL_SS7_CIC_IDLE || c->state >= HL_SS7_CIC_RELEASING) { unexpected(s, c, m.type); break; }
    if (c->state == HL_SS7_CIC_OUT_SETUP && m.event_info == 1) rx_alerting(s, c);
    hl_ss7_event_t e;
    hl_ss7i_ev_init(&e, HL_SS7_EV_PROGRESS, c->cic);
    e.msg = m.type;
    e.event_info = m.event_info;
    hl_ss7i_emit(s, &e);
    break;
  }
  case HL_ISUP_ANM: case HL_ISUP_CON: rx_answer(s, c, m.type); break;
  case HL_ISUP_REL: rx_rel(s, c, &m); break;
  case HL_ISUP_RLC: rx_rlc(s, c); break;
  case HL_ISUP_RSC:
    reset_by_far(s, c, HL_ISUP_RSC);
    send_simple(s, HL_ISUP_RLC, c->cic);
    break;
  case HL_ISUP_GRS: rx_grs(s, &m); break;
  case HL_ISUP_GRA: rx_gra(s, &m); break;
  case HL_ISUP_CGB: case HL_ISUP_CGU: rx_cg(s, &m); break;
  case HL_ISUP_CGBA: case HL_ISUP_CGUA: rx_cga(s, &m); break;
  case HL_ISUP_BLO:
    send_simple(s, HL_ISUP_BLA, c->cic);
    if (!(c->blk & HL_SS7_BLK_REMOTE)) {
      c->blk |= HL_SS7_BLK_REMOTE;
      emit_simple(s, HL_SS7_EV_BLOCKED, c->cic, m.type, HL_SS7_BLK_REMOTE, 0, NULL);
    }
    break;
  case HL_ISUP_UBL:
    send_simple(s, HL_ISUP_UBA, c->cic);
    if (c->blk & HL_SS7_BLK_REMOTE) {
      c->blk &= ~HL_SS7_BLK_REMOTE;
      emit_simple(s, HL_SS7_EV_UNBLOCKED, c->cic, m.type, HL_SS7_BLK_REMOTE, 0, NULL);
    }
    break;
  case HL_ISUP_BLA:
    if (!(c->blk & HL_SS7_BLK_LOCAL_PENDING)) { unexpected(s, c, m.type); break; }
    c->blk = (c->blk & ~HL_SS7_BLK_LOCAL_PENDING) | HL_SS7_BLK_LOCAL;
    c->blk_due = 0;
    emit_simple(s, HL_SS7_EV_BLOCKED, c->cic, m.type, HL_SS7_BLK_LOCAL, 0, NULL);
    break;
  case HL_ISUP_UBA:
    if (!c->pending_ubl) { unexpected(s, c, m.type); break; }
    c->pending_ubl = 0;
    c->ubl_due = 0;
    c->blk &= ~HL_SS7_BLK_LOCAL;
    emit_simple(s, HL_SS7_EV_UNBLOCKED, c->cic, m.type, HL_SS7_BLK_LOCAL, 0, NULL);
    break;
  case HL_ISUP_UCIC: hl_ss7i_error(s, c->cic, m.type, "the far side has no such circuit (UCIC)"); break;
  default: hl_ss7i_error(s, c->cic, m.type, "ISUP message not handled"); break;
  }
}

/* ---- timers ---- */

static void call_timer(hl_ss7_t *s, hl_ss7_circuit_t *c) {
  int t = c->timer;
  c->due = 0; c->timer = TM_NONE;
  switch (t) {
  case TM_REL:
    if (s->now - c->t_rel_first >= s->v->isup_t5_ms) {
      /* T5: the far side never answered our REL; reset the circuit */
      c->state = HL_SS7_CIC_RESET_PENDING;
      c->t_rel_first = s->now;
      send_simple(s, HL_ISUP_RSC, c->cic);
      c->timer = TM_RSC; c->due = s->now + s->v->isup_t16_ms;
      hl_ss7i_error(s, c->cic, HL_ISUP_REL, "T5 expired: no RLC, circuit reset sent");
    } else {
      send_rel(s, c->cic, c->rel_cause);    /* T1: repeat the REL */
      c->timer = TM_REL; c->due = s->now + s->v->isup_t1_ms;
    }
    break;
  case TM_T7: case TM_T9: {
    int cause = t == TM_T7 ? HL_SS7_CAUSE_RECOVERY_ON_TIMER : HL_SS7_CAUSE_NO_ANSWER;
    c->state = HL_SS7_CIC_RELEASING;
    c->rel_cause = cause;
    c->t_rel_first = s->now;
    send_rel(s, c->cic, cause);
    c->timer = TM_REL; c->due = s->now + s->v->isup_t1_ms;
    emit_simple(s, HL_SS7_EV_CALL_FAILED, c->cic, 0, 0, cause,
                t == TM_T7 ? "T7 expired: no address complete" : "T9 expired: no answer");
    break;
  }
  case TM_RSC:
    send_simple(s, HL_ISUP_RSC, c->cic);
    c->timer = TM_RSC;
    c->due = s->now + hl_ss7i_group_interval(s->now - c->t_rel_first, s->v->isup_t16_ms, s->v->isup_t17_ms);
    break;
  default: break;
  }
}

static void group_send(hl_ss7_t *s, hl_ss7_group_op_t *g) {
  hl_isup_msg_t m;
  hl_ss7i_isup_msg_init(&m, g->msg, g->first);
  m.range = (uint8_t)(g->count - 1);
  if (g->msg != HL_ISUP_GRS)
    for (int i = 0; i < g->count; i++) set_status(m.status, i);
  hl_ss7i_isup_send(s, &m);
}

void hl_ss7i_isup_group_start(hl_ss7_t *s, int which, int msg, int first, int count) {
  hl_ss7_group_op_t *g = &s->grp[which];
  g->msg = msg; g->first = first; g->count = count;
  g->t_first = s->now;
  g->due = s->now + (which == GRP_GRS ? s->v->isup_t22_ms : which == GRP_CGB ? s->v->isup_t18_ms : s->v->isup_t20_ms);
  group_send(s, g);
}

void hl_ss7i_isup_tick(hl_ss7_t *s) {
  for (int i = 0; i < s->ncirc; i++) {
    hl_ss7_circuit_t *c = &s->circ[i];
    if (c->due && s->now >= c->due) call_timer(s, c);
    if (c->blk_due && s->now >= c->blk_due) {
      send_simple(s, HL_ISUP_BLO, c->cic);
      c->blk_due = s->now + hl_ss7i_group_interval(s->now - c->blk_first, s->v->isup_t12_ms, s->v->isup_t13_ms);
    }
    if (c->ubl_due && s->now >= c->ubl_due) {
      send_simple(s, HL_ISUP_UBL, c->cic);
      c->ubl_due = s->now + hl_ss7i_group_interval(s->now - c->ubl_first, s->v->isup_t14_ms, s->v->isup_t15_ms);
    }
  }
  for (int w = 0; w < 3; w++) {
    hl_ss7_group_op_t *g = &s->grp[w];
    if (!g->msg || !g->due || s->now < g->due) continue;
    int a = w == GRP_GRS ? s->v->isup_t22_ms : w == GRP_CGB ? s->v->isup_t18_ms : s->v->isup_t20_ms;
    int b = w == GRP_GRS ? s->v->isup_t23_ms : w == GRP_CGB ? s->v->isup_t19_ms : s->v->isup_t21_ms;
    group_send(s, g);
    g->due = s->now + hl_ss7i_group_interval(s->now - g->t_first, a, b);
  }
}

/* The link test passed again: what the outage kept from going out is sent
 * now, as its repeat timer would have. */
void hl_ss7i_isup_link_up(hl_ss7_t *s) {
  for (int i = 0; i < s->ncirc; i++) {
    hl_ss7_circuit_t *c = &s->circ[i];
    if (c->state == HL_SS7_CIC_RELEASING && c->timer == TM_REL) {
      send_rel(s, c->cic, c->rel_cause);
      c->due = s->now + s->v->isup_t1_ms;
    } else if (c->state == HL_SS7_CIC_RESET_PENDING && c->timer == TM_RSC) {
      send_simple(s, HL_ISUP_RSC, c->cic);
      c->due = s->now + s->v->isup_t16_ms;
    }
    if (c->blk & HL_SS7_BLK_LOCAL_PENDING && c->blk_due) send_simple(s, HL_ISUP_BLO, c->cic);
    if (c->pending_ubl && c->ubl_due) send_simple(s, HL_ISUP_UBL, c->cic);
  }
  for (int w = 0; w < 3; w++)
    if (s->grp[w].msg) group_send(s, &s->grp[w]);
}
