/* The dahdi driver without hardware: code tables, text helpers, dial strings,
 * and the open path against a device root whose nodes are plain files and
 * FIFOs, where every DAHDI ioctl fails with ENOTTY. The driver must then name
 * the channel and the ioctl and keep no fd.
 *
 * Then a fake DAHDI device: the Makefile links this program with
 * -Wl,--wrap=open,--wrap=ioctl,--wrap=read,--wrap=write, so the driver's
 * calls land in the __wrap_* functions below. Paths under fake_root are
 * channels whose ioctls answer as DAHDI's do (the checks dahdi-base.c makes
 * on DAHDI_SETCONF included) and are logged, so the tests can check the
 * ioctl sequence the driver and the engine produce. */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <dahdi/user.h>
#include "t.h"
#include "hl/engine.h"
#include "../src/drv/dahdi.h"

/* ---- the fake device ---------------------------------------------------- */

#define FAKE_FDS 1024
#define FAKE_CHANS 32
#define LOG_MAX 8192

static char fake_root[256];
static int fake_sigtype[FAKE_CHANS + 1];       /* per channel number; 0: no such channel */
static struct { int fake, channo, law; struct dahdi_confinfo conf; } fk[FAKE_FDS];
static int fake_writes[FAKE_CHANS + 1];
static int fake_event[FAKE_CHANS + 1];         /* one pending event per channel, taken by GETEVENT */
static int fake_alarms;                        /* what SPANSTAT reports for span 1 */
static int fake_bpv, fake_crc4, fake_ebit, fake_fas;   /* span 1's line error counters */
/* HDLC-FCS channels: frames waiting to be read (whole, FCS included), the last
 * frame written, and whether the transmit buffers are all busy. */
#define FAKE_FRAMES 8
static struct { int n, len[FAKE_FRAMES]; uint8_t b[FAKE_FRAMES][HL_FRAME_MAX]; } fake_rx[FAKE_CHANS + 1];
static uint8_t fake_tx[HL_FRAME_MAX];
static int fake_tx_len, fake_tx_busy;
static struct dahdi_bufferinfo fake_bufinfo[FAKE_CHANS + 1];   /* as SET_BUFINFO left it */
/* Each logged call keeps its argument as text ("1000,4000", "taps=128", ...)
 * for the calls the seam ops make; SETCONF keeps the whole struct. */
typedef struct { int channo; unsigned long req; struct dahdi_confinfo conf; char arg[64]; } fake_call_t;
static fake_call_t fake_log[LOG_MAX];
static int fake_nlog;

int __real_open(const char *path, int flags, ...);
int __real_ioctl(int fd, unsigned long req, ...);
ssize_t __real_read(int fd, void *buf, size_t n);
ssize_t __real_write(int fd, const void *buf, size_t n);

static int is_fake(int fd) { return fd >= 0 && fd < FAKE_FDS && fk[fd].fake; }

/* The ioctls behind the seam's signalling ops, by name. */
static const struct { unsigned long req; const char *name; } fake_names[] = {
  { DAHDI_SETCADENCE, "SETCADENCE" }, { DAHDI_SETPOLARITY, "SETPOLARITY" },
  { DAHDI_ONHOOKTRANSFER, "ONHOOKTRANSFER" }, { DAHDI_ECHOCANCEL_PARAMS, "ECHOCANCEL_PARAMS" },
  { DAHDI_HOOK, "HOOK" }, { DAHDI_DIAL, "DIAL" }, { DAHDI_SPANSTAT, "SPANSTAT" }, { DAHDI_SETTXBITS, "SETTXBITS" },
};

static const char *fake_name(unsigned long req) {
  for (size_t i = 0; i < sizeof fake_names / sizeof fake_names[0]; i++) if (fake_names[i].req == req) return fake_names[i].name;
  return NULL;
}

static void fake_arg_text(unsigned long req, const void *arg, char *out, size_t cap) {
  out[0] = 0;
  if (req == DAHDI_SETCADENCE) {
    if (!arg) { snprintf(out, cap, "default"); return; }
    const struct dahdi_ring_cadence *c = arg;
    size_t n = 0;
    for (int i = 0; i < DAHDI_MAX_CADENCE && c->ringcadence[i] && n + 1 < cap; i++)
      n += (size_t)snprintf(out + n, cap - n, "%s%d", i ? "," : "", c->ringcadence[i]);
  } else if (req == DAHDI_SETPOLARITY || req == DAHDI_ONHOOKTRANSFER || req == DAHDI_HOOK || req == DAHDI_SETTXBITS) {
    snprintf(out, cap, "%d", *(const int *)arg);
  } else if (req == DAHDI_ECHOCANCEL_PARAMS) {
    const struct dahdi_echocanparams *p = arg;
    snprintf(out, cap, "taps=%u,params=%u", p->tap_length, p->param_count);
  } else if (req == DAHDI_DIAL) {
    const struct dahdi_dialoperation *d = arg;
    snprintf(out, cap, "%s%s", d->op == DAHDI_DIAL_OP_REPLACE ? "replace:" : "?:", d->dialstr);
  } else if (req == DAHDI_SPANSTAT) {
    snprintf(out, cap, "span=%d", ((const struct dahdi_spaninfo *)arg)->spanno);
  }
}

int __wrap_open(const char *path, int flags, ...) {
  int mode = 0;
  if (flags & O_CREAT) { va_list ap; va_start(ap, flags); mode = va_arg(ap, int); va_end(ap); }
  int under = fake_root[0] && !strncmp(path, fake_root, strlen(fake_root));
  int fd = under ? __real_open("/dev/null", O_RDWR | (flags & O_CLOEXEC)) : __real_open(path, flags, mode);
  if (fd >= 0 && fd < FAKE_FDS) { memset(&fk[fd], 0, sizeof fk[fd]); fk[fd].fake = under; }
  return fd;
}

static int fail_with(int e) { errno = e; return -1; }

