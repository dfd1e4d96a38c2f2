/* The sim board: presents channels the way DAHDI does (events, hook
 * semantics, ring cadence, pulse decoding, alarms, law-encoded audio) and
 * hands the line to the virtual PSTN in pstn.c. */
#include "sim_int.h"
#include "hl/jsonw.h"
#include <stdlib.h>
#include <string.h>
#include <errno.h>
#include <stdio.h>

void sim_queue_event(sim_chan_t *c, int ev) {
  int next = (c->evt + 1) % 64;
  if (next == c->evh) return;          /* a full queue drops, as DAHDI's does */
  c->evq[c->evt] = ev;
  c->evt = next;
}

void sim_emit(sim_t *s, const char *json) {
  if (s->emit) s->emit(s->emit_user, json);
}

static sim_chan_t *chan(sim_t *s, int channo) {
  if (channo < 1 || channo > s->nchans) return NULL;
  return &s->ch[channo - 1];
}

static int op_open(void *d, int channo) {
  sim_chan_t *c = chan(d, channo);
  if (!c) return -ENODEV;
  if (c->open) return -EBUSY;
  c->open = 1;
  /* A D-channel opens with empty buffers, as DAHDI's does. */
  if (c->info->kind == HL_KIND_DCHAN && c->x7) c->x7->to_box.head = c->x7->to_box.tail;
  return 0;
}

static int op_close(void *d, int channo) {
  sim_t *s = d;
  sim_chan_t *c = chan(s, channo);
  if (!c || !c->open) return -EBADF;
  /* Closing the fd hangs the line up, as DAHDI does. */
  if (c->our_hook) { c->our_hook = 0; pstn_our_hook(s, c, 0); }
  c->ringing = 0;
  c->open = 0;
  c->evh = c->evt = 0;
  if (c->info->kind == HL_KIND_DCHAN && c->x7) c->x7->to_box.head = c->x7->to_box.tail;
  return 0;
}

/* D-channel of an SS7 span: frames across the simulated line (ss7span.c). */
static int op_read_frame(void *d, int channo, uint8_t *buf, int cap) {
  sim_chan_t *c = chan(d, channo);
  if (!c || !c->open) return -EBADF;
  if (c->info->kind != HL_KIND_DCHAN || !c->x7) return -EINVAL;
  if (!buf || cap <= 0) return -EINVAL;
  return ss7span_read_frame(c->x7, c, buf, cap);
}

static int op_write_frame(void *d, int channo, const uint8_t *buf, int len) {
  sim_chan_t *c = chan(d, channo);
  if (!c || !c->open) return -EBADF;
  if (c->info->kind != HL_KIND_DCHAN || !c->x7) return -EINVAL;
  if (!buf) return -EINVAL;
  return ss7span_write_frame(c->x7, c, buf, len);
}

static int op_read(void *d, int channo, uint8_t *buf, int len) {
  sim_chan_t *c = chan(d, channo);
  if (!c || !c->open) return -EBADF;
  if (len > HL_BLOCK) len = HL_BLOCK;
  memcpy(buf, c->rx, (size_t)len);
  return len;
}

static int op_write(void *d, int channo, const uint8_t *buf, int len) {
  sim_t *s = d;
  sim_chan_t *c = chan(s, channo);
  if (!c || !c->open) return -EBADF;
  if (len > HL_BLOCK) len = HL_BLOCK;
  for (int i = 0; i < len; i++)
    c->tx[i] = s->law == HL_LAW_ALAW ? alaw_to_linear(buf[i]) : ulaw_to_linear(buf[i]);
  c->tx_fresh = 1;
  return len;
}

static int op_get_event(void *d, int channo) {
  sim_chan_t *c = chan(d, channo);
  if (!c || !c->open) return -EBADF;
  if (c->evh == c->evt) return 0;
  int ev = c->evq[c->evh];
  c->evh = (c->evh + 1) % 64;
  return ev;
}

static void ring_stop(sim_chan_t *c) {
  if (c->ringing && c->ring_idx % 2 == 0) sim_queue_event(c, HL_EV_RINGEROFF);
  c->ringing = 0;
}

