/* The far end of an ITU SS7 span: libss7 2.0 as the adjacent signalling
 * point (an SSP/STP of the virtual PSTN). libss7 does MTP2 in software over an
 * HDLC-FCS D-channel and only read()s and write()s frames (signal unit plus
 * two FCS octets) on its fd, so it gets one end of a SOCK_SEQPACKET
 * socketpair and the span pumps frames between the other end and the line
 * once per tick.
 *
 * Its behaviour as an exchange: it answers the box's IAMs (ACM, then ANM after
 * a delay, or REL with a cause, per circuit or per called-number rule), calls
 * the box (IAM with called, calling, presentation), releases, resets (GRS),
 * blocks (BLO, CGB) on command, and acknowledges what the box sends. Every
 * step is reported as a Sim* event, as the R2 exchange reports its own.
 *
 * libss7 times its timers by gettimeofday(), so this far end keeps real time
 * only (real_time_only). It allocates its own call objects; that happens in
 * libss7 when messages arrive, which the sim cannot avoid for this far end. */
#include "sim_int.h"
#include <errno.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <string.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>
#include <libss7.h>

typedef struct lx {
  struct ss7 *ss7;
  int fd_lib;                       /* libss7's end of the socketpair */
  int fd_pump;                      /* ours */
} lx_t;

static lx_t *lx_of(sim_ss7_t *x) { return x->far_state; }

/* libss7's callbacks are process-wide (not per instance), so one set of
 * functions finds the span from the struct ss7 they are called for. A key is
 * published after its value and withdrawn before it is reused; any other
 * libss7 in the process (a test's own) simply is not found. */
#define REG_MAX 32
static struct { _Atomic(struct ss7 *) key; sim_ss7_t *x; } reg[REG_MAX];
static pthread_mutex_t reg_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_once_t cb_once = PTHREAD_ONCE_INIT;

static sim_ss7_t *find(struct ss7 *ss7) {
  for (int i = 0; i < REG_MAX; i++)
    if (atomic_load_explicit(&reg[i].key, memory_order_acquire) == ss7) return reg[i].x;
  return NULL;
}

static int reg_add(struct ss7 *ss7, sim_ss7_t *x) {
  pthread_mutex_lock(&reg_lock);
  for (int i = 0; i < REG_MAX; i++)
    if (!atomic_load(&reg[i].key)) {
      reg[i].x = x;
      atomic_store_explicit(&reg[i].key, ss7, memory_order_release);
      pthread_mutex_unlock(&reg_lock);
      return 0;
    }
  pthread_mutex_unlock(&reg_lock);
  return -ENOSPC;
}

static void reg_del(struct ss7 *ss7) {
  pthread_mutex_lock(&reg_lock);
  for (int i = 0; i < REG_MAX; i++)
    if (atomic_load(&reg[i].key) == ss7) { atomic_store(&reg[i].key, NULL); reg[i].x = NULL; }
  pthread_mutex_unlock(&reg_lock);
}

static void emit_simple(sim_ss7_t *x, const char *name, int chan, int cic, const char *k, const char *v) {
  char buf[HL_EVENT_JSON];
  hl_jw_t w;
  ss7span_begin(x, &w, buf, sizeof buf, name, chan, cic);
  if (k) hl_jw_str(&w, k, v);
  ss7span_end(x, &w, buf);
}

static void emit_range(sim_ss7_t *x, const char *name, int first, int last, const char *by) {
  char buf[HL_EVENT_JSON];
  hl_jw_t w;
  int ch = first == last ? ss7span_chan_of_cic(x, first) : 0;
  ss7span_begin(x, &w, buf, sizeof buf, name, ch, first);
  if (last != first) hl_jw_int(&w, "last", last);
  hl_jw_str(&w, "by", by);
  ss7span_end(x, &w, buf);
}

/* The circuit record of a CIC, or NULL for a CIC outside the span. */
static ss7_xcic_t *xc(sim_ss7_t *x, int cic) {
  int ts = ss7span_ts_of_cic(x, cic);
  return ts ? &x->cic[ts] : NULL;
}

static void set_idle(sim_ss7_t *x, int cic) {
  ss7_xcic_t *k = xc(x, cic);
  if (!k) return;
  k->call = NULL;
  k->st = XC_IDLE;
  k->answer_at = 0;
  int ch = ss7span_chan_of_cic(x, cic);
  if (ch) x->sim->ch[ch - 1].far.talk_rate = 0;
}

