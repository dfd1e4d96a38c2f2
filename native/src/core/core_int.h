/* Engine internals shared by the tick loop, the analog state machines and
 * the media mixer. */
#ifndef HL_CORE_INT_H
#define HL_CORE_INT_H
#include <stdatomic.h>
#include <pthread.h>
#include <semaphore.h>
#include <spandsp.h>
#include "hl/engine.h"
#include "hl/zone.h"
#include "hl/cid.h"
#include "hl/tonedet.h"
#include "hl/dtmf.h"
#include "hl/wav.h"
#include "hl/jsonw.h"
#include "hl/r2.h"
#include "hl/ss7.h"

#define CMD_RING 1024
#define EVT_RING 4096
#define GARBAGE_RING 1024
#define MAX_RECORDINGS 1024
#define MAX_CONFS 64
#define MAX_TIMERS 4096
#define PLAY_QUEUE 8
#define REC_RING_FRAMES (HL_BLOCK * 200)   /* 4 s of frames per recording, whole blocks */
#define REC_FLUSH_FRAMES 8000              /* the writer writes once a second has gathered */
#define WRITER_WAKE_MS 200                 /* writer's look at the rings, in engine time */

struct hl_playlist {
  int loop;
  int n, cap;
  hl_audio_t *items;
  int cur;
  size_t pos;
  int32_t id;
};

struct hl_recording {
  hl_wav_writer_t w;
  int stereo;
  int32_t id;
  int chan;
  char path[256];
  int16_t *ring;                 /* REC_RING_FRAMES * channels samples */
  _Atomic uint64_t head;         /* frames written by the media thread */
  _Atomic uint64_t tail;         /* frames written to disk by the writer */
  _Atomic int stopping;          /* media thread is done with it */
  _Atomic int finished;          /* writer closed the file */
  _Atomic uint64_t dropped;
  int paused;
  int reported;
  int error;
};

typedef struct chan {
  hl_engine_t *e;
  hl_chan_info_t *info;
  int open;
  int st;
  int64_t st_ms;
  int hook;
  /* receive DSP */
  hl_dtmf_rx_t dtmf;
  int dtmf_on;
  int digit;                     /* digit in progress */
  int64_t digit_ms;
  hl_cid_rx_t cid;
  int cid_on;
  hl_tonedet_t *tdet;
  int tdet_on;
  int learning;        /* learnCadence asked: report the cadence once measured */
  int tone_heard;
  /* transmit */
  hl_playlist_t *play[PLAY_QUEUE];
  int nplay;
  hl_tonegen_t tone;
  int tone_id;
  dtmf_tx_state_t *dtmf_tx;
  int dtmf_tx_busy;
  hl_cid_tx_t cid_tx;
  /* links */
  int bridge;
  int conf, conf_muted;
  int tap_target, tap_mode;
  int hears_sup;                 /* a whisper/barge tap adds a supervisor to our transmit (this tick) */
  int klink, kpeer;              /* kernel link in force (enum hl_link, peer channel) */
  int kfail_link, kfail_peer;    /* the link the board last refused: not retried every tick */
  float rxgain, txgain;
  hl_recording_t *rec;
  int16_t rx[HL_BLOCK];
  int16_t tx[HL_BLOCK];
  int16_t tx_pre[HL_BLOCK];      /* tx before supervisor audio was added */
  /* FXO line settings and call */
  int cid_mode;                  /* HL_CID_* */
  int disc;                      /* HL_DISC_* mask */
  int rings;
  int64_t last_ring_ms;
  int ring_active;
  hl_cid_t caller;
  int have_caller;
  int64_t caller_ms;
  char dial[64];
  int dial_pulse;
  int dial_wait_ms;
  int64_t dial_deadline;
  int dial_waiting;              /* waiting for dial tone */
  int pulse_dialing;
  /* FXS */
  int mwi;
  char ring_number[33], ring_name[49];
  int ring_cid_std;
  int ring_on_ms, ring_off_ms;   /* the cadence asked for (0: the zone's) */
  int ring_cid_when;             /* HL_CIDWHEN_*: caller ID between the first rings or before ringing */
  int prering;                   /* PRERING_*: caller ID sent before the ringer starts */
  int64_t prering_due;
  int reversed;                  /* we reversed the phone's line polarity (polarity-led caller ID) */
  int64_t cid_due_ms;
  int ringer_on;
  int ringer_cycles;
  int echo_taps;
  /* FXS call waiting: alert tones, the phone's DTMF acknowledgement, then
   * caller ID to the off-hook phone (type II), with the call muted meanwhile */
  int cw_phase;                  /* CW_*, 0 when none */
  int64_t cw_due;
  int cw_std;
  char cw_number[33], cw_name[49];
  hl_tonegen_t cw_tone;
  int cw_tone_on;
  /* MFC/R2 timeslot (HL_KIND_E1_R2) */
  hl_r2_t *r2;
  /* SS7 (ss7sig.c). On a span's D-channel: the link and the span's circuits
   * (ss7_ready once configured), the bearer of each timeslot, the CIC base.
   * On a bearer: its D-channel (0: not an SS7 span) and its CIC. */
  hl_ss7_t *ss7;
  int ss7_ready;
  int ss7_ts_chan[32];
  int ss7_base;
  uint64_t ss7_bad_frames;
  int ss7_dchan;
  int cic;
  int ss7_incoming;              /* the bearer's current call came in */
  /* A call dialled while the link was down waits for it (until the deadline). */
  int64_t ss7_wait_until;
  char ss7_wait_called[33], ss7_wait_calling[33];
} chan_t;

