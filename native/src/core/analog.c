/* Analog signalling, apart from the hardware: an FXO port faces the exchange
 * (rings, caller ID, answer, outgoing seizure and dialing, disconnect
 * supervision); an FXS port faces a phone (dial tone, digits, ringing with a
 * caller-ID spill, flash). Both act only through the driver seam.
 * This file: the board's events and the tick; commands are in analog_cmd.c. */
#include "core_int.h"
#include <string.h>
#include <stdio.h>
#include <time.h>

#define RING_TIMEOUT_MS 6500       /* China: 4 s off plus margin; longer means the caller gave up */
#define CID_AFTER_RINGOFF_MS 400
#define OHT_MARGIN_MS 200          /* on-hook transmission held this long past the spill's end */
#define CID_TO_RING_MS 500         /* EN 300 659-1: ringing at least 200 ms after the spill */

void chan_set_state(hl_engine_t *e, chan_t *c, int st) {
  c->st = st;
  c->st_ms = e->now;
}

void analog_hook(hl_engine_t *e, chan_t *c, int op) {
  int r = e->drv->ops->hook(e->drv->state, c->info->channo, op);
  if (op == HL_ONHOOK || op == HL_OFFHOOK) { if (r >= 0) c->hook = op == HL_OFFHOOK; }
}

/* Caller ID to a phone that is on-hook. A SLIC's idle on-hook feed need not
 * pass audio: DAHDI_ONHOOKTRANSFER holds the line in on-hook transmission for
 * the time given, so the driver hears of it for the whole spill (chan_dahdi
 * does the same before an FSK message-waiting spill). */
static void fxs_spill(hl_engine_t *e, chan_t *c) {
  char dt[9] = "";
  time_t now = time(NULL);
  struct tm tm;
  localtime_r(&now, &tm);
  snprintf(dt, sizeof dt, "%02d%02d%02d%02d", tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min);
  if (hl_cid_tx_start(&c->cid_tx, c->ring_cid_std, c->ring_number, c->ring_name, dt) != 0) return;
  e->drv->ops->onhook_transfer(e->drv->state, c->info->channo, c->cid_tx.ms + OHT_MARGIN_MS);
}

/* The board rings the phone with the cadence asked for (none: the zone's). */
int analog_fxs_ring(hl_engine_t *e, chan_t *c) {
  int cad[2] = { c->ring_on_ms, c->ring_off_ms };
  int n = cad[0] > 0 && cad[1] > 0 ? 2 : 0;
  e->drv->ops->set_cadence(e->drv->state, c->info->channo, cad, n);
  return e->drv->ops->hook(e->drv->state, c->info->channo, HL_RING);
}

/* Caller ID ahead of ringing is over or abandoned: nothing more is scheduled
 * and the line's polarity is normal again. */
void analog_prering_end(hl_engine_t *e, chan_t *c) {
  c->prering = PRERING_NONE;
  if (c->reversed) {
    e->drv->ops->set_polarity(e->drv->state, c->info->channo, 0);
    c->reversed = 0;
  }
}

/* Before-ring caller ID (ETSI EN 300 659-1 without alerting, or led by a line
 * reversal): the spill, a pause, then the ringer. */
static void prering_tick(hl_engine_t *e, chan_t *c) {
  switch (c->prering) {
  case PRERING_WAIT:
    if (e->now < c->prering_due) return;
    fxs_spill(e, c);
    c->prering = PRERING_SPILL;
    return;
  case PRERING_SPILL:
    if (c->cid_tx.active) return;
    analog_prering_end(e, c);
    c->prering = PRERING_GAP;
    c->prering_due = e->now + CID_TO_RING_MS;
    return;
  case PRERING_GAP:
    if (e->now < c->prering_due) return;
    c->prering = PRERING_NONE;
    analog_fxs_ring(e, c);   /* refused only if the phone went off-hook meanwhile: its event answers the call */
    return;
  default:
    return;
  }
}

