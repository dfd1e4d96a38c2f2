/* What the two far ends of an SS7 span share (see ss7far.h): both report the
 * same Sim* events, keep the same per-circuit record, and check far-end
 * commands with the same errors, whichever stack carries them. */
#include "ss7far.h"
#include <errno.h>
#include <stdio.h>
#include <string.h>

/* ---- Sim* events ---- */

void ss7far_emit(sim_ss7_t *x, const char *name, int chan, int cic, const char *k, const char *v) {
  char buf[HL_EVENT_JSON];
  hl_jw_t w;
  ss7span_begin(x, &w, buf, sizeof buf, name, chan, cic);
  if (k) hl_jw_str(&w, k, v);
  ss7span_end(x, &w, buf);
}

void ss7far_emit_range(sim_ss7_t *x, const char *name, int first, int last, const char *by) {
  char buf[HL_EVENT_JSON];
  hl_jw_t w;
  int ch = first == last ? ss7span_chan_of_cic(x, first) : 0;
  ss7span_begin(x, &w, buf, sizeof buf, name, ch, first);
  if (last != first) hl_jw_int(&w, "last", last);
  hl_jw_str(&w, "by", by);
  ss7span_end(x, &w, buf);
}

void ss7far_emit_blocking(sim_ss7_t *x, int first, int last, int block, const char *by) {
  ss7far_emit_range(x, block ? "SimCircuitBlocked" : "SimCircuitUnblocked", first, last, by);
}

void ss7far_emit_received(sim_ss7_t *x, int chan, int cic, const char *called, const char *calling, int presentation,
                          int nai, int category) {
  char buf[HL_EVENT_JSON];
  hl_jw_t w;
  ss7span_begin(x, &w, buf, sizeof buf, "SimCallReceived", chan, cic);
  hl_jw_str(&w, "called", called);
  hl_jw_str(&w, "calling", calling[0] ? calling : NULL);
  hl_jw_int(&w, "presentation", presentation);
  hl_jw_int(&w, "nai", nai);
  hl_jw_int(&w, "category", category);
  ss7span_end(x, &w, buf);
}

/* An event with one string member k: v, then the cause. */
static void emit_cause(sim_ss7_t *x, const char *name, int chan, int cic, const char *k, const char *v, int cause) {
  char buf[HL_EVENT_JSON];
  hl_jw_t w;
  ss7span_begin(x, &w, buf, sizeof buf, name, chan, cic);
  hl_jw_str(&w, k, v);
  hl_jw_int(&w, "cause", cause);
  ss7span_end(x, &w, buf);
}

void ss7far_emit_rejected(sim_ss7_t *x, int chan, int cic, const char *reason, int cause) {
  emit_cause(x, "SimCallRejected", chan, cic, "reason", reason, cause);
}

void ss7far_emit_released(sim_ss7_t *x, int chan, int cic, const char *by, int cause) {
  emit_cause(x, "SimLineReleased", chan, cic, "by", by, cause);
}

/* ---- circuits ---- */

ss7_xcic_t *ss7far_xcic(sim_ss7_t *x, int cic) {
  int ts = ss7span_ts_of_cic(x, cic);
  return ts ? &x->cic[ts] : NULL;
}

ss7_xcic_t *ss7far_set_idle(sim_ss7_t *x, int cic) {
  ss7_xcic_t *k = ss7far_xcic(x, cic);
  if (!k) return NULL;
  k->call = NULL;
  k->st = XC_IDLE;
  k->answer_at = 0;
  int ch = ss7span_chan_of_cic(x, cic);
  if (ch) x->sim->ch[ch - 1].far.talk_rate = 0;
  return k;
}

void ss7far_called(char *dst, size_t cap, const char *num) {
  snprintf(dst, cap, "%s", num);
  size_t n = strlen(dst);
  if (n && dst[n - 1] == '#') dst[n - 1] = 0;
}

/* ISUP causes (Q.850): 17 user busy, 1 unallocated number, 34 no circuit. */
const char *ss7far_refusal(int outcome, int *cause) {
  switch (outcome) {
  case OUT_BUSY: *cause = 17; return "busy";
  case OUT_UNALLOCATED: *cause = 1; return "unallocated";
  case OUT_CONGESTION: *cause = 34; return "congestion";
  default: *cause = 0; return NULL;
  }
}

