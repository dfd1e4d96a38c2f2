/* SS7 spans of the sim board, end to end with no stack of ours: a second
 * libss7 plays the box, reading and writing the span's D-channel through the
 * seam (read_frame / write_frame / get_event) while the sim's far end (libss7
 * too) answers on the other side of a simulated line with a real FCS-16.
 * Real time (libss7 reads the wall clock), about 20 s.
 *
 * It proves the plumbing: the link aligns both ways, calls go each way with
 * the far end's Sim events, the far end resets and blocks, corrupted frames
 * are dropped and counted as BADFCS, a cut makes both ends realign, a span
 * alarm reaches the D-channel and the link comes back after it. */
#define _GNU_SOURCE
#include <errno.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>
#include <math.h>
#include <libss7.h>
#include "t.h"
#include "hl/sim.h"
#include "../src/sim/sim_int.h"

#define DCH 16                 /* span 1, timeslot 16 */
#define BOX_PC 1
#define FAR_PC 2

static hl_driver_t drv;
static int64_t now_ms;
static struct timespec t0;

/* ---- the far end's events ---- */
#define EV_MAX 1024
static char evs[EV_MAX][HL_EVENT_JSON];
static int nev;
static void on_sim_event(void *user, const char *json) {
  (void)user;
  if (nev < EV_MAX) snprintf(evs[nev++], HL_EVENT_JSON, "%s", json);
  if (getenv("VERBOSE")) printf("  sim: %s\n", json);
}
/* Index of the first event at or after `from` holding every needle, or -1. */
static int find_ev(int from, const char *a, const char *b, const char *c) {
  for (int i = from; i < nev; i++)
    if (strstr(evs[i], a) && (!b || strstr(evs[i], b)) && (!c || strstr(evs[i], c))) return i;
  return -1;
}

/* ---- the box: libss7 on a socketpair, pumped through the seam ---- */
static struct ss7 *box;
static int box_lib, box_pump;
static int box_up, box_downs, box_ups;
static int dch_badfcs, dch_alarm, dch_noalarm, dch_other;
static int frames_in, frames_out;
static struct {
  int iam_cic; char iam_called[64], iam_calling[64];
  int acm, anm, rel_cause, rlc, grs_first, grs_last, cgb_first, cgb_last, bla;
} bx;
static struct isup_call *bx_call;       /* the box's current call */

static void box_events(void) {
  ss7_event *e;
  while ((e = ss7_check_event(box))) {
    switch (e->e) {
    case SS7_EVENT_UP: box_up = 1; box_ups++; break;
    case SS7_EVENT_DOWN: if (box_up) box_downs++; box_up = 0; break;
    case MTP2_LINK_DOWN: if (box_up) box_downs++; box_up = 0; break;
    case ISUP_EVENT_IAM:
      bx.iam_cic = e->iam.cic;
      snprintf(bx.iam_called, sizeof bx.iam_called, "%s", e->iam.called_party_num);
      snprintf(bx.iam_calling, sizeof bx.iam_calling, "%s", e->iam.calling_party_num);
      bx_call = e->iam.call;
      break;
    case ISUP_EVENT_ACM: bx.acm++; break;
    case ISUP_EVENT_ANM: case ISUP_EVENT_CON: bx.anm++; break;
    case ISUP_EVENT_REL:
      bx.rel_cause = e->rel.cause;
      isup_rlc(box, e->rel.call);
      isup_free_call(box, e->rel.call);
      if (bx_call == e->rel.call) bx_call = NULL;
      break;
    case ISUP_EVENT_RLC:
      bx.rlc++;
      isup_free_call(box, e->rlc.call);
      if (bx_call == e->rlc.call) bx_call = NULL;
      break;
    case ISUP_EVENT_GRS: {
      unsigned char st[255] = {0};
      bx.grs_first = e->grs.startcic; bx.grs_last = e->grs.endcic;
      isup_gra(box, e->grs.call, e->grs.endcic, st);
      isup_free_call(box, e->grs.call);
      break;
    }
    case ISUP_EVENT_CGB:
      bx.cgb_first = e->cgb.startcic; bx.cgb_last = e->cgb.endcic;
      isup_cgba(box, e->cgb.call, e->cgb.endcic, e->cgb.status);
      isup_free_call(box, e->cgb.call);
      break;
    case ISUP_EVENT_BLA: bx.bla++; isup_free_call(box, e->bla.call); break;
    default: break;
    }
  }
}

