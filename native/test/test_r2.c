/* The MFC/R2 state machine (hl/r2.h) in both roles back to back over an
 * in-memory E1 timeslot: ABCD bits cross with one block of delay, MF tones
 * cross as A-law audio in 160-sample blocks through spandsp's detectors.
 * "box" and "exch" are two instances of the same code. */
#include "hl/r2.h"
#include "t.h"
#include <string.h>
#include <stdio.h>
#include <errno.h>

typedef struct side {
  hl_r2_t r;
  const char *name;
  int txbits;                 /* what this side transmits */
  int evs[64], nev;
  char dnis[33], ani[33];
  int category, charge;
  const char *reason;
  int16_t tx[160];
  int seen_bits[16], nseen;   /* distinct ABCD values transmitted, in order */
} side_t;

static void set_bits(void *user, int abcd) {
  side_t *s = user;
  s->txbits = abcd;
  if (s->nseen < 16 && (s->nseen == 0 || s->seen_bits[s->nseen - 1] != abcd)) s->seen_bits[s->nseen++] = abcd;
}

static void on_event(void *user, int ev, const hl_r2_t *r) {
  side_t *s = user;
  if (s->nev < 64) s->evs[s->nev++] = ev;
  if (ev == HL_R2_EV_OFFERED) { strcpy(s->dnis, r->dnis); strcpy(s->ani, r->ani); s->category = r->category; }
  if (ev == HL_R2_EV_ACCEPTED) s->charge = r->charge;
  if (r->reason) s->reason = r->reason;
}

static const hl_r2_io_t io = { set_bits, on_event };

typedef struct span { side_t a, b; int64_t now; int drop_bits_to_b; } span_t;

static void span_init(span_t *sp, const char *variant) {
  memset(sp, 0, sizeof *sp);
  const hl_r2_variant_t *v = hl_r2_variant_find(variant);
  sp->a.name = "box"; sp->b.name = "exch";
  hl_r2_init(&sp->a.r, v, &io, &sp->a);
  hl_r2_init(&sp->b.r, v, &io, &sp->b);
}

static void span_free(span_t *sp) { hl_r2_release(&sp->a.r); hl_r2_release(&sp->b.r); }

static void block(span_t *sp) {
  int16_t to_a[160], to_b[160];
  int abits = sp->a.txbits, bbits = sp->b.txbits;
  if (!sp->drop_bits_to_b) hl_r2_rx_bits(&sp->b.r, abits);
  hl_r2_rx_bits(&sp->a.r, bbits);
  for (int i = 0; i < 160; i++) {
    to_b[i] = alaw_to_linear(linear_to_alaw(sp->a.tx[i]));
    to_a[i] = alaw_to_linear(linear_to_alaw(sp->b.tx[i]));
  }
  hl_r2_rx(&sp->a.r, to_a, 160);
  hl_r2_rx(&sp->b.r, to_b, 160);
  hl_r2_tick(&sp->a.r, sp->now);
  hl_r2_tick(&sp->b.r, sp->now);
  memset(sp->a.tx, 0, sizeof sp->a.tx);
  memset(sp->b.tx, 0, sizeof sp->b.tx);
  hl_r2_tx(&sp->a.r, sp->a.tx, 160);
  hl_r2_tx(&sp->b.r, sp->b.tx, 160);
  sp->now += 20;
}

static int has(const side_t *s, int ev) { for (int i = 0; i < s->nev; i++) if (s->evs[i] == ev) return 1; return 0; }

/* Runs until side s reports ev, or ms pass; returns the ms it took or -1. */
static int run_until(span_t *sp, side_t *s, int ev, int ms) {
  int64_t t0 = sp->now;
  while (sp->now - t0 <= ms) {
    if (has(s, ev)) return (int)(sp->now - t0);
    block(sp);
  }
  return has(s, ev) ? (int)(sp->now - t0) : -1;
}

static void run(span_t *sp, int ms) { for (int64_t t0 = sp->now; sp->now - t0 < ms;) block(sp); }

