/* ISUP commands from the owner (see hl/ss7.h): each checks the circuit and
 * its state, sends its message and starts the timer that guards the answer.
 * Calls, alerting, answer and blocking need the link up (-ENOLINK); release
 * and reset are accepted during an outage and go out when it ends. */
#include "ss7_int.h"
#include <string.h>
#include <errno.h>

/* Forward call indicators: national call, no end-to-end method, no
 * interworking, ISUP all the way (F), ISUP preferred; ISDN access (I). */
static const uint8_t FCI[2] = { 0x20, 0x01 };
/* Backward call indicators: charge, subscriber free, ordinary subscriber;
 * ISUP all the way (K), ISDN access (M). */
static const uint8_t BCI[2] = { 0x16, 0x14 };

static int valid_digits(const char *d, int allow_empty) {
  if (!d) return allow_empty;
  size_t n = strlen(d);
  if (n > HL_SS7_MAX_DIGITS || (n == 0 && !allow_empty)) return 0;
  for (size_t i = 0; i < n; i++)
    if (!((d[i] >= '0' && d[i] <= '9') || d[i] == '*' || d[i] == '#')) return 0;
  return 1;
}

static hl_ss7_circuit_t *circ(hl_ss7_t *s, int cic) { return s ? hl_ss7i_circ(s, cic) : NULL; }

int hl_ss7_call(hl_ss7_t *s, int cic, const char *called, const char *calling, int calling_nai,
                int presentation_restricted, int category) {
  hl_ss7_circuit_t *c = circ(s, cic);
  if (!c) return -ENOENT;
  if (!valid_digits(called, 0) || !valid_digits(calling, 1)) return -EINVAL;
  if (c->state != HL_SS7_CIC_IDLE) return -EBUSY;
  if (c->blk & (HL_SS7_BLK_LOCAL | HL_SS7_BLK_REMOTE | HL_SS7_BLK_LOCAL_PENDING)) return -EACCES;
  if (!s->ss7_up) return -ENOLINK;
  hl_isup_msg_t m;
  hl_ss7i_isup_msg_init(&m, HL_ISUP_IAM, cic);
  m.nci = 0;                        /* no satellite, no continuity check, no echo device */
  memcpy(m.fci, FCI, 2);
  m.category = (uint8_t)(category > 0 ? category : HL_SS7_CAT_ORDINARY);
  m.tmr = 0;                        /* speech */
  m.called_nai = HL_SS7_NAI_NATIONAL;
  m.called_npi = 1;                 /* ISDN/telephony (E.164) */
  m.called_st = 1;                  /* en bloc: the number is complete */
  strcpy(m.called, called);
  if (calling && calling[0]) {
    m.has_calling = 1;
    strcpy(m.calling, calling);
    m.calling_nai = (uint8_t)(calling_nai > 0 ? calling_nai : HL_SS7_NAI_NATIONAL);
    m.calling_npi = 1;
    m.calling_pres = presentation_restricted ? 1 : 0;
    m.calling_screen = 3;           /* network provided */
  }
  int r = hl_ss7i_isup_send(s, &m);
  if (r < 0) return r;
  c->state = HL_SS7_CIC_OUT_SETUP;
  c->outgoing = 1;
  c->acm_sent = c->acm_rcvd = 0;
  strcpy(c->called, called);
  strcpy(c->calling, calling ? calling : "");
  c->timer = TM_T7;
  c->due = s->now + s->v->isup_t7_ms;
  return 0;
}

int hl_ss7_sam(hl_ss7_t *s, int cic, const char *digits) {
  hl_ss7_circuit_t *c = circ(s, cic);
  if (!c) return -ENOENT;
  if (!valid_digits(digits, 0)) return -EINVAL;
  if (!c->outgoing || (c->state != HL_SS7_CIC_OUT_SETUP && c->state != HL_SS7_CIC_OUT_ALERTING)) return -EPERM;
  hl_isup_msg_t m;
  hl_ss7i_isup_msg_init(&m, HL_ISUP_SAM, cic);
  strcpy(m.called, digits);
  m.called_st = 1;
  return hl_ss7i_isup_send(s, &m);
}

