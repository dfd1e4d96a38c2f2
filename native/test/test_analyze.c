/* Analyzer quality: signals made by spandsp's own generators (dtmf_tx, adsi_tx)
 * and our zone tone generator, with spandsp AWGN, through A-law and back.
 * Each sweep also runs bare spandsp decoders on the same samples: the analyzer
 * must report what they report. */
#include "hl/analyze.h"
#include "hl/wav.h"
#include "hl/zone.h"
#include "t.h"
#include <spandsp.h>
#include <math.h>
#include <string.h>
#include <unistd.h>

#define RATE 8000
static char js[65536];

/* ---- a small JSON checker: syntax only, strict ------------------------ */
static const char *jv(const char *p);
static const char *jws(const char *p) { while (*p == ' ' || *p == '\n' || *p == '\t' || *p == '\r') p++; return p; }
static const char *jstr(const char *p) {
  if (*p++ != '"') return NULL;
  while (*p != '"') {
    if ((unsigned char)*p < 0x20) return NULL;
    if (*p == '\\') {
      p++;
      if (*p == 'u') { for (int i = 1; i <= 4; i++) if (!strchr("0123456789abcdefABCDEF", p[i]) || !p[i]) return NULL; p += 5; continue; }
      if (!*p || !strchr("\"\\/bfnrt", *p)) return NULL;
    }
    p++;
  }
  return p + 1;
}
static const char *jv(const char *p) {
  p = jws(p);
  if (*p == '{' || *p == '[') {
    char close = *p == '{' ? '}' : ']';
    int obj = *p == '{';
    p = jws(p + 1);
    if (*p == close) return p + 1;
    for (;;) {
      if (obj) { p = jstr(jws(p)); if (!p) return NULL; p = jws(p); if (*p++ != ':') return NULL; }
      p = jv(p);
      if (!p) return NULL;
      p = jws(p);
      if (*p == ',') { p++; continue; }
      if (*p == close) return p + 1;
      return NULL;
    }
  }
  if (*p == '"') return jstr(p);
  if (!strncmp(p, "null", 4)) return p + 4;
  if (*p == '-' || (*p >= '0' && *p <= '9')) { p++; while (*p >= '0' && *p <= '9') p++; return p; }
  return NULL;
}
static int json_ok(const char *s) { const char *e = jv(s); return e && *jws(e) == 0; }

/* digits from the analyzer's JSON, in order */
static void json_digits(const char *s, char *out, size_t cap) {
  size_t n = 0;
  for (const char *p = s; (p = strstr(p, "\"digit\":\"")) && n + 1 < cap; p += 9) out[n++] = p[9];
  out[n] = 0;
}
/* k-th field value (raw JSON text between the quotes, or "null") */
static void json_field(const char *s, const char *key, int k, char *out, size_t cap) {
  char pat[40];
  snprintf(pat, sizeof pat, "\"%s\":", key);
  out[0] = 0;
  const char *p = s;
  for (int i = 0; i <= k; i++) { p = strstr(p, pat); if (!p) return; p += strlen(pat); }
  if (!strncmp(p, "null", 4)) { snprintf(out, cap, "null"); return; }
  if (*p != '"') { size_t n = strcspn(p, ",}"); snprintf(out, cap, "%.*s", (int)n, p); return; }
  p++;
  size_t n = 0;
  while (*p && *p != '"' && n + 1 < cap) { if (*p == '\\') out[n++] = *p++; out[n++] = *p++; }
  out[n] = 0;
}
static int count_of(const char *s, const char *pat) {
  int n = 0;
  for (const char *p = s; (p = strstr(p, pat)); p += strlen(pat)) n++;
  return n;
}

