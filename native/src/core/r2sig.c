/* MFC/R2 timeslots in the engine: the R2 state machine (sig/r2_*.c) acts on the
 * board through the seam (CAS bits) and on the channel's audio (MF tones, fed
 * and mixed by media.c); its events become the engine's call events, the
 * same an FXO line gives (CallOffered, ChannelAnswered, ChannelHungUp,
 * DialFailed), with the R2 fields (dnis, ani, category). */
#include "core_int.h"
#include <string.h>
#include <stdio.h>
#include <errno.h>

static void r2_set_bits(void *user, int abcd) {
  chan_t *c = user;
  c->e->drv->ops->set_txbits(c->e->drv->state, c->info->channo, abcd);
}

/* The engine's generic state follows the R2 state. */
static int generic_state(const hl_r2_t *r) {
  switch (r->state) {
  case HL_R2_ST_IDLE: return HL_ST_IDLE;
  case HL_R2_ST_BLOCKED: case HL_R2_ST_BLOCKED_LOCAL: return HL_ST_BLOCKED;
  case HL_R2_ST_SEIZED: case HL_R2_ST_COLLECTING: return HL_ST_RINGING;
  case HL_R2_ST_OFFERED: case HL_R2_ST_ACCEPTING: case HL_R2_ST_ACCEPTED: return HL_ST_OFFERED;
  case HL_R2_ST_SEIZE_SENT: case HL_R2_ST_SENDING: case HL_R2_ST_AWAIT_GROUP_B: return HL_ST_DIALING;
  case HL_R2_ST_RINGING: return HL_ST_OUTRING;
  case HL_R2_ST_UP: return HL_ST_UP;
  default: return HL_ST_HUNGUP;   /* clearing */
  }
}

static void sync_state(hl_engine_t *e, chan_t *c) {
  int st = generic_state(c->r2);
  if (st != c->st) chan_set_state(e, c, st);
  c->hook = c->r2->role != HL_R2_ROLE_NONE;   /* the line is seized */
}

static void call_fields(hl_jw_t *w, const hl_r2_t *r) {
  hl_jw_str(w, "signalling", "r2");
  if (r->via_dtmf) hl_jw_str(w, "dialing", "dtmf");
  hl_jw_str(w, "dnis", r->dnis);
  hl_jw_str(w, "ani", r->ani[0] ? r->ani : NULL);
  hl_jw_int(w, "category", r->category);
  if (r->ani_restricted) hl_jw_bool(w, "aniRestricted", 1);
}

/* ChannelHungUp of an outgoing call carries the metering pulses counted in it. */
static void meter_total(hl_jw_t *w, const hl_r2_t *r) {
  if (r->role == HL_R2_ROLE_FORWARD) hl_jw_int(w, "meterPulses", r->meter_count);
}

/* The call's signalling trace, at idle, as R2Trace events of up to
 * TRACE_PER_EVENT entries each: "ms>what" sent, "ms<what" received, space-separated.
 * Built on the stack from the fixed ring: nothing is allocated. */
#define TRACE_PER_EVENT 24
static void emit_trace(hl_engine_t *e, chan_t *c, const hl_r2_t *r) {
  int n = r->tr_n < HL_R2_TRACE ? r->tr_n : HL_R2_TRACE;
  int first = r->tr_n - n;
  int parts = (n + TRACE_PER_EVENT - 1) / TRACE_PER_EVENT;
  for (int p = 0; p < parts; p++) {
    char list[TRACE_PER_EVENT * 18 + 1];
    int len = 0;
    for (int i = p * TRACE_PER_EVENT; i < n && i < (p + 1) * TRACE_PER_EVENT; i++) {
      const hl_r2_trace_ent_t *t = &r->tr[(first + i) % HL_R2_TRACE];
      char what[16];
      hl_r2_trace_what(t, what, sizeof what);
      len += snprintf(list + len, sizeof list - (size_t)len, "%s%d%c%s", len ? " " : "", (int)t->ms, t->rx ? '<' : '>', what);
      if (len >= (int)sizeof list) { len = (int)sizeof list - 1; break; }
    }
    char buf[HL_EVENT_JSON];
    hl_jw_t w;
    ev_begin(e, &w, buf, "R2Trace", c->info->channo);
    hl_jw_int(&w, "part", p + 1);
    hl_jw_int(&w, "parts", parts);
    hl_jw_int(&w, "dropped", first);
    hl_jw_strn(&w, "entries", list, (size_t)len);
    ev_push(e, &w);
  }
}