static int op_hook(void *d, int channo, int op) {
  sim_t *s = d;
  sim_chan_t *c = chan(s, channo);
  if (!c || !c->open) return -EBADF;
  switch (op) {
  case HL_ONHOOK:
  case HL_OFFHOOK:
    if (c->info->kind == HL_KIND_FXS) {
      /* Going off-hook on a ringing FXS port trips the ring. */
      ring_stop(c);
      c->our_hook = op == HL_OFFHOOK;
      return 0;
    }
    if (c->our_pulses.active) return -EBUSY;
    if (c->our_hook != (op == HL_OFFHOOK)) {
      c->our_hook = op == HL_OFFHOOK;
      pstn_our_hook(s, c, c->our_hook);
    }
    return 0;
  case HL_RING:
    if (c->info->kind != HL_KIND_FXS) return -EINVAL;
    if (c->far.hook) return -EBUSY;
    c->ringing = 1;
    c->ring_idx = 0;
    c->ring_edge_ms = s->now;
    sim_queue_event(c, HL_EV_RINGERON);
    c->ring_on_edge = 1;
    c->far.rang = 0;
    return 0;
  case HL_RINGOFF:
    ring_stop(c);
    return 0;
  case HL_FLASH:
    if (c->info->kind != HL_KIND_FXO || !c->our_hook) return -EINVAL;
    /* A 600 ms break: the CO's decoder sees a flash. */
    c->our_pulses.active = 0;
    c->far.flash_until = s->now + 600;
    return 0;
  default:
    return -EINVAL;
  }
}

static int op_set_txbits(void *d, int channo, int abcd) {
  sim_chan_t *c = chan(d, channo);
  if (!c || !c->open) return -EBADF;
  if (c->info->kind != HL_KIND_E1 && c->info->kind != HL_KIND_E1_R2) return -EINVAL;
  c->txbits = abcd & 0xF;
  return 0;
}

static int op_get_rxbits(void *d, int channo) {
  sim_chan_t *c = chan(d, channo);
  if (!c || !c->open) return -EBADF;
  if (c->info->kind != HL_KIND_E1 && c->info->kind != HL_KIND_E1_R2) return -EINVAL;
  return c->rxbits & 0xF;
}

static int op_dial(void *d, int channo, const char *str) {
  sim_t *s = d;
  sim_chan_t *c = chan(s, channo);
  if (!c || !c->open) return -EBADF;
  if (c->info->kind != HL_KIND_FXO || !c->our_hook) return -EINVAL;
  if (str[0] != 'P') return -EINVAL;   /* DTMF is sent as audio by the engine */
  pulsegen_start(&c->our_pulses, str + 1, s->now);
  return c->our_pulses.active ? 0 : -EINVAL;
}

static int op_set_cadence(void *d, int channo, const int *ms, int n) {
  sim_t *s = d;
  sim_chan_t *c = chan(s, channo);
  if (!c || !c->open) return -EBADF;
  if (n < 0 || n > 16 || n % 2) return -EINVAL;
  if (n == 0) {
    memcpy(c->ring_cad, s->zone.ring, sizeof c->ring_cad);
    c->ring_ncad = s->zone.nring;
  } else {
    for (int i = 0; i < n; i++) { if (ms[i] <= 0 || ms[i] > 10000) return -EINVAL; c->ring_cad[i] = ms[i]; }
    c->ring_ncad = n;
  }
  return 0;
}

static int op_set_polarity(void *d, int channo, int rev) {
  sim_chan_t *c = chan(d, channo);
  if (!c || !c->open) return -EBADF;
  if (c->info->kind != HL_KIND_FXS) return -EINVAL;
  c->polarity = !!rev;
  return 0;
}

/* As a SLIC: an on-hook phone hears what we send only while on-hook
 * transmission lasts (pstn.c mutes the rest). */
static int op_oht(void *d, int channo, int ms) {
  sim_t *s = d;
  sim_chan_t *c = chan(s, channo);
  if (!c || !c->open) return -EBADF;
  if (c->info->kind != HL_KIND_FXS || ms < 0) return -EINVAL;
  c->oht_until = s->now + ms;
  return 0;
}

static int op_ec(void *d, int channo, int taps) {
  sim_chan_t *c = chan(d, channo);
  if (!c || !c->open) return -EBADF;
  return 0;   /* the simulated line has no echo path */
}

