/* MTP3 for a link set of one link to the adjacent point (Q.704, Q.707).
 *
 * Message discrimination: an MSU whose SIO network indicator is ours and
 * whose routing label's DPC is our point code goes to its user part: ISUP
 * (SI 5), signalling link test (SI 1) or signalling network management (SI 0).
 *
 * Signalling link test: once MTP2 is in service we send an SLTM with a test
 * pattern (label SLS = our SLC) and declare the link usable by ISUP ("SS7
 * up") when the SLTA echoes it; each SLTM we receive is answered with an SLTA
 * echoing its pattern. The test repeats every T2; two SLTAs missing (T1)
 * fail the link. After the first SLTA we send TRA (traffic restart allowed):
 * the adjacent point (libss7 among others) does not route ISUP to us before.
 *
 * Network management: COO/ECO are answered with COA/ECA (our last accepted
 * FSN), CBD with CBA; other SNM messages are read and dropped. With a single
 * link there is nowhere to divert traffic, so a link failure only stops ISUP
 * from sending until the link is back; circuits and calls are not touched. */
#include "ss7_int.h"
#include <string.h>
#include <errno.h>

/* SNM heading codes (H1 << 4 | H0). */
enum { SNM_COO = 0x11, SNM_COA = 0x21, SNM_ECO = 0x12, SNM_ECA = 0x22, SNM_CBD = 0x51, SNM_CBA = 0x61,
       SNM_TRA = 0x17 };
enum { SLT_SLTM = 0x11, SLT_SLTA = 0x21 };

static const uint8_t test_pattern[] = { 'H', 'O', 'T', 'L', 'I', 'N', 'E', '7' };

/* Builds SIO + label (to the adjacent point, SLS = our SLC) + body and queues it. */
static int send_mgmt(hl_ss7_t *s, int si, const uint8_t *body, int n) {
  uint8_t m[64];
  hl_ss7_label_t l = { .dpc = s->cfg.dpc, .opc = s->cfg.opc, .sls = (uint8_t)s->cfg.slc };
  if (n > (int)sizeof m - 8) return -EINVAL;
  m[0] = (uint8_t)((s->cfg.ni & 3) << 6 | si);
  int k = 1 + hl_ss7_label_put(s->v, &l, m + 1);
  memcpy(m + k, body, (size_t)n);
  return hl_ss7i_mtp2_queue(s, m, k + n);
}

static void send_sltm(hl_ss7_t *s) {
  uint8_t b[2 + sizeof test_pattern];
  b[0] = SLT_SLTM;
  b[1] = (uint8_t)(sizeof test_pattern << 4);
  memcpy(b + 2, test_pattern, sizeof test_pattern);
  send_mgmt(s, HL_SS7_SI_SLT, b, (int)sizeof b);
  s->slt_due = s->now + s->v->slt_t1_ms;
}

void hl_ss7i_mtp3_link_in_service(hl_ss7_t *s) {
  s->ss7_up = 0;
  s->slt_tries = 0;
  s->slt_next = 0;
  send_sltm(s);
}

void hl_ss7i_mtp3_link_down(hl_ss7_t *s, int reason, int was_in_service) {
  int was_up = s->ss7_up;
  s->ss7_up = 0;
  s->slt_due = s->slt_next = 0;
  if (was_up || was_in_service) {
    hl_ss7_event_t e;
    hl_ss7i_ev_init(&e, HL_SS7_EV_LINK_DOWN, -1);
    e.reason = reason;
    e.text = hl_ss7_down_reason_name(reason);
    hl_ss7i_emit(s, &e);
  }
}

void hl_ss7i_mtp3_tick(hl_ss7_t *s) {
  if (!hl_ss7i_mtp2_in_service(s)) return;
  if (s->slt_due && s->now >= s->slt_due) {
    s->slt_due = 0;
    if (++s->slt_tries >= 2) { hl_ss7i_mtp2_fail(s, HL_SS7_DOWN_SLT); return; }
    send_sltm(s);                   /* one more try before failing the link */
  }
  if (s->slt_next && s->now >= s->slt_next) {
    s->slt_next = 0;
    send_sltm(s);
  }
}