static void emit_caller(hl_engine_t *e, chan_t *c, const char *name) {
  char buf[HL_EVENT_JSON];
  hl_jw_t w;
  ev_begin(e, &w, buf, name, c->info->channo);
  hl_jw_int(&w, "rings", c->rings);
  if (c->have_caller) {
    hl_jw_str(&w, "standard", hl_cid_standard_name(c->caller.standard));
    hl_jw_str(&w, "number", c->caller.number);
    hl_jw_str(&w, "name", c->caller.has_name ? c->caller.name : NULL);
    hl_jw_str(&w, "datetime", c->caller.datetime[0] ? c->caller.datetime : NULL);
    if (c->caller.absence) { char a[2] = { c->caller.absence, 0 }; hl_jw_str(&w, "absence", a[0] == 'P' ? "private" : "unavailable"); }
  } else {
    hl_jw_str(&w, "number", NULL);
  }
  ev_push(e, &w);
}

void analog_hungup(hl_engine_t *e, chan_t *c, const char *side, const char *cause) {
  char buf[HL_EVENT_JSON];
  hl_jw_t w;
  ev_begin(e, &w, buf, "ChannelHungUp", c->info->channo);
  hl_jw_str(&w, "side", side);
  hl_jw_str(&w, "cause", cause);
  ev_push(e, &w);
}

/* Stops everything a channel is doing: prompts, tones, recording, links. */
void chan_reset_media(hl_engine_t *e, chan_t *c, const char *why) {
  c->cw_phase = CW_NONE;
  c->cw_tone_on = 0;
  play_stop_all(e, c, why);
  c->tone_id = -1;
  c->tone.prog = NULL;
  c->dtmf_tx_busy = 0;
  dtmf_tx_init(c->dtmf_tx);
  c->cid_tx.active = 0;
  c->cid_on = 0;
  c->tdet_on = 0;
  c->dtmf_on = 0;
  c->dial_waiting = 0;
  c->dial[0] = 0;
  if (c->rec) rec_stop(e, c);
  unlink_all(e, c);
}

void analog_to_idle(hl_engine_t *e, chan_t *c) {
  chan_reset_media(e, c, "hangup");
  analog_prering_end(e, c);
  c->rings = 0;
  c->ring_active = 0;
  c->have_caller = 0;
  c->ringer_on = 0;
  c->ringer_cycles = 0;
  c->cid_due_ms = 0;
  chan_set_state(e, c, HL_ST_IDLE);
  if (c->info->kind == HL_KIND_FXO) {
    /* An idle exchange line listens for caller ID that may come before the ring. */
    hl_cid_rx_set_mask(&c->cid, c->cid_mode == HL_CID_AUTO ? 0xE : (c->cid_mode ? 1 << c->cid_mode : 0));
    c->cid_on = c->cid_mode != HL_CID_NONE;
  }
}

static void far_hangup(hl_engine_t *e, chan_t *c, const char *cause) {
  analog_hungup(e, c, "far", cause);
  if (c->info->kind == HL_KIND_FXO) analog_hook(e, c, HL_ONHOOK);
  analog_to_idle(e, c);
}

static void offer(hl_engine_t *e, chan_t *c) {
  chan_set_state(e, c, HL_ST_OFFERED);
  emit_caller(e, c, "CallOffered");
}

static void start_dialing(hl_engine_t *e, chan_t *c) {
  c->dial_waiting = 0;
  hl_tonedet_set_dial_ms(c->tdet, 0);
  chan_set_state(e, c, HL_ST_DIALING);
  if (c->dial_pulse) {
    char s[70];
    snprintf(s, sizeof s, "P%s", c->dial);
    int r = e->drv->ops->dial(e->drv->state, c->info->channo, s);
    if (r < 0) { analog_hungup(e, c, "near", "dial-failed"); analog_hook(e, c, HL_ONHOOK); analog_to_idle(e, c); return; }
    c->pulse_dialing = 1;
  } else {
    dtmf_tx_put(c->dtmf_tx, c->dial, -1);
    c->dtmf_tx_busy = 1;
  }
}