int __wrap_ioctl(int fd, unsigned long req, ...) {
  va_list ap;
  va_start(ap, req);
  void *arg = va_arg(ap, void *);
  va_end(ap);
  if (!is_fake(fd)) return __real_ioctl(fd, req, arg);
  if (fake_nlog < LOG_MAX) {
    fake_log[fake_nlog].channo = fk[fd].channo;
    fake_log[fake_nlog].req = req;
    if (req == DAHDI_SETCONF) fake_log[fake_nlog].conf = *(struct dahdi_confinfo *)arg;
    fake_arg_text(req, arg, fake_log[fake_nlog].arg, sizeof fake_log[fake_nlog].arg);
    fake_nlog++;
  }
  int ch = fk[fd].channo;
  switch (req) {
  case DAHDI_SPECIFY: {
    int c = *(int *)arg;
    if (c < 1 || c > FAKE_CHANS || !fake_sigtype[c]) return fail_with(ENXIO);
    fk[fd].channo = c;
    fk[fd].law = DAHDI_LAW_MULAW;                 /* dahdi_dynamic's default, until SETLAW */
    return 0;
  }
  case DAHDI_GET_PARAMS: {
    struct dahdi_params *p = arg;
    memset(p, 0, sizeof *p);
    p->channo = ch; p->spanno = 1; p->chanpos = ch;
    p->sigtype = fake_sigtype[ch];
    p->curlaw = fk[fd].law;
    snprintf(p->name, sizeof p->name, "FAKE/1/%d", ch);
    return 0;
  }
  case DAHDI_GET_BUFINFO: {
    struct dahdi_bufferinfo *b = arg;
    memset(b, 0, sizeof *b);
    b->bufsize = 1024; b->numbufs = 2;
    return 0;
  }
  case DAHDI_SET_BUFINFO: fake_bufinfo[ch] = *(struct dahdi_bufferinfo *)arg; return 0;
  case DAHDI_SETLAW: fk[fd].law = *(int *)arg; return 0;
  case DAHDI_GETEVENT: *(int *)arg = fake_event[ch]; fake_event[ch] = 0; return 0;
  case DAHDI_SPANSTAT: {
    struct dahdi_spaninfo *si = arg;
    if (si->spanno != 1) return fail_with(EINVAL);
    si->alarms = fake_alarms;
    si->bpvcount = fake_bpv; si->crc4count = fake_crc4; si->ebitcount = fake_ebit; si->fascount = fake_fas;
    return 0;
  }
  case DAHDI_HOOK: {
    /* A non-blocking fd: ring, wink and flash run on in the kernel. */
    int op = *(int *)arg;
    if (op < DAHDI_ONHOOK || op > DAHDI_RINGOFF) return fail_with(EINVAL);
    return op == DAHDI_RING || op == DAHDI_WINK || op == DAHDI_FLASH ? fail_with(EINPROGRESS) : 0;
  }
  case DAHDI_SETCONF: {
    /* The checks dahdi_ioctl_setconf makes. */
    struct dahdi_confinfo *c = arg;
    int mode = c->confmode & DAHDI_CONF_MODE_MASK;
    if (mode == DAHDI_CONF_DIGITALMON || (mode >= DAHDI_CONF_MONITOR && mode <= DAHDI_CONF_MONITORBOTH)) {
      if (c->confno < 1 || c->confno > FAKE_CHANS || !fake_sigtype[c->confno]) return fail_with(EINVAL);
    } else if (c->confno < -1 || c->confno > DAHDI_MAX_CONF) {
      return fail_with(EINVAL);
    }
    if ((!c->confno && c->confmode) || (!c->confmode && c->confno)) return fail_with(EINVAL);
    fk[fd].conf = *c;
    c->chan = ch;
    return 0;
  }
  default:
    return 0;
  }
}

static int fake_is_hdlc(int ch) { return ch >= 1 && ch <= FAKE_CHANS && fake_sigtype[ch] == DAHDI_SIG_HDLCFCS; }

ssize_t __wrap_read(int fd, void *buf, size_t n) {
  if (!is_fake(fd)) return __real_read(fd, buf, n);
  int ch = fk[fd].channo;
  if (fake_is_hdlc(ch)) {
    /* dahdi_chan_read on a D-channel: a waiting event first (ELAST), then one
     * whole frame per read (cut to the caller's size), else EAGAIN. */
    if (fake_event[ch]) { errno = ELAST; return -1; }
    if (!fake_rx[ch].n) { errno = EAGAIN; return -1; }
    size_t len = (size_t)fake_rx[ch].len[0];
    if (len > n) len = n;
    memcpy(buf, fake_rx[ch].b[0], len);
    fake_rx[ch].n--;
    memmove(fake_rx[ch].len, fake_rx[ch].len + 1, sizeof fake_rx[ch].len[0] * (size_t)fake_rx[ch].n);
    memmove(fake_rx[ch].b, fake_rx[ch].b + 1, sizeof fake_rx[ch].b[0] * (size_t)fake_rx[ch].n);
    return (ssize_t)len;
  }
  memset(buf, fk[fd].law == DAHDI_LAW_ALAW ? 0xD5 : 0xFF, n);   /* a block of silence */
  return (ssize_t)n;
}

ssize_t __wrap_write(int fd, const void *buf, size_t n) {
  if (!is_fake(fd)) return __real_write(fd, buf, n);
  int ch = fk[fd].channo;
  if (fake_is_hdlc(ch)) {
    if (fake_event[ch]) { errno = ELAST; return -1; }
    if (fake_tx_busy) { errno = EAGAIN; return -1; }
    fake_tx_len = (int)(n < sizeof fake_tx ? n : sizeof fake_tx);
    memcpy(fake_tx, buf, (size_t)fake_tx_len);
  }
  if (fk[fd].channo >= 1 && fk[fd].channo <= FAKE_CHANS) fake_writes[fk[fd].channo]++;
  return (ssize_t)n;
}

/* A fresh fake device: channels 1..n with the given signalling. */
static void fake_reset(const int *sig, int n) {
  snprintf(fake_root, sizeof fake_root, "/fake-dahdi-%d", (int)getpid());
  memset(fake_sigtype, 0, sizeof fake_sigtype);
  for (int i = 0; i < n && i < FAKE_CHANS; i++) fake_sigtype[i + 1] = sig[i];
  memset(fake_writes, 0, sizeof fake_writes);
  memset(fake_event, 0, sizeof fake_event);
  fake_alarms = 0;
  fake_nlog = 0;
  memset(fake_rx, 0, sizeof fake_rx);
  memset(fake_bufinfo, 0, sizeof fake_bufinfo);
  fake_tx_len = fake_tx_busy = 0;
}

/* The signalling ioctls logged since index `from`, as "ch:NAME(arg) ..."
 * (ch 0 is the ctl device). */
static void sig_calls(int from, char *out, size_t cap) {
  size_t n = 0;
  out[0] = 0;
  for (int i = from; i < fake_nlog && n + 1 < cap; i++) {
    const char *name = fake_name(fake_log[i].req);
    if (!name) continue;
    int w = snprintf(out + n, cap - n, "%s%d:%s(%s)", n ? " " : "", fake_log[i].channo, name, fake_log[i].arg);
    if (w < 0 || (size_t)w >= cap - n) break;
    n += (size_t)w;
  }
}

/* The SETCONF calls logged since index `from`, as "ch:mode/confno ..." */
static void setconf_calls(int from, char *out, size_t cap) {
  size_t n = 0;
  out[0] = 0;
  for (int i = from; i < fake_nlog && n + 1 < cap; i++) {
    if (fake_log[i].req != DAHDI_SETCONF) continue;
    int w = snprintf(out + n, cap - n, "%s%d:%d/%d", n ? " " : "", fake_log[i].channo,
                     fake_log[i].conf.confmode, fake_log[i].conf.confno);
    if (w < 0 || (size_t)w >= cap - n) break;
    n += (size_t)w;
  }
}

static int count_fds(void) {
  DIR *d = opendir("/proc/self/fd");
  int n = 0;
  if (!d) return -1;
  while (readdir(d)) n++;
  closedir(d);
  return n;
}

static int zeroed(const hl_driver_t *d) {
  return !d->ops && !d->state && !d->chans && d->nchans == 0 && d->nspans == 0;
}

