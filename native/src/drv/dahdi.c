/* The `dahdi` board driver: every seam op is one DAHDI ioctl (or read/write) on
 * the channel's own fd, opened the way chan_dahdi opens it. The engine keeps
 * these fds for its whole life because DAHDI hangs a line up when its fd closes.
 *
 * Media-path ops (read/write/get_event) allocate nothing and take no lock; the
 * only state they touch is a small per-channel ring of events that arrived
 * while audio was being moved (see stash_event). */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>
#include <dahdi/user.h>
#include "dahdi.h"

#define EV_RING 8                 /* events parked per channel while moving audio */
#define HDLC_BUFSIZE 1024         /* one HDLC frame per buffer: the longest MSU fits with room */
#define HDLC_NUMBUFS 32           /* frames DAHDI holds each way: at about one signal unit per
                                     ms from the far end, 32 ms of slack for a late tick */
#define AUDIO_NUMBUFS 4           /* chan_dahdi's default "buffers=4,immediate" */
#define MAX_EC_TAPS 1024          /* 128 ms at 8 taps per ms */

typedef struct dchan {
  int fd;                         /* -1 when closed */
  int ev[EV_RING];
  unsigned ev_head, ev_tail;      /* ring indices; head == tail is empty */
} dchan_t;

typedef struct dahdi_state {
  char devroot[200];
  int ctlfd;                      /* devroot/ctl, opened on first span_alarms */
  int *want_kind;                 /* per channo-1: kind the config asked for */
  dchan_t *ch;                    /* per channo-1 */
  int nchans;                     /* the driver's nchans and chans, for the ops */
  hl_chan_info_t *chans;
} dahdi_state_t;

/* Ops receive drv->state, as every driver does (see chan_io.h). */
static dahdi_state_t *st_of(void *drv) { return (dahdi_state_t *)drv; }

/* The fd of an open channel, or -ENOENT/-EBADF as the seam's -errno result. */
static int fd_of(void *drv, int channo) {
  dahdi_state_t *st = st_of(drv);
  if (channo < 1 || channo > st->nchans || st->chans[channo - 1].kind == HL_KIND_NONE) return -ENOENT;
  int fd = st->ch[channo - 1].fd;
  return fd >= 0 ? fd : -EBADF;
}

