/* Engine bench harness: the real engine (libhl.a) on the sim board, every
 * channel in a call with DTMF detection on and a recording running, driven one
 * tick at a time with hl_engine_step on this thread.
 *
 *   engine_bench ir <nchans> <seconds> <recdir>
 *       Steady-state ticks go through bench_measured_tick(), the function that
 *       callgrind's --toggle-collect names; set-up ticks do not.
 *   engine_bench timing <nchans> <ticks> <reps> <recdir>
 *       Per-tick wall and thread-CPU time of hl_engine_step, and separately the
 *       sim board's far-end tick (timed through a wrapper around ops->tick), so
 *       the runner can subtract the virtual PSTN from the engine's work.
 *   engine_bench idle <nlines> <ticks> <reps>
 *       Exchange lines with no call (the common case of a large board): FXO
 *       ports on silent lines, caller ID listening on auto. Per-tick thread-CPU
 *       time of hl_engine_step less the sim tick, summarised; the measured
 *       ticks go through bench_measured_tick as in ir mode, for callgrind.
 *
 * Output: one JSON object on stdout. Progress and errors on stderr. */
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <errno.h>
#include <time.h>
#include <stdint.h>
#include "hl/engine.h"
#include "hl/sim.h"

#define SPAN_CHANS 30
#define MAX_RECORDINGS_HINT 512   /* engine limit (MAX_RECORDINGS in core_int.h) */

