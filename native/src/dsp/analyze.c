/* Recording analyzer (see analyze.h for the JSON). All detectors see the same
 * 5 ms chunks, so an event's time is known to a chunk; DTMF times are moved
 * back by dtmf_rx's confirmation delay. Bell 202 and V.23 are close enough
 * (1200/2200 vs 1300/2100 Hz) that each demodulator often decodes the other's
 * signal: a message is labelled by the tone pair that held more energy over
 * it, and a second copy of it at the same time is dropped.
 * spandsp 0.0.6's dtmf_rx wants row+col energy within 0.85 dB of a perfect
 * tone pair, which already drops 1633 Hz digits at +-1.5 % (Q.24 asks they be
 * accepted). Two more dtmf_rx run on copies of the audio time-scaled by
 * +-1.25 % (every frequency moves by that factor); the three detectors' digits
 * are merged; +-3.5 % is still rejected (test_analyze checks both). */
#include "hl/analyze.h"
#include "hl/jsonw.h"
#include "hl/tonedet.h"
#include "hl/warp.h"
#include "hl/wav.h"
#include <spandsp.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define CHUNK 40                  /* 5 ms */
#define EBLK 80                   /* FSK energy blocks, 10 ms */
/* samples from a DTMF edge to its confirmation by dtmf_rx (two agreeing
 * 102-sample blocks, plus on average half a block and half a chunk); measured */
#define DTMF_DELAY_ON 300
#define DTMF_DELAY_OFF 150
#define FIELD_MAX 256

enum { STD_BELL = 0, STD_V23 = 1, STD_DTMF = 2 };
static const char *std_names[] = { "bell202", "v23", "dtmf" };

typedef struct { char digit; int64_t start, end; } dtmf_ev_t;
typedef struct {
  int std;
  int64_t at;                     /* sample position of delivery */
  int64_t from;                   /* estimated start of the FSK burst */
  uint8_t number[FIELD_MAX], name[FIELD_MAX];
  int nnum, nname, has_name;
  char datetime[9];
  int dropped;
} cid_ev_t;
typedef struct { int tone, on, off; int64_t start; } tone_ev_t;

typedef struct an {
  int64_t pos;                    /* samples fed so far (end of the current chunk) */
  dtmf_ev_t *dt; size_t ndt, cdt;
  cid_ev_t *cid; size_t ncid, ccid;
  tone_ev_t *tn; size_t ntn, ctn;
  float *e_bell, *e_v23;          /* FSK pair energies per 10 ms block */
  size_t nblk;
  int oom;
} an_t;

static void *grow(void *p, size_t *cap, size_t need, size_t sz, int *oom) {
  if (need <= *cap) return p;
  size_t nc = *cap ? *cap * 2 : 16;
  while (nc < need) nc *= 2;
  void *q = realloc(p, nc * sz);
  if (!q) { *oom = 1; return NULL; }
  *cap = nc;
  return q;
}

/* ---- DTMF ------------------------------------------------------------- */

#define WARP 1.0125
#define WBLK 160                  /* resampler output block */

typedef struct dctx { an_t *a; double scale; int64_t pos; int open; } dctx_t;

static void close_digit(an_t *a, dctx_t *c, int64_t at) {
  if (c->open < 0) return;
  dtmf_ev_t *e = &a->dt[c->open];
  e->end = at > e->start ? at : e->start;
  c->open = -1;
}

static void on_dtmf(void *user, int code, int level, int delay) {
  dctx_t *c = user;
  an_t *a = c->a;
  int64_t at = (int64_t)((double)(c->pos - (code ? DTMF_DELAY_ON : DTMF_DELAY_OFF)) * c->scale);
  if (at < 0) at = 0;
  close_digit(a, c, at);
  if (code == 0) return;
  dtmf_ev_t *n = grow(a->dt, &a->cdt, a->ndt + 1, sizeof(*n), &a->oom);
  if (!n) return;
  a->dt = n;
  a->dt[a->ndt] = (dtmf_ev_t){ (char)code, at, at };
  c->open = (int)a->ndt++;
}

/* y[k] = x(k * r) through the shared resampler (hl/warp.h): a tone at f
 * comes out at f * r. */
