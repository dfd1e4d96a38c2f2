/* Per-channel media on the media thread: detectors on what a line sends us,
 * and what we send it (prompts, tones, DTMF, caller-ID spill, a bridged or
 * conferenced party, a supervisor's voice). Recording is in record.c, kernel
 * links in links.c. */
#include "core_int.h"
#include <stdlib.h>
#include <string.h>
#include <stdio.h>
#include <math.h>
#include <unistd.h>
#include <time.h>

static void on_dtmf_edge(void *user, int code) {
  chan_t *c = user;
  hl_engine_t *e = c->e;
  if (c->cw_phase && sig_cw_dtmf(e, c, code)) return;   /* a call-waiting acknowledgement, not a key */
  if (code) { c->digit = code; c->digit_ms = e->now; return; }
  if (c->digit) {
    int dur = (int)(e->now - c->digit_ms);
    if (dur < 20) dur = 20;
    sig_dtmf(e, c, c->digit, dur);
    c->digit = 0;
  }
}

static void on_tone(void *user, const hl_tone_report_t *r) {
  chan_t *c = user;
  hl_engine_t *e = c->e;
  sig_tone(e, c, r);
}

int media_wire(hl_engine_t *e, chan_t *c) {
  if (c->info->kind == HL_KIND_DCHAN) return 0;
  c->dtmf.edge = on_dtmf_edge;
  c->dtmf.user = c;
  c->tdet = hl_tonedet_new(e->cfg.zone, on_tone, c);
  if (!c->tdet) return -1;
  if (c->info->kind == HL_KIND_FXO) {
    hl_cid_rx_set_mask(&c->cid, 0xE);
    c->cid_on = 1;
  }
  return 0;
}

void media_rx(hl_engine_t *e, chan_t *c) {
  if (c->info->kind == HL_KIND_DCHAN) return;
  if (c->rxgain != 1.0f)
    for (int i = 0; i < HL_BLOCK; i++) c->rx[i] = sat16((int32_t)lrintf(c->rx[i] * c->rxgain));
  if (c->dtmf_on) hl_dtmf_rx(&c->dtmf, c->rx, HL_BLOCK);
  if (c->cid_on) hl_cid_rx_feed(&c->cid, c->rx, HL_BLOCK);
  if (c->tdet_on) hl_tonedet_rx(c->tdet, c->rx, HL_BLOCK);
  if (c->r2) hl_r2_rx(c->r2, c->rx, HL_BLOCK);   /* R2 MF signals (only while it listens) */
  int freq, on, off;
  if (c->learning && hl_tonedet_learned(c->tdet, &freq, &on, &off)) {
    /* From now on this line reports that cadence as the "learned" tone (a
     * disconnect tone where busy tone is a disconnect method). */
    c->learning = 0;
    hl_tonedet_set_cadence(c->tdet, HL_TONE_LEARNED, freq, on, off);
    char buf[HL_EVENT_JSON];
    hl_jw_t w;
    ev_begin(e, &w, buf, "CadenceLearned", c->info->channo);
    hl_jw_int(&w, "freq", freq);
    hl_jw_int(&w, "onMs", on);
    hl_jw_int(&w, "offMs", off);
    ev_push(e, &w);
  }
}

/* ---- playback ---- */

hl_playlist_t *hl_playlist_new(int loop) {
  hl_playlist_t *p = calloc(1, sizeof(*p));
  if (p) p->loop = loop;
  return p;
}

int hl_playlist_add(hl_playlist_t *p, int16_t *samples, size_t count) {
  if (p->n == p->cap) {
    int cap = p->cap ? p->cap * 2 : 4;
    hl_audio_t *it = realloc(p->items, (size_t)cap * sizeof(*it));
    if (!it) return -1;
    p->items = it; p->cap = cap;
  }
  p->items[p->n].samples = samples;
  p->items[p->n].count = count;
  p->n++;
  return 0;
}

void hl_playlist_free(hl_playlist_t *p) {
  if (!p) return;
  for (int i = 0; i < p->n; i++) free(p->items[i].samples);
  free(p->items);
  free(p);
}

static void play_event(hl_engine_t *e, chan_t *c, const char *name, hl_playlist_t *p, const char *reason) {
  char buf[HL_EVENT_JSON]; hl_jw_t w;
  ev_begin(e, &w, buf, name, c->info->channo);
  hl_jw_int(&w, "playbackId", p->id);
  if (reason) hl_jw_str(&w, "reason", reason);
  ev_push(e, &w);
}

