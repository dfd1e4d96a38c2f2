/* SS7 wire formats (see hl/ss7_codec.h): routing labels per variant and the
 * ISUP messages of Q.763 this stack uses. An ISUP message is the CIC (2
 * octets, 12 bits), the message type, the mandatory fixed part, one pointer
 * per mandatory variable parameter, a pointer to the optional part (for the
 * types that have one), then the variable parameters (length + contents) and
 * the optional parameters (code, length, contents, ended by a 0 code). */
#include "hl/ss7_codec.h"
#include <string.h>

/* ---- routing label ---- */

int hl_ss7_label_put(const hl_ss7_variant_t *v, const hl_ss7_label_t *l, uint8_t *out) {
  if (v->pc_bits == 24) {
    /* China: DPC 24 bits, OPC 24 bits (least significant octet first), then
     * SLS in the low 4 bits of a 7th octet whose high 4 bits are spare. */
    out[0] = (uint8_t)l->dpc; out[1] = (uint8_t)(l->dpc >> 8); out[2] = (uint8_t)(l->dpc >> 16);
    out[3] = (uint8_t)l->opc; out[4] = (uint8_t)(l->opc >> 8); out[5] = (uint8_t)(l->opc >> 16);
    out[6] = l->sls & 0x0f;
    return 7;
  }
  /* ITU: a 32-bit field, least significant bit first: DPC 14, OPC 14, SLS 4. */
  uint32_t w = (l->dpc & 0x3fff) | ((l->opc & 0x3fff) << 14) | ((uint32_t)(l->sls & 0x0f) << 28);
  out[0] = (uint8_t)w; out[1] = (uint8_t)(w >> 8); out[2] = (uint8_t)(w >> 16); out[3] = (uint8_t)(w >> 24);
  return 4;
}

int hl_ss7_label_get(const hl_ss7_variant_t *v, const uint8_t *in, int len, hl_ss7_label_t *l) {
  if (len < v->label_len) return -1;
  if (v->pc_bits == 24) {
    l->dpc = in[0] | (uint32_t)in[1] << 8 | (uint32_t)in[2] << 16;
    l->opc = in[3] | (uint32_t)in[4] << 8 | (uint32_t)in[5] << 16;
    l->sls = in[6] & 0x0f;
    return 7;
  }
  uint32_t w = in[0] | (uint32_t)in[1] << 8 | (uint32_t)in[2] << 16 | (uint32_t)in[3] << 24;
  l->dpc = w & 0x3fff;
  l->opc = (w >> 14) & 0x3fff;
  l->sls = (uint8_t)(w >> 28);
  return 4;
}

/* ---- digits ---- */

static int digit_code(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  switch (c) {
  case '*': return 11;
  case '#': return 12;
  case 'A': case 'a': return 10;
  case 'B': case 'b': return 11;
  case 'C': case 'c': return 12;
  case 'D': case 'd': return 13;
  case 'E': case 'e': return 14;
  default: return -1;
  }
}
static const char code_char[16] = { '0', '1', '2', '3', '4', '5', '6', '7', '8', '9', 'A', '*', '#', 'D', 'E', 0 };

int hl_ss7_bcd_put(const char *digits, int st, uint8_t *out, int cap, int *odd) {
  int n = (int)strlen(digits), total = n + (st ? 1 : 0);
  int bytes = (total + 1) / 2;
  if (bytes > cap) return -1;
  memset(out, 0, (size_t)bytes);
  for (int i = 0; i < total; i++) {
    int c = i < n ? digit_code(digits[i]) : 15;
    if (c < 0) return -1;
    out[i / 2] |= (uint8_t)(i & 1 ? c << 4 : c);
  }
  *odd = total & 1;
  return bytes;
}

int hl_ss7_bcd_get(const uint8_t *in, int n, int odd, char *out, int cap, int *st) {
  int digits = n * 2 - (odd && n > 0 ? 1 : 0), k = 0;
  *st = 0;
  for (int i = 0; i < digits; i++) {
    int c = i & 1 ? in[i / 2] >> 4 : in[i / 2] & 0x0f;
    if (c == 15) { *st = 1; break; }        /* ST ends the number */
    if (k >= cap - 1) return -1;
    out[k++] = code_char[c];
  }
  out[k] = 0;
  return k;
}

