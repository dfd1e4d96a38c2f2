/* The virtual PSTN: a central office behind each FXO port and an analog phone
 * behind each FXS port. They make real signals (zone tones, ring cadence,
 * FSK/DTMF caller ID, DTMF, hook pulses) and decode what we send with the same
 * spandsp detectors a real device would use. */
#include "sim_int.h"
#include "hl/jsonw.h"
#include <string.h>
#include <stdio.h>
#include <errno.h>
#include <math.h>
#include <time.h>

static void far_event(sim_t *s, sim_chan_t *c, const char *name, const char *k1, const char *v1,
                      const char *k2, int64_t v2) {
  char buf[HL_EVENT_JSON];
  hl_jw_t w;
  hl_jw_begin(&w, buf, sizeof buf, name, s->now, c->info->channo);
  if (k1) hl_jw_str(&w, k1, v1);
  if (k2) hl_jw_int(&w, k2, v2);
  hl_jw_end(&w);
  sim_emit(s, buf);
}

/* The exchange stamps caller ID with its wall clock, MMDDHHMM. */
static void wall_datetime(char out[9]) {
  time_t now = time(NULL);
  struct tm tm;
  localtime_r(&now, &tm);
  snprintf(out, 9, "%02d%02d%02d%02d", (tm.tm_mon + 1) % 100, tm.tm_mday % 100, tm.tm_hour % 100, tm.tm_min % 100);
}

#define PHONE_CID_MASK ((1 << HL_CID_BELL202) | (1 << HL_CID_V23) | (1 << HL_CID_DTMF))

static void on_far_digits(void *user, const char *digits, int len) {
  sim_chan_t *c = user;
  far_end_t *f = &c->far;
  for (int i = 0; i < len; i++)
    if (f->ndigits < (int)sizeof f->digits - 1) f->digits[f->ndigits++] = digits[i];
  f->digits[f->ndigits] = 0;
}

static void on_far_tone(void *user, const hl_tone_report_t *r) {
  sim_chan_t *c = user;
  c->far.heard_tone = r->tone;
}

int pstn_init(sim_t *s, sim_chan_t *c) {
  far_end_t *f = &c->far;
  memset(f, 0, sizeof(*f));
  f->dtmf_tx = dtmf_tx_init(NULL);
  f->dtmf_rx = dtmf_rx_init(NULL, on_far_digits, c);
  f->tonedet = hl_tonedet_new(s->zone.country, on_far_tone, c);
  if (!f->dtmf_tx || !f->dtmf_rx || !f->tonedet) return -1;
  if (hl_cid_tx_init(&f->cid_tx) != 0) return -1;
  if (hl_cid_rx_init(&f->cid_rx, PHONE_CID_MASK) != 0) return -1;
  hookdec_init(&f->line);
  f->state = c->info->kind == HL_KIND_FXO ? CO_IDLE : PH_ONHOOK;
  f->outcome = OUT_ANSWER;
  f->outcome_after_ms = 4000;
  f->cidcw = 1;
  return 0;
}

void pstn_release(sim_chan_t *c) {
  far_end_t *f = &c->far;
  if (f->dtmf_tx) dtmf_tx_free(f->dtmf_tx);
  if (f->dtmf_rx) dtmf_rx_free(f->dtmf_rx);
  if (f->tonedet) hl_tonedet_free(f->tonedet);
  if (f->cid_tx.tx[0]) hl_cid_tx_release(&f->cid_tx);
  if (f->cid_rx.fsk_class) hl_cid_rx_release(&f->cid_rx);
  memset(f, 0, sizeof(*f));
}

static void set_state(sim_t *s, far_end_t *f, int st) { f->state = st; f->state_ms = s->now; }

static void play_tone(sim_t *s, far_end_t *f, int id) {
  if (id < 0) { f->tone_on = 0; return; }
  hl_tonegen_start(&f->tone, &s->zone.tones[id], s->zone.level_dbm0);
  f->tone_on = f->tone.prog != NULL;
}

static void reset_listeners(far_end_t *f) {
  f->ndigits = 0; f->digits[0] = 0;
  f->cas_blocks = 0;
  f->cw_until = 0;
  f->heard_tone = 0;
  hl_tonedet_reset(f->tonedet);
}

/* ---- central office (behind our FXO port) ---- */

