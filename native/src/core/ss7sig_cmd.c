/* Commands on SS7 spans (see ss7sig.c): setSs7 on the D-channel; on the
 * bearers dial (waiting for a realigning link), accept, answer, reject, hang
 * up, block and unblock. The stack's refusals become CommandFailed. */
#include "core_int.h"
#include <string.h>
#include <stdio.h>
#include <stdlib.h>
#include <errno.h>

/* A call dialled while the link is down waits this long for it to realign. */
#define LINK_WAIT_MS 15000

static int span_busy(const chan_t *d) {
  int n = 0;
  for (int i = 0; i < d->ss7->ncirc; i++) if (d->ss7->circ[i].state != HL_SS7_CIC_IDLE) n++;
  return n;
}

/* setSs7 on a D-channel: s1 variant, i1 OPC, i2 DPC, i3 NI | SLC << 4, i4 CIC base.
 * Point codes, NI and SLC change with the circuits kept (the link realigns);
 * the variant and the CIC base only while no circuit is in a call. */
static void set_ss7(hl_engine_t *e, chan_t *d, const hl_cmd_t *cmd) {
  const hl_ss7_variant_t *v = hl_ss7_variant_find(cmd->s1[0] ? cmd->s1 : "itu");
  if (!v) { ev_error(e, cmd, "bad_variant", "an SS7 variant is itu or china"); return; }
  uint32_t pcmax = v->pc_bits >= 32 ? 0xffffffffu : (1u << v->pc_bits) - 1;
  if (cmd->i1 < 0 || cmd->i2 < 0 || (uint32_t)cmd->i1 > pcmax || (uint32_t)cmd->i2 > pcmax || cmd->i1 == cmd->i2) {
    char msg[120];
    snprintf(msg, sizeof msg, "point codes of the %s variant are 0..%u and ours differs from the adjacent one", v->name, pcmax);
    ev_error(e, cmd, "bad_point_code", msg);
    return;
  }
  int ni = cmd->i3 & 3, slc = (cmd->i3 >> 4) & 15, base = cmd->i4;
  if (base < 0 || base + 31 > v->max_cic) { ev_error(e, cmd, "bad_cic", "the CIC base leaves timeslot 31 beyond the variant's highest CIC"); return; }
  hl_ss7_config_t cfg;
  hl_ss7_config_default(&cfg);
  cfg.variant = v;
  cfg.opc = (uint32_t)cmd->i1;
  cfg.dpc = (uint32_t)cmd->i2;
  cfg.ni = ni;
  cfg.slc = slc;
  cfg.cic_first = base + 1;
  cfg.cic_count = 31;
  cfg.auto_start = 1;
  if (d->ss7_ready && d->ss7->v == v && d->ss7_base == base && d->ss7->cfg.opc == cfg.opc && d->ss7->cfg.dpc == cfg.dpc &&
      d->ss7->cfg.ni == ni && d->ss7->cfg.slc == slc) {
    /* Nothing changed (a supervisor that reconnected applies its settings again): the link stays as it is. */
  } else if (d->ss7_ready && d->ss7->v == v && d->ss7_base == base) {
    /* Same circuits: the link restarts under its new codes, calls stay up. */
    d->ss7->cfg.opc = cfg.opc; d->ss7->cfg.dpc = cfg.dpc; d->ss7->cfg.ni = ni; d->ss7->cfg.slc = slc;
    hl_ss7_stop(d->ss7);
    hl_ss7_start(d->ss7);
  } else {
    if (d->ss7_ready && span_busy(d)) {
      char msg[140];
      snprintf(msg, sizeof msg, "span %d has %d circuits in calls: the variant or CIC base changes when they are idle", d->info->span, span_busy(d));
      ev_error(e, cmd, "busy", msg);
      return;
    }
    if (d->ss7_ready) hl_ss7_deinit(d->ss7);
    d->ss7_ready = 0;
    if (!hl_ss7_init(d->ss7, &cfg, &ss7sig_io, d)) { ev_error(e, cmd, "bad_config", "the SS7 stack refused this configuration"); return; }
    d->ss7->now = e->now;
    d->ss7_base = base;
    d->ss7_ready = 1;
    for (int ts = 1; ts <= 31; ts++) {
      chan_t *b = d->ss7_ts_chan[ts] ? chan_get(e, d->ss7_ts_chan[ts]) : NULL;
      if (b) { b->cic = base + ts; ss7sig_sync_state(e, d, b); }
    }
    if (e->span_alarm[d->info->span] & (HL_ALARM_RED | HL_ALARM_BLUE | HL_ALARM_LOS)) hl_ss7_link_alarm(d->ss7, 1);
  }
  ev_simple(e, "LineConfigured", d->info->channo);
}

