/* The engine on the sim board, driven tick by tick on this thread: what the
 * virtual PSTN's line impairments do to detection. A frequency offset scales
 * every frequency the far end sends; Q.24 asks DTMF receivers to accept
 * +-1.5 % and reject +-3.5 %, and caller ID must still decode at +-1.5 %. */
#include "hl/engine.h"
#include "hl/sim.h"
#include "hl/warp.h"
#include "hl/wav.h"
#include "hl/zone.h"
#include "t.h"
#include <spandsp.h>
#include <math.h>
#include <string.h>
#include <stdint.h>
#include <stdio.h>
#include <time.h>
#include <unistd.h>

/* ---- an engine on a small sim board, and its events ---- */

#define LOG_MAX (1 << 20)
static char evlog[LOG_MAX];
static size_t nlog;

typedef struct rig { hl_driver_t drv; hl_engine_t *e; } rig_t;

static int rig_open(rig_t *r) {
  hl_sim_span_def_t sp[2] = { { HL_KIND_FXO, 4 }, { HL_KIND_FXS, 4 } };
  char err[200];
  if (hl_sim_driver_open(&r->drv, sp, 2, "cn", HL_LAW_ALAW, err, sizeof err) != 0) { printf("# sim: %s\n", err); return -1; }
  hl_engine_config_t cfg;
  memset(&cfg, 0, sizeof cfg);
  strcpy(cfg.zone, "cn");
  r->e = hl_engine_new(&r->drv, &cfg, err, sizeof err);
  if (!r->e) { printf("# engine: %s\n", err); hl_sim_driver_close(&r->drv); return -1; }
  nlog = 0;
  evlog[0] = 0;
  return 0;
}

static void rig_close(rig_t *r) {
  hl_engine_free(r->e);
  hl_sim_driver_close(&r->drv);
}

/* Runs ms of engine time, appending every event (one JSON object a line). */
static void run_ms(rig_t *r, int ms) {
  hl_event_t ev[64];
  for (int t = 0; t < ms; t += HL_BLOCK / 8) {
    hl_engine_step(r->e);
    int n;
    while ((n = hl_engine_drain(r->e, ev, 64)) > 0)
      for (int k = 0; k < n; k++) {
        size_t l = strlen(ev[k].json);
        if (nlog + l + 2 >= LOG_MAX) continue;
        memcpy(evlog + nlog, ev[k].json, l);
        nlog += l;
        evlog[nlog++] = '\n';
        evlog[nlog] = 0;
      }
    hl_engine_collect(r->e);
  }
}

static void cmd(rig_t *r, int op, int chan, int i1, int i2, int i3, const char *s1, const char *s2) {
  hl_cmd_t c;
  memset(&c, 0, sizeof c);
  c.op = op; c.chan = chan; c.i1 = i1; c.i2 = i2; c.i3 = i3;
  if (s1) snprintf(c.s1, sizeof c.s1, "%s", s1);
  if (s2) snprintf(c.s2, sizeof c.s2, "%s", s2);
  hl_engine_submit(r->e, &c);
}

/* The first logged event line holding every one of the given fragments, copied
 * into out (empty when none). */
static int find_event(char *out, size_t cap, const char *a, const char *b, const char *c) {
  out[0] = 0;
  for (const char *p = evlog; *p;) {
    const char *eol = strchr(p, '\n');
    size_t len = eol ? (size_t)(eol - p) : strlen(p);
    char line[HL_EVENT_JSON + 1];
    snprintf(line, sizeof line, "%.*s", (int)len, p);
    if (strstr(line, a) && (!b || strstr(line, b)) && (!c || strstr(line, c))) { snprintf(out, cap, "%s", line); return 1; }
    p += len + (eol ? 1 : 0);
  }
  return 0;
}

/* Digits of DtmfReceived events on chan, in order. */
static void digits_on(int chan, char *out, size_t cap) {
  char key[40];
  snprintf(key, sizeof key, "\"chan\":%d,", chan);
  size_t n = 0;
  for (const char *p = evlog; (p = strstr(p, "{\"event\":\"DtmfReceived\"")) && n + 1 < cap; p++) {
    const char *eol = strchr(p, '\n');
    const char *ch = strstr(p, key), *d = strstr(p, "\"digit\":\"");
    if (ch && d && (!eol || (ch < eol && d < eol))) out[n++] = d[9];
  }
  out[n] = 0;
}

/* ---- the resampler itself ---- */

static double tone_power(const int16_t *x, int n, float f) {
  goertzel_descriptor_t d;
  goertzel_state_t g;
  make_goertzel_descriptor(&d, f, n);
  goertzel_init(&g, &d);
  goertzel_update(&g, x, n);
  return goertzel_result(&g);
}

