/* The virtual PSTN's R2 exchange behind each timeslot of a simulated R2 E1:
 * the same R2 engine as the box (sig/r2_*.c) in the other role. It places calls
 * into the box (forward) with a DNIS, ANI and category, and takes the box's
 * calls (backward), asking ANI after the DNIS or first, then accepting,
 * refusing (busy, congestion, unallocated) or leaving them to ring. Its bits
 * travel in the timeslot's ABCD, its MF (or DTMF) tones in the timeslot's
 * audio. The R2 knobs of the box are the exchange's too (sim.r2): it can dial
 * by DTMF, detect DTMF, skip the category, accept at once, answer twice and
 * send metering pulses at a rate while our call is answered. */
#include "sim_int.h"
#include "hl/jsonw.h"
#include <string.h>
#include <stdio.h>
#include <errno.h>

static void x_set_bits(void *user, int abcd) {
  sim_chan_t *c = user;
  if ((abcd & 0xF) == c->rxbits) return;
  c->rxbits = abcd & 0xF;
  if (c->open) sim_queue_event(c, HL_EV_BITSCHANGED);
}

static void x_emit(sim_t *s, sim_chan_t *c, const char *name, const hl_r2_t *r, int with_call,
                   const char *k, const char *v) {
  char buf[HL_EVENT_JSON];
  hl_jw_t w;
  hl_jw_begin(&w, buf, sizeof buf, name, s->now, c->info->channo);
  if (with_call) {
    hl_jw_str(&w, "dnis", r->dnis);
    hl_jw_str(&w, "ani", r->ani[0] ? r->ani : NULL);
    hl_jw_int(&w, "category", r->category);
  }
  if (k) hl_jw_str(&w, k, v);
  hl_jw_end(&w);
  sim_emit(s, buf);
}

static void x_event(void *user, int ev, const hl_r2_t *r) {
  sim_chan_t *c = user;
  sim_t *s = c->sim;
  int back = r->role == HL_R2_ROLE_BACKWARD;
  switch (ev) {
  case HL_R2_EV_OFFERED:
    /* Our call reached the exchange; it decides after its tick (not from inside the engine). */
    x_emit(s, c, "SimCallReceived", r, 1, NULL, NULL);
    c->x_decide = 1;
    break;
  case HL_R2_EV_ACCEPTED:
    if (back) {
      c->x_answer_at = c->x_outcome == OUT_ANSWER ? s->now + c->x_after_ms : 0;
    } else {
      x_emit(s, c, "SimCallAccepted", r, 0, "charge", r->charge ? "yes" : "no");
    }
    break;
  case HL_R2_EV_ANSWERED:
    x_emit(s, c, "SimLineAnswered", r, back, "by", back ? "far" : "near");   /* our call: which one */
    break;
  case HL_R2_EV_REJECTED:
    x_emit(s, c, "SimCallRejected", r, 0, "reason", r->reason);
    break;
  case HL_R2_EV_FAR_CLEARED:
    x_emit(s, c, "SimLineReleased", r, 0, "by", "near");
    break;
  case HL_R2_EV_CANCELLED:
    x_emit(s, c, "SimLineReleased", r, 0, "by", "near");
    break;
  case HL_R2_EV_FAILED:
    x_emit(s, c, "SimR2Failed", r, 0, "reason", r->reason);
    break;
  case HL_R2_EV_METERED: {
    char buf[HL_EVENT_JSON];
    hl_jw_t w;
    hl_jw_begin(&w, buf, sizeof buf, "SimMeteringPulse", s->now, c->info->channo);
    hl_jw_int(&w, "count", r->meter_count);
    hl_jw_end(&w);
    sim_emit(s, buf);
    break;
  }
  case HL_R2_EV_IDLE:
    c->far.talk_rate = 0;
    c->x_decide = 0;
    c->x_answer_at = 0;
    x_emit(s, c, "SimLineIdle", r, 0, NULL, NULL);
    break;
  case HL_R2_EV_BLOCKED:
    x_emit(s, c, "SimCircuitBlocked", r, 0, "by", !strcmp(r->blk_by, "near") ? "far" : "near");   /* from the box's side */
    break;
  case HL_R2_EV_UNBLOCKED:
    x_emit(s, c, "SimCircuitUnblocked", r, 0, "by", !strcmp(r->blk_by, "near") ? "far" : "near");
    break;
  default:
    break;
  }
}

static const hl_r2_io_t x_io = { x_set_bits, x_event };

int exch_init(sim_t *s, sim_chan_t *c) {
  c->xr2 = hl_r2_init(NULL, &hl_r2_variants[0], &x_io, c);
  if (!c->xr2) return -1;
  c->xr2->accept_ms = 0;           /* the exchange decides at once (exch_tick) */
  c->xr2->max_dnis = 0;            /* our DNIS ends with silence unless told its length */
  c->x_bits_seen = c->txbits;
  c->x_outcome = OUT_ANSWER;
  c->x_after_ms = 2000;
  return 0;
}

/* Prepared on the JS thread: sends its idle bits to nobody until adopted. */
static void quiet_bits(void *user, int abcd) { (void)user; (void)abcd; }
static void quiet_event(void *user, int ev, const hl_r2_t *r) { (void)user; (void)ev; (void)r; }
static const hl_r2_io_t quiet_io = { quiet_bits, quiet_event };

hl_r2_t *exch_prepare(void) {
  hl_r2_t *r = hl_r2_init(NULL, &hl_r2_variants[0], &quiet_io, NULL);
  if (!r) return NULL;
  r->accept_ms = 0;
  r->max_dnis = 0;
  return r;
}

