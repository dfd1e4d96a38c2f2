/* MFC/R2 in one state machine for both roles (see hl/r2.h). The compelled
 * cycle: the forward holds a signal until the backward answers with one, the
 * forward then drops its signal, the backward drops its answer, and the forward
 * acts on that answer. A silent forward (no more digits to send) is restarted
 * by a pulsed backward signal. */
#include "hl/r2.h"
#include <stdlib.h>
#include <string.h>
#include <errno.h>
#include <stdio.h>

/* Line signal AB bits as Q.421: idle 10, seize 00, seize-ack 11, answer 01,
 * clear-back 11, clear-forward 10, blocked 11, forced release 00; a metering
 * pulse is a brief clear-back (11) during answer. */
#define R2_AB { 0x8, 0x0, 0xC, 0x4, 0xC, 0x8, 0xC, 0x0, 0xC }

const hl_r2_variant_t hl_r2_variants[] = {
  /* China No.1 (as openr2's "CN"): CD=11; A-6 asks the category, after which
   * A-1 asks the next ANI digit (the same signal as the next DNIS digit); no
   * end-of-DNIS signal, so the backward knows the length or hears silence.
   * Double answer: answer 400 ms, clear-back 400 ms, answer again. Metering
   * pulses are 150 ms clear-backs; the forward counts an excursion of up to
   * 300 ms as a pulse and takes one of 800 ms or more as the clear-back. */
  { .name = "china", .cd = 0x3, .ab = R2_AB,
    .a_next_dnis = 1, .a_next_ani = 1, .a_category = 6, .a_to_group_b = 3, .a_congestion = 4,
    .b_accept_charge = 1, .b_accept_free = 7, .b_busy = 2, .b_congestion = 4, .b_unallocated = 5, .b_out_of_order = 8,
    .i_end_dnis = 0, .i_end_ani = 15, .i_ani_restricted = 12,
    .seize_ack_ms = 2000, .mf_cycle_ms = 2000, .dnis_gap_ms = 3000, .pulse_ms = 150, .fwd_wait_ms = 15000,
    .answer_ms = 90000, .release_ms = 3000,
    .dbl_hold_ms = 400, .dbl_clear_ms = 400, .meter_pulse_ms = 150, .meter_max_ms = 300, .clear_back_min_ms = 800,
    .dtmf_start_ms = 500, .dtmf_on_ms = 80, .dtmf_off_ms = 80, .dtmf_gap_ms = 3000 },
  /* ITU-T Q.441: CD=01; A-5 asks the category first, then each ANI digit;
   * I-15 ends both DNIS and ANI. Q.421 has no metering; the double answer's
   * clear-back is tolerated as in China. */
  { .name = "itu", .cd = 0x1, .ab = R2_AB,
    .a_next_dnis = 1, .a_next_ani = 5, .a_category = 5, .a_to_group_b = 3, .a_congestion = 4,
    .b_accept_charge = 6, .b_accept_free = 7, .b_busy = 3, .b_congestion = 4, .b_unallocated = 5, .b_out_of_order = 8,
    .i_end_dnis = 15, .i_end_ani = 15, .i_ani_restricted = 12,
    .seize_ack_ms = 2000, .mf_cycle_ms = 2000, .dnis_gap_ms = 3000, .pulse_ms = 150, .fwd_wait_ms = 15000,
    .answer_ms = 90000, .release_ms = 3000,
    .dbl_hold_ms = 400, .dbl_clear_ms = 400, .meter_pulse_ms = 0, .meter_max_ms = 0, .clear_back_min_ms = 800,
    .dtmf_start_ms = 500, .dtmf_on_ms = 80, .dtmf_off_ms = 80, .dtmf_gap_ms = 3000 },
};
const int hl_r2_nvariants = sizeof hl_r2_variants / sizeof hl_r2_variants[0];

const hl_r2_variant_t *hl_r2_variant_find(const char *name) {
  for (int i = 0; i < hl_r2_nvariants; i++)
    if (strcmp(hl_r2_variants[i].name, name) == 0) return &hl_r2_variants[i];
  return NULL;
}

static const char *state_names[HL_R2_ST_COUNT] = {
  "idle", "blocked-remote", "blocked-local", "seized", "collecting", "offered", "accepting", "accepted", "rejecting",
  "clear-back-sent", "seize-sent", "sending", "await-group-b", "ringing", "clear-forward-sent", "up"
};
const char *hl_r2_state_name(int st) { return st >= 0 && st < HL_R2_ST_COUNT ? state_names[st] : "unknown"; }

/* spandsp's characters for MF signals 1..15 */
static const char mf_codes[] = "1234567890BCDEF";