static int16_t *warp(const int16_t *x, size_t n, double r, size_t *outn) {
  size_t m = (size_t)((double)n / r);
  int16_t *y = malloc((m ? m : 1) * sizeof(*y));
  hl_warp_t *w = malloc(sizeof(*w));
  if (!y || !w || hl_warp_init(w, r) != 0) { free(y); free(w); return NULL; }
  int16_t in[HL_WARP_BUF];
  size_t used = 0;
  for (size_t k = 0; k < m; k += WBLK) {
    int nout = (int)(m - k < WBLK ? m - k : WBLK);
    int need = hl_warp_need(w, nout);
    for (int i = 0; i < need; i++, used++) in[i] = used < n ? x[used] : 0;   /* zeros past the end */
    hl_warp_run(w, in, need, y + k, nout);
  }
  free(w);
  *outn = m;
  return y;
}

static int cmp_dt(const void *x, const void *y) {
  const dtmf_ev_t *p = x, *q = y;
  return p->start < q->start ? -1 : p->start > q->start;
}

/* One digit heard by several of the detectors is one digit. */
static void merge_digits(an_t *a) {
  qsort(a->dt, a->ndt, sizeof(dtmf_ev_t), cmp_dt);
  size_t w = 0;
  for (size_t i = 0; i < a->ndt; i++) {
    if (w > 0 && a->dt[w - 1].digit == a->dt[i].digit && a->dt[i].start <= a->dt[w - 1].end + 80) {
      if (a->dt[i].end > a->dt[w - 1].end) a->dt[w - 1].end = a->dt[i].end;
      continue;
    }
    a->dt[w++] = a->dt[i];
  }
  a->ndt = w;
}

/* ---- caller ID -------------------------------------------------------- */

typedef struct { an_t *a; int std; adsi_rx_state_t *rx; } cid_ctx_t;

static cid_ev_t *new_cid(an_t *a, int std) {
  cid_ev_t *n = grow(a->cid, &a->ccid, a->ncid + 1, sizeof(*n), &a->oom);
  if (!n) return NULL;
  a->cid = n;
  cid_ev_t *c = &a->cid[a->ncid++];
  memset(c, 0, sizeof(*c));
  c->std = std;
  c->at = a->pos;
  return c;
}

static void set_field(uint8_t *dst, int *dlen, const uint8_t *src, int len) {
  if (len > FIELD_MAX) len = FIELD_MAX;
  if (len < 0) len = 0;
  memcpy(dst, src, (size_t)len);
  *dlen = len;
}

static void set_datetime(cid_ev_t *c, const uint8_t *b, int len) {
  if (len != 8) return;
  for (int i = 0; i < 8; i++)
    if (b[i] < '0' || b[i] > '9') return;
  memcpy(c->datetime, b, 8);
  c->datetime[8] = 0;
}

static void fsk_msg(cid_ctx_t *x, const uint8_t *msg, int len) {
  if (len < 2) return;
  int type = msg[0];
  if (type != CLASS_MDMF_CALLERID && type != CLASS_SDMF_CALLERID) return;   /* message waiting etc. */
  /* adsi_next_field may look one byte past a field header; give it a padded copy */
  uint8_t m[260];
  memset(m, 0, sizeof(m));
  if (len > 256) len = 256;
  memcpy(m, msg, (size_t)len);
  cid_ev_t *c = new_cid(x->a, x->std);
  if (!c) return;
  /* on-air length: seizure + marks + message + checksum, 10 bits a byte at 1200 bit/s */
  int64_t bits = 300 + 180 + (int64_t)(len + 1) * 10;
  c->from = c->at - bits * 8000 / 1200;
  if (type == CLASS_SDMF_CALLERID) {
    int blen = len - 2;
    if (blen >= 8) {
      set_datetime(c, m + 2, 8);
      set_field(c->number, &c->nnum, m + 10, blen - 8);
    } else {
      set_field(c->number, &c->nnum, m + 2, blen);
    }
    return;
  }
  int pos = -1;
  uint8_t ft;
  const uint8_t *body;
  int flen;
  while ((pos = adsi_next_field(x->rx, m, len, pos, &ft, &body, &flen)) > 0) {
    if (!body) continue;                                  /* the message type */
    if (flen < 0 || body < m || body + flen > m + len) break;
    switch (ft) {
    case MCLASS_DATETIME: set_datetime(c, body, flen); break;
    case MCLASS_CALLER_NUMBER: set_field(c->number, &c->nnum, body, flen); break;
    case MCLASS_ABSENCE1: if (!c->nnum) set_field(c->number, &c->nnum, body, flen); break;
    case MCLASS_CALLER_NAME: set_field(c->name, &c->nname, body, flen); c->has_name = 1; break;
    case MCLASS_ABSENCE2: c->has_name = 0; c->nname = 0; break;
    default: break;
    }
  }
}