/* Frees a call object libss7 made for one message unless it is the call a
 * circuit is carrying. */
static void free_untracked(sim_ss7_t *x, int cic, struct isup_call *c) {
  ss7_xcic_t *k = xc(x, cic);
  if (c && (!k || k->call != c)) isup_free_call(lx_of(x)->ss7, c);
}

/* ---- libss7's process-wide callbacks ---- */

static void cb_quiet(struct ss7 *ss7, char *msg) { (void)ss7; (void)msg; }

static void cb_error(struct ss7 *ss7, char *msg) {
  if (getenv("HL_SIM_SS7_DEBUG")) fprintf(stderr, "libss7 %p: %s", (void *)ss7, msg);
}

static void cb_message(struct ss7 *ss7, char *msg) {
  static int on = -1;
  if (on < 0) on = getenv("HL_SIM_SS7_DEBUG") && atoi(getenv("HL_SIM_SS7_DEBUG")) > 1;
  if (on) fprintf(stderr, "libss7 %p: %s", (void *)ss7, msg);
}

/* libss7 is about to free a call object itself (a send failed): forget it. */
static void cb_call_null(struct ss7 *ss7, struct isup_call *c, int lock) {
  sim_ss7_t *x = find(ss7);
  if (!x) return;
  for (int ts = 1; ts <= 31; ts++)
    if (x->cic[ts].call == c) set_idle(x, x->conf.cic_first - 1 + ts);
}

/* libss7 asks its owner to end a call: after a timeout (send REL), on an
 * unexpected message (the lib resets the circuit when told it is idle), or
 * when it lost a dual seizure. */
static int cb_hangup(struct ss7 *ss7, int cic, unsigned int dpc, int cause, int what) {
  sim_ss7_t *x = find(ss7);
  if (!x) return SS7_CIC_IDLE;
  ss7_xcic_t *k = xc(x, cic);
  if (!k) return SS7_CIC_NOT_EXISTS;
  switch (what) {
  case SS7_HANGUP_SEND_REL:
    if (k->call && k->st != XC_RELEASING) { isup_rel(ss7, k->call, cause); k->st = XC_RELEASING; }
    return SS7_CIC_USED;
  case SS7_HANGUP_REEVENT_IAM:
    emit_simple(x, "SimSs7Error", ss7span_chan_of_cic(x, cic), cic, "reason", "dual seizure: the far end gave way");
    k->call = NULL;
    k->st = XC_IDLE;
    return SS7_CIC_USED;
  default:
    /* The lib sends RSC on its own call object; the RLC that answers it frees it. */
    k->call = NULL;
    k->st = XC_IDLE;
    return SS7_CIC_IDLE;
  }
}

static void cb_notinservice(struct ss7 *ss7, int cic, unsigned int dpc) { (void)ss7; (void)cic; (void)dpc; }

static void install_callbacks(void) {
  ss7_set_message(cb_message);
  ss7_set_error(getenv("HL_SIM_SS7_DEBUG") ? cb_error : cb_quiet);
  ss7_set_hangup(cb_hangup);
  ss7_set_call_null(cb_call_null);
  ss7_set_notinservice(cb_notinservice);
}

/* ---- events from libss7 ---- */

static void strip_st(char *dst, size_t cap, const char *num) {
  /* ITU called numbers end with the ST digit, which libss7 shows as '#'. */
  snprintf(dst, cap, "%s", num);
  size_t n = strlen(dst);
  if (n && dst[n - 1] == '#') dst[n - 1] = 0;
}