static void test_warp_scales_frequency(void) {
  static const double ratios[] = { 1.05, 0.95, 1.015 };
  for (int k = 0; k < 3; k++) {
    hl_warp_t w;
    CHECK(hl_warp_init(&w, ratios[k]) == 0, "init %.3f", ratios[k]);
    int16_t in[HL_WARP_BUF], out[8000];
    double ph = 0;
    for (int at = 0; at < 8000; at += HL_BLOCK) {
      int need = hl_warp_need(&w, HL_BLOCK);
      CHECK(need > 0 && need <= 2 * HL_BLOCK, "need %d for one block", need);
      for (int i = 0; i < need; i++, ph += 2 * M_PI * 1000.0 / 8000) in[i] = (int16_t)lrint(8000 * sin(ph));
      CHECK(hl_warp_run(&w, in, need, out + at, HL_BLOCK) == 0, "run");
    }
    /* 1000 Hz in; a Goertzel over the last 4000 samples (2 Hz resolution)
     * finds it at 1000 * ratio, and 1000 Hz itself 20 dB or more down. */
    double want = tone_power(out + 4000, 4000, (float)(1000 * ratios[k]));
    double nominal = tone_power(out + 4000, 4000, 1000.0f);
    CHECK(want > 100 * nominal, "ratio %.3f: 1000 Hz comes out at %.0f Hz (%.1f dB over 1000 Hz)", ratios[k],
          1000 * ratios[k], 10 * log10(want / (nominal + 1)));
    double amp = sqrt(2 * want) / 4000;   /* spandsp's Goertzel power is (N * A)^2 / 2 */
    CHECK(fabs(amp - 8000) < 160, "ratio %.3f: amplitude kept, %.0f of 8000", ratios[k], amp);
  }
  hl_warp_t w;
  CHECK(hl_warp_init(&w, 3.0) == -1 && hl_warp_init(&w, 0.1) == -1, "ratios outside 0.5..2 refused");
  hl_warp_init(&w, 1.0);
  int16_t in[HL_WARP_BUF], out[HL_BLOCK];
  CHECK(hl_warp_run(&w, in, 3, out, HL_BLOCK) == -1, "wrong input count refused");
  CHECK(hl_warp_need(&w, HL_WARP_BUF) == -1, "an output block too big for the buffer is refused");
}

/* ---- frequency offset on an exchange line ---- */

static const char *cid_name(int std) { return std == HL_CID_BELL202 ? "bell202" : std == HL_CID_V23 ? "v23" : "dtmf"; }

/* One incoming call on FXO 1 with the line offset by ppm: returns whether the
 * caller ID came through whole, and the digits the engine heard. */
static int offset_call(int ppm, int std, const char *keyed, char *heard, size_t cap) {
  rig_t r;
  if (rig_open(&r) != 0) { heard[0] = 0; return 0; }
  cmd(&r, HL_OP_SIM_IMPAIR, 1, 0, 0, ppm, NULL, NULL);
  cmd(&r, HL_OP_SIM_CALL, 1, std, HL_CIDWHEN_AFTER_FIRST_RING, HL_DISC_LOOP, "13800138000", "ZHANG SAN");
  run_ms(&r, 7000);
  char ev[HL_EVENT_JSON + 1], want[40];
  snprintf(want, sizeof want, "\"standard\":\"%s\"", cid_name(std));
  int cid_ok = find_event(ev, sizeof ev, "\"event\":\"CallOffered\"", want, "\"number\":\"13800138000\"") &&
               (std == HL_CID_DTMF || strstr(ev, "\"name\":\"ZHANG SAN\""));
  if (!cid_ok) {
    find_event(ev, sizeof ev, "\"event\":\"CallOffered\"", NULL, NULL);
    printf("#   %+.1f %% %s: offered as %s\n", ppm / 1e4, cid_name(std), ev[0] ? ev : "(no offer)");
  }
  cmd(&r, HL_OP_ANSWER, 1, 0, 0, 0, NULL, NULL);
  run_ms(&r, 400);
  cmd(&r, HL_OP_SIM_DIAL, 1, 0, 0, 0, keyed, NULL);
  run_ms(&r, (int)strlen(keyed) * 200 + 1000);
  digits_on(1, heard, cap);
  rig_close(&r);
  return cid_ok;
}

