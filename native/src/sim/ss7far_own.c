/* The far end of an SS7 span on our own stack (hl/ss7.h) in the exchange
 * role: the adjacent signalling point of the virtual PSTN, China (24-bit
 * point codes) or ITU. It behaves as the libss7 far end does and reports the
 * same Sim* events: it answers the box's IAMs (ACM, ANM after a delay, or REL
 * with a cause, per circuit or per called-number rule), calls the box,
 * releases, resets (GRS), blocks (BLO, CGB) on command and acknowledges what
 * the box sends (the stack does that itself).
 *
 * The stack is a passive state machine with no clock of its own: it runs on
 * the sim's time, so this far end keeps up with any speed. Its memory is
 * taken in start and given back in stop; the tick path allocates nothing.
 *
 * The stack reports through a callback while it parses a frame or runs its
 * timers. The callback only records and emits; what the far end then does
 * (the outcome of an IAM, the called party answering) happens in the next
 * tick, so the stack is never entered from inside itself. */
#include "ss7far_own.h"
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <stdlib.h>

/* MSUs per tick until the span says otherwise (its tick passes the limit). */
#define OWN_TX_DEFAULT 4

/* The common record (ss7far_set_idle) and what this far end still had to decide. */
void own_set_idle(sim_ss7_t *x, int cic) {
  if (!ss7far_set_idle(x, cic)) return;
  own_t *o = own_of(x);
  if (o) o->decide[ss7span_ts_of_cic(x, cic)] = DEC_NONE;
}

void own_reset_range(sim_ss7_t *x, int first, int last) {
  for (int cic = first; cic <= last; cic++) {
    ss7_xcic_t *k = ss7far_xcic(x, cic);
    if (!k) continue;
    int was = k->st;
    own_set_idle(x, cic);
    if (was != XC_IDLE) ss7far_emit(x, "SimLineIdle", ss7span_chan_of_cic(x, cic), cic, "reason", "reset");
  }
}

/* ---- group events: gathered while the stack handles one message ---- */

static const struct { const char *name, *by; } ag_ev[AG_COUNT] = {
  [AG_RESET_NEAR] = { "SimCircuitReset", "near" }, [AG_RESET_FAR] = { "SimCircuitReset", "far" },
  [AG_BLK_NEAR] = { "SimCircuitBlocked", "near" }, [AG_UBL_NEAR] = { "SimCircuitUnblocked", "near" },
  [AG_BLK_FAR] = { "SimCircuitBlocked", "far" }, [AG_UBL_FAR] = { "SimCircuitUnblocked", "far" },
};

static void gather(own_t *o, int which, int cic) {
  if (!o->agg[which].first) { o->agg[which].first = o->agg[which].last = cic; return; }
  if (cic < o->agg[which].first) o->agg[which].first = cic;
  if (cic > o->agg[which].last) o->agg[which].last = cic;
}

static void flush(sim_ss7_t *x) {
  own_t *o = own_of(x);
  for (int i = 0; i < AG_COUNT; i++) {
    if (!o->agg[i].first) continue;
    ss7far_emit_range(x, ag_ev[i].name, o->agg[i].first, o->agg[i].last, ag_ev[i].by);
    o->agg[i].first = o->agg[i].last = 0;
  }
}

/* ---- the stack's events ---- */

static void on_offered(sim_ss7_t *x, const hl_ss7_event_t *e) {
  own_t *o = own_of(x);
  int ts = ss7span_ts_of_cic(x, e->cic);
  int ch = ss7span_chan_of_cic(x, e->cic);
  if (!ts) return;                  /* the stack only knows the span's circuits */
  if (!ch) {
    ss7far_emit(x, "SimSs7Error", 0, e->cic, "reason", "IAM for a CIC that has no bearer on this span");
    o->decide[ts] = DEC_NO_BEARER;
    return;
  }
  ss7_xcic_t *k = &x->cic[ts];
  k->st = XC_IN;
  k->answer_at = 0;
  /* ITU numbers may end with the ST digit; the stack drops it, a '#' may remain. */
  ss7far_called(o->called[ts], sizeof o->called[ts], e->called);
  ss7far_emit_received(x, ch, e->cic, o->called[ts], e->calling, e->presentation, e->nai, e->category);
  o->decide[ts] = DEC_OUTCOME;
}