static void co_clear(sim_t *s, sim_chan_t *c, int method) {
  far_end_t *f = &c->far;
  f->talk_rate = 0;
  f->cid_tx.active = 0;
  play_tone(s, f, -1);
  if (method & HL_DISC_POLARITY) { c->polarity = !c->polarity; sim_queue_event(c, HL_EV_POLARITY); }
  if (method & HL_DISC_LOOP) sim_queue_event(c, HL_EV_ONHOOK);
  if (method & HL_DISC_BUSY) play_tone(s, f, HL_ZT_BUSY);
  if (method & HL_DISC_CONGESTION) play_tone(s, f, HL_ZT_CONGESTION);
  set_state(s, f, CO_CLEARED);
}

static void co_answered(sim_t *s, sim_chan_t *c, const char *how) {
  far_end_t *f = &c->far;
  play_tone(s, f, -1);
  f->cid_tx.active = 0;
  c->co_ring_on = 0;
  reset_listeners(f);
  set_state(s, f, CO_TALK);
  far_event(s, c, "SimLineAnswered", "by", how, NULL, 0);
}

void pstn_our_hook(sim_t *s, sim_chan_t *c, int offhook) {
  c->far.line_raw = offhook;
}

/* Follows our loop as an exchange does: seizure, dialled pulses, flash, release. */
static void co_line(sim_t *s, sim_chan_t *c) {
  far_end_t *f = &c->far;
  char digit = 0;
  switch (hookdec_feed(&f->line, f->line_raw, s->now, &digit)) {
  case HD_SEIZE:
    if (f->state == CO_RING || f->state == CO_PRECID) { co_answered(s, c, "near"); return; }
    if (f->state == CO_IDLE) {
      reset_listeners(f);
      play_tone(s, f, HL_ZT_DIAL);
      set_state(s, f, CO_DIALTONE);
      far_event(s, c, "SimLineSeized", NULL, NULL, NULL, 0);
    }
    break;
  case HD_DIGIT:
    if (f->state == CO_DIALTONE || f->state == CO_COLLECT) {
      on_far_digits(c, &digit, 1);
      f->last_digit_ms = s->now;
      play_tone(s, f, -1);
      set_state(s, f, CO_COLLECT);
    }
    break;
  case HD_FLASH:
    far_event(s, c, "SimFlashReceived", NULL, NULL, NULL, 0);
    break;
  case HD_RELEASE:
    if (f->state != CO_IDLE && f->state != CO_RING && f->state != CO_PRECID) {
      play_tone(s, f, -1);
      f->talk_rate = 0;
      far_event(s, c, "SimLineReleased", "by", "near", NULL, 0);
      set_state(s, f, CO_IDLE);
    }
    break;
  default:
    break;
  }
}

static void co_tick(sim_t *s, sim_chan_t *c, int16_t *lin) {
  far_end_t *f = &c->far;
  co_line(s, c);
  switch (f->state) {
  case CO_PRECID:
    if (!f->cid_tx.active && s->now - f->state_ms > 300) {
      if (f->cid_sent) { set_state(s, f, CO_RING); f->cadence_ms = 0; }
    }
    break;
  case CO_RING: {
    int on = s->zone.ring[0], off = s->zone.ring[1];
    int64_t pos = f->cadence_ms % (on + off);
    int ring_now = pos < on;
    if (ring_now && !c->co_ring_on) {
      f->rings++;
      if (f->max_rings && f->rings > f->max_rings) {
        far_event(s, c, "SimCallAbandoned", NULL, NULL, "rings", f->rings - 1);
        set_state(s, f, CO_IDLE);
        c->co_ring_on = 0;
        return;
      }
      sim_queue_event(c, HL_EV_RINGBEGIN);
    }
    if (!ring_now && c->co_ring_on) sim_queue_event(c, HL_EV_RINGOFFHOOK);
    c->co_ring_on = ring_now;
    if (f->rings == 1 && !f->cid_sent && f->cid_when == HL_CIDWHEN_AFTER_FIRST_RING &&
        f->cid_std != HL_CID_NONE && pos >= on + 500) {
      char dt[9];
      wall_datetime(dt);
      hl_cid_tx_start(&f->cid_tx, f->cid_std, f->number, f->name, dt);
      f->cid_sent = 1;
    }
    f->cadence_ms += HL_BLOCK / 8;
    break;
  }
  case CO_COLLECT:
    if (s->now - f->last_digit_ms >= 2000 && f->ndigits > 0) {
      far_event(s, c, "SimDigitsReceived", "number", f->digits, NULL, 0);
      f->ndigits = 0; f->digits[0] = 0;
      play_tone(s, f, f->outcome == OUT_BUSY ? HL_ZT_BUSY : f->outcome == OUT_CONGESTION ? HL_ZT_CONGESTION : HL_ZT_RINGBACK);
      set_state(s, f, CO_PROGRESS);
    }
    break;
  case CO_PROGRESS:
    if (f->outcome == OUT_ANSWER && s->now - f->state_ms >= f->outcome_after_ms) {
      if (f->answer_polarity) { c->polarity = !c->polarity; sim_queue_event(c, HL_EV_POLARITY); }
      co_answered(s, c, "far");
    }
    break;
  default:
    break;
  }
}

