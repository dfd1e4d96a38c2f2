/* MFC/R2 compelled MF cycle, for both roles (see hl/r2.h). The forward holds
 * a signal until the backward answers with one, the forward then drops its
 * signal, the backward drops its answer, and the forward acts on that answer.
 * A silent forward (no more digits to send) is restarted by a pulsed backward
 * signal. Also the audio path: MF (and DTMF) in and out. */
#include "r2_int.h"
#include <string.h>

/* spandsp's characters for MF signals 1..15 */
static const char mf_codes[] = "1234567890BCDEF";

void r2_mfc_start(hl_r2_t *r) {
  /* A backward side hears forward signals and sends backward ones. */
  int back = r->role == HL_R2_ROLE_BACKWARD;
  if (back) { r2_mf_rx_init(r->rx_fwd, 1, r2_on_mf, r); r2_mf_tx_init(r->tx_bwd, 0); }
  else { r2_mf_rx_init(r->rx_bwd, 0, r2_on_mf, r); r2_mf_tx_init(r->tx_fwd, 1); }
  r->mf_on = 1;
  r->tx_sig = 0; r->tx_until = 0; r->rx_sig = 0; r->pending = 0;
}

static r2_mf_tx_state_t *txs(hl_r2_t *r) { return r->role == HL_R2_ROLE_BACKWARD ? r->tx_bwd : r->tx_fwd; }

void r2_mfc_send(hl_r2_t *r, int sig) {
  r2_trace(r, 0, r2_tr_group(r, 0), sig);
  r->tx_sig = sig;
  r->tx_until = 0;
  r2_mf_tx_put(txs(r), mf_codes[sig - 1]);
}

static void mf_pulse(hl_r2_t *r, int sig) {
  r2_mfc_send(r, sig);
  r->tx_until = r->now + r->v->pulse_ms;
}

void r2_mfc_silence(hl_r2_t *r) {
  if (!r->tx_sig) return;
  r->tx_sig = 0;
  r->tx_until = 0;
  r2_mf_tx_put(txs(r), 0);
}

void r2_mfc_off(hl_r2_t *r) {
  if (r->mf_on) r2_mfc_silence(r);
  r->mf_on = 0;
  r->rx_sig = 0;
  r->dtmf_rx_on = 0;
  r->dtmf_tx_on = 0;
}

void r2_append_digit(char *s, int *n, int sig) {
  if (*n >= 32) return;
  s[(*n)++] = (char)(sig == 10 ? '0' : '0' + sig);
  s[*n] = 0;
}

/* ---- backward (incoming) ---- */

/* The next group A request, and what it will bring. */
static int bwd_next(hl_r2_t *r) {
  const hl_r2_variant_t *v = r->v;
  int dnis_done = r->dnis_end || (r->max_dnis > 0 && r->ndnis >= r->max_dnis);
  /* Without the category request, ANI can be asked only where the variant
   * has a signal for it that the forward cannot take for anything else. */
  int skip = (r->opts & HL_R2_OPT_SKIP_CATEGORY) != 0;
  int want_ani = r->ani_mode != HL_R2_ANI_NONE && (!skip || v->a_ani_direct);
  int ani_done = r->ani_end || (r->max_ani > 0 && r->nani >= r->max_ani);
  int ani_time = dnis_done || (r->ani_mode == HL_R2_ANI_FIRST && r->ndnis >= 1);
  if (want_ani && !skip && !r->cat_asked && ani_time) {
    r->cat_asked = 1;
    r->expect = HL_R2_X_CATEGORY;
    return v->a_category;
  }
  if (want_ani && (skip ? ani_time : r->got_cat) && !ani_done) {
    r->expect = HL_R2_X_ANI;
    return skip ? v->a_ani_direct : v->a_next_ani;
  }
  if (!dnis_done) { r->expect = HL_R2_X_DNIS; return v->a_next_dnis; }
  r->expect = HL_R2_X_GROUP_II;
  return v->a_to_group_b;
}

