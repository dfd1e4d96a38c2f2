/* Re-laying one E1 span with other signalling (MFC/R2 <-> SS7) while the
 * engine runs, without touching any other span.
 *
 * The media thread may neither allocate nor free, so the work is split:
 * hl_engine_respan (JS thread) allocates everything the new signalling needs
 * into a kit (R2 state per timeslot, or the D-channel's SS7 stack memory, and
 * the driver's share); the media thread (respan_run) ends the span's calls,
 * closes its channels, has the driver re-lay the span, reopens the channels
 * on the kit's state and puts the span's old state into the kit; the kit
 * goes back through the garbage ring and hl_engine_collect (JS thread) frees
 * it. Only pointers move on the media thread. */
#include "core_int.h"
#include <stdlib.h>
#include <string.h>
#include <stdio.h>
#include <errno.h>

#define GARBAGE_KIT 2   /* low pointer bits of a kit in the garbage ring (see hl_engine_collect) */

typedef struct respan_kit {
  int span, kind;                /* the span and its new kind (HL_KIND_E1_R2 or HL_KIND_E1) */
  hl_r2_t *r2_new[32];           /* -> R2: fresh state by timeslot (those not taken stay here) */
  hl_r2_t *r2_old[32];           /* -> SS7: the timeslots' R2 state, to free */
  hl_ss7_t *ss7_new;             /* -> SS7: the D-channel's stack memory */
  hl_ss7_t *ss7_old;             /* -> R2: the stack the D-channel had */
  void *drv_kit;                 /* the driver's (respan_prepare) */
} respan_kit_t;

void respan_kit_free(hl_engine_t *e, void *p) {
  respan_kit_t *k = p;
  if (!k) return;
  for (int ts = 0; ts < 32; ts++) { hl_r2_free(k->r2_new[ts]); hl_r2_free(k->r2_old[ts]); }
  /* Engine stacks are the engine's calloc'd memory, deinit'd on the media thread. */
  free(k->ss7_new);
  free(k->ss7_old);
  if (k->drv_kit && e->drv->ops->respan_free) e->drv->ops->respan_free(e->drv->state, k->drv_kit);
  free(k);
}

int hl_engine_respan(hl_engine_t *e, int span, int kind, const void *board_conf, int32_t id, char *err, size_t errlen) {
  const hl_driver_t *d = e->drv;
  /* A board that cannot re-lay any span says so first, whatever span is named. */
  if (!d->ops->respan_prepare || !d->ops->respan || !d->ops->respan_free) {
    snprintf(err, errlen, "the %s driver cannot change a span's signalling while it runs", d->ops->name);
    return -ENOTSUP;
  }
  if (span < 1 || span > d->nspans || !e->span_e1[span]) {
    snprintf(err, errlen, "span %d is not an E1 span of this board", span);
    return -EINVAL;
  }
  if (kind != HL_KIND_E1_R2 && kind != HL_KIND_E1) {
    snprintf(err, errlen, "an E1 span's signalling is r2 or ss7");
    return -EINVAL;
  }
  respan_kit_t *k = calloc(1, sizeof *k);
  if (!k) { snprintf(err, errlen, "out of memory"); return -ENOMEM; }
  k->span = span;
  k->kind = kind;
  if (kind == HL_KIND_E1_R2) {
    for (int ts = 1; ts <= 31; ts++) {
      if (ts == 16) continue;
      if (!(k->r2_new[ts] = sig_r2_prepare())) { snprintf(err, errlen, "out of memory"); respan_kit_free(e, k); return -ENOMEM; }
    }
  } else if (!(k->ss7_new = calloc(1, sizeof *k->ss7_new))) {
    snprintf(err, errlen, "out of memory");
    respan_kit_free(e, k);
    return -ENOMEM;
  }
  err[0] = 0;
  k->drv_kit = d->ops->respan_prepare(d->state, span, kind, board_conf, err, errlen);
  if (!k->drv_kit) {
    if (!err[0]) snprintf(err, errlen, "the board refused to re-lay span %d", span);
    respan_kit_free(e, k);
    return -EINVAL;
  }
  hl_cmd_t cmd;
  memset(&cmd, 0, sizeof cmd);
  cmd.op = HL_OP_RESPAN;
  cmd.id = id;
  cmd.i1 = span;
  cmd.i2 = kind;
  cmd.ptr = k;
  if (hl_engine_submit(e, &cmd) != 0) {
    snprintf(err, errlen, "the engine's command queue is full");
    respan_kit_free(e, k);
    return -ENOSPC;
  }
  return 0;
}

