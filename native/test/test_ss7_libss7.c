/* Our SS7 stack against the real libss7 2.0 (ITU) as the far-end signalling
 * point, over a SOCK_SEQPACKET socket pair, in real time (libss7 reads
 * gettimeofday). libss7 runs its MTP2 in software on its end
 * (SS7_TRANSPORT_DAHDIDCHAN), so it reads and writes each signal unit followed
 * by 2 FCS octets; this harness strips and adds them on our end, as DAHDI's
 * HDLC would. libss7's writes are paced (one per ms, like a real 64 kbit/s
 * link full of FISUs).
 *
 * Proves: both sides up; calls libss7->us and us->libss7 with releases from
 * either side; GRS each way; CGB/CGU, BLO/UBL and RSC from us, BLO/UBL from
 * libss7; a link failure in the middle of answered calls (frames stopped both
 * ways until both declare the link down, then resumed): the calls stay
 * answered on both sides and release cleanly after the realignment, calls
 * attempted during the outage are refused on both sides, and new calls work. */
#include "t.h"
#include "hl/ss7.h"
#include <libss7.h>
#include <poll.h>
#include <string.h>
#include <unistd.h>
#include <fcntl.h>
#include <time.h>
#include <errno.h>
#include <sys/socket.h>

#define OUR_PC 1
#define THEIR_PC 2
#define NCIC 31

static int64_t t0;
static int64_t now_ms(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000 - t0;
}

/* ---- our side ---- */
static hl_ss7_t S;
static int our_fd, their_fd;
static int cut;                     /* the link is broken: every frame is lost both ways */
static hl_ss7_event_t ev[2048];
static int nev;
static int verbose;

static int our_tx(void *user, const uint8_t *su, int len) {
  uint8_t b[300];
  if (cut) return len;
  if (len > 296) return -1;
  memcpy(b, su, (size_t)len);
  b[len] = b[len + 1] = 0;          /* the FCS libss7 expects (it does not check it) */
  return (int)write(our_fd, b, (size_t)len + 2);
}

static void our_event(void *user, const hl_ss7_event_t *e) {
  if (verbose || e->type == HL_SS7_EV_ERROR || e->type == HL_SS7_EV_LINK_DOWN || e->type == HL_SS7_EV_LINK_UP)
    printf("  [%5lld ms] us: %s cic=%d cause=%d by=%d %s\n", (long long)now_ms(), hl_ss7_event_name(e->type),
           e->cic, e->cause, e->by, e->text ? e->text : "");
  if (nev < 2048) ev[nev++] = *e;
}
static const hl_ss7_io_t our_io = { our_tx, our_event };

static int find(int from, int type, int cic) {
  for (int i = from; i < nev; i++) if (ev[i].type == type && (cic == -2 || ev[i].cic == cic)) return i;
  return -1;
}
static int count(int from, int type, int by) {
  int n = 0;
  for (int i = from; i < nev; i++) if (ev[i].type == type && (by < 0 || ev[i].by == by)) n++;
  return n;
}

/* ---- libss7's side: the application of a far-end exchange ---- */
static struct ss7 *L;
static struct isup_call *lc[NCIC + 2];  /* the call on each CIC, as libss7's application holds it */
enum { L_IDLE = 0, L_IN, L_OUT, L_ANSWERED };
static int lst[NCIC + 2];              /* its application state of each CIC */
typedef struct lrec { int e, cic, cause, start, end, pres, nai, type; char called[50], calling[50]; } lrec_t;
static lrec_t lev[2048];
static int nlev, l_up, l_auto_answer, l_errors;

static void l_message(struct ss7 *ss7, char *m) { if (verbose) printf("  libss7: %s", m); }
static void l_error(struct ss7 *ss7, char *m) { l_errors++; if (verbose) printf("  libss7 error: %s", m); }
static void l_call_null(struct ss7 *ss7, struct isup_call *c, int lock) {
  for (int i = 0; i < NCIC + 2; i++) if (lc[i] == c) lc[i] = NULL;
}
/* libss7 asks what to do with a circuit it finds in an unexpected state. */
static int l_hangup(struct ss7 *ss7, int cic, unsigned int dpc, int cause, int do_hangup) {
  if (verbose) printf("  libss7 hangup request cic %d action %d\n", cic, do_hangup);
  return SS7_CIC_USED;
}

static int lfind(int from, int e, int cic) {
  for (int i = from; i < nlev; i++) if (lev[i].e == e && (cic < 0 || lev[i].cic == cic)) return i;
  return -1;
}

