/* Kernel links: a bridge half or a listen tap that the board mixes instead
 * of the engine (driver op conf_link; DAHDI_SETCONF on a dahdi board). */
#include "core_int.h"

/* Nothing but one link feeds this channel's transmit: no prompt, tone, DTMF,
 * caller ID, conference, gain or supervisor voice of ours to add. */
static int sends_only_link(const chan_t *c) {
  return !c->nplay && !c->tone.prog && !c->dtmf_tx_busy && !c->cid_tx.active && !c->conf &&
         c->txgain == 1.0f && !c->hears_sup && !c->cw_phase;
}

/* The link the board could make for c's transmit instead of the engine. */
static void wanted_link(hl_engine_t *e, const chan_t *c, int *link, int *peer) {
  *link = HL_LINK_NONE;
  *peer = 0;
  if (!e->drv->ops->conf_link || !c->open || c->info->kind == HL_KIND_DCHAN || !sends_only_link(c)) return;
  if (c->bridge && !c->tap_target) {
    /* c hears p's line as received; our rx gain on p would be skipped. */
    const chan_t *p = chan_get(e, c->bridge);
    if (p && p->open && p->rxgain == 1.0f && !p->cw_phase && p->info->law == c->info->law) { *link = HL_LINK_BRIDGE; *peer = p->info->channo; }
  } else if (c->tap_target && c->tap_mode == HL_TAP_LISTEN && !c->bridge) {
    /* A supervisor hears both sides of the target: its line as received and
     * whatever is sent to it, which the board adds up itself. (Not in
     * whisper or barge: what is sent to the target then holds the
     * supervisor's own voice, which the engine leaves out.) */
    const chan_t *t = chan_get(e, c->tap_target);
    if (t && t->open && t->rxgain == 1.0f && t->info->law == c->info->law) { *link = HL_LINK_LISTEN; *peer = t->info->channo; }
  }
}

/* Brings every channel's kernel link in line with what it does now, before
 * the mix: a bridged or listening channel that has nothing else to send is
 * linked in the board (DAHDI_SETCONF: zero CPU, no write), and unlinked the
 * tick anything else (a prompt, a tone, a whisper) must be mixed in. Boards
 * without conf_link (the sim) keep every mix in the engine. */
void media_links(hl_engine_t *e) {
  if (!e->drv->ops->conf_link) return;
  for (int i = 0; i < e->nchans; i++) e->ch[i].hears_sup = 0;
  for (int i = 0; i < e->nchans; i++) {
    const chan_t *s = &e->ch[i];
    if (!s->tap_target || s->tap_mode == HL_TAP_LISTEN) continue;
    chan_t *t = chan_get(e, s->tap_target);
    if (!t) continue;
    t->hears_sup = 1;
    if (s->tap_mode == HL_TAP_BARGE && t->bridge) { chan_t *p = chan_get(e, t->bridge); if (p) p->hears_sup = 1; }
  }
  for (int i = 0; i < e->nchans; i++) {
    chan_t *c = &e->ch[i];
    int link, peer;
    wanted_link(e, c, &link, &peer);
    if (link == c->klink && peer == c->kpeer) continue;
    if (link && link == c->kfail_link && peer == c->kfail_peer) {
      /* Refused before: mix in the engine. Unlinking is always tried. */
      link = HL_LINK_NONE; peer = 0;
      if (!c->klink) continue;
    }
    int r = e->drv->ops->conf_link(e->drv->state, c->info->channo, link, peer);
    if (r == 0) {
      c->klink = link; c->kpeer = peer;
      c->kfail_link = c->kfail_peer = 0;
    } else if (link) {
      c->kfail_link = link; c->kfail_peer = peer;
    }
  }
}