static void on_iam(sim_ss7_t *x, ss7_event_iam *e) {
  struct ss7 *ss7 = lx_of(x)->ss7;
  int ts = ss7span_ts_of_cic(x, e->cic);
  int ch = ss7span_chan_of_cic(x, e->cic);
  if (!ch) {
    emit_simple(x, "SimSs7Error", 0, e->cic, "reason", "IAM for a CIC that has no bearer on this span");
    isup_rel(ss7, e->call, 34);
    return;
  }
  ss7_xcic_t *k = &x->cic[ts];
  k->call = e->call;
  k->st = XC_IN;
  char called[64];
  strip_st(called, sizeof called, e->called_party_num);
  char buf[HL_EVENT_JSON];
  hl_jw_t w;
  ss7span_begin(x, &w, buf, sizeof buf, "SimCallReceived", ch, e->cic);
  hl_jw_str(&w, "called", called);
  hl_jw_str(&w, "calling", e->calling_party_num[0] ? e->calling_party_num : NULL);
  hl_jw_int(&w, "presentation", e->presentation_ind);
  hl_jw_int(&w, "nai", e->calling_nai);
  hl_jw_int(&w, "category", e->calling_party_cat);
  ss7span_end(x, &w, buf);
  int after = 0;
  int out = ss7span_outcome_for(x, ts, called, &after);
  const char *reason = NULL;
  int cause = 0;
  switch (out) {
  case OUT_BUSY: reason = "busy"; cause = 17; break;
  case OUT_UNALLOCATED: reason = "unallocated"; cause = 1; break;
  case OUT_CONGESTION: reason = "congestion"; cause = 34; break;
  default: break;
  }
  if (reason) {
    isup_rel(ss7, e->call, cause);
    k->st = XC_RELEASING;
    k->cause = cause;
    ss7span_begin(x, &w, buf, sizeof buf, "SimCallRejected", ch, e->cic);
    hl_jw_str(&w, "reason", reason);
    hl_jw_int(&w, "cause", cause);
    ss7span_end(x, &w, buf);
    return;
  }
  isup_acm(ss7, e->call);
  if (k->call) {                                   /* the ACM went out */
    k->st = XC_IN_ALERT;
    k->answer_at = out == OUT_ANSWER ? x->sim->now + after : 0;
  }
}

static void on_rel(sim_ss7_t *x, ss7_event_rel *e) {
  struct ss7 *ss7 = lx_of(x)->ss7;
  ss7_xcic_t *k = xc(x, e->cic);
  int ch = ss7span_chan_of_cic(x, e->cic);
  isup_rlc(ss7, e->call);
  char buf[HL_EVENT_JSON];
  hl_jw_t w;
  ss7span_begin(x, &w, buf, sizeof buf, "SimLineReleased", ch, e->cic);
  hl_jw_str(&w, "by", "near");
  hl_jw_int(&w, "cause", e->cause);
  ss7span_end(x, &w, buf);
  if (k && k->call && k->call != e->call) isup_free_call(ss7, k->call);
  isup_free_call(ss7, e->call);
  if (k) { set_idle(x, e->cic); emit_simple(x, "SimLineIdle", ch, e->cic, NULL, NULL); }
}

static void on_rlc(sim_ss7_t *x, ss7_event_cic *e) {
  ss7_xcic_t *k = xc(x, e->cic);
  int tracked = k && k->call == e->call;
  isup_free_call(lx_of(x)->ss7, e->call);
  if (tracked) { set_idle(x, e->cic); emit_simple(x, "SimLineIdle", ss7span_chan_of_cic(x, e->cic), e->cic, NULL, NULL); }
}

/* The box reset circuits first..last: every call there is gone. */
static void reset_range(sim_ss7_t *x, int first, int last, struct isup_call *keep) {
  for (int cic = first; cic <= last; cic++) {
    ss7_xcic_t *k = xc(x, cic);
    if (!k) continue;
    if (k->call && k->call != keep) isup_free_call(lx_of(x)->ss7, k->call);
    int was = k->st;
    set_idle(x, cic);
    if (was != XC_IDLE) emit_simple(x, "SimLineIdle", ss7span_chan_of_cic(x, cic), cic, "reason", "reset");
  }
}

