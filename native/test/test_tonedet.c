/* Call-progress tone detection: zone tones made by our own generator (the
 * sound every driver plays), through spandsp AWGN and A-law, must be named with
 * the right cadence; noise, speech and blips must not be. */
#include "hl/tonedet.h"
#include "hl/zone.h"
#include "hl/wav.h"
#include "t.h"
#include <spandsp.h>
#include <math.h>
#include <string.h>

#define MAXR 32
typedef struct { hl_tone_report_t r[MAXR]; int n; int64_t at_ms[MAXR]; int64_t pos; } reps_t;

static void on_tone(void *user, const hl_tone_report_t *r) {
  reps_t *x = user;
  if (x->n < MAXR) { x->at_ms[x->n] = x->pos / 8; x->r[x->n++] = *r; }
}

/* Tone program at level, plus white noise at noise_dbm0 (<= -99: none), optionally A-law coded. */
static int16_t *make(const hl_tone_prog_t *p, float level, float noise_dbm0, int seconds, int alaw, int seed) {
  size_t n = (size_t)seconds * 8000;
  int16_t *b = calloc(n, sizeof(int16_t));
  if (p) {
    hl_tonegen_t g;
    hl_tonegen_start(&g, p, level);
    hl_tonegen_mix(&g, b, (int)n);
  }
  if (noise_dbm0 > -99) {
    awgn_state_t *ns = awgn_init_dbm0(NULL, seed, noise_dbm0);
    for (size_t i = 0; i < n; i++) {
      int v = b[i] + awgn(ns);
      b[i] = (int16_t)(v > 32767 ? 32767 : v < -32768 ? -32768 : v);
    }
    awgn_free(ns);
  }
  if (alaw)
    for (size_t i = 0; i < n; i++) b[i] = alaw_to_linear(linear_to_alaw(b[i]));
  return b;
}

static void run(hl_tonedet_t *d, const int16_t *b, size_t n, reps_t *x) {
  for (size_t i = 0; i < n; i += 160) {
    size_t k = n - i < 160 ? n - i : 160;
    x->pos = (int64_t)(i + k);
    hl_tonedet_rx(d, b + i, (int)k);
  }
  hl_tonedet_flush(d);
}

static void expect_tone(const char *zone, int zt, float level, float snr, int seconds, int want, int on, int off,
                        int max_detect_ms, const char *what) {
  hl_zone_t z;
  hl_zone_load(zone, &z);
  int16_t *b = make(&z.tones[zt], level, snr > 90 ? -100 : level - snr, seconds, 1, 7);
  reps_t x = { .n = 0 };
  hl_tonedet_t *d = hl_tonedet_new(zone, on_tone, &x);
  run(d, b, (size_t)seconds * 8000, &x);
  CHECK(x.n == 1, "%s: one report, got %d (first: %s)", what, x.n, x.n ? hl_tone_name(x.r[0].tone) : "-");
  if (x.n >= 1) {
    CHECK(x.r[0].tone == want, "%s: %s, got %s", what, hl_tone_name(want), hl_tone_name(x.r[0].tone));
    CHECK(abs(x.r[0].on_ms - on) <= (off ? 25 : on), "%s: on %d ms, want %d", what, x.r[0].on_ms, on);
    CHECK(abs(x.r[0].off_ms - off) <= 25, "%s: off %d ms, want %d", what, x.r[0].off_ms, off);
    CHECK(x.at_ms[0] <= max_detect_ms, "%s: reported at %lld ms (limit %d)", what, (long long)x.at_ms[0], max_detect_ms);
    CHECK(x.r[0].start_ms <= 20, "%s: sequence starts at %lld ms", what, (long long)x.r[0].start_ms);
  }
  hl_tonedet_free(d);
  free(b);
}

