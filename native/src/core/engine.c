/* The engine's tick loop and its two rings. The media thread owns every
 * channel; the JS thread only enqueues commands and drains events. */
#include "core_int.h"
#include "hl/sim.h"
#include <stdlib.h>
#include <string.h>
#include <sched.h>
#include <stdio.h>
#include <errno.h>
#include <time.h>

static const char *state_names[] = { "idle", "ringing", "offered", "up", "dialtone", "dialing",
                                     "outgoing", "hungup", "blocked" };
const char *hl_state_name(int st) {
  return st >= 0 && st <= HL_ST_BLOCKED ? state_names[st] : "unknown";
}

static int64_t mono_ns(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (int64_t)ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

/* ---- events (media thread → JS) ---- */

void ev_begin(hl_engine_t *e, hl_jw_t *w, char *buf, const char *name, int chan) {
  hl_jw_begin(w, buf, HL_EVENT_JSON, name, e->now, chan);
}

static void ev_push_text(hl_engine_t *e, const char *json) {
  unsigned t = atomic_load_explicit(&e->evt_tail, memory_order_relaxed);
  unsigned h = atomic_load_explicit(&e->evt_head, memory_order_acquire);
  if (t - h >= EVT_RING) { atomic_fetch_add(&e->st_dropped, 1); return; }
  strncpy(e->evts[t % EVT_RING].json, json, HL_EVENT_JSON - 1);
  e->evts[t % EVT_RING].json[HL_EVENT_JSON - 1] = 0;
  atomic_store_explicit(&e->evt_tail, t + 1, memory_order_release);
  atomic_fetch_add(&e->st_events, 1);
}

void ev_push(hl_engine_t *e, hl_jw_t *w) {
  hl_jw_end(w);
  ev_push_text(e, w->buf);
}

void ev_simple(hl_engine_t *e, const char *name, int chan) {
  char buf[HL_EVENT_JSON];
  hl_jw_t w;
  ev_begin(e, &w, buf, name, chan);
  ev_push(e, &w);
}

void ev_error(hl_engine_t *e, const hl_cmd_t *cmd, const char *code, const char *msg) {
  char buf[HL_EVENT_JSON];
  hl_jw_t w;
  ev_begin(e, &w, buf, "CommandFailed", cmd->chan);
  hl_jw_int(&w, "id", cmd->id);
  hl_jw_int(&w, "op", cmd->op);
  hl_jw_str(&w, "code", code);
  hl_jw_str(&w, "message", msg);
  ev_push(e, &w);
}

void garbage_push_rec(hl_engine_t *e, hl_recording_t *r) { garbage_push(e, (void *)((uintptr_t)r | 1)); }

static void sim_emit_cb(void *user, const char *json) { ev_push_text(user, json); }

void garbage_push(hl_engine_t *e, void *p) {
  unsigned t = atomic_load_explicit(&e->gb_tail, memory_order_relaxed);
  unsigned h = atomic_load_explicit(&e->gb_head, memory_order_acquire);
  if (t - h >= GARBAGE_RING) return;   /* leaks rather than blocks; ring is sized far above use */
  e->garbage[t % GARBAGE_RING] = p;
  atomic_store_explicit(&e->gb_tail, t + 1, memory_order_release);
}

/* ---- construction ---- */

/* Opens one channel on the driver, audio or D-channel alike; on failure err
 * names the channel and the driver's reason, and the caller frees the engine. */
static int chan_open(hl_engine_t *e, chan_t *c, char *err, size_t errlen) {
  int r = e->drv->ops->open(e->drv->state, c->info->channo);
  if (r < 0) {
    snprintf(err, errlen, "channel %d (%s): open failed: %s", c->info->channo, c->info->name, strerror(-r));
    return -1;
  }
  c->open = 1;
  return 0;
}

hl_engine_t *hl_engine_new(hl_driver_t *drv, const hl_engine_config_t *cfg, char *err, size_t errlen) {
  hl_engine_t *e = calloc(1, sizeof(*e));
  if (!e) { snprintf(err, errlen, "out of memory"); return NULL; }
  e->drv = drv;
  e->cfg = *cfg;
  if (!e->cfg.zone[0]) strcpy(e->cfg.zone, "cn");
  if (hl_zone_load(e->cfg.zone, &e->zone) != 0) {
    snprintf(err, errlen, "unknown tone zone '%s'", e->cfg.zone);
    free(e);
    return NULL;
  }
  cw_programs(e);
  e->nchans = drv->nchans;
  e->ch = calloc((size_t)e->nchans, sizeof(chan_t));
  e->evts = calloc(EVT_RING, sizeof(hl_event_t));
  e->snap = calloc((size_t)e->nchans, sizeof(hl_chan_state_t));
  e->span_alarm = calloc((size_t)drv->nspans + 1, sizeof(int));
  e->span_e1 = calloc((size_t)drv->nspans + 1, sizeof(int));
  e->span_cnt = calloc((size_t)drv->nspans + 1, sizeof(hl_span_counters_t));
  if (!e->ch || !e->evts || !e->snap || !e->span_alarm || !e->span_e1 || !e->span_cnt) { snprintf(err, errlen, "out of memory"); hl_engine_free(e); return NULL; }
  for (int i = 0; i < e->nchans; i++) {
    chan_t *c = &e->ch[i];
    c->info = &drv->chans[i];
    c->e = e;
    c->rxgain = c->txgain = 1.0f;
    c->tone_id = -1;
    c->cid_mode = HL_CID_AUTO;
    c->disc = HL_DISC_POLARITY | HL_DISC_LOOP | HL_DISC_BUSY | HL_DISC_CONGESTION;
    c->ring_cid_std = HL_CID_BELL202;
    /* E1 spans keep being E1 spans; only their signalling may change (respan.c). */
    if (c->info->kind == HL_KIND_E1 || c->info->kind == HL_KIND_E1_R2 || c->info->kind == HL_KIND_DCHAN)
      if (c->info->span >= 1 && c->info->span <= drv->nspans) e->span_e1[c->info->span] = 1;
    /* A gap in a board's numbering is no channel; D-channels carry frames,
     * not audio, and are opened only when the board can pass frames. */
    if (c->info->kind == HL_KIND_NONE) continue;
    if (c->info->kind == HL_KIND_DCHAN) {
      if (!drv->ops->read_frame || !drv->ops->write_frame) continue;
      if (chan_open(e, c, err, errlen) != 0) { hl_engine_free(e); return NULL; }
      continue;
    }
    c->dtmf_tx = dtmf_tx_init(NULL);
    if (hl_dtmf_rx_init(&c->dtmf, NULL, NULL) != 0 || !c->dtmf_tx || hl_cid_rx_init(&c->cid, 0) != 0 || hl_cid_tx_init(&c->cid_tx) != 0) {
      snprintf(err, errlen, "channel %d: DSP init failed", c->info->channo);
      hl_engine_free(e);
      return NULL;
    }
    if (chan_open(e, c, err, errlen) != 0) { hl_engine_free(e); return NULL; }
    if (c->info->kind == HL_KIND_E1_R2 && sig_r2_open(e, c) != 0) {
      snprintf(err, errlen, "channel %d: R2 init failed", c->info->channo);
      hl_engine_free(e);
      return NULL;
    }
  }
  /* SS7 links, once every bearer exists (each learns its D-channel). */
  for (int i = 0; i < e->nchans; i++)
    if (e->ch[i].open && e->ch[i].info->kind == HL_KIND_DCHAN && sig_ss7_open(e, &e->ch[i]) != 0) {
      snprintf(err, errlen, "channel %d: SS7 init failed", i + 1);
      hl_engine_free(e);
      return NULL;
    }
  for (int s = 1; s <= drv->nspans; s++) {
    int a = drv->ops->span_alarms(drv->state, s);
    e->span_alarm[s] = a < 0 ? 0 : a;
  }
  if (hl_sim_is(drv)) hl_sim_set_emit(drv, sim_emit_cb, e);
  /* Callbacks that need the channel are wired after allocation. */
  for (int i = 0; i < e->nchans; i++)
    if (e->ch[i].open && media_wire(e, &e->ch[i]) != 0) {
      snprintf(err, errlen, "channel %d: DSP init failed", i + 1);
      hl_engine_free(e);
      return NULL;
    }
  /* Snapshots (and the channel kinds they carry) are valid before the first tick. */
  publish(e);
  return e;
}

void hl_engine_free(hl_engine_t *e) {
  if (!e) return;
  hl_engine_stop(e);
  for (int i = 0; e->ch && i < e->nchans; i++) {
    chan_t *c = &e->ch[i];
    if (c->open) {
      for (int k = 0; k < c->nplay; k++) hl_playlist_free(c->play[k]);
      e->drv->ops->close(e->drv->state, c->info->channo);
    }
    if (c->dtmf.rx[0]) hl_dtmf_rx_release(&c->dtmf);
    if (c->dtmf_tx) dtmf_tx_free(c->dtmf_tx);
    if (c->tdet) hl_tonedet_free(c->tdet);
    if (c->cid.fsk_class) hl_cid_rx_release(&c->cid);
    if (c->cid_tx.tx[0]) hl_cid_tx_release(&c->cid_tx);
    if (c->r2) sig_r2_close(c);
    if (c->ss7) sig_ss7_close(c);
  }
  for (int i = 0; i < MAX_RECORDINGS; i++) {
    hl_recording_t *r = atomic_load(&e->recs[i]);
    if (!r) continue;
    hl_wav_writer_close(&r->w);
    free(r->ring);
    free(r);
  }
  /* Commands the media thread never ran still own what they carry. */
  for (unsigned h = atomic_load(&e->cmd_head), t = atomic_load(&e->cmd_tail); h != t; h++) {
    const hl_cmd_t *c = &e->cmds[h % CMD_RING];
    if (c->op == HL_OP_RESPAN && c->ptr) respan_kit_free(e, c->ptr);
    else if (c->op == HL_OP_PLAY && c->ptr) hl_playlist_free(c->ptr);
  }
  hl_engine_collect(e);
  free(e->ch); free(e->evts); free(e->snap); free(e->span_alarm); free(e->span_e1); free(e->span_cnt);
  free(e);
}

/* ---- commands (JS → media thread) ---- */

int hl_engine_submit(hl_engine_t *e, const hl_cmd_t *cmd) {
  unsigned t = atomic_load_explicit(&e->cmd_tail, memory_order_relaxed);
  unsigned h = atomic_load_explicit(&e->cmd_head, memory_order_acquire);
  if (t - h >= CMD_RING) return -ENOSPC;
  e->cmds[t % CMD_RING] = *cmd;
  atomic_store_explicit(&e->cmd_tail, t + 1, memory_order_release);
  return 0;
}

static void timer_command(hl_engine_t *e, const hl_cmd_t *cmd) {
  if (cmd->op == HL_OP_TIMER) {
    if (e->ntimers >= MAX_TIMERS) { ev_error(e, cmd, "too_many_timers", "the engine's timer table is full"); return; }
    e->timers[e->ntimers].id = cmd->id;
    e->timers[e->ntimers].due = e->now + (cmd->i1 > 0 ? cmd->i1 : 0);
    e->ntimers++;
    return;
  }
  /* Cancelling a timer that already fired is not an error: the two cross. */
  for (int i = 0; i < e->ntimers; i++) {
    if (e->timers[i].id != cmd->i1) continue;
    e->timers[i] = e->timers[--e->ntimers];
    return;
  }
}

static void fire_timers(hl_engine_t *e) {
  for (int i = 0; i < e->ntimers;) {
    if (e->timers[i].due > e->now) { i++; continue; }
    char buf[HL_EVENT_JSON];
    hl_jw_t w;
    ev_begin(e, &w, buf, "TimerFired", 0);
    hl_jw_int(&w, "timerId", e->timers[i].id);
    ev_push(e, &w);
    e->timers[i] = e->timers[--e->ntimers];
  }
}

static void run_command(hl_engine_t *e, const hl_cmd_t *cmd) {
  atomic_fetch_add(&e->st_commands, 1);
  if (cmd->op == HL_OP_TIMER || cmd->op == HL_OP_TIMER_CANCEL) { timer_command(e, cmd); return; }
  if (cmd->op == HL_OP_RESPAN) { respan_run(e, cmd); return; }
  if ((cmd->op >= HL_OP_SIM_CALL && cmd->op <= HL_OP_SIM_AUTOANSWER) || cmd->op == HL_OP_SIM_PHONE || cmd->op == HL_OP_SIM_R2 ||
      cmd->op == HL_OP_SIM_BLOCK || cmd->op == HL_OP_SIM_SS7) {
    char err[160] = "";
    if (!hl_sim_is(e->drv)) { ev_error(e, cmd, "not_simulated", "far-end commands need the sim driver"); return; }
    int rc = cmd->op == HL_OP_SIM_SS7 ? hl_sim_ss7_command(e->drv, cmd, err, sizeof err) : hl_sim_command(e->drv, cmd, err, sizeof err);
    if (rc != 0) ev_error(e, cmd, "far_end_refused", err);
    return;
  }
  chan_t *c = chan_get(e, cmd->chan);
  if (!c || !c->open) {
    char msg[80];
    snprintf(msg, sizeof msg, "no open channel %d", cmd->chan);
    ev_error(e, cmd, "unknown_channel", msg);
    if (cmd->op == HL_OP_PLAY && cmd->ptr) garbage_push(e, cmd->ptr);
    return;
  }
  if (sig_command(e, c, cmd)) return;
  if (media_command(e, c, cmd)) return;
  ev_error(e, cmd, "unknown_command", "the engine has no such command");
}

/* ---- the tick ---- */

void publish(hl_engine_t *e) {
  atomic_fetch_add_explicit(&e->snap_seq, 1, memory_order_acq_rel);   /* odd: writing */
  for (int i = 0; i < e->nchans; i++) {
    chan_t *c = &e->ch[i];
    hl_chan_state_t *s = &e->snap[i];
    s->channo = c->info->channo;
    s->kind = c->info->kind;
    s->hook = c->hook;
    s->state = c->st;
    s->bridged_to = c->bridge;
    s->conf = c->conf;
    s->tap_target = c->tap_target;
    s->tap_mode = c->tap_mode;
    s->playing = c->nplay ? c->play[0]->id : 0;
    s->recording = c->rec ? c->rec->id : 0;
    s->tone = c->tone_id;
    s->ring_count = c->rings;
    s->alarms = e->span_alarm[c->info->span];
    s->span_errors = e->span_cnt[c->info->span];
    if (c->have_caller) memcpy(s->caller, c->caller.number, sizeof s->caller - 1);
    else s->caller[0] = 0;
    if (c->r2) snprintf(s->sig_state, sizeof s->sig_state, "%s", hl_r2_state_name(c->r2->state));
    else if (c->ss7 || c->ss7_dchan) sig_ss7_state_name(e, c, s->sig_state, sizeof s->sig_state);
    else s->sig_state[0] = 0;
    s->has_link = c->ss7 && c->ss7_ready;
    if (s->has_link) {
      const hl_ss7_counters_t *k = hl_ss7_counters(c->ss7);
      s->link_msu_in = (uint32_t)k->msu_in; s->link_msu_out = (uint32_t)k->msu_out;
      s->link_bad_frames = (uint32_t)(k->bad_frames + c->ss7_bad_frames);
      s->link_retransmissions = (uint32_t)k->retransmissions; s->link_failures = (uint32_t)k->link_failures;
      s->link_isup_errors = (uint32_t)k->isup_errors;
    }
  }
  atomic_fetch_add_explicit(&e->snap_seq, 1, memory_order_release);
}

void hl_engine_step(hl_engine_t *e) {
  unsigned ev_before = atomic_load_explicit(&e->evt_tail, memory_order_relaxed);
  unsigned h = atomic_load_explicit(&e->cmd_head, memory_order_relaxed);
  unsigned t = atomic_load_explicit(&e->cmd_tail, memory_order_acquire);
  for (; h != t; h++) {
    run_command(e, &e->cmds[h % CMD_RING]);
    atomic_store_explicit(&e->cmd_head, h + 1, memory_order_release);
  }
  fire_timers(e);
  hl_driver_t *d = e->drv;
  /* E1 line error counters, once a second per E1 span (one SPANSTAT each on DAHDI). */
  if (d->ops->span_counters && e->now % 1000 == 0)
    for (int sp = 1; sp <= d->nspans; sp++)
      if (e->span_e1[sp]) d->ops->span_counters(d->state, sp, &e->span_cnt[sp]);
  d->ops->tick(d->state, e->now);
  uint8_t law[HL_BLOCK];
  for (int i = 0; i < e->nchans; i++) {
    chan_t *c = &e->ch[i];
    if (!c->open) continue;
    int ev;
    while ((ev = d->ops->get_event(d->state, c->info->channo)) > 0) sig_event(e, c, ev);
    if (c->info->kind == HL_KIND_DCHAN) { sig_ss7_tick(e, c); continue; }
    int n = d->ops->read_audio(d->state, c->info->channo, law, HL_BLOCK);
    if (n == HL_BLOCK) {
      if (c->info->law == HL_LAW_ALAW) for (int k = 0; k < HL_BLOCK; k++) c->rx[k] = alaw_to_linear(law[k]);
      else for (int k = 0; k < HL_BLOCK; k++) c->rx[k] = ulaw_to_linear(law[k]);
    } else {
      memset(c->rx, 0, sizeof c->rx);
    }
    media_rx(e, c);
    sig_tick(e, c);
  }
  media_mix(e);
  for (int i = 0; i < e->nchans; i++) {
    chan_t *c = &e->ch[i];
    if (!c->open || c->info->kind == HL_KIND_DCHAN) continue;
    if (c->klink) {
      /* The board makes this channel's transmit (media_links): nothing to encode or write. */
      if (c->rec) media_record(e, c);
      continue;
    }
    if (c->info->law == HL_LAW_ALAW) for (int k = 0; k < HL_BLOCK; k++) law[k] = linear_to_alaw(c->tx[k]);
    else for (int k = 0; k < HL_BLOCK; k++) law[k] = linear_to_ulaw(c->tx[k]);
    d->ops->write_audio(d->state, c->info->channo, law, HL_BLOCK);
    if (c->rec) media_record(e, c);
  }
  media_poll_recordings(e);
  publish(e);
  e->now += HL_BLOCK / 8;
  atomic_fetch_add(&e->st_ticks, 1);
  if (atomic_load_explicit(&e->evt_tail, memory_order_relaxed) != ev_before && e->notify) {
    atomic_fetch_add(&e->st_notifies, 1);
    e->notify(e->notify_user);
  }
}

static void *media_main(void *arg) {
  hl_engine_t *e = arg;
  struct timespec next;
  clock_gettime(CLOCK_MONOTONIC, &next);
  double speed = e->cfg.speed;
  int64_t period_ns = speed > 0 ? (int64_t)(20000000.0 / speed) : 0;
  /* Lateness the loop makes up by running ticks back to back: one period, and
   * at least one real block (20 ms), so that a faster-than-real-time sim does
   * not count the scheduler's millisecond jitter as overruns. At real time
   * this is one period, as before. */
  int64_t slack_ns = period_ns > 20000000 ? period_ns : 20000000;
  while (atomic_load(&e->running)) {
    int64_t t0 = mono_ns();
    hl_engine_step(e);
    int64_t work = mono_ns() - t0;
    atomic_fetch_add(&e->st_work_total, (uint64_t)work);
    if ((uint64_t)work > atomic_load(&e->st_work_max)) atomic_store(&e->st_work_max, (uint64_t)work);
    if (period_ns > 0) {
      next.tv_nsec += period_ns;
      while (next.tv_nsec >= 1000000000L) { next.tv_nsec -= 1000000000L; next.tv_sec++; }
      int64_t now = mono_ns();
      int64_t due = (int64_t)next.tv_sec * 1000000000LL + next.tv_nsec;
      if (now > due + slack_ns) {
        /* Fell behind by more than the slack: count it and resynchronise rather than burst. */
        atomic_fetch_add(&e->st_overruns, 1);
        clock_gettime(CLOCK_MONOTONIC, &next);
      } else {
        clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &next, NULL);
      }
    } else {
      /* As fast as possible, but let the JS thread drain events. */
      unsigned h = atomic_load(&e->evt_head), t = atomic_load(&e->evt_tail);
      if (t - h > EVT_RING / 2) { struct timespec ts = { 0, 1000000 }; nanosleep(&ts, NULL); }
    }
  }
  return NULL;
}

