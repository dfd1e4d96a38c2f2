/* Call-progress tones by cadence. Every 10 ms block is scored per frequency
 * group (the distinct f1[+f2] sets of the zone's tones): the Goertzel power at
 * the group's frequencies over the block's total power. The best-scoring group
 * is "on" when that share is high and the tone is above a floor; the others are
 * "off". Each group's on/off decisions are debounced into runs, runs into
 * cycles, and cycles are matched against the cadences of that frequency.
 * Cadence learning (absent from spandsp) runs a 300..700 Hz Goertzel bank and
 * waits for two on/off cycles that agree with each other.
 *
 * Stutter dial tone (message waiting) comes in two shapes, both read from the
 * zone's program. cn "450+425" and de "425+400" are steady pairs closer than
 * a 10 ms block can resolve: the 450 Hz filter hears both, so the pair looks
 * like dial tone, but it beats at the difference (25 Hz, the warble a user
 * hears): the group's power from block to block swings with that period,
 * where a single tone's stays flat. So a steady tone is reported as stutter
 * when most 80 ms windows of its run swing at the beat frequency. us
 * "!350+440/100,!0/100,..." interrupts the dial tone six times first: that is
 * a cadence on the dial group, and the steady tail that follows belongs to it
 * (no separate dial report). */
#include "hl/tonedet.h"
#include "hl/zone.h"
#include <spandsp.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#define BLK 80                 /* 10 ms */
#define BLK_MS 10
#define MAX_GROUPS 6
#define MAX_CADS 8
#define HIST 8
#define DEBOUNCE 3             /* blocks a new state must hold; shorter blips are ignored */
#define MIN_ON_MS 80           /* shorter tone bursts break a sequence instead of forming one */
#define SHARE_ON 0.6f          /* share of the block's power at the tone's frequencies */
#define FLOOR_DBM0 (-42.0f)
#define DIAL_MS_DEFAULT 300
#define LEARN_F0 300
#define LEARN_STEP 25
#define LEARN_BINS 17          /* 300..700 Hz */
#define BEAT_W 8               /* blocks a beat is measured over (80 ms: two 25 Hz beats) */
#define BEAT_MIN_HZ 15         /* a window holds at least one beat; */
#define BEAT_MAX_HZ 40         /* the block rate resolves it, and one filter hears both tones */
/* Power swing at the beat over the mean power: about 1 for an even pair (also
 * 5 % off and at 6 dB SNR), under 0.25 for one tone down to 3 dB SNR. */
#define BEAT_DEPTH 0.5f

typedef struct cycle { int on, off; int64_t start; } cycle_t;

/* Debounced on/off runs of one decision stream, in blocks. */
typedef struct track {
  int state, pend;
  int64_t edge;                /* block where the committed run began */
  int have_on;                 /* an on-run ended and waits for its off-run */
  int last_on;
  int64_t last_on_start;
  cycle_t hist[HIST];
  int nhist;
} track_t;

typedef struct group {
  int f1, f2;
  goertzel_descriptor_t d1, d2;
  goertzel_state_t g1, g2;
  track_t tr;
  int max_on, max_off;         /* ms, over the group's cadences */
  int dial_ms;
  int reported;                /* tone reported for the running sequence */
  int dial_reported;
  int beat_tone;               /* a steady pair beating within this group (stutter), 0: none */
  float beat_c[BEAT_W], beat_s[BEAT_W];
  float pw[BEAT_W];            /* the group's power in the last BEAT_W blocks (ring) */
  int beat_yes, beat_n;        /* windows of the current on-run that swing at the beat / measured */
} group_t;

typedef struct cadence { int tone, group, on, off, need; } cadence_t;

struct hl_tonedet {
  char zone[8];
  hl_tone_cb cb;
  void *user;
  group_t g[MAX_GROUPS];
  int ng;
  cadence_t c[MAX_CADS];
  int nc;
  int dial_override;
  int16_t buf[BLK];
  int nbuf;
  int64_t blk;                 /* blocks processed since start/reset */
  float floor_ms;
  /* learning */
  int learning, learned, l_freq, l_on, l_off;
  goertzel_descriptor_t ld[LEARN_BINS];
  track_t ltr;
  double l_fsum;
  int l_fn;
};

