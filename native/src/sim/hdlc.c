/* HDLC pieces of the sim board's D-channels: the FCS-16 every HDLC controller
 * appends and checks (the boards compute it, the software above never does),
 * and the fixed rings that hold frames on their way across the simulated line.
 * Nothing here allocates: rings live inside the span. */
#include "sim_int.h"

/* FCS-16 per ISO 13239 / Q.703: CRC-CCITT over the octets taken LSB first,
 * which is the reflected polynomial 0x8408, register preset to all ones and
 * complemented at the end. Bit by bit: frames are short and few per tick. */
uint16_t sim_fcs16(const uint8_t *p, int n) {
  uint16_t crc = 0xFFFF;
  for (int i = 0; i < n; i++) {
    crc ^= p[i];
    for (int b = 0; b < 8; b++) crc = (crc & 1) ? (uint16_t)((crc >> 1) ^ 0x8408) : (uint16_t)(crc >> 1);
  }
  return (uint16_t)~crc;
}

void sim_fcs_put(uint8_t *p, int n) {
  uint16_t f = sim_fcs16(p, n);
  p[n] = (uint8_t)(f & 0xFF);          /* low-order octet goes first on the line */
  p[n + 1] = (uint8_t)(f >> 8);
}

int sim_fcs_ok(const uint8_t *p, int n) {
  if (n < 3) return 0;
  uint16_t f = sim_fcs16(p, n - 2);
  return p[n - 2] == (uint8_t)(f & 0xFF) && p[n - 1] == (uint8_t)(f >> 8);
}

int sim_fring_count(const sim_fring_t *r) { return (int)(r->tail - r->head); }

sim_frame_t *sim_fring_slot(sim_fring_t *r) {
  if (r->tail - r->head >= SIM_FRAME_SLOTS) return NULL;
  return &r->f[r->tail % SIM_FRAME_SLOTS];
}

void sim_fring_push(sim_fring_t *r) { r->tail++; }

sim_frame_t *sim_fring_peek(sim_fring_t *r) {
  if (r->head == r->tail) return NULL;
  return &r->f[r->head % SIM_FRAME_SLOTS];
}

void sim_fring_pop(sim_fring_t *r) { if (r->head != r->tail) r->head++; }
