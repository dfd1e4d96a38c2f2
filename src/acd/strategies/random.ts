// Any free agent, each equally likely.
import type { Strategy } from './types.js';

export const random: Strategy = {
  mode: 'one',
  pick: (cands, ctx) => [cands[Math.min(cands.length - 1, Math.floor(ctx.random() * cands.length))]!],
};
