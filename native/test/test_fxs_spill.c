/* Caller ID to an on-hook phone, checked at the channel-I/O seam: the engine
 * runs on the sim board through a spy ops table that logs the signalling ops
 * (hook, cadence, polarity, on-hook transfer) and when the engine's transmit
 * carried sound. A SLIC passes audio to an on-hook phone only in on-hook
 * transmission, so every spill must lie inside an ONHOOKTRANSFER window, and
 * the polarity-led variant must reverse the line before the spill and restore
 * it before ringing. The sim phone, which hears on-hook audio only in that
 * window too, must read the caller ID. */
#include "hl/engine.h"
#include "hl/sim.h"
#include "t.h"
#include <spandsp.h>
#include <string.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#define CH 1                     /* the FXS port under test */
#define MAXCALLS 256

enum { C_HOOK, C_CADENCE, C_POLARITY, C_OHT };
static const char *call_name[] = { "HOOK", "SETCADENCE", "SETPOLARITY", "ONHOOKTRANSFER" };
typedef struct { int64_t t; int what; int arg; } call_t;
static call_t calls[MAXCALLS];
static int ncalls;
static int64_t now_ms, sound_first, sound_last;
static const hl_driver_ops_t *real;
static hl_driver_ops_t spy;
static char simlog[1 << 16];
static size_t nsim;

static void log_call(int what, int arg) {
  if (ncalls < MAXCALLS) calls[ncalls++] = (call_t){ now_ms, what, arg };
}
static int spy_hook(void *d, int ch, int op) { if (ch == CH) log_call(C_HOOK, op); return real->hook(d, ch, op); }
static int spy_cadence(void *d, int ch, const int *ms, int n) {
  if (ch == CH) log_call(C_CADENCE, n ? ms[0] : 0);
  return real->set_cadence(d, ch, ms, n);
}
static int spy_polarity(void *d, int ch, int rev) { if (ch == CH) log_call(C_POLARITY, rev); return real->set_polarity(d, ch, rev); }
static int oht_ignored;
static int spy_oht(void *d, int ch, int ms) {
  if (ch == CH) log_call(C_OHT, ms);
  return oht_ignored ? 0 : real->onhook_transfer(d, ch, ms);
}
static int spy_write(void *d, int ch, const uint8_t *buf, int len) {
  if (ch == CH) {
    int loud = 0;
    for (int i = 0; i < len && !loud; i++) loud = abs(alaw_to_linear(buf[i])) > 300;
    if (loud) { if (sound_first < 0) sound_first = now_ms; sound_last = now_ms + 20; }
  }
  return real->write_audio(d, ch, buf, len);
}
static void spy_tick(void *d, int64_t now) { now_ms = now; real->tick(d, now); }

static void sim_log(void *user, const char *json) {
  size_t l = strlen(json);
  if (nsim + l + 2 < sizeof simlog) { memcpy(simlog + nsim, json, l); nsim += l; simlog[nsim++] = '\n'; simlog[nsim] = 0; }
}

typedef struct rig { hl_driver_t sim, drv; hl_engine_t *e; } rig_t;

static int rig_open(rig_t *r) {
  hl_sim_span_def_t sp[1] = { { HL_KIND_FXS, 2 } };
  char err[200];
  if (hl_sim_driver_open(&r->sim, sp, 1, "cn", HL_LAW_ALAW, err, sizeof err) != 0) { printf("# sim: %s\n", err); return -1; }
  real = r->sim.ops;
  spy = *real;
  spy.name = "spy";
  spy.hook = spy_hook; spy.set_cadence = spy_cadence; spy.set_polarity = spy_polarity;
  spy.onhook_transfer = spy_oht; spy.write_audio = spy_write; spy.tick = spy_tick;
  r->drv = r->sim;
  r->drv.ops = &spy;
  hl_sim_set_emit(&r->sim, sim_log, NULL);
  hl_engine_config_t cfg;
  memset(&cfg, 0, sizeof cfg);
  strcpy(cfg.zone, "cn");
  r->e = hl_engine_new(&r->drv, &cfg, err, sizeof err);
  if (!r->e) { printf("# engine: %s\n", err); hl_sim_driver_close(&r->sim); return -1; }
  ncalls = 0; nsim = 0; simlog[0] = 0; sound_first = -1; sound_last = -1; now_ms = 0;
  return 0;
}

