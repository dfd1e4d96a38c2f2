/* Commands to the far end on our own SS7 stack: the common sim verbs on a
 * bearer (call, hangup, answer, outcome, block, talk, listen) and the group
 * actions (GRS, CGB, CGU), with the same checks and errors as the libss7 far
 * end. The stack's own refusals (-ENOLINK, -EBUSY, -EACCES...) are passed on
 * with a sentence saying which circuit. */
#include "ss7far_own.h"
#include <errno.h>
#include <stdio.h>
#include <string.h>

static int all_digits(const char *s) { return strspn(s, "0123456789") == strlen(s); }

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
  if (!x->link_up) { snprintf(err, errlen, "span %d: the SS7 link is down", x->span); return -ENOLINK; }
  if (k->st != XC_IDLE) { snprintf(err, errlen, "CIC %d (channel %d) is not idle", cic, c->info->channo); return -EBUSY; }
  if (hl_ss7_cic_blocked(o->s, cic) > 0) {
    snprintf(err, errlen, "CIC %d (channel %d) is blocked", cic, c->info->channo);
    return -EACCES;
  }
  if (!cmd->s1[0] || !all_digits(cmd->s1) || strlen(cmd->s1) > 30 || !all_digits(cmd->s2) || strlen(cmd->s2) > 30 ||
      cmd->i2 < 0 || cmd->i2 > 2) {
    snprintf(err, errlen, "bad called/calling number or presentation (digits, up to 30; presentation 0..2)");
    return -EINVAL;
  }
  /* Our stack sends a calling number presented or restricted; "not
   * available" is an IAM without one, which the box reads as presentation 2. */
  const char *calling = cmd->i2 == 2 || !cmd->s2[0] ? NULL : cmd->s2;
  int cat = cmd->i1 >= 10 && cmd->i1 <= 255 ? cmd->i1 : HL_SS7_CAT_ORDINARY;
  int r = hl_ss7_call(o->s, cic, cmd->s1, calling, HL_SS7_NAI_NATIONAL, cmd->i2 == 1, cat);
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
    if (k->st == XC_IDLE || k->st == XC_RELEASING) { snprintf(err, errlen, "CIC %d has no call", cic); return -EINVAL; }
    int cause = cmd->i2 > 0 && cmd->i2 < 128 ? cmd->i2 : HL_SS7_CAUSE_NORMAL;
    r = hl_ss7_release(o->s, cic, cause);
    if (r < 0) { own_set_idle(x, cic); return refused(x, r, "REL", cic, err, errlen); }
    o->decide[ts] = DEC_NONE;
    k->st = XC_RELEASING;
    k->answer_at = 0;
    k->cause = cause;
    x->sim->ch[c->info->channo - 1].far.talk_rate = 0;
    char buf[HL_EVENT_JSON];
    hl_jw_t w;
    ss7span_begin(x, &w, buf, sizeof buf, "SimLineReleased", c->info->channo, cic);
    hl_jw_str(&w, "by", "far");
    hl_jw_int(&w, "cause", cause);
    ss7span_end(x, &w, buf);
    return 0;
  }
  case HL_OP_SIM_ANSWER:
    if (k->st != XC_IN && k->st != XC_IN_ALERT) {
      snprintf(err, errlen, "no call of the box's ringing at the far end on CIC %d", cic);
      return -EINVAL;
    }
    /* Answered before any ACM: the stack sends CON. */
    r = hl_ss7_answer(o->s, cic);
    if (r < 0) return refused(x, r, "ANM", cic, err, errlen);
    o->decide[ts] = DEC_NONE;
    k->st = XC_IN_UP;
    k->answer_at = 0;
    own_emit(x, "SimLineAnswered", c->info->channo, cic, "by", "far");
    return 0;
  case HL_OP_SIM_OUTCOME:
    if (cmd->i1 < OUT_ANSWER || cmd->i1 > OUT_UNALLOCATED) { snprintf(err, errlen, "unknown outcome"); return -EINVAL; }
    k->outcome = cmd->i1;
    k->after_ms = cmd->i2 >= 0 ? cmd->i2 : x->conf.answer_ms;
    return 0;
  case HL_OP_SIM_BLOCK:
    if (!x->link_up) { snprintf(err, errlen, "span %d: the SS7 link is down", x->span); return -ENOLINK; }
    r = cmd->i1 ? hl_ss7_block(o->s, cic) : hl_ss7_unblock(o->s, cic);
    if (r < 0) return refused(x, r, cmd->i1 ? "BLO" : "UBL", cic, err, errlen);
    return 0;
  case HL_OP_SIM_TALK:
  case HL_OP_SIM_LISTEN:
    return pstn_command(x->sim, c, cmd, err, errlen);
  default:
    snprintf(err, errlen, "channel %d is a bearer of SS7 span %d: the far end takes call, hangup, answer, outcome, block, talk, listen",
             c->info->channo, x->span);
    return -EINVAL;
  }
}

/* GRS, CGB, CGU from the far end. */
int own_ss7cmd(sim_ss7_t *x, const hl_cmd_t *cmd, char *err, size_t errlen) {
  own_t *o = own_of(x);
  int first = cmd->i2 > 0 ? cmd->i2 : x->conf.cic_first;
  int count = cmd->i3 > 0 ? cmd->i3 : 31;
  int last = first + count - 1;
  if (!ss7span_ts_of_cic(x, first) || !ss7span_ts_of_cic(x, last) || count < 2 || count > 32) {
    snprintf(err, errlen, "circuits %d..%d: a group is 2..32 CICs of span %d (%d..%d)", first, last, x->span,
             x->conf.cic_first, x->conf.cic_first + 30);
    return -EINVAL;
  }
  if (!x->link_up) { snprintf(err, errlen, "span %d: the SS7 link is down", x->span); return -ENOLINK; }
  int r;
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