void exch_adopt(sim_t *s, sim_chan_t *c, hl_r2_t *r) {
  c->xr2 = r;
  r->io = &x_io;
  r->user = c;
  r->now = s->now;
  c->x_bits_seen = c->txbits;
  c->x_decide = 0;
  c->x_outcome = OUT_ANSWER;
  c->x_after_ms = 2000;
  c->x_answer_at = 0;
  hl_r2_set_variant(r, r->v);      /* its idle bits, now on the timeslot */
}

void exch_release(sim_chan_t *c) {
  if (c->xr2) hl_r2_free(c->xr2);
  c->xr2 = NULL;
}

void exch_tick(sim_t *s, sim_chan_t *c, int16_t *lin) {
  hl_r2_t *r = c->xr2;
  if (!r) return;
  int alarmed = s->span_alarms[c->info->span - 1] & (HL_ALARM_RED | HL_ALARM_BLUE);
  if (c->open && !alarmed && c->txbits != c->x_bits_seen) {
    c->x_bits_seen = c->txbits;
    hl_r2_rx_bits(r, c->txbits);
  }
  hl_r2_rx(r, c->tx, HL_BLOCK);
  hl_r2_tick(r, s->now);
  if (c->x_decide && r->state == HL_R2_ST_OFFERED) {
    c->x_decide = 0;
    switch (c->x_outcome) {
    case OUT_BUSY: hl_r2_reject(r, "busy"); break;
    case OUT_CONGESTION: hl_r2_reject(r, "congestion"); break;
    case OUT_UNALLOCATED: hl_r2_reject(r, "unallocated"); break;
    default: hl_r2_accept(r, 1); break;
    }
  }
  if (c->x_answer_at && s->now >= c->x_answer_at && r->state == HL_R2_ST_ACCEPTED) {
    c->x_answer_at = 0;
    hl_r2_answer(r);
  }
  hl_r2_tx(r, lin, HL_BLOCK);
  pstn_talk_listen(s, c, lin, HL_BLOCK, r->state == HL_R2_ST_UP);
}

int exch_command(sim_t *s, sim_chan_t *c, const hl_cmd_t *cmd, char *err, size_t errlen) {
  hl_r2_t *r = c->xr2;
  int rc;
  switch (cmd->op) {
  case HL_OP_SIM_CALL:
    /* s1 DNIS, s2 ANI, i1 category */
    rc = hl_r2_call(r, cmd->s1, cmd->s2, cmd->i1);
    if (rc == -EINVAL) { snprintf(err, errlen, "bad DNIS/ANI/category (digits 0-9, category 1-15)"); return rc; }
    if (rc == -EACCES) { snprintf(err, errlen, "timeslot %d is blocked", c->info->channo); return rc; }
    if (rc != 0) { snprintf(err, errlen, "timeslot %d is not idle (%s)", c->info->channo, hl_r2_state_name(r->state)); return rc; }
    return 0;
  case HL_OP_SIM_HANGUP:
    if (hl_r2_hangup(r) != 0) { snprintf(err, errlen, "timeslot %d has no call", c->info->channo); return -EINVAL; }
    return 0;
  case HL_OP_SIM_ANSWER:
    if (hl_r2_answer(r) != 0) { snprintf(err, errlen, "no call of ours ringing at the exchange on %d", c->info->channo); return -EINVAL; }
    return 0;
  case HL_OP_SIM_OUTCOME:
    if (cmd->i1 < OUT_ANSWER || cmd->i1 > OUT_UNALLOCATED) { snprintf(err, errlen, "unknown outcome"); return -EINVAL; }
    c->x_outcome = cmd->i1;
    c->x_after_ms = cmd->i2 >= 0 ? cmd->i2 : 2000;
    return 0;
  case HL_OP_SIM_R2:
    /* s1 variant, i1 DNIS digits the exchange collects, i2 ANI request mode, i3 ANI digits,
     * i4 a metering pulse every so many ms on our answered calls (-1 keeps each);
     * i5 HL_R2_OPT_* values for the options in the mask i6 */
    if (cmd->s1[0]) {
      const hl_r2_variant_t *v = hl_r2_variant_find(cmd->s1);
      if (!v) { snprintf(err, errlen, "unknown R2 variant '%s'", cmd->s1); return -EINVAL; }
      if (hl_r2_set_variant(r, v) != 0) { snprintf(err, errlen, "timeslot %d is in a call", c->info->channo); return -EBUSY; }
    }
    if (cmd->i1 >= 0) r->max_dnis = cmd->i1;
    if (cmd->i2 >= 0) r->ani_mode = cmd->i2;
    if (cmd->i3 >= 0) r->max_ani = cmd->i3;
    if (cmd->i4 >= 0) {
      if (cmd->i4 > 0 && !r->v->meter_pulse_ms) { snprintf(err, errlen, "R2 variant '%s' has no metering pulses", r->v->name); return -EINVAL; }
      r->meter_every_ms = cmd->i4;
    }
    int mask = cmd->i6 & HL_R2_OPT_ALL;
    r->opts = (r->opts & ~mask) | (cmd->i5 & mask);
    return 0;
  case HL_OP_SIM_BLOCK:
    /* i1: 1 block (now, or when the call ends), 0 unblock */
    if (cmd->i1) { hl_r2_block(r); return 0; }
    if (hl_r2_unblock(r) != 0) { snprintf(err, errlen, "the exchange does not block timeslot %d", c->info->channo); return -EINVAL; }
    return 0;
  case HL_OP_SIM_TALK:
  case HL_OP_SIM_LISTEN:
    return pstn_command(s, c, cmd, err, errlen);
  default:
    snprintf(err, errlen, "channel %d is an R2 timeslot: the exchange takes call, hangup, answer, outcome, r2, block, talk, listen", c->info->channo);
    return -EINVAL;
  }
}