static void l_done(struct isup_call *c, int cic) {
  /* free the struct unless the application still holds it for a call */
  if (c && (cic < 1 || cic > NCIC || lc[cic] != c)) isup_free_call_if_clear(L, c);
}

static void l_event(ss7_event *e) {
  static unsigned char zeros[255];
  lrec_t r = { .e = e->e, .cic = -1 };
  struct isup_call *c = NULL;
  switch (e->e) {
  case SS7_EVENT_UP: l_up = 1; break;
  case SS7_EVENT_DOWN: l_up = 0; break;
  case ISUP_EVENT_IAM:
    r.cic = e->iam.cic; r.pres = e->iam.presentation_ind; r.nai = e->iam.calling_nai;
    snprintf(r.called, sizeof r.called, "%s", e->iam.called_party_num);
    snprintf(r.calling, sizeof r.calling, "%s", e->iam.calling_party_num);
    lc[r.cic] = e->iam.call; lst[r.cic] = L_IN;
    if (l_auto_answer) { isup_acm(L, e->iam.call); isup_anm(L, e->iam.call); lst[r.cic] = L_ANSWERED; }
    break;
  case ISUP_EVENT_ACM: r.cic = e->acm.cic; break;
  case ISUP_EVENT_CPG: r.cic = e->cpg.cic; r.type = e->cpg.event; break;
  case ISUP_EVENT_ANM: r.cic = e->anm.cic; lst[r.cic] = L_ANSWERED; break;
  case ISUP_EVENT_CON: r.cic = e->con.cic; lst[r.cic] = L_ANSWERED; break;
  case ISUP_EVENT_REL:
    r.cic = e->rel.cic; r.cause = e->rel.cause;
    isup_rlc(L, e->rel.call);
    lc[r.cic] = NULL; lst[r.cic] = L_IDLE;
    c = e->rel.call;
    break;
  case ISUP_EVENT_RLC:
    r.cic = e->rlc.cic; lc[r.cic] = NULL; lst[r.cic] = L_IDLE;
    c = e->rlc.call;
    break;
  case ISUP_EVENT_GRS:
    r.cic = r.start = e->grs.startcic; r.end = e->grs.endcic;
    isup_gra(L, e->grs.call, e->grs.endcic, zeros);
    for (int i = r.start; i <= r.end && i <= NCIC; i++) {
      if (lc[i] && lc[i] != e->grs.call) isup_free_call(L, lc[i]);
      lc[i] = NULL; lst[i] = L_IDLE;
    }
    isup_free_call(L, e->grs.call);
    break;
  case ISUP_EVENT_GRA: r.cic = r.start = e->gra.startcic; r.end = e->gra.endcic; c = e->gra.call; break;
  case ISUP_EVENT_CGB:
    r.cic = r.start = e->cgb.startcic; r.end = e->cgb.endcic; r.type = e->cgb.type;
    isup_cgba(L, e->cgb.call, e->cgb.endcic, e->cgb.status);
    c = e->cgb.call;
    break;
  case ISUP_EVENT_CGU:
    r.cic = r.start = e->cgu.startcic; r.end = e->cgu.endcic; r.type = e->cgu.type;
    isup_cgua(L, e->cgu.call, e->cgu.endcic, e->cgu.status);
    c = e->cgu.call;
    break;
  case ISUP_EVENT_BLO: r.cic = e->blo.cic; isup_bla(L, e->blo.call); c = e->blo.call; break;
  case ISUP_EVENT_UBL: r.cic = e->ubl.cic; isup_uba(L, e->ubl.call); c = e->ubl.call; break;
  case ISUP_EVENT_BLA: r.cic = e->bla.cic; c = e->bla.call; break;
  case ISUP_EVENT_UBA: r.cic = e->uba.cic; c = e->uba.call; break;
  case ISUP_EVENT_RSC:
    r.cic = e->rsc.cic;
    isup_rlc(L, e->rsc.call);
    if (lc[r.cic] && lc[r.cic] != e->rsc.call) isup_free_call(L, lc[r.cic]);
    lc[r.cic] = NULL; lst[r.cic] = L_IDLE;
    c = e->rsc.call;
    break;
  default: break;
  }
  if (verbose || e->e == SS7_EVENT_UP || e->e == SS7_EVENT_DOWN)
    printf("  [%5lld ms] libss7: %s cic=%d\n", (long long)now_ms(), ss7_event2str(e->e), r.cic);
  if (nlev < 2048) lev[nlev++] = r;
  l_done(c, r.cic);
}

