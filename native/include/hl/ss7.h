/* SS7 signalling: one MTP2 signalling link, the MTP3 on top of it (a link set
 * of one link to the adjacent signalling point, with the signalling link test)
 * and ISUP call control for a block of circuits (CICs) carried by that point.
 *
 * Like hl/r2.h it is a passive state machine driven by its owner's loop:
 * received signal units in (hl_ss7_rx_frame), a tick with the time
 * (hl_ss7_tick), commands (hl_ss7_call, _release...), and it acts through a
 * small callback table (tx_frame, event). Nothing allocates after init, so the
 * owner may call rx/tick/commands from its real-time thread. Not thread safe:
 * one thread drives one hl_ss7_t.
 *
 * Variants (ITU, China YDN 038 with 24-bit point codes) differ only in data:
 * hl_ss7_variant_t rows. */
#ifndef HL_SS7_H
#define HL_SS7_H
#include <stdint.h>
#include <stddef.h>

/* ---- variants ---- */

typedef struct hl_ss7_variant {
  const char *name;
  uint8_t pc_bits;                  /* 14 (ITU) or 24 (China) */
  uint8_t label_len;                /* routing label bytes: 4 (ITU) or 7 (China) */
  uint16_t max_cic;                 /* highest CIC the variant carries (12-bit CIC field) */
  /* MTP2 (Q.703), ms */
  int t1_ms;                        /* aligned/ready: waiting for the far side to be in service */
  int t2_ms;                        /* not aligned: waiting for SIO/SIN/SIE */
  int t3_ms;                        /* aligned: waiting for SIN/SIE */
  int t4n_ms, t4e_ms;               /* proving period: normal, emergency */
  int t5_ms;                        /* sending SIB (busy) */
  int t6_ms;                        /* remote congestion */
  int t7_ms;                        /* excessive delay of acknowledgement */
  /* MTP3 signalling link test (Q.707), ms */
  int slt_t1_ms;                    /* waiting for SLTA */
  int slt_t2_ms;                    /* interval between periodic SLTMs */
  /* ISUP (Q.764), ms */
  int isup_t1_ms;                   /* REL sent: RLC awaited, REL repeated */
  int isup_t5_ms;                   /* REL sent: give up, send RSC */
  int isup_t7_ms;                   /* IAM sent: awaiting ACM/CON/ANM */
  int isup_t9_ms;                   /* ACM received: awaiting answer */
  int isup_t12_ms, isup_t13_ms;     /* BLO: awaiting BLA; repeat interval after the first minute */
  int isup_t14_ms, isup_t15_ms;     /* UBL: awaiting UBA; repeat interval */
  int isup_t16_ms, isup_t17_ms;     /* RSC: awaiting RLC; repeat interval */
  int isup_t18_ms, isup_t19_ms;     /* CGB: awaiting CGBA; repeat */
  int isup_t20_ms, isup_t21_ms;     /* CGU: awaiting CGUA; repeat */
  int isup_t22_ms, isup_t23_ms;     /* GRS: awaiting GRA; repeat */
  /* aligned, proving or in service: no signal unit at all for this long fails
   * the link (a real link carries FISUs continuously; a silent one is cut) */
  int silence_ms;
  int restart_ms;                   /* after a failure: SIOS this long, then realign */
} hl_ss7_variant_t;

extern const hl_ss7_variant_t hl_ss7_variants[];
extern const int hl_ss7_nvariants;
/* "itu" or "china"; NULL when unknown. */
const hl_ss7_variant_t *hl_ss7_variant_find(const char *name);

/* ---- configuration ---- */

#define HL_SS7_MAX_CIRCUITS 128     /* circuits one hl_ss7_t controls */
#define HL_SS7_MAX_DIGITS 32        /* called/calling number digits */

/* Network indicator (SSF bits DC of the SIO). */
enum { HL_SS7_NI_INTERNATIONAL = 0, HL_SS7_NI_INTERNATIONAL_SPARE = 1, HL_SS7_NI_NATIONAL = 2,
       HL_SS7_NI_NATIONAL_SPARE = 3 };