/* An incoming call: the exchange (forward) places it, the box (backward) collects. */
static void test_incoming(const char *variant, int ani_mode, int max_dnis) {
  span_t sp;
  span_init(&sp, variant);
  sp.a.r.ani_mode = ani_mode;
  sp.a.r.max_dnis = max_dnis;
  CHECK(hl_r2_call(&sp.b.r, "12345678", "13800138000", 1) == 0, "%s: exchange places the call", variant);
  int t = run_until(&sp, &sp.a, HL_R2_EV_OFFERED, 20000);
  CHECK(t >= 0, "%s ani=%d: the box is offered the call (state %s/%s)", variant, ani_mode,
        hl_r2_state_name(sp.a.r.state), hl_r2_state_name(sp.b.r.state));
  CHECK(!strcmp(sp.a.dnis, "12345678"), "%s: DNIS 12345678, got '%s'", variant, sp.a.dnis);
  CHECK(!strcmp(sp.a.ani, ani_mode ? "13800138000" : ""), "%s ani=%d: ANI, got '%s'", variant, ani_mode, sp.a.ani);
  CHECK(sp.a.category == 1, "%s: category 1, got %d", variant, sp.a.category);
  /* Seize is 0x3 in China (CD=11), 0x1 in ITU; seize-ack 0xF / 0xD. */
  int cd = sp.a.r.v->cd;
  CHECK(sp.b.seen_bits[0] == (0x8 | cd) && sp.b.seen_bits[1] == (0x0 | cd), "%s: exchange idle then seize (0x%X 0x%X)", variant, sp.b.seen_bits[0], sp.b.seen_bits[1]);
  CHECK(sp.a.seen_bits[1] == (0xC | cd), "%s: box acknowledges the seizure with 0x%X, sent 0x%X", variant, 0xC | cd, sp.a.seen_bits[1]);
  CHECK(hl_r2_answer(&sp.a.r) == 0, "%s: the box answers", variant);
  CHECK(run_until(&sp, &sp.b, HL_R2_EV_ANSWERED, 2000) >= 0, "%s: the exchange sees the answer", variant);
  CHECK(has(&sp.b, HL_R2_EV_ACCEPTED) && sp.b.charge == 1, "%s: accepted with charge first", variant);
  CHECK(sp.a.txbits == (0x4 | cd), "%s: answer bits 0x%X", variant, sp.a.txbits);
  run(&sp, 500);
  /* The exchange clears forward; the box reports it and both go idle. */
  CHECK(hl_r2_hangup(&sp.b.r) == 0, "%s: the exchange clears forward", variant);
  CHECK(run_until(&sp, &sp.a, HL_R2_EV_FAR_CLEARED, 1000) >= 0, "%s: the box hears clear-forward", variant);
  run(&sp, 200);
  CHECK(sp.a.r.state == HL_R2_ST_IDLE && sp.b.r.state == HL_R2_ST_IDLE, "%s: both idle (%s, %s)", variant,
        hl_r2_state_name(sp.a.r.state), hl_r2_state_name(sp.b.r.state));
  CHECK(sp.a.txbits == (0x8 | cd) && sp.b.txbits == (0x8 | cd), "%s: idle bits on both sides", variant);
  printf("# incoming %s ani=%d max_dnis=%d: offered after %d ms\n", variant, ani_mode, max_dnis, t);
  span_free(&sp);
}

/* An outgoing call: the box (forward) dials, the exchange (backward) asks ANI
 * after the DNIS (the order openr2 1.3 fails in China) and answers. */
static void test_outgoing(const char *variant, int exch_ani_mode) {
  span_t sp;
  span_init(&sp, variant);
  sp.b.r.ani_mode = exch_ani_mode;
  sp.b.r.max_dnis = 11;
  CHECK(hl_r2_call(&sp.a.r, "01088886666", "075512345678", 1) == 0, "%s: the box dials", variant);
  CHECK(run_until(&sp, &sp.b, HL_R2_EV_OFFERED, 20000) >= 0, "%s ani=%d: the exchange gets the call (box %s)", variant,
        exch_ani_mode, hl_r2_state_name(sp.a.r.state));
  CHECK(!strcmp(sp.b.dnis, "01088886666"), "%s: exchange DNIS '%s'", variant, sp.b.dnis);
  CHECK(!strcmp(sp.b.ani, exch_ani_mode ? "075512345678" : ""), "%s ani=%d: exchange ANI '%s'", variant, exch_ani_mode, sp.b.ani);
  CHECK(hl_r2_accept(&sp.b.r, 1) == 0, "%s: exchange accepts", variant);
  CHECK(run_until(&sp, &sp.a, HL_R2_EV_ACCEPTED, 2000) >= 0 && sp.a.r.state == HL_R2_ST_RINGING, "%s: box ringing", variant);
  run(&sp, 1000);
  CHECK(hl_r2_answer(&sp.b.r) == 0, "%s: exchange answers", variant);
  CHECK(run_until(&sp, &sp.a, HL_R2_EV_ANSWERED, 1000) >= 0 && sp.a.r.state == HL_R2_ST_UP, "%s: box up", variant);
  /* The called party clears back; the box clears forward. */
  CHECK(hl_r2_hangup(&sp.b.r) == 0, "%s: exchange clears back", variant);
  CHECK(run_until(&sp, &sp.a, HL_R2_EV_FAR_CLEARED, 1000) >= 0 && !strcmp(sp.a.reason, "clear-back"), "%s: box hears clear-back", variant);
  run(&sp, 300);
  CHECK(sp.a.r.state == HL_R2_ST_IDLE && sp.b.r.state == HL_R2_ST_IDLE, "%s: both idle after clear-back (%s, %s)", variant,
        hl_r2_state_name(sp.a.r.state), hl_r2_state_name(sp.b.r.state));
  CHECK(has(&sp.a, HL_R2_EV_IDLE) && has(&sp.b, HL_R2_EV_IDLE), "%s: both report idle", variant);
  span_free(&sp);
}