static void refuse(hl_engine_t *e, const hl_cmd_t *cmd, chan_t *b, chan_t *d, int rc, const char *what) {
  char msg[160];
  switch (rc) {
  case -ENOLINK:
    snprintf(msg, sizeof msg, "the SS7 link of span %d is down: nothing can be signalled until it realigns", b->info->span);
    ev_error(e, cmd, "link_down", msg);
    break;
  case -EACCES:
    ev_error(e, cmd, "circuit_blocked", "this circuit is blocked");
    break;
  case -EINVAL:
    ev_error(e, cmd, "bad_digits", "SS7 numbers are digits 0-9 (up to 32)");
    break;
  case -ENOBUFS:
    ev_error(e, cmd, "congested", "the SS7 link's transmit queue is full");
    break;
  default:
    chan_wrong_state(e, b, cmd, what);
    break;
  }
  (void)d;
}

static int reject_cause(const char *reason) {
  if (!strcmp(reason, "busy")) return HL_SS7_CAUSE_BUSY;
  if (!strcmp(reason, "congestion")) return HL_SS7_CAUSE_CONGESTION;
  if (!strcmp(reason, "unallocated")) return HL_SS7_CAUSE_UNALLOCATED;
  if (!strcmp(reason, "out-of-order")) return HL_SS7_CAUSE_OUT_OF_ORDER;
  return 0;
}