typedef struct hl_ss7_config {
  const hl_ss7_variant_t *variant;  /* NULL: itu */
  uint32_t opc;                     /* our point code */
  uint32_t dpc;                     /* the adjacent signalling point (the only route) */
  int ni;                           /* HL_SS7_NI_* */
  int slc;                          /* signalling link code 0..15 */
  int cic_first;                    /* circuits cic_first .. cic_first+cic_count-1; the owner maps */
  int cic_count;                    /* index (cic - cic_first) to its bearer channel */
  int emergency;                    /* prove with the emergency proving period (T4e) */
  int fill_ms;                      /* FISU/LSSU pacing: at most one fill-in unit per this many ms
                                       (0: one per tick) */
  int max_msu_per_tick;             /* MSUs (new or retransmitted) sent per tick; 0: 8 */
  int cause_location;               /* location in causes we send (Q.850: 0 user, 2 public local...);
                                       default 0 */
  int auto_start;                   /* align at init (else hl_ss7_start) */
} hl_ss7_config_t;

/* Fills c with defaults: itu, opc 1, dpc 2, national, slc 0, CICs 1..31, 20 ms fill. */
void hl_ss7_config_default(hl_ss7_config_t *c);

/* ---- link ---- */

enum hl_ss7_link_state {
  HL_SS7_LINK_OUT_OF_SERVICE = 0,   /* stopped, sending SIOS */
  HL_SS7_LINK_NOT_ALIGNED,          /* sending SIO, T2 running */
  HL_SS7_LINK_ALIGNED,              /* sending SIN/SIE, T3 running */
  HL_SS7_LINK_PROVING,              /* proving period T4 */
  HL_SS7_LINK_ALIGNED_READY,        /* proved, sending FISUs, T1: waiting for the far side */
  HL_SS7_LINK_IN_SERVICE,           /* MSUs flow */
  HL_SS7_LINK_PROCESSOR_OUTAGE,     /* the far side sends SIPO */
  HL_SS7_LINK_STATE_COUNT
};
const char *hl_ss7_link_state_name(int st);

/* Why the link went down (HL_SS7_EV_LINK_DOWN reason, also a string). */
enum hl_ss7_down_reason {
  HL_SS7_DOWN_NONE = 0, HL_SS7_DOWN_STOPPED, HL_SS7_DOWN_ALARM, HL_SS7_DOWN_SIOS, HL_SS7_DOWN_T1,
  HL_SS7_DOWN_T2, HL_SS7_DOWN_T3, HL_SS7_DOWN_T4, HL_SS7_DOWN_T7, HL_SS7_DOWN_BSN, HL_SS7_DOWN_FIB,
  HL_SS7_DOWN_ERRORS, HL_SS7_DOWN_SLT, HL_SS7_DOWN_SILENCE, HL_SS7_DOWN_COUNT
};
const char *hl_ss7_down_reason_name(int r);

typedef struct hl_ss7_counters {
  uint64_t su_in, su_out;           /* every signal unit */
  uint64_t msu_in, msu_out;         /* MSUs accepted in sequence / first transmissions */
  uint64_t fisu_in, lssu_in;
  uint64_t bad_frames;              /* too short, bad LI, undecodable */
  uint64_t retransmissions;         /* MSUs sent again */
  uint64_t align_attempts;
  uint64_t link_failures;
  uint64_t isup_in, isup_out;       /* ISUP messages */
  uint64_t isup_errors;             /* malformed / unexpected / unknown CIC */
  uint64_t tx_dropped;              /* MSUs refused because the ring was full */
} hl_ss7_counters_t;

/* ---- circuits ---- */

enum hl_ss7_cic_state {
  HL_SS7_CIC_IDLE = 0,
  HL_SS7_CIC_IN_SETUP,              /* IAM received, offered to the owner */
  HL_SS7_CIC_OUT_SETUP,             /* IAM sent, T7 */
  HL_SS7_CIC_IN_ALERTING,           /* incoming: we sent ACM */
  HL_SS7_CIC_OUT_ALERTING,          /* outgoing: ACM received, T9 */
  HL_SS7_CIC_ANSWERED,              /* ANM/CON either way */
  HL_SS7_CIC_RELEASING,             /* we sent REL, awaiting RLC (T1/T5) */
  HL_SS7_CIC_RESET_PENDING,         /* we sent RSC or GRS, awaiting RLC/GRA */
  HL_SS7_CIC_STATE_COUNT
};
const char *hl_ss7_cic_state_name(int st);

