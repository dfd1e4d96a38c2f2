/* Pure helpers of the dahdi driver: DAHDI codes to our kinds and to text, and
 * dial-string checks. Nothing here touches a device, so the test program runs
 * them on any machine. */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <dahdi/user.h>
#include "dahdi.h"

/* The seam passes DAHDI's codes through unchanged; these asserts are what
 * makes that safe if either header ever moves. */
_Static_assert(HL_EV_NONE == DAHDI_EVENT_NONE, "HL_EV_NONE");
_Static_assert(HL_EV_ONHOOK == DAHDI_EVENT_ONHOOK, "HL_EV_ONHOOK");
_Static_assert(HL_EV_RINGOFFHOOK == DAHDI_EVENT_RINGOFFHOOK, "HL_EV_RINGOFFHOOK");
_Static_assert(HL_EV_WINKFLASH == DAHDI_EVENT_WINKFLASH, "HL_EV_WINKFLASH");
_Static_assert(HL_EV_ALARM == DAHDI_EVENT_ALARM, "HL_EV_ALARM");
_Static_assert(HL_EV_NOALARM == DAHDI_EVENT_NOALARM, "HL_EV_NOALARM");
_Static_assert(HL_EV_ABORT == DAHDI_EVENT_ABORT, "HL_EV_ABORT");
_Static_assert(HL_EV_OVERRUN == DAHDI_EVENT_OVERRUN, "HL_EV_OVERRUN");
_Static_assert(HL_EV_BADFCS == DAHDI_EVENT_BADFCS, "HL_EV_BADFCS");
_Static_assert(HL_EV_DIALCOMPLETE == DAHDI_EVENT_DIALCOMPLETE, "HL_EV_DIALCOMPLETE");
_Static_assert(HL_EV_RINGERON == DAHDI_EVENT_RINGERON, "HL_EV_RINGERON");
_Static_assert(HL_EV_RINGEROFF == DAHDI_EVENT_RINGEROFF, "HL_EV_RINGEROFF");
_Static_assert(HL_EV_HOOKCOMPLETE == DAHDI_EVENT_HOOKCOMPLETE, "HL_EV_HOOKCOMPLETE");
_Static_assert(HL_EV_BITSCHANGED == DAHDI_EVENT_BITSCHANGED, "HL_EV_BITSCHANGED");
_Static_assert(HL_EV_PULSE_START == DAHDI_EVENT_PULSE_START, "HL_EV_PULSE_START");
_Static_assert(HL_EV_POLARITY == DAHDI_EVENT_POLARITY, "HL_EV_POLARITY");
_Static_assert(HL_EV_RINGBEGIN == DAHDI_EVENT_RINGBEGIN, "HL_EV_RINGBEGIN");
_Static_assert(HL_EV_REMOVED == DAHDI_EVENT_REMOVED, "HL_EV_REMOVED");
_Static_assert(HL_EV_PULSEDIGIT == DAHDI_EVENT_PULSEDIGIT, "HL_EV_PULSEDIGIT");

_Static_assert(HL_ALARM_NONE == DAHDI_ALARM_NONE, "HL_ALARM_NONE");
_Static_assert(HL_ALARM_RECOVER == DAHDI_ALARM_RECOVER, "HL_ALARM_RECOVER");
_Static_assert(HL_ALARM_LOOPBACK == DAHDI_ALARM_LOOPBACK, "HL_ALARM_LOOPBACK");
_Static_assert(HL_ALARM_YELLOW == DAHDI_ALARM_YELLOW, "HL_ALARM_YELLOW");
_Static_assert(HL_ALARM_RED == DAHDI_ALARM_RED, "HL_ALARM_RED");
_Static_assert(HL_ALARM_BLUE == DAHDI_ALARM_BLUE, "HL_ALARM_BLUE");
_Static_assert(HL_ALARM_NOTOPEN == DAHDI_ALARM_NOTOPEN, "HL_ALARM_NOTOPEN");
_Static_assert(HL_ALARM_LOS == DAHDI_ALARM_LOS, "HL_ALARM_LOS");
_Static_assert(HL_ALARM_LFA == DAHDI_ALARM_LFA, "HL_ALARM_LFA");

_Static_assert(HL_ONHOOK == DAHDI_ONHOOK, "HL_ONHOOK");
_Static_assert(HL_OFFHOOK == DAHDI_OFFHOOK, "HL_OFFHOOK");
_Static_assert(HL_WINK == DAHDI_WINK, "HL_WINK");
_Static_assert(HL_FLASH == DAHDI_FLASH, "HL_FLASH");
_Static_assert(HL_START == DAHDI_START, "HL_START");
_Static_assert(HL_RING == DAHDI_RING, "HL_RING");
_Static_assert(HL_RINGOFF == DAHDI_RINGOFF, "HL_RINGOFF");

_Static_assert(HL_BLOCK <= DAHDI_MAX_BLOCKSIZE, "HL_BLOCK fits a DAHDI block");

