/* MFC/R2: line signalling on CAS ABCD bits and compelled inter-register MF
 * signalling (spandsp's r2_mf_rx/r2_mf_tx), in one passive state machine that
 * plays either role: backward (a call comes in: we collect DNIS, category and
 * ANI and answer with group A, then group B) or forward (we seize and send).
 * It is driven by its owner's loop: bits and audio blocks in, a tick with the
 * time, commands; it acts through a small callback table (set_bits, event).
 * Countries differ only in data (hl_r2_variant_t rows), never in code. */
#ifndef HL_R2_H
#define HL_R2_H
#include <stdint.h>
#include <spandsp.h>

/* Line signals. Their AB bits are a variant's data; C and D stay constant. */
enum hl_r2_line {
  HL_R2_IDLE = 0, HL_R2_SEIZE, HL_R2_SEIZE_ACK, HL_R2_ANSWER, HL_R2_CLEAR_BACK,
  HL_R2_CLEAR_FORWARD, HL_R2_BLOCKED, HL_R2_FORCED_RELEASE,
  HL_R2_METER,                      /* bits held for the length of a metering pulse during answer */
  HL_R2_NLINE
};

/* MF signals are numbered 1..15 as in Q.441 (I-1..I-15, A-1..A-15, ...);
 * 0 in a table means the variant has no such signal. */
typedef struct hl_r2_variant {
  const char *name;
  uint8_t cd;                       /* C and D bits, constant in every line signal */
  uint8_t ab[HL_R2_NLINE];          /* A and B bits of each line signal (A = 8, B = 4) */
  /* group A, backward requests during address */
  uint8_t a_next_dnis, a_next_ani, a_category, a_to_group_b, a_congestion;
  /* the next ANI digit asked without the category first (0: the variant reaches
   * ANI only through the category request, so skipping the category skips ANI) */
  uint8_t a_ani_direct;
  /* group B, the backward's decision */
  uint8_t b_accept_charge, b_accept_free, b_busy, b_congestion, b_unallocated, b_out_of_order;
  /* group I, forward */
  uint8_t i_end_dnis, i_end_ani, i_ani_restricted;
  /* timers, ms */
  int seize_ack_ms;                 /* forward: seize to seize acknowledge */
  int mf_cycle_ms;                  /* either: a compelled tone left unanswered or not released */
  int dnis_gap_ms;                  /* backward: silence that ends DNIS when the variant has no end signal */
  int pulse_ms;                     /* backward: a pulsed request restarting a silent forward */
  int fwd_wait_ms;                  /* forward: silent, waiting for a request or group B */
  int answer_ms;                    /* forward: accepted to answer */
  int release_ms;                   /* either: clearing to the far side's idle */
  /* double answer and metering: both are brief excursions of the answer bits */
  int dbl_hold_ms;                  /* backward: first answer held before the clear-back */
  int dbl_clear_ms;                 /* backward: clear-back between the two answers */
  int meter_pulse_ms;               /* backward: one metering pulse (0: the variant has none) */
  int meter_max_ms;                 /* forward: an excursion up to this long is a metering pulse */
  int clear_back_min_ms;            /* forward: an answered call's clear-back shorter than this is
                                     * not a hangup (0: every clear-back is one at once) */
  /* DTMF dialing (DNIS by DTMF after the seize acknowledgement, no MF) */
  int dtmf_start_ms;                /* forward: seize-ack to the first digit */
  int dtmf_on_ms, dtmf_off_ms;      /* forward: digit and gap */
  int dtmf_gap_ms;                  /* backward: silence after a digit that ends the number */
} hl_r2_variant_t;

extern const hl_r2_variant_t hl_r2_variants[];
extern const int hl_r2_nvariants;
const hl_r2_variant_t *hl_r2_variant_find(const char *name);

enum hl_r2_role { HL_R2_ROLE_NONE = 0, HL_R2_ROLE_BACKWARD, HL_R2_ROLE_FORWARD };

enum hl_r2_state {
  HL_R2_ST_IDLE = 0, HL_R2_ST_BLOCKED,   /* blocked: by the far side (its blocking bits) */
  HL_R2_ST_BLOCKED_LOCAL,                  /* we send blocking bits (hl_r2_block) */
  /* backward (incoming) */
  HL_R2_ST_SEIZED, HL_R2_ST_COLLECTING, HL_R2_ST_OFFERED, HL_R2_ST_ACCEPTING, HL_R2_ST_ACCEPTED,
  HL_R2_ST_REJECTING, HL_R2_ST_CLEAR_BACK_SENT,
  /* forward (outgoing) */
  HL_R2_ST_SEIZE_SENT, HL_R2_ST_SENDING, HL_R2_ST_AWAIT_GROUP_B, HL_R2_ST_RINGING, HL_R2_ST_CLEAR_FWD_SENT,
  /* both */
  HL_R2_ST_UP, HL_R2_ST_COUNT
};

