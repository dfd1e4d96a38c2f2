/* Commands to the far end on our own SS7 stack: the common sim verbs on a
 * bearer (call, hangup, answer, outcome, block, talk, listen) and the group
 * actions (GRS, CGB, CGU), with the same checks and errors as the libss7 far
 * end. The stack's own refusals (-ENOLINK, -EBUSY, -EACCES...) are passed on
 * with a sentence saying which circuit. */
#include "ss7far_own.h"
#include <errno.h>
#include <stdio.h>
#include <string.h>

/* The stack refused: a sentence for err, the errno for the caller. */
static int refused(sim_ss7_t *x, int r, const char *what, int cic, char *err, size_t errlen) {
  const char *why;
  switch (r) {
  case -ENOLINK: why = "the SS7 link is down"; break;
  case -EBUSY: why = "the circuit (or its group) is busy"; break;
  case -EACCES: why = "the circuit is blocked"; break;
  case -EALREADY: why = "already done"; break;
  case -EPERM: why = "not in this circuit state"; break;
  case -ENOBUFS: why = "the signalling link's transmit ring is full"; break;
  case -ENOENT: why = "no such circuit"; break;
  default: why = "refused"; break;
  }
  snprintf(err, errlen, "span %d: %s on CIC %d: %s", x->span, what, cic, why);
  return r;
}

static int sim_call(sim_ss7_t *x, struct sim_chan *c, ss7_xcic_t *k, int cic, const hl_cmd_t *cmd, char *err,
                    size_t errlen) {
  /* s1 called, s2 calling, i1 calling party's category (ISUP value; < 10: ordinary),
   * i2 presentation (0 allowed, 1 restricted, 2 not available) */
  own_t *o = own_of(x);
  int r = ss7far_check_call(x, c, k, cic, hl_ss7_cic_blocked(o->s, cic) > 0, cmd, err, errlen);
  if (r < 0) return r;
  /* Our stack sends a calling number presented or restricted; "not
   * available" is an IAM without one, which the box reads as presentation 2. */
  const char *calling = cmd->i2 == 2 || !cmd->s2[0] ? NULL : cmd->s2;
  int cat = cmd->i1 >= 10 && cmd->i1 <= 255 ? cmd->i1 : HL_SS7_CAT_ORDINARY;
  r = hl_ss7_call(o->s, cic, cmd->s1, calling, HL_SS7_NAI_NATIONAL, cmd->i2 == 1, cat);
  if (r < 0) return refused(x, r, "IAM", cic, err, errlen);
  k->st = XC_OUT;
  k->answer_at = 0;
  return 0;
}

int own_command(sim_ss7_t *x, struct sim_chan *c, const hl_cmd_t *cmd, char *err, size_t errlen) {
  own_t *o = own_of(x);
  int ts = c->info->chanpos;
  int cic = x->conf.cic_first - 1 + ts;
  ss7_xcic_t *k = &x->cic[ts];
  int r;
  switch (cmd->op) {
  case HL_OP_SIM_CALL: return sim_call(x, c, k, cic, cmd, err, errlen);
  case HL_OP_SIM_HANGUP: {
    /* i2: cause (0: 16 normal clearing) */
    int cause = ss7far_hangup_cause(k, cic, 0, cmd, err, errlen);
    if (cause < 0) return cause;
    r = hl_ss7_release(o->s, cic, cause);
    if (r < 0) { own_set_idle(x, cic); return refused(x, r, "REL", cic, err, errlen); }
    o->decide[ts] = DEC_NONE;
    k->st = XC_RELEASING;
    k->answer_at = 0;
    k->cause = cause;
    x->sim->ch[c->info->channo - 1].far.talk_rate = 0;
    ss7far_emit_released(x, c->info->channo, cic, "far", cause);
    return 0;
  }
  case HL_OP_SIM_ANSWER:
    if ((r = ss7far_check_answer(k, cic, 0, err, errlen)) < 0) return r;
    /* Answered before any ACM: the stack sends CON. */
    r = hl_ss7_answer(o->s, cic);
    if (r < 0) return refused(x, r, "ANM", cic, err, errlen);
    o->decide[ts] = DEC_NONE;
    k->st = XC_IN_UP;
    k->answer_at = 0;
    ss7far_emit(x, "SimLineAnswered", c->info->channo, cic, "by", "far");
    return 0;
  case HL_OP_SIM_OUTCOME: return ss7far_set_outcome(x, k, cmd, err, errlen);
  case HL_OP_SIM_BLOCK:
    if ((r = ss7far_need_link(x, err, errlen)) < 0) return r;
    r = cmd->i1 ? hl_ss7_block(o->s, cic) : hl_ss7_unblock(o->s, cic);
    if (r < 0) return refused(x, r, cmd->i1 ? "BLO" : "UBL", cic, err, errlen);
    return 0;
  default: return ss7far_other_command(x, c, cmd, err, errlen);   /* talk, listen, or refused */
  }
}

/* GRS, CGB, CGU from the far end. */
int own_ss7cmd(sim_ss7_t *x, const hl_cmd_t *cmd, char *err, size_t errlen) {
  own_t *o = own_of(x);
  int first, count, last;
  int r = ss7far_group(x, cmd, &first, &count, &last, err, errlen);
  if (r < 0) return r;
  switch (cmd->i1) {
  case HL_SIM_SS7_GRS:
    if (o->s->grp[0].msg == HL_ISUP_GRS) return refused(x, -EBUSY, "GRS", first, err, errlen);
    /* The far end forgets every call in the group first, as a reset means. */
    own_reset_range(x, first, last);
    r = hl_ss7_group_reset(o->s, first, count);
    if (r < 0) return refused(x, r, "GRS", first, err, errlen);
    return 0;
  case HL_SIM_SS7_CGB:
  case HL_SIM_SS7_CGU:
    r = cmd->i1 == HL_SIM_SS7_CGB ? hl_ss7_group_block(o->s, first, count) : hl_ss7_group_unblock(o->s, first, count);
    if (r < 0) return refused(x, r, cmd->i1 == HL_SIM_SS7_CGB ? "CGB" : "CGU", first, err, errlen);
    return 0;
  default:
    snprintf(err, errlen, "unknown group action %d", cmd->i1);
    return -EINVAL;
  }
}
