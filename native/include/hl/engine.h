/* The engine: a channel table, the analog signalling state machines and the
 * media thread that runs every channel in 20 ms blocks. The JS thread talks to
 * it only through two lock-free rings: commands in, events out. */
#ifndef HL_ENGINE_H
#define HL_ENGINE_H
#include <stdint.h>
#include <stddef.h>
#include "hl/chan_io.h"

#define HL_EVENT_JSON 480

typedef struct hl_engine hl_engine_t;

/* An event: a complete JSON object text (`{"event":"DtmfReceived",...}`),
 * formatted on the media thread into a fixed slot (no allocation). */
typedef struct hl_event {
  char json[HL_EVENT_JSON];
} hl_event_t;

enum hl_op {
  HL_OP_NONE = 0,
  HL_OP_ANSWER, HL_OP_HANGUP, HL_OP_PLAY, HL_OP_STOP_PLAY, HL_OP_TONE, HL_OP_STOP_TONE,
  HL_OP_RECORD, HL_OP_RECORD_PAUSE, HL_OP_RECORD_RESUME, HL_OP_RECORD_STOP,
  HL_OP_BRIDGE, HL_OP_UNBRIDGE, HL_OP_CONF_JOIN, HL_OP_CONF_LEAVE, HL_OP_CONF_MUTE,
  HL_OP_TAP, HL_OP_UNTAP, HL_OP_GAIN, HL_OP_DIAL, HL_OP_FLASH, HL_OP_RING, HL_OP_STOP_RING,
  HL_OP_SEND_DTMF, HL_OP_SET_LINE, HL_OP_LEARN_CADENCE, HL_OP_SET_MWI,
  /* virtual PSTN (sim driver only) */
  HL_OP_SIM_CALL, HL_OP_SIM_HANGUP, HL_OP_SIM_OFFHOOK, HL_OP_SIM_ONHOOK, HL_OP_SIM_DIAL,
  HL_OP_SIM_FLASH, HL_OP_SIM_ANSWER, HL_OP_SIM_OUTCOME, HL_OP_SIM_TALK, HL_OP_SIM_LISTEN,
  HL_OP_SIM_IMPAIR, HL_OP_SIM_ALARM, HL_OP_SIM_AUTOANSWER,
  /* engine-time timers: the supervisor's call timers follow the one clock */
  HL_OP_TIMER, HL_OP_TIMER_CANCEL,
  /* FXS call waiting with type II caller ID; the sim phone's CPE settings */
  HL_OP_CALL_WAITING, HL_OP_SIM_PHONE,
  /* MFC/R2: group B decisions on an offered call, line settings; the sim exchange's settings */
  HL_OP_ACCEPT, HL_OP_REJECT, HL_OP_SET_R2, HL_OP_SIM_R2,
  /* circuit blocking (R2); the sim's i1: 1 block, 0 unblock */
  HL_OP_BLOCK, HL_OP_UNBLOCK, HL_OP_SIM_BLOCK,
  /* SS7: link settings and span reset on a D-channel; the sim's SS7 far end */
  HL_OP_SET_SS7, HL_OP_SS7_RESET, HL_OP_SIM_SS7,
  /* MFC/R2: metering pulses on an answered incoming call */
  HL_OP_METER,
  /* re-lay an E1 span with other signalling (hl_engine_respan builds it) */
  HL_OP_RESPAN,
  HL_OP_COUNT
};

/* Tap modes for supervision. */
enum { HL_TAP_LISTEN = 1, HL_TAP_WHISPER = 2, HL_TAP_BARGE = 3 };
/* Far-end disconnect methods (FXO lines) and caller-ID standards. */
enum { HL_DISC_POLARITY = 1, HL_DISC_LOOP = 2, HL_DISC_BUSY = 4, HL_DISC_CONGESTION = 8 };
enum { HL_CID_NONE = 0, HL_CID_BELL202 = 1, HL_CID_V23 = 2, HL_CID_DTMF = 3, HL_CID_AUTO = 4 };
enum { HL_CIDWHEN_AFTER_FIRST_RING = 0, HL_CIDWHEN_BEFORE_RING = 1, HL_CIDWHEN_POLARITY = 2 };

typedef struct hl_playlist hl_playlist_t;     /* prompts decoded on the JS thread */
typedef struct hl_recording hl_recording_t;   /* a recording in progress */

/* A command. Strings are copied in; `ptr` hands over ownership of a playlist
 * or recording (the media thread returns it through the garbage ring). */
typedef struct hl_cmd {
  int op;
  int chan;
  int chan2;
  int32_t id;          /* caller's id: playback id, recording id, ... */
  int32_t i1, i2, i3, i4;
  int32_t i5, i6;      /* a flag set and the mask of the flags it sets (setR2, simR2) */
  float f1, f2;
  char s1[96];
  char s2[96];
  void *ptr;
} hl_cmd_t;

