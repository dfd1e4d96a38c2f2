/* The fake DAHDI CAS channel (see fake_dahdi_cas.h). It answers the calls a
 * DAHDI client makes on /dev/dahdi/channel the way dahdi-base.c does for a
 * CAS channel of an E1 span: events queue up and make read()/write() fail with
 * ELAST until DAHDI_GETEVENT takes them; DAHDI_IOMUX reports what is ready now
 * (one block to read per 20 ms step, room for one block to write per step);
 * DAHDI_FLUSH drops what was queued. Only one channel exists at a time. */
#define _GNU_SOURCE
#include "fake_dahdi_cas.h"
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <string.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>
#include <dahdi/user.h>
#include <spandsp.h>

int __real_open(const char *path, int flags, ...);
int __real_close(int fd);
int __real_ioctl(int fd, unsigned long req, ...);
ssize_t __real_read(int fd, void *buf, size_t n);
ssize_t __real_write(int fd, const void *buf, size_t n);

#define CHANNEL_PATH "/dev/dahdi/channel"
#define EPOCH_S 1767225600                       /* 2026-01-01: any fixed start will do */
#define MAX_EVENTS 32

/* The calls counted for the report, in the order it prints them. */
enum { OP_OPEN, OP_CLOSE, OP_READ, OP_WRITE, OP_SPECIFY, OP_CHANNO, OP_GET_PARAMS, OP_GET_BUFINFO, OP_SET_BUFINFO,
       OP_SETGAINS, OP_SETLAW, OP_SETLINEAR, OP_ECHOCANCEL, OP_SETTXBITS, OP_GETRXBITS, OP_FLUSH, OP_IOMUX,
       OP_GETEVENT, OP_COUNT };
static const char *op_names[OP_COUNT] = {
  "open", "close", "read", "write", "SPECIFY", "CHANNO", "GET_PARAMS", "GET_BUFINFO", "SET_BUFINFO",
  "SETGAINS", "SETLAW", "SETLINEAR", "ECHOCANCEL", "SETTXBITS", "GETRXBITS", "FLUSH", "IOMUX", "GETEVENT"
};

static int64_t now_ms;
static struct {
  int fd;                                        /* the library's fd; -1 while closed */
  int channo;                                    /* 0 until DAHDI_SPECIFY */
  int law, linear;
  struct dahdi_bufferinfo bi;
  int txbits, rxbits;                            /* library → far, far → library */
  int ev[MAX_EVENTS], ev_head, ev_n;
  uint8_t rx[FAKE_CAS_BLOCK * 2]; int rx_len;    /* readable by the library */
  uint8_t tx[FAKE_CAS_BLOCK * 2]; int tx_len;    /* written by the library this step */
} L = { .fd = -1, .law = DAHDI_LAW_ALAW, .txbits = 0xF, .rxbits = 0xF };
static int counts[OP_COUNT], n_unknown, n_would_block;
static unsigned long unknown_reqs[8];

int64_t fake_cas_now(void) { return now_ms; }
void fake_cas_clock_step(int ms) { now_ms += ms; }
int fake_cas_is_open(void) { return L.fd >= 0; }
int fake_cas_unknown(void) { return n_unknown; }
int fake_cas_would_block(void) { return n_would_block; }

int fake_cas_count(const char *op) {
  for (int i = 0; i < OP_COUNT; i++) if (!strcmp(op_names[i], op)) return counts[i];
  return -1;
}

void fake_cas_report(FILE *out) {
  fprintf(out, "# DAHDI calls made by the library:");
  for (int i = 0; i < OP_COUNT; i++) if (counts[i]) fprintf(out, " %s=%d", op_names[i], counts[i]);
  for (int i = 0; i < n_unknown && i < 8; i++) fprintf(out, " unknown=0x%lx", unknown_reqs[i]);
  fprintf(out, "\n");
}

static int bytes_per_sample(void) { return L.linear ? 2 : 1; }

static void push_event(int ev) {
  if (L.ev_n == MAX_EVENTS) return;                /* the kernel drops on overflow too */
  L.ev[(L.ev_head + L.ev_n++) % MAX_EVENTS] = ev;
}

static int pop_event(void) {
  if (!L.ev_n) return DAHDI_EVENT_NONE;
  int ev = L.ev[L.ev_head];
  L.ev_head = (L.ev_head + 1) % MAX_EVENTS;
  L.ev_n--;
  return ev;
}

/* ---- the far end ---- */