static void test_zone_tones(void) {
  /* cn: all at 450 Hz, told apart by cadence alone */
  expect_tone("cn", HL_ZT_BUSY, -10, 99, 3, HL_TONE_BUSY, 350, 350, 1500, "cn busy clean");
  expect_tone("cn", HL_ZT_BUSY, -10, 10, 3, HL_TONE_BUSY, 350, 350, 1500, "cn busy 10 dB SNR");
  expect_tone("cn", HL_ZT_BUSY, -25, 6, 3, HL_TONE_BUSY, 350, 350, 1500, "cn busy -25 dBm0 at 6 dB SNR");
  expect_tone("cn", HL_ZT_CONGESTION, -10, 10, 4, HL_TONE_CONGESTION, 700, 700, 2900, "cn congestion 10 dB");
  expect_tone("cn", HL_ZT_RINGBACK, -10, 10, 7, HL_TONE_RINGBACK, 1000, 4000, 5100, "cn ringback 10 dB");
  expect_tone("cn", HL_ZT_DIAL, -10, 10, 3, HL_TONE_DIAL, 1250, 0, 1300, "cn dial (waits out ringback's 1 s)");
  expect_tone("us", HL_ZT_BUSY, -10, 10, 3, HL_TONE_BUSY, 500, 500, 2100, "us busy");
  expect_tone("us", HL_ZT_CONGESTION, -10, 10, 3, HL_TONE_CONGESTION, 250, 250, 1100, "us congestion");
  expect_tone("us", HL_ZT_RINGBACK, -10, 10, 7, HL_TONE_RINGBACK, 2000, 4000, 6100, "us ringback");
  expect_tone("us", HL_ZT_DIAL, -10, 10, 2, HL_TONE_DIAL, 300, 0, 350, "us dial 350+440");
  expect_tone("eu", HL_ZT_BUSY, -10, 10, 3, HL_TONE_BUSY, 480, 480, 2000, "eu busy 425");
  expect_tone("eu", HL_ZT_CONGESTION, -10, 10, 3, HL_TONE_CONGESTION, 240, 240, 1000, "eu congestion");
  /* Stutter dial tone (message waiting), instead of dial tone: cn and eu as
   * a beating pair (450+425, 425+400), us as six interruptions first. */
  expect_tone("cn", HL_ZT_STUTTER, -10, 10, 3, HL_TONE_STUTTER, 1250, 0, 1300, "cn stutter 450+425");
  expect_tone("cn", HL_ZT_STUTTER, -25, 10, 3, HL_TONE_STUTTER, 1250, 0, 1300, "cn stutter -25 dBm0 at 10 dB SNR");
  expect_tone("eu", HL_ZT_STUTTER, -10, 10, 3, HL_TONE_STUTTER, 1250, 0, 1300, "eu stutter 425+400");
  expect_tone("us", HL_ZT_STUTTER, -10, 10, 2, HL_TONE_STUTTER, 100, 100, 1300, "us stutter (then steady dial tone)");
  expect_tone("eu", HL_ZT_DIAL, -10, 10, 3, HL_TONE_DIAL, 1250, 0, 1300, "eu dial 425");
  CHECK(hl_tonedet_new("xx", NULL, NULL) == NULL, "unknown zone gives NULL");
}

static void test_dial_fast(void) {
  hl_zone_t z;
  hl_zone_load("cn", &z);
  int16_t *b = make(&z.tones[HL_ZT_DIAL], -10, -30, 2, 1, 3);
  reps_t x = { .n = 0 };
  hl_tonedet_t *d = hl_tonedet_new("cn", on_tone, &x);
  hl_tonedet_set_dial_ms(d, 300);
  run(d, b, 16000, &x);
  CHECK(x.n == 1 && x.r[0].tone == HL_TONE_DIAL && x.at_ms[0] <= 350, "dial after 300 ms when asked (%d reports, at %lld)",
        x.n, x.n ? (long long)x.at_ms[0] : -1LL);
  hl_tonedet_free(d);
  free(b);
}

