/* The `dahdi` board driver: the channel-I/O seam (hl/chan_io.h) over the DAHDI
 * kernel interface, one non-blocking fd per channel as chan_dahdi opens them,
 * plus the pure helpers that turn DAHDI codes into our kinds and text.
 *
 * Ops are called with drv->state, as the engine calls every driver (the
 * `void *drv` of hl_driver_ops_t). */
#ifndef HL_DRV_DAHDI_H
#define HL_DRV_DAHDI_H
#include <stddef.h>
#include "hl/chan_io.h"

/* Opens channels channos[0..n-1] under devroot ("/dev/dahdi" on a real box).
 * kinds[i] is what the configuration expects (enum hl_kind); HL_KIND_NONE takes
 * whatever DAHDI reports, anything else must match or the open fails. kinds may
 * be NULL. On failure nothing stays open, drv is zeroed, err says which channel
 * and which step failed, and the result is -errno. */
int hl_dahdi_driver_open(hl_driver_t *drv, const int *channos, const int *kinds, int n,
                         const char *devroot, char *err, size_t errlen);
void hl_dahdi_driver_close(hl_driver_t *drv);

/* "RINGOFFHOOK", "PULSEDIGIT", ...; "UNKNOWN" for codes DAHDI does not define. */
const char *hl_dahdi_event_name(int ev);

/* Alarm bits as "RED,LOS" (empty string for none). Returns the length written,
 * or -ENOSPC when buf is too small (buf then holds a truncated, terminated text). */
int hl_dahdi_alarm_text(int alarms, char *buf, size_t n);

/* Our port kind for a DAHDI signalling type. DAHDI names signalling after the
 * far end: FXS signalling runs on our FXO ports, FXO signalling on our FXS ports. */
int hl_dahdi_sig_kind(int sigtype);

/* The signalling type as /proc/dahdi prints it ("FXSKS", "CAS", ...). */
const char *hl_dahdi_sig_name(int sigtype);

/* Checks a DAHDI_DIAL string: starts with a mode letter (T DTMF, P pulse, M MF,
 * O/R MF-R2 forward/backward), holds only digits valid in the current mode, W/w
 * pauses and mode switches, and fits DAHDI's buffer. 0 or -EINVAL. */
int hl_dahdi_dial_check(const char *dialstr);

struct dahdi_confinfo;
/* The DAHDI_SETCONF argument for a kernel link (enum hl_link) of the channel
 * the fd holds (chan 0) to channel peer:
 *   HL_LINK_BRIDGE  DAHDI_CONF_DIGITALMON, confno = peer: the kernel copies
 *                   peer's received audio into this channel's transmit, as
 *                   chan_dahdi links the two halves of a native bridge (and
 *                   DAHDI may turn it into a hardware cross-connect);
 *   HL_LINK_LISTEN  DAHDI_CONF_MONITORBOTH, confno = peer: peer's receive and
 *                   transmit are added to this channel's transmit, as
 *                   app_dahdibarge listens to a channel;
 *   HL_LINK_NONE    mode 0, confno 0 (DAHDI refuses a mode without a
 *                   conference and a conference without a mode).
 * 0, or -EINVAL for an unknown link or a peer outside 1..DAHDI_MAX_CHANNELS. */
int hl_dahdi_confinfo(int link, int peer, struct dahdi_confinfo *out);

/* Builds "<mode><digits>" into out (mode 'T' or 'P', ...) after checking it.
 * Returns the length, -EINVAL for a bad mode or digit, -ENOSPC if it won't fit. */
int hl_dahdi_dial_build(char mode, const char *digits, char *out, size_t n);

#endif