static void test_rejected(const char *variant, const char *why) {
  span_t sp;
  span_init(&sp, variant);
  sp.b.r.max_dnis = 4;
  CHECK(hl_r2_call(&sp.a.r, "8001", "13800138000", 1) == 0, "dial");
  CHECK(run_until(&sp, &sp.b, HL_R2_EV_OFFERED, 20000) >= 0, "%s: offered to the exchange", variant);
  CHECK(hl_r2_reject(&sp.b.r, why) == 0, "%s: exchange rejects %s", variant, why);
  CHECK(run_until(&sp, &sp.a, HL_R2_EV_REJECTED, 2000) >= 0, "%s: box hears the rejection", variant);
  CHECK(sp.a.reason && !strcmp(sp.a.reason, why), "%s: reason %s, got %s", variant, why, sp.a.reason ? sp.a.reason : "none");
  run(&sp, 300);
  CHECK(sp.a.r.state == HL_R2_ST_IDLE && sp.b.r.state == HL_R2_ST_IDLE, "%s %s: both idle (%s, %s)", variant, why,
        hl_r2_state_name(sp.a.r.state), hl_r2_state_name(sp.b.r.state));
  span_free(&sp);
}

/* The box clears an answered incoming call: clear-back, then the exchange's clear-forward. */
static void test_box_clears(void) {
  span_t sp;
  span_init(&sp, "china");
  sp.a.r.max_dnis = 4;
  hl_r2_call(&sp.b.r, "8001", "13800138000", 1);
  run_until(&sp, &sp.a, HL_R2_EV_OFFERED, 20000);
  hl_r2_answer(&sp.a.r);
  run_until(&sp, &sp.b, HL_R2_EV_ANSWERED, 2000);
  CHECK(hl_r2_hangup(&sp.a.r) == 0 && sp.a.txbits == 0xF, "box clears back with 0xF");
  CHECK(run_until(&sp, &sp.b, HL_R2_EV_FAR_CLEARED, 1000) >= 0 && !strcmp(sp.b.reason, "clear-back"), "exchange hears clear-back");
  run(&sp, 300);
  CHECK(sp.a.r.state == HL_R2_ST_IDLE && sp.b.r.state == HL_R2_ST_IDLE, "both idle after the box cleared (%s, %s)",
        hl_r2_state_name(sp.a.r.state), hl_r2_state_name(sp.b.r.state));
  /* The exchange abandons a call before it is offered: the box hears a cancel. */
  side_t *a = &sp.a;
  a->nev = 0;
  sp.a.r.max_dnis = 0;
  hl_r2_call(&sp.b.r, "80011", "", 1);
  run(&sp, 300);
  hl_r2_hangup(&sp.b.r);
  CHECK(run_until(&sp, &sp.a, HL_R2_EV_CANCELLED, 1000) >= 0, "a call abandoned during MF is cancelled");
  run(&sp, 300);
  CHECK(sp.a.r.state == HL_R2_ST_IDLE && sp.b.r.state == HL_R2_ST_IDLE, "idle after the abandoned call");
  span_free(&sp);
}

static void test_timeouts(void) {
  span_t sp;
  span_init(&sp, "china");
  /* No seize acknowledgement: the exchange never hears our seize. */
  sp.drop_bits_to_b = 1;
  CHECK(hl_r2_call(&sp.a.r, "8001", "", 1) == 0, "dial into a dead line");
  CHECK(run_until(&sp, &sp.a, HL_R2_EV_FAILED, 3000) >= 1900 && !strcmp(sp.a.reason, "no-seize-ack"), "seize-ack timeout after 2 s (%s)", sp.a.reason ? sp.a.reason : "none");
  CHECK(sp.a.r.state == HL_R2_ST_IDLE && sp.a.txbits == 0xB, "forced back to idle");
  sp.drop_bits_to_b = 0;
  run(&sp, 100);
  /* The box is offered but nobody decides: it accepts by itself. */
  sp.a.nev = 0;
  sp.a.r.max_dnis = 4;
  hl_r2_call(&sp.b.r, "8001", "1234", 1);
  CHECK(run_until(&sp, &sp.a, HL_R2_EV_OFFERED, 20000) >= 0, "offered");
  CHECK(run_until(&sp, &sp.a, HL_R2_EV_ACCEPTED, 3000) >= 1900, "accepted by itself after 2 s");
  hl_r2_hangup(&sp.b.r);
  run(&sp, 500);
  CHECK(sp.a.r.state == HL_R2_ST_IDLE && sp.b.r.state == HL_R2_ST_IDLE, "idle");
  /* MF compelled cycle: the exchange's MF never reaches the box (a deaf receiver). */
  sp.a.nev = sp.b.nev = 0;
  hl_r2_call(&sp.b.r, "8001", "1234", 1);
  run(&sp, 60);
  sp.a.r.mf_on = 0;                                  /* the box hears no tones */
  CHECK(run_until(&sp, &sp.b, HL_R2_EV_FAILED, 4000) >= 0 && !strcmp(sp.b.reason, "mf-timeout"), "forward MF cycle times out (%s)", sp.b.reason ? sp.b.reason : "none");
  run(&sp, 4000);
  CHECK(sp.a.r.state == HL_R2_ST_IDLE && sp.b.r.state == HL_R2_ST_IDLE, "idle after the MF timeout (%s, %s)",
        hl_r2_state_name(sp.a.r.state), hl_r2_state_name(sp.b.r.state));
  span_free(&sp);
}

