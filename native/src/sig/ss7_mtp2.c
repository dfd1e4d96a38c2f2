/* MTP2 (Q.703, basic error correction) for one signalling link.
 *
 * Signal unit: BSN(7)+BIB, FSN(7)+FIB, LI(6)+2 spare, then the SIO+SIF of an
 * MSU (LI = their length, 63 when longer) or the status octet of an LSSU
 * (LI 1 or 2); a FISU has LI 0. Flags and FCS are the driver's.
 *
 * Initial alignment: SIO until the far side is heard (T2), SIN/SIE until it
 * aligns (T3), a proving period (T4, emergency when either side sends SIE),
 * then FISUs until the far side is ready (T1) and in service.
 *
 * Error correction: every MSU sent stays in a fixed ring until the far side's
 * BSN acknowledges it; a BIB different from our FIB asks for everything
 * unacknowledged again (we invert our FIB and retransmit from the oldest);
 * an MSU out of sequence makes us invert our BIB once and drop until the
 * retransmission (FIB == our BIB) arrives. T7 fails the link when an
 * acknowledgement stays away. */
#include "ss7_int.h"
#include <string.h>
#include <errno.h>

#define R HL_SS7_TX_RING
#define SUERM_T 64                  /* error count that fails the link (Q.703 SUERM threshold) */
#define SUERM_D 256                 /* good SUs that leak one error */

static int msu_ok_state(int st) { return st == HL_SS7_LINK_IN_SERVICE; }
int hl_ss7i_mtp2_in_service(const hl_ss7_t *s) {
  return s->lstate == HL_SS7_LINK_IN_SERVICE || s->lstate == HL_SS7_LINK_PROCESSOR_OUTAGE;
}

/* Sequence numbers and the ring back to their initial values (FSN/BSN 127,
 * FIB/BIB 1), dropping any MSU still held. */
void hl_ss7i_mtp2_reset(hl_ss7_t *s) {
  int held = s->r_tail - s->r_ack;
  if (held > 0) s->cnt.tx_dropped += (uint64_t)held;
  s->r_ack = s->r_sent = s->r_tail = 0;
  s->rtx_from = -1;
  s->fsn_tx = 127; s->fib = 1;
  s->bsn_tx = 127; s->bib = 1;
  s->t7 = 0;
  s->bad_bsn = 0;
  s->err_count = 0;
  s->good_su = 0;
}

static void set_state(hl_ss7_t *s, int st) {
  s->lstate = st;
  s->urgent = 1;                    /* the new status goes out at the next tick */
}

static int64_t after(const hl_ss7_t *s, int ms) { return s->now + (ms > 0 ? ms : 1); }

void hl_ss7i_mtp2_align(hl_ss7_t *s) {
  hl_ss7i_mtp2_reset(s);
  s->t1 = s->t3 = s->t4 = s->restart_at = 0;
  s->t2 = after(s, s->v->t2_ms);
  s->far_ready = s->far_emergency = 0;
  s->last_rx = s->now;
  s->cnt.align_attempts++;
  set_state(s, HL_SS7_LINK_NOT_ALIGNED);
}

/* Out of service (SIOS) with every timer stopped; tells MTP3. */
static void go_down(hl_ss7_t *s, int reason) {
  int was_in_service = hl_ss7i_mtp2_in_service(s);
  s->t1 = s->t2 = s->t3 = s->t4 = s->t7 = 0;
  s->down_reason = reason;
  hl_ss7i_mtp2_reset(s);
  set_state(s, HL_SS7_LINK_OUT_OF_SERVICE);
  hl_ss7i_mtp3_link_down(s, reason, was_in_service);
}

void hl_ss7i_mtp2_fail(hl_ss7_t *s, int reason) {
  if (s->lstate != HL_SS7_LINK_OUT_OF_SERVICE) s->cnt.link_failures++;
  go_down(s, reason);
  /* A started link tries again after a short SIOS period, unless the span is
   * in alarm (it realigns when the alarm clears). */
  s->restart_at = s->started && !s->alarm ? after(s, s->v->restart_ms) : 0;
}

void hl_ss7i_mtp2_stop(hl_ss7_t *s) {
  go_down(s, HL_SS7_DOWN_STOPPED);
  s->restart_at = 0;
}