static int op_span_counters(void *d, int span, hl_span_counters_t *out) {
  sim_t *s = d;
  if (span < 1 || span > s->nspans) return -EINVAL;
  *out = s->span_counters[span - 1];
  return 0;
}

static int op_span_alarms(void *d, int span) {
  sim_t *s = d;
  if (span < 1 || span > s->nspans) return -EINVAL;
  return s->span_alarms[span - 1];
}

/* FXS port ringing: the kernel runs the cadence and reports each edge. */
static void ring_tick(sim_t *s, sim_chan_t *c) {
  if (!c->ringing || c->ring_ncad == 0) return;
  if (s->now - c->ring_edge_ms < c->ring_cad[c->ring_idx]) return;
  c->ring_edge_ms = s->now;
  c->ring_idx = (c->ring_idx + 1) % c->ring_ncad;
  sim_queue_event(c, c->ring_idx % 2 == 0 ? HL_EV_RINGERON : HL_EV_RINGEROFF);
  if (c->ring_idx % 2 == 0) c->ring_on_edge = 1;
}

static void phone_hook_tick(sim_t *s, sim_chan_t *c) {
  int raw = c->far.hook;
  int done;
  if (c->far.pulses.active) raw = pulsegen_step(&c->far.pulses, s->now, &done);
  if (s->now < c->far.flash_until) raw = 0;
  char digit = 0;
  switch (hookdec_feed(&c->phone_hook, raw, s->now, &digit)) {
  case HD_SEIZE:
    if (c->ringing) { c->ringing = 0; }
    sim_queue_event(c, HL_EV_RINGOFFHOOK);
    break;
  case HD_PULSE_START: sim_queue_event(c, HL_EV_PULSE_START); break;
  case HD_DIGIT: sim_queue_event(c, HL_EV_PULSEDIGIT | digit); break;
  case HD_FLASH: sim_queue_event(c, HL_EV_WINKFLASH); break;
  case HD_RELEASE: sim_queue_event(c, HL_EV_ONHOOK); break;
  default: break;
  }
}

static void encode_rx(sim_t *s, sim_chan_t *c, int16_t *lin) {
  int alarmed = s->span_alarms[c->info->span - 1] & (HL_ALARM_RED | HL_ALARM_BLUE);
  if (alarmed) memset(lin, 0, HL_BLOCK * sizeof(int16_t));
  if (c->gain != 1.0f)
    for (int i = 0; i < HL_BLOCK; i++) {
      float v = lin[i] * c->gain;
      lin[i] = (int16_t)(v > 32767 ? 32767 : v < -32768 ? -32768 : v);
    }
  if (c->noise)
    for (int i = 0; i < HL_BLOCK; i++) {
      int32_t v = lin[i] + awgn(c->noise);
      lin[i] = (int16_t)(v > 32767 ? 32767 : v < -32768 ? -32768 : v);
    }
  if (c->slip_every > 0 && ++c->slip_count >= c->slip_every) {
    /* A controlled slip: the block is lost and the previous one repeats. */
    c->slip_count = 0;
    memcpy(lin, c->last_rx, sizeof c->last_rx);
  }
  memcpy(c->last_rx, lin, sizeof c->last_rx);
  for (int i = 0; i < HL_BLOCK; i++)
    c->rx[i] = s->law == HL_LAW_ALAW ? linear_to_alaw(lin[i]) : linear_to_ulaw(lin[i]);
}