static int span_kind(hl_engine_t *e, int span) {
  for (int i = 0; i < e->nchans; i++)
    if (e->ch[i].info->span == span && e->ch[i].info->kind == HL_KIND_DCHAN) return HL_KIND_E1;
  return HL_KIND_E1_R2;
}

/* A channel of the span loses its call: the supervisor hears of it as a hang-up by us. */
static int end_call(hl_engine_t *e, chan_t *c) {
  int in_call = c->st != HL_ST_IDLE && c->st != HL_ST_BLOCKED && c->st != HL_ST_HUNGUP;
  if (in_call) {
    char buf[HL_EVENT_JSON];
    hl_jw_t w;
    ev_begin(e, &w, buf, "ChannelHungUp", c->info->channo);
    hl_jw_str(&w, "side", "near");
    hl_jw_str(&w, "cause", "span-reconfigured");
    ev_push(e, &w);
  }
  chan_reset_media(e, c, "span-reconfigured");
  c->have_caller = 0;
  c->hook = 0;
  chan_set_state(e, c, HL_ST_IDLE);
  return in_call;
}

void respan_run(hl_engine_t *e, const hl_cmd_t *cmd) {
  respan_kit_t *k = cmd->ptr;
  hl_driver_t *d = e->drv;
  if (!k) { ev_error(e, cmd, "bad_command", "respan needs a kit from hl_engine_respan"); return; }
  int span = k->span;
  if (span_kind(e, span) == k->kind) {
    char msg[80];
    snprintf(msg, sizeof msg, "span %d already runs %s", span, k->kind == HL_KIND_E1 ? "ss7" : "r2");
    ev_error(e, cmd, "unchanged", msg);
    garbage_push(e, (void *)((uintptr_t)k | GARBAGE_KIT));
    return;
  }
  int ended = 0;
  /* Tear down: calls end, signalling state goes into the kit, channels close. */
  for (int i = 0; i < e->nchans; i++) {
    chan_t *c = &e->ch[i];
    if (c->info->span != span || !c->open) continue;
    if (c->info->kind != HL_KIND_DCHAN) ended += end_call(e, c);
    if (c->r2) { k->r2_old[c->info->chanpos & 31] = c->r2; c->r2 = NULL; }
  }
  for (int i = 0; i < e->nchans; i++) {
    chan_t *c = &e->ch[i];
    if (c->info->span != span) continue;
    if (c->info->kind == HL_KIND_DCHAN && c->ss7) k->ss7_old = sig_ss7_unbind(e, c);
    if (c->open) { d->ops->close(d->state, c->info->channo); c->open = 0; }
  }
  /* The board re-lays the span: new kinds in its channel table. */
  int rc = d->ops->respan(d->state, span, k->kind, k->drv_kit);
  if (rc < 0) ev_error(e, cmd, "board_refused", "the board could not re-lay the span: its channels reopen as they are");
  /* Reopen on the kit's state. */
  chan_t *dch = NULL;
  for (int i = 0; i < e->nchans; i++) {
    chan_t *c = &e->ch[i];
    if (c->info->span != span || c->info->kind == HL_KIND_NONE) continue;
    if (c->info->kind == HL_KIND_DCHAN && (!d->ops->read_frame || !d->ops->write_frame)) continue;
    if (d->ops->open(d->state, c->info->channo) < 0) continue;
    c->open = 1;
    if (c->info->kind == HL_KIND_DCHAN) { dch = c; continue; }
    int ts = c->info->chanpos & 31;
    if (c->info->kind == HL_KIND_E1_R2 && k->r2_new[ts]) { sig_r2_adopt(e, c, k->r2_new[ts]); k->r2_new[ts] = NULL; }
  }
  if (dch) {
    hl_ss7_t *s = k->ss7_new ? k->ss7_new : k->ss7_old;   /* a refused re-lay keeps the old stack's memory */
    if (s == k->ss7_new) k->ss7_new = NULL; else k->ss7_old = NULL;
    if (s) sig_ss7_bind(e, dch, s);
  }
  int now_kind = span_kind(e, span);
  /* The new kinds are in the snapshot before anyone reads the event: a
   * client that lists the channels on SpanReconfigured sees the new layout. */
  publish(e);
  char buf[HL_EVENT_JSON];
  hl_jw_t w;
  ev_begin(e, &w, buf, "SpanReconfigured", 0);
  hl_jw_int(&w, "id", cmd->id);
  hl_jw_int(&w, "span", span);
  hl_jw_str(&w, "signalling", now_kind == HL_KIND_E1 ? "ss7" : "r2");
  hl_jw_int(&w, "callsEnded", ended);
  ev_push(e, &w);
  garbage_push(e, (void *)((uintptr_t)k | GARBAGE_KIT));
}
