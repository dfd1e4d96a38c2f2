/* Our SS7 stack against itself, both variants (ITU, China 24-bit), on a
 * simulated clock: alignment and link test, calls both ways with every kind
 * of release, SAM, GRS, CGB/CGU, BLO/UBL, RSC, ISUP timers, a link failure in
 * the middle of an answered call (the call survives the realignment, a new
 * call during the outage is refused), malformed MSUs and garbage frames
 * (ERROR events, no crash, the link survives or realigns). */
#include "t.h"
#include "ss7_pair.h"
#include "../src/sig/ss7_int.h"
#include <errno.h>
#include <stdlib.h>

static side_t A, B;

#define EV(d, mark, type, cic, ms) wait_ev(&A, &B, d, mark, type, cic, ms)

static void bring_up(const char *vn) {
  int ia = EV(&A, 0, HL_SS7_EV_LINK_UP, -1, 20000), ib = EV(&B, 0, HL_SS7_EV_LINK_UP, -1, 20000);
  CHECK(ia >= 0 && ib >= 0, "%s: both sides SS7 up (A %d, B %d)", vn, ia, ib);
  CHECK(hl_ss7_link_state(&A.s) == HL_SS7_LINK_IN_SERVICE && hl_ss7_is_up(&B.s), "%s: in service: A %s", vn,
        hl_ss7_link_state_name(hl_ss7_link_state(&A.s)));
  printf("ok %s: link up at %lld ms (A %s)\n", vn, (long long)p_now, hl_ss7_link_state_name(A.s.lstate));
}

/* A calls B on cic and B answers (alerting first when alert). */
static int call_up(side_t *x, side_t *y, int cic, int alert, const char *vn) {
  int mx = x->nev, my = y->nev;
  int r = hl_ss7_call(&x->s, cic, "12345678", "87654321", HL_SS7_NAI_NATIONAL, 1, HL_SS7_CAT_ORDINARY);
  CHECK(r == 0, "%s: call on cic %d: %d", vn, cic, r);
  int io = EV(y, my, HL_SS7_EV_CALL_OFFERED, cic, 2000);
  CHECK(io >= 0, "%s: %s offered cic %d", vn, y->name, cic);
  if (io < 0) return -1;
  const hl_ss7_event_t *e = &y->ev[io];
  CHECK(!strcmp(e->called, "12345678") && !strcmp(e->calling, "87654321") && e->presentation == 1 &&
        e->category == HL_SS7_CAT_ORDINARY && e->nai == HL_SS7_NAI_NATIONAL,
        "%s: IAM fields called=%s calling=%s pres=%d cat=%d nai=%d", vn, e->called, e->calling, e->presentation,
        e->category, e->nai);
  if (alert) {
    CHECK(hl_ss7_alert(&y->s, cic) == 0, "%s: alert", vn);
    CHECK(EV(x, mx, HL_SS7_EV_ALERTING, cic, 2000) >= 0, "%s: %s sees alerting", vn, x->name);
    CHECK(hl_ss7_cic_state(&x->s, cic) == HL_SS7_CIC_OUT_ALERTING, "%s: outgoing alerting", vn);
  }
  CHECK(hl_ss7_answer(&y->s, cic) == 0, "%s: answer", vn);
  CHECK(EV(x, mx, HL_SS7_EV_ANSWERED, cic, 2000) >= 0, "%s: %s sees answer", vn, x->name);
  CHECK(hl_ss7_cic_state(&x->s, cic) == HL_SS7_CIC_ANSWERED && hl_ss7_cic_state(&y->s, cic) == HL_SS7_CIC_ANSWERED,
        "%s: cic %d answered on both sides", vn, cic);
  return 0;
}

