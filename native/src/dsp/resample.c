/* Windowed-sinc resampler. The kernel h(x) (x in input samples) is tabulated
 * at TAB_RES points per input sample and read with linear interpolation, so
 * one code path serves any ratio (44.1k -> 8k has no small polyphase form
 * worth building, and odd rates from sound cards exist). Cost is 2*half taps
 * per output sample: ~370 for 44.1 kHz, fine for offline use. */
#include "hl/resample.h"
#include <math.h>
#include <stdlib.h>
#include <string.h>

#define OUT_RATE 8000
#define TAB_RES 256          /* table points per input sample */
#define KAISER_BETA 8.0      /* ~ -80 dB side lobes */

static double bessel_i0(double x) {
  double sum = 1.0, term = 1.0, q = x * x / 4.0;
  for (int k = 1; k < 50; k++) {
    term *= q / ((double)k * k);
    sum += term;
    if (term < sum * 1e-12) break;
  }
  return sum;
}

static int16_t sat16(double v) {
  long r = lrint(v);
  return (int16_t)(r > 32767 ? 32767 : r < -32768 ? -32768 : r);
}

int hl_resample_to_8k(const float *in, size_t n, int rate, int16_t **out, size_t *outn) {
  *out = NULL;
  *outn = 0;
  if (rate < 1000 || rate > 768000) return -1;
  if (rate == OUT_RATE) {
    int16_t *o = malloc((n ? n : 1) * sizeof(*o));
    if (!o) return -1;
    for (size_t i = 0; i < n; i++) o[i] = sat16(in[i]);
    *out = o;
    *outn = n;
    return 0;
  }
  /* Cut-off between the telephone band edge and the output Nyquist; for an
   * input slower than 8 kHz the input's own Nyquist bounds it instead. */
  double lo_nyq = (rate < OUT_RATE ? rate : OUT_RATE) / 2.0;
  double fpass = lo_nyq * 0.85, fstop = lo_nyq;          /* 3400 .. 4000 Hz */
  double fc = (fpass + fstop) / 2.0 / rate;                /* cycles per input sample */
  double tw = (fstop - fpass) / rate;
  /* Kaiser length for ~80 dB: N = (A - 8) / (2.285 * 2*pi*tw). */
  int half = (int)ceil((80.0 - 8.0) / (2.285 * 2.0 * M_PI * tw) / 2.0) + 1;
  size_t tabn = (size_t)half * TAB_RES + 2;
  float *tab = malloc(tabn * sizeof(*tab));
  size_t on = (size_t)((double)n * OUT_RATE / rate);
  int16_t *o = malloc((on ? on : 1) * sizeof(*o));
  if (!tab || !o) { free(tab); free(o); return -1; }
  double i0b = bessel_i0(KAISER_BETA);
  for (size_t i = 0; i < tabn; i++) {
    double x = (double)i / TAB_RES;
    double r = x / half;
    double w = r >= 1.0 ? 0.0 : bessel_i0(KAISER_BETA * sqrt(1.0 - r * r)) / i0b;
    double s = x == 0.0 ? 2.0 * fc : sin(2.0 * M_PI * fc * x) / (M_PI * x);
    tab[i] = (float)(s * w);
  }
  double step = (double)rate / OUT_RATE;
  for (size_t k = 0; k < on; k++) {
    double t = (double)k * step;
    long c = (long)floor(t);
    long j0 = c - half + 1, j1 = c + half;
    if (j0 < 0) j0 = 0;
    if (j1 > (long)n - 1) j1 = (long)n - 1;
    double acc = 0.0;
    for (long j = j0; j <= j1; j++) {
      double d = fabs(t - (double)j) * TAB_RES;
      size_t ix = (size_t)d;
      if (ix + 1 >= tabn) continue;
      double fr = d - (double)ix;
      acc += in[j] * (tab[ix] + (tab[ix + 1] - tab[ix]) * fr);
    }
    o[k] = sat16(acc);
  }
  free(tab);
  *out = o;
  *outn = on;
  return 0;
}