/* ---- signal making ----------------------------------------------------- */
typedef struct { int16_t *b; size_t n, cap; } sig_t;
static void sig_pad(sig_t *s, size_t k) {
  if (s->n + k > s->cap) { s->cap = (s->n + k) * 2; s->b = realloc(s->b, s->cap * sizeof(int16_t)); }
  memset(s->b + s->n, 0, k * sizeof(int16_t));
  s->n += k;
}
static void sig_dtmf(sig_t *s, const char *digits, int level, int on, int off) {
  dtmf_tx_state_t *t = dtmf_tx_init(NULL);
  dtmf_tx_set_level(t, level, 0);
  dtmf_tx_set_timing(t, on, off);
  dtmf_tx_put(t, digits, -1);
  int16_t buf[160];
  int k;
  while ((k = dtmf_tx(t, buf, 160)) > 0) { size_t at = s->n; sig_pad(s, (size_t)k); memcpy(s->b + at, buf, (size_t)k * 2); }
  dtmf_tx_free(t);
}
static void sig_adsi(sig_t *s, int std, const uint8_t *msg, int len) {
  adsi_tx_state_t *t = adsi_tx_init(NULL, std);
  adsi_tx_put_message(t, msg, len);
  int16_t buf[160];
  int k;
  while ((k = adsi_tx(t, buf, 160)) > 0) { size_t at = s->n; sig_pad(s, (size_t)k); memcpy(s->b + at, buf, (size_t)k * 2); }
  adsi_tx_free(t);
}
static int mdmf(int std, uint8_t *msg, const char *dt, const char *num, const char *name) {
  adsi_tx_state_t *t = adsi_tx_init(NULL, std);
  int len = adsi_add_field(t, msg, -1, CLASS_MDMF_CALLERID, NULL, 0);
  if (dt) len = adsi_add_field(t, msg, len, MCLASS_DATETIME, (const uint8_t *)dt, (int)strlen(dt));
  if (num) len = adsi_add_field(t, msg, len, MCLASS_CALLER_NUMBER, (const uint8_t *)num, (int)strlen(num));
  if (name) len = adsi_add_field(t, msg, len, MCLASS_CALLER_NAME, (const uint8_t *)name, (int)strlen(name));
  adsi_tx_free(t);
  return len;
}
/* noise at noise_dbm0, then A-law and back */
static void impair(sig_t *s, float noise_dbm0, int seed) {
  awgn_state_t *ns = noise_dbm0 > -99 ? awgn_init_dbm0(NULL, seed, noise_dbm0) : NULL;
  for (size_t i = 0; i < s->n; i++) {
    int v = s->b[i] + (ns ? awgn(ns) : 0);
    v = v > 32767 ? 32767 : v < -32768 ? -32768 : v;
    s->b[i] = alaw_to_linear(linear_to_alaw(v));
  }
  if (ns) awgn_free(ns);
}
/* a dual tone with both frequencies scaled by (1 + off) */
static void sig_dual(sig_t *s, float f1, float f2, float level, int on_ms, int off_ms) {
  double amp = 32768.0 * pow(10.0, (level - DBM0_MAX_SINE_POWER) / 20.0);
  size_t on = (size_t)on_ms * 8, n = (size_t)(on_ms + off_ms) * 8, at = s->n;
  sig_pad(s, n);
  for (size_t i = 0; i < on; i++)
    s->b[at + i] = (int16_t)lrint(amp * (sin(2 * M_PI * f1 * i / RATE) + sin(2 * M_PI * f2 * i / RATE)));
}