/* Blocking flags of a circuit. */
enum { HL_SS7_BLK_LOCAL = 1,        /* we blocked it (BLO/CGB acknowledged) */
       HL_SS7_BLK_REMOTE = 2,       /* the far side blocked it */
       HL_SS7_BLK_LOCAL_PENDING = 4 /* BLO/CGB sent, not yet acknowledged */ };

/* ---- ISUP message types (Q.763 codes) ---- */
enum {
  HL_ISUP_IAM = 0x01, HL_ISUP_SAM = 0x02, HL_ISUP_ACM = 0x06, HL_ISUP_CON = 0x07, HL_ISUP_ANM = 0x09,
  HL_ISUP_REL = 0x0c, HL_ISUP_SUS = 0x0d, HL_ISUP_RES = 0x0e, HL_ISUP_RLC = 0x10, HL_ISUP_RSC = 0x12,
  HL_ISUP_BLO = 0x13, HL_ISUP_UBL = 0x14, HL_ISUP_BLA = 0x15, HL_ISUP_UBA = 0x16, HL_ISUP_GRS = 0x17,
  HL_ISUP_CGB = 0x18, HL_ISUP_CGU = 0x19, HL_ISUP_CGBA = 0x1a, HL_ISUP_CGUA = 0x1b, HL_ISUP_CPG = 0x2c,
  HL_ISUP_GRA = 0x29, HL_ISUP_UCIC = 0x2e,
};
const char *hl_ss7_msg_name(int type);

/* Q.850 cause values we name. */
enum {
  HL_SS7_CAUSE_UNALLOCATED = 1, HL_SS7_CAUSE_NORMAL = 16, HL_SS7_CAUSE_BUSY = 17, HL_SS7_CAUSE_NO_USER_RESPONSE = 18,
  HL_SS7_CAUSE_NO_ANSWER = 19, HL_SS7_CAUSE_REJECTED = 21, HL_SS7_CAUSE_NUMBER_CHANGED = 22,
  HL_SS7_CAUSE_OUT_OF_ORDER = 27, HL_SS7_CAUSE_INVALID_NUMBER = 28, HL_SS7_CAUSE_NORMAL_UNSPECIFIED = 31,
  HL_SS7_CAUSE_NO_CIRCUIT = 34, HL_SS7_CAUSE_NETWORK_OUT_OF_ORDER = 38, HL_SS7_CAUSE_TEMPORARY_FAILURE = 41,
  HL_SS7_CAUSE_CONGESTION = 42, HL_SS7_CAUSE_RECOVERY_ON_TIMER = 102,
};
const char *hl_ss7_cause_name(int cause);

/* Nature of address indicator (called/calling party number). */
enum { HL_SS7_NAI_SUBSCRIBER = 1, HL_SS7_NAI_UNKNOWN = 2, HL_SS7_NAI_NATIONAL = 3, HL_SS7_NAI_INTERNATIONAL = 4 };
/* Calling party's category: 0x0a ordinary subscriber, 0x0f payphone, 0x0d test call. */
enum { HL_SS7_CAT_ORDINARY = 0x0a, HL_SS7_CAT_PRIORITY = 0x0b, HL_SS7_CAT_DATA = 0x0c, HL_SS7_CAT_TEST = 0x0d,
       HL_SS7_CAT_PAYPHONE = 0x0f };

/* ---- events ---- */