/* x releases cic with cause: y sees FAR_RELEASED, x RELEASE_COMPLETE. */
static void release(side_t *x, side_t *y, int cic, int cause, const char *vn) {
  int mx = x->nev, my = y->nev;
  CHECK(hl_ss7_release(&x->s, cic, cause) == 0, "%s: release cic %d", vn, cic);
  int i = EV(y, my, HL_SS7_EV_FAR_RELEASED, cic, 2000);
  CHECK(i >= 0 && y->ev[i].cause == cause, "%s: %s far released cause %d", vn, y->name, i >= 0 ? y->ev[i].cause : -1);
  CHECK(EV(x, mx, HL_SS7_EV_RELEASE_COMPLETE, cic, 2000) >= 0, "%s: %s release complete", vn, x->name);
  CHECK(hl_ss7_cic_state(&x->s, cic) == HL_SS7_CIC_IDLE && hl_ss7_cic_state(&y->s, cic) == HL_SS7_CIC_IDLE,
        "%s: cic %d idle both sides", vn, cic);
}

static int count_ev(const side_t *d, int from, int type, int by) {
  int n = 0;
  for (int i = from; i < d->nev; i++) if (d->ev[i].type == type && (by < 0 || d->ev[i].by == by)) n++;
  return n;
}

static void calls(const char *vn) {
  /* A -> B, alerting, answer, A releases; the trace tells the story */
  call_up(&A, &B, 1, 1, vn);
  release(&A, &B, 1, 16, vn);
  hl_ss7_trace_ent_t tr[HL_SS7_TRACE];
  char txt[64], all[256] = "";
  int n = hl_ss7_trace(&A.s, 1, tr, HL_SS7_TRACE);
  for (int i = 0; i < n; i++) {
    hl_ss7_trace_what(&tr[i], txt, sizeof txt);
    snprintf(all + strlen(all), sizeof all - strlen(all), "%s%s%s", i ? "," : "", tr[i].rx ? "<" : ">", txt);
  }
  CHECK(!strcmp(all, ">IAM,<ACM,<ANM,>REL cause=16,<RLC"), "%s: trace %s", vn, all);
  printf("ok %s: A->B call trace %s\n", vn, all);
  /* B -> A answered without alerting (CON), released by the called side A */
  call_up(&B, &A, 2, 0, vn);
  int t;
  CHECK(last_isup(&A, HL_ISUP_CON, &t) != NULL, "%s: answer without ACM is CON", vn);
  release(&A, &B, 2, 16, vn);
  /* B -> A, A busy: B sees CALL_FAILED 17 */
  int mb = B.nev;
  CHECK(hl_ss7_call(&B.s, 3, "555", NULL, 0, 0, 0) == 0, "%s: call without calling number", vn);
  int io = EV(&A, 0, HL_SS7_EV_CALL_OFFERED, 3, 2000);
  CHECK(io >= 0 && A.ev[io].calling[0] == 0 && A.ev[io].presentation == 2, "%s: no calling number offered", vn);
  CHECK(hl_ss7_release(&A.s, 3, HL_SS7_CAUSE_BUSY) == 0, "%s: reject busy", vn);
  int f = EV(&B, mb, HL_SS7_EV_CALL_FAILED, 3, 2000);
  CHECK(f >= 0 && B.ev[f].cause == 17, "%s: caller sees failure cause 17", vn);
  CHECK(EV(&A, 0, HL_SS7_EV_RELEASE_COMPLETE, 3, 2000) >= 0, "%s: busy release complete", vn);
  /* SAM adds digits to an incoming call */
  int ma = A.nev;
  hl_ss7_call(&B.s, 4, "1234", "99", 0, 0, 0);
  EV(&A, ma, HL_SS7_EV_CALL_OFFERED, 4, 2000);
  CHECK(hl_ss7_sam(&B.s, 4, "56") == 0, "%s: SAM sent", vn);
  int d = EV(&A, ma, HL_SS7_EV_CALL_DIGITS, 4, 2000);
  CHECK(d >= 0 && !strcmp(A.ev[d].digits, "56") && !strcmp(A.ev[d].called, "123456"), "%s: SAM digits %s -> %s", vn,
        d >= 0 ? A.ev[d].digits : "", d >= 0 ? A.ev[d].called : "");
  /* CPG both ways once alerting */
  hl_ss7_alert(&A.s, 4);
  EV(&B, mb, HL_SS7_EV_ALERTING, 4, 2000);
  CHECK(hl_ss7_progress(&A.s, 4, 3) == 0, "%s: CPG", vn);
  int p = EV(&B, mb, HL_SS7_EV_PROGRESS, 4, 2000);
  CHECK(p >= 0 && B.ev[p].event_info == 3, "%s: progress event info 3", vn);
  release(&B, &A, 4, 31, vn);
  /* wrong states and arguments */
  CHECK(hl_ss7_answer(&A.s, 5) == -EPERM, "%s: answer idle -> EPERM", vn);
  CHECK(hl_ss7_call(&A.s, 99, "1", NULL, 0, 0, 0) == -ENOENT, "%s: unknown cic -> ENOENT", vn);
  CHECK(hl_ss7_call(&A.s, 5, "12x", NULL, 0, 0, 0) == -EINVAL, "%s: bad digits -> EINVAL", vn);
  CHECK(hl_ss7_release(&A.s, 5, 16) == -EPERM, "%s: release idle -> EPERM", vn);
  hl_ss7_call(&A.s, 5, "1", NULL, 0, 0, 0);
  CHECK(hl_ss7_call(&A.s, 5, "1", NULL, 0, 0, 0) == -EBUSY, "%s: busy cic -> EBUSY", vn);
  EV(&B, 0, HL_SS7_EV_CALL_OFFERED, 5, 2000);
  release(&A, &B, 5, 16, vn);
}

