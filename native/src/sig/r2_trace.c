/* MFC/R2 call trace: the line bits and MF signals of one call, each with its
 * time and group, kept in a ring for the CLI/UI (hl_r2_trace_what). */
#include "r2_int.h"
#include <stdio.h>

void r2_trace(hl_r2_t *r, int rx, int kind, int val) {
  if (!r->tracing) return;
  hl_r2_trace_ent_t *t = &r->tr[r->tr_n++ % HL_R2_TRACE];
  t->ms = (int32_t)(r->now - r->tr_t0);
  t->rx = (uint8_t)rx;
  t->kind = (uint8_t)kind;
  t->val = (uint8_t)val;
}

void r2_trace_start(hl_r2_t *r) {
  r->tracing = 1;
  r->tr_n = 0;
  r->tr_t0 = r->now;
}

/* An MF signal's group, from who sends it and the call's phase. */
int r2_tr_group(const hl_r2_t *r, int rx) {
  int fwd_signal = (r->role == HL_R2_ROLE_FORWARD) != rx;   /* sent by the forward side */
  if (fwd_signal) {
    int group_ii = r->role == HL_R2_ROLE_FORWARD ? r->state == HL_R2_ST_AWAIT_GROUP_B : r->expect == HL_R2_X_GROUP_II;
    return group_ii ? HL_R2_TR_II : HL_R2_TR_I;
  }
  int group_b = r->role == HL_R2_ROLE_FORWARD ? r->state == HL_R2_ST_AWAIT_GROUP_B : r->state == HL_R2_ST_OFFERED;
  return group_b ? HL_R2_TR_B : HL_R2_TR_A;
}

void hl_r2_trace_what(const hl_r2_trace_ent_t *t, char *out, int cap) {
  static const char *g[] = { "", "I", "II", "A", "B" };
  if (t->kind == HL_R2_TR_BITS)
    snprintf(out, (size_t)cap, "ABCD=%d%d%d%d", !!(t->val & 8), !!(t->val & 4), !!(t->val & 2), !!(t->val & 1));
  else
    snprintf(out, (size_t)cap, "%s-%d", t->kind <= HL_R2_TR_B ? g[t->kind] : "?", t->val);
}