/* ---- the loop ---- */
static int64_t last_l_write;
static uint64_t dropped;

static void pump(void) {
  struct pollfd p[2] = { { our_fd, POLLIN, 0 }, { their_fd, POLLIN, 0 } };
  uint8_t b[512];
  poll(p, 2, 1);
  int64_t now = now_ms();
  ssize_t n;
  while ((n = read(our_fd, b, sizeof b)) > 0) {
    if (cut) { dropped++; continue; }
    hl_ss7_rx_frame(&S, b, (int)n - 2);
  }
  if (cut) {
    while (read(their_fd, b, sizeof b) > 0) dropped++;
  } else {
    struct pollfd q = { their_fd, POLLIN, 0 };
    while (poll(&q, 1, 0) > 0 && (q.revents & POLLIN)) ss7_read(L, their_fd);
  }
  if (now - last_l_write >= 1) { ss7_write(L, their_fd); last_l_write = now; }
  ss7_schedule_run(L);
  ss7_event *e;
  while ((e = ss7_check_event(L))) l_event(e);
  hl_ss7_tick(&S, now);
}

#define WAIT(cond, ms) ({ int64_t _end = now_ms() + (ms); int _ok; \
  while (!(_ok = !!(cond)) && now_ms() < _end) { pump(); } \
  _ok; })

static void settle(int ms) { int64_t end = now_ms() + ms; while (now_ms() < end) pump(); }

/* ---- scenarios ---- */

static struct isup_call *l_call(int cic, const char *called, const char *calling, int pres) {
  struct isup_call *c = isup_new_call(L, cic, OUR_PC, 0);
  if (!c) return NULL;
  isup_set_called(c, called, SS7_NAI_NATIONAL, L);
  isup_set_calling(c, calling, SS7_NAI_NATIONAL, (unsigned char)pres, SS7_SCREENING_USER_PROVIDED);
  isup_set_calling_party_category(c, 0x0a);
  if (isup_iam(L, c) < 0) return NULL;   /* libss7 freed it */
  lc[cic] = c; lst[cic] = L_OUT;
  return c;
}

/* libss7 calls us on cic; we alert (or not) and answer; 0 when answered on both sides. */
static int call_in(int cic, int alert) {
  int m = nev, ml = nlev;
  CHECK(l_call(cic, "12345678", "87654321", SS7_PRESENTATION_RESTRICTED) != NULL, "libss7 sends IAM on cic %d", cic);
  int i = -1;
  WAIT((i = find(m, HL_SS7_EV_CALL_OFFERED, cic)) >= 0, 3000);
  CHECK(i >= 0, "IAM from libss7 offered to us on cic %d", cic);
  if (i < 0) return -1;
  CHECK(!strcmp(ev[i].called, "12345678") && !strcmp(ev[i].calling, "87654321") && ev[i].presentation == 1 &&
        ev[i].nai == SS7_NAI_NATIONAL && ev[i].category == 0x0a,
        "IAM fields from libss7: called=%s calling=%s pres=%d nai=%d cat=%d", ev[i].called, ev[i].calling,
        ev[i].presentation, ev[i].nai, ev[i].category);
  if (alert) {
    CHECK(hl_ss7_alert(&S, cic) == 0, "we alert (ACM)");
    CHECK(WAIT(lfind(ml, ISUP_EVENT_ACM, cic) >= 0, 3000), "libss7 got our ACM on cic %d", cic);
    CHECK(hl_ss7_progress(&S, cic, 3) == 0, "we send CPG (in-band information)");
    int p = -1;
    WAIT((p = lfind(ml, ISUP_EVENT_CPG, cic)) >= 0, 3000);
    CHECK(p >= 0 && lev[p].type == 3, "libss7 got our CPG event %d on cic %d", p >= 0 ? lev[p].type : -1, cic);
  }
  CHECK(hl_ss7_answer(&S, cic) == 0, "we answer");
  int want = alert ? ISUP_EVENT_ANM : ISUP_EVENT_CON;
  CHECK(WAIT(lfind(ml, want, cic) >= 0, 3000), "libss7 got our %s on cic %d", alert ? "ANM" : "CON", cic);
  return hl_ss7_cic_state(&S, cic) == HL_SS7_CIC_ANSWERED && lst[cic] == L_ANSWERED ? 0 : -1;
}

