// Round robin with memory: the next free agent after the one offered last.
import type { Strategy } from './types.js';

export const roundRobin: Strategy = {
  mode: 'one',
  pick: (cands, ctx) => [cands.find((c) => c.order > ctx.lastOrder) ?? cands[0]!],
};
