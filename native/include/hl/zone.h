/* Tone zones from libtonezone (the same data dahdi_cfg loads into the kernel),
 * parsed into generator programs, and a generator that plays them in software
 * so every driver (and the virtual PSTN) sounds the same. Zone "eu" is the CEPT
 * 425 Hz plan (libtonezone "de"). */
#ifndef HL_ZONE_H
#define HL_ZONE_H
#include <stdint.h>

/* Tone ids: DAHDI_TONE_* values. */
enum { HL_ZT_DIAL = 0, HL_ZT_BUSY = 1, HL_ZT_RINGBACK = 2, HL_ZT_CONGESTION = 3, HL_ZT_CALLWAIT = 4,
       HL_ZT_DIALRECALL = 5, HL_ZT_RECORD = 6, HL_ZT_INFO = 7, HL_ZT_STUTTER = 10, HL_ZT_MAX = 16 };

#define HL_ZONE_MAX_SEGS 24

typedef struct hl_tone_seg {
  int16_t f1, f2;      /* Hz; 0 = silence */
  int32_t ms;          /* 0 = forever */
  uint8_t once;        /* played once, not part of the repeating loop */
} hl_tone_seg_t;

typedef struct hl_tone_prog {
  hl_tone_seg_t seg[HL_ZONE_MAX_SEGS];
  int nseg;
  int loop_from;       /* first segment of the repeating part */
} hl_tone_prog_t;

typedef struct hl_zone {
  char country[8];
  int ring[16];        /* ring cadence in ms: on, off, on, off ... */
  int nring;
  hl_tone_prog_t tones[HL_ZT_MAX];
  float level_dbm0;    /* tone level */
} hl_zone_t;

/* Loads a zone by country code ("cn", "us", "eu", ...). Returns 0 or -1. */
int hl_zone_load(const char *country, hl_zone_t *z);
/* Parses one libtonezone tone string ("450/350,0/350"). Returns 0 or -1. */
int hl_tone_prog_parse(const char *s, hl_tone_prog_t *p);
/* Tone id from a name: dial, busy, ringback, congestion, callwait, dialrecall,
 * record, info, stutter. -1 if unknown. */
int hl_zone_tone_id(const char *name);
const char *hl_zone_tone_name(int id);

typedef struct hl_tonegen {
  const hl_tone_prog_t *prog;
  int seg;
  int32_t left;        /* samples left in the current segment; -1 forever */
  uint32_t ph1, ph2;
  int32_t rate1, rate2;
  int16_t amp;
} hl_tonegen_t;

void hl_tonegen_start(hl_tonegen_t *g, const hl_tone_prog_t *p, float level_dbm0);
/* Adds the tone into out[] (saturating). Returns 0 once a non-looping program
 * has ended, 1 while it goes on. */
int hl_tonegen_mix(hl_tonegen_t *g, int16_t *out, int n);

#endif