static void rig_close(rig_t *r) {
  hl_engine_free(r->e);
  hl_sim_driver_close(&r->sim);
}

static void run_ms(rig_t *r, int ms) {
  hl_event_t ev[64];
  for (int t = 0; t < ms; t += HL_BLOCK / 8) {
    hl_engine_step(r->e);
    while (hl_engine_drain(r->e, ev, 64) > 0) {}
    hl_engine_collect(r->e);
  }
}

static void ring(rig_t *r, int std, int when, const char *number) {
  hl_cmd_t c;
  memset(&c, 0, sizeof c);
  c.op = HL_OP_RING; c.chan = CH; c.i1 = std; c.i4 = when;
  snprintf(c.s1, sizeof c.s1, "%s", number);
  snprintf(c.s2, sizeof c.s2, "%s", std == HL_CID_DTMF ? "" : "LI SI");
  hl_engine_submit(r->e, &c);
}

/* The i-th logged call of a kind (-1: none). */
static int nth(int what, int i) {
  for (int k = 0; k < ncalls; k++) if (calls[k].what == what && i-- == 0) return k;
  return -1;
}

static void dump_calls(void) {
  for (int k = 0; k < ncalls; k++) printf("#   %6lld %s(%d)\n", (long long)calls[k].t, call_name[calls[k].what], calls[k].arg);
  printf("#   sound %lld..%lld\n", (long long)sound_first, (long long)sound_last);
}

/* One spill inside its on-hook transfer window, and the phone read it. */
static void check_spill(const char *what, const char *number) {
  int o = nth(C_OHT, 0);
  CHECK(o >= 0, "%s: ONHOOKTRANSFER issued", what);
  CHECK(nth(C_OHT, 1) < 0, "%s: one ONHOOKTRANSFER per spill", what);
  if (o < 0) { dump_calls(); return; }
  int64_t from = calls[o].t, to = calls[o].t + calls[o].arg;
  CHECK(sound_first >= from && sound_last > sound_first && sound_last <= to,
        "%s: spill %lld..%lld ms inside the on-hook transfer %lld..%lld ms", what,
        (long long)sound_first, (long long)sound_last, (long long)from, (long long)to);
  CHECK(to - sound_last <= 400, "%s: the window outlasts the spill by %lld ms, not much more", what, (long long)(to - sound_last));
  char want[64];
  snprintf(want, sizeof want, "\"number\":\"%s\"", number);
  CHECK(strstr(simlog, "SimCallerIdReceived") && strstr(simlog, want), "%s: the phone read caller ID %s; sim said:\n%s", what, number, simlog);
}

static void test_after_first_ring(void) {
  rig_t r;
  if (rig_open(&r)) { CHECK(0, "rig"); return; }
  ring(&r, HL_CID_BELL202, HL_CIDWHEN_AFTER_FIRST_RING, "13800138000");
  run_ms(&r, 6000);
  int h = nth(C_HOOK, 0), o = nth(C_OHT, 0);
  CHECK(nth(C_CADENCE, 0) == 0 && h == 1 && calls[h].arg == HL_RING, "ringing starts at once: SETCADENCE, HOOK(RING)");
  CHECK(o > h && calls[o].t >= 1000, "the spill comes after the first ring (at %lld ms)", o >= 0 ? (long long)calls[o].t : -1LL);
  CHECK(nth(C_POLARITY, 0) < 0, "no polarity change");
  check_spill("after first ring", "13800138000");
  rig_close(&r);
}