static void r2_event(void *user, int ev, const hl_r2_t *r) {
  chan_t *c = user;
  hl_engine_t *e = c->e;
  int back = r->role == HL_R2_ROLE_BACKWARD;
  char buf[HL_EVENT_JSON];
  hl_jw_t w;
  switch (ev) {
  case HL_R2_EV_OFFERED:
    memset(&c->caller, 0, sizeof c->caller);
    snprintf(c->caller.number, sizeof c->caller.number, "%s", r->ani);
    c->have_caller = r->ani[0] != 0;
    ev_begin(e, &w, buf, "CallOffered", c->info->channo);
    hl_jw_str(&w, "number", r->ani[0] ? r->ani : NULL);   /* the caller, as on an FXO line */
    call_fields(&w, r);
    ev_push(e, &w);
    break;
  case HL_R2_EV_ACCEPTED:
    ev_begin(e, &w, buf, "CallAccepted", c->info->channo);
    hl_jw_str(&w, "by", back ? "near" : "far");
    hl_jw_bool(&w, "charge", r->charge);
    call_fields(&w, r);
    ev_push(e, &w);
    if (back) {
      /* The caller hears ringback from the called side until the answer. */
      c->tone_id = HL_ZT_RINGBACK;
      hl_tonegen_start(&c->tone, &e->zone.tones[HL_ZT_RINGBACK], e->zone.level_dbm0);
    }
    break;
  case HL_R2_EV_ANSWERED:
    if (c->tone_id == HL_ZT_RINGBACK) { c->tone.prog = NULL; c->tone_id = -1; }
    c->dtmf_on = 1;
    ev_begin(e, &w, buf, "ChannelAnswered", c->info->channo);
    hl_jw_str(&w, "by", back ? "near" : "far");
    ev_push(e, &w);
    break;
  case HL_R2_EV_REJECTED:
    ev_begin(e, &w, buf, "DialFailed", c->info->channo);
    hl_jw_str(&w, "reason", r->reason);
    ev_push(e, &w);
    break;
  case HL_R2_EV_FAR_CLEARED:
    ev_begin(e, &w, buf, "ChannelHungUp", c->info->channo);
    hl_jw_str(&w, "side", "far");
    hl_jw_str(&w, "cause", r->reason);
    meter_total(&w, r);
    ev_push(e, &w);
    chan_reset_media(e, c, "hangup");
    break;
  case HL_R2_EV_METERED:
    ev_begin(e, &w, buf, "MeteringPulse", c->info->channo);
    hl_jw_int(&w, "count", r->meter_count);
    ev_push(e, &w);
    break;
  case HL_R2_EV_CANCELLED:
    ev_begin(e, &w, buf, "CallCancelled", c->info->channo);
    call_fields(&w, r);
    ev_push(e, &w);
    break;
  case HL_R2_EV_FAILED:
    ev_begin(e, &w, buf, "R2ProtocolError", c->info->channo);
    hl_jw_str(&w, "reason", r->reason);
    hl_jw_str(&w, "state", hl_r2_state_name(r->state));
    ev_push(e, &w);
    if (!back && r->state != HL_R2_ST_UP) {
      ev_begin(e, &w, buf, "DialFailed", c->info->channo);
      hl_jw_str(&w, "reason", r->reason);
      ev_push(e, &w);
    } else if (r->state == HL_R2_ST_OFFERED || r->state == HL_R2_ST_ACCEPTING || r->state == HL_R2_ST_ACCEPTED ||
               r->state == HL_R2_ST_UP) {
      ev_begin(e, &w, buf, "ChannelHungUp", c->info->channo);
      hl_jw_str(&w, "side", "near");
      hl_jw_str(&w, "cause", r->reason);
      meter_total(&w, r);
      ev_push(e, &w);
    }
    chan_reset_media(e, c, "hangup");
    break;
  case HL_R2_EV_IDLE:
    chan_reset_media(e, c, "hangup");
    c->have_caller = 0;
    emit_trace(e, c, r);
    break;
  case HL_R2_EV_BLOCKED:
  case HL_R2_EV_UNBLOCKED:
    ev_begin(e, &w, buf, ev == HL_R2_EV_BLOCKED ? "CircuitBlocked" : "CircuitUnblocked", c->info->channo);
    hl_jw_str(&w, "by", r->blk_by);
    ev_push(e, &w);
    break;
  default:
    break;
  }
  sync_state(e, c);
}

