/* Switching one E1 span's signalling while the engine runs (respan): R2 ->
 * SS7 -> R2 on the sim board, with a call up on another R2 span the whole
 * time. The switched span ends its own call (ChannelHungUp side near, cause
 * span-reconfigured), then carries calls with its new signalling; the other
 * span's call never notices. Run under -fsanitize=address to see that the
 * kits (old state, unused state) are all freed. */
#include "hl/engine.h"
#include "hl/sim.h"
#include "t.h"
#include <string.h>
#include <stdio.h>
#include <errno.h>

#define LOG_MAX (1 << 20)
static char evlog[LOG_MAX];
static size_t nlog;
static hl_driver_t drv;
static hl_engine_t *eng;

static void run_ms(int ms) {
  hl_event_t ev[64];
  for (int t = 0; t < ms; t += HL_BLOCK / 8) {
    hl_engine_step(eng);
    hl_engine_collect(eng);
    int n;
    while ((n = hl_engine_drain(eng, ev, 64)) > 0)
      for (int k = 0; k < n; k++) {
        size_t l = strlen(ev[k].json);
        if (nlog + l + 2 >= LOG_MAX) continue;
        memcpy(evlog + nlog, ev[k].json, l);
        nlog += l;
        evlog[nlog++] = '\n';
        evlog[nlog] = 0;
      }
  }
}

/* The first logged event line since `from` holding every needle; its offset or -1. */
static long find(size_t from, const char *a, const char *b, const char *c) {
  const char *p = evlog + from;
  while (*p) {
    const char *nl = strchr(p, '\n');
    size_t len = nl ? (size_t)(nl - p) : strlen(p);
    char line[HL_EVENT_JSON + 1];
    if (len > HL_EVENT_JSON) len = HL_EVENT_JSON;
    memcpy(line, p, len);
    line[len] = 0;
    if (strstr(line, a) && (!b || strstr(line, b)) && (!c || strstr(line, c))) return p - evlog;
    if (!nl) break;
    p = nl + 1;
  }
  return -1;
}

static int wait_for(size_t from, const char *a, const char *b, const char *c, int ms) {
  for (int t = 0; t < ms; t += 100) { if (find(from, a, b, c) >= 0) return 1; run_ms(100); }
  return find(from, a, b, c) >= 0;
}

static void submit(int op, int chan, int i1, int i2, int i3, int i4, const char *s1, const char *s2) {
  hl_cmd_t c;
  memset(&c, 0, sizeof c);
  c.op = op; c.chan = chan; c.i1 = i1; c.i2 = i2; c.i3 = i3; c.i4 = i4;
  if (s1) snprintf(c.s1, sizeof c.s1, "%s", s1);
  if (s2) snprintf(c.s2, sizeof c.s2, "%s", s2);
  hl_engine_submit(eng, &c);
}

static const char *state_of(int chan) {
  static hl_chan_state_t st[128];
  int n = hl_engine_snapshot(eng, st, 128);
  return chan >= 1 && chan <= n ? hl_state_name(st[chan - 1].state) : "?";
}

static int kind_of(int chan) {
  static hl_chan_state_t st[128];
  int n = hl_engine_snapshot(eng, st, 128);
  return chan >= 1 && chan <= n ? st[chan - 1].kind : -1;
}

/* Board: span 1 two FXO lines, span 2 an R2 E1, span 3 an R2 E1 (the one switched). */
#define S2_TS1 3
#define S3_TS1 34
#define S3_TS16 (S3_TS1 + 15)