static void op_tick(void *d, int64_t now) {
  sim_t *s = d;
  s->now = now;
  for (int sp = 0; sp < s->nspans; sp++) if (s->ss7[sp]) ss7span_tick(s, s->ss7[sp]);
  for (int i = 0; i < s->nchans; i++) {
    sim_chan_t *c = &s->ch[i];
    int16_t lin[HL_BLOCK];
    memset(lin, 0, sizeof lin);
    if (c->info->kind == HL_KIND_FXS) { ring_tick(s, c); phone_hook_tick(s, c); }
    if (c->info->kind == HL_KIND_FXO && c->our_pulses.active) {
      int done;
      int h = pulsegen_step(&c->our_pulses, now, &done);
      pstn_our_hook(s, c, h);
      if (done) sim_queue_event(c, HL_EV_DIALCOMPLETE);
    }
    if (c->info->kind == HL_KIND_FXO && c->far.flash_until) {
      if (now < c->far.flash_until) pstn_our_hook(s, c, 0);
      else { c->far.flash_until = 0; pstn_our_hook(s, c, c->our_hook); }
    }
    if ((c->info->kind == HL_KIND_FXO || c->info->kind == HL_KIND_FXS) && c->warp_on) {
      /* Frequency offset: the far end makes as many samples as the resampler
       * eats for one block, so every frequency it sends scales together. */
      int16_t gen[SIM_GEN_MAX];
      int need = hl_warp_need(&c->warp, HL_BLOCK);
      memset(gen, 0, (size_t)need * sizeof gen[0]);
      pstn_tick(s, c, gen, need);
      hl_warp_run(&c->warp, gen, need, lin, HL_BLOCK);
    } else if (c->info->kind == HL_KIND_FXO || c->info->kind == HL_KIND_FXS) {
      pstn_tick(s, c, lin, HL_BLOCK);
    }
    if (c->info->kind == HL_KIND_E1_R2) exch_tick(s, c, lin);
    if (c->info->kind == HL_KIND_E1 && c->x7) {
      /* An SS7 bearer: the far end's talk generator while its call is up. */
      int st = c->x7->cic[c->info->chanpos].st;
      pstn_talk_listen(s, c, lin, HL_BLOCK, st == XC_IN_UP || st == XC_OUT_UP);
    }
    if (!c->tx_fresh) memset(c->tx, 0, sizeof c->tx);
    c->tx_fresh = 0;
    encode_rx(s, c, lin);
  }
}

static const hl_driver_ops_t sim_ops = {
  .name = "sim",
  .open = op_open, .close = op_close, .read_audio = op_read, .write_audio = op_write,
  .get_event = op_get_event, .hook = op_hook, .set_txbits = op_set_txbits, .get_rxbits = op_get_rxbits,
  .dial = op_dial, .set_cadence = op_set_cadence, .set_polarity = op_set_polarity,
  .onhook_transfer = op_oht, .set_echocancel = op_ec, .span_alarms = op_span_alarms,
  .span_counters = op_span_counters,
  .conf_link = NULL,   /* the sim board has no kernel mixing: the engine mixes */
  .read_frame = op_read_frame, .write_frame = op_write_frame,
  .respan_prepare = sim_respan_prepare, .respan = sim_respan, .respan_free = sim_respan_free,
  .tick = op_tick,
};

int hl_sim_is(const hl_driver_t *drv) { return drv && drv->ops == &sim_ops; }

