/* The far end on our own SS7 stack (HL_SIM_FAR_OWN), end to end through the
 * sim board: a second instance of our stack plays the box, reading and
 * writing the span's D-channel through the seam (read_frame / write_frame /
 * get_event) and ticking with the board, as the engine does; the sim's far
 * end (our stack in the exchange role) answers across the simulated line with
 * a real FCS-16. Simulated time, as fast as the CPU goes (no sleeping): China
 * with 24-bit point codes, then ITU.
 *
 * It checks what the far end does and says: alignment both ways; calls each
 * way with numbers, presentation and category seen on the far side; answer
 * delay and the talk generator; busy, unallocated, congestion and ring
 * outcomes; release from either side; GRS, CGB/CGU and BLO/UBL both ways;
 * an IAM on the D-channel's CIC; corrupted frames; a cut in the middle of an
 * answered call (kept on both ends, a call during the cut refused, one after
 * it completing); a span alarm; 30 simultaneous calls each way. */
#include <errno.h>
#include <string.h>
#include <stdlib.h>
#include <math.h>
#include <time.h>
#include "t.h"
#include "hl/sim.h"
#include "hl/ss7.h"
#include "../src/sim/ss7far_own.h"

#define DCH 16                 /* span 1, timeslot 16 */

/* Every check printed, pass or fail (t.h's CHECK prints failures only). */
#define CK(cond, ...) do { int _ok = !!(cond); if (_ok) t_pass++; else t_fail++; \
  printf("%s %s: ", _ok ? "ok" : "not ok", vn); printf(__VA_ARGS__); \
  if (!_ok) { printf("  (%s:%d)", __FILE__, __LINE__); } printf("\n"); } while (0)

static const char *vn = "";
static hl_driver_t drv;
static int64_t now_ms;

/* ---- the far end's events ---- */
#define EV_MAX 8192
static char evs[EV_MAX][HL_EVENT_JSON];
static int nev;
static void on_sim_event(void *user, const char *json) {
  (void)user;
  if (nev < EV_MAX) snprintf(evs[nev++], HL_EVENT_JSON, "%s", json);
  if (getenv("VERBOSE")) printf("  [%7lld] sim: %s\n", (long long)now_ms, json);
}

/* The integer after "key": in a JSON event, or -9999. */
static int evi(const char *j, const char *key) {
  char k[40];
  snprintf(k, sizeof k, "\"%s\":", key);
  const char *p = strstr(j, k);
  return p ? atoi(p + strlen(k)) : -9999;
}
static int is_ev(const char *j, const char *name) {
  char k[64];
  snprintf(k, sizeof k, "\"event\":\"%s\"", name);
  return strstr(j, k) != NULL;
}
/* First event named name at or after from, on cic (unless 0), holding the needles. */
static int sfind(int from, const char *name, int cic, const char *a, const char *b) {
  for (int i = from; i < nev; i++)
    if (is_ev(evs[i], name) && (!cic || evi(evs[i], "cic") == cic) && (!a || strstr(evs[i], a)) &&
        (!b || strstr(evs[i], b)))
      return i;
  return -1;
}
static int scount(int from, const char *name, const char *a) {
  int n = 0;
  for (int i = from; i < nev; i++) if (is_ev(evs[i], name) && (!a || strstr(evs[i], a))) n++;
  return n;
}

/* ---- the box: our stack on the D-channel, through the seam ---- */
static hl_ss7_t box;
#define BEV_MAX 8192
static hl_ss7_event_t bev[BEV_MAX];
static int nbev;
static int dch_badfcs, dch_alarm, dch_noalarm, dch_other, box_tx_refused;

static int box_tx(void *user, const uint8_t *su, int len) {
  uint8_t b[HL_FRAME_MAX];
  if (len + HL_FCS_LEN > HL_FRAME_MAX) return -EINVAL;
  memcpy(b, su, (size_t)len);
  b[len] = b[len + 1] = 0;
  int r = drv.ops->write_frame(drv.state, DCH, b, len + HL_FCS_LEN);
  if (r <= 0) { box_tx_refused++; return r == 0 ? -EAGAIN : r; }
  return len;
}
static void box_event(void *user, const hl_ss7_event_t *e) {
  (void)user;
  if (getenv("VERBOSE"))
    printf("  [%7lld] box: %s cic=%d cause=%d by=%d %s\n", (long long)now_ms, hl_ss7_event_name(e->type), e->cic,
           e->cause, e->by, e->text ? e->text : "");
  if (nbev < BEV_MAX) bev[nbev++] = *e;
}
static const hl_ss7_io_t box_io = { box_tx, box_event };

static int bfind(int from, int type, int cic) {
  for (int i = from; i < nbev; i++) if (bev[i].type == type && (cic < 0 || bev[i].cic == cic)) return i;
  return -1;
}
static int bcount(int from, int type, int by) {
  int n = 0;
  for (int i = from; i < nbev; i++) if (bev[i].type == type && (by < 0 || bev[i].by == by)) n++;
  return n;
}

/* One 20 ms tick, as the engine runs it: the D-channel's events and frames
 * into the box's stack, its timers and output, then the board (and with it
 * the far end). */
static void step(void) {
  const hl_driver_ops_t *o = drv.ops;
  uint8_t buf[HL_FRAME_MAX + 16];
  int n, ev;
  while ((ev = o->get_event(drv.state, DCH)) > 0) {
    if (ev == HL_EV_BADFCS) dch_badfcs++;
    else if (ev == HL_EV_ALARM) { dch_alarm++; hl_ss7_link_alarm(&box, 1); }
    else if (ev == HL_EV_NOALARM) { dch_noalarm++; hl_ss7_link_alarm(&box, 0); }
    else dch_other++;
  }
  while ((n = o->read_frame(drv.state, DCH, buf, sizeof buf)) > 0) hl_ss7_rx_frame(&box, buf, n - HL_FCS_LEN);
  now_ms += 20;
  hl_ss7_tick(&box, now_ms);
  o->tick(drv.state, now_ms);
}

#define WAIT(cond, ms) ({ int64_t _s = now_ms; while (!(cond) && now_ms - _s < (ms)) step(); (cond) ? (int)(now_ms - _s) : -1; })