enum { PRERING_NONE = 0, PRERING_WAIT, PRERING_SPILL, PRERING_GAP };
enum { CW_NONE = 0, CW_SAS, CW_CAS, CW_WAIT_ACK, CW_ACK, CW_FSK_WAIT, CW_FSK };

struct hl_engine {
  hl_driver_t *drv;
  hl_engine_config_t cfg;
  hl_zone_t zone;
  int nchans;
  chan_t *ch;
  int64_t now;
  int *span_alarm;
  hl_span_counters_t *span_cnt;  /* E1 spans' line errors, polled once a second */
  int *span_e1;                  /* by span: 1 when an E1 span (its kinds may change by respan) */
  /* rings */
  hl_cmd_t cmds[CMD_RING];
  _Atomic unsigned cmd_head, cmd_tail;
  hl_event_t *evts;
  _Atomic unsigned evt_head, evt_tail;
  void *garbage[GARBAGE_RING];
  _Atomic unsigned gb_head, gb_tail;
  /* snapshot */
  hl_chan_state_t *snap;
  _Atomic unsigned snap_seq;
  /* thread */
  pthread_t thread, writer;
  sem_t writer_wake;             /* posted when a recording stops, so its file closes at once */
  _Atomic int running;
  int started;
  void (*notify)(void *);
  void *notify_user;
  /* recordings */
  _Atomic(hl_recording_t *) recs[MAX_RECORDINGS];
  /* conferences */
  int32_t conf_sum[MAX_CONFS][HL_BLOCK];
  int conf_members[MAX_CONFS];
  /* call waiting: the zone's alert (one burst of its callwait tone, then a
   * pause) and the CPE alerting signal */
  hl_tone_prog_t cw_sas, cw_cas;
  /* engine-time timers (unordered; fired by a scan each tick) */
  struct { int32_t id; int64_t due; } timers[MAX_TIMERS];
  int ntimers;
  /* stats */
  _Atomic uint64_t st_ticks, st_overruns, st_events, st_dropped, st_notifies, st_commands, st_work_total, st_work_max;
  _Atomic uint64_t st_rec_syscalls, st_rec_frames;
};

/* events */
void ev_begin(hl_engine_t *e, hl_jw_t *w, char *buf, const char *name, int chan);
void ev_push(hl_engine_t *e, hl_jw_t *w);
void ev_simple(hl_engine_t *e, const char *name, int chan);
void ev_error(hl_engine_t *e, const hl_cmd_t *cmd, const char *code, const char *msg);
void garbage_push(hl_engine_t *e, void *p);
void garbage_push_rec(hl_engine_t *e, hl_recording_t *r);

/* analog signalling (analog.c, analog_cmd.c) */
void sig_event(hl_engine_t *e, chan_t *c, int ev);
void sig_tick(hl_engine_t *e, chan_t *c);
void sig_dtmf(hl_engine_t *e, chan_t *c, int digit, int duration_ms);
void sig_tone(hl_engine_t *e, chan_t *c, const hl_tone_report_t *r);
int sig_command(hl_engine_t *e, chan_t *c, const hl_cmd_t *cmd);
void chan_reset_media(hl_engine_t *e, chan_t *c, const char *why);
void chan_set_state(hl_engine_t *e, chan_t *c, int st);
/* analog.c helpers that the commands (analog_cmd.c) use too */
void analog_hook(hl_engine_t *e, chan_t *c, int op);            /* hook op; on/off-hook remembered when done */
int analog_fxs_ring(hl_engine_t *e, chan_t *c);                 /* ring the phone with the channel's cadence */
void analog_hungup(hl_engine_t *e, chan_t *c, const char *side, const char *cause);   /* ChannelHungUp */
void analog_prering_end(hl_engine_t *e, chan_t *c);
void analog_to_idle(hl_engine_t *e, chan_t *c);
/* Fails cmd with wrong_state: "cannot <what> channel N while it is <state>". */
void chan_wrong_state(hl_engine_t *e, const chan_t *c, const hl_cmd_t *cmd, const char *what);
/* call waiting (callwait.c) */
void cw_programs(hl_engine_t *e);
void cw_start(hl_engine_t *e, chan_t *c, const char *number, const char *name, int standard);
void sig_cw_tick(hl_engine_t *e, chan_t *c);
/* A DTMF edge on a channel in call waiting: 1 when it was the phone's
 * acknowledgement (not a digit for the supervisor). */