/* 1 when the command was SS7's (done or refused). */
int sig_ss7_command(hl_engine_t *e, chan_t *c, const hl_cmd_t *cmd) {
  char buf[HL_EVENT_JSON];
  hl_jw_t w;
  if (c->info->kind == HL_KIND_DCHAN) {
    if (cmd->op == HL_OP_SET_SS7) {
      if (!c->ss7) { ev_error(e, cmd, "no_frames", "this board cannot carry signalling frames on this channel"); return 1; }
      set_ss7(e, c, cmd);
      return 1;
    }
    if (cmd->op == HL_OP_SS7_RESET) {
      /* Group reset of the span's circuits (GRS), or restart of the link (i1 = 1). */
      if (!c->ss7_ready) { ev_error(e, cmd, "unconfigured", "the span's SS7 link is not configured"); return 1; }
      int rc = cmd->i1 == 1 ? (hl_ss7_stop(c->ss7), hl_ss7_start(c->ss7)) : hl_ss7_group_reset(c->ss7, c->ss7_base + 1, 31);
      if (rc == -ENOLINK) ev_error(e, cmd, "link_down", "the SS7 link is down: the reset waits for it");
      else if (rc == -EBUSY) ev_error(e, cmd, "busy", "a group operation is already in progress");
      else if (rc < 0) ev_error(e, cmd, "refused", "the SS7 stack refused the reset");
      return 1;
    }
    return 0;
  }
  if (cmd->op == HL_OP_SET_SS7 || cmd->op == HL_OP_SS7_RESET) {
    if (!c->ss7_dchan) return 0;
    ev_error(e, cmd, "wrong_kind", "SS7 settings and resets go to the span's D-channel (timeslot 16)");
    return 1;
  }
  if (!c->ss7_dchan) return 0;
  chan_t *d = ss7sig_dchan_of(e, c);
  int rc;
  switch (cmd->op) {
  case HL_OP_DIAL: case HL_OP_ANSWER: case HL_OP_ACCEPT: case HL_OP_REJECT: case HL_OP_HANGUP:
  case HL_OP_BLOCK: case HL_OP_UNBLOCK:
    if (!d) { ev_error(e, cmd, "unconfigured", "the span's SS7 link is not configured"); return 1; }
    break;
  case HL_OP_FLASH: case HL_OP_RING: case HL_OP_STOP_RING: case HL_OP_CALL_WAITING: case HL_OP_SET_MWI:
  case HL_OP_SET_R2: {
    char msg[120];
    snprintf(msg, sizeof msg, "channel %d is an SS7 circuit: no hook flash, ringing, R2 or message waiting", c->info->channo);
    ev_error(e, cmd, "wrong_kind", msg);
    return 1;
  }
  default:
    return 0;   /* media commands, set-line, timers */
  }
  switch (cmd->op) {
  case HL_OP_DIAL: {
    /* s1 the called number, s2 the caller's, i3 an R2-style category (ordinary unless 5: payphone-like operator lines are not ours) */
    if (c->ss7_wait_until) { chan_wrong_state(e, c, cmd, "dial out on"); return 1; }
    rc = hl_ss7_call(d->ss7, c->cic, cmd->s1, cmd->s2, HL_SS7_NAI_NATIONAL, 0, HL_SS7_CAT_ORDINARY);
    if (rc == -ENOLINK && d->ss7->started && !d->ss7->alarm) {
      /* The link is realigning: the call waits for it (DialWaiting), then goes out or fails.
       * The stack checked the numbers and the circuit before the link, so only the link is missing. */
      c->ss7_wait_until = e->now + LINK_WAIT_MS;
      snprintf(c->ss7_wait_called, sizeof c->ss7_wait_called, "%s", cmd->s1);
      snprintf(c->ss7_wait_calling, sizeof c->ss7_wait_calling, "%s", cmd->s2);
      c->ss7_incoming = 0;
      ev_begin(e, &w, buf, "DialWaiting", c->info->channo);
      hl_jw_str(&w, "reason", "link-down");
      hl_jw_int(&w, "maxMs", LINK_WAIT_MS);
      ev_push(e, &w);
      break;
    }
    if (rc != 0) { refuse(e, cmd, c, d, rc, "dial out on"); return 1; }
    c->ss7_incoming = 0;
    break;
  }
  case HL_OP_ACCEPT:
    rc = hl_ss7_alert(d->ss7, c->cic);
    if (rc != 0) { refuse(e, cmd, c, d, rc, "accept a call on"); return 1; }
    ev_begin(e, &w, buf, "CallAccepted", c->info->channo);
    hl_jw_str(&w, "by", "near");
    hl_jw_str(&w, "signalling", "ss7");
    ev_push(e, &w);
    /* The caller hears ringback from the called side until the answer. */
    c->tone_id = HL_ZT_RINGBACK;
    hl_tonegen_start(&c->tone, &e->zone.tones[HL_ZT_RINGBACK], e->zone.level_dbm0);
    break;
  case HL_OP_ANSWER:
    rc = hl_ss7_answer(d->ss7, c->cic);
    if (rc != 0) { refuse(e, cmd, c, d, rc, "answer"); return 1; }
    if (c->tone_id == HL_ZT_RINGBACK) { c->tone.prog = NULL; c->tone_id = -1; }
    c->dtmf_on = 1;
    ev_begin(e, &w, buf, "ChannelAnswered", c->info->channo);
    hl_jw_str(&w, "by", "near");
    ev_push(e, &w);
    break;
  case HL_OP_REJECT: {
    int cause = reject_cause(cmd->s1);
    if (!cause) { ev_error(e, cmd, "bad_reason", "a rejection is busy, congestion, unallocated or out-of-order"); return 1; }
    if (!c->ss7_incoming || (c->st != HL_ST_OFFERED)) { chan_wrong_state(e, c, cmd, "reject a call on"); return 1; }
    rc = hl_ss7_release(d->ss7, c->cic, cause);
    if (rc != 0) { refuse(e, cmd, c, d, rc, "reject a call on"); return 1; }
    chan_reset_media(e, c, "hangup");
    break;
  }
  case HL_OP_HANGUP:
    if (c->ss7_wait_until) {
      /* A call still waiting for the link: nothing went out, nothing to release. */
      c->ss7_wait_until = 0;
      ss7sig_hung_up(e, c, "near", HL_SS7_CAUSE_NORMAL, "normal");
      chan_reset_media(e, c, "hangup");
      break;
    }
    if (c->st == HL_ST_IDLE || c->st == HL_ST_BLOCKED || c->st == HL_ST_HUNGUP) { chan_wrong_state(e, c, cmd, "hang up"); return 1; }
    rc = hl_ss7_release(d->ss7, c->cic, HL_SS7_CAUSE_NORMAL);
    if (rc != 0 && rc != -ENOLINK) { refuse(e, cmd, c, d, rc, "hang up"); return 1; }
    ss7sig_hung_up(e, c, "near", HL_SS7_CAUSE_NORMAL, "normal");
    chan_reset_media(e, c, "hangup");
    break;
  case HL_OP_BLOCK:
    rc = hl_ss7_block(d->ss7, c->cic);
    if (rc != 0) { refuse(e, cmd, c, d, rc, "block"); return 1; }
    ev_begin(e, &w, buf, "CircuitBlockPending", c->info->channo);
    ev_push(e, &w);
    break;
  case HL_OP_UNBLOCK:
    rc = hl_ss7_unblock(d->ss7, c->cic);
    if (rc == -EPERM) { ev_error(e, cmd, "not_blocked", "the circuit is not blocked by us"); return 1; }
    if (rc != 0) { refuse(e, cmd, c, d, rc, "unblock"); return 1; }
    break;
  default:
    return 0;
  }
  ss7sig_sync_state(e, d, c);
  return 1;
}