static const char *names[HL_TONE_COUNT] = { "none", "dial", "busy", "congestion", "ringback", "callwait", "learned",
                                            "stutter" };

const char *hl_tone_name(int tone) {
  return (tone >= 0 && tone < HL_TONE_COUNT) ? names[tone] : "unknown";
}

static int tol(int ms) { return ms / 5 > 50 ? ms / 5 : 50; }   /* ±20 %, at least ±50 ms */
static int near(int got, int want) { return abs(got - want) <= tol(want); }

#define SAME_HZ 20             /* a learned frequency this close to a group's is that group */

static int group_for(hl_tonedet_t *d, int f1, int f2) {
  for (int i = 0; i < d->ng; i++)
    if (abs(d->g[i].f1 - f1) <= SAME_HZ && (f2 ? abs(d->g[i].f2 - f2) <= SAME_HZ : d->g[i].f2 == 0)) return i;
  if (d->ng >= MAX_GROUPS) return -1;
  group_t *g = &d->g[d->ng];
  memset(g, 0, sizeof(*g));
  g->f1 = f1;
  g->f2 = f2;
  make_goertzel_descriptor(&g->d1, (float)f1, BLK);
  goertzel_init(&g->g1, &g->d1);
  if (f2) {
    make_goertzel_descriptor(&g->d2, (float)f2, BLK);
    goertzel_init(&g->g2, &g->d2);
  }
  return d->ng++;
}

/* Per-group limits that depend on the cadence table. */
static void recompute(hl_tonedet_t *d) {
  for (int i = 0; i < d->ng; i++) {
    group_t *g = &d->g[i];
    g->max_on = g->max_off = 0;
    for (int k = 0; k < d->nc; k++) {
      if (d->c[k].group != i || d->c[k].off == 0) continue;
      if (d->c[k].on > g->max_on) g->max_on = d->c[k].on;
      if (d->c[k].off > g->max_off) g->max_off = d->c[k].off;
    }
    int dial = DIAL_MS_DEFAULT;
    if (g->max_on && g->max_on + tol(g->max_on) + 50 > dial) dial = g->max_on + tol(g->max_on) + 50;
    g->dial_ms = d->dial_override > 0 ? d->dial_override : dial;
  }
}

static void put_cadence(hl_tonedet_t *d, int tone, int f1, int f2, int on, int off) {
  int gi = group_for(d, f1, f2);
  if (gi < 0) return;
  int k;
  for (k = 0; k < d->nc; k++)
    if (d->c[k].tone == tone) break;
  if (k == d->nc) {
    if (d->nc >= MAX_CADS) return;
    d->nc++;
  }
  cadence_t *c = &d->c[k];
  c->tone = tone;
  c->group = gi;
  c->on = on;
  c->off = off;
  /* long-period tones (ringback, call waiting) are known after one cycle */
  c->need = (off && on + off >= 3000) ? 1 : 2;
  recompute(d);
}

static const struct { int zt, tone; } zone_map[] = {
  { HL_ZT_DIAL, HL_TONE_DIAL }, { HL_ZT_BUSY, HL_TONE_BUSY }, { HL_ZT_CONGESTION, HL_TONE_CONGESTION },
  { HL_ZT_RINGBACK, HL_TONE_RINGBACK }, { HL_ZT_CALLWAIT, HL_TONE_CALLWAIT },
};

/* Only plain programs are detectable by cadence: "f" (continuous) or
 * "f/on,0/off". Ornate ones (eu call waiting) are left out. */
