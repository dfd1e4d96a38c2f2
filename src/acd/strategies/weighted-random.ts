// Any free agent, in proportion to the agent's weight.
import type { Strategy } from './types.js';

export const weightedRandom: Strategy = {
  mode: 'one',
  pick: (cands, ctx) => {
    let total = 0;
    for (const c of cands) total += c.weight;
    let r = ctx.random() * total;
    for (const c of cands) { r -= c.weight; if (r < 0) return [c]; }
    return [cands[cands.length - 1]!];
  },
};
