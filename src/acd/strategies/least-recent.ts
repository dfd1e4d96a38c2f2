// Longest idle: the agent whose last call ended longest ago (never called first).
import { smallest, type Strategy } from './types.js';

export const leastRecent: Strategy = { mode: 'one', pick: (cands) => [smallest(cands, (c) => c.lastEndMs)] };