static const char *const ev_names[] = {
  [DAHDI_EVENT_NONE] = "NONE",
  [DAHDI_EVENT_ONHOOK] = "ONHOOK",
  [DAHDI_EVENT_RINGOFFHOOK] = "RINGOFFHOOK",
  [DAHDI_EVENT_WINKFLASH] = "WINKFLASH",
  [DAHDI_EVENT_ALARM] = "ALARM",
  [DAHDI_EVENT_NOALARM] = "NOALARM",
  [DAHDI_EVENT_ABORT] = "ABORT",
  [DAHDI_EVENT_OVERRUN] = "OVERRUN",
  [DAHDI_EVENT_BADFCS] = "BADFCS",
  [DAHDI_EVENT_DIALCOMPLETE] = "DIALCOMPLETE",
  [DAHDI_EVENT_RINGERON] = "RINGERON",
  [DAHDI_EVENT_RINGEROFF] = "RINGEROFF",
  [DAHDI_EVENT_HOOKCOMPLETE] = "HOOKCOMPLETE",
  [DAHDI_EVENT_BITSCHANGED] = "BITSCHANGED",
  [DAHDI_EVENT_PULSE_START] = "PULSE_START",
  [DAHDI_EVENT_TIMER_EXPIRED] = "TIMER_EXPIRED",
  [DAHDI_EVENT_TIMER_PING] = "TIMER_PING",
  [DAHDI_EVENT_POLARITY] = "POLARITY",
  [DAHDI_EVENT_RINGBEGIN] = "RINGBEGIN",
  [DAHDI_EVENT_EC_DISABLED] = "EC_DISABLED",
  [DAHDI_EVENT_REMOVED] = "REMOVED",
  [DAHDI_EVENT_NEONMWI_ACTIVE] = "NEONMWI_ACTIVE",
  [DAHDI_EVENT_NEONMWI_INACTIVE] = "NEONMWI_INACTIVE",
  [DAHDI_EVENT_TX_CED_DETECTED] = "TX_CED_DETECTED",
  [DAHDI_EVENT_RX_CED_DETECTED] = "RX_CED_DETECTED",
  [DAHDI_EVENT_TX_CNG_DETECTED] = "TX_CNG_DETECTED",
  [DAHDI_EVENT_RX_CNG_DETECTED] = "RX_CNG_DETECTED",
  [DAHDI_EVENT_EC_NLP_DISABLED] = "EC_NLP_DISABLED",
  [DAHDI_EVENT_EC_NLP_ENABLED] = "EC_NLP_ENABLED",
  [DAHDI_EVENT_READ_OVERRUN] = "READ_OVERRUN",
  [DAHDI_EVENT_WRITE_UNDERRUN] = "WRITE_UNDERRUN",
};

const char *hl_dahdi_event_name(int ev) {
  if (ev < 0) return "UNKNOWN";
  /* Digit events carry the digit in the low byte; the name is the flag's. */
  if (ev & DAHDI_EVENT_PULSEDIGIT) return "PULSEDIGIT";
  if (ev & DAHDI_EVENT_DTMFDOWN) return "DTMFDOWN";
  if (ev & DAHDI_EVENT_DTMFUP) return "DTMFUP";
  if (ev >= (int)(sizeof ev_names / sizeof ev_names[0]) || !ev_names[ev]) return "UNKNOWN";
  return ev_names[ev];
}

static const struct { int bit; const char *name; } alarm_names[] = {
  { DAHDI_ALARM_RED, "RED" },         { DAHDI_ALARM_YELLOW, "YELLOW" },
  { DAHDI_ALARM_BLUE, "BLUE" },       { DAHDI_ALARM_LOS, "LOS" },
  { DAHDI_ALARM_LFA, "LFA" },         { DAHDI_ALARM_LMFA, "LMFA" },
  { DAHDI_ALARM_LOOPBACK, "LOOP" },   { DAHDI_ALARM_RECOVER, "RECOVERING" },
  { DAHDI_ALARM_NOTOPEN, "NOTOPEN" },
};

int hl_dahdi_alarm_text(int alarms, char *buf, size_t n) {
  size_t len = 0;
  int trunc = 0;
  if (!buf || n == 0) return -ENOSPC;
  buf[0] = '\0';
  for (size_t i = 0; i < sizeof alarm_names / sizeof alarm_names[0]; i++) {
    if (!(alarms & alarm_names[i].bit)) continue;
    int w = snprintf(buf + len, n - len, "%s%s", len ? "," : "", alarm_names[i].name);
    if (w < 0 || (size_t)w >= n - len) { trunc = 1; break; }
    len += (size_t)w;
  }
  return trunc ? -ENOSPC : (int)len;
}