static void test_frequency_offset(void) {
  static const char keys[] = "0123456789*#ABCD";
  static const int ppms[] = { 0, 15000, -15000, 35000, -35000 };
  for (size_t p = 0; p < sizeof ppms / sizeof ppms[0]; p++) {
    int ppm = ppms[p];
    double pct = ppm / 1e4;
    for (int std = HL_CID_BELL202; std <= HL_CID_DTMF; std++) {
      char heard[64];
      int cid_ok = offset_call(ppm, std, keys, heard, sizeof heard);
      if (std == HL_CID_BELL202) printf("# %+.1f %%: keyed %s, engine heard '%s'\n", pct, keys, heard);
      if (abs(ppm) <= 15000) {
        /* spandsp's dtmf_rx wants the pair's energy within 0.85 dB of a perfect
         * pair, so digits on the 1633 Hz column (A-D) fall out around +-1.5 %;
         * the twelve keys of a phone must all come through. */
        char want[16];
        size_t w = 0;
        for (const char *k = heard; *k && w < sizeof want - 1; k++) if (!strchr("ABCD", *k)) want[w++] = *k;
        want[w] = 0;
        CHECK(!strcmp(want, "0123456789*#"), "%+.1f %% (%s call): every phone key heard, got '%s'", pct, cid_name(std), heard);
        if (ppm == 0) CHECK(!strcmp(heard, keys), "no offset: all 16 digits heard, got '%s'", heard);
        /* DTMF caller ID is A<number>C: its end marker is on the 1633 Hz column. */
        if (std != HL_CID_DTMF || ppm <= 0)
          CHECK(cid_ok, "%+.1f %%: %s caller ID decoded", pct, cid_name(std));
        else
          printf("#   %+.1f %% DTMF caller ID %s (its 'C' end marker is a 1633 Hz digit)\n", pct, cid_ok ? "decoded" : "lost");
      } else {
        CHECK(heard[0] == 0, "%+.1f %% (%s call): every digit rejected, got '%s'", pct, cid_name(std), heard);
      }
    }
  }
}

/* The far end's talk is resampled too: a 1000 Hz tone at +5 % reaches a
 * recording as 1050 Hz (checked on the bridge's other side, an FXS phone). */
static void test_offset_moves_talk(void) {
  rig_t r;
  if (rig_open(&r) != 0) return;
  CHECK(r.drv.ops->conf_link == NULL, "the sim board links nothing in a kernel: the engine mixes its bridges");
  cmd(&r, HL_OP_SIM_OFFHOOK, 5, 0, 0, 0, NULL, NULL);
  cmd(&r, HL_OP_SIM_OFFHOOK, 6, 0, 0, 0, NULL, NULL);
  run_ms(&r, 400);
  cmd(&r, HL_OP_ANSWER, 5, 0, 0, 0, NULL, NULL);
  cmd(&r, HL_OP_ANSWER, 6, 0, 0, 0, NULL, NULL);
  hl_cmd_t b;
  memset(&b, 0, sizeof b);
  b.op = HL_OP_BRIDGE; b.chan = 5; b.chan2 = 6;
  hl_engine_submit(r.e, &b);
  hl_cmd_t c;
  memset(&c, 0, sizeof c);
  c.op = HL_OP_SIM_IMPAIR; c.chan = 5; c.i3 = 50000;
  hl_engine_submit(r.e, &c);
  memset(&c, 0, sizeof c);
  c.op = HL_OP_SIM_TALK; c.chan = 5; c.i1 = 1000; c.f1 = -13;
  hl_engine_submit(r.e, &c);
  run_ms(&r, 200);
  for (int f = 0; f < 2; f++) {
    memset(&c, 0, sizeof c);
    c.op = HL_OP_SIM_LISTEN; c.chan = 6; c.i1 = f ? 1000 : 1050; c.i2 = 400;
    hl_engine_submit(r.e, &c);
    run_ms(&r, 500);
  }
  char ev[HL_EVENT_JSON + 1];
  CHECK(find_event(ev, sizeof ev, "SimAudioMeasured", "\"freq\":1050", "\"heard\":true"), "1050 Hz heard across the bridge: %s", ev);
  CHECK(find_event(ev, sizeof ev, "SimAudioMeasured", "\"freq\":1000", "\"heard\":false"), "1000 Hz no longer there: %s", ev);
  rig_close(&r);
}

static void test_impair_range(void) {
  rig_t r;
  if (rig_open(&r) != 0) return;
  cmd(&r, HL_OP_SIM_IMPAIR, 1, 0, 0, 50001, NULL, NULL);
  run_ms(&r, 20);
  char ev[HL_EVENT_JSON + 1];
  CHECK(find_event(ev, sizeof ev, "CommandFailed", "offset -5..+5 %", NULL), "offset beyond 5 %% refused: %s", ev);
  rig_close(&r);
}

/* ---- call waiting with type II caller ID ---- */

static void cw_cmd(rig_t *r, int chan, int std, const char *num, const char *name) {
  cmd(r, HL_OP_CALL_WAITING, chan, std, 0, 0, num, name);
}