static int cmd(int op, int chan, int i1, int i2, int i3, const char *s1, const char *s2) {
  hl_cmd_t c;
  memset(&c, 0, sizeof c);
  c.op = op; c.chan = chan; c.i1 = i1; c.i2 = i2; c.i3 = i3;
  if (s1) snprintf(c.s1, sizeof c.s1, "%s", s1);
  if (s2) snprintf(c.s2, sizeof c.s2, "%s", s2);
  char err[200] = "";
  int r = hl_sim_command(&drv, &c, err, sizeof err);
  if (r && getenv("VERBOSE")) printf("  command %d on %d: %s\n", op, chan, err);
  return r;
}

static int ss7cmd(int action, int i2, int i3, const char *s1) {
  hl_cmd_t c;
  memset(&c, 0, sizeof c);
  c.chan = DCH; c.i1 = action; c.i2 = i2; c.i3 = i3;
  if (s1) snprintf(c.s1, sizeof c.s1, "%s", s1);
  char err[200] = "";
  int r = hl_sim_ss7_command(&drv, &c, err, sizeof err);
  if (r && getenv("VERBOSE")) printf("  ss7 action %d: %s\n", action, err);
  return r;
}

static double block_rms(int chan) {
  uint8_t b[HL_BLOCK];
  if (drv.ops->read_audio(drv.state, chan, b, HL_BLOCK) != HL_BLOCK) return -1;
  double e = 0;
  for (int i = 0; i < HL_BLOCK; i++) { double v = alaw_to_linear(b[i]); e += v * v; }
  return sqrt(e / HL_BLOCK);
}

static sim_ss7_t *span1(void) { return ((sim_t *)drv.state)->ss7[0]; }
static int far_st(int cic) { return span1()->cic[cic].st; }     /* CIC = timeslot here */
static int both_up(void) { return hl_ss7_is_up(&box) && span1()->link_up; }

/* ---- scenarios ---- */

static void link_up(void) {
  int t = WAIT(bfind(0, HL_SS7_EV_LINK_UP, -1) >= 0 && sfind(0, "SimSs7LinkUp", 0, NULL, NULL) >= 0, 20000);
  CK(t >= 0, "link up at both ends (box %d, far end %d) after %d ms of sim time", hl_ss7_is_up(&box),
     sfind(0, "SimSs7LinkUp", 0, NULL, NULL) >= 0, t);
  CK(sfind(0, "SimSs7LinkUp", 0, "\"chan\":16", "\"span\":1") >= 0, "SimSs7LinkUp on the D-channel of span 1");
}

/* The box calls on cic; the far end answers (per its outcome); returns 0 when answered. */
static int box_call_up(int cic, const char *called, int ms) {
  int mb = nbev;
  int r = hl_ss7_call(&box, cic, called, "13900001111", HL_SS7_NAI_NATIONAL, 0, HL_SS7_CAT_ORDINARY);
  if (r) return r;
  return WAIT(bfind(mb, HL_SS7_EV_ANSWERED, cic) >= 0, ms) >= 0 ? 0 : -1;
}

static int box_release(int cic, int cause) {
  int mb = nbev, ms = nev;
  if (hl_ss7_release(&box, cic, cause)) return -1;
  return WAIT(bfind(mb, HL_SS7_EV_RELEASE_COMPLETE, cic) >= 0 && sfind(ms, "SimLineIdle", cic, NULL, NULL) >= 0,
              3000) >= 0 ? 0 : -1;
}

static void calls_box_to_far(void) {
  /* Answered after 300 ms; the far end's talk generator on the bearer. */
  cmd(HL_OP_SIM_OUTCOME, 1, OUT_ANSWER, 300, 0, NULL, NULL);
  CK(cmd(HL_OP_SIM_TALK, 1, 1000, 0, 0, NULL, NULL) == 0, "talk 1000 Hz on bearer 1");
  int ms = nev, mb = nbev;
  CK(hl_ss7_call(&box, 1, "88001234", "13900001111", HL_SS7_NAI_NATIONAL, 0, HL_SS7_CAT_ORDINARY) == 0,
     "box sends IAM on CIC 1");
  int t = WAIT(bfind(mb, HL_SS7_EV_ANSWERED, 1) >= 0, 3000);
  int i = sfind(ms, "SimCallReceived", 1, "\"called\":\"88001234\"", "\"calling\":\"13900001111\"");
  CK(i >= 0, "SimCallReceived with called and calling: %s", i >= 0 ? evs[i] : "none");
  CK(i >= 0 && evi(evs[i], "chan") == 1 && evi(evs[i], "presentation") == 0 && evi(evs[i], "nai") == 3 &&
     evi(evs[i], "category") == 10, "on channel 1, presentation 0, nai 3 (national), category 10");
  int a = bfind(mb, HL_SS7_EV_ALERTING, 1), n = bfind(mb, HL_SS7_EV_ANSWERED, 1);
  CK(a >= 0 && t >= 0, "box got ACM then ANM (alerting %d, answered after %d ms)", a >= 0, t);
  CK(t >= 300 && t <= 400, "the far end answered after its 300 ms delay (%d ms)", t);
  CK(n >= 0 && sfind(ms, "SimLineAnswered", 1, "\"by\":\"far\"", NULL) >= 0 && far_st(1) == XC_IN_UP,
     "SimLineAnswered by far; the far end's circuit is up");
  WAIT(0, 100);
  double rms = block_rms(1);
  CK(rms > 500, "the far end's talk tone is heard on bearer 1 (rms %.0f)", rms);
  ms = nev; mb = nbev;
  CK(hl_ss7_release(&box, 1, 16) == 0, "box releases CIC 1");
  t = WAIT(bfind(mb, HL_SS7_EV_RELEASE_COMPLETE, 1) >= 0, 2000);
  CK(t >= 0, "box's REL answered by RLC (%d ms)", t);
  i = sfind(ms, "SimLineReleased", 1, "\"by\":\"near\"", NULL);
  CK(i >= 0 && evi(evs[i], "cause") == 16, "SimLineReleased by near, cause 16");
  CK(sfind(ms, "SimLineIdle", 1, NULL, NULL) > i && far_st(1) == XC_IDLE, "then SimLineIdle; far end idle");
  WAIT(0, 40);
  rms = block_rms(1);
  CK(rms >= 0 && rms < 50, "silence on bearer 1 after the release (rms %.0f)", rms);

  /* Restricted presentation, another category; the far end releases (cause 31). */
  cmd(HL_OP_SIM_OUTCOME, 4, OUT_ANSWER, 0, 0, NULL, NULL);
  ms = nev; mb = nbev;
  CK(hl_ss7_call(&box, 4, "5550004", "13700000004", HL_SS7_NAI_NATIONAL, 1, HL_SS7_CAT_PAYPHONE) == 0, "IAM on CIC 4");
  t = WAIT(bfind(mb, HL_SS7_EV_ANSWERED, 4) >= 0, 2000);
  i = sfind(ms, "SimCallReceived", 4, NULL, NULL);
  CK(i >= 0 && evi(evs[i], "presentation") == 1 && evi(evs[i], "category") == 15 && strstr(evs[i], "\"calling\":\"13700000004\""),
     "restricted presentation and payphone category seen on the far side: %s", i >= 0 ? evs[i] : "none");
  CK(t >= 0, "answered at once with delay 0 (%d ms)", t);
  CK(cmd(HL_OP_SIM_HANGUP, 4, 0, 31, 0, NULL, NULL) == 0, "sim hangup on CIC 4, cause 31");
  i = sfind(ms, "SimLineReleased", 4, "\"by\":\"far\"", NULL);
  CK(i >= 0 && evi(evs[i], "cause") == 31, "SimLineReleased by far, cause 31");
  int f = bfind(mb, HL_SS7_EV_FAR_RELEASED, 4);
  t = WAIT((f = bfind(mb, HL_SS7_EV_FAR_RELEASED, 4)) >= 0 && sfind(ms, "SimLineIdle", 4, NULL, NULL) >= 0, 2000);
  CK(t >= 0 && bev[f].cause == 31, "box sees REL cause %d; SimLineIdle after its RLC", f >= 0 ? bev[f].cause : -1);

  /* No calling number: null, presentation 2. */
  ms = nev; mb = nbev;
  hl_ss7_call(&box, 5, "1234", NULL, 0, 0, 0);
  WAIT(sfind(ms, "SimCallReceived", 5, NULL, NULL) >= 0, 1000);
  i = sfind(ms, "SimCallReceived", 5, "\"calling\":null", NULL);
  CK(i >= 0 && evi(evs[i], "presentation") == 2, "no calling number: calling null, presentation 2");
  CK(box_release(5, 16) == 0, "released by the box before the answer");
}