/* ---- bare spandsp reference ------------------------------------------- */
typedef struct { char digits[256]; char num[3][64]; int nmsg[3]; adsi_rx_state_t *rx[3]; } bare_t;
typedef struct { bare_t *b; int i; } bare_ctx_t;
static void bare_digits(void *u, const char *d, int len) {
  bare_t *b = u;
  strncat(b->digits, d, (size_t)len < sizeof b->digits - strlen(b->digits) - 1 ? (size_t)len : 0);
}
static void bare_msg(void *u, const uint8_t *msg, int len) {
  bare_ctx_t *c = u;
  bare_t *b = c->b;
  b->nmsg[c->i]++;
  if (c->i == 2) {              /* DTMF: the digits after A */
    const uint8_t *a = memchr(msg, 'A', (size_t)len);
    if (a) { int n = 0; a++; while (a < msg + len && *a >= '0' && *a <= '9' && n < 63) b->num[2][n++] = (char)*a++; b->num[2][n] = 0; }
    return;
  }
  uint8_t m[300] = { 0 };
  memcpy(m, msg, (size_t)len);
  int pos = -1, flen;
  uint8_t ft;
  const uint8_t *body;
  while ((pos = adsi_next_field(b->rx[c->i], m, len, pos, &ft, &body, &flen)) > 0)
    if (body && ft == MCLASS_CALLER_NUMBER && flen < 64) { memcpy(b->num[c->i], body, (size_t)flen); b->num[c->i][flen] = 0; }
}
static void bare_run(const int16_t *x, size_t n, bare_t *b) {
  memset(b, 0, sizeof(*b));
  dtmf_rx_state_t *d = dtmf_rx_init(NULL, bare_digits, b);
  bare_ctx_t c[3];
  static const int st[3] = { ADSI_STANDARD_CLASS, ADSI_STANDARD_CLIP, ADSI_STANDARD_CLIP_DTMF };
  for (int i = 0; i < 3; i++) { c[i] = (bare_ctx_t){ b, i }; b->rx[i] = adsi_rx_init(NULL, st[i], bare_msg, &c[i]); }
  dtmf_rx(d, x, (int)n);
  for (int i = 0; i < 3; i++) adsi_rx(b->rx[i], x, (int)n);
  int16_t z[800] = { 0 };
  dtmf_rx(d, z, 800);
  for (int i = 0; i < 3; i++) { adsi_rx(b->rx[i], z, 800); adsi_rx_free(b->rx[i]); }
  dtmf_rx_free(d);
}

/* ---- tests ------------------------------------------------------------- */

static void test_empty_and_small_buffer(void) {
  int n = hl_analyze(NULL, 0, js, sizeof js);
  CHECK(n > 0 && !strcmp(js, "{\"dtmf\":[],\"callerId\":[],\"tones\":[]}"), "silence: empty lists (%s)", js);
  sig_t s = { 0 };
  sig_pad(&s, 800);
  sig_dtmf(&s, "123", -10, 50, 50);
  sig_pad(&s, 800);
  char small[20];
  n = hl_analyze(s.b, s.n, small, sizeof small);
  CHECK(n > (int)sizeof small && strlen(small) == sizeof small - 1, "small buffer: needed %d, cut to %zu", n, strlen(small));
  char *big = malloc((size_t)n + 1);
  CHECK(hl_analyze(s.b, s.n, big, (size_t)n + 1) == n && json_ok(big), "retry with the length fits: %s", big);
  free(big);
  free(s.b);
}

static void test_dtmf_timing(void) {
  sig_t s = { 0 };
  sig_pad(&s, 4000);                         /* 500 ms */
  sig_dtmf(&s, "5", -10, 80, 0);             /* 500..580 ms */
  sig_pad(&s, 1600);
  sig_dtmf(&s, "#", -10, 200, 0);            /* 780..980 ms */
  sig_pad(&s, 800);
  impair(&s, -40, 3);
  hl_analyze(s.b, s.n, js, sizeof js);
  printf("# timing: %s\n", js);
  char v[32];
  json_field(js, "startMs", 0, v, sizeof v); int s0 = atoi(v);
  json_field(js, "endMs", 0, v, sizeof v); int e0 = atoi(v);
  json_field(js, "startMs", 1, v, sizeof v); int s1 = atoi(v);
  json_field(js, "endMs", 1, v, sizeof v); int e1 = atoi(v);
  CHECK(count_of(js, "\"digit\"") == 2, "two digits");
  CHECK(abs(s0 - 500) <= 15 && abs(e0 - 580) <= 15, "'5' at 500..580 ms, got %d..%d", s0, e0);
  CHECK(abs(s1 - 780) <= 15 && abs(e1 - 980) <= 15, "'#' at 780..980 ms, got %d..%d", s1, e1);
  free(s.b);
}