static void maintenance(const char *vn) {
  /* GRS over 4 circuits, one of them with an answered call */
  call_up(&A, &B, 6, 1, vn);
  int ma = A.nev, mb = B.nev;
  CHECK(hl_ss7_group_reset(&A.s, 6, 4) == 0, "%s: GRS", vn);
  run(&A, &B, 300);
  CHECK(count_ev(&B, mb, HL_SS7_EV_RESET, HL_SS7_BLK_REMOTE) == 4, "%s: B reset 4 circuits by the far side", vn);
  CHECK(count_ev(&A, ma, HL_SS7_EV_RESET, HL_SS7_BLK_LOCAL) == 4, "%s: A got GRA for 4 circuits", vn);
  CHECK(hl_ss7_cic_state(&A.s, 6) == HL_SS7_CIC_IDLE && hl_ss7_cic_state(&B.s, 6) == HL_SS7_CIC_IDLE,
        "%s: the call on cic 6 is gone on both sides", vn);
  int t;
  CHECK(last_isup(&B, HL_ISUP_GRA, &t) != NULL, "%s: B answered GRA", vn);
  /* GRS from B */
  ma = A.nev;
  CHECK(hl_ss7_group_reset(&B.s, 1, 31) == 0, "%s: GRS 31 circuits from B", vn);
  run(&A, &B, 300);
  CHECK(count_ev(&A, ma, HL_SS7_EV_RESET, HL_SS7_BLK_REMOTE) == 31, "%s: A reset 31 circuits", vn);
  /* CGB/CGU */
  ma = A.nev; mb = B.nev;
  CHECK(hl_ss7_group_block(&A.s, 10, 3) == 0, "%s: CGB", vn);
  run(&A, &B, 300);
  CHECK(count_ev(&B, mb, HL_SS7_EV_BLOCKED, HL_SS7_BLK_REMOTE) == 3 &&
        count_ev(&A, ma, HL_SS7_EV_BLOCKED, HL_SS7_BLK_LOCAL) == 3, "%s: 3 circuits blocked (CGB/CGBA)", vn);
  CHECK(hl_ss7_cic_blocked(&A.s, 11) == HL_SS7_BLK_LOCAL && hl_ss7_cic_blocked(&B.s, 11) == HL_SS7_BLK_REMOTE,
        "%s: blocking flags", vn);
  CHECK(hl_ss7_call(&A.s, 11, "1", NULL, 0, 0, 0) == -EACCES && hl_ss7_call(&B.s, 12, "1", NULL, 0, 0, 0) == -EACCES,
        "%s: no call on blocked circuits", vn);
  CHECK(hl_ss7_group_unblock(&A.s, 10, 3) == 0, "%s: CGU", vn);
  run(&A, &B, 300);
  CHECK(count_ev(&B, mb, HL_SS7_EV_UNBLOCKED, HL_SS7_BLK_REMOTE) == 3 &&
        count_ev(&A, ma, HL_SS7_EV_UNBLOCKED, HL_SS7_BLK_LOCAL) == 3, "%s: 3 circuits unblocked (CGU/CGUA)", vn);
  CHECK(hl_ss7_cic_blocked(&A.s, 11) == 0 && hl_ss7_cic_blocked(&B.s, 11) == 0, "%s: flags clear", vn);
  /* BLO/UBL from B */
  ma = A.nev; mb = B.nev;
  CHECK(hl_ss7_block(&B.s, 7) == 0, "%s: BLO", vn);
  CHECK(hl_ss7_block(&B.s, 7) == -EALREADY, "%s: BLO twice -> EALREADY", vn);
  run(&A, &B, 200);
  CHECK(find_ev(&A, ma, HL_SS7_EV_BLOCKED, 7) >= 0 && find_ev(&B, mb, HL_SS7_EV_BLOCKED, 7) >= 0,
        "%s: BLO/BLA", vn);
  CHECK(hl_ss7_unblock(&B.s, 7) == 0, "%s: UBL", vn);
  run(&A, &B, 200);
  CHECK(find_ev(&A, ma, HL_SS7_EV_UNBLOCKED, 7) >= 0 && find_ev(&B, mb, HL_SS7_EV_UNBLOCKED, 7) >= 0 &&
        hl_ss7_cic_blocked(&B.s, 7) == 0, "%s: UBL/UBA", vn);
  /* RSC on an answered call */
  call_up(&B, &A, 8, 1, vn);
  ma = A.nev; mb = B.nev;
  CHECK(hl_ss7_reset(&A.s, 8) == 0, "%s: RSC", vn);
  run(&A, &B, 200);
  CHECK(find_ev(&B, mb, HL_SS7_EV_RESET, 8) >= 0 && find_ev(&A, ma, HL_SS7_EV_RESET, 8) >= 0 &&
        hl_ss7_cic_state(&A.s, 8) == HL_SS7_CIC_IDLE && hl_ss7_cic_state(&B.s, 8) == HL_SS7_CIC_IDLE,
        "%s: RSC/RLC reset the call on both sides", vn);
  printf("ok %s: GRS both ways, CGB/CGU, BLO/UBL, RSC\n", vn);
}

