/* SS7 spans in the engine. A span's D-channel (timeslot 16) carries one
 * signalling link run by our SS7 stack (sig/ss7*.c); the stack's ISUP
 * circuits are the span's bearer timeslots, CIC = base + timeslot. Frames
 * cross the seam as DAHDI's HDLC gives them (signal unit + 2 FCS bytes); ISUP
 * events become the engine's call events on the bearer, the ones an R2
 * timeslot gives (CallOffered, CallAccepted, ChannelAnswered, ChannelHungUp,
 * DialFailed, CircuitBlocked...) with signalling "ss7" and the CIC. Link
 * events (Ss7LinkUp, Ss7LinkDown) are on the D-channel.
 *
 * The stack's memory is allocated when the engine is built; configuring it
 * (setSs7) initialises it in place on the media thread, so nothing allocates
 * while calls run.
 *
 * This file: the stack's events, the link (frames, tick, alarms) and binding;
 * commands (setSs7, calls, circuit actions) are in ss7sig_cmd.c. */
#include "core_int.h"
#include <string.h>
#include <stdio.h>
#include <stdlib.h>
#include <errno.h>

#define FCS_LEN 2
#define FRAMES_PER_TICK 64

static chan_t *bearer_of(hl_engine_t *e, chan_t *d, int cic) {
  int ts = cic - d->ss7_base;
  if (ts < 1 || ts > 31 || ts == 16 || !d->ss7_ts_chan[ts]) return NULL;
  return chan_get(e, d->ss7_ts_chan[ts]);
}

chan_t *ss7sig_dchan_of(hl_engine_t *e, const chan_t *b) {
  if (!b->ss7_dchan) return NULL;
  chan_t *d = chan_get(e, b->ss7_dchan);
  return d && d->ss7 && d->ss7_ready ? d : NULL;
}

static int generic_state(const hl_ss7_t *s, int cic) {
  int blk = hl_ss7_cic_blocked(s, cic);
  switch (hl_ss7_cic_state(s, cic)) {
  case HL_SS7_CIC_IDLE: return blk > 0 && (blk & (HL_SS7_BLK_LOCAL | HL_SS7_BLK_REMOTE)) ? HL_ST_BLOCKED : HL_ST_IDLE;
  case HL_SS7_CIC_IN_SETUP: case HL_SS7_CIC_IN_ALERTING: return HL_ST_OFFERED;
  case HL_SS7_CIC_OUT_SETUP: return HL_ST_DIALING;
  case HL_SS7_CIC_OUT_ALERTING: return HL_ST_OUTRING;
  case HL_SS7_CIC_ANSWERED: return HL_ST_UP;
  default: return HL_ST_HUNGUP;   /* releasing, reset pending */
  }
}

void ss7sig_sync_state(hl_engine_t *e, chan_t *d, chan_t *b) {
  int st = b->ss7_wait_until ? HL_ST_DIALING : generic_state(d->ss7, b->cic);
  if (st != b->st) chan_set_state(e, b, st);
  b->hook = st != HL_ST_IDLE && st != HL_ST_BLOCKED;
}

/* The bearer's signalling state for snapshots: blocking first (the panel's
 * circuit grid), else the ISUP circuit state. */
void sig_ss7_state_name(hl_engine_t *e, const chan_t *c, char *out, size_t cap) {
  if (c->info->kind == HL_KIND_DCHAN) {
    if (!c->ss7_ready) snprintf(out, cap, "unconfigured");
    else snprintf(out, cap, "%s", hl_ss7_is_up(c->ss7) ? "up" : hl_ss7_link_state_name(hl_ss7_link_state(c->ss7)));
    return;
  }
  chan_t *d = ss7sig_dchan_of(e, c);
  if (!d) { snprintf(out, cap, "unconfigured"); return; }
  int blk = hl_ss7_cic_blocked(d->ss7, c->cic);
  if (blk > 0 && (blk & HL_SS7_BLK_LOCAL)) snprintf(out, cap, "blocked-local");
  else if (blk > 0 && (blk & HL_SS7_BLK_REMOTE)) snprintf(out, cap, "blocked-remote");
  else snprintf(out, cap, "%s", hl_ss7_cic_state_name(hl_ss7_cic_state(d->ss7, c->cic)));
}