static void drain_events(sim_ss7_t *x) {
  struct ss7 *ss7 = lx_of(x)->ss7;
  ss7_event *e;
  unsigned char st[255];
  while ((e = ss7_check_event(ss7))) {
    switch (e->e) {
    case SS7_EVENT_UP:
      if (!x->link_up) { x->link_up = 1; emit_simple(x, "SimSs7LinkUp", 0, 0, NULL, NULL); }
      break;
    case SS7_EVENT_DOWN:
      if (x->link_up) { x->link_up = 0; emit_simple(x, "SimSs7LinkDown", 0, 0, "layer", "mtp3"); }
      break;
    case MTP2_LINK_DOWN:
      if (x->link_up) { x->link_up = 0; emit_simple(x, "SimSs7LinkDown", 0, 0, "layer", "mtp2"); }
      break;
    case ISUP_EVENT_IAM: on_iam(x, &e->iam); break;
    case ISUP_EVENT_ACM: {
      ss7_xcic_t *k = xc(x, e->acm.cic);
      if (k && k->call == e->acm.call && k->st == XC_OUT) {
        k->st = XC_OUT_ALERT;
        emit_simple(x, "SimCallAccepted", ss7span_chan_of_cic(x, e->acm.cic), e->acm.cic, NULL, NULL);
      }
      break;
    }
    case ISUP_EVENT_ANM:
    case ISUP_EVENT_CON: {
      int cic = e->e == ISUP_EVENT_ANM ? e->anm.cic : e->con.cic;
      ss7_xcic_t *k = xc(x, cic);
      if (k && (k->st == XC_OUT || k->st == XC_OUT_ALERT)) {
        k->st = XC_OUT_UP;
        emit_simple(x, "SimLineAnswered", ss7span_chan_of_cic(x, cic), cic, "by", "near");
      }
      break;
    }
    case ISUP_EVENT_REL: on_rel(x, &e->rel); break;
    case ISUP_EVENT_RLC: on_rlc(x, &e->rlc); break;
    case ISUP_EVENT_RSC:
      isup_rlc(ss7, e->rsc.call);
      reset_range(x, e->rsc.cic, e->rsc.cic, e->rsc.call);
      isup_free_call(ss7, e->rsc.call);
      set_idle(x, e->rsc.cic);
      emit_range(x, "SimCircuitReset", e->rsc.cic, e->rsc.cic, "near");
      break;
    case ISUP_EVENT_GRS: {
      int first = e->grs.startcic, last = e->grs.endcic;
      reset_range(x, first, last, e->grs.call);
      memset(st, 0, sizeof st);
      for (int cic = first; cic <= last && cic - first < (int)sizeof st; cic++) {
        ss7_xcic_t *k = xc(x, cic);
        if (k) { k->blk_near = 0; st[cic - first] = (unsigned char)(k->blk_far ? 1 : 0); }
      }
      isup_gra(ss7, e->grs.call, last, st);
      isup_free_call(ss7, e->grs.call);
      for (int cic = first; cic <= last; cic++) { ss7_xcic_t *k = xc(x, cic); if (k && k->call == e->grs.call) k->call = NULL; }
      emit_range(x, "SimCircuitReset", first, last, "near");
      break;
    }
    case ISUP_EVENT_GRA:
      emit_range(x, "SimCircuitReset", e->gra.startcic, e->gra.endcic, "far");
      free_untracked(x, e->gra.startcic, e->gra.call);
      break;
    case ISUP_EVENT_BLO: {
      ss7_xcic_t *k = xc(x, e->blo.cic);
      isup_bla(ss7, e->blo.call);
      if (k) k->blk_near = 1;
      emit_range(x, "SimCircuitBlocked", e->blo.cic, e->blo.cic, "near");
      free_untracked(x, e->blo.cic, e->blo.call);
      break;
    }
    case ISUP_EVENT_UBL: {
      ss7_xcic_t *k = xc(x, e->ubl.cic);
      isup_uba(ss7, e->ubl.call);
      if (k) k->blk_near = 0;
      emit_range(x, "SimCircuitUnblocked", e->ubl.cic, e->ubl.cic, "near");
      free_untracked(x, e->ubl.cic, e->ubl.call);
      break;
    }
    case ISUP_EVENT_BLA: {
      ss7_xcic_t *k = xc(x, e->bla.cic);
      if (k) k->blk_far = 1;
      emit_range(x, "SimCircuitBlocked", e->bla.cic, e->bla.cic, "far");
      free_untracked(x, e->bla.cic, e->bla.call);
      break;
    }
    case ISUP_EVENT_UBA: {
      ss7_xcic_t *k = xc(x, e->uba.cic);
      if (k) k->blk_far = 0;
      emit_range(x, "SimCircuitUnblocked", e->uba.cic, e->uba.cic, "far");
      free_untracked(x, e->uba.cic, e->uba.call);
      break;
    }
    case ISUP_EVENT_CGB:
    case ISUP_EVENT_CGU: {
      ss7_event_cicrange *g = e->e == ISUP_EVENT_CGB ? &e->cgb : &e->cgu;
      int block = e->e == ISUP_EVENT_CGB;
      for (int cic = g->startcic; cic <= g->endcic && cic - g->startcic < 255; cic++) {
        ss7_xcic_t *k = xc(x, cic);
        if (k && g->status[cic - g->startcic]) k->blk_near = block;
      }
      if (block) isup_cgba(ss7, g->call, g->endcic, g->status);
      else isup_cgua(ss7, g->call, g->endcic, g->status);
      emit_range(x, block ? "SimCircuitBlocked" : "SimCircuitUnblocked", g->startcic, g->endcic, "near");
      free_untracked(x, g->startcic, g->call);
      break;
    }
    case ISUP_EVENT_CGBA:
    case ISUP_EVENT_CGUA: {
      ss7_event_cicrange *g = e->e == ISUP_EVENT_CGBA ? &e->cgba : &e->cgua;
      int block = e->e == ISUP_EVENT_CGBA;
      for (int cic = g->startcic; cic <= g->endcic; cic++) { ss7_xcic_t *k = xc(x, cic); if (k) k->blk_far = block; }
      emit_range(x, block ? "SimCircuitBlocked" : "SimCircuitUnblocked", g->startcic, g->endcic, "far");
      free_untracked(x, g->startcic, g->call);
      break;
    }
    case ISUP_EVENT_UCIC:
      emit_simple(x, "SimSs7Error", 0, e->ucic.cic, "reason", "the box says this CIC is unequipped");
      free_untracked(x, e->ucic.cic, e->ucic.call);
      break;
    case ISUP_EVENT_CPG:
      free_untracked(x, e->cpg.cic, e->cpg.call);
      break;
    default:
      break;
    }
  }
}