static void calls_far_to_box(void) {
  int ms = nev, mb = nbev;
  CK(cmd(HL_OP_SIM_CALL, 2, 0, 1, 0, "5551000", "13800138000") == 0, "sim call on channel 2 (presentation restricted)");
  int t = WAIT(bfind(mb, HL_SS7_EV_CALL_OFFERED, 2) >= 0, 2000);
  int i = bfind(mb, HL_SS7_EV_CALL_OFFERED, 2);
  CK(t >= 0 && !strcmp(bev[i].called, "5551000") && !strcmp(bev[i].calling, "13800138000"),
     "box offered CIC 2: called '%s' calling '%s'", i >= 0 ? bev[i].called : "", i >= 0 ? bev[i].calling : "");
  CK(i >= 0 && bev[i].presentation == 1 && bev[i].category == HL_SS7_CAT_ORDINARY && bev[i].nai == HL_SS7_NAI_NATIONAL,
     "presentation restricted, ordinary category, national NAI (%d, %d, %d)", i >= 0 ? bev[i].presentation : -1,
     i >= 0 ? bev[i].category : -1, i >= 0 ? bev[i].nai : -1);
  CK(far_st(2) == XC_OUT, "far end's circuit is outgoing");
  hl_ss7_alert(&box, 2);
  t = WAIT(sfind(ms, "SimCallAccepted", 2, NULL, NULL) >= 0, 1000);
  CK(t >= 0 && far_st(2) == XC_OUT_ALERT, "SimCallAccepted at the box's ACM");
  hl_ss7_answer(&box, 2);
  t = WAIT(sfind(ms, "SimLineAnswered", 2, "\"by\":\"near\"", NULL) >= 0, 1000);
  CK(t >= 0 && far_st(2) == XC_OUT_UP, "SimLineAnswered by near at the box's ANM");
  CK(cmd(HL_OP_SIM_HANGUP, 2, 0, 0, 0, NULL, NULL) == 0, "sim hangup on channel 2");
  t = WAIT(bfind(mb, HL_SS7_EV_FAR_RELEASED, 2) >= 0 && sfind(ms, "SimLineIdle", 2, NULL, NULL) >= 0, 2000);
  i = bfind(mb, HL_SS7_EV_FAR_RELEASED, 2);
  CK(t >= 0 && bev[i].cause == 16, "box got REL cause 16 (default), SimLineIdle after its RLC");
  CK(hl_ss7_cic_state(&box, 2) == HL_SS7_CIC_IDLE && far_st(2) == XC_IDLE, "CIC 2 idle at both ends");

  /* Category and presentation "not available"; answered without ACM (CON); the box releases. */
  ms = nev; mb = nbev;
  CK(cmd(HL_OP_SIM_CALL, 3, HL_SS7_CAT_TEST, 2, 0, "5551001", "13800138001") == 0, "sim call on channel 3 (number not available)");
  WAIT(bfind(mb, HL_SS7_EV_CALL_OFFERED, 3) >= 0, 2000);
  i = bfind(mb, HL_SS7_EV_CALL_OFFERED, 3);
  CK(i >= 0 && bev[i].calling[0] == 0 && bev[i].presentation == 2 && bev[i].category == HL_SS7_CAT_TEST,
     "box offered CIC 3 with no calling number, presentation 2, test category");
  hl_ss7_answer(&box, 3);
  t = WAIT(sfind(ms, "SimLineAnswered", 3, "\"by\":\"near\"", NULL) >= 0, 1000);
  CK(t >= 0 && sfind(ms, "SimCallAccepted", 3, NULL, NULL) < 0, "answered by CON: SimLineAnswered, no SimCallAccepted");
  CK(box_release(3, 16) == 0, "box releases CIC 3");
  i = sfind(ms, "SimLineReleased", 3, "\"by\":\"near\"", NULL);
  CK(i >= 0 && evi(evs[i], "cause") == 16, "SimLineReleased by near, cause 16");

  /* Refusals on the far end's side. */
  CK(cmd(HL_OP_SIM_CALL, 16, 0, 0, 0, "1", "") != 0, "no sim call on the D-channel");
  CK(cmd(HL_OP_SIM_CALL, 3, 0, 0, 0, "12a", "") == -EINVAL, "bad digits refused");
  CK(cmd(HL_OP_SIM_ANSWER, 3, 0, 0, 0, NULL, NULL) == -EINVAL, "answer with no call refused");
  CK(cmd(HL_OP_SIM_HANGUP, 3, 0, 0, 0, NULL, NULL) == -EINVAL, "hangup with no call refused");
}