static void test_codes_match_dahdi(void) {
  /* The _Static_asserts in the driver fail the build; these keep the test honest
   * if someone removes them. */
  CHECK(HL_EV_RINGOFFHOOK == DAHDI_EVENT_RINGOFFHOOK, "RINGOFFHOOK code");
  CHECK(HL_EV_RINGBEGIN == DAHDI_EVENT_RINGBEGIN, "RINGBEGIN code");
  CHECK(HL_EV_PULSEDIGIT == DAHDI_EVENT_PULSEDIGIT, "PULSEDIGIT flag");
  CHECK(HL_ALARM_LFA == DAHDI_ALARM_LFA, "LFA alarm bit");
  CHECK(HL_RINGOFF == DAHDI_RINGOFF, "RINGOFF hook op");
}

static void test_event_names(void) {
  CHECK(!strcmp(hl_dahdi_event_name(DAHDI_EVENT_RINGOFFHOOK), "RINGOFFHOOK"), "got %s",
        hl_dahdi_event_name(DAHDI_EVENT_RINGOFFHOOK));
  CHECK(!strcmp(hl_dahdi_event_name(DAHDI_EVENT_WRITE_UNDERRUN), "WRITE_UNDERRUN"), "last table entry");
  CHECK(!strcmp(hl_dahdi_event_name(DAHDI_EVENT_PULSEDIGIT | '5'), "PULSEDIGIT"), "pulse digit keeps flag name");
  CHECK(!strcmp(hl_dahdi_event_name(DAHDI_EVENT_DTMFUP | '#'), "DTMFUP"), "dtmf up");
  CHECK(!strcmp(hl_dahdi_event_name(31), "UNKNOWN"), "31 is not a DAHDI event");
  CHECK(!strcmp(hl_dahdi_event_name(-3), "UNKNOWN"), "negative is unknown");
}

static void test_alarm_text(void) {
  char buf[64];
  int n = hl_dahdi_alarm_text(DAHDI_ALARM_RED | DAHDI_ALARM_LOS, buf, sizeof buf);
  CHECK(n == 7 && !strcmp(buf, "RED,LOS"), "expected RED,LOS (7), got %s (%d)", buf, n);
  n = hl_dahdi_alarm_text(0, buf, sizeof buf);
  CHECK(n == 0 && buf[0] == '\0', "no alarms is empty, got '%s' (%d)", buf, n);
  n = hl_dahdi_alarm_text(DAHDI_ALARM_YELLOW | DAHDI_ALARM_BLUE | DAHDI_ALARM_LFA | DAHDI_ALARM_NOTOPEN, buf, sizeof buf);
  CHECK(!strcmp(buf, "YELLOW,BLUE,LFA,NOTOPEN"), "got %s", buf);
  char small[6];
  n = hl_dahdi_alarm_text(DAHDI_ALARM_RED | DAHDI_ALARM_YELLOW, small, sizeof small);
  CHECK(n == -ENOSPC && strlen(small) < sizeof small, "truncation reported, got %d '%s'", n, small);
  CHECK(hl_dahdi_alarm_text(DAHDI_ALARM_RED, NULL, 0) == -ENOSPC, "no buffer");
}

static void test_sig_kind(void) {
  /* DAHDI names signalling after the far end: FXS signalling = our FXO port. */
  CHECK(hl_dahdi_sig_kind(DAHDI_SIG_FXSKS) == HL_KIND_FXO, "FXSKS is our FXO");
  CHECK(hl_dahdi_sig_kind(DAHDI_SIG_FXSLS) == HL_KIND_FXO, "FXSLS is our FXO");
  CHECK(hl_dahdi_sig_kind(DAHDI_SIG_FXOKS) == HL_KIND_FXS, "FXOKS is our FXS");
  CHECK(hl_dahdi_sig_kind(DAHDI_SIG_FXOGS) == HL_KIND_FXS, "FXOGS is our FXS");
  CHECK(hl_dahdi_sig_kind(DAHDI_SIG_CAS) == HL_KIND_E1, "CAS is E1");
  CHECK(hl_dahdi_sig_kind(DAHDI_SIG_CLEAR) == HL_KIND_E1, "CLEAR bearer is E1");
  CHECK(hl_dahdi_sig_kind(DAHDI_SIG_HDLCFCS) == HL_KIND_DCHAN, "HDLCFCS is a D-channel");
  CHECK(hl_dahdi_sig_kind(DAHDI_SIG_HDLCRAW) == HL_KIND_DCHAN, "HDLCRAW is a D-channel");
  CHECK(hl_dahdi_sig_kind(DAHDI_SIG_HARDHDLC) == HL_KIND_DCHAN, "HARDHDLC is a D-channel");
  CHECK(hl_dahdi_sig_kind(DAHDI_SIG_MTP2) == HL_KIND_DCHAN, "MTP2 is a D-channel");
  CHECK(hl_dahdi_sig_kind(DAHDI_SIG_NONE) == HL_KIND_NONE, "unconfigured");
  CHECK(hl_dahdi_sig_kind(DAHDI_SIG_DACS) == HL_KIND_NONE, "DACS is not ours");
  CHECK(!strcmp(hl_dahdi_sig_name(DAHDI_SIG_FXOKS), "FXOKS"), "proc name");
  CHECK(!strcmp(hl_dahdi_sig_name(DAHDI_SIG_HARDHDLC), "Hardware-assisted HDLC"), "proc name hardhdlc");
}

static void test_dial(void) {
  char out[32];
  int n = hl_dahdi_dial_build('T', "8001*#", out, sizeof out);
  CHECK(n == 7 && !strcmp(out, "T8001*#"), "got %s (%d)", out, n);
  n = hl_dahdi_dial_build('P', "0571", out, sizeof out);
  CHECK(n == 5 && !strcmp(out, "P0571"), "got %s (%d)", out, n);
  CHECK(hl_dahdi_dial_build('P', "12#", out, sizeof out) == -EINVAL, "# cannot be pulsed");
  CHECK(hl_dahdi_dial_build('T', "12x", out, sizeof out) == -EINVAL, "x is not a digit");
  CHECK(hl_dahdi_dial_build('X', "12", out, sizeof out) == -EINVAL, "X is not a mode");
  CHECK(hl_dahdi_dial_build('T', "123456", out, 5) == -ENOSPC, "buffer too small");
  CHECK(hl_dahdi_dial_check("T12W3") == 0, "W pauses");
  CHECK(hl_dahdi_dial_check("P9WT123#") == 0, "mode switch mid-string");
  CHECK(hl_dahdi_dial_check("O1F") == 0, "R2 forward 1..F");
  CHECK(hl_dahdi_dial_check("O0") == -EINVAL, "R2 has no signal 0");
  CHECK(hl_dahdi_dial_check("123") == -EINVAL, "mode letter required");
  CHECK(hl_dahdi_dial_check("") == -EINVAL, "empty");
  CHECK(hl_dahdi_dial_check(NULL) == -EINVAL, "null");
  char longstr[DAHDI_MAX_DTMF_BUF + 2];
  longstr[0] = 'T';
  memset(longstr + 1, '1', DAHDI_MAX_DTMF_BUF);
  longstr[DAHDI_MAX_DTMF_BUF + 1] = '\0';
  CHECK(hl_dahdi_dial_check(longstr) == -EINVAL, "longer than the kernel buffer");
}

