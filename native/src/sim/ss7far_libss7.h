/* The far end of an ITU SS7 span on libss7 (ss7far_libss7.c: the library,
 * its callbacks and events; ss7far_libss7_cmd.c: commands): what the two
 * files share. */
#ifndef HL_SIM_SS7FAR_LIBSS7_H
#define HL_SIM_SS7FAR_LIBSS7_H
#include "ss7far.h"
#include <libss7.h>

typedef struct lx {
  struct ss7 *ss7;
  int fd_lib;                       /* libss7's end of the socketpair */
  int fd_pump;                      /* ours */
} lx_t;

static inline lx_t *lx_of(sim_ss7_t *x) { return x->far_state; }

/* ss7far_libss7.c: the box reset circuits first..last (or the far end resets
 * them): every call there is gone, its call object freed unless it is keep. */
void lx_reset_range(sim_ss7_t *x, int first, int last, struct isup_call *keep);
/* ss7far_libss7_cmd.c */
int lx_command(sim_ss7_t *x, struct sim_chan *c, const hl_cmd_t *cmd, char *err, size_t errlen);
int lx_ss7cmd(sim_ss7_t *x, const hl_cmd_t *cmd, char *err, size_t errlen);
#endif
