/* The caller-ID receiver's energy gate: a receiver asleep on a quiet line
 * must still decode every spill it decoded awake. Spills from our own
 * transmitter (Bell 202, V.23, DTMF) at falling levels, starting anywhere in
 * a block after silence, with and without line noise. */
#include "hl/cid.h"
#include "hl/engine.h"
#include "t.h"
#include <spandsp.h>
#include <math.h>
#include <string.h>

#define MS_0DBM0 (8200.0 * 31622.78)   /* mean square of a sine at 0 dBm0 (8200 at -45) */
#define SPILL_MAX (8000 * 4)

static const char *std_name(int s) { return s == HL_CID_BELL202 ? "bell202" : s == HL_CID_V23 ? "v23" : "dtmf"; }

/* One spill of the standard at our transmitter's level; its level in dBm0. */
static int make_spill(int std, int16_t *out, double *dbm0) {
  hl_cid_tx_t tx;
  hl_cid_tx_init(&tx);
  hl_cid_tx_start(&tx, std, "13800138000", std == HL_CID_DTMF ? "" : "ZHANG SAN", "01020304");
  int n = 0;
  while (n + HL_BLOCK <= SPILL_MAX) {
    memset(out + n, 0, HL_BLOCK * sizeof *out);
    int more = hl_cid_tx_mix(&tx, out + n, HL_BLOCK);
    n += HL_BLOCK;
    if (!more) break;
  }
  hl_cid_tx_release(&tx);
  double e = 0;
  int on = 0;
  for (int i = 0; i < n; i++) if (out[i]) { e += (double)out[i] * out[i]; on++; }
  *dbm0 = 10 * log10(e / (on ? on : 1) / MS_0DBM0);
  return n;
}

/* Feeds lead samples of line, the spill scaled by gain_db, then 1 s of line
 * (line: noise at noise_dbm0, or A-law idle when below -80). Whether the
 * number came through, and how many blocks the receivers ran. */
static int decode(hl_cid_rx_t *r, int std, const int16_t *spill, int n, double gain_db, int lead, double noise_dbm0,
                  uint64_t *awake) {
  static int16_t line[SPILL_MAX + 8000 * 3];
  int total = lead + n + 8000;
  total -= total % HL_BLOCK;
  awgn_state_t *noise = noise_dbm0 > -80 ? awgn_init_dbm0(NULL, 4321 + lead, (float)noise_dbm0) : NULL;
  double g = pow(10, gain_db / 20);
  for (int i = 0; i < total; i++) {
    double v = noise ? awgn(noise) : (i & 1 ? 8 : -8);   /* A-law's quietest codes */
    if (i >= lead && i < lead + n) v += spill[i - lead] * g;
    line[i] = (int16_t)lrint(v > 32767 ? 32767 : v < -32768 ? -32768 : v);
  }
  if (noise) awgn_free(noise);
  hl_cid_rx_set_mask(r, 1 << std);
  uint64_t a0 = r->awake_blocks;
  hl_cid_t got;
  int ok = 0;
  for (int at = 0; at < total; at += HL_BLOCK) {
    hl_cid_rx_feed(r, line + at, HL_BLOCK);
    if (hl_cid_rx_take(r, &got) && !strcmp(got.number, "13800138000") && got.standard == std) ok = 1;
  }
  *awake = r->awake_blocks - a0;
  return ok;
}

int main(void) {
  static int16_t spill[SPILL_MAX];
  hl_cid_rx_t r;
  CHECK(hl_cid_rx_init(&r, 0) == 0, "receiver");
  for (int std = HL_CID_BELL202; std <= HL_CID_DTMF; std++) {
    double lvl;
    int n = make_spill(std, spill, &lvl);
    /* The weakest level that decodes, 1 dB steps, starting mid-block after 2 s of quiet. */
    double weakest = 0;
    uint64_t awake = 0;
    for (double g = 0; g >= -50; g -= 1) {
      if (!decode(&r, std, spill, n, g, 16000 + 77, -200, &awake)) break;
      weakest = lvl + g;
    }
    printf("# %s: sent at %.1f dBm0, decoded down to %.1f dBm0\n", std_name(std), lvl, weakest);
    for (int lead = 16000; lead < 16000 + HL_BLOCK; lead += 8) {
      uint64_t aw;
      CHECK(decode(&r, std, spill, n, weakest - lvl, lead, -200, &aw), "%s at its weakest (%.1f dBm0) starting at sample %d of a block",
            std_name(std), weakest, lead % HL_BLOCK);
    }
    decode(&r, std, spill, n, 0, 16000, -200, &awake);
    int spill_blocks = n / HL_BLOCK + 2;
    CHECK(awake <= (uint64_t)spill_blocks + 6, "%s: the receivers ran %llu blocks for a %d-block spill in 3 s", std_name(std),
          (unsigned long long)awake, spill_blocks);
    uint64_t aw;
    CHECK(decode(&r, std, spill, n, 0, 8000 + 33, lvl - 20, &aw), "%s at 20 dB SNR", std_name(std));
    CHECK(decode(&r, std, spill, n, -12, 8000 + 33, lvl - 12 - 20, &aw), "%s 12 dB down at 20 dB SNR", std_name(std));
  }
  /* A quiet line sleeps: A-law idle, and noise at -65 dBm0. */
  uint64_t aw;
  decode(&r, HL_CID_BELL202, spill, 0, 0, 0, -200, &aw);
  CHECK(aw == 0, "A-law idle: the receivers never ran (%llu blocks)", (unsigned long long)aw);
  decode(&r, HL_CID_V23, spill, 0, 0, 0, -65, &aw);
  CHECK(aw == 0, "noise at -65 dBm0: the receivers never ran (%llu blocks)", (unsigned long long)aw);
  hl_cid_rx_release(&r);
  T_DONE("cid");
}