/* ---- far-end ops ---- */

static int lx_start(sim_ss7_t *x, char *err, size_t errlen) {
  pthread_once(&cb_once, install_callbacks);
  lx_t *l = calloc(1, sizeof *l);
  int sv[2];
  if (!l) { snprintf(err, errlen, "span %d: out of memory", x->span); return -ENOMEM; }
  if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_NONBLOCK | SOCK_CLOEXEC, 0, sv) < 0) {
    int e = errno;
    free(l);
    snprintf(err, errlen, "span %d: socketpair for libss7: %s", x->span, strerror(e));
    return -e;
  }
  l->fd_lib = sv[0];
  l->fd_pump = sv[1];
  l->ss7 = ss7_new(SS7_ITU);
  if (!l->ss7 || ss7_add_link(l->ss7, SS7_TRANSPORT_DAHDIDCHAN, l->fd_lib, -1, x->conf.box_pc) != 0 ||
      reg_add(l->ss7, x) != 0) {
    if (l->ss7) ss7_destroy(l->ss7);
    close(sv[0]); close(sv[1]);
    free(l);
    snprintf(err, errlen, "span %d: libss7 would not start (ss7_new/ss7_add_link)", x->span);
    return -EIO;
  }
  ss7_set_network_ind(l->ss7, x->conf.ni);
  ss7_set_pc(l->ss7, x->conf.far_pc);
  x->far_state = l;
  ss7_start(l->ss7);
  return 0;
}

static void lx_stop(sim_ss7_t *x) {
  lx_t *l = lx_of(x);
  if (!l) return;
  reg_del(l->ss7);
  ss7_destroy(l->ss7);               /* frees its call objects too */
  close(l->fd_lib);
  close(l->fd_pump);
  free(l);
  x->far_state = NULL;
  for (int ts = 1; ts <= 31; ts++) { x->cic[ts].call = NULL; x->cic[ts].st = XC_IDLE; }
  x->link_up = 0;
}

static void lx_rx(sim_ss7_t *x, const uint8_t *frame, int len) {
  lx_t *l = lx_of(x);
  if (write(l->fd_pump, frame, (size_t)len) != len) return;   /* its socket is full: lost, as on a line */
  ss7_read(l->ss7, l->fd_lib);
  /* One message, one event: handle it before the next frame is parsed, so a
   * call object freed here is never named by a later event. */
  drain_events(x);
}

