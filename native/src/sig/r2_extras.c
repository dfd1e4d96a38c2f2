/* MFC/R2: what rides on the line beside the compelled cycle: the double
 * answer and metering pulses (sent by the backward, told apart from a
 * clear-back by the forward), DTMF detection of a DNIS and DTMF dialing. */
#include "r2_int.h"

/* ---- backward ---- */

/* DTMF digits of a DNIS (dtmf detection): the first one makes the call a DTMF
 * call (MF stops); each restarts the inter-digit timer; the number ends with
 * that silence or with the DNIS length the owner set. */
void r2_on_dtmf(void *user, const char *digits, int len) {
  hl_r2_t *r = user;
  if (!r->dtmf_rx_on) return;
  for (int i = 0; i < len && digits[i]; i++) {
    char d = digits[i];
    if (d < '0' || d > '9') continue;               /* a DNIS is digits; * # A-D mean nothing here */
    if (r->state == HL_R2_ST_SEIZED) {
      r2_mfc_off(r);
      r->dtmf_rx_on = 1;
      r->via_dtmf = 1;
      r->state = HL_R2_ST_COLLECTING;
      r->expect = HL_R2_X_DTMF;
    }
    if (r->state != HL_R2_ST_COLLECTING || r->expect != HL_R2_X_DTMF) return;
    r2_append_digit(r->dnis, &r->ndnis, d == '0' ? 10 : d - '0');
    r->due = r->now + r->v->dtmf_gap_ms;
    if (r->max_dnis > 0 && r->ndnis >= r->max_dnis) {
      r->dtmf_rx_on = 0;
      r->category = 1;                              /* no group II by DTMF: an ordinary subscriber */
      r2_bwd_offer(r);
      return;
    }
  }
}

/* Backward, answered: the double answer's steps, then metering pulses (a
 * pulse is the variant's metering bits for meter_pulse_ms, and as long again
 * of answer before the next, so the forward sees each edge). */
void r2_bwd_answered_tick(hl_r2_t *r) {
  const hl_r2_variant_t *v = r->v;
  int64_t now = r->now;
  if (r->dbl_phase) {
    if (now < r->dbl_at) return;
    if (r->dbl_phase == 1) { r2_line(r, HL_R2_CLEAR_BACK); r->dbl_phase = 2; r->dbl_at = now + v->dbl_clear_ms; }
    else { r2_line(r, HL_R2_ANSWER); r->dbl_phase = 0; r->meter_at = now + v->meter_pulse_ms; }
    return;
  }
  if (!v->meter_pulse_ms) return;
  if (r->meter_every_ms > 0) {
    if (!r->meter_next) r->meter_next = now + r->meter_every_ms;
    else if (now >= r->meter_next) { r->meter_queue++; r->meter_next += r->meter_every_ms; }
  }
  if (r->meter_on && now >= r->meter_at) {
    r2_line(r, HL_R2_ANSWER);
    r->meter_on = 0;
    r->meter_count++;
    r->meter_at = now + v->meter_pulse_ms;
  } else if (!r->meter_on && r->meter_queue > 0 && now >= r->meter_at) {
    r2_line(r, HL_R2_METER);
    r->meter_on = 1;
    r->meter_queue--;
    r->meter_at = now + v->meter_pulse_ms;
  }
}

/* ---- forward ---- */

/* DTMF dialing: the DNIS goes out as DTMF digits, once, after the seize-ack delay. */
void r2_fwd_dtmf_start(hl_r2_t *r) {
  const hl_r2_variant_t *v = r->v;
  dtmf_tx_init(r->dtmf_tx);
  dtmf_tx_set_timing(r->dtmf_tx, v->dtmf_on_ms, v->dtmf_off_ms);
  dtmf_tx_put(r->dtmf_tx, r->dnis, -1);
  r->dnis_pos = r->ndnis;
  r->dtmf_tx_on = 1;
  /* the digits' own time plus a margin: past it the sender is stuck */
  r->due = r->now + r->ndnis * (v->dtmf_on_ms + v->dtmf_off_ms) + v->mf_cycle_ms;
}

/* Forward, answered: the answer bits leaving for a moment are a metering pulse
 * or the clear-back of a double answer; only a clear-back that lasts ends the
 * call (r2_fwd_answered_tick). Returns 1 when the bits were taken here. */
int r2_fwd_answered_bits(hl_r2_t *r) {
  const hl_r2_variant_t *v = r->v;
  if (r->state == HL_R2_ST_UP && r->cb_at && r2_rx_is(r, HL_R2_ANSWER)) {
    /* Back to answer after a brief excursion: a metering pulse when short
     * enough, else the clear-back of a double answer; neither ends the call. */
    int64_t held = r->now - r->cb_at;
    r->cb_at = r->cb_due = 0;
    if (v->meter_max_ms > 0 && held <= v->meter_max_ms) { r->meter_count++; r2_emit(r, HL_R2_EV_METERED); }
    return 1;
  }
  if (r->state == HL_R2_ST_UP && !r->cb_at && v->clear_back_min_ms > 0 &&
      (r2_rx_is(r, HL_R2_CLEAR_BACK) || r2_rx_is(r, HL_R2_METER))) {
    r->cb_at = r->now;                               /* a clear-back only if it lasts (hl_r2_tick) */
    r->cb_due = r->now + v->clear_back_min_ms;
    return 1;
  }
  return 0;
}

/* Forward, answered: a clear-back that outlasted clear_back_min_ms ends the
 * call. Returns 1 when it did. */
int r2_fwd_answered_tick(hl_r2_t *r) {
  int64_t now = r->now;
  if (r->state == HL_R2_ST_UP && r->cb_due && now >= r->cb_due) {
    /* The answer bits stayed away: the called party cleared. */
    r->cb_at = r->cb_due = 0;
    r->reason = "clear-back";
    r2_emit(r, HL_R2_EV_FAR_CLEARED);
    r2_mfc_off(r);
    r2_line(r, HL_R2_CLEAR_FORWARD);
    r2_enter(r, HL_R2_ST_CLEAR_FWD_SENT, r->v->release_ms);
    return 1;
  }
  return 0;
}

/* Forward, DTMF dialing: once the digits are out the call rings. Returns 1
 * when it moved on. */
int r2_fwd_dtmf_sent(hl_r2_t *r) {
  if (r->state == HL_R2_ST_SENDING && r->via_dtmf && r->dnis_pos > 0 && !r->dtmf_tx_on) {
    /* The digits are out. DTMF dialing has no group B: the call counts as
     * accepted (free: nothing said otherwise) and rings until answered. */
    r->charge = 0;
    r2_enter(r, HL_R2_ST_RINGING, r->v->answer_ms);
    r2_emit(r, HL_R2_EV_ACCEPTED);
    return 1;
  }
  return 0;
}