/* ---- analog phone (behind our FXS port) ---- */

static void phone_tick(sim_t *s, sim_chan_t *c) {
  far_end_t *f = &c->far;
  if (c->ring_on_edge) {
    c->ring_on_edge = 0;
    f->rang++;
    far_event(s, c, "SimPhoneRang", NULL, NULL, "ring", f->rang);
    if (f->auto_answer && f->rang >= f->auto_answer) {
      f->hook = 1;
      reset_listeners(f);
      far_event(s, c, "SimPhoneAnswered", NULL, NULL, "rings", f->rang);
    }
  }
}

/* The phone's CAS detector: both tones hold most of a block's energy, at a
 * level a phone would hear, for at least two blocks (the signal is 80 ms);
 * the acknowledgement goes out as the signal ends. */
#define CAS_SHARE 0.3              /* each tone's share of the block energy; a clean pair gives 0.5 */
#define CAS_MIN_MS2 26000.0        /* mean square of a -40 dBm0 sine */
#define CW_LISTEN_MS 2500          /* time for the FSK spill after the acknowledgement */

static void send_event_cw(sim_t *s, sim_chan_t *c, int acked) {
  char buf[HL_EVENT_JSON];
  hl_jw_t w;
  hl_jw_begin(&w, buf, sizeof buf, "SimCallWaitingAlerted", s->now, c->info->channo);
  hl_jw_bool(&w, "acked", acked);
  hl_jw_end(&w);
  sim_emit(s, buf);
}

static void phone_cas(sim_t *s, sim_chan_t *c) {
  far_end_t *f = &c->far;
  static const float fr[2] = { 2130, 2750 };
  double e = 0, g[2];
  for (int i = 0; i < HL_BLOCK; i++) e += (double)c->tx[i] * c->tx[i];
  for (int k = 0; k < 2; k++) {
    goertzel_descriptor_t d;
    make_goertzel_descriptor(&d, fr[k], HL_BLOCK);
    goertzel_init(&f->cas_g[k], &d);
    goertzel_update(&f->cas_g[k], c->tx, HL_BLOCK);
    g[k] = goertzel_result(&f->cas_g[k]);
  }
  /* spandsp's Goertzel power of a pure tone is N times the block energy */
  double norm = e * HL_BLOCK;
  int cas = e / HL_BLOCK >= CAS_MIN_MS2 && g[0] >= CAS_SHARE * norm && g[1] >= CAS_SHARE * norm;
  if (cas) { f->cas_blocks++; return; }
  if (f->cas_blocks >= 2) {
    if (f->cidcw) {
      dtmf_tx_set_timing(f->dtmf_tx, 60, 60);
      dtmf_tx_put(f->dtmf_tx, "D", 1);
      f->cw_until = s->now + CW_LISTEN_MS;
      hl_cid_rx_set_mask(&f->cid_rx, PHONE_CID_MASK);   /* restart: nothing half-heard from before */
    }
    send_event_cw(s, c, f->cidcw);
  }
  f->cas_blocks = 0;
}

static void emit_cid(sim_t *s, sim_chan_t *c, const hl_cid_t *cid, int call_waiting) {
  char buf[HL_EVENT_JSON];
  hl_jw_t w;
  hl_jw_begin(&w, buf, sizeof buf, "SimCallerIdReceived", s->now, c->info->channo);
  hl_jw_str(&w, "standard", hl_cid_standard_name(cid->standard));
  hl_jw_str(&w, "number", cid->number);
  hl_jw_str(&w, "name", cid->has_name ? cid->name : NULL);
  hl_jw_str(&w, "datetime", cid->datetime[0] ? cid->datetime : NULL);
  if (call_waiting) hl_jw_bool(&w, "callWaiting", 1);
  hl_jw_end(&w);
  sim_emit(s, buf);
}

/* ---- both ---- */

