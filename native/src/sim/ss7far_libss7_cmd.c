/* Commands to the libss7 far end: the common sim verbs on a bearer (call,
 * hangup, answer, outcome, block, talk, listen) and the group actions (GRS,
 * CGB, CGU), with the checks and errors both far ends share (ss7far_common.c). */
#include "ss7far_libss7.h"
#include <errno.h>
#include <stdio.h>
#include <string.h>

/* Common sim verbs on a bearer channel of the span. */
int lx_command(sim_ss7_t *x, struct sim_chan *c, const hl_cmd_t *cmd, char *err, size_t errlen) {
  lx_t *l = lx_of(x);
  struct ss7 *ss7 = l->ss7;
  int ts = c->info->chanpos;
  int cic = x->conf.cic_first - 1 + ts;
  ss7_xcic_t *k = &x->cic[ts];
  switch (cmd->op) {
  case HL_OP_SIM_CALL: {
    /* s1 called, s2 calling, i1 calling party's category (ISUP value; < 10: ordinary),
     * i2 presentation (0 allowed, 1 restricted, 2 not available) */
    int r = ss7far_check_call(x, c, k, cic, k->blk_far || k->blk_near, cmd, err, errlen);
    if (r < 0) return r;
    struct isup_call *call = isup_new_call(ss7, cic, x->conf.box_pc, 1);
    if (!call) { snprintf(err, errlen, "libss7: no call object"); return -ENOMEM; }
    isup_set_called(call, cmd->s1, SS7_NAI_NATIONAL, ss7);
    isup_set_calling(call, cmd->s2[0] ? cmd->s2 : NULL, SS7_NAI_NATIONAL,
                     cmd->i2 == 2 ? SS7_PRESENTATION_ADDR_NOT_AVAILABLE : cmd->i2, SS7_SCREENING_NETWORK_PROVIDED);
    isup_set_calling_party_category(call, cmd->i1 >= 10 && cmd->i1 <= 255 ? (unsigned)cmd->i1 : 10);
    k->call = call;
    k->st = XC_OUT;
    if (isup_iam(ss7, call) < 0) {   /* libss7 freed it (cb_call_null made the circuit idle) */
      ss7far_set_idle(x, cic);
      snprintf(err, errlen, "libss7 could not send the IAM on CIC %d", cic);
      return -EIO;
    }
    return 0;
  }
  case HL_OP_SIM_HANGUP: {
    /* i2: cause (0: 16 normal clearing) */
    int cause = ss7far_hangup_cause(k, cic, !k->call, cmd, err, errlen);
    if (cause < 0) return cause;
    if (isup_rel(ss7, k->call, cause) < 0) { ss7far_set_idle(x, cic); snprintf(err, errlen, "libss7 could not send REL on CIC %d", cic); return -EIO; }
    k->st = XC_RELEASING;
    k->cause = cause;
    x->sim->ch[c->info->channo - 1].far.talk_rate = 0;
    ss7far_emit_released(x, c->info->channo, cic, "far", cause);
    return 0;
  }
  case HL_OP_SIM_ANSWER: {
    int r = ss7far_check_answer(k, cic, !k->call, err, errlen);
    if (r < 0) return r;
    if (isup_anm(ss7, k->call) < 0) { ss7far_set_idle(x, cic); snprintf(err, errlen, "libss7 could not send ANM"); return -EIO; }
    k->st = XC_IN_UP;
    k->answer_at = 0;
    ss7far_emit(x, "SimLineAnswered", c->info->channo, cic, "by", "far");
    return 0;
  }
  case HL_OP_SIM_OUTCOME: return ss7far_set_outcome(x, k, cmd, err, errlen);
  case HL_OP_SIM_BLOCK: {
    int r = ss7far_need_link(x, err, errlen);
    if (r < 0) return r;
    struct isup_call *call = k->call ? k->call : isup_new_call(ss7, cic, x->conf.box_pc, 0);
    if (!call) { snprintf(err, errlen, "libss7: no call object"); return -ENOMEM; }
    r = cmd->i1 ? isup_blo(ss7, call) : isup_ubl(ss7, call);
    if (r < 0) { snprintf(err, errlen, "libss7 could not send %s on CIC %d", cmd->i1 ? "BLO" : "UBL", cic); return -EIO; }
    return 0;
  }
  default: return ss7far_other_command(x, c, cmd, err, errlen);   /* talk, listen, or refused */
  }
}

/* GRS, CGB, CGU from the far end. */
int lx_ss7cmd(sim_ss7_t *x, const hl_cmd_t *cmd, char *err, size_t errlen) {
  struct ss7 *ss7 = lx_of(x)->ss7;
  int first, count, last;
  int r = ss7far_group(x, cmd, &first, &count, &last, err, errlen);
  if (r < 0) return r;
  unsigned char st[255];
  memset(st, 0, sizeof st);
  struct isup_call *c;
  switch (cmd->i1) {
  case HL_SIM_SS7_GRS:
    /* The far end forgets every call in the group first, as a reset means. */
    lx_reset_range(x, first, last, NULL);
    for (int cic = first; cic <= last; cic++) { ss7_xcic_t *k = ss7far_xcic(x, cic); if (k) k->blk_far = 0; }
    c = isup_new_call(ss7, first, x->conf.box_pc, 0);
    if (!c || isup_grs(ss7, c, last) < 0) { snprintf(err, errlen, "libss7 could not send GRS"); return -EIO; }
    return 0;
  case HL_SIM_SS7_CGB:
  case HL_SIM_SS7_CGU: {
    for (int i = 0; i < count; i++) st[i] = 1;
    ss7_xcic_t *k = ss7far_xcic(x, first);
    c = k && k->call ? k->call : isup_new_call(ss7, first, x->conf.box_pc, 0);
    r = !c ? -1 : cmd->i1 == HL_SIM_SS7_CGB ? isup_cgb(ss7, c, last, st, 0) : isup_cgu(ss7, c, last, st, 0);
    if (r < 0) { snprintf(err, errlen, "libss7 could not send %s", cmd->i1 == HL_SIM_SS7_CGB ? "CGB" : "CGU"); return -EIO; }
    return 0;
  }
  default:
    snprintf(err, errlen, "unknown group action %d", cmd->i1);
    return -EINVAL;
  }
}
