/* The channel-I/O seam: everything the signalling state machines and the media
 * thread need from a board, and nothing more. Two drivers implement it: `dahdi`
 * (ioctls on /dev/dahdi/channel) and `sim` (spans of a simulated board whose far
 * end is the virtual PSTN). Event codes are DAHDI's own (HL_EV_* mirror the
 * DAHDI_EVENT_* values so the dahdi driver passes them through unchanged). */
#ifndef HL_CHAN_IO_H
#define HL_CHAN_IO_H
#include <stdint.h>
#include <stddef.h>

#define HL_BLOCK 160            /* samples per 20 ms block at 8 kHz */
#define HL_RATE 8000

/* Port kinds as the supervisor sees them (our side of the line). */
/* HL_KIND_E1 is an E1 bearer whose signalling is elsewhere (a D-channel);
 * HL_KIND_E1_R2 is an E1 timeslot signalled by MFC/R2 (CAS bits in timeslot 16
 * and MF tones in its own audio). */
enum hl_kind { HL_KIND_NONE = 0, HL_KIND_FXO = 1, HL_KIND_FXS = 2, HL_KIND_E1 = 3, HL_KIND_DCHAN = 4, HL_KIND_E1_R2 = 5 };

/* D-channel frames (HL_KIND_DCHAN, DAHDI's HDLC-FCS "dchan"): the longest
 * frame the seam moves, FCS included (an MTP2 MSU is at most 3 + 1 + 272
 * octets; Q.921/LAPD frames are shorter). */
#define HL_FRAME_MAX 300
#define HL_FCS_LEN 2

enum hl_law { HL_LAW_ALAW = 0, HL_LAW_ULAW = 1 };

/* Hook operations (values of DAHDI_HOOK's argument). */
enum hl_hook { HL_ONHOOK = 0, HL_OFFHOOK = 1, HL_WINK = 2, HL_FLASH = 3, HL_START = 4, HL_RING = 5, HL_RINGOFF = 6 };

/* Event codes: identical to DAHDI_EVENT_* in dahdi/user.h (checked at compile
 * time in the dahdi driver). */
enum hl_ev {
  HL_EV_NONE = 0, HL_EV_ONHOOK = 1, HL_EV_RINGOFFHOOK = 2, HL_EV_WINKFLASH = 3, HL_EV_ALARM = 4,
  HL_EV_NOALARM = 5,
  /* D-channel (HDLC) receive errors; the frame concerned is never delivered:
   * ABORT: the far end aborted a frame (seven ones); OVERRUN: a frame arrived
   * with no free receive buffer (the reader fell behind); BADFCS: a frame
   * arrived whose FCS did not check (a bit error on the line). */
  HL_EV_ABORT = 6, HL_EV_OVERRUN = 7, HL_EV_BADFCS = 8,
  HL_EV_DIALCOMPLETE = 9, HL_EV_RINGERON = 10, HL_EV_RINGEROFF = 11,
  HL_EV_HOOKCOMPLETE = 12, HL_EV_BITSCHANGED = 13, HL_EV_PULSE_START = 14, HL_EV_POLARITY = 17,
  HL_EV_RINGBEGIN = 18, HL_EV_REMOVED = 20
};
#define HL_EV_PULSEDIGIT (1 << 16)

/* Kernel links (driver op conf_link): what a channel transmits made by the
 * board from another channel's audio, so the engine neither mixes nor writes
 * it. BRIDGE: channo transmits what peer receives (one half of a two-party
 * bridge; the engine links each half on its own). LISTEN: channo transmits
 * what peer receives plus what peer transmits, added to anything written to
 * channo (a supervisor listening to both sides of a call). NONE: unlink. */
enum hl_link { HL_LINK_NONE = 0, HL_LINK_BRIDGE = 1, HL_LINK_LISTEN = 2 };

/* Span alarm bits (DAHDI_ALARM_*). */
enum { HL_ALARM_NONE = 0, HL_ALARM_RECOVER = 1, HL_ALARM_LOOPBACK = 2, HL_ALARM_YELLOW = 4,
       HL_ALARM_RED = 8, HL_ALARM_BLUE = 16, HL_ALARM_NOTOPEN = 32, HL_ALARM_LOS = 1 << 8,
       HL_ALARM_LFA = 1 << 9 };

/* A span's line error counters since the driver started (DAHDI_SPANSTAT):
 * bipolar violations, CRC-4 errors, E-bits (CRC-4 errors the far end saw),
 * frame alignment errors. */
typedef struct hl_span_counters {
  uint32_t bpv, crc4, ebit, fas;
} hl_span_counters_t;