/* Phones 5 and 6 talk through a bridge; a second call arrives for 5. */
static void test_call_waiting(int std, int cidcw) {
  rig_t r;
  if (rig_open(&r) != 0) return;
  const char *sn = std == HL_CID_V23 ? "v23" : "bell202";
  if (!cidcw) cmd(&r, HL_OP_SIM_PHONE, 5, 0, 0, 0, NULL, NULL);
  cmd(&r, HL_OP_SIM_OFFHOOK, 5, 0, 0, 0, NULL, NULL);
  cmd(&r, HL_OP_SIM_OFFHOOK, 6, 0, 0, 0, NULL, NULL);
  run_ms(&r, 300);
  cmd(&r, HL_OP_ANSWER, 5, 0, 0, 0, NULL, NULL);
  cmd(&r, HL_OP_ANSWER, 6, 0, 0, 0, NULL, NULL);
  hl_cmd_t c;
  memset(&c, 0, sizeof c); c.op = HL_OP_BRIDGE; c.chan = 5; c.chan2 = 6;
  hl_engine_submit(r.e, &c);
  memset(&c, 0, sizeof c); c.op = HL_OP_SIM_TALK; c.chan = 6; c.i1 = 700; c.f1 = -13;
  hl_engine_submit(r.e, &c);
  run_ms(&r, 300);
  nlog = 0; evlog[0] = 0;
  cw_cmd(&r, 5, std, "13912345678", "ZHAO LIU");
  memset(&c, 0, sizeof c); c.op = HL_OP_SIM_LISTEN; c.chan = 5; c.i1 = 450; c.i2 = 300;
  hl_engine_submit(r.e, &c);
  run_ms(&r, 3000);
  char ev[HL_EVENT_JSON + 1], want[80];
  CHECK(find_event(ev, sizeof ev, "\"event\":\"CallWaitingStarted\"", "\"chan\":5", NULL), "%s: call waiting started", sn);
  CHECK(find_event(ev, sizeof ev, "SimAudioMeasured", "\"freq\":450", "\"heard\":true"),
        "%s: the phone hears a burst of the zone's call-waiting tone (450 Hz), not the call: %s", sn, ev);
  snprintf(want, sizeof want, "\"acked\":%s", cidcw ? "true" : "false");
  CHECK(find_event(ev, sizeof ev, "SimCallWaitingAlerted", "\"chan\":5", want), "%s: the phone heard the CAS (%s)", sn, want);
  snprintf(want, sizeof want, "\"standard\":\"%s\"", sn);
  int got_cid = find_event(ev, sizeof ev, "SimCallerIdReceived", "\"callWaiting\":true", "\"number\":\"13912345678\"");
  if (cidcw) {
    CHECK(got_cid && strstr(ev, "\"name\":\"ZHAO LIU\"") && strstr(ev, want) && strstr(ev, "\"datetime\":\""),
          "%s: the off-hook phone shows the waiting caller: %s", sn, ev);
    CHECK(find_event(ev, sizeof ev, "CallWaitingFinished", "\"acked\":true", "\"callerIdSent\":true"), "%s: finished, acknowledged, caller ID sent: %s", sn, ev);
  } else {
    CHECK(!got_cid, "%s: no caller ID for a phone that did not acknowledge", sn);
    CHECK(find_event(ev, sizeof ev, "CallWaitingFinished", "\"acked\":false", "\"callerIdSent\":false"), "%s: finished without acknowledgement: %s", sn, ev);
  }
  char d[16];
  digits_on(5, d, sizeof d);
  CHECK(d[0] == 0, "%s: the acknowledgement is not reported as a key press, got '%s'", sn, d);
  CHECK(!find_event(ev, sizeof ev, "SimDtmfHeard", "\"chan\":6", NULL), "%s: the other party never heard the acknowledgement: %s", sn, ev);
  /* and the call goes on: 5 hears 6 again */
  memset(&c, 0, sizeof c); c.op = HL_OP_SIM_LISTEN; c.chan = 5; c.i1 = 700; c.i2 = 400;
  hl_engine_submit(r.e, &c);
  run_ms(&r, 600);
  CHECK(find_event(ev, sizeof ev, "SimAudioMeasured", "\"chan\":5", "\"heard\":true"), "%s: the bridged call resumes: %s", sn, ev);
  rig_close(&r);
}

static void test_call_waiting_refused(void) {
  rig_t r;
  if (rig_open(&r) != 0) return;
  cw_cmd(&r, 1, HL_CID_BELL202, "123", "");
  cw_cmd(&r, 5, HL_CID_BELL202, "123", "");
  cmd(&r, HL_OP_SIM_OFFHOOK, 6, 0, 0, 0, NULL, NULL);
  run_ms(&r, 200);
  cmd(&r, HL_OP_ANSWER, 6, 0, 0, 0, NULL, NULL);
  cw_cmd(&r, 6, HL_CID_DTMF, "123", "");
  run_ms(&r, 40);
  char ev[HL_EVENT_JSON + 1];
  CHECK(find_event(ev, sizeof ev, "CommandFailed", "\"chan\":1,", "wrong_kind"), "an FXO port has no call waiting: %s", ev);
  CHECK(find_event(ev, sizeof ev, "CommandFailed", "\"chan\":5,", "wrong_state"), "an idle phone has no call to wait on: %s", ev);
  CHECK(find_event(ev, sizeof ev, "CommandFailed", "\"chan\":6,", "bad_standard"), "off-hook caller ID is FSK only: %s", ev);
  rig_close(&r);
}

/* ---- message waiting: what the phone hears when it goes off-hook ---- */

/* The phone on FXS 7 goes off-hook with the lamp set to mwi and listens for
 * 3 s: the tone it names first (empty when none). */