static void load_prog(hl_tonedet_t *d, int tone, const hl_tone_prog_t *p) {
  if (p->nseg == 0 || p->loop_from < 0) return;
  int n = p->nseg - p->loop_from;
  const hl_tone_seg_t *s = &p->seg[p->loop_from];
  if (n == 1 && s[0].f1 && s[0].ms == 0) put_cadence(d, tone, s[0].f1, s[0].f2, 0, 0);
  else if (n == 2 && s[0].f1 && s[0].ms > 0 && !s[1].f1 && s[1].ms > 0)
    put_cadence(d, tone, s[0].f1, s[0].f2, s[0].ms, s[1].ms);
}

/* Stutter dial tone: a steady tone at the end (see the top of this file). */
static void load_stutter(hl_tonedet_t *d, const hl_tone_prog_t *p) {
  if (p->nseg == 0 || p->loop_from < 0 || p->nseg - p->loop_from != 1) return;
  const hl_tone_seg_t *s = &p->seg[p->loop_from];
  if (!s->f1 || s->ms) return;
  int beat = abs(s->f1 - s->f2);
  if (s->f2 && beat >= BEAT_MIN_HZ && beat <= BEAT_MAX_HZ) {
    int gi = group_for(d, s->f1, 0);
    if (gi < 0) return;
    group_t *g = &d->g[gi];
    g->beat_tone = HL_TONE_STUTTER;
    for (int i = 0; i < BEAT_W; i++) {
      double w = 2 * M_PI * beat * i * BLK_MS / 1000.0;
      g->beat_c[i] = (float)cos(w);
      g->beat_s[i] = (float)sin(w);
    }
    return;
  }
  /* Interruptions first: f/on,0/off pairs, played once, of the steady tone. */
  int cycles = 0;
  for (int i = 0; i + 1 < p->loop_from; i += 2) {
    const hl_tone_seg_t *on = &p->seg[i], *off = &p->seg[i + 1];
    if (on->f1 != s->f1 || on->f2 != s->f2 || on->ms != p->seg[0].ms || off->f1 || off->ms != p->seg[1].ms) return;
    cycles++;
  }
  if (cycles < 2 || p->loop_from != 2 * cycles) return;
  put_cadence(d, HL_TONE_STUTTER, s->f1, s->f2, p->seg[0].ms, p->seg[1].ms);
  /* All of them: us confirmation tone ("dialrecall") has the same prefix, three times. */
  for (int k = 0; k < d->nc; k++)
    if (d->c[k].tone == HL_TONE_STUTTER) d->c[k].need = cycles < HIST ? cycles : HIST;
}

hl_tonedet_t *hl_tonedet_new(const char *zone, hl_tone_cb cb, void *user) {
  hl_zone_t z;
  if (!zone || hl_zone_load(zone, &z) != 0) return NULL;
  hl_tonedet_t *d = calloc(1, sizeof(*d));
  if (!d) return NULL;
  strncpy(d->zone, zone, sizeof(d->zone) - 1);
  d->cb = cb;
  d->user = user;
  for (size_t i = 0; i < sizeof(zone_map) / sizeof(zone_map[0]); i++)
    load_prog(d, zone_map[i].tone, &z.tones[zone_map[i].zt]);
  load_stutter(d, &z.tones[HL_ZT_STUTTER]);
  for (int i = 0; i < LEARN_BINS; i++) make_goertzel_descriptor(&d->ld[i], (float)(LEARN_F0 + i * LEARN_STEP), BLK);
  /* mean square of a sine at FLOOR_DBM0 */
  double a0 = 32768.0 * pow(10.0, (FLOOR_DBM0 - DBM0_MAX_SINE_POWER) / 20.0);
  d->floor_ms = (float)(a0 * a0 / 2.0);
  hl_tonedet_reset(d);
  return d;
}

void hl_tonedet_free(hl_tonedet_t *d) { free(d); }