/* A device root where channel/ctl exist but are not DAHDI devices. */
static void test_open_not_dahdi(int fifo) {
  char root[] = "/tmp/hl-dahdi-XXXXXX", path[300], err[256];
  if (!mkdtemp(root)) { CHECK(0, "mkdtemp: %s", strerror(errno)); return; }
  snprintf(path, sizeof path, "%s/channel", root);
  if (fifo) CHECK(mkfifo(path, 0600) == 0, "mkfifo channel");
  else { int fd = open(path, O_CREAT | O_WRONLY, 0600); CHECK(fd >= 0, "create channel"); close(fd); }
  char ctl[300];
  snprintf(ctl, sizeof ctl, "%s/ctl", root);
  CHECK(mkfifo(ctl, 0600) == 0, "mkfifo ctl");

  int before = count_fds();
  hl_driver_t drv;
  memset(&drv, 0xA5, sizeof drv);
  int chans[] = { 3, 1, 2 };
  int kinds[] = { HL_KIND_FXO, HL_KIND_FXS, HL_KIND_NONE };
  int rc = hl_dahdi_driver_open(&drv, chans, kinds, 3, root, err, sizeof err);
  CHECK(rc == -ENOTTY, "%s: expected -ENOTTY, got %d (%s)", fifo ? "fifo" : "file", rc, err);
  CHECK(strstr(err, "channel 3") != NULL, "error names the channel: %s", err);
  CHECK(strstr(err, "DAHDI_SPECIFY") != NULL, "error names the ioctl: %s", err);
  CHECK(strstr(err, root) != NULL, "error names the device: %s", err);
  CHECK(zeroed(&drv), "driver zeroed after a failed open");
  CHECK(count_fds() == before, "no fd leaked: %d before, %d after", before, count_fds());

  /* Many channels, repeatedly: a leak of one fd per attempt would show. */
  int many[64];
  for (int i = 0; i < 64; i++) many[i] = i + 1;
  for (int k = 0; k < 20; k++) hl_dahdi_driver_open(&drv, many, NULL, 64, root, err, sizeof err);
  CHECK(count_fds() == before, "no fd leaked after 20 failed opens: %d vs %d", count_fds(), before);

  hl_dahdi_driver_close(&drv);   /* closing a zeroed driver is harmless */
  unlink(path);
  unlink(ctl);
  rmdir(root);
}

static void test_open_bad_args(void) {
  char err[256];
  hl_driver_t drv;
  int before = count_fds();

  int rc = hl_dahdi_driver_open(&drv, (int[]){ 1 }, NULL, 1, "/nonexistent/hl-dahdi", err, sizeof err);
  CHECK(rc == -ENOENT, "missing devroot: got %d (%s)", rc, err);
  CHECK(strstr(err, "/nonexistent/hl-dahdi/channel") && strstr(err, "channel 1"), "names path: %s", err);

  rc = hl_dahdi_driver_open(&drv, (int[]){ 1 }, NULL, 0, "/dev/dahdi", err, sizeof err);
  CHECK(rc == -EINVAL && strstr(err, "0 channels"), "no channels: %d %s", rc, err);
  rc = hl_dahdi_driver_open(&drv, (int[]){ 0 }, NULL, 1, "/dev/dahdi", err, sizeof err);
  CHECK(rc == -EINVAL && strstr(err, "out of range"), "channel 0: %d %s", rc, err);
  rc = hl_dahdi_driver_open(&drv, (int[]){ 5000 }, NULL, 1, "/dev/dahdi", err, sizeof err);
  CHECK(rc == -EINVAL && strstr(err, "5000"), "channel 5000: %d %s", rc, err);
  rc = hl_dahdi_driver_open(&drv, (int[]){ 1 }, (int[]){ 9 }, 1, "/dev/dahdi", err, sizeof err);
  CHECK(rc == -EINVAL && strstr(err, "unknown kind 9"), "kind 9: %d %s", rc, err);
  rc = hl_dahdi_driver_open(&drv, (int[]){ 4, 2, 4 }, NULL, 3, "/nonexistent/hl-dahdi", err, sizeof err);
  CHECK(rc == -EINVAL && strstr(err, "channel 4 listed twice"), "duplicate found before any open: %d %s", rc, err);
  CHECK(hl_dahdi_driver_open(NULL, (int[]){ 1 }, NULL, 1, NULL, NULL, 0) == -EINVAL, "null driver");
  /* err may be NULL or tiny: still no crash, still the right code. */
  rc = hl_dahdi_driver_open(&drv, (int[]){ 1 }, NULL, 1, "/nonexistent/hl-dahdi", err, 8);
  CHECK(rc == -ENOENT && strlen(err) == 7, "tiny err buffer truncates: '%s'", err);
  CHECK(count_fds() == before, "no fd leaked on argument errors");
}

/* ---- against the fake device ------------------------------------------ */

static void test_confinfo(void) {
  struct dahdi_confinfo ci;
  CHECK(hl_dahdi_confinfo(HL_LINK_BRIDGE, 7, &ci) == 0 && ci.chan == 0 && ci.confno == 7 &&
        ci.confmode == DAHDI_CONF_DIGITALMON, "bridge half: DIGITALMON of the peer, got %d/%d/%d", ci.chan, ci.confmode, ci.confno);
  CHECK(hl_dahdi_confinfo(HL_LINK_LISTEN, 12, &ci) == 0 && ci.chan == 0 && ci.confno == 12 &&
        ci.confmode == DAHDI_CONF_MONITORBOTH, "listen: MONITORBOTH of the target, got %d/%d/%d", ci.chan, ci.confmode, ci.confno);
  ci.confno = 99; ci.confmode = 99;
  CHECK(hl_dahdi_confinfo(HL_LINK_NONE, 5, &ci) == 0 && ci.chan == 0 && ci.confno == 0 && ci.confmode == 0,
        "unlink: mode 0 on conference 0, got %d/%d", ci.confmode, ci.confno);
  CHECK(hl_dahdi_confinfo(HL_LINK_BRIDGE, 0, &ci) == -EINVAL, "peer 0 refused");
  CHECK(hl_dahdi_confinfo(HL_LINK_LISTEN, DAHDI_MAX_CHANNELS + 1, &ci) == -EINVAL, "peer beyond DAHDI_MAX_CHANNELS refused");
  CHECK(hl_dahdi_confinfo(9, 1, &ci) == -EINVAL, "unknown link refused");
  CHECK(hl_dahdi_confinfo(HL_LINK_BRIDGE, 1, NULL) == -EINVAL, "no output refused");
}

static const int sigs4[] = { DAHDI_SIG_FXSKS, DAHDI_SIG_FXSKS, DAHDI_SIG_FXOKS, DAHDI_SIG_FXOKS };