static void outcomes(void) {
  int ms = nev, mb = nbev;
  CK(ss7cmd(HL_SIM_SS7_RULE, OUT_BUSY, 0, "666") == 0 && ss7cmd(HL_SIM_SS7_RULE, OUT_UNALLOCATED, 0, "999") == 0,
     "rules: 666 busy, 999 unallocated");
  hl_ss7_call(&box, 6, "666123", "1", 0, 0, 0);
  hl_ss7_call(&box, 7, "999000", "1", 0, 0, 0);
  cmd(HL_OP_SIM_OUTCOME, 8, OUT_CONGESTION, 0, 0, NULL, NULL);
  hl_ss7_call(&box, 8, "12345", "1", 0, 0, 0);
  WAIT(bfind(mb, HL_SS7_EV_CALL_FAILED, 6) >= 0 && bfind(mb, HL_SS7_EV_CALL_FAILED, 7) >= 0 &&
       bfind(mb, HL_SS7_EV_CALL_FAILED, 8) >= 0 && scount(ms, "SimLineIdle", NULL) >= 3, 2000);
  int a = bfind(mb, HL_SS7_EV_CALL_FAILED, 6), b = bfind(mb, HL_SS7_EV_CALL_FAILED, 7), c = bfind(mb, HL_SS7_EV_CALL_FAILED, 8);
  CK(a >= 0 && bev[a].cause == 17, "busy rule: box got REL cause 17 (%d)", a >= 0 ? bev[a].cause : -1);
  CK(b >= 0 && bev[b].cause == 1, "unallocated rule: box got REL cause 1 (%d)", b >= 0 ? bev[b].cause : -1);
  CK(c >= 0 && bev[c].cause == 34, "congestion outcome: box got REL cause 34 (%d)", c >= 0 ? bev[c].cause : -1);
  int i = sfind(ms, "SimCallRejected", 6, "\"reason\":\"busy\"", NULL);
  CK(i >= 0 && evi(evs[i], "cause") == 17, "SimCallRejected busy, cause 17");
  CK(sfind(ms, "SimCallRejected", 7, "\"reason\":\"unallocated\"", "\"cause\":1") >= 0, "SimCallRejected unallocated, cause 1");
  CK(sfind(ms, "SimCallRejected", 8, "\"reason\":\"congestion\"", "\"cause\":34") >= 0, "SimCallRejected congestion, cause 34");
  CK(sfind(ms, "SimLineIdle", 6, NULL, NULL) >= 0 && sfind(ms, "SimLineIdle", 7, NULL, NULL) >= 0 &&
     sfind(ms, "SimLineIdle", 8, NULL, NULL) >= 0, "SimLineIdle on CICs 6, 7, 8 after the box's RLC");
  CK(ss7cmd(HL_SIM_SS7_RULE, 0, 0, "") == 0, "rules cleared");
  cmd(HL_OP_SIM_OUTCOME, 8, OUT_ANSWER, 0, 0, NULL, NULL);

  /* Ring: ACM only, until sim answer. */
  cmd(HL_OP_SIM_OUTCOME, 9, OUT_RING, 0, 0, NULL, NULL);
  ms = nev; mb = nbev;
  hl_ss7_call(&box, 9, "5559", "1", 0, 0, 0);
  WAIT(0, 3000);
  CK(bfind(mb, HL_SS7_EV_ALERTING, 9) >= 0 && bfind(mb, HL_SS7_EV_ANSWERED, 9) < 0 && far_st(9) == XC_IN_ALERT,
     "ring outcome: box alerted, not answered after 3 s");
  CK(cmd(HL_OP_SIM_ANSWER, 9, 0, 0, 0, NULL, NULL) == 0, "sim answer on channel 9");
  int t = WAIT(bfind(mb, HL_SS7_EV_ANSWERED, 9) >= 0, 1000);
  CK(t >= 0 && sfind(ms, "SimLineAnswered", 9, "\"by\":\"far\"", NULL) >= 0, "box answered; SimLineAnswered by far");
  CK(box_release(9, 16) == 0, "released");

  /* The far end gives up on a ringing call: the box's call fails with the cause. */
  ms = nev; mb = nbev;
  hl_ss7_call(&box, 9, "5559", "1", 0, 0, 0);
  WAIT(bfind(mb, HL_SS7_EV_ALERTING, 9) >= 0, 1000);
  CK(cmd(HL_OP_SIM_HANGUP, 9, 0, 18, 0, NULL, NULL) == 0, "sim hangup on the ringing CIC 9, cause 18");
  t = WAIT(bfind(mb, HL_SS7_EV_CALL_FAILED, 9) >= 0 && sfind(ms, "SimLineIdle", 9, NULL, NULL) >= 0, 1000);
  i = bfind(mb, HL_SS7_EV_CALL_FAILED, 9);
  CK(t >= 0 && bev[i].cause == 18 && sfind(ms, "SimLineReleased", 9, "\"by\":\"far\"", "\"cause\":18") >= 0,
     "box's call failed with cause 18; SimLineReleased by far, then SimLineIdle");
  cmd(HL_OP_SIM_OUTCOME, 9, OUT_ANSWER, 0, 0, NULL, NULL);

  /* The box alerts the far end's call and never answers: the far end's stack
   * gives up after T9 (120 s of sim time) and releases with cause 19. */
  ms = nev; mb = nbev;
  cmd(HL_OP_SIM_CALL, 10, 0, 0, 0, "5010", "2");
  WAIT(bfind(mb, HL_SS7_EV_CALL_OFFERED, 10) >= 0, 1000);
  hl_ss7_alert(&box, 10);
  t = WAIT(sfind(ms, "SimLineIdle", 10, NULL, NULL) >= 0, 125000);
  i = bfind(mb, HL_SS7_EV_FAR_RELEASED, 10);
  CK(t >= 0 && i >= 0 && bev[i].cause == 19 && sfind(ms, "SimLineReleased", 10, "\"by\":\"far\"", "\"cause\":19") >= 0,
     "T9: SimLineReleased by far cause 19, the box released, SimLineIdle (after %d ms)", t);

  /* An IAM on CIC 16 (the D-channel's timeslot): no bearer, refused with 34. */
  ms = nev; mb = nbev;
  hl_ss7_call(&box, 16, "1", NULL, 0, 0, 0);
  WAIT(bfind(mb, HL_SS7_EV_CALL_FAILED, 16) >= 0, 2000);
  i = bfind(mb, HL_SS7_EV_CALL_FAILED, 16);
  CK(i >= 0 && bev[i].cause == 34 && sfind(ms, "SimSs7Error", 16, "no bearer", NULL) >= 0,
     "IAM on CIC 16: SimSs7Error, REL cause 34 (%d)", i >= 0 ? bev[i].cause : -1);
  WAIT(hl_ss7_cic_state(&box, 16) == HL_SS7_CIC_IDLE, 1000);
}