void hl_tonedet_reset(hl_tonedet_t *d) {
  for (int i = 0; i < d->ng; i++) {
    group_t *g = &d->g[i];
    memset(&g->tr, 0, sizeof(g->tr));
    g->reported = g->dial_reported = 0;
    g->beat_yes = g->beat_n = 0;
    memset(g->pw, 0, sizeof g->pw);
    goertzel_reset(&g->g1);
    if (g->f2) goertzel_reset(&g->g2);
  }
  memset(&d->ltr, 0, sizeof(d->ltr));
  d->l_fsum = 0;
  d->l_fn = 0;
  d->nbuf = 0;
  d->blk = 0;
}

void hl_tonedet_set_cadence(hl_tonedet_t *d, int as_tone, int freq_hz, int on_ms, int off_ms) {
  if (freq_hz <= 0 || freq_hz >= 4000 || on_ms < 0 || off_ms < 0) return;
  int tone = (as_tone > HL_TONE_NONE && as_tone < HL_TONE_LEARNED) ? as_tone : HL_TONE_LEARNED;
  put_cadence(d, tone, freq_hz, 0, on_ms, off_ms);
}

void hl_tonedet_set_dial_ms(hl_tonedet_t *d, int ms) {
  d->dial_override = ms > 0 ? ms : 0;
  recompute(d);
}

void hl_tonedet_learn_start(hl_tonedet_t *d) {
  d->learning = 1;
  d->learned = 0;
  memset(&d->ltr, 0, sizeof(d->ltr));
  d->l_fsum = 0;
  d->l_fn = 0;
}

int hl_tonedet_learned(hl_tonedet_t *d, int *freq_hz, int *on_ms, int *off_ms) {
  if (!d->learned) return 0;
  if (freq_hz) *freq_hz = d->l_freq;
  if (on_ms) *on_ms = d->l_on;
  if (off_ms) *off_ms = d->l_off;
  return 1;
}

static void clear_seq(track_t *t) {
  t->nhist = 0;
  t->have_on = 0;
}

/* Debounces one raw decision. Returns +1 when an off->on edge was committed,
 * -1 for on->off, 0 otherwise; the ended run's length (blocks) in *len. */
static int track_step(track_t *t, int raw, int64_t blk, int *len) {
  if (raw == t->state) { t->pend = 0; return 0; }
  if (++t->pend < DEBOUNCE) return 0;
  int64_t at = blk + 1 - DEBOUNCE;             /* the change really began here */
  *len = (int)(at - t->edge);
  t->edge = at;
  t->state = raw;
  t->pend = 0;
  return raw ? 1 : -1;
}

static void push_cycle(track_t *t, int on, int off, int64_t start) {
  if (t->nhist == HIST) {
    memmove(t->hist, t->hist + 1, (HIST - 1) * sizeof(cycle_t));
    t->nhist--;
  }
  t->hist[t->nhist++] = (cycle_t){ on, off, start };
}

static void report(hl_tonedet_t *d, int tone, int on, int off, int64_t start_blk) {
  if (!d->cb) return;
  hl_tone_report_t r = { tone, on, off, start_blk * BLK_MS };
  d->cb(d->user, &r);
}

/* A cycle of group gi completed: does a cadence now hold? */
static void match_group(hl_tonedet_t *d, int gi) {
  group_t *g = &d->g[gi];
  track_t *t = &g->tr;
  int best = -1, best_k = 0;
  double best_err = 1e9;
  for (int k = 0; k < d->nc; k++) {
    cadence_t *c = &d->c[k];
    if (c->group != gi || c->off == 0) continue;
    int m = 0;
    double err = 0;
    for (int i = t->nhist - 1; i >= 0; i--) {
      int on = t->hist[i].on * BLK_MS, off = t->hist[i].off * BLK_MS;
      if (!near(on, c->on) || !near(off, c->off)) break;
      if (m == 0) err = fabs((double)(on - c->on)) / tol(c->on) + fabs((double)(off - c->off)) / tol(c->off);
      m++;
    }
    if (m >= c->need && err < best_err) { best = k; best_err = err; best_k = m; }
  }
  if (best < 0) { g->reported = 0; return; }
  cadence_t *c = &d->c[best];
  if (g->reported == c->tone) return;
  g->reported = c->tone;
  int son = 0, soff = 0;
  for (int i = t->nhist - best_k; i < t->nhist; i++) { son += t->hist[i].on; soff += t->hist[i].off; }
  report(d, c->tone, son * BLK_MS / best_k, soff * BLK_MS / best_k, t->hist[t->nhist - best_k].start);
}