/* What an event reports (the owner reads the call fields of the state). */
enum hl_r2_event {
  HL_R2_EV_OFFERED = 1,     /* backward: DNIS, ANI and category in; group B waits for accept/reject */
  HL_R2_EV_ACCEPTED,        /* either: group B accepted the call (charge says which) */
  HL_R2_EV_ANSWERED,        /* either: answer bits sent (backward) or seen (forward) */
  HL_R2_EV_REJECTED,        /* forward: group B refused (reason) */
  HL_R2_EV_FAR_CLEARED,     /* either: the far side cleared an offered or answered call (reason) */
  HL_R2_EV_CANCELLED,       /* backward: the forward cleared before the call was offered */
  HL_R2_EV_FAILED,          /* either: protocol failure or timeout; the line is being released (reason) */
  HL_R2_EV_IDLE,            /* the line is idle again after a call */
  HL_R2_EV_BLOCKED,         /* a side blocked the circuit (blk_by: "near" or "far") */
  HL_R2_EV_UNBLOCKED,       /* a side lifted its block (blk_by) */
  HL_R2_EV_METERED,         /* forward: a metering pulse (meter_count is the call's total) */
};

/* The per-call signalling trace: a fixed ring in the state (no allocation),
 * filled from seizure to idle with line-bit changes and MF signals (tone on
 * only; the compelled release is implied). */
#define HL_R2_TRACE 64
enum { HL_R2_TR_BITS = 0, HL_R2_TR_I, HL_R2_TR_II, HL_R2_TR_A, HL_R2_TR_B };
typedef struct hl_r2_trace_ent {
  int32_t ms;                       /* since the call's seizure */
  uint8_t rx;                       /* 1 received, 0 sent */
  uint8_t kind;                     /* HL_R2_TR_* */
  uint8_t val;                      /* ABCD bits, or the MF signal 1..15 */
} hl_r2_trace_ent_t;

/* ANI request policy of the backward side. */
enum { HL_R2_ANI_NONE = 0, HL_R2_ANI_AFTER_DNIS = 1, HL_R2_ANI_FIRST = 2 };
/* What the backward side is collecting. */
enum { HL_R2_X_NONE = 0, HL_R2_X_DNIS, HL_R2_X_CATEGORY, HL_R2_X_ANI, HL_R2_X_GROUP_II, HL_R2_X_DTMF };
/* Options (hl_r2_t.opts), each a knob of the span. */
enum {
  HL_R2_OPT_SKIP_CATEGORY = 1 << 0,  /* backward: never ask the category (ANI only where the variant can ask it directly) */
  HL_R2_OPT_IMMEDIATE_ACCEPT = 1 << 1, /* backward: group B accept as soon as the address is in */
  HL_R2_OPT_DOUBLE_ANSWER = 1 << 2,  /* backward: answer, brief clear-back, answer again */
  HL_R2_OPT_DTMF_DIAL = 1 << 3,      /* forward: DNIS by DTMF, no MF (so no ANI) */
  HL_R2_OPT_DTMF_DETECT = 1 << 4,    /* backward: DNIS by DTMF too; the first MF signal keeps MF */
  HL_R2_OPT_ALL = (1 << 5) - 1
};

typedef struct hl_r2 hl_r2_t;
typedef struct hl_r2_io {
  void (*set_bits)(void *user, int abcd);
  void (*event)(void *user, int ev, const hl_r2_t *r);
} hl_r2_io_t;

