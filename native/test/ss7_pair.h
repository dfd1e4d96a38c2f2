/* Two of our SS7 stacks back to back on a simulated clock, for the SS7 test
 * programs: each side's transmitted signal units wait in a queue and reach
 * the other side after both ticked; a side can be cut (its frames are lost),
 * and every event and every transmitted MSU is kept for the checks. */
#ifndef HL_SS7_PAIR_H
#define HL_SS7_PAIR_H
#include "hl/ss7.h"
#include "hl/ss7_codec.h"
#include <string.h>
#include <stdio.h>

#define PQ 512                      /* frames in flight per side */
#define PEV 4096                    /* events kept per side */
#define PMSU 1024                   /* transmitted MSUs kept per side */

typedef struct side {
  hl_ss7_t s;
  const char *name;
  uint8_t q[PQ][300];
  int qlen[PQ], qh, qt;
  int cut;                          /* frames sent while cut are lost */
  hl_ss7_event_t ev[PEV];
  int nev;
  uint8_t msu[PMSU][300];           /* SIO + SIF of each MSU sent (first transmissions and repeats) */
  int msulen[PMSU], nmsu;
  int verbose;
} side_t;

static int64_t p_now;

static int side_tx(void *user, const uint8_t *su, int len) {
  side_t *d = user;
  if (len > 3 && d->nmsu < PMSU) {
    memcpy(d->msu[d->nmsu], su + 3, (size_t)(len - 3));
    d->msulen[d->nmsu++] = len - 3;
  }
  if (d->cut) return len;
  if (d->qt - d->qh >= PQ || len > 300) return -1;
  memcpy(d->q[d->qt % PQ], su, (size_t)len);
  d->qlen[d->qt % PQ] = len;
  d->qt++;
  return len;
}

static void side_event(void *user, const hl_ss7_event_t *e) {
  side_t *d = user;
  if (d->verbose)
    printf("  [%6lld] %s: %s cic=%d cause=%d by=%d %s\n", (long long)p_now, d->name, hl_ss7_event_name(e->type),
           e->cic, e->cause, e->by, e->text ? e->text : "");
  if (d->nev < PEV) d->ev[d->nev++] = *e;
}

static const hl_ss7_io_t side_io = { side_tx, side_event };

static void pair_init(side_t *a, side_t *b, const hl_ss7_variant_t *v, uint32_t pca, uint32_t pcb) {
  hl_ss7_config_t c;
  memset(a, 0, sizeof *a);
  memset(b, 0, sizeof *b);
  a->name = "A"; b->name = "B";
  hl_ss7_config_default(&c);
  c.variant = v;
  c.cic_first = 1; c.cic_count = 31;
  c.fill_ms = 10;
  c.cause_location = 2;
  c.opc = pca; c.dpc = pcb;
  hl_ss7_init(&a->s, &c, &side_io, a);
  c.opc = pcb; c.dpc = pca;
  hl_ss7_init(&b->s, &c, &side_io, b);
  p_now = 0;
}

static void deliver(side_t *from, side_t *to) {
  while (from->qh < from->qt) {
    int i = from->qh++ % PQ;
    hl_ss7_rx_frame(&to->s, from->q[i], from->qlen[i]);
  }
}

/* One 5 ms step: both tick, then what they sent arrives. */
static void step(side_t *a, side_t *b) {
  p_now += 5;
  hl_ss7_tick(&a->s, p_now);
  hl_ss7_tick(&b->s, p_now);
  deliver(a, b);
  deliver(b, a);
}

static inline void run(side_t *a, side_t *b, int ms) {
  for (int t = 0; t < ms; t += 5) step(a, b);
}

/* Index of the first event of this type (and cic, unless -2) at or after
 * from, or -1. */
static inline int find_ev(const side_t *d, int from, int type, int cic) {
  for (int i = from; i < d->nev; i++)
    if (d->ev[i].type == type && (cic == -2 || d->ev[i].cic == cic)) return i;
  return -1;
}

/* Runs until side d has such an event after mark, at most ms; its index or -1. */
static inline int wait_ev(side_t *a, side_t *b, side_t *d, int mark, int type, int cic, int ms) {
  for (int t = 0; t <= ms; t += 5) {
    int i = find_ev(d, mark, type, cic);
    if (i >= 0) return i;
    step(a, b);
  }
  return -1;
}

/* The last MSU side d sent carrying this ISUP message type, or NULL. */
static inline const uint8_t *last_isup(const side_t *d, int type, int *len) {
  int ll = d->s.v->label_len;
  for (int i = d->nmsu - 1; i >= 0; i--) {
    if ((d->msu[i][0] & 0x0f) != HL_SS7_SI_ISUP || d->msulen[i] < 1 + ll + 3) continue;
    if (d->msu[i][1 + ll + 2] == type) { *len = d->msulen[i]; return d->msu[i]; }
  }
  return NULL;
}
#endif
