// The agent with the least talk time in this queue; ties to the longest idle.
import { smallest, type Strategy } from './types.js';

export const leastTalkTime: Strategy = {
  mode: 'one',
  pick: (cands) => {
    const least = smallest(cands, (c) => c.talkSec).talkSec;
    return [smallest(cands.filter((c) => c.talkSec === least), (c) => c.lastEndMs)];
  },
};