/* We call libss7 on cic; its application alerts and answers at once. */
static int call_out(int cic) {
  int m = nev, ml = nlev;
  l_auto_answer = 1;
  int r = hl_ss7_call(&S, cic, "12345678", "87654321", HL_SS7_NAI_NATIONAL, 1, HL_SS7_CAT_ORDINARY);
  CHECK(r == 0, "we send IAM on cic %d (%d)", cic, r);
  int i = -1;
  WAIT((i = lfind(ml, ISUP_EVENT_IAM, cic)) >= 0, 3000);
  CHECK(i >= 0, "libss7 got our IAM on cic %d", cic);
  if (i >= 0)
    CHECK(!strncmp(lev[i].called, "12345678", 8) && !strcmp(lev[i].calling, "87654321") && lev[i].pres == 1 &&
          lev[i].nai == SS7_NAI_NATIONAL, "libss7 reads our IAM: called=%s calling=%s pres=%d", lev[i].called,
          lev[i].calling, lev[i].pres);
  CHECK(WAIT(find(m, HL_SS7_EV_ALERTING, cic) >= 0, 3000), "we see libss7's ACM");
  CHECK(WAIT(find(m, HL_SS7_EV_ANSWERED, cic) >= 0, 3000), "we see libss7's ANM");
  l_auto_answer = 0;
  return hl_ss7_cic_state(&S, cic) == HL_SS7_CIC_ANSWERED && lst[cic] == L_ANSWERED ? 0 : -1;
}

/* libss7 releases cic (with a call struct it makes when it has none left). */
static void release_by_libss7(int cic, int cause) {
  int m = nev, ml = nlev;
  struct isup_call *c = lc[cic] ? lc[cic] : isup_new_call(L, cic, OUR_PC, 0);
  lc[cic] = c;
  CHECK(isup_rel(L, c, cause) >= 0, "libss7 sends REL on cic %d", cic);
  int i = -1;
  WAIT((i = find(m, HL_SS7_EV_FAR_RELEASED, cic)) >= 0, 3000);
  CHECK(i >= 0 && ev[i].cause == cause, "we see libss7's REL cause %d on cic %d", cause, cic);
  CHECK(WAIT(lfind(ml, ISUP_EVENT_RLC, cic) >= 0, 3000), "libss7 got our RLC on cic %d", cic);
  CHECK(hl_ss7_cic_state(&S, cic) == HL_SS7_CIC_IDLE, "cic %d idle on our side", cic);
}

static void release_by_us(int cic, int cause) {
  int m = nev, ml = nlev;
  CHECK(hl_ss7_release(&S, cic, cause) == 0, "we send REL on cic %d", cic);
  int i = -1;
  WAIT((i = lfind(ml, ISUP_EVENT_REL, cic)) >= 0, 3000);
  CHECK(i >= 0 && lev[i].cause == cause, "libss7 got our REL cause %d on cic %d", cause, cic);
  CHECK(WAIT(find(m, HL_SS7_EV_RELEASE_COMPLETE, cic) >= 0, 3000), "libss7's RLC completes our release on cic %d", cic);
}