static const hl_r2_io_t r2_io = { r2_set_bits, r2_event };

int sig_r2_open(hl_engine_t *e, chan_t *c) {
  c->r2 = hl_r2_init(NULL, &hl_r2_variants[0], &r2_io, c);
  if (!c->r2) return -ENOMEM;
  c->r2->now = e->now;
  int bits = e->drv->ops->get_rxbits(e->drv->state, c->info->channo);
  if (bits >= 0) hl_r2_rx_bits(c->r2, bits);
  sync_state(e, c);
  return 0;
}

/* Until a timeslot adopts it, prepared R2 state talks to nobody: hl_r2_init
 * sends idle bits at once, and the JS thread must not touch the board. */
static void quiet_bits(void *user, int abcd) { (void)user; (void)abcd; }
static void quiet_event(void *user, int ev, const hl_r2_t *r) { (void)user; (void)ev; (void)r; }
static const hl_r2_io_t quiet_io = { quiet_bits, quiet_event };

hl_r2_t *sig_r2_prepare(void) { return hl_r2_init(NULL, &hl_r2_variants[0], &quiet_io, NULL); }

void sig_r2_adopt(hl_engine_t *e, chan_t *c, hl_r2_t *r) {
  c->r2 = r;
  r->io = &r2_io;
  r->user = c;
  r->now = e->now;
  /* Same variant: only sends its idle bits, now through this timeslot. */
  hl_r2_set_variant(r, r->v);
  int bits = e->drv->ops->get_rxbits(e->drv->state, c->info->channo);
  if (bits >= 0) hl_r2_rx_bits(r, bits);
  sync_state(e, c);
}

void sig_r2_close(chan_t *c) {
  hl_r2_free(c->r2);
  c->r2 = NULL;
}

void sig_r2_event(hl_engine_t *e, chan_t *c, int ev) {
  if (ev != HL_EV_BITSCHANGED) return;
  int bits = e->drv->ops->get_rxbits(e->drv->state, c->info->channo);
  if (bits < 0) return;
  hl_r2_rx_bits(c->r2, bits);
  sync_state(e, c);
}

void sig_r2_tick(hl_engine_t *e, chan_t *c) {
  hl_r2_tick(c->r2, e->now);
  sync_state(e, c);
}

static int r2_only(hl_engine_t *e, chan_t *c, const hl_cmd_t *cmd, const char *what) {
  if (c->r2) return 1;
  char msg[120];
  snprintf(msg, sizeof msg, "%s needs an R2 timeslot; channel %d is not one", what, c->info->channo);
  ev_error(e, cmd, "wrong_kind", msg);
  return 0;
}