/* DTMF CLIP: A<number>C, D<number>C (Taiwan), B<code>C, A<number>#, D<code>#.
 * A message must open with A, B or D; a bare "123#" is someone keying digits. */
static void dtmf_msg(cid_ctx_t *x, const uint8_t *msg, int len) {
  int i = 0;
  while (i < len && msg[i] != 'A' && msg[i] != 'B' && msg[i] != 'D') i++;
  if (i >= len || len < 2) return;
  uint8_t term = msg[len - 1];
  const uint8_t *num = NULL, *dnum = NULL, *code = NULL;
  int nnum = 0, ndnum = 0, ncode = 0;
  while (i < len - 1) {
    uint8_t tag = msg[i++];
    int s = i;
    while (i < len - 1 && msg[i] >= '0' && msg[i] <= '9') i++;
    if (tag == 'A') { num = msg + s; nnum = i - s; }
    else if (tag == 'D') { dnum = msg + s; ndnum = i - s; }
    else if (tag == 'B') { code = msg + s; ncode = i - s; }
    else if (i == s) i++;                                 /* an unexpected symbol: skip it */
  }
  cid_ev_t *c = new_cid(x->a, STD_DTMF);
  if (!c) return;
  c->from = c->at;
  if (nnum) set_field(c->number, &c->nnum, num, nnum);
  else if (ndnum == 1 && term == '#')                       /* D1# private, D2#/D3# unavailable */
    set_field(c->number, &c->nnum, (const uint8_t *)(dnum[0] == '1' ? "P" : "O"), 1);
  else if (ndnum) set_field(c->number, &c->nnum, dnum, ndnum);
  else if (ncode) set_field(c->number, &c->nnum, (const uint8_t *)(ncode >= 1 && code[0] == '1' ? "P" : "O"), 1);
}

static void on_cid(void *user, const uint8_t *msg, int len) {
  cid_ctx_t *x = user;
  if (!msg || len <= 0) return;
  if (x->std == STD_DTMF) dtmf_msg(x, msg, len);
  else fsk_msg(x, msg, len);
}

static double pair_energy(const float *e, size_t nblk, int64_t from, int64_t to) {
  double s = 0;
  int64_t b0 = from / EBLK, b1 = to / EBLK;
  if (b0 < 0) b0 = 0;
  for (int64_t b = b0; b <= b1 && b < (int64_t)nblk; b++) s += e[b];
  return s;
}

static int same_cid(const cid_ev_t *p, const cid_ev_t *q) {
  return p->nnum == q->nnum && !memcmp(p->number, q->number, (size_t)p->nnum) && p->has_name == q->has_name &&
         p->nname == q->nname && !memcmp(p->name, q->name, (size_t)p->nname) && !strcmp(p->datetime, q->datetime);
}

/* Label each FSK message by the tone pair that carried it, then drop the
 * second copy when both demodulators delivered it. */
static void dedupe_fsk(an_t *a) {
  for (size_t i = 0; i < a->ncid; i++) {
    cid_ev_t *p = &a->cid[i];
    if (p->std == STD_DTMF) continue;
    double eb = pair_energy(a->e_bell, a->nblk, p->from, p->at), ev = pair_energy(a->e_v23, a->nblk, p->from, p->at);
    p->std = eb >= ev ? STD_BELL : STD_V23;
  }
  for (size_t i = 0; i < a->ncid; i++) {
    cid_ev_t *p = &a->cid[i];
    if (p->dropped || p->std == STD_DTMF) continue;
    for (size_t j = 0; j < a->ncid; j++) {
      cid_ev_t *q = &a->cid[j];
      if (j != i && !q->dropped && q->std == p->std && llabs(q->at - p->at) <= 4000 && same_cid(p, q)) q->dropped = 1;
    }
  }
}

/* ---- tones ------------------------------------------------------------ */

static void on_tone(void *user, const hl_tone_report_t *r) {
  an_t *a = user;
  if (r->tone != HL_TONE_DIAL && r->tone != HL_TONE_BUSY && r->tone != HL_TONE_CONGESTION &&
      r->tone != HL_TONE_RINGBACK)
    return;
  tone_ev_t *n = grow(a->tn, &a->ctn, a->ntn + 1, sizeof(*n), &a->oom);
  if (!n) return;
  a->tn = n;
  a->tn[a->ntn++] = (tone_ev_t){ r->tone, r->on_ms, r->off_ms, r->start_ms };
}

/* ---- JSON ------------------------------------------------------------- */

typedef struct { char *buf; size_t cap, len; } out_t;

