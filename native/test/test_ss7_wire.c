/* Golden wire tests: MSUs written by hand from the message layouts (SIO,
 * routing label, CIC, message type, mandatory fixed part, pointers, mandatory
 * variable part, optional part), for the China variant (24-bit DPC and OPC,
 * 7-octet label) and one ITU IAM (14-bit point codes, 4-octet label). The
 * stack must send exactly these bytes, and the decoder must read them back. */
#include "t.h"
#include "ss7_pair.h"

/* China: A is 0x0A0B0C, B is 0x010203, national network (SIO 0x85: NI 10, SI 5).
 * Label A->B: DPC 03 02 01, OPC 0C 0B 0A, SLS (= CIC mod 16) with 4 spare bits. */
#define AB_LABEL(sls) 0x03, 0x02, 0x01, 0x0c, 0x0b, 0x0a, sls
#define BA_LABEL(sls) 0x0c, 0x0b, 0x0a, 0x03, 0x02, 0x01, sls

static const uint8_t cn_iam[] = {
  0x85, AB_LABEL(0x05),
  0x05, 0x00,                       /* CIC 5 */
  0x01,                             /* IAM */
  0x00,                             /* nature of connection: no satellite, no continuity, no echo device */
  0x20, 0x01,                       /* forward call: national, ISUP all the way, preferred; ISDN access */
  0x0a,                             /* calling party's category: ordinary subscriber */
  0x00,                             /* transmission medium: speech */
  0x02,                             /* pointer to called party number */
  0x09,                             /* pointer to optional part */
  0x07, 0x83, 0x10,                 /* called: 7 octets, odd (8 digits + ST), national; ISDN numbering plan */
  0x21, 0x43, 0x65, 0x87, 0x0f,     /* 1 2 3 4 5 6 7 8 ST */
  0x0a, 0x06, 0x03, 0x17,           /* calling party number: even, national; E.164, restricted, network provided */
  0x78, 0x56, 0x34, 0x12,           /* 8 7 6 5 4 3 2 1 */
  0x00                              /* end of optional parameters */
};
static const uint8_t cn_acm[] = { 0x85, BA_LABEL(0x05), 0x05, 0x00, 0x06, 0x16, 0x14, 0x00 };
static const uint8_t cn_anm[] = { 0x85, BA_LABEL(0x05), 0x05, 0x00, 0x09, 0x00 };
/* REL: pointer to cause (2), no optional part (0), cause: 2 octets,
 * ext|ITU coding|public network local user (0x82), ext|cause */
static const uint8_t cn_rel16[] = { 0x85, AB_LABEL(0x05), 0x05, 0x00, 0x0c, 0x02, 0x00, 0x02, 0x82, 0x90 };
static const uint8_t cn_rel17[] = { 0x85, BA_LABEL(0x06), 0x06, 0x00, 0x0c, 0x02, 0x00, 0x02, 0x82, 0x91 };
static const uint8_t cn_rlc[] = { 0x85, BA_LABEL(0x05), 0x05, 0x00, 0x10, 0x00 };
/* GRS of CICs 1..30: range 29, no status; GRA: range 29 and 30 status bits (4 octets) */
static const uint8_t cn_grs[] = { 0x85, AB_LABEL(0x01), 0x01, 0x00, 0x17, 0x01, 0x01, 0x1d };
static const uint8_t cn_gra[] = { 0x85, BA_LABEL(0x01), 0x01, 0x00, 0x29, 0x01, 0x05, 0x1d, 0x00, 0x00, 0x00, 0x00 };

/* ITU: A is 1, B is 2; label = DPC(14) | OPC(14) << 14 | SLS(4) << 28, LSB first:
 * 2 | 1 << 14 | 5 << 28 = 0x50004002. */
static const uint8_t itu_iam[] = {
  0x85, 0x02, 0x40, 0x00, 0x50,
  0x05, 0x00, 0x01, 0x00, 0x20, 0x01, 0x0a, 0x00, 0x02, 0x09,
  0x07, 0x83, 0x10, 0x21, 0x43, 0x65, 0x87, 0x0f,
  0x0a, 0x06, 0x03, 0x17, 0x78, 0x56, 0x34, 0x12, 0x00
};

static side_t A, B;

static void hex(char *out, const uint8_t *b, int n) {
  out[0] = 0;
  for (int i = 0; i < n && i < 80; i++) sprintf(out + strlen(out), "%02x ", b[i]);
}

static void same(const char *what, const side_t *d, int type, const uint8_t *want, int n) {
  int len = 0;
  const uint8_t *got = last_isup(d, type, &len);
  char g[256], w[256];
  hex(g, got ? got : (const uint8_t *)"", got ? len : 0);
  hex(w, want, n);
  CHECK(got && len == n && !memcmp(got, want, (size_t)n), "%s: sent\n   %s\n expected\n   %s", what, g, w);
  if (got && len == n && !memcmp(got, want, (size_t)n)) printf("ok %s: %d octets as written by hand\n", what, n);
}

/* Decodes an MSU (SIO + label + ISUP) of variant v. */
static int decode(const hl_ss7_variant_t *v, const uint8_t *b, int n, hl_ss7_label_t *l, hl_isup_msg_t *m) {
  const char *err;
  int k = hl_ss7_label_get(v, b + 1, n - 1, l);
  if (k < 0) return -1;
  return hl_isup_decode(b + 1 + k, n - 1 - k, m, &err);
}

static void run_until(int ms) { run(&A, &B, ms); }