/* The call is offered to the owner; with immediate accept, group B (or, by
 * DTMF, the accepted state) follows at once, before the owner decides. */
void r2_bwd_offer(hl_r2_t *r) {
  r2_enter(r, HL_R2_ST_OFFERED, r->accept_ms);
  r2_emit(r, HL_R2_EV_OFFERED);
  if ((r->opts & HL_R2_OPT_IMMEDIATE_ACCEPT) && r->state == HL_R2_ST_OFFERED) hl_r2_accept(r, 1);
}

static void bwd_tone(hl_r2_t *r, int sig) {
  const hl_r2_variant_t *v = r->v;
  if (r->state == HL_R2_ST_SEIZED) { r->state = HL_R2_ST_COLLECTING; r->expect = HL_R2_X_DNIS; r->dtmf_rx_on = 0; }
  if (r->state != HL_R2_ST_COLLECTING) return;
  if (r->tx_sig && r->tx_until) r2_mfc_silence(r);      /* our pulse is answered */
  switch (r->expect) {
  case HL_R2_X_DNIS:
    if (sig <= 10) r2_append_digit(r->dnis, &r->ndnis, sig);
    else r->dnis_end = 1;                             /* I-15 (or anything past the digits) ends it */
    break;
  case HL_R2_X_CATEGORY:
    r->category = sig;
    r->got_cat = 1;
    break;
  case HL_R2_X_ANI:
    if (sig <= 10) r2_append_digit(r->ani, &r->nani, sig);
    else { r->ani_end = 1; if (sig == v->i_ani_restricted) r->ani_restricted = 1; }
    break;
  case HL_R2_X_GROUP_II:
    /* The forward holds its category until our group B: the call is offered. */
    r->category = sig;
    r2_bwd_offer(r);
    return;
  default:
    return;
  }
  r2_mfc_send(r, bwd_next(r));
  r->due = r->now + v->mf_cycle_ms;                  /* the forward must drop its signal */
}

static void bwd_tone_off(hl_r2_t *r) {
  if (r->state == HL_R2_ST_COLLECTING && r->tx_sig && !r->tx_until) {
    r2_mfc_silence(r);
    /* Wait for the forward's next signal; silence ends an open-length DNIS. */
    r->due = r->now + (r->expect == HL_R2_X_DNIS ? r->v->dnis_gap_ms : r->v->mf_cycle_ms);
  } else if (r->state == HL_R2_ST_ACCEPTING) {
    r2_mfc_off(r);
    if (r->b_after == HL_R2_ST_ACCEPTED) {
      r2_enter(r, HL_R2_ST_ACCEPTED, 0);
      r2_emit(r, HL_R2_EV_ACCEPTED);
      if (r->answer_after_accept) hl_r2_answer(r);
    } else {
      r2_enter(r, HL_R2_ST_REJECTING, r->v->release_ms);  /* the forward clears */
    }
  } else if (r->state == HL_R2_ST_OFFERED) {
    r2_fail(r, "group-ii-dropped");
  }
}

void r2_bwd_timeout(hl_r2_t *r) {
  switch (r->state) {
  case HL_R2_ST_SEIZED:
    r2_fail(r, "no-digits");
    return;
  case HL_R2_ST_COLLECTING:
    if (r->expect == HL_R2_X_DTMF) {               /* the inter-digit silence ends a DTMF number */
      r->dtmf_rx_on = 0;
      r->category = 1;
      r2_bwd_offer(r);
      return;
    }
    if (!r->tx_sig && r->expect == HL_R2_X_DNIS && r->ndnis > 0) {
      /* A silent forward: its DNIS is over. Restart it with a pulsed request. */
      r->dnis_end = 1;
      mf_pulse(r, bwd_next(r));
      r->due = r->now + r->v->pulse_ms + r->v->mf_cycle_ms;
      return;
    }
    r2_fail(r, "mf-timeout");
    return;
  case HL_R2_ST_OFFERED:
    hl_r2_accept(r, 1);                              /* nobody decided: accept rather than lose it */
    return;
  case HL_R2_ST_ACCEPTING:
    r2_fail(r, "mf-timeout");
    return;
  default:                                           /* rejecting or clear-back sent: no clear-forward came */
    r2_go_idle(r);
    return;
  }
}