int main(int argc, char **argv) {
  int sv[2];
  verbose = argc > 1;
  t0 = 0; t0 = now_ms();
  if (socketpair(AF_UNIX, SOCK_SEQPACKET, 0, sv) < 0) { perror("socketpair"); return 1; }
  our_fd = sv[0]; their_fd = sv[1];
  fcntl(our_fd, F_SETFL, O_NONBLOCK);
  fcntl(their_fd, F_SETFL, O_NONBLOCK);

  ss7_set_message(l_message);
  ss7_set_error(l_error);
  ss7_set_call_null(l_call_null);
  ss7_set_hangup(l_hangup);
  L = ss7_new(SS7_ITU);
  CHECK(L != NULL, "ss7_new(SS7_ITU)");
  ss7_set_pc(L, THEIR_PC);
  ss7_set_network_ind(L, SS7_NI_NAT);
  ss7_set_cause_location(L, 2);
  /* periodic link test, so libss7 also notices a silent link (2 SLTAs missing) */
  ss7_set_mtp3_timer(L, "q707_t1", 1000);
  ss7_set_mtp3_timer(L, "q707_t2", 2000);
  if (verbose) ss7_set_debug(L, SS7_DEBUG_MTP2 | SS7_DEBUG_MTP3 | SS7_DEBUG_ISUP);
  CHECK(ss7_add_link(L, SS7_TRANSPORT_DAHDIDCHAN, their_fd, 0, OUR_PC) == 0, "ss7_add_link");

  hl_ss7_config_t cfg;
  hl_ss7_config_default(&cfg);
  cfg.variant = hl_ss7_variant_find("itu");
  cfg.opc = OUR_PC; cfg.dpc = THEIR_PC; cfg.ni = HL_SS7_NI_NATIONAL; cfg.slc = 0;
  cfg.cic_first = 1; cfg.cic_count = NCIC;
  cfg.fill_ms = 2;
  cfg.cause_location = 2;
  CHECK(hl_ss7_init(&S, &cfg, &our_io, NULL) == &S, "our stack initialised");

  ss7_start(L);
  hl_ss7_start(&S);
  CHECK(WAIT(hl_ss7_is_up(&S) && l_up, 10000), "link up on both sides");
  printf("ok link up at %lld ms: us %s, libss7 SS7 up\n", (long long)now_ms(),
         hl_ss7_link_state_name(hl_ss7_link_state(&S)));

  /* calls libss7 -> us: released by libss7, then by us */
  if (!call_in(1, 1)) release_by_libss7(1, 16);
  printf("ok call libss7->us: IAM, ACM, CPG, ANM, REL from libss7, RLC\n");
  if (!call_in(2, 0)) release_by_us(2, 16);
  printf("ok call libss7->us: IAM, CON, REL from us, RLC\n");
  /* calls us -> libss7: released by us, then by libss7 */
  if (!call_out(3)) release_by_us(3, 16);
  printf("ok call us->libss7: IAM, ACM, ANM, REL from us, RLC\n");
  if (!call_out(4)) release_by_libss7(4, 17);
  printf("ok call us->libss7: IAM, ACM, ANM, REL 17 from libss7, RLC\n");

  /* GRS from us, then from libss7 */
  int m = nev, ml = nlev;
  CHECK(hl_ss7_group_reset(&S, 1, 8) == 0, "we send GRS 1-8");
  CHECK(WAIT(count(m, HL_SS7_EV_RESET, HL_SS7_BLK_LOCAL) == 8, 3000), "libss7's GRA resets 8 circuits on our side");
  int i = lfind(ml, ISUP_EVENT_GRS, 1);
  CHECK(i >= 0 && lev[i].end == 8, "libss7 saw GRS 1-%d", i >= 0 ? lev[i].end : -1);
  m = nev; ml = nlev;
  struct isup_call *g = isup_new_call(L, 1, OUR_PC, 0);
  CHECK(g && isup_grs(L, g, 12) >= 0, "libss7 sends GRS 1-12");
  CHECK(WAIT(lfind(ml, ISUP_EVENT_GRA, 1) >= 0, 3000), "libss7 got our GRA");
  CHECK(count(m, HL_SS7_EV_RESET, HL_SS7_BLK_REMOTE) == 12, "we reset 12 circuits for libss7's GRS");
  printf("ok GRS/GRA both ways\n");

  /* CGB/CGU from us */
  m = nev; ml = nlev;
  CHECK(hl_ss7_group_block(&S, 10, 4) == 0, "we send CGB 10-13");
  CHECK(WAIT(count(m, HL_SS7_EV_BLOCKED, HL_SS7_BLK_LOCAL) == 4, 3000), "libss7's CGBA blocks 4 circuits");
  i = lfind(ml, ISUP_EVENT_CGB, 10);
  CHECK(i >= 0 && lev[i].end == 13 && lev[i].type == 0, "libss7 saw a maintenance CGB 10-13");
  CHECK(hl_ss7_call(&S, 11, "1", NULL, 0, 0, 0) == -EACCES, "no call on a blocked circuit");
  CHECK(hl_ss7_group_unblock(&S, 10, 4) == 0, "we send CGU 10-13");
  CHECK(WAIT(count(m, HL_SS7_EV_UNBLOCKED, HL_SS7_BLK_LOCAL) == 4, 3000), "libss7's CGUA unblocks 4 circuits");
  CHECK(lfind(ml, ISUP_EVENT_CGU, 10) >= 0 && hl_ss7_cic_blocked(&S, 11) == 0, "libss7 saw CGU");
  printf("ok CGB/CGBA, CGU/CGUA\n");

  /* BLO/UBL from us and from libss7, RSC from us */
  m = nev; ml = nlev;
  CHECK(hl_ss7_block(&S, 15) == 0, "we send BLO 15");
  CHECK(WAIT(find(m, HL_SS7_EV_BLOCKED, 15) >= 0, 3000) && lfind(ml, ISUP_EVENT_BLO, 15) >= 0, "BLO/BLA");
  CHECK(hl_ss7_unblock(&S, 15) == 0, "we send UBL 15");
  CHECK(WAIT(find(m, HL_SS7_EV_UNBLOCKED, 15) >= 0, 3000) && lfind(ml, ISUP_EVENT_UBL, 15) >= 0, "UBL/UBA");
  struct isup_call *b = isup_new_call(L, 16, OUR_PC, 0);
  isup_blo(L, b);
  CHECK(WAIT(find(m, HL_SS7_EV_BLOCKED, 16) >= 0 && lfind(ml, ISUP_EVENT_BLA, 16) >= 0, 3000) &&
        hl_ss7_cic_blocked(&S, 16) == HL_SS7_BLK_REMOTE, "libss7's BLO blocks cic 16 for us, BLA back");
  b = isup_new_call(L, 16, OUR_PC, 0);
  isup_ubl(L, b);
  CHECK(WAIT(find(m, HL_SS7_EV_UNBLOCKED, 16) >= 0 && lfind(ml, ISUP_EVENT_UBA, 16) >= 0, 3000), "libss7's UBL, UBA back");
  CHECK(hl_ss7_reset(&S, 17) == 0, "we send RSC 17");
  CHECK(WAIT(find(m, HL_SS7_EV_RESET, 17) >= 0, 3000) && lfind(ml, ISUP_EVENT_RSC, 17) >= 0, "RSC/RLC");
  printf("ok BLO/BLA, UBL/UBA both ways, RSC/RLC\n");

  /* link failure in the middle of two answered calls */
  CHECK(!call_in(20, 1), "call libss7->us answered on cic 20");
  CHECK(!call_out(23), "call us->libss7 answered on cic 23");
  m = nev; ml = nlev;
  int64_t tc = now_ms();
  cut = 1;
  CHECK(WAIT(find(m, HL_SS7_EV_LINK_DOWN, -1) >= 0 && !l_up, 15000), "both sides declare the link down");
  printf("ok link down on both sides %lld ms after the cut\n", (long long)(now_ms() - tc));
  CHECK(hl_ss7_call(&S, 21, "1", NULL, 0, 0, 0) == -ENOLINK, "our call during the outage is refused (-ENOLINK)");
  CHECK(l_call(22, "4444", "5555", SS7_PRESENTATION_ALLOWED) == NULL, "libss7's call during the outage is refused");
  CHECK(hl_ss7_cic_state(&S, 20) == HL_SS7_CIC_ANSWERED && hl_ss7_cic_state(&S, 23) == HL_SS7_CIC_ANSWERED,
        "our calls stay answered during the outage");
  settle(500);
  cut = 0;
  tc = now_ms();
  CHECK(WAIT(hl_ss7_is_up(&S) && l_up, 15000), "link realigned on both sides");
  printf("ok realigned %lld ms after the frames resumed\n", (long long)(now_ms() - tc));
  CHECK(hl_ss7_cic_state(&S, 20) == HL_SS7_CIC_ANSWERED && lst[20] == L_ANSWERED &&
        hl_ss7_cic_state(&S, 23) == HL_SS7_CIC_ANSWERED && lst[23] == L_ANSWERED,
        "both calls still answered on both sides after realignment");
  release_by_libss7(20, 16);
  release_by_us(23, 16);
  printf("ok calls answered before the failure released cleanly after it\n");
  if (!call_in(21, 1)) release_by_us(21, 16);
  if (!call_out(22)) release_by_libss7(22, 16);
  printf("ok new calls both ways after realignment\n");

  const hl_ss7_counters_t *k = hl_ss7_counters(&S);
  printf("# us: %llu SUs in, %llu out, %llu MSUs in, %llu out, %llu retransmissions, %llu bad, %llu failures, "
         "%llu alignments; libss7 errors %d; %llu frames lost in the cut; %lld ms\n",
         (unsigned long long)k->su_in, (unsigned long long)k->su_out, (unsigned long long)k->msu_in,
         (unsigned long long)k->msu_out, (unsigned long long)k->retransmissions, (unsigned long long)k->bad_frames,
         (unsigned long long)k->link_failures, (unsigned long long)k->align_attempts, l_errors,
         (unsigned long long)dropped, (long long)now_ms());
  CHECK(count(0, HL_SS7_EV_ERROR, -1) == 0, "no ERROR events on our side (%d)", count(0, HL_SS7_EV_ERROR, -1));
  ss7_destroy(L);
  close(our_fd); close(their_fd);
  T_DONE("ss7_libss7");
}