static void play_pop(hl_engine_t *e, chan_t *c, const char *reason) {
  hl_playlist_t *p = c->play[0];
  play_event(e, c, "PlaybackFinished", p, reason);
  garbage_push(e, p);
  memmove(c->play, c->play + 1, (size_t)(c->nplay - 1) * sizeof(c->play[0]));
  c->nplay--;
  if (c->nplay) play_event(e, c, "PlaybackStarted", c->play[0], NULL);
}

void play_stop_all(hl_engine_t *e, chan_t *c, const char *reason) {
  while (c->nplay) play_pop(e, c, reason);
}

static void play_mix(hl_engine_t *e, chan_t *c, int32_t *acc) {
  int i = 0;
  while (c->nplay && i < HL_BLOCK) {
    hl_playlist_t *p = c->play[0];
    if (p->cur >= p->n) {
      if (p->loop && p->n) { p->cur = 0; p->pos = 0; continue; }
      play_pop(e, c, "done");
      continue;
    }
    hl_audio_t *a = &p->items[p->cur];
    size_t take = a->count - p->pos;
    if (take > (size_t)(HL_BLOCK - i)) take = (size_t)(HL_BLOCK - i);
    for (size_t k = 0; k < take; k++) acc[i + k] += a->samples[p->pos + k];
    i += (int)take;
    p->pos += take;
    if (p->pos >= a->count) { p->cur++; p->pos = 0; }
  }
}

/* ---- links ---- */

static void link_event(hl_engine_t *e, const char *name, int a, int b, const char *kb, int extra) {
  char buf[HL_EVENT_JSON]; hl_jw_t w;
  ev_begin(e, &w, buf, name, a);
  if (b) hl_jw_int(&w, "peer", b);
  if (kb) hl_jw_int(&w, kb, extra);
  ev_push(e, &w);
}

static void unbridge(hl_engine_t *e, chan_t *c) {
  if (!c->bridge) return;
  chan_t *p = chan_get(e, c->bridge);
  link_event(e, "BridgeDestroyed", c->info->channo, c->bridge, NULL, 0);
  if (p && p->bridge == c->info->channo) p->bridge = 0;
  c->bridge = 0;
}

static void untap(hl_engine_t *e, chan_t *c) {
  if (!c->tap_target) return;
  link_event(e, "TapStopped", c->info->channo, c->tap_target, NULL, 0);
  c->tap_target = 0; c->tap_mode = 0;
}

void unlink_all(hl_engine_t *e, chan_t *c) {
  unbridge(e, c);
  if (c->conf) { link_event(e, "ConferenceLeft", c->info->channo, 0, "conference", c->conf); e->conf_members[c->conf]--; c->conf = 0; }
  untap(e, c);
  /* Supervisors tapping this channel lose their target. */
  for (int i = 0; i < e->nchans; i++) if (e->ch[i].tap_target == c->info->channo) untap(e, &e->ch[i]);
}

/* ---- the mixer: compute every channel's transmit block ---- */

