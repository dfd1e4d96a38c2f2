/* WAV reader, resampler, writer and crash repair. Fixtures are generated in a
 * temp dir with sox (every format the reader claims) and with our writer. */
#include "hl/wav.h"
#include "hl/resample.h"
#include "t.h"
#include <fcntl.h>
#include <math.h>
#include <stdint.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static char dir[64];

static double mean_square(const int16_t *a, size_t n) {
  double s = 0;
  for (size_t i = 0; i < n; i++) s += (double)a[i] * a[i];
  return n ? s / n : 0;
}

/* Mean-square power of the component at f (Hz, 8 kHz signal). */
static double power_at(const int16_t *a, size_t n, double f) {
  double re = 0, im = 0;
  for (size_t i = 0; i < n; i++) {
    re += a[i] * cos(2 * M_PI * f * i / 8000.0);
    im -= a[i] * sin(2 * M_PI * f * i / 8000.0);
  }
  return 2.0 * (re * re + im * im) / ((double)n * n);
}

static double db(double x) { return 10.0 * log10(x > 1e-20 ? x : 1e-20); }

static int have_sox(void) { return system("command -v sox >/dev/null 2>&1") == 0; }

static void path_of(char *p, size_t cap, const char *name) { snprintf(p, cap, "%s/%s", dir, name); }

static size_t file_size(const char *p) {
  struct stat st;
  return stat(p, &st) == 0 ? (size_t)st.st_size : 0;
}

static void test_writer_roundtrip(void) {
  char p[128];
  path_of(p, sizeof p, "rt1.wav");
  hl_wav_writer_t w;
  CHECK(hl_wav_writer_open(&w, p, 1) == 0, "writer opens %s", p);
  int16_t buf[800];
  for (int blk = 0; blk < 10; blk++) {
    for (int i = 0; i < 800; i++) buf[i] = (int16_t)((blk * 800 + i) * 7 - 28000);
    CHECK(hl_wav_writer_write(&w, buf, 800) == 0, "write block %d", blk);
    if (blk == 4) CHECK(hl_wav_writer_update_header(&w) == 0, "header update");
  }
  CHECK(hl_wav_writer_close(&w) == 0, "close");
  CHECK(file_size(p) == 44 + 16000, "file is header + 16000 bytes, got %zu", file_size(p));
  hl_audio_t a;
  char err[128] = "";
  CHECK(hl_wav_load(p, &a, err, sizeof err) == 0, "load own file: %s", err);
  CHECK(a.count == 8000, "8000 samples back, got %zu", a.count);
  int same = 1;
  for (size_t i = 0; i < a.count && same; i++) same = a.samples[i] == (int16_t)(i * 7 - 28000);
  CHECK(same, "mono samples round-trip exactly");
  hl_audio_free(&a);
  CHECK(hl_wav_repair(p) == 0, "repair leaves a good file alone");

  path_of(p, sizeof p, "rt2.wav");
  CHECK(hl_wav_writer_open(&w, p, 2) == 0, "stereo writer opens");
  int16_t st[2 * 400];
  for (int i = 0; i < 400; i++) { st[2 * i] = (int16_t)(i * 40); st[2 * i + 1] = 0; }
  CHECK(hl_wav_writer_write(&w, st, 400) == 0, "stereo write");
  CHECK(hl_wav_writer_close(&w) == 0, "stereo close");
  CHECK(hl_wav_load(p, &a, err, sizeof err) == 0, "load stereo: %s", err);
  CHECK(a.count == 400, "400 frames, got %zu", a.count);
  same = 1;
  for (size_t i = 0; i < a.count && same; i++) same = a.samples[i] == (int16_t)(i * 20);
  CHECK(same, "stereo mixed down to the channel mean");
  hl_audio_free(&a);
  CHECK(hl_wav_writer_open(&w, p, 3) < 0, "writer refuses 3 channels");
}

