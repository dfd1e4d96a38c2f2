/* Call-progress tone detection by cadence: is the line carrying the zone's
 * dial, stutter dial, busy, congestion or ringback tone? Energy at the zone's
 * frequency (Goertzel) against total energy decides on/off per 10 ms; on/off
 * run lengths are matched against the zone's cadences with tolerance. A
 * learned cadence (per line) can be added at run time. */
#ifndef HL_TONEDET_H
#define HL_TONEDET_H
#include <stdint.h>

/* HL_TONE_STUTTER: the zone's stutter dial tone (an analog phone's
 * message-waiting indication), reported instead of dial tone. */
enum hl_tone { HL_TONE_NONE = 0, HL_TONE_DIAL, HL_TONE_BUSY, HL_TONE_CONGESTION, HL_TONE_RINGBACK,
               HL_TONE_CALLWAIT, HL_TONE_LEARNED, HL_TONE_STUTTER, HL_TONE_COUNT };

typedef struct hl_tone_report {
  int tone;        /* enum hl_tone */
  int on_ms;       /* measured, averaged over the cycles seen */
  int off_ms;      /* 0 for continuous tones */
  int64_t start_ms;/* position (ms from the detector's start) of the first on-edge */
} hl_tone_report_t;

typedef void (*hl_tone_cb)(void *user, const hl_tone_report_t *r);

typedef struct hl_tonedet hl_tonedet_t;

/* zone: "cn", "us", "eu" ... (from libtonezone). Returns NULL on an unknown zone. */
hl_tonedet_t *hl_tonedet_new(const char *zone, hl_tone_cb cb, void *user);
void hl_tonedet_free(hl_tonedet_t *d);
void hl_tonedet_reset(hl_tonedet_t *d);
/* Adds a cadence to report as HL_TONE_LEARNED (or replaces one of the zone's
 * tones when `as_tone` names it). */
void hl_tonedet_set_cadence(hl_tonedet_t *d, int as_tone, int freq_hz, int on_ms, int off_ms);
/* Learning: after `hl_tonedet_learn_start`, the next stable on/off cadence at
 * any frequency in 300..700 Hz is measured; `hl_tonedet_learned` returns 1 and
 * fills freq/on/off once two matching cycles were heard. */
void hl_tonedet_learn_start(hl_tonedet_t *d);
int hl_tonedet_learned(hl_tonedet_t *d, int *freq_hz, int *on_ms, int *off_ms);
/* Feeds linear 8 kHz samples; calls cb when a tone is recognised (once per
 * tone onset; again after the tone stopped and restarted). */
void hl_tonedet_rx(hl_tonedet_t *d, const int16_t *amp, int n);
const char *hl_tone_name(int tone);
/* Continuous (dial) tone is reported after this much unbroken tone. The
 * default is 300 ms, raised per frequency to beyond the longest on-phase of a
 * cadenced tone at the same frequency (cn and eu ringback: 1 s on, so dial tone
 * there needs ~1.25 s); a caller that knows no cadence can come yet (just went
 * off-hook) may set 300 here. ms <= 0 restores the default. */
void hl_tonedet_set_dial_ms(hl_tonedet_t *d, int ms);
/* End of signal: an off-phase that already lasted as long as a cadence needs
 * counts as complete (the last cycle of a file or of a capture). */
void hl_tonedet_flush(hl_tonedet_t *d);

#endif
