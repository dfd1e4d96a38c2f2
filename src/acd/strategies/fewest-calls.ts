// The agent who answered the fewest calls in this queue; ties to the longest idle.
import { smallest, type Strategy } from './types.js';

export const fewestCalls: Strategy = {
  mode: 'one',
  pick: (cands) => {
    const least = smallest(cands, (c) => c.calls).calls;
    return [smallest(cands.filter((c) => c.calls === least), (c) => c.lastEndMs)];
  },
};