struct hl_r2 {
  const hl_r2_variant_t *v;
  const hl_r2_io_t *io;
  void *user;
  /* backward options */
  int max_dnis;                     /* DNIS digits to collect; 0 = until the end signal or silence */
  int max_ani;
  int ani_mode;                     /* HL_R2_ANI_* */
  int accept_ms;                    /* offered: accept with charge by itself after this (0: never) */
  int opts;                         /* HL_R2_OPT_* */
  int meter_every_ms;               /* backward: a metering pulse this often while answered (0: on command only) */
  /* line */
  int role, state;
  int64_t now, state_ms, due;       /* due: the state's deadline (0: none) */
  int rx_ab;                        /* last AB bits received */
  /* MF */
  r2_mf_rx_state_t *rx_fwd, *rx_bwd;
  r2_mf_tx_state_t *tx_fwd, *tx_bwd;
  int mf_on;                        /* receiving and sending MF */
  int tx_sig;                       /* signal we are sending (0: none) */
  int64_t tx_until;                 /* a pulsed signal stops then */
  int rx_sig;                       /* far signal present (0: none) */
  int pending;                      /* forward: the backward signal to act on when it ends */
  /* call */
  char dnis[33], ani[33];
  int ndnis, nani;
  int category;
  int ani_restricted;
  int charge;
  const char *reason;
  /* backward progress */
  int expect;                       /* HL_R2_X_* */
  int dnis_end, ani_end, cat_asked, got_cat;
  int b_after;                      /* group B being sent: the state to take when the forward releases */
  int answer_after_accept;
  /* answered call: double answer, metering */
  int dbl_phase;                    /* backward: 1 first answer held, 2 clear-back between the answers */
  int64_t dbl_at;                   /* its next step */
  int meter_queue;                  /* backward: pulses still to send */
  int meter_on;                     /* backward: a pulse is on the line */
  int64_t meter_at;                 /* backward: the pulse ends, or the next may start */
  int64_t meter_next;               /* backward: the periodic rate's next pulse */
  int meter_count;                  /* pulses sent (backward) or counted (forward) in this call */
  int64_t cb_at;                    /* forward: answered call's bits left answer then (0: they have not) */
  int64_t cb_due;                   /* forward: the excursion is a clear-back once this passes */
  /* DTMF dialing */
  dtmf_rx_state_t *dtmf_rx;
  dtmf_tx_state_t *dtmf_tx;
  int dtmf_rx_on;                   /* backward: listening for DTMF digits */
  int dtmf_tx_on;                   /* forward: DTMF digits being sent */
  int via_dtmf;                     /* the call's DNIS went by DTMF */
  /* forward progress */
  int fwd_mode;                     /* HL_R2_X_DNIS or HL_R2_X_ANI: what group A asked last */
  int dnis_pos, ani_pos, cat_sent, ani_exhausted;
  /* blocking */
  int blk_near;                     /* we send blocking bits */
  int blk_pending;                  /* block when the call in progress ends */
  int blk_far;                      /* the far side sends blocking bits while we are idle */
  const char *blk_by;               /* for HL_R2_EV_(UN)BLOCKED */
  /* trace of the current (or last) call */
  int tracing;
  int64_t tr_t0;
  int tr_n;                         /* entries recorded; the ring keeps the last HL_R2_TRACE */
  hl_r2_trace_ent_t tr[HL_R2_TRACE];
};

hl_r2_t *hl_r2_init(hl_r2_t *r, const hl_r2_variant_t *v, const hl_r2_io_t *io, void *user);
void hl_r2_release(hl_r2_t *r);
void hl_r2_free(hl_r2_t *r);
/* Only while idle: -EBUSY otherwise. Sends the new variant's idle bits. */
int hl_r2_set_variant(hl_r2_t *r, const hl_r2_variant_t *v);

void hl_r2_rx_bits(hl_r2_t *r, int abcd);
void hl_r2_rx(hl_r2_t *r, const int16_t amp[], int n);
/* Adds the MF signal being sent to amp; 1 when it added anything. */
int hl_r2_tx(hl_r2_t *r, int16_t amp[], int n);
int hl_r2_tx_active(const hl_r2_t *r);
void hl_r2_tick(hl_r2_t *r, int64_t now);

/* Commands: 0 or -errno (-EBUSY not idle, -EINVAL bad digits, -EPERM wrong state). */
int hl_r2_call(hl_r2_t *r, const char *dnis, const char *ani, int category);
int hl_r2_accept(hl_r2_t *r, int charge);
/* reason: "busy", "congestion", "unallocated", "out-of-order" */
int hl_r2_reject(hl_r2_t *r, const char *reason);
int hl_r2_answer(hl_r2_t *r);
int hl_r2_hangup(hl_r2_t *r);
/* Backward, answered: queue metering pulses (-EPERM otherwise, -ENOTSUP when the variant has none). */
int hl_r2_meter(hl_r2_t *r, int pulses);
/* Blocking: 0 blocked now (idle), 1 blocked when the current call ends. */
int hl_r2_block(hl_r2_t *r);
/* 0 lifted (or a pending block cancelled), -EALREADY not blocked by us. */
int hl_r2_unblock(hl_r2_t *r);
/* "I-3", "A-1", "B-6", "II-1" or "ABCD=1011" for a trace entry. */
void hl_r2_trace_what(const hl_r2_trace_ent_t *t, char *out, int cap);

const char *hl_r2_state_name(int st);
/* 1..15 → "I-3", "A-6", "B-1"... by role and phase, for logs and tests. */
#endif