/* sent digits found, in order (greedy alignment) */
static int digits_right(const char *got, const char *sent) {
  int n = 0;
  for (const char *g = got, *s = sent; *g && *s; s++) {
    const char *f = strchr(g, *s);
    if (f && f - g <= 1) { n++; g = f + 1; }
  }
  return n;
}
static int subseq(const char *small, const char *big) {
  for (; *small; small++) { big = strchr(big, *small); if (!big) return 0; big++; }
  return 1;
}

static const char *rand_digits(char *d, int n, uint32_t *seed) {
  static const char set[] = "0123456789*#ABCD";
  for (int i = 0; i < n; i++) { *seed = *seed * 1664525u + 1013904223u; d[i] = set[(*seed >> 16) % 16]; }
  d[n] = 0;
  return d;
}

/* DTMF at -10 dBm0 per tone (-7 dBm0 total); SNR against the total. */
static void test_dtmf_snr(void) {
  static const int snrs[] = { 30, 20, 15, 12, 10, 8, 6 };
  uint32_t seed = 99;
  printf("# DTMF sweep (50/50 ms, -10 dBm0/tone, A-law): SNR dB -> digits correct analyzer / bare spandsp\n");
  for (size_t k = 0; k < sizeof snrs / sizeof snrs[0]; k++) {
    int ok = 0, okb = 0, total = 0, agree = 1;
    for (int trial = 0; trial < 8; trial++) {
      char d[17];
      rand_digits(d, 16, &seed);
      sig_t s = { 0 };
      sig_pad(&s, 1600);
      sig_dtmf(&s, d, -10, 50, 50);
      sig_pad(&s, 1600);
      impair(&s, -7.0f - (float)snrs[k], 1000 + trial * 7 + (int)k);
      hl_analyze(s.b, s.n, js, sizeof js);
      char got[64];
      json_digits(js, got, sizeof got);
      bare_t b;
      bare_run(s.b, s.n, &b);
      total += 16;
      ok += digits_right(got, d);
      okb += digits_right(b.digits, d);
      /* ours may add digits only the frequency-scaled detectors heard; it may not lose any */
      if (!subseq(b.digits, got)) { agree = 0; printf("#   lost at %d dB: ours %s bare %s\n", snrs[k], got, b.digits); }
      else if (strcmp(got, b.digits)) printf("#   %d dB: ours %s, bare %s (sent %s)\n", snrs[k], got, b.digits, d);
      if (snrs[k] >= 10) CHECK(!strcmp(got, d), "DTMF at %d dB SNR: sent %s got %s", snrs[k], d, got);
      free(s.b);
    }
    printf("#   %2d dB: %d/%d  /  %d/%d\n", snrs[k], ok, total, okb, total);
    CHECK(agree, "analyzer and bare dtmf_rx agree at %d dB", snrs[k]);
  }
}

static void test_dtmf_freq_and_duration(void) {
  static const float row[4] = { 697, 770, 852, 941 }, col[4] = { 1209, 1336, 1477, 1633 };
  static const char keys[] = "123A456B789C*0#D";
  static const float offs[] = { 0.015f, -0.015f, 0.035f, -0.035f };
  for (size_t o = 0; o < 4; o++) {
    sig_t s = { 0 };
    sig_pad(&s, 800);
    for (int i = 0; i < 16; i++) sig_dual(&s, row[i / 4] * (1 + offs[o]), col[i % 4] * (1 + offs[o]), -10, 50, 50);
    sig_pad(&s, 800);
    impair(&s, -45, 5);
    hl_analyze(s.b, s.n, js, sizeof js);
    char got[64];
    json_digits(js, got, sizeof got);
    bare_t b;
    bare_run(s.b, s.n, &b);
    if (fabsf(offs[o]) < 0.02f) CHECK(!strcmp(got, keys), "%+.1f %% offset accepted: got %s", offs[o] * 100, got);
    else CHECK(got[0] == 0, "%+.1f %% offset rejected: got '%s'", offs[o] * 100, got);
    printf("# %+.1f %% offset: analyzer '%s', bare dtmf_rx '%s'\n", offs[o] * 100, got, b.digits);
    CHECK(subseq(b.digits, got), "%+.1f %%: every digit bare spandsp finds is found (%s / %s)", offs[o] * 100, got, b.digits);
    free(s.b);
  }
  /* duration: 20 ms never, 40 ms always (Q.24: reject < 23 ms, accept >= 40 ms) */
  static const int durs[] = { 15, 20, 40 };
  for (size_t k = 0; k < 3; k++) {
    sig_t s = { 0 };
    sig_pad(&s, 800);
    for (int i = 0; i < 16; i++) sig_dual(&s, row[i / 4], col[i % 4], -10, durs[k], 100);
    sig_pad(&s, 800);
    impair(&s, -45, 6);
    hl_analyze(s.b, s.n, js, sizeof js);
    char got[64];
    json_digits(js, got, sizeof got);
    if (durs[k] < 23) CHECK(got[0] == 0, "%d ms tones rejected: got '%s'", durs[k], got);
    else CHECK(!strcmp(got, keys), "%d ms tones accepted: got %s", durs[k], got);
    free(s.b);
  }
}