/* The box released (REL): the stack has answered RLC and the circuit is idle. */
static void released_by_box(sim_ss7_t *x, int cic, int cause) {
  int ch = ss7span_chan_of_cic(x, cic);
  ss7far_emit_released(x, ch, cic, "near", cause);
  ss7_xcic_t *k = ss7far_xcic(x, cic);
  if (k) { k->cause = cause; own_set_idle(x, cic); ss7far_emit(x, "SimLineIdle", ch, cic, NULL, NULL); }
}

static void on_reset(sim_ss7_t *x, const hl_ss7_event_t *e, ss7_xcic_t *k) {
  own_t *o = own_of(x);
  if (e->by == HL_SS7_BLK_REMOTE) {
    /* The box reset the circuit (RSC, GRS): the call is gone, and so is its blocking. */
    own_reset_range(x, e->cic, e->cic);
    k->blk_near = 0;
    if (e->msg == HL_ISUP_GRS) gather(o, AG_RESET_NEAR, e->cic);
    else ss7far_emit_range(x, "SimCircuitReset", e->cic, e->cic, "near");
  } else {
    own_set_idle(x, e->cic);        /* our GRS (already forgotten) or RSC acknowledged */
    if (e->msg == HL_ISUP_GRA) gather(o, AG_RESET_FAR, e->cic);
    else ss7far_emit_range(x, "SimCircuitReset", e->cic, e->cic, "far");
  }
}

static void on_blocking(sim_ss7_t *x, const hl_ss7_event_t *e, ss7_xcic_t *k) {
  own_t *o = own_of(x);
  int block = e->type == HL_SS7_EV_BLOCKED;
  if (e->by == HL_SS7_BLK_REMOTE) {                 /* the box's blocking */
    k->blk_near = block;
    if (e->msg == HL_ISUP_CGB || e->msg == HL_ISUP_CGU) gather(o, block ? AG_BLK_NEAR : AG_UBL_NEAR, e->cic);
    else if (e->msg == HL_ISUP_BLO || e->msg == HL_ISUP_UBL)
      ss7far_emit_blocking(x, e->cic, e->cic, block, "near");
    /* else lifted by a reset or a call, or told in a GRA: those events say it */
  } else {                                          /* ours, acknowledged */
    k->blk_far = block;
    if (e->msg == HL_ISUP_CGBA || e->msg == HL_ISUP_CGUA) gather(o, block ? AG_BLK_FAR : AG_UBL_FAR, e->cic);
    else ss7far_emit_blocking(x, e->cic, e->cic, block, "far");
  }
}