int hl_engine_start(hl_engine_t *e) {
  if (e->started) return 0;
  if (sem_init(&e->writer_wake, 0, 0) != 0) return -errno;
  atomic_store(&e->running, 1);
  if (pthread_create(&e->writer, NULL, writer_main, e) != 0) { sem_destroy(&e->writer_wake); return -errno; }
  if (pthread_create(&e->thread, NULL, media_main, e) != 0) {
    atomic_store(&e->running, 0);
    sem_post(&e->writer_wake);
    pthread_join(e->writer, NULL);
    sem_destroy(&e->writer_wake);
    return -errno;
  }
  e->started = 1;
  return 0;
}

void hl_engine_stop(hl_engine_t *e) {
  if (!e->started) return;
  atomic_store(&e->running, 0);
  pthread_join(e->thread, NULL);
  sem_post(&e->writer_wake);
  pthread_join(e->writer, NULL);
  sem_destroy(&e->writer_wake);
  e->started = 0;
}

int hl_engine_drain(hl_engine_t *e, hl_event_t *out, int max) {
  unsigned h = atomic_load_explicit(&e->evt_head, memory_order_relaxed);
  unsigned t = atomic_load_explicit(&e->evt_tail, memory_order_acquire);
  int n = 0;
  for (; h != t && n < max; h++, n++) out[n] = e->evts[h % EVT_RING];
  atomic_store_explicit(&e->evt_head, h, memory_order_release);
  return n;
}