/* ---- message layouts ---- */

typedef struct layout {
  uint8_t type, fixed, nvar, opt;   /* fixed octets, mandatory variable parameters, has an optional part */
} layout_t;

static const layout_t layouts[] = {
  { HL_ISUP_IAM, 5, 1, 1 }, { HL_ISUP_SAM, 0, 1, 1 }, { HL_ISUP_ACM, 2, 0, 1 }, { HL_ISUP_CON, 2, 0, 1 },
  { HL_ISUP_ANM, 0, 0, 1 }, { HL_ISUP_CPG, 1, 0, 1 }, { HL_ISUP_REL, 0, 1, 1 }, { HL_ISUP_RLC, 0, 0, 1 },
  { HL_ISUP_SUS, 1, 0, 1 }, { HL_ISUP_RES, 1, 0, 1 },
  { HL_ISUP_GRS, 0, 1, 0 }, { HL_ISUP_GRA, 0, 1, 0 },
  { HL_ISUP_CGB, 1, 1, 0 }, { HL_ISUP_CGU, 1, 1, 0 }, { HL_ISUP_CGBA, 1, 1, 0 }, { HL_ISUP_CGUA, 1, 1, 0 },
  { HL_ISUP_BLO, 0, 0, 0 }, { HL_ISUP_UBL, 0, 0, 0 }, { HL_ISUP_BLA, 0, 0, 0 }, { HL_ISUP_UBA, 0, 0, 0 },
  { HL_ISUP_RSC, 0, 0, 0 }, { HL_ISUP_UCIC, 0, 0, 0 },
};

static const layout_t *layout_of(int type) {
  for (size_t i = 0; i < sizeof layouts / sizeof layouts[0]; i++)
    if (layouts[i].type == type) return &layouts[i];
  return NULL;
}

/* Optional parameter codes we write or read. */
enum { P_CALLING = 0x0a, P_BCI = 0x11 };

static int is_group(int t) {
  return t == HL_ISUP_GRS || t == HL_ISUP_GRA || t == HL_ISUP_CGB || t == HL_ISUP_CGU || t == HL_ISUP_CGBA ||
         t == HL_ISUP_CGUA;
}
/* Status octets that follow the range: none in GRS, one bit per circuit else. */
static int status_len(int t, int range) { return t == HL_ISUP_GRS ? 0 : (range + 1 + 7) / 8; }

/* Writes one mandatory variable parameter's contents (after its length
 * octet) into p; returns its length or -1. */
static int put_var(const hl_isup_msg_t *m, uint8_t *p, int cap) {
  int odd, n;
  switch (m->type) {
  case HL_ISUP_IAM:
    if (cap < 2) return -1;
    n = hl_ss7_bcd_put(m->called, m->called_st, p + 2, cap - 2, &odd);
    if (n < 0) return -1;
    p[0] = (uint8_t)(odd << 7 | (m->called_nai & 0x7f));
    p[1] = (uint8_t)((m->called_inn & 1) << 7 | (m->called_npi & 7) << 4);
    return n + 2;
  case HL_ISUP_SAM:
    if (cap < 1) return -1;
    n = hl_ss7_bcd_put(m->called, m->called_st, p + 1, cap - 1, &odd);
    if (n < 0) return -1;
    p[0] = (uint8_t)(odd << 7);
    return n + 1;
  case HL_ISUP_REL:
    if (cap < 2) return -1;
    p[0] = (uint8_t)(0x80 | (m->cause_coding & 3) << 5 | (m->cause_loc & 0x0f));
    p[1] = (uint8_t)(0x80 | (m->cause & 0x7f));
    return 2;
  default: {                        /* range and status */
    int sl = status_len(m->type, m->range);
    if (cap < 1 + sl || sl > (int)sizeof m->status) return -1;
    p[0] = m->range;
    memcpy(p + 1, m->status, (size_t)sl);
    return 1 + sl;
  }
  }
}