static void listen_tick(sim_t *s, sim_chan_t *c) {
  far_end_t *f = &c->far;
  if (f->listen_left <= 0) return;
  goertzel_reset(&f->listen_g);
  goertzel_update(&f->listen_g, c->tx, HL_BLOCK);
  f->listen_e += goertzel_result(&f->listen_g);
  double tot = 0;
  for (int i = 0; i < HL_BLOCK; i++) tot += (double)c->tx[i] * c->tx[i];
  f->listen_total += tot;
  f->listen_blocks++;
  if (--f->listen_left > 0) return;
  /* Goertzel power of a full-scale sine over N samples is about (N * A / 2)^2;
   * express both as dBm0-ish levels relative to the same reference. */
  double n = f->listen_blocks;
  double mean_sq = f->listen_total / (n * HL_BLOCK);
  double tone_sq = f->listen_e / n / ((double)HL_BLOCK * HL_BLOCK / 2.0);
  double ref = 32768.0 * 32768.0 / 2.0 * 0.5;     /* ~ +3 dBm0 sine */
  double tone_db = 10 * log10(tone_sq / ref + 1e-12) + 3.14;
  double total_db = 10 * log10(mean_sq / ref + 1e-12) + 3.14;
  char buf[HL_EVENT_JSON];
  hl_jw_t w;
  hl_jw_begin(&w, buf, sizeof buf, "SimAudioMeasured", s->now, c->info->channo);
  hl_jw_int(&w, "freq", f->listen_freq);
  hl_jw_num(&w, "toneDbm0", tone_db);
  hl_jw_num(&w, "totalDbm0", total_db);
  hl_jw_bool(&w, "heard", tone_db > -40 && tone_db > total_db - 6);
  hl_jw_end(&w);
  sim_emit(s, buf);
}

static int far_offhook(sim_chan_t *c) {
  far_end_t *f = &c->far;
  if (c->info->kind == HL_KIND_FXS) return f->hook;
  return f->state == CO_TALK || f->state == CO_DIALTONE || f->state == CO_COLLECT || f->state == CO_PROGRESS;
}

void pstn_tick(sim_t *s, sim_chan_t *c, int16_t *lin, int n) {
  far_end_t *f = &c->far;
  if (c->info->kind == HL_KIND_FXO) co_tick(s, c, lin); else phone_tick(s, c);

  /* Hear what we send. */
  if (far_offhook(c)) {
    int nd = f->ndigits;
    dtmf_rx(f->dtmf_rx, c->tx, HL_BLOCK);
    int before = f->heard_tone;
    hl_tonedet_rx(f->tonedet, c->tx, HL_BLOCK);
    if (f->heard_tone && f->heard_tone != before)
      far_event(s, c, "SimToneHeard", "tone", hl_tone_name(f->heard_tone), NULL, 0);
    int collecting = c->info->kind == HL_KIND_FXO && (f->state == CO_DIALTONE || f->state == CO_COLLECT);
    if (collecting && f->ndigits > nd) {
      f->last_digit_ms = s->now;
      if (f->state == CO_DIALTONE) { play_tone(s, f, -1); set_state(s, f, CO_COLLECT); }
    } else if (!collecting && f->ndigits > 0) {
      far_event(s, c, "SimDtmfHeard", "digits", f->digits, NULL, 0);
      f->ndigits = 0; f->digits[0] = 0;
    }
    if (c->info->kind == HL_KIND_FXS) {
      phone_cas(s, c);
      if (f->cw_until > s->now) {
        /* Off-hook caller ID (type II) after the acknowledgement. */
        hl_cid_rx_feed(&f->cid_rx, c->tx, HL_BLOCK);
        hl_cid_t cid;
        if (hl_cid_rx_take(&f->cid_rx, &cid)) { emit_cid(s, c, &cid, 1); f->cw_until = 0; }
      }
    }
  } else if (c->info->kind == HL_KIND_FXS) {
    /* On-hook: the phone's caller-ID receiver listens, but the line carries
     * our audio only in on-hook transmission (DAHDI_ONHOOKTRANSFER). */
    static const int16_t quiet[HL_BLOCK];
    hl_cid_rx_feed(&f->cid_rx, s->now < c->oht_until ? c->tx : quiet, HL_BLOCK);
    hl_cid_t cid;
    if (hl_cid_rx_take(&f->cid_rx, &cid)) emit_cid(s, c, &cid, 0);
  }
  listen_tick(s, c);

  /* Send towards us. */
  if (f->tone_on) f->tone_on = hl_tonegen_mix(&f->tone, lin, n);
  if (f->cid_tx.active) hl_cid_tx_mix(&f->cid_tx, lin, n);
  if (far_offhook(c) || c->info->kind == HL_KIND_FXO) {
    int16_t d[SIM_GEN_MAX];
    int nd = dtmf_tx(f->dtmf_tx, d, n);
    for (int i = 0; i < nd; i++) { int32_t v = lin[i] + d[i]; lin[i] = (int16_t)(v > 32767 ? 32767 : v < -32768 ? -32768 : v); }
  }
  if (f->talk_rate && far_offhook(c) && f->cw_until <= s->now)   /* a CIDCW phone mutes its handset */
    for (int i = 0; i < n; i++) {
      int32_t v = lin[i] + dds_mod(&f->talk_ph, f->talk_rate, f->talk_amp, 0);
      lin[i] = (int16_t)(v > 32767 ? 32767 : v < -32768 ? -32768 : v);
    }
}