int sig_cw_dtmf(hl_engine_t *e, chan_t *c, int code);

/* MFC/R2 (r2sig.c) */
int sig_r2_open(hl_engine_t *e, chan_t *c);
/* Allocates R2 state for a timeslot on the JS thread, silent until adopted. */
hl_r2_t *sig_r2_prepare(void);
/* Media thread: the timeslot takes r (from sig_r2_prepare) and sends idle bits. */
void sig_r2_adopt(hl_engine_t *e, chan_t *c, hl_r2_t *r);
void sig_r2_close(chan_t *c);
void sig_r2_event(hl_engine_t *e, chan_t *c, int ev);
void sig_r2_tick(hl_engine_t *e, chan_t *c);
/* 1 when the command was R2's (done or refused). */
int sig_r2_command(hl_engine_t *e, chan_t *c, const hl_cmd_t *cmd);

/* SS7 (ss7sig.c, ss7sig_cmd.c) */
int sig_ss7_open(hl_engine_t *e, chan_t *d);
/* Media thread: the D-channel takes stack memory s (unconfigured until
 * setSs7) and its span's bearers learn their D-channel. Allocates nothing. */
void sig_ss7_bind(hl_engine_t *e, chan_t *d, hl_ss7_t *s);
/* Media thread: the D-channel gives up its stack (stopped, returned) and
 * the bearers forget it. */
hl_ss7_t *sig_ss7_unbind(hl_engine_t *e, chan_t *d);
void sig_ss7_close(chan_t *d);
void sig_ss7_tick(hl_engine_t *e, chan_t *d);
void sig_ss7_event(hl_engine_t *e, chan_t *d, int ev);
void sig_ss7_span_alarm(hl_engine_t *e, int span, int alarms);
int sig_ss7_command(hl_engine_t *e, chan_t *c, const hl_cmd_t *cmd);
void sig_ss7_state_name(hl_engine_t *e, const chan_t *c, char *out, size_t cap);
/* ss7sig.c helpers that the commands (ss7sig_cmd.c) use too */
extern const hl_ss7_io_t ss7sig_io;                             /* the stack's frames and events */
chan_t *ss7sig_dchan_of(hl_engine_t *e, const chan_t *b);        /* the bearer's D-channel with a ready stack, or NULL */
void ss7sig_sync_state(hl_engine_t *e, chan_t *d, chan_t *b);     /* the bearer's state from its circuit's */
/* ChannelHungUp on a bearer: the cause's name (or why), and its value when not 0. */
void ss7sig_hung_up(hl_engine_t *e, chan_t *b, const char *side, int cause, const char *why);

/* Publishes every channel's state for snapshots (engine.c; once per tick). */
void publish(hl_engine_t *e);

/* span re-lay (respan.c) */
void respan_run(hl_engine_t *e, const hl_cmd_t *cmd);
void respan_kit_free(hl_engine_t *e, void *kit);

/* media */
int media_wire(hl_engine_t *e, chan_t *c);
int media_command(hl_engine_t *e, chan_t *c, const hl_cmd_t *cmd);
void media_rx(hl_engine_t *e, chan_t *c);
void media_mix(hl_engine_t *e);
void media_links(hl_engine_t *e);
void media_record(hl_engine_t *e, chan_t *c);
void media_poll_recordings(hl_engine_t *e);
void play_stop_all(hl_engine_t *e, chan_t *c, const char *reason);
void rec_stop(hl_engine_t *e, chan_t *c);
void unlink_all(hl_engine_t *e, chan_t *c);
void *writer_main(void *arg);

static inline chan_t *chan_get(hl_engine_t *e, int channo) {
  if (channo < 1 || channo > e->nchans) return NULL;
  return &e->ch[channo - 1];
}
static inline int16_t sat16(int32_t v) { return (int16_t)(v > 32767 ? 32767 : v < -32768 ? -32768 : v); }

#endif
