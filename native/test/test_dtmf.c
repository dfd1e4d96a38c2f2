/* The engine's DTMF receiver (hl/dtmf.h) on its own: Q.24's frequency lines
 * (accept +-1.5 %, reject +-3.5 %) on every digit, through AWGN and A-law,
 * in the engine's 160-sample blocks; never a digit bare spandsp hears but it
 * loses; and the two-tone gate that keeps its extra receivers asleep on
 * silence, noise, a single tone and speech. */
#include "hl/dtmf.h"
#include "t.h"
#include <spandsp.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

static const float row[4] = { 697, 770, 852, 941 }, col[4] = { 1209, 1336, 1477, 1633 };
static const char keys[] = "123A456B789C*0#D";

typedef struct { char got[64]; int n; } heard_t;
static void on_edge(void *user, int digit) {
  heard_t *h = user;
  if (digit && h->n < 63) { h->got[h->n++] = (char)digit; h->got[h->n] = 0; }
}

/* 16 digits, 50 ms on / 50 ms off at -10 dBm0 a tone, frequencies scaled by
 * 1 + off, noise at snr dB under the pair (0: none), A-law round trip. */
static int16_t *digits_signal(float off, float snr, int seed, size_t *n) {
  size_t len = 800 + 16 * 800 + 1600;
  int16_t *x = calloc(len, sizeof *x);
  double amp = 32768.0 * pow(10.0, (-10 - DBM0_MAX_SINE_POWER) / 20.0);
  for (int d = 0; d < 16; d++) {
    size_t at = 800 + (size_t)d * 800;
    for (int i = 0; i < 400; i++)
      x[at + i] = (int16_t)lrint(amp * (sin(2 * M_PI * row[d / 4] * (1 + off) * i / 8000) + sin(2 * M_PI * col[d % 4] * (1 + off) * i / 8000)));
  }
  awgn_state_t *ns = snr > 0 ? awgn_init_dbm0(NULL, seed, -7.0f - snr) : NULL;
  for (size_t i = 0; i < len; i++) {
    int v = x[i] + (ns ? awgn(ns) : 0);
    x[i] = alaw_to_linear(linear_to_alaw(v > 32767 ? 32767 : v < -32768 ? -32768 : v));
  }
  if (ns) awgn_free(ns);
  *n = len;
  return x;
}

static void run(hl_dtmf_rx_t *d, const int16_t *x, size_t n) {
  for (size_t i = 0; i + 160 <= n; i += 160) hl_dtmf_rx(d, x + i, 160);
}

static void bare_cb(void *u, const char *digits, int len) { strncat(u, digits, (size_t)len); }

static void test_q24(void) {
  static const float offs[] = { 0, 0.015f, -0.015f, 0.012f, -0.012f, 0.035f, -0.035f };
  static const float snrs[] = { 0, 20, 15 };
  for (size_t o = 0; o < sizeof offs / sizeof offs[0]; o++)
    for (size_t k = 0; k < sizeof snrs / sizeof snrs[0]; k++) {
      size_t n;
      int16_t *x = digits_signal(offs[o], snrs[k], 17 + (int)(o * 7 + k), &n);
      heard_t h = { "", 0 };
      hl_dtmf_rx_t d;
      CHECK(hl_dtmf_rx_init(&d, on_edge, &h) == 0, "init");
      run(&d, x, n);
      char bare[64] = "";
      dtmf_rx_state_t *b = dtmf_rx_init(NULL, bare_cb, bare);
      dtmf_rx(b, x, (int)n);
      dtmf_rx_free(b);
      if (fabsf(offs[o]) < 0.02f)
        CHECK(!strcmp(h.got, keys), "%+.1f %% offset, %s: all 16 digits once each, got '%s' (bare dtmf_rx '%s')",
              offs[o] * 100, snrs[k] > 0 ? (snrs[k] > 16 ? "20 dB SNR" : "15 dB SNR") : "no noise", h.got, bare);
      else
        CHECK(h.n == 0, "%+.1f %% offset: rejected, got '%s'", offs[o] * 100, h.got);
      if (o == 1 && k == 0) printf("# +1.5 %%, no noise: ours '%s', bare spandsp '%s'\n", h.got, bare);
      hl_dtmf_rx_release(&d);
      free(x);
    }
}