int hl_sim_driver_open(hl_driver_t *drv, const hl_sim_span_def_t *spans, int nspans,
                       const char *zone, int law, char *err, size_t errlen) {
  memset(drv, 0, sizeof(*drv));
  int total = 0;
  for (int i = 0; i < nspans; i++) {
    if (spans[i].nchans < 1 || spans[i].nchans > 31) {
      snprintf(err, errlen, "span %d: %d channels (1..31 allowed)", i + 1, spans[i].nchans);
      return -EINVAL;
    }
    if (spans[i].kind < HL_KIND_FXO || spans[i].kind > HL_KIND_E1_R2 || spans[i].kind == HL_KIND_DCHAN) {
      snprintf(err, errlen, "span %d: unknown kind %d", i + 1, spans[i].kind);
      return -EINVAL;
    }
    total += spans[i].nchans;
  }
  sim_t *s = calloc(1, sizeof(*s));
  if (!s) { snprintf(err, errlen, "out of memory"); return -ENOMEM; }
  if (hl_zone_load(zone ? zone : "cn", &s->zone) != 0) {
    snprintf(err, errlen, "unknown tone zone '%s'", zone ? zone : "");
    free(s);
    return -EINVAL;
  }
  s->nchans = total; s->nspans = nspans; s->law = law;
  s->info = calloc((size_t)total, sizeof(hl_chan_info_t));
  s->ch = calloc((size_t)total, sizeof(sim_chan_t));
  s->span_alarms = calloc((size_t)nspans, sizeof(int));
  s->span_counters = calloc((size_t)nspans, sizeof(hl_span_counters_t));
  s->ss7 = calloc((size_t)nspans, sizeof(sim_ss7_t *));
  if (!s->info || !s->ch || !s->span_alarms || !s->span_counters || !s->ss7) { snprintf(err, errlen, "out of memory"); hl_sim_driver_close(&(hl_driver_t){ .state = s }); return -ENOMEM; }
  int n = 0;
  for (int sp = 0; sp < nspans; sp++) {
    for (int k = 0; k < spans[sp].nchans; k++, n++) {
      hl_chan_info_t *ci = &s->info[n];
      ci->channo = n + 1; ci->span = sp + 1; ci->chanpos = k + 1; ci->kind = spans[sp].kind; ci->law = law;
      /* E1: timeslot 16 carries signalling, the rest are bearers. */
      if (spans[sp].kind == HL_KIND_E1 && k + 1 == 16) ci->kind = HL_KIND_DCHAN;
      /* With CAS, timeslot 16 carries every timeslot's ABCD bits: no channel. */
      if (spans[sp].kind == HL_KIND_E1_R2 && k + 1 == 16) ci->kind = HL_KIND_NONE;
      snprintf(ci->name, sizeof ci->name, "SIM/%d/%d", sp + 1, k + 1);
      sim_chan_t *c = &s->ch[n];
      c->info = ci;
      c->sim = s;
      c->gain = 1.0f;
      c->rxbits = 0xB;
      memcpy(c->ring_cad, s->zone.ring, sizeof c->ring_cad);
      c->ring_ncad = s->zone.nring;
      hookdec_init(&c->phone_hook);
      for (int i = 0; i < HL_BLOCK; i++) c->rx[i] = law == HL_LAW_ALAW ? linear_to_alaw(0) : linear_to_ulaw(0);
      if (((ci->kind == HL_KIND_FXO || ci->kind == HL_KIND_FXS) && pstn_init(s, c) != 0) ||
          (ci->kind == HL_KIND_E1_R2 && exch_init(s, c) != 0)) {
        snprintf(err, errlen, "channel %d: far end init failed", n + 1);
        drv->state = s; drv->ops = &sim_ops;
        hl_sim_driver_close(drv);
        return -ENOMEM;
      }
    }
  }
  /* E1 spans signalled by SS7: the D-channel's line and its far end. */
  for (int sp = 0, first = 1; sp < nspans; first += spans[sp].nchans, sp++) {
    if (spans[sp].kind != HL_KIND_E1) continue;
    if (spans[sp].nchans < 16) {
      snprintf(err, errlen, "span %d: an SS7 E1 needs timeslot 16 for its D-channel (%d channels given)", sp + 1, spans[sp].nchans);
      drv->state = s; drv->ops = &sim_ops;
      hl_sim_driver_close(drv);
      return -EINVAL;
    }
    int r = ss7span_init(s, sp + 1, first, err, errlen);
    if (r < 0) { drv->state = s; drv->ops = &sim_ops; hl_sim_driver_close(drv); return r; }
  }
  drv->ops = &sim_ops;
  drv->state = s;
  drv->nchans = total;
  drv->chans = s->info;
  drv->nspans = nspans;
  return 0;
}

void hl_sim_driver_close(hl_driver_t *drv) {
  sim_t *s = drv->state;
  if (!s) return;
  if (s->ss7) for (int sp = 1; sp <= s->nspans; sp++) ss7span_release(s, sp);
  if (s->ch) for (int i = 0; i < s->nchans; i++) {
    pstn_release(&s->ch[i]);
    exch_release(&s->ch[i]);
    if (s->ch[i].noise) awgn_free(s->ch[i].noise);
  }
  free(s->ch); free(s->info); free(s->span_alarms); free(s->span_counters); free(s->ss7); free(s);
  drv->state = NULL;
}

void hl_sim_set_emit(hl_driver_t *drv, hl_sim_emit_fn fn, void *user) {
  sim_t *s = drv->state;
  s->emit = fn; s->emit_user = user;
}

/* i1 span, i2 alarm bits (-1 keeps them); i3..i6 line errors to add: BPV,
 * CRC-4, E-bit, FAS (what a noisy or misframed line makes DAHDI count). */