static void timers(const char *vn) {
  /* T7: B is offered the call but its owner never alerts or answers */
  int ma = A.nev;
  hl_ss7_call(&A.s, 13, "777", NULL, 0, 0, 0);
  run(&A, &B, 100);
  int f = EV(&A, ma, HL_SS7_EV_CALL_FAILED, 13, A.s.v->isup_t7_ms + 1000);
  CHECK(f >= 0 && A.ev[f].cause == HL_SS7_CAUSE_RECOVERY_ON_TIMER, "%s: T7 expiry fails the call with cause 102", vn);
  CHECK(EV(&A, ma, HL_SS7_EV_RELEASE_COMPLETE, 13, 2000) >= 0 && EV(&B, 0, HL_SS7_EV_FAR_RELEASED, 13, 10) >= 0,
        "%s: T7 REL answered, far side released", vn);
  /* T9: B alerts but never answers */
  ma = A.nev;
  hl_ss7_call(&A.s, 14, "777", NULL, 0, 0, 0);
  EV(&B, 0, HL_SS7_EV_CALL_OFFERED, 14, 2000);
  hl_ss7_alert(&B.s, 14);
  f = EV(&A, ma, HL_SS7_EV_CALL_FAILED, 14, A.s.v->isup_t9_ms + 2000);
  CHECK(f >= 0 && A.ev[f].cause == HL_SS7_CAUSE_NO_ANSWER, "%s: T9 expiry fails the call with cause 19", vn);
  run(&A, &B, 200);
  /* T1: our REL lost once (B cut for a moment) is repeated and completes */
  call_up(&A, &B, 15, 0, vn);
  ma = A.nev;
  A.cut = 1;
  hl_ss7_release(&A.s, 15, 16);
  run(&A, &B, 100);
  A.cut = 0;
  /* the lost MSU is recovered by MTP2 itself (FISU FSN tells B it missed one) */
  CHECK(EV(&A, ma, HL_SS7_EV_RELEASE_COMPLETE, 15, A.s.v->isup_t1_ms + 3000) >= 0, "%s: REL after a lost frame", vn);
  CHECK(hl_ss7_counters(&A.s)->retransmissions > 0, "%s: MTP2 retransmitted (%llu)", vn,
        (unsigned long long)hl_ss7_counters(&A.s)->retransmissions);
}