static void maintenance(void) {
  /* GRS from the far end over CICs 1-5 with an answered call on 2. */
  cmd(HL_OP_SIM_CALL, 2, 0, 0, 0, "777", "888");
  WAIT(bfind(nbev > 0 ? nbev - 1 : 0, HL_SS7_EV_CALL_OFFERED, 2) >= 0, 1000);
  hl_ss7_answer(&box, 2);
  WAIT(far_st(2) == XC_OUT_UP, 1000);
  int ms = nev, mb = nbev;
  CK(ss7cmd(HL_SIM_SS7_GRS, 1, 5, NULL) == 0, "far end resets CICs 1-5");
  int t = WAIT(sfind(ms, "SimCircuitReset", 1, "\"by\":\"far\"", NULL) >= 0, 2000);
  int i = sfind(ms, "SimCircuitReset", 1, "\"by\":\"far\"", NULL);
  CK(t >= 0 && evi(evs[i], "last") == 5, "SimCircuitReset {cic 1, last 5, by far} at the GRA");
  CK(bcount(mb, HL_SS7_EV_RESET, HL_SS7_BLK_REMOTE) == 5, "box reset 5 circuits (%d)", bcount(mb, HL_SS7_EV_RESET, HL_SS7_BLK_REMOTE));
  CK(sfind(ms, "SimLineIdle", 2, "\"reason\":\"reset\"", NULL) >= 0 && far_st(2) == XC_IDLE &&
     hl_ss7_cic_state(&box, 2) == HL_SS7_CIC_IDLE, "the call on CIC 2 is gone at both ends");
  CK(ss7cmd(HL_SIM_SS7_GRS, 1, 1, NULL) == -EINVAL && ss7cmd(HL_SIM_SS7_GRS, 20, 20, NULL) == -EINVAL,
     "groups of 1 or beyond the span refused");

  /* GRS from the box over 6-9, with an answered call on 6. */
  CK(box_call_up(6, "1006", 3000) == 0, "call on CIC 6 answered");
  ms = nev; mb = nbev;
  CK(hl_ss7_group_reset(&box, 6, 4) == 0, "box resets CICs 6-9");
  t = WAIT(bcount(mb, HL_SS7_EV_RESET, HL_SS7_BLK_LOCAL) == 4, 2000);
  i = sfind(ms, "SimCircuitReset", 6, "\"by\":\"near\"", NULL);
  CK(t >= 0 && i >= 0 && evi(evs[i], "last") == 9, "SimCircuitReset {cic 6, last 9, by near}; box got its GRA");
  CK(sfind(ms, "SimLineIdle", 6, "\"reason\":\"reset\"", NULL) >= 0 && far_st(6) == XC_IDLE, "the far end's call on 6 is gone");

  /* CGB/CGU from the far end. */
  ms = nev; mb = nbev;
  CK(ss7cmd(HL_SIM_SS7_CGB, 10, 3, NULL) == 0, "far end blocks CICs 10-12");
  t = WAIT(sfind(ms, "SimCircuitBlocked", 10, "\"by\":\"far\"", NULL) >= 0, 2000);
  i = sfind(ms, "SimCircuitBlocked", 10, "\"by\":\"far\"", NULL);
  CK(t >= 0 && evi(evs[i], "last") == 12, "SimCircuitBlocked {cic 10, last 12, by far} at the CGBA");
  CK(bcount(mb, HL_SS7_EV_BLOCKED, HL_SS7_BLK_REMOTE) == 3 && hl_ss7_cic_blocked(&box, 11) == HL_SS7_BLK_REMOTE,
     "box holds 10-12 blocked by the far side");
  CK(hl_ss7_call(&box, 11, "1", NULL, 0, 0, 0) == -EACCES && cmd(HL_OP_SIM_CALL, 11, 0, 0, 0, "1", "") == -EACCES,
     "no call on a blocked circuit either way");
  CK(ss7cmd(HL_SIM_SS7_CGU, 10, 3, NULL) == 0, "far end unblocks them");
  t = WAIT(sfind(ms, "SimCircuitUnblocked", 10, "\"by\":\"far\"", "\"last\":12") >= 0, 2000);
  CK(t >= 0 && hl_ss7_cic_blocked(&box, 11) == 0, "SimCircuitUnblocked {10..12 by far}; box unblocked");

  /* CGB/CGU from the box. */
  ms = nev;
  CK(hl_ss7_group_block(&box, 13, 3) == 0, "box blocks CICs 13-15");
  t = WAIT(sfind(ms, "SimCircuitBlocked", 13, "\"by\":\"near\"", "\"last\":15") >= 0, 2000);
  CK(t >= 0 && span1()->cic[14].blk_near, "SimCircuitBlocked {13..15 by near}");
  CK(cmd(HL_OP_SIM_CALL, 14, 0, 0, 0, "1", "") == -EACCES, "the far end cannot call on a circuit the box blocked");
  mb = nbev;
  hl_ss7_group_unblock(&box, 13, 3);
  t = WAIT(sfind(ms, "SimCircuitUnblocked", 13, "\"by\":\"near\"", "\"last\":15") >= 0 &&
           bcount(mb, HL_SS7_EV_UNBLOCKED, HL_SS7_BLK_LOCAL) == 3, 2000);
  CK(t >= 0 && !span1()->cic[14].blk_near && hl_ss7_cic_blocked(&box, 14) == 0, "SimCircuitUnblocked {13..15 by near}");

  /* BLO/UBL from the box. */
  ms = nev; mb = nbev;
  CK(hl_ss7_block(&box, 17) == 0, "box sends BLO on 17");
  t = WAIT(bfind(mb, HL_SS7_EV_BLOCKED, 17) >= 0, 2000);
  i = sfind(ms, "SimCircuitBlocked", 17, "\"by\":\"near\"", NULL);
  CK(t >= 0 && i >= 0 && evi(evs[i], "chan") == 17 && evi(evs[i], "last") == -9999, "SimCircuitBlocked {cic 17, chan 17, by near}; BLA");
  hl_ss7_unblock(&box, 17);
  t = WAIT(bfind(mb, HL_SS7_EV_UNBLOCKED, 17) >= 0, 2000);
  CK(t >= 0 && sfind(ms, "SimCircuitUnblocked", 17, "\"by\":\"near\"", NULL) >= 0, "UBL: SimCircuitUnblocked by near; UBA");

  /* BLO/UBL from the far end. */
  ms = nev; mb = nbev;
  CK(cmd(HL_OP_SIM_BLOCK, 18, 1, 0, 0, NULL, NULL) == 0, "far end sends BLO on 18");
  t = WAIT(sfind(ms, "SimCircuitBlocked", 18, "\"by\":\"far\"", NULL) >= 0, 2000);
  CK(t >= 0 && hl_ss7_cic_blocked(&box, 18) == HL_SS7_BLK_REMOTE, "box blocked 18 remotely; SimCircuitBlocked by far at the BLA");
  CK(hl_ss7_call(&box, 18, "1", NULL, 0, 0, 0) == -EACCES, "box cannot call on 18");
  CK(cmd(HL_OP_SIM_BLOCK, 18, 1, 0, 0, NULL, NULL) == -EALREADY, "BLO twice refused");
  CK(cmd(HL_OP_SIM_BLOCK, 18, 0, 0, 0, NULL, NULL) == 0, "far end sends UBL on 18");
  t = WAIT(sfind(ms, "SimCircuitUnblocked", 18, "\"by\":\"far\"", NULL) >= 0, 2000);
  CK(t >= 0 && hl_ss7_cic_blocked(&box, 18) == 0, "SimCircuitUnblocked by far at the UBA; box unblocked");

  /* RSC from the box on an answered call. */
  CK(box_call_up(19, "1019", 3000) == 0, "call on CIC 19 answered");
  ms = nev;
  hl_ss7_reset(&box, 19);
  t = WAIT(hl_ss7_cic_state(&box, 19) == HL_SS7_CIC_IDLE, 2000);
  CK(t >= 0 && sfind(ms, "SimCircuitReset", 19, "\"by\":\"near\"", NULL) >= 0 && far_st(19) == XC_IDLE,
     "RSC: SimCircuitReset by near, the far end's call is gone");
}