void fake_cas_far_set_bits(int abcd) {
  abcd &= 0xF;
  if (abcd == L.rxbits) return;
  L.rxbits = abcd;
  if (L.fd >= 0) push_event(DAHDI_EVENT_BITSCHANGED);
}

int fake_cas_far_get_bits(void) { return L.txbits; }

void fake_cas_far_send(const int16_t amp[], int n) {
  if (n > FAKE_CAS_BLOCK) n = FAKE_CAS_BLOCK;
  for (int i = 0; i < n; i++) {
    if (L.linear) memcpy(L.rx + 2 * i, &amp[i], 2);
    else L.rx[i] = L.law == DAHDI_LAW_MULAW ? linear_to_ulaw(amp[i]) : linear_to_alaw(amp[i]);
  }
  L.rx_len = n * bytes_per_sample();               /* an unread block is overrun, as on a real span */
}

int fake_cas_far_recv(int16_t amp[], int n) {
  int got = L.tx_len / bytes_per_sample();
  if (got > n) got = n;
  for (int i = 0; i < n; i++) {
    if (i >= got) amp[i] = 0;
    else if (L.linear) memcpy(&amp[i], L.tx + 2 * i, 2);
    else amp[i] = L.law == DAHDI_LAW_MULAW ? ulaw_to_linear(L.tx[i]) : alaw_to_linear(L.tx[i]);
  }
  L.tx_len = 0;
  return got;
}

/* ---- the wrapped libc calls ---- */

int __wrap_open(const char *path, int flags, ...) {
  mode_t mode = 0;
  if (flags & (O_CREAT | O_TMPFILE)) { va_list ap; va_start(ap, flags); mode = va_arg(ap, mode_t); va_end(ap); }
  if (strcmp(path, CHANNEL_PATH) != 0) return __real_open(path, flags, mode);
  counts[OP_OPEN]++;
  if (L.fd >= 0) { errno = EBUSY; return -1; }
  /* A real descriptor keeps the number unique and lets select()/close() work on it. */
  int fd = __real_open("/dev/null", O_RDWR | O_CLOEXEC);
  if (fd < 0) return -1;
  L.fd = fd;
  L.channo = 0;
  L.law = DAHDI_LAW_ALAW;                          /* an E1 span's default law */
  L.linear = 0;
  L.bi = (struct dahdi_bufferinfo){ .txbufpolicy = DAHDI_POLICY_IMMEDIATE, .rxbufpolicy = DAHDI_POLICY_IMMEDIATE,
                                    .numbufs = 2, .bufsize = FAKE_CAS_BLOCK };
  L.ev_n = L.ev_head = 0;
  L.rx_len = L.tx_len = 0;
  return fd;
}

int __wrap_close(int fd) {
  if (fd >= 0 && fd == L.fd) { counts[OP_CLOSE]++; L.fd = -1; }
  return __real_close(fd);
}

static int fail(int e) { errno = e; return -1; }