static void enter_proving(hl_ss7_t *s) {
  int emergency = s->cfg.emergency || s->far_emergency;
  s->t3 = 0;
  s->t4 = after(s, emergency ? s->v->t4e_ms : s->v->t4n_ms);
  s->far_ready = 0;
  set_state(s, HL_SS7_LINK_PROVING);
}

static void enter_in_service(hl_ss7_t *s) {
  hl_ss7_event_t e;
  s->t1 = s->t4 = 0;
  set_state(s, HL_SS7_LINK_IN_SERVICE);
  hl_ss7i_ev_init(&e, HL_SS7_EV_MTP2_UP, -1);
  hl_ss7i_emit(s, &e);
  hl_ss7i_mtp3_link_in_service(s);
}

/* ---- transmit ---- */

static void put_header(hl_ss7_t *s, uint8_t *h, int fsn, int li) {
  h[0] = (uint8_t)(s->bsn_tx | s->bib << 7);
  h[1] = (uint8_t)((fsn & 0x7f) | s->fib << 7);
  h[2] = (uint8_t)(li & 0x3f);
}

static void send(hl_ss7_t *s, int len) {
  s->cnt.su_out++;
  s->io->tx_frame(s->user, s->txbuf, len);
}

static void send_msu(hl_ss7_t *s, int slot) {
  hl_ss7_msu_t *m = &s->ring[slot];
  put_header(s, s->txbuf, s->ring_fsn[slot], m->len > 63 ? 63 : m->len);
  memcpy(s->txbuf + 3, m->b, m->len);
  send(s, 3 + m->len);
}

static void send_fill(hl_ss7_t *s) {
  int status;
  switch (s->lstate) {
  case HL_SS7_LINK_OUT_OF_SERVICE: status = LSSU_SIOS; break;
  case HL_SS7_LINK_NOT_ALIGNED: status = LSSU_SIO; break;
  case HL_SS7_LINK_ALIGNED: case HL_SS7_LINK_PROVING: status = s->cfg.emergency ? LSSU_SIE : LSSU_SIN; break;
  default: status = -1; break;      /* aligned-ready, in service: FISU */
  }
  put_header(s, s->txbuf, s->fsn_tx, status < 0 ? 0 : 1);
  if (status >= 0) s->txbuf[3] = (uint8_t)status;
  send(s, status < 0 ? 3 : 4);
}

int hl_ss7i_mtp2_queue(hl_ss7_t *s, const uint8_t *msu, int len) {
  if (!hl_ss7i_mtp2_in_service(s)) return -ENOLINK;
  if (len < 1 || len > HL_SS7_MSU_MAX) return -EINVAL;
  if (s->r_tail - s->r_ack >= R) { s->cnt.tx_dropped++; return -ENOBUFS; }
  int slot = s->r_tail % R;
  memcpy(s->ring[slot].b, msu, (size_t)len);
  s->ring[slot].len = (uint16_t)len;
  s->r_tail++;
  return 0;
}

static void tx_tick(hl_ss7_t *s) {
  int budget = s->cfg.max_msu_per_tick, sent = 0;
  if (msu_ok_state(s->lstate)) {
    /* retransmissions first, oldest first, with the current FIB/BSN */
    while (budget > 0 && s->rtx_from >= 0 && s->rtx_from < s->r_sent) {
      send_msu(s, s->rtx_from % R);
      s->cnt.retransmissions++;
      s->rtx_from++;
      budget--; sent++;
    }
    if (s->rtx_from >= s->r_sent) s->rtx_from = -1;
    /* then new MSUs, at most 127 unacknowledged (the FSN space) */
    while (budget > 0 && s->rtx_from < 0 && s->r_sent < s->r_tail && s->r_sent - s->r_ack < 127) {
      int slot = s->r_sent % R;
      s->fsn_tx = (s->fsn_tx + 1) & 0x7f;
      s->ring_fsn[slot] = s->fsn_tx;
      send_msu(s, slot);
      s->r_sent++;
      s->cnt.msu_out++;
      if (!s->t7) s->t7 = after(s, s->v->t7_ms);
      budget--; sent++;
    }
  }
  if (sent) { s->urgent = 0; s->fill_last = s->now; return; }
  if (s->urgent || s->now - s->fill_last >= s->cfg.fill_ms) {
    send_fill(s);
    s->urgent = 0;
    s->fill_last = s->now;
  }
}

