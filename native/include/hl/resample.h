/* Band-limited sample-rate conversion to 8 kHz for offline audio (prompt files,
 * the analyzer). Not for the media thread: it allocates. */
#ifndef HL_RESAMPLE_H
#define HL_RESAMPLE_H
#include <stdint.h>
#include <stddef.h>

/* Converts `n` mono samples at `rate` Hz (linear, int16 scale, as float) to
 * 8 kHz with a Kaiser-windowed sinc low-pass (passband to 3.4 kHz, stopband
 * from 4 kHz at about -80 dB, so nothing above 4 kHz folds into the band).
 * Any rate from 1000 to 768000 Hz; rate 8000 is a plain copy. On success
 * *out is malloc'ed (caller frees), *outn set, and 0 returned; -1 on a bad
 * rate or out of memory. */
int hl_resample_to_8k(const float *in, size_t n, int rate, int16_t **out, size_t *outn);

#endif