/* ---- checks on far-end commands ---- */

int ss7far_need_link(sim_ss7_t *x, char *err, size_t errlen) {
  if (x->link_up) return 0;
  snprintf(err, errlen, "span %d: the SS7 link is down", x->span);
  return -ENOLINK;
}

static int all_digits(const char *s) { return strspn(s, "0123456789") == strlen(s); }

int ss7far_check_call(sim_ss7_t *x, struct sim_chan *c, const ss7_xcic_t *k, int cic, int blocked, const hl_cmd_t *cmd,
                      char *err, size_t errlen) {
  int r = ss7far_need_link(x, err, errlen);
  if (r < 0) return r;
  if (k->st != XC_IDLE) { snprintf(err, errlen, "CIC %d (channel %d) is not idle", cic, c->info->channo); return -EBUSY; }
  if (blocked) { snprintf(err, errlen, "CIC %d (channel %d) is blocked", cic, c->info->channo); return -EACCES; }
  if (!cmd->s1[0] || !all_digits(cmd->s1) || strlen(cmd->s1) > 30 || !all_digits(cmd->s2) || strlen(cmd->s2) > 30 ||
      cmd->i2 < 0 || cmd->i2 > 2) {
    snprintf(err, errlen, "bad called/calling number or presentation (digits, up to 30; presentation 0..2)");
    return -EINVAL;
  }
  return 0;
}

int ss7far_hangup_cause(const ss7_xcic_t *k, int cic, int no_call, const hl_cmd_t *cmd, char *err, size_t errlen) {
  if (k->st == XC_IDLE || k->st == XC_RELEASING || no_call) { snprintf(err, errlen, "CIC %d has no call", cic); return -EINVAL; }
  return cmd->i2 > 0 && cmd->i2 < 128 ? cmd->i2 : 16;
}

int ss7far_check_answer(const ss7_xcic_t *k, int cic, int no_call, char *err, size_t errlen) {
  if ((k->st != XC_IN && k->st != XC_IN_ALERT) || no_call) {
    snprintf(err, errlen, "no call of the box's ringing at the far end on CIC %d", cic);
    return -EINVAL;
  }
  return 0;
}

int ss7far_set_outcome(sim_ss7_t *x, ss7_xcic_t *k, const hl_cmd_t *cmd, char *err, size_t errlen) {
  if (cmd->i1 < OUT_ANSWER || cmd->i1 > OUT_UNALLOCATED) { snprintf(err, errlen, "unknown outcome"); return -EINVAL; }
  k->outcome = cmd->i1;
  k->after_ms = cmd->i2 >= 0 ? cmd->i2 : x->conf.answer_ms;
  return 0;
}

int ss7far_other_command(sim_ss7_t *x, struct sim_chan *c, const hl_cmd_t *cmd, char *err, size_t errlen) {
  switch (cmd->op) {
  case HL_OP_SIM_TALK:
  case HL_OP_SIM_LISTEN:
    return pstn_command(x->sim, c, cmd, err, errlen);
  default:
    snprintf(err, errlen, "channel %d is a bearer of SS7 span %d: the far end takes call, hangup, answer, outcome, block, talk, listen",
             c->info->channo, x->span);
    return -EINVAL;
  }
}

int ss7far_group(sim_ss7_t *x, const hl_cmd_t *cmd, int *first, int *count, int *last, char *err, size_t errlen) {
  *first = cmd->i2 > 0 ? cmd->i2 : x->conf.cic_first;
  *count = cmd->i3 > 0 ? cmd->i3 : 31;
  *last = *first + *count - 1;
  if (!ss7span_ts_of_cic(x, *first) || !ss7span_ts_of_cic(x, *last) || *count < 2 || *count > 32) {
    snprintf(err, errlen, "circuits %d..%d: a group is 2..32 CICs of span %d (%d..%d)", *first, *last, x->span,
             x->conf.cic_first, x->conf.cic_first + 30);
    return -EINVAL;
  }
  return ss7far_need_link(x, err, errlen);
}