int sig_r2_command(hl_engine_t *e, chan_t *c, const hl_cmd_t *cmd) {
  hl_r2_t *r = c->r2;
  int rc;
  char buf[HL_EVENT_JSON];
  hl_jw_t w;
  switch (cmd->op) {
  case HL_OP_ACCEPT:
    if (!r2_only(e, c, cmd, "accepting a call")) return 1;
    if (hl_r2_accept(r, cmd->i1) != 0) chan_wrong_state(e, c, cmd, "accept a call on");
    break;
  case HL_OP_REJECT:
    if (!r2_only(e, c, cmd, "rejecting a call")) return 1;
    rc = hl_r2_reject(r, cmd->s1);
    if (rc == -EINVAL) ev_error(e, cmd, "bad_reason", "a rejection is busy, congestion, unallocated or out-of-order");
    else if (rc != 0) chan_wrong_state(e, c, cmd, "reject a call on");
    break;
  case HL_OP_BLOCK:
    /* An idle circuit blocks at once; one in a call when the call ends (CircuitBlocked then). */
    if (!r2_only(e, c, cmd, "blocking a circuit")) return 1;
    if (hl_r2_block(r) == 1) {
      ev_begin(e, &w, buf, "CircuitBlockPending", c->info->channo);
      ev_push(e, &w);
    }
    break;
  case HL_OP_UNBLOCK:
    if (!r2_only(e, c, cmd, "unblocking a circuit")) return 1;
    if (hl_r2_unblock(r) != 0) ev_error(e, cmd, "not_blocked", "the circuit is not blocked by us");
    break;
  case HL_OP_METER:
    /* i1 pulses to send now on an answered incoming call */
    if (!r2_only(e, c, cmd, "metering pulses")) return 1;
    rc = hl_r2_meter(r, cmd->i1);
    if (rc == -ENOTSUP) ev_error(e, cmd, "not_supported", "this R2 variant has no metering pulses");
    else if (rc == -EINVAL) ev_error(e, cmd, "bad_pulses", "1 to 100 pulses");
    else if (rc != 0) chan_wrong_state(e, c, cmd, "send metering pulses on");
    break;
  case HL_OP_SET_R2: {
    /* s1 variant (empty keeps), i1 DNIS digits, i2 ANI request mode, i3 ANI digits, i4 auto-accept ms (-1 keeps each);
     * i5 HL_R2_OPT_* values for the options named in the mask i6 (the others keep) */
    if (!r2_only(e, c, cmd, "R2 settings")) return 1;
    if (cmd->s1[0]) {
      const hl_r2_variant_t *v = hl_r2_variant_find(cmd->s1);
      if (!v) { ev_error(e, cmd, "bad_variant", "unknown R2 variant"); return 1; }
      /* the same variant again is no change: the other knobs still apply during a call */
      if (v != r->v && hl_r2_set_variant(r, v) != 0) { chan_wrong_state(e, c, cmd, "change the R2 variant of"); return 1; }
    }
    if (cmd->i1 >= 0) r->max_dnis = cmd->i1;
    if (cmd->i2 >= 0) r->ani_mode = cmd->i2;
    if (cmd->i3 >= 0) r->max_ani = cmd->i3;
    if (cmd->i4 >= 0) r->accept_ms = cmd->i4;
    int mask = cmd->i6 & HL_R2_OPT_ALL;
    /* Hot: DTMF dialing and detection are fixed when a call is seized, the
     * others are read when they next apply (a call in progress may see them). */
    r->opts = (r->opts & ~mask) | (cmd->i5 & mask);
    ev_simple(e, "LineConfigured", c->info->channo);
    break;
  }
  default:
    if (!r) return 0;
    break;
  }
  if (cmd->op == HL_OP_ACCEPT || cmd->op == HL_OP_REJECT || cmd->op == HL_OP_SET_R2 ||
      cmd->op == HL_OP_BLOCK || cmd->op == HL_OP_UNBLOCK || cmd->op == HL_OP_METER) { sync_state(e, c); return 1; }
  switch (cmd->op) {
  case HL_OP_DIAL:
    /* s1 the called number (DNIS), s2 the caller's (ANI), i3 the category (0: national subscriber) */
    rc = hl_r2_call(r, cmd->s1, cmd->s2, cmd->i3);
    if (rc == -EACCES) ev_error(e, cmd, "circuit_blocked", r->blk_far ? "the far end blocks this circuit" : "this circuit is blocked");
    else if (rc == -EINVAL) ev_error(e, cmd, "bad_digits", "R2 numbers are digits 0-9 (up to 32), category 1-15");
    else if (rc != 0) chan_wrong_state(e, c, cmd, "dial out on");
    break;
  case HL_OP_ANSWER:
    if (hl_r2_answer(r) != 0) chan_wrong_state(e, c, cmd, "answer");
    break;
  case HL_OP_HANGUP:
    if (r->role == HL_R2_ROLE_NONE) { chan_wrong_state(e, c, cmd, "hang up"); return 1; }
    ev_begin(e, &w, buf, "ChannelHungUp", c->info->channo);
    hl_jw_str(&w, "side", "near");
    hl_jw_str(&w, "cause", "normal");
    meter_total(&w, r);
    ev_push(e, &w);
    chan_reset_media(e, c, "hangup");
    hl_r2_hangup(r);
    break;
  case HL_OP_FLASH: case HL_OP_RING: case HL_OP_STOP_RING: case HL_OP_CALL_WAITING: case HL_OP_SET_MWI: {
    char msg[120];
    snprintf(msg, sizeof msg, "channel %d is an R2 timeslot: no hook flash, ringing or message waiting", c->info->channo);
    ev_error(e, cmd, "wrong_kind", msg);
    break;
  }
  default:
    return 0;   /* media commands, set-line, timers */
  }
  sync_state(e, c);
  return 1;
}