/* Does the group's power over the last BEAT_W blocks (up to blk) swing at its
 * beat frequency? The mean is taken out first, so a steady tone gives
 * nothing even when the window holds no whole number of beats. */
static int beats(const group_t *g, int64_t blk) {
  float mean = 0;
  for (int i = 0; i < BEAT_W; i++) mean += g->pw[i];
  if (mean <= 0) return 0;
  mean /= BEAT_W;
  float re = 0, im = 0;
  for (int i = 0; i < BEAT_W; i++) {
    float v = g->pw[(blk + 1 + i) % BEAT_W] - mean;   /* oldest first */
    re += v * g->beat_c[i];
    im += v * g->beat_s[i];
  }
  return sqrtf(re * re + im * im) * 2.0f / BEAT_W >= BEAT_DEPTH * mean;
}

static void group_block(hl_tonedet_t *d, int gi, int raw) {
  group_t *g = &d->g[gi];
  track_t *t = &g->tr;
  int len = 0, ev = track_step(t, raw, d->blk, &len);
  int min_on = MIN_ON_MS / BLK_MS;
  if (ev < 0) {                                        /* an on-run ended */
    g->dial_reported = 0;
    if (len < min_on || (g->max_on && len * BLK_MS > g->max_on + tol(g->max_on))) {
      clear_seq(t);                                    /* a blip or a steady tone: no cadence */
      g->reported = 0;
    } else {
      t->have_on = 1;
      t->last_on = len;
      t->last_on_start = t->edge - len;
    }
  } else if (ev > 0) {                                 /* an off-run ended: a cycle is complete */
    g->beat_yes = g->beat_n = 0;
    if (t->have_on) {
      push_cycle(t, t->last_on, len, t->last_on_start);
      t->have_on = 0;
      match_group(d, gi);
    }
  }
  int run = (int)(d->blk + 1 - t->edge) - (t->pend ? t->pend : 0);
  if (t->state) {
    int has_dial = 0;
    for (int k = 0; k < d->nc; k++)
      if (d->c[k].group == gi && d->c[k].off == 0) has_dial = d->c[k].tone;
    if (g->beat_tone && run >= BEAT_W) {
      g->beat_n++;
      g->beat_yes += beats(g, d->blk);
    }
    if ((has_dial || g->beat_tone) && !g->dial_reported && run * BLK_MS >= g->dial_ms) {
      g->dial_reported = 1;
      int tone = g->beat_tone && 2 * g->beat_yes > g->beat_n ? g->beat_tone : has_dial;
      if (g->reported == HL_TONE_STUTTER) tone = 0;    /* the steady tail of a stutter prefix */
      if (tone) report(d, tone, run * BLK_MS, 0, t->edge);
    }
  } else if (t->have_on || t->nhist) {
    if (run * BLK_MS > g->max_off + tol(g->max_off)) {   /* silence too long: the tone stopped */
      clear_seq(t);
      g->reported = 0;
    }
  }
}