/* Every format the reader claims, written by sox: a 1 kHz tone at half scale. */
static void test_formats_sox(void) {
  static const struct { const char *name, *opts; int rate; } f[] = {
    { "u8",      "-e unsigned-integer -b 8", 8000 },
    { "s16",     "-e signed-integer -b 16", 8000 },
    { "s24",     "-e signed-integer -b 24", 8000 },
    { "s32",     "-e signed-integer -b 32", 8000 },
    { "f32",     "-e floating-point -b 32", 8000 },
    { "f64",     "-e floating-point -b 64", 8000 },
    { "alaw",    "-e a-law -b 8", 8000 },
    { "ulaw",    "-e u-law -b 8", 8000 },
    { "s16_3ch", "-e signed-integer -b 16 -c 3", 8000 },    /* sox writes EXTENSIBLE for >2 ch */
    { "s16_11k", "-e signed-integer -b 16", 11025 },
    { "s16_16k", "-e signed-integer -b 16", 16000 },
    { "s16_22k", "-e signed-integer -b 16", 22050 },
    { "s24_48k", "-e signed-integer -b 24 -c 2", 48000 },
  };
  double ref = 0.5 * 32767.0 * 0.5 * 32767.0 / 2.0;   /* mean square of a half-scale sine */
  for (size_t i = 0; i < sizeof f / sizeof f[0]; i++) {
    char p[128], cmd[512];
    snprintf(p, sizeof p, "%s/%s.wav", dir, f[i].name);
    snprintf(cmd, sizeof cmd, "sox -D -n -r %d %s %s %s synth 1 sine 1000 vol 0.5 2>/dev/null",
             f[i].rate, strstr(f[i].opts, "-c ") ? "" : "-c 1", f[i].opts, p);
    if (system(cmd) != 0) { CHECK(0, "sox could not make %s", f[i].name); continue; }
    hl_audio_t a;
    char err[128] = "";
    int rc = hl_wav_load(p, &a, err, sizeof err);
    CHECK(rc == 0, "%s loads: %s", f[i].name, err);
    if (rc) continue;
    CHECK(a.count >= 7990 && a.count <= 8000, "%s: 1 s at 8 kHz, got %zu samples", f[i].name, a.count);
    /* skip the filter's edges */
    const int16_t *s = a.samples + 200;
    size_t n = a.count - 400;
    double ms = mean_square(s, n), p1k = power_at(s, n, 1000.0);
    double lvl = db(ms / ref), purity = p1k / ms;
    double tol = strstr(f[i].name, "u8") ? 0.3 : 0.15;
    CHECK(fabs(lvl) < tol, "%s: level %.2f dB from expected", f[i].name, lvl);
    CHECK(purity > (strstr(f[i].name, "u8") ? 0.99 : 0.999), "%s: 1 kHz holds %.4f of the power", f[i].name, purity);
    hl_audio_free(&a);
  }
}

static void test_resample(void) {
  /* 1 kHz at 44.1 kHz keeps frequency and level */
  size_t n = 44100;
  float *in = malloc(n * sizeof(float));
  for (size_t i = 0; i < n; i++) in[i] = (float)(10000.0 * sin(2 * M_PI * 1000.0 * i / 44100.0));
  int16_t *o;
  size_t on;
  CHECK(hl_resample_to_8k(in, n, 44100, &o, &on) == 0, "resample 44.1k");
  CHECK(on == 8000, "44100 samples -> 8000, got %zu", on);
  double ms = mean_square(o + 200, on - 400), p = power_at(o + 200, on - 400, 1000.0);
  printf("# resample 44.1k->8k 1 kHz: level %+.3f dB, purity %.6f\n", db(ms / (1e8 / 2)), p / ms);
  CHECK(fabs(db(ms / (1e8 / 2))) < 0.1, "1 kHz level kept within 0.1 dB (%.3f)", db(ms / (1e8 / 2)));
  CHECK(p / ms > 0.9999, "1 kHz purity %.6f", p / ms);
  free(o);
  /* 3.3 kHz (in band) kept, 5 kHz at 16 kHz removed */
  for (size_t i = 0; i < 16000; i++) in[i] = (float)(10000.0 * sin(2 * M_PI * 3300.0 * i / 16000.0));
  hl_resample_to_8k(in, 16000, 16000, &o, &on);
  ms = mean_square(o + 200, on - 400);
  CHECK(fabs(db(ms / (1e8 / 2))) < 0.5, "3.3 kHz passes (%.2f dB)", db(ms / (1e8 / 2)));
  free(o);
  for (size_t i = 0; i < 16000; i++) in[i] = (float)(10000.0 * sin(2 * M_PI * 5000.0 * i / 16000.0));
  hl_resample_to_8k(in, 16000, 16000, &o, &on);
  ms = mean_square(o + 200, on - 400);
  printf("# resample 16k->8k 5 kHz: %.1f dB relative\n", db(ms / (1e8 / 2)));
  CHECK(db(ms / (1e8 / 2)) < -70, "5 kHz at 16 kHz is removed (%.1f dB)", db(ms / (1e8 / 2)));
  free(o);
  /* an upsampling rate works too */
  for (size_t i = 0; i < 6000; i++) in[i] = (float)(10000.0 * sin(2 * M_PI * 1000.0 * i / 6000.0));
  CHECK(hl_resample_to_8k(in, 6000, 6000, &o, &on) == 0 && on == 8000, "6 kHz -> 8 kHz");
  ms = mean_square(o + 200, on - 400);
  CHECK(fabs(db(ms / (1e8 / 2))) < 0.2 && power_at(o + 200, on - 400, 1000) / ms > 0.999, "6 kHz upsampled tone kept");
  free(o);
  CHECK(hl_resample_to_8k(in, 10, 0, &o, &on) < 0, "rate 0 refused");
  free(in);
}