int hl_isup_encode(const hl_isup_msg_t *m, uint8_t *out, int cap) {
  const layout_t *L = layout_of(m->type);
  if (!L || cap < 3 + L->fixed + L->nvar + L->opt || m->cic < 0 || m->cic > 0xfff) return -1;
  out[0] = (uint8_t)m->cic;
  out[1] = (uint8_t)(m->cic >> 8) & 0x0f;
  out[2] = (uint8_t)m->type;
  int k = 3;
  /* mandatory fixed part */
  switch (m->type) {
  case HL_ISUP_IAM:
    out[k++] = m->nci; out[k++] = m->fci[0]; out[k++] = m->fci[1]; out[k++] = m->category; out[k++] = m->tmr;
    break;
  case HL_ISUP_ACM: case HL_ISUP_CON:
    out[k++] = m->bci[0]; out[k++] = m->bci[1];
    break;
  case HL_ISUP_CPG: out[k++] = m->event_info; break;
  case HL_ISUP_SUS: case HL_ISUP_RES: out[k++] = 0; break;
  default:
    if (is_group(m->type) && m->type != HL_ISUP_GRS && m->type != HL_ISUP_GRA) out[k++] = m->cgsmti;
  }
  int ptr_var = k, ptr_opt = k + L->nvar;
  k = ptr_opt + L->opt;
  if (L->nvar) {
    out[ptr_var] = (uint8_t)(k - ptr_var);
    int n = put_var(m, out + k + 1, cap - k - 1);
    if (n < 0 || n > 255) return -1;
    out[k] = (uint8_t)n;
    k += 1 + n;
  }
  if (!L->opt) return k;
  int opt_start = k;
  if (m->type == HL_ISUP_IAM && m->has_calling) {
    int odd, n;
    if (cap - k < 4) return -1;
    n = hl_ss7_bcd_put(m->calling, 0, out + k + 4, cap - k - 4, &odd);
    if (n < 0) return -1;
    out[k] = P_CALLING;
    out[k + 1] = (uint8_t)(n + 2);
    out[k + 2] = (uint8_t)(odd << 7 | (m->calling_nai & 0x7f));
    out[k + 3] = (uint8_t)((m->calling_ni & 1) << 7 | (m->calling_npi & 7) << 4 | (m->calling_pres & 3) << 2 |
                           (m->calling_screen & 3));
    k += 4 + n;
  }
  if ((m->type == HL_ISUP_ANM || m->type == HL_ISUP_CPG) && m->has_bci) {
    if (cap - k < 4) return -1;
    out[k++] = P_BCI; out[k++] = 2; out[k++] = m->bci[0]; out[k++] = m->bci[1];
  }
  if (k == opt_start) {             /* no optional parameter: pointer 0, nothing follows */
    out[ptr_opt] = 0;
    return k;
  }
  if (k >= cap) return -1;
  out[ptr_opt] = (uint8_t)(opt_start - ptr_opt);
  out[k++] = 0;                     /* end of optional parameters */
  return k;
}

/* ---- decoding ---- */

static int fail(const char **err, const char *why) { if (err) *err = why; return -1; }

/* Reads the mandatory variable parameter p (n octets) into m. */
static int get_var(hl_isup_msg_t *m, const uint8_t *p, int n, const char **err) {
  int st;
  switch (m->type) {
  case HL_ISUP_IAM:
    if (n < 2) return fail(err, "called party number too short");
    m->called_nai = p[0] & 0x7f;
    m->called_inn = p[1] >> 7;
    m->called_npi = (p[1] >> 4) & 7;
    if (hl_ss7_bcd_get(p + 2, n - 2, p[0] >> 7, m->called, sizeof m->called, &st) < 0)
      return fail(err, "called party number too long");
    m->called_st = (uint8_t)st;
    return 0;
  case HL_ISUP_SAM:
    if (n < 1) return fail(err, "subsequent number empty");
    if (hl_ss7_bcd_get(p + 1, n - 1, p[0] >> 7, m->called, sizeof m->called, &st) < 0)
      return fail(err, "subsequent number too long");
    m->called_st = (uint8_t)st;
    return 0;
  case HL_ISUP_REL:
    if (n < 2) return fail(err, "cause indicators too short");
    m->cause_loc = p[0] & 0x0f;
    m->cause_coding = (p[0] >> 5) & 3;
    /* octet 1a (recommendation) follows when octet 1's extension bit is 0 */
    if (!(p[0] & 0x80)) { if (n < 3) return fail(err, "cause indicators too short"); p++; }
    m->cause = p[1] & 0x7f;
    return 0;
  default: {
    if (n < 1) return fail(err, "range and status empty");
    m->range = p[0];
    int sl = status_len(m->type, m->range);
    if (m->type == HL_ISUP_GRS || m->type == HL_ISUP_GRA) {
      if (m->range < 1 || m->range > 31) return fail(err, "group reset range out of 1..31");
    }
    if (sl > (int)sizeof m->status) return fail(err, "range too large");
    if (n < 1 + sl) return fail(err, "status shorter than range");
    memcpy(m->status, p + 1, (size_t)sl);
    return 0;
  }
  }
}