static void lx_tick(sim_ss7_t *x, int max) {
  lx_t *l = lx_of(x);
  struct ss7 *ss7 = l->ss7;
  struct timeval *next = ss7_schedule_next(ss7);
  if (next) {
    struct timeval now;
    gettimeofday(&now, NULL);
    if (timercmp(next, &now, <=)) ss7_schedule_run(ss7);
  }
  drain_events(x);
  /* The called party answers the box's calls when their time comes. */
  for (int ts = 1; ts <= 31; ts++) {
    ss7_xcic_t *k = &x->cic[ts];
    if (k->st == XC_IN_ALERT && k->answer_at && x->sim->now >= k->answer_at && k->call) {
      k->answer_at = 0;
      int cic = x->conf.cic_first - 1 + ts;
      if (isup_anm(ss7, k->call) >= 0) {
        k->st = XC_IN_UP;
        emit_simple(x, "SimLineAnswered", ss7span_chan_of_cic(x, cic), cic, "by", "far");
      }
    }
  }
  /* Each ss7_write sends one signal unit (an MSU when one is queued, else a
   * FISU or LSSU); pacing them is what keeps the link at a real link's rate. */
  uint8_t buf[HL_FRAME_MAX + 16];
  for (int i = 0; i < max; i++) {
    if (ss7_write(ss7, l->fd_lib) <= 0) break;
    ssize_t n = read(l->fd_pump, buf, sizeof buf);
    if (n > 0) sim_ss7_to_box(x, buf, (int)n);
  }
}

static void lx_alarm(sim_ss7_t *x, int on) {
  lx_t *l = lx_of(x);
  if (on) ss7_link_alarm(l->ss7, l->fd_lib);
  else ss7_link_noalarm(l->ss7, l->fd_lib);
  drain_events(x);
}