static int sim_alarm(sim_t *s, const hl_cmd_t *cmd, char *err, size_t errlen) {
  int span = cmd->i1, bits = cmd->i2;
  if (span < 1 || span > s->nspans) { snprintf(err, errlen, "no span %d", span); return -EINVAL; }
  if (cmd->i3 < 0 || cmd->i4 < 0 || cmd->i5 < 0 || cmd->i6 < 0) { snprintf(err, errlen, "line error counts are >= 0"); return -EINVAL; }
  hl_span_counters_t *k = &s->span_counters[span - 1];
  k->bpv += (uint32_t)cmd->i3; k->crc4 += (uint32_t)cmd->i4; k->ebit += (uint32_t)cmd->i5; k->fas += (uint32_t)cmd->i6;
  if (bits < 0) return 0;
  int was = s->span_alarms[span - 1];
  s->span_alarms[span - 1] = bits;
  if (!!was == !!bits) return 0;
  for (int i = 0; i < s->nchans; i++)
    if (s->info[i].span == span && s->ch[i].open) sim_queue_event(&s->ch[i], bits ? HL_EV_ALARM : HL_EV_NOALARM);
  return 0;
}

static int sim_impair(sim_t *s, sim_chan_t *c, const hl_cmd_t *cmd, char *err, size_t errlen) {
  /* f1: SNR in dB against a -13 dBm0 reference (0 = no noise); f2: level change in dB;
   * i2: slip one block every N blocks (0 = none); i3: frequency offset in ppm
   * (every frequency the far end sends is scaled by 1 + i3 / 1e6). */
  if (cmd->f1 < 0 || cmd->f1 > 80 || cmd->f2 < -40 || cmd->f2 > 20 || cmd->i2 < 0 ||
      cmd->i3 < -50000 || cmd->i3 > 50000) {
    snprintf(err, errlen, "impairment out of range (snr 0..80 dB, level -40..20 dB, slip >= 0, offset -5..+5 %%)");
    return -EINVAL;
  }
  c->warp_on = cmd->i3 != 0;
  if (c->warp_on) hl_warp_init(&c->warp, 1.0 + cmd->i3 / 1e6);
  if (c->noise) { awgn_free(c->noise); c->noise = NULL; }
  if (cmd->f1 > 0) c->noise = awgn_init_dbm0(NULL, 1234567 + c->info->channo, -13.0f - cmd->f1);
  c->gain = powf(10.0f, cmd->f2 / 20.0f);
  c->slip_every = cmd->i2;
  c->slip_count = 0;
  return 0;
}

int hl_sim_command(hl_driver_t *drv, const hl_cmd_t *cmd, char *err, size_t errlen) {
  sim_t *s = drv->state;
  if (cmd->op == HL_OP_SIM_ALARM) return sim_alarm(s, cmd, err, errlen);
  sim_chan_t *c = chan(s, cmd->chan);
  if (!c) { snprintf(err, errlen, "no channel %d", cmd->chan); return -ENODEV; }
  if (cmd->op == HL_OP_SIM_IMPAIR) return sim_impair(s, c, cmd, err, errlen);
  if (c->info->kind == HL_KIND_E1_R2) return exch_command(s, c, cmd, err, errlen);
  if (c->x7) {
    if (c->info->kind == HL_KIND_DCHAN) {
      snprintf(err, errlen, "channel %d is the D-channel of SS7 span %d: use the SS7 actions (cut, corrupt, grs...)", cmd->chan, c->x7->span);
      return -EINVAL;
    }
    if (!c->x7->far || !c->x7->far->command) { snprintf(err, errlen, "SS7 span %d has no far end", c->x7->span); return -EINVAL; }
    return c->x7->far->command(c->x7, c, cmd, err, errlen);
  }
  if (cmd->op == HL_OP_SIM_R2 || cmd->op == HL_OP_SIM_BLOCK) { snprintf(err, errlen, "channel %d is not an R2 timeslot", cmd->chan); return -EINVAL; }
  if (c->info->kind != HL_KIND_FXO && c->info->kind != HL_KIND_FXS) {
    snprintf(err, errlen, "channel %d is not an analog port", cmd->chan);
    return -EINVAL;
  }
  return pstn_command(s, c, cmd, err, errlen);
}