int hl_ss7_alert(hl_ss7_t *s, int cic) {
  hl_ss7_circuit_t *c = circ(s, cic);
  if (!c) return -ENOENT;
  if (c->state != HL_SS7_CIC_IN_SETUP) return -EPERM;
  hl_isup_msg_t m;
  hl_ss7i_isup_msg_init(&m, HL_ISUP_ACM, cic);
  memcpy(m.bci, BCI, 2);
  int r = hl_ss7i_isup_send(s, &m);
  if (r < 0) return r;
  c->state = HL_SS7_CIC_IN_ALERTING;
  c->acm_sent = 1;
  return 0;
}

int hl_ss7_progress(hl_ss7_t *s, int cic, int event_info) {
  hl_ss7_circuit_t *c = circ(s, cic);
  if (!c) return -ENOENT;
  if (event_info < 1 || event_info > 0x7f) return -EINVAL;
  /* CPG follows the ACM (either direction once the call is set up) */
  if (c->state != HL_SS7_CIC_IN_ALERTING && c->state != HL_SS7_CIC_OUT_ALERTING && c->state != HL_SS7_CIC_ANSWERED)
    return -EPERM;
  hl_isup_msg_t m;
  hl_ss7i_isup_msg_init(&m, HL_ISUP_CPG, cic);
  m.event_info = (uint8_t)event_info;
  return hl_ss7i_isup_send(s, &m);
}

int hl_ss7_answer(hl_ss7_t *s, int cic) {
  hl_ss7_circuit_t *c = circ(s, cic);
  if (!c) return -ENOENT;
  if (c->state != HL_SS7_CIC_IN_SETUP && c->state != HL_SS7_CIC_IN_ALERTING) return -EPERM;
  hl_isup_msg_t m;
  /* CON answers a call that had no ACM: it says address complete and answer at once */
  hl_ss7i_isup_msg_init(&m, c->acm_sent ? HL_ISUP_ANM : HL_ISUP_CON, cic);
  memcpy(m.bci, BCI, 2);
  int r = hl_ss7i_isup_send(s, &m);
  if (r < 0) return r;
  c->state = HL_SS7_CIC_ANSWERED;
  return 0;
}

int hl_ss7_release(hl_ss7_t *s, int cic, int cause) {
  hl_ss7_circuit_t *c = circ(s, cic);
  if (!c) return -ENOENT;
  if (cause < 1 || cause > 127) return -EINVAL;
  if (c->state == HL_SS7_CIC_RELEASING) return -EALREADY;
  if (c->state == HL_SS7_CIC_IDLE || c->state == HL_SS7_CIC_RESET_PENDING) return -EPERM;
  hl_isup_msg_t m;
  hl_ss7i_isup_msg_init(&m, HL_ISUP_REL, cic);
  m.cause = (uint8_t)cause;
  m.cause_loc = (uint8_t)s->cfg.cause_location;
  int r = hl_ss7i_isup_send(s, &m);
  if (r < 0 && r != -ENOLINK) return r;     /* link down: sent when it is back */
  c->state = HL_SS7_CIC_RELEASING;
  c->rel_cause = cause;
  c->t_rel_first = s->now;
  c->timer = TM_REL;
  c->due = s->now + s->v->isup_t1_ms;
  return 0;
}

int hl_ss7_block(hl_ss7_t *s, int cic) {
  hl_ss7_circuit_t *c = circ(s, cic);
  if (!c) return -ENOENT;
  if (c->blk & (HL_SS7_BLK_LOCAL | HL_SS7_BLK_LOCAL_PENDING)) return -EALREADY;
  int r = hl_ss7_is_up(s) ? 0 : -ENOLINK;
  hl_isup_msg_t m;
  hl_ss7i_isup_msg_init(&m, HL_ISUP_BLO, cic);
  if (!r) r = hl_ss7i_isup_send(s, &m);
  if (r < 0) return r;
  c->blk |= HL_SS7_BLK_LOCAL_PENDING;
  c->pending_ubl = 0; c->ubl_due = 0;
  c->blk_first = s->now;
  c->blk_due = s->now + s->v->isup_t12_ms;
  return 0;
}

