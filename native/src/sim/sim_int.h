/* Internals shared by the sim driver (board and kernel behaviour) and the
 * virtual PSTN (the far-end devices). */
#ifndef HL_SIM_INT_H
#define HL_SIM_INT_H
#include <stdint.h>
#include <spandsp.h>
#include "hl/sim.h"
#include "hl/zone.h"
#include "hl/cid.h"
#include "hl/tonedet.h"
#include "hl/warp.h"
#include "hl/r2.h"

/* Decodes a hook line sampled every block into seizure, pulses, flash and
 * release, with the timings a DAHDI FXO-signalled channel uses. */
enum { HD_NONE = 0, HD_SEIZE, HD_PULSE_START, HD_DIGIT, HD_FLASH, HD_RELEASE };
typedef struct hookdec {
  int offhook;          /* debounced line state as last reported */
  int raw;
  int64_t edge_ms;      /* time of the last raw edge */
  int pulses;
  int released;
} hookdec_t;
void hookdec_init(hookdec_t *h);
/* Feeds the raw hook state at time now; returns an HD_* code (digit in *digit). */
int hookdec_feed(hookdec_t *h, int raw_offhook, int64_t now, char *digit);

/* A hook-pulse generator: dial digits by breaking the loop (60 ms break,
 * 40 ms make, 600 ms between digits). */
typedef struct pulsegen {
  char digits[40];
  int pos;
  int remaining;        /* pulses left in the current digit */
  int64_t next_ms;
  int breaking;
  int active;
} pulsegen_t;
void pulsegen_start(pulsegen_t *p, const char *digits, int64_t now);
/* Returns the hook state to present (1 off-hook) while active; *done set at end. */
int pulsegen_step(pulsegen_t *p, int64_t now, int *done);

enum { CO_IDLE = 0, CO_PRECID, CO_RING, CO_TALK, CO_DIALTONE, CO_COLLECT, CO_PROGRESS, CO_CLEARED };
enum { PH_ONHOOK = 0, PH_OFFHOOK };
enum { OUT_ANSWER = 0, OUT_BUSY = 1, OUT_CONGESTION = 2, OUT_RING = 3, OUT_UNALLOCATED = 4 };

typedef struct far_end {
  int state;
  int64_t state_ms;                 /* when the state was entered */
  /* what the far end sends towards us */
  hl_tonegen_t tone;
  int tone_on;
  dtmf_tx_state_t *dtmf_tx;
  hl_cid_tx_t cid_tx;
  uint32_t talk_ph;
  int32_t talk_rate;
  int16_t talk_amp;
  /* what it hears from us */
  dtmf_rx_state_t *dtmf_rx;
  hl_cid_rx_t cid_rx;
  hl_tonedet_t *tonedet;
  int heard_tone;
  char digits[64];
  int ndigits;
  int64_t last_digit_ms;
  /* listening for a frequency */
  goertzel_state_t listen_g;
  int listen_freq, listen_left, listen_blocks;
  double listen_e, listen_total;
  /* incoming call (CO) */
  char number[33], name[49];
  int cid_std, cid_when, disc, max_rings;
  int rings;
  int64_t cadence_ms;               /* position in the ring cadence */
  int cid_sent;
  /* outcome of calls we place (CO) */
  int outcome, outcome_after_ms, answer_polarity;
  /* phone */
  int hook;                         /* phone's raw hook */
  pulsegen_t pulses;
  int64_t flash_until;
  int auto_answer;
  int rang;                         /* rings heard in this alert */
  /* call waiting on an off-hook phone: it hears the CPE alerting signal
   * (2130 + 2750 Hz), acknowledges with DTMF D, mutes its handset and reads
   * the caller ID that follows */
  int cidcw;                        /* the phone is a CIDCW phone (acknowledges) */
  goertzel_state_t cas_g[2];
  int cas_blocks;                   /* blocks in a row that held the CAS */
  int64_t cw_until;                 /* handset muted and caller-ID receiver on until then */
  hookdec_t line;                   /* CO watching our FXO hook */
  int line_raw;                     /* our loop as the CO sees it */
} far_end_t;

