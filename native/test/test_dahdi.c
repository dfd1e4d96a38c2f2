/* The dahdi driver without hardware: code tables, text helpers, dial strings,
 * and the open path against a device root whose nodes are plain files and
 * FIFOs, where every DAHDI ioctl fails with ENOTTY. The driver must then name
 * the channel and the ioctl and keep no fd. */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <dahdi/user.h>
#include "t.h"
#include "../src/drv/dahdi.h"

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

int main(void) {
  test_codes_match_dahdi();
  test_event_names();
  test_alarm_text();
  test_sig_kind();
  test_dial();
  test_open_not_dahdi(0);
  test_open_not_dahdi(1);
  test_open_bad_args();
  T_DONE("dahdi");
}