typedef struct hl_engine_config {
  char zone[8];        /* tone zone, "cn" by default */
  double speed;        /* sim: 1 = real time, N = N times faster, 0 = as fast as possible */
  int paced_by_board;  /* dahdi: block reads pace the thread */
} hl_engine_config_t;

/* Per-channel state published by the media thread for snapshots. */
typedef struct hl_chan_state {
  int channo;
  int kind;
  int hook;            /* our hook: 0 on, 1 off */
  int far_offhook;     /* phone off-hook (FXS) / line ringing (FXO) */
  int state;           /* enum hl_sig_state */
  int bridged_to;
  int conf;
  int tap_target;
  int tap_mode;
  int playing;         /* playback id or 0 */
  int recording;       /* recording id or 0 */
  int tone;            /* tone id playing or -1 */
  int ring_count;
  int alarms;
  char caller[40];
  char sig_state[24];  /* the signalling state machine's own state (R2 line, SS7 circuit or link), "" when none */
  /* An SS7 D-channel's link counters (since the engine started); has_link 0 elsewhere. */
  hl_span_counters_t span_errors;   /* the channel's span's line errors (E1 spans) */
  int has_link;
  uint32_t link_msu_in, link_msu_out, link_bad_frames, link_retransmissions, link_failures, link_isup_errors;
} hl_chan_state_t;

enum hl_sig_state { HL_ST_IDLE = 0, HL_ST_RINGING, HL_ST_OFFERED, HL_ST_UP, HL_ST_DIALTONE,
                    HL_ST_DIALING, HL_ST_OUTRING, HL_ST_HUNGUP, HL_ST_BLOCKED };
const char *hl_state_name(int st);

hl_engine_t *hl_engine_new(hl_driver_t *drv, const hl_engine_config_t *cfg, char *err, size_t errlen);
int hl_engine_start(hl_engine_t *e);
void hl_engine_stop(hl_engine_t *e);
void hl_engine_free(hl_engine_t *e);

/* JS thread: enqueue a command (-ENOSPC when the ring is full). */
int hl_engine_submit(hl_engine_t *e, const hl_cmd_t *cmd);
/* JS thread: take up to max pending events. */
int hl_engine_drain(hl_engine_t *e, hl_event_t *out, int max);
/* JS thread: take garbage (playlists, recordings) the media thread is done with. */
void hl_engine_collect(hl_engine_t *e);
/* Called from the media thread at most once per tick when events are pending. */
void hl_engine_set_notify(hl_engine_t *e, void (*fn)(void *), void *user);
/* Consistent copy of every channel's state (lock-free seqlock read). */
int hl_engine_snapshot(hl_engine_t *e, hl_chan_state_t *out, int max);
int64_t hl_engine_time(hl_engine_t *e);
/* Number of commands submitted and already executed by the media thread. */
uint32_t hl_engine_submitted(hl_engine_t *e);
uint32_t hl_engine_processed(hl_engine_t *e);
const hl_driver_t *hl_engine_driver(hl_engine_t *e);

typedef struct hl_engine_stats {
  uint64_t ticks, overruns, events, events_dropped, notifies, commands;
  uint64_t work_ns_total, work_ns_max;
  uint64_t rec_syscalls;      /* write/writev/pwrite calls the recording writer made */
  uint64_t rec_frames;        /* frames it wrote (8000 a second of audio) */
} hl_engine_stats_t;
void hl_engine_stats(hl_engine_t *e, hl_engine_stats_t *s);

/* Run exactly one tick on the caller's thread (tests and benches, engine not started). */
void hl_engine_step(hl_engine_t *e);

/* JS thread: switches E1 span `span` to MFC/R2 (HL_KIND_E1_R2) or SS7
 * (HL_KIND_E1) without touching other spans. Allocates the new signalling
 * state here (the engine's R2 state per timeslot or the D-channel's SS7
 * stack, and the board's share through the driver's respan_prepare), then
 * submits HL_OP_RESPAN with id: on the media thread the span's calls end
 * (ChannelHungUp side near, cause span-reconfigured), its channels close,
 * the driver re-lays the span, they reopen with the new state and
 * SpanReconfigured {span, signalling, callsEnded} follows (or CommandFailed
 * with the command id). The old state comes back through the garbage ring
 * (hl_engine_collect frees it). board_conf: the driver's far-end settings
 * (see respan_prepare), may be NULL. 0, or -errno with err: -EINVAL no such
 * E1 span or kind, -ENOTSUP the driver cannot, -ENOMEM, -ENOSPC queue full. */
int hl_engine_respan(hl_engine_t *e, int span, int kind, const void *board_conf, int32_t id, char *err, size_t errlen);

/* Playlists: built on the JS thread from decoded prompts. */
hl_playlist_t *hl_playlist_new(int loop);
int hl_playlist_add(hl_playlist_t *p, int16_t *samples, size_t count); /* takes ownership */
void hl_playlist_free(hl_playlist_t *p);

/* Recordings: opened on the JS thread, written by the engine's writer thread. */
hl_recording_t *hl_recording_open(const char *path, int stereo, char *err, size_t errlen);

#endif