static void mwi_offhook(rig_t *r, int mwi, char *heard, size_t cap) {
  cmd(r, HL_OP_SET_MWI, 7, mwi, 0, 0, NULL, NULL);
  nlog = 0;
  evlog[0] = 0;
  cmd(r, HL_OP_SIM_OFFHOOK, 7, 0, 0, 0, NULL, NULL);
  run_ms(r, 3000);
  char ev[HL_EVENT_JSON + 1];
  heard[0] = 0;
  if (find_event(ev, sizeof ev, "\"event\":\"SimToneHeard\"", "\"chan\":7,", NULL)) {
    const char *t = strstr(ev, "\"tone\":\"");
    if (t) snprintf(heard, cap, "%.*s", (int)strcspn(t + 8, "\""), t + 8);
  }
  int others = 0;
  for (const char *p = evlog; (p = strstr(p, "\"event\":\"SimToneHeard\",")); p++) others++;
  CHECK(others == 1, "lamp %s: the phone names one tone, named %d", mwi ? "on" : "off", others);
  cmd(r, HL_OP_SIM_ONHOOK, 7, 0, 0, 0, NULL, NULL);
  run_ms(r, 1500);   /* longer than a hook flash: the line is idle again */
}

/* The engine plays the zone's stutter dial tone (cn: 450+425 Hz) on off-hook
 * while the lamp is on; the phone must tell it from plain dial tone (450 Hz),
 * as its user would. */
static void test_mwi_stutter(void) {
  rig_t r;
  if (rig_open(&r) != 0) return;
  char heard[32];
  mwi_offhook(&r, 1, heard, sizeof heard);
  CHECK(!strcmp(heard, "stutter"), "lamp on: the phone hears stutter dial tone, heard '%s'", heard);
  mwi_offhook(&r, 0, heard, sizeof heard);
  CHECK(!strcmp(heard, "dial"), "lamp off: the phone hears dial tone, heard '%s'", heard);
  mwi_offhook(&r, 1, heard, sizeof heard);
  CHECK(!strcmp(heard, "stutter"), "lamp on again: stutter, heard '%s'", heard);
  cmd(&r, HL_OP_SET_MWI, 1, 1, 0, 0, NULL, NULL);
  run_ms(&r, 40);
  char ev[HL_EVENT_JSON + 1];
  CHECK(find_event(ev, sizeof ev, "CommandFailed", "\"chan\":1,", "wrong_kind"), "an FXO port has no lamp: %s", ev);
  rig_close(&r);
}

/* ---- media needs a call ---- */

/* A media command with an id to find its result by; ptr: a playlist or recording. */
static void media_cmd(rig_t *r, int op, int chan, int chan2, int id, int i1, void *ptr) {
  hl_cmd_t c;
  memset(&c, 0, sizeof c);
  c.op = op; c.chan = chan; c.chan2 = chan2; c.id = id; c.i1 = i1; c.ptr = ptr;
  if (op == HL_OP_SEND_DTMF) snprintf(c.s1, sizeof c.s1, "123");
  hl_engine_submit(r->e, &c);
}

static hl_playlist_t *beep(void) {
  hl_playlist_t *p = hl_playlist_new(0);
  int16_t *x = calloc(800, sizeof *x);
  for (int i = 0; i < 800; i++) x[i] = (int16_t)lrint(4000 * sin(2 * M_PI * 1000.0 * i / 8000));
  hl_playlist_add(p, x, 800);
  return p;
}

/* The command with this id failed with wrong_state (want 1) or did not fail (want 0). */
static void check_refused(int id, int want, const char *what) {
  char ev[HL_EVENT_JSON + 1], key[32];
  snprintf(key, sizeof key, "\"id\":%d,", id);
  int failed = find_event(ev, sizeof ev, "\"event\":\"CommandFailed\"", key, NULL);
  if (want) CHECK(failed && strstr(ev, "\"code\":\"wrong_state\""), "%s: refused with wrong_state, got %s", what, failed ? ev : "no failure");
  else CHECK(!failed, "%s: accepted, got %s", what, ev);
}

/* A supervisor racing a hang-up must not start media on a line with no call:
 * it would run until that line's next call ends (and that call's own
 * recording would fail as already_recording). FXO 1-4, FXS 5-8. */