/* Silence, noise and one tone keep the extra receivers asleep; DTMF wakes them. */
static void test_gate(void) {
  hl_dtmf_rx_t d;
  heard_t h = { "", 0 };
  hl_dtmf_rx_init(&d, on_edge, &h);
  int16_t x[8000];
  memset(x, 0, sizeof x);
  run(&d, x, 8000);
  CHECK(d.open_blocks == 0, "silence: extra receivers never ran (%llu blocks)", (unsigned long long)d.open_blocks);
  double amp = 32768.0 * pow(10.0, (-13 - DBM0_MAX_SINE_POWER) / 20.0);
  static const float freqs[] = { 1000, 697, 1633, 450, 2200 };
  for (size_t f = 0; f < sizeof freqs / sizeof freqs[0]; f++) {
    for (int i = 0; i < 8000; i++) x[i] = alaw_to_linear(linear_to_alaw((int)lrint(amp * sin(2 * M_PI * freqs[f] * i / 8000))));
    uint64_t before = d.open_blocks;
    run(&d, x, 8000);
    CHECK(d.open_blocks == before, "a single %.0f Hz tone: extra receivers asleep (%llu blocks)", freqs[f],
          (unsigned long long)(d.open_blocks - before));
  }
  awgn_state_t *ns = awgn_init_dbm0(NULL, 5, -13);
  for (int i = 0; i < 8000; i++) x[i] = alaw_to_linear(linear_to_alaw(awgn(ns)));
  awgn_free(ns);
  uint64_t before = d.open_blocks;
  run(&d, x, 8000);
  CHECK(d.open_blocks == before, "white noise: extra receivers asleep (%llu blocks)", (unsigned long long)(d.open_blocks - before));
  size_t n;
  int16_t *s = digits_signal(0.015f, 20, 3, &n);
  before = d.open_blocks;
  run(&d, s, n);
  CHECK(d.open_blocks - before >= 32, "DTMF at +1.5 %%: extra receivers ran around the digits (%llu blocks)",
        (unsigned long long)(d.open_blocks - before));
  free(s);
  hl_dtmf_rx_release(&d);

  /* Speech, when espeak-ng is here to make some: mostly asleep. */
  if (system("command -v espeak-ng >/dev/null 2>&1 && command -v sox >/dev/null 2>&1") != 0) {
    printf("# espeak-ng or sox missing: speech gate check skipped\n");
    return;
  }
  char dir[] = "/tmp/hl_test_dtmf.XXXXXX";
  if (!mkdtemp(dir)) return;
  char cmd[512], raw[128];
  snprintf(raw, sizeof raw, "%s/speech.raw", dir);
  snprintf(cmd, sizeof cmd,
           "espeak-ng -v en -w %s/en.wav 'Thank you for calling. Please hold while we connect you to the next available agent.' 2>/dev/null && "
           "espeak-ng -v cmn -w %s/zh.wav '您好，欢迎致电客服中心。人工服务请按零。' 2>/dev/null && "
           "sox %s/en.wav %s/zh.wav -r 8000 -c 1 -b 16 -e signed %s 2>/dev/null",
           dir, dir, dir, dir, raw);
  if (system(cmd) == 0) {
    FILE *f = fopen(raw, "rb");
    static int16_t sp[8000 * 30];
    size_t m = f ? fread(sp, 2, sizeof sp / 2, f) : 0;
    if (f) fclose(f);
    for (size_t i = 0; i < m; i++) sp[i] = alaw_to_linear(linear_to_alaw(sp[i]));
    hl_dtmf_rx_t d2;
    heard_t h2 = { "", 0 };
    hl_dtmf_rx_init(&d2, on_edge, &h2);
    run(&d2, sp, m);
    double share = d2.blocks ? (double)d2.open_blocks / (double)d2.blocks : 1;
    printf("# speech: %llu blocks, extra receivers ran in %llu (%.1f %%); digits heard '%s'\n",
           (unsigned long long)d2.blocks, (unsigned long long)d2.open_blocks, share * 100, h2.got);
    CHECK(m > 8000 && share < 0.10, "speech wakes the extra receivers in under 10 %% of its blocks (%.1f %%)", share * 100);
    hl_dtmf_rx_release(&d2);
  }
  snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
  if (system(cmd) != 0) printf("# cleanup failed\n");
}

int main(void) {
  test_q24();
  test_gate();
  T_DONE("dtmf");
}
