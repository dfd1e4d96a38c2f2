/* What the parts of the MFC/R2 engine share (the public side is hl/r2.h).
 * r2_line.c: line bits, call state, timers, life cycle; r2_mf.c: the compelled
 * MF cycle and the audio path; r2_extras.c: double answer, metering, DTMF;
 * r2_cmd.c: the owner's commands; r2_trace.c; r2_variants.c. */
#ifndef HL_SIG_R2_INT_H
#define HL_SIG_R2_INT_H
#include "hl/r2.h"

/* r2_line.c: line signalling and call state */
void r2_line(hl_r2_t *r, int sig);                   /* send line signal sig (HL_R2_IDLE...) as ABCD bits */
int r2_rx_is(const hl_r2_t *r, int sig);             /* the far side's bits are line signal sig */
void r2_emit(hl_r2_t *r, int ev);
void r2_enter(hl_r2_t *r, int st, int timeout_ms);
void r2_reset_call(hl_r2_t *r);
void r2_settle(hl_r2_t *r);
void r2_blocking(hl_r2_t *r, const char *by, int ev);   /* settle, then tell the owner (HL_R2_EV_(UN)BLOCKED) */
void r2_go_idle(hl_r2_t *r);
void r2_fail(hl_r2_t *r, const char *reason);

/* r2_mf.c: the compelled MF cycle */
void r2_mfc_start(hl_r2_t *r);
void r2_mfc_send(hl_r2_t *r, int sig);
void r2_mfc_silence(hl_r2_t *r);
void r2_mfc_off(hl_r2_t *r);
void r2_append_digit(char *s, int *n, int sig);
void r2_on_mf(void *user, int code, int level, int delay);
void r2_bwd_offer(hl_r2_t *r);
void r2_bwd_timeout(hl_r2_t *r);
void r2_fwd_send_dnis(hl_r2_t *r);
void r2_fwd_tone_off(hl_r2_t *r);
void r2_fwd_timeout(hl_r2_t *r);

/* r2_extras.c: double answer, metering, DTMF detection and dialing */
void r2_on_dtmf(void *user, const char *digits, int len);
void r2_bwd_answered_tick(hl_r2_t *r);
void r2_fwd_dtmf_start(hl_r2_t *r);
int r2_fwd_answered_bits(hl_r2_t *r);
int r2_fwd_answered_tick(hl_r2_t *r);
int r2_fwd_dtmf_sent(hl_r2_t *r);

/* r2_trace.c */
void r2_trace(hl_r2_t *r, int rx, int kind, int val);
void r2_trace_start(hl_r2_t *r);
int r2_tr_group(const hl_r2_t *r, int rx);           /* an MF signal's group, for the trace */

#endif