static void cb_event(void *user, const hl_ss7_event_t *e) {
  sim_ss7_t *x = user;
  ss7_xcic_t *k = e->cic >= 0 ? ss7far_xcic(x, e->cic) : NULL;
  int ch = k ? ss7span_chan_of_cic(x, e->cic) : 0;
  switch (e->type) {
  case HL_SS7_EV_LINK_UP:
    if (!x->link_up) { x->link_up = 1; ss7far_emit(x, "SimSs7LinkUp", 0, 0, NULL, NULL); }
    break;
  case HL_SS7_EV_LINK_DOWN:
    if (x->link_up) {
      x->link_up = 0;
      ss7far_emit(x, "SimSs7LinkDown", 0, 0, "layer", e->reason == HL_SS7_DOWN_SLT ? "mtp3" : "mtp2");
    }
    break;
  case HL_SS7_EV_CALL_OFFERED: on_offered(x, e); break;
  case HL_SS7_EV_ALERTING:
    if (k && k->st == XC_OUT) { k->st = XC_OUT_ALERT; ss7far_emit(x, "SimCallAccepted", ch, e->cic, NULL, NULL); }
    break;
  case HL_SS7_EV_ANSWERED:
    if (k && (k->st == XC_OUT || k->st == XC_OUT_ALERT)) {
      k->st = XC_OUT_UP;
      ss7far_emit(x, "SimLineAnswered", ch, e->cic, "by", "near");
    }
    break;
  case HL_SS7_EV_FAR_RELEASED: released_by_box(x, e->cic, e->cause); break;
  case HL_SS7_EV_CALL_FAILED:
    if (!k) break;
    if (e->msg == HL_ISUP_IAM) {                    /* dual seizure: the box's IAM follows */
      ss7far_emit(x, "SimSs7Error", ch, e->cic, "reason", "dual seizure: the far end gave way");
      own_set_idle(x, e->cic);
    } else if (e->msg == HL_ISUP_REL) {
      released_by_box(x, e->cic, e->cause);
    } else {                                        /* T7/T9: the stack sent REL itself */
      k->st = XC_RELEASING;
      k->cause = e->cause;
      if (ch) x->sim->ch[ch - 1].far.talk_rate = 0;
      ss7far_emit_released(x, ch, e->cic, "far", e->cause);
    }
    break;
  case HL_SS7_EV_RELEASE_COMPLETE:
    if (k && k->st != XC_IDLE) { own_set_idle(x, e->cic); ss7far_emit(x, "SimLineIdle", ch, e->cic, NULL, NULL); }
    break;
  case HL_SS7_EV_RESET: if (k) on_reset(x, e, k); break;
  case HL_SS7_EV_BLOCKED:
  case HL_SS7_EV_UNBLOCKED: if (k) on_blocking(x, e, k); break;
  case HL_SS7_EV_ERROR:
    ss7far_emit(x, "SimSs7Error", 0, e->cic, "reason",
             e->msg == HL_ISUP_UCIC ? "the box says this CIC is unequipped" : e->text ? e->text : "error");
    break;
  default:                          /* MTP2 up (the link test follows), SAM, CPG */
    break;
  }
}

static int cb_tx(void *user, const uint8_t *su, int len) {
  sim_ss7_t *x = user;
  uint8_t b[HL_FRAME_MAX];
  if (len < 3 || len + HL_FCS_LEN > HL_FRAME_MAX) return -EINVAL;
  memcpy(b, su, (size_t)len);
  b[len] = b[len + 1] = 0;          /* room for the FCS its board computes */
  sim_ss7_to_box(x, b, len + HL_FCS_LEN);
  return len;
}

static const hl_ss7_io_t own_io = { cb_tx, cb_event };

/* ---- what the far end does between the stack's calls ---- */

static void apply_outcome(sim_ss7_t *x, own_t *o, int ts) {
  ss7_xcic_t *k = &x->cic[ts];
  int cic = x->conf.cic_first - 1 + ts;
  int ch = ss7span_chan_of_cic(x, cic);
  int after = 0;
  int out = ss7span_outcome_for(x, ts, o->called[ts], &after);
  int cause;
  const char *reason = ss7far_refusal(out, &cause);
  if (reason) {
    if (hl_ss7_release(o->s, cic, cause) < 0) return;
    k->st = XC_RELEASING;
    k->cause = cause;
    ss7far_emit_rejected(x, ch, cic, reason, cause);
    return;
  }
  if (hl_ss7_alert(o->s, cic) < 0) return;
  k->st = XC_IN_ALERT;
  k->answer_at = out == OUT_ANSWER ? x->sim->now + after : 0;
}

static void decide(sim_ss7_t *x, own_t *o) {
  for (int ts = 1; ts <= 31; ts++) {
    int d = o->decide[ts];
    if (!d) continue;
    int cic = x->conf.cic_first - 1 + ts;
    /* An ACM or REL the link cannot carry now waits for it. */
    if (!hl_ss7_is_up(o->s)) continue;
    o->decide[ts] = DEC_NONE;
    if (d == DEC_NO_BEARER) hl_ss7_release(o->s, cic, HL_SS7_CAUSE_NO_CIRCUIT);
    else if (x->cic[ts].st == XC_IN) apply_outcome(x, o, ts);
  }
}