/* ---- plumbing ---- */

static void trace(hl_r2_t *r, int rx, int kind, int val) {
  if (!r->tracing) return;
  hl_r2_trace_ent_t *t = &r->tr[r->tr_n++ % HL_R2_TRACE];
  t->ms = (int32_t)(r->now - r->tr_t0);
  t->rx = (uint8_t)rx;
  t->kind = (uint8_t)kind;
  t->val = (uint8_t)val;
}

static void trace_start(hl_r2_t *r) {
  r->tracing = 1;
  r->tr_n = 0;
  r->tr_t0 = r->now;
}

static void line(hl_r2_t *r, int sig) {
  int abcd = r->v->ab[sig] | r->v->cd;
  trace(r, 0, HL_R2_TR_BITS, abcd);
  r->io->set_bits(r->user, abcd);
}
static int rx_is(const hl_r2_t *r, int sig) { return r->rx_ab == r->v->ab[sig]; }
static void emit(hl_r2_t *r, int ev) { if (r->io->event) r->io->event(r->user, ev, r); }

/* An MF signal's group, from who sends it and the call's phase. */
static int mf_group(const hl_r2_t *r, int rx) {
  int fwd_signal = (r->role == HL_R2_ROLE_FORWARD) != rx;   /* sent by the forward side */
  if (fwd_signal) {
    int group_ii = r->role == HL_R2_ROLE_FORWARD ? r->state == HL_R2_ST_AWAIT_GROUP_B : r->expect == HL_R2_X_GROUP_II;
    return group_ii ? HL_R2_TR_II : HL_R2_TR_I;
  }
  int group_b = r->role == HL_R2_ROLE_FORWARD ? r->state == HL_R2_ST_AWAIT_GROUP_B : r->state == HL_R2_ST_OFFERED;
  return group_b ? HL_R2_TR_B : HL_R2_TR_A;
}

void hl_r2_trace_what(const hl_r2_trace_ent_t *t, char *out, int cap) {
  static const char *g[] = { "", "I", "II", "A", "B" };
  if (t->kind == HL_R2_TR_BITS)
    snprintf(out, (size_t)cap, "ABCD=%d%d%d%d", !!(t->val & 8), !!(t->val & 4), !!(t->val & 2), !!(t->val & 1));
  else
    snprintf(out, (size_t)cap, "%s-%d", t->kind <= HL_R2_TR_B ? g[t->kind] : "?", t->val);
}

static void enter(hl_r2_t *r, int st, int timeout_ms) {
  r->state = st;
  r->state_ms = r->now;
  r->due = timeout_ms > 0 ? r->now + timeout_ms : 0;
}

static void on_mf(void *user, int code, int level, int delay);

static void mf_start(hl_r2_t *r) {
  /* A backward side hears forward signals and sends backward ones. */
  int back = r->role == HL_R2_ROLE_BACKWARD;
  if (back) { r2_mf_rx_init(r->rx_fwd, 1, on_mf, r); r2_mf_tx_init(r->tx_bwd, 0); }
  else { r2_mf_rx_init(r->rx_bwd, 0, on_mf, r); r2_mf_tx_init(r->tx_fwd, 1); }
  r->mf_on = 1;
  r->tx_sig = 0; r->tx_until = 0; r->rx_sig = 0; r->pending = 0;
}

static r2_mf_tx_state_t *txs(hl_r2_t *r) { return r->role == HL_R2_ROLE_BACKWARD ? r->tx_bwd : r->tx_fwd; }

static void mf_send(hl_r2_t *r, int sig) {
  trace(r, 0, mf_group(r, 0), sig);
  r->tx_sig = sig;
  r->tx_until = 0;
  r2_mf_tx_put(txs(r), mf_codes[sig - 1]);
}

static void mf_pulse(hl_r2_t *r, int sig) {
  mf_send(r, sig);
  r->tx_until = r->now + r->v->pulse_ms;
}

static void mf_silence(hl_r2_t *r) {
  if (!r->tx_sig) return;
  r->tx_sig = 0;
  r->tx_until = 0;
  r2_mf_tx_put(txs(r), 0);
}

static void mf_off(hl_r2_t *r) {
  if (r->mf_on) mf_silence(r);
  r->mf_on = 0;
  r->rx_sig = 0;
  r->dtmf_rx_on = 0;
  r->dtmf_tx_on = 0;
}