/* One 20 ms tick of real time: frames from the D-channel to the box and back,
 * the box's timers and events, then the board. */
static void step(void) {
  const hl_driver_ops_t *o = drv.ops;
  uint8_t buf[HL_FRAME_MAX + 16];
  int n, ev;
  while ((ev = o->get_event(drv.state, DCH)) > 0) {
    if (ev == HL_EV_BADFCS) dch_badfcs++;
    else if (ev == HL_EV_ALARM) { dch_alarm++; ss7_link_alarm(box, box_lib); }
    else if (ev == HL_EV_NOALARM) { dch_noalarm++; ss7_link_noalarm(box, box_lib); }
    else dch_other++;
  }
  while ((n = o->read_frame(drv.state, DCH, buf, sizeof buf)) > 0) {
    frames_in++;
    if (write(box_pump, buf, (size_t)n) == n) { ss7_read(box, box_lib); box_events(); }
  }
  struct timeval *next = ss7_schedule_next(box), tv;
  gettimeofday(&tv, NULL);
  if (next && timercmp(next, &tv, <=)) ss7_schedule_run(box);
  box_events();
  for (int i = 0; i < 4; i++) {
    if (ss7_write(box, box_lib) <= 0) break;
    n = (int)read(box_pump, buf, sizeof buf);
    if (n > 0 && o->write_frame(drv.state, DCH, buf, n) == n) frames_out++;
  }
  now_ms += 20;
  o->tick(drv.state, now_ms);
  struct timespec due = t0;
  due.tv_sec += now_ms / 1000;
  due.tv_nsec += (now_ms % 1000) * 1000000L;
  if (due.tv_nsec >= 1000000000L) { due.tv_sec++; due.tv_nsec -= 1000000000L; }
  clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &due, NULL);
}

/* Steps until cond holds or ms pass; returns the ms it took or -1. */
#define WAIT(cond, ms) ({ int64_t _s = now_ms; while (!(cond) && now_ms - _s < (ms)) step(); (cond) ? (int)(now_ms - _s) : -1; })

static int cmd(int op, int chan, int i1, int i2, int i3, const char *s1, const char *s2) {
  hl_cmd_t c;
  memset(&c, 0, sizeof c);
  c.op = op; c.chan = chan; c.i1 = i1; c.i2 = i2; c.i3 = i3;
  if (s1) snprintf(c.s1, sizeof c.s1, "%s", s1);
  if (s2) snprintf(c.s2, sizeof c.s2, "%s", s2);
  char err[200] = "";
  int r = hl_sim_command(&drv, &c, err, sizeof err);
  if (r) printf("  command %d on %d: %s\n", op, chan, err);
  return r;
}

static int ss7cmd(int action, int i2, int i3, const char *s1) {
  hl_cmd_t c;
  memset(&c, 0, sizeof c);
  c.chan = DCH; c.i1 = action; c.i2 = i2; c.i3 = i3;
  if (s1) snprintf(c.s1, sizeof c.s1, "%s", s1);
  char err[200] = "";
  int r = hl_sim_ss7_command(&drv, &c, err, sizeof err);
  if (r) printf("  ss7 action %d: %s\n", action, err);
  return r;
}

static double block_rms(int chan) {
  uint8_t b[HL_BLOCK];
  if (drv.ops->read_audio(drv.state, chan, b, HL_BLOCK) != HL_BLOCK) return -1;
  double e = 0;
  for (int i = 0; i < HL_BLOCK; i++) { double v = alaw_to_linear(b[i]); e += v * v; }
  return sqrt(e / HL_BLOCK);
}

static void test_fcs(void) {
  /* The CRC-16/X.25 check value of "123456789" is 0x906E. */
  const uint8_t v[] = "123456789";
  CHECK(sim_fcs16(v, 9) == 0x906E, "FCS-16 of 123456789: expected 0x906E, got 0x%04X", sim_fcs16(v, 9));
  uint8_t f[16] = { 0x81, 0x82, 0x00 };
  sim_fcs_put(f, 3);
  CHECK(sim_fcs_ok(f, 5), "a FISU with its FCS checks");
  f[1] ^= 0x10;
  CHECK(!sim_fcs_ok(f, 5), "one flipped bit fails the check");
}