static void learn_block(hl_tonedet_t *d, const int16_t *x, float ms) {
  float p[LEARN_BINS];
  int bi = 0;
  for (int i = 0; i < LEARN_BINS; i++) {
    goertzel_state_t s;
    goertzel_init(&s, &d->ld[i]);
    goertzel_update(&s, x, BLK);
    p[i] = goertzel_result(&s) / (float)(BLK * BLK);
    if (p[i] > p[bi]) bi = i;
  }
  int raw = ms > 0 && p[bi] >= SHARE_ON * ms && p[bi] >= d->floor_ms;
  track_t *t = &d->ltr;
  if (raw && t->state) {
    /* peak refined by a parabola through the neighbouring bins (dB) */
    double f = LEARN_F0 + bi * LEARN_STEP;
    if (bi > 0 && bi < LEARN_BINS - 1) {
      double l = log(p[bi - 1] + 1e-9), c = log(p[bi] + 1e-9), r = log(p[bi + 1] + 1e-9);
      double den = l - 2 * c + r;
      if (den < 0) f += 0.5 * (l - r) / den * LEARN_STEP;
    }
    d->l_fsum += f;
    d->l_fn++;
  }
  int len = 0, ev = track_step(t, raw, d->blk, &len);
  if (ev < 0) {
    if (len < MIN_ON_MS / BLK_MS) { clear_seq(t); d->l_fsum = 0; d->l_fn = 0; }
    else { t->have_on = 1; t->last_on = len; t->last_on_start = t->edge - len; }
  } else if (ev > 0 && t->have_on) {
    push_cycle(t, t->last_on, len, t->last_on_start);
    t->have_on = 0;
    if (t->nhist >= 2) {
      cycle_t *a = &t->hist[t->nhist - 2], *b = &t->hist[t->nhist - 1];
      if (near(a->on * BLK_MS, b->on * BLK_MS) && near(a->off * BLK_MS, b->off * BLK_MS) && d->l_fn > 0) {
        d->l_on = (a->on + b->on) * BLK_MS / 2;
        d->l_off = (a->off + b->off) * BLK_MS / 2;
        d->l_freq = (int)(lrint(d->l_fsum / d->l_fn / 5.0) * 5);
        d->learned = 1;
        d->learning = 0;
      }
    }
  }
}

static void process_block(hl_tonedet_t *d, const int16_t *x) {
  float e = 0.0f;
  for (int i = 0; i < BLK; i++) e += (float)x[i] * (float)x[i];
  e /= BLK;
  int best = -1;
  float best_share = 0.0f, best_p = 0.0f;
  for (int i = 0; i < d->ng; i++) {
    group_t *g = &d->g[i];
    goertzel_update(&g->g1, x, BLK);
    float p = goertzel_result(&g->g1);
    if (g->f2) {
      goertzel_update(&g->g2, x, BLK);
      p += goertzel_result(&g->g2);
    }
    p /= (float)(BLK * BLK);
    g->pw[d->blk % BEAT_W] = p;
    float share = e > 0.0f ? p / e : 0.0f;
    if (share > best_share) { best_share = share; best = i; best_p = p; }
  }
  int on = best >= 0 && best_share >= SHARE_ON && best_p >= d->floor_ms;
  for (int i = 0; i < d->ng; i++) group_block(d, i, on && i == best);
  if (d->learning) learn_block(d, x, e);
  d->blk++;
}

void hl_tonedet_rx(hl_tonedet_t *d, const int16_t *amp, int n) {
  while (n > 0) {
    int k = BLK - d->nbuf;
    if (k > n) k = n;
    memcpy(d->buf + d->nbuf, amp, (size_t)k * sizeof(int16_t));
    d->nbuf += k;
    amp += k;
    n -= k;
    if (d->nbuf == BLK) {
      process_block(d, d->buf);
      d->nbuf = 0;
    }
  }
}

void hl_tonedet_flush(hl_tonedet_t *d) {
  for (int i = 0; i < d->ng; i++) {
    group_t *g = &d->g[i];
    track_t *t = &g->tr;
    if (t->state || !t->have_on) continue;
    int off = (int)(d->blk - t->edge) * BLK_MS;
    /* long enough for the cadence that the last on-run fits */
    for (int k = 0; k < d->nc; k++) {
      cadence_t *c = &d->c[k];
      if (c->group != i || c->off == 0 || !near(t->last_on * BLK_MS, c->on)) continue;
      if (off >= c->off - tol(c->off)) {
        push_cycle(t, t->last_on, (off < c->off ? off : c->off) / BLK_MS, t->last_on_start);
        t->have_on = 0;
        match_group(d, i);
        break;
      }
    }
  }
}