/* FSK at the generator's level (-14 dBm0 in spandsp 0.0.6? measured below); SNR against it. */
static double level_dbm0(const int16_t *x, size_t n) {
  double e = 0;
  size_t m = 0;
  for (size_t i = 0; i < n; i++) if (x[i]) { e += (double)x[i] * x[i]; m++; }
  if (!m) return -99;
  double a0 = 32768.0 * pow(10.0, -DBM0_MAX_SINE_POWER / 20.0);
  return 10 * log10(e / m / (a0 * a0 / 2));
}

static void test_cid_snr(void) {
  static const int snrs[] = { 30, 20, 15, 12, 10 };
  static const struct { int adsi; const char *name; } stds[] = {
    { ADSI_STANDARD_CLASS, "bell202" }, { ADSI_STANDARD_CLIP, "v23" }, { ADSI_STANDARD_CLIP_DTMF, "dtmf" } };
  uint32_t seed = 7;
  for (int sd = 0; sd < 3; sd++) {
    printf("# caller ID %s sweep (A-law): SNR dB -> correct analyzer / bare spandsp\n", stds[sd].name);
    for (size_t k = 0; k < sizeof snrs / sizeof snrs[0]; k++) {
      int ok = 0, okb = 0, agree = 1, trials = 10;
      for (int trial = 0; trial < trials; trial++) {
        char num[16], dt[9];
        rand_digits(num, 11, &seed);
        for (int i = 0; i < 11; i++) if (num[i] < '0' || num[i] > '9') num[i] = (char)('0' + (num[i] & 7));
        snprintf(dt, sizeof dt, "%02d%02d%02d%02d", 1 + trial % 12, 1 + trial * 3 % 28, trial * 5 % 24, trial * 7 % 60);
        sig_t s = { 0 };
        sig_pad(&s, 2400);
        uint8_t msg[256];
        int len;
        if (stds[sd].adsi == ADSI_STANDARD_CLIP_DTMF) {
          len = snprintf((char *)msg, sizeof msg, "A%sC", num);
        } else {
          len = mdmf(stds[sd].adsi, msg, dt, num, "ZHANG SAN");
        }
        size_t at = s.n;
        sig_adsi(&s, stds[sd].adsi, msg, len);
        double lvl = level_dbm0(s.b + at, s.n - at);
        if (trial == 0 && k == 0) printf("#   %s signal level %.1f dBm0\n", stds[sd].name, lvl);
        sig_pad(&s, 2400);
        impair(&s, (float)(lvl - snrs[k]), 500 + trial * 13 + (int)k * 101 + sd);
        hl_analyze(s.b, s.n, js, sizeof js);
        bare_t b;
        bare_run(s.b, s.n, &b);
        char v[64], st[16], nm[32], d2[16];
        json_field(js, "number", 0, v, sizeof v);
        json_field(js, "standard", 0, st, sizeof st);
        json_field(js, "name", 0, nm, sizeof nm);
        json_field(js, "datetime", 0, d2, sizeof d2);
        int n_cid = count_of(js, "\"standard\"");
        int good = n_cid == 1 && !strcmp(v, num) && !strcmp(st, stds[sd].name) &&
                   (sd == 2 ? !strcmp(nm, "null") && !strcmp(d2, "null") : !strcmp(nm, "ZHANG SAN") && !strcmp(d2, dt));
        int bgood = !strcmp(b.num[sd], num);
        ok += good;
        okb += bgood;
        /* agreement: whatever bare decoding got, we report (number-wise) */
        /* agreement: whatever bare adsi_rx decoded, we report with the right label; we may
           also report what only the other FSK demodulator caught */
        if (bgood && !good) { agree = 0; printf("#   lost %s %d dB: ours %s (%s) bare '%s'\n", stds[sd].name, snrs[k], v, st, b.num[sd]); }
        else if (good && !bgood) printf("#   %s %d dB: only ours (via the other demodulator) got %s\n", stds[sd].name, snrs[k], v);
        if (n_cid && strcmp(st, stds[sd].name)) { agree = 0; printf("#   mislabelled %s as %s\n", stds[sd].name, st); }
        if (snrs[k] >= 15) CHECK(good, "%s CID at %d dB: want %s/%s, got %s", stds[sd].name, snrs[k], num, dt, js);
        CHECK(json_ok(js), "valid JSON");
        free(s.b);
      }
      printf("#   %2d dB: %d/%d  /  %d/%d\n", snrs[k], ok, trials, okb, trials);
      CHECK(agree, "%s: analyzer and bare adsi_rx agree at %d dB", stds[sd].name, snrs[k]);
    }
  }
}