static void test_seam_errors(void) {
  const hl_driver_ops_t *o = drv.ops;
  uint8_t b[8] = {0};
  CHECK(o->read_frame && o->write_frame, "the sim has frame ops");
  CHECK(drv.chans[DCH - 1].kind == HL_KIND_DCHAN && drv.chans[0].kind == HL_KIND_E1, "timeslot 16 is the D-channel, 1 a bearer");
  CHECK(o->read_frame(drv.state, DCH, b, sizeof b) == -EBADF, "read_frame before open: -EBADF");
  CHECK(o->write_frame(drv.state, 1, b, 5) == -EBADF, "write_frame on a closed bearer: -EBADF");
  CHECK(o->open(drv.state, 1) == 0, "open bearer 1");
  CHECK(o->write_frame(drv.state, 1, b, 5) == -EINVAL, "write_frame on a bearer: -EINVAL");
  CHECK(o->open(drv.state, DCH) == 0, "open the D-channel");
  CHECK(o->write_frame(drv.state, DCH, b, 2) == -EINVAL, "a frame shorter than 3 octets: -EINVAL");
  CHECK(o->write_frame(drv.state, DCH, b, HL_FRAME_MAX + 1) == -EINVAL, "a frame over HL_FRAME_MAX: -EINVAL");
  char err[300];
  CHECK(hl_sim_check_realtime(&drv, 1.0, err, sizeof err) == 0, "speed 1 is fine for libss7");
  int r = hl_sim_check_realtime(&drv, 10.0, err, sizeof err);
  CHECK(r == -EINVAL && strstr(err, "span 1") && strstr(err, "speed 1"), "speed 10 refused naming the span: %d '%s'", r, err);
  hl_sim_ss7_conf_t cf;
  hl_sim_ss7_conf_default(&cf);
  snprintf(cf.variant, sizeof cf.variant, "china");
  CHECK(hl_sim_ss7_config(&drv, 1, &cf, err, sizeof err) == -EINVAL, "libss7 refuses the China variant: %s", err);
  cf.far_kind = HL_SIM_FAR_OWN;
  CHECK(hl_sim_ss7_config(&drv, 1, &cf, err, sizeof err) == 0, "the own-stack far end takes China: %s", err);
  CHECK(hl_sim_check_realtime(&drv, 10.0, err, sizeof err) == 0, "and keeps any speed");
  hl_sim_ss7_conf_default(&cf);
  CHECK(hl_sim_ss7_config(&drv, 1, &cf, err, sizeof err) == 0, "back to libss7: %s", err);
}

/* Engine time racing ahead of the wall clock (speed 0) draws one
 * SimSs7Warning naming the span: libss7 cannot keep up. */
static int warn_count;
static char warn_json[HL_EVENT_JSON];
static void on_warn(void *user, const char *json) {
  (void)user;
  if (strstr(json, "SimSs7Warning")) { warn_count++; snprintf(warn_json, sizeof warn_json, "%s", json); }
}
static void test_fast_warning(void) {
  hl_driver_t d;
  char err[200];
  hl_sim_span_def_t sp[] = { { HL_KIND_FXO, 2 }, { HL_KIND_E1, 31 } };
  if (hl_sim_driver_open(&d, sp, 2, "cn", HL_LAW_ALAW, err, sizeof err) != 0) { CHECK(0, "open: %s", err); return; }
  hl_sim_set_emit(&d, on_warn, NULL);
  for (int i = 1; i <= 250; i++) d.ops->tick(d.state, i * 20);   /* 5 s of engine time at once */
  CHECK(warn_count == 1 && strstr(warn_json, "\"span\":2") && strstr(warn_json, "\"chan\":18"),
        "one SimSs7Warning for span 2 on its D-channel (%d): %s", warn_count, warn_json);
  hl_sim_driver_close(&d);
}