static void test_media_needs_call(void) {
  rig_t r;
  if (rig_open(&r) != 0) return;
  char dir[] = "/tmp/hl_test_media.XXXXXX", path[200], err[200], ev[HL_EVENT_JSON + 1];
  if (!mkdtemp(dir)) { CHECK(0, "mkdtemp"); rig_close(&r); return; }
  /* 2 rings (not answered), 3 in a call, 4 dialing out, 6 off-hook with dial
   * tone, 7 off-hook after we hung up on it (the busy tone's state). */
  cmd(&r, HL_OP_SIM_CALL, 2, HL_CID_NONE, 0, 0, "5550102", NULL);
  cmd(&r, HL_OP_SIM_CALL, 3, HL_CID_NONE, 0, 0, "5550103", NULL);
  cmd(&r, HL_OP_SIM_OFFHOOK, 6, 0, 0, 0, NULL, NULL);
  cmd(&r, HL_OP_SIM_OFFHOOK, 7, 0, 0, 0, NULL, NULL);
  run_ms(&r, 1500);
  cmd(&r, HL_OP_ANSWER, 3, 0, 0, 0, NULL, NULL);
  cmd(&r, HL_OP_ANSWER, 7, 0, 0, 0, NULL, NULL);
  cmd(&r, HL_OP_HANGUP, 7, 0, 0, 0, NULL, NULL);
  cmd(&r, HL_OP_DIAL, 4, 0, 5000, 0, "123", NULL);
  run_ms(&r, 100);
  hl_chan_state_t st[8];
  CHECK(hl_engine_snapshot(r.e, st, 8) == 8, "snapshot");
  CHECK(st[0].state == HL_ST_IDLE && (st[1].state == HL_ST_RINGING || st[1].state == HL_ST_OFFERED) && st[2].state == HL_ST_UP &&
        st[3].state == HL_ST_DIALING && st[4].state == HL_ST_IDLE && st[5].state == HL_ST_DIALTONE && st[6].state == HL_ST_HUNGUP,
        "set-up states: %s %s %s %s %s %s %s", hl_state_name(st[0].state), hl_state_name(st[1].state), hl_state_name(st[2].state),
        hl_state_name(st[3].state), hl_state_name(st[4].state), hl_state_name(st[5].state), hl_state_name(st[6].state));
  nlog = 0; evlog[0] = 0;

  /* Refused: an idle exchange line, a ringing one, an idle phone on-hook. */
  snprintf(path, sizeof path, "%s/idle.wav", dir);
  hl_recording_t *rec = hl_recording_open(path, 0, err, sizeof err);
  CHECK(rec != NULL, "recording opened: %s", err);
  media_cmd(&r, HL_OP_RECORD, 1, 0, 101, 0, rec);
  media_cmd(&r, HL_OP_PLAY, 1, 0, 102, 0, beep());
  media_cmd(&r, HL_OP_TONE, 1, 0, 103, HL_ZT_BUSY, NULL);
  media_cmd(&r, HL_OP_SEND_DTMF, 1, 0, 104, 0, NULL);
  media_cmd(&r, HL_OP_CONF_JOIN, 1, 0, 105, 5, NULL);
  media_cmd(&r, HL_OP_PLAY, 2, 0, 106, 0, beep());
  media_cmd(&r, HL_OP_TONE, 5, 0, 107, HL_ZT_RINGBACK, NULL);
  media_cmd(&r, HL_OP_BRIDGE, 3, 1, 108, 0, NULL);     /* a call with an idle line */
  media_cmd(&r, HL_OP_BRIDGE, 1, 3, 109, 0, NULL);
  media_cmd(&r, HL_OP_TAP, 6, 1, 110, HL_TAP_LISTEN, NULL);   /* a supervisor on an idle line */
  media_cmd(&r, HL_OP_TAP, 5, 3, 111, HL_TAP_LISTEN, NULL);   /* an idle phone as supervisor */
  media_cmd(&r, HL_OP_RECORD_STOP, 1, 0, 112, 0, NULL);       /* stopping is not starting: not_recording */
  run_ms(&r, 40);
  check_refused(101, 1, "record on an idle exchange line");
  check_refused(102, 1, "play on an idle exchange line");
  check_refused(103, 1, "tone on an idle exchange line");
  check_refused(104, 1, "DTMF on an idle exchange line");
  check_refused(105, 1, "an idle exchange line joining a conference");
  check_refused(106, 1, "play on a ringing exchange line");
  check_refused(107, 1, "tone to an idle phone on-hook");
  check_refused(108, 1, "a call bridged to an idle line");
  check_refused(109, 1, "an idle line bridged to a call");
  check_refused(110, 1, "a tap on an idle line");
  check_refused(111, 1, "a tap from an idle phone");
  CHECK(find_event(ev, sizeof ev, "\"id\":108,", "cannot bridge to channel 1 while it is idle", NULL), "the message names the idle peer: %s", ev);
  CHECK(find_event(ev, sizeof ev, "\"id\":112,", "not_recording", NULL), "no recording was left running on 1: %s", ev);
  CHECK(!find_event(ev, sizeof ev, "Started", NULL, NULL) && !find_event(ev, sizeof ev, "\"event\":\"BridgeCreated\"", NULL, NULL) &&
        !find_event(ev, sizeof ev, "\"event\":\"ConferenceJoined\"", NULL, NULL), "nothing started: %s", ev);
  hl_engine_snapshot(r.e, st, 8);
  CHECK(!st[0].recording && !st[0].playing && st[0].tone < 0 && !st[0].bridged_to && !st[0].conf && !st[5].tap_target,
        "channel 1 carries nothing");

  /* Accepted: a call on an exchange line, a line dialing out, a phone
   * off-hook with dial tone or after we hung up. */
  nlog = 0; evlog[0] = 0;
  media_cmd(&r, HL_OP_PLAY, 3, 0, 201, 0, beep());
  media_cmd(&r, HL_OP_PLAY, 4, 0, 202, 0, beep());
  media_cmd(&r, HL_OP_TONE, 6, 0, 203, HL_ZT_BUSY, NULL);
  media_cmd(&r, HL_OP_TONE, 7, 0, 204, HL_ZT_BUSY, NULL);
  media_cmd(&r, HL_OP_SEND_DTMF, 3, 0, 205, 0, NULL);
  media_cmd(&r, HL_OP_BRIDGE, 3, 6, 206, 0, NULL);
  media_cmd(&r, HL_OP_TAP, 7, 3, 207, HL_TAP_LISTEN, NULL);
  media_cmd(&r, HL_OP_CONF_JOIN, 4, 0, 208, 5, NULL);
  run_ms(&r, 40);
  for (int id = 201; id <= 208; id++) {
    char what[40];
    snprintf(what, sizeof what, "command %d", id);
    check_refused(id, 0, what);
  }
  CHECK(find_event(ev, sizeof ev, "\"event\":\"ToneStarted\"", "\"chan\":7,", NULL), "busy tone to the phone we hung up on: %s", ev);
  CHECK(find_event(ev, sizeof ev, "\"event\":\"TapStarted\"", "\"chan\":7,", NULL), "tap from an off-hook phone: %s", ev);
  CHECK(find_event(ev, sizeof ev, "\"event\":\"BridgeCreated\"", "\"chan\":3,", NULL), "bridge of a call and an off-hook phone: %s", ev);

  /* The race of the load bench: a refused record on idle line 1, then 1's
   * next call records as it should. */
  cmd(&r, HL_OP_SIM_CALL, 1, HL_CID_NONE, 0, 0, "5550101", NULL);
  run_ms(&r, 1000);
  cmd(&r, HL_OP_ANSWER, 1, 0, 0, 0, NULL, NULL);
  snprintf(path, sizeof path, "%s/call.wav", dir);
  rec = hl_recording_open(path, 0, err, sizeof err);
  media_cmd(&r, HL_OP_RECORD, 1, 0, 301, 0, rec);
  run_ms(&r, 100);
  check_refused(301, 0, "record on the line's next call");
  CHECK(find_event(ev, sizeof ev, "\"event\":\"RecordingStarted\"", "\"recordingId\":301", NULL), "the next call is recorded: %s", ev);
  rig_close(&r);
  unlink(path);
  snprintf(path, sizeof path, "%s/idle.wav", dir);
  unlink(path);
  rmdir(dir);
}