/* Busy whose level drops 25 dB mid-way is still one busy tone. */
static void test_level_change(void) {
  hl_zone_t z;
  hl_zone_load("cn", &z);
  int16_t *b = make(&z.tones[HL_ZT_BUSY], -5, -100, 6, 0, 1);
  for (int i = 24000; i < 48000; i++) b[i] = (int16_t)(b[i] / 18);   /* -25 dB */
  awgn_state_t *ns = awgn_init_dbm0(NULL, 5, -45);
  for (int i = 0; i < 48000; i++) b[i] = (int16_t)(b[i] + awgn(ns));
  awgn_free(ns);
  reps_t x = { .n = 0 };
  hl_tonedet_t *d = hl_tonedet_new("cn", on_tone, &x);
  run(d, b, 48000, &x);
  CHECK(x.n == 1 && x.r[0].tone == HL_TONE_BUSY, "level step: one busy report, got %d", x.n);
  hl_tonedet_free(d);
  free(b);
}

/* Restart: busy, 3 s silence, busy again -> two reports; busy then congestion -> both. */
static void test_restart(void) {
  hl_zone_t z;
  hl_zone_load("cn", &z);
  int16_t *a = make(&z.tones[HL_ZT_BUSY], -10, -100, 3, 0, 1);
  int16_t *c = make(&z.tones[HL_ZT_CONGESTION], -10, -100, 5, 0, 1);
  int16_t *b = calloc(8000 * 14, sizeof(int16_t));
  memcpy(b, a, 3 * 16000);
  memcpy(b + 6 * 8000, a, 3 * 16000);
  memcpy(b + 9 * 8000, c, 5 * 16000);
  reps_t x = { .n = 0 };
  hl_tonedet_t *d = hl_tonedet_new("cn", on_tone, &x);
  run(d, b, 8000 * 14, &x);
  CHECK(x.n == 3, "busy, busy again, congestion: 3 reports, got %d", x.n);
  if (x.n == 3) {
    CHECK(x.r[0].tone == HL_TONE_BUSY && x.r[1].tone == HL_TONE_BUSY && x.r[2].tone == HL_TONE_CONGESTION,
          "order busy busy congestion: %s %s %s", hl_tone_name(x.r[0].tone), hl_tone_name(x.r[1].tone),
          hl_tone_name(x.r[2].tone));
    CHECK(llabs(x.r[1].start_ms - 6000) <= 20, "second busy starts at 6000 ms (%lld)", (long long)x.r[1].start_ms);
  }
  hl_tonedet_free(d);
  free(a); free(b); free(c);
}

static void expect_none(const int16_t *b, size_t n, const char *zone, const char *what) {
  reps_t x = { .n = 0 };
  hl_tonedet_t *d = hl_tonedet_new(zone, on_tone, &x);
  run(d, b, n, &x);
  CHECK(x.n == 0, "%s: no tone, got %d (first %s)", what, x.n, x.n ? hl_tone_name(x.r[0].tone) : "-");
  hl_tonedet_free(d);
}

static void test_not_tones(void) {
  hl_tone_prog_t p;
  /* white noise gated like busy */
  int16_t *b = make(NULL, 0, -15, 6, 1, 11);
  for (int i = 0; i < 48000; i++) if ((i / 2800) & 1) b[i] /= 100;
  expect_none(b, 48000, "cn", "noise gated 350/350");
  free(b);
  /* bursts too short to be a tone */
  hl_tone_prog_parse("450/60,0/60", &p);
  b = make(&p, -10, -40, 4, 1, 2);
  expect_none(b, 32000, "cn", "450 Hz 60/60 blips");
  free(b);
  /* voiced "speech": F0 150 Hz harmonics (450 Hz is one of them), syllables 350/350 */
  b = calloc(48000, sizeof(int16_t));
  for (int i = 0; i < 48000; i++) {
    double s = 0;
    for (int k = 1; k * 150 < 3800; k++) s += sin(2 * M_PI * 150 * k * i / 8000.0 + k) / k;
    double f0w = 1.0 + 0.03 * sin(2 * M_PI * 3 * i / 8000.0);   /* slight vibrato */
    (void)f0w;
    b[i] = (int16_t)(((i / 2800) & 1 ? 0.0 : 3000.0) * s);
  }
  expect_none(b, 48000, "cn", "harmonic vowel bursts 350/350");
  free(b);
}