static void test_fake_open_and_link(void) {
  fake_reset(sigs4, 4);
  char err[256], seq[512];
  hl_driver_t drv;
  int chans[] = { 1, 3 };
  int rc = hl_dahdi_driver_open(&drv, chans, (int[]){ HL_KIND_FXO, HL_KIND_FXS }, 2, fake_root, err, sizeof err);
  CHECK(rc == 0, "fake device opens: %d %s", rc, err);
  if (rc) return;
  /* chan_dahdi's order, less the buffers-first: parameters decide D-channel or voice. */
  static const unsigned long want[] = { DAHDI_SPECIFY, DAHDI_GET_PARAMS, DAHDI_SET_BLOCKSIZE, DAHDI_GET_BUFINFO,
                                        DAHDI_SET_BUFINFO, DAHDI_SETLAW, DAHDI_GET_PARAMS };
  int ok = fake_nlog >= 7;
  for (int i = 0; ok && i < 7; i++) ok = fake_log[i].req == want[i];
  CHECK(ok, "channel 1 opened with SPECIFY, GET_PARAMS, SET_BLOCKSIZE, GET_BUFINFO, SET_BUFINFO, SETLAW, GET_PARAMS (%d calls)", fake_nlog);
  CHECK(drv.nchans == 3 && drv.chans[0].kind == HL_KIND_FXO && drv.chans[2].kind == HL_KIND_FXS && drv.chans[1].kind == HL_KIND_NONE,
        "kinds: 1 FXO, 2 not opened, 3 FXS");
  CHECK(drv.chans[0].law == HL_LAW_ALAW && !strcmp(drv.chans[2].name, "FAKE/1/3"), "A-law set, name from the kernel: %s", drv.chans[2].name);
  int from = fake_nlog;
  const hl_driver_ops_t *o = drv.ops;
  CHECK(o->conf_link != NULL, "the dahdi driver can link channels in the kernel");
  CHECK(o->conf_link(drv.state, 1, HL_LINK_BRIDGE, 3) == 0, "bridge half 1 <- 3");
  CHECK(o->conf_link(drv.state, 3, HL_LINK_LISTEN, 1) == 0, "3 listens to 1");
  CHECK(o->conf_link(drv.state, 1, HL_LINK_NONE, 0) == 0, "unlink 1");
  CHECK(o->conf_link(drv.state, 2, HL_LINK_BRIDGE, 1) == -ENOENT, "a channel not opened cannot link");
  CHECK(o->conf_link(drv.state, 1, HL_LINK_BRIDGE, 9) == -EINVAL, "the kernel refuses a peer that does not exist");
  setconf_calls(from, seq, sizeof seq);
  char want_seq[128];
  snprintf(want_seq, sizeof want_seq, "1:%d/3 3:%d/1 1:0/0 1:%d/9", DAHDI_CONF_DIGITALMON, DAHDI_CONF_MONITORBOTH, DAHDI_CONF_DIGITALMON);
  CHECK(!strcmp(seq, want_seq), "SETCONF sequence: want %s, got %s", want_seq, seq);
  CHECK(o->read_audio(drv.state, 1, (uint8_t[160]){ 0 }, 160) == 160 && o->write_audio(drv.state, 3, (uint8_t[160]){ 0 }, 160) == 160,
        "audio moves on the fake channels");
  hl_dahdi_driver_close(&drv);
}

/* The engine on the dahdi driver: a plain bridge and a listen tap are mixed
 * by the kernel (SETCONF, no writes for those channels); a tone on a bridged
 * channel brings its transmit back to the engine for as long as it plays. */
static void test_engine_kernel_links(void) {
  fake_reset(sigs4, 4);
  char err[256], seq[512], want[256];
  hl_driver_t drv;
  int chans[] = { 1, 2, 3, 4 };
  if (hl_dahdi_driver_open(&drv, chans, NULL, 4, fake_root, err, sizeof err) != 0) { CHECK(0, "open: %s", err); return; }
  hl_engine_config_t cfg;
  memset(&cfg, 0, sizeof cfg);
  strcpy(cfg.zone, "cn");
  hl_engine_t *e = hl_engine_new(&drv, &cfg, err, sizeof err);
  CHECK(e != NULL, "engine on the dahdi driver: %s", err);
  if (!e) { hl_dahdi_driver_close(&drv); return; }
  hl_cmd_t c;
  hl_event_t ev[64];
#define STEP(n) do { for (int k_ = 0; k_ < (n); k_++) { hl_engine_step(e); while (hl_engine_drain(e, ev, 64) > 0) {} hl_engine_collect(e); } } while (0)
  STEP(2);
  /* Calls first (media needs one): the exchange rings 1 and 2, the phone on 4
   * goes off-hook; all three answered. */
  fake_event[1] = fake_event[2] = DAHDI_EVENT_RINGBEGIN;
  fake_event[4] = DAHDI_EVENT_RINGOFFHOOK;
  STEP(1);
  for (int ch = 1; ch <= 4; ch += ch == 2 ? 2 : 1) {
    memset(&c, 0, sizeof c); c.op = HL_OP_ANSWER; c.chan = ch;
    hl_engine_submit(e, &c);
  }
  STEP(2);
  hl_chan_state_t st[4];
  CHECK(hl_engine_snapshot(e, st, 4) == 4 && st[0].state == HL_ST_UP && st[1].state == HL_ST_UP && st[3].state == HL_ST_UP,
        "1, 2 and 4 in calls: states %d %d %d", st[0].state, st[1].state, st[3].state);
  int from = fake_nlog;
  memset(&c, 0, sizeof c); c.op = HL_OP_BRIDGE; c.chan = 1; c.chan2 = 2;
  hl_engine_submit(e, &c);
  STEP(1);
  setconf_calls(from, seq, sizeof seq);
  snprintf(want, sizeof want, "1:%d/2 2:%d/1", DAHDI_CONF_DIGITALMON, DAHDI_CONF_DIGITALMON);
  CHECK(!strcmp(seq, want), "bridge 1-2 linked in the kernel: want %s, got %s", want, seq);
  int w1 = fake_writes[1], w2 = fake_writes[2], w3 = fake_writes[3];
  STEP(10);
  CHECK(fake_writes[1] == w1 && fake_writes[2] == w2, "no writes for the kernel-bridged pair (%d, %d more)", fake_writes[1] - w1, fake_writes[2] - w2);
  CHECK(fake_writes[3] - w3 == 10, "an unlinked channel is written every tick (%d)", fake_writes[3] - w3);

  /* A tone on 1: its transmit is the engine's again; 2 stays linked. */
  from = fake_nlog;
  memset(&c, 0, sizeof c); c.op = HL_OP_TONE; c.chan = 1; c.i1 = 1;   /* busy */
  hl_engine_submit(e, &c);
  STEP(5);
  setconf_calls(from, seq, sizeof seq);
  CHECK(!strcmp(seq, "1:0/0"), "tone on 1 unlinks 1 only: got %s", seq);
  CHECK(fake_writes[1] - w1 == 5 && fake_writes[2] == w2, "1 written again while its tone plays (%d), 2 not (%d)",
        fake_writes[1] - w1, fake_writes[2] - w2);
  from = fake_nlog;
  memset(&c, 0, sizeof c); c.op = HL_OP_STOP_TONE; c.chan = 1;
  hl_engine_submit(e, &c);
  STEP(1);
  setconf_calls(from, seq, sizeof seq);
  snprintf(want, sizeof want, "1:%d/2", DAHDI_CONF_DIGITALMON);
  CHECK(!strcmp(seq, want), "tone stopped: 1 relinked, got %s", seq);

  /* 4 listens to 1; a whisper instead needs the engine on 1 (it hears the supervisor). */
  from = fake_nlog;
  memset(&c, 0, sizeof c); c.op = HL_OP_TAP; c.chan = 4; c.chan2 = 1; c.i1 = HL_TAP_LISTEN;
  hl_engine_submit(e, &c);
  STEP(1);
  setconf_calls(from, seq, sizeof seq);
  snprintf(want, sizeof want, "4:%d/1", DAHDI_CONF_MONITORBOTH);
  CHECK(!strcmp(seq, want), "listen tap in the kernel: want %s, got %s", want, seq);
  from = fake_nlog;
  memset(&c, 0, sizeof c); c.op = HL_OP_TAP; c.chan = 4; c.chan2 = 1; c.i1 = HL_TAP_WHISPER;
  hl_engine_submit(e, &c);
  STEP(1);
  setconf_calls(from, seq, sizeof seq);
  CHECK(!strcmp(seq, "1:0/0 4:0/0"), "whisper: 1 (hearing the supervisor) and 4 (whose own voice is in 1's transmit) "
        "mixed by the engine, got %s", seq);

  from = fake_nlog;
  memset(&c, 0, sizeof c); c.op = HL_OP_TAP; c.chan = 4; c.chan2 = 1; c.i1 = HL_TAP_BARGE;
  hl_engine_submit(e, &c);
  STEP(1);
  setconf_calls(from, seq, sizeof seq);
  CHECK(!strcmp(seq, "2:0/0"), "barge: the caller on 2 hears the supervisor too, so 2 is mixed by the engine, got %s", seq);

  from = fake_nlog;
  memset(&c, 0, sizeof c); c.op = HL_OP_UNTAP; c.chan = 4;
  hl_engine_submit(e, &c);
  STEP(1);
  setconf_calls(from, seq, sizeof seq);
  snprintf(want, sizeof want, "1:%d/2 2:%d/1", DAHDI_CONF_DIGITALMON, DAHDI_CONF_DIGITALMON);
  CHECK(!strcmp(seq, want), "supervisor gone: the pair is back in the kernel, want %s, got %s", want, seq);
  from = fake_nlog;
  memset(&c, 0, sizeof c); c.op = HL_OP_UNBRIDGE; c.chan = 1;
  hl_engine_submit(e, &c);
  STEP(1);
  setconf_calls(from, seq, sizeof seq);
  CHECK(!strcmp(seq, "1:0/0 2:0/0"), "unbridge clears both links: got %s", seq);
  w1 = fake_writes[1]; w2 = fake_writes[2];
  STEP(3);
  CHECK(fake_writes[1] - w1 == 3 && fake_writes[2] - w2 == 3, "both written by the engine again");
#undef STEP
  hl_engine_free(e);
  hl_dahdi_driver_close(&drv);
}