static void get_opt(hl_isup_msg_t *m, int code, const uint8_t *p, int n) {
  int st;
  if (code == P_CALLING && m->type == HL_ISUP_IAM && n >= 2) {
    m->calling_nai = p[0] & 0x7f;
    m->calling_ni = p[1] >> 7;
    m->calling_npi = (p[1] >> 4) & 7;
    m->calling_pres = (p[1] >> 2) & 3;
    m->calling_screen = p[1] & 3;
    if (hl_ss7_bcd_get(p + 2, n - 2, p[0] >> 7, m->calling, sizeof m->calling, &st) >= 0) m->has_calling = 1;
    else m->calling[0] = 0;
  } else if (code == P_BCI && n >= 2) {
    m->has_bci = 1;
    m->bci[0] = p[0]; m->bci[1] = p[1];
  } else {
    m->unknown_opt++;
  }
}

int hl_isup_decode(const uint8_t *in, int len, hl_isup_msg_t *m, const char **err) {
  memset(m, 0, sizeof *m);
  m->cic = -1;
  if (err) *err = NULL;
  if (len < 2) return fail(err, "ISUP message too short for CIC");
  m->cic = in[0] | (in[1] & 0x0f) << 8;
  if (len < 3) return fail(err, "ISUP message without type");
  m->type = in[2];
  const layout_t *L = layout_of(m->type);
  if (!L) return fail(err, "unknown ISUP message type");
  int k = 3;
  if (len < k + L->fixed + L->nvar + L->opt) return fail(err, "ISUP message truncated");
  const uint8_t *f = in + k;
  switch (m->type) {
  case HL_ISUP_IAM:
    m->nci = f[0]; m->fci[0] = f[1]; m->fci[1] = f[2]; m->category = f[3]; m->tmr = f[4];
    break;
  case HL_ISUP_ACM: case HL_ISUP_CON: m->has_bci = 1; m->bci[0] = f[0]; m->bci[1] = f[1]; break;
  case HL_ISUP_CPG: m->event_info = f[0] & 0x7f; break;
  case HL_ISUP_CGB: case HL_ISUP_CGU: case HL_ISUP_CGBA: case HL_ISUP_CGUA: m->cgsmti = f[0] & 3; break;
  default: break;
  }
  k += L->fixed;
  for (int i = 0; i < L->nvar; i++) {
    int at = k + i;
    int p = at + in[at];            /* the pointer counts from its own octet */
    if (in[at] == 0 || p >= len) return fail(err, "mandatory parameter pointer out of message");
    int n = in[p];
    if (p + 1 + n > len) return fail(err, "mandatory parameter longer than message");
    if (get_var(m, in + p + 1, n, err) < 0) return -1;
  }
  k += L->nvar;
  if (!L->opt || in[k] == 0) return 0;
  int p = k + in[k];
  /* Optional parameters: code, length, contents... up to a 0 code or the
   * end of the message. A parameter running past the end is dropped. */
  while (p < len && in[p] != 0) {
    if (p + 1 >= len) break;
    int code = in[p], n = in[p + 1];
    if (p + 2 + n > len) return fail(err, "optional parameter longer than message");
    get_opt(m, code, in + p + 2, n);
    p += 2 + n;
  }
  return 0;
}

int hl_ss7_isup_msu_encode(const hl_ss7_variant_t *v, int ni, const hl_ss7_label_t *l, const hl_isup_msg_t *m,
                           uint8_t *out, int cap) {
  if (cap < 1 + v->label_len) return -1;
  out[0] = (uint8_t)((ni & 3) << 6 | HL_SS7_SI_ISUP);
  int k = 1 + hl_ss7_label_put(v, l, out + 1);
  int n = hl_isup_encode(m, out + k, cap - k);
  return n < 0 ? -1 : k + n;
}