static void outage(const char *vn) {
  call_up(&A, &B, 20, 1, vn);
  int ma = A.nev, mb = B.nev;
  A.cut = B.cut = 1;
  int da = EV(&A, ma, HL_SS7_EV_LINK_DOWN, -1, 5000), db = EV(&B, mb, HL_SS7_EV_LINK_DOWN, -1, 5000);
  CHECK(da >= 0 && db >= 0, "%s: both sides see the link down (%s)", vn, da >= 0 ? A.ev[da].text : "-");
  CHECK(hl_ss7_call(&A.s, 21, "1", NULL, 0, 0, 0) == -ENOLINK, "%s: a call during the outage is refused", vn);
  CHECK(hl_ss7_cic_state(&A.s, 20) == HL_SS7_CIC_ANSWERED && hl_ss7_cic_state(&B.s, 20) == HL_SS7_CIC_ANSWERED,
        "%s: the answered call stays answered during the outage", vn);
  A.cut = B.cut = 0;
  int ua = EV(&A, ma, HL_SS7_EV_LINK_UP, -1, 30000), ub = EV(&B, mb, HL_SS7_EV_LINK_UP, -1, 30000);
  CHECK(ua >= 0 && ub >= 0, "%s: link realigned and tested", vn);
  CHECK(hl_ss7_cic_state(&A.s, 20) == HL_SS7_CIC_ANSWERED && hl_ss7_cic_state(&B.s, 20) == HL_SS7_CIC_ANSWERED,
        "%s: the call is still answered after realignment", vn);
  release(&B, &A, 20, 16, vn);
  call_up(&A, &B, 21, 1, vn);
  release(&A, &B, 21, 16, vn);
  /* release during an outage */
  call_up(&B, &A, 23, 1, vn);
  ma = A.nev; mb = B.nev;
  A.cut = B.cut = 1;
  EV(&A, ma, HL_SS7_EV_LINK_DOWN, -1, 5000);
  CHECK(hl_ss7_release(&A.s, 23, 16) == 0, "%s: release accepted during the outage", vn);
  A.cut = B.cut = 0;
  CHECK(EV(&A, ma, HL_SS7_EV_RELEASE_COMPLETE, 23, 30000) >= 0 && EV(&B, mb, HL_SS7_EV_FAR_RELEASED, 23, 1000) >= 0,
        "%s: the REL went out after realignment", vn);
  printf("ok %s: outage mid-call: call kept, new call refused, realigned; failures A=%llu\n", vn,
         (unsigned long long)hl_ss7_counters(&A.s)->link_failures);
}