static void dial_completed(hl_engine_t *e, chan_t *c) {
  char buf[HL_EVENT_JSON];
  hl_jw_t w;
  ev_begin(e, &w, buf, "DialCompleted", c->info->channo);
  hl_jw_str(&w, "digits", c->dial);
  ev_push(e, &w);
  c->dial[0] = 0;
  chan_set_state(e, c, HL_ST_OUTRING);
  c->dtmf_on = 1;
}

/* ---- events from the driver ---- */

static void fxo_event(hl_engine_t *e, chan_t *c, int ev) {
  switch (ev) {
  case HL_EV_RINGBEGIN:
    if (c->st != HL_ST_IDLE && c->st != HL_ST_RINGING && c->st != HL_ST_OFFERED) return;
    c->rings++;
    c->last_ring_ms = e->now;
    c->ring_active = 1;
    {
      char buf[HL_EVENT_JSON];
      hl_jw_t w;
      ev_begin(e, &w, buf, "RingStarted", c->info->channo);
      hl_jw_int(&w, "ring", c->rings);
      ev_push(e, &w);
    }
    if (c->st == HL_ST_IDLE) chan_set_state(e, c, HL_ST_RINGING);
    /* Caller ID that came before the ring, or none by the second ring: offer now. */
    if (c->st == HL_ST_RINGING && (c->have_caller || c->rings >= 2 || c->cid_mode == HL_CID_NONE)) offer(e, c);
    break;
  case HL_EV_RINGOFFHOOK:
    c->ring_active = 0;
    c->last_ring_ms = e->now;
    break;
  case HL_EV_POLARITY:
    if (c->st == HL_ST_UP && (c->disc & HL_DISC_POLARITY)) far_hangup(e, c, "polarity");
    else if (c->st == HL_ST_OUTRING || c->st == HL_ST_DIALING) {
      /* Answer supervision by polarity reversal. */
      chan_set_state(e, c, HL_ST_UP);
      char buf[HL_EVENT_JSON]; hl_jw_t w;
      ev_begin(e, &w, buf, "ChannelAnswered", c->info->channo);
      hl_jw_str(&w, "by", "polarity");
      ev_push(e, &w);
    }
    break;
  case HL_EV_ONHOOK:
    /* Loop current dropped: the exchange cleared the call. */
    if (c->hook && (c->disc & HL_DISC_LOOP)) far_hangup(e, c, "loop");
    break;
  case HL_EV_DIALCOMPLETE:
    if (c->pulse_dialing) { c->pulse_dialing = 0; dial_completed(e, c); }
    break;
  default:
    break;
  }
}

