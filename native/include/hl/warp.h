/* Streaming fractional resampler ("time warp"): y[k] = x(k * ratio), read
 * through a 16-tap windowed-sinc interpolator. Every frequency in x comes out
 * multiplied by ratio, which is how the sim models a line's frequency offset
 * and how the analyzer makes its frequency-scaled copies. Caller-owned state,
 * no allocation: safe on the media thread. */
#ifndef HL_WARP_H
#define HL_WARP_H
#include <stdint.h>

#define HL_WARP_TAPS 16
#define HL_WARP_BUF 512

typedef struct hl_warp {
  double ratio;               /* input samples consumed per output sample */
  double t;                   /* position of the next output sample in buf */
  int len;                    /* input samples held in buf (history + unread) */
  int16_t buf[HL_WARP_BUF];
} hl_warp_t;

/* ratio in [0.5, 2]. Returns 0 or -1. The output starts at x(0), with no delay. */
int hl_warp_init(hl_warp_t *w, double ratio);
/* How many new input samples the next hl_warp_run must be given to make nout
 * output samples (varies by one from block to block); -1 if nout is too big. */
int hl_warp_need(const hl_warp_t *w, int nout);
/* Consumes exactly hl_warp_need(w, nout) samples from in and writes nout
 * samples to out. Returns 0 or -1 when nin is not what was needed. */
int hl_warp_run(hl_warp_t *w, const int16_t *in, int nin, int16_t *out, int nout);
/* The other way round: takes nin new input samples and writes every output
 * sample they complete (at most maxout). Returns the count, or -1 when nin
 * does not fit the buffer (keep nin <= HL_WARP_BUF / 2). */
int hl_warp_push(hl_warp_t *w, const int16_t *in, int nin, int16_t *out, int maxout);

#endif
