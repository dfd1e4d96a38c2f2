/* SS7 wire formats without state: the MTP3 routing label of each variant and
 * the ISUP messages (Q.763) this stack speaks, as a plain struct <-> bytes.
 * Used by the stack itself (ss7_isup.c), by the golden wire tests and by any
 * simulator that wants to build or read a message. Decoding never reads past
 * len and never trusts a length or pointer octet. */
#ifndef HL_SS7_CODEC_H
#define HL_SS7_CODEC_H
#include "hl/ss7.h"

/* Service indicators (SIO bits DCBA). */
enum { HL_SS7_SI_SNM = 0, HL_SS7_SI_SLT = 1, HL_SS7_SI_ISUP = 5 };

typedef struct hl_ss7_label {
  uint32_t dpc, opc;
  uint8_t sls;                      /* 4 bits */
} hl_ss7_label_t;

/* Writes the label (4 or 7 bytes per variant); returns its length. */
int hl_ss7_label_put(const hl_ss7_variant_t *v, const hl_ss7_label_t *l, uint8_t *out);
/* Reads it; returns its length or -1 when len is too short. */
int hl_ss7_label_get(const hl_ss7_variant_t *v, const uint8_t *in, int len, hl_ss7_label_t *l);

/* One ISUP message, the parameters this stack uses. Digits are text:
 * '0'..'9', '*' (code 11), '#' (code 12), 'A'..'E' for codes 10, 13, 14;
 * the ST end-of-pulsing code (15) is st=1, not a character. */
typedef struct hl_isup_msg {
  int type;                         /* HL_ISUP_* */
  int cic;
  /* IAM */
  uint8_t nci;                      /* nature of connection indicators */
  uint8_t fci[2];                   /* forward call indicators, octets as on the wire */
  uint8_t category;                 /* calling party's category */
  uint8_t tmr;                      /* transmission medium requirement (0 speech, 3 3.1 kHz audio) */
  uint8_t called_nai, called_inn, called_npi;
  uint8_t called_st;                /* called number ends with ST */
  char called[HL_SS7_MAX_DIGITS + 1];   /* IAM called party / SAM subsequent number */
  uint8_t has_calling;
  uint8_t calling_nai, calling_ni, calling_npi, calling_pres, calling_screen;
  char calling[HL_SS7_MAX_DIGITS + 1];
  /* ACM, CON (mandatory), CPG/ANM (optional) */
  uint8_t has_bci;
  uint8_t bci[2];
  /* CPG */
  uint8_t event_info;
  /* REL */
  uint8_t cause, cause_loc, cause_coding;
  /* GRS, GRA, CGB, CGU, CGBA, CGUA: range = circuits - 1; status bit i is cic+i */
  uint8_t range;
  uint8_t status[32];
  uint8_t cgsmti;                   /* CGB/CGU: 0 maintenance, 1 hardware failure */
  int unknown_opt;                  /* optional parameters skipped while decoding */
} hl_isup_msg_t;

/* ISUP part only (CIC, type, parameters). Returns bytes written, -1 when the
 * message cannot be encoded (unknown type, bad digit, no room). */
int hl_isup_encode(const hl_isup_msg_t *m, uint8_t *out, int cap);
/* Returns 0, or -1 with *err set to a static reason. m->cic and m->type are
 * set as soon as they are readable (else -1 / 0). */
int hl_isup_decode(const uint8_t *in, int len, hl_isup_msg_t *m, const char **err);

/* A whole MSU payload (SIO + routing label + ISUP), as carried in an MTP2 MSU
 * after its 3 header bytes. */
int hl_ss7_isup_msu_encode(const hl_ss7_variant_t *v, int ni, const hl_ss7_label_t *l, const hl_isup_msg_t *m,
                           uint8_t *out, int cap);

/* BCD digits with the odd/even rule: first digit in the low nibble. Returns
 * bytes written (digits only) or -1 on a bad character or no room; *odd says
 * whether the count (with ST) is odd. */
int hl_ss7_bcd_put(const char *digits, int st, uint8_t *out, int cap, int *odd);
/* Reads n bytes of BCD (odd: the last high nibble is filler) into text;
 * returns the digit count or -1 when it would overflow; *st set when ST seen. */
int hl_ss7_bcd_get(const uint8_t *in, int n, int odd, char *out, int cap, int *st);
#endif