int main(void) {
  char err[300] = "";
  test_fast_warning();
  hl_sim_span_def_t spans[] = { { HL_KIND_E1, 31 } };
  test_fcs();
  if (hl_sim_driver_open(&drv, spans, 1, "cn", HL_LAW_ALAW, err, sizeof err) != 0) { printf("open: %s\n", err); return 1; }
  hl_sim_set_emit(&drv, on_sim_event, NULL);
  test_seam_errors();

  int sv[2];
  socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_NONBLOCK, 0, sv);
  box_lib = sv[0]; box_pump = sv[1];
  box = ss7_new(SS7_ITU);
  ss7_add_link(box, SS7_TRANSPORT_DAHDIDCHAN, box_lib, -1, FAR_PC);
  ss7_set_network_ind(box, SS7_NI_NAT);
  ss7_set_pc(box, BOX_PC);
  clock_gettime(CLOCK_MONOTONIC, &t0);
  ss7_start(box);

  /* 1. Alignment both ways. */
  int t = WAIT(box_up && find_ev(0, "SimSs7LinkUp", NULL, NULL) >= 0, 6000);
  CHECK(t >= 0, "link up at both ends within 6 s (box %d, far %d)", box_up, find_ev(0, "SimSs7LinkUp", NULL, NULL) >= 0);
  printf("# link up after %d ms; frames box<-far %d, box->far %d\n", t, frames_in, frames_out);

  /* 2. The box calls the far end on CIC 1; it answers after 300 ms; the far end talks. */
  cmd(HL_OP_SIM_OUTCOME, 1, OUT_ANSWER, 300, 0, NULL, NULL);
  cmd(HL_OP_SIM_TALK, 1, 1000, 0, 0, NULL, NULL);
  int mark = nev;
  bx_call = isup_new_call(box, 1, FAR_PC, 1);
  isup_set_called(bx_call, "88001234", SS7_NAI_NATIONAL, box);
  isup_set_calling(bx_call, "13900001111", SS7_NAI_NATIONAL, SS7_PRESENTATION_ALLOWED, SS7_SCREENING_USER_PROVIDED);
  isup_iam(box, bx_call);
  t = WAIT(bx.anm > 0, 3000);
  CHECK(find_ev(mark, "SimCallReceived", "\"called\":\"88001234\"", "\"calling\":\"13900001111\"") >= 0,
        "far end reports the box's IAM with called and calling");
  CHECK(find_ev(mark, "SimCallReceived", "\"cic\":1", "\"chan\":1") >= 0, "on CIC 1, bearer channel 1");
  CHECK(bx.acm == 1 && t >= 0, "box got ACM then ANM (acm %d, anm after %d ms)", bx.acm, t);
  CHECK(find_ev(mark, "SimLineAnswered", "\"by\":\"far\"", NULL) >= 0, "SimLineAnswered by far");
  WAIT(0, 100);
  double rms = block_rms(1);
  CHECK(rms > 500, "the far end's talk generator is heard on the bearer (rms %.0f)", rms);
  mark = nev;
  isup_rel(box, bx_call, 16);
  t = WAIT(bx.rlc > 0, 2000);
  CHECK(t >= 0, "box's REL answered by RLC");
  CHECK(find_ev(mark, "SimLineReleased", "\"by\":\"near\"", "\"cause\":16") >= 0, "SimLineReleased by near, cause 16");
  rms = block_rms(1);
  CHECK(rms >= 0 && rms < 50, "silence on the bearer after release (rms %.0f)", rms);

  /* 3. The far end calls the box on CIC 2; the box answers; the far end hangs up. */
  mark = nev;
  bx_call = NULL;
  CHECK(cmd(HL_OP_SIM_CALL, 2, 0, 1, 0, "5551000", "13800138000") == 0, "sim call on channel 2");
  t = WAIT(bx_call != NULL, 2000);
  CHECK(t >= 0 && bx.iam_cic == 2 && !strncmp(bx.iam_called, "5551000", 7) && !strcmp(bx.iam_calling, "13800138000"),
        "box got IAM cic %d called '%s' calling '%s'", bx.iam_cic, bx.iam_called, bx.iam_calling);
  isup_acm(box, bx_call);
  isup_anm(box, bx_call);
  t = WAIT(find_ev(mark, "SimLineAnswered", "\"by\":\"near\"", NULL) >= 0, 2000);
  CHECK(t >= 0 && find_ev(mark, "SimCallAccepted", "\"cic\":2", NULL) >= 0, "far end saw ACM and ANM");
  bx.rel_cause = 0;
  CHECK(cmd(HL_OP_SIM_HANGUP, 2, 0, 16, 0, NULL, NULL) == 0, "sim hangup");
  t = WAIT(bx.rel_cause == 16 && find_ev(mark, "SimLineIdle", "\"cic\":2", NULL) >= 0, 2000);
  CHECK(t >= 0, "box got REL cause 16 (%d), the far end went idle after RLC", bx.rel_cause);

  /* 4. A number rule: 666... is busy. */
  ss7cmd(HL_SIM_SS7_RULE, OUT_BUSY, 0, "666");
  mark = nev;
  bx.rel_cause = 0;
  bx_call = isup_new_call(box, 3, FAR_PC, 1);
  isup_set_called(bx_call, "666123", SS7_NAI_NATIONAL, box);
  isup_iam(box, bx_call);
  t = WAIT(bx.rel_cause != 0, 2000);
  CHECK(bx.rel_cause == 17, "busy rule: box got REL cause 17 (got %d)", bx.rel_cause);
  CHECK(find_ev(mark, "SimCallRejected", "\"reason\":\"busy\"", "\"cic\":3") >= 0, "SimCallRejected busy");
  WAIT(find_ev(mark, "SimLineIdle", "\"cic\":3", NULL) >= 0, 1000);
  CHECK(find_ev(mark, "SimLineIdle", "\"cic\":3", NULL) >= 0, "CIC 3 idle after the box's RLC");

  /* 5. Circuit maintenance: GRS and CGB from the far end, BLO from the box. */
  mark = nev;
  CHECK(ss7cmd(HL_SIM_SS7_GRS, 1, 5, NULL) == 0, "far end resets CICs 1-5");
  t = WAIT(find_ev(mark, "SimCircuitReset", "\"by\":\"far\"", NULL) >= 0, 2000);
  CHECK(t >= 0 && bx.grs_first == 1 && bx.grs_last == 5, "box got GRS 1-5 (%d-%d) and the far end its GRA", bx.grs_first, bx.grs_last);
  CHECK(ss7cmd(HL_SIM_SS7_CGB, 6, 3, NULL) == 0, "far end blocks CICs 6-8");
  t = WAIT(find_ev(mark, "SimCircuitBlocked", "\"by\":\"far\"", "\"last\":8") >= 0, 2000);
  CHECK(t >= 0 && bx.cgb_first == 6 && bx.cgb_last == 8, "box got CGB 6-8 (%d-%d) and acknowledged", bx.cgb_first, bx.cgb_last);
  struct isup_call *b10 = isup_new_call(box, 10, FAR_PC, 0);
  isup_blo(box, b10);
  t = WAIT(bx.bla > 0, 2000);
  CHECK(t >= 0 && find_ev(mark, "SimCircuitBlocked", "\"by\":\"near\"", "\"cic\":10") >= 0, "box's BLO on CIC 10 reported and acknowledged");

  /* 6. Bit errors: 20 % of frames corrupted both ways for 2 s. */
  hl_sim_ss7_stats_t st0, st1;
  hl_sim_ss7_stats(&drv, 1, &st0);
  int bad0 = dch_badfcs;
  ss7cmd(HL_SIM_SS7_CORRUPT, 200, 0, NULL);
  WAIT(0, 2000);
  ss7cmd(HL_SIM_SS7_CORRUPT, 0, 0, NULL);
  hl_sim_ss7_stats(&drv, 1, &st1);
  int badbox = dch_badfcs - bad0;
  CHECK(badbox > 10, "corrupted frames reach the box as BADFCS events (%d)", badbox);
  CHECK((uint64_t)badbox == st1.box_badfcs - st0.box_badfcs, "every BADFCS event is a frame the box's board dropped (%d vs %llu)",
        badbox, (unsigned long long)(st1.box_badfcs - st0.box_badfcs));
  CHECK(st1.far_badfcs > st0.far_badfcs, "the far end's board drops corrupted frames too (%llu)",
        (unsigned long long)(st1.far_badfcs - st0.far_badfcs));
  CHECK(st1.corrupted - st0.corrupted == (st1.box_badfcs - st0.box_badfcs) + (st1.far_badfcs - st0.far_badfcs),
        "each corrupted frame failed its FCS check (%llu corrupted)", (unsigned long long)(st1.corrupted - st0.corrupted));
  printf("# corruption: %llu frames corrupted, box BADFCS %d, far end dropped %llu\n",
         (unsigned long long)(st1.corrupted - st0.corrupted), badbox, (unsigned long long)(st1.far_badfcs - st0.far_badfcs));
  WAIT(box_up, 8000);

  /* 7. A 1 s cut: both ends lose the link and realign. */
  mark = nev;
  int downs = box_downs, ups = box_ups;
  CHECK(box_up, "link up before the cut");
  ss7cmd(HL_SIM_SS7_CUT, 1000, 0, NULL);
  t = WAIT(box_ups > ups && find_ev(mark, "SimSs7LinkUp", NULL, NULL) >= 0, 12000);
  CHECK(find_ev(mark, "SimSs7LinkDown", NULL, NULL) >= 0, "far end reports its link down during the cut");
  CHECK(box_downs > downs, "the box's MTP2 saw the link fail");
  CHECK(t >= 0, "both ends realigned after the cut (%d ms)", t);
  printf("# cut 1000 ms: back up %d ms after it began\n", t);

  /* 8. Span alarm: the D-channel sees ALARM, no frames pass, then NOALARM and realignment. */
  mark = nev;
  int in0 = frames_in;
  cmd(HL_OP_SIM_ALARM, 0, 1, HL_ALARM_RED, 0, NULL, NULL);
  WAIT(0, 60);
  in0 = frames_in;
  WAIT(0, 500);
  CHECK(dch_alarm == 1 && frames_in == in0, "ALARM on the D-channel (%d) and no frames while red (%d)", dch_alarm, frames_in - in0);
  CHECK(find_ev(mark, "SimSs7LinkDown", NULL, NULL) >= 0, "far end's link down in alarm");
  cmd(HL_OP_SIM_ALARM, 0, 1, 0, 0, NULL, NULL);
  ups = box_ups;
  t = WAIT(box_ups > ups && find_ev(mark, "SimSs7LinkUp", NULL, NULL) >= 0, 12000);
  CHECK(dch_noalarm == 1 && t >= 0, "NOALARM (%d) and the link back up (%d ms)", dch_noalarm, t);

  /* 9. After all that, a call still completes. */
  mark = nev;
  bx.anm = 0; bx.rlc = 0;
  bx_call = isup_new_call(box, 4, FAR_PC, 1);
  isup_set_called(bx_call, "1234", SS7_NAI_NATIONAL, box);
  isup_iam(box, bx_call);
  t = WAIT(bx.anm > 0, 4000);
  CHECK(t >= 0, "a call after realignment is answered");
  isup_rel(box, bx_call, 16);
  WAIT(bx.rlc > 0, 2000);
  CHECK(bx.rlc > 0, "and released");

  ss7cmd(HL_SIM_SS7_STATS, 0, 0, NULL);
  CHECK(find_ev(mark, "SimSs7Stats", "\"linkUp\":true", NULL) >= 0, "stats event");
  hl_sim_ss7_stats(&drv, 1, &st1);
  printf("# line: to box %llu, to far %llu, box BADFCS %llu, far BADFCS %llu, cut/alarm dropped %llu, overruns %llu\n",
         (unsigned long long)st1.to_box, (unsigned long long)st1.to_far, (unsigned long long)st1.box_badfcs,
         (unsigned long long)st1.far_badfcs, (unsigned long long)st1.cut_dropped, (unsigned long long)st1.box_overrun);
  CHECK(st1.box_overrun == 0, "no overruns with a reader every tick");
  CHECK(dch_other == 0, "no other D-channel events (%d)", dch_other);

  ss7_destroy(box);
  close(box_lib); close(box_pump);
  drv.ops->close(drv.state, DCH);
  hl_sim_driver_close(&drv);
  printf("# %lld ms of real time\n", (long long)now_ms);
  T_DONE("sim_ss7");
}