enum hl_ss7_event_type {
  HL_SS7_EV_LINK_UP = 1,            /* MTP3 link test passed: ISUP may send ("SS7 up") */
  HL_SS7_EV_LINK_DOWN,              /* link failed or stopped (reason); established calls stay */
  HL_SS7_EV_CALL_OFFERED,           /* IAM: cic, called, calling, nai, presentation, category */
  HL_SS7_EV_CALL_DIGITS,            /* SAM: digits appended to called (digits: the new ones) */
  HL_SS7_EV_ALERTING,               /* ACM received */
  HL_SS7_EV_PROGRESS,               /* CPG received (event_info) */
  HL_SS7_EV_ANSWERED,               /* ANM or CON received */
  HL_SS7_EV_FAR_RELEASED,           /* REL received (cause); the stack answered RLC, circuit idle */
  HL_SS7_EV_RELEASE_COMPLETE,       /* our REL answered by RLC (or given up after T5): circuit idle */
  HL_SS7_EV_CALL_FAILED,            /* outgoing call ended before answer: REL received (cause; circuit
                                       idle) or T7/T9 expired (cause 102/19; our REL is sent and
                                       RELEASE_COMPLETE follows when the RLC comes) */
  HL_SS7_EV_BLOCKED,                /* by: HL_SS7_BLK_LOCAL (acknowledged) or HL_SS7_BLK_REMOTE */
  HL_SS7_EV_UNBLOCKED,              /* by: which side lifted it */
  HL_SS7_EV_RESET,                  /* circuit reset (by: local = our RSC/GRS acknowledged, remote =
                                       theirs); any call on it is gone. One event per circuit, also
                                       for each circuit of a GRS/GRA range */
  HL_SS7_EV_ERROR,                  /* text: reason (static string); cic or -1; msg: the ISUP type.
                                       Also "T5 expired: no RLC, circuit reset sent" */
  HL_SS7_EV_MTP2_UP,                /* MTP2 in service (informational; LINK_UP follows the SLTA) */
  HL_SS7_EV_COUNT
};
const char *hl_ss7_event_name(int ev);

typedef struct hl_ss7_event {
  int type;                         /* HL_SS7_EV_* */
  int cic;                          /* -1 for link events and errors without a circuit */
  int cause;                        /* FAR_RELEASED, CALL_FAILED, RELEASE_COMPLETE: Q.850 cause */
  int by;                           /* BLOCKED/UNBLOCKED/RESET: HL_SS7_BLK_LOCAL or _REMOTE */
  int reason;                       /* LINK_DOWN: HL_SS7_DOWN_* */
  const char *text;                 /* ERROR, LINK_DOWN, CALL_FAILED: a static reason string */
  int msg;                          /* the ISUP message type that caused the event (0: none) */
  int nai;                          /* CALL_OFFERED: calling party nature of address */
  int called_nai;
  int presentation;                 /* CALL_OFFERED: 0 allowed, 1 restricted, 2 not available */
  int screening;
  int category;                     /* CALL_OFFERED: calling party's category */
  int event_info;                   /* PROGRESS: CPG event indicator (1 alerting, 2 progress...) */
  char called[HL_SS7_MAX_DIGITS + 1];   /* CALL_OFFERED: called number; CALL_DIGITS: all so far */
  char calling[HL_SS7_MAX_DIGITS + 1];  /* CALL_OFFERED: calling number ("" when absent) */
  char digits[HL_SS7_MAX_DIGITS + 1];   /* CALL_DIGITS: the digits this SAM added */
} hl_ss7_event_t;

typedef struct hl_ss7_io {
  /* One MTP2 signal unit, without flags and without FCS (the driver adds them).
   * Returns < 0 when the driver could not take it (it is counted, not retried). */
  int (*tx_frame)(void *user, const uint8_t *su, int len);
  void (*event)(void *user, const struct hl_ss7_event *ev);
} hl_ss7_io_t;

/* ---- per-call trace ---- */

#define HL_SS7_TRACE 32
typedef struct hl_ss7_trace_ent {
  int32_t ms;                       /* since the call's IAM (sent or received) */
  uint8_t rx;                       /* 1 received, 0 sent */
  uint8_t msg;                      /* ISUP message type */
  uint8_t cause;                    /* REL: cause value; else 0 */
  uint8_t pad;
  int16_t cic;
} hl_ss7_trace_ent_t;

/* "IAM", "REL cause=16", "ACM" ... */
void hl_ss7_trace_what(const hl_ss7_trace_ent_t *t, char *out, int cap);

/* ---- the object ---- */

#define HL_SS7_MSU_MAX 280          /* SIO + SIF (272) + header, with room */
#define HL_SS7_TX_RING 128          /* MSUs queued + awaiting acknowledgement (FSN space) */

typedef struct hl_ss7_msu {
  uint16_t len;                     /* bytes of SIO + SIF */
  uint8_t b[HL_SS7_MSU_MAX];
} hl_ss7_msu_t;