/* A minimal valid file in memory, to be damaged. */
static size_t make_wav(uint8_t *b, int tag, int ch, uint32_t rate, int bits, uint32_t data_bytes, uint32_t data_claim) {
  memcpy(b, "RIFF", 4);
  uint32_t v = 36 + data_bytes;
  memcpy(b + 4, &v, 4);
  memcpy(b + 8, "WAVEfmt ", 8);
  v = 16; memcpy(b + 16, &v, 4);
  uint16_t s = (uint16_t)tag; memcpy(b + 20, &s, 2);
  s = (uint16_t)ch; memcpy(b + 22, &s, 2);
  memcpy(b + 24, &rate, 4);
  v = rate * (uint32_t)ch * (uint32_t)(bits / 8); memcpy(b + 28, &v, 4);
  s = (uint16_t)(ch * bits / 8); memcpy(b + 32, &s, 2);
  s = (uint16_t)bits; memcpy(b + 34, &s, 2);
  memcpy(b + 36, "data", 4);
  memcpy(b + 40, &data_claim, 4);
  for (uint32_t i = 0; i < data_bytes; i++) b[44 + i] = (uint8_t)(i * 31);
  return 44 + data_bytes;
}

static void expect_err(const uint8_t *b, size_t len, const char *want, const char *what) {
  hl_audio_t a;
  char err[160] = "";
  int rc = hl_wav_parse(b, len, &a, err, sizeof err);
  CHECK(rc < 0, "%s: refused (rc %d)", what, rc);
  CHECK(want == NULL || strstr(err, want) != NULL, "%s: message '%s' mentions '%s'", what, err, want ? want : "");
  CHECK(a.samples == NULL && a.count == 0, "%s: no audio returned", what);
  hl_audio_free(&a);
}