void media_mix(hl_engine_t *e) {
  media_links(e);   /* links.c: what the board mixes this tick instead of us */
  /* Conference sums first: each member hears the sum less its own voice. */
  for (int k = 1; k < MAX_CONFS; k++) if (e->conf_members[k]) memset(e->conf_sum[k], 0, sizeof e->conf_sum[k]);
  for (int i = 0; i < e->nchans; i++) {
    chan_t *c = &e->ch[i];
    if (c->conf && !c->conf_muted && !c->cw_phase) for (int s = 0; s < HL_BLOCK; s++) e->conf_sum[c->conf][s] += c->rx[s];
  }
  for (int i = 0; i < e->nchans; i++) {
    chan_t *c = &e->ch[i];
    if (!c->open || c->info->kind == HL_KIND_DCHAN) continue;
    if (c->klink == HL_LINK_BRIDGE) {
      /* The board sends the peer's line; tx is kept only for a recording or a tap. */
      const chan_t *p = chan_get(e, c->kpeer);
      if (p) memcpy(c->tx, p->rx, sizeof c->tx); else memset(c->tx, 0, sizeof c->tx);
      memcpy(c->tx_pre, c->tx, sizeof c->tx);
      continue;
    }
    if (c->cw_phase) {
      /* Call waiting: the phone hears the alert and the caller ID only, the
       * call and any prompt wait (GR-30 mutes the far end meanwhile). */
      memset(c->tx, 0, sizeof c->tx);
      if (c->cw_tone_on) c->cw_tone_on = hl_tonegen_mix(&c->cw_tone, c->tx, HL_BLOCK);
      if (c->cid_tx.active) hl_cid_tx_mix(&c->cid_tx, c->tx, HL_BLOCK);
      memcpy(c->tx_pre, c->tx, sizeof c->tx);
      continue;
    }
    int mf = c->r2 && hl_r2_tx_active(c->r2);
    if (!c->bridge && !c->conf && !c->nplay && !c->tone.prog && !c->dtmf_tx_busy && !c->cid_tx.active && !mf) {
      /* Nothing to send: silence, without mixing. */
      memset(c->tx, 0, sizeof c->tx);
      memset(c->tx_pre, 0, sizeof c->tx_pre);
      continue;
    }
    int32_t acc[HL_BLOCK];
    memset(acc, 0, sizeof acc);
    if (c->bridge) {
      /* A party in call waiting is muted: its line carries the acknowledgement. */
      chan_t *p = chan_get(e, c->bridge);
      if (p && !p->cw_phase) for (int s = 0; s < HL_BLOCK; s++) acc[s] += p->rx[s];
    }
    if (c->conf) {
      const int32_t *sum = e->conf_sum[c->conf];
      if (c->conf_muted) for (int s = 0; s < HL_BLOCK; s++) acc[s] += sum[s];
      else for (int s = 0; s < HL_BLOCK; s++) acc[s] += sum[s] - c->rx[s];
    }
    if (c->nplay) play_mix(e, c, acc);
    int16_t gen[HL_BLOCK];
    memset(gen, 0, sizeof gen);
    int any = 0;
    if (c->tone.prog) { if (!hl_tonegen_mix(&c->tone, gen, HL_BLOCK)) c->tone_id = -1; any = 1; }
    if (c->dtmf_tx_busy) {
      int16_t d[HL_BLOCK];
      int n = dtmf_tx(c->dtmf_tx, d, HL_BLOCK);
      for (int s = 0; s < n; s++) gen[s] = sat16(gen[s] + d[s]);
      if (n < HL_BLOCK) c->dtmf_tx_busy = 0;
      any = 1;
    }
    if (c->cid_tx.active) { hl_cid_tx_mix(&c->cid_tx, gen, HL_BLOCK); any = 1; }
    if (mf) any |= hl_r2_tx(c->r2, gen, HL_BLOCK);
    if (any) for (int s = 0; s < HL_BLOCK; s++) acc[s] += gen[s];
    if (c->txgain != 1.0f) for (int s = 0; s < HL_BLOCK; s++) acc[s] = (int32_t)lrintf(acc[s] * c->txgain);
    for (int s = 0; s < HL_BLOCK; s++) c->tx[s] = sat16(acc[s]);
    memcpy(c->tx_pre, c->tx, sizeof c->tx);
  }
  /* Supervision taps: the supervisor hears both sides of the target; in
   * whisper the target's party (the agent) also hears the supervisor, in
   * barge both parties do. */
  for (int i = 0; i < e->nchans; i++) {
    chan_t *s = &e->ch[i];
    if (!s->tap_target) continue;
    chan_t *t = chan_get(e, s->tap_target);
    if (!t) continue;
    for (int k = 0; k < HL_BLOCK; k++) s->tx[k] = sat16((int32_t)t->rx[k] + t->tx_pre[k]);
    if (s->tap_mode == HL_TAP_WHISPER || s->tap_mode == HL_TAP_BARGE)
      for (int k = 0; k < HL_BLOCK; k++) t->tx[k] = sat16((int32_t)t->tx[k] + s->rx[k]);
    if (s->tap_mode == HL_TAP_BARGE && t->bridge) {
      chan_t *p = chan_get(e, t->bridge);
      if (p) for (int k = 0; k < HL_BLOCK; k++) p->tx[k] = sat16((int32_t)p->tx[k] + s->rx[k]);
    }
  }
}

/* ---- commands ---- */

static void tone_event(hl_engine_t *e, chan_t *c, const char *name, int id) {
  char buf[HL_EVENT_JSON]; hl_jw_t w;
  ev_begin(e, &w, buf, name, c->info->channo);
  hl_jw_str(&w, "tone", hl_zone_tone_name(id));
  ev_push(e, &w);
}

/* Whether a channel has a call whose audio path media can use. An exchange
 * line on-hook (idle, ringing, offered) has none; neither has a port whose
 * phone is on-hook with nothing going on. A phone off-hook has one in any
 * state (dial tone, the busy tone after the far end left). Anything started
 * on a channel without a call would outlive the race that started it: its
 * media stops only when the channel's next call ends. */
