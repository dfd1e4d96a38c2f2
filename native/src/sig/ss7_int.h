/* Internals shared by the SS7 files: ss7.c (object, names, events),
 * ss7_mtp2.c (signalling link), ss7_mtp3.c (message routing, link test,
 * network management), ss7_isup.c / ss7_isup_cmd.c (circuits and calls).
 * They are prefixed hl_ss7i_: libss7's own internals are global ss7_* symbols
 * (ss7_error, ss7_message...), and a process that links both (the simulator,
 * the libss7 proof) must not have libss7 call into us by name. */
#ifndef HL_SS7_INT_H
#define HL_SS7_INT_H
#include "hl/ss7.h"
#include "hl/ss7_codec.h"

/* LSSU status field values (Q.703). */
enum { LSSU_SIO = 0, LSSU_SIN = 1, LSSU_SIE = 2, LSSU_SIOS = 3, LSSU_SIPO = 4, LSSU_SIB = 5 };

/* ISUP circuit timers (hl_ss7_circuit_t.timer). */
enum { TM_NONE = 0, TM_REL, TM_T7, TM_T9, TM_RSC };
/* Group operations (hl_ss7_t.grp index). */
enum { GRP_GRS = 0, GRP_CGB = 1, GRP_CGU = 2 };

/* ss7.c */
void hl_ss7i_ev_init(hl_ss7_event_t *e, int type, int cic);
void hl_ss7i_emit(hl_ss7_t *s, const hl_ss7_event_t *e);
void hl_ss7i_error(hl_ss7_t *s, int cic, int msg, const char *why);

/* ss7_mtp2.c */
void hl_ss7i_mtp2_reset(hl_ss7_t *s);
void hl_ss7i_mtp2_rx(hl_ss7_t *s, const uint8_t *su, int len);
void hl_ss7i_mtp2_tick(hl_ss7_t *s);
void hl_ss7i_mtp2_align(hl_ss7_t *s);
void hl_ss7i_mtp2_fail(hl_ss7_t *s, int reason);
void hl_ss7i_mtp2_stop(hl_ss7_t *s);
int hl_ss7i_mtp2_in_service(const hl_ss7_t *s);
/* Queues an MSU payload (SIO + SIF); 0 or -ENOBUFS / -ENOLINK. */
int hl_ss7i_mtp2_queue(hl_ss7_t *s, const uint8_t *msu, int len);

/* ss7_mtp3.c */
void hl_ss7i_mtp3_rx(hl_ss7_t *s, const uint8_t *msu, int len);
void hl_ss7i_mtp3_link_in_service(hl_ss7_t *s);
void hl_ss7i_mtp3_link_down(hl_ss7_t *s, int reason, int was_in_service);
void hl_ss7i_mtp3_tick(hl_ss7_t *s);

/* ss7_isup.c */
hl_ss7_circuit_t *hl_ss7i_circ(hl_ss7_t *s, int cic);
void hl_ss7i_isup_rx(hl_ss7_t *s, const hl_ss7_label_t *l, const uint8_t *d, int n);
void hl_ss7i_isup_tick(hl_ss7_t *s);
void hl_ss7i_isup_link_up(hl_ss7_t *s);
/* Sends m on its circuit (traced); 0 or -ENOLINK / -ENOBUFS. */
int hl_ss7i_isup_send(hl_ss7_t *s, hl_isup_msg_t *m);
void hl_ss7i_isup_msg_init(hl_isup_msg_t *m, int type, int cic);
void hl_ss7i_trace(hl_ss7_t *s, hl_ss7_circuit_t *c, int rx, int msg, int cause);
void hl_ss7i_circ_idle(hl_ss7_circuit_t *c);
int hl_ss7i_group_interval(int64_t since_first, int first_ms, int repeat_ms);
void hl_ss7i_isup_group_start(hl_ss7_t *s, int which, int msg, int first, int count);
#endif