int hl_ss7_unblock(hl_ss7_t *s, int cic) {
  hl_ss7_circuit_t *c = circ(s, cic);
  if (!c) return -ENOENT;
  if (!(c->blk & (HL_SS7_BLK_LOCAL | HL_SS7_BLK_LOCAL_PENDING))) return -EALREADY;
  if (!hl_ss7_is_up(s)) return -ENOLINK;
  hl_isup_msg_t m;
  hl_ss7i_isup_msg_init(&m, HL_ISUP_UBL, cic);
  int r = hl_ss7i_isup_send(s, &m);
  if (r < 0) return r;
  c->blk &= ~HL_SS7_BLK_LOCAL_PENDING;      /* a block not yet acknowledged is withdrawn */
  c->blk_due = 0;
  c->pending_ubl = 1;
  c->ubl_first = s->now;
  c->ubl_due = s->now + s->v->isup_t14_ms;
  return 0;
}

/* All circuits first..first+count-1 must be ours. */
static int range_ok(hl_ss7_t *s, int first, int count, int min, int max) {
  if (count < min || count > max) return -EINVAL;
  for (int i = 0; i < count; i++) if (!hl_ss7i_circ(s, first + i)) return -ENOENT;
  return 0;
}

static int group_block(hl_ss7_t *s, int first, int count, int block) {
  int r = range_ok(s, first, count, 1, 32);
  if (r) return r;
  int w = block ? GRP_CGB : GRP_CGU;
  if (s->grp[w].msg) return -EBUSY;
  if (!hl_ss7_is_up(s)) return -ENOLINK;
  for (int i = 0; i < count; i++) {
    hl_ss7_circuit_t *c = hl_ss7i_circ(s, first + i);
    if (block) c->blk |= HL_SS7_BLK_LOCAL_PENDING;
    else c->blk &= ~HL_SS7_BLK_LOCAL_PENDING;
  }
  hl_ss7i_isup_group_start(s, w, block ? HL_ISUP_CGB : HL_ISUP_CGU, first, count);
  return 0;
}

int hl_ss7_group_block(hl_ss7_t *s, int first, int count) { return group_block(s, first, count, 1); }
int hl_ss7_group_unblock(hl_ss7_t *s, int first, int count) { return group_block(s, first, count, 0); }

int hl_ss7_reset(hl_ss7_t *s, int cic) {
  hl_ss7_circuit_t *c = circ(s, cic);
  if (!c) return -ENOENT;
  if (c->state == HL_SS7_CIC_RESET_PENDING) return -EALREADY;
  hl_isup_msg_t m;
  hl_ss7i_isup_msg_init(&m, HL_ISUP_RSC, cic);
  int r = hl_ss7i_isup_send(s, &m);
  if (r < 0 && r != -ENOLINK) return r;
  hl_ss7i_circ_idle(c);                         /* any call on it is gone */
  c->state = HL_SS7_CIC_RESET_PENDING;
  c->t_rel_first = s->now;
  c->timer = TM_RSC;
  c->due = s->now + s->v->isup_t16_ms;
  return 0;
}

int hl_ss7_group_reset(hl_ss7_t *s, int first, int count) {
  int r = range_ok(s, first, count, 2, 32);
  if (r) return r;
  if (s->grp[GRP_GRS].msg) return -EBUSY;
  for (int i = 0; i < count; i++) {
    hl_ss7_circuit_t *c = hl_ss7i_circ(s, first + i);
    hl_ss7i_circ_idle(c);                       /* the group timers (T22/T23) guard it, not the circuit's */
    c->state = HL_SS7_CIC_RESET_PENDING;
  }
  hl_ss7i_isup_group_start(s, GRP_GRS, HL_ISUP_GRS, first, count);
  return 0;
}