/* Raw MSUs from A, correctly sequenced by A's MTP2, with broken contents. */
static void queue_raw(const uint8_t *isup, int n, int ni) {
  uint8_t m[300];
  hl_ss7_label_t l = { .dpc = A.s.cfg.dpc, .opc = A.s.cfg.opc, .sls = 1 };
  m[0] = (uint8_t)(ni << 6 | HL_SS7_SI_ISUP);
  int k = 1 + hl_ss7_label_put(A.s.v, &l, m + 1);
  memcpy(m + k, isup, (size_t)n);
  hl_ss7i_mtp2_queue(&A.s, m, k + n);
}

static void malformed(const char *vn) {
  int mb = B.nev;
  static const uint8_t trunc_iam[] = { 0x05, 0x00, 0x01, 0x00, 0x20 };
  static const uint8_t bad_ptr_iam[] = { 0x05, 0x00, 0x01, 0x00, 0x20, 0x01, 0x0a, 0x00, 0x40, 0x00 };
  static const uint8_t long_called[] = { 0x05, 0x00, 0x01, 0x00, 0x20, 0x01, 0x0a, 0x00, 0x02, 0x00, 0x30, 0x83, 0x10 };
  static const uint8_t unknown_cic[] = { 0xe7, 0x03, 0x0c, 0x02, 0x00, 0x02, 0x82, 0x90 };
  static const uint8_t unknown_type[] = { 0x05, 0x00, 0xee, 0x00 };
  static const uint8_t bad_opt[] = { 0x05, 0x00, 0x09, 0x01, 0x0a, 0x20, 0x01 };
  static const uint8_t cic_only[] = { 0x05 };
  queue_raw(trunc_iam, sizeof trunc_iam, 2);
  queue_raw(bad_ptr_iam, sizeof bad_ptr_iam, 2);
  queue_raw(long_called, sizeof long_called, 2);
  queue_raw(unknown_cic, sizeof unknown_cic, 2);
  queue_raw(unknown_type, sizeof unknown_type, 2);
  queue_raw(bad_opt, sizeof bad_opt, 2);
  queue_raw(cic_only, sizeof cic_only, 2);
  queue_raw(unknown_cic, sizeof unknown_cic, 0);   /* international NI on a national link */
  run(&A, &B, 300);
  int errs = count_ev(&B, mb, HL_SS7_EV_ERROR, -1);
  CHECK(errs == 8, "%s: 8 malformed MSUs -> 8 ERROR events (%d)", vn, errs);
  int i = find_ev(&B, mb, HL_SS7_EV_ERROR, 999);
  CHECK(i >= 0 && !strcmp(B.ev[i].text, "unknown CIC"), "%s: unknown CIC 999 reported", vn);
  i = find_ev(&B, mb, HL_SS7_EV_ERROR, 5);
  CHECK(i >= 0 && B.ev[i].msg == HL_ISUP_IAM, "%s: truncated IAM reported with its cic (%s)", vn,
        i >= 0 ? B.ev[i].text : "-");
  CHECK(hl_ss7_cic_state(&B.s, 5) == HL_SS7_CIC_IDLE && hl_ss7_is_up(&B.s), "%s: nothing offered, link up", vn);
  call_up(&A, &B, 5, 1, vn);
  release(&B, &A, 5, 16, vn);
  /* an IAM longer than 62 octets (LI 63) with an unknown optional parameter
   * before the calling number: the unknown one is skipped */
  {
    static const uint8_t head[] = { 0x18, 0x00, 0x01, 0x00, 0x20, 0x01, 0x0a, 0x00, 0x02, 0x06,
                                    0x04, 0x03, 0x10, 0x21, 0x43 };  /* cic 24, called "1234" even */
    uint8_t iam[200];
    int k = (int)sizeof head;
    memcpy(iam, head, sizeof head);
    iam[k++] = 0x7e; iam[k++] = 90;                 /* unknown optional parameter, 90 octets */
    memset(iam + k, 0x55, 90); k += 90;
    iam[k++] = 0x0a; iam[k++] = 4; iam[k++] = 0x83; iam[k++] = 0x13; iam[k++] = 0x21; iam[k++] = 0x03;
    iam[k++] = 0;
    mb = B.nev;
    queue_raw(iam, k, 2);
    int o = EV(&B, mb, HL_SS7_EV_CALL_OFFERED, 24, 1000);
    CHECK(o >= 0 && !strcmp(B.ev[o].called, "1234") && !strcmp(B.ev[o].calling, "123"),
          "%s: long IAM (LI 63, %d octets) offered, unknown parameter skipped (%s/%s)", vn, k,
          o >= 0 ? B.ev[o].called : "", o >= 0 ? B.ev[o].calling : "");
    /* A never had that call (the IAM was hand-made): it just answers RLC */
    CHECK(hl_ss7_release(&B.s, 24, 16) == 0 && EV(&B, mb, HL_SS7_EV_RELEASE_COMPLETE, 24, 1000) >= 0,
          "%s: REL on a circuit idle at the far side is answered with RLC", vn);
  }
  /* garbage frames straight into B: any length, any bytes */
  srand(7);
  uint8_t g[400];
  for (int k = 0; k < 20000; k++) {
    int n = rand() % 300;
    for (int j = 0; j < n; j++) g[j] = (uint8_t)rand();
    hl_ss7_rx_frame(&B.s, g, n);
    if (k % 50 == 0) step(&A, &B);
  }
  hl_ss7_rx_frame(&B.s, NULL, 10);
  CHECK(hl_ss7_counters(&B.s)->bad_frames > 1000, "%s: garbage counted (%llu bad frames)", vn,
        (unsigned long long)hl_ss7_counters(&B.s)->bad_frames);
  A.nev = B.nev = 0;                /* the garbage may have filled the event logs */
  mb = 0;
  int ma = 0;
  if (!hl_ss7_is_up(&B.s) || !hl_ss7_is_up(&A.s)) {
    EV(&A, ma, HL_SS7_EV_LINK_UP, -1, 30000);
    EV(&B, mb, HL_SS7_EV_LINK_UP, -1, 30000);
  }
  run(&A, &B, 2000);
  CHECK(hl_ss7_is_up(&A.s) && hl_ss7_is_up(&B.s), "%s: link up after the garbage", vn);
  for (int c = 1; c <= 31; c++) if (hl_ss7_cic_state(&B.s, c) != HL_SS7_CIC_IDLE) hl_ss7_reset(&B.s, c);
  run(&A, &B, 500);
  call_up(&B, &A, 9, 1, vn);
  release(&A, &B, 9, 16, vn);
  printf("ok %s: malformed MSUs and %d garbage frames survived\n", vn, 20000);
}

