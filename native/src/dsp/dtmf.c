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

/* The gate is on every loud block of every channel that listens for DTMF, so
 * its cost is the engine's cost over bare spandsp. It runs four Goertzel
 * filters at once, one per lane of a 4-float vector (GCC/Clang vector
 * extensions: SSE2 on x86-64, NEON on AArch64, plain code elsewhere): the
 * columns first, then the rows only when a column frequency holds the minimum
 * share. Columns first because speech, the common loud signal, seldom has
 * one there (8 % of its blocks, against 28 % for a row). About 1,100
 * instructions a block on x86-64, where the same test in scalar code took
 * 3,070 (2,370 in the two stages; 9,500 as a 32-bit integer Goertzel, which
 * needs 64-bit products). Testing only every other block would halve it again
 * but lets 2 % of 40 ms digits at +-1.5 % slip between two windows. */
typedef float gate_v4 __attribute__((vector_size(16)));
typedef int32_t gate_v4i __attribute__((vector_size(16)));
typedef uint32_t gate_v4u __attribute__((vector_size(16)));

/* 2 cos(2 pi f / 8000) for the rows and the columns. */
static gate_v4 gate_row, gate_col;
static pthread_once_t gate_once = PTHREAD_ONCE_INIT;
static void gate_build(void) {
  static const double f[8] = { 697, 770, 852, 941, 1209, 1336, 1477, 1633 };
  for (int i = 0; i < 4; i++) {
    gate_row[i] = (float)(2.0 * cos(2.0 * M_PI * f[i] / 8000.0));
    gate_col[i] = (float)(2.0 * cos(2.0 * M_PI * f[4 + i] / 8000.0));
  }
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

/* The window as floats, even and odd samples apart (xe[j] = x[2j],
 * xo[j] = x[2j + 1]): a 32-bit lane of the input holds one of each, so eight
 * samples convert in two vector steps. */
typedef struct gate_win { gate_v4 xe[GATE_N / 8], xo[GATE_N / 8]; } gate_win_t;
_Static_assert(GATE_N % 8 == 0, "the window converts eight samples a step");

#if __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
#define LANE_FIRST(p) ((p) >> 16)
#define LANE_SECOND(p) ((gate_v4i)((gate_v4u)(p) << 16) >> 16)
#else
#define LANE_FIRST(p) ((gate_v4i)((gate_v4u)(p) << 16) >> 16)
#define LANE_SECOND(p) ((p) >> 16)
#endif

/* Goertzel over the window for four frequencies (coef = 2 cos w each); returns
 * each one's share of the window's energy, k = 2 / (N E): a pure tone on a
 * bin gives |X|^2 = (N A / 2)^2, half of N times the window's energy, so 1
 * means all of it. */
static gate_v4 gate_shares(const gate_win_t *w, gate_v4 coef, float k) {
  const float *a = (const float *)w->xe, *b = (const float *)w->xo;
  gate_v4 s1 = { 0 }, s2 = { 0 };
  for (int j = 0; j < GATE_N / 2; j++) {
    s2 = coef * s1 - s2 + a[j];
    s1 = coef * s2 - s1 + b[j];
  }
  return (s1 * s1 + s2 * s2 - coef * s1 * s2) * k;
}

static float lane_max(gate_v4 v) {
  float m = v[0];
  for (int i = 1; i < 4; i++) if (v[i] > m) m = v[i];
  return m;
}

int hl_dtmf_dual_tone(const int16_t *x, int n) {
  if (n < GATE_N) return 0;
  pthread_once(&gate_once, gate_build);
  x += n - GATE_N;
  gate_win_t w;
  gate_v4 e4 = { 0 };
  for (int i = 0; i < GATE_N / 8; i++) {
    gate_v4i p;
    memcpy(&p, x + 8 * i, sizeof p);
    gate_v4 ev = __builtin_convertvector(LANE_FIRST(p), gate_v4), od = __builtin_convertvector(LANE_SECOND(p), gate_v4);
    w.xe[i] = ev;
    w.xo[i] = od;
    e4 += ev * ev + od * od;
  }
  float e = e4[0] + e4[1] + e4[2] + e4[3];
  if (e < QUIET_MS * GATE_N) return 0;
  float k = 2.0f / (e * GATE_N);
  float best_col = lane_max(gate_shares(&w, gate_col, k));
  if (best_col < GATE_MIN_SHARE) return 0;
  float best_row = lane_max(gate_shares(&w, gate_row, k));
  return best_row + best_col >= GATE_SHARE && best_row >= GATE_MIN_SHARE;
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