static int has_call(const chan_t *c) {
  if (c->hook) return 1;
  if (c->info->kind == HL_KIND_FXO) return c->st != HL_ST_IDLE && c->st != HL_ST_RINGING && c->st != HL_ST_OFFERED;
  if (c->info->kind == HL_KIND_FXS) return c->st != HL_ST_IDLE;
  return 1;   /* E1 channels: signalling is the supervisor's */
}

/* A recording that never started: its file is closed empty and handed back. */
static void rec_refuse(hl_engine_t *e, hl_recording_t *r) {
  atomic_store(&r->stopping, 1);
  /* Refused before any audio: closing the empty file here is a rare, short
   * write, accepted on this error path only. */
  hl_wav_writer_close(&r->w);
  garbage_push_rec(e, r);
}

/* The media commands that start something on the channel need a call on it
 * (and on a bridge's peer or a tap's target); those that stop or adjust
 * something never do. 1 when cmd was refused (and its payload handed back). */
static int refuse_without_call(hl_engine_t *e, chan_t *c, const hl_cmd_t *cmd) {
  const char *what = NULL;
  switch (cmd->op) {
  case HL_OP_PLAY: what = "play on"; break;
  case HL_OP_TONE: what = "play a tone on"; break;
  case HL_OP_SEND_DTMF: what = "send DTMF on"; break;
  case HL_OP_RECORD: what = "record"; break;
  case HL_OP_BRIDGE: what = "bridge"; break;
  case HL_OP_CONF_JOIN: what = "conference"; break;
  case HL_OP_TAP: what = "tap from"; break;
  default: return 0;
  }
  const chan_t *bad = has_call(c) ? NULL : c;
  if (!bad && (cmd->op == HL_OP_BRIDGE || cmd->op == HL_OP_TAP)) {
    const chan_t *o = chan_get(e, cmd->chan2);
    if (o && o->open && o != c && o->info->kind != HL_KIND_DCHAN && !has_call(o)) {
      bad = o;
      what = cmd->op == HL_OP_BRIDGE ? "bridge to" : "tap";
    }
  }
  if (!bad) return 0;
  chan_wrong_state(e, bad, cmd, what);
  if (cmd->op == HL_OP_PLAY) garbage_push(e, cmd->ptr);
  if (cmd->op == HL_OP_RECORD) rec_refuse(e, cmd->ptr);
  return 1;
}

