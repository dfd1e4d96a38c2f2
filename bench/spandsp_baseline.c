/* Bare C baseline for the engine bench: the same per-channel work as the
 * engine does for a call with DTMF detection and a mono recording, written as
 * the plainest loop over spandsp (links only -lspandsp):
 *   per channel per 20 ms block: A-law -> linear (alaw_to_linear), dtmf_rx,
 *   transmit block (silence, as the engine sends when nothing plays) -> A-law
 *   (linear_to_alaw), and rx+tx mixed into a per-channel recording ring.
 *
 *   spandsp_baseline ir <nchans> <seconds>        (callgrind: --toggle-collect=bench_measured_tick)
 *   spandsp_baseline timing <nchans> <ticks>      (wall/CPU per tick, for context)
 *
 * Input: the same far-end signal the sim board sends in the engine bench (a
 * tone at 300 + (chan*37 % 1500) Hz, -13 dBm0, A-law), prepared outside the
 * measured function. Output: one JSON object on stdout. */
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <stdint.h>
#include <time.h>
#include <spandsp.h>

#define BLOCK 160
#define REC_RING (8000 * 4)
#define IN_BLOCKS 50          /* one second of input, repeated */

typedef struct {
  dtmf_rx_state_t *dtmf;
  uint8_t in[IN_BLOCKS][BLOCK];   /* what the line sends (A-law) */
  uint8_t out[BLOCK];             /* what we send the line (A-law) */
  int16_t rx[BLOCK], tx[BLOCK];
  int16_t *rec;                   /* recording ring */
  uint64_t rec_head;
  int digit;
} chan_t;

static chan_t *ch;
static int nch;
static int tick_no;

static void on_dtmf(void *user, int code, int level, int delay) {
  chan_t *c = user;
  c->digit = code;
}

static inline int16_t sat16(int32_t v) { return (int16_t)(v > 32767 ? 32767 : v < -32768 ? -32768 : v); }

/* The function callgrind collects. */
__attribute__((noinline)) void bench_measured_tick(void) {
  int blk = tick_no++ % IN_BLOCKS;
  for (int i = 0; i < nch; i++) {
    chan_t *c = &ch[i];
    for (int k = 0; k < BLOCK; k++) c->rx[k] = alaw_to_linear(c->in[blk][k]);
    dtmf_rx(c->dtmf, c->rx, BLOCK);
    memset(c->tx, 0, sizeof c->tx);
    for (int k = 0; k < BLOCK; k++) c->out[k] = linear_to_alaw(c->tx[k]);
    if (c->rec_head + BLOCK <= REC_RING) {
      int16_t *r = c->rec + c->rec_head;
      for (int k = 0; k < BLOCK; k++) r[k] = sat16((int32_t)c->rx[k] + c->tx[k]);
      c->rec_head += BLOCK;
    }
  }
}

static void setup(int n) {
  nch = n;
  ch = calloc((size_t)n, sizeof *ch);
  for (int i = 0; i < n; i++) {
    chan_t *c = &ch[i];
    c->dtmf = dtmf_rx_init(NULL, NULL, NULL);
    dtmf_rx_set_realtime_callback(c->dtmf, on_dtmf, c);
    c->rec = calloc(REC_RING, sizeof(int16_t));
    int channo = i + 1;
    uint32_t ph = 0;
    int32_t rate = dds_phase_rate((float)(300 + (channo * 37) % 1500));
    int16_t amp = dds_scaling_dbm0(-13.0f);
    for (int b = 0; b < IN_BLOCKS; b++)
      for (int k = 0; k < BLOCK; k++) c->in[b][k] = linear_to_alaw(dds_mod(&ph, rate, amp, 0));
  }
}

static int64_t clk(clockid_t id) {
  struct timespec ts;
  clock_gettime(id, &ts);
  return (int64_t)ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

int main(int argc, char **argv) {
  if (argc >= 4 && !strcmp(argv[1], "ir")) {
    int n = atoi(argv[2]);
    double secs = atof(argv[3]);
    int ticks = (int)(secs * 50 + 0.5);
    setup(n);
    for (int t = 0; t < ticks; t++) {
      bench_measured_tick();
      if (tick_no % 190 == 0) for (int i = 0; i < n; i++) ch[i].rec_head = 0;   /* "writer" drained the ring */
    }
    printf("{\"mode\":\"ir\",\"nchans\":%d,\"seconds\":%g,\"ticks\":%d}\n", n, secs, ticks);
    return 0;
  }
  if (argc >= 4 && !strcmp(argv[1], "timing")) {
    int n = atoi(argv[2]), ticks = atoi(argv[3]);
    setup(n);
    printf("{\"mode\":\"timing\",\"nchans\":%d,\"ticks\":%d,\"stepWallNs\":[", n, ticks);
    for (int t = 0; t < ticks; t++) {
      int64_t w0 = clk(CLOCK_MONOTONIC);
      bench_measured_tick();
      printf(t ? ",%lld" : "%lld", (long long)(clk(CLOCK_MONOTONIC) - w0));
      if (tick_no % 190 == 0) for (int i = 0; i < n; i++) ch[i].rec_head = 0;
    }
    printf("]}\n");
    return 0;
  }
  fprintf(stderr, "usage: spandsp_baseline ir <nchans> <seconds> | timing <nchans> <ticks>\n");
  return 2;
}