/* Blocking: each side blocks an idle circuit; a blocked circuit is never
 * seized outward and a seizure of it is not acknowledged; a block asked
 * during a call applies when the call ends. */
static void test_blocking(const char *variant) {
  span_t sp;
  span_init(&sp, variant);
  int cd = sp.a.r.v->cd;
  CHECK(hl_r2_block(&sp.a.r) == 0 && sp.a.r.state == HL_R2_ST_BLOCKED_LOCAL, "%s: the box blocks an idle circuit", variant);
  CHECK(sp.a.txbits == (0xC | cd), "%s: blocking bits 0x%X, sent 0x%X", variant, 0xC | cd, sp.a.txbits);
  CHECK(has(&sp.a, HL_R2_EV_BLOCKED) && !strcmp(sp.a.r.blk_by, "near"), "%s: the box reports its block", variant);
  run(&sp, 100);
  CHECK(sp.b.r.state == HL_R2_ST_BLOCKED && has(&sp.b, HL_R2_EV_BLOCKED) && !strcmp(sp.b.r.blk_by, "far"),
        "%s: the exchange sees the far block (%s)", variant, hl_r2_state_name(sp.b.r.state));
  CHECK(hl_r2_call(&sp.a.r, "8001", "", 1) == -EACCES, "%s: the box does not seize its blocked circuit", variant);
  CHECK(hl_r2_call(&sp.b.r, "8001", "", 1) == -EACCES, "%s: the exchange does not seize a circuit blocked to it", variant);
  /* A seizure of a circuit we block (blocking and seize-ack are the same bits,
   * so a forward that missed our block sees an ack: the box just stays blocked). */
  hl_r2_rx_bits(&sp.a.r, 0x0 | cd);
  CHECK(sp.a.r.state == HL_R2_ST_BLOCKED_LOCAL && sp.a.txbits == (0xC | cd) && !has(&sp.a, HL_R2_EV_OFFERED),
        "%s: a seizure of our blocked circuit is not taken (%s)", variant, hl_r2_state_name(sp.a.r.state));
  hl_r2_rx_bits(&sp.a.r, sp.b.txbits);
  run(&sp, 200);
  sp.a.nev = sp.b.nev = 0;
  CHECK(hl_r2_unblock(&sp.a.r) == 0 && sp.a.r.state == HL_R2_ST_IDLE && has(&sp.a, HL_R2_EV_UNBLOCKED), "%s: unblocked", variant);
  CHECK(hl_r2_unblock(&sp.a.r) == -EALREADY, "%s: unblocking twice is refused", variant);
  run(&sp, 100);
  CHECK(sp.b.r.state == HL_R2_ST_IDLE && has(&sp.b, HL_R2_EV_UNBLOCKED), "%s: the exchange sees the circuit free (%s)", variant, hl_r2_state_name(sp.b.r.state));
  /* The far side blocks: the box reports it and will not dial. */
  sp.a.nev = 0;
  CHECK(hl_r2_block(&sp.b.r) == 0, "%s: the exchange blocks", variant);
  run(&sp, 100);
  CHECK(sp.a.r.state == HL_R2_ST_BLOCKED && has(&sp.a, HL_R2_EV_BLOCKED) && !strcmp(sp.a.r.blk_by, "far"), "%s: the box sees blocked-remote (%s)", variant, hl_r2_state_name(sp.a.r.state));
  CHECK(hl_r2_call(&sp.a.r, "8001", "", 1) == -EACCES, "%s: no outgoing call on a remotely blocked circuit", variant);
  hl_r2_unblock(&sp.b.r);
  run(&sp, 100);
  CHECK(sp.a.r.state == HL_R2_ST_IDLE && has(&sp.a, HL_R2_EV_UNBLOCKED), "%s: free again", variant);
  /* A block asked during a call waits for its end. */
  sp.a.nev = 0;
  sp.a.r.max_dnis = 4;
  CHECK(hl_r2_call(&sp.b.r, "8001", "1234", 1) == 0, "%s: a call comes in", variant);
  CHECK(run_until(&sp, &sp.a, HL_R2_EV_OFFERED, 20000) >= 0, "%s: offered", variant);
  CHECK(hl_r2_block(&sp.a.r) == 1 && !has(&sp.a, HL_R2_EV_BLOCKED), "%s: block pending during the call", variant);
  hl_r2_answer(&sp.a.r);
  run(&sp, 500);
  hl_r2_hangup(&sp.b.r);
  CHECK(run_until(&sp, &sp.a, HL_R2_EV_BLOCKED, 2000) >= 0 && sp.a.r.state == HL_R2_ST_BLOCKED_LOCAL, "%s: blocked when the call ends (%s)", variant, hl_r2_state_name(sp.a.r.state));
  CHECK(sp.a.txbits == (0xC | cd), "%s: blocking bits after the call", variant);
  /* The call's trace: seizure first, MF both ways, idle bits last. */
  char what[16];
  CHECK(sp.a.r.tr_n > 10, "%s: the call left a trace (%d entries)", variant, sp.a.r.tr_n);
  hl_r2_trace_what(&sp.a.r.tr[0], what, sizeof what);
  CHECK(sp.a.r.tr[0].rx == 1 && sp.a.r.tr[0].ms == 0 && sp.a.r.tr[0].kind == HL_R2_TR_BITS, "%s: trace starts with the seizure received (%s)", variant, what);
  int fwd_digits = 0, group_a = 0, group_b = 0;
  for (int i = 0; i < sp.a.r.tr_n && i < HL_R2_TRACE; i++) {
    const hl_r2_trace_ent_t *t = &sp.a.r.tr[i];
    if (t->rx && t->kind == HL_R2_TR_I) fwd_digits++;
    if (!t->rx && t->kind == HL_R2_TR_A) group_a++;
    if (!t->rx && t->kind == HL_R2_TR_B) group_b++;
  }
  CHECK(fwd_digits >= 8 && group_a >= 8 && group_b == 1, "%s: trace has %d forward I signals, %d group A, %d group B", variant, fwd_digits, group_a, group_b);
  span_free(&sp);
}