static void variant(const char *vn, uint32_t pca, uint32_t pcb) {
  static hl_ss7_variant_t v;
  v = *hl_ss7_variant_find(vn);
  v.isup_t7_ms = 3000;              /* short call timers for the timer checks */
  v.isup_t9_ms = 4000;
  pair_init(&A, &B, &v, pca, pcb);
  CHECK(hl_ss7_link_state(&A.s) == HL_SS7_LINK_OUT_OF_SERVICE, "%s: starts out of service", vn);
  hl_ss7_start(&A.s);
  hl_ss7_start(&B.s);
  bring_up(vn);
  calls(vn);
  maintenance(vn);
  timers(vn);
  outage(vn);
  malformed(vn);
  /* stop: the far side sees SIOS and goes down */
  int mb = B.nev;
  hl_ss7_stop(&A.s);
  int d = EV(&B, mb, HL_SS7_EV_LINK_DOWN, -1, 3000);
  CHECK(d >= 0, "%s: stop takes the far side down (%s)", vn, d >= 0 ? B.ev[d].text : "-");
  hl_ss7_link_alarm(&B.s, 1);
  CHECK(hl_ss7_link_state(&B.s) == HL_SS7_LINK_OUT_OF_SERVICE, "%s: alarm: out of service", vn);
  hl_ss7_link_alarm(&B.s, 0);
  hl_ss7_start(&A.s);
  mb = B.nev;
  CHECK(EV(&B, mb, HL_SS7_EV_LINK_UP, -1, 30000) >= 0, "%s: up again after stop/alarm", vn);
  printf("ok %s: %llu SUs out, %llu MSUs out, %llu retransmissions, %llu alignments\n", vn,
         (unsigned long long)A.s.cnt.su_out, (unsigned long long)A.s.cnt.msu_out,
         (unsigned long long)A.s.cnt.retransmissions, (unsigned long long)A.s.cnt.align_attempts);
}

