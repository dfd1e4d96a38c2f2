/* MFC/R2 country variants as data (hl_r2_variants[], see hl/r2.h) and the
 * state names the CLI and UI show. */
#include "r2_int.h"
#include <string.h>

/* Line signal AB bits as Q.421: idle 10, seize 00, seize-ack 11, answer 01,
 * clear-back 11, clear-forward 10, blocked 11, forced release 00; a metering
 * pulse is a brief clear-back (11) during answer. */
#define R2_AB { 0x8, 0x0, 0xC, 0x4, 0xC, 0x8, 0xC, 0x0, 0xC }

const hl_r2_variant_t hl_r2_variants[] = {
  /* China No.1 (as openr2's "CN"): CD=11; A-6 asks the category, after which
   * A-1 asks the next ANI digit (the same signal as the next DNIS digit); no
   * end-of-DNIS signal, so the backward knows the length or hears silence.
   * Double answer: answer 400 ms, clear-back 400 ms, answer again. Metering
   * pulses are 150 ms clear-backs; the forward counts an excursion of up to
   * 300 ms as a pulse and takes one of 800 ms or more as the clear-back. */
  { .name = "china", .cd = 0x3, .ab = R2_AB,
    .a_next_dnis = 1, .a_next_ani = 1, .a_category = 6, .a_to_group_b = 3, .a_congestion = 4,
    .b_accept_charge = 1, .b_accept_free = 7, .b_busy = 2, .b_congestion = 4, .b_unallocated = 5, .b_out_of_order = 8,
    .i_end_dnis = 0, .i_end_ani = 15, .i_ani_restricted = 12,
    .seize_ack_ms = 2000, .mf_cycle_ms = 2000, .dnis_gap_ms = 3000, .pulse_ms = 150, .fwd_wait_ms = 15000,
    .answer_ms = 90000, .release_ms = 3000,
    .dbl_hold_ms = 400, .dbl_clear_ms = 400, .meter_pulse_ms = 150, .meter_max_ms = 300, .clear_back_min_ms = 800,
    .dtmf_start_ms = 500, .dtmf_on_ms = 80, .dtmf_off_ms = 80, .dtmf_gap_ms = 3000 },
  /* ITU-T Q.441: CD=01; A-5 asks the category first, then each ANI digit;
   * I-15 ends both DNIS and ANI. Q.421 has no metering; the double answer's
   * clear-back is tolerated as in China. */
  { .name = "itu", .cd = 0x1, .ab = R2_AB,
    .a_next_dnis = 1, .a_next_ani = 5, .a_category = 5, .a_to_group_b = 3, .a_congestion = 4,
    .b_accept_charge = 6, .b_accept_free = 7, .b_busy = 3, .b_congestion = 4, .b_unallocated = 5, .b_out_of_order = 8,
    .i_end_dnis = 15, .i_end_ani = 15, .i_ani_restricted = 12,
    .seize_ack_ms = 2000, .mf_cycle_ms = 2000, .dnis_gap_ms = 3000, .pulse_ms = 150, .fwd_wait_ms = 15000,
    .answer_ms = 90000, .release_ms = 3000,
    .dbl_hold_ms = 400, .dbl_clear_ms = 400, .meter_pulse_ms = 0, .meter_max_ms = 0, .clear_back_min_ms = 800,
    .dtmf_start_ms = 500, .dtmf_on_ms = 80, .dtmf_off_ms = 80, .dtmf_gap_ms = 3000 },
};
const int hl_r2_nvariants = sizeof hl_r2_variants / sizeof hl_r2_variants[0];

const hl_r2_variant_t *hl_r2_variant_find(const char *name) {
  for (int i = 0; i < hl_r2_nvariants; i++)
    if (strcmp(hl_r2_variants[i].name, name) == 0) return &hl_r2_variants[i];
  return NULL;
}

static const char *state_names[HL_R2_ST_COUNT] = {
  "idle", "blocked-remote", "blocked-local", "seized", "collecting", "offered", "accepting", "accepted", "rejecting",
  "clear-back-sent", "seize-sent", "sending", "await-group-b", "ringing", "clear-forward-sent", "up"
};
const char *hl_r2_state_name(int st) { return st >= 0 && st < HL_R2_ST_COUNT ? state_names[st] : "unknown"; }
