/* DTMF reception within Q.24's frequency tolerance (accept +-1.5 %, reject
 * +-3.5 %). spandsp's dtmf_rx wants a tone pair's energy within 0.85 dB of a
 * perfect pair, so from about +-1.2 % digits flicker (one digit heard twice, or
 * not at all) and the 1633 Hz column (A-D, the markers of DTMF caller ID) is
 * lost. Two more dtmf_rx listen to copies of the audio time-scaled by
 * +-1.25 % (hl/warp.h), which bring a +-1.5 % tone back near nominal; a digit
 * is present while any of the three hears it. +-3.5 % is still rejected.
 * The extra receivers run only around blocks that look like DTMF (a cheap
 * test per block, see dtmf.c), so silence, speech and a single tone cost one
 * dtmf_rx and the test, as before. No allocation after
 * init. */
#ifndef HL_DTMF_H
#define HL_DTMF_H
#include <stdint.h>
#include <spandsp.h>
#include "hl/warp.h"

/* digit ('0'..'9', '*', '#', 'A'..'D') when it starts, 0 when it ends */
typedef void (*hl_dtmf_edge_fn)(void *user, int digit);

struct hl_dtmf_rx;
typedef struct hl_dtmf_ctx { struct hl_dtmf_rx *d; int i; } hl_dtmf_ctx_t;

typedef struct hl_dtmf_rx {
  dtmf_rx_state_t *rx[3];       /* nominal, scaled up, scaled down */
  hl_warp_t warp[2];
  hl_dtmf_ctx_t ctx[3];
  int held[3];                  /* digit each receiver hears now */
  int digit;                    /* digit reported as present */
  int quiet;                    /* blocks in a row without two tones */
  int cold;                     /* scaled receivers stopped: restart before use */
  int16_t prev[160];            /* the last block, fed to them when they start */
  int nprev;
  uint64_t blocks, open_blocks; /* blocks seen, blocks the scaled receivers ran (for tests) */
  hl_dtmf_edge_fn edge;
  void *user;
} hl_dtmf_rx_t;

/* Allocates the spandsp receivers (not on the media thread). The state must
 * not move afterwards. 0 or -1. */
int hl_dtmf_rx_init(hl_dtmf_rx_t *d, hl_dtmf_edge_fn edge, void *user);
/* Forgets any digit in progress, in place (media thread safe). */
void hl_dtmf_rx_reset(hl_dtmf_rx_t *d);
void hl_dtmf_rx_release(hl_dtmf_rx_t *d);
/* Feeds n <= 160 samples; edges are reported from inside this call. */
/* The per-block test (exposed for tests): 1 when the end of x holds a row
 * and a column frequency, above -45 dBm0, that dominate it. */
int hl_dtmf_dual_tone(const int16_t *x, int n);
void hl_dtmf_rx(hl_dtmf_rx_t *d, const int16_t *amp, int n);

#endif