int main(void) {
  const hl_ss7_variant_t *cn = hl_ss7_variant_find("china"), *itu = hl_ss7_variant_find("itu");
  hl_ss7_label_t l;
  hl_isup_msg_t m;

  /* ---- the stack sends these bytes ---- */
  pair_init(&A, &B, cn, 0x0a0b0c, 0x010203);
  hl_ss7_start(&A.s); hl_ss7_start(&B.s);
  run_until(10000);
  CHECK(hl_ss7_is_up(&A.s) && hl_ss7_is_up(&B.s), "china link up");
  hl_ss7_call(&A.s, 5, "12345678", "87654321", HL_SS7_NAI_NATIONAL, 1, HL_SS7_CAT_ORDINARY);
  run_until(100);
  hl_ss7_alert(&B.s, 5); run_until(100);
  hl_ss7_answer(&B.s, 5); run_until(100);
  hl_ss7_release(&A.s, 5, 16); run_until(100);
  same("china IAM (calling number, presentation restricted)", &A, HL_ISUP_IAM, cn_iam, sizeof cn_iam);
  same("china ACM", &B, HL_ISUP_ACM, cn_acm, sizeof cn_acm);
  same("china ANM", &B, HL_ISUP_ANM, cn_anm, sizeof cn_anm);
  same("china REL cause 16", &A, HL_ISUP_REL, cn_rel16, sizeof cn_rel16);
  same("china RLC", &B, HL_ISUP_RLC, cn_rlc, sizeof cn_rlc);
  hl_ss7_call(&A.s, 6, "1", NULL, 0, 0, 0); run_until(100);
  hl_ss7_release(&B.s, 6, 17); run_until(100);
  same("china REL cause 17", &B, HL_ISUP_REL, cn_rel17, sizeof cn_rel17);
  hl_ss7_group_reset(&A.s, 1, 30); run_until(200);
  same("china GRS CICs 1-30", &A, HL_ISUP_GRS, cn_grs, sizeof cn_grs);
  same("china GRA CICs 1-30", &B, HL_ISUP_GRA, cn_gra, sizeof cn_gra);

  pair_init(&A, &B, itu, 1, 2);
  hl_ss7_start(&A.s); hl_ss7_start(&B.s);
  run_until(10000);
  hl_ss7_call(&A.s, 5, "12345678", "87654321", HL_SS7_NAI_NATIONAL, 1, HL_SS7_CAT_ORDINARY);
  run_until(100);
  same("itu IAM", &A, HL_ISUP_IAM, itu_iam, sizeof itu_iam);

  /* ---- the decoder reads them back ---- */
  CHECK(decode(cn, cn_iam, sizeof cn_iam, &l, &m) == 0 && l.dpc == 0x010203 && l.opc == 0x0a0b0c && l.sls == 5,
        "china IAM label");
  CHECK(m.type == HL_ISUP_IAM && m.cic == 5 && !strcmp(m.called, "12345678") && m.called_st && m.called_nai == 3 &&
        m.has_calling && !strcmp(m.calling, "87654321") && m.calling_pres == 1 && m.calling_screen == 3 &&
        m.category == 0x0a && m.fci[0] == 0x20 && m.fci[1] == 0x01, "china IAM fields");
  CHECK(decode(cn, cn_acm, sizeof cn_acm, &l, &m) == 0 && m.type == HL_ISUP_ACM && m.bci[0] == 0x16 &&
        l.dpc == 0x0a0b0c && l.opc == 0x010203, "china ACM decoded");
  CHECK(decode(cn, cn_anm, sizeof cn_anm, &l, &m) == 0 && m.type == HL_ISUP_ANM && m.cic == 5, "china ANM decoded");
  CHECK(decode(cn, cn_rel16, sizeof cn_rel16, &l, &m) == 0 && m.cause == 16 && m.cause_loc == 2, "china REL 16");
  CHECK(decode(cn, cn_rel17, sizeof cn_rel17, &l, &m) == 0 && m.cause == 17 && m.cic == 6, "china REL 17");
  CHECK(decode(cn, cn_rlc, sizeof cn_rlc, &l, &m) == 0 && m.type == HL_ISUP_RLC, "china RLC decoded");
  CHECK(decode(cn, cn_grs, sizeof cn_grs, &l, &m) == 0 && m.type == HL_ISUP_GRS && m.cic == 1 && m.range == 29,
        "china GRS range 29");
  CHECK(decode(cn, cn_gra, sizeof cn_gra, &l, &m) == 0 && m.type == HL_ISUP_GRA && m.range == 29 && !m.status[3],
        "china GRA decoded");
  CHECK(decode(itu, itu_iam, sizeof itu_iam, &l, &m) == 0 && l.dpc == 2 && l.opc == 1 && l.sls == 5 &&
        !strcmp(m.called, "12345678") && !strcmp(m.calling, "87654321"), "itu IAM decoded");
  /* the China label read as ITU would give other point codes: the variants really differ */
  CHECK(decode(itu, cn_iam, sizeof cn_iam, &l, &m) != 0 || l.dpc != 0x010203, "variants differ");

  /* every prefix of the IAM is refused or read without overrun (ASan/valgrind see the reads) */
  int refused = 0;
  for (int n = 0; n < (int)sizeof cn_iam - 8; n++) {
    uint8_t *p = malloc((size_t)n + 1);
    memcpy(p, cn_iam + 8, (size_t)n);
    const char *err;
    if (hl_isup_decode(p, n, &m, &err) < 0) refused++;
    free(p);
  }
  CHECK(refused >= 18, "truncated IAMs refused (%d)", refused);
  T_DONE("ss7_wire");
}