int main(void) {
  hl_sim_span_def_t sp[3] = { { HL_KIND_FXO, 2 }, { HL_KIND_E1_R2, 31 }, { HL_KIND_E1_R2, 31 } };
  char err[200];
  if (hl_sim_driver_open(&drv, sp, 3, "cn", HL_LAW_ALAW, err, sizeof err) != 0) { printf("# sim: %s\n", err); return 1; }
  hl_engine_config_t cfg;
  memset(&cfg, 0, sizeof cfg);
  strcpy(cfg.zone, "cn");
  eng = hl_engine_new(&drv, &cfg, err, sizeof err);
  if (!eng) { printf("# engine: %s\n", err); return 1; }
  run_ms(200);

  /* A call on span 2 (the exchange calls us), answered: it must survive everything below. */
  size_t mark = nlog;
  submit(HL_OP_SIM_CALL, S2_TS1, 1, 0, 0, 0, "8001", "13900001111");
  CHECK(wait_for(mark, "\"CallOffered\"", "\"chan\":3,", NULL, 5000), "call offered on span 2");
  submit(HL_OP_ANSWER, S2_TS1, 0, 0, 0, 0, NULL, NULL);
  run_ms(1500);
  CHECK(!strcmp(state_of(S2_TS1), "up"), "span 2's call is up (%s)", state_of(S2_TS1));

  /* And a call on span 3 (R2 still), answered, which the switch ends. */
  mark = nlog;
  submit(HL_OP_SIM_CALL, S3_TS1 + 1, 1, 0, 0, 0, "8002", "13900002222");
  CHECK(wait_for(mark, "\"CallOffered\"", "\"chan\":35,", NULL, 5000), "call offered on span 3");
  submit(HL_OP_ANSWER, S3_TS1 + 1, 0, 0, 0, 0, NULL, NULL);
  run_ms(1500);
  CHECK(!strcmp(state_of(S3_TS1 + 1), "up"), "span 3's call is up (%s)", state_of(S3_TS1 + 1));

  /* Refusals on the JS thread: no such E1 span, a bad kind. */
  CHECK(hl_engine_respan(eng, 1, HL_KIND_E1, NULL, 1, err, sizeof err) == -EINVAL, "an FXO span cannot be respanned");
  CHECK(hl_engine_respan(eng, 3, HL_KIND_FXO, NULL, 1, err, sizeof err) == -EINVAL, "only r2 or ss7");
  /* Same signalling: refused on the media thread, the kit still freed. */
  mark = nlog;
  CHECK(hl_engine_respan(eng, 3, HL_KIND_E1_R2, NULL, 7, err, sizeof err) == 0, "respan r2 -> r2 submitted");
  run_ms(40);
  CHECK(find(mark, "\"CommandFailed\"", "\"unchanged\"", NULL) >= 0, "r2 -> r2 refused as unchanged");

  /* R2 -> SS7 (sim far end: our stack, China, box 1, far 2, CIC = timeslot). */
  mark = nlog;
  CHECK(hl_engine_respan(eng, 3, HL_KIND_E1, NULL, 8, err, sizeof err) == 0, "respan span 3 to ss7: %s", err);
  run_ms(40);
  CHECK(find(mark, "\"SpanReconfigured\"", "\"span\":3", "\"signalling\":\"ss7\"") >= 0, "SpanReconfigured span 3 ss7");
  CHECK(find(mark, "\"callsEnded\":1", NULL, NULL) >= 0, "one call ended");
  CHECK(find(mark, "\"ChannelHungUp\"", "\"chan\":35,", "span-reconfigured") >= 0, "span 3's call hung up by us, cause span-reconfigured");
  CHECK(find(mark, "\"ChannelHungUp\"", "\"chan\":3,", NULL) < 0, "span 2's call not touched");
  CHECK(kind_of(S3_TS16) == HL_KIND_DCHAN && kind_of(S3_TS1) == HL_KIND_E1, "span 3 now a D-channel and bearers (%d, %d)", kind_of(S3_TS16), kind_of(S3_TS1));
  CHECK(!strcmp(state_of(S2_TS1), "up"), "span 2's call still up (%s)", state_of(S2_TS1));

  /* The link as the supervisor would configure it, then an SS7 call out on span 3. */
  mark = nlog;
  hl_cmd_t c;
  memset(&c, 0, sizeof c);
  c.op = HL_OP_SET_SS7; c.chan = S3_TS16; c.i1 = 1; c.i2 = 2; c.i3 = 2; c.i4 = 0;
  strcpy(c.s1, "china");
  hl_engine_submit(eng, &c);
  CHECK(wait_for(mark, "\"Ss7LinkUp\"", "\"span\":3", NULL, 20000), "span 3's SS7 link up");
  mark = nlog;
  submit(HL_OP_DIAL, S3_TS1 + 2, 0, 0, 0, 0, "5551234", "80001");
  CHECK(wait_for(mark, "\"ChannelAnswered\"", "\"chan\":36,", NULL, 8000), "SS7 call out on span 3 answered by the far end");
  CHECK(!strcmp(state_of(S2_TS1), "up"), "span 2's call still up (%s)", state_of(S2_TS1));

  /* SS7 -> R2 with that SS7 call up. */
  mark = nlog;
  CHECK(hl_engine_respan(eng, 3, HL_KIND_E1_R2, NULL, 9, err, sizeof err) == 0, "respan span 3 back to r2: %s", err);
  run_ms(40);
  CHECK(find(mark, "\"SpanReconfigured\"", "\"span\":3", "\"signalling\":\"r2\"") >= 0, "SpanReconfigured span 3 r2");
  CHECK(find(mark, "\"ChannelHungUp\"", "\"chan\":36,", "span-reconfigured") >= 0, "the SS7 call ended, cause span-reconfigured");
  CHECK(kind_of(S3_TS16) == HL_KIND_NONE && kind_of(S3_TS1) == HL_KIND_E1_R2, "span 3 is CAS again");
  run_ms(500);
  mark = nlog;
  submit(HL_OP_DIAL, S3_TS1 + 3, 0, 0, 1, 0, "5550000", "80002");
  CHECK(wait_for(mark, "\"ChannelAnswered\"", "\"chan\":37,", NULL, 10000), "R2 call out on span 3 answered by the exchange");
  CHECK(!strcmp(state_of(S2_TS1), "up"), "span 2's call up through both switches (%s)", state_of(S2_TS1));
  CHECK(find(0, "\"ChannelHungUp\"", "\"chan\":3,", NULL) < 0, "span 2's call never hung up");

  /* A respan submitted but never run (the engine stops first): its kit is freed with the engine. */
  CHECK(hl_engine_respan(eng, 3, HL_KIND_E1, NULL, 10, err, sizeof err) == 0, "a last respan queued");
  hl_engine_free(eng);
  hl_sim_driver_close(&drv);
  T_DONE("respan");
}
