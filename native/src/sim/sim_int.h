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
#include "hl/jsonw.h"

/* Decodes a hook line sampled every block into seizure, pulses, flash and
 * release, with the timings a DAHDI FXO-signalled channel uses (hookpulse.c). */
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

/* ---- SS7 spans (hdlc.c, ss7span.c; far ends: ss7far.h) ---- */

/* HDLC FCS-16 (CRC-CCITT, reflected polynomial 0x8408, preset and final
 * complement), as every HDLC controller computes it. */
uint16_t sim_fcs16(const uint8_t *p, int n);
/* Appends the FCS to the n octets at p (low octet first, as sent on the line). */
void sim_fcs_put(uint8_t *p, int n);
/* 1 when n octets (frame plus its two FCS octets) check. */
int sim_fcs_ok(const uint8_t *p, int n);

/* A fixed ring of whole frames (no allocation per frame). */
#define SIM_FRAME_SLOTS 64
typedef struct sim_frame {
  uint16_t len;                     /* octets, FCS included */
  uint8_t b[HL_FRAME_MAX];
} sim_frame_t;
typedef struct sim_fring {
  sim_frame_t f[SIM_FRAME_SLOTS];
  unsigned head, tail;              /* free-running; head == tail is empty */
} sim_fring_t;
int sim_fring_count(const sim_fring_t *r);
/* The slot to fill next, or NULL when full; sim_fring_push commits it. */
sim_frame_t *sim_fring_slot(sim_fring_t *r);
void sim_fring_push(sim_fring_t *r);
/* The oldest frame, or NULL; sim_fring_pop drops it. */
sim_frame_t *sim_fring_peek(sim_fring_t *r);
void sim_fring_pop(sim_fring_t *r);

/* The far end's view of one circuit (indexed by timeslot). */
enum { XC_IDLE = 0, XC_IN, XC_IN_ALERT, XC_IN_UP,     /* the box called the far end */
       XC_OUT, XC_OUT_ALERT, XC_OUT_UP,                /* the far end called the box */
       XC_RELEASING };                                 /* the far end sent REL, RLC awaited */
typedef struct ss7_xcic {
  void *call;                       /* the far end's call object (libss7: struct isup_call) */
  int st;                           /* XC_* */
  int outcome, after_ms;            /* what the far end does with the box's calls here (OUT_*) */
  int64_t answer_at;                /* accepted: the called party answers then (0: never) */
  int blk_far, blk_near;            /* blocked by the far end / by the box */
  int cause;                        /* last release cause */
} ss7_xcic_t;

#define SIM_SS7_RULES 8
typedef struct ss7_rule {
  char prefix[24];
  int outcome, after_ms;
} ss7_rule_t;

struct sim_ss7;
struct sim_chan;
struct sim;
/* A far end of an SS7 span: libss7 (ITU) or our own stack in the exchange
 * role (China with 24-bit point codes, or ITU). The span hands it every good frame from
 * the box and asks it for frames to send once per tick. */
typedef struct sim_far_ops {
  const char *name;
  int (*start)(struct sim_ss7 *x, char *err, size_t errlen);
  void (*stop)(struct sim_ss7 *x);
  /* A frame from the box whose FCS checked: signal unit + 2 FCS octets. */
  void (*rx)(struct sim_ss7 *x, const uint8_t *frame, int len);
  /* Timers, events and up to `max` frames towards the box (through sim_ss7_to_box). */
  void (*tick)(struct sim_ss7 *x, int max);
  /* The far end's terminal sees its line fail (span alarm, long cut) or recover. */
  void (*alarm)(struct sim_ss7 *x, int on);
  int (*command)(struct sim_ss7 *x, struct sim_chan *c, const hl_cmd_t *cmd, char *err, size_t errlen);
  int (*ss7cmd)(struct sim_ss7 *x, const hl_cmd_t *cmd, char *err, size_t errlen);
  int real_time_only;               /* its timers read the wall clock */
} sim_far_ops_t;

typedef struct sim_ss7 {
  struct sim *sim;
  int span;                         /* 1-based */
  int first_chan;                   /* channo of timeslot 1 */
  int dchan;                        /* channo of timeslot 16 */
  hl_sim_ss7_conf_t conf;
  const sim_far_ops_t *far;         /* NULL: no far end (frames from the box are dropped) */
  void *far_state;
  sim_fring_t to_box, to_far;       /* frames on the line, FCS computed by the sending board */
  /* impairments */
  int corrupt_permille, corrupt_dir;
  uint32_t rng;
  int64_t cut_from, cut_until;      /* frames dropped both ways from .. until */
  int cut_alarm;                    /* the far end's terminal has declared the cut a failure */
  int far_alarm;                    /* the far end has been told its line is in alarm */
  /* circuits and the far end's rules for the box's calls */
  ss7_xcic_t cic[32];               /* by timeslot 1..31 */
  ss7_rule_t rules[SIM_SS7_RULES];
  int link_up;                      /* the far end's SS7 (MTP3) is up */
  hl_sim_ss7_stats_t st;
  /* real-time check */
  int64_t t0_now, t0_wall;
  int rt_warned;
  /* Not on the board (a span re-lay's kit): it emits nothing and reaches no
   * channel, so it can be set up or torn down on the JS thread. */
  int detached;
} sim_ss7_t;

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
  /* SS7 span: its far end (NULL elsewhere) */
  sim_ss7_t *x7;
} sim_chan_t;