static void test_hostile_cid(void) {
  static const char evil[] = "A\"B\\C\n\x01<script>&\x7f\xff\xc3\x28\xe4\xb8\xad";  /* ends with valid UTF-8 中 */
  uint8_t msg[256];
  int len = mdmf(ADSI_STANDARD_CLASS, msg, "12312359", "\"\\1\x1b[31m", evil);
  sig_t s = { 0 };
  sig_pad(&s, 2000);
  sig_adsi(&s, ADSI_STANDARD_CLASS, msg, len);
  sig_pad(&s, 2000);
  impair(&s, -60, 1);
  hl_analyze(s.b, s.n, js, sizeof js);
  printf("# hostile: %s\n", js);
  CHECK(json_ok(js), "hostile caller ID still gives valid JSON");
  CHECK(strstr(js, "\"number\":\"\\\"\\\\1\\u001b[31m\"") != NULL, "number escaped");
  CHECK(strstr(js, "\"name\":\"A\\\"B\\\\C\\n\\u0001\\u003cscript\\u003e\\u0026\\u007f\\ufffd\\ufffd(\xe4\xb8\xad\"") != NULL,
        "name escaped: quotes, backslash, controls, < > &, invalid bytes -> U+FFFD, valid UTF-8 kept");
  free(s.b);

  /* SDMF, absence codes, and a DTMF 'B' absence */
  adsi_tx_state_t *t = adsi_tx_init(NULL, ADSI_STANDARD_CLASS);
  len = adsi_add_field(t, msg, -1, CLASS_SDMF_CALLERID, NULL, 0);
  len = adsi_add_field(t, msg, len, 0, (const uint8_t *)"01020304" "5551234", 15);
  adsi_tx_free(t);
  uint8_t m2[64];
  t = adsi_tx_init(NULL, ADSI_STANDARD_CLIP);
  int l2 = adsi_add_field(t, m2, -1, CLIP_MDMF_CALLERID, NULL, 0);
  l2 = adsi_add_field(t, m2, l2, CLIP_ABSENCE1, (const uint8_t *)"P", 1);
  l2 = adsi_add_field(t, m2, l2, CLIP_ABSENCE2, (const uint8_t *)"P", 1);
  adsi_tx_free(t);
  s = (sig_t){ 0 };
  sig_pad(&s, 2000);
  sig_adsi(&s, ADSI_STANDARD_CLASS, msg, len);
  sig_pad(&s, 4000);
  sig_adsi(&s, ADSI_STANDARD_CLIP, m2, l2);
  sig_pad(&s, 4000);
  sig_adsi(&s, ADSI_STANDARD_CLIP_DTMF, (const uint8_t *)"B10C", 4);
  sig_pad(&s, 2000);
  impair(&s, -50, 2);
  hl_analyze(s.b, s.n, js, sizeof js);
  printf("# sdmf/absence: %s\n", js);
  CHECK(strstr(js, "{\"standard\":\"bell202\",\"number\":\"5551234\",\"name\":null,\"datetime\":\"01020304\"}") != NULL, "SDMF decoded");
  CHECK(strstr(js, "{\"standard\":\"v23\",\"number\":\"P\",\"name\":null,\"datetime\":null}") != NULL, "withheld number and name");
  CHECK(strstr(js, "{\"standard\":\"dtmf\",\"number\":\"P\",\"name\":null,\"datetime\":null}") != NULL, "DTMF B10C = restricted");
  CHECK(count_of(js, "\"standard\"") == 3, "exactly three caller IDs (no cross-decoded duplicates)");
  CHECK(!strncmp(js, "{\"dtmf\":[{\"digit\":\"B\"", 21), "the DTMF CID digits are also listed as digits");
  free(s.b);
  /* digits keyed by a caller ending in # are not a caller ID */
  s = (sig_t){ 0 };
  sig_pad(&s, 800);
  sig_dtmf(&s, "1234#", -10, 60, 60);
  sig_pad(&s, 800);
  hl_analyze(s.b, s.n, js, sizeof js);
  CHECK(count_of(js, "\"standard\"") == 0 && count_of(js, "\"digit\"") == 5, "1234# is digits only: %s", js);
  free(s.b);
}