static void corruption(void) {
  hl_sim_ss7_stats_t st0, st1;
  hl_sim_ss7_stats(&drv, 1, &st0);
  int bad0 = dch_badfcs;
  hl_ss7_t *far = own_of(span1())->s;
  uint64_t rtx0 = box.cnt.retransmissions + far->cnt.retransmissions;
  int64_t t0 = now_ms;
  int ms = nev, mb = nbev, r = 0;
  CK(ss7cmd(HL_SIM_SS7_CORRUPT, 200, 0, NULL) == 0, "corrupt 20 %% of frames both ways for 3 s");
  /* Calls each way while the line is that bad: MTP2 recovers what is lost. */
  for (int c = 24; c <= 26; c++) {
    cmd(HL_OP_SIM_OUTCOME, c, OUT_ANSWER, 0, 0, NULL, NULL);
    r |= hl_ss7_call(&box, c, "1024", "1", 0, 0, 0);
    r |= cmd(HL_OP_SIM_CALL, c + 3, 0, 0, 0, "1027", "2");
  }
  CK(r == 0, "calls on CICs 24-26 (from the box) and 27-29 (from the far end) during the errors");
  int t = WAIT(bcount(mb, HL_SS7_EV_CALL_OFFERED, -1) == 3, 2500);
  for (int c = 27; c <= 29; c++) hl_ss7_answer(&box, c);
  t = WAIT(bcount(mb, HL_SS7_EV_ANSWERED, -1) == 3 && scount(ms, "SimLineAnswered", "\"by\":\"near\"") == 3, 2500);
  CK(t >= 0 && now_ms - t0 < 3000, "all six answered while frames were being corrupted (at %lld ms)", (long long)(now_ms - t0));
  WAIT(0, 3000 - (now_ms - t0));
  ss7cmd(HL_SIM_SS7_CORRUPT, 0, 0, NULL);
  step();                           /* the last BADFCS events reach the box */
  hl_sim_ss7_stats(&drv, 1, &st1);
  uint64_t rtx = box.cnt.retransmissions + far->cnt.retransmissions - rtx0;
  CK(rtx > 0, "MTP2 retransmitted what the line lost (box %llu, far end %llu in all)",
     (unsigned long long)box.cnt.retransmissions, (unsigned long long)far->cnt.retransmissions);
  int badbox = dch_badfcs - bad0;
  CK(badbox > 10 && (uint64_t)badbox == st1.box_badfcs - st0.box_badfcs,
     "corrupted frames reach the box as BADFCS events (%d)", badbox);
  CK(st1.far_badfcs > st0.far_badfcs, "the far end's board dropped corrupted frames too (%llu)",
     (unsigned long long)(st1.far_badfcs - st0.far_badfcs));
  CK(st1.corrupted - st0.corrupted == (st1.box_badfcs - st0.box_badfcs) + (st1.far_badfcs - st0.far_badfcs),
     "each corrupted frame failed its FCS check (%llu)", (unsigned long long)(st1.corrupted - st0.corrupted));
  t = WAIT(both_up(), 20000);
  CK(t >= 0, "link up at both ends after the errors (%d ms)", t);
  ms = nev; mb = nbev;
  for (int c = 24; c <= 26; c++) hl_ss7_release(&box, c, 16);
  for (int c = 27; c <= 29; c++) cmd(HL_OP_SIM_HANGUP, c, 0, 0, 0, NULL, NULL);
  t = WAIT(bcount(mb, HL_SS7_EV_RELEASE_COMPLETE, -1) == 3 && bcount(mb, HL_SS7_EV_FAR_RELEASED, -1) == 3 &&
           scount(ms, "SimLineIdle", NULL) == 6, 2000);
  CK(t >= 0, "all six released, three from each side");
  CK(box_call_up(22, "1022", 3000) == 0 && box_release(22, 16) == 0, "a call after the errors completes");
}

