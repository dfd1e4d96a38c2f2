/* MFC/R2 line signalling and call state (see hl/r2.h): the ABCD bits out and
 * in, seizure, clearing and blocking, timers, and the life cycle. One state
 * machine for both roles; the MF cycle is in r2_mf.c. */
#include "r2_int.h"
#include <stdlib.h>
#include <string.h>
#include <errno.h>

void r2_line(hl_r2_t *r, int sig) {
  int abcd = r->v->ab[sig] | r->v->cd;
  r2_trace(r, 0, HL_R2_TR_BITS, abcd);
  r->io->set_bits(r->user, abcd);
}
int r2_rx_is(const hl_r2_t *r, int sig) { return r->rx_ab == r->v->ab[sig]; }
void r2_emit(hl_r2_t *r, int ev) { if (r->io->event) r->io->event(r->user, ev, r); }

void r2_enter(hl_r2_t *r, int st, int timeout_ms) {
  r->state = st;
  r->state_ms = r->now;
  r->due = timeout_ms > 0 ? r->now + timeout_ms : 0;
}

void r2_reset_call(hl_r2_t *r) {
  r->dnis[0] = r->ani[0] = 0;
  r->ndnis = r->nani = 0;
  r->category = 0;
  r->ani_restricted = 0;
  r->charge = 0;
  r->reason = NULL;
  r->expect = HL_R2_X_NONE;
  r->dnis_end = r->ani_end = r->cat_asked = r->got_cat = 0;
  r->b_after = 0;
  r->answer_after_accept = 0;
  r->fwd_mode = HL_R2_X_DNIS;
  r->dnis_pos = r->ani_pos = r->cat_sent = r->ani_exhausted = 0;
  r->dbl_phase = 0;
  r->dbl_at = 0;
  r->meter_queue = r->meter_on = r->meter_count = 0;
  r->meter_at = r->meter_next = 0;
  r->cb_at = r->cb_due = 0;
  r->dtmf_rx_on = r->dtmf_tx_on = r->via_dtmf = 0;
}

/* Idle, blocked by us or blocked by the far side: the state of a circuit without a call. */
void r2_settle(hl_r2_t *r) {
  r2_enter(r, r->blk_near ? HL_R2_ST_BLOCKED_LOCAL : r->blk_far ? HL_R2_ST_BLOCKED : HL_R2_ST_IDLE, 0);
}

/* A blocking changed (blk_near, blk_far already set): the circuit's state
 * follows, and the owner hears who did it. */
void r2_blocking(hl_r2_t *r, const char *by, int ev) {
  r2_settle(r);
  r->blk_by = by;
  r2_emit(r, ev);
}

void r2_go_idle(hl_r2_t *r) {
  int was = r->role != HL_R2_ROLE_NONE;
  r2_mfc_off(r);
  r->role = HL_R2_ROLE_NONE;
  if (r->blk_pending) { r->blk_pending = 0; r->blk_near = 1; }
  r2_line(r, r->blk_near ? HL_R2_BLOCKED : HL_R2_IDLE);
  int far = r2_rx_is(r, HL_R2_BLOCKED);
  r2_settle(r);
  if (was) { r2_emit(r, HL_R2_EV_IDLE); r->tracing = 0; }
  if (was && r->blk_near) { r->blk_by = "near"; r2_emit(r, HL_R2_EV_BLOCKED); }
  if (far && !r->blk_far) { r->blk_far = 1; r2_blocking(r, "far", HL_R2_EV_BLOCKED); }
}

/* Something went wrong: report it and release the line our side's way. */
void r2_fail(hl_r2_t *r, const char *reason) {
  r->reason = reason;
  r2_emit(r, HL_R2_EV_FAILED);
  r2_mfc_off(r);
  if (r->role == HL_R2_ROLE_FORWARD) {
    if (r->state == HL_R2_ST_SEIZE_SENT) { r2_go_idle(r); return; }
    r2_line(r, HL_R2_CLEAR_FORWARD);
    r2_enter(r, HL_R2_ST_CLEAR_FWD_SENT, r->v->release_ms);
  } else {
    r2_line(r, HL_R2_CLEAR_BACK);
    r2_enter(r, HL_R2_ST_CLEAR_BACK_SENT, r->v->release_ms);
  }
}