/* Skip category: the backward never sends the category request. Neither
 * variant can ask ANI without it, so the call goes from DNIS to group B; the
 * forward, never asked, still gives its category in group II. Both roles: the
 * box as backward (incoming) and as forward (outgoing to an exchange that skips). */
static void test_skip_category(const char *variant) {
  for (int box_back = 1; box_back >= 0; box_back--) {
    span_t sp;
    span_init(&sp, variant);
    side_t *back = box_back ? &sp.a : &sp.b, *fwd = box_back ? &sp.b : &sp.a;
    back->r.opts = HL_R2_OPT_SKIP_CATEGORY;
    back->r.max_dnis = 4;
    CHECK(hl_r2_call(&fwd->r, "8001", "13800138000", 3) == 0, "%s skip: call placed", variant);
    CHECK(run_until(&sp, back, HL_R2_EV_OFFERED, 20000) >= 0, "%s skip (%s backward): offered", variant, back->name);
    CHECK(!strcmp(back->dnis, "8001") && back->ani[0] == 0, "%s skip: DNIS 8001 and no ANI, got '%s' '%s'", variant, back->dnis, back->ani);
    CHECK(back->category == 3, "%s skip: the category still comes in group II (3), got %d", variant, back->category);
    CHECK(!back->r.cat_asked, "%s skip: the category was never asked", variant);
    int cat_req = 0;
    for (int i = 0; i < back->r.tr_n && i < HL_R2_TRACE; i++)
      if (!back->r.tr[i].rx && back->r.tr[i].kind == HL_R2_TR_A && back->r.tr[i].val == back->r.v->a_category &&
          back->r.v->a_category != back->r.v->a_next_dnis) cat_req++;
    CHECK(cat_req == 0, "%s skip: no A-%d in the trace (%d)", variant, back->r.v->a_category, cat_req);
    CHECK(hl_r2_accept(&back->r, 1) == 0, "%s skip: accepted", variant);
    CHECK(run_until(&sp, fwd, HL_R2_EV_ACCEPTED, 2000) >= 0, "%s skip: the forward copes and hears the accept", variant);
    hl_r2_hangup(&fwd->r);
    run(&sp, 500);
    CHECK(sp.a.r.state == HL_R2_ST_IDLE && sp.b.r.state == HL_R2_ST_IDLE, "%s skip: idle", variant);
    span_free(&sp);
  }
}