int media_command(hl_engine_t *e, chan_t *c, const hl_cmd_t *cmd) {
  char buf[HL_EVENT_JSON]; hl_jw_t w;
  chan_t *o;
  if (refuse_without_call(e, c, cmd)) return 1;
  switch (cmd->op) {
  case HL_OP_PLAY: {
    hl_playlist_t *p = cmd->ptr;
    p->id = cmd->id;
    if (!cmd->i1) play_stop_all(e, c, "replaced");   /* i1: queue behind what plays */
    if (c->nplay == PLAY_QUEUE) { ev_error(e, cmd, "queue_full", "too many prompts queued"); garbage_push(e, p); return 1; }
    c->play[c->nplay++] = p;
    if (c->nplay == 1) play_event(e, c, "PlaybackStarted", p, NULL);
    return 1;
  }
  case HL_OP_STOP_PLAY:
    play_stop_all(e, c, "stopped");
    return 1;
  case HL_OP_TONE:
    if (cmd->i1 < 0 || cmd->i1 >= HL_ZT_MAX || !e->zone.tones[cmd->i1].nseg) { ev_error(e, cmd, "unknown_tone", "the zone has no such tone"); return 1; }
    c->tone_id = cmd->i1;
    hl_tonegen_start(&c->tone, &e->zone.tones[cmd->i1], e->zone.level_dbm0);
    tone_event(e, c, "ToneStarted", cmd->i1);
    return 1;
  case HL_OP_STOP_TONE:
    if (c->tone_id >= 0) tone_event(e, c, "ToneStopped", c->tone_id);
    c->tone.prog = NULL; c->tone_id = -1;
    return 1;
  case HL_OP_SEND_DTMF:
    dtmf_tx_put(c->dtmf_tx, cmd->s1, -1);
    c->dtmf_tx_busy = 1;
    return 1;
  case HL_OP_GAIN:
    c->rxgain = powf(10.0f, cmd->f1 / 20.0f);
    c->txgain = powf(10.0f, cmd->f2 / 20.0f);
    return 1;
  case HL_OP_RECORD: {
    hl_recording_t *r = cmd->ptr;
    r->id = cmd->id; r->chan = c->info->channo;
    int slot = -1;
    for (int i = 0; i < MAX_RECORDINGS && slot < 0; i++) if (!atomic_load(&e->recs[i])) slot = i;
    if (c->rec || slot < 0) {
      ev_error(e, cmd, c->rec ? "already_recording" : "too_many_recordings",
               c->rec ? "the channel is already being recorded" : "recording limit reached");
      rec_refuse(e, r);
      return 1;
    }
    c->rec = r;
    atomic_store_explicit(&e->recs[slot], r, memory_order_release);
    ev_begin(e, &w, buf, "RecordingStarted", c->info->channo);
    hl_jw_int(&w, "recordingId", r->id);
    hl_jw_str(&w, "path", r->path);
    hl_jw_bool(&w, "stereo", r->stereo);
    ev_push(e, &w);
    return 1;
  }
  case HL_OP_RECORD_PAUSE:
  case HL_OP_RECORD_RESUME:
    if (!c->rec) { ev_error(e, cmd, "not_recording", "the channel is not being recorded"); return 1; }
    c->rec->paused = cmd->op == HL_OP_RECORD_PAUSE;
    ev_begin(e, &w, buf, c->rec->paused ? "RecordingPaused" : "RecordingResumed", c->info->channo);
    hl_jw_int(&w, "recordingId", c->rec->id);
    ev_push(e, &w);
    return 1;
  case HL_OP_RECORD_STOP:
    if (!c->rec) { ev_error(e, cmd, "not_recording", "the channel is not being recorded"); return 1; }
    rec_stop(e, c);
    return 1;
  case HL_OP_BRIDGE:
    o = chan_get(e, cmd->chan2);
    if (!o || !o->open || o == c || o->info->kind == HL_KIND_DCHAN || c->info->kind == HL_KIND_DCHAN) {
      ev_error(e, cmd, "unknown_channel", "bridge needs two different voice channels"); return 1;
    }
    unbridge(e, c); unbridge(e, o);
    c->bridge = o->info->channo; o->bridge = c->info->channo;
    link_event(e, "BridgeCreated", c->info->channo, o->info->channo, NULL, 0);
    return 1;
  case HL_OP_UNBRIDGE:
    if (!c->bridge) { ev_error(e, cmd, "not_bridged", "the channel is not bridged"); return 1; }
    unbridge(e, c);
    return 1;
  case HL_OP_CONF_JOIN:
    if (cmd->i1 < 1 || cmd->i1 >= MAX_CONFS) { ev_error(e, cmd, "bad_conference", "conference number out of range"); return 1; }
    if (c->conf) { e->conf_members[c->conf]--; link_event(e, "ConferenceLeft", c->info->channo, 0, "conference", c->conf); }
    c->conf = cmd->i1; c->conf_muted = cmd->i2;
    e->conf_members[c->conf]++;
    link_event(e, "ConferenceJoined", c->info->channo, 0, "conference", c->conf);
    return 1;
  case HL_OP_CONF_LEAVE:
    if (!c->conf) { ev_error(e, cmd, "not_in_conference", "the channel is in no conference"); return 1; }
    e->conf_members[c->conf]--;
    link_event(e, "ConferenceLeft", c->info->channo, 0, "conference", c->conf);
    c->conf = 0;
    return 1;
  case HL_OP_CONF_MUTE:
    if (!c->conf) { ev_error(e, cmd, "not_in_conference", "the channel is in no conference"); return 1; }
    c->conf_muted = cmd->i2;
    return 1;
  case HL_OP_TAP:
    o = chan_get(e, cmd->chan2);
    if (!o || !o->open || o == c) { ev_error(e, cmd, "unknown_channel", "tap needs a target channel"); return 1; }
    if (cmd->i1 < HL_TAP_LISTEN || cmd->i1 > HL_TAP_BARGE) { ev_error(e, cmd, "bad_mode", "tap mode is listen, whisper or barge"); return 1; }
    c->tap_target = o->info->channo; c->tap_mode = cmd->i1;
    ev_begin(e, &w, buf, "TapStarted", c->info->channo);
    hl_jw_int(&w, "target", o->info->channo);
    hl_jw_str(&w, "mode", cmd->i1 == HL_TAP_LISTEN ? "listen" : cmd->i1 == HL_TAP_WHISPER ? "whisper" : "barge");
    ev_push(e, &w);
    return 1;
  case HL_OP_UNTAP:
    if (!c->tap_target) { ev_error(e, cmd, "not_tapping", "the channel taps nothing"); return 1; }
    untap(e, c);
    return 1;
  default:
    return 0;
  }
}