static void fxs_event(hl_engine_t *e, chan_t *c, int ev) {
  char buf[HL_EVENT_JSON];
  hl_jw_t w;
  if (ev & HL_EV_PULSEDIGIT) {
    if (c->st == HL_ST_DIALTONE) { c->tone.prog = NULL; c->tone_id = -1; chan_set_state(e, c, HL_ST_DIALING); }
    ev_begin(e, &w, buf, "PulseDigitReceived", c->info->channo);
    char d[2] = { (char)(ev & 0xFF), 0 };
    hl_jw_str(&w, "digit", d);
    ev_push(e, &w);
    return;
  }
  switch (ev) {
  case HL_EV_RINGOFFHOOK:
    if (c->st == HL_ST_RINGING) {
      analog_hook(e, c, HL_OFFHOOK);    /* trip the ring */
      analog_prering_end(e, c);
      c->cid_tx.active = 0;
      c->cid_due_ms = 0;
      chan_set_state(e, c, HL_ST_UP);
      c->dtmf_on = 1;
      ev_begin(e, &w, buf, "ChannelAnswered", c->info->channo);
      hl_jw_str(&w, "by", "phone");
      hl_jw_int(&w, "rings", c->ringer_cycles);
      ev_push(e, &w);
      return;
    }
    analog_hook(e, c, HL_OFFHOOK);
    chan_set_state(e, c, HL_ST_DIALTONE);
    c->dtmf_on = 1;
    c->tone_id = c->mwi ? HL_ZT_STUTTER : HL_ZT_DIAL;
    if (!e->zone.tones[c->tone_id].nseg) c->tone_id = HL_ZT_DIAL;
    hl_tonegen_start(&c->tone, &e->zone.tones[c->tone_id], e->zone.level_dbm0);
    ev_begin(e, &w, buf, "HookChanged", c->info->channo);
    hl_jw_bool(&w, "offhook", 1);
    ev_push(e, &w);
    break;
  case HL_EV_ONHOOK: {
    int in_call = c->st == HL_ST_UP || c->bridge || c->conf;
    analog_hook(e, c, HL_ONHOOK);
    ev_begin(e, &w, buf, "HookChanged", c->info->channo);
    hl_jw_bool(&w, "offhook", 0);
    ev_push(e, &w);
    if (in_call) analog_hungup(e, c, "far", "onhook");
    analog_to_idle(e, c);
    break;
  }
  case HL_EV_WINKFLASH:
    ev_simple(e, "HookFlashed", c->info->channo);
    break;
  case HL_EV_RINGERON:
    c->ringer_on = 1;
    c->ringer_cycles++;
    break;
  case HL_EV_RINGEROFF:
    c->ringer_on = 0;
    if (c->st == HL_ST_RINGING && c->ringer_cycles == 1 && c->ring_cid_std != HL_CID_NONE &&
        c->ring_cid_when == HL_CIDWHEN_AFTER_FIRST_RING)
      c->cid_due_ms = e->now + CID_AFTER_RINGOFF_MS;
    break;
  default:
    break;
  }
}

void sig_event(hl_engine_t *e, chan_t *c, int ev) {
  if (ev == HL_EV_ALARM || ev == HL_EV_NOALARM) {
    int span = c->info->span;
    int a = e->drv->ops->span_alarms(e->drv->state, span);
    if (a < 0) a = ev == HL_EV_ALARM ? HL_ALARM_RED : 0;
    if (a != e->span_alarm[span]) {
      e->span_alarm[span] = a;
      char buf[HL_EVENT_JSON]; hl_jw_t w;
      ev_begin(e, &w, buf, "SpanAlarmChanged", 0);
      hl_jw_int(&w, "span", span);
      hl_jw_int(&w, "alarms", a);
      hl_jw_bool(&w, "red", a & HL_ALARM_RED);
      hl_jw_bool(&w, "yellow", a & HL_ALARM_YELLOW);
      hl_jw_bool(&w, "blue", a & HL_ALARM_BLUE);
      ev_push(e, &w);
      sig_ss7_span_alarm(e, span, a);
    }
    return;
  }
  if (c->info->kind == HL_KIND_FXO) fxo_event(e, c, ev);
  else if (c->info->kind == HL_KIND_FXS) fxs_event(e, c, ev);
  else if (c->r2) sig_r2_event(e, c, ev);
  else if (c->info->kind == HL_KIND_DCHAN) sig_ss7_event(e, c, ev);
}

void sig_dtmf(hl_engine_t *e, chan_t *c, int digit, int duration_ms) {
  if (c->info->kind == HL_KIND_FXS && c->st == HL_ST_DIALTONE) {
    c->tone.prog = NULL; c->tone_id = -1;
    chan_set_state(e, c, HL_ST_DIALING);
  }
  char buf[HL_EVENT_JSON]; hl_jw_t w;
  ev_begin(e, &w, buf, "DtmfReceived", c->info->channo);
  char d[2] = { (char)digit, 0 };
  hl_jw_str(&w, "digit", d);
  hl_jw_int(&w, "durationMs", duration_ms);
  ev_push(e, &w);
}