/* ---- timers ---- */

static int due(const hl_ss7_t *s, int64_t t) { return t && s->now >= t; }

void hl_ss7i_mtp2_tick(hl_ss7_t *s) {
  if (due(s, s->restart_at)) { s->restart_at = 0; if (s->started && !s->alarm) hl_ss7i_mtp2_align(s); }
  if (due(s, s->t2)) { hl_ss7i_mtp2_fail(s, HL_SS7_DOWN_T2); }
  if (due(s, s->t3)) { hl_ss7i_mtp2_fail(s, HL_SS7_DOWN_T3); }
  if (due(s, s->t4)) {
    /* proving passed: FISUs tell the far side; in service at once if it is
     * already sending FISUs/MSUs itself, else when it does (T1) */
    s->t4 = 0;
    s->t1 = after(s, s->v->t1_ms);
    set_state(s, HL_SS7_LINK_ALIGNED_READY);
    if (s->far_ready) enter_in_service(s);
  }
  if (due(s, s->t1)) { hl_ss7i_mtp2_fail(s, HL_SS7_DOWN_T1); }
  if (due(s, s->t7)) { hl_ss7i_mtp2_fail(s, HL_SS7_DOWN_T7); }
  if (s->lstate >= HL_SS7_LINK_PROVING && s->v->silence_ms > 0 && s->now - s->last_rx > s->v->silence_ms)
    hl_ss7i_mtp2_fail(s, HL_SS7_DOWN_SILENCE);
  tx_tick(s);
}

/* ---- receive ---- */

/* An error in service: the leaky count fails the link at SUERM_T. */
static void su_error(hl_ss7_t *s) {
  s->cnt.bad_frames++;
  if (hl_ss7i_mtp2_in_service(s) && ++s->err_count >= SUERM_T) hl_ss7i_mtp2_fail(s, HL_SS7_DOWN_ERRORS);
}

/* BSN/BIB of a FISU or MSU received in service. */
static void rx_ack(hl_ss7_t *s, int bsn, int bib) {
  int unacked = s->r_sent - s->r_ack;
  int valid;
  if (unacked > 0) {
    int first = s->ring_fsn[s->r_ack % R];
    int n = (bsn - first + 1) & 0x7f;           /* MSUs this BSN acknowledges */
    if (n >= 1 && n <= unacked) {
      s->r_ack += n;
      if (s->rtx_from >= 0 && s->rtx_from < s->r_ack) s->rtx_from = s->r_ack;
      s->t7 = s->r_sent > s->r_ack ? after(s, s->v->t7_ms) : 0;
      valid = 1;
    } else {
      valid = bsn == ((first - 1) & 0x7f);      /* nothing new acknowledged */
    }
  } else {
    valid = bsn == s->fsn_tx;
  }
  if (!valid) {
    /* Q.703: two invalid BSNs in a row fail the link; one is dropped. */
    if (++s->bad_bsn >= 2) { hl_ss7i_mtp2_fail(s, HL_SS7_DOWN_BSN); return; }
    return;
  }
  s->bad_bsn = 0;
  if (bib != s->fib) {
    /* negative acknowledgement: send again everything not acknowledged */
    s->fib ^= 1;
    if (s->r_sent > s->r_ack) s->rtx_from = s->r_ack;
    s->urgent = 1;
  }
}

static void nack(hl_ss7_t *s) {
  s->bib ^= 1;
  s->urgent = 1;
}

static void rx_in_service(hl_ss7_t *s, const uint8_t *su, int len, int li) {
  int bsn = su[0] & 0x7f, bib = su[0] >> 7, fsn = su[1] & 0x7f, fib = su[1] >> 7;
  rx_ack(s, bsn, bib);
  if (!hl_ss7i_mtp2_in_service(s)) return;          /* the ack failed the link */
  if (fib != s->bib) return;                    /* awaiting the retransmission we asked for */
  if (li == 0) {
    /* a FISU announcing an FSN we never got: the last MSU was lost */
    if (fsn != s->bsn_tx) nack(s);
    return;
  }
  if (fsn == s->bsn_tx) return;                 /* duplicate */
  if (fsn != ((s->bsn_tx + 1) & 0x7f)) { nack(s); return; }
  s->bsn_tx = (uint8_t)fsn;
  s->cnt.msu_in++;
  s->urgent = 1;                                /* acknowledge promptly */
  hl_ss7i_mtp3_rx(s, su + 3, len - 3);
}