/* Common sim verbs on a bearer channel of the span. */
static int lx_command(sim_ss7_t *x, struct sim_chan *c, const hl_cmd_t *cmd, char *err, size_t errlen) {
  lx_t *l = lx_of(x);
  struct ss7 *ss7 = l->ss7;
  int ts = c->info->chanpos;
  int cic = x->conf.cic_first - 1 + ts;
  ss7_xcic_t *k = &x->cic[ts];
  switch (cmd->op) {
  case HL_OP_SIM_CALL: {
    /* s1 called, s2 calling, i1 calling party's category (ISUP value; < 10: ordinary),
     * i2 presentation (0 allowed, 1 restricted, 2 not available) */
    if (!x->link_up) { snprintf(err, errlen, "span %d: the SS7 link is down", x->span); return -ENOLINK; }
    if (k->st != XC_IDLE) { snprintf(err, errlen, "CIC %d (channel %d) is not idle", cic, c->info->channo); return -EBUSY; }
    if (k->blk_far || k->blk_near) { snprintf(err, errlen, "CIC %d (channel %d) is blocked", cic, c->info->channo); return -EACCES; }
    if (!cmd->s1[0] || strspn(cmd->s1, "0123456789") != strlen(cmd->s1) || strlen(cmd->s1) > 30 ||
        strspn(cmd->s2, "0123456789") != strlen(cmd->s2) || strlen(cmd->s2) > 30 || cmd->i2 < 0 || cmd->i2 > 2) {
      snprintf(err, errlen, "bad called/calling number or presentation (digits, up to 30; presentation 0..2)");
      return -EINVAL;
    }
    struct isup_call *call = isup_new_call(ss7, cic, x->conf.box_pc, 1);
    if (!call) { snprintf(err, errlen, "libss7: no call object"); return -ENOMEM; }
    isup_set_called(call, cmd->s1, SS7_NAI_NATIONAL, ss7);
    isup_set_calling(call, cmd->s2[0] ? cmd->s2 : NULL, SS7_NAI_NATIONAL,
                     cmd->i2 == 2 ? SS7_PRESENTATION_ADDR_NOT_AVAILABLE : cmd->i2, SS7_SCREENING_NETWORK_PROVIDED);
    isup_set_calling_party_category(call, cmd->i1 >= 10 && cmd->i1 <= 255 ? (unsigned)cmd->i1 : 10);
    k->call = call;
    k->st = XC_OUT;
    if (isup_iam(ss7, call) < 0) {   /* libss7 freed it (cb_call_null made the circuit idle) */
      set_idle(x, cic);
      snprintf(err, errlen, "libss7 could not send the IAM on CIC %d", cic);
      return -EIO;
    }
    return 0;
  }
  case HL_OP_SIM_HANGUP: {
    /* i2: cause (0: 16 normal clearing) */
    if (k->st == XC_IDLE || k->st == XC_RELEASING || !k->call) { snprintf(err, errlen, "CIC %d has no call", cic); return -EINVAL; }
    int cause = cmd->i2 > 0 && cmd->i2 < 128 ? cmd->i2 : 16;
    if (isup_rel(ss7, k->call, cause) < 0) { set_idle(x, cic); snprintf(err, errlen, "libss7 could not send REL on CIC %d", cic); return -EIO; }
    k->st = XC_RELEASING;
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
    if ((k->st != XC_IN && k->st != XC_IN_ALERT) || !k->call) {
      snprintf(err, errlen, "no call of the box's ringing at the far end on CIC %d", cic);
      return -EINVAL;
    }
    if (isup_anm(ss7, k->call) < 0) { set_idle(x, cic); snprintf(err, errlen, "libss7 could not send ANM"); return -EIO; }
    k->st = XC_IN_UP;
    k->answer_at = 0;
    emit_simple(x, "SimLineAnswered", c->info->channo, cic, "by", "far");
    return 0;
  case HL_OP_SIM_OUTCOME:
    if (cmd->i1 < OUT_ANSWER || cmd->i1 > OUT_UNALLOCATED) { snprintf(err, errlen, "unknown outcome"); return -EINVAL; }
    k->outcome = cmd->i1;
    k->after_ms = cmd->i2 >= 0 ? cmd->i2 : x->conf.answer_ms;
    return 0;
  case HL_OP_SIM_BLOCK: {
    if (!x->link_up) { snprintf(err, errlen, "span %d: the SS7 link is down", x->span); return -ENOLINK; }
    struct isup_call *call = k->call ? k->call : isup_new_call(ss7, cic, x->conf.box_pc, 0);
    if (!call) { snprintf(err, errlen, "libss7: no call object"); return -ENOMEM; }
    int r = cmd->i1 ? isup_blo(ss7, call) : isup_ubl(ss7, call);
    if (r < 0) { snprintf(err, errlen, "libss7 could not send %s on CIC %d", cmd->i1 ? "BLO" : "UBL", cic); return -EIO; }
    return 0;
  }
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
static int lx_ss7cmd(sim_ss7_t *x, const hl_cmd_t *cmd, char *err, size_t errlen) {
  struct ss7 *ss7 = lx_of(x)->ss7;
  int first = cmd->i2 > 0 ? cmd->i2 : x->conf.cic_first;
  int count = cmd->i3 > 0 ? cmd->i3 : 31;
  int last = first + count - 1;
  if (!ss7span_ts_of_cic(x, first) || !ss7span_ts_of_cic(x, last) || count < 2 || count > 32) {
    snprintf(err, errlen, "circuits %d..%d: a group is 2..32 CICs of span %d (%d..%d)", first, last, x->span,
             x->conf.cic_first, x->conf.cic_first + 30);
    return -EINVAL;
  }
  if (!x->link_up) { snprintf(err, errlen, "span %d: the SS7 link is down", x->span); return -ENOLINK; }
  unsigned char st[255];
  memset(st, 0, sizeof st);
  struct isup_call *c;
  switch (cmd->i1) {
  case HL_SIM_SS7_GRS:
    /* The far end forgets every call in the group first, as a reset means. */
    reset_range(x, first, last, NULL);
    for (int cic = first; cic <= last; cic++) { ss7_xcic_t *k = xc(x, cic); if (k) k->blk_far = 0; }
    c = isup_new_call(ss7, first, x->conf.box_pc, 0);
    if (!c || isup_grs(ss7, c, last) < 0) { snprintf(err, errlen, "libss7 could not send GRS"); return -EIO; }
    return 0;
  case HL_SIM_SS7_CGB:
  case HL_SIM_SS7_CGU: {
    for (int i = 0; i < count; i++) st[i] = 1;
    ss7_xcic_t *k = xc(x, first);
    c = k && k->call ? k->call : isup_new_call(ss7, first, x->conf.box_pc, 0);
    int r = !c ? -1 : cmd->i1 == HL_SIM_SS7_CGB ? isup_cgb(ss7, c, last, st, 0) : isup_cgu(ss7, c, last, st, 0);
    if (r < 0) { snprintf(err, errlen, "libss7 could not send %s", cmd->i1 == HL_SIM_SS7_CGB ? "CGB" : "CGU"); return -EIO; }
    return 0;
  }
  default:
    snprintf(err, errlen, "unknown group action %d", cmd->i1);
    return -EINVAL;
  }
}

const sim_far_ops_t sim_far_libss7 = {
  .name = "libss7",
  .start = lx_start,
  .stop = lx_stop,
  .rx = lx_rx,
  .tick = lx_tick,
  .alarm = lx_alarm,
  .command = lx_command,
  .ss7cmd = lx_ss7cmd,
  .real_time_only = 1,
};
