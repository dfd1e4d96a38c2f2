/* Loop-disconnect signalling on the sim board's lines: decoding a hook line
 * into seizure, dial pulses, flash and release (hookdec, as a DAHDI
 * FXO-signalled channel does), and dialing digits as hook pulses (pulsegen).
 * Used for the phone on an FXS port and for the exchange watching an FXO. */
#include "sim_int.h"
#include <string.h>

#define PULSE_MAX_MS 150
#define FLASH_MAX_MS 1000
#define DIGIT_GAP_MS 300

void hookdec_init(hookdec_t *h) { memset(h, 0, sizeof(*h)); h->released = 1; }

int hookdec_feed(hookdec_t *h, int raw, int64_t now, char *digit) {
  int ev = HD_NONE;
  if (raw != h->raw) {
    int64_t dur = now - h->edge_ms;
    h->raw = raw;
    h->edge_ms = now;
    if (raw) {                         /* loop closed */
      if (h->released) { h->released = 0; h->offhook = 1; h->pulses = 0; return HD_SEIZE; }
      if (dur <= PULSE_MAX_MS) { h->pulses++; return h->pulses == 1 ? HD_PULSE_START : HD_NONE; }
      if (dur <= FLASH_MAX_MS) { h->pulses = 0; return HD_FLASH; }
    }
    return HD_NONE;
  }
  int64_t dur = now - h->edge_ms;
  if (!raw && !h->released && dur > FLASH_MAX_MS) {
    h->released = 1; h->offhook = 0; h->pulses = 0;
    return HD_RELEASE;
  }
  if (raw && h->pulses > 0 && dur >= DIGIT_GAP_MS) {
    int p = h->pulses;
    h->pulses = 0;
    if (p <= 10) { *digit = (char)(p == 10 ? '0' : '0' + p); ev = HD_DIGIT; }
  }
  return ev;
}

void pulsegen_start(pulsegen_t *p, const char *digits, int64_t now) {
  memset(p, 0, sizeof(*p));
  size_t o = 0;
  for (const char *d = digits; *d && o < sizeof(p->digits) - 1; d++)
    if (*d >= '0' && *d <= '9') p->digits[o++] = *d;
  p->digits[o] = 0;
  p->active = o > 0;
  p->next_ms = now;
  p->pos = -1;
}

int pulsegen_step(pulsegen_t *p, int64_t now, int *done) {
  *done = 0;
  if (!p->active) return 1;
  if (now < p->next_ms) return p->breaking ? 0 : 1;
  if (p->breaking) {                   /* end of a break: make */
    p->breaking = 0;
    p->remaining--;
    p->next_ms = now + (p->remaining > 0 ? 40 : 600);
    return 1;
  }
  if (p->remaining == 0) {             /* next digit */
    p->pos++;
    if (!p->digits[p->pos]) { p->active = 0; *done = 1; return 1; }
    int d = p->digits[p->pos] - '0';
    p->remaining = d == 0 ? 10 : d;
  }
  p->breaking = 1;
  p->next_ms = now + 60;
  return 0;
}