typedef struct sim_chan {
  hl_chan_info_t *info;
  int open;
  int our_hook;                     /* our hook as set by the engine */
  int polarity;
  int txbits, rxbits;
  int evq[64];
  int evh, evt;
  uint8_t rx[HL_BLOCK];             /* towards us, for this tick */
  int16_t tx[HL_BLOCK];             /* from us, last written (linear) */
  int tx_fresh;
  /* kernel behaviour for an FXS port ringing a phone */
  int ringing;
  int ring_cad[16], ring_ncad;
  int ring_idx;
  int64_t ring_edge_ms;
  int ring_on_edge;                 /* a ring burst began this tick (for the phone) */
  hookdec_t phone_hook;             /* kernel decoding the phone's hook */
  int64_t oht_until;                /* on-hook transmission (ONHOOKTRANSFER) until then */
  /* our pulse dialing on an FXO port */
  pulsegen_t our_pulses;
  /* FXO port: ring voltage from the CO as the kernel sees it */
  int co_ring_on;
  /* impairments of audio towards us */
  float gain;
  awgn_state_t *noise;
  int slip_every, slip_count;
  int16_t last_rx[HL_BLOCK];
  int warp_on;                      /* frequency offset: the far end's audio is resampled */
  hl_warp_t warp;
  far_end_t far;
  /* R2 timeslot: the exchange's end, the same R2 engine in the other role */
  void *sim;                        /* the board (sim_t) */
  hl_r2_t *xr2;
  int x_bits_seen;                  /* our bits as the exchange last took them */
  int x_decide;                     /* a call from us is waiting for the exchange's decision */
  int x_outcome, x_after_ms;        /* what the exchange does with our calls (OUT_*) */
  int64_t x_answer_at;              /* accepted: the called party answers then (0: never) */
} sim_chan_t;

typedef struct sim {
  int nchans, nspans;
  hl_chan_info_t *info;
  sim_chan_t *ch;
  int *span_alarms;
  hl_zone_t zone;
  int law;
  int64_t now;
  hl_sim_emit_fn emit;
  void *emit_user;
} sim_t;

void sim_queue_event(sim_chan_t *c, int ev);
void sim_emit(sim_t *s, const char *json);
/* Far end */
int pstn_init(sim_t *s, sim_chan_t *c);
void pstn_release(sim_chan_t *c);
/* The most samples the far end makes in one tick: a block stretched by the
 * largest frequency offset (5 %), with room to spare. */
#define SIM_GEN_MAX (2 * HL_BLOCK)
/* Runs the far end for one block: reads c->tx (our audio), adds n samples
 * towards us into lin[] (n is HL_BLOCK unless a frequency offset resamples them). */
void pstn_tick(sim_t *s, sim_chan_t *c, int16_t *lin, int n);
/* Our hook changed (engine side). */
void pstn_our_hook(sim_t *s, sim_chan_t *c, int offhook);
int pstn_command(sim_t *s, sim_chan_t *c, const hl_cmd_t *cmd, char *err, size_t errlen);
/* A far end that is no analog device (an R2 exchange): sim.listen, and sim.talk while in_call. */
void pstn_talk_listen(sim_t *s, sim_chan_t *c, int16_t *lin, int n, int in_call);
/* R2 exchange on an E1 timeslot (exchange.c) */
int exch_init(sim_t *s, sim_chan_t *c);
void exch_release(sim_chan_t *c);
/* One block: takes our bits and c->tx, adds the exchange's MF towards us to lin. */
void exch_tick(sim_t *s, sim_chan_t *c, int16_t *lin);
int exch_command(sim_t *s, sim_chan_t *c, const hl_cmd_t *cmd, char *err, size_t errlen);

#endif