/* ---- the recording writer, on a started engine ---- */

static void sleep_ms(int ms) {
  struct timespec ts = { ms / 1000, (long)(ms % 1000) * 1000000L };
  nanosleep(&ts, NULL);
}

/* Waits (real time) until engine time reaches t. */
static void until_engine(hl_engine_t *e, int64_t t) {
  for (int i = 0; i < 20000 && hl_engine_time(e) < t; i++) sleep_ms(1);
}

static int64_t json_int(const char *json, const char *key) {
  char pat[40];
  snprintf(pat, sizeof pat, "\"%s\":", key);
  const char *p = strstr(json, pat);
  return p ? atoll(p + strlen(pat)) : -1;
}

/* Four recordings (two mono, two stereo) of 6 s on a started engine at twice
 * real time: the writer makes at most 5 write calls per second of audio per
 * recording (one writev and one header refresh a second, plus open and close),
 * keeps the header no more than about a second behind while recording, and
 * closes each file promptly when its recording stops. */
static void test_recording_writer(void) {
  hl_driver_t drv;
  hl_sim_span_def_t sp[1] = { { HL_KIND_FXS, 4 } };
  char err[200], dir[] = "/tmp/hl_test_rec.XXXXXX", path[4][200];
  if (!mkdtemp(dir)) { CHECK(0, "mkdtemp"); return; }
  if (hl_sim_driver_open(&drv, sp, 1, "cn", HL_LAW_ALAW, err, sizeof err) != 0) { CHECK(0, "%s", err); return; }
  hl_engine_config_t cfg;
  memset(&cfg, 0, sizeof cfg);
  strcpy(cfg.zone, "cn");
  cfg.speed = 2;
  hl_engine_t *e = hl_engine_new(&drv, &cfg, err, sizeof err);
  CHECK(e && hl_engine_start(e) == 0, "engine started: %s", err);
  if (!e) { hl_sim_driver_close(&drv); return; }
  hl_cmd_t c;
  for (int ch = 1; ch <= 4; ch++) {
    memset(&c, 0, sizeof c); c.op = HL_OP_SIM_OFFHOOK; c.chan = ch; hl_engine_submit(e, &c);
    memset(&c, 0, sizeof c); c.op = HL_OP_SIM_TALK; c.chan = ch; c.i1 = 400 + 100 * ch; c.f1 = -13; hl_engine_submit(e, &c);
  }
  until_engine(e, hl_engine_time(e) + 300);
  hl_engine_stats_t s0;
  hl_engine_stats(e, &s0);
  for (int ch = 1; ch <= 4; ch++) {
    memset(&c, 0, sizeof c); c.op = HL_OP_ANSWER; c.chan = ch; hl_engine_submit(e, &c);
    snprintf(path[ch - 1], sizeof path[0], "%s/rec%d.wav", dir, ch);
    hl_recording_t *r = hl_recording_open(path[ch - 1], ch > 2, err, sizeof err);
    CHECK(r != NULL, "recording opened: %s", err);
    memset(&c, 0, sizeof c); c.op = HL_OP_RECORD; c.chan = ch; c.id = ch; c.ptr = r; hl_engine_submit(e, &c);
  }
  int64_t start = hl_engine_time(e);
  /* Mid-recording the header already covers all but about a second. */
  until_engine(e, start + 4500);
  uint8_t hdr[44];
  FILE *f = fopen(path[0], "rb");
  size_t got = f ? fread(hdr, 1, sizeof hdr, f) : 0;
  if (f) fclose(f);
  uint32_t declared = got == 44 ? (uint32_t)hdr[40] | (uint32_t)hdr[41] << 8 | (uint32_t)hdr[42] << 16 | (uint32_t)hdr[43] << 24 : 0;
  CHECK(declared >= 2 * 8000 * 3, "header refreshed while recording: %u bytes declared after 4.5 s", declared);

  int64_t stop_at[4], done_at[4] = { -1, -1, -1, -1 }, dur[4] = { 0 };
  hl_event_t ev[64];
  for (int ch = 1; ch <= 4; ch++) {
    until_engine(e, start + 6000 + (ch - 1) * 300);
    memset(&c, 0, sizeof c); c.op = HL_OP_RECORD_STOP; c.chan = ch; hl_engine_submit(e, &c);
    stop_at[ch - 1] = hl_engine_time(e);
  }
  for (int i = 0; i < 3000; i++) {
    int n = hl_engine_drain(e, ev, 64);
    for (int k = 0; k < n; k++) {
      if (!strstr(ev[k].json, "RecordingFinished")) continue;
      int ch = (int)json_int(ev[k].json, "chan");
      if (ch >= 1 && ch <= 4) { done_at[ch - 1] = json_int(ev[k].json, "time"); dur[ch - 1] = json_int(ev[k].json, "durationMs"); }
    }
    hl_engine_collect(e);
    if (done_at[0] >= 0 && done_at[1] >= 0 && done_at[2] >= 0 && done_at[3] >= 0) break;
    sleep_ms(1);
  }
  hl_engine_stats_t s1;
  hl_engine_stats(e, &s1);
  hl_engine_stop(e);
  double audio_s = 0;
  for (int k = 0; k < 4; k++) {
    /* Without a wake-up the writer would see the stop at its next 200 ms look. */
    printf("#   recording %d: finished %lld ms after its stop\n", k + 1, (long long)(done_at[k] - stop_at[k]));
    CHECK(done_at[k] >= 0 && done_at[k] - stop_at[k] <= 100, "recording %d closed %lld ms (engine time) after its stop",
          k + 1, (long long)(done_at[k] - stop_at[k]));
    audio_s += dur[k] / 1000.0;
    hl_audio_t a;
    CHECK(hl_wav_load(path[k], &a, err, sizeof err) == 0 && llabs((long long)a.count - dur[k] * 8) <= 160,
          "recording %d is a whole WAV of %lld ms: %zu samples (%s)", k + 1, (long long)dur[k], a.count, err);
    hl_audio_free(&a);
    unlink(path[k]);
  }
  uint64_t calls = s1.rec_syscalls - s0.rec_syscalls;
  double per_s = calls / (audio_s > 0 ? audio_s : 1);
  printf("# recording writer: %llu write calls for %.1f s of audio in 4 recordings: %.2f per recording-second; %llu frames\n",
         (unsigned long long)calls, audio_s, per_s, (unsigned long long)(s1.rec_frames - s0.rec_frames));
  CHECK(audio_s > 4 * 5.5, "about 4 x 6 s recorded, got %.1f s", audio_s);
  CHECK(per_s <= 5.0, "at most 5 write calls per second of audio, got %.2f", per_s);
  CHECK(s1.rec_frames - s0.rec_frames >= (uint64_t)(audio_s * 8000) - 4 * 160, "frames counted: %llu",
        (unsigned long long)(s1.rec_frames - s0.rec_frames));
  hl_engine_free(e);
  hl_sim_driver_close(&drv);
  rmdir(dir);
}

int main(void) {
  test_warp_scales_frequency();
  test_frequency_offset();
  test_offset_moves_talk();
  test_impair_range();
  test_call_waiting(HL_CID_BELL202, 1);
  test_call_waiting(HL_CID_V23, 1);
  test_call_waiting(HL_CID_BELL202, 0);
  test_call_waiting_refused();
  test_mwi_stutter();
  test_media_needs_call();
  test_recording_writer();
  T_DONE("engine");
}