void sig_tone(hl_engine_t *e, chan_t *c, const hl_tone_report_t *r) {
  char buf[HL_EVENT_JSON]; hl_jw_t w;
  ev_begin(e, &w, buf, "ToneDetected", c->info->channo);
  hl_jw_str(&w, "tone", hl_tone_name(r->tone));
  hl_jw_int(&w, "onMs", r->on_ms);
  hl_jw_int(&w, "offMs", r->off_ms);
  ev_push(e, &w);
  if (c->info->kind != HL_KIND_FXO) return;
  /* Stutter dial tone is dial tone with messages waiting on our own line. */
  if (c->dial_waiting && (r->tone == HL_TONE_DIAL || r->tone == HL_TONE_STUTTER)) { start_dialing(e, c); return; }
  if ((c->st == HL_ST_UP || c->st == HL_ST_OUTRING) &&
      ((r->tone == HL_TONE_BUSY && (c->disc & HL_DISC_BUSY)) ||
       (r->tone == HL_TONE_CONGESTION && (c->disc & HL_DISC_CONGESTION)) ||
       (r->tone == HL_TONE_LEARNED && (c->disc & HL_DISC_BUSY))))
    far_hangup(e, c, r->tone == HL_TONE_CONGESTION ? "congestion" : "busy");
  /* Dial tone just after we answered: the caller left at that moment and we
   * seized an idle line. Only then: later in a call a steady tone near 450 Hz
   * may be anything (music, a held note), and loop or tones clear the call. */
  else if (c->st == HL_ST_UP && e->now - c->st_ms < 5000 && (r->tone == HL_TONE_DIAL || r->tone == HL_TONE_STUTTER) &&
           (c->disc & (HL_DISC_BUSY | HL_DISC_CONGESTION)))
    far_hangup(e, c, "dialtone");
}

/* Timers, once per block. */
void sig_tick(hl_engine_t *e, chan_t *c) {
  if (c->r2) {
    sig_r2_tick(e, c);
  } else if (c->info->kind == HL_KIND_FXO) {
    if (c->cid_on) {
      hl_cid_t cid;
      if (hl_cid_rx_take(&c->cid, &cid)) {
        c->caller = cid;
        c->have_caller = 1;
        c->caller_ms = e->now;
        emit_caller(e, c, "CallerIdReceived");
        if (c->st == HL_ST_RINGING && c->rings >= 1) offer(e, c);
      }
    }
    if ((c->st == HL_ST_RINGING || c->st == HL_ST_OFFERED) && !c->ring_active &&
        e->now - c->last_ring_ms > RING_TIMEOUT_MS) {
      /* No further ring: the caller hung up before we answered. */
      emit_caller(e, c, "CallCancelled");
      analog_to_idle(e, c);
      return;
    }
    if (c->st == HL_ST_IDLE && c->have_caller && e->now - c->caller_ms > 15000) {
      /* Caller ID without a ring that followed: forget it. */
      c->have_caller = 0;
    }
    if (c->dial_waiting && e->now >= c->dial_deadline) {
      if (c->dial_wait_ms > 0) {
        char buf[HL_EVENT_JSON]; hl_jw_t w;
        ev_begin(e, &w, buf, "DialFailed", c->info->channo);
        hl_jw_str(&w, "reason", "no-dialtone");
        ev_push(e, &w);
        analog_hook(e, c, HL_ONHOOK);
        analog_to_idle(e, c);
      } else {
        start_dialing(e, c);
      }
      return;
    }
    if (c->st == HL_ST_DIALING && !c->dial_waiting && !c->pulse_dialing && c->dtmf_tx_busy == 0) dial_completed(e, c);
  } else if (c->info->kind == HL_KIND_FXS) {
    if (c->cw_phase) sig_cw_tick(e, c);
    if (c->prering && c->st == HL_ST_RINGING) prering_tick(e, c);
    if (c->cid_due_ms && e->now >= c->cid_due_ms) {
      c->cid_due_ms = 0;
      fxs_spill(e, c);
    }
  }
}