typedef struct sim {
  int nchans, nspans;
  sim_ss7_t **ss7;                  /* per span: NULL unless the span is an SS7 E1 */
  hl_chan_info_t *info;
  sim_chan_t *ch;
  int *span_alarms;
  hl_span_counters_t *span_counters;   /* line errors per span (sim.alarm adds them) */
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
/* Span re-lay: an exchange end allocated on the JS thread (silent), then
 * taken by a timeslot on the media thread (sends its idle bits). */
hl_r2_t *exch_prepare(void);
void exch_adopt(sim_t *s, sim_chan_t *c, hl_r2_t *r);
/* One block: takes our bits and c->tx, adds the exchange's MF towards us to lin. */
void exch_tick(sim_t *s, sim_chan_t *c, int16_t *lin);
int exch_command(sim_t *s, sim_chan_t *c, const hl_cmd_t *cmd, char *err, size_t errlen);

/* SS7 span (ss7span.c) */
int ss7span_init(sim_t *s, int span, int first_chan, char *err, size_t errlen);
/* Span re-lay (JS thread): a detached SS7 span with our own stack as its far
 * end (conf: variant and point codes; NULL: China, box 1, far 2, CIC 1..31),
 * started on the media thread by ss7span_attach. NULL with err. */
sim_ss7_t *ss7span_prepare(sim_t *s, int span, int first_chan, const hl_sim_ss7_conf_t *conf, char *err, size_t errlen);
void ss7span_attach(sim_t *s, sim_ss7_t *x);
/* Media thread: takes the span's SS7 line off the board (detached, for the JS thread to free). */
sim_ss7_t *ss7span_detach(sim_t *s, int span);
/* JS thread: stops a detached span's far end and frees it. */
void ss7span_free_detached(sim_ss7_t *x);
void ss7span_release(sim_t *s, int span);
/* Once per tick, before the channels: frames both ways, the far end. */
void ss7span_tick(sim_t *s, sim_ss7_t *x);
/* A frame the far end sends (signal unit + 2 octets of room): its board
 * computes the FCS, the line may corrupt or cut it, the box's board checks it. */
void sim_ss7_to_box(sim_ss7_t *x, const uint8_t *su_fcs, int len);
/* A far-end event on channel chan (0: the D-channel) with "span" and, when
 * cic > 0, "cic" already written; finish with ss7span_end. */
void ss7span_begin(sim_ss7_t *x, hl_jw_t *w, char *buf, size_t cap, const char *name, int chan, int cic);
void ss7span_end(sim_ss7_t *x, hl_jw_t *w, const char *buf);
/* Box-side D-channel ops (sim_driver.c calls them for HL_KIND_DCHAN channels). */
int ss7span_read_frame(sim_ss7_t *x, sim_chan_t *c, uint8_t *buf, int cap);
int ss7span_write_frame(sim_ss7_t *x, sim_chan_t *c, const uint8_t *buf, int len);
int ss7span_chan_of_cic(const sim_ss7_t *x, int cic);   /* bearer channo or 0 */
int ss7span_ts_of_cic(const sim_ss7_t *x, int cic);     /* timeslot 1..31 or 0 */
int ss7span_outcome_for(const sim_ss7_t *x, int ts, const char *called, int *after_ms);
/* Far ends */
extern const sim_far_ops_t sim_far_libss7;
/* Our own stack (hl/ss7.h) in the exchange role, China or ITU; keeps any speed
 * (ss7far_own.c, ss7far_own_cmd.c). */
extern const sim_far_ops_t sim_far_own;
/* Its start in two halves: the memory (any thread, x detached) and the go (media thread). */
int own_prepare(sim_ss7_t *x, char *err, size_t errlen);
void own_go(sim_ss7_t *x);

/* Span re-lay (sim_respan.c): the driver's respan_prepare, respan, respan_free. */
void *sim_respan_prepare(void *d, int span, int kind, const void *conf, char *err, size_t errlen);
int sim_respan(void *d, int span, int kind, void *p);
void sim_respan_free(void *d, void *p);

#endif