void hl_r2_rx_bits(hl_r2_t *r, int abcd) {
  int ab = abcd & 0xC;
  if (ab == r->rx_ab) return;
  r->rx_ab = ab;
  r2_trace(r, 1, HL_R2_TR_BITS, abcd & 0xF);
  const hl_r2_variant_t *v = r->v;
  switch (r->role) {
  case HL_R2_ROLE_NONE:
    if (r->state == HL_R2_ST_IDLE && r2_rx_is(r, HL_R2_SEIZE)) {
      r2_reset_call(r);
      r2_trace_start(r);
      r2_trace(r, 1, HL_R2_TR_BITS, abcd & 0xF);
      r->role = HL_R2_ROLE_BACKWARD;
      r2_line(r, HL_R2_SEIZE_ACK);
      r2_mfc_start(r);
      if (r->opts & HL_R2_OPT_DTMF_DETECT) {
        /* Both listen until the first signal: a DTMF digit makes it a DTMF call, an MF one an MFC/R2 call. */
        dtmf_rx_init(r->dtmf_rx, r2_on_dtmf, r);
        r->dtmf_rx_on = 1;
      }
      r2_enter(r, HL_R2_ST_SEIZED, v->fwd_wait_ms);
    } else if (r2_rx_is(r, HL_R2_BLOCKED) && !r->blk_far) {
      r->blk_far = 1;
      r2_blocking(r, "far", HL_R2_EV_BLOCKED);
    } else if (r2_rx_is(r, HL_R2_IDLE) && r->blk_far) {
      r->blk_far = 0;
      r2_blocking(r, "far", HL_R2_EV_UNBLOCKED);
    }
    /* A seizure of a circuit we block is not acknowledged: we keep sending
     * blocking (Q.421 4.2), so the far side's seize-ack timer releases it. */
    return;
  case HL_R2_ROLE_BACKWARD:
    if (!r2_rx_is(r, HL_R2_CLEAR_FORWARD)) return;
    if (r->state == HL_R2_ST_CLEAR_BACK_SENT || r->state == HL_R2_ST_REJECTING) { r2_go_idle(r); return; }
    if (r->state == HL_R2_ST_SEIZED || r->state == HL_R2_ST_COLLECTING) {
      r2_emit(r, HL_R2_EV_CANCELLED);
    } else {
      r->reason = "clear-forward";
      r2_emit(r, HL_R2_EV_FAR_CLEARED);
    }
    r2_go_idle(r);
    return;
  default:
    break;
  }
  /* forward */
  if (r->state == HL_R2_ST_CLEAR_FWD_SENT) { if (r2_rx_is(r, HL_R2_IDLE)) r2_go_idle(r); return; }
  if (r->state == HL_R2_ST_SEIZE_SENT && r2_rx_is(r, HL_R2_SEIZE_ACK)) {
    if (r->via_dtmf) { r2_enter(r, HL_R2_ST_SENDING, v->dtmf_start_ms); return; }   /* digits after a pause, no MF */
    r2_enter(r, HL_R2_ST_SENDING, 0);
    r2_mfc_start(r);
    r2_fwd_send_dnis(r);
    return;
  }
  if (r2_fwd_answered_bits(r)) return;            /* metering pulse or clear-back (r2_extras.c) */
  if (r->state == HL_R2_ST_SENDING && r->via_dtmf && r2_rx_is(r, HL_R2_ANSWER)) {
    /* A DTMF call has no group B: the answer may come while digits still go. */
    r2_mfc_off(r);
    r2_enter(r, HL_R2_ST_UP, 0);
    r2_emit(r, HL_R2_EV_ANSWERED);
    return;
  }
  if ((r->state == HL_R2_ST_RINGING || r->state == HL_R2_ST_AWAIT_GROUP_B) && r2_rx_is(r, HL_R2_ANSWER)) {
    /* Bits travel faster than tones: a group B heard but not yet released
     * counts before the answer that followed it. */
    if (r->state == HL_R2_ST_AWAIT_GROUP_B && r->pending) r2_fwd_tone_off(r);
    if (r->state != HL_R2_ST_RINGING && r->state != HL_R2_ST_AWAIT_GROUP_B) return;
    r2_mfc_off(r);
    r2_enter(r, HL_R2_ST_UP, 0);
    r2_emit(r, HL_R2_EV_ANSWERED);
    return;
  }
  if (r2_rx_is(r, HL_R2_IDLE) || (r->state == HL_R2_ST_UP && r2_rx_is(r, HL_R2_CLEAR_BACK)) || r2_rx_is(r, HL_R2_FORCED_RELEASE)) {
    r->reason = r2_rx_is(r, HL_R2_IDLE) ? "far-idle" : r2_rx_is(r, HL_R2_CLEAR_BACK) ? "clear-back" : "forced-release";
    r2_emit(r, HL_R2_EV_FAR_CLEARED);
    r2_mfc_off(r);
    if (r2_rx_is(r, HL_R2_IDLE)) { r2_go_idle(r); return; }
    r2_line(r, HL_R2_CLEAR_FORWARD);
    r2_enter(r, HL_R2_ST_CLEAR_FWD_SENT, v->release_ms);
  }
}