void pstn_talk_listen(sim_t *s, sim_chan_t *c, int16_t *lin, int n, int in_call) {
  far_end_t *f = &c->far;
  listen_tick(s, c);
  if (f->talk_rate && in_call)
    for (int i = 0; i < n; i++) {
      int32_t v = lin[i] + dds_mod(&f->talk_ph, f->talk_rate, f->talk_amp, 0);
      lin[i] = (int16_t)(v > 32767 ? 32767 : v < -32768 ? -32768 : v);
    }
}

static int valid_digits(const char *s, const char *allowed) {
  if (!*s) return 0;
  for (; *s; s++) if (!strchr(allowed, *s)) return 0;
  return 1;
}

int pstn_command(sim_t *s, sim_chan_t *c, const hl_cmd_t *cmd, char *err, size_t errlen) {
  far_end_t *f = &c->far;
  int fxo = c->info->kind == HL_KIND_FXO;
  switch (cmd->op) {
  case HL_OP_SIM_CALL:
    if (!fxo) { snprintf(err, errlen, "channel %d is an FXS port: a phone calls by going off-hook", c->info->channo); return -EINVAL; }
    if (f->state != CO_IDLE) { snprintf(err, errlen, "line %d is busy", c->info->channo); return -EBUSY; }
    snprintf(f->number, sizeof f->number, "%s", cmd->s1);
    snprintf(f->name, sizeof f->name, "%s", cmd->s2);
    f->cid_std = cmd->i1; f->cid_when = cmd->i2; f->disc = cmd->i3 ? cmd->i3 : HL_DISC_LOOP;
    f->max_rings = cmd->i4;
    f->rings = 0; f->cid_sent = 0; f->cadence_ms = 0;
    c->co_ring_on = 0;
    reset_listeners(f);
    if (f->cid_std != HL_CID_NONE && f->cid_when != HL_CIDWHEN_AFTER_FIRST_RING) {
      if (f->cid_when == HL_CIDWHEN_POLARITY) { c->polarity = !c->polarity; sim_queue_event(c, HL_EV_POLARITY); }
      char dt[9];
      wall_datetime(dt);
      if (hl_cid_tx_start(&f->cid_tx, f->cid_std, f->number, f->name, dt) != 0) {
        snprintf(err, errlen, "caller ID cannot carry that number/name"); return -EINVAL;
      }
      f->cid_sent = 1;
      set_state(s, f, CO_PRECID);
    } else {
      set_state(s, f, CO_RING);
    }
    return 0;
  case HL_OP_SIM_HANGUP:
    if (fxo) {
      if (f->state == CO_RING || f->state == CO_PRECID) {
        if (c->co_ring_on) sim_queue_event(c, HL_EV_RINGOFFHOOK);
        c->co_ring_on = 0; f->cid_tx.active = 0;
        set_state(s, f, CO_IDLE);
        far_event(s, c, "SimCallAbandoned", NULL, NULL, "rings", f->rings);
        return 0;
      }
      if (f->state == CO_IDLE || f->state == CO_CLEARED) { snprintf(err, errlen, "line %d has no call", c->info->channo); return -EINVAL; }
      co_clear(s, c, cmd->i1 ? cmd->i1 : f->disc ? f->disc : HL_DISC_LOOP);   /* a call we placed: loop drop */
      return 0;
    }
    /* a phone hangs up by going on-hook */
    __attribute__((fallthrough));
  case HL_OP_SIM_ONHOOK:
    if (fxo) { snprintf(err, errlen, "channel %d is an FXO port: use hangup", c->info->channo); return -EINVAL; }
    /* A phone put down stops keying: digits still queued are dropped, so
     * they cannot reach the next call. */
    f->hook = 0; f->talk_rate = 0; f->pulses.active = 0;
    dtmf_tx_init(f->dtmf_tx);
    return 0;
  case HL_OP_SIM_OFFHOOK:
    if (fxo) { snprintf(err, errlen, "channel %d is an FXO port", c->info->channo); return -EINVAL; }
    f->hook = 1;
    reset_listeners(f);
    return 0;
  case HL_OP_SIM_DIAL:
    if (!valid_digits(cmd->s1, cmd->i1 ? "0123456789" : "0123456789*#ABCD")) {
      snprintf(err, errlen, "bad digits '%s'", cmd->s1); return -EINVAL;
    }
    if (!far_offhook(c)) { snprintf(err, errlen, "far end of channel %d is on-hook", c->info->channo); return -EINVAL; }
    if (cmd->i1) {
      if (fxo) { snprintf(err, errlen, "the exchange does not pulse-dial"); return -EINVAL; }
      pulsegen_start(&f->pulses, cmd->s1, s->now);
    } else {
      if (cmd->i2 > 0) dtmf_tx_set_timing(f->dtmf_tx, cmd->i2, cmd->i3 > 0 ? cmd->i3 : cmd->i2);
      dtmf_tx_put(f->dtmf_tx, cmd->s1, -1);
    }
    return 0;
  case HL_OP_SIM_FLASH:
    if (fxo || !f->hook) { snprintf(err, errlen, "only an off-hook phone can flash"); return -EINVAL; }
    f->flash_until = s->now + (cmd->i1 > 0 ? cmd->i1 : 500);
    return 0;
  case HL_OP_SIM_ANSWER:
    if (!fxo) { f->hook = 1; reset_listeners(f); return 0; }
    if (f->state != CO_PROGRESS) { snprintf(err, errlen, "no call waiting for the far end to answer on %d", c->info->channo); return -EINVAL; }
    if (cmd->i1) { c->polarity = !c->polarity; sim_queue_event(c, HL_EV_POLARITY); }
    co_answered(s, c, "far");
    return 0;
  case HL_OP_SIM_OUTCOME:
    if (!fxo) { snprintf(err, errlen, "outcomes are for exchange lines"); return -EINVAL; }
    if (cmd->i1 < OUT_ANSWER || cmd->i1 > OUT_RING) { snprintf(err, errlen, "unknown outcome"); return -EINVAL; }
    f->outcome = cmd->i1; f->outcome_after_ms = cmd->i2 >= 0 ? cmd->i2 : 4000; f->answer_polarity = cmd->i3;
    return 0;
  case HL_OP_SIM_TALK:
    if (cmd->i1 < 0 || cmd->i1 > 3900) { snprintf(err, errlen, "talk frequency out of range"); return -EINVAL; }
    f->talk_rate = cmd->i1 ? dds_phase_rate((float)cmd->i1) : 0;
    f->talk_amp = dds_scaling_dbm0(cmd->f1 != 0 ? cmd->f1 : -13.0f);
    return 0;
  case HL_OP_SIM_LISTEN: {
    if (cmd->i1 < 100 || cmd->i1 > 3900) { snprintf(err, errlen, "listen frequency out of range"); return -EINVAL; }
    goertzel_descriptor_t d;
    make_goertzel_descriptor(&d, (float)cmd->i1, HL_BLOCK);
    goertzel_init(&f->listen_g, &d);
    f->listen_freq = cmd->i1;
    f->listen_left = (cmd->i2 > 0 ? cmd->i2 : 400) / 20;
    if (f->listen_left < 1) f->listen_left = 1;
    f->listen_e = f->listen_total = 0; f->listen_blocks = 0;
    return 0;
  }
  case HL_OP_SIM_AUTOANSWER:
    if (fxo) { snprintf(err, errlen, "auto-answer is for phones"); return -EINVAL; }
    f->auto_answer = cmd->i1;
    return 0;
  case HL_OP_SIM_PHONE:
    /* i1: the phone acknowledges call-waiting alerts and reads their caller ID */
    if (fxo) { snprintf(err, errlen, "channel %d is an FXO port: phone settings are for FXS ports", c->info->channo); return -EINVAL; }
    f->cidcw = cmd->i1 != 0;
    return 0;
  default:
    snprintf(err, errlen, "unknown far-end command %d", cmd->op);
    return -EINVAL;
  }
}