typedef struct hl_ss7_circuit {
  int cic;
  int state;                        /* HL_SS7_CIC_* */
  int blk;                          /* HL_SS7_BLK_* flags */
  int outgoing;                     /* the current call was ours */
  int acm_sent, acm_rcvd;
  int rel_cause;                    /* cause of the REL we sent (for repeats) */
  int64_t t_rel_first;              /* REL/RSC first sent: T5/T17 reference */
  int64_t due;                      /* call timer deadline (T1/T7/T9/T16..); 0 none */
  int timer;                        /* which ISUP timer "due" is for (internal) */
  int64_t blk_due, ubl_due;         /* T12/T14 deadlines */
  int64_t blk_first, ubl_first;     /* T12/T14 first sent: T13/T15 after a minute */
  int pending_ubl;                  /* UBL sent, UBA awaited */
  char called[HL_SS7_MAX_DIGITS + 1];
  char calling[HL_SS7_MAX_DIGITS + 1];
  /* trace of the current (or last) call */
  int64_t tr_t0;
  int tr_n;                         /* recorded; the ring keeps the last HL_SS7_TRACE */
  hl_ss7_trace_ent_t tr[HL_SS7_TRACE];
} hl_ss7_circuit_t;

/* A group operation (GRS/CGB/CGU) awaiting its acknowledgement. */
typedef struct hl_ss7_group_op {
  int msg;                          /* HL_ISUP_GRS/CGB/CGU; 0 none */
  int first, count;
  int64_t due, t_first;
} hl_ss7_group_op_t;

typedef struct hl_ss7 hl_ss7_t;
struct hl_ss7 {
  hl_ss7_config_t cfg;
  const hl_ss7_variant_t *v;
  const hl_ss7_io_t *io;
  void *user;
  int64_t now;
  int allocated;
  /* MTP2 */
  int lstate;                       /* HL_SS7_LINK_* */
  int started;                      /* wants the link up (start until stop) */
  int alarm;
  int64_t t1, t2, t3, t4, t7;       /* deadlines, 0: stopped */
  int64_t restart_at;               /* realign then (after a failure); 0: none */
  int64_t last_rx;                  /* time of the last valid signal unit */
  int far_ready;                    /* FISU/MSU seen while we were still proving */
  int far_emergency;                /* the far side sent SIE */
  int bad_bsn;                      /* consecutive invalid BSNs */
  int urgent;                       /* a status change or NACK to send at the next tick */
  int good_su;                      /* SUs since the error count last leaked */
  int proving_errors;
  int far_lssu;                     /* last LSSU status received (-1: none) */
  int far_po;                       /* far processor outage */
  uint8_t fsn_tx, fib;              /* last FSN sent / our FIB */
  uint8_t bsn_tx, bib;              /* last FSN accepted (our BSN) / our BIB */
  uint8_t fsn_acked;                /* the far side's last BSN */
  int nack_pending;                 /* we inverted our BIB: wait for the far side's retransmission */
  int rtx_from;                     /* >= 0: retransmitting from this ring slot */
  int rx_seen;                      /* a valid SU arrived since the last check */
  int64_t fill_last;
  int err_count;                    /* errors in service (SUERM-like leaky count) */
  /* transmit ring: [ack, sent) awaiting acknowledgement, [sent, tail) queued */
  uint8_t ring_fsn[HL_SS7_TX_RING];
  hl_ss7_msu_t ring[HL_SS7_TX_RING];
  int r_ack, r_sent, r_tail;        /* absolute counters; slot = n % HL_SS7_TX_RING */
  int down_reason;
  /* MTP3 */
  int ss7_up;                       /* SLTA received: ISUP may run */
  int slt_pattern_len;
  uint8_t slt_pattern[16];
  int64_t slt_due, slt_next;        /* T1 (SLTA awaited) and T2 (next SLTM) */
  int slt_tries;
  int sls_next;
  /* ISUP */
  int ncirc;
  hl_ss7_circuit_t circ[HL_SS7_MAX_CIRCUITS];
  hl_ss7_group_op_t grp[3];         /* GRS, CGB, CGU in flight */
  hl_ss7_counters_t cnt;
  uint8_t txbuf[HL_SS7_MSU_MAX + 8];
};

