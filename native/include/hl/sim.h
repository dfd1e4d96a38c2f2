/* The `sim` driver: spans and channels as a DAHDI board presents them, with a
 * virtual PSTN as the far end (a central office on each FXO port, an analog
 * phone on each FXS port, an R2 exchange on an R2 E1, an SS7 signalling point
 * on a CCS E1). The far end makes and reads real signals with spandsp:
 * ring cadences, FSK/DTMF caller ID, DTMF, zone tones, hook pulses; on an SS7
 * span real HDLC frames with a real FCS-16 and, for the ITU variant, libss7. */
#ifndef HL_SIM_H
#define HL_SIM_H
#include <stddef.h>
#include <stdint.h>
#include "hl/chan_io.h"
#include "hl/engine.h"

typedef struct hl_sim_span_def {
  int kind;        /* HL_KIND_FXO, HL_KIND_FXS, HL_KIND_E1 (SS7: dchan on timeslot 16), HL_KIND_E1_R2 */
  int nchans;
} hl_sim_span_def_t;

/* ---- SS7 spans ----
 * A span of kind HL_KIND_E1 is an E1 signalled by SS7: timeslot 16 is a
 * D-channel (HL_KIND_DCHAN: read_frame/write_frame carry MTP2 signal units
 * with a real FCS-16) and the 30 others are bearers (HL_KIND_E1, audio as on
 * R2 spans). CIC = cic_first - 1 + timeslot. By default its far end is
 * libss7 (ITU) with the settings below; hl_sim_ss7_config changes them. */
enum hl_sim_far {
  HL_SIM_FAR_NONE = 0,     /* nobody: frames from the box vanish, nothing comes back */
  HL_SIM_FAR_LIBSS7 = 1,   /* libss7 2.0, ITU (14-bit point codes); keeps real time only */
  HL_SIM_FAR_OWN = 2,      /* our own SS7 stack in the exchange role: China (24-bit point
                              codes) or ITU; runs on sim time, so at any speed */
};

typedef struct hl_sim_ss7_conf {
  int far_kind;            /* enum hl_sim_far */
  char variant[8];         /* "itu" (libss7, HL_SIM_FAR_OWN) or "china" (HL_SIM_FAR_OWN) */
  uint32_t box_pc;         /* the box's point code: the far end's DPC */
  uint32_t far_pc;         /* the far end's own point code: the box's DPC */
  int ni;                  /* network indicator 0 international .. 2 national, 3 national spare */
  int cic_first;           /* CIC of timeslot 1 */
  int answer_ms;           /* default: the far end answers the box's calls after this long */
} hl_sim_ss7_conf_t;

/* Defaults: libss7, itu, box 1, far 2, national, CIC = timeslot, answer after 2 s
 * (the same point codes and CICs as hl_ss7_config_default, seen from the other side). */
void hl_sim_ss7_conf_default(hl_sim_ss7_conf_t *c);

/* Frame counters of an SS7 span's line, from the far end's side of it. */
typedef struct hl_sim_ss7_stats {
  uint64_t to_box, to_far;             /* frames put on the line each way */
  uint64_t box_badfcs, far_badfcs;     /* dropped by the receiving board's FCS check */
  uint64_t corrupted;                  /* frames the line corrupted (both ways) */
  uint64_t cut_dropped;                /* frames lost to a cut or a span alarm */
  uint64_t box_overrun;                /* towards the box with its receive ring full */
  uint64_t box_closed;                 /* towards the box while its D-channel was closed */
  uint64_t far_tx_full;                /* box writes refused: transmit ring full */
} hl_sim_ss7_stats_t;

/* Sets span's far end (closing the one running). Call on the thread that owns
 * the driver before the engine runs (it may allocate, open a socketpair).
 * 0 or -errno with err naming the span. */
int hl_sim_ss7_config(hl_driver_t *drv, int span, const hl_sim_ss7_conf_t *conf, char *err, size_t errlen);

/* 0 when every SS7 far end can keep up with `speed` (1 = real time); else
 * -EINVAL and err names the spans whose far end reads the wall clock (libss7):
 * such a span only works at speed 1. The sim also emits SimSs7Warning once
 * per span when it sees engine time outrun the wall clock. */
int hl_sim_check_realtime(const hl_driver_t *drv, double speed, char *err, size_t errlen);

/* SS7 far-end actions beyond the common sim verbs (hl_sim_ss7_command's i1).
 * cmd->chan: any channel of the span (D-channel or bearer). */
enum hl_sim_ss7_action {
  HL_SIM_SS7_GRS = 1,      /* the far end resets circuits: i2 first CIC (0: the span's first), i3 count (0: 31) */
  HL_SIM_SS7_CGB = 2,      /* blocks circuits (maintenance): i2 first CIC, i3 count */
  HL_SIM_SS7_CGU = 3,      /* unblocks them */
  HL_SIM_SS7_CUT = 4,      /* drops every frame both ways for i2 ms (0 ends a cut now) */
  HL_SIM_SS7_CORRUPT = 5,  /* corrupts i2 per mille of frames (0 stops); i3 1 towards the box, 2 towards the far end, 0 both */
  HL_SIM_SS7_RULE = 6,     /* s1 number prefix ("" clears all): i2 outcome (OUT_* as HL_OP_SIM_OUTCOME), i3 after ms */
  HL_SIM_SS7_STATS = 7,    /* emits SimSs7Stats with the span's counters */
};
/* Executes one action on the media thread. 0 or -errno with err. */
int hl_sim_ss7_command(hl_driver_t *drv, const hl_cmd_t *cmd, char *err, size_t errlen);
/* Copies a span's counters (same thread as the ticks). -EINVAL: no SS7 span. */
int hl_sim_ss7_stats(const hl_driver_t *drv, int span, hl_sim_ss7_stats_t *out);

typedef void (*hl_sim_emit_fn)(void *user, const char *json);

int hl_sim_driver_open(hl_driver_t *drv, const hl_sim_span_def_t *spans, int nspans,
                       const char *zone, int law, char *err, size_t errlen);
void hl_sim_driver_close(hl_driver_t *drv);
int hl_sim_is(const hl_driver_t *drv);
/* Far-end events (JSON objects) go to fn; called on the media thread. */
void hl_sim_set_emit(hl_driver_t *drv, hl_sim_emit_fn fn, void *user);
/* Executes a HL_OP_SIM_* command on the media thread. 0 or -errno with err. */
int hl_sim_command(hl_driver_t *drv, const hl_cmd_t *cmd, char *err, size_t errlen);

#endif