void hl_r2_tick(hl_r2_t *r, int64_t now) {
  r->now = now;
  if (r->tx_sig && r->tx_until && now >= r->tx_until) r2_mfc_silence(r);
  if (r->state == HL_R2_ST_UP && r->role == HL_R2_ROLE_BACKWARD) r2_bwd_answered_tick(r);
  if (r2_fwd_answered_tick(r)) return;
  if (r2_fwd_dtmf_sent(r)) return;
  if (!r->due || now < r->due) return;
  r->due = 0;
  if (r->role == HL_R2_ROLE_BACKWARD) r2_bwd_timeout(r);
  else if (r->role == HL_R2_ROLE_FORWARD) r2_fwd_timeout(r);
}

/* ---- life cycle ---- */

hl_r2_t *hl_r2_init(hl_r2_t *r, const hl_r2_variant_t *v, const hl_r2_io_t *io, void *user) {
  int mine = r == NULL;
  if (mine && !(r = calloc(1, sizeof *r))) return NULL;
  if (!mine) memset(r, 0, sizeof *r);
  r->v = v ? v : &hl_r2_variants[0];
  r->io = io;
  r->user = user;
  r->ani_mode = HL_R2_ANI_AFTER_DNIS;
  r->max_ani = 20;
  r->accept_ms = 2000;
  r->rx_fwd = r2_mf_rx_init(NULL, 1, r2_on_mf, r);
  r->rx_bwd = r2_mf_rx_init(NULL, 0, r2_on_mf, r);
  r->tx_fwd = r2_mf_tx_init(NULL, 1);
  r->tx_bwd = r2_mf_tx_init(NULL, 0);
  r->dtmf_rx = dtmf_rx_init(NULL, r2_on_dtmf, r);
  r->dtmf_tx = dtmf_tx_init(NULL);
  if (!r->rx_fwd || !r->rx_bwd || !r->tx_fwd || !r->tx_bwd || !r->dtmf_rx || !r->dtmf_tx) { hl_r2_release(r); if (mine) free(r); return NULL; }
  r->rx_ab = r->v->ab[HL_R2_IDLE];                   /* until the far side says otherwise */
  r2_reset_call(r);
  r2_line(r, HL_R2_IDLE);
  return r;
}

void hl_r2_release(hl_r2_t *r) {
  if (r->rx_fwd) r2_mf_rx_free(r->rx_fwd);
  if (r->rx_bwd) r2_mf_rx_free(r->rx_bwd);
  if (r->tx_fwd) r2_mf_tx_free(r->tx_fwd);
  if (r->tx_bwd) r2_mf_tx_free(r->tx_bwd);
  if (r->dtmf_rx) dtmf_rx_free(r->dtmf_rx);
  if (r->dtmf_tx) dtmf_tx_free(r->dtmf_tx);
  r->rx_fwd = r->rx_bwd = NULL;
  r->tx_fwd = r->tx_bwd = NULL;
  r->dtmf_rx = NULL;
  r->dtmf_tx = NULL;
}

void hl_r2_free(hl_r2_t *r) {
  if (!r) return;
  hl_r2_release(r);
  free(r);
}

int hl_r2_set_variant(hl_r2_t *r, const hl_r2_variant_t *v) {
  if (r->role != HL_R2_ROLE_NONE) return -EBUSY;
  r->v = v;
  r2_line(r, r->blk_near ? HL_R2_BLOCKED : HL_R2_IDLE);
  return 0;
}