static int64_t clk(clockid_t id) {
  struct timespec ts;
  clock_gettime(id, &ts);
  return (int64_t)ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

/* ---- sim tick timing wrapper (timing mode only) ---- */
static const hl_driver_ops_t *orig_ops;
static hl_driver_ops_t timed_ops;
static int64_t sim_wall_ns, sim_cpu_ns;

static void timed_tick(void *d, int64_t now) {
  int64_t w0 = clk(CLOCK_MONOTONIC), c0 = clk(CLOCK_THREAD_CPUTIME_ID);
  orig_ops->tick(d, now);
  sim_cpu_ns += clk(CLOCK_THREAD_CPUTIME_ID) - c0;
  sim_wall_ns += clk(CLOCK_MONOTONIC) - w0;
}

/* ---- driver wrappers for the callgrind run (ir mode only) ----
 * Installed only around the measured ticks, so callgrind's --toggle-collect on
 * bench_sim_tick switches collection off exactly for the far-end simulation of
 * measured ticks (toggling on the static op_tick would also switch collection
 * ON inside the uncollected set-up ticks). The I/O wrappers are not toggled;
 * their inclusive cost is read from the profile and reported separately. */
static const hl_driver_ops_t *ir_orig;
static hl_driver_ops_t ir_ops;
__attribute__((noinline)) void bench_sim_tick(void *d, int64_t now) { ir_orig->tick(d, now); }
__attribute__((noinline)) int bench_sim_read(void *d, int ch, uint8_t *b, int n) { return ir_orig->read_audio(d, ch, b, n); }
__attribute__((noinline)) int bench_sim_write(void *d, int ch, const uint8_t *b, int n) { return ir_orig->write_audio(d, ch, b, n); }
__attribute__((noinline)) int bench_sim_get_event(void *d, int ch) { return ir_orig->get_event(d, ch); }

/* ---- set-up ---- */
static hl_event_t evbuf[256];
static long events_seen;

static void drain(hl_engine_t *e) {
  int n;
  while ((n = hl_engine_drain(e, evbuf, 256)) > 0) events_seen += n;
  hl_engine_collect(e);
}

static void submit(hl_engine_t *e, const hl_cmd_t *c) {
  while (hl_engine_submit(e, c) == -ENOSPC) { hl_engine_step(e); drain(e); }
}

static void cmd(hl_engine_t *e, int op, int chan, int i1, int i2, int i3, float f1, const char *s1, void *ptr) {
  hl_cmd_t c;
  memset(&c, 0, sizeof c);
  c.op = op; c.chan = chan; c.id = chan; c.i1 = i1; c.i2 = i2; c.i3 = i3; c.f1 = f1; c.ptr = ptr;
  if (s1) snprintf(c.s1, sizeof c.s1, "%s", s1);
  submit(e, &c);
}

typedef struct {
  hl_driver_t drv;
  hl_engine_t *e;
  int nchans, recorded, up;
} rig_t;

static int count_states(rig_t *r, hl_chan_state_t *st, int *rec) {
  int n = hl_engine_snapshot(r->e, st, r->nchans), up = 0;
  *rec = 0;
  for (int i = 0; i < n; i++) { if (st[i].state == HL_ST_UP) up++; if (st[i].recording) (*rec)++; }
  return up;
}

static int rig_open(rig_t *r, int nchans, const char *recdir) {
  memset(r, 0, sizeof *r);
  int nspans = (nchans + SPAN_CHANS - 1) / SPAN_CHANS;
  hl_sim_span_def_t *spans = calloc((size_t)nspans, sizeof *spans);
  for (int s = 0, left = nchans; s < nspans; s++, left -= SPAN_CHANS) {
    spans[s].kind = s % 2 == 0 ? HL_KIND_FXS : HL_KIND_FXO;   /* half phones, half exchange lines */
    spans[s].nchans = left < SPAN_CHANS ? left : SPAN_CHANS;
  }
  char err[200] = "";
  if (hl_sim_driver_open(&r->drv, spans, nspans, "cn", HL_LAW_ALAW, err, sizeof err) != 0) {
    fprintf(stderr, "sim driver: %s\n", err); free(spans); return -1;
  }
  free(spans);
  hl_engine_config_t cfg;
  memset(&cfg, 0, sizeof cfg);
  strcpy(cfg.zone, "cn");
  cfg.speed = 0;
  r->e = hl_engine_new(&r->drv, &cfg, err, sizeof err);
  if (!r->e) { fprintf(stderr, "engine: %s\n", err); hl_sim_driver_close(&r->drv); return -1; }
  r->nchans = nchans;
  hl_engine_t *e = r->e;
  const hl_chan_info_t *ci = r->drv.chans;

  /* 1. Far ends start calls: FXS phones go off-hook (engine gives dial tone,
   *    DTMF detection on); exchange lines ring our FXO ports. FXO lines are
   *    configured for loop/polarity disconnect only, so the engine runs the same
   *    receive DSP (DTMF only) as the bare spandsp loop it is compared with. */
  for (int i = 0; i < nchans; i++) {
    int ch = ci[i].channo;
    if (ci[i].kind == HL_KIND_FXS) cmd(e, HL_OP_SIM_OFFHOOK, ch, 0, 0, 0, 0, NULL, NULL);
    else {
      cmd(e, HL_OP_SET_LINE, ch, -1, HL_DISC_POLARITY | HL_DISC_LOOP, -1, 0, NULL, NULL);
      cmd(e, HL_OP_SIM_CALL, ch, HL_CID_NONE, 0, 0, 0, "5550100", NULL);
    }
  }
  hl_chan_state_t *st = calloc((size_t)nchans, sizeof *st);
  for (int t = 0; t < 50; t++) {
    hl_engine_step(e); drain(e);
    int n = hl_engine_snapshot(e, st, nchans), ready = 0;
    for (int i = 0; i < n; i++)
      if (st[i].state == HL_ST_DIALTONE || st[i].state == HL_ST_RINGING || st[i].state == HL_ST_OFFERED) ready++;
    if (ready == nchans) break;
  }
  /* 2. Answer every channel; 3. the far end talks (a tone at -13 dBm0). */
  for (int i = 0; i < nchans; i++) cmd(e, HL_OP_ANSWER, ci[i].channo, 0, 0, 0, 0, NULL, NULL);
  for (int t = 0; t < 3; t++) { hl_engine_step(e); drain(e); }
  for (int i = 0; i < nchans; i++)
    cmd(e, HL_OP_SIM_TALK, ci[i].channo, 300 + (ci[i].channo * 37) % 1500, 0, 0, -13.0f, NULL, NULL);
  /* 4. Record every channel (mono, both directions mixed), as far as the engine allows. */
  for (int i = 0; i < nchans && i < MAX_RECORDINGS_HINT; i++) {
    char path[512];
    snprintf(path, sizeof path, "%s/rec-%d.wav", recdir, ci[i].channo);
    hl_recording_t *rec = hl_recording_open(path, 0, err, sizeof err);
    if (!rec) { fprintf(stderr, "recording: %s\n", err); break; }
    cmd(e, HL_OP_RECORD, ci[i].channo, 0, 0, 0, 0, NULL, rec);
  }
  hl_engine_step(e); drain(e);
  r->up = count_states(r, st, &r->recorded);
  free(st);
  if (r->up != nchans) fprintf(stderr, "engine_bench: only %d of %d channels are up\n", r->up, nchans);
  return 0;
}

static void rig_close(rig_t *r) {
  if (orig_ops) { r->drv.ops = orig_ops; }
  drain(r->e);
  hl_engine_free(r->e);
  hl_sim_driver_close(&r->drv);
}

/* The function callgrind collects (--toggle-collect=bench_measured_tick). */
__attribute__((noinline)) void bench_measured_tick(hl_engine_t *e) {
  hl_engine_step(e);
}

static int run_ir(int nchans, double seconds, const char *recdir) {
  rig_t r;
  if (rig_open(&r, nchans, recdir) != 0) return 1;
  int ticks = (int)(seconds * 50 + 0.5);
  hl_engine_stats_t s0, s1;
  hl_engine_stats(r.e, &s0);
  ir_orig = r.drv.ops;
  ir_ops = *ir_orig;
  ir_ops.tick = bench_sim_tick; ir_ops.read_audio = bench_sim_read;
  ir_ops.write_audio = bench_sim_write; ir_ops.get_event = bench_sim_get_event;
  r.drv.ops = &ir_ops;
  for (int t = 0; t < ticks; t++) {
    bench_measured_tick(r.e);
    if (t % 10 == 9) drain(r.e);   /* outside the measured function */
  }
  r.drv.ops = ir_orig;
  hl_engine_stats(r.e, &s1);
  hl_chan_state_t *st = calloc((size_t)nchans, sizeof *st);
  int rec, up = count_states(&r, st, &rec);
  free(st);
  printf("{\"mode\":\"ir\",\"nchans\":%d,\"seconds\":%g,\"ticks\":%d,\"upAtStart\":%d,\"recordedAtStart\":%d,"
         "\"upAtEnd\":%d,\"recordedAtEnd\":%d,\"eventsDuringMeasure\":%llu}\n",
         nchans, seconds, ticks, r.up, r.recorded, up, rec, (unsigned long long)(s1.events - s0.events));
  rig_close(&r);
  return 0;
}

static int run_timing(int nchans, int ticks, int reps, const char *recdir) {
  int total = ticks * reps;
  int64_t *step_w = calloc((size_t)total, 8), *step_c = calloc((size_t)total, 8);
  int64_t *sim_w = calloc((size_t)total, 8), *sim_c = calloc((size_t)total, 8);
  int k = 0, up = 0, recorded = 0;
  for (int rep = 0; rep < reps; rep++) {
    rig_t r;
    if (rig_open(&r, nchans, recdir) != 0) return 1;
    up = r.up; recorded = r.recorded;
    orig_ops = r.drv.ops;
    timed_ops = *orig_ops;
    timed_ops.tick = timed_tick;
    r.drv.ops = &timed_ops;   /* the engine keeps a pointer to r.drv */
    for (int t = 0; t < ticks; t++, k++) {
      sim_wall_ns = sim_cpu_ns = 0;
      int64_t w0 = clk(CLOCK_MONOTONIC), c0 = clk(CLOCK_THREAD_CPUTIME_ID);
      hl_engine_step(r.e);
      step_c[k] = clk(CLOCK_THREAD_CPUTIME_ID) - c0;
      step_w[k] = clk(CLOCK_MONOTONIC) - w0;
      sim_w[k] = sim_wall_ns; sim_c[k] = sim_cpu_ns;
      drain(r.e);
    }
    rig_close(&r);
    orig_ops = NULL;
  }
  printf("{\"mode\":\"timing\",\"nchans\":%d,\"ticksPerRep\":%d,\"reps\":%d,\"up\":%d,\"recorded\":%d", nchans, ticks, reps, up, recorded);
  const char *names[] = { "stepWallNs", "stepCpuNs", "simWallNs", "simCpuNs" };
  int64_t *arrs[] = { step_w, step_c, sim_w, sim_c };
  for (int a = 0; a < 4; a++) {
    printf(",\"%s\":[", names[a]);
    for (int i = 0; i < total; i++) printf(i ? ",%lld" : "%lld", (long long)arrs[a][i]);
    printf("]");
  }
  printf("}\n");
  free(step_w); free(step_c); free(sim_w); free(sim_c);
  return 0;
}

static int cmp_i64(const void *a, const void *b) {
  int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
  return x < y ? -1 : x > y;
}

static int run_idle(int nlines, int ticks, int reps) {
  int total = ticks * reps, k = 0;
  int64_t *eng = calloc((size_t)total, sizeof *eng);
  for (int rep = 0; rep < reps; rep++) {
    int nspans = (nlines + SPAN_CHANS - 1) / SPAN_CHANS;
    hl_sim_span_def_t *spans = calloc((size_t)nspans, sizeof *spans);
    for (int s = 0, left = nlines; s < nspans; s++, left -= SPAN_CHANS) {
      spans[s].kind = HL_KIND_FXO;
      spans[s].nchans = left < SPAN_CHANS ? left : SPAN_CHANS;
    }
    rig_t r;
    memset(&r, 0, sizeof r);
    char err[200] = "";
    int rc = hl_sim_driver_open(&r.drv, spans, nspans, "cn", HL_LAW_ALAW, err, sizeof err);
    free(spans);
    if (rc != 0) { fprintf(stderr, "sim driver: %s\n", err); return 1; }
    hl_engine_config_t cfg;
    memset(&cfg, 0, sizeof cfg);
    strcpy(cfg.zone, "cn");
    r.e = hl_engine_new(&r.drv, &cfg, err, sizeof err);
    if (!r.e) { fprintf(stderr, "engine: %s\n", err); hl_sim_driver_close(&r.drv); return 1; }
    r.nchans = nlines;
    for (int t = 0; t < 10; t++) { hl_engine_step(r.e); drain(r.e); }
    orig_ops = r.drv.ops;
    timed_ops = *orig_ops;
    timed_ops.tick = timed_tick;
    r.drv.ops = &timed_ops;
    for (int t = 0; t < ticks; t++, k++) {
      sim_cpu_ns = 0;
      int64_t c0 = clk(CLOCK_THREAD_CPUTIME_ID);
      bench_measured_tick(r.e);
      eng[k] = clk(CLOCK_THREAD_CPUTIME_ID) - c0 - sim_cpu_ns;
      if (t % 10 == 9) drain(r.e);
    }
    rig_close(&r);
    orig_ops = NULL;
  }
  double sum = 0;
  for (int i = 0; i < total; i++) sum += (double)eng[i];
  qsort(eng, (size_t)total, sizeof *eng, cmp_i64);
  printf("{\"mode\":\"idle\",\"lines\":%d,\"ticks\":%d,\"engineMsPerTickMean\":%.4f,\"engineMsPerTickP50\":%.4f,"
         "\"engineMsPerTickP99\":%.4f,\"engineUsPerLineTick\":%.3f}\n",
         nlines, total, sum / total / 1e6, eng[total / 2] / 1e6, eng[(int)(total * 0.99)] / 1e6, sum / total / 1e3 / nlines);
  free(eng);
  return 0;
}

int main(int argc, char **argv) {
  if (argc >= 5 && !strcmp(argv[1], "ir")) return run_ir(atoi(argv[2]), atof(argv[3]), argv[4]);
  if (argc >= 5 && !strcmp(argv[1], "idle")) return run_idle(atoi(argv[2]), atoi(argv[3]), atoi(argv[4]));
  if (argc >= 6 && !strcmp(argv[1], "timing")) return run_timing(atoi(argv[2]), atoi(argv[3]), atoi(argv[4]), argv[5]);
  fprintf(stderr, "usage: engine_bench ir <nchans> <seconds> <recdir>\n"
                  "       engine_bench timing <nchans> <ticks> <reps> <recdir>\n"
                  "       engine_bench idle <nlines> <ticks> <reps>\n");
  return 2;
}