static void cut_mid_call(void) {
  CK(box_call_up(20, "1020", 3000) == 0, "call on CIC 20 answered");
  int ms = nev, mb = nbev;
  int64_t cut_at = now_ms;
  CK(ss7cmd(HL_SIM_SS7_CUT, 3000, 0, NULL) == 0, "cut the line for 3 s");
  int t = WAIT(bfind(mb, HL_SS7_EV_LINK_DOWN, -1) >= 0 && sfind(ms, "SimSs7LinkDown", 0, NULL, NULL) >= 0, 2500);
  CK(t >= 0, "both ends see the link fail (%d ms): %s", t, sfind(ms, "SimSs7LinkDown", 0, NULL, NULL) >= 0 ?
     evs[sfind(ms, "SimSs7LinkDown", 0, NULL, NULL)] : "no SimSs7LinkDown");
  CK(sfind(ms, "SimSs7LinkCut", 0, "\"ms\":3000", NULL) >= 0, "SimSs7LinkCut {ms 3000}");
  CK(hl_ss7_call(&box, 21, "1021", NULL, 0, 0, 0) == -ENOLINK, "a call during the cut: -ENOLINK from the box's stack");
  CK(cmd(HL_OP_SIM_CALL, 21, 0, 0, 0, "1", "") == -ENOLINK, "and the far end refuses to call too");
  CK(hl_ss7_cic_state(&box, 20) == HL_SS7_CIC_ANSWERED && far_st(20) == XC_IN_UP, "the answered call holds during the cut");
  t = WAIT(bfind(mb, HL_SS7_EV_LINK_UP, -1) >= 0 && sfind(ms, "SimSs7LinkUp", 0, NULL, NULL) >= 0, 30000);
  CK(t >= 0, "both ends realigned after the cut (%lld ms after it began)", (long long)(now_ms - cut_at));
  CK(hl_ss7_cic_state(&box, 20) == HL_SS7_CIC_ANSWERED && far_st(20) == XC_IN_UP, "the call is still answered at both ends");
  ms = nev;
  CK(box_release(20, 16) == 0 && sfind(ms, "SimLineReleased", 20, "\"cause\":16", NULL) >= 0, "and releases cleanly");
  CK(box_call_up(21, "1021", 3000) == 0 && box_release(21, 16) == 0, "a call after the realignment works");
}

static void span_alarm(void) {
  int ms = nev, mb = nbev;
  hl_sim_ss7_stats_t st0, st1;
  CK(cmd(HL_OP_SIM_ALARM, 0, 1, HL_ALARM_RED, 0, NULL, NULL) == 0, "red alarm on span 1");
  WAIT(0, 60);
  hl_sim_ss7_stats(&drv, 1, &st0);
  WAIT(0, 500);
  hl_sim_ss7_stats(&drv, 1, &st1);
  CK(dch_alarm == 1 && st1.cut_dropped > st0.cut_dropped && bfind(mb, HL_SS7_EV_LINK_DOWN, -1) >= 0,
     "ALARM on the D-channel, frames dropped (%llu), box's link down",
     (unsigned long long)(st1.cut_dropped - st0.cut_dropped));
  CK(sfind(ms, "SimSs7LinkDown", 0, NULL, NULL) >= 0 && !span1()->link_up, "far end's link down in alarm");
  CK(hl_ss7_link_state(&box) == HL_SS7_LINK_OUT_OF_SERVICE && span1()->far_state &&
     hl_ss7_link_state(own_of(span1())->s) == HL_SS7_LINK_OUT_OF_SERVICE,
     "both stacks out of service while red");
  cmd(HL_OP_SIM_ALARM, 0, 1, 0, 0, NULL, NULL);
  int t = WAIT(bfind(mb, HL_SS7_EV_LINK_UP, -1) >= 0 && sfind(ms, "SimSs7LinkUp", 0, NULL, NULL) >= 0, 30000);
  CK(dch_noalarm == 1 && t >= 0, "NOALARM and the link back up at both ends (%d ms)", t);
  CK(box_call_up(23, "1023", 3000) == 0 && box_release(23, 16) == 0, "a call after the alarm completes");
}

static const int bearers[30] = { 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15,
                                 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31 };

static void thirty(void) {
  int ms = nev, mb = nbev, r = 0;
  for (int i = 0; i < 30; i++) cmd(HL_OP_SIM_OUTCOME, bearers[i], OUT_ANSWER, 500, 0, NULL, NULL);
  char num[16];
  for (int i = 0; i < 30; i++) {
    snprintf(num, sizeof num, "2000%02d", bearers[i]);
    r |= hl_ss7_call(&box, bearers[i], num, "13900000000", HL_SS7_NAI_NATIONAL, 0, 0);
  }
  CK(r == 0, "box sends 30 IAMs at once");
  int t = WAIT(bcount(mb, HL_SS7_EV_ANSWERED, -1) == 30, 5000);
  CK(t >= 0 && scount(ms, "SimCallReceived", NULL) == 30 && scount(ms, "SimLineAnswered", "\"by\":\"far\"") == 30,
     "30 calls box -> far received and answered (%d ms; %d received, %d answered)", t, scount(ms, "SimCallReceived", NULL),
     bcount(mb, HL_SS7_EV_ANSWERED, -1));
  int up = 0;
  for (int i = 0; i < 30; i++) up += far_st(bearers[i]) == XC_IN_UP && hl_ss7_cic_state(&box, bearers[i]) == HL_SS7_CIC_ANSWERED;
  CK(up == 30, "30 circuits up at both ends (%d)", up);
  ms = nev; mb = nbev;
  for (int i = 0; i < 30; i++) hl_ss7_release(&box, bearers[i], 16);
  t = WAIT(bcount(mb, HL_SS7_EV_RELEASE_COMPLETE, -1) == 30 && scount(ms, "SimLineIdle", NULL) == 30, 5000);
  CK(t >= 0 && scount(ms, "SimLineReleased", "\"by\":\"near\"") == 30, "30 released by the box, 30 SimLineIdle (%d ms)", t);

  ms = nev; mb = nbev; r = 0;
  for (int i = 0; i < 30; i++) {
    snprintf(num, sizeof num, "3000%02d", bearers[i]);
    r |= cmd(HL_OP_SIM_CALL, bearers[i], 0, 0, 0, num, "13811112222");
  }
  CK(r == 0, "far end sends 30 IAMs at once");
  t = WAIT(bcount(mb, HL_SS7_EV_CALL_OFFERED, -1) == 30, 5000);
  CK(t >= 0, "box offered 30 calls (%d ms)", t);
  for (int i = 0; i < 30; i++) { hl_ss7_alert(&box, bearers[i]); hl_ss7_answer(&box, bearers[i]); }
  t = WAIT(scount(ms, "SimLineAnswered", "\"by\":\"near\"") == 30, 5000);
  CK(t >= 0 && scount(ms, "SimCallAccepted", NULL) == 30, "30 SimCallAccepted, 30 SimLineAnswered by near (%d ms)", t);
  up = 0;
  for (int i = 0; i < 30; i++) up += far_st(bearers[i]) == XC_OUT_UP && hl_ss7_cic_state(&box, bearers[i]) == HL_SS7_CIC_ANSWERED;
  CK(up == 30, "30 circuits up at both ends (%d)", up);
  ms = nev; mb = nbev; r = 0;
  for (int i = 0; i < 30; i++) r |= cmd(HL_OP_SIM_HANGUP, bearers[i], 0, 16, 0, NULL, NULL);
  t = WAIT(bcount(mb, HL_SS7_EV_FAR_RELEASED, -1) == 30 && scount(ms, "SimLineIdle", NULL) == 30, 5000);
  CK(r == 0 && t >= 0, "30 released by the far end, 30 SimLineIdle (%d ms)", t);
  int idle = 0;
  for (int c = 1; c <= 31; c++) idle += hl_ss7_cic_state(&box, c) == HL_SS7_CIC_IDLE && far_st(c) == XC_IDLE;
  CK(idle == 31, "every circuit idle at both ends (%d)", idle);
}

