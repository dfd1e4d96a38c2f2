/* The far end of an SS7 span on our own stack (ss7far_own.c, ss7far_own_cmd.c):
 * what the two files share. */
#ifndef HL_SIM_SS7FAR_OWN_H
#define HL_SIM_SS7FAR_OWN_H
#include "ss7far.h"
#include "hl/ss7.h"

/* Group messages arrive as one stack event per circuit; the sim reports one
 * event per message (first..last), as the libss7 far end does. */
enum { AG_RESET_NEAR, AG_RESET_FAR, AG_BLK_NEAR, AG_UBL_NEAR, AG_BLK_FAR, AG_UBL_FAR, AG_COUNT };

/* What the far end still has to do with an IAM from the box (after the stack
 * has returned: the stack is never called from its own callback). */
enum { DEC_NONE = 0, DEC_OUTCOME, DEC_NO_BEARER };

typedef struct own {
  hl_ss7_t *s;                      /* the exchange's stack: OPC far_pc, DPC box_pc */
  uint8_t decide[32];               /* by timeslot: DEC_* */
  char called[32][HL_SS7_MAX_DIGITS + 1];
  struct { int first, last; } agg[AG_COUNT];   /* first 0: nothing gathered */
} own_t;

static inline own_t *own_of(sim_ss7_t *x) { return x->far_state; }

/* ss7far_own.c */
void own_set_idle(sim_ss7_t *x, int cic);
/* Every call on first..last is gone (a reset): SimLineIdle {reason: "reset"} for each. */
void own_reset_range(sim_ss7_t *x, int first, int last);
/* ss7far_own_cmd.c */
int own_command(sim_ss7_t *x, struct sim_chan *c, const hl_cmd_t *cmd, char *err, size_t errlen);
int own_ss7cmd(sim_ss7_t *x, const hl_cmd_t *cmd, char *err, size_t errlen);
#endif