static void put(out_t *o, const char *s, size_t n) {
  if (o->len < o->cap) {
    size_t room = o->cap - o->len;
    memcpy(o->buf + o->len, s, n < room ? n : room);
  }
  o->len += n;
}
static void puts_(out_t *o, const char *s) { put(o, s, strlen(s)); }
static void putf(out_t *o, const char *fmt, ...) {
  char t[96];
  va_list ap;
  va_start(ap, fmt);
  int n = vsnprintf(t, sizeof t, fmt, ap);
  va_end(ap);
  if (n > 0) put(o, t, (size_t)n < sizeof t ? (size_t)n : sizeof t - 1);
}

/* One escaper for every JSON the engine writes (hl/jsonw.h). Fields here are
 * caller-ID strings of at most a few dozen bytes, so 6x fits the buffer. */
static void put_str(out_t *o, const uint8_t *s, size_t n) {
  char t[1024];
  if (n > sizeof t / 6 - 2) n = sizeof t / 6 - 2;
  int l = hl_json_escape(t, sizeof t, (const char *)s, n);
  if (l > 0) put(o, t, (size_t)l);
  else puts_(o, "\"\"");
}

static int cmp_cid(const void *x, const void *y) {
  const cid_ev_t *p = x, *q = y;
  return p->at < q->at ? -1 : p->at > q->at;
}

static int render(an_t *a, char *json, size_t cap) {
  out_t o = { json, cap ? cap - 1 : 0, 0 };
  puts_(&o, "{\"dtmf\":[");
  for (size_t i = 0; i < a->ndt; i++) {
    dtmf_ev_t *e = &a->dt[i];
    char d[2] = { e->digit, 0 };
    puts_(&o, i ? ",{\"digit\":" : "{\"digit\":");
    put_str(&o, (const uint8_t *)d, 1);
    putf(&o, ",\"startMs\":%lld,\"endMs\":%lld}", (long long)(e->start / 8), (long long)(e->end / 8));
  }
  puts_(&o, "],\"callerId\":[");
  qsort(a->cid, a->ncid, sizeof(cid_ev_t), cmp_cid);
  int first = 1;
  for (size_t i = 0; i < a->ncid; i++) {
    cid_ev_t *c = &a->cid[i];
    if (c->dropped) continue;
    puts_(&o, first ? "{\"standard\":\"" : ",{\"standard\":\"");
    first = 0;
    puts_(&o, std_names[c->std]);
    puts_(&o, "\",\"number\":");
    put_str(&o, c->number, (size_t)c->nnum);
    puts_(&o, ",\"name\":");
    if (c->has_name) put_str(&o, c->name, (size_t)c->nname);
    else puts_(&o, "null");
    puts_(&o, ",\"datetime\":");
    if (c->datetime[0]) put_str(&o, (const uint8_t *)c->datetime, 8);
    else puts_(&o, "null");
    puts_(&o, "}");
  }
  puts_(&o, "],\"tones\":[");
  for (size_t i = 0; i < a->ntn; i++) {
    tone_ev_t *t = &a->tn[i];
    puts_(&o, i ? ",{\"tone\":\"" : "{\"tone\":\"");
    puts_(&o, hl_tone_name(t->tone));
    putf(&o, "\",\"zone\":\"cn\",\"onMs\":%d,\"offMs\":%d}", t->on, t->off);
  }
  puts_(&o, "]}");
  if (cap) json[o.len < cap ? o.len : cap - 1] = 0;
  return o.len > 0x7FFFFFFF ? -1 : (int)o.len;
}

static void run_dtmf(an_t *a, dctx_t *c, const int16_t *x, size_t n) {
  dtmf_rx_state_t *d = dtmf_rx_init(NULL, NULL, NULL);
  if (!d) { a->oom = 1; return; }
  dtmf_rx_set_realtime_callback(d, on_dtmf, c);
  c->open = -1;
  for (size_t i = 0; i < n && !a->oom; i += CHUNK) {
    int k = (int)(n - i < CHUNK ? n - i : CHUNK);
    c->pos = (int64_t)(i + (size_t)k);
    dtmf_rx(d, x + i, k);
  }
  int16_t quiet[CHUNK] = { 0 };
  for (int i = 0; i < 20 && !a->oom; i++) {         /* let a digit in flight end */
    c->pos = (int64_t)n + (int64_t)(i + 1) * CHUNK;
    dtmf_rx(d, quiet, CHUNK);
  }
  close_digit(a, c, (int64_t)((double)n * c->scale));
  dtmf_rx_free(d);
}

