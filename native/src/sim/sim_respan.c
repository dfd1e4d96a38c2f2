/* Span re-lay on the sim board: an E1 span's far end changes between an R2
 * exchange and an SS7 far end. The kit (new far ends) is made on the JS
 * thread, swapped in on the media thread once the engine has closed the
 * span's channels, and the old far ends freed on the JS thread. */
#include "sim_int.h"
#include <stdlib.h>
#include <errno.h>
#include <stdio.h>

typedef struct sim_kit {
  int span, kind;
  hl_r2_t *xr2_new[32], *xr2_old[32];   /* exchange ends by timeslot */
  sim_ss7_t *x7_new, *x7_old;           /* detached SS7 lines */
} sim_kit_t;

static int span_first(sim_t *s, int span, int *nchans) {
  int first = 0, n = 0;
  for (int i = 0; i < s->nchans; i++)
    if (s->info[i].span == span) { if (!first) first = i + 1; n++; }
  *nchans = n;
  return first;
}

void sim_respan_free(void *d, void *p) {
  sim_kit_t *k = p;
  if (!k) return;
  for (int ts = 0; ts < 32; ts++) { hl_r2_free(k->xr2_new[ts]); hl_r2_free(k->xr2_old[ts]); }
  ss7span_free_detached(k->x7_new);
  ss7span_free_detached(k->x7_old);
  free(k);
}

void *sim_respan_prepare(void *d, int span, int kind, const void *conf, char *err, size_t errlen) {
  sim_t *s = d;
  int n, first = span >= 1 && span <= s->nspans ? span_first(s, span, &n) : 0;
  if (!first) { snprintf(err, errlen, "no span %d on the sim board", span); return NULL; }
  int k0 = s->info[first - 1].kind;
  if (k0 != HL_KIND_E1 && k0 != HL_KIND_E1_R2 && k0 != HL_KIND_DCHAN && k0 != HL_KIND_NONE) {
    snprintf(err, errlen, "span %d is no E1 span", span);
    return NULL;
  }
  sim_kit_t *k = calloc(1, sizeof *k);
  if (!k) { snprintf(err, errlen, "out of memory"); return NULL; }
  k->span = span;
  k->kind = kind;
  if (kind == HL_KIND_E1_R2) {
    for (int ts = 1; ts <= n && ts <= 31; ts++) {
      if (ts == 16) continue;
      if (!(k->xr2_new[ts] = exch_prepare())) { snprintf(err, errlen, "out of memory"); sim_respan_free(d, k); return NULL; }
    }
  } else if (kind == HL_KIND_E1) {
    if (n < 16) { snprintf(err, errlen, "span %d: an SS7 E1 needs timeslot 16 for its D-channel (%d channels)", span, n); sim_respan_free(d, k); return NULL; }
    if (!(k->x7_new = ss7span_prepare(s, span, first, conf, err, errlen))) { sim_respan_free(d, k); return NULL; }
  } else {
    snprintf(err, errlen, "an E1 span is r2 or ss7");
    sim_respan_free(d, k);
    return NULL;
  }
  return k;
}

/* Media thread, the engine has closed the span's channels. */
int sim_respan(void *d, int span, int kind, void *p) {
  sim_t *s = d;
  sim_kit_t *k = p;
  if (!k || k->span != span || k->kind != kind) return -EINVAL;
  /* The old far end leaves the board. */
  k->x7_old = ss7span_detach(s, span);
  for (int i = 0; i < s->nchans; i++) {
    sim_chan_t *c = &s->ch[i];
    if (c->info->span != span) continue;
    int ts = c->info->chanpos & 31;
    if (c->xr2) { k->xr2_old[ts] = c->xr2; c->xr2 = NULL; }
    c->far.talk_rate = 0;
    c->x_decide = 0;
    c->x_answer_at = 0;
    c->txbits = 0;
    c->rxbits = 0xB;
    c->evh = c->evt = 0;
    /* The new layout: timeslot 16 a D-channel (SS7) or no channel (CAS). */
    c->info->kind = ts == 16 ? (kind == HL_KIND_E1 ? HL_KIND_DCHAN : HL_KIND_NONE) : kind;
  }
  if (kind == HL_KIND_E1) {
    ss7span_attach(s, k->x7_new);
    k->x7_new = NULL;
  } else {
    for (int i = 0; i < s->nchans; i++) {
      sim_chan_t *c = &s->ch[i];
      int ts = c->info->chanpos & 31;
      if (c->info->span != span || c->info->kind != HL_KIND_E1_R2 || !k->xr2_new[ts]) continue;
      exch_adopt(s, c, k->xr2_new[ts]);
      k->xr2_new[ts] = NULL;
    }
  }
  return 0;
}