/* A whole call as a file: CID between rings, then digits, then busy. */
static void test_file(void) {
  char dir[] = "/tmp/hl_test_an.XXXXXX";
  if (!mkdtemp(dir)) return;
  sig_t s = { 0 };
  sig_pad(&s, 4000);
  uint8_t msg[128];
  int len = mdmf(ADSI_STANDARD_CLASS, msg, "03151230", "13800138000", "ZHANG SAN");
  sig_adsi(&s, ADSI_STANDARD_CLASS, msg, len);
  sig_pad(&s, 8000);
  sig_dtmf(&s, "8001#", -10, 60, 60);
  sig_pad(&s, 4000);
  hl_zone_t z;
  hl_zone_load("cn", &z);
  size_t at = s.n;
  sig_pad(&s, 8000 * 4);
  hl_tonegen_t g;
  hl_tonegen_start(&g, &z.tones[HL_ZT_BUSY], -10);
  hl_tonegen_mix(&g, s.b + at, 8000 * 4);
  impair(&s, -45, 9);
  char path[128], err[160];
  snprintf(path, sizeof path, "%s/call.wav", dir);
  hl_wav_writer_t w;
  hl_wav_writer_open(&w, path, 1);
  hl_wav_writer_write(&w, s.b, s.n);
  hl_wav_writer_close(&w);
  int n = hl_analyze_file(path, js, sizeof js, err, sizeof err);
  printf("# call.wav: %s\n", js);
  CHECK(n > 0 && json_ok(js), "file analyzed");
  char digits[32];
  json_digits(js, digits, sizeof digits);
  CHECK(!strcmp(digits, "8001#"), "digits 8001#: %s", digits);
  CHECK(strstr(js, "\"callerId\":[{\"standard\":\"bell202\",\"number\":\"13800138000\",\"name\":\"ZHANG SAN\",\"datetime\":\"03151230\"}]"),
        "caller ID");
  char tone[16], on[16], off[16];
  json_field(js, "tone", 0, tone, sizeof tone);
  json_field(js, "onMs", 0, on, sizeof on);
  json_field(js, "offMs", 0, off, sizeof off);
  CHECK(!strcmp(tone, "busy") && abs(atoi(on) - 350) <= 20 && abs(atoi(off) - 350) <= 20 && count_of(js, "\"tone\"") == 1,
        "busy 350/350: %s %s/%s", tone, on, off);
  /* the same as 44.1 kHz stereo float written by sox, if sox is here */
  if (system("command -v sox >/dev/null 2>&1") == 0) {
    char cmd[512], p2[160];
    snprintf(p2, sizeof p2, "%s/call44.wav", dir);
    snprintf(cmd, sizeof cmd, "sox -D %s -r 44100 -c 2 -e floating-point -b 32 %s 2>/dev/null", path, p2);
    if (system(cmd) == 0) {
      static char js2[65536];
      hl_analyze_file(p2, js2, sizeof js2, err, sizeof err);
      char d2[32];
      json_digits(js2, d2, sizeof d2);
      CHECK(!strcmp(d2, "8001#") && strstr(js2, "13800138000") && strstr(js2, "\"busy\""),
            "44.1 kHz stereo float copy gives the same findings: %s", js2);
    }
  }
  CHECK(hl_analyze_file("/nonexistent.wav", js, sizeof js, err, sizeof err) < 0 && strstr(err, "No such file"),
        "missing file: %s", err);
  snprintf(path, sizeof path, "%s/junk.wav", dir);
  FILE *f = fopen(path, "w");
  fputs("this is not audio", f);
  fclose(f);
  CHECK(hl_analyze_file(path, js, sizeof js, err, sizeof err) < 0 && strstr(err, "not a WAV"), "junk file: %s", err);
  free(s.b);
  char cmd[96];
  snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
  if (system(cmd) != 0) printf("# cleanup failed\n");
}