typedef struct hl_chan_info {
  int channo;          /* global channel number, 1-based */
  int span;            /* span number, 1-based */
  int chanpos;         /* position within the span */
  int kind;            /* enum hl_kind */
  int law;             /* enum hl_law */
  char name[40];
} hl_chan_info_t;

/* Driver operations, called with the driver's `state` pointer as `drv`.
 * Every call returns >= 0 on success or -errno. Audio calls
 * move whole blocks of law-encoded bytes; `read_audio` returns 0 when no block
 * is ready yet. */
typedef struct hl_driver_ops {
  const char *name;
  int (*open)(void *drv, int channo);
  int (*close)(void *drv, int channo);
  int (*read_audio)(void *drv, int channo, uint8_t *buf, int len);
  int (*write_audio)(void *drv, int channo, const uint8_t *buf, int len);
  int (*get_event)(void *drv, int channo);               /* HL_EV_* or 0 */
  int (*hook)(void *drv, int channo, int op);            /* enum hl_hook */
  int (*set_txbits)(void *drv, int channo, int abcd);
  int (*get_rxbits)(void *drv, int channo);
  int (*dial)(void *drv, int channo, const char *dialstr); /* "P123" pulse, "T123" DTMF */
  int (*set_cadence)(void *drv, int channo, const int *ms, int n); /* n == 0 restores zone default */
  int (*set_polarity)(void *drv, int channo, int reversed);
  int (*onhook_transfer)(void *drv, int channo, int ms);
  int (*set_echocancel)(void *drv, int channo, int taps);
  int (*span_alarms)(void *drv, int span);                /* HL_ALARM_* bits */
  /* Optional: the span's line error counters (0 or -errno). */
  int (*span_counters)(void *drv, int span, hl_span_counters_t *out);
  /* Optional (NULL when the board cannot): the board makes what channo
   * transmits, with no engine work (enum hl_link; peer is a channel number). */
  int (*conf_link)(void *drv, int channo, int link, int peer);
  /* Optional, HL_KIND_DCHAN channels only (NULL when the driver has no
   * D-channels). The board does HDLC: flags, bit stuffing and the FCS-16.
   * read_frame: takes one whole received frame, as DAHDI's HDLC-FCS dchan
   *   read() gives it: the signal unit followed by its 2 FCS octets (already
   *   checked; the reader ignores them). Returns its length, 0 when no frame
   *   is waiting, -EMSGSIZE when cap is too small (the frame is dropped),
   *   -EBADF when not open. Frames that failed the FCS check, were aborted or
   *   found no buffer are never returned: they raise HL_EV_BADFCS, HL_EV_ABORT
   *   or HL_EV_OVERRUN (get_event) instead.
   * write_frame: queues one frame for sending: len counts the signal unit plus
   *   2 octets of room at its end (their content is ignored) where the board
   *   puts the FCS it computes, as DAHDI's write() on a dchan expects. Returns
   *   len, 0 when every transmit buffer is busy (try again next tick), -EINVAL
   *   for a len outside 3..HL_FRAME_MAX, -EBADF when not open.
   * Neither blocks, allocates or takes a lock. */
  int (*read_frame)(void *drv, int channo, uint8_t *buf, int cap);
  int (*write_frame)(void *drv, int channo, const uint8_t *buf, int len);
  /* Optional (NULL when the board cannot): re-lay an E1 span with other
   * signalling, kind HL_KIND_E1_R2 (CAS: timeslot 16 no channel) or HL_KIND_E1
   * (SS7: timeslot 16 a D-channel, the others bearers). In three steps so that
   * the media thread neither allocates nor frees:
   * respan_prepare (JS thread): allocates what the span's new signalling needs
   *   on the board (the sim: its far end) and returns it as a kit, or NULL
   *   with err. conf: driver-specific settings of the new far end (the sim:
   *   hl_sim_ss7_conf_t for SS7, NULL for defaults; ignored for R2).
   * respan (media thread, every channel of the span closed): changes the
   *   span's kinds in chans[] and swaps the kit in; what the span had goes
   *   into the kit. A kit prepared for this span and kind is never refused.
   * respan_free (JS thread): frees a kit, used or not. */
  void *(*respan_prepare)(void *drv, int span, int kind, const void *conf, char *err, size_t errlen);
  int (*respan)(void *drv, int span, int kind, void *kit);
  void (*respan_free)(void *drv, void *kit);
  /* Advance the board by one block (sim: runs the far end; dahdi: no-op). */
  void (*tick)(void *drv, int64_t now_ms);
} hl_driver_ops_t;

typedef struct hl_driver {
  const hl_driver_ops_t *ops;
  void *state;
  int nchans;
  hl_chan_info_t *chans;   /* nchans entries, index = channo - 1 */
  int nspans;
} hl_driver_t;

#endif