/* Each signalling op of the seam is one ioctl with the argument DAHDI wants;
 * a bad argument is refused before any ioctl. */
static void test_fake_signalling_ioctls(void) {
  fake_reset(sigs4, 4);
  char err[256], seq[1024], want[1024];
  hl_driver_t drv;
  if (hl_dahdi_driver_open(&drv, (int[]){ 1, 3 }, NULL, 2, fake_root, err, sizeof err) != 0) { CHECK(0, "open: %s", err); return; }
  const hl_driver_ops_t *o = drv.ops;
  void *d = drv.state;
  int from = fake_nlog;
  CHECK(o->set_cadence(d, 3, (int[]){ 1000, 4000 }, 2) == 0, "cadence 1000/4000");
  CHECK(o->set_cadence(d, 3, (int[]){ -400, 200, 400, 2000 }, 4) == 0, "a negative on-time marks the loop start");
  CHECK(o->set_cadence(d, 3, NULL, 0) == 0, "back to the zone's cadence");
  CHECK(o->set_cadence(d, 3, (int[]){ 1000, 0 }, 2) == -EINVAL, "a zero would end the cadence early: refused");
  CHECK(o->set_cadence(d, 3, (int[]){ 1000, -4000 }, 2) == -EINVAL, "a negative off-time: refused");
  CHECK(o->set_polarity(d, 3, 1) == 0 && o->set_polarity(d, 3, 7) == 0 && o->set_polarity(d, 3, 0) == 0, "polarity reversed, reversed, normal");
  CHECK(o->onhook_transfer(d, 3, 884) == 0, "on-hook transfer for 884 ms");
  CHECK(o->onhook_transfer(d, 3, -1) == -EINVAL, "negative on-hook transfer refused");
  CHECK(o->set_echocancel(d, 1, 128) == 0 && o->set_echocancel(d, 1, 0) == 0, "echo canceller 128 taps, then off");
  CHECK(o->set_echocancel(d, 1, 2048) == -EINVAL, "more than 128 ms of taps refused");
  CHECK(o->hook(d, 1, HL_OFFHOOK) == 0 && o->hook(d, 1, HL_FLASH) == 0 && o->hook(d, 1, HL_ONHOOK) == 0,
        "FXO off-hook, flash (EINPROGRESS is success), on-hook");
  CHECK(o->hook(d, 3, HL_RING) == 0 && o->hook(d, 3, HL_RINGOFF) == 0, "FXS ring (EINPROGRESS), ring off");
  CHECK(o->hook(d, 3, 9) == -EINVAL, "unknown hook op refused");
  CHECK(o->dial(d, 1, "P0571") == 0 && o->dial(d, 1, "T8001*#") == 0, "pulse and DTMF dial strings");
  CHECK(o->dial(d, 1, "0571") == -EINVAL, "a dial string without mode refused");
  CHECK(o->span_alarms(d, 1) == 0, "span 1 clear");
  fake_alarms = DAHDI_ALARM_RED | DAHDI_ALARM_LOS;
  CHECK(o->span_alarms(d, 1) == (HL_ALARM_RED | HL_ALARM_LOS), "span 1 red with LOS");
  CHECK(o->span_alarms(d, 2) == -EINVAL, "a span the kernel does not know");
  CHECK(o->hook(d, 2, HL_OFFHOOK) == -ENOENT, "a channel not opened issues nothing");
  sig_calls(from, seq, sizeof seq);
  snprintf(want, sizeof want,
           "3:SETCADENCE(1000,4000) 3:SETCADENCE(-400,200,400,2000) 3:SETCADENCE(default) "
           "3:SETPOLARITY(1) 3:SETPOLARITY(1) 3:SETPOLARITY(0) 3:ONHOOKTRANSFER(884) "
           "1:ECHOCANCEL_PARAMS(taps=128,params=0) 1:ECHOCANCEL_PARAMS(taps=0,params=0) "
           "1:HOOK(%d) 1:HOOK(%d) 1:HOOK(%d) 3:HOOK(%d) 3:HOOK(%d) 1:DIAL(replace:P0571) 1:DIAL(replace:T8001*#) "
           "0:SPANSTAT(span=1) 0:SPANSTAT(span=1) 0:SPANSTAT(span=2)",
           DAHDI_OFFHOOK, DAHDI_FLASH, DAHDI_ONHOOK, DAHDI_RING, DAHDI_RINGOFF);
  CHECK(!strcmp(seq, want), "ioctl sequence:\n  want %s\n  got  %s", want, seq);
  fake_bpv = 7; fake_crc4 = 3; fake_ebit = 2; fake_fas = 1;
  hl_span_counters_t k = { 0 };
  CHECK(o->span_counters(d, 1, &k) == 0 && k.bpv == 7 && k.crc4 == 3 && k.ebit == 2 && k.fas == 1,
        "span counters come from SPANSTAT: bpv %u crc4 %u ebit %u fas %u", k.bpv, k.crc4, k.ebit, k.fas);
  CHECK(o->span_counters(d, 2, &k) == -EINVAL, "counters of a span the kernel does not know");
  fake_bpv = fake_crc4 = fake_ebit = fake_fas = 0;
  hl_dahdi_driver_close(&drv);
}