static void reset_call(hl_r2_t *r) {
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
static void settle(hl_r2_t *r) {
  enter(r, r->blk_near ? HL_R2_ST_BLOCKED_LOCAL : r->blk_far ? HL_R2_ST_BLOCKED : HL_R2_ST_IDLE, 0);
}

static void go_idle(hl_r2_t *r) {
  int was = r->role != HL_R2_ROLE_NONE;
  mf_off(r);
  r->role = HL_R2_ROLE_NONE;
  if (r->blk_pending) { r->blk_pending = 0; r->blk_near = 1; }
  line(r, r->blk_near ? HL_R2_BLOCKED : HL_R2_IDLE);
  int far = rx_is(r, HL_R2_BLOCKED);
  settle(r);
  if (was) { emit(r, HL_R2_EV_IDLE); r->tracing = 0; }
  if (was && r->blk_near) { r->blk_by = "near"; emit(r, HL_R2_EV_BLOCKED); }
  if (far && !r->blk_far) { r->blk_far = 1; settle(r); r->blk_by = "far"; emit(r, HL_R2_EV_BLOCKED); }
}

/* Something went wrong: report it and release the line our side's way. */
static void fail(hl_r2_t *r, const char *reason) {
  r->reason = reason;
  emit(r, HL_R2_EV_FAILED);
  mf_off(r);
  if (r->role == HL_R2_ROLE_FORWARD) {
    if (r->state == HL_R2_ST_SEIZE_SENT) { go_idle(r); return; }
    line(r, HL_R2_CLEAR_FORWARD);
    enter(r, HL_R2_ST_CLEAR_FWD_SENT, r->v->release_ms);
  } else {
    line(r, HL_R2_CLEAR_BACK);
    enter(r, HL_R2_ST_CLEAR_BACK_SENT, r->v->release_ms);
  }
}

static void append(char *s, int *n, int sig) {
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
static void bwd_offer(hl_r2_t *r) {
  enter(r, HL_R2_ST_OFFERED, r->accept_ms);
  emit(r, HL_R2_EV_OFFERED);
  if ((r->opts & HL_R2_OPT_IMMEDIATE_ACCEPT) && r->state == HL_R2_ST_OFFERED) hl_r2_accept(r, 1);
}

/* DTMF digits of a DNIS (dtmf detection): the first one makes the call a DTMF
 * call (MF stops); each restarts the inter-digit timer; the number ends with
 * that silence or with the DNIS length the owner set. */
static void on_dtmf(void *user, const char *digits, int len) {
  hl_r2_t *r = user;
  if (!r->dtmf_rx_on) return;
  for (int i = 0; i < len && digits[i]; i++) {
    char d = digits[i];
    if (d < '0' || d > '9') continue;               /* a DNIS is digits; * # A-D mean nothing here */
    if (r->state == HL_R2_ST_SEIZED) {
      mf_off(r);
      r->dtmf_rx_on = 1;
      r->via_dtmf = 1;
      r->state = HL_R2_ST_COLLECTING;
      r->expect = HL_R2_X_DTMF;
    }
    if (r->state != HL_R2_ST_COLLECTING || r->expect != HL_R2_X_DTMF) return;
    append(r->dnis, &r->ndnis, d == '0' ? 10 : d - '0');
    r->due = r->now + r->v->dtmf_gap_ms;
    if (r->max_dnis > 0 && r->ndnis >= r->max_dnis) {
      r->dtmf_rx_on = 0;
      r->category = 1;                              /* no group II by DTMF: an ordinary subscriber */
      bwd_offer(r);
      return;
    }
  }
}

static void bwd_tone(hl_r2_t *r, int sig) {
  const hl_r2_variant_t *v = r->v;
  if (r->state == HL_R2_ST_SEIZED) { r->state = HL_R2_ST_COLLECTING; r->expect = HL_R2_X_DNIS; r->dtmf_rx_on = 0; }
  if (r->state != HL_R2_ST_COLLECTING) return;
  if (r->tx_sig && r->tx_until) mf_silence(r);      /* our pulse is answered */
  switch (r->expect) {
  case HL_R2_X_DNIS:
    if (sig <= 10) append(r->dnis, &r->ndnis, sig);
    else r->dnis_end = 1;                             /* I-15 (or anything past the digits) ends it */
    break;
  case HL_R2_X_CATEGORY:
    r->category = sig;
    r->got_cat = 1;
    break;
  case HL_R2_X_ANI:
    if (sig <= 10) append(r->ani, &r->nani, sig);
    else { r->ani_end = 1; if (sig == v->i_ani_restricted) r->ani_restricted = 1; }
    break;
  case HL_R2_X_GROUP_II:
    /* The forward holds its category until our group B: the call is offered. */
    r->category = sig;
    bwd_offer(r);
    return;
  default:
    return;
  }
  mf_send(r, bwd_next(r));
  r->due = r->now + v->mf_cycle_ms;                  /* the forward must drop its signal */
}

static void bwd_tone_off(hl_r2_t *r) {
  if (r->state == HL_R2_ST_COLLECTING && r->tx_sig && !r->tx_until) {
    mf_silence(r);
    /* Wait for the forward's next signal; silence ends an open-length DNIS. */
    r->due = r->now + (r->expect == HL_R2_X_DNIS ? r->v->dnis_gap_ms : r->v->mf_cycle_ms);
  } else if (r->state == HL_R2_ST_ACCEPTING) {
    mf_off(r);
    if (r->b_after == HL_R2_ST_ACCEPTED) {
      enter(r, HL_R2_ST_ACCEPTED, 0);
      emit(r, HL_R2_EV_ACCEPTED);
      if (r->answer_after_accept) hl_r2_answer(r);
    } else {
      enter(r, HL_R2_ST_REJECTING, r->v->release_ms);  /* the forward clears */
    }
  } else if (r->state == HL_R2_ST_OFFERED) {
    fail(r, "group-ii-dropped");
  }
}

static void bwd_timeout(hl_r2_t *r) {
  switch (r->state) {
  case HL_R2_ST_SEIZED:
    fail(r, "no-digits");
    return;
  case HL_R2_ST_COLLECTING:
    if (r->expect == HL_R2_X_DTMF) {               /* the inter-digit silence ends a DTMF number */
      r->dtmf_rx_on = 0;
      r->category = 1;
      bwd_offer(r);
      return;
    }
    if (!r->tx_sig && r->expect == HL_R2_X_DNIS && r->ndnis > 0) {
      /* A silent forward: its DNIS is over. Restart it with a pulsed request. */
      r->dnis_end = 1;
      mf_pulse(r, bwd_next(r));
      r->due = r->now + r->v->pulse_ms + r->v->mf_cycle_ms;
      return;
    }
    fail(r, "mf-timeout");
    return;
  case HL_R2_ST_OFFERED:
    hl_r2_accept(r, 1);                              /* nobody decided: accept rather than lose it */
    return;
  case HL_R2_ST_ACCEPTING:
    fail(r, "mf-timeout");
    return;
  default:                                           /* rejecting or clear-back sent: no clear-forward came */
    go_idle(r);
    return;
  }
}

/* ---- forward (outgoing) ---- */

static void fwd_send_dnis(hl_r2_t *r) {
  r->fwd_mode = HL_R2_X_DNIS;
  char d = r->dnis[r->dnis_pos];
  if (d) { r->dnis_pos++; mf_send(r, d == '0' ? 10 : d - '0'); r->due = r->now + r->v->mf_cycle_ms; }
  else if (r->v->i_end_dnis) { mf_send(r, r->v->i_end_dnis); r->due = r->now + r->v->mf_cycle_ms; }
  else r->due = r->now + r->v->fwd_wait_ms;          /* nothing to say: wait for a pulsed request */
}

static void fwd_send_ani(hl_r2_t *r) {
  r->fwd_mode = HL_R2_X_ANI;
  char d = r->ani_exhausted ? 0 : r->ani[r->ani_pos];
  if (d) { r->ani_pos++; mf_send(r, d == '0' ? 10 : d - '0'); }
  else {
    r->ani_exhausted = 1;
    mf_send(r, r->ani_restricted && r->v->i_ani_restricted ? r->v->i_ani_restricted : r->v->i_end_ani);
  }
  r->due = r->now + r->v->mf_cycle_ms;
}

static void fwd_group_a(hl_r2_t *r, int sig) {
  const hl_r2_variant_t *v = r->v;
  if (sig == v->a_to_group_b) {
    enter(r, HL_R2_ST_AWAIT_GROUP_B, v->fwd_wait_ms);   /* the backward may hold it while it decides */
    mf_send(r, r->category);                            /* group II */
    return;
  }
  if (sig == v->a_congestion) {
    mf_off(r);
    r->reason = "congestion";
    emit(r, HL_R2_EV_REJECTED);
    line(r, HL_R2_CLEAR_FORWARD);
    enter(r, HL_R2_ST_CLEAR_FWD_SENT, v->release_ms);
    return;
  }
  if (!r->cat_sent && sig == v->a_category) {
    r->cat_sent = 1;
    r->fwd_mode = HL_R2_X_ANI;
    mf_send(r, r->category);
    r->due = r->now + v->mf_cycle_ms;
    return;
  }
  /* Once the category is out, a request for the next ANI digit is that, even
   * where it is the same signal as the next DNIS digit (China A-1): testing
   * DNIS first here is how openr2 1.3 answers China's ANI request with DNIS. */
  if (r->fwd_mode == HL_R2_X_ANI && sig == v->a_next_ani && !r->ani_exhausted) { fwd_send_ani(r); return; }
  if (v->a_ani_direct && sig == v->a_ani_direct) { fwd_send_ani(r); return; }
  if (sig == v->a_next_dnis) { fwd_send_dnis(r); return; }
  if (sig == v->a_next_ani) { fwd_send_ani(r); return; }
  fail(r, "unexpected-group-a");
}

static void fwd_group_b(hl_r2_t *r, int sig) {
  const hl_r2_variant_t *v = r->v;
  mf_off(r);
  if (sig == v->b_accept_charge || sig == v->b_accept_free) {
    r->charge = sig == v->b_accept_charge;
    enter(r, HL_R2_ST_RINGING, v->answer_ms);
    emit(r, HL_R2_EV_ACCEPTED);
    return;
  }
  r->reason = sig == v->b_busy ? "busy" : sig == v->b_congestion ? "congestion" :
              sig == v->b_unallocated ? "unallocated" : sig == v->b_out_of_order ? "out-of-order" : "rejected";
  emit(r, HL_R2_EV_REJECTED);
  line(r, HL_R2_CLEAR_FORWARD);
  enter(r, HL_R2_ST_CLEAR_FWD_SENT, v->release_ms);
}

static void fwd_tone(hl_r2_t *r, int sig) {
  if (r->state != HL_R2_ST_SENDING && r->state != HL_R2_ST_AWAIT_GROUP_B) return;
  mf_silence(r);                                     /* compelled: answered, so drop ours */
  r->pending = sig;
  r->due = r->now + r->v->mf_cycle_ms;               /* the backward must drop its signal */
}

static void fwd_tone_off(hl_r2_t *r) {
  int sig = r->pending;
  r->pending = 0;
  if (!sig) return;
  if (r->state == HL_R2_ST_AWAIT_GROUP_B) fwd_group_b(r, sig);
  else if (r->state == HL_R2_ST_SENDING) fwd_group_a(r, sig);
}

/* DTMF dialing: the DNIS goes out as DTMF digits, once, after the seize-ack delay. */
static void fwd_dtmf_start(hl_r2_t *r) {
  const hl_r2_variant_t *v = r->v;
  dtmf_tx_init(r->dtmf_tx);
  dtmf_tx_set_timing(r->dtmf_tx, v->dtmf_on_ms, v->dtmf_off_ms);
  dtmf_tx_put(r->dtmf_tx, r->dnis, -1);
  r->dnis_pos = r->ndnis;
  r->dtmf_tx_on = 1;
  /* the digits' own time plus a margin: past it the sender is stuck */
  r->due = r->now + r->ndnis * (v->dtmf_on_ms + v->dtmf_off_ms) + v->mf_cycle_ms;
}

static void fwd_timeout(hl_r2_t *r) {
  switch (r->state) {
  case HL_R2_ST_SEIZE_SENT: fail(r, "no-seize-ack"); return;
  case HL_R2_ST_SENDING:
    if (r->via_dtmf && r->dnis_pos == 0) { fwd_dtmf_start(r); return; }
    fail(r, "mf-timeout");
    return;
  case HL_R2_ST_AWAIT_GROUP_B: fail(r, "mf-timeout"); return;
  case HL_R2_ST_RINGING: fail(r, "no-answer"); return;
  default: go_idle(r); return;                      /* clear-forward sent and the backward stays seized */
  }
}

/* ---- both ---- */

static void on_mf(void *user, int code, int level, int delay) {
  hl_r2_t *r = user;
  if (!r->mf_on) return;
  int sig = 0;
  if (code) { const char *p = strchr(mf_codes, code); if (!p) return; sig = (int)(p - mf_codes) + 1; }
  int back = r->role == HL_R2_ROLE_BACKWARD;
  if (sig && sig != r->rx_sig) trace(r, 1, mf_group(r, 1), sig);
  if (r->rx_sig && sig != r->rx_sig) {
    r->rx_sig = 0;
    if (back) bwd_tone_off(r); else fwd_tone_off(r);
  }
  if (sig && sig != r->rx_sig) {
    r->rx_sig = sig;
    if (back) bwd_tone(r, sig); else fwd_tone(r, sig);
  }
}

void hl_r2_rx_bits(hl_r2_t *r, int abcd) {
  int ab = abcd & 0xC;
  if (ab == r->rx_ab) return;
  r->rx_ab = ab;
  trace(r, 1, HL_R2_TR_BITS, abcd & 0xF);
  const hl_r2_variant_t *v = r->v;
  switch (r->role) {
  case HL_R2_ROLE_NONE:
    if (r->state == HL_R2_ST_IDLE && rx_is(r, HL_R2_SEIZE)) {
      reset_call(r);
      trace_start(r);
      trace(r, 1, HL_R2_TR_BITS, abcd & 0xF);
      r->role = HL_R2_ROLE_BACKWARD;
      line(r, HL_R2_SEIZE_ACK);
      mf_start(r);
      if (r->opts & HL_R2_OPT_DTMF_DETECT) {
        /* Both listen until the first signal: a DTMF digit makes it a DTMF call, an MF one an MFC/R2 call. */
        dtmf_rx_init(r->dtmf_rx, on_dtmf, r);
        r->dtmf_rx_on = 1;
      }
      enter(r, HL_R2_ST_SEIZED, v->fwd_wait_ms);
    } else if (rx_is(r, HL_R2_BLOCKED) && !r->blk_far) {
      r->blk_far = 1;
      settle(r);
      r->blk_by = "far";
      emit(r, HL_R2_EV_BLOCKED);
    } else if (rx_is(r, HL_R2_IDLE) && r->blk_far) {
      r->blk_far = 0;
      settle(r);
      r->blk_by = "far";
      emit(r, HL_R2_EV_UNBLOCKED);
    }
    /* A seizure of a circuit we block is not acknowledged: we keep sending
     * blocking (Q.421 4.2), so the far side's seize-ack timer releases it. */
    return;
  case HL_R2_ROLE_BACKWARD:
    if (!rx_is(r, HL_R2_CLEAR_FORWARD)) return;
    if (r->state == HL_R2_ST_CLEAR_BACK_SENT || r->state == HL_R2_ST_REJECTING) { go_idle(r); return; }
    if (r->state == HL_R2_ST_SEIZED || r->state == HL_R2_ST_COLLECTING) {
      emit(r, HL_R2_EV_CANCELLED);
    } else {
      r->reason = "clear-forward";
      emit(r, HL_R2_EV_FAR_CLEARED);
    }
    go_idle(r);
    return;
  default:
    break;
  }
  /* forward */
  if (r->state == HL_R2_ST_CLEAR_FWD_SENT) { if (rx_is(r, HL_R2_IDLE)) go_idle(r); return; }
  if (r->state == HL_R2_ST_SEIZE_SENT && rx_is(r, HL_R2_SEIZE_ACK)) {
    if (r->via_dtmf) { enter(r, HL_R2_ST_SENDING, v->dtmf_start_ms); return; }   /* digits after a pause, no MF */
    enter(r, HL_R2_ST_SENDING, 0);
    mf_start(r);
    fwd_send_dnis(r);
    return;
  }
  if (r->state == HL_R2_ST_UP && r->cb_at && rx_is(r, HL_R2_ANSWER)) {
    /* Back to answer after a brief excursion: a metering pulse when short
     * enough, else the clear-back of a double answer; neither ends the call. */
    int64_t held = r->now - r->cb_at;
    r->cb_at = r->cb_due = 0;
    if (v->meter_max_ms > 0 && held <= v->meter_max_ms) { r->meter_count++; emit(r, HL_R2_EV_METERED); }
    return;
  }
  if (r->state == HL_R2_ST_UP && !r->cb_at && v->clear_back_min_ms > 0 &&
      (rx_is(r, HL_R2_CLEAR_BACK) || rx_is(r, HL_R2_METER))) {
    r->cb_at = r->now;                               /* a clear-back only if it lasts (hl_r2_tick) */
    r->cb_due = r->now + v->clear_back_min_ms;
    return;
  }
  if (r->state == HL_R2_ST_SENDING && r->via_dtmf && rx_is(r, HL_R2_ANSWER)) {
    /* A DTMF call has no group B: the answer may come while digits still go. */
    mf_off(r);
    enter(r, HL_R2_ST_UP, 0);
    emit(r, HL_R2_EV_ANSWERED);
    return;
  }
  if ((r->state == HL_R2_ST_RINGING || r->state == HL_R2_ST_AWAIT_GROUP_B) && rx_is(r, HL_R2_ANSWER)) {
    /* Bits travel faster than tones: a group B heard but not yet released
     * counts before the answer that followed it. */
    if (r->state == HL_R2_ST_AWAIT_GROUP_B && r->pending) fwd_tone_off(r);
    if (r->state != HL_R2_ST_RINGING && r->state != HL_R2_ST_AWAIT_GROUP_B) return;
    mf_off(r);
    enter(r, HL_R2_ST_UP, 0);
    emit(r, HL_R2_EV_ANSWERED);
    return;
  }
  if (rx_is(r, HL_R2_IDLE) || (r->state == HL_R2_ST_UP && rx_is(r, HL_R2_CLEAR_BACK)) || rx_is(r, HL_R2_FORCED_RELEASE)) {
    r->reason = rx_is(r, HL_R2_IDLE) ? "far-idle" : rx_is(r, HL_R2_CLEAR_BACK) ? "clear-back" : "forced-release";
    emit(r, HL_R2_EV_FAR_CLEARED);
    mf_off(r);
    if (rx_is(r, HL_R2_IDLE)) { go_idle(r); return; }
    line(r, HL_R2_CLEAR_FORWARD);
    enter(r, HL_R2_ST_CLEAR_FWD_SENT, v->release_ms);
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

/* Backward, answered: the double answer's steps, then metering pulses (a
 * pulse is the variant's metering bits for meter_pulse_ms, and as long again
 * of answer before the next, so the forward sees each edge). */
static void bwd_answered_tick(hl_r2_t *r) {
  const hl_r2_variant_t *v = r->v;
  int64_t now = r->now;
  if (r->dbl_phase) {
    if (now < r->dbl_at) return;
    if (r->dbl_phase == 1) { line(r, HL_R2_CLEAR_BACK); r->dbl_phase = 2; r->dbl_at = now + v->dbl_clear_ms; }
    else { line(r, HL_R2_ANSWER); r->dbl_phase = 0; r->meter_at = now + v->meter_pulse_ms; }
    return;
  }
  if (!v->meter_pulse_ms) return;
  if (r->meter_every_ms > 0) {
    if (!r->meter_next) r->meter_next = now + r->meter_every_ms;
    else if (now >= r->meter_next) { r->meter_queue++; r->meter_next += r->meter_every_ms; }
  }
  if (r->meter_on && now >= r->meter_at) {
    line(r, HL_R2_ANSWER);
    r->meter_on = 0;
    r->meter_count++;
    r->meter_at = now + v->meter_pulse_ms;
  } else if (!r->meter_on && r->meter_queue > 0 && now >= r->meter_at) {
    line(r, HL_R2_METER);
    r->meter_on = 1;
    r->meter_queue--;
    r->meter_at = now + v->meter_pulse_ms;
  }
}

void hl_r2_tick(hl_r2_t *r, int64_t now) {
  r->now = now;
  if (r->tx_sig && r->tx_until && now >= r->tx_until) mf_silence(r);
  if (r->state == HL_R2_ST_UP && r->role == HL_R2_ROLE_BACKWARD) bwd_answered_tick(r);
  if (r->state == HL_R2_ST_UP && r->cb_due && now >= r->cb_due) {
    /* The answer bits stayed away: the called party cleared. */
    r->cb_at = r->cb_due = 0;
    r->reason = "clear-back";
    emit(r, HL_R2_EV_FAR_CLEARED);
    mf_off(r);
    line(r, HL_R2_CLEAR_FORWARD);
    enter(r, HL_R2_ST_CLEAR_FWD_SENT, r->v->release_ms);
    return;
  }
  if (r->state == HL_R2_ST_SENDING && r->via_dtmf && r->dnis_pos > 0 && !r->dtmf_tx_on) {
    /* The digits are out. DTMF dialing has no group B: the call counts as
     * accepted (free: nothing said otherwise) and rings until answered. */
    r->charge = 0;
    enter(r, HL_R2_ST_RINGING, r->v->answer_ms);
    emit(r, HL_R2_EV_ACCEPTED);
    return;
  }
  if (!r->due || now < r->due) return;
  r->due = 0;
  if (r->role == HL_R2_ROLE_BACKWARD) bwd_timeout(r);
  else if (r->role == HL_R2_ROLE_FORWARD) fwd_timeout(r);
}

/* ---- commands ---- */

static int digits_ok(const char *s, int max) {
  int n = 0;
  for (; *s; s++, n++) if (*s < '0' || *s > '9') return 0;
  return n <= max;
}

int hl_r2_call(hl_r2_t *r, const char *dnis, const char *ani, int category) {
  if (r->blk_near || r->blk_pending || r->blk_far) return -EACCES;
  if (r->state != HL_R2_ST_IDLE || r->role != HL_R2_ROLE_NONE) return -EBUSY;
  if (!rx_is(r, HL_R2_IDLE)) return -EBUSY;
  if (!dnis || !*dnis || !digits_ok(dnis, 32) || (ani && !digits_ok(ani, 32))) return -EINVAL;
  if (category < 0 || category > 15) return -EINVAL;
  reset_call(r);
  strcpy(r->dnis, dnis);
  r->ndnis = (int)strlen(dnis);
  strcpy(r->ani, ani ? ani : "");
  r->nani = (int)strlen(r->ani);
  r->category = category ? category : 1;
  r->via_dtmf = (r->opts & HL_R2_OPT_DTMF_DIAL) != 0;
  r->role = HL_R2_ROLE_FORWARD;
  trace_start(r);
  line(r, HL_R2_SEIZE);
  enter(r, HL_R2_ST_SEIZE_SENT, r->v->seize_ack_ms);
  return 0;
}

static int send_b(hl_r2_t *r, int sig, int after) {
  if (r->state != HL_R2_ST_OFFERED) return -EPERM;
  if (!sig) return -EINVAL;
  mf_send(r, sig);
  r->b_after = after;
  enter(r, HL_R2_ST_ACCEPTING, r->v->mf_cycle_ms);
  return 0;
}

int hl_r2_accept(hl_r2_t *r, int charge) {
  if (r->via_dtmf && r->role == HL_R2_ROLE_BACKWARD) {
    /* No MF, so no group B to send: the call is accepted where it stands. */
    if (r->state != HL_R2_ST_OFFERED) return -EPERM;
    r->charge = !!charge;
    enter(r, HL_R2_ST_ACCEPTED, 0);
    emit(r, HL_R2_EV_ACCEPTED);
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
    enter(r, HL_R2_ST_REJECTING, r->v->release_ms);
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
  line(r, HL_R2_ANSWER);
  enter(r, HL_R2_ST_UP, 0);
  if ((r->opts & HL_R2_OPT_DOUBLE_ANSWER) && r->v->dbl_hold_ms > 0) { r->dbl_phase = 1; r->dbl_at = r->now + r->v->dbl_hold_ms; }
  emit(r, HL_R2_EV_ANSWERED);
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
    mf_off(r);
    line(r, HL_R2_CLEAR_FORWARD);
    enter(r, HL_R2_ST_CLEAR_FWD_SENT, r->v->release_ms);
    return 0;
  case HL_R2_ROLE_BACKWARD:
    if (r->state == HL_R2_ST_CLEAR_BACK_SENT || r->state == HL_R2_ST_REJECTING) return 0;
    if (r->state == HL_R2_ST_OFFERED) return hl_r2_reject(r, "busy");
    if (r->state == HL_R2_ST_ACCEPTING) { r->answer_after_accept = 0; r->b_after = HL_R2_ST_REJECTING; return 0; }
    mf_off(r);
    line(r, HL_R2_CLEAR_BACK);
    enter(r, HL_R2_ST_CLEAR_BACK_SENT, r->v->release_ms);
    return 0;
  default:
    return -EPERM;
  }
}

int hl_r2_block(hl_r2_t *r) {
  if (r->blk_near || r->blk_pending) return r->blk_pending;
  if (r->role != HL_R2_ROLE_NONE) { r->blk_pending = 1; return 1; }
  r->blk_near = 1;
  line(r, HL_R2_BLOCKED);
  settle(r);
  r->blk_by = "near";
  emit(r, HL_R2_EV_BLOCKED);
  return 0;
}

int hl_r2_unblock(hl_r2_t *r) {
  if (r->blk_pending) { r->blk_pending = 0; return 0; }
  if (!r->blk_near) return -EALREADY;
  r->blk_near = 0;
  line(r, HL_R2_IDLE);
  settle(r);
  r->blk_by = "near";
  emit(r, HL_R2_EV_UNBLOCKED);
  return 0;
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
  r->rx_fwd = r2_mf_rx_init(NULL, 1, on_mf, r);
  r->rx_bwd = r2_mf_rx_init(NULL, 0, on_mf, r);
  r->tx_fwd = r2_mf_tx_init(NULL, 1);
  r->tx_bwd = r2_mf_tx_init(NULL, 0);
  r->dtmf_rx = dtmf_rx_init(NULL, on_dtmf, r);
  r->dtmf_tx = dtmf_tx_init(NULL);
  if (!r->rx_fwd || !r->rx_bwd || !r->tx_fwd || !r->tx_bwd || !r->dtmf_rx || !r->dtmf_tx) { hl_r2_release(r); if (mine) free(r); return NULL; }
  r->rx_ab = r->v->ab[HL_R2_IDLE];                   /* until the far side says otherwise */
  reset_call(r);
  line(r, HL_R2_IDLE);
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
  line(r, r->blk_near ? HL_R2_BLOCKED : HL_R2_IDLE);
  return 0;
}
