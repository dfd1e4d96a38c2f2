/* Three spandsp DTMF receivers merged into one (see hl/dtmf.h). Each reports
 * its own edges through the realtime callback; after every block the merged
 * digit is the one the nominal receiver holds, else one a scaled receiver
 * holds, and it ends when none holds it.
 *
 * The scaled receivers (and their resamplers) cost about four times the
 * nominal one, so they run only around blocks that look like DTMF: over the
 * last 80 samples of a block (a window short enough that a tone 1.5 % off
 * loses under 1 dB), the strongest row and column frequencies hold at least
 * half the energy. Any digit of 40 ms or more covers one such window whole.
 * Silence, noise, a single tone and speech (espeak-ng English and Mandarin:
 * a few % of blocks) leave them asleep. A miss only costs the off-frequency
 * help: the nominal receiver always runs. (A linear-prediction two-tone test
 * was tried first: cheaper, but it loses DTMF under 30 dB SNR.) */
#include "hl/dtmf.h"
#include <math.h>
#include <pthread.h>
#include <string.h>

#define SCALE 1.0125
/* Below -45 dBm0 (mean square of a sine at that level; 0 dBm0 is 3.14 dB
 * under A-law full scale) nothing dtmf_rx would accept can be there. */
#define QUIET_MS 8200.0
#define GATE_N 80              /* the window: the last 80 samples of a 160-sample block */
#define GATE_SHARE 0.5f         /* best row + best column share of the window's energy */
#define GATE_MIN_SHARE 0.08f    /* each (twist up to about 8 dB) */
#define HANGOVER_BLOCKS 4       /* scaled receivers run on this long, to see a digit end */

/* 2 cos(2 pi f / 8000) for the eight DTMF frequencies: the Goertzel
 * recurrence, run for all eight in one pass over the window (spandsp's
 * goertzel_update, one filter a call, cost four times as much here). */
static float gate_coef[8];
static pthread_once_t gate_once = PTHREAD_ONCE_INIT;
static void gate_build(void) {
  static const double f[8] = { 697, 770, 852, 941, 1209, 1336, 1477, 1633 };
  for (int i = 0; i < 8; i++) gate_coef[i] = (float)(2.0 * cos(2.0 * M_PI * f[i] / 8000.0));
}

static void on_edge(void *user, int code, int level, int delay) {
  (void)level; (void)delay;
  hl_dtmf_ctx_t *c = user;
  c->d->held[c->i] = code;
}

static void wire(hl_dtmf_rx_t *d, int i) {
  dtmf_rx_init(d->rx[i], NULL, NULL);
  dtmf_rx_set_realtime_callback(d->rx[i], on_edge, &d->ctx[i]);
  d->held[i] = 0;
}

int hl_dtmf_rx_init(hl_dtmf_rx_t *d, hl_dtmf_edge_fn edge, void *user) {
  pthread_once(&gate_once, gate_build);
  memset(d, 0, sizeof(*d));
  d->edge = edge;
  d->user = user;
  for (int i = 0; i < 3; i++) {
    d->ctx[i].d = d;
    d->ctx[i].i = i;
    d->rx[i] = dtmf_rx_init(NULL, NULL, NULL);
    if (!d->rx[i]) { hl_dtmf_rx_release(d); return -1; }
  }
  hl_dtmf_rx_reset(d);
  return 0;
}

void hl_dtmf_rx_reset(hl_dtmf_rx_t *d) {
  for (int i = 0; i < 3; i++) wire(d, i);
  d->digit = 0;
  d->quiet = HANGOVER_BLOCKS;
  d->cold = 1;
}

void hl_dtmf_rx_release(hl_dtmf_rx_t *d) {
  for (int i = 0; i < 3; i++)
    if (d->rx[i]) dtmf_rx_free(d->rx[i]);
  memset(d, 0, sizeof(*d));
}

int hl_dtmf_dual_tone(const int16_t *x, int n) {
  if (n < GATE_N) return 0;
  pthread_once(&gate_once, gate_build);
  x += n - GATE_N;
  float e = 0;
  for (int i = 0; i < GATE_N; i++) e += (float)x[i] * x[i];
  if (e < QUIET_MS * GATE_N) return 0;
  float s1[8] = { 0 }, s2[8] = { 0 };
  for (int i = 0; i < GATE_N; i++) {
    float xi = x[i];
    for (int k = 0; k < 8; k++) {
      float s0 = gate_coef[k] * s1[k] - s2[k] + xi;
      s2[k] = s1[k];
      s1[k] = s0;
    }
  }
  /* A pure tone on a bin gives |X|^2 = (N A / 2)^2, half of N times the
   * window's energy: share = 2 |X|^2 / (N E), 1 for all of it. */
  float best_row = 0, best_col = 0;
  for (int k = 0; k < 8; k++) {
    float share = 2.0f * (s1[k] * s1[k] + s2[k] * s2[k] - gate_coef[k] * s1[k] * s2[k]) / (e * GATE_N);
    if (k < 4 && share > best_row) best_row = share;
    if (k >= 4 && share > best_col) best_col = share;
  }
  return best_row + best_col >= GATE_SHARE && best_row >= GATE_MIN_SHARE && best_col >= GATE_MIN_SHARE;
}

static void feed_scaled(hl_dtmf_rx_t *d, const int16_t *x, int n) {
  int16_t w[HL_WARP_BUF / 2];
  for (int i = 0; i < 2; i++) {
    int m = hl_warp_push(&d->warp[i], x, n, w, HL_WARP_BUF / 2);
    if (m > 0) dtmf_rx(d->rx[1 + i], w, m);
  }
}

void hl_dtmf_rx(hl_dtmf_rx_t *d, const int16_t *amp, int n) {
  if (n > (int)(sizeof d->prev / sizeof d->prev[0])) n = (int)(sizeof d->prev / sizeof d->prev[0]);
  dtmf_rx(d->rx[0], amp, n);
  d->blocks++;
  if (hl_dtmf_dual_tone(amp, n)) d->quiet = 0;
  else if (d->quiet < HANGOVER_BLOCKS) d->quiet++;
  if (d->quiet < HANGOVER_BLOCKS) {
    if (d->cold) {
      /* Start afresh, from the block before: a digit may have begun in it. */
      wire(d, 1);
      wire(d, 2);
      hl_warp_init(&d->warp[0], SCALE);
      hl_warp_init(&d->warp[1], 1.0 / SCALE);
      d->cold = 0;
      if (d->nprev) feed_scaled(d, d->prev, d->nprev);
    }
    feed_scaled(d, amp, n);
    d->open_blocks++;
  } else if (!d->cold) {
    d->held[1] = d->held[2] = 0;
    d->cold = 1;
  }
  memcpy(d->prev, amp, (size_t)n * sizeof amp[0]);
  d->nprev = n;
  int now = d->held[0] ? d->held[0] : d->held[1] ? d->held[1] : d->held[2];
  if (d->digit && d->held[0] != d->digit && d->held[1] != d->digit && d->held[2] != d->digit) {
    d->digit = 0;
    if (d->edge) d->edge(d->user, 0);
  }
  if (!d->digit && now) {
    d->digit = now;
    if (d->edge) d->edge(d->user, now);
  }
}