/* Runs n ticks, appending every event to log. */
static void run_ticks(hl_engine_t *e, int n, char *log, size_t cap) {
  hl_event_t ev[64];
  size_t len = strlen(log);
  for (int k = 0; k < n; k++) {
    hl_engine_step(e);
    int got;
    while ((got = hl_engine_drain(e, ev, 64)) > 0)
      for (int i = 0; i < got; i++) {
        size_t l = strlen(ev[i].json);
        if (len + l + 2 < cap) { memcpy(log + len, ev[i].json, l); len += l; log[len++] = '\n'; log[len] = 0; }
      }
    hl_engine_collect(e);
  }
}

static int count_str(const char *hay, const char *needle) {
  int n = 0;
  for (const char *p = hay; (p = strstr(p, needle)); p += strlen(needle)) n++;
  return n;
}

/* The engine on the dahdi driver: what it asks of the kernel for an alarm,
 * a line's settings, an outgoing call and a phone rung with caller ID led by
 * a line reversal. */
static void test_engine_signalling(void) {
  fake_reset(sigs4, 4);
  char err[256], seq[1024], want[1024];
  static char log[1 << 15];
  log[0] = 0;
  hl_driver_t drv;
  if (hl_dahdi_driver_open(&drv, (int[]){ 1, 2, 3, 4 }, NULL, 4, fake_root, err, sizeof err) != 0) { CHECK(0, "open: %s", err); return; }
  hl_engine_config_t cfg;
  memset(&cfg, 0, sizeof cfg);
  strcpy(cfg.zone, "cn");
  hl_engine_t *e = hl_engine_new(&drv, &cfg, err, sizeof err);
  if (!e) { CHECK(0, "engine: %s", err); hl_dahdi_driver_close(&drv); return; }
  run_ticks(e, 2, log, sizeof log);

  /* A red alarm with loss of signal, seen by every channel of span 1: the
   * engine asks SPANSTAT and reports the span once; then it clears. */
  log[0] = 0;
  int from = fake_nlog;
  fake_alarms = DAHDI_ALARM_RED | DAHDI_ALARM_LOS;
  fake_event[1] = fake_event[2] = DAHDI_EVENT_ALARM;
  run_ticks(e, 2, log, sizeof log);
  sig_calls(from, seq, sizeof seq);
  CHECK(!strcmp(seq, "0:SPANSTAT(span=1) 0:SPANSTAT(span=1)"), "each alarm event asks SPANSTAT: got %s", seq);
  snprintf(want, sizeof want, "\"span\":1,\"alarms\":%d,\"red\":true", DAHDI_ALARM_RED | DAHDI_ALARM_LOS);
  CHECK(count_str(log, "SpanAlarmChanged") == 1 && strstr(log, want), "one SpanAlarmChanged with %s, got:\n%s", want, log);
  hl_chan_state_t st[4];
  hl_engine_snapshot(e, st, 4);
  CHECK(st[0].alarms == (HL_ALARM_RED | HL_ALARM_LOS) && st[3].alarms == (HL_ALARM_RED | HL_ALARM_LOS), "the state dump carries the span's alarms");
  log[0] = 0;
  fake_alarms = 0;
  fake_event[1] = fake_event[2] = DAHDI_EVENT_NOALARM;
  run_ticks(e, 2, log, sizeof log);
  CHECK(count_str(log, "SpanAlarmChanged") == 1 && strstr(log, "\"alarms\":0,\"red\":false"), "alarm cleared once, got:\n%s", log);

  /* setLine's echo canceller; an outgoing pulse call; a flash. */
  hl_cmd_t c;
  from = fake_nlog;
  memset(&c, 0, sizeof c); c.op = HL_OP_SET_LINE; c.chan = 1; c.i1 = -1; c.i3 = 256;
  hl_engine_submit(e, &c);
  memset(&c, 0, sizeof c); c.op = HL_OP_DIAL; c.chan = 2; c.i1 = 1; c.i2 = 0; snprintf(c.s1, sizeof c.s1, "0571");
  hl_engine_submit(e, &c);
  run_ticks(e, 40, log, sizeof log);   /* 600 ms without waiting for dial tone, then the digits */
  fake_event[2] = DAHDI_EVENT_DIALCOMPLETE;
  run_ticks(e, 2, log, sizeof log);
  memset(&c, 0, sizeof c); c.op = HL_OP_FLASH; c.chan = 2;
  hl_engine_submit(e, &c);
  memset(&c, 0, sizeof c); c.op = HL_OP_HANGUP; c.chan = 2;
  hl_engine_submit(e, &c);
  run_ticks(e, 2, log, sizeof log);
  sig_calls(from, seq, sizeof seq);
  snprintf(want, sizeof want, "1:ECHOCANCEL_PARAMS(taps=256,params=0) 2:HOOK(%d) 2:DIAL(replace:P0571) 2:HOOK(%d) 2:HOOK(%d)",
           DAHDI_OFFHOOK, DAHDI_FLASH, DAHDI_ONHOOK);
  CHECK(!strcmp(seq, want), "line, dial, flash, hangup:\n  want %s\n  got  %s", want, seq);
  CHECK(strstr(log, "\"event\":\"DialCompleted\"") != NULL, "DIALCOMPLETE ends the pulse dialing");

  /* The phone on 3 rung with V.23 caller ID led by a line reversal. */
  from = fake_nlog;
  memset(&c, 0, sizeof c); c.op = HL_OP_RING; c.chan = 3; c.i1 = HL_CID_V23; c.i2 = 1000; c.i3 = 4000; c.i4 = HL_CIDWHEN_POLARITY;
  snprintf(c.s1, sizeof c.s1, "13800138000");
  hl_engine_submit(e, &c);
  run_ticks(e, 100, log, sizeof log);
  sig_calls(from, seq, sizeof seq);
  int oht = 0;
  const char *p = strstr(seq, "ONHOOKTRANSFER(");
  if (p) oht = atoi(p + strlen("ONHOOKTRANSFER("));
  snprintf(want, sizeof want, "3:SETPOLARITY(1) 3:ONHOOKTRANSFER(%d) 3:SETPOLARITY(0) 3:SETCADENCE(1000,4000) 3:HOOK(%d)", oht, DAHDI_RING);
  CHECK(oht > 500 && oht < 1500 && !strcmp(seq, want), "caller ID before ring:\n  want %s\n  got  %s", want, seq);
  from = fake_nlog;
  memset(&c, 0, sizeof c); c.op = HL_OP_STOP_RING; c.chan = 3;
  hl_engine_submit(e, &c);
  run_ticks(e, 2, log, sizeof log);
  sig_calls(from, seq, sizeof seq);
  snprintf(want, sizeof want, "3:HOOK(%d)", DAHDI_RINGOFF);
  CHECK(!strcmp(seq, want), "stopRing: want %s, got %s", want, seq);
  /* A span's signalling is DAHDI's configuration (system.conf, dahdi_cfg): no hot re-lay. */
  CHECK(hl_engine_respan(e, 1, HL_KIND_E1, NULL, 1, err, sizeof err) == -ENOTSUP && strstr(err, "dahdi driver"),
        "respan refused as not supported on DAHDI: %s", err);
  hl_engine_free(e);
  hl_dahdi_driver_close(&drv);
}