static void slt_rx(hl_ss7_t *s, const hl_ss7_label_t *l, const uint8_t *d, int n) {
  if (n < 2) { hl_ss7i_error(s, -1, 0, "link test message too short"); return; }
  int plen = d[1] >> 4;
  if (n < 2 + plen) { hl_ss7i_error(s, -1, 0, "link test pattern truncated"); return; }
  if (l->opc != s->cfg.dpc || l->sls != (s->cfg.slc & 0x0f)) {
    hl_ss7i_error(s, -1, 0, "link test from another point code or link");
    return;
  }
  if (d[0] == SLT_SLTM) {
    uint8_t b[2 + 15];
    b[0] = SLT_SLTA;
    b[1] = (uint8_t)(plen << 4);
    memcpy(b + 2, d + 2, (size_t)plen);
    send_mgmt(s, HL_SS7_SI_SLT, b, 2 + plen);
  } else if (d[0] == SLT_SLTA) {
    if (plen != (int)sizeof test_pattern || memcmp(d + 2, test_pattern, sizeof test_pattern) != 0) {
      hl_ss7i_error(s, -1, 0, "link test acknowledgement with a wrong pattern");
      return;
    }
    s->slt_due = 0;
    s->slt_tries = 0;
    s->slt_next = s->now + s->v->slt_t2_ms;
    if (!s->ss7_up) {
      uint8_t tra = SNM_TRA;
      hl_ss7_event_t e;
      s->ss7_up = 1;
      send_mgmt(s, HL_SS7_SI_SNM, &tra, 1);
      hl_ss7i_ev_init(&e, HL_SS7_EV_LINK_UP, -1);
      hl_ss7i_emit(s, &e);
      hl_ss7i_isup_link_up(s);
    }
  }
}

static void snm_rx(hl_ss7_t *s, const uint8_t *d, int n) {
  if (n < 1) return;
  uint8_t b[2];
  switch (d[0]) {
  case SNM_COO:                     /* answer with the last FSN we accepted */
    b[0] = SNM_COA; b[1] = s->bsn_tx & 0x7f;
    send_mgmt(s, HL_SS7_SI_SNM, b, 2);
    break;
  case SNM_ECO:
    b[0] = SNM_ECA;
    send_mgmt(s, HL_SS7_SI_SNM, b, 1);
    break;
  case SNM_CBD:
    b[0] = SNM_CBA; b[1] = n > 1 ? d[1] : 0;
    send_mgmt(s, HL_SS7_SI_SNM, b, 2);
    break;
  default:                          /* TRA and the rest: nothing to do with one link */
    break;
  }
}

void hl_ss7i_mtp3_rx(hl_ss7_t *s, const uint8_t *msu, int len) {
  hl_ss7_label_t l;
  if (len < 1) return;
  int si = msu[0] & 0x0f, ni = msu[0] >> 6;
  int k = hl_ss7_label_get(s->v, msu + 1, len - 1, &l);
  if (k < 0) { s->cnt.bad_frames++; hl_ss7i_error(s, -1, 0, "MSU shorter than its routing label"); return; }
  if (ni != s->cfg.ni) { hl_ss7i_error(s, -1, 0, "MSU with another network indicator"); return; }
  if (l.dpc != s->cfg.opc) { hl_ss7i_error(s, -1, 0, "MSU for another point code"); return; }
  const uint8_t *d = msu + 1 + k;
  int n = len - 1 - k;
  switch (si) {
  case HL_SS7_SI_ISUP: hl_ss7i_isup_rx(s, &l, d, n); break;
  case HL_SS7_SI_SLT: case 2: slt_rx(s, &l, d, n); break;
  case HL_SS7_SI_SNM: snm_rx(s, d, n); break;
  default: break;                   /* SCCP and other user parts are not ours */
  }
}
