/* Commands on analog ports (FXO and FXS): answer, hang up, dial, ring a
 * phone with caller ID, flash... The state machines that the board's events
 * drive are in analog.c. */
#include "core_int.h"
#include <string.h>
#include <stdio.h>

#define POLARITY_TO_CID_MS 300     /* EN 300 659-1: at least 100 ms from line reversal to the spill */

static int kind_is(hl_engine_t *e, chan_t *c, const hl_cmd_t *cmd, int kind, const char *what) {
  if (c->info->kind == kind) return 1;
  char msg[120];
  snprintf(msg, sizeof msg, "%s needs an %s port; channel %d is not one", what,
           kind == HL_KIND_FXO ? "FXO" : "FXS", c->info->channo);
  ev_error(e, cmd, "wrong_kind", msg);
  return 0;
}

void chan_wrong_state(hl_engine_t *e, const chan_t *c, const hl_cmd_t *cmd, const char *what) {
  char msg[120];
  snprintf(msg, sizeof msg, "cannot %s channel %d while it is %s", what, c->info->channo, hl_state_name(c->st));
  ev_error(e, cmd, "wrong_state", msg);
}

int sig_command(hl_engine_t *e, chan_t *c, const hl_cmd_t *cmd) {
  char buf[HL_EVENT_JSON];
  hl_jw_t w;
  if (sig_ss7_command(e, c, cmd)) return 1;
  if (sig_r2_command(e, c, cmd)) return 1;
  switch (cmd->op) {
  case HL_OP_ANSWER:
    if (c->info->kind == HL_KIND_FXO) {
      if (c->st != HL_ST_RINGING && c->st != HL_ST_OFFERED) { chan_wrong_state(e, c, cmd, "answer"); return 1; }
      analog_hook(e, c, HL_OFFHOOK);
      c->cid_on = 0;
    } else if (c->info->kind == HL_KIND_FXS) {
      if (!c->hook) { chan_wrong_state(e, c, cmd, "answer"); return 1; }
      c->tone.prog = NULL; c->tone_id = -1;
    }
    chan_set_state(e, c, HL_ST_UP);
    c->dtmf_on = 1;
    if (c->info->kind == HL_KIND_FXO && (c->disc & (HL_DISC_BUSY | HL_DISC_CONGESTION))) {
      hl_tonedet_reset(c->tdet);
      c->tdet_on = 1;
    }
    ev_begin(e, &w, buf, "ChannelAnswered", c->info->channo);
    hl_jw_str(&w, "by", "near");
    ev_push(e, &w);
    return 1;
  case HL_OP_HANGUP:
    if (c->info->kind == HL_KIND_FXO) {
      if (!c->hook && c->st == HL_ST_IDLE) { chan_wrong_state(e, c, cmd, "hang up"); return 1; }
      analog_hook(e, c, HL_ONHOOK);
      analog_hungup(e, c, "near", "normal");
      analog_to_idle(e, c);
    } else if (c->info->kind == HL_KIND_FXS) {
      if (c->st == HL_ST_RINGING) e->drv->ops->hook(e->drv->state, c->info->channo, HL_RINGOFF);
      analog_prering_end(e, c);
      analog_hungup(e, c, "near", "normal");
      int off = c->hook;
      chan_reset_media(e, c, "hangup");
      c->cid_due_ms = 0;
      chan_set_state(e, c, off ? HL_ST_HUNGUP : HL_ST_IDLE);
    } else {
      analog_hungup(e, c, "near", "normal");
      chan_reset_media(e, c, "hangup");
      chan_set_state(e, c, HL_ST_IDLE);
    }
    return 1;
  case HL_OP_DIAL:
    if (!kind_is(e, c, cmd, HL_KIND_FXO, "dialing out")) return 1;
    if (c->st != HL_ST_IDLE) { chan_wrong_state(e, c, cmd, "dial out on"); return 1; }
    snprintf(c->dial, sizeof c->dial, "%s", cmd->s1);
    c->dial_pulse = cmd->i1;
    c->dial_wait_ms = cmd->i2;
    analog_hook(e, c, HL_OFFHOOK);
    c->cid_on = 0;
    hl_tonedet_reset(c->tdet);
    /* Just seized: only dial tone can come, so it need not outlast a ringback burst. */
    hl_tonedet_set_dial_ms(c->tdet, 300);
    c->tdet_on = 1;
    c->dial_waiting = 1;
    c->dial_deadline = e->now + (cmd->i2 > 0 ? cmd->i2 : 600);
    chan_set_state(e, c, HL_ST_DIALING);
    return 1;
  case HL_OP_FLASH:
    if (!kind_is(e, c, cmd, HL_KIND_FXO, "hook flash")) return 1;
    if (!c->hook) { chan_wrong_state(e, c, cmd, "flash"); return 1; }
    e->drv->ops->hook(e->drv->state, c->info->channo, HL_FLASH);
    ev_simple(e, "HookFlashed", c->info->channo);
    return 1;
  case HL_OP_RING:
    if (!kind_is(e, c, cmd, HL_KIND_FXS, "ringing")) return 1;
    if (c->st != HL_ST_IDLE) { chan_wrong_state(e, c, cmd, "ring"); return 1; }
    /* s1 number, s2 name, i1 caller-ID standard, i2/i3 cadence on/off, i4 HL_CIDWHEN_* */
    c->ring_on_ms = cmd->i2;
    c->ring_off_ms = cmd->i3;
    snprintf(c->ring_number, sizeof c->ring_number, "%s", cmd->s1);
    snprintf(c->ring_name, sizeof c->ring_name, "%s", cmd->s2);
    c->ring_cid_std = cmd->i1;
    c->ring_cid_when = cmd->i4;
    c->ringer_cycles = 0;
    if (c->ring_cid_std != HL_CID_NONE && c->ring_cid_when != HL_CIDWHEN_AFTER_FIRST_RING) {
      /* Caller ID first, the ringer after it (prering_tick). */
      c->prering = PRERING_WAIT;
      c->prering_due = e->now;
      if (c->ring_cid_when == HL_CIDWHEN_POLARITY &&
          e->drv->ops->set_polarity(e->drv->state, c->info->channo, 1) >= 0) {
        c->reversed = 1;
        c->prering_due = e->now + POLARITY_TO_CID_MS;
      }
    } else if (analog_fxs_ring(e, c) < 0) {
      chan_wrong_state(e, c, cmd, "ring (phone off-hook)");
      return 1;
    }
    chan_set_state(e, c, HL_ST_RINGING);
    ev_simple(e, "RingingStarted", c->info->channo);
    return 1;
  case HL_OP_STOP_RING:
    if (!kind_is(e, c, cmd, HL_KIND_FXS, "stopping the ring")) return 1;
    if (c->st != HL_ST_RINGING) { chan_wrong_state(e, c, cmd, "stop ringing"); return 1; }
    e->drv->ops->hook(e->drv->state, c->info->channo, HL_RINGOFF);
    analog_prering_end(e, c);
    c->cid_tx.active = 0; c->cid_due_ms = 0;
    chan_set_state(e, c, HL_ST_IDLE);
    ev_simple(e, "RingingStopped", c->info->channo);
    return 1;
  case HL_OP_SET_LINE:
    /* i1: caller-ID standard (FXO), i2: disconnect methods, i3: echo canceller taps (-1 keeps). */
    if (cmd->i1 >= 0) c->cid_mode = cmd->i1;
    if (cmd->i2 > 0) c->disc = cmd->i2;
    if (cmd->i3 >= 0) { c->echo_taps = cmd->i3; e->drv->ops->set_echocancel(e->drv->state, c->info->channo, cmd->i3); }
    if (c->info->kind == HL_KIND_FXO && c->st == HL_ST_IDLE) analog_to_idle(e, c);
    ev_simple(e, "LineConfigured", c->info->channo);
    return 1;
  case HL_OP_CALL_WAITING:
    /* s1 number, s2 name, i1 caller-ID standard (Bell 202 or V.23) */
    if (!kind_is(e, c, cmd, HL_KIND_FXS, "call waiting")) return 1;
    if (c->st != HL_ST_UP || !c->hook || c->cw_phase) { chan_wrong_state(e, c, cmd, "alert a waiting call on"); return 1; }
    if (cmd->i1 != HL_CID_BELL202 && cmd->i1 != HL_CID_V23) {
      ev_error(e, cmd, "bad_standard", "call-waiting caller ID is Bell 202 or V.23 FSK");
      return 1;
    }
    if (strlen(cmd->s1) > 20 || strlen(cmd->s2) > 20) { ev_error(e, cmd, "bad_caller_id", "number and name are at most 20 bytes"); return 1; }
    cw_start(e, c, cmd->s1, cmd->s2, cmd->i1);
    return 1;
  case HL_OP_SET_MWI:
    if (!kind_is(e, c, cmd, HL_KIND_FXS, "message waiting")) return 1;
    c->mwi = cmd->i1 != 0;
    return 1;
  case HL_OP_LEARN_CADENCE:
    hl_tonedet_learn_start(c->tdet);
    c->tdet_on = 1;
    c->learning = 1;
    return 1;
  default:
    return 0;
  }
}