/* ---- forward (outgoing) ---- */

void r2_fwd_send_dnis(hl_r2_t *r) {
  r->fwd_mode = HL_R2_X_DNIS;
  char d = r->dnis[r->dnis_pos];
  if (d) { r->dnis_pos++; r2_mfc_send(r, d == '0' ? 10 : d - '0'); r->due = r->now + r->v->mf_cycle_ms; }
  else if (r->v->i_end_dnis) { r2_mfc_send(r, r->v->i_end_dnis); r->due = r->now + r->v->mf_cycle_ms; }
  else r->due = r->now + r->v->fwd_wait_ms;          /* nothing to say: wait for a pulsed request */
}

static void fwd_send_ani(hl_r2_t *r) {
  r->fwd_mode = HL_R2_X_ANI;
  char d = r->ani_exhausted ? 0 : r->ani[r->ani_pos];
  if (d) { r->ani_pos++; r2_mfc_send(r, d == '0' ? 10 : d - '0'); }
  else {
    r->ani_exhausted = 1;
    r2_mfc_send(r, r->ani_restricted && r->v->i_ani_restricted ? r->v->i_ani_restricted : r->v->i_end_ani);
  }
  r->due = r->now + r->v->mf_cycle_ms;
}

static void fwd_group_a(hl_r2_t *r, int sig) {
  const hl_r2_variant_t *v = r->v;
  if (sig == v->a_to_group_b) {
    r2_enter(r, HL_R2_ST_AWAIT_GROUP_B, v->fwd_wait_ms);   /* the backward may hold it while it decides */
    r2_mfc_send(r, r->category);                            /* group II */
    return;
  }
  if (sig == v->a_congestion) {
    r2_mfc_off(r);
    r->reason = "congestion";
    r2_emit(r, HL_R2_EV_REJECTED);
    r2_line(r, HL_R2_CLEAR_FORWARD);
    r2_enter(r, HL_R2_ST_CLEAR_FWD_SENT, v->release_ms);
    return;
  }
  if (!r->cat_sent && sig == v->a_category) {
    r->cat_sent = 1;
    r->fwd_mode = HL_R2_X_ANI;
    r2_mfc_send(r, r->category);
    r->due = r->now + v->mf_cycle_ms;
    return;
  }
  /* Once the category is out, a request for the next ANI digit is that, even
   * where it is the same signal as the next DNIS digit (China A-1): testing
   * DNIS first here is how openr2 1.3 answers China's ANI request with DNIS. */
  if (r->fwd_mode == HL_R2_X_ANI && sig == v->a_next_ani && !r->ani_exhausted) { fwd_send_ani(r); return; }
  if (v->a_ani_direct && sig == v->a_ani_direct) { fwd_send_ani(r); return; }
  if (sig == v->a_next_dnis) { r2_fwd_send_dnis(r); return; }
  if (sig == v->a_next_ani) { fwd_send_ani(r); return; }
  r2_fail(r, "unexpected-group-a");
}

static void fwd_group_b(hl_r2_t *r, int sig) {
  const hl_r2_variant_t *v = r->v;
  r2_mfc_off(r);
  if (sig == v->b_accept_charge || sig == v->b_accept_free) {
    r->charge = sig == v->b_accept_charge;
    r2_enter(r, HL_R2_ST_RINGING, v->answer_ms);
    r2_emit(r, HL_R2_EV_ACCEPTED);
    return;
  }
  r->reason = sig == v->b_busy ? "busy" : sig == v->b_congestion ? "congestion" :
              sig == v->b_unallocated ? "unallocated" : sig == v->b_out_of_order ? "out-of-order" : "rejected";
  r2_emit(r, HL_R2_EV_REJECTED);
  r2_line(r, HL_R2_CLEAR_FORWARD);
  r2_enter(r, HL_R2_ST_CLEAR_FWD_SENT, v->release_ms);
}