static int ss7_tx(void *user, const uint8_t *su, int len) {
  chan_t *d = user;
  hl_engine_t *e = d->e;
  uint8_t buf[HL_SS7_MSU_MAX + 16];
  if (len < 0 || len > (int)sizeof buf - FCS_LEN) return -EINVAL;
  memcpy(buf, su, (size_t)len);
  buf[len] = buf[len + 1] = 0;   /* room for the FCS the board computes */
  int rc = e->drv->ops->write_frame(e->drv->state, d->info->channo, buf, len + FCS_LEN);
  return rc == 0 ? -EAGAIN : rc;   /* 0: every transmit buffer busy */
}

/* The call's ISUP trace at idle, as Ss7Trace events shaped like R2Trace:
 * "ms>what" sent, "ms<what" received, space-separated (spaces in a message's
 * text become ':'). */
#define TRACE_PER_EVENT 16
static void emit_trace(hl_engine_t *e, chan_t *d, chan_t *b) {
  hl_ss7_trace_ent_t tr[HL_SS7_TRACE];
  int n = hl_ss7_trace(d->ss7, b->cic, tr, HL_SS7_TRACE);
  if (n <= 0) return;
  const hl_ss7_circuit_t *circ = hl_ss7_circuit(d->ss7, b->cic);
  int dropped = circ && circ->tr_n > n ? circ->tr_n - n : 0;
  int parts = (n + TRACE_PER_EVENT - 1) / TRACE_PER_EVENT;
  for (int p = 0; p < parts; p++) {
    char list[TRACE_PER_EVENT * 26 + 1];
    int len = 0;
    for (int i = p * TRACE_PER_EVENT; i < n && i < (p + 1) * TRACE_PER_EVENT; i++) {
      char what[24];
      hl_ss7_trace_what(&tr[i], what, sizeof what);
      for (char *q = what; *q; q++) if (*q == ' ') *q = ':';
      len += snprintf(list + len, sizeof list - (size_t)len, "%s%d%c%s", len ? " " : "", (int)tr[i].ms, tr[i].rx ? '<' : '>', what);
      if (len >= (int)sizeof list) { len = (int)sizeof list - 1; break; }
    }
    char buf[HL_EVENT_JSON];
    hl_jw_t w;
    ev_begin(e, &w, buf, "Ss7Trace", b->info->channo);
    hl_jw_int(&w, "cic", b->cic);
    hl_jw_int(&w, "part", p + 1);
    hl_jw_int(&w, "parts", parts);
    hl_jw_int(&w, "dropped", dropped);
    hl_jw_strn(&w, "entries", list, (size_t)len);
    ev_push(e, &w);
  }
}

static void to_idle(hl_engine_t *e, chan_t *d, chan_t *b) {
  chan_reset_media(e, b, "hangup");
  b->have_caller = 0;
  b->ss7_incoming = 0;
  emit_trace(e, d, b);
}

static const char *cause_text(int cause) {
  const char *n = hl_ss7_cause_name(cause);
  return n && n[0] ? n : "unspecified";
}

void ss7sig_hung_up(hl_engine_t *e, chan_t *b, const char *side, int cause, const char *why) {
  char buf[HL_EVENT_JSON];
  hl_jw_t w;
  ev_begin(e, &w, buf, "ChannelHungUp", b->info->channo);
  hl_jw_str(&w, "side", side);
  hl_jw_str(&w, "cause", why ? why : cause_text(cause));
  if (cause) hl_jw_int(&w, "causeValue", cause);
  ev_push(e, &w);
}

static void dial_failed(hl_engine_t *e, chan_t *b, const char *reason, int cause) {
  char buf[HL_EVENT_JSON];
  hl_jw_t w;
  ev_begin(e, &w, buf, "DialFailed", b->info->channo);
  hl_jw_str(&w, "reason", reason);
  if (cause) hl_jw_int(&w, "causeValue", cause);
  ev_push(e, &w);
}