static void test_hostile(void) {
  static uint8_t b[4096];
  hl_audio_t a;
  char err[160];
  size_t len = make_wav(b, 1, 1, 8000, 16, 200, 200);
  CHECK(hl_wav_parse(b, len, &a, err, sizeof err) == 0 && a.count == 100, "baseline file parses");
  hl_audio_free(&a);

  expect_err(b, 0, "only 0 bytes", "empty");
  expect_err(b, 11, "only 11 bytes", "11 bytes");
  expect_err((const uint8_t *)"GARBAGE GARBAGE GARBAGE GARBAGE GARBAGE GARBAGE", 46, "no RIFF header", "garbage");
  memcpy(b + 8, "AVI ", 4);
  expect_err(b, len, "not WAVE", "RIFF AVI");
  len = make_wav(b, 1, 0, 8000, 16, 200, 200);
  expect_err(b, len, "zero channels", "zero channels");
  len = make_wav(b, 1, 1, 0, 16, 200, 200);
  expect_err(b, len, "out of range", "rate 0");
  len = make_wav(b, 1, 1, 4000000000u, 16, 200, 200);
  expect_err(b, len, "out of range", "absurd rate");
  len = make_wav(b, 1, 1, 8000, 12, 200, 200);
  expect_err(b, len, "12 bits", "12-bit PCM");
  len = make_wav(b, 0x55, 1, 8000, 16, 200, 200);
  expect_err(b, len, "0x0055", "MP3 tag");
  len = make_wav(b, 6, 1, 8000, 16, 200, 200);
  expect_err(b, len, "G.711", "A-law with 16 bits");
  /* fmt chunk claiming more than the file */
  len = make_wav(b, 1, 1, 8000, 16, 200, 200);
  uint32_t big = 0x7FFFFFF0;
  memcpy(b + 16, &big, 4);
  expect_err(b, len, "claims", "fmt size beyond the file");
  /* fmt too short */
  len = make_wav(b, 1, 1, 8000, 16, 200, 200);
  uint32_t eight = 8;
  memcpy(b + 16, &eight, 4);
  expect_err(b, len, NULL, "fmt of 8 bytes");
  /* missing data chunk */
  len = make_wav(b, 1, 1, 8000, 16, 0, 0);
  expect_err(b, 36, "no data chunk", "no data chunk");
  /* data first, no fmt */
  memcpy(b + 12, "junk", 4);
  expect_err(b, len, "no fmt chunk", "fmt renamed to junk");
  /* data size lying beyond the file: read what is there */
  len = make_wav(b, 1, 1, 8000, 16, 201, 0xFFFFFFFF);
  CHECK(hl_wav_parse(b, len, &a, err, sizeof err) == 0 && a.count == 100,
        "data claiming 4 GB reads the 100 whole frames present (%zu)", a.count);
  hl_audio_free(&a);
  /* truncated inside the header */
  len = make_wav(b, 1, 1, 8000, 16, 200, 200);
  expect_err(b, 30, "claims", "cut inside fmt");
  /* EXTENSIBLE with an unknown GUID, and a good one (24 bits in 32) */
  uint8_t e[200];
  memset(e, 0, sizeof e);
  memcpy(e, "RIFF", 4);
  memcpy(e + 8, "WAVEfmt ", 8);
  uint32_t v = 40; memcpy(e + 16, &v, 4);
  uint16_t s = 0xFFFE; memcpy(e + 20, &s, 2);
  s = 1; memcpy(e + 22, &s, 2);
  v = 8000; memcpy(e + 24, &v, 4);
  s = 4; memcpy(e + 32, &s, 2);
  s = 32; memcpy(e + 34, &s, 2);
  s = 22; memcpy(e + 36, &s, 2);
  s = 24; memcpy(e + 38, &s, 2);
  s = 1; memcpy(e + 44, &s, 2);
  static const uint8_t tail[14] = { 0, 0, 0, 0, 0x10, 0, 0x80, 0, 0, 0xAA, 0, 0x38, 0x9B, 0x71 };
  memcpy(e + 46, tail, 14);
  memcpy(e + 60, "data", 4);
  v = 40; memcpy(e + 64, &v, 4);
  int32_t smp = 0x40000000;
  for (int i = 0; i < 10; i++) memcpy(e + 68 + 4 * i, &smp, 4);
  v = 68 + 40 - 8; memcpy(e + 4, &v, 4);
  CHECK(hl_wav_parse(e, 108, &a, err, sizeof err) == 0 && a.count == 10 && a.samples[5] == 16384,
        "EXTENSIBLE PCM32 parses (%s)", err);
  hl_audio_free(&a);
  e[50] = 0x11;
  expect_err(e, 108, "GUID", "EXTENSIBLE with a foreign GUID");

  /* odd chunk before data, padded and unpadded */
  uint8_t o[512];
  len = make_wav(b, 1, 1, 8000, 16, 20, 20);
  memcpy(o, b, 36);
  memcpy(o + 36, "LIST", 4);
  v = 3; memcpy(o + 40, &v, 4);
  memcpy(o + 44, "abc", 3);
  o[47] = 0;                                   /* pad byte */
  memcpy(o + 48, b + 36, 8 + 20);
  CHECK(hl_wav_parse(o, 48 + 28, &a, err, sizeof err) == 0 && a.count == 10, "odd LIST chunk with pad (%s)", err);
  hl_audio_free(&a);
  memmove(o + 47, o + 48, 28);                 /* a writer that forgot the pad */
  CHECK(hl_wav_parse(o, 47 + 28, &a, err, sizeof err) == 0 && a.count == 10, "odd LIST chunk without pad (%s)", err);
  hl_audio_free(&a);

  /* fuzz: random damage to a valid file never crashes, and any success is sane */
  uint32_t seed = 12345;
  int ok = 0, bad = 0;
  for (int it = 0; it < 3000; it++) {
    len = make_wav(b, (it & 3) == 0 ? 3 : (it & 3) == 1 ? 6 : 1, 1 + it % 3, 8000 + 3050 * (it % 5),
                   (it & 3) == 0 ? 32 : (it & 3) == 1 ? 8 : 16, 600, 600);
    int flips = 1 + it % 6;
    for (int k = 0; k < flips; k++) {
      seed = seed * 1103515245u + 12345u;
      size_t at = (seed >> 8) % (it % 2 ? 48 : len);
      seed = seed * 1103515245u + 12345u;
      b[at] = (uint8_t)(seed >> 16);
    }
    seed = seed * 1103515245u + 12345u;
    size_t cut = (it % 7 == 0) ? (seed >> 8) % len : len;
    if (hl_wav_parse(b, cut, &a, err, sizeof err) == 0) {
      ok++;
      if (a.count > 8 * 4096 || (a.count && !a.samples)) bad++;
      hl_audio_free(&a);
    } else if (err[0] == 0) {
      bad++;
    }
  }
  CHECK(bad == 0, "fuzz: %d sane results (%d parsed), %d insane", 3000 - bad, ok, bad);

  CHECK(hl_wav_load("/nonexistent/x.wav", &a, err, sizeof err) < 0 && strstr(err, "No such file"),
        "missing file: '%s'", err);
  CHECK(hl_wav_load(dir, &a, err, sizeof err) < 0 && strstr(err, "not a regular file"), "directory: '%s'", err);
}