int hl_dahdi_sig_kind(int sigtype) {
  /* Most specific first: MTP2 and HARDHDLC include the CLEAR bit. */
  if ((sigtype & DAHDI_SIG_HARDHDLC) == DAHDI_SIG_HARDHDLC) return HL_KIND_DCHAN;
  if ((sigtype & DAHDI_SIG_HDLCRAW) == DAHDI_SIG_HDLCRAW) return HL_KIND_DCHAN;
  /* Cross-connects and tone-only channels are not ports we drive. */
  if (sigtype & (__DAHDI_SIG_DACS | DAHDI_SIG_SF | DAHDI_SIG_SLAVE)) return HL_KIND_NONE;
  if (sigtype & __DAHDI_SIG_FXS) return HL_KIND_FXO;
  if (sigtype & __DAHDI_SIG_FXO) return HL_KIND_FXS;
  if (sigtype & (DAHDI_SIG_CAS | DAHDI_SIG_CLEAR | DAHDI_SIG_EM | DAHDI_SIG_EM_E1)) return HL_KIND_E1;
  return HL_KIND_NONE;
}

const char *hl_dahdi_sig_name(int sigtype) {
  switch (sigtype) {
  case DAHDI_SIG_FXSLS: return "FXSLS";
  case DAHDI_SIG_FXSGS: return "FXSGS";
  case DAHDI_SIG_FXSKS: return "FXSKS";
  case DAHDI_SIG_FXOLS: return "FXOLS";
  case DAHDI_SIG_FXOGS: return "FXOGS";
  case DAHDI_SIG_FXOKS: return "FXOKS";
  case DAHDI_SIG_EM: return "E&M";
  case DAHDI_SIG_EM_E1: return "E&M-E1";
  case DAHDI_SIG_CLEAR: return "Clear";
  case DAHDI_SIG_HDLCRAW: return "HDLCRAW";
  case DAHDI_SIG_HDLCFCS: return "HDLCFCS";
  case DAHDI_SIG_HDLCNET: return "HDLCNET";
  case DAHDI_SIG_HARDHDLC: return "Hardware-assisted HDLC";
  case DAHDI_SIG_MTP2: return "MTP2";
  case DAHDI_SIG_CAS: return "CAS";
  case DAHDI_SIG_DACS: return "DACS";
  case DAHDI_SIG_DACS_RBS: return "DACS+RBS";
  case DAHDI_SIG_SF: return "SF (ToneOnly)";
  case DAHDI_SIG_NONE: return "Unconfigured";
  default: return "Unknown";
  }
}

/* Which characters the kernel dialer (dahdi-base.c dahdi_mf_tone / __do_dtmf)
 * plays in each mode; anything else it silently skips, so we refuse it here
 * rather than let a typo vanish. */
static int dial_digit_ok(char mode, char c) {
  if (c == 'W') return 1;
  switch (mode) {
  case 'T': return (c >= '0' && c <= '9') || c == '*' || c == '#' || (c >= 'A' && c <= 'D');
  case 'P': return c >= '0' && c <= '9';
  case 'M': return (c >= '0' && c <= '9') || c == '*' || c == '#' || (c >= 'A' && c <= 'C');
  case 'O': case 'R': return (c >= '1' && c <= '9') || (c >= 'A' && c <= 'F');
  default: return 0;
  }
}

static int is_mode(char c) { return c == 'T' || c == 'P' || c == 'M' || c == 'O' || c == 'R'; }

int hl_dahdi_dial_check(const char *s) {
  if (!s || !is_mode(s[0])) return -EINVAL;
  size_t len = strlen(s);
  if (len >= DAHDI_MAX_DTMF_BUF) return -EINVAL;
  char mode = 0;
  for (size_t i = 0; i < len; i++) {
    if (is_mode(s[i])) { mode = s[i]; continue; }
    if (!dial_digit_ok(mode, s[i])) return -EINVAL;
  }
  return 0;
}

int hl_dahdi_dial_build(char mode, const char *digits, char *out, size_t n) {
  if (!is_mode(mode) || !digits || !out) return -EINVAL;
  for (const char *p = digits; *p; p++)
    if (!dial_digit_ok(mode, *p)) return -EINVAL;
  size_t len = 1 + strlen(digits);
  if (len >= DAHDI_MAX_DTMF_BUF) return -EINVAL;
  if (len >= n) return -ENOSPC;
  out[0] = mode;
  memcpy(out + 1, digits, len);   /* copies the terminator too */
  return (int)len;
}

int hl_dahdi_confinfo(int link, int peer, struct dahdi_confinfo *out) {
  if (!out) return -EINVAL;
  memset(out, 0, sizeof *out);
  out->chan = 0;                  /* the channel the fd holds */
  switch (link) {
  case HL_LINK_NONE:
    return 0;
  case HL_LINK_BRIDGE:
  case HL_LINK_LISTEN:
    if (peer < 1 || peer > DAHDI_MAX_CHANNELS) return -EINVAL;
    out->confno = peer;           /* monitor modes take a channel number */
    out->confmode = link == HL_LINK_BRIDGE ? DAHDI_CONF_DIGITALMON : DAHDI_CONF_MONITORBOTH;
    return 0;
  default:
    return -EINVAL;
  }
}