/* Q.850 causes as the engine's reasons (the ones the supervisor knows from R2). */
static const char *reason_of(int cause) {
  switch (cause) {
  case HL_SS7_CAUSE_BUSY: return "busy";
  case HL_SS7_CAUSE_UNALLOCATED: case HL_SS7_CAUSE_INVALID_NUMBER: case HL_SS7_CAUSE_NUMBER_CHANGED: return "unallocated";
  case HL_SS7_CAUSE_NO_CIRCUIT: case HL_SS7_CAUSE_CONGESTION: case HL_SS7_CAUSE_TEMPORARY_FAILURE:
  case HL_SS7_CAUSE_NETWORK_OUT_OF_ORDER: return "congestion";
  case HL_SS7_CAUSE_OUT_OF_ORDER: return "out-of-order";
  case HL_SS7_CAUSE_NO_ANSWER: case HL_SS7_CAUSE_NO_USER_RESPONSE: return "no-answer";
  case HL_SS7_CAUSE_REJECTED: return "rejected";
  case HL_SS7_CAUSE_RECOVERY_ON_TIMER: return "timeout";
  default: return cause_text(cause);
  }
}

static void ss7_event(void *user, const hl_ss7_event_t *ev) {
  chan_t *d = user;
  hl_engine_t *e = d->e;
  char buf[HL_EVENT_JSON];
  hl_jw_t w;
  if (ev->type == HL_SS7_EV_LINK_UP || ev->type == HL_SS7_EV_LINK_DOWN) {
    ev_begin(e, &w, buf, ev->type == HL_SS7_EV_LINK_UP ? "Ss7LinkUp" : "Ss7LinkDown", d->info->channo);
    hl_jw_int(&w, "span", d->info->span);
    if (ev->type == HL_SS7_EV_LINK_DOWN) hl_jw_str(&w, "reason", hl_ss7_down_reason_name(ev->reason));
    ev_push(e, &w);
    return;
  }
  if (ev->type == HL_SS7_EV_MTP2_UP) return;
  chan_t *b = ev->cic >= 0 ? bearer_of(e, d, ev->cic) : NULL;
  if (ev->type == HL_SS7_EV_ERROR || !b) {
    /* Errors, and anything about a CIC with no bearer here, are logged with the circuit. */
    ev_begin(e, &w, buf, "Ss7Error", b ? b->info->channo : d->info->channo);
    hl_jw_int(&w, "span", d->info->span);
    hl_jw_int(&w, "cic", ev->cic);
    hl_jw_str(&w, "reason", ev->type == HL_SS7_EV_ERROR ? (ev->text ? ev->text : "error") : "no bearer for this CIC");
    if (ev->msg) hl_jw_str(&w, "message", hl_ss7_msg_name(ev->msg));
    if (ev->type != HL_SS7_EV_ERROR) hl_jw_str(&w, "event", hl_ss7_event_name(ev->type));
    ev_push(e, &w);
    /* A call offered on a CIC we carry no bearer for cannot be taken. */
    if (!b && ev->type == HL_SS7_EV_CALL_OFFERED) hl_ss7_release(d->ss7, ev->cic, HL_SS7_CAUSE_NO_CIRCUIT);
    if (b) ss7sig_sync_state(e, d, b);
    return;
  }
  int was = b->st;
  switch (ev->type) {
  case HL_SS7_EV_CALL_OFFERED:
    b->ss7_incoming = 1;
    memset(&b->caller, 0, sizeof b->caller);
    snprintf(b->caller.number, sizeof b->caller.number, "%s", ev->presentation == 1 ? "" : ev->calling);
    b->have_caller = b->caller.number[0] != 0;
    ev_begin(e, &w, buf, "CallOffered", b->info->channo);
    hl_jw_str(&w, "number", b->have_caller ? b->caller.number : NULL);
    hl_jw_str(&w, "signalling", "ss7");
    hl_jw_str(&w, "dnis", ev->called);
    hl_jw_str(&w, "ani", ev->calling[0] ? ev->calling : NULL);
    hl_jw_int(&w, "category", ev->category);
    if (ev->presentation == 1) hl_jw_bool(&w, "aniRestricted", 1);
    hl_jw_int(&w, "cic", ev->cic);
    ev_push(e, &w);
    break;
  case HL_SS7_EV_CALL_DIGITS:
    ev_begin(e, &w, buf, "CallDigitsReceived", b->info->channo);
    hl_jw_str(&w, "dnis", ev->called);
    hl_jw_str(&w, "digits", ev->digits);
    ev_push(e, &w);
    break;
  case HL_SS7_EV_ALERTING:
    ev_begin(e, &w, buf, "CallAccepted", b->info->channo);
    hl_jw_str(&w, "by", "far");
    hl_jw_str(&w, "signalling", "ss7");
    ev_push(e, &w);
    break;
  case HL_SS7_EV_PROGRESS:
    ev_begin(e, &w, buf, "CallProgress", b->info->channo);
    hl_jw_int(&w, "eventInfo", ev->event_info);
    ev_push(e, &w);
    break;
  case HL_SS7_EV_ANSWERED:
    b->dtmf_on = 1;
    ev_begin(e, &w, buf, "ChannelAnswered", b->info->channo);
    hl_jw_str(&w, "by", "far");
    ev_push(e, &w);
    break;
  case HL_SS7_EV_FAR_RELEASED:
    if (!b->ss7_incoming && was != HL_ST_UP) dial_failed(e, b, reason_of(ev->cause), ev->cause);
    else ss7sig_hung_up(e, b, "far", ev->cause, NULL);
    to_idle(e, d, b);
    break;
  case HL_SS7_EV_CALL_FAILED:
    dial_failed(e, b, ev->cause ? reason_of(ev->cause) : (ev->text ? ev->text : "failed"), ev->cause);
    to_idle(e, d, b);
    break;
  case HL_SS7_EV_RELEASE_COMPLETE:
    to_idle(e, d, b);
    break;
  case HL_SS7_EV_BLOCKED:
  case HL_SS7_EV_UNBLOCKED:
    ev_begin(e, &w, buf, ev->type == HL_SS7_EV_BLOCKED ? "CircuitBlocked" : "CircuitUnblocked", b->info->channo);
    hl_jw_str(&w, "by", ev->by == HL_SS7_BLK_REMOTE ? "far" : "near");
    ev_push(e, &w);
    break;
  case HL_SS7_EV_RESET:
    if (was != HL_ST_IDLE && was != HL_ST_BLOCKED && was != HL_ST_HUNGUP) ss7sig_hung_up(e, b, "far", 0, "reset");
    ev_begin(e, &w, buf, "CircuitReset", b->info->channo);
    hl_jw_str(&w, "by", ev->by == HL_SS7_BLK_REMOTE ? "far" : "near");
    ev_push(e, &w);
    if (was != HL_ST_IDLE && was != HL_ST_BLOCKED) to_idle(e, d, b);
    break;
  default:
    break;
  }
  ss7sig_sync_state(e, d, b);
}