static int chan_ioctl(unsigned long req, void *arg) {
  int *ip = arg;
  if (req == DAHDI_SPECIFY) {
    counts[OP_SPECIFY]++;
    if (L.channo) return fail(EINVAL);             /* only once per open */
    if (*ip < 1) return fail(EINVAL);
    L.channo = *ip;
    return 0;
  }
  if (!L.channo) return fail(EINVAL);              /* /dev/dahdi/channel before SPECIFY is no channel */
  switch (req) {
  case DAHDI_CHANNO:
    counts[OP_CHANNO]++;
    *ip = L.channo;
    return 0;
  case DAHDI_GET_PARAMS: {
    counts[OP_GET_PARAMS]++;
    struct dahdi_params *p = arg;
    memset(p, 0, sizeof *p);
    p->channo = L.channo; p->spanno = 1; p->chanpos = L.channo;
    p->sigtype = p->sigcap = DAHDI_SIG_CAS;
    p->rxbits = L.rxbits; p->txbits = L.txbits;
    p->curlaw = L.law; p->idlebits = 0xF;
    snprintf(p->name, sizeof p->name, "FAKE/1/%d", L.channo);
    return 0;
  }
  case DAHDI_GET_BUFINFO:
    counts[OP_GET_BUFINFO]++;
    *(struct dahdi_bufferinfo *)arg = L.bi;
    return 0;
  case DAHDI_SET_BUFINFO: {
    counts[OP_SET_BUFINFO]++;
    const struct dahdi_bufferinfo *b = arg;
    if (b->bufsize < 16 || b->bufsize > DAHDI_MAX_BLOCKSIZE || b->numbufs < 2 || b->numbufs > DAHDI_MAX_NUM_BUFS)
      return fail(EINVAL);
    L.bi = *b;
    return 0;
  }
  case DAHDI_SETGAINS:
    counts[OP_SETGAINS]++;
    return 0;                                      /* the fake line has unity gain whatever is asked */
  case DAHDI_SETLAW:
    counts[OP_SETLAW]++;
    if (*ip < DAHDI_LAW_DEFAULT || *ip > DAHDI_LAW_ALAW) return fail(EINVAL);
    L.law = *ip == DAHDI_LAW_DEFAULT ? DAHDI_LAW_ALAW : *ip;
    return 0;
  case DAHDI_SETLINEAR:
    counts[OP_SETLINEAR]++;
    L.linear = !!*ip;
    return 0;
  case DAHDI_ECHOCANCEL:
    counts[OP_ECHOCANCEL]++;
    return 0;                                      /* there is no canceller to switch */
  case DAHDI_SETTXBITS:
    counts[OP_SETTXBITS]++;
    L.txbits = *ip & 0xF;
    return 0;
  case DAHDI_GETRXBITS:
    counts[OP_GETRXBITS]++;
    *ip = L.rxbits;
    return 0;
  case DAHDI_FLUSH:
    counts[OP_FLUSH]++;
    if (*ip & DAHDI_FLUSH_READ) L.rx_len = 0;
    if (*ip & DAHDI_FLUSH_WRITE) L.tx_len = 0;
    if (*ip & DAHDI_FLUSH_EVENT) L.ev_n = 0;
    return 0;
  case DAHDI_IOMUX: {
    counts[OP_IOMUX]++;
    int want = *ip, ready = 0;
    if ((want & DAHDI_IOMUX_READ) && L.rx_len) ready |= DAHDI_IOMUX_READ;
    if ((want & DAHDI_IOMUX_WRITE) && !L.tx_len) ready |= DAHDI_IOMUX_WRITE;
    if ((want & DAHDI_IOMUX_WRITEEMPTY) && !L.tx_len) ready |= DAHDI_IOMUX_WRITEEMPTY;
    if ((want & DAHDI_IOMUX_SIGEVENT) && L.ev_n) ready |= DAHDI_IOMUX_SIGEVENT;
    /* Nothing may block in a simulation: a waiting IOMUX returns what is ready
     * (possibly nothing) and is counted, so a test can tell it happened. */
    if (!ready && !(want & DAHDI_IOMUX_NOWAIT)) n_would_block++;
    *ip = ready;
    return 0;
  }
  case DAHDI_GETEVENT:
    counts[OP_GETEVENT]++;
    *ip = pop_event();
    return 0;
  default:
    if (n_unknown < 8) unknown_reqs[n_unknown] = req;
    n_unknown++;
    return fail(ENOTTY);
  }
}

int __wrap_ioctl(int fd, unsigned long req, ...) {
  va_list ap;
  va_start(ap, req);
  void *arg = va_arg(ap, void *);
  va_end(ap);
  if (fd < 0 || fd != L.fd) return __real_ioctl(fd, req, arg);
  return chan_ioctl(req, arg);
}

ssize_t __wrap_read(int fd, void *buf, size_t n) {
  if (fd < 0 || fd != L.fd) return __real_read(fd, buf, n);
  counts[OP_READ]++;
  if (L.ev_n) return fail(ELAST);                 /* events first, as DAHDI insists */
  if (!L.rx_len) return fail(EAGAIN);
  int k = (int)n < L.rx_len ? (int)n : L.rx_len;
  memcpy(buf, L.rx, (size_t)k);
  memmove(L.rx, L.rx + k, (size_t)(L.rx_len - k));
  L.rx_len -= k;
  return k;
}

ssize_t __wrap_write(int fd, const void *buf, size_t n) {
  if (fd < 0 || fd != L.fd) return __real_write(fd, buf, n);
  counts[OP_WRITE]++;
  if (L.ev_n) return fail(ELAST);
  if (L.tx_len) return fail(EAGAIN);               /* one block per 20 ms step */
  int k = (int)n < (int)sizeof L.tx ? (int)n : (int)sizeof L.tx;
  memcpy(L.tx, buf, (size_t)k);
  L.tx_len = k;
  return k;
}

int __wrap_gettimeofday(struct timeval *tv, void *tz) {
  if (tv) { tv->tv_sec = EPOCH_S + now_ms / 1000; tv->tv_usec = (suseconds_t)(now_ms % 1000) * 1000; }
  return 0;
}

time_t __wrap_time(time_t *t) {
  time_t s = EPOCH_S + now_ms / 1000;
  if (t) *t = s;
  return s;
}
