/* The `sim` driver: spans and channels as a DAHDI board presents them, with a
 * virtual PSTN as the far end (a central office on each FXO port, an analog
 * phone on each FXS port). The far end makes and reads real signals with
 * spandsp: ring cadences, FSK/DTMF caller ID, DTMF, zone tones, hook pulses. */
#ifndef HL_SIM_H
#define HL_SIM_H
#include <stddef.h>
#include "hl/chan_io.h"
#include "hl/engine.h"

typedef struct hl_sim_span_def {
  int kind;        /* HL_KIND_FXO, HL_KIND_FXS, HL_KIND_E1 */
  int nchans;
} hl_sim_span_def_t;

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