const hl_ss7_io_t ss7sig_io = { ss7_tx, ss7_event };

/* Engine build: a D-channel gets its stack's memory when the board can carry
 * frames; the bearers of its span learn which D-channel signals them. */
int sig_ss7_open(hl_engine_t *e, chan_t *d) {
  if (!e->drv->ops->read_frame || !e->drv->ops->write_frame) return 0;
  hl_ss7_t *s = calloc(1, sizeof *s);
  if (!s) return -ENOMEM;
  sig_ss7_bind(e, d, s);
  return 0;
}

void sig_ss7_bind(hl_engine_t *e, chan_t *d, hl_ss7_t *s) {
  d->ss7 = s;
  d->ss7_ready = 0;
  d->ss7_base = 0;
  d->ss7_bad_frames = 0;
  memset(d->ss7_ts_chan, 0, sizeof d->ss7_ts_chan);
  for (int i = 0; i < e->nchans; i++) {
    chan_t *b = &e->ch[i];
    if (b->info->span != d->info->span || b->info->kind != HL_KIND_E1) continue;
    if (b->info->chanpos >= 1 && b->info->chanpos <= 31) {
      d->ss7_ts_chan[b->info->chanpos] = b->info->channo;
      b->ss7_dchan = d->info->channo;
      b->cic = 0;
    }
  }
}

