/* MFC/R2 commands from the owner: call, accept, reject, answer, meter,
 * hang up, block and unblock (see hl/r2.h). */
#include "r2_int.h"
#include <string.h>
#include <errno.h>

static int digits_ok(const char *s, int max) {
  int n = 0;
  for (; *s; s++, n++) if (*s < '0' || *s > '9') return 0;
  return n <= max;
}

int hl_r2_call(hl_r2_t *r, const char *dnis, const char *ani, int category) {
  if (r->blk_near || r->blk_pending || r->blk_far) return -EACCES;
  if (r->state != HL_R2_ST_IDLE || r->role != HL_R2_ROLE_NONE) return -EBUSY;
  if (!r2_rx_is(r, HL_R2_IDLE)) return -EBUSY;
  if (!dnis || !*dnis || !digits_ok(dnis, 32) || (ani && !digits_ok(ani, 32))) return -EINVAL;
  if (category < 0 || category > 15) return -EINVAL;
  r2_reset_call(r);
  strcpy(r->dnis, dnis);
  r->ndnis = (int)strlen(dnis);
  strcpy(r->ani, ani ? ani : "");
  r->nani = (int)strlen(r->ani);
  r->category = category ? category : 1;
  r->via_dtmf = (r->opts & HL_R2_OPT_DTMF_DIAL) != 0;
  r->role = HL_R2_ROLE_FORWARD;
  r2_trace_start(r);
  r2_line(r, HL_R2_SEIZE);
  r2_enter(r, HL_R2_ST_SEIZE_SENT, r->v->seize_ack_ms);
  return 0;
}

static int send_b(hl_r2_t *r, int sig, int after) {
  if (r->state != HL_R2_ST_OFFERED) return -EPERM;
  if (!sig) return -EINVAL;
  r2_mfc_send(r, sig);
  r->b_after = after;
  r2_enter(r, HL_R2_ST_ACCEPTING, r->v->mf_cycle_ms);
  return 0;
}

int hl_r2_accept(hl_r2_t *r, int charge) {
  if (r->via_dtmf && r->role == HL_R2_ROLE_BACKWARD) {
    /* No MF, so no group B to send: the call is accepted where it stands. */
    if (r->state != HL_R2_ST_OFFERED) return -EPERM;
    r->charge = !!charge;
    r2_enter(r, HL_R2_ST_ACCEPTED, 0);
    r2_emit(r, HL_R2_EV_ACCEPTED);
    if (r->answer_after_accept) hl_r2_answer(r);
    return 0;
  }
  r->charge = !!charge;
  return send_b(r, charge ? r->v->b_accept_charge : r->v->b_accept_free, HL_R2_ST_ACCEPTED);
}

int hl_r2_reject(hl_r2_t *r, const char *reason) {
  const hl_r2_variant_t *v = r->v;
  int b = !strcmp(reason, "busy") ? v->b_busy : !strcmp(reason, "congestion") ? v->b_congestion :
          !strcmp(reason, "unallocated") ? v->b_unallocated : !strcmp(reason, "out-of-order") ? v->b_out_of_order : 0;
  if (!b) return -EINVAL;
  if (r->via_dtmf && r->role == HL_R2_ROLE_BACKWARD) {
    /* No group B by DTMF: the forward learns it when the line goes idle
     * (release_ms later, or at once on its clear-forward). */
    if (r->state != HL_R2_ST_OFFERED) return -EPERM;
    r->reason = reason;
    r2_enter(r, HL_R2_ST_REJECTING, r->v->release_ms);
    return 0;
  }
  r->reason = reason;
  return send_b(r, b, HL_R2_ST_REJECTING);
}

int hl_r2_answer(hl_r2_t *r) {
  if (r->role != HL_R2_ROLE_BACKWARD) return -EPERM;
  if (r->state == HL_R2_ST_OFFERED) { r->answer_after_accept = 1; return hl_r2_accept(r, 1); }
  if (r->state == HL_R2_ST_ACCEPTING && r->b_after == HL_R2_ST_ACCEPTED) { r->answer_after_accept = 1; return 0; }
  if (r->state != HL_R2_ST_ACCEPTED) return -EPERM;
  r2_line(r, HL_R2_ANSWER);
  r2_enter(r, HL_R2_ST_UP, 0);
  if ((r->opts & HL_R2_OPT_DOUBLE_ANSWER) && r->v->dbl_hold_ms > 0) { r->dbl_phase = 1; r->dbl_at = r->now + r->v->dbl_hold_ms; }
  r2_emit(r, HL_R2_EV_ANSWERED);
  return 0;
}

int hl_r2_meter(hl_r2_t *r, int pulses) {
  if (r->role != HL_R2_ROLE_BACKWARD || r->state != HL_R2_ST_UP) return -EPERM;
  if (!r->v->meter_pulse_ms) return -ENOTSUP;
  if (pulses < 1 || pulses > 100) return -EINVAL;
  r->meter_queue += pulses;
  return 0;
}

int hl_r2_hangup(hl_r2_t *r) {
  switch (r->role) {
  case HL_R2_ROLE_FORWARD:
    if (r->state == HL_R2_ST_CLEAR_FWD_SENT) return 0;
    r2_mfc_off(r);
    r2_line(r, HL_R2_CLEAR_FORWARD);
    r2_enter(r, HL_R2_ST_CLEAR_FWD_SENT, r->v->release_ms);
    return 0;
  case HL_R2_ROLE_BACKWARD:
    if (r->state == HL_R2_ST_CLEAR_BACK_SENT || r->state == HL_R2_ST_REJECTING) return 0;
    if (r->state == HL_R2_ST_OFFERED) return hl_r2_reject(r, "busy");
    if (r->state == HL_R2_ST_ACCEPTING) { r->answer_after_accept = 0; r->b_after = HL_R2_ST_REJECTING; return 0; }
    r2_mfc_off(r);
    r2_line(r, HL_R2_CLEAR_BACK);
    r2_enter(r, HL_R2_ST_CLEAR_BACK_SENT, r->v->release_ms);
    return 0;
  default:
    return -EPERM;
  }
}

int hl_r2_block(hl_r2_t *r) {
  if (r->blk_near || r->blk_pending) return r->blk_pending;
  if (r->role != HL_R2_ROLE_NONE) { r->blk_pending = 1; return 1; }
  r->blk_near = 1;
  r2_line(r, HL_R2_BLOCKED);
  r2_blocking(r, "near", HL_R2_EV_BLOCKED);
  return 0;
}

int hl_r2_unblock(hl_r2_t *r) {
  if (r->blk_pending) { r->blk_pending = 0; return 0; }
  if (!r->blk_near) return -EALREADY;
  r->blk_near = 0;
  r2_line(r, HL_R2_IDLE);
  r2_blocking(r, "near", HL_R2_EV_UNBLOCKED);
  return 0;
}
