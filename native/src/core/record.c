/* Recording: the media thread copies each recorded channel's block into the
 * recording's ring (no system call); the writer thread empties the rings into
 * WAV files in large writes. */
#define _GNU_SOURCE            /* sem_clockwait */
#include "core_int.h"
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

hl_recording_t *hl_recording_open(const char *path, int stereo, char *err, size_t errlen) {
  hl_recording_t *r = calloc(1, sizeof(*r));
  if (!r) { snprintf(err, errlen, "out of memory"); return NULL; }
  r->stereo = stereo ? 1 : 0;
  r->ring = calloc((size_t)REC_RING_FRAMES * (size_t)(r->stereo + 1), sizeof(int16_t));
  if (!r->ring) { free(r); snprintf(err, errlen, "out of memory"); return NULL; }
  snprintf(r->path, sizeof r->path, "%s", path);
  if (hl_wav_writer_open(&r->w, path, r->stereo + 1) != 0) {
    snprintf(err, errlen, "cannot create recording file %s", path);
    free(r->ring); free(r);
    return NULL;
  }
  return r;
}

void media_record(hl_engine_t *e, chan_t *c) {
  hl_recording_t *r = c->rec;
  if (r->paused) return;
  uint64_t h = atomic_load_explicit(&r->head, memory_order_relaxed);
  uint64_t t = atomic_load_explicit(&r->tail, memory_order_acquire);
  if (h - t + HL_BLOCK > REC_RING_FRAMES) { atomic_fetch_add(&r->dropped, HL_BLOCK); return; }
  /* The ring holds a whole number of blocks and the head moves a block at a
   * time, so a block never wraps: one index per block. */
  if (r->stereo) {
    /* Left is the line (the caller), right what we send (the agent). */
    int16_t *out = r->ring + (size_t)(h % REC_RING_FRAMES) * 2;
    for (int k = 0; k < HL_BLOCK; k++) { out[2 * k] = c->rx[k]; out[2 * k + 1] = c->tx[k]; }
  } else {
    int16_t *out = r->ring + (size_t)(h % REC_RING_FRAMES);
    for (int k = 0; k < HL_BLOCK; k++) out[k] = sat16((int32_t)c->rx[k] + c->tx[k]);
  }
  atomic_store_explicit(&r->head, h + HL_BLOCK, memory_order_release);
}

void rec_stop(hl_engine_t *e, chan_t *c) {
  if (!c->rec) return;
  atomic_store(&c->rec->stopping, 1);
  c->rec = NULL;
  /* Wake the writer so the file is closed now, not at its next look. A
   * recording stops once per call: this rare futex wake is the only system
   * call the media thread makes for recording. */
  if (e->started) sem_post(&e->writer_wake);
}

static void rec_finished_event(hl_engine_t *e, hl_recording_t *r) {
  char buf[HL_EVENT_JSON]; hl_jw_t w;
  ev_begin(e, &w, buf, "RecordingFinished", r->chan);
  hl_jw_int(&w, "recordingId", r->id);
  hl_jw_str(&w, "path", r->path);
  hl_jw_int(&w, "durationMs", (int64_t)(atomic_load(&r->tail) / 8));
  hl_jw_int(&w, "droppedMs", (int64_t)(atomic_load(&r->dropped) / 8));
  if (r->error) hl_jw_str(&w, "error", "write failed");
  ev_push(e, &w);
}

void media_poll_recordings(hl_engine_t *e) {
  for (int i = 0; i < MAX_RECORDINGS; i++) {
    hl_recording_t *r = atomic_load_explicit(&e->recs[i], memory_order_acquire);
    if (!r || !atomic_load_explicit(&r->finished, memory_order_acquire)) continue;
    rec_finished_event(e, r);
    atomic_store(&e->recs[i], NULL);
    garbage_push_rec(e, r);
  }
}

/* Writes everything the media thread has put in the ring: one writev even
 * when the ring wraps. */
static void writer_drain(hl_engine_t *e, hl_recording_t *r) {
  uint64_t t = atomic_load_explicit(&r->tail, memory_order_relaxed);
  uint64_t h = atomic_load_explicit(&r->head, memory_order_acquire);
  if (t == h) return;
  int ch = r->stereo + 1;
  size_t at = (size_t)(t % REC_RING_FRAMES);
  size_t n = (size_t)(h - t), first = n < REC_RING_FRAMES - at ? n : REC_RING_FRAMES - at;
  if (hl_wav_writer_write2(&r->w, r->ring + at * (size_t)ch, first, r->ring, n - first) != 0) r->error = 1;
  atomic_store_explicit(&r->tail, h, memory_order_release);
  atomic_fetch_add(&e->st_rec_frames, n);
}

/* How long the writer sleeps between looks: WRITER_WAKE_MS of engine time,
 * so a sim running N times real time cannot outrun the 4 s rings. */
static int64_t writer_period_ns(const hl_engine_t *e) {
  double speed = e->cfg.speed;
  if (speed <= 0) return 2000000;                      /* as fast as possible: 2 ms */
  double ns = WRITER_WAKE_MS * 1e6 / (speed > 1 ? speed : 1);
  return ns < 2000000 ? 2000000 : (int64_t)ns;
}

/* The writer thread. A recording is written when a second of audio has
 * gathered (a few large writes per minute of call, not one per block), the
 * header is refreshed after each write so a crash leaves a playable file at
 * most about a second short, and the file is closed with fsync as soon as the
 * recording stops (rec_stop wakes this thread). */
void *writer_main(void *arg) {
  hl_engine_t *e = arg;
  int64_t period = writer_period_ns(e);
  for (;;) {
    int running = atomic_load(&e->running);
    for (int i = 0; i < MAX_RECORDINGS; i++) {
      hl_recording_t *r = atomic_load_explicit(&e->recs[i], memory_order_acquire);
      if (!r || atomic_load(&r->finished)) continue;
      int stopping = atomic_load(&r->stopping) || !running;
      uint64_t calls = r->w.syscalls;
      if (stopping) {
        writer_drain(e, r);
        if (hl_wav_writer_close(&r->w) != 0) r->error = 1;
      } else if (atomic_load_explicit(&r->head, memory_order_acquire) - atomic_load_explicit(&r->tail, memory_order_relaxed) >= REC_FLUSH_FRAMES) {
        writer_drain(e, r);
        if (hl_wav_writer_update_header(&r->w) != 0) r->error = 1;
      }
      atomic_fetch_add(&e->st_rec_syscalls, r->w.syscalls - calls);
      if (stopping) atomic_store_explicit(&r->finished, 1, memory_order_release);
    }
    if (!running) break;
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    ts.tv_nsec += period % 1000000000L;
    ts.tv_sec += period / 1000000000L + ts.tv_nsec / 1000000000L;
    ts.tv_nsec %= 1000000000L;
    while (sem_clockwait(&e->writer_wake, CLOCK_MONOTONIC, &ts) != 0 && errno == EINTR) {}
    /* Several stops may have posted: one pass serves them all. */
    while (sem_trywait(&e->writer_wake) == 0) {}
  }
  return NULL;
}