static void run_variant(const char *name, uint32_t box_pc, uint32_t far_pc) {
  char err[300] = "";
  vn = name;
  nev = nbev = 0;
  dch_badfcs = dch_alarm = dch_noalarm = dch_other = box_tx_refused = 0;
  now_ms = 0;
  hl_sim_span_def_t spans[] = { { HL_KIND_E1, 31 } };
  if (hl_sim_driver_open(&drv, spans, 1, "cn", HL_LAW_ALAW, err, sizeof err) != 0) { CK(0, "open: %s", err); return; }
  hl_sim_set_emit(&drv, on_sim_event, NULL);
  hl_sim_ss7_conf_t cf;
  hl_sim_ss7_conf_default(&cf);
  cf.far_kind = HL_SIM_FAR_OWN;
  snprintf(cf.variant, sizeof cf.variant, "%s", "x");
  CK(hl_sim_ss7_config(&drv, 1, &cf, err, sizeof err) == -EINVAL, "unknown variant refused: %s", err);
  snprintf(cf.variant, sizeof cf.variant, "%s", name);
  cf.box_pc = 0x1000000;
  cf.far_pc = far_pc;
  CK(hl_sim_ss7_config(&drv, 1, &cf, err, sizeof err) == -EINVAL, "a point code too wide refused: %s", err);
  cf.box_pc = box_pc;
  err[0] = 0;
  CK(hl_sim_ss7_config(&drv, 1, &cf, err, sizeof err) == 0, "far end on our own stack, %s, box %06X far %06X%s%s", name,
     box_pc, far_pc, err[0] ? ": " : "", err);
  CK(hl_sim_check_realtime(&drv, 0.0, err, sizeof err) == 0 && hl_sim_check_realtime(&drv, 50.0, err, sizeof err) == 0,
     "any speed is fine for this far end");
  CK(drv.ops->open(drv.state, DCH) == 0 && drv.ops->open(drv.state, 1) == 0, "open the D-channel and bearer 1");

  hl_ss7_config_t bc;
  hl_ss7_config_default(&bc);
  bc.variant = hl_ss7_variant_find(name);
  bc.opc = box_pc;
  bc.dpc = far_pc;
  bc.ni = HL_SS7_NI_NATIONAL;
  bc.cic_first = 1;
  bc.cic_count = 31;
  if (!hl_ss7_init(&box, &bc, &box_io, NULL)) { CK(0, "box stack init"); return; }
  box.now = now_ms;
  hl_ss7_start(&box);

  link_up();
  calls_box_to_far();
  calls_far_to_box();
  outcomes();
  maintenance();
  corruption();
  cut_mid_call();
  span_alarm();
  thirty();

  int ms = nev;
  ss7cmd(HL_SIM_SS7_STATS, 0, 0, NULL);
  CK(sfind(ms, "SimSs7Stats", 0, "\"linkUp\":true", NULL) >= 0, "SimSs7Stats says the link is up");
  hl_sim_ss7_stats_t st;
  hl_sim_ss7_stats(&drv, 1, &st);
  CK(st.box_overrun == 0 && st.far_tx_full == 0 && box_tx_refused == 0, "no overruns, no refused writes");
  CK(dch_other == 0, "no other D-channel events (%d)", dch_other);
  CK(scount(0, "SimSs7Warning", NULL) == 0, "no real-time warning");
  printf("# %s: %lld ms of sim time; line: to box %llu, to far %llu, box BADFCS %llu, far BADFCS %llu, cut/alarm dropped %llu; "
         "box: %llu MSUs out, %llu retransmissions, %llu alignments; %d sim events\n", name, (long long)now_ms,
         (unsigned long long)st.to_box, (unsigned long long)st.to_far, (unsigned long long)st.box_badfcs,
         (unsigned long long)st.far_badfcs, (unsigned long long)st.cut_dropped, (unsigned long long)box.cnt.msu_out,
         (unsigned long long)box.cnt.retransmissions, (unsigned long long)box.cnt.align_attempts, nev);
  /* Configured again while running: the old stack goes, a new one aligns with the box. */
  ms = nev;
  int mb = nbev;
  CK(hl_sim_ss7_config(&drv, 1, &cf, err, sizeof err) == 0 && !span1()->link_up, "far end configured again%s%s", err[0] ? ": " : "", err);
  int t = WAIT(both_up() && bfind(mb, HL_SS7_EV_LINK_UP, -1) >= 0, 30000);
  CK(t >= 0 && bfind(mb, HL_SS7_EV_LINK_DOWN, -1) >= 0, "the box saw the link fail and realign with the new far end (%d ms)", t);
  CK(box_call_up(1, "1001", 3000) == 0 && box_release(1, 16) == 0, "a call with the new far end completes");
  hl_ss7_deinit(&box);
  drv.ops->close(drv.state, 1);
  drv.ops->close(drv.state, DCH);
  hl_sim_driver_close(&drv);
}

int main(void) {
  struct timespec a, b;
  clock_gettime(CLOCK_MONOTONIC, &a);
  run_variant("china", 0x0A141E, 0x0A141F);
  run_variant("itu", 0x0123, 0x0456);
  clock_gettime(CLOCK_MONOTONIC, &b);
  vn = "all";
  double wall = (double)(b.tv_sec - a.tv_sec) + (b.tv_nsec - a.tv_nsec) / 1e9;
  CK(wall < 10.0, "finished in %.2f s of wall time", wall);
  printf("# sim_ss7_own: %d passed, %d failed\n", t_pass, t_fail);
  return t_fail ? 1 : 0;
}