/* Immediate accept: group B goes as soon as the address is in, with no
 * decision from the owner (and no auto-accept delay). */
static void test_immediate_accept(const char *variant) {
  for (int box_back = 1; box_back >= 0; box_back--) {
    span_t sp;
    span_init(&sp, variant);
    side_t *back = box_back ? &sp.a : &sp.b, *fwd = box_back ? &sp.b : &sp.a;
    back->r.opts = HL_R2_OPT_IMMEDIATE_ACCEPT;
    back->r.accept_ms = 0;
    back->r.max_dnis = 4;
    CHECK(hl_r2_call(&fwd->r, "8001", "1234", 1) == 0, "%s immediate: call placed", variant);
    CHECK(run_until(&sp, back, HL_R2_EV_OFFERED, 20000) >= 0, "%s immediate: offered", variant);
    int t = run_until(&sp, fwd, HL_R2_EV_ACCEPTED, 2000);
    CHECK(t >= 0 && t < 500, "%s immediate (%s backward): the forward hears group B accept within 500 ms (%d)", variant, back->name, t);
    CHECK(has(back, HL_R2_EV_ACCEPTED) && back->r.state == HL_R2_ST_ACCEPTED, "%s immediate: accepted without a command (%s)", variant,
          hl_r2_state_name(back->r.state));
    CHECK(fwd->charge == 1, "%s immediate: with charge", variant);
    CHECK(hl_r2_answer(&back->r) == 0 && run_until(&sp, fwd, HL_R2_EV_ANSWERED, 1000) >= 0, "%s immediate: answered later", variant);
    hl_r2_hangup(&fwd->r);
    run(&sp, 500);
    CHECK(sp.a.r.state == HL_R2_ST_IDLE && sp.b.r.state == HL_R2_ST_IDLE, "%s immediate: idle", variant);
    span_free(&sp);
  }
}

static int count(const side_t *s, int ev) { int n = 0; for (int i = 0; i < s->nev; i++) n += s->evs[i] == ev; return n; }

/* Double answer: answer, clear-back, answer again on the backward's line; the
 * forward reports one answer, no hangup and no metering pulse; a real
 * clear-back afterwards still ends the call. */
static void test_double_answer(const char *variant) {
  for (int box_back = 1; box_back >= 0; box_back--) {
    span_t sp;
    span_init(&sp, variant);
    side_t *back = box_back ? &sp.a : &sp.b, *fwd = box_back ? &sp.b : &sp.a;
    const hl_r2_variant_t *v = sp.a.r.v;
    back->r.opts = HL_R2_OPT_DOUBLE_ANSWER;
    back->r.max_dnis = 4;
    hl_r2_call(&fwd->r, "8001", "1234", 1);
    CHECK(run_until(&sp, back, HL_R2_EV_OFFERED, 20000) >= 0, "%s double: offered", variant);
    CHECK(hl_r2_answer(&back->r) == 0, "%s double: answered", variant);
    CHECK(run_until(&sp, fwd, HL_R2_EV_ANSWERED, 2000) >= 0, "%s double: the forward sees the answer", variant);
    int cd = v->cd;
    run(&sp, v->dbl_hold_ms + v->dbl_clear_ms + 1000);
    int seq[4] = { 0xC | cd, 0x4 | cd, 0xC | cd, 0x4 | cd }, at = 0;
    for (int i = 0; i < back->nseen && at < 4; i++) if (back->seen_bits[i] == seq[at]) at++;
    CHECK(at == 4, "%s double (%s backward): seize-ack, answer, clear-back, answer on the line", variant, back->name);
    CHECK(back->txbits == (0x4 | cd), "%s double: the backward ends up answering (0x%X)", variant, back->txbits);
    CHECK(fwd->r.state == HL_R2_ST_UP && !has(fwd, HL_R2_EV_FAR_CLEARED), "%s double: the forward did not take it as a hangup (%s)", variant,
          hl_r2_state_name(fwd->r.state));
    CHECK(count(fwd, HL_R2_EV_ANSWERED) == 1 && count(back, HL_R2_EV_ANSWERED) == 1, "%s double: one answer reported on each side", variant);
    CHECK(fwd->r.meter_count == 0 && !has(fwd, HL_R2_EV_METERED), "%s double: not counted as a metering pulse", variant);
    /* A clear-back that lasts is the hangup, once the threshold has passed. */
    hl_r2_hangup(&back->r);
    int t = run_until(&sp, fwd, HL_R2_EV_FAR_CLEARED, 2000);
    CHECK(t >= v->clear_back_min_ms - 40 && !strcmp(fwd->reason, "clear-back"), "%s double: a lasting clear-back ends the call after %d ms (%d)", variant,
          v->clear_back_min_ms, t);
    run(&sp, 500);
    CHECK(sp.a.r.state == HL_R2_ST_IDLE && sp.b.r.state == HL_R2_ST_IDLE, "%s double: idle", variant);
    span_free(&sp);
  }
}