int hl_analyze(const int16_t *amp, size_t n, char *json, size_t cap) {
  an_t a;
  memset(&a, 0, sizeof(a));
  a.nblk = n / EBLK + 1;
  a.e_bell = calloc(a.nblk, sizeof(float));
  a.e_v23 = calloc(a.nblk, sizeof(float));
  cid_ctx_t cx[3];
  static const int adsi_std[3] = { ADSI_STANDARD_CLASS, ADSI_STANDARD_CLIP, ADSI_STANDARD_CLIP_DTMF };
  for (int i = 0; i < 3; i++) {
    cx[i].a = &a;
    cx[i].std = i;
    cx[i].rx = adsi_rx_init(NULL, adsi_std[i], on_cid, &cx[i]);
  }
  hl_tonedet_t *td = hl_tonedet_new("cn", on_tone, &a);
  int16_t *wu = NULL, *wd = NULL;
  size_t nu = 0, nd = 0;
  int rc = -1;
  if (!a.e_bell || !a.e_v23 || !cx[0].rx || !cx[1].rx || !cx[2].rx || !td) goto out;

  /* DTMF: nominal, and two frequency-scaled copies */
  wu = warp(amp, n, WARP, &nu);
  wd = warp(amp, n, 1.0 / WARP, &nd);
  if (!wu || !wd) goto out;
  dctx_t dc[3] = { { &a, 1.0, 0, -1 }, { &a, WARP, 0, -1 }, { &a, 1.0 / WARP, 0, -1 } };
  run_dtmf(&a, &dc[0], amp, n);
  run_dtmf(&a, &dc[1], wu, nu);
  run_dtmf(&a, &dc[2], wd, nd);
  if (a.oom) goto out;
  for (size_t i = 0; i < a.ndt; i++) {          /* times past the end come from the tail padding */
    if (a.dt[i].end > (int64_t)n) a.dt[i].end = (int64_t)n;
    if (a.dt[i].start > a.dt[i].end) a.dt[i].start = a.dt[i].end;
  }
  merge_digits(&a);

  static const float fsk_f[4] = { 1200, 2200, 1300, 2100 };
  goertzel_descriptor_t gd[4];
  for (int k = 0; k < 4; k++) make_goertzel_descriptor(&gd[k], fsk_f[k], EBLK);
  for (size_t b = 0; b * EBLK + EBLK <= n; b++) {
    float p[4];
    for (int k = 0; k < 4; k++) {
      goertzel_state_t s;
      goertzel_init(&s, &gd[k]);
      goertzel_update(&s, amp + b * EBLK, EBLK);
      p[k] = goertzel_result(&s);
    }
    a.e_bell[b] = p[0] + p[1];
    a.e_v23[b] = p[2] + p[3];
  }

  for (size_t i = 0; i < n; i += CHUNK) {
    int k = (int)(n - i < CHUNK ? n - i : CHUNK);
    a.pos = (int64_t)(i + (size_t)k);
    for (int s = 0; s < 3; s++) adsi_rx(cx[s].rx, amp + i, k);
    hl_tonedet_rx(td, amp + i, k);
    if (a.oom) goto out;
  }
  /* let the demodulators see the end: an FSK byte or DTMF CID digit in flight */
  int16_t quiet[CHUNK] = { 0 };
  for (int i = 0; i < 20 && !a.oom; i++) {
    a.pos = (int64_t)n + (int64_t)(i + 1) * CHUNK;
    for (int s = 0; s < 3; s++) adsi_rx(cx[s].rx, quiet, CHUNK);
  }
  hl_tonedet_flush(td);
  if (a.oom) goto out;
  dedupe_fsk(&a);
  rc = render(&a, json, cap);
out:
  for (int i = 0; i < 3; i++) if (cx[i].rx) adsi_rx_free(cx[i].rx);
  hl_tonedet_free(td);
  free(wu); free(wd);
  free(a.dt); free(a.cid); free(a.tn); free(a.e_bell); free(a.e_v23);
  return rc;
}

int hl_analyze_file(const char *path, char *json, size_t cap, char *err, size_t errlen) {
  hl_audio_t au;
  int rc = hl_wav_load(path, &au, err, errlen);
  if (rc < 0) return rc;
  rc = hl_analyze(au.samples, au.count, json, cap);
  hl_audio_free(&au);
  if (rc < 0 && err && errlen) snprintf(err, errlen, "out of memory while analyzing");
  return rc < 0 ? -HL_WAV_ENOMEM : rc;
}
