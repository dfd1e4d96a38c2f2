/* Caller ID on analog lines: encode a spill (MDMF with date/time, number, name;
 * or a DTMF string A<number>C) and decode what a line carries, with spandsp's
 * ADSI modems. Bell 202 and V.23 FSK demodulators each lock onto the other's
 * signal, so the standard is told apart by measuring the mark/space tones. */
#ifndef HL_CID_H
#define HL_CID_H
#include <stdint.h>
#include <spandsp.h>
#include "hl/dtmf.h"

typedef struct hl_cid {
  int standard;          /* HL_CID_BELL202, HL_CID_V23, HL_CID_DTMF */
  char number[33];
  char name[49];
  char datetime[9];      /* MMDDHHMM or "" */
  char absence;          /* 'O' unavailable, 'P' private, 0 present */
  int has_name;
} hl_cid_t;

typedef struct hl_cid_rx {
  adsi_rx_state_t *fsk_class, *fsk_clip;
  /* DTMF caller ID: the Q.24-tolerant receiver and the message it spells
   * (A/B/D ... then C or #), given up after 10 s as spandsp's adsi_rx does */
  hl_dtmf_rx_t dtmf;
  char dmsg[64];
  int dlen;
  int dleft;                    /* samples before a message in progress is dropped */
  goertzel_state_t g[4];        /* 1200, 2200, 1300, 2100 Hz */
  float e_bell, e_v23;
  int mask;                     /* which standards to listen for (bit = 1 << HL_CID_*) */
  int ready;
  hl_cid_t got;
  /* The energy gate: the receivers sleep through quiet blocks (an idle line
   * is nearly all of them) and wake on the first loud one, which they get
   * after the quiet block before it, where the signal may have begun. */
  int quiet;                    /* quiet blocks in a row; asleep at the hangover */
  int16_t held[160];            /* the last block slept through */
  int nheld;
  uint64_t blocks, awake_blocks; /* blocks seen, blocks the receivers ran (for tests) */
} hl_cid_rx_t;

int hl_cid_rx_init(hl_cid_rx_t *r, int mask);
void hl_cid_rx_release(hl_cid_rx_t *r);
void hl_cid_rx_reset(hl_cid_rx_t *r);
/* Changes the standards listened for and restarts the receivers in place (no allocation). */
void hl_cid_rx_set_mask(hl_cid_rx_t *r, int mask);
void hl_cid_rx_feed(hl_cid_rx_t *r, const int16_t *amp, int n);
/* 1 and fills out when a complete message was decoded since the last call. */
int hl_cid_rx_take(hl_cid_rx_t *r, hl_cid_t *out);
/* Parses a raw ADSI message (FSK MDMF/SDMF or a DTMF string) into fields. */
int hl_cid_parse(int standard, const uint8_t *msg, int len, hl_cid_t *out);

typedef struct hl_cid_tx {
  adsi_tx_state_t *tx[3];       /* class, clip, dtmf */
  int active;                   /* index + 1 of the modem sending, 0 idle */
  int ms;                       /* the last spill's length, from its bits (an upper bound) */
} hl_cid_tx_t;

int hl_cid_tx_init(hl_cid_tx_t *t);
void hl_cid_tx_release(hl_cid_tx_t *t);
/* Starts a spill; datetime may be "" to omit it. Returns 0 or -1 (bad input). */
int hl_cid_tx_start(hl_cid_tx_t *t, int standard, const char *number, const char *name, const char *datetime);
/* The same for a phone that is off-hook (type II, after it acknowledged the
 * alerting signal): no channel seizure, 80 mark bits, Bell 202 or V.23. */
int hl_cid_tx_start_offhook(hl_cid_tx_t *t, int standard, const char *number, const char *name, const char *datetime);
/* Adds the spill into out[]; returns 1 while sending, 0 when done. */
int hl_cid_tx_mix(hl_cid_tx_t *t, int16_t *out, int n);
const char *hl_cid_standard_name(int standard);
int hl_cid_standard_from_name(const char *s);

#endif