/* Real synthetic speech through the whole reader (espeak-ng -> 22.05 kHz WAV -> 8 kHz). */
static void test_speech(void) {
  if (system("command -v espeak-ng >/dev/null 2>&1") != 0) { printf("# espeak-ng missing: speech skipped\n"); return; }
  char dir[] = "/tmp/hl_test_td.XXXXXX";
  if (!mkdtemp(dir)) return;
  static const char *voices[] = { "en", "zh", "en+f3" };
  for (int v = 0; v < 3; v++) {
    char cmd[512], path[128], err[128];
    snprintf(path, sizeof path, "%s/s%d.wav", dir, v);
    snprintf(cmd, sizeof cmd,
             "espeak-ng -v %s -s 150 -w %s 'Hello, your call is important to us. Please hold the line, "
             "an agent will be with you shortly. Press one for sales, two for support, nine to repeat.' 2>/dev/null",
             voices[v], path);
    if (system(cmd) != 0) { printf("# espeak-ng failed for %s\n", voices[v]); continue; }
    hl_audio_t a;
    if (hl_wav_load(path, &a, err, sizeof err) != 0) { CHECK(0, "speech load: %s", err); continue; }
    char what[64];
    snprintf(what, sizeof what, "espeak-ng %s speech (%.1f s)", voices[v], a.count / 8000.0);
    expect_none(a.samples, a.count, "cn", what);
    expect_none(a.samples, a.count, "us", what);
    hl_audio_free(&a);
  }
  char cmd[64];
  snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
  if (system(cmd) != 0) printf("# cleanup failed\n");
}

static void test_learning(int freq) {
  hl_tone_prog_t p;
  char prog[32];
  snprintf(prog, sizeof prog, "%d/500,0/500", freq);
  hl_tone_prog_parse(prog, &p);
  int16_t *b = make(&p, -12, -32, 5, 1, 21);
  reps_t x = { .n = 0 };
  hl_tonedet_t *d = hl_tonedet_new("cn", on_tone, &x);
  int f = 0, on = 0, off = 0;
  CHECK(!hl_tonedet_learned(d, &f, &on, &off), "nothing learned before learning");
  hl_tonedet_learn_start(d);
  run(d, b, 40000, &x);
  CHECK(x.n == 0, "%d Hz 500/500 is none of cn's tones (%d reports)", freq, x.n);
  CHECK(hl_tonedet_learned(d, &f, &on, &off) == 1, "%d Hz 500/500 learned", freq);
  printf("# learned %d Hz 500/500 as %d Hz %d/%d\n", freq, f, on, off);
  CHECK(abs(f - freq) <= 10, "learned frequency %d (sent %d)", f, freq);
  CHECK(abs(on - 500) <= 20 && abs(off - 500) <= 20, "learned cadence %d/%d", on, off);
  hl_tonedet_set_cadence(d, HL_TONE_LEARNED, f, on, off);
  hl_tonedet_reset(d);
  x.n = 0;
  int16_t *b2 = make(&p, -20, -35, 3, 1, 22);
  run(d, b2, 24000, &x);
  CHECK(x.n == 1 && x.r[0].tone == HL_TONE_LEARNED, "then detected as learned (%d reports, %s)", x.n,
        x.n ? hl_tone_name(x.r[0].tone) : "-");
  /* and busy is still busy */
  hl_zone_t z;
  hl_zone_load("cn", &z);
  int16_t *b3 = make(&z.tones[HL_ZT_BUSY], -10, -30, 3, 1, 23);
  hl_tonedet_reset(d);
  x.n = 0;
  run(d, b3, 24000, &x);
  CHECK(x.n == 1 && x.r[0].tone == HL_TONE_BUSY, "busy still busy after learning (%s)", x.n ? hl_tone_name(x.r[0].tone) : "-");
  hl_tonedet_free(d);
  free(b); free(b2); free(b3);
}