/* Metering: pulses on command and at a rate from the backward; the forward
 * counts each, reports each, and never takes one for a clear-back. */
static void test_metering(void) {
  for (int box_back = 1; box_back >= 0; box_back--) {
    span_t sp;
    span_init(&sp, "china");
    side_t *back = box_back ? &sp.a : &sp.b, *fwd = box_back ? &sp.b : &sp.a;
    back->r.max_dnis = 4;
    CHECK(hl_r2_meter(&back->r, 1) == -EPERM, "meter: refused outside an answered call");
    hl_r2_call(&fwd->r, "8001", "1234", 1);
    run_until(&sp, back, HL_R2_EV_OFFERED, 20000);
    hl_r2_answer(&back->r);
    run_until(&sp, fwd, HL_R2_EV_ANSWERED, 2000);
    CHECK(hl_r2_meter(&fwd->r, 1) == -EPERM, "meter: the forward does not send pulses");
    CHECK(hl_r2_meter(&back->r, 3) == 0, "meter: 3 pulses queued");
    run(&sp, 2000);
    CHECK(fwd->r.meter_count == 3 && count(fwd, HL_R2_EV_METERED) == 3, "meter (%s backward): the forward counted 3 pulses, got %d",
          back->name, fwd->r.meter_count);
    CHECK(back->r.meter_count == 3, "meter: the backward sent 3, says %d", back->r.meter_count);
    CHECK(fwd->r.state == HL_R2_ST_UP && !has(fwd, HL_R2_EV_FAR_CLEARED), "meter: pulses are not a clear-back");
    /* A rate: one pulse a second. */
    back->r.meter_every_ms = 1000;
    run(&sp, 5100);
    CHECK(fwd->r.meter_count >= 7 && fwd->r.meter_count <= 8, "meter: 4-5 more at one a second, total %d", fwd->r.meter_count);
    back->r.meter_every_ms = 0;
    hl_r2_hangup(&fwd->r);
    run(&sp, 500);
    CHECK(sp.a.r.state == HL_R2_ST_IDLE && sp.b.r.state == HL_R2_ST_IDLE, "meter: idle");
    span_free(&sp);
  }
  /* A variant without metering refuses to send pulses. */
  span_t sp;
  span_init(&sp, "itu");
  sp.a.r.max_dnis = 4;
  hl_r2_call(&sp.b.r, "8001", "1234", 1);
  run_until(&sp, &sp.a, HL_R2_EV_OFFERED, 20000);
  hl_r2_answer(&sp.a.r);
  run(&sp, 200);
  CHECK(hl_r2_meter(&sp.a.r, 1) == -ENOTSUP, "meter: itu has no metering pulses");
  hl_r2_hangup(&sp.b.r);
  run(&sp, 500);
  span_free(&sp);
}

/* DTMF dialing: the forward sends the DNIS by DTMF after the seize-ack; the
 * backward with DTMF detection collects it until the inter-digit silence (or
 * the DNIS length), offers it without ANI, accepts without group B. A
 * detecting backward still takes an MF call, ANI included. */