static void fake_queue_frame(int ch, const uint8_t *b, int len) {
  int i = fake_rx[ch].n++;
  fake_rx[ch].len[i] = len;
  memcpy(fake_rx[ch].b[i], b, (size_t)len);
}

/* A D-channel (HDLC-FCS): opened with HDLC buffers and no audio setup; frames
 * in and out whole; a BADFCS that makes read() fail with ELAST is kept for
 * get_event and the frame behind it still arrives; clear errors; no fd kept. */
static void test_fake_dchan_frames(void) {
  static const int sigs[] = { DAHDI_SIG_CLEAR, DAHDI_SIG_HDLCFCS };
  fake_reset(sigs, 2);
  char err[256];
  hl_driver_t drv;
  int fds0 = count_fds();
  int rc = hl_dahdi_driver_open(&drv, (int[]){ 1, 2 }, (int[]){ HL_KIND_E1, HL_KIND_DCHAN }, 2, fake_root, err, sizeof err);
  CHECK(rc == 0, "bearer and D-channel open: %d %s", rc, err);
  if (rc) return;
  CHECK(drv.chans[1].kind == HL_KIND_DCHAN, "HDLCFCS is a D-channel");
  int law_or_block = 0;
  for (int i = 0; i < fake_nlog; i++)
    if (fake_log[i].channo == 2 && (fake_log[i].req == DAHDI_SETLAW || fake_log[i].req == DAHDI_SET_BLOCKSIZE)) law_or_block++;
  CHECK(law_or_block == 0, "no SETLAW or SET_BLOCKSIZE on the D-channel (%d)", law_or_block);
  struct dahdi_bufferinfo *bi = &fake_bufinfo[2];
  CHECK(bi->txbufpolicy == DAHDI_POLICY_IMMEDIATE && bi->rxbufpolicy == DAHDI_POLICY_IMMEDIATE && bi->bufsize >= HL_FRAME_MAX &&
        bi->numbufs >= 16, "HDLC buffers: immediate, %d x %d", bi->numbufs, bi->bufsize);
  const hl_driver_ops_t *o = drv.ops;
  uint8_t buf[HL_FRAME_MAX];
  CHECK(o->read_frame && o->write_frame, "the dahdi driver moves frames");
  CHECK(o->read_frame(drv.state, 2, buf, sizeof buf) == 0, "no frame waiting: 0");
  const uint8_t fisu[] = { 0x81, 0x82, 0x00, 0x12, 0x34 };      /* BSN/FSN/LI + 2 FCS octets */
  const uint8_t msu[] = { 0x81, 0x83, 0x06, 0x85, 0x02, 0x40, 0x00, 0x01, 0xAA, 0xBB };
  fake_queue_frame(2, fisu, sizeof fisu);
  fake_queue_frame(2, msu, sizeof msu);
  fake_event[2] = DAHDI_EVENT_BADFCS;
  int n = o->read_frame(drv.state, 2, buf, sizeof buf);
  CHECK(n == (int)sizeof fisu && !memcmp(buf, fisu, sizeof fisu), "the frame behind a BADFCS event is read whole (%d)", n);
  CHECK(o->get_event(drv.state, 2) == HL_EV_BADFCS, "the BADFCS met on the way is handed out by get_event");
  CHECK(o->get_event(drv.state, 2) == 0, "and only once");
  CHECK(o->read_frame(drv.state, 2, buf, 4) == -EMSGSIZE, "a frame longer than the buffer: -EMSGSIZE");
  CHECK(o->read_frame(drv.state, 2, buf, sizeof buf) == 0, "queue empty again");
  CHECK(o->write_frame(drv.state, 2, msu, sizeof msu) == (int)sizeof msu && fake_tx_len == (int)sizeof msu &&
        !memcmp(fake_tx, msu, sizeof msu), "one write() per frame, FCS room included");
  fake_tx_busy = 1;
  CHECK(o->write_frame(drv.state, 2, fisu, sizeof fisu) == 0, "transmit buffers busy: 0, try later");
  fake_tx_busy = 0;
  fake_event[2] = DAHDI_EVENT_OVERRUN;
  CHECK(o->write_frame(drv.state, 2, fisu, sizeof fisu) == (int)sizeof fisu, "a write that meets an event still goes out");
  CHECK(o->get_event(drv.state, 2) == HL_EV_OVERRUN, "and the OVERRUN is kept");
  CHECK(o->write_frame(drv.state, 2, fisu, 2) == -EINVAL, "a frame under 3 octets: -EINVAL");
  CHECK(o->write_frame(drv.state, 2, fisu, HL_FRAME_MAX + 1) == -EINVAL, "a frame over HL_FRAME_MAX: -EINVAL");
  CHECK(o->read_frame(drv.state, 1, buf, sizeof buf) == -EINVAL && o->write_frame(drv.state, 1, fisu, 5) == -EINVAL,
        "frames on a bearer: -EINVAL");
  CHECK(o->read_frame(drv.state, 3, buf, sizeof buf) == -ENOENT, "frames on a channel not opened: -ENOENT");
  CHECK(o->close(drv.state, 2) == 0 && o->read_frame(drv.state, 2, buf, sizeof buf) == -EBADF, "closed D-channel: -EBADF");
  hl_dahdi_driver_close(&drv);
  CHECK(count_fds() == fds0, "no fd left open (%d before, %d after)", fds0, count_fds());
}

int main(void) {
  test_codes_match_dahdi();
  test_event_names();
  test_alarm_text();
  test_sig_kind();
  test_dial();
  test_open_not_dahdi(0);
  test_open_not_dahdi(1);
  test_open_bad_args();
  test_confinfo();
  test_fake_open_and_link();
  test_engine_kernel_links();
  test_fake_signalling_ioctls();
  test_engine_signalling();
  test_fake_dchan_frames();
  T_DONE("dahdi");
}
