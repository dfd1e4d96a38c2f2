/* Call waiting on an FXS port whose phone is off-hook and in a call: the
 * alert (a burst of the zone's callwait tone, then the CPE alerting signal),
 * the phone's DTMF acknowledgement, and caller ID as FSK to the off-hook
 * phone (type II). The call is muted meanwhile (media.c). */
#include "core_int.h"
#include <stdio.h>
#include <string.h>
#include <time.h>

/* Call waiting (Telcordia GR-30 type II; ETSI EN 300 659-2 is alike): the
 * phone must start its DTMF acknowledgement within 160 ms of the end of the
 * CPE alerting signal; our receiver confirms a digit some 30-60 ms after it
 * starts, hence the wider window here. The FSK follows the acknowledgement's
 * end after 50-500 ms. */
#define CW_ACK_WINDOW_MS 240
#define CW_ACK_TO_FSK_MS 80
#define CW_ACK_MAX_MS 200          /* an acknowledgement whose end we miss */
#define CW_CAS_DBM0 -13.0f         /* per tone, spandsp's alert tone level */

/* The call-waiting alert programs: one burst of the zone's callwait tone
 * (SAS) and a 50 ms pause, then the CPE alerting signal, 2130 + 2750 Hz for
 * 80 ms (CAS). */
void cw_programs(hl_engine_t *e) {
  hl_tone_prog_t *sas = &e->cw_sas, *cas = &e->cw_cas;
  memset(sas, 0, sizeof *sas);
  memset(cas, 0, sizeof *cas);
  const hl_tone_prog_t *z = &e->zone.tones[HL_ZT_CALLWAIT];
  hl_tone_seg_t burst = { 440, 0, 300, 1 };
  for (int i = 0; i < z->nseg; i++)
    if (z->seg[i].f1 && z->seg[i].ms > 0) { burst = z->seg[i]; break; }
  burst.once = 1;
  sas->seg[0] = burst;
  sas->seg[1] = (hl_tone_seg_t){ 0, 0, 50, 1 };
  sas->nseg = 2;
  sas->loop_from = -1;
  cas->seg[0] = (hl_tone_seg_t){ 2130, 2750, 80, 1 };
  cas->nseg = 1;
  cas->loop_from = -1;
}

static void cw_finish(hl_engine_t *e, chan_t *c, int acked, int sent) {
  char buf[HL_EVENT_JSON];
  hl_jw_t w;
  c->cw_phase = CW_NONE;
  c->cw_tone_on = 0;
  ev_begin(e, &w, buf, "CallWaitingFinished", c->info->channo);
  hl_jw_bool(&w, "acked", acked);
  hl_jw_bool(&w, "callerIdSent", sent);
  ev_push(e, &w);
}

int sig_cw_dtmf(hl_engine_t *e, chan_t *c, int code) {
  if (c->cw_phase == CW_WAIT_ACK && (code == 'D' || code == 'A')) {
    /* 'D' from a plain CIDCW phone, 'A' from an ADSI one. */
    c->cw_phase = CW_ACK;
    c->cw_due = e->now + CW_ACK_MAX_MS;
    return 1;
  }
  if (c->cw_phase == CW_ACK && code == 0) {
    c->cw_phase = CW_FSK_WAIT;
    c->cw_due = e->now + CW_ACK_TO_FSK_MS;
    return 1;
  }
  return 0;
}

void sig_cw_tick(hl_engine_t *e, chan_t *c) {
  switch (c->cw_phase) {
  case CW_SAS:
    if (c->cw_tone_on) return;
    hl_tonegen_start(&c->cw_tone, &e->cw_cas, CW_CAS_DBM0);
    c->cw_tone_on = 1;
    c->cw_phase = CW_CAS;
    return;
  case CW_CAS:
    if (c->cw_tone_on) return;
    c->cw_phase = CW_WAIT_ACK;
    c->cw_due = e->now + CW_ACK_WINDOW_MS;
    return;
  case CW_WAIT_ACK:
    if (e->now >= c->cw_due) cw_finish(e, c, 0, 0);   /* no CIDCW phone: the alert was all */
    return;
  case CW_ACK:
    if (e->now >= c->cw_due) { c->cw_phase = CW_FSK_WAIT; c->cw_due = e->now; }
    return;
  case CW_FSK_WAIT: {
    if (e->now < c->cw_due) return;
    char dt[9];
    time_t now = time(NULL);
    struct tm tm;
    localtime_r(&now, &tm);
    snprintf(dt, sizeof dt, "%02d%02d%02d%02d", (tm.tm_mon + 1) % 100, tm.tm_mday % 100, tm.tm_hour % 100, tm.tm_min % 100);
    if (hl_cid_tx_start_offhook(&c->cid_tx, c->cw_std, c->cw_number, c->cw_name, dt) != 0) { cw_finish(e, c, 1, 0); return; }
    c->cw_phase = CW_FSK;
    return;
  }
  case CW_FSK:
    if (!c->cid_tx.active) cw_finish(e, c, 1, 1);
    return;
  default:
    return;
  }
}

void cw_start(hl_engine_t *e, chan_t *c, const char *number, const char *name, int standard) {
  snprintf(c->cw_number, sizeof c->cw_number, "%s", number);
  snprintf(c->cw_name, sizeof c->cw_name, "%s", name);
  c->cw_std = standard;
  hl_tonegen_start(&c->cw_tone, &e->cw_sas, e->zone.level_dbm0);
  c->cw_tone_on = 1;
  c->cw_phase = CW_SAS;
  ev_simple(e, "CallWaitingStarted", c->info->channo);
}
