/* What the two far ends of an SS7 span (libss7: ss7far_libss7*.c, our own
 * stack: ss7far_own*.c) share: the Sim* events they report, the per-circuit
 * bookkeeping, and the checks on far-end commands, whose errors the two must
 * word alike (ss7far_common.c). */
#ifndef HL_SIM_SS7FAR_H
#define HL_SIM_SS7FAR_H
#include "sim_int.h"

/* ---- Sim* events ---- */
/* A far-end event with at most one string member k: v (k NULL: none). */
void ss7far_emit(sim_ss7_t *x, const char *name, int chan, int cic, const char *k, const char *v);
/* An event on circuits first..last ("last" only for a group), "by" near or far. */
void ss7far_emit_range(sim_ss7_t *x, const char *name, int first, int last, const char *by);
/* SimCircuitBlocked / SimCircuitUnblocked on first..last. */
void ss7far_emit_blocking(sim_ss7_t *x, int first, int last, int block, const char *by);
/* SimCallReceived: the box's IAM (calling "" is none). */
void ss7far_emit_received(sim_ss7_t *x, int chan, int cic, const char *called, const char *calling, int presentation,
                          int nai, int category);
/* SimCallRejected / SimLineReleased, each with its cause. */
void ss7far_emit_rejected(sim_ss7_t *x, int chan, int cic, const char *reason, int cause);
void ss7far_emit_released(sim_ss7_t *x, int chan, int cic, const char *by, int cause);

/* ---- circuits ---- */
/* The circuit record of a CIC, or NULL for a CIC outside the span. */
ss7_xcic_t *ss7far_xcic(sim_ss7_t *x, int cic);
/* The circuit has no call: idle, nothing to answer, no far-end talker. NULL
 * for a CIC outside the span. */
ss7_xcic_t *ss7far_set_idle(sim_ss7_t *x, int cic);
/* The called number of an IAM into dst, without the ST digit ('#') that ITU
 * numbers may end with. */
void ss7far_called(char *dst, size_t cap, const char *num);
/* What the far end does with the box's call (OUT_*): for a refusal the
 * reason and *cause (ISUP cause value), NULL to take the call. */
const char *ss7far_refusal(int outcome, int *cause);

/* ---- checks on far-end commands (0, or an errno with err set) ---- */
int ss7far_need_link(sim_ss7_t *x, char *err, size_t errlen);
/* SIM_CALL: link up, circuit idle and not blocked, numbers and presentation. */
int ss7far_check_call(sim_ss7_t *x, struct sim_chan *c, const ss7_xcic_t *k, int cic, int blocked, const hl_cmd_t *cmd,
                      char *err, size_t errlen);
/* SIM_HANGUP: the circuit has a call (no_call: the far end knows it has none);
 * the cause to send (i2, else 16 normal clearing), or -EINVAL. */
int ss7far_hangup_cause(const ss7_xcic_t *k, int cic, int no_call, const hl_cmd_t *cmd, char *err, size_t errlen);
/* SIM_ANSWER: a call of the box's is ringing at the far end. */
int ss7far_check_answer(const ss7_xcic_t *k, int cic, int no_call, char *err, size_t errlen);
/* SIM_OUTCOME: what the far end does with the box's calls on this circuit. */
int ss7far_set_outcome(sim_ss7_t *x, ss7_xcic_t *k, const hl_cmd_t *cmd, char *err, size_t errlen);
/* The verbs both far ends treat alike (talk, listen) and the refusal of any
 * other: for the default of their command switch. */
int ss7far_other_command(sim_ss7_t *x, struct sim_chan *c, const hl_cmd_t *cmd, char *err, size_t errlen);
/* A group action's circuits (i2 first, i3 count: 2..32 CICs of the span) on
 * a link that is up. */
int ss7far_group(sim_ss7_t *x, const hl_cmd_t *cmd, int *first, int *count, int *last, char *err, size_t errlen);
#endif