static void rx_lssu(hl_ss7_t *s, int st) {
  s->cnt.lssu_in++;
  if (st == LSSU_SIE) s->far_emergency = 1;
  switch (s->lstate) {
  case HL_SS7_LINK_NOT_ALIGNED:
    if (st == LSSU_SIO) { s->t2 = 0; s->t3 = after(s, s->v->t3_ms); set_state(s, HL_SS7_LINK_ALIGNED); }
    else if (st == LSSU_SIN || st == LSSU_SIE) { s->t2 = 0; enter_proving(s); }
    break;
  case HL_SS7_LINK_ALIGNED:
    if (st == LSSU_SIN || st == LSSU_SIE) enter_proving(s);
    else if (st == LSSU_SIOS) hl_ss7i_mtp2_fail(s, HL_SS7_DOWN_SIOS);
    break;
  case HL_SS7_LINK_PROVING:
    if (st == LSSU_SIO) {                       /* the far side restarted: align again */
      s->t4 = 0;
      s->t3 = after(s, s->v->t3_ms);
      set_state(s, HL_SS7_LINK_ALIGNED);
    } else if (st == LSSU_SIOS) hl_ss7i_mtp2_fail(s, HL_SS7_DOWN_SIOS);
    else if (st == LSSU_SIE && !s->cfg.emergency && s->t4 > after(s, s->v->t4e_ms)) {
      s->t4 = after(s, s->v->t4e_ms);           /* the far side went emergency: shorter proving */
    }
    break;
  case HL_SS7_LINK_ALIGNED_READY:
    /* the far side still sending SIN/SIE is still proving: wait for it */
    if (st == LSSU_SIO || st == LSSU_SIOS) hl_ss7i_mtp2_fail(s, HL_SS7_DOWN_SIOS);
    break;
  case HL_SS7_LINK_IN_SERVICE:
  case HL_SS7_LINK_PROCESSOR_OUTAGE:
    if (st == LSSU_SIPO) { s->far_po = 1; s->lstate = HL_SS7_LINK_PROCESSOR_OUTAGE; }
    else if (st == LSSU_SIB) { /* far side busy: acknowledgements come late; T7 still guards */ }
    else hl_ss7i_mtp2_fail(s, HL_SS7_DOWN_SIOS);
    break;
  default: break;                               /* out of service: nothing to do */
  }
}

void hl_ss7i_mtp2_rx(hl_ss7_t *s, const uint8_t *su, int len) {
  int li = su[2] & 0x3f, n = len - 3;
  /* LI must match the length: 0 FISU, 1-2 LSSU, 3..62 exact, 63 for 63 and more */
  int ok = li == 0 ? n == 0 : li <= 2 ? n == li : li < 63 ? n == li : (n >= 63 && n <= 273);
  if (!ok) { su_error(s); return; }
  s->cnt.su_in++;
  s->last_rx = s->now;
  if (hl_ss7i_mtp2_in_service(s) && ++s->good_su >= SUERM_D) {
    s->good_su = 0;
    if (s->err_count > 0) s->err_count--;
  }
  if (li == 1 || li == 2) { rx_lssu(s, su[3] & 0x07); return; }
  if (li == 0) s->cnt.fisu_in++;
  switch (s->lstate) {
  case HL_SS7_LINK_PROVING:
    s->far_ready = 1;                           /* the far side proved first */
    return;
  case HL_SS7_LINK_ALIGNED_READY:
    enter_in_service(s);
    rx_in_service(s, su, len, li);
    return;
  case HL_SS7_LINK_PROCESSOR_OUTAGE:
    s->far_po = 0;
    s->lstate = HL_SS7_LINK_IN_SERVICE;
    rx_in_service(s, su, len, li);
    return;
  case HL_SS7_LINK_IN_SERVICE:
    rx_in_service(s, su, len, li);
    return;
  default:
    return;                                     /* FISU/MSU before alignment: ignored */
  }
}