static void fwd_tone(hl_r2_t *r, int sig) {
  if (r->state != HL_R2_ST_SENDING && r->state != HL_R2_ST_AWAIT_GROUP_B) return;
  r2_mfc_silence(r);                                     /* compelled: answered, so drop ours */
  r->pending = sig;
  r->due = r->now + r->v->mf_cycle_ms;               /* the backward must drop its signal */
}

void r2_fwd_tone_off(hl_r2_t *r) {
  int sig = r->pending;
  r->pending = 0;
  if (!sig) return;
  if (r->state == HL_R2_ST_AWAIT_GROUP_B) fwd_group_b(r, sig);
  else if (r->state == HL_R2_ST_SENDING) fwd_group_a(r, sig);
}

void r2_fwd_timeout(hl_r2_t *r) {
  switch (r->state) {
  case HL_R2_ST_SEIZE_SENT: r2_fail(r, "no-seize-ack"); return;
  case HL_R2_ST_SENDING:
    if (r->via_dtmf && r->dnis_pos == 0) { r2_fwd_dtmf_start(r); return; }
    r2_fail(r, "mf-timeout");
    return;
  case HL_R2_ST_AWAIT_GROUP_B: r2_fail(r, "mf-timeout"); return;
  case HL_R2_ST_RINGING: r2_fail(r, "no-answer"); return;
  default: r2_go_idle(r); return;                      /* clear-forward sent and the backward stays seized */
  }
}

/* ---- both ---- */

void r2_on_mf(void *user, int code, int level, int delay) {
  hl_r2_t *r = user;
  if (!r->mf_on) return;
  int sig = 0;
  if (code) { const char *p = strchr(mf_codes, code); if (!p) return; sig = (int)(p - mf_codes) + 1; }
  int back = r->role == HL_R2_ROLE_BACKWARD;
  if (sig && sig != r->rx_sig) r2_trace(r, 1, r2_tr_group(r, 1), sig);
  if (r->rx_sig && sig != r->rx_sig) {
    r->rx_sig = 0;
    if (back) bwd_tone_off(r); else r2_fwd_tone_off(r);
  }
  if (sig && sig != r->rx_sig) {
    r->rx_sig = sig;
    if (back) bwd_tone(r, sig); else fwd_tone(r, sig);
  }
}

void hl_r2_rx(hl_r2_t *r, const int16_t amp[], int n) {
  if (r->dtmf_rx_on) dtmf_rx(r->dtmf_rx, amp, n);
  if (!r->mf_on) return;
  r2_mf_rx(r->role == HL_R2_ROLE_BACKWARD ? r->rx_fwd : r->rx_bwd, amp, n);
}

int hl_r2_tx_active(const hl_r2_t *r) { return (r->mf_on && r->tx_sig) || r->dtmf_tx_on; }

int hl_r2_tx(hl_r2_t *r, int16_t amp[], int n) {
  if (!hl_r2_tx_active(r)) return 0;
  int16_t buf[320];
  if (n > 320) n = 320;
  int got;
  if (r->dtmf_tx_on) {
    got = dtmf_tx(r->dtmf_tx, buf, n);
    if (got < n) r->dtmf_tx_on = 0;                 /* all digits out: hl_r2_tick moves on */
  } else {
    got = r2_mf_tx(txs(r), buf, n);
  }
  for (int i = 0; i < got; i++) {
    int32_t s = amp[i] + buf[i];
    amp[i] = (int16_t)(s > 32767 ? 32767 : s < -32768 ? -32768 : s);
  }
  return got > 0;
}