static void test_dtmf(const char *variant, int max_dnis) {
  for (int box_back = 1; box_back >= 0; box_back--) {
    span_t sp;
    span_init(&sp, variant);
    side_t *back = box_back ? &sp.a : &sp.b, *fwd = box_back ? &sp.b : &sp.a;
    back->r.opts = HL_R2_OPT_DTMF_DETECT;
    back->r.max_dnis = max_dnis;
    back->r.accept_ms = 0;
    fwd->r.opts = HL_R2_OPT_DTMF_DIAL;
    CHECK(hl_r2_call(&fwd->r, "13907551234", "075512345678", 1) == 0, "%s dtmf: call placed", variant);
    int t = run_until(&sp, back, HL_R2_EV_OFFERED, 20000);
    CHECK(t >= 0, "%s dtmf (%s backward, max %d): offered (%s/%s)", variant, back->name, max_dnis,
          hl_r2_state_name(back->r.state), hl_r2_state_name(fwd->r.state));
    CHECK(!strcmp(back->dnis, "13907551234"), "%s dtmf: DNIS by DTMF, got '%s'", variant, back->dnis);
    CHECK(back->ani[0] == 0 && back->category == 1, "%s dtmf: no ANI, ordinary category (%s, %d)", variant, back->ani, back->category);
    CHECK(back->r.via_dtmf && !back->r.mf_on, "%s dtmf: the backward knows it is a DTMF call", variant);
    int mf = 0;
    for (int i = 0; i < back->r.tr_n && i < HL_R2_TRACE; i++) mf += back->r.tr[i].kind != HL_R2_TR_BITS;
    CHECK(mf == 0, "%s dtmf: no MF signal either way (%d)", variant, mf);
    /* with a known length the last digit is in before its trailing gap is out */
    CHECK(run_until(&sp, fwd, HL_R2_EV_ACCEPTED, 500) >= 0 && fwd->r.state == HL_R2_ST_RINGING, "%s dtmf: the forward rings once its digits are out (%s)", variant,
          hl_r2_state_name(fwd->r.state));
    CHECK(hl_r2_answer(&back->r) == 0, "%s dtmf: answered (accepted on the way)", variant);
    CHECK(has(back, HL_R2_EV_ACCEPTED), "%s dtmf: accepted without group B", variant);
    CHECK(run_until(&sp, fwd, HL_R2_EV_ANSWERED, 1000) >= 0 && fwd->r.state == HL_R2_ST_UP, "%s dtmf: the forward sees the answer", variant);
    hl_r2_hangup(&fwd->r);
    CHECK(run_until(&sp, back, HL_R2_EV_FAR_CLEARED, 1000) >= 0, "%s dtmf: clear-forward heard", variant);
    run(&sp, 500);
    CHECK(sp.a.r.state == HL_R2_ST_IDLE && sp.b.r.state == HL_R2_ST_IDLE, "%s dtmf: idle", variant);
    printf("# dtmf %s max_dnis=%d %s backward: offered after %d ms\n", variant, max_dnis, back->name, t);
    /* A rejected DTMF call: no group B, the line goes idle and the forward hears that. */
    sp.a.nev = sp.b.nev = 0;
    hl_r2_call(&fwd->r, "8001", "", 1);
    run_until(&sp, back, HL_R2_EV_OFFERED, 20000);
    CHECK(hl_r2_reject(&back->r, "busy") == 0, "%s dtmf: rejected", variant);
    CHECK(run_until(&sp, fwd, HL_R2_EV_FAR_CLEARED, 5000) >= 0, "%s dtmf: the forward hears the line released", variant);
    run(&sp, 3500);
    CHECK(sp.a.r.state == HL_R2_ST_IDLE && sp.b.r.state == HL_R2_ST_IDLE, "%s dtmf: idle after the rejection (%s, %s)", variant,
          hl_r2_state_name(sp.a.r.state), hl_r2_state_name(sp.b.r.state));
    /* The same detecting backward takes an MF call as MFC/R2, ANI and all. */
    sp.a.nev = sp.b.nev = 0;
    fwd->r.opts = 0;
    back->r.max_dnis = 4;
    hl_r2_call(&fwd->r, "8001", "1234", 2);
    CHECK(run_until(&sp, back, HL_R2_EV_OFFERED, 20000) >= 0, "%s dtmf detect: an MF call offered", variant);
    CHECK(!back->r.via_dtmf && !strcmp(back->dnis, "8001") && !strcmp(back->ani, "1234"), "%s dtmf detect: MF DNIS and ANI ('%s' '%s')", variant,
          back->dnis, back->ani);
    hl_r2_hangup(&fwd->r);
    run(&sp, 500);
    span_free(&sp);
  }
}

int main(void) {
  test_blocking("china");
  test_blocking("itu");
  test_incoming("china", HL_R2_ANI_AFTER_DNIS, 8);
  test_incoming("china", HL_R2_ANI_AFTER_DNIS, 0);     /* DNIS length unknown: ended by silence */
  test_incoming("china", HL_R2_ANI_FIRST, 8);
  test_incoming("china", HL_R2_ANI_NONE, 8);
  test_incoming("itu", HL_R2_ANI_AFTER_DNIS, 0);       /* ITU ends DNIS with I-15 */
  test_incoming("itu", HL_R2_ANI_FIRST, 0);
  test_outgoing("china", HL_R2_ANI_AFTER_DNIS);
  test_outgoing("china", HL_R2_ANI_FIRST);
  test_outgoing("china", HL_R2_ANI_NONE);
  test_outgoing("itu", HL_R2_ANI_AFTER_DNIS);
  test_rejected("china", "busy");
  test_rejected("china", "unallocated");
  test_rejected("china", "congestion");
  test_rejected("itu", "busy");
  test_box_clears();
  test_timeouts();
  test_skip_category("china");
  test_skip_category("itu");
  test_immediate_accept("china");
  test_immediate_accept("itu");
  test_double_answer("china");
  test_double_answer("itu");
  test_metering();
  test_dtmf("china", 0);                               /* the number ends with the inter-digit silence */
  test_dtmf("china", 11);                              /* or with its known length */
  test_dtmf("itu", 0);
  T_DONE("test_r2");
}