/* Replacing a zone tone's cadence (a local exchange with a 400/400 busy). */
static void test_override(void) {
  hl_tone_prog_t p;
  hl_tone_prog_parse("450/450,0/450", &p);
  int16_t *b = make(&p, -10, -30, 4, 1, 31);
  reps_t x = { .n = 0 };
  hl_tonedet_t *d = hl_tonedet_new("cn", on_tone, &x);
  hl_tonedet_set_cadence(d, HL_TONE_BUSY, 450, 450, 450);
  run(d, b, 32000, &x);
  CHECK(x.n == 1 && x.r[0].tone == HL_TONE_BUSY && abs(x.r[0].on_ms - 450) <= 20, "busy redefined to 450/450 (%d)", x.n);
  hl_tonedet_free(d);
  free(b);
}

/* One report, naming want, for a tone program played in zone. */
static void one_report_prog(const char *zone, const hl_tone_prog_t *p, float level, float snr, int seconds, int seed,
                            int want, const char *what) {
  int16_t *b = make(p, level, level - snr, seconds, 1, seed);
  reps_t x = { .n = 0 };
  hl_tonedet_t *d = hl_tonedet_new(zone, on_tone, &x);
  run(d, b, (size_t)seconds * 8000, &x);
  CHECK(x.n == 1 && x.r[0].tone == want, "%s: one report, %s; got %d (%s)", what, hl_tone_name(want), x.n,
        x.n ? hl_tone_name(x.r[0].tone) : "-");
  hl_tonedet_free(d);
  free(b);
}

static void one_report(const char *zone, const char *prog, float level, float snr, int seconds, int seed, int want,
                       const char *what) {
  hl_tone_prog_t p;
  hl_tone_prog_parse(prog, &p);
  one_report_prog(zone, &p, level, snr, seconds, seed, want, what);
}

/* The beat tells the pair from one tone whatever the line does to both: an
 * offset moves the two tones and the beat together, noise adds its own
 * fluctuation to a single tone. */
static void test_stutter_or_dial(void) {
  one_report("cn", "464+438", -10, 10, 3, 41, HL_TONE_STUTTER, "cn stutter 3 % high");
  one_report("cn", "437+412", -10, 10, 3, 42, HL_TONE_STUTTER, "cn stutter 3 % low");
  one_report("cn", "450+425", -30, 10, 3, 43, HL_TONE_STUTTER, "cn stutter at -30 dBm0");
  /* The pair's nulls sink into the noise: the tone is found later, but as stutter. */
  for (int seed = 44; seed < 48; seed++)
    one_report("cn", "450+425", -25, 6, 3, seed, HL_TONE_STUTTER, "cn stutter -25 dBm0 at 6 dB SNR");
  for (int seed = 48; seed < 52; seed++) one_report("cn", "450", -10, 3, 3, seed, HL_TONE_DIAL, "cn dial at 3 dB SNR");
  one_report("cn", "450", -25, 6, 3, 52, HL_TONE_DIAL, "cn dial -25 dBm0 at 6 dB SNR");
  one_report("cn", "464", -10, 10, 3, 53, HL_TONE_DIAL, "cn dial 3 % high");
  one_report("cn", "437", -10, 10, 3, 54, HL_TONE_DIAL, "cn dial 3 % low");
  hl_zone_t z;
  hl_zone_load("us", &z);
  one_report_prog("us", &z.tones[HL_ZT_DIALRECALL], -10, 10, 2, 55, HL_TONE_DIAL,
                  "us confirmation tone (three interruptions, not six) is dial, not stutter");
}

int main(void) {
  test_zone_tones();
  test_stutter_or_dial();
  test_dial_fast();
  test_level_change();
  test_restart();
  test_not_tones();
  test_speech();
  test_learning(450);
  test_learning(520);
  test_override();
  CHECK(strcmp(hl_tone_name(HL_TONE_CONGESTION), "congestion") == 0, "tone names");
  CHECK(strcmp(hl_tone_name(HL_TONE_STUTTER), "stutter") == 0, "stutter's name");
  T_DONE("tonedet");
}