static void seterr(char *err, size_t errlen, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static void seterr(char *err, size_t errlen, const char *fmt, ...) {
  if (!err || errlen == 0) return;
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(err, errlen, fmt, ap);
  va_end(ap);
}

/* Opens and configures one channel. Returns the fd or -errno with err naming the
 * channel, the device and the step that failed; the fd never outlives a failure. */
static int open_channel(const char *devroot, int channo, int want_kind, hl_chan_info_t *info,
                        char *err, size_t errlen) {
  char path[256];
  const char *step;
  int fd, x, e;
  struct dahdi_params p;
  struct dahdi_bufferinfo bi;

  snprintf(path, sizeof path, "%s/channel", devroot);
  fd = open(path, O_RDWR | O_NONBLOCK | O_CLOEXEC);
  if (fd < 0) {
    e = errno;
    seterr(err, errlen, "dahdi: channel %d: open %s: %s", channo, path, strerror(e));
    return -e;
  }
  x = channo;
  step = "DAHDI_SPECIFY";
  if (ioctl(fd, DAHDI_SPECIFY, &x) < 0) goto fail;

  /* Parameters come before buffer setup (chan_dahdi sets buffers first) because
   * a D-channel wants HDLC-sized buffers and no law, and only the signalling
   * type says whether this channel is one. */
  memset(&p, 0, sizeof p);
  step = "DAHDI_GET_PARAMS";
  if (ioctl(fd, DAHDI_GET_PARAMS, &p) < 0) goto fail;
  int kind = hl_dahdi_sig_kind(p.sigtype);
  if (kind == HL_KIND_NONE) {
    close(fd);
    seterr(err, errlen, "dahdi: channel %d (%s): signalling %s is not a port we drive; check system.conf",
           channo, path, hl_dahdi_sig_name(p.sigtype));
    return -EINVAL;
  }
  /* A CAS channel is an R2 timeslot when the configuration says so. */
  if (want_kind == HL_KIND_E1_R2 && kind == HL_KIND_E1 && (p.sigtype & DAHDI_SIG_CAS) == DAHDI_SIG_CAS) kind = HL_KIND_E1_R2;
  if (want_kind != HL_KIND_NONE && want_kind != kind) {
    close(fd);
    seterr(err, errlen, "dahdi: channel %d (%s): configured as kind %d but DAHDI reports %s (kind %d)",
           channo, path, want_kind, hl_dahdi_sig_name(p.sigtype), kind);
    return -EINVAL;
  }

  if (kind != HL_KIND_DCHAN) {
    x = HL_BLOCK;
    step = "DAHDI_SET_BLOCKSIZE";
    if (ioctl(fd, DAHDI_SET_BLOCKSIZE, &x) < 0) goto fail;
  }
  memset(&bi, 0, sizeof bi);
  step = "DAHDI_GET_BUFINFO";
  if (ioctl(fd, DAHDI_GET_BUFINFO, &bi) < 0) goto fail;
  bi.txbufpolicy = DAHDI_POLICY_IMMEDIATE;
  bi.rxbufpolicy = DAHDI_POLICY_IMMEDIATE;
  bi.numbufs = kind == HL_KIND_DCHAN ? HDLC_NUMBUFS : AUDIO_NUMBUFS;
  if (kind == HL_KIND_DCHAN) bi.bufsize = HDLC_BUFSIZE;
  step = "DAHDI_SET_BUFINFO";
  if (ioctl(fd, DAHDI_SET_BUFINFO, &bi) < 0) goto fail;

  if (kind != HL_KIND_DCHAN) {
    /* China is A-law on analog and E1 alike; E1 spans also declare it in system.conf. */
    x = DAHDI_LAW_ALAW;
    step = "DAHDI_SETLAW";
    if (ioctl(fd, DAHDI_SETLAW, &x) < 0) goto fail;
    step = "DAHDI_GET_PARAMS";
    if (ioctl(fd, DAHDI_GET_PARAMS, &p) < 0) goto fail;   /* curlaw after SETLAW */
  }

  memset(info, 0, sizeof *info);
  info->channo = p.channo > 0 ? p.channo : channo;
  info->span = p.spanno;
  info->chanpos = p.chanpos;
  info->kind = kind;
  info->law = p.curlaw == DAHDI_LAW_MULAW ? HL_LAW_ULAW : HL_LAW_ALAW;
  snprintf(info->name, sizeof info->name, "%.*s", (int)sizeof p.name, p.name);
  return fd;

fail:
  e = errno;
  close(fd);
  seterr(err, errlen, "dahdi: channel %d (%s): %s failed: %s", channo, path, step, strerror(e));
  return -e;
}

static int op_open(void *drv, int channo) {
  dahdi_state_t *st = st_of(drv);
  if (channo < 1 || channo > st->nchans || st->want_kind[channo - 1] < 0) return -ENOENT;
  if (st->ch[channo - 1].fd >= 0) return 0;
  hl_chan_info_t info;
  int fd = open_channel(st->devroot, channo, st->want_kind[channo - 1], &info, NULL, 0);
  if (fd < 0) return fd;
  st->chans[channo - 1] = info;
  st->ch[channo - 1].fd = fd;
  st->ch[channo - 1].ev_head = st->ch[channo - 1].ev_tail = 0;
  return 0;
}

static int op_close(void *drv, int channo) {
  int fd = fd_of(drv, channo);
  if (fd < 0) return fd;
  st_of(drv)->ch[channo - 1].fd = -1;
  return close(fd) < 0 ? -errno : 0;
}

/* read()/write() fail with ELAST while an event waits; the event has to be taken
 * before audio flows again. Park it here so neither the audio nor the event is
 * lost, and hand it out on the next get_event. */
static int stash_event(dchan_t *c) {
  int ev = 0;
  if (ioctl(c->fd, DAHDI_GETEVENT, &ev) < 0) return -errno;
  if (ev == DAHDI_EVENT_NONE) return 0;
  if (c->ev_tail - c->ev_head >= EV_RING) return -EOVERFLOW;  /* get_event not being called */
  c->ev[c->ev_tail++ % EV_RING] = ev;
  return 0;
}

/* One read() into rd, or with out set one write() from wr, on a channel, audio
 * or frame alike. A pending event fails it with ELAST: stash the event and try
 * again, at most EV_RING times. EAGAIN (nothing to read, no buffer free) is 0. */
static int chan_rw(dchan_t *c, int fd, int out, uint8_t *rd, const uint8_t *wr, size_t len) {
  for (int tries = 0; tries < EV_RING; tries++) {
    ssize_t r = out ? write(fd, wr, len) : read(fd, rd, len);
    if (r >= 0) return (int)r;
    if (errno == EAGAIN) return 0;
    if (errno != ELAST) return -errno;
    int s = stash_event(c);
    if (s < 0) return s;
  }
  return 0;
}

static int op_read_audio(void *drv, int channo, uint8_t *buf, int len) {
  int fd = fd_of(drv, channo);
  if (fd < 0) return fd;
  return chan_rw(&st_of(drv)->ch[channo - 1], fd, 0, buf, NULL, (size_t)len);
}

static int op_write_audio(void *drv, int channo, const uint8_t *buf, int len) {
  int fd = fd_of(drv, channo);
  if (fd < 0) return fd;
  return chan_rw(&st_of(drv)->ch[channo - 1], fd, 1, NULL, buf, (size_t)len);
}

/* The fd of an open D-channel, -EINVAL for a channel that carries audio. */
static int dchan_fd(void *drv, int channo) {
  int fd = fd_of(drv, channo);
  if (fd < 0) return fd;
  return st_of(drv)->chans[channo - 1].kind == HL_KIND_DCHAN ? fd : -EINVAL;
}

/* On an HDLC-FCS channel each read() returns one whole frame with its two FCS
 * octets; DAHDI has already checked them and turns bad frames into
 * BADFCS/ABORT/OVERRUN events, which make read() fail with ELAST until taken.
 * The frame is read into a buffer as large as DAHDI's own so a frame longer
 * than cap is reported, not silently cut. */
static int op_read_frame(void *drv, int channo, uint8_t *buf, int cap) {
  int fd = dchan_fd(drv, channo);
  if (fd < 0) return fd;
  if (!buf || cap <= 0) return -EINVAL;
  uint8_t frame[HDLC_BUFSIZE];
  int r = chan_rw(&st_of(drv)->ch[channo - 1], fd, 0, frame, NULL, sizeof frame);
  if (r <= 0) return r;
  if (r > cap) return -EMSGSIZE;
  memcpy(buf, frame, (size_t)r);
  return r;
}

/* One write() is one frame; DAHDI fills the last two octets with the FCS it
 * computes. With every transmit buffer busy a non-blocking fd says EAGAIN. */
static int op_write_frame(void *drv, int channo, const uint8_t *buf, int len) {
  int fd = dchan_fd(drv, channo);
  if (fd < 0) return fd;
  if (!buf || len < 1 + HL_FCS_LEN || len > HL_FRAME_MAX) return -EINVAL;
  return chan_rw(&st_of(drv)->ch[channo - 1], fd, 1, NULL, buf, (size_t)len);
}

static int op_get_event(void *drv, int channo) {
  int fd = fd_of(drv, channo);
  if (fd < 0) return fd;
  dchan_t *c = &st_of(drv)->ch[channo - 1];
  if (c->ev_head != c->ev_tail) return c->ev[c->ev_head++ % EV_RING];
  int ev = 0;
  if (ioctl(fd, DAHDI_GETEVENT, &ev) < 0) return -errno;
  return ev;
}

/* One int-argument ioctl as a seam result. */
static int ioctl_int(void *drv, int channo, unsigned long req, int val) {
  int fd = fd_of(drv, channo);
  if (fd < 0) return fd;
  return ioctl(fd, req, &val) < 0 ? -errno : 0;
}

static int op_hook(void *drv, int channo, int op) {
  if (op < HL_ONHOOK || op > HL_RINGOFF) return -EINVAL;
  int r = ioctl_int(drv, channo, DAHDI_HOOK, op);
  /* Wink, flash and ring run on in the kernel; on a non-blocking fd DAHDI says
   * so with EINPROGRESS and reports the end as an event. */
  return r == -EINPROGRESS ? 0 : r;
}

static int op_set_txbits(void *drv, int channo, int abcd) {
  return ioctl_int(drv, channo, DAHDI_SETTXBITS, abcd & 0xF);
}

static int op_get_rxbits(void *drv, int channo) {
  int fd = fd_of(drv, channo), bits = 0;
  if (fd < 0) return fd;
  if (ioctl(fd, DAHDI_GETRXBITS, &bits) < 0) return -errno;
  /* dahdi_dynamic leaves the neighbour channel's bits above the nibble. */
  return bits & 0xF;
}

static int op_dial(void *drv, int channo, const char *dialstr) {
  int fd = fd_of(drv, channo);
  if (fd < 0) return fd;
  if (hl_dahdi_dial_check(dialstr) < 0) return -EINVAL;
  struct dahdi_dialoperation dop;
  memset(&dop, 0, sizeof dop);
  dop.op = DAHDI_DIAL_OP_REPLACE;
  snprintf(dop.dialstr, sizeof dop.dialstr, "%s", dialstr);
  return ioctl(fd, DAHDI_DIAL, &dop) < 0 ? -errno : 0;
}

static int op_set_cadence(void *drv, int channo, const int *ms, int n) {
  int fd = fd_of(drv, channo);
  if (fd < 0) return fd;
  if (n == 0) return ioctl(fd, DAHDI_SETCADENCE, NULL) < 0 ? -errno : 0;
  if (!ms || n < 0 || n > DAHDI_MAX_CADENCE) return -EINVAL;
  struct dahdi_ring_cadence cad;
  memset(&cad, 0, sizeof cad);
  for (int i = 0; i < n; i++) {
    /* A zero ends the cadence in the kernel; a negative on-time marks where the
     * loop restarts, so only on-times (even slots) may be negative. */
    if (ms[i] == 0 || (ms[i] < 0 && (i & 1))) return -EINVAL;
    cad.ringcadence[i] = ms[i];
  }
  return ioctl(fd, DAHDI_SETCADENCE, &cad) < 0 ? -errno : 0;
}

static int op_set_polarity(void *drv, int channo, int reversed) {
  return ioctl_int(drv, channo, DAHDI_SETPOLARITY, reversed ? 1 : 0);
}

static int op_onhook_transfer(void *drv, int channo, int ms) {
  if (ms < 0) return -EINVAL;
  return ioctl_int(drv, channo, DAHDI_ONHOOKTRANSFER, ms);
}

static int op_set_echocancel(void *drv, int channo, int taps) {
  int fd = fd_of(drv, channo);
  if (fd < 0) return fd;
  if (taps < 0 || taps > MAX_EC_TAPS) return -EINVAL;
  struct dahdi_echocanparams ecp;
  memset(&ecp, 0, sizeof ecp);
  ecp.tap_length = (__u32)taps;   /* 0 disables; the canceller is system.conf's choice */
  ecp.param_count = 0;
  return ioctl(fd, DAHDI_ECHOCANCEL_PARAMS, &ecp) < 0 ? -errno : 0;
}

/* DAHDI_SPANSTAT on the control device (opened on first use). */
static int span_stat(dahdi_state_t *st, int span, struct dahdi_spaninfo *si) {
  if (span < 1 || span > DAHDI_MAX_SPANS) return -EINVAL;
  if (st->ctlfd < 0) {
    char path[256];
    snprintf(path, sizeof path, "%s/ctl", st->devroot);
    st->ctlfd = open(path, O_RDWR | O_CLOEXEC);
    if (st->ctlfd < 0) return -errno;
  }
  memset(si, 0, sizeof *si);
  si->spanno = span;
  return ioctl(st->ctlfd, DAHDI_SPANSTAT, si) < 0 ? -errno : 0;
}

static int op_span_alarms(void *drv, int span) {
  struct dahdi_spaninfo si;
  int r = span_stat(st_of(drv), span, &si);
  return r < 0 ? r : si.alarms;
}

static int op_span_counters(void *drv, int span, hl_span_counters_t *out) {
  struct dahdi_spaninfo si;
  int r = span_stat(st_of(drv), span, &si);
  if (r < 0) return r;
  out->bpv = (uint32_t)si.bpvcount; out->crc4 = (uint32_t)si.crc4count;
  out->ebit = (uint32_t)si.ebitcount; out->fas = (uint32_t)si.fascount;
  return 0;
}

static int op_conf_link(void *drv, int channo, int link, int peer) {
  int fd = fd_of(drv, channo);
  if (fd < 0) return fd;
  struct dahdi_confinfo ci;
  if (hl_dahdi_confinfo(link, peer, &ci) < 0) return -EINVAL;
  if (ioctl(fd, DAHDI_SETCONF, &ci) < 0) return errno == ENOTTY ? -ENOTSUP : -errno;
  return 0;
}

static void op_tick(void *drv, int64_t now_ms) { (void)drv; (void)now_ms; }

/* No respan ops: on a DAHDI card a span's signalling is its configuration in
 * system.conf (CAS or a dchan), applied by dahdi_cfg before the engine opens
 * the channels; the engine refuses a hot change (not_supported). */
static const hl_driver_ops_t dahdi_ops = {
  .name = "dahdi",
  .open = op_open,
  .close = op_close,
  .read_audio = op_read_audio,
  .write_audio = op_write_audio,
  .get_event = op_get_event,
  .hook = op_hook,
  .set_txbits = op_set_txbits,
  .get_rxbits = op_get_rxbits,
  .dial = op_dial,
  .set_cadence = op_set_cadence,
  .set_polarity = op_set_polarity,
  .onhook_transfer = op_onhook_transfer,
  .set_echocancel = op_set_echocancel,
  .span_alarms = op_span_alarms,
  .span_counters = op_span_counters,
  .conf_link = op_conf_link,
  .read_frame = op_read_frame,
  .write_frame = op_write_frame,
  .tick = op_tick,
};

static void free_state(dahdi_state_t *st, int nchans) {
  if (!st) return;
  if (st->ch)
    for (int i = 0; i < nchans; i++)
      if (st->ch[i].fd >= 0) close(st->ch[i].fd);
  if (st->ctlfd >= 0) close(st->ctlfd);
  free(st->ch);
  free(st->want_kind);
  free(st);
}

int hl_dahdi_driver_open(hl_driver_t *drv, const int *channos, const int *kinds, int n,
                         const char *devroot, char *err, size_t errlen) {
  seterr(err, errlen, "%s", "");
  if (!drv) return -EINVAL;
  memset(drv, 0, sizeof *drv);
  if (!channos || n <= 0 || n > DAHDI_MAX_CHANNELS) {
    seterr(err, errlen, "dahdi: %d channels requested (1..%d allowed)", n, DAHDI_MAX_CHANNELS);
    return -EINVAL;
  }
  if (!devroot || !*devroot) devroot = "/dev/dahdi";
  int maxchan = 0;
  for (int i = 0; i < n; i++) {
    if (channos[i] < 1 || channos[i] > DAHDI_MAX_CHANNELS) {
      seterr(err, errlen, "dahdi: channel number %d out of range 1..%d", channos[i], DAHDI_MAX_CHANNELS);
      return -EINVAL;
    }
    if (kinds && (kinds[i] < HL_KIND_NONE || kinds[i] > HL_KIND_E1_R2)) {
      seterr(err, errlen, "dahdi: channel %d: unknown kind %d", channos[i], kinds[i]);
      return -EINVAL;
    }
    if (channos[i] > maxchan) maxchan = channos[i];
  }

  dahdi_state_t *st = calloc(1, sizeof *st);
  hl_chan_info_t *chans = calloc((size_t)maxchan, sizeof *chans);
  if (st) {
    st->ctlfd = -1;
    st->ch = calloc((size_t)maxchan, sizeof *st->ch);
    st->want_kind = malloc((size_t)maxchan * sizeof *st->want_kind);
  }
  if (!st || !chans || !st->ch || !st->want_kind) {
    if (st && st->ch) for (int i = 0; i < maxchan; i++) st->ch[i].fd = -1;
    free_state(st, maxchan);
    free(chans);
    seterr(err, errlen, "dahdi: out of memory for %d channels", maxchan);
    return -ENOMEM;
  }
  if (strlen(devroot) >= sizeof st->devroot) {
    for (int i = 0; i < maxchan; i++) st->ch[i].fd = -1;
    free_state(st, maxchan);
    free(chans);
    seterr(err, errlen, "dahdi: device root path too long: %s", devroot);
    return -ENAMETOOLONG;
  }
  snprintf(st->devroot, sizeof st->devroot, "%s", devroot);
  for (int i = 0; i < maxchan; i++) { st->ch[i].fd = -1; st->want_kind[i] = -1; }

  int rc = 0, nspans = 0;
  for (int i = 0; i < n && rc == 0; i++) {
    int c = channos[i];
    if (st->want_kind[c - 1] >= 0) {
      seterr(err, errlen, "dahdi: channel %d listed twice", c);
      rc = -EINVAL;
    }
    st->want_kind[c - 1] = kinds ? kinds[i] : HL_KIND_NONE;
  }
  for (int i = 0; i < n && rc == 0; i++) {
    int c = channos[i];
    int fd = open_channel(st->devroot, c, st->want_kind[c - 1], &chans[c - 1], err, errlen);
    if (fd < 0) { rc = fd; break; }
    st->ch[c - 1].fd = fd;
    if (chans[c - 1].span > nspans) nspans = chans[c - 1].span;
  }
  if (rc < 0) {
    free_state(st, maxchan);
    free(chans);
    return rc;
  }
  st->nchans = maxchan;
  st->chans = chans;
  drv->ops = &dahdi_ops;
  drv->state = st;
  drv->nchans = maxchan;
  drv->chans = chans;
  drv->nspans = nspans;
  return 0;
}

void hl_dahdi_driver_close(hl_driver_t *drv) {
  if (!drv || drv->ops != &dahdi_ops) return;
  free_state(drv->state, drv->nchans);
  free(drv->chans);
  memset(drv, 0, sizeof *drv);
}