/* The same Q.24 lines as test_dtmf_freq_and_duration, through WAV files the
 * way a field tech runs `hotline analyze`: +-1.5 % accepted, +-3.5 % and
 * tones under 23 ms rejected. */
static void test_file_q24(void) {
  static const float row[4] = { 697, 770, 852, 941 }, col[4] = { 1209, 1336, 1477, 1633 };
  static const char keys[] = "123A456B789C*0#D";
  static const struct { float off; int ms; int accept; } cases[] = {
    { 0.015f, 50, 1 }, { -0.015f, 50, 1 }, { 0.035f, 50, 0 }, { -0.035f, 50, 0 }, { 0, 20, 0 }, { 0, 40, 1 } };
  char dir[] = "/tmp/hl_test_q24.XXXXXX";
  if (!mkdtemp(dir)) { CHECK(0, "mkdtemp"); return; }
  for (size_t k = 0; k < sizeof cases / sizeof cases[0]; k++) {
    sig_t s = { 0 };
    sig_pad(&s, 800);
    for (int i = 0; i < 16; i++)
      sig_dual(&s, row[i / 4] * (1 + cases[k].off), col[i % 4] * (1 + cases[k].off), -10, cases[k].ms, 100);
    sig_pad(&s, 800);
    impair(&s, -45, 11 + (int)k);
    char path[160], err[160], got[64];
    snprintf(path, sizeof path, "%s/q24-%zu.wav", dir, k);
    hl_wav_writer_t w;
    CHECK(hl_wav_writer_open(&w, path, 1) == 0 && hl_wav_writer_write(&w, s.b, s.n) == 0 && hl_wav_writer_close(&w) == 0,
          "write %s", path);
    int n = hl_analyze_file(path, js, sizeof js, err, sizeof err);
    json_digits(js, got, sizeof got);
    if (cases[k].accept)
      CHECK(n > 0 && !strcmp(got, keys), "file, %+.1f %% offset, %d ms tones: all 16 digits, got '%s'", cases[k].off * 100, cases[k].ms, got);
    else
      CHECK(n > 0 && got[0] == 0, "file, %+.1f %% offset, %d ms tones: rejected, got '%s'", cases[k].off * 100, cases[k].ms, got);
    unlink(path);
    free(s.b);
  }
  rmdir(dir);
}

int main(void) {
  test_empty_and_small_buffer();
  test_dtmf_timing();
  test_dtmf_snr();
  test_dtmf_freq_and_duration();
  test_cid_snr();
  test_hostile_cid();
  test_file();
  test_file_q24();
  T_DONE("analyze");
}