static void test_repair(void) {
  char p[128];
  path_of(p, sizeof p, "crash.wav");
  hl_wav_writer_t w;
  CHECK(hl_wav_writer_open(&w, p, 2) == 0, "open for crash test");
  int16_t buf[2 * 1000];
  for (int i = 0; i < 2000; i++) buf[i] = (int16_t)(i * 3);
  for (int k = 0; k < 12; k++) hl_wav_writer_write(&w, buf, 1000);
  hl_wav_writer_update_header(&w);
  hl_wav_writer_write(&w, buf, 500);
  /* the crash: no close; header sizes lost; a half-written frame at the end */
  int fd = w.fd;
  uint8_t zero[4] = { 0, 0, 0, 0 };
  CHECK(pwrite(fd, zero, 4, 4) == 4 && pwrite(fd, zero, 4, 40) == 4, "zero the sizes");
  uint8_t half[3] = { 1, 2, 3 };
  CHECK(write(fd, half, 3) == 3, "partial frame");
  close(fd);
  hl_audio_t a;
  char err[128] = "";
  /* the reader already copes: a zero data size followed by audio reads to the end */
  CHECK(hl_wav_load(p, &a, err, sizeof err) == 0 && a.count == 12500, "before repair: 12500 frames (%zu)", a.count);
  hl_audio_free(&a);
  CHECK(hl_wav_repair(p) == 1, "repair reports a repair");
  CHECK(file_size(p) == 44 + 12500 * 4, "partial frame dropped: %zu bytes", file_size(p));
  CHECK(hl_wav_load(p, &a, err, sizeof err) == 0 && a.count == 12500, "after repair 12500 frames (%zu) %s", a.count, err);
  CHECK(a.count > 700 && a.samples[700] == (int16_t)lrint((1400 * 3 + 1401 * 3) / 2.0), "content intact");
  hl_audio_free(&a);
  CHECK(hl_wav_repair(p) == 0, "second repair finds nothing to do");
  /* RIFF missing entirely: not a WAV, not touched */
  path_of(p, sizeof p, "notwav.wav");
  fd = open(p, O_CREAT | O_WRONLY | O_TRUNC, 0644);
  CHECK(write(fd, "hello world, not a wav", 22) == 22, "write junk");
  close(fd);
  CHECK(hl_wav_repair(p) < 0, "repair refuses a non-WAV");
  CHECK(hl_wav_repair("/nonexistent/y.wav") < 0, "repair of a missing file fails");
}

int main(void) {
  snprintf(dir, sizeof dir, "/tmp/hl_test_wav.XXXXXX");
  if (!mkdtemp(dir)) { perror("mkdtemp"); return 1; }
  test_writer_roundtrip();
  if (have_sox()) test_formats_sox();
  else printf("# sox not found: format fixtures skipped\n");
  test_resample();
  test_hostile();
  test_repair();
  char cmd[128];
  snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
  if (system(cmd) != 0) printf("# could not remove %s\n", dir);
  T_DONE("wav");
}