hl_ss7_t *sig_ss7_unbind(hl_engine_t *e, chan_t *d) {
  hl_ss7_t *s = d->ss7;
  if (s && d->ss7_ready) hl_ss7_deinit(s);   /* sends nothing: the far end is re-laid too */
  for (int ts = 1; ts <= 31; ts++) {
    chan_t *b = d->ss7_ts_chan[ts] ? chan_get(e, d->ss7_ts_chan[ts]) : NULL;
    if (!b) continue;
    b->ss7_dchan = 0;
    b->cic = 0;
    b->ss7_incoming = 0;
    b->ss7_wait_until = 0;
  }
  memset(d->ss7_ts_chan, 0, sizeof d->ss7_ts_chan);
  d->ss7 = NULL;
  d->ss7_ready = 0;
  d->ss7_base = 0;
  return s;
}

void sig_ss7_close(chan_t *d) {
  if (!d->ss7) return;
  if (d->ss7_ready) hl_ss7_deinit(d->ss7);
  free(d->ss7);
  d->ss7 = NULL;
  d->ss7_ready = 0;
}

/* Calls waiting for the link: sent once it is up, failed at their deadline. */
static void waiting_calls(hl_engine_t *e, chan_t *d) {
  int up = hl_ss7_is_up(d->ss7);
  for (int ts = 1; ts <= 31; ts++) {
    chan_t *b = d->ss7_ts_chan[ts] ? chan_get(e, d->ss7_ts_chan[ts]) : NULL;
    if (!b || !b->ss7_wait_until) continue;
    if (up) {
      b->ss7_wait_until = 0;
      int rc = hl_ss7_call(d->ss7, b->cic, b->ss7_wait_called, b->ss7_wait_calling, HL_SS7_NAI_NATIONAL, 0, HL_SS7_CAT_ORDINARY);
      if (rc != 0) {
        dial_failed(e, b, rc == -EACCES ? "circuit-blocked" : "failed", 0);
        chan_reset_media(e, b, "hangup");
      }
      ss7sig_sync_state(e, d, b);
    } else if (e->now >= b->ss7_wait_until) {
      b->ss7_wait_until = 0;
      dial_failed(e, b, "link-down", 0);
      chan_reset_media(e, b, "hangup");
      ss7sig_sync_state(e, d, b);
    }
  }
}

/* Once per tick on a D-channel: frames in, then the stack's timers and output. */
void sig_ss7_tick(hl_engine_t *e, chan_t *d) {
  if (!d->ss7) return;
  uint8_t buf[HL_SS7_MSU_MAX + 16];
  for (int k = 0; k < FRAMES_PER_TICK; k++) {
    int n = e->drv->ops->read_frame(e->drv->state, d->info->channo, buf, sizeof buf);
    if (n <= 0) break;
    if (!d->ss7_ready) continue;
    if (n <= FCS_LEN) { d->ss7_bad_frames++; continue; }
    hl_ss7_rx_frame(d->ss7, buf, n - FCS_LEN);
  }
  if (d->ss7_ready) {
    hl_ss7_tick(d->ss7, e->now);
    waiting_calls(e, d);
  }
}

/* A board event on a D-channel: bad frames are counted; span alarms reach the link. */
void sig_ss7_event(hl_engine_t *e, chan_t *d, int ev) {
  if (ev == HL_EV_BADFCS || ev == HL_EV_ABORT || ev == HL_EV_OVERRUN) d->ss7_bad_frames++;
}

void sig_ss7_span_alarm(hl_engine_t *e, int span, int alarms) {
  int down = (alarms & (HL_ALARM_RED | HL_ALARM_BLUE | HL_ALARM_LOS)) != 0;
  for (int i = 0; i < e->nchans; i++) {
    chan_t *d = &e->ch[i];
    if (d->info->span == span && d->ss7 && d->ss7_ready) hl_ss7_link_alarm(d->ss7, down);
  }
}