/* The called party answers the box's calls when their time comes. */
static void answer_due(sim_ss7_t *x, own_t *o) {
  for (int ts = 1; ts <= 31; ts++) {
    ss7_xcic_t *k = &x->cic[ts];
    if (k->st != XC_IN_ALERT || !k->answer_at || x->sim->now < k->answer_at) continue;
    int cic = x->conf.cic_first - 1 + ts;
    int r = hl_ss7_answer(o->s, cic);
    if (r == -ENOLINK || r == -ENOBUFS) continue;   /* again at the next tick */
    k->answer_at = 0;
    if (r < 0) continue;
    k->st = XC_IN_UP;
    ss7far_emit(x, "SimLineAnswered", ss7span_chan_of_cic(x, cic), cic, "by", "far");
  }
}

/* ---- far-end ops ---- */

int own_prepare(sim_ss7_t *x, char *err, size_t errlen) {
  const hl_ss7_variant_t *v = hl_ss7_variant_find(x->conf.variant);
  if (!v) {
    snprintf(err, errlen, "span %d: our SS7 stack has no variant '%s' (itu, china)", x->span, x->conf.variant);
    return -EINVAL;
  }
  hl_ss7_config_t cfg;
  hl_ss7_config_default(&cfg);
  cfg.variant = v;
  cfg.opc = x->conf.far_pc;
  cfg.dpc = x->conf.box_pc;
  cfg.ni = x->conf.ni;
  cfg.cic_first = x->conf.cic_first;
  cfg.cic_count = 31;
  cfg.max_msu_per_tick = OWN_TX_DEFAULT;
  cfg.cause_location = 2;           /* public network serving the local user */
  own_t *o = calloc(1, sizeof *o);
  if (!o) { snprintf(err, errlen, "span %d: out of memory", x->span); return -ENOMEM; }
  o->s = hl_ss7_init(NULL, &cfg, &own_io, x);
  if (!o->s) {
    free(o);
    snprintf(err, errlen, "span %d: our SS7 stack refused the settings (%s: point codes of %d bits, CICs %d..%d)",
             x->span, v->name, v->pc_bits, x->conf.cic_first, x->conf.cic_first + 30);
    return -EINVAL;
  }
  x->far_state = o;
  x->link_up = 0;
  return 0;
}

void own_go(sim_ss7_t *x) {
  own_t *o = own_of(x);
  o->s->now = x->sim->now;          /* its timers count from the sim's time */
  hl_ss7_start(o->s);
}

static int own_start(sim_ss7_t *x, char *err, size_t errlen) {
  int r = own_prepare(x, err, errlen);
  if (r < 0) return r;
  own_go(x);
  return 0;
}

static void own_stop(sim_ss7_t *x) {
  own_t *o = own_of(x);
  if (!o) return;
  for (int ts = 1; ts <= 31; ts++) own_set_idle(x, x->conf.cic_first - 1 + ts);
  hl_ss7_free(o->s);
  free(o);
  x->far_state = NULL;
  x->link_up = 0;
}

static void own_rx(sim_ss7_t *x, const uint8_t *frame, int len) {
  own_t *o = own_of(x);
  hl_ss7_rx_frame(o->s, frame, len - HL_FCS_LEN);
  flush(x);
}

static void own_tick(sim_ss7_t *x, int max) {
  own_t *o = own_of(x);
  decide(x, o);
  answer_due(x, o);
  /* Each signal unit is a frame on the line: the span sets the pace. */
  o->s->cfg.max_msu_per_tick = max > 0 ? max : 1;
  hl_ss7_tick(o->s, x->sim->now);
  flush(x);
}

static void own_alarm(sim_ss7_t *x, int on) {
  hl_ss7_link_alarm(own_of(x)->s, on);
  flush(x);
}

const sim_far_ops_t sim_far_own = {
  .name = "own",
  .start = own_start,
  .stop = own_stop,
  .rx = own_rx,
  .tick = own_tick,
  .alarm = own_alarm,
  .command = own_command,
  .ss7cmd = own_ss7cmd,
  .real_time_only = 0,
};