/* ISUP T1, T5 and T16: B does not know CIC 25, so our REL there is never
 * answered: it is repeated every T1, replaced by RSC at T5, and the RSC is
 * repeated every T16. */
static void rel_timers(void) {
  static hl_ss7_variant_t v;
  v = *hl_ss7_variant_find("itu");
  v.isup_t5_ms = 40000;
  pair_init(&A, &B, &v, 1, 2);
  hl_ss7_config_t c = B.s.cfg;
  c.cic_count = 20;
  hl_ss7_init(&B.s, &c, &side_io, &B);
  hl_ss7_start(&A.s); hl_ss7_start(&B.s);
  EV(&A, 0, HL_SS7_EV_LINK_UP, -1, 20000);
  EV(&B, 0, HL_SS7_EV_LINK_UP, -1, 20000);
  int mb = B.nev, ma = A.nev;
  CHECK(hl_ss7_call(&A.s, 25, "1", NULL, 0, 0, 0) == 0, "T5: call on a CIC the far side lacks");
  run(&A, &B, 200);
  int u = find_ev(&B, mb, HL_SS7_EV_ERROR, 25);
  CHECK(u >= 0 && !strcmp(B.ev[u].text, "unknown CIC"), "T5: far side reports unknown CIC 25");
  hl_ss7_release(&A.s, 25, 16);
  int e = EV(&A, ma, HL_SS7_EV_ERROR, 25, 45000);
  int rels = 0, rscs = 0;
  for (int i = 0; i < A.nmsu; i++) if (A.msu[i][0] == 0x85 && A.msu[i][7] == HL_ISUP_REL) rels++;
  CHECK(e >= 0 && strstr(A.ev[e].text, "T5"), "T5 expiry reported (%s)", e >= 0 ? A.ev[e].text : "-");
  CHECK(rels == 3, "REL sent at 0, T1 and 2*T1 before T5 (%d)", rels);
  CHECK(hl_ss7_cic_state(&A.s, 25) == HL_SS7_CIC_RESET_PENDING, "T5: circuit reset pending");
  run(&A, &B, v.isup_t16_ms + 100);
  for (int i = 0; i < A.nmsu; i++) if (A.msu[i][0] == 0x85 && A.msu[i][7] == HL_ISUP_RSC) rscs++;
  CHECK(rscs == 2, "RSC repeated after T16 (%d)", rscs);
  printf("ok itu: REL repeated on T1, RSC on T5, repeated on T16\n");
}

int main(int argc, char **argv) {
  A.verbose = B.verbose = argc > 1;
  CHECK(hl_ss7_variant_find("itu") && hl_ss7_variant_find("china") && !hl_ss7_variant_find("x"), "variants");
  variant("itu", 0x1234, 0x0321);
  variant("china", 0x0a0b0c, 0x010203);
  rel_timers();
  T_DONE("ss7");
}