void hl_engine_collect(hl_engine_t *e) {
  unsigned h = atomic_load_explicit(&e->gb_head, memory_order_relaxed);
  unsigned t = atomic_load_explicit(&e->gb_tail, memory_order_acquire);
  for (; h != t; h++) {
    /* Recordings are pushed with the low pointer bit set (see garbage_push_rec), respan kits with the next one. */
    uintptr_t v = (uintptr_t)e->garbage[h % GARBAGE_RING];
    if ((v & 3) == 2) {
      /* A span re-lay's kit (respan.c): the span's old state, or what it did not take. */
      respan_kit_free(e, (void *)(v & ~(uintptr_t)3));
    } else if (v & 1) {
      hl_recording_t *r = (hl_recording_t *)(v & ~(uintptr_t)1);
      free(r->ring);
      free(r);
    } else {
      hl_playlist_free((hl_playlist_t *)v);
    }
  }
  atomic_store_explicit(&e->gb_head, h, memory_order_release);
}

void hl_engine_set_notify(hl_engine_t *e, void (*fn)(void *), void *user) { e->notify = fn; e->notify_user = user; }

int hl_engine_snapshot(hl_engine_t *e, hl_chan_state_t *out, int max) {
  int n = e->nchans < max ? e->nchans : max;
  /* The media thread may be descheduled in the middle of publishing (a loaded
   * machine): after a few spins, give it the CPU instead of giving up. */
  for (int tries = 0; tries < 100000; tries++) {
    if (tries >= 16) sched_yield();
    unsigned s1 = atomic_load_explicit(&e->snap_seq, memory_order_acquire);
    if (s1 & 1) continue;
    memcpy(out, e->snap, (size_t)n * sizeof(*out));
    atomic_thread_fence(memory_order_acquire);
    if (atomic_load_explicit(&e->snap_seq, memory_order_relaxed) == s1) return n;
  }
  return -EAGAIN;
}

int64_t hl_engine_time(hl_engine_t *e) { return e->now; }
uint32_t hl_engine_submitted(hl_engine_t *e) { return atomic_load(&e->cmd_tail); }
uint32_t hl_engine_processed(hl_engine_t *e) { return atomic_load(&e->cmd_head); }
const hl_driver_t *hl_engine_driver(hl_engine_t *e) { return e->drv; }

void hl_engine_stats(hl_engine_t *e, hl_engine_stats_t *s) {
  s->ticks = atomic_load(&e->st_ticks);
  s->overruns = atomic_load(&e->st_overruns);
  s->events = atomic_load(&e->st_events);
  s->events_dropped = atomic_load(&e->st_dropped);
  s->notifies = atomic_load(&e->st_notifies);
  s->commands = atomic_load(&e->st_commands);
  s->work_ns_total = atomic_load(&e->st_work_total);
  s->work_ns_max = atomic_load(&e->st_work_max);
  s->rec_syscalls = atomic_load(&e->st_rec_syscalls);
  s->rec_frames = atomic_load(&e->st_rec_frames);
}
