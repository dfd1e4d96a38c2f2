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
 * libss7 when messages arrive, which the sim cannot avoid for this far end.
 *
 * This file: libss7, its callbacks and events, the far-end ops; commands are
 * in ss7far_libss7_cmd.c, what both SS7 far ends share in ss7far_common.c. */
#include "ss7far_libss7.h"
#include <errno.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <string.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

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

/* Frees a call object libss7 made for one message unless it is the call a
 * circuit is carrying. */
static void free_untracked(sim_ss7_t *x, int cic, struct isup_call *c) {
  ss7_xcic_t *k = ss7far_xcic(x, cic);
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
    if (x->cic[ts].call == c) ss7far_set_idle(x, x->conf.cic_first - 1 + ts);
}

/* libss7 asks its owner to end a call: after a timeout (send REL), on an
 * unexpected message (the lib resets the circuit when told it is idle), or
 * when it lost a dual seizure. */
static int cb_hangup(struct ss7 *ss7, int cic, unsigned int dpc, int cause, int what) {
  sim_ss7_t *x = find(ss7);
  if (!x) return SS7_CIC_IDLE;
  ss7_xcic_t *k = ss7far_xcic(x, cic);
  if (!k) return SS7_CIC_NOT_EXISTS;
  switch (what) {
  case SS7_HANGUP_SEND_REL:
    if (k->call && k->st != XC_RELEASING) { isup_rel(ss7, k->call, cause); k->st = XC_RELEASING; }
    return SS7_CIC_USED;
  case SS7_HANGUP_REEVENT_IAM:
    ss7far_emit(x, "SimSs7Error", ss7span_chan_of_cic(x, cic), cic, "reason", "dual seizure: the far end gave way");
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

static void on_iam(sim_ss7_t *x, ss7_event_iam *e) {
  struct ss7 *ss7 = lx_of(x)->ss7;
  int ts = ss7span_ts_of_cic(x, e->cic);
  int ch = ss7span_chan_of_cic(x, e->cic);
  if (!ch) {
    ss7far_emit(x, "SimSs7Error", 0, e->cic, "reason", "IAM for a CIC that has no bearer on this span");
    isup_rel(ss7, e->call, 34);
    return;
  }
  ss7_xcic_t *k = &x->cic[ts];
  k->call = e->call;
  k->st = XC_IN;
  /* ITU called numbers end with the ST digit, which libss7 shows as '#'. */
  char called[64];
  ss7far_called(called, sizeof called, e->called_party_num);
  ss7far_emit_received(x, ch, e->cic, called, e->calling_party_num, e->presentation_ind, e->calling_nai,
                       e->calling_party_cat);
  int after = 0;
  int out = ss7span_outcome_for(x, ts, called, &after);
  int cause;
  const char *reason = ss7far_refusal(out, &cause);
  if (reason) {
    isup_rel(ss7, e->call, cause);
    k->st = XC_RELEASING;
    k->cause = cause;
    ss7far_emit_rejected(x, ch, e->cic, reason, cause);
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
  ss7_xcic_t *k = ss7far_xcic(x, e->cic);
  int ch = ss7span_chan_of_cic(x, e->cic);
  isup_rlc(ss7, e->call);
  ss7far_emit_released(x, ch, e->cic, "near", e->cause);
  if (k && k->call && k->call != e->call) isup_free_call(ss7, k->call);
  isup_free_call(ss7, e->call);
  if (k) { ss7far_set_idle(x, e->cic); ss7far_emit(x, "SimLineIdle", ch, e->cic, NULL, NULL); }
}

static void on_rlc(sim_ss7_t *x, ss7_event_cic *e) {
  ss7_xcic_t *k = ss7far_xcic(x, e->cic);
  int tracked = k && k->call == e->call;
  isup_free_call(lx_of(x)->ss7, e->call);
  if (tracked) { ss7far_set_idle(x, e->cic); ss7far_emit(x, "SimLineIdle", ss7span_chan_of_cic(x, e->cic), e->cic, NULL, NULL); }
}

/* The box reset circuits first..last: every call there is gone. */
void lx_reset_range(sim_ss7_t *x, int first, int last, struct isup_call *keep) {
  for (int cic = first; cic <= last; cic++) {
    ss7_xcic_t *k = ss7far_xcic(x, cic);
    if (!k) continue;
    if (k->call && k->call != keep) isup_free_call(lx_of(x)->ss7, k->call);
    int was = k->st;
    ss7far_set_idle(x, cic);
    if (was != XC_IDLE) ss7far_emit(x, "SimLineIdle", ss7span_chan_of_cic(x, cic), cic, "reason", "reset");
  }
}

/* One circuit blocked or unblocked (BLO, UBL from the box, acknowledged
 * already; BLA, UBA answering ours): near is the box's blocking. */
static void on_blocking(sim_ss7_t *x, ss7_event_cic *e, int near, int block) {
  ss7_xcic_t *k = ss7far_xcic(x, e->cic);
  if (k) { if (near) k->blk_near = block; else k->blk_far = block; }
  ss7far_emit_blocking(x, e->cic, e->cic, block, near ? "near" : "far");
  free_untracked(x, e->cic, e->call);
}

static void drain_events(sim_ss7_t *x) {
  struct ss7 *ss7 = lx_of(x)->ss7;
  ss7_event *e;
  unsigned char st[255];
  while ((e = ss7_check_event(ss7))) {
    switch (e->e) {
    case SS7_EVENT_UP:
      if (!x->link_up) { x->link_up = 1; ss7far_emit(x, "SimSs7LinkUp", 0, 0, NULL, NULL); }
      break;
    case SS7_EVENT_DOWN:
      if (x->link_up) { x->link_up = 0; ss7far_emit(x, "SimSs7LinkDown", 0, 0, "layer", "mtp3"); }
      break;
    case MTP2_LINK_DOWN:
      if (x->link_up) { x->link_up = 0; ss7far_emit(x, "SimSs7LinkDown", 0, 0, "layer", "mtp2"); }
      break;
    case ISUP_EVENT_IAM: on_iam(x, &e->iam); break;
    case ISUP_EVENT_ACM: {
      ss7_xcic_t *k = ss7far_xcic(x, e->acm.cic);
      if (k && k->call == e->acm.call && k->st == XC_OUT) {
        k->st = XC_OUT_ALERT;
        ss7far_emit(x, "SimCallAccepted", ss7span_chan_of_cic(x, e->acm.cic), e->acm.cic, NULL, NULL);
      }
      break;
    }
    case ISUP_EVENT_ANM:
    case ISUP_EVENT_CON: {
      int cic = e->e == ISUP_EVENT_ANM ? e->anm.cic : e->con.cic;
      ss7_xcic_t *k = ss7far_xcic(x, cic);
      if (k && (k->st == XC_OUT || k->st == XC_OUT_ALERT)) {
        k->st = XC_OUT_UP;
        ss7far_emit(x, "SimLineAnswered", ss7span_chan_of_cic(x, cic), cic, "by", "near");
      }
      break;
    }
    case ISUP_EVENT_REL: on_rel(x, &e->rel); break;
    case ISUP_EVENT_RLC: on_rlc(x, &e->rlc); break;
    case ISUP_EVENT_RSC:
      isup_rlc(ss7, e->rsc.call);
      lx_reset_range(x, e->rsc.cic, e->rsc.cic, e->rsc.call);
      isup_free_call(ss7, e->rsc.call);
      ss7far_set_idle(x, e->rsc.cic);
      ss7far_emit_range(x, "SimCircuitReset", e->rsc.cic, e->rsc.cic, "near");
      break;
    case ISUP_EVENT_GRS: {
      int first = e->grs.startcic, last = e->grs.endcic;
      lx_reset_range(x, first, last, e->grs.call);
      memset(st, 0, sizeof st);
      for (int cic = first; cic <= last && cic - first < (int)sizeof st; cic++) {
        ss7_xcic_t *k = ss7far_xcic(x, cic);
        if (k) { k->blk_near = 0; st[cic - first] = (unsigned char)(k->blk_far ? 1 : 0); }
      }
      isup_gra(ss7, e->grs.call, last, st);
      isup_free_call(ss7, e->grs.call);
      for (int cic = first; cic <= last; cic++) { ss7_xcic_t *k = ss7far_xcic(x, cic); if (k && k->call == e->grs.call) k->call = NULL; }
      ss7far_emit_range(x, "SimCircuitReset", first, last, "near");
      break;
    }
    case ISUP_EVENT_GRA:
      ss7far_emit_range(x, "SimCircuitReset", e->gra.startcic, e->gra.endcic, "far");
      free_untracked(x, e->gra.startcic, e->gra.call);
      break;
    case ISUP_EVENT_BLO: isup_bla(ss7, e->blo.call); on_blocking(x, &e->blo, 1, 1); break;
    case ISUP_EVENT_UBL: isup_uba(ss7, e->ubl.call); on_blocking(x, &e->ubl, 1, 0); break;
    case ISUP_EVENT_BLA: on_blocking(x, &e->bla, 0, 1); break;
    case ISUP_EVENT_UBA: on_blocking(x, &e->uba, 0, 0); break;
    case ISUP_EVENT_CGB:
    case ISUP_EVENT_CGU: {
      ss7_event_cicrange *g = e->e == ISUP_EVENT_CGB ? &e->cgb : &e->cgu;
      int block = e->e == ISUP_EVENT_CGB;
      for (int cic = g->startcic; cic <= g->endcic && cic - g->startcic < 255; cic++) {
        ss7_xcic_t *k = ss7far_xcic(x, cic);
        if (k && g->status[cic - g->startcic]) k->blk_near = block;
      }
      if (block) isup_cgba(ss7, g->call, g->endcic, g->status);
      else isup_cgua(ss7, g->call, g->endcic, g->status);
      ss7far_emit_blocking(x, g->startcic, g->endcic, block, "near");
      free_untracked(x, g->startcic, g->call);
      break;
    }
    case ISUP_EVENT_CGBA:
    case ISUP_EVENT_CGUA: {
      ss7_event_cicrange *g = e->e == ISUP_EVENT_CGBA ? &e->cgba : &e->cgua;
      int block = e->e == ISUP_EVENT_CGBA;
      for (int cic = g->startcic; cic <= g->endcic; cic++) { ss7_xcic_t *k = ss7far_xcic(x, cic); if (k) k->blk_far = block; }
      ss7far_emit_blocking(x, g->startcic, g->endcic, block, "far");
      free_untracked(x, g->startcic, g->call);
      break;
    }
    case ISUP_EVENT_UCIC:
      ss7far_emit(x, "SimSs7Error", 0, e->ucic.cic, "reason", "the box says this CIC is unequipped");
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
        ss7far_emit(x, "SimLineAnswered", ss7span_chan_of_cic(x, cic), cic, "by", "far");
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