static void test_before_ring(int std, const char *number) {
  rig_t r;
  char what[64];
  snprintf(what, sizeof what, "before ring (%s)", std == HL_CID_DTMF ? "DTMF" : "Bell 202");
  if (rig_open(&r)) { CHECK(0, "rig"); return; }
  ring(&r, std, HL_CIDWHEN_BEFORE_RING, number);
  run_ms(&r, 5000);
  check_spill(what, number);
  int o = nth(C_OHT, 0), h = nth(C_HOOK, 0);
  CHECK(o == 0, "%s: ONHOOKTRANSFER is the first op", what);
  CHECK(h > o && calls[h].arg == HL_RING && calls[h].t >= sound_last + 200,
        "%s: the ringer starts at least 200 ms after the spill (%lld vs %lld)", what,
        h >= 0 ? (long long)calls[h].t : -1LL, (long long)sound_last);
  CHECK(nth(C_POLARITY, 0) < 0, "%s: no polarity change", what);
  CHECK(strstr(simlog, "SimPhoneRang") != NULL, "%s: the phone rang after its caller ID", what);
  rig_close(&r);
}

static void test_polarity(void) {
  rig_t r;
  if (rig_open(&r)) { CHECK(0, "rig"); return; }
  ring(&r, HL_CID_V23, HL_CIDWHEN_POLARITY, "02087654321");
  run_ms(&r, 5000);
  int p0 = nth(C_POLARITY, 0), p1 = nth(C_POLARITY, 1), o = nth(C_OHT, 0), h = nth(C_HOOK, 0);
  CHECK(p0 == 0 && calls[p0].arg == 1, "the line is reversed first");
  CHECK(o > p0 && calls[o].t - calls[p0].t >= 100, "the spill starts at least 100 ms after the reversal");

  CHECK(p1 > o && calls[p1].arg == 0 && calls[p1].t >= sound_last, "polarity restored once the spill is over");
  CHECK(h > p1 && calls[h].arg == HL_RING, "then the ringer");
  check_spill("polarity", "02087654321");
  rig_close(&r);
}

/* The phone lifted mid-spill: the call is answered, the line's polarity comes
 * back and the ringer never starts. */
static void test_answered_during_spill(void) {
  rig_t r;
  if (rig_open(&r)) { CHECK(0, "rig"); return; }
  ring(&r, HL_CID_BELL202, HL_CIDWHEN_POLARITY, "13800138000");
  run_ms(&r, 600);
  hl_cmd_t c;
  char err[120];
  memset(&c, 0, sizeof c);
  c.op = HL_OP_SIM_OFFHOOK; c.chan = CH;
  CHECK(hl_sim_command(&r.sim, &c, err, sizeof err) == 0, "phone off-hook: %s", err);
  run_ms(&r, 3000);
  hl_chan_state_t st[2];
  hl_engine_snapshot(r.e, st, 2);
  CHECK(st[0].state == HL_ST_UP, "answered (state %s)", hl_state_name(st[0].state));
  int p1 = nth(C_POLARITY, 1);
  CHECK(p1 >= 0 && calls[p1].arg == 0, "polarity restored on answer");
  int ringing = 0;
  for (int k = 0; k < ncalls; k++) ringing |= calls[k].what == C_HOOK && calls[k].arg == HL_RING;
  CHECK(!ringing, "the ringer never started");
  if (p1 < 0 || ringing) dump_calls();
  rig_close(&r);
}

/* A board that ignores ONHOOKTRANSFER: the sim phone, like a real one on a
 * SLIC, hears nothing on-hook, so the seam op is what carries the spill. */
static void test_sim_needs_oht(void) {
  rig_t r;
  if (rig_open(&r)) { CHECK(0, "rig"); return; }
  oht_ignored = 1;
  ring(&r, HL_CID_BELL202, HL_CIDWHEN_BEFORE_RING, "13800138000");
  run_ms(&r, 4000);
  oht_ignored = 0;
  CHECK(sound_first >= 0, "the engine sent the spill");
  CHECK(!strstr(simlog, "SimCallerIdReceived"), "the phone read nothing without on-hook transmission:\n%s", simlog);
  rig_close(&r);
}

int main(void) {
  test_after_first_ring();
  test_before_ring(HL_CID_BELL202, "13800138000");
  test_before_ring(HL_CID_DTMF, "13800138000");
  test_polarity();
  test_answered_during_spill();
  test_sim_needs_oht();
  T_DONE("fxs_spill");
}