/* s NULL: allocated (free with hl_ss7_free); else caller-owned memory
 * (hl_ss7_deinit only). NULL on bad config (cic range, variant).
 * Note: the object's counterpart of r2's *_release is hl_ss7_deinit, because
 * hl_ss7_release is the ISUP call release (REL) below. */
hl_ss7_t *hl_ss7_init(hl_ss7_t *s, const hl_ss7_config_t *cfg, const hl_ss7_io_t *io, void *user);
void hl_ss7_deinit(hl_ss7_t *s);    /* stops timers; sends nothing; memory stays the caller's */
void hl_ss7_free(hl_ss7_t *s);      /* deinit + free when allocated by init */

/* ---- inputs ---- */
/* A received signal unit without flags/FCS. Any bytes are safe. */
void hl_ss7_rx_frame(hl_ss7_t *s, const uint8_t *su, int len);
/* Runs timers, sends queued MSUs and retransmissions, and one fill-in unit
 * (FISU/LSSU) per fill period when nothing else went out. */
void hl_ss7_tick(hl_ss7_t *s, int64_t now_ms);
/* Span alarm on: the link fails and stays down until the alarm clears; off:
 * realigns if started. */
void hl_ss7_link_alarm(hl_ss7_t *s, int on);

/* ---- link control ---- */
int hl_ss7_start(hl_ss7_t *s);      /* initial alignment (and again after every failure) */
int hl_ss7_stop(hl_ss7_t *s);       /* out of service: sends SIOS */
int hl_ss7_link_state(const hl_ss7_t *s);
int hl_ss7_is_up(const hl_ss7_t *s);    /* MTP2 in service and SLTA received */
const hl_ss7_counters_t *hl_ss7_counters(const hl_ss7_t *s);

/* ---- ISUP commands: 0 or -errno ----
 * -ENOENT unknown CIC, -EBUSY circuit not idle / group op in flight, -EPERM wrong
 * state, -EINVAL bad digits or arguments, -ENOLINK SS7 not up (nothing sent),
 * -EACCES circuit blocked, -ENOBUFS transmit ring full. */
int hl_ss7_call(hl_ss7_t *s, int cic, const char *called, const char *calling, int calling_nai,
                int presentation_restricted, int category);
int hl_ss7_sam(hl_ss7_t *s, int cic, const char *digits);   /* more called digits */
int hl_ss7_alert(hl_ss7_t *s, int cic);                     /* ACM */
int hl_ss7_progress(hl_ss7_t *s, int cic, int event_info);  /* CPG (1 alerting, 2 progress, 3 in-band) */
int hl_ss7_answer(hl_ss7_t *s, int cic);                    /* ANM, or CON when no ACM was sent */
int hl_ss7_release(hl_ss7_t *s, int cic, int cause);        /* REL; RLC awaited (T1/T5) */
int hl_ss7_block(hl_ss7_t *s, int cic);                     /* BLO; BLA awaited (T12) */
int hl_ss7_unblock(hl_ss7_t *s, int cic);                   /* UBL; UBA awaited (T14) */
int hl_ss7_group_block(hl_ss7_t *s, int first, int count);  /* CGB (maintenance); CGBA awaited */
int hl_ss7_group_unblock(hl_ss7_t *s, int first, int count);/* CGU; CGUA awaited */
int hl_ss7_reset(hl_ss7_t *s, int cic);                     /* RSC; RLC awaited (T16/T17) */
int hl_ss7_group_reset(hl_ss7_t *s, int first, int count);  /* GRS (count 2..32); GRA awaited */

/* ---- circuit state ---- */
int hl_ss7_cic_state(const hl_ss7_t *s, int cic);           /* HL_SS7_CIC_* or -ENOENT */
int hl_ss7_cic_blocked(const hl_ss7_t *s, int cic);         /* HL_SS7_BLK_* flags or -ENOENT */
const hl_ss7_circuit_t *hl_ss7_circuit(const hl_ss7_t *s, int cic);  /* NULL unknown */
/* Copies up to max trace entries of the circuit's current or last call, oldest
 * first; returns the count. */
int hl_ss7_trace(const hl_ss7_t *s, int cic, hl_ss7_trace_ent_t *out, int max);
#endif
